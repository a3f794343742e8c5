package io.github.unseg.cluster;

import io.github.unseg.core.CancelledException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs work over fixed-size chunks of rows on a few threads. Results come back in chunk order and
 * are reduced in that order by the caller, so the numbers do not depend on the thread count:
 * same data + same seed = same labels, with 1 thread or 16.
 */
public final class Parallel {
    public static final int CHUNK = 16384;

    private Parallel() { }

    public static int chunks(int rows) { return (rows + CHUNK - 1) / CHUNK; }

    public static int defaultThreads() { return Math.max(1, Runtime.getRuntime().availableProcessors()); }

    public static <R> List<R> map(int rows, int threads, IntFunction<R> chunkTask) {
        int nChunks = chunks(rows);
        List<R> out = new ArrayList<>(nChunks);
        if (threads <= 1 || nChunks <= 1) {
            for (int c = 0; c < nChunks; c++) out.add(chunkTask.apply(c));
            return out;
        }
        ExecutorService ex = Executors.newFixedThreadPool(Math.min(threads, nChunks), r -> {
            Thread t = new Thread(r, "unseg-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> fs = new ArrayList<>(nChunks);
            for (int c = 0; c < nChunks; c++) {
                final int ci = c;
                fs.add(ex.submit(() -> chunkTask.apply(ci)));
            }
            for (Future<R> f : fs) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IllegalStateException(cause);
        } finally {
            ex.shutdownNow();
        }
    }

    public static int start(int chunk) { return chunk * CHUNK; }

    public static int end(int chunk, int rows) { return Math.min(rows, (chunk + 1) * CHUNK); }
}

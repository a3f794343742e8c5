package io.github.unseg.cluster;

import io.github.unseg.core.CancelledException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
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

    /** Shared daemon workers; idle ones die after a minute, so nothing lingers in a Fiji session. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "unseg-worker");
        t.setDaemon(true);
        return t;
    });

    public static <R> List<R> map(int rows, int threads, IntFunction<R> chunkTask) {
        int nChunks = chunks(rows);
        @SuppressWarnings("unchecked")
        R[] results = (R[]) new Object[nChunks];
        forEach(nChunks, threads, c -> results[c] = chunkTask.apply(c));
        return Arrays.asList(results);
    }

    /**
     * Runs task(0) .. task(n-1) on at most threads workers. Tasks must write only their own
     * outputs; whoever runs which index, the results are the same.
     */
    public static void forEach(int n, int threads, IntConsumer task) {
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) task.accept(i);
            return;
        }
        // Workers take indices from a counter.
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(threads, n);
        List<Future<?>> fs = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            fs.add(POOL.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < n; ) task.accept(i);
            }));
        }
        try {
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            next.set(n);
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            next.set(n);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IllegalStateException(cause);
        }
    }

    public static int start(int chunk) { return chunk * CHUNK; }

    public static int end(int chunk, int rows) { return Math.min(rows, (chunk + 1) * CHUNK); }
}

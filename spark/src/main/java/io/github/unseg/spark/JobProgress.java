package io.github.unseg.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files (or blocks) done out of the total, the rate and the time left, from the driver's task
 * events: one updating line on a console, a line every few seconds in a log.
 */
final class JobProgress extends SparkListener {
    private final PrintStream err;
    private final String what;
    private final int total;
    private final int[] perTask;            // items in each task (partition index), as the job sliced them
    private final AtomicInteger done = new AtomicInteger(), retried = new AtomicInteger();
    private final long t0 = System.nanoTime();
    private final boolean console = System.console() != null;
    private long lastPrint;
    private int lastShown = -1;

    JobProgress(PrintStream err, String what, int total, int partitions) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.perTask = new int[partitions];
        for (int i = 0; i < partitions; i++) {   // ParallelCollectionRDD's slicing
            perTask[i] = (int) ((long) (i + 1) * total / partitions - (long) i * total / partitions);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskInfo() == null) return;
        if (!e.taskInfo().successful()) {
            int r = retried.incrementAndGet();
            synchronized (this) {
                err.println((console ? "\n" : "") + "spark-segment: a task was lost (" + e.reason() + "); Spark retries it (" + r + " so far)");
            }
            return;
        }
        int idx = e.taskInfo().index();
        int n = done.addAndGet(idx >= 0 && idx < perTask.length ? perTask[idx] : 1);
        print(n, false);
    }

    synchronized void print(int n, boolean last) {
        long now = System.nanoTime();
        if (n == lastShown || (!last && n < total && now - lastPrint < (console ? 500_000_000L : 5_000_000_000L))) return;
        lastShown = n;
        lastPrint = now;
        double s = (now - t0) / 1e9, rate = n / Math.max(1e-9, s);
        String left = n >= total || n == 0 ? "" : String.format(Locale.ROOT, ", about %s left", time((total - n) / rate));
        String line = String.format(Locale.ROOT, "spark-segment: %d/%d %s, %.2f %s/s, %s%s", n, total, what, rate, what, time(s), left);
        if (console) err.print("\r" + line + "   " + (n >= total || last ? "\n" : ""));
        else err.println(line);
        err.flush();
    }

    int done() { return done.get(); }

    static String time(double s) {
        if (s < 60) return String.format(Locale.ROOT, "%.0f s", s);
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", (int) (s / 60), (int) (s % 60));
        return String.format(Locale.ROOT, "%d h %02d min", (int) (s / 3600), (int) (s % 3600 / 60));
    }
}

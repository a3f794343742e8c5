package io.github.unseg.core;

/**
 * Progress reporting and cancellation for long work. Algorithms call {@link #check()} between
 * iterations; front ends map {@link #report} to the status bar or a console line.
 */
public interface Progress {
    /** @param fraction in [0,1], or negative when unknown */
    void report(String message, double fraction);

    boolean isCancelled();

    /** A training curve point (e.g. the CNN's labels and loss per iteration), for a live plot; ignored by default. */
    default void iteration(int iteration, int labels, double loss) { }

    /** A duration as a person reads it: "8 s", "2 min 05 s", "1 h 02 min". */
    static String seconds(double s) {
        long t = Math.round(Math.max(0, s));
        if (t < 60) return t + " s";
        if (t < 3600) return String.format(java.util.Locale.ROOT, "%d min %02d s", t / 60, t % 60);
        return String.format(java.util.Locale.ROOT, "%d h %02d min", t / 3600, (t % 3600) / 60);
    }

    /** ", about 25 s left" after done of n steps begun at t0 (System.nanoTime), at the pace so far; "" before the first is done. */
    static String timeLeft(long t0, int done, int n) {
        return done <= 0 ? "" : ", about " + seconds((System.nanoTime() - t0) / 1e9 * (n - done) / done) + " left";
    }

    default void check() {
        if (isCancelled() || Thread.currentThread().isInterrupted()) throw new CancelledException();
    }

    Progress NONE = new Progress() {
        @Override public void report(String message, double fraction) { }
        @Override public boolean isCancelled() { return false; }
    };

    /**
     * The same reports, never cancelled: for labelling with what a cancelled training reached,
     * which must finish so that the user keeps that result.
     */
    default Progress uncancellable() {
        Progress parent = this;
        return new Progress() {
            @Override public void report(String message, double fraction) { parent.report(message, fraction); }
            @Override public void iteration(int iteration, int labels, double loss) { parent.iteration(iteration, labels, loss); }
            @Override public boolean isCancelled() { return false; }
        };
    }

    /**
     * The same, each message after head: a step of a larger job says where the job is ("Slice
     * 3/200, about 9 min left in all: CNN iteration 30/200, ...", whose own time left is the slice's).
     */
    default Progress prefixed(String head) {
        Progress parent = this;
        return new Progress() {
            @Override public void report(String message, double fraction) { parent.report(head + message, fraction); }
            @Override public void iteration(int iteration, int labels, double loss) { parent.iteration(iteration, labels, loss); }
            @Override public boolean isCancelled() { return parent.isCancelled(); }
        };
    }

    /** A sub-range [from, to] of this progress, for a step of a larger job. */
    default Progress range(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override public void report(String message, double fraction) {
                parent.report(message, fraction < 0 ? -1 : from + (to - from) * Math.min(1, fraction));
            }
            @Override public void iteration(int iteration, int labels, double loss) { parent.iteration(iteration, labels, loss); }
            @Override public boolean isCancelled() { return parent.isCancelled(); }
        };
    }
}

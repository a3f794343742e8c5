package io.github.unseg.core;

/**
 * Progress reporting and cancellation for long work. Algorithms call {@link #check()} between
 * iterations; front ends map {@link #report} to the status bar or a console line.
 */
public interface Progress {
    /** @param fraction in [0,1], or negative when unknown */
    void report(String message, double fraction);

    boolean isCancelled();

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
            @Override public boolean isCancelled() { return false; }
        };
    }

    /** A sub-range [from, to] of this progress, for a step of a larger job. */
    default Progress range(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override public void report(String message, double fraction) {
                parent.report(message, fraction < 0 ? -1 : from + (to - from) * Math.min(1, fraction));
            }
            @Override public boolean isCancelled() { return parent.isCancelled(); }
        };
    }
}

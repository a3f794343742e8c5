package io.github.unseg.core;

/** Thrown when the user cancels long work; front ends report it quietly. */
public class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("Cancelled by the user.");
    }
}

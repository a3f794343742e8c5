package io.github.unseg.core;

/**
 * A problem with the user's input or settings. The message is written for the user: it names
 * the problem and says what to do, so front ends show it as is, without a stack trace.
 */
public class SegmentationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SegmentationException(String message) {
        super(message);
    }

    public SegmentationException(String message, Throwable cause) {
        super(message, cause);
    }
}

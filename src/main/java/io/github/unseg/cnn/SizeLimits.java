package io.github.unseg.cnn;

import io.github.unseg.core.SegmentationException;

/** The sizes oneDNN's convolutions survive, checked before a plane or volume is run. */
final class SizeLimits {
    private SizeLimits() { }

    /**
     * oneDNN's convolution aborts the whole JVM (a native assertion, not an exception) once
     * channels x 9 x pixels grows past roughly 9e8 (measured here: 100 channels at 1024 x 1024
     * aborts, at 960 x 960 = 8.3e8 it runs). Labelling tiles planes below it; a training plane or
     * volume past it is refused with a message.
     */
    static final long MAX_UNFOLDED = 830_000_000L;

    static void checkSize(int channels, int inChannels, int w, int h) {
        long unfolded = 9L * Math.max(channels, inChannels) * w * h;
        if (unfolded > MAX_UNFOLDED) {
            throw new SegmentationException("A plane of " + w + "x" + h + " is too large for the CNN with " + channels
                    + " channels at once: lower trainingPixels or tileSize, or use fewer channels.");
        }
    }

    static void checkSize3(int channels, int inChannels, int zKernel, int w, int h, int d) {
        long unfolded = 9L * zKernel * Math.max(channels, inChannels) * w * h * d;
        if (unfolded > MAX_UNFOLDED) {
            throw new SegmentationException("A volume of " + w + "x" + h + "x" + d + " is too large for the 3D CNN with " + channels
                    + " channels at once: lower trainingPixels, or use fewer channels.");
        }
    }
}

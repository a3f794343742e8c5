package io.github.unseg.spark;

import java.io.Serializable;

/**
 * One block's labels, reported to the driver: status, and for objects its local components (size,
 * first pixel in the whole image's raster order) and the local ids along its four edges, which
 * is all the driver needs to join objects cut by block borders.
 */
final class BlockResult implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final boolean failed, skipped;
    final String message;
    final double seconds;
    int nLocal;
    long[] size, first;
    int[] top, bottom, left, right;

    BlockResult(int index, boolean failed, boolean skipped, String message, double seconds) {
        this.index = index;
        this.failed = failed;
        this.skipped = skipped;
        this.message = message;
        this.seconds = seconds;
    }
}

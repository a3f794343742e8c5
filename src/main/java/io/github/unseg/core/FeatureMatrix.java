package io.github.unseg.core;

/**
 * Feature vectors of the valid pixels of one image: rows x dims, row-major floats.
 * {@code pixelIndex[row]} is the pixel a row came from, or null when every pixel is a row.
 */
public final class FeatureMatrix {
    public final float[] x;
    public final int rows;
    public final int dims;
    public final int[] pixelIndex;
    public final int pixelCount;

    public FeatureMatrix(float[] x, int rows, int dims, int[] pixelIndex, int pixelCount) {
        this.x = x;
        this.rows = rows;
        this.dims = dims;
        this.pixelIndex = pixelIndex;
        this.pixelCount = pixelCount;
    }

    public int pixelOf(int row) { return pixelIndex == null ? row : pixelIndex[row]; }
}

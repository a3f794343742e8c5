package io.github.unseg.core;

/**
 * Gaussian smoothing of every channel within each 2D plane, in place on the raw pixel rows:
 * spatial context for per-pixel clustering, so that noise does not scatter a region into
 * fragments. Separable, borders mirrored. NaN pixels are left out of their neighbours' averages.
 */
public final class Smoothing {
    private Smoothing() { }

    /** Rows, then columns, of each plane and channel, split among threads (each value computed as with one thread). */
    public static void gaussian(RawPixels raw, int width, int height, double sigma, int threads) {
        if (!(sigma > 0)) return;
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
        separable(raw, width, height, threads, (in, out, n) -> convolve(in, out, n, k, r));
    }

    /**
     * Grey opening by a (2 radius + 1)-pixel square: the minimum, then the maximum, over the square.
     * Bright structures narrower than the square are cut down to their surroundings, so the result
     * is a background that does not contain the objects (the idea of ImageJ's rolling ball).
     * NaN pixels are left out of their neighbours' windows.
     */
    public static void opening(RawPixels raw, int width, int height, int radius, int threads) {
        if (radius < 1) return;
        separable(raw, width, height, threads, (in, out, n) -> extremum(in, out, n, radius, true));
        separable(raw, width, height, threads, (in, out, n) -> extremum(in, out, n, radius, false));
    }

    private interface LineOp { void apply(float[] in, float[] out, int n); }

    /** op along the rows, then along the columns, of each plane and channel, in place. */
    private static void separable(RawPixels raw, int width, int height, int threads, LineOp op) {
        int c = raw.channels, plane = width * height, planes = raw.pixels / plane;
        int t = Math.max(1, threads);
        for (int p = 0; p < planes; p++) {
            for (int ch = 0; ch < c; ch++) {
                int pp = p, cc = ch;
                FeatureStack.forRanges(height, t, (from, to) -> {         // rows
                    float[] line = new float[width], out = new float[width];
                    for (int y = from; y < to; y++) {
                        int base = (pp * plane + y * width) * c + cc;
                        for (int x = 0; x < width; x++) line[x] = raw.values[base + x * c];
                        op.apply(line, out, width);
                        for (int x = 0; x < width; x++) raw.values[base + x * c] = out[x];
                    }
                });
                FeatureStack.forRanges(width, t, (from, to) -> {          // columns
                    float[] line = new float[height], out = new float[height];
                    for (int x = from; x < to; x++) {
                        int base = (pp * plane + x) * c + cc;
                        for (int y = 0; y < height; y++) line[y] = raw.values[base + y * width * c];
                        op.apply(line, out, height);
                        for (int y = 0; y < height; y++) raw.values[base + y * width * c] = out[y];
                    }
                });
            }
        }
    }

    /**
     * Minimum (or maximum) over [i - r, i + r], clipped at the ends, in O(n) whatever r (van Herk /
     * Gil-Werman: running extrema forward and backward within blocks of 2r + 1).
     */
    static void extremum(float[] in, float[] out, int n, int r, boolean min) {
        int k = 2 * r + 1, m = n + 2 * r;
        float none = min ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        float[] padded = new float[m], fwd = new float[m], bwd = new float[m];
        java.util.Arrays.fill(padded, none);                 // the ends take part as "no value"
        for (int i = 0; i < n; i++) padded[i + r] = Float.isFinite(in[i]) ? in[i] : none;
        for (int i = 0; i < m; i++) fwd[i] = i % k == 0 ? padded[i] : pick(fwd[i - 1], padded[i], min);
        for (int i = m - 1; i >= 0; i--) bwd[i] = i % k == k - 1 || i == m - 1 ? padded[i] : pick(bwd[i + 1], padded[i], min);
        for (int i = 0; i < n; i++) {
            // the window [i, i + 2r] of padded spans the tail of i's block and the head of the next
            out[i] = Float.isFinite(in[i]) ? pick(bwd[i], fwd[i + 2 * r], min) : in[i];
        }
    }

    private static float pick(float a, float b, boolean min) { return min ? Math.min(a, b) : Math.max(a, b); }

    private static void convolve(float[] in, float[] out, int n, double[] k, int r) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(in[i])) { out[i] = in[i]; continue; }
            double s = 0, w = 0;
            for (int j = -r; j <= r; j++) {
                int q = i + j;
                if (q < 0) q = -q - 1;                       // mirror
                if (q >= n) q = 2 * n - q - 1;
                if (q < 0 || q >= n) continue;               // kernel wider than the line
                float v = in[q];
                if (!Float.isFinite(v)) continue;
                s += k[j + r] * v;
                w += k[j + r];
            }
            out[i] = (float) (s / w);
        }
    }
}

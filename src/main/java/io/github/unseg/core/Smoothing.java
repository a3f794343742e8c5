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
                        convolve(line, out, width, k, r);
                        for (int x = 0; x < width; x++) raw.values[base + x * c] = out[x];
                    }
                });
                FeatureStack.forRanges(width, t, (from, to) -> {          // columns
                    float[] line = new float[height], out = new float[height];
                    for (int x = from; x < to; x++) {
                        int base = (pp * plane + x) * c + cc;
                        for (int y = 0; y < height; y++) line[y] = raw.values[base + y * width * c];
                        convolve(line, out, height, k, r);
                        for (int y = 0; y < height; y++) raw.values[base + y * width * c] = out[y];
                    }
                });
            }
        }
    }

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

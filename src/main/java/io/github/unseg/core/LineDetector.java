package io.github.unseg.core;

/**
 * The line detector of Ricci & Perfetti (IEEE TMI 2007), signed: at each pixel, the mean along a
 * line of 2r + 1 pixels through it, in the one of 12 orientations (15 degrees apart) whose mean
 * differs most from the mean of the (2r + 1)-pixel square around it, minus that square's mean.
 * Thin dark structures (vessels) give strongly negative values, thin bright ones positive, flat
 * areas and edges between large regions near 0: the line shape a pixel-wise clustering cannot see.
 * Each plane of a volume alone; borders clamped.
 */
final class LineDetector {
    private LineDetector() { }

    static final int ORIENTATIONS = 12;

    static float[] response(float[] in, int w, int h, int d, int r, int threads) {
        int plane = w * h, n = 2 * r + 1;
        // the line's pixel offsets per orientation (rounded, duplicates kept out)
        int[][] dx = new int[ORIENTATIONS][], dy = new int[ORIENTATIONS][];
        for (int o = 0; o < ORIENTATIONS; o++) {
            double a = Math.PI * o / ORIENTATIONS, c = Math.cos(a), s = Math.sin(a);
            java.util.LinkedHashSet<Long> seen = new java.util.LinkedHashSet<>();
            for (int t = -r; t <= r; t++) seen.add(((long) Math.round(t * c) << 32) ^ (Math.round(t * s) & 0xffffffffL));
            dx[o] = new int[seen.size()];
            dy[o] = new int[seen.size()];
            int i = 0;
            for (long k : seen) { dx[o][i] = (int) (k >> 32); dy[o][i] = (int) k; i++; }
        }
        float[] out = new float[in.length];
        float[] rows = new float[plane], box = new float[plane];
        for (int z = 0; z < d; z++) {
            final int off = z * plane;
            // the square's mean, rows then columns, each sum in a fixed order (no running sums: a block of
            // the image must give the same values as the whole)
            FeatureStack.forRanges(h, threads, (from, to) -> {
                for (int y = from; y < to; y++) {
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        for (int t = -r; t <= r; t++) sum += in[off + y * w + clamp(x + t, w)];
                        rows[y * w + x] = (float) sum;
                    }
                }
            });
            FeatureStack.forRanges(h, threads, (from, to) -> {
                for (int y = from; y < to; y++) {
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        for (int t = -r; t <= r; t++) sum += rows[clamp(y + t, h) * w + x];
                        box[y * w + x] = (float) (sum / ((double) n * n));
                    }
                }
            });
            FeatureStack.forRanges(h, threads, (from, to) -> {
                for (int y = from; y < to; y++) {
                    for (int x = 0; x < w; x++) {
                        float mean = box[y * w + x], best = 0;
                        for (int o = 0; o < ORIENTATIONS; o++) {
                            int[] ox = dx[o], oy = dy[o];
                            double sum = 0;
                            for (int i = 0; i < ox.length; i++) sum += in[off + clamp(y + oy[i], h) * w + clamp(x + ox[i], w)];
                            float v = (float) (sum / ox.length) - mean;
                            if (Math.abs(v) > Math.abs(best)) best = v;
                        }
                        out[off + y * w + x] = best;
                    }
                }
            });
        }
        return out;
    }

    private static int clamp(int i, int n) { return i < 0 ? 0 : i >= n ? n - 1 : i; }
}

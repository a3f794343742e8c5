package io.github.unseg.cluster;

/**
 * Collapses identical feature rows into one row with a count. Images repeat values heavily
 * (an 8-bit grey image has at most 256, an 8-bit RGB image typically a few hundred thousand
 * distinct colours among millions of pixels), and K-means and EM on the distinct rows weighted by
 * their counts compute exactly what they compute on all rows, for a fraction of the work.
 */
public final class Dedup {
    public final float[] x;
    public final double[] weights;
    public final int rows;

    private Dedup(float[] x, double[] weights, int rows) {
        this.x = x; this.weights = weights; this.rows = rows;
    }

    /**
     * Distinct rows in order of first occurrence, or null when fewer than a third of the rows
     * repeat (then the weighting would cost more than it saves).
     */
    public static Dedup of(float[] x, int n, int d) {
        if (n < 4096) return null;
        int cap = Integer.highestOneBit(Math.max(16, n) * 2 - 1) << 1;
        int mask = cap - 1;
        int[] table = new int[cap]; // 1-based index of the first row with this value; 0 = empty
        int[] counts = new int[n];
        int[] firstRow = new int[n];
        int m = 0, limit = n - n / 3;
        for (int i = 0; i < n; i++) {
            int o = i * d, h = 1;
            for (int j = 0; j < d; j++) h = 31 * h + Float.floatToIntBits(x[o + j]);
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            int slot = h & mask;
            while (true) {
                int t = table[slot];
                if (t == 0) {
                    if (m == limit) return null;
                    table[slot] = m + 1;
                    firstRow[m] = i;
                    counts[m++] = 1;
                    break;
                }
                int r = firstRow[t - 1] * d;
                boolean same = true;
                for (int j = 0; j < d && same; j++) same = Float.floatToIntBits(x[r + j]) == Float.floatToIntBits(x[o + j]);
                if (same) { counts[t - 1]++; break; }
                slot = (slot + 1) & mask;
            }
        }
        float[] ux = new float[m * d];
        double[] w = new double[m];
        for (int u = 0; u < m; u++) {
            System.arraycopy(x, firstRow[u] * d, ux, u * d, d);
            w[u] = counts[u];
        }
        return new Dedup(ux, w, m);
    }
}

package io.github.unseg.core;

import java.util.List;
import java.util.SplittableRandom;

/** Random row subsets for fitting on large images (prediction always labels every pixel). */
public final class Sampling {
    private Sampling() { }

    /**
     * Stacks the rows of several matrices, keeping at most {@code maxRows} rows in all (0 = all),
     * chosen uniformly without replacement with the given seed; row order is kept so the result
     * does not depend on anything but the data and the seed.
     */
    public static float[] sampleRows(List<FeatureMatrix> ms, int maxRows, long seed, int[] rowsOut) {
        int d = ms.get(0).dims;
        long total = 0;
        for (FeatureMatrix m : ms) total += m.rows;
        if (maxRows <= 0 || total <= maxRows) {
            if (total * d > Integer.MAX_VALUE - 8) {
                throw new SegmentationException("Too many pixels to fit on at once (" + total
                        + "): set sampleSize to fit on a random sample of pixels.");
            }
            float[] out = new float[(int) total * d];
            int o = 0;
            for (FeatureMatrix m : ms) {
                System.arraycopy(m.x, 0, out, o, m.rows * d);
                o += m.rows * d;
            }
            rowsOut[0] = (int) total;
            return out;
        }
        long[] pick = sampleIndices(total, maxRows, seed);
        float[] out = new float[maxRows * d];
        long start = 0;
        int i = 0;
        for (FeatureMatrix m : ms) {
            for (; i < pick.length && pick[i] < start + m.rows; i++) System.arraycopy(m.x, (int) (pick[i] - start) * d, out, i * d, d);
            start += m.rows;
        }
        rowsOut[0] = pick.length;
        return out;
    }

    /**
     * min(k, n) of the indices 0..n-1, chosen uniformly without replacement with the given seed,
     * in increasing order (selection sampling, Knuth's algorithm S: one pass).
     */
    public static long[] sampleIndices(long n, int k, long seed) {
        int want = (int) Math.min(n, k);
        long[] out = new long[want];
        SplittableRandom rnd = new SplittableRandom(seed);
        int chosen = 0;
        for (long seen = 0; seen < n && chosen < want; seen++) {
            if ((n - seen) * rnd.nextDouble() < want - chosen) out[chosen++] = seen;
        }
        return out;
    }

    /** Number of distinct rows, counting only up to {@code limit} (enough to check nClusters). */
    public static int distinctRows(float[] x, int rows, int d, int limit) {
        java.util.HashSet<RowKey> set = new java.util.HashSet<>();
        for (int r = 0; r < rows && set.size() < limit; r++) set.add(new RowKey(x, r * d, d));
        return set.size();
    }

    private static final class RowKey {
        final float[] x; final int o, d; final int hash;
        RowKey(float[] x, int o, int d) {
            this.x = x; this.o = o; this.d = d;
            int h = 1;
            for (int i = 0; i < d; i++) h = 31 * h + Float.floatToIntBits(x[o + i]);
            hash = h;
        }
        @Override public int hashCode() { return hash; }
        @Override public boolean equals(Object other) {
            RowKey k = (RowKey) other;
            for (int i = 0; i < d; i++) if (Float.floatToIntBits(x[o + i]) != Float.floatToIntBits(k.x[k.o + i])) return false;
            return true;
        }
    }
}

package io.github.unseg.core;

import java.util.Arrays;

/**
 * Labels in a stable order whatever the random start: by their first feature (the first channel's
 * normalised intensity), darkest first, so label 1 is the darkest cluster.
 */
public final class LabelOrder {
    private LabelOrder() { }

    /** Permutation that sorts the rows of a k x d matrix (centres, means) by column 0, then 1, ... */
    public static int[] ofCentres(double[][] centres) {
        Integer[] idx = new Integer[centres.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> {
            for (int j = 0; j < centres[a].length; j++) {
                int c = Double.compare(centres[a][j], centres[b][j]);
                if (c != 0) return c;
            }
            return Integer.compare(a, b);
        });
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }

    /**
     * Cluster -> label (1-based) for clusters 0..k-1 of the pixels (cluster[p]), by the mean of
     * feature[p] over each cluster's pixels (NaN = masked, not counted). Clusters 0..fixed-1 keep
     * labels 1..fixed (scribble classes); the others follow, ordered; clusters without pixels last.
     */
    public static int[] byMeanFeature(int[] cluster, float[] feature, int k, int fixed) {
        double[] sum = new double[k];
        long[] count = new long[k];
        for (int p = 0; p < cluster.length; p++) {
            if (Float.isNaN(feature[p])) continue;
            sum[cluster[p]] += feature[p];
            count[cluster[p]]++;
        }
        Integer[] rest = new Integer[k - fixed];
        for (int i = 0; i < rest.length; i++) rest[i] = fixed + i;
        Arrays.sort(rest, (a, b) -> {
            if ((count[a] == 0) != (count[b] == 0)) return count[a] == 0 ? 1 : -1;
            int c = count[a] == 0 ? 0 : Double.compare(sum[a] / count[a], sum[b] / count[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] map = new int[k];
        for (int i = 0; i < fixed; i++) map[i] = i + 1;
        for (int i = 0; i < rest.length; i++) map[rest[i]] = fixed + i + 1;
        return map;
    }
}

package io.github.unseg.cnn;

import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.label.ConnectedComponents;

/**
 * The regions of a label image (connected pieces of equal label, 4- / 6-connected) described by
 * their mean input features and pixel counts: what CNN + K-means clusters in its "regions" mode.
 * A region's mean is free of the pixel noise that makes pixel clusters split off the few
 * saturated pixels, and its size weights it as its pixels would.
 */
final class RegionClusters {
    final int[] ids;      // region of each pixel, 0 = masked or label 0
    final int count, dims;
    final float[] means;  // count x dims
    final double[] sizes; // pixels per region

    RegionClusters(int[] labels, FeatureMatrix m, int w, int h, int d) {
        ConnectedComponents.Objects ob = ConnectedComponents.label(labels, w, h, d, false);
        ids = ob.ids;
        count = ob.count;
        dims = m.dims;
        double[] sum = new double[count * dims];
        sizes = new double[count];
        for (int r = 0; r < m.rows; r++) {
            int id = ids[m.pixelOf(r)];
            if (id == 0) continue;
            sizes[id - 1]++;
            for (int c = 0; c < dims; c++) sum[(id - 1) * dims + c] += m.x[r * dims + c];
        }
        means = new float[count * dims];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < dims; c++) means[i * dims + c] = sizes[i] > 0 ? (float) (sum[i * dims + c] / sizes[i]) : 0f;
        }
    }

    /** Each pixel's label from its region's cluster (0 where it has no region). */
    int[] labels(int[] regionCluster, int[] clusterToLabel) {
        int[] out = new int[ids.length];
        for (int p = 0; p < out.length; p++) out[p] = ids[p] == 0 ? 0 : clusterToLabel[regionCluster[ids[p] - 1]];
        return out;
    }
}

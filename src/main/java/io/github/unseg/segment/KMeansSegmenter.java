package io.github.unseg.segment;

import com.google.gson.JsonObject;
import io.github.unseg.cluster.KMeans;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;

import java.util.List;

/** K-means on pixel features: each pixel gets the label of its nearest cluster centre. */
public final class KMeansSegmenter extends ClusterSegmenter {
    public int nInit = 3;
    public int maxIterations = 300;
    public double tolerance = 1e-4;

    @Override public String method() { return "kmeans"; }

    @Override
    public Model fit(List<Image5D> images, Progress progress) {
        Training t = prepare(images, nClusters);
        KMeans.Result r = KMeans.of(nClusters, nInit, maxIterations, tolerance, seed, threads).fit(t.x, t.n, t.d, progress);
        Model m = new Model(t.spec, r.centers, r.k, r.d);
        m.threads = threads;
        m.inertia = r.inertia;
        m.iterations = r.iterations;
        m.trainingPixels = t.n;
        return m;
    }

    /** Fitted K-means: centres sorted by their first feature. */
    public static final class Model extends PixelModel {
        final double[] centers;
        final int k, d;
        double inertia = Double.NaN;
        int iterations;
        int trainingPixels;

        public Model(FeatureSpec spec, double[] centers, int k, int d) {
            super(spec);
            double[][] rows = new double[k][];
            for (int c = 0; c < k; c++) rows[c] = java.util.Arrays.copyOfRange(centers, c * d, c * d + d);
            int[] order = io.github.unseg.core.LabelOrder.ofCentres(rows);
            this.centers = new double[k * d];
            for (int c = 0; c < k; c++) System.arraycopy(rows[order[c]], 0, this.centers, c * d, d);
            this.k = k;
            this.d = d;
        }

        @Override public String method() { return "kmeans"; }
        @Override public int nLabels() { return k; }

        /** Cluster centres in feature space, k rows of d values. */
        public double[][] centers() {
            double[][] out = new double[k][];
            for (int c = 0; c < k; c++) out[c] = java.util.Arrays.copyOfRange(centers, c * d, c * d + d);
            return out;
        }

        public double inertia() { return inertia; }

        @Override
        protected void predictRows(float[] x, int n, int dims, int[] out) {
            KMeans.predict(x, n, dims, centers, k, out, threads);
        }

        @Override
        protected void writeJson(JsonObject o) {
            o.add("centers", ModelIO.matrix(centers()));
            JsonObject fit = new JsonObject();
            fit.addProperty("inertia", inertia);
            fit.addProperty("iterations", iterations);
            fit.addProperty("trainingPixels", trainingPixels);
            o.add("fit", fit);
        }

        @Override
        public String summary() {
            // A saved model keeps its centres, not its fit's statistics: say only what it is.
            if (trainingPixels == 0) return String.format(java.util.Locale.ROOT, "K-means, %d clusters", k);
            return String.format(java.util.Locale.ROOT, "K-means, %d clusters, inertia %.6g on %d pixels, %d iterations",
                    k, inertia, trainingPixels, iterations);
        }
    }
}

package io.github.unseg.segment;

import com.google.gson.JsonObject;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.cluster.GaussianMixture;
import io.github.unseg.cluster.KMeans;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;

import java.util.List;
import java.util.Locale;

/**
 * The GMM + K-means ensemble. Definition: fit a Gaussian mixture with {@link #gmmComponents}
 * components on the pixel features f; give every pixel the joined vector
 * [f, posteriorWeight * p(1|f), ..., posteriorWeight * p(m|f)]; run K-means with nClusters on
 * those vectors. The posteriors add the mixture's soft, covariance-aware grouping to the
 * intensities, so K-means can split along shapes it cannot see on its own, while the user still
 * gets exactly nClusters labels.
 */
public final class GmmKMeansSegmenter extends ClusterSegmenter {
    /** Components of the mixture; 0 = nClusters. */
    public int gmmComponents = 0;
    public double posteriorWeight = 1.0;
    public CovarianceType covariance = CovarianceType.FULL;
    public int nInit = 3;
    public int maxIterations = 300;
    public double tolerance = 1e-4;

    @Override public String method() { return "gmm-kmeans"; }

    @Override
    public void validate() {
        super.validate();
        if (!(posteriorWeight >= 0) || Double.isInfinite(posteriorWeight)) {
            throw new SegmentationException("posteriorWeight must be a finite number >= 0, got " + posteriorWeight + ".");
        }
    }

    @Override
    public Model fit(List<Image5D> images, Progress progress) {
        validate();
        int m = gmmComponents > 0 ? gmmComponents : nClusters;
        Training t = prepare(images, Math.max(m, nClusters));
        GaussianMixture g = new GaussianMixture();
        g.nComponents = m;
        g.covarianceType = covariance;
        g.seed = seed;
        g.threads = threads;
        GaussianMixture.Result gr = g.fit(t.x, t.n, t.d, progress.range(0, 0.6));
        float[] z = augment(gr.model, t.x, t.n, t.d, posteriorWeight, threads);
        KMeans.Result kr = KMeans.of(nClusters, nInit, maxIterations, tolerance, seed, threads).fit(z, t.n, t.d + m, progress.range(0.6, 1));
        Model model = new Model(t.spec, gr.model, posteriorWeight, kr.centers, kr.k);
        model.threads = threads;
        model.inertia = kr.inertia;
        model.trainingPixels = t.n;
        return model;
    }

    static float[] augment(GaussianMixture.Model gmm, float[] x, int n, int d, double weight, int threads) {
        float[] p = gmm.predictProba(x, n, threads);
        int m = gmm.k, dz = d + m;
        float[] z = new float[n * dz];
        float w = (float) weight;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, z, i * dz, d);
            for (int c = 0; c < m; c++) z[i * dz + d + c] = w * p[i * m + c];
        }
        return z;
    }

    /** Fitted ensemble: the mixture and the K-means centres in the joined space. */
    public static final class Model extends PixelModel {
        final GaussianMixture.Model gmm;
        final double posteriorWeight;
        final KMeansSegmenter.Model kmeans;
        double inertia = Double.NaN;
        int trainingPixels;

        public Model(FeatureSpec spec, GaussianMixture.Model gmm, double posteriorWeight, double[] centers, int k) {
            super(spec);
            this.gmm = gmm;
            this.posteriorWeight = posteriorWeight;
            this.kmeans = new KMeansSegmenter.Model(spec, centers, k, spec.dims() + gmm.k);
        }

        @Override public String method() { return "gmm-kmeans"; }
        @Override public int nLabels() { return kmeans.nLabels(); }

        @Override
        protected void predictRows(float[] x, int n, int d, int[] out) {
            float[] z = augment(gmm, x, n, d, posteriorWeight, threads);
            KMeans.predict(z, n, d + gmm.k, kmeans.centers, kmeans.k, out, threads);
        }

        @Override
        protected void writeJson(JsonObject o) {
            JsonObject g = new JsonObject();
            ModelIO.writeMixture(gmm, g);
            o.add("gmm", g);
            o.addProperty("posteriorWeight", posteriorWeight);
            o.add("centers", ModelIO.matrix(kmeans.centers()));
            JsonObject fit = new JsonObject();
            fit.addProperty("inertia", inertia);
            fit.addProperty("trainingPixels", trainingPixels);
            o.add("fit", fit);
        }

        @Override
        public String summary() {
            String shape = String.format(Locale.ROOT, "GMM + K-means, %d-component mixture, %d clusters", gmm.k, kmeans.k);
            if (trainingPixels == 0) return shape;   // a saved model: no fit statistics
            return shape + String.format(Locale.ROOT, ", inertia %.6g on %d pixels", inertia, trainingPixels);
        }
    }
}

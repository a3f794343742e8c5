package io.github.unseg.segment;

import com.google.gson.JsonObject;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.cluster.GaussianMixture;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;

import java.util.List;
import java.util.Locale;

/**
 * Gaussian mixture on pixel features: each pixel gets its most probable component. With
 * {@link #autoClusters}, the number of components is chosen by the lowest BIC over
 * minClusters..maxClusters (nClusters is then ignored).
 */
public final class GmmSegmenter extends ClusterSegmenter {
    public CovarianceType covariance = CovarianceType.FULL;
    public int maxIterations = 100;
    public double tolerance = 1e-3;
    public double regularization = 1e-6;
    /** Try every nClusters in [minClusters, maxClusters] and keep the lowest BIC. */
    public boolean autoClusters;
    public int minClusters = 2;
    public int maxClusters = 8;

    @Override public String method() { return "gmm"; }

    @Override
    public void validate() {
        super.validate();
        if (autoClusters && (minClusters < 1 || maxClusters < minClusters)) {
            throw new SegmentationException("Automatic cluster count needs 1 <= minClusters <= maxClusters, got "
                    + minClusters + ".." + maxClusters + ".");
        }
    }

    @Override
    public Model fit(List<Image5D> images, Progress progress) {
        validate();
        boolean auto = autoClusters;
        int kMax = auto ? maxClusters : nClusters;
        int kMin = auto ? minClusters : nClusters;
        Training t = prepare(images, kMax);
        Model best = null;
        StringBuilder bics = new StringBuilder();
        for (int k = kMin; k <= kMax; k++) {
            Progress p = progress.range((double) (k - kMin) / (kMax - kMin + 1), (k - kMin + 1.0) / (kMax - kMin + 1));
            GaussianMixture.Result r = gmm(k).fit(t.x, t.n, t.d, p);
            Model m = new Model(t.spec, r.model);
            m.threads = threads;
            m.meanLogLikelihood = r.meanLogLikelihood;
            m.iterations = r.iterations;
            m.converged = r.converged;
            m.trainingPixels = t.n;
            m.bic = -2 * r.meanLogLikelihood * t.n + r.model.nParameters() * Math.log(t.n);
            if (auto) bics.append(bics.length() == 0 ? "" : ", ").append(k).append(": ")
                    .append(String.format(Locale.ROOT, "%.6g", m.bic));
            if (best == null || m.bic < best.bic) best = m;
        }
        if (auto) best.bicTable = bics.toString();
        return best;
    }

    GaussianMixture gmm(int k) {
        GaussianMixture g = new GaussianMixture();
        g.nComponents = k;
        g.covarianceType = covariance;
        g.maxIterations = maxIterations;
        g.tolerance = tolerance;
        g.regularization = regularization;
        g.seed = seed;
        g.threads = threads;
        return g;
    }

    /** Fitted mixture: components sorted by their mean's first feature. */
    public static final class Model extends PixelModel {
        final GaussianMixture.Model gmm;
        double meanLogLikelihood = Double.NaN, bic = Double.NaN;
        int iterations, trainingPixels;
        boolean converged;
        String bicTable;

        public Model(FeatureSpec spec, GaussianMixture.Model unordered) {
            super(spec);
            int[] order = io.github.unseg.core.LabelOrder.ofCentres(unordered.means);
            int k = unordered.k;
            double[] w = new double[k];
            double[][] mu = new double[k][], cov = new double[k][];
            for (int c = 0; c < k; c++) {
                w[c] = unordered.weights[order[c]];
                mu[c] = unordered.means[order[c]];
                cov[c] = unordered.covariances[order[c]];
            }
            this.gmm = new GaussianMixture.Model(unordered.type, w, mu, cov);
        }

        @Override public String method() { return "gmm"; }
        @Override public int nLabels() { return gmm.k; }
        @Override public boolean hasProbabilities() { return true; }
        public GaussianMixture.Model mixture() { return gmm; }
        public double meanLogLikelihood() { return meanLogLikelihood; }
        public double bic() { return bic; }

        @Override
        protected void predictRows(float[] x, int n, int d, int[] out) { gmm.predict(x, n, out, threads); }

        @Override
        protected float[] probabilityRows(float[] x, int n, int d) { return gmm.predictProba(x, n, threads); }

        @Override
        protected void writeJson(JsonObject o) {
            ModelIO.writeMixture(gmm, o);
            JsonObject fit = new JsonObject();
            fit.addProperty("meanLogLikelihood", meanLogLikelihood);
            fit.addProperty("bic", bic);
            fit.addProperty("iterations", iterations);
            fit.addProperty("converged", converged);
            fit.addProperty("trainingPixels", trainingPixels);
            o.add("fit", fit);
        }

        @Override
        public String summary() {
            if (trainingPixels == 0) {   // a saved model: no fit statistics (and no advice to refit)
                return String.format(Locale.ROOT, "Gaussian mixture (%s), %d components", gmm.type.name().toLowerCase(Locale.ROOT), gmm.k);
            }
            return String.format(Locale.ROOT, "Gaussian mixture (%s), %d components, mean log-likelihood %.6g, BIC %.6g, %d iterations%s%s",
                    gmm.type.name().toLowerCase(Locale.ROOT), gmm.k, meanLogLikelihood, bic, iterations,
                    converged ? "" : " (not converged: raise maxIterations)",
                    bicTable == null ? "" : "; BIC by k: " + bicTable);
        }
    }
}

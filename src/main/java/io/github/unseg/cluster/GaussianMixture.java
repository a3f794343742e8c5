package io.github.unseg.cluster;

import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;

import java.util.List;

/**
 * Gaussian mixture fitted by EM, initialised from K-means labels (as scikit-learn does), with
 * full or diagonal covariances, a ridge added to each covariance's diagonal, and convergence when
 * the mean log-likelihood per row changes by less than the tolerance. Each EM pass is one sweep
 * over the rows that computes the log-likelihood of the current parameters and the sufficient
 * statistics of the next ones, so responsibilities are never stored.
 */
public final class GaussianMixture {
    public int nComponents = 3;
    public CovarianceType covarianceType = CovarianceType.FULL;
    public int maxIterations = 100;
    public double tolerance = 1e-3;
    public double regularization = 1e-6;
    public long seed = 1;
    public int threads = Parallel.defaultThreads();

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** Fitted parameters. Covariances are d x d row-major per component (diagonal ones too). */
    public static final class Model {
        public final int k, d;
        public final CovarianceType type;
        public final double[] weights;
        public final double[][] means;
        public final double[][] covariances;
        /** Cholesky factors (lower, row-major) and log-determinants of the covariances. */
        final double[][] chol;
        final double[] logDet;
        final double[] logWeights;

        public Model(CovarianceType type, double[] weights, double[][] means, double[][] covariances) {
            this.k = weights.length;
            this.d = means[0].length;
            this.type = type;
            this.weights = weights;
            this.means = means;
            this.covariances = covariances;
            chol = new double[k][];
            logDet = new double[k];
            logWeights = new double[k];
            for (int c = 0; c < k; c++) {
                chol[c] = cholesky(covariances[c], d, c);
                double ld = 0;
                for (int j = 0; j < d; j++) ld += Math.log(chol[c][j * d + j]);
                logDet[c] = 2 * ld;
                logWeights[c] = Math.log(weights[c]);
            }
        }

        /** Weighted log densities log(w_c N(x | mu_c, S_c)) of one row into lp[0..k). */
        void logProbs(float[] x, int xo, double[] lp, double[] tmp) {
            for (int c = 0; c < k; c++) {
                double[] L = chol[c];
                double[] mu = means[c];
                double maha = 0;
                if (type == CovarianceType.DIAG) {
                    for (int j = 0; j < d; j++) { double v = (x[xo + j] - mu[j]) / L[j * d + j]; maha += v * v; }
                } else {
                    // Forward substitution L y = x - mu; maha = |y|^2.
                    for (int j = 0; j < d; j++) {
                        double s = x[xo + j] - mu[j];
                        for (int m = 0; m < j; m++) s -= L[j * d + m] * tmp[m];
                        double y = s / L[j * d + j];
                        tmp[j] = y;
                        maha += y * y;
                    }
                }
                lp[c] = logWeights[c] - 0.5 * (d * LOG_2PI + logDet[c] + maha);
            }
        }

        /** Log-sum-exp of lp; leaves the posteriors in lp. */
        static double normalise(double[] lp, int k) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) if (lp[c] > max) max = lp[c];
            double s = 0;
            for (int c = 0; c < k; c++) s += Math.exp(lp[c] - max);
            double lse = max + Math.log(s);
            for (int c = 0; c < k; c++) lp[c] = Math.exp(lp[c] - lse);
            return lse;
        }

        public int nParameters() {
            int cov = type == CovarianceType.FULL ? k * d * (d + 1) / 2 : k * d;
            return cov + k * d + k - 1;
        }

        /** Most probable component (0-based) of every row. */
        public void predict(float[] x, int n, int[] out, int threads) {
            Parallel.map(n, threads, ch -> {
                double[] lp = new double[k], tmp = new double[d];
                for (int i = Parallel.start(ch), e = Parallel.end(ch, n); i < e; i++) {
                    logProbs(x, i * d, lp, tmp);
                    int best = 0;
                    for (int c = 1; c < k; c++) if (lp[c] > lp[best]) best = c;
                    out[i] = best;
                }
                return null;
            });
        }

        /** Posterior probabilities, n x k row-major. */
        public float[] predictProba(float[] x, int n, int threads) {
            float[] out = new float[n * k];
            Parallel.map(n, threads, ch -> {
                double[] lp = new double[k], tmp = new double[d];
                for (int i = Parallel.start(ch), e = Parallel.end(ch, n); i < e; i++) {
                    logProbs(x, i * d, lp, tmp);
                    normalise(lp, k);
                    for (int c = 0; c < k; c++) out[i * k + c] = (float) lp[c];
                }
                return null;
            });
            return out;
        }

        /** Mean log-likelihood per row. */
        public double score(float[] x, int n, int threads) {
            return score(x, null, n, threads);
        }

        /** Weighted mean log-likelihood per row (weights null = all 1). */
        public double score(float[] x, double[] w, int n, int threads) {
            List<double[]> parts = Parallel.map(n, threads, ch -> {
                double[] lp = new double[k], tmp = new double[d];
                double s = 0;
                for (int i = Parallel.start(ch), e = Parallel.end(ch, n); i < e; i++) {
                    logProbs(x, i * d, lp, tmp);
                    s += (w == null ? 1.0 : w[i]) * normalise(lp, k);
                }
                return new double[]{s};
            });
            double t = 0;
            for (double[] p : parts) t += p[0];
            double total = n;
            if (w != null) { total = 0; for (double v : w) total += v; }
            return t / total;
        }

    }

    /** The result of a fit. */
    public static final class Result {
        public final Model model;
        public final double meanLogLikelihood;
        public final int iterations;
        public final boolean converged;

        Result(Model model, double ll, int iterations, boolean converged) {
            this.model = model; this.meanLogLikelihood = ll; this.iterations = iterations; this.converged = converged;
        }
    }

    static double[] cholesky(double[] a, int d, int component) {
        double[] L = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int m = 0; m < j; m++) s -= L[i * d + m] * L[j * d + m];
                if (i == j) {
                    if (!(s > 0)) {
                        throw new SegmentationException("Gaussian mixture: the covariance of component " + (component + 1)
                                + " is singular (a cluster of identical pixels?): raise the regularization or use fewer components.");
                    }
                    L[i * d + i] = Math.sqrt(s);
                } else {
                    L[i * d + j] = s / L[j * d + j];
                }
            }
        }
        return L;
    }

    /** Cluster distinct rows weighted by their count (exact; off only to compare). */
    public boolean deduplicate = true;

    public Result fit(float[] x, int n, int d, Progress progress) {
        Dedup u = deduplicate ? Dedup.of(x, n, d) : null;
        return u == null ? fit(x, null, n, d, progress) : fit(u.x, u.weights, u.rows, d, progress);
    }

    /** EM on rows with weights (null = all 1): row i counts as weights[i] identical rows. */
    public Result fit(float[] x, double[] w, int n, int d, Progress progress) {
        if (nComponents < 1) throw new SegmentationException("nComponents must be at least 1, got " + nComponents + ".");
        if (n < nComponents) {
            throw new SegmentationException("Only " + n + " pixel(s) to cluster but " + nComponents
                    + " Gaussian components were asked for: use a larger image or fewer components.");
        }
        if (maxIterations < 1) throw new SegmentationException("maxIterations must be at least 1, got " + maxIterations + ".");
        if (!(regularization >= 0)) throw new SegmentationException("regularization must be >= 0, got " + regularization + ".");
        progress.report("Gaussian mixture: K-means initialisation", 0);
        KMeans km = new KMeans();
        km.nClusters = nComponents;
        km.nInit = 1;
        km.seed = seed;
        km.threads = threads;
        KMeans.Result init = km.fit(x, w, n, d, progress.range(0, 0.1));
        int[] labels = new int[n];
        KMeans.predict(x, n, d, init.centers, nComponents, labels, threads);
        Stats st = hardStats(x, w, n, d, labels);
        double total = 0;
        for (int i = 0; i < n; i++) total += w == null ? 1 : w[i];
        Model model = mStep(st, total);
        double prev = Double.NEGATIVE_INFINITY, ll = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int it = 0;
        Progress p = progress.range(0.1, 1);
        while (it < maxIterations) {
            p.check();
            p.report("Gaussian mixture EM iteration " + (it + 1), (double) it / maxIterations);
            Stats s = eStep(x, w, n, model);
            ll = s.logLik / total;
            it++;
            model = mStep(s, total);
            if (Math.abs(ll - prev) < tolerance) { converged = true; break; }
            prev = ll;
        }
        // The log-likelihood reported is that of the returned parameters.
        return new Result(model, model.score(x, w, n, threads), it, converged);
    }

    private final class Stats {
        final double[] nk;
        final double[][] s1;
        final double[][] s2;
        double logLik;
        Stats(int k, int d) { nk = new double[k]; s1 = new double[k][d]; s2 = new double[k][d * d]; }
        void add(Stats o) {
            for (int c = 0; c < nk.length; c++) {
                nk[c] += o.nk[c];
                for (int j = 0; j < s1[c].length; j++) s1[c][j] += o.s1[c][j];
                for (int j = 0; j < s2[c].length; j++) s2[c][j] += o.s2[c][j];
            }
            logLik += o.logLik;
        }
    }

    private Stats hardStats(float[] x, double[] w, int n, int d, int[] labels) {
        Stats st = new Stats(nComponents, d);
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            double wi = w == null ? 1.0 : w[i];
            st.nk[c] += wi;
            accumulate(st, c, wi, x, i * d, d);
        }
        return st;
    }

    private void accumulate(Stats st, int c, double r, float[] x, int xo, int d) {
        double[] s1 = st.s1[c], s2 = st.s2[c];
        for (int a = 0; a < d; a++) {
            double ra = r * x[xo + a];
            s1[a] += ra;
            if (covarianceType == CovarianceType.DIAG) {
                s2[a * d + a] += ra * x[xo + a];
            } else {
                for (int b = 0; b <= a; b++) s2[a * d + b] += ra * x[xo + b];
            }
        }
    }

    private Stats eStep(float[] x, double[] w, int n, Model model) {
        int k = model.k, d = model.d;
        List<Stats> parts = Parallel.map(n, threads, ch -> {
            Stats st = new Stats(k, d);
            double[] lp = new double[k], tmp = new double[d];
            for (int i = Parallel.start(ch), e = Parallel.end(ch, n); i < e; i++) {
                model.logProbs(x, i * d, lp, tmp);
                double wi = w == null ? 1.0 : w[i];
                st.logLik += wi * Model.normalise(lp, k);
                for (int c = 0; c < k; c++) {
                    if (lp[c] < 1e-12) continue; // negligible responsibility: skip the outer product
                    double r = wi * lp[c];
                    st.nk[c] += r;
                    accumulate(st, c, r, x, i * d, d);
                }
            }
            return st;
        });
        Stats tot = new Stats(k, d);
        for (Stats s : parts) tot.add(s);
        return tot;
    }

    private Model mStep(Stats st, double n) {
        int k = nComponents, d = st.s1[0].length;
        double[] w = new double[k];
        double[][] mu = new double[k][d], cov = new double[k][d * d];
        for (int c = 0; c < k; c++) {
            double nk = st.nk[c] + 10 * Math.ulp(1.0); // as scikit-learn: keeps empty components finite
            w[c] = nk / n;
            for (int a = 0; a < d; a++) mu[c][a] = st.s1[c][a] / nk;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    if (covarianceType == CovarianceType.DIAG && a != b) continue;
                    double v = st.s2[c][a * d + b] / nk - mu[c][a] * mu[c][b];
                    cov[c][a * d + b] = v;
                    cov[c][b * d + a] = v;
                }
                cov[c][a * d + a] = Math.max(cov[c][a * d + a], 0) + regularization;
            }
        }
        double sw = 0;
        for (double v : w) sw += v;
        for (int c = 0; c < k; c++) w[c] /= sw;
        return new Model(covarianceType, w, mu, cov);
    }
}

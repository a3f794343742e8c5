package io.github.unseg.cluster;

import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * K-means with greedy k-means++ seeding (as in scikit-learn: 2 + ln k candidates per step),
 * several restarts keeping the lowest inertia, and scikit-learn's convergence rule (total squared
 * centre shift <= tolerance * mean feature variance). The iterations are Lloyd's, sped up twice
 * without changing the result: identical rows are clustered once with their count as weight
 * ({@link Dedup}), and Hamerly's distance bounds skip rows whose centre provably did not change.
 * Sums are accumulated in double per fixed-size chunk and reduced in chunk order, so the result
 * does not depend on the thread count.
 */
public final class KMeans {
    public int nClusters = 3;
    public int nInit = 3;
    public int maxIterations = 300;
    public double tolerance = 1e-4;
    public long seed = 1;
    public int threads = Parallel.defaultThreads();

    /** The one place a K-means is set up (the K-means method and both ensembles). */
    public static KMeans of(int nClusters, int nInit, int maxIterations, double tolerance, long seed, int threads) {
        KMeans km = new KMeans();
        km.nClusters = nClusters;
        km.nInit = nInit;
        km.maxIterations = maxIterations;
        km.tolerance = tolerance;
        km.seed = seed;
        km.threads = threads;
        return km;
    }
    /** Cluster distinct rows weighted by their count (exact; off only to compare). */
    public boolean deduplicate = true;

    /** The result of a fit: centres (k x d, row-major), inertia, Lloyd iterations of the best run. */
    public static final class Result {
        public final double[] centers;
        public final int k, d;
        public final double inertia;
        public final int iterations;

        Result(double[] centers, int k, int d, double inertia, int iterations) {
            this.centers = centers; this.k = k; this.d = d; this.inertia = inertia; this.iterations = iterations;
        }
    }

    public Result fit(float[] x, int n, int d, Progress progress) {
        Dedup u = deduplicate ? Dedup.of(x, n, d) : null;
        return u == null ? fit(x, null, n, d, progress) : fit(u.x, u.weights, u.rows, d, progress);
    }

    /** K-means on rows with weights (null = all 1): row i counts as weights[i] identical rows. */
    public Result fit(float[] x, double[] w, int n, int d, Progress progress) {
        if (nClusters < 1) throw new SegmentationException("nClusters must be at least 1, got " + nClusters + ".");
        if (n < nClusters) {
            throw new SegmentationException("Only " + n + " distinct pixel value(s) to cluster but nClusters = " + nClusters
                    + ": use fewer clusters.");
        }
        if (nInit < 1) throw new SegmentationException("nInit must be at least 1, got " + nInit + ".");
        if (maxIterations < 1) throw new SegmentationException("maxIterations must be at least 1, got " + maxIterations + ".");
        double tolScaled = tolerance * meanVariance(x, w, n, d);
        SplittableRandom seeds = new SplittableRandom(seed);
        Result best = null;
        for (int run = 0; run < nInit; run++) {
            progress.check();
            Progress p = progress.range((double) run / nInit, (run + 1.0) / nInit);
            double[] centers = kMeansPlusPlus(x, w, n, d, nClusters, new SplittableRandom(seeds.nextLong()), threads);
            Result r = lloyd(x, w, n, d, centers, tolScaled, p);
            if (best == null || r.inertia < best.inertia) best = r;
        }
        return best;
    }

    private static double wt(double[] w, int i) { return w == null ? 1.0 : w[i]; }

    static double meanVariance(float[] x, double[] w, int n, int d) {
        double total = 0, sw = 0;
        for (int i = 0; i < n; i++) sw += wt(w, i);
        for (int j = 0; j < d; j++) {
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) { double v = x[i * d + j], wi = wt(w, i); s += wi * v; s2 += wi * v * v; }
            double m = s / sw;
            total += Math.max(0, s2 / sw - m * m);
        }
        return total / d;
    }

    /** Greedy k-means++: each new centre is the best of a few candidates drawn by (weighted) D^2. */
    static double[] kMeansPlusPlus(float[] x, double[] w, int n, int d, int k, SplittableRandom rnd, int threads) {
        double[] centers = new double[k * d];
        int trials = 2 + (int) Math.log(k);
        double[] cum = new double[n];
        // First centre: a row drawn with probability proportional to its weight (uniform over pixels).
        int first = w == null ? rnd.nextInt(n) : draw(cumulative(w, null, n, cum), cum, rnd.nextDouble());
        for (int j = 0; j < d; j++) centers[j] = x[first * d + j];
        // Float buffers: D^2 weights need no more precision, and memory traffic dominates here.
        float[] closest = new float[n];
        for (int i = 0; i < n; i++) closest[i] = (float) sqDist(x, i * d, centers, 0, d);
        float[][] candDist = new float[trials][n];
        for (int c = 1; c < k; c++) {
            double acc = cumulative(w, closest, n, cum);
            int[] cand = new int[trials];
            for (int t = 0; t < trials; t++) cand[t] = draw(acc, cum, rnd.nextDouble());
            final float[] cl = closest;
            List<double[]> pots = Parallel.map(n, threads, ch -> {
                int s = Parallel.start(ch), e = Parallel.end(ch, n);
                double[] pot = new double[trials];
                for (int t = 0; t < trials; t++) {
                    int co = cand[t] * d;
                    float[] cd = candDist[t];
                    double acc2 = 0;
                    for (int i = s; i < e; i++) {
                        float dd = 0;
                        for (int j = 0; j < d; j++) { float v = x[i * d + j] - x[co + j]; dd += v * v; }
                        float m = Math.min(cl[i], dd);
                        cd[i] = m;
                        acc2 += w == null ? m : w[i] * m;
                    }
                    pot[t] = acc2;
                }
                return pot;
            });
            int bestT = 0;
            double bestPot = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double p = 0;
                for (double[] part : pots) p += part[t];
                if (p < bestPot) { bestPot = p; bestT = t; }
            }
            float[] swap = closest;
            closest = candDist[bestT];
            candDist[bestT] = swap;
            for (int j = 0; j < d; j++) centers[c * d + j] = x[cand[bestT] * d + j];
        }
        return centers;
    }

    /** Running sums of weight (times D^2 when given) into cum; returns the total. */
    private static double cumulative(double[] w, float[] d2, int n, double[] cum) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += (w == null ? 1.0 : w[i]) * (d2 == null ? 1.0 : d2[i]);
            cum[i] = acc;
        }
        return acc;
    }

    private static int draw(double total, double[] cum, double u) {
        int idx = Arrays.binarySearch(cum, u * total);
        if (idx < 0) idx = -idx - 1;
        return Math.min(idx, cum.length - 1);
    }

    static double sqDist(float[] x, int xo, double[] c, int co, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) { double v = x[xo + j] - c[co + j]; s += v * v; }
        return s;
    }

    private static final class Partial {
        final double[] sums; final double[] counts; double inertia; int changed;
        Partial(int k, int d) { sums = new double[k * d]; counts = new double[k]; }
    }

    private Result lloyd(float[] x, double[] w, int n, int d, double[] centers, double tolScaled, Progress progress) {
        int k = nClusters;
        int[] labels = new int[n];
        // Bounds in float halve the memory traffic; hamerlyAssign's rounding margin keeps them safe.
        float[] upper = new float[n], lower = new float[n];
        double[] half = new double[k];
        double[] drift = null;
        int it = 0;
        for (; it < maxIterations; it++) {
            progress.check();
            progress.report("K-means iteration " + (it + 1), (double) it / maxIterations);
            halfMinSeparation(centers, k, d, half);
            Partial tot = hamerlyAssign(x, w, n, d, k, centers, labels, upper, lower, half, drift, false, threads);
            double[] next = new double[k * d];
            for (int c = 0; c < k; c++) {
                if (tot.counts[c] == 0) continue;
                for (int j = 0; j < d; j++) next[c * d + j] = tot.sums[c * d + j] / tot.counts[c];
            }
            boolean relocated = relocateEmpty(x, n, d, k, centers, next, tot.counts, labels);
            double shift = 0;
            drift = new double[k];
            for (int c = 0; c < k; c++) {
                double dc = 0;
                for (int j = 0; j < d; j++) { double v = next[c * d + j] - centers[c * d + j]; dc += v * v; }
                shift += dc;
                drift[c] = Math.sqrt(dc);
            }
            System.arraycopy(next, 0, centers, 0, k * d);
            if (tot.changed == 0 && !relocated) { it++; break; } // labels stable: converged exactly
            if (shift <= tolScaled) { it++; break; }
        }
        // Final assignment against the final centres (bounds spare most distances), with inertia.
        halfMinSeparation(centers, k, d, half);
        Partial fin = hamerlyAssign(x, w, n, d, k, centers, labels, upper, lower, half, drift, true, threads);
        return new Result(centers, k, d, fin.inertia, it);
    }

    private static void halfMinSeparation(double[] centers, int k, int d, double[] half) {
        Arrays.fill(half, Double.POSITIVE_INFINITY);
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double dd = 0;
                for (int j = 0; j < d; j++) { double v = centers[a * d + j] - centers[b * d + j]; dd += v * v; }
                double h = 0.5 * Math.sqrt(dd);
                if (h < half[a]) half[a] = h;
                if (h < half[b]) half[b] = h;
            }
        }
    }

    /**
     * One assignment pass with Hamerly's bounds. {@code drift} (null on the first pass, when every
     * row is searched) is how far each centre moved since the bounds were set: the row's own centre's
     * drift loosens its upper bound, the largest drift of any other centre lowers its lower bound.
     */
    private static Partial hamerlyAssign(float[] x, double[] w, int n, int d, int k, double[] centers, int[] labels,
                                         float[] upper, float[] lower, double[] half, double[] drift,
                                         boolean withInertia, int threads) {
        final boolean first = drift == null;
        int top = 0;
        double topD = 0, secondD = 0;
        if (!first) {
            for (int c = 1; c < k; c++) if (drift[c] > drift[top]) top = c;
            topD = drift[top];
            for (int c = 0; c < k; c++) if (c != top && drift[c] > secondD) secondD = drift[c];
        }
        final int topC = top;
        final double topDrift = topD, secondDrift = secondD;
        List<Partial> parts = Parallel.map(n, threads, ch -> {
            Partial p = new Partial(k, d);
            for (int i = Parallel.start(ch), e = Parallel.end(ch, n); i < e; i++) {
                int xo = i * d, a = labels[i];
                boolean search = first;
                if (!first) {
                    // Relative margins of 1e-6 keep the float bounds on the safe side of rounding.
                    double u = (upper[i] + drift[a]) * (1 + 1e-6);
                    double l = (lower[i] - (a == topC ? secondDrift : topDrift)) * (1 - 1e-6);
                    double m = Math.max(half[a], l);
                    if (u > m) {
                        u = Math.sqrt(sqDist(x, xo, centers, a * d, d)); // tighten
                        search = u > m;
                    }
                    upper[i] = (float) u;
                    lower[i] = (float) l;
                }
                if (search) {
                    int best = 0;
                    double b1 = Double.POSITIVE_INFINITY, b2 = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        double dd = 0;
                        int co = c * d;
                        for (int j = 0; j < d; j++) { double v = x[xo + j] - centers[co + j]; dd += v * v; }
                        if (dd < b1) { b2 = b1; b1 = dd; best = c; }
                        else if (dd < b2) b2 = dd;
                    }
                    upper[i] = (float) Math.sqrt(b1);
                    lower[i] = (float) Math.sqrt(b2);
                    if (first || labels[i] != best) p.changed++;
                    labels[i] = best;
                    a = best;
                }
                double wi = w == null ? 1.0 : w[i];
                p.counts[a] += wi;
                int so = a * d;
                for (int j = 0; j < d; j++) p.sums[so + j] += wi * x[xo + j];
                if (withInertia) p.inertia += wi * sqDist(x, xo, centers, so, d);
            }
            return p;
        });
        Partial tot = new Partial(k, d);
        for (Partial p : parts) {
            for (int i = 0; i < tot.sums.length; i++) tot.sums[i] += p.sums[i];
            for (int c = 0; c < k; c++) tot.counts[c] += p.counts[c];
            tot.changed += p.changed;
            tot.inertia += p.inertia;
        }
        return tot;
    }

    /** Empty clusters take the rows farthest from their centres (as scikit-learn does). */
    private static boolean relocateEmpty(float[] x, int n, int d, int k, double[] old, double[] next, double[] counts, int[] labels) {
        int empty = 0;
        for (int c = 0; c < k; c++) if (counts[c] == 0) empty++;
        if (empty == 0) return false;
        boolean[] taken = new boolean[n];
        for (int c = 0; c < k; c++) {
            if (counts[c] != 0) continue;
            int far = -1;
            double fd = -1;
            for (int i = 0; i < n; i++) {
                if (taken[i]) continue;
                double dd = sqDist(x, i * d, old, labels[i] * d, d);
                if (dd > fd) { fd = dd; far = i; }
            }
            taken[far] = true;
            for (int j = 0; j < d; j++) next[c * d + j] = x[far * d + j];
        }
        return true;
    }

    /** Nearest-centre labels (0-based) for every row. */
    public static void predict(float[] x, int n, int d, double[] centers, int k, int[] out, int threads) {
        Parallel.map(n, threads, ch -> {
            int s = Parallel.start(ch), e = Parallel.end(ch, n);
            for (int i = s; i < e; i++) {
                int xo = i * d, best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dd = 0;
                    int co = c * d;
                    for (int j = 0; j < d; j++) { double v = x[xo + j] - centers[co + j]; dd += v * v; }
                    if (dd < bd) { bd = dd; best = c; }
                }
                out[i] = best;
            }
            return null;
        });
    }
}

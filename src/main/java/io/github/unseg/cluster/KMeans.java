package io.github.unseg.cluster;

import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lloyd's K-means with greedy k-means++ seeding (as in scikit-learn: 2 + ln k candidates per
 * step), several restarts keeping the lowest inertia, and scikit-learn's convergence rule
 * (total squared centre shift <= tolerance * mean feature variance). Rows are float feature
 * vectors; sums are accumulated in double per fixed-size chunk and reduced in chunk order.
 */
public final class KMeans {
    public int nClusters = 3;
    public int nInit = 3;
    public int maxIterations = 300;
    public double tolerance = 1e-4;
    public long seed = 1;
    public int threads = Parallel.defaultThreads();

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
        if (nClusters < 1) throw new SegmentationException("nClusters must be at least 1, got " + nClusters + ".");
        if (n < nClusters) {
            throw new SegmentationException("Only " + n + " pixel(s) to cluster but nClusters = " + nClusters
                    + ": use a larger image or fewer clusters.");
        }
        if (nInit < 1) throw new SegmentationException("nInit must be at least 1, got " + nInit + ".");
        if (maxIterations < 1) throw new SegmentationException("maxIterations must be at least 1, got " + maxIterations + ".");
        double tolScaled = tolerance * meanVariance(x, n, d);
        SplittableRandom seeds = new SplittableRandom(seed);
        Result best = null;
        for (int run = 0; run < nInit; run++) {
            progress.check();
            Progress p = progress.range((double) run / nInit, (run + 1.0) / nInit);
            double[] centers = kMeansPlusPlus(x, n, d, nClusters, new SplittableRandom(seeds.nextLong()), threads);
            Result r = lloyd(x, n, d, centers, tolScaled, p);
            if (best == null || r.inertia < best.inertia) best = r;
        }
        return best;
    }

    static double meanVariance(float[] x, int n, int d) {
        double total = 0;
        for (int j = 0; j < d; j++) {
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) { double v = x[i * d + j]; s += v; s2 += v * v; }
            double m = s / n;
            total += Math.max(0, s2 / n - m * m);
        }
        return total / d;
    }

    /** Greedy k-means++: each new centre is the best of a few candidates drawn by D^2 weighting. */
    static double[] kMeansPlusPlus(float[] x, int n, int d, int k, SplittableRandom rnd, int threads) {
        double[] centers = new double[k * d];
        int trials = 2 + (int) Math.log(k);
        int first = rnd.nextInt(n);
        for (int j = 0; j < d; j++) centers[j] = x[first * d + j];
        double[] closest = new double[n];
        for (int i = 0; i < n; i++) closest[i] = sqDist(x, i * d, centers, 0, d);
        double pot = sum(closest);
        double[] cum = new double[n];
        double[][] candDist = new double[trials][];
        for (int c = 1; c < k; c++) {
            double acc = 0;
            for (int i = 0; i < n; i++) { acc += closest[i]; cum[i] = acc; }
            int[] cand = new int[trials];
            for (int t = 0; t < trials; t++) {
                double r = rnd.nextDouble() * acc;
                int idx = Arrays.binarySearch(cum, r);
                if (idx < 0) idx = -idx - 1;
                cand[t] = Math.min(idx, n - 1);
            }
            // Distances from every row to each candidate, in parallel over row chunks.
            for (int t = 0; t < trials; t++) candDist[t] = new double[n];
            Parallel.map(n, threads, ch -> {
                int s = Parallel.start(ch), e = Parallel.end(ch, n);
                for (int t = 0; t < trials; t++) {
                    int co = cand[t] * d;
                    double[] cd = candDist[t];
                    for (int i = s; i < e; i++) {
                        double dd = 0;
                        for (int j = 0; j < d; j++) { double v = x[i * d + j] - x[co + j]; dd += v * v; }
                        cd[i] = Math.min(closest[i], dd);
                    }
                }
                return null;
            });
            int bestT = 0;
            double bestPot = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double p = sum(candDist[t]);
                if (p < bestPot) { bestPot = p; bestT = t; }
            }
            System.arraycopy(candDist[bestT], 0, closest, 0, n);
            pot = bestPot;
            for (int j = 0; j < d; j++) centers[c * d + j] = x[cand[bestT] * d + j];
        }
        return centers;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }

    static double sqDist(float[] x, int xo, double[] c, int co, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) { double v = x[xo + j] - c[co + j]; s += v * v; }
        return s;
    }

    private static final class Partial {
        final double[] sums; final long[] counts; double inertia; int changed;
        Partial(int k, int d) { sums = new double[k * d]; counts = new long[k]; }
    }

    private Result lloyd(float[] x, int n, int d, double[] centers, double tolScaled, Progress progress) {
        int k = nClusters;
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        int it = 0;
        for (; it < maxIterations; it++) {
            progress.check();
            progress.report("K-means iteration " + (it + 1), (double) it / maxIterations);
            Partial tot = assignAndSum(x, n, d, k, centers, labels, threads);
            double[] next = new double[k * d];
            for (int c = 0; c < k; c++) {
                if (tot.counts[c] == 0) continue;
                for (int j = 0; j < d; j++) next[c * d + j] = tot.sums[c * d + j] / tot.counts[c];
            }
            relocateEmpty(x, n, d, k, centers, next, tot.counts, labels);
            double shift = 0;
            for (int i = 0; i < k * d; i++) { double v = next[i] - centers[i]; shift += v * v; }
            System.arraycopy(next, 0, centers, 0, k * d);
            if (tot.changed == 0) { it++; break; } // labels stable: converged exactly
            if (shift <= tolScaled) { it++; break; }
        }
        // Final assignment against the final centres, so inertia and centres agree.
        Partial fin = assignAndSum(x, n, d, k, centers, labels, threads);
        return new Result(centers, k, d, fin.inertia, it);
    }

    private static Partial assignAndSum(float[] x, int n, int d, int k, double[] centers, int[] labels, int threads) {
        List<Partial> parts = Parallel.map(n, threads, ch -> {
            Partial p = new Partial(k, d);
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
                if (labels[i] != best) { labels[i] = best; p.changed++; }
                p.counts[best]++;
                p.inertia += bd;
                int so = best * d;
                for (int j = 0; j < d; j++) p.sums[so + j] += x[xo + j];
            }
            return p;
        });
        Partial tot = new Partial(k, d);
        for (Partial p : parts) {
            for (int i = 0; i < tot.sums.length; i++) tot.sums[i] += p.sums[i];
            for (int c = 0; c < k; c++) tot.counts[c] += p.counts[c];
            tot.inertia += p.inertia;
            tot.changed += p.changed;
        }
        return tot;
    }

    /** Empty clusters take the rows farthest from their centres (as scikit-learn does). */
    private static void relocateEmpty(float[] x, int n, int d, int k, double[] old, double[] next, long[] counts, int[] labels) {
        int empty = 0;
        for (int c = 0; c < k; c++) if (counts[c] == 0) empty++;
        if (empty == 0) return;
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

    /** Sum of squared distances of rows to their nearest centre. */
    public static double inertia(float[] x, int n, int d, double[] centers, int k, int threads) {
        List<double[]> parts = Parallel.map(n, threads, ch -> {
            int s = Parallel.start(ch), e = Parallel.end(ch, n);
            double acc = 0;
            for (int i = s; i < e; i++) {
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) bd = Math.min(bd, sqDist(x, i * d, centers, c * d, d));
                acc += bd;
            }
            return new double[]{acc};
        });
        double t = 0;
        for (double[] p : parts) t += p[0];
        return t;
    }
}

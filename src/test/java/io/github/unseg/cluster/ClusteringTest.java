package io.github.unseg.cluster;

import io.github.unseg.core.CancelledException;
import io.github.unseg.core.Progress;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusteringTest {

    @Test
    void kMeansHandWorkedExample() {
        // Points 0, 1, 10, 11 (1D), k = 2: centres 0.5 and 10.5, inertia 4 * 0.25 = 1.
        float[] x = {0, 1, 10, 11};
        KMeans km = new KMeans();
        km.nClusters = 2;
        KMeans.Result r = km.fit(x, 4, 1, Progress.NONE);
        double lo = Math.min(r.centers[0], r.centers[1]), hi = Math.max(r.centers[0], r.centers[1]);
        assertEquals(0.5, lo, 1e-12);
        assertEquals(10.5, hi, 1e-12);
        assertEquals(1.0, r.inertia, 1e-12);
        int[] lab = new int[4];
        KMeans.predict(x, 4, 1, r.centers, 2, lab, 1);
        assertEquals(lab[0], lab[1]);
        assertEquals(lab[2], lab[3]);
        assertTrue(lab[0] != lab[2]);
    }

    @Test
    void kMeansRestartsNeverWorsenInertia() {
        Random rnd = new Random(5);
        int n = 3000, d = 2;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        KMeans one = new KMeans(), five = new KMeans();
        one.nClusters = five.nClusters = 7;
        one.nInit = 1;
        five.nInit = 5;
        // same seed: the first restart of 'five' is the only run of 'one'
        assertTrue(five.fit(x, n, d, Progress.NONE).inertia <= one.fit(x, n, d, Progress.NONE).inertia + 1e-9);
    }

    @Test
    void gaussianMixtureRecoversParameters() {
        // 2D mixture: weights 0.3/0.7, means (0,0) and (5,5), covariances with correlation.
        Random rnd = new Random(9);
        int n = 20000, d = 2;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            boolean first = rnd.nextDouble() < 0.3;
            double a = rnd.nextGaussian(), b = rnd.nextGaussian();
            if (first) { x[2 * i] = (float) a; x[2 * i + 1] = (float) (0.8 * a + 0.6 * b); }
            else { x[2 * i] = (float) (5 + 0.5 * a); x[2 * i + 1] = (float) (5 + 0.5 * b); }
        }
        GaussianMixture g = new GaussianMixture();
        g.nComponents = 2;
        g.tolerance = 1e-6;
        GaussianMixture.Result r = g.fit(x, n, d, Progress.NONE);
        int lo = r.model.means[0][0] < r.model.means[1][0] ? 0 : 1, hi = 1 - lo;
        assertEquals(0.3, r.model.weights[lo], 0.02);
        assertEquals(0.0, r.model.means[lo][0], 0.05);
        assertEquals(5.0, r.model.means[hi][1], 0.05);
        assertEquals(1.0, r.model.covariances[lo][0], 0.05);
        assertEquals(0.8, r.model.covariances[lo][1], 0.05);   // covariance of the correlated component
        assertEquals(0.25, r.model.covariances[hi][3], 0.02);
        assertEquals(0.0, r.model.covariances[hi][1], 0.02);
        assertTrue(r.converged);
        // The log-likelihood of the fit beats that of a single Gaussian.
        g.nComponents = 1;
        assertTrue(r.meanLogLikelihood > g.fit(x, n, d, Progress.NONE).meanLogLikelihood + 0.5);
    }

    @Test
    void cancellationStopsTheFit() {
        float[] x = new float[20000];
        new Random(1).ints(20000, 0, 1000).forEach(new java.util.function.IntConsumer() {
            int i; public void accept(int v) { x[i++] = v; }
        });
        KMeans km = new KMeans();
        km.nClusters = 4;
        Progress cancelAtOnce = new Progress() {
            @Override public void report(String m, double f) { }
            @Override public boolean isCancelled() { return true; }
        };
        assertThrows(CancelledException.class, () -> km.fit(x, 20000, 1, cancelAtOnce));
    }

    @Test
    void parallelChunksGiveTheSameSumsAsOneThread() {
        Random rnd = new Random(3);
        int n = 100_000, d = 3;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        KMeans a = new KMeans(), b = new KMeans();
        a.nClusters = b.nClusters = 5;
        a.threads = 1;
        b.threads = 4;
        KMeans.Result ra = a.fit(x, n, d, Progress.NONE), rb = b.fit(x, n, d, Progress.NONE);
        assertArrayEquals(ra.centers, rb.centers, 0.0);
        assertEquals(ra.inertia, rb.inertia, 0.0);
    }
}

package io.github.unseg.core;

import io.github.unseg.cluster.Dedup;
import io.github.unseg.cluster.Parallel;
import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small core pieces, against values computed by hand. */
class CoreTest {

    private static RawPixels raw(float[] xy, int w, int h) {
        return RawPixels.of(Image5D.ofXY(ArrayImgs.floats(xy.clone(), w, h)));
    }

    /** Image5D.channels: a run of channels (an interval) and any other list (stacked), values and order kept. */
    @Test
    void channelViewsKeepValuesAndOrder() {
        float[] v = new float[2 * 2 * 3 * 2];   // X 2, Y 2, C 3, Z 2: value = 100 c + 10 z + (y * 2 + x)
        for (int z = 0; z < 2; z++) for (int c = 0; c < 3; c++) for (int p = 0; p < 4; p++) v[((z * 3) + c) * 4 + p] = 100 * c + 10 * z + p;
        Image5D img = Image5D.wrap(net.imglib2.view.Views.addDimension(ArrayImgs.floats(v, 2, 2, 3, 2), 0, 0));
        for (int[] ids : new int[][]{{1}, {1, 2}, {2, 0}}) {
            Image5D sel = img.channels(ids);
            assertEquals(ids.length, sel.channels());
            assertEquals(2, sel.depth());
            net.imglib2.RandomAccess<? extends net.imglib2.type.numeric.RealType<?>> ra = sel.data().randomAccess();
            for (int c = 0; c < ids.length; c++) {
                ra.setPosition(new long[]{1, 1, c, 1, 0});
                assertEquals(100 * ids[c] + 10 + 3, ra.get().getRealFloat(), 0, java.util.Arrays.toString(ids) + " channel " + c);
            }
        }
    }

    @Test
    void sampleIndicesAreDistinctSortedSeededAndUniform() {
        long[] a = Sampling.sampleIndices(1000, 100, 7), b = Sampling.sampleIndices(1000, 100, 7);
        assertArrayEquals(a, b, "same seed, same sample");
        assertEquals(100, a.length);
        for (int i = 1; i < a.length; i++) assertTrue(a[i] > a[i - 1], "increasing, no repeats");
        assertTrue(a[0] >= 0 && a[99] < 1000);
        assertEquals(10, Sampling.sampleIndices(10, 100, 1).length, "k > n gives all n");
        // Uniform: each of 10 indices drawn ~ k/n of the time over many seeds (5 of 10: 0.5).
        int[] hits = new int[10];
        for (long s = 0; s < 4000; s++) for (long i : Sampling.sampleIndices(10, 5, s)) hits[(int) i]++;
        for (int h : hits) assertEquals(0.5, h / 4000.0, 0.04, Arrays.toString(hits));
    }

    @Test
    void sampleRowsKeepsWholeRowsInOrderAcrossMatrices() {
        // Two matrices of 2-dim rows whose values encode (matrix, row).
        float[] x1 = new float[20], x2 = new float[30];
        for (int r = 0; r < 10; r++) { x1[2 * r] = r; x1[2 * r + 1] = -r; }
        for (int r = 0; r < 15; r++) { x2[2 * r] = 100 + r; x2[2 * r + 1] = -(100 + r); }
        List<FeatureMatrix> ms = List.of(new FeatureMatrix(x1, 10, 2, null, 10), new FeatureMatrix(x2, 15, 2, null, 15));
        int[] rows = new int[1];
        float[] all = Sampling.sampleRows(ms, 0, 1, rows);
        assertEquals(25, rows[0]);
        assertEquals(100f, all[20]);
        float[] some = Sampling.sampleRows(ms, 8, 3, rows);
        assertEquals(8, rows[0]);
        for (int r = 0; r < 8; r++) {
            assertEquals(0, some[2 * r] + some[2 * r + 1], "a row stays whole");
            if (r > 0) assertTrue(some[2 * r] > some[2 * r - 2], "rows keep their order");
        }
        assertArrayEquals(some, Sampling.sampleRows(ms, 8, 3, rows));
    }

    @Test
    void distinctRowsCountsUpToTheLimit() {
        float[] x = {1, 2, 1, 2, 3, 4, -0f, 0f};
        assertEquals(2, Sampling.distinctRows(x, 3, 2, 10));
        assertEquals(3, Sampling.distinctRows(x, 4, 2, 10));
        assertEquals(2, Sampling.distinctRows(x, 4, 2, 2));
        assertEquals(2, Sampling.distinctRows(new float[]{-0f, 0f}, 2, 1, 10), "-0 and 0 are different bits");
    }

    @Test
    void smoothingMatchesAHandComputedKernelAndKeepsConstants() {
        // A single bright pixel on a 9x9 plane: its smoothed values are the 2D kernel, normalised
        // (the mirror at the borders does not reach the centre for sigma 1, radius 3).
        int w = 9, h = 9;
        float[] img = new float[w * h];
        img[4 * w + 4] = 1;
        RawPixels r = raw(img, w, h);
        Smoothing.gaussian(r, w, h, 1.0, 1);
        double[] k = new double[7];
        double sum = 0;
        for (int i = -3; i <= 3; i++) sum += k[i + 3] = Math.exp(-0.5 * i * i);
        for (int i = 0; i < 7; i++) k[i] /= sum;
        for (int y = 1; y < 8; y++) for (int x = 1; x < 8; x++) {
            assertEquals(k[x - 1] * k[y - 1], r.values[y * w + x], 1e-6, "at " + x + "," + y);
        }
        float[] flat = new float[30];
        Arrays.fill(flat, 5f);
        RawPixels f = raw(flat, 6, 5);
        Smoothing.gaussian(f, 6, 5, 2.5, 2);
        for (float v : f.values) assertEquals(5f, v, 1e-5, "a constant image stays constant (mirrored borders)");
        RawPixels none = raw(img, w, h);
        Smoothing.gaussian(none, w, h, 0, 1);
        assertArrayEquals(img, none.values, "sigma 0 = no smoothing");
    }

    @Test
    void smoothingGivesTheSameValuesOnAnyNumberOfThreads() {
        int w = 37, h = 23;
        float[] img = new float[w * h * 2];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < img.length; i++) img[i] = rnd.nextFloat();
        img[5] = Float.NaN;
        float[] one = null;
        for (int t : new int[]{1, 2, 3, 8}) {
            RawPixels r = RawPixels.of(Image5D.ofXYC(ArrayImgs.floats(img.clone(), w, h, 2)));   // two channels
            Smoothing.gaussian(r, w, h, 1.7, t);
            if (one == null) one = r.values; else assertArrayEquals(one, r.values, t + " threads");
        }
    }

    @Test
    void smoothingLeavesNaNOutOfTheAverages() {
        float[] img = {1, Float.NaN, 3, 1, 1, 3};
        RawPixels r = raw(img, 3, 2);
        Smoothing.gaussian(r, 3, 2, 0.8, 1);
        assertTrue(Float.isNaN(r.values[1]), "NaN stays NaN");
        for (int i = 0; i < 6; i++) if (i != 1) assertTrue(r.values[i] >= 1 && r.values[i] <= 3, "no NaN leaks: " + r.values[i]);
    }

    @Test
    void scalerFitsMinMaxAndZScorePerChannelSkippingNaN() {
        // Two channels over 4 pixels: (0,10) (2,10) (4,10) (NaN,10).
        float[] xyc = {0, 2, 4, Float.NaN, 10, 10, 10, 10};
        RawPixels r = RawPixels.of(Image5D.ofXYC(ArrayImgs.floats(xyc, 2, 2, 2)));
        FeatureScaler mm = FeatureScaler.fit(Normalization.MINMAX, List.of(r));
        assertArrayEquals(new double[]{0, 10}, mm.offset);
        assertArrayEquals(new double[]{0.25, 1.0}, mm.scale, "a constant channel is not divided by 0");
        FeatureScaler z = FeatureScaler.fit(Normalization.ZSCORE, List.of(r));
        assertEquals(2.0, z.offset[0], 1e-12);
        assertEquals(1 / Math.sqrt(8.0 / 3), z.scale[0], 1e-12);
        FeatureScaler none = FeatureScaler.fit(Normalization.NONE, List.of(r));
        assertArrayEquals(new double[]{0, 0}, none.offset);
        assertArrayEquals(new double[]{1, 1}, none.scale);
        // Fitted on two images: the range of both.
        RawPixels other = raw(new float[]{-4, 8}, 2, 1);
        FeatureScaler both = FeatureScaler.fit(Normalization.MINMAX, List.of(raw(new float[]{0, 2}, 2, 1), other));
        assertEquals(-4, both.offset[0]);
        assertEquals(1 / 12.0, both.scale[0], 1e-15);
    }

    @Test
    void dedupCountsIdenticalRowsInFirstOccurrenceOrder() {
        int n = 6000, d = 2;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) { x[2 * i] = i % 3; x[2 * i + 1] = (i % 3) * 10; }
        Dedup u = Dedup.of(x, n, d);
        assertEquals(3, u.rows);
        assertArrayEquals(new float[]{0, 0, 1, 10, 2, 20}, u.x);
        assertArrayEquals(new double[]{2000, 2000, 2000}, u.weights);
        assertNull(Dedup.of(x, 100, d), "small inputs are not worth it");
        float[] distinct = new float[n];
        for (int i = 0; i < n; i++) distinct[i] = i;
        assertNull(Dedup.of(distinct, n, 1), "few repeats: no dedup");
    }

    @Test
    void parallelRunsEveryIndexOnceAndReturnsChunksInOrder() {
        for (int threads : new int[]{1, 2, 5}) {
            AtomicInteger[] seen = new AtomicInteger[1000];
            for (int i = 0; i < seen.length; i++) seen[i] = new AtomicInteger();
            Parallel.forEach(1000, threads, i -> seen[i].incrementAndGet());
            for (AtomicInteger s : seen) assertEquals(1, s.get());
            int rows = 3 * Parallel.CHUNK + 5;
            List<Integer> starts = Parallel.map(rows, threads, Parallel::start);
            assertEquals(List.of(0, Parallel.CHUNK, 2 * Parallel.CHUNK, 3 * Parallel.CHUNK), starts);
            assertEquals(rows, Parallel.end(3, rows));
        }
        // A failing task's exception reaches the caller as it was thrown.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forEach(50, 2, i -> { if (i == 17) throw new IllegalArgumentException("task 17"); }));
        assertEquals("task 17", e.getMessage());
        // Work is spread over more than one thread when asked.
        Set<Thread> names = Collections.synchronizedSet(new HashSet<>());
        Parallel.forEach(8, 2, i -> { names.add(Thread.currentThread()); sleep(); });
        assertEquals(2, names.size(), names.toString());
    }

    private static void sleep() {
        try { Thread.sleep(20); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }
}

package io.github.unseg.label;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutlineContrastTest {
    /** White noise, and bright discs on it: the pixels above a cut, as objects (4-connected pieces). */
    private static float[] field(int w, int h, boolean discs, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx = x % 40 - 20, dy = y % 40 - 20;
                a[y * w + x] = (float) (30 + (discs && dx * dx + dy * dy <= 100 ? 40 : 0) + 8 * rnd.nextGaussian());
            }
        }
        return a;
    }

    private static int[] objectsAbove(float[] a, float cut, int w, int h) {
        float[] s = a.clone();
        Instances.gaussian(s, w, h, 1, 1.0);   // as a segmentation smoothing first would cut it
        boolean[] fg = new boolean[a.length];
        for (int p = 0; p < a.length; p++) fg[p] = s[p] > cut;
        return Instances.components(fg, w, h, 1);
    }

    /**
     * The smoothed noise's peaks (cut 1.3 of its standard deviations above its mean) as objects:
     * their outlines are as weak as the rest of the field; discs of 5 noise levels on it are not.
     */
    @Test
    void theNoiseOfAnEmptyFieldCutIntoObjectsHasWeakOutlines() {
        int w = 200, h = 200;
        for (long seed = 1; seed <= 3; seed++) {
            float[] noise = field(w, h, false, seed);
            double c = OutlineContrast.of(objectsAbove(noise, 33, w, h), noise, w, h, 1);
            assertTrue(c < OutlineContrast.EMPTY_FIELD, "empty field, seed " + seed + ": " + c);
            float[] cells = field(w, h, true, seed);
            double d = OutlineContrast.of(objectsAbove(cells, 50, w, h), cells, w, h, 1);
            assertTrue(d > 3, "discs, seed " + seed + ": " + d);
        }
    }

    /** Each object's own figure, as the measurements' column gives it: discs strong, the noise's blobs weak. */
    @Test
    void eachObjectHasItsOwnFigure() {
        int w = 200, h = 200;
        float[] cells = field(w, h, true, 2);
        int[] ids = objectsAbove(cells, 50, w, h);
        double[] per = OutlineContrast.perObject(ids, cells, w, h, 1);
        java.util.List<Measurements.Row> rows = Measurements.of(ids, cells, w, h, 1);
        assertEquals(25, rows.size());
        for (Measurements.Row r : rows) {
            assertTrue(per[r.label] > 3, "disc " + r.label + ": " + per[r.label]);
            assertEquals(per[r.label], r.outlineContrast, 0.0);
        }
        float[] noise = field(w, h, false, 2);
        double[] blobs = OutlineContrast.perObject(objectsAbove(noise, 33, w, h), noise, w, h, 1);
        int weak = 0, counted = 0;
        for (int id = 1; id < blobs.length; id++) {
            if (Double.isNaN(blobs[id])) continue;
            counted++;
            if (blobs[id] < 2) weak++;
        }
        assertTrue(counted > 20 && weak > 0.9 * counted, weak + " of " + counted + " blobs under 2");
    }

    /** A volume is measured plane by plane: two copies of one plane give that plane's figures. */
    @Test
    void aVolumeIsMeasuredPlaneByPlane() {
        int w = 200, h = 200;
        float[] cells = field(w, h, true, 4);
        int[] ids = objectsAbove(cells, 50, w, h);
        float[] vol = new float[2 * w * h];
        int[] volIds = new int[2 * w * h];
        for (int z = 0; z < 2; z++) {
            System.arraycopy(cells, 0, vol, z * w * h, w * h);
            System.arraycopy(ids, 0, volIds, z * w * h, w * h);
        }
        double[] plane = OutlineContrast.perObject(ids, cells, w, h, 1), volume = OutlineContrast.perObject(volIds, vol, w, h, 2);
        for (int id = 1; id < plane.length; id++) assertEquals(plane[id], volume[id], 1e-6 * plane[id], "object " + id);
        assertEquals(OutlineContrast.of(ids, cells, w, h, 1), OutlineContrast.of(volIds, vol, w, h, 2), 1e-6);
    }

    @Test
    void noObjectsOrAFlatBackgroundSayNothing() {
        int w = 60, h = 60;
        float[] noise = field(w, h, false, 1);
        assertTrue(Double.isNaN(OutlineContrast.of(new int[w * h], noise, w, h, 1)), "no object");
        float[] flat = new float[w * h];
        int[] ids = new int[w * h];
        for (int y = 20; y < 40; y++) for (int x = 20; x < 40; x++) { ids[y * w + x] = 1; flat[y * w + x] = 100; }
        assertTrue(Double.isNaN(OutlineContrast.of(ids, flat, w, h, 1)), "a noise-free background: no figure");
        float[] masked = noise.clone();
        java.util.Arrays.fill(masked, Float.NaN);
        assertTrue(Double.isNaN(OutlineContrast.of(ids, masked, w, h, 1)), "all masked");
    }
}

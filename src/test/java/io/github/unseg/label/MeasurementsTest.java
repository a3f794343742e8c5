package io.github.unseg.label;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeasurementsTest {
    /** Two labels on a 5 x 3 plane, figures worked out by hand. */
    @Test
    void sizesCentroidsIntensitiesAndBoxesByHand() {
        int[] labels = {
                0, 1, 1, 0, 0,
                0, 1, 0, 0, 3,
                0, 0, 0, 3, 3};
        float[] in = {
                9, 2, 4, 9, 9,
                9, 6, 9, 9, 1,
                9, 9, 9, Float.NaN, 5};
        List<Measurements.Row> rows = Measurements.of(labels, in, 5, 3, 1);
        assertEquals(2, rows.size(), "labels 1 and 3 (2 is absent)");
        Measurements.Row a = rows.get(0), b = rows.get(1);
        assertEquals(1, a.label);
        assertEquals(3, a.pixels);
        assertEquals((1 + 2 + 1) / 3.0 + 0.5, a.centroidX(), 1e-12);   // x of (1,0), (2,0), (1,1)
        assertEquals((0 + 0 + 1) / 3.0 + 0.5, a.centroidY(), 1e-12);
        assertEquals(4.0, a.mean(), 1e-12);                          // (2 + 4 + 6) / 3
        assertEquals(2f, a.min);
        assertEquals(6f, a.max);
        assertEquals("1,1,3,0.75,micron^2,1.833,0.833,0.500,4,2,6,1,0,0,2,2,1", Measurements.csv(a, 1, 0, 0.25, "micron^2"));
        assertEquals(3, b.label);
        assertEquals(3, b.pixels);
        assertEquals(3.0, b.mean(), 1e-12);                          // NaN left out: (1 + 5) / 2
        assertEquals("3,2,3,3,pixel^2,4.167,2.167,5.500,3,1,5,3,1,5,2,2,1", Measurements.csv(b, 2, 5, 1, "pixel^2"));
    }

    /** A block two slices deep: the centroid's z and the box's depth; an all-NaN label's intensity is NaN. */
    @Test
    void volumesAndUnmeasurableIntensity() {
        int[] labels = {1, 0, 0, 0, /* z = 1 */ 1, 1, 0, 2};
        float[] in = {1, 0, 0, 0, 3, 5, 0, Float.NaN};
        List<Measurements.Row> rows = Measurements.of(labels, in, 2, 2, 2);
        Measurements.Row a = rows.get(0), b = rows.get(1);
        assertEquals(3, a.pixels);
        assertEquals(2 / 3.0 + 0.5, a.centroidZ(), 1e-12);
        assertEquals(2, a.z1 - a.z0 + 1);
        assertEquals(3.0, a.mean(), 1e-12);
        assertTrue(Double.isNaN(b.mean()));
        assertTrue(Measurements.csv(b, 1, 0, 1, "pixel^3").contains(",NaN,NaN,NaN,"), Measurements.csv(b, 1, 0, 1, "pixel^3"));
    }
}

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
        assertEquals("1,1,3,0.75,micron^2,1.833,0.833,0.500,4,2,6,1,0,0,2,2,1,5.918,1.000,2.582,1.764,45.000,1.464,NaN", Measurements.csv(a, 1, 0, 0.25, "micron^2"));
        assertEquals(3, b.label);
        assertEquals(3, b.pixels);
        assertEquals(3.0, b.mean(), 1e-12);                          // NaN left out: (1 + 5) / 2
        assertEquals("3,2,3,3,pixel^2,4.167,2.167,5.500,3,1,5,3,1,5,2,2,1,5.918,1.000,2.582,1.764,45.000,1.464,NaN", Measurements.csv(b, 2, 5, 1, "pixel^2"));
    }

    /**
     * Shape columns by hand: a 20 x 10 box (ellipse of the same moments 4 sqrt(400/12) by
     * 4 sqrt(100/12), angle 0; Crofton perimeter pi/8 (20 + 40 + 2 x 58 / sqrt 2)), a disk of
     * radius 10 (perimeter near 2 pi 10, circularity 1, axes near 20) and a diagonal line rising to
     * the right (45 degrees, counterclockwise with y up).
     */
    @Test
    void shapesByHand() {
        int w = 80, h = 40;
        int[] labels = new int[w * h];
        for (int y = 5; y < 15; y++) for (int x = 2; x < 22; x++) labels[y * w + x] = 1;
        for (int y = 0; y < h; y++) for (int x = 30; x < 60; x++) if ((x - 45) * (x - 45) + (y - 20) * (y - 20) <= 100) labels[y * w + x] = 2;
        for (int i = 0; i < 10; i++) labels[(35 - i) * w + 65 + i] = 3;
        List<Measurements.Row> rows = Measurements.of(labels, new float[w * h], w, h, 1);
        Measurements.Row box = rows.get(0), disk = rows.get(1), line = rows.get(2);
        assertEquals(4 * Math.sqrt(400 / 12.0), box.major(), 1e-9);
        assertEquals(4 * Math.sqrt(100 / 12.0), box.minor(), 1e-9);
        assertEquals(0, box.angle(), 1e-9);
        assertEquals(Math.PI / 8 * (20 + 40 + 2 * 58 / Math.sqrt(2)), box.perimeter(), 1e-9);
        assertEquals(2 * Math.PI * 10, disk.perimeter(), 0.05 * 2 * Math.PI * 10); // the digital disk spans 21 pixels
        assertTrue(disk.circularity() > 0.9, "a digital disk is nearly round: " + disk.circularity());
        assertEquals(20, disk.major(), 0.5);
        assertEquals(1.0, disk.major() / disk.minor(), 0.02);
        assertEquals(45, line.angle(), 1e-9);
        assertTrue(line.circularity() < 0.3, "a line is far from round: " + line.circularity());
        assertEquals("1,1,200,200,pixel^2,12.000,10.000,0.500,0,0,0,2,5,0,20,10,1,55.773,0.808,23.094,11.547,0.000,2.000,NaN",
                Measurements.csv(box, 1, 0, 1, "pixel^2"));
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

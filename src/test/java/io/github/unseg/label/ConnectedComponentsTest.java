package io.github.unseg.label;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectedComponentsTest {
    @Test
    void countsObjectsWithEightOrFourConnectivity() {
        int[] lab = {
                1, 1, 0, 2, 2,
                0, 0, 1, 0, 2,
                1, 0, 1, 0, 0,
                1, 0, 0, 0, 2};
        ConnectedComponents.Objects c8 = ConnectedComponents.label(lab, 5, 4, true);
        // 8-connected: {0,1 + (2,1) + (2,2)} is one object of label 1 (diagonal touch), {(0,2),(0,3)}, 2's top group, (4,3)
        assertEquals(4, c8.count);
        ConnectedComponents.Objects c4 = ConnectedComponents.label(lab, 5, 4, false);
        assertEquals(5, c4.count);
        int total = 0;
        for (int o = 1; o <= c8.count; o++) total += c8.size[o];
        assertEquals(10, total);
        assertEquals(c8.ids[0], c8.ids[7]);
        assertTrue(c4.ids[0] != c4.ids[7]);
        assertEquals(2, c8.label[c8.ids[3]]);
    }

    @Test
    void uShapeMergesAcrossTheScan() {
        int[] lab = {
                1, 0, 1,
                1, 0, 1,
                1, 1, 1};
        assertEquals(1, ConnectedComponents.label(lab, 3, 3, false).count);
    }

    /** Random planes and volumes against a flood fill that numbers objects by their first pixel in raster order. */
    @Test
    void agreesWithAFloodFillOnRandomLabels() {
        java.util.Random rnd = new java.util.Random(11);
        for (int round = 0; round < 60; round++) {
            int w = 1 + rnd.nextInt(40), h = 1 + rnd.nextInt(30), d = round % 3 == 0 ? 1 + rnd.nextInt(4) : 1;
            int values = 1 + rnd.nextInt(4);   // few values: large, winding objects
            int[] lab = new int[w * h * d];
            for (int p = 0; p < lab.length; p++) lab[p] = rnd.nextInt(values + 1);
            for (boolean full : new boolean[]{false, true}) {
                ConnectedComponents.Objects o = ConnectedComponents.label(lab, w, h, d, full);
                int[] ref = new int[lab.length];
                int count = 0;
                java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
                for (int p0 = 0; p0 < lab.length; p0++) {
                    if (lab[p0] == 0 || ref[p0] != 0) continue;
                    ref[p0] = ++count;
                    todo.add(p0);
                    while (!todo.isEmpty()) {
                        int p = todo.poll(), x = p % w, y = p / w % h, z = p / (w * h);
                        for (int dz = -1; dz <= 1; dz++) for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) {
                            int k = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                            if (k == 0 || (!full && k > 1)) continue;
                            int xx = x + dx, yy = y + dy, zz = z + dz;
                            if (xx < 0 || yy < 0 || zz < 0 || xx >= w || yy >= h || zz >= d) continue;
                            int q = (zz * h + yy) * w + xx;
                            if (lab[q] == lab[p0] && ref[q] == 0) { ref[q] = count; todo.add(q); }
                        }
                    }
                }
                assertEquals(count, o.count, w + "x" + h + "x" + d + (full ? " full" : ""));
                org.junit.jupiter.api.Assertions.assertArrayEquals(ref, o.ids, w + "x" + h + "x" + d + (full ? " full" : ""));
                for (int p = 0; p < lab.length; p++) if (ref[p] != 0) assertEquals(lab[p], o.label[ref[p]]);
            }
        }
    }
}

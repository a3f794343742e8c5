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
}

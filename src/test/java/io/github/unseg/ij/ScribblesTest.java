package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Line;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ROIs to class hints: groups as classes, and slice positions on stacks. */
class ScribblesTest {

    @Test
    void positionedRoisHintTheirOwnSliceAndUnpositionedOnesEverySlice() {
        ImageStack st = new ImageStack(8, 6);
        for (int z = 0; z < 3; z++) st.addSlice(new ByteProcessor(8, 6));
        ImagePlus stack = new ImagePlus("stack", st);
        Roi onSlice2 = new Roi(1, 1, 2, 1);
        onSlice2.setPosition(2);
        onSlice2.setGroup(2);
        Roi everywhere = new Roi(5, 4, 1, 1); // no position, no group: the next class, 3
        int[] hints = Scribbles.fromRois(List.of(onSlice2, everywhere), stack);
        assertEquals(8 * 6 * 3, hints.length);
        for (int z = 0; z < 3; z++) {
            int o = z * 48;
            assertEquals(z == 1 ? 2 : 0, hints[o + 8 + 1], "slice " + (z + 1));
            assertEquals(z == 1 ? 2 : 0, hints[o + 8 + 2], "slice " + (z + 1));
            assertEquals(3, hints[o + 4 * 8 + 5], "slice " + (z + 1));
        }
        long hinted = java.util.Arrays.stream(hints).filter(v -> v > 0).count();
        assertEquals(2 + 3, hinted);
        // Without positions (or on a single plane): one plane, as before.
        Line line = new Line(0, 0, 3, 0);
        int[] plane = Scribbles.fromRois(List.of(line), stack);
        assertArrayEquals(Scribbles.fromRois(List.of(line), 8, 6), plane);
        assertEquals(48, plane.length);
    }
}

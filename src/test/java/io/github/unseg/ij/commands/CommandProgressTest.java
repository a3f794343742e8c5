package io.github.unseg.ij.commands;

import ij.gui.Plot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandProgressTest {
    /**
     * The live plot of a per-slice run: each slice's training is its own pair of lines (before,
     * one line ran back from the first slice's last iteration to 1, and the axis ended at the
     * last slice's iteration, cutting the first slice's lines off).
     */
    @Test
    void eachSlicesTrainingIsItsOwnLine() {
        CommandProgress progress = new CommandProgress(null, null, true);
        for (int i = 1; i <= 10; i++) progress.record(i, 20 - i, 1.0 / i);   // slice 1
        for (int i = 1; i <= 5; i++) progress.record(i, 12 - i, 0.5 / i);    // slice 2
        Plot p = progress.plot();
        assertEquals(4, p.getNumPlotObjects(), "two lines per training");
        assertArrayEquals(new float[]{1, 2, 3, 4, 5}, p.getDataObjectArrays(0)[0], "the current training first: its lines carry the legend");
        assertEquals(10, p.getDataObjectArrays(2)[0].length, "the first slice's line, whole");
        assertEquals(10, p.getLimits()[1], 1e-9, "the axis reaches the longest training");
    }
}

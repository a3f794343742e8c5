package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Rectangle;
import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoiExportTest {

    /** Label 1: two 4x4 squares; label 2: one 3x5 bar; a 1-pixel speck of label 2. */
    static ImagePlus labels() {
        ShortProcessor sp = new ShortProcessor(20, 12);
        sp.setValue(1);
        sp.fill(new Roi(1, 1, 4, 4));
        sp.fill(new Roi(10, 1, 4, 4));
        sp.setValue(2);
        sp.fill(new Roi(2, 6, 3, 5));
        sp.set(18, 10, 2);
        return new ImagePlus("lab", sp);
    }

    @Test
    void onePerClusterAndOnePerObject(@TempDir Path dir) throws Exception {
        List<Roi> cl = RoiExport.rois(labels(), RoiExport.Mode.CLUSTER, 1);
        assertEquals(2, cl.size());
        assertEquals("label-1", cl.get(0).getName());
        assertEquals(32, cl.get(0).getContainedPoints().length, "two 4x4 squares");
        // each cluster's ROI holds exactly its pixels, wherever they lie (traced within the label's bounding box)
        ImagePlus lab = labels();
        for (Roi r : cl) {
            int label = Integer.parseInt(r.getName().substring("label-".length()));
            java.util.Set<java.awt.Point> want = new java.util.HashSet<>();
            for (int y = 0; y < 12; y++) for (int x = 0; x < 20; x++) if (lab.getProcessor().get(x, y) == label) want.add(new java.awt.Point(x, y));
            assertEquals(want, new java.util.HashSet<>(java.util.Arrays.asList(r.getContainedPoints())), r.getName());
        }
        List<Roi> obj = RoiExport.rois(labels(), RoiExport.Mode.OBJECT, 2);
        assertEquals(3, obj.size(), "speck below minimum size dropped");
        assertEquals(new Rectangle(10, 1, 4, 4), obj.get(1).getBounds());
        assertEquals(new Rectangle(2, 6, 3, 5), obj.get(2).getBounds());
        File zip = dir.resolve("r.zip").toFile();
        RoiExport.writeZip(obj, zip, false);
        List<Roi> back = RoiExport.readZip(zip);
        assertEquals(3, back.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(obj.get(i).getBounds(), back.get(i).getBounds());
            assertEquals(obj.get(i).getName(), back.get(i).getName());
        }
    }

    @Test
    void stackRoisCarryTheirSlice() {
        ImageStack st = new ImageStack(6, 6);
        for (int z = 0; z < 3; z++) {
            ShortProcessor sp = new ShortProcessor(6, 6);
            sp.setValue(1);
            sp.fill(new Roi(z, z, 2, 2));
            st.addSlice(sp);
        }
        List<Roi> r = RoiExport.rois(new ImagePlus("s", st), RoiExport.Mode.CLUSTER, 1);
        assertEquals(3, r.size());
        for (int z = 0; z < 3; z++) {
            assertEquals(z + 1, r.get(z).getPosition());
            assertEquals(new Rectangle(z, z, 2, 2), r.get(z).getBounds());
            assertTrue(r.get(z).getName().endsWith(String.format("-%03d", z + 1)));
        }
    }
}

package io.github.unseg.cli;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.ij.RoiExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() { return out.toString(StandardCharsets.UTF_8); }
    String err() { return err.toString(StandardCharsets.UTF_8); }

    static Path save(ImagePlus imp, Path file) {
        assertTrue(IJ.saveAsTiff(imp, file.toString()));
        return file;
    }

    @Test
    void segmentsOneImageIntoLabelsAndRois(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray8(80, 60, 1), dir.resolve("cells.tif"));
        Path labels = dir.resolve("out/cells_labels.tif"), rois = dir.resolve("out/cells_rois.zip");
        int code = run("segment", "--method", "kmeans", "--clusters", "3", in.toString(),
                "--labels", labels.toString(), "--rois", rois.toString(), "--roi-mode", "object", "--quiet");
        assertEquals(0, code, err());
        assertTrue(out().contains("K-means, 3 clusters"), out());
        ImagePlus lab = IJ.openImage(labels.toString());
        assertEquals(ImagePlus.GRAY16, lab.getType());
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(lab, 1), Synthetic.regions(80, 60), 3, 3) >= 0.95);
        assertEquals(3, RoiExport.readZip(rois.toFile()).size());

        // A second run leaves the outputs alone unless told to overwrite.
        long stamp = Files.getLastModifiedTime(labels).toMillis();
        Files.writeString(rois, "keep");
        assertEquals(0, run("segment", in.toString(), "--labels", labels.toString(), "--rois", rois.toString(), "--quiet"));
        assertTrue(err().contains("skipped, output exists"), err());
        assertEquals("keep", Files.readString(rois));
        assertEquals(0, run("segment", in.toString(), "--labels", labels.toString(), "--rois", rois.toString(), "--overwrite", "--quiet"), err());
        assertEquals(3, RoiExport.readZip(rois.toFile()).size());
        assertTrue(Files.getLastModifiedTime(labels).toMillis() >= stamp);
    }

    @Test
    void batchReportsABadFileAndGoesOn(@TempDir Path dir) throws Exception {
        Path inDir = Files.createDirectories(dir.resolve("in"));
        save(Synthetic.gray8(50, 40, 1), inDir.resolve("a.tif"));
        Files.writeString(inDir.resolve("b.tif"), "not an image");
        save(Synthetic.rgb(50, 40, 2), inDir.resolve("c.tif"));
        Path outDir = dir.resolve("labels");
        int code = run("segment", "--method", "gmm", inDir.toString(), "--labels", outDir.toString(), "--quiet");
        assertEquals(1, code, "a failed file makes the exit code 1");
        assertTrue(err().contains("[2/3] b.tif: FAILED: Cannot read"), err());
        assertTrue(out().contains("2 segmented, 1 failed, 0 skipped"), out());
        assertTrue(Files.exists(outDir.resolve("a_labels.tif")));
        assertTrue(Files.exists(outDir.resolve("c_labels.tif")));
    }

    @Test
    void savedModelLabelsAFolderConsistently(@TempDir Path dir) throws Exception {
        Path a = save(Synthetic.rgb(50, 40, 1), dir.resolve("a.tif"));
        Path model = dir.resolve("model.json");
        assertEquals(0, run("segment", "--method", "gmm-kmeans", a.toString(), "--save-model", model.toString(),
                "--labels", dir.resolve("a_labels.tif").toString(), "--quiet"), err());
        assertTrue(Files.readString(model).contains("\"method\": \"gmm-kmeans\""));
        Path batch = Files.createDirectories(dir.resolve("batch"));
        Files.copy(a, batch.resolve("a.tif"));
        save(Synthetic.rgb(50, 40, 7), batch.resolve("b.tif"));
        assertEquals(0, run("segment", "--model", model.toString(), batch.toString(), "--labels", dir.resolve("out").toString(), "--quiet"), err());
        ImagePlus first = IJ.openImage(dir.resolve("a_labels.tif").toString());
        ImagePlus again = IJ.openImage(dir.resolve("out/a_labels.tif").toString());
        assertArrayEquals(Synthetic.plane(first, 1), Synthetic.plane(again, 1));
    }

    @Test
    void usageErrorsExitWithTwoAndAMessage(@TempDir Path dir) {
        assertEquals(2, run("segment", "--clusters", "many", "x.tif", "--labels", "y.tif"));
        assertTrue(err().contains("--clusters needs a whole number"), err());
        assertEquals(2, run("segment", "x.tif"));
        assertTrue(err().contains("--labels"), err());
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("segment", "--colour", "x.tif"));
        assertTrue(err().contains("Unknown option --colour"), err());
        assertEquals(0, run("segment", "--help"));
        assertTrue(out().contains("--roi-mode"));
        assertEquals(1, run("segment", dir.resolve("missing.tif").toString(), "--labels", dir.resolve("l.tif").toString(), "--quiet"));
        assertTrue(err().contains("File not found"), err());
    }
}

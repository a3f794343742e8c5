package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/batch_segment.ijm run by plain ImageJ (ij.ImageJ -batch) in a fresh, headless JVM. */
class PlainImageJBatchTest {

    static int lastExit;

    static String runImageJ(Path macro, String args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        cmd.add(ChildJvm.prefsOption());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("ij.ImageJ");
        cmd.add("-batch");
        cmd.add(macro.toString());
        cmd.add(args);
        // Output to a file: a pipe read only at the end can fill up and block the child.
        File log = File.createTempFile("unseg-child", ".log");
        log.deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ImageJ did not finish in 180 s:\n" + java.nio.file.Files.readString(log.toPath()));
        }
        lastExit = p.exitValue();
        return java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8);
    }

    @Test
    void batchMacroWritesLabelsRoisAndMetricsAndSkipsWhatIsDone(@TempDir Path dir) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path in = Files.createDirectories(dir.resolve("in")), truth = Files.createDirectories(dir.resolve("truth"));
        Path out = dir.resolve("out");
        Files.copy(root.resolve("samples/dsb2018_nuclei.tif"), in.resolve("nuclei.tif"));
        Files.copy(root.resolve("samples/dsb2018_nuclei_mask.tif"), truth.resolve("nuclei.tif"));
        Files.writeString(in.resolve("broken.tif"), "not an image");
        Files.copy(root.resolve("samples/dsb2018_nuclei_mask.tif"), in.resolve("old_labels.tif"));   // a past run's output: no input
        RoiExport.writeZip(List.of(new Roi(10, 10, 20, 20)), in.resolve("RoiSet.zip").toFile(), false);   // a ROI set: no input
        // a BMP is an input, as on the command line (the macro's own list of extensions left it out)
        assertTrue(new ij.io.FileSaver(IJ.openImage(root.resolve("samples/dsb2018_nuclei.tif").toString())).saveAsBmp(in.resolve("copy.bmp").toString()));
        Files.copy(root.resolve("samples/dsb2018_nuclei_mask.tif"), truth.resolve("copy.tif"));
        String args = "input=[" + in + "] output=[" + out + "] method=kmeans nclusters=2 roimode=[one per object] truth=[" + truth
                + "] eval=[split ignore_pred=1 ignore_truth=0]";
        String log = runImageJ(root.resolve("scripts/batch_segment.ijm"), args);
        assertTrue(log.contains("broken.tif: FAILED: Cannot read"), log);
        assertTrue(log.contains("UnSeg batch: 2 segmented, 1 failed, 0 skipped"), log);
        assertTrue(new File(out.toFile(), "copy_labels.tif").isFile(), log);
        assertEquals(1, lastExit, "a batch with a failed file exits 1");

        ImagePlus labels = IJ.openImage(out.resolve("nuclei_labels.tif").toString());
        assertEquals(ImagePlus.GRAY16, labels.getType());
        assertEquals(512, labels.getWidth());
        assertEquals(2, (int) labels.getStatistics().max);
        List<Roi> rois = RoiExport.readZip(out.resolve("nuclei_rois.zip").toFile());
        assertTrue(rois.size() > 50, "one ROI per nucleus: " + rois.size());
        List<String> measured = Files.readAllLines(out.resolve("nuclei_measurements.csv"));
        assertEquals(3, measured.size(), "a row per cluster: " + measured);
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(3, csv.size(), "a row per image: " + csv);
        String[] head = csv.get(0).split(","), row = csv.get(2).split(",");
        int col = java.util.Arrays.asList(head).indexOf("foregroundIoU");
        assertEquals("nuclei.tif", row[0]);
        assertTrue(Double.parseDouble(row[col]) > 0.65, csv.get(2));

        String again = runImageJ(root.resolve("scripts/batch_segment.ijm"), args);
        assertTrue(again.contains("nuclei.tif: skipped"), again);
        assertTrue(again.contains("0 segmented, 1 failed, 2 skipped"), again);
        assertTrue(new File(out.toFile(), "nuclei_labels.tif").isFile());
    }

    @Test
    void sampleMacroFindsItsFolderAndNeverWaitsForADialog() throws Exception {
        // No argument: the macro finds samples/ from its own path (a dialog would hang -batch).
        String out = runImageJ(Path.of("scripts/evaluate_sample.ijm"), "");
        assertTrue(out.contains("UnSeg K-means on dsb2018_nuclei.tif: foreground IoU"), out);
        String bad = runImageJ(Path.of("scripts/evaluate_sample.ijm").toAbsolutePath(), "/no/such/folder");
        assertTrue(bad.contains("cannot find samples/dsb2018_nuclei.tif under '/no/such/folder'"), bad);
    }
}

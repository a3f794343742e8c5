package io.github.unseg.ij.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's GUI on a real display: skipped without one; .ci/run provides one with Xvfb.
 * The screenshot lands in target/launcher-kmeans.png.
 */
class LauncherGuiTest {

    @Test
    void pluginsConfigListsEveryCommandOnce() {
        String cfg = UnSegLauncher.pluginsConfig();
        for (String title : List.of("K-means", "Gaussian Mixture", "GMM + K-means", "Apply Saved Model", "Evaluate Segmentation")) {
            assertTrue(cfg.contains("Plugins>Segmentation>UnSeg, \"" + title + "\", "), cfg);
        }
        assertTrue(cfg.lines().filter(l -> l.contains("\"K-means\"")).count() == 1, cfg);
        // UnSeg's own jar has no plugins.config, so Fiji does not list the commands a second time.
        assertTrue(getClass().getResource("/plugins.config") == null);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "DISPLAY", matches = ".+")
    void kMeansFromTheMenuOfARealImageJ() throws Exception {
        File shot = new File("target/launcher-kmeans.png").getAbsoluteFile();
        shot.delete();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                io.github.unseg.ij.ChildJvm.prefsOption(), "-cp", System.getProperty("java.class.path"), LauncherGuiDriver.class.getName(),
                shot.getPath(), new File("samples/dsb2018_nuclei.tif").getAbsolutePath());
        // Output to a file: a pipe read only at the end can fill up and block the child.
        File log = File.createTempFile("unseg-child", ".log");
        log.deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ImageJ GUI run did not finish in 300 s:\n" + java.nio.file.Files.readString(log.toPath()));
        }
        String out = java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertTrue(out.contains("RESULT menu=io.github.unseg.ij.launcher.CommandPlugin(\"io.github.unseg.ij.commands.KMeansCommand\")"), out);
        assertTrue(out.contains("RESULT labels=dsb2018_nuclei-labels 16-bit max 2"), out);
        // the measurements file, shown as a table too: a row per cluster (no objects here)
        assertTrue(out.contains("RESULT measurements=2 rows, label pixels"), out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("RESULT rois=(\\d+)").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) > 50, out);
        assertTrue(shot.length() > 10_000, "screenshot written: " + shot);
        // the CNN's dialog (its fifty fields in two columns) fits a 1280 x 1024 screen
        m = java.util.regex.Pattern.compile("RESULT cnn dialog=(\\d+) fields (\\d+)x(\\d+)").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 40 && Integer.parseInt(m.group(2)) <= 1280
                && Integer.parseInt(m.group(3)) <= 1000, out);
        // the dialog's preview: the labels drawn over the image, gone when the dialog closes
        assertTrue(out.contains("RESULT preview=1 UnSeg preview"), out);
        assertTrue(out.contains("RESULT preview after cancel=none"), out);
        // from the menu: a dialog that leaves the image windows free, whose OK labels (3 clusters by default)
        assertTrue(java.util.regex.Pattern.compile("RESULT menu dialog=non-blocking, OK: dsb2018_nuclei-labels\\S* max 3\\s").matcher(out).find(), out);
        // on a stack the preview follows the slider: slice 1's labels, then slice 2's (its mirror)
        assertTrue(out.contains("RESULT preview slices=1 then 2 of 1 mirrored, after cancel none"), out);
        // Every command through a recorder-style run() call.
        assertTrue(out.contains("RESULT macro kmeans.ijm=dsb2018_nuclei-labels max 2"), out);
        // foregroundat=roimanager: the point's (brightest) cluster alone makes objects
        assertTrue(out.contains("RESULT macro kmeans_foreground_at.ijm=bright 1 dim 0"), out);
        assertTrue(out.contains("RESULT macro gmm.ijm=dsb2018_nuclei-labels + dsb2018_nuclei-probabilities 2 channels"), out);
        assertTrue(out.contains("RESULT macro gmm_kmeans.ijm=dsb2018_nuclei-labels max 2"), out);
        assertTrue(out.contains("RESULT macro apply_model.ijm=dsb2018_nuclei-labels / dsb2018_nuclei-labels max 2"), out);
        // The CNN (some labels, at most its 32 channels) and CNN + K-means (exactly 2).
        assertTrue(out.contains("RESULT macro cnn_kmeans.ijm=dsb2018_nuclei-labels max 2"), out);
        m = java.util.regex.Pattern.compile("RESULT macro cnn.ijm=dsb2018_nuclei-labels max (\\d+)").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 2 && Integer.parseInt(m.group(1)) <= 32, out);
        // Scribbles from the ROI Manager (ROI groups as classes): background 1, the nuclei 2.
        assertTrue(out.contains("RESULT macro cnn_scribbles.ijm=max 2 background 1 nucleus 2 2"), out);
        m = java.util.regex.Pattern.compile("RESULT macro evaluate.ijm=foregroundIoU ([0-9.]+) f1 ([0-9.]+)").matcher(out);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 0.65, out);
    }
}

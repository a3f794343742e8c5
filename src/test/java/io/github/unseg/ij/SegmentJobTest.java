package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.core.FeatureOptions;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.segment.KMeansSegmenter;
import io.github.unseg.segment.SegmentationModel;
import io.github.unseg.segment.Segmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentJobTest {

    /**
     * Memory that runs out after the up-front check (what a result needs: a noisy plane's
     * millions of regions) is said as the check says it, in the front end's spelling; no output.
     */
    @Test
    void runningOutOfMemoryMidRunIsAMessageAndWritesNothing(@TempDir Path dir) {
        FeatureOptions features = new KMeansSegmenter().features();
        Segmenter exhausting = new Segmenter() {
            @Override public String method() { return "kmeans"; }
            @Override public SegmentationModel fit(List<Image5D> images, Progress progress) { throw new OutOfMemoryError("Java heap space"); }
            @Override public FeatureOptions features() { return features; }
        };
        ImagePlus imp = IJ.createImage("x", "8-bit ramp", 32, 32, 1);
        SegmentJob job = new SegmentJob();
        job.segmenter = exhausting;
        job.labelFile = dir.resolve("l.tif").toFile();
        job.spell = name -> name.equals("perSlice") ? "--per-slice" : name;
        SegmentationException e = assertThrows(SegmentationException.class, () -> job.run(imp));
        String m = e.getMessage();
        assertTrue(m.startsWith("Java ran out of memory (it may use ") && m.contains("nothing written")
                && m.contains("UNSEG_JAVA_OPTS=-Xmx") && m.contains("(--per-slice)"), m);
        assertFalse(Files.exists(dir.resolve("l.tif")));
    }

    /** A stack's preview fits outside the run (the fit the run will reuse): its running out of memory is said the same way. */
    @Test
    void aPreviewRunningOutOfMemorySaysSo() throws Exception {
        FeatureOptions features = new KMeansSegmenter().features();
        ImagePlus imp = IJ.createImage("x", "8-bit ramp", 32, 32, 3);
        SegmentJob job = new SegmentJob();
        job.segmenter = new Segmenter() {
            @Override public String method() { return "kmeans"; }
            @Override public SegmentationModel fit(List<Image5D> images, Progress progress) { throw new OutOfMemoryError("Java heap space"); }
            @Override public FeatureOptions features() { return features; }
        };
        List<String> status = new java.util.concurrent.CopyOnWriteArrayList<>();
        Preview p = new Preview(imp);
        try {
            p.update(job, null, status::add);
            p.await();
        } finally {
            p.close();
        }
        String last = status.get(status.size() - 1);
        assertTrue(last.startsWith("UnSeg preview: Java ran out of memory (it may use ") && last.contains("UNSEG_JAVA_OPTS=-Xmx"), status.toString());
    }

    /**
     * A saved model applied to a stack, cancelled while its third slice is labelled: the three slices are
     * written (as objects, which the earlier cancel does not cut short), the rest 0, and the
     * summary says which.
     */
    @Test
    void aCancelWhileLabellingAStackWritesTheSlicesDone(@TempDir Path dir) throws Exception {
        ImagePlus imp = IJ.createImage("x", "8-bit black", 48, 40, 4);
        for (int z = 1; z <= 4; z++) {
            for (int y = 10; y < 26; y++) for (int x = 10; x < 26; x++) imp.getStack().getProcessor(z).set(x, y, 200);
        }
        KMeansSegmenter k = new KMeansSegmenter();
        k.nClusters = 2;
        SegmentJob job = new SegmentJob();
        job.model = k.fit(ImagePlusViews.wrap(imp), Progress.NONE);
        job.objects = true;
        job.perSlice = true;   // objects slice by slice: the earlier cancel must not stop them after the first
        job.instances.seedDistance = 0;
        job.labelFile = dir.resolve("l.tif").toFile();
        boolean[] cancel = {false};
        job.progress = new Progress() {
            @Override public void report(String message, double fraction) { if (message.startsWith("Labelling slice 3/")) cancel[0] = true; }
            @Override public boolean isCancelled() { return cancel[0]; }
        };
        job.run(imp);
        assertTrue(job.cancelled);
        assertTrue(job.summaries.contains("cancelled after 3 of 4 slices: those are labelled, the rest left 0"), job.summaries.toString());
        ImagePlus written = IJ.openImage(job.labelFile.getPath());
        for (int z = 1; z <= 4; z++) {
            assertEquals(z <= 3 ? 1.0 : 0.0, written.getStack().getProcessor(z).getStatistics().max, "slice " + z);
        }
        assertEquals(200, imp.getStack().getProcessor(4).get(18, 18), "the input is not touched");
    }

    /** The bar a user watches: fitting, labelling, then objects, ROIs and measurements, never running back (it went from 100 % to 90 %). */
    @Test
    void theProgressNeverRunsBack(@TempDir Path dir) throws Exception {
        ImagePlus imp = IJ.createImage("x", "8-bit black", 48, 40, 3);
        for (int z = 1; z <= 3; z++) {   // a background with some texture: uniform rows along the edges would be padding
            for (int y = 0; y < 40; y++) for (int x = 0; x < 48; x++) imp.getStack().getProcessor(z).set(x, y, (x * 7 + y * 3) % 11);
            for (int y = 10; y < 26; y++) for (int x = 10; x < 26; x++) imp.getStack().getProcessor(z).set(x, y, 200);
        }
        KMeansSegmenter k = new KMeansSegmenter();
        k.nClusters = 2;
        for (boolean saved : new boolean[]{false, true}) {   // fitted here, and a saved model applied
            SegmentJob job = new SegmentJob();
            if (saved) job.model = k.fit(ImagePlusViews.wrap(imp), Progress.NONE);
            else job.segmenter = k;
            job.objects = true;
            job.roiMode = io.github.unseg.ij.RoiExport.Mode.OBJECT;
            job.roiFile = dir.resolve(saved + "_rois.zip").toFile();
            job.measurementFile = dir.resolve(saved + ".csv").toFile();
            List<Double> fractions = new java.util.ArrayList<>();
            List<String> steps = new java.util.ArrayList<>();
            job.progress = new Progress() {
                @Override public void report(String message, double fraction) {
                    if (fraction >= 0) { fractions.add(fraction); steps.add(message); }
                }
                @Override public boolean isCancelled() { return false; }
            };
            job.run(imp);
            assertTrue(steps.contains("Making objects") && steps.contains("Making ROIs") && steps.contains("Measuring"), steps.toString());
            for (int i = 1; i < fractions.size(); i++) {
                assertTrue(fractions.get(i) >= fractions.get(i - 1), "saved " + saved + ": " + steps.get(i - 1) + " at " + fractions.get(i - 1)
                        + ", then " + steps.get(i) + " at " + fractions.get(i));
            }
            assertEquals(1.0, fractions.get(fractions.size() - 1), 0);
        }
    }
}

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
}

package io.github.unseg.segment;

import io.github.unseg.methods.Methods;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import io.github.unseg.Synthetic;
import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.ImagePlusViews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each bad input gets a message that names the problem and what to do. */
class BadInputTest {

    private static String fail(ImagePlus imp, Segmenter s) {
        SegmentationException e = assertThrows(SegmentationException.class,
                () -> s.fit(ImagePlusViews.wrap(imp), Progress.NONE));
        return e.getMessage();
    }

    @Test
    void onePixelImage() {
        String m = fail(new ImagePlus("dot", new ByteProcessor(1, 1)), Methods.create("kmeans"));
        assertTrue(m.contains("too small") && m.contains("1x1"), m);
    }

    @Test
    void constantImageHasTooFewDistinctValues() {
        ByteProcessor bp = new ByteProcessor(20, 20);
        bp.set(7);
        String m = fail(new ImagePlus("flat", bp), Methods.create("gmm"));
        assertTrue(m.contains("uniform") && m.contains("nothing to segment"), m);
    }

    @Test
    void moreClustersThanDistinctValues() {
        ByteProcessor bp = new ByteProcessor(20, 20);
        for (int i = 0; i < 400; i++) bp.set(i, i % 3 * 50);
        ClusterSegmenter s = (ClusterSegmenter) Methods.create("kmeans");
        s.nClusters = 5;
        String m = fail(new ImagePlus("three", bp), s);
        assertTrue(m.contains("only 3 distinct") && m.contains("nClusters <= 3"), m);
    }

    @Test
    void nanPixelsAreMaskedByDefaultAndRejectedOnRequest() {
        ImagePlus imp = Synthetic.gray32(40, 30, 2);
        float[] px = (float[]) imp.getProcessor().getPixels();
        for (int i = 0; i < 40; i++) px[i] = Float.NaN; // first row
        ClusterSegmenter s = (ClusterSegmenter) Methods.create("kmeans");
        int[] lab = s.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE);
        for (int i = 0; i < 40; i++) assertEquals(0, lab[i], "NaN pixel gets label 0");
        assertTrue(lab[40] > 0);
        s.features.nanPolicy = NanPolicy.REJECT;
        String m = fail(imp, s);
        assertTrue(m.contains("40 NaN pixel") && m.contains("nanPolicy=mask"), m);
        // infinite values are named as such, not counted as NaN
        px[0] = Float.POSITIVE_INFINITY;
        px[1] = Float.NEGATIVE_INFINITY;
        m = fail(imp, s);
        assertTrue(m.contains("38 NaN and 2 infinite (+-Inf) pixel(s)"), m);
    }

    @Test
    void allNaNImage() {
        FloatProcessor fp = new FloatProcessor(5, 5);
        fp.set(Float.NaN);
        // every method says so (CNN + K-means used to call the image "uniform")
        for (String method : Methods.NAMES) {
            String m = fail(new ImagePlus("nan", fp), Methods.create(method));
            assertTrue(m.contains("Every pixel") && m.contains("NaN"), method + ": " + m);
        }
    }

    @Test
    void emptyImage() {
        // An ImagePlus without pixels (what a failed opener or an empty window gives).
        SegmentationException e = assertThrows(SegmentationException.class,
                () -> ImagePlusViews.wrap(new ImagePlus()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void modelAppliedToImageWithOtherChannels() {
        SegmentationModel m = Methods.create("kmeans").fit(ImagePlusViews.wrap(Synthetic.rgb(30, 30, 1)), Progress.NONE);
        SegmentationException e = assertThrows(SegmentationException.class,
                () -> m.predict(ImagePlusViews.wrap(Synthetic.gray8(30, 30, 1)), Progress.NONE));
        assertTrue(e.getMessage().contains("3 channel") && e.getMessage().contains("has 1"), e.getMessage());
    }

    @Test
    void badSettings() {
        ClusterSegmenter s = (ClusterSegmenter) Methods.create("kmeans");
        s.nClusters = 0;
        assertTrue(fail(Synthetic.gray8(20, 20, 1), s).contains("nClusters must be at least 1"));
        SegmentationException e = assertThrows(SegmentationException.class, () -> Methods.create("watershed"));
        assertTrue(e.getMessage().contains("kmeans, gmm, gmm-kmeans"), e.getMessage());
        GmmSegmenter g = new GmmSegmenter();
        g.autoClusters = true;
        g.minClusters = 5;
        g.maxClusters = 2;
        assertTrue(fail(Synthetic.gray8(20, 20, 1), g).contains("minClusters <= maxClusters"));
    }

    @Test
    void unreadableOrForeignModelFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.json");
        assertTrue(assertThrows(SegmentationException.class, () -> io.github.unseg.methods.Methods.load(missing)).getMessage().contains("not found"));
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "this is not json {");
        assertTrue(assertThrows(SegmentationException.class, () -> io.github.unseg.methods.Methods.load(junk)).getMessage().contains("Cannot read"));
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\": \"something-else\"}");
        assertTrue(assertThrows(SegmentationException.class, () -> io.github.unseg.methods.Methods.load(other)).getMessage().contains("not an UnSeg model"));
    }

    @Test
    void savingRefusesToOverwrite(@TempDir Path dir) throws Exception {
        SegmentationModel m = Methods.create("kmeans").fit(ImagePlusViews.wrap(Synthetic.gray8(20, 20, 1)), Progress.NONE);
        Path f = dir.resolve("m.json");
        Files.writeString(f, "keep me");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ModelIO.save(m, f, false));
        assertEquals("keep me", Files.readString(f));
        ModelIO.save(m, f, true);
        assertTrue(Files.readString(f).contains("unseg-model"));
    }
}

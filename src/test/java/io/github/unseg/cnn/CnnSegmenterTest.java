package io.github.unseg.cnn;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.unseg.Synthetic;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.ImageKind;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.SegmentationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CnnSegmenterTest {
    static final int W = 64, H = 48;

    static CnnSegmenter small() {
        CnnSegmenter s = new CnnSegmenter();
        s.nChannels = 32;     // small and quick for a test; the reference uses 100
        s.maxIterations = 150;
        s.minLabels = 3;
        // A strong continuity weight merges labels fast on this small image (3 labels in ~10
        // iterations; with the reference's 1.0 it stalls near 11 labels at 64x48).
        s.continuityWeight = 10;
        return s;
    }

    /** IoU of the pixels with that label and the true foreground. */
    static double foregroundIoU(int[] labels, int label, boolean[] truth) {
        int inter = 0, union = 0;
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] == label && truth[p]) inter++;
            if (labels[p] == label || truth[p]) union++;
        }
        return (double) inter / union;
    }

    @Test
    void threeColouredRegionsWithNoise() {
        ImagePlus imp = Synthetic.rgb(W, H, 5);
        Image5D img = ImagePlusViews.wrap(imp);
        CnnModel m = (CnnModel) small().fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        int[] truth = Synthetic.regions(W, H);
        int nPred = 0;
        for (int v : lab) nPred = Math.max(nPred, v);
        double worst = Synthetic.minBestIoU(lab, truth, 3, nPred);
        assertTrue(worst >= 0.9, "worst region IoU " + worst + "; " + m.summary());
        assertTrue(m.iterations <= 30, "stopped at minLabels within a few iterations: " + m.summary());
        assertEquals(3, m.nLabels(), m.summary());
    }

    /**
     * Scribbles merge what the colours separate: the rectangle is hinted as the background's
     * class 1, the disk as class 2; the result has exactly those two labels, numbered as hinted.
     */
    @Test
    void scribblesGiveTheHintedClasses() {
        ImagePlus imp = Synthetic.rgb(W, H, 5);
        Image5D img = ImagePlusViews.wrap(imp);
        int[] hint = new int[W * H];
        for (int x = 2; x < 20; x++) hint[2 * W + x] = 1;                       // background
        for (int x = 42; x < 54; x++) hint[(int) (H * 0.7) * W + x] = 1;        // rectangle
        for (int x = 14; x < 24; x++) hint[(int) (H * 0.35) * W + x] = 2;       // disk
        CnnSegmenter s = small();
        s.scribbles = hint; // default scribbleWeight 5 (the reference's 0.5 leaves 3 labels after 300 iterations here)
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        int[] truth = Synthetic.regions(W, H), merged = new int[truth.length];
        for (int i = 0; i < truth.length; i++) merged[i] = truth[i] == 2 ? 2 : 1;
        assertEquals(2, m.nLabels(), m.summary());
        assertTrue(Synthetic.iou(lab, 1, merged, 1) >= 0.9, "background + rectangle: " + Synthetic.iou(lab, 1, merged, 1) + "; " + m.summary());
        assertTrue(Synthetic.iou(lab, 2, merged, 2) >= 0.9, "disk: " + Synthetic.iou(lab, 2, merged, 2) + "; " + m.summary());
    }

    /**
     * Scribbles in 3D: hints on the middle slice only (one plane) or on slices 3 and 6 of the
     * volume merge the rectangle into the background's class 1 and keep the disk as class 2, in
     * every slice. Less steady than in 2D: disk IoU 0.63-0.99 over CNN seeds 1-4 and three hint
     * layouts, 2D 0.94-0.99 (bench/Cnn3dStudy.java scribbles, README); the seeds here are 1 (plane, 0.99)
     * and 2 (slices 3 and 6, 0.99).
     */
    @Test
    void scribblesIn3D() {
        int w = 40, h = 32, d = 8, plane = w * h;
        int[] truth = new int[plane * d];
        Image5D img = ImagePlusViews.wrap(Synthetic.volume(w, h, d, truth, 3));
        int[] hint = new int[plane];
        for (int x = 2; x < 10; x++) hint[2 * w + x] = 1;                       // background
        for (int x = 27; x < 34; x++) hint[(int) (h * 0.7) * w + x] = 1;        // rectangle
        for (int x = 8; x < 16; x++) hint[(int) (h * 0.35) * w + x] = 2;        // disk
        int[] merged = new int[truth.length];
        for (int i = 0; i < truth.length; i++) merged[i] = truth[i] == 2 ? 2 : 1;
        int[] volumeHint = new int[plane * d];
        for (int z = 2; z <= 5; z += 3) System.arraycopy(hint, 0, volumeHint, z * plane, plane);
        int[][] hints = {hint, volumeHint};
        long[] seeds = {1, 2};
        for (int c = 0; c < 2; c++) {
            CnnSegmenter s = small();
            s.volumetric = true;
            s.scribbles = hints[c];
            s.seed = seeds[c];
            CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
            int[] lab = m.predict(img, Progress.NONE);
            assertEquals(2, m.nLabels(), m.summary());
            assertTrue(m.summary().contains("2 scribble classes") && m.summary().contains("3D"), m.summary());
            double bg = Synthetic.iou(lab, 1, merged, 1), disk = Synthetic.iou(lab, 2, merged, 2);
            assertTrue(bg >= 0.9 && disk >= 0.9, "background + rectangle " + bg + ", disk " + disk + "; " + m.summary());
        }
    }

    @Test
    void badScribblesAreRefusedWithAMessage() {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 5));
        CnnSegmenter s = small();
        s.scribbles = new int[10];
        assertTrue(assertThrows(SegmentationException.class, () -> s.fit(img, Progress.NONE)).getMessage().contains("do not match"));
        s.scribbles = new int[W * H];
        assertTrue(assertThrows(SegmentationException.class, () -> s.fit(img, Progress.NONE)).getMessage().contains("empty"));
    }

    /** Reference-image mode: trained on slices 1 and 5 of a stack, every slice labelled alike. */
    @Test
    void trainOnChosenSlicesLabelTheStack() {
        ij.ImageStack st = new ij.ImageStack(W, H);
        for (int z = 0; z < 5; z++) st.addSlice(Synthetic.rgb(W, H, 20 + z).getProcessor());
        Image5D img = ImagePlusViews.wrap(new ImagePlus("rgb stack", st));
        CnnSegmenter s = small();
        s.trainingSlices = new int[]{1, 5};
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        assertEquals(2, m.trainingPlanes);
        int[] lab = m.predict(img, Progress.NONE);
        int[] truth = Synthetic.regions(W, H);
        for (int z = 0; z < 5; z++) {
            int[] slice = java.util.Arrays.copyOfRange(lab, z * W * H, (z + 1) * W * H);
            int nPred = 0;
            for (int v : slice) nPred = Math.max(nPred, v);
            double worst = Synthetic.minBestIoU(slice, truth, 3, nPred);
            assertTrue(worst >= 0.9, "slice " + (z + 1) + ": worst region IoU " + worst + "; " + m.summary());
        }
        s.trainingSlices = new int[]{6};
        assertThrows(SegmentationException.class, () -> s.fit(img, Progress.NONE));
    }

    /** A stack whose middle slice is blank (a dropped frame): the CNN trains on the nearest slice with content. */
    @Test
    void aBlankMiddleSliceIsNoTrainingSlice() {
        ij.ImageStack st = new ij.ImageStack(W, H);
        for (int z = 0; z < 3; z++) st.addSlice(Synthetic.rgb(W, H, 20 + z).getProcessor());
        st.setPixels(new int[W * H], 2);   // slice 2 black, the one trained on by default
        ImagePlus imp = new ImagePlus("rgb stack", st);
        ij.ImagePlus labels = io.github.unseg.ij.LabelImages.create(imp, 8);
        io.github.unseg.segment.Segmentation.Result r = io.github.unseg.segment.Segmentation.run(small(), ImagePlusViews.wrap(imp),
                ImagePlusViews.labelView(labels), false, Progress.NONE);
        int[] truth = Synthetic.regions(W, H);
        for (int z : new int[]{1, 3}) {
            int[] slice = Synthetic.plane(labels, z);
            double worst = Synthetic.minBestIoU(slice, truth, 3, java.util.Arrays.stream(slice).max().getAsInt());
            assertTrue(worst >= 0.9, "slice " + z + ": worst region IoU " + worst + "; " + r.summaries);   // one label each, trained on the black slice
        }
        assertTrue(r.summaries.get(r.summaries.size() - 1).startsWith("note: 1 of 3 slices is uniform"), r.summaries.toString());
        // scribbles are read on the middle slice: a blank one is said, not trained on
        CnnSegmenter withHints = small();
        withHints.scribbles = new int[W * H];
        withHints.scribbles[0] = 1;
        SegmentationException e = assertThrows(SegmentationException.class, () -> io.github.unseg.segment.Segmentation.run(withHints,
                ImagePlusViews.wrap(imp), ImagePlusViews.labelView(io.github.unseg.ij.LabelImages.create(imp, 8)), false, Progress.NONE));
        assertTrue(e.getMessage().contains("The middle slice (z = 2), where the scribbles are read, is uniform (blank)"), e.getMessage());
    }

    /**
     * A bleaching time-lapse (frames at 1.6, 1 and 0.7 times one scene: nuclei of many brightnesses
     * over a dim background): CNN + K-means' mixture is fitted on every frame's pixels, so the first
     * frame's background stays background (fitted on the middle frame, where the network trains,
     * it was foreground: the nuclei's broad component reached down to it).
     */
    @Test
    void aBleachingTimeLapseIsOneMixture() {
        int w = 96, h = 96;
        boolean[] truth = new boolean[w * h];
        float[] scene = new float[w * h];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 9; i++) {
            int cx = 16 + 32 * (i % 3), cy = 16 + 32 * (i / 3);
            float v = 40 + 15 * i;   // 40 .. 160 over a background of 20
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 64) { truth[y * w + x] = true; scene[y * w + x] = v; }
                }
            }
        }
        ImageStack st = new ImageStack(w, h);
        for (double f : new double[]{1.6, 1.0, 0.7}) {
            float[] px = new float[w * h];
            for (int p = 0; p < px.length; p++) px[p] = (float) (f * (truth[p] ? scene[p] : 20) + 2 * rnd.nextGaussian());
            st.addSlice(new ij.process.FloatProcessor(w, h, px));
        }
        ImagePlus imp = new ImagePlus("bleaching", st);
        imp.setDimensions(1, 1, 3);
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.nChannels = 32;
        s.maxIterations = 30;
        s.nClusters = 2;
        SegmentationModel m = s.fit(ImagePlusViews.wrap(imp), Progress.NONE);
        int[] lab = m.predict(ImagePlusViews.wrap(imp), Progress.NONE);
        for (int t = 0; t < 3; t++) {
            int both = 0, either = 0;
            for (int p = 0; p < w * h; p++) {
                boolean fg = lab[t * w * h + p] == 2;
                if (fg && truth[p]) both++;
                if (fg || truth[p]) either++;
            }
            // 1.0, 0.89, 0.78 (the dimmest nuclei of the last frames are lost to the frames' shared background); 0.19 on frame 1 before
            assertTrue(both >= 0.7 * either, "frame " + (t + 1) + ": foreground IoU " + (double) both / either + "; " + m.summary());
        }
    }

    /** CNN + K-means trained on chosen slices: K-means fits on those slices' responses too. */
    @Test
    void ensembleTrainsOnChosenSlices() {
        ij.ImageStack st = new ij.ImageStack(W, H);
        for (int z = 0; z < 4; z++) st.addSlice(Synthetic.rgb(W, H, 40 + z).getProcessor());
        Image5D img = ImagePlusViews.wrap(new ImagePlus("rgb stack", st));
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.nChannels = 32;
        s.continuityWeight = 10;
        s.maxIterations = 150;
        s.nClusters = 3;
        s.trainingSlices = new int[]{1, 4};
        SegmentationModel m = s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        for (int z = 0; z < 4; z++) {
            int[] slice = java.util.Arrays.copyOfRange(lab, z * W * H, (z + 1) * W * H);
            assertTrue(Synthetic.minBestIoU(slice, Synthetic.regions(W, H), 3, 3) >= 0.9, "slice " + (z + 1) + "; " + m.summary());
        }
    }

    @Test
    void sameSeedSameLabelsAndSavedModelGivesTheSame(@TempDir Path dir) throws Exception {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 6));
        CnnSegmenter a = small(), b = small();
        a.maxIterations = b.maxIterations = 20;
        SegmentationModel ma = a.fit(img, Progress.NONE), mb = b.fit(img, Progress.NONE);
        int[] la = ma.predict(img, Progress.NONE);
        assertArrayEquals(la, mb.predict(img, Progress.NONE));
        Path f = dir.resolve("cnn.json");
        ModelIO.save(ma, f, false);
        SegmentationModel back = io.github.unseg.methods.Methods.load(f);
        assertEquals("cnn", back.method());
        assertArrayEquals(la, back.predict(img, Progress.NONE));
        // the summary of a run that applies it tells how it was trained (it said "after 0 iterations, loss 0.0000")
        assertEquals(ma.summary(), back.summary());
    }

    @Test
    void cancellingKeepsTheCurrentLabels() {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 7));
        int[] calls = {0};
        Progress cancelAfterFive = new Progress() {
            @Override public void report(String message, double fraction) { calls[0]++; }
            @Override public boolean isCancelled() { return calls[0] >= 5; }
        };
        CnnModel m = (CnnModel) small().fit(img, cancelAfterFive);
        assertEquals(5, m.iterations);
        assertTrue(m.summary().contains("cancelled"), m.summary());
        int[] lab = m.predict(img, Progress.NONE);
        for (int v : lab) assertTrue(v >= 1);
    }

    /**
     * CNN + K-means in 3D: the 3D CNN stopped early, its regions split and labelled by a mixture
     * fitted on a sample of the voxels; exactly nClusters labels, the test volume's three regions;
     * another tile size and a reloaded model give the same labels.
     */
    @Test
    void ensembleIn3D(@TempDir Path dir) throws Exception {
        int[] truth = new int[40 * 32 * 8];
        Image5D img = ImagePlusViews.wrap(Synthetic.volume(40, 32, 8, truth, 3));
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.volumetric = true;
        s.nChannels = 32;
        s.continuityWeight = 10;
        s.minLabels = 6;
        s.maxIterations = 30;
        s.nClusters = 3;
        s.sampleSize = 2000; // of 10240 voxels
        CnnKMeansModel m = (CnnKMeansModel) s.fit(img, Progress.NONE);
        assertTrue(m.summary().contains("3x3x1, 3D"), m.summary());
        int[] lab = m.predict(img, Progress.NONE);
        assertEquals(3, java.util.Arrays.stream(lab).max().getAsInt(), m.summary());
        double worst = Synthetic.minBestIoU(lab, truth, 3, 3);
        assertTrue(worst >= 0.9, "worst region IoU " + worst + "; " + m.summary());
        m.tileSize = 32;
        assertArrayEquals(lab, m.predict(img, Progress.NONE));
        Path f = dir.resolve("ens3d.json");
        ModelIO.save(m, f, false);
        assertArrayEquals(lab, io.github.unseg.methods.Methods.load(f).predict(img, Progress.NONE));
    }

    @Test
    void ensembleGivesExactlyNClustersAndReloads(@TempDir Path dir) throws Exception {
        // The CNN is stopped early (at 6 labels or 30 iterations); K-means on its responses
        // still gives the 3 regions.
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 8));
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.clusterOn = "responses";
        // the settings this test was written for (the reference's padding and continuity)
        s.padding = "zeros";
        s.continuityWeight = 1;
        s.patience = 0;
        s.minRegionSize = 0;
        s.mergeThreshold = 0;
        s.nChannels = 32;
        s.minLabels = 6;
        s.maxIterations = 30;
        s.nClusters = 3;
        SegmentationModel m = s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        assertEquals(3, m.nLabels());
        assertEquals(3, java.util.Arrays.stream(lab).max().getAsInt());
        assertTrue(Synthetic.minBestIoU(lab, Synthetic.regions(W, H), 3, 3) >= 0.9, m.summary());
        Path f = dir.resolve("ens.json");
        ModelIO.save(m, f, false);
        SegmentationModel back = io.github.unseg.methods.Methods.load(f);
        assertEquals("cnn-kmeans", back.method());
        assertArrayEquals(lab, back.predict(img, Progress.NONE));
        // the summary names the network's labels, not the clusters', after a reload too
        assertEquals(m.summary(), back.summary());
    }

    @Test
    void planesTooLargeForOneDnnAreRefusedWithAMessage() {
        // Training 100 channels on 1024 x 1024 at once would abort the JVM inside oneDNN; without
        // the downscaling budget it is refused before any training.
        Image5D big = Image5D.ofXY(net.imglib2.img.array.ArrayImgs.unsignedBytes(1024, 1024));
        CnnSegmenter s = new CnnSegmenter();
        s.nChannels = 100;
        s.trainingPixels = 0;
        io.github.unseg.core.SegmentationException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.github.unseg.core.SegmentationException.class, () -> s.fit(big, Progress.NONE));
        assertTrue(e.getMessage().contains("too large for the CNN with 100 channels") && e.getMessage().contains("trainingPixels"), e.getMessage());
    }

    @Test
    void tilesGiveExactlyTheWholeImageResult() {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 9));
        CnnSegmenter s = small();
        s.maxIterations = 15;
        CnnModel whole = (CnnModel) s.fit(img, Progress.NONE);
        int[] a = whole.predict(img, Progress.NONE);
        whole.tileSize = 10; // many tiles, each with an nConv-pixel halo
        assertArrayEquals(a, whole.predict(img, Progress.NONE));
    }

    @Test
    void largePlanesTrainOnADownscaledCopyAndAreLabelledInFull() {
        // 256 x 192 with a budget of 64 x 48 pixels: trained at 1/4 scale, labelled at full size.
        ImagePlus imp = Synthetic.rgb(4 * W, 4 * H, 10);
        Image5D img = ImagePlusViews.wrap(imp);
        CnnSegmenter s = small();
        s.trainingPixels = W * H;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        assertTrue(m.summary().contains("trained at 1/4 scale"), m.summary());
        int[] lab = m.predict(img, Progress.NONE);
        int max = java.util.Arrays.stream(lab).max().getAsInt();
        assertTrue(Synthetic.minBestIoU(lab, Synthetic.regions(4 * W, 4 * H), 3, max) >= 0.9, m.summary());
    }

    /**
     * 16-bit grey and two-channel 32-bit inputs, each channel normalised on its own (the reference
     * reads 8-bit colour only). In the two-channel image neither channel alone separates the
     * three regions. On grey, the edge from the darkest to the brightest region passes through the
     * middle region's intensity, and the 3x3 convolutions see that mix: the CNN puts a ring of the
     * middle label, 1-2 pixels wide, around the bright rectangle (measured worst IoU 0.80; the
     * two-channel image 0.99), so grey gets a lower bar.
     */
    @Test
    void sixteenBitGreyAndTwoChannelInputs() {
        ImagePlus[] images = {Synthetic.gray16(W, H, 5), Synthetic.twoChannel(W, H, 5)};
        double[] bar = {0.75, 0.95};
        for (int i = 0; i < images.length; i++) {
            Image5D img = ImagePlusViews.wrap(images[i]);
            CnnModel m = (CnnModel) small().fit(img, Progress.NONE);
            int[] lab = m.predict(img, Progress.NONE);
            int nPred = java.util.Arrays.stream(lab).max().getAsInt();
            double worst = Synthetic.minBestIoU(lab, Synthetic.regions(W, H), 3, nPred);
            assertTrue(worst >= bar[i], images[i].getTitle() + ": worst region IoU " + worst + "; " + m.summary());
        }
    }

    /** NaN pixels are left out of training and get label 0 (the default), or are refused with a message. */
    @Test
    void nanPixelsAreMaskedOrRefused() {
        ImagePlus imp = Synthetic.gray32(W, H, 5);
        float[] px = (float[]) imp.getProcessor().getPixels();
        for (int i = 0; i < W; i++) px[i] = Float.NaN; // the first row
        CnnSegmenter s = small();
        int[] lab = s.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE);
        for (int i = 0; i < W; i++) assertEquals(0, lab[i], "NaN pixel gets label 0");
        for (int i = W; i < lab.length; i++) assertTrue(lab[i] > 0, "pixel " + i + " is labelled");
        s.features.nanPolicy = io.github.unseg.core.NanPolicy.REJECT;
        SegmentationException e = assertThrows(SegmentationException.class, () -> s.fit(ImagePlusViews.wrap(imp), Progress.NONE));
        assertTrue(e.getMessage().contains(W + " NaN pixel") && e.getMessage().contains("nanPolicy=mask"), e.getMessage());
    }

    /** A synthetic volume with the default stack mode: trained on the middle slice, every slice labelled. */
    @Test
    void defaultStackModeSegmentsAVolume() {
        int w = 40, h = 32, d = 8;
        int[] truth = new int[w * h * d];
        Image5D img = ImagePlusViews.wrap(Synthetic.volume(w, h, d, truth, 3));
        CnnModel m = (CnnModel) small().fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        int nPred = 0;
        for (int v : lab) nPred = Math.max(nPred, v);
        double worst = Synthetic.minBestIoU(lab, truth, 3, nPred);
        assertTrue(worst >= 0.9, "worst region IoU over the volume " + worst + "; " + m.summary());
    }

    /** The 3D net's context: edge voxels repeated on every side, in x, y and z. */
    @Test
    void padVolumeRepeatsTheEdges() {
        // one channel, 2 x 2 x 2: z = 0 holds 1 2 / 3 4, z = 1 holds 5 6 / 7 8
        float[] p = Blocks.padVolume(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2, 1, 1);
        assertEquals(4 * 4 * 4, p.length);
        float[] firstSlice = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}; // z = -1 repeats z = 0
        assertArrayEquals(firstSlice, java.util.Arrays.copyOfRange(p, 0, 16));
        assertArrayEquals(firstSlice, java.util.Arrays.copyOfRange(p, 16, 32));
        assertEquals(8f, p[3 * 16 + 15]); // the far corner repeats (1, 1, 1)
        assertEquals(6f, p[2 * 16 + 1 * 4 + 2]); // z = 1, y = 0, x = 1 inside
    }

    /**
     * The true 3D variant (default 3x3x1 kernels) segments the three-region test volume, whose
     * objects end in z, at IoU >= 0.9 per region; blocks give the whole-volume labels; it reloads;
     * models of the earlier zero-padded 3D net are refused; the z weight follows the calibration.
     */
    @Test
    void volumetricCnnSegmentsAVolume(@TempDir Path dir) throws Exception {
        int w = 40, h = 32, d = 8;
        int[] truth = new int[w * h * d];
        ImagePlus imp = Synthetic.volume(w, h, d, truth, 3);
        Image5D img = ImagePlusViews.wrap(imp);
        CnnSegmenter s = small();
        s.volumetric = true;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        assertTrue(m.summary().contains("x1, 3D"), m.summary());
        int[] lab = m.predict(img, Progress.NONE);
        int nPred = java.util.Arrays.stream(lab).max().getAsInt();
        double worst = Synthetic.minBestIoU(lab, truth, 3, nPred);
        // measured 0.96 (CNN seeds 1-6: 0.76-0.98, bench/Cnn3dStudy.java; the 2D net 0.94-0.99)
        assertTrue(worst >= 0.9, "worst region IoU " + worst + "; " + m.summary());
        m.tileSize = 32; // blocks of 8 x 8 x 16 with context: the same labels
        assertArrayEquals(lab, m.predict(img, Progress.NONE));
        Path f = dir.resolve("cnn3d.json");
        ModelIO.save(m, f, false);
        assertArrayEquals(lab, io.github.unseg.methods.Methods.load(f).predict(img, Progress.NONE));
        Path old = dir.resolve("cnn3d-old.json");
        java.nio.file.Files.writeString(old, java.nio.file.Files.readString(f).replace("\"padding\"", "\"formerly\""));
        SegmentationException e = assertThrows(SegmentationException.class, () -> io.github.unseg.methods.Methods.load(old));
        assertTrue(e.getMessage().contains("Fit the model again"), e.getMessage());
        assertEquals(1.0, m.net.zWeight, 1e-9);
        imp.getCalibration().pixelDepth = 2; // z twice as far apart: z differences count half
        s.maxIterations = 1;
        assertEquals(0.5, ((CnnModel) s.fit(ImagePlusViews.wrap(imp), Progress.NONE)).net.zWeight, 1e-9);
    }

    /**
     * The 3x3x3 kernels (zKernel 3) on two classes, a ball in a noisy background; blocks and a
     * reloaded model give the same labels. With three regions that end in z they lose regions
     * (bench/Cnn3dStudy.java; README), so the default is 3x3x1.
     */
    @Test
    void cubicKernelsSegmentABall(@TempDir Path dir) throws Exception {
        int w = 32, h = 32, d = 12;
        int[] truth = new int[w * h * d];
        Image5D img = ImagePlusViews.wrap(Synthetic.ball(w, h, d, 7.1, truth, 7));
        CnnSegmenter s = small();
        s.volumetric = true;
        s.zKernel = 3;
        s.minLabels = 2;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        assertTrue(m.summary().contains("x3, 3D"), m.summary());
        int[] lab = m.predict(img, Progress.NONE);
        int nPred = java.util.Arrays.stream(lab).max().getAsInt();
        double worst = Synthetic.minBestIoU(lab, truth, 2, nPred);
        assertTrue(worst >= 0.9, "worst region IoU " + worst + "; " + m.summary()); // measured 0.97 (seeds 1-8: 0.92-0.97)
        m.tileSize = 32;
        assertArrayEquals(lab, m.predict(img, Progress.NONE));
        Path f = dir.resolve("cnn3d-cubic.json");
        ModelIO.save(m, f, false);
        assertArrayEquals(lab, io.github.unseg.methods.Methods.load(f).predict(img, Progress.NONE));
        s.zKernel = 2;
        SegmentationException e = assertThrows(SegmentationException.class, () -> s.fit(img, Progress.NONE));
        assertTrue(e.getMessage().contains("zKernel must be 1"), e.getMessage());
    }

    /**
     * The user's defaults (no option set: preset auto, which takes the photo settings for this
     * colour image, their sizes scaled to it) recover the three regions of a 160x120 photo-like
     * image, one label a region.
     */
    @Test
    void defaultsRecoverTheRegions() {
        io.github.unseg.methods.Method cnn = io.github.unseg.methods.Methods.get("cnn");
        CnnSegmenter s = (CnnSegmenter) io.github.unseg.methods.Methods.configure(cnn,
                new io.github.unseg.options.Settings(io.github.unseg.options.FrontEnd.CLI, cnn.options));
        CnnModel[] m = new CnnModel[1];
        int[] lab = recoveredRegions(s, m);
        assertTrue(m[0].summary().startsWith("CNN (preset photo (auto: a colour photo), 32 channels, 3 conv3x3)"), m[0].summary());
        assertEquals(3, io.github.unseg.label.Regions.count(lab, 160, 120, 1), m[0].summary());
        assertTrue(m[0].stop != CnnSegmenter.Stop.MAX_ITERATIONS, "a stopping rule ended it: " + m[0].summary());
    }

    /** The microscopy settings (the segmenter's own fields) recover them too. */
    @Test
    void microscopySettingsRecoverTheRegions() {
        CnnModel[] m = new CnnModel[1];
        recoveredRegions(new CnnSegmenter(), m);
        assertTrue(m[0].stop != CnnSegmenter.Stop.MAX_ITERATIONS, "a stopping rule ended it: " + m[0].summary());
    }

    /**
     * Auto decides by the image, on a copy (a batch fits image after image with one segmenter):
     * the photo settings for a colour photo, the options the user chose kept;
     * the microscopy settings for a grey image saved as RGB, tinted or through a one-hue LUT, a
     * dark-field merge, 16-bit channels.
     */
    @Test
    void autoChoosesByTheImage() {
        Image5D photo = ImagePlusViews.wrap(Synthetic.rgb(160, 120, 11));
        CnnSegmenter s = new CnnSegmenter();
        s.preset("auto");
        CnnSegmenter r = s.resolvedFor(java.util.List.of(photo));
        assertEquals(3, r.nConv);
        assertEquals(300, r.minRegionSize);
        assertEquals(1000, r.splitScale);
        assertEquals(0.03, r.mergeThreshold);
        assertEquals(0.75, r.mergeTexture);
        assertEquals(2, s.nConv, "the segmenter itself is unchanged");
        assertEquals(0, s.splitScale);
        s.chosen(java.util.Set.of("nConv", "minRegionSize"));
        s.minRegionSize = 80;
        r = s.resolvedFor(java.util.List.of(photo));
        assertEquals(2, r.nConv, "the user's nConv");
        assertEquals(80, r.minRegionSize, "the user's minRegionSize");
        assertEquals(1000, r.splitScale);

        ImagePlus grey = Synthetic.rgb(160, 120, 11);
        new ij.process.ImageConverter(grey).convertToGray8();
        new ij.process.ImageConverter(grey).convertToRGB();
        assertFalse(ImageKind.colourPhoto(ImagePlusViews.wrap(grey)), "red = green = blue: a grey image");
        s = new CnnSegmenter();
        s.preset("auto");
        r = s.resolvedFor(java.util.List.of(ImagePlusViews.wrap(grey)));
        assertEquals(2, r.nConv);
        assertEquals(0, r.splitScale);
        assertEquals(50, r.minRegionSize);

        int[] truth = new int[120 * 90];
        ImagePlus nuclei = Synthetic.nuclei(truth, 4);
        int[] px = new int[truth.length];
        for (int i = 0; i < px.length; i++) px[i] = truth[i] > 0 ? nuclei.getProcessor().get(i) : 10;   // blue nuclei on black
        assertFalse(ImageKind.colourPhoto(ImagePlusViews.wrap(new ImagePlus("merge", new ij.process.ColorProcessor(120, 90, px)))),
                "a dark-field merge");
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < px.length; i++) {   // the same on a grey-blue ground, each channel with its own noise
            px[i] = truth[i] > 0 ? px[i] : ((40 + rnd.nextInt(8)) << 16) | ((48 + rnd.nextInt(8)) << 8) | (64 + rnd.nextInt(8));
        }
        assertTrue(ImageKind.colourPhoto(ImagePlusViews.wrap(new ImagePlus("lit", new ij.process.ColorProcessor(120, 90, px)))),
                "blue nuclei on a grey-blue ground: two hues");
        ij.process.ImageProcessor inverted = nuclei.getProcessor().duplicate();
        inverted.invert();
        inverted.setColorModel(ij.plugin.LutLoader.getLut("Fire"));
        assertFalse(ImageKind.colourPhoto(ImagePlusViews.wrap(new ImagePlus("fire", inverted.convertToRGB()))),
                "an 8-bit image through the Fire LUT: 256 colours at most");
        for (int i = 0; i < px.length; i++) {
            int g = 255 - (truth[i] > 0 ? nuclei.getProcessor().get(i) : 10);   // dark nuclei on white, a warm cast
            px[i] = (Math.min(255, g + 4) << 16) | (g << 8) | g;
        }
        assertFalse(ImageKind.colourPhoto(ImagePlusViews.wrap(new ImagePlus("tinted", new ij.process.ColorProcessor(120, 90, px)))),
                "a tinted grey image with a bright background");
        for (int i = 0; i < px.length; i++) px[i] = truth[i] > 0 ? nuclei.getProcessor().get(i) << 8 : 40 << 8;   // green on a dim green ground
        assertFalse(ImageKind.colourPhoto(ImagePlusViews.wrap(new ImagePlus("green", new ij.process.ColorProcessor(120, 90, px)))),
                "a one-colour merge: red and blue unused");

        ImageStack st = new ImageStack(40, 30);
        for (int c = 0; c < 3; c++) {
            short[] v = new short[40 * 30];
            for (int i = 0; i < v.length; i++) v[i] = (short) (100 * c + 3 * i);
            st.addSlice(new ij.process.ShortProcessor(40, 30, v, null));
        }
        ImagePlus wide = new ImagePlus("16-bit", st);
        wide.setDimensions(3, 1, 1);
        assertFalse(ImageKind.colourPhoto(ImagePlusViews.wrap(wide)), "16-bit channels are not an RGB photo");
        assertTrue(ImageKind.colourPhoto(photo));

        CnnKMeansSegmenter k = new CnnKMeansSegmenter();
        k.preset("auto");
        r = k.resolvedFor(java.util.List.of(photo));
        assertEquals(0, r.splitScale, "CNN + K-means: never the photo settings");
        assertEquals(2, r.nConv);
    }

    /** s fitted on the 160x120 photo-like image (the model into fitted[0]); its labels, every region found with IoU >= 0.9. */
    private static int[] recoveredRegions(CnnSegmenter s, CnnModel[] fitted) {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(160, 120, 11));
        CnnModel m = fitted[0] = (CnnModel) s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        double worst = Synthetic.minBestIoU(lab, Synthetic.regions(160, 120), 3, java.util.Arrays.stream(lab).max().getAsInt());
        assertTrue(worst >= 0.9, "worst region IoU " + worst + "; " + m.summary());
        return lab;
    }

    /**
     * The photo preset recovers them too, one label a region: its split along image edges parts no
     * region that has no edge inside it, and its merges leave the three apart.
     */
    @Test
    void presetPhotoRecoversTheRegions() {
        CnnSegmenter s = new CnnSegmenter();
        s.preset("photo");
        CnnModel[] m = new CnnModel[1];
        int[] lab = recoveredRegions(s, m);
        assertEquals(3, io.github.unseg.label.Regions.count(lab, 160, 120, 1), m[0].summary());
    }

    /** Labels whose every pixel lies within 2 px of the image border (the zero-padding stripes). */
    static int borderOnlyLabels(int[] lab, int w, int h) {
        int max = java.util.Arrays.stream(lab).max().getAsInt();
        boolean[] inside = new boolean[max + 1], present = new boolean[max + 1];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = lab[y * w + x];
                present[l] = true;
                if (Math.min(Math.min(x, y), Math.min(w - 1 - x, h - 1 - y)) >= 2) inside[l] = true;
            }
        }
        int n = 0;
        for (int l = 0; l <= max; l++) if (present[l] && !inside[l]) n++;
        return n;
    }

    /**
     * A bright band along the top edge (6 px) and a disk on a dark background: the edge-padded
     * network gives no label that lives only on the border, even without region merging.
     */
    @Test
    void noLabelConfinedToTheBorder() {
        int w = 96, h = 72;
        java.util.Random rnd = new java.util.Random(3);
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - 48, dy = y - 40;
                double base = y < 6 ? 220 : dx * dx + dy * dy < 15 * 15 ? 140 : 40;
                v[y * w + x] = (float) (base + 8 * rnd.nextGaussian());
            }
        }
        Image5D img = ImagePlusViews.wrap(new ImagePlus("band", new ij.process.FloatProcessor(w, h, v)));
        CnnSegmenter s = new CnnSegmenter();
        s.minRegionSize = 0; // the network's own labels
        s.minLabels = 1;
        s.maxIterations = 60;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        assertEquals(0, borderOnlyLabels(lab, w, h), m.summary());
        // and the band is found: its label covers the band's inner row
        int band = lab[3 * w + 48];
        for (int x = 0; x < w; x++) assertEquals(band, lab[3 * w + x], "band row, x " + x);
        assertTrue(lab[40 * w + 48] != band && lab[40 * w + 5] != band);
    }

    @Test
    void maxSecondsStopsAndKeepsTheLabels() {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 5));
        CnnSegmenter s = small();
        s.minLabels = 1;
        s.patience = 0;
        s.maxIterations = 1_000_000;
        s.maxSeconds = 1;
        long t0 = System.nanoTime();
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(CnnSegmenter.Stop.MAX_SECONDS, m.stop, m.summary());
        assertTrue(m.iterations >= 1 && m.iterations < 1_000_000, m.summary());
        assertTrue(seconds < 30, "stopped near the budget: " + seconds + " s");
        int[] lab = m.predict(img, Progress.NONE);
        for (int l : lab) assertTrue(l >= 1 && l <= m.nLabels());
        assertTrue(m.summary().contains("time budget"), m.summary());
    }

    @Test
    void patienceEndsAPlateau() {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 5));
        CnnSegmenter s = small();
        s.minLabels = 1;
        s.patience = 5;
        s.maxIterations = 2000;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        assertTrue(m.stop == CnnSegmenter.Stop.PATIENCE, m.summary());
        assertTrue(m.iterations < 2000, m.summary());
    }

    @Test
    void presetTip2020IsTheReference() {
        CnnSegmenter s = new CnnSegmenter();
        s.preset("tip2020");
        assertEquals(100, s.nChannels);
        assertEquals(1000, s.maxIterations);
        assertEquals(1.0, s.continuityWeight);
        assertEquals(200_000, s.trainingPixels);
        assertEquals("zeros", s.padding);
        assertEquals(0, s.patience);
        assertEquals(0, s.minRegionSize);
        SegmentationException e = assertThrows(SegmentationException.class, () -> s.preset("fast"));
        assertTrue(e.getMessage().contains("tip2020"), e.getMessage());
    }

    /** The pixelwise copy (for labelling in blocks) leaves out the split along image edges, a whole-plane step, as it does the merges. */
    @Test
    void pixelwiseCopyLeavesOutTheSplit() {
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(W, H, 5));
        CnnSegmenter s = small();
        s.splitScale = 300;
        s.minRegionSize = 0;
        s.mergeThreshold = 0;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        int[] pixelwise = m.pixelwise().predict(img, Progress.NONE);
        m.splitScale = 0;
        assertArrayEquals(m.predict(img, Progress.NONE), pixelwise);
    }

    /** "photo": the defaults with a third conv block, the split and stronger merging; CNN + K-means refuses it. */
    @Test
    void presetPhotoChangesTheDepthAndMergingOnly() {
        CnnSegmenter d = new CnnSegmenter(), s = new CnnSegmenter();
        s.preset("photo");
        assertEquals(3, s.nConv);
        assertEquals(0.03, s.mergeThreshold);
        assertEquals(0.75, s.mergeTexture);
        assertEquals(1000, s.splitScale);
        assertEquals(300, s.minRegionSize);
        assertEquals(2, d.nConv);
        assertEquals(0, d.mergeTexture);
        assertEquals(0, d.splitScale);
        assertEquals(d.nChannels, s.nChannels);
        assertEquals(d.maxIterations, s.maxIterations);
        assertEquals(d.continuityWeight, s.continuityWeight);
        assertEquals(d.trainingPixels, s.trainingPixels);
        assertEquals(50, d.minRegionSize);
        assertEquals(d.padding, s.padding);
        SegmentationException e = assertThrows(SegmentationException.class, () -> new CnnKMeansSegmenter().preset("photo"));
        assertTrue(e.getMessage().contains("preset photo"), e.getMessage());
    }

    /** Region merging down to nRegions: exactly that many regions, and the model reloads to the same labels. */
    @Test
    void nRegionsGivesThatManyAndReloads(@TempDir Path dir) throws Exception {
        int w = 96, h = 72;
        Image5D img = ImagePlusViews.wrap(Synthetic.rgb(w, h, 7));
        CnnSegmenter s = small();
        s.minLabels = 6; // stop early with more labels than regions
        s.maxIterations = 20;
        s.minRegionSize = 20;
        s.nRegions = 3;
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        assertEquals(3, io.github.unseg.label.Regions.count(lab, w, h, 1), m.summary());
        assertEquals(3, m.nLabels());
        assertTrue(Synthetic.minBestIoU(lab, Synthetic.regions(w, h), 3, 3) >= 0.9, m.summary());
        Path f = dir.resolve("regions.json");
        ModelIO.save(m, f, false);
        assertArrayEquals(lab, io.github.unseg.methods.Methods.load(f).predict(img, Progress.NONE));
    }

    /**
     * CNN + K-means with 2 clusters at its defaults on nuclei (21 % of the pixels, one dim) with
     * saturated specks in the background: the specks' pieces are too small to stay regions, so the
     * nuclei, not the specks, are the bright cluster; the model reloads to the same labels.
     */
    @Test
    void ensembleOnRegionsFindsTheNucleiNotTheSaturatedSpecks(@TempDir Path dir) throws Exception {
        int[] truth = new int[120 * 90];
        ImagePlus imp = Synthetic.nuclei(truth, 4);
        byte[] px = (byte[]) imp.getProcessor().getPixels();
        for (int[] c : new int[][]{{40, 45}, {85, 40}, {110, 8}, {8, 84}}) {
            for (int y = c[1] - 1; y <= c[1] + 1; y++) for (int x = c[0] - 1; x <= c[0] + 1; x++) px[y * 120 + x] = (byte) 255;
        }
        Image5D img = ImagePlusViews.wrap(imp);
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.nClusters = 2;
        SegmentationModel m = s.fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        int inter = 0, union = 0;
        for (int p = 0; p < lab.length; p++) {
            boolean a = lab[p] == 2, b = truth[p] > 0;
            if (a && b) inter++;
            if (a || b) union++;
        }
        double iou = (double) inter / union;
        assertTrue(iou >= 0.8, "foreground IoU " + iou + "; " + m.summary());
        for (int[] c : new int[][]{{40, 45}, {85, 40}}) assertEquals(1, lab[c[1] * 120 + c[0]], "a speck is background");
        Path f = dir.resolve("regions.json");
        ModelIO.save(m, f, false);
        assertArrayEquals(lab, io.github.unseg.methods.Methods.load(f).predict(img, Progress.NONE));
    }

    /**
     * Shading correction of the CNN's input (background subtract): nuclei 60 grey levels above a
     * ramp that climbs 240 levels across the image. Without it the two clusters are the ramp's dark
     * and bright halves; with it they are nuclei and background, and the saved model (which
     * holds the correction) reloads to the same labels.
     */
    @Test
    void shadingCorrectedInputFindsNucleiOnARamp(@TempDir Path dir) throws Exception {
        int w = 120, h = 90;
        int[][] c = {{20, 20}, {50, 20}, {80, 22}, {105, 24}, {20, 62}, {48, 64}, {78, 60}, {104, 66}};
        java.util.Random rnd = new java.util.Random(5);
        float[] px = new float[w * h];
        boolean[] truth = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = false;
                for (int[] ci : c) in |= Math.hypot(x - ci[0], y - ci[1]) <= 9;
                truth[y * w + x] = in;
                px[y * w + x] = (float) (2.0 * x + (in ? 60 : 0) + 5 * rnd.nextGaussian());
            }
        }
        Image5D img = ImagePlusViews.wrap(new ImagePlus("ramp", new ij.process.FloatProcessor(w, h, px)));
        double[] iou = new double[2];
        String summary = "";
        SegmentationModel corrected = null;
        int[] correctedLabels = null;
        for (int t = 0; t < 2; t++) {
            CnnKMeansSegmenter s = new CnnKMeansSegmenter();
            s.nClusters = 2;
            if (t == 1) {
                s.features.background = io.github.unseg.core.FeatureStack.Background.SUBTRACT;
                s.features.backgroundSigma = 12;
            }
            SegmentationModel m = s.fit(img, Progress.NONE);
            int[] lab = m.predict(img, Progress.NONE);
            iou[t] = foregroundIoU(lab, 2, truth);
            summary += (t == 0 ? "raw: " : "corrected: ") + m.summary() + "; ";
            if (t == 1) { corrected = m; correctedLabels = lab; }
        }
        assertTrue(iou[0] < 0.5, "without correction the ramp decides, foreground IoU " + iou[0] + "; " + summary);
        assertTrue(iou[1] >= 0.95, "with correction foreground IoU " + iou[1] + "; " + summary);
        Path f = dir.resolve("shading.json");
        ModelIO.save(corrected, f, false);
        assertTrue(java.nio.file.Files.readString(f).contains("\"background\": \"subtract\""), java.nio.file.Files.readString(f));
        assertArrayEquals(correctedLabels, io.github.unseg.methods.Methods.load(f).predict(img, Progress.NONE));
    }

    /**
     * Why the regions are split and labelled by a mixture of the pixels by default: twelve nuclei
     * (16 % of the pixels) from dim to bright on a dark background. K-means on the regions' means
     * puts the dim nuclei with the background (its boundary lies midway between the centres); the
     * mixture finds them (measured 0.999 and 0.685).
     */
    @Test
    void ensembleMixtureFindsDimNucleiThatKMeansMerges() {
        int w = 160, h = 120;
        int[][] c = {{20, 20}, {60, 22}, {100, 18}, {140, 24}, {22, 62}, {62, 60}, {102, 64}, {138, 58}, {20, 100}, {60, 98}, {100, 102}, {140, 100}};
        java.util.Random rnd = new java.util.Random(3);
        byte[] px = new byte[w * h];
        boolean[] truth = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 30;
                for (int i = 0; i < c.length; i++) {
                    if (Math.hypot(x - c[i][0], y - c[i][1]) <= 10) { v = 60 + 15 * ((i * 5) % 12); truth[y * w + x] = true; }
                }
                px[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(v + 6 * rnd.nextGaussian())));
            }
        }
        Image5D img = ImagePlusViews.wrap(new ImagePlus("dim and bright", new ij.process.ByteProcessor(w, h, px)));
        double[] iou = new double[2];
        String[] with = {"gmm", "kmeans"};
        String summary = "";
        for (int t = 0; t < 2; t++) {
            CnnKMeansSegmenter s = new CnnKMeansSegmenter();
            s.nClusters = 2;
            s.clusterWith = with[t];
            SegmentationModel m = s.fit(img, Progress.NONE);
            int[] lab = m.predict(img, Progress.NONE);
            iou[t] = foregroundIoU(lab, 2, truth);
            summary += with[t] + ": " + m.summary() + "; ";
        }
        assertTrue(iou[0] >= 0.95, "gmm foreground IoU " + iou[0] + "; " + summary);
        assertTrue(iou[1] < 0.8, "kmeans foreground IoU " + iou[1] + " (the case for gmm); " + summary);
    }

    /**
     * Objects smaller than minRegionSize (16 nuclei of radius 3, 29 pixels, under 50) are the
     * mixture's bright component entirely: merging them as specks left one label for the whole
     * image; they are now labelled without that merge.
     */
    @Test
    void ensembleKeepsObjectsSmallerThanMinRegionSize() {
        boolean[] truth = new boolean[96 * 96];
        Image5D img = discGrid(96, 96, 24, 9, 90, 6, 5, truth);
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.nClusters = 2;
        SegmentationModel m = s.fit(img, Progress.NONE);
        double iou = foregroundIoU(m.predict(img, Progress.NONE), 2, truth);
        assertTrue(iou >= 0.95, "foreground IoU " + iou + "; " + m.summary());
        assertTrue(m.summary().contains("pieces merged below 12 px, not 50,"), m.summary());
    }

    /**
     * The plain CNN at its defaults on 64 discs of 29 px, smaller than minRegionSize: the size
     * merge would leave one label for the whole image (IoU 0); below a quarter of the size the
     * discs keep labels of their own (0.62 here; specks in them too).
     */
    @Test
    void plainCnnKeepsObjectsSmallerThanMinRegionSize() {
        boolean[] truth = new boolean[256 * 256];
        Image5D img = discGrid(256, 256, 32, 9, 90, 6, 3, truth);
        CnnModel m = (CnnModel) new CnnSegmenter().fit(img, Progress.NONE);
        int[] lab = m.predict(img, Progress.NONE);
        // the discs: every label but the background's (the largest); a network may spread them over several
        int[] count = new int[java.util.Arrays.stream(lab).max().getAsInt() + 1];
        for (int v : lab) count[v]++;
        int bg = 0;
        for (int v = 1; v < count.length; v++) if (count[v] > count[bg]) bg = v;
        int[] discs = new int[lab.length];
        for (int p = 0; p < lab.length; p++) discs[p] = lab[p] != bg ? 1 : 0;
        double iou = foregroundIoU(discs, 1, truth);
        assertTrue(iou >= 0.5, "foreground IoU of the labels but the largest " + iou + "; " + m.summary());
        assertTrue(m.summary().contains("below 12 px where that left one label"), m.summary());
        // the model applied to a batch's next image, of large discs that the merge keeps: its summary does not say it
        boolean[] large = new boolean[256 * 256];
        ImagePlus next = new ImagePlus("large", new ij.process.ByteProcessor(256, 256));
        m.predict(discGrid(256, 256, 32, 144, 90, 6, 4, large), ImagePlusViews.labelView(io.github.unseg.ij.LabelImages.create(next, m.nLabels())), Progress.NONE);
        assertFalse(m.summary().contains("where that left one label"), m.summary());
    }

    @Test
    void mosaicTakesEvenlySpreadTiles() {
        float[] v = new float[36];
        for (int i = 0; i < 36; i++) v[i] = i;                  // 6 x 6, value = index
        Blocks.Mosaic m = Blocks.mosaic(v, 1, 6, 6, 2, 16);      // 2 x 2 tiles of 2 x 2, at x, y = 0 and 4
        assertEquals(4, m.w);
        assertEquals(4, m.h);
        assertArrayEquals(new float[]{0, 1, 4, 5, 6, 7, 10, 11, 24, 25, 28, 29, 30, 31, 34, 35}, m.values, 0f);
    }

    /**
     * A plane that its budget would downscale 11x trains on 3 x 3 tiles at 1/4 scale, and its
     * 35-pixel disks are found for every seed. (Here the 11x copy finds them too, IoU 0.90-0.96 for
     * these seeds; on a 2048 x 2048 image with the default budget it lost them for 3 of 5 seeds:
     * README, Methods.)
     */
    @Test
    void veryLargePlanesTrainOnTilesAndFindTheirObjects() {
        boolean[] disk = new boolean[512 * 512];
        Image5D img = discGrid(512, 512, 60, 299, 150, 8, 1, disk);
        StringBuilder seen = new StringBuilder();
        double worst = 1;
        for (long seed = 1; seed <= 4; seed++) {
            CnnSegmenter s = new CnnSegmenter();
            s.trainingPixels = 2500;
            s.seed = seed;
            CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
            assertTrue(m.summary().contains("trained at 1/4 scale on 9 tiles"), m.summary());
            int[] lab = m.predict(img, Progress.NONE);
            double iou = majorityIoU(lab, disk);
            worst = Math.min(worst, iou);
            seen.append(String.format(java.util.Locale.ROOT, "seed %d: IoU %.3f, %s; ", seed, iou, m.summary()));
        }
        assertTrue(worst >= 0.9, seen.toString());
    }

    /**
     * The same for a volume and the 3D net: tiles of the middle slices at 1/4 scale find its balls
     * (IoU >= 0.85; the 1/7-scale copy that the budget gave before: 0.059).
     */
    @Test
    void largeVolumesTrainOnTilesToo() {
        int w = 240, h = 240, d = 16;
        java.util.Random rnd = new java.util.Random(1);
        ij.ImageStack st = new ij.ImageStack(w, h);
        boolean[] ball = new boolean[w * h * d];
        for (int z = 0; z < d; z++) {
            byte[] px = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int dx = (x % 60) - 30, dy = (y % 60) - 30, dz = z - 8;
                    boolean in = dx * dx + dy * dy + 4 * dz * dz < 144;
                    ball[(z * h + y) * w + x] = in;
                    px[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round((in ? 150 : 30) + 8 * rnd.nextGaussian())));
                }
            }
            st.addSlice(new ij.process.ByteProcessor(w, h, px));
        }
        ImagePlus imp = new ImagePlus("balls", st);
        imp.setDimensions(1, d, 1);
        Image5D img = ImagePlusViews.wrap(imp);
        CnnSegmenter s = new CnnSegmenter();
        s.volumetric = true;
        s.trainingPixels = 20000;   // 1/7 scale without the cap
        CnnModel m = (CnnModel) s.fit(img, Progress.NONE);
        assertTrue(m.summary().contains("trained at 1/4 scale on 9 tiles"), m.summary());
        int[] lab = m.predict(img, Progress.NONE);
        double iou = majorityIoU(lab, ball);
        assertTrue(iou >= 0.85, "the balls' labels, IoU " + iou + "; " + m.summary());
    }

    /** The labels whose pixels are mostly in the objects, as one foreground: its IoU with the objects. */
    static double majorityIoU(int[] lab, boolean[] object) {
        int max = java.util.Arrays.stream(lab).max().getAsInt();
        int[] in = new int[max + 1], all = new int[max + 1];
        for (int p = 0; p < lab.length; p++) { all[lab[p]]++; if (object[p]) in[lab[p]]++; }
        int inter = 0, union = 0;
        for (int p = 0; p < lab.length; p++) {
            boolean fg = 2 * in[lab[p]] > all[lab[p]];
            if (fg && object[p]) inter++;
            if (fg || object[p]) union++;
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    /**
     * Discs on a grid (one per period x period cell, centred, squared radius at most r2) of value
     * inside over a background of 30, plus Gaussian noise of sd noise (seeded, row by row); the
     * discs' pixels into truth. 8-bit.
     */
    private static Image5D discGrid(int w, int h, int period, int r2, double inside, double noise, long seed, boolean[] truth) {
        java.util.Random rnd = new java.util.Random(seed);
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx = (x % period) - period / 2, dy = (y % period) - period / 2;
                truth[y * w + x] = dx * dx + dy * dy <= r2;
                px[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round((truth[y * w + x] ? inside : 30) + noise * rnd.nextGaussian())));
            }
        }
        return ImagePlusViews.wrap(new ImagePlus("discs", new ij.process.ByteProcessor(w, h, px)));
    }
}

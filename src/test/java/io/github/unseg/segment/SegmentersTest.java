package io.github.unseg.segment;

import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.ij.LabelImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentersTest {
    static final int W = 96, H = 80;

    static ClusterSegmenter segmenter(String method, int k) {
        ClusterSegmenter s = (ClusterSegmenter) io.github.unseg.methods.Methods.create(method);
        s.nClusters = k;
        return s;
    }

    static int[] labelsOf(ImagePlus imp, ClusterSegmenter s) {
        return s.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm", "gmm-kmeans"})
    void recoversThreeRegionsIn2D(String method) {
        int[] truth = Synthetic.regions(W, H);
        for (ImagePlus imp : new ImagePlus[]{Synthetic.gray8(W, H, 3), Synthetic.gray16(W, H, 4), Synthetic.gray32(W, H, 5), Synthetic.rgb(W, H, 6)}) {
            int[] lab = labelsOf(imp, segmenter(method, 3));
            double iou = Synthetic.minBestIoU(lab, truth, 3, 3);
            assertTrue(iou >= 0.95, method + " on " + imp.getTitle() + ": worst region IoU " + iou);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm", "gmm-kmeans"})
    void labelsAreOrderedByFirstChannelIntensity(String method) {
        // Region r has the r-th brightest intensity, so label r must be region r exactly.
        int[] truth = Synthetic.regions(W, H);
        int[] lab = labelsOf(Synthetic.gray32(W, H, 7), segmenter(method, 3));
        for (int r = 1; r <= 3; r++) assertTrue(Synthetic.iou(lab, r, truth, r) >= 0.95, method + " label " + r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm", "gmm-kmeans"})
    void multichannelNeedsBothChannels(String method) {
        int[] truth = Synthetic.regions(W, H);
        int[] lab = labelsOf(Synthetic.twoChannel(W, H, 8), segmenter(method, 3));
        double iou = Synthetic.minBestIoU(lab, truth, 3, 3);
        assertTrue(iou >= 0.95, method + ": worst region IoU " + iou);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm", "gmm-kmeans"})
    void stackGetsOneModelWithConsistentLabels(String method) {
        ImagePlus stack = Synthetic.stack(64, 48, 4, 11);
        int[] truth = Synthetic.regions(64, 48);
        ImagePlus labels = LabelImages.create(stack, 3);
        Segmentation.Result r = Segmentation.run(segmenter(method, 3), ImagePlusViews.wrap(stack),
                ImagePlusViews.labelView(labels), false, Progress.NONE);
        assertEquals(3, r.model.nLabels());
        for (int z = 1; z <= 4; z++) {
            int[] lab = Synthetic.plane(labels, z);
            for (int reg = 1; reg <= 3; reg++) {
                assertTrue(Synthetic.iou(lab, reg, truth, reg) >= 0.95, method + " slice " + z + " region " + reg);
            }
        }
    }

    @Test
    void perSliceFitsEachSlice() {
        ImagePlus stack = Synthetic.stack(64, 48, 3, 21);
        // Make slice 3 much brighter: one shared model would put all of it in the top cluster.
        float[] p = (float[]) stack.getStack().getPixels(3);
        for (int i = 0; i < p.length; i++) p[i] += 500;
        ImagePlus labels = LabelImages.create(stack, 3);
        Segmentation.Result r = Segmentation.run(segmenter("kmeans", 3), ImagePlusViews.wrap(stack),
                ImagePlusViews.labelView(labels), true, Progress.NONE);
        assertEquals(1, r.summaries.size(), r.summaries.toString());   // the three models' summaries in one line
        assertTrue(r.summaries.get(0).startsWith("slices 1-3: K-means, 3 clusters, inertia "), r.summaries.toString());
        int[] truth = Synthetic.regions(64, 48);
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(labels, 3), truth, 3, 3) >= 0.95);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm"})
    void aUniformPlaneIsSetApartFromTheFit(String method) {
        // a saturated (or padded) plane in a 4-slice stack: one value on a quarter of the pixels
        ImagePlus stack = Synthetic.stack(64, 48, 4, 21);
        java.util.Arrays.fill((float[]) stack.getStack().getPixels(3), 200f);
        int[] truth = Synthetic.regions(64, 48);
        // one fit for the stack: before, that value took a cluster of its own and two regions shared one
        ImagePlus labels = LabelImages.create(stack, 3);
        Segmentation.Result r = Segmentation.run(segmenter(method, 3), ImagePlusViews.wrap(stack),
                ImagePlusViews.labelView(labels), false, Progress.NONE);
        for (int z : new int[]{1, 2, 4}) assertTrue(Synthetic.minBestIoU(Synthetic.plane(labels, z), truth, 3, 3) >= 0.95, "slice " + z);
        assertEquals(1, java.util.Arrays.stream(Synthetic.plane(labels, 3)).distinct().count());   // labelled by the model
        assertEquals("note: 1 of 4 slices is uniform (every usable pixel alike: blank, padded or dropped?), slice 3: read as masked by the fit"
                + " (one value repeated would take a label of its own), then labelled by the model", r.summaries.get(1));
        // per slice: the plane gets one label without a fit (before, "Slice z=3: The image is uniform" failed the stack)
        labels = LabelImages.create(stack, 3);
        r = Segmentation.run(segmenter(method, 3), ImagePlusViews.wrap(stack), ImagePlusViews.labelView(labels), true, Progress.NONE);
        for (int z : new int[]{1, 2, 4}) assertTrue(Synthetic.minBestIoU(Synthetic.plane(labels, z), truth, 3, 3) >= 0.95, "slice " + z);
        assertTrue(java.util.Arrays.stream(Synthetic.plane(labels, 3)).allMatch(v -> v == 1));
        assertEquals(2, r.summaries.size(), r.summaries.toString());
        assertTrue(r.summaries.get(0).startsWith("slices 1-2, 4: "), r.summaries.toString());
        assertEquals("note: 1 of 4 slices is uniform (every usable pixel alike: blank, padded or dropped?), slice 3: labelled 1"
                + " (masked or NaN pixels 0), no model fitted on them", r.summaries.get(1));
        // NaN refused: no plane is made NaN, and nothing is said
        ClusterSegmenter reject = segmenter(method, 3);
        reject.features.nanPolicy = io.github.unseg.core.NanPolicy.REJECT;
        r = Segmentation.run(reject, ImagePlusViews.wrap(stack), ImagePlusViews.labelView(LabelImages.create(stack, 3)), false, Progress.NONE);
        assertEquals(1, r.summaries.size(), r.summaries.toString());
        // every plane uniform: the image is, and the fit says so
        for (int z = 1; z <= 4; z++) java.util.Arrays.fill((float[]) stack.getStack().getPixels(z), 7f);
        io.github.unseg.core.SegmentationException e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> Segmentation.run(segmenter(method, 3),
                ImagePlusViews.wrap(stack), ImagePlusViews.labelView(LabelImages.create(stack, 3)), true, Progress.NONE));
        assertTrue(e.getMessage().contains("uniform"), e.getMessage());
    }

    @Test
    void uniformPlanesAreFoundPerPlaneAndChannel() {
        float[][] planes = {{1, 1, 1, 1}, {1, 2, 1, 1}, {Float.NaN, 5, 5, Float.NaN}, {Float.NaN, Float.NaN, Float.NaN, Float.NaN}};
        ij.ImageStack st = new ij.ImageStack(2, 2);
        for (float[] p : planes) st.addSlice(new ij.process.FloatProcessor(2, 2, p.clone()));
        ImagePlus imp = new ImagePlus("u", st);
        imp.setDimensions(1, 4, 1);
        Image5D img = ImagePlusViews.wrap(imp);
        // a plane without a usable pixel counts as uniform: nothing to fit on
        assertArrayEquals(new boolean[]{true, false, true, true}, img.uniformPlanes());
        assertTrue(img.plane(2, 0).hasUsablePixel());
        assertFalse(img.plane(3, 0).hasUsablePixel());
        Image5D without = img.withoutPlanes(new boolean[]{true, false, false, false});
        assertFalse(without.plane(0, 0).hasUsablePixel());
        assertEquals(2f, without.plane(1, 0).data().getAt(1, 0, 0, 0, 0).getRealFloat());
        // two channels: each constant on its own is uniform; one varying is not
        ij.ImageStack two = new ij.ImageStack(2, 2);
        two.addSlice(new ij.process.FloatProcessor(2, 2, new float[]{3, 3, 3, 3}));
        two.addSlice(new ij.process.FloatProcessor(2, 2, new float[]{8, 8, 8, 8}));
        two.addSlice(new ij.process.FloatProcessor(2, 2, new float[]{3, 3, 3, 3}));
        two.addSlice(new ij.process.FloatProcessor(2, 2, new float[]{8, 9, 8, 8}));
        ImagePlus c2 = new ImagePlus("c2", two);
        c2.setDimensions(2, 2, 1);
        assertArrayEquals(new boolean[]{true, false}, ImagePlusViews.wrap(c2).uniformPlanes());
    }

    @Test
    void outliersAreFoundPerChannelAndClipped() {
        int w = 200, h = 200;   // the 16 px cell below is under 0.1 % of the pixels: beyond the percentiles, yet no speck
        java.util.Random rnd = new java.util.Random(2);
        float[] a = new float[w * h], b = new float[w * h];
        for (int i = 0; i < a.length; i++) { a[i] = 100 + 50 * rnd.nextFloat(); b[i] = 10 + 5 * rnd.nextFloat(); }
        a[5] = 65535; a[700] = 60000; a[701] = 61000; a[1500] = -30000;   // a hot pixel, a pair, a dead one in channel 1
        for (int y = 30; y < 34; y++) for (int x = 40; x < 44; x++) b[y * w + x] = 5000;   // channel 2: a bright 16 px cell, no defect
        ij.ImageStack st = new ij.ImageStack(w, h);
        st.addSlice(new ij.process.FloatProcessor(w, h, a.clone()));
        st.addSlice(new ij.process.FloatProcessor(w, h, b.clone()));
        ImagePlus imp = new ImagePlus("hot", st);
        imp.setDimensions(2, 1, 1);
        Image5D img = ImagePlusViews.wrap(imp);
        io.github.unseg.core.Outliers o = io.github.unseg.core.Outliers.of(img);
        assertEquals(4, o.count(0));
        assertEquals(0, o.count(1));
        double[] l = o.limits(0);
        assertTrue(l[3] < 150 && l[2] > 100 && l[1] > 150, java.util.Arrays.toString(l));
        Image5D c = o.clip(img);
        assertEquals((float) l[3], c.data().getAt(5, 0, 0, 0, 0).getRealFloat());                    // hot: the 99.9th percentile
        assertEquals((float) l[3], c.data().getAt(701 % w, 701 / w, 0, 0, 0).getRealFloat());
        assertEquals((float) l[2], c.data().getAt(1500 % w, 1500 / w, 0, 0, 0).getRealFloat());      // dead: the 0.1th
        assertEquals(a[6], c.data().getAt(6, 0, 0, 0, 0).getRealFloat());
        assertEquals(5000f, c.data().getAt(41, 31, 1, 0, 0).getRealFloat());                       // the cell as it was
        // no defect: nothing to clip, the bright cell included
        ij.ImageStack plain = new ij.ImageStack(w, h);
        plain.addSlice(new ij.process.FloatProcessor(w, h, b.clone()));
        assertNull(io.github.unseg.core.Outliers.of(ImagePlusViews.wrap(new ImagePlus("plain", plain))));
    }

    /**
     * The corners a rotation leaves are padding; ragged flat corners (a sky, a background clipped to
     * 0), curved ones, corners meeting the data at right angles (an image's own flat regions) and a
     * single straight corner (a scan's own edge) are not; a stitching's notches and gaps beside a
     * band of their value are. A round field of view: the whole columns
     * beyond it are bands, and the short arcs left between them and the circle pass for straight
     * corners; the padding never takes a pixel of data.
     */
    @Test
    void rotationCornersAreFoundAndOthersAreNot() {
        int w = 80, h = 60;
        java.util.Random rnd = new java.util.Random(2);
        float[] rotated = new float[w * h], ragged = new float[w * h], round = new float[w * h], curved = new float[w * h],
                square = new float[w * h], single = new float[w * h], notched = new float[w * h];
        boolean[] corner = new boolean[w * h];
        double a = Math.toRadians(10), cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                float v = 1 + rnd.nextFloat();
                double sx = cx + (x - cx) * Math.cos(a) + (y - cy) * Math.sin(a), sy = cy - (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a);
                corner[p] = Math.round(sx) < 0 || Math.round(sy) < 0 || Math.round(sx) >= w || Math.round(sy) >= h;
                rotated[p] = corner[p] ? 0 : v;
                ragged[p] = v;
                round[p] = (x - cx) * (x - cx) + (y - cy) * (y - cy) > 36 * 36 ? 0 : v;   // a round field of view
                int fromEdge = Math.min(y, h - 1 - y), run = fromEdge < 15 ? (int) Math.round(24 * Math.pow(1 - fromEdge / 15.0, 2)) : 0;
                curved[p] = x < run || x >= w - run ? 0 : v;                     // four corners cut by a curve
                square[p] = (y < 12 || y >= h - 12) && x < 15 ? 0 : v;        // two flat corners with edges along the axes
                single[p] = y < 20 && x < 20 - y ? 0 : v;                   // one straight corner alone
                // a stitching: a band, notches of its value at a corner and mid-edge, a gap between tiles
                notched[p] = y < 3 || (y < 12 && x >= w - 25) || (y >= h - 8 && x >= 20 && x < 40) || x == 50 || x == 51 ? 0 : v;
            }
        }
        for (int y = 0; y < h; y++) {   // ragged: the same corners, each row's run longer by 0-8 pixels
            int l = 0, r = 0;
            while (l < w && corner[y * w + l]) l++;
            while (r < w && corner[y * w + w - 1 - r]) r++;
            if (l > 0) l += rnd.nextInt(9);
            if (r > 0) r += rnd.nextInt(9);
            for (int x = 0; x < Math.min(l, w); x++) ragged[y * w + x] = 0;
            for (int x = 0; x < Math.min(r, w); x++) ragged[y * w + w - 1 - x] = 0;
        }
        ij.ImageStack st = new ij.ImageStack(w, h);
        for (float[] plane : new float[][]{rotated, ragged, round, curved, square, single, notched}) st.addSlice(new ij.process.FloatProcessor(w, h, plane));
        ImagePlus imp = new ImagePlus("corners", st);
        imp.setDimensions(1, 7, 1);
        Image5D img = ImagePlusViews.wrap(imp);
        io.github.unseg.core.Padding pad = io.github.unseg.core.Padding.of(img);
        assertEquals(java.util.List.of(0, 2, 6), pad.planes());
        for (int p = 0; p < w * h; p++) assertEquals(notched[p] == 0, pad.padded(p % w, p / w, 6), "notched at " + p % w + "," + p / w);
        for (int p = 0; p < w * h; p++) if (pad.padded(p % w, p / w, 2)) assertEquals(0f, round[p], "round field at " + p % w + "," + p / w);
        int wrong = 0, found = 0;
        for (int p = 0; p < w * h; p++) {
            if (pad.padded(p % w, p / w, 0) != corner[p]) wrong++;
            if (corner[p]) found++;
        }
        assertTrue(found > 200 && wrong == 0, found + " corner pixels, " + wrong + " told wrong");
        assertTrue(Float.isNaN(pad.leftOut(img).data().getAt(0, 0, 0, 0, 0).getRealFloat()));
        assertEquals(rotated[w / 2 + h / 2 * w], pad.leftOut(img).data().getAt(w / 2, h / 2, 0, 0, 0).getRealFloat());
    }

    @Test
    void paddingBandsAreFoundPerPlane() {
        int w = 6, h = 5;
        java.util.Random rnd = new java.util.Random(1);
        ij.ImageStack st = new ij.ImageStack(w, h);
        float[][] planes = new float[3][w * h];
        for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = 1 + rnd.nextFloat();
        for (int x = 0; x < w; x++) { planes[0][x] = 0; planes[0][w + x] = 0; }        // plane 1: two rows of 0 at the top,
        for (int y = 0; y < h; y++) { planes[0][y * w + w - 1] = 0; planes[0][y * w] = 7; }   // a column of 0 at the right; 7 at the left: no padding
        planes[0][0] = 0; planes[0][w] = 0;                                                  // (the corners the top band's)
        java.util.Arrays.fill(planes[2], 4);                                                 // plane 3 uniform: no bands here
        for (float[] p : planes) st.addSlice(new ij.process.FloatProcessor(w, h, p));
        ImagePlus imp = new ImagePlus("b", st);
        imp.setDimensions(1, 3, 1);
        Image5D img = ImagePlusViews.wrap(imp);
        int[] bands = io.github.unseg.core.Padding.bands(img);
        assertArrayEquals(new int[]{2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, bands);
        Image5D v = io.github.unseg.core.Padding.of(img).leftOut(img);
        assertTrue(Float.isNaN(v.data().getAt(3, 1, 0, 0, 0).getRealFloat()) && Float.isNaN(v.data().getAt(5, 3, 0, 0, 0).getRealFloat()));
        assertEquals(7f, v.data().getAt(0, 3, 0, 0, 0).getRealFloat());
        assertEquals(planes[1][0], v.data().getAt(0, 0, 0, 1, 0).getRealFloat());
        ij.ImageStack none = new ij.ImageStack(w, h);
        none.addSlice(new ij.process.FloatProcessor(w, h, planes[1].clone()));
        assertNull(io.github.unseg.core.Padding.bands(ImagePlusViews.wrap(new ImagePlus("n", none))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm", "gmm-kmeans"})
    void sameSeedSameLabelsWhateverTheThreadCount(String method) {
        ImagePlus imp = Synthetic.rgb(W, H, 13);
        ClusterSegmenter a = segmenter(method, 4), b = segmenter(method, 4), c = segmenter(method, 4);
        a.threads = 1;
        b.threads = 1;
        c.threads = 3;
        // tiny sample so several restarts and the sampler all matter
        a.sampleSize = b.sampleSize = c.sampleSize = 2000;
        int[] la = labelsOf(imp, a), lb = labelsOf(imp, b), lc = labelsOf(imp, c);
        assertArrayEquals(la, lb);
        assertArrayEquals(la, lc);
    }

    @Test
    void threadsOptionHoldsForASavedModel() {
        ImagePlus imp = Synthetic.rgb(W, H, 17);
        ClusterSegmenter s = segmenter("kmeans", 3);
        s.threads = 3;
        SegmentationModel m = s.fit(ImagePlusViews.wrap(imp), Progress.NONE);
        int[] before = m.predict(ImagePlusViews.wrap(imp), Progress.NONE);
        // as the command line, call() and Spark's tasks parse it: --threads 1 with --model
        io.github.unseg.options.Settings set = io.github.unseg.ij.SegmentOptions.settings(
                io.github.unseg.methods.Methods.get("kmeans"), io.github.unseg.options.FrontEnd.CLI).put("threads", "1");
        assertEquals(1, io.github.unseg.ij.SegmentOptions.applyJob(m, set).model.threads);
        assertArrayEquals(before, m.predict(ImagePlusViews.wrap(imp), Progress.NONE));
        set = io.github.unseg.ij.SegmentOptions.settings(io.github.unseg.methods.Methods.get("kmeans"),
                io.github.unseg.options.FrontEnd.CLI).put("threads", "0");   // 0 = all cores
        assertEquals(io.github.unseg.cluster.Parallel.defaultThreads(), io.github.unseg.ij.SegmentOptions.applyJob(m, set).model.threads);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "gmm", "gmm-kmeans"})
    void savedModelGivesIdenticalLabels(String method, @TempDir Path dir) throws Exception {
        ImagePlus imp = Synthetic.rgb(W, H, 17);
        ClusterSegmenter s = segmenter(method, 3);
        s.features.coordinateWeight = 0.3;
        SegmentationModel m = s.fit(ImagePlusViews.wrap(imp), Progress.NONE);
        Path f = dir.resolve("model.json");
        ModelIO.save(m, f, false);
        SegmentationModel loaded = io.github.unseg.methods.Methods.load(f);
        assertEquals(m.method(), loaded.method());
        ImagePlus other = Synthetic.rgb(W, H, 99); // a new image of the same kind
        Image5D img = ImagePlusViews.wrap(other);
        assertArrayEquals(m.predict(img, Progress.NONE), loaded.predict(img, Progress.NONE));
        assertEquals(ModelIO.toJsonString(m).replaceAll("\"fit\"[\\s\\S]*?}", ""),
                ModelIO.toJsonString(loaded).replaceAll("\"fit\"[\\s\\S]*?}", ""));
        assertTrue(java.nio.file.Files.readString(f).contains("\"method\": \"" + method + "\""));
    }

    @Test
    void gmmProbabilitiesSumToOneAndAgreeWithLabels() {
        ImagePlus imp = Synthetic.gray32(64, 48, 23);
        GmmSegmenter g = new GmmSegmenter();
        g.nClusters = 3;
        SegmentationModel m = g.fit(ImagePlusViews.wrap(imp), Progress.NONE);
        ImagePlus probs = LabelImages.createProbabilities(imp, 3);
        m.predictProbabilities(ImagePlusViews.wrap(imp), ImagePlusViews.xyczt(probs));
        int[] lab = m.predict(ImagePlusViews.wrap(imp), Progress.NONE);
        for (int i = 0; i < lab.length; i += 37) {
            double s = 0, best = -1;
            int arg = 0;
            for (int c = 1; c <= 3; c++) {
                double p = ((float[]) probs.getStack().getPixels(c))[i];
                s += p;
                if (p > best) { best = p; arg = c; }
            }
            assertEquals(1, s, 1e-5);
            assertEquals(lab[i], arg);
        }
    }

    @Test
    void gmmBicPicksTheTrueNumberOfClusters() {
        GmmSegmenter g = new GmmSegmenter();
        g.autoClusters = true;
        g.minClusters = 1;
        g.maxClusters = 6;
        g.covariance = CovarianceType.DIAG;
        GmmSegmenter.Model m = (GmmSegmenter.Model) g.fit(ImagePlusViews.wrap(Synthetic.rgb(W, H, 29)), Progress.NONE);
        assertEquals(3, m.nLabels(), m.summary());
    }

    @Test
    void coordinatesSplitAUniformImageAlongItsLongAxis() {
        // Noise only: intensities alone cannot split it; with coordinates, 2 clusters cut the
        // 60 x 30 image into left and right halves (coordinates are isotropic).
        int w = 60, h = 30;
        float[] v = new float[w * h];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        ImagePlus imp = new ImagePlus("uniform", new ij.process.FloatProcessor(w, h, v));
        KMeansSegmenter k = new KMeansSegmenter();
        k.nClusters = 2;
        k.features.coordinateWeight = 5;
        int[] lab = k.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE);
        for (int y = 0; y < h; y++) {
            assertTrue(lab[y * w + 3] != lab[y * w + 56], "left and right apart at y=" + y);
            assertEquals(lab[3], lab[y * w + 3], "left column one label");
        }
    }

    @Test
    void smoothingRescuesRegionsFromHeavyNoise() {
        // Noise (sigma 40) as wide as the gaps between the means (40): per-pixel clustering
        // scatters the regions; smoothing first (sigma 2 px) recovers them, and the saved model
        // smooths new images the same way.
        int w = 2 * W, h = 2 * H; // regions large next to the blur at their edges
        int[] truth = Synthetic.regions(w, h);
        ImagePlus imp = new ImagePlus("noisy", new ij.process.FloatProcessor(w, h,
                Synthetic.noisy(truth, new double[]{10, 50, 90}, 40, 3)));
        KMeansSegmenter plain = new KMeansSegmenter(), smooth = new KMeansSegmenter();
        plain.nClusters = smooth.nClusters = 3;
        smooth.features.smoothing = 2;
        double before = Synthetic.minBestIoU(labelsOf(imp, plain), truth, 3, 3);
        SegmentationModel m = smooth.fit(ImagePlusViews.wrap(imp), Progress.NONE);
        double after = Synthetic.minBestIoU(m.predict(ImagePlusViews.wrap(imp), Progress.NONE), truth, 3, 3);
        // (Not higher: the blurred edge between the darkest and the brightest region passes
        // through the middle intensity, so a thin band there joins the middle class.)
        assertTrue(before < 0.5, "without smoothing the regions are scattered: " + before);
        assertTrue(after >= 0.8, "with smoothing: " + after);
        SegmentationModel back = io.github.unseg.methods.Methods.fromJson(ModelIO.toJson(m), "test");
        assertEquals(2.0, back.featureSpec().smoothing);
        assertArrayEquals(m.predict(ImagePlusViews.wrap(imp), Progress.NONE), back.predict(ImagePlusViews.wrap(imp), Progress.NONE));
    }

    /** A stack's labelling says its slice and, from the second on, the time left (a CNN's 500 slices take minutes). */
    @Test
    void labellingAStackSaysTheSliceAndTheTimeLeft() {
        ImagePlus stack = ij.IJ.createImage("s", "8-bit ramp", 40, 30, 3);
        SegmentationModel m = kMeans2().fit(ImagePlusViews.wrap(stack), Progress.NONE);
        java.util.List<String> said = new java.util.ArrayList<>();
        ImagePlus labels = LabelImages.create(stack, 2);
        m.predict(ImagePlusViews.wrap(stack), ImagePlusViews.labelView(labels), recording(said, null));
        assertEquals("Labelling slice 1/3", said.get(0), said.toString());
        assertTrue(said.get(1).matches("Labelling slice 2/3, about \\d+ s left"), said.toString());
        assertTrue(said.get(2).matches("Labelling slice 3/3, about \\d+ s left"), said.toString());
        assertEquals("Labelled", said.get(said.size() - 1), said.toString());
    }

    /** Slice by slice, each fit's reports come after the slice and, from the second on, the stack's time left. */
    @Test
    void perSliceProgressSaysTheSliceBeforeTheFitsOwnReports() {
        ImagePlus stack = ij.IJ.createImage("s", "8-bit ramp", 40, 30, 3);
        java.util.List<String> said = new java.util.ArrayList<>();
        Segmentation.run(kMeans2(), ImagePlusViews.wrap(stack), ImagePlusViews.labelView(LabelImages.create(stack, 65535)), true,
                recording(said, null));
        assertEquals("Slice 1/3", said.get(0), said.toString());
        String second = said.stream().filter(m -> m.startsWith("Slice 2/3")).findFirst().orElse("");
        assertTrue(second.matches("Slice 2/3, about \\d+ s left in all"), said.toString());
        assertTrue(said.stream().anyMatch(m -> m.startsWith(second + ": ") && m.length() > second.length() + 2),
                "the fit's reports follow the slice: " + said);
        assertTrue(said.stream().allMatch(m -> m.startsWith("Slice ")), said.toString());
    }

    /** Cancelled while a stack is labelled: the slices done keep their labels, the rest stay 0, and the note says so. */
    @Test
    void cancellingAStacksLabellingKeepsTheSlicesDone() {
        ImagePlus stack = ij.IJ.createImage("s", "8-bit ramp", 40, 30, 5);
        KMeansSegmenter s = kMeans2();
        SegmentationModel m = s.fit(ImagePlusViews.wrap(stack), Progress.NONE);
        ImagePlus labels = LabelImages.create(stack, 2);
        assertEquals(3, m.predict(ImagePlusViews.wrap(stack), ImagePlusViews.labelView(labels),
                recording(new java.util.ArrayList<>(), "Labelling slice 3/")));
        for (int z = 1; z <= 5; z++) {
            double max = labels.getStack().getProcessor(z).getStatistics().max;
            assertEquals(z <= 3, max > 0, "slice " + z + " max label " + max);
        }
        assertEquals("cancelled after 3 of 5 slices: those are labelled, the rest left 0",
                m.cancelledNote(ImagePlusViews.wrap(stack), 3));
        assertNull(m.cancelledNote(ImagePlusViews.wrap(stack), 5));
        // cancelled before the first slice: nothing was reached
        assertThrows(io.github.unseg.core.CancelledException.class, () -> m.predict(ImagePlusViews.wrap(stack),
                ImagePlusViews.labelView(LabelImages.create(stack, 2)), recording(new java.util.ArrayList<>(), "")));
        // per slice: a fit cancelled on slice 3 keeps slices 1 and 2
        ImagePlus perSlice = LabelImages.create(stack, 65535);
        Segmentation.Result r = Segmentation.run(s, ImagePlusViews.wrap(stack), ImagePlusViews.labelView(perSlice), true,
                recording(new java.util.ArrayList<>(), "Slice 3/5"));
        assertEquals("cancelled after 2 of 5 slices: those are labelled, the rest left 0", r.summaries.get(r.summaries.size() - 1), r.summaries.toString());
        for (int z = 1; z <= 5; z++) assertEquals(z <= 2, perSlice.getStack().getProcessor(z).getStatistics().max > 0, "slice " + z);
    }

    private static KMeansSegmenter kMeans2() {
        KMeansSegmenter s = new KMeansSegmenter();
        s.nClusters = 2;
        return s;
    }

    /** A progress that keeps what is said and is cancelled from the first report starting with cancelAt ("": from the start; null: never). */
    private static Progress recording(java.util.List<String> said, String cancelAt) {
        boolean[] cancel = {"".equals(cancelAt)};
        return new Progress() {
            @Override public void report(String message, double fraction) {
                said.add(message);
                if (cancelAt != null && message.startsWith(cancelAt)) cancel[0] = true;
            }
            @Override public boolean isCancelled() { return cancel[0]; }
        };
    }
}

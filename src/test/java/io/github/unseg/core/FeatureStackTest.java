package io.github.unseg.core;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.unseg.Synthetic;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.methods.Methods;
import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.SegmentationModel;
import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureStackTest {
    static FeatureStack stack(String filters, double... sigmas) {
        return FeatureStack.of(filters, sigmas, FeatureStack.Background.NONE, 0, false);
    }

    /** Feature channel f of pixel (x, y) of a one-channel w-wide image. */
    static float at(RawPixels r, int w, int x, int y, int f) { return r.values[(y * w + x) * r.channels + f]; }

    static RawPixels features(FeatureStack s, float[] v, int w, int h) {
        Image5D img = Image5D.ofXY(ArrayImgs.floats(v, w, h));
        return FeatureSpec.transform(RawPixels.of(img), img, s, 0, 2);
    }

    @Test
    void namesAndCountsFollowTheLayout() {
        FeatureStack s = stack("hessian, Gaussian, dog", 1, 2, 4);
        assertEquals(List.of(FeatureStack.Filter.GAUSSIAN, FeatureStack.Filter.DOG, FeatureStack.Filter.HESSIAN), s.filters);
        assertEquals(1 + 3 + 2 + 6, s.perChannel());
        List<String> n = s.names(2);
        assertEquals(2 * s.perChannel(), n.size());
        assertEquals(List.of("c1", "c2", "c1 gaussian 1", "c2 gaussian 1"), n.subList(0, 4));
        assertTrue(n.contains("c2 dog 2-4") && n.contains("c1 hessian 4 l2"), n.toString());
        assertEquals(List.of(FeatureStack.Filter.GRADIENT, FeatureStack.Filter.HESSIAN), FeatureStack.parseFilters("tubeness sobel"));
        assertTrue(stack("none").isNone());
    }

    /**
     * Masked (NaN) pixels are no edge: a flat disk inside NaN (a fundus image's field of view) has
     * no gradient or line response at its rim. Seen as 0, as before, the rim was the image's
     * strongest edge and a "vessel" all round.
     */
    @Test
    void maskedPixelsAreNoEdgeToTheFilters() {
        int w = 48, h = 40;
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) v[y * w + x] = (x - 24) * (x - 24) + (y - 20) * (y - 20) <= 15 * 15 ? 100f : Float.NaN;
        }
        RawPixels r = features(stack("gradient,line", 1, 2), v, w, h);
        int checked = 0;
        for (int p = 0; p < w * h; p++) {
            if (Float.isNaN(v[p])) {
                for (int f = 0; f < r.channels; f++) assertTrue(Float.isNaN(r.values[p * r.channels + f]), "a masked pixel stays NaN");
                continue;
            }
            for (int f = 1; f < r.channels; f++) assertEquals(0, r.values[p * r.channels + f], 1e-3, "feature " + f + " at pixel " + p);
            checked++;
        }
        assertTrue(checked > 600, "the disk's pixels were checked");
    }

    /** The log scale by hand: ln(1 + 255 (v - low) / (high - low)) per channel, below low as low, NaN kept; before the correction. */
    @Test
    void logScaleByHand() {
        FeatureStack s = stack("none").withLog(new double[]{10}, new double[]{20});
        assertEquals(Intensity.LOG, s.intensity());
        RawPixels r = features(s, new float[]{10, 15, 20, 30, 5, Float.NaN}, 6, 1);
        float[] want = {0, (float) Math.log1p(127.5), (float) Math.log(256), (float) Math.log1p(510), 0};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], r.values[i], 1e-6, "pixel " + i);
        assertTrue(Float.isNaN(r.values[5]));
        assertEquals(Intensity.LINEAR, stack("none").intensity());
        // fitted on the images' range: a second image with a brighter pixel reads on the first's scale
        FeatureOptions o = new FeatureOptions();
        o.intensity = Intensity.LOG;
        o.normalization = Normalization.NONE;
        Image5D a = Image5D.ofXY(ArrayImgs.floats(new float[]{2, 4, 6}, 3, 1)), b = Image5D.ofXY(ArrayImgs.floats(new float[]{6, 12}, 2, 1));
        FeaturePrep prep = FeaturePrep.of(List.of(a, b), o, 1);
        assertArrayEquals(new double[]{2}, prep.stack.logLow);
        assertArrayEquals(new double[]{12}, prep.stack.logHigh);
        assertEquals((float) Math.log1p(2 * 25.5), prep.raws.get(0).values[1], 1e-6);
        assertEquals((float) Math.log(256), prep.raws.get(1).values[1], 1e-6);
        // features in blocks (a filter stack) read the same range, plane by plane
        o.filters = "gaussian";
        FeaturePrep blocks = FeaturePrep.of(List.of(a, b), o, 1);
        assertArrayEquals(new double[]{2}, blocks.stack.logLow);
        assertArrayEquals(new double[]{12}, blocks.stack.logHigh);
        assertEquals(Intensity.LOG, blocks.spec(o, 0, 0).stack.intensity());
    }

    @Test
    void aRampAlongZGivesTheSameFeaturesAsTheSameRampAlongX() {
        // volumetric: the z pass adds whole rows at a time, the x pass runs along lines; a ramp of
        // slope 1 gives its value back (Gaussian) and a gradient of exactly 1 away from the ends
        int n = 11, m = 4;
        FeatureStack s = FeatureStack.of("gaussian,gradient", new double[]{1}, FeatureStack.Background.NONE, 50, true);
        float[] alongZ = new float[m * m * n], alongX = new float[n * m * m];
        for (int z = 0; z < n; z++) for (int i = 0; i < m * m; i++) alongZ[z * m * m + i] = z;
        for (int p = 0; p < alongX.length; p++) alongX[p] = p % n;
        for (int threads : new int[]{1, 2, 3}) {
            RawPixels rz = s.apply(RawPixels.of(Image5D.ofXYZ(ArrayImgs.floats(alongZ, m, m, n))), m, m, n, 1.0, threads);
            RawPixels rx = s.apply(RawPixels.of(Image5D.ofXYZ(ArrayImgs.floats(alongX, n, m, m))), n, m, m, 1.0, threads);
            for (int t = 3; t < n - 3; t++) {   // the kernel (radius 3) inside the ramp
                int pz = t * m * m + m + 1, px = (m + 1) * n + t;   // (1, 1, t) and (t, 1, 1)
                assertEquals(t, rz.values[pz * 3 + 1], 1e-4, "Gaussian along z at " + t + ", " + threads + " threads");
                assertEquals(1, rz.values[pz * 3 + 2], 1e-4, "gradient along z at " + t);
                assertEquals(rx.values[px * 3 + 1], rz.values[pz * 3 + 1], 1e-6, "z pass = x pass (the passes run in another order)");
                assertEquals(rx.values[px * 3 + 2], rz.values[pz * 3 + 2], 1e-6, "z pass = x pass");
            }
        }
    }

    @Test
    void aConstantImageHasItsValueAndNoStructure() {
        int w = 20, h = 16;
        float[] v = new float[w * h];
        java.util.Arrays.fill(v, 7f);
        RawPixels r = features(stack("gaussian,gradient,laplacian,hessian,mean,variance", 1, 3), v, w, h);
        assertEquals(1 + 2 + 2 + 2 + 4 + 2 + 2, r.channels);
        for (int p = 0; p < w * h; p++) {
            int o = p * r.channels;
            assertEquals(7f, r.values[o], 0f);
            for (int f : new int[]{1, 2, 11, 12}) assertEquals(7f, r.values[o + f], 1e-4f, "gaussian / mean keep a constant");
            for (int f = 3; f <= 10; f++) assertEquals(0f, r.values[o + f], 1e-4f, "derivatives of a constant");
            for (int f : new int[]{13, 14}) assertEquals(0f, r.values[o + f], 1e-4f, "variance of a constant");
        }
    }

    @Test
    void derivativesOfAQuadraticAreItsOwn() {
        // f = a x^2 + b y^2 + c x y + e x: gradient (2ax + cy + e, 2by + cx), Hessian [[2a, c], [c, 2b]], at any scale
        int w = 64, h = 64, x0 = 32, y0 = 30;
        double a = 0.01, b = -0.02, c = 0.015, e = 0.3;
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - x0, dy = y - y0;
                v[y * w + x] = (float) (a * dx * dx + b * dy * dy + c * dx * dy + e * dx);
            }
        }
        RawPixels r = features(stack("gradient,laplacian,hessian", 2), v, w, h);
        // gradient at (x0 + 3, y0 - 2)
        double gx = 2 * a * 3 + c * -2 + e, gy = 2 * b * -2 + c * 3;
        assertEquals(Math.hypot(gx, gy), at(r, w, x0 + 3, y0 - 2, 1), 0.01 * Math.hypot(gx, gy));
        assertEquals(2 * a + 2 * b, at(r, w, x0, y0, 2), 0.002);
        double m = a + b, q = Math.sqrt((a - b) * (a - b) + c * c);
        assertEquals(m + q, at(r, w, x0 + 5, y0 + 4, 3), 0.002, "largest Hessian eigenvalue");
        assertEquals(m - q, at(r, w, x0 + 5, y0 + 4, 4), 0.002, "smallest Hessian eigenvalue");
    }

    @Test
    void boxMeanAndVarianceByHand() {
        int w = 7, h = 5;
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) v[i] = (i * 37 % 11);
        RawPixels r = features(stack("mean,variance", 1), v, w, h);
        double s = 0, s2 = 0;
        for (int y = 1; y <= 3; y++) for (int x = 2; x <= 4; x++) { s += v[y * w + x]; s2 += v[y * w + x] * v[y * w + x]; }
        double mean = s / 9, var = s2 / 9 - mean * mean;
        assertEquals(mean, at(r, w, 3, 2, 1), 1e-4);
        assertEquals(var, at(r, w, 3, 2, 2), 1e-3);
    }

    @Test
    void eigenvaluesOfSymmetric3x3() {
        double[] e = new double[3];
        FeatureStack.eigenSymmetric3(3, 1, 2, 0, 0, 0, e);
        assertArrayEquals(new double[]{3, 2, 1}, e, 1e-12);
        FeatureStack.eigenSymmetric3(2, 2, 5, 1, 0, 0, e);   // [[2,1,0],[1,2,0],[0,0,5]]
        assertArrayEquals(new double[]{5, 3, 1}, e, 1e-9);
        FeatureStack.eigenSymmetric3(4, 4, 4, 1, 1, 1, e);   // all-ones plus 3I: 6, 3, 3
        assertArrayEquals(new double[]{6, 3, 3}, e, 1e-9);
    }

    @Test
    void badSettingsAreNamed() {
        SegmentationException u = assertThrows(SegmentationException.class, () -> FeatureStack.parseFilters("gaussian,frangi"));
        assertTrue(u.getMessage().contains("unknown filter 'frangi'") && u.getMessage().contains("hessian"), u.getMessage());
        assertThrows(SegmentationException.class, () -> FeatureStack.parseSigmas("0.1"));
        assertThrows(SegmentationException.class, () -> FeatureStack.parseSigmas("1,a"));
        SegmentationException d = assertThrows(SegmentationException.class, () -> stack("dog", 2));
        assertTrue(d.getMessage().contains("at least two sigmas"), d.getMessage());
    }

    /** A fitted model with a stack and shading correction; labels of another image. */
    static int[][] labelsAndModel(ClusterSegmenter s, ImagePlus fit, ImagePlus other) {
        SegmentationModel m = s.fit(ImagePlusViews.wrap(fit), Progress.NONE);
        return new int[][]{m.predict(ImagePlusViews.wrap(other), Progress.NONE),
                ModelIO.toJsonString(m).replaceAll("\"fit\"[\\s\\S]*?}", "").chars().toArray()};
    }

    static ClusterSegmenter withStack(String method) { return withStack(method, FeatureStack.Background.SUBTRACT); }

    static ClusterSegmenter withStack(String method, FeatureStack.Background background) {
        ClusterSegmenter s = (ClusterSegmenter) Methods.create(method);
        s.nClusters = 3;
        s.features.filters = "gaussian,gradient,hessian,variance,line";
        s.features.sigmas = new double[]{1, 2};
        s.features.background = background;
        s.features.backgroundSigma = 12;
        s.features.smoothing = 0.7;
        s.features.coordinateWeight = 0.2;
        s.sampleSize = 3000;
        return s;
    }

    @Test
    void blocksGiveTheWholeImagesFeaturesAndLabels() {
        ImagePlus fit = Synthetic.gray32(96, 80, 3), other = Synthetic.gray32(96, 80, 4);
        float[] px = (float[]) other.getProcessor().getPixels();
        for (int i = 0; i < px.length; i += 97) px[i] = Float.NaN;     // masked pixels near block edges too
        int keep = FeatureBlocks.blockPixels;
        for (String method : new String[]{"kmeans", "gmm", "gmm-kmeans", "kmeans opening"}) {
            String[] mb = method.split(" ");
            FeatureStack.Background bg = mb.length > 1 ? FeatureStack.Background.OPENING : FeatureStack.Background.SUBTRACT;
            try {
                FeatureBlocks.blockPixels = 1 << 22;
                int[][] whole = labelsAndModel(withStack(mb[0], bg), fit, other);
                FeatureBlocks.blockPixels = 96 * 5;                          // 5 rows per block, halo 36 (opening 24 + 18) + 3 + 6 + 6 rows (smoothing, filters, fill of NaNs)
                int[][] blocks = labelsAndModel(withStack(mb[0], bg), fit, other);
                assertArrayEquals(whole[0], blocks[0], method + ": labels in blocks");
                assertArrayEquals(whole[1], blocks[1], method + ": the same fitted model");
                assertEquals(0, whole[0][0], "a NaN pixel is unlabelled");
            } finally {
                FeatureBlocks.blockPixels = keep;
            }
        }
        // volumetric: slabs of one plane with the z halo
        int[] truth = new int[40 * 32 * 9];
        ImagePlus vol = Synthetic.volume(40, 32, 9, truth, 5);
        int[][] slabs, all;
        try {
            FeatureBlocks.blockPixels = 1 << 22;
            all = labelsAndModel(withStack("kmeans"), vol, vol);
            FeatureBlocks.blockPixels = 40 * 32;
            slabs = labelsAndModel(withStack("kmeans"), vol, vol);
        } finally {
            FeatureBlocks.blockPixels = keep;
        }
        assertArrayEquals(all[0], slabs[0], "labels in z slabs");
        assertArrayEquals(all[1], slabs[1]);
        assertTrue(new String(all[1], 0, all[1].length).contains("\"volumetric\": true"));
    }

    @Test
    void savedModelWithFeaturesReloadsToIdenticalLabels(@TempDir Path dir) throws Exception {
        ClusterSegmenter s = withStack("gmm");
        s.features.filters = "gaussian,laplacian,dog,hessian,mean";
        s.features.sigmas = new double[]{1, 2, 4};
        s.features.background = FeatureStack.Background.DIVIDE;
        SegmentationModel m = s.fit(ImagePlusViews.wrap(Synthetic.rgb(80, 64, 1)), Progress.NONE);
        Path f = dir.resolve("model.json");
        ModelIO.save(m, f, false);
        String json = Files.readString(f);
        assertTrue(json.contains("\"filters\": \"gaussian,laplacian,dog,hessian,mean\"") && json.contains("\"background\": \"divide\""), json);
        SegmentationModel loaded = Methods.load(f);
        Image5D other = ImagePlusViews.wrap(Synthetic.rgb(80, 64, 9));
        assertArrayEquals(m.predict(other, Progress.NONE), loaded.predict(other, Progress.NONE));
        assertEquals(3 * (1 + 3 + 3 + 2 + 6 + 3), loaded.featureSpec().scaler.channels());
        // a one-channel image is refused with the reason
        SegmentationException e = assertThrows(SegmentationException.class,
                () -> loaded.predict(ImagePlusViews.wrap(Synthetic.gray32(80, 64, 2)), Progress.NONE));
        assertTrue(e.getMessage().contains("3 channel(s)"), e.getMessage());
    }

    @Test
    void shadingCorrectionRecoversObjectsUnderAStrongRamp() {
        // bright disks (x 1.5) on a background whose brightness triples from left to right
        int w = 160, h = 120;
        float[] v = new float[w * h];
        int[] truth = new int[w * h];
        java.util.Random rnd = new java.util.Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = false;
                for (int cx = 20; cx < w; cx += 40) for (int cy = 20; cy < h; cy += 40) in |= (x - cx) * (x - cx) + (y - cy) * (y - cy) < 64;
                double shade = 40 + 80.0 * x / w;
                v[y * w + x] = (float) (shade * (in ? 1.5 : 1) + 2 * rnd.nextGaussian());
                truth[y * w + x] = in ? 2 : 1;
            }
        }
        ImagePlus imp = new ImagePlus("ramp", new FloatProcessor(w, h, v));
        float[] copy = v.clone();
        ClusterSegmenter plain = (ClusterSegmenter) Methods.create("kmeans");
        plain.nClusters = 2;
        ClusterSegmenter corrected = (ClusterSegmenter) Methods.create("kmeans");
        corrected.nClusters = 2;
        corrected.features.background = FeatureStack.Background.DIVIDE;
        corrected.features.backgroundSigma = 20;
        double before = Synthetic.iou(plain.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE), 2, truth, 2);
        double after = Synthetic.iou(corrected.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE), 2, truth, 2);
        assertTrue(before < 0.5, "without correction the ramp decides: IoU " + before);
        assertTrue(after > 0.85, "divided by its background the disks are found: IoU " + after);
        assertArrayEquals(copy, (float[]) imp.getProcessor().getPixels(), "the input is not changed");
    }

    @Test
    void runningExtremaEqualTheWindowsByHand() {
        java.util.Random rnd = new java.util.Random(5);
        for (int n : new int[]{1, 2, 7, 30, 64}) {
            for (int r : new int[]{1, 2, 3, 9, 40}) {
                float[] in = new float[n], out = new float[n];
                for (int i = 0; i < n; i++) in[i] = rnd.nextInt(9) == 0 ? Float.NaN : rnd.nextInt(50);
                for (boolean min : new boolean[]{true, false}) {
                    Smoothing.extremum(in, out, n, r, min);
                    for (int i = 0; i < n; i++) {
                        float e = min ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                        for (int j = Math.max(0, i - r); j <= Math.min(n - 1, i + r); j++) {
                            if (!Float.isNaN(in[j])) e = min ? Math.min(e, in[j]) : Math.max(e, in[j]);
                        }
                        if (Float.isNaN(in[i])) e = Float.NaN;          // a NaN pixel stays NaN
                        assertEquals(e, out[i], "n " + n + " r " + r + " i " + i + (min ? " min" : " max"));
                    }
                }
            }
        }
    }

    @Test
    void openingBackgroundKeepsLargeObjectsWhole() {
        // a large bright disk (radius 20) and small ones (radius 6), +40 on a background rising 100 left to right
        int w = 200, h = 160;
        float[] v = new float[w * h];
        int[] truth = new int[w * h];
        java.util.Random rnd = new java.util.Random(4);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = (x - 60) * (x - 60) + (y - 80) * (y - 80) < 400;
                for (int cx = 130; cx < w; cx += 30) for (int cy = 25; cy < h; cy += 40) in |= (x - cx) * (x - cx) + (y - cy) * (y - cy) < 36;
                v[y * w + x] = (float) (20 + 100.0 * x / w + (in ? 40 : 0) + 2 * rnd.nextGaussian());
                truth[y * w + x] = in ? 2 : 1;
            }
        }
        // corrected values at the large disk's centre and beside it: the object's full height of 40 is kept
        float[] centre = new float[2], beside = new float[2];
        FeatureStack.Background[] modes = {FeatureStack.Background.SUBTRACT, FeatureStack.Background.OPENING};
        for (int m = 0; m < 2; m++) {
            RawPixels raw = RawPixels.of(Image5D.ofXY(ArrayImgs.floats(v.clone(), w, h)));
            FeatureStack.of("", new double[0], modes[m], 15, false).correctBackground(raw, w, h, 2);
            centre[m] = raw.values[80 * w + 60];
            beside[m] = raw.values[80 * w + 100];
        }
        assertTrue(centre[0] < 25, "a Gaussian(15) background holds much of a radius-20 disk: " + centre[0]);
        assertTrue(Math.abs(centre[1] - 40) < 6 && Math.abs(beside[1]) < 6, "opening: " + centre[1] + " and " + beside[1]);
        ImagePlus imp = new ImagePlus("ramp", new FloatProcessor(w, h, v));
        ClusterSegmenter s = (ClusterSegmenter) Methods.create("kmeans");
        s.nClusters = 2;
        s.features.background = FeatureStack.Background.OPENING;
        s.features.backgroundSigma = 15;
        double iou = Synthetic.iou(s.fit(ImagePlusViews.wrap(imp), Progress.NONE).predict(ImagePlusViews.wrap(imp), Progress.NONE), 2, truth, 2);
        assertTrue(iou > 0.95, "opening: the disks are found, IoU " + iou);
    }

    @Test
    void lineDetectorByHand() {
        // a dark horizontal line (-10) one pixel wide on a flat 0 background; sigma 1: lines and square 5 pixels long
        int w = 21, h = 15, y0 = 7;
        float[] v = new float[w * h];
        for (int x = 0; x < w; x++) v[y0 * w + x] = -10;
        RawPixels r = features(stack("line", 1), v, w, h);
        assertEquals(2, r.channels, "the intensity and one line response");
        // on the line: the horizontal line's mean -10 minus the square's -10 x 5 / 25
        assertEquals(-8f, at(r, w, 10, y0, 1), 1e-5f);
        // beside it: the horizontal line's 0 minus the square's -2 (the other orientations cross the line: 0)
        assertEquals(2f, at(r, w, 10, y0 + 1, 1), 1e-5f);
        // far from it: flat
        assertEquals(0f, at(r, w, 10, 1, 1), 1e-6f);
        // a bright line gives the opposite sign
        for (int i = 0; i < v.length; i++) v[i] = -v[i];
        assertEquals(8f, at(features(stack("line", 1), v, w, h), w, 10, y0, 1), 1e-5f);
        // a filter of each plane: no reach along z
        assertEquals(0, FeatureStack.of("line", new double[]{4}, FeatureStack.Background.NONE, 0, true).zRadius(1));
        // the halo: the line's half-length 8, and as far again for the fill of masked pixels it sees
        assertEquals(16, FeatureStack.of("line", new double[]{4}, FeatureStack.Background.NONE, 0, false).radius(0));
    }
}

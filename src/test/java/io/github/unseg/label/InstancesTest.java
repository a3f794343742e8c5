package io.github.unseg.label;

import io.github.unseg.core.SegmentationException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstancesTest {

    /** Cluster labels: 2 inside the disks (centres cx, cy, radius r), 1 elsewhere. */
    private static int[] disks(int w, int h, double r, int[][] centres) {
        int[] lab = new int[w * h];
        Arrays.fill(lab, 1);
        for (int[] c : centres) {
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                if ((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) <= r * r) lab[y * w + x] = 2;
            }
        }
        return lab;
    }

    private static int count(int[] ids) { return Arrays.stream(ids).max().orElse(0); }

    @Test
    void foregroundClustersNameWhatNoRuleDoes() {
        // Three clusters: background 1, cells 2 (the middle), bright debris 3 inside and beside them.
        int w = 60, h = 40;
        int[] lab = new int[w * h];
        Arrays.fill(lab, 1);
        for (int y = 5; y < 20; y++) for (int x = 5; x < 20; x++) lab[y * w + x] = 2;     // a cell
        for (int y = 25; y < 35; y++) for (int x = 30; x < 45; x++) lab[y * w + x] = 2;   // another
        for (int y = 10; y < 13; y++) for (int x = 40; x < 55; x++) lab[y * w + x] = 3;   // debris, alone
        Instances cells = new Instances();
        cells.foregroundClusters = Instances.parseClusters("2");
        cells.seedDistance = 0;
        cells.fillHoles = false;
        cells.minObjectSize = 1;
        int[] ids = cells.apply(lab, w, h, 1, 3);
        assertEquals(2, count(ids), "the two cells, not the debris");
        for (int p = 0; p < lab.length; p++) assertEquals(lab[p] == 2, ids[p] > 0, "pixel " + p);
        // no rule gives just the two cells: each takes the debris, the background, or both
        for (Instances.Foreground f : Instances.Foreground.values()) {
            Instances rule = new Instances();
            rule.foreground = f;
            rule.seedDistance = 0;
            rule.fillHoles = false;
            rule.minObjectSize = 1;
            assertTrue(count(rule.apply(lab, w, h, 1, 3)) != 2, f.toString());
        }
        assertArrayEquals(new int[]{2, 3}, Instances.parseClusters(" 3, 2;2 "));
        assertArrayEquals(new int[0], Instances.parseClusters("none"));
        assertThrows(SegmentationException.class, () -> Instances.parseClusters("2,x"));
        assertThrows(SegmentationException.class, () -> Instances.parseClusters("0"));
        Instances four = new Instances();
        four.foregroundClusters = new int[]{4};
        SegmentationException e = assertThrows(SegmentationException.class, () -> four.apply(lab, w, h, 1, 3));
        assertTrue(e.getMessage().contains("3 clusters"), e.getMessage());
    }

    /**
     * A CNN's labels: 4 numbered, 2 and 4 kept (1 and 3 merged away). Counted on the labels present,
     * not-darkest is label 4 alone and darkest label 2; counted 1..4 (clustering models), label 2
     * would be an object and darkest none.
     */
    @Test
    void rulesCountTheLabelsACnnKept() {
        int w = 20, h = 10;
        int[] lab = new int[w * h];
        Arrays.fill(lab, 2);
        for (int y = 2; y < 8; y++) for (int x = 2; x < 8; x++) lab[y * w + x] = 4;
        Instances cnn = new Instances();
        cnn.rulesOnPresentLabels = true;
        cnn.seedDistance = 0;
        cnn.minObjectSize = 1;
        int[] ids = cnn.apply(lab, w, h, 1, 4);
        for (int p = 0; p < lab.length; p++) assertEquals(lab[p] == 4, ids[p] > 0, "pixel " + p);
        cnn.foreground = Instances.Foreground.DARKEST;
        cnn.fillHoles = false;
        ids = cnn.apply(lab, w, h, 1, 4);
        for (int p = 0; p < lab.length; p++) assertEquals(lab[p] == 2, ids[p] > 0, "pixel " + p);
        Instances numbered = new Instances();
        numbered.seedDistance = 0;
        numbered.minObjectSize = 1;
        assertEquals(w * h, Arrays.stream(numbered.apply(lab, w, h, 1, 4)).filter(v -> v > 0).count(), "labels 2 and 4 are both not 1");
    }

    /** excludeEdges: squares on the left and bottom edges go, the inner one stays and is object 1. */
    @Test
    void objectsOnTheEdgesAreExcluded() {
        int w = 30, h = 20;
        int[] lab = new int[w * h];
        Arrays.fill(lab, 1);
        for (int y = 2; y < 6; y++) for (int x = 0; x < 4; x++) lab[y * w + x] = 2;       // on the left edge
        for (int y = 16; y < 20; y++) for (int x = 10; x < 14; x++) lab[y * w + x] = 2;   // on the bottom edge
        for (int y = 8; y < 12; y++) for (int x = 20; x < 24; x++) lab[y * w + x] = 2;    // inside
        Instances o = new Instances();
        o.seedDistance = 0;
        o.minObjectSize = 1;
        assertEquals(3, count(o.apply(lab, w, h, 1, 2)));
        o.excludeEdges = true;
        int[] ids = o.apply(lab, w, h, 1, 2);
        assertEquals(1, count(ids));
        for (int p = 0; p < lab.length; p++) assertEquals(p / w >= 8 && p / w < 12 && p % w >= 20 && p % w < 24 ? 1 : 0, ids[p], "pixel " + p);
        assertTrue(o.describe(null).contains("objects on the image's edges excluded"), o.describe(null));
    }

    /**
     * minOutlineContrast: ten bright discs on noise (left) and the noise's own peaks cut into
     * blobs (right); at 2 every disc stays and most blobs go, the rest numbered 1..n, each
     * kept object's figure at least 2 (the figures the measurements give).
     */
    @Test
    void objectsWithWeakOutlinesAreDropped() {
        int w = 200, h = 200;
        java.util.Random rnd = new java.util.Random(5);
        float[] a = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx = x % 40 - 20, dy = y % 40 - 20;
                a[y * w + x] = (float) (30 + (x < 80 && dx * dx + dy * dy <= 100 ? 40 : 0) + 8 * rnd.nextGaussian());
            }
        }
        float[] s = a.clone();
        Instances.gaussian(s, w, h, 1, 1.0);
        int[] lab = new int[w * h];
        for (int p = 0; p < lab.length; p++) lab[p] = s[p] > (p % w < 80 ? 50 : 33) ? 2 : 1;
        Instances o = new Instances();
        o.seedDistance = 0;
        o.fillHoles = false;
        o.dimObjects = 0;
        o.minObjectSize = 1;
        int all = count(o.apply(lab, a, w, h, 1, 2));
        assertEquals(0, o.weakDropped());
        o.minOutlineContrast = 2;
        int[] ids = o.apply(lab, a, w, h, 1, 2);
        int kept = count(ids);
        assertEquals(all - kept, o.weakDropped());
        assertTrue(all > 40 && kept >= 10 && kept < 10 + 0.2 * (all - 10), kept + " of " + all + " kept");
        for (int cy = 20; cy < h; cy += 40) for (int cx = 20; cx < 80; cx += 40) assertTrue(ids[cy * w + cx] > 0, "disc at " + cx + "," + cy);
        double[] per = o.outlineContrast();
        assertEquals(kept + 1, per.length);
        for (int id = 1; id <= kept; id++) assertTrue(per[id] >= 2 || Double.isNaN(per[id]), "object " + id + ": " + per[id]);
        // judged among all: the background without the dropped blobs is a little rougher, the figures a little lower
        double[] again = OutlineContrast.perObject(ids, a, w, h, 1);
        for (int id = 1; id <= kept; id++) if (!Double.isNaN(per[id])) assertEquals(per[id], again[id], 0.15 * per[id], "object " + id);
        assertTrue(o.describe(null, -1, null, o.weakDropped()).contains("outline contrast below 2.0 dropped (" + (all - kept) + ")"));
        o.minOutlineContrast = -1;
        assertTrue(assertThrows(io.github.unseg.core.SegmentationException.class, () -> o.apply(lab, a, w, h, 1, 2)).getMessage()
                .contains("minOutlineContrast must be between 0 (off) and 1000"));
    }

    /** maxObjectSize drops the objects above it, minObjectSize those below; the rest numbered 1..n in raster order. */
    @Test
    void objectsOutsideTheSizeRangeAreDropped() {
        int w = 30, h = 20;
        int[] lab = new int[w * h];
        Arrays.fill(lab, 1);
        for (int y = 1; y < 3; y++) for (int x = 1; x < 3; x++) lab[y * w + x] = 2;       // 4 px
        for (int y = 5; y < 10; y++) for (int x = 1; x < 6; x++) lab[y * w + x] = 2;      // 25 px
        for (int y = 5; y < 15; y++) for (int x = 10; x < 20; x++) lab[y * w + x] = 2;    // 100 px
        Instances o = new Instances();
        o.seedDistance = 0;
        o.minObjectSize = 5;
        assertEquals(2, count(o.apply(lab, w, h, 1, 2)));
        o.maxObjectSize = 50;
        int[] ids = o.apply(lab, w, h, 1, 2);
        assertEquals(1, count(ids));
        for (int p = 0; p < lab.length; p++) assertEquals(p / w >= 5 && p / w < 10 && p % w >= 1 && p % w < 6 ? 1 : 0, ids[p], "pixel " + p);
        assertTrue(o.describe(null).contains("max size 50"), o.describe(null));
        o.maxObjectSize = 4;
        assertTrue(assertThrows(io.github.unseg.core.SegmentationException.class, () -> o.apply(lab, w, h, 1, 2)).getMessage()
                .contains("maxObjectSize 4 is below minObjectSize 5"));
    }

    @Test
    void touchingDisksAreSplitIntoTheRightCount() {
        // Pairs and a chain of three overlapping disks (radius 10, centres 16 apart: a neck of 12 px)
        // and one lone disk: 6 objects, one connected blob of 3, one of 2, and the lone one.
        int[][] centres = {{20, 20}, {36, 20}, {52, 20}, {20, 60}, {36, 60}, {70, 60}};
        int w = 96, h = 84;
        int[] lab = disks(w, h, 10, centres);
        Instances split = new Instances();
        int[] ids = split.apply(lab, w, h, 1, 2);
        assertEquals(6, count(ids));
        // Each disk centre lies in its own object, and every foreground pixel has an object.
        int[] seen = new int[centres.length];
        for (int i = 0; i < centres.length; i++) seen[i] = ids[centres[i][1] * w + centres[i][0]];
        assertEquals(6, Arrays.stream(seen).distinct().count(), Arrays.toString(seen));
        for (int p = 0; p < lab.length; p++) assertEquals(lab[p] == 2, ids[p] > 0, "pixel " + p);
        // Without splitting the blobs stay whole.
        Instances whole = new Instances();
        whole.seedDistance = 0;
        assertEquals(3, count(whole.apply(lab, w, h, 1, 2)));
        // The split line lies between the centres: disk 0's object holds the pixels nearer its centre.
        assertEquals(seen[0], ids[20 * w + 25]);
        assertEquals(seen[1], ids[20 * w + 31]);
    }

    @Test
    void largeCellsKeepOneSeedWhileSmallTouchingNucleiAreSplit() {
        // Three large "peanut" cells: two disks of radius 30 whose centres are 20 px apart, a neck
        // 28 px wide (a bump, not two cells). A fixed seed distance of 7 cuts each in two; scaled
        // to the cells (3/4 of their radius, about 22 px) each stays one.
        int w = 300, h = 100;
        int[][] centres = {{40, 50}, {60, 50}, {130, 50}, {150, 50}, {220, 50}, {240, 50}};
        int[] lab = disks(w, h, 30, centres);
        boolean[] fg = new boolean[lab.length];
        for (int p = 0; p < lab.length; p++) fg[p] = lab[p] == 2;
        assertEquals(30, Instances.typicalRadius(fg, Instances.distanceTransform(fg, w, h, 1), w, h, 1, 10), 1.0);
        Instances fixed = new Instances();
        fixed.autoSeedDistance = false;
        assertEquals(6, count(fixed.apply(lab, w, h, 1, 2)), "a fixed 7 px cuts each cell at its neck");
        assertEquals(3, count(new Instances().apply(lab, w, h, 1, 2)), "one object per cell");
        // small touching nuclei (radius 10, centres 16 apart): the scale is theirs, still split
        int[] small = disks(96, 84, 10, new int[][]{{20, 20}, {36, 20}, {52, 20}, {20, 60}, {36, 60}, {70, 60}});
        assertEquals(6, count(new Instances().apply(small, 96, 84, 1, 2)));
        // no foreground pieces as large as minObjectSize: the seed distance as given
        Instances tiny = new Instances();
        tiny.minObjectSize = 100000;
        boolean[] f = new boolean[small.length];
        for (int p = 0; p < small.length; p++) f[p] = small[p] == 2;
        assertEquals(7, tiny.seedDistance(f, Instances.distanceTransform(f, 96, 84, 1), 96, 84, 1), 1e-12);
        // one region as large as the image: the raise stops at 50 px (the smoothing's cost grows with it)
        boolean[] all = new boolean[400 * 400];
        Arrays.fill(all, true);
        Instances auto = new Instances();
        assertEquals(Instances.MAX_AUTO_SEED_DISTANCE, auto.seedDistance(all, Instances.distanceTransform(all, 400, 400, 1), 400, 400, 1), 1e-12);
        auto.seedDistance = 80; // a larger distance typed by the user holds
        assertEquals(80, auto.seedDistance(all, Instances.distanceTransform(all, 400, 400, 1), 400, 400, 1), 1e-12);
    }

    @Test
    void sameInputSameObjects() {
        int[] lab = disks(64, 64, 9, new int[][]{{20, 20}, {34, 24}, {44, 44}});
        assertArrayEquals(new Instances().apply(lab, 64, 64, 1, 2), new Instances().apply(lab.clone(), 64, 64, 1, 2));
    }

    @Test
    void holesAreFilledButNotBackgroundAtTheBorder() {
        int w = 20, h = 12;
        boolean[] fg = new boolean[w * h];
        // A ring (hole 2x2 at 4..5) and a U open to the image border at the bottom.
        for (int y = 2; y <= 7; y++) for (int x = 2; x <= 7; x++) fg[y * w + x] = !(x >= 4 && x <= 5 && y >= 4 && y <= 5);
        for (int y = 4; y < h; y++) { fg[y * w + 12] = true; fg[y * w + 16] = true; }
        for (int x = 12; x <= 16; x++) fg[4 * w + x] = true;
        Instances.fillHoles(fg, w, h, 1);
        assertTrue(fg[4 * w + 4] && fg[5 * w + 5], "the hole is filled");
        assertTrue(!fg[8 * w + 14], "the U's inside reaches the border: not a hole");
        // Background is 4-connected (objects 8-connected): a diagonal chain of background pixels
        // (0,0)-(1,1)-(2,2) does not connect (2,2) to the border, so (1,1) and (2,2) are holes.
        boolean[] diag = new boolean[25];
        Arrays.fill(diag, true);
        diag[0] = false;
        diag[6] = false;
        diag[12] = false;
        Instances.fillHoles(diag, 5, 5, 1);
        assertTrue(diag[12] && diag[6], "enclosed through 4-connectivity");
        assertTrue(!diag[0], "the border pixel stays background");
    }

    @Test
    void distanceTransformMatchesHandComputedValues() {
        // One background pixel at (0,0) in a 4x3 image: distance = sqrt(x^2 + y^2).
        int w = 4, h = 3;
        boolean[] fg = new boolean[w * h];
        Arrays.fill(fg, true);
        fg[0] = false;
        float[] d = Instances.distanceTransform(fg, w, h, 1);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) assertEquals(Math.sqrt(x * x + y * y), d[y * w + x], 1e-6);
        // A 3D line: background at z = 0 only, in a 1x1x5 column, and at both ends.
        boolean[] col = {false, true, true, true, true};
        assertArrayEquals(new float[]{0, 1, 2, 3, 4}, Instances.distanceTransform(col, 1, 1, 5));
        boolean[] both = {false, true, true, true, false};
        assertArrayEquals(new float[]{0, 1, 2, 1, 0}, Instances.distanceTransform(both, 5, 1, 1));
        // Brute force on a random 2D mask.
        java.util.Random rnd = new java.util.Random(3);
        int W = 17, H = 13;
        boolean[] m = new boolean[W * H];
        for (int i = 0; i < m.length; i++) m[i] = rnd.nextDouble() < 0.85;
        float[] e = Instances.distanceTransform(m, W, H, 1);
        for (int p = 0; p < m.length; p++) {
            double best = m[p] ? Double.MAX_VALUE : 0;
            for (int q = 0; q < m.length && m[p]; q++) {
                if (m[q]) continue;
                int dx = p % W - q % W, dy = p / W - q / W;
                best = Math.min(best, Math.sqrt(dx * dx + dy * dy));
            }
            assertEquals(best, e[p], 1e-5, "pixel " + p);
        }
    }

    @Test
    void smallObjectsAreDroppedAndTheRestNumberedInRasterOrder() {
        int[] ids = {0, 5, 5, 0, 9, 0, 7, 7, 7};
        assertArrayEquals(new int[]{0, 1, 1, 0, 0, 0, 2, 2, 2}, Instances.dropBySize(ids, 2, 0));
    }

    @Test
    void foregroundRulesPickClustersByBrightness() {
        int[] lab = {1, 2, 3, 0};
        Instances o = new Instances();
        o.seedDistance = 0;
        o.minObjectSize = 1;
        o.fillHoles = false;
        // auto, then not-darkest, brightest, darkest, not-brightest; auto is darkest on a bright background
        int[][] want = {{0, 1, 1, 0}, {0, 1, 1, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}, {1, 1, 0, 0}};
        int[][] wantBright = {{1, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}, {1, 1, 0, 0}};
        Instances.Foreground[] rules = Instances.Foreground.values();
        for (boolean bright : new boolean[]{false, true}) {
            o.brightBackground = bright;
            for (int i = 0; i < rules.length; i++) {
                o.foreground = rules[i];
                int[] ids = o.apply(lab, 4, 1, 1, 3);
                for (int p = 0; p < 4; p++) assertEquals((bright ? wantBright : want)[i][p] > 0, ids[p] > 0, rules[i] + " at " + p + ", bright " + bright);
            }
        }
        o.foreground = Instances.Foreground.AUTO;
        assertTrue(o.describe(null).contains("foreground auto: darkest"), o.describe(null));
        o.brightBackground = false;
        assertTrue(o.describe(null).contains("foreground auto: not-darkest"), o.describe(null));
        assertEquals(Instances.Foreground.BRIGHTEST, Instances.Foreground.parse("Brightest"));
        assertThrows(SegmentationException.class, () -> Instances.Foreground.parse("bright"));
    }

    @Test
    void touchingBallsAreSplitIn3D() {
        int w = 40, h = 24, d = 20;
        int[] lab = new int[w * h * d];
        Arrays.fill(lab, 1);
        int[][] c = {{12, 12, 10}, {26, 12, 10}};
        for (int z = 0; z < d; z++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            for (int[] q : c) {
                int dx = x - q[0], dy = y - q[1], dz = z - q[2];
                if (dx * dx + dy * dy + dz * dz <= 81) lab[(z * h + y) * w + x] = 2;
            }
        }
        int[] ids = new Instances().apply(lab, w, h, d, 2);
        assertEquals(2, count(ids));
        assertTrue(ids[(10 * h + 12) * w + 12] != ids[(10 * h + 12) * w + 26]);
    }

    /** A disk of radius 15 (value 100) on 10, its edge blurred over a few pixels, plus noise. */
    private static float[] blurredDisk(int w, int h, long seed) {
        float[] a = new float[w * h];
        java.util.Random rnd = new java.util.Random(seed);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double r = Math.hypot(x - 32, y - 32);
            a[y * w + x] = (float) (10 + 90 / (1 + Math.exp((r - 15) / 1.5)) + rnd.nextGaussian() * 2);
        }
        return a;
    }

    private static double iou(boolean[] a, boolean[] b) {
        int i = 0, u = 0;
        for (int p = 0; p < a.length; p++) { if (a[p] && b[p]) i++; if (a[p] || b[p]) u++; }
        return (double) i / u;
    }

    /**
     * Five bright and five dim disks (radius 10, 100 and 12 grey levels up) on a noisy background
     * (sigma 3) that brightens by 15 levels across the image; the clusters took only the bright ones.
     */
    private static float[] dimAndBright(int w, int h, boolean dim, boolean noise, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[] img = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double v = 20 + 15.0 * x / w + (noise ? 3 * rnd.nextGaussian() : 0);
            for (int i = 0; i < 10; i++) {
                int cx = 20 + 38 * (i % 5), cy = i < 5 ? 30 : 100;
                if (Math.hypot(x - cx, y - cy) <= 10) v += i < 5 ? 100 : dim ? 12 : 0;
            }
            img[y * w + x] = (float) v;
        }
        return img;
    }

    @Test
    void dimObjectsLeftInTheBackgroundAreFound() {
        int w = 200, h = 130;
        int[] lab = new int[w * h];
        for (boolean darkObjects : new boolean[]{false, true}) {
            float[] img = dimAndBright(w, h, true, true, 3);
            for (int p = 0; p < lab.length; p++) {
                lab[p] = img[p] > 90 ? 2 : 1;                      // the bright disks alone, as a linear cut gives
                if (darkObjects) { img[p] = 255 - img[p]; lab[p] = 3 - lab[p]; }
            }
            Instances o = new Instances();
            if (darkObjects) o.foreground = Instances.Foreground.DARKEST;
            int[] ids = o.apply(lab, img, w, h, 1, 2);
            assertEquals(10, count(ids), "bright and dim disks (dark objects: " + darkObjects + ")");
            assertEquals(5, o.dimFound());
            for (int i = 5; i < 10; i++) {                         // each dim disk, not a piece of it (its rim is smoothed below the level)
                int cx = 20 + 38 * (i % 5), cy = 100, in = 0, area = 0;
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                    if (Math.hypot(x - cx, y - cy) <= 10) { area++; in += ids[y * w + x] > 0 ? 1 : 0; }
                }
                assertTrue(in > 0.8 * area, "dim disk " + i + ": " + in + " of " + area);
            }
            o.dimObjects = 0;
            assertEquals(5, count(o.apply(lab, img, w, h, 1, 2)), "off: the clusters' objects only");
            assertTrue(new Instances().toString().contains("dim objects 3.0 noise levels up"), new Instances().toString());
        }
        // no dim disks: the noise and the shading make none, with noise or without (a flat residue's rounding)
        for (boolean noise : new boolean[]{true, false}) {
            float[] img = dimAndBright(w, h, false, noise, 5);
            for (int p = 0; p < lab.length; p++) lab[p] = img[p] > 90 ? 2 : 1;
            Instances o = new Instances();
            assertEquals(5, count(o.apply(lab, img, w, h, 1, 2)), "noise " + noise);
            assertEquals(0, o.dimFound(), "noise " + noise);
        }
        Instances bad = new Instances();
        bad.dimObjects = -1;
        assertThrows(SegmentationException.class, bad::validate);
    }

    /**
     * A dim object whose bright core alone the clusters caught (a piece of typical size): the dim
     * rest touching the core is larger than it and reaches beyond the smoothing's spread, so it is
     * no halo and joins the core; the bright disks' halos stay background.
     */
    @Test
    void theDimRestOfAnObjectJoinsItsBrightCore() {
        int w = 200, h = 130;
        java.util.Random rnd = new java.util.Random(7);
        float[] img = new float[w * h];
        int[] lab = new int[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double v = 20 + 3 * rnd.nextGaussian();
            for (int i = 0; i < 5; i++) if (Math.hypot(x - (20 + 38 * i), y - 30) <= 10) v += 100;
            double r = Math.hypot(x - 100, y - 95);
            if (r <= 16) v += r <= 4 ? 40 : 12;                     // the dim nucleus and its bright core
            img[y * w + x] = (float) v;
            lab[y * w + x] = v > 50 ? 2 : 1;
        }
        Instances o = new Instances();
        int[] ids = o.apply(lab, img, w, h, 1, 2);
        int id = ids[95 * w + 100], area = 0, in = 0;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            if (Math.hypot(x - 100, y - 95) <= 16) { area++; in += ids[y * w + x] == id ? 1 : 0; }
        }
        assertTrue(id > 0 && in > 0.8 * area, "the dim nucleus, whole: " + in + " of " + area);
        for (int i = 0; i < 5; i++) {
            int b = ids[30 * w + 20 + 38 * i], size = 0;
            for (int v : ids) if (v == b) size++;
            assertTrue(size <= 1.2 * Math.PI * 100, "bright disk " + i + ": " + size + " px, no halo");
        }
        assertEquals(6, count(ids));
    }

    @Test
    void outlinesMoveToTheStrongestEdge() {
        int w = 64, h = 64;
        float[] img = blurredDisk(w, h, 1);
        boolean[] truth = new boolean[w * h], masked = new boolean[w * h];
        for (int p = 0; p < truth.length; p++) truth[p] = Math.hypot(p % w - 32, p / w - 32) <= 15;
        // a low threshold's object (radius 19: the blurred rim and a halo) and a high one's (radius 11)
        for (double r0 : new double[]{19, 11}) {
            boolean[] fg = new boolean[w * h];
            for (int p = 0; p < fg.length; p++) fg[p] = Math.hypot(p % w - 32, p / w - 32) <= r0;
            double before = iou(fg, truth);
            Instances.refineEdges(fg, masked, img, w, h, 1, 6);
            double after = iou(fg, truth);
            assertTrue(before < 0.65, "radius " + r0 + ": " + before);
            assertTrue(after > 0.9, "radius " + r0 + ": IoU " + before + " -> " + after);
        }
        // without the image the option cannot work: a clear error, not a silent no-op
        Instances o = new Instances();
        o.refineEdges = 2;
        assertThrows(IllegalArgumentException.class, () -> o.apply(new int[]{1, 2}, 2, 1, 1, 2));
    }

    /** Edge refinement alone: no split, every object kept. */
    private static Instances refiner(double r) {
        Instances o = new Instances();
        o.seedDistance = 0;
        o.minObjectSize = 1;
        o.refineEdges = r;
        return o;
    }

    @Test
    void edgeRefinementDropsSpecksAndKeepsMaskedPixelsOut() {
        int w = 40, h = 30;
        float[] img = new float[w * h];
        int[] lab = new int[w * h];
        Arrays.fill(lab, 1);
        // a 12 x 10 bright box (label 2) and a 2 x 2 speck of label 2 on flat background
        for (int y = 5; y < 15; y++) for (int x = 5; x < 17; x++) { lab[y * w + x] = 2; img[y * w + x] = 50; }
        for (int y = 20; y < 22; y++) for (int x = 30; x < 32; x++) lab[y * w + x] = 2;
        lab[0] = 0; // masked (NaN) pixel
        img[0] = Float.NaN;
        Instances o = refiner(2);
        int[] ids = o.apply(lab, img, w, h, 1, 2);
        assertEquals(1, count(ids), "the speck has no core left and goes");
        int box = 0;
        for (int y = 0; y < 18; y++) for (int x = 0; x < w; x++) if (ids[y * w + x] > 0) {
            box++;
            assertTrue(x >= 5 && x < 17 && y >= 5 && y < 15, "outside the box at " + x + "," + y);
        }
        // the outline is the box's edge already; its 4 corner pixels may round off (the gradient is
        // taken on the image blurred with sigma 1)
        assertTrue(box >= 116, "box pixels kept: " + box + " of 120");
        assertEquals(0, ids[0]);
        assertTrue(o.toString().contains("edges refined within 2.0"), o.toString());
        o.refineEdges = -1;
        assertThrows(SegmentationException.class, o::validate);
    }

    @Test
    void aThinGapBetweenTwoObjectsStaysAGap() {
        // two bright boxes separated by a 2-pixel dark line, refined with r = 4: still two objects
        int w = 40, h = 20;
        float[] img = new float[w * h];
        int[] lab = new int[w * h];
        Arrays.fill(lab, 1);
        for (int y = 4; y < 16; y++) for (int x = 4; x < 36; x++) {
            if (x == 19 || x == 20) continue;
            lab[y * w + x] = 2;
            img[y * w + x] = 60;
        }
        int[] ids = refiner(4).apply(lab, img, w, h, 1, 2);
        assertEquals(2, count(ids));
        assertEquals(0, ids[10 * w + 19]);
        assertEquals(0, ids[10 * w + 20]);
    }

    /**
     * Cells joined by a gap in the 2-pixel membrane between them, refined with r = 4. Where the
     * background is such membranes (EM sections), a membrane stays a line of background (before,
     * the one joined object's front filled it: no background marker lay within r of it). Where
     * the background is wide and darker (a dim line inside cells, next to a dark region), the line
     * is a dim part of an object and is filled as before.
     */
    @Test
    void aDarkMembraneWithAGapStaysBackgroundADimLineIsFilled() {
        int w = 48, h = 24;
        for (boolean em : new boolean[]{true, false}) {
            float[] img = new float[w * h];
            boolean[] fg = new boolean[w * h];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                boolean line = (x == 27 || x == 28) && (y < 11 || y > 13);   // the gap: rows 11-13
                boolean wide = !em && x < 8;                                 // a wide dark background
                fg[y * w + x] = !line && !wide;
                img[y * w + x] = wide ? 0 : line ? (em ? 0 : 30) : 60;
            }
            Instances.refineEdges(fg, new boolean[w * h], img, w, h, 1, 4);
            int kept = 0, rows = 0;   // the line's rows away from the gap
            for (int y = 0; y < h; y++) if (y < 10 || y > 14) { rows++; kept += fg[y * w + 27] || fg[y * w + 28] ? 0 : 1; }
            if (em) assertEquals(rows, kept, "rows of the membrane still background");
            else assertEquals(0, kept, "rows of the dim line still background (it should be filled)");
        }
    }

    @Test
    void edgeRefinementWorksIn3D() {
        int w = 28, h = 28, d = 24;
        int n = w * h * d;
        float[] img = new float[n];
        boolean[] fg = new boolean[n], truth = new boolean[n];
        for (int z = 0; z < d; z++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double r = Math.sqrt((x - 14) * (x - 14) + (y - 14) * (y - 14) + (z - 12) * (z - 12));
            int p = (z * h + y) * w + x;
            img[p] = (float) (100 / (1 + Math.exp((r - 7) / 0.8)));
            truth[p] = r <= 7;
            fg[p] = r <= 9.5;
        }
        double before = iou(fg, truth);
        Instances.refineEdges(fg, new boolean[n], img, w, h, d, 3);
        // 0.38 -> 0.80 here: the rest is the voxel grid (half a voxel off a radius of 7 is IoU 0.80)
        assertTrue(before < 0.5 && iou(fg, truth) > 0.75, before + " -> " + iou(fg, truth));
    }

    /**
     * Small objects are refined, not removed: with refineEdges 4, nuclei of radius 3 (none 4
     * pixels deep) all went as specks; where every object is that thin the reach is now half the
     * thickest one's inscribed radius, so they stay and their outlines move to the edges, while a
     * speck thinner than that still goes.
     */
    @Test
    void edgeRefinementKeepsSmallObjectsAndDropsSpecks() {
        int w = 96, h = 96, n = w * h;
        float[] img = new float[n];
        boolean[] fg = new boolean[n], truth = new boolean[n];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int p = y * w + x;
            double r = Math.hypot((x % 24) - 12, (y % 24) - 12);   // 16 discs of radius 3 on a grid, found too wide
            img[p] = (float) (100 / (1 + Math.exp((r - 3) / 0.6)));
            truth[p] = r <= 3;
            fg[p] = r <= 3.9;                                     // IoU 0.64, refined 0.72
        }
        for (int y = 2; y < 4; y++) for (int x = 2; x < 4; x++) fg[y * w + x] = true;   // a 2 x 2 speck on the background
        double before = iou(fg, truth);
        assertEquals(2.0, Instances.refineEdges(fg, new boolean[n], img, w, h, 1, 4), 1e-6, "the reach: half the discs' inscribed radius, 4");
        assertFalse(fg[2 * w + 2], "the speck goes");
        int[] ids = Instances.components(fg, w, h, 1);
        int objects = 0;
        for (int v : ids) objects = Math.max(objects, v);
        assertEquals(16, objects, "every disc kept, none joined");
        assertTrue(iou(fg, truth) > before + 0.05, "outlines moved to the edges: IoU " + before + " -> " + iou(fg, truth));
    }
}

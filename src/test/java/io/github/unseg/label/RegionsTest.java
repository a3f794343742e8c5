package io.github.unseg.label;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RegionsTest {
    static final int W = 12, H = 8;

    /** Left half label 1 value 0, right half label 2 value 10; a 2x2 speck of label 3 with value v at (x0, 3). */
    static int[] halves(float[] f, int x0, float v) {
        int[] lab = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = y * W + x;
                lab[p] = x < W / 2 ? 1 : 2;
                f[p] = x < W / 2 ? 0 : 10;
            }
        }
        for (int y = 3; y < 5; y++) {
            for (int x = x0; x < x0 + 2; x++) {
                lab[y * W + x] = 3;
                f[y * W + x] = v;
            }
        }
        return lab;
    }

    @Test
    void smallRegionMergesIntoTheMostSimilarNeighbourAndLabelsStay() {
        float[] f = new float[W * H];
        // the speck straddles the boundary (x 5..6): it touches both halves and looks like the right one
        int[] lab = halves(f, 5, 9);
        int[] before = lab.clone();
        int[] out = Regions.merge(lab, f, 1, W, H, 1, 5, 0);
        assertArrayEquals(before, lab, "input not modified");
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int want = x < W / 2 && !(y >= 3 && y < 5 && x == 5) ? 1 : 2;
                assertEquals(want, out[y * W + x], "pixel " + x + "," + y);
            }
        }
        // the same speck, dark: it joins the left half
        int[] dark = Regions.merge(halves(f, 5, 1), f, 1, W, H, 1, 5, 0);
        assertEquals(1, dark[3 * W + 6]);
        // below the size: nothing happens
        assertArrayEquals(halves(f, 5, 9), Regions.merge(halves(f, 5, 9), f, 1, W, H, 1, 4, 0));
    }

    @Test
    void sameLabelApartIsTwoRegions() {
        // label 1 in two separate stripes: 3 regions; a 1-px stripe merges away, the big one stays
        int[] lab = new int[W * H];
        float[] f = new float[W * H];
        for (int p = 0; p < lab.length; p++) {
            int x = p % W;
            lab[p] = x == 0 || x >= 8 ? 1 : 2;
            f[p] = lab[p];
        }
        assertEquals(3, Regions.count(lab, W, H, 1));
        int[] out = Regions.merge(lab, f, 1, W, H, 1, H + 1, 0);
        assertEquals(2, Regions.count(out, W, H, 1));
        for (int y = 0; y < H; y++) assertEquals(2, out[y * W]);
        assertEquals(1, out[W - 1]);
    }

    @Test
    void nRegionsMergesTheMostSimilarAndNumbersByMean() {
        // four vertical bands of values 0, 1, 10, 30: three regions left merge 0 and 1
        int[] lab = new int[W * H];
        float[] f = new float[W * H];
        float[] v = {30, 0, 1, 10};
        for (int p = 0; p < lab.length; p++) {
            int band = (p % W) / 3;
            lab[p] = band + 1;
            f[p] = v[band];
        }
        int[] out = Regions.merge(lab, f, 1, W, H, 1, 0, 3);
        assertEquals(3, Regions.count(out, W, H, 1));
        for (int y = 0; y < H; y++) {
            assertEquals(3, out[y * W], "value 30: brightest of three");
            assertEquals(1, out[y * W + 3], "0 and 1 merged: darkest");
            assertEquals(1, out[y * W + 6]);
            assertEquals(2, out[y * W + 9]);
        }
        assertArrayEquals(out, Regions.merge(lab, f, 1, W, H, 1, 0, 3), "deterministic");
        // one region asked: everything unmasked is 1
        int[] one = Regions.merge(lab, f, 1, W, H, 1, 0, 1);
        for (int x : one) assertEquals(1, x);
    }

    @Test
    void maskedPixelsStayZeroAndAreNoRegion() {
        int[] lab = new int[W * H];
        float[] f = new float[W * H];
        for (int p = 0; p < lab.length; p++) lab[p] = p % W < 2 ? 0 : p % W < 7 ? 1 : 2;
        for (int p = 0; p < lab.length; p++) f[p] = lab[p];
        int[] out = Regions.merge(lab, f, 1, W, H, 1, 0, 1);
        for (int p = 0; p < lab.length; p++) assertEquals(lab[p] == 0 ? 0 : 1, out[p]);
        assertThrows(IllegalArgumentException.class, () -> Regions.merge(lab, new float[3], 1, W, H, 1, 2, 0));
    }

    /**
     * A smooth ramp cut into three bands (as a network cuts a sky) beside a sharp step: the
     * bands' boundaries have near-zero contrast and merge; the step's does not.
     */
    @Test
    void weakBoundariesMergeStrongOnesStay() {
        int w = 40, h = 10;
        int[] lab = new int[w * h];
        float[] f = new float[w * h];
        for (int p = 0; p < lab.length; p++) {
            int x = p % w;
            if (x < 30) {
                f[p] = 0.2f + 0.3f * x / 30;  // ramp 0.2 .. 0.5 (0.01 per pixel)
                lab[p] = 1 + x / 10;          // bands 1, 2, 3
            } else {
                f[p] = 0.9f;
                lab[p] = 4;
            }
        }
        int[] out = Regions.merge(lab, f, 1, w, h, 1, 0, 0.05, 0);
        assertEquals(2, Regions.count(out, w, h, 1));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < 30; x++) assertEquals(out[y * w], out[y * w + x]);
            assertEquals(4, out[y * w + 35], "the step stays");
        }
        // a threshold above the step's contrast (0.4) merges everything; a tiny one nothing
        assertEquals(1, Regions.count(Regions.merge(lab, f, 1, w, h, 1, 0, 0.5, 0), w, h, 1));
        assertArrayEquals(lab, Regions.merge(lab, f, 1, w, h, 1, 0, 0.001, 0));
    }

    /**
     * A texture (3x3 blocks of 0.3 and 0.6) cut in two along its blocks' edges, beside two smooth
     * regions (0.8 | 0.9). Every boundary is stronger than the threshold, so the absolute test
     * merges nothing; the relative one (mergeTexture) merges the texture's halves, whose boundary
     * (0.11 after the smoothing) is like their insides (0.06), and keeps the smooth step (0.05
     * against insides of 0.001-0.006) and the texture's edge.
     */
    @Test
    void mergeTextureJoinsATexturesPiecesAndKeepsSmoothEdges() {
        int w = 48, h = 12;
        int[] lab = new int[w * h];
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (x < 24) {
                    f[p] = (x / 3 + y / 3) % 2 == 0 ? 0.3f : 0.6f;
                    lab[p] = x < 12 ? 1 : 2;
                } else {
                    f[p] = x < 36 ? 0.8f : 0.9f;
                    lab[p] = x < 36 ? 3 : 4;
                }
            }
        }
        assertArrayEquals(lab, Regions.merge(lab, f, 1, w, h, 1, 0, 0.03, 0, 0), "absolute: every boundary stays");
        int[] out = Regions.merge(lab, f, 1, w, h, 1, 0, 0.03, 1.5, 0);
        assertEquals(3, Regions.count(out, w, h, 1));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < 24; x++) assertEquals(out[0], out[y * w + x], "the texture is one region");
            assertEquals(3, out[y * w + 30]);
            assertEquals(4, out[y * w + 40], "the smooth step stays");
        }
        // without mergeThreshold the texture weight does nothing (it only relaxes that test)
        assertArrayEquals(lab, Regions.merge(lab, f, 1, w, h, 1, 0, 0, 1.5, 0));
    }

    /**
     * Two touching objects the network labelled alike (one label over the whole image), with an
     * image edge between them (0.2 | 0.7) and a faint ramp inside each: the graph-based split
     * (splitScale) parts them along the edge and numbers the regions; without it, one region;
     * a merge threshold above the edge's contrast joins them again.
     */
    @Test
    void splitScalePartsTouchingObjectsAlongAnImageEdge() {
        int w = 40, h = 20;
        int[] lab = new int[w * h];
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                lab[y * w + x] = 1;
                f[y * w + x] = (x < 25 ? 0.2f : 0.7f) + 0.001f * x;
            }
        }
        int[] fh = GraphSegmentation.segment(f, 1, w, h, 1, 100, 0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) assertEquals(x < 25 ? fh[0] : fh[w - 1], fh[y * w + x], "segments follow the edge");
        }
        assertEquals(2, java.util.Arrays.stream(fh).max().getAsInt());
        assertEquals(1, java.util.Arrays.stream(GraphSegmentation.segment(f, 1, w, h, 1, 1e6, 0)).max().getAsInt(), "a huge scale: one");
        assertArrayEquals(lab, Regions.merge(lab, f, 1, w, h, 1, 0, 0, 0, 0, 0), "no split: one region");
        // (the smoothing before the split blurs the edge into bands two pixels wide: the size rule takes them)
        int[] out = Regions.merge(lab, f, 1, w, h, 1, 100, 50, 0, 0, 0);
        assertEquals(2, Regions.count(out, w, h, 1));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) assertEquals(x < 25 ? 1 : 2, out[y * w + x], "regions numbered darkest first");
        }
        assertEquals(1, Regions.count(Regions.merge(lab, f, 1, w, h, 1, 100, 50, 0.6, 0, 0), w, h, 1), "merged again above its contrast");
        int[] once = Regions.merge(lab, f, 1, w, h, 1, 100, 50, 0, 0, 0);
        assertArrayEquals(out, once, "deterministic");
    }

    /**
     * The weak-boundary merge against a plain re-implementation: merge the adjacent pair of least
     * (contrast, numbers) while below the threshold, recomputing every contrast (and with
     * mergeTexture every region's own) each time. Features are multiples of 1/8, so the sums are
     * exact and no tie depends on summation order.
     */
    @Test
    void weakBoundaryMergeEqualsTheNaiveOrder() {
        java.util.Random rnd = new java.util.Random(5);
        for (int round = 0; round < 40; round++) {
            int w = 4 + rnd.nextInt(20), h = 3 + rnd.nextInt(15);
            int[] lab = new int[w * h];
            float[] f = new float[w * h];
            for (int p = 0; p < lab.length; p++) {
                // a background label around specks of others: the large region touches most regions
                lab[p] = rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(3) : 1;
                f[p] = rnd.nextInt(8) / 8f;
            }
            double threshold = 0.05 + 0.3 * rnd.nextDouble(), texture = round % 3 * 0.5;
            assertArrayEquals(naiveWeakMerge(lab, f, w, h, threshold, texture), Regions.merge(lab, f, 1, w, h, 1, 0, threshold, texture, 0),
                    "round " + round + ", mergeTexture " + texture);
        }
    }

    private static int[] naiveWeakMerge(int[] lab, float[] f, int w, int h, double threshold, double texture) {
        ConnectedComponents.Objects ob = ConnectedComponents.label(lab, w, h, 1, false);
        int n = ob.count;
        float[] edge = Regions.smooth(f, 1, w, h, 1);
        int[] parent = new int[n + 1], size = new int[n + 1];
        for (int r = 1; r <= n; r++) { parent[r] = r; size[r] = ob.size[r]; }
        java.util.function.IntUnaryOperator find = r -> { while (parent[r] != r) r = parent[r]; return r; };
        while (true) {
            // every boundary between current regions: {faces, contrast sum} per pair; each region's own pairs
            java.util.Map<Long, double[]> pairs = new java.util.HashMap<>();
            double[] inner = new double[n + 1], innerPairs = new double[n + 1];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    for (int q : new int[]{x + 1 < w ? p + 1 : -1, y + 1 < h ? p + w : -1}) {
                        if (q < 0) continue;
                        int a = find.applyAsInt(ob.ids[p]), b = find.applyAsInt(ob.ids[q]);
                        if (a == b) {
                            inner[a] += Math.abs(edge[p] - edge[q]);
                            innerPairs[a]++;
                            continue;
                        }
                        double[] e = pairs.computeIfAbsent((long) Math.min(a, b) << 32 | Math.max(a, b), k -> new double[2]);
                        e[0]++;
                        e[1] += Math.abs(edge[p] - edge[q]);
                    }
                }
            }
            long best = -1;
            double bestC = Double.POSITIVE_INFINITY;
            for (java.util.Map.Entry<Long, double[]> e : pairs.entrySet()) {
                int a = (int) (e.getKey() >>> 32), b = (int) (long) e.getKey();
                double ownA = innerPairs[a] > 0 ? inner[a] / innerPairs[a] : 0, ownB = innerPairs[b] > 0 ? inner[b] / innerPairs[b] : 0;
                double c = e.getValue()[1] / e.getValue()[0] - (texture > 0 ? texture * Math.min(ownA, ownB) : 0);
                if (c < bestC || (c == bestC && e.getKey() < best)) { bestC = c; best = e.getKey(); }
            }
            if (best < 0 || bestC >= threshold) break;
            int a = (int) (best >>> 32), b = (int) best;
            int keep = size[a] >= size[b] ? a : b, gone = keep == a ? b : a;
            parent[gone] = keep;
            size[keep] += size[gone];
        }
        int[] out = new int[lab.length];
        for (int p = 0; p < out.length; p++) out[p] = ob.label[find.applyAsInt(ob.ids[p])];
        return out;
    }
}

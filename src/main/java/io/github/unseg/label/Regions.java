package io.github.unseg.label;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Region post-processing of a label image: its regions are the connected pieces of equal label
 * (4-connected in 2D, 6 in 3D; label 0 = masked, never a region). Two steps, both by the regions'
 * mean features (e.g. the normalised colour), so that what merges looks alike:
 * <ol>
 *   <li>{@code minRegionSize}: every region smaller than this merges into its most similar
 *   neighbour, smallest first: specks and the thin stripes a network leaves go, while the
 *   labels keep their meaning (a merged region takes the neighbour's label).</li>
 *   <li>{@code mergeThreshold}: then adjacent regions whose boundary is weak merge, weakest first:
 *   the boundary's contrast is the mean, over the pixel pairs that straddle it, of the distance
 *   between the two pixels' features (lightly smoothed, [1 2 1] in x and y, so that noise does
 *   not make every boundary strong). A smooth gradient that the network cut into bands (a sky)
 *   has boundaries of near-zero contrast and becomes one region; an object's outline does not.
 *   Contrast sums add up when regions merge, so the step is exact and fast. With
 *   {@code mergeTexture} t &gt; 0 the test is relative, after Felzenszwalb and Huttenlocher's
 *   (IJCV 2004): a boundary merges while its contrast is below mergeThreshold + t x the smoother
 *   region's own contrast (the same mean over its inner pixel pairs), so that the pieces of a
 *   texture (grass, foliage), whose boundaries are as strong as their insides, become one region,
 *   while an edge between two smooth regions stays.</li>
 *   <li>{@code nRegions}: then the most similar adjacent regions merge (Ward's criterion:
 *   n_a n_b / (n_a + n_b) |mean_a - mean_b|^2, so small regions go first) until at most that
 *   many remain; the result is one label per region, 1..n, numbered by mean first feature (darkest first).</li>
 * </ol>
 * Deterministic: ties broken by region number (raster order of the region's first pixel).
 */
public final class Regions {
    private Regions() { }

    /**
     * @param labels   label per pixel (0 = masked), not modified
     * @param features per-pixel features, pixel-major (pixel p, feature c at p * dims + c); masked pixels ignored
     * @param minSize  regions below this many pixels merge into a neighbour (0 or 1 = none)
     * @param nRegions merge down to this many regions and number them 1..n (0 = keep the labels)
     * @return a new label array
     */
    public static int[] merge(int[] labels, float[] features, int dims, int w, int h, int d, int minSize, int nRegions) {
        return merge(labels, features, dims, w, h, d, minSize, 0, nRegions);
    }

    /** As above, with boundaries of contrast below mergeThreshold merged between the two steps (0 = none). */
    public static int[] merge(int[] labels, float[] features, int dims, int w, int h, int d, int minSize, double mergeThreshold, int nRegions) {
        return merge(labels, features, dims, w, h, d, minSize, mergeThreshold, 0, nRegions);
    }

    /** As above, the boundary test relative to the regions' own contrast by mergeTexture (0 = absolute). */
    public static int[] merge(int[] labels, float[] features, int dims, int w, int h, int d, int minSize, double mergeThreshold,
            double mergeTexture, int nRegions) {
        return merge(labels, features, dims, w, h, d, 0, minSize, mergeThreshold, mergeTexture, nRegions);
    }

    /**
     * As above, each region first split along a graph-based segmentation of the image at
     * splitScale ({@link GraphSegmentation}; 0 = none): the network labels two touching objects
     * of one colour alike, an image edge between them parts them. The result is then one label
     * per region, 1..n, as with nRegions (a region's label alone would join the parts again).
     */
    public static int[] merge(int[] labels, float[] features, int dims, int w, int h, int d, double splitScale, int minSize,
            double mergeThreshold, double mergeTexture, int nRegions) {
        int n = w * h * d;
        if (labels.length != n || features.length < (long) n * dims) throw new IllegalArgumentException("labels and features do not match the image");
        boolean weak = mergeThreshold > 0, split = splitScale > 0;
        float[] edge = weak || split ? smooth(features, dims, w, h, d) : features;
        int[] base = split ? intersect(labels, GraphSegmentation.segment(edge, dims, w, h, d, splitScale, minSize)) : labels;
        Graph g = new Graph(base, features, edge, dims, w, h, d, weak ? mergeTexture : 0);
        if (minSize > 1) g.mergeSmall(minSize);
        if (weak) g.mergeWeak(mergeThreshold);
        if (nRegions > 0) g.mergeTo(nRegions);
        if (split && g.alive > 65535) {
            throw new io.github.unseg.core.SegmentationException("splitScale " + splitScale + " leaves " + g.alive
                    + " regions, more than a 16-bit label image holds: raise splitScale or minRegionSize.");
        }
        return g.result(base, nRegions > 0 || split);
    }

    /** A label per (label, segment) pair met, numbered in raster order; 0 stays 0. */
    static int[] intersect(int[] labels, int[] segments) {
        java.util.HashMap<Long, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[labels.length];
        long last = -1;
        int lastId = 0;
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] == 0) continue;
            long key = ((long) labels[p] << 32) | (segments[p] & 0xffffffffL);
            if (key != last) { // runs along a row share the pair: one map lookup a run
                Integer id = ids.get(key);
                if (id == null) { id = ids.size() + 1; ids.put(key, id); }
                last = key;
                lastId = id;
            }
            out[p] = lastId;
        }
        return out;
    }

    /** [1 2 1] / 4 in x, then in y, per plane and feature, edges repeated. */
    static float[] smooth(float[] f, int dims, int w, int h, int d) {
        float[] a = new float[w * h * d * dims], b = new float[a.length];
        int hw = w * h;
        for (int z = 0; z < d; z++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = z * hw + y * w + x, l = x > 0 ? p - 1 : p, r = x + 1 < w ? p + 1 : p;
                    for (int c = 0; c < dims; c++) a[p * dims + c] = (f[l * dims + c] + 2 * f[p * dims + c] + f[r * dims + c]) / 4;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = z * hw + y * w + x, u = y > 0 ? p - w : p, o = y + 1 < h ? p + w : p;
                    for (int c = 0; c < dims; c++) b[p * dims + c] = (a[u * dims + c] + 2 * a[p * dims + c] + a[o * dims + c]) / 4;
                }
            }
        }
        return b;
    }

    /** Regions, their sizes, feature sums, labels and neighbours (with union-find over the pixels' regions). */
    private static final class Graph {
        final int dims;
        final int[] region;            // region of each pixel (0 = masked), before merging
        int count;
        int[] parent, size, label, version;
        double[] sum;                  // count x dims
        final double texture;          // mergeTexture; 0: the inner sums below are not kept
        double[] inner, innerPairs;    // per region: feature distances summed over its adjacent pixel pairs, and their number
        // region -> neighbour -> {shared boundary faces, sum of the feature distances across them}
        List<Map<Integer, double[]>> adj = new ArrayList<>();
        int alive;

        Graph(int[] labels, float[] f, float[] edge, int dims, int w, int h, int d, double texture) {
            this.dims = dims;
            this.texture = texture;
            int n = labels.length;
            ConnectedComponents.Objects ob = ConnectedComponents.label(labels, w, h, d, false);
            region = ob.ids;
            count = ob.count;
            parent = new int[count + 1];
            size = new int[count + 1];
            label = new int[count + 1];
            version = new int[count + 1];
            sum = new double[(count + 1) * dims];
            if (texture > 0) {
                inner = new double[count + 1];
                innerPairs = new double[count + 1];
            }
            for (int r = 0; r <= count; r++) parent[r] = r;
            for (int r = 1; r <= count; r++) { size[r] = ob.size[r]; label[r] = ob.label[r]; }
            adj.add(null);
            for (int r = 1; r <= count; r++) adj.add(new HashMap<>());
            for (int p = 0; p < n; p++) {
                int r = region[p];
                if (r == 0) continue;
                for (int c = 0; c < dims; c++) sum[r * dims + c] += f[p * dims + c];
            }
            int hw = w * h;
            for (int z = 0; z < d; z++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = z * hw + y * w + x, r = region[p];
                        if (r == 0) continue;
                        if (x + 1 < w) link(r, region[p + 1], edge, p, p + 1);
                        if (y + 1 < h) link(r, region[p + w], edge, p, p + w);
                        if (z + 1 < d) link(r, region[p + hw], edge, p, p + hw);
                    }
                }
            }
            alive = count;
        }

        private void link(int a, int b, float[] f, int p, int q) {
            if (b == 0 || (a == b && inner == null)) return;
            double s = 0;
            for (int c = 0; c < dims; c++) {
                double t = f[p * dims + c] - f[q * dims + c];
                s += t * t;
            }
            if (a == b) {
                inner[a] += Math.sqrt(s);
                innerPairs[a]++;
                return;
            }
            double[] e = adj.get(a).computeIfAbsent(b, k -> new double[2]);
            e[0]++;
            e[1] += Math.sqrt(s);
            adj.get(b).put(a, e); // one record, shared by both directions
        }

        private static double[] add(double[] x, double[] y) { return new double[]{x[0] + y[0], x[1] + y[1]}; }

        /** The boundary's contrast, less mergeTexture x the smoother region's own. */
        double contrast(int a, int b) {
            double[] e = adj.get(a).get(b);
            if (inner == null) return e[1] / e[0];
            return e[1] / e[0] - texture * Math.min(own(a), own(b));
        }

        private double own(int a) { return innerPairs[a] > 0 ? inner[a] / innerPairs[a] : 0; }

        int find(int r) {
            while (parent[r] != r) { parent[r] = parent[parent[r]]; r = parent[r]; }
            return r;
        }

        double distance2(int a, int b) {
            double s = 0;
            for (int c = 0; c < dims; c++) {
                double m = sum[a * dims + c] / size[a] - sum[b * dims + c] / size[b];
                s += m * m;
            }
            return s;
        }

        double ward(int a, int b) {
            return (double) size[a] * size[b] / (size[a] + size[b]) * distance2(a, b);
        }

        /** Merges b into a: a keeps its label. */
        void union(int a, int b) {
            if (inner != null) { // the boundary's pairs are inside the merged region now
                double[] ab = adj.get(a).get(b);
                inner[a] += inner[b] + (ab == null ? 0 : ab[1]);
                innerPairs[a] += innerPairs[b] + (ab == null ? 0 : ab[0]);
            }
            parent[b] = a;
            size[a] += size[b];
            for (int c = 0; c < dims; c++) sum[a * dims + c] += sum[b * dims + c];
            Map<Integer, double[]> na = adj.get(a);
            for (Map.Entry<Integer, double[]> e : adj.get(b).entrySet()) {
                int q = e.getKey();
                if (q == a) continue;
                double[] old = na.get(q);
                double[] joined = old == null ? e.getValue() : add(old, e.getValue());
                na.put(q, joined);
                Map<Integer, double[]> nq = adj.get(q);
                nq.remove(b);
                nq.put(a, joined);
            }
            na.remove(b);
            adj.set(b, null);
            version[a]++;
            version[b]++;
            alive--;
        }

        void mergeSmall(int minSize) {
            // smallest first; an entry is stale when its region merged or grew since
            PriorityQueue<long[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
            for (int r = 1; r <= count; r++) if (size[r] < minSize) queue.add(new long[]{size[r], r});
            while (!queue.isEmpty() && alive > 1) {
                long[] e = queue.poll();
                int r = (int) e[1];
                if (parent[r] != r || size[r] != e[0] || size[r] >= minSize) continue;
                Map<Integer, double[]> nb = adj.get(r);
                if (nb.isEmpty()) continue; // alone in its part of the image (the rest masked): nothing to merge into
                int best = -1;
                double bestD = Double.POSITIVE_INFINITY;
                for (int q : nb.keySet()) {   // ties to the lowest number: the same in any map order
                    double dd = distance2(r, q);
                    if (dd < bestD || (dd == bestD && q < best)) { bestD = dd; best = q; }
                }
                // the larger keeps its number and label
                int keep = size[best] >= size[r] ? best : r, gone = keep == best ? r : best;
                union(keep, gone);
                if (size[keep] < minSize) queue.add(new long[]{size[keep], keep});
            }
        }

        void mergeTo(int target) {
            PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> {
                int c = Double.compare(x[0], y[0]);
                if (c != 0) return c;
                c = Double.compare(x[1], y[1]);
                return c != 0 ? c : Double.compare(x[2], y[2]);
            });
            for (int a = 1; a <= count; a++) {
                if (parent[a] != a) continue;
                for (int b : adj.get(a).keySet()) if (a < b) queue.add(entry(a, b));
            }
            while (alive > target && !queue.isEmpty()) {
                double[] e = queue.poll();
                int a = (int) e[1], b = (int) e[2];
                if (parent[a] != a || parent[b] != b || version[a] != (int) e[3] || version[b] != (int) e[4]) continue;
                int keep = size[a] >= size[b] ? a : b, gone = keep == a ? b : a;
                union(keep, gone);
                for (int q : adj.get(keep).keySet()) queue.add(entry(Math.min(keep, q), Math.max(keep, q)));
            }
        }

        /** Merges adjacent regions while the weakest boundary's contrast is below the threshold. */
        void mergeWeak(double threshold) {
            PriorityQueue<double[]> queue = new PriorityQueue<>(ORDER);
            for (int a = 1; a <= count; a++) {
                if (parent[a] != a) continue;
                for (int b : adj.get(a).keySet()) if (a < b) queue.add(weak(a, b));
            }
            while (alive > 1 && !queue.isEmpty()) {
                double[] e = queue.poll();
                if (e[0] >= threshold) break;
                int a = (int) e[1], b = (int) e[2];
                if (parent[a] != a || parent[b] != b || version[a] != (int) e[3] || version[b] != (int) e[4]) continue;
                int keep = size[a] >= size[b] ? a : b, gone = keep == a ? b : a;
                union(keep, gone);
                for (int q : adj.get(keep).keySet()) queue.add(weak(Math.min(keep, q), Math.max(keep, q)));
            }
        }

        private double[] weak(int a, int b) {
            return new double[]{contrast(a, b), a, b, version[a], version[b]};
        }

        /** Queue order: cost, then the pair's numbers (deterministic ties). */
        static final java.util.Comparator<double[]> ORDER = (x, y) -> {
            int c = Double.compare(x[0], y[0]);
            if (c != 0) return c;
            c = Double.compare(x[1], y[1]);
            return c != 0 ? c : Double.compare(x[2], y[2]);
        };

        private double[] entry(int a, int b) {
            return new double[]{ward(a, b), a, b, version[a], version[b]};
        }

        int[] result(int[] labels, boolean regions) {
            int[] out = new int[region.length];
            if (!regions) {
                for (int p = 0; p < out.length; p++) out[p] = region[p] == 0 ? 0 : label[find(region[p])];
                return out;
            }
            // the remaining regions numbered by mean first feature, then by number
            List<Integer> roots = new ArrayList<>();
            for (int r = 1; r <= count; r++) if (parent[r] == r) roots.add(r);
            roots.sort((x, y) -> {
                int c = Double.compare(sum[x * dims] / size[x], sum[y * dims] / size[y]);
                return c != 0 ? c : Integer.compare(x, y);
            });
            int[] id = new int[count + 1];
            for (int i = 0; i < roots.size(); i++) id[roots.get(i)] = i + 1;
            for (int p = 0; p < out.length; p++) out[p] = region[p] == 0 ? 0 : id[find(region[p])];
            return out;
        }
    }

    /** The number of regions (connected pieces of equal non-zero label, 4- / 6-connected). */
    public static int count(int[] labels, int w, int h, int d) {
        return ConnectedComponents.label(labels, w, h, d, false).count;
    }
}

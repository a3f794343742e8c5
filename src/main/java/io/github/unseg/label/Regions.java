package io.github.unseg.label;

import java.util.ArrayList;
import java.util.List;
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
        // region -> neighbour -> edge; an edge (one record for both directions) holds the shared
        // boundary's faces and the sum of the feature distances across them
        IntIntMap[] adj;
        double[] faces = new double[64], across = new double[64];
        int[] edgeVersion = new int[64];   // bumped when its contrast may change (sums, ends; with mergeTexture, an end region), or it goes
        int edges;
        // the neighbours whose edge to the kept region union changed (moved or summed), when tracked
        int[] changed = new int[16];
        int nChanged = -1;                 // -1: not tracked
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
            adj = new IntIntMap[count + 1];
            for (int r = 1; r <= count; r++) adj[r] = new IntIntMap();
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

        private int lastA, lastB, lastEdge;   // pairs along a row repeat: one map lookup a run

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
            int e;
            if (a == lastA && b == lastB) e = lastEdge;
            else {
                e = adj[a].get(b);
                if (e < 0) {
                    e = newEdge();
                    adj[a].put(b, e);
                    adj[b].put(a, e);
                }
                lastA = a;
                lastB = b;
                lastEdge = e;
            }
            faces[e]++;
            across[e] += Math.sqrt(s);
        }

        private int newEdge() {
            if (edges == faces.length) {
                faces = java.util.Arrays.copyOf(faces, edges * 2);
                across = java.util.Arrays.copyOf(across, edges * 2);
                edgeVersion = java.util.Arrays.copyOf(edgeVersion, edges * 2);
            }
            return edges++;
        }

        /** The boundary's contrast, less mergeTexture x the smoother region's own. */
        double contrast(int a, int b) {
            int e = adj[a].get(b);
            if (inner == null) return across[e] / faces[e];
            return across[e] / faces[e] - texture * Math.min(own(a), own(b));
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
                int ab = adj[a].get(b);
                inner[a] += inner[b] + (ab < 0 ? 0 : across[ab]);
                innerPairs[a] += innerPairs[b] + (ab < 0 ? 0 : faces[ab]);
            }
            parent[b] = a;
            size[a] += size[b];
            for (int c = 0; c < dims; c++) sum[a * dims + c] += sum[b * dims + c];
            IntIntMap na = adj[a], nb = adj[b];
            for (int i = 0; i < nb.capacity(); i++) {
                int q = nb.keyAt(i);
                if (q == 0 || q == a) continue;
                int e = nb.valueAt(i), old = na.get(q);
                IntIntMap nq = adj[q];
                nq.remove(b);
                edgeVersion[e]++;
                if (old < 0) { // b's edge to q becomes a's
                    na.put(q, e);
                    nq.put(a, e);
                    track(q);
                } else {       // a already touches q: one boundary now
                    faces[old] += faces[e];
                    across[old] += across[e];
                    edgeVersion[old]++;
                    track(q);
                }
            }
            int ab = na.get(b);
            if (ab >= 0) edgeVersion[ab]++;
            na.remove(b);
            adj[b] = null;
            version[a]++;
            version[b]++;
            alive--;
        }

        void mergeSmall(int minSize) {
            // smallest first; an entry is stale when its region merged or grew since
            // an entry is size << 32 | region: the heap's order is size, then number
            LongHeap queue = new LongHeap(count);
            for (int r = 1; r <= count; r++) if (size[r] < minSize) queue.add((long) size[r] << 32 | r);
            while (!queue.isEmpty() && alive > 1) {
                long e = queue.poll();
                int r = (int) e;
                if (parent[r] != r || size[r] != (int) (e >>> 32) || size[r] >= minSize) continue;
                IntIntMap nb = adj[r];
                if (nb.isEmpty()) continue; // alone in its part of the image (the rest masked): nothing to merge into
                int best = -1;
                double bestD = Double.POSITIVE_INFINITY;
                for (int i = 0; i < nb.capacity(); i++) {   // ties to the lowest number: the same in any map order
                    int q = nb.keyAt(i);
                    if (q == 0) continue;
                    double dd = distance2(r, q);
                    if (dd < bestD || (dd == bestD && q < best)) { bestD = dd; best = q; }
                }
                // the larger keeps its number and label
                int keep = size[best] >= size[r] ? best : r, gone = keep == best ? r : best;
                union(keep, gone);
                if (size[keep] < minSize) queue.add((long) size[keep] << 32 | keep);
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
                for (int b : adj[a].keys()) if (a < b) queue.add(entry(a, b));
            }
            while (alive > target && !queue.isEmpty()) {
                double[] e = queue.poll();
                int a = (int) e[1], b = (int) e[2];
                if (parent[a] != a || parent[b] != b || version[a] != (int) e[3] || version[b] != (int) e[4]) continue;
                int keep = size[a] >= size[b] ? a : b, gone = keep == a ? b : a;
                union(keep, gone);
                for (int q : adj[keep].keys()) queue.add(entry(Math.min(keep, q), Math.max(keep, q)));
            }
        }

        private void track(int q) {
            if (nChanged < 0) return;
            if (nChanged == changed.length) changed = java.util.Arrays.copyOf(changed, nChanged * 2);
            changed[nChanged++] = q;
        }

        /**
         * Merges adjacent regions while the weakest boundary's contrast is below the threshold.
         * An entry is stale once its edge changed; after a merge only the boundaries it moved or
         * summed are queued again (queuing all the kept region's made a large background, which
         * touches most regions, fill the queue with stale copies: Java's memory ran out on a noisy
         * 8000 x 8000 plane), all of them when the test is relative to the regions' own contrast,
         * which the merge changed.
         */
        void mergeWeak(double threshold) {
            PriorityQueue<double[]> queue = new PriorityQueue<>(ORDER);
            for (int a = 1; a <= count; a++) {
                if (parent[a] != a) continue;
                for (int b : adj[a].keys()) if (a < b) queue.add(edgeEntry(a, b));
            }
            nChanged = 0;
            while (alive > 1 && !queue.isEmpty()) {
                double[] e = queue.poll();
                if (e[0] >= threshold) break;
                if (edgeVersion[(int) e[3]] != (int) e[4]) continue;
                int a = (int) e[1], b = (int) e[2];
                int keep = size[a] >= size[b] ? a : b, gone = keep == a ? b : a;
                nChanged = 0;
                union(keep, gone);
                if (inner != null) {
                    for (int q : adj[keep].keys()) {
                        edgeVersion[adj[keep].get(q)]++;
                        queue.add(edgeEntry(Math.min(keep, q), Math.max(keep, q)));
                    }
                } else {
                    for (int i = 0; i < nChanged; i++) queue.add(edgeEntry(Math.min(keep, changed[i]), Math.max(keep, changed[i])));
                }
            }
            nChanged = -1;
        }

        private double[] edgeEntry(int a, int b) {
            int e = adj[a].get(b);
            return new double[]{contrast(a, b), a, b, e, edgeVersion[e]};
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

    /** A binary min-heap of longs (a PriorityQueue of boxed entries and a comparator cost twice the time). */
    static final class LongHeap {
        private long[] a;
        private int n;

        LongHeap(int expected) { a = new long[Math.max(16, expected)]; }

        boolean isEmpty() { return n == 0; }

        void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            int i = n++;
            while (i > 0) {
                int up = (i - 1) >>> 1;
                if (a[up] <= v) break;
                a[i] = a[up];
                i = up;
            }
            a[i] = v;
        }

        long poll() {
            long top = a[0], v = a[--n];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && a[c + 1] < a[c]) c++;
                if (v <= a[c]) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }

    /** The number of regions (connected pieces of equal non-zero label, 4- / 6-connected). */
    public static int count(int[] labels, int w, int h, int d) {
        return ConnectedComponents.label(labels, w, h, d, false).count;
    }
}

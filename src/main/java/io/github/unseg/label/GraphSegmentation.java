package io.github.unseg.label;

import java.util.Arrays;

/**
 * Felzenszwalb and Huttenlocher's graph-based segmentation (IJCV 2004), as scikit-image's
 * {@code felzenszwalb} runs it: the 8-connected pixel graph of each plane, edges weighted by the
 * Euclidean distance of the two pixels' features, taken lightest first; two components join
 * when the edge is no heavier than either one's largest inner edge plus scale / 255 / its size;
 * then components below minSize join across their lightest edges. Used to split the CNN's
 * regions where an image edge runs through them (see {@link Regions}).
 */
public final class GraphSegmentation {
    private GraphSegmentation() { }

    /**
     * @param f       features, pixel-major (pixel p, feature c at p * dims + c), in [0, 1]
     * @param scale   larger: larger components (scikit-image's scale: features in [0, 1], so scale / 255)
     * @param minSize components below this many pixels join a neighbour (0 or 1 = none)
     * @return a component id per pixel, 1..n, planes numbered apart
     */
    public static int[] segment(float[] f, int dims, int w, int h, int d, double scale, int minSize) {
        int hw = w * h;
        int[] out = new int[hw * d];
        int next = 0;
        for (int z = 0; z < d; z++) next = plane(f, dims, w, h, z * hw, scale / 255.0, minSize, out, next);
        return out;
    }

    /** One plane: its components numbered next + 1, ...; returns the last number used. */
    private static int plane(float[] f, int dims, int w, int h, int off, double k, int minSize, int[] out, int next) {
        int n = w * h;
        // edges as (weight bits << 32 | pixel << 2 | direction): non-negative floats sort as their bits
        long[] edges = new long[4 * n];
        int m = 0;
        int[] dx = {1, 0, 1, 1}, dy = {0, 1, 1, -1};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                for (int dir = 0; dir < 4; dir++) {
                    int qx = x + dx[dir], qy = y + dy[dir];
                    if (qx >= w || qy < 0 || qy >= h) continue;
                    float wt = distance(f, dims, off + p, off + qy * w + qx);
                    edges[m++] = ((long) Float.floatToIntBits(wt) << 32) | ((long) p << 2) | dir;
                }
            }
        }
        Arrays.sort(edges, 0, m); // ties by pixel and direction: deterministic; no trimmed copy (8 bytes an edge)
        int[] parent = new int[n], size = new int[n];
        float[] inner = new float[n];
        for (int p = 0; p < n; p++) { parent[p] = p; size[p] = 1; }
        for (int i = 0; i < m; i++) {
            long e = edges[i];
            int p = (int) (e & 0xffffffffL) >>> 2, dir = (int) (e & 3);
            int q = (p / w + dy[dir]) * w + p % w + dx[dir];
            int a = find(parent, p), b = find(parent, q);
            if (a == b) continue;
            float wt = Float.intBitsToFloat((int) (e >>> 32));
            if (wt <= inner[a] + k / size[a] && wt <= inner[b] + k / size[b]) {
                int r = join(parent, size, a, b);
                inner[r] = wt; // edges come lightest first: the heaviest of the component's tree
            }
        }
        if (minSize > 1) {
            for (int i = 0; i < m; i++) {
                long e = edges[i];
                int p = (int) (e & 0xffffffffL) >>> 2, dir = (int) (e & 3);
                int q = (p / w + dy[dir]) * w + p % w + dx[dir];
                int a = find(parent, p), b = find(parent, q);
                if (a != b && (size[a] < minSize || size[b] < minSize)) join(parent, size, a, b);
            }
        }
        int[] id = new int[n];
        for (int p = 0; p < n; p++) {
            int r = find(parent, p);
            if (id[r] == 0) id[r] = ++next;
            out[off + p] = id[r];
        }
        return next;
    }

    private static float distance(float[] f, int dims, int p, int q) {
        double s = 0;
        for (int c = 0; c < dims; c++) {
            double t = f[p * dims + c] - f[q * dims + c];
            s += t * t;
        }
        return (float) Math.sqrt(s);
    }

    private static int find(int[] parent, int r) {
        while (parent[r] != r) { parent[r] = parent[parent[r]]; r = parent[r]; }
        return r;
    }

    /** Joins two roots, the larger keeping its number (the smaller number on a tie); returns the root. */
    private static int join(int[] parent, int[] size, int a, int b) {
        if (size[a] < size[b] || (size[a] == size[b] && b < a)) { int t = a; a = b; b = t; }
        parent[b] = a;
        size[a] += size[b];
        return a;
    }
}

package io.github.unseg.label;

/**
 * Connected components of a 2D label plane: pixels with the same non-zero label that touch
 * (8-connected by default, or 4-connected) form one object. Two-pass union-find, linear time.
 */
public final class ConnectedComponents {
    private ConnectedComponents() { }

    /** The result: object id per pixel (0 = background), each object's source label and size. */
    public static final class Objects {
        public final int[] ids;
        public final int count;
        public final int[] label;
        public final int[] size;

        Objects(int[] ids, int count, int[] label, int[] size) {
            this.ids = ids; this.count = count; this.label = label; this.size = size;
        }
    }

    public static Objects label(int[] labels, int width, int height, boolean eightConnected) {
        int n = width * height;
        int[] parent = new int[n + 1];
        int[] ids = new int[n];
        int next = 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x, v = labels[p];
                if (v == 0) continue;
                int id = 0;
                // Neighbours already visited: W, NW, N, NE.
                if (x > 0 && labels[p - 1] == v) id = union(parent, id, ids[p - 1]);
                if (y > 0) {
                    if (labels[p - width] == v) id = union(parent, id, ids[p - width]);
                    if (eightConnected) {
                        if (x > 0 && labels[p - width - 1] == v) id = union(parent, id, ids[p - width - 1]);
                        if (x < width - 1 && labels[p - width + 1] == v) id = union(parent, id, ids[p - width + 1]);
                    }
                }
                if (id == 0) { id = next++; parent[id] = id; }
                ids[p] = id;
            }
        }
        int[] compact = new int[next];
        int count = 0;
        for (int i = 1; i < next; i++) {
            int r = find(parent, i);
            if (compact[r] == 0) compact[r] = ++count;
            compact[i] = compact[r];
        }
        int[] lab = new int[count + 1], size = new int[count + 1];
        for (int p = 0; p < n; p++) {
            if (ids[p] == 0) continue;
            int o = compact[ids[p]];
            ids[p] = o;
            lab[o] = labels[p];
            size[o]++;
        }
        return new Objects(ids, count, lab, size);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) { parent[i] = parent[parent[i]]; i = parent[i]; }
        return i;
    }

    private static int union(int[] parent, int a, int b) {
        int rb = find(parent, b);
        if (a == 0) return rb;
        int ra = find(parent, a);
        if (ra == rb) return ra;
        int r = Math.min(ra, rb);
        parent[ra] = r;
        parent[rb] = r;
        return r;
    }
}

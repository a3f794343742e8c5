package io.github.unseg.label;

import java.util.ArrayList;
import java.util.List;

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
        return label(labels, width, height, 1, eightConnected);
    }

    /**
     * Objects of a 2D or 3D label image (depth 1 = 2D). {@code full}: 8-connected in 2D,
     * 26-connected in 3D (as scikit-image's default); otherwise 4- / 6-connected.
     */
    public static Objects label(int[] labels, int width, int height, int depth, boolean full) {
        int n = width * height * depth;
        // Offsets of the neighbours visited before a voxel in raster order.
        List<int[]> offs = new ArrayList<>();
        for (int dz = -1; dz <= 0; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) continue;
                    if (depth == 1 && dz != 0) continue;
                    int nonZero = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                    if (!full && nonZero > 1) continue;
                    offs.add(new int[]{dx, dy, dz});
                }
            }
        }
        int[] parent = new int[n + 1];
        int[] ids = new int[n];
        int next = depth == 1 ? plane(labels, width, height, full, parent, ids) : 1;
        for (int z = 0; depth > 1 && z < depth; z++) {   // a volume (a plane's pass is above)
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = (z * height + y) * width + x, v = labels[p];
                    if (v == 0) continue;
                    int id = 0;
                    for (int[] o : offs) {
                        int xx = x + o[0], yy = y + o[1], zz = z + o[2];
                        if (xx < 0 || xx >= width || yy < 0 || yy >= height || zz < 0) continue;   // dy = +1 of the slice before: not past its last row
                        int q = (zz * height + yy) * width + xx;
                        if (labels[q] == v) id = union(parent, id, ids[q]);
                    }
                    if (id == 0) { id = next++; parent[id] = id; }
                    ids[p] = id;
                }
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

    /**
     * The first pass for a plane, the neighbours written out (the general loop's offset list cost
     * most of a large plane's time); new ids start at the same pixels, so the numbering is the same.
     * Returns the next free id.
     */
    private static int plane(int[] labels, int w, int h, boolean full, int[] parent, int[] ids) {
        int next = 1;
        for (int y = 0, p = 0; y < h; y++) {
            for (int x = 0; x < w; x++, p++) {
                int v = labels[p];
                if (v == 0) continue;
                int id = x > 0 && labels[p - 1] == v ? ids[p - 1] : 0;
                if (y > 0) {
                    int q = p - w;
                    if (full && x > 0 && labels[q - 1] == v) id = join(parent, id, ids[q - 1]);
                    if (labels[q] == v) id = join(parent, id, ids[q]);
                    if (full && x + 1 < w && labels[q + 1] == v) id = join(parent, id, ids[q + 1]);
                }
                if (id == 0) { id = next++; parent[id] = id; }
                ids[p] = id;
            }
        }
        return next;
    }

    /** a (0: none yet) joined with b; a alone when they are already the same provisional id. */
    private static int join(int[] parent, int a, int b) {
        if (a == b) return a;
        return a == 0 ? b : union(parent, a, b);
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

package io.github.unseg.spark;

import java.io.File;
import java.io.Serializable;
import java.util.Locale;

/** A plane cut into size x size blocks (the last row and column smaller), each read with a halo. */
final class BlockGrid implements Serializable {
    private static final long serialVersionUID = 1L;

    final int width, height, size, halo, columns, rows;

    BlockGrid(int width, int height, int size, int halo) {
        this.width = width;
        this.height = height;
        this.size = size;
        this.halo = halo;
        this.columns = (width + size - 1) / size;
        this.rows = (height + size - 1) / size;
    }

    int count() { return columns * rows; }

    int row(int i) { return i / columns; }

    int column(int i) { return i % columns; }

    /** {x0, y0, w, h} of block i's own pixels. */
    int[] core(int i) {
        int x0 = column(i) * size, y0 = row(i) * size;
        return new int[]{x0, y0, Math.min(size, width - x0), Math.min(size, height - y0)};
    }

    /** {x0, y0, w, h} of what block i reads: its pixels and the halo, clipped to the image. */
    int[] window(int i) {
        int[] c = core(i);
        int x0 = Math.max(0, c[0] - halo), y0 = Math.max(0, c[1] - halo);
        int x1 = Math.min(width, c[0] + c[2] + halo), y1 = Math.min(height, c[1] + c[3] + halo);
        return new int[]{x0, y0, x1 - x0, y1 - y0};
    }

    String name(int i) { return String.format(Locale.ROOT, "r%04d_c%04d", row(i), column(i)); }

    File labels(File out, int i) { return new File(out, "blocks/labels_" + name(i) + ".tif"); }

    File objects(File out, int i) { return new File(out, "blocks/objects_" + name(i) + ".tif"); }
}

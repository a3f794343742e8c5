package io.github.unseg.cnn;

import io.github.unseg.core.FeatureMatrix;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cutting features for the network: NCHW arrays, box downscaling for training, 2D tiles with a
 * halo and 3D blocks with edge-repeated context for labelling, so that any image size labels in
 * bounded memory and tile borders do not show.
 */
final class Blocks {
    private Blocks() { }

    /**
     * The features as an NCHW array (channel-major). A masked (NaN) pixel takes the value of the
     * nearest valid pixel in its row, or else in its column (h may hold a volume's planes one under
     * another: a masked plane then takes its neighbour's): the network sees the data's edge
     * repeated, as at the image's border, not a step to 0 that it would give a label of its own
     * (a row of labels along a registration's padding or a mask's outline).
     */
    static float[] nchw(FeatureMatrix m, int w, int h) {
        int d = m.dims, n = w * h;
        float[] data = new float[d * n];
        boolean[] set = new boolean[n];
        for (int r = 0; r < m.rows; r++) {
            int p = m.pixelOf(r);
            set[p] = true;
            for (int c = 0; c < d; c++) data[c * n + p] = m.x[r * d + c];
        }
        if (m.rows < n && m.rows > 0) fillMasked(data, d, w, h, set);
        return data;
    }

    /** Each unset pixel from the nearest set one in its row, then (rows with none) in its column. */
    static void fillMasked(float[] data, int d, int w, int h, boolean[] set) {
        int[] from = new int[w * h];
        java.util.Arrays.fill(from, -1);
        for (int y = 0; y < h; y++) nearest(set, null, from, y * w, 1, w);
        boolean[] rowFilled = new boolean[w * h];
        for (int p = 0; p < w * h; p++) rowFilled[p] = from[p] >= 0;
        int[] col = new int[w * h];
        java.util.Arrays.fill(col, -1);
        for (int x = 0; x < w; x++) nearest(rowFilled, from, col, x, w, h);
        for (int p = 0; p < w * h; p++) {
            int q = from[p] >= 0 ? from[p] : col[p];
            if (q < 0 || q == p) continue;
            for (int c = 0; c < d; c++) data[c * w * h + p] = data[c * w * h + q];
        }
    }

    /**
     * Along one line (start, stride, count): out[p] = the source pixel nearest p among those with
     * ok[q] (through[q] when given: a pixel filled in the first pass passes on its own source).
     */
    private static void nearest(boolean[] ok, int[] through, int[] out, int start, int stride, int count) {
        int last = -1;
        for (int i = 0; i < count; i++) {
            int p = start + i * stride;
            if (ok[p]) last = i;
            if (last >= 0) out[p] = i - last;   // distance to the nearest before, for now
        }
        int next = -1;
        for (int i = count - 1; i >= 0; i--) {
            int p = start + i * stride;
            if (ok[p]) next = i;
            int back = out[p] >= 0 ? i - out[p] : -1;   // the index before
            int pick = back >= 0 && (next < 0 || i - back <= next - i) ? back : next;
            int q = pick < 0 ? -1 : start + pick * stride;
            out[p] = q < 0 ? -1 : through != null ? through[q] : q;
        }
    }

    /** Mean of f x f blocks (the last partial row and column of blocks dropped). */
    static float[] boxDownscale(float[] src, int d, int w, int h, int f, int tw, int th) {
        float[] out = new float[d * tw * th];
        float inv = 1f / (f * f);
        for (int c = 0; c < d; c++) {
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    float s = 0;
                    for (int dy = 0; dy < f; dy++) {
                        int row = c * w * h + (y * f + dy) * w + x * f;
                        for (int dx = 0; dx < f; dx++) s += src[row + dx];
                    }
                    out[c * tw * th + y * tw + x] = s * inv;
                }
            }
        }
        return out;
    }

    /** A training image made of tiles: its [channel][y][x] values and size. */
    static final class Mosaic {
        final float[] values;
        final int w, h;

        Mosaic(float[] values, int w, int h) { this.values = values; this.w = w; this.h = h; }
    }

    /**
     * g x g tiles, evenly spread over a [channel][y][x] image of w x h, side by side in one image of
     * at most budget pixels.
     */
    static Mosaic mosaic(float[] src, int d, int w, int h, int g, long budget) {
        return mosaic(src, d, w, h, 1, 0, 1, g, budget);
    }

    /**
     * The same for a [channel][z][y][x] volume of depth zs: slices z0 .. z0 + dz - 1 of it, each cut
     * into the same tiles, budget counting voxels.
     */
    static Mosaic mosaic(float[] src, int d, int w, int h, int zs, int z0, int dz, int g, long budget) {
        int side = (int) Math.sqrt((double) budget / dz) / g;
        int tw = Math.max(2, Math.min(w / g, side)), th = Math.max(2, Math.min(h / g, side));
        int mw = g * tw, mh = g * th;
        float[] out = new float[d * dz * mw * mh];
        for (int ty = 0; ty < g; ty++) {
            int y0 = g == 1 ? 0 : (int) Math.round((double) ty * (h - th) / (g - 1));
            for (int tx = 0; tx < g; tx++) {
                int x0 = g == 1 ? 0 : (int) Math.round((double) tx * (w - tw) / (g - 1));
                for (int c = 0; c < d; c++) {
                    for (int z = 0; z < dz; z++) {
                        int from = (c * zs + z0 + z) * w * h, to = (c * dz + z) * mw * mh;
                        for (int y = 0; y < th; y++) {
                            System.arraycopy(src, from + (y0 + y) * w + x0, out, to + (ty * th + y) * mw + tx * tw, tw);
                        }
                    }
                }
            }
        }
        return new Mosaic(out, mw, mh);
    }

    /**
     * Pads [channel][z][y][x] features by pad voxels on every side, repeating the edge voxels:
     * the context the 3D network's valid convolutions need. Repeating (rather than mirroring)
     * keeps an object that stops one slice before the end from reappearing in the padding.
     */
    static float[] padVolume(float[] src, int dims, int w, int h, int d, int pad, int padZ) {
        return box(src, dims, w, h, d, 0, 0, 0, w, h, d, pad, padZ);
    }

    /**
     * The box [x0, x0+tw) x [y0, y0+th) x [z0, z0+tz) of a [channel][z][y][x] volume with pad
     * voxels of context on every side in x and y, padZ in z; context outside the volume repeats
     * its edge voxels.
     */
    static float[] box(float[] src, int dims, int w, int h, int d, int x0, int y0, int z0, int tw, int th, int tz, int pad, int padZ) {
        int iw = tw + 2 * pad, ih = th + 2 * pad, iz = tz + 2 * padZ;
        float[] out = new float[dims * iz * ih * iw];
        for (int c = 0; c < dims; c++) {
            for (int z = 0; z < iz; z++) {
                int sz = Math.min(d - 1, Math.max(0, z0 + z - padZ));
                for (int y = 0; y < ih; y++) {
                    int sy = Math.min(h - 1, Math.max(0, y0 + y - pad));
                    int srow = ((c * d + sz) * h + sy) * w, orow = ((c * iz + z) * ih + y) * iw;
                    for (int x = 0; x < iw; x++) out[orow + x] = src[srow + Math.min(w - 1, Math.max(0, x0 + x - pad))];
                }
            }
        }
        return out;
    }

    /** Receives one 3D block: its input (with context) and its box (without context) in the volume. */
    interface BlockSink {
        void accept(INDArray blockInput, int x0, int y0, int z0, int tw, int th, int tz);
    }

    /** Cuts [channel][z][y][x] features into blocks with pad voxels of context (see {@link #box}), in raster order. */
    static void forEachBlock(float[] full, int dims, int w, int h, int d, int side, int bz, int pad, int padZ, BlockSink sink) {
        for (int z0 = 0; z0 < d; z0 += bz) {
            for (int y0 = 0; y0 < h; y0 += side) {
                for (int x0 = 0; x0 < w; x0 += side) {
                    int tz = Math.min(bz, d - z0), th = Math.min(side, h - y0), tw = Math.min(side, w - x0);
                    float[] b = box(full, dims, w, h, d, x0, y0, z0, tw, th, tz, pad, padZ);
                    sink.accept(Nd4j.create(b, new long[]{1, dims, tz + 2 * padZ, th + 2 * pad, tw + 2 * pad}), x0, y0, z0, tw, th, tz);
                }
            }
        }
    }

    /** Receives one tile's result: the tile's rectangle (without halo) in the plane. */
    interface TileSink {
        void accept(INDArray tileInput, int x0, int y0, int tw, int th, int haloLeft, int haloTop, int inW, int inH);
    }

    /** Receives one tile: its input, its rectangle in the plane, and where that lies in the network's output. */
    interface PlaneTileSink {
        /** Output pixel (x, y) of the tile is at (outY0 + y) * outW + outX0 + x of the network's response. */
        void accept(INDArray tileInput, int x0, int y0, int tw, int th, int outX0, int outY0, int outW);
    }

    /**
     * Tiles of a plane for a 2D network that needs context pixels on every side (valid
     * convolutions; edge-repeated beyond the image, as in training), or none (zero padding: then
     * the tiles overlap by halo pixels taken from the image only, which is what the whole image gives).
     */
    static void forEachPlaneTile(float[] full, int d, int w, int h, int tile, int context, int halo, PlaneTileSink sink) {
        if (context == 0) {
            forEachTile(full, d, w, h, tile, halo, (in, x0, y0, tw, th, hl, ht, iw, ih) -> sink.accept(in, x0, y0, tw, th, hl, ht, iw));
            return;
        }
        for (int y0 = 0; y0 < h; y0 += tile) {
            for (int x0 = 0; x0 < w; x0 += tile) {
                int tw = Math.min(tile, w - x0), th = Math.min(tile, h - y0);
                float[] b = box(full, d, w, h, 1, x0, y0, 0, tw, th, 1, context, 0);
                sink.accept(Nd4j.create(b, new long[]{1, d, th + 2 * context, tw + 2 * context}), x0, y0, tw, th, 0, 0, tw);
            }
        }
    }

    /** Cuts the NCHW features into tiles of side tile with a halo, in raster order. */
    static void forEachTile(float[] full, int d, int w, int h, int tile, int halo, TileSink sink) {
        for (int y0 = 0; y0 < h; y0 += tile) {
            for (int x0 = 0; x0 < w; x0 += tile) {
                int tw = Math.min(tile, w - x0), th = Math.min(tile, h - y0);
                int ax = Math.max(0, x0 - halo), ay = Math.max(0, y0 - halo);
                int bx = Math.min(w, x0 + tw + halo), by = Math.min(h, y0 + th + halo);
                int iw = bx - ax, ih = by - ay;
                float[] t = new float[d * iw * ih];
                for (int c = 0; c < d; c++) {
                    for (int y = 0; y < ih; y++) System.arraycopy(full, c * w * h + (ay + y) * w + ax, t, c * iw * ih + y * iw, iw);
                }
                sink.accept(Nd4j.create(t, new long[]{1, d, ih, iw}), x0, y0, tw, th, x0 - ax, y0 - ay, iw, ih);
            }
        }
    }
}

package io.github.unseg.core;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * Padding: one value where a registration, a drift correction, a stitching or a letterbox put
 * no data, per plane. Whole rows and columns along the edges ({@link #bands}); the
 * corners a rotation leaves (a rigid-body registration's, StackReg's): at two corners or more of
 * the plane (within the bands), rows whose run of the corner's value from the edge shrinks along
 * one oblique straight line; and a stitching's notches and gaps: the bands' value in from an
 * edge, cut along the axes. The straight line sets them apart from a saturated sky or a
 * background clipped to 0 (ragged outlines); the second corner or the band from an image's own
 * flat corner.
 */
public final class Padding {
    /** Corners of fewer pixels are left: they take no cluster of their own. */
    static final int MIN_CORNER = 20;
    /** Corners over fewer rows are left: a line is not told from a few rows. */
    static final int MIN_ROWS = 5;
    /** How far (pixels) a corner's edge may stray from its straight line: a line drawn in pixels strays by up to one. */
    static final double STRAIGHT = 1.5;
    /** A stitching's notches along one stretch of an edge: a few tiles' offsets, each a change of depth. */
    static final int MAX_STEPS = 4;

    private final int w, h, planes;
    private final int[] bands;         // top, bottom, left, right per plane (zeros where none)
    private final int[] leftRun, rightRun;   // per plane and row: a corner's or notch's run in from the left and right band
    private final int[] topRun, bottomRun;   // per plane and column: a notch's run in from the top and bottom band
    private final long[] pixels;       // per plane

    private Padding(int w, int h, int planes, int[] bands) {
        this.w = w; this.h = h; this.planes = planes;
        this.bands = bands != null ? bands : new int[4 * planes];
        leftRun = new int[planes * h];
        rightRun = new int[planes * h];
        topRun = new int[planes * w];
        bottomRun = new int[planes * w];
        pixels = new long[planes];
    }

    /** The image's padding, or null when no plane has any. A uniform plane has none (it is set apart as uniform). */
    public static Padding of(Image5D img) {
        int w = img.width(), h = img.height(), d = img.depth(), planes = d * img.frames();
        Padding p = new Padding(w, h, planes, bands(img));
        boolean any = false;
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < d; z++) {
                int q = t * d + z;
                int top = p.bands[4 * q], bottom = p.bands[4 * q + 1], l = p.bands[4 * q + 2], r = p.bands[4 * q + 3];
                RandomAccessibleInterval<? extends RealType<?>> xyc = Views.hyperSlice(Views.hyperSlice(img.data(), Image5D.T, t), Image5D.Z, z);
                RandomAccess<? extends RealType<?>> ra = xyc.randomAccess();
                int y0 = top, y1 = h - bottom, x0 = l, x1 = w - r;
                // the four corners: rows down from the top and up from the bottom, runs from the left and the right
                List<Corner> found = new ArrayList<>();
                for (int corner = 0; corner < 4 && y1 - y0 >= MIN_ROWS && x1 - x0 >= 3; corner++) {
                    boolean fromTop = corner < 2, fromLeft = corner % 2 == 0;
                    Corner k = corner(ra, img.channels(), fromTop ? y0 : y1 - 1, fromTop ? 1 : -1, y0, y1, x0, x1, fromLeft);
                    if (k != null) found.add(k);
                }
                // a rotation cuts two corners or more, of one value; a photo's or a scan's own flat
                // corner with a straight edge (a CT patch's air) stands alone
                for (Corner k : found) {
                    int same = 0;
                    for (Corner o : found) if (java.util.Arrays.equals(o.value, k.value)) same++;
                    if (same < 2) continue;
                    int[] side = k.fromLeft ? p.leftRun : p.rightRun;
                    for (int i = 0; i < k.rows; i++) {
                        int y = k.yStart + i * k.dy;
                        side[q * h + y] = Math.max(side[q * h + y], k.run[i]);
                    }
                }
                // a stitching's notches (a tile set back from the edge) and gaps between tiles: runs of
                // the bands' value in from an edge, cut along the axes; without a band of that value,
                // an image's own flat region (a synthetic image's quadrant)
                if (top + bottom + l + r > 0 && y1 > y0 && x1 > x0) {
                    float[] band = value(ra, img.channels(), l > 0 ? 0 : r > 0 ? w - 1 : 0, top > 0 ? 0 : bottom > 0 ? h - 1 : 0);
                    p.notches(ra, band, q, y0, y1, x0, x1);
                }
                p.pixels[q] = p.count(q, y0, y1, x0, x1);
                any |= p.pixels[q] > 0;
            }
        }
        return any ? p : null;
    }

    /**
     * The bands per plane (t * depth + z): how many whole rows at the top and bottom and columns at
     * the left and right hold one value, the same in each (every channel its own): what a
     * registration's shift, a stitching or a letterbox adds around the data. The value is the one
     * of the widest band; bands of another value are no padding. Null when no plane has any; a
     * uniform plane (all band) counts as none here. Scans stop at a line's first differing pixel.
     */
    public static int[] bands(Image5D img) {
        int w = img.width(), h = img.height(), d = img.depth(), planes = d * img.frames();
        int[] bands = new int[4 * planes];
        boolean any = false;
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < d; z++) {
                RandomAccessibleInterval<? extends RealType<?>> xyc = Views.hyperSlice(Views.hyperSlice(img.data(), Image5D.T, t), Image5D.Z, z);
                RandomAccess<? extends RealType<?>> ra = xyc.randomAccess();
                float[][] value = new float[4][];
                int[] n = new int[4];
                // top, bottom: rows y = i, h - 1 - i; left, right: columns x = i, w - 1 - i
                for (int e = 0; e < 4; e++) {
                    boolean rows = e < 2;
                    int lines = rows ? h : w, along = rows ? w : h;
                    while (n[e] < lines) {
                        int line = e % 2 == 0 ? n[e] : lines - 1 - n[e];
                        float[] v = constantLine(ra, img.channels(), rows, line, along, value[e]);
                        if (v == null) break;
                        value[e] = v;
                        n[e]++;
                    }
                }
                int widest = -1;
                for (int e = 0; e < 4; e++) if (n[e] > 0 && (widest < 0 || n[e] > n[widest])) widest = e;
                if (widest < 0 || n[0] + n[1] >= h || n[2] + n[3] >= w) continue;   // none, or a uniform plane
                int o = 4 * (t * d + z);
                for (int e = 0; e < 4; e++) {
                    if (n[e] > 0 && java.util.Arrays.equals(value[e], value[widest])) { bands[o + e] = n[e]; any = true; }
                }
            }
        }
        return any ? bands : null;
    }

    /** The one value (per channel) of a whole row or column, or null; same: the value it must have (null: any). */
    private static float[] constantLine(RandomAccess<? extends RealType<?>> ra, int c, boolean row, int line, int along, float[] same) {
        float[] v = same != null ? same : new float[c];
        for (int ch = 0; ch < c; ch++) {
            ra.setPosition(ch, 2);
            for (int i = 0; i < along; i++) {
                ra.setPosition(row ? i : line, 0);
                ra.setPosition(row ? line : i, 1);
                float f = ra.get().getRealFloat();
                if (i == 0 && same == null) { if (!Float.isFinite(f)) return null; v[ch] = f; }
                else if (f != v[ch]) return null;
            }
        }
        return v;
    }

    /** One corner's padding: from row yStart on in steps of dy, run[i] pixels from the left or right (within the bands). */
    private static final class Corner {
        final float[] value;
        final int yStart, dy, rows;
        final int[] run;
        final boolean fromLeft;

        Corner(float[] value, int yStart, int dy, int rows, int[] run, boolean fromLeft) {
            this.value = value; this.yStart = yStart; this.dy = dy; this.rows = rows; this.run = run; this.fromLeft = fromLeft;
        }
    }

    /** One corner's run of the corner pixel's value, row by row; null unless it is the shape a rotation leaves. */
    private static Corner corner(RandomAccess<? extends RealType<?>> ra, int c, int yStart, int dy, int y0, int y1, int x0, int x1, boolean fromLeft) {
        float[] v = value(ra, c, fromLeft ? x0 : x1 - 1, yStart);
        for (float f : v) if (!Float.isFinite(f)) return null;   // NaN is left out already
        int[] run = new int[y1 - y0];
        int rows = 0;
        long area = 0;
        for (int y = yStart; y >= y0 && y < y1; y += dy) {
            int n = 0;
            while (n < x1 - x0 && same(ra, fromLeft ? x0 + n : x1 - 1 - n, y, v)) n++;
            if (n == 0) break;
            if (n == x1 - x0) return null;   // a whole row of it (within the bands): not a corner's shape
            run[rows++] = n;
            area += n;
        }
        if (rows < MIN_ROWS || area < MIN_CORNER || run[0] - run[rows - 1] < 2) return null;   // too small, or no oblique edge
        for (int i = 1; i < rows; i++) if (run[i] > run[i - 1]) return null;   // a corner's run shrinks away from it
        return straight(run, rows) ? new Corner(v, yStart, dy, rows, run, fromLeft) : null;
    }

    /**
     * Whether the run ends (x = run[i] at row i) lie within STRAIGHT of one line x = a + b i: a line
     * drawn in pixels rounds x, whatever its slope (least squares of x on the row; a fit across the
     * rows would call a few rows of any runs straight).
     */
    static boolean straight(int[] run, int rows) {
        double mi = (rows - 1) / 2.0, mx = 0, sii = 0, six = 0;
        for (int i = 0; i < rows; i++) mx += run[i];
        mx /= rows;
        for (int i = 0; i < rows; i++) { sii += (i - mi) * (i - mi); six += (i - mi) * (run[i] - mx); }
        double b = six / sii;
        for (int i = 0; i < rows; i++) if (Math.abs(run[i] - mx - b * (i - mi)) > STRAIGHT) return false;
        return true;
    }

    private static float[] value(RandomAccess<? extends RealType<?>> ra, int c, int x, int y) {
        float[] v = new float[c];
        for (int ch = 0; ch < c; ch++) v[ch] = at(ra, x, y, ch);
        return v;
    }

    private static float at(RandomAccess<? extends RealType<?>> ra, int x, int y, int ch) {
        ra.setPosition(x, 0);
        ra.setPosition(y, 1);
        ra.setPosition(ch, 2);
        return ra.get().getRealFloat();
    }

    private static boolean same(RandomAccess<? extends RealType<?>> ra, int x, int y, float[] v) {
        for (int ch = 0; ch < v.length; ch++) if (at(ra, x, y, ch) != v[ch]) return false;
        return true;
    }

    /**
     * Along each edge of plane q (within the bands), the runs of value v in from it, one per row or
     * column; a stretch of consecutive positions with runs is kept when they form a few rectangles
     * (at most MAX_STEPS changes of depth, each depth at least 2 positions wide, MIN_CORNER pixels in
     * all): a ragged stretch is an image's own background of that value.
     */
    private void notches(RandomAccess<? extends RealType<?>> ra, float[] v, int q, int y0, int y1, int x0, int x1) {
        for (int edge = 0; edge < 4; edge++) {
            boolean rows = edge >= 2;   // left, right: a run per row; top, bottom: a run per column
            int from = rows ? y0 : x0, to = rows ? y1 : x1, depth = rows ? x1 - x0 : y1 - y0;
            int[] run = new int[to - from];
            for (int i = 0; i < run.length; i++) {
                int n = 0, pos = from + i;
                while (n < depth && same(ra, rows ? (edge == 2 ? x0 + n : x1 - 1 - n) : pos, rows ? pos : (edge == 0 ? y0 + n : y1 - 1 - n), v)) n++;
                run[i] = n;
            }
            int[] out = edge == 0 ? topRun : edge == 1 ? bottomRun : edge == 2 ? leftRun : rightRun;
            int size = rows ? h : w;
            for (int a = 0; a < run.length; ) {
                if (run[a] == 0) { a++; continue; }
                int b = a, steps = 0, narrowest = Integer.MAX_VALUE, since = a;
                long area = 0;
                for (; b < run.length && run[b] > 0; b++) {
                    area += run[b];
                    if (b > a && run[b] != run[b - 1]) { steps++; narrowest = Math.min(narrowest, b - since); since = b; }
                }
                narrowest = Math.min(narrowest, b - since);
                if (steps <= MAX_STEPS && narrowest >= 2 && area >= MIN_CORNER) {
                    for (int i = a; i < b; i++) out[q * size + from + i] = Math.max(out[q * size + from + i], run[i]);
                }
                a = b;
            }
        }
    }

    /** The padded pixels of plane q: outside the bands, and the corners' and notches' runs within them (counted once). */
    private long count(int q, int y0, int y1, int x0, int x1) {
        long n = (long) w * h - (long) (x1 - x0) * (y1 - y0);
        for (int y = y0; y < y1; y++) n += Math.min(x1 - x0, leftRun[q * h + y] + rightRun[q * h + y]);
        for (int x = x0; x < x1; x++) {
            int t = topRun[q * w + x], b = bottomRun[q * w + x];
            if (t + b == 0) continue;
            // the column's runs, less the pixels the rows' runs hold already
            for (int y = y0; y < y1; y++) {
                if (y == y0 + t && y < y1 - b) y = y1 - b;   // skip the column's middle
                if (y >= y1) break;
                if (x >= x0 + leftRun[q * h + y] && x < x1 - rightRun[q * h + y]) n++;
            }
        }
        return n;
    }

    /** Padded pixels of plane q (t * depth + z). */
    public long pixels(int q) { return pixels[q]; }

    /** The planes with padding. */
    public List<Integer> planes() {
        List<Integer> out = new ArrayList<>();
        for (int q = 0; q < planes; q++) if (pixels[q] > 0) out.add(q);
        return out;
    }

    /** Whether the padding holds (x, y) of plane q. */
    public boolean padded(int x, int y, int q) {
        int o = 4 * q;
        if (y < bands[o] || y >= h - bands[o + 1] || x < bands[o + 2] || x >= w - bands[o + 3]) return true;
        return x < bands[o + 2] + leftRun[q * h + y] || x >= w - bands[o + 3] - rightRun[q * h + y]
                || y < bands[o] + topRun[q * w + x] || y >= h - bands[o + 1] - bottomRun[q * w + x];
    }

    /** img (this padding's image, or a view of it) with the padding read as NaN: left out, as masked pixels are. No copy. */
    public Image5D leftOut(Image5D img) {
        int d = img.depth();
        java.util.function.BiConsumer<net.imglib2.Localizable, net.imglib2.type.numeric.integer.UnsignedByteType> inside = (pos, out) ->
                out.set(padded(pos.getIntPosition(Image5D.X), pos.getIntPosition(Image5D.Y),
                        pos.getIntPosition(Image5D.T) * d + pos.getIntPosition(Image5D.Z)) ? 0 : 1);
        return img.nanOutside(new net.imglib2.position.FunctionRandomAccessible<>(5, inside, net.imglib2.type.numeric.integer.UnsignedByteType::new));
    }
}

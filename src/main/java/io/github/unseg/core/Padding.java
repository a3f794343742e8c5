package io.github.unseg.core;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * Padding: one value where a registration, a drift correction, a stitching or a letterbox put
 * no data, per plane. Whole rows and columns along the edges ({@link Image5D#paddingBands}); the
 * corners a rotation leaves (a rigid-body registration's, StackReg's): at two corners or more of
 * the plane (within the bands), rows whose run of the corner's value from the edge shrinks along
 * one oblique straight line; and a stitching's notches: corners of the bands' value cut along the
 * axes. The straight line sets them apart from a saturated sky or a background clipped to 0
 * (ragged outlines); the second corner or the band from an image's own flat corner.
 */
public final class Padding {
    /** Corners of fewer pixels are left: they take no cluster of their own. */
    static final int MIN_CORNER = 20;
    /** Corners over fewer rows are left: a line is not told from a few rows. */
    static final int MIN_ROWS = 5;
    /** How far (pixels) a corner's edge may stray from its straight line: a line drawn in pixels strays by up to one. */
    static final double STRAIGHT = 1.5;

    private final int w, h, planes;
    private final int[] bands;         // top, bottom, left, right per plane (zeros where none)
    private final int[] left, right;   // per plane and row: a corner's run from the left and right band
    private final long[] pixels;       // per plane

    private Padding(int w, int h, int planes, int[] bands) {
        this.w = w; this.h = h; this.planes = planes;
        this.bands = bands != null ? bands : new int[4 * planes];
        left = new int[planes * h];
        right = new int[planes * h];
        pixels = new long[planes];
    }

    /** The image's padding, or null when no plane has any. A uniform plane has none (it is set apart as uniform). */
    public static Padding of(Image5D img) {
        int w = img.width(), h = img.height(), d = img.depth(), planes = d * img.frames();
        Padding p = new Padding(w, h, planes, img.paddingBands());
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
                // corner with a straight edge (a CT patch's air) stands alone. A corner cut along the
                // axes is a stitching's notch where a band of its value shows the padding's; without
                // one, an image's own flat region (a synthetic image's quadrant)
                float[] band = top > 0 ? value(ra, img.channels(), 0, 0) : bottom > 0 ? value(ra, img.channels(), 0, h - 1)
                        : l > 0 ? value(ra, img.channels(), 0, 0) : r > 0 ? value(ra, img.channels(), w - 1, 0) : null;
                for (Corner k : found) {
                    int same = 0;
                    for (Corner o : found) if (o.oblique && java.util.Arrays.equals(o.value, k.value)) same++;
                    if (k.oblique ? same < 2 : !java.util.Arrays.equals(band, k.value)) continue;
                    int[] side = k.fromLeft ? p.left : p.right;
                    for (int i = 0; i < k.rows; i++) {
                        int y = k.yStart + i * k.dy;
                        side[q * h + y] = Math.max(side[q * h + y], k.run[i]);
                    }
                }
                long n = (long) w * h - (long) (w - l - r) * (h - top - bottom);
                for (int y = top; y < h - bottom; y++) n += p.left[q * h + y] + p.right[q * h + y];
                p.pixels[q] = n;
                any |= n > 0;
            }
        }
        return any ? p : null;
    }

    /** One corner's padding: from row yStart on in steps of dy, run[i] pixels from the left or right (within the bands). */
    private static final class Corner {
        final float[] value;
        final int yStart, dy, rows;
        final int[] run;
        final boolean fromLeft, oblique;   // oblique: its edge is no axis (a rotation's); else along the axes (a notch)

        Corner(float[] value, int yStart, int dy, int rows, int[] run, boolean fromLeft) {
            this.value = value; this.yStart = yStart; this.dy = dy; this.rows = rows; this.run = run; this.fromLeft = fromLeft;
            oblique = run[0] - run[rows - 1] >= 2;
        }
    }

    /** One corner's run of the corner pixel's value, row by row; null unless it is the shape a rotation or a stitching leaves. */
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
        if (rows < MIN_ROWS || area < MIN_CORNER) return null;   // too small
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
        return x < bands[o + 2] + left[q * h + y] || x >= w - bands[o + 3] - right[q * h + y];
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

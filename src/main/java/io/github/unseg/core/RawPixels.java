package io.github.unseg.core;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * The channel intensities of every pixel, row-major (pixel p, channel c at p*channels + c), pixels
 * in X-fastest order over X, Y, Z, T. One copy as float is the price of fast clustering loops; it is
 * made once per image and transformed in place.
 */
public final class RawPixels {
    public final float[] values;
    public final int channels;
    public final int pixels;
    /** Pixels with a NaN (or infinite) value in any channel. */
    public final int nanCount;
    /** Of those, pixels with an infinite (and no NaN) value: named apart in messages. */
    public final int infCount;

    private RawPixels(float[] values, int channels, int pixels, int nanCount, int infCount) {
        this.values = values;
        this.channels = channels;
        this.pixels = pixels;
        this.nanCount = nanCount;
        this.infCount = infCount;
    }

    /** "4 NaN pixel(s)" or "2 NaN and 2 infinite pixel(s)", for messages. */
    public String describeInvalid() { return describeInvalid(nanCount, infCount); }

    public static String describeInvalid(long nanCount, long infCount) {
        long nans = nanCount - infCount;
        if (infCount == 0) return nans + " NaN pixel(s)";
        if (nans == 0) return infCount + " infinite (+-Inf) pixel(s)";
        return nans + " NaN and " + infCount + " infinite (+-Inf) pixel(s)";
    }

    public static RawPixels of(Image5D img) {
        long n = img.pixelCount();
        int c = img.channels();
        if (n == 0 || c == 0) throw new SegmentationException("The image is empty (" + img.describe() + "): nothing to segment.");
        if (n * c > Integer.MAX_VALUE - 8) {
            throw new SegmentationException("The image is too large to process at once (" + img.describe()
                    + "): segment it slice by slice (perSlice) or crop it.");
        }
        int np = (int) n;
        float[] v = new float[np * c];
        for (int ch = 0; ch < c; ch++) {
            RandomAccessibleInterval<? extends RealType<?>> plane = Views.hyperSlice(img.data(), Image5D.C, ch);
            Cursor<? extends RealType<?>> cur = Views.flatIterable(plane).cursor();
            int idx = ch;
            while (cur.hasNext()) {
                v[idx] = cur.next().getRealFloat();
                idx += c;
            }
        }
        return counted(v, c, np);
    }

    /** Counts the invalid pixels of v (np pixels x c channels). */
    private static RawPixels counted(float[] v, int c, int np) {
        int nan = 0, inf = 0;
        for (int p = 0, o = 0; p < np; p++, o += c) {
            boolean bad = false, anyNaN = false;
            for (int ch = 0; ch < c; ch++) {
                if (!Float.isFinite(v[o + ch])) { bad = true; if (Float.isNaN(v[o + ch])) anyNaN = true; }
            }
            if (bad) { nan++; if (!anyNaN) inf++; }
        }
        return new RawPixels(v, c, np, nan, inf);
    }

    /** Pixels from .. from + count - 1 (a block's interior without its halo), as a copy. */
    public RawPixels crop(int from, int count) {
        if (from == 0 && count == pixels) return this;
        float[] v = java.util.Arrays.copyOfRange(values, from * channels, (from + count) * channels);
        return counted(v, channels, count);
    }

    /** An independent copy (for filters that need the original next to the result). */
    public RawPixels copy() { return new RawPixels(values.clone(), channels, pixels, nanCount, infCount); }

    /** Other channels of the same pixels (features derived from these): the same invalid pixels, NaN in every channel. */
    public RawPixels derived(float[] v, int c) {
        if (v.length != pixels * c) throw new IllegalArgumentException(v.length + " values for " + pixels + " x " + c);
        return new RawPixels(v, c, pixels, nanCount, infCount);
    }

    public boolean isValid(int p) {
        if (nanCount == 0) return true;
        int o = p * channels;
        for (int ch = 0; ch < channels; ch++) if (!Float.isFinite(values[o + ch])) return false;
        return true;
    }
}

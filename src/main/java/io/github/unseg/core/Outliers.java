package io.github.unseg.core;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Outlier pixels: a camera's hot or dead pixels, a cosmic ray's hit. A few of them would take a
 * cluster of their own and squeeze the rest of the image into a sliver of the normalised range
 * (every nucleus of the sample lost to five hot pixels). An outlier is beyond its channel's
 * 0.1-99.9 percentile range by more than {@link #RANGES} times that range, and in a speck of such
 * pixels smaller than {@link #MAX_SPECK} (8-connected, per plane): a bright cell in a field of
 * background is as far beyond, but larger. The view reads each outlier as the percentile it is
 * beyond; the image itself is not touched.
 */
public final class Outliers {
    /** How far beyond the 0.1-99.9 percentile range, in ranges: no image of the shared sets had such a pixel. */
    public static final double RANGES = 2;
    /** Specks of this many pixels or more are objects (the objects' default minimum size), not defects. */
    public static final int MAX_SPECK = 10;

    private final float[] lo, hi, low, high;
    private final BitSet[] at;   // per channel: the outliers' indices in the channel's X, Y, Z, T order
    private final long[] count;

    private Outliers(int c) {
        lo = new float[c]; hi = new float[c]; low = new float[c]; high = new float[c];
        at = new BitSet[c];
        count = new long[c];
    }

    /** The image's outliers, or null when it has none. Percentiles from a fixed subsample of the finite pixels (the same every run). */
    public static Outliers of(Image5D img) {
        int c = img.channels(), w = img.width(), h = img.height();
        long n = img.pixelCount();
        if (n > Integer.MAX_VALUE) return null;
        Outliers o = new Outliers(c);
        boolean any = false;
        int step = (int) Math.max(1, n / (1 << 20));
        for (int ch = 0; ch < c; ch++) {
            RandomAccessibleInterval<? extends RealType<?>> plane = Views.hyperSlice(img.data(), Image5D.C, ch);
            float[] sample = new float[(int) ((n + step - 1) / step)];
            int m = 0;
            long i = 0;
            for (RealType<?> v : Views.flatIterable(plane)) {
                if (i++ % step != 0) continue;
                float f = v.getRealFloat();
                if (Float.isFinite(f)) sample[m++] = f;
            }
            if (m < 1000) continue;   // too few pixels to tell an outlier from the data
            Arrays.sort(sample, 0, m);
            float lo = sample[(int) (0.001 * (m - 1))], hi = sample[(int) Math.ceil(0.999 * (m - 1))];
            double r = (double) hi - lo;
            if (!(r > 0)) continue;
            float low = (float) (lo - RANGES * r), high = (float) (hi + RANGES * r);
            BitSet beyond = new BitSet();
            int p = 0;
            for (RealType<?> v : Views.flatIterable(plane)) {
                float f = v.getRealFloat();
                if (f > high || f < low) beyond.set(p);
                p++;
            }
            BitSet specks = specks(beyond, w, h);
            if (specks.isEmpty()) continue;
            o.lo[ch] = lo; o.hi[ch] = hi; o.low[ch] = low; o.high[ch] = high;
            o.at[ch] = specks;
            o.count[ch] = specks.cardinality();
            any = true;
        }
        return any ? o : null;
    }

    /** The pixels of beyond in 8-connected groups (within a plane) of fewer than MAX_SPECK. */
    private static BitSet specks(BitSet beyond, int w, int h) {
        BitSet out = new BitSet(), seen = new BitSet();
        int plane = w * h;
        for (int p = beyond.nextSetBit(0); p >= 0; p = beyond.nextSetBit(p + 1)) {
            if (seen.get(p)) continue;
            // the whole group; one of MAX_SPECK pixels or more is an object, not a speck
            BitSet group = new BitSet();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
            todo.add(p);
            seen.set(p);
            int size = 0;
            boolean large = false;
            while (!todo.isEmpty()) {
                int q = todo.poll();
                group.set(q);
                if (++size >= MAX_SPECK) large = true;
                int x = q % w, y = (q / w) % h, base = q - q % plane;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx, yy = y + dy;
                        if ((dx == 0 && dy == 0) || xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        int nb = base + yy * w + xx;
                        if (beyond.get(nb) && !seen.get(nb)) { seen.set(nb); todo.add(nb); }
                    }
                }
            }
            if (!large) out.or(group);
        }
        return out;
    }

    /** Outliers found in channel c (0-based). */
    public long count(int c) { return count[c]; }

    /** Channel c's limits below and above which a speck is an outlier, and the percentiles outliers read as: {low, high, lo, hi}. */
    public double[] limits(int c) { return new double[]{low[c], high[c], lo[c], hi[c]}; }

    public int channels() { return count.length; }

    /** A view of img (the image these were found in) in which each outlier reads as the percentile it is beyond. No copy. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Image5D clip(Image5D img) {
        int c = img.channels();
        if (c != count.length) throw new IllegalArgumentException(c + " channels, outliers of " + count.length);
        long w = img.width(), h = img.height(), d = img.depth();
        // the view's value at a position: the channel's BitSet at the pixel's index, as an int type for the converter
        java.util.function.BiConsumer<net.imglib2.Localizable, net.imglib2.type.numeric.integer.IntType> which = (pos, out) -> {
            int ch = pos.getIntPosition(Image5D.C);
            long i = pos.getLongPosition(Image5D.X) + w * (pos.getLongPosition(Image5D.Y) + h * (pos.getLongPosition(Image5D.Z) + d * pos.getLongPosition(Image5D.T)));
            out.set(at[ch] != null && at[ch].get((int) i) ? ch + 1 : 0);
        };
        RandomAccessibleInterval flags = Views.interval(new net.imglib2.position.FunctionRandomAccessible<>(5, which,
                net.imglib2.type.numeric.integer.IntType::new), img.data());
        net.imglib2.converter.BiConverter<RealType<?>, net.imglib2.type.numeric.integer.IntType, net.imglib2.type.numeric.real.FloatType> conv =
                (a, k, out) -> {
                    float f = a.getRealFloat();
                    int ch = k.get() - 1;
                    out.set(ch < 0 ? f : f > high[ch] ? hi[ch] : lo[ch]);
                };
        RandomAccessibleInterval v = net.imglib2.converter.Converters.convert((RandomAccessibleInterval) img.data(), flags,
                (net.imglib2.converter.BiConverter) conv, new net.imglib2.type.numeric.real.FloatType());
        return Image5D.wrap(v, img.voxelDepthRatio());
    }
}

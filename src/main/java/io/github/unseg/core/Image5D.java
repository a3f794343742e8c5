package io.github.unseg.core;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * An image as UnSeg's algorithms see it: a 5D view with axes X, Y, C, Z, T in that order
 * (any may have size 1). ImgLib2 core has no axis metadata, so the order is fixed here
 * instead of carried around. Wraps a view; never copies.
 */
public final class Image5D {
    public static final int X = 0, Y = 1, C = 2, Z = 3, T = 4;

    private final RandomAccessibleInterval<? extends RealType<?>> data;
    private final double voxelDepthRatio;

    private Image5D(RandomAccessibleInterval<? extends RealType<?>> data, double voxelDepthRatio) {
        this.data = data;
        this.voxelDepthRatio = voxelDepthRatio;
    }

    /** Wraps a view with exactly five dimensions X, Y, C, Z, T; starts at the origin. */
    public static Image5D wrap(RandomAccessibleInterval<? extends RealType<?>> xyczt) {
        return wrap(xyczt, 1.0);
    }

    /** As {@link #wrap(RandomAccessibleInterval)}, with the z spacing divided by the x spacing. */
    public static Image5D wrap(RandomAccessibleInterval<? extends RealType<?>> xyczt, double voxelDepthRatio) {
        if (xyczt.numDimensions() != 5) {
            throw new IllegalArgumentException("Image5D needs 5 dimensions (X,Y,C,Z,T), got " + xyczt.numDimensions());
        }
        return new Image5D(Views.zeroMin(xyczt), voxelDepthRatio);
    }

    /** A single-channel 2D image (X, Y). */
    public static Image5D ofXY(RandomAccessibleInterval<? extends RealType<?>> xy) {
        return wrap(addDims(xy, 3));
    }

    /** A multichannel 2D image (X, Y, C). */
    public static Image5D ofXYC(RandomAccessibleInterval<? extends RealType<?>> xyc) {
        return wrap(addDims(xyc, 2));
    }

    /** A single-channel volume (X, Y, Z). */
    public static Image5D ofXYZ(RandomAccessibleInterval<? extends RealType<?>> xyz) {
        RandomAccessibleInterval<? extends RealType<?>> v = Views.addDimension(xyz, 0, 0); // X,Y,Z,C
        v = Views.moveAxis(v, 3, 2); // X,Y,C,Z
        return wrap(Views.addDimension(v, 0, 0));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static RandomAccessibleInterval<? extends RealType<?>> addDims(RandomAccessibleInterval rai, int n) {
        RandomAccessibleInterval v = rai;
        for (int i = 0; i < n; i++) v = Views.addDimension(v, 0, 0);
        return v;
    }

    public RandomAccessibleInterval<? extends RealType<?>> data() { return data; }
    public int width() { return (int) data.dimension(X); }
    public int height() { return (int) data.dimension(Y); }
    public int channels() { return (int) data.dimension(C); }
    public int depth() { return (int) data.dimension(Z); }
    public int frames() { return (int) data.dimension(T); }
    /** Pixels (voxels) per channel. */
    public long pixelCount() { return (long) width() * height() * depth() * frames(); }
    /** z spacing / x spacing, for features and 3D methods that need isotropy. */
    public double voxelDepthRatio() { return voxelDepthRatio; }

    /** The 2D plane (all channels) at slice z and frame t, as a view. */
    public Image5D plane(int z, int t) {
        RandomAccessibleInterval<? extends RealType<?>> v =
                Views.interval(data, new long[]{0, 0, 0, z, t},
                        new long[]{width() - 1, height() - 1, channels() - 1, z, t});
        return wrap(v, voxelDepthRatio);
    }

    /** The volume (all channels, all slices) at frame t, as a view. */
    public Image5D frame(int t) {
        RandomAccessibleInterval<? extends RealType<?>> v =
                Views.interval(data, new long[]{0, 0, 0, 0, t},
                        new long[]{width() - 1, height() - 1, channels() - 1, depth() - 1, t});
        return wrap(v, voxelDepthRatio);
    }

    /**
     * These channels (0-based, in this order) as a view: what the methods see when the user names
     * the channels to segment on (e.g. the nuclei's of a two-colour image).
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Image5D channels(int[] ids) {
        boolean run = ids.length > 0;   // consecutive channels (one, most often): a plain interval, no stacking
        for (int i = 1; i < ids.length; i++) run &= ids[i] == ids[0] + i;
        if (run && ids[0] >= 0 && ids[ids.length - 1] < channels()) {
            return wrap(Views.interval(data, new long[]{0, 0, ids[0], 0, 0},
                    new long[]{width() - 1, height() - 1, ids[ids.length - 1], depth() - 1, frames() - 1}), voxelDepthRatio);
        }
        java.util.List<RandomAccessibleInterval> planes = new java.util.ArrayList<>();
        for (int c : ids) {
            if (c < 0 || c >= channels()) throw new IllegalArgumentException("channel " + c + " of " + channels());
            planes.add(Views.hyperSlice(data, C, c));   // X, Y, Z, T
        }
        RandomAccessibleInterval stacked = Views.stack((java.util.List) planes);   // X, Y, Z, T, C
        return wrap(Views.moveAxis(stacked, 4, C), voxelDepthRatio);
    }

    /**
     * A view in which the pixels outside the mask (inside[y * width + x] false, the same for every
     * channel, slice and frame) read NaN: left out, as NaN pixels are. No copy.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Image5D masked(boolean[] inside) {
        if (inside.length != width() * height()) throw new IllegalArgumentException("mask of " + inside.length + " pixels for " + width() + "x" + height());
        net.imglib2.RandomAccessible m = net.imglib2.img.array.ArrayImgs.unsignedBytes(bytes(inside), width(), height());
        for (int i = 0; i < 3; i++) m = Views.addDimension(m);   // constant along C, Z, T
        return nanOutside(m);
    }

    /**
     * A view in which the planes left out (out[t * depth + z] true) read NaN, every channel: a
     * fit then skips them as it skips masked pixels. No copy.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Image5D withoutPlanes(boolean[] out) {
        if (out.length != depth() * frames()) throw new IllegalArgumentException(out.length + " planes for " + depth() + "x" + frames());
        boolean[] in = new boolean[out.length];
        for (int i = 0; i < in.length; i++) in[i] = !out[i];
        net.imglib2.RandomAccessible m = net.imglib2.img.array.ArrayImgs.unsignedBytes(bytes(in), depth(), frames());   // Z, T
        for (int i = 0; i < 3; i++) m = Views.addDimension(m);   // Z, T, X, Y, C
        m = Views.moveAxis(Views.moveAxis(Views.moveAxis(m, 2, 0), 3, 1), 4, 2);   // X, Y, C, Z, T
        return nanOutside(m);
    }

    private static byte[] bytes(boolean[] inside) {
        byte[] b = new byte[inside.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (inside[i] ? 1 : 0);
        return b;
    }

    /** This image read through a mask (X, Y, C, Z, T; 0 = left out): NaN where it is 0. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    Image5D nanOutside(net.imglib2.RandomAccessible m) {
        RandomAccessibleInterval mask = Views.interval(m, data);
        net.imglib2.converter.BiConverter<RealType<?>, net.imglib2.type.numeric.integer.UnsignedByteType, net.imglib2.type.numeric.real.FloatType> c =
                (a, in, out) -> out.setReal(in.get() != 0 ? a.getRealFloat() : Float.NaN);
        RandomAccessibleInterval v = net.imglib2.converter.Converters.convert((RandomAccessibleInterval) data, mask, (net.imglib2.converter.BiConverter) c,
                new net.imglib2.type.numeric.real.FloatType());
        return wrap(v, voxelDepthRatio);
    }

    /** Whether some pixel is finite in every channel (a fit has something to fit on); stops at the first. */
    public boolean hasUsablePixel() {
        java.util.List<net.imglib2.Cursor<? extends RealType<?>>> cur = new java.util.ArrayList<>();
        for (int ch = 0; ch < channels(); ch++) cur.add(Views.flatIterable(Views.hyperSlice(data, C, ch)).cursor());
        while (cur.get(0).hasNext()) {
            boolean finite = true;
            for (net.imglib2.Cursor<? extends RealType<?>> c : cur) finite &= Float.isFinite(c.next().getRealFloat());
            if (finite) return true;
        }
        return false;
    }

    /**
     * Per plane (t * depth + z), whether every pixel that is finite in all channels has the same
     * values (each channel its own): a blank, padded or dropped plane, nothing to segment; a plane
     * without such a pixel too. A plane with content ends the scan at its first differing pixel.
     */
    public boolean[] uniformPlanes() {
        int c = channels();
        boolean[] uniform = new boolean[depth() * frames()];
        float[] first = new float[c], v = new float[c];
        for (int t = 0; t < frames(); t++) {
            for (int z = 0; z < depth(); z++) {
                java.util.List<net.imglib2.Cursor<? extends RealType<?>>> cur = new java.util.ArrayList<>();
                for (int ch = 0; ch < c; ch++) {
                    RandomAccessibleInterval<? extends RealType<?>> xy = Views.hyperSlice(Views.hyperSlice(Views.hyperSlice(data, T, t), Z, z), C, ch);
                    cur.add(Views.flatIterable(xy).cursor());
                }
                boolean seen = false, same = true;
                while (same && cur.get(0).hasNext()) {
                    boolean finite = true;
                    for (int ch = 0; ch < c; ch++) {
                        v[ch] = cur.get(ch).next().getRealFloat();
                        finite &= Float.isFinite(v[ch]);
                    }
                    if (!finite) continue;
                    if (!seen) { System.arraycopy(v, 0, first, 0, c); seen = true; continue; }
                    for (int ch = 0; ch < c && same; ch++) same = v[ch] == first[ch];
                }
                uniform[t * depth() + z] = same;
            }
        }
        return uniform;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder().append(width()).append('x').append(height());
        if (channels() > 1) sb.append(", ").append(channels()).append(" channels");
        if (depth() > 1) sb.append(", ").append(depth()).append(" slices");
        if (frames() > 1) sb.append(", ").append(frames()).append(" frames");
        return sb.toString();
    }
}

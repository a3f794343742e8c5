package io.github.unseg.core;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.List;

/**
 * Filter features of an image a block at a time, so that a large image never holds its whole
 * feature stack: rows of one plane (or, for volumetric stacks, slabs of whole planes), each read
 * with a halo of {@link FeatureSpec#radius()} rows ({@link FeatureStack#zRadius} planes) and cropped
 * back, so every pixel gets the features the whole image would give it. Blocks come in pixel order,
 * their interiors contiguous, so sums over blocks equal sums over the image.
 */
public final class FeatureBlocks {
    private FeatureBlocks() { }

    /** Interior pixels per block (about 4 M: a few hundred MB of features at 10-20 per pixel); tests lower it. */
    static int blockPixels = 1 << 22;

    /** The features of one block: {@code features} holds the pixels offset .. offset + features.pixels - 1 of the image. */
    public interface Visitor {
        void accept(long offset, RawPixels features);
    }

    /** Calls v for each block of img in pixel order, computed on threads; progress is checked between blocks. */
    public static void forEach(Image5D img, FeatureStack stack, double smoothing, int threads, Progress progress, Visitor v) {
        int w = img.width(), h = img.height(), d = img.depth();
        long plane = (long) w * h;
        if (stack.volumetric && d > 1) {
            int zr = stack.zRadius(img.voxelDepthRatio());
            int slab = (int) Math.max(1, Math.min(d, blockPixels / plane));
            for (int t = 0; t < img.frames(); t++) {
                for (int z0 = 0; z0 < d; z0 += slab) {
                    int z1 = Math.min(d, z0 + slab), a = Math.max(0, z0 - zr), b = Math.min(d, z1 + zr);
                    Image5D part = view(img, 0, h, a, b, t);
                    RawPixels f = FeatureSpec.transform(RawPixels.of(part), part, stack, smoothing, threads);
                    v.accept((t * (long) d + z0) * plane, f.crop((int) ((z0 - a) * plane), (int) ((z1 - z0) * plane)));
                    if (progress != null) progress.check();
                }
            }
            return;
        }
        int halo = stack.radius(smoothing);
        int rows = (int) Math.max(1, Math.min(h, blockPixels / Math.max(1, w)));
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < d; z++) {
                for (int y0 = 0; y0 < h; y0 += rows) {
                    int y1 = Math.min(h, y0 + rows), a = Math.max(0, y0 - halo), b = Math.min(h, y1 + halo);
                    Image5D part = view(img, a, b, z, z + 1, t);
                    RawPixels f = FeatureSpec.transform(RawPixels.of(part), part, stack, smoothing, threads);
                    v.accept(((t * (long) d + z) * h + y0) * w, f.crop((y0 - a) * w, (y1 - y0) * w));
                    if (progress != null) progress.check();
                }
            }
        }
    }

    /** Rows y0..y1-1 of planes z0..z1-1 of frame t, all channels, as a view (no copy). */
    private static Image5D view(Image5D img, int y0, int y1, int z0, int z1, int t) {
        RandomAccessibleInterval<? extends RealType<?>> v = Views.zeroMin(Views.interval(img.data(),
                new long[]{0, y0, 0, z0, t}, new long[]{img.width() - 1, y1 - 1, img.channels() - 1, z1 - 1, t}));
        return Image5D.wrap(v, img.voxelDepthRatio());
    }

    /**
     * Scaled feature rows of the images, block by block: every valid row (pick null) or the rows
     * whose index over all images' valid pixels, in order, is in pick (increasing), as
     * {@link Sampling#sampleRows} picks them from whole matrices.
     */
    public static float[] rows(List<Image5D> images, FeatureSpec spec, long[] pick, long total, int threads) {
        int d = spec.dims();
        long n = pick == null ? total : pick.length;
        if (n * d > Integer.MAX_VALUE - 8) {
            throw new SegmentationException("Too many pixels to fit on at once (" + n + "): set sampleSize to fit on a random sample of pixels.");
        }
        float[] out = new float[(int) n * d];
        long[] seen = {0};
        int[] next = {0};
        for (Image5D img : images) {
            forEach(img, spec.stack, spec.smoothing, threads, null, (off, f) -> {
                FeatureMatrix m = spec.buildBlock(img, f, off);
                long start = seen[0];
                if (pick == null) {
                    System.arraycopy(m.x, 0, out, (int) start * d, m.rows * d);
                } else {
                    int i = next[0];
                    for (; i < pick.length && pick[i] < start + m.rows; i++) System.arraycopy(m.x, (int) (pick[i] - start) * d, out, i * d, d);
                    next[0] = i;
                }
                seen[0] = start + m.rows;
            });
        }
        return out;
    }

    /** Distinct feature rows of the images, counted up to limit (the check of nClusters when a sample missed rare values). */
    public static int distinctRows(List<Image5D> images, FeatureSpec spec, int limit, int threads) {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        int d = spec.dims();
        for (Image5D img : images) {
            if (all.size() >= limit) break;
            forEach(img, spec.stack, spec.smoothing, threads, null, (off, f) -> {
                FeatureMatrix m = spec.buildBlock(img, f, off);
                for (int r = 0; r < m.rows && all.size() < limit; r++) {
                    all.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(m.x, r * d, r * d + d)));
                }
            });
        }
        return all.size();
    }

    /** NaN / infinite pixels of the input, counted a plane at a time (checked before any long work). */
    public static long[] invalidCounts(Image5D img) { return invalidCounts(img, null); }

    /** As above, handing each plane's pixels to each too (null: none), so that one pass serves both. */
    public static long[] invalidCounts(Image5D img, java.util.function.Consumer<RawPixels> each) {
        long nan = 0, inf = 0;
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < img.depth(); z++) {
                RawPixels r = RawPixels.of(img.plane(z, t));
                if (each != null) each.accept(r);
                nan += r.nanCount;
                inf += r.infCount;
            }
        }
        return new long[]{nan, inf};
    }
}

package io.github.unseg.core;

/**
 * Everything needed to turn an image into the feature vectors a fitted model expects:
 * the channel scaler and, optionally, weighted pixel coordinates. Saved with the model.
 */
public final class FeatureSpec {
    public final FeatureScaler scaler;
    public final double coordinateWeight;
    /** 0 (no coordinates), 2 (x, y) or 3 (x, y, z). */
    public final int coordinateDims;
    public final NanPolicy nanPolicy;
    /** Gaussian sigma applied to the raw channels before scaling (0 = none). */
    public final double smoothing;
    /** Shading correction and filter features (scaler channels = image channels x stack.perChannel()). */
    public final FeatureStack stack;

    public FeatureSpec(FeatureScaler scaler, double coordinateWeight, int coordinateDims, NanPolicy nanPolicy) {
        this(scaler, coordinateWeight, coordinateDims, nanPolicy, 0);
    }

    public FeatureSpec(FeatureScaler scaler, double coordinateWeight, int coordinateDims, NanPolicy nanPolicy, double smoothing) {
        this(scaler, coordinateWeight, coordinateDims, nanPolicy, smoothing, FeatureStack.NONE);
    }

    public FeatureSpec(FeatureScaler scaler, double coordinateWeight, int coordinateDims, NanPolicy nanPolicy, double smoothing,
                       FeatureStack stack) {
        this.stack = stack;
        this.smoothing = smoothing;
        this.scaler = scaler;
        this.coordinateWeight = coordinateWeight;
        this.coordinateDims = coordinateWeight > 0 ? coordinateDims : 0;
        this.nanPolicy = nanPolicy;
    }

    public int dims() { return scaler.channels() + coordinateDims; }

    /** Channels of the images this spec reads (before the feature stack multiplies them). */
    public int inputChannels() { return scaler.channels() / stack.perChannel(); }

    /** Pixels of halo in x and y that a block needs for its features to equal the whole image's. */
    public int radius() { return stack.radius(smoothing); }

    /** Checks NaNs against the policy and that the image has the channels the spec was fitted on. */
    public void checkCompatible(Image5D img, RawPixels raw) {
        checkChannels(img);
        checkNaN(raw, nanPolicy, img);
    }

    /** The same check without the image's pixels in memory (features in blocks): NaNs counted plane by plane. */
    public void checkCompatible(Image5D img) {
        checkChannels(img);
        long[] bad = FeatureBlocks.invalidCounts(img);
        checkNaN(bad[0], bad[1], img.pixelCount(), nanPolicy, img);
    }

    private void checkChannels(Image5D img) {
        if (img.channels() != inputChannels()) {
            throw new SegmentationException("The model was fitted on images with " + inputChannels()
                    + " channel(s), but this image has " + img.channels() + ": use an image of the same kind"
                    + " (for RGB images, all three colour channels), name the channels it was fitted on with useChannels,"
                    + " or fit a new model.");
        }
    }

    public static void checkNaN(RawPixels raw, NanPolicy policy, Image5D img) {
        checkNaN(raw.nanCount, raw.infCount, raw.pixels, policy, img);
    }

    public static void checkNaN(long nanCount, long infCount, long pixels, NanPolicy policy, Image5D img) {
        if (nanCount == 0) return;
        if (nanCount == pixels) {
            throw new SegmentationException("Every pixel of the image is NaN or infinite (" + img.describe() + "): nothing to segment.");
        }
        if (policy == NanPolicy.REJECT) {
            throw new SegmentationException("The image has " + RawPixels.describeInvalid(nanCount, infCount) + " of " + pixels
                    + ": replace them (Process>Math>NaN Background is the reverse) or set nanPolicy=mask"
                    + " to leave them unlabelled (label 0).");
        }
    }

    /** True when features are computed in blocks ({@link FeatureBlocks}): a filter stack or shading correction. */
    public boolean blockwise() { return !stack.isNone(); }

    /** Raw pixels of an image as this spec reads them (corrected, smoothed and filtered when it says so), on threads. */
    public RawPixels raw(Image5D img, int threads) {
        return transform(RawPixels.of(img), img, stack, smoothing, threads);
    }

    /** The one order of the per-pixel transforms: intensity scale, shading correction, smoothing, filter features. */
    public static RawPixels transform(RawPixels raw, Image5D img, FeatureStack stack, double smoothing, int threads) {
        stack.applyLog(raw);
        stack.correctBackground(raw, img.width(), img.height(), threads);
        Smoothing.gaussian(raw, img.width(), img.height(), smoothing, threads);
        return stack.apply(raw, img.width(), img.height(), img.depth(), img.voxelDepthRatio(), threads);
    }

    /** Scales the raw values into a feature matrix. */
    public FeatureMatrix build(Image5D img, RawPixels raw) {
        checkCompatible(img, raw);
        return rows(img, raw, 0);
    }

    /**
     * The rows of one block from {@link FeatureBlocks}: raw holds the pixels offset.. of img, whose
     * coordinates they get; row indices are the block's (add offset for the image's). No NaN check:
     * {@link #checkCompatible(Image5D)} checked the whole image first.
     */
    public FeatureMatrix buildBlock(Image5D img, RawPixels raw, long offset) {
        return rows(img, raw, offset);
    }

    private FeatureMatrix rows(Image5D img, RawPixels raw, long offset) {
        int c = raw.channels, d = dims();
        int rows = raw.pixels - raw.nanCount;
        int[] index = null;
        float[] out;
        if (raw.nanCount == 0 && coordinateDims == 0) {
            out = new float[raw.values.length];
        } else {
            out = new float[rows * d];
            if (raw.nanCount > 0) index = new int[rows];
        }
        float[] off = new float[c], sc = new float[c];
        for (int ch = 0; ch < c; ch++) { off[ch] = (float) scaler.offset[ch]; sc[ch] = (float) scaler.scale[ch]; }
        int w = img.width(), h = img.height(), dep = img.depth();
        // One scale for all axes keeps distances isotropic (z in x-pixel units via the voxel
        // depth ratio); the longest extent spans [0, coordinateWeight].
        double extent = Math.max(Math.max(w, h), dep * img.voxelDepthRatio()) - 1;
        float wx = (float) (coordinateWeight / Math.max(1, extent)), wy = wx;
        float wz = (float) (wx * img.voxelDepthRatio());
        int row = 0;
        long outsideRows = 0;
        for (int p = 0; p < raw.pixels; p++) {
            if (raw.nanCount > 0 && !raw.isValid(p)) continue;
            int ri = p * c, o = row * d;
            boolean outside = false;
            for (int ch = 0; ch < c; ch++) {
                float v = (raw.values[ri + ch] - off[ch]) * sc[ch];
                out[o + ch] = v;
                outside |= v < -RANGE_MARGIN || v > 1 + RANGE_MARGIN;
            }
            if (outside) outsideRows++;
            if (coordinateDims > 0) {
                long g = p + offset;
                int x = (int) (g % w);
                long rest = g / w;
                int y = (int) (rest % h), z = (int) ((rest / h) % dep);
                out[o + c] = x * wx;
                out[o + c + 1] = y * wy;
                if (coordinateDims > 2) out[o + c + 2] = z * wz;
            }
            if (index != null) index[row] = p;
            row++;
        }
        if (scaler.normalization == Normalization.MINMAX) {
            synchronized (this) { rowsSeen += rows; rowsOutside += outsideRows; }
        }
        return new FeatureMatrix(out, rows, d, index, raw.pixels);
    }

    /** How far past [0, 1] a min-max feature may lie before it counts as outside the fitted range. */
    static final float RANGE_MARGIN = 0.25f;

    // pixels scaled since resetRange, and those outside the range the scaler was fitted on (min-max only)
    private long rowsSeen, rowsOutside;

    /** Forgets the pixels counted by {@link #rangeNote()} (as an image's labelling begins). */
    public synchronized void resetRange() { rowsSeen = 0; rowsOutside = 0; }

    /**
     * A note when more than a quarter of the pixels scaled since {@link #resetRange()} lie outside
     * the intensities the model was fitted on (a 16-bit image given to a model fitted on 8-bit
     * ones, another exposure): they fall in the brightest or darkest label, without a word. Null
     * otherwise.
     */
    public synchronized String rangeNote() {
        if (rowsSeen == 0 || rowsOutside * 4 <= rowsSeen) return null;
        StringBuilder r = new StringBuilder();
        for (int ch = 0; ch < Math.min(scaler.channels(), 4); ch++) {
            double lo = scaler.offset[ch], hi = lo + 1 / scaler.scale[ch];
            r.append(ch == 0 ? "" : ", ").append(scaler.channels() > 1 ? "feature " + (ch + 1) + " " : "")
                    .append(io.github.unseg.cnn.CnnModel.shortNumber(round(lo))).append("-").append(io.github.unseg.cnn.CnnModel.shortNumber(round(hi)));
        }
        return String.format(java.util.Locale.ROOT, "note: %.0f%% of this image's pixels lie outside the intensities the model was fitted on (%s):"
                + " an image of another bit depth or exposure? Its labels may mean little: fit a model on images like it", 100.0 * rowsOutside / rowsSeen, r);
    }

    private static double round(double v) { return Math.abs(v) >= 100 ? Math.rint(v) : Math.rint(v * 1000) / 1000; }
}

package io.github.unseg.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way every method turns training images into features: raw pixels, the NaN check,
 * shading correction, smoothing and filter features, then a scaler fitted on all of them together.
 */
public final class FeaturePrep {
    /** Each image's transformed pixels; null when the features are computed in blocks (a filter stack). */
    public final List<RawPixels> raws;
    public final FeatureScaler scaler;
    public final FeatureStack stack;
    /** Valid (not NaN) pixels of each image. */
    public final long[] validPixels;

    private FeaturePrep(List<RawPixels> raws, FeatureScaler scaler, FeatureStack stack, long[] validPixels) {
        this.raws = raws;
        this.scaler = scaler;
        this.stack = stack;
        this.validPixels = validPixels;
    }

    /** Raw (smoothed) pixels of each image, checked for NaNs, and the scaler fitted on them; computed on threads. */
    public static FeaturePrep of(List<Image5D> images, FeatureOptions features, int threads) {
        return of(images, features, threads, false);
    }

    /**
     * As above; whole: keep each image's transformed pixels even with a feature stack or shading
     * correction, for a caller that needs every pixel's features at once anyway (the CNN), so that
     * they are not computed twice.
     */
    public static FeaturePrep of(List<Image5D> images, FeatureOptions features, int threads, boolean whole) {
        if (images.isEmpty()) throw new SegmentationException("No image to fit on.");
        features.validate();
        int channels = images.get(0).channels();
        boolean volume = false;
        for (Image5D img : images) volume |= img.depth() > 1;
        FeatureStack stack = features.stack(volume);
        for (Image5D img : images) {
            if (img.channels() != channels) {
                throw new SegmentationException("All training images must have the same number of channels ("
                        + channels + " vs " + img.channels() + ").");
            }
        }
        long[] valid = new long[images.size()];
        if (features.intensity == Intensity.LOG) stack = withLogRange(stack, images, channels);
        if (!stack.isNone() && !whole) {
            // features in blocks: never a whole image's stack at once; NaNs checked before the long work
            for (int i = 0; i < images.size(); i++) {
                long[] bad = FeatureBlocks.invalidCounts(images.get(i));
                FeatureSpec.checkNaN(bad[0], bad[1], images.get(i).pixelCount(), features.nanPolicy, images.get(i));
                valid[i] = images.get(i).pixelCount() - bad[0];
            }
            FeatureScaler.Stats st = new FeatureScaler.Stats(channels * stack.perChannel());
            for (Image5D img : images) FeatureBlocks.forEach(img, stack, features.smoothing, threads, null, (off, f) -> st.add(f));
            return new FeaturePrep(null, st.scaler(features.normalization), stack, valid);
        }
        List<RawPixels> raws = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Image5D img = images.get(i);
            RawPixels raw = RawPixels.of(img);
            FeatureSpec.checkNaN(raw, features.nanPolicy, img);
            raws.add(FeatureSpec.transform(raw, img, stack, features.smoothing, threads));
            valid[i] = raw.pixels - raw.nanCount;
        }
        return new FeaturePrep(raws, FeatureScaler.fit(features.normalization, raws), stack, valid);
    }

    /** The stack with the log scale fixed by each channel's range over all the images (a pass a plane at a time). */
    private static FeatureStack withLogRange(FeatureStack stack, List<Image5D> images, int channels) {
        double[] lo = new double[channels], hi = new double[channels];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (Image5D img : images) {
            for (int t = 0; t < img.frames(); t++) {
                for (int z = 0; z < img.depth(); z++) {
                    RawPixels r = RawPixels.of(img.plane(z, t));
                    for (int i = 0; i < r.values.length; i++) {
                        float v = r.values[i];
                        if (!Float.isFinite(v)) continue;
                        int ch = i % channels;
                        if (v < lo[ch]) lo[ch] = v;
                        if (v > hi[ch]) hi[ch] = v;
                    }
                }
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            if (lo[ch] > hi[ch]) { lo[ch] = 0; hi[ch] = 0; } // no valid pixel: the NaN check says so next
        }
        return stack.withLog(lo, hi);
    }

    /** The spec that applies this scaling (and the given coordinates) to any image. */
    public FeatureSpec spec(FeatureOptions features, double coordinateWeight, int coordinateDims) {
        return new FeatureSpec(scaler, coordinateWeight, coordinateDims, features.nanPolicy, features.smoothing, stack);
    }
}

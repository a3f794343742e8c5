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
        boolean log = features.intensity == Intensity.LOG;
        // the log scale's range: each channel's min and max over all the images, read with the NaN check
        FeatureScaler.Stats range = log ? new FeatureScaler.Stats(channels) : null;
        if (!stack.isNone() && !whole) {
            // features in blocks: never a whole image's stack at once; NaNs checked before the long work
            for (int i = 0; i < images.size(); i++) {
                Image5D img = images.get(i);
                long[] bad = FeatureBlocks.invalidCounts(img, log ? range::add : null);
                FeatureSpec.checkNaN(bad[0], bad[1], img.pixelCount(), features.nanPolicy, img);
                valid[i] = img.pixelCount() - bad[0];
            }
            FeatureStack fitted = log ? range.withLogRange(stack) : stack;
            FeatureScaler.Stats st = new FeatureScaler.Stats(channels * fitted.perChannel());
            for (Image5D img : images) FeatureBlocks.forEach(img, fitted, features.smoothing, threads, null, (off, f) -> st.add(f));
            return new FeaturePrep(null, st.scaler(features.normalization), fitted, valid);
        }
        List<RawPixels> raws = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            RawPixels raw = RawPixels.of(images.get(i));
            FeatureSpec.checkNaN(raw, features.nanPolicy, images.get(i));
            if (log) range.add(raw);
            raws.add(raw);
            valid[i] = raw.pixels - raw.nanCount;
        }
        if (log) stack = range.withLogRange(stack);
        for (int i = 0; i < images.size(); i++) raws.set(i, FeatureSpec.transform(raws.get(i), images.get(i), stack, features.smoothing, threads));
        return new FeaturePrep(raws, FeatureScaler.fit(features.normalization, raws), stack, valid);
    }

    /** The spec that applies this scaling (and the given coordinates) to any image. */
    public FeatureSpec spec(FeatureOptions features, double coordinateWeight, int coordinateDims) {
        return new FeatureSpec(scaler, coordinateWeight, coordinateDims, features.nanPolicy, features.smoothing, stack);
    }
}

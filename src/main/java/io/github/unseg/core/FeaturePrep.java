package io.github.unseg.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way every method turns training images into features: raw pixels, the NaN check,
 * Gaussian smoothing, then a scaler fitted on all of them together.
 */
public final class FeaturePrep {
    public final List<RawPixels> raws;
    public final FeatureScaler scaler;

    private FeaturePrep(List<RawPixels> raws, FeatureScaler scaler) {
        this.raws = raws;
        this.scaler = scaler;
    }

    /** Raw (smoothed) pixels of each image, checked for NaNs, and the scaler fitted on them. */
    public static FeaturePrep of(List<Image5D> images, FeatureOptions features) {
        if (images.isEmpty()) throw new SegmentationException("No image to fit on.");
        features.validate();
        int channels = images.get(0).channels();
        List<RawPixels> raws = new ArrayList<>();
        for (Image5D img : images) {
            if (img.channels() != channels) {
                throw new SegmentationException("All training images must have the same number of channels ("
                        + channels + " vs " + img.channels() + ").");
            }
            RawPixels raw = RawPixels.of(img);
            FeatureSpec.checkNaN(raw, features.nanPolicy, img);
            Smoothing.gaussian(raw, img.width(), img.height(), features.smoothing);
            raws.add(raw);
        }
        return new FeaturePrep(raws, FeatureScaler.fit(features.normalization, raws));
    }

    /** The spec that applies this scaling (and the given coordinates) to any image. */
    public FeatureSpec spec(FeatureOptions features, double coordinateWeight, int coordinateDims) {
        return new FeatureSpec(scaler, coordinateWeight, coordinateDims, features.nanPolicy, features.smoothing);
    }
}

package io.github.unseg.core;

/** Settings for turning pixels into feature vectors. Mutable bean: front ends fill it field by field. */
public final class FeatureOptions {
    public Normalization normalization = Normalization.MINMAX;
    /** Weight of the pixel coordinates appended to the intensities (the longest axis spans [0, weight]); 0 = off. */
    public double coordinateWeight = 0;
    public NanPolicy nanPolicy = NanPolicy.MASK;
    /** Gaussian smoothing (sigma, pixels) of each channel within each plane before clustering; 0 = off. */
    public double smoothing = 0;

    public void validate() {
        if (!(smoothing >= 0) || smoothing > 100) {
            throw new SegmentationException("smoothing must be a sigma in pixels between 0 and 100, got " + smoothing + ".");
        }
        if (!(coordinateWeight >= 0) || Double.isInfinite(coordinateWeight)) {
            throw new SegmentationException("coordinateWeight must be a finite number >= 0, got " + coordinateWeight + ".");
        }
    }
}

package io.github.unseg.core;

/** Settings for turning pixels into feature vectors. Mutable bean: front ends fill it field by field. */
public final class FeatureOptions {
    public Normalization normalization = Normalization.MINMAX;
    /** Weight of the pixel coordinates appended to the intensities (the longest axis spans [0, weight]); 0 = off. */
    public double coordinateWeight = 0;
    public NanPolicy nanPolicy = NanPolicy.MASK;
    /** Gaussian smoothing (sigma, pixels) of each channel within each plane before clustering; 0 = off. */
    public double smoothing = 0;
    /** Filter features joined to the intensities ("gaussian,hessian"; empty = intensities only): {@link FeatureStack}. */
    public String filters = "none";
    /** The filters' scales in pixels. */
    public double[] sigmas = {1, 2, 4};
    /** The scale intensities are read on (log: a wide dynamic range, dim and bright objects alike). */
    public Intensity intensity = Intensity.LINEAR;
    /** Shading correction of each plane by a Gaussian-blurred copy, before smoothing and filters. */
    public FeatureStack.Background background = FeatureStack.Background.NONE;
    /** Sigma (pixels) of that blur: wider than the objects. */
    public double backgroundSigma = 50;

    public void validate() {
        if (!(smoothing >= 0) || smoothing > 100) {
            throw new SegmentationException("smoothing must be a sigma in pixels between 0 and 100, got " + smoothing + ".");
        }
        if (!(coordinateWeight >= 0) || Double.isInfinite(coordinateWeight)) {
            throw new SegmentationException("coordinateWeight must be a finite number >= 0, got " + coordinateWeight + ".");
        }
        stack(false);
    }

    /** The feature stack these settings ask for; volumetric for models fitted on z-stacks. */
    public FeatureStack stack(boolean volumetric) {
        return FeatureStack.of(filters, sigmas, background, backgroundSigma, volumetric);
    }
}

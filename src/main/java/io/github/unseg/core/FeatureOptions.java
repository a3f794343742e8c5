package io.github.unseg.core;

/** Settings for turning pixels into feature vectors. Mutable bean: front ends fill it field by field. */
public final class FeatureOptions {
    public Normalization normalization = Normalization.MINMAX;
    /** Weight of the pixel coordinates appended to the intensities (the longest axis spans [0, weight]); 0 = off. */
    public double coordinateWeight = 0;
    public NanPolicy nanPolicy = NanPolicy.MASK;

    public FeatureOptions normalization(Normalization n) { normalization = n; return this; }
    public FeatureOptions coordinateWeight(double w) { coordinateWeight = w; return this; }
    public FeatureOptions nanPolicy(NanPolicy p) { nanPolicy = p; return this; }

    public void validate() {
        if (!(coordinateWeight >= 0) || Double.isInfinite(coordinateWeight)) {
            throw new SegmentationException("coordinateWeight must be a finite number >= 0, got " + coordinateWeight + ".");
        }
    }
}

package io.github.unseg.core;

import java.util.List;

/**
 * Per-channel affine scaling (v - offset) * scale, fitted once on the training images and stored
 * with the model, so that every image a model labels is scaled the same way.
 */
public final class FeatureScaler {
    public final Normalization normalization;
    public final double[] offset;
    public final double[] scale;

    public FeatureScaler(Normalization normalization, double[] offset, double[] scale) {
        this.normalization = normalization;
        this.offset = offset.clone();
        this.scale = scale.clone();
    }

    public int channels() { return offset.length; }

    public static FeatureScaler fit(Normalization norm, List<RawPixels> images) {
        int c = images.get(0).channels;
        double[] off = new double[c], sc = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sum2 = 0;
            long count = 0;
            for (RawPixels r : images) {
                for (int p = 0; p < r.pixels; p++) {
                    float val = r.values[p * c + ch];
                    if (!Float.isFinite(val) || (r.nanCount > 0 && !r.isValid(p))) continue;
                    if (val < min) min = val;
                    if (val > max) max = val;
                    sum += val;
                    sum2 += (double) val * val;
                    count++;
                }
            }
            switch (norm) {
                case MINMAX:
                    off[ch] = min;
                    sc[ch] = max > min ? 1.0 / (max - min) : 1.0;
                    break;
                case ZSCORE: {
                    double mean = sum / count;
                    double var = Math.max(0, sum2 / count - mean * mean);
                    off[ch] = mean;
                    sc[ch] = var > 0 ? 1.0 / Math.sqrt(var) : 1.0;
                    break;
                }
                default:
                    off[ch] = 0;
                    sc[ch] = 1;
            }
        }
        return new FeatureScaler(norm, off, sc);
    }
}

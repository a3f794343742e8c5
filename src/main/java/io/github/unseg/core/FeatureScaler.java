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
        Stats st = new Stats(images.get(0).channels);
        for (RawPixels r : images) st.add(r);
        return st.scaler(norm);
    }

    /**
     * Per-channel min, max, sum and sum of squares of valid pixels, added image by image or block by
     * block: in pixel order either way, so the sums (and the scaler) are the same to the last bit.
     */
    public static final class Stats {
        private final int c;
        private final double[] min, max, sum, sum2;
        private final long[] count;

        public Stats(int channels) {
            c = channels;
            min = new double[c]; max = new double[c]; sum = new double[c]; sum2 = new double[c]; count = new long[c];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        public void add(RawPixels r) {
            if (r.channels != c) throw new IllegalArgumentException(r.channels + " channels, not " + c);
            for (int ch = 0; ch < c; ch++) {
                double mn = min[ch], mx = max[ch], s = sum[ch], s2 = sum2[ch];
                long n = count[ch];
                for (int p = 0; p < r.pixels; p++) {
                    float val = r.values[p * c + ch];
                    if (!Float.isFinite(val) || (r.nanCount > 0 && !r.isValid(p))) continue;
                    if (val < mn) mn = val;
                    if (val > mx) mx = val;
                    s += val;
                    s2 += (double) val * val;
                    n++;
                }
                min[ch] = mn; max[ch] = mx; sum[ch] = s; sum2[ch] = s2; count[ch] = n;
            }
        }

        /** That stack on the log scale of these channels' ranges (a channel without a valid pixel: 0 to 0). */
        public FeatureStack withLogRange(FeatureStack stack) {
            double[] lo = new double[c], hi = new double[c];
            for (int ch = 0; ch < c; ch++) {
                lo[ch] = count[ch] > 0 ? min[ch] : 0;
                hi[ch] = count[ch] > 0 ? max[ch] : 0;
            }
            return stack.withLog(lo, hi);
        }

        public FeatureScaler scaler(Normalization norm) {
            double[] off = new double[c], sc = new double[c];
            for (int ch = 0; ch < c; ch++) {
                switch (norm) {
                    case MINMAX:
                        off[ch] = min[ch];
                        sc[ch] = max[ch] > min[ch] ? 1.0 / (max[ch] - min[ch]) : 1.0;
                        break;
                    case ZSCORE: {
                        double mean = sum[ch] / count[ch];
                        double var = Math.max(0, sum2[ch] / count[ch] - mean * mean);
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
}

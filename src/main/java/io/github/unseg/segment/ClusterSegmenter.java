package io.github.unseg.segment;

import io.github.unseg.cluster.Parallel;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureOptions;
import io.github.unseg.core.FeatureBlocks;
import io.github.unseg.core.FeaturePrep;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.Sampling;
import io.github.unseg.core.SegmentationException;

import java.util.ArrayList;
import java.util.List;

/** Shared settings and feature preparation of the clustering segmenters. */
public abstract class ClusterSegmenter implements Segmenter {
    @Override public FeatureOptions features() { return features; }

    /** Number of labels wanted. */
    public int nClusters = 3;
    public FeatureOptions features = new FeatureOptions();
    /** Fit on at most this many random pixels (0 = all); prediction always labels every pixel. */
    public int sampleSize = 200_000;
    public long seed = 1;
    public int threads = Parallel.defaultThreads();

    /** Training rows after scaling and sampling. */
    protected static final class Training {
        public final FeatureSpec spec;
        public final float[] x;
        public final int n, d;

        Training(FeatureSpec spec, float[] x, int n, int d) {
            this.spec = spec; this.x = x; this.n = n; this.d = d;
        }
    }

    @Override
    public void validate() {
        if (nClusters < 1) throw new SegmentationException("nClusters must be at least 1, got " + nClusters + ".");
        if (nClusters > 65535) throw new SegmentationException("nClusters must be at most 65535, got " + nClusters + ".");
        if (sampleSize < 0) throw new SegmentationException("sampleSize must be >= 0 (0 = all pixels), got " + sampleSize + ".");
        features.validate();
    }

    protected Training prepare(List<Image5D> images, int minDistinct) {
        validate();
        int coordDims = 2;
        for (Image5D img : images) if (img.depth() > 1) coordDims = 3;
        FeaturePrep prep = FeaturePrep.of(images, features, threads);
        FeatureSpec spec = prep.spec(features, features.coordinateWeight, coordDims);
        long valid = 0;
        for (long v : prep.validPixels) valid += v;
        if (valid < 2) {
            throw new SegmentationException("The image is too small to segment (" + images.get(0).describe() + ", "
                    + valid + " usable pixel): it needs at least nClusters (" + nClusters + ") pixels with different values.");
        }
        int d = spec.dims();
        int[] nOut = new int[1];
        float[] x;
        List<FeatureMatrix> ms = null;
        if (prep.raws == null) {
            // a filter stack: rows gathered block by block, the same rows Sampling.sampleRows would pick
            long[] pick = sampleSize <= 0 || valid <= sampleSize ? null : Sampling.sampleIndices(valid, sampleSize, seed);
            x = FeatureBlocks.rows(images, spec, pick, valid, threads);
            nOut[0] = pick == null ? (int) valid : pick.length;
        } else {
            ms = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) ms.add(spec.build(images.get(i), prep.raws.get(i)));
            x = Sampling.sampleRows(ms, sampleSize, seed, nOut);
        }
        int distinct = Sampling.distinctRows(x, nOut[0], d, minDistinct);
        if (distinct < minDistinct && nOut[0] < valid) {
            // The sample may have missed rare values: count on every pixel before complaining.
            if (ms == null) {
                distinct = FeatureBlocks.distinctRows(images, spec, minDistinct, threads);
            } else {
                java.util.HashSet<String> all = new java.util.HashSet<>();
                for (FeatureMatrix m : ms) {
                    for (int r = 0; r < m.rows && all.size() < minDistinct; r++) {
                        all.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(m.x, r * d, r * d + d)));
                    }
                }
                distinct = all.size();
            }
        }
        if (distinct < minDistinct) {
            throw tooFewValues(distinct, minDistinct);
        }
        return new Training(spec, x, nOut[0], d);
    }

    /** The message for an image with fewer distinct pixel values than the clusters asked for. */
    public static SegmentationException tooFewValues(int distinct, int asked) {
        if (distinct <= 1) {
            return new SegmentationException("The image is uniform (every usable pixel has the same value): there is"
                    + " nothing to segment into " + asked + " clusters.");
        }
        return new SegmentationException("The image has only " + distinct + " distinct pixel value(s) but "
                + asked + " clusters were asked for: choose nClusters <= " + distinct + ".");
    }
}

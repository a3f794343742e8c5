package io.github.unseg.segment;

import io.github.unseg.core.FeatureBlocks;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.SegmentationException;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** A model that labels each pixel from its own feature vector (K-means, GMM, GMM + K-means). */
public abstract class PixelModel extends SegmentationModel {
    protected PixelModel(FeatureSpec spec) {
        super(spec);
    }

    /** 0-based cluster of each feature row. */
    protected abstract void predictRows(float[] x, int n, int d, int[] out);

    /** Per-cluster probabilities of each row, n x nLabels. */
    protected float[] probabilityRows(float[] x, int n, int d) {
        throw new SegmentationException("Method " + method() + " gives no probability maps; use the Gaussian mixture.");
    }

    /** Labels of every pixel of img, in X-fastest order over X, Y, Z, T. */
    @Override
    public int[] predict(Image5D img, Progress progress) {
        if (spec.blockwise()) {
            // a filter stack: one block's features at a time, never the whole image's
            spec.checkCompatible(img);
            int[] out = new int[Math.toIntExact(img.pixelCount())];
            FeatureBlocks.forEach(img, spec.stack, spec.smoothing, threads, progress, (off, f) -> {
                FeatureMatrix m = spec.buildBlock(img, f, off);
                int[] rows = new int[m.rows];
                predictRows(m.x, m.rows, m.dims, rows);
                for (int r = 0; r < m.rows; r++) out[(int) off + m.pixelOf(r)] = rows[r] + 1;
            });
            return out;
        }
        RawPixels raw = spec.raw(img, threads);
        FeatureMatrix m = spec.build(img, raw);
        int[] rows = new int[m.rows];
        progress.check();
        predictRows(m.x, m.rows, m.dims, rows);
        int[] out = new int[m.pixelCount];
        for (int r = 0; r < m.rows; r++) out[m.pixelOf(r)] = rows[r] + 1;
        return out;
    }

    /** Probability maps into {@code out}, axes X, Y, K (one per label), Z, T; 0 where masked. */
    @Override
    public void predictProbabilities(Image5D img, RandomAccessibleInterval<? extends RealType<?>> out) {
        if (out.numDimensions() != 5 || out.dimension(2) != nLabels()) {
            throw new IllegalArgumentException("probability output must be X,Y,K,Z,T with K = " + nLabels());
        }
        int k = nLabels();
        float[] full = new float[Math.toIntExact(img.pixelCount()) * k];   // pixel-major, k per pixel
        if (spec.blockwise()) {
            spec.checkCompatible(img);
            FeatureBlocks.forEach(img, spec.stack, spec.smoothing, threads, null, (off, f) -> {
                FeatureMatrix m = spec.buildBlock(img, f, off);
                float[] p = probabilityRows(m.x, m.rows, m.dims);
                for (int r = 0; r < m.rows; r++) System.arraycopy(p, r * k, full, ((int) off + m.pixelOf(r)) * k, k);
            });
        } else {
            FeatureMatrix m = spec.build(img, spec.raw(img, threads));
            float[] p = probabilityRows(m.x, m.rows, m.dims);
            for (int r = 0; r < m.rows; r++) System.arraycopy(p, r * k, full, m.pixelOf(r) * k, k);
        }
        for (int c = 0; c < k; c++) {
            Cursor<? extends RealType<?>> cur = Views.flatIterable(Views.hyperSlice(out, 2, c)).cursor();
            int i = 0;
            while (cur.hasNext()) cur.next().setReal(full[i++ * k + c]);
        }
    }
}

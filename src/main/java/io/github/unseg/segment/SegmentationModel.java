package io.github.unseg.segment;

import com.google.gson.JsonObject;
import io.github.unseg.cluster.Parallel;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.SegmentationException;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * A fitted segmentation: labels every pixel of a compatible image 1..nLabels (0 = masked/NaN).
 * Labels are ordered by the first feature (the first channel's normalised intensity) of each
 * cluster, so the darkest cluster is 1, whatever the random start.
 */
public abstract class SegmentationModel {
    protected final FeatureSpec spec;
    public int threads = Parallel.defaultThreads();

    protected SegmentationModel(FeatureSpec spec) {
        this.spec = spec;
    }

    public FeatureSpec featureSpec() { return spec; }

    public abstract String method();

    public abstract int nLabels();

    /** 0-based cluster of each feature row. */
    protected abstract void predictRows(float[] x, int n, int d, int[] out);

    public boolean hasProbabilities() { return false; }

    /** Per-cluster probabilities of each row, n x nLabels. */
    protected float[] probabilityRows(float[] x, int n, int d) {
        throw new SegmentationException("Method " + method() + " gives no probability maps; use the Gaussian mixture.");
    }

    /** Method-specific fields for the saved model. */
    protected abstract void writeJson(JsonObject o);

    /** A short human-readable account of the fit (iterations, inertia...). */
    public String summary() { return method() + ", " + nLabels() + " labels"; }

    /** Labels of every pixel of img, in X-fastest order over X, Y, Z, T. */
    public int[] predict(Image5D img, Progress progress) {
        RawPixels raw = spec.raw(img);
        FeatureMatrix m = spec.build(img, raw);
        int[] rows = new int[m.rows];
        progress.check();
        predictRows(m.x, m.rows, m.dims, rows);
        int[] out = new int[m.pixelCount];
        for (int r = 0; r < m.rows; r++) out[m.pixelOf(r)] = rows[r] + 1;
        return out;
    }

    /**
     * Labels img into {@code labels}, a view with axes X, Y, Z, T of the same size. Plane by plane
     * when features do not use z, so memory stays at one plane's worth.
     */
    public void predict(Image5D img, RandomAccessibleInterval<? extends IntegerType<?>> labels, Progress progress) {
        checkOutput(img, labels);
        if (spec.coordinateDims >= 3 || img.depth() * img.frames() == 1) {
            write(predict(img, Progress.NONE), labels);
            progress.report("Labelled", 1);
            return;
        }
        int planes = img.depth() * img.frames(), done = 0;
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < img.depth(); z++) {
                progress.check();
                progress.report("Labelling slice " + (done + 1) + "/" + planes, (double) done / planes);
                int[] lab = predict(img.plane(z, t), Progress.NONE);
                write(lab, Views.hyperSlice(Views.hyperSlice(labels, 3, t), 2, z));
                done++;
            }
        }
        progress.report("Labelled", 1);
    }

    /** Probability maps into {@code out}, axes X, Y, K (one per label), Z, T; 0 where masked. */
    public void predictProbabilities(Image5D img, RandomAccessibleInterval<? extends RealType<?>> out) {
        if (out.numDimensions() != 5 || out.dimension(2) != nLabels()) {
            throw new IllegalArgumentException("probability output must be X,Y,K,Z,T with K = " + nLabels());
        }
        RawPixels raw = spec.raw(img);
        FeatureMatrix m = spec.build(img, raw);
        float[] p = probabilityRows(m.x, m.rows, m.dims);
        int k = nLabels();
        float[] full = new float[m.pixelCount];
        for (int c = 0; c < k; c++) {
            java.util.Arrays.fill(full, 0f);
            for (int r = 0; r < m.rows; r++) full[m.pixelOf(r)] = p[r * k + c];
            Cursor<? extends RealType<?>> cur = Views.flatIterable(Views.hyperSlice(out, 2, c)).cursor();
            int i = 0;
            while (cur.hasNext()) cur.next().setReal(full[i++]);
        }
    }

    static void write(int[] lab, RandomAccessibleInterval<? extends IntegerType<?>> out) {
        Cursor<? extends IntegerType<?>> cur = Views.flatIterable(out).cursor();
        int i = 0;
        while (cur.hasNext()) cur.next().setInteger(lab[i++]);
    }

    private static void checkOutput(Image5D img, RandomAccessibleInterval<?> labels) {
        long[] want = {img.width(), img.height(), img.depth(), img.frames()};
        boolean ok = labels.numDimensions() == 4;
        for (int i = 0; ok && i < 4; i++) ok = labels.dimension(i) == want[i];
        if (!ok) throw new IllegalArgumentException("label output must be X,Y,Z,T of size " + java.util.Arrays.toString(want));
    }

    /** Permutation that sorts rows of a k x d matrix by column 0, then 1, ... (stable label order). */
    static int[] orderByFirstFeature(double[][] centres) {
        Integer[] idx = new Integer[centres.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (a, b) -> {
            for (int j = 0; j < centres[a].length; j++) {
                int c = Double.compare(centres[a][j], centres[b][j]);
                if (c != 0) return c;
            }
            return Integer.compare(a, b);
        });
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }
}

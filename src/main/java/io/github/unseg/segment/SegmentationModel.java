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
 * cluster, so the darkest cluster is 1, whatever the random start. Pixel-wise models extend
 * {@link PixelModel}; a model that needs neighbours says so with {@link #context()}.
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

    public boolean hasProbabilities() { return false; }

    /**
     * Checks the labelling settings a user may change on a saved model (see
     * SegmentOptions.LABELLING) once they are set, before any labelling.
     */
    public void checkLabelling() { }

    /** Method-specific fields for the saved model. */
    protected abstract void writeJson(JsonObject o);

    /** A short human-readable account of the fit (iterations, inertia...). */
    public String summary() { return method() + ", " + nLabels() + " labels"; }

    /** Labels of every pixel of img, in X-fastest order over X, Y, Z, T. */
    public abstract int[] predict(Image5D img, Progress progress);

    /**
     * Pixels of context in the plane that a pixel's label depends on, so that a plane cut into
     * blocks with this halo labels exactly as the whole plane: 0 for per-pixel features, the
     * kernels' reach with smoothing, shading correction or filters. -1 when it cannot be cut in
     * the plane: coordinates as features, 3D filters
     * (relative to the whole image), or a step over the whole image (see {@link #pixelwise}).
     */
    public int blockHalo() {
        if (spec.coordinateWeight > 0 || spec.stack.volumetric) return -1;
        return spec.radius();   // the shading blur's, smoothing's and filters' kernel radii, chained
    }

    /** This model without its whole-image steps (the CNN's region merging), for labelling in blocks; itself when it has none. */
    public SegmentationModel pixelwise() { return this; }

    /** What a model needs around a pixel to label it, and so how an image may be cut for labelling. */
    public enum Context {
        /** The pixel's own features: planes (or any block) labelled alone. */
        PIXEL,
        /** A neighbourhood in the plane (2D CNN): whole planes, which the model tiles itself. */
        PLANE,
        /** Neighbours along z too (3D CNN, z coordinates as features): a frame's whole volume. */
        VOLUME
    }

    /** The context this model labels with; {@link #predict(Image5D, RandomAccessibleInterval, Progress)} cuts by it. */
    public Context context() {
        return spec.coordinateDims >= 3 && spec.coordinateWeight > 0 ? Context.VOLUME : Context.PIXEL;
    }

    /** Called as an image's labelling begins: a model applied to a batch forgets what it noted on the last image. */
    protected void startLabelling() { spec.resetRange(); }

    /** A note when more than a quarter of the image last labelled lies outside the intensities the model was fitted on; else null. */
    public String rangeNote() { return spec.rangeNote(); }

    /**
     * Labels img into {@code labels}, a view with axes X, Y, Z, T of the same size, exactly as
     * {@link #predict(Image5D, Progress)} would: plane by plane unless the model needs z context
     * (then frame by frame), so memory stays at one plane's or one volume's worth. Cancelled
     * between planes (or frames), it stops there and keeps those labelled, the rest 0 (the
     * result reached so far); cancelled before the first, it throws. Returns how many it
     * labelled, of its planes (or frames).
     */
    public int predict(Image5D img, RandomAccessibleInterval<? extends IntegerType<?>> labels, Progress progress) {
        checkOutput(img, labels);
        startLabelling();
        boolean volumes = context() == Context.VOLUME;
        // a plane's labelling says its steps (a CNN's tiles, its region merging: a large plane's
        // take a minute) but is not cut short: its result is what a cancelled training keeps;
        // a stack says its planes (or frames) and the time left
        if (parts(img, volumes) == 1) {
            write(predict(img, progress.uncancellable()), labels);
            progress.report("Labelled", 1);
            return 1;
        }
        long t0 = System.nanoTime();
        if (volumes) {
            for (int t = 0; t < img.frames(); t++) {
                if (t > 0 && progress.isCancelled()) return t;
                progress.check();
                progress.report("Labelling frame " + (t + 1) + "/" + img.frames() + Progress.timeLeft(t0, t, img.frames()), (double) t / img.frames());
                write(predict(img.frame(t), Progress.NONE), Views.hyperSlice(labels, 3, t));
            }
            progress.report("Labelled", 1);
            return img.frames();
        }
        int planes = img.depth() * img.frames(), done = 0;
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < img.depth(); z++) {
                if (done > 0 && progress.isCancelled()) return done;
                progress.check();
                progress.report("Labelling slice " + (done + 1) + "/" + planes + Progress.timeLeft(t0, done, planes), (double) done / planes);
                int[] lab = predict(img.plane(z, t), Progress.NONE);
                write(lab, Views.hyperSlice(Views.hyperSlice(labels, 3, t), 2, z));
                done++;
            }
        }
        progress.report("Labelled", 1);
        return planes;
    }

    /** The frames (volumes: a model that needs z context) or planes that {@link #predict(Image5D, RandomAccessibleInterval, Progress)} labels one by one. */
    private static int parts(Image5D img, boolean volumes) {
        return volumes ? img.frames() : img.depth() * img.frames();
    }

    /** What the user reads when a cancel cut this model's labelling of img short; null when none is missing. */
    public String cancelledNote(Image5D img, int labelled) {
        return cancelledNote(img, context() == Context.VOLUME, labelled);
    }

    /**
     * As above, after {@code labelled} of img's parts: frames when {@code volumes}, else planes
     * (z within t); null when none is missing.
     */
    public static String cancelledNote(Image5D img, boolean volumes, int labelled) {
        int parts = parts(img, volumes);
        if (labelled >= parts) return null;
        String what = volumes || img.depth() == 1 ? "frames" : img.frames() == 1 ? "slices" : "planes (slices within frames)";
        return "cancelled after " + labelled + " of " + parts + " " + what + ": those are labelled, the rest left 0";
    }

    /** Probability maps into {@code out}, axes X, Y, K (one per label), Z, T; 0 where masked. */
    public void predictProbabilities(Image5D img, RandomAccessibleInterval<? extends RealType<?>> out) {
        throw new SegmentationException("Method " + method() + " gives no probability maps; use the Gaussian mixture.");
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
}

package io.github.unseg.segment;

import io.github.unseg.core.CancelledException;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.view.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a segmenter on an image: one model for the whole image (stacks get labels that mean the
 * same thing on every slice), or one model per 2D plane.
 */
public final class Segmentation {
    private Segmentation() { }

    public static final class Result {
        /** The fitted model; null in per-slice mode, where each plane has its own. */
        public final SegmentationModel model;
        public final List<String> summaries;
        public final int maxLabel;

        Result(SegmentationModel model, List<String> summaries, int maxLabel) {
            this.model = model; this.summaries = summaries; this.maxLabel = maxLabel;
        }
    }

    /**
     * Fits and labels {@code img} into {@code labels} (axes X, Y, Z, T).
     *
     * @param perSlice fit a separate model on each 2D plane instead of one for the whole image
     */
    public static Result run(Segmenter segmenter, Image5D img, RandomAccessibleInterval<? extends IntegerType<?>> labels,
                             boolean perSlice, Progress progress) {
        int planes = img.depth() * img.frames();
        boolean[] uniform = uniformPlanes(img, segmenter, perSlice);
        if (!perSlice || planes == 1) {
            progress.report("Fitting " + segmenter.method(), 0);
            SegmentationModel m = segmenter.fit(uniform == null ? img : img.withoutPlanes(uniform), progress.range(0, 0.8));
            // A fit that returns after a cancel (the CNN keeps the network it reached) still labels:
            // the user keeps that result.
            boolean cancelled = progress.isCancelled();
            // cancelled during the labelling of a stack: the planes labelled are kept (the rest 0)
            int labelled = m.predict(img, labels, (cancelled ? progress.uncancellable() : progress).range(0.8, 1));
            List<String> s = new ArrayList<>();
            s.add(m.summary() + (cancelled && !m.summary().contains("cancelled") ? " (cancelled: the result reached so far)" : ""));
            String cut = m.cancelledNote(img, labelled);
            if (cut != null) s.add(cut);
            String u = uniform == null ? null : uniformNote(uniform, img, planes,
                    "read as masked by the fit (one value repeated would take a label of its own), then labelled by the model");
            if (u != null) s.add(u);
            return new Result(m, s, m.nLabels());
        }
        int done = 0, maxLabel = 0;
        List<String> summaries = new ArrayList<>();
        long t0 = System.nanoTime();
        planes:
        for (int t = 0; t < img.frames(); t++) {
            for (int z = 0; z < img.depth(); z++) {
                // cancelled: keep the slices done (a CNN's slice keeps the network it reached)
                if (done > 0 && progress.isCancelled()) break planes;
                Progress step = progress.range((double) done / planes, (done + 1.0) / planes);
                step.check();
                // the fit's own reports (a CNN's iterations, their time left the slice's) follow the stack's
                String left = Progress.timeLeft(t0, done, planes);
                String head = "Slice " + (done + 1) + "/" + planes + (left.isEmpty() ? "" : left + " in all");
                step.report(head, 0);
                Progress p = step.prefixed(head + ": ");
                Image5D plane = img.plane(z, t);
                RandomAccessibleInterval<? extends IntegerType<?>> out = Views.zeroMin(Views.interval(labels, new long[]{0, 0, z, t},
                        new long[]{img.width() - 1, img.height() - 1, z, t}));
                if (uniform != null && uniform[t * img.depth() + z]) {
                    labelUniform(plane, out);
                    summaries.add(null);   // said in one note below
                    maxLabel = Math.max(maxLabel, 1);
                    done++;
                    continue;
                }
                SegmentationModel m;
                try {
                    m = segmenter.fit(plane, p);
                } catch (SegmentationException e) {
                    throw new SegmentationException("Slice z=" + (z + 1) + ", t=" + (t + 1) + ": " + e.getMessage(), e);
                } catch (CancelledException e) {
                    if (done == 0 || !progress.isCancelled()) throw e;
                    break planes;   // a fit that cannot keep a partial result: the slices before it stay
                }
                m.predict(plane, out, Progress.NONE);
                summaries.add(m.summary());
                maxLabel = Math.max(maxLabel, m.nLabels());
                done++;
            }
        }
        summaries = PlaneSummaries.condense(summaries, img.depth(), img.frames());
        String cut = SegmentationModel.cancelledNote(img, false, done);
        if (cut != null) summaries.add(cut);
        String u = uniform == null ? null : uniformNote(uniform, img, done, "labelled 1 (masked or NaN pixels 0), no model fitted on them");
        if (u != null) summaries.add(u);
        return new Result(null, summaries, maxLabel);
    }

    /**
     * What a whole-stack fit sees: the image, its uniform planes (a blank, padded or dropped plane:
     * one value repeated, which would take a cluster or component of its own) read as NaN. The
     * run's and the dialog preview's.
     */
    public static Image5D fittable(Image5D img, Segmenter segmenter) {
        boolean[] uniform = uniformPlanes(img, segmenter, false);
        return uniform == null ? img : img.withoutPlanes(uniform);
    }

    /**
     * The stack's uniform planes, set apart from the fit (per slice: not fitted, labelled 1); null
     * when none, or when every plane is (the fit then says the image is uniform), or for a
     * whole-stack fit under nanPolicy reject (NaN is the user's error there, so none is made).
     */
    private static boolean[] uniformPlanes(Image5D img, Segmenter segmenter, boolean perSlice) {
        if (img.depth() * img.frames() == 1 || (!perSlice && segmenter.features().nanPolicy == io.github.unseg.core.NanPolicy.REJECT)) return null;
        boolean[] uniform = img.uniformPlanes();
        boolean any = false, all = true;
        for (boolean u : uniform) { any |= u; all &= u; }
        return any && !all ? uniform : null;
    }

    /** 1 where every channel is finite, 0 elsewhere: a uniform plane is one region. */
    private static void labelUniform(Image5D plane, RandomAccessibleInterval<? extends IntegerType<?>> out) {
        int c = plane.channels();
        java.util.List<net.imglib2.Cursor<? extends net.imglib2.type.numeric.RealType<?>>> in = new java.util.ArrayList<>();
        for (int ch = 0; ch < c; ch++) in.add(Views.flatIterable(Views.hyperSlice(plane.data(), Image5D.C, ch)).cursor());
        net.imglib2.Cursor<? extends IntegerType<?>> o = Views.flatIterable(out).cursor();
        while (o.hasNext()) {
            boolean finite = true;
            for (int ch = 0; ch < c; ch++) finite &= Float.isFinite(in.get(ch).next().getRealFloat());
            o.next().setInteger(finite ? 1 : 0);
        }
    }

    /** The note on the uniform planes among the first {@code reached} (a cancel leaves the rest 0); null if none. */
    private static String uniformNote(boolean[] uniform, Image5D img, int reached, String what) {
        java.util.List<Integer> planes = new ArrayList<>();
        for (int i = 0; i < reached; i++) if (uniform[i]) planes.add(i);
        if (planes.isEmpty()) return null;
        return "note: " + planes.size() + " of " + uniform.length + " " + PlaneSummaries.unit(img.depth(), img.frames()) + " "
                + (planes.size() == 1 ? "is" : "are") + " uniform (every usable pixel alike: blank, padded or dropped?), "
                + PlaneSummaries.name(planes, img.depth(), img.frames()) + ": " + what;
    }
}

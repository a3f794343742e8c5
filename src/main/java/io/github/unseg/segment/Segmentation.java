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
        if (!perSlice || img.depth() * img.frames() == 1) {
            progress.report("Fitting " + segmenter.method(), 0);
            SegmentationModel m = segmenter.fit(img, progress.range(0, 0.8));
            // A fit that returns after a cancel (the CNN keeps the network it reached) still labels:
            // the user keeps that result.
            boolean cancelled = progress.isCancelled();
            // cancelled during the labelling of a stack: the planes labelled are kept (the rest 0)
            int labelled = m.predict(img, labels, (cancelled ? progress.uncancellable() : progress).range(0.8, 1));
            List<String> s = new ArrayList<>();
            s.add(m.summary() + (cancelled && !m.summary().contains("cancelled") ? " (cancelled: the result reached so far)" : ""));
            String cut = m.cancelledNote(img, labelled);
            if (cut != null) s.add(cut);
            return new Result(m, s, m.nLabels());
        }
        int planes = img.depth() * img.frames(), done = 0, maxLabel = 0;
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
                SegmentationModel m;
                try {
                    m = segmenter.fit(plane, p);
                } catch (SegmentationException e) {
                    throw new SegmentationException("Slice z=" + (z + 1) + ", t=" + (t + 1) + ": " + e.getMessage(), e);
                } catch (CancelledException e) {
                    if (done == 0 || !progress.isCancelled()) throw e;
                    break planes;   // a fit that cannot keep a partial result: the slices before it stay
                }
                m.predict(plane, Views.zeroMin(Views.interval(labels, new long[]{0, 0, z, t},
                        new long[]{img.width() - 1, img.height() - 1, z, t})), Progress.NONE);
                summaries.add(m.summary());
                maxLabel = Math.max(maxLabel, m.nLabels());
                done++;
            }
        }
        summaries = PlaneSummaries.condense(summaries, img.depth(), img.frames());
        String cut = SegmentationModel.cancelledNote(img, false, done);
        if (cut != null) summaries.add(cut);
        return new Result(null, summaries, maxLabel);
    }
}

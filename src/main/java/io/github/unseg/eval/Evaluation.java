package io.github.unseg.eval;

import io.github.unseg.core.SegmentationException;
import io.github.unseg.label.ConnectedComponents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a predicted label image with one or more ground truths (BSDS images have 4-9
 * annotators) and gives every metric of UnSeg's evaluator by name. Figures over annotators:
 * best-overlap mean IoU pooled over all their segments ("meanIoU", the TIP 2020 protocol), or of
 * the finest / coarsest annotator, or the best annotator's mean; every other figure is the mean
 * over annotators. Label overlap by identical ID compares with the first ground truth.
 */
public final class Evaluation {
    /** Summary figures by name, in a stable order. */
    public final Map<String, Double> summary = new LinkedHashMap<>();
    /** One row per ground-truth segment of every annotator. */
    public final List<SegmentRow> segments = new ArrayList<>();
    /** Label overlap by identical ID against the first ground truth. */
    public Metrics.LabelOverlap labelOverlap;

    /** Per ground-truth segment: its best and its one-to-one matched predicted segment. */
    public static final class SegmentRow {
        public final int annotator, truthLabel;
        public final long size;
        public final int bestPredLabel, matchedPredLabel;
        public final double bestIoU, matchedIoU, matchedDice;

        SegmentRow(int annotator, int truthLabel, long size, int bestPredLabel, double bestIoU,
                   int matchedPredLabel, double matchedIoU, double matchedDice) {
            this.annotator = annotator; this.truthLabel = truthLabel; this.size = size;
            this.bestPredLabel = bestPredLabel; this.bestIoU = bestIoU;
            this.matchedPredLabel = matchedPredLabel; this.matchedIoU = matchedIoU; this.matchedDice = matchedDice;
        }
    }

    public double get(String key) {
        Double v = summary.get(key);
        if (v == null) throw new SegmentationException("No figure named '" + key + "'; the figures are " + summary.keySet() + ".");
        return v;
    }

    /**
     * @param dims width, height and depth (1 for 2D) of every image, for connected components
     */
    public static Evaluation evaluate(int[] pred, List<int[]> truths, int[] dims, EvalOptions o) {
        if (truths.isEmpty()) throw new SegmentationException("No ground truth to compare with.");
        long n = (long) dims[0] * dims[1] * dims[2];
        if (pred.length != n) throw new SegmentationException("The prediction has " + pred.length + " pixels, not " + n + ".");
        for (int a = 0; a < truths.size(); a++) {
            if (truths.get(a).length != pred.length) {
                throw new SegmentationException("Ground truth " + (a + 1) + " has " + truths.get(a).length
                        + " pixels but the prediction has " + pred.length + ": the images must be the same size.");
            }
        }
        int ignorePred = o.ignorePredLabel;
        boolean byRule = !o.predForeground.trim().equalsIgnoreCase("none");
        // predicted IDs renumbered as connected objects (by split, or by a foreground rule on clusters)
        boolean split = o.splitComponents || byRule;
        if (byRule) {
            // the objects a foreground rule makes of cluster labels, as segment's objects start from them
            io.github.unseg.label.Instances.Foreground rule = io.github.unseg.label.Instances.Foreground.parse(o.predForeground);
            int k = 0;
            for (int v : pred) k = Math.max(k, v);
            int[] fg = new int[pred.length];
            for (int i = 0; i < pred.length; i++) fg[i] = rule.test(pred[i], k) ? 1 : 0;
            pred = fg;
            ignorePred = 0;
        }
        if (split) {
            pred = split(pred, ignorePred, dims, !o.fourConnected);
            ignorePred = ignorePred == EvalOptions.NONE ? EvalOptions.NONE : 0;
        }
        if (o.minSize > 0) {
            if (ignorePred == EvalOptions.NONE) {
                throw new SegmentationException("minSize " + o.minSize + " turns small predicted segments into the ignored"
                        + " predicted label, but none is set: set ignorePredLabel too (e.g. 0 for object labels, 1 for the"
                        + " darkest cluster).");
            }
            pred = dropSmall(pred, ignorePred, o.minSize);
        }
        int ignoreTruth = o.ignoreTruthLabel;
        for (int a = 0; a < truths.size(); a++) {
            boolean any = false;
            for (int v : truths.get(a)) if (v != ignoreTruth) { any = true; break; }
            if (!any) {
                throw new SegmentationException("Ground truth " + (a + 1) + " has no pixel besides the ignored label "
                        + ignoreTruth + " (ignore-truth): every figure would be undefined (NaN). Check the truth file, or"
                        + " ignore another label.");
            }
        }
        Evaluation ev = new Evaluation();
        int A = truths.size();
        double sumAll = 0;
        int countAll = 0, fineA = -1, coarseA = -1, fineN = -1, coarseN = Integer.MAX_VALUE;
        double[] meanA = new double[A];
        double bestA = Double.NEGATIVE_INFINITY;
        double pri = 0, voi = 0, voiSplit = 0, voiMerge = 0, cov = 0, covRev = 0, mIoU = 0, mDice = 0, pAcc = 0;
        double nTruthSeg = 0, nPredSeg = 0, fg = 0;
        int T = o.thresholds.length;
        double[][] inst = new double[T][9];
        for (int a = 0; a < A; a++) {
            Contingency c = Contingency.of(pred, truths.get(a));
            int[] arg = new int[c.cols()];
            double[] best = Metrics.bestIoU(c, ignorePred, ignoreTruth, arg);
            Metrics.Matched m = Metrics.matched(c, ignorePred, ignoreTruth);
            double s = 0;
            int segs = 0;
            for (int j = 0; j < best.length; j++) {
                if (Double.isNaN(best[j])) continue;
                s += best[j];
                segs++;
                ev.segments.add(new SegmentRow(a + 1, c.truthLabel[j], c.truthSize[j],
                        arg[j] < 0 ? EvalOptions.NONE : c.predLabel[arg[j]], best[j],
                        m.row[j] < 0 ? EvalOptions.NONE : c.predLabel[m.row[j]], m.iou[j], m.dice[j]));
            }
            sumAll += s;
            countAll += segs;
            meanA[a] = segs == 0 ? Double.NaN : s / segs;
            bestA = Math.max(bestA, meanA[a]);
            if (segs > fineN) { fineN = segs; fineA = a; }
            if (segs < coarseN) { coarseN = segs; coarseA = a; }
            nTruthSeg += segs;
            int predSegs = 0;
            for (int i = 0; i < c.rows(); i++) if (c.predLabel[i] != ignorePred) predSegs++;
            nPredSeg = predSegs;
            mIoU += m.meanIoU;
            mDice += m.meanDice;
            pAcc += m.pixelAccuracy;
            Contingency cv = ignoreTruth == EvalOptions.NONE ? c : c.withoutTruthLabel(ignoreTruth);
            pri += Metrics.randIndex(cv);
            double[] vi = Metrics.variationOfInformation(cv);
            voi += vi[0];
            voiSplit += vi[1];
            voiMerge += vi[2];
            cov += Metrics.covering(cv, true, ignorePred, ignoreTruth);
            covRev += Metrics.covering(cv, false, ignorePred, ignoreTruth);
            fg += foregroundIoU(c, ignorePred, ignoreTruth);
            for (int t = 0; t < T; t++) {
                Metrics.Instances in = Metrics.instances(c, ignorePred, ignoreTruth, o.thresholds[t]);
                double[] v = {in.precision, in.recall, in.f1, in.accuracy, in.tp, in.fp, in.fn, in.meanMatchedIoU, in.panopticQuality};
                for (int q = 0; q < v.length; q++) inst[t][q] += v[q] / A;
            }
            if (a == 0) ev.labelOverlap = Metrics.labelOverlap(c, ignoreTruth != EvalOptions.NONE ? ignoreTruth : ignorePred);
        }
        Map<String, Double> s = ev.summary;
        s.put("nAnnotators", (double) A);
        s.put("nPredSegments", nPredSeg);
        s.put("nTruthSegments", nTruthSeg / A);
        s.put("meanIoU", countAll == 0 ? Double.NaN : sumAll / countAll);
        s.put("meanIoU_fine", meanA[fineA]);
        s.put("meanIoU_coarse", meanA[coarseA]);
        s.put("meanIoU_bestAnnotator", bestA);
        s.put("matchedIoU", mIoU / A);
        s.put("matchedDice", mDice / A);
        s.put("pixelAccuracy", pAcc / A);
        s.put("PRI", pri / A);
        s.put("VoI", voi / A);
        s.put("VoI_split", voiSplit / A);
        s.put("VoI_merge", voiMerge / A);
        s.put("covering", cov / A);
        s.put("coveringReverse", covRev / A);
        if (ignorePred != EvalOptions.NONE && ignoreTruth != EvalOptions.NONE) s.put("foregroundIoU", fg / A);
        String[] names = {"precision", "recall", "f1", "accuracy", "tp", "fp", "fn", "meanMatchedIoU", "panopticQuality"};
        double f1Mean = 0, accMean = 0;
        for (int t = 0; t < T; t++) {
            String k = EvalOptions.thresholdKey(o.thresholds[t]);
            for (int q = 0; q < names.length; q++) s.put(names[q] + "@" + k, inst[t][q]);
            f1Mean += inst[t][2] / T;
            accMean += inst[t][3] / T;
        }
        if (T > 1) {
            s.put("f1_mean", f1Mean);
            s.put("accuracy_mean", accMean);
        }
        Metrics.LabelOverlap lo = ev.labelOverlap;
        // With split, predicted IDs are renumbered objects: overlap by identical ID means nothing.
        if (split) return ev;
        s.put("overlap_targetOverlap", lo.totalTargetOverlap);
        s.put("overlap_jaccard", lo.totalJaccard);
        s.put("overlap_dice", lo.totalDice);
        s.put("overlap_volumeSimilarity", lo.totalVolumeSimilarity);
        s.put("overlap_falseNegative", lo.totalFalseNegative);
        s.put("overlap_falsePositive", lo.totalFalsePositive);
        return ev;
    }

    /** IoU of the foregrounds (everything but the ignored label on each side). */
    static double foregroundIoU(Contingency c, int ignorePred, int ignoreTruth) {
        long inter = 0, p = 0, t = 0;
        for (int i = 0; i < c.rows(); i++) if (c.predLabel[i] != ignorePred) p += c.predSize[i];
        for (int j = 0; j < c.cols(); j++) if (c.truthLabel[j] != ignoreTruth) t += c.truthSize[j];
        for (int k = 0; k < c.cells(); k++) {
            if (c.predLabel[c.cellPred[k]] != ignorePred && c.truthLabel[c.cellTruth[k]] != ignoreTruth) inter += c.cellCount[k];
        }
        long union = p + t - inter;
        return union == 0 ? 1 : (double) inter / union;
    }

    /** Connected components of the predicted labels (ignored label -> 0, objects 1..m). */
    /** Segments of fewer than minSize pixels relabelled as the background label. */
    static int[] dropSmall(int[] pred, int background, int minSize) {
        // Sizes by sorting the labels, not a map per pixel (labels may be any ints).
        int[] sorted = pred.clone();
        java.util.Arrays.sort(sorted);
        int[] small = new int[16];
        int n = 0;
        for (int i = 0, j; i < sorted.length; i = j) {
            for (j = i; j < sorted.length && sorted[j] == sorted[i]; j++) { }
            if (j - i < minSize && sorted[i] != background) {
                if (n == small.length) small = java.util.Arrays.copyOf(small, 2 * n);
                small[n++] = sorted[i];   // ascending, for the binary search below
            }
        }
        int[] out = pred.clone();
        for (int p = 0; p < out.length && n > 0; p++) {
            if (java.util.Arrays.binarySearch(small, 0, n, out[p]) >= 0) out[p] = background;
        }
        return out;
    }

    static int[] split(int[] pred, int ignore, int[] dims, boolean full) {
        Contingency.Compact cp = Contingency.Compact.of(pred);
        int[] src = new int[pred.length];
        for (int i = 0; i < pred.length; i++) src[i] = pred[i] == ignore ? 0 : cp.ids[i] + 1;
        return ConnectedComponents.label(src, dims[0], dims[1], dims[2], full).ids;
    }
}

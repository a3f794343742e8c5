package io.github.unseg.ij;

import ij.measure.ResultsTable;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;

import java.util.Map;

/** Evaluation results as ImageJ Results tables (and so as CSV, with the table's own writer). */
public final class EvaluationTables {
    private EvaluationTables() { }

    /** Appends one row: the two names, then every summary figure as a column. */
    public static void addSummaryRow(ResultsTable rt, String prediction, String truth, Evaluation e) {
        rt.incrementCounter();
        rt.addValue("Prediction", prediction);
        rt.addValue("Truth", truth);
        for (Map.Entry<String, Double> en : e.summary.entrySet()) rt.addValue(en.getKey(), en.getValue());
    }

    /** One row per ground-truth segment. */
    public static ResultsTable segmentTable(String prediction, Evaluation e) {
        ResultsTable rt = new ResultsTable();
        for (Evaluation.SegmentRow r : e.segments) {
            rt.incrementCounter();
            rt.addValue("Prediction", prediction);
            rt.addValue("Annotator", r.annotator);
            rt.addValue("TruthLabel", r.truthLabel);
            rt.addValue("Size", r.size);
            rt.addValue("BestPredLabel", r.bestPredLabel == EvalOptions.NONE ? Double.NaN : r.bestPredLabel);
            rt.addValue("BestIoU", r.bestIoU);
            rt.addValue("MatchedPredLabel", r.matchedPredLabel == EvalOptions.NONE ? Double.NaN : r.matchedPredLabel);
            rt.addValue("MatchedIoU", r.matchedIoU);
            rt.addValue("MatchedDice", r.matchedDice);
        }
        rt.setDecimalPlaces(5, 4);
        return rt;
    }

    /** Label overlap by identical ID (MorphoLibJ's layout), with a "total" row. */
    public static ResultsTable labelOverlapTable(Evaluation e) {
        ResultsTable rt = new ResultsTable();
        io.github.unseg.eval.Metrics.LabelOverlap lo = e.labelOverlap;
        for (int q = 0; q < lo.labels.length; q++) {
            rt.incrementCounter();
            rt.addLabel(Integer.toString(lo.labels[q]));
            row(rt, lo.targetOverlap[q], lo.jaccard[q], lo.dice[q], lo.volumeSimilarity[q], lo.falseNegative[q], lo.falsePositive[q]);
        }
        rt.incrementCounter();
        rt.addLabel("total");
        row(rt, lo.totalTargetOverlap, lo.totalJaccard, lo.totalDice, lo.totalVolumeSimilarity, lo.totalFalseNegative, lo.totalFalsePositive);
        return rt;
    }

    private static void row(ResultsTable rt, double to, double j, double d, double vs, double fn, double fp) {
        rt.addValue("TargetOverlap", to);
        rt.addValue("Jaccard", j);
        rt.addValue("Dice", d);
        rt.addValue("VolumeSimilarity", vs);
        rt.addValue("FalseNegativeError", fn);
        rt.addValue("FalsePositiveError", fp);
    }
}

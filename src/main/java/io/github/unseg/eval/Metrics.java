package io.github.unseg.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Segmentation metrics from a {@link Contingency}. "Ignored" labels (e.g. background 0) are not
 * segments on their side, but their pixels still count in the other side's unions, so a predicted
 * object that spills into the background is penalised.
 */
public final class Metrics {
    private Metrics() { }

    static double iou(Contingency c, int cell) {
        long n = c.cellCount[cell];
        return (double) n / (c.predSize[c.cellPred[cell]] + c.truthSize[c.cellTruth[cell]] - n);
    }

    static boolean[] ignoredRows(Contingency c, int ignorePred) {
        boolean[] r = new boolean[c.rows()];
        for (int i = 0; i < r.length; i++) r[i] = c.predLabel[i] == ignorePred || c.predSize[i] == 0;
        return r;
    }

    static boolean[] ignoredCols(Contingency c, int ignoreTruth) {
        boolean[] r = new boolean[c.cols()];
        for (int j = 0; j < r.length; j++) r[j] = c.truthLabel[j] == ignoreTruth || c.truthSize[j] == 0;
        return r;
    }

    /** Best IoU of each truth segment over predicted segments (NaN for ignored columns); arg gets the row (-1 none). */
    public static double[] bestIoU(Contingency c, int ignorePred, int ignoreTruth, int[] arg) {
        boolean[] ir = ignoredRows(c, ignorePred), ic = ignoredCols(c, ignoreTruth);
        double[] best = new double[c.cols()];
        Arrays.fill(arg, -1);
        for (int j = 0; j < best.length; j++) best[j] = ic[j] ? Double.NaN : 0;
        for (int k = 0; k < c.cells(); k++) {
            int i = c.cellPred[k], j = c.cellTruth[k];
            if (ir[i] || ic[j]) continue;
            double v = iou(c, k);
            // Ties go to the lower label, so the table is the same whatever the cell order.
            if (v > best[j] || (v == best[j] && arg[j] >= 0 && c.predLabel[i] < c.predLabel[arg[j]])) { best[j] = v; arg[j] = i; }
        }
        return best;
    }

    /** One-to-one matching of segments maximising the summed IoU. */
    public static final class Matched {
        /** Per truth column: matched row (-1 none), its IoU and Dice (NaN for ignored columns). */
        public final int[] row;
        public final double[] iou, dice;
        public final double meanIoU, meanDice, pixelAccuracy;

        Matched(int[] row, double[] iou, double[] dice, double meanIoU, double meanDice, double pixelAccuracy) {
            this.row = row; this.iou = iou; this.dice = dice;
            this.meanIoU = meanIoU; this.meanDice = meanDice; this.pixelAccuracy = pixelAccuracy;
        }
    }

    /** Largest group (truth x predicted segments) matched exactly; past it, greedily (memory). */
    static final long MAX_DENSE = 4_000_000L;

    /** One-to-one pairs by decreasing IoU among the given cells (truth index -> predicted index in match). */
    static void greedy(Contingency c, List<Integer> cells, int[] match) {
        Integer[] order = cells.toArray(new Integer[0]);
        double[] v = new double[c.cells()];
        for (int k : order) v[k] = iou(c, k);
        Arrays.sort(order, (x, y) -> Double.compare(v[y], v[x]) != 0 ? Double.compare(v[y], v[x]) : Integer.compare(x, y));
        java.util.BitSet usedPred = new java.util.BitSet(c.rows());
        for (int k : order) {
            int i = c.cellPred[k], j = c.cellTruth[k];
            if (match[j] >= 0 || usedPred.get(i) || v[k] <= 0) continue;
            match[j] = i;
            usedPred.set(i);
        }
    }

    public static Matched matched(Contingency c, int ignorePred, int ignoreTruth) {
        boolean[] ir = ignoredRows(c, ignorePred), ic = ignoredCols(c, ignoreTruth);
        int[] cols = indices(ic);
        int[] match = new int[c.cols()];
        Arrays.fill(match, -1);
        double[] iou = new double[c.cols()], dice = new double[c.cols()];
        for (int j = 0; j < iou.length; j++) { iou[j] = ic[j] ? Double.NaN : 0; dice[j] = ic[j] ? Double.NaN : 0; }
        // Pairs that do not overlap add nothing to the summed IoU, so the assignment splits into
        // independent problems, one per connected group of overlapping segments: small ones, even
        // for thousands of objects.
        int R = c.rows(), C = c.cols();
        int[] parent = new int[R + C];
        for (int q = 0; q < parent.length; q++) parent[q] = q;
        for (int k = 0; k < c.cells(); k++) {
            int i = c.cellPred[k], j = c.cellTruth[k];
            if (ir[i] || ic[j]) continue;
            int a = find(parent, i), b = find(parent, R + j);
            if (a != b) parent[a] = b;
        }
        java.util.Map<Integer, List<Integer>> groups = new java.util.TreeMap<>();
        for (int k = 0; k < c.cells(); k++) {
            int i = c.cellPred[k], j = c.cellTruth[k];
            if (ir[i] || ic[j]) continue;
            groups.computeIfAbsent(find(parent, i), g -> new ArrayList<>()).add(k);
        }
        for (List<Integer> cellsOfGroup : groups.values()) {
            int[] rIdx = new int[0], cIdx = new int[0];
            java.util.Map<Integer, Integer> rPos = new java.util.HashMap<>(), cPos = new java.util.HashMap<>();
            for (int k : cellsOfGroup) {
                rPos.putIfAbsent(c.cellPred[k], rPos.size());
                cPos.putIfAbsent(c.cellTruth[k], cPos.size());
            }
            rIdx = new int[rPos.size()];
            cIdx = new int[cPos.size()];
            for (java.util.Map.Entry<Integer, Integer> e : rPos.entrySet()) rIdx[e.getValue()] = e.getKey();
            for (java.util.Map.Entry<Integer, Integer> e : cPos.entrySet()) cIdx[e.getValue()] = e.getKey();
            if ((long) cIdx.length * rIdx.length > MAX_DENSE) {
                // A group too large for a dense cost matrix (e.g. tens of thousands of labels that
                // all touch): pair greedily by decreasing IoU over its overlapping cells only.
                greedy(c, cellsOfGroup, match);
                continue;
            }
            double[][] cost = new double[cIdx.length][rIdx.length];
            for (int k : cellsOfGroup) cost[cPos.get(c.cellTruth[k])][rPos.get(c.cellPred[k])] = -iou(c, k);
            int[] a = Hungarian.solve(cost);
            for (int q = 0; q < cIdx.length; q++) {
                if (a[q] < 0 || cost[q][a[q]] == 0) continue; // paired with a segment it does not touch
                match[cIdx[q]] = rIdx[a[q]];
            }
        }
        long[] inter = new long[c.cols()];
        for (int k = 0; k < c.cells(); k++) if (match[c.cellTruth[k]] == c.cellPred[k]) inter[c.cellTruth[k]] = c.cellCount[k];
        double sIoU = 0, sDice = 0;
        long correct = 0;
        for (int j : cols) {
            int i = match[j];
            if (i < 0) continue;
            long n = inter[j], a = c.predSize[i], b = c.truthSize[j];
            iou[j] = (double) n / (a + b - n);
            dice[j] = 2.0 * n / (a + b);
            sIoU += iou[j];
            sDice += dice[j];
            correct += n;
        }
        int g = cols.length;
        return new Matched(match, iou, dice, g == 0 ? Double.NaN : sIoU / g, g == 0 ? Double.NaN : sDice / g,
                c.total == 0 ? Double.NaN : (double) correct / c.total);
    }

    /** Rand index of the two partitions (pairs of pixels on which they agree). */
    public static double randIndex(Contingency c) {
        double n = c.total;
        if (n < 2) return Double.NaN;
        double sumIJ = 0, sumA = 0, sumB = 0;
        for (long v : c.cellCount) sumIJ += pairs(v);
        for (long v : c.predSize) sumA += pairs(v);
        for (long v : c.truthSize) sumB += pairs(v);
        double all = pairs((long) n);
        return (all + 2 * sumIJ - sumA - sumB) / all;
    }

    private static double pairs(long v) { return v * (v - 1.0) / 2; }

    /**
     * Variation of information in nats (natural log, as the BSDS benchmark): {VoI, H(pred|truth),
     * H(truth|pred)}. The first conditional entropy measures over-segmentation (false splits), the
     * second under-segmentation (false merges). In bits, divide by ln 2 (scikit-image uses bits).
     */
    public static double[] variationOfInformation(Contingency c) {
        double n = c.total;
        double hP = 0, hT = 0, hPT = 0;
        for (long v : c.predSize) if (v > 0) hP -= v / n * Math.log(v / n);
        for (long v : c.truthSize) if (v > 0) hT -= v / n * Math.log(v / n);
        for (long v : c.cellCount) if (v > 0) hPT -= v / n * Math.log(v / n);
        double predGivenTruth = hPT - hT, truthGivenPred = hPT - hP;
        return new double[]{predGivenTruth + truthGivenPred, predGivenTruth, truthGivenPred};
    }

    /**
     * Segmentation covering (BSDS): the size-weighted mean over the regions of one side of their best
     * IoU with a region of the other. truthBySeg = true gives the BSDS "covering" of the ground truth
     * by the segmentation.
     */
    public static double covering(Contingency c, boolean truthBySeg, int ignorePred, int ignoreTruth) {
        boolean[] ir = ignoredRows(c, ignorePred), ic = ignoredCols(c, ignoreTruth);
        int m = truthBySeg ? c.cols() : c.rows();
        double[] best = new double[m];
        for (int k = 0; k < c.cells(); k++) {
            int i = c.cellPred[k], j = c.cellTruth[k];
            if (ir[i] || ic[j]) continue;
            int r = truthBySeg ? j : i;
            best[r] = Math.max(best[r], iou(c, k));
        }
        double s = 0, w = 0;
        for (int r = 0; r < m; r++) {
            boolean ign = truthBySeg ? ic[r] : ir[r];
            if (ign) continue;
            long size = truthBySeg ? c.truthSize[r] : c.predSize[r];
            s += size * best[r];
            w += size;
        }
        return w == 0 ? Double.NaN : s / w;
    }

    /** Instance matching at one IoU threshold (the StarDist / Cellpose protocol). */
    public static final class Instances {
        public final double threshold;
        public final int tp, fp, fn, nTrue, nPred;
        public final double precision, recall, f1, accuracy, meanMatchedIoU, meanTrueIoU, panopticQuality;

        Instances(double threshold, int tp, int nTrue, int nPred, double sumIoU) {
            this.threshold = threshold; this.tp = tp; this.nTrue = nTrue; this.nPred = nPred;
            this.fp = nPred - tp;
            this.fn = nTrue - tp;
            precision = div(tp, tp + fp);
            recall = div(tp, tp + fn);
            f1 = div(2.0 * tp, 2.0 * tp + fp + fn);
            accuracy = div(tp, tp + fp + fn);
            meanMatchedIoU = div(sumIoU, tp);
            meanTrueIoU = div(sumIoU, nTrue);
            panopticQuality = div(sumIoU, tp + fp / 2.0 + fn / 2.0);
        }

        private static double div(double a, double b) { return b == 0 ? 0 : a / b; }
    }

    /**
     * Matches predicted to true objects one to one, maximising the number of pairs with IoU >=
     * threshold and, among those, their IoU (StarDist's cost: -[IoU >= t] - IoU / (2 n)).
     */
    public static Instances instances(Contingency c, int ignorePred, int ignoreTruth, double threshold) {
        boolean[] ir = ignoredRows(c, ignorePred), ic = ignoredCols(c, ignoreTruth);
        int nPred = indices(ir).length, nTrue = indices(ic).length;
        // Candidate pairs; above 0.5 IoU a pair is unique on both sides, so matching is only
        // needed among the (rare) rows and columns with several candidates.
        List<int[]> cand = new ArrayList<>();
        List<Double> score = new ArrayList<>();
        int[] rowDeg = new int[c.rows()], colDeg = new int[c.cols()];
        for (int k = 0; k < c.cells(); k++) {
            int i = c.cellPred[k], j = c.cellTruth[k];
            if (ir[i] || ic[j]) continue;
            double v = iou(c, k);
            if (v >= threshold && v > 0) {
                cand.add(new int[]{i, j});
                score.add(v);
                rowDeg[i]++;
                colDeg[j]++;
            }
        }
        int tp = 0;
        double sum = 0;
        List<Integer> hard = new ArrayList<>();
        for (int q = 0; q < cand.size(); q++) {
            int[] ij = cand.get(q);
            if (rowDeg[ij[0]] == 1 && colDeg[ij[1]] == 1) { tp++; sum += score.get(q); }
            else hard.add(q);
        }
        if (!hard.isEmpty()) {
            int[] rIdx = new int[c.rows()], cIdx = new int[c.cols()];
            Arrays.fill(rIdx, -1);
            Arrays.fill(cIdx, -1);
            int nr = 0, nc = 0;
            for (int q : hard) {
                int[] ij = cand.get(q);
                if (rIdx[ij[0]] < 0) rIdx[ij[0]] = nr++;
                if (cIdx[ij[1]] < 0) cIdx[ij[1]] = nc++;
            }
            int nMatched = Math.max(1, Math.min(nTrue, nPred));
            if ((long) nr * nc > MAX_DENSE) {
                // too many ambiguous pairs (thresholds below 0.5 on crowded images): greedy by IoU
                Integer[] order = hard.toArray(new Integer[0]);
                Arrays.sort(order, (x, y) -> Double.compare(score.get(y), score.get(x)) != 0
                        ? Double.compare(score.get(y), score.get(x)) : Integer.compare(x, y));
                java.util.BitSet ur = new java.util.BitSet(), uc = new java.util.BitSet();
                for (int q : order) {
                    int[] ij = cand.get(q);
                    if (ur.get(ij[0]) || uc.get(ij[1])) continue;
                    ur.set(ij[0]);
                    uc.set(ij[1]);
                    tp++;
                    sum += score.get(q);
                }
                return new Instances(threshold, tp, nTrue, nPred, sum);
            }
            double[][] cost = new double[nr][nc];
            for (int q : hard) {
                int[] ij = cand.get(q);
                cost[rIdx[ij[0]]][cIdx[ij[1]]] = -1 - score.get(q) / (2.0 * nMatched);
            }
            int[] a = Hungarian.solve(cost);
            double[][] iouOf = new double[nr][nc];
            for (int q : hard) {
                int[] ij = cand.get(q);
                iouOf[rIdx[ij[0]]][cIdx[ij[1]]] = score.get(q);
            }
            for (int r = 0; r < nr; r++) {
                if (a[r] >= 0 && cost[r][a[r]] < 0) { tp++; sum += iouOf[r][a[r]]; }
            }
        }
        return new Instances(threshold, tp, nTrue, nPred, sum);
    }

    /** Per-label overlap of labels with the same ID (MorphoLibJ's Label Overlap Measures). */
    public static final class LabelOverlap {
        public final int[] labels;
        public final double[] targetOverlap, jaccard, dice, volumeSimilarity, falseNegative, falsePositive;
        public final double totalTargetOverlap, totalJaccard, totalDice, totalVolumeSimilarity, totalFalseNegative, totalFalsePositive;

        LabelOverlap(int[] labels, long[] s, long[] t, long[] inter) {
            int m = labels.length;
            this.labels = labels;
            targetOverlap = new double[m]; jaccard = new double[m]; dice = new double[m];
            volumeSimilarity = new double[m]; falseNegative = new double[m]; falsePositive = new double[m];
            double si = 0, ss = 0, st = 0, su = 0;
            for (int q = 0; q < m; q++) {
                double a = s[q], b = t[q], n = inter[q];
                targetOverlap[q] = b == 0 ? Double.NaN : n / b;
                jaccard[q] = n / (a + b - n);
                dice[q] = 2 * n / (a + b);
                volumeSimilarity[q] = 2 * (a - b) / (a + b);
                falseNegative[q] = b == 0 ? Double.NaN : (b - n) / b;
                falsePositive[q] = a == 0 ? Double.NaN : (a - n) / a;
                si += n; ss += a; st += b; su += a + b - n;
            }
            totalTargetOverlap = st == 0 ? Double.NaN : si / st;
            totalJaccard = su == 0 ? Double.NaN : si / su;
            totalDice = ss + st == 0 ? Double.NaN : 2 * si / (ss + st);
            totalVolumeSimilarity = ss + st == 0 ? Double.NaN : 2 * (ss - st) / (ss + st);
            totalFalseNegative = st == 0 ? Double.NaN : (st - si) / st;
            totalFalsePositive = ss == 0 ? Double.NaN : (ss - si) / ss;
        }
    }

    /** Source = prediction, target = truth; labels equal to {@code ignore} on either side are skipped. */
    public static LabelOverlap labelOverlap(Contingency c, int ignore) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
        for (int l : c.predLabel) if (l != ignore) all.add(l);
        for (int l : c.truthLabel) if (l != ignore) all.add(l);
        int[] labels = all.stream().mapToInt(Integer::intValue).toArray();
        long[] s = new long[labels.length], t = new long[labels.length], inter = new long[labels.length];
        for (int i = 0; i < c.rows(); i++) { int q = Arrays.binarySearch(labels, c.predLabel[i]); if (q >= 0) s[q] = c.predSize[i]; }
        for (int j = 0; j < c.cols(); j++) { int q = Arrays.binarySearch(labels, c.truthLabel[j]); if (q >= 0) t[q] = c.truthSize[j]; }
        for (int k = 0; k < c.cells(); k++) {
            int lp = c.predLabel[c.cellPred[k]];
            if (lp != c.truthLabel[c.cellTruth[k]] || lp == ignore) continue;
            inter[Arrays.binarySearch(labels, lp)] = c.cellCount[k];
        }
        return new LabelOverlap(labels, s, t, inter);
    }

    private static int[] indices(boolean[] ignored) {
        int n = 0;
        for (boolean b : ignored) if (!b) n++;
        int[] out = new int[n];
        for (int i = 0, k = 0; i < ignored.length; i++) if (!ignored[i]) out[k++] = i;
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) { parent[i] = parent[parent[i]]; i = parent[i]; }
        return i;
    }
}

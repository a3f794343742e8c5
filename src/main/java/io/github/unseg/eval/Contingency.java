package io.github.unseg.eval;

import io.github.unseg.core.SegmentationException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The overlap counts of two label images: n[i][j] = pixels with predicted label i and true label j,
 * kept sparse (only pairs that overlap). Every metric of the evaluator is a function of this table.
 */
public final class Contingency {
    /** Original label of each compact row (prediction) and column (truth). */
    public final int[] predLabel, truthLabel;
    /** Pixels per row and per column. */
    public final long[] predSize, truthSize;
    /** Non-zero cells: row, column, count. */
    public final int[] cellPred, cellTruth;
    public final long[] cellCount;
    public final long total;

    private Contingency(int[] predLabel, int[] truthLabel, long[] predSize, long[] truthSize,
                        int[] cellPred, int[] cellTruth, long[] cellCount, long total) {
        this.predLabel = predLabel; this.truthLabel = truthLabel; this.predSize = predSize; this.truthSize = truthSize;
        this.cellPred = cellPred; this.cellTruth = cellTruth; this.cellCount = cellCount; this.total = total;
    }

    public int rows() { return predLabel.length; }
    public int cols() { return truthLabel.length; }
    public int cells() { return cellCount.length; }

    public static Contingency of(int[] pred, int[] truth) {
        if (pred.length != truth.length) {
            throw new SegmentationException("Prediction and ground truth differ in size (" + pred.length + " vs "
                    + truth.length + " pixels).");
        }
        int n = pred.length;
        Compact p = Compact.of(pred), t = Compact.of(truth);
        int P = p.labels.length, G = t.labels.length;
        long[] ps = new long[P], ts = new long[G];
        for (int i = 0; i < n; i++) { ps[p.ids[i]]++; ts[t.ids[i]]++; }
        int[] cp, ct;
        long[] cc;
        if ((long) P * G <= 1 << 22) {
            long[] dense = new long[P * G];
            for (int i = 0; i < n; i++) dense[p.ids[i] * G + t.ids[i]]++;
            int nz = 0;
            for (long v : dense) if (v != 0) nz++;
            cp = new int[nz]; ct = new int[nz]; cc = new long[nz];
            int k = 0;
            for (int i = 0; i < dense.length; i++) {
                if (dense[i] == 0) continue;
                cp[k] = i / G; ct[k] = i % G; cc[k++] = dense[i];
            }
        } else {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) keys[i] = (long) p.ids[i] * G + t.ids[i];
            Arrays.sort(keys);
            int nz = 0;
            for (int i = 0; i < n; i++) if (i == 0 || keys[i] != keys[i - 1]) nz++;
            cp = new int[nz]; ct = new int[nz]; cc = new long[nz];
            int k = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) { k++; cp[k] = (int) (keys[i] / G); ct[k] = (int) (keys[i] % G); }
                cc[k]++;
            }
        }
        return new Contingency(p.labels, t.labels, ps, ts, cp, ct, cc, n);
    }

    /** The table without the columns of one truth label (those pixels left out, as "void"). */
    public Contingency withoutTruthLabel(int label) {
        int drop = -1;
        for (int j = 0; j < truthLabel.length; j++) if (truthLabel[j] == label) drop = j;
        if (drop < 0) return this;
        int G = truthLabel.length - 1;
        int[] tl = new int[G];
        long[] ts = new long[G];
        for (int j = 0, o = 0; j <= G; j++) if (j != drop) { tl[o] = truthLabel[j]; ts[o++] = truthSize[j]; }
        long[] ps = new long[predLabel.length];
        int nz = 0;
        for (int c = 0; c < cellCount.length; c++) if (cellTruth[c] != drop) nz++;
        int[] cp = new int[nz], ct = new int[nz];
        long[] cc = new long[nz];
        long tot = 0;
        for (int c = 0, k = 0; c < cellCount.length; c++) {
            if (cellTruth[c] == drop) continue;
            cp[k] = cellPred[c];
            ct[k] = cellTruth[c] > drop ? cellTruth[c] - 1 : cellTruth[c];
            cc[k++] = cellCount[c];
            ps[cellPred[c]] += cellCount[c];
            tot += cellCount[c];
        }
        // Rows that lost all their pixels stay, with size 0: they overlap nothing.
        return new Contingency(predLabel, tl, ps, ts, cp, ct, cc, tot);
    }

    /** Index of a label among the rows, or -1. */
    public int predIndex(int label) {
        for (int i = 0; i < predLabel.length; i++) if (predLabel[i] == label) return i;
        return -1;
    }

    public int truthIndex(int label) {
        for (int j = 0; j < truthLabel.length; j++) if (truthLabel[j] == label) return j;
        return -1;
    }

    /** Labels renumbered 0..m-1 in increasing label order. */
    static final class Compact {
        final int[] ids, labels;

        Compact(int[] ids, int[] labels) { this.ids = ids; this.labels = labels; }

        static Compact of(int[] a) {
            int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
            for (int v : a) { if (v < min) min = v; if (v > max) max = v; }
            int[] ids = new int[a.length];
            if (a.length == 0) return new Compact(ids, new int[0]);
            if ((long) max - min < 1 << 24) {
                int[] map = new int[max - min + 1];
                for (int v : a) map[v - min] = 1;
                int m = 0;
                for (int i = 0; i < map.length; i++) if (map[i] != 0) map[i] = ++m;
                int[] labels = new int[m];
                for (int i = 0; i < map.length; i++) if (map[i] != 0) labels[map[i] - 1] = i + min;
                for (int i = 0; i < a.length; i++) ids[i] = map[a[i] - min] - 1;
                return new Compact(ids, labels);
            }
            int[] sorted = Arrays.stream(a).distinct().sorted().toArray();
            Map<Integer, Integer> idx = new HashMap<>();
            for (int i = 0; i < sorted.length; i++) idx.put(sorted[i], i);
            for (int i = 0; i < a.length; i++) ids[i] = idx.get(a[i]);
            return new Compact(ids, sorted);
        }
    }
}

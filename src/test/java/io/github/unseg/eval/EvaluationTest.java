package io.github.unseg.eval;

import io.github.unseg.core.SegmentationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {
    static final double EPS = 1e-9;

    static Evaluation eval(int[] pred, int[] truth, int w, int h, int d, EvalOptions o) {
        return Evaluation.evaluate(pred, List.of(truth), new int[]{w, h, d}, o);
    }

    /**
     * truth 1 1 2 2    pred 1 1 1 2
     *       1 1 2 2         1 1 1 2
     * IoU(t1,p1) = 4/6, IoU(t2,p1) = 2/8, IoU(t2,p2) = 2/4.
     */
    @Test
    void handWorkedTwoByFour() {
        int[] t = {1, 1, 2, 2, 1, 1, 2, 2}, p = {1, 1, 1, 2, 1, 1, 1, 2};
        Evaluation e = eval(p, t, 4, 2, 1, new EvalOptions());
        assertEquals((4 / 6.0 + 0.5) / 2, e.get("meanIoU"), EPS);
        assertEquals((4 / 6.0 + 0.5) / 2, e.get("matchedIoU"), EPS);
        assertEquals((0.8 + 2 * 2 / 6.0) / 2, e.get("matchedDice"), EPS);
        assertEquals(6 / 8.0, e.get("pixelAccuracy"), EPS);
        // pairs: 28; same-in-both 4C2+2C2+2C2 = 8; same-in-pred 6C2+1 = 16; same-in-truth 6+6 = 12
        assertEquals((28 + 2 * 8 - 16 - 12) / 28.0, e.get("PRI"), EPS);
        // H(p,t) = 1.5 ln 2, H(p) = 2 ln 2 - 0.75 ln 3, H(t) = ln 2: VoI = 0.75 ln 3
        assertEquals(0.75 * Math.log(3), e.get("VoI"), EPS);
        assertEquals(1.5 * Math.log(2) - Math.log(2), e.get("VoI_split"), EPS);
        assertEquals((4 * (4 / 6.0) + 4 * 0.5) / 8, e.get("covering"), EPS);
        assertEquals((6 * (4 / 6.0) + 2 * 0.5) / 8, e.get("coveringReverse"), EPS);
        assertEquals(2, e.get("nPredSegments"), EPS);
        assertEquals(2, e.segments.size());
        assertEquals(1, e.segments.get(0).bestPredLabel);
        assertEquals(2, e.segments.get(1).bestPredLabel);
    }

    @Test
    void tiesGoToTheLowerPredictedLabel() {
        // Truth segment 5 is covered half by pred 3 and half by pred 9: IoU 0.5 both.
        int[] t = {5, 5, 5, 5}, p = {9, 9, 3, 3};
        Evaluation e = eval(p, t, 4, 1, 1, new EvalOptions());
        assertEquals(0.5, e.get("meanIoU"), EPS);
        assertEquals(3, e.segments.get(0).bestPredLabel);
        assertEquals(0.5, e.get("matchedIoU"), EPS);
    }

    @Test
    void ignoredAndMissingLabels() {
        // Background 0 ignored on both sides; truth object 2 has no prediction at all.
        int[] t = {0, 0, 1, 1, 0, 2, 2, 0}, p = {0, 0, 1, 1, 1, 0, 0, 0};
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        Evaluation e = eval(p, t, 8, 1, 1, o);
        assertEquals(2, e.get("nTruthSegments"), EPS);
        assertEquals(1, e.get("nPredSegments"), EPS);
        assertEquals((2 / 3.0 + 0) / 2, e.get("meanIoU"), EPS); // object 1 spills into background: 2/3
        assertEquals(EvalOptions.NONE, e.segments.get(1).bestPredLabel);
        assertEquals(2 / 5.0, e.get("foregroundIoU"), EPS);
        assertEquals(1, e.get("tp@0.50"), EPS);
        assertEquals(1, e.get("fn@0.50"), EPS);
        assertEquals(0, e.get("fp@0.50"), EPS);
    }

    @Test
    void segmentSplitInTwoByConnectedComponents() {
        // One predicted label in two pieces over two true segments: as a cluster it covers both
        // (IoU 0.5 each); split into components, each piece matches one segment exactly.
        int[] t = {1, 1, 0, 2, 2}, p = {7, 7, 0, 7, 7};
        EvalOptions o = new EvalOptions();
        o.ignoreTruthLabel = 0;
        o.ignorePredLabel = 0;
        assertEquals(0.5, eval(p, t, 5, 1, 1, o).get("meanIoU"), EPS);
        o.splitComponents = true;
        Evaluation e = eval(p, t, 5, 1, 1, o);
        assertEquals(1.0, e.get("meanIoU"), EPS);
        assertEquals(2, e.get("nPredSegments"), EPS);
        assertEquals(1.0, e.get("f1@0.50"), EPS);
    }

    @Test
    void threeDimensionalVolumesAndConnectivity() {
        // 2x2x2 volume; label 4 at (0,0,0) and (1,1,1): connected only through a corner (26-connectivity).
        int[] p = {4, 0, 0, 0, 0, 0, 0, 4};
        int[] t = {1, 0, 0, 0, 0, 0, 0, 1};
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        o.splitComponents = true;
        assertEquals(1.0, eval(p, t, 2, 2, 2, o).get("meanIoU"), EPS);
        o.fourConnected = true; // 6-connected: two pieces of one voxel each
        Evaluation e = eval(p, t, 2, 2, 2, o);
        assertEquals(2, e.get("nPredSegments"), EPS);
        assertEquals(0.5, e.get("meanIoU"), EPS);
    }

    @Test
    void labelOverlapByIdentity() {
        int[] p = {1, 1, 2, 0}, t = {1, 2, 2, 0};
        EvalOptions o = new EvalOptions();
        o.ignoreTruthLabel = 0;
        Evaluation e = eval(p, t, 4, 1, 1, o);
        Metrics.LabelOverlap lo = e.labelOverlap;
        assertEquals(2, lo.labels.length);
        assertEquals(1.0, lo.targetOverlap[0], EPS);
        assertEquals(0.5, lo.jaccard[0], EPS);
        assertEquals(2 / 3.0, lo.dice[0], EPS);
        assertEquals(2 / 3.0, lo.volumeSimilarity[0], EPS);
        assertEquals(0.5, lo.falsePositive[0], EPS);
        assertEquals(0.5, lo.falseNegative[1], EPS);
        assertEquals(2 / 3.0, e.get("overlap_targetOverlap"), EPS);
        assertEquals(0.5, e.get("overlap_jaccard"), EPS);
        assertEquals(0.0, e.get("overlap_volumeSimilarity"), EPS);
        assertEquals(1 / 3.0, e.get("overlap_falseNegative"), EPS);
    }

    @Test
    void instanceMatchingByHand() {
        // 3 true objects; pred A covers object 1 with IoU 0.8, pred B overlaps object 2 with IoU 0.4.
        int[] t = new int[20], p = new int[20];
        for (int i = 0; i < 4; i++) t[i] = 1;
        for (int i = 8; i < 12; i++) t[i] = 2;
        for (int i = 15; i < 18; i++) t[i] = 3;
        for (int i = 0; i < 5; i++) p[i] = 1;           // 4 / 5 = 0.8
        p[10] = 2; p[11] = 2; p[12] = 2;                  // 2 / 5 = 0.4
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        o.thresholds = EvalOptions.parseThresholds("0.3,0.5");
        Evaluation e = eval(p, t, 20, 1, 1, o);
        assertEquals(1, e.get("tp@0.50"), EPS);
        assertEquals(1, e.get("fp@0.50"), EPS);
        assertEquals(2, e.get("fn@0.50"), EPS);
        assertEquals(0.5, e.get("precision@0.50"), EPS);
        assertEquals(1 / 3.0, e.get("recall@0.50"), EPS);
        assertEquals(0.4, e.get("f1@0.50"), EPS);
        assertEquals(0.25, e.get("accuracy@0.50"), EPS);
        assertEquals(0.8, e.get("meanMatchedIoU@0.50"), EPS);
        assertEquals(0.8 / 2.5, e.get("panopticQuality@0.50"), EPS);
        assertEquals(2, e.get("tp@0.30"), EPS);
        assertEquals((4 / 5.0 + 0.4) / 2, e.get("f1_mean"), EPS); // F1 = 2tp/(2tp+fp+fn): 4/5 at 0.3, 0.4 at 0.5
    }

    @Test
    void thresholdRanges() {
        double[] t = EvalOptions.parseThresholds("0.5:0.05:0.95");
        assertEquals(10, t.length);
        assertEquals(0.95, t[9], 1e-12);
        assertThrows(SegmentationException.class, () -> EvalOptions.parseThresholds("1.5"));
    }

    @Test
    void severalAnnotatorsPooledFineCoarseBest() {
        int[] p = {1, 1, 2, 2};
        int[] fine = {1, 2, 3, 4};      // 4 segments, each IoU 1/2 with its pred
        int[] coarse = {1, 1, 2, 2};    // 2 segments, IoU 1
        Evaluation e = Evaluation.evaluate(p, List.of(fine, coarse), new int[]{4, 1, 1}, new EvalOptions());
        assertEquals((4 * 0.5 + 2 * 1.0) / 6, e.get("meanIoU"), EPS);
        assertEquals(0.5, e.get("meanIoU_fine"), EPS);
        assertEquals(1.0, e.get("meanIoU_coarse"), EPS);
        assertEquals(1.0, e.get("meanIoU_bestAnnotator"), EPS);
        assertEquals(3, e.get("nTruthSegments"), EPS);
        assertEquals(2, e.get("nAnnotators"), EPS);
    }

    @Test
    void sizeMismatchIsNamed() {
        SegmentationException ex = assertThrows(SegmentationException.class,
                () -> Evaluation.evaluate(new int[6], List.of(new int[4]), new int[]{3, 2, 1}, new EvalOptions()));
        assertTrue(ex.getMessage().contains("same size"), ex.getMessage());
    }

    // --- Cross-checks: numbers from scikit-learn 1.2.1 (rand_score), scikit-image 0.19.3
    // (variation_of_information, in bits) and scipy's linear_sum_assignment, on the same arrays.

    static int[] lcg(long seed, int n, int mod) {
        int[] out = new int[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = (1103515245L * x + 12345L) % (1L << 31);
            out[i] = (int) ((x >> 16) % mod);
        }
        return out;
    }

    @Test
    void crossCheckWithScikitLearnAndScikitImage() {
        check(lcg(7, 60, 5), lcg(11, 60, 4), 0.651977401130, 1.989570981122, 1.777153174718, 0.228472222222, 0.228472222222,
                new int[]{3, 1, 0}, 0.537037037037, new int[]{2, 2, 1}, 0.422222222222);
        check(lcg(3, 200, 7), lcg(5, 200, 3), 0.612361809045, 2.739658133898, 1.515442570961, 0.149666727818, 0.149666727818,
                new int[]{2, 4, 0}, 0.318565400844, new int[]{0, 6, 2}, 0.0);
    }

    private static void check(int[] p, int[] t, double ri, double splitBits, double mergeBits, double matched, double best,
                              int[] at01, double sum01, int[] at02, double sum02) {
        Evaluation e = eval(p, t, p.length, 1, 1, new EvalOptions());
        assertEquals(ri, e.get("PRI"), 1e-11);
        assertEquals(splitBits * Math.log(2), e.get("VoI_split"), 1e-11);
        assertEquals(mergeBits * Math.log(2), e.get("VoI_merge"), 1e-11);
        assertEquals(matched, e.get("matchedIoU"), 1e-11);
        assertEquals(best, e.get("meanIoU"), 1e-11);
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        o.thresholds = new double[]{0.1, 0.2};
        Evaluation in = eval(p, t, p.length, 1, 1, o);
        assertEquals(at01[0], in.get("tp@0.10"), EPS);
        assertEquals(at01[1], in.get("fp@0.10"), EPS);
        assertEquals(at01[2], in.get("fn@0.10"), EPS);
        assertEquals(at01[0] == 0 ? 0 : sum01 / at01[0], in.get("meanMatchedIoU@0.10"), 1e-11);
        assertEquals(at02[0], in.get("tp@0.20"), EPS);
        assertEquals(at02[1], in.get("fp@0.20"), EPS);
        assertEquals(at02[2], in.get("fn@0.20"), EPS);
        assertEquals(at02[0] == 0 ? 0 : sum02 / at02[0], in.get("meanMatchedIoU@0.20"), 1e-11);
    }

    @Test
    void truthThatIsAllIgnoredIsRefusedAndSplitDropsIdOverlap() {
        EvalOptions o = new EvalOptions();
        o.ignoreTruthLabel = 0;
        SegmentationException e = assertThrows(SegmentationException.class,
                () -> eval(new int[]{1, 2, 1, 2}, new int[]{0, 0, 0, 0}, 4, 1, 1, o));
        assertTrue(e.getMessage().contains("no pixel besides the ignored label 0"), e.getMessage());
        EvalOptions split = new EvalOptions();
        split.splitComponents = true;
        Evaluation ev = eval(new int[]{1, 2, 1, 2}, new int[]{1, 2, 1, 2}, 4, 1, 1, split);
        assertTrue(ev.summary.keySet().stream().noneMatch(k -> k.startsWith("overlap_")), ev.summary.keySet().toString());
        assertTrue(eval(new int[]{1, 2, 1, 2}, new int[]{1, 2, 1, 2}, 4, 1, 1, new EvalOptions()).summary.containsKey("overlap_dice"));
    }

    @Test
    void tensOfThousandsOfTouchingLabelsFitTheEvaluator() {
        // Two 512x512 images of ~65,535 random labels each: one overlap group spans them all, too
        // large for a dense assignment (it ran out of memory at 7.7 GB); now greedy within it.
        int w = 512, h = 512;
        int[] p = new int[w * h], t = new int[w * h];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < p.length; i++) { p[i] = 1 + r.nextInt(65535); t[i] = 1 + r.nextInt(65535); }
        EvalOptions o = new EvalOptions();
        o.thresholds = new double[]{0.1, 0.5};
        Evaluation e = eval(p, t, w, h, 1, o);
        assertTrue(e.get("matchedIoU") > 0 && e.get("matchedIoU") < 1, e.summary.toString());
        // identical images still match exactly
        Evaluation same = eval(p, p.clone(), w, h, 1, new EvalOptions());
        assertEquals(1.0, same.get("matchedIoU"), 1e-12);
        assertEquals(1.0, same.get("f1@0.50"), 1e-12);
    }
}

package io.github.unseg.eval;

import io.github.unseg.core.SegmentationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator's minSize: small predicted segments become the ignored label. */
class MinSizeTest {
    @Test
    void smallPredictedObjectsAreDroppedBeforeMatching() {
        // 1x8: one true object (pixels 0-3); predicted: that object, and a 1-pixel speck at 6.
        int[] truth = {1, 1, 1, 1, 0, 0, 0, 0};
        int[] pred = {1, 1, 1, 1, 0, 0, 2, 0};
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        int[] dims = {8, 1, 1};
        assertEquals(2 / 3.0, Evaluation.evaluate(pred, List.of(truth), dims, o).get("f1@0.50"), 1e-12, "the speck is a false positive");
        o.minSize = 2;
        assertEquals(1.0, Evaluation.evaluate(pred, List.of(truth), dims, o).get("f1@0.50"), 1e-12, "dropped");
        EvalOptions none = new EvalOptions();
        none.minSize = 2;
        Exception e = assertThrows(SegmentationException.class, () -> Evaluation.evaluate(pred, List.of(truth), dims, none));
        assertTrue(e.getMessage().contains("set ignorePredLabel"), e.getMessage());
    }
}

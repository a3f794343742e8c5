package io.github.unseg.eval;

import io.github.unseg.core.SegmentationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator's predForeground: cluster labels evaluated as the objects a foreground rule makes of them. */
class PredForegroundTest {
    // 1x10: clusters numbered darkest first (1 background, 2 dim, 3 bright); three true objects.
    static final int[] PRED = {1, 2, 2, 1, 3, 3, 1, 1, 2, 1};
    static final int[] TRUTH = {0, 1, 1, 0, 2, 2, 0, 0, 3, 0};
    static final int[] DIMS = {10, 1, 1};

    static double f1(String rule, int ignorePred) {
        EvalOptions o = new EvalOptions();
        o.predForeground = rule;
        o.ignorePredLabel = ignorePred;
        o.ignoreTruthLabel = 0;
        return Evaluation.evaluate(PRED, List.of(TRUTH), DIMS, o).get("f1@0.50");
    }

    @Test
    void clustersBecomeTheConnectedObjectsOfTheRule() {
        assertEquals(1.0, f1("not-darkest", EvalOptions.NONE), 1e-12, "objects {1,2}, {4,5}, {8}");
        assertEquals(0.5, f1("brightest", EvalOptions.NONE), 1e-12, "only {4,5}: 1 of 1 predicted, 1 of 3 true");
        assertEquals(0.0, f1("darkest", EvalOptions.NONE), 1e-12, "only background pieces: no match");
        // as they are, cluster 2 is one segment over two objects: one true object is missed
        assertEquals(0.8, f1("none", 1), 1e-12);
        assertTrue(f1("not-darkest", EvalOptions.NONE) > f1("none", 1));
    }

    @Test
    void anUnknownRuleIsRefusedByName() {
        Exception e = assertThrows(SegmentationException.class, () -> f1("brighter", EvalOptions.NONE));
        assertTrue(e.getMessage().contains("brighter") && e.getMessage().contains("not-darkest"), e.getMessage());
    }
}

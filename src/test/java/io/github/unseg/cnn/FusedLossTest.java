package io.github.unseg.cnn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused Java loss gradient (used in float training) equals the ND4J reference formulation. */
class FusedLossTest {
    @Test
    void fusedAndReferenceLossAgree() {
        compare(false);
    }

    /** With scribbles: hinted pixels take their hint as target, with their own weight and mean. */
    @Test
    void fusedAndReferenceLossAgreeWithScribbles() {
        compare(true);
    }

    /** The loss's float exponential, against Math.exp over its whole range (x <= 0). */
    @Test
    void floatExponential() {
        double worst = 0;
        for (float x = 0; x > -87.3f; x -= 3e-4f) {
            double e = Math.exp(x);
            worst = Math.max(worst, Math.abs(KanezakiNet.exp(x) - e) / e);
        }
        assertTrue(worst < 2e-7, "relative error " + worst);
        assertEquals(1f, KanezakiNet.exp(0f));
        assertEquals(0f, KanezakiNet.exp(-100f));
        assertEquals(0f, KanezakiNet.exp(Float.NEGATIVE_INFINITY));
    }

    /** Volumes: z differences with their own weight. */
    @Test
    void fusedAndReferenceLossAgreeOnVolumes() {
        compare(false, true);
    }

    private static void compare(boolean scribbles) {
        compare(scribbles, false);
    }

    private static void compare(boolean scribbles, boolean volume) {
        KanezakiNet net = new KanezakiNet(3, 7, 2, 1, DataType.FLOAT, volume, 3);
        net.zWeight = volume ? 0.4 : 1;
        Random rnd = new Random(5);
        int c = 7, d = volume ? 4 : 1, h = 33, w = 70; // more than one pixel block of the fused pass
        if (scribbles) {
            int[] hint = new int[d * h * w];
            for (int i = 0; i < hint.length; i++) hint[i] = rnd.nextInt(10) < 2 ? rnd.nextInt(3) : -1;
            net.setScribbles(hint, 0.5);
        }
        float[] v = new float[c * d * h * w];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        INDArray r = Nd4j.create(v, volume ? new long[]{1, c, d, h, w} : new long[]{1, c, h, w});
        LossResult refR = ReferenceLoss.gradient(net, r, 1.0, 0.7);
        INDArray ref = refR.gradient;
        double refLoss = refR.loss, refScr = refR.scribble, refSim = refR.similarity, refCont = refR.continuity;
        LossResult f = net.fusedLossGradient(r, 1.0, 0.7);
        INDArray fused = f.gradient;
        assertArrayEquals(refR.labels, f.labels);
        assertEquals(refSim, f.similarity, 1e-5);
        assertEquals(refCont, f.continuity, 1e-5);
        assertEquals(refLoss, f.loss, 1e-5);
        assertEquals(refScr, f.scribble, 1e-5);
        if (scribbles) assertTrue(refScr > 0 && Math.abs(refLoss - (refSim + 0.5 * refScr + 0.7 * refCont)) < 1e-9);
        float[] a = ref.dup().data().asFloat(), b = fused.dup().data().asFloat();
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        assertEquals(0, max, 1e-7, "largest difference of the gradients");
    }
}

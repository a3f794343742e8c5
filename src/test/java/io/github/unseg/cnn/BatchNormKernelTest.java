package io.github.unseg.cnn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java BatchNorm of float training: against the formulas in double, and against libnd4j's ops in a whole step. */
class BatchNormKernelTest {
    private static final double EPS = 1e-5;

    @Test
    void forwardAndBackwardAsComputedByHand() {
        for (long[] shape : new long[][]{{2, 3, 4, 5}, {1, 2, 3, 4, 5}}) {
            Random rnd = new Random(11);
            int n = (int) shape[0], c = (int) shape[1], len = 1;
            for (long s : shape) len *= (int) s;
            int inner = len / (n * c);
            float[] x = new float[len], go = new float[len], gam = new float[c], bet = new float[c];
            float[] raw = new float[len];
            for (int i = 0; i < len; i++) { raw[i] = (float) (rnd.nextGaussian() + 0.3); x[i] = Math.max(0, raw[i]); go[i] = (float) rnd.nextGaussian(); }
            for (int k = 0; k < c; k++) { gam[k] = 0.5f + k; bet[k] = -0.25f * k; }
            INDArray xa = Nd4j.create(raw, shape), ga = Nd4j.create(go, shape);
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape), gIn = Nd4j.createUninitialized(DataType.FLOAT, shape);
            INDArray dG = Nd4j.createUninitialized(DataType.FLOAT, c), dB = Nd4j.createUninitialized(DataType.FLOAT, c);
            INDArray gamma = Nd4j.create(gam, new long[]{c}), beta = Nd4j.create(bet, new long[]{c});
            float[][] st = BatchNormKernel.forward(xa, true, gamma, beta, EPS, out, 2);
            assertArrayEquals(x, xa.data().asFloat(), "the input's ReLU, in place");
            BatchNormKernel.backward(xa, st[0], st[1], gamma, EPS, ga, null, true, gIn, dG, dB, 2);
            float[] o = out.data().asFloat(), gi = gIn.data().asFloat(), dg = dG.toFloatVector(), db = dB.toFloatVector();
            for (int k = 0; k < c; k++) {
                double m = 0, v = 0, sg = 0, sgx = 0;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) m += x[(b * c + k) * inner + i];
                m /= n * inner;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) v += Math.pow(x[(b * c + k) * inner + i] - m, 2);
                v /= n * inner;
                double inv = 1 / Math.sqrt(v + EPS);
                assertEquals(m, st[0][k], 1e-6);
                assertEquals(v, st[1][k], 1e-6);
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) {
                    int p = (b * c + k) * inner + i;
                    assertEquals(gam[k] * (x[p] - m) * inv + bet[k], o[p], 1e-5);
                    sg += go[p];
                    sgx += go[p] * (x[p] - m) * inv;
                }
                assertEquals(sg, db[k], 1e-4);
                assertEquals(sgx, dg[k], 1e-4);
                int count = n * inner;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) {
                    int p = (b * c + k) * inner + i;
                    double d = gam[k] * inv * (go[p] - sg / count - (x[p] - m) * inv * sgx / count);
                    assertEquals(x[p] > 0 ? d : 0, gi[p], 1e-5, "gradient at " + p);
                }
            }
        }
    }

    /**
     * A whole training step of the float path (Java BatchNorm, conv1x1 as a matrix product): the
     * same loss, labels and gradients, to float precision, as through libnd4j's layer ops.
     */
    @Test
    void stepAgreesWithLibnd4jOps() {
        for (int kind = 0; kind < 3; kind++) { // 2D zero-padded, 2D edge-padded, 3D
            boolean volume = kind == 2;
            KanezakiNet a = kind == 1 ? new KanezakiNet(3, 8, 2, 4, DataType.FLOAT, true) : new KanezakiNet(3, 8, 2, 4, DataType.FLOAT, volume, 3);
            KanezakiNet b = kind == 1 ? new KanezakiNet(3, 8, 2, 4, DataType.FLOAT, true) : new KanezakiNet(3, 8, 2, 4, DataType.FLOAT, volume, 3);
            b.nd4jOps = true;
            Random rnd = new Random(2);
            long[] shape = volume ? new long[]{1, 3, 6, 20, 24} : new long[]{1, 3, 30, 41};
            float[] px = new float[(int) (volume ? 3 * 6 * 20 * 24 : 3 * 30 * 41)];
            for (int i = 0; i < px.length; i++) px[i] = rnd.nextFloat();
            INDArray img = Nd4j.create(px, shape);
            List<INDArray> ga = new ArrayList<>(), gb = new ArrayList<>();
            LossResult ra = a.step(img, 1, 0.7, 0.1, 0.9, ga), rb = b.step(img, 1, 0.7, 0.1, 0.9, gb);
            assertEquals(rb.loss, ra.loss, 1e-5);
            assertArrayEquals(rb.labels, ra.labels);
            for (int t = 0; t < ga.size(); t++) {
                float[] x = ga.get(t).data().asFloat(), y = gb.get(t).data().asFloat();
                double scale = 0, worst = 0;
                for (float v : y) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
                // absolute floor: a BatchNorm's beta before another BatchNorm has a gradient of 0 up to rounding
                assertTrue(worst <= 1e-3 * scale + 1e-6, "parameter tensor " + t + ": differs by " + worst + " of " + scale);
            }
        }
    }
}

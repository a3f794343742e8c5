package io.github.unseg.cnn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-wired backward pass against central finite differences, in double precision. */
class GradientCheckTest {

    @Test
    void everyParameterTensorMatchesFiniteDifferences() {
        check(false);
    }

    /** The scribble loss (hinted pixels' cross-entropy to their hint) too. */
    @Test
    void withScribblesToo() {
        check(true);
    }

    /** The true 3D network: 3x3x3 convolutions, continuity along z with its own weight. */
    @Test
    void volumetricNetworkToo() {
        check(false, true, 3);
    }

    /** The 3D network with 3x3x1 kernels (the 3D default): no z context, z continuity still. */
    @Test
    void volumetricNetworkWithFlatKernels() {
        check(false, true, 1);
    }

    private static void check(boolean scribbles) {
        check(scribbles, false, 3);
    }

    private static void check(boolean scribbles, boolean volumetric, int zKernel) {
        KanezakiNet net = ReferenceLoss.use(new KanezakiNet(2, 4, 2, 7, DataType.DOUBLE, volumetric, zKernel)); // two conv blocks + conv1x1, as the reference
        net.zWeight = volumetric ? 0.6 : 1;
        Random rnd = new Random(3);
        if (scribbles) {
            int[] hint = new int[5 * 6];
            java.util.Arrays.fill(hint, -1);
            hint[0] = 2; hint[1] = 2; hint[17] = 0; hint[29] = 3;
            net.setScribbles(hint, 0.5);
        }
        // The 3D net's valid convolutions take two voxels of context per side: its response is
        // 3x4x5 (3x3x3 kernels) or 7x4x5 (3x3x1).
        long[] shape = volumetric ? new long[]{1, 2, 7, 8, 9} : new long[]{1, 2, 5, 6};
        double[] px = new double[volumetric ? 2 * 7 * 8 * 9 : 2 * 5 * 6];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextDouble();
        INDArray img = Nd4j.create(px, shape, DataType.DOUBLE);
        double simW = 1.0, conW = 0.7;
        List<INDArray> grads = new ArrayList<>();
        LossResult step = net.step(img, simW, conW, 0.1, 0.9, grads);
        int[] labels = step.labels.clone();
        assertTrue(Math.abs(ReferenceLoss.lossWithLabels(net, img, labels, simW, conW) - step.loss) < 1e-10, "loss agrees");
        List<INDArray> ps = net.parameters();
        String[] kinds = {"weight", "bias", "gamma", "beta"};
        double eps = 1e-6, worst = 0;
        for (int t = 0; t < ps.size(); t++) {
            INDArray p = ps.get(t).reshape(-1), g = grads.get(t).reshape(-1);
            long n = p.length();
            for (int k = 0; k < Math.min(n, 6); k++) {
                long i = (k * 7919L) % n;
                double old = p.getDouble(i);
                p.putScalar(i, old + eps);
                double up = ReferenceLoss.lossWithLabels(net, img, labels, simW, conW);
                p.putScalar(i, old - eps);
                double down = ReferenceLoss.lossWithLabels(net, img, labels, simW, conW);
                p.putScalar(i, old);
                double fd = (up - down) / (2 * eps), an = g.getDouble(i);
                // Relative error, with an absolute floor: some gradients are exactly 0 (a BatchNorm
                // shift followed by another BatchNorm, which removes any constant shift).
                double diff = Math.abs(fd - an), err = diff / Math.max(1e-6, Math.abs(fd) + Math.abs(an));
                if (Math.abs(fd) + Math.abs(an) > 1e-6) worst = Math.max(worst, err);
                assertTrue(diff < 1e-7 || err < 1e-4, "layer " + (t / 4) + " " + kinds[t % 4] + "[" + i + "]: finite difference " + fd + ", backward " + an);
            }
        }
        System.out.println("gradient check: worst relative error " + worst);
    }
}

package io.github.unseg.cnn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * The TIP 2020 loss written with ND4J operations, as the reference's PyTorch code reads: the
 * yardstick the fused Java loss is tested against, and the loss of double-precision networks in
 * the gradient checks.
 */
final class ReferenceLoss {
    private ReferenceLoss() { }

    /** Plugs the reference loss into a network's training steps. */
    static KanezakiNet use(KanezakiNet net) {
        net.loss = ReferenceLoss::gradient;
        return net;
    }

    /** Spatial shape of a response [1, C, (D,) H, W]: [(D,) H, W]. */
    private static long[] spatial(INDArray r) {
        return Arrays.copyOfRange(r.shape(), 2, r.rank());
    }

    private static long[] prepend(long[] a, long... first) {
        long[] out = new long[first.length + a.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(a, 0, out, first.length, a.length);
        return out;
    }

    /** Continuity weight of a spatial axis of r: zWeight for z (volumes), 1 for y and x. */
    private static double axisWeight(KanezakiNet net, INDArray r, int axis) {
        return r.rank() == 5 && axis == 2 ? net.zWeight : 1;
    }

    /**
     * Loss and its gradient with respect to the response r [1, C, (D,) H, W] (ND4J operations;
     * the reference for the fused version).
     */
    static LossResult gradient(KanezakiNet net, INDArray r, double simW, double conW) {
        long[] sp = spatial(r);
        long P = r.length() / net.channels;
        INDArray labels = r.argMax(1); // [1, (D,) H, W]
        int[] lab = labels.reshape(-1).toIntVector();
        net.checkHints((int) P);
        int[] tgt = new int[(int) P];
        double[] wts = new double[(int) P];
        for (int p = 0; p < P; p++) { tgt[p] = net.target(p, lab[p]); wts[p] = net.ceWeight(p, (int) P, simW); }
        // Softmax by hand: ND4J's SoftMax on 4D NCHW arrays is wrong in the oneDNN builds (probe).
        INDArray sm = r.sub(r.max(true, 1));
        Transforms.exp(sm, false);
        sm.divi(sm.sum(true, 1));
        INDArray t = Nd4j.createFromArray(tgt).reshape(prepend(sp, 1));
        INDArray oneHot = Nd4j.exec(new OneHot(t, null, net.channels, 1, 1.0, 0.0))[0].castTo(net.type); // [1, C, (D,) H, W]
        double[] nll = Transforms.log(sm.mul(oneHot).sum(1), false).neg().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double sim = 0, scr = 0;
        for (int p = 0; p < P; p++) if (net.hints != null && net.hints[p] >= 0) scr += nll[p]; else sim += nll[p];
        double similarity = sim / Math.max(1, P - (net.hints == null ? 0 : net.nHinted));
        double scribble = net.hints == null || net.nHinted == 0 ? 0 : scr / net.nHinted;
        INDArray w = Nd4j.createFromArray(wts).castTo(net.type).reshape(prepend(sp, 1, 1));
        INDArray g = sm.subi(oneHot).muli(w.broadcast(r.shape())); // d CE / d r = (softmax - onehot) x the pixel's weight
        double cont = 0;
        for (int axis = 2; axis < r.rank(); axis++) {
            long S = r.size(axis);
            if (S < 2) continue;
            INDArray df = r.get(range(r.rank(), axis, 1, S)).sub(r.get(range(r.rank(), axis, 0, S - 1)));
            double aw = axisWeight(net, r, axis);
            cont += aw * df.ameanNumber().doubleValue();
            Transforms.sign(df, false).muli(conW * aw / df.length());
            g.get(range(r.rank(), axis, 1, S)).addi(df);
            g.get(range(r.rank(), axis, 0, S - 1)).subi(df);
        }
        double loss = simW * similarity + (net.hints == null ? 0 : net.scribbleWeight * scribble) + conW * cont;
        return new LossResult(g, loss, similarity, cont, scribble, lab);
    }

    /** The loss at the current parameters with the pseudo-labels held fixed (for gradient checks). */
    static double lossWithLabels(KanezakiNet net, INDArray image, int[] labels, double simW, double conW) {
        INDArray r = net.forward(image);
        long P = r.length() / net.channels;
        INDArray sm = r.sub(r.max(true, 1));
        Transforms.exp(sm, false);
        sm.divi(sm.sum(true, 1));
        INDArray flat = sm.dup('c').reshape(net.channels, P);
        double ce = 0; // weighted: simW (and scribbleWeight) are in ceWeight
        for (int p = 0; p < P; p++) ce -= net.ceWeight(p, (int) P, simW) * Math.log(flat.getDouble(net.target(p, labels[p]), p));
        double cont = 0;
        for (int axis = 2; axis < r.rank(); axis++) {
            long S = r.size(axis);
            if (S < 2) continue;
            cont += axisWeight(net, r, axis) * r.get(range(r.rank(), axis, 1, S)).sub(r.get(range(r.rank(), axis, 0, S - 1))).ameanNumber().doubleValue();
        }
        return ce + conW * cont;
    }


    private static INDArrayIndex[] range(int rank, int dim, long from, long to) {
        INDArrayIndex[] r = new INDArrayIndex[rank];
        Arrays.fill(r, NDArrayIndex.all());
        r[dim] = NDArrayIndex.interval(from, to);
        return r;
    }
}

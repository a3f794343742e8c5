package io.github.unseg.cnn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One training step's loss: its gradient with respect to the response, its parts, and the pseudo-labels. */
public final class LossResult {
    /** d loss / d response, the response's shape; null from a float training step, which keeps it in its own buffer. */
    public final INDArray gradient;
    /** similarityWeight * similarity + scribbleWeight * scribble + continuityWeight * continuity. */
    public final double loss, similarity, continuity, scribble;
    /** Argmax channel of each pixel (row-major; z, y, x for volumes). */
    public final int[] labels;

    LossResult(INDArray gradient, double loss, double similarity, double continuity, double scribble, int[] labels) {
        this.gradient = gradient;
        this.loss = loss;
        this.similarity = similarity;
        this.continuity = continuity;
        this.scribble = scribble;
        this.labels = labels;
    }

    /** The loss function of a step: a response in, a result out. The fused one unless a test sets another. */
    interface Function {
        LossResult apply(KanezakiNet net, INDArray response, double similarityWeight, double continuityWeight);
    }
}

package io.github.unseg.cnn;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv3D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The network of Kim, Kanezaki and Tanaka (IEEE TIP 2020): nConv blocks of conv3x3 + ReLU +
 * BatchNorm (the first from the input channels to C), then conv1x1 + BatchNorm (C to C); trained on one image with the loss
 * similarityWeight * CE(response, argmax(response)) + continuityWeight * (mean |vertical
 * differences| + mean |horizontal differences|) of the response, by SGD with (PyTorch-style,
 * non-Nesterov) momentum. Forward and backward use libnd4j's fused ops directly (conv2d /
 * conv2d_bp, relu) with the loss gradient and, for float networks, training-mode BatchNorm
 * written by hand ({@link BatchNormKernel}) and the first (2D) and last convolutions as matrix
 * products: DL4J's layer API and SameDiff were 4x slower and up to 6x more memory-hungry in our
 * measurements on this CPU.
 * BatchNorm always uses the statistics of the image at hand, as the reference (which never
 * switches to eval mode) does.
 * <p>
 * The 3D network convolves without zero padding: its input carries nConv voxels of context on
 * every side ({@link #zContext()} in z; the caller pads the volume by repeating its edge voxels)
 * and its response covers the rest. With zero padding the volume's faces became labels of their
 * own (a frame of border labels in every slice, which the continuity loss does not remove) that
 * outlived the objects.
 */
public final class KanezakiNet {
    static final double BN_EPS = 1e-5;

    /** nConv = number of conv3x3 blocks; the network has nConv + 1 convolutions. */
    public final int inChannels, channels, nConv;
    private final int layers;
    final DataType type;
    final List<INDArray> weights = new ArrayList<>(), biases = new ArrayList<>(), gammas = new ArrayList<>(), betas = new ArrayList<>();
    final List<INDArray> velocity = new ArrayList<>();
    final List<Conv2DConfig> configs = new ArrayList<>();
    final List<Conv3DConfig> configs3 = new ArrayList<>();
    /** True 3D: convolutions over [1, C, D, H, W] volumes, continuity along z too. */
    public final boolean volumetric;
    /**
     * Volumetric: the conv blocks' kernel depth, 3 (3x3x3) or 1 (3x3x1: in-plane convolutions,
     * the volume still coupled by its BatchNorm statistics and the z continuity loss).
     */
    public final int zKernel;
    /**
     * 2D: valid convolutions over an input that carries nConv pixels of edge-repeated context on
     * every side (the caller pads it, as for 3D), instead of the reference's zero padding, which
     * made the image border a feature of its own: stripes of labels one or two pixels wide along it.
     */
    public final boolean edgePadding;
    /** Worker threads of the Java loss pass (ND4J's natives follow OMP_NUM_THREADS). */
    public int threads = io.github.unseg.cluster.Parallel.defaultThreads();
    /** Weight of the z differences in the continuity loss (volumetric; 1 = as x and y). */
    public double zWeight = 1;

    /**
     * Every array of an iteration lives in one workspace that is reused the next iteration: no
     * allocation churn (page faults cost more than the arithmetic otherwise, measured in the probe).
     */
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.1)
            .policyLearning(LearningPolicy.FIRST_LOOP).policyMirroring(MirroringPolicy.FULL)
            .policySpill(SpillPolicy.REALLOCATE).build();
    private final String workspaceId = "UNSEG_CNN_" + System.identityHashCode(this);

    /** BatchNorm statistics frozen after training (null before): used to label images and tiles. */
    final List<INDArray> frozenMean = new ArrayList<>(), frozenVar = new ArrayList<>();

    /** Scribble hints (TIP 2020): per pixel of the training image a channel index, or -1 for none. */
    int[] hints;
    int nHinted;
    double scribbleWeight;
    /**
     * Training through libnd4j's layer ops (always for double networks) instead of the float path's
     * Java BatchNorm and matrix-product first and last convolutions; tests compare the two.
     */
    boolean nd4jOps;
    /** The loss of a step; null = the fused float loss. Tests plug in the ND4J reference formulation. */
    LossResult.Function loss;

    /** A network with PyTorch's default initialisation (uniform +-1/sqrt(fan in)), seeded. */
    public KanezakiNet(int inChannels, int channels, int nConv, long seed, DataType type) {
        this(inChannels, channels, nConv, seed, type, false, 3, false);
    }

    /** A 2D network; edgePadding: see {@link #edgePadding}. */
    public KanezakiNet(int inChannels, int channels, int nConv, long seed, DataType type, boolean edgePadding) {
        this(inChannels, channels, nConv, seed, type, false, 3, edgePadding);
    }

    public KanezakiNet(int inChannels, int channels, int nConv, long seed, DataType type, boolean volumetric, int zKernel) {
        this(inChannels, channels, nConv, seed, type, volumetric, zKernel, volumetric);
    }

    /**
     * As above; volumetric = convolutions over volumes, the conv blocks' kernel depth zKernel
     * (1 or 3; the last convolution is 1x1x1).
     */
    private KanezakiNet(int inChannels, int channels, int nConv, long seed, DataType type, boolean volumetric, int zKernel,
                        boolean edgePadding) {
        if (nConv < 1) throw new IllegalArgumentException("nConv must be at least 1");
        if (zKernel != 1 && zKernel != 3) throw new IllegalArgumentException("zKernel must be 1 or 3");
        this.zKernel = zKernel;
        this.inChannels = inChannels;
        this.channels = channels;
        this.nConv = nConv;
        this.layers = nConv + 1;
        this.type = type;
        this.volumetric = volumetric;
        this.edgePadding = edgePadding;
        int zeroPad = edgePadding ? 0 : 1;
        Nd4j.getRandom().setSeed(seed);
        int cin = inChannels;
        for (int l = 0; l < layers; l++) {
            int k = l < nConv ? 3 : 1; // nConv conv3x3 blocks, then the conv1x1
            int kz = l < nConv ? zKernel : 1;
            double bound = 1.0 / Math.sqrt(cin * k * k * (volumetric ? kz : 1));
            weights.add((volumetric ? Nd4j.rand(type, kz, k, k, cin, channels) // DHWIO (conv3dnew's default)
                    : Nd4j.rand(type, k, k, cin, channels)).muli(2 * bound).subi(bound)); // YXIO
            // 3D: no zero padding ("valid"); the caller pads the volume (see the class comment)
            configs3.add(Conv3DConfig.builder().kD(kz).kH(k).kW(k).sD(1).sH(1).sW(1).pD(0).pH(0).pW(0)
                    .dD(1).dH(1).dW(1).biasUsed(true).paddingMode(PaddingMode.VALID).dataFormat("NCDHW").build());
            biases.add(Nd4j.rand(type, channels).muli(2 * bound).subi(bound));
            gammas.add(Nd4j.ones(type, channels));
            betas.add(Nd4j.zeros(type, channels));
            configs.add(Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(zeroPad * (k / 2)).pW(zeroPad * (k / 2)).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build());
            cin = channels;
        }
        for (INDArray p : parameters()) velocity.add(Nd4j.zeros(type, p.shape()));
    }

    /** Copies saved parameter values (in {@link #parameters()} order) into this network. */
    public void setParameters(List<float[]> values) {
        List<INDArray> ps = parameters();
        if (values.size() != ps.size()) throw new IllegalArgumentException("expected " + ps.size() + " parameter arrays");
        for (int i = 0; i < ps.size(); i++) {
            INDArray p = ps.get(i);
            if (values.get(i).length != p.length()) throw new IllegalArgumentException("parameter " + i + " has the wrong size");
            p.assign(Nd4j.create(values.get(i), p.shape()).castTo(type));
        }
    }

    /** Weights, biases, gammas, betas of every layer, in that order per layer. */
    public List<INDArray> parameters() {
        List<INDArray> ps = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            ps.add(weights.get(l));
            ps.add(biases.get(l));
            ps.add(gammas.get(l));
            ps.add(betas.get(l));
        }
        return ps;
    }

    /** The pixels of context the input needs on each side in x and y: nConv for valid convolutions, else none. */
    public int context() {
        return edgePadding ? nConv : 0;
    }

    /** Volumetric: the voxels of context the valid convolutions need on each side in z (in x and y: nConv). */
    public int zContext() {
        return nConv * (zKernel / 2);
    }

    private INDArray conv(INDArray x, int l) {
        if (volumetric) {
            // a valid 3x3(x3) convolution loses a voxel on each side
            int shrink = l < nConv ? 2 : 0, shrinkZ = l < nConv ? zKernel - 1 : 0;
            INDArray out = Nd4j.createUninitialized(type, x.size(0), channels, x.size(2) - shrinkZ, x.size(3) - shrink, x.size(4) - shrink);
            Nd4j.exec(new Conv3D(new INDArray[]{x, weights.get(l), biases.get(l)}, new INDArray[]{out}, configs3.get(l)));
            return out;
        }
        int shrink = edgePadding && l < nConv ? 2 : 0;
        INDArray out = Nd4j.createUninitialized(type, x.size(0), channels, x.size(2) - shrink, x.size(3) - shrink);
        Nd4j.exec(new Conv2D(new INDArray[]{x, weights.get(l), biases.get(l)}, new INDArray[]{out}, configs.get(l)));
        return out;
    }

    private INDArray convBackward(INDArray x, int l, INDArray gradOut, INDArray gradW, INDArray gradB) {
        // The backward op takes the forward op's integer arguments (kernel, stride, padding, format).
        INDArray[] in = {x, weights.get(l), biases.get(l)}, out = {gradOut};
        long[] iArgs = volumetric ? new Conv3D(in, out, configs3.get(l)).iArgs() : new Conv2D(in, out, configs.get(l)).iArgs();
        INDArray gradIn = Nd4j.createUninitialized(type, x.shape());
        Nd4j.exec(DynamicCustomOp.builder(volumetric ? "conv3dnew_bp" : "conv2d_bp")
                .addInputs(x, weights.get(l), biases.get(l), gradOut).addOutputs(gradIn, gradW, gradB)
                .addIntegerArguments(ints(iArgs)).build());
        return gradIn;
    }

    /**
     * The last convolution (1x1) of a training step as one matrix product, [C, pixels] = W^T
     * [Cin, pixels]: libnd4j's conv2d and conv2d_bp took 2-3 times as long. Without the bias: the
     * BatchNorm that follows removes any per-channel constant, so the output is the same and the
     * bias's gradient is 0 (the bias still enters frozen labelling, whose statistics include it).
     */
    private INDArray pointwise(INDArray x, int l) {
        long cin = x.size(1), px = x.length() / cin;
        long[] shape = x.shape().clone();
        shape[1] = channels;
        INDArray out = Nd4j.createUninitialized(type, shape);
        Nd4j.gemm(weights.get(l).reshape(cin, channels), x.reshape(cin, px), out.reshape(channels, px), true, false, 1.0, 0.0);
        return out;
    }

    private INDArray pointwiseBackward(INDArray x, int l, INDArray gradOut, INDArray gradW, INDArray gradB) {
        long cin = x.size(1), px = x.length() / cin;
        INDArray g2 = gradOut.reshape(channels, px), x2 = x.reshape(cin, px);
        Nd4j.gemm(x2, g2, gradW.reshape(cin, channels), false, true, 1.0, 0.0);
        gradB.assign(0);
        INDArray gradIn = Nd4j.createUninitialized(type, x.shape());
        Nd4j.gemm(weights.get(l).reshape(cin, channels), g2, gradIn.reshape(cin, px), false, false, 1.0, 0.0);
        return gradIn;
    }

    /**
     * The first 3x3 convolution of a 2D training step as one matrix product, [C, pixels] =
     * [W; bias]^T x columns, the columns (each pixel's 3 x 3 x Cin neighbourhood and a 1 for the
     * bias) made once per training input and kept: the input does not change between
     * iterations, and libnd4j's conv2d / conv2d_bp on 1-3 input channels took 35 ms of a 216 ms
     * C = 32 iteration (321 x 481). Only where the columns take at most 64 MB.
     */
    private boolean firstColumnsFit(INDArray image) {
        long out = (image.size(2) - 2 + 2 * pad0()) * (image.size(3) - 2 + 2 * pad0());
        return image.rank() == 4 && image.size(0) == 1 && (9 * image.size(1) + 1) * out * 4 <= (64L << 20);
    }

    private int pad0() {
        return edgePadding ? 0 : 1;
    }

    private float[] firstColsInput;
    private INDArray firstCols;

    /** Training is over: the loss's arrays (60 MB each at C = 100) and the kept columns go (made again if training resumes). */
    private void releaseTrainingBuffers() {
        rBuf = gBuf = null;
        firstCols = null;
        firstColsInput = null;
    }

    private INDArray firstConv(INDArray x) {
        int cin = (int) x.size(1), hin = (int) x.size(2), win = (int) x.size(3), pad = pad0();
        int ho = hin - 2 + 2 * pad, wo = win - 2 + 2 * pad, p = ho * wo;
        float[] in = x.dup('c').data().asFloat(); // compared by value: a caller may refill its array
        if (!Arrays.equals(in, firstColsInput)) {
            float[] cols = new float[(9 * cin + 1) * p];
            for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) for (int ci = 0; ci < cin; ci++) {
                int row = ((ky * 3 + kx) * cin + ci) * p;
                for (int y = 0; y < ho; y++) {
                    int sy = y + ky - pad;
                    if (sy < 0 || sy >= hin) continue; // zero padding: stays 0
                    int src = (ci * hin + sy) * win, dst = row + y * wo;
                    for (int xo = 0; xo < wo; xo++) {
                        int sx = xo + kx - pad;
                        if (sx >= 0 && sx < win) cols[dst + xo] = in[src + sx];
                    }
                }
            }
            Arrays.fill(cols, 9 * cin * p, (9 * cin + 1) * p, 1f);
            try (MemoryWorkspace out = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) { // kept across steps
                firstCols = Nd4j.create(cols, new long[]{9L * cin + 1, p});
            }
            firstColsInput = in;
        }
        INDArray wb = Nd4j.concat(0, weights.get(0).reshape(9L * cin, channels), biases.get(0).reshape(1, channels));
        INDArray out = Nd4j.createUninitialized(type, 1, channels, ho, wo);
        Nd4j.gemm(wb, firstCols, out.reshape(channels, p), true, false, 1.0, 0.0);
        return out;
    }

    private void firstConvBackward(INDArray gradOut, INDArray gradW, INDArray gradB) {
        long rows = firstCols.size(0), p = firstCols.size(1);
        INDArray gwb = Nd4j.createUninitialized(type, rows, channels);
        Nd4j.gemm(firstCols, gradOut.reshape(channels, p), gwb, false, true, 1.0, 0.0);
        gradW.assign(gwb.get(NDArrayIndex.interval(0, rows - 1), NDArrayIndex.all()).reshape(gradW.shape()));
        gradB.assign(gwb.getRow(rows - 1));
    }

    /** The axes BatchNorm averages over: all but the channel axis. */
    private int[] statAxes() {
        return volumetric ? new int[]{0, 2, 3, 4} : new int[]{0, 2, 3};
    }

    /** Batch-statistics BatchNorm over N, (D,) H, W: {out, mean, var}. */
    private INDArray[] batchNorm(INDArray x, int l) {
        INDArray mean = x.mean(statAxes()), var = x.var(false, statAxes());
        INDArray out = Nd4j.createUninitialized(type, x.shape());
        BatchNorm op = new BatchNorm(x, mean, var, gammas.get(l), betas.get(l), BN_EPS, 1);
        op.addOutputArgument(out);
        Nd4j.exec(op);
        return new INDArray[]{out, mean, var};
    }

    private INDArray batchNormBackward(INDArray x, INDArray mean, INDArray var, int l, INDArray gradOut, INDArray gradGamma, INDArray gradBeta) {
        BatchNorm fwd = new BatchNorm(x, mean, var, gammas.get(l), betas.get(l), BN_EPS, 1);
        INDArray gradIn = Nd4j.createUninitialized(type, x.shape());
        INDArray gm = Nd4j.createUninitialized(type, mean.shape()), gv = Nd4j.createUninitialized(type, var.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(x, mean, var, gammas.get(l), betas.get(l), gradOut).addOutputs(gradIn, gm, gv, gradGamma, gradBeta)
                .addIntegerArguments(ints(fwd.iArgs()))
                .addFloatingPointArguments(Arrays.stream(fwd.tArgs()).boxed().toArray(Double[]::new)).build());
        return gradIn;
    }

    /**
     * Freezes every BatchNorm's statistics at those of this image (the training image): from then
     * on {@link #forwardFrozen} is a fixed, purely local function of each pixel's neighbourhood
     * (radius nConv), so tiles give exactly what the whole image gives.
     */
    public void freezeStatistics(INDArray image) {
        releaseTrainingBuffers();
        frozenMean.clear();
        frozenVar.clear();
        INDArray h = image;
        for (int l = 0; l <= nConv; l++) {
            INDArray x = l < nConv ? Transforms.relu(conv(h, l), false) : conv(h, l);
            INDArray[] bn = batchNorm(x, l);
            frozenMean.add(bn[1].detach());
            frozenVar.add(bn[2].detach());
            h = bn[0];
        }
    }

    /**
     * Freezes the statistics over several training images: layer by layer, each BatchNorm gets
     * the pooled mean and (biased) variance of its input over all images' pixels, the earlier
     * layers already frozen, so the frozen network is what labels new images.
     */
    public void freezeStatistics(List<INDArray> images) {
        if (images.size() == 1) { freezeStatistics(images.get(0)); return; }
        releaseTrainingBuffers();
        frozenMean.clear();
        frozenVar.clear();
        List<INDArray> hs = new ArrayList<>(images);
        for (int l = 0; l <= nConv; l++) {
            double[] mean = new double[channels], sq = new double[channels];
            long total = 0;
            List<INDArray> xs = new ArrayList<>();
            for (INDArray h : hs) {
                INDArray x = l < nConv ? Transforms.relu(conv(h, l), false) : conv(h, l);
                long n = x.length() / channels;
                double[] m = x.mean(statAxes()).castTo(DataType.DOUBLE).toDoubleVector();
                double[] v = x.var(false, statAxes()).castTo(DataType.DOUBLE).toDoubleVector();
                for (int c = 0; c < channels; c++) { mean[c] += n * m[c]; sq[c] += n * (v[c] + m[c] * m[c]); }
                total += n;
                xs.add(x);
            }
            double[] var = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] /= total;
                var[c] = Math.max(0, sq[c] / total - mean[c] * mean[c]);
            }
            frozenMean.add(Nd4j.createFromArray(mean).castTo(type));
            frozenVar.add(Nd4j.createFromArray(var).castTo(type));
            hs.clear();
            for (INDArray x : xs) hs.add(frozenBatchNorm(x, l));
        }
    }

    /** Sets frozen statistics (from a saved model), in layer order. */
    public void setFrozenStatistics(List<float[]> means, List<float[]> vars) {
        frozenMean.clear();
        frozenVar.clear();
        for (int l = 0; l < means.size(); l++) {
            frozenMean.add(Nd4j.create(means.get(l), new long[]{channels}).castTo(type));
            frozenVar.add(Nd4j.create(vars.get(l), new long[]{channels}).castTo(type));
        }
    }

    private INDArray frozenBatchNorm(INDArray x, int l) {
        INDArray out = Nd4j.createUninitialized(type, x.shape());
        BatchNorm op = new BatchNorm(x, frozenMean.get(l), frozenVar.get(l), gammas.get(l), betas.get(l), BN_EPS, 1);
        op.addOutputArgument(out);
        Nd4j.exec(op);
        return out;
    }

    /** The response map with frozen BatchNorm statistics. */
    public INDArray forwardFrozen(INDArray image) {
        INDArray h = image;
        for (int l = 0; l < nConv; l++) h = frozenBatchNorm(Transforms.relu(conv(h, l), false), l);
        return frozenBatchNorm(conv(h, nConv), nConv);
    }

    /** Argmax labels with frozen statistics, row-major. */
    public int[] forwardFrozenLabels(INDArray image) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, workspaceId + "_FWD")) {
            return forwardFrozen(image).argMax(1).reshape(-1).toIntVector();
        }
    }

    /** Responses with frozen statistics, pixel-major (pixel p, channel c at p * C + c). */
    public float[] forwardFrozenResponses(INDArray image) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, workspaceId + "_FWD")) {
            INDArray r = forwardFrozen(image);
            long p = r.length() / channels;
            return r.reshape(channels, p).transpose().dup('c').castTo(DataType.FLOAT).data().asFloat();
        }
    }

    /**
     * Scribbles for the following training steps: hinted pixels (hint[p] = channel, -1 = none)
     * are pulled to their hint by a cross-entropy of weight scribbleWeight, averaged over the
     * hinted pixels; the similarity loss then averages over the other pixels only (as the
     * reference's demo with --scribble). null removes them.
     */
    public void setScribbles(int[] hint, double scribbleWeight) {
        this.hints = hint;
        this.scribbleWeight = scribbleWeight;
        nHinted = 0;
        if (hint != null) {
            for (int v : hint) {
                if (v >= channels) throw new IllegalArgumentException("hint " + v + " is not a channel (0.." + (channels - 1) + ")");
                if (v >= 0) nHinted++;
            }
        }
    }

    /** Per pixel: the cross-entropy target (the hint, else the argmax). */
    int target(int p, int arg) {
        return hints != null && hints[p] >= 0 ? hints[p] : arg;
    }

    /** Per pixel: the weight of its cross-entropy term in the loss. */
    double ceWeight(int p, int n, double simW) {
        if (hints == null) return simW / n;
        return hints[p] >= 0 ? scribbleWeight / nHinted : simW / Math.max(1, n - nHinted);
    }

    void checkHints(int n) {
        if (hints != null && hints.length != n) {
            throw new IllegalArgumentException("scribbles have " + hints.length + " pixels, the image " + n);
        }
    }

    /** The response map [1, C, H, W] of an image [1, inChannels, H, W]. */
    public INDArray forward(INDArray image) {
        INDArray h = image;
        for (int l = 0; l < nConv; l++) h = batchNorm(Transforms.relu(conv(h, l), false), l)[0];
        return batchNorm(conv(h, nConv), nConv)[0];
    }

    /**
     * One training iteration: forward, pseudo-labels, loss, backward; then the SGD-momentum update
     * unless {@code gradients} is given, which receives the gradients (in {@link #parameters()}
     * order) instead. Returns the step's loss and pseudo-labels.
     */
    public LossResult step(INDArray image, double similarityWeight, double continuityWeight, double lr, double momentum,
                     List<INDArray> gradients) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, workspaceId + "_STEP")) {
            return stepInWorkspace(image, similarityWeight, continuityWeight, lr, momentum, gradients);
        }
    }

    private LossResult stepInWorkspace(INDArray image, double similarityWeight, double continuityWeight, double lr, double momentum,
                                 List<INDArray> gradients) {
        int L = layers;
        INDArray[] pre = new INDArray[L], bnIn = new INDArray[L], convIn = new INDArray[L];
        INDArray[][] bn = new INDArray[L][];
        float[][][] stats = new float[L][][];
        boolean java = type == DataType.FLOAT && !nd4jOps;
        boolean firstAsProduct = java && !volumetric && firstColumnsFit(image);
        INDArray h = image;
        for (int l = 0; l < L; l++) {
            convIn[l] = h;
            pre[l] = java && l == L - 1 ? pointwise(h, l) : l == 0 && firstAsProduct ? firstConv(h) : conv(h, l);
            if (java) { // the ReLU in place, in BatchNorm's first pass
                bnIn[l] = pre[l];
                if (l == L - 1 && loss == null) { // the response straight into the fused loss's buffer
                    h = null;
                    stats[l] = BatchNormKernel.forward(bnIn[l], false, gammas.get(l), betas.get(l), BN_EPS, null,
                            responseBuffer((int) bnIn[l].length()), threads);
                    continue;
                }
                h = Nd4j.createUninitialized(type, bnIn[l].shape());
                stats[l] = BatchNormKernel.forward(bnIn[l], l < L - 1, gammas.get(l), betas.get(l), BN_EPS, h, threads);
            } else {
                bnIn[l] = l < L - 1 ? Transforms.relu(pre[l], true) : pre[l];
                bn[l] = batchNorm(bnIn[l], l);
                h = bn[l][0];
            }
        }
        if (loss == null && type != DataType.FLOAT) throw new IllegalStateException("the fused loss is for float networks");
        long[] shape = pre[L - 1].shape();
        LossResult result = loss != null ? loss.apply(this, h, similarityWeight, continuityWeight)
                : h == null ? fusedLoss(shape, similarityWeight, continuityWeight) // gradient in gBuf
                : fusedLossGradient(h, similarityWeight, continuityWeight);
        INDArray g = result.gradient;
        INDArray[] grads = new INDArray[4 * L];
        for (int l = L - 1; l >= 0; l--) {
            INDArray gGamma = Nd4j.createUninitialized(type, channels), gBeta = Nd4j.createUninitialized(type, channels);
            if (java) {
                INDArray gIn = Nd4j.createUninitialized(type, bnIn[l].shape());
                BatchNormKernel.backward(bnIn[l], stats[l][0], stats[l][1], gammas.get(l), BN_EPS, g, g == null ? gBuf : null,
                        l < L - 1, gIn, gGamma, gBeta, threads);
                g = gIn; // the ReLU's gradient included
            } else {
                g = batchNormBackward(bnIn[l], bn[l][1], bn[l][2], l, g, gGamma, gBeta);
                if (l < L - 1) g.muli(pre[l].gt(0).castTo(type)); // ReLU
            }
            INDArray gW = Nd4j.createUninitialized(type, weights.get(l).shape()), gB = Nd4j.createUninitialized(type, channels);
            if (l == 0 && firstAsProduct) firstConvBackward(g, gW, gB); // the input needs no gradient
            else g = java && l == L - 1 ? pointwiseBackward(convIn[l], l, g, gW, gB) : convBackward(convIn[l], l, g, gW, gB);
            grads[4 * l] = gW;
            grads[4 * l + 1] = gB;
            grads[4 * l + 2] = gGamma;
            grads[4 * l + 3] = gBeta;
        }
        if (gradients != null) {
            for (INDArray gr : grads) gradients.add(gr.detach()); // out of the workspace, which is reused
            return result;
        }
        List<INDArray> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            INDArray v = velocity.get(i);
            v.muli(momentum).addi(grads[i]); // PyTorch SGD: v = m v + g; p -= lr v
            ps.get(i).subi(v.mul(lr));
        }
        return result;
    }

    /**
     * The loss and gradient of the reference formulation (ND4J operations, kept in the tests as
     * ReferenceLoss), in two passes of plain Java over the
     * response (about 20 ND4J element-wise operations otherwise, a quarter of an iteration): a
     * softmax / cross-entropy pass over blocks of pixels, then a continuity pass over channel
     * planes. Partial sums are added in a fixed order, so the result does not depend on threads.
     */
    LossResult fusedLossGradient(INDArray response, double simW, double conW) {
        long[] shape = response.shape();
        int len = (int) response.length();
        INDArray src = response.isView() || response.ordering() != 'c' ? response.dup('c') : response;
        src.data().asNioFloat().get(responseBuffer(len), 0, len);
        LossResult res = fusedLoss(shape, simW, conW);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        out.data().asNioFloat().put(gBuf, 0, len);
        return new LossResult(out, res.loss, res.similarity, res.continuity, res.scribble, res.labels);
    }

    /**
     * Buffers kept between iterations (60 MB each for 100 channels of 321x481): allocating them
     * anew every iteration costs page faults and garbage collections.
     */
    private float[] responseBuffer(int len) {
        if (rBuf == null || rBuf.length != len) { rBuf = new float[len]; gBuf = new float[len]; }
        return rBuf;
    }

    /** The fused loss of the response in rBuf (of this shape); its gradient goes to gBuf (the result's gradient is null). */
    private LossResult fusedLoss(long[] shape, double simW, double conW) {
        final int rank = shape.length;
        final int c = channels, d = rank == 5 ? (int) shape[2] : 1;
        final int h = (int) shape[rank - 2], w = (int) shape[rank - 1], n = d * h * w;
        final float[] r = rBuf, g = gBuf;
        checkHints(n);
        final int[] labels = new int[n];
        final int block = 2048, nBlocks = (n + block - 1) / block;
        final float ceScale = (float) (simW / n);
        final int[] hint = hints;
        double[] ce = new double[nBlocks], ceHinted = new double[nBlocks];
        io.github.unseg.cluster.Parallel.forEach(nBlocks, threads, b -> {
            int p0 = b * block, p1 = Math.min(n, p0 + block), len = p1 - p0;
            float[] max = new float[len], sum = new float[len];
            int[] arg = new int[len];
            java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
            for (int ch = 0; ch < c; ch++) {
                int o = ch * n;
                for (int i = 0; i < len; i++) {
                    float v = r[o + p0 + i];
                    if (v > max[i]) { max[i] = v; arg[i] = ch; }
                }
            }
            for (int ch = 0; ch < c; ch++) {
                int o = ch * n;
                for (int i = 0; i < len; i++) {
                    float e = exp(r[o + p0 + i] - max[i]);
                    g[o + p0 + i] = e;
                    sum[i] += e;
                }
            }
            double blockCe = 0, blockHinted = 0;
            float[] scale = sum; // reused: becomes scale / sum per pixel
            for (int i = 0; i < len; i++) {
                int p = p0 + i, t = target(p, arg[i]);
                double l = Math.log(sum[i]) - (r[t * n + p] - max[i]); // -log softmax[target]
                float sc = hint == null ? ceScale : (float) ceWeight(p, n, simW);
                if (hint != null && hint[p] >= 0) blockHinted += l; else blockCe += l;
                max[i] = sc;                 // max is no longer needed: keep the pixel's scale
                scale[i] = sc / sum[i];
            }
            ce[b] = blockCe;
            ceHinted[b] = blockHinted;
            for (int ch = 0; ch < c; ch++) {
                int o = ch * n;
                for (int i = 0; i < len; i++) g[o + p0 + i] *= scale[i];
            }
            for (int i = 0; i < len; i++) {
                g[target(p0 + i, arg[i]) * n + p0 + i] -= max[i];
                labels[p0 + i] = arg[i];
            }
        });
        final float sy = h > 1 ? (float) (conW / ((double) c * d * (h - 1) * w)) : 0f;
        final float sx = w > 1 ? (float) (conW / ((double) c * d * h * (w - 1))) : 0f;
        final float sz = d > 1 ? (float) (conW * zWeight / ((double) c * (d - 1) * h * w)) : 0f;
        final int hw = h * w;
        double[] contY = new double[c], contX = new double[c], contZ = new double[c];
        io.github.unseg.cluster.Parallel.forEach(c, threads, ch -> {
            // Row by row, each direction in its own branch-free loop (see signed; and the
            // g[q - 1] update carried a dependency from one pixel to the next). Every g element
            // gets the same additions in the same order as a pixel-by-pixel pass (up, left, z,
            // then its right neighbour's): the same gradient values (golden labels unchanged).
            int o = ch * n;
            double ay = 0, ax = 0, az = 0;
            float[] dv = new float[w], sh = new float[w + 1], dz = new float[w];
            for (int z = 0; z < d; z++) {
                for (int y = 0; y < h; y++) {
                    int row = o + z * hw + y * w;
                    if (y > 0) {
                        for (int x = 0; x < w; x++) dv[x] = r[row + x] - r[row + x - w];
                        ay += sumAbs(dv, 0, w);
                        for (int x = 0; x < w; x++) {
                            float s = signed(sy, dv[x]);
                            g[row + x] += s;
                            g[row + x - w] -= s;
                        }
                    }
                    sh[0] = 0f;
                    sh[w] = 0f;
                    for (int x = 1; x < w; x++) sh[x] = r[row + x] - r[row + x - 1];
                    ax += sumAbs(sh, 1, w);
                    for (int x = 1; x < w; x++) sh[x] = signed(sx, sh[x]);
                    if (z > 0) {
                        for (int x = 0; x < w; x++) dz[x] = r[row + x] - r[row + x - hw];
                        az += sumAbs(dz, 0, w);
                        for (int x = 0; x < w; x++) {
                            float s = signed(sz, dz[x]);
                            dz[x] = s;
                            g[row + x - hw] -= s;
                        }
                        for (int x = 0; x < w; x++) g[row + x] = ((g[row + x] + sh[x]) + dz[x]) - sh[x + 1];
                    } else {
                        for (int x = 0; x < w; x++) g[row + x] = (g[row + x] + sh[x]) - sh[x + 1];
                    }
                }
            }
            contY[ch] = ay;
            contX[ch] = ax;
            contZ[ch] = az;
        });
        double ceSum = 0, hintedSum = 0, cy = 0, cx = 0, cz = 0;
        for (double v : ce) ceSum += v;
        for (double v : ceHinted) hintedSum += v;
        for (int ch = 0; ch < c; ch++) { cy += contY[ch]; cx += contX[ch]; cz += contZ[ch]; }
        double similarity = ceSum / Math.max(1, n - (hint == null ? 0 : nHinted));
        double scribble = hint == null || nHinted == 0 ? 0 : hintedSum / nHinted;
        double continuity = (h > 1 ? cy / ((double) c * d * (h - 1) * w) : 0) + (w > 1 ? cx / ((double) c * d * h * (w - 1)) : 0)
                + (d > 1 ? zWeight * cz / ((double) c * (d - 1) * h * w) : 0);
        double total = simW * similarity + (hint == null ? 0 : scribbleWeight * scribble) + conW * continuity;
        return new LossResult(null, total, similarity, continuity, scribble, labels);
    }

    private float[] rBuf, gBuf;

    /**
     * e^x for x <= 0 in float (Cephes' expf: x = n ln 2 + r, a degree-6 polynomial in r, times
     * 2^n), within 1e-7 relative of Math.exp: the softmax's exponentials were a fifth of a C = 32
     * iteration with Math.exp, 3x fewer here.
     */
    static float exp(float x) {
        if (x < -87.33f) return 0f; // below float's smallest normal
        int n = (int) (x * 1.44269504088896341f - 0.5f); // round(x / ln 2), x <= 0
        float r = x - n * 0.693359375f + n * 2.12194440e-4f; // ln 2 in two parts
        float y = (((((1.9875691500E-4f * r + 1.3981999507E-3f) * r + 8.3334519073E-3f) * r + 4.1665795894E-2f) * r
                + 1.6666665459E-1f) * r + 5.0000001201E-1f) * (r * r) + r + 1f;
        return y * Float.intBitsToFloat((n + 127) << 23);
    }

    /**
     * s * sign(v) for s >= 0 without a branch (the signs are data: on noisy responses branches on
     * them mispredict; 2.3x faster loss there): +-s, or 0 for +-0, as v > 0 ? s : v < 0 ? -s : 0.
     */
    private static float signed(float s, float v) {
        int b = Float.floatToRawIntBits(v);
        int nonzero = ((b & 0x7fffffff) + 0x7fffffff) >> 31; // all ones unless v is +-0
        return Float.intBitsToFloat((Float.floatToRawIntBits(s) | (b & 0x80000000)) & nonzero);
    }

    /** The sum of |a[from..to)|, in four interleaved float partial sums (a fixed order: no dependency chain of one add per value). */
    private static double sumAbs(float[] a, int from, int to) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int x = from;
        for (; x + 4 <= to; x += 4) {
            s0 += Math.abs(a[x]);
            s1 += Math.abs(a[x + 1]);
            s2 += Math.abs(a[x + 2]);
            s3 += Math.abs(a[x + 3]);
        }
        for (; x < to; x++) s0 += Math.abs(a[x]);
        return (double) (s0 + s1) + (double) (s2 + s3);
    }

    private static int[] ints(long[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = (int) a[i];
        return r;
    }
}

package io.github.unseg.cnn;

import io.github.unseg.cluster.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * Training-mode BatchNorm, forward and backward, for float [N, C, spatial...] arrays in plain Java,
 * a channel per task. libnd4j's batchnorm and batchnorm_bp (with the mean and variance reductions
 * around them) took 45 % of a C = 32 training iteration on a 321 x 481 image, about 230 of 500 ms;
 * these passes, bound by memory bandwidth, about 70. Each channel's sums are added in a fixed
 * order in double, so the results do not depend on the thread count.
 */
final class BatchNormKernel {
    private BatchNormKernel() { }

    private static final ThreadLocal<float[][]> BUFFERS = new ThreadLocal<>();

    /** Two planes of at least {@code len} floats for this thread, kept between calls. */
    private static float[][] buffers(int len) {
        float[][] b = BUFFERS.get();
        if (b == null || b[0].length < len) {
            b = new float[][]{new float[len], new float[len]};
            BUFFERS.set(b);
        }
        return b;
    }

    private static void check(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.isView() || a.ordering() != 'c')
            throw new IllegalArgumentException("BatchNormKernel takes whole float arrays in C order");
    }

    private static FloatBuffer floats(INDArray a) {
        check(a);
        return a.data().asNioFloat();
    }

    private static void read(FloatBuffer b, int offset, float[] dst, int len) {
        FloatBuffer d = b.duplicate();
        d.position(offset);
        d.get(dst, 0, len);
    }

    private static void write(FloatBuffer b, int offset, float[] src, int len) {
        FloatBuffer d = b.duplicate();
        d.position(offset);
        d.put(src, 0, len);
    }

    // Sums in four independent chains: one chain waits on each addition's latency, 4x slower.
    private static double sum(float[] a, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) { s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3]; }
        for (; i < len; i++) s0 += a[i];
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumSquares(float[] a, int len, double m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            double d0 = a[i] - m, d1 = a[i + 1] - m, d2 = a[i + 2] - m, d3 = a[i + 3] - m;
            s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
        }
        for (; i < len; i++) { double d = a[i] - m; s0 += d * d; }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum of g (x - m). */
    private static double sumProducts(float[] g, float[] x, int len, double m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            s0 += g[i] * (x[i] - m); s1 += g[i + 1] * (x[i + 1] - m);
            s2 += g[i + 2] * (x[i + 2] - m); s3 += g[i + 3] * (x[i + 3] - m);
        }
        for (; i < len; i++) s0 += g[i] * (x[i] - m);
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * out = gamma (x - mean) / sqrt(var + eps) + beta, with each channel's mean and biased variance
     * over N and the spatial axes; returns {mean, var}. relu: x is first replaced by max(0, x), in
     * place (a ReLU's output, kept for the backward pass), in the same pass as the sums.
     */
    static float[][] forward(INDArray x, boolean relu, INDArray gamma, INDArray beta, double eps, INDArray out, int threads) {
        return forward(x, relu, gamma, beta, eps, out, null, threads);
    }

    /** As above, into outArray (same layout) when it is given: the loss reads plain arrays. */
    static float[][] forward(INDArray x, boolean relu, INDArray gamma, INDArray beta, double eps, INDArray out, float[] outArray,
                             int threads) {
        final int n = (int) x.size(0), c = (int) x.size(1), inner = (int) (x.length() / ((long) n * c));
        final FloatBuffer xb = floats(x), ob = outArray == null ? floats(out) : null;
        final float[] g = gamma.toFloatVector(), be = beta.toFloatVector();
        final float[] mean = new float[c], var = new float[c];
        final double count = (double) n * inner;
        Parallel.forEach(c, threads, ch -> {
            float[] buf = buffers(inner)[0];
            double s = 0;
            for (int b = 0; b < n; b++) {
                read(xb, (b * c + ch) * inner, buf, inner);
                if (relu) {
                    for (int i = 0; i < inner; i++) buf[i] = Math.max(0f, buf[i]);
                    write(xb, (b * c + ch) * inner, buf, inner);
                }
                s += sum(buf, inner);
            }
            double m = s / count, ss = 0;
            for (int b = 0; b < n; b++) {
                if (n > 1) read(xb, (b * c + ch) * inner, buf, inner);
                ss += sumSquares(buf, inner, m);
            }
            double v = ss / count, a = g[ch] / Math.sqrt(v + eps);
            float fa = (float) a, fb = (float) (be[ch] - m * a);
            for (int b = 0; b < n; b++) {
                if (n > 1) read(xb, (b * c + ch) * inner, buf, inner);
                if (outArray != null) {
                    int off = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) outArray[off + i] = buf[i] * fa + fb;
                    continue;
                }
                for (int i = 0; i < inner; i++) buf[i] = buf[i] * fa + fb;
                write(ob, (b * c + ch) * inner, buf, inner);
            }
            mean[ch] = (float) m;
            var[ch] = (float) v;
        });
        return new float[][]{mean, var};
    }

    /**
     * The gradient of {@link #forward} (batch statistics, so through the mean and variance too):
     * gradIn = gamma / sqrt(var + eps) (gradOut - mean(gradOut) - xhat mean(gradOut xhat)), with
     * xhat = (x - mean) / sqrt(var + eps); gradGamma = sum(gradOut xhat), gradBeta = sum(gradOut).
     * reluMask: x is a ReLU's output, and gradIn is taken on to the ReLU's input (0 where x is 0).
     * gradOut is read from gradOutArray (same layout) when that is given (the loss's own array).
     */
    static void backward(INDArray x, float[] mean, float[] var, INDArray gamma, double eps, INDArray gradOut, float[] gradOutArray,
                         boolean reluMask, INDArray gradIn, INDArray gradGamma, INDArray gradBeta, int threads) {
        final int n = (int) x.size(0), c = (int) x.size(1), inner = (int) (x.length() / ((long) n * c));
        final FloatBuffer xb = floats(x), gb = gradOutArray == null ? floats(gradOut) : null, ib = floats(gradIn);
        final float[] gam = gamma.toFloatVector(), dGamma = new float[c], dBeta = new float[c];
        final double count = (double) n * inner;
        Parallel.forEach(c, threads, ch -> {
            float[][] bufs = buffers(inner);
            float[] xs = bufs[0], gs = bufs[1];
            double m = mean[ch], inv = 1 / Math.sqrt(var[ch] + eps), sg = 0, sgx = 0;
            for (int b = 0; b < n; b++) {
                int off = (b * c + ch) * inner;
                read(xb, off, xs, inner);
                if (gb != null) read(gb, off, gs, inner); else System.arraycopy(gradOutArray, off, gs, 0, inner);
                sg += sum(gs, inner);
                sgx += sumProducts(gs, xs, inner, m);
            }
            sgx *= inv; // sum(gradOut xhat)
            float k = (float) (gam[ch] * inv), mg = (float) (sg / count), fm = (float) m;
            float kx = (float) (sgx / count * inv); // xhat mean(gradOut xhat) = (x - mean) kx
            for (int b = 0; b < n; b++) {
                int off = (b * c + ch) * inner;
                if (n > 1) {
                    read(xb, off, xs, inner);
                    if (gb != null) read(gb, off, gs, inner); else System.arraycopy(gradOutArray, off, gs, 0, inner);
                }
                if (reluMask) {
                    for (int i = 0; i < inner; i++) {
                        float d = k * (gs[i] - mg - (xs[i] - fm) * kx);
                        gs[i] = xs[i] > 0 ? d : 0f;
                    }
                } else {
                    for (int i = 0; i < inner; i++) gs[i] = k * (gs[i] - mg - (xs[i] - fm) * kx);
                }
                write(ib, off, gs, inner);
            }
            dGamma[ch] = (float) sgx;
            dBeta[ch] = (float) sg;
        });
        floats(gradGamma).put(dGamma, 0, c);
        floats(gradBeta).put(dBeta, 0, c);
    }
}

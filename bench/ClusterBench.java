// UnSeg K-means / GMM timing on one image's pixels; writes those pixels for scikit-learn to use.
// Run through bench/cluster_bench.sh (java -cp <unseg + deps> bench/ClusterBench.java IMAGE OUTDIR).
import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.cluster.GaussianMixture;
import io.github.unseg.cluster.KMeans;
import io.github.unseg.core.FeatureScaler;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Normalization;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.ij.ImagePlusViews;

import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public class ClusterBench {
    public static void main(String[] args) throws Exception {
        String image = args[0];
        Path outDir = Path.of(args[1]);
        int kmK = Integer.parseInt(System.getenv().getOrDefault("KM_K", "8"));
        int kmInit = Integer.parseInt(System.getenv().getOrDefault("KM_NINIT", "3"));
        int gmK = Integer.parseInt(System.getenv().getOrDefault("GMM_K", "5"));
        int repeats = Integer.parseInt(System.getenv().getOrDefault("REPEATS", "3"));
        Files.createDirectories(outDir);
        ImagePlus imp = IJ.openImage(image);
        Image5D img = ImagePlusViews.wrap(imp);
        RawPixels raw = RawPixels.of(img);
        FeatureScaler sc = FeatureScaler.fit(Normalization.MINMAX, List.of(raw));
        FeatureMatrix m = new FeatureSpec(sc, 0, 2, NanPolicy.MASK).build(img, raw);
        writeNpy(outDir.resolve("pixels.npy"), m.x, m.rows, m.dims);
        System.err.printf(Locale.ROOT, "%s: %d pixels x %d features%n", image, m.rows, m.dims);

        // Warm-up on a small slice of the data so the JIT has compiled the loops (not timed).
        int warm = Math.min(m.rows, 200_000);
        kmeans(kmK, 1).fit(Arrays.copyOf(m.x, warm * m.dims), warm, m.dims, Progress.NONE);
        gmm(gmK).fit(Arrays.copyOf(m.x, warm * m.dims), warm, m.dims, Progress.NONE);

        // One fit per seed 0..repeats-1: the time is the median, the inertia is compared as the
        // mean and the best over seeds (one seed against one seed is a coin toss between optima).
        double[] kt = new double[repeats];
        double inertiaSum = 0, inertiaMin = Double.POSITIVE_INFINITY;
        int iters = 0;
        for (int r = 0; r < repeats; r++) {
            KMeans km = kmeans(kmK, kmInit);
            km.seed = r;
            long t0 = System.nanoTime();
            KMeans.Result kr = km.fit(m.x, m.rows, m.dims, Progress.NONE);
            kt[r] = (System.nanoTime() - t0) / 1e9;
            inertiaSum += kr.inertia;
            inertiaMin = Math.min(inertiaMin, kr.inertia);
            iters += kr.iterations;
        }
        Arrays.sort(kt);
        long t0 = System.nanoTime();
        GaussianMixture.Result gr = gmm(gmK).fit(m.x, m.rows, m.dims, Progress.NONE);
        double gt = (System.nanoTime() - t0) / 1e9;
        String json = String.format(Locale.ROOT,
                "{\"pixels\": %d, \"dims\": %d, \"threads\": %d,%n"
                + " \"kmeans\": {\"k\": %d, \"n_init\": %d, \"seeds\": %d, \"fit_s\": %.4f, \"inertia_mean\": %.10g, \"inertia_min\": %.10g, \"n_iter_mean\": %.1f},%n"
                + " \"gmm\": {\"k\": %d, \"fit_s\": %.4f, \"mean_loglik\": %.10g, \"n_iter\": %d, \"converged\": %s}}%n",
                m.rows, m.dims, Runtime.getRuntime().availableProcessors(),
                kmK, kmInit, repeats, kt[repeats / 2], inertiaSum / repeats, inertiaMin, (double) iters / repeats,
                gmK, gt, gr.meanLogLikelihood, gr.iterations, gr.converged);
        Files.writeString(outDir.resolve("unseg.json"), json);
        System.out.print(json);
    }

    static KMeans kmeans(int k, int nInit) {
        KMeans km = new KMeans();
        km.nClusters = k;
        km.nInit = nInit;
        km.maxIterations = 300;
        km.tolerance = 1e-4;
        km.seed = 0;
        return km;
    }

    static GaussianMixture gmm(int k) {
        GaussianMixture g = new GaussianMixture();
        g.nComponents = k;
        g.covarianceType = CovarianceType.FULL;
        g.maxIterations = 100;
        g.tolerance = 1e-3;
        g.regularization = 1e-6;
        g.seed = 0;
        return g;
    }

    /** float32 .npy (version 1.0), so scikit-learn clusters exactly these numbers. */
    static void writeNpy(Path p, float[] x, int rows, int cols) throws Exception {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        for (int i = 0; i < pad; i++) h.append(' ');
        h.append('\n');
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(p.toFile()), 1 << 20))) {
            out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(h.length() & 0xff);
            out.write(h.length() >> 8);
            out.writeBytes(h.toString());
            ByteBuffer bb = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(x, 0, rows * cols);
            out.write(bb.array());
        }
    }
}

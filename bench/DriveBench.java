// DRIVE retinal vessels (../shared/data/medical/drive/training, 20 images; skipped when absent):
// UnSeg's methods at one setting for all images vs ImageJ's Otsu and Li thresholds, vessels =
// the darkest cluster (labels are numbered darkest first), scored inside the field of view.
// Run through bench/drive.sh. Env: DATA, METHODS (';'-separated "name: unseg segment options"),
// GRID=1 (the rows are a grid of K-means settings instead, with a two-fold cross-validation:
// each half of the images labelled at the grid's best setting on the other half).
// Protocol, the same for every row: the green channel (as a Fiji user splits it), the pixels
// outside the field of view filled outward from its rim by the mean of their filled neighbours
// (Soares et al. 2006), so that no filter sees the black surround as a dark vessel.
import ij.IJ;
import ij.ImagePlus;
import ij.plugin.filter.GaussianBlur;
import ij.process.AutoThresholder;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.unseg.cli.Main;
import io.github.unseg.ij.LabelArrays;
import io.github.unseg.ij.SegmentJob;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class DriveBench {
    static final String[] FIGS = {"Dice", "accuracy", "sensitivity", "specificity"};

    public static void main(String[] args) {
        // exit in every case: a thread pool left by ImageJ's filters would keep the JVM waiting
        // (also after an error, e.g. an option a method does not take)
        int rc = 0;
        try {
            run();
        } catch (Exception e) {
            System.err.println("drive bench: " + e.getMessage());
            rc = 1;
        }
        System.exit(rc);
    }

    static void run() throws Exception {
        File dir = new File(System.getenv().getOrDefault("DATA", "../shared/data"), "medical/drive/training");
        if (!dir.isDirectory()) { System.out.println("DRIVE: " + dir + " absent, skipped"); return; }
        boolean grid = "1".equals(System.getenv("GRID"));
        String[] runs = grid ? grid() : System.getenv().getOrDefault("METHODS",
                "K-means k2, divide 8, smoothing 0.5, line 3.5: --method kmeans --n-clusters 2 --background divide --background-sigma 8"
                        + " --smoothing 0.5 --filters line --sigmas 3.5;"
                        + " K-means k2, divide 8, smoothing 0.5: --method kmeans --n-clusters 2 --background divide --background-sigma 8 --smoothing 0.5;"
                        + " K-means k2, divide 8, smoothing 1: --method kmeans --n-clusters 2 --background divide --background-sigma 8 --smoothing 1;"
                        + " K-means k2, divide 8, smoothing 1, hessian 1,2: --method kmeans --n-clusters 2 --background divide"
                        + " --background-sigma 8 --smoothing 1 --filters hessian --sigmas 1,2;"
                        + " K-means k2, divide 25: --method kmeans --n-clusters 2 --background divide --background-sigma 25;"
                        + " GMM k2, divide 25: --method gmm --n-clusters 2 --background divide --background-sigma 25;"
                        + " GMM k3, divide 25, hessian 1,2,4: --method gmm --n-clusters 3 --background divide --background-sigma 25"
                        + " --filters hessian --sigmas 1,2,4").split(";");
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, Map<Integer, double[]>> perImage = new LinkedHashMap<>();   // row -> image id -> figures
        int n = 0;
        for (int id = 21; id <= 40; id++) {
            File imgFile = new File(dir, "images/" + id + "_training.tif");
            if (!imgFile.isFile()) continue;
            ImagePlus rgb = IJ.openImage(imgFile.getPath());
            ImageProcessor fovIp = IJ.openImage(new File(dir, "fov_mask/" + id + "_training_mask.png").getPath()).getProcessor();
            ImageProcessor gtIp = IJ.openImage(new File(dir, "vessels_manual1/" + id + "_manual1.png").getPath()).getProcessor();
            int w = rgb.getWidth(), h = rgb.getHeight();
            boolean[] fov = new boolean[w * h], vessel = new boolean[w * h];
            for (int i = 0; i < w * h; i++) { fov[i] = fovIp.get(i) > 127; vessel[i] = gtIp.get(i) > 127; }
            FloatProcessor green = ((ColorProcessor) rgb.getProcessor()).getChannel(2, null).convertToFloatProcessor();
            fillOutside(green, fov);
            ImagePlus img = new ImagePlus(id + "_green", green);
            String save = System.getenv("SAVE");   // a folder: keep each run's inputs and labels to look at
            if (save != null) IJ.saveAsTiff(img, save + "/" + id + "_green.tif");
            for (String run : runs) {
                String[] nv = run.split(":", 2);
                long t0 = System.nanoTime();
                SegmentJob job = Main.segmentJob(nv[1].trim().split("\\s+"));
                job.run(img);
                double sec = (System.nanoTime() - t0) / 1e9;
                int[] lab = LabelArrays.of(job.labels, "labels");
                if (save != null) IJ.saveAsTiff(job.labels, save + "/" + id + "_" + nv[0].trim().replaceAll("\\W+", "_") + ".tif");
                boolean[] pred = new boolean[w * h];
                // the darkest cluster, or with --objects (--foreground darkest) every object
                boolean objects = job.objects;
                for (int i = 0; i < pred.length; i++) pred[i] = objects ? lab[i] > 0 : lab[i] == 1;
                double[] figs = score(pred, vessel, fov);
                add(acc, nv[0].trim(), figs, sec);
                perImage.computeIfAbsent(nv[0].trim(), q -> new LinkedHashMap<>()).put(id, figs);
            }
            // ImageJ's thresholds, vessels below: on the green channel and on it divided by its Gaussian(25) blur
            FloatProcessor flat = (FloatProcessor) green.duplicate();
            FloatProcessor bg = (FloatProcessor) green.duplicate();
            new GaussianBlur().blurGaussian(bg, 25, 25, 0.002);
            for (int i = 0; i < w * h; i++) flat.setf(i, green.getf(i) / Math.max(bg.getf(i), 1e-6f));
            if (grid) { n++; System.err.println(id + " done"); continue; }   // the grid is UnSeg's rows only
            for (String th : new String[]{"Otsu", "Li"}) {
                add(acc, th + " on green", score(below(green, fov, th), vessel, fov), 0);
                add(acc, th + " on green / Gaussian(25)", score(below(flat, fov, th), vessel, fov), 0);
            }
            n++;
            System.err.println(id + " done");
        }
        System.out.println("DRIVE training set, " + n + " images, scored inside the field of view; vessels = the darkest cluster"
                + " (UnSeg) or below the threshold (ImageJ's AutoThresholder on the FOV's 8-bit histogram).");
        System.out.println();
        System.out.println("| method | " + String.join(" | ", FIGS) + " | s/image |");
        System.out.println("|---|" + "---|".repeat(FIGS.length + 1));
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            StringBuilder sb = new StringBuilder("| " + e.getKey() + " |");
            for (double v : e.getValue()) sb.append(String.format(Locale.ROOT, " %.3f |", v / n));
            System.out.println(sb);
        }
        if (grid) crossValidate(perImage);
    }

    /** K-means k2 with the shading correction, smoothing and line filter over the ranges an earlier sweep tried. */
    static String[] grid() {
        List<String> rows = new ArrayList<>();
        for (int bg : new int[]{6, 8, 12, 25}) {
            for (String sm : new String[]{"0", "0.5", "1"}) {
                for (String line : new String[]{"", "2.5", "3.5", "5"}) {
                    rows.add("K-means k2, divide " + bg + ", smoothing " + sm + (line.isEmpty() ? "" : ", line " + line)
                            + ": --method kmeans --n-clusters 2 --background divide --background-sigma " + bg + " --smoothing " + sm
                            + (line.isEmpty() ? "" : " --filters line --sigmas " + line));
                }
            }
        }
        return rows.toArray(new String[0]);
    }

    /**
     * Two folds (images 21-30, 31-40): each is labelled at the row with the best mean Dice on the
     * other, so that the figure is one no image it is measured on helped to choose.
     */
    static void crossValidate(Map<String, Map<Integer, double[]>> perImage) {
        int[][] folds = {{21, 30}, {31, 40}};
        double[] sum = new double[FIGS.length];
        int count = 0;
        System.out.println();
        for (int f = 0; f < 2; f++) {
            int[] test = folds[f], train = folds[1 - f];
            String best = null;
            double bestDice = -1;
            for (Map.Entry<String, Map<Integer, double[]>> e : perImage.entrySet()) {
                double d = mean(e.getValue(), train)[0];
                if (d > bestDice) { bestDice = d; best = e.getKey(); }
            }
            double[] held = mean(perImage.get(best), test);
            int k = (int) perImage.get(best).keySet().stream().filter(id -> id >= test[0] && id <= test[1]).count();
            for (int i = 0; i < FIGS.length; i++) sum[i] += held[i] * k;
            count += k;
            System.out.printf(Locale.ROOT, "images %d-%d held out: chosen on %d-%d (Dice %.3f there): %s; on the held-out images Dice %.3f, accuracy %.3f, sensitivity %.3f, specificity %.3f%n",
                    test[0], test[1], train[0], train[1], bestDice, best, held[0], held[1], held[2], held[3]);
        }
        System.out.printf(Locale.ROOT, "cross-validated, all %d images: Dice %.3f, accuracy %.3f, sensitivity %.3f, specificity %.3f%n",
                count, sum[0] / count, sum[1] / count, sum[2] / count, sum[3] / count);
    }

    static double[] mean(Map<Integer, double[]> byId, int[] range) {
        double[] m = new double[FIGS.length];
        int k = 0;
        for (Map.Entry<Integer, double[]> e : byId.entrySet()) {
            if (e.getKey() < range[0] || e.getKey() > range[1]) continue;
            for (int i = 0; i < FIGS.length; i++) m[i] += e.getValue()[i];
            k++;
        }
        for (int i = 0; i < FIGS.length; i++) m[i] /= Math.max(1, k);
        return m;
    }

    /**
     * Fill outside the field of view (eroded by 3 px: its rim is dark) with a normalised
     * convolution of the inside, Gaussian(10), then Gaussian(40) where that did not reach: a smooth
     * continuation of the fundus, with no edge for a filter to answer.
     */
    static void fillOutside(FloatProcessor ip, boolean[] fovMask) {
        int w = ip.getWidth(), h = ip.getHeight();
        ByteProcessor m = new ByteProcessor(w, h);
        for (int i = 0; i < fovMask.length; i++) if (fovMask[i]) m.set(i, 255);
        for (int r = 0; r < 3; r++) m.erode(1, 0);   // binary erosion: a pixel with any outside neighbour goes
        boolean[] known = new boolean[w * h];
        for (int i = 0; i < known.length; i++) known[i] = m.get(i) == 255;
        for (double sigma : new double[]{10, 40}) {
            FloatProcessor num = new FloatProcessor(w, h), den = new FloatProcessor(w, h);
            for (int i = 0; i < known.length; i++) if (known[i]) { num.setf(i, ip.getf(i)); den.setf(i, 1); }
            GaussianBlur gb = new GaussianBlur();
            gb.blurGaussian(num, sigma, sigma, 1e-4);
            gb.blurGaussian(den, sigma, sigma, 1e-4);
            boolean[] next = known.clone();
            for (int i = 0; i < known.length; i++) {
                if (known[i] || den.getf(i) < 1e-3) continue;
                ip.setf(i, num.getf(i) / den.getf(i));
                next[i] = true;
            }
            known = next;
        }
    }

    static boolean[] below(FloatProcessor ip, boolean[] fov, String method) {
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (int i = 0; i < fov.length; i++) if (fov[i]) { lo = Math.min(lo, ip.getf(i)); hi = Math.max(hi, ip.getf(i)); }
        int[] hist = new int[256];
        for (int i = 0; i < fov.length; i++) if (fov[i]) hist[bin(ip.getf(i), lo, hi)]++;
        int th = new AutoThresholder().getThreshold(AutoThresholder.Method.valueOf(method), hist);
        boolean[] out = new boolean[fov.length];
        for (int i = 0; i < fov.length; i++) out[i] = bin(ip.getf(i), lo, hi) <= th;
        return out;
    }

    static int bin(float v, float lo, float hi) { return Math.max(0, Math.min(255, (int) ((v - lo) / (hi - lo) * 255))); }

    static double[] score(boolean[] pred, boolean[] truth, boolean[] fov) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < fov.length; i++) {
            if (!fov[i]) continue;
            if (pred[i] && truth[i]) tp++; else if (pred[i]) fp++; else if (truth[i]) fn++; else tn++;
        }
        return new double[]{2.0 * tp / (2 * tp + fp + fn), (double) (tp + tn) / (tp + tn + fp + fn),
                (double) tp / (tp + fn), (double) tn / (tn + fp)};
    }

    static void add(Map<String, double[]> acc, String name, double[] figs, double sec) {
        double[] a = acc.computeIfAbsent(name, q -> new double[FIGS.length + 1]);
        for (int i = 0; i < figs.length; i++) a[i] += figs[i];
        a[FIGS.length] += sec;
    }
}

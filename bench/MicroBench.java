// Microscopy objects: UnSeg's methods with object labels (foreground rule, fill holes, watershed,
// minimum size) against ImageJ's Otsu, Li and Triangle thresholds given the same post-processing,
// on ../shared/data/micro (skips what is absent). Run through bench/micro.sh.
// Env: DATA, METHODS (UnSeg runs, ';'-separated, each "name: unseg segment options"),
//      OBJECTS (options for the objects, applied to every row), MIN_SIZE (20: evaluation).
import ij.IJ;
import ij.ImagePlus;
import ij.process.AutoThresholder;
import ij.process.ImageProcessor;
import io.github.unseg.cli.Main;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.ij.LabelArrays;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.label.Instances;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class MicroBench {
    static final String[] FIGS = {"foregroundIoU", "f1@0.50", "f1_mean", "precision@0.50", "recall@0.50"};

    public static void main(String[] args) throws Exception {
        File data = new File(System.getenv().getOrDefault("DATA", "../shared/data"));
        File manifest = new File(data, "micro/manifest.csv");
        if (!manifest.isFile()) { System.out.println("microscopy: " + manifest + " absent, skipped"); return; }
        String objects = System.getenv().getOrDefault("OBJECTS", "--objects --seed-distance 7 --min-object-size 20");
        String[] runs = System.getenv().getOrDefault("METHODS",
                "K-means k2: --method kmeans --n-clusters 2; GMM k2: --method gmm --n-clusters 2").split(";");
        int minSize = Integer.parseInt(System.getenv().getOrDefault("MIN_SIZE", "20"));
        String only = System.getenv().getOrDefault("SETS", "");
        List<String> names = new ArrayList<>();
        for (String r : runs) names.add(r.split(":", 2)[0].trim());
        for (String t : new String[]{"Otsu", "Li", "Triangle"}) names.add(t + " + same objects");
        names.add("Li, no objects");
        // set -> row name -> sums of FIGS, then seconds
        Map<String, Map<String, double[]>> acc = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(manifest.toPath())) {
            if (line.startsWith("set,")) continue;
            String[] r = line.split(",");
            String set = r[0];
            if (!only.isEmpty() && !java.util.Arrays.asList(only.split(",")).contains(set)) continue;
            ImagePlus img = IJ.openImage(new File(data, "micro/" + r[1]).getPath());
            // UnSeg's rows get a colour image as a user would give it (H&E); the thresholds, and a
            // grey image stored as RGB, get the grey values
            ImagePlus input = img;
            if (img.getType() == ImagePlus.COLOR_RGB) {
                img = new ImagePlus(img.getTitle(), img.getProcessor().convertToFloat());
                if (!isGrey(input)) System.err.println(r[1] + ": colour, UnSeg's rows get RGB");
                else input = img;
            }
            ImagePlus truth = IJ.openImage(instanceMap(data, set, r[2]).getPath());
            int[] t = LabelArrays.of(truth, "truth");
            int[] dims = LabelArrays.dims(truth);
            EvalOptions o = new EvalOptions();
            o.ignorePredLabel = 0;
            o.ignoreTruthLabel = 0;
            o.minSize = minSize;
            o.thresholds = EvalOptions.parseThresholds("0.5:0.05:0.95");
            current = r[1];
            Map<String, double[]> rows = acc.computeIfAbsent(set, q -> new LinkedHashMap<>());
            counts.merge(set, 1, Integer::sum);
            Instances post = null;
            for (String run : runs) {
                String[] nv = run.split(":", 2);
                long t0 = System.nanoTime();
                SegmentJob job = Main.segmentJob((nv[1] + " " + objects).trim().split("\\s+"));
                job.run(input);
                double sec = (System.nanoTime() - t0) / 1e9;
                if (post == null) post = job.instances;
                add(rows, nv[0].trim(), Evaluation.evaluate(LabelArrays.of(job.labels, "objects"), List.of(t), dims, o), sec);
            }
            for (String th : new String[]{"Otsu", "Li", "Triangle"}) {
                long t0 = System.nanoTime();
                int[] lab = threshold(img, th);
                // the same post-processing, edge refinement included (it follows the image's intensity)
                int[] ids = post.apply(lab, SegmentJob.intensity(input, 0, 0, 1, null), dims[0], dims[1], 1, 2);
                double sec = (System.nanoTime() - t0) / 1e9;
                add(rows, th + " + same objects", Evaluation.evaluate(ids, List.of(t), dims, o), sec);
                if (th.equals("Li")) {
                    Instances plain = new Instances();
                    plain.foreground = post.foreground;   // dark objects (H&E) too
                    plain.brightBackground = post.brightBackground;
                    plain.fillHoles = false;
                    plain.seedDistance = 0;
                    plain.minObjectSize = 1;
                    add(rows, "Li, no objects", Evaluation.evaluate(plain.apply(lab, dims[0], dims[1], 1, 2), List.of(t), dims, o), 0);
                }
            }
            System.err.println(set + " " + r[1] + " done");
        }
        System.out.println("Objects: " + objects + "; evaluation: objects under " + minSize + " px dropped, background 0 ignored on"
                + " both sides; f1_mean over IoU 0.50:0.05:0.95. Thresholds: ImageJ's AutoThresholder on the 8-bit image,"
                + " then the same object post-processing as UnSeg's rows.");
        System.out.println();
        StringBuilder head = new StringBuilder("| set | images | method |");
        for (String f : FIGS) head.append(' ').append(f).append(" |");
        head.append(" s/image |");
        System.out.println(head);
        System.out.println("|---|---|---|" + "---|".repeat(FIGS.length + 1));
        for (Map.Entry<String, Map<String, double[]>> e : acc.entrySet()) {
            int n = counts.get(e.getKey());
            for (Map.Entry<String, double[]> row : e.getValue().entrySet()) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %s |", e.getKey(), n, row.getKey()));
                double[] a = row.getValue();
                for (int i = 0; i <= FIGS.length; i++) sb.append(String.format(Locale.ROOT, " %.3f |", a[i] / n));
                System.out.println(sb);
            }
        }
    }

    static final boolean VERBOSE = !System.getenv().getOrDefault("VERBOSE", "").isEmpty();
    static String current = "";

    static void add(Map<String, double[]> rows, String name, Evaluation e, double sec) {
        if (VERBOSE) System.err.printf(Locale.ROOT, "%s | %s | fg IoU %.4f | F1@0.5 %.4f%n", current, name, e.get(FIGS[0]), e.get(FIGS[1]));
        double[] a = rows.computeIfAbsent(name, q -> new double[FIGS.length + 1]);
        for (int i = 0; i < FIGS.length; i++) a[i] += e.get(FIGS[i]);
        a[FIGS.length] += sec;
    }

    /** 1 below or at the threshold, 2 above (the cluster labels' convention: 2 = the brighter). */
    static int[] threshold(ImagePlus img, String method) {
        ImageProcessor ip = img.getProcessor();
        ImageProcessor b = ip.getBitDepth() == 8 ? ip : ip.convertToByte(true);
        int th = new AutoThresholder().getThreshold(AutoThresholder.Method.valueOf(method), b.getHistogram());
        int[] out = new int[b.getPixelCount()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i) > th ? 2 : 1;
        return out;
    }

    /** Whether an RGB image's three channels are equal everywhere. */
    static boolean isGrey(ImagePlus rgb) {
        int[] px = (int[]) rgb.getProcessor().getPixels();
        for (int v : px) if (((v >> 16) & 255) != ((v >> 8) & 255) || ((v >> 8) & 255) != (v & 255)) return false;
        return true;
    }

    /** The instance-label file of a manifest row (binary masks have a labels_cc twin). */
    static File instanceMap(File data, String set, String label) {
        File f = new File(data, "micro/" + label);
        if (label.contains("masks_binary/")) {
            File cc = new File(data, "micro/" + label.replace("masks_binary/", "labels_cc/"));
            if (cc.isFile()) return cc;
        }
        if (set.equals("bbbc039_example")) {
            File cc = new File(f.getParentFile(), "label_cc.png");
            if (cc.isFile()) return cc;
        }
        return f;
    }
}

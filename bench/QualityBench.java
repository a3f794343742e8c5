// Segmentation quality of every UnSeg method on ../shared/data: BSDS300 (Kanezaki's protocol) and
// the microscopy sets (foreground IoU and instance F1@0.5, against ImageJ's Otsu threshold).
// Run through bench/quality.sh; env: DATA (../shared/data), LIMIT (BSDS images, 0 = all 300),
// K (4), COORD (0: coordinate weight), MICRO (1: run the microscopy sets).
import ij.IJ;
import ij.ImagePlus;
import ij.process.AutoThresholder;
import ij.process.ImageProcessor;
import io.github.unseg.core.Progress;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.ij.LabelArrays;
import io.github.unseg.methods.Method;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Settings;
import io.github.unseg.segment.Segmenter;
import io.github.unseg.methods.Methods;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class QualityBench {
    static final String[] REF_IDS = {"25098", "3096", "35058", "22090", "23025"};
    /** METHODS=gmm,kmeans,gmm-kmeans,cnn,cnn-kmeans (default: the clustering methods). */
    static final String[] METHODS = methods();
    /** VERBOSE=1: a line per image and method (labels, regions, PRI, VoI, covering). */
    static final boolean VERBOSE = "1".equals(System.getenv("VERBOSE"));

    /** METHODS, plus felzenszwalb-SCALE for each scale folder FELZ (bench/felzenszwalb.py's output) holds. */
    static String[] methods() {
        List<String> m = new ArrayList<>(List.of(System.getenv().getOrDefault("METHODS", "gmm,kmeans,gmm-kmeans").split(",")));
        String felz = System.getenv("FELZ");
        if (felz != null) {
            File[] dirs = new File(felz).listFiles(File::isDirectory);
            if (dirs != null) {
                java.util.Arrays.sort(dirs, java.util.Comparator.comparingInt(f -> Integer.parseInt(f.getName())));
                for (File d : dirs) m.add("felzenszwalb-" + d.getName());
            }
        }
        return m.toArray(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        File data = new File(System.getenv().getOrDefault("DATA", "../shared/data"));
        int limit = Integer.parseInt(System.getenv().getOrDefault("LIMIT", "0"));
        int k = Integer.parseInt(System.getenv().getOrDefault("K", "4"));
        double coord = Double.parseDouble(System.getenv().getOrDefault("COORD", "0"));
        File bsds = new File(data, "bsds/manifest.csv");
        if ("0".equals(System.getenv().getOrDefault("BSDS", "1"))) System.out.println("BSDS: skipped (BSDS=0)");
        else if (bsds.isFile()) bsds(data, limit, k, coord);
        else System.out.println("BSDS: " + bsds + " absent, skipped");
        if (!"0".equals(System.getenv().getOrDefault("MICRO", "1"))) {
            File micro = new File(data, "micro/manifest.csv");
            if (micro.isFile()) micro(data);
            else System.out.println("microscopy: " + micro + " absent, skipped");
        }
    }

    /**
     * The method's segmenter from the option table, as `unseg segment` would make it: --n-clusters
     * and --coordinate-weight from the sweep, then UNSEG_OPTS (any command-line options, e.g.
     * "--continuity-weight 5"); the older variables SMOOTH, CNN_C, CNN_ITERS, CNN_MIN_LABELS,
     * CNN_CON and CNN_TP still work and mean --smoothing, --n-channels, --max-iterations,
     * --min-labels, --continuity-weight and --training-pixels.
     */
    static Segmenter segmenter(String m, int k, double coord) {
        if (m.contains("@")) { // "gmm@5": that method with 5 clusters
            k = Integer.parseInt(m.substring(m.indexOf('@') + 1));
            m = m.substring(0, m.indexOf('@'));
        }
        Method method = Methods.get(m);
        Settings set = new Settings(FrontEnd.CLI, method.options);
        if (method.takes(io.github.unseg.options.Options.N_CLUSTERS)) set.put("n-clusters", Integer.toString(k));
        if (method.takes(io.github.unseg.options.Options.COORDINATE_WEIGHT)) set.put("coordinate-weight", Double.toString(coord));
        String[][] legacy = {{"SMOOTH", "smoothing"}, {"CNN_C", "n-channels"}, {"CNN_ITERS", "max-iterations"},
                {"CNN_MIN_LABELS", "min-labels"}, {"CNN_CON", "continuity-weight"}, {"CNN_TP", "training-pixels"}};
        for (String[] l : legacy) {
            String v = System.getenv(l[0]);
            if (v != null && set.option(l[1]) != null) set.put(l[1], v);
        }
        String[] opts = System.getenv().getOrDefault("UNSEG_OPTS", "").trim().split("\\s+");
        for (int i = 0; i < opts.length; i++) {
            if (opts[i].isEmpty()) continue;
            String key = opts[i].replaceFirst("^--", "");
            io.github.unseg.options.Option o = set.option(key);
            boolean flag = o != null && o.kind == io.github.unseg.options.Option.Kind.BOOLEAN;
            String v = flag ? "true" : opts[++i];
            if (o != null) set.put(key, v); // options the method does not take are for the others
            else if (Methods.whoTakes(FrontEnd.CLI, key) == null) throw new IllegalArgumentException("UNSEG_OPTS: no option --" + key);
        }
        return Methods.configure(method, set);
    }

    static void bsds(File data, int limit, int k, double coord) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(new File(data, "bsds/manifest.csv").toPath())) {
            if (line.startsWith("id,")) continue;
            rows.add(line.split(","));
        }
        // The five reference images first, then the rest in manifest order.
        List<String[]> order = new ArrayList<>();
        if (System.getenv("NOREFS") == null) for (String id : REF_IDS) for (String[] r : rows) if (r[0].equals(id)) order.add(r);
        // ONLY=val: the reference images and the val split's (issue 16's "100 of val plus the five")
        String only = System.getenv().getOrDefault("ONLY", "");
        for (String[] r : rows) {
            if (!java.util.Arrays.asList(REF_IDS).contains(r[0]) && (only.isEmpty() || r[1].equals(only))) order.add(r);
        }
        // OFFSET, with NOREFS: images past those an earlier LIMIT chose a setting on (as bench/merge_sweep.sh)
        order = order.subList(Math.min(Integer.parseInt(System.getenv().getOrDefault("OFFSET", "0")), order.size()), order.size());
        int least = System.getenv("NOREFS") == null ? REF_IDS.length : 1;   // the five, when they are in
        if (limit > 0 && limit < order.size()) order = order.subList(0, Math.max(limit, Math.min(least, order.size())));
        EvalOptions o = new EvalOptions();
        // Kanezaki's protocol splits predicted labels into connected components (SPLIT=0: whole clusters).
        o.splitComponents = !"0".equals(System.getenv().getOrDefault("SPLIT", "1"));
        String[] figs = {"meanIoU", "meanIoU_fine", "meanIoU_coarse", "PRI", "VoI", "covering"};
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Double> ref = new LinkedHashMap<>();
        double[] time = new double[METHODS.length];
        for (String[] r : order) {
            String id = r[0], split = r[1];
            int n = Integer.parseInt(r[4]);
            ImagePlus img = IJ.openImage(new File(data, "bsds/images/" + split + "/" + id + ".jpg").getPath());
            List<int[]> truths = new ArrayList<>();
            for (int a = 1; a <= n; a++) {
                truths.add(LabelArrays.of(IJ.openImage(new File(data, "bsds/gt/" + split + "/" + id + "_" + a + ".png").getPath()), "truth"));
            }
            int[] dims = LabelArrays.dims(img);
            for (int mi = 0; mi < METHODS.length; mi++) {
                long t0 = System.nanoTime();
                int[] lab;
                if (METHODS[mi].startsWith("felzenszwalb-")) { // labels scikit-image wrote; its own time
                    File d = new File(System.getenv("FELZ"), METHODS[mi].substring("felzenszwalb-".length()));
                    lab = LabelArrays.of(IJ.openImage(new File(d, id + ".png").getPath()), "felzenszwalb");
                    String[] sec = Files.readString(new File(d, "seconds.txt").toPath()).trim().split(" ");
                    time[mi] += Double.parseDouble(sec[0]) / Integer.parseInt(sec[1]);
                } else {
                    Segmenter s = segmenter(METHODS[mi], k, coord);
                    io.github.unseg.segment.SegmentationModel model = s.fit(ImagePlusViews.wrap(img), Progress.NONE);
                    lab = model.predict(ImagePlusViews.wrap(img), Progress.NONE);
                    if (VERBOSE) System.out.println("  " + id + " " + METHODS[mi] + ": " + model.summary());
                    time[mi] += (System.nanoTime() - t0) / 1e9;
                }
                Evaluation e = Evaluation.evaluate(lab, truths, dims, o);
                if (VERBOSE) System.out.printf(Locale.ROOT, "  %s %s: %d labels, %d regions, PRI %.3f, VoI %.3f, covering %.3f%n", id, METHODS[mi],
                        java.util.Arrays.stream(lab).distinct().count(), io.github.unseg.label.Regions.count(lab, dims[0], dims[1], 1),
                        e.get("PRI"), e.get("VoI"), e.get("covering"));
                for (String f : figs) sums.computeIfAbsent(METHODS[mi] + "/" + f, q -> new double[1])[0] += e.get(f);
                if (java.util.Arrays.asList(REF_IDS).contains(id)) ref.put(METHODS[mi] + "/" + id, e.get("meanIoU"));
            }
        }
        int n = order.size();
        System.out.printf(Locale.ROOT, "BSDS300, %s; best-overlap IoU pooled over all annotators.%n"
                + "k = %d, coordinate weight %s, smoothing %s, seed 1.%n%n",
                o.splitComponents ? "Kanezaki's protocol (predicted labels split into 8-connected components)" : "predicted clusters as whole segments",
                k, coord, System.getenv().getOrDefault("SMOOTH", "0"));
        String head = "| image |", sep = "|---|";
        for (String m : METHODS) { head += " " + m + " |"; sep += "---|"; }
        System.out.println(head);
        System.out.println(sep);
        for (String id : REF_IDS) {
            if (!ref.containsKey(METHODS[0] + "/" + id)) continue;   // NOREFS, or a LIMIT below five
            StringBuilder row = new StringBuilder("| " + id + " |");
            for (String m : METHODS) row.append(String.format(Locale.ROOT, " %.2f |", ref.get(m + "/" + id)));
            System.out.println(row);
        }
        StringBuilder mean = new StringBuilder("| BSD" + n + " mean |");
        for (String m : METHODS) mean.append(String.format(Locale.ROOT, " %.2f |", sums.get(m + "/meanIoU")[0] / n));
        System.out.println(mean);
        System.out.println();
        System.out.println(head.replace("| image |", "| BSD" + n + " mean |"));
        System.out.println(sep);
        for (String f : figs) {
            StringBuilder row = new StringBuilder("| " + f + " |");
            for (String m : METHODS) row.append(String.format(Locale.ROOT, " %.3f |", sums.get(m + "/" + f)[0] / n));
            System.out.println(row);
        }
        StringBuilder t = new StringBuilder("| seconds per image (fit + label) |");
        for (int mi = 0; mi < METHODS.length; mi++) t.append(String.format(Locale.ROOT, " %.3f |", time[mi] / n));
        System.out.println(t);
        System.out.println();
    }

    /** Foreground split into 4-connected objects (as the instance maps), objects under minSize dropped. */
    static int[] objects(int[] fg, int[] dims, int minSize) {
        io.github.unseg.label.ConnectedComponents.Objects ob = io.github.unseg.label.ConnectedComponents.label(fg, dims[0], dims[1], dims[2], false);
        int[] out = ob.ids.clone();
        for (int i = 0; i < out.length; i++) if (out[i] != 0 && ob.size[out[i]] < minSize) out[i] = 0;
        return out;
    }

    static void micro(File data) throws Exception {
        int minSize = Integer.parseInt(System.getenv().getOrDefault("MIN_SIZE", "20"));
        // set -> sums: {n, fg kmeans, f1 kmeans, fg gmm, f1 gmm, fg otsu, f1 otsu, seconds kmeans}
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (String line : Files.readAllLines(new File(data, "micro/manifest.csv").toPath())) {
            if (line.startsWith("set,")) continue;
            String[] r = line.split(",");
            String set = r[0];
            File imgF = new File(data, "micro/" + r[1]);
            File truthF = instanceMap(data, set, r[2]);
            ImagePlus img = IJ.openImage(imgF.getPath());
            if (img.getType() == ImagePlus.COLOR_RGB) img = toGray(img);
            ImagePlus truth = IJ.openImage(truthF.getPath());
            int[] t = LabelArrays.of(truth, "truth");
            int[] dims = LabelArrays.dims(truth);
            EvalOptions o = new EvalOptions();
            o.ignorePredLabel = 0;
            o.ignoreTruthLabel = 0;
            double[] a = acc.computeIfAbsent(set, q -> new double[8]);
            a[0]++;
            int col = 1;
            for (String m : new String[]{"kmeans", "gmm"}) {
                long t0 = System.nanoTime();
                int[] lab = segmenter(m, 2, 0).fit(ImagePlusViews.wrap(img), Progress.NONE).predict(ImagePlusViews.wrap(img), Progress.NONE);
                if (m.equals("kmeans")) a[7] += (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < lab.length; i++) lab[i] = lab[i] == 2 ? 1 : 0; // bright cluster = foreground
                Evaluation e = Evaluation.evaluate(objects(lab, dims, minSize), List.of(t), dims, o);
                a[col++] += e.get("foregroundIoU");
                a[col++] += e.get("f1@0.50");
            }
            int[] otsu = otsu(img);
            Evaluation e = Evaluation.evaluate(objects(otsu, dims, minSize), List.of(t), dims, o);
            a[5] += e.get("foregroundIoU");
            a[6] += e.get("f1@0.50");
        }
        System.out.println("Microscopy: 2 clusters, the brighter one as foreground, split into 4-connected objects, objects");
        System.out.println("under " + minSize + " pixels dropped (MIN_SIZE), the same for every method;");
        System.out.println("baseline: ImageJ's Otsu threshold (AutoThresholder, Otsu) on the same image.");
        System.out.println();
        System.out.println("| set | images | fg IoU K-means | fg IoU GMM | fg IoU Otsu | F1@0.5 K-means | F1@0.5 GMM | F1@0.5 Otsu | s/image K-means |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, double[]> en : acc.entrySet()) {
            double[] a = en.getValue();
            double n = a[0];
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f |%n", en.getKey(), (int) n,
                    a[1] / n, a[3] / n, a[5] / n, a[2] / n, a[4] / n, a[6] / n, a[7] / n);
        }
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

    static ImagePlus toGray(ImagePlus rgb) {
        ImageProcessor ip = rgb.getProcessor().convertToFloat();
        return new ImagePlus(rgb.getTitle(), ip);
    }

    static int[] otsu(ImagePlus img) {
        ImageProcessor ip = img.getProcessor();
        ImageProcessor b = ip.getBitDepth() == 8 ? ip : ip.convertToByte(true);
        int th = new AutoThresholder().getThreshold(AutoThresholder.Method.Otsu, b.getHistogram());
        int[] out = new int[b.getPixelCount()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i) > th ? 1 : 0;
        return out;
    }
}

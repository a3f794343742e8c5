import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.ij.LabelArrays;
import io.github.unseg.label.Regions;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Option;
import io.github.unseg.options.Settings;
import io.github.unseg.segment.SegmentationModel;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The CNN's region merging swept on BSDS300 (see merge_sweep.sh): one training per image, then
 * the network's own labels (the model's pixelwise copy) merged as CnnModel merges them, at each
 * mergeThreshold x mergeTexture pair; the mean of the four figures and of the region count.
 */
public class MergeSweep {
    static final String[] REF_IDS = {"25098", "3096", "35058", "22090", "23025"};

    public static void main(String[] args) throws Exception {
        File data = new File(System.getenv("DATA"));
        int limit = Integer.parseInt(System.getenv().getOrDefault("LIMIT", "20"));
        String only = System.getenv().getOrDefault("ONLY", "");
        double[] ts = numbers("TS", "0.02,0.03,0.04"), rels = numbers("RELS", "0,0.75,1"), splits = numbers("SPLITS", "0");
        double[] minSizes = numbers("MINSIZE", "50");
        String[] opts = System.getenv().getOrDefault("OPTS", "").trim().split("\\s+");
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(new File(data, "bsds/manifest.csv").toPath())) if (!line.startsWith("id,")) rows.add(line.split(","));
        List<String[]> order = new ArrayList<>(); // as quality.sh: the five first, then manifest order
        if (System.getenv("NOREFS") == null) for (String id : REF_IDS) for (String[] r : rows) if (r[0].equals(id)) order.add(r);
        for (String[] r : rows) {
            if (!Arrays.asList(REF_IDS).contains(r[0]) && (only.isEmpty() || r[1].equals(only))) order.add(r);
        }
        int offset = Math.min(Integer.parseInt(System.getenv().getOrDefault("OFFSET", "0")), order.size());
        order = order.subList(offset, order.size()); // OFFSET: images not seen by an earlier LIMIT
        if (limit > 0 && limit < order.size()) order = order.subList(0, limit);
        EvalOptions o = new EvalOptions();
        o.splitComponents = true; // Kanezaki's protocol, as quality.sh
        String[] figs = {"PRI", "VoI", "covering", "meanIoU"};
        double[][][][][] sums = new double[minSizes.length][splits.length][ts.length][rels.length][figs.length + 1];
        double seconds = 0;
        for (String[] r : order) {
            String id = r[0], split = r[1];
            ImagePlus img = IJ.openImage(new File(data, "bsds/images/" + split + "/" + id + ".jpg").getPath());
            List<int[]> truths = new ArrayList<>();
            for (int a = 1; a <= Integer.parseInt(r[4]); a++) {
                truths.add(LabelArrays.of(IJ.openImage(new File(data, "bsds/gt/" + split + "/" + id + "_" + a + ".png").getPath()), "truth"));
            }
            int[] dims = LabelArrays.dims(img);
            Image5D im = ImagePlusViews.wrap(img);
            long t0 = System.nanoTime();
            SegmentationModel model = cnn(opts).fit(im, Progress.NONE);
            int[] raw = model.pixelwise().predict(im, Progress.NONE);
            seconds += (System.nanoTime() - t0) / 1e9;
            FeatureSpec spec = model.featureSpec();
            FeatureMatrix m = spec.build(im, spec.raw(im, 2));
            for (int q = 0; q < minSizes.length; q++) for (int k = 0; k < splits.length; k++) {
                double[][][] sum = sums[q][k];
                for (int i = 0; i < ts.length; i++) {
                    for (int j = 0; j < rels.length; j++) {
                        int[] lab = Regions.merge(raw, m.x, m.dims, dims[0], dims[1], 1, splits[k], (int) minSizes[q], ts[i], rels[j], 0);
                        Evaluation e = Evaluation.evaluate(lab, truths, dims, o);
                        for (int f = 0; f < figs.length; f++) sum[i][j][f] += e.get(figs[f]);
                        sum[i][j][figs.length] += Regions.count(lab, dims[0], dims[1], 1);
                    }
                }
            }
            System.err.println(id + ": " + model.summary());
        }
        int n = order.size();
        System.out.printf(Locale.ROOT, "BSD%d, CNN %s; Kanezaki's protocol; training + labelling %.1f s per image%n%n",
                n, String.join(" ", opts).trim().isEmpty() ? "(defaults)" : String.join(" ", opts), seconds / n);
        System.out.println("| minRegionSize | splitScale | mergeThreshold | mergeTexture | PRI | VoI | covering | mean IoU | regions |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int q = 0; q < minSizes.length; q++) for (int k = 0; k < splits.length; k++) {
            for (int i = 0; i < ts.length; i++) {
                for (int j = 0; j < rels.length; j++) {
                    double[] v = sums[q][k][i][j];
                    System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.1f |%n", (int) minSizes[q], splits[k],
                            ts[i], rels[j], v[0] / n, v[1] / n, v[2] / n, v[3] / n, v[4] / n);
                }
            }
        }
    }

    static double[] numbers(String env, String byDefault) {
        return Arrays.stream(System.getenv().getOrDefault(env, byDefault).split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /** The CNN from `unseg segment` options, as the command line makes it. */
    static io.github.unseg.segment.Segmenter cnn(String[] opts) {
        Method method = Methods.get("cnn");
        Settings set = new Settings(FrontEnd.CLI, method.options);
        for (int i = 0; i < opts.length; i++) {
            if (opts[i].isEmpty()) continue;
            String key = opts[i].replaceFirst("^--", "");
            Option o = set.option(key);
            if (o == null) throw new IllegalArgumentException("OPTS: the CNN takes no option --" + key);
            set.put(key, o.kind == Option.Kind.BOOLEAN ? "true" : opts[++i]);
        }
        return Methods.configure(method, set);
    }
}

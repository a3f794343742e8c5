package io.github.unseg.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import ij.ImagePlus;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.ij.Evaluate;
import io.github.unseg.ij.LabelImages;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code unseg evaluate}: a prediction against its ground truth(s), or folders matched by name. */
final class EvaluateCli {
    static final String HELP = String.join("\n",
            "Usage: unseg evaluate [options] PREDICTION TRUTH...",
            "       unseg evaluate [options] --pred DIR --truth DIR",
            "",
            "Compares label images. With folders, each prediction (NAME.tif or NAME_labels.tif) is",
            "compared with the truth files named NAME.* or NAME_*.* (several annotators, as BSDS's",
            "NAME_1.png ... NAME_5.png).",
            "",
            "Options:",
            OptionHelp.evaluationOptions(),
            "  --csv FILE           summary, one row per prediction",
            "  --json FILE          summary as JSON",
            "  --segments FILE      per ground-truth segment CSV",
            "  --overwrite          replace existing output files",
            "",
            "Figures: meanIoU (best overlap per true segment, pooled over annotators), meanIoU_fine/",
            "_coarse/_bestAnnotator, matchedIoU, matchedDice, pixelAccuracy (one-to-one matching), PRI,",
            "VoI (nats), covering, instance precision/recall/f1/accuracy/panopticQuality@T, label overlap.",
            "");

    private static final Set<String> FLAGS = new java.util.HashSet<>(Set.of("overwrite", "help", "quiet"));
    private static final Set<String> VALUED = new java.util.HashSet<>(Set.of("csv", "json", "segments", "pred", "truth"));

    static {
        for (io.github.unseg.options.Option o : io.github.unseg.options.Options.EVALUATION) {
            for (String k : o.keys(io.github.unseg.options.FrontEnd.CLI)) {
                (o.kind == io.github.unseg.options.Option.Kind.BOOLEAN ? FLAGS : VALUED).add(k);
            }
        }
    }
    static final List<String> SHOWN = List.of("meanIoU", "matchedIoU", "PRI", "VoI", "covering", "foregroundIoU", "f1@0.50");

    private final PrintStream out, err;

    EvaluateCli(PrintStream out, PrintStream err) { this.out = out; this.err = err; }

    /** The evaluator's options from the table; the others (files) are this command's own. */
    static EvalOptions options(Args a) {
        io.github.unseg.options.Settings set = new io.github.unseg.options.Settings(io.github.unseg.options.FrontEnd.CLI,
                io.github.unseg.options.Options.EVALUATION);
        for (java.util.Map.Entry<String, String> e : a.options.entrySet()) {
            if (set.option(e.getKey()) != null) set.put(e.getKey(), e.getValue());
        }
        EvalOptions o = new EvalOptions();
        set.applyTo(o);
        return o;
    }

    int run(String[] argv) {
        Args a = Args.parse(argv, 0, FLAGS, VALUED);
        if (a.flag("help")) { out.print(HELP); return 0; }
        EvalOptions o;
        try {
            o = options(a);
        } catch (SegmentationException e) {
            throw new Args.UsageException(e.getMessage());
        }
        // Pairs of (prediction, truths).
        List<File> preds = new ArrayList<>();
        List<List<File>> truths = new ArrayList<>();
        if (a.get("pred", null) != null || a.get("truth", null) != null) {
            File pd = new File(a.get("pred", "")), td = new File(a.get("truth", ""));
            if (!pd.isDirectory() || !td.isDirectory()) throw new Args.UsageException("--pred and --truth must both name folders.");
            Evaluate.TruthFolder tf = new Evaluate.TruthFolder(td);
            for (File p : SegmentCli.expand(List.of(pd.getPath()))) {
                preds.add(p);
                truths.add(tf.filesFor(p.getName()));
            }
        } else {
            if (a.positional.size() < 2) throw new Args.UsageException("Give a prediction and at least one ground truth.");
            preds.add(new File(a.positional.get(0)));
            List<File> ts = new ArrayList<>();
            for (String s : a.positional.subList(1, a.positional.size())) ts.add(new File(s));
            truths.add(ts);
        }
        File csv = file(a, "csv"), json = file(a, "json"), seg = file(a, "segments");
        List<File> inputs = new ArrayList<>(preds);
        for (List<File> ts : truths) inputs.addAll(ts);
        String[] names = {"--csv", "--json", "--segments"};
        File[] outs = {csv, json, seg};
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] == null) continue;
            io.github.unseg.core.SafeOutput.checkExtension(names[i], outs[i], i == 1 ? ".json" : ".csv");
            io.github.unseg.core.SafeOutput.checkNotInput(names[i], outs[i], inputs);
        }
        try (io.github.unseg.core.SafeOutput so = new io.github.unseg.core.SafeOutput(a.flag("overwrite"))) {
            this.output = so;
            for (int i = 0; i < outs.length; i++) {
                if (outs[i] == null) continue;
                try {
                    so.claim(outs[i]);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    err.println("unseg evaluate: " + outs[i] + " " + (e.getReason() == null ? "exists" : e.getReason())
                            + " (--overwrite replaces an existing file).");
                    return 1;
                } catch (IOException e) {
                    throw new SegmentationException(names[i] + " " + outs[i] + ": " + e.getMessage() + ".");
                }
            }
            return evaluateAll(o, preds, truths, csv, json, seg);
        } finally {
            this.output = null;
        }
    }

    private io.github.unseg.core.SafeOutput output;

    private int evaluateAll(EvalOptions o, List<File> preds, List<List<File>> truths, File csv, File json, File seg) {
        List<String> rows = new ArrayList<>();
        List<String> segRows = new ArrayList<>();
        JsonArray jsonRows = new JsonArray();
        List<String> keys = null;
        Map<String, double[]> means = new LinkedHashMap<>();
        int done = 0, failed = 0;
        for (int i = 0; i < preds.size(); i++) {
            File p = preds.get(i);
            try {
                if (truths.get(i).isEmpty()) throw new SegmentationException("no ground truth file matches its name");
                ImagePlus pi = Evaluate.open(p);
                List<ImagePlus> ts = new ArrayList<>();
                for (File t : truths.get(i)) ts.add(Evaluate.open(t));
                Evaluation e = Evaluate.images(pi, ts, o);
                done++;
                if (keys == null) keys = new ArrayList<>(e.summary.keySet());
                StringBuilder line = new StringBuilder(p.getName()).append(':');
                for (String k : SHOWN) {
                    if (e.summary.containsKey(k)) line.append(String.format(Locale.ROOT, " %s %.4f", k, e.summary.get(k)));
                }
                out.println(line);
                StringBuilder row = new StringBuilder(csvQuote(p.getPath())).append(',').append(csvQuote(joinNames(truths.get(i))));
                JsonObject jo = new JsonObject();
                jo.addProperty("prediction", p.getPath());
                JsonArray jt = new JsonArray();
                for (File t : truths.get(i)) jt.add(t.getPath());
                jo.add("truth", jt);
                for (String k : keys) {
                    double v = e.summary.getOrDefault(k, Double.NaN);
                    row.append(',').append(num(v));
                    // counts are whole numbers: written as such, not as 12.0
                    if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) jo.addProperty(k, (long) v);
                    else jo.addProperty(k, Double.isFinite(v) ? v : null);
                    means.computeIfAbsent(k, q -> new double[2]);
                    if (Double.isFinite(v)) { means.get(k)[0] += v; means.get(k)[1]++; }
                }
                rows.add(row.toString());
                jsonRows.add(jo);
                for (Evaluation.SegmentRow r : e.segments) {
                    segRows.add(String.join(",", csvQuote(p.getPath()), Integer.toString(r.annotator), Integer.toString(r.truthLabel),
                            Long.toString(r.size), lab(r.bestPredLabel), num(r.bestIoU), lab(r.matchedPredLabel), num(r.matchedIoU), num(r.matchedDice)));
                }
            } catch (SegmentationException e) {
                failed++;
                err.println(p.getName() + ": FAILED: " + io.github.unseg.options.FrontEnd.CLI.respell(e.getMessage()));
            }
        }
        if (done > 1) {
            StringBuilder line = new StringBuilder("mean of " + done + ":");
            for (String k : SHOWN) {
                double[] m = means.get(k);
                if (m != null && m[1] > 0) line.append(String.format(Locale.ROOT, " %s %.4f", k, m[0] / m[1]));
            }
            out.println(line);
        }
        try {
            if (csv != null && keys != null) {
                List<String> lines = new ArrayList<>();
                lines.add("prediction,truth," + String.join(",", keys));
                lines.addAll(rows);
                write(csv, String.join("\n", lines) + "\n");
            }
            if (json != null) write(json, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(jsonRows) + "\n");
            if (seg != null) {
                List<String> lines = new ArrayList<>();
                lines.add("prediction,annotator,truthLabel,size,bestPredLabel,bestIoU,matchedPredLabel,matchedIoU,matchedDice");
                lines.addAll(segRows);
                write(seg, String.join("\n", lines) + "\n");
            }
        } catch (IOException e) {
            err.println("unseg evaluate: could not write output: " + e.getMessage());
            return 1;
        }
        if (preds.size() > 1) out.printf(Locale.ROOT, "%d evaluated, %d failed%n", done, failed);
        return failed > 0 || done == 0 ? 1 : 0;
    }

    private static File file(Args a, String k) {
        String v = a.get(k, null);
        return v == null ? null : new File(v);
    }

    private void write(File f, String text) throws IOException {
        output.writeString(f, text);   // complete or absent: temporary file, then rename
    }

    private static String joinNames(List<File> fs) {
        List<String> s = new ArrayList<>();
        for (File f : fs) s.add(f.getPath());
        return String.join(";", s);
    }

    /** Whole numbers as such, others with all their digits. */
    static String num(double v) {
        if (!Double.isFinite(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    private static String lab(int l) { return l == EvalOptions.NONE ? "" : Integer.toString(l); }

    private static String csvQuote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** One-line evaluation summary, for segment --truth. */
    static String brief(Evaluation e) {
        StringBuilder sb = new StringBuilder("evaluation:");
        for (String k : SHOWN) {
            if (e.summary.containsKey(k)) sb.append(String.format(Locale.ROOT, " %s %.4f", k, e.summary.get(k)));
        }
        return sb.toString();
    }

    static String baseName(File f) { return LabelImages.baseName(f.getName()); }
}

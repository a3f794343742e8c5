package io.github.unseg.spark;

import io.github.unseg.cli.Main;
import io.github.unseg.core.SafeOutput;
import io.github.unseg.ij.LabelImages;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code unseg spark-segment}: one fitted model over many files (a few per task) or over one
 * large image (blocks with a halo), on Spark: embedded {@code local[*]} by default, or a cluster
 * through {@code --master} / {@code spark-submit}. Every worker runs the single machine's
 * {@code segment} command with the broadcast model, so the labels are the single machine's.
 */
public final class SparkSegment {
    private SparkSegment() { }

    static final String HELP = String.join("\n",
            "Usage: unseg spark-segment (--model m.json | --method M [--fit-on FILES]) --input DIR|GLOB|FILE... --output DIR [options]",
            "",
            "Labels every image of the inputs with one model, on Spark (embedded, local[*], unless --master says otherwise).",
            "Outputs in DIR: NAME_labels.tif (NAME_rois.zip with --rois, NAME_measurements.csv with --measurements) per file,",
            "summary.csv (status, seconds and message per file), with --truth metrics.csv (unseg evaluate's figures per",
            "file), and model.json with --fit-on.",
            "Finished outputs are skipped on a re-run (--overwrite redoes them); a file that fails is reported and the rest go on.",
            "",
            "  --model FILE          a saved model (unseg segment --save-model), broadcast to the workers",
            "  --method M            kmeans, gmm, gmm-kmeans, cnn, cnn-kmeans: with --fit-on, one model fitted on the driver",
            "                        and saved as DIR/model.json (reused on a re-run); without, each file fits its own",
            "  --fit-on FILES        images to fit the model on (files or folders, ;-separated)",
            "  --input DIR|GLOB      images: a folder, a glob ('plates/*/w1_*.tif', quoted) or a file; repeatable; also as",
            "                        plain arguments",
            "  --output DIR          where outputs go (created)",
            "  --master URL          local[*] (default), local[N], spark://host:7077, yarn... (spark-submit sets it)",
            "  --partitions N        tasks (default: 8 per core, at most one per file)",
            "  --rois                also write NAME_rois.zip (ImageJ's ROI Manager)",
            "  --measurements        also write NAME_measurements.csv (a row per object: size, centroid, intensity, box)",
            "  --truth DIR           ground truth, matched by name as unseg evaluate does: metrics.csv",
            "  --overwrite           redo and replace existing outputs",
            "  --quiet               no progress line",
            "  --block-size N        one large image: label it in N x N blocks with a halo (see the README); outputs in",
            "                        DIR/blocks/ with DIR/index.json, object ids global across blocks",
            "  --stitch              with --block-size: also write DIR/labels.tif (and objects.tif), one TIFF, < 4 GiB",
            "",
            "Every other option is unseg segment's (--threads, --smoothing, --objects, ...) or unseg evaluate's",
            "(--ignore-pred-label, ...), passed on unchanged. --threads defaults to spark.task.cpus (1) per task.",
            "");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, null));
    }

    /** Runs the command; exit code 0 all done, 1 some files failed, 2 bad options. */
    public static int run(String[] args, PrintStream out, PrintStream err, TaskHook hook) {
        Options o;
        try {
            o = Options.parse(args);
            if (o.help) { out.print(HELP); return 0; }
            return o.blockSize > 0 ? LargeImage.run(o, out, err, hook) : files(o, out, err, hook);
        } catch (Options.Bad e) {
            err.println("unseg spark-segment: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // Spark's own failures (a master URL it cannot parse or reach, a job it aborted): the cause, not a trace
            Throwable c = e;
            while (c.getCause() != null && c.getCause() != c) c = c.getCause();
            err.println("unseg spark-segment: Spark stopped the job: " + (c.getMessage() == null ? c.toString() : c.getMessage()));
            return 1;
        }
    }

    // ---- checks shared by both modes -------------------------------------------------------

    /** The segment options for the check and the tasks: the model or method, and the thread count. */
    static void checkCommon(Options o) {
        if (o.output == null) throw new Options.Bad("give the output folder: --output DIR.");
        if (o.model == null && o.method == null) {
            throw new Options.Bad("give --model m.json (a saved model), or --method M (with --fit-on FILES to fit one model on the driver).");
        }
        if (o.model != null && (o.method != null || o.fitOn != null)) {
            throw new Options.Bad("--model excludes --method and --fit-on (the model knows its method).");
        }
        if (o.model != null && !new File(o.model).isFile()) throw new Options.Bad("--model " + o.model + ": no such file.");
        if (o.truth != null && !new File(o.truth).isDirectory()) throw new Options.Bad("--truth " + o.truth + ": no such folder.");
        File out = new File(o.output);
        if (out.isFile()) throw new Options.Bad("--output " + o.output + " is a file; name a folder.");
        if (!o.has("threads")) o.segmentArgs.addAll(List.of("--threads", "1"));   // one core per task (spark.task.cpus)
        List<String> check = new ArrayList<>(o.model != null ? List.of("--model", o.model) : List.of("--method", o.method));
        check.addAll(o.segmentArgs);
        String bad = Main.checkSegment(check.toArray(new String[0]));
        if (bad != null) throw new Options.Bad(bad);
    }

    /**
     * The segment options of each task: with a model fitted on the driver (--fit-on), the model
     * holds the fitting options, so the tasks get the rest (a model refuses fitting options).
     */
    static List<String> taskArgs(Options o, String json) {
        return json != null && o.fitOn != null ? Main.labellingArgs(o.method, o.segmentArgs) : o.segmentArgs;
    }

    /** Inputs: folders (their images), globs, files. */
    static List<File> expand(List<String> inputs) {
        List<File> files = new ArrayList<>();
        for (String s : inputs) {
            if (s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{")) {
                files.addAll(glob(s));
            } else {
                File f = new File(s);
                if (!f.exists()) throw new Options.Bad("--input " + s + ": no such file or folder.");
                files.addAll(Main.imageFiles(List.of(s)));
            }
        }
        return files;
    }

    private static List<File> glob(String pattern) {
        String pat = pattern.replace('\\', '/');
        Path p = Path.of(pat);
        // walk the folder before the first part with a wildcard; match the rest
        Path prefix = p.getRoot();
        int fixed = 0;
        for (Path part : p) {
            String s = part.toString();
            if (s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{")) break;
            prefix = prefix == null ? part : prefix.resolve(part);
            fixed++;
        }
        final Path base = prefix == null ? Path.of(".") : prefix;
        final boolean relativeToDot = prefix == null;
        if (!Files.isDirectory(base)) throw new Options.Bad("--input " + pattern + ": no folder " + base + ".");
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pat);
        int depth = pat.contains("**") ? Integer.MAX_VALUE : p.getNameCount() - fixed;
        try (Stream<Path> s = Files.walk(base, Math.max(1, depth))) {
            List<File> out = s.filter(Files::isRegularFile)
                    .filter(q -> m.matches(relativeToDot ? base.relativize(q) : q))
                    .filter(q -> io.github.unseg.ij.SegmentJob.isBatchInput(q.toFile(), true))   // as segment lists a folder
                    .map(Path::toFile).sorted().collect(Collectors.toList());
            if (out.isEmpty()) throw new Options.Bad("--input " + pattern + ": no image matches.");
            return out;
        } catch (IOException e) {
            throw new Options.Bad("--input " + pattern + ": " + e.getMessage() + ".");
        }
    }

    /** The model JSON: loaded, or fitted on the driver (saved as OUT/model.json, reused when present). */
    static String modelJson(Options o, PrintStream out, PrintStream err) {
        try {
            if (o.model != null) return Files.readString(Path.of(o.model), StandardCharsets.UTF_8);
            if (o.fitOn == null) return null;
            File mf = new File(o.output, "model.json");
            if (mf.isFile() && !o.overwrite) {
                out.println("spark-segment: using the model fitted before, " + mf + " (--overwrite fits it again)");
            } else {
                List<String> a = new ArrayList<>(List.of("segment", "--method", o.method));
                a.addAll(o.segmentArgs);
                a.addAll(List.of("--fit-on", o.fitOn, "--save-model", mf.getPath()));
                if (o.overwrite) a.add("--overwrite");
                if (o.quiet) a.add("--quiet");
                Files.createDirectories(mf.toPath().getParent());
                int rc = Main.run(a.toArray(new String[0]), out, err);
                if (rc != 0) return "";
            }
            return Files.readString(mf.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Options.Bad("could not read or write the model: " + e.getMessage() + ".");
        }
    }

    /** A Spark context: the given master, else spark-submit's, else local[*]; quiet and on loopback locally. */
    static JavaSparkContext context(Options o) {
        SparkConf conf = new SparkConf().setAppName("UnSeg spark-segment");
        if (o.master != null) conf.setMaster(o.master);
        else conf.setIfMissing("spark.master", "local[*]");
        String m = conf.get("spark.master");
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!m.startsWith("local[") && !m.equals("local")) {
            // executor JVMs: ND4J's native threads per task as the task's cores, not the machine's
            conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
        }
        if (m.startsWith("local-cluster")) {
            // separate executor JVMs on this machine: they need the driver's class path, absolute
            StringBuilder cp = new StringBuilder();
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (cp.length() > 0) cp.append(File.pathSeparator);
                cp.append(new File(e).getAbsolutePath());
            }
            conf.setIfMissing("spark.executor.extraClassPath", cp.toString());
            String opens = System.getProperty("spark.jvm.opens");
            if (opens != null) conf.setIfMissing("spark.executor.extraJavaOptions", opens + " -Djava.awt.headless=true");
        }
        JavaSparkContext jsc = new JavaSparkContext(conf);
        jsc.setLogLevel("WARN");
        return jsc;
    }

    // ---- many files ------------------------------------------------------------------------

    static int files(Options o, PrintStream out, PrintStream err, TaskHook hook) {
        checkCommon(o);
        if (o.stitch) throw new Options.Bad("--stitch needs --block-size (one large image in blocks).");
        if (o.inputs.isEmpty()) throw new Options.Bad("give the images: --input DIR|GLOB|FILE.");
        List<File> files = expand(o.inputs);
        if (files.isEmpty()) throw new Options.Bad("no image files in " + String.join(", ", o.inputs) + ".");
        Map<String, File> byName = new HashMap<>();
        File outDir = new File(o.output).getAbsoluteFile();
        for (File f : files) {
            File prev = byName.put(LabelImages.baseName(f.getName()), f);
            if (prev != null && !prev.equals(f)) {
                throw new Options.Bad("two inputs would write the same outputs, " + prev + " and " + f
                        + " (both NAME " + LabelImages.baseName(f.getName()) + "); give them separate runs or --output folders.");
            }
        }
        int m = o.segmentArgs.indexOf("--mask");   // a folder of masks that holds none of these inputs': before Spark starts
        String badMask = m >= 0 && m + 1 < o.segmentArgs.size()
                ? io.github.unseg.ij.SegmentOptions.maskFolderProblem(o.segmentArgs.get(m + 1), files, "--mask") : null;
        if (badMask != null) throw new Options.Bad(badMask);
        if (o.truth != null) {   // ground truths that match no input: said before Spark starts, not in metrics.csv after
            String[] t = io.github.unseg.ij.Evaluate.truthFolderCheck(new File(o.truth), files, "--truth");
            if (t[0] != null) throw new Options.Bad(t[0]);
            if (t[1] != null) out.println(t[1]);
        }
        String json = modelJson(o, out, err);
        if ("".equals(json)) return 1;                     // fitting failed; segment said why
        List<String> paths = files.stream().map(File::getAbsolutePath).collect(Collectors.toList());
        long t0 = System.nanoTime();
        List<FileResult> results;
        try (JavaSparkContext jsc = context(o)) {
            // a few files per task: each task costs the driver a round trip and the JVM its share of
            // Spark's code, which a one-file task of a light model does not pay back; 8 tasks per
            // core still balance the load and keep the progress line moving
            int parts = Math.min(paths.size(), o.partitions > 0 ? o.partitions : 8 * Math.max(1, jsc.defaultParallelism()));
            JobProgress progress = new JobProgress(err, "files", paths.size(), parts);
            if (!o.quiet) jsc.sc().addSparkListener(progress);
            FileTask task = new FileTask(json == null ? null : jsc.broadcast(json), o.method, taskArgs(o, json), o.evalArgs, outDir.getPath(),
                    o.truth == null ? null : new File(o.truth).getAbsolutePath(), o.rois, o.measurements, o.overwrite, hook);
            JavaRDD<String> rdd = jsc.parallelize(paths, parts);
            results = rdd.map(task).collect();
            if (!o.quiet) progress.print(progress.done(), true);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return report(o, outDir, results, secs, out, err);
    }

    private static int report(Options o, File outDir, List<FileResult> results, double secs, PrintStream out, PrintStream err) {
        int done = 0, failed = 0, skipped = 0;
        List<String> summary = new ArrayList<>(List.of("input,status,seconds,worker,message"));
        List<String> metrics = new ArrayList<>();
        for (FileResult r : results) {
            switch (r.status) {
                case DONE: done++; break;
                case SKIPPED: skipped++; break;
                default:
                    failed++;
                    err.println(new File(r.input).getName() + ": FAILED: " + r.message);
            }
            summary.add(String.join(",", csv(r.input), r.status.name().toLowerCase(Locale.ROOT),
                    String.format(Locale.ROOT, "%.3f", r.seconds), csv(r.host), csv(r.message)));
            if (r.metricsRow != null) {
                if (metrics.isEmpty()) metrics.add(r.metricsHeader);
                metrics.add(r.metricsRow);
            }
        }
        // The reports describe this run (every input, skipped ones too), so each run replaces them.
        try (SafeOutput so = new SafeOutput(true)) {
            so.writeString(new File(outDir, "summary.csv"), String.join("\n", summary) + "\n");
            if (!metrics.isEmpty()) so.writeString(new File(outDir, "metrics.csv"), String.join("\n", metrics) + "\n");
        } catch (IOException e) {
            err.println("unseg spark-segment: could not write the summary in " + outDir + ": " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "%d segmented, %d failed, %d skipped in %.1f s (%.2f files/s) -> %s%n",
                done, failed, skipped, secs, results.size() / secs, new File(outDir, "summary.csv"));
        if (!metrics.isEmpty()) out.println("metrics of " + (metrics.size() - 1) + " files -> " + new File(outDir, "metrics.csv"));
        return failed > 0 ? 1 : 0;
    }

    static String csv(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

package io.github.unseg.cli;

import ij.ImagePlus;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.ij.LabelImages;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.ij.SegmentOptions;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Option;
import io.github.unseg.options.Settings;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.Segmenter;
import io.github.unseg.segment.SegmentationModel;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code unseg segment}: one image or a batch of files and folders. */
final class SegmentCli {
    private static final String HEAD = String.join("\n",
            "Usage: unseg segment [options] INPUT...",
            "",
            "INPUT is an image file (TIFF, PNG, JPEG, GIF, BMP...) or a folder of them.",
            "With one input, --labels/--rois/--probabilities/--measurements name files; with several, folders",
            "(outputs are NAME_labels.tif, NAME_rois.zip, NAME_probabilities.tif, NAME_measurements.csv).",
            "'unseg segment --method cnn --help' lists one method's options only.",
            "",
            "");

    /** The help text, from the option table. */
    static String help(Method only) { return HEAD + OptionHelp.segmentOptions(only); }

    /** Every key of the segment command (all methods'), so that another method's option gets its own message. */
    private static final Set<String> FLAGS = new java.util.HashSet<>(Set.of("help")), VALUED = new java.util.HashSet<>();
    /** Several --truth files: the annotators of one input (as BSDS's five). */
    private static final Set<String> REPEATABLE = Set.of("truth");

    static {
        for (Method m : Methods.ALL) {
            for (Option o : SegmentOptions.scope(m, FrontEnd.CLI)) {
                for (String k : o.keys(FrontEnd.CLI)) (o.kind == Option.Kind.BOOLEAN ? FLAGS : VALUED).add(k);
            }
        }
    }
    private final PrintStream out, err;
    /** The model --model names, already loaded by the caller (see {@link Main#segment}); null: read the file. */
    SegmentationModel preloaded;

    SegmentCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args a = Args.parse(argv, 0, FLAGS, VALUED, REPEATABLE);
        Method method;
        try {
            method = Methods.get(a.get("method", "kmeans"));
        } catch (SegmentationException e) {
            throw new Args.UsageException("--method " + a.get("method", "") + ": " + e.getMessage());
        }
        if (a.flag("help")) { out.print(help(a.get("method", null) == null ? null : method)); return 0; }
        // with --model, the options are the model's method's (a CNN model takes --tile-size)
        SegmentationModel model = null;
        if (a.get("model", null) != null) {
            model = preloaded != null ? preloaded : Methods.load(new File(a.get("model", null)).toPath());
            try {
                method = SegmentOptions.methodFor(a.get("method", null), model, FrontEnd.CLI);
            } catch (SegmentationException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        Settings set = settings(a, method);
        // --fit-on with --save-model and no input: fit and save a model only (for a later --model run).
        boolean fitOnly = a.positional.isEmpty() && a.get("fit-on", null) != null && a.get("save-model", null) != null;
        if (a.positional.isEmpty() && !fitOnly) throw new Args.UsageException("Give at least one input image or folder.");
        List<File> inputs = expand(a.positional, true);
        if (inputs.isEmpty() && !fitOnly) throw new Args.UsageException("No image files found in " + a.positional + ".");
        boolean batch = inputs.size() > 1 || (!fitOnly && (new File(a.positional.get(0)).isDirectory() || isPattern(a.positional.get(0))));
        String labels = a.get("labels", null), rois = a.get("rois", null), probs = a.get("probabilities", null);
        String measurements = a.get("measurements", null);
        if (labels == null && rois == null && measurements == null && a.get("save-model", null) == null) {
            throw new Args.UsageException("Say where to write results: --labels, --rois, --measurements and/or --save-model.");
        }
        boolean overwrite = set.flag("overwrite"), quiet = set.flag("quiet");
        SegmentJob template;
        try {
            template = model == null ? SegmentOptions.job(method, set) : SegmentOptions.applyJob(model, set);
        } catch (SegmentationException e) {
            throw new Args.UsageException(e.getMessage());
        }
        Segmenter segmenter = template.segmenter;
        if (a.get("fit-on", null) != null) {
            if (model != null) throw new Args.UsageException("--fit-on and --model exclude each other.");
            model = fitOn(template, a.get("fit-on", null), set, quiet);
            if (a.get("save-model", null) != null) {
                java.nio.file.Path mp = new File(a.get("save-model", null)).toPath();
                try {
                    ModelIO.save(model, mp, overwrite);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    err.println("unseg segment: " + mp + " exists (--overwrite replaces it).");
                    return 1;
                } catch (java.io.IOException e) {
                    err.println("unseg segment: could not write " + mp + ": " + e.getMessage());
                    return 1;
                }
                out.println("model fitted on " + a.get("fit-on", null) + " -> " + mp + ": " + model.summary());
            }
            if (fitOnly) return 0;
        }
        boolean fitOnce = a.flag("fit-once");
        File saveModel = a.get("save-model", null) == null ? null : new File(a.get("save-model", null));

        if (a.get("fit-on", null) != null) saveModel = null; // saved above
        if (saveModel != null && batch && !fitOnce) {
            throw new Args.UsageException("--save-model in a batch needs --fit-once (one model for all images).");
        }
        List<File> truths = new ArrayList<>();
        for (String t : a.all("truth")) truths.add(new File(t));
        if (truths.size() > 1 && (batch || truths.stream().anyMatch(File::isDirectory))) {
            throw new Args.UsageException("--truth is given " + truths.size() + " times: several --truth files are the annotators"
                    + " of one input image; for several inputs give one --truth folder (files matched by name).");
        }
        io.github.unseg.eval.EvalOptions evalOptions = new io.github.unseg.eval.EvalOptions();
        set.applyTo(evalOptions);
        if (set.flag("objects") && !evalOptions.predForeground.equals("none")) {
            throw new Args.UsageException("--pred-foreground makes objects of cluster labels, but --objects already labels"
                    + " objects: drop --pred-foreground (--objects has its own --foreground).");
        }
        checkPathsEarly(a, batch, inputs, preloaded != null);
        checkMaskFolder(set, inputs);
        if (!truths.isEmpty() && truths.get(0).isDirectory()) {   // a naming mistake said now, not after the batch
            String[] t = io.github.unseg.ij.Evaluate.truthFolderCheck(truths.get(0), inputs, "--truth");
            if (t[0] != null) throw new Args.UsageException(t[0]);
            if (t[1] != null) out.println(t[1]);
        }
        int done = 0, failed = 0, skipped = 0;
        List<String> noted = new ArrayList<>();   // inputs whose summary holds a note
        int interruptedAt = -1;
        io.github.unseg.core.SafeOutput.Inputs inputSet = new io.github.unseg.core.SafeOutput.Inputs(inputs);
        io.github.unseg.ij.Evaluate.TruthFolder truthFolder = !truths.isEmpty() && truths.get(0).isDirectory()
                ? new io.github.unseg.ij.Evaluate.TruthFolder(truths.get(0)) : null;
        long batchStart = System.nanoTime();
        for (int i = 0; i < inputs.size(); i++) {
            if (Interrupt.STOP.get()) { interruptedAt = i; break; }
            File in = inputs.get(i);
            String tag = batch ? "[" + (i + 1) + "/" + inputs.size() + "] " + in.getName() : in.getName();
            // a long batch says when it will end: the images so far, at their mean pace
            String progressTag = tag;
            if (batch && i > 0) {
                double left = (System.nanoTime() - batchStart) / 1e9 / i * (inputs.size() - i);
                progressTag = "[" + (i + 1) + "/" + inputs.size() + ", " + (left < 1 ? "less than 1 s" : "about " + Progress.seconds(left))
                        + " left] " + in.getName();
            }
            String base = LabelImages.baseName(in.getName());
            SegmentJob job = new SegmentJob();
            SegmentOptions.applyOutputs(job, set);   // perSlice, objects, roiMode, minObjectSize, overwrite, probabilityMaps
            job.labelFile = target(labels, batch, base + "_labels.tif");
            job.roiFile = target(rois, batch, base + "_rois.zip");
            job.probabilityFile = target(probs, batch, base + "_probabilities.tif");
            job.measurementFile = target(measurements, batch, base + "_measurements.csv");
            job.probabilityMaps |= probs != null;
            job.modelFile = i == 0 ? saveModel : null;
            job.inputFiles = inputSet;
            if (model != null) job.model = model;
            else job.segmenter = segmenter;
            ConsoleProgress console = quiet ? null : new ConsoleProgress(err, progressTag);
            job.progress = console == null ? Progress.NONE : console;
            try {
                ImagePlus imp = open(in);
                // the ground truth read and checked before the work: a wrong one is said in seconds, not after a CNN's training
                List<File> truthFiles = truths.isEmpty() ? List.of() : truthFolder != null ? truthFolder.filesFor(in.getName()) : truths;
                List<ImagePlus> truthImages = new ArrayList<>();
                for (File f : truthFiles) {
                    ImagePlus t = io.github.unseg.ij.Evaluate.open(f);
                    io.github.unseg.ij.LabelArrays.checkSameSize(imp, "image", t, "ground truth");
                    truthImages.add(t);
                }
                SegmentOptions.attachImageInputs(job, set, imp);
                try {
                    job.run(imp);
                } finally {
                    if (console != null) console.end();
                }
                if (fitOnce && model == null) model = job.model;
                done++;
                if (job.summaries.stream().anyMatch(l -> l.startsWith("note: "))) noted.add(in.getName());
                out.println(summary(tag, imp, job));
                if (job.cancelled) out.println("  interrupted: these outputs hold the result reached so far");
                if (!truths.isEmpty()) {
                    out.println("  " + (truthImages.isEmpty() ? "evaluation: no ground truth for " + in.getName() + " in " + truths.get(0)
                            : evaluate(job.labels, truthImages, evalOptions)));
                }
            } catch (SegmentationException e) {
                failed++;
                err.println(tag + ": FAILED: " + FrontEnd.CLI.respell(e.getMessage()));
            } catch (io.github.unseg.core.SafeOutput.BusyException e) {
                skipped++;
                err.println(tag + ": skipped, " + e.getFile() + " " + e.getReason());
            } catch (java.nio.file.FileAlreadyExistsException e) {
                skipped++;
                err.println(tag + ": skipped, output exists: " + e.getFile() + " (--overwrite replaces it)");
            } catch (java.io.IOException e) {
                failed++;
                err.println(tag + ": FAILED: could not write output: " + e.getMessage());
            } catch (io.github.unseg.core.CancelledException e) {
                failed++;
                err.println(tag + ": interrupted before a result was reached; nothing written");
            } catch (RuntimeException | OutOfMemoryError e) {
                failed++;
                err.println(tag + ": FAILED: " + e);
            }
        }
        if (interruptedAt >= 0) {
            err.println("unseg segment: interrupted; " + (inputs.size() - interruptedAt) + " input(s) not started.");
            failed += inputs.size() - interruptedAt;
        }
        if (batch || failed > 0 || skipped > 0) {
            // a long batch's notes (an empty field, ...) have scrolled away: the files are named again
            String notes = !batch || noted.isEmpty() ? "" : "; " + noted.size() + " with a note (see above): "
                    + String.join(", ", noted.subList(0, Math.min(5, noted.size()))) + (noted.size() > 5 ? ", ..." : "");
            out.printf(Locale.ROOT, "%d segmented, %d failed, %d skipped%s%n", done, failed, skipped, notes);
        }
        return failed > 0 || (done == 0 && skipped == 0) ? 1 : 0;
    }

    /**
     * The option checks of {@link #run} without running: method, values in the user's spelling, the
     * model file. For drivers that run {@code segment} elsewhere (the Spark module's workers), so that
     * a bad option is reported before any work. Returns null when the options are good.
     */
    static String check(String[] argv) {
        try {
            Args a = Args.parse(argv, 0, FLAGS, VALUED, REPEATABLE);
            Method method;
            try {
                method = Methods.get(a.get("method", "kmeans"));
            } catch (SegmentationException e) {
                return "--method " + a.get("method", "") + ": " + e.getMessage();
            }
            String m = a.get("model", null);
            if (m != null && !new File(m).isFile()) return "--model " + m + ": no such file.";
            SegmentationModel model = m == null ? null : Methods.load(new File(m).toPath());
            if (model != null) method = SegmentOptions.methodFor(a.get("method", null), model, FrontEnd.CLI);
            Settings set = settings(a, method);
            if (model == null) SegmentOptions.job(method, set);
            else SegmentOptions.applyJob(model, set);
            return null;
        } catch (Args.UsageException | SegmentationException e) {
            return FrontEnd.CLI.respell(e.getMessage());
        }
    }

    /**
     * The segment options without those that set how method's model is fitted (see
     * {@link SegmentOptions#LABELLING}): what a run with a model fitted from these options takes.
     */
    static List<String> labellingArgs(String method, List<String> args) {
        java.util.Map<String, Option> fitting = new java.util.HashMap<>();
        for (Option o : Methods.get(method).options) {
            if (!SegmentOptions.LABELLING.contains(o.name)) for (String k : o.keys(FrontEnd.CLI)) fitting.put(k, o);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (!s.startsWith("--")) { out.add(s); continue; }
            String key = s.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) key = key.substring(0, eq);
            Option o = fitting.get(key);
            if (o == null) { out.add(s); continue; }
            if (eq < 0 && VALUED.contains(key)) i++; // and its value
        }
        return out;
    }

    static io.github.unseg.ij.SegmentJob job(String[] argv) {
        Args a = Args.parse(argv, 0, FLAGS, VALUED, REPEATABLE);
        Method method = Methods.get(a.get("method", "kmeans"));
        return SegmentOptions.job(method, settings(a, method));
    }

    /** Whether {@code key} (without "--") is a segment option that takes no value. */
    static boolean isFlag(String key) { return FLAGS.contains(key); }

    /** Whether {@code key} (without "--") is a segment option that takes a value. */
    static boolean isValued(String key) { return VALUED.contains(key); }

    /**
     * Every input and output path checked before any long work: files that must exist exist,
     * output folders can be created and written, one-input outputs have the right extension.
     */
    /** A mask folder that holds no input's mask: said before any work. */
    private static void checkMaskFolder(Settings set, List<File> inputs) {
        String bad = set.has("mask") ? SegmentOptions.maskFolderProblem(set.text("mask", ""), inputs, "--mask") : null;
        if (bad != null) throw new Args.UsageException(bad);
    }

    private static void checkPathsEarly(Args a, boolean batch, List<File> inputs, boolean modelLoaded) {
        for (String k : modelLoaded ? new String[]{"truth", "scribbles"} : new String[]{"truth", "scribbles", "model"}) {
            for (String v : a.all(k)) {
                if (k.equals("scribbles") && v.equalsIgnoreCase("none")) continue;
                if (!new File(v).exists()) throw new Args.UsageException("--" + k + " " + v + ": no such file or folder.");
            }
        }
        for (File in : inputs) {
            if (!in.exists() && !batch) throw new Args.UsageException(in + ": no such file.");
        }
        String[] outs = {"labels", "rois", "probabilities", "save-model", "measurements"};
        String[][] ext = SegmentJob.OUTPUT_EXTENSIONS;
        for (int i = 0; i < outs.length; i++) {
            String v = a.get(outs[i], null);
            if (v == null) continue;
            File f = new File(v);
            boolean folder = batch && !outs[i].equals("save-model");
            if (folder) {
                if (f.isFile()) throw new Args.UsageException("--" + outs[i] + " " + v + " is a file; with several inputs it names a folder.");
            } else {
                if (f.isDirectory()) throw new Args.UsageException("--" + outs[i] + " " + v + " is a folder; with one input it names a file.");
                try {
                    io.github.unseg.core.SafeOutput.checkExtension("--" + outs[i], f, ext[i]);
                    io.github.unseg.core.SafeOutput.checkNotInput("--" + outs[i], f, inputs);
                } catch (SegmentationException e) {
                    throw new Args.UsageException(e.getMessage());
                }
            }
            File dir = folder ? f.getAbsoluteFile() : f.getAbsoluteFile().getParentFile();
            File existing = dir;
            while (existing != null && !existing.exists()) existing = existing.getParentFile();
            if (existing != null && !existing.isDirectory()) {
                throw new Args.UsageException("--" + outs[i] + " " + v + ": " + existing + " is a file, not a folder.");
            }
            if (existing != null && !existing.canWrite()) {
                throw new Args.UsageException("--" + outs[i] + " " + v + ": cannot write in " + existing + ".");
            }
        }
    }

    /** Fits one model on all the given images (the same channels each), for every input to share. */
    private SegmentationModel fitOn(SegmentJob template, String paths, Settings set, boolean quiet) {
        Segmenter s = template.segmenter;
        List<String> ps = new ArrayList<>();
        for (String p : paths.split(";")) if (!p.trim().isEmpty()) ps.add(p.trim());
        List<File> files = expand(ps);
        if (files.isEmpty()) throw new Args.UsageException("--fit-on names no image: " + paths);
        List<io.github.unseg.core.Image5D> imgs = new ArrayList<>();
        for (File f : files) {   // useChannels and mask, as when labelling
            ImagePlus imp = open(f);
            imgs.add(template.view(imp, set.has("mask") ? SegmentOptions.mask(set.text("mask", null), imp, set) : null));
        }
        if (s instanceof io.github.unseg.cnn.CnnSegmenter && set.has("scribbles")) { // hints on the first image
            ((io.github.unseg.cnn.CnnSegmenter) s).scribbles = SegmentOptions.scribbles(set.text("scribbles", null), open(files.get(0)), set);
        }
        ConsoleProgress console = quiet ? null : new ConsoleProgress(err, "fit on " + files.size() + " image(s)");
        try {
            return s.fit(imgs, console == null ? Progress.NONE : console);
        } finally {
            if (console != null) console.end();
        }
    }

    /** Evaluates a fresh label image against its ground truth images (annotators). */
    private static String evaluate(ImagePlus labels, List<ImagePlus> truths, io.github.unseg.eval.EvalOptions o) {
        try {
            return EvaluateCli.brief(io.github.unseg.ij.Evaluate.images(labels, truths, o)) + " (vs " + truths.size() + " ground truth"
                    + (truths.size() > 1 ? "s" : "") + ")";
        } catch (SegmentationException e) {
            return "evaluation FAILED: " + e.getMessage();
        }
    }

    static ImagePlus open(File f) {
        return io.github.unseg.ij.Evaluate.open(f);
    }

    private static File target(String path, boolean batch, String name) {
        if (path == null) return null;
        return batch ? new File(path, name) : new File(path);
    }

    static List<File> expand(List<String> paths) { return expand(paths, false); }

    /** Files of the paths (folders listed); with skipOwnOutputs, not UnSeg's own outputs. */
    static List<File> expand(List<String> paths, boolean skipOwnOutputs) {
        List<File> out = new ArrayList<>();
        for (String p : paths) {
            File f = new File(p);
            if (f.isDirectory()) {
                out.addAll(imagesIn(f, name -> true, skipOwnOutputs));
            } else if (isPattern(p)) {
                // a quoted pattern the shell left (a job script's "$IN/*.tif"): its folder's image files that match
                java.nio.file.PathMatcher m = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + f.getName());
                File dir = f.getAbsoluteFile().getParentFile();
                List<File> files = dir == null ? List.of() : imagesIn(dir, name -> m.matches(java.nio.file.Paths.get(name)), skipOwnOutputs);
                if (files.isEmpty()) throw new Args.UsageException(p + ": no image file matches this pattern.");
                out.addAll(files);
            } else {
                out.add(f); // a missing or unreadable file is reported in its turn
            }
        }
        return out;
    }

    /**
     * A folder's image files whose names pass {@code name}, in name order. UnSeg's own outputs
     * (NAME_labels.tif, ...) are not inputs with skipOwnOutputs: an output folder equal to the
     * input folder must not segment the last run's labels on the next run.
     */
    private static List<File> imagesIn(File dir, java.util.function.Predicate<String> name, boolean skipOwnOutputs) {
        File[] files = dir.listFiles(x -> name.test(x.getName()) && SegmentJob.isBatchInput(x, skipOwnOutputs));
        if (files == null) return List.of();
        Arrays.sort(files);
        return Arrays.asList(files);
    }

    /** A path naming no file whose last part holds *, ? or [: a pattern of file names in its folder. */
    static boolean isPattern(String p) {
        File f = new File(p);
        String n = f.getName();
        return !f.exists() && (n.contains("*") || n.contains("?") || n.contains("["));
    }

    /** The typed options, checked against the table in the user's spelling (usage errors, exit 2). */
    static Settings settings(Args a, Method method) {
        Settings set = SegmentOptions.settings(method, FrontEnd.CLI);
        try {
            for (java.util.Map.Entry<String, String> e : a.options.entrySet()) {
                if (e.getKey().equals("help")) continue;
                set.put(e.getKey(), e.getValue());
            }
        } catch (SegmentationException e) {
            throw new Args.UsageException(e.getMessage());
        }
        return set;
    }

    private static String summary(String tag, ImagePlus imp, SegmentJob job) {
        StringBuilder sb = new StringBuilder();
        sb.append(tag).append(": ").append(ImagePlusViews.wrap(imp).describe()).append(", ")
                .append(String.format(Locale.ROOT, "%.2f s", job.millis / 1000.0));
        for (String s : job.summaries) sb.append("\n  ").append(s);
        sb.append("\n  label pixels: ").append(SegmentJob.labelHistogram(job.labels, job.labelBlockPlanes, job.labelBlock));
        if (job.labelFile != null) sb.append("\n  labels -> ").append(job.labelFile);
        if (job.roiFile != null) sb.append("\n  ").append(job.rois.size()).append(" ROIs -> ").append(job.roiFile);
        if (job.probabilityFile != null) sb.append("\n  probabilities -> ").append(job.probabilityFile);
        if (job.modelFile != null) sb.append("\n  model -> ").append(job.modelFile);
        if (job.measurementFile != null) sb.append("\n  ").append(job.measuredLabels).append(" measured -> ").append(job.measurementFile);
        return sb.toString();
    }

    /**
     * Progress on stderr: on a terminal one line that updates in place (at most 4 times a second);
     * into a file or pipe a line at most every 5 s, so a log of 1000 iterations stays readable.
     * A report that comes sooner is shown when its interval is up unless a newer one replaced it:
     * the last state always shows within the interval, even when a long step (a large plane's
     * region merging) reports once, right after its predecessor's last line.
     * The line in place is ended before anything else is printed (see {@link #end}).
     */
    static final class ConsoleProgress implements Progress {
        private static final boolean TTY = System.console() != null;
        private static final java.util.concurrent.ScheduledExecutorService LATER =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "unseg progress");
                    t.setDaemon(true);
                    return t;
                });
        private final PrintStream err;
        private final String tag;
        private final boolean tty;
        private final long interval;
        private long last;
        private int shown;
        private String pending;   // the newest line not shown yet (null: none)
        private boolean scheduled;

        ConsoleProgress(PrintStream err, String tag) { this(err, tag, TTY, TTY ? 250_000_000L : 5_000_000_000L); }

        ConsoleProgress(PrintStream err, String tag, boolean tty, long intervalNanos) {
            this.err = err;
            this.tag = tag;
            this.tty = tty;
            this.interval = intervalNanos;
        }

        @Override
        public synchronized void report(String message, double fraction) {
            String line = fraction >= 0 ? String.format(Locale.ROOT, "%s: %3.0f%% %s", tag, 100 * fraction, message) : tag + ": " + message;
            long now = System.nanoTime();
            if (last != 0 && now - last < interval) {
                pending = line;
                if (!scheduled) {
                    scheduled = true;
                    LATER.schedule(this::showPending, last + interval - now, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                return;
            }
            show(line, now);
        }

        private synchronized void showPending() {
            scheduled = false;
            if (pending != null) show(pending, System.nanoTime());
        }

        private void show(String line, long now) {
            last = now;
            pending = null;
            if (tty) {
                // pad over the rest of a longer previous line
                err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
                shown = line.length();
                err.flush();
            } else {
                err.println(line);
            }
        }

        /** Ends the line in place, if any; a line not shown yet is dropped (the result follows). */
        synchronized void end() {
            pending = null;
            if (tty && shown > 0) { err.println(); shown = 0; }
        }

        @Override public boolean isCancelled() { return Interrupt.STOP.get(); }
    }
}

package io.github.unseg.cli;

import ij.ImagePlus;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Normalization;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.ij.LabelImages;
import io.github.unseg.ij.RoiExport;
import io.github.unseg.ij.Scribbles;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.GmmKMeansSegmenter;
import io.github.unseg.segment.GmmSegmenter;
import io.github.unseg.segment.KMeansSegmenter;
import io.github.unseg.segment.Methods;
import io.github.unseg.segment.ModelIO;
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
    static final String HELP = String.join("\n",
            "Usage: unseg segment [options] INPUT...",
            "",
            "INPUT is an image file (TIFF, PNG, JPEG, GIF, BMP...) or a folder of them.",
            "With one input, --labels/--rois/--probabilities name files; with several, folders",
            "(outputs are NAME_labels.tif, NAME_rois.zip, NAME_probabilities.tif).",
            "",
            "Method:",
            "  --method kmeans|gmm|gmm-kmeans|cnn|cnn-kmeans   (default kmeans)",
            "  --clusters N                     number of labels (default 3)",
            "  --auto-clusters MIN:MAX          gmm: pick the number of clusters by BIC",
            "  --normalization min-max|z-score|none   per channel (default min-max)",
            "  --coordinate-weight W            add x, y (, z) as features with this weight (default 0)",
            "  --smoothing SIGMA                Gaussian-smooth each channel first (pixels; default 0)",
            "  --nan mask|reject                NaN pixels: label 0, or an error (default mask)",
            "  --per-slice                      fit each slice of a stack on its own",
            "  --sample-size N                  fit on at most N random pixels, 0 = all (default 200000)",
            "  --seed N                         random seed (default 1)",
            "  --n-init N --max-iterations N --tolerance X   K-means / EM settings",
            "  --covariance full|diag --regularization X      gmm settings",
            "  --gmm-components N --posterior-weight W        gmm-kmeans settings",
            "  --channels C --nconv N --min-labels N --continuity-weight W --similarity-weight W",
            "  --learning-rate X --max-iterations N             cnn settings (reference: 100, 2, 3, 1, 1, 0.1, 1000)",
            "  --scribbles FILE                 cnn: class hints, a label image (0 = none, 1..k) or a ROI set (.zip;",
            "                                   a ROI's group is its class); the result has labels 1..k as hinted",
            "  --scribble-weight W              cnn: weight of the hints' loss (default 5; reference 0.5)",
            "  --3d                             cnn, stacks: true 3D (the whole volume at once: convolutions,",
            "                                   BatchNorm and continuity along z, z weight from the calibration)",
            "  --z-kernel 1|3                   cnn --3d: kernel depth, 3x3x1 (default) or 3x3x3 (good for two",
            "                                   classes; loses objects a few slices thick with more, see the README)",
            "  --training-slices LIST           cnn, stacks: train on these slices (e.g. 1,10,20 or 5-7),",
            "                                   label every slice (default: the middle slice)",
            "  --training-pixels N --tile-size N                cnn: train on a downscaled copy past N pixels (200000;",
            "                                                   0 = never), label in tiles of this side (512)",
            "  --threads N                      worker threads (default: all cores)",
            "",
            "Models:",
            "  --model FILE        apply a saved model instead of fitting",
            "  --save-model FILE   save the fitted model (JSON)",
            "  --fit-once          batch: fit on the first image, apply that model to all",
            "  --fit-on PATH...    fit one model on these images (files or folders, ';'-separated),",
            "                      e.g. a few representative slices, then label every input with it",
            "",
            "Outputs:",
            "  --labels PATH       16-bit label image(s)",
            "  --rois PATH         ROI set(s) (.zip), opened by ImageJ's ROI Manager",
            "  --roi-mode cluster|object   one ROI per cluster (default) or per connected object",
            "  --min-size N        smallest object kept in object mode (default 10)",
            "  --probabilities PATH        gmm: 32-bit probability maps",
            "  --overwrite         replace existing outputs (otherwise they are skipped)",
            "",
            "Evaluation (optional):",
            "  --truth PATH        ground truth label image (one input) or folder (matched by name);",
            "                      takes evaluate's --split --ignore-pred --ignore-truth --thresholds",
            "  --quiet             no progress lines",
            "");

    private static final Set<String> FLAGS = Set.of("per-slice", "fit-once", "overwrite", "quiet", "help", "split", "four-connected", "3d");
    private static final Set<String> VALUED = Set.of("method", "clusters", "auto-clusters", "normalization",
            "coordinate-weight", "smoothing", "nan", "sample-size", "seed", "n-init", "max-iterations", "tolerance", "covariance",
            "regularization", "gmm-components", "posterior-weight", "channels", "nconv", "min-labels",
            "continuity-weight", "similarity-weight", "learning-rate", "training-pixels", "scribbles", "scribble-weight", "training-slices", "z-kernel", "tile-size", "threads", "model", "save-model", "labels", "rois",
            "roi-mode", "min-size", "probabilities", "fit-on", "truth", "ignore-pred", "ignore-truth", "thresholds");
    static final List<String> IMAGE_EXTENSIONS = List.of(".tif", ".tiff", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".pgm", ".zip");

    private final PrintStream out, err;

    SegmentCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args a = Args.parse(argv, 0, FLAGS, VALUED);
        if (a.flag("help")) { out.print(HELP); return 0; }
        if (a.positional.isEmpty()) throw new Args.UsageException("Give at least one input image or folder.");
        List<File> inputs = expand(a.positional, true);
        if (inputs.isEmpty()) throw new Args.UsageException("No image files found in " + a.positional + ".");
        boolean batch = inputs.size() > 1 || new File(a.positional.get(0)).isDirectory();
        String labels = a.get("labels", null), rois = a.get("rois", null), probs = a.get("probabilities", null);
        if (labels == null && rois == null && a.get("save-model", null) == null) {
            throw new Args.UsageException("Say where to write results: --labels, --rois and/or --save-model.");
        }
        boolean overwrite = a.flag("overwrite"), quiet = a.flag("quiet");
        SegmentationModel model = null;
        if (a.get("model", null) != null) model = ModelIO.load(new File(a.get("model", null)).toPath());
        ClusterSegmenter segmenter = model == null ? segmenter(a) : null;
        if (a.get("fit-on", null) != null) {
            if (model != null) throw new Args.UsageException("--fit-on and --model exclude each other.");
            model = fitOn(segmenter, a.get("fit-on", null), a.get("scribbles", null), quiet);
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
        }
        boolean fitOnce = a.flag("fit-once");
        File saveModel = a.get("save-model", null) == null ? null : new File(a.get("save-model", null));

        if (a.get("fit-on", null) != null) saveModel = null; // saved above
        if (saveModel != null && batch && !fitOnce) {
            throw new Args.UsageException("--save-model in a batch needs --fit-once (one model for all images).");
        }
        String truth = a.get("truth", null);
        io.github.unseg.eval.EvalOptions evalOptions;
        try {
            evalOptions = EvaluateCli.options(a);
        } catch (SegmentationException e) {
            throw new Args.UsageException(e.getMessage());
        }
        RoiExport.Mode roiMode = rois == null ? RoiExport.Mode.NONE : RoiExport.Mode.parse(a.get("roi-mode", "cluster"));
        int minSize = a.getInt("min-size", 10, 0, Integer.MAX_VALUE);
        checkPathsEarly(a, batch, inputs);
        int done = 0, failed = 0, skipped = 0;
        int interruptedAt = -1;
        for (int i = 0; i < inputs.size(); i++) {
            if (Interrupt.STOP.get()) { interruptedAt = i; break; }
            File in = inputs.get(i);
            String tag = batch ? "[" + (i + 1) + "/" + inputs.size() + "] " + in.getName() : in.getName();
            String base = LabelImages.baseName(in.getName());
            SegmentJob job = new SegmentJob();
            job.labelFile = target(labels, batch, base + "_labels.tif");
            job.roiFile = target(rois, batch, base + "_rois.zip");
            job.probabilityFile = target(probs, batch, base + "_probabilities.tif");
            job.probabilities = probs != null;
            job.roiMode = roiMode;
            job.minObjectSize = minSize;
            job.overwrite = overwrite;
            job.perSlice = a.flag("per-slice");
            job.modelFile = i == 0 ? saveModel : null;
            job.optionNames = new String[]{"--labels", "--rois", "--probabilities", "--save-model"};
            job.inputFiles = inputs;
            if (model != null) job.model = model;
            else job.segmenter = segmenter;
            job.progress = quiet ? Progress.NONE : new ConsoleProgress(err, tag);
            try {
                ImagePlus imp = open(in);
                if (job.segmenter instanceof io.github.unseg.cnn.CnnSegmenter && a.get("scribbles", null) != null) {
                    ((io.github.unseg.cnn.CnnSegmenter) job.segmenter).scribbles = Scribbles.fromFile(new File(a.get("scribbles", null)), imp);
                }
                job.run(imp);
                if (fitOnce && model == null) model = job.model;
                done++;
                out.println(summary(tag, imp, job));
                if (job.cancelled) out.println("  interrupted: these outputs hold the result reached so far");
                if (truth != null) out.println("  " + evaluate(in, job.labels, new File(truth), evalOptions));
            } catch (SegmentationException e) {
                failed++;
                err.println(tag + ": FAILED: " + e.getMessage());
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
            out.printf(Locale.ROOT, "%d segmented, %d failed, %d skipped%n", done, failed, skipped);
        }
        return failed > 0 || (done == 0 && skipped == 0) ? 1 : 0;
    }

    /**
     * Every input and output path checked before any long work: files that must exist exist,
     * output folders can be created and written, one-input outputs have the right extension.
     */
    private static void checkPathsEarly(Args a, boolean batch, List<File> inputs) {
        for (String k : new String[]{"truth", "scribbles", "model"}) {
            String v = a.get(k, null);
            if (v != null && !new File(v).exists()) throw new Args.UsageException("--" + k + " " + v + ": no such file or folder.");
        }
        for (File in : inputs) {
            if (!in.exists() && !batch) throw new Args.UsageException(in + ": no such file.");
        }
        String[] outs = {"labels", "rois", "probabilities", "save-model"};
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
    private SegmentationModel fitOn(ClusterSegmenter s, String paths, String scribbles, boolean quiet) {
        List<String> ps = new ArrayList<>();
        for (String p : paths.split(";")) if (!p.trim().isEmpty()) ps.add(p.trim());
        List<File> files = expand(ps);
        if (files.isEmpty()) throw new Args.UsageException("--fit-on names no image: " + paths);
        List<io.github.unseg.core.Image5D> imgs = new ArrayList<>();
        for (File f : files) imgs.add(ImagePlusViews.wrap(open(f)));
        if (s instanceof io.github.unseg.cnn.CnnSegmenter && scribbles != null) { // hints on the first image
            ((io.github.unseg.cnn.CnnSegmenter) s).scribbles = Scribbles.fromFile(new File(scribbles), open(files.get(0)));
        }
        return s.fit(imgs, quiet ? Progress.NONE : new ConsoleProgress(err, "fit on " + files.size() + " image(s)"));
    }

    /** Evaluates a fresh label image against its ground truth file, or the files matched in a folder. */
    private static String evaluate(File input, ImagePlus labels, File truth, io.github.unseg.eval.EvalOptions o) {
        try {
            List<File> files = truth.isDirectory() ? io.github.unseg.ij.Evaluate.truthFiles(input.getName(), truth) : List.of(truth);
            if (files.isEmpty()) return "evaluation: no ground truth for " + input.getName() + " in " + truth;
            List<ImagePlus> ts = new ArrayList<>();
            for (File f : files) ts.add(io.github.unseg.ij.Evaluate.open(f));
            return EvaluateCli.brief(io.github.unseg.ij.Evaluate.images(labels, ts, o)) + " (vs " + files.size() + " ground truth"
                    + (files.size() > 1 ? "s" : "") + ")";
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
                // UnSeg's own outputs (NAME_labels.tif, ...) are not inputs: an output folder equal to
                // the input folder must not segment the last run's labels on the next run.
                File[] files = f.listFiles(x -> x.isFile() && !x.getName().startsWith(".") && isImageName(x.getName())
                        && !(skipOwnOutputs && isUnSegOutput(x.getName())));
                if (files != null) {
                    Arrays.sort(files);
                    out.addAll(Arrays.asList(files));
                }
            } else {
                out.add(f); // a missing or unreadable file is reported in its turn
            }
        }
        return out;
    }

    static boolean isUnSegOutput(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("_labels.tif") || n.endsWith("_rois.zip") || n.endsWith("_probabilities.tif");
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String e : IMAGE_EXTENSIONS) if (n.endsWith(e)) return true;
        return false;
    }

    /** More threads than this is a typo, not a machine. */
    static final int MAX_THREADS = Math.max(64, 4 * Runtime.getRuntime().availableProcessors());

    static ClusterSegmenter segmenter(Args a) {
        String method = a.get("method", "kmeans");
        ClusterSegmenter s;
        try {
            s = Methods.create(method);
        } catch (SegmentationException e) {
            throw new Args.UsageException("--method " + method + ": " + e.getMessage());
        }
        s.nClusters = a.getInt("clusters", 3, 1, 65535);
        s.features.normalization = Normalization.parse(a.get("normalization", "min-max"));
        s.features.coordinateWeight = a.getDouble("coordinate-weight", 0, 0, Double.MAX_VALUE);
        s.features.smoothing = a.getDouble("smoothing", 0, 0, 1000);
        s.features.nanPolicy = NanPolicy.parse(a.get("nan", "mask"));
        s.sampleSize = a.getInt("sample-size", 200_000, 0, Integer.MAX_VALUE);
        s.seed = a.getLong("seed", 1);
        s.threads = a.getInt("threads", s.threads, 1, MAX_THREADS);
        if (s instanceof KMeansSegmenter) {
            KMeansSegmenter k = (KMeansSegmenter) s;
            k.nInit = a.getInt("n-init", k.nInit, 1, 1000);
            k.maxIterations = a.getInt("max-iterations", k.maxIterations, 1, Integer.MAX_VALUE);
            k.tolerance = a.getDouble("tolerance", k.tolerance, 0, Double.MAX_VALUE);
        } else if (s instanceof GmmSegmenter) {
            GmmSegmenter g = (GmmSegmenter) s;
            g.covarianceType = CovarianceType.parse(a.get("covariance", "full"));
            g.maxIterations = a.getInt("max-iterations", g.maxIterations, 1, Integer.MAX_VALUE);
            g.tolerance = a.getDouble("tolerance", g.tolerance, 0, Double.MAX_VALUE);
            g.regularization = a.getDouble("regularization", g.regularization, 0, Double.MAX_VALUE);
            String auto = a.get("auto-clusters", null);
            if (auto != null) {
                String[] mm = auto.split(":");
                try {
                    g.autoMinClusters = Integer.parseInt(mm[0].trim());
                    g.autoMaxClusters = Integer.parseInt(mm[mm.length - 1].trim());
                } catch (NumberFormatException e) {
                    throw new Args.UsageException("--auto-clusters needs MIN:MAX, e.g. 2:8; got '" + auto + "'.");
                }
                if (mm.length != 2 || g.autoMinClusters < 1 || g.autoMaxClusters < g.autoMinClusters || g.autoMaxClusters > 1000) {
                    throw new Args.UsageException("--auto-clusters " + auto + ": use MIN:MAX with 1 <= MIN <= MAX <= 1000, e.g. 2:8.");
                }
            }
        } else if (s instanceof io.github.unseg.cnn.CnnSegmenter) {
            io.github.unseg.cnn.CnnSegmenter c = (io.github.unseg.cnn.CnnSegmenter) s;
            c.nChannels = a.getInt("channels", c.nChannels, 1, 1024);
            c.nConv = a.getInt("nconv", c.nConv, 1, 64);
            c.minLabels = a.getInt("min-labels", c.minLabels, 1, 65535);
            c.maxIterations = a.getInt("max-iterations", c.maxIterations, 1, Integer.MAX_VALUE);
            c.continuityWeight = a.getDouble("continuity-weight", c.continuityWeight, 0, Double.MAX_VALUE);
            c.similarityWeight = a.getDouble("similarity-weight", c.similarityWeight, 0, Double.MAX_VALUE);
            c.learningRate = a.getDouble("learning-rate", c.learningRate, Double.MIN_VALUE, 100);
            c.trainingPixels = a.getInt("training-pixels", c.trainingPixels, 0, Integer.MAX_VALUE);
            c.tileSize = a.getInt("tile-size", c.tileSize, 64, 65536);
            c.scribbleWeight = a.getDouble("scribble-weight", c.scribbleWeight, 0, Double.MAX_VALUE);
            c.volumetric = a.flag("3d");
            c.zKernel = a.getInt("z-kernel", c.zKernel, 1, 3);
            if (a.get("z-kernel", null) != null && c.zKernel == 2) throw new Args.UsageException("--z-kernel 2: use 1 or 3.");
            if (!c.volumetric && a.get("z-kernel", null) != null) throw new Args.UsageException("--z-kernel works with --3d only.");
            if (c.volumetric && a.flag("per-slice")) throw new Args.UsageException("--3d and --per-slice exclude each other.");
            try {
                c.trainingSlices = io.github.unseg.cnn.CnnSegmenter.parseSlices(a.get("training-slices", null));
            } catch (SegmentationException e) {
                throw new Args.UsageException(e.getMessage());
            }
        } else if (s instanceof GmmKMeansSegmenter) {
            GmmKMeansSegmenter g = (GmmKMeansSegmenter) s;
            g.covarianceType = CovarianceType.parse(a.get("covariance", "full"));
            g.gmmComponents = a.getInt("gmm-components", 0, 0, 65535);
            g.posteriorWeight = a.getDouble("posterior-weight", 1.0, 0, Double.MAX_VALUE);
            g.nInit = a.getInt("n-init", g.nInit, 1, 1000);
            g.maxIterations = a.getInt("max-iterations", g.maxIterations, 1, Integer.MAX_VALUE);
            g.tolerance = a.getDouble("tolerance", g.tolerance, 0, Double.MAX_VALUE);
        }
        if (!(s instanceof io.github.unseg.cnn.CnnSegmenter)) {
            if (a.flag("3d")) throw new Args.UsageException("--3d works with --method cnn only.");
            for (String o : new String[]{"scribbles", "scribble-weight", "training-slices", "z-kernel"}) {
                if (a.get(o, null) != null) throw new Args.UsageException("--" + o + " works with --method cnn or cnn-kmeans only.");
            }
        }
        if (a.get("sample-size", null) != null && s.sampleSize != 0 && s.sampleSize < Math.max(2, s.nClusters) * 10) {
            throw new Args.UsageException("--sample-size " + s.sampleSize + " is too small to fit " + s.nClusters
                    + " clusters: use 0 (all pixels) or at least " + Math.max(2, s.nClusters) * 10 + ".");
        }
        if (!method.startsWith("gmm") || s instanceof GmmKMeansSegmenter) {
            if (a.get("auto-clusters", null) != null) throw new Args.UsageException("--auto-clusters works with --method gmm only.");
        }
        return s;
    }

    private static String summary(String tag, ImagePlus imp, SegmentJob job) {
        StringBuilder sb = new StringBuilder();
        sb.append(tag).append(": ").append(ImagePlusViews.wrap(imp).describe()).append(", ")
                .append(String.format(Locale.ROOT, "%.2f s", job.millis / 1000.0));
        for (String s : job.summaries) sb.append("\n  ").append(s);
        sb.append("\n  label pixels: ").append(SegmentJob.labelHistogram(job.labels));
        if (job.labelFile != null) sb.append("\n  labels -> ").append(job.labelFile);
        if (job.roiFile != null) sb.append("\n  ").append(job.rois.size()).append(" ROIs -> ").append(job.roiFile);
        if (job.probabilityFile != null) sb.append("\n  probabilities -> ").append(job.probabilityFile);
        if (job.modelFile != null) sb.append("\n  model -> ").append(job.modelFile);
        return sb.toString();
    }

    /** Progress lines on stderr, at most one a second. */
    private static final class ConsoleProgress implements Progress {
        private final PrintStream err;
        private final String tag;
        private long last;

        ConsoleProgress(PrintStream err, String tag) { this.err = err; this.tag = tag; }

        @Override
        public void report(String message, double fraction) {
            long now = System.nanoTime();
            if (now - last < 1_000_000_000L) return;
            last = now;
            err.println(fraction >= 0 ? String.format(Locale.ROOT, "%s: %3.0f%% %s", tag, 100 * fraction, message)
                    : tag + ": " + message);
        }

        @Override public boolean isCancelled() { return Interrupt.STOP.get(); }
    }
}

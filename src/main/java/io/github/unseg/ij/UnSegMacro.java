package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.measure.ResultsTable;
import io.github.unseg.core.CancelledException;
import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Normalization;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.GmmSegmenter;
import io.github.unseg.segment.KMeansSegmenter;
import io.github.unseg.segment.Methods;
import io.github.unseg.segment.ModelIO;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Functions for ImageJ macros, called with call("io.github.unseg.ij.UnSegMacro.NAME", ...). They
 * work in plain ImageJ and in Fiji, headless too. Each returns a string; on bad input it returns
 * "error: message" (and logs it) instead of throwing, so a batch macro can report and go on.
 *
 * <pre>
 * r = call("io.github.unseg.ij.UnSegMacro.evaluate", "pred.tif", "truth.tif", "ignore_pred=1 ignore_truth=0 split");
 * miou = parseFloat(call("io.github.unseg.ij.UnSegMacro.get", "meanIoU"));
 * </pre>
 */
public final class UnSegMacro {
    private static volatile Evaluation last;

    private UnSegMacro() { }

    /**
     * Evaluates a prediction against ground truth. Each argument is an open image's title or a file
     * path; truth may list several (separated by ';') or name a folder (files matched by name).
     * Options: split, four_connected, ignore_pred=L, ignore_truth=L, thresholds=0.5:0.05:0.95.
     * Adds a row to the Results table and returns "key=value" pairs separated by commas.
     */
    public static String evaluate(String prediction, String truth, String options) {
        try {
            ImagePlus p = image(prediction, "prediction");
            List<ImagePlus> ts = new ArrayList<>();
            File folder = new File(truth.trim());
            if (folder.isDirectory()) {
                for (File f : Evaluate.truthFiles(nameOf(prediction, p), folder)) ts.add(Evaluate.open(f));
                if (ts.isEmpty()) throw new SegmentationException("No ground truth for " + nameOf(prediction, p) + " in " + folder + ".");
            } else {
                for (String t : truth.split(";")) if (!t.trim().isEmpty()) ts.add(image(t.trim(), "ground truth"));
            }
            Evaluation e = Evaluate.images(p, ts, options(options));
            last = e;
            ResultsTable rt = ResultsTable.getResultsTable();
            if (rt == null) rt = new ResultsTable();
            EvaluationTables.addSummaryRow(rt, p.getTitle(), ts.get(0).getTitle(), e);
            rt.show("Results");
            return summary(e);
        } catch (SegmentationException e) {
            return error(e.getMessage());
        }
    }

    /**
     * Opens an image file and makes it the current image; returns its title. Unlike the macro
     * function open(), it also works in a plain ImageJ without a display (open() builds ImageJ's
     * menus first, which needs one; Fiji's headless mode patches that, plain ImageJ does not).
     */
    public static String open(String path) {
        try {
            ImagePlus imp = Evaluate.open(new File(path.trim()));
            imp.show();
            return imp.getTitle();
        } catch (SegmentationException e) {
            return error(e.getMessage());
        }
    }

    /** A figure of the last evaluation by name (e.g. meanIoU, PRI, VoI, covering, f1@0.50). */
    public static String get(String key) {
        if (last == null) return error("No evaluation yet: call evaluate first.");
        try {
            return Double.toString(last.get(key.trim()));
        } catch (SegmentationException e) {
            return error(e.getMessage());
        }
    }

    /** The names of the figures of the last evaluation, comma-separated. */
    /**
     * Ends a macro run by ImageJ's -batch (no ImageJ window) with this exit code, so that a batch
     * job that had failures exits non-zero; in a running ImageJ it does nothing (never closes it).
     */
    public static String exitIfBatch(String code) {
        int c;
        try {
            c = Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            return error("exitIfBatch needs a whole number, got '" + code + "'.");
        }
        if (ij.IJ.getInstance() == null) System.exit(c);
        return "";
    }

    public static String keys() {
        return last == null ? "" : String.join(",", last.summary.keySet());
    }

    /**
     * Segments an open image (title) or an image file and shows the label image, whose title it
     * returns. Options: method=kmeans|gmm|gmm-kmeans|cnn nclusters=3 normalization=min-max
     * coordinateweight=0 smoothing=0 seed=1 samplesize=200000 perslice model=FILE savemodel=FILE labels=FILE
     * rois=FILE roimode=cluster|object minsize=10 overwrite; for cnn also nchannels=100
     * nconv=2 minlabels=3 maxiterations=1000 continuityweight=1 similarityweight=1 learningrate=0.1
     * trainingpixels=200000 tilesize=512 trainingslices=1,10,20 scribbleweight=5 3d (true 3D)
     * zkernel=1 (3D kernel depth: 1 = 3x3x1, 3 = 3x3x3) and
     * scribbles=roimanager (the ROI Manager's ROIs; a ROI's group is its class) or
     * scribbles=[title or file] (a label image, 0 = no hint, or a .zip ROI set).
     */
    public static String segment(String image, String options) {
        try {
            String o = options == null ? "" : options;
            checkKeys(o, SEGMENT_KEYS);   // a misspelt key must not be silently ignored
            ImagePlus imp = image(image, "input");
            SegmentJob job = new SegmentJob();
            String model = value(o, "model", null);
            if (model != null) {
                job.model = ModelIO.load(new File(model).toPath());
            } else {
                ClusterSegmenter s = Methods.create(value(o, "method", "kmeans"));
                s.nClusters = Integer.parseInt(value(o, "nclusters", "3"));
                s.features.normalization = Normalization.parse(value(o, "normalization", "min-max"));
                s.features.coordinateWeight = Double.parseDouble(value(o, "coordinateweight", "0"));
                s.features.smoothing = Double.parseDouble(value(o, "smoothing", "0"));
                s.features.nanPolicy = NanPolicy.parse(value(o, "nanpolicy", "mask"));
                s.seed = Long.parseLong(value(o, "seed", "1"));
                s.sampleSize = Integer.parseInt(value(o, "samplesize", "200000"));
                if (s instanceof KMeansSegmenter) ((KMeansSegmenter) s).nInit = Integer.parseInt(value(o, "ninit", "3"));
                if (s instanceof io.github.unseg.cnn.CnnSegmenter) {
                    io.github.unseg.cnn.CnnSegmenter c = (io.github.unseg.cnn.CnnSegmenter) s;
                    c.nChannels = Integer.parseInt(value(o, "nchannels", "100"));
                    c.nConv = Integer.parseInt(value(o, "nconv", "2"));
                    c.minLabels = Integer.parseInt(value(o, "minlabels", "3"));
                    c.maxIterations = Integer.parseInt(value(o, "maxiterations", "1000"));
                    c.continuityWeight = Double.parseDouble(value(o, "continuityweight", "1"));
                    c.similarityWeight = Double.parseDouble(value(o, "similarityweight", "1"));
                    c.learningRate = Double.parseDouble(value(o, "learningrate", "0.1"));
                    c.trainingPixels = Integer.parseInt(value(o, "trainingpixels", "200000"));
                    c.tileSize = Integer.parseInt(value(o, "tilesize", "512"));
                    c.scribbleWeight = Double.parseDouble(value(o, "scribbleweight", "5"));
                    c.volumetric = flag(o, "3d");
                    c.zKernel = Integer.parseInt(value(o, "zkernel", "1"));
                    c.trainingSlices = io.github.unseg.cnn.CnnSegmenter.parseSlices(value(o, "trainingslices", null));
                    String scr = value(o, "scribbles", null);
                    if (scr != null) c.scribbles = scribbles(scr, imp);
                }
                if (s instanceof GmmSegmenter && value(o, "autoclusters", null) != null) {
                    String[] mm = value(o, "autoclusters", null).split(":");
                    ((GmmSegmenter) s).autoMinClusters = Integer.parseInt(mm[0]);
                    ((GmmSegmenter) s).autoMaxClusters = Integer.parseInt(mm[mm.length - 1]);
                }
                job.segmenter = s;
                job.perSlice = flag(o, "perslice");
                String save = value(o, "savemodel", null);
                if (save != null) job.modelFile = new File(save);
            }
            String labels = value(o, "labels", null), rois = value(o, "rois", null);
            if (labels != null) job.labelFile = new File(labels);
            if (rois != null) {
                job.roiFile = new File(rois);
                job.roiMode = RoiExport.Mode.parse(value(o, "roimode", "cluster"));
            }
            job.minObjectSize = Integer.parseInt(value(o, "minsize", "10"));
            job.overwrite = flag(o, "overwrite");
            job.optionNames = new String[]{"labels=", "rois=", "probabilities=", "savemodel="};
            job.run(imp);
            // headless outside a batch macro there is no window to show it in (a direct call)
            if (!java.awt.GraphicsEnvironment.isHeadless() || ij.macro.Interpreter.isBatchMode()) job.labels.show();
            return job.labels.getTitle();
        } catch (SegmentationException | CancelledException e) {
            return error(e.getMessage());
        } catch (NumberFormatException e) {
            return error("A number in the options could not be read (" + e.getMessage() + ").");
        } catch (io.github.unseg.core.SafeOutput.BusyException e) {
            return error("The file " + e.getFile() + " " + e.getReason() + ": nothing written.");
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return error("The file " + e.getFile() + " exists: add 'overwrite' to the options to replace it.");
        } catch (java.io.IOException e) {
            return error("Could not write an output file: " + e.getMessage());
        } catch (java.awt.HeadlessException e) {
            return error("This needs ImageJ's windows (e.g. scribbles=roimanager needs the ROI Manager), which headless ImageJ"
                    + " lacks: save the ROIs as a .zip and give scribbles=FILE.");
        } catch (RuntimeException | OutOfMemoryError e) {
            // a macro's call() must get an answer, never a stack trace
            return error("Unexpected failure: " + e + ".");
        }
    }

    /** Scribbles named in a macro: roimanager, an open image's title, or a file. */
    static int[] scribbles(String what, ImagePlus imp) {
        if (what.equalsIgnoreCase("roimanager") || what.equalsIgnoreCase("roi-manager")) {
            if (java.awt.GraphicsEnvironment.isHeadless()) {
                throw new SegmentationException("scribbles=roimanager needs the ROI Manager, which headless ImageJ lacks:"
                        + " save the ROIs as a .zip and give scribbles=FILE.");
            }
            return Scribbles.fromRoiManager(imp);
        }
        File f = new File(what);
        if (f.isFile()) return Scribbles.fromFile(f, imp);
        return Scribbles.fromLabelImage(image(what, "scribble"), imp);
    }

    static EvalOptions options(String options) {
        String o = options == null ? "" : options;
        EvalOptions eo = new EvalOptions();
        eo.splitComponents = flag(o, "split");
        eo.fullConnectivity = !flag(o, "four_connected");
        eo.ignorePredLabel = EvalOptions.parseLabel(value(o, "ignore_pred", "none"));
        eo.ignoreTruthLabel = EvalOptions.parseLabel(value(o, "ignore_truth", "none"));
        eo.thresholds = EvalOptions.parseThresholds(value(o, "thresholds", "0.5"));
        return eo;
    }

    static String summary(Evaluation e) {
        StringBuilder sb = new StringBuilder();
        for (java.util.Map.Entry<String, Double> en : e.summary.entrySet()) {
            if (sb.length() > 0) sb.append(',');
            sb.append(en.getKey()).append('=').append(String.format(Locale.ROOT, "%.6g", en.getValue()));
        }
        return sb.toString();
    }

    /** An open image by title, else an image file by path. */
    static ImagePlus image(String ref, String role) {
        if (ref == null || ref.trim().isEmpty()) throw new SegmentationException("No " + role + " image given.");
        String r = ref.trim();
        ImagePlus imp = WindowManager.getImage(r);
        if (imp != null) return imp;
        File f = new File(r);
        if (f.isFile()) return Evaluate.open(f);
        throw new SegmentationException("No open image titled '" + r + "' and no file of that name (" + role + ").");
    }

    private static String nameOf(String ref, ImagePlus imp) {
        File f = new File(ref.trim());
        return f.isFile() ? f.getName() : imp.getTitle();
    }

    static final java.util.Set<String> SEGMENT_KEYS = java.util.Set.of("method", "nclusters", "normalization",
            "coordinateweight", "smoothing", "nanpolicy", "seed", "samplesize", "ninit", "nchannels", "nconv", "minlabels",
            "maxiterations", "continuityweight", "similarityweight", "learningrate", "trainingpixels", "tilesize",
            "scribbleweight", "3d", "zkernel", "trainingslices", "scribbles", "autoclusters", "perslice", "savemodel",
            "model", "labels", "rois", "roimode", "minsize", "overwrite");

    /** Refuses an option key that is not one of {@code known}, naming it and the keys there are. */
    static void checkKeys(String options, java.util.Set<String> known) {
        String plain = options.replaceAll("=\\[[^\\]]*\\]", "=x");
        for (String token : plain.trim().split("\\s+")) {
            if (token.isEmpty()) continue;
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
            if (!known.contains(key)) {
                throw new SegmentationException("Unknown option '" + key + "'; the options are: "
                        + String.join(" ", new java.util.TreeSet<>(known)) + ".");
            }
        }
    }

    static String value(String options, String key, String def) {
        String v = Macro.getValue(" " + options + " ", key, null);
        return v == null ? def : v;
    }

    static boolean flag(String options, String key) {
        return Pattern.compile("(^|\\s)" + Pattern.quote(key) + "(\\s|$)").matcher(options).find();
    }

    private static String error(String message) {
        IJ.log("UnSeg: " + message);
        return "error: " + message;
    }
}

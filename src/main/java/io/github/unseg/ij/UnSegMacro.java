package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import io.github.unseg.core.CancelledException;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Settings;

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
 * r = call("io.github.unseg.ij.UnSegMacro.evaluate", "pred.tif", "truth.tif", "ignorepredlabel=1 ignoretruthlabel=0 splitcomponents");
 * miou = parseFloat(call("io.github.unseg.ij.UnSegMacro.get", "meanIoU"));
 * </pre>
 */
public final class UnSegMacro {
    private static volatile Evaluation last;

    private UnSegMacro() { }

    /**
     * Evaluates a prediction against ground truth. Each argument is an open image's title or a file
     * path; truth may list several (separated by ';') or name a folder (files matched by name).
     * Options: splitcomponents, fourconnected, ignorepredlabel=L, ignoretruthlabel=L,
     * thresholds=0.5:0.05:0.95 (also the older split, four_connected, ignore_pred, ignore_truth).
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

    /**
     * "true" if a folder's file is an input of a batch, as the command line takes it (an image
     * file, not hidden, not a ROI set, not named as UnSeg's output), else "false": for a batch
     * macro's loop over getFileList (scripts/batch_segment.ijm).
     */
    public static String isBatchInput(String path) {
        return Boolean.toString(SegmentJob.isBatchInput(new File(path.trim()), true));
    }

    /** The names of the figures of the last evaluation, comma-separated. */
    public static String keys() {
        return last == null ? "" : String.join(",", last.summary.keySet());
    }

    /**
     * Segments an open image (title) or an image file and shows the label image, whose title it
     * returns. The options are those of the menu command of the method, with the keys a recorded
     * run() uses (the parameter names in lower case; a bare key turns a checkbox on), plus
     * method=kmeans|gmm|gmm-kmeans|cnn|cnn-kmeans, model=FILE (apply a saved model), and the files
     * labels=, rois=, probabilities=, savemodel=. E.g. "method=gmm nclusters=2 smoothing=1
     * labels=[/data/out.tif]"; `scripts/unseg options` lists every key. Unknown keys are errors.
     */
    public static String segment(String image, String options) {
        try {
            java.util.Map<String, String> kv = tokens(options == null ? "" : options);
            // with model=, the options are the model's method's (a CNN model takes tilesize=)
            String modelFile = kv.get("model");
            io.github.unseg.segment.SegmentationModel saved = modelFile == null || modelFile.isEmpty() ? null : Methods.load(new File(modelFile).toPath());
            Method method = SegmentOptions.methodFor(kv.get("method"), saved, FrontEnd.MACRO);
            Settings set = SegmentOptions.settings(method, FrontEnd.MACRO);
            for (java.util.Map.Entry<String, String> e : kv.entrySet()) set.put(e.getKey(), e.getValue() == null ? "true" : e.getValue());
            ImagePlus imp = image(image, "input");
            SegmentJob job;
            if (saved != null) {
                job = SegmentOptions.applyJob(saved, set);
            } else {
                job = SegmentOptions.job(method, set);
                String save = set.text("saveModel", "");
                if (!save.isEmpty()) job.modelFile = new File(save);
            }
            SegmentOptions.attachImageInputs(job, set, imp);
            String labels = set.text("labels", ""), rois = set.text("rois", ""), probs = set.text("probabilities", "");
            if (!labels.isEmpty()) job.labelFile = new File(labels);
            if (!rois.isEmpty()) job.roiFile = new File(rois);
            String measurements = set.text("measurements", "");
            if (!measurements.isEmpty()) job.measurementFile = new File(measurements);
            if (!probs.isEmpty()) {
                job.probabilityFile = new File(probs);
                job.probabilityMaps = true;
            }
            job.progress = new StatusProgress();
            job.run(imp);
            if (job.cancelled) {   // Esc: the result reached so far is kept; the log says what it holds
                IJ.log("UnSeg: cancelled (Esc): the labels reached so far are kept");
                for (String m : job.summaries) IJ.log("UnSeg: " + m);
            }
            // headless outside a batch macro there is no window to show it in (a direct call)
            if (!java.awt.GraphicsEnvironment.isHeadless() || ij.macro.Interpreter.isBatchMode()) job.labels.show();
            return job.labels.getTitle();
        } catch (SegmentationException | CancelledException e) {
            return error(e.getMessage());
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

    /**
     * The keys (lower case) and values of a macro options string, as ImageJ writes them:
     * key=value, key=[value with spaces], or a bare key (a ticked checkbox: null value).
     */
    static java.util.Map<String, String> tokens(String options) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = Pattern.compile("([^\\s=]+)(?:=(?:\\[([^\\]]*)\\]|(\\S*)))?").matcher(options);
        while (m.find()) {
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String v = m.group(2) != null ? m.group(2) : m.group(3);
            if (out.containsKey(key)) throw new SegmentationException(key + " is given twice: give it once.");
            out.put(key, v);
        }
        return out;
    }

    /** The evaluator's options from the table (splitcomponents, fourconnected, ignorepredlabel...). */
    static EvalOptions options(String options) {
        Settings set = new Settings(FrontEnd.MACRO, io.github.unseg.options.Options.EVALUATION);
        for (java.util.Map.Entry<String, String> e : tokens(options == null ? "" : options).entrySet()) {
            set.put(e.getKey(), e.getValue() == null ? "true" : e.getValue());
        }
        EvalOptions eo = new EvalOptions();
        set.applyTo(eo);
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

    private static String error(String message) {
        message = FrontEnd.MACRO.respell(message);
        IJ.log("UnSeg: " + message);
        return "error: " + message;
    }
}

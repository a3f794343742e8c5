package io.github.unseg.ij;

import ij.ImagePlus;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Option;
import io.github.unseg.options.Options;
import io.github.unseg.options.Settings;
import io.github.unseg.segment.Segmenter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge from the option table to a {@link SegmentJob}, shared by the menu commands, macros
 * and the command line: which options a run takes, their defaults, and the job they make.
 */
public final class SegmentOptions {
    private SegmentOptions() { }

    /** Everything a segmentation with method m takes in front end fe (the table says which exist where). */
    public static List<Option> scope(Method m, FrontEnd fe) {
        List<Option> all = Options.join(List.of(Methods.METHOD), m.options, Options.OUTPUTS, List.of(Options.MODEL));
        for (Option o : Options.PREVIEWING) if (all.remove(o)) all.add(o);   // last, as in ImageJ's own dialogs
        if (fe == FrontEnd.CLI) all = Options.join(all, Options.BATCHES, Options.EVALUATION);
        all.removeIf(o -> !o.in(fe));
        return all;
    }

    /** Settings for method m in fe; a key of another method is refused naming the methods that take it. */
    public static Settings settings(Method m, FrontEnd fe) {
        return new Settings(fe, scope(m, fe), key -> Methods.whoTakes(fe, key));
    }

    /** Where the defaults live: the method's segmenter, its features, a job, the evaluator's options. */
    public static Object[] defaultTargets(Method m) {
        Segmenter s = m.newSegmenter();
        SegmentJob job = new SegmentJob();
        return new Object[]{s, s.features(), job, job.instances, new EvalOptions()};
    }

    public static Object defaultOf(Method m, Option o) {
        return Settings.defaultOf(o, defaultTargets(m));
    }

    /** A job fitting method m with these settings (outputs' files are the front end's to set). */
    public static SegmentJob job(Method m, Settings s) {
        SegmentJob job = new SegmentJob();
        job.segmenter = Methods.configure(m, s);
        job.segmenter.validate();
        applyOutputs(job, s);
        job.checkClusters();
        return job;
    }

    /**
     * The options of a method that a saved model takes when labelling: the thread count (not the
     * fitting machine's: Spark's one core per task), the CNN's tile (labels do not depend on it)
     * and its region post-processing, which runs on each labelled image.
     */
    public static final java.util.Set<String> LABELLING = java.util.Set.of(Options.THREADS.name, Options.TILE_SIZE.name,
            Options.MIN_REGION_SIZE.name, Options.SPLIT_SCALE.name, Options.MERGE_THRESHOLD.name, Options.MERGE_TEXTURE.name, Options.N_REGIONS.name);

    /**
     * The method whose options a run takes: a saved model's own method (a different method the
     * user named is refused: the model knows its method), else the method named (null: kmeans).
     */
    public static Method methodFor(String named, io.github.unseg.segment.SegmentationModel model, FrontEnd fe) {
        if (model == null) return Methods.get(named == null ? "kmeans" : named);
        Method own = Methods.get(model.method());
        if (named != null && Methods.get(named) != own) {
            String m = fe == FrontEnd.CLI ? "--method " : "method=";
            throw new SegmentationException(m + named + " differs from the saved model's method, " + own.name
                    + ": drop " + m.trim() + " (a model knows its method).");
        }
        return own;
    }

    /**
     * A job applying a saved model, with these output settings. Of the model's method's options,
     * those in {@link #LABELLING} are applied to the model; any other one the user gave is refused,
     * for a model keeps the settings it was fitted with (before, they were silently ignored).
     */
    public static SegmentJob applyJob(io.github.unseg.segment.SegmentationModel model, Settings s) {
        SegmentJob job = new SegmentJob();
        job.model = model;
        if (s.frontEnd != FrontEnd.MENU) { // a menu form shows every field: Apply Model has no method options
            for (Option o : Methods.get(model.method()).options) {
                if (!s.has(o.name) || LABELLING.contains(o.name)) continue;
                throw new SegmentationException(s.spell(o.name) + " sets how a model is fitted; a saved model keeps the settings"
                        + " it was fitted with: drop " + s.spell(o.name) + ", or fit a new model with it (without "
                        + s.spell(Options.MODEL.name) + ").");
            }
        }
        // the rest goes into the model's public fields, which are exactly its labelling settings
        // (threads; a CNN model's tileSize and region merging)
        s.applyTo(model);
        model.checkLabelling();
        applyOutputs(job, s);
        job.checkClusters();
        return job;
    }

    /** The output settings into a job: its own fields and how it makes objects. */
    public static void applyOutputs(SegmentJob job, Settings s) {
        // Object options without objects would be ignored without a word (a menu shows every
        // field, so only typed options are checked).
        if (s.frontEnd != io.github.unseg.options.FrontEnd.MENU && !s.flag("objects")) {
            for (String k : new String[]{"foreground", "foregroundClusters", "foregroundAt", "fillHoles", "dimObjects", "refineEdges", "seedDistance", "autoSeedDistance", "excludeEdges", "maxObjectSize", "minOutlineContrast"}) {
                if (s.has(k)) {
                    throw new SegmentationException(s.spell(k) + " applies to object labels: add " + s.spell("objects")
                            + " (or drop " + s.spell(k) + ").");
                }
            }
        }
        s.applyTo(job);
        s.applyTo(job.instances);
        job.spell = s::spell;
        int min = job.instances.minObjectSize, max = job.instances.maxObjectSize;
        if (job.objects && max > 0 && max < min) {
            throw new SegmentationException(FrontEnd.withValue(s.spell("maxObjectSize"), max) + " is below " + FrontEnd.withValue(s.spell("minObjectSize"), min)
                    + ": no object could be kept; raise " + s.spell("maxObjectSize") + " (0 = no limit) or lower " + s.spell("minObjectSize") + ".");
        }
        String at = s.text("foregroundAt", "");
        if (ForegroundPoints.given(at) && job.objects) {
            ForegroundPoints.checkSpec(at, s.spell("foregroundAt"));   // before any image is read
            if (job.instances.foregroundClusters.length > 0) {
                throw new SegmentationException(s.spell("foregroundAt") + " and " + s.spell("foregroundClusters")
                        + " both name the objects' clusters: give one of them.");
            }
        }
    }

    /**
     * What a run takes from the image itself, before any work: the CNN's scribbles (when fitting)
     * the mask (mask: a file, or a folder's mask matched by the image's name) and the points that
     * name the objects' clusters (foregroundAt, checked against its size).
     */
    public static void attachImageInputs(SegmentJob job, Settings s, ImagePlus imp) {
        if (job.segmenter != null) attachScribbles(job, s, imp);
        String m = s.has("mask") ? s.text("mask", null) : null;
        File mf = maskFile(m, imp, s);
        job.mask = mask(m, mf, imp, s);
        job.maskFile = job.mask != null ? mf : null;
        String at = s.text("foregroundAt", "");
        job.foregroundAt = job.objects && ForegroundPoints.given(at) ? ForegroundPoints.of(at, imp, s.spell("foregroundAt")) : null;
    }

    /**
     * The scribbles a user named: none, roimanager (the ROI Manager's ROIs), an open image's title,
     * or a file (label image or .zip ROI set); null for none.
     */
    public static int[] scribbles(String what, ImagePlus imp, Settings s) {
        if (what == null || what.trim().isEmpty() || what.trim().equalsIgnoreCase("none")) return null;
        String w = what.trim();
        if (ForegroundPoints.isRoiManager(w)) {
            if (java.awt.GraphicsEnvironment.isHeadless()) {
                throw new SegmentationException(FrontEnd.withValue(s.spell("scribbles"), "roimanager") + " needs the ROI Manager, which headless ImageJ lacks:"
                        + " save the ROIs as a .zip and give the file instead.");
            }
            return Scribbles.fromRoiManager(imp);
        }
        File f = new File(w);
        if (f.isFile()) return Scribbles.fromFile(f, imp);
        ImagePlus open = ij.WindowManager.getImage(w);
        if (open != null) return Scribbles.fromLabelImage(open, imp);
        throw new SegmentationException(FrontEnd.withValue(s.spell("scribbles"), w) + ": no such file or open image (use none, roimanager,"
                + " or a label image / ROI set file).");
    }

    /**
     * The mask a user named for this image: none (null), an image file or open image's title (its
     * nonzero pixels are kept), a .zip / .roi ROI set (inside its ROIs kept), or a folder holding
     * each image's own mask, matched by the image's name ({@link #maskFile}); one plane of the
     * image's size, keeping at least one pixel, or refused before any work.
     */
    public static boolean[] mask(String what, ImagePlus imp, Settings s) { return mask(what, maskFile(what, imp, s), imp, s); }

    /** As {@link #mask(String, ImagePlus, Settings)} with the option's file already found (null: an open image's title). */
    private static boolean[] mask(String what, File file, ImagePlus imp, Settings s) {
        if (what == null || what.trim().isEmpty() || what.trim().equalsIgnoreCase("none")) return null;
        String w = what.trim(), opt = FrontEnd.withValue(s.spell("mask"), w);
        if (s.has("nanPolicy") && "reject".equalsIgnoreCase(s.text("nanPolicy", "mask"))) {
            throw new SegmentationException(opt + " leaves pixels out as NaN pixels are, which "
                    + io.github.unseg.options.FrontEnd.withValue(s.spell("nanPolicy"), "reject") + " refuses: drop one of the two.");
        }
        File f = file;
        if (f == null) f = new File(w);
        else opt = FrontEnd.withValue(s.spell("mask"), f.getPath());
        int[] v;
        String n = f.getName().toLowerCase(java.util.Locale.ROOT);
        List<ij.gui.Roi> rois = null;
        if (file == null && (w.equalsIgnoreCase("selection") || ForegroundPoints.isRoiManager(w))) rois = maskRois(w, imp, opt);
        else if (f.isFile() && (n.endsWith(".zip") || n.endsWith(".roi"))) rois = Scribbles.readRois(f);
        if (rois != null) {
            for (ij.gui.Roi r : rois) {
                if (!r.isArea()) {
                    throw new SegmentationException(opt + ": " + (r.getName() == null ? "the" : r.getName() + ", a") + " " + r.getTypeAsString()
                            + " selection, holds no area: draw the area to segment (rectangle, oval, polygon or freehand).");
                }
            }
            v = Scribbles.fromRois(rois, imp.getWidth(), imp.getHeight());
        } else {
            ImagePlus m = f.isFile() ? Evaluate.open(f) : ij.WindowManager.getImage(w);
            if (m == null) {
                throw new SegmentationException(opt + ": no such file, folder or open image (use none, a mask image, a ROI set file, a folder"
                        + " of masks, selection or roimanager).");
            }
            if (m.getWidth() != imp.getWidth() || m.getHeight() != imp.getHeight()) {
                throw new SegmentationException(opt + " is " + m.getWidth() + "x" + m.getHeight() + ", the image " + imp.getWidth() + "x"
                        + imp.getHeight() + ": the mask must be the image's size.");
            }
            if (m.getStackSize() > 1) throw new SegmentationException(opt + " has " + m.getStackSize() + " planes: give one plane, used for every slice.");
            v = LabelArrays.of(m, "mask");
        }
        boolean[] inside = new boolean[v.length];
        int kept = 0;
        for (int i = 0; i < v.length; i++) if (inside[i] = v[i] != 0) kept++;
        if (kept == 0) throw new SegmentationException(opt + " leaves out every pixel (it is 0 everywhere): keep the pixels to segment nonzero.");
        return inside;
    }

    /** The areas of mask selection (the image's selection) or roimanager (the ROI Manager's ROIs). */
    private static List<ij.gui.Roi> maskRois(String w, ImagePlus imp, String opt) {
        if (w.equalsIgnoreCase("selection")) {
            ij.gui.Roi r = imp.getRoi();
            if (r == null) {
                throw new SegmentationException(opt + ": " + imp.getTitle() + " has no selection: draw the area to segment (rectangle, oval,"
                        + " polygon or freehand), then run again (in a batch, give the area as a .roi or .zip file).");
            }
            return List.of(r);
        }
        if (java.awt.GraphicsEnvironment.isHeadless()) {
            throw new SegmentationException(opt + " needs the ROI Manager, which headless ImageJ lacks: save the ROIs as a .zip and give the file instead.");
        }
        ij.plugin.frame.RoiManager rm = ij.plugin.frame.RoiManager.getInstance2();   // in a batch-mode macro: its hidden one
        if (rm == null || rm.getCount() == 0) {
            throw new SegmentationException(opt + ": the ROI Manager is empty: draw the areas to segment, add each ('t'), then run again.");
        }
        return java.util.Arrays.asList(rm.getRoisAsArray());
    }

    /**
     * The file a mask option names for this image: the file itself, or for a folder the mask there
     * named as the image (NAME.*, NAME_mask.*, NAME-mask.*, or the one NAME_*.*, as DRIVE's
     * 21_training_mask.gif for 21_training.tif); null for none or an open image's title.
     */
    public static File maskFile(String what, ImagePlus imp, Settings s) {
        if (what == null || what.trim().isEmpty() || what.trim().equalsIgnoreCase("none")) return null;
        File f = new File(what.trim());
        if (!f.isDirectory()) return f.isFile() ? f : null;
        ij.io.FileInfo fi = imp.getOriginalFileInfo();
        String name = fi != null && fi.fileName != null && !fi.fileName.isEmpty() ? fi.fileName : imp.getTitle();
        File own = fi != null && fi.directory != null && fi.fileName != null ? new File(fi.directory, fi.fileName) : null;
        return maskIn(new Evaluate.TruthFolder(f), f, name, own, s.spell("mask"));
    }

    /** The files in a mask folder that may be the mask of the image named name: not the image itself (own), not UnSeg's outputs. */
    private static List<File> maskCandidates(Evaluate.TruthFolder folder, String name, File own) {
        List<File> found = new ArrayList<>();
        io.github.unseg.core.SafeOutput.Inputs image = new io.github.unseg.core.SafeOutput.Inputs(own == null ? List.of() : List.of(own));
        for (File m : folder.filesFor(name)) if (!image.contains(m) && !SegmentJob.isOutputName(m.getName())) found.add(m);
        return found;
    }

    /** The mask in a folder for the image named name (own: the image's file, never its own mask). */
    private static File maskIn(Evaluate.TruthFolder folder, File dir, String name, File own, String spelled) {
        String base = LabelImages.baseName(name);
        List<File> found = maskCandidates(folder, name, own);
        if (found.isEmpty()) {
            throw new SegmentationException(FrontEnd.withValue(spelled, dir) + ": no mask there for " + name + " (name it " + base + ".*, "
                    + base + "_mask.* or " + base + "_*.*).");
        }
        if (found.size() == 1) return found.get(0);
        for (String want : new String[]{base, base + "_mask", base + "-mask"}) {
            for (File m : found) if (LabelImages.baseName(m.getName()).equals(want)) return m;
        }
        StringBuilder names = new StringBuilder();
        for (File m : found) names.append(names.length() == 0 ? "" : ", ").append(m.getName());
        throw new SegmentationException(FrontEnd.withValue(spelled, dir) + ": " + found.size() + " files there could be the mask of " + name + " ("
                + names + "): name the one " + base + "_mask.*, or give the file itself.");
    }

    /**
     * Why a mask folder cannot serve these inputs (it holds no input's mask: a wrong folder, said
     * before any work; one image without its mask fails alone, in its turn), or null.
     */
    public static String maskFolderProblem(String what, List<File> inputs, String spelled) {
        File dir = what == null ? null : new File(what.trim());
        if (dir == null || !dir.isDirectory() || inputs.isEmpty()) return null;
        Evaluate.TruthFolder masks = new Evaluate.TruthFolder(dir);
        for (File in : inputs) if (!maskCandidates(masks, in.getName(), in).isEmpty()) return null;
        return FrontEnd.withValue(spelled, dir) + ": no file there is named as an input (for IMAGE.tif: IMAGE.*, IMAGE_mask.*"
                + " or IMAGE_*.*); give the folder of the masks, or one mask file for every image.";
    }

    /** The scribbles into the job's CNN, if the settings name any. */
    private static void attachScribbles(SegmentJob job, Settings s, ImagePlus imp) {
        if (!s.has("scribbles")) return;
        int[] hints = scribbles(s.text("scribbles", null), imp, s);
        if (hints == null) return;
        if (!(job.segmenter instanceof io.github.unseg.cnn.CnnSegmenter)) {
            throw new SegmentationException(s.spell("scribbles") + " works with the CNN methods only.");
        }
        ((io.github.unseg.cnn.CnnSegmenter) job.segmenter).scribbles = hints;
    }
}

package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Evaluation of ImagePlus label images and label files, shared by the command, macros and CLI. */
public final class Evaluate {
    private Evaluate() { }

    public static Evaluation images(ImagePlus prediction, List<ImagePlus> truths, EvalOptions o) {
        if (truths.isEmpty()) throw new SegmentationException("No ground truth image given.");
        int[] p = LabelArrays.of(prediction, "prediction");
        List<int[]> ts = new ArrayList<>();
        for (int i = 0; i < truths.size(); i++) {
            String role = truths.size() == 1 ? "ground truth" : "ground truth " + (i + 1);
            LabelArrays.checkSameSize(prediction, "prediction", truths.get(i), role);
            ts.add(LabelArrays.of(truths.get(i), role));
        }
        return Evaluation.evaluate(p, ts, LabelArrays.dims(prediction), o);
    }

    /** ImageJ's file type that a file name's extension promises. */
    private static final Map<String, Integer> TYPE_OF_EXTENSION = Map.of("png", ij.io.Opener.PNG, "jpg", ij.io.Opener.JPEG,
            "jpeg", ij.io.Opener.JPEG, "gif", ij.io.Opener.GIF, "bmp", ij.io.Opener.BMP);

    /** Opens an image file, with a clear message when it is missing or cannot be read. */
    public static ImagePlus open(File f) {
        if (!f.isFile()) throw new SegmentationException("File not found: " + f + ".");
        if (f.length() == 0) throw new SegmentationException("Cannot read " + f + ": the file is empty (0 bytes).");
        io.github.unseg.core.TiffCheck.check(f);   // ImageJ would fill a cut-off TIFF with zeros, silently
        ImagePlus imp;
        // A file ImageJ cannot recognise: say so here, before ImageJ prints its own "Unsupported
        // format" line. In Fiji, HandleExtraFileTypes (Bio-Formats...) may still open it.
        String name = f.getName().toLowerCase(java.util.Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        int type = new ij.io.Opener().getFileType(f.getPath());
        Integer expected = TYPE_OF_EXTENSION.get(ext);
        // (a renamed file of another image type still opens: ImageJ goes by the content)
        if (expected != null && (type == ij.io.Opener.UNKNOWN || type == ij.io.Opener.TEXT)) {
            throw new SegmentationException("Cannot read " + f + ": its name ends in ." + ext + " but its content is not "
                    + (ext.startsWith("jp") ? "JPEG" : ext.toUpperCase(Locale.ROOT)) + " (no such file header); is it a damaged or renamed file?");
        }
        if (RoiExport.isRoiSet(f)) {
            throw new SegmentationException("Cannot read " + f + " as an image: it is a set of ROIs (the ROI Manager's .zip), not an image.");
        }
        boolean unknown = type == ij.io.Opener.UNKNOWN && !extraFileTypes();
        if (unknown) imp = null;
        else try {
            imp = JpegFiles.isJpeg(f) ? JpegFiles.open(f) : null;
            if (imp == null) imp = IJ.openImage(f.getPath());
        } catch (RuntimeException e) {
            imp = null;
        }
        if (imp == null) {
            if ((name.endsWith(".tif") || name.endsWith(".tiff")) && !io.github.unseg.core.TiffCheck.hasTiffHeader(f)) {
                throw new SegmentationException("Cannot read " + f + ": its name ends in ." + name.substring(name.lastIndexOf('.') + 1)
                        + " but it is not a TIFF file (no TIFF header); is it a damaged or renamed file?");
            }
            throw new SegmentationException("Cannot read " + f + " as an image (ImageJ opens TIFF, PNG, JPEG, GIF, BMP...).");
        }
        if (imp.getWidth() == 0 || imp.getHeight() == 0 || imp.getStackSize() == 0) {
            // ImageJ reads any text file as a "text image" and gives an empty one when it holds no numbers
            throw new SegmentationException("Cannot read " + f + " as an image: " + (type == ij.io.Opener.TEXT || type == ij.io.Opener.JAVA_OR_TEXT
                    ? "it is a text file without a table of numbers (ImageJ reads a text image as rows of numbers)." : "it has no pixels."));
        }
        return imp;
    }

    private static boolean extraFileTypes() {
        try {
            Class.forName("HandleExtraFileTypes", false, IJ.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Ground-truth files for a prediction: the named files, or in a folder the files whose name
     * (without extension) equals the prediction's base name or starts with it and "_" (several
     * annotators, e.g. BSDS's 3096_1.png ... 3096_5.png). A prediction named NAME_labels matches NAME.
     * For many predictions, list the folder once with {@link TruthFolder}.
     */
    public static List<File> truthFiles(String predictionName, File folder) {
        return new TruthFolder(folder).filesFor(predictionName);
    }

    /**
     * A ground-truth folder listed once, for a batch of predictions: listing it for each
     * prediction made a batch's matching quadratic in the number of files.
     */
    public static final class TruthFolder {
        private final File[] files;   // sorted by name
        private final String[] names;

        public TruthFolder(File folder) {
            File[] all = folder.listFiles(f -> f.isFile() && !f.getName().startsWith("."));
            files = all == null ? new File[0] : all;
            Arrays.sort(files, java.util.Comparator.comparing(File::getName));
            names = new String[files.length];
            for (int i = 0; i < files.length; i++) names[i] = files[i].getName();
        }

        /** The files of {@link #truthFiles}: every match starts with the base name, so they lie together in name order. */
        public List<File> filesFor(String predictionName) {
            String base = predBase(predictionName);
            List<File> out = new ArrayList<>();
            int i = Arrays.binarySearch(names, base);
            if (i < 0) i = -i - 1;
            for (; i < names.length && names[i].startsWith(base); i++) {
                String b = LabelImages.baseName(names[i]);
                if (b.equals(base) || b.startsWith(base + "_") || b.equals(base + "_mask") || b.equals(base + "-mask")) out.add(files[i]);
            }
            return out;
        }
    }

    /**
     * A ground-truth folder against a batch's inputs, before any work: [a problem that stops the
     * run (no input has a truth there: a naming mistake, found after the whole batch before), or
     * null; a note naming the inputs without one, which are segmented but not evaluated, or null].
     */
    public static String[] truthFolderCheck(File folder, List<File> inputs, String spelled) {
        TruthFolder truths = new TruthFolder(folder);
        List<String> missing = new ArrayList<>();
        for (File in : inputs) if (truths.filesFor(in.getName()).isEmpty()) missing.add(in.getName());
        if (missing.isEmpty()) return new String[]{null, null};
        if (missing.size() == inputs.size()) {
            return new String[]{spelled + " " + folder + ": no file there is named as an input (for IMAGE.tif: IMAGE.*, IMAGE_*.*"
                    + " or IMAGE-mask.*); give the folder of the ground truths, or rename them.", null};
        }
        String names = String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + (missing.size() > 3 ? ", ..." : "");
        return new String[]{null, "note: " + missing.size() + " of " + inputs.size() + " inputs " + (missing.size() == 1 ? "has" : "have")
                + " no ground truth in " + folder
                + " (" + names + "): they are segmented, not evaluated"};
    }

    public static String predBase(String name) {
        String b = LabelImages.baseName(name);
        for (String suffix : new String[]{"_labels", "-labels"}) {
            if (b.toLowerCase(Locale.ROOT).endsWith(suffix)) return b.substring(0, b.length() - suffix.length());
        }
        return b;
    }
}

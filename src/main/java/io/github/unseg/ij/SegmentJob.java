package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import io.github.unseg.core.Image5D;
import io.github.unseg.label.Instances;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SafeOutput;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.Segmentation;
import io.github.unseg.segment.SegmentationModel;
import io.github.unseg.segment.Segmenter;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;

/**
 * One segmentation of one ImagePlus, shared by the menu commands and the command line: fit (or
 * apply a saved model), label into a new image, and make the requested ROIs, probability maps and
 * files. Never modifies or closes the input image; never replaces a file unless overwrite is set.
 */
public final class SegmentJob {
    // Settings
    public Segmenter segmenter;
    /** A model to apply instead of fitting one. */
    public SegmentationModel model;
    public boolean perSlice;
    /** gmm: make probability maps (saved to probabilityFile when set). */
    public boolean probabilityMaps;
    public RoiExport.Mode roiMode = RoiExport.Mode.CLUSTER;
    /** Make ROIs (roiMode) even without a roiFile: for the ROI Manager. */
    public boolean roisInMemory;
    /** Label objects instead of clusters (instances: foreground rule, holes, watershed, minimum size). */
    public boolean objects;
    /** How objects are made, and the minimum object size of ROIs in object mode. */
    public final Instances instances = new Instances();
    public File labelFile, roiFile, modelFile, probabilityFile, measurementFile;
    public boolean overwrite;
    public Progress progress = Progress.NONE;
    /** The objects' clusters under these points of the image (foregroundAt), read on its cluster labels; null: none. */
    public ForegroundPoints foregroundAt;
    /** The image's channels (1-based) the methods see; null: all. */
    public int[] useChannels;
    /** The pixels the methods see (mask; one plane, for every slice and frame): the rest read NaN; null: all. */
    public boolean[] mask;
    /** Padding (one value in whole rows or columns along a plane's edges, or in corners a rotation or a stitching left) reads NaN, as masked pixels. */
    public boolean maskPadding = true;
    /** Outlier pixels (hot, dead) read as their channel's 0.1th or 99.9th percentile. */
    public boolean clipOutliers = true;
    /** What the objects' steps read (dim objects, edges, outline contrast): the image's channels, outliers clipped. */
    private Image5D objectIntensities;
    /** The file the mask was read from (null: none or an open image), an input like the image. */
    public File maskFile;
    /** How the front end spells an option (its canonical name in, e.g. "--foreground-clusters" out), for messages. */
    public java.util.function.UnaryOperator<String> spell = name -> name;
    /** Files this run reads (besides the image's own file): never written over. One set for a whole batch. */
    public SafeOutput.Inputs inputFiles = new SafeOutput.Inputs(List.of());

    // Results
    public ImagePlus labels;
    public ImagePlus probabilityImage;
    public List<Roi> rois = new ArrayList<>();
    public List<String> summaries = new ArrayList<>();
    /** From this many channels in a single plane, the summary asks whether they are slices. */
    static final int MANY_CHANNELS = 8;
    /** The measurements CSV (header and a row per label), when measurementFile is set. */
    public String measurementCsv;
    public int measuredLabels;
    public long millis;
    /** Whether the run was cancelled and the outputs hold the result reached so far. */
    public boolean cancelled;

    /** The outputs' options: labels, ROIs, probabilities, model, measurements (messages name them through spell). */
    public static final String[] OUTPUT_OPTIONS = {"labels", "rois", "probabilities", "saveModel", "measurements"};
    /** The extensions each output may have, in OUTPUT_OPTIONS' order. */
    public static final String[][] OUTPUT_EXTENSIONS = {{".tif", ".tiff"}, {".zip"}, {".tif", ".tiff"}, {".json"}, {".csv"}};

    /** Whether a file is named as a batch's own output (NAME_labels.tif, ...): never taken as an input or a mask. */
    public static boolean isOutputName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith("_labels.tif") || n.endsWith("_rois.zip") || n.endsWith("_probabilities.tif") || n.endsWith("_measurements.csv");
    }

    /** The extensions a batch reads as images (.zip: ImageJ's zipped TIFF; a ROI set is not one). */
    public static final List<String> IMAGE_EXTENSIONS = List.of(".tif", ".tiff", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".pgm", ".zip");

    /** An image file by its extension, and not a set of ROIs. */
    public static boolean isImageFile(File f) {
        String n = f.getName().toLowerCase(java.util.Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(n::endsWith) && !RoiExport.isRoiSet(f);
    }

    /**
     * Whether a folder's file is one of a batch's inputs: an image file, not hidden (a Mac's
     * ._NAME.tif beside each file on a shared drive is no image), and, with skipOwnOutputs, not
     * named as UnSeg's output (an output folder equal to the input folder). One rule for the
     * command line, Spark and the batch macro.
     */
    public static boolean isBatchInput(File f, boolean skipOwnOutputs) {
        return f.isFile() && !f.getName().startsWith(".") && isImageFile(f) && !(skipOwnOutputs && isOutputName(f.getName()));
    }

    public SegmentJob run(ImagePlus image) throws IOException {
        try (SafeOutput output = new SafeOutput(overwrite)) {
            return run(image, output);
        } catch (OutOfMemoryError e) {
            // checkMemory's count misses what depends on the result (a noisy plane's millions of
            // regions): the error in the user's terms; its arrays are unreachable by now
            throw new SegmentationException(outOfMemory(": nothing written. "));
        }
    }

    /** An OutOfMemoryError said as {@link #checkMemory} says a run too large (a preview's fit outside run, too). */
    public String outOfMemoryMessage() { return outOfMemory(". "); }

    private String outOfMemory(String then) {
        long max = Runtime.getRuntime().maxMemory();
        return String.format(java.util.Locale.ROOT, "Java ran out of memory (it may use %.1f GB)", max / 1e9) + then
                + memoryAdvice((long) Math.ceil(max * 2.0 / (1L << 30)));
    }

    /** What to do when a run does not fit; gb: the Java memory to suggest. */
    private String memoryAdvice(long gb) {
        return "Give Java more (the command line: UNSEG_JAVA_OPTS=-Xmx" + gb + "g; ImageJ: Edit > Options > Memory & Threads), or"
                + " segment slice by slice (" + spell.apply("perSlice") + "), crop, or use fewer CNN channels or smaller tiles.";
    }

    /**
     * Refuses, before allocating, a run that would not fit in Java's memory: a rough count of the
     * arrays the run holds at once (pixels, features, labels, probability maps, a CNN's tiles),
     * so that the user gets the figure and what to do instead of an OutOfMemoryError.
     */
    void checkMemory(ImagePlus image) {
        long n = (long) image.getWidth() * image.getHeight() * image.getNSlices() * image.getNFrames();
        int c = image.getNChannels() * (image.getType() == ImagePlus.COLOR_RGB ? 3 : 1);
        boolean coords = model != null ? model.featureSpec().coordinateWeight > 0
                : segmenter != null && segmenter.features().coordinateWeight > 0;
        long bytes = n * (4L * c + 4L * (c + (coords ? 3 : 0)) + 2 + 8);   // raw, features, labels, rows
        if (probabilityMaps) bytes += n * 4L * Math.max(2, model != null ? model.nLabels() : 16);
        if (segmenter instanceof io.github.unseg.cnn.CnnSegmenter) {
            io.github.unseg.cnn.CnnSegmenter cnn = (io.github.unseg.cnn.CnnSegmenter) segmenter;
            long tile = Math.min(n, (long) cnn.tileSize * cnn.tileSize);
            long train = cnn.trainingPixels > 0 ? Math.min(n, cnn.trainingPixels) : n;
            bytes += 4L * cnn.nChannels * (8 * tile + 8 * train);   // activations, gradients, unfolded convolutions
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            throw new SegmentationException(String.format(java.util.Locale.ROOT,
                    "This run needs about %.1f GB of memory but Java has %.1f GB free (of %.1f GB). ", bytes / 1e9, free / 1e9, rt.maxMemory() / 1e9)
                    + memoryAdvice((long) Math.ceil(bytes * 1.5 / (1L << 30)) + 1));
        }
    }

    /**
     * Refuses foreground cluster numbers that the model or nClusters does not have: asked where the
     * options are read (SegmentOptions), before any fit; toObjects asks again with a CNN's own count.
     */
    public void checkClusters() {
        if (!objects) return;
        instances.checkClusters(fixedClusters(), spell.apply("foregroundClusters"));
        // The CNN's regions split along image edges are numbered 1..n darkest first, not classes:
        // "all but the darkest" would then be nearly the whole image, one object (a photo's).
        double split = model instanceof io.github.unseg.cnn.CnnModel && !(model instanceof io.github.unseg.cnn.CnnKMeansModel)
                ? ((io.github.unseg.cnn.CnnModel) model).splitScale
                : segmenter instanceof io.github.unseg.cnn.CnnSegmenter && !(segmenter instanceof io.github.unseg.cnn.CnnKMeansSegmenter)
                ? ((io.github.unseg.cnn.CnnSegmenter) segmenter).splitScale : 0;
        if (split > 0) {
            String objectsSpelt = io.github.unseg.options.FrontEnd.bare(spell.apply("objects"));
            String photo = io.github.unseg.options.FrontEnd.withValue(spell.apply("preset"), "photo");
            boolean byPreset = model == null && "photo".equals(((io.github.unseg.cnn.CnnSegmenter) segmenter).presetUsed()) && split == 1000;
            throw new SegmentationException(objectsSpelt + " makes objects of classes (" + spell.apply("foregroundClusters")
                    + " picks them), but with " + io.github.unseg.options.FrontEnd.withValue(spell.apply("splitScale"), io.github.unseg.cnn.CnnModel.shortNumber(split))
                    + (model != null ? " (the model's)" : byPreset ? " (" + photo + " sets it)" : "")
                    + " the CNN numbers regions, darkest first, not classes: set "
                    + io.github.unseg.options.FrontEnd.withValue(spell.apply("splitScale"), "0")
                    + (byPreset ? ", or leave " + photo + " out (with " + objectsSpelt + " the CNN then takes the microscopy settings)" : "")
                    + ".");
        }
    }

    /** How many clusters the labels will have, when fixed in advance (a model, nClusters); 0 for the CNN's own count. */
    private int fixedClusters() {
        if (model != null) return model.nLabels();
        if (segmenter instanceof io.github.unseg.segment.ClusterSegmenter) return ((io.github.unseg.segment.ClusterSegmenter) segmenter).nClusters;
        if (segmenter instanceof io.github.unseg.cnn.CnnKMeansSegmenter) return ((io.github.unseg.cnn.CnnKMeansSegmenter) segmenter).nClusters;
        return 0;
    }

    /** The image as the methods see it: its useChannels, outside the mask NaN. */
    public Image5D view(ImagePlus image) { return view(image, mask); }

    /** As {@link #view(ImagePlus)} with another image's mask (null: none), for images fitted on. */
    public Image5D view(ImagePlus image, boolean[] mask) {
        Image5D img = select(ImagePlusViews.wrap(image));
        return view(img, mask, maskPadding ? io.github.unseg.core.Padding.of(img) : null, clipOutliers ? io.github.unseg.core.Outliers.of(img) : null);
    }

    /** img (its channels selected) with the mask, the padding (null: none) and the outliers (null: none) applied. */
    private static Image5D view(Image5D img, boolean[] mask, io.github.unseg.core.Padding padding, io.github.unseg.core.Outliers outliers) {
        if (outliers != null) img = outliers.clip(img);   // first: its pixel indices are the image's
        if (mask != null) img = img.masked(mask);
        return padding == null ? img : padding.leftOut(img);
    }

    /** The note on the padding view() leaves out, null when none. */
    private String paddingNote(Image5D img, io.github.unseg.core.Padding padding) {
        if (padding == null) return null;
        long padded = 0;
        int all = img.depth() * img.frames();
        List<Integer> planes = padding.planes();
        for (int q : planes) padded += padding.pixels(q);
        String where = planes.size() == all ? "" : " (" + io.github.unseg.segment.PlaneSummaries.name(planes, img.depth(), img.frames()) + ")";
        return String.format(java.util.Locale.ROOT, "note: %.1f%% of the image is padding%s, one value along the edges in whole rows or columns, in corners"
                + " cut by a straight line or in notches (a registration's shift or rotation, a stitching?): left out as masked (label 0); %s keeps it",
                100.0 * padded / ((double) img.width() * img.height() * all), where, io.github.unseg.options.FrontEnd.off(spell.apply("maskPadding")));
    }

    private static String value(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.4g", v); }

    /** The note on the outliers view() clips, null when none. */
    private String outlierNote(io.github.unseg.core.Outliers o) {
        if (o == null) return null;
        List<String> per = new ArrayList<>();
        for (int c = 0; c < o.channels(); c++) {
            long n = o.count(c);
            if (n == 0) continue;
            double[] l = o.limits(c);
            per.add(String.format(java.util.Locale.ROOT, "%d pixel%s%s far outside the rest in specks under %d px (beyond %s..%s: hot or dead"
                    + " pixels?) read as its 0.1th or 99.9th percentile (%s or %s)", n, n == 1 ? "" : "s", o.channels() > 1 ? " of channel " + (c + 1) : "",
                    io.github.unseg.core.Outliers.MAX_SPECK, value(l[0]), value(l[1]), value(l[2]), value(l[3])));
        }
        return "note: " + String.join("; ", per) + " for the segmentation (the measurements keep their values); "
                + io.github.unseg.options.FrontEnd.off(spell.apply("clipOutliers")) + " keeps them";
    }

    /** The channels the methods see (useChannels; all when null), checked against the image before any work. */
    public Image5D select(Image5D img) {
        if (useChannels == null) return img;
        int[] ids = new int[useChannels.length];
        for (int i = 0; i < ids.length; i++) {
            int c = useChannels[i];
            if (c < 1 || c > img.channels()) {
                throw new SegmentationException(io.github.unseg.options.FrontEnd.withValue(spell.apply("useChannels"), c) + ": the image has "
                        + img.channels() + " channel" + (img.channels() == 1 ? "" : "s") + (img.channels() == 3 ? " (RGB: 1 red, 2 green, 3 blue)" : "")
                        + "; name channels from 1 to " + img.channels() + ".");
            }
            ids[i] = c - 1;
        }
        return img.channels(ids);
    }

    /** Checks the output names and claims the files, before any work. */
    private void claimOutputs(ImagePlus image, SafeOutput output) throws IOException {
        File[] files = {labelFile, roiFile, probabilityFile, modelFile, measurementFile};
        String[][] ext = OUTPUT_EXTENSIONS;
        ij.io.FileInfo fi = image.getOriginalFileInfo();
        List<File> read = new ArrayList<>();   // this image's own file and its mask's: never written over
        if (fi != null && fi.fileName != null && fi.directory != null && !fi.directory.isEmpty()) read.add(new File(fi.directory, fi.fileName));
        if (maskFile != null) read.add(maskFile);
        SafeOutput.Inputs own = new SafeOutput.Inputs(read);
        String[] names = new String[files.length];
        for (int i = 0; i < files.length; i++) names[i] = spell.apply(OUTPUT_OPTIONS[i]);
        for (int i = 0; i < files.length; i++) {
            if (files[i] == null) continue;
            SafeOutput.checkExtension(names[i], files[i], ext[i]);
            inputFiles.check(names[i], files[i]);
            own.check(names[i], files[i]);
            for (int j = 0; j < i; j++) {
                if (files[j] != null && files[j].getAbsoluteFile().equals(files[i].getAbsoluteFile())) {
                    throw new SegmentationException(names[j] + " and " + names[i] + " name the same file " + files[i] + ".");
                }
            }
        }
        for (File f : files) {
            if (f == null) continue;
            try {
                output.claim(f);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException e) {
                throw new SegmentationException("Cannot write " + f + ": " + e.getMessage() + ".");
            }
        }
    }

    private SegmentJob run(ImagePlus image, SafeOutput output) throws IOException {
        long t0 = System.nanoTime();
        if (segmenter == null && model == null) throw new IllegalStateException("no segmenter or model");
        claimOutputs(image, output);
        checkMemory(image);
        Image5D raw = select(ImagePlusViews.wrap(image));
        io.github.unseg.core.Padding padding = maskPadding ? io.github.unseg.core.Padding.of(raw) : null;
        io.github.unseg.core.Outliers outliers = clipOutliers ? io.github.unseg.core.Outliers.of(raw) : null;
        Image5D img = view(raw, mask, padding, outliers);
        // the objects follow the intensities the methods saw: a hot pixel is no dim object
        objectIntensities = outliers == null ? raw : outliers.clip(raw);
        for (String note : new String[]{paddingNote(raw, padding), outlierNote(outliers)}) if (note != null) summaries.add(note);
        if (img.channels() >= MANY_CHANNELS && img.depth() == 1 && img.frames() == 1) {
            // numpy's 3D array saved by tifffile's imagej mode reads as channels: one plane, not a stack
            summaries.add("note: the image's " + img.channels() + " channels are segmented together, as one plane's features; if they"
                    + " are slices or frames, make them so (Image > Properties) before segmenting");
        }
        if (probabilityMaps && perSlice && model == null) {
            throw new SegmentationException("Probability maps need one model for the whole stack: turn off perSlice.");
        }
        // the labels fill the bar to 0.9, the steps after them (objects, ROIs, measurements) the rest: it never runs back
        Progress labelling = progress.range(0, 0.9);
        int maxLabel;
        if (model != null) {
            labels = LabelImages.create(image, model.nLabels());
            int labelled = model.predict(img, ImagePlusViews.labelView(labels), labelling);
            summaries.add("applied model: " + model.summary());
            String range = model.rangeNote();
            if (range != null) summaries.add(range);
            String cut = model.cancelledNote(img, labelled);
            if (cut != null) summaries.add(cut);
            maxLabel = model.nLabels();
        } else {
            labels = LabelImages.create(image, 65535);
            Segmentation.Result r = Segmentation.run(segmenter, img, ImagePlusViews.labelView(labels), perSlice, labelling);
            model = r.model;
            summaries.addAll(r.summaries);
            maxLabel = r.maxLabel;
        }
        // a CNN that splits its regions (splitScale) numbers them past its label count
        maxLabel = Math.max(maxLabel, LabelImages.max(labels));
        if (objects) {
            progress.report("Making objects", 0.9);
            maxLabel = toObjects(image, maxLabel);
        }
        LabelImages.applyLut(labels, maxLabel);
        if (probabilityMaps) {
            if (!model.hasProbabilities()) {
                throw new SegmentationException("Method " + model.method() + " gives no probability maps; use the Gaussian mixture.");
            }
            probabilityImage = LabelImages.createProbabilities(image, model.nLabels());
            model.predictProbabilities(img, ImagePlusViews.xyczt(probabilityImage));
        }
        // No cancel check here: a cancelled CNN training has labelled with what it reached, and
        // those labels are kept and written (the README's promise).
        cancelled = progress.isCancelled();
        if (roiMode != RoiExport.Mode.NONE && (roiFile != null || roisInMemory)) {
            progress.report("Making ROIs", 0.95);
            rois = RoiExport.rois(labels, roiMode, instances.minObjectSize);
        }
        if (measurementFile != null) {
            progress.report("Measuring", 0.97);
            measurementCsv = measure(image);
        }
        if (modelFile != null && (model == null || perSlice)) {
            throw new SegmentationException("Per-slice segmentation fits one model per slice, so there is no single"
                    + " model to save: turn off perSlice to save a model.");
        }
        writeOutputs(output);
        millis = (System.nanoTime() - t0) / 1_000_000;
        progress.report("Done", 1);
        return this;
    }

    /**
     * Replaces the cluster labels by object labels, frame by frame: a z-stack is one 3D problem
     * (unless perSlice), so an object spanning slices is one object. Ids restart at 1 in each
     * frame; the image becomes 32-bit if a frame has more than 65535 objects.
     */
    private int toObjects(ImagePlus image, int nClusters) {
        instances.validate();
        if (foregroundAt != null) {
            instances.foregroundClusters = foregroundAt.clusters(labels);   // labels: the clusters still
            summaries.add(foregroundAt.describe(instances.foregroundClusters));
        }
        instances.checkClusters(nClusters, spell.apply("foregroundClusters"));   // a CNN's count is known only now
        instances.rulesOnPresentLabels = model instanceof io.github.unseg.cnn.CnnModel && !(model instanceof io.github.unseg.cnn.CnnKMeansModel);
        // foreground auto: stained objects are dark on a colour brightfield image (the test the CNN uses for a colour photo)
        instances.brightBackground = instances.foreground == io.github.unseg.label.Instances.Foreground.AUTO
                && instances.foregroundClusters.length == 0   // named clusters: no rule to resolve
                && io.github.unseg.core.ImageKind.colourPhoto(ImagePlusViews.wrap(image));
        int w = labels.getWidth(), h = labels.getHeight(), nz = labels.getNSlices(), nt = labels.getNFrames(), plane = w * h;
        int depth = perSlice ? 1 : nz;
        List<int[]> blocks = new ArrayList<>();
        objectContrast.clear();
        List<Integer> weak = new ArrayList<>();   // blocks (1-based) whose objects' outlines are as weak as noise
        double lowest = Double.POSITIVE_INFINITY, highest = 0;   // the blocks' outline contrasts
        int max = 0, objectsTotal = 0, dimTotal = 0, weakTotal = 0;
        double seedsMin = Double.POSITIVE_INFINITY, seedsMax = 0, refinedMin = Double.POSITIVE_INFINITY, refinedMax = 0;
        // a cancel from before this step (the training's, the labelling's) does not cut it short:
        // it finishes the result reached so far; one during it keeps the blocks done
        boolean cancelledBefore = progress.isCancelled();
        blocks:
        for (int t = 0; t < nt; t++) {
            for (int z0 = 0; z0 < nz; z0 += depth) {
                int[] lab = labelBlock(labels, t, z0, depth);
                // the image's intensities: for dim objects and refined edges, and the outline contrast
                float[] intensity = intensity(objectIntensities, t, z0, depth);
                if (mask != null) {   // no dim objects found where the user left the image out
                    for (int i = 0; i < intensity.length; i++) if (!mask[i % plane]) intensity[i] = Float.NaN;
                }
                int[] ids = instances.apply(lab, intensity, w, h, depth, nClusters);
                double[] perObject = instances.outlineContrast();
                objectContrast.add(perObject);   // the measurements' column
                double contrast = io.github.unseg.label.OutlineContrast.median(ids, perObject);
                if (contrast < io.github.unseg.label.OutlineContrast.EMPTY_FIELD) weak.add(blocks.size() + 1);
                if (contrast < lowest) lowest = contrast;
                if (contrast > highest) highest = contrast;
                dimTotal += instances.dimFound();
                weakTotal += instances.weakDropped();
                seedsMin = Math.min(seedsMin, instances.usedSeedDistance());
                seedsMax = Math.max(seedsMax, instances.usedSeedDistance());
                if (instances.usedRefineEdges() >= 0) {   // NaN: no foreground or no refinement in this block
                    refinedMin = Math.min(refinedMin, instances.usedRefineEdges());
                    refinedMax = Math.max(refinedMax, instances.usedRefineEdges());
                }
                int m = 0;
                for (int v : ids) m = Math.max(m, v);
                max = Math.max(max, m);
                objectsTotal += m;
                blocks.add(ids);
                if (!cancelledBefore && progress.isCancelled()) break blocks;
            }
        }
        int allBlocks = nt * ((nz + depth - 1) / depth);
        if (blocks.size() < allBlocks) {
            summaries.add("cancelled after the objects of " + blocks.size() + " of " + allBlocks + " "
                    + (depth == 1 && nz > 1 ? "planes" : "frames") + ": the rest left 0");
        }
        ImagePlus out = LabelImages.create(image, max);
        ij.ImageStack os = out.getStack();
        int b = 0;
        for (int t = 0; t < nt; t++) {
            for (int z0 = 0; z0 < nz && b < blocks.size(); z0 += depth, b++) {
                int[] ids = blocks.get(b);
                for (int z = 0; z < depth; z++) {
                    ij.process.ImageProcessor ip = os.getProcessor(t * nz + z0 + z + 1);
                    for (int i = 0; i < plane; i++) ip.setf(i, ids[z * plane + i]);
                }
            }
        }
        out.setTitle(LabelImages.baseName(image.getTitle()) + "-objects");
        labels = out;
        labelBlockPlanes = depth;
        labelBlock = depth == 1 && nz > 1 ? "plane" : "frame";
        String used = seedsMax == 0 ? null : String.format(java.util.Locale.ROOT, seedsMin == seedsMax ? "%.1f" : "%.1f-%.1f", seedsMin, seedsMax);
        String refined = refinedMin >= instances.refineEdges ? null : String.format(java.util.Locale.ROOT,
                refinedMin == refinedMax ? "%.1f" : "%.1f-%.1f", refinedMin, refinedMax);
        String contrast = highest == 0 ? "" : String.format(java.util.Locale.ROOT, lowest == highest ? "; outline contrast %.1f" : "; outline contrast %.1f-%.1f",
                lowest, highest);
        summaries.add(objectsTotal + " objects (" + instances.describe(used, dimTotal, refined, weakTotal) + ")" + contrast);
        if (!weak.isEmpty()) summaries.add(weakOutlinesNote(weak, blocks.size(), lowest, depth == 1 && nz > 1 ? "plane" : "frame"));
        return max;
    }

    /** Object labels: their ids restart every this many planes of the label stack, a {@link #labelBlock} (0: one numbering). */
    public int labelBlockPlanes;
    public String labelBlock;

    /** Each block's objects' outline contrasts (index = object id), as toObjects made them, in block order; empty without objects. */
    private final List<double[]> objectContrast = new ArrayList<>();

    /** Where the objects' outlines are no stronger than the background's noise ({@link io.github.unseg.label.OutlineContrast}). */
    private String weakOutlinesNote(List<Integer> weak, int blocks, double lowest, String part) {
        String where = "";
        if (blocks > 1) {   // " in plane 2 of 3", " in frames 2, 5, 7, 8, 9, ... (12 of 40)"
            StringBuilder sb = new StringBuilder(" in ").append(part).append(weak.size() > 1 ? "s " : " ");
            for (int i = 0; i < Math.min(5, weak.size()); i++) sb.append(i > 0 ? ", " : "").append(weak.get(i));
            where = sb.append(weak.size() > 5 ? ", ... (" + weak.size() + " of " + blocks + ")" : " of " + blocks).toString();
        }
        return String.format(java.util.Locale.ROOT, "note: the objects' outlines are hardly stronger than the background's noise%s"
                + " (outline contrast %.1f; nuclei and cells measured 1.7 and more, most above 2): is the field empty, its noise cut into objects?%s",
                where, lowest, (instances.refineEdges > 0 ? "" : " Or are the objects cut wide of their edges (try " + spell.apply("refineEdges") + ")?")
                        + (instances.minOutlineContrast > 0 ? "" : " " + io.github.unseg.options.FrontEnd.withValue(spell.apply("minOutlineContrast"), 2)
                        + " drops objects that weak."));
    }

    /**
     * The mean over channels (1-based; null: all) of the input's pixels in slices z0 .. z0 + depth - 1
     * of frame t (what refineEdges follows), read through the same X, Y, C, Z, T view the methods
     * see (RGB: R, G, B).
     */
    public static float[] intensity(ImagePlus image, int t, int z0, int depth, int[] channels) {
        Image5D img = ImagePlusViews.wrap(image);
        if (channels != null) {
            int[] ids = new int[channels.length];
            for (int i = 0; i < ids.length; i++) ids[i] = channels[i] - 1;
            img = img.channels(ids);
        }
        return intensity(img, t, z0, depth);
    }

    /** The mean over img's channels of slices z0 .. z0 + depth - 1 of frame t. */
    static float[] intensity(Image5D img, int t, int z0, int depth) {
        int plane = img.width() * img.height(), nc = img.channels();
        float[] a = new float[plane * depth];
        for (int z = 0; z < depth; z++) {
            for (int c = 0; c < nc; c++) {
                net.imglib2.Cursor<? extends net.imglib2.type.numeric.RealType<?>> cur = net.imglib2.view.Views.flatIterable(
                        net.imglib2.view.Views.hyperSlice(net.imglib2.view.Views.hyperSlice(net.imglib2.view.Views.hyperSlice(img.data(),
                                Image5D.T, t), Image5D.Z, z0 + z), Image5D.C, c)).cursor();
                for (int i = 0; i < plane; i++) a[z * plane + i] += cur.next().getRealFloat() / nc;
            }
        }
        return a;
    }

    /** Writes every requested output (each complete or absent: temporary file, then rename). */
    private void writeOutputs(SafeOutput output) throws IOException {
        if (labelFile != null) saveTiff(output, labels, labelFile);
        if (probabilityFile != null && probabilityImage != null) saveTiff(output, probabilityImage, probabilityFile);
        if (roiFile != null) output.writeStream(roiFile, o -> RoiExport.writeZip(rois, o));
        if (modelFile != null) output.writeString(modelFile, ModelIO.toJsonString(model));
        if (measurementFile != null) output.writeString(measurementFile, measurementCsv);
    }

    /**
     * A CSV row per label of the label image and frame, with the mean over the segmented channels
     * as the intensity and, for a multichannel image, each channel's mean (mean_c1, mean_c2, ...:
     * segment on the nuclei's channel, measure the others); a z-stack is measured as a volume,
     * unless perSlice (each slice has its own labels).
     */
    private String measure(ImagePlus image) {
        int nz = labels.getNSlices(), nt = labels.getNFrames(), depth = perSlice ? 1 : nz;
        int nc = (int) ImagePlusViews.xyczt(image).dimension(Image5D.C);
        ij.measure.Calibration cal = image.getCalibration();
        StringBuilder sb = new StringBuilder(io.github.unseg.label.Measurements.HEADER);
        for (int c = 1; c <= nc && nc > 1; c++) sb.append(",mean_c").append(c);
        sb.append('\n');
        double pixel = cal.pixelWidth * cal.pixelHeight * (depth > 1 ? cal.pixelDepth : 1);
        String unit = (cal.getUnit() == null || cal.getUnit().trim().isEmpty() ? "pixel" : cal.getUnit().trim()) + (depth > 1 ? "^3" : "^2");
        measuredLabels = 0;
        int block = 0;
        for (int t = 0; t < nt; t++) {
            for (int z0 = 0; z0 < nz; z0 += depth, block++) {
                int[] lab = labelBlock(labels, t, z0, depth);
                // objects: their outline contrast from toObjects; clusters leave no background (NaN)
                double[] contrast = block < objectContrast.size() ? objectContrast.get(block) : null;
                double[][] channelMeans = new double[nc > 1 ? nc : 0][];
                for (int c = 0; c < channelMeans.length; c++) {
                    channelMeans[c] = io.github.unseg.label.Measurements.means(lab, intensity(image, t, z0, depth, new int[]{c + 1}));
                }
                for (io.github.unseg.label.Measurements.Row r : io.github.unseg.label.Measurements.of(lab,
                        intensity(image, t, z0, depth, useChannels), labels.getWidth(), labels.getHeight(), depth, contrast)) {
                    sb.append(io.github.unseg.label.Measurements.csv(r, t + 1, z0, pixel, unit));
                    for (double[] m : channelMeans) sb.append(',').append(io.github.unseg.label.Measurements.num(m[r.label]));
                    sb.append('\n');
                    measuredLabels++;
                }
            }
        }
        return sb.toString();
    }

    /** Slices z0 .. z0 + depth - 1 of frame t of a one-channel label image, as one array. */
    private static int[] labelBlock(ImagePlus labels, int t, int z0, int depth) {
        int plane = labels.getWidth() * labels.getHeight(), nz = labels.getNSlices();
        int[] lab = new int[plane * depth];
        for (int z = 0; z < depth; z++) {
            ij.process.ImageProcessor ip = labels.getStack().getProcessor(t * nz + z0 + z + 1);
            for (int i = 0; i < plane; i++) lab[z * plane + i] = (int) ip.getf(i);
        }
        return lab;
    }

    static void saveTiff(SafeOutput output, ImagePlus imp, File f) throws IOException {
        String title = imp.getTitle();
        try {
            output.write(f, tmp -> {
                // FileSaver writes exactly the path given (IJ.saveAsTiff would add ".tif" to other names)
                if (!new ij.io.FileSaver(imp).saveAsTiff(tmp.toString())) {
                    long free = tmp.toFile().getAbsoluteFile().getParentFile().getUsableSpace();
                    throw new IOException("could not write " + f + " (" + free + " bytes free in its folder: is the disk full?)");
                }
            });
        } finally {
            imp.setTitle(title); // saving renames the image after the file; keep the derived title
        }
    }

    /** Label counts as "label: pixels (percent)" for summaries. */
    public static String labelHistogram(ImagePlus labels) { return labelHistogram(labels, 0, null); }

    /**
     * As above; {@code blockPlanes} > 0: the ids restart every that many planes of the stack
     * (objects per plane or per frame: {@code block} names it), so an id in two blocks is two labels.
     */
    public static String labelHistogram(ImagePlus labels, int blockPlanes, String block) {
        int stack = labels.getStackSize();
        int per = blockPlanes > 0 && stack > blockPlanes ? blockPlanes : stack;
        int[] counts = new int[1];
        long total = 0, zeros = 0;
        java.util.List<Integer> sizes = new java.util.ArrayList<>();   // every block's label sizes
        for (int i = 1; i <= stack; i++) {
            ij.process.ImageProcessor ip = labels.getStack().getProcessor(i);
            for (int p = 0; p < ip.getPixelCount(); p++) {
                int v = (int) ip.getf(p);
                if (v >= counts.length) counts = java.util.Arrays.copyOf(counts, v + 1);
                counts[v]++;
                total++;
            }
            if (i % per == 0 || i == stack) {   // a block ends: its sizes, then its counts restart
                for (int v = 1; v < counts.length; v++) if (counts[v] > 0) sizes.add(counts[v]);
                zeros += counts[0];
                if (i < stack) java.util.Arrays.fill(counts, 0);
            }
        }
        if (per < stack) return sizes(zeros, total, sizes, " labels (numbered per " + block + ")");
        if (sizes.size() > 12) return sizes(zeros, total, sizes, " labels");   // object labels: sizes, not a line per object
        StringBuilder sb = new StringBuilder();
        for (int v = 0; v < counts.length; v++) {
            if (counts[v] == 0) continue;
            if (sb.length() > 0) sb.append(", ");
            sb.append(v).append(": ").append(counts[v])
                    .append(String.format(java.util.Locale.ROOT, " (%.1f%%)", 100.0 * counts[v] / total));
        }
        return sb.toString();
    }

    /** "0: zeros (percent), N labels of min-max pixels (median m)". */
    private static String sizes(long zeros, long total, java.util.List<Integer> list, String labelsWord) {
        int[] sizes = list.stream().mapToInt(Integer::intValue).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        if (zeros > 0) sb.append("0: ").append(zeros).append(String.format(java.util.Locale.ROOT, " (%.1f%%), ", 100.0 * zeros / total));
        sb.append(sizes.length).append(labelsWord);
        if (sizes.length == 0) return sb.toString();
        return sb.append(" of ").append(sizes[0]).append("-").append(sizes[sizes.length - 1])
                .append(" pixels (median ").append(sizes[sizes.length / 2]).append(")").toString();
    }
}

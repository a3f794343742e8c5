package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
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
    public boolean probabilities;
    public RoiExport.Mode roiMode = RoiExport.Mode.NONE;
    public int minObjectSize = 10;
    public File labelFile, roiFile, modelFile, probabilityFile;
    public boolean overwrite;
    public Progress progress = Progress.NONE;

    // Results
    public ImagePlus labels;
    public ImagePlus probabilityMaps;
    public List<Roi> rois = new ArrayList<>();
    public List<String> summaries = new ArrayList<>();
    public long millis;

    public SegmentJob run(ImagePlus image) throws IOException {
        long t0 = System.nanoTime();
        if (segmenter == null && model == null) throw new IllegalStateException("no segmenter or model");
        checkTargets();
        Image5D img = ImagePlusViews.wrap(image);
        if (probabilities && perSlice && model == null) {
            throw new SegmentationException("Probability maps need one model for the whole stack: turn off perSlice.");
        }
        int maxLabel;
        if (model != null) {
            labels = LabelImages.create(image, model.nLabels());
            model.predict(img, ImagePlusViews.labelView(labels), progress);
            summaries.add("applied model: " + model.summary());
            maxLabel = model.nLabels();
        } else {
            labels = LabelImages.create(image, 65535);
            Segmentation.Result r = Segmentation.run(segmenter, img, ImagePlusViews.labelView(labels), perSlice, progress);
            model = r.model;
            summaries.addAll(r.summaries);
            maxLabel = r.maxLabel;
        }
        LabelImages.applyLut(labels, maxLabel);
        if (probabilities) {
            if (!model.hasProbabilities()) {
                throw new SegmentationException("Method " + model.method() + " gives no probability maps; use the Gaussian mixture.");
            }
            probabilityMaps = LabelImages.createProbabilities(image, model.nLabels());
            model.predictProbabilities(img, ImagePlusViews.xyczt(probabilityMaps));
        }
        progress.check();
        if (roiMode != RoiExport.Mode.NONE) {
            progress.report("Making ROIs", 0.95);
            rois = RoiExport.rois(labels, roiMode, minObjectSize);
        }
        if (labelFile != null) saveTiff(labels, labelFile);
        if (probabilityFile != null && probabilityMaps != null) saveTiff(probabilityMaps, probabilityFile);
        if (roiFile != null) RoiExport.writeZip(rois, roiFile, overwrite);
        if (modelFile != null) {
            if (model == null || perSlice) {
                throw new SegmentationException("Per-slice segmentation fits one model per slice, so there is no single"
                        + " model to save: turn off perSlice to save a model.");
            }
            ModelIO.save(model, modelFile.toPath(), overwrite);
        }
        millis = (System.nanoTime() - t0) / 1_000_000;
        progress.report("Done", 1);
        return this;
    }

    /** Fails before any work if an output exists and may not be replaced. */
    private void checkTargets() throws FileAlreadyExistsException {
        for (File f : new File[]{labelFile, roiFile, modelFile, probabilityFile}) {
            if (f != null && f.exists() && !overwrite) {
                throw new FileAlreadyExistsException(f.getPath(), null, "exists; set overwrite to replace it");
            }
        }
    }

    private void saveTiff(ImagePlus imp, File f) throws IOException {
        File parent = f.getAbsoluteFile().getParentFile();
        if (parent != null) parent.mkdirs();
        String title = imp.getTitle();
        boolean ok = IJ.saveAsTiff(imp, f.getPath());
        imp.setTitle(title); // saving renames the image after the file; keep the derived title
        if (!ok) throw new IOException("Could not write " + f);
    }

    /** Label counts as "label: pixels (percent)" for summaries. */
    public static String labelHistogram(ImagePlus labels) {
        int[] counts = new int[1];
        long total = 0;
        for (int i = 1; i <= labels.getStackSize(); i++) {
            ij.process.ImageProcessor ip = labels.getStack().getProcessor(i);
            for (int p = 0; p < ip.getPixelCount(); p++) {
                int v = (int) ip.getf(p);
                if (v >= counts.length) counts = java.util.Arrays.copyOf(counts, v + 1);
                counts[v]++;
                total++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int v = 0; v < counts.length; v++) {
            if (counts[v] == 0) continue;
            if (sb.length() > 0) sb.append(", ");
            sb.append(v).append(": ").append(counts[v])
                    .append(String.format(java.util.Locale.ROOT, " (%.1f%%)", 100.0 * counts[v] / total));
        }
        return sb.toString();
    }
}

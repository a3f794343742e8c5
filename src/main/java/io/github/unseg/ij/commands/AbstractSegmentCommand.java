package io.github.unseg.ij.commands;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.core.CancelledException;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.RoiExport;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.options.Option;
import io.github.unseg.options.Settings;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.module.MethodCallException;
import org.scijava.plugin.Parameter;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * What every UnSeg labelling command shares: the input image, the outputs, error reporting (a
 * clear message, no stack trace), and its parameters, made from the option table
 * ({@link #options()}): a parameter's name is the option's, so macro keys are the names in lower
 * case, e.g. run("K-means", "image=cells.tif nclusters=3 roimode=[one per object]").
 */
public abstract class AbstractSegmentCommand extends DynamicCommand implements org.scijava.command.Previewable {
    @Parameter(label = "Image")
    protected ImagePlus image;

    @Parameter(type = ItemIO.OUTPUT, label = "Labels")
    protected ImagePlus labelImage;

    @Parameter
    protected StatusService status;

    @Parameter
    protected LogService log;

    private boolean optionInputs;
    private io.github.unseg.ij.Preview preview;

    /** The options this command shows, in dialog order. */
    protected abstract List<Option> options();

    /** Where the options' defaults live (the segmenter, its features, a job). */
    protected abstract Object[] defaultTargets();

    /** The values a choice option offers in this command's dialog. */
    protected List<String> choices(Option o) { return o.choices(); }

    /**
     * Adds a parameter per option as soon as the command has its context, before SciJava fills in
     * values (given, recorded or remembered). Run these commands through the ModuleService (or
     * IJ.run / a macro): SciJava's CommandService returns no Future for a DynamicCommand.
     */
    @Override
    public void setContext(org.scijava.Context context) {
        super.setContext(context);
        addOptionInputs();
    }

    /** The parameters, the option table's included, however SciJava came to create this command. */
    @Override
    public org.scijava.command.DynamicCommandInfo getInfo() {
        org.scijava.command.DynamicCommandInfo info = super.getInfo();
        addOptionInputs();
        return info;
    }

    @Override
    public void initialize() throws MethodCallException {
        addOptionInputs();
        super.initialize();
    }

    /** Idempotent: the plain-ImageJ launcher asks for the parameters before running. */
    public synchronized void addOptionInputs() {
        if (optionInputs) return;
        optionInputs = true;
        OptionInputs.add(this, super.getInfo(), options(), defaultTargets(), this::choices);
    }

    /** The parameters' values, checked by the table (a script may pass anything). */
    protected Settings settings() { return OptionInputs.settings(this, options()); }

    /** The file of a FILE option, or null. */
    protected static File file(Settings s, String name) {
        Object v = s.get(name);
        if (v == null) return null;
        File f = v instanceof File ? (File) v : new File(v.toString());
        return f.getPath().isEmpty() ? null : f;
    }

    /** The job of these settings, the image's own inputs (mask, points) attached; output files are run()'s to add. */
    protected abstract SegmentJob job(Settings s);

    /**
     * Called by the dialog as an option changes (Fiji's, and the plain-ImageJ launcher's): with
     * preview ticked, the current plane's labels are drawn over the image (see Preview); a bad
     * setting is said on the status bar, not in an error window, while the user is still typing.
     */
    @Override
    public synchronized void preview() {
        if (preview != null && preview.image() != image) endPreview();   // another image chosen
        if (image == null || !options().contains(io.github.unseg.options.Options.PREVIEW)) return;
        try {
            Settings s = settings();
            if (!s.flag("preview")) {
                if (preview != null) preview.clear();
                return;
            }
            showPreviewSlice(s.integer("previewSlice", 0));
            SegmentJob job = job(s);
            if (preview == null) {
                preview = new io.github.unseg.ij.Preview(image);
                preview.followPlanes(this::preview);
            }
            preview.update(job, trainingKey(s), m -> { if (status != null) status.showStatus(m); else IJ.showStatus(m); });
        } catch (SegmentationException e) {
            if (preview != null) preview.clear();
            String m = "UnSeg preview: " + io.github.unseg.options.FrontEnd.MENU.respell(e.getMessage());
            if (status != null) status.showStatus(m);
            else IJ.showStatus(m);
        }
    }

    /**
     * previewSlice: the window moves to that slice (z), so that the preview is of it and shows
     * (Fiji's modal dialog keeps the slider still while it is open); 0 = the slice shown.
     */
    private void showPreviewSlice(int z) {
        if (z <= 0 || z == image.getZ()) return;
        if (z > image.getNSlices()) {
            throw new SegmentationException(io.github.unseg.options.FrontEnd.withValue("previewSlice", z) + ": the image has "
                    + image.getNSlices() + " slice" + (image.getNSlices() == 1 ? "" : "s") + "; choose 1 to " + image.getNSlices()
                    + ", or 0 for the one shown.");
        }
        image.setPosition(image.getC(), z, image.getT());
    }

    /** Outputs that shape a CNN's training: what the network sees (perSlice, useChannels, mask) and objects (auto's preset). */
    private static final java.util.Set<Option> SHAPE_TRAINING = java.util.Set.of(io.github.unseg.options.Options.PER_SLICE,
            io.github.unseg.options.Options.USE_CHANNELS, io.github.unseg.options.Options.MASK, io.github.unseg.options.Options.OBJECTS);

    /**
     * What a CNN's training depends on: every setting but those that only label (a model's
     * LABELLING settings: region merging, tiles, threads), the other outputs and the dialog's own.
     */
    private static String trainingKey(Settings s) {
        StringBuilder k = new StringBuilder();
        for (Option o : s.options()) {
            if (io.github.unseg.ij.SegmentOptions.LABELLING.contains(o.name)
                    || (io.github.unseg.options.Options.OUTPUTS.contains(o) && !SHAPE_TRAINING.contains(o))
                    || io.github.unseg.options.Options.PREVIEWING.contains(o) || o == io.github.unseg.options.Options.LIVE_PLOT) continue;
            Object v = s.get(o.name);
            if (v != null) k.append(o.name).append('=').append(v).append(';');
        }
        return k.toString();
    }

    /** The dialog was cancelled: the preview goes, the image as it was. */
    @Override
    public synchronized void cancel() { endPreview(); }

    /**
     * Before a run: the network the preview trained with the run's settings, so that OK does not
     * train it again (the same labels and model; a single plane, or a stack fitted as a whole), or null.
     * Ends the preview either way.
     */
    protected synchronized io.github.unseg.segment.SegmentationModel takePreviewModel(SegmentJob job, Settings s) {
        io.github.unseg.segment.SegmentationModel m = null;
        if (preview != null && preview.image() == image && job.segmenter instanceof io.github.unseg.cnn.CnnSegmenter) {
            io.github.unseg.cnn.CnnSegmenter cnn = (io.github.unseg.cnn.CnnSegmenter) job.segmenter;
            if (!cnn.volumetric && cnn.scribbles == null) m = preview.reusable(job, trainingKey(s));
        }
        endPreview();
        reusedPreview = m != null;
        return m;
    }

    private boolean reusedPreview;

    /** Whether the last run labelled with the network its preview had trained. */
    public boolean reusedPreview() { return reusedPreview; }

    /** The preview's overlay removed and its thread ended (before a run, and on cancel). */
    protected synchronized void endPreview() {
        if (preview == null) return;
        preview.close();
        preview = null;
    }

    /** The preview asked for last, once drawn (tests; null if none). */
    public io.github.unseg.ij.Preview currentPreview() { return preview; }

    /** Extra outputs of a subclass. */
    protected void collect(SegmentJob job) { }

    /** Runs the job with this command's output settings; failures become a message. */
    protected void execute(SegmentJob job, Settings s) {
        try {
            job.labelFile = file(s, "labels");
            job.roiFile = file(s, "rois");
            job.probabilityFile = file(s, "probabilities");
            job.measurementFile = file(s, "measurements");
            if (job.probabilityFile != null) job.probabilityMaps = true;
            job.roisInMemory = s.flag("addToManager") || !s.has("addToManager");
            job.progress = new CommandProgress(status, this, s.flag("livePlot") && !java.awt.GraphicsEnvironment.isHeadless());
            job.run(image);
            labelImage = job.labels;
            if (job.cancelled) {
                log.info("UnSeg: cancelled: the labels reached so far are kept");
                // SciJava shows no outputs of a cancelled command: show them here
                if (isCanceled() && !java.awt.GraphicsEnvironment.isHeadless()) job.labels.show();
            }
            collect(job);
            if (job.measurementFile != null && !GraphicsEnvironment.isHeadless()) showMeasurements(job);
            if ((s.flag("addToManager") || !s.has("addToManager")) && !job.rois.isEmpty()) RoiExport.addToRoiManager(job.rois);
            for (String m : job.summaries) log.info("UnSeg: " + m);
            status.showStatus("UnSeg: " + job.labels.getTitle() + " in " + job.millis + " ms");
        } catch (CancelledException e) {
            cancel("Cancelled.");
            status.showStatus("UnSeg: cancelled");
        } catch (SegmentationException e) {
            fail(e.getMessage());
        } catch (io.github.unseg.core.SafeOutput.BusyException e) {
            fail("The file " + e.getFile() + " " + e.getReason() + ": nothing written.");
        } catch (java.nio.file.FileAlreadyExistsException e) {
            fail("The file " + e.getFile() + " exists: tick 'Overwrite existing files' or choose another name.");
        } catch (IOException e) {
            fail("Could not write an output file: " + e.getMessage());
        } finally {
            status.clearStatus();
        }
    }

    /**
     * The saved measurements also in a table window, as Analyze Particles shows its own (the
     * file is the record; a window is what a menu user looks at next).
     */
    private void showMeasurements(SegmentJob job) {
        try {
            ij.measure.ResultsTable rt = ij.measure.ResultsTable.open(job.measurementFile.getPath());
            rt.show(io.github.unseg.ij.LabelImages.baseName(image.getTitle()) + "-measurements");
        } catch (IOException e) {
            log.warn("UnSeg: the measurements were saved to " + job.measurementFile + " but could not be shown: " + e.getMessage());
        }
    }

    /** Reports a problem with the input: the message, not a stack trace. */
    protected void fail(String message) {
        message = io.github.unseg.options.FrontEnd.MENU.respell(message);
        cancel(message);
        log.error("UnSeg: " + message);
        if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) IJ.error("UnSeg", message);
    }
}

package io.github.unseg.ij.commands;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.core.CancelledException;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.RoiExport;
import io.github.unseg.ij.SegmentJob;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.widget.FileWidget;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;

/**
 * What every UnSeg labelling command shares: the input image, the outputs (label image, ROIs,
 * files) and error reporting (a clear message, no stack trace). Parameter names are the keys of
 * a macro call, e.g. run("K-means", "image=cells.tif nclusters=3 roimode=[one per object]").
 */
public abstract class AbstractSegmentCommand extends ContextCommand {
    @Parameter(label = "Image")
    protected ImagePlus image;

    @Parameter(label = "ROIs", choices = {"none", "one per cluster", "one per object"})
    protected String roiMode = "one per cluster";

    @Parameter(label = "Minimum object size (pixels)", min = "1")
    protected int minObjectSize = 10;

    @Parameter(label = "Add ROIs to the ROI Manager")
    protected boolean addToManager = true;

    @Parameter(label = "Save label image (.tif)", required = false, persist = false, style = FileWidget.SAVE_STYLE)
    protected File labelFile;

    @Parameter(label = "Save ROI set (.zip)", required = false, persist = false, style = FileWidget.SAVE_STYLE)
    protected File roiFile;

    @Parameter(label = "Overwrite existing files")
    protected boolean overwrite = false;

    @Parameter(type = ItemIO.OUTPUT, label = "Labels")
    protected ImagePlus labels;

    @Parameter
    protected StatusService status;

    @Parameter
    protected LogService log;

    /** Extra outputs of a subclass. */
    protected void collect(SegmentJob job) { }

    /** Runs the job with this command's output settings; failures become a message. */
    protected void execute(SegmentJob job) {
        try {
            job.roiMode = RoiExport.Mode.parse(roiMode);
            job.minObjectSize = minObjectSize;
            job.labelFile = empty(labelFile);
            job.roiFile = empty(roiFile);
            job.overwrite = overwrite;
            job.progress = new CommandProgress(status, this);
            job.optionNames = new String[]{"'Save label image'", "'Save ROI set'", "'Save probability maps'", "'Save model'"};
            job.run(image);
            labels = job.labels;
            if (job.cancelled) {
                log.info("UnSeg: cancelled: the labels reached so far are kept");
                // SciJava shows no outputs of a cancelled command: show them here
                if (isCanceled() && !java.awt.GraphicsEnvironment.isHeadless()) job.labels.show();
            }
            collect(job);
            if (addToManager && !job.rois.isEmpty()) RoiExport.addToRoiManager(job.rois);
            for (String s : job.summaries) log.info("UnSeg: " + s);
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

    static File empty(File f) {
        return f == null || f.getPath().isEmpty() ? null : f;
    }

    /** Reports a problem with the input: the message, not a stack trace. */
    protected void fail(String message) {
        cancel(message);
        log.error("UnSeg: " + message);
        if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) IJ.error("UnSeg", message);
    }
}

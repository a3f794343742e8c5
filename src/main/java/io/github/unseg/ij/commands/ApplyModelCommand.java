package io.github.unseg.ij.commands;

import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.segment.ModelIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;

/**
 * Plugins > Segmentation > UnSeg > Apply Saved Model: labels an image with a model saved earlier,
 * so every image of an experiment gets labels that mean the same thing.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Apply Saved Model", label = "UnSeg Apply Saved Model")
public class ApplyModelCommand extends AbstractSegmentCommand {
    @Parameter(label = "Model file (.json)", style = FileWidget.OPEN_STYLE)
    private File model;

    @Override
    public void run() {
        try {
            if (model == null || model.getPath().isEmpty()) {
                throw new SegmentationException("Choose a model file (.json) saved by UnSeg.");
            }
            SegmentJob job = new SegmentJob();
            job.model = ModelIO.load(model.toPath());
            execute(job);
        } catch (SegmentationException e) {
            fail(e.getMessage());
        }
    }
}

package io.github.unseg.ij.commands;

import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.ij.SegmentOptions;
import io.github.unseg.methods.Methods;
import io.github.unseg.options.Option;
import io.github.unseg.options.Options;
import io.github.unseg.options.Settings;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugins > Segmentation > UnSeg > Apply Saved Model: labels an image with a model saved earlier,
 * so every image of an experiment gets labels that mean the same thing.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Apply Saved Model", label = "UnSeg Apply Saved Model")
public class ApplyModelCommand extends AbstractSegmentCommand {
    @Override
    protected List<Option> options() {
        List<Option> os = new ArrayList<>();
        os.add(Options.MODEL);
        for (Option o : Options.OUTPUTS) if (o != Options.PER_SLICE && o != Options.SAVE_MODEL) os.add(o);
        os.add(Options.PROBABILITY_MAPS);
        os.add(Options.PROBABILITIES);
        os.add(Options.THREADS); // the labelling machine's cores, not those of the one that fitted the model
        os.addAll(Options.PREVIEWING);
        return os;
    }

    @Override
    protected Object[] defaultTargets() { return SegmentOptions.defaultTargets(Methods.KMEANS); }

    @Override
    protected SegmentJob job(Settings s) {
        File model = file(s, "model");
        if (model == null) throw new SegmentationException("Choose a model file (.json) saved by UnSeg.");
        SegmentJob job = SegmentOptions.applyJob(Methods.load(model.toPath()), s);
        SegmentOptions.attachImageInputs(job, s, image);
        return job;
    }

    @Override
    public void run() {
        endPreview();
        try {
            Settings s = settings();
            execute(job(s), s);
        } catch (SegmentationException e) {
            fail(e.getMessage());
        }
    }
}

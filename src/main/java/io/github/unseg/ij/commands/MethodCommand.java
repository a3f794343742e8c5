package io.github.unseg.ij.commands;

import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.ij.SegmentOptions;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Option;
import io.github.unseg.options.Options;
import io.github.unseg.options.Settings;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The menu command of one method: its parameters are the method's options, then the outputs. */
public abstract class MethodCommand extends AbstractSegmentCommand {
    /** The method this command fits. */
    protected abstract Method method();

    @Override
    protected List<Option> options() {
        List<Option> os = new ArrayList<>(SegmentOptions.scope(method(), FrontEnd.MENU));
        os.remove(Options.MODEL);   // Apply Saved Model is its own command
        os.remove(Methods.METHOD);
        return os;
    }

    @Override
    protected Object[] defaultTargets() { return SegmentOptions.defaultTargets(method()); }

    @Override
    protected List<String> choices(Option o) { return method().choices(o); }

    @Override
    protected SegmentJob job(Settings s) {
        SegmentJob job = SegmentOptions.job(method(), s);
        SegmentOptions.attachImageInputs(job, s, image);
        return job;
    }

    @Override
    public void run() {
        try {
            Settings s;
            SegmentJob job;
            try {
                s = settings();
                job = job(s);
            } catch (RuntimeException e) {
                endPreview();
                throw e;
            }
            io.github.unseg.segment.SegmentationModel trained = takePreviewModel(job, s);   // ends the preview
            if (trained != null) {
                job.model = trained;
                job.segmenter = null;
                log.info("UnSeg: labelled with the network the preview trained (the same settings: the same labels)");
            }
            File save = file(s, "saveModel");
            if (save != null) job.modelFile = save;
            execute(job, s);
        } catch (SegmentationException e) {
            fail(e.getMessage());
        }
    }
}

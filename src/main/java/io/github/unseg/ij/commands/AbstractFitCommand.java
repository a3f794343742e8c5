package io.github.unseg.ij.commands;

import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Normalization;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.segment.ClusterSegmenter;
import org.scijava.plugin.Parameter;
import org.scijava.widget.FileWidget;

import java.io.File;

/** A command that fits a clustering segmenter: pixel feature settings, stack mode, seed, model file. */
public abstract class AbstractFitCommand extends AbstractSegmentCommand {
    @Parameter(label = "Normalization", choices = {"min-max", "z-score", "none"})
    protected String normalization = "min-max";

    @Parameter(label = "Coordinate weight", min = "0", description = "Weight of the x, y (, z) position as extra features; 0 = intensities only")
    protected double coordinateWeight = 0;

    @Parameter(label = "Smoothing (sigma, pixels)", min = "0", description = "Gaussian smoothing of each channel before clustering; 0 = none")
    protected double smoothing = 0;

    @Parameter(label = "NaN pixels", choices = {"mask", "reject"})
    protected String nanPolicy = "mask";

    @Parameter(label = "Each slice separately", description = "Fit one model per slice instead of one for the whole stack")
    protected boolean perSlice = false;

    @Parameter(label = "Fit on at most (pixels)", min = "0", description = "Random sample for fitting; 0 = all pixels. Every pixel is labelled.")
    protected int sampleSize = 200_000;

    @Parameter(label = "Random seed")
    protected long seed = 1;

    @Parameter(label = "Save model (.json)", required = false, persist = false, style = FileWidget.SAVE_STYLE)
    protected File modelFile;

    /** The method's segmenter with its own settings; the shared ones are filled in by {@link #run()}. */
    protected abstract ClusterSegmenter createSegmenter();

    protected boolean wantsProbabilities() { return false; }

    @Override
    public void run() {
        try {
            ClusterSegmenter s = createSegmenter();
            s.features.normalization = Normalization.parse(normalization);
            s.features.coordinateWeight = coordinateWeight;
            s.features.smoothing = smoothing;
            s.features.nanPolicy = NanPolicy.parse(nanPolicy);
            s.sampleSize = sampleSize;
            s.seed = seed;
            SegmentJob job = new SegmentJob();
            job.segmenter = s;
            job.perSlice = perSlice;
            job.probabilities = wantsProbabilities();
            job.modelFile = empty(modelFile);
            execute(job);
        } catch (SegmentationException e) {
            fail(e.getMessage());
        }
    }
}

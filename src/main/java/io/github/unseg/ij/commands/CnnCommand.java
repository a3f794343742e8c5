package io.github.unseg.ij.commands;

import io.github.unseg.cnn.CnnSegmenter;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.ij.Scribbles;
import io.github.unseg.segment.ClusterSegmenter;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/**
 * Plugins > Segmentation > UnSeg > Unsupervised CNN (Kanezaki 2018; Kim, Kanezaki and Tanaka
 * 2020): a small CNN trained on the image itself until at most minLabels labels remain.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Unsupervised CNN", label = "UnSeg Unsupervised CNN")
public class CnnCommand extends AbstractFitCommand {
    @Parameter(label = "Response channels", min = "2", description = "C of the network (reference: 100; fewer is faster)")
    private int nChannels = 100;

    @Parameter(label = "Conv3x3 blocks", min = "1")
    private int nConv = 2;

    @Parameter(label = "Maximum iterations", min = "1")
    private int maxIterations = 1000;

    @Parameter(label = "Stop at this many labels", min = "1")
    private int minLabels = 3;

    @Parameter(label = "Similarity weight", min = "0")
    private double similarityWeight = 1.0;

    @Parameter(label = "Continuity weight", min = "0", description = "Higher: smoother, fewer labels, faster convergence")
    private double continuityWeight = 1.0;

    @Parameter(label = "Learning rate", min = "0")
    private double learningRate = 0.1;

    @Parameter(label = "Train on at most (pixels)", min = "0", description = "Larger planes are trained on a downscaled copy; 0 = never")
    private int trainingPixels = 200_000;

    @Parameter(label = "True 3D (stacks)", description = "The whole volume at once: convolutions, BatchNorm and continuity along z (z weight from the calibration)")
    private boolean volumetric = false;

    @Parameter(label = "3D kernel depth", choices = {"1 (3x3x1)", "3 (3x3x3)"},
            description = "3x3x1 (default) or 3x3x3: good for two classes, but it loses objects a few slices thick when there are more")
    private String zKernel = "1 (3x3x1)";

    @Parameter(label = "Training slices (stacks)", required = false, description = "e.g. 1,10,20 or 5-7: train on these slices, label all; empty = the middle slice")
    private String trainingSlices = "";

    @Parameter(label = "Scribbles (class hints)", choices = {"none", "ROI Manager", "label image file"},
            description = "ROI Manager: each ROI group (or ungrouped ROI) is a class; label image: 0 = no hint, 1..k = class")
    private String scribbles = "none";

    @Parameter(label = "Scribble label image", required = false, persist = false)
    private File scribbleFile;

    @Parameter(label = "Scribble weight", min = "0", description = "Weight of the hints' loss (reference: 0.5)")
    private double scribbleWeight = 5;

    @Override
    protected ClusterSegmenter createSegmenter() {
        CnnSegmenter s = new CnnSegmenter();
        s.nChannels = nChannels;
        s.nConv = nConv;
        s.maxIterations = maxIterations;
        s.minLabels = minLabels;
        s.similarityWeight = similarityWeight;
        s.continuityWeight = continuityWeight;
        s.learningRate = learningRate;
        s.trainingPixels = trainingPixels;
        s.trainingSlices = CnnSegmenter.parseSlices(trainingSlices);
        s.scribbleWeight = scribbleWeight;
        s.volumetric = volumetric;
        // a scripted call can pass any string: only the two choices mean something
        if (!zKernel.startsWith("1") && !zKernel.startsWith("3")) {
            throw new SegmentationException("'3D kernel depth' (zKernel) '" + zKernel + "': use \"1 (3x3x1)\" or \"3 (3x3x3)\".");
        }
        s.zKernel = zKernel.startsWith("3") ? 3 : 1;
        if (volumetric && perSlice) throw new SegmentationException("'True 3D' and 'Each slice separately' exclude each other: untick one.");
        if (scribbles.equals("ROI Manager")) {
            s.scribbles = Scribbles.fromRoiManager(image);
        } else if (scribbles.equals("label image file")) {
            if (empty(scribbleFile) == null) throw new SegmentationException("Choose the scribble label image file (0 = no hint, 1..k = class).");
            s.scribbles = Scribbles.fromFile(scribbleFile, image);
        }
        return s;
    }
}

package io.github.unseg.ij.commands;

import io.github.unseg.cnn.CnnKMeansSegmenter;
import io.github.unseg.segment.ClusterSegmenter;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Segmentation > UnSeg > CNN + K-means: the unsupervised CNN, then K-means with
 * nClusters on its per-pixel responses, for exactly nClusters labels.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>CNN + K-means", label = "UnSeg CNN + K-means")
public class CnnKMeansCommand extends AbstractFitCommand {
    @Parameter(label = "Number of clusters", min = "1", max = "65535")
    private int nClusters = 3;

    @Parameter(label = "Response channels", min = "2")
    private int nChannels = 100;

    @Parameter(label = "Conv3x3 blocks", min = "1")
    private int nConv = 2;

    @Parameter(label = "Maximum CNN iterations", min = "1")
    private int maxIterations = 1000;

    @Parameter(label = "CNN stops at this many labels", min = "1")
    private int minLabels = 3;

    @Parameter(label = "Continuity weight", min = "0")
    private double continuityWeight = 1.0;

    @Parameter(label = "Train on at most (pixels)", min = "0", description = "Larger planes are trained on a downscaled copy; 0 = never")
    private int trainingPixels = 200_000;

    @Parameter(label = "Training slices (stacks)", required = false, description = "e.g. 1,10,20 or 5-7: train on these slices, label all; empty = the middle slice")
    private String trainingSlices = "";

    @Parameter(label = "True 3D (stacks)", description = "The whole volume at once: convolutions, BatchNorm and continuity along z (z weight from the calibration); K-means on a sample of the voxels' responses")
    private boolean volumetric = false;

    @Parameter(label = "3D kernel depth", choices = {"1 (3x3x1)", "3 (3x3x3)"},
            description = "3x3x1 (default) or 3x3x3: good for two classes, but it loses objects a few slices thick when there are more")
    private String zKernel = "1 (3x3x1)";

    @Override
    protected ClusterSegmenter createSegmenter() {
        CnnKMeansSegmenter s = new CnnKMeansSegmenter();
        s.nClusters = nClusters;
        s.nChannels = nChannels;
        s.nConv = nConv;
        s.maxIterations = maxIterations;
        s.minLabels = minLabels;
        s.trainingSlices = io.github.unseg.cnn.CnnSegmenter.parseSlices(trainingSlices);
        s.continuityWeight = continuityWeight;
        s.trainingPixels = trainingPixels;
        s.volumetric = volumetric;
        s.zKernel = zKernel.startsWith("3") ? 3 : 1;
        if (volumetric && perSlice) throw new io.github.unseg.core.SegmentationException("'True 3D' and 'Each slice separately' exclude each other: untick one.");
        return s;
    }
}

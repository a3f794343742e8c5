package io.github.unseg.ij.commands;

import io.github.unseg.cnn.CnnSegmenter;
import io.github.unseg.segment.ClusterSegmenter;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

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
        return s;
    }
}

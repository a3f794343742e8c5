package io.github.unseg.ij.commands;

import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.KMeansSegmenter;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > K-means. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>K-means", label = "UnSeg K-means")
public class KMeansCommand extends AbstractFitCommand {
    @Parameter(label = "Number of clusters", min = "1", max = "65535")
    private int nClusters = 3;

    @Parameter(label = "Restarts (nInit)", min = "1")
    private int nInit = 3;

    @Parameter(label = "Maximum iterations", min = "1")
    private int maxIterations = 300;

    @Parameter(label = "Tolerance", min = "0")
    private double tolerance = 1e-4;

    @Override
    protected ClusterSegmenter createSegmenter() {
        KMeansSegmenter s = new KMeansSegmenter();
        s.nClusters = nClusters;
        s.nInit = nInit;
        s.maxIterations = maxIterations;
        s.tolerance = tolerance;
        return s;
    }
}

package io.github.unseg.ij.commands;

import ij.ImagePlus;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.GmmSegmenter;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > Gaussian Mixture. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Gaussian Mixture", label = "UnSeg Gaussian Mixture")
public class GmmCommand extends AbstractFitCommand {
    @Parameter(label = "Number of clusters", min = "1", max = "65535")
    private int nClusters = 3;

    @Parameter(label = "Covariance", choices = {"full", "diag"})
    private String covariance = "full";

    @Parameter(label = "Choose the number of clusters by BIC")
    private boolean autoClusters = false;

    @Parameter(label = "BIC: fewest clusters", min = "1")
    private int minClusters = 2;

    @Parameter(label = "BIC: most clusters", min = "1")
    private int maxClusters = 8;

    @Parameter(label = "Maximum iterations", min = "1")
    private int maxIterations = 100;

    @Parameter(label = "Tolerance (log-likelihood)", min = "0")
    private double tolerance = 1e-3;

    @Parameter(label = "Covariance regularization", min = "0")
    private double regularization = 1e-6;

    @Parameter(label = "Probability maps")
    private boolean probabilityMaps = false;

    @Parameter(type = ItemIO.OUTPUT, label = "Probabilities", required = false)
    private ImagePlus probabilities;

    @Override
    protected ClusterSegmenter createSegmenter() {
        GmmSegmenter s = new GmmSegmenter();
        s.nClusters = nClusters;
        s.covarianceType = CovarianceType.parse(covariance);
        if (autoClusters) {
            s.autoMinClusters = minClusters;
            s.autoMaxClusters = maxClusters;
        }
        s.maxIterations = maxIterations;
        s.tolerance = tolerance;
        s.regularization = regularization;
        return s;
    }

    @Override
    protected boolean wantsProbabilities() { return probabilityMaps; }

    @Override
    protected void collect(SegmentJob job) { probabilities = job.probabilityMaps; }
}

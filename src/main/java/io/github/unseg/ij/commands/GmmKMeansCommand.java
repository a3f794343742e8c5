package io.github.unseg.ij.commands;

import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.GmmKMeansSegmenter;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Segmentation > UnSeg > GMM + K-means: K-means on the pixel features joined with the
 * posteriors of a Gaussian mixture (see {@link GmmKMeansSegmenter}).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>GMM + K-means", label = "UnSeg GMM + K-means")
public class GmmKMeansCommand extends AbstractFitCommand {
    @Parameter(label = "Number of clusters", min = "1", max = "65535")
    private int nClusters = 3;

    @Parameter(label = "Mixture components (0 = same)", min = "0")
    private int gmmComponents = 0;

    @Parameter(label = "Posterior weight", min = "0")
    private double posteriorWeight = 1.0;

    @Parameter(label = "Covariance", choices = {"full", "diag"})
    private String covariance = "full";

    @Parameter(label = "Restarts (nInit)", min = "1")
    private int nInit = 3;

    @Override
    protected ClusterSegmenter createSegmenter() {
        GmmKMeansSegmenter s = new GmmKMeansSegmenter();
        s.nClusters = nClusters;
        s.gmmComponents = gmmComponents;
        s.posteriorWeight = posteriorWeight;
        s.covarianceType = CovarianceType.parse(covariance);
        s.nInit = nInit;
        return s;
    }
}

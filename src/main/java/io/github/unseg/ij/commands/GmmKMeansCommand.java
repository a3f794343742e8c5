package io.github.unseg.ij.commands;

import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > GMM + K-means: K-means on the pixel features joined with the posteriors of a Gaussian mixture. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>GMM + K-means", label = "UnSeg GMM + K-means")
public class GmmKMeansCommand extends MethodCommand {
    @Override protected Method method() { return Methods.GMM_KMEANS; }
}

package io.github.unseg.ij.commands;

import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > CNN + K-means: the unsupervised CNN, its regions then given nClusters labels (see CnnKMeansSegmenter). */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>CNN + K-means", label = "UnSeg CNN + K-means")
public class CnnKMeansCommand extends MethodCommand {
    @Override protected Method method() { return Methods.CNN_KMEANS; }
}

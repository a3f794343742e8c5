package io.github.unseg.ij.commands;

import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > K-means: K-means on pixel features; each pixel gets its nearest cluster centre. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>K-means", label = "UnSeg K-means")
public class KMeansCommand extends MethodCommand {
    @Override protected Method method() { return Methods.KMEANS; }
}

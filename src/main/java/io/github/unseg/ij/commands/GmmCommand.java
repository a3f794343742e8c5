package io.github.unseg.ij.commands;

import ij.ImagePlus;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > Gaussian Mixture, with optional probability maps. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Gaussian Mixture", label = "UnSeg Gaussian Mixture")
public class GmmCommand extends MethodCommand {
    @Parameter(type = ItemIO.OUTPUT, label = "Probabilities", required = false)
    private ImagePlus probabilityImage;

    @Override protected Method method() { return Methods.GMM; }

    @Override
    protected void collect(SegmentJob job) { probabilityImage = job.probabilityImage; }
}

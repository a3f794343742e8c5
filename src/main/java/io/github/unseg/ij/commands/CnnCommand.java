package io.github.unseg.ij.commands;

import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins > Segmentation > UnSeg > Unsupervised CNN: Kanezaki's unsupervised CNN (2018; Kim, Kanezaki and Tanaka 2020), trained on the image itself. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Unsupervised CNN", label = "UnSeg Unsupervised CNN")
public class CnnCommand extends MethodCommand {
    @Override protected Method method() { return Methods.CNN; }
}

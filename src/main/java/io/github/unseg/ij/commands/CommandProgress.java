package io.github.unseg.ij.commands;

import ij.IJ;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import io.github.unseg.core.Progress;
import org.scijava.Cancelable;
import org.scijava.app.StatusService;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Progress to the status bar; cancelled by the command's cancel or by Esc in ImageJ. With a live
 * plot: the training's labels and loss against iteration in a Plot window, redrawn at most twice a second.
 */
final class CommandProgress implements Progress {
    private final StatusService status;
    private final Cancelable command;
    private final boolean livePlot;
    private final List<Double> its = new ArrayList<>(), labels = new ArrayList<>(), losses = new ArrayList<>();
    // where each training starts in the lists: per slice, each slice trains from iteration 1 again
    private final List<Integer> starts = new ArrayList<>();
    private PlotWindow window;
    private long lastDraw;

    CommandProgress(StatusService status, Cancelable command) { this(status, command, false); }

    CommandProgress(StatusService status, Cancelable command, boolean livePlot) {
        this.status = status;
        this.command = command;
        this.livePlot = livePlot;
        IJ.resetEscape();
    }

    @Override
    public void report(String message, double fraction) {
        if (status == null) return;
        status.showStatus(message);
        if (fraction >= 0) status.showProgress((int) Math.round(fraction * 1000), 1000);
    }

    @Override
    public void iteration(int iteration, int nLabels, double loss) {
        if (!livePlot) return;
        record(iteration, nLabels, loss);
        long now = System.nanoTime();
        if (window != null && now - lastDraw < 500_000_000L) return;
        lastDraw = now;
        Plot p = plot();
        if (window == null || window.isClosed()) window = p.show(); // closed by the user: shown again, as they asked for it
        else window.drawPlot(p);
    }

    /** One iteration's figures; an iteration not after the last one starts a new training (per slice: the next slice's). */
    void record(int iteration, int nLabels, double loss) {
        if (its.isEmpty() || iteration <= its.get(its.size() - 1)) starts.add(its.size());
        its.add((double) iteration);
        labels.add((double) nLabels);
        losses.add(loss);
    }

    /**
     * Labels (left axis) and loss scaled onto the same axis by its maximum, as ImageJ plots have one
     * y axis; the current training in full colour, the earlier ones (the slices before) paler.
     */
    Plot plot() {
        double maxLabels = 1, maxLoss = 1e-12, maxIt = 2;
        for (double v : labels) maxLabels = Math.max(maxLabels, v);
        for (double v : losses) maxLoss = Math.max(maxLoss, v);
        for (double v : its) maxIt = Math.max(maxIt, v);
        Plot p = new Plot("UnSeg CNN training", "iteration", "labels");
        for (int k = starts.size() - 1; k >= 0; k--) {   // the current one first: the legend names its lines
            int from = starts.get(k), to = k + 1 < starts.size() ? starts.get(k + 1) : its.size();
            boolean current = k == starts.size() - 1;
            double[] x = toArray(its.subList(from, to)), y1 = toArray(labels.subList(from, to)), y2 = new double[to - from];
            for (int i = 0; i < y2.length; i++) y2[i] = losses.get(from + i) / maxLoss * maxLabels;
            p.setColor(current ? Color.BLUE : new Color(150, 150, 255));
            p.addPoints(x, y1, Plot.LINE);
            p.setColor(current ? Color.RED : new Color(255, 160, 160));
            p.addPoints(x, y2, Plot.LINE);
        }
        p.setColor(Color.BLACK);
        p.addLegend(String.format(java.util.Locale.ROOT, "labels\nloss (x %.3g)%s", maxLabels / maxLoss,
                starts.size() > 1 ? "\n(earlier slices paler)" : ""));
        p.setLimits(0, maxIt, 0, maxLabels * 1.05);
        return p;
    }

    private static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }

    @Override
    public boolean isCancelled() {
        return command.isCanceled() || IJ.escapePressed();
    }
}

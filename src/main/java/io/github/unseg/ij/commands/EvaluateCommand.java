package io.github.unseg.ij.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.ij.Evaluate;
import io.github.unseg.ij.EvaluationTables;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import io.github.unseg.options.Options;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugins > Segmentation > UnSeg > Evaluate Segmentation: compares a label image with one or more
 * ground truths; the figures go to the Results table (one row per call), where a macro reads them
 * with getResult("meanIoU", nResults-1).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UnSeg>Evaluate Segmentation", label = "UnSeg Evaluate Segmentation")
public class EvaluateCommand extends DynamicCommand {
    private boolean optionInputs;

    /** The evaluator's options (the table's), after the images; see AbstractSegmentCommand. */
    @Override
    public org.scijava.command.DynamicCommandInfo getInfo() {
        org.scijava.command.DynamicCommandInfo info = super.getInfo();
        synchronized (this) {
            if (!optionInputs) {
                optionInputs = true;
                OptionInputs.add(this, info, Options.EVALUATION, new Object[]{new EvalOptions()});
            }
        }
        return info;
    }

    @Parameter(label = "Prediction (label image)")
    private ImagePlus prediction;

    @Parameter(label = "Ground truth (label image)")
    private ImagePlus truth;

    @Parameter(label = "More ground truths (files, ';'-separated)", required = false)
    private String moreTruths = "";

    @Parameter(label = "Per-segment table")
    private boolean segmentTable = false;

    @Parameter(label = "Label overlap table (same IDs)")
    private boolean labelOverlapTable = false;

    @Parameter(label = "Save summary as CSV", required = false, persist = false, style = FileWidget.SAVE_STYLE)
    private File csvFile;

    @Parameter
    private LogService log;

    /** The evaluation, for callers that run the command from Java. */
    private Evaluation evaluation;

    public Evaluation evaluation() { return evaluation; }

    @Override
    public void run() {
        try {
            EvalOptions o = new EvalOptions();
            OptionInputs.settings(this, Options.EVALUATION).applyTo(o);
            List<ImagePlus> truths = new ArrayList<>();
            truths.add(truth);
            if (moreTruths != null) {
                for (String f : moreTruths.split(";")) if (!f.trim().isEmpty()) truths.add(Evaluate.open(new File(f.trim())));
            }
            evaluation = Evaluate.images(prediction, truths, o);
            ResultsTable rt = ResultsTable.getResultsTable();
            if (rt == null) rt = new ResultsTable();
            EvaluationTables.addSummaryRow(rt, prediction.getTitle(), truth.getTitle(), evaluation);
            rt.show("Results");
            if (csvFile != null && !csvFile.getPath().isEmpty()) {
                ResultsTable one = new ResultsTable();
                EvaluationTables.addSummaryRow(one, prediction.getTitle(), truth.getTitle(), evaluation);
                io.github.unseg.core.SafeOutput.checkExtension("csvFile", csvFile, ".csv");
                try (io.github.unseg.core.SafeOutput so = new io.github.unseg.core.SafeOutput(true)) {
                    so.write(csvFile, tmp -> one.saveAs(tmp.toString()));   // complete or absent
                }
            }
            boolean gui = !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null;
            if (segmentTable && gui) EvaluationTables.segmentTable(prediction.getTitle(), evaluation).show("UnSeg Segments");
            if (labelOverlapTable && gui) EvaluationTables.labelOverlapTable(evaluation).show("UnSeg Label Overlap");
            log.info(String.format("UnSeg: %s vs %s: mean IoU %.4f, PRI %.4f, VoI %.4f, covering %.4f",
                    prediction.getTitle(), truth.getTitle(), evaluation.get("meanIoU"), evaluation.get("PRI"),
                    evaluation.get("VoI"), evaluation.get("covering")));
        } catch (SegmentationException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("Could not write " + csvFile + ": " + e.getMessage());
        }
    }

    private void fail(String message) {
        message = io.github.unseg.options.FrontEnd.MENU.respell(message);
        cancel(message);
        log.error("UnSeg: " + message);
        if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) IJ.error("UnSeg", message);
    }
}

package io.github.unseg.spark;

import io.github.unseg.cli.Main;
import io.github.unseg.ij.Evaluate;
import io.github.unseg.ij.LabelImages;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One input file on a worker: the single machine's {@code unseg segment} on that file, with the
 * broadcast model, then (with truth) {@code unseg evaluate}. Running the same command is what
 * makes the labels the single machine's, bit for bit. Never throws for a bad file: the failure
 * is the result, so one corrupt image does not stop the job.
 */
final class FileTask implements Function<String, FileResult> {
    private static final long serialVersionUID = 1L;

    /** The model's JSON, broadcast (once per executor); null: each file fits its own model (--method). */
    final org.apache.spark.broadcast.Broadcast<String> model;
    final String method;
    final List<String> segmentArgs, evalArgs;
    final String outputDir, truthDir;
    final boolean rois, measurements, overwrite;
    final TaskHook hook;
    private transient Evaluate.TruthFolder truthFolder;

    FileTask(org.apache.spark.broadcast.Broadcast<String> model, String method, List<String> segmentArgs, List<String> evalArgs, String outputDir,
             String truthDir, boolean rois, boolean measurements, boolean overwrite, TaskHook hook) {
        this.model = model;
        this.method = method;
        this.segmentArgs = new ArrayList<>(segmentArgs);
        this.evalArgs = new ArrayList<>(evalArgs);
        this.outputDir = outputDir;
        this.truthDir = truthDir;
        this.rois = rois;
        this.measurements = measurements;
        this.overwrite = overwrite;
        this.hook = hook;
    }

    static File labelsOf(File outputDir, String input) {
        return new File(outputDir, LabelImages.baseName(new File(input).getName()) + "_labels.tif");
    }

    static File roisOf(File outputDir, String input) {
        return new File(outputDir, LabelImages.baseName(new File(input).getName()) + "_rois.zip");
    }

    static File measurementsOf(File outputDir, String input) {
        return new File(outputDir, LabelImages.baseName(new File(input).getName()) + "_measurements.csv");
    }

    @Override
    public FileResult call(String input) {
        long t0 = System.nanoTime();
        TaskContext tc = TaskContext.get();
        if (hook != null) hook.before(input, tc == null ? 0 : tc.attemptNumber());
        File out = new File(outputDir), labels = labelsOf(out, input), roiFile = roisOf(out, input), csv = measurementsOf(out, input);
        FileResult.Status status;
        String message = "";
        try {
            if (!overwrite && labels.isFile() && (!rois || roiFile.isFile()) && (!measurements || csv.isFile())) {
                status = FileResult.Status.SKIPPED;
                message = "outputs exist";
            } else {
                List<String> a = new ArrayList<>(List.of("segment", "--quiet"));
                String modelJson = model == null ? null : model.value();
                if (modelJson != null) a.addAll(List.of("--model", ModelFiles.NAME));
                else a.addAll(List.of("--method", method));
                a.addAll(segmentArgs);
                if (overwrite) a.add("--overwrite");
                a.addAll(List.of(input, "--labels", labels.getPath()));
                if (rois) a.addAll(List.of("--rois", roiFile.getPath()));
                if (measurements) a.addAll(List.of("--measurements", csv.getPath()));
                String[] r = modelJson != null ? segment(ModelFiles.model(modelJson), a) : run(a);
                if (r[0].equals("0")) {
                    status = FileResult.Status.DONE;
                    message = notes(r[1]);
                }
                else if (r[2].contains("skipped, output exists") || r[2].contains("skipped, ")) {
                    status = FileResult.Status.SKIPPED;
                    message = failure(r[2]);
                } else {
                    status = FileResult.Status.FAILED;
                    message = failure(r[2]);
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            status = FileResult.Status.FAILED;
            message = e.toString();
        }
        String[] metrics = {null, null};
        if (truthDir != null && status != FileResult.Status.FAILED) {
            try {
                metrics = evaluate(labels);
            } catch (RuntimeException | IOException e) {
                message = (message.isEmpty() ? "" : message + "; ") + "evaluation failed: " + e.getMessage();
            }
            if (metrics[0] == null && metrics[1] != null) {   // evaluate's own message
                message = (message.isEmpty() ? "" : message + "; ") + "evaluation failed: " + metrics[1];
                metrics[1] = null;
            }
        }
        return new FileResult(input, status, message, (System.nanoTime() - t0) / 1e9, metrics[0], metrics[1], host());
    }

    /** header and row of {@code evaluate}'s CSV for these labels; {null, message} when it fails. */
    private String[] evaluate(File labels) throws IOException {
        if (truthFolder == null) truthFolder = new Evaluate.TruthFolder(new File(truthDir));  // once per task, not per file
        List<File> truths = truthFolder.filesFor(labels.getName());
        if (truths.isEmpty()) return new String[]{null, "no ground truth in " + truthDir + " matches its name"};
        Path dir = Files.createTempDirectory("unseg-eval-");
        File csv = dir.resolve("metrics.csv").toFile();
        try {
            List<String> a = new ArrayList<>(List.of("evaluate", labels.getPath()));
            for (File t : truths) a.add(t.getPath());
            a.addAll(List.of("--csv", csv.getPath()));
            a.addAll(evalArgs);
            String[] r = run(a);
            if (!r[0].equals("0") || !csv.isFile()) return new String[]{null, failure(r[2])};
            List<String> lines = Files.readAllLines(csv.toPath(), StandardCharsets.UTF_8);
            return lines.size() < 2 ? new String[]{null, "no metrics"} : new String[]{lines.get(0), lines.get(1)};
        } finally {
            Files.deleteIfExists(csv.toPath());
            Files.deleteIfExists(dir);
        }
    }

    /** {exit code, stdout, stderr} of a command of the single-machine command line. */
    static String[] run(List<String> args) { return call(null, args); }

    /** {@link #run} of a segment command whose --model is loaded already. */
    static String[] segment(io.github.unseg.segment.SegmentationModel model, List<String> args) { return call(model, args); }

    private static String[] call(io.github.unseg.segment.SegmentationModel model, List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            String[] a = args.toArray(new String[0]);
            rc = model == null ? Main.run(a, po, pe) : Main.segment(model, java.util.Arrays.copyOfRange(a, 1, a.length), po, pe);
        }
        return new String[]{Integer.toString(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    /** A done file's message: the run's notes (an empty field, a range beyond the model's), which a batch's reader checks first. */
    static String notes(String out) {
        StringBuilder b = new StringBuilder();
        for (String line : out.split("\\R")) {
            String t = line.trim();
            if (t.startsWith("note: ")) b.append(b.length() > 0 ? "; " : "").append(t);
        }
        return b.toString();
    }

    /** The message of a failed command: its FAILED line(s) without the file name, else its error output. */
    static String failure(String err) {
        StringBuilder b = new StringBuilder();
        for (String line : err.split("\\R")) {
            int i = line.indexOf(": FAILED: ");
            if (i >= 0) b.append(b.length() > 0 ? "; " : "").append(line.substring(i + 10).trim());
            int s = line.indexOf(": skipped, ");
            if (s >= 0) b.append(b.length() > 0 ? "; " : "").append(line.substring(s + 2).trim());
        }
        String m = b.length() > 0 ? b.toString() : err.trim().replaceAll("\\s*\\R\\s*", "; ");
        return m.length() > 1000 ? m.substring(0, 1000) + "..." : m;
    }

    private static final String HOST = lookUpHost();

    static String host() { return HOST; }

    private static String lookUpHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (IOException e) {
            return "?/" + ProcessHandle.current().pid();
        }
    }
}

package io.github.unseg.cli;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.ij.UnSegMacro;
import io.github.unseg.ij.commands.KMeansCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A row per bad input, run through every entry point that takes it: the command line (exit code,
 * message in its spelling), a macro's call() (an "error: ..." answer) and CommandService (a
 * cancelled module with the reason). Each row says which files must not exist afterwards and that
 * the input is unchanged.
 */
class BadInputTableTest {
    static Context context;
    static io.github.unseg.ij.RunCommand commands;

    @BeforeAll
    static void start() {
        context = new Context();
        commands = new io.github.unseg.ij.RunCommand(context);
    }

    @AfterAll
    static void stop() { context.dispose(); }

    /** One bad input. {out} in the arguments is the temporary folder. */
    static final class Row {
        final String what;
        final String[] cli;          // null: not a command-line case
        final int exit;
        final String cliMessage;
        final String macroOptions;   // null: not a macro case
        final String macroMessage;
        final String[] absent;       // files (under {out}) that must not exist afterwards

        Row(String what, String[] cli, int exit, String cliMessage, String macroOptions, String macroMessage, String... absent) {
            this.what = what; this.cli = cli; this.exit = exit; this.cliMessage = cliMessage;
            this.macroOptions = macroOptions; this.macroMessage = macroMessage; this.absent = absent;
        }
    }

    static String[] a(String... s) { return s; }

    static final List<Row> ROWS = List.of(
            new Row("labels name without .tif", a("{in}", "--labels", "{out}/result.lbl"), 2, "--labels {out}/result.lbl: the file name must end in .tif",
                    "labels={out}/ok.lbl", "labels= {out}/ok.lbl: the file name must end in .tif", "result.lbl", "result.lbl.tif", "ok.lbl", "ok.lbl.tif"),
            new Row("labels without extension", a("{in}", "--labels", "{out}/res2"), 2, "must end in .tif or .tiff",
                    null, null, "res2", "res2.tif"),
            new Row("probabilities name", a("{in}", "--method", "gmm", "--labels", "{out}/l.tif", "--probabilities", "{out}/p.prob"), 2,
                    "--probabilities {out}/p.prob: the file name must end in .tif", null, null, "p.prob", "p.prob.tif", "l.tif"),
            new Row("labels is a folder", a("{in}", "--labels", "{out}/dir", "--overwrite"), 2, "is a folder; with one input it names a file",
                    null, null, "dir.tif"),
            new Row("labels is the input", a("{in}", "--labels", "{in}", "--overwrite"), 2, "is an input file; UnSeg never writes over an input",
                    "labels={in} overwrite", "is an input file; UnSeg never writes over an input"),
            new Row("min-clusters 0", a("{in}", "--method", "gmm", "--auto-clusters", "--min-clusters", "0", "--labels", "{out}/l.tif"), 2,
                    "--min-clusters 0 is out of range: use a value from 1 to 1000", "method=gmm autoclusters minclusters=0 labels={out}/l.tif",
                    "minclusters 0 is out of range", "l.tif"),
            new Row("min-clusters above max-clusters", a("{in}", "--method", "gmm", "--auto-clusters", "--min-clusters", "6",
                    "--max-clusters", "3", "--labels", "{out}/l.tif"), 2, "--min-clusters 6 is above --max-clusters 3",
                    "method=gmm autoclusters minclusters=6 maxclusters=3 labels={out}/l.tif", "minclusters=6 is above maxclusters=3", "l.tif"),
            new Row("negative tolerance", a("{in}", "--tolerance", "-1", "--labels", "{out}/l.tif"), 2, "--tolerance -1 is out of range", null, null, "l.tif"),
            new Row("negative min-object-size", a("{in}", "--rois", "{out}/r.zip", "--min-object-size", "-5"), 2, "--min-object-size -5 is out of range", null, null, "r.zip"),
            new Row("threads -1", a("{in}", "--threads", "-1", "--labels", "{out}/l.tif"), 2, "--threads -1 is out of range",
                    "threads=-1 labels={out}/l.tif", "threads -1 is out of range", "l.tif"),
            new Row("threads 10000", a("{in}", "--threads", "10000", "--labels", "{out}/l.tif"), 2, "--threads 10000 is out of range", null, null, "l.tif"),
            new Row("training-pixels -5", a("{in}", "--method", "cnn", "--training-pixels", "-5", "--labels", "{out}/l.tif"), 2,
                    "--training-pixels -5 is out of range", "method=cnn trainingpixels=-5 labels={out}/l.tif", "trainingpixels -5 is out of range: use a value >= 0", "l.tif"),
            new Row("tile-size 0", a("{in}", "--method", "cnn", "--tile-size", "0", "--labels", "{out}/l.tif"), 2,
                    "--tile-size 0 is out of range", "method=cnn tilesize=0 labels={out}/l.tif", "tilesize 0 is out of range: use a value from 64 to 65536", "l.tif"),
            new Row("3d on a 2D image", a("{in}", "--method", "cnn", "--3d", "--labels", "{out}/l.tif"), 1, "needs a stack",
                    "method=cnn 3d labels={out}/l.tif", "needs a stack", "l.tif"),
            new Row("training slices on a 2D image", a("{in}", "--method", "cnn", "--training-slices", "99", "--labels", "{out}/l.tif"), 1,
                    "need a stack", "method=cnn trainingslices=99 labels={out}/l.tif", "need a stack", "l.tif"),
            new Row("cnn-kmeans with 0 clusters (before training)", a("{in}", "--method", "cnn-kmeans", "--clusters", "0", "--labels", "{out}/l.tif"), 2,
                    "--clusters 0 is out of range", "method=cnn-kmeans nclusters=0 labels={out}/l.tif", "nclusters 0 is out of range", "l.tif"),
            new Row("cluster-with gmm on responses", a("{in}", "--method", "cnn-kmeans", "--cluster-on", "responses", "--cluster-with", "gmm", "--labels", "{out}/l.tif"), 2,
                    "--cluster-with gmm works with --cluster-on regions", "method=cnn-kmeans clusteron=responses clusterwith=gmm labels={out}/l.tif",
                    "clusterwith=gmm works with clusteron=regions", "l.tif"),
            new Row("max-seconds -1", a("{in}", "--method", "cnn", "--max-seconds", "-1", "--labels", "{out}/l.tif"), 2,
                    "--max-seconds -1 is out of range", "method=cnn maxseconds=-1 labels={out}/l.tif", "maxseconds -1 is out of range", "l.tif"),
            new Row("merge-texture with merge-threshold 0 (a setting the algorithm checks, named as typed)", a("{in}", "--method", "cnn",
                    "--merge-texture", "1", "--merge-threshold", "0", "--labels", "{out}/l.tif"), 2,
                    "--merge-texture 1.0 relaxes the --merge-threshold test", "method=cnn mergetexture=1 mergethreshold=0 labels={out}/l.tif",
                    "mergetexture 1.0 relaxes the mergethreshold test", "l.tif"),
            new Row("unknown preset", a("{in}", "--method", "cnn", "--preset", "fast", "--labels", "{out}/l.tif"), 2,
                    "--preset fast", "method=cnn preset=fast labels={out}/l.tif", "preset", "l.tif"),
            new Row("padding mirror", a("{in}", "--method", "cnn", "--padding", "mirror", "--labels", "{out}/l.tif"), 2,
                    "--padding mirror", "method=cnn padding=mirror labels={out}/l.tif", "padding", "l.tif"),
            new Row("n-regions on K-means", a("{in}", "--method", "kmeans", "--n-regions", "4", "--labels", "{out}/l.tif"), 2,
                    "--n-regions", null, null, "l.tif"),
            new Row("missing truth", a("{in}", "--labels", "{out}/l.tif", "--truth", "{out}/nope.tif"), 2, "--truth {out}/nope.tif: no such file",
                    null, null, "l.tif"),
            new Row("model under a regular file", a("{in}", "--save-model", "{out}/plain/m.json"), 2, "is a file, not a folder",
                    null, null, "plain/m.json"),
            new Row("unknown method", a("{in}", "--method", "foo", "--labels", "{out}/l.tif"), 2, "--method foo: Unknown method 'foo'",
                    "method=foo labels={out}/l.tif", "Unknown method 'foo'", "l.tif"),
            new Row("sample-size 1", a("{in}", "--sample-size", "1", "--labels", "{out}/l.tif"), 2, "--sample-size 1 is too small",
                    null, null, "l.tif"),
            new Row("misspelt macro key", null, 0, null, "nclusterz=2 labels={out}/l.tif", "Unknown option 'nclusterz'", "l.tif"),
            new Row("a menu's own option (a recorded line pasted into a script)", a("{in}", "--preview", "--labels", "{out}/l.tif"), 2,
                    "--preview is not taken here (a preview is drawn in the dialog", "preview labels={out}/l.tif",
                    "'preview' is not taken here (a preview is drawn in the dialog", "l.tif"),
            new Row("64-bit TIFF", a("{out}/f64.tif", "--labels", "{out}/l.tif"), 1, "is a 64-bit TIFF", null, null, "l.tif"),
            new Row("ROI Manager scribbles, headless", null, 0, null, "method=cnn scribbles=roimanager labels={out}/l.tif",
                    "headless ImageJ lacks", "l.tif"),
            new Row("truncated TIFF", a("{out}/cut.tif", "--labels", "{out}/l.tif"), 1, "is truncated: the file has 5000 bytes",
                    null, null, "l.tif"),
            new Row("empty file", a("{out}/empty.tif", "--labels", "{out}/l.tif"), 1, "the file is empty (0 bytes)", null, null, "l.tif"),
            new Row("not a TIFF", a("{out}/text.tif", "--labels", "{out}/l.tif"), 1, "its name ends in .tif but it is not a TIFF file",
                    null, null, "l.tif"),
            new Row("object option without objects", a("{in}", "--refine-edges", "4", "--labels", "{out}/l.tif"), 2,
                    "--refine-edges applies to object labels: add --objects", "seeddistance=5 labels={out}/l.tif",
                    "seeddistance= applies to object labels: add objects (", "l.tif"),
            new Row("not a PNG", a("{out}/text.png", "--labels", "{out}/l.tif"), 1, "its name ends in .png but its content is not PNG",
                    null, null, "l.tif"),
            new Row("not a JPEG", a("{out}/text.jpg", "--labels", "{out}/l.tif"), 1, "its name ends in .jpg but its content is not JPEG",
                    null, null, "l.tif"),
            // refused before the CNN trains: 100000 iterations would take hours
            new Row("cnn-kmeans on a uniform image", a("{out}/flat.tif", "--method", "cnn-kmeans", "--max-iterations", "100000", "--labels", "{out}/l.tif"), 1,
                    "The image is uniform", null, null, "l.tif"));

    static String sub(String s, Path out, Path in) {
        return s.replace("{out}", out.toString()).replace("{in}", in.toString());
    }

    Path setUp(Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createDirectories(out.resolve("dir"));
        Files.writeString(out.resolve("plain"), "a regular file");
        Path in = out.resolve("in.tif");
        IJ.saveAsTiff(Synthetic.gray8(64, 48, 1), in.toString());
        byte[] whole = Files.readAllBytes(Path.of("samples/dsb2018_nuclei.tif"));
        Files.write(out.resolve("cut.tif"), Arrays.copyOf(whole, 5000));
        Files.write(out.resolve("empty.tif"), new byte[0]);
        Files.writeString(out.resolve("text.tif"), "not an image");
        Files.writeString(out.resolve("text.png"), "not an image");
        Files.writeString(out.resolve("text.jpg"), "not an image");
        ij.process.ByteProcessor flat = new ij.process.ByteProcessor(40, 30);
        flat.set(9);
        IJ.saveAsTiff(new ImagePlus("flat", flat), out.resolve("flat.tif").toString());
        // A minimal little-endian TIFF whose one IFD says 64 bits per sample (a float64 image).
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4 + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 1).putShort((short) 258).putShort((short) 3).putInt(1).putShort((short) 64).putShort((short) 0);
        b.putInt(0);
        Files.write(out.resolve("f64.tif"), b.array());
        return in;
    }

    @Test
    void everyBadInputIsRefusedThroughTheCommandLine(@TempDir Path dir) throws Exception {
        Path in = setUp(dir), out = in.getParent();
        byte[] input = Files.readAllBytes(in);
        List<String> problems = new ArrayList<>();
        for (Row r : ROWS) {
            if (r.cli == null) continue;
            List<String> args = new ArrayList<>(List.of("segment", "--quiet"));
            for (String s : r.cli) args.add(sub(s, out, in));
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int rc = Main.run(args.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            String text = o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8);
            if (rc != r.exit) problems.add(r.what + ": exit " + rc + " (want " + r.exit + "): " + text);
            if (!text.contains(sub(r.cliMessage, out, in))) problems.add(r.what + ": message lacks '" + sub(r.cliMessage, out, in) + "': " + text);
            if (text.contains("\tat ")) problems.add(r.what + ": a stack trace: " + text);
            for (String f : r.absent) if (Files.exists(out.resolve(f))) problems.add(r.what + ": " + f + " was written");
        }
        assertArrayEquals(input, Files.readAllBytes(in), "the input is unchanged");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void anUnrecognisedFileGetsOnlyUnSegsMessage(@TempDir Path dir) throws Exception {
        Path out = setUp(dir).getParent();
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String name : List.of("text.png", "text.jpg")) {
                io.github.unseg.core.SegmentationException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.github.unseg.core.SegmentationException.class, () -> io.github.unseg.ij.Evaluate.open(out.resolve(name).toFile()));
                assertTrue(e.getMessage().contains("damaged or renamed"), e.getMessage());
            }
        } finally {
            System.setOut(saved);
        }
        // ImageJ's own "Unsupported format or file not found" line, printed before ours, is gone
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyBadInputIsRefusedThroughAMacroCall(@TempDir Path dir) throws Exception {
        Path in = setUp(dir), out = in.getParent();
        byte[] input = Files.readAllBytes(in);
        List<String> problems = new ArrayList<>();
        for (Row r : ROWS) {
            if (r.macroOptions == null) continue;
            // through ImageJ's macro interpreter, as a user's call() runs
            String answer = ij.IJ.runMacro("return call(\"io.github.unseg.ij.UnSegMacro.segment\", \"" + in
                    + "\", \"" + sub(r.macroOptions, out, in) + "\");");
            if (!answer.startsWith("error:")) problems.add(r.what + ": answered '" + answer + "'");
            if (!answer.contains(sub(r.macroMessage, out, in))) problems.add(r.what + ": answer lacks '" + sub(r.macroMessage, out, in) + "': " + answer);
            for (String f : r.absent) if (Files.exists(out.resolve(f))) problems.add(r.what + ": " + f + " was written");
        }
        assertArrayEquals(input, Files.readAllBytes(in), "the input is unchanged");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void badOutputNamesAreRefusedThroughCommandService(@TempDir Path dir) throws Exception {
        Path in = setUp(dir), out = in.getParent();
        ImagePlus imp = IJ.openImage(in.toString());
        Object[][] rows = {
                {"labels", out.resolve("x.lbl").toFile(), "'Save label image (.tif)' (labels) " + out.resolve("x.lbl") + ": the file name must end in .tif"},
                {"rois", out.resolve("r.roi").toFile(), "'Save ROI set (.zip)' (rois) " + out.resolve("r.roi") + ": the file name must end in .zip"},
                {"labels", in.toFile(), "is an input file"},
        };
        for (Object[] r : rows) {
            io.github.unseg.ij.RunCommand.Result m = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 2, "roiMode", "one per cluster",
                    "addToManager", false, "overwrite", true, r[0], r[1]);
            assertTrue(m.isCanceled(), r[0] + " " + r[1]);
            assertTrue(m.getCancelReason().contains((String) r[2]), m.getCancelReason());
        }
        assertFalse(out.resolve("x.lbl").toFile().exists() || out.resolve("x.lbl.tif").toFile().exists());
        assertFalse(out.resolve("r.roi").toFile().exists());
        assertEquals(64, IJ.openImage(in.toString()).getWidth(), "the input file is intact");
        // A scripted call with a value the dialog's choices do not offer.
        io.github.unseg.ij.RunCommand.Result m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", imp, "zKernel", "bogus",
                "roiMode", "none", "addToManager", false);
        assertTrue(m.isCanceled() && m.getCancelReason().contains("zKernel") && m.getCancelReason().contains("bogus"), m.getCancelReason());
    }

    @Test
    void damagedModelsAreRefusedNamingTheBadField(@TempDir Path dir) throws Exception {
        Path in = setUp(dir), out = in.getParent();
        Path good = out.resolve("good.json");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8), pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[]{"segment", "--quiet", "--clusters", "2", in.toString(), "--save-model", good.toString()}, po, pe),
                e.toString(StandardCharsets.UTF_8));
        com.google.gson.JsonObject m = com.google.gson.JsonParser.parseString(Files.readString(good)).getAsJsonObject();
        String[][] rows = {
                {"\"centers\" row 1 has 3 values", "centers", "[[0.1,0.2,0.3],[0.5,0.6,0.7]]"},
                {"\"centers\" holds NaN", "centers", "[[\"NaN\"],[0.5]]"},
                {"\"nLabels\" is 5 but there are 2 centres", "nLabels", "5"},
                {"\"centers\" is empty", "centers", "[]"},
                {"\"features.scale\" is empty", "features.scale", "[]"},
        };
        List<String> problems = new ArrayList<>();
        for (String[] r : rows) {
            com.google.gson.JsonObject bad = m.deepCopy();
            com.google.gson.JsonElement v = com.google.gson.JsonParser.parseString(r[2]);
            if (r[1].startsWith("features.")) bad.getAsJsonObject("features").add(r[1].substring(9), v);
            else bad.add(r[1], v);
            Path f = out.resolve("bad.json");
            Files.writeString(f, bad.toString());
            e.reset();
            int rc = Main.run(new String[]{"segment", "--quiet", in.toString(), "--model", f.toString(), "--labels", out.resolve("m.tif").toString()}, po, pe);
            String text = e.toString(StandardCharsets.UTF_8);
            if (rc != 1 || !text.contains(r[0]) || text.contains("\tat ")) problems.add(r[1] + "=" + r[2] + ": exit " + rc + ": " + text);
            if (Files.exists(out.resolve("m.tif"))) problems.add(r[1] + ": labels written");
            String answer = UnSegMacro.segment(in.toString(), "model=" + f + " labels=" + out.resolve("m.tif"));
            if (!answer.startsWith("error:") || !answer.contains(r[0])) problems.add("macro " + r[1] + ": " + answer);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}

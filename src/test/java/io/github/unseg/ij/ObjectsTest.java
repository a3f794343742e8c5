package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.process.ShortProcessor;
import io.github.unseg.Synthetic;
import io.github.unseg.cli.Main;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.ij.commands.GmmCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object labels (objects, foreground, fillHoles, seedDistance, minObjectSize) from every front end. */
class ObjectsTest {
    static Context context;
    static RunCommand commands;
    final int[] truth = new int[120 * 90];

    @BeforeAll
    static void start() {
        context = new Context();
        commands = new RunCommand(context);
        if (System.getProperty("java.util.prefs.userRoot", "").contains("test-prefs")) {
            context.service(org.scijava.prefs.PrefService.class).clearAll();
        }
    }

    @AfterAll
    static void stop() { context.dispose(); }

    @AfterEach
    void closeImages() {
        Interpreter.batchMode = false;
        int[] ids = WindowManager.getIDList();
        if (ids != null) for (int id : ids) { ImagePlus imp = WindowManager.getImage(id); if (imp != null) imp.close(); }
    }

    /** Nine nuclei, three touching pairs among them, one with a hole: every one found whole. */
    private void assertNineNuclei(ImagePlus labels) {
        assertEquals(ImagePlus.GRAY16, labels.getType());
        int[] ids = LabelArrays.of(labels, "objects");
        assertEquals(9, Arrays.stream(ids).max().getAsInt(), "nine objects, numbered 1..9");
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        o.thresholds = new double[]{0.8};
        Evaluation e = Evaluation.evaluate(ids, List.of(truth), new int[]{120, 90, 1}, o);
        assertEquals(1.0, e.get("f1@0.80"), 1e-12, "every nucleus matched at IoU 0.8: " + e.summary);
        assertTrue(ids[20 * 120 + 20] > 0, "the hole is filled");
    }

    @Test
    void commandLine(@TempDir Path dir) throws Exception {
        ImagePlus imp = Synthetic.nuclei(truth, 1);
        Path in = dir.resolve("nuclei.tif"), tr = dir.resolve("truth.tif");
        assertTrue(IJ.saveAsTiff(imp, in.toString()));
        short[] t = new short[truth.length];
        for (int i = 0; i < t.length; i++) t[i] = (short) truth[i];
        assertTrue(IJ.saveAsTiff(new ImagePlus("truth", new ShortProcessor(120, 90, t, null)), tr.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"segment", "--method", "gmm", "--n-clusters", "2", in.toString(), "--objects",
                "--labels", dir.resolve("o.tif").toString(), "--rois", dir.resolve("o.zip").toString(), "--truth", tr.toString(),
                "--ignore-pred-label", "0", "--ignore-truth-label", "0", "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(o.contains("9 objects (objects: foreground auto: not-darkest, fill holes on, seed distance 7.0, scaled to the objects: 7.0, min size 10, dim objects 3.0 noise levels up (0 found))"), o);
        assertTrue(o.contains("f1@0.50 1.0000"), o);
        assertNineNuclei(IJ.openImage(dir.resolve("o.tif").toString()));
        assertEquals(9, RoiExport.readZip(dir.resolve("o.zip").toFile()).size(), "one ROI per object");

        // Without splitting, the three touching pairs are three objects: six in all.
        code = Main.run(new String[]{"segment", "--method", "gmm", "--n-clusters", "2", in.toString(), "--objects",
                "--seed-distance", "0", "--labels", dir.resolve("whole.tif").toString(), "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals(6, Arrays.stream(LabelArrays.of(IJ.openImage(dir.resolve("whole.tif").toString()), "l")).max().getAsInt());
        // darkest: the background is the object (its holes, the nuclei, left open).
        code = Main.run(new String[]{"segment", "--method", "kmeans", "--n-clusters", "3", in.toString(), "--objects",
                "--foreground", "darkest", "--fill-holes=false", "--labels", dir.resolve("dark.tif").toString(), "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        int[] dark = LabelArrays.of(IJ.openImage(dir.resolve("dark.tif").toString()), "l");
        assertEquals(0, dark[20 * 120 + 50], "darkest: the nuclei are background");
        assertTrue(dark[5 * 120 + 5] > 0, "darkest: the background is the object");
    }

    @Test
    void macroCall(@TempDir Path dir) {
        ImagePlus imp = Synthetic.nuclei(truth, 2);
        String file = dir.resolve("nuc.tif").toString();
        assertTrue(IJ.saveAsTiff(imp, file));
        String r = new Interpreter().run(String.join("\n",
                "setBatchMode(true);",
                "r = call('io.github.unseg.ij.UnSegMacro.segment', getArgument(), 'method=gmm nclusters=2 objects seeddistance=7 minobjectsize=15 fillholes');",
                "return r;"), file);
        assertFalse(r.startsWith("error"), r);
        assertNineNuclei(WindowManager.getImage(r));
        r = new Interpreter().run(String.join("\n",
                "setBatchMode(true);",
                "return call('io.github.unseg.ij.UnSegMacro.segment', getArgument(), 'method=gmm objects foreground=bright');"), file);
        assertTrue(r.startsWith("error") && r.contains("foreground"), r);
    }

    @Test
    void menuCommand() throws Exception {
        ImagePlus imp = Synthetic.nuclei(truth, 3);
        RunCommand.Result m = commands.run(GmmCommand.class, true, "image", imp, "nClusters", 2, "objects", true,
                "roiMode", "none", "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus labels = (ImagePlus) m.getOutput("labelImage");
        assertEquals("nuclei-objects", labels.getTitle());
        assertNineNuclei(labels);
        assertArrayEquals(Synthetic.nuclei(new int[truth.length], 3).getProcessor().getPixels() instanceof byte[]
                ? (byte[]) Synthetic.nuclei(new int[truth.length], 3).getProcessor().getPixels() : null,
                (byte[]) imp.getProcessor().getPixels(), "input unchanged");
    }

    /** Four nuclei of radius 9 (200) in a dim rim out to 13 (80) on 30, edges blurred; truth = the nuclei. */
    private static ImagePlus rimmed(int[] truth) {
        int w = 120, h = 90;
        int[][] c = {{25, 25}, {70, 25}, {30, 65}, {90, 62}};
        java.util.Random rnd = new java.util.Random(5);
        byte[] b = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 30;
                truth[y * w + x] = 0;
                for (int i = 0; i < c.length; i++) {
                    double r = Math.hypot(x - c[i][0], y - c[i][1]);
                    v += 50 / (1 + Math.exp(r - 13)) + 120 / (1 + Math.exp((r - 9) / 0.7));
                    if (r <= 9) truth[y * w + x] = i + 1;
                }
                b[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(v + 4 * rnd.nextGaussian())));
            }
        }
        return new ImagePlus("rimmed.tif", new ij.process.ByteProcessor(w, h, b));
    }

    private double foregroundIoU(ImagePlus labels, int[] t) {
        EvalOptions o = new EvalOptions();
        o.ignorePredLabel = 0;
        o.ignoreTruthLabel = 0;
        return Evaluation.evaluate(LabelArrays.of(labels, "objects"), List.of(t), new int[]{120, 90, 1}, o).get("foregroundIoU");
    }

    @Test
    void refineEdgesFromEveryFrontEnd(@TempDir Path dir) throws Exception {
        int[] t = new int[120 * 90];
        ImagePlus imp = rimmed(t);
        Path in = dir.resolve("rimmed.tif");
        assertTrue(IJ.saveAsTiff(imp, in.toString()));
        // K-means k3, all but the darkest cluster: the nuclei with their rims, twice their area
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        for (String refine : new String[]{"0", "5"}) {
            int code = Main.run(new String[]{"segment", "--method", "kmeans", "--n-clusters", "3", in.toString(), "--objects",
                    "--refine-edges", refine, "--labels", dir.resolve("r" + refine + ".tif").toString(), "--quiet"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        }
        double plain = foregroundIoU(IJ.openImage(dir.resolve("r0.tif").toString()), t);
        double refined = foregroundIoU(IJ.openImage(dir.resolve("r5.tif").toString()), t);
        assertTrue(plain < 0.6, "the rims are in the objects: " + plain);
        assertTrue(refined > 0.9, "outlines on the nuclei's edges: " + plain + " -> " + refined);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("edges refined within 5.0"), out.toString(StandardCharsets.UTF_8));

        String r = new Interpreter().run(String.join("\n",
                "setBatchMode(true);",
                "return call('io.github.unseg.ij.UnSegMacro.segment', getArgument(), 'method=kmeans nclusters=3 objects refineedges=5');"),
                in.toString());
        assertFalse(r.startsWith("error"), r);
        assertEquals(refined, foregroundIoU(WindowManager.getImage(r), t), 1e-12, "the macro gives the command line's objects");

        RunCommand.Result m = commands.run(io.github.unseg.ij.commands.KMeansCommand.class, true, "image", imp, "nClusters", 3,
                "objects", true, "refineEdges", 5.0, "roiMode", "none", "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(refined, foregroundIoU((ImagePlus) m.getOutput("labelImage"), t), 1e-12, "the menu command too");
    }
    /** The menu's Find dim objects: K-means k2 cuts off three dim disks, the search (default 3) finds them, 0 does not. */
    @Test
    void dimObjectsFromTheMenu() throws Exception {
        ImagePlus imp = io.github.unseg.Synthetic.dimAndBright();
        for (double dim : new double[]{3, 0}) {
            RunCommand.Result m = commands.run(io.github.unseg.ij.commands.KMeansCommand.class, true, "image", imp, "nClusters", 2,
                    "objects", true, "dimObjects", dim, "roiMode", "none", "addToManager", false);
            assertFalse(m.isCanceled(), m.getCancelReason());
            assertEquals(dim > 0 ? 6 : 3, objects((ImagePlus) m.getOutput("labelImage")), "dimObjects " + dim);
        }
    }

    /**
     * foreground auto: on a colour brightfield image (an H&E-like tile: eight dark purple nuclei on
     * pink tissue) the objects are the dark cluster, from the command line and the menu; on the same
     * image in grey (fluorescence-like for the test) auto keeps all but the darkest.
     */
    @Test
    void darkObjectsOnAColourBrightfieldImageByDefault(@TempDir Path dir) throws Exception {
        ImagePlus he = Synthetic.stainedTissue();
        Path in = dir.resolve("he.tif");
        assertTrue(IJ.saveAsTiff(he, in.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"segment", "--method", "kmeans", "--n-clusters", "2", in.toString(), "--objects",
                "--labels", dir.resolve("he-objects.tif").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("8 objects (objects: foreground auto: darkest"), out.toString(StandardCharsets.UTF_8));
        assertEquals(8, objects(IJ.openImage(dir.resolve("he-objects.tif").toString())), "the eight nuclei");
        RunCommand.Result m = commands.run(io.github.unseg.ij.commands.KMeansCommand.class, true, "image", he, "nClusters", 2,
                "objects", true, "roiMode", "none", "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(8, objects((ImagePlus) m.getOutput("labelImage")), "the menu: the eight nuclei");
        m = commands.run(io.github.unseg.ij.commands.KMeansCommand.class, true, "image", he, "nClusters", 2,
                "objects", true, "foreground", "not-darkest", "roiMode", "none", "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(objects((ImagePlus) m.getOutput("labelImage")) < 8, "not-darkest: the tissue is the object");
        ImagePlus grey = new ImagePlus("grey.tif", he.getProcessor().convertToByte(false));
        m = commands.run(io.github.unseg.ij.commands.KMeansCommand.class, true, "image", grey, "nClusters", 2,
                "objects", true, "foreground", "auto", "roiMode", "none", "addToManager", false);   // the menu remembers not-darkest
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(objects((ImagePlus) m.getOutput("labelImage")) < 8, "grey: auto is not-darkest");
        assertEquals(ImagePlus.COLOR_RGB, he.getType(), "the input is left as it was");
    }

    /** Three large cells, each two overlapping disks of radius 30 with centres 20 px apart (a 28 px wide neck). */
    private static ImagePlus peanuts() {
        int w = 300, h = 100;
        int[][] c = {{40, 50}, {60, 50}, {130, 50}, {150, 50}, {220, 50}, {240, 50}};
        java.util.Random rnd = new java.util.Random(7);
        byte[] b = new byte[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            boolean in = false;
            for (int[] q : c) in |= Math.hypot(x - q[0], y - q[1]) <= 30;
            b[y * w + x] = (byte) Math.round((in ? 180 : 30) + 5 * rnd.nextGaussian());
        }
        return new ImagePlus("peanuts.tif", new ij.process.ByteProcessor(w, h, b));
    }

    private static int objects(ImagePlus labels) { return Arrays.stream(LabelArrays.of(labels, "objects")).max().orElse(0); }

    @Test
    void seedDistanceFollowsTheObjectsSizeFromEveryFrontEnd(@TempDir Path dir) throws Exception {
        ImagePlus imp = peanuts();
        Path in = dir.resolve("peanuts.tif");
        assertTrue(IJ.saveAsTiff(imp, in.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String[][] runs = {{}, {"--auto-seed-distance=false"}};
        for (int i = 0; i < runs.length; i++) {
            List<String> a = new java.util.ArrayList<>(List.of("segment", "--method", "kmeans", "--n-clusters", "2", in.toString(), "--objects",
                    "--labels", dir.resolve("p" + i + ".tif").toString(), "--quiet"));
            a.addAll(List.of(runs[i]));
            assertEquals(0, Main.run(a.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        }
        assertEquals(3, objects(IJ.openImage(dir.resolve("p0.tif").toString())), "one object per cell");
        // the distance used is printed: 3/4 of the cells' radius (about 30 px)
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("scaled to the objects: ([0-9.]+)").matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(used.find(), out.toString(StandardCharsets.UTF_8));
        assertEquals(22.5, Double.parseDouble(used.group(1)), 1.0);
        assertEquals(6, objects(IJ.openImage(dir.resolve("p1.tif").toString())), "a fixed 7 px cuts each cell at its neck");

        for (String opt : new String[]{"", " autoseeddistance=false"}) {
            String r = new Interpreter().run(String.join("\n",
                    "setBatchMode(true);",
                    "return call('io.github.unseg.ij.UnSegMacro.segment', getArgument(), 'method=kmeans nclusters=2 objects" + opt + "');"),
                    in.toString());
            assertFalse(r.startsWith("error"), r);
            ImagePlus res = WindowManager.getImage(r);
            assertEquals(opt.isEmpty() ? 3 : 6, objects(res), "macro" + opt);
            res.close(); // the next run's result has the same title
        }
        for (boolean auto : new boolean[]{false, true}) { // true last: the menu remembers its fields for the next test
            RunCommand.Result m = commands.run(io.github.unseg.ij.commands.KMeansCommand.class, true, "image", imp, "nClusters", 2,
                    "objects", true, "autoSeedDistance", auto, "roiMode", "none", "addToManager", false);
            assertFalse(m.isCanceled(), m.getCancelReason());
            assertEquals(auto ? 3 : 6, objects((ImagePlus) m.getOutput("labelImage")), "menu, autoSeedDistance " + auto);
        }
        // typed without objects: refused, not ignored
        assertEquals(2, Main.run(new String[]{"segment", in.toString(), "--auto-seed-distance=false", "--labels", dir.resolve("x.tif").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--auto-seed-distance applies to object labels"), err.toString(StandardCharsets.UTF_8));
    }
}

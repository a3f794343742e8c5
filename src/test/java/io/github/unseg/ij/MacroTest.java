package io.github.unseg.ij;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import io.github.unseg.core.Progress;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.eval.Evaluation;
import io.github.unseg.segment.KMeansSegmenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ImageJ macros, run by ImageJ's own interpreter (headless), calling UnSeg. */
class MacroTest {

    @AfterEach
    void closeImages() {
        Interpreter.batchMode = false;
        int[] ids = WindowManager.getIDList();
        if (ids != null) for (int id : ids) { ImagePlus imp = WindowManager.getImage(id); if (imp != null) imp.close(); }
    }

    static String run(String macro, String arg) {
        return new Interpreter().run(macro, arg); // ImageJ's interpreter; returns the macro's return value
    }

    @Test
    void macroGetsHandComputedFiguresBack() {
        // The 2x4 case of EvaluationTest: mean IoU (4/6 + 1/2) / 2, PRI 16/28.
        String macro = String.join("\n",
                "setBatchMode(true);",
                "newImage('truth', '16-bit black', 4, 2, 1);",
                "t = newArray(1,1,2,2, 1,1,2,2);",
                "for (i = 0; i < 8; i++) setPixel(i % 4, floor(i / 4), t[i]);",
                "newImage('pred', '16-bit black', 4, 2, 1);",
                "p = newArray(1,1,1,2, 1,1,1,2);",
                "for (i = 0; i < 8; i++) setPixel(i % 4, floor(i / 4), p[i]);",
                "r = call('io.github.unseg.ij.UnSegMacro.evaluate', 'pred', 'truth', '');",
                "if (startsWith(r, 'error')) return r;",
                "miou = parseFloat(call('io.github.unseg.ij.UnSegMacro.get', 'meanIoU'));",
                "pri = getResult('PRI', nResults - 1);",
                "return d2s(miou, 9) + ' ' + d2s(pri, 9);");
        String[] got = run(macro, "").split(" ");
        assertEquals((4 / 6.0 + 0.5) / 2, Double.parseDouble(got[0]), 1e-9);
        assertEquals(16 / 28.0, Double.parseDouble(got[1]), 1e-6);
    }

    @Test
    void macroEvaluatesClusterLabelsAsObjects() {
        String macro = String.join("\n",
                "setBatchMode(true);",
                "newImage('fgtruth', '16-bit black', 10, 1, 1);",
                "t = newArray(0,1,1,0,2,2,0,0,3,0);",
                "for (i = 0; i < 10; i++) setPixel(i, 0, t[i]);",
                "newImage('fgpred', '16-bit black', 10, 1, 1);",
                "p = newArray(1,2,2,1,3,3,1,1,2,1);",
                "for (i = 0; i < 10; i++) setPixel(i, 0, p[i]);",
                "r = call('io.github.unseg.ij.UnSegMacro.evaluate', 'fgpred', 'fgtruth', 'predforeground=not-darkest ignoretruthlabel=0');",
                "if (startsWith(r, 'error')) return r;",
                "f1 = call('io.github.unseg.ij.UnSegMacro.get', 'f1@0.50');",
                "close('fgpred'); close('fgtruth');",   // other tests look images up by title
                "return f1;");
        assertEquals(1.0, Double.parseDouble(run(macro, "")), 1e-9);
    }

    @Test
    void macroSeesErrorsAsText() {
        String macro = String.join("\n",
                "setBatchMode(true);",
                "newImage('a', '8-bit black', 4, 4, 1);",
                "newImage('b', '8-bit black', 5, 4, 1);",
                "return call('io.github.unseg.ij.UnSegMacro.evaluate', 'a', 'b', '');");
        String r = run(macro, "");
        assertTrue(r.startsWith("error:") && r.contains("differ in size") && r.contains("width 4 vs 5"), r);
        assertTrue(run("return call('io.github.unseg.ij.UnSegMacro.get', 'noSuchFigure');", "").startsWith("error:"));
    }

    @Test
    void shippedExampleMacroSegmentsAndEvaluatesTheSample() throws Exception {
        File root = new File(".").getAbsoluteFile();
        String macro = Files.readString(new File(root, "scripts/evaluate_sample.ijm").toPath());
        String[] got = run(macro, root.getPath()).split(" ");
        double fg = Double.parseDouble(got[0]), f1 = Double.parseDouble(got[1]);
        // The same job in Java gives the same figures.
        ImagePlus img = ij.IJ.openImage(new File(root, "samples/dsb2018_nuclei.tif").getPath());
        KMeansSegmenter k = new KMeansSegmenter();
        k.nClusters = 2;
        int[] lab = k.fit(ImagePlusViews.wrap(img), Progress.NONE).predict(ImagePlusViews.wrap(img), Progress.NONE);
        ImagePlus mask = ij.IJ.openImage(new File(root, "samples/dsb2018_nuclei_mask.tif").getPath());
        EvalOptions o = new EvalOptions();
        o.splitComponents = true;
        o.ignorePredLabel = 1;
        o.ignoreTruthLabel = 0;
        Evaluation e = Evaluation.evaluate(lab, List.of(LabelArrays.of(mask, "truth")), LabelArrays.dims(mask), o);
        assertEquals(e.get("foregroundIoU"), fg, 1e-9);
        assertEquals(e.get("f1@0.50"), f1, 1e-9);
        assertTrue(fg > 0.65, "K-means finds the nuclei: foreground IoU " + fg);
    }

    /**
     * Scribbles drawn into a label image (value = class): class j becomes label j. (The ROI
     * Manager route shares Scribbles.fromRois with the CLI's ROI sets; a headless JVM cannot
     * create ImageJ's ROI Manager window, even in batch mode.)
     */
    @Test
    void cnnScribblesFromALabelImage() throws Exception {
        File f = rgbFile();
        String macro = String.join("\n", OPEN_ARGUMENT,
                "selectImage(id);",
                "newImage('hints', '8-bit black', 64, 48, 1);",
                "setColor(1); drawLine(2, 2, 20, 2);",       // background: class 1
                "setColor(2); drawLine(14, 16, 24, 16);",    // disk: class 2
                "setColor(3); drawLine(42, 33, 54, 33);",    // rectangle: class 3
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=cnn nchannels=32 continuityweight=10 maxiterations=150 scribbles=hints');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(r);",
                "return '' + getPixel(5, 5) + ' ' + getPixel(19, 17) + ' ' + getPixel(48, 36);");
        assertEquals("1 2 3", run(macro, f.getPath()));
    }

    /** Feature stacks and shading correction through call(); a bad filter name comes back naming the option. */
    @Test
    void featureStackThroughCall() throws Exception {
        File f = rgbFile();
        String macro = segmentThen("method=gmm nclusters=3 filters=gaussian,hessian,variance sigmas=1,2 background=subtract backgroundsigma=30",
                "return '' + getPixel(5, 5) + ' ' + getPixel(19, 17) + ' ' + getPixel(48, 36);");
        String[] got = run(macro, f.getPath()).split(" ");
        assertEquals(3, java.util.Set.of(got).size(), "background, disk and rectangle apart: " + String.join(" ", got));
        String opened = run(macro.replace("variance sigmas=1,2 background=subtract", "variance,line sigmas=1,2 background=opening"), f.getPath());
        assertEquals(3, java.util.Set.of(opened.split(" ")).size(), "with the line filter and the opening background: " + opened);
        String bad = run(String.join("\n", OPEN_ARGUMENT,
                "return call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=kmeans filters=gaussian,frangi');"), f.getPath());
        assertTrue(bad.startsWith("error:") && bad.contains("filters gaussian,frangi") && bad.contains("unknown filter 'frangi'"), bad);
    }

    /** Objects of a named cluster through call(): the middle of three regions alone; a cluster the model lacks, refused. */
    @Test
    void foregroundClustersThroughCall() throws Exception {
        File f = rgbFile();
        String macro = segmentThen("method=kmeans nclusters=3 objects foregroundclusters=2 seeddistance=0 fillholes=false minobjectsize=1",
                "return '' + getPixel(5, 5) + ' ' + getPixel(19, 17) + ' ' + getPixel(48, 36);");
        String got = run(macro, f.getPath());
        assertEquals(1, java.util.Arrays.stream(got.split(" ")).filter(v -> Double.parseDouble(v) > 0).count(),
                "one region (the middle cluster) is an object: " + got);
        String bad = run(macro.replace("foregroundclusters=2", "foregroundclusters=4"), f.getPath());
        assertTrue(bad.startsWith("error:") && bad.contains("foregroundclusters=4: the labels have 3 clusters"), bad);
    }

    /** Objects of the cluster under the image's point selection through call(); the selection stays; none, refused. */
    @Test
    void foregroundAtSelectionThroughCall() throws Exception {
        File f = rgbFile();
        String macro = String.join("\n", OPEN_ARGUMENT,
                "selectImage(id); makePoint(19, 17);",
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=kmeans nclusters=3 objects foregroundat=selection seeddistance=0 fillholes=false minobjectsize=1');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(id); kept = '' + selectionType();",
                "selectImage(r);",
                "return kept + ' ' + getPixel(5, 5) + ' ' + getPixel(19, 17) + ' ' + getPixel(48, 36);");
        String[] got = run(macro, f.getPath()).split(" ");
        assertEquals("10", got[0], "the input keeps its point selection: " + String.join(" ", got));
        assertTrue(Double.parseDouble(got[1]) == 0 && Double.parseDouble(got[2]) > 0 && Double.parseDouble(got[3]) == 0,
                "the clicked region alone is an object: " + String.join(" ", got));
        String bad = run(macro.replace("makePoint(19, 17);", ""), rgbFile().getPath());   // another title: the first stays open
        assertTrue(bad.startsWith("error:") && bad.contains("foregroundat=selection: ") && bad.contains("has no selection"), bad);
        String typo = run(macro.replace("foregroundat=selection", "foregroundat=centre"), rgbFile().getPath());
        assertTrue(typo.startsWith("error:") && typo.contains("foregroundat takes selection"), typo);
    }

    /** Measurements through call(): a CSV row per object of the returned label image. */
    @Test
    void measurementsThroughCall() throws Exception {
        File f = rgbFile(), csv = new File(f.getParentFile(), f.getName().replace(".tif", "_m.csv"));
        csv.deleteOnExit();
        String macro = String.join("\n", OPEN_ARGUMENT,
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=kmeans nclusters=3 objects measurements=[" + csv.getPath() + "]');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(r);",
                "getStatistics(area, mean, min, max);",
                "return '' + max;");
        String got = run(macro, f.getPath());
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv.toPath());
        assertEquals(io.github.unseg.label.Measurements.HEADER + ",mean_c1,mean_c2,mean_c3", lines.get(0), "RGB: each colour's mean too");
        assertEquals((int) Double.parseDouble(got), lines.size() - 1, "a row per object: " + got);
    }

    /** useChannels through call(): the second channel's box alone is the bright cluster. */
    @Test
    void useChannelsThroughCall() throws Exception {
        File f = File.createTempFile("unseg-two", ".tif");
        f.deleteOnExit();
        ij.IJ.saveAsTiff(io.github.unseg.Synthetic.twoColours(80, 60), f.getPath());
        String macro = segmentThen("method=kmeans nclusters=2 usechannels=2",
                "return '' + getPixel(5, 5) + ' ' + getPixel(24, 21) + ' ' + getPixel(60, 42);");
        assertEquals("1 1 2", run(macro, f.getPath()));
        String bad = run(macro.replace("usechannels=2", "usechannels=5"), f.getPath());
        assertTrue(bad.startsWith("error:") && bad.contains("usechannels=5: the image has 2 channels"), bad);
    }

    /** mask through call(): the surround outside the mask is label 0, the band 1, the ground 2. */
    @Test
    void maskThroughCall() throws Exception {
        File f = tempTiff(io.github.unseg.Synthetic.fundus()), m = tempTiff(io.github.unseg.Synthetic.fundusMask());
        String macro = segmentThen("method=kmeans nclusters=2 mask=[" + m.getPath() + "]",
                "return '' + getPixel(1, 1) + ' ' + getPixel(40, 30) + ' ' + getPixel(40, 15);");
        assertEquals("0 1 2", run(macro, f.getPath()));
        // a folder of masks: the image's own, matched by its file's name
        File dir = java.nio.file.Files.createTempDirectory("unseg-masks").toFile(), g = tempTiff(io.github.unseg.Synthetic.fundus());
        dir.deleteOnExit();
        File own = new File(dir, g.getName().replace(".tif", "_mask.tif"));
        own.deleteOnExit();
        ij.IJ.saveAsTiff(io.github.unseg.Synthetic.fundusMask(), own.getPath());
        assertEquals("0 1 2", run(macro.replace(m.getPath(), dir.getPath()), g.getPath()));
        String none = run(macro.replace(m.getPath(), dir.getPath()), f.getPath());
        assertTrue(none.startsWith("error:") && none.contains("mask=" + dir + ": no mask there for " + f.getName()), none);
        // mask=selection: the image's area selection (an oval on the field of view), left as it was
        String sel = String.join("\n", OPEN_ARGUMENT, "selectImage(id);", "makeOval(14, 4, 53, 53);",
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=kmeans nclusters=2 mask=selection');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(r);", "v = '' + getPixel(1, 1) + ' ' + getPixel(40, 30) + ' ' + getPixel(40, 15);",
                "selectImage(id);", "return v + ' ' + selectionType();");
        assertEquals("0 1 2 1", run(sel, tempTiff(io.github.unseg.Synthetic.fundus()).getPath()));
        String noSel = run(sel.replace("makeOval(14, 4, 53, 53);", ""), tempTiff(io.github.unseg.Synthetic.fundus()).getPath());
        assertTrue(noSel.startsWith("error:") && noSel.contains("mask=selection: ") && noSel.contains("has no selection: draw the area"), noSel);
        String line = run(sel.replace("makeOval(14, 4, 53, 53);", "makeLine(0, 0, 40, 30);"), tempTiff(io.github.unseg.Synthetic.fundus()).getPath());
        assertTrue(line.startsWith("error:") && line.contains("Straight Line selection, holds no area"), line);
    }

    /** intensity=log through call(): six objects, the dim disks among them; linear gives the three bright ones. */
    @Test
    void logIntensityThroughCall() throws Exception {
        File[] f = {tempTiff(io.github.unseg.Synthetic.dimAndBright()), tempTiff(io.github.unseg.Synthetic.dimAndBright()),
                tempTiff(io.github.unseg.Synthetic.dimAndBright()), tempTiff(io.github.unseg.Synthetic.dimAndBright())};
        String macro = segmentThen("method=kmeans nclusters=2 objects intensity=log",
                "getStatistics(area, mean, min, max);",
                "return '' + max;");
        assertEquals("6", run(macro, f[0].getPath()));
        // linear: the cut that keeps the bright disks' outlines leaves the dim ones in the
        // background; dimobjects (on by default) finds them there, 0 turns it off
        assertEquals("3", run(macro.replace(" intensity=log", " dimobjects=0"), f[1].getPath()));
        assertEquals("6", run(macro.replace(" intensity=log", ""), f[3].getPath()));
        String bad = run(macro.replace("intensity=log", "intensity=logs"), f[2].getPath());
        assertTrue(bad.startsWith("error:") && bad.contains("intensity logs: use one of linear, log"), bad);
    }

    /** maxObjectSize through call(): with foreground=darkest the one object is the background (about 2,200 px); 2000 drops it. */
    @Test
    void maxObjectSizeThroughCall() throws Exception {
        assertEquals("0", maxLabel("method=kmeans nclusters=3 objects foreground=darkest seeddistance=0 maxobjectsize=2000", rgbFile()));
        assertEquals("1", maxLabel("method=kmeans nclusters=3 objects foreground=darkest seeddistance=0", rgbFile()));
    }

    /** minOutlineContrast through call(): the blobs that command 1 cuts out of an empty field's noise go at 2. */
    @Test
    void minOutlineContrastThroughCall() throws Exception {
        // two files: each result's title is its input's (selectImage takes the first window of a title)
        File f = tempTiff(io.github.unseg.Synthetic.emptyField(200, 200, 3)), g = tempTiff(io.github.unseg.Synthetic.emptyField(200, 200, 3));
        String command1 = "method=kmeans nclusters=3 smoothing=1 background=subtract objects refineedges=4";
        assertTrue(Integer.parseInt(maxLabel(command1, f)) > 20);
        assertEquals("0", maxLabel(command1 + " minoutlinecontrast=2", g));
    }

    /** Zero bands along two edges (a registration's shift) through call(): left out by default, kept with maskpadding=false. */
    @Test
    void paddingThroughCall() throws Exception {
        ij.process.ImageProcessor nuclei = io.github.unseg.Synthetic.nuclei(new int[120 * 90], 4).getProcessor();
        ij.process.ByteProcessor padded = new ij.process.ByteProcessor(140, 110);   // 0 where the shift uncovered nothing
        padded.insert(nuclei, 20, 20);
        assertEquals("9", maxLabel("method=kmeans nclusters=3 objects", tempTiff(new ImagePlus("padded", padded))));
        assertEquals("1", maxLabel("method=kmeans nclusters=3 objects maskpadding=false", tempTiff(new ImagePlus("kept", padded))));
    }

    /** Four hot pixels in a 16-bit image through call(): clipped by default (the nuclei found), kept with clipoutliers=false (none). */
    @Test
    void hotPixelsThroughCall() throws Exception {
        ij.process.ImageProcessor hot = io.github.unseg.Synthetic.nuclei(new int[120 * 90], 4).getProcessor().convertToShort(false);
        for (int i = 0; i < 4; i++) hot.set(7 + 31 * i, 83, 65535);
        assertEquals("9", maxLabel("method=kmeans nclusters=2 objects", tempTiff(new ImagePlus("hot", hot))));
        assertEquals("0", maxLabel("method=kmeans nclusters=2 objects clipoutliers=false", tempTiff(new ImagePlus("kept", hot))));
    }

    /** foreground auto through call(): the eight dark nuclei of a colour brightfield image; not-darkest: the tissue. */
    @Test
    void darkObjectsOfAColourImageThroughCall() throws Exception {
        assertEquals("8", maxLabel("method=kmeans nclusters=2 objects", tempTiff(io.github.unseg.Synthetic.stainedTissue())));
        assertEquals("1", maxLabel("method=kmeans nclusters=2 objects foreground=not-darkest", tempTiff(io.github.unseg.Synthetic.stainedTissue())));
    }

    /** The largest label (the object count) after segmenting f with these call() options. */
    private static String maxLabel(String options, File f) throws Exception {
        return run(segmentThen(options, "getStatistics(area, mean, min, max);", "return '' + max;"), f.getPath());
    }

    /**
     * Esc while call() segments: the CNN stops with the network reached, the labels are written and
     * returned, and the log says so (before, call() had no progress and Esc did not reach it).
     */
    @Test
    void escapeCancelsACallKeepingTheResult() throws Exception {
        File f = rgbFile();
        File labels = new File(f.getPath().replace(".tif", "-esc-labels.tif"));
        labels.deleteOnExit();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = System.out;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread esc = new Thread(() -> {   // the user keeps pressing Esc until the call returns
            while (!done.get()) {
                ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
                try { Thread.sleep(50); } catch (InterruptedException e) { return; }
            }
        });
        String r;
        try {
            System.setOut(new java.io.PrintStream(log, true));   // headless, ImageJ's log is standard output
            esc.start();
            r = UnSegMacro.segment(f.getPath(), "method=cnn maxiterations=100000 minlabels=1 labels=[" + labels + "]");
        } finally {
            done.set(true);
            esc.join();
            System.setOut(out);
            ij.IJ.resetEscape();
        }
        assertTrue(!r.startsWith("error") && labels.isFile(), r);
        assertTrue(log.toString().contains("UnSeg: cancelled (Esc): the labels reached so far are kept"), log.toString());
    }

    /** excludeEdges through call(): the background (darkest) touches the border, so with it there is no object. */
    @Test
    void excludeEdgesThroughCall() throws Exception {
        assertEquals("0", maxLabel("method=kmeans nclusters=3 objects foreground=darkest seeddistance=0 excludeedges", rgbFile()));
        assertEquals("1", maxLabel("method=kmeans nclusters=3 objects foreground=darkest seeddistance=0", rgbFile()));
    }

    /** preset=photo through call(): its model has three conv blocks and the texture-relative merging; CNN + K-means refuses it. */
    @Test
    void presetPhotoThroughCall() throws Exception {
        File f = rgbFile();
        File model = new File(f.getPath().replace(".tif", "-photo.json"));
        model.deleteOnExit();
        String r = run(segmentThen("method=cnn preset=photo maxiterations=3 savemodel=[" + model + "]", "return 'ok';"), f.getPath());
        assertEquals("ok", r);
        String json = java.nio.file.Files.readString(model.toPath());
        assertTrue(json.contains("\"nConv\": 3") && json.contains("\"mergeThreshold\": 0.03") && json.contains("\"mergeTexture\": 0.75")
                && json.contains("\"splitScale\": 1000") && json.contains("\"minRegionSize\": 300"), json);
        // no preset: auto, the photo settings for this colour image; preset=default is microscopy's older spelling
        File auto = new File(f.getPath().replace(".tif", "-auto.json"));
        auto.deleteOnExit();
        assertEquals("ok", run(segmentThen("method=cnn maxiterations=3 savemodel=[" + auto + "]", "return 'ok';"), f.getPath()));
        json = java.nio.file.Files.readString(auto.toPath());
        assertTrue(json.contains("\"nConv\": 3") && json.contains("\"preset\": \"photo (auto: a colour photo)\""), json);
        assertEquals("ok", run(segmentThen("method=cnn preset=default maxiterations=3 savemodel=[" + auto + "] overwrite", "return 'ok';"), f.getPath()));
        json = java.nio.file.Files.readString(auto.toPath());
        assertTrue(json.contains("\"nConv\": 2") && !json.contains("\"preset\""), json);
        r = run(segmentThen("method=cnn-kmeans nclusters=2 preset=photo", "return 'ok';"), f.getPath());
        assertTrue(r.startsWith("error") && r.contains("preset photo"), r);
        // object labels from the photo settings' numbered regions: refused, in the macro's spelling
        r = run(segmentThen("method=cnn preset=photo objects", "return 'ok';"), f.getPath());
        assertTrue(r.startsWith("error") && r.contains("objects makes objects of classes") && r.contains("splitscale=1000 (preset=photo sets it)"), r);
        // mergetexture= reaches the model
        File tex = new File(f.getPath().replace(".tif", "-texture.json"));
        tex.deleteOnExit();
        assertEquals("ok", run(segmentThen("method=cnn mergetexture=1.5 maxiterations=3 savemodel=[" + tex + "]", "return 'ok';"), f.getPath()));
        json = java.nio.file.Files.readString(tex.toPath());
        assertTrue(json.contains("\"mergeTexture\": 1.5"), json);
        // splitscale= reaches the model
        assertEquals("ok", run(segmentThen("method=cnn splitscale=300 maxiterations=3 savemodel=[" + tex + "] overwrite", "return 'ok';"), f.getPath()));
        json = java.nio.file.Files.readString(tex.toPath());
        assertTrue(json.contains("\"splitScale\": 300"), json);
        // a refusal names the options as a macro spells them
        r = run(segmentThen("method=cnn-kmeans nclusters=2 mergetexture=1", "return 'ok';"), f.getPath());
        assertTrue(r.startsWith("error") && r.contains("mergetexture 1.0 relaxes the mergethreshold test") && !r.contains("mergeThreshold"), r);
    }

    /** CNN + K-means through call(): exactly the asked number of labels. */
    @Test
    void cnnKMeansThroughCall() throws Exception {
        File f = rgbFile();
        String macro = segmentThen("method=cnn-kmeans nclusters=2 nchannels=32 continuityweight=10 maxiterations=150",
                "getStatistics(area, mean, min, max);",
                "return '' + max + ' ' + getPixel(5, 5) + ' ' + getPixel(19, 17) + ' ' + getPixel(48, 36);");
        String[] got = run(macro, f.getPath()).split(" ");
        assertEquals("2", got[0], String.join(" ", got));
        // Two clusters for three regions: the background is one, and differs from the disk.
        assertNotEquals(got[1], got[2], String.join(" ", got));
        // Its saved model takes the CNN's labelling options (tilesize=) and refuses fitting ones.
        File model = new File(f.getPath().replace(".tif", "-model.json"));
        model.deleteOnExit();
        String apply = String.join("\n", OPEN_ARGUMENT,
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=cnn-kmeans nclusters=2 nchannels=32 continuityweight=10 maxiterations=150 savemodel=[" + model + "]');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(r); a = '' + getPixel(5, 5) + getPixel(19, 17) + getPixel(48, 36);",
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, 'model=[" + model + "] tilesize=64');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(r); b = '' + getPixel(5, 5) + getPixel(19, 17) + getPixel(48, 36);",
                "return a + ' ' + b + ' ' + call('io.github.unseg.ij.UnSegMacro.segment', id, 'model=[" + model + "] smoothing=3');");
        String r = run(apply, f.getPath());
        String[] parts = r.split(" ", 3);
        assertEquals(parts[0], parts[1], r);
        assertTrue(parts[2].startsWith("error:") && parts[2].contains("smoothing= sets how a model is fitted"), r);
    }

    /**
     * True 3D through call(): a label stack as deep as the volume, with 3x3x3 kernels on request;
     * a kernel depth other than 1 or 3 comes back as an error naming the option.
     */
    @Test
    void cnn3dThroughCall() throws Exception {
        File f = File.createTempFile("unseg-volume", ".tif");
        f.deleteOnExit();
        ij.IJ.saveAsTiff(io.github.unseg.Synthetic.volume(40, 32, 8, new int[40 * 32 * 8], 3), f.getPath());
        String macro = segmentThen("method=cnn nchannels=8 maxiterations=2 3d zkernel=3",
                "n = nSlices;",
                "e = call('io.github.unseg.ij.UnSegMacro.segment', id, 'method=cnn nchannels=8 maxiterations=2 3d zkernel=2');",
                "return '' + n + ' ' + e;");
        String got = run(macro, f.getPath());
        assertTrue(got.startsWith("8 error") && got.contains("zkernel 2: use one of 1, 3"), got);
    }

    /** Opens the file given as the macro's argument, as image id (works without a display). */
    /**
     * A macro that opens its argument, segments it with these call() options (returning the error,
     * if any) and selects the label image; then runs these lines.
     */
    private static String segmentThen(String options, String... then) {
        return String.join("\n", OPEN_ARGUMENT,
                "r = call('io.github.unseg.ij.UnSegMacro.segment', id, '" + options + "');",
                "if (startsWith(r, 'error')) return r;",
                "selectImage(r);",
                String.join("\n", then));
    }

    private static final String OPEN_ARGUMENT = "setBatchMode(true);\nid = call('io.github.unseg.ij.UnSegMacro.open', getArgument());";

    /** The three-region colour test image as a temporary TIFF. */
    private static File rgbFile() throws java.io.IOException { return tempTiff(io.github.unseg.Synthetic.rgb(64, 48, 5)); }

    /** The image in a new temporary TIFF: a new file for each run, since images stay open across runs in one JVM. */
    private static File tempTiff(ij.ImagePlus imp) throws java.io.IOException {
        File f = File.createTempFile("unseg-", ".tif");
        f.deleteOnExit();
        ij.IJ.saveAsTiff(imp, f.getPath());
        return f;
    }

    /** A time budget and a region count through call(). */
    @Test
    void cnnTimeBudgetAndRegionsThroughCall() throws Exception {
        File f = rgbFile();
        String macro = segmentThen("method=cnn maxseconds=1 maxiterations=100000 minlabels=1 patience=0 nregions=3",
                "getStatistics(area, mean, min, max);",
                "return '' + max + ' ' + getPixel(5, 5) + ' ' + getPixel(19, 17) + ' ' + getPixel(48, 36);");
        String[] got = run(macro, f.getPath()).split(" ");
        assertEquals("3", got[0], String.join(" ", got));
    }
}

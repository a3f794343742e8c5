package io.github.unseg.ij;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import io.github.unseg.Synthetic;
import io.github.unseg.ij.commands.ApplyModelCommand;
import io.github.unseg.ij.commands.EvaluateCommand;
import io.github.unseg.ij.commands.GmmCommand;
import io.github.unseg.ij.commands.GmmKMeansCommand;
import io.github.unseg.ij.commands.KMeansCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as Fiji runs them: discovered from the plugin index, run by CommandService headless. */
class CommandsTest {
    static Context context;
    static io.github.unseg.ij.RunCommand commands;

    @BeforeAll
    static void start() {
        context = new Context();
        commands = new io.github.unseg.ij.RunCommand(context);
        clearPrefs();
    }

    /**
     * SciJava remembers parameter values between runs; start from the defaults, but only in the
     * test preferences folder set by the pom (never a developer's own Fiji preferences).
     */
    static void clearPrefs() {
        if (System.getProperty("java.util.prefs.userRoot", "").contains("test-prefs")) {
            context.service(org.scijava.prefs.PrefService.class).clearAll();
        }
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    @Test
    void contextDiscoversEveryUnSegCommandFromThePluginIndex() throws Exception {
        Set<String> found = new TreeSet<>();
        for (CommandInfo info : commands.getCommands()) {
            if (!info.getClassName().startsWith("io.github.unseg.")) continue;
            found.add(info.getClassName());
            String menu = info.getMenuPath().getMenuString().replace(" ", "");
            assertTrue(menu.startsWith("Plugins>Segmentation>UnSeg>"), menu);
        }
        assertEquals(new TreeSet<>(List.of(KMeansCommand.class.getName(), GmmCommand.class.getName(),
                GmmKMeansCommand.class.getName(), ApplyModelCommand.class.getName(), EvaluateCommand.class.getName(),
                io.github.unseg.ij.commands.CnnCommand.class.getName(), io.github.unseg.ij.commands.CnnKMeansCommand.class.getName())), found);
        // The index that a jar carries (written by scijava-common's annotation processor).
        String index = new String(getClass().getResourceAsStream("/META-INF/json/org.scijava.plugin.Plugin").readAllBytes());
        for (String c : found) assertTrue(index.contains(c), c + " in the plugin index");
    }

    @Test
    void kMeansCommandGivesLabelImageAndRoiZipWithoutTouchingTheInput(@TempDir Path dir) throws Exception {
        ImagePlus imp = Synthetic.gray8(80, 60, 1);
        byte[] before = ((byte[]) imp.getProcessor().getPixels()).clone();
        File zip = dir.resolve("rois.zip").toFile(), tif = dir.resolve("labels.tif").toFile();
        io.github.unseg.ij.RunCommand.Result m = commands.run(KMeansCommand.class, true,
                "image", imp, "nClusters", 3, "roiMode", "one per object", "minObjectSize", 20,
                "rois", zip, "labels", tif, "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus labels = (ImagePlus) m.getOutput("labelImage");
        assertEquals("synthetic8-labels", labels.getTitle());
        assertEquals(ImagePlus.GRAY16, labels.getType());
        int[] truth = Synthetic.regions(80, 60);
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(labels, 1), truth, 3, 3) >= 0.95);
        assertArrayEquals(before, (byte[]) imp.getProcessor().getPixels(), "input unchanged");
        assertNotNull(imp.getProcessor(), "input not closed");
        List<Roi> rois = RoiExport.readZip(zip);
        assertEquals(3, rois.size(), "background, disc and rectangle are one object each");
        ImagePlus reread = ij.IJ.openImage(tif.getPath());
        assertArrayEquals(Synthetic.plane(labels, 1), Synthetic.plane(reread, 1));
    }

    @Test
    void gmmCommandGivesProbabilityMapsAndSavesAModelThatApplyReuses(@TempDir Path dir) throws Exception {
        ImagePlus imp = Synthetic.rgb(64, 48, 2);
        File model = dir.resolve("gmm.json").toFile();
        io.github.unseg.ij.RunCommand.Result m = commands.run(GmmCommand.class, true, "image", imp, "nClusters", 3,
                "probabilityMaps", true, "saveModel", model, "roiMode", "none");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus probs = (ImagePlus) m.getOutput("probabilityImage");
        assertEquals(3, probs.getNChannels());
        assertEquals(ImagePlus.GRAY32, probs.getType());
        assertTrue(model.isFile());
        ImagePlus labels = (ImagePlus) m.getOutput("labelImage");

        io.github.unseg.ij.RunCommand.Result a = commands.run(ApplyModelCommand.class, true, "image", imp, "model", model, "roiMode", "none",
                "threads", 1); // the menu's thread count holds for a saved model
        assertFalse(a.isCanceled(), a.getCancelReason());
        assertArrayEquals(Synthetic.plane(labels, 1), Synthetic.plane((ImagePlus) a.getOutput("labelImage"), 1));
    }

    /**
     * The dialog's preview (Fiji's dialog calls preview() as a field changes): the current plane's
     * labels, those of a run, drawn over the image; unticked, refused or cancelled, the image's own
     * overlay is back; the pixels are never touched.
     */
    @Test
    void previewDrawsTheLabelsOverTheImageAndTakesThemAwayAgain() throws Exception {
        ImagePlus imp = Synthetic.gray8(80, 60, 1);
        ij.gui.Overlay own = new ij.gui.Overlay(new Roi(1, 1, 5, 5));
        imp.setOverlay(own);
        byte[] before = ((byte[]) imp.getProcessor().getPixels()).clone();
        KMeansCommand cmd = module(KMeansCommand.class, "image", imp, "nClusters", 3);
        previewWith(cmd, "preview", true);
        ij.gui.Overlay shown = imp.getOverlay();
        assertEquals(2, shown.size(), "the image's own ROI and the preview");
        ij.gui.ImageRoi drawn = (ij.gui.ImageRoi) shown.get(1);
        assertEquals(Preview.NAME, drawn.getName());
        int[] rgb = (int[]) drawn.getProcessor().getPixels();
        io.github.unseg.ij.RunCommand.Result m = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3, "roiMode", "none",
                "addToManager", false);
        int[] labels = Synthetic.plane((ImagePlus) m.getOutput("labelImage"), 1);
        assertEquals(3, samePartition(labels, rgb), "the run's labels, one colour each");
        cmd.setInput("preview", false);   // unticked
        cmd.preview();
        assertSame(own, imp.getOverlay());
        // a setting the run refuses: said on the status bar, nothing drawn
        previewWith(cmd, "preview", true, "objects", true, "foregroundClusters", "9");
        assertSame(own, imp.getOverlay());
        previewWith(cmd, "objects", false, "foregroundClusters", "");
        assertEquals(2, imp.getOverlay().size());
        cmd.cancel();                     // the dialog cancelled
        assertSame(own, imp.getOverlay());
        assertNull(cmd.currentPreview());
        assertArrayEquals(before, (byte[]) imp.getProcessor().getPixels(), "input unchanged");
    }

    /**
     * The CNN's preview trains once: a change of a region setting alone (nRegions) labels again
     * with the network already trained, and gives exactly a run's labels with that setting.
     */
    @Test
    void cnnPreviewRelabelsWithoutTrainingWhenOnlyRegionSettingsChange(@TempDir Path dir) throws Exception {
        try {
            ImagePlus imp = Synthetic.gray8(80, 60, 1);
            io.github.unseg.ij.commands.CnnCommand cmd = module(io.github.unseg.ij.commands.CnnCommand.class, "image", imp);
            assertEquals(1, previewWith(cmd, "preview", true));
            assertEquals(1, previewWith(cmd, "nRegions", 2), "a region setting alone: no new training");
            int[] rgb = (int[]) ((ij.gui.ImageRoi) imp.getOverlay().get(0)).getProcessor().getPixels();
            io.github.unseg.ij.RunCommand.Result m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", imp,
                    "nRegions", 2, "roiMode", "none", "addToManager", false);
            assertFalse(m.isCanceled(), m.getCancelReason());
            int[] labels = Synthetic.plane((ImagePlus) m.getOutput("labelImage"), 1);
            assertEquals(2, samePartition(labels, rgb), "the run's labels with nRegions 2, one colour each");
            assertEquals(2, previewWith(cmd, "useChannels", "1"), "what the network sees: trained again");
            assertEquals(3, previewWith(cmd, "nChannels", 16), "a training setting: trained again");
            // OK: the run labels with the network the preview trained, the labels and model of a training
            File l1 = dir.resolve("l1.tif").toFile(), m1 = dir.resolve("m1.json").toFile(), m2 = dir.resolve("m2.json").toFile();
            okReusesThePreview(cmd, "labels", l1, "saveModel", m1);
            assertNull(imp.getOverlay(), "the preview gone");
            io.github.unseg.ij.RunCommand.Result fresh = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", imp,
                    "nRegions", 2, "nChannels", 16, "useChannels", "1", "roiMode", "none", "addToManager", false, "saveModel", m2);
            assertFalse(fresh.isCanceled(), fresh.getCancelReason());
            assertArrayEquals(Synthetic.plane((ImagePlus) fresh.getOutput("labelImage"), 1), Synthetic.plane(ij.IJ.openImage(l1.getPath()), 1));
            assertEquals(Files.readString(m2.toPath()), Files.readString(m1.toPath()), "the saved model, as a training saves it");
            previewWith(cmd, "preview", true);   // a preview again, then Cancel: the overlay goes
            assertEquals(1, imp.getOverlay().size());
            cmd.cancel();
            assertNull(imp.getOverlay());
        } finally {
            clearPrefs();
        }
    }

    /**
     * On a stack the CNN's preview trains as the run does, once, on the middle slice, and labels
     * the slice shown with that network: another slice is labelled without training, each as the
     * run labels it; OK labels the stack with it, as a fresh run does.
     */
    @Test
    void cnnPreviewOfAStackTrainsAsTheRunDoes(@TempDir Path dir) throws Exception {
        try {
            ij.ImageStack st = new ij.ImageStack(80, 60);
            for (int k = 1; k <= 3; k++) st.addSlice(Synthetic.gray8(80, 60, k).getProcessor());
            ImagePlus imp = new ImagePlus("three", st);
            io.github.unseg.ij.commands.CnnCommand cmd = module(io.github.unseg.ij.commands.CnnCommand.class, "image", imp);
            assertEquals(1, previewWith(cmd, "preview", true));
            io.github.unseg.ij.RunCommand.Result run = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", imp,
                    "roiMode", "none", "addToManager", false);
            assertFalse(run.isCanceled(), run.getCancelReason());
            ImagePlus runLabels = (ImagePlus) run.getOutput("labelImage");
            ij.gui.ImageRoi drawn = (ij.gui.ImageRoi) imp.getOverlay().get(0);
            assertEquals(1, drawn.getPosition());
            samePartition(Synthetic.plane(runLabels, 1), (int[]) drawn.getProcessor().getPixels());
            imp.setSlice(3);                  // the slider moved (a window would call preview() through its listener)
            assertEquals(1, previewWith(cmd), "another slice: labelled with the network trained, not trained again");
            drawn = (ij.gui.ImageRoi) imp.getOverlay().get(0);
            assertEquals(3, drawn.getPosition());
            samePartition(Synthetic.plane(runLabels, 3), (int[]) drawn.getProcessor().getPixels());
            File m1 = dir.resolve("m1.json").toFile(), m2 = dir.resolve("m2.json").toFile();
            okReusesThePreview(cmd, "saveModel", m1);
            io.github.unseg.ij.RunCommand.Result fresh = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", imp,
                    "roiMode", "none", "addToManager", false, "saveModel", m2);
            ImagePlus reused = (ImagePlus) cmd.getOutput("labelImage");
            for (int k = 1; k <= 3; k++) assertArrayEquals(Synthetic.plane((ImagePlus) fresh.getOutput("labelImage"), k), Synthetic.plane(reused, k));
            assertEquals(Files.readString(m2.toPath()), Files.readString(m1.toPath()), "the saved model, as a training saves it");
        } finally {
            clearPrefs();
        }
    }

    /**
     * On a stack K-means' preview fits the whole stack once, as the run does (a plane's own fit
     * would cluster a plane of background into three), and labels each slice shown with it.
     */
    @Test
    void kMeansPreviewOfAStackFitsTheStack() throws Exception {
        ij.ImageStack st = new ij.ImageStack(80, 60);
        for (int k = 1; k <= 3; k++) st.addSlice(Synthetic.gray8(80, 60, k).getProcessor());
        ImagePlus imp = new ImagePlus("three", st);
        imp.setSlice(2);
        KMeansCommand cmd = module(KMeansCommand.class, "image", imp, "nClusters", 3);
        assertEquals(1, previewWith(cmd, "preview", true));
        imp.setSlice(3);
        assertEquals(1, previewWith(cmd), "another slice: labelled with the stack's fit");
        ij.gui.ImageRoi drawn = (ij.gui.ImageRoi) imp.getOverlay().get(0);
        assertEquals(3, drawn.getPosition());
        io.github.unseg.ij.RunCommand.Result run = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3,
                "roiMode", "none", "addToManager", false);
        assertEquals(3, samePartition(Synthetic.plane((ImagePlus) run.getOutput("labelImage"), 3), (int[]) drawn.getProcessor().getPixels()));
        // Fiji's dialog keeps the slider still: previewSlice moves the window and previews that slice
        assertEquals(1, previewWith(cmd, "previewSlice", 1), "another slice: the same fit");
        assertEquals(1, imp.getZ());
        assertEquals(1, ((ij.gui.ImageRoi) imp.getOverlay().get(0)).getPosition());
        previewWith(cmd, "previewSlice", 9);   // past the stack: said on the status bar, nothing drawn, the window stays
        assertNull(imp.getOverlay());
        assertEquals(1, imp.getZ());
        cmd.setInput("previewSlice", 0);
        imp.setSlice(3);
        assertEquals(2, previewWith(cmd, "nClusters", 2), "a fitting setting: fitted again");
        assertEquals(3, previewWith(cmd, "perSlice", true), "each slice fitted alone, as the run would");
        cmd.cancel();
        assertNull(imp.getOverlay());
    }

    /**
     * CNN + K-means' preview trains once too: its mixture is fitted on the pixels, so a region
     * setting alone (minRegionSize) relabels the same fit, as a run with it labels; OK reuses it.
     */
    @Test
    void cnnKMeansPreviewRelabelsWithoutTrainingWhenOnlyRegionSettingsChange(@TempDir Path dir) throws Exception {
        try {
            ImagePlus imp = Synthetic.gray8(80, 60, 2);
            io.github.unseg.ij.commands.CnnKMeansCommand cmd = module(io.github.unseg.ij.commands.CnnKMeansCommand.class, "image", imp, "nClusters", 3);
            assertEquals(1, previewWith(cmd, "preview", true));
            assertEquals(1, previewWith(cmd, "minRegionSize", 400), "a region setting alone: no new training");
            int[] rgb = (int[]) ((ij.gui.ImageRoi) imp.getOverlay().get(0)).getProcessor().getPixels();
            io.github.unseg.ij.RunCommand.Result m = commands.run(io.github.unseg.ij.commands.CnnKMeansCommand.class, true, "image", imp,
                    "nClusters", 3, "minRegionSize", 400, "roiMode", "none", "addToManager", false);
            assertFalse(m.isCanceled(), m.getCancelReason());
            int[] labels = Synthetic.plane((ImagePlus) m.getOutput("labelImage"), 1);
            int[] noMerge = Synthetic.plane((ImagePlus) commands.run(io.github.unseg.ij.commands.CnnKMeansCommand.class, true, "image", imp,
                    "nClusters", 3, "minRegionSize", 0, "roiMode", "none", "addToManager", false).getOutput("labelImage"), 1);
            assertFalse(java.util.Arrays.equals(labels, noMerge), "the setting changes the labels here");
            samePartition(labels, rgb);
            assertEquals(2, previewWith(cmd, "nClusters", 2), "the mixture's components: fitted again");
            File m1 = dir.resolve("m1.json").toFile(), m2 = dir.resolve("m2.json").toFile();
            okReusesThePreview(cmd, "minRegionSize", 30, "saveModel", m1);
            io.github.unseg.ij.RunCommand.Result fresh = commands.run(io.github.unseg.ij.commands.CnnKMeansCommand.class, true, "image", imp,
                    "nClusters", 2, "minRegionSize", 30, "roiMode", "none", "addToManager", false, "saveModel", m2);
            assertFalse(fresh.isCanceled(), fresh.getCancelReason());
            assertArrayEquals(Synthetic.plane((ImagePlus) fresh.getOutput("labelImage"), 1), Synthetic.plane((ImagePlus) cmd.getOutput("labelImage"), 1));
            assertEquals(Files.readString(m2.toPath()), Files.readString(m1.toPath()), "the saved model, as a training saves it");
        } finally {
            clearPrefs();
        }
    }

    /** The command's module as its dialog holds it, with these inputs (name, value, ...). */
    private <T extends io.github.unseg.ij.commands.AbstractSegmentCommand> T module(Class<T> c, Object... inputs) {
        T cmd = c.cast(context.service(org.scijava.module.ModuleService.class).createModule(context.service(CommandService.class).getCommand(c)));
        for (int i = 0; i < inputs.length; i += 2) cmd.setInput((String) inputs[i], inputs[i + 1]);
        return cmd;
    }

    /** As a dialog field changes: the inputs set, the preview drawn; returns how many trainings the preview made. */
    private static int previewWith(io.github.unseg.ij.commands.AbstractSegmentCommand cmd, Object... inputs) throws Exception {
        for (int i = 0; i < inputs.length; i += 2) cmd.setInput((String) inputs[i], inputs[i + 1]);
        cmd.preview();
        cmd.currentPreview().await();
        return cmd.currentPreview().trainings();
    }

    /** OK with these inputs (no ROIs): the run labels with the network its preview trained. */
    private static void okReusesThePreview(io.github.unseg.ij.commands.AbstractSegmentCommand cmd, Object... inputs) {
        for (int i = 0; i < inputs.length; i += 2) cmd.setInput((String) inputs[i], inputs[i + 1]);
        cmd.setInput("roiMode", "none");
        cmd.setInput("addToManager", false);
        cmd.run();
        assertFalse(cmd.isCanceled(), cmd.getCancelReason());
        assertTrue(cmd.reusedPreview(), "no second training");
    }

    /** Asserts one colour per label and one label per colour (the same partition); returns the number of labels. */
    private static int samePartition(int[] labels, int[] rgb) {
        java.util.Map<Integer, Integer> colourOf = new java.util.HashMap<>(), labelOf = new java.util.HashMap<>();
        for (int p = 0; p < labels.length; p++) {
            Integer c = colourOf.putIfAbsent(labels[p], rgb[p]), l = labelOf.putIfAbsent(rgb[p], labels[p]);
            if (c != null) assertEquals((int) c, rgb[p], "pixel " + p);
            if (l != null) assertEquals((int) l, labels[p], "pixel " + p);
        }
        return colourOf.size();
    }

    /** The menu's foreground cluster numbers: the middle of three regions alone becomes objects. */
    @Test
    void foregroundClustersFromTheMenu() throws Exception {
        try {
            middleClusterAsObjects();
        } finally {
            clearPrefs();   // the menu would remember objects and the rest for the other tests' runs
        }
    }

    private void middleClusterAsObjects() throws Exception {
        ImagePlus imp = Synthetic.gray8(64, 48, 1);
        io.github.unseg.ij.RunCommand.Result c = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3, "roiMode", "none");
        io.github.unseg.ij.RunCommand.Result o = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3, "roiMode", "none",
                "objects", true, "foregroundClusters", "2", "fillHoles", false, "seedDistance", 0.0, "minObjectSize", 1);
        assertFalse(o.isCanceled(), o.getCancelReason());
        int[] clusters = Synthetic.plane((ImagePlus) c.getOutput("labelImage"), 1), objects = Synthetic.plane((ImagePlus) o.getOutput("labelImage"), 1);
        for (int p = 0; p < clusters.length; p++) assertEquals(clusters[p] == 2, objects[p] > 0, "pixel " + p);
        io.github.unseg.ij.RunCommand.Result bad = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3, "roiMode", "none",
                "objects", true, "foregroundClusters", "4");
        assertTrue(bad.isCanceled() && bad.getCancelReason().contains("4: the labels have 3 clusters"), String.valueOf(bad.getCancelReason()));
    }

    /** The menu's foregroundAt selection: the cluster under the clicked point becomes the objects. */
    @Test
    void foregroundAtSelectionFromTheMenu() throws Exception {
        try {
            ImagePlus imp = Synthetic.gray8(64, 48, 1);
            imp.setRoi(new ij.gui.PointRoi(52, 36));   // in the box (cluster 3)
            io.github.unseg.ij.RunCommand.Result c = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3, "roiMode", "none");
            io.github.unseg.ij.RunCommand.Result o = commands.run(KMeansCommand.class, true, "image", imp, "nClusters", 3, "roiMode", "none",
                    "objects", true, "foregroundAt", "selection", "fillHoles", false, "seedDistance", 0.0, "minObjectSize", 1);
            assertFalse(o.isCanceled(), o.getCancelReason());
            int[] clusters = Synthetic.plane((ImagePlus) c.getOutput("labelImage"), 1), objects = Synthetic.plane((ImagePlus) o.getOutput("labelImage"), 1);
            int under = clusters[36 * 64 + 52];
            for (int p = 0; p < clusters.length; p++) assertEquals(clusters[p] == under, objects[p] > 0, "pixel " + p);
            assertTrue(imp.getRoi() instanceof ij.gui.PointRoi, "the input keeps its selection");
        } finally {
            clearPrefs();
        }
    }

    /** The menu's 'Save measurements': a CSV row per cluster without objects, with the pixel counts of the label image. */
    @Test
    void measurementsFromTheMenu(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.io.File csv = dir.resolve("m.csv").toFile();
        io.github.unseg.ij.RunCommand.Result r;
        try {
            r = commands.run(KMeansCommand.class, true, "image", Synthetic.gray8(64, 48, 1), "nClusters", 3, "roiMode", "none", "measurements", csv);
        } finally {
            clearPrefs();   // a remembered file name would make the next runs write (or refuse) it
        }
        assertFalse(r.isCanceled(), r.getCancelReason());
        int[] labels = Synthetic.plane((ImagePlus) r.getOutput("labelImage"), 1), count = new int[4];
        for (int v : labels) count[v]++;
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv.toPath());
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (int c = 1; c <= 3; c++) assertTrue(lines.get(c).startsWith(c + ",1," + count[c] + ","), lines.get(c));
    }

    /** The menu's 'Segment on channels': channel 1's disk is the bright cluster, not channel 2's box. */
    @Test
    void useChannelsFromTheMenu() throws Exception {
        io.github.unseg.ij.RunCommand.Result r;
        try {
            r = commands.run(KMeansCommand.class, true, "image", io.github.unseg.Synthetic.twoColours(80, 60), "nClusters", 2,
                    "roiMode", "none", "useChannels", "1");
        } finally {
            clearPrefs();
        }
        assertFalse(r.isCanceled(), r.getCancelReason());
        int[] got = Synthetic.plane((ImagePlus) r.getOutput("labelImage"), 1);
        assertEquals(2, got[21 * 80 + 24], "the disk");
        assertEquals(1, got[42 * 80 + 60], "the box: channel 2, not seen");
    }

    /** The menu's 'Intensity scale' log: the dim disks are objects too (on linear intensities only the bright ones). */
    @Test
    void logIntensityFromTheMenu() throws Exception {
        io.github.unseg.ij.RunCommand.Result r;
        try {
            r = commands.run(KMeansCommand.class, true, "image", Synthetic.dimAndBright(), "nClusters", 2, "roiMode", "none",
                    "objects", true, "intensity", "log");
        } finally {
            clearPrefs();
        }
        assertFalse(r.isCanceled(), r.getCancelReason());
        ImagePlus got = (ImagePlus) r.getOutput("labelImage");
        assertEquals(6, (int) got.getProcessor().getStatistics().max);
        int[] dim = Synthetic.disk(0);
        assertTrue(got.getProcessor().get(dim[0], dim[1]) > 0);
    }

    /** The menu's 'Maximum object size': the background object (larger than it) goes. */
    @Test
    void maxObjectSizeFromTheMenu() throws Exception {
        io.github.unseg.ij.RunCommand.Result r;
        try {
            r = commands.run(KMeansCommand.class, true, "image", Synthetic.gray8(64, 48, 1), "nClusters", 3, "roiMode", "none",
                    "objects", true, "foreground", "darkest", "seedDistance", 0.0, "maxObjectSize", 1000);
        } finally {
            clearPrefs();
        }
        assertFalse(r.isCanceled(), r.getCancelReason());
        assertEquals(0, java.util.Arrays.stream(Synthetic.plane((ImagePlus) r.getOutput("labelImage"), 1)).max().getAsInt());
    }

    /** The menu's 'Minimum outline contrast': the blobs that command 1 cuts out of an empty field's noise go at 2. */
    @Test
    void minOutlineContrastFromTheMenu() throws Exception {
        Object[] command1 = {"nClusters", 3, "smoothing", 1.0, "background", "subtract", "refineEdges", 4.0};
        int without = kMeansObjects(Synthetic.emptyField(200, 200, 3), concat(command1, "minOutlineContrast", 0.0));
        assertTrue(without > 20, "objects without the limit: " + without);
        assertEquals(0, kMeansObjects(Synthetic.emptyField(200, 200, 3), concat(command1, "minOutlineContrast", 2.0)));
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The menu's 'Mask padding': zero bands along two edges left out (ticked, the default), or a cluster of their own. */
    @Test
    void maskPaddingFromTheMenu() throws Exception {
        ij.process.ByteProcessor padded = new ij.process.ByteProcessor(140, 110);
        padded.insert(Synthetic.nuclei(new int[120 * 90], 4).getProcessor(), 20, 20);
        assertEquals(9, kMeansObjects(new ImagePlus("padded", padded), "nClusters", 3, "maskPadding", true));
        assertEquals(1, kMeansObjects(new ImagePlus("padded", padded), "nClusters", 3, "maskPadding", false));
    }

    /** The menu's 'Clip outlier pixels': four hot pixels of a 16-bit image clipped (ticked, the default), or a cluster of their own. */
    @Test
    void clipOutliersFromTheMenu() throws Exception {
        ij.process.ImageProcessor hot = Synthetic.nuclei(new int[120 * 90], 4).getProcessor().convertToShort(false);
        for (int i = 0; i < 4; i++) hot.set(7 + 31 * i, 83, 65535);
        assertEquals(9, kMeansObjects(new ImagePlus("hot", hot), "nClusters", 2, "clipOutliers", true));
        assertEquals(0, kMeansObjects(new ImagePlus("hot", hot), "nClusters", 2, "clipOutliers", false));
    }

    /** The objects the menu's K-means command finds in image with these settings (objects on, no ROIs). */
    private int kMeansObjects(ImagePlus image, Object... settings) throws Exception {
        Object[] inputs = new Object[settings.length + 6];
        System.arraycopy(new Object[]{"image", image, "roiMode", "none", "objects", true}, 0, inputs, 0, 6);
        System.arraycopy(settings, 0, inputs, 6, settings.length);
        io.github.unseg.ij.RunCommand.Result r;
        try {
            r = commands.run(KMeansCommand.class, true, inputs);
        } finally {
            clearPrefs();
        }
        assertFalse(r.isCanceled(), r.getCancelReason());
        return java.util.Arrays.stream(Synthetic.plane((ImagePlus) r.getOutput("labelImage"), 1)).max().getAsInt();
    }

    /** The menu's 'Exclude objects on edges': the background object (it touches the border) goes. */
    @Test
    void excludeEdgesFromTheMenu() throws Exception {
        io.github.unseg.ij.RunCommand.Result r;
        try {
            r = commands.run(KMeansCommand.class, true, "image", Synthetic.gray8(64, 48, 1), "nClusters", 3, "roiMode", "none",
                    "objects", true, "foreground", "darkest", "seedDistance", 0.0, "excludeEdges", true);
        } finally {
            clearPrefs();
        }
        assertFalse(r.isCanceled(), r.getCancelReason());
        assertEquals(0, java.util.Arrays.stream(Synthetic.plane((ImagePlus) r.getOutput("labelImage"), 1)).max().getAsInt());
    }

    @Test
    void ensembleCommandRuns() throws Exception {
        io.github.unseg.ij.RunCommand.Result m = commands.run(GmmKMeansCommand.class, true, "image", Synthetic.gray32(64, 48, 3),
                "nClusters", 3, "roiMode", "one per cluster", "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(Synthetic.minBestIoU(Synthetic.plane((ImagePlus) m.getOutput("labelImage"), 1), Synthetic.regions(64, 48), 3, 3) >= 0.95);
    }

    @Test
    void badInputCancelsWithAMessageAndNoOutput() throws Exception {
        ByteProcessor flat = new ByteProcessor(10, 10);
        flat.set(3);
        io.github.unseg.ij.RunCommand.Result m = commands.run(KMeansCommand.class, true, "image", new ImagePlus("flat", flat), "nClusters", 3);
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("uniform"), m.getCancelReason());
        assertNull(m.getOutput("labelImage"));
    }

    @Test
    void existingFilesAreNotOverwritten(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("rois.zip");
        Files.writeString(zip, "precious");
        io.github.unseg.ij.RunCommand.Result m = commands.run(KMeansCommand.class, true, "image", Synthetic.gray8(40, 30, 1),
                "rois", zip.toFile());
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("exists"), m.getCancelReason());
        assertEquals("precious", Files.readString(zip));
    }

    @Test
    void stackCommandLabelsEverySlice() throws Exception {
        ImagePlus stack = Synthetic.stack(48, 40, 3, 5);
        io.github.unseg.ij.RunCommand.Result m = commands.run(KMeansCommand.class, true, "image", stack, "nClusters", 3,
                "roiMode", "one per cluster", "addToManager", false);
        ImagePlus labels = (ImagePlus) m.getOutput("labelImage");
        assertEquals(3, labels.getNSlices());
        int[] truth = Synthetic.regions(48, 40);
        for (int z = 1; z <= 3; z++) assertTrue(Synthetic.minBestIoU(Synthetic.plane(labels, z), truth, 3, 3) >= 0.95);
    }

    @Test
    void evaluateCommandTakesClusterLabelsAsObjects() throws Exception {
        ij.process.ShortProcessor p = new ij.process.ShortProcessor(10, 1, new short[]{1, 2, 2, 1, 3, 3, 1, 1, 2, 1}, null);
        ij.process.ShortProcessor t = new ij.process.ShortProcessor(10, 1, new short[]{0, 1, 1, 0, 2, 2, 0, 0, 3, 0}, null);
        io.github.unseg.ij.RunCommand.Result m = commands.run(EvaluateCommand.class, true, "prediction", new ImagePlus("p", p),
                "truth", new ImagePlus("t", t), "predForeground", "not-darkest", "ignoreTruthLabel", "0");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ij.measure.ResultsTable rt = ij.measure.ResultsTable.getResultsTable();
        assertEquals(1.0, rt.getValue("f1@0.50", rt.size() - 1), 1e-9, "three clusters' objects, three true objects");
        // the next run without it takes the default (none) again: cluster 2 is then one segment over two objects
        io.github.unseg.ij.RunCommand.Result next = commands.run(EvaluateCommand.class, true, "prediction", new ImagePlus("p", p),
                "truth", new ImagePlus("t", t), "predForeground", "none", "ignorePredLabel", "1", "ignoreTruthLabel", "0");
        assertFalse(next.isCanceled(), next.getCancelReason());
        assertEquals(0.8, rt.getValue("f1@0.50", ij.measure.ResultsTable.getResultsTable().size() - 1), 1e-9);
    }

    @Test
    void evaluateCommandFillsTheResultsTable() throws Exception {
        ij.process.ShortProcessor p = new ij.process.ShortProcessor(4, 2, new short[]{1, 1, 1, 2, 1, 1, 1, 2}, null);
        ij.process.ShortProcessor t = new ij.process.ShortProcessor(4, 2, new short[]{1, 1, 2, 2, 1, 1, 2, 2}, null);
        ij.measure.ResultsTable rt = ij.measure.ResultsTable.getResultsTable();
        int before = rt == null ? 0 : rt.size();
        io.github.unseg.ij.RunCommand.Result m = commands.run(EvaluateCommand.class, true, "prediction", new ImagePlus("p", p),
                "truth", new ImagePlus("t", t), "splitComponents", false, "ignorePredLabel", "none",
                "ignoreTruthLabel", "none", "thresholds", "0.5");
        assertFalse(m.isCanceled(), m.getCancelReason());
        rt = ij.measure.ResultsTable.getResultsTable();
        assertEquals(before + 1, rt.size());
        assertEquals((4 / 6.0 + 0.5) / 2, rt.getValue("meanIoU", rt.size() - 1), 1e-9);
        assertEquals("p", rt.getStringValue("Prediction", rt.size() - 1));
        io.github.unseg.ij.RunCommand.Result bad = commands.run(EvaluateCommand.class, true, "prediction", new ImagePlus("p", p),
                "truth", new ImagePlus("small", new ij.process.ShortProcessor(3, 3)));
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("differ in size"), bad.getCancelReason());
        // A failed value is not remembered: the next run without it takes the default again.
        io.github.unseg.ij.RunCommand.Result typo = commands.run(EvaluateCommand.class, true, "prediction", new ImagePlus("p", p),
                "truth", new ImagePlus("t", t), "thresholds", "abc");
        assertTrue(typo.isCanceled());
        io.github.unseg.ij.RunCommand.Result next = commands.run(EvaluateCommand.class, true, "prediction", new ImagePlus("p", p),
                "truth", new ImagePlus("t", t));
        assertFalse(next.isCanceled(), next.getCancelReason());
    }

    @Test
    void outputFilesAreNotRememberedForTheNextRun(@TempDir Path dir) throws Exception {
        // SciJava remembers parameter values; a remembered output file would make the next run
        // fail with "file exists".
        File tif = dir.resolve("first.tif").toFile();
        io.github.unseg.ij.RunCommand.Result first = commands.run(KMeansCommand.class, true, "image", Synthetic.gray8(40, 30, 1), "labels", tif);
        assertFalse(first.isCanceled(), first.getCancelReason());
        assertTrue(tif.isFile());
        io.github.unseg.ij.RunCommand.Result second = commands.run(KMeansCommand.class, true, "image", Synthetic.gray8(40, 30, 2));
        assertFalse(second.isCanceled(), second.getCancelReason());
        assertNull(second.getInput("labels"));
    }

    @Test
    void cnnCommandSegmentsTheColouredRegions() throws Exception {
        int[] lab = cnnLabels(io.github.unseg.ij.commands.CnnCommand.class, "minLabels", 3);
        assertTrue(Synthetic.minBestIoU(lab, Synthetic.regions(64, 48), 3, 3) >= 0.9);
    }

    /** CNN + K-means from its command: exactly nClusters labels, the three regions. */
    @Test
    void cnnKMeansCommandGivesExactlyNClusters() throws Exception {
        int[] lab = cnnLabels(io.github.unseg.ij.commands.CnnKMeansCommand.class, "nClusters", 3);
        assertEquals(3, java.util.Arrays.stream(lab).max().getAsInt());
        assertEquals(3, io.github.unseg.label.Regions.count(lab, 64, 48, 1));
    }

    /** True 3D from the menu command: the three regions of the test volume, every slice labelled. */
    @Test
    void cnnCommandSegmentsAVolumeIn3D() throws Exception {
        int[] truth = new int[40 * 32 * 8];
        ImagePlus vol = Synthetic.volume(40, 32, 8, truth, 3);
        io.github.unseg.ij.RunCommand.Result m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", vol, "volumetric", true,
                "nChannels", 32, "continuityWeight", 10.0, "maxIterations", 150, "roiMode", "one per cluster",
                "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus labels = (ImagePlus) m.getOutput("labelImage");
        assertEquals(8, labels.getStackSize());
        int[] lab = new int[truth.length];
        for (int z = 0; z < 8; z++) System.arraycopy(Synthetic.plane(labels, z + 1), 0, lab, z * 40 * 32, 40 * 32);
        double worst = Synthetic.minBestIoU(lab, truth, 3, java.util.Arrays.stream(lab).max().getAsInt());
        assertTrue(worst >= 0.9, "worst region IoU " + worst);
    }

    /** Runs a CNN command on the colour test image with small, quick settings plus one more; its labels. */
    private int[] cnnLabels(Class<? extends org.scijava.command.Command> command, String key, Object value) throws Exception {
        io.github.unseg.ij.RunCommand.Result m = commands.run(command, true, "image", Synthetic.rgb(64, 48, 5), key, value,
                "nChannels", 32, "continuityWeight", 10.0, "maxIterations", 150, "roiMode", "one per cluster",
                "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        return Synthetic.plane((ImagePlus) m.getOutput("labelImage"), 1);
    }

    /**
     * The menu's preset photo: three conv blocks and its region merging in the saved model; a
     * field the user changed in the dialog (here the merge threshold) still wins over the preset.
     */
    @Test
    void cnnCommandPresetPhoto(@TempDir Path dir) throws Exception {
        File model = dir.resolve("photo.json").toFile(), changed = dir.resolve("changed.json").toFile();
        io.github.unseg.ij.RunCommand.Result m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "preset", "photo", "maxIterations", 3, "saveModel", model, "roiMode", "none", "volumetric", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        String json = java.nio.file.Files.readString(model.toPath());
        assertTrue(json.contains("\"nConv\": 3") && json.contains("\"mergeThreshold\": 0.03") && json.contains("\"mergeTexture\": 0.75")
                && json.contains("\"splitScale\": 1000") && json.contains("\"minRegionSize\": 300"), json);
        m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "preset", "photo", "mergeThreshold", 0.01, "maxIterations", 3, "saveModel", changed, "roiMode", "none", "volumetric", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        json = java.nio.file.Files.readString(changed.toPath());
        assertTrue(json.contains("\"nConv\": 3") && json.contains("\"mergeThreshold\": 0.01"), json);
        // the menu's default preset, auto (named: the dialog remembers the last choice), takes the photo settings for this colour image
        File auto = dir.resolve("auto.json").toFile();
        assertEquals("auto", io.github.unseg.ij.SegmentOptions.defaultOf(io.github.unseg.methods.Methods.get("cnn"), io.github.unseg.options.Options.PRESET));
        m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "preset", "auto", "maxIterations", 3, "saveModel", auto, "roiMode", "none", "volumetric", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        json = java.nio.file.Files.readString(auto.toPath());
        assertTrue(json.contains("\"nConv\": 3") && json.contains("\"splitScale\": 1000") && json.contains("\"preset\": \"photo (auto: a colour photo)\""), json);
        // the menu's texture field reaches the model
        File tex = dir.resolve("texture.json").toFile();
        m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "mergeTexture", 1.5, "maxIterations", 3, "saveModel", tex, "roiMode", "none", "volumetric", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(java.nio.file.Files.readString(tex.toPath()).contains("\"mergeTexture\": 1.5"));
        // the split along image edges from the menu's field
        m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "splitScale", 300.0, "maxIterations", 3, "saveModel", tex, "overwrite", true, "roiMode", "none", "volumetric", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(java.nio.file.Files.readString(tex.toPath()).contains("\"splitScale\": 300"));
        // the preset is offered where it is taken: CNN + K-means refuses photo, so its dialog leaves it out
        assertEquals(java.util.List.of("auto", "microscopy", "photo", "tip2020"), m.module.getInfo().getInput("preset").getChoices());
        io.github.unseg.ij.RunCommand.Result ckm = commands.run(io.github.unseg.ij.commands.CnnKMeansCommand.class, true,
                "image", Synthetic.rgb(64, 48, 5), "nClusters", 3, "maxIterations", 2, "roiMode", "none", "volumetric", false);
        assertFalse(ckm.isCanceled(), ckm.getCancelReason());
        assertEquals(java.util.List.of("auto", "microscopy", "tip2020"), ckm.module.getInfo().getInput("preset").getChoices());
        // a refusal names the fields by their labels
        m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "mergeTexture", 1.5, "mergeThreshold", 0.0, "maxIterations", 3, "roiMode", "none", "volumetric", false);
        assertTrue(m.isCanceled() && m.getCancelReason().contains("relaxes the 'Merge regions with boundary contrast below' (mergeThreshold) test"),
                m.getCancelReason());
    }

    /** The menu command's time budget and region count. */
    @Test
    void cnnCommandTimeBudgetAndRegions() throws Exception {
        io.github.unseg.ij.RunCommand.Result m = commands.run(io.github.unseg.ij.commands.CnnCommand.class, true, "image", Synthetic.rgb(64, 48, 5),
                "maxSeconds", 1.0, "maxIterations", 100000, "minLabels", 1, "patience", 0, "nRegions", 3, "volumetric", false, "roiMode", "one per cluster",
                "addToManager", false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        int[] lab = Synthetic.plane((ImagePlus) m.getOutput("labelImage"), 1);
        assertEquals(3, java.util.Arrays.stream(lab).max().getAsInt());
        assertEquals(3, io.github.unseg.label.Regions.count(lab, 64, 48, 1));
    }
}

package io.github.unseg.ij.launcher;

import ij.IJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.plugin.frame.RoiManager;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.image.BufferedImage;
import java.io.File;

/**
 * Drives the plain-ImageJ launcher with a real display (run under Xvfb by LauncherGuiTest):
 * starts ImageJ with UnSeg's menus, opens an image, runs Plugins > Segmentation > UnSeg > K-means
 * through ImageJ's own command path with macro options, and saves a screenshot.
 * Prints "RESULT key=value" lines for the test.
 */
public final class LauncherGuiDriver {
    public static void main(String[] a) throws Exception {
        File shot = new File(a[0]), sample = new File(a[1]);
        UnSegLauncher.main(new String[0]);
        for (int i = 0; i < 200 && IJ.getInstance() == null; i++) Thread.sleep(50);
        Object cmd = Menus.getCommands().get("K-means");
        System.out.println("RESULT menu=" + cmd);
        ImagePlus imp = IJ.openImage(sample.getPath());
        imp.show();
        IJ.wait(500);
        File csv = File.createTempFile("unseg-gui", ".csv");
        csv.delete();
        csv.deleteOnExit();
        IJ.run(imp, "K-means", "image=" + imp.getTitle() + " nclusters=2 roimode=[one per object] minobjectsize=20 addtomanager"
                + " measurements=[" + csv.getPath() + "]");
        ImagePlus labels = null;
        for (int i = 0; i < 200 && labels == null; i++) {
            labels = WindowManager.getImage("dsb2018_nuclei-labels");
            Thread.sleep(50);
        }
        System.out.println("RESULT labels=" + (labels == null ? "none" : labels.getTitle() + " " + labels.getBitDepth()
                + "-bit max " + (int) labels.getStatistics().max));
        java.awt.Window table = null;
        for (int i = 0; i < 100 && table == null; i++) {
            table = WindowManager.getWindow("dsb2018_nuclei-measurements");
            Thread.sleep(50);
        }
        ij.measure.ResultsTable rt = table instanceof ij.text.TextWindow ? ((ij.text.TextWindow) table).getResultsTable() : null;
        System.out.println("RESULT measurements=" + (rt == null ? "none" : rt.size() + " rows, " + rt.getColumnHeading(0) + " "
                + rt.getColumnHeading(2)));
        RoiManager rm = RoiManager.getInstance();
        System.out.println("RESULT rois=" + (rm == null ? 0 : rm.getCount()));
        if (labels != null) {
            // Side by side, so the screenshot shows the input and the label image.
            imp.getWindow().setLocation(0, 120);
            labels.getWindow().setLocation(imp.getWindow().getWidth() + 10, 120);
            labels.getWindow().toFront();
        }
        IJ.wait(1500);
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        BufferedImage img = new Robot().createScreenCapture(screen);
        shot.getParentFile().mkdirs();
        ImageIO.write(img, "png", shot);
        System.out.println("RESULT screenshot=" + shot);
        // The CNN's dialog, the longest, laid out as the menu shows it: does it fit a screen?
        org.scijava.command.CommandInfo cnn = CommandPlugin.context().service(org.scijava.command.CommandService.class)
                .getCommand(io.github.unseg.ij.commands.CnnCommand.class.getName());
        java.util.List<org.scijava.module.ModuleItem<?>> items = new java.util.ArrayList<>();
        ij.gui.GenericDialog gd = CommandPlugin.dialog(cnn, CommandPlugin.context().service(org.scijava.module.ModuleService.class)
                .createModule(cnn), items);
        gd.pack();
        System.out.println("RESULT cnn dialog=" + items.size() + " fields " + gd.getWidth() + "x" + gd.getHeight());
        gd.dispose();
        // The K-means dialog's preview: ticking it draws the labels over the image; closing takes them away.
        org.scijava.command.CommandInfo km = CommandPlugin.context().service(org.scijava.command.CommandService.class)
                .getCommand(io.github.unseg.ij.commands.KMeansCommand.class.getName());
        org.scijava.module.Module kmm = CommandPlugin.context().service(org.scijava.module.ModuleService.class).createModule(km);
        java.util.List<org.scijava.module.ModuleItem<?>> kmItems = new java.util.ArrayList<>();
        WindowManager.setCurrentWindow(imp.getWindow());   // the dialog offers the current image first
        IJ.wait(200);
        ij.gui.GenericDialog kgd = CommandPlugin.dialog(km, kmm, kmItems);
        kgd.addDialogListener(CommandPlugin.previewer(kmm, kmItems));
        java.awt.Checkbox tick = null;
        for (Object c : kgd.getCheckboxes()) if ("preview".equals(((java.awt.Checkbox) c).getLabel())) tick = (java.awt.Checkbox) c;
        if (tick != null) {
            tick.setState(true);
            kgd.itemStateChanged(new java.awt.event.ItemEvent(tick, java.awt.event.ItemEvent.ITEM_STATE_CHANGED, tick, java.awt.event.ItemEvent.SELECTED));
            io.github.unseg.ij.Preview shown = ((io.github.unseg.ij.commands.AbstractSegmentCommand) kmm).currentPreview();
            if (shown != null) shown.await();
        }
        io.github.unseg.ij.Preview pv = ((io.github.unseg.ij.commands.AbstractSegmentCommand) kmm).currentPreview();
        System.out.println("RESULT preview of=" + (tick == null ? "no checkbox" : pv == null ? "nothing" : pv.image().getTitle()));
        ij.gui.Overlay ov = imp.getOverlay();
        if (ov != null) IJ.saveAs(imp.flatten(), "png", new File(shot.getParentFile(), "launcher-preview.png").getPath());
        System.out.println("RESULT preview=" + (ov == null ? "none" : ov.size() + " " + ov.get(ov.size() - 1).getName()));
        ((org.scijava.command.Previewable) kmm).cancel();
        System.out.println("RESULT preview after cancel=" + (imp.getOverlay() == null ? "none" : imp.getOverlay().size()));
        kgd.dispose();
        // The dialog as a user gets it from the menu (no macro options): shown without blocking the
        // image windows; its OK runs the command.
        WindowManager.setCurrentWindow(imp.getWindow());
        IJ.wait(200);
        int before = WindowManager.getImageCount();
        IJ.doCommand("K-means");   // in a thread of its own, as a menu click
        ij.gui.GenericDialog shown = null;
        for (int i = 0; i < 200 && shown == null; i++) {
            for (java.awt.Window w : java.awt.Window.getWindows()) {
                if (w instanceof ij.gui.GenericDialog && w.isVisible() && "UnSeg K-means".equals(((ij.gui.GenericDialog) w).getTitle())) shown = (ij.gui.GenericDialog) w;
            }
            Thread.sleep(50);
        }
        String menuRun = "no dialog";
        if (shown != null) {
            menuRun = (shown.isModal() ? "modal" : "non-blocking");
            ij.gui.GenericDialog d = shown;
            java.awt.EventQueue.invokeAndWait(() -> d.actionPerformed(new java.awt.event.ActionEvent(d.getButtons()[0],
                    java.awt.event.ActionEvent.ACTION_PERFORMED, "OK")));
            for (int i = 0; i < 200 && WindowManager.getImageCount() == before; i++) Thread.sleep(50);
            ImagePlus out = WindowManager.getImageCount() > before ? WindowManager.getImage(WindowManager.getIDList()[before]) : null;
            menuRun += ", OK: " + (out == null ? "no image" : out.getTitle() + " max " + (int) out.getStatistics().max);
        }
        System.out.println("RESULT menu dialog=" + menuRun);
        // On a stack, moving the window's slider to another slice redraws the preview there.
        ij.process.ImageProcessor flipped = imp.getProcessor().duplicate();
        flipped.flipHorizontal();
        ij.ImageStack st = new ij.ImageStack(imp.getWidth(), imp.getHeight());
        st.addSlice(imp.getProcessor().duplicate());
        st.addSlice(flipped);
        ImagePlus two = new ImagePlus("two slices", st);
        two.show();
        IJ.wait(300);
        WindowManager.setCurrentWindow(two.getWindow());
        org.scijava.module.Module sm = CommandPlugin.context().service(org.scijava.module.ModuleService.class).createModule(km);
        java.util.List<org.scijava.module.ModuleItem<?>> sItems = new java.util.ArrayList<>();
        ij.gui.GenericDialog sgd = CommandPlugin.dialog(km, sm, sItems);
        sgd.addDialogListener(CommandPlugin.previewer(sm, sItems));
        java.awt.Checkbox sTick = null;
        for (Object c : sgd.getCheckboxes()) if ("preview".equals(((java.awt.Checkbox) c).getLabel())) sTick = (java.awt.Checkbox) c;
        io.github.unseg.ij.commands.AbstractSegmentCommand sc = (io.github.unseg.ij.commands.AbstractSegmentCommand) sm;
        String slices = "no checkbox";
        if (sTick != null) {
            sTick.setState(true);
            sgd.itemStateChanged(new java.awt.event.ItemEvent(sTick, java.awt.event.ItemEvent.ITEM_STATE_CHANGED, sTick, java.awt.event.ItemEvent.SELECTED));
            sc.currentPreview().await();
            ij.gui.ImageRoi first = (ij.gui.ImageRoi) two.getOverlay().get(0);
            int[] rgb1 = ((int[]) first.getProcessor().getPixels()).clone();
            java.awt.EventQueue.invokeAndWait(() -> two.setSlice(2));   // as the slider does
            java.awt.EventQueue.invokeAndWait(() -> { });               // the redraw asked for
            sc.currentPreview().await();
            ij.gui.ImageRoi second = (ij.gui.ImageRoi) two.getOverlay().get(0);
            int[] rgb2 = (int[]) second.getProcessor().getPixels();
            int w = two.getWidth();
            // slice 2 is slice 1 mirrored: so are its labels (the same colours, one for one)
            java.util.Map<Integer, Integer> map = new java.util.HashMap<>();
            int differ = 0;
            for (int p = 0; p < rgb2.length; p++) {
                int q = (p / w) * w + w - 1 - p % w;
                Integer c = map.putIfAbsent(rgb1[q], rgb2[p]);
                if (c != null && c != rgb2[p]) differ++;
            }
            // one fit for the stack, as the run makes (pixel features): slice 2's labels are slice 1's mirror exactly
            boolean mirrored = differ == 0;
            slices = first.getPosition() + " then " + second.getPosition() + " of " + two.getOverlay().size()
                    + (mirrored ? " mirrored" : " not mirrored");
            ((org.scijava.command.Previewable) sm).cancel();
            java.awt.EventQueue.invokeAndWait(() -> two.setSlice(1));
            java.awt.EventQueue.invokeAndWait(() -> { });
            slices += ", after cancel " + (two.getOverlay() == null ? "none" : two.getOverlay().size());
        }
        System.out.println("RESULT preview slices=" + slices);
        sgd.dispose();
        two.changes = false;
        two.close();
        // The recorder-style macros of scripts/recorded, through ImageJ's macro interpreter.
        File root = sample.getParentFile().getParentFile();
        File[] macros = new File(root, "scripts/recorded").listFiles((d, n) -> n.endsWith(".ijm"));
        java.util.Arrays.sort(macros);
        for (File m : macros) {
            String r = IJ.runMacroFile(m.getPath(), root.getPath());
            System.out.println("RESULT macro " + m.getName() + "=" + r);
        }
        System.exit(0);
    }
}

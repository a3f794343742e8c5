package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.io.RoiEncoder;
import ij.plugin.filter.ThresholdToSelection;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.label.ConnectedComponents;

import java.awt.GraphicsEnvironment;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Label image to ROIs: one composite ROI per label and plane, or one ROI per connected object
 * (8-connected, at least minSize pixels). ROIs carry their slice/frame position, so the ROI Manager
 * shows each on its own plane, and are written to a .zip that ImageJ opens as a ROI set.
 */
public final class RoiExport {
    public enum Mode {
        NONE("none"), CLUSTER("one per cluster"), OBJECT("one per object");

        private final String label;

        Mode(String label) { this.label = label; }

        /** The option table's choice. */
        public String label() { return label; }

        public static Mode parse(String s) {
            String k = s.trim().toLowerCase(Locale.ROOT);
            if (k.startsWith("none") || k.isEmpty()) return NONE;
            if (k.contains("cluster") || k.equals("label")) return CLUSTER;
            if (k.contains("object")) return OBJECT;
            throw new SegmentationException("Unknown ROI mode '" + s + "': use none, cluster or object.");
        }
    }

    private RoiExport() { }

    public static List<Roi> rois(ImagePlus labels, Mode mode, int minSize) {
        List<Roi> out = new ArrayList<>();
        if (mode == Mode.NONE) return out;
        int nz = labels.getNSlices(), nt = labels.getNFrames(), w = labels.getWidth(), h = labels.getHeight();
        boolean stack = nz * nt > 1, hyper = nz > 1 && nt > 1;
        ImageStack st = labels.getStack();
        for (int t = 1; t <= nt; t++) {
            for (int z = 1; z <= nz; z++) {
                int index = (t - 1) * nz + z;
                ImageProcessor ip = st.getProcessor(index);
                int[] lab = new int[w * h];
                int max = 0;
                for (int i = 0; i < lab.length; i++) { lab[i] = (int) ip.getf(i); max = Math.max(max, lab[i]); }
                String where = !stack ? "" : hyper ? String.format(Locale.ROOT, "-z%03d-t%03d", z, t)
                        : String.format(Locale.ROOT, "-%03d", index);
                List<Roi> plane = mode == Mode.CLUSTER ? clusterRois(lab, w, h, max, where)
                        : objectRois(lab, w, h, minSize, where);
                for (Roi r : plane) {
                    if (hyper) r.setPosition(1, z, t);
                    else if (stack) r.setPosition(index);
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static List<Roi> clusterRois(int[] lab, int w, int h, int max, String where) {
        List<Roi> out = new ArrayList<>();
        int[][] box = boxes(lab, w, h, max);
        for (int l = 1; l <= max; l++) {
            Roi r = maskRoi(lab, w, l, box);
            if (r == null) continue;
            r.setName(String.format(Locale.ROOT, "label-%d%s", l, where));
            out.add(r);
        }
        return out;
    }

    private static List<Roi> objectRois(int[] lab, int w, int h, int minSize, String where) {
        ConnectedComponents.Objects obj = ConnectedComponents.label(lab, w, h, true);
        int n = obj.count;
        int[][] box = boxes(obj.ids, w, h, n);
        List<Roi> out = new ArrayList<>();
        int kept = 0;
        for (int o = 1; o <= n; o++) {
            if (obj.size[o] < Math.max(1, minSize)) continue;
            Roi r = maskRoi(obj.ids, w, o, box);
            if (r == null) continue;
            r.setName(String.format(Locale.ROOT, "label-%d-object-%04d%s", obj.label[o], ++kept, where));
            out.add(r);
        }
        return out;
    }

    /** Bounding boxes {x0, y0, x1, y1} of ids 1..n in one pass (x0 = MAX_VALUE: id absent). */
    private static int[][] boxes(int[] ids, int w, int h, int n) {
        int[] x0 = new int[n + 1], y0 = new int[n + 1], x1 = new int[n + 1], y1 = new int[n + 1];
        java.util.Arrays.fill(x0, Integer.MAX_VALUE);
        java.util.Arrays.fill(y0, Integer.MAX_VALUE);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = ids[y * w + x];
                if (o <= 0 || o > n) continue;
                if (x < x0[o]) x0[o] = x;
                if (x > x1[o]) x1[o] = x;
                if (y < y0[o]) y0[o] = y;
                if (y > y1[o]) y1[o] = y;
            }
        }
        return new int[][]{x0, y0, x1, y1};
    }

    /**
     * The outline of the pixels whose id is {@code id}, traced in its bounding box only: a whole-image
     * mask per label made thousands of objects take minutes (2,500 nuclei on 6000 x 6000: 9 min).
     */
    private static Roi maskRoi(int[] ids, int w, int id, int[][] box) {
        if (box[0][id] == Integer.MAX_VALUE) return null;
        int x0 = box[0][id], y0 = box[1][id], bw = box[2][id] - x0 + 1, bh = box[3][id] - y0 + 1;
        ByteProcessor mask = new ByteProcessor(bw, bh);
        byte[] px = (byte[]) mask.getPixels();
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                if (ids[(y + y0) * w + x + x0] == id) px[y * bw + x] = (byte) 255;
            }
        }
        Roi r = toRoi(mask);
        if (r != null) r.setLocation(r.getXBase() + x0, r.getYBase() + y0);
        return r;
    }

    private static Roi toRoi(ByteProcessor mask) {
        mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
        return new ThresholdToSelection().convert(mask);
    }

    /** Writes a ROI set as ImageJ's ROI Manager does; refuses to replace a file unless overwrite. */
    public static void writeZip(List<Roi> rois, File file, boolean overwrite) throws IOException {
        try (io.github.unseg.core.SafeOutput o = new io.github.unseg.core.SafeOutput(overwrite)) {
            o.writeStream(file, out -> writeZip(rois, out));
        }
    }

    /** Writes a ROI set (a zip of .roi entries) to a stream; the stream is closed. */
    public static void writeZip(List<Roi> rois, OutputStream fo) throws IOException {
        try (ZipOutputStream zos = new ZipOutputStream(new BufferedOutputStream(fo))) {
            DataOutputStream out = new DataOutputStream(zos);
            RoiEncoder enc = new RoiEncoder(out);
            java.util.Set<String> used = new java.util.HashSet<>();
            for (Roi r : rois) {
                String name = r.getName() == null ? "roi" : r.getName();
                String entry = name;
                for (int i = 2; !used.add(entry); i++) entry = name + "-" + i;
                zos.putNextEntry(new ZipEntry(entry + ".roi"));
                enc.write(r);
                out.flush();
                zos.closeEntry();
            }
        }
    }

    /**
     * Whether f is a ROI set: a .zip whose first entry is a .roi (as ImageJ's Opener tests: it would
     * open it into the ROI Manager, not as an image; headless, with a stack trace), or an empty .zip
     * (the set UnSeg writes for an image without objects).
     */
    public static boolean isRoiSet(File f) {
        if (!f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".zip") || !f.isFile()) return false;
        try (InputStream in = new java.io.BufferedInputStream(new java.io.FileInputStream(f))) {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            if (java.util.Arrays.equals(magic, new byte[]{'P', 'K', 5, 6})) return true;   // an empty zip: its end record alone
            in.reset();
            ZipEntry e = new ZipInputStream(in).getNextEntry();
            return e != null && e.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".roi");
        } catch (IOException | IllegalArgumentException e) {
            return false;   // not a readable zip: the image reader says what it is
        }
    }

    /** Reads a ROI set .zip (as the ROI Manager's Open does). */
    public static List<Roi> readZip(File file) throws IOException {
        List<Roi> out = new ArrayList<>();
        try (InputStream in = new java.io.FileInputStream(file); ZipInputStream zis = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zis.getNextEntry()) != null) {
                if (!e.getName().endsWith(".roi")) continue;
                Roi r = RoiDecoder.openFromByteArray(zis.readAllBytes());
                if (r != null) out.add(r);
            }
        }
        return out;
    }

    /** Adds ROIs to the ROI Manager when a GUI is up; returns false in headless use. */
    public static boolean addToRoiManager(List<Roi> rois) {
        if (GraphicsEnvironment.isHeadless()) return false;
        RoiManager rm = RoiManager.getRoiManager();
        for (Roi r : rois) rm.addRoi(r);
        return true;
    }
}

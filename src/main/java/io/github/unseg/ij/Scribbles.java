package io.github.unseg.ij;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.plugin.frame.RoiManager;
import io.github.unseg.core.SegmentationException;

import java.awt.Point;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Scribbles for the CNN (class hints, TIP 2020) from what an ImageJ user has: ROIs (the ROI
 * Manager or a .zip ROI set) or a label image (0 = no hint, 1..k = class). With ROIs, a ROI's
 * group (ROI Manager > Properties > Group) is its class; ungrouped ROIs get classes of their own,
 * after the largest group, in list order. Lines and freehand lines hint the pixels they cross.
 */
public final class Scribbles {
    private Scribbles() { }

    /** Class per pixel of one w x h plane from ROIs (their slice positions ignored). */
    public static int[] fromRois(List<Roi> rois, int w, int h) {
        int[] cls = classes(rois);
        int[] out = new int[w * h];
        for (int i = 0; i < rois.size(); i++) paint(rois.get(i), cls[i], out, 0, w, h);
        return out;
    }

    /**
     * Class per pixel of the image from ROIs. On a stack where some ROI has a slice position, each
     * ROI hints its own slice (and frame), and a ROI without a position hints every slice: the
     * result covers the whole stack, so the 3D CNN gets hints where they were drawn and the 2D
     * CNN those on its training slice. Otherwise one plane, as {@link #fromRois(List, int, int)}.
     */
    public static int[] fromRois(List<Roi> rois, ImagePlus image) {
        int w = image.getWidth(), h = image.getHeight(), depth = image.getNSlices(), frames = image.getNFrames();
        boolean positioned = false;
        for (Roi r : rois) positioned |= depth * frames > 1 && position(r, image)[0] > 0;
        if (!positioned) return fromRois(rois, w, h);
        int[] cls = classes(rois);
        int[] out = new int[w * h * depth * frames];
        for (int i = 0; i < rois.size(); i++) {
            int[] zt = position(rois.get(i), image);
            for (int t = 1; t <= frames; t++) {
                if (zt[1] > 0 && zt[1] != t) continue;
                for (int z = 1; z <= depth; z++) {
                    if (zt[0] > 0 && zt[0] != z) continue;
                    paint(rois.get(i), cls[i], out, ((t - 1) * depth + z - 1) * w * h, w, h);
                }
            }
        }
        return out;
    }

    /** A ROI's class: its group, or for ungrouped ROIs new classes after the largest group, in order. */
    private static int[] classes(List<Roi> rois) {
        if (rois.isEmpty()) throw new SegmentationException("No ROIs to use as scribbles: draw lines over each kind of region and add them to the ROI Manager.");
        int maxGroup = 0;
        for (Roi r : rois) maxGroup = Math.max(maxGroup, r.getGroup());
        int[] cls = new int[rois.size()];
        int next = maxGroup + 1;
        for (int i = 0; i < cls.length; i++) cls[i] = rois.get(i).getGroup() > 0 ? rois.get(i).getGroup() : next++;
        return cls;
    }

    private static void paint(Roi r, int cls, int[] out, int offset, int w, int h) {
        for (Point p : r.getContainedPoints()) {
            if (p.x >= 0 && p.y >= 0 && p.x < w && p.y < h) out[offset + p.y * w + p.x] = cls;
        }
    }

    /** A ROI's slice and frame (1-based; 0 = none) in the image. */
    static int[] position(Roi r, ImagePlus image) {
        if (r.hasHyperStackPosition()) return new int[]{r.getZPosition(), r.getTPosition()};
        int pos = r.getPosition(); // a stack index, for ROIs of plain stacks
        if (pos <= 0 || pos > image.getStackSize()) return new int[]{0, 0};
        int[] czt = image.convertIndexToPosition(pos);
        return new int[]{czt[1], image.getNFrames() > 1 ? czt[2] : 0};
    }

    /** The ROI Manager's ROIs as scribbles for this image. */
    public static int[] fromRoiManager(ImagePlus image) {
        RoiManager rm = RoiManager.getInstance2(); // in a batch-mode macro: its hidden ROI Manager
        if (rm == null || rm.getCount() == 0) {
            throw new SegmentationException("The ROI Manager is empty: draw a line over each kind of region, press 't' to add it, then run again.");
        }
        return fromRois(java.util.Arrays.asList(rm.getRoisAsArray()), image);
    }

    /** A label image's values as scribbles: one plane, or one per plane of the image. */
    public static int[] fromLabelImage(ImagePlus labels, ImagePlus image) {
        if (labels.getWidth() != image.getWidth() || labels.getHeight() != image.getHeight()) {
            throw new SegmentationException("The scribble image " + labels.getTitle() + " is " + labels.getWidth() + "x" + labels.getHeight()
                    + ", the image " + image.getWidth() + "x" + image.getHeight() + ": they must be the same size.");
        }
        if (labels.getNChannels() > 1) throw new SegmentationException("The scribble image must have one channel.");
        return LabelArrays.of(labels, "scribble");
    }

    /** Scribbles from a file: a .zip ROI set or .roi file, otherwise a label image. */
    public static int[] fromFile(File f, ImagePlus image) {
        String n = f.getName().toLowerCase(Locale.ROOT);
        if (!f.isFile()) throw new SegmentationException("The scribble file " + f + " does not exist.");
        if (n.endsWith(".zip") || n.endsWith(".roi")) return fromRois(readRois(f), image);
        return fromLabelImage(Evaluate.open(f), image);
    }

    /** ROIs of a .roi file or of a .zip ROI set (as the ROI Manager saves them), in order. */
    static List<Roi> readRois(File f) {
        List<Roi> rois = new ArrayList<>();
        try {
            if (f.getName().toLowerCase(Locale.ROOT).endsWith(".roi")) {
                Roi r = new RoiDecoder(f.getPath()).getRoi();
                if (r != null) rois.add(r);
            } else {
                try (InputStream in = new FileInputStream(f); ZipInputStream zip = new ZipInputStream(in)) {
                    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                        if (!e.getName().toLowerCase(Locale.ROOT).endsWith(".roi")) continue;
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        zip.transferTo(b);
                        Roi r = new RoiDecoder(b.toByteArray(), e.getName()).getRoi();
                        if (r != null) rois.add(r);
                    }
                }
            }
        } catch (IOException e) {
            throw new SegmentationException("Could not read the ROIs in " + f + ": " + e.getMessage());
        }
        if (rois.isEmpty()) throw new SegmentationException("No ROIs found in " + f + ".");
        return rois;
    }
}

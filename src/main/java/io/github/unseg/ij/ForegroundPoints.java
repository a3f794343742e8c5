package io.github.unseg.ij;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.options.FrontEnd;

import java.awt.Point;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The objects' clusters by example (foregroundAt): the clusters under points or areas the user
 * gives on the image - its selection (point tool, or an area inside an object), a .roi / .zip ROI
 * file, or pixel coordinates. Each point names its pixel's cluster, an area its most common
 * cluster. Read from the cluster labels of the image being segmented, so that a CNN's own
 * numbering (or a fresh fit per image) is followed: where a model's numbers hold for every image,
 * foregroundClusters says the same once.
 */
public final class ForegroundPoints {
    /** One point or area: its pixels (x, y pairs), slice and frame (1-based), and how to name it. */
    private static final class Spot {
        final int[] xy;
        final int z, t;
        final String name;

        Spot(int[] xy, int z, int t, String name) {
            this.xy = xy;
            this.z = z;
            this.t = t;
            this.name = name;
        }
    }

    private final List<Spot> spots;
    private final String spec, spelt;

    private ForegroundPoints(List<Spot> spots, String spec, String spelt) {
        this.spots = spots;
        this.spec = spec;
        this.spelt = spelt;
    }

    /** Whether the option names anything: empty and none leave the choice to foregroundClusters or the rule. */
    public static boolean given(String spec) {
        return spec != null && !spec.trim().isEmpty() && !spec.trim().equalsIgnoreCase("none");
    }

    private static String usage(String spelt) {
        return FrontEnd.bare(spelt) + " takes selection (the image's point or area selection), roimanager (the ROI Manager's ROIs),"
                + " a .roi or .zip ROI file, or pixel coordinates x,y (or x,y,slice), several separated by spaces or ;";
    }

    /** roimanager, in the spellings users type. */
    static boolean isRoiManager(String s) {
        return s.equalsIgnoreCase("roimanager") || s.equalsIgnoreCase("roi-manager") || s.equalsIgnoreCase("ROI Manager");
    }

    /**
     * Refuses, before any image is read, a value that is none of the three forms (a file that does
     * not exist, coordinates that are not numbers).
     */
    public static void checkSpec(String spec, String spelt) {
        if (!given(spec)) return;
        String s = spec.trim();
        if (s.equalsIgnoreCase("selection")) return;
        if (isRoiManager(s)) {
            if (java.awt.GraphicsEnvironment.isHeadless()) {
                throw new SegmentationException(FrontEnd.withValue(spelt, s) + " needs the ROI Manager, which headless ImageJ lacks:"
                        + " save the ROIs as a .zip and give the file instead.");
            }
            return;
        }
        if (isRoiFile(s)) {
            if (!new File(s).isFile()) throw new SegmentationException(FrontEnd.withValue(spelt, s) + ": no such file.");
            return;
        }
        coordinates(s, spelt);
    }

    private static boolean isRoiFile(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.endsWith(".roi") || l.endsWith(".zip");
    }

    /** x,y or x,y,z (z a slice, 1-based; 0 = the image's current slice), each a whole number. */
    private static List<int[]> coordinates(String s, String spelt) {
        List<int[]> out = new ArrayList<>();
        for (String part : s.split("[;\\s]+")) {
            if (part.isEmpty()) continue;
            String[] v = part.split(",");
            if (v.length < 2 || v.length > 3) throw new SegmentationException(usage(spelt) + "; got '" + s + "'.");
            int[] p = new int[3];
            try {
                for (int i = 0; i < v.length; i++) p[i] = Integer.parseInt(v[i].trim());
            } catch (NumberFormatException e) {
                throw new SegmentationException(usage(spelt) + "; got '" + s + "'.");
            }
            out.add(p);
        }
        if (out.isEmpty()) throw new SegmentationException(usage(spelt) + "; got '" + s + "'.");
        return out;
    }

    /**
     * The points or areas for this image, checked against its size before any work. The image is
     * only read (its selection is not changed).
     */
    public static ForegroundPoints of(String spec, ImagePlus imp, String spelt) {
        checkSpec(spec, spelt);
        String s = spec.trim();
        String sp = FrontEnd.withValue(spelt, s);
        List<Spot> spots = new ArrayList<>();
        if (s.equalsIgnoreCase("selection") || isRoiFile(s) || isRoiManager(s)) {
            List<Roi> rois;
            if (isRoiFile(s)) {
                rois = Scribbles.readRois(new File(s));
            } else if (isRoiManager(s)) {
                ij.plugin.frame.RoiManager rm = ij.plugin.frame.RoiManager.getInstance2(); // in a batch-mode macro: its hidden one
                if (rm == null || rm.getCount() == 0) {
                    throw new SegmentationException(sp + ": the ROI Manager is empty: click an object with the point tool (or draw"
                            + " an area inside one), press 't' to add it, then run again.");
                }
                rois = java.util.Arrays.asList(rm.getRoisAsArray());
            } else {
                Roi r = imp.getRoi();
                if (r == null) {
                    throw new SegmentationException(sp + ": " + imp.getTitle() + " has no selection: click objects with the point tool"
                            + " (or draw an area inside one), then run again.");
                }
                rois = List.of(r);
            }
            for (Roi r : rois) spots.addAll(spots(r, imp));
        } else {
            for (int[] p : coordinates(s, spelt)) {
                int z = p[2] == 0 ? imp.getZ() : p[2];
                spots.add(new Spot(new int[]{p[0], p[1]}, z, imp.getT(), p[0] + "," + p[1] + (p[2] == 0 ? "" : "," + p[2])));
            }
        }
        for (Spot p : spots) {
            boolean inside = p.xy.length > 0;
            for (int i = 0; i < p.xy.length; i += 2) {
                inside &= p.xy[i] >= 0 && p.xy[i + 1] >= 0 && p.xy[i] < imp.getWidth() && p.xy[i + 1] < imp.getHeight();
            }
            if (!inside || p.z < 1 || p.z > imp.getNSlices()) {
                throw new SegmentationException(sp + ": " + p.name + " lies outside " + imp.getTitle() + " (" + imp.getWidth() + " x "
                        + imp.getHeight() + (imp.getNSlices() > 1 ? " x " + imp.getNSlices() + " slices" : "")
                        + ", x and y from 0); give points inside the image.");
            }
        }
        return new ForegroundPoints(spots, s, spelt);
    }

    /** A ROI's points (each its own spot) or its area (one spot), on its slice or the image's current one. */
    private static List<Spot> spots(Roi r, ImagePlus imp) {
        int[] zt = Scribbles.position(r, imp);
        int z = zt[0] > 0 ? zt[0] : imp.getZ(), t = zt[1] > 0 ? zt[1] : imp.getT();
        List<Spot> out = new ArrayList<>();
        if (r instanceof PointRoi) {
            PointRoi pr = (PointRoi) r;
            java.awt.Polygon poly = pr.getPolygon();
            for (int i = 0; i < poly.npoints; i++) {
                int zi = z, ti = t;
                int pos = pr.getPointPosition(i);   // a stack index when points were clicked on several slices
                if (pos > 0 && pos <= imp.getStackSize() && imp.getStackSize() > 1) {
                    int[] czt = imp.convertIndexToPosition(pos);
                    zi = czt[1];
                    ti = czt[2];
                }
                out.add(new Spot(new int[]{poly.xpoints[i], poly.ypoints[i]}, zi, ti,
                        "the point at " + poly.xpoints[i] + "," + poly.ypoints[i]));
            }
            return out;
        }
        // an area is clipped to the image (a selection may hang over its edge); wholly outside, it is refused
        Point[] pts = r.getContainedPoints();
        int[] xy = new int[2 * pts.length];
        int n = 0;
        for (Point q : pts) {
            if (q.x < 0 || q.y < 0 || q.x >= imp.getWidth() || q.y >= imp.getHeight()) continue;
            xy[n++] = q.x;
            xy[n++] = q.y;
        }
        xy = java.util.Arrays.copyOf(xy, n);
        java.awt.Rectangle b = r.getBounds();
        out.add(new Spot(xy, z, t, "the " + r.getTypeAsString().toLowerCase(Locale.ROOT) + " at " + b.x + "," + b.y));
        return out;
    }

    /**
     * The clusters under the spots in a cluster label image (one channel): each point's pixel's,
     * each area's most common; sorted, without repeats.
     */
    public int[] clusters(ImagePlus labels) {
        TreeSet<Integer> set = new TreeSet<>();
        int nz = labels.getNSlices(), w = labels.getWidth();
        for (Spot p : spots) {
            int t = Math.min(p.t, labels.getNFrames());
            ij.process.ImageProcessor ip = labels.getStack().getProcessor((t - 1) * nz + p.z);
            java.util.Map<Integer, Integer> count = new java.util.HashMap<>();
            for (int i = 0; i < p.xy.length; i += 2) {
                int v = (int) ip.getf(p.xy[i + 1] * w + p.xy[i]);
                if (v > 0) count.merge(v, 1, Integer::sum);
            }
            int best = 0, bestCount = 0;
            for (java.util.Map.Entry<Integer, Integer> e : count.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == 0) {
                throw new SegmentationException(FrontEnd.withValue(spelt, spec) + ": " + p.name
                        + " has no cluster (its pixels were not labelled, e.g. NaN); give points on the objects.");
            }
            set.add(best);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** For the summary: "--foreground-at selection: clusters 2,3 (under 3 points)". */
    public String describe(int[] clusters) {
        int areas = 0;
        for (Spot p : spots) if (p.xy.length > 2) areas++;
        int points = spots.size() - areas;
        String under = (points > 0 ? points + (points == 1 ? " point" : " points") : "")
                + (points > 0 && areas > 0 ? " and " : "") + (areas > 0 ? areas + (areas == 1 ? " area" : " areas") : "");
        return FrontEnd.withValue(FrontEnd.bare(spelt), spec) + ": " + (clusters.length == 1 ? "cluster " + clusters[0]
                : io.github.unseg.label.Instances.describeForeground(null, clusters)) + " (under " + under + ")";
    }
}

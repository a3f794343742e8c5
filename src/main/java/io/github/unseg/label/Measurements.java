package io.github.unseg.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-label measurements of a label block (a plane or a volume): size, centroid, intensity and
 * bounding box, what a biologist measures next (ImageJ's Analyze Particles, MorphoLibJ's Analyze
 * Regions) - here without ImageJ, so a headless batch writes them with the labels.
 */
public final class Measurements {
    private Measurements() { }

    /** The CSV header; centroids in pixels with ImageJ's convention (a pixel's centre at x + 0.5). */
    public static final String HEADER = "label,frame,pixels,size,unit,centroid_x,centroid_y,centroid_z,mean,min,max,"
            + "bbox_x,bbox_y,bbox_z,bbox_width,bbox_height,bbox_depth";

    /** One label's figures (coordinates in the block, before the caller's offsets). */
    public static final class Row {
        public final int label;
        public long pixels;
        long finite;   // pixels with a finite intensity
        double sx, sy, sz, sum;
        public float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        public int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, z0 = Integer.MAX_VALUE, x1 = -1, y1 = -1, z1 = -1;

        Row(int label) { this.label = label; }

        public double centroidX() { return sx / pixels + 0.5; }
        public double centroidY() { return sy / pixels + 0.5; }
        public double centroidZ() { return sz / pixels + 0.5; }
        public double mean() { return finite == 0 ? Double.NaN : sum / finite; }
    }

    /**
     * The labels above 0 of a w x h x d block, in increasing order, with the intensity (one value
     * per pixel, e.g. the mean over channels) at their pixels; NaN intensities are left out of
     * mean, min and max.
     */
    public static List<Row> of(int[] labels, float[] intensity, int w, int h, int d) {
        if (labels.length != w * h * d || intensity.length != labels.length) throw new IllegalArgumentException("sizes differ");
        int max = 0;
        for (int v : labels) max = Math.max(max, v);
        Row[] rows = new Row[max + 1];
        int plane = w * h;
        for (int p = 0; p < labels.length; p++) {
            int l = labels[p];
            if (l <= 0) continue;
            Row r = rows[l];
            if (r == null) r = rows[l] = new Row(l);
            int z = p / plane, y = (p % plane) / w, x = p % w;
            r.pixels++;
            r.sx += x;
            r.sy += y;
            r.sz += z;
            r.x0 = Math.min(r.x0, x);
            r.y0 = Math.min(r.y0, y);
            r.z0 = Math.min(r.z0, z);
            r.x1 = Math.max(r.x1, x);
            r.y1 = Math.max(r.y1, y);
            r.z1 = Math.max(r.z1, z);
            float v = intensity[p];
            if (Float.isNaN(v)) continue;
            r.finite++;
            r.sum += v;
            r.min = Math.min(r.min, v);
            r.max = Math.max(r.max, v);
        }
        List<Row> out = new ArrayList<>();
        for (int l = 1; l <= max; l++) if (rows[l] != null) out.add(rows[l]);
        return out;
    }

    /** The mean of one channel's values over each label's pixels (index = label; NaN values left out, NaN when none). */
    public static double[] means(int[] labels, float[] channel) {
        int max = 0;
        for (int v : labels) max = Math.max(max, v);
        double[] sum = new double[max + 1];
        long[] n = new long[max + 1];
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] <= 0 || Float.isNaN(channel[p])) continue;
            sum[labels[p]] += channel[p];
            n[labels[p]]++;
        }
        for (int l = 0; l <= max; l++) sum[l] = n[l] == 0 ? Double.NaN : sum[l] / n[l];
        return sum;
    }

    /** A value for a CSV column: whole numbers as such, others to 6 significant digits; NaN. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();   // 0.75, not 0.750000
    }

    /**
     * A CSV line: frame (1-based), the block's offset in z (slices labelled one by one), the
     * calibrated size of one pixel (area, or volume when volume) and its unit.
     */
    public static String csv(Row r, int frame, int zOffset, double pixelSize, String unit) {
        return String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%.3f,%.3f,%.3f,%s,%s,%s,%d,%d,%d,%d,%d,%d",
                r.label, frame, r.pixels, num(r.pixels * pixelSize), unit.contains(",") ? "\"" + unit + "\"" : unit,
                r.centroidX(), r.centroidY(), r.centroidZ() + zOffset, num(r.mean()), num(r.min), num(r.max),
                r.x0, r.y0, r.z0 + zOffset, r.x1 - r.x0 + 1, r.y1 - r.y0 + 1, r.z1 - r.z0 + 1);
    }

}

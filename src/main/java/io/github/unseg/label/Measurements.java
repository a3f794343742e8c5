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
            + "bbox_x,bbox_y,bbox_z,bbox_width,bbox_height,bbox_depth,perimeter,circularity,major,minor,angle,aspect_ratio,outline_contrast";

    /** One label's figures (coordinates in the block, before the caller's offsets). */
    public static final class Row {
        public final int label;
        public long pixels;
        long finite;   // pixels with a finite intensity
        double sx, sy, sz, sum, sxx, syy, sxy;
        // boundary crossings along rows, columns and the two diagonals (Crofton's perimeter)
        long n0, n90, n45, n135;
        boolean volume;
        public float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        /** The mean gradient along the outline over the background's median ({@link OutlineContrast#perObject}); NaN without a background. */
        public double outlineContrast = Double.NaN;
        public int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, z0 = Integer.MAX_VALUE, x1 = -1, y1 = -1, z1 = -1;

        Row(int label) { this.label = label; }

        public double centroidX() { return sx / pixels + 0.5; }
        public double centroidY() { return sy / pixels + 0.5; }
        public double centroidZ() { return sz / pixels + 0.5; }
        public double mean() { return finite == 0 ? Double.NaN : sum / finite; }

        /**
         * Perimeter in pixels by Crofton's formula over 4 directions (as MorphoLibJ's default):
         * pi / 8 (n0 + n90 + (n45 + n135) / sqrt 2), n the boundary crossings along each
         * direction's lines; exact on average for a disk (2 pi r), 5 % short on a square. NaN for a volume.
         */
        public double perimeter() {
            return volume ? Double.NaN : Math.PI / 8 * (n0 + n90 + (n45 + n135) / Math.sqrt(2));
        }

        /** 4 pi area / perimeter^2, at most 1 (ImageJ's Circ.): 1 for a disk, pi / 4 for a square. */
        public double circularity() {
            double p = perimeter();
            return volume ? Double.NaN : Math.min(1, 4 * Math.PI * pixels / (p * p));
        }

        /** The eigenvalues (larger first) of the xy covariance, each pixel a unit square (variance 1/12 of its own). */
        private double[] moments() {
            double mx = sx / pixels, my = sy / pixels;
            double cxx = sxx / pixels - mx * mx + 1.0 / 12, cyy = syy / pixels - my * my + 1.0 / 12, cxy = sxy / pixels - mx * my;
            double mid = (cxx + cyy) / 2, dev = Math.sqrt((cxx - cyy) * (cxx - cyy) / 4 + cxy * cxy);
            return new double[]{mid + dev, Math.max(0, mid - dev), cxx, cyy, cxy};
        }

        /** The axes (pixels) of the ellipse with the same second moments (ImageJ's Fit Ellipse): 2r for a disk of radius r. */
        public double major() { return volume ? Double.NaN : 4 * Math.sqrt(moments()[0]); }

        public double minor() { return volume ? Double.NaN : 4 * Math.sqrt(moments()[1]); }

        /** The major axis' angle in degrees, 0 to 180, counterclockwise from the x axis with y up (ImageJ's Angle). */
        public double angle() {
            if (volume) return Double.NaN;
            double[] m = moments();
            // y grows downwards in the image: flip the covariance's sign to measure counterclockwise
            double a = Math.toDegrees(0.5 * Math.atan2(-2 * m[4], m[2] - m[3]));
            return a < 0 ? a + 180 : a + 0.0; // (+ 0.0: no "-0.000")
        }
    }

    /**
     * The labels above 0 of a w x h x d block, in increasing order, with the intensity (one value
     * per pixel, e.g. the mean over channels) at their pixels; NaN intensities are left out of
     * mean, min and max.
     */
    public static List<Row> of(int[] labels, float[] intensity, int w, int h, int d) {
        if (labels.length != w * h * d || intensity.length != labels.length) throw new IllegalArgumentException("sizes differ");
        return of(labels, intensity, w, h, d, OutlineContrast.perObject(labels, intensity, w, h, d));
    }

    /** As above, with each label's outline contrast already known (index = label; null: NaN for all, e.g. cluster labels). */
    public static List<Row> of(int[] labels, float[] intensity, int w, int h, int d, double[] outlineContrast) {
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
            r.sxx += (double) x * x;
            r.syy += (double) y * y;
            r.sxy += (double) x * y;
            if (d > 1) r.volume = true;
            else {
                // crossings into another label or out of the image, on the way out of this pixel
                // and on the way into it (the other side counts the crossing for its own label)
                boolean left = x > 0, right = x + 1 < w, up = y > 0, down = y + 1 < h;
                if (!right || labels[p + 1] != l) r.n0++;
                if (!left || labels[p - 1] != l) r.n0++;
                if (!down || labels[p + w] != l) r.n90++;
                if (!up || labels[p - w] != l) r.n90++;
                if (!right || !down || labels[p + w + 1] != l) r.n45++;
                if (!left || !up || labels[p - w - 1] != l) r.n45++;
                if (!left || !down || labels[p + w - 1] != l) r.n135++;
                if (!right || !up || labels[p - w + 1] != l) r.n135++;
            }
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
        for (int l = 1; l <= max; l++) {
            if (rows[l] == null) continue;
            if (outlineContrast != null && l < outlineContrast.length) rows[l].outlineContrast = outlineContrast[l];
            out.add(rows[l]);
        }
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

    /** A length or ratio to 3 decimals, NaN as such. */
    static String fixed(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "NaN"; }

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
        return String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%.3f,%.3f,%.3f,%s,%s,%s,%d,%d,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s",
                r.label, frame, r.pixels, num(r.pixels * pixelSize), unit.contains(",") ? "\"" + unit + "\"" : unit,
                r.centroidX(), r.centroidY(), r.centroidZ() + zOffset, num(r.mean()), num(r.min), num(r.max),
                r.x0, r.y0, r.z0 + zOffset, r.x1 - r.x0 + 1, r.y1 - r.y0 + 1, r.z1 - r.z0 + 1,
                fixed(r.perimeter()), fixed(r.circularity()), fixed(r.major()), fixed(r.minor()), fixed(r.angle()), fixed(r.major() / r.minor()),
                fixed(r.outlineContrast));
    }

}

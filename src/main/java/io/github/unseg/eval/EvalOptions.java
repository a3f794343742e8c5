package io.github.unseg.eval;

import io.github.unseg.core.SegmentationException;

import java.util.Locale;

/** Settings of an evaluation. */
public final class EvalOptions {
    /** No label ignored. */
    public static final int NONE = Integer.MIN_VALUE;

    /** Split predicted labels into connected components first (Kanezaki's protocol). */
    public boolean splitComponents = false;
    /** 4-connected in 2D / 6 in 3D when splitting; otherwise 8 / 26. */
    public boolean fourConnected = false;
    /** A predicted label that is not a segment (e.g. the background cluster), or NONE. */
    public int ignorePredLabel = NONE;
    /** A true label that is not a segment (e.g. background 0), or NONE. Its pixels are left out of PRI, VoI and covering. */
    public int ignoreTruthLabel = NONE;
    /** Predicted segments (after splitComponents) below this many pixels become ignorePredLabel; 0 = keep all. */
    public int minSize = 0;
    /**
     * Cluster labels as objects: "none" (the labels as they are), or a foreground rule
     * (not-darkest, brightest, darkest, not-brightest; labels numbered darkest first, 0 masked):
     * the connected components of those clusters are the predicted objects, the rest is label 0.
     */
    public String predForeground = "none";
    /** IoU thresholds of instance matching. */
    public double[] thresholds = {0.5};

    /** Parses "0.5", "0.5,0.75" or a range "0.5:0.05:0.95". */
    public static double[] parseThresholds(String s) {
        try {
            String t = s.trim();
            if (t.contains(":")) {
                String[] p = t.split(":");
                if (p.length != 3) throw new NumberFormatException();
                double a = Double.parseDouble(p[0]), step = Double.parseDouble(p[1]), b = Double.parseDouble(p[2]);
                if (!(step > 0) || b < a) throw new NumberFormatException();
                int n = (int) Math.floor((b - a) / step + 1e-9) + 1;
                double[] out = new double[n];
                for (int i = 0; i < n; i++) out[i] = Math.round((a + i * step) * 1e9) / 1e9;
                return check(out);
            }
            String[] p = t.split("[,;\\s]+");
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) out[i] = Double.parseDouble(p[i]);
            return check(out);
        } catch (NumberFormatException e) {
            throw new SegmentationException("Cannot read the IoU thresholds '" + s + "': give numbers in (0, 1] such as"
                    + " 0.5, or 0.5,0.75, or a range 0.5:0.05:0.95.");
        }
    }

    private static double[] check(double[] t) {
        for (double v : t) {
            if (!(v > 0 && v <= 1)) throw new NumberFormatException();
        }
        return t;
    }

    /** "none" or an integer label. */
    public static int parseLabel(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none") || t.equals("-")) return NONE;
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new SegmentationException("Cannot read the label '" + s + "' to ignore: give a whole number or none.");
        }
    }

    static String thresholdKey(double t) { return String.format(Locale.ROOT, "%.2f", t); }
}

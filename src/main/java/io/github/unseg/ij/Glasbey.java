package io.github.unseg.ij;

import ij.process.LUT;

/**
 * A Glasbey-style lookup table: colour 0 is black (background), and each next colour is the
 * candidate farthest (in CIELAB) from all colours chosen so far, so neighbouring labels stay
 * distinguishable. Computed once, deterministically, from a 16-level RGB grid.
 */
public final class Glasbey {
    private static volatile LUT lut;

    private Glasbey() { }

    public static LUT lut() {
        LUT l = lut;
        if (l == null) {
            synchronized (Glasbey.class) {
                if (lut == null) lut = build();
                l = lut;
            }
        }
        return (LUT) l.clone();
    }

    private static LUT build() {
        int levels = 16, nCand = levels * levels * levels;
        double[][] lab = new double[nCand][];
        int[] rgb = new int[nCand];
        for (int i = 0; i < nCand; i++) {
            int r = (i / (levels * levels)) * 17, g = ((i / levels) % levels) * 17, b = (i % levels) * 17;
            rgb[i] = (r << 16) | (g << 8) | b;
            lab[i] = toLab(r, g, b);
        }
        double[] minDist = new double[nCand];
        java.util.Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        byte[] rs = new byte[256], gs = new byte[256], bs = new byte[256];
        int chosen = 0; // black
        for (int k = 0; k < 256; k++) {
            int c = rgb[chosen];
            rs[k] = (byte) (c >> 16); gs[k] = (byte) (c >> 8); bs[k] = (byte) c;
            double[] lc = lab[chosen];
            int best = 0;
            double bestD = -1;
            for (int i = 0; i < nCand; i++) {
                double dl = lab[i][0] - lc[0], da = lab[i][1] - lc[1], db = lab[i][2] - lc[2];
                double d = dl * dl + da * da + db * db;
                if (d < minDist[i]) minDist[i] = d;
                if (minDist[i] > bestD) { bestD = minDist[i]; best = i; }
            }
            chosen = best;
        }
        return new LUT(rs, gs, bs);
    }

    private static double[] toLab(int r8, int g8, int b8) {
        double r = lin(r8 / 255.0), g = lin(g8 / 255.0), b = lin(b8 / 255.0);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        return new double[]{116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double lin(double c) { return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }

    private static double f(double t) { return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116; }
}

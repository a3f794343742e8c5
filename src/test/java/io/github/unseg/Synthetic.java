package io.github.unseg;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import java.util.Random;

/** Small synthetic images with known regions, made in the test (no data files needed). */
public final class Synthetic {
    private Synthetic() { }

    /**
     * Region map of a w x h image: 1 = background, 2 = a disc, 3 = a rectangle. Region r has the
     * r-th intensity, so intensity order = region order.
     */
    public static int[] regions(int w, int h) {
        int[] r = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 1;
                double dx = x - w * 0.3, dy = y - h * 0.35;
                if (dx * dx + dy * dy < (w * 0.2) * (w * 0.2)) v = 2;
                if (x > w * 0.6 && x < w * 0.9 && y > h * 0.5 && y < h * 0.9) v = 3;
                r[y * w + x] = v;
            }
        }
        return r;
    }

    /** Intensity mean[region-1] + Gaussian noise sigma. */
    public static float[] noisy(int[] regions, double[] means, double sigma, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[regions.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) (means[regions[i] - 1] + sigma * rnd.nextGaussian());
        return v;
    }

    public static ImagePlus gray32(int w, int h, long seed) {
        return new ImagePlus("synthetic32", new FloatProcessor(w, h, noisy(regions(w, h), new double[]{10, 50, 90}, 6, seed)));
    }

    public static ImagePlus gray8(int w, int h, long seed) {
        float[] v = noisy(regions(w, h), new double[]{40, 120, 200}, 12, seed);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
        return new ImagePlus("synthetic8.tif", new ByteProcessor(w, h, b));
    }

    /** An empty field: 8-bit white noise, mean 30, sd 8 (the clusters still cut it into blobs). */
    public static ImagePlus emptyField(int w, int h, long seed) {
        Random rnd = new Random(seed);
        byte[] b = new byte[w * h];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Math.max(0, Math.round(30 + 8 * rnd.nextGaussian()));
        return new ImagePlus("empty.tif", new ByteProcessor(w, h, b));
    }

    public static ImagePlus gray16(int w, int h, long seed) {
        float[] v = noisy(regions(w, h), new double[]{1000, 5000, 9000}, 500, seed);
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) s[i] = (short) Math.max(0, Math.min(65535, Math.round(v[i])));
        return new ImagePlus("synthetic16", new ShortProcessor(w, h, s, null));
    }

    /** The colours of regions 1, 2, 3 (background, disk, box) in the RGB and volume images. */
    private static final int[][] COLOURS = {{40, 60, 200}, {200, 60, 40}, {60, 200, 60}};

    /** Three coloured regions that differ in hue, not only brightness. */
    public static ImagePlus rgb(int w, int h, long seed) {
        int[] reg = regions(w, h);
        Random rnd = new Random(seed);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int[] c = COLOURS[reg[i] - 1];
            int r = clamp(c[0] + 15 * rnd.nextGaussian()), g = clamp(c[1] + 15 * rnd.nextGaussian()), b = clamp(c[2] + 15 * rnd.nextGaussian());
            px[i] = (r << 16) | (g << 8) | b;
        }
        return new ImagePlus("synthetic-rgb", new ColorProcessor(w, h, px));
    }

    /** A two-channel image where neither channel alone separates the three regions. */
    public static ImagePlus twoChannel(int w, int h, long seed) {
        int[] reg = regions(w, h);
        // region 1: (10, 10), region 2: (80, 10), region 3: (80, 80)
        float[] c1 = noisy(reg, new double[]{10, 80, 80}, 5, seed);
        float[] c2 = noisy(reg, new double[]{10, 10, 80}, 5, seed + 1);
        ImageStack st = new ImageStack(w, h);
        st.addSlice(new FloatProcessor(w, h, c1));
        st.addSlice(new FloatProcessor(w, h, c2));
        ImagePlus imp = new ImagePlus("two-channel", st);
        imp.setDimensions(2, 1, 1);
        return imp;
    }

    /** A z-stack of nz slices, each the 32-bit synthetic image with another noise seed. */
    public static ImagePlus stack(int w, int h, int nz, long seed) {
        ImageStack st = new ImageStack(w, h);
        int[] reg = regions(w, h);
        for (int z = 0; z < nz; z++) st.addSlice(new FloatProcessor(w, h, noisy(reg, new double[]{10, 50, 90}, 6, seed + z)));
        ImagePlus imp = new ImagePlus("stack", st);
        imp.setDimensions(1, nz, 1);
        return imp;
    }

    /**
     * A noisy 3-channel volume: the 2D test's disk and rectangle as objects that start and end in
     * z (slices 1 .. d-2), in a background that wraps them on all sides; z spacing 2.
     */
    public static ImagePlus volume(int w, int h, int d, int[] truth, long seed) {
        return volume(w, h, d, 1, truth, seed);
    }

    /** As above, with the objects in slices margin .. d-1-margin. */
    public static ImagePlus volume(int w, int h, int d, int margin, int[] truth, long seed) {
        int[] reg = regions(w, h);
        java.util.Random rnd = new java.util.Random(seed);
        ij.ImageStack st = new ij.ImageStack(w, h);
        for (int z = 0; z < d; z++) {
            float[][] px = new float[3][w * h];
            for (int p = 0; p < w * h; p++) {
                int r = z >= margin && z < d - margin ? reg[p] : 1;
                truth[z * w * h + p] = r;
                for (int c = 0; c < 3; c++) px[c][p] = (float) (COLOURS[r - 1][c] + 15 * rnd.nextGaussian());
            }
            for (int c = 0; c < 3; c++) st.addSlice(new ij.process.FloatProcessor(w, h, px[c]));
        }
        ImagePlus imp = new ImagePlus("volume", st);
        imp.setDimensions(3, d, 1);
        return imp;
    }

    /**
     * Two classes in a noisy 3-channel volume: a ball of radius r (voxels) at the centre of a
     * w x h x d box, in a background (the colours of regions 2 and 1).
     */
    public static ImagePlus ball(int w, int h, int d, double r, int[] truth, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        ij.ImageStack st = new ij.ImageStack(w, h);
        for (int z = 0; z < d; z++) {
            float[][] px = new float[3][w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dx = x - (w - 1) / 2.0, dy = y - (h - 1) / 2.0, dz = z - (d - 1) / 2.0;
                    int reg = dx * dx + dy * dy + dz * dz < r * r ? 2 : 1;
                    truth[(z * h + y) * w + x] = reg;
                    for (int c = 0; c < 3; c++) px[c][y * w + x] = (float) (COLOURS[reg - 1][c] + 15 * rnd.nextGaussian());
                }
            }
            for (int c = 0; c < 3; c++) st.addSlice(new ij.process.FloatProcessor(w, h, px[c]));
        }
        ImagePlus imp = new ImagePlus("ball", st);
        imp.setDimensions(3, d, 1);
        return imp;
    }

    private static int clamp(double v) { return (int) Math.max(0, Math.min(255, Math.round(v))); }

    /** IoU of (labels == l) with (truth == t). */
    public static double iou(int[] labels, int l, int[] truth, int t) {
        long inter = 0, union = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean a = labels[i] == l, b = truth[i] == t;
            if (a && b) inter++;
            if (a || b) union++;
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    /** For each true region, the best IoU over predicted labels; the minimum over regions. */
    public static double minBestIoU(int[] labels, int[] truth, int nTrue, int nPred) {
        double worst = 1;
        for (int t = 1; t <= nTrue; t++) {
            double best = 0;
            for (int l = 1; l <= nPred; l++) best = Math.max(best, iou(labels, l, truth, t));
            worst = Math.min(worst, best);
        }
        return worst;
    }

    /** Labels of one plane of a label ImagePlus. */
    public static int[] plane(ImagePlus labels, int stackIndex) {
        ij.process.ImageProcessor ip = labels.getStack().getProcessor(stackIndex);
        int[] out = new int[ip.getPixelCount()];
        for (int i = 0; i < out.length; i++) out[i] = (int) ip.getf(i);
        return out;
    }

    /**
     * Nuclei as a fluorescence image shows them: 8-bit, a dark noisy background (30), nine disks
     * of radius 9 (intensity 150-220; one of them dim, 90), three touching pairs and three alone,
     * the lone one at the top left with a dark hole (radius 3) like a nucleolus. truth gets the
     * instance ids 1..9 (0 = background); a touching pair is cut at the perpendicular bisector.
     */
    public static ImagePlus nuclei(int[] truth, long seed) {
        int w = 120, h = 90;
        int[][] c = {{20, 20}, {50, 20}, {66, 20}, {95, 22}, {20, 60}, {36, 60}, {62, 62}, {78, 64}, {100, 66}};
        double[] bright = {180, 200, 160, 90, 210, 170, 190, 150, 220};
        Random rnd = new Random(seed);
        byte[] b = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int best = -1;
                double bd = Double.MAX_VALUE;
                for (int i = 0; i < c.length; i++) {
                    double d = Math.hypot(x - c[i][0], y - c[i][1]);
                    if (d <= 9 && d < bd) { bd = d; best = i; }
                }
                double v = 30;
                if (best >= 0) v = bright[best];
                if (best == 0 && Math.hypot(x - 20, y - 20) <= 3) v = 35;
                truth[y * w + x] = best + 1;
                b[y * w + x] = (byte) clamp(v + 10 * rnd.nextGaussian());
            }
        }
        return new ImagePlus("nuclei.tif", new ByteProcessor(w, h, b));
    }

    /** A two-channel image: channel 1 holds the disk of regions, channel 2 its box (both on a dark ground, with noise). */
    public static ImagePlus twoColours(int w, int h) {
        int[] r = regions(w, h);
        Random rnd = new Random(3);
        ij.ImageStack st = new ij.ImageStack(w, h);
        for (int c = 0; c < 2; c++) {
            byte[] b = new byte[w * h];
            for (int p = 0; p < b.length; p++) b[p] = (byte) Math.max(0, Math.min(255, (r[p] == c + 2 ? 180 : 40) + (int) (rnd.nextGaussian() * 10)));
            st.addSlice(new ByteProcessor(w, h, b));
        }
        ImagePlus imp = new ImagePlus("two.tif", st);
        imp.setDimensions(2, 1, 1);
        return imp;
    }
    /**
     * Six disks of radius 6 on a black ground (0-1, noise) in a 96 x 64 8-bit image: the top row
     * dim (12-13), the bottom row bright (200): fluorescence of a wide dynamic range. Disk k's centre
     * is {@link #disk(int)}.
     */
    public static ImagePlus dimAndBright() {
        int w = 96, h = 64;
        java.util.Random rnd = new java.util.Random(5);
        byte[] b = new byte[w * h];
        for (int p = 0; p < b.length; p++) {
            int x = p % w, y = p / w, v = rnd.nextInt(2);
            for (int k = 0; k < 6; k++) {
                int[] c = disk(k);
                if ((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) <= 36) v = k < 3 ? 12 + rnd.nextInt(2) : 200;
            }
            b[p] = (byte) v;
        }
        return new ImagePlus("dim-and-bright.tif", new ByteProcessor(w, h, b));
    }

    /** Inside the field of view of {@link #fundus()}: a disk of radius 26 at the centre of 80 x 60. */
    public static boolean inFundus(int x, int y) { return (x - 40) * (x - 40) + (y - 30) * (y - 30) <= 26 * 26; }

    /**
     * 80 x 60 8-bit, a fundus image's layout: black outside the field of view ({@link #inFundus}),
     * inside it a bright ground (150) crossed by a dark band (90, rows 26-33), noise sigma 4.
     */
    public static ImagePlus fundus() {
        int w = 80, h = 60;
        Random rnd = new Random(11);
        byte[] b = new byte[w * h];
        for (int p = 0; p < b.length; p++) {
            int x = p % w, y = p / w;
            b[p] = (byte) (inFundus(x, y) ? Math.max(0, Math.min(255, (y >= 26 && y <= 33 ? 90 : 150) + (int) Math.round(rnd.nextGaussian() * 4))) : 0);
        }
        return new ImagePlus("fundus.tif", new ByteProcessor(w, h, b));
    }

    /** The field of view of {@link #fundus()} as a mask: 255 inside, 0 outside. */
    public static ImagePlus fundusMask() {
        byte[] b = new byte[80 * 60];
        for (int p = 0; p < b.length; p++) b[p] = (byte) (inFundus(p % 80, p / 80) ? 255 : 0);
        return new ImagePlus("fov.tif", new ByteProcessor(80, 60, b));
    }

    /** The centre {x, y} of disk k (0-2 dim, 3-5 bright) of {@link #dimAndBright()}. */
    public static int[] disk(int k) { return new int[]{16 + 32 * (k % 3), k < 3 ? 16 : 46}; }

    /** 200 x 150 RGB: pink tissue with per-channel noise and eight dark purple disks of radius 9. */
    public static ImagePlus stainedTissue() {
        int w = 200, h = 150;
        Random rnd = new Random(3);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            boolean in = false;
            for (int i = 0; i < 8; i++) in |= Math.hypot(x - (25 + 50 * (i % 4)), y - (40 + 70 * (i / 4))) <= 9;
            int[] c = in ? new int[]{90, 55, 140} : new int[]{225, 150, 200};
            int rgb = 0;
            for (int ch = 0; ch < 3; ch++) rgb = (rgb << 8) | Math.max(0, Math.min(255, (int) Math.round(c[ch] + 8 * rnd.nextGaussian())));
            px[y * w + x] = rgb;
        }
        return new ImagePlus("he.tif", new ColorProcessor(w, h, px));
    }
}

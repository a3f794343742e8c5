package io.github.unseg.spark;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.unseg.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Test images the tests make (no data outside the project) and helpers to read labels and run commands. */
final class Images {
    private Images() { }

    /** 16-bit: bright disks (some touching) on a shaded, noisy background. */
    static ImagePlus disks(int w, int h, long seed) {
        Random r = new Random(seed);
        ShortProcessor ip = new ShortProcessor(w, h);
        int n = Math.max(4, w * h / 2500);
        int[][] d = new int[n][];
        for (int i = 0; i < n; i++) d[i] = new int[]{r.nextInt(w), r.nextInt(h), 6 + r.nextInt(12), 1200 + r.nextInt(1800)};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 300 + 200.0 * x / w + 60 * r.nextGaussian();
                for (int[] c : d) {
                    int dx = x - c[0], dy = y - c[1];
                    if (dx * dx + dy * dy <= c[2] * c[2]) v = c[3] + 80 * r.nextGaussian();
                }
                ip.set(x, y, (int) Math.max(0, Math.min(65535, v)));
            }
        }
        return new ImagePlus("disks", ip);
    }

    /** 8-bit: an empty field, white noise of mean 30 and sd 8 (the clusters still cut it into blobs). */
    static ImagePlus emptyField(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[w * h];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Math.max(0, Math.round(30 + 8 * r.nextGaussian()));
        return new ImagePlus("empty", new ij.process.ByteProcessor(w, h, b));
    }

    /** RGB: coloured rectangles on grey, with noise. */
    static ImagePlus colours(int w, int h, long seed) {
        Random r = new Random(seed);
        ColorProcessor ip = new ColorProcessor(w, h);
        int[][] boxes = {{10, 10, w / 2, h / 3, 0xc03020}, {w / 3, h / 2, w / 2, h / 3, 0x2050c0}, {w / 2, 5, w / 3, h / 2, 0x30b040}};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = 0x808080;
                for (int[] b : boxes) if (x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3]) c = b[4];
                int rr = clamp(((c >> 16) & 255) + (int) (20 * r.nextGaussian()));
                int gg = clamp(((c >> 8) & 255) + (int) (20 * r.nextGaussian()));
                int bb = clamp((c & 255) + (int) (20 * r.nextGaussian()));
                ip.set(x, y, rr << 16 | gg << 8 | bb);
            }
        }
        return new ImagePlus("colours", ip);
    }

    /** An H&E-like colour brightfield image: pink tissue with per-channel noise, dark purple disks of radius 14 on a 70 x 65 grid. */
    static ImagePlus stained(int w, int h, long seed) {
        Random rnd = new Random(seed);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx = x % 70 - 35, dy = y % 65 - 32;
                int[] c = dx * dx + dy * dy <= 14 * 14 ? new int[]{90, 55, 140} : new int[]{225, 150, 200};
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) rgb = (rgb << 8) | clamp((int) Math.round(c[ch] + 8 * rnd.nextGaussian()));
                px[y * w + x] = rgb;
            }
        }
        return new ImagePlus("stained", new ColorProcessor(w, h, px));
    }

    private static int clamp(int v) { return Math.max(0, Math.min(255, v)); }

    static File save(ImagePlus imp, File f) {
        f.getParentFile().mkdirs();
        boolean ok = f.getName().endsWith(".png") ? new FileSaver(imp).saveAsPng(f.getPath()) : new FileSaver(imp).saveAsTiff(f.getPath());
        if (!ok) throw new IllegalStateException("could not write " + f);
        return f;
    }

    static int[] pixels(File f) {
        ImagePlus imp = IJ.openImage(f.getPath());
        assertNotNull(imp, "cannot open " + f);
        ImageProcessor ip = imp.getProcessor();
        int[] v = new int[imp.getWidth() * imp.getHeight()];
        for (int p = 0; p < v.length; p++) v[p] = (int) ip.getf(p);
        return v;
    }

    /** Runs the single-machine command line; fails the test unless it exits 0. */
    static String unseg(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, "unseg " + String.join(" ", args) + "\n" + o + e);
        return o.toString(StandardCharsets.UTF_8);
    }

    /** {exit code, stdout + stderr} of spark-segment. */
    static Object[] spark(TaskHook hook, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(o, true, StandardCharsets.UTF_8);
        int rc = SparkSegment.run(args, ps, ps, hook);
        return new Object[]{rc, o.toString(StandardCharsets.UTF_8)};
    }
}

package io.github.unseg.label;

import java.util.Arrays;

/**
 * How much stronger the objects' outlines are than the background's own texture: the median over
 * objects of the mean gradient along each outline, over the median gradient of the background
 * away from the objects (gradient: Sobel of the intensity smoothed at sigma 1, per plane). Nuclei
 * and cells measured 1.7-39 per image (five microscopy sets; command 1, GMM and CNN + K-means k2,
 * the CNN), the blobs that these cut out of an empty field's white noise 1.2-1.7, out of a
 * smooth texture (noise smoothed at sigma 1.5 and 3) 1.5-3.0 (bench/outline_contrast.sh; README,
 * Objects): a figure below {@link #EMPTY_FIELD} says the objects may be noise; above it, it says nothing.
 */
public final class OutlineContrast {
    private OutlineContrast() { }

    /** Below this the objects' outlines are hardly stronger than the noise's (below every real image measured by 0.2). */
    public static final double EMPTY_FIELD = 1.5;

    /** Objects smaller than this are not counted: a speck's outline is its whole self. */
    static final int MIN_PIXELS = 20;

    /**
     * @param ids       object ids per pixel (0 = background), w x h x d
     * @param intensity one value per pixel (NaN: masked, left out)
     * @return the ratio, or NaN where there is no object of MIN_PIXELS or no background to compare with
     */
    public static double of(int[] ids, float[] intensity, int w, int h, int d) {
        return median(ids, perObject(ids, intensity, w, h, d));
    }

    /** The image's figure from its objects' own ({@link #perObject}): their median, objects under MIN_PIXELS left out. */
    public static double median(int[] ids, double[] per) {
        long[] size = new long[per.length];
        for (int v : ids) size[v]++;
        double[] counted = new double[per.length];
        int m = 0;
        for (int id = 1; id < per.length; id++) if (size[id] >= MIN_PIXELS && !Double.isNaN(per[id])) counted[m++] = per[id];
        if (m == 0) return Double.NaN;
        Arrays.sort(counted, 0, m);
        return m % 2 == 1 ? counted[m / 2] : (counted[m / 2 - 1] + counted[m / 2]) / 2;
    }

    /**
     * Each object's own figure (index = id; NaN for 0, for an object with no outline on the
     * background, and for all where there is no background or it is noise-free): the mean
     * gradient along its outline over the background's median. For the measurements' column.
     */
    public static double[] perObject(int[] ids, float[] intensity, int w, int h, int d) {
        int plane = w * h, n = plane * d;
        if (ids.length != n || intensity.length != n) throw new IllegalArgumentException("ids and intensity do not match " + w + "x" + h + "x" + d);
        int max = 0;
        for (int v : ids) max = Math.max(max, v);
        double[] out = new double[max + 1];
        Arrays.fill(out, Double.NaN);
        if (max == 0) return out;
        float[] s = intensity.clone();
        boolean anyNaN = false;
        for (int p = 0; p < n; p++) if (Float.isNaN(s[p])) { s[p] = 0; anyNaN = true; }
        if (d == 1) {
            Instances.gaussian(s, w, h, 1, 1.0);
        } else {
            for (int z = 0; z < d; z++) {   // per plane: the outlines are drawn in each plane
                float[] one = Arrays.copyOfRange(s, z * plane, (z + 1) * plane);
                Instances.gaussian(one, w, h, 1, 1.0);
                System.arraycopy(one, 0, s, z * plane, plane);
            }
        }
        long[] edgeCount = new long[max + 1];
        double[] edgeSum = new double[max + 1];
        // background pixels more than 2 steps (city block) from any object: the objects' own edges
        // spread that far after smoothing
        boolean[] object = new boolean[n];
        for (int p = 0; p < n; p++) object[p] = ids[p] > 0;
        boolean[] near = grow(grow(object, w, h, d), w, h, d);
        long far = 0;
        for (boolean b : near) if (!b) far++;
        // the background's median from a fixed subsample (same figure every run; a full sort of a
        // 6000 x 6000 image's background took seconds)
        long step = Math.max(1, far >> 18);
        float[] bg = new float[(int) Math.min(far, (1 << 18) + 1) + 1];
        int nb = 0;
        long seen = 0;
        for (int z = 0; z < d; z++) {
            for (int y = 1; y + 1 < h; y++) {
                for (int x = 1; x + 1 < w; x++) {
                    int p = z * plane + y * w + x;
                    int id = ids[p];
                    if (id == 0) {
                        if (near[p] || seen++ % step != 0 || nb == bg.length || (anyNaN && masked3x3(intensity, p, w))) continue;
                        bg[nb++] = (float) sobel(s, p, w);
                    } else if (onOutline(ids, p, w) && !(anyNaN && masked3x3(intensity, p, w))) {
                        edgeSum[id] += sobel(s, p, w);
                        edgeCount[id]++;
                    }
                }
            }
        }
        if (nb == 0) return out;
        double noise = median(bg, nb);
        if (!(noise > 0)) return out;   // a noise-free background: any outline stands out
        for (int id = 1; id <= max; id++) if (edgeCount[id] > 0) out[id] = edgeSum[id] / edgeCount[id] / noise;
        return out;
    }

    /** Sobel gradient magnitude at an inner pixel of its plane. */
    private static double sobel(float[] s, int p, int w) {
        double gx = (s[p - w + 1] + 2 * s[p + 1] + s[p + w + 1]) - (s[p - w - 1] + 2 * s[p - 1] + s[p + w - 1]);
        double gy = (s[p + w - 1] + 2 * s[p + w] + s[p + w + 1]) - (s[p - w - 1] + 2 * s[p - w] + s[p - w + 1]);
        return Math.sqrt(gx * gx + gy * gy);
    }

    private static boolean masked3x3(float[] a, int p, int w) {
        for (int dy = -w; dy <= w; dy += w) for (int dx = -1; dx <= 1; dx++) if (Float.isNaN(a[p + dy + dx])) return true;
        return false;
    }

    /** An object pixel with a 4-neighbour in its plane that is not object (an outline between objects is no edge of theirs). */
    private static boolean onOutline(int[] ids, int p, int w) {
        return ids[p - 1] == 0 || ids[p + 1] == 0 || ids[p - w] == 0 || ids[p + w] == 0;
    }

    /** fg grown by one step, 4-connected in each plane. */
    private static boolean[] grow(boolean[] fg, int w, int h, int d) {
        boolean[] out = fg.clone();
        int plane = w * h;
        for (int p = 0; p < fg.length; p++) {
            if (!fg[p]) continue;
            int x = p % w, y = (p % plane) / w;
            if (x > 0) out[p - 1] = true;
            if (x + 1 < w) out[p + 1] = true;
            if (y > 0) out[p - w] = true;
            if (y + 1 < h) out[p + w] = true;
        }
        return out;
    }

    private static double median(float[] a, int n) {
        float[] c = Arrays.copyOf(a, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
    }
}

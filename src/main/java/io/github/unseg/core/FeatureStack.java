package io.github.unseg.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Filter features joined to each channel's intensity, named as Trainable Weka Segmentation names
 * them, and a shading correction before them. Per channel the layout is: every channel's
 * (corrected, smoothed) intensity first, so that column 0 stays the first channel's intensity and
 * labels keep their darkest-first order; then, per filter and sigma, each channel's responses.
 * Filters are separable Gaussian (derivative) and box filters with mirrored borders; in 3D
 * (models fitted on z-stacks) they run along z too, with the z sigma from the voxel depth. Every
 * value depends only on pixels within {@link #radius()} (x, y) / {@link #zRadius} (z), so an image
 * cut into blocks with that halo gets the same features as the whole image.
 */
public final class FeatureStack {
    /** The filters, in the order their channels appear. */
    public enum Filter {
        GAUSSIAN("gaussian", "Gaussian blur"),
        GRADIENT("gradient", "gradient magnitude (Sobel-like, of the Gaussian)"),
        LAPLACIAN("laplacian", "Laplacian of Gaussian"),
        DOG("dog", "difference of Gaussians, consecutive sigmas"),
        HESSIAN("hessian", "Hessian eigenvalues, largest first (tubeness / vesselness)"),
        MEAN("mean", "local mean, box of radius sigma"),
        VARIANCE("variance", "local variance, box of radius sigma"),
        LINE("line", "line detector: the mean along the most contrasting of 12 orientations, minus the local mean"
                + " (Ricci & Perfetti; line and box 4 sigma + 1 long; negative on dark lines such as vessels; in each plane)");

        public final String label, what;

        Filter(String label, String what) { this.label = label; this.what = what; }
    }

    /**
     * Shading correction by a background estimated from the image itself: a Gaussian-blurred copy of
     * each plane (subtract, divide), or its grey opening, smoothed (opening: the objects are not in it).
     */
    public enum Background {
        NONE("none"), SUBTRACT("subtract"), DIVIDE("divide"), OPENING("opening");

        private final String label;

        Background(String label) { this.label = label; }

        public String label() { return label; }

        public static Background parse(String s) {
            for (Background b : values()) if (b.label.equalsIgnoreCase(s.trim())) return b;
            throw new SegmentationException("Unknown background correction '" + s + "': use none, subtract, divide or opening.");
        }
    }

    public static final FeatureStack NONE = new FeatureStack(List.of(), new double[0], Background.NONE, 0, false);

    public final List<Filter> filters;
    public final double[] sigmas;
    public final Background background;
    public final double backgroundSigma;
    /** Filters along z too (fitted on z-stacks): then the Hessian has 3 eigenvalues and the gradient a z part. */
    public final boolean volumetric;

    /**
     * {@link Intensity#LOG}: each input channel's range (low, high) over the fitting images, which
     * fixes the log scale for every image the model labels; null = linear intensities.
     */
    public final double[] logLow, logHigh;

    public FeatureStack(List<Filter> filters, double[] sigmas, Background background, double backgroundSigma, boolean volumetric) {
        this(filters, sigmas, background, backgroundSigma, volumetric, null, null);
    }

    private FeatureStack(List<Filter> filters, double[] sigmas, Background background, double backgroundSigma, boolean volumetric,
                         double[] logLow, double[] logHigh) {
        this.filters = List.copyOf(filters);
        this.sigmas = sigmas.clone();
        this.background = background;
        this.backgroundSigma = background == Background.NONE ? 0 : backgroundSigma;
        this.volumetric = volumetric && !filters.isEmpty();
        if ((logLow == null) != (logHigh == null) || (logLow != null && logLow.length != logHigh.length)) {
            throw new IllegalArgumentException("log range: one low and one high value per channel");
        }
        this.logLow = logLow == null ? null : logLow.clone();
        this.logHigh = logHigh == null ? null : logHigh.clone();
    }

    /** The same stack reading intensities on the log scale of these channel ranges. */
    public FeatureStack withLog(double[] low, double[] high) {
        return new FeatureStack(filters, sigmas, background, backgroundSigma, volumetric, low, high);
    }

    public Intensity intensity() { return logLow == null ? Intensity.LINEAR : Intensity.LOG; }

    /** The log scale, in place (first of the per-pixel transforms); values below the fitted low count as low. */
    public void applyLog(RawPixels raw) {
        if (logLow == null) return;
        int c = raw.channels;
        if (c != logLow.length) {
            throw new SegmentationException("The model's log intensity scale has " + logLow.length + " channel(s), the image " + c + ".");
        }
        float[] v = raw.values;
        for (int ch = 0; ch < c; ch++) {
            double lo = logLow[ch], k = logHigh[ch] > lo ? Intensity.LEVELS / (logHigh[ch] - lo) : 1;
            for (int i = ch; i < v.length; i += c) {
                if (Float.isFinite(v[i])) v[i] = (float) Math.log1p(Math.max(0, v[i] - lo) * k);
            }
        }
    }

    /** From the options as typed: filters "gaussian,hessian", sigmas; checked with messages naming the options. */
    public static FeatureStack of(String filters, double[] sigmas, Background background, double backgroundSigma, boolean volumetric) {
        List<Filter> f = parseFilters(filters);
        if (!f.isEmpty()) {
            if (sigmas == null || sigmas.length == 0) throw new SegmentationException("filters need at least one sigma (sigmas, e.g. 1,2,4).");
            if (f.contains(Filter.DOG) && sigmas.length < 2) {
                throw new SegmentationException("The dog filter subtracts consecutive sigmas: give at least two sigmas (e.g. 1,2,4).");
            }
        }
        if (background != Background.NONE && !(backgroundSigma >= 1 && backgroundSigma <= 1000)) {
            throw new SegmentationException("backgroundSigma must be between 1 and 1000 pixels, got " + backgroundSigma + ".");
        }
        return new FeatureStack(f, f.isEmpty() ? new double[0] : sigmas, background, backgroundSigma, volumetric);
    }

    /** "gaussian, hessian" (any case, commas or spaces; "sobel" = gradient, "none" or empty = no filters). */
    public static List<Filter> parseFilters(String s) {
        Set<Filter> out = new LinkedHashSet<>();
        if (s == null) return List.of();
        for (String part : s.split("[,;\\s]+")) {
            String p = part.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
            if (p.isEmpty() || p.equals("none")) continue;
            Filter f = null;
            for (Filter c : Filter.values()) if (c.label.equals(p)) f = c;
            if (p.equals("sobel") || p.equals("edges")) f = Filter.GRADIENT;
            if (p.equals("differenceofgaussians")) f = Filter.DOG;
            if (p.equals("gaussianblur") || p.equals("blur")) f = Filter.GAUSSIAN;
            if (p.equals("tubeness") || p.equals("vesselness")) f = Filter.HESSIAN;
            if (f == null) {
                List<String> names = new ArrayList<>();
                for (Filter c : Filter.values()) names.add(c.label);
                throw new SegmentationException("unknown filter '" + part.trim() + "': use any of " + String.join(", ", names) + ".");
            }
            out.add(f);
        }
        // a fixed order, whatever the typed one, so that equal settings give equal features
        List<Filter> sorted = new ArrayList<>(out);
        sorted.sort(null);
        return sorted;
    }

    /** "1,2,4": positive sigmas in pixels, at most 64, increasing after sorting; duplicates dropped. */
    public static double[] parseSigmas(String s) {
        if (s == null || s.trim().isEmpty()) return new double[0];
        List<Double> v = new ArrayList<>();
        for (String part : s.split("[,;\\s]+")) {
            if (part.trim().isEmpty()) continue;
            double d;
            try {
                d = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new SegmentationException("sigmas must be numbers like 1,2,4; got '" + s + "'.");
            }
            if (!(d >= 0.3 && d <= 64)) throw new SegmentationException("each sigma must be from 0.3 to 64 pixels; got " + part.trim() + ".");
            if (!v.contains(d)) v.add(d);
        }
        if (v.size() > 8) throw new SegmentationException("at most 8 sigmas; got " + v.size() + ".");
        return v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    public String filterText() {
        List<String> n = new ArrayList<>();
        for (Filter f : filters) n.add(f.label);
        return String.join(",", n);
    }

    public boolean isNone() { return filters.isEmpty() && background == Background.NONE; }

    /** Feature channels per input channel: the intensity and every filter response. */
    public int perChannel() {
        int n = 1;
        int dims = volumetric ? 3 : 2;
        for (Filter f : filters) n += f == Filter.DOG ? sigmas.length - 1 : f == Filter.HESSIAN ? dims * sigmas.length : sigmas.length;
        return n;
    }

    /** Names of the feature channels of an image with c channels, in their order. */
    public List<String> names(int c) {
        List<String> out = new ArrayList<>();
        for (int ch = 0; ch < c; ch++) out.add("c" + (ch + 1));
        int dims = volumetric ? 3 : 2;
        for (Filter f : filters) {
            if (f == Filter.DOG) {
                for (int s = 0; s + 1 < sigmas.length; s++) {
                    for (int ch = 0; ch < c; ch++) out.add("c" + (ch + 1) + " dog " + fmt(sigmas[s]) + "-" + fmt(sigmas[s + 1]));
                }
                continue;
            }
            for (double s : sigmas) {
                int parts = f == Filter.HESSIAN ? dims : 1;
                for (int e = 0; e < parts; e++) {
                    for (int ch = 0; ch < c; ch++) {
                        out.add("c" + (ch + 1) + " " + f.label + " " + fmt(s) + (parts > 1 ? " l" + (e + 1) : ""));
                    }
                }
            }
        }
        return out;
    }

    private static String fmt(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v); }

    static int gaussRadius(double sigma) { return sigma > 0 ? (int) Math.ceil(3 * sigma) : 0; }

    private static int boxRadius(double sigma) { return Math.max(1, (int) Math.round(sigma)); }

    static int lineRadius(double sigma) { return Math.max(1, (int) Math.round(2 * sigma)); }

    /** The opening's square edges smoothed away (sigma relative to its radius). */
    static final double OPENING_SMOOTHING = 0.5;

    /** Halo in x and y: the background blur, the smoothing and the widest filter, chained. */
    public int radius(double smoothing) {
        int bg = background == Background.OPENING
                ? 2 * (int) Math.round(backgroundSigma) + gaussRadius(OPENING_SMOOTHING * backgroundSigma) : gaussRadius(backgroundSigma);
        return bg + gaussRadius(smoothing) + filterRadius(false, 1) + fillReach();   // + the fill of invalid pixels the filters see
    }

    /** Halo in z (volumetric stacks only): the filters' z reach for that voxel depth ratio. */
    public int zRadius(double voxelDepthRatio) { return volumetric ? filterRadius(true, voxelDepthRatio) : 0; }

    private int filterRadius(boolean alongZ, double zRatio) {
        int r = 0;
        for (Filter f : filters) {
            for (double s : sigmas) {
                int fr = f == Filter.MEAN || f == Filter.VARIANCE ? boxRadius(s / zRatio) : f == Filter.LINE ? (alongZ ? 0 : lineRadius(s))
                        : gaussRadius(s / zRatio);
                r = Math.max(r, fr);
            }
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------

    /** Shading correction of every channel of every plane, in place (before smoothing and filters). */
    public void correctBackground(RawPixels raw, int w, int h, int threads) {
        if (background == Background.NONE) return;
        RawPixels blur = raw.copy();
        if (background == Background.OPENING) {
            Smoothing.opening(blur, w, h, (int) Math.round(backgroundSigma), threads);
            Smoothing.gaussian(blur, w, h, OPENING_SMOOTHING * backgroundSigma, threads);
        } else {
            Smoothing.gaussian(blur, w, h, backgroundSigma, threads);
        }
        float[] v = raw.values, b = blur.values;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) continue;
            // divide: a flat field; its scale is lost, so features stay comparable across images
            float r = background != Background.DIVIDE ? v[i] - b[i] : b[i] > 0 ? v[i] / b[i] : 0f;
            v[i] = Float.isFinite(r) ? r : 0f;
        }
    }

    /**
     * The feature channels of raw (w x h x planes, planes = depth x frames): the intensities, then
     * the filter responses. A volume of depth planes is filtered as 3D when volumetric, else each
     * plane alone. Invalid (NaN) pixels stay NaN in every feature; their neighbours see them filled
     * from the valid pixels around them ({@link #fillInvalid}), so that a mask's outline (a fundus
     * image's field of view) is not an edge to the filters.
     */
    public RawPixels apply(RawPixels raw, int w, int h, int depth, double zRatio, int threads) {
        if (filters.isEmpty()) return raw;
        int c = raw.channels, n = raw.pixels, f = perChannel();
        int plane = w * h, blockDepth = volumetric ? depth : 1, blocks = n / (plane * blockDepth);
        float[] out = new float[n * c * f];
        for (int p = 0; p < n; p++) System.arraycopy(raw.values, p * c, out, p * c * f, c);
        int jobs = blocks * c;
        // threads left over when there are fewer (block, channel) jobs than threads go into each job's convolutions
        int inner = Math.max(1, threads / Math.max(1, Math.min(jobs, threads)));
        forEach(jobs, threads, job -> {
            int b = job / c, ch = job % c, size = plane * blockDepth, off = b * size;
            float[] in = new float[size];
            for (int i = 0; i < size; i++) in[i] = raw.values[(off + i) * c + ch];
            if (raw.nanCount > 0) for (int z = 0; z < blockDepth; z++) fillInvalid(in, z * plane, w, h, fillReach());
            List<float[]> resp = responses(in, w, h, blockDepth, zRatio, inner);
            for (int k = 0; k < resp.size(); k++) {
                float[] r = resp.get(k);
                int col = c + k * c + ch;
                for (int i = 0; i < size; i++) out[(off + i) * c * f + col] = r[i];
            }
        });
        if (raw.nanCount > 0) {
            for (int p = 0; p < n; p++) if (!raw.isValid(p)) Arrays.fill(out, p * c * f, (p + 1) * c * f, Float.NaN);
        }
        return raw.derived(out, c * f);
    }

    /** How far from a valid pixel invalid ones are filled: the widest filter's reach, all a valid pixel's filters see. */
    private int fillReach() { return filterRadius(false, 1); }

    /**
     * The invalid (non-finite) pixels of the w x h plane at off, in place: the Gaussian-weighted
     * mean of the valid pixels within reach (a normalised convolution, sigma reach / 3), 0 farther
     * away, where no valid pixel's filter looks.
     */
    static void fillInvalid(float[] v, int off, int w, int h, int reach) {
        int n = w * h, r = Math.max(1, reach);
        double sigma = r / 3.0;
        double[] k = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
        double[] num = new double[n], den = new double[n], tn = new double[n], td = new double[n];
        boolean any = false;
        for (int p = 0; p < n; p++) {
            float x = v[off + p];
            if (Float.isFinite(x)) { num[p] = x; den[p] = 1; } else any = true;
        }
        if (!any) return;
        for (int y = 0; y < h; y++) {          // rows, then columns; no mirroring: outside the plane is no data
            for (int x = 0; x < w; x++) {
                double a = 0, b = 0;
                for (int j = Math.max(-r, -x); j <= Math.min(r, w - 1 - x); j++) { a += k[j + r] * num[y * w + x + j]; b += k[j + r] * den[y * w + x + j]; }
                tn[y * w + x] = a;
                td[y * w + x] = b;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (Float.isFinite(v[off + p])) continue;
                double a = 0, b = 0;
                for (int j = Math.max(-r, -y); j <= Math.min(r, h - 1 - y); j++) { a += k[j + r] * tn[p + j * w]; b += k[j + r] * td[p + j * w]; }
                v[off + p] = b > 1e-12 ? (float) (a / b) : 0f;
            }
        }
    }

    /** Runs task(0..n-1) on up to threads threads (core has no thread pool of its own: a few long jobs). */
    static void forEach(int n, int threads, java.util.function.IntConsumer task) {
        int t = Math.max(1, Math.min(threads, n));
        if (t == 1) { for (int i = 0; i < n; i++) task.accept(i); return; }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] ts = new Thread[t];
        for (int i = 0; i < t; i++) {
            ts[i] = new Thread(() -> {
                try {
                    for (int j; (j = next.getAndIncrement()) < n && failed.get() == null; ) task.accept(j);
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, "unseg-features");
            ts[i].start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
        }
        Throwable e = failed.get();
        if (e instanceof RuntimeException) throw (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
    }

    /** Work on index ranges [from, to) of 0..n-1. */
    interface RangeTask { void run(int from, int to); }

    /** Splits 0..n-1 into threads contiguous ranges, one per thread (each value's work independent of the split). */
    static void forRanges(int n, int threads, RangeTask task) {
        int t = Math.max(1, threads);
        forEach(t, t, part -> task.run((int) ((long) n * part / t), (int) ((long) n * (part + 1) / t)));
    }

    /** Filter responses of one channel of one block (x fastest), in the channel order of {@link #names}. */
    List<float[]> responses(float[] in, int w, int h, int d, double zRatio, int threads) {
        Conv conv = new Conv(in, w, h, d, volumetric, zRatio, threads);
        List<float[]> out = new ArrayList<>();
        int size = in.length;
        for (Filter f : filters) {
            switch (f) {
                case GAUSSIAN:
                    for (double s : sigmas) out.add(conv.get(s, 0, 0, 0));
                    break;
                case DOG:
                    for (int i = 0; i + 1 < sigmas.length; i++) {
                        float[] a = conv.get(sigmas[i], 0, 0, 0), b = conv.get(sigmas[i + 1], 0, 0, 0), r = new float[size];
                        for (int p = 0; p < size; p++) r[p] = a[p] - b[p];
                        out.add(r);
                    }
                    break;
                case GRADIENT:
                    for (double s : sigmas) {
                        float[] gx = conv.get(s, 1, 0, 0), gy = conv.get(s, 0, 1, 0), gz = volumetric ? conv.get(s, 0, 0, 1) : null;
                        float[] r = new float[size];
                        for (int p = 0; p < size; p++) {
                            double m = (double) gx[p] * gx[p] + (double) gy[p] * gy[p] + (gz != null ? (double) gz[p] * gz[p] : 0);
                            r[p] = (float) Math.sqrt(m);
                        }
                        out.add(r);
                    }
                    break;
                case LAPLACIAN:
                    for (double s : sigmas) {
                        float[] xx = conv.get(s, 2, 0, 0), yy = conv.get(s, 0, 2, 0), zz = volumetric ? conv.get(s, 0, 0, 2) : null;
                        float[] r = new float[size];
                        for (int p = 0; p < size; p++) r[p] = xx[p] + yy[p] + (zz != null ? zz[p] : 0f);
                        out.add(r);
                    }
                    break;
                case HESSIAN:
                    for (double s : sigmas) {
                        float[] xx = conv.get(s, 2, 0, 0), yy = conv.get(s, 0, 2, 0), xy = conv.get(s, 1, 1, 0);
                        if (!volumetric) {
                            float[] l1 = new float[size], l2 = new float[size];
                            for (int p = 0; p < size; p++) {
                                double m = 0.5 * (xx[p] + yy[p]), q = Math.sqrt(0.25 * (xx[p] - yy[p]) * (xx[p] - yy[p]) + (double) xy[p] * xy[p]);
                                l1[p] = (float) (m + q);
                                l2[p] = (float) (m - q);
                            }
                            out.add(l1);
                            out.add(l2);
                        } else {
                            float[] zz = conv.get(s, 0, 0, 2), xz = conv.get(s, 1, 0, 1), yz = conv.get(s, 0, 1, 1);
                            float[] l1 = new float[size], l2 = new float[size], l3 = new float[size];
                            double[] e = new double[3];
                            for (int p = 0; p < size; p++) {
                                eigenSymmetric3(xx[p], yy[p], zz[p], xy[p], xz[p], yz[p], e);
                                l1[p] = (float) e[0];
                                l2[p] = (float) e[1];
                                l3[p] = (float) e[2];
                            }
                            out.add(l1);
                            out.add(l2);
                            out.add(l3);
                        }
                    }
                    break;
                case MEAN:
                    for (double s : sigmas) out.add(conv.box(in, boxRadius(s), boxRadius(s / zRatio)));
                    break;
                case VARIANCE:
                    for (double s : sigmas) {
                        int r = boxRadius(s), rz = boxRadius(s / zRatio);
                        float[] m = conv.box(in, r, rz);
                        float[] sq = new float[size];
                        for (int p = 0; p < size; p++) sq[p] = in[p] * in[p];
                        float[] m2 = conv.box(sq, r, rz), v = new float[size];
                        for (int p = 0; p < size; p++) v[p] = Math.max(0f, m2[p] - m[p] * m[p]);
                        out.add(v);
                    }
                    break;
                case LINE:
                    for (double s : sigmas) out.add(LineDetector.response(in, w, h, d, lineRadius(s), threads));
                    break;
                default:
                    throw new IllegalStateException(f.toString());
            }
        }
        return out;
    }

    /** Eigenvalues of a symmetric 3x3 matrix, largest first (the trigonometric solution of the characteristic cubic). */
    static void eigenSymmetric3(double a, double b, double c, double d, double e, double f, double[] out) {
        // matrix [[a, d, e], [d, b, f], [e, f, c]]
        double p1 = d * d + e * e + f * f;
        if (p1 == 0) {
            out[0] = a; out[1] = b; out[2] = c;
            Arrays.sort(out);
            double t = out[0]; out[0] = out[2]; out[2] = t;
            return;
        }
        double q = (a + b + c) / 3;
        double p2 = (a - q) * (a - q) + (b - q) * (b - q) + (c - q) * (c - q) + 2 * p1;
        double p = Math.sqrt(p2 / 6);
        double ba = (a - q) / p, bb = (b - q) / p, bc = (c - q) / p, bd = d / p, be = e / p, bf = f / p;
        double det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be);
        double r = Math.max(-1, Math.min(1, det / 2));
        double phi = Math.acos(r) / 3;
        out[0] = q + 2 * p * Math.cos(phi);
        out[2] = q + 2 * p * Math.cos(phi + 2 * Math.PI / 3);
        out[1] = 3 * q - out[0] - out[2];
    }

    /** Separable Gaussian-derivative convolutions of one block, each partial result computed once. */
    static final class Conv {
        private final float[] in;
        private final int w, h, d;
        private final boolean threeD;
        private final double zRatio;
        private final int threads;
        private final Map<String, float[]> memo = new HashMap<>();

        Conv(float[] in, int w, int h, int d, boolean threeD, double zRatio, int threads) {
            this.in = in; this.w = w; this.h = h; this.d = d; this.threeD = threeD; this.zRatio = zRatio; this.threads = threads;
        }

        /** The image convolved with the Gaussian's ox-th derivative along x, oy-th along y, oz-th along z. */
        float[] get(double sigma, int ox, int oy, int oz) {
            String kx = sigma + "x" + ox, kxy = kx + "y" + oy, key = kxy + "z" + oz;
            float[] r = memo.get(key);
            if (r != null) return r;
            float[] a = memo.computeIfAbsent(kx, k -> line(in, 0, kernel(sigma, ox, 1)));
            float[] b = memo.computeIfAbsent(kxy, k -> line(a, 1, kernel(sigma, oy, 1)));
            r = threeD ? line(b, 2, kernel(sigma / zRatio, oz, zRatio)) : b;
            memo.put(key, r);
            return r;
        }

        /** Box mean of radius r in x, y (rz in z when 3D). */
        float[] box(float[] src, int r, int rz) {
            float[] k = new float[2 * r + 1];
            Arrays.fill(k, 1f / k.length);
            float[] out = line(line(src, 0, k), 1, k);
            if (threeD) {
                float[] kz = new float[2 * rz + 1];
                Arrays.fill(kz, 1f / kz.length);
                out = line(out, 2, kz);
            }
            return out;
        }

        /**
         * Derivative of order 0, 1 or 2 of a Gaussian, sampled; the derivative in units of x pixels
         * (scale = voxel depth ratio for z, whose pixels are that much longer).
         */
        static float[] kernel(double sigma, int order, double scale) {
            int r = Math.max(1, gaussRadius(sigma));
            double[] v = new double[2 * r + 1];
            double s2 = sigma * sigma, sum = 0, mean = 0;
            for (int i = -r; i <= r; i++) {
                double g = Math.exp(-0.5 * i * i / s2);
                // line() correlates (out[x] = sum k[u] in[x + u]): so +u, not -u, for d/dx
                v[i + r] = order == 0 ? g : order == 1 ? i * g : (i * i - s2) * g;
                mean += v[i + r];
            }
            mean /= v.length;
            for (int i = -r; i <= r; i++) {
                if (order == 2) v[i + r] -= mean;                     // a second derivative of a constant is 0
                sum += order == 0 ? v[i + r] : order == 1 ? i * v[i + r] : 0.5 * i * i * v[i + r];
            }
            // normalised so that a constant, a ramp and a parabola give exactly 1, 1 and 2 despite the truncation
            float[] k = new float[2 * r + 1];
            for (int i = 0; i < v.length; i++) k[i] = (float) (v[i] / sum / Math.pow(scale, order));
            return k;
        }

        /**
         * Convolution along one axis (0 x, 1 y, 2 z), borders mirrored; out[i] = sum_j k[j] in[i + j - r].
         * Along y and z whole rows of x are added at a time (memory in order, not a column gathered
         * with a stride); each output value is summed in double in the same order j either way. The
         * rows are split among the threads.
         */
        private float[] line(float[] src, int axis, float[] k) {
            float[] out = new float[src.length];
            int r = k.length / 2;
            if (axis == 0) {
                forRanges(src.length / w, threads, (from, to) -> {
                    float[] buf = new float[w + 2 * r];
                    for (int l = from; l < to; l++) {
                        int base = l * w;
                        System.arraycopy(src, base, buf, r, w);
                        for (int i = 1; i <= r; i++) {
                            buf[r - i] = buf[r + mirror(-i, w)];
                            buf[r + w - 1 + i] = buf[r + mirror(w - 1 + i, w)];
                        }
                        for (int i = 0; i < w; i++) {
                            double s = 0;
                            for (int j = 0; j < k.length; j++) s += k[j] * buf[i + j];
                            out[base + i] = (float) s;
                        }
                    }
                });
                return out;
            }
            // Output rows of w values, each the sum over j of the source rows i + j - r along the axis:
            // y: groups = planes (stride w * h), rows i step w; z: groups = the h rows y (stride w), planes i step w * h.
            int n = axis == 1 ? h : d, groupStride = axis == 1 ? w * h : w, step = axis == 1 ? w : w * h;
            int groups = axis == 1 ? src.length / (w * h) : h;
            forRanges(groups * n, threads, (from, to) -> {
                double[] acc = new double[w];
                for (int o = from; o < to; o++) {
                    int base = (o / n) * groupStride, i = o % n;
                    java.util.Arrays.fill(acc, 0);
                    for (int j = 0; j < k.length; j++) {
                        float kj = k[j];   // a float product, widened: the same value as the x pass's k[j] * buf[i + j]
                        int row = base + mirror(i + j - r, n) * step;
                        for (int x = 0; x < w; x++) acc[x] += kj * src[row + x];
                    }
                    int dst = base + i * step;
                    for (int x = 0; x < w; x++) out[dst + x] = (float) acc[x];
                }
            });
            return out;
        }

        static int mirror(int q, int n) {
            while (q < 0 || q >= n) q = q < 0 ? -q - 1 : 2 * n - q - 1;
            return q;
        }
    }
}

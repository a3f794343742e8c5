package io.github.unseg.label;

import io.github.unseg.core.CancelledException;
import io.github.unseg.core.SegmentationException;

import java.util.Arrays;
import java.util.Locale;

/**
 * Objects from a cluster label image, as a biologist would make them by hand: the foreground
 * clusters (by a fixed rule on the labels, which every method numbers from darkest to brightest),
 * holes filled, touching objects split by a seeded watershed on the distance transform, objects
 * below a size dropped. The result is an instance label image: 1..n, one id per object, 0 =
 * background (as StarDist and Cellpose give), numbered in raster order.
 * <p>
 * 2D planes or 3D volumes (depth > 1: 6-connected, the distance transform in voxels). Objects are
 * 4-connected in 2D, 6 in 3D, the watershed's connectivity too, so that two nuclei touching at a
 * corner are two objects.
 */
public final class Instances {

    /** Which clusters are foreground; labels are ordered by brightness (1 = darkest). */
    public enum Foreground {
        /** Darkest on a bright background ({@link Instances#brightBackground}: colour brightfield, H&E), else not-darkest. */
        AUTO("auto"), NOT_DARKEST("not-darkest"), BRIGHTEST("brightest"), DARKEST("darkest"), NOT_BRIGHTEST("not-brightest");

        private final String label;

        Foreground(String label) { this.label = label; }

        public String label() { return label; }

        public static Foreground parse(String s) {
            for (Foreground f : values()) {
                if (f.label.equalsIgnoreCase(s.trim()) || f.name().equalsIgnoreCase(s.trim())) return f;
            }
            throw new SegmentationException("Unknown foreground rule '" + s + "': use auto, not-darkest, brightest, darkest or not-brightest.");
        }

        /** The rule for an image with (true) or without a bright background: auto decides, the others stay. */
        public Foreground resolve(boolean brightBackground) {
            return this != AUTO ? this : brightBackground ? DARKEST : NOT_DARKEST;
        }

        /** Whether cluster {@code label} of {@code k} (1 = darkest) is foreground (auto unresolved: as not-darkest). */
        public boolean test(int label, int k) {
            if (label <= 0) return false;
            switch (this) {
                case AUTO:
                case NOT_DARKEST: return label > 1;
                case BRIGHTEST: return label == k;
                case DARKEST: return label == 1;
                default: return label < k;
            }
        }

        @Override public String toString() { return label; }
    }

    public Foreground foreground = Foreground.AUTO;
    /**
     * The image is a colour brightfield image (stain on a bright background: H&E, IHC), whose
     * objects are darker than what is around them: foreground auto takes the darkest cluster. Set
     * by the front end, which sees the image; off: auto is not-darkest (fluorescence, EM).
     */
    public boolean brightBackground;
    /**
     * These clusters (1 = darkest) are the objects, whatever the rule says; empty: the rule decides.
     * For what no rule names, e.g. the middle of three clusters (cells between a dark background and
     * bright debris). Numbers, not points, so that one setting means the same on every image a model labels.
     */
    public int[] foregroundClusters = {};
    /**
     * The foreground rule counts the labels present in each image (block), not 1..k: set for the
     * CNN, which numbers all its response channels by brightness but keeps only some (training and
     * region merging drop the rest), so that "not-darkest" leaves out its darkest label, not an
     * absent one. Not for clustering models, whose numbers mean the same on every image.
     */
    public boolean rulesOnPresentLabels;
    public boolean fillHoles = true;
    /** Smallest distance between two objects' centres for the watershed (pixels); 0 = no splitting. */
    public double seedDistance = 7;
    /**
     * Raise seedDistance to SEED_RADIUS_FRACTION x the image's typical object radius when that is
     * larger: a fixed 7 px cuts large cells (radius 25-40 px) at every bump of their outline.
     */
    public boolean autoSeedDistance = true;
    /**
     * Two touching round objects of radius R have centres about 2R apart (1.5R when pressed
     * together); seeds closer than 3/4 R are bumps of one object.
     */
    public static final double SEED_RADIUS_FRACTION = 0.75;
    /**
     * The automatic raise stops here: the distance transform's smoothing (sigma = distance / 3.5)
     * costs time in proportion, and a foreground that is one large region would otherwise ask for
     * a kernel as wide as the image. A larger seedDistance typed by the user still holds.
     */
    public static final double MAX_AUTO_SEED_DISTANCE = 50;
    /**
     * Objects touching the image's border in x or y, or a masked pixel (a mask, padding, NaN: the
     * field of view's edge there), are dropped (Analyze Particles' "exclude on edges"): the field
     * of view cuts them, so their size and intensity are not the object's.
     */
    public boolean excludeEdges;
    /** Objects smaller than this (pixels / voxels) are dropped. */
    public int minObjectSize = 10;
    /** Objects larger than this (pixels / voxels) are dropped: clumps, debris, a background taken for an object; 0 = no limit. */
    public int maxObjectSize = 0;
    /** Outlines moved to the strongest edge within this many pixels (0 = off); needs the image. */
    public double refineEdges = 0;
    /**
     * Objects the clusters left in the background, found again (0 = off; needs the image): connected
     * pieces of the background this many noise levels above its local level, not touching an object (or larger than those it touches)
     * and at least {@link #DIM_MIN_FRACTION} of a typical object's size. A cut that keeps bright
     * cells' outlines puts cells a few grey levels above the background below it (GOWT1: 7 of 23
     * cells on t39); a threshold low enough for them takes the bright nuclei's halos instead (DSB).
     * Pieces touching an object are halos and rims, so they stay background, unless larger than the
     * objects they touch and reaching beyond the smoothing's spread of them (then they are the dim
     * rest of those objects and join them). With the foreground
     * rule only: clusters named by number or point are the objects exactly.
     */
    public double dimObjects = 3;
    /** Objects whose outline contrast ({@link OutlineContrast#perObject}) is below this are dropped (0 = off; needs the image). */
    public double minOutlineContrast = 0;
    /** The local background's scale: the shading correction's default sigma. */
    static final double DIM_BACKGROUND_SIGMA = 50;
    /** Noise smoothed off first, so that a dim object's pixels are above the level together. */
    static final double DIM_SMOOTHING = 2;
    /** How far (in smoothing sigmas) the smoothing spreads an object into a halo: 3 sigma. */
    static final double DIM_HALO_REACH = 3;
    /** Smallest dim piece kept, relative to the size of the object holding the median object pixel. */
    static final double DIM_MIN_FRACTION = 0.1;
    private double usedSeedDistance = Double.NaN, usedRefineEdges = Double.NaN;
    private int dimFound, weakDropped;
    private double[] outlineContrast;

    /** "2" or "2,3" (any of , ; or spaces between), "" or none: cluster numbers, sorted, without repeats. */
    public static int[] parseClusters(String s) {
        String t = s == null ? "" : s.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("none")) return new int[0];
        java.util.TreeSet<Integer> v = new java.util.TreeSet<>();
        for (String part : t.split("[,;\\s]+")) {
            if (part.isEmpty()) continue;
            int c;
            try {
                c = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new SegmentationException("use cluster numbers like 2 or 2,3 (1 = the darkest cluster); got '" + s + "'.");
            }
            if (c < 1 || c > 65535) throw new SegmentationException("cluster numbers start at 1 (the darkest cluster); got " + part + ".");
            v.add(c);
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether cluster {@code label} of {@code k} is an object's: by foregroundClusters when given, else by the rule. */
    public boolean isForeground(int label, int k) { return isForeground(rule(), foregroundClusters, label, k); }

    /** The foreground rule in effect: auto resolved for this image. */
    public Foreground rule() { return foreground.resolve(brightBackground); }

    /** The same for a rule and sorted cluster numbers held elsewhere (a large image's blocks). */
    public static boolean isForeground(Foreground rule, int[] clusters, int label, int k) {
        if (clusters.length == 0) return rule.test(label, k);
        return label > 0 && Arrays.binarySearch(clusters, label) >= 0;
    }

    /** How the objects' clusters are chosen, for summaries: the rule, or "clusters 2,3". */
    public static String describeForeground(Foreground rule, int[] clusters) {
        if (clusters.length == 0) return rule.toString();
        StringBuilder b = new StringBuilder("clusters ");
        for (int i = 0; i < clusters.length; i++) b.append(i > 0 ? "," : "").append(clusters[i]);
        return b.toString();
    }

    /**
     * Refuses cluster numbers the model does not have (k clusters, numbered 1..k), before any
     * object is made; k <= 0: not known (a CNN's label count is its own).
     */
    public void checkClusters(int k, String spelt) {
        if (k <= 0 || foregroundClusters.length == 0) return;
        int top = foregroundClusters[foregroundClusters.length - 1];
        if (top > k) {
            throw new SegmentationException(spelt + (spelt.endsWith("=") ? "" : " ") + top + ": the labels have " + k + " clusters, numbered 1 (darkest) to "
                    + k + " (brightest); name clusters from 1 to " + k + ".");
        }
    }

    public void validate() {
        if (!(seedDistance >= 0) || seedDistance > 1000) {
            throw new SegmentationException("seedDistance must be between 0 and 1000 pixels, got " + seedDistance + ".");
        }
        if (minObjectSize < 1) throw new SegmentationException("minObjectSize must be >= 1, got " + minObjectSize + ".");
        if (maxObjectSize < 0) throw new SegmentationException("maxObjectSize must be >= 0 (0 = no limit), got " + maxObjectSize + ".");
        if (maxObjectSize > 0 && maxObjectSize < minObjectSize) {
            throw new SegmentationException("maxObjectSize " + maxObjectSize + " is below minObjectSize " + minObjectSize
                    + ": no object could be kept; raise maxObjectSize (0 = no limit) or lower minObjectSize.");
        }
        if (!(dimObjects >= 0) || dimObjects > 100) {
            throw new SegmentationException("dimObjects must be between 0 (off) and 100 noise levels, got " + dimObjects + ".");
        }
        if (!(refineEdges >= 0) || refineEdges > 100) {
            throw new SegmentationException("refineEdges must be between 0 and 100 pixels, got " + refineEdges + ".");
        }
        if (!(minOutlineContrast >= 0) || minOutlineContrast > 1000) {
            throw new SegmentationException("minOutlineContrast must be between 0 (off) and 1000, got " + minOutlineContrast + ".");
        }
    }

    /**
     * Instance ids for a volume of w x h x d cluster labels (0 = masked pixel, never foreground);
     * k is the number of clusters the model has (the brightest label), so that the rule does not
     * depend on which clusters this image happens to contain.
     */
    public int[] apply(int[] labels, int w, int h, int d, int k) {
        return apply(labels, null, w, h, d, k);
    }

    /** As above; intensity (one value per pixel, e.g. the mean over channels) is what refineEdges follows. */
    public int[] apply(int[] labels, float[] intensity, int w, int h, int d, int k) {
        validate();
        int n = w * h * d;
        if (labels.length != n) throw new IllegalArgumentException("labels " + labels.length + " != " + w + "x" + h + "x" + d);
        boolean[] fg = new boolean[n];
        checkClusters(k, "foregroundClusters");
        if (rulesOnPresentLabels && foregroundClusters.length == 0) {
            int max = 0;
            for (int v : labels) max = Math.max(max, v);
            int[] rank = new int[max + 1];
            for (int v : labels) if (v > 0) rank[v] = 1;
            int present = 0;
            for (int l = 1; l <= max; l++) if (rank[l] > 0) rank[l] = ++present;
            Foreground rule = rule();
            for (int p = 0; p < n; p++) fg[p] = labels[p] > 0 && rule.test(rank[labels[p]], present);
        } else {
            for (int p = 0; p < n; p++) fg[p] = isForeground(labels[p], k);
        }
        dimFound = 0;
        usedRefineEdges = Double.NaN;
        if (dimObjects > 0 && intensity != null && foregroundClusters.length == 0) {   // named clusters are the objects exactly
            // only clusters beyond the objects' may hold dim objects: below the lowest object cluster
            // (bright objects) or above the highest (dark ones); a brighter cluster that is not the
            // objects' (debris the user left out) is no dim object
            int lo = Integer.MAX_VALUE, hi = 0;
            for (int p = 0; p < n; p++) {
                if (fg[p]) { lo = Math.min(lo, labels[p]); hi = Math.max(hi, labels[p]); }
            }
            dimFound = addDimObjects(fg, labels, lo, hi, intensity, w, h, d, dimObjects, minObjectSize);
        }
        if (refineEdges > 0) {
            if (intensity == null || intensity.length != n) throw new IllegalArgumentException("refineEdges needs the image's intensities");
            boolean[] masked = new boolean[n];
            for (int p = 0; p < n; p++) masked[p] = labels[p] == 0;
            usedRefineEdges = refineEdges(fg, masked, intensity, w, h, d, refineEdges);
        }
        if (fillHoles) fillHoles(fg, w, h, d);
        int[] ids;
        if (seedDistance > 0) {
            float[] dist = distanceTransform(fg, w, h, d);
            usedSeedDistance = seedDistance(fg, dist, w, h, d);
            ids = watershed(fg, dist, w, h, d, usedSeedDistance);
        } else {
            usedSeedDistance = 0;
            ids = components(fg, w, h, d);
        }
        if (excludeEdges) dropOnEdges(ids, labels, w, h, d);
        ids = dropBySize(ids, minObjectSize, maxObjectSize);
        outlineContrast = intensity == null ? null : OutlineContrast.perObject(ids, intensity, w, h, d);
        weakDropped = 0;
        if (minOutlineContrast > 0) {
            if (outlineContrast == null) throw new IllegalArgumentException("minOutlineContrast needs the image's intensities");
            // each object judged by its figure among all the objects found (the one kept in the
            // measurements); no figure (no background to compare with): kept
            boolean[] keep = new boolean[outlineContrast.length];
            double[] kept = new double[outlineContrast.length];
            int next = 0;
            kept[0] = Double.NaN;
            for (int id = 1; id < keep.length; id++) {
                keep[id] = !(outlineContrast[id] < minOutlineContrast);
                if (keep[id]) kept[++next] = outlineContrast[id];   // ids are in raster order already: keepOnly keeps it
                else weakDropped++;
            }
            if (weakDropped > 0) {
                ids = keepOnly(ids, keep);
                outlineContrast = Arrays.copyOf(kept, next + 1);
            }
        }
        return ids;
    }

    /** The last {@link #apply}'s objects' outline contrasts (index = id; {@link OutlineContrast#perObject}); null without intensities. */
    public double[] outlineContrast() { return outlineContrast; }

    /** Objects the last {@link #apply} dropped under minOutlineContrast. */
    public int weakDropped() { return weakDropped; }

    /** Dim pieces the last {@link #apply} added to the foreground (before splitting and the size limits). */
    public int dimFound() { return dimFound; }

    /**
     * Adds to fg the pieces of the background that are z noise levels above its local level (below
     * it when the objects are the darker side): intensity smoothed (sigma {@link #DIM_SMOOTHING}),
     * minus the background's own mean within {@link #DIM_BACKGROUND_SIGMA} (objects left out, so
     * uneven illumination is followed); the noise level is the robust spread (1.4826 MAD) of that
     * residue over the background. A piece touching an object of typical size is its halo or rim and
     * stays, unless it is larger than the objects it touches together and reaches farther from them
     * than the smoothing spreads them (3 sigma). Per plane for the local level; 3D pieces are 6-connected. Returns the pieces added.
     */
    static int addDimObjects(boolean[] fg, int[] labels, int lowestObject, int highestObject, float[] intensity,
                             int w, int h, int d, double z, int minSize) {
        int n = fg.length, plane = w * h;
        // dark objects when no cluster is darker than theirs (clusters are numbered darkest first)
        boolean dark = true;
        for (int p = 0; p < n && dark; p++) if (labels[p] > 0 && labels[p] < lowestObject) dark = false;
        // the background: the clusters beyond the objects'; the rest (masked, or a cluster on the
        // objects' side that is not theirs) counts neither way
        boolean[] masked = new boolean[n];
        double sumFg = 0, sumBg = 0;
        int nFg = 0, nBg = 0;
        float[] a = new float[n];
        for (int p = 0; p < n; p++) {
            float v = intensity[p];
            a[p] = Float.isNaN(v) ? 0f : dark ? -v : v;   // dark objects: look below the level
            boolean beyond = dark ? labels[p] > highestObject : labels[p] < lowestObject;
            masked[p] = labels[p] == 0 || Float.isNaN(v) || (!fg[p] && !beyond);
            if (masked[p]) continue;
            if (fg[p]) { sumFg += v; nFg++; } else { sumBg += v; nBg++; }
        }
        if (nFg == 0 || nBg < 100) return 0;
        for (int zz = 0; zz < d; zz++) {
            float[] pl = d == 1 ? a : Arrays.copyOfRange(a, zz * plane, (zz + 1) * plane);
            gaussian(pl, w, h, 1, DIM_SMOOTHING);
            subtractLocalMean(pl, fg, masked, zz * plane, w, h, DIM_BACKGROUND_SIGMA);
            if (d > 1) System.arraycopy(pl, 0, a, zz * plane, plane);
        }
        // the residue's median and spread over the background (a fixed subsample: same labels every run)
        int step = Math.max(1, nBg / (1 << 18));
        float[] sample = new float[nBg / step + 1];
        int m = 0, seen = 0;
        for (int p = 0; p < n; p++) {
            if (fg[p] || masked[p]) continue;
            if (seen++ % step == 0 && m < sample.length) sample[m++] = a[p];
        }
        float[] s = Arrays.copyOf(sample, m);
        Arrays.sort(s);
        float median = s[m / 2];
        for (int i = 0; i < m; i++) s[i] = Math.abs(s[i] - median);
        Arrays.sort(s);
        // a floor on the noise for noise-free images: there a flat background's rounding would pass any level
        double noise = Math.max(1.4826 * s[m / 2], 0.01 * Math.abs(sumFg / nFg - sumBg / nBg));
        double level = median + z * noise;
        int[] cand = new int[n];
        boolean any = false;
        for (int p = 0; p < n; p++) {
            if (!fg[p] && !masked[p] && a[p] > level) { cand[p] = 1; any = true; }
        }
        if (!any) return 0;
        // a typical object: the one holding the median object pixel (specks do not count)
        int[] fgMask = new int[n];
        for (int p = 0; p < n; p++) fgMask[p] = fg[p] ? 1 : 0;
        ConnectedComponents.Objects objects = ConnectedComponents.label(fgMask, w, h, d, false);
        int[] objIds = objects.ids, objSize = objects.size;
        int[] sizes = Arrays.copyOfRange(objSize, 1, objects.count + 1);
        Arrays.sort(sizes);
        long total = 0, acc = 0;
        for (int v : sizes) total += v;
        int typical = minSize;
        for (int v : sizes) {
            acc += v;
            if (2 * acc >= total) { typical = v; break; }
        }
        int keep = (int) Math.max(minSize, Math.ceil(DIM_MIN_FRACTION * typical));
        ConnectedComponents.Objects pieces = ConnectedComponents.label(cand, w, h, d, false);
        int[] size = pieces.size;
        // the objects of typical size each piece touches
        java.util.Map<Integer, java.util.Set<Integer>> touched = new java.util.HashMap<>();
        int[] last = new int[pieces.count + 1];   // the object a piece touched last: most touches repeat it
        for (int p = 0; p < n; p++) {
            int c = pieces.ids[p];
            if (c == 0) continue;
            int x = p % w, y = (p / w) % h, zz = p / plane;
            if (x > 0) touch(c, p - 1, objIds, objSize, keep, last, touched);
            if (x + 1 < w) touch(c, p + 1, objIds, objSize, keep, last, touched);
            if (y > 0) touch(c, p - w, objIds, objSize, keep, last, touched);
            if (y + 1 < h) touch(c, p + w, objIds, objSize, keep, last, touched);
            if (zz > 0) touch(c, p - plane, objIds, objSize, keep, last, touched);
            if (zz + 1 < d) touch(c, p + plane, objIds, objSize, keep, last, touched);
        }
        // A halo or rim is thinner than its object and lies within the smoothing's reach of it. A
        // piece larger than the objects it touches together that reaches beyond that is the dim
        // rest of an object whose brightest part alone the clusters caught (a dim NIH3T3 nucleus
        // with a few bright specks merged into a piece): it joins them.
        boolean[] touches = new boolean[pieces.count + 1], larger = new boolean[pieces.count + 1];
        boolean anyLarger = false;
        for (java.util.Map.Entry<Integer, java.util.Set<Integer>> e : touched.entrySet()) {
            long around = 0;
            for (int o : e.getValue()) around += objSize[o];
            touches[e.getKey()] = true;
            anyLarger |= larger[e.getKey()] = size[e.getKey()] > around;
        }
        if (anyLarger) {
            boolean[] notFg = new boolean[n];
            for (int p = 0; p < n; p++) notFg[p] = !fg[p];
            float[] away = distanceTransform(notFg, w, h, d);
            for (int p = 0; p < n; p++) {
                int c = pieces.ids[p];
                if (c > 0 && larger[c] && touches[c] && away[p] > DIM_HALO_REACH * DIM_SMOOTHING) touches[c] = false;
            }
        }
        int added = 0;
        boolean[] counted = new boolean[pieces.count + 1];
        for (int p = 0; p < n; p++) {
            int c = pieces.ids[p];
            if (c == 0 || touches[c] || size[c] < keep) continue;
            fg[p] = true;
            if (!counted[c]) { counted[c] = true; added++; }
        }
        return added;
    }

    private static boolean ofTypicalSize(int[] ids, int[] size, int q, int keep) { return ids[q] > 0 && size[ids[q]] >= keep; }

    /** Notes that piece c touches the object at q, if that object is of typical size. */
    private static void touch(int c, int q, int[] objIds, int[] objSize, int keep, int[] last,
                              java.util.Map<Integer, java.util.Set<Integer>> touched) {
        if (!ofTypicalSize(objIds, objSize, q, keep) || last[c] == objIds[q]) return;
        last[c] = objIds[q];
        touched.computeIfAbsent(c, k -> new java.util.HashSet<>()).add(objIds[q]);
    }

    /**
     * Subtracts from one plane v (at offset in fg / masked) the mean of its background pixels within
     * a Gaussian of sigma: sums and counts on a grid of blocks sigma / 4 wide, smoothed there and read
     * back bilinearly (the background varies slowly; full-resolution kernels 6 sigma wide would cost
     * seconds). 0 where no background pixel is near.
     */
    static void subtractLocalMean(float[] v, boolean[] fg, boolean[] masked, int offset, int w, int h, double sigma) {
        int b = Math.max(1, (int) Math.round(sigma / 4));
        int gw = (w + b - 1) / b, gh = (h + b - 1) / b;
        float[] sum = new float[gw * gh], count = new float[gw * gh];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = offset + y * w + x;
                if (fg[p] || masked[p]) continue;
                int g = (y / b) * gw + x / b;
                sum[g] += v[y * w + x];
                count[g]++;
            }
        }
        gaussian(sum, gw, gh, 1, sigma / b);
        gaussian(count, gw, gh, 1, sigma / b);
        int[] x0 = new int[w], x1 = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            double gx = Math.min(Math.max((x + 0.5) / b - 0.5, 0), gw - 1);
            x0[x] = (int) gx;
            x1[x] = Math.min(x0[x] + 1, gw - 1);
            fx[x] = (float) (gx - x0[x]);
        }
        float[] rowSum = new float[gw], rowCount = new float[gw];
        for (int y = 0; y < h; y++) {
            double gy = Math.min(Math.max((y + 0.5) / b - 0.5, 0), gh - 1);
            int y0 = (int) gy, y1 = Math.min(y0 + 1, gh - 1);
            float fy = (float) (gy - y0);
            for (int g = 0; g < gw; g++) {   // the grid interpolated to this row, then along it
                rowSum[g] = (1 - fy) * sum[y0 * gw + g] + fy * sum[y1 * gw + g];
                rowCount[g] = (1 - fy) * count[y0 * gw + g] + fy * count[y1 * gw + g];
            }
            for (int x = 0; x < w; x++) {
                float c = (1 - fx[x]) * rowCount[x0[x]] + fx[x] * rowCount[x1[x]];
                float sm = (1 - fx[x]) * rowSum[x0[x]] + fx[x] * rowSum[x1[x]];
                int i = y * w + x;
                v[i] = c > 1e-3f ? v[i] - sm / c : 0f;
            }
        }
    }

    /**
     * Moves the foreground's outline to the strongest intensity edge within r pixels: a
     * marker-controlled watershed on the gradient magnitude (of the image smoothed with sigma 1),
     * flooded from the foreground shrunk by r and the background grown by r, so that the two meet
     * where the gradient peaks. A threshold or a cluster boundary sits at one grey level; an
     * object's edge is where the intensity changes fastest, and halos, blur and dim rims put the
     * two apart by a few pixels. Two objects never merge: where their fronts meet (a gap thinner
     * than 2r) a line of background stays. An object thinner than 2r has no core and goes (specks).
     * Where every object is that thin, r becomes half the thickest one's inscribed radius, so that
     * small objects are refined, not removed.
     * A thin line of background as dark as the background stays too (membranes; see keepDarkLines).
     * Masked pixels stay background and block the flood. Returns the r used.
     */
    public static double refineEdges(boolean[] fg, boolean[] masked, float[] intensity, int w, int h, int d, double r) {
        int n = fg.length;
        boolean anyFg = false, anyBg = false;
        boolean[] bg = new boolean[n];
        for (int p = 0; p < n; p++) {
            bg[p] = !fg[p];
            anyFg |= fg[p];
            anyBg |= bg[p];
        }
        if (!anyFg || !anyBg) return r;
        float[] toBg = distanceTransform(fg, w, h, d), toFg = distanceTransform(bg, w, h, d);
        // Markers: the background deeper than r, and each object's core deeper than r, labelled
        // by object, so that where two objects' fronts meet a line of background stays between
        // them (they never merge across a thin gap). An object with no core (thinner than 2r) goes.
        int[] fgMask = new int[n];
        for (int p = 0; p < n; p++) fgMask[p] = fg[p] ? 1 : 0;
        int[] objIds = ConnectedComponents.label(fgMask, w, h, d, false).ids;
        // every object thinner than 2r would go: they are small objects, not specks (nuclei of
        // radius 3 all went at r = 4); the reach becomes half the thickest one's inscribed radius
        float deepest = 0;
        for (int p = 0; p < n; p++) if (fg[p]) deepest = Math.max(deepest, toBg[p]);
        if (deepest <= r) r = deepest / 2.0;
        int[] ids = new int[n];
        boolean[] band = new boolean[n];
        for (int p = 0; p < n; p++) {
            if (masked[p] || (bg[p] && toFg[p] > r)) ids[p] = 1;
            else if (fg[p] && toBg[p] > r) ids[p] = objIds[p] + 1;
            else band[p] = true;
        }
        float[] a = new float[n];
        for (int p = 0; p < n; p++) a[p] = Float.isNaN(intensity[p]) ? 0f : intensity[p];
        gaussian(a, w, h, d, 1.0);
        keepDarkLines(ids, band, bg, masked, toFg, a, w, h, d);
        // flood() takes the highest value first: give it minus the gradient, lowest edges first
        float[] key = new float[n];
        int hw = w * h;
        for (int p = 0; p < n; p++) {
            int x = p % w, y = (p / w) % h, z = p / hw;
            double gx = (a[x + 1 < w ? p + 1 : p] - a[x > 0 ? p - 1 : p]) / 2.0;
            double gy = (a[y + 1 < h ? p + w : p] - a[y > 0 ? p - w : p]) / 2.0;
            double gz = d > 1 ? (a[z + 1 < d ? p + hw : p] - a[z > 0 ? p - hw : p]) / 2.0 : 0;
            key[p] = (float) -Math.sqrt(gx * gx + gy * gy + gz * gz);
        }
        flood(ids, key, band, w, h, d);
        for (int p = 0; p < n; p++) if (band[p] && ids[p] != 0) fg[p] = ids[p] > 1;
        // where two objects' fronts met, a line of background keeps them apart (the higher id gives
        // way to a front, any front pixel to another object's core)
        for (int p = 0; p < n; p++) {
            if (!band[p] || ids[p] <= 1) continue;
            int x = p % w, y = (p / w) % h, z = p / hw;
            if ((x > 0 && yields(ids, band, p, p - 1)) || (x < w - 1 && yields(ids, band, p, p + 1))
                    || (y > 0 && yields(ids, band, p, p - w)) || (y < h - 1 && yields(ids, band, p, p + w))
                    || (z > 0 && yields(ids, band, p, p - hw)) || (z < d - 1 && yields(ids, band, p, p + hw))) {
                fg[p] = false;
            }
        }
        return r;
    }

    /**
     * Thin lines of background as dark as the background (membranes between cells, at most 2r
     * wide) keep their middle as a background marker: without it no marker lies in them, and where
     * a gap joins the cells on both sides into one object, its front would fill the line. The
     * middle is the ridge of the distance to the foreground; "as dark" is at most the median of
     * the background's smoothed intensity. So where the background is mostly such lines (EM
     * sections) they stay; where it is wide and dark (fluorescence), a thin line, lifted by the
     * smoothing or a dim part of an object, is brighter than that and is filled as before.
     */
    private static void keepDarkLines(int[] ids, boolean[] band, boolean[] bg, boolean[] masked, float[] toFg, float[] a,
                                      int w, int h, int d) {
        int n = bg.length, hw = w * h, nb = 0;
        for (int p = 0; p < n; p++) if (bg[p] && !masked[p]) nb++;
        if (nb == 0) return;
        // the median of at most about a million background pixels, taken at a fixed stride (deterministic)
        int stride = Math.max(1, nb / 1_000_000);
        float[] sample = new float[(nb + stride - 1) / stride];
        int k = 0, seen = 0;
        for (int p = 0; p < n && k < sample.length; p++) {
            if (!bg[p] || masked[p]) continue;
            if (seen++ % stride == 0) sample[k++] = a[p];
        }
        java.util.Arrays.sort(sample, 0, k);
        float dark = sample[k / 2];
        for (int p = 0; p < n; p++) {
            if (!band[p] || !bg[p] || a[p] > dark) continue;
            int x = p % w, y = (p / w) % h, z = p / hw;
            float v = toFg[p];
            boolean ridge = (x == 0 || toFg[p - 1] <= v) && (x == w - 1 || toFg[p + 1] <= v)
                    && (y == 0 || toFg[p - w] <= v) && (y == h - 1 || toFg[p + w] <= v)
                    && (d == 1 || ((z == 0 || toFg[p - hw] <= v) && (z == d - 1 || toFg[p + hw] <= v)));
            if (ridge) {
                ids[p] = 1;
                band[p] = false;
            }
        }
    }

    private static boolean yields(int[] ids, boolean[] band, int p, int q) {
        return ids[q] > 1 && ids[q] != ids[p] && (ids[q] < ids[p] || !band[q]);
    }

    /** Background regions (4-/6-connected) that do not touch the image border become foreground. */
    public static void fillHoles(boolean[] fg, int w, int h, int d) {
        int[] bg = new int[fg.length];
        for (int p = 0; p < fg.length; p++) bg[p] = fg[p] ? 0 : 1;
        ConnectedComponents.Objects o = ConnectedComponents.label(bg, w, h, d, false);
        boolean[] border = new boolean[o.count + 1];
        for (int z = 0; z < d; z++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || (d > 1 && (z == 0 || z == d - 1));
                    if (edge) border[o.ids[(z * h + y) * w + x]] = true;
                }
            }
        }
        for (int p = 0; p < fg.length; p++) if (!fg[p] && !border[o.ids[p]]) fg[p] = true;
    }

    /** Foreground objects, 4-/6-connected, numbered in raster order. */
    public static int[] components(boolean[] fg, int w, int h, int d) {
        int[] m = new int[fg.length];
        for (int p = 0; p < fg.length; p++) m[p] = fg[p] ? 1 : 0;
        return ConnectedComponents.label(m, w, h, d, false).ids;
    }

    /**
     * Seeded watershed on the distance transform: seeds are the maxima of the Gaussian-smoothed
     * (sigma = seedDistance / 3.5) Euclidean distance to the background that are the largest value
     * within seedDistance (a plateau is one seed); regions grow from them by decreasing distance,
     * inside the foreground. A foreground component without a seed stays one object.
     */
    public static int[] watershed(boolean[] fg, int w, int h, int d, double seedDistance) {
        return watershed(fg, distanceTransform(fg, w, h, d), w, h, d, seedDistance);
    }

    /** As above, given the distance transform of fg (smoothed here in place). */
    static int[] watershed(boolean[] fg, float[] dist, int w, int h, int d, double seedDistance) {
        int n = fg.length;
        gaussian(dist, w, h, d, seedDistance / 3.5);
        int r = Math.max(1, (int) Math.round(seedDistance));
        float[] localMax = maxFilter(dist, w, h, d, r);
        int[] peak = new int[n];
        for (int p = 0; p < n; p++) peak[p] = fg[p] && dist[p] > 0 && dist[p] >= localMax[p] ? 1 : 0;
        // A plateau of equal maxima (8-/26-connected) is one seed.
        int[] ids = ConnectedComponents.label(peak, w, h, d, true).ids;
        flood(ids, dist, fg, w, h, d);
        // Components the flood did not reach (no seed of their own) become objects.
        int next = 0;
        for (int v : ids) next = Math.max(next, v);
        boolean[] rest = new boolean[n];
        boolean any = false;
        for (int p = 0; p < n; p++) if (fg[p] && ids[p] == 0) { rest[p] = true; any = true; }
        if (any) {
            int[] extra = components(rest, w, h, d);
            for (int p = 0; p < n; p++) if (extra[p] > 0) ids[p] = next + extra[p];
        }
        return ids;
    }

    /** The seed distance used on this foreground: seedDistance, raised to the objects' scale when autoSeedDistance. */
    public double seedDistance(boolean[] fg, float[] dist, int w, int h, int d) {
        if (!autoSeedDistance || seedDistance <= 0) return seedDistance;
        double auto = Math.min(MAX_AUTO_SEED_DISTANCE, SEED_RADIUS_FRACTION * typicalRadius(fg, dist, w, h, d, minObjectSize));
        return Math.max(seedDistance, auto);
    }

    /**
     * The median, over the connected pieces of foreground of at least minSize pixels, of each
     * piece's largest inscribed radius (dist: the distance transform of fg). A clump of touching
     * nuclei counts as its widest nucleus, so clumps do not inflate it; 0 without such pieces.
     */
    public static double typicalRadius(boolean[] fg, float[] dist, int w, int h, int d, int minSize) {
        int[] ids = components(fg, w, h, d);
        int count = 0;
        for (int v : ids) count = Math.max(count, v);
        float[] rmax = new float[count + 1];
        int[] size = new int[count + 1];
        for (int p = 0; p < ids.length; p++) {
            size[ids[p]]++;
            rmax[ids[p]] = Math.max(rmax[ids[p]], dist[p]);
        }
        double[] r = new double[count];
        int k = 0;
        for (int c = 1; c <= count; c++) if (size[c] >= minSize) r[k++] = rmax[c];
        if (k == 0) return 0;
        Arrays.sort(r, 0, k);
        return k % 2 == 1 ? r[k / 2] : (r[k / 2 - 1] + r[k / 2]) / 2;
    }

    /** Priority flood from the labelled seeds, highest distance first, ties in arrival order. */
    private static void flood(int[] ids, float[] dist, boolean[] fg, int w, int h, int d) {
        int n = ids.length;
        Heap heap = new Heap(Math.max(16, n / 8));
        for (int p = 0; p < n; p++) if (ids[p] > 0) pushNeighbours(p, ids, dist, fg, w, h, d, heap);
        long polled = 0;
        while (heap.size > 0) {
            int p = heap.pollIndex();
            if (ids[p] != 0) continue;
            ids[p] = heap.lastLabel;
            pushNeighbours(p, ids, dist, fg, w, h, d, heap);
            if ((++polled & 0xFFFFF) == 0 && Thread.currentThread().isInterrupted()) throw new CancelledException();
        }
    }

    private static void pushNeighbours(int p, int[] ids, float[] dist, boolean[] fg, int w, int h, int d, Heap heap) {
        int x = p % w, y = (p / w) % h, z = p / (w * h), label = ids[p];
        if (x > 0) offer(p - 1, label, ids, dist, fg, heap);
        if (x < w - 1) offer(p + 1, label, ids, dist, fg, heap);
        if (y > 0) offer(p - w, label, ids, dist, fg, heap);
        if (y < h - 1) offer(p + w, label, ids, dist, fg, heap);
        if (z > 0) offer(p - w * h, label, ids, dist, fg, heap);
        if (z < d - 1) offer(p + w * h, label, ids, dist, fg, heap);
    }

    private static void offer(int q, int label, int[] ids, float[] dist, boolean[] fg, Heap heap) {
        if (fg[q] && ids[q] == 0) heap.push(-dist[q], q, label);
    }

    /** Sets to 0 every object with a pixel in the first or last column or row of any slice. */
    static void dropOnEdges(int[] ids, int[] labels, int w, int h, int d) {
        int max = 0;
        for (int v : ids) max = Math.max(max, v);
        boolean[] edge = new boolean[max + 1];
        for (int z = 0, hw = w * h; z < d; z++) {
            for (int x = 0; x < w; x++) {
                edge[ids[z * hw + x]] = true;
                edge[ids[z * hw + (h - 1) * w + x]] = true;
            }
            for (int y = 0; y < h; y++) {
                edge[ids[z * hw + y * w]] = true;
                edge[ids[z * hw + y * w + w - 1]] = true;
            }
        }
        // a masked pixel (cluster label 0) beside an object in x or y: the field of view ends there
        for (int p = 0; p < ids.length; p++) {
            if (labels[p] != 0) continue;
            int x = p % w, y = (p / w) % h;
            if (x > 0) edge[ids[p - 1]] = true;
            if (x + 1 < w) edge[ids[p + 1]] = true;
            if (y > 0) edge[ids[p - w]] = true;
            if (y + 1 < h) edge[ids[p + w]] = true;
        }
        for (int p = 0; p < ids.length; p++) if (edge[ids[p]]) ids[p] = 0;
    }

    /** Drops the objects below minSize or above maxSize (0 = no limit) and numbers the rest 1..n in raster order of first pixel. */
    public static int[] dropBySize(int[] ids, int minSize, int maxSize) {
        int max = 0;
        for (int v : ids) max = Math.max(max, v);
        int[] size = new int[max + 1];
        for (int v : ids) size[v]++;
        boolean[] keep = new boolean[max + 1];
        for (int v = 1; v <= max; v++) keep[v] = size[v] >= minSize && (maxSize <= 0 || size[v] <= maxSize);
        return keepOnly(ids, keep);
    }

    /** The objects whose keep[id] is set, numbered 1..n in raster order of their first pixel; the rest 0. */
    static int[] keepOnly(int[] ids, boolean[] keep) {
        int[] map = new int[keep.length];
        Arrays.fill(map, -1);
        map[0] = 0;
        int next = 0;
        int[] out = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            int v = ids[p];
            if (map[v] < 0) map[v] = keep[v] ? ++next : 0;
            out[p] = map[v];
        }
        return out;
    }

    /**
     * Exact Euclidean distance (pixels) of each foreground pixel to the nearest background pixel;
     * 0 on the background. Outside the image is not background (as scipy's distance_transform_edt).
     * Felzenszwalb and Huttenlocher's separable lower-envelope transform, one axis at a time.
     */
    public static float[] distanceTransform(boolean[] fg, int w, int h, int d) {
        int n = fg.length;
        double inf = 1e20;
        double[] f = new double[n];
        for (int p = 0; p < n; p++) f[p] = fg[p] ? inf : 0;
        int len = Math.max(w, Math.max(h, d));
        double[] line = new double[len], out = new double[len], zz = new double[len + 1];
        int[] v = new int[len];
        for (int z = 0; z < d; z++) for (int y = 0; y < h; y++) pass(f, (z * h + y) * w, 1, w, line, out, v, zz);
        for (int z = 0; z < d; z++) for (int x = 0; x < w; x++) pass(f, z * h * w + x, w, h, line, out, v, zz);
        if (d > 1) for (int p = 0; p < w * h; p++) pass(f, p, w * h, d, line, out, v, zz);
        float[] r = new float[n];
        // No background anywhere: every pixel is as far as the image is wide.
        double cap = (double) len * len * 3;
        for (int p = 0; p < n; p++) r[p] = (float) Math.sqrt(Math.min(f[p], cap));
        return r;
    }

    private static void pass(double[] f, int start, int stride, int n, double[] g, double[] out, int[] v, double[] z) {
        for (int i = 0; i < n; i++) g[i] = f[start + i * stride];
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            // z[0] is -infinity, so the search always stops at k = 0.
            double s = intersect(g, q, v[k]);
            while (s <= z[k]) s = intersect(g, q, v[--k]);
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) k++;
            double dq = q - v[k];
            out[q] = dq * dq + g[v[k]];
        }
        for (int i = 0; i < n; i++) f[start + i * stride] = out[i];
    }

    private static double intersect(double[] g, int q, int p) {
        return ((g[q] + (double) q * q) - (g[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }

    /** Separable Gaussian (sigma in pixels, mirrored borders) over x, y and, in 3D, z; in place. */
    static void gaussian(float[] a, int w, int h, int d, double sigma) {
        if (!(sigma > 0)) return;
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) s += k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= s;
        int len = Math.max(w, Math.max(h, d));
        double[] line = new double[len];
        for (int z = 0; z < d; z++) for (int y = 0; y < h; y++) convolve(a, (z * h + y) * w, 1, w, k, r, line);
        for (int z = 0; z < d; z++) columns(a, z * h * w, w, h, k, r);
        if (d > 1) for (int p = 0; p < w * h; p++) convolve(a, p, w * h, d, k, r, line);
    }

    /**
     * The kernel along y of one plane, in place, row by row (a column at a time reads one value per
     * cache line: seconds on a large image). Rows already written are kept in a ring of the last
     * r + 1 originals; the sums run in the same order as convolve's, so the result is the same.
     */
    private static void columns(float[] a, int off, int w, int h, double[] k, int r) {
        float[][] ring = new float[r + 1][];
        double[] acc = new double[w];
        for (int y = 0; y < h; y++) {
            int slot = y % (r + 1);
            if (ring[slot] == null) ring[slot] = new float[w];
            System.arraycopy(a, off + y * w, ring[slot], 0, w);
            Arrays.fill(acc, 0);
            for (int j = -r; j <= r; j++) {
                int yy = mirror(y + j, h);
                double kj = k[j + r];
                if (yy <= y) {
                    float[] src = ring[yy % (r + 1)];
                    for (int x = 0; x < w; x++) acc[x] += kj * src[x];
                } else {
                    int base = off + yy * w;
                    for (int x = 0; x < w; x++) acc[x] += kj * a[base + x];
                }
            }
            for (int x = 0; x < w; x++) a[off + y * w + x] = (float) acc[x];
        }
    }

    private static void convolve(float[] a, int start, int stride, int n, double[] k, int r, double[] line) {
        for (int i = 0; i < n; i++) line[i] = a[start + i * stride];
        int lo = Math.min(r, n), hi = Math.max(lo, n - r);   // [lo, hi): the kernel inside the line, no mirroring
        for (int i = 0; i < n; i++) {
            double s = 0;
            if (i >= lo && i < hi) {
                for (int j = 0, b = i - r; j < k.length; j++) s += k[j] * line[b + j];
            } else {
                for (int j = -r; j <= r; j++) s += k[j + r] * line[mirror(i + j, n)];
            }
            a[start + i * stride] = (float) s;
        }
    }

    private static int mirror(int q, int n) {
        if (n == 1) return 0;
        while (q < 0 || q >= n) q = q < 0 ? -q - 1 : 2 * n - q - 1;
        return q;
    }

    /** Maximum over a (2r+1) square / cube window (clipped at the borders), separable. */
    static float[] maxFilter(float[] a, int w, int h, int d, int r) {
        float[] m = a.clone();
        int len = Math.max(w, Math.max(h, d));
        float[] line = new float[len];
        int[] dq = new int[len];
        for (int z = 0; z < d; z++) for (int y = 0; y < h; y++) max1d(m, (z * h + y) * w, 1, w, r, line, dq);
        for (int z = 0; z < d; z++) for (int x = 0; x < w; x++) max1d(m, z * h * w + x, w, h, r, line, dq);
        if (d > 1) for (int p = 0; p < w * h; p++) max1d(m, p, w * h, d, r, line, dq);
        return m;
    }

    private static void max1d(float[] a, int start, int stride, int n, int r, float[] line, int[] dq) {
        for (int i = 0; i < n; i++) line[i] = a[start + i * stride];
        // Monotone deque of indices: O(n) for any r.
        int head = 0, tail = 0, next = 0;
        for (int i = 0; i < n; i++) {
            int hi = Math.min(n - 1, i + r);
            while (next <= hi) {
                while (tail > head && line[dq[tail - 1]] <= line[next]) tail--;
                dq[tail++] = next++;
            }
            while (dq[head] < i - r) head++;
            a[start + i * stride] = line[dq[head]];
        }
    }

    /** Binary min-heap of (key, arrival, index, label): ties broken by arrival, so the flood is deterministic. */
    private static final class Heap {
        float[] key; long[] order; int[] index, label;
        int size;
        long arrivals;
        int lastLabel;

        Heap(int cap) { key = new float[cap]; order = new long[cap]; index = new int[cap]; label = new int[cap]; }

        void push(float k, int i, int l) {
            if (size == key.length) {
                int c = key.length * 2;
                key = Arrays.copyOf(key, c); order = Arrays.copyOf(order, c);
                index = Arrays.copyOf(index, c); label = Arrays.copyOf(label, c);
            }
            int s = size++;
            long o = arrivals++;
            while (s > 0) {
                int parent = (s - 1) >>> 1;
                if (!less(k, o, key[parent], order[parent])) break;
                move(parent, s);
                s = parent;
            }
            key[s] = k; order[s] = o; index[s] = i; label[s] = l;
        }

        int pollIndex() {
            int top = index[0];
            lastLabel = label[0];
            size--;
            if (size > 0) {
                float k = key[size]; long o = order[size]; int i = index[size], l = label[size];
                int s = 0;
                while (true) {
                    int c = 2 * s + 1;
                    if (c >= size) break;
                    if (c + 1 < size && less(key[c + 1], order[c + 1], key[c], order[c])) c++;
                    if (!less(key[c], order[c], k, o)) break;
                    move(c, s);
                    s = c;
                }
                key[s] = k; order[s] = o; index[s] = i; label[s] = l;
            }
            return top;
        }

        private void move(int from, int to) {
            key[to] = key[from]; order[to] = order[from]; index[to] = index[from]; label[to] = label[from];
        }

        private static boolean less(float k1, long o1, float k2, long o2) {
            return k1 < k2 || (k1 == k2 && o1 < o2);
        }
    }

    @Override
    public String toString() { return describe(null); }

    /** The settings; used: the seed distances the images got when scaled to their objects (e.g. "7.5" or "7.5-20.3"). */
    public String describe(String used) { return describe(used, -1, null); }

    /**
     * As above; dimAdded: the dim pieces found (summed over the images), or -1 if not known;
     * refined: the reaches the edges were refined within where less than refineEdges (small objects), or null.
     */
    public String describe(String used, int dimAdded, String refined) { return describe(used, dimAdded, refined, -1); }

    /** As above; weakDropped: the objects dropped under minOutlineContrast (summed over the images), or -1 if not known. */
    public String describe(String used, int dimAdded, String refined, int weakDropped) {
        String seeds = autoSeedDistance && seedDistance > 0 ? (used == null ? " (or the objects' scale)" : ", scaled to the objects: " + used) : "";
        return String.format(Locale.ROOT, "objects: foreground %s, fill holes %s, seed distance %s%s, min size %d",
                foreground == Foreground.AUTO && foregroundClusters.length == 0 ? "auto: " + rule() : describeForeground(foreground, foregroundClusters), fillHoles ? "on" : "off", seedDistance, seeds, minObjectSize)
                + (dimObjects > 0 && foregroundClusters.length == 0 ? String.format(Locale.ROOT, ", dim objects %s noise levels up%s", dimObjects,
                        dimAdded >= 0 ? " (" + dimAdded + " found)" : "") : "")
                + (refineEdges > 0 ? String.format(Locale.ROOT, ", edges refined within %s%s", refineEdges,
                        refined == null ? "" : ", scaled to the objects: " + refined) : "")
                + (maxObjectSize > 0 ? ", max size " + maxObjectSize : "")
                + (minOutlineContrast > 0 ? String.format(Locale.ROOT, ", outline contrast below %s dropped%s", minOutlineContrast,
                        weakDropped >= 0 ? " (" + weakDropped + ")" : "") : "")
                + (excludeEdges ? ", objects on the image's edges excluded" : "");
    }

    /** The seed distance the last {@link #apply} used (seedDistance, or raised to the objects' scale); NaN before any. */
    public double usedSeedDistance() { return usedSeedDistance; }

    /** The reach the last {@link #apply} refined edges within (refineEdges, or less for small objects); NaN before any or without refinement. */
    public double usedRefineEdges() { return usedRefineEdges; }
}

package io.github.unseg.cnn;

import io.github.unseg.cluster.Parallel;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureOptions;
import io.github.unseg.core.FeaturePrep;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.LabelOrder;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.segment.Segmenter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Unsupervised CNN segmentation (Kanezaki, ICASSP 2018; Kim, Kanezaki and Tanaka, IEEE TIP 2020):
 * the network is trained on the image itself to agree with its own argmax pseudo-labels while
 * keeping neighbouring responses alike, until at most {@link #minLabels} labels remain or
 * {@link #maxIterations} have passed. The fitted model (the trained network) labels any image
 * with the same channels. Stacks: trained on the middle slice (or {@link #trainingSlices}), each
 * slice labelled with it; or, with {@link #volumetric}, a 3D network over the whole volume.
 * Optional {@link #scribbles} (class hints) as in TIP 2020.
 * Features: normalization, NaN policy and smoothing (coordinates are not used).
 * The pieces: {@link CnnModel} (the trained network, labelling), {@link Blocks} (tiles and
 * blocks), {@link ScribbleHints}, {@link SizeLimits}, and {@link KanezakiNet} (layers, loss, SGD).
 */
public class CnnSegmenter implements Segmenter, Cloneable {
    public FeatureOptions features = new FeatureOptions();
    public long seed = 1;
    public int threads = Parallel.defaultThreads();
    // Defaults for users (fast: seconds, not minutes, see the README's measurements); the
    // reference's settings are the "tip2020" preset.
    /** Response channels C (reference: 100). */
    public int nChannels = 32;
    /** Number of conv3x3 blocks (reference: 2). */
    public int nConv = 2;
    /** At most this many iterations (reference: 1000; the stopping rule usually ends it sooner). */
    public int maxIterations = 200;
    public int minLabels = 3;
    public double similarityWeight = 1.0;
    /** Weight of the continuity loss (reference: 1). */
    public double continuityWeight = 2.0;
    public double learningRate = 0.1;
    public double momentum = 0.9;
    /**
     * Train on at most this many pixels: a larger plane is trained on a box-downscaled copy, or on
     * tiles of one (see MAX_DOWNSCALE); 0 = never.
     * Labelling always uses the full image, in tiles, so memory stays bounded on any size.
     */
    public int trainingPixels = 40_000;
    /**
     * Downscaled further than this, objects become specks that the network merges into the
     * background (a 2048 x 2048 image of 35-pixel disks, at 1/11 scale: the disks lost for 3 of 5
     * seeds); past it, the training plane is a mosaic of MOSAIC_GRID x MOSAIC_GRID tiles, spread
     * over the plane, at this scale (the disks found for 5 of 5).
     */
    static final int MAX_DOWNSCALE = 4, MOSAIC_GRID = 3;
    /** Tile side for labelling (pixels); tiles overlap by nConv pixels, so results do not depend on it. */
    public int tileSize = 256;   // 512 measured slower (far more system time in page faults) and scaled worse over two threads
    /**
     * Stacks: the slices (1-based z, of the middle frame) to train on, the rest labelled with the
     * trained network (the reference's "reference image" mode); null or empty = the middle slice.
     */
    public int[] trainingSlices;
    /**
     * Scribbles (TIP 2020): class hints for the training plane, row-major, 0 = no hint, 1..k =
     * class; the length of one plane, or of the whole first image (then its training slice's part
     * is used). Hinted pixels get a cross-entropy to their class (weight {@link #scribbleWeight});
     * class j becomes label j, and training stops at k labels (the reference sets minLabels to k).
     */
    public int[] scribbles;
    /**
     * True 3D on stacks: convolutions over the whole volume (the middle frame; see zKernel), continuity
     * along z too, with weight (x spacing / z spacing) from the calibration; otherwise stacks are
     * handled plane by plane. Volumes past trainingPixels voxels train on an xy-downscaled copy.
     */
    public boolean volumetric;
    /**
     * 3D: kernel depth of the conv blocks. 1 (default): 3x3x1 convolutions, the volume coupled by
     * shared BatchNorm statistics and the z continuity loss; 3: 3x3x3 convolutions, which blur an
     * object's z ends into labels of their own when objects are a few slices thick (README).
     */
    public int zKernel = 1;
    /**
     * Weight of the scribble loss. The reference's 0.5 let the hints be outvoted on a test image
     * (3 labels instead of the 2 hinted after 300 iterations); 5 gave the hinted classes in 5.
     */
    public double scribbleWeight = 5;
    /**
     * 2D edges: "edge" (valid convolutions over edge-repeated context: no border labels) or
     * "zeros" (the reference's zero padding, for parity). 3D always uses edge context.
     */
    public String padding = "edge";
    /**
     * Stop when for this many iterations neither the label count fell nor the loss improved by
     * 1 % of its best (0 = never): both the reference and UnSeg are flat long before 1000 iterations.
     */
    public int patience = 20;
    /** Time budget of the training in seconds (0 = none): then labels with the network reached so far. */
    public double maxSeconds = 0;
    /** Labelling: connected regions smaller than this (pixels / voxels) merge into their most similar neighbour (0 = keep). */
    public int minRegionSize = 50;
    /**
     * Labelling: then merge adjacent regions whose boundary contrast (mean feature distance of the
     * pixel pairs across it, features lightly smoothed) is below this (0 = off); see {@link io.github.unseg.label.Regions}.
     */
    public double mergeThreshold = 0.02;
    /**
     * Labelling, with mergeThreshold: the boundary test relative to the regions' own contrast (a
     * boundary merges below mergeThreshold + mergeTexture x the smoother region's inner contrast;
     * 0 = absolute), so that a texture's pieces merge; see {@link io.github.unseg.label.Regions}.
     */
    public double mergeTexture = 0;
    /**
     * Labelling, first: split each region along a graph-based segmentation of the image at this
     * scale (0 = off), so that touching objects the network labelled alike part; see {@link io.github.unseg.label.Regions}.
     */
    public double splitScale = 0;
    /** Labelling: then merge the most similar adjacent regions until this many remain, one label each (0 = keep the labels). */
    public int nRegions = 0;

    /** Why the last training stopped. */
    public enum Stop { MIN_LABELS, PATIENCE, MAX_SECONDS, MAX_ITERATIONS, CANCELLED }

    @Override public String method() { return "cnn"; }

    private boolean auto;    // preset auto: photo or microscopy, decided at fit by the image
    private java.util.Set<String> chosen = java.util.Set.of();
    /** The preset in effect, for the model's summary (e.g. "photo (auto: a colour photo)"); null: the microscopy settings, named. */
    String presetUsed;

    /** The options the user chose (typed, or changed in a menu): auto's choice at fit leaves their values as they are. */
    public void chosen(java.util.Set<String> names) { chosen = java.util.Set.copyOf(names); }

    /**
     * A named preset: "tip2020" = the reference's settings (Kim, Kanezaki and Tanaka, TIP 2020, and
     * their code): 100 channels, 1000 iterations, stop at 3 labels only, full resolution, zero
     * padding, continuity 1, no region merging. "photo": the microscopy settings with three conv
     * blocks, splitScale 1000, minRegionSize 300, mergeThreshold 0.03 and mergeTexture 0.75, for
     * natural images. "microscopy" (older spelling "default") = the field initialisers. "auto":
     * photo for a colour photo ({@link io.github.unseg.core.ImageKind#colourPhoto}), microscopy otherwise, decided at fit.
     */
    public void preset(String name) { preset(name, false); }

    /** The preset named before fit (auto's choice is made at fit, on a copy); null: none or microscopy. */
    public String presetUsed() { return presetUsed; }

    /** As {@link #preset(String)}; objects: object labels are asked for, which auto answers with microscopy (the split numbers regions, not classes). */
    public void preset(String name, boolean objects) {
        auto = name.equals("auto") && !objects;
        presetUsed = name.equals("auto") && objects ? "microscopy (auto: object labels)"
                : name.equals("photo") || name.equals("tip2020") ? name : null;
        if (name.equals("auto") || name.equals("microscopy") || name.equals("default")) return;
        if (name.equals("photo")) {
            applyPhoto(java.util.Set.of());
            return;
        }
        if (!name.equals("tip2020")) throw new SegmentationException("Unknown preset '" + name + "': use auto, microscopy, photo or tip2020.");
        nChannels = 100;
        nConv = 2;
        maxIterations = 1000;
        minLabels = 3;
        patience = 0;
        maxSeconds = 0;
        similarityWeight = 1;
        continuityWeight = 1;
        learningRate = 0.1;
        momentum = 0.9;
        trainingPixels = 200_000; // full resolution up to 200,000 pixels (all of BSDS); larger planes would exceed oneDNN's limit
        padding = "zeros";
        scribbleWeight = 0.5;
        minRegionSize = 0;
        mergeThreshold = 0;
        mergeTexture = 0;
        splitScale = 0;
        nRegions = 0;
    }

    /** The photo settings, but for the options in keep (the user's). */
    private void applyPhoto(java.util.Set<String> keep) {
        // Natural images: a third conv block (a 7x7 view), regions split along image edges and
        // boundary merging relative to texture (chosen on BSDS train images; README). Better on
        // BSDS than the microscopy settings, but the block rounds off objects about 20 pixels
        // across (the tests' shapes), the merging loses DSB's dim nuclei and small regions merge
        // away, so only colour photos get it by default.
        if (!keep.contains("nConv")) nConv = 3;
        if (!keep.contains("splitScale")) splitScale = 1000;
        // with the finer split: fewer specks (VoI) for little PRI. Both sizes are in pixels: on BSDS
        // photos upscaled 2x, scaling them with the area traded PRI for VoI (README), so they stay.
        if (!keep.contains("minRegionSize")) minRegionSize = 300;
        if (!keep.contains("mergeThreshold")) mergeThreshold = 0.03;
        if (!keep.contains("mergeTexture")) mergeTexture = 0.75;
    }

    /**
     * This segmenter with auto's choice made for these images (options the user chose kept); a
     * copy, for a batch fits image after image with one segmenter.
     */
    CnnSegmenter resolvedFor(List<Image5D> images) {
        CnnSegmenter r;
        try {
            r = (CnnSegmenter) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        r.auto = false;
        if (!auto) return r;
        String not = volumetric ? "3D" : scribbles != null ? "scribbles" : images.size() > 1 ? "several training images"
                : io.github.unseg.core.ImageKind.colourPhoto(images.get(0)) ? null : "not a colour photo";
        if (not == null) r.applyPhoto(chosen);
        r.presetUsed = not == null ? "photo (auto: a colour photo)" : "microscopy (auto: " + not + ")";
        return r;
    }

    /**
     * The fitted model with this segmenter's region settings (auto's choice made for images as a
     * fit makes it), labelling as if fitted with them: training does not depend on them. Null
     * when the fit does (CNN + K-means clustering the merged regions, see {@link #fitIgnoresRegions}).
     */
    public CnnModel relabelled(CnnModel fitted, List<Image5D> images) {
        if (!fitIgnoresRegions(fitted)) return null;
        CnnSegmenter r = resolvedFor(images);
        boolean hinted = fitted.scribbleClasses > 0;   // as fit(): hinted classes are not merged or split
        CnnModel m = fitted.withRegions(r.minRegionSize, hinted ? 0 : r.mergeThreshold, r.mergeTexture, hinted ? 0 : r.splitScale, r.nRegions);
        m.threads = threads;
        m.tileSize = tileSize;
        return m;
    }

    /** Whether fitted, made by this segmenter, does not depend on the region settings (a CNN's training does not). */
    boolean fitIgnoresRegions(CnnModel fitted) { return !(fitted instanceof CnnKMeansModel); }

    @Override public FeatureOptions features() { return features; }

    @Override
    public void validate() {
        if (nChannels < 2) throw new SegmentationException("nChannels must be at least 2, got " + nChannels + ".");
        if (nConv < 1) throw new SegmentationException("nConv must be at least 1, got " + nConv + ".");
        if (maxIterations < 1) throw new SegmentationException("maxIterations must be at least 1, got " + maxIterations + ".");
        if (minLabels < 1) throw new SegmentationException("minLabels must be at least 1, got " + minLabels + ".");
        if (!(similarityWeight >= 0) || !(continuityWeight >= 0)) {
            throw new SegmentationException("similarityWeight and continuityWeight must be >= 0.");
        }
        if (!(learningRate > 0)) throw new SegmentationException("learningRate must be > 0, got " + learningRate + ".");
        if (zKernel != 1 && zKernel != 3) throw new SegmentationException("zKernel must be 1 (3x3x1) or 3 (3x3x3), got " + zKernel + ".");
        if (tileSize < 64) throw new SegmentationException("tileSize must be at least 64, got " + tileSize + ".");
        if (trainingPixels < 0) throw new SegmentationException("trainingPixels must be >= 0 (0 = never downscale), got " + trainingPixels + ".");
        if (!(scribbleWeight >= 0)) throw new SegmentationException("scribbleWeight must be >= 0, got " + scribbleWeight + ".");
        if (!"edge".equals(padding) && !"zeros".equals(padding)) throw new SegmentationException("padding must be edge or zeros, got " + padding + ".");
        if (patience < 0) throw new SegmentationException("patience must be >= 0 (0 = never stop early), got " + patience + ".");
        if (!(maxSeconds >= 0)) throw new SegmentationException("maxSeconds must be >= 0 (0 = no limit), got " + maxSeconds + ".");
        if (minRegionSize < 0 || nRegions < 0) throw new SegmentationException("minRegionSize and nRegions must be >= 0.");
        if (!(mergeThreshold >= 0)) throw new SegmentationException("mergeThreshold must be >= 0 (0 = off), got " + mergeThreshold + ".");
        if (!(splitScale >= 0)) throw new SegmentationException("splitScale must be >= 0 (0 = off), got " + splitScale + ".");
        if (!(mergeTexture >= 0)) throw new SegmentationException("mergeTexture must be >= 0 (0 = off), got " + mergeTexture + ".");
        CnnModel.checkMerge(mergeThreshold, mergeTexture);
        features.validate();
    }

    /** The planes to train on: each image's middle slice, or the chosen slices of a stack. */
    List<Image5D> trainingPlanes(List<Image5D> images) {
        List<Image5D> planes = new ArrayList<>();
        for (Image5D img : images) {
            if (img.depth() * img.frames() == 1) {
                // a 2D image has one plane: training slices other than 1 are a mistake, not a no-op
                if (trainingSlices != null && (trainingSlices.length != 1 || trainingSlices[0] != 1)) {
                    throw new SegmentationException("Training slices (trainingSlices, --training-slices) need a stack; "
                            + img.describe() + " is a single plane.");
                }
                planes.add(img);
                continue;
            }
            int t = img.frames() / 2;
            if (trainingSlices == null || trainingSlices.length == 0) {
                if (scribbles == null) { planes.add(middlePlane(img)); continue; }
                // scribbles are read on the middle slice: it stays the training plane with them
                Image5D mid = img.plane(img.depth() / 2, t);
                if (!mid.hasUsablePixel()) {
                    throw new SegmentationException("The middle slice (z = " + (img.depth() / 2 + 1) + "), where the scribbles are read,"
                            + " is uniform (blank): name a slice with content in trainingSlices, or drop the scribbles.");
                }
                planes.add(mid);
                continue;
            }
            for (int z : trainingSlices) {
                if (z < 1 || z > img.depth()) {
                    throw new SegmentationException("Training slice " + z + " is outside the stack (1.." + img.depth() + ").");
                }
                planes.add(img.plane(z - 1, t));
            }
        }
        return planes;
    }

    /**
     * The middle slice of the middle frame, or the plane nearest to it (in plane order, t-major)
     * with a usable pixel: a fit leaves a uniform plane out by reading it as NaN
     * (Segmentation.fittable), and a blank middle frame is no training plane.
     */
    static Image5D middlePlane(Image5D img) {
        int planes = img.depth() * img.frames(), mid = (img.frames() / 2) * img.depth() + img.depth() / 2;
        for (int k = 0; k < 2 * planes; k++) {
            int i = mid + (k % 2 == 0 ? k / 2 : -(k + 1) / 2);
            if (i < 0 || i >= planes) continue;
            Image5D p = img.plane(i % img.depth(), i / img.depth());
            if (p.hasUsablePixel()) return p;
        }
        return img.plane(img.depth() / 2, img.frames() / 2);   // none: the checks that follow say so
    }

    /** One training plane, ready for the network. */
    static final class Plane {
        final INDArray input;
        final float[] firstFeature; // for the label order
        final int w, h, d, scale;
        int[] hints;                 // channel per pixel or -1, at training scale

        Plane(INDArray input, float[] firstFeature, int w, int h, int scale) {
            this(input, firstFeature, w, h, 1, scale);
        }

        Plane(INDArray input, float[] firstFeature, int w, int h, int d, int scale) {
            this.input = input;
            this.firstFeature = firstFeature;
            this.w = w;
            this.h = h;
            this.d = d;
            this.scale = scale;
        }

        int voxels() { return w * h * d; }
    }

    @Override
    public CnnModel fit(List<Image5D> images, Progress progress) {
        if (auto) return resolvedFor(images).fit(images, progress);
        validate();
        Image5D first = images.get(0);
        if (volumetric && first.depth() < 2) {
            throw new SegmentationException("3D (volumetric, --3d) needs a stack of at least 2 slices; " + first.describe()
                    + " is a single plane: turn 3D off.");
        }
        if (volumetric) return fitVolume(images, progress);
        List<Image5D> planes = trainingPlanes(images);
        for (Image5D plane : planes) {
            if (plane.width() < 2 || plane.height() < 2) {
                throw new SegmentationException("The image is too small for the CNN (" + plane.describe() + "): it needs at least 2x2 pixels.");
            }
        }
        FeaturePrep prep = FeaturePrep.of(planes, features, threads, true);
        FeatureSpec spec = prep.spec(features, 0, 2);
        List<Plane> train = new ArrayList<>();
        int scale = 1, dims = 0;
        boolean tiled = false;
        for (int i = 0; i < planes.size(); i++) {
            Image5D plane = planes.get(i);
            FeatureMatrix m = spec.build(plane, prep.raws.get(i));
            int w = plane.width(), h = plane.height(), f = 1;
            if (trainingPixels > 0 && (long) w * h > trainingPixels) f = (int) Math.ceil(Math.sqrt((double) w * h / trainingPixels));
            // scribbles need the whole plane, so they keep the deeper downscale
            boolean tiles = f > MAX_DOWNSCALE && scribbles == null;
            if (tiles) f = MAX_DOWNSCALE;
            int tw = Math.max(2, w / f), th = Math.max(2, h / f);
            float[] full = Blocks.nchw(m, w, h);
            float[] small = f == 1 ? full : Blocks.boxDownscale(full, m.dims, w, h, f, tw, th);
            if (tiles && (long) tw * th > trainingPixels) {
                Blocks.Mosaic mo = Blocks.mosaic(small, m.dims, tw, th, MOSAIC_GRID, trainingPixels);
                small = mo.values;
                tw = mo.w;
                th = mo.h;
                tiled = true;
            }
            int p = edge() ? nConv : 0;
            SizeLimits.checkSize(nChannels, m.dims, tw + 2 * p, th + 2 * p);
            float[] in = p == 0 ? small : Blocks.padVolume(small, m.dims, tw, th, 1, p, 0);
            train.add(new Plane(Nd4j.create(in, new long[]{1, m.dims, th + 2 * p, tw + 2 * p}), java.util.Arrays.copyOf(small, tw * th), tw, th, f));
            scale = Math.max(scale, f);
            dims = m.dims;
        }
        int nClasses = 0;
        if (scribbles != null) nClasses = ScribbleHints.attach(scribbles, trainingSlices, nChannels, images.get(0), planes.get(0), train);
        CnnModel model = train(new KanezakiNet(dims, nChannels, nConv, seed, DataType.FLOAT, edge()), train, spec, scale, nClasses, progress);
        if (tiled) model.trainingTiles = MOSAIC_GRID * MOSAIC_GRID;
        return model;
    }

    boolean edge() { return !"zeros".equals(padding); }

    /** The training loop (the reference's) over the training planes or volume, then the fitted model. */
    private CnnModel train(KanezakiNet net, List<Plane> train, FeatureSpec spec, int scale, int nClasses, Progress progress) {
        net.threads = threads;
        int stopAt = nClasses > 0 ? nClasses : minLabels;
        int it = 0, nLabels = nChannels;
        boolean cancelled = false;
        double lastLoss = Double.NaN;
        boolean[] seen = new boolean[nChannels];
        long start = System.nanoTime();
        double bestLoss = Double.POSITIVE_INFINITY;
        int fewestLabels = Integer.MAX_VALUE, stale = 0;
        Stop stop = Stop.MAX_ITERATIONS;
        for (; it < maxIterations; it++) {
            java.util.Arrays.fill(seen, false);
            double loss = 0;
            for (Plane pl : train) {
                if (progress.isCancelled() || Thread.currentThread().isInterrupted()) { cancelled = true; break; }
                net.setScribbles(pl.hints, scribbleWeight);
                LossResult step = net.step(pl.input, similarityWeight, continuityWeight, learningRate, momentum, null);
                for (int v : step.labels) seen[v] = true;
                loss += step.loss / train.size();
                lastLoss = step.loss;
            }
            if (cancelled) { stop = Stop.CANCELLED; break; }
            nLabels = 0;
            for (boolean b : seen) if (b) nLabels++;
            double elapsed = (System.nanoTime() - start) / 1e9;
            // the stopping rule: progress is fewer labels or a loss 1 % below its best
            if (nLabels < fewestLabels || loss < bestLoss * 0.99) stale = 0; else stale++;
            fewestLabels = Math.min(fewestLabels, nLabels);
            bestLoss = Math.min(bestLoss, loss);
            double left = elapsed / (it + 1) * (maxIterations - it - 1);
            if (maxSeconds > 0) left = Math.min(left, Math.max(0, maxSeconds - elapsed));
            double fraction = Math.max((double) (it + 1) / maxIterations, maxSeconds > 0 ? elapsed / maxSeconds : 0);
            progress.report(String.format(Locale.ROOT, "CNN iteration %d/%d: %d labels, loss %.4f, %s elapsed, at most %s left",
                    it + 1, maxIterations, nLabels, loss, Progress.seconds(elapsed), Progress.seconds(left)), Math.min(1, fraction));
            progress.iteration(it + 1, nLabels, loss);
            if (nLabels <= stopAt) { it++; stop = Stop.MIN_LABELS; break; }
            if (patience > 0 && stale >= patience) { it++; stop = Stop.PATIENCE; break; }
            if (maxSeconds > 0 && elapsed >= maxSeconds) { it++; stop = Stop.MAX_SECONDS; break; }
        }
        net.setScribbles(null, 0);
        List<INDArray> inputs = new ArrayList<>();
        for (Plane pl : train) inputs.add(pl.input);
        net.freezeStatistics(inputs);
        // Label order over all training planes; scribble classes 1..k keep their numbers.
        int total = 0;
        for (Plane pl : train) total += pl.voxels();
        int[] trainLabels = new int[total];
        float[] first = new float[total];
        for (int i = 0, o = 0; i < train.size(); i++) {
            Plane pl = train.get(i);
            System.arraycopy(net.forwardFrozenLabels(pl.input), 0, trainLabels, o, pl.voxels());
            System.arraycopy(pl.firstFeature, 0, first, o, pl.voxels());
            o += pl.voxels();
        }
        int[] order = LabelOrder.byMeanFeature(trainLabels, first, nChannels, nClasses);
        int used = distinct(trainLabels, nChannels);
        for (int ch = 0; ch < nClasses; ch++) if (order[ch] > used) used = order[ch]; // a class may be unused; still a label
        CnnModel model = new CnnModel(spec, net, order, used);
        model.tileSize = tileSize;
        model.trainingScale = scale;
        model.threads = threads;
        model.iterations = it;
        model.lastLoss = lastLoss;
        model.cancelled = cancelled;
        model.stop = stop;
        model.minRegionSize = minRegionSize;
        // hinted classes are the user's: weak boundaries between them must not merge them
        model.mergeThreshold = nClasses > 0 ? 0 : mergeThreshold;
        model.mergeTexture = mergeTexture;
        model.splitScale = nClasses > 0 ? 0 : splitScale; // labels that number regions would lose the hinted classes
        model.nRegions = nRegions;
        model.trainingPlanes = train.size();
        model.scribbleClasses = nClasses;
        model.presetUsed = presetUsed;
        return model;
    }

    /** True 3D: trains on the middle frame's whole volume. */
    private CnnModel fitVolume(List<Image5D> images, Progress progress) {
        if (images.size() > 1) throw new SegmentationException("The 3D CNN trains on one volume; " + images.size() + " were given.");
        if (trainingSlices != null && trainingSlices.length > 0) {
            throw new SegmentationException("Training slices and 3D exclude each other: the 3D CNN trains on the whole volume.");
        }
        Image5D img = images.get(0), vol = img.frame(img.frames() / 2);
        int w = vol.width(), h = vol.height(), d = vol.depth();
        if (w < 2 || h < 2) throw new SegmentationException("The image is too small for the CNN (" + vol.describe() + ").");
        FeaturePrep prep = FeaturePrep.of(List.of(vol), features, threads, true);
        FeatureSpec spec = prep.spec(features, 0, 3);
        FeatureMatrix m = spec.build(vol, prep.raws.get(0));
        long voxels = (long) w * h * d;
        int f = 1;
        if (trainingPixels > 0 && voxels > trainingPixels) f = (int) Math.ceil(Math.sqrt((double) voxels / trainingPixels));
        boolean tiles = f > MAX_DOWNSCALE && scribbles == null;   // as for planes (fit)
        if (tiles) f = MAX_DOWNSCALE;
        int tw = Math.max(2, w / f), th = Math.max(2, h / f);
        float[] full = Blocks.nchw(m, w, h * d);
        // [channel][z][y][x]: each (channel, z) plane is downscaled in x and y only.
        float[] small = f == 1 ? full : Blocks.boxDownscale(full, m.dims * d, w, h, f, tw, th);
        int depth = d;
        if (tiles && (long) tw * th * d > trainingPixels) {
            // the middle slices, as many as leave each tile at least 16 x 16 (the net needs z context too)
            depth = (int) Math.max(1, Math.min(d, trainingPixels / (MOSAIC_GRID * MOSAIC_GRID * 256L)));
            Blocks.Mosaic mo = Blocks.mosaic(small, m.dims, tw, th, d, (d - depth) / 2, depth, MOSAIC_GRID, trainingPixels);
            small = mo.values;
            tw = mo.w;
            th = mo.h;
        } else {
            tiles = false;
        }
        KanezakiNet net = new KanezakiNet(m.dims, nChannels, nConv, seed, DataType.FLOAT, true, zKernel);
        int p = nConv, pz = net.zContext();
        SizeLimits.checkSize3(nChannels, m.dims, zKernel, tw + 2 * p, th + 2 * p, depth + 2 * pz);
        List<Plane> train = List.of(new Plane(Nd4j.create(Blocks.padVolume(small, m.dims, tw, th, depth, p, pz),
                new long[]{1, m.dims, depth + 2 * pz, th + 2 * p, tw + 2 * p}), java.util.Arrays.copyOf(small, tw * th * depth), tw, th, depth, f));
        // z neighbours are (z spacing) apart, x/y neighbours f pixels at training scale.
        net.zWeight = f / Math.max(1e-6, img.voxelDepthRatio());
        int nClasses = scribbles != null ? ScribbleHints.attach(scribbles, trainingSlices, nChannels, img, vol, train) : 0;
        CnnModel model = train(net, train, spec, f, nClasses, progress);
        if (tiles) model.trainingTiles = MOSAIC_GRID * MOSAIC_GRID;
        return model;
    }

    static int distinct(int[] labels, int c) {
        boolean[] seen = new boolean[c];
        int n = 0;
        for (int v : labels) if (!seen[v]) { seen[v] = true; n++; }
        return n;
    }
}

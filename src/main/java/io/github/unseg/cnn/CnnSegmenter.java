package io.github.unseg.cnn;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureScaler;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.core.Smoothing;
import io.github.unseg.segment.ClusterSegmenter;
import io.github.unseg.segment.SegmentationModel;
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
 * Inherited: features (normalization, NaN policy, smoothing; coordinates are not used), seed.
 */
public class CnnSegmenter extends ClusterSegmenter {
    /** Response channels C (reference: 100). */
    public int nChannels = 100;
    /** Number of conv3x3 blocks (reference: 2). */
    public int nConv = 2;
    public int maxIterations = 1000;
    public int minLabels = 3;
    public double similarityWeight = 1.0;
    public double continuityWeight = 1.0;
    public double learningRate = 0.1;
    public double momentum = 0.9;
    /**
     * Train on at most this many pixels: a larger plane is trained on a box-downscaled copy (0 = never).
     * Labelling always uses the full image, in tiles, so memory stays bounded on any size.
     */
    public int trainingPixels = 200_000;
    /** Tile side for labelling (pixels); tiles overlap by nConv pixels, so results do not depend on it. */
    public int tileSize = 512;
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

    @Override public String method() { return "cnn"; }

    /**
     * oneDNN's convolution aborts the whole JVM (a native assertion, not an exception) once
     * channels x 9 x pixels grows past roughly 9e8 (measured here: 100 channels at 1024 x 1024
     * aborts, at 960 x 960 = 8.3e8 it runs). Larger planes are refused with a message until
     * tiling lands.
     */
    static final long MAX_UNFOLDED = 830_000_000L;

    void validate() {
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
        features.validate();
    }

    /** "1,5,9" or "1-3,7" as 1-based slice numbers. */
    public static int[] parseSlices(String s) {
        if (s == null || s.trim().isEmpty()) return null;
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : s.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).trim()), b = Integer.parseInt(p.substring(dash + 1).trim());
                    for (int z = a; z <= b; z++) out.add(z);
                } else {
                    out.add(Integer.parseInt(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new SegmentationException("Training slices must be numbers like 1,5,9 or 1-3; got '" + s + "'.");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
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
            if (trainingSlices == null || trainingSlices.length == 0) { planes.add(img.plane(img.depth() / 2, t)); continue; }
            for (int z : trainingSlices) {
                if (z < 1 || z > img.depth()) {
                    throw new SegmentationException("Training slice " + z + " is outside the stack (1.." + img.depth() + ").");
                }
                planes.add(img.plane(z - 1, t));
            }
        }
        return planes;
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
    public Model fit(List<Image5D> images, Progress progress) {
        validate();
        Image5D first = images.get(0);
        if (volumetric && first.depth() < 2) {
            throw new SegmentationException("3D (volumetric, --3d) needs a stack of at least 2 slices; " + first.describe()
                    + " is a single plane: turn 3D off.");
        }
        if (volumetric) return fitVolume(images, progress);
        List<Image5D> planes = trainingPlanes(images);
        List<RawPixels> raws = new ArrayList<>();
        for (Image5D plane : planes) {
            if (plane.width() < 2 || plane.height() < 2) {
                throw new SegmentationException("The image is too small for the CNN (" + plane.describe() + "): it needs at least 2x2 pixels.");
            }
            if (plane.channels() != planes.get(0).channels()) {
                throw new SegmentationException("The training images differ in channels (" + planes.get(0).channels() + " and "
                        + plane.channels() + "): the CNN needs the same channels in all.");
            }
            RawPixels raw = RawPixels.of(plane);
            FeatureSpec.checkNaN(raw, features.nanPolicy, plane);
            Smoothing.gaussian(raw, plane.width(), plane.height(), features.smoothing);
            raws.add(raw);
        }
        FeatureScaler scaler = FeatureScaler.fit(features.normalization, raws);
        FeatureSpec spec = new FeatureSpec(scaler, 0, 2, features.nanPolicy, features.smoothing);
        List<Plane> train = new ArrayList<>();
        int scale = 1, dims = 0;
        for (int i = 0; i < planes.size(); i++) {
            Image5D plane = planes.get(i);
            FeatureMatrix m = spec.build(plane, raws.get(i));
            int w = plane.width(), h = plane.height(), f = 1;
            if (trainingPixels > 0 && (long) w * h > trainingPixels) f = (int) Math.ceil(Math.sqrt((double) w * h / trainingPixels));
            int tw = Math.max(2, w / f), th = Math.max(2, h / f);
            float[] full = nchw(m, w, h);
            float[] small = f == 1 ? full : boxDownscale(full, m.dims, w, h, f, tw, th);
            checkSize(nChannels, m.dims, tw, th);
            train.add(new Plane(Nd4j.create(small, new long[]{1, m.dims, th, tw}), java.util.Arrays.copyOf(small, tw * th), tw, th, f));
            scale = Math.max(scale, f);
            dims = m.dims;
        }
        int nClasses = 0;
        if (scribbles != null) nClasses = attachScribbles(images.get(0), planes.get(0), train);
        return train(new KanezakiNet(dims, nChannels, nConv, seed, DataType.FLOAT), train, spec, scale, nClasses, progress);
    }

    /** The training loop (the reference's) over the training planes or volume, then the fitted model. */
    private Model train(KanezakiNet net, List<Plane> train, FeatureSpec spec, int scale, int nClasses, Progress progress) {
        net.threads = threads;
        int stopAt = nClasses > 0 ? nClasses : minLabels;
        int it = 0, nLabels = nChannels;
        boolean cancelled = false;
        boolean[] seen = new boolean[nChannels];
        for (; it < maxIterations; it++) {
            java.util.Arrays.fill(seen, false);
            double loss = 0;
            for (Plane pl : train) {
                if (progress.isCancelled() || Thread.currentThread().isInterrupted()) { cancelled = true; break; }
                net.setScribbles(pl.hints, scribbleWeight);
                net.step(pl.input, similarityWeight, continuityWeight, learningRate, momentum, null);
                for (int v : net.lastLabels) seen[v] = true;
                loss += net.lastLoss / train.size();
            }
            if (cancelled) break;
            nLabels = 0;
            for (boolean b : seen) if (b) nLabels++;
            progress.report(String.format(Locale.ROOT, "CNN iteration %d/%d: %d labels, loss %.4f", it + 1, maxIterations,
                    nLabels, loss), (double) (it + 1) / maxIterations);
            if (nLabels <= stopAt) { it++; break; }
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
        int[] order = labelOrder(trainLabels, first, nChannels, nClasses);
        int used = distinct(trainLabels, nChannels);
        for (int ch = 0; ch < nClasses; ch++) if (order[ch] > used) used = order[ch]; // a class may be unused; still a label
        Model model = new Model(spec, net, order, used);
        model.tileSize = tileSize;
        model.trainingScale = scale;
        model.threads = threads;
        model.iterations = it;
        model.lastLoss = net.lastLoss;
        model.cancelled = cancelled;
        model.trainingPlanes = train.size();
        model.scribbleClasses = nClasses;
        return model;
    }

    /** True 3D: trains on the middle frame's whole volume. */
    private Model fitVolume(List<Image5D> images, Progress progress) {
        if (images.size() > 1) throw new SegmentationException("The 3D CNN trains on one volume; " + images.size() + " were given.");
        if (trainingSlices != null && trainingSlices.length > 0) {
            throw new SegmentationException("Training slices and 3D exclude each other: the 3D CNN trains on the whole volume.");
        }
        Image5D img = images.get(0), vol = img.frame(img.frames() / 2);
        int w = vol.width(), h = vol.height(), d = vol.depth();
        if (w < 2 || h < 2) throw new SegmentationException("The image is too small for the CNN (" + vol.describe() + ").");
        RawPixels raw = RawPixels.of(vol);
        FeatureSpec.checkNaN(raw, features.nanPolicy, vol);
        Smoothing.gaussian(raw, w, h, features.smoothing);
        FeatureScaler scaler = FeatureScaler.fit(features.normalization, List.of(raw));
        FeatureSpec spec = new FeatureSpec(scaler, 0, 3, features.nanPolicy, features.smoothing);
        FeatureMatrix m = spec.build(vol, raw);
        long voxels = (long) w * h * d;
        int f = 1;
        if (trainingPixels > 0 && voxels > trainingPixels) f = (int) Math.ceil(Math.sqrt((double) voxels / trainingPixels));
        int tw = Math.max(2, w / f), th = Math.max(2, h / f);
        float[] full = nchw(m, w, h * d);
        // [channel][z][y][x]: each (channel, z) plane is downscaled in x and y only.
        float[] small = f == 1 ? full : boxDownscale(full, m.dims * d, w, h, f, tw, th);
        KanezakiNet net = new KanezakiNet(m.dims, nChannels, nConv, seed, DataType.FLOAT, true, zKernel);
        int p = nConv, pz = net.zContext();
        checkSize3(nChannels, m.dims, zKernel, tw + 2 * p, th + 2 * p, d + 2 * pz);
        List<Plane> train = List.of(new Plane(Nd4j.create(padVolume(small, m.dims, tw, th, d, p, pz), new long[]{1, m.dims, d + 2 * pz, th + 2 * p, tw + 2 * p}),
                java.util.Arrays.copyOf(small, tw * th * d), tw, th, d, f));
        // z neighbours are (z spacing) apart, x/y neighbours f pixels at training scale.
        net.zWeight = f / Math.max(1e-6, img.voxelDepthRatio());
        int nClasses = scribbles != null ? attachScribbles(img, vol, train) : 0;
        return train(net, train, spec, f, nClasses, progress);
    }

    /**
     * Pads [channel][z][y][x] features by pad voxels on every side, repeating the edge voxels:
     * the context the 3D network's valid convolutions need. Repeating (rather than mirroring)
     * keeps an object that stops one slice before the end from reappearing in the padding.
     */
    static float[] padVolume(float[] src, int dims, int w, int h, int d, int pad, int padZ) {
        return box(src, dims, w, h, d, 0, 0, 0, w, h, d, pad, padZ);
    }

    /**
     * The box [x0, x0+tw) x [y0, y0+th) x [z0, z0+tz) of a [channel][z][y][x] volume with pad
     * voxels of context on every side in x and y, padZ in z; context outside the volume repeats
     * its edge voxels.
     */
    static float[] box(float[] src, int dims, int w, int h, int d, int x0, int y0, int z0, int tw, int th, int tz, int pad, int padZ) {
        int iw = tw + 2 * pad, ih = th + 2 * pad, iz = tz + 2 * padZ;
        float[] out = new float[dims * iz * ih * iw];
        for (int c = 0; c < dims; c++) {
            for (int z = 0; z < iz; z++) {
                int sz = Math.min(d - 1, Math.max(0, z0 + z - padZ));
                for (int y = 0; y < ih; y++) {
                    int sy = Math.min(h - 1, Math.max(0, y0 + y - pad));
                    int srow = ((c * d + sz) * h + sy) * w, orow = ((c * iz + z) * ih + y) * iw;
                    for (int x = 0; x < iw; x++) out[orow + x] = src[srow + Math.min(w - 1, Math.max(0, x0 + x - pad))];
                }
            }
        }
        return out;
    }

    static void checkSize3(int channels, int inChannels, int zKernel, int w, int h, int d) {
        long unfolded = 9L * zKernel * Math.max(channels, inChannels) * w * h * d;
        if (unfolded > MAX_UNFOLDED) {
            throw new SegmentationException("A volume of " + w + "x" + h + "x" + d + " is too large for the 3D CNN with " + channels
                    + " channels at once: lower trainingPixels, or use fewer channels.");
        }
    }

    /**
     * Checks the scribbles against the (first) training plane, or the training volume in 3D,
     * scales them to the training scale (each box keeps its most frequent hint) and attaches
     * them; returns the number of classes. Hints may cover the training plane / volume, one plane
     * (in 3D: put on the middle slice), or the whole image (the training plane's / volume's part
     * is used).
     */
    private int attachScribbles(Image5D image, Image5D target, List<Plane> train) {
        if (train.size() > 1) {
            throw new SegmentationException("Scribbles need a single training plane; " + train.size()
                    + " were given (several images or training slices).");
        }
        int w = target.width(), h = target.height(), d = target.depth(), plane = w * h, n = plane * d;
        int t = image.frames() / 2;
        int[] hint;
        String where;
        if (scribbles.length == n) {
            hint = scribbles;
            where = d > 1 ? "volume" : "image";
        } else if (d > 1 && scribbles.length == plane) {
            hint = new int[n];
            System.arraycopy(scribbles, 0, hint, (d / 2) * plane, plane);
            where = "middle slice (z = " + (d / 2 + 1) + ")";
        } else if (scribbles.length == plane * image.depth() * image.frames() && image.width() == w && image.height() == h) {
            if (d > 1) {
                hint = java.util.Arrays.copyOfRange(scribbles, t * n, (t + 1) * n);
                where = "middle frame's volume";
            } else {
                int z = trainingSlices != null && trainingSlices.length > 0 ? trainingSlices[0] - 1 : image.depth() / 2;
                hint = java.util.Arrays.copyOfRange(scribbles, (t * image.depth() + z) * plane, (t * image.depth() + z + 1) * plane);
                where = "training slice (z = " + (z + 1) + ")";
            }
        } else {
            throw new SegmentationException("The scribbles (" + scribbles.length + " pixels) do not match the image ("
                    + w + "x" + h + (d > 1 ? "x" + d : "") + "): draw them on the image itself or give a label image of its size.");
        }
        int k = 0;
        for (int v : hint) {
            if (v < 0 || v > nChannels) {
                throw new SegmentationException("Scribble class " + v + " is out of range: classes are 1.." + nChannels + " (0 = no hint).");
            }
            k = Math.max(k, v);
        }
        if (k == 0) {
            throw new SegmentationException("The scribbles are empty on the " + where + ": no pixel there has a class (1 or more)."
                    + (where.startsWith("training slice") ? " Draw them on that slice, or train on the slice they are on (trainingSlices)." : ""));
        }
        Plane pl = train.get(0);
        int f = pl.scale;
        int[] out = new int[pl.w * pl.h * pl.d];
        int[] count = new int[k + 1];
        for (int z = 0; z < pl.d; z++) {
            for (int y = 0; y < pl.h; y++) {
                for (int x = 0; x < pl.w; x++) {
                    java.util.Arrays.fill(count, 0);
                    int best = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            int v = hint[z * plane + (y * f + dy) * w + x * f + dx];
                            if (v > 0 && ++count[v] > count[best]) best = v;
                        }
                    }
                    out[(z * pl.h + y) * pl.w + x] = best - 1; // class j -> channel j-1; -1 = no hint
                }
            }
        }
        pl.hints = out;
        return k;
    }

    static int distinct(int[] labels, int c) {
        boolean[] seen = new boolean[c];
        int n = 0;
        for (int v : labels) if (!seen[v]) { seen[v] = true; n++; }
        return n;
    }

    /** The features as an NCHW array (channel-major); masked (NaN) pixels are 0. */
    static float[] nchw(FeatureMatrix m, int w, int h) {
        int d = m.dims, n = w * h;
        float[] data = new float[d * n];
        for (int r = 0; r < m.rows; r++) {
            int p = m.pixelOf(r);
            for (int c = 0; c < d; c++) data[c * n + p] = m.x[r * d + c];
        }
        return data;
    }

    /** NCHW tensor of the features of a plane. */
    static INDArray tensor(FeatureMatrix m, Image5D plane) {
        return Nd4j.create(nchw(m, plane.width(), plane.height()), new long[]{1, m.dims, plane.height(), plane.width()});
    }

    /** Mean of f x f blocks (the last partial row and column of blocks dropped). */
    static float[] boxDownscale(float[] src, int d, int w, int h, int f, int tw, int th) {
        float[] out = new float[d * tw * th];
        float inv = 1f / (f * f);
        for (int c = 0; c < d; c++) {
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    float s = 0;
                    for (int dy = 0; dy < f; dy++) {
                        int row = c * w * h + (y * f + dy) * w + x * f;
                        for (int dx = 0; dx < f; dx++) s += src[row + dx];
                    }
                    out[c * tw * th + y * tw + x] = s * inv;
                }
            }
        }
        return out;
    }

    static void checkSize(int channels, int inChannels, int w, int h) {
        long unfolded = 9L * Math.max(channels, inChannels) * w * h;
        if (unfolded > MAX_UNFOLDED) {
            throw new SegmentationException("A plane of " + w + "x" + h + " is too large for the CNN with " + channels
                    + " channels at once: lower trainingPixels or tileSize, or use fewer channels.");
        }
    }

    /**
     * Channel -> label: channels 0..classes-1 (scribble classes) are labels 1..classes; the other
     * used channels follow, ordered by the mean first feature of their pixels.
     */
    static int[] labelOrder(int[] arg, float[] features, int c, int classes) {
        double[] sum = new double[c];
        long[] count = new long[c];
        for (int p = 0; p < arg.length; p++) {
            sum[arg[p]] += features[p]; // channel 0 of the NCHW features: the first feature
            count[arg[p]]++;
        }
        List<Integer> used = new ArrayList<>();
        for (int i = classes; i < c; i++) if (count[i] > 0) used.add(i);
        used.sort((a, b) -> {
            int k = Double.compare(sum[a] / count[a], sum[b] / count[b]);
            return k != 0 ? k : Integer.compare(a, b);
        });
        int[] map = new int[c];
        int next = 1;
        for (int ch = 0; ch < classes; ch++) map[ch] = next++;
        for (int ch : used) map[ch] = next++;
        // Channels unused on the training image: after the others, should a new image use them.
        for (int i = 0; i < c; i++) if (map[i] == 0) map[i] = next++;
        return map;
    }

    /** Receives one 3D block: its input (with context) and its box (without context) in the volume. */
    interface BlockSink {
        void accept(INDArray blockInput, int x0, int y0, int z0, int tw, int th, int tz);
    }

    /** Cuts [channel][z][y][x] features into blocks with pad voxels of context (see {@link #box}), in raster order. */
    static void forEachBlock(float[] full, int dims, int w, int h, int d, int side, int bz, int pad, int padZ, BlockSink sink) {
        for (int z0 = 0; z0 < d; z0 += bz) {
            for (int y0 = 0; y0 < h; y0 += side) {
                for (int x0 = 0; x0 < w; x0 += side) {
                    int tz = Math.min(bz, d - z0), th = Math.min(side, h - y0), tw = Math.min(side, w - x0);
                    float[] b = box(full, dims, w, h, d, x0, y0, z0, tw, th, tz, pad, padZ);
                    sink.accept(Nd4j.create(b, new long[]{1, dims, tz + 2 * padZ, th + 2 * pad, tw + 2 * pad}), x0, y0, z0, tw, th, tz);
                }
            }
        }
    }

    /** Receives one tile's result: the tile's rectangle (without halo) in the plane. */
    interface TileSink {
        void accept(INDArray tileInput, int x0, int y0, int tw, int th, int haloLeft, int haloTop, int inW, int inH);
    }

    /** Cuts the NCHW features into tiles of side tile with a halo, in raster order. */
    static void forEachTile(float[] full, int d, int w, int h, int tile, int halo, TileSink sink) {
        for (int y0 = 0; y0 < h; y0 += tile) {
            for (int x0 = 0; x0 < w; x0 += tile) {
                int tw = Math.min(tile, w - x0), th = Math.min(tile, h - y0);
                int ax = Math.max(0, x0 - halo), ay = Math.max(0, y0 - halo);
                int bx = Math.min(w, x0 + tw + halo), by = Math.min(h, y0 + th + halo);
                int iw = bx - ax, ih = by - ay;
                float[] t = new float[d * iw * ih];
                for (int c = 0; c < d; c++) {
                    for (int y = 0; y < ih; y++) System.arraycopy(full, c * w * h + (ay + y) * w + ax, t, c * iw * ih + y * iw, iw);
                }
                sink.accept(Nd4j.create(t, new long[]{1, d, ih, iw}), x0, y0, tw, th, x0 - ax, y0 - ay, iw, ih);
            }
        }
    }

    /** The trained network and its channel-to-label order. */
    public static class Model extends SegmentationModel {
        final KanezakiNet net;
        final int[] channelToLabel;
        final int nLabels;
        int iterations;
        double lastLoss;
        boolean cancelled;
        int tileSize = 512;
        int trainingScale = 1;
        int trainingPlanes = 1;
        int scribbleClasses;

        /**
         * @param nLabels channels used on the training image: they are labels 1..nLabels; unused
         *                channels come after, should a new image use one
         */
        public Model(FeatureSpec spec, KanezakiNet net, int[] channelToLabel, int nLabels) {
            super(spec);
            this.net = net;
            this.channelToLabel = channelToLabel;
            this.nLabels = nLabels;
        }

        @Override public String method() { return "cnn"; }

        /** Labels the training image had (predicted images may use fewer). */
        @Override public int nLabels() { return nLabels; }

        @Override
        public int[] predict(Image5D img, Progress progress) {
            if (net.volumetric) return predictVolumes(img, progress);
            if (img.depth() * img.frames() > 1) {
                int plane = img.width() * img.height();
                int[] out = new int[plane * img.depth() * img.frames()];
                for (int t = 0, q = 0; t < img.frames(); t++) {
                    for (int z = 0; z < img.depth(); z++, q++) {
                        progress.check();
                        System.arraycopy(predict(img.plane(z, t), Progress.NONE), 0, out, q * plane, plane);
                    }
                }
                return out;
            }
            RawPixels raw = spec.raw(img);
            FeatureMatrix m = spec.build(img, raw);
            int w = img.width(), h = img.height();
            int[] out = new int[m.pixelCount];
            int tile = Math.max(8, tileSize);
            checkSize(net.channels, net.inChannels, Math.min(w, tile + 2 * net.nConv), Math.min(h, tile + 2 * net.nConv));
            int tiles = ((w + tile - 1) / tile) * ((h + tile - 1) / tile);
            int[] done = {0};
            forEachTile(nchw(m, w, h), m.dims, w, h, tile, net.nConv, (in, x0, y0, tw, th, hl, ht, iw, ih) -> {
                progress.check();
                // a large image labels for minutes: say which tile, so progress does not sit still
                if (tiles > 1) progress.report("Labelling tile " + (done[0] + 1) + "/" + tiles, (double) done[0] / tiles);
                done[0]++;
                int[] arg = net.forwardFrozenLabels(in);
                for (int y = 0; y < th; y++) {
                    for (int x = 0; x < tw; x++) out[(y0 + y) * w + x0 + x] = channelToLabel[arg[(ht + y) * iw + hl + x]];
                }
            });
            if (m.pixelIndex != null) { // masked (NaN) pixels stay 0
                boolean[] valid = new boolean[m.pixelCount];
                for (int r = 0; r < m.rows; r++) valid[m.pixelOf(r)] = true;
                for (int p = 0; p < out.length; p++) if (!valid[p]) out[p] = 0;
            }
            return out;
        }

        /** Labels one 3D block from its input (with context): final labels of the block without its context, row-major. */
        interface BlockLabeller {
            int[] label(INDArray blockInput);
        }

        /** 3D network: each frame's volume, labelled in blocks with nConv voxels of context. */
        int[] predictVolumes(Image5D img, Progress progress) {
            return predictVolumes(img, progress, in -> {
                int[] arg = net.forwardFrozenLabels(in);
                for (int i = 0; i < arg.length; i++) arg[i] = channelToLabel[arg[i]];
                return arg;
            });
        }

        /** As above, each block labelled by labeller; masked voxels get 0. */
        int[] predictVolumes(Image5D img, Progress progress, BlockLabeller labeller) {
            int w = img.width(), h = img.height(), d = img.depth(), vol = w * h * d;
            int[] out = new int[vol * img.frames()];
            for (int t = 0; t < img.frames(); t++) {
                Image5D v = img.frame(t);
                FeatureMatrix m = spec.build(v, spec.raw(v));
                int o = t * vol;
                forEachVolumeBlock(m, w, h, d, (in, x0, y0, z0, tw, th, tz) -> {
                    progress.check();
                    int[] lab = labeller.label(in); // tz x th x tw: the block without its context
                    for (int z = 0, q = 0; z < tz; z++) {
                        for (int y = 0; y < th; y++) {
                            for (int x = 0; x < tw; x++, q++) out[o + ((z0 + z) * h + y0 + y) * w + x0 + x] = lab[q];
                        }
                    }
                });
                if (m.pixelIndex != null) {
                    boolean[] valid = new boolean[m.pixelCount];
                    for (int r = 0; r < m.rows; r++) valid[m.pixelOf(r)] = true;
                    for (int p = 0; p < vol; p++) if (!valid[p]) out[o + p] = 0;
                }
            }
            return out;
        }

        /**
         * The blocks of one volume's features (w x h x d), each with the context the 3D network
         * needs, edge-repeated as the padding in training; blocks of about the voxels of one 2D
         * tile (a quarter of the tile side, 16 slices).
         */
        private void forEachVolumeBlock(FeatureMatrix m, int w, int h, int d, BlockSink sink) {
            forEachBlock(nchw(m, w, h * d), m.dims, w, h, d, Math.max(8, tileSize / 4), 16, net.nConv, net.zContext(), sink);
        }

        /**
         * 3D network: the responses of chosen voxels of one volume (features m), pixel-major;
         * rank[p] = the row of voxel p in the result, or -1 to skip it. Computed in blocks.
         */
        float[] volumeResponses(Image5D vol, FeatureMatrix m, int[] rank, int rows, Progress progress) {
            int w = vol.width(), h = vol.height(), d = vol.depth(), c = net.channels;
            float[] out = new float[rows * c];
            forEachVolumeBlock(m, w, h, d, (in, x0, y0, z0, tw, th, tz) -> {
                progress.check();
                float[] r = null; // only blocks with chosen voxels are run
                for (int z = 0, q = 0; z < tz; z++) {
                    for (int y = 0; y < th; y++) {
                        for (int x = 0; x < tw; x++, q++) {
                            int row = rank[((z0 + z) * h + y0 + y) * w + x0 + x];
                            if (row < 0) continue;
                            if (r == null) r = net.forwardFrozenResponses(in);
                            System.arraycopy(r, q * c, out, row * c, c);
                        }
                    }
                }
            });
            return out;
        }

        /** Responses of every pixel of a plane (frozen statistics, in tiles), pixel-major. */
        float[] responses(Image5D img, FeatureMatrix m) {
            int w = img.width(), h = img.height(), c = net.channels;
            float[] out = new float[m.pixelCount * c];
            int tile = Math.max(8, tileSize);
            forEachTile(nchw(m, w, h), m.dims, w, h, tile, net.nConv, (in, x0, y0, tw, th, hl, ht, iw, ih) -> {
                float[] r = net.forwardFrozenResponses(in);
                for (int y = 0; y < th; y++) {
                    for (int x = 0; x < tw; x++) {
                        System.arraycopy(r, ((ht + y) * iw + hl + x) * c, out, ((y0 + y) * w + x0 + x) * c, c);
                    }
                }
            });
            return out;
        }

        @Override
        protected void predictRows(float[] x, int n, int d, int[] out) {
            throw new UnsupportedOperationException("the CNN labels whole planes, not feature rows");
        }

        @Override
        protected void writeJson(JsonObject o) {
            o.addProperty("channels", net.channels);
            o.addProperty("nConv", net.nConv);
            o.addProperty("inChannels", net.inChannels);
            if (net.volumetric) {
                o.addProperty("volumetric", true);
                o.addProperty("zWeight", net.zWeight);
                o.addProperty("zKernel", net.zKernel);
                o.addProperty("padding", "edge"); // valid convolutions over an edge-padded volume
            }
            JsonArray ps = new JsonArray();
            for (INDArray p : net.parameters()) {
                JsonArray a = new JsonArray();
                for (float v : p.dup().data().asFloat()) a.add(v);
                ps.add(a);
            }
            o.add("parameters", ps);
            JsonArray map = new JsonArray();
            for (int v : channelToLabel) map.add(v);
            o.add("channelToLabel", map);
            JsonArray means = new JsonArray(), vars = new JsonArray();
            for (int l = 0; l < net.frozenMean.size(); l++) {
                JsonArray mu = new JsonArray(), va = new JsonArray();
                for (float v : net.frozenMean.get(l).dup().data().asFloat()) mu.add(v);
                for (float v : net.frozenVar.get(l).dup().data().asFloat()) va.add(v);
                means.add(mu);
                vars.add(va);
            }
            o.add("batchNormMean", means);
            o.add("batchNormVar", vars);
            o.addProperty("tileSize", tileSize);
            JsonObject fit = new JsonObject();
            fit.addProperty("iterations", iterations);
            fit.addProperty("loss", lastLoss);
            fit.addProperty("cancelled", cancelled);
            fit.addProperty("trainingScale", trainingScale);
            o.add("fit", fit);
        }

        public static Model read(JsonObject o, FeatureSpec spec) {
            // 3D models saved before zKernel existed are 3x3x3
            KanezakiNet net = new KanezakiNet(o.get("inChannels").getAsInt(), o.get("channels").getAsInt(),
                    o.get("nConv").getAsInt(), 0, DataType.FLOAT, o.has("volumetric") && o.get("volumetric").getAsBoolean(),
                    o.has("zKernel") ? o.get("zKernel").getAsInt() : 3);
            if (o.has("zWeight")) net.zWeight = o.get("zWeight").getAsDouble();
            if (net.volumetric && !o.has("padding")) {
                throw new SegmentationException("This 3D CNN model comes from an earlier UnSeg whose 3D network zero-padded the volume;"
                        + " today's would label with it differently. Fit the model again.");
            }
            List<float[]> values = new ArrayList<>();
            for (com.google.gson.JsonElement e : o.getAsJsonArray("parameters")) {
                JsonArray a = e.getAsJsonArray();
                float[] v = new float[a.size()];
                for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
                values.add(v);
            }
            net.setParameters(values);
            JsonArray map = o.getAsJsonArray("channelToLabel");
            int[] c2l = new int[map.size()];
            for (int i = 0; i < c2l.length; i++) c2l[i] = map.get(i).getAsInt();
            net.setFrozenStatistics(floats(o.getAsJsonArray("batchNormMean")), floats(o.getAsJsonArray("batchNormVar")));
            Model m = new Model(spec, net, c2l, o.get("nLabels").getAsInt());
            if (o.has("tileSize")) m.tileSize = o.get("tileSize").getAsInt();
            return m;
        }

        private static List<float[]> floats(JsonArray rows) {
            List<float[]> out = new ArrayList<>();
            for (com.google.gson.JsonElement e : rows) {
                JsonArray a = e.getAsJsonArray();
                float[] v = new float[a.size()];
                for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
                out.add(v);
            }
            return out;
        }

        @Override
        public String summary() {
            return String.format(Locale.ROOT, "CNN (%d channels, %d conv3x3%s), %d labels after %d iterations, loss %.4f%s%s%s%s",
                    net.channels, net.nConv, net.volumetric ? (net.zKernel == 3 ? "x3, 3D" : "x1, 3D") : "", nLabels, iterations, lastLoss,
                    trainingScale > 1 ? ", trained at 1/" + trainingScale + " scale" : "",
                    trainingPlanes > 1 ? ", trained on " + trainingPlanes + " planes" : "",
                    scribbleClasses > 0 ? ", " + scribbleClasses + " scribble classes" : "",
                    cancelled ? " (cancelled: current labels)" : "");
        }
    }
}

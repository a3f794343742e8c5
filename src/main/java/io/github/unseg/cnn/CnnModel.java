package io.github.unseg.cnn;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.segment.SegmentationModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A trained CNN: labels images (in tiles or blocks), writes and reads itself as JSON. */
public class CnnModel extends SegmentationModel {
    /** 2D networks need a neighbourhood in the plane (they tile it themselves); 3D ones the volume. */
    @Override public Context context() { return net.volumetric ? Context.VOLUME : Context.PLANE; }

    final KanezakiNet net;
    final int[] channelToLabel;
    final int nLabels;
    int iterations;
    double lastLoss;
    boolean cancelled;
    /** Labelling tile side; public: a user may set it when applying a saved model (labels do not depend on it). */
    public int tileSize = 256;   // as CnnSegmenter.tileSize (models saved before keep theirs)
    int trainingScale = 1;
    int trainingPlanes = 1;
    /** Tiles of each training plane (0: the whole plane). */
    int trainingTiles;
    int scribbleClasses;
    CnnSegmenter.Stop stop;
    /** The preset the fit resolved (CnnSegmenter.presetUsed), for the summary; null: none. */
    String presetUsed;
    /** Region post-processing of the labels (see {@link io.github.unseg.label.Regions}); a user may set it when applying a saved model. */
    public int minRegionSize, nRegions;
    public double mergeThreshold;
    /** The boundary test relative to the regions' own contrast (see CnnSegmenter.mergeTexture). */
    public double mergeTexture;
    /** Regions split along a graph-based segmentation first (see CnnSegmenter.splitScale; 0 = off). */
    public double splitScale;

    /**
     * @param nLabels channels used on the training image: they are labels 1..nLabels; unused
     *                channels come after, should a new image use one
     */
    public CnnModel(FeatureSpec spec, KanezakiNet net, int[] channelToLabel, int nLabels) {
        super(spec);
        this.net = net;
        this.channelToLabel = channelToLabel;
        this.nLabels = nLabels;
    }

    @Override public String method() { return "cnn"; }

    @Override public void checkLabelling() { checkMerge(mergeThreshold, mergeTexture); }

    /** mergeTexture only relaxes the mergeThreshold test: alone it would do nothing, without a word. */
    static void checkMerge(double mergeThreshold, double mergeTexture) {
        if (mergeTexture > 0 && mergeThreshold == 0) {
            throw new SegmentationException("mergeTexture " + mergeTexture + " relaxes the mergeThreshold test, which is off (0) here:"
                    + " set mergeThreshold too (e.g. 0.03), or leave mergeTexture at 0.");
        }
    }

    /** Labels the training image had (predicted images may use fewer). */
    @Override public int nLabels() { return nRegions > 0 ? nRegions : nLabels; }

    @Override
    public int[] predict(Image5D img, Progress progress) {
        int[] labels = net.volumetric ? predictVolumes(img, progress) : predictPlanes(img, progress);
        if (!postProcesses()) return labels;
        // regions of each plane for a 2D network (as its planes are labelled one by one, so the
        // whole-stack and the plane-by-plane paths agree), of each frame's volume for a 3D one
        java.util.List<Image5D> parts = regionParts(img);
        for (int i = 0; i < parts.size(); i++) {
            Image5D v = parts.get(i);
            progress.report("Merging regions", -1);
            int vol = v.width() * v.height() * v.depth(), off = i * vol; // parts are contiguous and equal in size
            int[] part = postProcess(java.util.Arrays.copyOfRange(labels, off, off + vol), v, spec.build(v, spec.raw(v, threads)));
            System.arraycopy(part, 0, labels, off, vol);
        }
        return labels;
    }

    /** The smoothing radius plus one pixel per 3x3 convolution block; -1 for 3D networks and with region merging. */
    @Override
    public int blockHalo() {
        int h = super.blockHalo();
        return h < 0 || net.volumetric || postProcesses() ? -1 : h + net.nConv;
    }

    /** The same network and labels without region merging. */
    @Override
    public io.github.unseg.segment.SegmentationModel pixelwise() {
        if (!postProcesses()) return this;
        com.google.gson.JsonObject o = io.github.unseg.segment.ModelIO.toJson(this);
        o.addProperty("minRegionSize", 0);
        o.addProperty("mergeThreshold", 0);
        o.addProperty("nRegions", 0);
        o.remove("splitScale"); // the split too is a whole-plane step
        return io.github.unseg.methods.Methods.fromJson(o, "the pixelwise copy of a " + method() + " model");
    }

    /**
     * A copy with other region settings: labelling only, for training does not depend on them, so
     * the copy labels as a model fitted with them would (a preview redraws without training).
     */
    public CnnModel withRegions(int minRegionSize, double mergeThreshold, double mergeTexture, double splitScale, int nRegions) {
        com.google.gson.JsonObject o = io.github.unseg.segment.ModelIO.toJson(this);
        o.addProperty("minRegionSize", minRegionSize);
        o.addProperty("mergeThreshold", mergeThreshold);
        o.addProperty("mergeTexture", mergeTexture);
        if (splitScale > 0) o.addProperty("splitScale", splitScale);
        else o.remove("splitScale");
        o.addProperty("nRegions", nRegions);
        CnnModel m = (CnnModel) io.github.unseg.methods.Methods.fromJson(o, "a " + method() + " model with other region settings");
        m.checkLabelling();
        return m;
    }

    /** Whether {@link #postProcess} changes anything: region merging asked for. */
    boolean postProcesses() { return merges(minRegionSize); }

    private boolean merges(int minSize) { return minSize > 1 || nRegions > 0 || mergeThreshold > 0 || splitScale > 0; }

    /** One part's network labels after region merging (m: the part's features). */
    int[] postProcess(int[] labels, Image5D part, FeatureMatrix m) {
        // one label for the whole image is never what a user asked for (unless nRegions is 1)
        boolean many = nRegions != 1 && twoLabels(labels);
        return mergeKeepingSmallObjects(labels, part, m, merged -> merged, out -> !many || twoLabels(out));
    }

    /**
     * Regions merged below minRegionSize, then finished (CNN + K-means labels them); where the
     * result fails {@code kept}, the objects are smaller than minRegionSize (spots; nuclei of a few
     * pixels at low magnification) and were merged away: the merge is redone below a quarter of
     * the size, halved again while it fails, down to none. A quarter: an object's pieces in several
     * labels survive where its core does, and specks still go (two 256 x 256 images of 64 discs of
     * 29 px: below half the size half the discs went, with no size merge the specks kept a whole
     * label of their own; README, Methods).
     */
    final int[] mergeKeepingSmallObjects(int[] labels, Image5D part, FeatureMatrix m,
                                         java.util.function.UnaryOperator<int[]> finish, java.util.function.Predicate<int[]> kept) {
        int[] out = finish.apply(merge(labels, part, m, minRegionSize));
        if (minRegionSize <= 1 || kept.test(out)) return out;
        for (int size = minRegionSize / 4; ; size /= 2) {
            int[] again = finish.apply(merge(labels, part, m, size));
            if (kept.test(again)) {
                synchronized (this) { fallbackSize = fallbackSize < 0 ? size : Math.min(fallbackSize, size); }
                return again;
            }
            if (size == 0) return out;
        }
    }

    /** The smallest minRegionSize a part's merge fell back to (see postProcess); -1: none did. For the summary. */
    int fallbackSize = -1;

    @Override protected void startLabelling() {
        super.startLabelling();
        fallbackSize = -1;
    }

    /** Whether {@code labels} holds two labels above 0 (0: masked). */
    static boolean twoLabels(int[] labels) {
        int first = 0;
        for (int v : labels) {
            if (v == 0 || v == first) continue;
            if (first != 0) return true;
            first = v;
        }
        return false;
    }

    /** As {@link #postProcess}, regions under minSize (not minRegionSize) merging into their most similar neighbour. */
    final int[] merge(int[] labels, Image5D part, FeatureMatrix m, int minSize) {
        if (!merges(minSize)) return labels;
        float[] f = m.x;
        if (m.pixelIndex != null) { // masked pixels: label 0, their features unused
            f = new float[labels.length * m.dims];
            for (int r = 0; r < m.rows; r++) System.arraycopy(m.x, r * m.dims, f, m.pixelOf(r) * m.dims, m.dims);
        }
        return io.github.unseg.label.Regions.merge(labels, f, m.dims, part.width(), part.height(), part.depth(),
                splitScale, minSize, mergeThreshold, mergeTexture, nRegions);
    }

    /** The parts whose regions are merged (and clustered) on their own, in label-array order: planes (2D network) or frames (3D). */
    java.util.List<Image5D> regionParts(Image5D img) {
        java.util.List<Image5D> parts = new ArrayList<>();
        for (int t = 0; t < img.frames(); t++) {
            if (net.volumetric) parts.add(img.frame(t));
            else for (int z = 0; z < img.depth(); z++) parts.add(img.plane(z, t));
        }
        return parts;
    }

    /** The network's labels of each plane (2D network), without region post-processing. */
    private int[] predictPlanes(Image5D img, Progress progress) {
        if (img.depth() * img.frames() > 1) {
            int plane = img.width() * img.height();
            int[] out = new int[plane * img.depth() * img.frames()];
            for (int t = 0, q = 0; t < img.frames(); t++) {
                for (int z = 0; z < img.depth(); z++, q++) {
                    progress.check();
                    System.arraycopy(predictPlane(img.plane(z, t), Progress.NONE), 0, out, q * plane, plane);
                }
            }
            return out;
        }
        return predictPlane(img, progress);
    }

    /** One plane's labels from the 2D network (the ensemble overrides it with its clusters). */
    int[] predictPlane(Image5D img, Progress progress) {
        RawPixels raw = spec.raw(img, threads);
        FeatureMatrix m = spec.build(img, raw);
        int w = img.width(), h = img.height();
        int[] out = new int[m.pixelCount];
        int tile = Math.max(8, tileSize);
        SizeLimits.checkSize(net.channels, net.inChannels, Math.min(w, tile) + 2 * net.nConv, Math.min(h, tile) + 2 * net.nConv);
        int tiles = ((w + tile - 1) / tile) * ((h + tile - 1) / tile);
        int[] done = {0};
        long t0 = System.nanoTime();
        Blocks.forEachPlaneTile(Blocks.nchw(m, w, h), m.dims, w, h, tile, net.context(), net.nConv, (in, x0, y0, tw, th, ox, oy, ow) -> {
            progress.check();
            // a large image labels for minutes: say which tile and the time left, so progress does not sit still
            if (tiles > 1) progress.report("Labelling tile " + (done[0] + 1) + "/" + tiles + Progress.timeLeft(t0, done[0], tiles), (double) done[0] / tiles);
            done[0]++;
            int[] arg = net.forwardFrozenLabels(in);
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) out[(y0 + y) * w + x0 + x] = channelToLabel[arg[(oy + y) * ow + ox + x]];
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
            FeatureMatrix m = spec.build(v, spec.raw(v, threads));
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
    private void forEachVolumeBlock(FeatureMatrix m, int w, int h, int d, Blocks.BlockSink sink) {
        Blocks.forEachBlock(Blocks.nchw(m, w, h * d), m.dims, w, h, d, Math.max(8, tileSize / 4), 16, net.nConv, net.zContext(), sink);
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
        Blocks.forEachPlaneTile(Blocks.nchw(m, w, h), m.dims, w, h, tile, net.context(), net.nConv, (in, x0, y0, tw, th, ox, oy, ow) -> {
            float[] r = net.forwardFrozenResponses(in);
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    System.arraycopy(r, ((oy + y) * ow + ox + x) * c, out, ((y0 + y) * w + x0 + x) * c, c);
                }
            }
        });
        return out;
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
        }
        // valid convolutions over edge-repeated context, or the reference's zero padding (2D)
        o.addProperty("padding", net.edgePadding ? "edge" : "zeros");
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
        o.addProperty("minRegionSize", minRegionSize);
        o.addProperty("mergeThreshold", mergeThreshold);
        o.addProperty("mergeTexture", mergeTexture);
        if (splitScale > 0) o.addProperty("splitScale", splitScale); // absent: models saved before it read alike
        o.addProperty("nRegions", nRegions);
        JsonObject fit = new JsonObject();
        fit.addProperty("iterations", iterations);
        fit.addProperty("loss", lastLoss);
        fit.addProperty("cancelled", cancelled);
        fit.addProperty("trainingScale", trainingScale);
        if (trainingTiles > 0) fit.addProperty("trainingTiles", trainingTiles);
        if (stop != null) fit.addProperty("stop", stop.name().toLowerCase(Locale.ROOT));
        if (presetUsed != null) fit.addProperty("preset", presetUsed);
        o.add("fit", fit);
    }

    public static CnnModel read(JsonObject o, FeatureSpec spec) {
        // 3D models saved before zKernel existed are 3x3x3
        boolean volumetric = o.has("volumetric") && o.get("volumetric").getAsBoolean();
        // 2D models saved before the padding was recorded zero-padded
        boolean edge = o.has("padding") && o.get("padding").getAsString().equals("edge");
        KanezakiNet net = volumetric
                ? new KanezakiNet(o.get("inChannels").getAsInt(), o.get("channels").getAsInt(), o.get("nConv").getAsInt(), 0,
                        DataType.FLOAT, true, o.has("zKernel") ? o.get("zKernel").getAsInt() : 3)
                : new KanezakiNet(o.get("inChannels").getAsInt(), o.get("channels").getAsInt(), o.get("nConv").getAsInt(), 0,
                        DataType.FLOAT, edge);
        if (o.has("zWeight")) net.zWeight = o.get("zWeight").getAsDouble();
        if (volumetric && !o.has("padding")) {
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
        CnnModel m = new CnnModel(spec, net, c2l, o.get("nLabels").getAsInt());
        if (o.has("tileSize")) m.tileSize = o.get("tileSize").getAsInt();
        if (o.has("minRegionSize")) m.minRegionSize = o.get("minRegionSize").getAsInt();
        if (o.has("mergeThreshold")) m.mergeThreshold = o.get("mergeThreshold").getAsDouble();
        if (o.has("mergeTexture")) m.mergeTexture = o.get("mergeTexture").getAsDouble();
        if (o.has("splitScale")) m.splitScale = o.get("splitScale").getAsDouble();
        if (o.has("nRegions")) m.nRegions = o.get("nRegions").getAsInt();
        if (o.has("fit") && o.get("fit").isJsonObject()) {
            // how the training went, for the summary of a run that applies the model (not "0 iterations")
            JsonObject fit = o.getAsJsonObject("fit");
            if (fit.has("iterations")) m.iterations = fit.get("iterations").getAsInt();
            if (fit.has("loss")) m.lastLoss = fit.get("loss").getAsDouble();
            if (fit.has("cancelled")) m.cancelled = fit.get("cancelled").getAsBoolean();
            if (fit.has("preset")) m.presetUsed = fit.get("preset").getAsString();
            if (fit.has("stop")) {
                try {
                    m.stop = CnnSegmenter.Stop.valueOf(fit.get("stop").getAsString().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    m.stop = null; // a stop reason this version does not know: left out of the summary
                }
            }
        }
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
        return String.format(Locale.ROOT, "CNN (%s%d channels, %d conv3x3%s), %d labels after %d iterations%s, loss %.4f%s%s%s%s%s",
                presetUsed == null ? "" : "preset " + presetUsed + ", ", net.channels, net.nConv, net.volumetric ? (net.zKernel == 3 ? "x3, 3D" : "x1, 3D") : "", nLabels, iterations,
                stop == null ? "" : " (" + stopText() + ")", lastLoss,
                trainingScale > 1 ? ", trained at 1/" + trainingScale + " scale" + (trainingTiles > 0 ? " on " + trainingTiles + " tiles" : "") : "",
                trainingPlanes > 1 ? ", trained on " + trainingPlanes + " planes" : "",
                scribbleClasses > 0 ? ", " + scribbleClasses + " scribble classes" : "",
                cancelled ? " (cancelled: current labels)" : "",
                regionText());
    }

    private String regionText() {
        List<String> r = new ArrayList<>();
        if (minRegionSize > 1) {
            r.add("below " + minRegionSize + " px" + (fallbackSize >= 0
                    ? " (below " + fallbackSize + " px where that left one label: the objects are smaller)" : ""));
        }
        if (mergeThreshold > 0) {
            r.add(String.format(Locale.ROOT, "with boundary contrast below %s", mergeThreshold)
                    + (mergeTexture > 0 ? String.format(Locale.ROOT, " + %s x the smoother region's own", mergeTexture) : ""));
        }
        if (nRegions > 0) r.add("down to " + nRegions);
        String split = splitScale > 0 ? String.format(Locale.ROOT, ", regions split along image edges (scale %s)", shortNumber(splitScale)) : "";
        return split + (r.isEmpty() ? "" : (split.isEmpty() ? ", regions merged " : ", then merged ") + String.join(", ", r));
    }

    /** 1000 rather than 1000.0 (the summary, messages). */
    public static String shortNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private String stopText() {
        switch (stop) {
            case MIN_LABELS: return "label target reached";
            case PATIENCE: return "no more progress";
            case MAX_SECONDS: return "time budget";
            case CANCELLED: return "cancelled";
            default: return "maximum iterations";
        }
    }
}

package io.github.unseg.cnn;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.unseg.cluster.GaussianMixture;
import io.github.unseg.cluster.KMeans;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;

import java.util.Locale;

/**
 * The trained CNN plus what labels its output: K-means centres in its response space
 * ("responses"), or, for the means of the CNN's regions ("regions"), a Gaussian mixture or
 * K-means centres in the input features' space.
 */
public final class CnnKMeansModel extends CnnModel {
    final double[] centers;
    final int k;
    final int[] clusterToLabel;
    /** true: the centres cluster the CNN's regions by their mean features; false: per-pixel responses. */
    final boolean regions;

    /** clusterWith = gmm: the mixture fitted on the pixels, whose most probable component labels a region. */
    final GaussianMixture.Model gmm;

    CnnKMeansModel(CnnModel cnn, GaussianMixture.Model gmm, int k, int[] clusterToLabel) {
        this(cnn, null, gmm, k, clusterToLabel, true);
    }

    CnnKMeansModel(CnnModel cnn, double[] centers, int k, int[] clusterToLabel, boolean regions) {
        this(cnn, centers, null, k, clusterToLabel, regions);
    }

    private CnnKMeansModel(CnnModel cnn, double[] centers, GaussianMixture.Model gmm, int k, int[] clusterToLabel, boolean regions) {
        super(cnn.featureSpec(), cnn.net, cnn.channelToLabel, k);
        this.centers = centers;
        this.gmm = gmm;
        this.k = k;
        this.clusterToLabel = clusterToLabel;
        this.regions = regions;
        if (regions) { // the regions are the CNN's after its region merging
            this.minRegionSize = cnn.minRegionSize;
            this.mergeThreshold = cnn.mergeThreshold;
            this.mergeTexture = cnn.mergeTexture;
            this.nRegions = cnn.nRegions;
        }
        this.stop = cnn.stop;
        this.iterations = cnn.iterations;
        this.lastLoss = cnn.lastLoss;
        this.cancelled = cnn.cancelled;
        this.cnnLabels = cnn.nLabels();
        this.tileSize = cnn.tileSize;
        this.trainingScale = cnn.trainingScale;
        this.trainingTiles = cnn.trainingTiles;
    }

    int cnnLabels;

    @Override public String method() { return "cnn-kmeans"; }

    @Override public int nLabels() { return k; }

    @Override
    public int[] predict(Image5D img, Progress progress) {
        if (regions) return super.predict(img, progress); // network labels, then postProcess per part
        if (net.volumetric) {
            int c = net.channels;
            return predictVolumes(img, progress, in -> {
                float[] r = net.forwardFrozenResponses(in);
                int[] cl = new int[r.length / c];
                KMeans.predict(r, cl.length, c, centers, k, cl, threads);
                for (int i = 0; i < cl.length; i++) cl[i] = clusterToLabel[cl[i]];
                return cl;
            });
        }
        return super.predict(img, progress); // plane by plane, via predictPlane
    }

    @Override boolean postProcesses() { return regions || super.postProcesses(); }

    /** Clustering the whole image's regions cannot be cut into blocks; clustering responses can (after merging is off). */
    @Override
    public int blockHalo() { return regions ? -1 : super.blockHalo(); }

    @Override
    public io.github.unseg.segment.SegmentationModel pixelwise() { return regions ? this : super.pixelwise(); }

    /**
     * "regions": the CNN's regions (with a mixture, split by its components first; then merged as
     * the CNN merges them), each labelled by its mean features' most probable component or nearest centre.
     */
    @Override
    int[] postProcess(int[] labels, Image5D part, FeatureMatrix m) {
        if (gmm != null) {
            // A region is one CNN label and one mixture component: a dim object that the network
            // gave the background's label is not averaged into the background; pieces below
            // minRegionSize (noise, specks) then merge into their most similar neighbour.
            int[] comp = new int[m.rows];
            gmm.predict(m.x, m.rows, comp, threads);
            int[] split = new int[labels.length];
            for (int r = 0; r < m.rows; r++) {
                int p = m.pixelOf(r);
                split[p] = labels[p] == 0 ? 0 : (labels[p] - 1) * k + comp[r] + 1;
            }
            labels = split;
        }
        if (!regions) return merge(labels, part, m, minRegionSize);
        int[] pieces = labels;
        // a component whose every piece was under minRegionSize: those pieces are its objects
        // (nuclei of 29 px on a 256 x 256 image), not specks
        return mergeKeepingSmallObjects(pieces, part, m, merged -> labelRegions(merged, part, m),
                out -> gmm == null || !lostAComponent(pieces, out));
    }

    /** Each region labelled by its mean features' most probable component, or nearest centre. */
    private int[] labelRegions(int[] regionLabels, Image5D part, FeatureMatrix m) {
        RegionClusters rc = new RegionClusters(regionLabels, m, part.width(), part.height(), part.depth());
        int[] cl = new int[rc.count];
        if (gmm != null) gmm.predict(rc.means, rc.count, cl, threads);
        else KMeans.predict(rc.means, rc.count, spec.dims(), centers, k, cl, threads);
        return rc.labels(cl, clusterToLabel);
    }

    /** Whether a mixture component that has pixels (split: CNN label x component) has no label left in out. */
    private boolean lostAComponent(int[] split, int[] out) {
        boolean[] had = new boolean[k], kept = new boolean[k + 1];
        for (int v : split) if (v > 0) had[(v - 1) % k] = true;
        for (int v : out) kept[v] = true;
        for (int c = 0; c < k; c++) if (had[c] && !kept[clusterToLabel[c]]) return true;
        return false;
    }

    @Override
    int[] predictPlane(Image5D img, Progress progress) {
        if (regions) return super.predictPlane(img, progress);
        RawPixels raw = spec.raw(img, threads);
        FeatureMatrix m = spec.build(img, raw);
        float[] resp = responses(img, m);
        int n = m.pixelCount;
        int[] cl = new int[n];
        KMeans.predict(resp, n, net.channels, centers, k, cl, threads);
        int[] out = new int[n];
        for (int r = 0; r < m.rows; r++) {
            int p = m.pixelOf(r);
            out[p] = clusterToLabel[cl[p]];
        }
        return out;
    }

    @Override
    protected void writeJson(JsonObject o) {
        super.writeJson(o);
        if (gmm != null) {
            JsonObject g = new JsonObject();
            io.github.unseg.segment.ModelIO.writeMixture(gmm, g);
            o.add("regionMixture", g);
        } else {
            JsonArray cs = new JsonArray();
            for (double v : centers) cs.add(v);
            o.add("responseCenters", cs);
        }
        JsonArray map = new JsonArray();
        for (int v : clusterToLabel) map.add(v);
        o.add("clusterToLabel", map);
        o.addProperty("clusterOn", regions ? "regions" : "responses");
        o.addProperty("cnnLabels", cnnLabels);   // the network's own labels ("nLabels" is the clusters')
    }

    public static CnnKMeansModel readEnsemble(JsonObject o, FeatureSpec spec) {
        CnnModel cnn = CnnModel.read(o, spec);
        JsonArray map = o.getAsJsonArray("clusterToLabel");
        int[] c2l = new int[map.size()];
        for (int i = 0; i < c2l.length; i++) c2l[i] = map.get(i).getAsInt();
        if (o.has("regionMixture")) {
            GaussianMixture.Model g = io.github.unseg.segment.ModelIO.readMixture(o.getAsJsonObject("regionMixture"), spec.dims(), "model", "regionMixture.");
            if (g.k != c2l.length) throw new io.github.unseg.core.SegmentationException("The model's regionMixture has " + g.k
                    + " components but clusterToLabel maps " + c2l.length + ": the file is damaged; fit again.");
            return withCnnLabels(new CnnKMeansModel(cnn, g, c2l.length, c2l), o);
        }
        JsonArray cs = o.getAsJsonArray("responseCenters");
        double[] centers = new double[cs.size()];
        for (int i = 0; i < centers.length; i++) centers[i] = cs.get(i).getAsDouble();
        // models saved before the regions mode clustered responses
        boolean regions = o.has("clusterOn") && o.get("clusterOn").getAsString().equals("regions");
        return withCnnLabels(new CnnKMeansModel(cnn, centers, c2l.length, c2l, regions), o);
    }

    private static CnnKMeansModel withCnnLabels(CnnKMeansModel m, JsonObject o) {
        if (o.has("cnnLabels")) m.cnnLabels = o.get("cnnLabels").getAsInt();   // older files: the summary says the clusters' count
        return m;
    }

    @Override
    public String summary() {
        String how = gmm != null ? String.format(Locale.ROOT, "its regions labelled by a %d-component Gaussian mixture of the pixels", k)
                : String.format(Locale.ROOT, "K-means into %d clusters of its %s", k, regions ? "regions' mean features" : "per-pixel responses");
        return String.format(Locale.ROOT, "CNN + K-means: CNN (%d channels%s) stopped at %d labels after %d iterations, %s%s",
                net.channels, net.volumetric ? (net.zKernel == 3 ? ", 3x3x3, 3D" : ", 3x3x1, 3D") : "", cnnLabels, iterations,
                how, cancelled ? " (CNN cancelled: current state)" : "")
                + (fallbackSize >= 0 ? "; pieces merged below " + fallbackSize + " px, not " + minRegionSize + ", where that left a mixture component no pixel: the objects are smaller" : "");
    }
}

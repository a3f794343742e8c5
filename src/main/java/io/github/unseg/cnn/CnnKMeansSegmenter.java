package io.github.unseg.cnn;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.unseg.cluster.KMeans;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.core.RawPixels;
import io.github.unseg.core.Sampling;
import io.github.unseg.core.SegmentationException;

import java.util.List;
import java.util.Locale;

/**
 * The CNN + K-means ensemble. Definition: train the unsupervised CNN as {@link CnnSegmenter}
 * does, then run K-means with nClusters on the CNN's per-pixel response vectors (C values per
 * pixel, the last layer's BatchNorm output), so the user gets exactly nClusters labels however
 * many the CNN stopped at. Labels are ordered by the mean first-channel intensity of their pixels.
 * In 3D, K-means fits on the responses of a random sample of sampleSize voxels.
 */
public final class CnnKMeansSegmenter extends CnnSegmenter {
    public int nInit = 3;

    @Override public String method() { return "cnn-kmeans"; }

    /** The K-means settings too, before the training (not after it). */
    @Override
    void validate() {
        super.validate();
        if (nClusters < 1 || nClusters > 65535) throw new io.github.unseg.core.SegmentationException("nClusters must be from 1 to 65535, got " + nClusters + ".");
    }

    @Override
    public Model fit(List<Image5D> images, Progress progress) {
        CnnSegmenter.Model cnn = super.fit(images, progress.range(0, 0.9));
        // cancelled training: cluster what the network reached, so the user keeps a result
        if (progress.isCancelled()) progress = progress.uncancellable();
        if (cnn.net.volumetric) return clusterVolume(cnn, images.get(0), progress);
        // K-means on the responses of the planes the CNN was trained on (the middle slice, or the
        // chosen training slices / images).
        List<Image5D> planes = trainingPlanes(images);
        List<FeatureMatrix> ms = new java.util.ArrayList<>();
        int c = cnn.net.channels, n = 0;
        for (Image5D plane : planes) {
            FeatureMatrix pm = cnn.featureSpec().build(plane, cnn.featureSpec().raw(plane));
            ms.add(pm);
            n += pm.pixelCount;
        }
        float[] resp = new float[n * c];
        float[] first = new float[n]; // first feature of each pixel, NaN where masked
        java.util.Arrays.fill(first, Float.NaN);
        for (int i = 0, off = 0; i < planes.size(); i++) {
            FeatureMatrix m = ms.get(i);
            float[] r = cnn.responses(planes.get(i), m);
            System.arraycopy(r, 0, resp, off * c, r.length);
            for (int row = 0; row < m.rows; row++) first[off + m.pixelOf(row)] = m.x[row * m.dims];
            off += m.pixelCount;
        }
        // Fit on a random sample of pixels when the image is large; every pixel is labelled.
        float[] fitRows = resp;
        int fitN = n;
        if (sampleSize > 0 && n > sampleSize) {
            int[] out = new int[1];
            fitRows = Sampling.sampleRows(List.of(new FeatureMatrix(resp, n, c, null, n)), sampleSize, seed, out);
            fitN = out[0];
        }
        return cluster(cnn, resp, n, fitRows, fitN, first, progress);
    }

    /**
     * 3D: K-means on the responses of a random sample of sampleSize voxels of the training volume
     * (all voxels when fewer), computed in blocks: the volume's responses are never held at once.
     */
    private Model clusterVolume(CnnSegmenter.Model cnn, Image5D img, Progress progress) {
        Image5D vol = img.frame(img.frames() / 2);
        FeatureMatrix m = cnn.featureSpec().build(vol, cnn.featureSpec().raw(vol));
        long[] rows = Sampling.sampleIndices(m.rows, sampleSize > 0 ? sampleSize : m.rows, seed); // rows in order: voxels in order
        int k = rows.length;
        int[] rank = new int[m.pixelCount];
        java.util.Arrays.fill(rank, -1);
        float[] first = new float[k];
        for (int i = 0; i < k; i++) {
            int row = (int) rows[i];
            rank[m.pixelOf(row)] = i;
            first[i] = m.x[row * m.dims];
        }
        progress.report("CNN responses of " + k + " voxels", 0.9);
        float[] resp = cnn.volumeResponses(vol, m, rank, k, progress);
        return cluster(cnn, resp, k, resp, k, first, progress);
    }

    /**
     * K-means with nClusters fitted on fitRows, applied to the n rows of resp; clusters ordered by
     * the mean first feature of their rows (first[i], NaN = masked, not counted).
     */
    private Model cluster(CnnSegmenter.Model cnn, float[] resp, int n, float[] fitRows, int fitN, float[] first, Progress progress) {
        int c = cnn.net.channels;
        if (Sampling.distinctRows(resp, n, c, nClusters) < nClusters) {
            throw new SegmentationException("The CNN's responses take fewer than nClusters = " + nClusters
                    + " distinct values on this image: choose fewer clusters.");
        }
        progress.report("K-means on the CNN responses", 0.9);
        KMeans km = new KMeans();
        km.nClusters = nClusters;
        km.nInit = nInit;
        km.seed = seed;
        km.threads = threads;
        KMeans.Result r = km.fit(fitRows, fitN, c, progress.range(0.9, 1));
        int[] cl = new int[n];
        KMeans.predict(resp, n, c, r.centers, nClusters, cl, threads);
        // Order clusters by the mean first feature (first channel's normalised intensity).
        double[] sum = new double[nClusters];
        long[] cnt = new long[nClusters];
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(first[i])) continue;
            sum[cl[i]] += first[i];
            cnt[cl[i]]++;
        }
        Integer[] idx = new Integer[nClusters];
        for (int i = 0; i < nClusters; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (a, b) -> {
            double ma = cnt[a] == 0 ? Double.MAX_VALUE : sum[a] / cnt[a], mb = cnt[b] == 0 ? Double.MAX_VALUE : sum[b] / cnt[b];
            int o = Double.compare(ma, mb);
            return o != 0 ? o : Integer.compare(a, b);
        });
        int[] clusterToLabel = new int[nClusters];
        for (int i = 0; i < nClusters; i++) clusterToLabel[idx[i]] = i + 1;
        Model model = new Model(cnn, r.centers, nClusters, clusterToLabel);
        model.threads = threads;
        return model;
    }

    /** The trained CNN plus K-means centres in its response space. */
    public static final class Model extends CnnSegmenter.Model {
        final double[] centers;
        final int k;
        final int[] clusterToLabel;

        Model(CnnSegmenter.Model cnn, double[] centers, int k, int[] clusterToLabel) {
            super(cnn.featureSpec(), cnn.net, cnn.channelToLabel, k);
            this.centers = centers;
            this.k = k;
            this.clusterToLabel = clusterToLabel;
            this.iterations = cnn.iterations;
            this.lastLoss = cnn.lastLoss;
            this.cancelled = cnn.cancelled;
            this.cnnLabels = cnn.nLabels();
            this.tileSize = cnn.tileSize;
            this.trainingScale = cnn.trainingScale;
        }

        int cnnLabels;

        @Override public String method() { return "cnn-kmeans"; }

        @Override
        public int[] predict(Image5D img, Progress progress) {
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
            if (img.depth() * img.frames() > 1) return super.predict(img, progress); // plane by plane, via this method
            RawPixels raw = spec.raw(img);
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
            JsonArray cs = new JsonArray();
            for (double v : centers) cs.add(v);
            o.add("responseCenters", cs);
            JsonArray map = new JsonArray();
            for (int v : clusterToLabel) map.add(v);
            o.add("clusterToLabel", map);
        }

        public static Model readEnsemble(JsonObject o, FeatureSpec spec) {
            CnnSegmenter.Model cnn = CnnSegmenter.Model.read(o, spec);
            JsonArray cs = o.getAsJsonArray("responseCenters"), map = o.getAsJsonArray("clusterToLabel");
            double[] centers = new double[cs.size()];
            for (int i = 0; i < centers.length; i++) centers[i] = cs.get(i).getAsDouble();
            int[] c2l = new int[map.size()];
            for (int i = 0; i < c2l.length; i++) c2l[i] = map.get(i).getAsInt();
            return new Model(cnn, centers, c2l.length, c2l);
        }

        @Override
        public String summary() {
            return String.format(Locale.ROOT, "CNN + K-means: CNN (%d channels%s) stopped at %d labels after %d iterations, K-means into %d clusters%s",
                    net.channels, net.volumetric ? (net.zKernel == 3 ? ", 3x3x3, 3D" : ", 3x3x1, 3D") : "", cnnLabels, iterations, k, cancelled ? " (CNN cancelled: current state)" : "");
        }
    }
}

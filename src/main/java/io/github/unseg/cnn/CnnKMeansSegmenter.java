package io.github.unseg.cnn;

import io.github.unseg.cluster.GaussianMixture;
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
 * The CNN + K-means ensemble: train the unsupervised CNN as {@link CnnSegmenter} does, so that it
 * over-segments (it stops at minLabels = 16 here), then give its regions nClusters labels. By
 * default ("gmm") a Gaussian mixture is fitted on the pixels, a region is a connected piece of
 * one CNN label and one component (pieces under minRegionSize merge into their most similar
 * neighbour), and each region gets its mean's most probable component; with "kmeans", K-means
 * clusters the CNN's regions' means, weighted by size. So the user gets exactly nClusters labels
 * however many the CNN stopped at, and no label of a few noisy pixels.
 * clusterOn = responses instead runs K-means on every pixel's C response values (the last
 * layer's BatchNorm output; in 3D on a random sample of sampleSize voxels). Labels are ordered
 * by their centre's first feature (darkest first).
 */
public final class CnnKMeansSegmenter extends CnnSegmenter {
    /** Number of labels. */
    public int nClusters = 3;
    public int nInit = 3;
    /** The mixture (or K-means on responses) fits on at most this many random pixels (0 = all); every pixel is labelled. */
    public int sampleSize = 200_000;
    /**
     * What is clustered: "regions" (default), the CNN's regions by their mean input features (see
     * clusterWith); "responses", every pixel's C response values, by K-means.
     */
    public String clusterOn = "regions";
    /**
     * What assigns the regions to nClusters labels: "gmm" (default), a Gaussian mixture fitted on
     * the pixels' features, the regions split by its components, each region getting its mean's
     * most probable component; "kmeans", K-means on the CNN's regions' means weighted by size.
     * Why gmm: K-means' boundary lies midway between the centres, so dim nuclei on a dark
     * background join the background (GOWT1 fg IoU 0.45 against 0.80, README Methods); a mixture
     * puts it where the densities cross. Why split: a dim nucleus that the network labelled as
     * the background around it would otherwise be averaged into it.
     */
    public String clusterWith = "gmm";

    {
        // The CNN is the region finder here and the clustering does the merging: stop it while it
        // still over-segments and let no weak boundary merge a dim object into the background.
        minLabels = 16;
        mergeThreshold = 0;
    }

    @Override public String method() { return "cnn-kmeans"; }

    /** "photo" sets the CNN's region merging, which the clustering does here instead; so "auto" is "microscopy". */
    @Override
    public void preset(String name, boolean objects) {
        if (name.equals("photo")) {
            throw new SegmentationException("The preset photo is for the unsupervised CNN (method cnn) alone: CNN + K-means merges"
                    + " the CNN's regions by its clustering. Leave the preset out here.");
        }
        super.preset(name.equals("auto") ? "microscopy" : name, objects);   // never photo, whatever the image
    }

    /**
     * With clusterWith gmm the mixture is fitted on the pixels and the regions are formed only
     * when labelling, so other region settings relabel the same fit; K-means clusters the merged
     * regions themselves, and clusterOn responses has no regions.
     */
    @Override
    boolean fitIgnoresRegions(CnnModel fitted) {
        return "regions".equals(clusterOn) && "gmm".equals(clusterWith) && fitted instanceof CnnKMeansModel
                && ((CnnKMeansModel) fitted).gmm != null;
    }

    /** The K-means settings too, before the training (not after it). */
    @Override
    public void validate() {
        super.validate();
        if (nClusters < 1 || nClusters > 65535) throw new io.github.unseg.core.SegmentationException("nClusters must be from 1 to 65535, got " + nClusters + ".");
        if (!"regions".equals(clusterOn) && !"responses".equals(clusterOn)) {
            throw new SegmentationException("clusterOn must be regions or responses, got " + clusterOn + ".");
        }
        if (!"gmm".equals(clusterWith) && !"kmeans".equals(clusterWith)) {
            throw new SegmentationException("clusterWith must be gmm or kmeans, got " + clusterWith + ".");
        }
    }

    @Override
    public CnnKMeansModel fit(List<Image5D> images, Progress progress) {
        if ("regions".equals(clusterOn) && "gmm".equals(clusterWith)) refuseTooFewValues(images);
        CnnModel cnn = super.fit(images, progress.range(0, 0.9));
        // cancelled training: cluster what the network reached, so the user keeps a result
        if (progress.isCancelled()) progress = progress.uncancellable();
        if ("regions".equals(clusterOn)) return clusterRegions(cnn, images, progress);
        if (cnn.net.volumetric) return clusterVolume(cnn, images.get(0), progress);
        // K-means on the responses of the planes the CNN was trained on (the middle slice, or the
        // chosen training slices / images).
        List<Image5D> planes = trainingPlanes(images);
        List<FeatureMatrix> ms = new java.util.ArrayList<>();
        int c = cnn.net.channels, n = 0;
        for (Image5D plane : planes) {
            FeatureMatrix pm = cnn.featureSpec().build(plane, cnn.featureSpec().raw(plane, threads));
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

    /** Before the CNN trains (minutes): the mixture needs nClusters distinct pixel values, say so now. */
    private void refuseTooFewValues(List<Image5D> images) {
        java.util.Set<java.util.List<Float>> seen = new java.util.HashSet<>();
        for (Image5D img : images) {
            int c = img.channels();
            // the channels' pixels side by side, read in place (no copy): usually the first rows settle it
            List<net.imglib2.Cursor<? extends net.imglib2.type.numeric.RealType<?>>> cursors = new java.util.ArrayList<>();
            for (int ch = 0; ch < c; ch++) {
                cursors.add(net.imglib2.view.Views.flatIterable(net.imglib2.view.Views.hyperSlice(img.data(), Image5D.C, ch)).cursor());
            }
            Float[] row = new Float[c];
            while (cursors.get(0).hasNext() && seen.size() < nClusters) {
                boolean valid = true;
                for (int ch = 0; ch < c; ch++) {
                    row[ch] = cursors.get(ch).next().getRealFloat();
                    valid &= Float.isFinite(row[ch]);
                }
                if (valid) seen.add(java.util.List.of(row));
            }
            if (seen.size() >= nClusters) return;
        }
        if (seen.isEmpty()) return;   // no finite pixel at all: the features' check (next) says that, not "uniform"
        throw io.github.unseg.segment.ClusterSegmenter.tooFewValues(seen.size(), nClusters);
    }

    /**
     * "regions": with "gmm", a Gaussian mixture fitted on the training planes' (or volume's) pixels;
     * with "kmeans", the CNN labels them with its region merging and K-means clusters those
     * regions' mean features, each weighted by its pixel count.
     */
    private CnnKMeansModel clusterRegions(CnnModel cnn, List<Image5D> images, Progress progress) {
        List<Image5D> parts = cnn.net.volumetric ? List.of(images.get(0).frame(images.get(0).frames() / 2)) : trainingPlanes(images);
        int dims = cnn.featureSpec().dims();
        if ("gmm".equals(clusterWith)) {
            // The mixture is fitted on the pixels; the regions are formed when labelling (postProcess).
            // Its sample is drawn from every plane, as the Gaussian mixture's is: the network trains
            // on one, but a stack's frames differ (a bleaching time-lapse: fitted on the middle
            // frame, most of the first, brighter throughout, was foreground). Slices named for
            // training are the sample's.
            List<Image5D> sampled = trainingSlices != null && trainingSlices.length > 0 && !cnn.net.volumetric ? parts : images;
            List<FeatureMatrix> ms = new java.util.ArrayList<>();
            for (Image5D part : sampled) ms.add(cnn.featureSpec().build(part, cnn.featureSpec().raw(part, threads)));
            progress.report("Gaussian mixture on the pixels", 0.95);
            int[] rows = new int[1];
            float[] px = Sampling.sampleRows(ms, sampleSize, seed, rows);
            if (Sampling.distinctRows(px, rows[0], dims, nClusters) < nClusters) {
                throw new SegmentationException("The image has fewer than nClusters = " + nClusters
                        + " distinct values: choose fewer clusters.");
            }
            GaussianMixture g = new GaussianMixture();
            g.nComponents = nClusters;
            g.seed = seed;
            g.threads = threads;
            GaussianMixture.Model gm = g.fit(px, rows[0], dims, progress.range(0.95, 1)).model;
            double[] means = new double[nClusters * dims];
            for (int i = 0; i < nClusters; i++) System.arraycopy(gm.means[i], 0, means, i * dims, dims);
            CnnKMeansModel model = new CnnKMeansModel(cnn, gm, nClusters, byCentre(means, nClusters, dims));
            model.threads = threads;
            return model;
        }
        List<RegionClusters> all = new java.util.ArrayList<>();
        int n = 0;
        for (Image5D part : parts) {
            progress.report("CNN regions", 0.9);
            FeatureMatrix m = cnn.featureSpec().build(part, cnn.featureSpec().raw(part, threads));
            RegionClusters rc = new RegionClusters(cnn.predict(part, Progress.NONE), m, part.width(), part.height(), part.depth());
            all.add(rc);
            n += rc.count;
        }
        if (n < nClusters) {
            throw new SegmentationException("The CNN found " + n + " region(s), fewer than nClusters = " + nClusters
                    + ": choose fewer clusters, or clusterOn = responses.");
        }
        float[] x = new float[n * dims];
        double[] w = new double[n];
        for (int i = 0, off = 0; i < all.size(); i++) {
            RegionClusters rc = all.get(i);
            System.arraycopy(rc.means, 0, x, off * dims, rc.count * dims);
            System.arraycopy(rc.sizes, 0, w, off, rc.count);
            off += rc.count;
        }
        if (Sampling.distinctRows(x, n, dims, nClusters) < nClusters) {
            throw new SegmentationException("The CNN's regions take fewer than nClusters = " + nClusters
                    + " distinct mean values on this image: choose fewer clusters.");
        }
        progress.report("K-means on the CNN's regions", 0.95);
        KMeans.Result r = kmeans().fit(x, w, n, dims, progress.range(0.95, 1));
        CnnKMeansModel model = new CnnKMeansModel(cnn, r.centers, nClusters, byCentre(r.centers, nClusters, dims), true);
        model.threads = threads;
        return model;
    }

    /** K-means with nClusters at its own defaults for iterations and tolerance (maxIterations is the CNN's). */
    private KMeans kmeans() {
        KMeans defaults = new KMeans();
        return KMeans.of(nClusters, nInit, defaults.maxIterations, defaults.tolerance, seed, threads);
    }

    /** Cluster -> label 1..k by the centres' first feature (then the next): the darkest cluster is 1. */
    static int[] byCentre(double[] centers, int k, int dims) {
        double[][] rows = new double[k][];
        for (int i = 0; i < k; i++) rows[i] = java.util.Arrays.copyOfRange(centers, i * dims, (i + 1) * dims);
        int[] order = io.github.unseg.core.LabelOrder.ofCentres(rows), map = new int[k];
        for (int i = 0; i < k; i++) map[order[i]] = i + 1;
        return map;
    }

    /**
     * 3D: K-means on the responses of a random sample of sampleSize voxels of the training volume
     * (all voxels when fewer), computed in blocks: the volume's responses are never held at once.
     */
    private CnnKMeansModel clusterVolume(CnnModel cnn, Image5D img, Progress progress) {
        Image5D vol = img.frame(img.frames() / 2);
        FeatureMatrix m = cnn.featureSpec().build(vol, cnn.featureSpec().raw(vol, threads));
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
    private CnnKMeansModel cluster(CnnModel cnn, float[] resp, int n, float[] fitRows, int fitN, float[] first, Progress progress) {
        int c = cnn.net.channels;
        if (Sampling.distinctRows(resp, n, c, nClusters) < nClusters) {
            throw new SegmentationException("The CNN's responses take fewer than nClusters = " + nClusters
                    + " distinct values on this image: choose fewer clusters.");
        }
        progress.report("K-means on the CNN responses", 0.9);
        KMeans.Result r = kmeans().fit(fitRows, fitN, c, progress.range(0.9, 1));
        int[] cl = new int[n];
        KMeans.predict(resp, n, c, r.centers, nClusters, cl, threads);
        int[] clusterToLabel = io.github.unseg.core.LabelOrder.byMeanFeature(cl, first, nClusters, 0);
        CnnKMeansModel model = new CnnKMeansModel(cnn, r.centers, nClusters, clusterToLabel, false);
        model.threads = threads;
        return model;
    }
}

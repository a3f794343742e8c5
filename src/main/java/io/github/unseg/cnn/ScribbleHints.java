package io.github.unseg.cnn;

import io.github.unseg.core.Image5D;
import io.github.unseg.core.SegmentationException;

import java.util.List;

/** Scribbles (TIP 2020 class hints) checked against the image and put on the training plane. */
final class ScribbleHints {
    private ScribbleHints() { }

    /**
     * Checks the scribbles against the (first) training plane, or the training volume in 3D,
     * scales them to the training scale (each box keeps its most frequent hint) and attaches
     * them; returns the number of classes. Hints may cover the training plane / volume, one plane
     * (in 3D: put on the middle slice), or the whole image (the training plane's / volume's part
     * is used).
     */
    static int attach(int[] scribbles, int[] trainingSlices, int nChannels, Image5D image, Image5D target, List<CnnSegmenter.Plane> train) {
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
        CnnSegmenter.Plane pl = train.get(0);
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
}

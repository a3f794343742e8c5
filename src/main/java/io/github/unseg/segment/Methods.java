package io.github.unseg.segment;

import io.github.unseg.core.SegmentationException;

import java.util.List;

/** The segmenters by their short names (command line, saved models). */
public final class Methods {
    public static final List<String> NAMES = List.of("kmeans", "gmm", "gmm-kmeans", "cnn", "cnn-kmeans");

    private Methods() { }

    public static ClusterSegmenter create(String name) {
        switch (name) {
            case "kmeans": case "k-means": return new KMeansSegmenter();
            case "gmm": return new GmmSegmenter();
            case "gmm-kmeans": case "gmm+kmeans": return new GmmKMeansSegmenter();
            case "cnn": return new io.github.unseg.cnn.CnnSegmenter();
            case "cnn-kmeans": case "cnn+kmeans": return new io.github.unseg.cnn.CnnKMeansSegmenter();
            default: throw new SegmentationException("Unknown method '" + name + "': use one of " + String.join(", ", NAMES) + ".");
        }
    }
}

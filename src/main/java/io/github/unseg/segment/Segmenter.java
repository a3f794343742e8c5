package io.github.unseg.segment;

import io.github.unseg.core.FeatureOptions;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;

import java.util.List;

/**
 * An unsupervised segmentation method, in the spirit of a scikit-learn estimator: its public
 * fields are the settings; {@link #fit} learns a {@link SegmentationModel} from one or more images
 * (or slices), and that model labels any compatible image, and can be saved and loaded.
 */
public interface Segmenter {
    /** Short name used in saved models and on the command line, e.g. "kmeans". */
    String method();

    SegmentationModel fit(List<Image5D> images, Progress progress);

    /**
     * Checks the settings that need no image, so that a front end refuses them before reading
     * any (a batch would otherwise fail file by file); fit checks them again.
     */
    default void validate() { }

    /** The pixel-feature settings (normalization, smoothing, NaN policy...). */
    FeatureOptions features();

    default SegmentationModel fit(Image5D image, Progress progress) {
        return fit(List.of(image), progress);
    }
}

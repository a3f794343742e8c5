package io.github.unseg.cluster;

import io.github.unseg.core.SegmentationException;

import java.util.Locale;

/** Shape of each Gaussian's covariance. */
public enum CovarianceType {
    FULL, DIAG;

    public static CovarianceType parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "full": return FULL;
            case "diag": case "diagonal": return DIAG;
            default: throw new SegmentationException("Unknown covariance type '" + s + "': use full or diag.");
        }
    }
}

package io.github.unseg.core;

import java.util.Locale;

/** How each channel's intensities are scaled before clustering. */
public enum Normalization {
    /** (v - min) / (max - min): every channel in [0, 1]. */
    MINMAX("min-max"),
    /** (v - mean) / std. */
    ZSCORE("z-score"),
    /** Raw intensities. */
    NONE("none");

    private final String label;

    Normalization(String label) { this.label = label; }

    public String label() { return label; }

    /** Parses "min-max", "minmax", "z-score", "zscore", "none" (any case). */
    public static Normalization parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        switch (k) {
            case "minmax": return MINMAX;
            case "zscore": return ZSCORE;
            case "none": return NONE;
            default:
                throw new SegmentationException("Unknown normalization '" + s + "': use min-max, z-score or none.");
        }
    }
}

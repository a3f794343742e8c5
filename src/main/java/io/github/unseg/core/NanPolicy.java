package io.github.unseg.core;

import java.util.Locale;

/** What to do with NaN pixels (common in float images where a region is masked out). */
public enum NanPolicy {
    /** NaN pixels are left out of fitting and get label 0. */
    MASK,
    /** NaN pixels are an error. */
    REJECT;

    public static NanPolicy parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "mask": return MASK;
            case "reject": return REJECT;
            default: throw new SegmentationException("Unknown NaN policy '" + s + "': use mask or reject.");
        }
    }
}

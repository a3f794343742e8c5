package io.github.unseg.core;

/**
 * The scale each channel's intensities are read on, before shading correction, smoothing and
 * filters. log: v -> ln(1 + 255 (v - low) / (high - low)), low and high the channel's range over
 * the images a model is fitted on (kept in the model): one 8-bit grey level above the darkest
 * pixel is where the compression starts, whatever the image type, so that cells a few grey levels
 * above a black background and cells at the top of the range both stand clear of it (fluorescence
 * with a wide dynamic range, ImageJ's Process > Math > Log on the offset-free image).
 */
public enum Intensity {
    LINEAR("linear"), LOG("log");

    /** The grey levels the range is divided into: an 8-bit image's. */
    static final double LEVELS = 255;

    private final String label;

    Intensity(String label) { this.label = label; }

    public String label() { return label; }

    public static Intensity parse(String s) {
        for (Intensity i : values()) if (i.label.equalsIgnoreCase(s.trim())) return i;
        throw new SegmentationException("Unknown intensity scale '" + s + "': use linear or log.");
    }
}

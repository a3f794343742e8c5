package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/** Label and probability images shaped like an input image, with its calibration. */
public final class LabelImages {
    private LabelImages() { }

    /** Title without extension, for derived titles and file names. */
    public static String baseName(String title) {
        if (title == null || title.isEmpty()) return "image";
        int dot = title.lastIndexOf('.');
        return dot > 0 && title.length() - dot <= 5 ? title.substring(0, dot) : title;
    }

    /**
     * An empty label image for {@code input}: one channel, the input's slices and frames, 16-bit
     * (32-bit only when maxLabel exceeds 65535), Glasbey LUT, calibration copied.
     */
    public static ImagePlus create(ImagePlus input, int maxLabel) {
        int w = input.getWidth(), h = input.getHeight(), nz = input.getNSlices(), nt = input.getNFrames();
        ImageStack st = new ImageStack(w, h);
        for (int i = 0; i < nz * nt; i++) {
            st.addSlice(maxLabel > 65535 ? new FloatProcessor(w, h) : new ShortProcessor(w, h));
        }
        ImagePlus out = new ImagePlus(baseName(input.getTitle()) + "-labels", st);
        out.setDimensions(1, nz, nt);
        if (nz > 1 && nt > 1) out.setOpenAsHyperStack(true);
        Calibration cal = input.getCalibration();
        if (cal != null) out.setCalibration(cal.copy());
        applyLut(out, maxLabel);
        return out;
    }

    /** The largest label in a label image (16-bit or 32-bit). */
    public static int max(ImagePlus labels) {
        ImageStack st = labels.getStack();
        double m = 0;
        for (int i = 1; i <= st.getSize(); i++) {
            Object px = st.getPixels(i);
            if (px instanceof short[]) for (short v : (short[]) px) m = Math.max(m, v & 0xffff);
            else if (px instanceof float[]) for (float v : (float[]) px) m = Math.max(m, v);
            else m = Math.max(m, st.getProcessor(i).getStatistics().max);
        }
        return (int) m;
    }

    /** Glasbey LUT with label v shown as colour v (labels past 255 cycle through the LUT's 255 colours). */
    public static void applyLut(ImagePlus labels, int maxLabel) {
        ImageStack st = labels.getStack();
        for (int i = 1; i <= st.getSize(); i++) {
            ImageProcessor ip = st.getProcessor(i);
            ip.setLut(Glasbey.lut());
        }
        labels.getProcessor().setLut(Glasbey.lut());
        labels.setDisplayRange(0, 255);
        labels.setProperty("UnSeg.maxLabel", maxLabel);
    }

    /** A 32-bit probability stack: one channel per label, the input's slices and frames. */
    public static ImagePlus createProbabilities(ImagePlus input, int nLabels) {
        int w = input.getWidth(), h = input.getHeight(), nz = input.getNSlices(), nt = input.getNFrames();
        ImageStack st = new ImageStack(w, h);
        for (int t = 0; t < nt; t++) {
            for (int z = 0; z < nz; z++) {
                for (int c = 0; c < nLabels; c++) {
                    st.addSlice("p(label " + (c + 1) + ")", new FloatProcessor(w, h));
                }
            }
        }
        ImagePlus out = new ImagePlus(baseName(input.getTitle()) + "-probabilities", st);
        out.setDimensions(nLabels, nz, nt);
        if (nLabels > 1 && (nz > 1 || nt > 1)) out.setOpenAsHyperStack(true);
        Calibration cal = input.getCalibration();
        if (cal != null) out.setCalibration(cal.copy());
        out.setDisplayRange(0, 1);
        return out;
    }
}

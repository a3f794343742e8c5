package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.github.unseg.core.SegmentationException;

/** Label images (ImagePlus) as flat int arrays for the evaluator; slices and frames stack as z. */
public final class LabelArrays {
    private LabelArrays() { }

    public static int[] dims(ImagePlus imp) {
        return new int[]{imp.getWidth(), imp.getHeight(), imp.getNSlices() * imp.getNFrames()};
    }

    public static String describe(ImagePlus imp) {
        int[] d = dims(imp);
        return "'" + imp.getTitle() + "' (" + d[0] + "x" + d[1] + (d[2] > 1 ? "x" + d[2] : "") + ")";
    }

    public static int[] of(ImagePlus imp, String role) {
        if (imp == null) throw new SegmentationException("No " + role + " image: open it or give its file.");
        if (imp.getStackSize() == 0 || imp.getWidth() == 0) throw new SegmentationException("The " + role + " image is empty.");
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            throw new SegmentationException("The " + role + " image " + describe(imp) + " is RGB; a label image has one"
                    + " integer label per pixel (8-, 16- or 32-bit). Convert a colour-coded one with Image>Type>8-bit Color first?");
        }
        if (imp.getNChannels() > 1) {
            throw new SegmentationException("The " + role + " image " + describe(imp) + " has " + imp.getNChannels()
                    + " channels; a label image has one (split the channels first).");
        }
        int[] d = dims(imp);
        int plane = d[0] * d[1];
        int[] out = new int[plane * d[2]];
        ImageStack st = imp.getStack();
        for (int z = 0; z < d[2]; z++) {
            ImageProcessor ip = st.getProcessor(z + 1);
            for (int i = 0; i < plane; i++) {
                float v = ip.getf(i);
                if (v != Math.rint(v) || Math.abs(v) > 1 << 30) {
                    throw new SegmentationException("The " + role + " image " + describe(imp) + " has the non-integer value "
                            + v + " at pixel " + (i % d[0]) + "," + (i / d[0]) + (d[2] > 1 ? "," + z : "")
                            + "; a label image holds whole-number labels.");
                }
                out[z * plane + i] = (int) v;
            }
        }
        return out;
    }

    /** Throws a message naming both images and their sizes when they differ. */
    public static void checkSameSize(ImagePlus a, String roleA, ImagePlus b, String roleB) {
        int[] da = dims(a), db = dims(b);
        if (da[0] != db[0] || da[1] != db[1] || da[2] != db[2]) {
            String[] axes = {"width", "height", "depth"};
            StringBuilder diff = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                if (da[i] != db[i]) diff.append(diff.length() == 0 ? "" : ", ").append(axes[i]).append(' ').append(da[i]).append(" vs ").append(db[i]);
            }
            throw new SegmentationException("The " + roleA + " " + describe(a) + " and the " + roleB + " " + describe(b)
                    + " differ in size (" + diff + "): compare images of the same size.");
        }
    }
}

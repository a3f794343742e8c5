package io.github.unseg.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What kind of image this is, where a default depends on it: the CNN's preset auto (photo
 * settings for a colour photo) and the objects' foreground auto (dark objects on a colour
 * brightfield image, whose stain darkens what it marks).
 */
public final class ImageKind {
    private ImageKind() {}

    /**
     * Auto's test for a colour photo: one 2D plane of three channels of whole numbers 0-255 (an RGB
     * image) that carry colour (not red = green = blue everywhere: a grey image saved as RGB), each
     * channel in use (1 % of its pixels at 32 or above: a one- or two-colour fluorescence merge
     * leaves a channel black; no BSDS photo fails this, bench/auto_preset.sh), not dark-field (half
     * its pixels or more below 32 in every channel, as a fluorescence merge on black; 5 of BSDS's
     * 300 photos, dark scenes, fail this), and whose colour is not a function of brightness: the
     * chroma (red - green, blue - green) of pixels of equal brightness varies by a grey level or
     * more (pooled standard deviation), as in a scene of coloured things; a grey image with a tint
     * or through a one-hue LUT has one colour per brightness (BSDS photos 3.1 or more, DRIVE 8 or
     * more, a red cast 0.2 at most, JPEG or not; a strong hue saved as JPEG is smeared past 1 and
     * taken for a photo, README), and not an image of 256 colours or fewer (any 8-bit image through
     * any LUT, e.g. Fire, flattened to RGB; a photo has thousands). RGB histology and brightfield
     * pass the test (the CNN's photo settings there: README, H&E histology).
     */
    public static boolean colourPhoto(Image5D image) {
        if (image.channels() != 3 || image.depth() != 1 || image.frames() != 1) return false;
        List<net.imglib2.Cursor<? extends net.imglib2.type.numeric.RealType<?>>> cs = new ArrayList<>();
        for (int c = 0; c < 3; c++) cs.add(net.imglib2.view.Views.flatIterable(image.channels(new int[]{c}).data()).cursor());
        long dark = 0;
        long[] lit = new long[3];
        // per brightness (r + g + b) / 3: count, sums and sums of squares of the two chroma differences
        long[] count = new long[256], sa = new long[256], saa = new long[256], sb = new long[256], sbb = new long[256];
        int[] v = new int[3];
        java.util.BitSet seen = new java.util.BitSet(1 << 24);
        int colours = 0;
        while (cs.get(0).hasNext()) {
            int max = 0;
            for (int c = 0; c < 3; c++) {
                double d = cs.get(c).next().getRealDouble();
                if (!(d >= 0 && d <= 255) || d != Math.rint(d)) return false;   // not 8-bit
                v[c] = (int) d;
                max = Math.max(max, v[c]);
                if (v[c] >= 32) lit[c]++;
            }
            if (max < 32) dark++;
            int rgb = (v[0] << 16) | (v[1] << 8) | v[2];
            if (colours <= 256 && !seen.get(rgb)) {
                seen.set(rgb);
                colours++;
            }
            int l = (v[0] + v[1] + v[2]) / 3, a = v[0] - v[1], b = v[2] - v[1];
            count[l]++;
            sa[l] += a;
            saa[l] += (long) a * a;
            sb[l] += b;
            sbb[l] += (long) b * b;
        }
        long n = image.pixelCount();
        for (long l : lit) if (100 * l < n) return false;
        if (2 * dark >= n || colours <= 256) return false;
        double within = 0;   // summed squared deviations from each brightness's mean chroma
        for (int l = 0; l < 256; l++) {
            if (count[l] == 0) continue;
            within += saa[l] - (double) sa[l] * sa[l] / count[l] + sbb[l] - (double) sb[l] * sb[l] / count[l];
        }
        return within >= n;   // pooled standard deviation at least one grey level (R = G = B gives 0)
    }
}

package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.SegmentationException;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import org.junit.jupiter.api.Test;

import java.awt.image.IndexColorModel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePlusViewsTest {

    private static double at(RandomAccessibleInterval<? extends RealType<?>> v, long... pos) {
        RandomAccess<? extends RealType<?>> ra = v.randomAccess();
        ra.setPosition(pos);
        return ra.get().getRealDouble();
    }

    private static void set(RandomAccessibleInterval<? extends RealType<?>> v, double value, long... pos) {
        RandomAccess<? extends RealType<?>> ra = v.randomAccess();
        ra.setPosition(pos);
        ra.get().setReal(value);
    }

    private static long[] dims(RandomAccessibleInterval<?> v) {
        long[] d = new long[v.numDimensions()];
        v.dimensions(d);
        return d;
    }

    /** Reads and writes through the view agree with the processor, for one pixel type. */
    private static void roundTrip(ImageProcessor ip, double value) {
        ImagePlus imp = new ImagePlus("t", ip);
        RandomAccessibleInterval<? extends RealType<?>> v = ImagePlusViews.xyczt(imp);
        assertArrayEquals(new long[]{ip.getWidth(), ip.getHeight(), 1, 1, 1}, dims(v));
        ip.putPixelValue(3, 2, value);
        assertEquals(value, at(v, 3, 2, 0, 0, 0), 1e-6, "read through the view");
        set(v, value / 2, 4, 1, 0, 0, 0);
        assertEquals(value / 2, ip.getPixelValue(4, 1), 1e-6, "write through the view is seen by the ImagePlus");
    }

    @Test
    void grayTypesRoundTripWithoutCopy() {
        roundTrip(new ByteProcessor(7, 5), 200); // unsigned: 200 stays 200, not -56
        roundTrip(new ShortProcessor(7, 5), 60000);
        roundTrip(new FloatProcessor(7, 5), -1.5);
    }

    @Test
    void rgbIsThreeChannelsOverThePackedInts() {
        ColorProcessor cp = new ColorProcessor(4, 3);
        cp.set(1, 2, (10 << 16) | (20 << 8) | 30);
        ImagePlus imp = new ImagePlus("rgb", cp);
        RandomAccessibleInterval<? extends RealType<?>> v = ImagePlusViews.xyczt(imp);
        assertArrayEquals(new long[]{4, 3, 3, 1, 1}, dims(v));
        assertEquals(10, at(v, 1, 2, 0, 0, 0));
        assertEquals(20, at(v, 1, 2, 1, 0, 0));
        assertEquals(30, at(v, 1, 2, 2, 0, 0));
        set(v, 99, 1, 2, 1, 0, 0);
        assertEquals((10 << 16) | (99 << 8) | 30, cp.get(1, 2) & 0xffffff, "green written through the view");
    }

    @Test
    void hyperstackAxesFollowImageJStackOrder() {
        int nc = 2, nz = 3, nt = 2;
        ImageStack st = new ImageStack(5, 4);
        for (int i = 1; i <= nc * nz * nt; i++) {
            ShortProcessor sp = new ShortProcessor(5, 4);
            sp.set(i); // every pixel of plane i holds i
            st.addSlice(sp);
        }
        ImagePlus imp = new ImagePlus("hyper", st);
        imp.setDimensions(nc, nz, nt);
        imp.setOpenAsHyperStack(true);
        RandomAccessibleInterval<? extends RealType<?>> v = ImagePlusViews.xyczt(imp);
        assertArrayEquals(new long[]{5, 4, nc, nz, nt}, dims(v));
        for (int t = 0; t < nt; t++) {
            for (int z = 0; z < nz; z++) {
                for (int c = 0; c < nc; c++) {
                    assertEquals(imp.getStackIndex(c + 1, z + 1, t + 1), at(v, 2, 3, c, z, t), "c=" + c + " z=" + z + " t=" + t);
                }
            }
        }
        set(v, 777, 0, 0, 1, 2, 1);
        assertEquals(777, st.getProcessor(imp.getStackIndex(2, 3, 2)).get(0, 0));
        Image5D img = ImagePlusViews.wrap(imp);
        assertEquals(nc, img.channels());
        assertEquals(nz, img.depth());
        assertEquals(nt, img.frames());
    }

    @Test
    void rgbStackKeepsSlices() {
        ImageStack st = new ImageStack(3, 3);
        for (int z = 0; z < 4; z++) {
            ColorProcessor cp = new ColorProcessor(3, 3);
            cp.set(z * 10);           // blue = 10 z
            st.addSlice(cp);
        }
        ImagePlus imp = new ImagePlus("rgbstack", st);
        RandomAccessibleInterval<? extends RealType<?>> v = ImagePlusViews.xyczt(imp);
        assertArrayEquals(new long[]{3, 3, 3, 4, 1}, dims(v));
        assertEquals(30, at(v, 1, 1, 2, 3, 0));
        assertEquals(0, at(v, 1, 1, 0, 3, 0));
    }

    @Test
    void labelImageRoundTripKeepsCalibrationAndIsWrittenInPlace() {
        ImageStack st = new ImageStack(6, 5);
        for (int i = 0; i < 6; i++) st.addSlice(new ByteProcessor(6, 5));
        ImagePlus in = new ImagePlus("cells.tif", st);
        in.setDimensions(1, 3, 2);
        in.getCalibration().pixelWidth = 0.5;
        in.getCalibration().pixelDepth = 2.0;
        in.getCalibration().setUnit("mm");
        ImagePlus labels = LabelImages.create(in, 5);
        assertEquals("cells-labels", labels.getTitle());
        assertEquals(ImagePlus.GRAY16, labels.getType());
        assertEquals(3, labels.getNSlices());
        assertEquals(2, labels.getNFrames());
        assertEquals(0.5, labels.getCalibration().pixelWidth);
        assertEquals("mm", labels.getCalibration().getUnit());
        RandomAccessibleInterval<UnsignedShortType> v = ImagePlusViews.labelView(labels);
        assertArrayEquals(new long[]{6, 5, 3, 2}, dims(v));
        RandomAccess<UnsignedShortType> ra = v.randomAccess();
        ra.setPosition(new long[]{2, 1, 2, 1});
        ra.get().set(4);
        assertEquals(4, labels.getStack().getProcessor(labels.getStackIndex(1, 3, 2)).get(2, 1));
        assertEquals(4.0, ImagePlusViews.wrap(in).voxelDepthRatio(), 1e-12);
    }

    @Test
    void indexedColourIsRejectedWithAdvice() {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < 256; i++) { r[i] = (byte) i; g[i] = (byte) (255 - i); b[i] = (byte) (i * 7); }
        ByteProcessor bp = new ByteProcessor(4, 4);
        bp.setColorModel(new IndexColorModel(8, 256, r, g, b));
        // What ImageJ gives for an indexed-colour GIF (setType is protected, hence the subclass).
        ImagePlus imp = new ImagePlus("indexed", bp) { { setType(ImagePlus.COLOR_256); } };
        assertEquals(ImagePlus.COLOR_256, imp.getType());
        SegmentationException e = assertThrows(SegmentationException.class, () -> ImagePlusViews.xyczt(imp));
        assertTrue(e.getMessage().contains("RGB Color"), e.getMessage());
    }

    @Test
    void glasbeyLutHasBlackBackgroundAndDistinctColours() {
        ij.process.LUT lut = Glasbey.lut();
        assertEquals(0, lut.getRed(0) | lut.getGreen(0) | lut.getBlue(0));
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int i = 0; i < 256; i++) colours.add(lut.getRGB(i) & 0xffffff);
        assertEquals(256, colours.size());
    }
}

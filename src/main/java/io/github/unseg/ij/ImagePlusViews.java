package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.SegmentationException;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * ImgLib2 views over an ImagePlus's own pixel arrays (what imglib2-ij would give, which is not on
 * Maven Central). ImageJ keeps one array per plane in channel, slice, frame order, which is exactly
 * a PlanarImg with axes X, Y, C, Z, T: no pixel is copied, and writes through the view change the
 * ImagePlus. RGB images become three unsigned-byte channels (R, G, B) through a read-write
 * converter over the packed ints. Virtual stacks are read plane by plane as ImageJ loads them.
 */
public final class ImagePlusViews {
    private ImagePlusViews() { }

    /** The image as UnSeg's algorithms see it; z spacing ratio taken from the calibration. */
    public static Image5D wrap(ImagePlus imp) {
        double ratio = 1;
        if (imp.getCalibration() != null && imp.getCalibration().pixelWidth > 0) {
            ratio = imp.getCalibration().pixelDepth / imp.getCalibration().pixelWidth;
        }
        return Image5D.wrap(xyczt(imp), ratio > 0 && Double.isFinite(ratio) ? ratio : 1);
    }

    /** A read-write view with axes X, Y, C, Z, T over the image's pixel arrays. */
    public static RandomAccessibleInterval<? extends RealType<?>> xyczt(ImagePlus imp) {
        checkSupported(imp);
        long[] dims = {imp.getWidth(), imp.getHeight(), imp.getNChannels(), imp.getNSlices(), imp.getNFrames()};
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            if (imp.getNChannels() != 1) {
                throw new SegmentationException("RGB image " + imp.getTitle() + " also has " + imp.getNChannels()
                        + " channels; make it a plain RGB image or a multichannel (composite) image first.");
            }
            PlanarImg<ARGBType, IntArray> argb = argbPlanar(imp);
            // argbChannels appends a channel axis (A,R,G,B -> pick R,G,B): X,Y,1,Z,T,3 -> X,Y,3,Z,T
            RandomAccessibleInterval<UnsignedByteType> ch = Converters.argbChannels(argb, 1, 2, 3);
            return Views.moveAxis(Views.hyperSlice(ch, 2, 0), 4, 2);
        }
        return planar(imp, dims);
    }

    static void checkSupported(ImagePlus imp) {
        if (imp == null) throw new SegmentationException("No image: open an image first.");
        if (imp.getStackSize() == 0 || imp.getWidth() == 0 || imp.getHeight() == 0) {
            throw new SegmentationException("The image " + imp.getTitle() + " is empty: nothing to segment.");
        }
        if (imp.getType() == ImagePlus.COLOR_256) {
            throw new SegmentationException("The image " + imp.getTitle() + " is 8-bit indexed colour, whose pixel values"
                    + " are palette indices, not intensities: convert it with Image>Type>RGB Color first.");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RandomAccessibleInterval<? extends RealType<?>> planar(ImagePlus imp, long[] dims) {
        ImageStack st = imp.getStack();
        int n = st.getSize();
        switch (imp.getType()) {
            case ImagePlus.GRAY8: {
                List<ByteArray> planes = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) planes.add(new ByteArray((byte[]) st.getPixels(i)));
                PlanarImg<UnsignedByteType, ByteArray> img = new PlanarImg<>(planes, dims, new Fraction());
                img.setLinkedType(new UnsignedByteType(img));
                return img;
            }
            case ImagePlus.GRAY16: {
                List<ShortArray> planes = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) planes.add(new ShortArray((short[]) st.getPixels(i)));
                PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(planes, dims, new Fraction());
                img.setLinkedType(new UnsignedShortType(img));
                return img;
            }
            case ImagePlus.GRAY32: {
                List<FloatArray> planes = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) planes.add(new FloatArray((float[]) st.getPixels(i)));
                PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(planes, dims, new Fraction());
                img.setLinkedType(new FloatType(img));
                return img;
            }
            default:
                throw new SegmentationException("Unsupported image type of " + imp.getTitle()
                        + ": use an 8-, 16- or 32-bit or RGB image.");
        }
    }

    /** RGB planes as packed ARGB, axes X, Y, C(=1), Z, T. */
    public static PlanarImg<ARGBType, IntArray> argbPlanar(ImagePlus imp) {
        ImageStack st = imp.getStack();
        List<IntArray> planes = new ArrayList<>();
        for (int i = 1; i <= st.getSize(); i++) planes.add(new IntArray((int[]) st.getPixels(i)));
        long[] dims = {imp.getWidth(), imp.getHeight(), imp.getNChannels(), imp.getNSlices(), imp.getNFrames()};
        PlanarImg<ARGBType, IntArray> img = new PlanarImg<>(planes, dims, new Fraction());
        img.setLinkedType(new ARGBType(img));
        return img;
    }

    /**
     * A read-write view with axes X, Y, Z, T over a single-channel 16-bit label image (as made by
     * {@link LabelImages#create}).
     */
    public static RandomAccessibleInterval<UnsignedShortType> labelView(ImagePlus labels) {
        if (labels.getType() != ImagePlus.GRAY16 || labels.getNChannels() != 1) {
            throw new IllegalArgumentException("label view needs a single-channel 16-bit image");
        }
        ImageStack st = labels.getStack();
        List<ShortArray> planes = new ArrayList<>();
        for (int i = 1; i <= st.getSize(); i++) planes.add(new ShortArray((short[]) st.getPixels(i)));
        long[] dims = {labels.getWidth(), labels.getHeight(), labels.getNSlices(), labels.getNFrames()};
        PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(planes, dims, new Fraction());
        img.setLinkedType(new UnsignedShortType(img));
        return img;
    }
}

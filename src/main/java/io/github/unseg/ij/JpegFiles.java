package io.github.unseg.ij;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;

/**
 * JPEG files read as ImageJ reads them, without its wait. ImageJ decodes a JPEG through AWT's
 * asynchronous image loading and polls until it is done: about 30 ms per 481 x 321 photo, ten times
 * the decoding itself, which made that wait a third of a batch's time. Here ImageIO decodes it
 * (the same libjpeg; the same pixels, compared on all 300 BSDS photos and in the tests), and the
 * result is what ImageJ would give: RGB, or 8-bit when the file is grey or every pixel has
 * R = G = B. Files this does not cover (EXIF data, which ImageJ reads for the orientation; CMYK;
 * anything ImageIO refuses) return null, and the caller opens them with ImageJ.
 */
final class JpegFiles {
    private JpegFiles() { }

    static boolean isJpeg(File f) {
        String n = f.getName().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** The image, or null when ImageJ's own opener should read the file. */
    static ImagePlus open(File f) {
        try {
            if (!plainJpeg(f)) return null;
            BufferedImage bi = ImageIO.read(f);
            if (bi == null) return null;
            int w = bi.getWidth(), h = bi.getHeight();
            Raster r = bi.getRaster();
            ImageProcessor ip;
            if (bi.getType() == BufferedImage.TYPE_BYTE_GRAY && r.getNumBands() == 1) {
                byte[] px = new byte[w * h];
                int[] row = new int[w];
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, 0, row);
                    for (int x = 0; x < w; x++) px[y * w + x] = (byte) row[x];
                }
                ip = new ByteProcessor(w, h, px);
            } else if (bi.getType() == BufferedImage.TYPE_3BYTE_BGR) {
                int[] rgb = bi.getRGB(0, 0, w, h, null, 0, w);
                ip = grey(rgb) ? toBytes(rgb, w, h) : new ColorProcessor(w, h, rgb);
            } else {
                return null;
            }
            ImagePlus imp = new ImagePlus(f.getName(), ip);
            FileInfo fi = new FileInfo();
            fi.fileFormat = FileInfo.GIF_OR_JPG;
            fi.fileName = f.getName();
            String dir = f.getAbsoluteFile().getParent();
            fi.directory = dir == null ? "" : dir + File.separator;
            imp.setFileInfo(fi);
            return imp;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** ImageJ's rule (Opener.convertGrayJpegTo8Bits): an RGB JPEG whose pixels are all grey is 8-bit. */
    private static boolean grey(int[] rgb) {
        for (int c : rgb) {
            int red = (c >> 16) & 0xff, green = (c >> 8) & 0xff, blue = c & 0xff;
            if (red != green || green != blue) return false;
        }
        return true;
    }

    private static ByteProcessor toBytes(int[] rgb, int w, int h) {
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (byte) rgb[i];
        return new ByteProcessor(w, h, px);
    }

    /** A baseline JPEG without an EXIF (APP1) segment: the markers before the first scan. */
    static boolean plainJpeg(File f) throws IOException {
        try (InputStream in = new BufferedInputStream(new FileInputStream(f));
             DataInputStream d = new DataInputStream(in)) {
            if (d.readUnsignedByte() != 0xFF || d.readUnsignedByte() != 0xD8) return false;
            while (true) {
                int b = d.readUnsignedByte();
                if (b != 0xFF) return false;
                int marker = d.readUnsignedByte();
                while (marker == 0xFF) marker = d.readUnsignedByte();  // fill bytes
                if (marker == 0xDA) return true;                       // start of scan: nothing else before the pixels
                if (marker == 0xE1) return false;                      // APP1: EXIF (orientation) or XMP
                if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) continue;
                int len = d.readUnsignedShort();
                if (len < 2) return false;
                for (long left = len - 2; left > 0; ) {
                    long k = d.skip(left);
                    if (k <= 0) return false;
                    left -= k;
                }
            }
        }
    }
}

package io.github.unseg.spark;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.TiffDecoder;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A window of a 2D uncompressed TIFF, read from the file's rows without reading the rest: how a
 * worker reads its block of an image larger than its memory.
 */
final class TiffWindow {
    final File file;
    final int width, height, fileType, bytesPerPixel;
    private final boolean intel;
    private final long[] stripOffsets;   // one per strip (a contiguous image: one)
    private final int rowsPerStrip;

    TiffWindow(File file) throws IOException {
        this.file = file;
        FileInfo[] info = new TiffDecoder(file.getParent() == null ? "." : file.getParent(), file.getName()).getTiffInfo();
        if (info == null || info.length == 0) throw new IOException("not a TIFF file ImageJ can read");
        FileInfo fi = info[0];
        if (info.length > 1 || fi.nImages > 1) {
            throw new IOException("it has " + Math.max(info.length, fi.nImages) + " images; --block-size labels one 2D image"
                    + " (label a stack's slices as files: one slice per file)");
        }
        if (fi.compression > FileInfo.COMPRESSION_NONE) {
            throw new IOException("it is compressed; --block-size reads uncompressed TIFF (ImageJ: File > Save As > Tiff writes one)");
        }
        switch (fi.fileType) {
            case FileInfo.GRAY8: case FileInfo.GRAY16_UNSIGNED: case FileInfo.GRAY16_SIGNED: case FileInfo.GRAY32_FLOAT: case FileInfo.RGB:
                break;
            default:
                throw new IOException("its pixel type (ImageJ file type " + fi.fileType + ") is not 8-, 16-, 32-bit float or RGB");
        }
        width = fi.width;
        height = fi.height;
        fileType = fi.fileType;
        bytesPerPixel = fi.getBytesPerPixel();
        intel = fi.intelByteOrder;
        long rowBytes = (long) width * bytesPerPixel;
        int[] so = fi.stripOffsets;
        boolean contiguous = so == null || so.length <= 1;
        if (!contiguous && fi.stripLengths != null) {
            contiguous = true;
            for (int i = 1; i < so.length; i++) {
                if ((so[i] & 0xffffffffL) != (so[i - 1] & 0xffffffffL) + (fi.stripLengths[i - 1] & 0xffffffffL)) contiguous = false;
            }
        }
        if (contiguous) {
            stripOffsets = new long[]{so == null || so.length == 0 ? fi.getOffset() : so.length == 1 ? fi.getOffset() : so[0] & 0xffffffffL};
            rowsPerStrip = height;
        } else {
            stripOffsets = new long[so.length];
            for (int i = 0; i < so.length; i++) stripOffsets[i] = so[i] & 0xffffffffL;
            rowsPerStrip = fi.rowsPerStrip > 0 ? fi.rowsPerStrip : height;
        }
        if (new File(file.getPath()).length() < stripOffsets[0] + (contiguous ? rowBytes * height : 0)) {
            throw new IOException("it is shorter than its header says (truncated?)");
        }
    }

    private long rowOffset(int y) {
        int s = y / rowsPerStrip;
        return stripOffsets[Math.min(s, stripOffsets.length - 1)] + (long) (y - s * rowsPerStrip) * width * bytesPerPixel;
    }

    /** The window [x0, x0 + w) x [y0, y0 + h) as an image of the file's type. */
    ImagePlus read(int x0, int y0, int w, int h) throws IOException {
        byte[] row = new byte[w * bytesPerPixel];
        ImageProcessor ip;
        switch (fileType) {
            case FileInfo.GRAY8: ip = new ByteProcessor(w, h); break;
            case FileInfo.GRAY16_UNSIGNED: case FileInfo.GRAY16_SIGNED: ip = new ShortProcessor(w, h); break;
            case FileInfo.GRAY32_FLOAT: ip = new FloatProcessor(w, h); break;
            default: ip = new ColorProcessor(w, h);
        }
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            for (int y = 0; y < h; y++) {
                f.seek(rowOffset(y0 + y) + (long) x0 * bytesPerPixel);
                f.readFully(row);
                ByteBuffer b = ByteBuffer.wrap(row).order(intel ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                int o = y * w;
                switch (fileType) {
                    case FileInfo.GRAY8:
                        System.arraycopy(row, 0, (byte[]) ip.getPixels(), o, w);
                        break;
                    case FileInfo.GRAY16_UNSIGNED: {
                        short[] p = (short[]) ip.getPixels();
                        for (int x = 0; x < w; x++) p[o + x] = b.getShort(2 * x);
                        break;
                    }
                    case FileInfo.GRAY16_SIGNED: {      // as ImageJ opens it: value + 32768
                        short[] p = (short[]) ip.getPixels();
                        for (int x = 0; x < w; x++) p[o + x] = (short) (b.getShort(2 * x) + 32768);
                        break;
                    }
                    case FileInfo.GRAY32_FLOAT: {
                        float[] p = (float[]) ip.getPixels();
                        for (int x = 0; x < w; x++) p[o + x] = b.getFloat(4 * x);
                        break;
                    }
                    default: {
                        int[] p = (int[]) ip.getPixels();
                        for (int x = 0; x < w; x++) {
                            p[o + x] = 0xff000000 | (row[3 * x] & 0xff) << 16 | (row[3 * x + 1] & 0xff) << 8 | (row[3 * x + 2] & 0xff);
                        }
                    }
                }
            }
        }
        ip.resetMinAndMax();
        return new ImagePlus("block", ip);
    }
}

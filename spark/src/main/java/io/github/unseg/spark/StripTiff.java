package io.github.unseg.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 2D 16-bit unsigned or 32-bit float TIFF written row after row (one strip, little-endian,
 * uncompressed), so that a stitched label image never has to be in memory. Classic TIFF: below 4 GiB.
 */
final class StripTiff implements AutoCloseable {
    static final long MAX_BYTES = 0xFFFF_FFFFL - 4096;
    private final OutputStream out;
    private final int width, bytes;
    private final boolean floats;
    private final ByteBuffer row;

    StripTiff(OutputStream os, int width, int height, boolean floats) throws IOException {
        this.width = width;
        this.floats = floats;
        this.bytes = floats ? 4 : 2;
        long data = (long) width * height * bytes;
        if (data > MAX_BYTES) throw new IOException("a " + width + " x " + height + " image is over 4 GiB: open the blocks instead");
        this.out = new BufferedOutputStream(os, 1 << 20);
        int nTags = 10, ifd = 8, dataOffset = ifd + 2 + nTags * 12 + 4;
        ByteBuffer h = ByteBuffer.allocate(dataOffset).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        h.putShort((short) nTags);
        tag(h, 256, 4, width);                         // ImageWidth
        tag(h, 257, 4, height);                        // ImageLength
        tag(h, 258, 3, bytes * 8);                     // BitsPerSample
        tag(h, 259, 3, 1);                             // Compression: none
        tag(h, 262, 3, 1);                             // Photometric: black is zero
        tag(h, 273, 4, dataOffset);                    // StripOffsets
        tag(h, 277, 3, 1);                             // SamplesPerPixel
        tag(h, 278, 4, height);                        // RowsPerStrip
        tag(h, 279, 4, (int) data);                    // StripByteCounts (unsigned)
        tag(h, 339, 3, floats ? 3 : 1);                // SampleFormat: float / unsigned
        h.putInt(0);                                   // no next IFD
        out.write(h.array());
        row = ByteBuffer.allocate(width * bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void tag(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) b.putShort((short) value).putShort((short) 0);
        else b.putInt(value);
    }

    /** The next row of the image. */
    void row(int[] values, int offset) throws IOException {
        row.clear();
        for (int x = 0; x < width; x++) {
            if (floats) row.putFloat(values[offset + x]);
            else row.putShort((short) values[offset + x]);
        }
        out.write(row.array());
    }

    @Override
    public void close() throws IOException { out.flush(); }
}

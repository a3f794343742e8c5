package io.github.unseg.core;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses TIFF files that are shorter than their own image data says. ImageJ fills the missing
 * pixels of a truncated TIFF with 0 and reports no error, so a cut-off file would be segmented as
 * if it were whole. Reads the IFD chain (classic TIFF and BigTIFF) and checks that every strip or
 * tile, and every IFD, lies inside the file; for ImageJ's own large stacks (one IFD and
 * "images=N" in the description) that the N images fit.
 */
public final class TiffCheck {
    private TiffCheck() { }

    /** Whether f starts as a TIFF or BigTIFF does (II or MM, then 42 or 43). */
    public static boolean hasTiffHeader(File f) {
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 4);
            if (h.remaining() < 4) return false;
            int b0 = h.get(0), b1 = h.get(1);
            if (!(b0 == 'I' && b1 == 'I') && !(b0 == 'M' && b1 == 'M')) return false;
            int magic = h.order(b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
            return magic == 42 || magic == 43;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws SegmentationException naming both sizes when {@code f} is a truncated TIFF; returns quietly otherwise. */
    public static void check(File f) {
        long length = f.length();
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, 16);
            if (head.remaining() < 8) return;
            int b0 = head.get(0), b1 = head.get(1);
            ByteOrder order;
            if (b0 == 'I' && b1 == 'I') order = ByteOrder.LITTLE_ENDIAN;
            else if (b0 == 'M' && b1 == 'M') order = ByteOrder.BIG_ENDIAN;
            else return;   // not a TIFF
            head.order(order);
            int magic = head.getShort(2) & 0xffff;
            boolean big;
            long ifd;
            if (magic == 42) { big = false; ifd = head.getInt(4) & 0xffffffffL; }
            else if (magic == 43 && head.remaining() >= 16) { big = true; ifd = head.getLong(8); }
            else return;
            long needed = 0;
            int ifds = 0;
            long firstImageBytes = 0, firstImageStart = 0;
            String description = null;
            while (ifd != 0 && ifds < 1_000_000) {
                if (ifd + (big ? 8 : 2) > length) throw truncated(f, length, ifd + (big ? 8 : 2));
                ByteBuffer cnt = read(ch, ifd, big ? 8 : 2).order(order);
                long n = big ? cnt.getLong(0) : cnt.getShort(0) & 0xffff;
                int entry = big ? 20 : 12;
                long end = ifd + (big ? 8 : 2) + n * entry + (big ? 8 : 4);
                if (end > length) throw truncated(f, length, end);
                ByteBuffer e = read(ch, ifd + (big ? 8 : 2), (int) (n * entry + (big ? 8 : 4))).order(order);
                long[] offsets = null, counts = null;
                for (int i = 0; i < n; i++) {
                    int p = i * entry;
                    int tag = e.getShort(p) & 0xffff, type = e.getShort(p + 2) & 0xffff;
                    long count = big ? e.getLong(p + 4) : e.getInt(p + 4) & 0xffffffffL;
                    if (tag == 258 && count >= 1 && (type == 3 ? e.getShort(p + (big ? 12 : 8)) & 0xffff : 0) == 64) {
                        throw new SegmentationException(f + " is a 64-bit TIFF, which ImageJ and UnSeg do not read (they read 8, 16 and"
                                + " 32 bits per sample): convert it to 32-bit float first (e.g. numpy's astype('float32')).");
                    }
                    if (tag == 273 || tag == 324) offsets = values(ch, e, p, type, count, big, order, length, f);
                    else if (tag == 279 || tag == 325) counts = values(ch, e, p, type, count, big, order, length, f);
                    else if (tag == 270 && ifds == 0 && count < 1_000_000) {
                        int valueField = big ? 8 : 4;
                        long where = count <= valueField ? -1 : (big ? e.getLong(p + 12) : e.getInt(p + 8) & 0xffffffffL);
                        if (where >= 0 && where + count <= length) {
                            ByteBuffer d = read(ch, where, (int) count);
                            byte[] bytes = new byte[d.remaining()];
                            d.get(bytes);
                            description = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                        }
                    }
                }
                if (offsets != null && counts != null) {
                    long sum = 0;
                    for (int i = 0; i < Math.min(offsets.length, counts.length); i++) {
                        needed = Math.max(needed, offsets[i] + counts[i]);
                        sum += counts[i];
                    }
                    if (ifds == 0 && offsets.length > 0) { firstImageStart = offsets[0]; firstImageBytes = sum; }
                }
                ifds++;
                ByteBuffer next = e.position((int) (n * entry));
                ifd = big ? next.getLong() : next.getInt() & 0xffffffffL;
            }
            if (description != null && ifds == 1 && firstImageBytes > 0) {
                Matcher m = Pattern.compile("images=(\\d+)").matcher(description);
                if (m.find()) {
                    long images = Long.parseLong(m.group(1));
                    // ImageJ writes big stacks as contiguous images after one IFD
                    if (images > 1) needed = Math.max(needed, firstImageStart + images * firstImageBytes);
                }
            }
            if (needed > length) throw truncated(f, length, needed);
        } catch (IOException e) {
            throw new SegmentationException("Cannot read " + f + ": " + e.getMessage() + ".");
        }
    }

    private static long[] values(FileChannel ch, ByteBuffer e, int p, int type, long count, boolean big, ByteOrder order,
                                 long length, File f) throws IOException {
        int size = type == 3 ? 2 : type == 16 ? 8 : 4;
        if (count > 50_000_000L) throw new IOException("an implausible strip count " + count);
        long bytes = count * size;
        int valueField = big ? 8 : 4;
        ByteBuffer v;
        if (bytes <= valueField) {
            v = e.duplicate().order(order);
            v.position(p + (big ? 12 : 8));
        } else {
            long at = big ? e.getLong(p + 12) : e.getInt(p + 8) & 0xffffffffL;
            if (at + bytes > length) throw truncated(f, length, at + bytes);
            v = read(ch, at, (int) bytes).order(order);
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = type == 3 ? v.getShort() & 0xffff : type == 16 ? v.getLong() : v.getInt() & 0xffffffffL;
        }
        return out;
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) break;
        }
        b.flip();
        return b;
    }

    private static SegmentationException truncated(File f, long length, long needed) {
        return new SegmentationException(f + " is truncated: the file has " + length + " bytes but its TIFF structure needs "
                + needed + " bytes. Copy or save it again (a partial download or a full disk?).");
    }
}

package io.github.unseg.ij;

import ij.IJ;
import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast JPEG path gives exactly what ImageJ's own opener gives: type, pixels, title. */
class JpegFilesTest {

    private static BufferedImage picture(int type, boolean greyContent) {
        int w = 97, h = 61;
        BufferedImage bi = new BufferedImage(w, h, type);
        Random rnd = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = Math.min(255, x * 2 + rnd.nextInt(20)), g = Math.min(255, y * 3 + rnd.nextInt(20)), b = (x * y) % 256;
                if (greyContent || type == BufferedImage.TYPE_BYTE_GRAY) g = b = r;
                bi.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return bi;
    }

    private static File write(BufferedImage bi, File f) throws Exception {
        assertTrue(ImageIO.write(bi, "jpg", f));
        return f;
    }

    private static void sameAsImageJ(File f) {
        ImagePlus ours = JpegFiles.open(f);
        assertNotNull(ours, "the fast path reads " + f.getName());
        ImagePlus ij = IJ.openImage(f.getPath());
        assertEquals(ij.getType(), ours.getType(), f.getName());
        assertEquals(ij.getTitle(), ours.getTitle());
        assertEquals(ij.getWidth(), ours.getWidth());
        assertEquals(ij.getHeight(), ours.getHeight());
        Object a = ij.getProcessor().getPixels(), b = ours.getProcessor().getPixels();
        if (a instanceof int[]) assertArrayEquals((int[]) a, (int[]) b, f.getName());
        else assertArrayEquals((byte[]) a, (byte[]) b, f.getName());
        assertEquals(ij.getOriginalFileInfo().fileFormat, ours.getOriginalFileInfo().fileFormat);
        // and the shared opener takes that path
        ImagePlus opened = Evaluate.open(f);
        assertEquals(ij.getType(), opened.getType());
    }

    @Test
    void colourGreyAndGreyLookingJpegsAreReadAsImageJReadsThem(@TempDir File dir) throws Exception {
        File colour = write(picture(BufferedImage.TYPE_3BYTE_BGR, false), new File(dir, "colour.jpg"));
        File grey = write(picture(BufferedImage.TYPE_BYTE_GRAY, false), new File(dir, "grey.jpeg"));
        File greyRgb = write(picture(BufferedImage.TYPE_3BYTE_BGR, true), new File(dir, "greyrgb.JPG"));
        sameAsImageJ(colour);
        sameAsImageJ(grey);
        sameAsImageJ(greyRgb);
        assertEquals(ImagePlus.COLOR_RGB, JpegFiles.open(colour).getType());
        assertEquals(ImagePlus.GRAY8, JpegFiles.open(grey).getType());
    }

    @Test
    void aJpegWithExifIsLeftToImageJ(@TempDir File dir) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(picture(BufferedImage.TYPE_3BYTE_BGR, false), "jpg", plain);
        byte[] p = plain.toByteArray();
        // SOI, then an APP1 "Exif" segment (ImageJ reads the orientation there), then the rest
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(0);
        out.write(exif.length + 2);
        out.write(exif);
        out.write(p, 2, p.length - 2);
        File f = new File(dir, "camera.jpg");
        Files.write(f.toPath(), out.toByteArray());
        assertFalse(JpegFiles.plainJpeg(f));
        assertNull(JpegFiles.open(f));
        assertTrue(JpegFiles.plainJpeg(write(picture(BufferedImage.TYPE_3BYTE_BGR, false), new File(dir, "plain.jpg"))));
        File notJpeg = new File(dir, "fake.jpg");
        Files.write(notJpeg.toPath(), new byte[]{1, 2, 3, 4});
        assertNull(JpegFiles.open(notJpeg));
    }
}

package io.github.unseg.cli;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.unseg.core.SafeOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faults while writing: a killed process, a full disk, and two writers racing for one output. */
class OutputFaultTest {

    static String[] list(Path dir) {
        String[] names = dir.toFile().list();
        return names == null ? new String[0] : names;
    }

    @Test
    void aFullDiskLeavesNoFileAtTheFinalPath(@TempDir Path dir) throws Exception {
        File target = dir.resolve("labels.tif").toFile();
        try (SafeOutput o = new SafeOutput(false)) {
            IOException e = assertThrows(IOException.class, () -> o.writeStream(target, out -> {
                out.write(new byte[100_000]);                 // a part is written, then the disk is full
                throw new IOException("No space left on device");
            }));
            assertTrue(e.getMessage().contains("No space left"));
        }
        assertFalse(target.exists(), "no partial file at the final path");
        assertEquals(0, list(dir).length, "no temporary or lock file left: " + String.join(",", list(dir)));
        // and the next run writes it
        try (SafeOutput o = new SafeOutput(false)) {
            o.writeString(target, "whole");
        }
        assertEquals("whole", Files.readString(target.toPath()));
    }

    @Test
    void twoJobsInOneJvmCannotClaimTheSameOutput(@TempDir Path dir) throws Exception {
        File target = dir.resolve("l.tif").toFile();
        try (SafeOutput first = new SafeOutput(false); SafeOutput second = new SafeOutput(true)) {
            first.claim(target);
            SafeOutput.BusyException e = assertThrows(SafeOutput.BusyException.class, () -> second.claim(target));
            assertTrue(e.getReason().contains("another UnSeg job"), e.getReason());
        }
        try (SafeOutput third = new SafeOutput(false)) {
            third.claim(target);   // released: free again
        }
    }

    /** A 16-bit image large enough that writing its labels takes a moment. */
    static Path bigImage(Path dir) {
        int w = 4000, h = 4000;
        short[] px = new short[w * h];
        Random r = new Random(1);
        for (int i = 0; i < px.length; i++) px[i] = (short) ((((i % w) / 500 + (i / w) / 500) % 2) * 1000 + r.nextInt(200));
        Path p = dir.resolve("big.tif");
        IJ.saveAsTiff(new ImagePlus("big", new ShortProcessor(w, h, px, null)), p.toString());
        return p;
    }

    @Test
    void aKilledWriterLeavesNoFileAndItsClaimIsTakenOver(@TempDir Path dir) throws Exception {
        Path in = bigImage(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path labels = out.resolve("big_labels.tif");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.github.unseg.cli.Main",
                "segment", "--clusters", "2", "--quiet", in.toString(), "--labels", labels.toString(), "--rois", out.resolve("big.zip").toString(),
                "--roi-mode", "object");
        File log = dir.resolve("child.log").toFile();
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        // Wait for the child's claim (its lock file), then race it from here: it holds the output.
        Path lock = out.resolve(".big_labels.tif.unseg-lock");
        long t0 = System.nanoTime();
        while (!Files.exists(lock) && child.isAlive() && System.nanoTime() - t0 < 60e9) Thread.sleep(2);
        assertTrue(Files.exists(lock), "the child claimed its output: " + Files.readString(log.toPath()));
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(new String[]{"segment", "--method", "gmm", "--clusters", "4", "--quiet", in.toString(), "--labels", labels.toString(), "--overwrite"},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        String text = e.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("is being written by another UnSeg (process " + child.pid() + ")"), text);
        assertEquals(0, rc, "skipped, truthfully: " + text);
        // Kill it while it writes (its temporary file exists), or as late as we can see it.
        t0 = System.nanoTime();
        while (child.isAlive() && System.nanoTime() - t0 < 120e9) {
            boolean writing = false;
            for (String n : list(out)) if (n.contains(".unseg-tmp-")) writing = true;
            if (writing) break;
            Thread.sleep(1);
        }
        boolean killedMidWrite = child.isAlive();
        child.destroyForcibly();     // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
        if (killedMidWrite) {
            assertFalse(Files.exists(labels), "no partial label image at the final path");
        } else if (Files.exists(labels)) {
            assertTrue(IJ.openImage(labels.toString()) != null, "a finished file is whole");
        }
        // The next run takes over the dead process's claim and finishes.
        rc = Main.run(new String[]{"segment", "--clusters", "2", "--quiet", in.toString(), "--labels", labels.toString(), "--overwrite"},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, e.toString(StandardCharsets.UTF_8));
        ImagePlus l = IJ.openImage(labels.toString());
        assertEquals(4000, l.getWidth());
        assertFalse(Files.exists(lock), "the taken-over claim is released");
        for (String n : list(out)) assertFalse(n.contains(".unseg-tmp-"), "no temporary file left: " + n);
        assertTrue(killedMidWrite, "the child was killed while it wrote (the test saw its temporary file)");
    }

    @Test
    void aRunTooLargeForTheHeapIsRefusedWithTheFigureNotAnOutOfMemoryError(@TempDir Path dir) throws Exception {
        Path in = bigImage(dir);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.github.unseg.cli.Main",
                "segment", "--quiet", in.toString(), "--labels", dir.resolve("l.tif").toString());
        File log = dir.resolve("child.log").toFile();
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(log.toPath());
        assertEquals(1, child.exitValue(), text);
        assertTrue(text.contains("This run needs about") && text.contains("UNSEG_JAVA_OPTS=-Xmx"), text);
        assertFalse(text.contains("OutOfMemoryError"), text);
        assertFalse(Files.exists(dir.resolve("l.tif")));
    }

    /** A real full disk: a 300 KB tmpfs, mounted when the tests run as root (CI), skipped otherwise. */
    @Test
    void aRealFullDiskLeavesNothingAtTheFinalPaths(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("tiny"));
        boolean mounted = false;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", mnt.toString()).redirectErrorStream(true).start();
            mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            mounted = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (not root)");
        try {
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int rc = Main.run(new String[]{"segment", "--quiet", Path.of("samples/dsb2018_nuclei.tif").toAbsolutePath().toString(),
                            "--labels", mnt.resolve("l.tif").toString(), "--rois", mnt.resolve("r.zip").toString(), "--roi-mode", "object",
                            "--save-model", mnt.resolve("m.json").toString()},
                    new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            String text = e.toString(StandardCharsets.UTF_8);
            assertEquals(1, rc, text);
            assertTrue(text.contains("is the disk full?"), text);
            assertEquals(0, list(mnt).length, "nothing left on the full disk: " + String.join(",", list(mnt)));
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermDuringCnnTrainingWritesTheResultReachedSoFar(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("cnn.tif");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.github.unseg.cli.Main",
                "segment", "--method", "cnn", "--channels", "16", "--max-iterations", "100000", "--min-labels", "1", "--patience", "0",
                Path.of("samples/dsb2018_nuclei.tif").toAbsolutePath().toString(), "--labels", labels.toString());
        File log = dir.resolve("child.log").toFile();
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        long t0 = System.nanoTime();
        // wait until it trains (an iteration line), then SIGTERM, as a user's kill or a cluster's would
        while (child.isAlive() && !Files.readString(log.toPath()).contains("iteration") && System.nanoTime() - t0 < 120e9) Thread.sleep(200);
        assertTrue(child.isAlive(), Files.readString(log.toPath()));
        child.destroy();   // SIGTERM
        assertTrue(child.waitFor(150, TimeUnit.SECONDS), "exits after writing");
        String text = Files.readString(log.toPath());
        assertTrue(text.contains("interrupted: these outputs hold the result reached so far"), text);
        ImagePlus l = IJ.openImage(labels.toString());
        assertEquals(512, l.getWidth(), text);
    }
}

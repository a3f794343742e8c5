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

    /** Inputs are known by identity: the same file by another path, a symbolic or a hard link, is an input. */
    @Test
    void anInputIsRecognisedByAnyPathToIt(@TempDir Path dir) throws Exception {
        Path a = Files.write(dir.resolve("a.tif"), new byte[]{1}), b = Files.write(dir.resolve("b.tif"), new byte[]{2});
        Path sym = Files.createSymbolicLink(dir.resolve("s.tif"), a), hard = Files.createLink(dir.resolve("h.tif"), a);
        Files.createDirectories(dir.resolve("sub"));
        SafeOutput.Inputs in = new SafeOutput.Inputs(List.of(a.toFile(), dir.resolve("gone.tif").toFile()));
        assertTrue(in.contains(a.toFile()));
        assertTrue(in.contains(dir.resolve("sub/../a.tif").toFile()), "another spelling of the path");
        assertTrue(in.contains(sym.toFile()), "a symbolic link to it");
        assertTrue(in.contains(hard.toFile()), "a hard link to it");
        assertFalse(in.contains(b.toFile()));
        assertFalse(in.contains(dir.resolve("new.tif").toFile()), "a file yet to be written is no existing input");
        assertTrue(in.contains(dir.resolve("sub/../gone.tif").toFile()), "an input that does not exist is compared by path");
        {
            Exception e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> in.check("--labels", hard.toFile()));
            assertTrue(e.getMessage().contains("--labels " + hard + " is an input file"), e.getMessage());
        }
    }

    /** A batch checks every file's outputs against all its inputs: one whose output name is another input fails, the rest go on. */
    @Test
    void aBatchOutputThatIsAnotherInputIsRefusedAndTheRestGoOn(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        ImagePlus imp = IJ.createImage("x", "8-bit ramp", 32, 32, 1);
        IJ.saveAsTiff(imp, in.resolve("a.tif").toString());
        IJ.saveAsTiff(imp, in.resolve("a_labels.tif").toString());     // a.tif's output name, and named as an input
        byte[] before = Files.readAllBytes(in.resolve("a_labels.tif"));
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(new String[]{"segment", "--quiet", "--n-clusters", "2", in.resolve("a.tif").toString(),
                        in.resolve("a_labels.tif").toString(), "--labels", in.toString(), "--overwrite"},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        String err = e.toString(StandardCharsets.UTF_8), out = o.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, err);
        assertTrue(err.contains("a.tif: FAILED") && err.contains("is an input file"), err);
        assertTrue(out.contains("1 segmented, 1 failed"), out);
        assertTrue(Files.exists(in.resolve("a_labels_labels.tif")));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in.resolve("a_labels.tif"))), "the input is intact");
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

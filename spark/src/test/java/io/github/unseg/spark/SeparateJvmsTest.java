package io.github.unseg.spark;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark's local-cluster mode: a master, a worker and two executor JVMs on this machine, so the
 * model and the tasks really are serialised, and an executor can die.
 */
class SeparateJvmsTest {
    @TempDir static File tmp;
    static File in, kmeans, cnn;

    @BeforeAll
    static void setUp() throws IOException {
        String home = System.getenv("SPARK_HOME");
        if (home != null) new File(home, "jars").mkdirs();
        in = new File(tmp, "in");
        in.mkdirs();
        Files.copy(new File(System.getProperty("unseg.samples", "../samples"), "dsb2018_nuclei.tif").toPath(),
                new File(in, "dsb2018_nuclei.tif").toPath(), StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < 4; i++) Images.save(Images.disks(220 + 10 * i, 180, 20 + i), new File(in, "d" + i + ".tif"));
        kmeans = new File(tmp, "kmeans.json");
        cnn = new File(tmp, "cnn.json");
        Images.unseg("segment", "--quiet", "--method", "kmeans", "--n-clusters", "3", "--smoothing", "1.5",
                "--fit-on", new File(in, "d0.tif").getPath(), "--save-model", kmeans.getPath());
        Images.unseg("segment", "--quiet", "--method", "cnn", "--n-channels", "16", "--max-iterations", "30",
                "--fit-on", new File(in, "d0.tif").getPath(), "--save-model", cnn.getPath());
    }

    static void assertSame(File model, File out, String name) {
        File ref = new File(tmp, "ref-" + name);
        Images.unseg("segment", "--quiet", "--model", model.getPath(), in.getPath(), "--labels", ref.getPath());
        for (String f : ref.list()) {
            assertArrayEquals(Images.pixels(new File(ref, f)), Images.pixels(new File(out, f)), name + ": " + f);
        }
        assertEquals(5, ref.list().length);
    }

    @Test
    void executorJvmsGiveTheSingleMachineLabelsAndAKilledExecutorsTaskIsRedone() throws IOException {
        File out = new File(tmp, "out-kmeans");
        // the executor running d2's first attempt dies (the whole JVM, mid-job); Spark starts another and retries
        TaskHook killer = (item, attempt) -> {
            if (item.endsWith("d2.tif") && attempt == 0) Runtime.getRuntime().halt(3);
        };
        Object[] r = Images.spark(killer, "--model", kmeans.getPath(), "--input", in.getPath(), "--output", out.getPath(),
                "--master", "local-cluster[2,1,1024]", "--rois");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("a task was lost"), (String) r[1]);
        assertSame(kmeans, out, "kmeans");
        String summary = Files.readString(new File(out, "summary.csv").toPath());
        assertEquals(5, summary.split(",done,").length - 1, summary);
        for (String n : out.list()) assertFalse(n.startsWith("."), "left over: " + n);
        // the CNN's network travels to the executors as well
        File cout = new File(tmp, "out-cnn");
        r = Images.spark(null, "--model", cnn.getPath(), "--input", in.getPath(), "--output", cout.getPath(),
                "--master", "local-cluster[2,1,1024]", "--quiet");
        assertEquals(0, r[0], (String) r[1]);
        assertSame(cnn, cout, "cnn");
    }

    @Test
    void aLargeImageInBlocksOnExecutorJvms() throws IOException {
        File big = Images.save(Images.disks(700, 520, 9), new File(tmp, "big/big.tif"));
        File out = new File(tmp, "out-big");
        Object[] r = Images.spark(null, "--model", kmeans.getPath(), "--block-size", "200", "--input", big.getPath(), "--output", out.getPath(),
                "--master", "local-cluster[2,1,1024]", "--objects", "--stitch", "--quiet");
        assertEquals(0, r[0], (String) r[1]);
        File ref = new File(tmp, "ref-big.tif");
        Images.unseg("segment", "--quiet", "--model", kmeans.getPath(), big.getPath(), "--labels", ref.getPath());
        int[] whole = Images.pixels(ref);
        assertArrayEquals(whole, Images.pixels(new File(out, "labels.tif")));
        assertArrayEquals(SparkSegmentTest.objects(whole, 700, 520, 10), Images.pixels(new File(out, "objects.tif")));
    }
}

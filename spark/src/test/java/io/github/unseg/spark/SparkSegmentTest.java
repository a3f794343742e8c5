package io.github.unseg.spark;

import io.github.unseg.label.ConnectedComponents;
import io.github.unseg.label.Instances;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spark-segment on embedded Spark (local[2]) and with separate executor JVMs (local-cluster):
 * the single machine's labels for every method, on files and on a large image in blocks.
 */
class SparkSegmentTest {
    @TempDir static File tmp;
    static File gray, colour;
    /** method -> its saved model (fitted on one image by the single-machine command). */
    static final Map<String, File> MODELS = new LinkedHashMap<>();
    static final Map<String, String[]> FIT = new LinkedHashMap<>();

    static {
        FIT.put("kmeans", new String[]{"--n-clusters", "3", "--smoothing", "1"});
        FIT.put("gmm", new String[]{"--n-clusters", "2"});
        FIT.put("gmm-kmeans", new String[]{"--n-clusters", "3"});
        FIT.put("cnn", new String[]{"--n-channels", "16", "--max-iterations", "30"});
        FIT.put("cnn-kmeans", new String[]{"--n-channels", "16", "--max-iterations", "30", "--n-clusters", "2"});
    }

    @BeforeAll
    static void images() throws IOException {
        gray = new File(tmp, "gray");
        colour = new File(tmp, "colour");
        File sample = new File(System.getProperty("unseg.samples", "../samples"), "dsb2018_nuclei.tif");
        gray.mkdirs();
        Files.copy(sample.toPath(), new File(gray, "dsb2018_nuclei.tif").toPath());
        Images.save(Images.disks(300, 240, 1), new File(gray, "a.tif"));
        Images.save(Images.disks(256, 200, 2), new File(gray, "b.tif"));
        Images.save(Images.colours(200, 160, 3), new File(colour, "c1.tif"));
        Images.save(Images.colours(180, 150, 4), new File(colour, "c2.png"));
        for (Map.Entry<String, String[]> e : FIT.entrySet()) {
            File m = new File(tmp, "models/" + e.getKey() + ".json");
            List<String> a = new ArrayList<>(List.of("segment", "--quiet", "--method", e.getKey()));
            a.addAll(List.of(e.getValue()));
            a.addAll(List.of("--fit-on", new File(gray, "a.tif").getPath(), "--save-model", m.getPath()));
            Images.unseg(a.toArray(new String[0]));
            MODELS.put(e.getKey(), m);
        }
    }

    /** The single machine's labels: unseg segment --model M on the folder. */
    static File reference(File model, File in, String name) {
        File ref = new File(tmp, "ref/" + name);
        if (!ref.isDirectory()) Images.unseg("segment", "--quiet", "--model", model.getPath(), in.getPath(), "--labels", ref.getPath());
        return ref;
    }

    static void assertSameLabels(File ref, File out, File in) {
        File[] inputs = in.listFiles();
        assertTrue(inputs != null && inputs.length > 0);
        for (File f : inputs) {
            String base = f.getName().replaceFirst("\\.[^.]+$", "");
            File r = new File(ref, base + "_labels.tif"), o = new File(out, base + "_labels.tif");
            assertTrue(o.isFile(), "no output for " + f);
            assertArrayEquals(Images.pixels(r), Images.pixels(o), "labels of " + f.getName() + " differ from the single machine's");
        }
    }

    static String summary(File out) throws IOException {
        return Files.readString(new File(out, "summary.csv").toPath(), StandardCharsets.UTF_8);
    }

    @Test
    void everyMethodGivesTheSingleMachineLabelsOnLocal2() throws IOException {
        // the workers take the broadcast model as text: no model file is left in the temporary folder
        java.util.function.Supplier<Long> modelFiles = () -> {
            File[] l = new File(System.getProperty("java.io.tmpdir")).listFiles((d, n) -> n.startsWith("unseg-model-"));
            return l == null ? 0L : l.length;
        };
        long before = modelFiles.get();
        for (Map.Entry<String, File> e : MODELS.entrySet()) {
            File out = new File(tmp, "out-local/" + e.getKey());
            Object[] r = Images.spark(null, "--model", e.getValue().getPath(), "--input", gray.getPath(), "--output", out.getPath(),
                    "--master", "local[2]", "--rois", "--measurements", "--quiet");
            assertEquals(0, r[0], (String) r[1]);
            assertSameLabels(reference(e.getValue(), gray, e.getKey()), out, gray);
            assertTrue(new File(out, "a_rois.zip").isFile() && new File(out, "dsb2018_nuclei_rois.zip").isFile());
            // the measurements of the cluster labels: every pixel in one row's count
            List<String> rows = Files.readAllLines(new File(out, "a_measurements.csv").toPath());
            assertEquals(io.github.unseg.label.Measurements.HEADER, rows.get(0));
            ij.ImagePlus labels = ij.IJ.openImage(new File(out, "a_labels.tif").getPath());
            assertEquals(labels.getWidth() * labels.getHeight(), rows.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum(),
                    String.join("\n", rows));
            assertEquals(4, summary(out).split("\n").length, summary(out));   // header + 3 files
            assertFalse(summary(out).contains(",failed,"), summary(out));
        }
        assertEquals(before, modelFiles.get());
    }

    @Test
    void fitOnTheDriverAndRgbImages() throws IOException {
        File out = new File(tmp, "out-fit");
        Object[] r = Images.spark(null, "--method", "kmeans", "--n-clusters", "3", "--smoothing", "1", "--fit-on",
                new File(gray, "a.tif").getPath(), "--output", out.getPath(), gray.getPath(), "--master", "local[2]");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(new File(out, "model.json").isFile());
        // the driver's fit is the single machine's fit: the same labels as with the model fitted above
        assertSameLabels(reference(MODELS.get("kmeans"), gray, "kmeans"), out, gray);
        // colour images, one model fitted on one of them; the glob picks both
        File cm = new File(tmp, "models/colour.json");
        Images.unseg("segment", "--quiet", "--method", "gmm-kmeans", "--n-clusters", "4", "--fit-on", new File(colour, "c1.tif").getPath(),
                "--save-model", cm.getPath());
        File cout = new File(tmp, "out-colour");
        r = Images.spark(null, "--model", cm.getPath(), "--input", colour.getPath() + "/c*", "--output", cout.getPath(), "--master", "local[2]");
        assertEquals(0, r[0], (String) r[1]);
        assertSameLabels(reference(cm, colour, "colour"), cout, colour);
    }

    @Test
    void reRunSkipsAndACorruptFileIsReportedWhileTheRestFinish() throws IOException {
        File in = new File(tmp, "with-broken");
        in.mkdirs();
        for (File f : gray.listFiles()) Files.copy(f.toPath(), new File(in, f.getName()).toPath(), StandardCopyOption.REPLACE_EXISTING);
        byte[] junk = new byte[5000];
        new Random(7).nextBytes(junk);
        junk[0] = 'I'; junk[1] = 'I'; junk[2] = 42; junk[3] = 0;       // a TIFF header and garbage
        Files.write(new File(in, "broken.tif").toPath(), junk);
        File out = new File(tmp, "out-broken"), truth = new File(tmp, "truth");
        truth.mkdirs();
        Files.copy(new File(System.getProperty("unseg.samples", "../samples"), "dsb2018_nuclei_mask.tif").toPath(),
                new File(truth, "dsb2018_nuclei_mask.tif").toPath(), StandardCopyOption.REPLACE_EXISTING);
        String[] args = {"--model", MODELS.get("kmeans").getPath(), "--input", in.getPath(), "--output", out.getPath(), "--master", "local[2]",
                "--truth", truth.getPath(), "--ignore-truth-label", "0"};
        Object[] r = Images.spark(null, args);
        assertEquals(1, r[0], (String) r[1]);
        String s = summary(out);
        assertTrue(s.contains("broken.tif,failed,"), s);
        assertEquals(3, s.split(",done,").length - 1, s);
        assertTrue(((String) r[1]).contains("broken.tif: FAILED: "), (String) r[1]);
        assertFalse(new File(out, "broken_labels.tif").exists());
        String metrics = Files.readString(new File(out, "metrics.csv").toPath());
        assertTrue(metrics.startsWith("prediction,truth,") && metrics.contains("dsb2018_nuclei_labels.tif"), metrics);
        assertEquals(2, metrics.split("\n").length, metrics);               // header + the one file with truth
        long before = new File(out, "a_labels.tif").lastModified();
        // second run: finished files skipped (not rewritten), the corrupt one reported again
        r = Images.spark(null, args);
        assertEquals(1, r[0], (String) r[1]);
        s = summary(out);
        assertEquals(3, s.split(",skipped,").length - 1, s);
        assertEquals(before, new File(out, "a_labels.tif").lastModified());
        assertTrue(Files.readString(new File(out, "metrics.csv").toPath()).contains("dsb2018_nuclei_labels.tif"));
        assertSameLabels(reference(MODELS.get("kmeans"), gray, "kmeans"), out, gray);
        // no temporary or lock files left
        for (String n : out.list()) assertFalse(n.startsWith("."), "left over: " + n);
    }

    /** A field the run notes as empty says so in summary.csv's message (a done file's notes); a field of disks has none. */
    @Test
    void aRunsNotesReachTheSummary() throws IOException {
        File in = new File(tmp, "fields"), out = new File(tmp, "fields-out");
        in.mkdirs();
        Images.save(Images.emptyField(200, 200, 3), new File(in, "empty.tif"));
        Images.save(Images.disks(200, 200, 5), new File(in, "cells.tif"));
        Object[] r = Images.spark(null, "--method", "kmeans", "--n-clusters", "3", "--smoothing", "1", "--background", "subtract",
                "--objects", "--refine-edges", "4", "--input", in.getPath(), "--output", out.getPath());
        assertEquals(0, r[0], (String) r[1]);
        String s = summary(out);
        String empty = s.lines().filter(l -> l.contains("empty.tif")).findFirst().orElse(""), cells = s.lines().filter(l -> l.contains("cells.tif")).findFirst().orElse("");
        assertTrue(empty.contains(",done,") && empty.contains("note: the objects' outlines are hardly stronger than the background's noise"), s);
        assertTrue(cells.contains(",done,") && cells.endsWith(","), s);
    }

    @Test
    void badOptionsAreReportedBeforeSparkStarts() {
        String in = gray.getPath(), out = new File(tmp, "never").getPath();
        String[][] cases = {
                {"--model", "nope.json", "--input", in, "--output", out}, {"--model nope.json: no such file"},
                {"--method", "kmeans", "--n-clusters", "0", "--input", in, "--output", out}, {"n-clusters"},
                {"--method", "kmeans", "--input", in, "--output", out, "--labels", "x.tif"}, {"--labels: spark-segment writes"},
                {"--method", "kmeans", "--input", in, "--output", out, "--frobnicate"}, {"unknown option --frobnicate"},
                {"--method", "kmeans", "--input", in}, {"--output DIR"},
                {"--input", in, "--output", out}, {"give --model"},
                {"--method", "kmeans", "--input", new File(tmp, "nowhere").getPath(), "--output", out}, {"no such file or folder"},
                {"--method", "kmeans", "--input", in + "/*.nothing", "--output", out}, {"no image matches"},
                {"--model", MODELS.get("kmeans").getPath(), "--input", in, "--output", out, "--truth", MODELS.get("kmeans").getParent()},
                {"--truth " + MODELS.get("kmeans").getParent() + ": no file there is named as an input"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--input", in, "--output", out}, {"one TIFF file"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--refine-edges", "4", "--input", in, "--output", out},
                {"--refine-edges does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--exclude-edges", "--input", in, "--output", out},
                {"--exclude-edges does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--max-object-size", "500", "--input", in, "--output", out},
                {"--max-object-size does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--min-outline-contrast", "2", "--input", in, "--output", out},
                {"--min-outline-contrast does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--fill-holes=false", "--input", in, "--output", out},
                {"--fill-holes does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--mask-padding", "--input", in, "--output", out},
                {"--mask-padding does not apply with --block-size: a block's edges are not the image's"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--clip-outliers", "--input", in, "--output", out},
                {"--clip-outliers does not apply with --block-size: a block's percentiles are not the image's"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--foreground-clusters", "99", "--input",
                        new File(gray, "a.tif").getPath(), "--output", out},
                {"--foreground-clusters 99: the labels have"},
                {"--model", MODELS.get("kmeans").getPath(), "--objects", "--foreground-clusters", "99", "--input", in, "--output", out},
                {"--foreground-clusters 99: the labels have"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--objects", "--foreground-at", "5,5", "--input",
                        new File(gray, "a.tif").getPath(), "--output", out},
                {"--foreground-at does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--measurements", "--input",
                        new File(gray, "a.tif").getPath(), "--output", out},
                {"--measurements does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--use-channels", "1", "--input",
                        new File(gray, "a.tif").getPath(), "--output", out},
                {"--use-channels does not apply with --block-size"},
                {"--model", MODELS.get("kmeans").getPath(), "--objects", "--foreground-at", "centre", "--input", in, "--output", out},
                {"--foreground-at takes selection"},
                {"--model", MODELS.get("kmeans").getPath(), "--partitions", "zero", "--input", in, "--output", out}, {"--partitions must be"},
                {"--method", "kmeans", "--mask", colour.getPath(), "--input", in, "--output", out}, {"--mask " + colour + ": no file there is named as an input"},
                {"--method", "kmeans", "--input", in, "--output", out, "--output", out + "2"}, {"--output is given twice"},
                {"--method", "kmeans", "--n-clusters", "3", "--input", in, "--output", out, "--n-clusters", "4"}, {"--n-clusters is given twice (3, then 4)"},
                {"--method", "kmeans", "--objects=maybe", "--input", in, "--output", out}, {"--objects takes no value (or =false to turn it off)"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            Object[] r = Images.spark(null, cases[i]);
            assertEquals(2, r[0], String.join(" ", cases[i]) + "\n" + r[1]);
            assertTrue(((String) r[1]).contains(cases[i + 1][0]), String.join(" ", cases[i]) + " -> " + r[1]);
            assertFalse(((String) r[1]).contains("Exception"), (String) r[1]);
        }
        assertFalse(new File(out).exists(), "nothing written for bad options");
        // a flag on by default is turned off as segment turns it off, and passed on so
        assertTrue(Options.parse(new String[]{"--method", "kmeans", "--objects", "--mask-padding=false", "--fill-holes=false", "--input", in,
                "--output", out}).segmentArgs.containsAll(List.of("--mask-padding=false", "--fill-holes=false")));
    }

    @Test
    void aModelWithCoordinatesCannotBeCutIntoBlocks() throws IOException {
        File m = new File(tmp, "models/coords.json"), big = Images.save(Images.disks(200, 150, 5), new File(tmp, "coords/img.tif"));
        Images.unseg("segment", "--quiet", "--method", "kmeans", "--coordinate-weight", "0.5", "--fit-on", big.getPath(), "--save-model", m.getPath());
        Object[] r = Images.spark(null, "--model", m.getPath(), "--block-size", "64", "--input", big.getPath(), "--output", new File(tmp, "never2").getPath());
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("cannot label an image in blocks"), (String) r[1]);
    }

    @Test
    void aLargeImageInBlocksGivesTheWholeImagesLabelsAndGlobalObjects() throws IOException {
        File big = Images.save(Images.disks(1100, 900, 11), new File(tmp, "large/big.tif"));
        Map<String, File> models = new LinkedHashMap<>(MODELS);
        // CNN + K-means on regions clusters the whole image's regions: refused, and on responses it works in blocks
        Object[] refused = Images.spark(null, "--model", MODELS.get("cnn-kmeans").getPath(), "--block-size", "256", "--input", big.getPath(),
                "--output", new File(tmp, "never3").getPath());
        assertEquals(2, refused[0], (String) refused[1]);
        assertTrue(((String) refused[1]).contains("--cluster-on responses"), (String) refused[1]);
        File responses = new File(tmp, "models/cnn-kmeans-responses.json");
        Images.unseg("segment", "--quiet", "--method", "cnn-kmeans", "--n-channels", "16", "--max-iterations", "30", "--n-clusters", "2",
                "--cluster-on", "responses", "--fit-on", new File(gray, "a.tif").getPath(), "--save-model", responses.getPath());
        models.put("cnn-kmeans", responses);
        for (Map.Entry<String, File> e : models.entrySet()) {
            File out = new File(tmp, "out-blocks/" + e.getKey());
            Object[] r = Images.spark(null, "--model", e.getValue().getPath(), "--block-size", "256", "--input", big.getPath(),
                    "--output", out.getPath(), "--master", "local[2]", "--objects", "--min-object-size", "15", "--stitch", "--quiet");
            assertEquals(0, r[0], (String) r[1]);
            // the CNNs' region merging spans the image: they label with the pixelwise copy, which one machine reproduces
            File pm = new File(out, "model-blocks.json");
            File model = pm.isFile() ? pm : e.getValue();
            if (e.getKey().equals("cnn")) assertTrue(pm.isFile(), "the CNN merges regions by default");
            if (!e.getKey().startsWith("cnn")) assertFalse(pm.isFile(), e.getKey());
            File ref = new File(tmp, "ref-large/" + e.getKey() + ".tif");
            Images.unseg("segment", "--quiet", "--model", model.getPath(), big.getPath(), "--labels", ref.getPath());
            int[] whole = Images.pixels(ref);
            assertArrayEquals(whole, Images.pixels(new File(out, "labels.tif")), e.getKey() + ": blocks differ from the whole image");
            assertArrayEquals(objects(whole, 1100, 900, 15), Images.pixels(new File(out, "objects.tif")), e.getKey() + ": object ids");
            assertEquals(20, new File(out, "blocks").list((d, n) -> n.startsWith("labels_")).length);
            assertTrue(Files.readString(new File(out, "index.json").toPath()).contains("\"complete\": true"));
        }
        // named clusters (here the darkest, the background, whose pieces the disks cut apart): the
        // single machine's objects without hole filling or splitting, ids and all
        File named = new File(tmp, "out-blocks/kmeans-cluster1"), refObjects = new File(tmp, "ref-large/kmeans-cluster1.tif");
        Object[] rn = Images.spark(null, "--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--input", big.getPath(),
                "--output", named.getPath(), "--master", "local[2]", "--objects", "--foreground-clusters", "1", "--min-object-size", "15",
                "--stitch", "--quiet");
        assertEquals(0, rn[0], (String) rn[1]);
        Images.unseg("segment", "--quiet", "--model", MODELS.get("kmeans").getPath(), "--objects", "--foreground-clusters", "1",
                "--fill-holes=false", "--seed-distance", "0", "--min-object-size", "15", big.getPath(), "--labels", refObjects.getPath());
        assertArrayEquals(Images.pixels(refObjects), Images.pixels(new File(named, "objects.tif")), "objects of cluster 1");
        // a re-run finds every block done
        File out = new File(tmp, "out-blocks/kmeans");
        Object[] r = Images.spark(null, "--model", MODELS.get("kmeans").getPath(), "--block-size", "256", "--input", big.getPath(),
                "--output", out.getPath(), "--master", "local[2]", "--objects", "--min-object-size", "15", "--quiet");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("0 labelled, 20 skipped, 0 failed"), (String) r[1]);
    }

    /**
     * foreground auto on a large colour brightfield image (the default): the central block's colour
     * test makes the dark disks the objects, block by block as on the whole image.
     */
    @Test
    void aLargeColourBrightfieldImageGetsItsDarkObjects() throws IOException {
        int w = 700, h = 520;
        File big = Images.save(Images.stained(w, h, 5), new File(tmp, "large/stained.tif"));
        File model = new File(tmp, "models/stained-kmeans.json"), labels = new File(tmp, "ref-large/stained-labels.tif");
        Images.unseg("segment", "--quiet", "--method", "kmeans", "--n-clusters", "2", big.getPath(), "--labels", labels.getPath(),
                "--save-model", model.getPath());
        File out = new File(tmp, "out-blocks/stained");
        Object[] r = Images.spark(null, "--model", model.getPath(), "--block-size", "256", "--input", big.getPath(),
                "--output", out.getPath(), "--master", "local[2]", "--objects", "--min-object-size", "15", "--stitch", "--quiet");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("(foreground darkest, min size 15)"), (String) r[1]);
        int[] objects = Images.pixels(new File(out, "objects.tif"));
        assertArrayEquals(objects(Images.pixels(labels), w, h, 15, Instances.Foreground.DARKEST), objects, "the dark disks' objects");
        assertEquals(80, java.util.Arrays.stream(objects).max().getAsInt(), "10 x 8 disks, each one object");
    }

    /** The whole image's objects: 4-connected foreground (not the darkest cluster), >= minSize, in raster order. */
    static int[] objects(int[] labels, int w, int h, int minSize) {
        return objects(labels, w, h, minSize, Instances.Foreground.NOT_DARKEST);
    }

    /** The same for a rule. */
    static int[] objects(int[] labels, int w, int h, int minSize, Instances.Foreground rule) {
        int k = 0;
        for (int v : labels) k = Math.max(k, v);
        int[] bin = new int[labels.length];
        for (int p = 0; p < bin.length; p++) bin[p] = rule.test(labels[p], k) ? 1 : 0;
        ConnectedComponents.Objects o = ConnectedComponents.label(bin, w, h, false);
        int[] id = new int[o.count + 1];
        int n = 0;
        for (int p = 0; p < bin.length; p++) {
            int c = o.ids[p];
            if (c > 0 && id[c] == 0 && o.size[c] >= minSize) id[c] = ++n;
        }
        int[] out = new int[labels.length];
        for (int p = 0; p < out.length; p++) out[p] = id[o.ids[p]];
        return out;
    }
}

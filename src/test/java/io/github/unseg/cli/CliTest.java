package io.github.unseg.cli;

import ij.IJ;
import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.ij.RoiExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() { return out.toString(StandardCharsets.UTF_8); }
    String err() { return err.toString(StandardCharsets.UTF_8); }

    static Path save(ImagePlus imp, Path file) {
        assertTrue(IJ.saveAsTiff(imp, file.toString()));
        return file;
    }

    @Test
    void segmentsOneImageIntoLabelsAndRois(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray8(80, 60, 1), dir.resolve("cells.tif"));
        Path labels = dir.resolve("out/cells_labels.tif"), rois = dir.resolve("out/cells_rois.zip");
        int code = run("segment", "--method", "kmeans", "--clusters", "3", in.toString(),
                "--labels", labels.toString(), "--rois", rois.toString(), "--roi-mode", "object", "--quiet");
        assertEquals(0, code, err());
        assertTrue(out().contains("K-means, 3 clusters"), out());
        ImagePlus lab = IJ.openImage(labels.toString());
        assertEquals(ImagePlus.GRAY16, lab.getType());
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(lab, 1), Synthetic.regions(80, 60), 3, 3) >= 0.95);
        assertEquals(3, RoiExport.readZip(rois.toFile()).size());

        // A second run leaves the outputs alone unless told to overwrite.
        long stamp = Files.getLastModifiedTime(labels).toMillis();
        Files.writeString(rois, "keep");
        assertEquals(0, run("segment", in.toString(), "--labels", labels.toString(), "--rois", rois.toString(), "--quiet"));
        assertTrue(err().contains("skipped, output exists"), err());
        assertEquals("keep", Files.readString(rois));
        assertEquals(0, run("segment", in.toString(), "--labels", labels.toString(), "--rois", rois.toString(), "--overwrite", "--quiet"), err());
        assertEquals(3, RoiExport.readZip(rois.toFile()).size());
        assertTrue(Files.getLastModifiedTime(labels).toMillis() >= stamp);
    }

    @Test
    void foregroundClustersMakeObjectsOfTheNamedClusters(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray8(80, 60, 1), dir.resolve("cells.tif"));
        Path clusters = dir.resolve("clusters.tif"), objects = dir.resolve("objects.tif");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "3", in.toString(), "--labels", clusters.toString(), "--quiet"), err());
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "3", "--objects", "--foreground-clusters", "2",
                "--fill-holes=false", "--seed-distance", "0", "--min-object-size", "1", in.toString(), "--labels", objects.toString(), "--quiet"), err());
        int[] c = Synthetic.plane(IJ.openImage(clusters.toString()), 1), o = Synthetic.plane(IJ.openImage(objects.toString()), 1);
        int middle = 0;
        for (int p = 0; p < c.length; p++) {
            assertEquals(c[p] == 2, o[p] > 0, "pixel " + p);
            if (c[p] == 2) middle++;
        }
        assertTrue(middle > 0 && middle < c.length, "the middle cluster is some of the image");
        // a cluster the model does not have: refused before anything is written, in the option's spelling
        Path none = dir.resolve("none.tif");
        assertEquals(2, run("segment", "--method", "kmeans", "--n-clusters", "3", "--objects", "--foreground-clusters", "2,4",
                in.toString(), "--labels", none.toString(), "--quiet"));
        assertTrue(err().contains("--foreground-clusters 4: the labels have 3 clusters"), err());
        assertFalse(Files.exists(none));
    }

    /**
     * Objects of the clusters under points: coordinates, a ROI file and the selection saved in the
     * TIFF give the same objects as the clusters' numbers; a point off the image, or both ways of
     * naming clusters, is refused before anything is written.
     */
    @Test
    void foregroundAtPointsNameTheObjectsClusters(@TempDir Path dir) throws Exception {
        ImagePlus imp = Synthetic.gray8(80, 60, 1);   // background 1, a disk at (24, 21) 2, a box at x 48-72, y 30-54 3
        Path in = save(imp, dir.resolve("cells.tif"));
        String[] common = {"segment", "--method", "kmeans", "--n-clusters", "3", "--objects", "--fill-holes=false", "--seed-distance", "0",
                "--min-object-size", "1", "--quiet", in.toString(), "--labels"};
        Path byNumber = dir.resolve("n.tif"), byPoint = dir.resolve("p.tif"), both = dir.resolve("pp.tif"), byFile = dir.resolve("f.tif");
        assertEquals(0, run(concat(common, byNumber.toString(), "--foreground-clusters", "2")), err());
        assertEquals(0, run(concat(common, byPoint.toString(), "--foreground-at", "24,21")), err());
        assertArrayEquals(Synthetic.plane(IJ.openImage(byNumber.toString()), 1), Synthetic.plane(IJ.openImage(byPoint.toString()), 1));
        // two points, on the disk and the box: both clusters; an area inside the box, from a .roi file: the box's
        Path box = dir.resolve("box.roi");
        new ij.io.RoiEncoder(box.toString()).write(new ij.gui.OvalRoi(52, 34, 12, 12));
        assertEquals(0, run(concat(common, both.toString(), "--foreground-at", "24,21; 60,42")), err());
        assertEquals(0, run(concat(common, byFile.toString(), "--foreground-at", box.toString())), err());
        int[] truth = Synthetic.regions(80, 60), two = Synthetic.plane(IJ.openImage(both.toString()), 1), one = Synthetic.plane(IJ.openImage(byFile.toString()), 1);
        int agreeTwo = 0, agreeOne = 0;
        for (int p = 0; p < truth.length; p++) {
            if ((truth[p] > 1) == (two[p] > 0)) agreeTwo++;
            if ((truth[p] == 3) == (one[p] > 0)) agreeOne++;
        }
        assertTrue(agreeTwo > 0.97 * truth.length && agreeOne > 0.97 * truth.length, agreeTwo + " " + agreeOne);
        // an area hanging over the image's right edge counts its pixels inside: mostly the box's
        Path over = dir.resolve("over.roi"), byOver = dir.resolve("o.tif");
        new ij.io.RoiEncoder(over.toString()).write(new ij.gui.OvalRoi(60, 35, 30, 10));
        assertEquals(0, run(concat(common, byOver.toString(), "--foreground-at", over.toString())), err());
        assertArrayEquals(one, Synthetic.plane(IJ.openImage(byOver.toString()), 1));
        // the point tool's selection, saved in the TIFF by ImageJ, read with --foreground-at selection
        ImagePlus pointed = Synthetic.gray8(80, 60, 1);
        pointed.setRoi(new ij.gui.PointRoi(60, 42));
        Path withRoi = save(pointed, dir.resolve("pointed.tif")), bySelection = dir.resolve("s.tif");
        String[] sel = common.clone();
        sel[sel.length - 2] = withRoi.toString();
        assertEquals(0, run(concat(sel, bySelection.toString(), "--foreground-at", "selection")), err());
        int[] s = Synthetic.plane(IJ.openImage(bySelection.toString()), 1);
        for (int p = 0; p < truth.length; p++) assertEquals(s[p] > 0, one[p] > 0, "pixel " + p);
        // refused early, in the option's spelling, nothing written
        Path none = dir.resolve("none.tif");
        assertEquals(1, run(concat(common, none.toString(), "--foreground-at", "100,10")));
        assertTrue(err().contains("--foreground-at 100,10: 100,10 lies outside cells.tif (80 x 60"), err());
        assertEquals(2, run(concat(common, none.toString(), "--foreground-at", "24,21", "--foreground-clusters", "2")));
        assertTrue(err().contains("--foreground-at and --foreground-clusters both name the objects' clusters"), err());
        assertEquals(2, run(concat(common, none.toString(), "--foreground-at", "centre")));
        assertTrue(err().contains("--foreground-at takes selection"), err());
        assertEquals(1, run(concat(common, none.toString(), "--foreground-at", "selection")));
        assertTrue(err().contains("cells.tif has no selection"), err());
        // the ROI Manager is a window: refused as the options are read (the GUI test runs the real one)
        assertEquals(2, run(concat(common, none.toString(), "--foreground-at", "roimanager")));
        assertTrue(err().contains("--foreground-at roimanager needs the ROI Manager, which headless ImageJ lacks"), err());
        assertFalse(Files.exists(none));
    }

    /**
     * --measurements: a row per object whose pixel count is the label image's, the calibrated area
     * in the image's unit, the intensity of the input; a folder in a batch; an existing file is
     * not replaced; a wrong extension is refused before any work.
     */
    @Test
    void measurementsDescribeEachObject(@TempDir Path dir) throws Exception {
        ImagePlus imp = Synthetic.gray8(80, 60, 1);
        imp.getCalibration().pixelWidth = 0.5;
        imp.getCalibration().pixelHeight = 0.5;
        imp.getCalibration().setUnit("micron");
        Path in = save(imp, dir.resolve("cells.tif")), labels = dir.resolve("l.tif"), csv = dir.resolve("m.csv");
        String[] args = {"segment", "--method", "kmeans", "--n-clusters", "3", "--objects", "--quiet", in.toString(),
                "--labels", labels.toString(), "--measurements", csv.toString()};
        assertEquals(0, run(args), err());
        assertTrue(out().contains("measured -> " + csv), out());
        int[] ids = Synthetic.plane(IJ.openImage(labels.toString()), 1);
        int[] count = new int[65536];
        int objects = 0;
        for (int v : ids) if (v > 0 && count[v]++ == 0) objects++;
        List<String> lines = Files.readAllLines(csv);
        assertEquals(io.github.unseg.label.Measurements.HEADER, lines.get(0));
        assertEquals(objects + 1, lines.size(), "a row per object");
        assertTrue(objects >= 2, "the disk and the box");
        float[] pixels = (float[]) IJ.openImage(in.toString()).getProcessor().convertToFloat().getPixels();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int label = Integer.parseInt(f[0]), n = Integer.parseInt(f[2]);
            assertEquals(count[label], n, line);
            assertEquals(n * 0.25, Double.parseDouble(f[3]), 1e-9, line);
            assertEquals("micron^2", f[4]);
            double sum = 0;
            for (int p = 0; p < ids.length; p++) if (ids[p] == label) sum += pixels[p];
            assertEquals(sum / n, Double.parseDouble(f[8]), 1e-3, line);
        }
        // not replaced without --overwrite
        String before = Files.readString(csv);
        assertEquals(0, run(args), "a skip is no failure");
        assertTrue(err().contains("skipped, output exists"), err());
        assertEquals(before, Files.readString(csv));
        // a batch writes NAME_measurements.csv into the folder
        Path batch = Files.createDirectories(dir.resolve("batch")), outDir = dir.resolve("csv");
        save(Synthetic.gray8(80, 60, 2), batch.resolve("a.tif"));
        save(Synthetic.gray8(80, 60, 3), batch.resolve("b.tif"));
        assertEquals(0, run("segment", "--method", "kmeans", "--objects", "--quiet", batch.toString(), "--measurements", outDir.toString()), err());
        assertTrue(Files.exists(outDir.resolve("a_measurements.csv")) && Files.exists(outDir.resolve("b_measurements.csv")));
        // the wrong extension, before any work
        assertEquals(2, run("segment", "--method", "kmeans", in.toString(), "--measurements", dir.resolve("m.txt").toString()));
        assertTrue(err().contains("--measurements") && err().contains(".csv"), err());
    }

    /**
     * --mask: the black surround of a fundus-like image is left out (label 0), so the two clusters
     * are the band and the ground inside; without it the surround is a cluster and the band is
     * not told from the ground. A ROI set masks alike; a mask of another size, or one that keeps nothing, is refused
     * before any work, naming --mask.
     */
    @Test
    void maskLeavesTheSurroundOut(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.fundus(), dir.resolve("fundus.tif")), mask = save(Synthetic.fundusMask(), dir.resolve("fov.tif"));
        Path l = dir.resolve("l.tif"), plain = dir.resolve("plain.tif"), byRoi = dir.resolve("roi.tif");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--mask", mask.toString(), "--quiet", in.toString(),
                "--labels", l.toString()), err());
        int[] got = Synthetic.plane(IJ.openImage(l.toString()), 1);
        for (int p = 0; p < got.length; p++) {
            int x = p % 80, y = p / 80;
            int want = !Synthetic.inFundus(x, y) ? 0 : y >= 26 && y <= 33 ? 1 : 2;
            assertEquals(want, got[p], "pixel " + x + "," + y);
        }
        // (the surround's whole rows and columns at the edges are padding, left out unless kept)
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--mask-padding=false", "--quiet", in.toString(), "--labels", plain.toString()), err());
        int[] without = Synthetic.plane(IJ.openImage(plain.toString()), 1);
        assertTrue(without[0] != 0 && without[30 * 80 + 40] == without[15 * 80 + 40], "unmasked, the surround is a cluster, the band one with the ground");
        // the field of view as an oval ROI saved by ImageJ
        Path roi = dir.resolve("fov.roi");
        assertTrue(ij.io.RoiEncoder.save(new ij.gui.OvalRoi(14, 4, 53, 53), roi.toString()));
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--mask", roi.toString(), "--quiet", in.toString(),
                "--labels", byRoi.toString()), err());
        int[] r = Synthetic.plane(IJ.openImage(byRoi.toString()), 1);
        assertEquals(0, r[0]);
        assertEquals(1, r[30 * 80 + 40]);
        assertEquals(2, r[15 * 80 + 40]);
        // --mask selection: the selection saved in the TIFF, as ImageJ keeps it; none saved: said
        ImagePlus withRoi = Synthetic.fundus();
        withRoi.setRoi(new ij.gui.OvalRoi(14, 4, 53, 53));
        Path sel = save(withRoi, dir.resolve("sel.tif")), bySel = dir.resolve("bysel.tif");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--mask", "selection", "--quiet", sel.toString(),
                "--labels", bySel.toString()), err());
        assertArrayEquals(r, Synthetic.plane(IJ.openImage(bySel.toString()), 1));
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", "selection", "--quiet", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("--mask selection: fundus.tif has no selection: draw the area"), err());
        // refused before any work
        Path small = save(new ImagePlus("s", new ij.process.ByteProcessor(40, 30)), dir.resolve("small.tif"));
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", small.toString(), "--quiet", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("--mask " + small) && err().contains("must be the image's size"), err());
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", dir.resolve("none.png").toString(), "--quiet", in.toString(),
                "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("no such file, folder or open image"), err());
        Path empty = save(new ImagePlus("e", new ij.process.ByteProcessor(80, 60)), dir.resolve("empty.tif"));
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", empty.toString(), "--quiet", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("leaves out every pixel"), err());
        assertFalse(Files.exists(dir.resolve("x.tif")));
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", mask.toString(), "--nan-policy", "reject", "--quiet", in.toString(),
                "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("which --nan-policy reject refuses"), err());
        // the mask is an input: never written over, even with --overwrite
        byte[] before = Files.readAllBytes(mask);
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", mask.toString(), "--overwrite", "--quiet", in.toString(), "--labels", mask.toString()));
        assertArrayEquals(before, Files.readAllBytes(mask), err());
    }

    /**
     * --mask FOLDER: each image of a batch takes its own mask, matched by name (a_mask.tif, the one
     * b_*.tif beside b's earlier labels); an image with no mask there fails alone and the batch goes
     * on; a folder that holds no input's mask, or two candidates for one image, are refused.
     */
    @Test
    void maskFolderGivesEachImageItsOwn(@TempDir Path dir) throws Exception {
        Path imgs = Files.createDirectories(dir.resolve("imgs")), masks = Files.createDirectories(dir.resolve("masks"));
        Path out = Files.createDirectories(dir.resolve("out"));
        for (String n : new String[]{"a", "b", "c"}) save(Synthetic.fundus(), imgs.resolve(n + ".tif"));
        save(Synthetic.fundusMask(), masks.resolve("a_mask.tif"));
        byte[] left = new byte[80 * 60];   // b: the fundus's left half only
        for (int p = 0; p < left.length; p++) left[p] = (byte) (Synthetic.inFundus(p % 80, p / 80) && p % 80 < 40 ? 255 : 0);
        save(new ImagePlus("l", new ij.process.ByteProcessor(80, 60, left)), masks.resolve("b_fov.tif"));
        save(Synthetic.fundus(), masks.resolve("b_labels.tif"));   // an earlier run's output there is no mask
        assertEquals(1, run("segment", "--method", "kmeans", "--n-clusters", "2", "--mask", masks.toString(), "--quiet", imgs.toString(),
                "--labels", out.toString()));
        assertTrue(err().contains("c.tif: FAILED: --mask " + masks + ": no mask there for c.tif (name it c.*, c_mask.* or c_*.*)"), err());
        assertFalse(Files.exists(out.resolve("c_labels.tif")));
        int[] a = Synthetic.plane(IJ.openImage(out.resolve("a_labels.tif").toString()), 1);
        int[] b = Synthetic.plane(IJ.openImage(out.resolve("b_labels.tif").toString()), 1);
        for (int p = 0; p < a.length; p++) {
            int x = p % 80, y = p / 80;
            int want = !Synthetic.inFundus(x, y) ? 0 : y >= 26 && y <= 33 ? 1 : 2;
            assertEquals(want, a[p], "a: pixel " + x + "," + y);
            assertEquals(x < 40 ? want : 0, b[p], "b: pixel " + x + "," + y);
        }
        // a folder with no input's mask: refused before any work
        assertEquals(2, run("segment", "--method", "kmeans", "--mask", out.toString(), "--quiet", imgs.toString(), "--labels",
                dir.resolve("none").toString()));
        assertTrue(err().contains("--mask " + out + ": no file there is named as an input"), err());
        assertFalse(Files.exists(dir.resolve("none")));
        // two candidates for one image: the one named NAME_mask wins, else refused naming both
        save(Synthetic.fundusMask(), masks.resolve("b_other.tif"));
        Path bOnly = imgs.resolve("b.tif");
        assertEquals(1, run("segment", "--method", "kmeans", "--mask", masks.toString(), "--quiet", bOnly.toString(), "--labels",
                dir.resolve("x.tif").toString()));
        assertTrue(err().contains("2 files there could be the mask of b.tif (b_fov.tif, b_other.tif)"), err());
        save(Synthetic.fundusMask(), masks.resolve("b_mask.tif"));
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--mask", masks.toString(), "--quiet", bOnly.toString(),
                "--labels", dir.resolve("x.tif").toString()), err());
        assertArrayEquals(a, Synthetic.plane(IJ.openImage(dir.resolve("x.tif").toString()), 1));
    }

    /**
     * --use-channels: the method sees the named channel only (the disk's or the box's), a fitted
     * model needs the same; the measurements give each channel's mean; a channel the image lacks
     * is refused before any work.
     */
    @Test
    void useChannelsSegmentsOnTheNamedChannel(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.twoColours(80, 60), dir.resolve("two.tif"));
        int[] truth = Synthetic.regions(80, 60);
        for (int c = 1; c <= 2; c++) {
            Path l = dir.resolve("c" + c + ".tif");
            assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--use-channels", "" + c, "--quiet", in.toString(),
                    "--labels", l.toString()), err());
            int[] got = Synthetic.plane(IJ.openImage(l.toString()), 1);
            int agree = 0;
            for (int p = 0; p < got.length; p++) if ((got[p] == 2) == (truth[p] == c + 1)) agree++;
            assertTrue(agree > 0.98 * got.length, "channel " + c + ": " + agree);
        }
        // a model fitted on channel 1 labels with --use-channels 1, alike; without it the channel counts differ
        Path model = dir.resolve("m.json"), again = dir.resolve("again.tif");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--use-channels", "1", "--quiet", in.toString(),
                "--save-model", model.toString(), "--labels", dir.resolve("fit.tif").toString()), err());
        assertEquals(0, run("segment", "--model", model.toString(), "--use-channels", "1", "--quiet", in.toString(), "--labels", again.toString()), err());
        assertArrayEquals(Synthetic.plane(IJ.openImage(dir.resolve("c1.tif").toString()), 1), Synthetic.plane(IJ.openImage(again.toString()), 1));
        assertEquals(1, run("segment", "--model", model.toString(), "--quiet", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("name the channels it was fitted on with --use-channels"), err());
        // measurements of the disk's objects: each channel's mean
        Path csv = dir.resolve("m.csv");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "2", "--use-channels", "1", "--objects", "--quiet", in.toString(),
                "--measurements", csv.toString()), err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(io.github.unseg.label.Measurements.HEADER + ",mean_c1,mean_c2", rows.get(0));
        String[] disk = rows.get(1).split(",");
        assertEquals(2, rows.size(), String.join("\n", rows));
        assertTrue(Double.parseDouble(disk[disk.length - 2]) > 150 && Double.parseDouble(disk[disk.length - 1]) < 60, rows.get(1));
        assertEquals(Double.parseDouble(disk[8]), Double.parseDouble(disk[disk.length - 2]), 1e-3, "mean = channel 1's, the one segmented");
        // refused: a channel the image lacks (per image, before any work), a list that is no list (at once)
        Path none = dir.resolve("none.tif");
        assertEquals(1, run("segment", "--method", "kmeans", "--use-channels", "3", "--quiet", in.toString(), "--labels", none.toString()));
        assertTrue(err().contains("--use-channels 3: the image has 2 channels; name channels from 1 to 2."), err());
        assertEquals(2, run("segment", "--method", "kmeans", "--use-channels", "red", "--quiet", in.toString(), "--labels", none.toString()));
        assertTrue(err().contains("Channels must be numbers"), err());
        assertFalse(Files.exists(none));
    }

    /**
     * --intensity log: K-means with 2 clusters on linear intensities puts dim disks (12 grey levels
     * above a black ground) with the ground, as the bright ones (200) pull its centre up; on the log
     * scale all six are objects. A saved model keeps the scale (the fitted range) and relabels alike.
     */
    @Test
    void logIntensityFindsDimAndBrightObjects(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.dimAndBright(), dir.resolve("cells.tif"));
        Path lin = dir.resolve("lin.tif"), log = dir.resolve("log.tif"), model = dir.resolve("m.json"), again = dir.resolve("again.tif");
        String[] args = {"segment", "--method", "kmeans", "--n-clusters", "2", "--objects", "--quiet", in.toString(), "--labels"};
        Path dim = dir.resolve("dim.tif");
        assertEquals(0, run(concat(args, lin.toString(), "--dim-objects", "0")), err());
        assertEquals(0, run(concat(args, log.toString(), "--intensity", "log", "--save-model", model.toString())), err());
        assertEquals(0, run(concat(args, dim.toString())), err());   // linear, dim objects found (the default)
        ImagePlus l = IJ.openImage(lin.toString()), g = IJ.openImage(log.toString()), m = IJ.openImage(dim.toString());
        for (int k = 0; k < 6; k++) {
            int[] c = Synthetic.disk(k);
            assertEquals(k >= 3, l.getProcessor().get(c[0], c[1]) > 0, "linear without dim objects, disk " + k);
            assertTrue(g.getProcessor().get(c[0], c[1]) > 0, "log, disk " + k);
            assertTrue(m.getProcessor().get(c[0], c[1]) > 0, "linear with dim objects, disk " + k);
        }
        assertEquals(3, (int) l.getProcessor().getStatistics().max);
        assertEquals(6, (int) g.getProcessor().getStatistics().max);
        assertEquals(6, (int) m.getProcessor().getStatistics().max);
        assertTrue(Files.readString(model).contains("\"scale\": \"log\""), Files.readString(model));
        assertEquals(0, run("segment", "--model", model.toString(), "--objects", "--quiet", in.toString(), "--labels", again.toString()), err());
        assertArrayEquals(Synthetic.plane(g, 1), Synthetic.plane(IJ.openImage(again.toString()), 1));
        // a value it does not know: refused as the options are read, in the user's spelling
        assertEquals(2, run(concat(args, dir.resolve("x.tif").toString(), "--intensity", "logarithm")));
        assertTrue(err().contains("--intensity"), err());
        assertFalse(Files.exists(dir.resolve("x.tif")));
    }

    /** Objects of the shipped sample (K-means k3, smoothing 1, background subtract), the labels file to follow. */
    private static String[] sampleObjects() {
        return new String[]{"segment", "--method", "kmeans", "--n-clusters", "3", "--smoothing", "1", "--background", "subtract", "--objects",
                "--quiet", Path.of("samples/dsb2018_nuclei.tif").toAbsolutePath().toString(), "--labels"};
    }

    /** --max-object-size on the sample: exactly the objects above it go (the clumps), the rest stay as they were. */
    @Test
    void maxObjectSizeDropsTheLargeObjects(@TempDir Path dir) throws Exception {
        Path all = dir.resolve("all.tif"), small = dir.resolve("small.tif");
        String[] args = sampleObjects();
        assertEquals(0, run(concat(args, all.toString())), err());
        assertEquals(0, run(concat(args, small.toString(), "--max-object-size", "800")), err());
        int[] ids = Synthetic.plane(IJ.openImage(all.toString()), 1), kept = Synthetic.plane(IJ.openImage(small.toString()), 1);
        java.util.Map<Integer, Integer> size = new java.util.HashMap<>();
        for (int v : ids) if (v > 0) size.merge(v, 1, Integer::sum);
        long large = size.values().stream().filter(n -> n > 800).count();
        assertTrue(large >= 2 && large < size.size() / 4, "the sample has a few objects over 800 px: " + large);
        for (int p = 0; p < ids.length; p++) assertEquals(ids[p] > 0 && size.get(ids[p]) <= 800, kept[p] > 0, "pixel " + p);
        // refused as the options are read: below minObjectSize, and without --objects
        Path none = dir.resolve("none.tif");
        assertEquals(2, run(concat(args, none.toString(), "--max-object-size", "5", "--min-object-size", "10")));
        assertTrue(err().contains("--max-object-size 5 is below --min-object-size 10"), err());
        assertEquals(2, run("segment", "--method", "kmeans", "--max-object-size", "800", "--quiet",
                Path.of("samples/dsb2018_nuclei.tif").toAbsolutePath().toString(), "--labels", none.toString()));
        assertTrue(err().contains("--max-object-size applies to object labels: add --objects"), err());
        assertFalse(Files.exists(none));
    }

    /** --exclude-edges on the sample: exactly the objects that touch the border go, the rest stay as they were. */
    @Test
    void excludeEdgesDropsTheObjectsTheBorderCuts(@TempDir Path dir) throws Exception {
        Path all = dir.resolve("all.tif"), inner = dir.resolve("inner.tif");
        String[] args = sampleObjects();
        assertEquals(0, run(concat(args, all.toString())), err());
        assertEquals(0, run(concat(args, inner.toString(), "--exclude-edges")), err());
        ImagePlus a = IJ.openImage(all.toString());
        int w = a.getWidth(), h = a.getHeight();
        int[] ids = Synthetic.plane(a, 1), kept = Synthetic.plane(IJ.openImage(inner.toString()), 1);
        java.util.Set<Integer> onEdge = new java.util.HashSet<>();
        for (int p = 0; p < ids.length; p++) {
            int x = p % w, y = p / w;
            if (ids[p] > 0 && (x == 0 || y == 0 || x == w - 1 || y == h - 1)) onEdge.add(ids[p]);
        }
        assertTrue(onEdge.size() >= 3, "the sample has nuclei cut by its border: " + onEdge.size());
        for (int p = 0; p < ids.length; p++) {
            assertEquals(ids[p] > 0 && !onEdge.contains(ids[p]), kept[p] > 0, "pixel " + p);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A single plane of many channels (a z-stack saved as channels) is segmented, with a note that says what to check. */
    @Test
    void manyChannelsInOnePlaneGetANote(@TempDir Path dir) throws Exception {
        ij.ImageStack st = new ij.ImageStack(40, 30);
        for (int c = 0; c < 10; c++) st.addSlice(Synthetic.gray8(40, 30, c).getProcessor());
        ImagePlus imp = new ImagePlus("ten", st);
        imp.setDimensions(10, 1, 1);
        Path in = save(imp, dir.resolve("ten.tif"));
        assertEquals(0, run("segment", "--method", "kmeans", "--quiet", in.toString(), "--labels", dir.resolve("l.tif").toString()));
        assertTrue(out().contains("ten.tif: 40x30, 10 channels"), out());
        assertTrue(out().contains("note: the image's 10 channels are segmented together"), out());
        Path rgb = save(Synthetic.rgb(40, 30, 1), dir.resolve("rgb.tif"));
        assertEquals(0, run("segment", "--method", "kmeans", "--quiet", rgb.toString(), "--labels", dir.resolve("r.tif").toString()));
        assertFalse(out().contains("note:"), "three channels are no question: " + out());
    }

    /** A plane's labelling reports its tiles (a large plane's take most of a minute; before, nothing showed). */
    @Test
    void labellingAPlaneReportsItsTiles(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.json");
        assertEquals(0, run("segment", "--method", "cnn", "--max-iterations", "2", "--quiet", "samples/dsb2018_nuclei.tif",
                "--labels", dir.resolve("a.tif").toString(), "--save-model", m.toString()));
        assertEquals(0, run("segment", "--model", m.toString(), "--tile-size", "64", "samples/dsb2018_nuclei.tif",
                "--labels", dir.resolve("b.tif").toString()));
        assertTrue(err().contains("dsb2018_nuclei.tif:   0% Labelling tile 1/64"), err());
    }

    /**
     * Progress lines at most one an interval, the newest shown when the interval is up: a long
     * step that reports once, right after the last line (a plane's region merging), shows.
     */
    @Test
    void progressShowsTheNewestReportWhenItsIntervalIsUp() throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        SegmentCli.ConsoleProgress p = new SegmentCli.ConsoleProgress(ps, "x", false, 300_000_000L);
        p.report("Labelling tile 1/3", 0);
        p.report("Labelling tile 2/3", 0.3);
        p.report("Merging regions", -1);   // replaces the tile line before it was shown
        assertEquals("x:   0% Labelling tile 1/3\n", b.toString(StandardCharsets.UTF_8));
        Thread.sleep(1000);   // the step goes on without a word
        assertEquals("x:   0% Labelling tile 1/3\nx: Merging regions\n", b.toString(StandardCharsets.UTF_8));
        p.report("Labelled", 1);   // the interval is up: at once
        p.report("Done", 1);
        p.end();   // the result follows now: the pending line is dropped, not printed after it
        Thread.sleep(600);
        assertEquals("x:   0% Labelling tile 1/3\nx: Merging regions\nx: 100% Labelled\n", b.toString(StandardCharsets.UTF_8));
    }

    /** A batch's progress line says how long the rest will take, from the second image on. */
    @Test
    void batchProgressSaysTheTimeLeft(@TempDir Path dir) throws Exception {
        Path inDir = Files.createDirectories(dir.resolve("in"));
        for (String n : new String[]{"a", "b", "c"}) save(Synthetic.gray8(50, 40, n.charAt(0)), inDir.resolve(n + ".tif"));
        assertEquals(0, run("segment", "--method", "gmm", inDir.toString(), "--labels", dir.resolve("labels").toString()));
        assertTrue(err().contains("[1/3] a.tif: "), err());
        assertTrue(java.util.regex.Pattern.compile("\\[2/3, (about \\d+ s|less than 1 s) left\\] b\\.tif: ").matcher(err()).find(), err());
        assertTrue(java.util.regex.Pattern.compile("\\[3/3, (about \\d+ s|less than 1 s) left\\] c\\.tif: ").matcher(err()).find(), err());
        assertTrue(out().contains("[2/3] b.tif: 50x40"), out());   // the result line keeps the plain tag
    }

    @Test
    void batchReportsABadFileAndGoesOn(@TempDir Path dir) throws Exception {
        Path inDir = Files.createDirectories(dir.resolve("in"));
        save(Synthetic.gray8(50, 40, 1), inDir.resolve("a.tif"));
        Files.writeString(inDir.resolve("b.tif"), "not an image");
        save(Synthetic.rgb(50, 40, 2), inDir.resolve("c.tif"));
        Path outDir = dir.resolve("labels");
        int code = run("segment", "--method", "gmm", inDir.toString(), "--labels", outDir.toString(), "--quiet");
        assertEquals(1, code, "a failed file makes the exit code 1");
        assertTrue(err().contains("[2/3] b.tif: FAILED: Cannot read"), err());
        assertTrue(out().contains("2 segmented, 1 failed, 0 skipped"), out());
        assertTrue(Files.exists(outDir.resolve("a_labels.tif")));
        assertTrue(Files.exists(outDir.resolve("c_labels.tif")));
        // a text file named as input: ImageJ reads it as an empty "text image"; said so, not "empty image"
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals(1, run("segment", "--method", "gmm", txt.toString(), "--labels", dir.resolve("n.tif").toString(), "--quiet"));
        assertTrue(err().contains("notes.txt as an image: it is a text file without a table of numbers"), err());
    }

    /** A pattern the shell left quoted ("$IN/*.tif" in a job script) names the image files it matches, as a folder would. */
    @Test
    void aQuotedPatternNamesTheFilesItMatches(@TempDir Path dir) throws Exception {
        Path inDir = Files.createDirectories(dir.resolve("in"));
        save(Synthetic.gray8(50, 40, 1), inDir.resolve("a.tif"));
        save(Synthetic.gray8(50, 40, 2), inDir.resolve("b.tif"));
        save(Synthetic.gray8(50, 40, 3), inDir.resolve("c.tiff"));
        Path outDir = dir.resolve("labels");
        assertEquals(0, run("segment", "--method", "gmm", inDir.resolve("*.tif").toString(), "--labels", outDir.toString(), "--quiet"), err());
        assertTrue(out().contains("2 segmented, 0 failed, 0 skipped"), out());
        assertTrue(Files.exists(outDir.resolve("b_labels.tif")) && !Files.exists(outDir.resolve("c_labels.tif")));
        assertEquals(2, run("segment", "--method", "gmm", inDir.resolve("z*.tif").toString(), "--labels", outDir.toString(), "--quiet"));
        assertTrue(err().contains("z*.tif: no image file matches this pattern."), err());
    }

    /**
     * A ROI set beside the images (the ROI Manager's RoiSet.zip; an empty one, as written for an
     * image without objects) is no input: ImageJ would open it into the ROI Manager (headless: a
     * stack trace). Named as the input, it is refused in a sentence.
     */
    @Test
    void roiSetsBesideTheImagesAreNotInputs(@TempDir Path dir) throws Exception {
        Path inDir = Files.createDirectories(dir.resolve("in"));
        save(Synthetic.gray8(50, 40, 1), inDir.resolve("a.tif"));
        java.util.List<ij.gui.Roi> rois = java.util.List.of(new ij.gui.Roi(1, 1, 5, 5), new ij.gui.OvalRoi(10, 10, 8, 8));
        io.github.unseg.ij.RoiExport.writeZip(rois, inDir.resolve("RoiSet.zip").toFile(), false);
        Files.write(inDir.resolve("empty.zip"), new byte[]{'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Path outDir = dir.resolve("labels");
        assertEquals(0, run("segment", "--method", "gmm", inDir.toString(), "--labels", outDir.toString(), "--quiet"), err());
        assertTrue(out().contains("1 segmented, 0 failed, 0 skipped"), out());
        assertEquals(1, run("segment", "--method", "gmm", inDir.resolve("RoiSet.zip").toString(), "--labels", dir.resolve("r.tif").toString(), "--quiet"));
        assertTrue(err().contains("RoiSet.zip as an image: it is a set of ROIs"), err());
        assertFalse(err().contains("Exception"), err());
    }

    @Test
    void savedModelLabelsAFolderConsistently(@TempDir Path dir) throws Exception {
        Path a = save(Synthetic.rgb(50, 40, 1), dir.resolve("a.tif"));
        Path model = dir.resolve("model.json");
        assertEquals(0, run("segment", "--method", "gmm-kmeans", a.toString(), "--save-model", model.toString(),
                "--labels", dir.resolve("a_labels.tif").toString(), "--quiet"), err());
        assertTrue(Files.readString(model).contains("\"method\": \"gmm-kmeans\""));
        Path batch = Files.createDirectories(dir.resolve("batch"));
        Files.copy(a, batch.resolve("a.tif"));
        save(Synthetic.rgb(50, 40, 7), batch.resolve("b.tif"));
        assertEquals(0, run("segment", "--model", model.toString(), batch.toString(), "--labels", dir.resolve("out").toString(), "--quiet"), err());
        ImagePlus first = IJ.openImage(dir.resolve("a_labels.tif").toString());
        ImagePlus again = IJ.openImage(dir.resolve("out/a_labels.tif").toString());
        assertArrayEquals(Synthetic.plane(first, 1), Synthetic.plane(again, 1));
        assertFalse(out().contains("lie outside the intensities"), out());
    }

    /** A model fitted on 8-bit images given a 16-bit one (200x the values): labelled, with a note saying why it looks wrong. */
    @Test
    void aModelGivenAnotherIntensityRangeSaysSo(@TempDir Path dir) throws Exception {
        ImagePlus eight = Synthetic.gray8(60, 40, 3);
        Path a = save(eight, dir.resolve("a.tif")), model = dir.resolve("km.json");
        assertEquals(0, run("segment", "--method", "kmeans", a.toString(), "--save-model", model.toString(), "--labels", dir.resolve("a_l.tif").toString(), "--quiet"), err());
        short[] v = new short[60 * 40];
        for (int i = 0; i < v.length; i++) v[i] = (short) (200 * eight.getProcessor().get(i));
        Path b = save(new ImagePlus("b", new ij.process.ShortProcessor(60, 40, v, null)), dir.resolve("b.tif"));
        assertEquals(0, run("segment", "--model", model.toString(), b.toString(), "--labels", dir.resolve("b_l.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("of this image's pixels lie outside the intensities the model was fitted on ("), out());
        assertEquals(0, run("segment", "--model", model.toString(), a.toString(), "--labels", dir.resolve("a_l2.tif").toString(), "--quiet"), err());
        assertFalse(out().contains("lie outside"), out());
    }

    /**
     * A field of noise alone, cut into objects, is said to be one (its outline contrast); cells on
     * the same noise are not, and their contrast is given.
     */
    /** A registration's shift pads the field with a band of zeros: left out, the objects are those of the field alone. */
    @Test
    void paddingAlongTheEdgesIsLeftOut(@TempDir Path dir) throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        int w = 200, h = 200, top = 30, left = 20;
        byte[] field = new byte[(w - left) * (h - top)], padded = new byte[w * h];
        for (int y = 0; y < h - top; y++) {
            for (int x = 0; x < w - left; x++) {
                int dx = x % 40 - 20, dy = y % 40 - 20;
                int v = (int) Math.max(1, Math.round(30 + (dx * dx + dy * dy <= 100 ? 40 : 0) + 8 * rnd.nextGaussian()));
                field[y * (w - left) + x] = (byte) v;
                padded[(y + top) * w + x + left] = (byte) v;   // shifted down and right, zeros where nothing was
            }
        }
        Path f = save(new ImagePlus("field", new ij.process.ByteProcessor(w - left, h - top, field)), dir.resolve("field.tif"));
        Path p = save(new ImagePlus("padded", new ij.process.ByteProcessor(w, h, padded)), dir.resolve("padded.tif"));
        for (String method : new String[]{"kmeans", "cnn"}) {
            String[] seg = {"segment", "--method", method, "--objects", "--quiet"};
            assertEquals(0, run(concat(seg, f.toString(), "--labels", dir.resolve(method + "_f.tif").toString())), err());
            int alone = objects(out());
            assertEquals(0, run(concat(seg, p.toString(), "--labels", dir.resolve(method + "_p.tif").toString())), err());
            assertTrue(out().contains("note: 23.5% of the image is padding, one value along the edges in whole rows or columns, in corners"
                    + " cut by a straight line or in notches (a registration's shift or rotation, a stitching?): left out as masked (label 0);"
                    + " --mask-padding=false keeps it"), out());
            assertTrue(Math.abs(objects(out()) - alone) <= 1, method + ": " + alone + " objects alone; " + out());
            ij.process.ImageProcessor l = ij.IJ.openImage(dir.resolve(method + "_p.tif").toString()).getProcessor();
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if (y < top || x < left) assertEquals(0, l.get(x, y), method + " at " + x + "," + y);
            // kept, the band is the darkest cluster and the field's own background an object (the CNN, before
            // the band was left out: every pixel but the band one object, or a label along the band's edge)
            assertEquals(0, run(concat(seg, "--mask-padding=false", p.toString(), "--labels", dir.resolve(method + "_k.tif").toString())), err());
            assertFalse(out().contains("padding"), out());
            assertTrue(objects(out()) < alone / 2, method + ": " + out());
        }
        // exclude on edges: the padding's edge is the field of view's (before, the discs it cuts were kept)
        String[] edges = {"segment", "--method", "kmeans", "--objects", "--exclude-edges", "--quiet"};
        assertEquals(0, run(concat(edges, f.toString(), "--labels", dir.resolve("e_f.tif").toString())), err());
        int inside = objects(out());
        assertEquals(0, run(concat(edges, p.toString(), "--labels", dir.resolve("e_p.tif").toString())), err());
        assertEquals(inside, objects(out()), out());
    }

    /** A rotation (a rigid-body registration's) leaves zeros in the corners: left out as padding, for the CNN as for K-means. */
    @Test
    void rotationCornersAreLeftOut(@TempDir Path dir) throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        int w = 200, h = 200;
        double a = Math.toRadians(8), cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        byte[] rotated = new byte[w * h];
        boolean[] corner = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // where (x, y) came from: outside the frame is the corners' zero
                long sx = Math.round(cx + (x - cx) * Math.cos(a) + (y - cy) * Math.sin(a)), sy = Math.round(cy - (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a));
                if (sx < 0 || sy < 0 || sx >= w || sy >= h) { corner[y * w + x] = true; continue; }
                long dx = sx % 40 - 20, dy = sy % 40 - 20;
                rotated[y * w + x] = (byte) Math.max(1, Math.round(30 + (dx * dx + dy * dy <= 100 ? 40 : 0) + 8 * rnd.nextGaussian()));
            }
        }
        Path p = save(new ImagePlus("rotated", new ij.process.ByteProcessor(w, h, rotated)), dir.resolve("rotated.tif"));
        for (String method : new String[]{"kmeans", "cnn"}) {
            String[] seg = {"segment", "--method", method, "--objects", "--quiet"};
            assertEquals(0, run(concat(seg, p.toString(), "--labels", dir.resolve(method + "_r.tif").toString())), err());
            assertTrue(out().contains("of the image is padding, one value along the edges in whole rows or columns, in corners"
                    + " cut by a straight line"), out());
            int left = objects(out());
            assertTrue(left >= 20 && left <= 26, method + ": " + out());   // 25 discs, a few cut by the corners
            ij.process.ImageProcessor l = ij.IJ.openImage(dir.resolve(method + "_r.tif").toString()).getProcessor();
            for (int i = 0; i < w * h; i++) if (corner[i]) assertEquals(0, l.get(i % w, i / w), method + " at " + i % w + "," + i / w);
            // kept, the corners are the darkest cluster and the field's own background an object
            assertEquals(0, run(concat(seg, "--mask-padding=false", p.toString(), "--labels", dir.resolve(method + "_k.tif").toString())), err());
            assertTrue(objects(out()) < left / 2, method + ": " + out());
        }
    }

    /** A few hot pixels (a camera's, a cosmic ray's) squeezed the image into a sliver of the range: clipped, the objects are those without them. */
    @Test
    void hotPixelsAreClipped(@TempDir Path dir) throws Exception {
        java.util.Random rnd = new java.util.Random(6);
        short[] clean = new short[200 * 200];
        for (int p = 0; p < clean.length; p++) {
            int dx = p % 200 % 40 - 20, dy = p / 200 % 40 - 20;
            clean[p] = (short) Math.max(0, Math.round(300 + (dx * dx + dy * dy <= 100 ? 400 : 0) + 30 * rnd.nextGaussian()));
        }
        short[] hot = clean.clone();
        for (int i = 0; i < 4; i++) hot[rnd.nextInt(hot.length)] = (short) 65535;
        Path c = save(new ImagePlus("clean", new ij.process.ShortProcessor(200, 200, clean, null)), dir.resolve("clean.tif"));
        Path h = save(new ImagePlus("hot", new ij.process.ShortProcessor(200, 200, hot, null)), dir.resolve("hot.tif"));
        for (String method : new String[]{"kmeans", "gmm"}) {
            String[] seg = {"segment", "--method", method, "--n-clusters", "2", "--objects", "--quiet"};
            assertEquals(0, run(concat(seg, c.toString(), "--labels", dir.resolve(method + "_c.tif").toString())), err());
            assertFalse(out().contains("outside the rest"), out());
            int alone = objects(out());
            assertEquals(25, alone, out());
            assertEquals(0, run(concat(seg, h.toString(), "--labels", dir.resolve(method + "_h.tif").toString())), err());
            assertTrue(out().contains("note: 4 pixels far outside the rest in specks under 10 px (beyond "), out());
            assertTrue(out().contains("hot or dead pixels?) read as its 0.1th or 99.9th percentile ("), out());
            assertTrue(out().contains("for the segmentation (the measurements keep their values); --clip-outliers=false keeps them"), out());
            assertEquals(alone, objects(out()), out());
            // kept: the hot pixels are a cluster of their own, and the discs share the background's
            assertEquals(0, run(concat(seg, "--clip-outliers=false", h.toString(), "--labels", dir.resolve(method + "_k.tif").toString())), err());
            assertTrue(objects(out()) < 5, method + ": " + out());
        }
    }

    private static int objects(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ *(\\d+) objects \\(").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void anEmptyFieldIsSaidToBeOne(@TempDir Path dir) throws Exception {
        java.util.Random rnd = new java.util.Random(3);
        byte[] empty = new byte[200 * 200], cells = new byte[200 * 200];
        for (int p = 0; p < empty.length; p++) {
            int dx = p % 200 % 40 - 20, dy = p / 200 % 40 - 20;
            double noise = 8 * rnd.nextGaussian();
            empty[p] = (byte) Math.max(0, Math.round(30 + noise));
            cells[p] = (byte) Math.max(0, Math.round(30 + (dx * dx + dy * dy <= 100 ? 40 : 0) + noise));
        }
        Path e = save(new ImagePlus("empty", new ij.process.ByteProcessor(200, 200, empty)), dir.resolve("empty.tif"));
        Path c = save(new ImagePlus("cells", new ij.process.ByteProcessor(200, 200, cells)), dir.resolve("cells.tif"));
        String[] command1 = {"segment", "--method", "kmeans", "--n-clusters", "3", "--smoothing", "1", "--background", "subtract", "--objects", "--refine-edges", "4"};
        assertEquals(0, run(concat(command1, e.toString(), "--labels", dir.resolve("e.tif").toString(), "--quiet")), err());
        assertTrue(out().contains("note: the objects' outlines are hardly stronger than the background's noise (outline contrast 1."), out());
        assertFalse(out().contains("try --refine-edges"), "refineEdges is on: " + out());
        assertTrue(out().contains("--min-outline-contrast 2 drops objects that weak."), out());
        // asked to, the noise's objects go
        assertEquals(0, run(concat(command1, "--min-outline-contrast", "2", e.toString(), "--labels", dir.resolve("e2.tif").toString(), "--quiet")), err());
        assertTrue(out().contains("0 objects (") && out().contains(", outline contrast below 2.0 dropped ("), out());
        assertFalse(out().contains("hardly stronger"), out());
        assertEquals(2, run(concat(new String[]{"segment", "--method", "kmeans", "--min-outline-contrast", "2"}, e.toString(),
                "--labels", dir.resolve("e3.tif").toString(), "--quiet")));
        assertTrue(err().contains("--min-outline-contrast applies to object labels: add --objects"), err());
        assertEquals(0, run(concat(command1, c.toString(), "--labels", dir.resolve("c.tif").toString(),
                "--measurements", dir.resolve("c.csv").toString(), "--quiet")), err());
        assertTrue(out().contains("25 objects (") && out().contains("); outline contrast "), out());
        assertFalse(out().contains("hardly stronger"), out());
        assertEquals(0, run(concat(command1, "--min-outline-contrast", "2", c.toString(), "--labels", dir.resolve("c2.tif").toString(), "--quiet")), err());
        assertTrue(out().contains("25 objects (") && out().contains(", outline contrast below 2.0 dropped (0)"), out());
        // each object's own figure in the measurements: every disc's outline stands out
        List<String> rows = Files.readAllLines(dir.resolve("c.csv"));
        int col = java.util.Arrays.asList(rows.get(0).split(",")).indexOf("outline_contrast");
        assertEquals(26, rows.size());
        for (String r : rows.subList(1, rows.size())) assertTrue(Double.parseDouble(r.split(",")[col]) > 3, r);
        // a stack segmented slice by slice: the empty slice is named
        ij.ImageStack st = new ij.ImageStack(200, 200);
        st.addSlice(new ij.process.ByteProcessor(200, 200, cells.clone()));
        st.addSlice(new ij.process.ByteProcessor(200, 200, empty.clone()));
        st.addSlice(new ij.process.ByteProcessor(200, 200, cells.clone()));
        Path s = save(new ImagePlus("stack", st), dir.resolve("stack.tif"));
        assertEquals(0, run(concat(command1, "--per-slice", s.toString(), "--labels", dir.resolve("s.tif").toString(), "--quiet")), err());
        assertTrue(out().contains("hardly stronger than the background's noise in plane 2 of 3 (outline contrast 1."), out());
        // one summary line for the three slices' models; the label count is the objects', whose ids restart per plane
        assertTrue(out().contains("\n  slices 1-3: K-means, 3 clusters, inertia "), out());
        java.util.regex.Matcher objects = java.util.regex.Pattern.compile("(\\d+) objects \\(").matcher(out());
        java.util.regex.Matcher labels = java.util.regex.Pattern.compile("label pixels: 0: \\d+ \\([\\d.]+%\\), (\\d+) labels \\(numbered per plane\\) of").matcher(out());
        assertTrue(objects.find() && labels.find(), out());
        assertEquals(objects.group(1), labels.group(1), out());
        assertTrue(Integer.parseInt(objects.group(1)) >= 50, out());
        // a batch names its noted files again at the end
        Path batch = Files.createDirectories(dir.resolve("batch"));
        Files.copy(e, batch.resolve("empty.tif"));
        Files.copy(c, batch.resolve("cells.tif"));
        assertEquals(0, run(concat(command1, batch.toString(), "--labels", dir.resolve("batch-out").toString(), "--quiet")), err());
        assertTrue(out().contains("2 segmented, 0 failed, 0 skipped; 1 with a note (see above): empty.tif\n")
                || out().contains("2 segmented, 0 failed, 0 skipped; 1 with a note (see above): empty.tif\r\n"), out());
    }

    @Test
    void featureStackFromTheCommandLineIsSavedWithTheModel(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray32(80, 60, 1), dir.resolve("cells.tif"));
        Path labels = dir.resolve("l.tif"), model = dir.resolve("m.json");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "3", "--filters", "gaussian,hessian", "--sigmas", "1,2",
                "--background", "subtract", "--background-sigma", "25", in.toString(), "--labels", labels.toString(),
                "--save-model", model.toString(), "--quiet"), err());
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(IJ.openImage(labels.toString()), 1), Synthetic.regions(80, 60), 3, 3) >= 0.9);
        assertTrue(Files.readString(model).contains("\"filters\": \"gaussian,hessian\""), Files.readString(model));
        Path again = dir.resolve("again.tif");
        assertEquals(0, run("segment", "--model", model.toString(), in.toString(), "--labels", again.toString(), "--quiet"), err());
        assertArrayEquals(Synthetic.plane(IJ.openImage(labels.toString()), 1), Synthetic.plane(IJ.openImage(again.toString()), 1));
        // the opening background and the line filter: the regions found, saved with the model, the same labels from it
        Path opened = dir.resolve("o.tif"), openModel = dir.resolve("o.json"), openAgain = dir.resolve("o2.tif");
        assertEquals(0, run("segment", "--method", "kmeans", "--n-clusters", "3", "--background", "opening", "--background-sigma", "30",
                "--filters", "line", "--sigmas", "2", in.toString(), "--labels", opened.toString(), "--save-model", openModel.toString(), "--quiet"), err());
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(IJ.openImage(opened.toString()), 1), Synthetic.regions(80, 60), 3, 3) >= 0.9);
        assertTrue(Files.readString(openModel).contains("\"background\": \"opening\"") && Files.readString(openModel).contains("\"filters\": \"line\""),
                Files.readString(openModel));
        assertEquals(0, run("segment", "--model", openModel.toString(), in.toString(), "--labels", openAgain.toString(), "--quiet"), err());
        assertArrayEquals(Synthetic.plane(IJ.openImage(opened.toString()), 1), Synthetic.plane(IJ.openImage(openAgain.toString()), 1));
        assertEquals(2, run("segment", "--background", "rollingball", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("--background rollingball") && err().contains("opening"), err());
        assertEquals(2, run("segment", "--filters", "gaussian,hessan", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("--filters gaussian,hessan: unknown filter 'hessan'"), err());
        assertEquals(2, run("segment", "--sigmas", "1,100", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("--sigmas 1,100: each sigma must be from 0.3 to 64"), err());
        assertEquals(2, run("segment", "--method", "cnn", "--filters", "gaussian", in.toString(), "--labels", dir.resolve("x.tif").toString()));
        assertTrue(err().contains("--filters"), err());
        // the CNN takes the shading correction (not the filters), and its model keeps it
        Path cnnModel = dir.resolve("cnn.json");
        assertEquals(0, run("segment", "--method", "cnn", "--background", "subtract", "--background-sigma", "25", "--max-iterations", "3",
                in.toString(), "--labels", dir.resolve("cnn.tif").toString(), "--save-model", cnnModel.toString(), "--quiet"), err());
        assertTrue(Files.readString(cnnModel).contains("\"background\": \"subtract\""), Files.readString(cnnModel));
        assertTrue(!Files.exists(dir.resolve("x.tif")));
    }

    @Test
    void usageErrorsExitWithTwoAndAMessage(@TempDir Path dir) {
        assertEquals(2, run("segment", "--clusters", "many", "x.tif", "--labels", "y.tif"));
        assertTrue(err().contains("--clusters many: not a whole number"), err());
        assertEquals(2, run("segment", "x.tif"));
        assertTrue(err().contains("--labels"), err());
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("segment", "--colour", "x.tif"));
        assertTrue(err().contains("Unknown option --colour"), err());
        assertEquals(0, run("segment", "--help"));
        assertTrue(out().contains("--roi-mode"));
        // a method's help offers the choices it takes
        assertEquals(0, run("segment", "--method", "cnn", "--help"));
        assertTrue(out().contains("--preset auto|microscopy|photo|tip2020"), out());
        assertEquals(0, run("segment", "--method", "cnn-kmeans", "--help"));
        assertTrue(out().contains("--preset auto|microscopy|tip2020 "), out());
        assertEquals(2, run("segment", dir.resolve("missing.tif").toString(), "--labels", dir.resolve("l.tif").toString(), "--quiet"));
        assertTrue(err().contains("missing.tif: no such file"), err());
    }

    @Test
    void evaluatesPairsAndFoldersWithCsvAndJson(@TempDir Path dir) throws Exception {
        // Two annotators for image "x", one for "y"; predictions named NAME_labels.tif.
        Path pred = Files.createDirectories(dir.resolve("pred")), truth = Files.createDirectories(dir.resolve("truth"));
        ij.process.ShortProcessor p = new ij.process.ShortProcessor(4, 2, new short[]{1, 1, 1, 2, 1, 1, 1, 2}, null);
        ij.process.ShortProcessor t = new ij.process.ShortProcessor(4, 2, new short[]{1, 1, 2, 2, 1, 1, 2, 2}, null);
        save(new ImagePlus("x", p), pred.resolve("x_labels.tif"));
        save(new ImagePlus("y", p.duplicate()), pred.resolve("y_labels.tif"));
        save(new ImagePlus("t", t), truth.resolve("x_1.tif"));
        save(new ImagePlus("t", t.duplicate()), truth.resolve("x_2.tif"));
        save(new ImagePlus("t", t.duplicate()), truth.resolve("y.tif"));
        Path csv = dir.resolve("summary.csv"), json = dir.resolve("summary.json");
        assertEquals(0, run("evaluate", "--pred", pred.toString(), "--truth", truth.toString(),
                "--csv", csv.toString(), "--json", json.toString()), err());
        assertTrue(out().contains("x_labels.tif: meanIoU 0.5833"), out());
        assertTrue(out().contains("2 evaluated, 0 failed"), out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("prediction,truth,nAnnotators,"));
        assertTrue(lines.get(1).contains("x_1.tif;") && lines.get(1).contains(",2,"), lines.get(1));
        assertTrue(Files.readString(json).contains("\"meanIoU\": 0.5833333333"), Files.readString(json));
        assertTrue(Files.readString(json).matches("(?s).*\"nTruthSegments\": 2[,\\s].*"), "counts are integers: " + Files.readString(json));
        // Outputs are not replaced without --overwrite; a size mismatch is named.
        assertEquals(1, run("evaluate", pred.resolve("x_labels.tif").toString(), truth.resolve("y.tif").toString(), "--csv", csv.toString()));
        save(new ImagePlus("small", new ij.process.ShortProcessor(3, 2)), truth.resolve("small.tif"));
        assertEquals(1, run("evaluate", pred.resolve("x_labels.tif").toString(), truth.resolve("small.tif").toString()));
        assertTrue(err().contains("differ in size (width 4 vs 3)"), err());
    }

    /** A truth folder is listed once for a batch; each prediction gets exactly its annotators, in name order. */
    @Test
    void aTruthFolderMatchesEachPredictionByName(@TempDir Path dir) throws Exception {
        for (String n : new String[]{"x.tif", "x_2.png", "x_1.tif", "x-mask.tif", "x1.tif", "xa.tif", "w.tif", ".x_3.tif", "y_labels.tif"}) {
            Files.write(dir.resolve(n), new byte[]{0});
        }
        Files.createDirectories(dir.resolve("x_4.tif"));   // a folder is no truth file
        io.github.unseg.ij.Evaluate.TruthFolder tf = new io.github.unseg.ij.Evaluate.TruthFolder(dir.toFile());
        java.util.function.Function<String, List<String>> names = p -> tf.filesFor(p).stream().map(java.io.File::getName)
                .collect(java.util.stream.Collectors.toList());
        assertEquals(List.of("x-mask.tif", "x.tif", "x_1.tif", "x_2.png"), names.apply("x_labels.tif"));
        assertEquals(List.of("x-mask.tif", "x.tif", "x_1.tif", "x_2.png"), names.apply("x.tif"));
        assertEquals(List.of("w.tif"), names.apply("w-labels.tif"));
        assertEquals(List.of("y_labels.tif"), names.apply("y_labels.tif"));
        assertEquals(List.of(), names.apply("v.tif"));
        assertEquals(List.of(), names.apply("z.tif"));
        assertEquals(names.apply("x.tif"), io.github.unseg.ij.Evaluate.truthFiles("x.tif", dir.toFile()).stream()
                .map(java.io.File::getName).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void segmentWithTruthPrintsTheEvaluation(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray8(60, 40, 3), dir.resolve("img.tif"));
        int[] reg = Synthetic.regions(60, 40);
        short[] s = new short[reg.length];
        for (int i = 0; i < s.length; i++) s[i] = (short) reg[i];
        Path truth = save(new ImagePlus("gt", new ij.process.ShortProcessor(60, 40, s, null)), dir.resolve("gt.tif"));
        assertEquals(0, run("segment", in.toString(), "--labels", dir.resolve("l.tif").toString(), "--truth", truth.toString(), "--quiet"), err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("meanIoU ([0-9.]+)").matcher(out());
        assertTrue(m.find(), out());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.95, out());
        // a ground truth of another size: refused before the segmentation, nothing written
        Path other = save(Synthetic.gray8(30, 40, 1), dir.resolve("other.tif"));
        assertEquals(1, run("segment", in.toString(), "--labels", dir.resolve("l2.tif").toString(), "--truth", other.toString(), "--quiet"));
        assertTrue(err().contains("img.tif: FAILED: The image 'img.tif' (60x40) and the ground truth 'other.tif' (30x40) differ in size"), err());
        assertFalse(Files.exists(dir.resolve("l2.tif")), "no labels: the mismatch is found before the work");
    }

    /** A truth folder for a batch is matched before the work: none matching stops the run, a few missing are named. */
    @Test
    void aTruthFolderIsCheckedAgainstTheBatchFirst(@TempDir Path dir) throws Exception {
        Path inputs = Files.createDirectories(dir.resolve("in")), truths = Files.createDirectories(dir.resolve("truth"));
        int[] reg = Synthetic.regions(60, 40);
        short[] s = new short[reg.length];
        for (int i = 0; i < s.length; i++) s[i] = (short) reg[i];
        for (String n : new String[]{"a", "b", "c"}) save(Synthetic.gray8(60, 40, 3), inputs.resolve(n + ".tif"));
        save(new ImagePlus("gt", new ij.process.ShortProcessor(60, 40, s, null)), truths.resolve("a_mask.tif"));
        Path out = dir.resolve("out");
        assertEquals(0, run("segment", inputs.toString(), "--labels", out.toString(), "--truth", truths.toString(), "--quiet"), err());
        assertTrue(out().startsWith("note: 2 of 3 inputs have no ground truth in " + truths + " (b.tif, c.tif): they are segmented, not evaluated"), out());
        assertTrue(out().contains("evaluation: meanIoU ") && out().contains("evaluation: no ground truth for c.tif"), out());
        // named otherwise: nothing matches, so the run stops before any image is segmented
        Path other = Files.createDirectories(dir.resolve("other"));
        save(new ImagePlus("gt", new ij.process.ShortProcessor(60, 40, s, null)), other.resolve("gt_a.tif"));
        Path out2 = dir.resolve("out2");
        assertEquals(2, run("segment", inputs.toString(), "--labels", out2.toString(), "--truth", other.toString(), "--quiet"));
        assertTrue(err().contains("--truth " + other + ": no file there is named as an input"), err());
        assertFalse(Files.exists(out2.resolve("a_labels.tif")), "refused before the work");
    }

    @Test
    void severalTruthFilesAreTheAnnotatorsOfOneImage(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray8(60, 40, 3), dir.resolve("img.tif"));
        int[] reg = Synthetic.regions(60, 40);
        short[] s = new short[reg.length], half = new short[reg.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) reg[i];
            half[i] = (short) (i % 60 < 30 ? 1 : 2); // an annotator who saw two halves
        }
        Path t1 = save(new ImagePlus("gt", new ij.process.ShortProcessor(60, 40, s, null)), dir.resolve("gt_1.tif"));
        Path t2 = save(new ImagePlus("gt", new ij.process.ShortProcessor(60, 40, half, null)), dir.resolve("gt_2.tif"));
        Path l = dir.resolve("l.tif");
        assertEquals(0, run("segment", in.toString(), "--labels", l.toString(), "--truth", t1.toString(), "--truth", t2.toString(), "--quiet"), err());
        assertTrue(out().contains("(vs 2 ground truths)"), out());
        String both = out().replaceAll("(?s).*evaluation: (meanIoU [0-9.]+ matchedIoU [0-9.]+ PRI [0-9.]+).*", "$1");
        // the same figures as the evaluator given both files
        assertEquals(0, run("evaluate", l.toString(), t1.toString(), t2.toString()), err());
        assertTrue(out().contains(both), both + " vs " + out());
        assertEquals(0, run("segment", in.toString(), "--labels", l.toString(), "--overwrite", "--truth", t1.toString(), "--quiet"), err());
        assertFalse(out().contains(both), "one annotator gives other figures: " + out());
        // in a batch, --truth is one folder
        assertEquals(2, run("segment", dir.toString(), "--labels", dir.resolve("out").toString(), "--truth", t1.toString(), "--truth", t2.toString()));
        assertTrue(err().contains("--truth is given 2 times") && err().contains("one --truth folder"), err());
    }

    @Test
    void anOptionGivenTwiceWithDifferentValuesIsRefused(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.gray8(60, 40, 3), dir.resolve("img.tif"));
        assertEquals(2, run("segment", in.toString(), "--n-clusters", "3", "--labels", dir.resolve("l.tif").toString(), "--n-clusters=4"));
        assertTrue(err().contains("--n-clusters is given twice (3, then 4): give it once."), err());
        assertFalse(Files.exists(dir.resolve("l.tif")));
        // the same value twice is what was meant
        assertEquals(0, run("segment", in.toString(), "--n-clusters", "3", "--quiet", "--labels", dir.resolve("l.tif").toString(), "--n-clusters", "3"), err());
        assertEquals(2, run("evaluate", dir.resolve("l.tif").toString(), dir.resolve("l.tif").toString(), "--min-size", "5", "--min-size", "6"));
        assertTrue(err().contains("--min-size is given twice"), err());
    }

    @Test
    void evaluateTakesClusterLabelsAsObjectsByAForegroundRule(@TempDir Path dir) throws Exception {
        // clusters darkest first: 1 background, 2 dim and 3 bright objects; truth: three instances
        Path pred = dir.resolve("clusters.tif"), truth = dir.resolve("truth.tif");
        save(new ImagePlus("p", new ij.process.ShortProcessor(10, 1, new short[]{1, 2, 2, 1, 3, 3, 1, 1, 2, 1}, null)), pred);
        save(new ImagePlus("t", new ij.process.ShortProcessor(10, 1, new short[]{0, 1, 1, 0, 2, 2, 0, 0, 3, 0}, null)), truth);
        assertEquals(0, run("evaluate", pred.toString(), truth.toString(), "--pred-foreground", "not-darkest",
                "--ignore-truth-label", "0"), err());
        assertTrue(out().contains("f1@0.50 1.0000"), out());
        assertEquals(2, run("evaluate", pred.toString(), truth.toString(), "--pred-foreground", "brighter"));
        assertTrue(err().contains("brighter"), err());
        assertEquals(2, run("segment", "--objects", "--pred-foreground", "brightest", pred.toString(), "--truth", truth.toString(),
                "--labels", dir.resolve("l.tif").toString()));
        assertTrue(err().contains("--pred-foreground") && err().contains("--objects"), err());
        assertFalse(Files.exists(dir.resolve("l.tif")), "refused before any work");
    }

    @Test
    void aSavedModelIsSummarisedWithoutTheFitStatisticsItDoesNotKeep(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("a.tif");
        save(Synthetic.gray8(50, 40, 1), in);
        for (String method : new String[]{"kmeans", "gmm", "gmm-kmeans"}) {
            Path model = dir.resolve(method + ".json");
            assertEquals(0, run("segment", "--method", method, "--fit-on", in.toString(), "--save-model", model.toString()), err());
            assertEquals(0, run("segment", "--model", model.toString(), in.toString(), "--labels",
                    dir.resolve(method + ".tif").toString()), err());
            String applied = out().substring(out().indexOf("applied model"));
            assertFalse(applied.contains("NaN") || applied.contains("iterations") || applied.contains("maxIterations"), applied);
        }
    }

    @Test
    void fitOnSeveralImagesThenLabelOthersWithThatModel(@TempDir Path dir) throws Exception {
        Path train = Files.createDirectories(dir.resolve("train")), in = Files.createDirectories(dir.resolve("in"));
        save(Synthetic.gray8(50, 40, 1), train.resolve("t1.tif"));
        save(Synthetic.gray8(50, 40, 2), train.resolve("t2.tif"));
        save(Synthetic.gray8(50, 40, 3), in.resolve("a.tif"));
        Path model = dir.resolve("m.json");
        assertEquals(0, run("segment", "--fit-on", train.toString(), "--save-model", model.toString(),
                in.toString(), "--labels", dir.resolve("out").toString(), "--quiet"), err());
        assertTrue(out().contains("model fitted on"), out());
        assertTrue(out().contains("applied model"), out());
        assertTrue(Files.readString(model).contains("\"trainingPixels\": 4000"), "fitted on both images' pixels");
        ImagePlus lab = IJ.openImage(dir.resolve("out/a_labels.tif").toString());
        assertTrue(Synthetic.minBestIoU(Synthetic.plane(lab, 1), Synthetic.regions(50, 40), 3, 3) >= 0.95);
    }

    @Test
    void fitOnlySavesAModelAndCheckSegmentReportsBadOptionsWithoutInputs(@TempDir Path dir) throws Exception {
        Path train = Files.createDirectories(dir.resolve("train"));
        save(Synthetic.gray8(50, 40, 1), train.resolve("t1.tif"));
        Path model = dir.resolve("m.json");
        // no input image: fit and save only (what spark-segment's driver does)
        assertEquals(0, run("segment", "--n-clusters", "3", "--fit-on", train.toString(), "--save-model", model.toString(), "--quiet"), err());
        assertTrue(Files.isRegularFile(model));
        assertEquals(2, run("segment", "--n-clusters", "3", "--quiet"), "no input and no --fit-on is still an error");
        assertEquals(null, Main.checkSegment("--model", model.toString(), "--threads", "1"));
        assertEquals(null, Main.checkSegment("--method", "cnn", "--max-iterations", "20"));
        String bad = Main.checkSegment("--method", "kmeans", "--n-clusters", "0");
        assertTrue(bad != null && bad.contains("n-clusters"), bad);
        bad = Main.checkSegment("--model", dir.resolve("nope.json").toString());
        assertTrue(bad != null && bad.contains("no such file"), bad);
        assertEquals(2, Main.segmentOptionKind("smoothing"));
        assertEquals(1, Main.segmentOptionKind("objects"));
        assertEquals(0, Main.segmentOptionKind("frobnicate"));
        assertEquals(2, Main.evaluationOptionKind("ignore-pred-label"));
    }

    @Test
    void cnnFromTheCommandLineWithASavedModel(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.rgb(64, 48, 5), dir.resolve("rgb.tif"));
        Path model = dir.resolve("cnn.json");
        assertEquals(0, run("segment", "--method", "cnn", "--preset", "microscopy", "--channels", "32", "--continuity-weight", "10", "--max-iterations", "150",
                in.toString(), "--labels", dir.resolve("l.tif").toString(), "--save-model", model.toString(), "--quiet"), err());
        assertTrue(out().contains("CNN (32 channels, 2 conv3x3), 3 labels"), out());
        assertEquals(0, run("segment", "--model", model.toString(), in.toString(), "--labels", dir.resolve("again.tif").toString(), "--quiet"), err());
        int[] first = Synthetic.plane(IJ.openImage(dir.resolve("l.tif").toString()), 1);
        assertArrayEquals(first, Synthetic.plane(IJ.openImage(dir.resolve("again.tif").toString()), 1));
        // The options are the model's method's, not the default --method kmeans: a CNN model takes
        // labelling options (tile, threads) and refuses fitting ones, which it used to ignore.
        assertEquals(0, run("segment", "--model", model.toString(), "--tile-size", "64", "--threads", "1", in.toString(),
                "--labels", dir.resolve("tiled.tif").toString(), "--quiet"), err());
        assertArrayEquals(first, Synthetic.plane(IJ.openImage(dir.resolve("tiled.tif").toString()), 1));
        assertEquals(2, run("segment", "--model", model.toString(), "--smoothing", "3", in.toString(), "--labels", dir.resolve("s.tif").toString()));
        assertTrue(err().contains("--smoothing sets how a model is fitted") && err().contains("without --model"), err());
        assertEquals(2, run("segment", "--model", model.toString(), "--method", "kmeans", in.toString(), "--labels", dir.resolve("k.tif").toString()));
        assertTrue(err().contains("--method kmeans differs from the saved model's method, cnn"), err());
        assertTrue(!Files.exists(dir.resolve("s.tif")) && !Files.exists(dir.resolve("k.tif")));
        assertEquals(null, Main.checkSegment("--model", model.toString(), "--method", "cnn", "--tile-size", "128"));
        String bad = Main.checkSegment("--model", model.toString(), "--max-iterations", "5");
        assertTrue(bad != null && bad.contains("--max-iterations sets how a model is fitted"), bad);
        // what spark-segment's tasks get after fitting on the driver: the fitting options left out
        assertEquals(java.util.List.of("--threads", "1", "--objects", "--min-region-size", "10"),
                Main.labellingArgs("cnn", java.util.List.of("--channels", "32", "--threads", "1", "--smoothing=1", "--objects",
                        "--continuity-weight", "10", "--min-region-size", "10")));
    }

    @Test
    void cnnKMeansFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.rgb(64, 48, 5), dir.resolve("rgb.tif"));
        assertEquals(0, run("segment", "--method", "cnn-kmeans", "--clusters", "3", "--channels", "32", "--continuity-weight", "10",
                "--max-iterations", "150", in.toString(), "--labels", dir.resolve("l.tif").toString(), "--quiet"), err());
        int[] lab = Synthetic.plane(IJ.openImage(dir.resolve("l.tif").toString()), 1);
        assertEquals(3, java.util.Arrays.stream(lab).max().getAsInt());
        assertTrue(Synthetic.minBestIoU(lab, Synthetic.regions(64, 48), 3, 3) >= 0.9);
    }

    /** Scribbles from a ROI set: ROI groups are classes (rectangle hinted as background). */
    @Test
    void cnnWithScribblesFromARoiSetAndTrainingSlices(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.rgb(64, 48, 5), dir.resolve("rgb.tif"));
        Path zip = dir.resolve("hints.zip");
        ij.gui.Roi[] rois = {new ij.gui.Line(2, 2, 20, 2), new ij.gui.Line(42, 33, 54, 33), new ij.gui.Line(14, 16, 24, 16)};
        rois[0].setGroup(1);
        rois[1].setGroup(1);
        rois[2].setGroup(2);
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < rois.length; i++) {
                z.putNextEntry(new java.util.zip.ZipEntry("hint" + i + ".roi"));
                z.write(ij.io.RoiEncoder.saveAsByteArray(rois[i]));
                z.closeEntry();
            }
        }
        assertEquals(0, run("segment", "--method", "cnn", "--channels", "32", "--continuity-weight", "10", "--max-iterations", "150",
                "--scribbles", zip.toString(), in.toString(), "--labels", dir.resolve("l.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("2 labels") && out().contains("2 scribble classes"), out());
        int[] lab = Synthetic.plane(IJ.openImage(dir.resolve("l.tif").toString()), 1), truth = Synthetic.regions(64, 48);
        int[] merged = new int[truth.length];
        for (int i = 0; i < truth.length; i++) merged[i] = truth[i] == 2 ? 2 : 1;
        assertTrue(Synthetic.iou(lab, 2, merged, 2) >= 0.9, "the disk is class 2");
        assertTrue(Synthetic.iou(lab, 1, merged, 1) >= 0.9, "background and rectangle are class 1");

        // A stack trained on two chosen slices; a wrong slice number is a usage error.
        ij.ImageStack st = new ij.ImageStack(64, 48);
        for (int z = 0; z < 4; z++) st.addSlice(Synthetic.rgb(64, 48, 30 + z).getProcessor());
        Path stack = save(new ImagePlus("stack", st), dir.resolve("stack.tif"));
        assertEquals(0, run("segment", "--method", "cnn", "--channels", "32", "--continuity-weight", "10", "--max-iterations", "150",
                "--training-slices", "1,4", stack.toString(), "--labels", dir.resolve("s.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("trained on 2 planes"), out());
        assertEquals(4, IJ.openImage(dir.resolve("s.tif").toString()).getStackSize());
        // True 3D on a volume from the command line; --3d with per-slice is a usage error.
        int[] vtruth = new int[40 * 32 * 8];
        Path vol = save(Synthetic.volume(40, 32, 8, vtruth, 3), dir.resolve("vol.tif"));
        assertEquals(0, run("segment", "--method", "cnn", "--3d", "--channels", "32", "--continuity-weight", "10", "--max-iterations", "150",
                vol.toString(), "--labels", dir.resolve("v.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("x1, 3D"), out());
        ImagePlus vlab = IJ.openImage(dir.resolve("v.tif").toString());
        assertEquals(8, vlab.getStackSize());
        int[] vl = new int[vtruth.length];
        for (int z = 0; z < 8; z++) System.arraycopy(Synthetic.plane(vlab, z + 1), 0, vl, z * 40 * 32, 40 * 32);
        assertTrue(Synthetic.minBestIoU(vl, vtruth, 3, java.util.Arrays.stream(vl).max().getAsInt()) >= 0.9, out());
        assertEquals(0, run("segment", "--method", "cnn", "--3d", "--z-kernel", "3", "--channels", "8", "--max-iterations", "2",
                vol.toString(), "--labels", dir.resolve("v3.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("x3, 3D"), out());
        assertEquals(0, run("segment", "--method", "cnn-kmeans", "--3d", "--clusters", "3", "--channels", "8", "--max-iterations", "2",
                vol.toString(), "--labels", dir.resolve("v5.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("3x3x1, 3D") && out().contains("3-component Gaussian mixture"), out());
        // 3D with scribbles: a hint stack (slices 3 and 6) merges the rectangle into class 1.
        ij.ImageStack hs = new ij.ImageStack(40, 32);
        for (int z = 0; z < 8; z++) {
            ij.process.ByteProcessor bp = new ij.process.ByteProcessor(40, 32);
            if (z == 2 || z == 5) {
                for (int x = 2; x < 10; x++) bp.set(x, 2, 1);
                for (int x = 27; x < 34; x++) bp.set(x, (int) (32 * 0.7), 1);
                for (int x = 8; x < 16; x++) bp.set(x, (int) (32 * 0.35), 2);
            }
            hs.addSlice(bp);
        }
        Path hintStack = save(new ImagePlus("hints", hs), dir.resolve("hints3d.tif"));
        assertEquals(0, run("segment", "--method", "cnn", "--3d", "--scribbles", hintStack.toString(), "--seed", "2", "--channels", "32",
                "--continuity-weight", "10", "--max-iterations", "150", vol.toString(), "--labels", dir.resolve("v6.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("2 scribble classes"), out());
        ImagePlus hl = IJ.openImage(dir.resolve("v6.tif").toString());
        int[] hv = new int[vtruth.length], merged3 = new int[vtruth.length];
        for (int z = 0; z < 8; z++) System.arraycopy(Synthetic.plane(hl, z + 1), 0, hv, z * 40 * 32, 40 * 32);
        for (int i = 0; i < vtruth.length; i++) merged3[i] = vtruth[i] == 2 ? 2 : 1;
        assertTrue(Synthetic.iou(hv, 2, merged3, 2) >= 0.9, "disk is class 2: " + Synthetic.iou(hv, 2, merged3, 2));
        assertEquals(2, run("segment", "--method", "cnn", "--z-kernel", "3", vol.toString(), "--labels", dir.resolve("v4.tif").toString()));
        assertTrue(err().contains("--z-kernel works with --volumetric"), err());
        assertEquals(2, run("segment", "--method", "cnn", "--3d", "--per-slice", vol.toString(), "--labels", dir.resolve("w.tif").toString()));
        assertEquals(2, run("segment", "--method", "kmeans", "--training-slices", "1", stack.toString(), "--labels", dir.resolve("k.tif").toString()));
        assertTrue(err().contains("cnn"), err());
    }

    /** The time budget and region merging from the command line; the preset names the reference's settings. */
    @Test
    void cnnTimeBudgetRegionsAndPreset(@TempDir Path dir) throws Exception {
        Path in = save(Synthetic.rgb(64, 48, 5), dir.resolve("rgb.tif"));
        assertEquals(0, run("segment", "--method", "cnn", "--preset", "microscopy", "--max-seconds", "1", "--max-iterations", "100000", "--min-labels", "1",
                "--patience", "0", "--n-regions", "3", in.toString(), "--labels", dir.resolve("l.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("(time budget)"), out());
        int[] lab = Synthetic.plane(IJ.openImage(dir.resolve("l.tif").toString()), 1);
        assertEquals(3, java.util.Arrays.stream(lab).max().getAsInt());
        assertEquals(3, io.github.unseg.label.Regions.count(lab, 64, 48, 1), out());
        assertEquals(0, run("segment", "--method", "cnn", "--preset", "tip2020", "--max-iterations", "2", in.toString(),
                "--labels", dir.resolve("p.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("CNN (preset tip2020, 100 channels, 2 conv3x3)") && out().contains("after 2 iterations"), out());
        assertEquals(0, run("segment", "--method", "cnn", "--preset", "photo", "--max-iterations", "2", in.toString(),
                "--labels", dir.resolve("photo.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("CNN (preset photo, 32 channels, 3 conv3x3)") && out().contains("boundary contrast below 0.03 + 0.75 x the smoother region's own")
                && out().contains("split along image edges (scale 1000), then merged below 300 px"), out());
        // no preset: auto, photo for a colour photo (a 64 x 48 one keeps the sizes chosen on 481 x 321), microscopy with
        // object labels or for a grey image
        assertEquals(0, run("segment", "--method", "cnn", "--max-iterations", "2", in.toString(),
                "--labels", dir.resolve("auto.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("CNN (preset photo (auto: a colour photo), 32 channels, 3 conv3x3)")
                && out().contains("split along image edges (scale 1000), then merged below 300 px"), out());
        assertEquals(0, run("segment", "--method", "cnn", "--max-iterations", "2", "--objects", in.toString(),
                "--labels", dir.resolve("auto-objects.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("CNN (preset microscopy (auto: object labels), 32 channels, 2 conv3x3)") && !out().contains("split along"), out());
        Path grey = save(Synthetic.gray8(64, 48, 5), dir.resolve("grey.tif"));
        assertEquals(0, run("segment", "--method", "cnn", "--max-iterations", "2", grey.toString(),
                "--labels", dir.resolve("auto-grey.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("CNN (preset microscopy (auto: not a colour photo), 32 channels, 2 conv3x3)"), out());
        // a batch decides per image: the photo first does not make the grey image that follows a photo
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(in, mixed.resolve("a-photo.tif"));
        Files.copy(grey, mixed.resolve("b-grey.tif"));
        assertEquals(0, run("segment", "--method", "cnn", "--max-iterations", "2", mixed.toString(),
                "--labels", dir.resolve("mixed-labels").toString(), "--quiet"), err());
        String o = out();
        int photoAt = o.indexOf("preset photo (auto: a colour photo)"), greyAt = o.indexOf("preset microscopy (auto: not a colour photo)");
        assertTrue(o.indexOf("a-photo.tif") < photoAt && photoAt < o.indexOf("b-grey.tif") && o.indexOf("b-grey.tif") < greyAt, o);
        // the relative merge test, also when labelling with a saved model (a labelling option); refused below 0
        Path tex = dir.resolve("tex.json");
        assertEquals(0, run("segment", "--method", "cnn", "--preset", "microscopy", "--merge-texture", "1.5", "--max-iterations", "2", in.toString(),
                "--labels", dir.resolve("tex.tif").toString(), "--save-model", tex.toString(), "--quiet"), err());
        assertTrue(out().contains("boundary contrast below 0.02 + 1.5 x the smoother region's own"), out());
        assertEquals(0, run("segment", "--model", tex.toString(), "--merge-texture", "0", in.toString(),
                "--labels", dir.resolve("tex0.tif").toString(), "--quiet"), err());
        assertTrue(out().contains("boundary contrast below 0.02") && !out().contains("smoother region's own"), out());
        assertEquals(2, run("segment", "--method", "cnn", "--merge-texture", "-1", in.toString(), "--labels", dir.resolve("bad.tif").toString()));
        assertTrue(err().contains("--merge-texture") && !err().contains("Exception"), err());
        // the split along image edges: in the summary and the saved model, a labelling option; refused below 0
        Path split = dir.resolve("split.json");
        assertEquals(0, run("segment", "--method", "cnn", "--split-scale", "300", "--max-iterations", "2", in.toString(),
                "--labels", dir.resolve("split.tif").toString(), "--save-model", split.toString(), "--quiet"), err());
        assertTrue(out().contains("split along image edges (scale 300)"), out());
        assertTrue(Files.readString(split).contains("\"splitScale\": 300"), Files.readString(split));
        assertEquals(0, run("segment", "--model", split.toString(), "--split-scale", "0", in.toString(),
                "--labels", dir.resolve("split0.tif").toString(), "--quiet"), err());
        assertFalse(out().contains("split along"), out());
        assertEquals(2, run("segment", "--method", "cnn", "--split-scale", "-1", in.toString(), "--labels", dir.resolve("bad.tif").toString()));
        assertTrue(err().contains("--split-scale") && !err().contains("Exception"), err());
        // alone (CNN + K-means has no boundary merging by default) it would do nothing: refused before training
        // (a usage error, exit 2: refused before any input is read, not file by file)
        assertEquals(2, run("segment", "--method", "cnn-kmeans", "--n-clusters", "2", "--merge-texture", "1", in.toString(),
                "--labels", dir.resolve("ckmtex.tif").toString()));
        // named as the user typed them, not by the algorithm's field names
        assertTrue(err().contains("--merge-texture 1.0 relaxes the --merge-threshold test") && !err().contains("mergeThreshold")
                && !(out() + err()).contains("Exception"), out() + err());
        assertFalse(Files.exists(dir.resolve("ckmtex.tif")));
        // the same with a saved model: turning its boundary test off leaves the texture term with nothing to relax
        assertNotEquals(0, run("segment", "--model", tex.toString(), "--merge-threshold", "0", in.toString(),
                "--labels", dir.resolve("tex-off.tif").toString(), "--quiet"));
        assertTrue(err().contains("--merge-texture 1.5 relaxes the --merge-threshold test") && !err().contains("Exception"), err());
        assertFalse(Files.exists(dir.resolve("tex-off.tif")));
        // CNN + K-means refuses it before any training, naming the preset
        assertEquals(2, run("segment", "--method", "cnn-kmeans", "--preset", "photo", in.toString(),
                "--labels", dir.resolve("ckm.tif").toString(), "--quiet"));
        assertTrue(err().contains("preset photo") && !err().contains("Exception"), err());
        assertFalse(Files.exists(dir.resolve("ckm.tif")));
        // object labels need classes; the photo settings' regions are numbered, not classed:
        // refused before training, with a way out; a saved photo model likewise
        assertEquals(2, run("segment", "--method", "cnn", "--preset", "photo", "--objects", in.toString(),
                "--labels", dir.resolve("photo-objects.tif").toString(), "--quiet"));
        assertTrue(err().contains("--objects makes objects of classes") && err().contains("--split-scale 1000 (--preset photo sets it)")
                && err().contains("set --split-scale 0, or leave --preset photo out") && !err().contains("Exception"), err());
        assertEquals(2, run("segment", "--method", "cnn", "--split-scale", "500", "--objects", in.toString(),
                "--labels", dir.resolve("photo-objects.tif").toString(), "--quiet"));
        assertTrue(err().contains("with --split-scale 500 the CNN numbers regions") && !err().contains("leave --preset"), err());
        assertFalse(Files.exists(dir.resolve("photo-objects.tif")));
        Path photoModel = dir.resolve("photo.json");
        assertEquals(0, run("segment", "--method", "cnn", "--preset", "photo", "--max-iterations", "2", "--fit-on", in.toString(),
                "--save-model", photoModel.toString(), "--quiet"), err());
        assertNotEquals(0, run("segment", "--model", photoModel.toString(), "--objects", in.toString(),
                "--labels", dir.resolve("photo-model-objects.tif").toString(), "--quiet"));
        assertTrue(err().contains("--split-scale 1000 (the model's)") && !err().contains("Exception"), err());
        assertEquals(0, run("segment", "--model", photoModel.toString(), "--objects", "--split-scale", "0", in.toString(),
                "--labels", dir.resolve("photo-model-objects.tif").toString(), "--quiet"), err());
    }
}

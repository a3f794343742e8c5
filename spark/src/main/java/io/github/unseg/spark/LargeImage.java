package io.github.unseg.spark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.unseg.core.SafeOutput;
import io.github.unseg.label.Instances;
import io.github.unseg.methods.Methods;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.SegmentationModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One image larger than a worker's memory: blocks with a halo labelled on the workers (each the
 * single machine's labels of its pixels), written as a folder of block TIFFs with an index, and,
 * with --objects, object ids joined across block borders (union-find over the blocks' edge
 * components, as n5-spark's connected components do) and numbered in raster order, as one
 * machine numbers them.
 */
final class LargeImage {
    private LargeImage() { }

    static int run(Options o, PrintStream out, PrintStream err, TaskHook hook) {
        for (String k : List.of("per-slice", "fill-holes", "dim-objects", "seed-distance", "auto-seed-distance", "refine-edges", "exclude-edges", "max-object-size", "min-outline-contrast", "roi-mode", "fit-once")) {
            if (o.has(k)) {
                throw new Options.Bad("--" + k + " does not apply with --block-size: objects of a large image are the 4-connected"
                        + " foreground components, joined across blocks (no hole filling, dim-object search, edge refinement, watershed,"
                        + " edge exclusion, maximum size or outline contrast across blocks).");
            }
        }
        if (o.has("foreground-at")) {
            throw new Options.Bad("--foreground-at does not apply with --block-size (the blocks are labelled apart, with no image to point at):"
                    + " name the objects' clusters with --foreground-clusters (1 = the darkest, as in the cluster labels).");
        }
        if (o.has("use-channels")) throw new Options.Bad("--use-channels does not apply with --block-size: save the channels to segment on as their own TIFF.");
        if (o.has("mask")) throw new Options.Bad("--mask does not apply with --block-size: set the pixels to leave out to NaN in the TIFF (32-bit).");
        if (o.has("mask-padding")) {
            throw new Options.Bad("--mask-padding does not apply with --block-size: a block's edges are not the image's (its blocks keep"
                    + " what the model labels); set padding to NaN in the TIFF (32-bit) to leave it out.");
        }
        if (o.has("clip-outliers")) {
            throw new Options.Bad("--clip-outliers does not apply with --block-size: a block's percentiles are not the image's (its"
                    + " blocks keep their values); clip hot pixels in the TIFF first (e.g. Process > Noise > Remove Outliers).");
        }
        if (o.measurements) throw new Options.Bad("--measurements does not apply with --block-size; measure the --stitch image's objects.");
        if (o.rois) throw new Options.Bad("--rois does not apply with --block-size (a large image's ROIs would not fit the ROI Manager); open the blocks or the --stitch image.");
        if (o.truth != null) throw new Options.Bad("--truth does not apply with --block-size; evaluate the --stitch image with unseg evaluate.");
        if (o.inputs.size() != 1 || new File(o.inputs.get(0)).isDirectory()) {
            throw new Options.Bad("--block-size labels one large image: give one TIFF file as --input.");
        }
        if (o.model == null && o.fitOn == null) {
            throw new Options.Bad("--block-size needs one model for all blocks: --model m.json, or --method M --fit-on FILES.");
        }
        SparkSegment.checkCommon(o);   // with the object options still in: a cluster number the model lacks is named now
        boolean objects = take(o.segmentArgs, "objects", false) != null;
        String fgRule = take(o.segmentArgs, "foreground", true), minSizeText = take(o.segmentArgs, "min-object-size", true);
        String clustersText = take(o.segmentArgs, "foreground-clusters", true);
        int[] clusters = clustersText == null ? new int[0] : Instances.parseClusters(clustersText);   // checked by checkCommon
        Instances.Foreground fg = Instances.Foreground.AUTO;
        int minSize = new Instances().minObjectSize;
        try {
            if (fgRule != null) fg = Instances.Foreground.parse(fgRule);
            if (minSizeText != null) minSize = Integer.parseInt(minSizeText.trim());
        } catch (RuntimeException e) {
            throw new Options.Bad(fgRule != null && minSizeText == null ? "--foreground " + fgRule + ": " + e.getMessage()
                    : "--min-object-size must be a whole number, got '" + minSizeText + "'.");
        }
        if (minSize < 1) throw new Options.Bad("--min-object-size must be >= 1, got " + minSize + ".");
        File image = new File(o.inputs.get(0)).getAbsoluteFile();
        TiffWindow tiff;
        try {
            tiff = new TiffWindow(image);
        } catch (IOException e) {
            throw new Options.Bad("--input " + o.inputs.get(0) + ": " + e.getMessage() + ".");
        }
        if (objects && clusters.length == 0 && fg == Instances.Foreground.AUTO) {   // named clusters: no rule to resolve
            try {
                fg = fg.resolve(brightBackground(tiff));
            } catch (IOException e) {
                throw new Options.Bad("--input " + o.inputs.get(0) + ": " + e.getMessage() + ".");
            }
        }
        File outDir = new File(o.output).getAbsoluteFile();
        String json = SparkSegment.modelJson(o, out, err);
        if ("".equals(json)) return 1;
        SegmentationModel model = Methods.fromJson(JsonParser.parseString(json).getAsJsonObject(), "--model");
        SegmentationModel pixelwise = model.pixelwise();
        if (pixelwise != model) {
            // region merging spans the whole image: blocks label with the network's own labels
            json = ModelIO.toJsonString(pixelwise);
            File pm = new File(outDir, "model-blocks.json");
            try (SafeOutput so = new SafeOutput(true)) {
                so.writeString(pm, json);
            } catch (IOException e) {
                throw new Options.Bad("could not write " + pm + ": " + e.getMessage() + ".");
            }
            out.println("spark-segment: the model's region merging spans the whole image; blocks use its labels without"
                    + " merging (" + pm + "; unseg segment --model with that file gives the same labels on one machine)");
        }
        int halo = pixelwise.blockHalo();
        if (halo < 0) {
            throw new Options.Bad("this " + model.method() + " model cannot label an image in blocks: it uses coordinates as"
                    + " features (--coordinate-weight), is a 3D network (--volumetric), or clusters the whole image's regions"
                    + " (cnn-kmeans --cluster-on regions). Fit one without coordinates, a 2D network, or --cluster-on responses.");
        }
        BlockGrid grid = new BlockGrid(tiff.width, tiff.height, o.blockSize, halo);
        int n = grid.count(), parts = Math.min(n, o.partitions > 0 ? o.partitions : n);
        long t0 = System.nanoTime();
        List<Integer> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) blocks.add(i);
        List<BlockResult> results;
        int nObjects = 0;
        List<String> objectFailures = new ArrayList<>();
        try (JavaSparkContext jsc = SparkSegment.context(o)) {
            JobProgress progress = new JobProgress(err, "blocks", n, parts);
            if (!o.quiet) jsc.sc().addSparkListener(progress);
            BlockTask task = new BlockTask(image.getPath(), jsc.broadcast(json), SparkSegment.taskArgs(o, json), outDir.getPath(), grid, o.overwrite,
                    objects ? fg : null, clusters, pixelwise.nLabels(), hook);
            results = jsc.parallelize(blocks, parts).map(task).collect();
            if (!o.quiet) progress.print(progress.done(), true);
            boolean anyFailed = results.stream().anyMatch(r -> r.failed);
            if (objects && !anyFailed) {
                int[][] maps = new int[n][];
                nObjects = join(grid, results, minSize, maps);
                Broadcast<int[][]> b = jsc.broadcast(maps);
                List<String> msgs = jsc.parallelize(blocks, parts)
                        .map(new ObjectsTask(outDir.getPath(), grid, fg, clusters, pixelwise.nLabels(), nObjects, o.overwrite, b)).collect();
                for (int i = 0; i < n; i++) if (msgs.get(i) != null) objectFailures.add(grid.name(i) + ": " + msgs.get(i));
            }
        }
        int failed = 0, skipped = 0;
        for (BlockResult r : results) {
            if (r.failed) { failed++; err.println("block " + grid.name(r.index) + ": FAILED: " + r.message); }
            if (r.skipped) skipped++;
        }
        for (String m : objectFailures) err.println("objects of block " + m);
        try (SafeOutput so = new SafeOutput(true)) {
            so.writeString(new File(outDir, "index.json"), index(image, grid, results, objects, nObjects, failed == 0 && objectFailures.isEmpty()));
        } catch (IOException e) {
            err.println("unseg spark-segment: could not write " + new File(outDir, "index.json") + ": " + e.getMessage());
            return 1;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%s: %d x %d in %d blocks of %d (halo %d): %d labelled, %d skipped, %d failed%s in %.1f s -> %s%n",
                image.getName(), grid.width, grid.height, n, grid.size, halo, n - skipped - failed, skipped, failed,
                objects && failed == 0 ? String.format(Locale.ROOT, ", %d objects (foreground %s, min size %d)", nObjects, Instances.describeForeground(fg, clusters), minSize) : "",
                secs, new File(outDir, "index.json"));
        if (failed > 0 || !objectFailures.isEmpty()) return 1;
        if (o.stitch) {
            try {
                stitch(grid, outDir, "labels", new File(outDir, "labels.tif"), false, o.overwrite, out);
                if (objects) stitch(grid, outDir, "objects", new File(outDir, "objects.tif"), nObjects > 65535, o.overwrite, out);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                err.println("spark-segment: " + e.getFile() + " exists (--overwrite replaces it)");
                return 1;
            } catch (IOException e) {
                err.println("spark-segment: could not stitch: " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    /** Removes --key (and its value) from args; returns the value ("" for a flag), or null if absent. */
    static String take(List<String> args, String key, boolean valued) {
        int i = args.indexOf("--" + key);
        if (i < 0) return null;
        args.remove(i);
        return valued ? args.remove(i) : "";
    }

    /**
     * Joins the blocks' components across borders (4-connected, as within a block) and numbers
     * the objects of at least minSize pixels by their first pixel in raster order, as
     * connected-component labelling of the whole image does; maps[i][local] = global id (0 = dropped).
     */
    static int join(BlockGrid g, List<BlockResult> rs, int minSize, int[][] maps) {
        int n = g.count();
        int[] base = new int[n + 1];
        for (int i = 0; i < n; i++) base[i + 1] = base[i] + rs.get(i).nLocal + 1;
        int[] parent = new int[base[n]];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int i = 0; i < n; i++) {
            BlockResult a = rs.get(i);
            int r = g.row(i), c = g.column(i);
            if (c + 1 < g.columns) {
                BlockResult b = rs.get(i + 1);
                for (int y = 0; y < a.right.length; y++) {
                    if (a.right[y] > 0 && b.left[y] > 0) union(parent, base[i] + a.right[y], base[i + 1] + b.left[y]);
                }
            }
            if (r + 1 < g.rows) {
                BlockResult b = rs.get(i + g.columns);
                for (int x = 0; x < a.bottom.length; x++) {
                    if (a.bottom[x] > 0 && b.top[x] > 0) union(parent, base[i] + a.bottom[x], base[i + g.columns] + b.top[x]);
                }
            }
        }
        long[] size = new long[parent.length], first = new long[parent.length];
        Arrays.fill(first, Long.MAX_VALUE);
        for (int i = 0; i < n; i++) {
            BlockResult a = rs.get(i);
            for (int l = 1; l <= a.nLocal; l++) {
                int root = find(parent, base[i] + l);
                size[root] += a.size[l];
                first[root] = Math.min(first[root], a.first[l]);
            }
        }
        List<long[]> kept = new ArrayList<>();   // {first pixel, root}
        for (int q = 0; q < parent.length; q++) {
            if (parent[q] == q && size[q] >= minSize) kept.add(new long[]{first[q], q});
        }
        kept.sort((x, y) -> Long.compare(x[0], y[0]));
        int[] global = new int[parent.length];
        for (int k = 0; k < kept.size(); k++) global[(int) kept.get(k)[1]] = k + 1;
        for (int i = 0; i < n; i++) {
            BlockResult a = rs.get(i);
            maps[i] = new int[a.nLocal + 1];
            for (int l = 1; l <= a.nLocal; l++) maps[i][l] = global[find(parent, base[i] + l)];
        }
        return kept.size();
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) { p[i] = p[p[i]]; i = p[i]; }
        return i;
    }

    private static void union(int[] p, int a, int b) {
        int ra = find(p, a), rb = find(p, b);
        if (ra != rb) p[Math.max(ra, rb)] = Math.min(ra, rb);
    }

    static String index(File image, BlockGrid g, List<BlockResult> rs, boolean objects, int nObjects, boolean complete) {
        JsonObject o = new JsonObject();
        o.addProperty("format", "unseg-blocks");
        o.addProperty("version", 1);
        o.addProperty("image", image.getPath());
        o.addProperty("width", g.width);
        o.addProperty("height", g.height);
        o.addProperty("blockSize", g.size);
        o.addProperty("halo", g.halo);
        o.addProperty("columns", g.columns);
        o.addProperty("rows", g.rows);
        o.addProperty("complete", complete);
        if (objects) o.addProperty("objects", nObjects);
        JsonArray bs = new JsonArray();
        for (int i = 0; i < g.count(); i++) {
            int[] c = g.core(i);
            JsonObject b = new JsonObject();
            b.addProperty("row", g.row(i));
            b.addProperty("column", g.column(i));
            b.addProperty("x", c[0]);
            b.addProperty("y", c[1]);
            b.addProperty("width", c[2]);
            b.addProperty("height", c[3]);
            b.addProperty("labels", "blocks/" + g.labels(new File(""), i).getName());
            if (objects) b.addProperty("objects", "blocks/" + g.objects(new File(""), i).getName());
            b.addProperty("status", rs.get(i).failed ? "failed" : rs.get(i).skipped ? "skipped" : "done");
            if (rs.get(i).failed) b.addProperty("message", rs.get(i).message);
            bs.add(b);
        }
        o.add("blocks", bs);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    /** The blocks of one kind as one TIFF, one row of blocks in memory at a time. */
    static void stitch(BlockGrid g, File outDir, String kind, File target, boolean floats, boolean overwrite, PrintStream out) throws IOException {
        try (SafeOutput so = new SafeOutput(overwrite)) {
            so.claim(target);
            so.writeStream(target, os -> {
                StripTiff t = new StripTiff(os, g.width, g.height, floats);
                int[] line = new int[g.width];
                for (int r = 0; r < g.rows; r++) {
                    int[][] blocks = new int[g.columns][];
                    int bh = g.core(r * g.columns)[3];
                    for (int c = 0; c < g.columns; c++) {
                        int i = r * g.columns + c;
                        int[] core = g.core(i);
                        File f = kind.equals("labels") ? g.labels(outDir, i) : g.objects(outDir, i);
                        blocks[c] = BlockTask.read(f, core[2], core[3]);
                        if (blocks[c] == null) throw new IOException(f + " is missing or not " + core[2] + " x " + core[3]);
                    }
                    for (int y = 0; y < bh; y++) {
                        for (int c = 0; c < g.columns; c++) {
                            int[] core = g.core(r * g.columns + c);
                            System.arraycopy(blocks[c], y * core[2], line, core[0], core[2]);
                        }
                        t.row(line, 0);
                    }
                }
                t.close();
            });
        }
        out.println("  " + kind + " stitched -> " + target);
    }

    /** Foreground auto on a large image: the plugin's colour test (as on a whole image) on its central block, at most 1024 x 1024. */
    static boolean brightBackground(TiffWindow tiff) throws IOException {
        if (tiff.fileType != ij.io.FileInfo.RGB) return false;
        int w = Math.min(1024, tiff.width), h = Math.min(1024, tiff.height);
        return io.github.unseg.core.ImageKind.colourPhoto(io.github.unseg.ij.ImagePlusViews.wrap(tiff.read((tiff.width - w) / 2, (tiff.height - h) / 2, w, h)));
    }
}

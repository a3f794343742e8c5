package io.github.unseg.spark;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.unseg.core.SafeOutput;
import io.github.unseg.label.ConnectedComponents;
import io.github.unseg.label.Instances;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One block of a large image on a worker: its window (pixels and halo) read from the file, labelled
 * by the single machine's {@code segment --model} (so the halo gives each pixel the context it has
 * in the whole image), the halo cut off, the block's label image written; with objects, the
 * block's foreground components and its edges for the driver's join.
 */
final class BlockTask implements Function<Integer, BlockResult> {
    private static final long serialVersionUID = 1L;

    final String image, outputDir;
    /** The model's JSON, broadcast (once per executor). */
    final org.apache.spark.broadcast.Broadcast<String> model;
    final List<String> segmentArgs;
    final BlockGrid grid;
    final boolean overwrite;
    /** Objects: the foreground rule (or cluster numbers, when any) and the model's label count; null rule: no objects. */
    final Instances.Foreground foreground;
    final int[] clusters;
    final int nLabels;
    final TaskHook hook;

    BlockTask(String image, org.apache.spark.broadcast.Broadcast<String> model, List<String> segmentArgs, String outputDir, BlockGrid grid, boolean overwrite,
              Instances.Foreground foreground, int[] clusters, int nLabels, TaskHook hook) {
        this.image = image;
        this.model = model;
        this.segmentArgs = new ArrayList<>(segmentArgs);
        this.outputDir = outputDir;
        this.grid = grid;
        this.overwrite = overwrite;
        this.foreground = foreground;
        this.clusters = clusters.clone();
        this.nLabels = nLabels;
        this.hook = hook;
    }

    @Override
    public BlockResult call(Integer index) {
        int i = index;
        long t0 = System.nanoTime();
        TaskContext tc = TaskContext.get();
        if (hook != null) hook.before("block " + grid.name(i), tc == null ? 0 : tc.attemptNumber());
        int[] c = grid.core(i);
        File out = grid.labels(new File(outputDir), i);
        int[] labels = null;
        boolean skipped = false;
        try {
            if (!overwrite && out.isFile()) {
                labels = read(out, c[2], c[3]);           // a finished block (null: not this grid's; redo)
                skipped = labels != null;
            }
            if (labels == null) {
                labels = label(i);
                write(out, labels, c[2], c[3], overwrite || out.isFile(), false);
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return new BlockResult(i, true, false, e.getMessage() == null ? e.toString() : e.getMessage(), seconds(t0));
        }
        BlockResult r = new BlockResult(i, false, skipped, skipped ? "output exists" : "", seconds(t0));
        if (foreground != null) components(labels, c, r);
        return r;
    }

    /** The block's labels: segment on its window, the halo cut off. */
    private int[] label(int i) throws IOException {
        int[] c = grid.core(i), w = grid.window(i);
        ImagePlus win = new TiffWindow(new File(image)).read(w[0], w[1], w[2], w[3]);
        Path dir = Files.createTempDirectory("unseg-block-");
        File in = dir.resolve("block.tif").toFile(), lab = dir.resolve("block_labels.tif").toFile();
        try {
            if (!new FileSaver(win).saveAsTiff(in.getPath())) throw new IOException("could not write a temporary file in " + dir);
            // a block's window is not the image: constant rows at its edges (a slide's blank glass) are no padding,
            // and its percentiles are not the image's (a block of background would take a small cell for an outlier)
            List<String> a = new ArrayList<>(List.of("segment", "--quiet", "--model", ModelFiles.NAME, "--mask-padding=false",
                    "--clip-outliers=false"));
            a.addAll(segmentArgs);
            a.addAll(List.of(in.getPath(), "--labels", lab.getPath()));
            String[] r = FileTask.segment(ModelFiles.model(model.value()), a);
            if (!r[0].equals("0")) throw new IOException(FileTask.failure(r[2]));
            int[] whole = read(lab, w[2], w[3]);
            if (whole == null) throw new IOException("segment wrote no labels of the block's size");
            int[] core = new int[c[2] * c[3]];
            int dx = c[0] - w[0], dy = c[1] - w[1];
            for (int y = 0; y < c[3]; y++) System.arraycopy(whole, (y + dy) * w[2] + dx, core, y * c[2], c[2]);
            return core;
        } finally {
            Files.deleteIfExists(in.toPath());
            Files.deleteIfExists(lab.toPath());
            Files.deleteIfExists(dir);
        }
    }

    /** A label image's values, or null if it is not w x h. */
    static int[] read(File f, int w, int h) {
        ImagePlus imp = IJ.openImage(f.getPath());
        if (imp == null || imp.getWidth() != w || imp.getHeight() != h || imp.getStackSize() != 1) return null;
        ImageProcessor ip = imp.getProcessor();
        int[] v = new int[w * h];
        for (int p = 0; p < v.length; p++) v[p] = (int) ip.getf(p);
        return v;
    }

    /** A block's labels or object ids (16-bit, or 32-bit float above 65535) through a temporary file. */
    static void write(File f, int[] v, int w, int h, boolean replace, boolean floats) throws IOException {
        ImageProcessor ip;
        if (floats) {
            float[] p = new float[v.length];
            for (int q = 0; q < p.length; q++) p[q] = v[q];
            ip = new ij.process.FloatProcessor(w, h, p);
        } else {
            short[] p = new short[v.length];
            for (int q = 0; q < p.length; q++) p[q] = (short) v[q];
            ip = new ShortProcessor(w, h, p, null);
        }
        ip.resetMinAndMax();
        ImagePlus imp = new ImagePlus(f.getName(), ip);
        try (SafeOutput so = new SafeOutput(replace)) {
            so.write(f, tmp -> {
                if (!new FileSaver(imp).saveAsTiff(tmp.toString())) throw new IOException("could not write " + tmp);
            });
        }
    }

    /** The block's foreground components (4-connected, as the objects are), their sizes, first pixels and edges. */
    void components(int[] labels, int[] c, BlockResult r) {
        int w = c[2], h = c[3];
        ConnectedComponents.Objects o = localObjects(labels, w, h, foreground, clusters, nLabels);
        r.nLocal = o.count;
        r.size = new long[o.count + 1];
        r.first = new long[o.count + 1];
        java.util.Arrays.fill(r.first, Long.MAX_VALUE);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int id = o.ids[y * w + x];
                if (id == 0) continue;
                r.size[id]++;
                if (r.first[id] == Long.MAX_VALUE) r.first[id] = (long) (c[1] + y) * grid.width + c[0] + x;
            }
        }
        r.top = new int[w];
        r.bottom = new int[w];
        r.left = new int[h];
        r.right = new int[h];
        for (int x = 0; x < w; x++) { r.top[x] = o.ids[x]; r.bottom[x] = o.ids[(h - 1) * w + x]; }
        for (int y = 0; y < h; y++) { r.left[y] = o.ids[y * w]; r.right[y] = o.ids[y * w + w - 1]; }
    }

    static ConnectedComponents.Objects localObjects(int[] labels, int w, int h, Instances.Foreground fg, int[] clusters, int k) {
        int[] bin = new int[labels.length];
        for (int p = 0; p < bin.length; p++) bin[p] = Instances.isForeground(fg, clusters, labels[p], k) ? 1 : 0;
        return ConnectedComponents.label(bin, w, h, false);
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }
}

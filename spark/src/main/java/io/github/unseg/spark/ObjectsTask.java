package io.github.unseg.spark;

import io.github.unseg.label.ConnectedComponents;
import io.github.unseg.label.Instances;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

import java.io.File;

/** The second pass over blocks: each block's local objects renumbered to the global ids the driver joined. */
final class ObjectsTask implements Function<Integer, String> {
    private static final long serialVersionUID = 1L;

    final String outputDir;
    final BlockGrid grid;
    final Instances.Foreground foreground;
    final int[] clusters;
    final int nLabels, nObjects;
    final boolean overwrite;
    final Broadcast<int[][]> maps;

    ObjectsTask(String outputDir, BlockGrid grid, Instances.Foreground foreground, int[] clusters, int nLabels, int nObjects, boolean overwrite,
                Broadcast<int[][]> maps) {
        this.outputDir = outputDir;
        this.grid = grid;
        this.foreground = foreground;
        this.clusters = clusters.clone();
        this.nLabels = nLabels;
        this.nObjects = nObjects;
        this.overwrite = overwrite;
        this.maps = maps;
    }

    /** null when written, else the message. */
    @Override
    public String call(Integer index) {
        int i = index;
        int[] c = grid.core(i);
        File out = new File(outputDir), f = grid.objects(out, i);
        try {
            if (!overwrite && f.isFile() && BlockTask.read(f, c[2], c[3]) != null) return null;  // same ids on a re-run
            int[] labels = BlockTask.read(grid.labels(out, i), c[2], c[3]);
            if (labels == null) return "its labels block is missing";
            ConnectedComponents.Objects o = BlockTask.localObjects(labels, c[2], c[3], foreground, clusters, nLabels);
            int[] map = maps.value()[i];
            int[] ids = new int[o.ids.length];
            for (int p = 0; p < ids.length; p++) ids[p] = map[o.ids[p]];
            BlockTask.write(f, ids, c[2], c[3], true, nObjects > 65535);
            return null;
        } catch (Exception | OutOfMemoryError e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }
}

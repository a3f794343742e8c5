package io.github.unseg.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.unseg.core.CancelledException;
import io.github.unseg.core.Progress;
import io.github.unseg.core.SegmentationException;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A dialog's preview: the labels of the image's current plane, computed off the dialog's thread
 * as the options change and drawn over the image as an overlay. A newer request cancels the one
 * running; nothing is written; the image's pixels are never touched and its own overlay is put
 * back by {@link #clear()} (on OK, Cancel, or the preview unticked).
 */
public final class Preview {
    /** The name of the overlay's image ROI. */
    public static final String NAME = "UnSeg preview";
    private static final double OPACITY = 0.33;   // as Trainable Weka's overlay: the image stays readable
    private static final String STACK = " @stack";   // a training key's end: fitted as the run fits a stack

    private final ImagePlus image;
    private final Overlay original;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "UnSeg preview");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong generation = new AtomicLong();
    private volatile Future<?> pending;
    private volatile boolean shown;
    /** A model the preview fitted (a CNN's training, or a stack's fit) and the key of what it was fitted on. */
    private static final class Fit {
        final io.github.unseg.segment.SegmentationModel model;
        final String key;
        Fit(io.github.unseg.segment.SegmentationModel model, String key) { this.model = model; this.key = key; }
        boolean is(String k) { return k != null && k.equals(key); }
        io.github.unseg.cnn.CnnModel cnn() { return model instanceof io.github.unseg.cnn.CnnModel ? (io.github.unseg.cnn.CnnModel) model : null; }
    }
    private static final Fit NONE = new Fit(null, null);
    // the last fit, model and key together (written by the worker thread, read by a run's reuse)
    private volatile Fit fit = NONE;
    private volatile int trainings;
    // the plane asked for last ("z,t"; null: no preview on): scrolling to another redraws it
    private volatile String plane;
    private ij.ImageListener follower;

    public Preview(ImagePlus image) {
        this.image = image;
        this.original = image.getOverlay();
    }

    /**
     * Redraws the preview when the image's window moves to another z or t (the slider, the
     * arrow keys, a macro's setSlice): refresh asks the dialog for its current settings and calls
     * {@link #update} again. A change of channel alone keeps it (every channel is segmented).
     */
    public synchronized void followPlanes(Runnable refresh) {
        if (follower != null) return;
        follower = new ij.ImageListener() {
            @Override public void imageOpened(ImagePlus imp) { }
            @Override public void imageClosed(ImagePlus imp) { }
            @Override public void imageUpdated(ImagePlus imp) {
                String p = plane;
                // ImageJ calls this on the event thread, after the slice changed (as the dialog's own changes)
                if (imp == image && p != null && !p.equals(planeOf(image))) refresh.run();
            }
        };
        ImagePlus.addImageListener(follower);
    }

    private static String planeOf(ImagePlus imp) { return imp.getZ() + "," + imp.getT(); }

    public ImagePlus image() { return image; }

    /** How many previews fitted a model: trained a CNN, or fitted a stack (the others labelled with one fitted before). */
    public int trainings() { return trainings; }

    /**
     * Labels the current plane with the job in the background (its output files and ROIs are
     * dropped: a preview writes nothing) and draws the labels; status gets a line a person reads.
     * trainingKey: the settings a CNN's training depends on (null: none). While they stay the same,
     * the network trained for an earlier preview labels again with the new region settings
     * (minRegionSize, mergeThreshold, ...) instead of training anew: the same labels (training does
     * not depend on them), in a second instead of seconds.
     */
    public void update(SegmentJob job, String trainingKey, Consumer<String> status) {
        long g = generation.incrementAndGet();
        // a stack's run fits one model (a CNN on its training slices, the middle one or
        // trainingSlices; a clustering on the whole stack) and labels every slice with it: so does
        // the preview, which then labels each slice shown with that model instead of fitting on it
        boolean stackFit = !job.perSlice && image.getNSlices() * image.getNFrames() > 1;
        if (job.segmenter instanceof io.github.unseg.cnn.CnnSegmenter) {
            io.github.unseg.cnn.CnnSegmenter cnn = (io.github.unseg.cnn.CnnSegmenter) job.segmenter;
            if (cnn.volumetric && image.getNSlices() > 1) {
                restore();
                status.accept("UnSeg preview: the 3D CNN trains on the whole volume; a plane's preview would not show its labels.");
                return;
            }
            if (!stackFit) cnn.trainingSlices = null;   // a plane fitted alone: the preview trains on the plane it shows
        }
        ImagePlus plane = currentPlane(image);
        int z = image.getZ(), t = image.getT(), slice = image.getCurrentSlice();
        this.plane = z + "," + t;
        String key = trainingKey == null ? null : trainingKey + (stackFit ? STACK : " @z" + z + "t" + t);
        boolean fitsStack = stackFit;
        job.labelFile = job.roiFile = job.probabilityFile = job.measurementFile = job.modelFile = null;
        job.roiMode = RoiExport.Mode.NONE;
        job.roisInMemory = false;
        job.probabilityMaps = false;
        job.progress = new Progress() {
            @Override public void report(String message, double fraction) {
                if (generation.get() == g && message != null) status.accept("UnSeg preview: " + message);
            }
            @Override public boolean isCancelled() { return generation.get() != g; }
        };
        status.accept("UnSeg preview: labelling the current plane...");
        pending = worker.submit(() -> {
            long t0 = System.nanoTime();
            try {
                boolean trains = job.segmenter instanceof io.github.unseg.cnn.CnnSegmenter;
                if (fitsStack) {
                    // as the run fits a stack: its uniform planes (blank, dropped) left out
                    java.util.List<io.github.unseg.core.Image5D> whole = java.util.List.of(
                            io.github.unseg.segment.Segmentation.fittable(job.view(image), job.segmenter));
                    io.github.unseg.segment.SegmentationModel m = null;
                    Fit last = fit;
                    if (last.is(key) && last.model != null) {   // the same fit: a CNN takes the region settings of now
                        m = !(job.segmenter instanceof io.github.unseg.cnn.CnnSegmenter) ? last.model
                                : ((io.github.unseg.cnn.CnnSegmenter) job.segmenter).relabelled(last.cnn(), whole);
                    }
                    if (m == null) {
                        job.checkMemory(image);   // the stack's fit needs what the run's does: said before, not an OutOfMemoryError
                        m = job.segmenter.fit(whole, job.progress);
                        if (generation.get() != g) return;   // a newer change took over: this training was cut short
                        trainings++;
                        fit = new Fit(m, key);
                    }
                    job.model = m;
                    job.segmenter = null;
                    trains = false;
                }
                Fit last = fit;
                if (trains && last.is(key) && last.cnn() != null) {
                    io.github.unseg.cnn.CnnModel m = ((io.github.unseg.cnn.CnnSegmenter) job.segmenter)
                            .relabelled(last.cnn(), java.util.List.of(job.view(plane)));
                    if (m != null) {
                        job.model = m;
                        job.segmenter = null;
                        trains = false;
                    }
                }
                job.run(plane);
                if (job.segmenter != null) trainings++;   // fitted on the plane (not labelled with an earlier fit)
                if (trains && key != null && job.model instanceof io.github.unseg.cnn.CnnModel && !job.cancelled) {
                    fit = new Fit(job.model, key);
                }
                if (generation.get() != g) return;
                ImageProcessor labels = job.labels.getStack().getProcessor(1);
                draw(labels, z, t, slice);
                status.accept(String.format(java.util.Locale.ROOT, "UnSeg preview: %d labels, %.1f s (the current plane)",
                        (int) labels.getStatistics().max, (System.nanoTime() - t0) / 1e9));
            } catch (CancelledException e) {
                // a newer request took over
            } catch (SegmentationException e) {
                if (generation.get() != g) return;
                restore();
                status.accept("UnSeg preview: " + io.github.unseg.options.FrontEnd.MENU.respell(e.getMessage()));
            } catch (OutOfMemoryError e) {   // a stack's fit, which runs outside job.run
                if (generation.get() != g) return;
                restore();
                status.accept("UnSeg preview: " + io.github.unseg.options.FrontEnd.MENU.respell(job.outOfMemoryMessage()));
            } catch (java.io.IOException | RuntimeException e) {
                if (generation.get() != g) return;
                restore();
                status.accept("UnSeg preview failed: " + e);
            }
        });
    }

    /**
     * The network this preview trained, for a run with these settings on this image (a single
     * plane, or a stack fitted as a whole, both trained on what the run trains on), with the
     * run's region settings: the labels and the
     * model a training would give, without training again. Null if there is none to reuse.
     */
    public io.github.unseg.cnn.CnnModel reusable(SegmentJob run, String trainingKey) {
        Fit last = fit;
        String k = last.key;
        io.github.unseg.cnn.CnnModel m = last.cnn();
        boolean single = image.getNSlices() * image.getNFrames() == 1;
        if (m == null || trainingKey == null || !(run.segmenter instanceof io.github.unseg.cnn.CnnSegmenter)
                || (!single && run.perSlice) || !(trainingKey + (single ? " @z1t1" : STACK)).equals(k)) return null;
        // the image as the run sees it (its channels, its mask), as auto's preset choice saw it
        return ((io.github.unseg.cnn.CnnSegmenter) run.segmenter).relabelled(m, java.util.List.of(
                io.github.unseg.segment.Segmentation.fittable(run.view(image), run.segmenter)));
    }

    /** The image's own overlay back, any running preview cancelled. */
    public void clear() {
        plane = null;
        generation.incrementAndGet();
        restore();
    }

    /** As {@link #clear()}, and the worker thread ends and scrolling is no longer followed. */
    public void close() {
        clear();
        synchronized (this) {
            if (follower != null) ImagePlus.removeImageListener(follower);
            follower = null;
        }
        worker.shutdownNow();
    }

    /** Waits for the preview asked for last (tests, and a caller that needs it drawn). */
    public void await() throws Exception {
        Future<?> f = pending;
        if (f != null) f.get();
    }

    private synchronized void restore() {
        if (!shown) return;
        image.setOverlay(original);
        shown = false;
    }

    private synchronized void draw(ImageProcessor labels, int z, int t, int slice) {
        int n = labels.getPixelCount();
        int[] rgb = new int[n];
        ij.process.LUT lut = Glasbey.lut();
        for (int i = 0; i < n; i++) {
            int l = (int) labels.getf(i);
            rgb[i] = l == 0 ? 0 : lut.getRGB(1 + (l - 1) % 255) & 0xffffff;   // 0: transparent
        }
        ImageRoi roi = new ImageRoi(0, 0, new ColorProcessor(labels.getWidth(), labels.getHeight(), rgb));
        roi.setName(NAME);
        roi.setOpacity(OPACITY);
        roi.setZeroTransparent(true);
        if (image.isHyperStack()) roi.setPosition(0, z, t);
        else if (image.getStackSize() > 1) roi.setPosition(slice);
        Overlay o = original == null ? new Overlay() : original.duplicate();
        o.add(roi);
        image.setOverlay(o);
        shown = true;
    }

    /** The current z and t of the image, every channel: its planes shared, not copied (read only). */
    static ImagePlus currentPlane(ImagePlus imp) {
        int nc = imp.getNChannels(), z = imp.getZ(), t = imp.getT();
        ImageStack st = new ImageStack(imp.getWidth(), imp.getHeight());
        for (int c = 1; c <= nc; c++) st.addSlice(imp.getStack().getProcessor(imp.getStackIndex(c, z, t)));
        ImagePlus p = new ImagePlus(imp.getTitle(), st);
        p.setDimensions(nc, 1, 1);
        p.setCalibration(imp.getCalibration());
        return p;
    }
}

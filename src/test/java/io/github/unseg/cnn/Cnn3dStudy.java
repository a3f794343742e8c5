package io.github.unseg.cnn;

import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.ij.ImagePlusViews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the measurements behind the README's notes on the true 3D CNN: the 3D net with
 * 3x3x1 and 3x3x3 kernels against the 2D net (trained on the middle slice, or on every slice)
 * over seeds. Prints, asserts nothing; runs only on request:
 * {@code mvn test -Dtest=Cnn3dStudy -Dunseg.study=true} (about 2 minutes).
 */
@EnabledIfSystemProperty(named = "unseg.study", matches = "true")
class Cnn3dStudy {
    private static final int SEEDS = 8;

    enum Variant {
        TWO_D_MIDDLE("2D net, middle slice"), TWO_D_ALL("2D net, every slice"), FLAT("3D net, 3x3x1"), CUBIC("3D net, 3x3x3");
        final String name;
        Variant(String name) { this.name = name; }
    }

    /** The unit test's volume 40x32x8 (objects from slice 1 to d-2). */
    @Test
    void testVolume() {
        int[] truth = new int[40 * 32 * 8];
        report("test volume 40x32x8", Synthetic.volume(40, 32, 8, truth, 3), truth, 3, 3);
    }

    /** The same regions with the objects three slices away from both ends (6 slices thick). */
    @Test
    void objectsAwayFromTheEnds() {
        int[] truth = new int[40 * 32 * 12];
        report("objects 3 slices from the ends, 40x32x12", Synthetic.volume(40, 32, 12, 3, truth, 3), truth, 3, 3);
    }

    /** Thicker objects: 12 slices of 20. */
    @Test
    void thickerObjects() {
        int[] truth = new int[40 * 32 * 20];
        report("objects 4 slices from the ends, 40x32x20", Synthetic.volume(40, 32, 20, 4, truth, 3), truth, 3, 3);
    }

    /** Two classes: a ball filling 11.6% of a 32x32x12 volume, minLabels 2. */
    @Test
    void ball() {
        int[] truth = new int[32 * 32 * 12];
        report("ball, 11.6% of 32x32x12", Synthetic.ball(32, 32, 12, 7.1, truth, 7), truth, 2, 2);
    }

    private static void report(String what, ImagePlus imp, int[] truth, int regions, int minLabels) {
        for (Variant v : Variant.values()) {
            StringBuilder sb = new StringBuilder();
            for (long seed = 1; seed <= SEEDS; seed++) {
                sb.append(String.format(" %.2f", worst(ImagePlusViews.wrap(imp), truth, regions, minLabels, seed, v)));
            }
            System.out.println("STUDY " + what + ", " + v.name + ", worst region IoU, seeds 1-" + SEEDS + ":" + sb);
        }
    }

    /** The unit tests' small settings (C = 32, continuity 10). */
    private static double worst(Image5D img, int[] truth, int regions, int minLabels, long seed, Variant v) {
        CnnSegmenter s = CnnSegmenterTest.small();
        s.seed = seed;
        s.minLabels = minLabels;
        s.volumetric = v == Variant.FLAT || v == Variant.CUBIC;
        s.zKernel = v == Variant.CUBIC ? 3 : 1;
        if (v == Variant.TWO_D_ALL) s.trainingSlices = java.util.stream.IntStream.rangeClosed(1, img.depth()).toArray();
        int[] lab = s.fit(img, Progress.NONE).predict(img, Progress.NONE);
        int nPred = java.util.Arrays.stream(lab).max().getAsInt();
        return Synthetic.minBestIoU(lab, truth, regions, nPred);
    }
}

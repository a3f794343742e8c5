package io.github.unseg.cnn;

import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.ij.ImagePlusViews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the measurements behind the README's notes on the true 3D CNN, 3D net against the
 * default 2D net (trained on the middle slice) over seeds. Prints, asserts nothing; runs only on
 * request: {@code mvn test -Dtest=Cnn3dStudy -Dunseg.study=true} (about 30 s).
 */
@EnabledIfSystemProperty(named = "unseg.study", matches = "true")
class Cnn3dStudy {
    private static final int SEEDS = 8;

    /** The unit test's volume (objects from slice 1 to d-2), seeds 1-6. */
    @Test
    void testVolume() {
        for (boolean volumetric : new boolean[]{true, false}) {
            StringBuilder sb = new StringBuilder();
            for (long seed = 1; seed <= 6; seed++) {
                int[] truth = new int[40 * 32 * 8];
                sb.append(String.format(" %.2f", worst(ImagePlusViews.wrap(Synthetic.volume(40, 32, 8, truth, 3)), truth, 3, 3, seed, volumetric)));
            }
            System.out.println("STUDY test volume 40x32x8, " + (volumetric ? "3D" : "2D") + " net, worst region IoU, seeds 1-6:" + sb);
        }
    }

    /** The same regions with the objects three slices away from both ends: no end effect. */
    @Test
    void objectsAwayFromTheEnds() {
        int[] truth = new int[40 * 32 * 12];
        report("objects 3 slices from the ends, 40x32x12", Synthetic.volume(40, 32, 12, 3, truth, 3), truth, 3, 3);
    }

    /** Two classes: a ball filling 11.6% of a 32x32x12 volume, minLabels 2 (the unit test's volume with other noise). */
    @Test
    void ball() {
        int[] truth = new int[32 * 32 * 12];
        report("ball, 11.6% of 32x32x12", Synthetic.ball(32, 32, 12, 7.1, truth, 7), truth, 2, 2);
    }

    private static void report(String what, ImagePlus imp, int[] truth, int regions, int minLabels) {
        for (boolean volumetric : new boolean[]{true, false}) {
            StringBuilder sb = new StringBuilder();
            for (long seed = 1; seed <= SEEDS; seed++) {
                sb.append(String.format(" %.2f", worst(ImagePlusViews.wrap(imp), truth, regions, minLabels, seed, volumetric)));
            }
            System.out.println("STUDY " + what + ", " + (volumetric ? "3D" : "2D") + " net, worst region IoU, seeds 1-" + SEEDS + ":" + sb);
        }
    }

    /** The unit tests' small settings (C = 32, continuity 10). */
    private static double worst(Image5D img, int[] truth, int regions, int minLabels, long seed, boolean volumetric) {
        CnnSegmenter s = CnnSegmenterTest.small();
        s.seed = seed;
        s.minLabels = minLabels;
        s.volumetric = volumetric;
        int[] lab = s.fit(img, Progress.NONE).predict(img, Progress.NONE);
        int nPred = java.util.Arrays.stream(lab).max().getAsInt();
        return Synthetic.minBestIoU(lab, truth, regions, nPred);
    }
}

// The measurements behind the README's notes on the true 3D CNN; run through bench/cnn3d_study.sh.
// java -cp <unseg + deps + test classes> bench/Cnn3dStudy.java [volumes|scribbles|all]
import ij.ImagePlus;
import io.github.unseg.Synthetic;
import io.github.unseg.cnn.CnnSegmenter;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.ij.ImagePlusViews;

/**
 * The 3D net with 3x3x1 and 3x3x3 kernels against the 2D net (trained on the middle slice, or on
 * every slice) over seeds, and 2D and 3D scribbles over seeds. Prints; a study, not a test.
 */
public class Cnn3dStudy {
    public static void main(String[] a) {
        String what = a.length > 0 ? a[0] : "all";
        Cnn3dStudy s = new Cnn3dStudy();
        if (!what.equals("scribbles")) { s.testVolume(); s.objectsAwayFromTheEnds(); s.thickerObjects(); s.ball(); }
        if (!what.equals("volumes")) s.scribbles();
    }

    /** The unit tests' small settings (CnnSegmenterTest.small: C = 32, continuity 10). */
    static CnnSegmenter small() {
        CnnSegmenter s = new CnnSegmenter();
        s.nChannels = 32;
        s.maxIterations = 150;
        s.minLabels = 3;
        s.continuityWeight = 10;
        return s;
    }

    private static final int SEEDS = 8;

    enum Variant {
        TWO_D_MIDDLE("2D net, middle slice"), TWO_D_ALL("2D net, every slice"), FLAT("3D net, 3x3x1"), CUBIC("3D net, 3x3x3");
        final String name;
        Variant(String name) { this.name = name; }
    }

    /** The unit test's volume 40x32x8 (objects from slice 1 to d-2). */
    void testVolume() {
        int[] truth = new int[40 * 32 * 8];
        report("test volume 40x32x8", Synthetic.volume(40, 32, 8, truth, 3), truth, 3, 3);
    }

    /** The same regions with the objects three slices away from both ends (6 slices thick). */
    void objectsAwayFromTheEnds() {
        int[] truth = new int[40 * 32 * 12];
        report("objects 3 slices from the ends, 40x32x12", Synthetic.volume(40, 32, 12, 3, truth, 3), truth, 3, 3);
    }

    /** Thicker objects: 12 slices of 20. */
    void thickerObjects() {
        int[] truth = new int[40 * 32 * 20];
        report("objects 4 slices from the ends, 40x32x20", Synthetic.volume(40, 32, 20, 4, truth, 3), truth, 3, 3);
    }

    /** Two classes: a ball filling 11.6% of a 32x32x12 volume, minLabels 2. */
    void ball() {
        int[] truth = new int[32 * 32 * 12];
        report("ball, 11.6% of 32x32x12", Synthetic.ball(32, 32, 12, 7.1, truth, 7), truth, 2, 2);
    }

    /** Scribbles: disk IoU (rectangle hinted as background) in 2D and in 3D with three hint layouts, seeds 1-4. */
    void scribbles() {
        int w = 64, h = 48;
        int[] hint2 = new int[w * h];
        for (int x = 2; x < 20; x++) hint2[2 * w + x] = 1;
        for (int x = 42; x < 54; x++) hint2[(int) (h * 0.7) * w + x] = 1;
        for (int x = 14; x < 24; x++) hint2[(int) (h * 0.35) * w + x] = 2;
        Image5D rgb = ImagePlusViews.wrap(Synthetic.rgb(w, h, 5));
        System.out.println("STUDY scribbles, 2D colour image, disk IoU, seeds 1-4:" + diskIoUs(rgb, hint2, Synthetic.regions(w, h), false));
        int vw = 40, vh = 32, d = 8, plane = vw * vh;
        int[] truth = new int[plane * d];
        Image5D vol = ImagePlusViews.wrap(Synthetic.volume(vw, vh, d, truth, 3));
        int[] hint = new int[plane];
        for (int x = 2; x < 10; x++) hint[2 * vw + x] = 1;
        for (int x = 27; x < 34; x++) hint[(int) (vh * 0.7) * vw + x] = 1;
        for (int x = 8; x < 16; x++) hint[(int) (vh * 0.35) * vw + x] = 2;
        int[] two = new int[plane * d], one = new int[plane * d];
        System.arraycopy(hint, 0, two, 2 * plane, plane);
        System.arraycopy(hint, 0, two, 5 * plane, plane);
        System.arraycopy(hint, 0, one, 2 * plane, plane);
        String[] names = {"middle slice", "slices 3 and 6", "slice 3"};
        int[][] layouts = {hint, two, one};
        for (int i = 0; i < 3; i++) {
            System.out.println("STUDY scribbles, 3D unit-test volume, hints on the " + names[i] + ", disk IoU, seeds 1-4:" + diskIoUs(vol, layouts[i], truth, true));
        }
    }

    private static String diskIoUs(Image5D img, int[] hint, int[] truth, boolean volumetric) {
        int[] merged = new int[truth.length];
        for (int i = 0; i < truth.length; i++) merged[i] = truth[i] == 2 ? 2 : 1;
        StringBuilder sb = new StringBuilder();
        for (long seed = 1; seed <= 4; seed++) {
            CnnSegmenter s = small();
            s.seed = seed;
            s.volumetric = volumetric;
            s.scribbles = hint;
            int[] lab = s.fit(img, Progress.NONE).predict(img, Progress.NONE);
            sb.append(String.format(" %.2f", Synthetic.iou(lab, 2, merged, 2)));
        }
        return sb.toString();
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
        CnnSegmenter s = small();
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

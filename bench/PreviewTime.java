import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import io.github.unseg.ij.commands.AbstractSegmentCommand;

import java.util.Locale;
import java.util.Random;

/**
 * How long the dialog's preview takes on a stack (bench/preview_time.sh): the first preview fits
 * as the run does (the whole stack; a CNN on its middle slice), the next slices are labelled with
 * that fit. Input: an image file, or none for a synthetic stack (40 slices of 1024 x 1024 noise
 * with a bright square). Prints one row per method and slice shown.
 */
public final class PreviewTime {
    public static void main(String[] args) throws Exception {
        ImagePlus imp = args.length > 0 ? IJ.openImage(args[0]) : synthetic(1024, 1024, 40);
        int n = imp.getNSlices() * imp.getNFrames();
        int[] slices = {Math.max(1, n / 2), Math.min(n, n / 2 + 1), Math.max(1, n - n / 8)};
        org.scijava.Context ctx = new org.scijava.Context();
        String[][] methods = {{"K-means", "KMeansCommand"}, {"GMM", "GmmCommand"}, {"CNN", "CnnCommand"}, {"CNN + K-means", "CnnKMeansCommand"}};
        System.out.printf(Locale.ROOT, "%s: %d x %d, %d planes%n", imp.getTitle(), imp.getWidth(), imp.getHeight(), n);
        System.out.println("| method | slice shown | preview time | fits so far |");
        System.out.println("|---|---|---|---|");
        for (String[] m : methods) {
            Class<?> c = Class.forName("io.github.unseg.ij.commands." + m[1]);
            AbstractSegmentCommand cmd = (AbstractSegmentCommand) ctx.service(org.scijava.module.ModuleService.class)
                    .createModule(ctx.service(org.scijava.command.CommandService.class).getCommand(c.getName()));
            cmd.setInput("image", imp);
            cmd.setInput("preview", true);
            for (int s : slices) {
                imp.setSlice(s);
                long t0 = System.nanoTime();
                cmd.preview();   // what the dialog calls as a field changes or the slider moves
                cmd.currentPreview().await();
                System.out.printf(Locale.ROOT, "| %s | %d | %.2f s | %d |%n", m[0], s, (System.nanoTime() - t0) / 1e9, cmd.currentPreview().trainings());
            }
            cmd.cancel();
        }
        ctx.dispose();
        System.exit(0);
    }

    static ImagePlus synthetic(int w, int h, int d) {
        Random r = new Random(1);
        ImageStack st = new ImageStack(w, h);
        for (int z = 0; z < d; z++) {
            byte[] px = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 100 + 20 * r.nextGaussian() + (x >= w * 3 / 10 && x < w / 2 && y >= h * 3 / 10 && y < h / 2 ? 80 : 0);
                    px[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
            st.addSlice(new ByteProcessor(w, h, px));
        }
        return new ImagePlus("synthetic stack", st);
    }
}

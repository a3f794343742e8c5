import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * For bench/spark_large.sh: "mosaic SAMPLE N OUT" writes an N x N mosaic of the sample (16-bit,
 * tiles flipped so that objects meet across tile borders); "compare A B" counts differing pixels.
 */
public class SparkLarge {
    public static void main(String[] a) {
        if (a[0].equals("mosaic")) {
            ImageProcessor sp = IJ.openImage(a[1]).getProcessor().convertToShort(false);
            int n = Integer.parseInt(a[2]), w = sp.getWidth(), h = sp.getHeight();
            ShortProcessor big = new ShortProcessor(w * n, h * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ImageProcessor t = sp.duplicate();
                    if (((i + j) & 1) == 1) t.flipHorizontal();
                    if ((i & 1) == 1) t.flipVertical();
                    big.insert(t, i * w, j * h);
                }
            }
            if (!new FileSaver(new ImagePlus("mosaic", big)).saveAsTiff(a[3])) throw new IllegalStateException("cannot write " + a[3]);
        } else {
            ImageProcessor p = IJ.openImage(a[1]).getProcessor(), q = IJ.openImage(a[2]).getProcessor();
            long diff = 0;
            int n = p.getPixelCount();
            if (q.getPixelCount() != n) throw new IllegalStateException("sizes differ");
            for (int i = 0; i < n; i++) if (p.getf(i) != q.getf(i)) diff++;
            System.out.println("  stitched vs whole-image labels: " + n + " pixels, " + diff + " differ");
        }
    }
}

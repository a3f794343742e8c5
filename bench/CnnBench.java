// UnSeg's CNN training step timed on one image; run through bench/cnn_bench.sh.
// java -cp <unseg + deps> bench/CnnBench.java IMAGE C ITERS
import ij.IJ;
import io.github.unseg.cnn.KanezakiNet;
import io.github.unseg.core.FeatureMatrix;
import io.github.unseg.core.FeatureScaler;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Normalization;
import io.github.unseg.core.RawPixels;
import io.github.unseg.ij.ImagePlusViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public class CnnBench {
    public static void main(String[] a) {
        Image5D img = ImagePlusViews.wrap(IJ.openImage(a[0]));
        int c = Integer.parseInt(a[1]), iters = Integer.parseInt(a[2]);
        RawPixels raw = RawPixels.of(img);
        // The reference divides 8-bit values by 255; min-max is the same up to the image's range.
        FeatureSpec spec = new FeatureSpec(FeatureScaler.fit(Normalization.MINMAX, List.of(raw)), 0, 2, NanPolicy.MASK);
        FeatureMatrix m = spec.build(img, raw);
        int w = img.width(), h = img.height(), d = m.dims, n = w * h;
        float[] data = new float[d * n];
        for (int p = 0; p < n; p++) for (int k = 0; k < d; k++) data[k * n + p] = m.x[p * d + k];
        INDArray x = Nd4j.create(data, new long[]{1, d, h, w});
        KanezakiNet net = new KanezakiNet(d, c, 2, 1, DataType.FLOAT);
        double[] ms = new double[iters];
        for (int i = 0; i < 3 + iters; i++) {
            long t0 = System.nanoTime();
            net.step(x, 1.0, 1.0, 0.1, 0.9, null);
            if (i >= 3) ms[i - 3] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "UNSEG C=%d %dx%d: TRAIN median %.1f ms/iter (min %.1f)%n", c, h, w, ms[iters / 2], ms[0]);
    }
}

package io.github.unseg;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.unseg.cnn.CnnKMeansSegmenter;
import io.github.unseg.cnn.CnnSegmenter;
import io.github.unseg.core.Image5D;
import io.github.unseg.core.Progress;
import io.github.unseg.ij.ImagePlusViews;
import io.github.unseg.ij.LabelImages;
import io.github.unseg.segment.GmmKMeansSegmenter;
import io.github.unseg.segment.GmmSegmenter;
import io.github.unseg.segment.KMeansSegmenter;
import io.github.unseg.segment.SegmentationModel;
import io.github.unseg.segment.Segmenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every model labels a stack (and a time series of stacks) identically through both paths: the
 * whole-image {@code predict(img)} and the label-image view {@code predict(img, labels)} that the
 * front ends use, which cuts the image as the model's context says. The 3x3x3 CNN was labelled
 * slice by slice through the second path (43 of 12,288 voxels differed on a ball).
 */
class ModelPathsTest {
    private static final int W = 32, H = 32, D = 12;

    /** A ball volume, repeated over two frames with other noise (axes C, Z, T: 3 x 12 x 2). */
    private static ImagePlus ballSeries() {
        ImagePlus a = Synthetic.ball(W, H, D, 8, new int[W * H * D], 1), b = Synthetic.ball(W, H, D, 8, new int[W * H * D], 2);
        ImageStack st = new ImageStack(W, H);
        for (ImagePlus f : new ImagePlus[]{a, b}) for (int i = 1; i <= f.getStackSize(); i++) st.addSlice(f.getStack().getProcessor(i));
        ImagePlus imp = new ImagePlus("series", st);
        imp.setDimensions(3, D, 2);
        return imp;
    }

    private static List<Segmenter> segmenters() {
        List<Segmenter> out = new ArrayList<>();
        KMeansSegmenter km = new KMeansSegmenter();
        km.nClusters = 2;
        out.add(km);
        KMeansSegmenter kmc = new KMeansSegmenter();
        kmc.nClusters = 2;
        kmc.features.coordinateWeight = 0.5; // z coordinates: the model needs the volume
        out.add(kmc);
        GmmSegmenter g = new GmmSegmenter();
        g.nClusters = 2;
        out.add(g);
        GmmKMeansSegmenter gk = new GmmKMeansSegmenter();
        gk.nClusters = 2;
        out.add(gk);
        for (int zk : new int[]{0, 1, 3}) { // 0: the 2D network, plane by plane
            CnnSegmenter c = new CnnSegmenter();
            c.nChannels = 8;
            c.maxIterations = 5;
            c.volumetric = zk > 0;
            if (zk > 0) c.zKernel = zk;
            out.add(c);
            CnnKMeansSegmenter ck = new CnnKMeansSegmenter();
            ck.nChannels = 8;
            ck.maxIterations = 5;
            ck.nClusters = 2;
            ck.volumetric = zk > 0;
            if (zk > 0) ck.zKernel = zk;
            out.add(ck);
        }
        return out;
    }

    @Test
    void everyModelLabelsTheSameThroughBothPaths() {
        ImagePlus imp = ballSeries();
        Image5D img = ImagePlusViews.wrap(imp);
        for (Segmenter s : segmenters()) {
            SegmentationModel m = s.fit(img, Progress.NONE);
            int[] whole = m.predict(img, Progress.NONE);
            ImagePlus labels = LabelImages.create(imp, m.nLabels());
            m.predict(img, ImagePlusViews.labelView(labels), Progress.NONE);
            int[] viaView = new int[whole.length];
            int plane = W * H;
            assertEquals(D * 2, labels.getStackSize());
            for (int i = 0; i < D * 2; i++) System.arraycopy(Synthetic.plane(labels, i + 1), 0, viaView, i * plane, plane);
            assertArrayEquals(whole, viaView, m.summary() + " (" + m.context() + ")");
        }
    }
}

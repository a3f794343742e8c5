package io.github.unseg.cnn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class BlocksTest {
    /** Masked pixels take the nearest valid pixel's value: a band's edge is repeated, not a step to 0. */
    @Test
    void maskedPixelsRepeatTheNearestValidOne() {
        int w = 5, h = 4;
        // 2 channels; row 0 and column 0 masked (a registration's padding), and one pixel inside
        float[] data = new float[2 * w * h];
        boolean[] set = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                set[p] = y > 0 && x > 0 && !(x == 3 && y == 2);
                if (set[p]) { data[p] = 10 * y + x; data[w * h + p] = -(10 * y + x); }
            }
        }
        Blocks.fillMasked(data, 2, w, h, set);
        float[] want = {
                11, 11, 12, 13, 14,   // row 0 has no valid pixel: each takes its column's nearest (row 1, after its own fill)
                11, 11, 12, 13, 14,   // column 0 from its row's nearest
                21, 21, 22, 22, 24,   // (3,2): 22 and 24 are as near; the one before wins
                31, 31, 32, 33, 34};
        float[] first = java.util.Arrays.copyOf(data, w * h), second = java.util.Arrays.copyOfRange(data, w * h, 2 * w * h);
        assertArrayEquals(want, first);
        for (int i = 0; i < want.length; i++) want[i] = -want[i];
        assertArrayEquals(want, second);
        // a fully masked line pair in a volume's planes one under another: the neighbouring plane's rows
        float[] v = {1, 2, 0, 0, 5, 6};
        Blocks.fillMasked(v, 1, 2, 3, new boolean[]{true, true, false, false, true, true});
        assertArrayEquals(new float[]{1, 2, 1, 2, 5, 6}, v);
    }
}

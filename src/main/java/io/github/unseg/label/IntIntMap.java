package io.github.unseg.label;

/**
 * A map from positive int keys to int values, open addressing with linear probing: the region
 * graph keeps one per region, and boxed HashMaps spent most of a noisy plane's merge time.
 * Removal shifts the following entries back, so no tombstones accumulate as regions merge.
 */
final class IntIntMap {
    private int[] keys, values;   // key 0 = empty slot
    private int size, mask, shift;

    IntIntMap() { this(4); }

    IntIntMap(int expected) {
        int cap = 4;
        while (cap * 3 < expected * 4 + 4) cap <<= 1;   // at most 3/4 full
        keys = new int[cap];
        values = new int[cap];
        mask = cap - 1;
        shift = 32 - Integer.numberOfTrailingZeros(cap);
    }

    int size() { return size; }

    boolean isEmpty() { return size == 0; }

    // Fibonacci hashing: region numbers are dense and often consecutive
    private int slot(int key) { return key * 0x9E3779B9 >>> shift; }

    /** The key's value, or -1 when absent (values stored are never negative). */
    int get(int key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) return values[i];
            if (k == 0) return -1;
        }
    }

    void put(int key, int value) {
        if (key <= 0) throw new IllegalArgumentException("key " + key);
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) { values[i] = value; return; }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                if (++size * 4 > keys.length * 3) grow();
                return;
            }
        }
    }

    void remove(int key) {
        int i = slot(key);
        while (keys[i] != key) {
            if (keys[i] == 0) return;
            i = (i + 1) & mask;
        }
        // shift back the entries after the hole that would not be found across it
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // j's entry may fill the hole at i when its home is not within (i, j] cyclically
            if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = 0;
        size--;
    }

    private void grow() {
        int[] k = keys, v = values;
        keys = new int[k.length * 2];
        values = new int[k.length * 2];
        mask = keys.length - 1;
        shift--;
        size = 0;
        for (int i = 0; i < k.length; i++) if (k[i] != 0) put(k[i], v[i]);
    }

    /** The keys, in slot order (not sorted: callers must not depend on the order). */
    int[] keys() {
        int[] out = new int[size];
        for (int i = 0, n = 0; i < keys.length; i++) if (keys[i] != 0) out[n++] = keys[i];
        return out;
    }

    /** Slot-wise iteration without a copy: for (int i = 0; i < capacity(); i++) if (keyAt(i) != 0) ... */
    int capacity() { return keys.length; }

    int keyAt(int i) { return keys[i]; }

    int valueAt(int i) { return values[i]; }
}

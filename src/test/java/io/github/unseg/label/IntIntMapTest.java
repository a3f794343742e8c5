package io.github.unseg.label;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The region graph's primitive map and heap against java.util's, on random operations. */
class IntIntMapTest {

    @Test
    void agreesWithAHashMapThroughPutsRemovesAndGrowth() {
        Random rnd = new Random(7);
        for (int round = 0; round < 20; round++) {
            IntIntMap m = new IntIntMap();
            Map<Integer, Integer> ref = new HashMap<>();
            // few distinct keys, so removes hit present keys and clusters form and break up
            int range = 1 + rnd.nextInt(round < 10 ? 40 : 3000);
            for (int op = 0; op < 20000; op++) {
                int key = 1 + rnd.nextInt(range);
                if (rnd.nextInt(3) == 0) {
                    m.remove(key);
                    ref.remove(key);
                } else {
                    int v = rnd.nextInt(1000);
                    m.put(key, v);
                    ref.put(key, v);
                }
                int probe = 1 + rnd.nextInt(range);
                assertEquals(ref.getOrDefault(probe, -1).intValue(), m.get(probe), "key " + probe + " after op " + op);
            }
            assertEquals(ref.size(), m.size());
            int[] keys = m.keys();
            Arrays.sort(keys);
            assertArrayEquals(ref.keySet().stream().mapToInt(Integer::intValue).sorted().toArray(), keys);
            int seen = 0;
            for (int i = 0; i < m.capacity(); i++) {
                if (m.keyAt(i) == 0) continue;
                seen++;
                assertEquals(ref.get(m.keyAt(i)).intValue(), m.valueAt(i));
            }
            assertEquals(ref.size(), seen);
        }
    }

    @Test
    void heapPollsInOrder() {
        Random rnd = new Random(3);
        Regions.LongHeap h = new Regions.LongHeap(4);
        java.util.PriorityQueue<Long> ref = new java.util.PriorityQueue<>();
        for (int op = 0; op < 50000; op++) {
            if (ref.isEmpty() || rnd.nextInt(5) < 3) {
                long v = (long) rnd.nextInt(100) << 32 | rnd.nextInt(1 << 20);
                h.add(v);
                ref.add(v);
            } else {
                assertEquals(ref.poll().longValue(), h.poll());
            }
            assertEquals(ref.isEmpty(), h.isEmpty());
        }
        while (!ref.isEmpty()) assertEquals(ref.poll().longValue(), h.poll());
    }
}

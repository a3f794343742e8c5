package io.github.unseg.core;

import java.util.ArrayList;
import java.util.List;

/** Slice lists as users type them: "1,5,9" or "1-3,7", 1-based. */
public final class Slices {
    private Slices() { }

    /** The slice numbers, or null for an empty text (the default: the middle slice). */
    public static int[] parse(String s) { return parse(s, "Training slices"); }

    /** Channel numbers as typed ("1" or "1,3" or "2-3"), or null for an empty text (all channels). */
    public static int[] parseChannels(String s) { return parse(s, "Channels"); }

    private static int[] parse(String s, String what) {
        if (s == null || s.trim().isEmpty()) return null;
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : s.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).trim()), b = Integer.parseInt(p.substring(dash + 1).trim());
                    if (b < a) throw new NumberFormatException();
                    for (int z = a; z <= b; z++) out.add(z);
                } else {
                    out.add(Integer.parseInt(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new SegmentationException(what + " must be numbers like 1,5,9 or 1-3; got '" + s + "'.");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}

package io.github.unseg.options;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for mistyped option names: the nearest known spelling by edit distance. */
public final class Closest {
    private Closest() {}

    /** The candidate nearest to typed (ignoring case, '-' and '_'), or null when none is close. */
    public static String to(String typed, Collection<String> candidates) {
        String t = squash(typed);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(t, squash(c));
            if (d < bestD) { bestD = d; best = c; }
        }
        // Two edits are a typo; more would suggest unrelated options for short names.
        return bestD <= Math.min(2, Math.max(1, t.length() / 3)) ? best : null;
    }

    /** " Did you mean X?" or "" */
    public static String hint(String typed, Collection<String> candidates, String prefix) {
        String c = to(typed, candidates);
        return c == null ? "" : " Did you mean " + prefix + c + "?";
    }

    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}

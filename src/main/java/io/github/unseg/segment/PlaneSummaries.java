package io.github.unseg.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-slice models' summaries in a few lines: one per form of sentence, its numbers as
 * ranges over the planes that share it ("slices 1-12: K-means, 3 clusters, inertia 345.0-373.3
 * ..., 12-34 iterations"). A stack of 500 slices gave 500 log lines before.
 */
public final class PlaneSummaries {
    private PlaneSummaries() { }

    // a '-' after a letter, digit or point joins words or numbers ("50-14793", "log-likelihood"); elsewhere a sign
    private static final Pattern NUMBER = Pattern.compile("(?:(?<![\\w.])-)?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    /** Plane lists longer than this many runs are cut ("slices 1, 3, 5, 7, 9, 11, ... (40 of 80)"). */
    private static final int MAX_RUNS = 6;

    /**
     * @param lines one summary per plane, in plane order (t-major, z within t: plane i is z = i % depth, t = i / depth)
     * @param depth slices per frame; frames: frames
     */
    public static List<String> condense(List<String> lines, int depth, int frames) {
        Map<String, List<Integer>> planesOf = new LinkedHashMap<>();   // skeleton -> its planes, first seen first
        int total = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) == null) continue;   // a plane with no summary of its own (said elsewhere)
            planesOf.computeIfAbsent(split(lines.get(i))[0], k -> new ArrayList<>()).add(i);
            total++;
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : planesOf.entrySet()) {
            List<Integer> planes = e.getValue();
            List<String[]> numbers = new ArrayList<>();
            for (int i : planes) numbers.add(split(lines.get(i)));
            out.add(name(planes, depth, frames, total) + ": " + fill(e.getKey(), numbers));
        }
        return out;
    }

    /** "slices 1-5, 8", "frame 3", "planes 2, 4 (3 slices x 2 frames, t-major)": 0-based planes, t-major; long lists cut ("..."). */
    public static String name(List<Integer> planes, int depth, int frames) {
        return name(planes, depth, frames, 0);
    }

    /** "slices", "frames" or "planes": what a stack of depth x frames has. */
    public static String unit(int depth, int frames) {
        return frames == 1 ? "slices" : depth == 1 ? "frames" : "planes";
    }

    /** total > 0: a cut list says how many of total it names. */
    private static String name(List<Integer> planes, int depth, int frames, int total) {
        String what = unit(depth, frames);
        what = what.substring(0, what.length() - 1);
        String layout = frames > 1 && depth > 1 ? depth + " slices x " + frames + " frames, t-major" : "";
        List<String> runs = runs(planes);
        StringBuilder head = new StringBuilder(what).append(planes.size() > 1 ? "s " : " ");
        head.append(String.join(", ", runs.subList(0, Math.min(MAX_RUNS, runs.size()))));
        String count = runs.size() > MAX_RUNS && total > 0 ? planes.size() + " of " + total : "";
        if (runs.size() > MAX_RUNS) head.append(", ...");
        if (!count.isEmpty() || !layout.isEmpty()) {
            head.append(" (").append(count).append(!count.isEmpty() && !layout.isEmpty() ? "; " : "").append(layout).append(")");
        }
        return head.toString();
    }

    /** [skeleton with a NUL character for each number, then the numbers' texts]. */
    static String[] split(String line) {
        Matcher m = NUMBER.matcher(line);
        StringBuilder skeleton = new StringBuilder();
        List<String> numbers = new ArrayList<>();
        numbers.add(null);
        int last = 0;
        while (m.find()) {
            skeleton.append(line, last, m.start()).append('\u0000');
            numbers.add(m.group());
            last = m.end();
        }
        skeleton.append(line.substring(last));
        numbers.set(0, skeleton.toString());
        return numbers.toArray(new String[0]);
    }

    /** The skeleton with each number as its range over the planes (".." where a '-' would mislead: a sign, or one beside it). */
    private static String fill(String skeleton, List<String[]> numbers) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (int i = 0; i < skeleton.length(); i++) {
            char c = skeleton.charAt(i);
            if (c != '\u0000') { sb.append(c); continue; }
            String lo = null, hi = null;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (String[] n : numbers) {   // n[0]: the skeleton
                double v = Double.parseDouble(n[k + 1]);
                if (v < min) { min = v; lo = n[k + 1]; }
                if (v > max) { max = v; hi = n[k + 1]; }
            }
            boolean dash = lo.startsWith("-") || hi.startsWith("-")
                    || (i > 0 && skeleton.charAt(i - 1) == '-') || (i + 1 < skeleton.length() && skeleton.charAt(i + 1) == '-');
            sb.append(min == max ? lo : lo + (dash ? ".." : "-") + hi);
            k++;
        }
        return sb.toString();
    }

    /** 1-based runs of the 0-based sorted planes: "1-5", "8", "10-12". */
    static List<String> runs(List<Integer> planes) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < planes.size(); ) {
            int j = i;
            while (j + 1 < planes.size() && planes.get(j + 1) == planes.get(j) + 1) j++;
            runs.add(i == j ? String.valueOf(planes.get(i) + 1) : (planes.get(i) + 1) + "-" + (planes.get(j) + 1));
            i = j + 1;
        }
        return runs;
    }
}

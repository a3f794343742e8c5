package io.github.unseg.spark;

import io.github.unseg.cli.Main;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * spark-segment's command line: its own options (inputs, output folder, master, model...) and,
 * passed through unchanged, the segment and evaluation options of the single-machine command, so
 * that each is defined once (in the plugin's option table).
 */
final class Options {
    static final Set<String> OWN_VALUED = Set.of("input", "output", "master", "partitions", "truth", "model", "method",
            "fit-on", "block-size");
    static final Set<String> OWN_FLAGS = Set.of("rois", "measurements", "overwrite", "quiet", "help", "stitch");
    /** Single-machine options that name outputs or batch modes spark-segment defines itself. */
    static final Map<String, String> REFUSED = Map.of(
            "labels", "spark-segment writes OUTPUT/NAME_labels.tif; give the folder with --output",
            "save-model", "with --fit-on the model is saved as OUTPUT/model.json",
            "fit-once", "give --fit-on FILES: one model, fitted on the driver, labels every file",
            "probabilities", "spark-segment writes label images and ROIs, not probability maps");

    final List<String> inputs = new ArrayList<>();
    String output, master, truth, model, method, fitOn;
    int partitions = 0, blockSize = 0;
    boolean rois, measurements, overwrite, quiet, help, stitch;
    /** Passed to {@code segment} / {@code evaluate} as given. */
    final List<String> segmentArgs = new ArrayList<>(), evalArgs = new ArrayList<>();

    private final java.util.Map<String, String> given = new java.util.HashMap<>();

    static final class Bad extends RuntimeException {
        Bad(String m) { super(m); }
    }

    static Options parse(String[] argv) {
        Options o = new Options();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (!s.startsWith("--") || s.length() == 2) { o.inputs.add(s); continue; }
            String key = s.substring(2), value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) { value = key.substring(eq + 1); key = key.substring(0, eq); }
            if (REFUSED.containsKey(key)) throw new Bad("--" + key + ": " + REFUSED.get(key) + ".");
            boolean own = OWN_VALUED.contains(key) || OWN_FLAGS.contains(key);
            int seg = own ? 0 : Main.segmentOptionKind(key), ev = own ? 0 : Main.evaluationOptionKind(key);
            boolean valued = OWN_VALUED.contains(key) || seg == 2 || ev == 2;
            if (!own && seg == 0 && ev == 0) {
                throw new Bad("unknown option --" + key + " ('unseg spark-segment --help' lists its own options;"
                        + " 'unseg segment --help' the segmentation options it passes on).");
            }
            if (valued && value == null) {
                if (i + 1 >= argv.length) throw new Bad("--" + key + " needs a value.");
                value = argv[++i];
            }
            // a segmentation flag that is on by default is turned off as segment turns it off: --fill-holes=false
            boolean offOrOn = !own && value != null && (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("true"));
            if (!valued && value != null && !offOrOn) throw new Bad("--" + key + " takes no value" + (own ? "." : " (or =false to turn it off)."));
            if (own && !key.equals("input")) {
                // one value each (--input may repeat): a silent "last one wins" loses what was meant
                String before = o.given.putIfAbsent(key, String.valueOf(value));
                if (before != null && !before.equals(String.valueOf(value))) {
                    throw new Bad("--" + key + " is given twice (" + before + ", then " + value + "): give it once.");
                }
            }
            if (own) o.own(key, value);
            else {
                List<String> pass = valued ? List.of("--" + key, value) : List.of("--" + key + (value != null ? "=" + value : ""));
                if (seg != 0) o.segmentArgs.addAll(pass);
                if (ev != 0) o.evalArgs.addAll(pass);
            }
        }
        return o;
    }

    private void own(String key, String v) {
        switch (key) {
            case "input": inputs.add(v); break;
            case "output": output = v; break;
            case "master": master = v; break;
            case "truth": truth = v; break;
            case "model": model = v; break;
            case "method": method = v; break;
            case "fit-on": fitOn = v; break;
            case "partitions": partitions = positive(key, v); break;
            case "block-size": blockSize = positive(key, v); break;
            case "rois": rois = true; break;
            case "measurements": measurements = true; break;
            case "overwrite": overwrite = true; break;
            case "quiet": quiet = true; break;
            case "help": help = true; break;
            case "stitch": stitch = true; break;
            default: throw new IllegalStateException(key);
        }
    }

    private static int positive(String key, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Bad("--" + key + " must be a whole number >= 1, got '" + v + "'.");
    }

    boolean has(String segmentKey) {
        String k = "--" + segmentKey;
        return segmentArgs.stream().anyMatch(a -> a.equals(k) || a.startsWith(k + "="));   // --fill-holes=false typed too
    }
}

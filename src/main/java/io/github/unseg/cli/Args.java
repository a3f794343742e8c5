package io.github.unseg.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimal GNU-style options: --name value, --name=value, --flag; the rest are positional. An option
 * given twice with different values is refused (a silent "last one wins" loses what the user meant),
 * unless it is repeatable, as several --truth files for one image's annotators.
 */
final class Args {
    final Map<String, String> options = new LinkedHashMap<>();
    /** Every value given for each option, in order (more than one only for repeatable options or identical repeats). */
    final Map<String, List<String>> values = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    static Args parse(String[] argv, int from, Set<String> flags, Set<String> valued) {
        return parse(argv, from, flags, valued, Set.of());
    }

    static Args parse(String[] argv, int from, Set<String> flags, Set<String> valued, Set<String> repeatable) {
        Args a = new Args();
        for (int i = from; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) { value = name.substring(eq + 1); name = name.substring(0, eq); }
                if (flags.contains(name)) {
                    a.put(name, value == null ? "true" : value, repeatable);
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length) throw new UsageException("--" + name + " needs a value.");
                        value = argv[++i];
                    }
                    a.put(name, value, repeatable);
                } else {
                    String other = io.github.unseg.options.Options.notTakenHere(io.github.unseg.options.FrontEnd.CLI, name, "--" + name);
                    if (other != null) throw new UsageException(other);
                    java.util.List<String> known = new ArrayList<>(flags);
                    known.addAll(valued);
                    throw new UsageException("Unknown option --" + name + "."
                            + io.github.unseg.options.Closest.hint(name, known, "--"));
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    private void put(String name, String value, Set<String> repeatable) {
        List<String> vs = values.computeIfAbsent(name, k -> new ArrayList<>());
        if (!repeatable.contains(name) && !vs.isEmpty() && !vs.get(0).equals(value)) {
            throw new UsageException("--" + name + " is given twice (" + vs.get(0) + ", then " + value + "): give it once.");
        }
        vs.add(value);
        options.put(name, value);
    }

    String get(String k, String def) { return options.getOrDefault(k, def); }

    /** Every value of a repeatable option, in the order given (empty when absent). */
    List<String> all(String k) { return values.getOrDefault(k, List.of()); }

    boolean flag(String k) { return Boolean.parseBoolean(options.getOrDefault(k, "false")); }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        UsageException(String m) { super(m); }
    }
}

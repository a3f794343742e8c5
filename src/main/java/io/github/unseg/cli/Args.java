package io.github.unseg.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal GNU-style options: --name value, --name=value, --flag; the rest are positional. */
final class Args {
    final Map<String, String> options = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    static Args parse(String[] argv, int from, Set<String> flags, Set<String> valued) {
        Args a = new Args();
        for (int i = from; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) { value = name.substring(eq + 1); name = name.substring(0, eq); }
                if (flags.contains(name)) {
                    a.options.put(name, value == null ? "true" : value);
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length) throw new UsageException("--" + name + " needs a value.");
                        value = argv[++i];
                    }
                    a.options.put(name, value);
                } else {
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

    String get(String k, String def) { return options.getOrDefault(k, def); }

    boolean flag(String k) { return Boolean.parseBoolean(options.getOrDefault(k, "false")); }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        UsageException(String m) { super(m); }
    }
}

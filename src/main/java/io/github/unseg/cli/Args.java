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
                    throw new UsageException("Unknown option --" + name + ".");
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    String get(String k, String def) { return options.getOrDefault(k, def); }

    boolean flag(String k) { return Boolean.parseBoolean(options.getOrDefault(k, "false")); }

    int getInt(String k, int def) {
        String v = options.get(k);
        if (v == null) return def;
        try { return Integer.parseInt(v.trim()); }
        catch (NumberFormatException e) { throw new UsageException("--" + k + " needs a whole number, got '" + v + "'."); }
    }

    long getLong(String k, long def) {
        String v = options.get(k);
        if (v == null) return def;
        try { return Long.parseLong(v.trim()); }
        catch (NumberFormatException e) { throw new UsageException("--" + k + " needs a whole number, got '" + v + "'."); }
    }

    double getDouble(String k, double def) {
        String v = options.get(k);
        if (v == null) return def;
        try { return Double.parseDouble(v.trim()); }
        catch (NumberFormatException e) { throw new UsageException("--" + k + " needs a number, got '" + v + "'."); }
    }

    /** A whole number in [min, max], named as the user typed it. */
    int getInt(String k, int def, long min, long max) {
        int v = getInt(k, def);
        if (options.containsKey(k) && (v < min || v > max)) {
            throw new UsageException("--" + k + " " + options.get(k) + " is out of range: use " + range(min, max) + ".");
        }
        return v;
    }

    /** A number in [min, max] (finite), named as the user typed it. */
    double getDouble(String k, double def, double min, double max) {
        double v = getDouble(k, def);
        if (options.containsKey(k) && !(v >= min && v <= max)) {
            throw new UsageException("--" + k + " " + options.get(k) + " is out of range: use " + range(min, max) + ".");
        }
        return v;
    }

    static String range(double min, double max) {
        String lo = min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min);
        if (max >= Integer.MAX_VALUE || Double.isInfinite(max)) return "a value >= " + lo;
        String hi = max == Math.rint(max) ? Long.toString((long) max) : Double.toString(max);
        return "a value from " + lo + " to " + hi;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        UsageException(String m) { super(m); }
    }
}

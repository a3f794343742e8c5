package io.github.unseg.options;

import io.github.unseg.core.SegmentationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One user-facing setting, defined once: its name (the field it sets in the algorithm, the SciJava
 * parameter, and, mechanically, the macro key and the command-line flag), type, range, choices,
 * menu label and help. The default is the algorithm's own field initialiser unless the option has
 * no field (files, front-end switches), so a default is written in exactly one place.
 */
public final class Option {
    public enum Kind { INT, LONG, DOUBLE, BOOLEAN, CHOICE, TEXT, FILE }

    public final String name;
    public final Kind kind;
    public final String label;
    public final String help;
    double min = Double.NEGATIVE_INFINITY, max = Double.POSITIVE_INFINITY;
    int[] oneOf;
    boolean positive;
    List<String> choices = Collections.emptyList();
    final Map<String, String> valueAliases = new LinkedHashMap<>();
    /** Older spellings of the key, still accepted (command line: without the dashes). */
    final List<String> aliases = new ArrayList<>();
    Object fixedDefault;
    boolean hasFixedDefault;
    /** Set by the front end itself, not copied into a field (files, hints that need the image). */
    boolean frontEndOnly;
    Set<FrontEnd> frontEnds = EnumSet.allOf(FrontEnd.class);
    String notEverywhereWhy;
    Function<String, Object> parser;
    String placeholder;
    Function<Object, Object> toField = v -> v;

    private Option(String name, Kind kind, String label, String help) {
        this.name = name;
        this.kind = kind;
        this.label = label;
        this.help = help;
    }

    public static Option integer(String name, String label, String help) { return new Option(name, Kind.INT, label, help); }
    public static Option longInt(String name, String label, String help) { return new Option(name, Kind.LONG, label, help); }
    public static Option number(String name, String label, String help) { return new Option(name, Kind.DOUBLE, label, help); }
    public static Option flag(String name, String label, String help) { return new Option(name, Kind.BOOLEAN, label, help); }
    public static Option text(String name, String label, String help) { return new Option(name, Kind.TEXT, label, help); }
    public static Option file(String name, String label, String help) {
        Option o = new Option(name, Kind.FILE, label, help);
        o.frontEndOnly = true;
        return o.byDefault("");
    }

    public static Option choice(String name, String label, String help, String... choices) {
        Option o = new Option(name, Kind.CHOICE, label, help);
        o.choices = List.of(choices);
        return o;
    }

    public Option range(double lo, double hi) { min = lo; max = hi; return this; }
    public Option atLeast(double lo) { min = lo; return this; }
    public Option positive(double hi) { min = 0; max = hi; positive = true; return this; }
    public Option oneOf(int... values) { oneOf = values; return this; }
    public Option alias(String... keys) { aliases.addAll(Arrays.asList(keys)); return this; }
    public Option valueAlias(String alias, String canonical) { valueAliases.put(alias, canonical); return this; }
    public Option byDefault(Object v) { fixedDefault = v; hasFixedDefault = true; return this; }
    public Option frontEndOnly() { frontEndOnly = true; return this; }
    public Option parser(Function<String, Object> p) { parser = p; return this; }
    public Option toField(Function<Object, Object> f) { toField = f; return this; }
    /** What the value looks like in help texts ("LIST", "L|none"). */
    public Option placeholder(String p) { placeholder = p; return this; }
    public String placeholder() { return placeholder; }

    /** Only in these front ends, and why not in the others (said in the README's table). */
    public Option only(String why, FrontEnd first, FrontEnd... rest) {
        frontEnds = EnumSet.of(first, rest);
        notEverywhereWhy = why;
        return this;
    }

    public boolean in(FrontEnd fe) { return frontEnds.contains(fe); }
    public boolean isFrontEndOnly() { return frontEndOnly; }
    public boolean hasFixedDefault() { return hasFixedDefault; }
    public Object fixedDefault() { return fixedDefault; }
    public String whyNotEverywhere() { return notEverywhereWhy; }
    public List<String> choices() { return choices; }
    public List<String> aliases() { return Collections.unmodifiableList(aliases); }
    public double min() { return min; }
    public double max() { return max; }
    public int[] oneOfValues() { return oneOf; }

    /** Every key a user of fe may type for this option: the canonical one first. */
    public List<String> keys(FrontEnd fe) {
        List<String> k = new ArrayList<>();
        k.add(fe.key(name));
        for (String a : aliases) k.add(fe == FrontEnd.MACRO ? a.toLowerCase(Locale.ROOT) : a);
        return k;
    }

    /** The value typed as text, checked against type and range; messages name it as the user spelt it. */
    Object parse(String text, String spelt) {
        String t = text == null ? "" : text.trim();
        try {
            switch (kind) {
                case INT: return check(Integer.parseInt(t), spelt, text);
                case LONG: return check(Long.parseLong(t), spelt, text);
                case DOUBLE: {
                    double v = Double.parseDouble(t);
                    if (Double.isNaN(v)) throw new NumberFormatException();
                    return check(v, spelt, text);
                }
                case BOOLEAN: {
                    String b = t.toLowerCase(Locale.ROOT);
                    if (b.isEmpty() || b.equals("true") || b.equals("yes") || b.equals("1")) return Boolean.TRUE;
                    if (b.equals("false") || b.equals("no") || b.equals("0")) return Boolean.FALSE;
                    throw new SegmentationException(spelt + " " + text + ": use true or false.");
                }
                case CHOICE: return canonicalChoice(t, spelt);
                default: {
                    parsed(t, spelt); // checked now, before any long work
                    return t;
                }
            }
        } catch (NumberFormatException e) {
            throw new SegmentationException(spelt + " " + text + ": " + (kind == Kind.DOUBLE ? "not a number" : "not a whole number")
                    + "; use " + rangeText() + ".");
        }
    }

    /** A typed value (menus), checked as a typed-in one is. */
    Object check(Object v, String spelt) {
        if (v == null) return null;
        if (v instanceof String) return parse((String) v, spelt); // a script may pass text for anything
        if (kind == Kind.BOOLEAN && !(v instanceof Boolean)) return parse(v.toString(), spelt);
        if ((kind == Kind.INT || kind == Kind.LONG || kind == Kind.DOUBLE) && !(v instanceof Number)) return parse(v.toString(), spelt);
        switch (kind) {
            case INT: return check(((Number) v).intValue(), spelt, v.toString());
            case LONG: return check(((Number) v).longValue(), spelt, v.toString());
            case DOUBLE: return check(((Number) v).doubleValue(), spelt, v.toString());
            case CHOICE: return canonicalChoice(v.toString(), spelt);
            case TEXT: parsed(v.toString().trim(), spelt); return v.toString().trim();
            default: return v;
        }
    }

    /** Runs the parser; its message is prefixed with the option as the user spelt it. */
    private void parsed(String t, String spelt) {
        if (parser == null) return;
        try {
            parser.apply(t);
        } catch (SegmentationException e) {
            throw new SegmentationException(spelt + " " + t + ": " + e.getMessage());
        }
    }

    private String canonicalChoice(String t, String spelt) {
        for (String c : choices) if (c.equalsIgnoreCase(t)) return c;
        String a = valueAliases.get(t.toLowerCase(Locale.ROOT));
        if (a != null) return a;
        throw new SegmentationException(spelt + " " + t + ": use one of " + String.join(", ", choices) + ".");
    }

    private <N extends Number> N check(N v, String spelt, String text) {
        double d = v.doubleValue();
        boolean ok = (positive ? d > min : d >= min) && d <= max && !Double.isInfinite(d);
        if (ok && oneOf != null) {
            ok = false;
            for (int x : oneOf) ok |= x == d;
        }
        if (!ok) throw new SegmentationException(spelt + " " + text + " is out of range: use " + rangeText() + ".");
        return v;
    }

    /** "a value from 1 to 65535", "1 or 3", "a value >= 0". */
    public String rangeText() {
        if (oneOf != null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < oneOf.length; i++) sb.append(i == 0 ? "" : i == oneOf.length - 1 ? " or " : ", ").append(oneOf[i]);
            return sb.toString();
        }
        String lo = fmt(min), hi = fmt(max);
        if (kind != Kind.INT && kind != Kind.LONG && kind != Kind.DOUBLE) return "a value";
        if (positive) return max == Double.POSITIVE_INFINITY ? "a value > 0" : "a value > 0 and <= " + hi;
        if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) return kind == Kind.DOUBLE ? "a number" : "a whole number";
        if (max == Double.POSITIVE_INFINITY || max >= Integer.MAX_VALUE) return "a value >= " + lo;
        return "a value from " + lo + " to " + hi;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    @Override public String toString() { return name; }
}

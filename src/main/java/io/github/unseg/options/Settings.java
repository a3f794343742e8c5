package io.github.unseg.options;

import io.github.unseg.core.SegmentationException;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The options a user gave in one front end, parsed and range-checked as they arrive (before any
 * work), remembered with the key the user typed so that every later message names the option in
 * that spelling. {@link #applyTo} copies them into the algorithm's fields of the same names.
 */
public final class Settings {
    public final FrontEnd frontEnd;
    private final Map<String, Option> byKey = new LinkedHashMap<>();
    private final Map<String, Option> scope = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> typed = new LinkedHashMap<>();
    /** Names of options that exist elsewhere (another method), for "works with ... only". */
    private final java.util.function.Function<String, String> elsewhere;

    /**
     * @param inScope   the options this command takes
     * @param elsewhere for a key outside the scope: which methods take it (a phrase), or null if none
     */
    public Settings(FrontEnd fe, Collection<Option> inScope, java.util.function.Function<String, String> elsewhere) {
        this.frontEnd = fe;
        this.elsewhere = elsewhere;
        for (Option o : inScope) {
            if (!o.in(fe)) continue;
            scope.put(o.name, o);
            for (String k : o.keys(fe)) byKey.put(fe == FrontEnd.CLI ? k : k.toLowerCase(Locale.ROOT), o);
        }
    }

    public Settings(FrontEnd fe, Collection<Option> inScope) { this(fe, inScope, k -> null); }

    /** The option a typed key names here, or null. */
    public Option option(String key) {
        return byKey.get(frontEnd == FrontEnd.CLI ? key : key.toLowerCase(Locale.ROOT));
    }

    public Collection<Option> options() { return scope.values(); }

    /** A value typed as text under the given key; refuses unknown keys and bad values. */
    public Settings put(String key, String text) {
        Option o = option(key);
        if (o == null) throw unknown(key);
        String spelt = frontEnd == FrontEnd.CLI ? "--" + key : frontEnd == FrontEnd.MACRO ? key : frontEnd.spell(o, key);
        if (values.containsKey(o.name) && !key.equals(typed.get(o.name)) && frontEnd != FrontEnd.MENU) {
            throw new SegmentationException(spelt + " and " + spell(o.name) + " are the same option: give it once.");
        }
        values.put(o.name, o.parse(text, spelt));
        typed.put(o.name, key);
        return this;
    }

    /** A typed value (a menu's field), checked as text would be. */
    public Settings putValue(String name, Object value) {
        Option o = scope.get(name);
        if (o == null) throw unknown(name);
        values.put(name, o.check(value, frontEnd.spell(o, null)));
        return this;
    }

    private SegmentationException unknown(String key) {
        String shown = frontEnd == FrontEnd.CLI ? "--" + key : "'" + key + "'";
        String where = elsewhere.apply(key);
        if (where != null) return new SegmentationException(shown + " works with " + where + " only.");
        String other = Options.notTakenHere(frontEnd, key, shown);
        if (other != null) return new SegmentationException(other);
        StringBuilder known = new StringBuilder();
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (Option o : scope.values()) {
            String k = frontEnd.key(o.name);
            keys.add(k);
            known.append(known.length() == 0 ? "" : " ").append(frontEnd == FrontEnd.CLI ? "--" : "").append(k);
        }
        String hint = Closest.hint(key, keys, frontEnd == FrontEnd.CLI ? "--" : "");
        return new SegmentationException("Unknown option " + shown + "." + hint + " The options are: " + known + ".");
    }

    public boolean has(String name) { return values.containsKey(name); }

    public Object get(String name) { return values.get(name); }

    public String text(String name, String def) { Object v = values.get(name); return v == null ? def : v.toString(); }

    public boolean flag(String name) { return Boolean.TRUE.equals(values.get(name)); }

    public int integer(String name, int def) { Object v = values.get(name); return v == null ? def : ((Number) v).intValue(); }

    /** The option as the user named it in this front end ("--clusters", "nclusters=", "'Number of clusters'"). */
    public String spell(String name) {
        Option o = scope.get(name);
        if (o == null) return name;
        String k = typed.get(name);
        return frontEnd == FrontEnd.CLI ? "--" + (k != null ? k : frontEnd.key(name)) : frontEnd.spell(o, k);
    }

    /**
     * Copies every given value whose option has a public field of the same name in target into
     * that field (converting text to enums and slices); returns how many.
     */
    public int applyTo(Object target) { return applyTo(target, null); }

    /** As above, but values equal to the field's value in defaults (an object of the same class) are left out. */
    public int applyTo(Object target, Object defaults) {
        if (target == null) return 0;
        int n = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Option o = scope.get(e.getKey());
            if (o == null || o.frontEndOnly) continue;
            Field f = field(target.getClass(), o.name);
            if (f == null) continue;
            if (defaults != null && !chose(o.name, defaults)) continue;
            try {
                f.set(target, convert(o, o.toField.apply(e.getValue()), f.getType()));
            } catch (IllegalAccessException ex) {
                throw new IllegalStateException("option " + o.name + " cannot set " + f, ex);
            }
            n++;
        }
        return n;
    }

    /**
     * Whether the user chose this option's value: given, and other than the field's value in defaults
     * (an object of the target's class; null: any given value). A menu, which shows every field,
     * passes defaults.
     */
    public boolean chose(String name, Object defaults) {
        if (!values.containsKey(name)) return false;
        Option o = scope.get(name);
        Field f = defaults == null || o == null || o.frontEndOnly ? null : field(defaults.getClass(), o.name);
        if (f == null) return true;
        try {
            return !java.util.Objects.deepEquals(convert(o, o.toField.apply(values.get(name)), f.getType()), f.get(defaults));
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException("option " + o.name + " cannot read " + f, ex);
        }
    }

    /** The public, non-final field of that name, or null. */
    public static Field field(Class<?> c, String name) {
        try {
            Field f = c.getField(name);
            return Modifier.isFinal(f.getModifiers()) || Modifier.isStatic(f.getModifiers()) ? null : f;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    static Object convert(Option o, Object v, Class<?> type) {
        if (v == null) return null;
        if (type.isInstance(v) || (type.isPrimitive() && !(v instanceof String))) {
            if (type == int.class) return ((Number) v).intValue();
            if (type == long.class) return ((Number) v).longValue();
            if (type == double.class) return ((Number) v).doubleValue();
            return v;
        }
        String s = v.toString();
        if (o.parser != null) return o.parser.apply(s);
        if (type.isEnum()) {
            try {
                Method parse = type.getMethod("parse", String.class);
                return parse.invoke(null, s);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("enum " + type + " needs parse(String) for option " + o.name, e);
            }
        }
        throw new IllegalStateException("option " + o.name + ": cannot put " + v.getClass().getSimpleName() + " into " + type);
    }

    /** The default of an option: its fixed default, or the initial value of the first target's field of that name. */
    public static Object defaultOf(Option o, Object... targets) {
        if (o.hasFixedDefault) return o.fixedDefault;
        for (Object t : targets) {
            if (t == null) continue;
            Field f = field(t.getClass(), o.name);
            if (f == null) continue;
            try {
                return shown(o, f.get(t));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("option " + o.name + " has no default: no field in " + java.util.Arrays.toString(targets));
    }

    /** A field value as the option shows it: enums by their label, slices as text. */
    static Object shown(Option o, Object v) {
        if (v instanceof Enum) {
            try {
                return v.getClass().getMethod("label").invoke(v).toString();
            } catch (ReflectiveOperationException e) {
                return ((Enum<?>) v).name().toLowerCase(Locale.ROOT);
            }
        }
        if (v instanceof int[]) {
            StringBuilder sb = new StringBuilder();
            for (int x : (int[]) v) sb.append(sb.length() == 0 ? "" : ",").append(x);
            return sb.toString();
        }
        if (v instanceof double[]) {
            StringBuilder sb = new StringBuilder();
            for (double x : (double[]) v) sb.append(sb.length() == 0 ? "" : ",").append(Option.fmt(x));
            return sb.toString();
        }
        if (v == null && (o.kind == Option.Kind.TEXT || o.kind == Option.Kind.FILE)) return "";
        if (v != null && o.kind == Option.Kind.CHOICE) return v.toString();
        return v;
    }
}

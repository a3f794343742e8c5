package io.github.unseg.options;

import java.util.Locale;

/**
 * Where a user sets options. Each spells an option its own way, derived from the option's name
 * (camelCase): the command line in kebab case ({@code --n-clusters}), macros in lower case as
 * ImageJ's recorder writes a SciJava command's parameters ({@code nclusters=3}), menus by label.
 */
public enum FrontEnd {
    CLI, MACRO, MENU;

    /** The key the user types for this option (menus: the parameter name). */
    public String key(String optionName) {
        switch (this) {
            case CLI: return kebab(optionName);
            case MACRO: return optionName.toLowerCase(Locale.ROOT);
            default: return optionName;
        }
    }

    /** How a message names the option, given the key the user typed (null: the canonical one). */
    public String spell(Option o, String typed) {
        String k = typed != null ? typed : key(o.name);
        switch (this) {
            case CLI: return "--" + k;
            case MACRO: return o.kind == Option.Kind.BOOLEAN ? k : k + "=";   // a flag is written bare: 'objects'
            default: return "'" + o.label + "' (" + o.name + ")";
        }
    }

    /**
     * A message in this front end's spelling. The algorithms name options by field
     * ({@code mergeTexture}), which a command-line user never typed; each camel-case option name
     * becomes {@code --merge-texture}, {@code mergetexture} or {@code 'Merge texture' (mergeTexture)}.
     * Single-word names (padding, seed) read the same everywhere and are left alone, as is a
     * name the message already spells this front end's way.
     */
    public String respell(String message) {
        if (message == null) return null;
        String out = message;
        for (Option o : Options.all()) {
            String n = o.name;
            if (n.equals(n.toLowerCase(Locale.ROOT)) || !out.contains(n)) continue;
            String spelt = bare(spell(o, null));
            if (this == MENU ? out.contains(o.label) : out.contains(spelt)) continue;
            // a word of its own: not part of a path, file name or longer identifier
            out = out.replaceAll("(?<![\\w'/\\\\.-])" + java.util.regex.Pattern.quote(n) + "(?![\\w'/\\\\]|\\.\\w)",
                    java.util.regex.Matcher.quoteReplacement(spelt));
        }
        return out;
    }

    /** An on/off option as spelt (spell's result), turned off: "--fill-holes=false", "fillholes=false", "'Fill holes' (fillHoles) unticked". */
    public static String off(String spelt) { return spelt.startsWith("'") ? spelt + " unticked" : bare(spelt) + "=false"; }

    /** An option as spelt (spell's result) with a value, for messages: "--n-clusters 4", "nclusters=4". */
    public static String withValue(String spelt, Object value) { return spelt + (spelt.endsWith("=") ? "" : " ") + value; }

    /** An option as spelt, without a macro key's "=", for messages like "nclusters takes ...". */
    public static String bare(String spelt) { return spelt.endsWith("=") ? spelt.substring(0, spelt.length() - 1) : spelt; }

    /** nClusters -> n-clusters, zKernel -> z-kernel. */
    public static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) sb.append('-').append(Character.toLowerCase(ch));
            else sb.append(ch);
        }
        return sb.toString();
    }
}

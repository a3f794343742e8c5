package io.github.unseg.ij.commands;

import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Option;
import io.github.unseg.options.Settings;
import org.scijava.command.DynamicCommand;
import org.scijava.module.DefaultMutableModuleItem;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.util.List;

/** SciJava parameters made from the option table, and their values read back as settings. */
final class OptionInputs {
    private OptionInputs() { }

    /** One parameter per option (of the menu) into the command's info, with its default as the value. */
    static void add(DynamicCommand cmd, org.scijava.command.DynamicCommandInfo info, List<Option> options, Object[] targets) {
        add(cmd, info, options, targets, Option::choices);
    }

    /** As above, with the choices the command offers for each choice option (a method may refuse some). */
    static void add(DynamicCommand cmd, org.scijava.command.DynamicCommandInfo info, List<Option> options, Object[] targets,
                    java.util.function.Function<Option, List<String>> choices) {
        for (Option o : options) {
            if (!o.in(FrontEnd.MENU)) continue;
            Object def = Settings.defaultOf(o, targets);
            DefaultMutableModuleItem<?> item = item(cmd, o, def, choices.apply(o));
            item.setLabel(o.label);
            item.setDescription(o.help);
            info.addInput(item);
            if (cmd.getInput(o.name) == null && def != null && !(o.kind == Option.Kind.FILE)) cmd.setInput(o.name, def);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DefaultMutableModuleItem<?> item(DynamicCommand cmd, Option o, Object def, List<String> choices) {
        switch (o.kind) {
            case INT: return numeric(new DefaultMutableModuleItem<>(cmd, o.name, Integer.class), o, v -> (int) v, def);
            case LONG: return numeric(new DefaultMutableModuleItem<>(cmd, o.name, Long.class), o, v -> (long) v, def);
            case DOUBLE: return numeric(new DefaultMutableModuleItem<>(cmd, o.name, Double.class), o, v -> v, def);
            case BOOLEAN: {
                DefaultMutableModuleItem<Boolean> i = new DefaultMutableModuleItem<>(cmd, o.name, Boolean.class);
                i.setDefaultValue((Boolean) def);
                return i;
            }
            case CHOICE: {
                DefaultMutableModuleItem<String> i = new DefaultMutableModuleItem<>(cmd, o.name, String.class);
                i.setChoices(choices);
                i.setDefaultValue((String) def);
                return i;
            }
            case FILE: {
                DefaultMutableModuleItem<File> i = new DefaultMutableModuleItem<>(cmd, o.name, File.class);
                i.setRequired(false);
                i.setPersisted(false);
                i.setWidgetStyle(o.name.equals("model") ? FileWidget.OPEN_STYLE : FileWidget.SAVE_STYLE);
                return i;
            }
            default: {
                DefaultMutableModuleItem<String> i = new DefaultMutableModuleItem<>(cmd, o.name, String.class);
                i.setRequired(false);
                i.setDefaultValue(def == null ? "" : def.toString());
                i.setPersisted(false); // a mistyped text (a threshold list...) must not come back next time
                return i;
            }
        }
    }

    private static <N extends Number> DefaultMutableModuleItem<N> numeric(DefaultMutableModuleItem<N> i, Option o,
                                                                          java.util.function.DoubleFunction<Object> cast, Object def) {
        @SuppressWarnings("unchecked") java.util.function.DoubleFunction<N> c = v -> (N) cast.apply(v);
        if (o.min() > Double.NEGATIVE_INFINITY) i.setMinimumValue(c.apply(o.min()));
        if (o.max() < Double.POSITIVE_INFINITY) i.setMaximumValue(c.apply(o.max()));
        if (def != null) i.setDefaultValue(c.apply(((Number) def).doubleValue()));
        return i;
    }

    /** The parameters' values, checked by the table (a script may pass anything). */
    static Settings settings(DynamicCommand cmd, List<Option> options) {
        Settings s = new Settings(FrontEnd.MENU, options);
        for (Option o : options) {
            if (!o.in(FrontEnd.MENU)) continue;
            Object v = cmd.getInput(o.name);
            if (v == null) continue;
            if (v instanceof File) v = ((File) v).getPath().isEmpty() ? null : v;
            if (v == null || (o.kind == Option.Kind.TEXT && v.toString().trim().isEmpty() && !o.name.equals("trainingSlices"))) continue;
            s.putValue(o.name, v);
        }
        return s;
    }
}

package io.github.unseg.ij.launcher;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.scijava.Context;
import org.scijava.ItemIO;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an UnSeg SciJava command from plain ImageJ 1.x: a GenericDialog built from the command's
 * own @Parameter inputs (labels are the parameter names, so macro keys are the names in lower
 * case, as in Fiji), then the command through SciJava's CommandService. ImageJ's macro recorder
 * and macro options work as for any ImageJ dialog. Only the plain-ImageJ launcher lists it in the
 * menus, so Fiji (which runs the commands itself) shows each entry once.
 */
public class CommandPlugin implements PlugIn {
    private static Context context;

    static synchronized Context context() {
        if (context == null) context = new Context();
        return context;
    }

    /** @param arg the command's class name */
    @Override
    public void run(String arg) {
        CommandService cs = context().service(CommandService.class);
        CommandInfo info = cs.getCommand(arg);
        if (info == null) {
            IJ.error("UnSeg", "No command " + arg + " on the class path.");
            return;
        }
        ModuleService ms = context().service(ModuleService.class);
        // the module itself: a DynamicCommand's parameters (the option table's) exist only there
        Module defaults = ms.createModule(info);
        if (defaults == null) {
            IJ.error("UnSeg", "Cannot create " + arg + ".");
            return;
        }
        List<ModuleItem<?>> items = new ArrayList<>();
        GenericDialog gd = dialog(info, defaults, items);
        if (gd == null) return;
        if (defaults instanceof org.scijava.command.Previewable) gd.addDialogListener(previewer(defaults, items));
        gd.showDialog();
        if (gd.wasCanceled()) {
            if (defaults instanceof org.scijava.command.Previewable) ((org.scijava.command.Previewable) defaults).cancel();  // its overlay goes
            return;
        }
        gd.resetCounters();
        Map<String, Object> inputs = values(gd, items);
        try {
            // the dialog's own module runs: what its preview trained is there (a CNN's network)
            Module m = ms.run(defaults, true, inputs).get();
            org.scijava.Cancelable c = (org.scijava.Cancelable) m;
            if (c.isCanceled()) {
                String why = c.getCancelReason();
                if (why != null && !why.equals("Cancelled.")) {
                    if (IJ.getInstance() != null) IJ.error("UnSeg", why);
                    else IJ.log("UnSeg: " + why);
                }
                return;
            }
            for (ModuleItem<?> out : m.getInfo().outputs()) {
                Object v = m.getOutput(out.getName());
                if (v instanceof ImagePlus) ((ImagePlus) v).show();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            IJ.handleException(e);
        }
    }

    /**
     * The dialog's preview, as Fiji's dialogs give one: each change puts the fields into the
     * command (the dialog's own module, not the one that runs on OK) and asks it to preview.
     */
    static ij.gui.DialogListener previewer(Module command, List<ModuleItem<?>> items) {
        return (gd, e) -> {
            gd.resetCounters();
            Map<String, Object> v = values(gd, items);
            gd.resetCounters();
            for (Map.Entry<String, Object> i : v.entrySet()) command.setInput(i.getKey(), i.getValue());
            ((org.scijava.command.Previewable) command).preview();
            return true;   // a value the command refuses is said in its preview, the dialog stays usable
        };
    }

    /** The dialog's values by input name, read in the dialog's order. */
    static Map<String, Object> values(GenericDialog gd, List<ModuleItem<?>> items) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            Class<?> t = item.getType();
            Object v;
            if (t == ImagePlus.class) v = gd.getNextImage();
            else if (t == boolean.class || t == Boolean.class) v = gd.getNextBoolean();
            else if (t == int.class || t == Integer.class) v = (int) Math.round(gd.getNextNumber());
            else if (t == long.class || t == Long.class) v = Math.round(gd.getNextNumber());
            else if (t == float.class || t == Float.class) v = (float) gd.getNextNumber();
            else if (t == double.class || t == Double.class) v = gd.getNextNumber();
            else if (t == String.class && item.getChoices() != null && !item.getChoices().isEmpty()) v = gd.getNextChoice();
            else if (t == File.class) { String s = gd.getNextString(); v = s == null || s.trim().isEmpty() ? null : new File(s.trim()); }
            else v = gd.getNextString();
            // Every dialog field counts as answered, an empty file too: SciJava would otherwise ask
            // again for a lone unanswered file (FilePreprocessor) and cancel when nobody answers.
            inputs.put(item.getName(), v);
        }
        return inputs;
    }

    /**
     * The command's dialog: one field per settable input, in the command's order, labelled with
     * the parameter names (the macro keys); those inputs into items. Null (after a message) when
     * the command needs an image and none is open.
     */
    static GenericDialog dialog(CommandInfo info, Module defaults, List<ModuleItem<?>> items) {
        // non-blocking (headless: the plain one, which a macro's options fill without showing it):
        // with the dialog open the user can move the image's slider, and a preview follows it
        GenericDialog gd = ij.gui.NonBlockingGenericDialog.newDialog(info.getTitle());
        for (ModuleItem<?> item : defaults.getInfo().inputs()) {
            Class<?> t = item.getType();
            if (Service.class.isAssignableFrom(t) || Context.class.isAssignableFrom(t) || item.getIOType() == ItemIO.OUTPUT) continue;
            Object def = defaults.getInput(item.getName());
            String name = item.getName();
            // two fields a row: the CNN's fifty would not fit a screen in one column (GenericDialog does not scroll)
            if (items.size() % 2 == 1) gd.addToSameRow();
            if (t == ImagePlus.class) {
                if (WindowManager.getImageCount() == 0) {
                    IJ.error("UnSeg", "Open an image first (" + info.getTitle() + " needs one).");
                    return null;
                }
                ImagePlus cur = WindowManager.getCurrentImage();
                gd.addImageChoice(name, cur == null ? null : cur.getTitle());
            } else if (t == boolean.class || t == Boolean.class) {
                gd.addCheckbox(name, def != null && (Boolean) def);
            } else if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
                gd.addNumericField(name, def == null ? 0 : ((Number) def).doubleValue(), 0);
            } else if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
                double v = def == null ? 0 : ((Number) def).doubleValue();
                gd.addNumericField(name, v, v != 0 && Math.abs(v) < 1e-2 ? 8 : 4);
            } else if (t == String.class && item.getChoices() != null && !item.getChoices().isEmpty()) {
                List<?> ch = item.getChoices();
                String[] choices = new String[ch.size()];
                for (int i = 0; i < choices.length; i++) choices[i] = ch.get(i).toString();
                gd.addChoice(name, choices, def == null ? choices[0] : def.toString());
            } else if (t == File.class) {
                gd.addFileField(name, def == null ? "" : def.toString());
            } else if (t == String.class) {
                gd.addStringField(name, def == null ? "" : def.toString(), 20);
            } else {
                continue; // not settable from a dialog; the command's default applies
            }
            items.add(item);
        }
        return gd;
    }
}

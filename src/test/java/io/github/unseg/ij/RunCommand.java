package io.github.unseg.ij;

import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import java.util.List;

/**
 * Runs a command as Fiji does, through the ModuleService (SciJava's CommandService gives no
 * Future for a DynamicCommand, which UnSeg's segmentation commands are).
 */
public final class RunCommand {
    private final Context context;

    public RunCommand(Context context) { this.context = context; }

    public List<CommandInfo> getCommands() { return context.service(CommandService.class).getCommands(); }

    public Result run(Class<?> command, boolean process, Object... inputs) throws Exception {
        ModuleService ms = context.service(ModuleService.class);
        return new Result(ms.run(context.service(CommandService.class).getCommand(command.getName()), process, inputs).get());
    }

    /** A finished command: its outputs and whether (and why) it cancelled. */
    public static final class Result {
        public final Module module;

        Result(Module m) { module = m; }

        public Object getOutput(String name) { return module.getOutput(name); }
        public Object getInput(String name) { return module.getInput(name); }
        public boolean isCanceled() { return ((Cancelable) module).isCanceled(); }
        public String getCancelReason() { return ((Cancelable) module).getCancelReason(); }
    }
}

package io.github.unseg.ij.launcher;

import ij.ImageJ;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Starts plain ImageJ (net.imagej:ij) with UnSeg's commands in Plugins > Segmentation > UnSeg,
 * for users without Fiji and for tests that drive a real ImageJ. ImageJ 1.x reads menu entries from
 * a plugins.config inside a jar in its plugins folder; the launcher writes such a jar, listing
 * every UnSeg SciJava command as a {@link CommandPlugin}, into a folder of its own and points
 * ImageJ there. UnSeg's own jar carries no plugins.config, so in Fiji nothing shows twice.
 * Arguments are ImageJ's (e.g. -batch macro.ijm args).
 */
public final class UnSegLauncher {
    private UnSegLauncher() { }

    public static void main(String[] args) throws IOException {
        File dir = prepareMenus();
        System.setProperty("plugins.dir", dir.getPath());
        ImageJ.main(args);
    }

    /** A folder with plugins/UnSeg_Launcher.jar holding the plugins.config of every UnSeg command. */
    public static File prepareMenus() throws IOException {
        File dir = Files.createTempDirectory("unseg-imagej").toFile();
        File plugins = new File(dir, "plugins");
        if (!plugins.mkdirs()) throw new IOException("Cannot create " + plugins);
        File jar = new File(plugins, "UnSeg_Launcher.jar");
        try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar))) {
            out.putNextEntry(new JarEntry("plugins.config"));
            out.write(pluginsConfig().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        dir.deleteOnExit();
        plugins.deleteOnExit();
        jar.deleteOnExit();
        return dir;
    }

    /** One line per command: menu path, its title, and the CommandPlugin that runs it. */
    public static String pluginsConfig() {
        Context ctx = CommandPlugin.context();
        List<String> lines = new ArrayList<>();
        lines.add("# Written by UnSeg's plain-ImageJ launcher");
        for (CommandInfo info : ctx.service(CommandService.class).getCommands()) {
            if (!info.getClassName().startsWith("io.github.unseg.")) continue;
            String path = info.getMenuPath().getMenuString().replace(" > ", ">");
            int cut = path.lastIndexOf('>');
            String menu = path.substring(0, cut), title = path.substring(cut + 1);
            lines.add(menu + ", \"" + title + "\", " + CommandPlugin.class.getName() + "(\"" + info.getClassName() + "\")");
        }
        return String.join("\n", lines) + "\n";
    }
}

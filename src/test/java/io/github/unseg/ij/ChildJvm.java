package io.github.unseg.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** For tests that start ImageJ in a JVM of its own. */
public final class ChildJvm {
    private ChildJvm() { }

    /** A fresh preference folder for the child, under target/ (one in /tmp would be left behind). */
    public static String prefsOption() throws IOException {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        return "-Djava.util.prefs.userRoot=" + Files.createTempDirectory(target, "prefs");
    }
}

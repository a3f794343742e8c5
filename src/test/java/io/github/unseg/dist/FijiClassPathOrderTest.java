package io.github.unseg.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nd4j-api carries ~600 org.tensorflow.framework classes that the TensorFlow proto jar of the
 * CSBDeep/StarDist sites also holds (compiled against an unshaded protobuf that Fiji may lack).
 * Whichever jar comes first on the class path wins. Fiji's launcher (Jaunch, config/fiji.toml:
 * '${app-dir}/jars/*.jar') sorts the files by path, so jars/nd4j-api.jar comes before
 * jars/proto-1.15.0.jar. This runs the CNN in a child JVM with the class path in that order and
 * the proto jar present.
 */
class FijiClassPathOrderTest {

    /** The file name a jar has in Fiji.app/jars: the site's name for what UnSeg ships, Fiji's versioned name otherwise. */
    static String fijiName(File jar) {
        String n = jar.getName();
        if (n.startsWith("proto-") || n.startsWith("ij-") || n.startsWith("junit") || n.startsWith("opentest4j")
                || n.startsWith("apiguardian")) return "jars/" + n;
        return UpdateSiteBuilder.sitePath(jar);
    }

    @Test
    void cnnRunsWithTheTensorFlowProtoJarInFijisLauncherOrder(@TempDir Path dir) throws Exception {
        List<File> jars = new ArrayList<>();
        String proto = null;
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(p);
            if (f.getName().startsWith("proto-1.15.0")) proto = p;
            jars.add(f);
        }
        assertTrue(proto != null, "the TensorFlow proto jar is a test dependency");
        // Directories (target/classes) stand for jars/unseg.jar.
        jars.sort(Comparator.comparing(f -> f.isDirectory() ? "jars/unseg.jar" : fijiName(f)));
        List<String> names = new ArrayList<>();
        for (File f : jars) names.add(f.isDirectory() ? "jars/unseg.jar" : fijiName(f));
        assertTrue(names.indexOf("jars/nd4j-api.jar") < names.indexOf("jars/proto-1.15.0.jar"), names.toString());

        StringBuilder cp = new StringBuilder();
        for (File f : jars) cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(f);
        Path out = dir.resolve("labels.tif");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", cp.toString(), "io.github.unseg.cli.Main",
                "segment", "--method", "cnn", "--channels", "8", "--max-iterations", "3",
                Path.of("samples/dsb2018_nuclei.tif").toAbsolutePath().toString(), "--labels", out.toString(), "--quiet");
        File log = dir.resolve("child.log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CNN did not finish in 180 s");
        }
        String text = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(Files.size(out) > 0, text);
    }
}

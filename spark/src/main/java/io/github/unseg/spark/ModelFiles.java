package io.github.unseg.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broadcast model as a file on each worker, written once per JVM: {@code segment --model}
 * reads a file, and the same command on every worker gives the single machine's labels.
 */
final class ModelFiles {
    private ModelFiles() { }

    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    /**
     * The loaded model per task thread: building a network from JSON costs more than labelling a
     * photo with it (CNN: 0.35 s of 0.47 s per BSDS image), so each worker thread loads it once,
     * as a single-machine batch does. Per thread, because a model's prediction buffers are its own.
     */
    private static final ThreadLocal<Map<String, io.github.unseg.segment.SegmentationModel>> LOADED =
            ThreadLocal.withInitial(java.util.HashMap::new);

    static io.github.unseg.segment.SegmentationModel model(String json) {
        Map<String, io.github.unseg.segment.SegmentationModel> m = LOADED.get();
        if (!m.containsKey(json)) {
            if (m.size() > 4) m.clear();           // a long-lived executor running several jobs
            m.put(json, io.github.unseg.methods.Methods.load(of(json)));
        }
        return m.get(json);
    }

    static Path of(String json) {
        return FILES.computeIfAbsent(json, j -> {
            try {
                Path p = Files.createTempFile("unseg-model-", ".json");
                p.toFile().deleteOnExit();
                Files.writeString(p, j, StandardCharsets.UTF_8);
                return p;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not write the model to a temporary file: " + e.getMessage(), e);
            }
        });
    }
}

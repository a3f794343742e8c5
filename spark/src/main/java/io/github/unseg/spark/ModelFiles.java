package io.github.unseg.spark;

import java.util.Map;

/**
 * The broadcast model on each worker, loaded from its JSON text: no file is written (a killed
 * executor used to leave its temporary copies behind), and {@code segment --model NAME} runs
 * with it preloaded, so every worker gives the single machine's labels.
 */
final class ModelFiles {
    private ModelFiles() { }

    /** What {@code --model} says on a worker: the model is passed in, not read from a file. */
    static final String NAME = "(the broadcast model)";

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
            m.put(json, io.github.unseg.methods.Methods.fromText(json, NAME));
        }
        return m.get(json);
    }
}

package io.tracestream.analyses;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The state models shared by all the passes of one partition, one instance per model type: when several analyses of
 * a run need the same model (e.g. the file descriptor and I/O automaton of the system call, I/O and memory
 * analyses), they get the same instance, so the model runs once per event instead of once per analysis.
 *
 * <p>The {@link AnalysisTask} owns it and hands it to every pass ({@link AnalysisPass#attach(SharedModels)}) before
 * the first event. It is serialized with the task, so the passes and their shared models keep pointing at the same
 * objects after a split boundary.
 */
public final class SharedModels implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, Serializable> models = new LinkedHashMap<>();

    /**
     * The partition's instance of the model {@code type}, created with {@code factory} on the first request.
     *
     * @param <T>     the model type (serializable: it crosses split boundaries with the task)
     * @param type    the key: one instance per type
     * @param factory makes the instance on first request
     * @return the shared instance
     */
    public <T extends Serializable> T get(Class<T> type, Supplier<? extends T> factory) {
        Serializable m = models.get(type.getName());
        if (m == null) {
            m = factory.get();
            models.put(type.getName(), m);
        }
        return type.cast(m);
    }
}

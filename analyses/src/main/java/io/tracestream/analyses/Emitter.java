package io.tracestream.analyses;

/** Where a pass emits its keyed partial results; the engine reduces them per key (and per window). */
public interface Emitter {
    /** Emits a partial for {@code key} (an equals/hashCode value object, Serializable for distributed engines). */
    <T extends Mergeable<T>> void emit(Object key, T partial);
}

package io.tracestream.analyses;

import java.io.Serializable;

/**
 * A partial result for one key that combines with another partial of the same key: the per-key reduction of an
 * analysis. {@code merge} must be associative (partials from different partitions or splits arrive in any grouping),
 * and, when the order of partials matters (e.g. a chronological list), it must use the data's own timestamps rather
 * than the order of arrival. It may modify and return {@code this}.
 */
public interface Mergeable<T extends Mergeable<T>> extends Serializable {
    T merge(T other);
}

package io.tracestream.spark.analyses;

import java.io.Serializable;

/** What a slice task returns: its chain and the serialized task state at the end of the slice. */
record SliceResult(int chain, byte[] task) implements Serializable {
}

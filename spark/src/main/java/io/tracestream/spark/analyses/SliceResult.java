package io.tracestream.spark.analyses;

import java.io.Serializable;

/**
 * What a slice task returns: its chain and the serialized task state at the end of the slice, or the one-line error
 * that stopped the chain (the driver reports the error of the first failing chain, as the local engine does).
 */
record SliceResult(int chain, byte[] task, String error) implements Serializable {
}

package io.tracestream.ctf.meta;

import java.util.List;

/**
 * A resolved reference to an earlier field, used for sequence/dynamic lengths and variant/optional selectors.
 *
 * <p>{@code scope} is the root scope where the path starts and {@code names} the member names from that root
 * (CTF 1.8 relative paths are resolved to absolute ones by the TSDL parser; CTF 2 relative locations are resolved
 * by the JSON parser). {@code text} is the original spelling, for messages.
 */
public record FieldPath(Scope scope, List<String> names, String text) {
    public FieldPath {
        names = List.copyOf(names);
    }

    @Override
    public String toString() {
        return text != null ? text : scope.tsdlPrefix() + "." + String.join(".", names);
    }
}

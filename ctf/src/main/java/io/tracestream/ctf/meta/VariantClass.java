package io.tracestream.ctf.meta;

import java.util.List;
import java.util.Map;

/**
 * A variant field class: one of several options, chosen by an earlier selector field (a CTF 1.8 enumeration tag,
 * or a CTF 2 integer selector with per-option ranges).
 */
public final class VariantClass extends FieldClass {

    /**
     * One option. For CTF 1.8 the option is chosen by the selector's enumeration label equal to {@code name};
     * for CTF 2 by {@code selectorRanges}.
     */
    public record Option(String name, FieldClass type, List<IntegerClass.Range> selectorRanges,
                         Map<String, Object> attributes) {
        public Option(String name, FieldClass type) {
            this(name, type, List.of(), Map.of());
        }
    }

    private final FieldPath selectorPath;
    private final List<Option> options;

    public VariantClass(FieldPath selectorPath, List<Option> options, Map<String, Object> attributes) {
        super(1, attributes);
        this.selectorPath = selectorPath;
        this.options = List.copyOf(options);
    }

    public FieldPath selectorPath() { return selectorPath; }
    public List<Option> options() { return options; }

    /** Index of the option with this name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < options.size(); i++) {
            if (java.util.Objects.equals(options.get(i).name(), name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean isFixedSize() { return false; }

    @Override
    public long fixedSizeBits() { return -1; }
}

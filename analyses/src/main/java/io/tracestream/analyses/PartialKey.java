package io.tracestream.analyses;

import java.io.Serializable;

/**
 * The key of a keyed partial of the per-entity analyses (cputop, sched, irqstats, thread states): a kind, whose
 * values are the emitting analysis' own constants (the partials of different analyses are never mixed), and the id
 * of the entity (a CPU, a thread, a priority, an IRQ line or softirq vector; 0 for a once-per-period partial).
 *
 * <p>A plain final class rather than a record: a record's equals, hashCode and toString link through an
 * invokedynamic bootstrap (ObjectMethods) at first use, milliseconds of start-up for a short run. Serializable: a
 * distributed engine ships the partials from its tasks to the reducer, where equal keys merge.
 */
final class PartialKey implements Serializable {
    private static final long serialVersionUID = 1L;

    final int kind;
    final long id;

    PartialKey(int kind, long id) {
        this.kind = kind;
        this.id = id;
    }

    /** A once-per-period key of {@code kind} (id 0). */
    PartialKey(int kind) {
        this(kind, 0);
    }

    @Override
    public int hashCode() {
        return 31 * kind + Long.hashCode(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartialKey k && k.kind == kind && k.id == id;
    }

    @Override
    public String toString() {
        return "PartialKey[" + kind + ", " + id + "]";
    }
}

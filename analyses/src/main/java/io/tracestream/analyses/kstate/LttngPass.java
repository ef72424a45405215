package io.tracestream.analyses.kstate;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisPass;
import io.tracestream.analyses.KernelEvent;
import io.tracestream.analyses.SharedModels;

/**
 * Base of the passes built on the lttng-analyses-compatible {@link KernelState} (system calls, file descriptors,
 * block and network I/O, pages): the model is fed every event of the trace in time order — also those before the
 * analysed range, which build thread names and open files — and the pass listens to it while the period runs.
 *
 * <p>All the passes of a partition share ONE model (taken from the task's {@link SharedModels}): the first attached
 * pass feeds it, every pass gets the notifications, so running several of these analyses costs one automaton. A pass
 * used without an engine ({@link #attach} never called) runs its own. The model is part of the task's serialized
 * state, so it crosses split boundaries with the passes.
 */
public abstract class LttngPass extends AnalysisPass implements KernelListener {
    private static final long serialVersionUID = 1L;

    private SharedKernel shared;

    protected LttngPass(AnalysisConfig config) {
        super(config);
    }

    @Override
    public void attach(SharedModels models) {
        shared = models.get(SharedKernel.class, SharedKernel::new);
        shared.add(this);
    }

    /** The kernel model this pass listens to (shared with the partition's other passes). */
    protected final KernelState kernel() {
        if (shared == null) {
            shared = new SharedKernel();
            shared.add(this);
        }
        return shared.kernel;
    }

    @Override
    public void event(KernelEvent e, io.tracestream.analyses.KernelState state) {
        kernel();
        if (shared.feeder(this)) {
            shared.process(e.record(), true);
        }
    }

    @Override
    public void eventBeforeStart(KernelEvent e, io.tracestream.analyses.KernelState state) {
        kernel();
        if (shared.feeder(this)) {
            shared.process(e.record(), false);
        }
    }
}

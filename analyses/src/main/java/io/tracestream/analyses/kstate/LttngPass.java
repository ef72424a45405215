package io.tracestream.analyses.kstate;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisPass;
import io.tracestream.analyses.KernelEvent;

/**
 * Base of the passes built on the lttng-analyses-compatible {@link KernelState} (system calls, file descriptors,
 * block and network I/O, pages): the pass owns its model, feeds it every event of the trace in time order — also
 * those before the analysed range, which build thread names and open files — and listens to it while the period
 * runs. The model is part of the pass's serialized state, so it crosses split boundaries with it.
 */
public abstract class LttngPass extends AnalysisPass implements KernelListener {
    private static final long serialVersionUID = 1L;

    /** The kernel model, fed with every event. */
    protected final KernelState kernel = new KernelState();

    protected LttngPass(AnalysisConfig config) {
        super(config);
    }

    @Override
    public void event(KernelEvent e, io.tracestream.analyses.KernelState state) {
        kernel.listener(this);
        kernel.process(e.record());
    }

    @Override
    public void eventBeforeStart(KernelEvent e, io.tracestream.analyses.KernelState state) {
        kernel.listener(null);
        kernel.process(e.record());
    }
}

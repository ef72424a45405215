package io.tracestream.analyses.syscalls;

import io.tracestream.analyses.Mergeable;
import io.tracestream.analyses.DurationStats;
import io.tracestream.analyses.Py;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system calls of one thread in one period: per system call name, duration statistics and return values. The
 * thread's pid and name are those it had at its first system call exit of the period (as lttng-analyses keeps them).
 */
final class ThreadSyscalls implements Mergeable<ThreadSyscalls> {
    private static final long serialVersionUID = 1L;

    /** One system call name's statistics. */
    static final class Call implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        final DurationStats durations = new DurationStats();
        /** Return value key ({@code success}, errno name or number) to count, in order of first appearance. */
        final Map<String, Long> returns = new LinkedHashMap<>();

        Call(String name) {
            this.name = name;
        }

        void add(long duration, Long ret) {
            durations.add(duration);
            if (ret != null) { // a call traced without its return value (old arm32 tracers) has none
                returns.merge(Py.returnKey(ret), 1L, Long::sum);
            }
        }

        void merge(Call o) {
            durations.merge(o.durations);
            o.returns.forEach((k, v) -> returns.merge(k, v, Long::sum));
        }

        /** The return values as Python prints the dictionary: {@code {'success': 3, 'ENOENT': 1}}. */
        String returnsText() {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<String, Long> e : returns.entrySet()) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(Py.reprString(e.getKey())).append(": ").append(e.getValue());
            }
            return b.append('}').toString();
        }
    }

    final Long pid;
    final long tid;
    final String comm;
    final Map<String, Call> calls = new LinkedHashMap<>();
    long total;

    ThreadSyscalls(Long pid, long tid, String comm) {
        this.pid = pid;
        this.tid = tid;
        this.comm = comm;
    }

    void add(String name, long duration, Long ret) {
        calls.computeIfAbsent(name, Call::new).add(duration, ret);
        total++;
    }

    @Override
    public ThreadSyscalls merge(ThreadSyscalls o) {
        for (Call c : o.calls.values()) {
            Call mine = calls.get(c.name);
            if (mine == null) {
                calls.put(c.name, c);
            } else {
                mine.merge(c);
            }
        }
        total += o.total;
        return this;
    }
}

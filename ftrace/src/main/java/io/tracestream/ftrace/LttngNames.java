package io.tracestream.ftrace;

import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.TraceSchema;

/**
 * The mapping of ftrace events to LTTng's kernel events (lttng-modules 2.13 names and payloads), so that tools
 * written for LTTng kernel traces (lttng-analyses, Trace Compass, this project's analyses) read the recorded traces.
 *
 * <p>Differences from lttng-modules, because ftrace does not record the data: pointer arguments of system calls
 * (file names, buffers) are their user-space addresses in hexadecimal, not the strings; system call exit events carry
 * {@code ret} only; {@code mm_page_alloc}/{@code mm_page_free} have no {@code page} pointer. Events with no LTTng
 * counterpart keep their ftrace name and fields.
 */
final class LttngNames {
    private LttngNames() {
    }

    /** The mapping of one ftrace event. */
    static EventMapping map(EventFormat f) {
        EventMapping.Builder b = new EventMapping.Builder(f);
        String name = f.name;
        switch (f.system) {
            case "sched" -> {
                switch (name) {
                    case "sched_switch" -> b.comm("prev_comm").s32("prev_tid", "prev_pid").prio("prev_prio")
                            .integer("prev_state", "prev_state", 64, true, false).comm("next_comm")
                            .s32("next_tid", "next_pid").prio("next_prio");
                    case "sched_wakeup", "sched_wakeup_new", "sched_waking" -> b.comm("comm").s32("tid", "pid")
                            .prio("prio").s32("target_cpu");
                    case "sched_migrate_task" -> b.comm("comm").s32("tid", "pid").prio("prio").s32("orig_cpu")
                            .s32("dest_cpu");
                    case "sched_process_fork" -> fork(b, f);
                    case "sched_process_exec" -> b.string("filename").s32("tid", "pid").s32("old_tid", "old_pid");
                    case "sched_process_exit", "sched_process_free", "sched_process_wait", "sched_wait_task" ->
                            b.comm("comm").s32("tid", "pid").prio("prio");
                    case "sched_stat_runtime" -> b.comm("comm").s32("tid", "pid").u64("runtime").u64("vruntime");
                    case "sched_stat_wait", "sched_stat_sleep", "sched_stat_iowait", "sched_stat_blocked" ->
                            b.comm("comm").s32("tid", "pid").u64("delay");
                    case "sched_pi_setprio" -> b.comm("comm").s32("tid", "pid").prio("oldprio").prio("newprio");
                    case "sched_kthread_stop" -> b.comm("comm").s32("tid", "pid");
                    default -> b.allFields(false);
                }
                return new EventMapping(f, name, b.columns(), false);
            }
            case "irq" -> {
                switch (name) {
                    case "irq_handler_entry" -> b.s32("irq").string("name");
                    case "irq_handler_exit" -> b.s32("irq").s32("ret");
                    case "softirq_entry", "softirq_exit", "softirq_raise" -> {
                        b.u32("vec");
                        return new EventMapping(f, "irq_" + name, b.columns(), false);
                    }
                    default -> b.allFields(false);
                }
                return new EventMapping(f, name, b.columns(), false);
            }
            case "block" -> {
                switch (name) {
                    case "block_rq_issue", "block_rq_insert" -> b.u32("dev").u64("sector").u32("nr_sector")
                            .u32("bytes").currentTid("tid").rwbs("rwbs").comm("comm");
                    case "block_rq_complete", "block_bio_complete", "block_rq_error" -> b.u32("dev").u64("sector")
                            .u32("nr_sector").s32("error").rwbs("rwbs");
                    case "block_rq_requeue" -> b.u32("dev").u64("sector").u32("nr_sector").rwbs("rwbs");
                    case "block_bio_remap", "block_rq_remap" -> b.u32("dev").u64("sector").u32("nr_sector")
                            .rwbs("rwbs").u32("old_dev").u64("old_sector");
                    case "block_bio_backmerge", "block_bio_frontmerge", "block_bio_queue", "block_getrq" ->
                            b.u32("dev").u64("sector").u32("nr_sector").rwbs("rwbs").currentTid("tid").comm("comm");
                    case "block_plug" -> b.comm("comm").currentTid("tid");
                    case "block_unplug" -> b.s32("nr_rq").comm("comm").currentTid("tid");
                    default -> b.allFields(false);
                }
                return new EventMapping(f, name, b.columns(), false);
            }
            case "kmem" -> {
                switch (name) {
                    case "mm_page_alloc" -> b.u64("pfn").u32("order").u32("gfp_flags").s32("migratetype");
                    case "mm_page_free" -> b.u64("pfn").u32("order");
                    case "mm_page_free_batched" -> b.u64("pfn");
                    default -> b.allFields(false);
                }
                String ctf = switch (name) {
                    case "kmalloc" -> "kmem_kmalloc";
                    case "kfree" -> "kmem_kfree";
                    case "kmalloc_node" -> "kmem_kmalloc_node";
                    default -> name;
                };
                return new EventMapping(f, ctf, b.columns(), false);
            }
            case "net" -> {
                switch (name) {
                    case "net_dev_xmit" -> b.hex("skbaddr").s32("rc").u32("len").string("name");
                    case "net_dev_queue", "netif_receive_skb", "netif_rx" -> b.hex("skbaddr").u32("len")
                            .string("name");
                    default -> b.allFields(false);
                }
                return new EventMapping(f, name, b.columns(), false);
            }
            case "syscalls" -> {
                if (name.startsWith("sys_enter_")) {
                    b.allFields(true);
                    return new EventMapping(f, "syscall_entry_" + name.substring("sys_enter_".length()),
                            b.columns(), false);
                }
                if (name.startsWith("sys_exit_")) {
                    b.integer("ret", "ret", 64, true, false);
                    return new EventMapping(f, "syscall_exit_" + name.substring("sys_exit_".length()),
                            b.columns(), false);
                }
                b.allFields(true);
                return new EventMapping(f, name, b.columns(), false);
            }
            case "raw_syscalls" -> {
                if (name.equals("sys_enter")) {
                    b.integer("id", "id", 32, true, false).allFieldsExcept("id");
                    return new EventMapping(f, "syscall_entry_unknown", b.columns(), false);
                }
                if (name.equals("sys_exit")) {
                    b.integer("id", "id", 32, true, false).integer("ret", "ret", 64, true, false);
                    return new EventMapping(f, "syscall_exit_unknown", b.columns(), false);
                }
                b.allFields(false);
                return new EventMapping(f, name, b.columns(), false);
            }
            case "task" -> {
                if (name.equals("task_newtask")) {
                    EventFormat.Field pid = f.field("pid");
                    EventFormat.Field flags = f.field("clone_flags");
                    return new EventMapping(f, name, java.util.List.of(new EventMapping.Column() {
                        @Override
                        public void declare(TraceSchema.Fields fields) {
                        }

                        @Override
                        public void write(Record r, EventBuilder eb, KernelState state) {
                            if (pid != null && flags != null) {
                                state.newTask((int) r.integer(pid), r.integer(flags));
                            }
                        }
                    }), true);
                }
                b.allFields(false);
                return new EventMapping(f, name, b.columns(), false);
            }
            default -> {
                b.allFields(false);
                return new EventMapping(f, name, b.columns(), false);
            }
        }
    }

    /**
     * {@code sched_process_fork} as lttng-modules 2.13 writes it: parent_comm, parent_tid, parent_pid,
     * parent_ns_inum, child_comm, child_tid, vtids (one level: the child's tid), child_pid, child_ns_inum. ftrace's
     * {@code parent_pid}/{@code child_pid} are thread ids; the process ids come from {@link KernelState}.
     */
    private static void fork(EventMapping.Builder b, EventFormat f) {
        EventFormat.Field parentComm = f.field("parent_comm");
        EventFormat.Field parentTid = f.field("parent_pid");
        EventFormat.Field childComm = f.field("child_comm");
        EventFormat.Field childTid = f.field("child_pid");
        if (parentComm == null || parentTid == null || childComm == null || childTid == null) {
            b.allFields(false);
            return;
        }
        b.column(new EventMapping.Column() {
            @Override
            public void declare(TraceSchema.Fields fields) {
                fields.textArray("parent_comm", EventMapping.COMM_LEN).i32("parent_tid").i32("parent_pid")
                        .u32("parent_ns_inum").textArray("child_comm", EventMapping.COMM_LEN).i32("child_tid")
                        .u8("_vtids_length").sequence("vtids", fields.sintType(32), "_vtids_length")
                        .i32("child_pid").u32("child_ns_inum");
            }

            @Override
            public void write(Record r, EventBuilder eb, KernelState state) {
                int ptid = (int) r.integer(parentTid);
                int ctid = (int) r.integer(childTid);
                int cpid = state.fork(ptid, ctid);
                long span = r.stringSpan(parentComm);
                eb.bytes(r.page.array(), r.page.arrayOffset() + (int) (span >>> 32), (int) span);
                eb.integer(ptid).integer(state.tgid(ptid)).integer(state.pidNamespaceInode & 0xffffffffL);
                span = r.stringSpan(childComm);
                eb.bytes(r.page.array(), r.page.arrayOffset() + (int) (span >>> 32), (int) span);
                eb.integer(ctid).integer(1).integer(ctid).integer(cpid)
                        .integer(state.pidNamespaceInode & 0xffffffffL);
            }
        });
    }
}

package io.tracestream.sparktrace;

import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.TraceSchema;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The event classes the plugin records, and the CTF trace class that declares them.
 *
 * <p>Names follow LTTng's {@code provider:event} form. Times named {@code *_time_ms} are Spark's own wall-clock
 * milliseconds since the Unix epoch (what the event carried); the event timestamp is when the plugin saw the event, on
 * the monotonic clock. Durations keep Spark's units, named in the field ({@code _ms}, {@code _ns}). Missing numbers
 * are -1, missing strings empty.
 */
final class SparkEvents {
    private SparkEvents() {
    }

    /** Task locality levels, in Spark's {@code TaskLocality} order (the enumeration's values). */
    static final List<String> LOCALITIES = List.of("PROCESS_LOCAL", "NODE_LOCAL", "NO_PREF", "RACK_LOCAL", "ANY");

    private static final EventType.Registry R = new EventType.Registry();

    // ---------------------------------------------------------------- process
    /** First event of every trace: who recorded it. */
    static final EventType PROCESS_START = R.define("tracestream:process_start").i32("pid").str("hostname")
            .str("java_version").i64("realtime_offset_ns").build();
    /** Last event: how many threads emitted events into this trace. */
    static final EventType PROCESS_END = R.define("tracestream:process_end").i32("threads").build();

    // ---------------------------------------------------------------- driver (listener bus)
    static final EventType APPLICATION_START = R.define("spark:application_start").str("app_id").str("app_name")
            .str("app_attempt_id").str("spark_user").i64("time_ms").build();
    static final EventType APPLICATION_END = R.define("spark:application_end").i64("time_ms").build();
    static final EventType JOB_START = R.define("spark:job_start").i32("job_id").i64("time_ms")
            .i64("sql_execution_id").str("job_group").str("description").str("call_site").i32Seq("stage_ids")
            .build();
    /** One per stage of a job (also the stages that will be skipped), right after job_start: the job's DAG. */
    static final EventType JOB_STAGE = R.define("spark:job_stage").i32("job_id").i32("stage_id")
            .i32("stage_attempt").str("name").i32("num_tasks").i32("shuffle_dep_id").i32Seq("parent_ids").build();
    static final EventType JOB_END = R.define("spark:job_end").i32("job_id").i64("time_ms").bool("succeeded")
            .str("result").build();
    static final EventType STAGE_SUBMITTED = R.define("spark:stage_submitted").i32("stage_id").i32("stage_attempt")
            .str("name").i32("num_tasks").i32Seq("parent_ids").i32("shuffle_dep_id").i32("resource_profile_id")
            .i32("num_rdds").i64("submission_time_ms").i64("sql_execution_id").str("job_group").str("details")
            .build();
    static final EventType STAGE_COMPLETED = R.define("spark:stage_completed").i32("stage_id")
            .i32("stage_attempt").str("name").i32("num_tasks").str("status").str("failure_reason")
            .i64("submission_time_ms").i64("completion_time_ms").build();
    static final EventType TASK_START = R.define("spark:task_start").i64("task_id").i32("stage_id")
            .i32("stage_attempt").i32("index").i32("partition").i32("attempt").str("executor_id").str("host")
            .locality("locality").bool("speculative").i64("launch_time_ms").build();
    static final EventType TASK_GETTING_RESULT = R.define("spark:task_getting_result").i64("task_id")
            .i64("getting_result_time_ms").build();
    static final EventType TASK_END = R.define("spark:task_end").i64("task_id").i32("stage_id")
            .i32("stage_attempt").i32("index").i32("partition").i32("attempt").str("executor_id").str("host")
            .locality("locality").bool("speculative").str("task_type").str("status").bool("successful")
            .str("end_reason").str("failure_reason").i64("launch_time_ms").i64("finish_time_ms")
            .i64("getting_result_time_ms").bool("has_metrics")
            .i64("executor_deserialize_time_ms").i64("executor_deserialize_cpu_time_ns")
            .i64("executor_run_time_ms").i64("executor_cpu_time_ns").i64("result_size")
            .i64("jvm_gc_time_ms").i64("result_serialization_time_ms").i64("memory_bytes_spilled")
            .i64("disk_bytes_spilled").i64("peak_execution_memory").i64("peak_on_heap_execution_memory")
            .i64("peak_off_heap_execution_memory")
            .i64("input_bytes_read").i64("input_records_read").i64("output_bytes_written")
            .i64("output_records_written")
            .i64("shuffle_remote_blocks_fetched").i64("shuffle_local_blocks_fetched")
            .i64("shuffle_remote_bytes_read").i64("shuffle_remote_bytes_read_to_disk")
            .i64("shuffle_local_bytes_read").i64("shuffle_fetch_wait_time_ms").i64("shuffle_records_read")
            .i64("shuffle_remote_reqs_duration_ms").i64("shuffle_corrupt_merged_block_chunks")
            .i64("shuffle_merged_fetch_fallback_count").i64("shuffle_remote_merged_blocks_fetched")
            .i64("shuffle_local_merged_blocks_fetched").i64("shuffle_remote_merged_chunks_fetched")
            .i64("shuffle_local_merged_chunks_fetched").i64("shuffle_remote_merged_bytes_read")
            .i64("shuffle_local_merged_bytes_read").i64("shuffle_remote_merged_reqs_duration_ms")
            .i64("shuffle_bytes_written").i64("shuffle_records_written").i64("shuffle_write_time_ns")
            .build();
    static final EventType EXECUTOR_ADDED = R.define("spark:executor_added").str("executor_id").str("host")
            .i32("total_cores").i32("resource_profile_id").i64("time_ms").build();
    static final EventType EXECUTOR_REMOVED = R.define("spark:executor_removed").str("executor_id").str("reason")
            .i64("time_ms").build();
    static final EventType SQL_EXECUTION_START = R.define("spark:sql_execution_start").i64("execution_id")
            .i64("root_execution_id").str("description").str("details").str("physical_plan").i64("time_ms")
            .build();
    static final EventType SQL_EXECUTION_END = R.define("spark:sql_execution_end").i64("execution_id")
            .i64("time_ms").str("error_message").build();
    static final EventType STREAMING_QUERY_START = R.define("spark:streaming_query_start").str("query_id")
            .str("run_id").str("name").str("timestamp").build();
    /** Every micro-batch of a Structured Streaming query. */
    static final EventType STREAMING_QUERY_PROGRESS = R.define("spark:streaming_query_progress").str("query_id")
            .str("run_id").str("name").i64("batch_id").i64("batch_duration_ms").str("timestamp")
            .i64("num_input_rows").f64("input_rows_per_second").f64("processed_rows_per_second")
            .str("watermark").str("event_time_min").str("event_time_max").str("event_time_avg")
            .kvSeq("duration_ms").str("sink_description").i64("sink_num_output_rows").i32("num_sources")
            .i32("num_state_operators").build();
    static final EventType STREAMING_SOURCE_PROGRESS = R.define("spark:streaming_source_progress").str("run_id")
            .i64("batch_id").i32("index").str("description").str("start_offset").str("end_offset")
            .str("latest_offset").i64("num_input_rows").f64("input_rows_per_second")
            .f64("processed_rows_per_second").build();
    static final EventType STREAMING_STATE_OPERATOR = R.define("spark:streaming_state_operator").str("run_id")
            .i64("batch_id").i32("index").str("operator_name").i64("num_rows_total").i64("num_rows_updated")
            .i64("all_updates_time_ms").i64("num_rows_removed").i64("all_removals_time_ms").i64("commit_time_ms")
            .i64("memory_used_bytes").i64("num_rows_dropped_by_watermark").i64("num_shuffle_partitions")
            .i64("num_state_store_instances").kvSeq("custom_metrics").build();
    static final EventType STREAMING_QUERY_IDLE = R.define("spark:streaming_query_idle").str("query_id")
            .str("run_id").str("timestamp").build();
    static final EventType STREAMING_QUERY_TERMINATED = R.define("spark:streaming_query_terminated")
            .str("query_id").str("run_id").str("exception").build();

    // ---------------------------------------------------------------- executor (task threads)
    /** Emitted by the task's own thread when it starts the task: the thread's Linux TID. */
    static final EventType TASK_THREAD_START = R.define("spark:task_thread_start").i64("task_id").i32("stage_id")
            .i32("stage_attempt").i32("partition").i32("attempt").i32("tid").i32("pid").build();
    /** Emitted by the task's thread when the task ended; thread_cpu_time_ns is the thread's CPU time in between. */
    static final EventType TASK_THREAD_END = R.define("spark:task_thread_end").i64("task_id").i32("stage_id")
            .i32("stage_attempt").i32("tid").i32("pid").bool("succeeded").str("failure_reason")
            .i64("thread_cpu_time_ns").build();

    // ---------------------------------------------------------------- JVM
    /**
     * A garbage collection (reported by the JVM after it ended; the event is placed at its start). start/end are
     * on the monotonic clock (millisecond resolution); heap sums are over the heap memory pools.
     */
    static final EventType GC = R.define("jvm:gc").str("collector").str("action").str("cause").i64("gc_id")
            .i64("start_ns").i64("end_ns").i64("duration_ms").i64("heap_used_before").i64("heap_used_after")
            .i64("heap_committed_after").kvSeq("pool_used_after").build();

    static final List<EventType> ALL = R.all();

    static IntegerClass.Mapping[] localityMappings() {
        IntegerClass.Mapping[] m = new IntegerClass.Mapping[LOCALITIES.size() + 1];
        for (int i = 0; i < LOCALITIES.size(); i++) {
            m[i] = TraceSchema.mapping(LOCALITIES.get(i), i, i);
        }
        m[LOCALITIES.size()] = TraceSchema.mapping("UNKNOWN", 255, 255);
        return m;
    }

    /** Locality name to enumeration value (255: unknown). */
    static int locality(String name) {
        int i = LOCALITIES.indexOf(name);
        return i < 0 ? 255 : i;
    }

    /** Name of the single stream class. */
    static final String STREAM = "spark";

    /**
     * The trace class: LTTng's monotonic clock (1 GHz, {@code uuid} = the host's boot id as LTTng's, offset = real time
     * minus monotonic time, origin the Unix epoch: {@code absolute = true}, which is how babeltrace2 and TraceStream
     * treat LTTng's monotonic clock, so the traces merge with LTTng kernel and UST traces), one stream class
     * whose packet context also has the writing thread's {@code tid} and {@code pid}, LTTng's large event header.
     */
    static TraceClass traceClass(Map<String, Object> env, long offsetNanos, UUID clockUuid) {
        long offsetSeconds = Math.floorDiv(offsetNanos, 1_000_000_000L);
        long offsetCycles = Math.floorMod(offsetNanos, 1_000_000_000L);
        TraceSchema.Builder b = TraceSchema.builder()
                .clock(new ClockClass("monotonic", "Monotonic Clock", 1_000_000_000L, offsetSeconds, offsetCycles,
                        0, true, clockUuid, null));
        for (Map.Entry<String, Object> e : env.entrySet()) {
            if (e.getValue() instanceof Number n) {
                b.env(e.getKey(), n.longValue());
            } else {
                b.env(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        b.stream(STREAM, s -> {
            s.header(TraceSchema.Header.LARGE).packetContext(p -> p.i32("tid").i32("pid"));
            for (EventType t : ALL) {
                s.event(t.name, t::declare);
            }
        });
        return b.build();
    }
}

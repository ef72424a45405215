package io.tracestream.bench;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.StreamWriter;
import io.tracestream.ctf.write.TraceSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes the synthetic CTF 1.8 traces the benchmarks read, with the project's own writer ({@link CtfWriter}),
 * deterministically (same arguments, same bytes).
 *
 * <p>Two mixes of events, each over {@value #CPUS} data streams (one per "CPU") whose events interleave in time, so
 * reading them goes through the stream muxer as an LTTng trace does; LTTng-like layout (compact event headers,
 * 1 GHz clock with a Unix-epoch origin, 1 MiB packets, packet index files):
 * <ul>
 *   <li>{@link Mix#KERNEL}: an LTTng kernel-trace look-alike: {@code sched_switch} (40%), {@code sched_wakeup},
 *       {@code syscall_entry_read}, {@code syscall_exit_read} (15% each), {@code syscall_entry_openat},
 *       {@code irq_handler_entry}, {@code timer_hrtimer_expire_entry} (5% each): integers of every width, hex
 *       fields, 16-byte text arrays and null-terminated strings;</li>
 *   <li>{@link Mix#NUMERIC}: no text at all: integers of every width and signedness (some bit-packed),
 *       enumerations, floats, a nested structure and sequences; decoding it must allocate nothing.</li>
 * </ul>
 *
 * <p>From the command line:
 * {@code java -cp benchmarks.jar io.tracestream.bench.BenchTraces DIR EVENTS [kernel|numeric]}.
 */
public final class BenchTraces {
    /** Number of data streams (one per simulated CPU). */
    public static final int CPUS = 2;

    private static final long EPOCH_2024 = 1_704_067_200L;

    /** The event mixes. */
    public enum Mix {
        /** LTTng-kernel-like events with text arrays and strings. */
        KERNEL,
        /** Integers, enumerations, floats, a structure and sequences; no text. */
        NUMERIC
    }

    private BenchTraces() {
    }

    /** The trace class of a mix. */
    public static TraceClass traceClass(Mix mix) {
        TraceSchema.Builder b = TraceSchema.builder()
                .uuid(java.util.UUID.fromString("2f6e6a1c-3b1d-4c55-9d0e-7a1f00b2c3d4"))
                .env("hostname", "bench").env("domain", mix == Mix.KERNEL ? "kernel" : "ust")
                .env("tracer_name", "lttng-modules").env("tracer_major", 2).env("tracer_minor", 13)
                .clock("monotonic", 1_000_000_000L, EPOCH_2024, 0, true);
        if (mix == Mix.KERNEL) {
            b.stream("channel0", s -> s.header(TraceSchema.Header.COMPACT)
                    .event("sched_switch", e -> e.textArray("prev_comm", 16).i32("prev_tid").i32("prev_prio")
                            .i64("prev_state").textArray("next_comm", 16).i32("next_tid").i32("next_prio"))
                    .event("sched_wakeup", e -> e.textArray("comm", 16).i32("tid").i32("prio").i32("target_cpu"))
                    .event("syscall_entry_read", e -> e.u32("fd").hex64("buf").u64("count"))
                    .event("syscall_exit_read", e -> e.i64("ret").hex64("buf"))
                    .event("syscall_entry_openat", e -> e.i32("dfd").string("filename").i32("flags").u16("mode"))
                    .event("irq_handler_entry", e -> e.i32("irq").string("name"))
                    .event("timer_hrtimer_expire_entry", e -> e.hex64("hrtimer").i64("now").hex64("function")));
        } else {
            b.stream("channel0", s -> s.header(TraceSchema.Header.COMPACT)
                    .commonContext(c -> c.i32("vpid").i32("vtid"))
                    .event("ints", e -> e.u8("u8").u16("u16").u32("u32").u64("u64").i8("i8").i16("i16")
                            .i32("i32").i64("i64").bits("b5", 5).signedBits("s11", 11).hex64("h64"))
                    .event("floats", e -> e.f32("f32").f64("f64"))
                    .event("enums", e -> e.enumeration("state", 8, false, TraceSchema.mapping("RUNNING", 0, 0),
                            TraceSchema.mapping("SLEEPING", 1, 1), TraceSchema.mapping("BLOCKED", 2, 7))
                            .enumeration("level", 32, true, TraceSchema.mapping("LOW", -100, -1),
                                    TraceSchema.mapping("HIGH", 0, 100)))
                    .event("nested", e -> e.struct("pos", p -> p.i32("x").i32("y").u64("t")).u16("flags"))
                    .event("seqs", e -> e.u32("n").sequence("values", e.uintType(64), "n")
                            .u8("m").sequence("small", e.sintType(16), "m")));
        }
        return b.build();
    }

    /**
     * Writes a trace of about {@code events} events (rounded up to a multiple of {@value #CPUS}) into {@code dir}
     * (replaced when it exists).
     *
     * @return the number of events written
     */
    public static long write(Path dir, long events, Mix mix) {
        deleteRecursively(dir);
        TraceClass tc = traceClass(mix);
        StreamClass sc = tc.streamClass(0);
        EventClass[] ec = sc.eventClasses().toArray(EventClass[]::new);
        SplittableRandom rnd = new SplittableRandom(42);
        long perCpu = (events + CPUS - 1) / CPUS;
        long written = 0;
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(1 << 20).build()) {
            StreamWriter[] cpus = new StreamWriter[CPUS];
            long[] ts = new long[CPUS];
            for (int c = 0; c < CPUS; c++) {
                cpus[c] = w.openStream(sc, c);
                ts[c] = 1_000_000L + c * 137;
            }
            for (long i = 0; i < perCpu; i++) {
                for (int c = 0; c < CPUS; c++) {
                    ts[c] += 200 + rnd.nextInt(600);
                    int r = rnd.nextInt(100);
                    if (mix == Mix.KERNEL) {
                        kernelEvent(cpus[c], ec, ts[c], r, i, c);
                    } else {
                        numericEvent(cpus[c], ec, ts[c], r, i, c);
                    }
                    written++;
                }
            }
        }
        return written;
    }

    private static final String[] COMMS = {"swapper/0", "bash", "java", "kworker/0:1", "systemd-journal", "sshd",
        "lttng-consumerd", "rcu_sched"};
    private static final String[] FILES = {"/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/proc/self/stat",
        "/usr/share/zoneinfo/UTC", "/tmp/tracestream-bench/data.bin"};
    private static final String[] IRQS = {"eth0", "ahci", "i8042", "timer"};

    private static void kernelEvent(StreamWriter s, EventClass[] ec, long ts, int r, long i, int cpu) {
        int tid = 1000 + (int) (i % 97);
        if (r < 40) {
            s.beginEvent(ec[0], ts).string(COMMS[(int) (i % COMMS.length)]).i32(tid).i32(120).i64(i & 1)
                    .string(COMMS[(int) ((i + 3) % COMMS.length)]).i32(tid + 1).i32(120).end();
        } else if (r < 55) {
            s.beginEvent(ec[1], ts).string(COMMS[(int) (i % COMMS.length)]).i32(tid).i32(120).i32(cpu).end();
        } else if (r < 70) {
            s.beginEvent(ec[2], ts).u32(3 + (i & 15)).u64(0x7ffd_0000_0000L + (i << 6)).u64(4096).end();
        } else if (r < 85) {
            s.beginEvent(ec[3], ts).i64(r < 80 ? 4096 : -11).u64(0x7ffd_0000_0000L + (i << 6)).end();
        } else if (r < 90) {
            s.beginEvent(ec[4], ts).i32(-100).string(FILES[(int) (i % FILES.length)]).i32(0x80000).u16(0644)
                    .end();
        } else if (r < 95) {
            s.beginEvent(ec[5], ts).i32(16 + (int) (i & 7)).string(IRQS[(int) (i % IRQS.length)]).end();
        } else {
            s.beginEvent(ec[6], ts).u64(0xffff_9a00_0000_0000L + (i << 7)).i64(ts).u64(0xffff_ffff_8110_0000L)
                    .end();
        }
    }

    private static void numericEvent(StreamWriter s, EventClass[] ec, long ts, int r, long i, int cpu) {
        int tid = 2000 + cpu;
        if (r < 35) {
            s.beginEvent(ec[0], ts).i32(2000).i32(tid).u8((int) i).u16((int) i).u32(i).u64(i * 0x9E3779B97F4A7C15L)
                    .i8((int) -i).i16((int) -i).i32((int) -i).i64(-i).integer(i & 31).integer(-(i & 1023))
                    .u64(i << 12).end();
        } else if (r < 55) {
            s.beginEvent(ec[1], ts).i32(2000).i32(tid).f32(i * 0.5f).f64(i / 3.0).end();
        } else if (r < 70) {
            s.beginEvent(ec[2], ts).i32(2000).i32(tid).u8((int) (i % 9)).i32((int) (i % 300) - 150).end();
        } else if (r < 85) {
            s.beginEvent(ec[3], ts).i32(2000).i32(tid).i32((int) i).i32((int) -i).u64(ts).u16(r).end();
        } else {
            int n = (int) (i & 7);
            var e = s.beginEvent(ec[4], ts).i32(2000).i32(tid).u32(n);
            for (int k = 0; k < n; k++) {
                e.u64(i + k);
            }
            e.u8(2).i16(-1).i16(1).end();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code BenchTraces DIR EVENTS [kernel|numeric]}: writes a benchmark trace and prints the event count.
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: BenchTraces DIR EVENTS [kernel|numeric]");
            System.exit(2);
        }
        Mix mix = args.length == 3 ? Mix.valueOf(args[2].toUpperCase(Locale.ROOT)) : Mix.KERNEL;
        long n = write(Path.of(args[0]), Long.parseLong(args[1].replace("_", "")), mix);
        System.out.println(n);
    }
}

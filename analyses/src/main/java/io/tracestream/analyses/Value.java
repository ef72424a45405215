package io.tracestream.analyses;

import java.io.Serializable;

/**
 * One cell of a {@link ResultTable}: a typed value with the LAMI 1.0 class that Trace Compass and lttng-analyses' MI
 * output use ({@code number}, {@code duration}, {@code process}, ...). Numbers keep whether they are integral so that
 * JSON output writes {@code 3} or {@code 3.5} exactly as lttng-analyses does.
 */
public sealed interface Value extends Serializable {

    /** The LAMI class name ({@code "duration"}, {@code "process"}, ...); null for {@link Empty}. */
    String lamiClass();

    /** A plain-text rendering (CSV cells). */
    String text();

    /** A numeric value of a numeric LAMI class: number, duration, timestamp, ratio, size, bitrate. */
    record Num(String lamiClass, long longValue, double doubleValue, boolean integral) implements Value {
        public static Num of(String cls, long v) {
            return new Num(cls, v, v, true);
        }

        public static Num of(String cls, double v) {
            return new Num(cls, (long) v, v, false);
        }

        public double asDouble() {
            return integral ? longValue : doubleValue;
        }

        @Override
        public String text() {
            return integral ? Long.toString(longValue) : Floats.repr(doubleValue);
        }
    }

    /** A string ({@code string}). */
    record Str(String value) implements Value {
        @Override
        public String lamiClass() {
            return "string";
        }

        @Override
        public String text() {
            return value;
        }
    }

    /** A thread or process ({@code process}); name, pid or tid may be absent (null / -1). */
    record Process(String name, long pid, long tid) implements Value {
        @Override
        public String lamiClass() {
            return "process";
        }

        @Override
        public String text() {
            return (name == null ? "" : name) + (tid >= 0 ? " (" + tid + ")" : "");
        }
    }

    /** A CPU ({@code cpu}). */
    record Cpu(long id) implements Value {
        @Override
        public String lamiClass() {
            return "cpu";
        }

        @Override
        public String text() {
            return Long.toString(id);
        }
    }

    /** A hard IRQ line or softirq vector ({@code irq}); name may be null. */
    record Irq(boolean hard, long nr, String name) implements Value {
        @Override
        public String lamiClass() {
            return "irq";
        }

        @Override
        public String text() {
            return nr + (name == null ? "" : " <" + name + ">");
        }
    }

    /** A named object of class {@code syscall}, {@code disk}, {@code part}, {@code netif}. */
    record Named(String lamiClass, String name) implements Value {
        @Override
        public String text() {
            return name;
        }
    }

    /** A file path ({@code path}). */
    record FilePath(String path) implements Value {
        @Override
        public String lamiClass() {
            return "path";
        }

        @Override
        public String text() {
            return path;
        }
    }

    /** A file descriptor ({@code fd}). */
    record Fd(long fd) implements Value {
        @Override
        public String lamiClass() {
            return "fd";
        }

        @Override
        public String text() {
            return Long.toString(fd);
        }
    }

    /** A boolean ({@code bool}). */
    record Bool(boolean value) implements Value {
        @Override
        public String lamiClass() {
            return "bool";
        }

        @Override
        public String text() {
            return Boolean.toString(value);
        }
    }

    /** A time range ({@code time-range}), in ns from the clock origin. */
    record TimeRange(long begin, long end) implements Value {
        @Override
        public String lamiClass() {
            return "time-range";
        }

        @Override
        public String text() {
            return "[" + begin + ", " + end + "]";
        }
    }

    /** An unknown value ({@code unknown}, shown {@code ?}), e.g. the deviation of a single sample. */
    record Unknown() implements Value {
        @Override
        public String lamiClass() {
            return "unknown";
        }

        @Override
        public String text() {
            return "?";
        }
    }

    /** No value (JSON {@code null}). */
    record Empty() implements Value {
        @Override
        public String lamiClass() {
            return null;
        }

        @Override
        public String text() {
            return "";
        }
    }

    Unknown UNKNOWN = new Unknown();
    Empty EMPTY = new Empty();

    static Num number(long v) {
        return Num.of("number", v);
    }

    static Num duration(long ns) {
        return Num.of("duration", ns);
    }

    static Num duration(double ns) {
        return Num.of("duration", ns);
    }

    static Num timestamp(long ns) {
        return Num.of("timestamp", ns);
    }

    static Num ratio(double r) {
        return Num.of("ratio", r);
    }

    static Num size(long bytes) {
        return Num.of("size", bytes);
    }

    static Str string(String s) {
        return new Str(s);
    }
}

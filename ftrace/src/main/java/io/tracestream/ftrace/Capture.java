package io.tracestream.ftrace;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A raw ftrace capture on disk, the recorder's intermediate form (and the converter's input):
 * <pre>
 * DIR/header_page           copy of tracefs events/header_page
 * DIR/formats/GROUP/NAME    copy of tracefs events/GROUP/NAME/format, for each enabled event
 * DIR/cpuN.raw              pages read from per_cpu/cpuN/trace_pipe_raw, each cut after its data
 * DIR/capture.properties    page size, byte order, trace clock, clock offset, kernel and host names, CPU count,
 *                           and the kernel's own per-CPU loss counters (overrun, dropped events)
 * </pre>
 */
final class Capture {
    final Path dir;
    HeaderPage header;
    int pageSize;
    ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
    String traceClock = "mono";
    /** Real time minus monotonic time at the start, in ns (the CTF clock offset). */
    long clockOffsetNs;
    int cpus;
    /** Monotonic time when tracing was turned off (the end of every stream's last packet), or 0 when unknown. */
    long stopNs;
    final Map<String, String> env = new LinkedHashMap<>();
    /** Per CPU: events the kernel counted as lost (overrun + dropped), from per_cpu/cpuN/stats at the end. */
    final Map<Integer, Long> kernelLost = new TreeMap<>();
    final List<EventFormat> formats = new ArrayList<>();

    Capture(Path dir) {
        this.dir = dir;
    }

    Path cpuFile(int cpu) {
        return dir.resolve("cpu" + cpu + ".raw");
    }

    /** Writes header_page, formats and capture.properties (the CPU files are written by the readers). */
    void writeDescription(String headerPageText, Map<EventFormat, String> formatTexts) throws IOException {
        Files.createDirectories(dir.resolve("formats"));
        Files.writeString(dir.resolve("header_page"), headerPageText);
        for (Map.Entry<EventFormat, String> e : formatTexts.entrySet()) {
            Path d = dir.resolve("formats").resolve(e.getKey().system);
            Files.createDirectories(d);
            Files.writeString(d.resolve(e.getKey().name), e.getValue());
        }
        writeProperties();
    }

    void writeProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty("page_size", Integer.toString(pageSize));
        p.setProperty("byte_order", byteOrder == ByteOrder.LITTLE_ENDIAN ? "le" : "be");
        p.setProperty("trace_clock", traceClock);
        p.setProperty("clock_offset_ns", Long.toString(clockOffsetNs));
        p.setProperty("cpus", Integer.toString(cpus));
        p.setProperty("stop_ns", Long.toString(stopNs));
        for (Map.Entry<String, String> e : env.entrySet()) {
            p.setProperty("env." + e.getKey(), e.getValue());
        }
        for (Map.Entry<Integer, Long> e : kernelLost.entrySet()) {
            p.setProperty("lost.cpu" + e.getKey(), Long.toString(e.getValue()));
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("capture.properties"), StandardCharsets.UTF_8)) {
            p.store(w, "tracestream ftrace capture");
        }
    }

    /** Reads a capture directory. */
    static Capture read(Path dir) {
        Capture c = new Capture(dir);
        Path props = dir.resolve("capture.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
            p.load(r);
            c.header = HeaderPage.parse(Files.readString(dir.resolve("header_page")),
                    dir.resolve("header_page").toString());
            c.pageSize = Integer.parseInt(p.getProperty("page_size", Integer.toString(c.header.pageSize())));
            c.byteOrder = "be".equals(p.getProperty("byte_order")) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            c.traceClock = p.getProperty("trace_clock", "mono");
            c.clockOffsetNs = Long.parseLong(p.getProperty("clock_offset_ns", "0"));
            c.cpus = Integer.parseInt(p.getProperty("cpus", "0"));
            c.stopNs = Long.parseLong(p.getProperty("stop_ns", "0"));
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("env.")) {
                    c.env.put(k.substring(4), p.getProperty(k));
                } else if (k.startsWith("lost.cpu")) {
                    c.kernelLost.put(Integer.parseInt(k.substring(8)), Long.parseLong(p.getProperty(k)));
                }
            }
            Path formats = dir.resolve("formats");
            if (Files.isDirectory(formats)) {
                try (DirectoryStream<Path> groups = Files.newDirectoryStream(formats)) {
                    for (Path g : groups) {
                        try (DirectoryStream<Path> events = Files.newDirectoryStream(g)) {
                            for (Path e : events) {
                                c.formats.add(EventFormat.parse(g.getFileName().toString(), Files.readString(e),
                                        e.toString()));
                            }
                        }
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new FtraceException(props + ": bad value: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        if (c.pageSize < c.header.dataOffset() + 8) {
            throw new FtraceException(props + ": page_size " + c.pageSize + " is smaller than the page header");
        }
        c.formats.sort((a, b) -> Integer.compare(a.id, b.id));
        return c;
    }
}

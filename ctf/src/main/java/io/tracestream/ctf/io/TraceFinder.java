package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the CTF traces under a list of paths and assembles them the way babeltrace2 2.0 does (its CLI's automatic
 * source discovery, then {@code src.ctf.fs}):
 *
 * <ul>
 * <li>A directory holding a regular file named {@code metadata} is a trace; the search does not go below it.
 * Other directories are searched recursively (entries in name order).</li>
 * <li>Traces whose metadata has the same UUID, wherever they are found, are one trace (LTTng tracefile or session
 * rotation chunks, snapshots): its metadata is the one with the most stream and event classes, and its streams
 * gather the files of all chunks.</li>
 * <li>In a trace directory every regular, non-hidden, non-empty file except {@code metadata} is a stream file;
 * files with the same stream class and {@code stream_instance_id} (and a packet begin time) are one stream, their
 * files ordered by first packet time. Packets come from the LTTng index ({@code index/NAME.idx}) when it is valid,
 * else from scanning the packet headers.</li>
 * <li>The trace name is the environment's {@code hostname}, then {@code /} and the trace directory relative to the
 * input path when the trace is one directory found below it.</li>
 * </ul>
 */
public final class TraceFinder {
    private final TraceBackend backend;
    private final Consumer<String> warnings;

    public TraceFinder(TraceBackend backend, Consumer<String> warnings) {
        this.backend = backend;
        this.warnings = warnings;
    }

    /** One trace directory found under an input. */
    private record Found(Path dir, String key, int inputIndex, String suffix, TraceClass traceClass) {
    }

    /** A group of trace directories to assemble into one trace. */
    private static final class Group {
        final List<Found> members = new ArrayList<>();
        final Set<Integer> inputs = new HashSet<>();
    }

    /**
     * Finds and assembles every trace below {@code inputs}.
     *
     * @throws CtfException when an input does not exist, when no trace is found under an input, or when metadata or
     *                      stream files cannot be read
     */
    public List<FsTrace> find(List<Path> inputs) {
        Map<String, Group> groups = new LinkedHashMap<>();
        int anonymous = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Path input = inputs.get(i);
            if (!Files.exists(input)) {
                throw new CtfException(input + ": no such file or directory");
            }
            List<Path> dirs = new ArrayList<>();
            Path start = input;
            if (Files.isRegularFile(input) && input.getFileName() != null
                    && input.getFileName().toString().equals("metadata")) {
                start = input.toAbsolutePath().getParent();
            }
            collect(start, dirs, new HashSet<>());
            if (dirs.isEmpty()) {
                throw new CtfException("no CTF trace found under " + input);
            }
            for (Path dir : dirs) {
                TraceClass tc = backend.readMetadata(dir.resolve("metadata"));
                String suffix = relativeSuffix(start, dir);
                String key = tc.uuid() != null ? "uuid:" + tc.uuid() : "anon:" + (anonymous++);
                Found f = new Found(dir, dir.toString(), i, suffix, tc);
                Group g = groups.computeIfAbsent(key, k -> new Group());
                g.members.add(f);
                g.inputs.add(i);
            }
        }
        List<FsTrace> traces = new ArrayList<>();
        for (Group g : groups.values()) {
            traces.add(assemble(g));
        }
        return traces;
    }

    private static String relativeSuffix(Path input, Path dir) {
        String in = input.toString();
        String d = dir.toString();
        if (!d.startsWith(in)) {
            return null;
        }
        String rest = d.substring(in.length());
        int k = 0;
        while (k < rest.length() && rest.charAt(k) == '/') {
            k++;
        }
        rest = rest.substring(k);
        return rest.isEmpty() ? null : rest;
    }

    private void collect(Path dir, List<Path> out, Set<Object> visited) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path metadata = dir.resolve("metadata");
        if (Files.isRegularFile(metadata)) {
            out.add(dir);
            return;
        }
        try {
            Object key = Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (key != null && !visited.add(key)) {
                return; // symbolic link loop
            }
        } catch (IOException e) {
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                children.add(p);
            }
        } catch (IOException | SecurityException e) {
            return; // unreadable directories are skipped, like babeltrace2 does on EACCES
        }
        children.sort((a, b) -> Utf8Order.compare(a.getFileName().toString(), b.getFileName().toString()));
        for (Path c : children) {
            collect(c, out, visited);
        }
    }

    private FsTrace assemble(Group g) {
        // babeltrace2 sorts the inputs of a component, then builds one trace per input.
        List<Found> members = new ArrayList<>(g.members);
        members.sort((a, b) -> Utf8Order.compare(a.key(), b.key()));
        Found winner = members.get(0);
        int winnerCount = classCount(winner.traceClass());
        for (Found f : members) {
            int c = classCount(f.traceClass());
            if (c > winnerCount) {
                winner = f;
                winnerCount = c;
            }
        }
        String suffix = members.size() == 1 && g.inputs.size() == 1 ? winner.suffix() : null;
        TraceClass tc = winner.traceClass();
        String name = traceName(tc, suffix);
        List<Path> dirs = new ArrayList<>();
        for (Found f : members) {
            dirs.add(normalize(f.dir()));
        }
        FsTrace trace = new FsTrace(normalize(winner.dir()), dirs, name, tc);
        // The winner's streams first, then the others merged into them in sorted order.
        List<FsDataStream> streams = new ArrayList<>();
        readStreams(trace, normalize(winner.dir()), tc, streams);
        for (Found f : members) {
            if (f != winner) {
                readStreams(trace, normalize(f.dir()), tc, streams);
            }
        }
        for (FsDataStream s : streams) {
            trace.addStream(s);
        }
        trace.sortStreams();
        long nextId = 0;
        for (var ds : trace.streams()) {
            FsDataStream s = (FsDataStream) ds;
            if (s.instanceId() == -1) {
                s.setId(nextId++);
            } else {
                s.setId(s.instanceId());
            }
            s.computePacketTimes();
        }
        TracerQuirks.apply(trace, backend);
        return trace;
    }

    static String traceName(TraceClass tc, String suffix) {
        StringBuilder name = new StringBuilder();
        Object host = tc.environment().get("hostname");
        if (host instanceof String h) {
            name.append(h);
            if (suffix != null) {
                name.append('/');
            }
        }
        if (suffix != null) {
            name.append(suffix);
        }
        return name.toString();
    }

    private static int classCount(TraceClass tc) {
        int n = 0;
        for (StreamClass sc : tc.streamClasses()) {
            n += 1 + sc.eventClasses().size();
        }
        return n;
    }

    private static Path normalize(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /**
     * Reads the stream files of one directory into {@code streams}: a file joins an existing stream with the same
     * stream class and instance id; files without an instance id (or without packet times) are streams of their own.
     */
    private void readStreams(FsTrace trace, Path dir, TraceClass tc, List<FsDataStream> streams) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.equals("metadata") || n.startsWith(".")) {
                    continue;
                }
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                files.add(p);
            }
        } catch (IOException e) {
            throw new CtfException(dir + ": cannot list directory: " + e.getMessage(), e);
        }
        files.sort((a, b) -> Utf8Order.compare(a.getFileName().toString(), b.getFileName().toString()));
        List<FsDataStream> fromThisDir = new ArrayList<>();
        for (Path file : files) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new CtfException(file + ": cannot read stream file: " + e.getMessage(), e);
            }
            if (size == 0) {
                continue;
            }
            if (!Files.isReadable(file)) {
                throw new CtfException(file + ": cannot open stream file: permission denied");
            }
            List<PacketIndexEntry> packets = packetsOf(trace, tc, file, size);
            PacketIndexEntry first = packets.get(0);
            StreamClass sc = tc.streamClass(first.streamClassId());
            if (sc == null) {
                throw CtfException.atOffset(file, 0, "no stream class with id " + first.streamClassId()
                        + " in the metadata");
            }
            long beginNs = -1;
            if (sc.defaultClock() != null && first.beginCycles() != ClockValue.NONE) {
                try {
                    beginNs = sc.defaultClock().cyclesToNanosFromOrigin(first.beginCycles());
                } catch (ArithmeticException e) {
                    throw CtfException.atOffset(file, first.offset(), "cannot convert the packet's beginning time ("
                            + Long.toUnsignedString(first.beginCycles()) + " cycles of clock '"
                            + sc.defaultClock().name() + "') to ns from origin: out of range");
                }
            }
            long instance = beginNs == -1 ? -1 : first.streamInstanceId();
            FsDataStream target = null;
            if (instance != -1) {
                // Same stream class and instance id: the same stream, in this directory or an earlier chunk.
                for (List<FsDataStream> candidates : List.of(streams, fromThisDir)) {
                    for (FsDataStream s : candidates) {
                        if (target == null && s.instanceId() == instance && s.streamClass().id() == sc.id()) {
                            target = s;
                        }
                    }
                }
            }
            if (target == null) {
                target = new FsDataStream(trace, sc, instance);
                fromThisDir.add(target);
            }
            target.addFile(file, beginNs);
            target.mergePackets(packets);
        }
        streams.addAll(fromThisDir);
    }

    private List<PacketIndexEntry> packetsOf(FsTrace trace, TraceClass tc, Path file, long size) {
        // An unusable index is reported only once the scan that replaces it succeeds: when the scan fails, its
        // error is the one line the user sees.
        List<String> indexWarnings = new ArrayList<>(1);
        List<PacketIndexEntry> fromIndex = LttngIndex.readIfValid(file, size, indexWarnings::add);
        if (!indexWarnings.isEmpty()) {
            List<PacketIndexEntry> scanned = scan(tc, file);
            indexWarnings.forEach(warnings);
            return scanned;
        }
        if (fromIndex != null && !fromIndex.isEmpty()) {
            PacketIndexEntry first = fromIndex.get(0);
            StreamClass sc = tc.streamClass(first.streamClassId());
            // babeltrace2 uses an index only for streams with a clock; a 1.0 index has no instance id, so the
            // first packet's header is read to get it.
            if (sc != null && sc.defaultClock() != null) {
                if (first.streamInstanceId() != -1 || !hasInstanceId(tc)) {
                    return fromIndex;
                }
                long instance = firstPacketInstanceId(trace, sc, first);
                List<PacketIndexEntry> fixed = new ArrayList<>(fromIndex.size());
                for (PacketIndexEntry e : fromIndex) {
                    fixed.add(new PacketIndexEntry(e.file(), e.offset(), e.totalSizeBits(), e.contentSizeBits(),
                            e.beginCycles(), e.endCycles(), e.discardedEventCounter(), e.sequenceNumber(),
                            e.streamClassId(), instance));
                }
                return fixed;
            }
        }
        return scan(tc, file);
    }

    /**
     * The {@code stream_instance_id} of a packet, read by decoding only that packet's header (a version 1.0 index
     * does not record it).
     */
    private long firstPacketInstanceId(FsTrace trace, StreamClass sc, PacketIndexEntry first) {
        FsDataStream probe = new FsDataStream(trace, sc, -1);
        long[] id = {-1};
        try (MessageCursor c = backend.openStream(probe, List.of(first))) {
            while (c.next()) {
                if (c.type() == MessageType.PACKET_BEGINNING) {
                    c.packet().accept(Scope.PACKET_HEADER, new FieldVisitor() {
                        private int depth;

                        @Override
                        public void beginStruct(String name, StructClass type) {
                            depth++;
                        }

                        @Override
                        public void endStruct(String name, StructClass type) {
                            depth--;
                        }

                        @Override
                        public void integer(String name, IntegerClass type, long value) {
                            if (depth == 1 && (type.hasRole(IntegerClass.Role.DATA_STREAM_ID)
                                    || "stream_instance_id".equals(name))) {
                                id[0] = value;
                            }
                        }
                    });
                    break;
                }
            }
        }
        return id[0];
    }

    private static boolean hasInstanceId(TraceClass tc) {
        if (tc.packetHeader() == null) {
            return false;
        }
        for (StructClass.Member m : tc.packetHeader().members()) {
            if (m.type() instanceof IntegerClass ic && ic.hasRole(IntegerClass.Role.DATA_STREAM_ID)) {
                return true;
            }
        }
        return tc.packetHeader().indexOf("stream_instance_id") >= 0;
    }

    private List<PacketIndexEntry> scan(TraceClass tc, Path file) {
        List<PacketIndexEntry> scanned = backend.scanPackets(tc, file);
        if (scanned.isEmpty()) {
            throw CtfException.atOffset(file, 0, "no packet in stream file");
        }
        return scanned;
    }
}

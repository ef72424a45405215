package io.tracestream.ctf.follow;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.DecodeOptions;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.LttngIndex;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Follows the traces under a folder while they are being written, e.g. the output folder of an LTTng session that
 * records to local disk, rotating or not ({@code lttng rotate}, {@code lttng enable-rotation}).
 *
 * <pre>{@code
 * TraceFollower f = new TraceFollower(sessionDir, System.err::println);
 * while (recording) {
 *     FollowUpdate u = f.poll();
 *     for (FollowUpdate.NewPackets np : u.newPackets()) {
 *         TraceDecoder dec = np.stream().trace().decoder();
 *         try (MessageCursor c = dec.openStream(np.stream(), np.packets())) { ... }
 *     }
 *     Thread.sleep(200);
 * }
 * }</pre>
 *
 * <p>Each poll walks the folder: every directory holding a {@code metadata} file is a trace (or one session-rotation
 * chunk; see {@link FollowedTrace#key()}), every other non-empty regular file in it a stream. Hidden folders are
 * skipped, except the one where LTTng stages a chunk while archiving it. A packet is reported
 * once it is complete: when its LTTng index entry ({@code index/NAME.idx}) is written, which LTTng does after the
 * packet's data, or, for streams without an index file, when its header and all its {@code packet_size} bytes are in
 * the file. Metadata that grew is parsed again; a metadata file caught in the middle of a write that does not parse
 * yet is retried on the next poll. Packets of a stream class the metadata does not describe yet wait for it.
 *
 * <p>Problems that may be transient (a file vanishing while LTTng archives a chunk, a stream whose packets do not
 * decode) never stop the follower: they are retried on every poll, reported once to the warnings consumer and kept
 * in {@link FollowedStream#lastError()}. Not thread safe between pollers; one thread polls.
 */
public final class TraceFollower {
    private final Path root;
    private final Consumer<String> warnings;
    private final Map<String, FollowedTrace> traces = new TreeMap<>();
    private final Set<String> warned = new HashSet<>();

    /** Follows the traces under {@code root} (which may not exist yet); warnings are dropped. */
    public TraceFollower(Path root) {
        this(root, w -> { });
    }

    /** Follows the traces under {@code root}; each distinct warning is given once to {@code warnings}. */
    public TraceFollower(Path root, Consumer<String> warnings) {
        this.root = root.toAbsolutePath().normalize();
        this.warnings = warnings;
    }

    /** The followed folder. */
    public Path root() {
        return root;
    }

    /** The traces seen so far, by key. */
    public synchronized List<FollowedTrace> traces() {
        return new ArrayList<>(traces.values());
    }

    /** The trace with this key, or null. */
    public synchronized FollowedTrace trace(String key) {
        return traces.get(key);
    }

    /** All streams seen so far, by trace key then file name. */
    public synchronized List<FollowedStream> streams() {
        List<FollowedStream> all = new ArrayList<>();
        for (FollowedTrace t : traces.values()) {
            all.addAll(t.followedStreams());
        }
        return all;
    }

    /** The stream with this {@link FollowedStream#key() key}, or null. */
    public synchronized FollowedStream stream(String key) {
        for (FollowedTrace t : traces.values()) {
            String prefix = t.key().isEmpty() ? "" : t.key() + "/";
            if (key.startsWith(prefix) && key.indexOf('/', prefix.length()) < 0) {
                FollowedStream s = t.stream(key.substring(prefix.length()));
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Looks at the folder again and reports what is new since the previous poll. */
    public synchronized FollowUpdate poll() {
        List<FollowedTrace> newTraces = new ArrayList<>();
        List<FollowedTrace> moved = new ArrayList<>();
        List<FollowedTrace> grown = new ArrayList<>();
        List<FollowedStream> newStreams = new ArrayList<>();
        List<FollowUpdate.NewPackets> newPackets = new ArrayList<>();

        for (Map.Entry<String, ChunkDir> e : discover(root).entrySet()) {
            ChunkDir found = e.getValue();
            FollowedTrace t = traces.get(e.getKey());
            Path metadata = found.dir.resolve("metadata");
            long size = sizeOrMinus1(metadata);
            if (t == null) {
                TraceClass tc = parseMetadata(metadata, size);
                if (tc != null) {
                    t = new FollowedTrace(e.getKey(), found.located.chunk(), found.dir, found.located.archived(), tc,
                            size);
                    traces.put(e.getKey(), t);
                    newTraces.add(t);
                }
                continue;
            }
            if (t.relocate(found.dir, found.located.archived())) {
                moved.add(t);
            }
            if (size > t.metadataSize()) {
                TraceClass tc = parseMetadata(metadata, size);
                if (tc != null) {
                    t.setMetadata(tc, size);
                    grown.add(t);
                }
            }
        }
        for (FollowedTrace t : traces.values()) {
            for (String name : streamFiles(t.directory())) {
                FollowedStream s = t.stream(name);
                if (s == null) {
                    s = t.addStream(name);
                    newStreams.add(s);
                }
                long first = s.packetCount();
                List<PacketIndexEntry> more = readNewPackets(t, s);
                if (!more.isEmpty()) {
                    s.add(more);
                    newPackets.add(new FollowUpdate.NewPackets(s, first, more));
                }
            }
        }
        return new FollowUpdate(newTraces, moved, grown, newStreams, newPackets);
    }

    /**
     * Where the stream with this key is now under {@code root}, without following: for a reader that was given a
     * stream's key and an old path that LTTng has since moved into {@code archives/}. Null when it is not there.
     */
    public static Path locateStream(Path root, String streamKey) {
        Path r = root.toAbsolutePath().normalize();
        for (Map.Entry<String, ChunkDir> e : discover(r).entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + "/";
            if (streamKey.startsWith(prefix) && streamKey.indexOf('/', prefix.length()) < 0) {
                Path f = e.getValue().dir.resolve(streamKey.substring(prefix.length()));
                if (Files.isRegularFile(f)) {
                    return f;
                }
            }
        }
        return null;
    }

    private List<PacketIndexEntry> readNewPackets(FollowedTrace t, FollowedStream s) {
        Path file = s.file();
        try {
            long fileSize = Files.size(file);
            Path idx = LttngIndex.indexPathOf(file);
            if (s.indexed() == null) {
                if (fileSize == 0) {
                    return List.of();
                }
                s.setIndexed(Files.isRegularFile(idx));
            }
            List<PacketIndexEntry> found;
            if (s.indexed()) {
                found = LttngIndex.readAvailable(idx, file, fileSize, s.packetCount());
            } else {
                found = t.decoder().scanCompletePackets(file, s.nextOffset(), DecodeOptions.DEFAULT);
            }
            return describedPrefix(t, s, found);
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // moved or removed between the listing and now; the next poll sees where it went
        } catch (IOException e) {
            problem(s, file + ": " + e.getMessage());
            return List.of();
        } catch (CtfException e) {
            problem(s, e.getMessage());
            return List.of();
        }
    }

    /** The packets up to the first one whose stream class the metadata does not describe (yet). */
    private List<PacketIndexEntry> describedPrefix(FollowedTrace t, FollowedStream s, List<PacketIndexEntry> found) {
        TraceClass tc = t.traceClass();
        if (tc.streamClasses().size() <= 1) {
            return found;
        }
        for (int i = 0; i < found.size(); i++) {
            long id = found.get(i).streamClassId();
            if (tc.streamClass(id) == null) {
                problem(s, s.file() + ": packet at offset " + found.get(i).offset() + " has stream class id " + id
                        + ", which the metadata does not describe (yet)");
                return found.subList(0, i);
            }
        }
        return found;
    }

    private void problem(FollowedStream s, String message) {
        s.setError(message);
        warn(message);
    }

    private void warn(String message) {
        if (warned.add(message)) {
            warnings.accept(message);
        }
    }

    private TraceClass parseMetadata(Path metadata, long size) {
        if (size <= 0) {
            return null;
        }
        try {
            return MetadataReader.read(metadata).traceClass();
        } catch (CtfException e) {
            // Often a metadata packet caught mid-write: retried on the next poll, reported in case it stays so.
            warn(e.getMessage() + " (retrying)");
            return null;
        }
    }

    private static long sizeOrMinus1(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    /** A trace directory found by a walk and where it is in the rotation layout. */
    private record ChunkDir(Path dir, ChunkPath.Located located) {
    }

    /** Trace directories under root by key; an archived copy wins over an active one with the same key. */
    private static Map<String, ChunkDir> discover(Path root) {
        List<Path> dirs = new ArrayList<>();
        collect(root, dirs, new HashSet<>());
        Map<String, ChunkDir> out = new LinkedHashMap<>();
        for (Path d : dirs) {
            ChunkPath.Located loc = ChunkPath.locate(root, d);
            ChunkDir prev = out.get(loc.key());
            if (prev == null || (loc.archived() && !prev.located.archived())) {
                out.put(loc.key(), new ChunkDir(d, loc));
            }
        }
        return out;
    }

    private static void collect(Path dir, List<Path> out, Set<Object> visited) {
        if (Files.isRegularFile(dir.resolve("metadata"))) {
            out.add(dir);
            return;
        }
        List<Path> children = new ArrayList<>();
        try {
            Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            if (key != null && !visited.add(key)) {
                return;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> Files.isDirectory(p)
                    && (!p.getFileName().toString().startsWith(".")
                        || p.getFileName().toString().equals(ChunkPath.STAGED_CHUNK_ZERO)))) {
                for (Path p : ds) {
                    children.add(p);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return; // absent or vanished while LTTng moves a chunk: seen on a later poll
        }
        children.sort(null);
        for (Path c : children) {
            collect(c, out, visited);
        }
    }

    /** The stream file names of a trace directory: non-hidden, non-empty regular files other than metadata. */
    private static List<String> streamFiles(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.equals("metadata") || n.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile() && a.size() > 0) {
                    names.add(n);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }
}

package io.tracestream.analyses.stream;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.DecodeOptions;
import io.tracestream.ctf.decode.PacketFeed;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.follow.FollowUpdate;
import io.tracestream.ctf.follow.FollowedStream;
import io.tracestream.ctf.follow.TraceFollower;
import io.tracestream.ctf.io.ForwardingMessageCursor;
import io.tracestream.ctf.io.MessageTieBreak;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.StreamClass;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The messages of a trace directory that is being written (a local LTTng session, rotating or not, or any CTF writer
 * that appends whole packets), merged in time order as its packets become complete ({@link TraceFollower}).
 *
 * <p>Ordering: a message goes out when every other stream has a later message ready, or has delivered a packet that
 * ends at or after it (a stream's next packet cannot begin before its previous one ended). A stream that has not
 * grown for the {@code idle} time (a quiet CPU whose buffer LTTng has not flushed yet) stops holding the others back:
 * events it delivers later than the time already passed are dropped and counted ({@link #lateEvents()}), with one
 * warning. The watermark is the earliest time a stream that still holds may deliver. Streams of archived rotation
 * chunks end when their packets are read. The source never ends by itself (a directory gives no sign that recording
 * stopped): close it, or stop the reader.
 */
public final class TraceDirectorySource extends ForwardingMessageCursor implements StreamSource {
    private final TraceFollower follower;
    private final long pollNanos;
    private final long idleNanos;
    private final Consumer<String> warnings;
    private final List<Feed> feeds = new ArrayList<>();
    private final Map<FollowedStream, Feed> byStream = new HashMap<>();
    private Feed current;
    private long lastReturned = Long.MIN_VALUE;
    /** Time already passed on (messages and watermarks given out): anything earlier is late. */
    private long floor = Long.MIN_VALUE;
    private long nextPoll;
    private long lateEvents;
    private boolean closed;
    private volatile boolean writingEnded;
    private boolean finalPollDone;

    /**
     * @param root     the folder LTTng (or another writer) records to
     * @param poll     how often to look for new packets (e.g. 200 ms)
     * @param idle     after how long without a new packet a stream stops holding the others back (e.g. 2 s)
     * @param warnings receives warnings (late events, transient read problems), one line each
     */
    public TraceDirectorySource(Path root, Duration poll, Duration idle, Consumer<String> warnings) {
        if (!Files.isDirectory(root)) {
            throw new CtfException(root + ": not a directory");
        }
        this.warnings = warnings;
        this.follower = new TraceFollower(root, warnings::accept);
        this.pollNanos = poll.toNanos();
        this.idleNanos = idle.toNanos();
        this.nextPoll = System.nanoTime();
    }

    /** A source polling every 200 ms, with streams idle after 2 s, warnings to standard error. */
    public TraceDirectorySource(Path root) {
        this(root, Duration.ofMillis(200), Duration.ofSeconds(2), w -> System.err.println("warning: " + w));
    }

    /** The traces found so far. */
    public List<Trace> traces() {
        return new ArrayList<>(follower.traces());
    }

    /**
     * The directory will not grow any more (the recording stopped): after one last look for packets, streams no
     * longer wait for each other's data; what was written is delivered in order, then {@link Status#END}.
     */
    public void endOfWriting() {
        writingEnded = true; // may be called from another thread: the reading thread polls once more, then drains
    }

    /** Events dropped because their stream was idle and delivered them after their time had passed. */
    public long lateEvents() {
        return lateEvents;
    }

    /** One stream: its complete packets not decoded yet (fed to its cursor one at a time), its cursor and head. */
    private final class Feed implements PacketFeed {
        final FollowedStream stream;
        final ArrayDeque<PacketIndexEntry> queue = new ArrayDeque<>();
        MessageCursor cursor;
        boolean hasHead;
        boolean ended;
        MessageType lastType;
        /** End time (ns) of the last packet queued: the stream's next message is not earlier. */
        long knownUntil = Long.MIN_VALUE;
        long lastGrowth = System.nanoTime();
        private FileChannel channel;
        private Path channelFile;

        Feed(FollowedStream stream) {
            this.stream = stream;
        }

        boolean atPacketBoundary() {
            return cursor == null || lastType == null || lastType == MessageType.PACKET_END;
        }

        boolean idle(long now) {
            return !hasHead && queue.isEmpty() && now - lastGrowth > idleNanos;
        }

        @Override
        public PacketIndexEntry next() {
            return queue.poll();
        }

        @Override
        public void read(PacketIndexEntry packet, int length, byte[] dst) {
            Path file = stream.file(); // LTTng may have moved it into archives/ since the packet was found
            try {
                if (channel == null || !file.equals(channelFile)) {
                    closeChannel();
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                    channelFile = file;
                }
                ByteBuffer b = ByteBuffer.wrap(dst, 0, length);
                long pos = packet.offset();
                while (b.hasRemaining()) {
                    int n = channel.read(b, pos);
                    if (n < 0) {
                        throw new CtfException(file + " at offset " + pos + ": the file ends inside a packet");
                    }
                    pos += n;
                }
            } catch (IOException e) {
                throw new CtfException(file + " at offset " + packet.offset() + ": cannot read the packet: "
                        + e.getMessage());
            }
        }

        @Override
        public TraceDecoder decoder() {
            return stream.trace().decoder();
        }

        void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only
                }
                channel = null;
            }
        }

        void close() {
            if (cursor != null) {
                cursor.close();
                cursor = null;
            }
            closeChannel();
        }
    }

    @Override
    public Status next(Duration maxWait) {
        long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
        if (current != null) {
            current.hasHead = false;
            current = null;
        }
        while (true) {
            if (closed) {
                return Status.END;
            }
            long now = System.nanoTime();
            if (writingEnded && !finalPollDone) {
                poll(now);
                finalPollDone = true;
            } else if (!finalPollDone && now - nextPoll >= 0) {
                poll(now);
                nextPoll = now + pollNanos;
            }
            for (Feed f : feeds) {
                fill(f);
            }
            feeds.removeIf(f -> {
                if (f.ended) {
                    f.close();
                    byStream.remove(f.stream);
                }
                return f.ended;
            });
            Feed best = null;
            long bestTime = 0;
            for (Feed f : feeds) {
                if (!f.hasHead) {
                    continue;
                }
                long t = time(f);
                if (best == null || t < bestTime
                        || (t == bestTime && MessageTieBreak.compare(f.cursor, best.cursor) < 0)) {
                    best = f;
                    bestTime = t;
                }
            }
            boolean blocked = false;
            for (Feed f : feeds) {
                if (f.hasHead || f.idle(now) || finalPollDone || (best != null && f.knownUntil >= bestTime)) {
                    continue;
                }
                blocked = true;
            }
            if (best != null && !blocked) {
                if (bestTime < floor && best.cursor.type() != MessageType.DISCARDED_EVENTS
                        && best.cursor.type() != MessageType.DISCARDED_PACKETS) {
                    if (best.cursor.type() == MessageType.EVENT && lateEvents++ == 0) {
                        warnings.accept(best.stream.key() + ": events delivered after their time had passed (the"
                                + " stream was idle) are dropped");
                    }
                    best.hasHead = false;
                    continue;
                }
                lastReturned = Math.max(lastReturned, bestTime);
                floor = Math.max(floor, lastReturned);
                current = best;
                return Status.MESSAGE;
            }
            if (best == null && finalPollDone) {
                return Status.END;
            }
            if (now - deadline >= 0) {
                return Status.WAITING;
            }
            sleep(Math.min(deadline, writingEnded ? now : nextPoll) - now);
        }
    }

    private long time(Feed f) {
        long t = f.cursor.timeNanos();
        return t == ClockValue.NONE ? Math.max(lastReturned, floor) : t;
    }

    private void poll(long now) {
        FollowUpdate u = follower.poll();
        for (FollowedStream s : u.newStreams()) {
            feed(s, now);
        }
        for (FollowUpdate.NewPackets np : u.newPackets()) {
            Feed f = feed(np.stream(), now);
            f.queue.addAll(np.packets());
            long end = endNanos(np.stream(), np.packets().get(np.packets().size() - 1));
            f.knownUntil = Math.max(f.knownUntil, end);
            f.lastGrowth = now;
            np.stream().releaseBefore(np.first() + np.packets().size()); // queued here: the follower may forget them
        }
    }

    private Feed feed(FollowedStream s, long now) {
        Feed f = byStream.get(s);
        if (f == null) {
            f = new Feed(s);
            f.lastGrowth = now;
            byStream.put(s, f);
            feeds.add(f);
        }
        return f;
    }

    private static long endNanos(FollowedStream s, PacketIndexEntry e) {
        StreamClass sc = s.streamClass();
        ClockClass clock = sc == null ? null : sc.defaultClock();
        if (clock == null || e.endCycles() == ClockValue.NONE || e.endCycles() < 0) {
            return Long.MIN_VALUE;
        }
        try {
            return clock.cyclesToNanosFromOrigin(e.endCycles());
        } catch (ArithmeticException ex) {
            return Long.MIN_VALUE;
        }
    }

    /** Moves a stream's cursor to its next message when it can without waiting for data. */
    private void fill(Feed f) {
        while (!f.hasHead && !f.ended) {
            if (f.atPacketBoundary() && f.queue.isEmpty()) {
                boolean over = f.stream.trace().archived() && f.cursor != null;
                if (!over) {
                    return; // wait for the next packet
                }
            }
            if (f.cursor == null) {
                f.cursor = f.stream.trace().decoder().openStream(f.stream, f,
                        DecodeOptions.DEFAULT.withQuirksFor(f.stream.trace().traceClass()));
            }
            if (f.cursor.next()) {
                f.hasHead = true;
                f.lastType = f.cursor.type();
            } else {
                f.ended = true;
            }
        }
    }

    /** The time every message still to come is at or after (ns). */
    @Override
    public long watermarkNanos() {
        long now = System.nanoTime();
        long w = Long.MAX_VALUE;
        long idleMax = Long.MIN_VALUE;
        for (Feed f : feeds) {
            long t;
            if (f.hasHead && f != current) {
                t = time(f);
            } else if (f.idle(now)) {
                idleMax = Math.max(idleMax, f.knownUntil);
                continue;
            } else {
                t = Math.max(f.knownUntil, lastReturned);
            }
            w = Math.min(w, t);
        }
        if (w == Long.MAX_VALUE) {
            w = Math.max(lastReturned, idleMax); // every stream idle: as far as they all got
        }
        floor = Math.max(floor, w);
        return floor;
    }

    private void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    protected MessageCursor delegate() {
        if (current == null) {
            throw noCurrentMessage();
        }
        return current.cursor;
    }

    /** Stops following (the next {@link #next(Duration)} returns {@link Status#END}). */
    @Override
    public void close() {
        closed = true;
        for (Feed f : feeds) {
            f.close();
        }
    }
}

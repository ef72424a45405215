package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against a fake, broken or malicious relay on loopback: bad lengths and counts, unknown statuses,
 * silence, a closed connection. Each must end in a one-line {@link LiveException}, never an out-of-memory error or a
 * hang.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeRelayTest {
    /** What the fake relay answers to one command. */
    interface Script {
        /** Answers command {@code cmd} (payload already read); returns false to stop answering (silence). */
        boolean answer(int cmd, ByteBuffer payload, OutputStream out) throws IOException;
    }

    /** Runs a fake relay for one connection in a daemon thread; returns its port. */
    private static int fake(Script script) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (server; Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    long size = in.readLong();
                    int cmd = in.readInt();
                    in.readInt();
                    byte[] payload = new byte[(int) size];
                    in.readFully(payload);
                    if (!script.answer(cmd, ByteBuffer.wrap(payload), out)) {
                        Thread.sleep(60_000);
                        return;
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // client went away
            }
        }, "fake-relay");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static void connectReply(OutputStream out, int major) throws IOException {
        out.write(ByteBuffer.allocate(20).putLong(7).putInt(major).putInt(4).putInt(1).array());
    }

    private static byte[] session(long id, String host, String name) {
        ByteBuffer b = ByteBuffer.allocate(ViewerConnection.SESSION_SIZE);
        b.putLong(id).putInt(100000).putInt(0).putInt(1);
        byte[] h = host.getBytes();
        b.put(h).position(b.position() + ViewerConnection.HOST_NAME_MAX - h.length);
        b.put(name.getBytes());
        return b.array();
    }

    private static LiveOptions quick() {
        return LiveOptions.defaults().readTimeout(Duration.ofMillis(500)).reconnectFor(Duration.ZERO)
                .sessionNotFound(LiveOptions.SessionNotFound.FAIL);
    }

    private static LiveUrl url(int port) {
        return LiveUrl.parse("net://127.0.0.1:" + port + "/host/h/s");
    }

    /** A relay that accepts the session and then answers the stream queries with {@code tail}. */
    private static int withSession(Script tail) throws IOException {
        return fake((cmd, p, out) -> {
            switch (cmd) {
                case ViewerConnection.CMD_CONNECT -> connectReply(out, 2);
                case ViewerConnection.CMD_CREATE_SESSION -> out.write(ByteBuffer.allocate(4).putInt(1).array());
                case ViewerConnection.CMD_LIST_SESSIONS -> {
                    out.write(ByteBuffer.allocate(4).putInt(1).array());
                    out.write(session(1, "h", "s"));
                }
                case ViewerConnection.CMD_ATTACH_SESSION -> {
                    out.write(ByteBuffer.allocate(8).putInt(ViewerConnection.ATTACH_OK).putInt(2).array());
                    out.write(stream(10, 1, true, "h/s/ust", "metadata"));
                    out.write(stream(11, 1, false, "h/s/ust", "chan_0"));
                }
                default -> {
                    return tail.answer(cmd, p, out);
                }
            }
            return true;
        });
    }

    private static byte[] stream(long id, long trace, boolean metadata, String path, String channel) {
        ByteBuffer b = ByteBuffer.allocate(ViewerConnection.STREAM_SIZE);
        b.putLong(id).putLong(trace).putInt(metadata ? 1 : 0);
        b.put(path.getBytes()).position(8 + 8 + 4 + ViewerConnection.PATH_MAX);
        b.put(channel.getBytes());
        return b.array();
    }

    private static String error(int port) {
        LiveException e = assertThrows(LiveException.class, () -> {
            try (LiveSession s = LiveSession.open(url(port), quick())) {
                while (s.next()) {
                    // drain
                }
            }
        });
        String m = e.getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        assertTrue(m.contains("relay daemon 127.0.0.1:" + port), m);
        return m;
    }

    @Test
    void hugeSessionCount() throws IOException {
        int port = fake((cmd, p, out) -> {
            switch (cmd) {
                case ViewerConnection.CMD_CONNECT -> connectReply(out, 2);
                case ViewerConnection.CMD_CREATE_SESSION -> out.write(ByteBuffer.allocate(4).putInt(1).array());
                default -> out.write(ByteBuffer.allocate(4).putInt(-1).array());
            }
            return true;
        });
        assertTrue(error(port).contains("announced 4294967295 sessions"));
    }

    @Test
    void otherMajorVersion() throws IOException {
        int port = fake((cmd, p, out) -> {
            connectReply(out, 3);
            return true;
        });
        assertTrue(error(port).contains("speaks live protocol 3.4"));
    }

    @Test
    void silentRelayTimesOut() throws IOException {
        int port = fake((cmd, p, out) -> false);
        assertTrue(error(port).contains("read timeout"));
    }

    @Test
    void closedConnection() throws IOException {
        int port = fake((cmd, p, out) -> {
            throw new IOException("bye");
        });
        assertTrue(error(port).contains("closed the connection"));
    }

    @Test
    void hugeStreamCount() throws IOException {
        int port = fake((cmd, p, out) -> {
            switch (cmd) {
                case ViewerConnection.CMD_CONNECT -> connectReply(out, 2);
                case ViewerConnection.CMD_CREATE_SESSION -> out.write(ByteBuffer.allocate(4).putInt(1).array());
                case ViewerConnection.CMD_LIST_SESSIONS -> {
                    out.write(ByteBuffer.allocate(4).putInt(1).array());
                    out.write(session(1, "h", "s"));
                }
                default -> out.write(ByteBuffer.allocate(8).putInt(1).putInt(0x7fffffff).array());
            }
            return true;
        });
        assertTrue(error(port).contains("announced 2147483647 streams"));
    }

    @Test
    void hugeMetadataChunk() throws IOException {
        int port = withSession((cmd, p, out) -> {
            if (cmd == ViewerConnection.CMD_GET_NEW_STREAMS) {
                out.write(ByteBuffer.allocate(8).putInt(ViewerConnection.NEW_STREAMS_NO_NEW).putInt(0).array());
            } else if (cmd == ViewerConnection.CMD_GET_NEXT_INDEX) {
                out.write(ByteBuffer.allocate(ViewerConnection.INDEX_SIZE).putLong(0).putLong(4096 * 8)
                        .putLong(4096 * 8).putLong(0).putLong(0).putLong(0).putLong(0)
                        .putInt(ViewerConnection.INDEX_OK).putInt(0).array());
            } else if (cmd == ViewerConnection.CMD_GET_METADATA) {
                out.write(ByteBuffer.allocate(12).putLong(Long.MAX_VALUE).putInt(ViewerConnection.METADATA_OK)
                        .array());
            }
            return true;
        });
        assertTrue(error(port).contains("metadata chunk of 9223372036854775807 bytes"));
    }

    @Test
    void badPacketSizes() throws IOException {
        int port = withSession((cmd, p, out) -> {
            if (cmd == ViewerConnection.CMD_GET_NEW_STREAMS) {
                out.write(ByteBuffer.allocate(8).putInt(ViewerConnection.NEW_STREAMS_NO_NEW).putInt(0).array());
            } else if (cmd == ViewerConnection.CMD_GET_NEXT_INDEX) {
                out.write(ByteBuffer.allocate(ViewerConnection.INDEX_SIZE).putLong(0).putLong(-8)
                        .putLong(8).putLong(0).putLong(0).putLong(0).putLong(0)
                        .putInt(ViewerConnection.INDEX_OK).putInt(0).array());
            }
            return true;
        });
        assertTrue(error(port).contains("packet size 18446744073709551608 bits"));
    }

    @Test
    void packetLongerThanAsked() throws IOException {
        String tsdl = "/* CTF 1.8 */ trace { major = 1; minor = 8; byte_order = le; };";
        int port = withSession((cmd, p, out) -> {
            switch (cmd) {
                case ViewerConnection.CMD_GET_NEW_STREAMS -> out.write(ByteBuffer.allocate(8)
                        .putInt(ViewerConnection.NEW_STREAMS_NO_NEW).putInt(0).array());
                case ViewerConnection.CMD_GET_NEXT_INDEX -> out.write(ByteBuffer.allocate(ViewerConnection.INDEX_SIZE)
                        .putLong(0).putLong(64).putLong(64).putLong(0).putLong(0).putLong(0).putLong(0)
                        .putInt(ViewerConnection.INDEX_OK).putInt(0).array());
                case ViewerConnection.CMD_GET_METADATA -> {
                    if (p.getLong(0) == 10 && !sent[0]) {
                        sent[0] = true;
                        out.write(ByteBuffer.allocate(12).putLong(tsdl.length())
                                .putInt(ViewerConnection.METADATA_OK).array());
                        out.write(tsdl.getBytes());
                    } else {
                        out.write(ByteBuffer.allocate(12).putLong(0).putInt(ViewerConnection.METADATA_NO_NEW)
                                .array());
                    }
                }
                case ViewerConnection.CMD_GET_PACKET -> out.write(ByteBuffer.allocate(12)
                        .putInt(ViewerConnection.PACKET_OK).putInt(1 << 30).putInt(0).array());
                default -> { }
            }
            return true;
        });
        assertTrue(error(port).contains("sent a packet of 1073741824 bytes for a request of 8 bytes"));
    }

    private static final boolean[] sent = new boolean[1];

    @Test
    void urls() {
        assertEquals(new LiveUrl("127.0.0.1", 5344, "h", "s"), LiveUrl.parse("net://127.0.0.1/host/h/s"));
        assertEquals(new LiveUrl("::1", 6000, null, null), LiveUrl.parse("net://[::1]:6000"));
        assertEquals("net://localhost:5344/host/h/s", LiveUrl.parse("net4://localhost/host/h/s").toString());
        for (String bad : new String[] {"http://x", "net://", "net://h:0", "net://h:x/host/a/b", "net://h/host/a",
                "net://h/session/a/b"}) {
            LiveException e = assertThrows(LiveException.class, () -> LiveUrl.parse(bad));
            assertTrue(e.getMessage().startsWith("invalid LTTng live URL '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void positionsRoundTrip() {
        LivePositions p = LivePositions.of(java.util.List.of(
                new LivePositions.Stream("h/s-1/ust/uid/0/64-bit/chan0_0", 3, 10, -1, 4096),
                new LivePositions.Stream("we\"ird\\path", 1, 0, 0, 0)));
        LivePositions q = LivePositions.fromJson(p.toJson());
        assertEquals(p.streams(), q.streams());
        assertThrows(IllegalArgumentException.class, () -> LivePositions.fromJson("{\"version\":2}"));
    }
}

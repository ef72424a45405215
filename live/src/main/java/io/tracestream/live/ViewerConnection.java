package io.tracestream.live;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection to lttng-relayd's live port, speaking the viewer protocol (version 2.4, as babeltrace2 2.0):
 * each command is a 16-byte header (payload size, command, version) and a payload, all integers big-endian; each
 * reply has a fixed layout, sometimes followed by a counted list or a sized blob.
 *
 * <p>Every count and size read from the wire is checked against a bound before anything is allocated, every read has
 * a timeout, and every violation is a {@link LiveException} naming the relay and the reply. Not thread-safe.
 */
final class ViewerConnection implements AutoCloseable {
    static final int MAJOR = 2;
    static final int MINOR = 4;

    // Commands.
    static final int CMD_CONNECT = 1;
    static final int CMD_LIST_SESSIONS = 2;
    static final int CMD_ATTACH_SESSION = 3;
    static final int CMD_GET_NEXT_INDEX = 4;
    static final int CMD_GET_PACKET = 5;
    static final int CMD_GET_METADATA = 6;
    static final int CMD_GET_NEW_STREAMS = 7;
    static final int CMD_CREATE_SESSION = 8;
    static final int CMD_DETACH_SESSION = 9;

    // Reply flags.
    static final int FLAG_NEW_METADATA = 1;
    static final int FLAG_NEW_STREAM = 2;

    // Statuses.
    static final int ATTACH_OK = 1, ATTACH_ALREADY = 2, ATTACH_UNK = 3, ATTACH_NOT_LIVE = 4, ATTACH_SEEK_ERR = 5,
            ATTACH_NO_SESSION = 6;
    static final int INDEX_OK = 1, INDEX_RETRY = 2, INDEX_HUP = 3, INDEX_ERR = 4, INDEX_INACTIVE = 5, INDEX_EOF = 6;
    static final int PACKET_OK = 1, PACKET_RETRY = 2, PACKET_ERR = 3, PACKET_EOF = 4;
    static final int METADATA_OK = 1, METADATA_NO_NEW = 2, METADATA_ERR = 3;
    static final int NEW_STREAMS_OK = 1, NEW_STREAMS_NO_NEW = 2, NEW_STREAMS_ERR = 3, NEW_STREAMS_HUP = 4;
    static final int SEEK_BEGINNING = 1, SEEK_LAST = 2;

    // Fixed sizes of the ABI's packed structures.
    static final int HOST_NAME_MAX = 64;
    static final int NAME_MAX = 255;
    static final int PATH_MAX = 4096;
    static final int SESSION_SIZE = 8 + 4 + 4 + 4 + HOST_NAME_MAX + NAME_MAX;
    static final int STREAM_SIZE = 8 + 8 + 4 + PATH_MAX + NAME_MAX;
    static final int INDEX_SIZE = 7 * 8 + 4 + 4;

    // Bounds on what the relay may announce.
    static final int MAX_SESSIONS = 1 << 16;
    static final int MAX_STREAMS = 1 << 16;
    static final long MAX_METADATA_CHUNK = 64L << 20;
    static final long MAX_PACKET = 256L << 20;

    private final String where;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int readTimeoutMillis;
    private final byte[] small = new byte[STREAM_SIZE];
    private long viewerSessionId;

    private ViewerConnection(String where, Socket socket, int readTimeoutMillis) throws IOException {
        this.where = where;
        this.socket = socket;
        this.readTimeoutMillis = readTimeoutMillis;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 256);
    }

    /**
     * Connects to the relay and negotiates the protocol version.
     *
     * @throws LiveException when the relay cannot be reached or speaks another major version
     */
    static ViewerConnection open(String host, int port, int connectTimeoutMillis, int readTimeoutMillis) {
        String where = "relay daemon " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMillis);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        } catch (IOException e) {
            closeQuietly(s);
            throw new ConnectionLost("cannot connect to the " + where + ": " + e.getMessage(), e);
        }
        ViewerConnection c;
        try {
            c = new ViewerConnection(where, s, readTimeoutMillis);
        } catch (IOException e) {
            closeQuietly(s);
            throw new LiveException("cannot connect to the " + where + ": " + e.getMessage(), e);
        }
        try {
            c.handshake();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    String where() {
        return where;
    }

    private void handshake() {
        ByteBuffer p = ByteBuffer.allocate(20);
        p.putLong(0).putInt(MAJOR).putInt(MINOR).putInt(1 /* command connection */);
        send(CMD_CONNECT, p);
        ByteBuffer r = receive(20, "connect reply");
        viewerSessionId = r.getLong();
        int major = r.getInt();
        int minor = r.getInt();
        if (major != MAJOR) {
            throw error("speaks live protocol " + Integer.toUnsignedString(major) + "." + Integer.toUnsignedString(minor)
                    + ", this client speaks " + MAJOR + "." + MINOR);
        }
    }

    /** The sessions the relay offers. */
    List<RelaySession> listSessions() {
        send(CMD_LIST_SESSIONS, ByteBuffer.allocate(0));
        long count = Integer.toUnsignedLong(receive(4, "session list reply").getInt());
        checkCount(count, MAX_SESSIONS, "sessions", "session list reply");
        List<RelaySession> list = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            ByteBuffer b = receive(SESSION_SIZE, "session list entry");
            long id = b.getLong();
            long timer = Integer.toUnsignedLong(b.getInt());
            long clients = Integer.toUnsignedLong(b.getInt());
            long streams = Integer.toUnsignedLong(b.getInt());
            String host = string(b, HOST_NAME_MAX);
            String name = string(b, NAME_MAX);
            list.add(new RelaySession(id, timer, clients, streams, host, name));
        }
        return list;
    }

    /** Creates the viewer session that attached sessions belong to. */
    void createViewerSession() {
        send(CMD_CREATE_SESSION, ByteBuffer.allocate(0));
        int status = receive(4, "create session reply").getInt();
        if (status != 1) {
            throw error("refused to create a viewer session (status " + Integer.toUnsignedString(status) + ")");
        }
    }

    /** Attaches to a relay session; the reply's status and, when OK, the session's streams. */
    StreamsReply attach(long sessionId, boolean fromBeginning) {
        ByteBuffer p = ByteBuffer.allocate(20);
        p.putLong(sessionId).putLong(0).putInt(fromBeginning ? SEEK_BEGINNING : SEEK_LAST);
        send(CMD_ATTACH_SESSION, p);
        return streams("attach reply");
    }

    /** The streams added to a session since the last attach or call. */
    StreamsReply newStreams(long sessionId) {
        ByteBuffer p = ByteBuffer.allocate(8);
        p.putLong(sessionId);
        send(CMD_GET_NEW_STREAMS, p);
        return streams("new streams reply");
    }

    private StreamsReply streams(String what) {
        ByteBuffer h = receive(8, what);
        int status = h.getInt();
        long count = Integer.toUnsignedLong(h.getInt());
        checkCount(count, MAX_STREAMS, "streams", what);
        List<RelayStream> list = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            ByteBuffer b = receive(STREAM_SIZE, what + " stream entry");
            long id = b.getLong();
            long traceId = b.getLong();
            int metadataFlag = b.getInt();
            String path = string(b, PATH_MAX);
            String channel = string(b, NAME_MAX);
            list.add(new RelayStream(id, traceId, metadataFlag != 0, path, channel));
        }
        return new StreamsReply(status, list);
    }

    /** Detaches from a relay session; false when the relay did not know it. */
    boolean detach(long sessionId) {
        ByteBuffer p = ByteBuffer.allocate(8);
        p.putLong(sessionId);
        send(CMD_DETACH_SESSION, p);
        return receive(4, "detach reply").getInt() == 1;
    }

    /** The next chunk of a metadata stream: status and bytes (empty unless OK). */
    MetadataReply metadata(long streamId) {
        ByteBuffer p = ByteBuffer.allocate(8);
        p.putLong(streamId);
        send(CMD_GET_METADATA, p);
        ByteBuffer h = receive(12, "metadata reply");
        long len = h.getLong();
        int status = h.getInt();
        if (status != METADATA_OK) {
            return new MetadataReply(status, new byte[0]);
        }
        if (len < 0 || len > MAX_METADATA_CHUNK) {
            throw error("announced a metadata chunk of " + Long.toUnsignedString(len) + " bytes (limit "
                    + MAX_METADATA_CHUNK + ")");
        }
        byte[] data = new byte[(int) len];
        readFully(data, 0, data.length, "metadata");
        return new MetadataReply(status, data);
    }

    /** The index of the next packet of a data stream, or its status (retry, inactive, hung up...). */
    Index nextIndex(long streamId) {
        ByteBuffer p = ByteBuffer.allocate(8);
        p.putLong(streamId);
        send(CMD_GET_NEXT_INDEX, p);
        ByteBuffer b = receive(INDEX_SIZE, "next index reply");
        return new Index(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                b.getInt(), b.getInt());
    }

    /**
     * A packet of a data stream: {@code length} bytes at {@code offset}. An OK reply must carry exactly
     * {@code length} bytes.
     */
    PacketReply packet(long streamId, long offset, int length) {
        ByteBuffer p = ByteBuffer.allocate(20);
        p.putLong(streamId).putLong(offset).putInt(length);
        send(CMD_GET_PACKET, p);
        ByteBuffer h = receive(12, "packet reply");
        int status = h.getInt();
        long len = Integer.toUnsignedLong(h.getInt());
        int flags = h.getInt();
        if (status != PACKET_OK) {
            return new PacketReply(status, flags, null);
        }
        if (len != length) {
            throw error("sent a packet of " + len + " bytes for a request of " + length + " bytes (stream "
                    + Long.toUnsignedString(streamId) + ", offset " + Long.toUnsignedString(offset) + ")");
        }
        byte[] data = new byte[length];
        readFully(data, 0, length, "packet data");
        return new PacketReply(status, flags, data);
    }

    private void send(int command, ByteBuffer payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.capacity());
        b.putLong(payload.capacity()).putInt(command).putInt(0).put(payload.array());
        try {
            out.write(b.array());
            out.flush();
        } catch (IOException e) {
            throw new ConnectionLost("lost the connection to the " + where + " while sending a command: "
                    + e.getMessage(), e);
        }
    }

    private ByteBuffer receive(int size, String what) {
        byte[] a = size <= small.length ? small : new byte[size];
        readFully(a, 0, size, what);
        return ByteBuffer.wrap(a, 0, size).slice();
    }

    private void readFully(byte[] a, int off, int len, String what) {
        try {
            while (len > 0) {
                int n = in.read(a, off, len);
                if (n < 0) {
                    throw new EOFException();
                }
                off += n;
                len -= n;
            }
        } catch (SocketTimeoutException e) {
            throw new ConnectionLost("the " + where + " did not send the " + what + " within "
                    + readTimeoutMillis + " ms (read timeout)", e);
        } catch (EOFException e) {
            throw new ConnectionLost("the " + where + " closed the connection (while reading the " + what + ")", e);
        } catch (IOException e) {
            throw new ConnectionLost("lost the connection to the " + where + " (while reading the " + what + "): "
                    + e.getMessage(), e);
        }
    }

    private void checkCount(long count, long max, String items, String what) {
        if (count > max) {
            throw error("announced " + count + " " + items + " in its " + what + " (limit " + max + ")");
        }
    }

    LiveException error(String what) {
        return new LiveException("the " + where + " " + what);
    }

    /** A NUL-terminated string in a fixed-size field (the ABI's char arrays). */
    private static String string(ByteBuffer b, int size) {
        int start = b.position();
        int end = start;
        int limit = start + size;
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        String s = new String(b.array(), b.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        b.position(limit);
        return s;
    }

    long viewerSessionId() {
        return viewerSessionId;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** The connection failed or broke (as opposed to a protocol violation): reconnecting may help. */
    static final class ConnectionLost extends LiveException {
        private static final long serialVersionUID = 1L;

        ConnectionLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A session entry of the relay's list. */
    record RelaySession(long id, long liveTimer, long clients, long streams, String hostname, String name) {
    }

    /** A stream of an attached session. */
    record RelayStream(long id, long traceId, boolean metadata, String path, String channel) {
    }

    /** The reply to attach and get-new-streams. */
    record StreamsReply(int status, List<RelayStream> streams) {
    }

    /** The reply to get-metadata. */
    record MetadataReply(int status, byte[] data) {
    }

    /** The reply to get-packet; {@code data} is null unless the status is OK. */
    record PacketReply(int status, int flags, byte[] data) {
    }

    /** The reply to get-next-index (the ABI's {@code lttng_viewer_index}); sizes in bits, times in cycles. */
    record Index(long offset, long packetSizeBits, long contentSizeBits, long tsBegin, long tsEnd, long discarded,
                 long streamClassId, int status, int flags) {
    }
}

package io.tracestream.ftrace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies one CPU's ring buffer pages from {@code per_cpu/cpuN/trace_pipe_raw} to a capture file, on its own thread,
 * until stopped and drained; each page is cut after its data (see {@link RingBufferReader}).
 *
 * <p>A read of {@code trace_pipe_raw} returns one page (a full one, or the events written so far) and blocks when
 * the buffer is empty. So the reader only reads when the buffer's {@code stats} report unread entries (or right
 * after a full page, when more is likely), and otherwise polls every {@value #POLL_MS} ms; after {@link #stop()}
 * (tracing is off by then) it reads until the buffer is empty. A read that still blocks is ended by closing the
 * file ({@link #abort()}).
 */
final class CpuReader implements Runnable {
    static final int POLL_MS = 50;

    private final Tracefs.Instance instance;
    private final int cpu;
    private final Path output;
    private final int pageSize;
    private final HeaderPage header;
    private volatile boolean stopping;
    private volatile FileChannel in;
    private final Thread thread;
    private volatile Throwable failure;
    private long pages;
    private long bytes;

    CpuReader(Tracefs.Instance instance, int cpu, Path output, int pageSize, HeaderPage header) {
        this.instance = instance;
        this.cpu = cpu;
        this.output = output;
        this.pageSize = pageSize;
        this.header = header;
        this.thread = new Thread(this, "tracestream-ftrace-cpu" + cpu);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Asks the reader to drain the buffer and finish (call after tracing is turned off). */
    void stop() {
        stopping = true;
    }

    /** Waits for the reader; closes its file if it is still blocked after {@code millis}. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
        if (thread.isAlive()) {
            abort();
            thread.join(5000);
        }
    }

    void abort() {
        FileChannel c = in;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing to unblock
            }
        }
    }

    Throwable failure() {
        return failure;
    }

    long pages() {
        return pages;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void run() {
        Path raw = instance.path("per_cpu/cpu" + cpu + "/trace_pipe_raw");
        try (FileChannel src = FileChannel.open(raw, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            in = src;
            ByteBuffer page = ByteBuffer.allocate(pageSize).order(java.nio.ByteOrder.nativeOrder());
            boolean lastFull = false;
            while (true) {
                if (!lastFull) {
                    long entries = instance.stat(cpu, "entries");
                    if (entries == 0) {
                        if (stopping) {
                            break;
                        }
                        Thread.sleep(POLL_MS);
                        continue;
                    }
                }
                page.clear();
                int n;
                try {
                    n = src.read(page);
                } catch (ClosedChannelException e) {
                    break; // aborted while blocked
                }
                if (n <= 0) {
                    lastFull = false;
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                long commit = header.commitSize() == 8 ? page.getLong(header.commitOffset())
                        : page.getInt(header.commitOffset()) & 0xffffffffL;
                long length = commit & ~HeaderPage.FLAGS & 0xffffffffL;
                // a nearly full page: more data is probably waiting, read again without polling the stats
                lastFull = !stopping && length >= pageSize - header.dataOffset() - 64;
                // keep the header and the data only (pages read while being written are mostly empty)
                boolean stored = (commit & HeaderPage.MISSED_EVENTS) != 0 && (commit & HeaderPage.MISSED_STORED) != 0;
                int keep = (int) Math.min(pageSize, header.dataOffset() + length + (stored ? 8 : 0));
                if (keep > n) {
                    while (page.position() < keep) {
                        page.put((byte) 0);
                    }
                }
                page.position(keep);
                page.flip();
                while (page.hasRemaining()) {
                    out.write(page);
                }
                pages++;
                bytes += n;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!(stopping && t instanceof ClosedChannelException)) {
                failure = t;
            }
        } finally {
            in = null;
        }
    }
}

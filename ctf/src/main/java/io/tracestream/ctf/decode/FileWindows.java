package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Memory-mapped views of stream files: one large window per file at a time, remapped when a packet falls
 * outside it. A packet is always returned as one buffer whose index 0 is its first byte.
 */
final class FileWindows implements AutoCloseable {
    private static final long WINDOW = 256L << 20;
    /** Bytes per read call of {@link #read}. */
    private static final int CHUNK = 128 << 10;

    private Path file;
    private FileChannel channel;
    private long fileSize;
    private MappedByteBuffer window;
    /** The window {@link #read} copies from (unmapped when it moves), its file offset and length. */
    private ByteBuffer copyWindow;
    private long copyStart;
    private long copyLength;
    private boolean copyFailed;
    /** The arena of {@link #copyWindow} (Java 22 and later), closed to unmap it; else null. */
    private Object copyArena;
    // java.lang.foreign (Java 22 and later), by method handles (the ctf core is compiled for Java 17); null before
    private static final MethodHandle ARENA_SHARED; // () -> Arena
    private static final MethodHandle MAP_SEGMENT; // (FileChannel, MapMode, long, long, Arena) -> MemorySegment
    private static final MethodHandle AS_BYTE_BUFFER; // (MemorySegment) -> ByteBuffer
    private static final MethodHandle ARENA_CLOSE; // (Arena) -> void

    static {
        MethodHandle shared = null;
        MethodHandle map = null;
        MethodHandle asBuffer = null;
        MethodHandle close = null;
        if (Runtime.version().feature() >= 22) {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                shared = l.findStatic(arena, "ofShared", MethodType.methodType(arena))
                        .asType(MethodType.methodType(Object.class));
                map = l.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena))
                        .asType(MethodType.methodType(Object.class, FileChannel.class, FileChannel.MapMode.class,
                                long.class, long.class, Object.class));
                asBuffer = l.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                        .asType(MethodType.methodType(ByteBuffer.class, Object.class));
                close = l.findVirtual(arena, "close", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                shared = null;
            }
        }
        ARENA_SHARED = shared;
        MAP_SEGMENT = shared == null ? null : map;
        AS_BYTE_BUFFER = shared == null ? null : asBuffer;
        ARENA_CLOSE = shared == null ? null : close;
    }

    private static final MethodHandle UNMAP = unmapper();
    /**
     * Files from this size on are copied from mapped windows by {@link #read}; smaller ones are read (setting up the
     * mapping and unmapping costs the JVM ~10-30 ms once, more than it saves on a smaller file).
     */
    private static final long MAP_MIN_FILE = 48L << 20;
    /** Bytes mapped at once by {@link #read} (at least the packet). */
    private static final long COPY_WINDOW = 2L << 20;
    private long windowStart;
    private long windowLength;

    /** Files from this size on are copied from mapped windows by {@link #read}. */
    private final long mapMinFile;

    FileWindows() {
        this(MAP_MIN_FILE);
    }

    /** With another {@link #MAP_MIN_FILE} (tests). */
    FileWindows(long mapMinFile) {
        this.mapMinFile = mapMinFile;
    }

    /** Whether {@link #read} can copy from mapped windows in this JVM. */
    static boolean canMap() {
        return ARENA_SHARED != null || UNMAP != null;
    }

    /** Size of {@code f} in bytes (opening it if needed). */
    long size(Path f) {
        open(f);
        return fileSize;
    }

    private void open(Path f) {
        if (f.equals(file)) {
            return;
        }
        close();
        try {
            channel = FileChannel.open(f, StandardOpenOption.READ);
            fileSize = channel.size();
            file = f;
        } catch (IOException e) {
            throw new CtfException(f + ": cannot open stream file: " + e.getMessage(), e);
        }
    }

    /** {@code length} bytes of {@code f} at {@code offset}; fails when they are not all in the file. */
    ByteBuffer slice(Path f, long offset, long length) {
        open(f);
        if (offset < 0 || length < 0 || offset + length > fileSize) {
            throw CtfException.atOffset(f, offset, "packet of " + length + " bytes goes beyond the end of the file ("
                    + fileSize + " bytes)");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw CtfException.atOffset(f, offset, "packet of " + length + " bytes is larger than 2 GiB");
        }
        if (window == null || offset < windowStart || offset + length > windowStart + windowLength) {
            long len = Math.min(fileSize - offset, Math.max(length, WINDOW));
            len = Math.min(len, Integer.MAX_VALUE - 8);
            try {
                window = channel.map(FileChannel.MapMode.READ_ONLY, offset, len);
            } catch (IOException e) {
                throw CtfException.atOffset(f, offset, "cannot map stream file: " + e.getMessage());
            }
            windowStart = offset;
            windowLength = len;
        }
        return window.slice((int) (offset - windowStart), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies {@code length} bytes of {@code f} at {@code offset} into {@code dst[0, length)}. Unlike {@link #slice},
     * nothing stays mapped for long, so the resident memory of a long read does not grow with the size of the files:
     * the bytes are copied out of a small mapped window ({@link #COPY_WINDOW}, or the packet when larger) that is
     * unmapped as soon as the reading moves past it (one copy, no system call per packet: on a virtual machine a
     * {@code read} of a page-cached file costs several times a copy from a mapping). Files below
     * {@link #MAP_MIN_FILE}, and where windows cannot be unmapped at once, are read with positional reads.
     */
    void read(Path f, long offset, int length, byte[] dst) {
        open(f);
        if (offset < 0 || length < 0 || offset + length > fileSize) {
            throw CtfException.atOffset(f, offset, "packet of " + length + " bytes goes beyond the end of the file ("
                    + fileSize + " bytes)");
        }
        if ((ARENA_SHARED != null || UNMAP != null) && !copyFailed && fileSize >= mapMinFile) {
            try {
                if (copyWindow == null || offset < copyStart || offset + length > copyStart + copyLength) {
                    unmapCopyWindow();
                    long len = Math.min(fileSize - offset, Math.max(length, COPY_WINDOW));
                    if (ARENA_SHARED != null) {
                        Object arena = ARENA_SHARED.invokeExact();
                        copyArena = arena;
                        Object segment = MAP_SEGMENT.invokeExact(channel, FileChannel.MapMode.READ_ONLY, offset, len,
                                arena);
                        copyWindow = (ByteBuffer) AS_BYTE_BUFFER.invokeExact(segment);
                    } else {
                        copyWindow = channel.map(FileChannel.MapMode.READ_ONLY, offset, len);
                    }
                    copyStart = offset;
                    copyLength = len;
                }
                copyWindow.get((int) (offset - copyStart), dst, 0, length);
                return;
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError v && !(e instanceof InternalError)) {
                    throw v;
                }
                // cannot map (special file) or the file shrank under the mapping: read instead, which reports it
                unmapCopyWindow();
                copyFailed = true;
            }
        }
        readChannel(f, offset, length, dst);
    }

    private void readChannel(Path f, long offset, int length, byte[] dst) {
        ByteBuffer b = ByteBuffer.wrap(dst, 0, length);
        try {
            while (b.position() < length) {
                // In chunks: the JDK reads a heap buffer through a temporary direct buffer of the same size, which
                // for a multi-megabyte packet would not stay in the CPU cache between its two copies.
                b.limit(Math.min(length, b.position() + CHUNK));
                if (channel.read(b, offset + b.position()) < 0) {
                    throw CtfException.atOffset(f, offset + b.position(), "file ended while reading a packet");
                }
            }
        } catch (IOException e) {
            throw CtfException.atOffset(f, offset, "cannot read stream file: " + e.getMessage());
        }
    }

    private void unmapCopyWindow() {
        ByteBuffer w = copyWindow;
        Object arena = copyArena;
        copyWindow = null;
        copyArena = null;
        try {
            if (arena != null) {
                ARENA_CLOSE.invokeExact(arena);
            } else if (w != null) {
                UNMAP.invokeExact(w);
            }
        } catch (Throwable e) {
            copyFailed = true; // left to the garbage collector
        }
    }

    /**
     * {@code sun.misc.Unsafe.invokeCleaner} (unmaps a mapped buffer now) on Java 17 to 21, or null where it is not
     * available or not wanted: from Java 22 on, windows are mapped in a {@code java.lang.foreign.Arena} and unmapped by
     * closing it (Java 24 warns about {@code invokeCleaner}).
     */
    private static MethodHandle unmapper() {
        if (ARENA_SHARED != null) {
            return null;
        }
        try {
            Class<?> u = Class.forName("sun.misc.Unsafe");
            java.lang.reflect.Field f = u.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return MethodHandles.lookup().findVirtual(u, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class)).bindTo(f.get(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public void close() {
        unmapCopyWindow();
        window = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel
            }
        }
        channel = null;
        file = null;
    }
}

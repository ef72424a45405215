package io.tracestream.analyses.kstate;

import java.util.HashMap;
import java.util.Map;

/** A block device: number, name (from the statedump, else null) and its pending requests by sector. */
public final class Disk implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public final long dev;
    public String name;
    final Map<Long, BlockRequest> pending = new HashMap<>();

    Disk(long dev, String name) {
        this.dev = dev;
        this.name = name;
    }

    /** The kernel's {@code (major,minor)} text of a device number (20 minor bits). */
    public static String devName(long dev) {
        return "(" + (dev >>> 20) + "," + (dev & ((1 << 20) - 1)) + ")";
    }
}

package io.tracestream.ftrace;

/**
 * Layout of a ring buffer sub-buffer ("page") header, from tracefs {@code events/header_page}:
 * <pre>
 * 	field: u64 timestamp;	offset:0;	size:8;	signed:0;
 * 	field: local_t commit;	offset:8;	size:8;	signed:1;
 * 	field: int overwrite;	offset:8;	size:1;	signed:1;
 * 	field: char data;	offset:16;	size:4080;	signed:0;
 * </pre>
 * The commit word holds the number of data bytes in the page, plus two flags: bit 31 (events were lost before
 * this page) and bit 30 (the number lost is stored as a {@code long} right after the data).
 */
record HeaderPage(int timestampOffset, int timestampSize, int commitOffset, int commitSize, int dataOffset,
                  int dataSize) {

    /** Bit of the commit word: events were lost (overwritten) between the previous page read and this one. */
    static final long MISSED_EVENTS = 1L << 31;
    /** Bit of the commit word: the number of lost events is stored after the page's data. */
    static final long MISSED_STORED = 1L << 30;
    /** Bits of the commit word that are flags, not the data length. */
    static final long FLAGS = MISSED_EVENTS | MISSED_STORED;

    /** The usual layout on 64-bit kernels (4 KiB pages). */
    static final HeaderPage DEFAULT_64 = new HeaderPage(0, 8, 8, 8, 16, 4080);

    /** Size of a whole page as the header describes it (header plus data). */
    int pageSize() {
        return dataOffset + dataSize;
    }

    /** Parses the content of {@code events/header_page}. */
    static HeaderPage parse(String text, String source) {
        int tsOff = -1;
        int tsSize = -1;
        int cOff = -1;
        int cSize = -1;
        int dOff = -1;
        int dSize = -1;
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("field:")) {
                continue;
            }
            String[] parts = t.split(";");
            String decl = parts[0].substring(6).trim();
            String name = decl.substring(decl.lastIndexOf(' ') + 1);
            int off = attr(parts, "offset:");
            int size = attr(parts, "size:");
            switch (name) {
                case "timestamp" -> {
                    tsOff = off;
                    tsSize = size;
                }
                case "commit" -> {
                    cOff = off;
                    cSize = size;
                }
                case "data" -> {
                    dOff = off;
                    dSize = size;
                }
                default -> {
                    // "overwrite" overlays commit; nothing else is used
                }
            }
        }
        if (tsOff < 0 || cOff < 0 || dOff < 0 || (tsSize != 8) || (cSize != 4 && cSize != 8) || dSize <= 0) {
            throw new FtraceException(source + ": unexpected ring buffer page header layout (need timestamp, commit"
                    + " and data fields)");
        }
        return new HeaderPage(tsOff, tsSize, cOff, cSize, dOff, dSize);
    }

    private static int attr(String[] parts, String key) {
        for (String p : parts) {
            String t = p.trim();
            if (t.startsWith(key)) {
                try {
                    return Integer.parseInt(t.substring(key.length()).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}

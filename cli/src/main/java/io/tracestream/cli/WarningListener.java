package io.tracestream.cli;

import io.tracestream.ctf.TraceListener;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What the commands print on standard error while reading: warnings (e.g. an unusable index file, scanned instead)
 * and, in lenient mode, every packet or file range that was skipped, with its file and offset. Discarded events and
 * packets are not printed here: the commands report them from the messages (print as babeltrace2 does).
 */
final class WarningListener implements TraceListener {
    private final PrintStream err;

    WarningListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public void warning(String message) {
        err.println("tracestream: warning: " + message);
    }

    @Override
    public void skipped(Path file, long offset, String reason) {
        // reasons are often CtfException messages that already start with "FILE: offset N: "
        String where = file + ": offset " + offset + ": ";
        String why = reason.startsWith(where) ? reason.substring(where.length()) : reason;
        err.println("tracestream: warning: skipped unreadable data in " + file + " at offset " + offset + ": " + why);
    }
}

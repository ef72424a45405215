package io.tracestream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The TraceStream version, recorded at build time in {@code version.properties}. */
final class Version {
    private Version() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

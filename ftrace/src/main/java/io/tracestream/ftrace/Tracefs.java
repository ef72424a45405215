package io.tracestream.ftrace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tracefs file system (ftrace's control files): finding or mounting it, and the private ftrace instance
 * ({@code instances/NAME}) a recording uses so that it does not disturb other ftrace users.
 */
final class Tracefs {
    /** The standard mount point. */
    static final Path DEFAULT_MOUNT = Path.of("/sys/kernel/tracing");
    static final String PRIVILEGES = "recording kernel events needs root, or CAP_SYS_ADMIN and write access to"
            + " tracefs";

    final Path root;

    Tracefs(Path root) {
        this.root = root;
    }

    /**
     * The mounted tracefs, mounting it on {@link #DEFAULT_MOUNT} when it is not mounted (and {@code mount} is
     * allowed).
     *
     * @throws FtraceException when tracefs is not mounted and cannot be
     */
    static Tracefs locate(boolean mountIfNeeded) {
        Path mounted = findMount(Path.of("/proc/mounts"));
        if (mounted != null) {
            return new Tracefs(mounted);
        }
        if (!mountIfNeeded) {
            throw new FtraceException("tracefs is not mounted (mount it with 'mount -t tracefs nodev "
                    + DEFAULT_MOUNT + "'; " + PRIVILEGES + ")");
        }
        String err;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tracefs", "nodev", DEFAULT_MOUNT.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                err = "mount did not finish";
            } else if (p.exitValue() == 0) {
                return new Tracefs(DEFAULT_MOUNT);
            } else {
                err = new String(out, StandardCharsets.UTF_8).trim().replaceAll("\\s*\\R\\s*", " ");
            }
        } catch (IOException e) {
            err = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err = "interrupted";
        }
        throw new FtraceException("tracefs is not mounted and mounting it on " + DEFAULT_MOUNT + " failed ("
                + err + "); " + PRIVILEGES);
    }

    /** The mount point of the first tracefs in a mounts table, or null. */
    static Path findMount(Path mounts) {
        try {
            for (String line : Files.readAllLines(mounts)) {
                String[] w = line.split(" ");
                if (w.length >= 3 && w[2].equals("tracefs")) {
                    return Path.of(w[1].replace("\\040", " "));
                }
            }
        } catch (IOException e) {
            // no /proc: nothing mounted that we can see
        }
        return null;
    }

    /**
     * Creates instance {@code name} (a private ring buffer with its own events, clock and switches).
     *
     * @throws FtraceException when it cannot be created (no permission, or it exists)
     */
    Instance createInstance(String name) {
        Path dir = root.resolve("instances").resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (AccessDeniedException e) {
            throw new FtraceException(dir + ": permission denied; " + PRIVILEGES);
        } catch (FileSystemException e) {
            if (Files.exists(dir)) {
                throw new FtraceException(dir + ": ftrace instance already exists (another recording?)");
            }
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new FtraceException(dir + ": cannot create ftrace instance (" + reason + "); " + PRIVILEGES);
        } catch (IOException e) {
            throw new FtraceException(dir + ": cannot create ftrace instance (" + e.getMessage() + "); "
                    + PRIVILEGES);
        }
        return new Instance(this, dir);
    }

    /** Removes instances named {@code prefix + PID} whose process no longer runs (left by a killed recorder). */
    void removeStaleInstances(String prefix) {
        Path dir = root.resolve("instances");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                String pid = dash < 0 ? rest : rest.substring(0, dash);
                if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit)
                        && !Files.exists(Path.of("/proc", pid))) {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        // in use, or not ours to remove
                    }
                }
            }
        } catch (IOException e) {
            // nothing to clean
        }
    }

    String read(String relative) {
        return read(root.resolve(relative));
    }

    /**
     * Reads a whole control file. Some tracefs files (e.g. {@code events/header_page}) return their content only to
     * a read at offset 0, so they are read with large reads, never byte by byte (as {@link Files#readString} does
     * for files that report size 0).
     */
    static String read(Path p) {
        try (java.io.InputStream in = Files.newInputStream(p)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1 << 14];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FtraceException(p + ": no such file");
        } catch (AccessDeniedException e) {
            throw new FtraceException(p + ": permission denied; " + PRIVILEGES);
        } catch (IOException e) {
            throw new FtraceException(p + ": " + e.getMessage());
        }
    }

    static void write(Path p, String value) {
        try {
            Files.write(p, value.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new FtraceException(p + ": no such file");
        } catch (AccessDeniedException e) {
            throw new FtraceException(p + ": permission denied; " + PRIVILEGES);
        } catch (IOException e) {
            throw new FtraceException(p + ": cannot write '" + value.trim() + "': " + e.getMessage());
        }
    }

    /** One ftrace instance directory. */
    static final class Instance {
        final Tracefs fs;
        final Path dir;

        Instance(Tracefs fs, Path dir) {
            this.fs = fs;
            this.dir = dir;
        }

        String name() {
            return dir.getFileName().toString();
        }

        void write(String relative, String value) {
            Tracefs.write(dir.resolve(relative), value);
        }

        String read(String relative) {
            return Tracefs.read(dir.resolve(relative));
        }

        Path path(String relative) {
            return dir.resolve(relative);
        }

        /** The CPUs that have a buffer ({@code per_cpu/cpuN}), in order. */
        List<Integer> cpus() {
            List<Integer> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("per_cpu"), "cpu*")) {
                for (Path p : ds) {
                    String n = p.getFileName().toString().substring(3);
                    if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                        out.add(Integer.parseInt(n));
                    }
                }
            } catch (IOException e) {
                throw new FtraceException(dir.resolve("per_cpu") + ": " + e.getMessage());
            }
            out.sort(null);
            return out;
        }

        /** A value of {@code per_cpu/cpuN/stats} (e.g. {@code entries}, {@code overrun}), or -1. */
        long stat(int cpu, String key) {
            return stat(Tracefs.read(dir.resolve("per_cpu/cpu" + cpu + "/stats")), key);
        }

        static long stat(String stats, String key) {
            for (String line : stats.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    try {
                        return Long.parseLong(line.substring(colon + 1).trim());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return -1;
        }

        /**
         * Turns tracing off, disables every event and removes the instance directory (which frees its buffers).
         * Best effort: returns the first problem, or null.
         */
        String remove() {
            String problem = null;
            try {
                write("tracing_on", "0");
            } catch (FtraceException e) {
                problem = e.getMessage();
            }
            try {
                write("events/enable", "0");
            } catch (FtraceException e) {
                problem = problem != null ? problem : e.getMessage();
            }
            for (int attempt = 0;; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    return problem;
                } catch (IOException e) {
                    if (attempt >= 20) {
                        return problem != null ? problem : dir + ": cannot remove the ftrace instance ("
                                + e.getMessage() + "); remove it with 'rmdir " + dir + "'";
                    }
                    try {
                        Thread.sleep(50); // a reader may still be closing its file
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return dir + ": interrupted while removing the ftrace instance";
                    }
                }
            }
        }
    }
}

package io.tracestream.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where a command writes: {@link #out()} for results (buffered bytes; {@link Main} flushes it at the end) and
 * {@link #err()} for diagnostics. Tests build one over in-memory streams.
 */
public final class Terminal {

    /** Thrown (as the cause of failures) when writing to the output fails, e.g. the reader closed the pipe. */
    static final class OutputFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputFailedException(IOException cause) {
            super(cause.getMessage(), cause);
        }

        boolean isBrokenPipe() {
            String m = getMessage();
            return m != null && m.contains("Broken pipe");
        }
    }

    /** Marks write failures of the wrapped stream so they are told apart from failures reading a trace. */
    private static final class Guarded extends OutputStream {
        private final OutputStream target;

        Guarded(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                target.write(b);
            } catch (IOException e) {
                throw new OutputFailedException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                target.write(b, off, len);
            } catch (IOException e) {
                throw new OutputFailedException(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                target.flush();
            } catch (IOException e) {
                throw new OutputFailedException(e);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private final OutputStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    /**
     * A terminal over the given streams.
     *
     * @param out where results go; buffered here, so pass an unbuffered stream
     * @param err where diagnostics go
     * @param env the environment variables commands may read
     */
    public Terminal(OutputStream out, PrintStream err, Map<String, String> env) {
        this.out = new BufferedOutputStream(new Guarded(out), 1 << 16);
        this.err = err;
        this.env = Map.copyOf(env);
    }

    /** The process's standard output, error and environment. */
    static Terminal system() {
        return new Terminal(new FileOutputStream(FileDescriptor.out),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                System.getenv());
    }

    /** Standard output: buffered bytes. Text is written UTF-8 encoded. */
    public OutputStream out() {
        return out;
    }

    /** Writes {@code text} and a newline to {@link #out()}, UTF-8 encoded. */
    public void println(CharSequence text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    /** Standard error, for warnings and diagnostics. */
    public PrintStream err() {
        return err;
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.get(name);
    }
}

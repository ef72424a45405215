package io.tracestream.spark.analyses;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

/**
 * Java serialization of analysis state to bytes (whatever {@code spark.serializer} is), reading classes through the
 * thread's context class loader (the executor's loader of the shipped connector jar).
 */
public final class JavaSer {
    private JavaSer() {
    }

    public static byte[] write(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException("analysis state is not serializable: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    public static Object read(byte[] b) {
        try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(b))) {
            return in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read analysis state: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot read analysis state: class not found: " + e.getMessage(), e);
        }
    }

    private static final class LoaderInput extends ObjectInputStream {
        LoaderInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader l = Thread.currentThread().getContextClassLoader();
            if (l != null) {
                try {
                    return Class.forName(desc.getName(), false, l);
                } catch (ClassNotFoundException e) {
                    // fall back to the default resolution (primitives, this class's loader)
                }
            }
            return super.resolveClass(desc);
        }
    }
}

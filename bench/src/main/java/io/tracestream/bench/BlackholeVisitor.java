package io.tracestream.bench;

import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.VariantClass;
import org.openjdk.jmh.infra.Blackhole;

/** Hands every decoded value to a JMH {@link Blackhole}, so that no decoding work can be optimised away. */
final class BlackholeVisitor implements FieldVisitor {
    private final Blackhole bh;

    BlackholeVisitor(Blackhole bh) {
        this.bh = bh;
    }

    @Override
    public void integer(String name, IntegerClass type, long value) {
        bh.consume(value);
    }

    @Override
    public void floating(String name, FloatClass type, double value) {
        bh.consume(value);
    }

    @Override
    public void string(String name, FieldClass type, String value) {
        bh.consume(value);
    }

    @Override
    public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
        bh.consume(bytes);
        bh.consume(length);
    }

    @Override
    public void beginArray(String name, ArrayClass type, long length) {
        bh.consume(length);
    }

    @Override
    public void beginVariant(String name, VariantClass type, int optionIndex) {
        bh.consume(optionIndex);
    }
}

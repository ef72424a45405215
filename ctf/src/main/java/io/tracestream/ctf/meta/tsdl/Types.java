package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.tsdl.Ast.IdPath;
import io.tracestream.ctf.meta.tsdl.Ast.Pos;

import java.util.List;

/**
 * Intermediate, position-independent type trees built from TSDL type specifiers. Length and tag references stay
 * unresolved text here: one tree (a type alias, a named structure) may be used at several places, and each use is
 * resolved where it appears when the tree is converted to the {@code io.tracestream.ctf.meta} model.
 */
final class Types {
    private Types() {
    }

    sealed interface T permits TInt, TFloat, TStr, TStruct, TVariant, TArray {
        Pos pos();
    }

    /** Integer or enumeration ({@code isEnum}); byte order already resolved ({@code native} replaced). */
    record TInt(Pos pos, int size, int align, boolean signed, ByteOrder byteOrder, int base,
                IntegerClass.Encoding encoding, String clock, List<IntegerClass.Mapping> mappings,
                boolean isEnum) implements T {
        TInt withClock(String c) {
            return new TInt(pos, size, align, signed, byteOrder, base, encoding, c, mappings, isEnum);
        }

        TInt asEnum(Pos p, List<IntegerClass.Mapping> m) {
            return new TInt(p, size, align, signed, byteOrder, base, encoding, clock, m, true);
        }
    }

    record TFloat(Pos pos, int align, int expDig, int mantDig, ByteOrder byteOrder) implements T {
    }

    record TStr(Pos pos, StringClass.Encoding encoding) implements T {
    }

    /** A member or variant option; {@code name} is the name as written (a leading {@code _} not yet removed). */
    record TMember(String name, T type, Pos pos) {
    }

    record TStruct(Pos pos, List<TMember> members, int minAlign) implements T {
        int indexOf(String name) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A variant; {@code tag} is null until given (a named variant may get its tag where it is used). */
    record TVariant(Pos pos, IdPath tag, List<TMember> options) implements T {
        int indexOf(String name) {
            for (int i = 0; i < options.size(); i++) {
                if (options.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Static array ({@code lengthRef} null) or sequence (dynamic length from {@code lengthRef}). */
    record TArray(Pos pos, T element, long length, IdPath lengthRef) implements T {
    }
}

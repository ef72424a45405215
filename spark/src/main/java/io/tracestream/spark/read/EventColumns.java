package io.tracestream.spark.read;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The columns every table has, before the context and payload: one per event, from its stream and packet. */
public final class EventColumns {
    public static final String NAME = "name";
    public static final String TS = "ts";
    public static final String TIME = "time";
    public static final String CYCLES = "cycles";
    public static final String CPU = "cpu";
    public static final String TRACE = "trace";
    public static final String HOST = "host";
    public static final String STREAM_ID = "stream_id";
    public static final String STREAM_CLASS_ID = "stream_class_id";
    public static final String STREAM_FILE = "stream_file";
    public static final String PACKET_SEQ = "packet_seq";
    public static final String EVENT_ID = "event_id";
    /** Generic table: the event common context and specific context fields. */
    public static final String CONTEXT = "context";
    /** Generic table: the payload as a VARIANT. */
    public static final String PAYLOAD = "payload";

    /** The leading columns, in order. */
    public static final List<StructField> META = List.of(
            f(NAME, DataTypes.StringType, false, "event class name"),
            f(TS, DataTypes.LongType, true, "event time: ns since the clock origin (the Unix epoch for LTTng)"),
            f(TIME, DataTypes.TimestampType, true, "event time as a TIMESTAMP (microseconds)"),
            f(CYCLES, DataTypes.LongType, true, "raw value of the stream's default clock"),
            f(CPU, DataTypes.IntegerType, true, "cpu_id of the packet context"),
            f(TRACE, DataTypes.StringType, false, "trace name (as babeltrace2 names it)"),
            f(HOST, DataTypes.StringType, true, "hostname from the trace environment"),
            f(STREAM_ID, DataTypes.LongType, false, "stream id (as babeltrace2 shows it)"),
            f(STREAM_CLASS_ID, DataTypes.LongType, false, "stream class id"),
            f(STREAM_FILE, DataTypes.StringType, true, "stream file path"),
            f(PACKET_SEQ, DataTypes.LongType, true, "packet_seq_num of the packet context"),
            f(EVENT_ID, DataTypes.LongType, false, "event class id"));

    private EventColumns() {
    }

    private static StructField f(String name, DataType t, boolean nullable, String comment) {
        return DataTypes.createStructField(name, t, nullable).withComment(comment);
    }

    /** True for the name of a leading column (case-insensitive). */
    public static boolean isMeta(String name) {
        for (StructField f : META) {
            if (f.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}

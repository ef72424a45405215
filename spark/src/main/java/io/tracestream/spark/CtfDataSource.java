package io.tracestream.spark;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code ctf} data source: {@code spark.read.format("ctf").load(path)} gives one row per event of the CTF traces
 * under {@code path} (see {@link CtfOptions} for the options, {@link io.tracestream.spark.read.TableLayout} for the
 * schema). The traces are found, their metadata parsed and their packet indexes read on the driver when the table is
 * created, so a bad path or option fails there, before any job.
 */
public final class CtfDataSource implements TableProvider, DataSourceRegister {

    /** The short name, {@code ctf}. */
    @Override
    public String shortName() {
        return "ctf";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return CtfTable.open(options).schema();
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        CtfTable t = CtfTable.open(properties);
        if (schema != null && !schema.equals(t.schema())) {
            throw new io.tracestream.ctf.CtfException("ctf: a user-specified schema is not supported: the schema "
                    + "comes from the trace metadata (use option 'events' for typed columns)");
        }
        return t;
    }

    @Override
    public boolean supportsExternalMetadata() {
        return false;
    }
}

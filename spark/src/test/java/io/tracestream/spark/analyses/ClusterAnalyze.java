package io.tracestream.spark.analyses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code analyze} command of the cluster tests' driver ({@link io.tracestream.spark.cluster.ClusterDriver}):
 * {@code {"op":"analyze","paths":[...],"analyses":[names],"config":BASE64,"maxSplitBytes":N,"out":FILE}} runs the
 * analyses with {@link SparkEngine} on the driver's cluster, writes {@link Rendered#all} to FILE and registers the
 * result tables as temporary views ({@link SparkEngine#tables}).
 */
public final class ClusterAnalyze {
    private ClusterAnalyze() {
    }

    public static ObjectNode run(SparkSession spark, JsonNode cmd) throws IOException {
        List<Path> paths = new ArrayList<>();
        cmd.path("paths").forEach(p -> paths.add(Path.of(p.asText())));
        List<Analysis> analyses = new ArrayList<>();
        cmd.path("analyses").forEach(a -> analyses.add(Analyses.byName(a.asText())));
        AnalysisConfig config = decode(cmd.path("config").asText());
        SparkEngine engine = new SparkEngine(spark).maxSplitBytes(cmd.path("maxSplitBytes").asLong());
        List<AnalysisResult> results = engine.run(paths, analyses, config);
        SparkEngine.tables(spark, results);
        Files.writeString(Path.of(cmd.path("out").asText()), Rendered.all(results), StandardCharsets.UTF_8);
        return JsonNodeFactory.instance.objectNode().put("ok", true).put("waves", engine.lastWaves());
    }

    public static String encode(AnalysisConfig c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(b.toByteArray());
    }

    static AnalysisConfig decode(String s) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
            return (AnalysisConfig) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("bad config: " + e, e);
        }
    }
}

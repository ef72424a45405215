package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --engine local|spark|auto [--master URL]}: the choice and its usage errors. (The Spark engine's
 * results are tested equal to the local engine's in module spark: SparkEngineTest, ClusterEngineTest.)
 */
class AnalyzeEnginesTest {

    @Test
    void autoOnASmallTraceIsTheLocalEngine() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        AnalyzeCommandTest.Run local = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--gmt",
                "--engine", "local");
        AnalyzeCommandTest.Run auto = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--gmt");
        assertEquals(0, local.code(), local.err());
        assertEquals(local.out(), auto.out());
    }

    @Test
    void usageErrors() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--engine", "flink");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("unknown --engine 'flink'"), r.err());
        r = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--engine", "local", "--master",
                "spark://127.0.0.1:7077");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--master needs --engine spark"), r.err());
    }

    @Test
    void sparkWithoutTheSparkModuleSaysHowToGetIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(Plugins.ENV) == null,
                "the Spark plugin is configured in this JVM");
        Path trace = SharedTraces.path("tracecompass/bug446190");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--engine", "spark");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--engine spark needs the Spark module"), r.err());
    }
}

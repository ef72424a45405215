package io.tracestream.analyses.syscalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.kstate.LttngAnalyses;
import io.tracestream.ctf.testing.SharedTraces;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code syscallstats} against lttng-analyses 0.6.1 ({@code lttng-syscallstats}, {@code lttng-syscallstats-mi}) on
 * real kernel traces: text and LAMI output identical, except lttng-analyses' return value counts (one too many per
 * distinct value, see {@link #lttngReturnCountsAreOneTooHigh}).
 */
class SyscallStatsOracleTest {
    private static Path manyThreads;
    private static Path bug446190;

    @BeforeAll
    static void traces() {
        manyThreads = SharedTraces.path("tracecompass/many-threads");
        bug446190 = SharedTraces.path("tracecompass/bug446190");
        LttngAnalyses.assumeInstalled();
        // start every oracle run of this class now (2 at a time, in the background; the tests wait for theirs)
        for (String[] args : new String[][] {{}, {"--begin", "08:36:03.000000000", "--end", "08:36:05.500000000"},
                {"--tid", "403,526,407"}, {"--procname", "sshd,lttng-consumerd"}, {"--cpu", "1,3"}}) {
            LttngAnalyses.startText("syscallstats", bug446190, args);
            LttngAnalyses.startMi("syscallstats", bug446190, args);
        }
    }

    private static void same(Path trace, AnalysisConfig config, String... args) {
        AnalysisResult r = LttngAnalyses.ours("syscallstats", trace, config);
        assertEquals(ReturnCounts.corrected(LttngAnalyses.text("syscallstats", trace, args)), LttngAnalyses.text(r));
        assertEquals(ReturnCounts.corrected(LttngAnalyses.mi("syscallstats", trace, args)), LttngAnalyses.json(r));
    }

    @Test
    void manyThreadsWholeTrace() {
        same(manyThreads, AnalysisConfig.defaults());
    }

    @Test
    void oldSyscallNamingScheme() {
        // bug446190: lttng-modules 2.x on ARM, sys_NAME / exit_syscall events
        same(bug446190, AnalysisConfig.defaults());
    }

    @Test
    void timeRange() {
        // --begin/--end: state (thread names, syscalls in progress) is built from the start of the trace; calls
        // exiting in the range count with their whole duration
        same(bug446190, AnalysisConfig.defaults().withRange(1412670963000000000L, 1412670965500000000L),
                "--begin", "08:36:03.000000000", "--end", "08:36:05.500000000");
    }

    @Test
    void tidFilter() {
        same(bug446190, AnalysisConfig.defaults().withTids(Set.of(403L, 526L, 407L)), "--tid", "403,526,407");
    }

    @Test
    void procnameFilter() {
        same(bug446190, AnalysisConfig.defaults().withProcNames(Set.of("sshd", "lttng-consumerd")),
                "--procname", "sshd,lttng-consumerd");
    }

    @Test
    void cpuFilter() {
        same(bug446190, AnalysisConfig.defaults().withCpus(Set.of(1L, 3L)), "--cpu", "1,3");
    }

    @Test
    void splitsGiveTheSameResults() {
        // each stream cut in 5 splits, the pass and its model serialized and resumed at every cut
        AnalysisResult one = LttngAnalyses.ours("syscallstats", bug446190, AnalysisConfig.defaults());
        AnalysisResult five = LttngAnalyses.ours("syscallstats", bug446190, AnalysisConfig.defaults(), 5);
        assertEquals(LttngAnalyses.json(one), LttngAnalyses.json(five));
    }

    @Test
    void lttngReturnCountsAreOneTooHigh() {
        // the thread 10704 (sudo) calls open 135 times: 38 fail with ENOENT, 97 succeed. lttng-analyses reports
        // {'ENOENT': 39, 'success': 98}: its dictionary starts each key at 1 then adds 1.
        String lttng = LttngAnalyses.text("syscallstats", manyThreads);
        String line = " - open                                           135          0.447          1.037        4.024"
                + "      0.606  ";
        assertTrue(lttng.contains(line + "{'ENOENT': 39, 'success': 98}"), "lttng-analyses' line changed");
        String ours = LttngAnalyses.text(LttngAnalyses.ours("syscallstats", manyThreads, AnalysisConfig.defaults()));
        assertTrue(ours.contains(line + "{'ENOENT': 38, 'success': 97}"), ours.substring(0, 3000));
    }
}

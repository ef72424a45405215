/**
 * Test support shared by every module's tests (shipped in the tracestream-ctf test-jar): where the shared and
 * sample traces are ({@link io.tracestream.ctf.testing.SharedTraces}, {@link io.tracestream.ctf.testing.SampleTraces}),
 * running the reference tool babeltrace2 ({@link io.tracestream.ctf.testing.Babeltrace}), recording fresh LTTng
 * user-space traces ({@link io.tracestream.ctf.testing.Lttng}, {@link io.tracestream.ctf.testing.UstProbe}), and
 * running external programs with a timeout ({@link io.tracestream.ctf.testing.Exec}).
 *
 * <p>Policy: tests that need the shared traces skip when they are absent (a source checkout without them);
 * tests that need babeltrace2, LTTng or gcc fail with an instruction when they are missing, because
 * {@code scripts/setup.sh} (run by {@code .ci/run} and {@code scripts/test.sh}) installs them.
 */
package io.tracestream.ctf.testing;

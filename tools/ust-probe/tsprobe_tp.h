/*
 * TraceStream UST probe: a tracepoint provider whose events cover every CTF field type that
 * lttng-ust 2.13 can write (see README.md beside this file for the list).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#undef TRACEPOINT_PROVIDER
#define TRACEPOINT_PROVIDER tsprobe

#undef TRACEPOINT_INCLUDE
#define TRACEPOINT_INCLUDE "./tsprobe_tp.h"

#if !defined(TSPROBE_TP_H) || defined(TRACEPOINT_HEADER_MULTI_READ)
#define TSPROBE_TP_H

#include <lttng/tracepoint.h>
#include <stdint.h>
#include <stddef.h>

/*
 * lttng-ust 2.13 has public macros for display bases 10 and 16 only; the underlying field macro takes any base,
 * and the session daemon writes it into the TSDL (`base = 8;`). These two give octal-displayed integers.
 */
#define tsprobe_integer_oct(_type, _item, _src) \
	lttng_ust__field_integer_ext(_type, _item, _src, LTTNG_UST_BYTE_ORDER, 8, 0)
#define tsprobe_integer_bin(_type, _item, _src) \
	lttng_ust__field_integer_ext(_type, _item, _src, LTTNG_UST_BYTE_ORDER, 2, 0)

/* Enumerations: single values, ranges, automatic values, negative values, several container types. */
TRACEPOINT_ENUM(tsprobe, state,
	TP_ENUM_VALUES(
		ctf_enum_value("IDLE", 0)
		ctf_enum_value("RUNNING", 1)
		ctf_enum_value("BLOCKED", 2)
		ctf_enum_range("OTHER", 3, 9)
		ctf_enum_auto("AFTER_OTHER")          /* 10 */
		ctf_enum_range("HIGH", 100, 199)
		ctf_enum_value("NEG", -1)
		ctf_enum_range("VERY_NEG", -100, -10)))

TRACEPOINT_ENUM(tsprobe, color,
	TP_ENUM_VALUES(
		ctf_enum_value("RED", 1)
		ctf_enum_value("GREEN", 2)
		ctf_enum_value("BLUE", 4)
		ctf_enum_range("RED_OR_GREEN", 1, 2)  /* overlaps RED and GREEN */
		ctf_enum_value("WHITE", 7)))

TRACEPOINT_ENUM(tsprobe, big,
	TP_ENUM_VALUES(
		ctf_enum_value("ZERO", 0)
		ctf_enum_range("LOW", 1, 0xffff)
		ctf_enum_value("TOP", 0xffffffffffffffffULL)))

/* No payload at all. */
TRACEPOINT_EVENT(tsprobe, start,
	TP_ARGS(),
	TP_FIELDS())
TRACEPOINT_LOGLEVEL(tsprobe, start, TRACE_NOTICE)

/* Every integer width and signedness, in decimal, hexadecimal, octal and binary display, host and network order. */
TRACEPOINT_EVENT(tsprobe, ints,
	TP_ARGS(uint64_t, seq, int64_t, s),
	TP_FIELDS(
		ctf_integer(uint64_t, seq, seq)
		ctf_integer(int8_t, s8, (int8_t) s)
		ctf_integer(int16_t, s16, (int16_t) (s * 257))
		ctf_integer(int32_t, s32, (int32_t) (s * 16777259))
		ctf_integer(int64_t, s64, s * 1099511628211LL)
		ctf_integer(uint8_t, u8, (uint8_t) seq)
		ctf_integer(uint16_t, u16, (uint16_t) (seq * 257))
		ctf_integer(uint32_t, u32, (uint32_t) (seq * 2654435761u))
		ctf_integer(uint64_t, u64, seq * 0x9E3779B97F4A7C15ULL)
		ctf_integer(char, ch, (char) ('a' + seq % 26))
		ctf_integer(long, lng, (long) s)
		ctf_integer_hex(uint8_t, x8, (uint8_t) seq)
		ctf_integer_hex(int16_t, x16s, (int16_t) s)
		ctf_integer_hex(uint32_t, x32, (uint32_t) seq)
		ctf_integer_hex(uint64_t, x64, ~seq)
		tsprobe_integer_oct(uint32_t, o32, (uint32_t) seq)
		tsprobe_integer_oct(int8_t, o8s, (int8_t) s)
		tsprobe_integer_bin(uint8_t, b8, (uint8_t) seq)
		ctf_integer_network(uint16_t, n16, (uint16_t) seq)
		ctf_integer_network(int32_t, n32s, (int32_t) s)
		ctf_integer_network(uint64_t, n64, seq)
		ctf_integer_network_hex(uint32_t, nx32, (uint32_t) seq)))
TRACEPOINT_LOGLEVEL(tsprobe, ints, TRACE_DEBUG)

/* Single and double precision, including values that print specially. */
TRACEPOINT_EVENT(tsprobe, floats,
	TP_ARGS(float, f, double, d),
	TP_FIELDS(
		ctf_float(float, f32, f)
		ctf_float(double, f64, d)
		ctf_float(double, f64_neg, -d)
		ctf_float(float, f32_tiny, f * 1e-30f)
		ctf_float(double, f64_big, d * 1e200)))
TRACEPOINT_LOGLEVEL(tsprobe, floats, TRACE_INFO)

/* Null-terminated strings and text arrays/sequences (UTF-8 encoded char arrays). */
TRACEPOINT_EVENT(tsprobe, strings,
	TP_ARGS(const char *, s, const char *, text, size_t, textlen),
	TP_FIELDS(
		ctf_string(str, s)
		ctf_string(empty, "")
		ctf_string(utf8, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9f\x99\x82")
		ctf_array_text(char, arrtext, text, 8)
		ctf_sequence_text(char, seqtext, text, size_t, textlen)
		ctf_sequence_text(char, seqtext_empty, text, uint8_t, 0)))
TRACEPOINT_LOGLEVEL(tsprobe, strings, TRACE_WARNING)

/* Static arrays and dynamic sequences of integers, with several length types and display bases. */
TRACEPOINT_EVENT(tsprobe, arrays,
	TP_ARGS(const int32_t *, a32, const uint8_t *, bytes, unsigned int, nbytes,
		const uint64_t *, a64, const int16_t *, a16, uint16_t, n16),
	TP_FIELDS(
		ctf_array(int32_t, arr_s32, a32, 4)
		ctf_array_hex(uint8_t, arr_x8, bytes, 3)
		ctf_array_network(uint64_t, arr_n64, a64, 2)
		ctf_array_network_hex(uint32_t, arr_nx32, a32, 2)
		ctf_array(int16_t, arr_empty, a16, 0)
		ctf_sequence(uint8_t, seq_u8, bytes, unsigned int, nbytes)
		ctf_sequence_hex(uint64_t, seq_x64, a64, uint8_t, (uint8_t) (nbytes % 3))
		ctf_sequence_network(int16_t, seq_n16, a16, uint16_t, n16)
		ctf_sequence_network_hex(uint32_t, seq_nx32, a32, uint32_t, nbytes % 5)
		ctf_sequence(int16_t, seq_s16_len64, a16, uint64_t, n16)))
TRACEPOINT_LOGLEVEL(tsprobe, arrays, TRACE_ERR)

/* Enumerations over signed and unsigned containers of several widths; some values have no label. */
TRACEPOINT_EVENT(tsprobe, enums,
	TP_ARGS(int, st, unsigned int, c, uint64_t, b),
	TP_FIELDS(
		ctf_enum(tsprobe, state, int, state, st)
		ctf_enum(tsprobe, state, int8_t, state8, (int8_t) st)
		ctf_enum(tsprobe, color, uint8_t, color, (uint8_t) c)
		ctf_enum(tsprobe, color, uint16_t, color16, (uint16_t) c)
		ctf_enum(tsprobe, big, uint64_t, big, b)))
TRACEPOINT_LOGLEVEL(tsprobe, enums, TRACE_CRIT)

/* Two events of one event class (same fields, different names and log levels). */
TRACEPOINT_EVENT_CLASS(tsprobe, tick_class,
	TP_ARGS(uint64_t, seq, int, cpu),
	TP_FIELDS(
		ctf_integer(uint64_t, seq, seq)
		ctf_integer(int, cpu, cpu)))
TRACEPOINT_EVENT_INSTANCE(tsprobe, tick_class, tick, TP_ARGS(uint64_t, seq, int, cpu))
TRACEPOINT_LOGLEVEL(tsprobe, tick, TRACE_DEBUG_LINE)
TRACEPOINT_EVENT_INSTANCE(tsprobe, tick_class, tock, TP_ARGS(uint64_t, seq, int, cpu))
/* tock keeps the default log level (none given). */

/* Large payload used by the burst mode to overflow small sub-buffers. */
TRACEPOINT_EVENT(tsprobe, burst,
	TP_ARGS(uint64_t, seq, const uint8_t *, blob),
	TP_FIELDS(
		ctf_integer(uint64_t, seq, seq)
		ctf_array_hex(uint8_t, blob, blob, 64)))
TRACEPOINT_LOGLEVEL(tsprobe, burst, TRACE_ALERT)

TRACEPOINT_EVENT(tsprobe, end,
	TP_ARGS(uint64_t, n_events, int, n_threads),
	TP_FIELDS(
		ctf_integer(uint64_t, n_events, n_events)
		ctf_integer(int, n_threads, n_threads)))
TRACEPOINT_LOGLEVEL(tsprobe, end, TRACE_EMERG)

#endif /* TSPROBE_TP_H */

#include <lttng/tracepoint-event.h>

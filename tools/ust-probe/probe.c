/*
 * ust-probe: emits the tsprobe events (see tsprobe_tp.h) from several threads, each pinned to its own CPU so the
 * trace gets several per-CPU streams.
 *
 *   ust-probe [-n EVENTS] [-t THREADS] [-b]
 *     -n EVENTS   events per thread (default 1000), not counting the process-wide start and end events
 *     -t THREADS  threads (default 1); thread i is pinned to the i-th CPU the process may run on (modulo)
 *     -b          burst mode: each thread emits only tsprobe:burst events (88 bytes of payload) as fast as it can,
 *                 to overflow small sub-buffers and make the tracer discard events
 *
 * Field values depend only on the thread index and the event's sequence number, so two recordings differ only
 * in timestamps, process/thread ids and (in burst mode) in which events were discarded.
 * Prints one line: the number of events emitted.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lttng/tracelog.h>
#include <lttng/tracef.h>

#include "tsprobe_tp.h"

struct worker {
	pthread_t thread;
	int index;
	int cpu;
	uint64_t events;
	int burst;
};

static const char *const words[] = {
	"alpha", "beta", "gamma", "delta-longer-name", "with \"quotes\" and \\backslash", "tab\tand\nnewline",
};

static void pin(const struct worker *w)
{
	cpu_set_t set;

	if (w->cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		fprintf(stderr, "ust-probe: warning: cannot pin thread %d to CPU %d: %s\n", w->index, w->cpu,
			strerror(errno));
}

static void emit_burst(const struct worker *w)
{
	uint8_t blob[64];

	for (uint64_t i = 0; i < w->events; i++) {
		for (int k = 0; k < 64; k++)
			blob[k] = (uint8_t) (i + k);
		tracepoint(tsprobe, burst, i, blob);
	}
}

static void emit_mixed(const struct worker *w)
{
	int32_t a32[4];
	uint64_t a64[4];
	int16_t a16[8];
	uint8_t bytes[16];
	char text[16];

	for (uint64_t i = 0; i < w->events; i++) {
		/* seq is unique across threads: thread index in the top bits */
		uint64_t seq = ((uint64_t) w->index << 48) | i;
		int64_t s = (int64_t) i * (i & 1 ? -1 : 1) - (int64_t) w->index;

		if (i % 100 == 99) {
			lttng_ust_tracef("thread %d event %" PRIu64 ": %s", w->index, i, words[i % 6]);
			continue;
		}
		if (i % 100 == 49) {
			lttng_ust_tracelog(LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING, "thread %d event %" PRIu64, w->index, i);
			continue;
		}
		switch (i % 7) {
		case 0:
			tracepoint(tsprobe, ints, seq, s);
			break;
		case 1:
			tracepoint(tsprobe, floats, (float) i / 3.0f, (double) i / 7.0 - (double) w->index);
			break;
		case 2: {
			size_t len = i % (sizeof(text) - 1);
			for (size_t k = 0; k < sizeof(text); k++)
				text[k] = (char) ('A' + (i + k) % 26);
			if (i % 3 == 0 && len > 2)
				text[len / 2] = '\0'; /* a NUL inside a text sequence */
			tracepoint(tsprobe, strings, words[i % 6], text, len);
			break;
		}
		case 3: {
			unsigned int nbytes = (unsigned int) (i % 17);
			uint16_t n16 = (uint16_t) (i % 9);
			for (int k = 0; k < 4; k++) {
				a32[k] = (int32_t) (i * (k + 1)) * (k & 1 ? -1 : 1);
				a64[k] = i << (k * 8);
			}
			for (int k = 0; k < 8; k++)
				a16[k] = (int16_t) (k - (int) (i % 5));
			for (int k = 0; k < 16; k++)
				bytes[k] = (uint8_t) (i * 31 + k);
			if (nbytes > 16)
				nbytes = 16;
			if (n16 > 8)
				n16 = 8;
			tracepoint(tsprobe, arrays, a32, bytes, nbytes, a64, a16, n16);
			break;
		}
		case 4: {
			/* state: labelled, ranged, auto, negative and (e.g. 42, 250) unlabelled values */
			static const int states[] = { 0, 1, 2, 5, 10, 42, 150, -1, -50, 250, -128 };
			static const unsigned int colors[] = { 1, 2, 3, 4, 7, 0, 255 };
			static const uint64_t bigs[] = { 0, 1, 0xffff, 0x10000, 0xffffffffffffffffULL };
			uint64_t k = i / 7; /* i % 7 is fixed in this case */
			tracepoint(tsprobe, enums, states[k % 11], colors[k % 7], bigs[k % 5]);
			break;
		}
		case 5:
			tracepoint(tsprobe, tick, seq, w->cpu);
			break;
		default:
			tracepoint(tsprobe, tock, seq, w->cpu);
			break;
		}
	}
}

static void *run(void *arg)
{
	struct worker *w = arg;

	pin(w);
	if (w->burst)
		emit_burst(w);
	else
		emit_mixed(w);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: ust-probe [-n EVENTS_PER_THREAD] [-t THREADS] [-b]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t events = 1000;
	int threads = 1, burst = 0, opt;
	int cpus[CPU_SETSIZE], ncpus = 0;
	cpu_set_t allowed;

	while ((opt = getopt(argc, argv, "n:t:b")) != -1) {
		char *end;
		switch (opt) {
		case 'n':
			events = strtoull(optarg, &end, 10);
			if (*end)
				usage();
			break;
		case 't':
			threads = (int) strtol(optarg, &end, 10);
			if (*end || threads < 1 || threads > 1024)
				usage();
			break;
		case 'b':
			burst = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) {
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &allowed))
				cpus[ncpus++] = c;
	}

	struct worker *workers = calloc((size_t) threads, sizeof(*workers));
	if (!workers) {
		perror("ust-probe");
		return 1;
	}
	tracepoint(tsprobe, start);
	for (int t = 0; t < threads; t++) {
		workers[t].index = t;
		workers[t].cpu = ncpus ? cpus[t % ncpus] : -1;
		workers[t].events = events;
		workers[t].burst = burst;
		if (pthread_create(&workers[t].thread, NULL, run, &workers[t]) != 0) {
			perror("ust-probe: pthread_create");
			return 1;
		}
	}
	for (int t = 0; t < threads; t++)
		pthread_join(workers[t].thread, NULL);
	tracepoint(tsprobe, end, events * (uint64_t) threads, threads);
	free(workers);
	printf("%" PRIu64 "\n", events * (uint64_t) threads + 2);
	return 0;
}

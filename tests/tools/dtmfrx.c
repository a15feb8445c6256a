// SPDX-License-Identifier: GPL-2.0
/*
 * dtmfrx: find DTMF digits in audio with spandsp's DTMF receiver, a
 * detector that shares no code with linecard's (kernel/dtmf.c), so a test
 * can tell whether a key pressed on a handset reached the far end in band.
 *
 *   dtmfrx [FILE|-]
 *
 * Reads raw S16 native-endian 8 kHz audio (what "vphone N listen" writes,
 * or an RTP payload decoded with sox) and prints one line per digit:
 *   digit=5 at=1230 ms=100 level=-10
 * "at" is where in the input, in ms, spandsp saw the digit begin (its
 * detection takes some 40 ms), "ms" how long it lasted; "level" is
 * spandsp's estimate of its power in dBm0.  Exit
 * status 0 when at least one digit was found, 1 when none was, 2 on a
 * usage or read error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

static long long pos;		/* samples given to the receiver so far */
static long long start;		/* where the digit being heard was detected */
static int current, level_db;
static int digits;

/*
 * spandsp reports a digit's start (code) and end (0) as it detects them;
 * @delay is not a sample count in spandsp 0.0.6, so where they happened
 * is taken from how much audio it was given by then.
 */
static void report(void *user_data, int code, int level, int delay)
{
	(void)user_data;
	(void)delay;
	if (code) {
		start = pos;
		current = code;
		level_db = level;
		return;
	}
	if (!current)
		return;
	printf("digit=%c at=%lld ms=%lld level=%d\n", current, start / 8,
	       (pos - start) / 8, level_db);
	fflush(stdout);
	current = 0;
	digits++;
}

static void usage(void)
{
	fputs("usage: dtmfrx [FILE|-]\n"
	      "  DTMF digits in raw S16 8 kHz audio, found by spandsp\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *file = "-";
	dtmf_rx_state_t *rx;
	int16_t buf[40];	/* 5 ms: the resolution of "at" and "ms" */
	FILE *in;
	size_t n;
	int i;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1]))
		usage();
	if (argc == 2)
		file = argv[1];
	in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "dtmfrx: %s: %s\n", file, strerror(errno));
		return 2;
	}
	rx = dtmf_rx_init(NULL, NULL, NULL);
	if (!rx) {
		fprintf(stderr, "dtmfrx: dtmf_rx_init failed\n");
		return 2;
	}
	dtmf_rx_set_realtime_callback(rx, report, NULL);
	while ((n = fread(buf, sizeof(buf[0]), sizeof(buf) / sizeof(buf[0]), in)) > 0) {
		pos += n;
		dtmf_rx(rx, buf, n);
	}
	if (ferror(in)) {
		fprintf(stderr, "dtmfrx: %s: read error\n", file);
		return 2;
	}
	/* Silence after the last sample ends a digit still sounding. */
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < 40; i++) {
		pos += sizeof(buf) / sizeof(buf[0]);
		dtmf_rx(rx, buf, sizeof(buf) / sizeof(buf[0]));
	}
	dtmf_rx_free(rx);
	if (!digits) {
		fprintf(stderr, "dtmfrx: no DTMF digit\n");
		return 1;
	}
	return 0;
}

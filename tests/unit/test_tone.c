// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/tone.c: frequency, level and purity measured from
 * the generated audio, sample-exact cadences, repeat counts, saturating
 * mix, validation.  Measurements use doubles (user space only).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tone.h"

#define FS 8000
#define ZERO_DBM0_RMS (32768.0 / sqrt(2.0) * pow(10.0, -3.14 / 20.0))

static struct linecard_tone tone1(unsigned int hz, int dbm0)
{
	struct linecard_tone t;

	memset(&t, 0, sizeof(t));
	t.freq[0].hz = hz;
	t.freq[0].dbm0 = dbm0;
	return t;
}

static void add_step(struct linecard_tone *t, unsigned int ms, unsigned int mask)
{
	t->step[t->nsteps].duration_ms = ms;
	t->step[t->nsteps].mask = mask;
	t->nsteps++;
}

/*
 * Render @n samples in chunks of @chunk into a zeroed buffer; returns the
 * number of calls that reported the tone finished, and in *fin_call the
 * index of the (last) one.
 */
static int render(const struct linecard_tone *t, s16 *buf, size_t n,
		  size_t chunk, long *fin_call)
{
	struct lc_tone_gen g;
	size_t off = 0;
	long call = 0;
	int fins = 0;

	ck_assert_int_eq(lc_tone_validate(t), 0);
	memset(buf, 0, n * sizeof(*buf));
	lc_tone_start(&g, t);
	ck_assert(lc_tone_active(&g));
	while (off < n) {
		size_t c = n - off < chunk ? n - off : chunk;

		if (lc_tone_mix(&g, buf + off, c)) {
			fins++;
			if (fin_call)
				*fin_call = call;
		}
		off += c;
		call++;
	}
	return fins;
}

static double rms(const s16 *x, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += (double)x[i] * x[i];
	return sqrt(s / n);
}

/*
 * Power of DFT bin @k (need not be an integer) of @n samples, by Goertzel,
 * normalised so that a sine of peak A exactly on a bin gives (A / 2)^2.
 */
static double bin_power(const s16 *x, size_t n, double k)
{
	double w = 2 * M_PI * k / n, c = 2 * cos(w);
	double s1 = 0, s2 = 0, re, im;
	size_t i;

	for (i = 0; i < n; i++) {
		double s0 = x[i] + c * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	re = s1 - s2 * cos(w);
	im = s2 * sin(w);
	return (re * re + im * im) / ((double)n * n);
}

/* Frequency from interpolated positive-going zero crossings. */
static double measure_freq(const s16 *x, size_t n)
{
	double first = -1, last = -1;
	long count = 0;
	size_t i;

	for (i = 1; i < n; i++) {
		if (x[i - 1] < 0 && x[i] >= 0) {
			double t = (i - 1) + (double)-x[i - 1] / (x[i] - x[i - 1]);

			if (first < 0)
				first = t;
			last = t;
			count++;
		}
	}
	ck_assert_int_gt(count, 2);
	return (count - 1) * (double)FS / (last - first);
}

static const unsigned int test_freqs[] = {
	300, 350, 425, 440, 480, 620, 697, 941, 1004, 1209, 1477, 1633,
	2100, 2600, 3000, 3400,
};

START_TEST(test_frequency)
{
	const size_t n = 10 * FS;
	s16 *buf = malloc(n * sizeof(*buf));
	unsigned int i;

	for (i = 0; i < sizeof(test_freqs) / sizeof(test_freqs[0]); i++) {
		struct linecard_tone t = tone1(test_freqs[i], -10);
		double f;

		ck_assert_int_eq(render(&t, buf, n, 80, NULL), 0);
		f = measure_freq(buf, n);
		ck_assert_msg(fabs(f - test_freqs[i]) < 0.5, "%u Hz measured as %.4f",
			      test_freqs[i], f);
		/* and the DFT peak is on the right 1 Hz bin */
		ck_assert(bin_power(buf, FS, test_freqs[i]) >
			  100 * bin_power(buf, FS, test_freqs[i] + 1));
	}
	free(buf);
}
END_TEST

START_TEST(test_level)
{
	static const int levels[] = { -60, -59, -50, -43, -30, -24, -19, -13,
				      -10, -6, -3, -1, 0, 1, 2, 3 };
	static const unsigned int freqs[] = { 350, 1004, 2600 };
	s16 buf[FS];
	unsigned int i, j;

	for (j = 0; j < 3; j++) {
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
			struct linecard_tone t = tone1(freqs[j], levels[i]);
			double db;

			render(&t, buf, FS, 80, NULL);
			db = 20 * log10(rms(buf, FS) / ZERO_DBM0_RMS);
			ck_assert_msg(fabs(db - levels[i]) < 0.2,
				      "%u Hz at %d dBm0 measured %.3f dBm0",
				      freqs[j], levels[i], db);
		}
	}
}
END_TEST

START_TEST(test_dbm0_to_peak)
{
	int d;

	ck_assert_int_eq(lc_dbm0_to_peak(0), 22827);
	for (d = LINECARD_TONE_MIN_DBM0; d <= LINECARD_TONE_MAX_DBM0; d++) {
		double want = 32768 * pow(10, (d - 3.14) / 20);

		ck_assert(fabs(lc_dbm0_to_peak(d) - want) <= 0.5);
		if (d > LINECARD_TONE_MIN_DBM0)
			ck_assert_int_gt(lc_dbm0_to_peak(d), lc_dbm0_to_peak(d - 1));
	}
	ck_assert_int_le(lc_dbm0_to_peak(3), 32767);
	/* out of range is clamped */
	ck_assert_int_eq(lc_dbm0_to_peak(-100), lc_dbm0_to_peak(-60));
	ck_assert_int_eq(lc_dbm0_to_peak(10), lc_dbm0_to_peak(3));
}
END_TEST

/* Largest non-signal bin and total non-signal power, relative to the signal. */
static void purity(const s16 *x, const unsigned int *sig, unsigned int nsig,
		   double *worst_dbc, double *total_dbc)
{
	double ps = 0, pn = 0, worst = 0;
	unsigned int k, j;

	for (k = 0; k <= FS / 2; k++) {
		double p = bin_power(x, FS, k);
		int is_sig = 0;

		for (j = 0; j < nsig; j++)
			is_sig |= k == sig[j];
		if (is_sig) {
			ps += p;
		} else {
			pn += p;
			if (p > worst)
				worst = p;
		}
	}
	*worst_dbc = 10 * log10(worst / ps + 1e-30);
	*total_dbc = 10 * log10(pn / ps + 1e-30);
}

START_TEST(test_purity)
{
	static const unsigned int freqs[] = { 300, 425, 1004, 1633, 2100, 3400, 3999 };
	static const int levels[] = { 3, 0, -10 };
	s16 buf[FS];
	unsigned int i, j;

	for (i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		for (j = 0; j < 3; j++) {
			struct linecard_tone t = tone1(freqs[i], levels[j]);
			double worst, total;

			render(&t, buf, FS, 80, NULL);
			purity(buf, &freqs[i], 1, &worst, &total);
			ck_assert_msg(worst < -60 && total < -55,
				      "%u Hz %d dBm0: worst spur %.1f dBc, THD+N %.1f dB",
				      freqs[i], levels[j], worst, total);
		}
	}
}
END_TEST

START_TEST(test_two_freq)
{
	struct linecard_tone t = tone1(350, -13);
	static const unsigned int sig[] = { 350, 440 };
	double want = pow(lc_dbm0_to_peak(-13) / 2.0, 2), worst, total;
	s16 buf[FS];

	t.freq[2].hz = 440;		/* a gap in the slots is fine */
	t.freq[2].dbm0 = -13;
	render(&t, buf, FS, 80, NULL);
	ck_assert(fabs(10 * log10(bin_power(buf, FS, 350) / want)) < 0.1);
	ck_assert(fabs(10 * log10(bin_power(buf, FS, 440) / want)) < 0.1);
	purity(buf, sig, 2, &worst, &total);
	ck_assert_msg(worst < -60 && total < -55, "spur %.1f total %.1f", worst, total);
	/* total level: two -13 dBm0 components are -9.99 dBm0 together */
	ck_assert(fabs(20 * log10(rms(buf, FS) / ZERO_DBM0_RMS) -
		       10 * log10(2 * pow(10, -1.3))) < 0.2);
}
END_TEST

/* Rendering in one call, in frames, or in odd chunks gives the same audio. */
START_TEST(test_chunking)
{
	struct linecard_tone t = tone1(425, -10);
	const size_t n = 3 * FS;
	static const size_t chunks[] = { 1, 7, 37, 80, 160, 1000, 3 * FS };
	s16 *ref = malloc(n * sizeof(*ref)), *buf = malloc(n * sizeof(*buf));
	unsigned int i;

	t.freq[1].hz = 1100;
	t.freq[1].dbm0 = -20;
	add_step(&t, 250, 1);
	add_step(&t, 125, 3);
	add_step(&t, 333, 0);
	add_step(&t, 7, 2);
	render(&t, ref, n, 80, NULL);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		render(&t, buf, n, chunks[i], NULL);
		ck_assert(!memcmp(ref, buf, n * sizeof(*buf)));
	}
	free(ref);
	free(buf);
}
END_TEST

/*
 * Envelope: the audio split into sounding and silent runs; a silent run is
 * at least @min_gap exact zeros.  Returns the number of runs; run i starts
 * at start[i], lasts len[i] samples, and is on[i].
 */
static int envelope(const s16 *x, size_t n, size_t min_gap, long *start,
		    long *len, int *on, int max)
{
	int runs = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		int o;

		while (j < n && x[j] == 0)
			j++;
		o = j - i < min_gap;
		if (o)			/* a short zero run sounds */
			while (j < n && x[j] != 0)
				j++;
		if (runs > 0 && on[runs - 1] == o) {
			len[runs - 1] += j - i;
		} else {
			ck_assert_int_lt(runs, max);
			start[runs] = i;
			len[runs] = j - i;
			on[runs] = o;
			runs++;
		}
		i = j;
	}
	return runs;
}

/*
 * Expected sample-exact runs of a cadence played for @n samples: adjacent
 * steps that are both on (or both off) merge.
 */
static int expected_runs(const struct linecard_tone *t, size_t n, long *start,
			 long *len, int *on, int max)
{
	unsigned int rep = 0, s = 0;
	long pos = 0;
	int runs = 0;

	while ((size_t)pos < n) {
		long d = t->step[s].duration_ms * 8L;
		int o = t->step[s].mask != 0;

		if (t->repeat && rep >= t->repeat) {
			d = n - pos;
			o = 0;
		}
		if ((size_t)(pos + d) > n)
			d = n - pos;
		if (runs > 0 && on[runs - 1] == o) {
			len[runs - 1] += d;
		} else {
			ck_assert_int_lt(runs, max);
			start[runs] = pos;
			len[runs] = d;
			on[runs] = o;
			runs++;
		}
		pos += d;
		if (++s == t->nsteps) {
			s = 0;
			rep++;
		}
	}
	return runs;
}

static void check_cadence(const struct linecard_tone *t, size_t n, size_t chunk)
{
	enum { MAXR = 256 };
	long s1[MAXR], l1[MAXR], s2[MAXR], l2[MAXR];
	int o1[MAXR], o2[MAXR], r1, r2, i;
	s16 *buf = malloc(n * sizeof(*buf));

	render(t, buf, n, chunk, NULL);
	r1 = envelope(buf, n, 16, s1, l1, o1, MAXR);
	r2 = expected_runs(t, n, s2, l2, o2, MAXR);
	ck_assert_int_eq(r1, r2);
	for (i = 0; i < r1; i++) {
		ck_assert_msg(s1[i] == s2[i] && l1[i] == l2[i] && o1[i] == o2[i],
			      "run %d: got %s at %ld for %ld, want %s at %ld for %ld",
			      i, o1[i] ? "on" : "off", s1[i], l1[i],
			      o2[i] ? "on" : "off", s2[i], l2[i]);
		/* and the edges are sharp: the first and last samples sound */
		if (o1[i]) {
			ck_assert_int_ne(buf[s1[i]], 0);
			ck_assert_int_ne(buf[s1[i] + l1[i] - 1], 0);
		}
	}
	free(buf);
}

START_TEST(test_cadence_us_busy)
{
	struct linecard_tone t = tone1(480, -24);

	t.freq[1].hz = 620;
	t.freq[1].dbm0 = -24;
	add_step(&t, 500, 3);
	add_step(&t, 500, 0);
	check_cadence(&t, 10 * FS, 80);
	check_cadence(&t, 10 * FS, 37);
	check_cadence(&t, 10 * FS, 4001);
}
END_TEST

START_TEST(test_cadence_uk_ring)
{
	struct linecard_tone t = tone1(400, -19);

	t.freq[1].hz = 450;
	t.freq[1].dbm0 = -19;
	add_step(&t, 400, 3);
	add_step(&t, 200, 0);
	add_step(&t, 400, 3);
	add_step(&t, 2000, 0);
	check_cadence(&t, 15 * FS, 80);
	check_cadence(&t, 15 * FS, 13);
}
END_TEST

/* Double-precision model of the generator: sample k is at time k + 1/2. */
static double model(const struct linecard_tone *t, unsigned int mask, long k)
{
	double v = 0;
	unsigned int i;

	for (i = 0; i < LINECARD_TONE_MAX_FREQS; i++)
		if (t->freq[i].hz && (mask & (1U << i)))
			v += 32768 * pow(10, (t->freq[i].dbm0 - 3.14) / 20) *
			     sin(2 * M_PI * t->freq[i].hz * (k + 0.5) / FS);
	return v;
}

START_TEST(test_cadence_sit)
{
	/* SIT-like: three frequencies in turn, then silence; twice. */
	struct linecard_tone t = tone1(950, -24);
	static const unsigned int dur[] = { 330, 330, 330, 1000 };
	static const unsigned int mask[] = { 1, 2, 4, 0 };
	const size_t n = 2 * 2 * FS + FS;
	s16 *buf = malloc(n * sizeof(*buf));
	long k = 0, fin = -1;
	unsigned int rep, s;

	t.freq[1].hz = 1400;
	t.freq[1].dbm0 = -24;
	t.freq[2].hz = 1800;
	t.freq[2].dbm0 = -24;
	for (s = 0; s < 4; s++)
		add_step(&t, dur[s], mask[s]);
	t.repeat = 2;
	ck_assert_int_eq(render(&t, buf, n, 80, &fin), 1);
	ck_assert_int_eq(fin, 2 * 1990 * 8 / 80 - 1);
	check_cadence(&t, n, 80);

	/* every sample matches the model of the right step's frequency */
	for (rep = 0; rep < 2; rep++) {
		for (s = 0; s < 4; s++) {
			long end = k + dur[s] * 8;
			s16 seg[330 * 8];

			for (; k < end; k++) {
				double m = model(&t, mask[s], k);

				ck_assert_msg(fabs(buf[k] - m) <= 1.5,
					      "sample %ld: %d, model %.2f", k, buf[k], m);
			}
			if (!mask[s])
				continue;
			/* the step's frequency dominates the step */
			memcpy(seg, buf + end - dur[s] * 8, sizeof(seg));
			{
				static const unsigned int f[] = { 950, 1400, 1800 };
				double p[3];
				unsigned int j;

				for (j = 0; j < 3; j++)
					p[j] = bin_power(seg, 330 * 8, f[j] * 0.33);
				for (j = 0; j < 3; j++)
					if (mask[s] != 1U << j)
						ck_assert(p[j] < p[s] * 1e-4);
			}
		}
	}
	for (; k < (long)n; k++)
		ck_assert_int_eq(buf[k], 0);
	free(buf);
}
END_TEST

START_TEST(test_repeat_and_finish)
{
	static const size_t chunks[] = { 80, 37, 1, 8000, 24000, 23999 };
	struct linecard_tone t = tone1(480, -24);
	const size_t n = 5 * FS;
	s16 *buf = malloc(n * sizeof(*buf));
	unsigned int i;

	t.freq[1].hz = 620;
	t.freq[1].dbm0 = -24;
	add_step(&t, 500, 3);
	add_step(&t, 500, 0);
	t.repeat = 3;
	check_cadence(&t, n, 80);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		long fin = -1;

		/* finishes at sample 24000: in the call that covers sample 23999 */
		ck_assert_int_eq(render(&t, buf, n, chunks[i], &fin), 1);
		ck_assert_int_eq(fin, 23999 / chunks[i]);
	}

	/* once finished: inactive, buffer left alone, no second report */
	{
		struct lc_tone_gen g;
		s16 frame[80];
		int calls = 0, fins = 0;

		lc_tone_start(&g, &t);
		while (lc_tone_active(&g)) {
			memset(frame, 0, sizeof(frame));
			fins += lc_tone_mix(&g, frame, 80);
			calls++;
		}
		ck_assert_int_eq(calls, 300);
		ck_assert_int_eq(fins, 1);
		for (calls = 0; calls < 10; calls++) {
			unsigned int j;

			for (j = 0; j < 80; j++)
				frame[j] = 1234;
			ck_assert(!lc_tone_mix(&g, frame, 80));
			for (j = 0; j < 80; j++)
				ck_assert_int_eq(frame[j], 1234);
		}
	}

	/* a single on step played once ends mid-frame */
	{
		struct linecard_tone u = tone1(1000, -10);
		long fin = -1;

		add_step(&u, 3, 1);
		u.repeat = 1;
		ck_assert_int_eq(render(&u, buf, 160, 80, &fin), 1);
		ck_assert_int_eq(fin, 0);
		ck_assert_int_ne(buf[23], 0);
		for (i = 24; i < 160; i++)
			ck_assert_int_eq(buf[i], 0);
	}

	/* repeat 0 and a continuous tone never finish */
	t.repeat = 0;
	ck_assert_int_eq(render(&t, buf, n, 80, NULL), 0);
	t.nsteps = 0;
	ck_assert_int_eq(render(&t, buf, n, 80, NULL), 0);
	for (i = 0; i < n; i += 97)
		ck_assert_int_ne(buf[i] == 0 && buf[i + 1] == 0, 1);
	free(buf);
}
END_TEST

START_TEST(test_stop)
{
	struct linecard_tone t = tone1(1000, 0);
	struct lc_tone_gen g;
	s16 frame[80] = { 0 };
	unsigned int i;

	lc_tone_start(&g, &t);
	ck_assert(!lc_tone_mix(&g, frame, 80));
	lc_tone_stop(&g);
	ck_assert(!lc_tone_active(&g));
	memset(frame, 0, sizeof(frame));
	ck_assert(!lc_tone_mix(&g, frame, 80));
	for (i = 0; i < 80; i++)
		ck_assert_int_eq(frame[i], 0);
}
END_TEST

START_TEST(test_ring_cadence)
{
	/* UK ring as the core drives it: one advance of 80 samples a frame */
	struct linecard_step st[4] = {
		{ 400, 1, 0 }, { 200, 0, 0 }, { 400, 1, 0 }, { 2000, 0, 0 },
	};
	struct lc_cadence c;
	unsigned int f;

	lc_cadence_start(&c, st, 4, 2, 1);
	ck_assert(c.active);
	ck_assert_uint_eq(lc_cadence_left(&c), 3200);
	for (f = 0; f < 600; f++) {
		unsigned int ms = (f % 300) * 10;
		u8 want = ms < 400 || (ms >= 600 && ms < 1000);

		ck_assert(c.active);
		ck_assert_uint_eq(lc_cadence_advance(&c, 80), want);
	}
	ck_assert(!c.active);
	ck_assert_uint_eq(lc_cadence_advance(&c, 80), 0);
	ck_assert_uint_eq(lc_cadence_left(&c), 0);

	/* sample accuracy through lc_cadence_left */
	lc_cadence_start(&c, st, 4, 0, 1);
	ck_assert_uint_eq(lc_cadence_advance(&c, 3199), 1);
	ck_assert_uint_eq(lc_cadence_left(&c), 1);
	ck_assert_uint_eq(lc_cadence_advance(&c, 1), 1);
	ck_assert_uint_eq(lc_cadence_left(&c), 1600);
	ck_assert_uint_eq(lc_cadence_advance(&c, 1), 0);
	/* a long advance crosses several steps, forever */
	for (f = 0; f < 1000; f++)
		lc_cadence_advance(&c, 7919);
	ck_assert(c.active);

	/* nsteps 0: continuous with mask @all */
	lc_cadence_start(&c, NULL, 0, 3, 1);
	for (f = 0; f < 100000; f++)
		ck_assert_uint_eq(lc_cadence_advance(&c, 80), 1);
	ck_assert(c.active);
	ck_assert_uint_eq(lc_cadence_left(&c), 0);
}
END_TEST

START_TEST(test_saturation)
{
	struct linecard_tone t = tone1(1000, 3);
	s16 tone[800], buf[800];
	struct lc_tone_gen g;
	unsigned int i;
	int lo = 0, hi = 0;

	/* full-scale input plus a +3 dBm0 tone clips, never wraps */
	render(&t, tone, 800, 80, NULL);
	for (i = 0; i < 800; i++)
		buf[i] = i & 1 ? 32767 : -32768;
	lc_tone_start(&g, &t);
	for (i = 0; i < 800; i += 80)
		lc_tone_mix(&g, buf + i, 80);
	for (i = 0; i < 800; i++) {
		s32 want = (i & 1 ? 32767 : -32768) + tone[i];

		want = want > 32767 ? 32767 : want < -32768 ? -32768 : want;
		ck_assert_int_eq(buf[i], want);
		if (i & 1)
			ck_assert_int_ge(buf[i], 32767 - 32243 - 1);
		else
			ck_assert_int_le(buf[i], -32768 + 32243 + 1);
	}

	/* four +3 dBm0 components at once exceed full scale on their own */
	t.freq[1].hz = 1000;
	t.freq[1].dbm0 = 3;
	t.freq[2].hz = 1000;
	t.freq[2].dbm0 = 3;
	t.freq[3].hz = 1000;
	t.freq[3].dbm0 = 3;
	render(&t, buf, 800, 80, NULL);
	for (i = 0; i < 800; i++) {
		double m = model(&t, 15, i);

		if (m > 32767) {
			ck_assert_int_eq(buf[i], 32767);
			hi++;
		} else if (m < -32768) {
			ck_assert_int_eq(buf[i], -32768);
			lo++;
		} else {
			ck_assert(fabs(buf[i] - m) <= 3);
		}
	}
	ck_assert_int_gt(hi, 100);
	ck_assert_int_gt(lo, 100);
}
END_TEST

START_TEST(test_validate_tone)
{
	struct linecard_tone ok = tone1(425, -10), t;
	unsigned int i;

	ok.freq[1].hz = 20;
	ok.freq[1].dbm0 = -60;
	ok.freq[3].hz = LINECARD_TONE_MAX_HZ;
	ok.freq[3].dbm0 = 3;
	add_step(&ok, 1, 1);
	add_step(&ok, LINECARD_STEP_MAX_MS, 0xb);
	add_step(&ok, 100, 0);
	ok.repeat = 65535;
	ck_assert_int_eq(lc_tone_validate(&ok), 0);

#define BAD(expr) do { t = ok; expr; \
	ck_assert_int_eq(lc_tone_validate(&t), -EINVAL); } while (0)
#define GOOD(expr) do { t = ok; expr; \
	ck_assert_int_eq(lc_tone_validate(&t), 0); } while (0)

	BAD(t.freq[0].hz = 19);
	BAD(t.freq[0].hz = 1);
	BAD(t.freq[0].hz = LINECARD_TONE_MAX_HZ + 1);
	BAD(t.freq[0].hz = 65535);
	BAD(t.freq[2].hz = 19);
	BAD(t.freq[0].dbm0 = -61);
	BAD(t.freq[0].dbm0 = 4);
	BAD(t.freq[0].dbm0 = -128);
	BAD(t.freq[0].dbm0 = 127);
	BAD(t.freq[2].dbm0 = 4);		/* unused slot: still in range */
	for (i = 0; i < LINECARD_TONE_MAX_FREQS; i++)
		BAD(t.freq[i].reserved = 1);
	BAD(t.flags = 1);
	BAD(t.flags = 0x80000000);
	BAD(t.nsteps = LINECARD_MAX_STEPS + 1);
	BAD(t.nsteps = 65535);
	BAD(t.step[0].duration_ms = 0);
	BAD(t.step[2].duration_ms = 0);
	BAD(t.step[1].duration_ms = LINECARD_STEP_MAX_MS + 1);
	BAD(t.step[1].duration_ms = 65535);
	BAD(t.step[0].reserved = 1);
	BAD(t.step[2].reserved = 0x80);
	BAD(t.step[0].mask = 4);		/* freq[2] is unused */
	BAD(t.step[0].mask = 0x10);
	BAD(t.step[0].mask = 0x80);
	BAD(t.freq[0].hz = 0; t.freq[1].hz = 0; t.freq[3].hz = 0);
	BAD(memset(t.freq, 0, sizeof(t.freq)); t.nsteps = 0);
	BAD(t.freq[1].hz = 0);			/* step 1 names freq[1] */

	GOOD(t.freq[2].hz = 2000; t.step[0].mask = 0xf);
	GOOD(t.nsteps = 0);
	GOOD(t.nsteps = 1);
	GOOD(t.step[3].duration_ms = 0; t.step[3].reserved = 9);	/* unused */
	GOOD(t.freq[0].hz = 0; t.step[0].mask = 2; t.step[1].mask = 0xa);
	GOOD(t.repeat = 0);
	GOOD(t.nsteps = LINECARD_MAX_STEPS;
	     for (i = 3; i < LINECARD_MAX_STEPS; i++) t.step[i].duration_ms = 5);
#undef BAD
#undef GOOD
}
END_TEST

START_TEST(test_validate_ring)
{
	struct linecard_ring ok, r;
	unsigned int i;

	memset(&ok, 0, sizeof(ok));
	ck_assert_int_eq(lc_ring_validate(&ok), 0);	/* continuous */
	ok.step[0].duration_ms = 1000;
	ok.step[0].mask = 1;
	ok.step[1].duration_ms = LINECARD_STEP_MAX_MS;
	ok.nsteps = 2;
	ok.repeat = 5;
	ck_assert_int_eq(lc_ring_validate(&ok), 0);

#define BAD(expr) do { r = ok; expr; \
	ck_assert_int_eq(lc_ring_validate(&r), -EINVAL); } while (0)
	BAD(r.flags = 1);
	BAD(r.nsteps = LINECARD_MAX_STEPS + 1);
	BAD(r.step[0].duration_ms = 0);
	BAD(r.step[1].duration_ms = LINECARD_STEP_MAX_MS + 1);
	BAD(r.step[0].mask = 2);
	BAD(r.step[1].mask = 3);
	BAD(r.step[0].mask = 0x80);
	BAD(r.step[1].reserved = 1);
#undef BAD
	r = ok;
	r.nsteps = LINECARD_MAX_STEPS;
	for (i = 2; i < LINECARD_MAX_STEPS; i++)
		r.step[i].duration_ms = 1;
	ck_assert_int_eq(lc_ring_validate(&r), 0);
}
END_TEST

static Suite *tone_suite(void)
{
	Suite *s = suite_create("tone");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dbm0_to_peak);
	tcase_add_test(tc, test_frequency);
	tcase_add_test(tc, test_level);
	tcase_add_test(tc, test_purity);
	tcase_add_test(tc, test_two_freq);
	tcase_add_test(tc, test_chunking);
	tcase_add_test(tc, test_cadence_us_busy);
	tcase_add_test(tc, test_cadence_uk_ring);
	tcase_add_test(tc, test_cadence_sit);
	tcase_add_test(tc, test_repeat_and_finish);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_ring_cadence);
	tcase_add_test(tc, test_saturation);
	tcase_add_test(tc, test_validate_tone);
	tcase_add_test(tc, test_validate_ring);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tone_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

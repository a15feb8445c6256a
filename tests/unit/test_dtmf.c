// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/dtmf.c: the ITU-T Q.24 acceptance and rejection
 * limits (frequency, twist, level, duration, pause), digit sequences and
 * durations, and talk-off (noise, speech-like harmonic signals, single
 * tones, call progress tones, music-like chords).  Signals are generated
 * with doubles (user space only) and fed in 10 ms frames.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "dtmf.h"

#define FS 8000
#define FRAME LINECARD_FRAME_SAMPLES
#define MS(ms) ((size_t)(ms) * FS / 1000)
#define MAXEV 64

static const char keys[] = "123A456B789C*0#D";
static const double rows[4] = { 697, 770, 852, 941 };
static const double cols[4] = { 1209, 1336, 1477, 1633 };

/* Peak of a sine at @dbm0 (0 dBm0 = 3.14 dB below a full-scale sine). */
static double peak(double dbm0)
{
	return 32768.0 * pow(10.0, (dbm0 - 3.14) / 20.0);
}

/* --- deterministic random numbers -------------------------------------- */

static unsigned long long rng_state = 88172645463325252ULL;

static void rng_seed(unsigned long long s)
{
	rng_state = s * 2685821657736338717ULL + 1;
	if (!rng_state)
		rng_state = 1;
}

static double urand(void)		/* [0, 1) */
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double grand(void)		/* standard normal */
{
	double u1 = urand(), u2 = urand();

	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* --- signal buffers ------------------------------------------------------ */

struct sig {
	double *x;
	size_t n;
};

static struct sig sig_new(size_t n)
{
	struct sig s;

	s.n = n;
	s.x = calloc(n ? n : 1, sizeof(double));
	ck_assert_ptr_nonnull(s.x);
	return s;
}

static void sig_free(struct sig *s)
{
	free(s->x);
	s->x = NULL;
}

static void add_sine(struct sig *s, size_t at, size_t len, double hz,
		     double amp, double phase)
{
	size_t i;

	for (i = 0; i < len && at + i < s->n; i++)
		s->x[at + i] += amp * sin(2.0 * M_PI * hz * i / FS + phase);
}

/* A DTMF digit with per-tone level and frequency offset (percent). */
static void add_digit(struct sig *s, size_t at, size_t len, char digit,
		      double row_dbm0, double col_dbm0, double row_pct,
		      double col_pct)
{
	u16 r, c;

	ck_assert_int_eq(lc_dtmf_freqs(digit, &r, &c), 0);
	add_sine(s, at, len, r * (1.0 + row_pct / 100.0), peak(row_dbm0),
		 2.0 * M_PI * urand());
	add_sine(s, at, len, c * (1.0 + col_pct / 100.0), peak(col_dbm0),
		 2.0 * M_PI * urand());
}

/* --- running the detector ------------------------------------------------ */

struct result {
	char digits[MAXEV + 1];
	u32 dur[MAXEV];
	int n;
	int in_digit_frames;	/* frames for which in_digit was true */
};

/*
 * Feed @s (saturated to 16 bits) frame by frame, then 200 ms of silence so
 * that the last digit ends.
 */
static void run(const struct sig *s, struct result *res)
{
	struct lc_dtmf_det det;
	size_t nframes = (s->n + FRAME - 1) / FRAME + MS(200) / FRAME;
	size_t f, i;

	memset(res, 0, sizeof(*res));
	lc_dtmf_det_init(&det);
	ck_assert(!lc_dtmf_det_in_digit(&det));
	for (f = 0; f < nframes; f++) {
		s16 frame[FRAME];
		struct lc_dtmf_ev ev;

		for (i = 0; i < FRAME; i++) {
			size_t k = f * FRAME + i;
			double v = k < s->n ? s->x[k] : 0.0;

			v = floor(v + 0.5);
			if (v > 32767)
				v = 32767;
			if (v < -32768)
				v = -32768;
			frame[i] = (s16)v;
		}
		memset(&ev, 0, sizeof(ev));
		if (lc_dtmf_det_frame(&det, frame, &ev)) {
			ck_assert_int_eq(ev.type, LC_DTMF_END);
			ck_assert_int_lt(res->n, MAXEV);
			res->digits[res->n] = ev.digit;
			res->dur[res->n] = ev.duration_ms;
			res->n++;
		} else {
			ck_assert_int_eq(ev.type, LC_DTMF_NONE);
		}
		if (lc_dtmf_det_in_digit(&det))
			res->in_digit_frames++;
	}
	res->digits[res->n] = 0;
	ck_assert(!lc_dtmf_det_in_digit(&det));
}

static void assert_dur(const struct result *res, int i, double ms)
{
	ck_assert_msg(fabs(res->dur[i] - ms) <= 20.0,
		      "digit %c lasted %.1f ms, reported %u ms",
		      res->digits[i], ms, res->dur[i]);
}

/* One digit of @ms ms after @lead ms of silence; returns the result. */
static void one_digit(char digit, double row_dbm0, double col_dbm0,
		      double row_pct, double col_pct, double ms, double lead,
		      struct result *res)
{
	struct sig s = sig_new(MS(lead) + MS(ms) + MS(100));

	add_digit(&s, MS(lead), MS(ms), digit, row_dbm0, col_dbm0, row_pct,
		  col_pct);
	run(&s, res);
	sig_free(&s);
}

/* Play digits @str with @on ms tones and @off ms pauses at @dbm0 per tone. */
static void play(const char *str, double on, double off, double dbm0,
		 size_t lead, struct result *res)
{
	size_t len = strlen(str), i;
	struct sig s = sig_new(lead + len * (MS(on) + MS(off)) + MS(100));

	for (i = 0; i < len; i++)
		add_digit(&s, lead + i * (MS(on) + MS(off)), MS(on), str[i],
			  dbm0, dbm0, 0, 0);
	run(&s, res);
	sig_free(&s);
}

/* --- mapping ------------------------------------------------------------- */

START_TEST(test_freqs)
{
	static const char bad[] = "EFabcdxz@+- \x7f";
	u16 r = 1, c = 1;
	int i;

	for (i = 0; i < 16; i++) {
		ck_assert_int_eq(lc_dtmf_freqs(keys[i], &r, &c), 0);
		ck_assert_int_eq(r, (int)rows[i / 4]);
		ck_assert_int_eq(c, (int)cols[i % 4]);
	}
	ck_assert_int_eq(lc_dtmf_freqs('5', &r, &c), 0);
	ck_assert_int_eq(r, 770);
	ck_assert_int_eq(c, 1336);
	ck_assert_int_eq(lc_dtmf_freqs('D', &r, &c), 0);
	ck_assert_int_eq(r, 941);
	ck_assert_int_eq(c, 1633);
	for (i = 0; bad[i]; i++)
		ck_assert_int_eq(lc_dtmf_freqs(bad[i], &r, &c), -EINVAL);
	ck_assert_int_eq(lc_dtmf_freqs(0, &r, &c), -EINVAL);
	ck_assert_int_eq(lc_dtmf_freqs('a', &r, &c), -EINVAL);
	ck_assert_int_eq(lc_dtmf_freqs('E', &r, &c), -EINVAL);
}
END_TEST

/* --- acceptance ---------------------------------------------------------- */

/* Every digit at levels from -25 dBm0 to 0 dBm0 per tone. */
START_TEST(test_all_digits_levels)
{
	static const double lv[] = { -25, -22, -18, -12, -6, -3, 0 };
	struct result res;
	size_t i, l;

	rng_seed(1);
	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		for (i = 0; i < 16; i++) {
			char want[2] = { keys[i], 0 };

			one_digit(keys[i], lv[l], lv[l], 0, 0, 60, 30, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "digit %c at %.0f dBm0: got \"%s\"",
				      keys[i], lv[l], res.digits);
			assert_dur(&res, 0, 60);
			ck_assert_int_gt(res.in_digit_frames, 0);
		}
	}
}
END_TEST

/* Tones below about -35 dBm0 are ignored. */
START_TEST(test_too_weak)
{
	static const double lv[] = { -35, -38, -45, -60 };
	struct result res;
	size_t i, l;

	rng_seed(2);
	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		for (i = 0; i < 16; i++) {
			one_digit(keys[i], lv[l], lv[l], 0, 0, 200, 30, &res);
			ck_assert_msg(res.n == 0, "digit %c at %.0f dBm0: \"%s\"",
				      keys[i], lv[l], res.digits);
		}
	}
}
END_TEST

/*
 * Q.24 frequency tolerance: each tone on its own offset by up to +-1.5 %
 * must be accepted, by +-3.5 % or more rejected; for every row and
 * column frequency, with every partner, at two levels.
 */
START_TEST(test_freq_tolerance)
{
	static const double ok[] = { -1.5, -1.0, 0.0, 1.0, 1.5 };
	static const double bad[] = { -5.0, -3.5, 3.5, 5.0 };
	static const double lv[] = { -22, -6 };
	struct result res;
	size_t i, j, l, side;

	rng_seed(3);
	for (l = 0; l < 2; l++)
	for (side = 0; side < 2; side++)
	for (i = 0; i < 16; i++) {
		char want[2] = { keys[i], 0 };

		for (j = 0; j < sizeof(ok) / sizeof(ok[0]); j++) {
			one_digit(keys[i], lv[l], lv[l], side ? 0 : ok[j],
				  side ? ok[j] : 0, 60, 30, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "%c %s %+.1f%% %.0f dBm0: got \"%s\"",
				      keys[i], side ? "col" : "row", ok[j],
				      lv[l], res.digits);
			assert_dur(&res, 0, 60);
		}
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			one_digit(keys[i], lv[l], lv[l], side ? 0 : bad[j],
				  side ? bad[j] : 0, 200, 30, &res);
			ck_assert_msg(res.n == 0,
				      "%c %s %+.1f%% %.0f dBm0: got \"%s\"",
				      keys[i], side ? "col" : "row", bad[j],
				      lv[l], res.digits);
		}
	}
}
END_TEST

/*
 * Both tones off at the same time, in the same or opposite directions,
 * combined with the twist limits and low and high levels: the corners of
 * the acceptance region.
 */
START_TEST(test_freq_both_off)
{
	static const double ok[] = { -1.5, 1.5 };
	static const double tw[] = { -8, 0, 4 };
	static const double lv[] = { -25, -3 };
	struct result res;
	size_t i, a, b, t, l;

	rng_seed(4);
	for (i = 0; i < 16; i++) {
		char want[2] = { keys[i], 0 };

		for (a = 0; a < 2; a++)
		for (b = 0; b < 2; b++)
		for (t = 0; t < 3; t++)
		for (l = 0; l < 2; l++) {
			/* the weaker tone at -25 dBm0, or the stronger at -3 */
			double row = l == 0 ? (tw[t] < 0 ? lv[0] - tw[t] : lv[0])
					    : (tw[t] > 0 ? lv[1] - tw[t] : lv[1]);

			one_digit(keys[i], row, row + tw[t], ok[a], ok[b], 60,
				  30, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "%c %+.1f%% %+.1f%% twist %+.0f dB "
				      "at %.0f dBm0: \"%s\"", keys[i], ok[a],
				      ok[b], tw[t], lv[l], res.digits);
			assert_dur(&res, 0, 60);
		}
		for (a = 0; a < 2; a++) {
			for (b = 0; b < 2; b++) {
				one_digit(keys[i], -12, -12, ok[a] * 3.5 / 1.5,
					  ok[b] * 3.5 / 1.5, 200, 30, &res);
				ck_assert_int_eq(res.n, 0);
			}
		}
	}
}
END_TEST

/*
 * Twist (column level minus row level): accepted from -8 dB to +4 dB,
 * rejected at -12 dB and below and at +8 dB and above.
 */
START_TEST(test_twist)
{
	static const double ok[] = { -8, -6, -4, -2, 0, 2, 4 };
	static const double bad[] = { -20, -14, -12, 8, 10, 16 };
	static const double row[] = { -6, -16 };
	struct result res;
	size_t i, j, l;

	rng_seed(5);
	for (l = 0; l < 2; l++)
	for (i = 0; i < 16; i++) {
		char want[2] = { keys[i], 0 };

		for (j = 0; j < sizeof(ok) / sizeof(ok[0]); j++) {
			double col = row[l] + ok[j];

			one_digit(keys[i], row[l], col, 0, 0, 60, 30, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "%c twist %+.0f dB: got \"%s\"",
				      keys[i], ok[j], res.digits);
		}
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			/* keep the stronger tone at the row level */
			double r = bad[j] > 0 ? row[l] - bad[j] : row[l];
			double col = r + bad[j];

			one_digit(keys[i], r, col, 0, 0, 200, 30, &res);
			ck_assert_msg(res.n == 0, "%c twist %+.0f dB: got \"%s\"",
				      keys[i], bad[j], res.digits);
		}
	}
}
END_TEST

/* --- timing -------------------------------------------------------------- */

/*
 * 40 ms and longer: always detected, once, whatever the alignment with the
 * frames and the phases; duration within 20 ms.
 */
START_TEST(test_duration_detected)
{
	static const double ms[] = { 40, 41, 45, 50, 60, 80, 100, 250, 1000 };
	struct result res;
	size_t i, t, k;

	rng_seed(6);
	for (t = 0; t < sizeof(ms) / sizeof(ms[0]); t++) {
		for (k = 0; k < 40; k++) {
			double lead = 30 + (k * 7 % FRAME) / 8.0 + urand();
			char want[2];

			double row = -6 - 16 * urand();

			i = (size_t)(urand() * 16);
			want[0] = keys[i];
			want[1] = 0;
			/* twist between -6 and +3 dB */
			one_digit(keys[i], row, row - 6 + 9 * urand(), 0, 0,
				  ms[t], lead, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "%c %.0f ms at %.2f ms: got \"%s\"",
				      keys[i], ms[t], lead, res.digits);
			assert_dur(&res, 0, MS(ms[t]) * 1000.0 / FS);
		}
	}
}
END_TEST

/* 20 ms and shorter: never detected, at any alignment. */
START_TEST(test_duration_rejected)
{
	static const double ms[] = { 5, 10, 15, 20 };
	struct result res;
	size_t i, t, off;

	rng_seed(7);
	for (t = 0; t < sizeof(ms) / sizeof(ms[0]); t++) {
		for (off = 0; off < FRAME; off++) {
			for (i = 0; i < 16; i += 5) {
				one_digit(keys[i], -6, -6, 0, 0, ms[t],
					  30 + off / 8.0, &res);
				ck_assert_msg(res.n == 0,
					      "%c %.0f ms at +%zu: got \"%s\"",
					      keys[i], ms[t], off,
					      res.digits);
				ck_assert_int_eq(res.in_digit_frames, 0);
			}
		}
	}
}
END_TEST

/* A 40 ms pause splits two presses of the same key, at any alignment. */
START_TEST(test_pause_splits)
{
	static const double off_ms[] = { 40, 45, 50, 60 };
	struct result res;
	size_t i, t, off;

	rng_seed(8);
	for (t = 0; t < sizeof(off_ms) / sizeof(off_ms[0]); t++) {
		for (off = 0; off < FRAME; off += 3) {
			i = (size_t)(urand() * 16);
			char want[3] = { keys[i], keys[i], 0 };
			char str[3] = { keys[i], keys[i], 0 };

			play(str, 50, off_ms[t], -10, MS(30) + off, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "%s %.0f ms pause at +%zu: got \"%s\"",
				      str, off_ms[t], off, res.digits);
			assert_dur(&res, 0, 50);
			assert_dur(&res, 1, 50);
		}
	}
}
END_TEST

/* A break of up to 10 ms inside a digit does not split it. */
START_TEST(test_dropout_bridged)
{
	static const double gap_ms[] = { 2, 5, 10 };
	struct result res;
	size_t t, g0, i;

	rng_seed(9);
	for (t = 0; t < sizeof(gap_ms) / sizeof(gap_ms[0]); t++) {
		for (g0 = 0; g0 < FRAME; g0 += 3) {
			struct sig s = sig_new(MS(300));
			size_t start = MS(30), gap = start + MS(50) + g0;
			u16 r, c;
			double pr = 2 * M_PI * urand(), pc = 2 * M_PI * urand();

			i = (size_t)(urand() * 16);
			lc_dtmf_freqs(keys[i], &r, &c);
			/* one continuous pair of tones with a hole in it */
			add_sine(&s, start, MS(120), r, peak(-8), pr);
			add_sine(&s, start, MS(120), c, peak(-8), pc);
			memset(s.x + gap, 0, MS(gap_ms[t]) * sizeof(double));
			run(&s, &res);
			sig_free(&s);
			ck_assert_int_eq(res.n, 1);
			ck_assert_int_eq(res.digits[0], keys[i]);
			assert_dur(&res, 0, 120);
		}
	}
}
END_TEST

/* One digit straight after another, without a pause. */
START_TEST(test_direct_change)
{
	struct result res;
	size_t i, off;

	rng_seed(10);
	for (off = 0; off < FRAME; off += 9) {
		for (i = 0; i < 16; i++) {
			size_t j = (i + 1 + (size_t)(urand() * 15)) % 16;
			char want[3] = { keys[i], keys[j], 0 };

			play(want, 60, 0, -10, MS(30) + off, &res);
			ck_assert_msg(!strcmp(res.digits, want),
				      "%s at +%zu: got \"%s\"", want, off,
				      res.digits);
			assert_dur(&res, 0, 60);
			assert_dur(&res, 1, 60);
		}
	}
}
END_TEST

/* The whole keypad in order, 50 ms on, 50 ms off. */
START_TEST(test_sequence)
{
	static const char seq[] = "123A456B789C*0#D";
	static const double lv[] = { -24, -15, -6, -3 };
	struct result res;
	size_t l, off, i;

	rng_seed(11);
	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		for (off = 0; off < FRAME; off += 13) {
			play(seq, 50, 50, lv[l], MS(20) + off, &res);
			ck_assert_str_eq(res.digits, seq);
			ck_assert_int_eq(res.n, 16);
			for (i = 0; i < 16; i++)
				assert_dur(&res, (int)i, 50);
		}
	}
}
END_TEST

/* Q.24 minimum timing: 40 ms on, 40 ms off. */
START_TEST(test_sequence_fast)
{
	static const char seq[] = "0123456789*#ABCD";
	struct result res;
	size_t off, i;

	rng_seed(12);
	for (off = 0; off < FRAME; off += 7) {
		play(seq, 40, 40, -10, MS(20) + off, &res);
		ck_assert_str_eq(res.digits, seq);
		for (i = 0; i < 16; i++)
			assert_dur(&res, (int)i, 40);
	}
}
END_TEST

/* in_digit is true while the digit sounds and false once it ended. */
START_TEST(test_in_digit)
{
	struct lc_dtmf_det det;
	struct lc_dtmf_ev ev;
	s16 frame[FRAME];
	struct sig s = sig_new(MS(100));
	int f, i, ends = 0, on = 0;

	rng_seed(13);
	add_digit(&s, 0, MS(100), '7', -10, -10, 0, 0);
	lc_dtmf_det_init(&det);
	for (f = 0; f < 10; f++) {
		for (i = 0; i < FRAME; i++)
			frame[i] = (s16)lrint(s.x[f * FRAME + i]);
		ck_assert_int_eq(lc_dtmf_det_frame(&det, frame, &ev), 0);
		if (f >= 2)
			ck_assert(lc_dtmf_det_in_digit(&det));
	}
	memset(frame, 0, sizeof(frame));
	for (f = 0; f < 10; f++) {
		if (lc_dtmf_det_frame(&det, frame, &ev)) {
			ends++;
			ck_assert_int_eq(ev.type, LC_DTMF_END);
			ck_assert_int_eq(ev.digit, '7');
			ck_assert_uint_ge(ev.duration_ms, 90);
			ck_assert_uint_le(ev.duration_ms, 110);
			ck_assert(!lc_dtmf_det_in_digit(&det));
			ck_assert_int_le(f, 5);
		}
		if (lc_dtmf_det_in_digit(&det))
			on++;
	}
	ck_assert_int_eq(ends, 1);
	ck_assert_int_le(on, 4);
	sig_free(&s);
}
END_TEST

/* Moderate noise does not stop detection. */
START_TEST(test_digits_in_noise)
{
	static const char seq[] = "159D*0#8";
	struct result res;
	size_t i;
	struct sig s = sig_new(MS(20) + 8 * MS(100) + MS(50));

	rng_seed(14);
	for (i = 0; i < 8; i++)
		add_digit(&s, MS(20) + i * MS(100), MS(50), seq[i], -15, -15,
			  0, 0);
	/* white noise 20 dB below each tone */
	for (i = 0; i < s.n; i++)
		s.x[i] += grand() * peak(-35) / sqrt(2.0);
	run(&s, &res);
	ck_assert_str_eq(res.digits, seq);
	sig_free(&s);
}
END_TEST

/* --- talk-off ------------------------------------------------------------ */

START_TEST(test_noise)
{
	static const double lv[] = { -50, -40, -30, -20, -10, -5, 0 };
	struct result res;
	size_t l, i;

	rng_seed(20);
	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		struct sig s = sig_new(MS(10000));
		double rms = peak(lv[l]) / sqrt(2.0);

		for (i = 0; i < s.n; i++)
			s.x[i] = grand() * rms;
		run(&s, &res);
		ck_assert_msg(res.n == 0, "noise at %.0f dBm0: \"%s\"", lv[l],
			      res.digits);
		ck_assert_int_eq(res.in_digit_frames, 0);
		sig_free(&s);
	}
}
END_TEST

/* Every DTMF frequency on its own, at several levels. */
START_TEST(test_single_tones)
{
	static const double lv[] = { -25, -10, 0, 3 };
	struct result res;
	size_t l, k;

	rng_seed(21);
	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		for (k = 0; k < 8; k++) {
			double hz = k < 4 ? rows[k] : cols[k - 4];
			struct sig s = sig_new(MS(1000));

			add_sine(&s, 0, s.n, hz, peak(lv[l]), 0.3);
			run(&s, &res);
			ck_assert_msg(res.n == 0, "%.0f Hz at %.0f dBm0: \"%s\"",
				      hz, lv[l], res.digits);
			sig_free(&s);
		}
	}
}
END_TEST

/* Dial tone 350 + 440 Hz, ringback, busy, and a 1004 Hz test tone. */
START_TEST(test_call_progress)
{
	static const double pairs[][2] = {
		{ 350, 440 }, { 440, 480 }, { 480, 620 }, { 1004, 0 },
		{ 425, 0 }, { 400, 450 }, { 950, 1400 },
	};
	static const double lv[] = { -20, -13, -6, 0 };
	struct result res;
	size_t l, k;

	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		for (k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
			struct sig s = sig_new(MS(2000));

			add_sine(&s, 0, s.n, pairs[k][0], peak(lv[l]), 0);
			if (pairs[k][1] > 0)
				add_sine(&s, 0, s.n, pairs[k][1], peak(lv[l]),
					 1.0);
			run(&s, &res);
			ck_assert_msg(res.n == 0,
				      "%.0f + %.0f Hz at %.0f dBm0: \"%s\"",
				      pairs[k][0], pairs[k][1], lv[l],
				      res.digits);
			sig_free(&s);
		}
	}
}
END_TEST

struct vowel {
	const char *name;
	double f[3];		/* formant frequencies */
	double bw[3];		/* formant bandwidths */
};

/* Formants of vowels (Peterson & Barney: men, women). */
static const struct vowel vowels[] = {
	{ "a",   { 730, 1090, 2440 }, { 80, 90, 120 } },
	{ "ae",  { 660, 1720, 2410 }, { 70, 100, 120 } },
	{ "o",   { 570,  840, 2410 }, { 60, 80, 120 } },
	{ "U",   { 440, 1020, 2240 }, { 60, 80, 120 } },
	{ "er",  { 490, 1350, 1690 }, { 60, 80, 100 } },
	{ "e",   { 530, 1840, 2480 }, { 60, 90, 120 } },
	{ "i",   { 270, 2290, 3010 }, { 50, 100, 150 } },
	{ "u",   { 300,  870, 2240 }, { 50, 80, 120 } },
	{ "uh",  { 640, 1190, 2390 }, { 70, 90, 120 } },
	{ "w-a", { 850, 1220, 2810 }, { 80, 90, 120 } },
	{ "w-ae", { 860, 2050, 2850 }, { 80, 100, 120 } },
	{ "w-o", { 590,  920, 2710 }, { 60, 80, 120 } },
	{ "w-uh", { 760, 1400, 2780 }, { 70, 90, 120 } },
	{ "w-U", { 470, 1160, 2680 }, { 60, 80, 120 } },
	{ "w-er", { 500, 1640, 1960 }, { 60, 80, 100 } },
	{ "w-e", { 610, 1900, 2530 }, { 60, 90, 120 } },
};

/* Vowel-like sounds with narrow formants placed right on a DTMF pair. */
static const struct vowel dtmf_vowels[] = {
	{ "x1",  { 697, 1209, 2500 }, { 60, 80, 120 } },
	{ "x5",  { 770, 1336, 2500 }, { 60, 80, 120 } },
	{ "x8",  { 852, 1336, 2600 }, { 60, 80, 120 } },
	{ "x9",  { 852, 1477, 2700 }, { 60, 80, 120 } },
	{ "xD",  { 941, 1633, 2900 }, { 60, 80, 120 } },
};

/* Magnitude of a cascade of formant resonators at @hz. */
static double formant_gain(const struct vowel *v, double hz)
{
	double g = 1.0;
	int i;

	for (i = 0; i < 3; i++) {
		double r = hz / v->f[i];
		double a = 1.0 - r * r, b = hz * v->bw[i] / (v->f[i] * v->f[i]);

		g *= 1.0 / sqrt(a * a + b * b);
	}
	return g;
}

/*
 * A voiced, vowel-like sound: harmonics of f0 with a -6 dB/octave source
 * shaped by three formants, f0 with vibrato (depth %, rate Hz) and a glide
 * (from f0 * (1 - glide/2) to f0 * (1 + glide/2) in percent) and a slow
 * amplitude envelope; RMS level @dbm0.
 */
static void add_voice(struct sig *s, double f0, double vib_pct, double vib_hz,
		      double glide_pct, const struct vowel *v, double dbm0)
{
	double ph[64] = { 0 }, sum2 = 0, want, gain;
	double *y = calloc(s->n, sizeof(double));
	size_t i;
	int h;

	ck_assert_ptr_nonnull(y);
	for (h = 1; h < 64; h++)
		ph[h] = 2 * M_PI * urand();
	for (i = 0; i < s->n; i++) {
		double t = (double)i / FS, len = (double)s->n / FS;
		double f = f0 * (1.0 + glide_pct / 100.0 * (t / len - 0.5)) *
			   (1.0 + vib_pct / 100.0 * sin(2 * M_PI * vib_hz * t));
		double env = 0.6 + 0.4 * sin(2 * M_PI * 3.0 * t);
		double acc = 0;

		for (h = 1; h < 64 && h * f < 3800; h++) {
			ph[h] += 2 * M_PI * h * f / FS;
			acc += formant_gain(v, h * f) / h * sin(ph[h]);
		}
		y[i] = acc * env;
		sum2 += y[i] * y[i];
	}
	want = peak(dbm0) / sqrt(2.0);
	gain = want / sqrt(sum2 / s->n);
	for (i = 0; i < s->n; i++)
		s->x[i] += y[i] * gain;
	free(y);
}

/* Render one voice for each combination and count the digits it gives. */
static int voices(const double *f0s, size_t nf, const struct vowel *vw,
		  size_t nv, int *runs, bool verbose)
{
	static const double mod[][3] = {	/* vibrato %, rate, glide % */
		{ 1.0, 5.0, 0 }, { 3.0, 5.5, 0 }, { 0.5, 4.0, 20 },
		{ 2.0, 6.0, -30 }, { 0, 0, 40 },
	};
	static const double lv[] = { -20, -10 };
	struct result res;
	size_t fi, vi, mi, li;
	int total = 0;

	for (fi = 0; fi < nf; fi++)
	for (vi = 0; vi < nv; vi++)
	for (mi = 0; mi < sizeof(mod) / sizeof(mod[0]); mi++)
	for (li = 0; li < 2; li++) {
		struct sig s = sig_new(MS(1000));

		add_voice(&s, f0s[fi], mod[mi][0], mod[mi][1], mod[mi][2],
			  &vw[vi], lv[li]);
		run(&s, &res);
		if (res.n && verbose)
			fprintf(stderr, "talk-off: f0 %.2f vowel %s mod %zu "
				"%.0f dBm0: \"%s\"\n", f0s[fi], vw[vi].name, mi,
				lv[li], res.digits);
		total += res.n;
		(*runs)++;
		sig_free(&s);
	}
	return total;
}

/*
 * Speech-like harmonic signals: 16 vowels, fundamentals from 85 to 260 Hz
 * with vibrato or glides, at two levels.  Some fundamentals put two
 * harmonics on a DTMF row and column at once: f0 = row / 4 has its 4th and
 * 7th harmonics near digits 1, 5, 9 and D; 121 Hz and 170.4 Hz have
 * harmonics on 852 and 1209 Hz (digit 7, right under the formants of a
 * woman's /a/); 100.3 Hz on 697 and 1209 Hz; 116.2 Hz and 139.4 Hz on
 * 697 and 1394 Hz.
 */
START_TEST(test_speech_like)
{
	static const double f0s[] = {
		85, 100, 100.3, 116.2, 120, 121, 139.4, 151.1, 170.4, 174.25,
		192.5, 213, 235.25, 260,
	};
	int runs = 0, total;

	rng_seed(22);
	total = voices(f0s, sizeof(f0s) / sizeof(f0s[0]), vowels,
		       sizeof(vowels) / sizeof(vowels[0]), &runs, true);
	ck_assert_int_eq(runs, 14 * 16 * 5 * 2);
	ck_assert_int_eq(total, 0);
}
END_TEST

/*
 * Beyond the requirement, measured: a 300 Hz voice, and vowels whose two
 * lowest formants sit right on a DTMF pair, with fundamentals that put
 * harmonics on both.  Such a sound is, for 40 ms at a time, a DTMF digit
 * to any detector that meets Q.24; the rate is bounded, not zero.
 */
START_TEST(test_speech_stress)
{
	static const double f0_hi[] = { 300 };
	static const double f0s[] = {
		100, 116.2, 120, 139.4, 151.1, 170.4, 174.25, 192.5, 213,
		235.25, 260,
	};
	int runs = 0, hi, on_dtmf;

	rng_seed(24);
	hi = voices(f0_hi, 1, vowels, sizeof(vowels) / sizeof(vowels[0]),
		    &runs, false);
	on_dtmf = voices(f0s, sizeof(f0s) / sizeof(f0s[0]), dtmf_vowels,
			 sizeof(dtmf_vowels) / sizeof(dtmf_vowels[0]), &runs,
			 false);
	fprintf(stderr, "speech stress: %d digits from 160 s of a 300 Hz voice, "
		"%d from %d s of vowels with formants on DTMF pairs\n", hi,
		on_dtmf, runs - 160);
	ck_assert_int_le(hi, 20);
	ck_assert_int_le(on_dtmf, 75);
}
END_TEST

/* Music-like chords: notes with harmonics, some near DTMF frequencies. */
START_TEST(test_chords)
{
	/* MIDI note numbers */
	static const int chords[][4] = {
		{ 72, 76, 79, 0 },	/* C major */
		{ 69, 72, 76, 0 },	/* A minor */
		{ 77, 81, 84, 88 },	/* F major 7: F5 ~697, E6 ~1319 */
		{ 79, 83, 86, 89 },	/* G7 */
		{ 74, 78, 81, 0 },	/* D major, F#6 ~ 1480 */
		{ 77, 86, 90, 0 },	/* F5 D6 F#6 */
		{ 78, 85, 90, 0 },	/* F#5 C#6 F#6 */
		{ 81, 89, 92, 0 },	/* A5 F6 G#6 ~1661 */
		{ 65, 77, 84, 89 },	/* F4 F5 C6 F6 */
	};
	static const double lv[] = { -20, -10 };
	struct result res;
	size_t ci, li, n;
	int total = 0, h;

	rng_seed(23);
	for (ci = 0; ci < sizeof(chords) / sizeof(chords[0]); ci++)
	for (li = 0; li < 2; li++) {
		struct sig s = sig_new(MS(1500));

		for (n = 0; n < 4 && chords[ci][n]; n++) {
			double hz = 440.0 * pow(2.0, (chords[ci][n] - 69) / 12.0);

			for (h = 1; h <= 4 && h * hz < 3800; h++)
				add_sine(&s, 0, s.n, h * hz,
					 peak(lv[li]) / h, urand() * 6.28);
		}
		run(&s, &res);
		if (res.n)
			fprintf(stderr, "talk-off: chord %zu %.0f dBm0: \"%s\"\n",
				ci, lv[li], res.digits);
		total += res.n;
		sig_free(&s);
	}
	ck_assert_int_eq(total, 0);
}
END_TEST

static Suite *dtmf_suite(void)
{
	Suite *s = suite_create("dtmf");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_freqs);
	tcase_add_test(tc, test_all_digits_levels);
	tcase_add_test(tc, test_too_weak);
	tcase_add_test(tc, test_freq_tolerance);
	tcase_add_test(tc, test_freq_both_off);
	tcase_add_test(tc, test_twist);
	tcase_add_test(tc, test_duration_detected);
	tcase_add_test(tc, test_duration_rejected);
	tcase_add_test(tc, test_pause_splits);
	tcase_add_test(tc, test_dropout_bridged);
	tcase_add_test(tc, test_direct_change);
	tcase_add_test(tc, test_sequence);
	tcase_add_test(tc, test_sequence_fast);
	tcase_add_test(tc, test_in_digit);
	tcase_add_test(tc, test_digits_in_noise);
	tcase_add_test(tc, test_noise);
	tcase_add_test(tc, test_single_tones);
	tcase_add_test(tc, test_call_progress);
	tcase_add_test(tc, test_speech_like);
	tcase_add_test(tc, test_speech_stress);
	tcase_add_test(tc, test_chords);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dtmf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * DTMF detector (ITU-T Q.24, Bellcore practice), fixed point only.
 *
 * Every 10 ms frame (80 samples) runs one Goertzel filter per DTMF
 * frequency over that frame alone and keeps its complex output.  The
 * output for the 20 ms window made of the previous and the current frame
 * (160 samples, hop 10 ms) is the previous frame's output plus the current
 * one rotated by e^(-j*w*80), so each sample goes through eight 80-sample
 * filters only, and each half's power comes for free.
 *
 * A window holds a digit when all of these hold, with T = a tone's energy
 * estimate from its powers in the two halves, corrected for the loss of
 * being off frequency (dt_tone()), and P = its power over the whole window:
 *  - group: the strongest row bin (by P) is 6 dB above the other rows, the
 *    strongest column bin 6 dB above the other columns;
 *  - level: each tone at least -30 dBm0 (T of a sine of peak 719), so
 *    -25 dBm0 is detected and -35 dBm0 ignored;
 *  - twist (column / row, by T): from -9.5 dB to +5.4 dB.  Q.24 / Bellcore
 *    ask for -8 dB .. +4 dB accepted; -12 dB and +8 dB are rejected;
 *  - purity: the two tones carry at least 90 % of the window's energy
 *    (noise, speech, chords and call progress tones spread theirs);
 *  - steadiness: the two tones' power in one half of the window is at least
 *    40 % (-4 dB) of that in the other half, and each tone's at least 25 %:
 *    a tone must cover about 63 % of each half, so a window that a short
 *    burst covers only in part does not count;
 *  - frequency: each tone's P beats the power at nominal * 0.95 and at
 *    nominal * 1.05.  Over 160 samples this puts the edge at about +-2.5 %,
 *    between the Q.24 limits of +-1.5 % (accept) and +-3.5 % (reject).
 *
 * Two consecutive windows with the same digit recognise it, so a tone of
 * 40 ms or more is always detected and one of 20 ms never.  Up to three
 * windows without it (a break of up to 10 ms) do not end it; a fourth
 * does, so a pause of 40 ms or more always splits two presses of the same
 * key (a pause of 30 ms may or may not).  Another digit recognised in two
 * windows ends the current one.  A digit is reported once, when it ends,
 * with its duration: (windows from the first to the last sighting + 1) *
 * 10 ms, within about 10 ms of the truth.  The report comes 40 ms after the
 * tone stops.
 *
 * Cost per frame: about 720 multiply-adds, plus 640 for the frequency
 * probes of a window that passes the other checks.  No division.
 */
#include "dtmf.h"

#define DT_N		LINECARD_FRAME_SAMPLES	/* samples per frame */
#define DT_MS		LINECARD_FRAME_MS	/* ms per frame */
#define DT_MAX_MISSES	3	/* windows without the digit that don't end it */

/*
 * Level: 0 dBm0 is a sine of peak 32768 * 10^(-3.14 / 20) = 22741, and
 * -30 dBm0 one of peak 22741 * 10^(-30 / 20) = 719.  An 80-sample sine of
 * peak A has |X|^2 = (40 * A)^2, so over both halves T = 3200 * A^2.
 */
#define DT_MIN_AMP	719
#define DT_MIN_POW	((s64)3200 * DT_MIN_AMP * DT_MIN_AMP)

/* Twist as power ratios: col * 2 <= row * 7 (+5.4 dB), row <= col * 9. */
#define DT_TWIST_HI_N	7
#define DT_TWIST_HI_D	2
#define DT_TWIST_LO	9
/* Strongest bin of a group over every other bin of it: 4 (6 dB). */
#define DT_GROUP	4
/* The two tones' share of the window's energy, in percent. */
#define DT_PURE_PCT	90

/*
 * Per DTMF frequency f, all in Q14 (value * 16384, rounded to nearest),
 * with w = 2 * pi * f / 8000:
 *   dt_coef = 2 * cos(w)          Goertzel feedback coefficient
 *   sinw  = sin(w)                for the imaginary part of the output
 *   cosn, sinn = cos(80 * w), sin(80 * w)   rotation by one frame
 *   lo, hi = 2 * cos(0.95 * w), 2 * cos(1.05 * w)   frequency probes
 * computed as round(16384 * 2 * cos(2 * pi * f / 8000)) and so on.
 */
static const s32 dt_coef[8] = {
	27980, 26956, 25701, 24219, 19073, 16325, 13085, 9315,
};

struct dt_bin {
	s16 sinw;
	s16 cosn;
	s16 sinn;
	s16 lo;
	s16 hi;
};

static const struct dt_bin dt_bins[8] = {
	{  8528,  16094,  -3070, 28436, 27502 },	/*  697 Hz */
	{  9315,  -5063, -15582, 27507, 26381 },	/*  770 Hz */
	{ 10163, -16255,  -2053, 26367, 25007 },	/*  852 Hz */
	{ 11036, -13833,   8779, 25018, 23387 },	/*  941 Hz */
	{ 13323,  13833,   8779, 20316, 17787 },	/* 1209 Hz */
	{ 14206, -10444,  12624, 17792, 14812 },	/* 1336 Hz */
	{ 15021,   2053, -16255, 14804, 11321 },	/* 1477 Hz */
	{ 15708,  -7893,  14357, 11309,  7282 },	/* 1633 Hz */
};

static const u16 dt_hz[8] = { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };

/* Row-major: rows 697..941 Hz, columns 1209..1633 Hz. */
static const char dt_keys[16] = {
	'1', '2', '3', 'A',
	'4', '5', '6', 'B',
	'7', '8', '9', 'C',
	'*', '0', '#', 'D',
};

/*
 * Run @m Goertzel recursions side by side over @n samples, continuing from
 * s1[], s2[] (independent chains hide the multiply latency).  The state
 * stays below 2^24 for 160 full-scale samples (|s| <= n * 32768 / sin(w),
 * sin(w) >= 0.49 for every frequency used), so s32 holds it and the
 * product with the Q14 coefficient needs 64 bits.
 */
static inline void dt_run(const s16 *x, int n, const s32 *coef, s32 *s1,
			  s32 *s2, int m)
{
	int i, k;
	s32 s0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < m; k++) {
			s0 = x[i] - s2[k] +
			     (s32)(((s64)coef[k] * s1[k] + 8192) >> 14);
			s2[k] = s1[k];
			s1[k] = s0;
		}
	}
}

/* |X|^2 from the final state: s1^2 + s2^2 - 2 cos(w) s1 s2. */
static s64 dt_pow(s32 coef, s32 s1, s32 s2)
{
	s64 c = ((s64)coef * s1) >> 14;

	return (s64)s1 * s1 + (s64)s2 * s2 - c * s2;
}

/* a >= b * n / d and b >= a * n / d */
static bool dt_steady(s64 a, s64 b, int n, int d)
{
	return a * d >= b * n && b * d >= a * n;
}

/*
 * Energy estimate of a tone from its powers over the two halves (@a, @b)
 * and over the whole window (@p), with the loss from being off frequency
 * made up.  A tone off by df Hz loses sinc^2(df / 100) in each 80-sample
 * half, and p / (2 * (a + b)) = cos^2(pi * df / 100) measures df, so
 * 1 / loss = 1 + 0.45 * (1 - p / (2 * (a + b))) within 2 % up to 25 Hz.
 */
static s64 dt_tone(s64 a, s64 b, s64 p)
{
	s64 t = a + b;

	/* at most as for p = 3/4 t (df = 29 Hz): a DTMF tone is closer */
	return t + ((min(2 * t - p, t + (t >> 2)) * 29) >> 7);
}

/* Index of the strongest of p[0..3], or -1 if it doesn't beat the others. */
static int dt_pick(const s64 *p)
{
	int i, best = 0;

	for (i = 1; i < 4; i++)
		if (p[i] > p[best])
			best = i;
	for (i = 0; i < 4; i++)
		if (i != best && p[i] * DT_GROUP > p[best])
			return -1;
	return best;
}

/*
 * Tones @r and @c, of powers @pr and @pc over the window, are on their
 * nominal frequencies: each beats its probes at -5 % and +5 %.
 */
static bool dt_on_freq(const struct lc_dtmf_det *d, const s16 *cur, int r,
		       int c, s64 pr, s64 pc)
{
	s32 coef[4], s1[4] = { 0 }, s2[4] = { 0 };
	int k;

	coef[0] = dt_bins[r].lo;
	coef[1] = dt_bins[r].hi;
	coef[2] = dt_bins[c].lo;
	coef[3] = dt_bins[c].hi;
	dt_run(d->prev, DT_N, coef, s1, s2, 4);
	dt_run(cur, DT_N, coef, s1, s2, 4);
	for (k = 0; k < 4; k++)
		if (dt_pow(coef[k], s1[k], s2[k]) >= (k < 2 ? pr : pc))
			return false;
	return true;
}

static s64 dt_mag2(s32 re, s32 im)
{
	return (s64)re * re + (s64)im * im;
}

/*
 * Analyse the window made of d->prev and @cur; returns the digit it holds
 * or 0.  d->yre/yim: the previous frame's Goertzel outputs, @re/@im: the
 * current frame's, @p: the window's powers, @e: its energy.
 */
static char dt_decide(const struct lc_dtmf_det *d, const s16 *cur,
		      const s32 *re, const s32 *im, const s64 *p, u64 e)
{
	s64 hpr, hcr, hpc, hcc, tr, tc;
	int r, c;

	r = dt_pick(p);
	c = dt_pick(p + 4);
	if (r < 0 || c < 0)
		return 0;
	c += 4;
	hpr = dt_mag2(d->yre[r], d->yim[r]);
	hcr = dt_mag2(re[r], im[r]);
	hpc = dt_mag2(d->yre[c], d->yim[c]);
	hcc = dt_mag2(re[c], im[c]);
	tr = dt_tone(hpr, hcr, p[r]);
	tc = dt_tone(hpc, hcc, p[c]);
	if (tr < DT_MIN_POW || tc < DT_MIN_POW)
		return 0;
	if (tc * DT_TWIST_HI_D > tr * DT_TWIST_HI_N || tr > tc * DT_TWIST_LO)
		return 0;
	/*
	 * An 80-sample sine of peak A has |X|^2 = (40 A)^2 and energy
	 * 40 A^2, so a pure pair of tones has sum |X|^2 = 40 * energy.
	 */
	if ((u64)(tr + tc) * 100 < e * 40 * DT_PURE_PCT)
		return 0;
	/* the pair -4 dB, each tone -6 dB (the other tone leaks into it) */
	if (!dt_steady(hpr + hpc, hcr + hcc, 2, 5) ||
	    !dt_steady(hpr, hcr, 1, 4) || !dt_steady(hpc, hcc, 1, 4))
		return 0;
	if (!dt_on_freq(d, cur, r, c, p[r], p[c]))
		return 0;
	return dt_keys[r * 4 + c - 4];
}

/* Analyse the window ending with @cur, then keep @cur for the next one. */
static char dt_window(struct lc_dtmf_det *d, const s16 *cur)
{
	s32 y1[8] = { 0 }, y2[8] = { 0 };
	s64 p[8];
	u64 e = 0;
	char digit;
	int i, k;

	for (i = 0; i < DT_N; i++)
		e += (s32)cur[i] * cur[i];

	dt_run(cur, DT_N, dt_coef, y1, y2, 8);

	for (k = 0; k < 8; k++) {
		const struct dt_bin *b = &dt_bins[k];
		s32 re, im, rr, ri;

		/*
		 * y = s1 - e^(-jw) s2 = e^(jw(N-1)) * X, and the window's
		 * y is y(prev) + e^(-jwN) * y(cur).  cos(w) is dt_coef in Q15.
		 * The Goertzel state (y1, y2) is replaced with y (re, im).
		 */
		re = y1[k] - (s32)(((s64)dt_coef[k] * y2[k]) >> 15);
		im = (s32)(((s64)b->sinw * y2[k]) >> 14);
		rr = d->yre[k] + (s32)(((s64)re * b->cosn + (s64)im * b->sinn) >> 14);
		ri = d->yim[k] + (s32)(((s64)im * b->cosn - (s64)re * b->sinn) >> 14);
		p[k] = dt_mag2(rr, ri);
		y1[k] = re;
		y2[k] = im;
	}

	digit = dt_decide(d, cur, y1, y2, p, e + d->eprev);
	memcpy(d->yre, y1, sizeof(d->yre));
	memcpy(d->yim, y2, sizeof(d->yim));
	d->eprev = e;
	memcpy(d->prev, cur, sizeof(d->prev));
	return digit;
}

static int dt_end(struct lc_dtmf_det *d, struct lc_dtmf_ev *ev)
{
	ev->type = LC_DTMF_END;
	ev->digit = d->digit;
	/* windows first..last seen cover span + 1 frames */
	ev->duration_ms = (d->span + 1) * DT_MS + DT_MS / 2;
	d->digit = 0;
	d->misses = 0;
	d->span = 0;
	return 1;
}

void lc_dtmf_det_init(struct lc_dtmf_det *d)
{
	memset(d, 0, sizeof(*d));
}

int lc_dtmf_det_frame(struct lc_dtmf_det *d, const s16 *frame,
		      struct lc_dtmf_ev *ev)
{
	char w = dt_window(d, frame);
	int ret = 0;

	if (d->digit) {
		if (w == d->digit) {
			d->span += d->misses + 1;
			d->misses = 0;
		} else if (w && w == d->last) {
			/* another digit took over */
			ret = dt_end(d, ev);
			d->digit = w;
			d->span = 2;
		} else if (++d->misses > DT_MAX_MISSES) {
			ret = dt_end(d, ev);
		}
	} else if (w && w == d->last) {
		d->digit = w;
		d->span = 2;
		d->misses = 0;
	}
	d->last = w;
	return ret;
}

bool lc_dtmf_det_in_digit(const struct lc_dtmf_det *d)
{
	return d->digit != 0;
}

char lc_dtmf_det_digit(const struct lc_dtmf_det *d)
{
	return d->digit;
}

int lc_dtmf_freqs(char digit, u16 *row_hz, u16 *col_hz)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (dt_keys[i] == digit) {
			*row_hz = dt_hz[i / 4];
			*col_hz = dt_hz[4 + i % 4];
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(lc_dtmf_freqs);

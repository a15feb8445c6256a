// SPDX-License-Identifier: GPL-2.0
/*
 * Tone synthesis and the cadence engine shared with ring cadences.
 *
 * Each frequency has a 32-bit phase accumulator (a full cycle is 2^32)
 * advanced by hz * 2^32 / 8000 per sample.  The sine starts at phase 0
 * at the start of the tone and is sampled in the middle of each sample
 * period: sample k is A * sin(2 * pi * f * (k + 1/2) / 8000) (the
 * accumulator starts at half an increment).  With integer frequencies and
 * whole-millisecond steps a cadence edge then practically never falls on a
 * zero of the sine, so both edges of every step are visible in the audio,
 * to the sample.  Accumulators keep running through silent steps, so the
 * phase is continuous across frames and cadence steps.
 *
 * The sine comes from a quarter-wave table with linear interpolation:
 * 1024 points a cycle, so the interpolation error is at most
 * (2 * pi / 1024)^2 / 8 of the peak, about -106 dBc, well below the
 * -60 dBc spurious target; table and output rounding dominate.
 *
 * Fixed point only; the one 64-bit operation is a multiplication.
 */
#include "tone.h"

#define LC_SAMPLES_PER_MS	(LINECARD_SAMPLE_RATE / 1000)
#define LC_PHASE_QUADRANT	0x40000000U	/* a quarter cycle */
#define LC_PHASE_HALF		0x80000000U

/*
 * sin(i * pi / 512) * 32768 for i = 0..256 (a quarter cycle of 1024 points
 * plus the end point), rounded to the nearest integer:
 *   [round(32768 * math.sin(i * math.pi / 512)) for i in range(257)]
 */
static const u16 lc_sine_q15[257] = {
	    0,   201,   402,   603,   804,  1005,  1206,  1407,  1608,  1809,
	 2009,  2210,  2411,  2611,  2811,  3012,  3212,  3412,  3612,  3812,
	 4011,  4211,  4410,  4609,  4808,  5007,  5205,  5404,  5602,  5800,
	 5998,  6195,  6393,  6590,  6787,  6983,  7180,  7376,  7571,  7767,
	 7962,  8157,  8351,  8546,  8740,  8933,  9127,  9319,  9512,  9704,
	 9896, 10088, 10279, 10469, 10660, 10850, 11039, 11228, 11417, 11605,
	11793, 11980, 12167, 12354, 12540, 12725, 12910, 13095, 13279, 13463,
	13646, 13828, 14010, 14192, 14373, 14553, 14733, 14912, 15091, 15269,
	15447, 15624, 15800, 15976, 16151, 16326, 16500, 16673, 16846, 17018,
	17190, 17361, 17531, 17700, 17869, 18037, 18205, 18372, 18538, 18703,
	18868, 19032, 19195, 19358, 19520, 19681, 19841, 20001, 20160, 20318,
	20475, 20632, 20788, 20943, 21097, 21251, 21403, 21555, 21706, 21856,
	22006, 22154, 22302, 22449, 22595, 22740, 22884, 23028, 23170, 23312,
	23453, 23593, 23732, 23870, 24008, 24144, 24279, 24414, 24548, 24680,
	24812, 24943, 25073, 25202, 25330, 25457, 25583, 25708, 25833, 25956,
	26078, 26199, 26320, 26439, 26557, 26674, 26791, 26906, 27020, 27133,
	27246, 27357, 27467, 27576, 27684, 27791, 27897, 28002, 28106, 28209,
	28311, 28411, 28511, 28610, 28707, 28803, 28899, 28993, 29086, 29178,
	29269, 29359, 29448, 29535, 29622, 29707, 29792, 29875, 29957, 30038,
	30118, 30196, 30274, 30350, 30425, 30499, 30572, 30644, 30715, 30784,
	30853, 30920, 30986, 31050, 31114, 31177, 31238, 31298, 31357, 31415,
	31471, 31527, 31581, 31634, 31686, 31737, 31786, 31834, 31881, 31927,
	31972, 32015, 32058, 32099, 32138, 32177, 32214, 32251, 32286, 32319,
	32352, 32383, 32413, 32442, 32470, 32496, 32522, 32546, 32568, 32590,
	32610, 32629, 32647, 32664, 32679, 32693, 32706, 32718, 32729, 32738,
	32746, 32753, 32758, 32762, 32766, 32767, 32768,
};

/*
 * Peak amplitude of a sine at d dBm0, in 16-bit sample units times 256,
 * for d = LINECARD_TONE_MIN_DBM0 (-60) .. LINECARD_TONE_MAX_DBM0 (+3).
 * 0 dBm0 is 3.14 dB below a full-scale (32768 peak) sine (ITU-T G.711):
 *   [round(256 * 32768 * 10 ** ((d - 3.14) / 20)) for d in range(-60, 4)]
 */
static const s32 lc_peak_q8[LINECARD_TONE_MAX_DBM0 - LINECARD_TONE_MIN_DBM0 + 1] = {
	   5844,    6557,    7357,    8254,    9262,   10392,   11660,   13082,
	  14679,   16470,   18479,   20734,   23264,   26103,   29288,   32862,
	  36871,   41370,   46418,   52082,   58437,   65568,   73568,   82545,
	  92617,  103918,  116598,  130825,  146788,  164699,  184795,  207343,
	 232643,  261030,  292880,  328617,  368714,  413704,  464184,  520823,
	 584373,  655677,  735682,  825448,  926168, 1039178, 1165977, 1308247,
	1467878, 1646986, 1847949, 2073432, 2326430, 2610297, 2928801, 3286169,
	3687142, 4137042, 4641837, 5208227, 5843727, 6556769, 7356816, 8254483,
};

static int lc_steps_validate(const struct linecard_step *s, u16 nsteps,
			     u8 allowed)
{
	unsigned int i;

	if (nsteps > LINECARD_MAX_STEPS)
		return -EINVAL;
	for (i = 0; i < nsteps; i++) {
		if (!s[i].duration_ms || s[i].duration_ms > LINECARD_STEP_MAX_MS)
			return -EINVAL;
		if (s[i].reserved || (s[i].mask & ~allowed))
			return -EINVAL;
	}
	return 0;
}

int lc_tone_validate(const struct linecard_tone *t)
{
	u8 present = 0;
	unsigned int i;

	for (i = 0; i < LINECARD_TONE_MAX_FREQS; i++) {
		const struct linecard_tone_freq *f = &t->freq[i];

		if (f->reserved || f->dbm0 < LINECARD_TONE_MIN_DBM0 ||
		    f->dbm0 > LINECARD_TONE_MAX_DBM0)
			return -EINVAL;
		if (!f->hz)
			continue;
		if (f->hz < LC_TONE_MIN_HZ || f->hz > LINECARD_TONE_MAX_HZ)
			return -EINVAL;
		present |= 1U << i;
	}
	if (!present || t->flags)
		return -EINVAL;
	return lc_steps_validate(t->step, t->nsteps, present);
}

int lc_ring_validate(const struct linecard_ring *r)
{
	if (r->flags)
		return -EINVAL;
	return lc_steps_validate(r->step, r->nsteps, 1);
}

s32 lc_dbm0_to_peak_q8(int dbm0)
{
	dbm0 = clamp(dbm0, LINECARD_TONE_MIN_DBM0, LINECARD_TONE_MAX_DBM0);
	return lc_peak_q8[dbm0 - LINECARD_TONE_MIN_DBM0];
}

s32 lc_dbm0_to_peak(int dbm0)
{
	return (lc_dbm0_to_peak_q8(dbm0) + 128) >> 8;
}

/* Enter step ->cur. */
static void lc_cadence_load(struct lc_cadence *c)
{
	c->left = (u32)c->step[c->cur].duration_ms * LC_SAMPLES_PER_MS;
	c->mask = c->step[c->cur].mask;
}

/*
 * The current step ended: enter the next one with a non-zero duration,
 * or finish after the last repetition.  lc_cadence_start made sure that
 * some step has a non-zero duration, so this ends.
 */
static void lc_cadence_next(struct lc_cadence *c)
{
	do {
		if (++c->cur >= c->nsteps) {
			c->cur = 0;
			if (c->repeat && ++c->done >= c->repeat) {
				c->active = false;
				c->mask = 0;
				c->left = 0;
				return;
			}
		}
		lc_cadence_load(c);
	} while (!c->left);
}

void lc_cadence_start(struct lc_cadence *c, const struct linecard_step *steps,
		      u16 nsteps, u16 repeat, u8 all)
{
	u32 total = 0;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	if (nsteps > LINECARD_MAX_STEPS)
		nsteps = LINECARD_MAX_STEPS;
	for (i = 0; i < nsteps; i++) {
		c->step[i] = steps[i];
		total += steps[i].duration_ms;
	}
	c->nsteps = nsteps;
	c->repeat = repeat;
	c->all = all;
	if (!nsteps) {
		c->mask = all;
		c->active = true;
		return;
	}
	if (!total)
		return;		/* nothing to play: inactive at once */
	c->active = true;
	lc_cadence_load(c);
	if (!c->left) {
		/* skip leading empty steps without counting a repetition */
		while (!c->step[c->cur].duration_ms)
			c->cur++;
		lc_cadence_load(c);
	}
}

u8 lc_cadence_advance(struct lc_cadence *c, u32 samples)
{
	u8 mask;

	if (!c->active)
		return 0;
	mask = c->mask;
	if (!c->nsteps)
		return mask;
	while (samples && c->active) {
		u32 n = min(samples, c->left);

		c->left -= n;
		samples -= n;
		if (!c->left)
			lc_cadence_next(c);
	}
	return mask;
}

u32 lc_cadence_left(const struct lc_cadence *c)
{
	return c->active && c->nsteps ? c->left : 0;
}

void lc_tone_start(struct lc_tone_gen *g, const struct linecard_tone *t)
{
	unsigned int i;
	u8 all = 0;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < LINECARD_TONE_MAX_FREQS; i++) {
		u64 hz = t->freq[i].hz;

		if (!hz)
			continue;
		all |= 1U << i;
		/* hz * 2^32 / 8000, rounded; below 2^31 for hz < 4000 */
		g->inc[i] = (u32)div_u64((hz << 32) + LINECARD_SAMPLE_RATE / 2,
					 LINECARD_SAMPLE_RATE);
		g->amp[i] = lc_dbm0_to_peak_q8(t->freq[i].dbm0);
		g->phase[i] = g->inc[i] / 2;
	}
	lc_cadence_start(&g->cad, t->step, t->nsteps, t->repeat, all);
}
EXPORT_SYMBOL_GPL(lc_tone_start);

void lc_tone_stop(struct lc_tone_gen *g)
{
	g->cad.active = false;
	g->cad.mask = 0;
}

bool lc_tone_active(const struct lc_tone_gen *g)
{
	return g->cad.active;
}

s32 lc_sine(u32 phase, s32 amp_q8)
{
	u32 pos = phase & (LC_PHASE_QUADRANT - 1);
	u32 idx, frac, v;

	/* second and fourth quarters run the table backwards */
	if (phase & LC_PHASE_QUADRANT)
		pos = LC_PHASE_QUADRANT - pos;
	idx = pos >> 22;		/* 0..256 */
	frac = (pos >> 6) & 0xffff;	/* 16 bits between two points */
	v = lc_sine_q15[idx];
	if (frac)
		v += ((lc_sine_q15[idx + 1] - v) * frac + 0x8000) >> 16;
	/* Q15 sine times Q8 amplitude, to Q0 */
	v = (u32)(((u64)v * (u32)amp_q8 + (1U << 22)) >> 23);
	return phase & LC_PHASE_HALF ? -(s32)v : (s32)v;
}

static void lc_tone_synth(struct lc_tone_gen *g, s16 *buf, unsigned int n,
			  u8 mask)
{
	unsigned int i, k;

	if (!mask) {
		for (i = 0; i < LINECARD_TONE_MAX_FREQS; i++)
			g->phase[i] += g->inc[i] * n;
		return;
	}
	for (k = 0; k < n; k++) {
		s32 acc = buf[k];

		for (i = 0; i < LINECARD_TONE_MAX_FREQS; i++) {
			if (mask & (1U << i))
				acc += lc_sine(g->phase[i], g->amp[i]);
			g->phase[i] += g->inc[i];
		}
		buf[k] = lc_sat16(acc);
	}
}

bool lc_tone_mix(struct lc_tone_gen *g, s16 *buf, unsigned int n)
{
	struct lc_cadence *c = &g->cad;

	while (n && c->active) {
		u32 chunk = n;
		u8 mask;

		/* never run past a step edge within one chunk */
		if (c->nsteps && chunk > c->left)
			chunk = c->left;
		mask = lc_cadence_advance(c, chunk);
		lc_tone_synth(g, buf, chunk, mask & c->all);
		buf += chunk;
		n -= chunk;
		if (!c->active)
			return true;
	}
	return false;
}
EXPORT_SYMBOL_GPL(lc_tone_mix);

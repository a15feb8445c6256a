/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tone synthesis from a struct linecard_tone (up to four frequencies with
 * levels, a cadence of steps, a repeat count) and the cadence engine that
 * ring cadences share.  Fixed point only.  Pure logic.
 */
#ifndef _LC_TONE_H
#define _LC_TONE_H

#include "lc_compat.h"

#define LC_TONE_MIN_HZ		20	/* lowest frequency a tone may use */

/* Steps through a cadence; time advances in whole samples. */
struct lc_cadence {
	struct linecard_step step[LINECARD_MAX_STEPS];
	u16 nsteps;		/* 0: always on with mask @all */
	u16 repeat;		/* 0: forever */
	u8 all;
	u8 mask;		/* current output */
	bool active;
	u16 cur;		/* current step */
	u16 done;		/* completed repetitions */
	u32 left;		/* samples left in the current step */
};

struct lc_tone_gen {
	struct lc_cadence cad;
	u32 phase[LINECARD_TONE_MAX_FREQS];	/* 32-bit phase accumulators */
	u32 inc[LINECARD_TONE_MAX_FREQS];
	s32 amp[LINECARD_TONE_MAX_FREQS];	/* peak, 16-bit sample units << 8 */
};

/*
 * -EINVAL unless every field is in range and reserved fields are zero.
 * Steps at and beyond @nsteps are ignored.
 */
int lc_tone_validate(const struct linecard_tone *t);
int lc_ring_validate(const struct linecard_ring *r);

/* Peak 16-bit amplitude of a sine at @dbm0 (0 dBm0 = 3.14 dB below clip). */
s32 lc_dbm0_to_peak(int dbm0);
/* The same in 16-bit sample units times 256, for lc_sine(). */
s32 lc_dbm0_to_peak_q8(int dbm0);
/*
 * @amp_q8 * sin(@phase), rounded to a 16-bit sample unit; a full cycle of
 * @phase is 2^32.  Shared with the FSK modulator.
 */
s32 lc_sine(u32 phase, s32 amp_q8);

void lc_cadence_start(struct lc_cadence *c, const struct linecard_step *steps,
		      u16 nsteps, u16 repeat, u8 all);
/*
 * Advance by @samples; returns the mask that was in force at the start of
 * that span (cadence steps are at least 1 ms, so callers advance in chunks
 * no longer than a frame and accept frame granularity at step edges, or
 * call lc_cadence_run for sample accuracy).  Clears ->active when the
 * last repetition ends.
 */
u8 lc_cadence_advance(struct lc_cadence *c, u32 samples);
/* Samples until the current step ends (0 when inactive or continuous). */
u32 lc_cadence_left(const struct lc_cadence *c);

/* A validated spec must be given. */
void lc_tone_start(struct lc_tone_gen *g, const struct linecard_tone *t);
void lc_tone_stop(struct lc_tone_gen *g);
bool lc_tone_active(const struct lc_tone_gen *g);
/*
 * Mix @n samples of the tone into @buf (saturating add), with
 * sample-accurate cadence edges.  Returns true when the tone finished
 * within this call.
 */
bool lc_tone_mix(struct lc_tone_gen *g, s16 *buf, unsigned int n);

#endif /* _LC_TONE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DTMF detection (Goertzel) per ITU-T Q.24, on 10 ms frames of 8 kHz
 * linear PCM.  Pure logic: builds into the module and the unit tests.
 */
#ifndef _LC_DTMF_H
#define _LC_DTMF_H

#include "lc_compat.h"

enum lc_dtmf_ev_type {
	LC_DTMF_NONE = 0,
	LC_DTMF_END = 1,	/* a digit ended: digit, duration_ms, start_frames_ago */
};

struct lc_dtmf_ev {
	u8 type;
	char digit;		/* '0'-'9', '*', '#', 'A'-'D' */
	u32 duration_ms;	/* how long the digit was present */
};

/* Private state; callers only allocate it. */
struct lc_dtmf_det {
	s16 prev[LINECARD_FRAME_SAMPLES];	/* previous frame, for overlap */
	s32 yre[8];		/* previous frame's Goertzel output, one per */
	s32 yim[8];		/* DTMF frequency (real, imaginary) */
	u64 eprev;		/* previous frame's energy */
	char last;		/* digit seen in the last window, 0 = none */
	char digit;		/* digit recognised and still present */
	u8 misses;		/* windows since @digit was last seen */
	u32 span;		/* windows from first to last sighting of @digit */
};

void lc_dtmf_det_init(struct lc_dtmf_det *d);

/*
 * Feed one frame of LINECARD_FRAME_SAMPLES samples.  Returns 1 and fills
 * *ev when a digit ends (it is reported once, with its duration), else 0.
 */
int lc_dtmf_det_frame(struct lc_dtmf_det *d, const s16 *frame,
		      struct lc_dtmf_ev *ev);

/* True while a digit is recognised and still sounding (for muting). */
bool lc_dtmf_det_in_digit(const struct lc_dtmf_det *d);
/* The digit recognised and still sounding, 0 when none. */
char lc_dtmf_det_digit(const struct lc_dtmf_det *d);

/* Row and column frequency of a DTMF digit; -EINVAL for another char. */
int lc_dtmf_freqs(char digit, u16 *row_hz, u16 *col_hz);

#endif /* _LC_DTMF_H */

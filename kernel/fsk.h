/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Caller ID: a 1200 bit/s FSK modulator (Bell 202 or V.23) that sends one
 * message with the GR-30 / EN 300 659 framing after a lead-in of silence.
 * Fixed point only.  Pure logic.
 */
#ifndef _LC_FSK_H
#define _LC_FSK_H

#include "lc_compat.h"

#define LC_FSK_BAUD		1200
#define LC_FSK_DBM0		(-13)
#define LC_FSK_SEIZURE_BITS	300	/* 0101..., starting with 0 */
#define LC_FSK_MARK_BITS	180
#define LC_FSK_TAIL_BITS	5	/* marks after the checksum's stop bit */
#define LC_FSK_LEAD_MS		500	/* first ring burst end to seizure */
#define LC_FSK_GUARD_MS		200	/* message end to the next ring burst */

enum lc_fsk_state {
	LC_FSK_IDLE,		/* nothing to send */
	LC_FSK_ARMED,		/* a message waits for lc_fsk_begin() */
	LC_FSK_LEAD,		/* silence before the seizure */
	LC_FSK_SEND,		/* modulating */
	LC_FSK_GUARD,		/* silence after the message */
};

struct lc_fsk {
	u8 msg[LINECARD_CID_MAX_MSG + 1];	/* with the checksum */
	u16 len;			/* bytes in @msg, checksum included */
	u8 state;			/* enum lc_fsk_state */
	u32 wait;			/* samples left of LEAD or GUARD */
	u32 k;				/* samples sent in SEND */
	u32 nbits;			/* bits to send in all */
	u32 phase;			/* 2^32 a cycle, continuous */
	u32 inc[2];			/* per sample: [0] space, [1] mark */
	s32 amp_q8;
};

/*
 * 0 if @rc is a request that can be carried out, else -EINVAL: the ring
 * cadence as lc_ring_validate() wants it, with a ring step followed by a
 * silent step; a known standard; reserved fields and flags zero; a
 * message of 3..LINECARD_CID_MAX_MSG bytes whose length byte matches.
 */
int lc_fsk_validate(const struct linecard_ring_cid *rc);

/* Keep a validated message (and its checksum) for lc_fsk_begin(). */
void lc_fsk_arm(struct lc_fsk *f, const struct linecard_ring_cid *rc);
/* ARMED: start the lead-in silence of @lead samples now. */
void lc_fsk_begin(struct lc_fsk *f, u32 lead);
void lc_fsk_stop(struct lc_fsk *f);

static inline bool lc_fsk_armed(const struct lc_fsk *f)
{
	return f->state == LC_FSK_ARMED;
}

/* Between lc_fsk_begin() and the end of the guard time. */
static inline bool lc_fsk_busy(const struct lc_fsk *f)
{
	return f->state >= LC_FSK_LEAD;
}

/* Samples from lc_fsk_begin() to the end of the guard time. */
u32 lc_fsk_samples(const struct lc_fsk *f, u32 lead);

/*
 * Mix the next @n samples into @buf (saturating add).  Returns true when
 * the guard time ended within this call (the state is then IDLE).
 */
bool lc_fsk_mix(struct lc_fsk *f, s16 *buf, unsigned int n);

#endif /* _LC_FSK_H */

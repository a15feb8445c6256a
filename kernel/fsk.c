// SPDX-License-Identifier: GPL-2.0
/*
 * Caller ID FSK: one message on the line between two ring bursts, as
 * Telcordia GR-30 (Bell 202) and ETSI EN 300 659-1 (V.23) frame it.
 *
 * Bits are 1200 to the second at 8000 samples a second, 6 2/3 samples
 * each: sample k of the signal carries bit floor(k * 1200 / 8000), so bit
 * edges never drift and the whole message lasts exactly its number of
 * bits / 1200 s, to the sample.  One 32-bit phase accumulator serves both
 * frequencies and only its increment changes at a bit edge, so the phase
 * is continuous; each sample is the sine in the middle of its period, as
 * in tone.c, whose sine and level tables it shares.
 */
#include "fsk.h"
#include "tone.h"

#define LC_FSK_BITS_PER_BYTE	10	/* start, 8 data LSB first, stop */

struct lc_fsk_freqs {
	u16 mark;
	u16 space;
};

static const struct lc_fsk_freqs lc_fsk_std[] = {
	[LINECARD_CID_BELL202] = { .mark = 1200, .space = 2200 },
	[LINECARD_CID_V23] = { .mark = 1300, .space = 2100 },
};

int lc_fsk_validate(const struct linecard_ring_cid *rc)
{
	const struct linecard_ring *r = &rc->ring;
	unsigned int i;
	int ret;

	ret = lc_ring_validate(r);
	if (ret)
		return ret;
	if (rc->standard > LINECARD_CID_MAX || rc->reserved || rc->flags)
		return -EINVAL;
	if (rc->len < 3 || rc->len > LINECARD_CID_MAX_MSG ||
	    rc->msg[1] != rc->len - 2)
		return -EINVAL;
	/* The message goes in a silence that follows a ring burst. */
	for (i = 0; i + 1 < r->nsteps; i++) {
		if ((r->step[i].mask & 1) && !(r->step[i + 1].mask & 1))
			return 0;
	}
	return -EINVAL;
}

/* hz * 2^32 / 8000, rounded */
static u32 lc_fsk_inc(u64 hz)
{
	return (u32)div_u64((hz << 32) + LINECARD_SAMPLE_RATE / 2,
			    LINECARD_SAMPLE_RATE);
}

void lc_fsk_arm(struct lc_fsk *f, const struct linecard_ring_cid *rc)
{
	const struct lc_fsk_freqs *fr = &lc_fsk_std[rc->standard];
	u8 sum = 0;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < rc->len; i++) {
		f->msg[i] = rc->msg[i];
		sum += rc->msg[i];
	}
	f->msg[i] = -sum;
	f->len = rc->len + 1;
	f->nbits = LC_FSK_SEIZURE_BITS + LC_FSK_MARK_BITS +
		   f->len * LC_FSK_BITS_PER_BYTE + LC_FSK_TAIL_BITS;
	f->inc[0] = lc_fsk_inc(fr->space);
	f->inc[1] = lc_fsk_inc(fr->mark);
	f->amp_q8 = lc_dbm0_to_peak_q8(LC_FSK_DBM0);
	f->state = LC_FSK_ARMED;
}

/* Samples of modulated signal: those whose bit index is below nbits. */
static u32 lc_fsk_send_samples(const struct lc_fsk *f)
{
	return (f->nbits * LINECARD_SAMPLE_RATE + LC_FSK_BAUD - 1) / LC_FSK_BAUD;
}

static u32 lc_fsk_guard_samples(void)
{
	return LC_FSK_GUARD_MS * (LINECARD_SAMPLE_RATE / 1000);
}

u32 lc_fsk_samples(const struct lc_fsk *f, u32 lead)
{
	return lead + lc_fsk_send_samples(f) + lc_fsk_guard_samples();
}

void lc_fsk_begin(struct lc_fsk *f, u32 lead)
{
	if (f->state != LC_FSK_ARMED)
		return;
	f->k = 0;
	f->phase = 0;
	f->wait = lead;
	f->state = lead ? LC_FSK_LEAD : LC_FSK_SEND;
}

void lc_fsk_stop(struct lc_fsk *f)
{
	f->state = LC_FSK_IDLE;
}

/* Bit @i of the whole transmission. */
static unsigned int lc_fsk_bit(const struct lc_fsk *f, u32 i)
{
	u32 pos;

	if (i < LC_FSK_SEIZURE_BITS)
		return i & 1;
	i -= LC_FSK_SEIZURE_BITS;
	if (i < LC_FSK_MARK_BITS)
		return 1;
	i -= LC_FSK_MARK_BITS;
	if (i >= (u32)f->len * LC_FSK_BITS_PER_BYTE)
		return 1;
	pos = i % LC_FSK_BITS_PER_BYTE;
	if (pos == 0)
		return 0;
	if (pos == LC_FSK_BITS_PER_BYTE - 1)
		return 1;
	return (f->msg[i / LC_FSK_BITS_PER_BYTE] >> (pos - 1)) & 1;
}

/* Modulate up to @n samples; returns how many were written. */
static unsigned int lc_fsk_send(struct lc_fsk *f, s16 *buf, unsigned int n)
{
	u32 end = lc_fsk_send_samples(f);
	unsigned int i;

	for (i = 0; i < n && f->k < end; i++, f->k++) {
		u32 inc = f->inc[lc_fsk_bit(f, f->k * LC_FSK_BAUD /
					    LINECARD_SAMPLE_RATE)];

		buf[i] = lc_sat16(buf[i] + lc_sine(f->phase + inc / 2, f->amp_q8));
		f->phase += inc;
	}
	if (f->k == end) {
		f->state = LC_FSK_GUARD;
		f->wait = lc_fsk_guard_samples();
	}
	return i;
}

bool lc_fsk_mix(struct lc_fsk *f, s16 *buf, unsigned int n)
{
	while (n) {
		unsigned int done;

		switch (f->state) {
		case LC_FSK_LEAD:
		case LC_FSK_GUARD:
			done = min(n, f->wait);
			f->wait -= done;
			if (!f->wait) {
				if (f->state == LC_FSK_GUARD) {
					f->state = LC_FSK_IDLE;
					return true;
				}
				f->state = LC_FSK_SEND;
			}
			break;
		case LC_FSK_SEND:
			done = lc_fsk_send(f, buf, n);
			break;
		default:
			return false;
		}
		buf += done;
		n -= done;
	}
	return false;
}

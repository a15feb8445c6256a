// SPDX-License-Identifier: GPL-2.0
/*
 * Adaptive RTP jitter buffer with ITU-T G.711 Appendix I packet loss
 * concealment, in fixed point.  The algorithms are described in jbuf.h.
 */
#include "jbuf.h"

#define FRAME		LINECARD_FRAME_SAMPLES
#define RING_MASK	(LC_JBUF_RING - 1)
#define SEQ_MASK	(LC_JBUF_SEQ_WIN - 1)
#define NS_PER_SAMPLE	125000U
#define US_PER_SAMPLE	125U
#define SAMPLES_PER_MS	8

/* G.711 Appendix I */
#define PITCH_MIN	40
#define PITCH_MAX	120
#define PITCHDIFF	(PITCH_MAX - PITCH_MIN)
#define HISTORYLEN	LC_JBUF_HISTORY
#define NDEC		2
#define CORRLEN		160
#define CORRBUFLEN	(CORRLEN + PITCH_MAX)
#define CORRMINPOWER	250
#define EOVERLAPINCR	32
#define ATTEN_START	FRAME		/* no attenuation in the first 10 ms */
#define ATTEN_END	(6 * FRAME)	/* silence from 60 ms on */
#define ERASE_CAP	60000

/* Delay estimation and control, in samples unless noted */
#define MARGIN		96		/* 12 ms */
#define GUARD		16		/* 2 ms more than a late packet missed */
#define BIN_SHIFT	5		/* 4 ms bins */
#define BIN_UNIT	65536U		/* weight a packet adds */
#define FORGET_SHIFT	8		/* 1/256 per packet */
#define PCTL		97		/* percent */
#define BOOST_HOLD	200		/* frames: 2 s */
#define BOOST_RECUR	1000		/* 10 s when lateness recurs, */
#define RECUR_GAP	20		/* 200 ms or more after the last */
#define INIT_HOLD	50		/* frames the initial delay is kept */
#define BOOST_SHIFT	8		/* decay 1/256 per frame */
#define LEAK_SHIFT	6		/* floor rises 1/64 of elapsed time */
#define FLOOR_STEP	FRAME		/* floor drops at most this per packet */
#define TALK_GAP	4000		/* 500 ms without packets */
#define ADJ_ENTER	40		/* 5 ms */
#define ADJ_EXIT	8		/* 1 ms */
#define QUIET_ADJ	(ADJ_ENTER + ADJ_EXIT)	/* 10 ms steps land inside */
#define RESAMPLE_ENTER	FRAME		/* 10 ms off: resample */
#define CONT_ENTER	240		/* 30 ms too long: resample anyway */
#define DRIFT_GROW	ADJ_ENTER	/* below where it settled: drift */
#define CHUNK_ENTER	FRAME		/* 10 ms short: insert 10 ms */
#define QUIET_SUM	((u32)FRAME * 256 * 256)
#define XFADE		16
#define ACCEL_RATIO	8		/* repeats: difference below 1/8 of the energy */
#define MAX_DROPOUT	3000
#define MAX_MISORDER	100
/* packets starting further ahead of P are discontinuities; holds max_ms */
#define EARLY_LIM	(LC_JBUF_RING - 2 * LC_JBUF_MAX_PKT)

static inline s32 ts_diff(u32 a, u32 b)
{
	return (s32)(a - b);
}

static inline s16 seq_diff(u16 a, u16 b)
{
	return (s16)(u16)(a - b);
}

static inline u32 ns_to_ts(u64 ns)
{
	return (u32)div_u64(ns, NS_PER_SAMPLE);
}

/* --- sample ring ------------------------------------------------------ */

static inline bool is_valid(const struct lc_jbuf *jb, u32 ts)
{
	u32 i = ts & RING_MASK;

	return jb->valid[i >> 6] & (1ULL << (i & 63));
}

/*
 * The valid bits of [ts, ts + n) a word at a time: the mask of the run
 * from @ts within its word, and how many samples it covers.
 */
static inline u64 valid_run(u32 ts, u32 n, u32 *k)
{
	u32 b = ts & 63;

	*k = min(n, 64 - b);
	return (*k == 64 ? ~0ULL : (1ULL << *k) - 1) << b;
}

static void clear_valid(struct lc_jbuf *jb, u32 ts, u32 n)
{
	u32 k;
	u64 m;

	for (; n; ts += k, n -= k) {
		m = valid_run(ts, n, &k);
		jb->valid[(ts & RING_MASK) >> 6] &= ~m;
	}
}

/* True when all of [ts, ts + n) is present. */
static bool avail(const struct lc_jbuf *jb, u32 ts, u32 n)
{
	u32 k;
	u64 m;

	for (; n; ts += k, n -= k) {
		m = valid_run(ts, n, &k);
		if ((jb->valid[(ts & RING_MASK) >> 6] & m) != m)
			return false;
	}
	return true;
}

static bool any_valid(const struct lc_jbuf *jb, u32 ts, u32 n)
{
	u32 k;
	u64 m;

	for (; n; ts += k, n -= k) {
		m = valid_run(ts, n, &k);
		if (jb->valid[(ts & RING_MASK) >> 6] & m)
			return true;
	}
	return false;
}

/* Copy @n samples (at most the ring) out of the ring from @ts. */
static void ring_read(const struct lc_jbuf *jb, u32 ts, s16 *out, u32 n)
{
	u32 i = ts & RING_MASK, k = min(n, LC_JBUF_RING - i);

	memcpy(out, jb->ring + i, k * sizeof(s16));
	memcpy(out + k, jb->ring, (n - k) * sizeof(s16));
}

static void store(struct lc_jbuf *jb, u32 ts, const s16 *pcm, u32 n)
{
	u32 i = ts & RING_MASK, c = min(n, LC_JBUF_RING - i), k;

	memcpy(jb->ring + i, pcm, c * sizeof(s16));
	memcpy(jb->ring, pcm + c, (n - c) * sizeof(s16));
	for (; n; ts += k, n -= k)
		jb->valid[(ts & RING_MASK) >> 6] |= valid_run(ts, n, &k);
}

/* The frame at @ts is silence-like: RMS below 256 (-42 dBov). */
static bool quiet(const struct lc_jbuf *jb, u32 ts)
{
	u32 sum = 0, k;
	s32 v;

	for (k = 0; k < FRAME; k++) {
		v = jb->ring[(ts + k) & RING_MASK];
		sum += (u32)(v * v);
		if (sum >= QUIET_SUM)
			return false;
	}
	return true;
}

/* So were the last 10 ms produced (what concealment would repeat). */
static bool quiet_hist(const struct lc_jbuf *jb)
{
	const s16 *h = jb->hist + jb->hist_len - FRAME;
	u32 sum = 0, k;

	for (k = 0; k < FRAME; k++) {
		sum += (u32)((s32)h[k] * h[k]);
		if (sum >= QUIET_SUM)
			return false;
	}
	return true;
}

/* --- concealment (G.711 Appendix I) ------------------------------------ */

static inline void emit(struct lc_jbuf *jb, s32 v)
{
	jb->hist[jb->hist_len++] = (s16)v;
}

/* Weights (n - 1 - i) / n for @a and (i + 1) / n for @b. */
static inline s32 xfade(s32 a, s32 b, u32 i, u32 n)
{
	return (a * (s32)(n - 1 - i) + b * (s32)(i + 1)) / (s32)n;
}

static void overlap_add(const s16 *l, const s16 *r, s16 *o, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		o[i] = (s16)xfade(l[i], r[i], i, n);
}

/* Q15 gain of erased sample @k: 1 for 10 ms, then -20 % per 10 ms. */
static inline s32 erase_gain(u32 k)
{
	if (k < ATTEN_START)
		return 32768;
	if (k >= ATTEN_END)
		return 0;
	return (s32)(((ATTEN_END - k) * 10486) >> 7);	/* 32768 / 400 */
}

static u32 isqrt64(u64 x)
{
	u64 r = 0, b = 1ULL << 62;

	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return (u32)r;
}

static inline u32 corr_norm(u64 energy)
{
	return isqrt64(energy < CORRMINPOWER ? CORRMINPOWER : energy);
}

/*
 * Pitch period in 40..120 samples: the lag whose 20 ms segment best
 * matches the last 20 ms of @pb, by correlation / sqrt(energy).  Scores
 * c1 / s1 and c2 / s2 are compared as c1 * s2 against c2 * s1: |c| is
 * below 2^38 and s below 2^19, so the products fit in s64.
 */
static u32 find_pitch(const s16 *pb)
{
	const s16 *l = pb + HISTORYLEN - CORRLEN;
	const s16 *r = pb + HISTORYLEN - CORRBUFLEN;
	s64 corr, bc;
	u64 en;
	u32 bs, s;
	int i, j, k, best;

	en = 0;
	corr = 0;
	for (i = 0; i < CORRLEN; i += NDEC) {
		en += (u64)((s32)r[i] * r[i]);
		corr += (s32)r[i] * l[i];
	}
	bc = corr;
	bs = corr_norm(en);
	best = 0;
	for (j = NDEC; j <= PITCHDIFF; j += NDEC) {
		en -= (u64)((s32)r[j - NDEC] * r[j - NDEC]);
		en += (u64)((s32)r[j - NDEC + CORRLEN] * r[j - NDEC + CORRLEN]);
		corr = 0;
		for (i = 0; i < CORRLEN; i += NDEC)
			corr += (s32)r[j + i] * l[i];
		s = corr_norm(en);
		if (corr * bs >= bc * s) {
			bc = corr;
			bs = s;
			best = j;
		}
	}

	j = best - (NDEC - 1);
	if (j < 0)
		j = 0;
	k = best + (NDEC - 1);
	if (k > PITCHDIFF)
		k = PITCHDIFF;
	en = 0;
	corr = 0;
	for (i = 0; i < CORRLEN; i++) {
		en += (u64)((s32)r[j + i] * r[j + i]);
		corr += (s32)r[j + i] * l[i];
	}
	bc = corr;
	bs = corr_norm(en);
	best = j;
	for (j++; j <= k; j++) {
		en -= (u64)((s32)r[j - 1] * r[j - 1]);
		en += (u64)((s32)r[j - 1 + CORRLEN] * r[j - 1 + CORRLEN]);
		corr = 0;
		for (i = 0; i < CORRLEN; i++)
			corr += (s32)r[j + i] * l[i];
		s = corr_norm(en);
		if (corr * bs > bc * s) {
			bc = corr;
			bs = s;
			best = j;
		}
	}
	return PITCH_MAX - best;
}

/* Next sample of the repeated pitch buffer. */
static s16 synth_one(struct lc_jbuf *jb)
{
	s16 v = jb->pitchbuf[HISTORYLEN - jb->pitchblen + jb->poffset];

	if (++jb->poffset >= jb->pitchblen)
		jb->poffset = 0;
	return v;
}

/* First erased sample: one pitch period from the history (Appendix I). */
static void start_erasure(struct lc_jbuf *jb)
{
	s16 *pb = jb->pitchbuf;
	u32 i, po;

	memcpy(pb, jb->hist + jb->hist_len - HISTORYLEN, sizeof(jb->pitchbuf));
	jb->plc_zero = true;
	for (i = 0; i < HISTORYLEN; i++) {
		if (pb[i]) {
			jb->plc_zero = false;
			break;
		}
	}
	/* one search per loss; a loss right after another reuses it */
	if (!jb->plc_zero && (!jb->pitch || jb->pitch_age >= FRAME)) {
		jb->pitch = (u16)find_pitch(pb);
		jb->pitch_age = 0;
	}
	if (!jb->pitch)
		jb->pitch = PITCH_MAX;
	po = jb->pitch >> 2;
	jb->poverlap = (u16)po;
	memcpy(jb->lastq, pb + HISTORYLEN - po, po * sizeof(s16));
	jb->poffset = 0;
	jb->pitchblen = jb->pitch;
	/* the tail of the period blends into what preceded it */
	overlap_add(jb->lastq, pb + HISTORYLEN - jb->pitch - po,
		    pb + HISTORYLEN - po, po);
	/* those samples are still unplayed (output lags by 30 samples) */
	memcpy(jb->hist + jb->hist_len - po, pb + HISTORYLEN - po,
	       po * sizeof(s16));
	jb->merge_len = 0;
	jb->merge_pos = 0;
	jb->ext_len = 0;
	jb->ext_pos = 0;
}

/* At 10 and 20 ms into an erasure: repeat one more pitch period. */
static void extend_erasure(struct lc_jbuf *jb)
{
	s16 *pb = jb->pitchbuf;
	u32 po = jb->poverlap, i;
	u16 save;

	if (jb->pitchblen + jb->pitch > 3 * PITCH_MAX)
		return;
	save = jb->poffset;
	for (i = 0; i < po; i++)
		jb->ext_tmp[i] = synth_one(jb);
	jb->poffset = save;
	while (jb->poffset > jb->pitch)
		jb->poffset -= jb->pitch;
	jb->pitchblen += jb->pitch;
	overlap_add(jb->lastq, pb + HISTORYLEN - jb->pitchblen - po,
		    pb + HISTORYLEN - po, po);
	jb->ext_pos = 0;
	jb->ext_len = (u16)po;
}

static void conceal_one(struct lc_jbuf *jb)
{
	u32 k = jb->erase_cnt;
	s32 v = 0;

	if (!k)
		start_erasure(jb);
	else if (k == FRAME || k == 2 * FRAME)
		extend_erasure(jb);
	if (k < ATTEN_END) {
		if (!jb->plc_zero)
			jb->plc_lossy = true;
		v = synth_one(jb);
		if (jb->ext_pos < jb->ext_len) {
			v = xfade(jb->ext_tmp[jb->ext_pos], v, jb->ext_pos,
				  jb->ext_len);
			jb->ext_pos++;
		}
		if (k >= ATTEN_START)
			v = (v * erase_gain(k)) >> 15;
	}
	if (k < ERASE_CAP)
		jb->erase_cnt = k + 1;
	emit(jb, v);
}

/* Real samples follow an erasure: blend the synthetic signal out. */
static void end_erasure(struct lc_jbuf *jb)
{
	u32 nfr = (jb->erase_cnt + FRAME - 1) / FRAME;
	u32 olen = jb->poverlap + (nfr - 1) * EOVERLAPINCR;

	if (olen > FRAME)
		olen = FRAME;
	if (jb->plc_zero)
		olen = 0;
	jb->merge_g = (u32)erase_gain(jb->erase_cnt);
	jb->merge_len = (u16)olen;
	jb->merge_pos = 0;
	jb->erase_cnt = 0;
}

static void emit_real(struct lc_jbuf *jb, s32 v)
{
	s32 f;

	if (jb->erase_cnt)
		end_erasure(jb);
	if (jb->merge_pos < jb->merge_len) {
		f = (synth_one(jb) * (s32)jb->merge_g) >> 15;
		v = xfade(f, v, jb->merge_pos, jb->merge_len);
		jb->merge_pos++;
	}
	emit(jb, v);
}

/* --- delay estimation -------------------------------------------------- */

/*
 * The 97th percentile of the spread histogram, recomputed whenever a
 * packet changes the histogram (target() runs every frame).
 */
static u32 spread_pctl(const struct lc_jbuf *jb)
{
	u32 thr, cum = 0, b;

	if (!jb->bins_total)
		return 0;
	thr = jb->bins_total / 100 * PCTL;
	for (b = 0; b < LC_JBUF_BINS - 1; b++) {
		cum += jb->bins[b];
		if (cum >= thr)
			break;
	}
	return (b + 1) << BIN_SHIFT;
}

static u32 target(const struct lc_jbuf *jb)
{
	u32 s = jb->spread;

	if (jb->boost > s)
		s = jb->boost;
	s += MARGIN;
	if (s < jb->min_d)
		s = jb->min_d;
	if (s > jb->max_d)
		s = jb->max_d;
	return s;
}

/* Current delay of the fastest packets: off - r_lo, off = tg + 80 - P. */
static s32 cur_delay(const struct lc_jbuf *jb)
{
	return ts_diff(jb->tg + FRAME - jb->play, jb->r_lo);
}

static void track(struct lc_jbuf *jb, u32 tarr, u32 ts, s32 off,
		  bool marker)
{
	u32 r = tarr - ts, el, cand, b, dec;
	s32 d, s, need;
	u64 m;
	u32 hold = BOOST_HOLD;

	/* RFC 3550 A.8, in timestamp units, jitter16 = 16 * J */
	if (jb->have_transit) {
		d = ts_diff(r, jb->transit);
		if (d < 0)
			d = -d;
		if (d > 16 * 8000)
			d = 16 * 8000;
		jb->jitter16 += d - ((jb->jitter16 + 8) >> 4);
	}
	jb->transit = r;
	jb->have_transit = true;

	/* floor follower */
	el = tarr - jb->r_lo_t;
	if (el > 10 * 8000)
		el = 10 * 8000;
	cand = jb->r_lo + (el >> LEAK_SHIFT);
	if (marker && el >= TALK_GAP) {
		/* a talkspurt after silence: measure the floor afresh */
		cand = r;
	} else if (ts_diff(r, cand) < 0) {
		if (ts_diff(jb->r_lo, r) > FLOOR_STEP)
			cand = jb->r_lo - FLOOR_STEP;
		else
			cand = r;
	}
	jb->r_lo = cand;
	jb->r_lo_t = tarr;

	/* spread histogram with forgetting */
	s = ts_diff(r, jb->r_lo);
	if (s < 0)
		s = 0;
	/* a bin below 1 << FORGET_SHIFT no longer changes: skip those */
	for (m = jb->bins_live; m; m &= m - 1) {
		b = __ffs64(m);
		dec = jb->bins[b] >> FORGET_SHIFT;
		jb->bins[b] -= dec;
		jb->bins_total -= dec;
		if (!(jb->bins[b] >> FORGET_SHIFT))
			jb->bins_live &= ~(1ULL << b);
	}
	b = (u32)s >> BIN_SHIFT;
	if (b >= LC_JBUF_BINS)
		b = LC_JBUF_BINS - 1;
	jb->bins[b] += BIN_UNIT;
	jb->bins_total += BIN_UNIT;
	jb->bins_live |= 1ULL << b;
	jb->spread = spread_pctl(jb);

	if (off < 0) {
		/*
		 * Late: the delay must grow by as much as it missed, whatever
		 * the phase of the frames against the packet, and at once.
		 */
		need = s;
		if (jb->tg_valid && cur_delay(jb) - off + GUARD - MARGIN > s)
			need = cur_delay(jb) - off + GUARD - MARGIN;
		/* stalls that come back are remembered for longer */
		if (jb->boost && !jb->boost_init && jb->since_late >= RECUR_GAP)
			hold = BOOST_RECUR;
		if ((u32)need > jb->boost) {
			jb->boost = (u32)need;
			jb->boost_init = false;
		}
		if (hold > jb->boost_hold)
			jb->boost_hold = hold;
		jb->since_late = 0;
		jb->urgent = true;
	}
}

/* --- configuration and resynchronisation ------------------------------- */

void lc_jbuf_set_cfg(struct lc_jbuf *jb, const struct lc_jbuf_cfg *cfg)
{
	u32 lo = LC_JBUF_DEF_MIN_MS, hi = LC_JBUF_DEF_MAX_MS;
	u32 init = LC_JBUF_DEF_INIT_MS;

	if (cfg && cfg->max_ms) {
		lo = cfg->min_ms;
		hi = cfg->max_ms;
	}
	if (cfg && cfg->init_ms)
		init = cfg->init_ms;
	if (hi > LC_JBUF_MAX_MS)
		hi = LC_JBUF_MAX_MS;
	if (hi < 10)
		hi = 10;
	if (lo > hi)
		lo = hi;
	if (init < lo)
		init = lo;
	if (init > hi)
		init = hi;
	jb->min_d = lo * SAMPLES_PER_MS;
	jb->max_d = hi * SAMPLES_PER_MS;
	jb->init_d = init * SAMPLES_PER_MS;
}

void lc_jbuf_init(struct lc_jbuf *jb, const struct lc_jbuf_cfg *cfg)
{
	memset(jb, 0, sizeof(*jb));
	lc_jbuf_set_cfg(jb, cfg);
	jb->hist_len = HISTORYLEN;
	jb->pitch_age = FRAME;
	if (jb->init_d > MARGIN) {
		jb->boost = jb->init_d - MARGIN;
		jb->boost_hold = INIT_HOLD;
		jb->boost_init = true;
	}
}

/*
 * Give the @r samples buffered from P on the timestamps from @np on, so
 * that they still play before the new timeline's first packet; clear
 * everything else.  @r is at most half the ring, so the two ranges
 * overlap at one end at most and copying from the other end is safe.
 */
static void relabel(struct lc_jbuf *jb, u32 np, u32 r)
{
	u32 sh = (np - jb->play) & RING_MASK, k, i, from, to;
	bool back = sh && sh < r;

	for (k = 0; k < r; k++) {
		i = back ? r - 1 - k : k;
		from = (jb->play + i) & RING_MASK;
		to = (np + i) & RING_MASK;
		jb->ring[to] = jb->ring[from];
		if (is_valid(jb, jb->play + i))
			jb->valid[to >> 6] |= 1ULL << (to & 63);
		else
			jb->valid[to >> 6] &= ~(1ULL << (to & 63));
	}
	clear_valid(jb, np + r, LC_JBUF_RING - r);
}

/*
 * Restart the timeline at this packet, at the target delay.  Samples of
 * the old timeline still buffered are kept and played first.
 */
static void resync(struct lc_jbuf *jb, u32 tarr, u16 seq, u32 ts, u32 ssrc)
{
	u32 d, np, r = 0;
	s32 rem = ts_diff(jb->buf_end, jb->play);

	if (jb->synced && rem > 0 && rem <= LC_JBUF_RING / 2)
		r = (u32)rem;
	memset(jb->pkt, 0, sizeof(jb->pkt));
	jb->ssrc = ssrc;
	jb->hi_seq = seq;
	jb->play_seq = seq;
	jb->hi_ts = ts;
	jb->rx_mask = 0;
	jb->cand_valid = false;
	jb->have_transit = false;
	jb->r_lo = tarr - ts;
	jb->r_lo_t = tarr;
	jb->adj_mode = 0;
	jb->relevel = true;
	d = target(jb);
	if (jb->tg_valid)
		np = ts + (jb->tg + FRAME - tarr) - d;
	else
		np = ts - d;
	if (ts_diff(np + r, ts) > 0)
		np = ts - r;
	if (r)
		relabel(jb, np, r);
	else
		memset(jb->valid, 0, sizeof(jb->valid));
	jb->play = np;
	jb->buf_end = np + r;
	jb->synced = true;
	jb->st.resyncs++;
}

/*
 * A discontinuity is taken when the next packet confirms it: same SSRC,
 * next sequence number, timestamp a little further on.
 */
static bool confirmed(struct lc_jbuf *jb, u32 ssrc, u16 seq, u32 ts)
{
	u32 dt = ts - jb->cand_ts;

	if (jb->cand_valid && ssrc == jb->cand_ssrc &&
	    seq == (u16)(jb->cand_seq + 1) && dt && dt <= LC_JBUF_MAX_PKT) {
		jb->cand_valid = false;
		return true;
	}
	jb->cand_valid = true;
	jb->cand_ssrc = ssrc;
	jb->cand_seq = seq;
	jb->cand_ts = ts;
	return false;
}

/* A packet with a new sequence number the timeline cannot place. */
static bool consistent_jump(const struct lc_jbuf *jb, s16 d, u32 ts,
			    bool marker)
{
	s32 dt = ts_diff(ts, jb->hi_ts);
	s64 dev = (s64)dt - (s32)d * jb->last_n;

	if (d < 1)
		return false;
	if (marker && dt > 0)
		return true;
	return dev >= -(s32)jb->last_n && dev <= (s32)jb->last_n;
}

/* Nothing buffered and a talkspurt starts: move P to the target delay. */
static void reanchor(struct lc_jbuf *jb, u32 ts)
{
	u32 np;
	s32 mv;

	if (!jb->tg_valid)
		return;
	np = jb->tg + FRAME - jb->r_lo - target(jb);
	if (ts_diff(ts, np) < 0)
		np = ts;
	mv = ts_diff(np, jb->play);
	if (mv >= -ADJ_EXIT && mv <= ADJ_EXIT)
		return;
	if (mv > 0)
		jb->st.dropped += (u32)mv;
	else
		jb->st.inserted += (u32)-mv;
	jb->st.drift_adjust++;
	jb->play = np;
	jb->buf_end = np;
	jb->adj_mode = 0;
	jb->relevel = true;
}

/* Record a taken packet for loss accounting at playout. */
static void note_packet(struct lc_jbuf *jb, u16 seq, u32 ts)
{
	struct lc_jbuf_pkt *p;
	u16 gap = (u16)(seq - jb->play_seq);
	u32 i, used = 0;

	if (seq_diff(seq, jb->play_seq) < 0)
		return;
	if (gap >= LC_JBUF_SEQ_WIN) {
		/* sequence numbers ran ahead of the timestamps */
		for (i = 0; i < LC_JBUF_SEQ_WIN; i++) {
			if (jb->pkt[i].used) {
				jb->pkt[i].used = 0;
				used++;
			}
		}
		jb->st.lost += gap > used ? gap - used : 0;
		jb->play_seq = seq;
	}
	p = &jb->pkt[seq & SEQ_MASK];
	p->seq = seq;
	p->ts = ts;
	p->used = 1;
}

/* Packets that started playing: sequence numbers skipped are lost. */
static void account(struct lc_jbuf *jb)
{
	struct lc_jbuf_pkt *p;
	u16 base = jb->play_seq, s;
	s16 span = seq_diff(jb->hi_seq, base);
	u32 k, miss = 0;

	if (span < 0)
		return;
	if (span >= LC_JBUF_SEQ_WIN)
		span = LC_JBUF_SEQ_WIN - 1;
	for (k = 0; k <= (u32)span; k++) {
		s = (u16)(base + k);
		p = &jb->pkt[s & SEQ_MASK];
		if (!p->used || p->seq != s) {
			miss++;
			continue;
		}
		if (ts_diff(p->ts, jb->play) >= 0)
			break;
		jb->st.lost += miss;
		miss = 0;
		p->used = 0;
		jb->play_seq = (u16)(s + 1);
	}
}

static void mark_time(struct lc_jbuf *jb, u64 now_ns)
{
	if (!jb->t0_valid) {
		jb->t0_ns = now_ns;
		jb->t0_valid = true;
	}
}

int lc_jbuf_put(struct lc_jbuf *jb, u64 now_ns, u16 seq, u32 ts, u32 ssrc,
		bool marker, const s16 *pcm, unsigned int n)
{
	bool fresh = false, reord = false;
	u32 tarr, skip;
	s32 off;
	s64 end;
	s16 d;

	if (!pcm || !n || n > LC_JBUF_MAX_PKT) {
		jb->st.discarded++;
		return LC_JBUF_INVALID;
	}
	mark_time(jb, now_ns);
	jb->st.received++;
	jb->last_rx_ns = now_ns;
	jb->rx_seen = true;
	tarr = ns_to_ts(now_ns);

	if (!jb->synced) {
		resync(jb, tarr, seq, ts, ssrc);
		fresh = true;
	} else if (ssrc != jb->ssrc) {
		if (!confirmed(jb, ssrc, seq, ts)) {
			jb->st.discarded++;
			return LC_JBUF_PROBATION;
		}
		jb->st.ssrc_changes++;
		resync(jb, tarr, seq, ts, ssrc);
		fresh = true;
	} else {
		d = seq_diff(seq, jb->hi_seq);
		off = ts_diff(ts, jb->play);
		end = (s64)off + n;
		if (d > 0 && d <= MAX_DROPOUT &&
		    (off > EARLY_LIM || end <= -LC_JBUF_RING) &&
		    consistent_jump(jb, d, ts, marker)) {
			/* the source jumped on; the skipped packets are lost */
			jb->st.lost += (u32)(d - 1);
			resync(jb, tarr, seq, ts, ssrc);
			fresh = true;
		} else if (d > MAX_DROPOUT || d < -MAX_MISORDER ||
			   (d > 0 && (off > EARLY_LIM ||
				      end <= -LC_JBUF_RING))) {
			if (!confirmed(jb, ssrc, seq, ts)) {
				jb->st.discarded++;
				return LC_JBUF_PROBATION;
			}
			resync(jb, tarr, seq, ts, ssrc);
			fresh = true;
		} else if (off > EARLY_LIM) {
			/* an old sequence number far in the future */
			jb->st.discarded++;
			return LC_JBUF_PROBATION;
		}
	}

	if (fresh) {
		jb->rx_mask = 1;
		jb->last_n = (u16)n;
	} else {
		d = seq_diff(seq, jb->hi_seq);
		if (d > 0) {
			jb->rx_mask = d >= 64 ? 1 : (jb->rx_mask << d) | 1;
			jb->hi_seq = seq;
			jb->hi_ts = ts;
			jb->last_n = (u16)n;
		} else if (-d < 64) {
			if (jb->rx_mask & (1ULL << -d)) {
				jb->st.duplicated++;
				return LC_JBUF_DUPLICATE;
			}
			jb->rx_mask |= 1ULL << -d;
			reord = true;
		} else {
			reord = true;
		}
	}

	off = ts_diff(ts, jb->play);
	if ((s64)off + n <= -LC_JBUF_RING) {
		/* far too late to tell anything about the network */
		jb->st.late++;
		return LC_JBUF_LATE;
	}
	track(jb, tarr, ts, off, marker && !fresh);
	if (marker && !fresh && ts_diff(jb->buf_end, jb->play) <= 0) {
		reanchor(jb, ts);
		off = ts_diff(ts, jb->play);
	}
	if ((s64)off + n <= 0) {
		jb->st.late++;
		return LC_JBUF_LATE;
	}
	skip = off < 0 ? (u32)-off : 0;
	store(jb, ts + skip, pcm + skip, n - skip);
	if (ts_diff(ts + n, jb->buf_end) > 0)
		jb->buf_end = ts + n;
	note_packet(jb, seq, ts);
	if (fresh)
		return LC_JBUF_RESYNC;
	if (reord) {
		jb->st.reordered++;
		return LC_JBUF_REORDERED;
	}
	return LC_JBUF_OK;
}

/* --- playout ----------------------------------------------------------- */

static void play_normal(struct lc_jbuf *jb, u32 p)
{
	u32 i;

	if (!jb->erase_cnt && jb->merge_pos >= jb->merge_len && avail(jb, p, FRAME)) {
		/* the common case: nothing to conceal or merge */
		ring_read(jb, p, jb->hist + jb->hist_len, FRAME);
		jb->hist_len += FRAME;
		return;
	}
	for (i = 0; i < FRAME; i++) {
		if (is_valid(jb, p + i))
			emit_real(jb, jb->ring[(p + i) & RING_MASK]);
		else
			conceal_one(jb);
	}
}

/* 80 samples from 80 + @a by linear interpolation (|a| <= 2). */
static void play_resampled(struct lc_jbuf *jb, u32 p, int a)
{
	u32 step = ((u32)(FRAME + a) << 16) / FRAME, pos = 0, i, k;
	s32 x0, x1, frac;

	for (i = 0; i < FRAME; i++, pos += step) {
		k = pos >> 16;
		frac = (s32)((pos & 0xffff) >> 1);	/* Q15 */
		x0 = jb->ring[(p + k) & RING_MASK];
		x1 = jb->ring[(p + k + 1) & RING_MASK];
		emit_real(jb, x0 + (((x1 - x0) * frac) >> 15));
	}
}

/*
 * The lag in [PITCH_MIN, @max] at which the sound repeats best: the
 * smallest squared difference between @seg[@at(lag) + i] and
 * @seg[@at(lag) + lag + i] over a frame, relative to their energy (every
 * NDEC-th sample), where @at(lag) is 0 to look ahead (@seg holds the
 * audio from the play point) and @max - lag to look back (@seg holds
 * @max samples already played, then the audio from the play point).
 * 0 when nothing repeats well enough to cut or repeat a period unheard.
 */
static u32 repeat_lag(const s16 *seg, u32 max, bool back)
{
	u64 best_d = 0, best_e = 0, d, e;
	u32 lag, best = 0, i, at;
	s64 a, b;

	for (lag = PITCH_MIN; lag <= max; lag++) {
		at = back ? max - lag : 0;
		d = 0;
		e = 0;
		for (i = 0; i < FRAME; i += NDEC) {
			a = seg[at + i];
			b = seg[at + lag + i];
			d += (u64)((a - b) * (a - b));
			e += (u64)(a * a + b * b);
		}
		/* d / e < best_d / best_e; both below 2^39: shifted, no overflow */
		if (!best || (d >> 7) * (best_e >> 7) < (best_d >> 7) * (e >> 7)) {
			best = lag;
			best_d = d;
			best_e = e;
		}
	}
	return best && best_d * ACCEL_RATIO < best_e ? best : 0;
}

/*
 * Change the delay by one repetition of the sound, keeping its pitch
 * (resampling would not): 80 samples out, fading from the audio at the
 * play point into the same audio @lag later (@back false: the delay
 * shrinks by @lag) or @lag earlier (@back true: it grows by @lag).
 * Where the sound repeats every @lag samples (a voice's pitch period or
 * a multiple of it, a tone) the two match.  @seg as for repeat_lag().
 */
static void play_period(struct lc_jbuf *jb, const s16 *seg, u32 max, u32 lag, bool back)
{
	const s16 *x = back ? seg + max : seg;
	const s16 *y = back ? seg + max - lag : seg + lag;
	u32 i;

	for (i = 0; i < FRAME; i++)
		emit(jb, ((s32)x[i] * (s32)(FRAME - i) + (s32)y[i] * (s32)i) / FRAME);
}

/*
 * Cut out (@excess > 0) or repeat (@excess < 0) one period of the sound
 * at @p, at most |@excess| samples long.  Returns the samples consumed,
 * or -1 when the sound does not repeat (or is not all there).
 */
static int adjust_by_period(struct lc_jbuf *jb, u32 p, s32 excess)
{
	s16 seg[FRAME + PITCH_MAX];
	bool back = excess < 0;
	u32 max = back ? (u32)-excess : (u32)excess, lag;

	if (max > (back ? FRAME : PITCH_MAX))
		max = back ? FRAME : PITCH_MAX;
	if (max < PITCH_MIN)
		return -1;
	if (back) {
		if (!avail(jb, p, FRAME))
			return -1;
		memcpy(seg, jb->hist + jb->hist_len - max, max * sizeof(s16));
		ring_read(jb, p, seg + max, FRAME);
	} else {
		if (!avail(jb, p, FRAME + max))
			return -1;
		ring_read(jb, p, seg, FRAME + max);
	}
	lag = repeat_lag(seg, max, back);
	if (!lag)
		return -1;
	play_period(jb, seg, max, lag, back);
	if (back)
		jb->st.inserted += lag;
	else
		jb->st.dropped += lag;
	jb->st.drift_adjust++;
	return (int)(back ? FRAME - lag : FRAME + lag);
}

/* Skip the quiet frame at @p, crossfading into the next one. */
static void play_dropped(struct lc_jbuf *jb, u32 p)
{
	u32 i;
	s32 v;

	for (i = 0; i < FRAME; i++) {
		v = jb->ring[(p + FRAME + i) & RING_MASK];
		if (i < XFADE)
			v = (jb->ring[(p + i) & RING_MASK] * (s32)(XFADE - i) +
			     v * (s32)i) / XFADE;
		emit(jb, v);
	}
}

static void conceal_frame(struct lc_jbuf *jb)
{
	u32 i;

	for (i = 0; i < FRAME; i++)
		conceal_one(jb);
}

/*
 * Hysteresis of the delay control, on the error @e and the delay @d:
 * +-1 lets 10 ms steps happen where they cost nothing (quiet frames,
 * frames missing anyway); +-2 also adjusts continuous sound, which only
 * drift (@d moved away from lvl, where the control last settled), a late
 * packet or a large error call for.  Back to 0 within ADJ_EXIT.
 */
static void adj_mode(struct lc_jbuf *jb, s32 e, s32 d)
{
	s32 lim;

	if (jb->relevel || jb->boost_init) {
		/* after a step; or the floor is still being found */
		jb->lvl = d;
		jb->relevel = false;
	}
	if ((jb->adj_mode > 0 && e <= ADJ_EXIT) ||
	    (jb->adj_mode < 0 && e >= -ADJ_EXIT)) {
		jb->adj_mode = 0;
		jb->lvl = d;
	}
	if (e > ADJ_ENTER && jb->adj_mode <= 0)
		jb->adj_mode = 1;
	if (e < -ADJ_ENTER && jb->adj_mode >= 0)
		jb->adj_mode = -1;
	/* the initial delay is placed by the first packet: a guess */
	lim = jb->boost_init ? RESAMPLE_ENTER : CONT_ENTER;
	if (e > ADJ_ENTER && (e > lim || d - jb->lvl > RESAMPLE_ENTER))
		jb->adj_mode = 2;
	if (e < -ADJ_ENTER && (e < -RESAMPLE_ENTER || jb->lvl - d > DRIFT_GROW))
		jb->adj_mode = -2;
	if (jb->urgent) {
		if (e < -ADJ_EXIT)
			jb->adj_mode = -2;
		jb->urgent = false;
	}
}

/* Produce one frame at P; returns the number of samples consumed. */
static u32 play_frame(struct lc_jbuf *jb, u32 tnow)
{
	u32 p = jb->play;
	s32 d = ts_diff(tnow - p, jb->r_lo);
	s32 e = d - (s32)target(jb);
	bool idle = !jb->erase_cnt && jb->merge_pos >= jb->merge_len;
	int a, used;

	adj_mode(jb, e, d);
	if (jb->adj_mode < 0) {
		if (e <= -ADJ_ENTER && !any_valid(jb, p, FRAME)) {
			/* missing anyway: conceal without consuming */
			conceal_frame(jb);
			goto inserted;
		}
		if (idle && (e <= -CHUNK_ENTER ||
			     (e < -QUIET_ADJ && quiet_hist(jb) &&
			      avail(jb, p, FRAME) && quiet(jb, p)))) {
			/* stretch: not a loss */
			conceal_frame(jb);
			jb->plc_lossy = false;
			goto inserted;
		}
		/* A whole period repeated, no longer than the delay missing. */
		if (jb->adj_mode < -1 && idle) {
			used = adjust_by_period(jb, p, e);
			if (used >= 0)
				return (u32)used;
		}
		a = e < -ADJ_ENTER ? -2 : -1;
		if (jb->adj_mode < -1 && avail(jb, p, FRAME + 1 + a)) {
			play_resampled(jb, p, a);
			jb->st.inserted += (u32)-a;
			jb->st.drift_adjust++;
			return FRAME + a;
		}
	} else if (jb->adj_mode > 0) {
		if (e > QUIET_ADJ && idle && avail(jb, p, 2 * FRAME) &&
		    quiet(jb, p)) {
			play_dropped(jb, p);
			jb->st.dropped += FRAME;
			jb->st.drift_adjust++;
			jb->relevel = true;
			return 2 * FRAME;
		}
		/* A whole period out, no longer than the excess delay. */
		if (jb->adj_mode > 1 && idle) {
			used = adjust_by_period(jb, p, e);
			if (used >= 0)
				return (u32)used;
		}
		a = e > ADJ_ENTER ? 2 : 1;
		if (jb->adj_mode > 1 && avail(jb, p, FRAME + 1 + a)) {
			play_resampled(jb, p, a);
			jb->st.dropped += a;
			jb->st.drift_adjust++;
			return FRAME + a;
		}
	}
	play_normal(jb, p);
	return FRAME;

inserted:
	jb->st.inserted += FRAME;
	jb->st.drift_adjust++;
	jb->relevel = true;
	return 0;
}

static void tick(struct lc_jbuf *jb)
{
	if (jb->since_late < RECUR_GAP)
		jb->since_late++;
	if (jb->boost_hold) {
		jb->boost_hold--;
	} else if (jb->boost_init) {
		/* measured from now on; start from where the delay is */
		jb->boost = 0;
		jb->boost_init = false;
		jb->adj_mode = 0;
		jb->relevel = true;
	} else if (jb->boost) {
		jb->boost -= (jb->boost >> BOOST_SHIFT) + 1;
	}
}

void lc_jbuf_get(struct lc_jbuf *jb, u64 now_ns, s16 *out)
{
	u32 tnow = ns_to_ts(now_ns), used;

	mark_time(jb, now_ns);
	jb->plc_lossy = false;
	if (jb->synced) {
		tick(jb);
		used = play_frame(jb, tnow);
		clear_valid(jb, jb->play, used);
		jb->play += used;
		account(jb);
		if (jb->plc_lossy)
			jb->st.plc_frames++;
	} else {
		conceal_frame(jb);
	}
	if (jb->pitch_age < ERASE_CAP)
		jb->pitch_age += FRAME;
	memcpy(out, jb->hist + jb->hist_len - LC_JBUF_ALGO_DELAY - FRAME,
	       FRAME * sizeof(s16));
	memmove(jb->hist, jb->hist + FRAME, HISTORYLEN * sizeof(s16));
	jb->hist_len = HISTORYLEN;
	jb->tg = tnow;
	jb->tg_valid = true;
}

void lc_jbuf_restart(struct lc_jbuf *jb)
{
	jb->synced = false;
}

u64 lc_jbuf_idle_ns(const struct lc_jbuf *jb, u64 now_ns)
{
	u64 ref = jb->rx_seen ? jb->last_rx_ns : jb->t0_ns;

	if (!jb->t0_valid || now_ns < ref)
		return 0;
	return now_ns - ref;
}

void lc_jbuf_get_stats(const struct lc_jbuf *jb, struct lc_jbuf_stats *st)
{
	s32 d;

	*st = jb->st;
	st->jitter_ts = jb->jitter16 >> 4;
	st->jitter_us = st->jitter_ts * US_PER_SAMPLE;
	st->target_ms = target(jb) / SAMPLES_PER_MS;
	d = jb->synced && jb->tg_valid ? cur_delay(jb) : 0;
	st->playout_ms = d > 0 ? (u32)d / SAMPLES_PER_MS : 0;
}

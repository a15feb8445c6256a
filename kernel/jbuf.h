/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Adaptive jitter buffer for the receive side of an RTP stream, with
 * packet loss concealment after ITU-T G.711 Appendix I.  Pure logic in
 * fixed point: builds into the module and into the unit tests.
 *
 * Interface
 *
 *   struct lc_jbuf is embedded in the stream (about 11 KB, no allocation
 *   anywhere).  The caller serialises all calls on one buffer and gives
 *   put and get times from one monotonic clock.  Cost: about 0.4 us a
 *   frame and a packet on a PC core; a pitch search (about 3700
 *   multiply-adds) once at the start of a loss.
 *
 *   lc_jbuf_init(jb, cfg)      reset everything; cfg may be NULL (20..200
 *                              ms, start at 40 ms).
 *   lc_jbuf_set_cfg(jb, cfg)   change the bounds of a running buffer.
 *   lc_jbuf_put(jb, now_ns, seq, ts, ssrc, marker, pcm, n)
 *                              one validated packet, already decoded to n
 *                              16-bit samples (1..LC_JBUF_MAX_PKT), with
 *                              its local arrival time (monotonic ns).
 *                              Returns >= 0 when the samples were taken
 *                              (LC_JBUF_OK, _REORDERED, _RESYNC), < 0 when
 *                              the packet was dropped (enum lc_jbuf_res).
 *   lc_jbuf_get(jb, now_ns, out)
 *                              one 10 ms frame (LINECARD_FRAME_SAMPLES)
 *                              for the earpiece, called by the frame
 *                              clock; always fills @out (audio, concealment
 *                              or silence).
 *   lc_jbuf_idle_ns(jb, now)   ns since the last packet (since the first
 *                              call if none came): the caller raises its
 *                              stream timeout event from this.
 *   lc_jbuf_get_stats(jb, st)  counters and the current delay.
 *
 * Timeline
 *
 *   Timestamps are the truth: a packet's samples go to ring[ts & mask]
 *   whatever its size (ptime may change at any time); sequence numbers
 *   only serve duplicate detection and loss/reorder accounting.  The
 *   playout position P is the next timestamp to be played; every get
 *   consumes 80 samples from P (more or fewer when adjusting).  All
 *   sequence and timestamp comparisons are serial-number arithmetic, so
 *   both wrap freely.
 *
 *   A packet whose samples all lie before P is "late" (dropped); one
 *   partly before P keeps its tail (its head is concealed; not counted
 *   late).  "Lost" counts sequence numbers that were missing when a later
 *   packet started to play (a packet that then arrives late is counted in
 *   both).  "Reordered" counts packets taken although an older sequence
 *   number than the highest seen.  Gaps in the timestamps with
 *   consecutive sequence numbers (silence suppression) are not losses.
 *
 * Delay estimation
 *
 *   For every packet the transit r = arrival (8 kHz units) - ts.  A floor
 *   follower r_lo tracks the fastest transit (drops to a lower r at once,
 *   but by at most one frame per packet so a stray packet cannot move
 *   it far; rises by 1/64 of the elapsed time, faster than 1 % drift;
 *   is measured afresh at a talkspurt that follows 500 ms of silence).
 *   The spread r - r_lo goes into a 4 ms-bin histogram with exponential
 *   forgetting (1/256 per packet); its 97th percentile plus a margin of
 *   12 ms (up to one frame between a packet's first sample and the start
 *   of the frame that plays it, plus clock jitter) is the target delay,
 *   clamped to min_ms..max_ms.  The initial delay (init_ms) stands for
 *   the first 0.5 s, while the floor and the spread are first measured;
 *   then the measured target applies at once.  A late packet sets a
 *   boost at once, to its own spread or to the current delay plus what
 *   it missed plus 2 ms, whichever is more (held 2 s, or 10 s when late
 *   packets come back while it is still remembered, then decaying with
 *   a 2.6 s time constant): the delay grows at the first late packet
 *   and shrinks slowly once the network is steady again.  RFC 3550
 *   interarrival jitter (A.8) is computed from the same transits for the
 *   statistics.
 *
 *   The current delay is off - r_lo, where off maps a timestamp to its
 *   local playout time: how long before its first sample is played the
 *   fastest packet arrives (playout_ms; the output lags a further fixed
 *   3.75 ms, see below).  The controller compares it with the target.
 *
 * Adjustment (adaptation and clock drift are the same loop)
 *
 *   Every adjustment of continuous sound is audible in a steady tone, so
 *   the controller has two bands.  Within 5 ms of the target nothing
 *   happens.  Outside it, but within 10 ms short or 30 ms too long, the
 *   delay only changes where that costs nothing: a quiet frame is
 *   dropped (2 ms crossfade) or a 10 ms concealment frame is inserted in
 *   a pause (this frame and the last one played below -42 dBov), and a
 *   frame that is missing anyway is concealed without advancing P (a
 *   stall).  A target that wanders with scheduling noise, or an initial
 *   delay above the measured target, therefore never touches a tone.
 *   Continuous sound is adjusted only when that is needed:
 *
 *   - short by more than 10 ms: a 10 ms concealment frame is inserted
 *     (pitch repetition, merged back by overlap-add; at most every
 *     other frame);
 *   - a late packet: the delay grows at once (80 samples from 79 or 78,
 *     linear interpolation, or the stall and the insertion above);
 *   - drift: the delay moved away from where the control last settled
 *     (more than 5 ms down while 5 ms short, or more than 10 ms up while
 *     5 ms long): 80 samples are played from 78..79 or 81..82;
 *   - more than 30 ms too long: 80 samples from 81 or 82.
 *
 *   Where the error is at least 5 ms, those last three first try to move
 *   by a whole period of the sound instead, which keeps its pitch: the
 *   lag of 5..15 ms (no more than the error, at most 10 ms to grow) at
 *   which the audio repeats best (squared difference below 1/8 of the
 *   energy) is cut out or played again, the frame fading from the audio
 *   at P into the audio that lag later or earlier.  Resampling, a 1.25
 *   or 2.5 % change of pitch while it lasts, is left for smaller errors
 *   and for sound that does not repeat (noise, where it is not heard).
 *
 *   Adjusting stops within 1 ms of the target, and the delay reached is
 *   where drift is measured from next.  With the same clock at both
 *   ends the delay does not move, so once settled a steady signal is
 *   passed through untouched.  Clock drift of +-1 % (0.8 samples per
 *   frame) keeps the delay within about 5 ms below and 10 ms above the
 *   target, and is absorbed in pauses where the buffer has too much.
 *   At a talkspurt start (marker bit, nothing buffered) P is re-anchored
 *   to the target directly: the change falls in silence.
 *
 * Concealment (G.711 Appendix I, fixed point)
 *
 *   The output runs 3.75 ms (30 samples) behind the samples produced, as
 *   in Appendix I, so the last quarter pitch period before a loss can be
 *   overlap-added.  At the start of an erasure the pitch (40..120
 *   samples) is found once by normalised cross-correlation over 20 ms
 *   (2:1 decimated coarse search, then a fine search +-1; correlations
 *   in s64, normalised with an integer square root); one period is
 *   repeated, two and three periods from the second and third 10 ms on,
 *   each change overlap-added.  After the first 10 ms the output is
 *   attenuated linearly by 20 % per 10 ms, and it is silent from 60 ms
 *   on.  The first real samples after an erasure are overlap-added with
 *   the continued synthetic signal over 1/4 pitch + 4 ms per extra 10 ms
 *   erased (at most 10 ms).  An erasure that starts from an all-zero
 *   history (stream start) is left silent and not merged.  plc_frames
 *   counts frames that carry synthetic (not yet silent) concealment.
 *
 * Discontinuities
 *
 *   A new SSRC, a sequence jump (> 3000 ahead or > 100 behind) or a
 *   timestamp that cannot be placed (more than 512 ms in the past with a
 *   new sequence number, or beyond the ring) is held on probation: the
 *   buffer resynchronises only when the next packet confirms it (same
 *   SSRC, next sequence number, timestamp up to 60 ms on).  A jump that
 *   is consistent with the sequence numbers (ts advanced by about the
 *   missing packets' worth, or marker bit set) resynchronises at once;
 *   the missing sequence numbers count as lost.  On a resynchronisation
 *   the samples of the old timeline still buffered are moved in front of
 *   the new one (an SSRC hand-over loses only the new source's first
 *   packet, to probation), and the new source starts at the target
 *   delay; the delay statistics carry over (same network path).
 */
#ifndef _LC_JBUF_H
#define _LC_JBUF_H

#include "lc_compat.h"

#define LC_JBUF_RING		4096	/* samples buffered at most: 512 ms */
#define LC_JBUF_MAX_PKT		480	/* samples per packet at most: 60 ms */
#define LC_JBUF_MAX_MS		300	/* highest max_ms accepted */
#define LC_JBUF_DEF_MIN_MS	20
#define LC_JBUF_DEF_MAX_MS	200
#define LC_JBUF_DEF_INIT_MS	40
#define LC_JBUF_ALGO_DELAY	30	/* fixed output lag of the PLC, samples */
#define LC_JBUF_HISTORY		390	/* PLC history: 3 * 120 + 30 samples */
#define LC_JBUF_SEQ_WIN		64	/* packets tracked for loss accounting */
#define LC_JBUF_BINS		64	/* delay histogram, 4 ms bins */

struct lc_jbuf_cfg {
	u32 min_ms;		/* playout delay bounds; max_ms 0: defaults */
	u32 max_ms;		/* at most LC_JBUF_MAX_MS */
	u32 init_ms;		/* initial delay; 0: LC_JBUF_DEF_INIT_MS */
};

enum lc_jbuf_res {
	LC_JBUF_OK = 0,			/* taken */
	LC_JBUF_REORDERED = 1,		/* taken, arrived out of order */
	LC_JBUF_RESYNC = 2,		/* taken, buffer resynchronised */
	LC_JBUF_DUPLICATE = -1,		/* dropped: seen before */
	LC_JBUF_LATE = -2,		/* dropped: its playout time passed */
	LC_JBUF_INVALID = -3,		/* dropped: no samples or too many */
	LC_JBUF_PROBATION = -4,		/* dropped: discontinuity, awaiting
					 * confirmation by the next packet
					 */
};

struct lc_jbuf_stats {
	u64 received;		/* packets handed in (valid sizes) */
	u64 lost;		/* missing when their playout came */
	u64 duplicated;
	u64 reordered;
	u64 late;		/* dropped: arrived after their playout */
	u64 discarded;		/* invalid, or dropped on probation */
	u64 plc_frames;		/* frames with synthesised concealment */
	u64 ssrc_changes;
	u64 resyncs;		/* includes the first packet */
	u64 drift_adjust;	/* frames played with a time-scale change */
	u64 inserted;		/* samples of delay added */
	u64 dropped;		/* samples of delay removed */
	u32 jitter_ts;		/* RFC 3550 interarrival jitter, as RTCP
				 * reports it (timestamp units)
				 */
	u32 jitter_us;		/* the same in microseconds */
	u32 playout_ms;		/* current delay (fastest packets) */
	u32 target_ms;		/* delay aimed at */
};

struct lc_jbuf_pkt {
	u32 ts;
	u16 seq;
	u16 used;
};

/* Private state; callers only allocate it (embedded, about 11 KB). */
struct lc_jbuf {
	/* configuration, in samples */
	u32 min_d;
	u32 max_d;
	u32 init_d;

	/* source */
	bool synced;
	bool cand_valid;
	bool have_transit;
	bool tg_valid;
	bool t0_valid;
	bool rx_seen;
	bool plc_zero;		/* current erasure started from silence */
	bool plc_lossy;		/* this frame synthesised concealment */
	bool boost_init;	/* the boost is the initial delay */
	bool relevel;		/* take lvl afresh at the next frame */
	bool urgent;		/* a packet came late: grow now */
	s8 adj_mode;		/* < 0 growing, 0 steady, > 0 shrinking */
	u32 ssrc;
	u16 hi_seq;		/* highest sequence number taken */
	u16 play_seq;		/* next sequence number expected to play */
	u16 last_n;		/* size of the packet at hi_seq */
	u16 cand_seq;
	u32 cand_ssrc;
	u32 cand_ts;
	u32 hi_ts;
	u64 rx_mask;		/* bit k: hi_seq - k received */
	u64 t0_ns;		/* first call */
	u64 last_rx_ns;

	/* timeline, in samples (RTP timestamp units) */
	u32 play;		/* P: next timestamp to play */
	u32 buf_end;		/* end of the newest samples stored */
	u32 tg;			/* local time of the last get */

	/* estimation */
	u32 r_lo;		/* floor of transit */
	u32 r_lo_t;		/* arrival time of its last update */
	u32 transit;		/* previous packet's, for RFC 3550 jitter */
	u32 jitter16;		/* RFC 3550 jitter * 16, samples */
	u32 boost;		/* spread forced by late packets */
	u32 boost_hold;		/* frames left before it decays */
	u32 since_late;		/* frames since a late packet, up to 20 */
	s32 lvl;		/* delay where the control last settled */

	/* concealment */
	u32 erase_cnt;		/* samples concealed in this erasure */
	u32 pitch_age;		/* samples since the last pitch search */
	u32 merge_g;		/* Q15 gain of the synthetic signal at merge */
	u16 pitch;
	u16 poverlap;
	u16 pitchblen;
	u16 poffset;
	u16 merge_len;
	u16 merge_pos;
	u16 ext_len;
	u16 ext_pos;
	u16 hist_len;

	struct lc_jbuf_stats st;

	s16 hist[LC_JBUF_HISTORY + LINECARD_FRAME_SAMPLES];
	s16 pitchbuf[LC_JBUF_HISTORY];
	s16 lastq[LC_JBUF_ALGO_DELAY];
	s16 ext_tmp[LC_JBUF_ALGO_DELAY];
	u32 bins[LC_JBUF_BINS];
	u32 bins_total;		/* sum of bins[] */
	u32 spread;		/* their 97th percentile, samples */
	u64 bins_live;		/* bit b: bins[b] still decays */
	struct lc_jbuf_pkt pkt[LC_JBUF_SEQ_WIN];
	u64 valid[LC_JBUF_RING / 64];
	s16 ring[LC_JBUF_RING];
};

void lc_jbuf_init(struct lc_jbuf *jb, const struct lc_jbuf_cfg *cfg);
void lc_jbuf_set_cfg(struct lc_jbuf *jb, const struct lc_jbuf_cfg *cfg);
int lc_jbuf_put(struct lc_jbuf *jb, u64 now_ns, u16 seq, u32 ts, u32 ssrc,
		bool marker, const s16 *pcm, unsigned int n);
void lc_jbuf_get(struct lc_jbuf *jb, u64 now_ns, s16 *out);
/*
 * The stream stopped taking packets and playing frames (a hold) and now
 * starts again: the next packet begins a new timeline, and the packets
 * the far end sent meanwhile are not counted lost.
 */
void lc_jbuf_restart(struct lc_jbuf *jb);
u64 lc_jbuf_idle_ns(const struct lc_jbuf *jb, u64 now_ns);
void lc_jbuf_get_stats(const struct lc_jbuf *jb, struct lc_jbuf_stats *st);

#endif /* _LC_JBUF_H */

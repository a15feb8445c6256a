/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP (RFC 3550) and RTCP packet arithmetic and RFC 4733 telephone-events:
 * building, parsing and validating packets, receive statistics.  Pure
 * logic; the stream code (stream.c) does the sockets and the locking.
 */
#ifndef _LC_RTP_H
#define _LC_RTP_H

#include "lc_compat.h"

#define LC_RTP_HDR_LEN		12
#define LC_RTP_VERSION		2
#define LC_TE_PAYLOAD_LEN	4	/* one RFC 4733 event */

/*
 * The fixed RTP header as it is on the wire.  Its natural layout has no
 * holes (12 bytes, checked by the unit tests), so it needs no __packed,
 * which the user-space build does not have; it is 4-byte aligned, so
 * rtp.c copies it in and out of packet buffers rather than casting them.
 */
struct lc_rtp_hdr {
	u8 vpxcc;		/* V:2 P:1 X:1 CC:4 */
	u8 mpt;			/* M:1 PT:7 */
	__be16 seq;
	__be32 ts;
	__be32 ssrc;
};

/* Why a packet was refused; each reason has its own counter. */
enum lc_rtp_err {
	LC_RTP_OK = 0,
	LC_RTP_ERR_SHORT,	/* shorter than a header */
	LC_RTP_ERR_VERSION,	/* not version 2 */
	LC_RTP_ERR_CSRC,	/* CSRC list runs past the end */
	LC_RTP_ERR_EXT,		/* header extension runs past the end */
	LC_RTP_ERR_PADDING,	/* padding count 0 or past the payload */
	LC_RTP_ERR_PT,		/* payload type not negotiated */
	LC_RTP_ERR_SSRC,	/* not the source being received */
	LC_RTP_ERR_SEQ,		/* sequence out of the acceptable window */
	LC_RTP_ERR_LEN,		/* payload length not valid for the PT */
	__LC_RTP_ERR_MAX
};

/*
 * A parsed packet: points into the caller's buffer.  The payload type and
 * the SSRC are not checked by lc_rtp_parse (the stream knows what it
 * negotiated): LC_RTP_ERR_PT, _SSRC, _SEQ and _LEN are the caller's.
 */
struct lc_rtp_pkt {
	const u8 *payload;
	unsigned int len;	/* payload bytes, without padding */
	u16 seq;
	u32 ts;
	u32 ssrc;
	u8 pt;
	bool marker;
};

/*
 * Validate the header, CSRC list, extension and padding of @len bytes at
 * @buf and fill @pkt.  Returns LC_RTP_OK or the reason for refusal (then
 * @pkt is untouched).  Never reads outside buf[0..len-1].
 */
enum lc_rtp_err lc_rtp_parse(const u8 *buf, unsigned int len,
			     struct lc_rtp_pkt *pkt);

/* Write a 12-byte header (no CSRC, no extension) to @buf. */
void lc_rtp_build(u8 *buf, u8 pt, bool marker, u16 seq, u32 ts, u32 ssrc);

/*
 * Receive statistics of one source, RFC 3550 appendix A.1, A.3 and A.8.
 * Timestamps are in RTP units (8 kHz); arrival times in the same units.
 *
 * lc_rtp_rx_init() is A.1's "new source" (init_seq(), max_seq = seq - 1,
 * probation = MIN_SEQUENTIAL): it counts nothing, so the first packet goes
 * through lc_rtp_rx_update() too, and as A.1 says, the source is valid
 * only after MIN_SEQUENTIAL (2) packets in sequence: the first is refused.
 */
struct lc_rtp_rx {
	u32 ssrc;
	u16 max_seq;
	u32 cycles;		/* shifted count of sequence wraps */
	u32 base_seq;
	u32 bad_seq;
	u32 probation;
	u32 received;
	u32 expected_prior;
	u32 received_prior;
	s32 transit;		/* of the previous packet, when started */
	u32 jitter;		/* scaled by 16, as in A.8 */
	bool started;		/* transit is set: the next packet adds jitter */
};

void lc_rtp_rx_init(struct lc_rtp_rx *rx, u32 ssrc, u16 seq);
/*
 * Account a packet that passed lc_rtp_parse; @arrival in 8 kHz units.
 * Returns false when the sequence number is to be refused (probation, or
 * a jump that the source has not yet confirmed, per A.1); a refused packet
 * is neither counted nor used for jitter.  Duplicates and late packets are
 * accepted (true) and counted, as in A.1; telling them apart is the jitter
 * buffer's job.  A confirmed jump (source restart) starts the counts anew.
 */
bool lc_rtp_rx_update(struct lc_rtp_rx *rx, u16 seq, u32 ts, u32 arrival);
u32 lc_rtp_rx_jitter(const struct lc_rtp_rx *rx);	/* RTP units */
u32 lc_rtp_rx_expected(const struct lc_rtp_rx *rx);	/* 0 in probation */
s32 lc_rtp_rx_lost(const struct lc_rtp_rx *rx);	/* cumulative, may be < 0 */
/* Fraction lost since the last call (A.3), 8-bit fixed point; updates priors. */
u8 lc_rtp_rx_fraction(struct lc_rtp_rx *rx);
u32 lc_rtp_rx_ext_max_seq(const struct lc_rtp_rx *rx);

/*
 * RFC 4733 sender: one event at a time.  lc_te_tx_start() begins an event
 * at RTP timestamp @ts; each call of lc_te_tx_next() (once a packet
 * interval) writes the next 4-byte payload and tells whether it is the
 * first packet (marker bit) and whether the event is over (the final
 * packet is sent three times, as the RFC recommends).
 *
 * Every packet of the event carries the same timestamp and a growing
 * duration: the first one @step, then 2 * @step and so on.  The packet
 * that reaches max_duration (or the first one after lc_te_tx_end()) has
 * the E bit and the final duration, and is sent three times.  An event
 * longer than 0xFFFF units (8.19 s) is cut in segments (RFC 4733
 * 2.5.1.3): the last packet of a segment has duration 0xFFFF and no E
 * bit, the next segment's timestamp is 0xFFFF later and its durations
 * count from there; no marker on a new segment (it is the same event).
 */
struct lc_te_tx {
	u8 event;
	u8 volume;		/* dBm0 below 0, 0-63 */
	u32 ts;			/* of every packet (of the segment) */
	u32 duration;		/* RTP units so far, whole event */
	u32 max_duration;	/* end once reached; 0 = until lc_te_tx_end */
	u8 ends_left;		/* end packets still to send */
	bool active;
	bool first;
	bool ending;		/* end requested (lc_te_tx_end, max_duration) */
	/* private */
	bool final;		/* duration is final: packets carry the E bit */
	bool seg_full;		/* the last packet closed a 0xFFFF segment */
	u32 seg_off;		/* duration at which the segment began */
};

void lc_te_tx_start(struct lc_te_tx *te, u8 event, u8 volume, u32 ts,
		    u32 max_duration);
/* The event's key was released: the next packets carry the end bit. */
void lc_te_tx_end(struct lc_te_tx *te);
/*
 * Advance by @step RTP units and write the payload (LC_TE_PAYLOAD_LEN
 * bytes) to @buf; the packet's RTP timestamp is then te->ts.  Returns
 * false when there is nothing to send.  *@marker is set for the first
 * packet of the event.
 */
bool lc_te_tx_next(struct lc_te_tx *te, u32 step, u8 *buf, bool *marker);

/*
 * RFC 4733 receiver: reports each event's START once and its END once.
 * A new event is a new timestamp or a new event code (a new segment of a
 * long event, RFC 4733 2.5.1.3, is not: its timestamp is the previous
 * segment's plus that segment's last duration or 0xFFFF).  When a new
 * event arrives before the end of the previous one (its end packets were
 * lost), the previous one's END is reported first, with the last duration
 * received.  Packets of an event older than the current one (reordered,
 * within 0x20000 units) and repeated end packets are ignored.
 *
 * One packet can call for up to three reports (END of the previous event,
 * START and END of a new one that arrives with the E bit set); they are
 * queued and each call returns the oldest one.  lc_te_rx_next() returns
 * the rest without a packet: call it after lc_te_rx_packet() until
 * LC_TE_NONE to report without delay.
 */
#define LC_TE_RX_QUEUE		4

struct lc_te_rx {
	u32 ts;			/* timestamp of the event (its segment) */
	u8 event;
	bool active;		/* ts and event hold an event */
	bool reported;		/* its END has been reported (queued) */
	/* private */
	u32 duration;		/* last duration received, current segment */
	u32 base;		/* duration of the earlier segments */
	u8 q_head;
	u8 q_len;
	struct {
		u8 result;	/* enum lc_te_rx_result */
		u8 event;
		u32 duration;
	} q[LC_TE_RX_QUEUE];
};

enum lc_te_rx_result {
	LC_TE_NONE = 0,
	LC_TE_START,		/* a new event began: *event, *duration so far */
	LC_TE_END,		/* the event ended: *event, *duration */
};

void lc_te_rx_init(struct lc_te_rx *te);
/*
 * One telephone-event payload (the first event of it, if it holds more
 * than one).  Returns the oldest pending report (enum lc_te_rx_result),
 * or -EINVAL when malformed (shorter than LC_TE_PAYLOAD_LEN).
 */
int lc_te_rx_packet(struct lc_te_rx *te, u32 ts, const u8 *payload,
		    unsigned int len, u8 *event, u32 *duration);
/* The next pending report, LC_TE_NONE when there is none. */
int lc_te_rx_next(struct lc_te_rx *te, u8 *event, u32 *duration);
/*
 * No more packets will come for the event in progress (the stream stopped
 * or timed out): report its END, with the last duration received.
 * Returns the oldest pending report, like lc_te_rx_next().
 */
int lc_te_rx_flush(struct lc_te_rx *te, u8 *event, u32 *duration);

/* RTCP (RFC 3550 section 6) */

#define LC_RTCP_SR		200
#define LC_RTCP_RR		201

struct lc_rtcp_report {		/* one reception report block */
	u32 ssrc;
	u8 fraction_lost;
	s32 cumulative_lost;	/* 24-bit signed on the wire */
	u32 ext_max_seq;
	u32 jitter;
	u32 lsr;		/* middle 32 bits of the last SR's NTP time */
	u32 dlsr;		/* delay since that SR, 1/65536 s */
};

struct lc_rtcp_sr_info {
	u64 ntp;		/* NTP timestamp, 32.32 fixed point */
	u32 rtp_ts;
	u32 packets;
	u32 octets;
};

/*
 * Build an SR (when @sr is not NULL) or an RR from @ssrc with at most one
 * report block (none when @rb is NULL), followed by an SDES CNAME chunk
 * (compound packet rule).  @cname is cut at 255 bytes; NULL is "".  The
 * cumulative loss is clamped to 24 bits.  Returns the length written (a
 * multiple of 4), or 0 if @size is too small.
 */
unsigned int lc_rtcp_build(u8 *buf, unsigned int size, u32 ssrc,
			   const struct lc_rtcp_sr_info *sr,
			   const struct lc_rtcp_report *rb, const char *cname);

/* What a received compound packet told us about our stream. */
struct lc_rtcp_parsed {
	bool have_sr;		/* the remote's sender report */
	u32 sr_ssrc;
	u32 sr_ntp_mid;		/* middle 32 bits, for our LSR */
	bool have_rb;		/* a report block about @our_ssrc */
	struct lc_rtcp_report rb;
};

/*
 * Validate a compound packet (RFC 3550 A.2: length a multiple of 4, every
 * packet version 2, the first an SR or RR without padding, padding only on
 * the last, lengths adding up to @len; an SR or RR must hold its report
 * blocks) and pick out what matters: the first SR, and the first report
 * block about @our_ssrc.  Returns 0, or -EINVAL (then @out means nothing).
 */
int lc_rtcp_parse(const u8 *buf, unsigned int len, u32 our_ssrc,
		  struct lc_rtcp_parsed *out);

/*
 * Round trip in 1/65536 s from a report block, given now (NTP middle 32):
 * now - LSR - DLSR (RFC 3550 6.4.1), modulo 2^32.  0 when LSR is 0 (no SR
 * received yet) or when the result is negative (clocks disagree).
 */
u32 lc_rtcp_rtt(const struct lc_rtcp_report *rb, u32 now_ntp_mid);

#endif /* _LC_RTP_H */

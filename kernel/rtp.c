// SPDX-License-Identifier: GPL-2.0
/*
 * RTP (RFC 3550) and RTCP packet arithmetic and RFC 4733 telephone-events.
 *
 * Every length is checked before the bytes it covers are read, so a packet
 * of @len bytes is never read past its end.  Wire structures have their
 * natural layout (no holes) and are copied in and out of packet buffers,
 * which need not be aligned; their fields are big-endian types read and
 * written only through be*_to_cpu / cpu_to_be* and get/put_unaligned_be*.
 * (The unit tests check that the layouts have no holes.)
 *
 * No floating point, no allocation; the jitter and loss arithmetic is the
 * integer form of RFC 3550 appendix A.
 */
#include "rtp.h"

/* RTP header, first octet */
#define LC_RTP_V_SHIFT		6
#define LC_RTP_P		0x20
#define LC_RTP_X		0x10
#define LC_RTP_CC		0x0f
/* second octet */
#define LC_RTP_M		0x80
#define LC_RTP_PT		0x7f
#define LC_RTP_EXT_HDR_LEN	4	/* profile-defined 16 bits, length 16 */

/* RFC 3550 appendix A.1 */
#define LC_RTP_SEQ_MOD		0x10000U
#define LC_RTP_MAX_DROPOUT	3000
#define LC_RTP_MAX_MISORDER	100
#define LC_RTP_MIN_SEQUENTIAL	2
/*
 * A.8: |D| is capped so that the scaled jitter (which settles at 16 |D|)
 * cannot overflow 32 bits whatever timestamps a hostile source sends.
 */
#define LC_RTP_JITTER_MAX_D	0x0fffffffU

/* RFC 4733 payload, second octet */
#define LC_TE_E			0x80
#define LC_TE_VOLUME		0x3f
#define LC_TE_MAX_DUR		0xffffU	/* longest segment, 2.5.1.3 */
#define LC_TE_END_PACKETS	3
#define LC_TE_STALE		0x20000U /* how far back a packet is late */

/* RTCP */
#define LC_RTCP_SDES		202
#define LC_RTCP_SDES_CNAME	1
#define LC_RTCP_RC		0x1f
#define LC_RTCP_P		0x20
#define LC_RTCP_MAX_CNAME	255
#define LC_RTCP_LOST_MAX	0x7fffff
#define LC_RTCP_LOST_MIN	(-0x800000)

struct lc_rtcp_hdr {
	u8 vprc;		/* V:2 P:1 RC/SC:5 */
	u8 pt;
	__be16 length;		/* in 32-bit words, minus one */
	__be32 ssrc;		/* sender (SR, RR) or first chunk (SDES) */
};

struct lc_rtcp_sender_info {
	__be32 ntp_sec;
	__be32 ntp_frac;
	__be32 rtp_ts;
	__be32 packets;
	__be32 octets;
};

struct lc_rtcp_rb_wire {
	__be32 ssrc;
	__be32 lost;		/* fraction lost:8, cumulative lost:24 */
	__be32 ext_max_seq;
	__be32 jitter;
	__be32 lsr;
	__be32 dlsr;
};

/* --- RTP header ---------------------------------------------------------- */

enum lc_rtp_err lc_rtp_parse(const u8 *buf, unsigned int len,
			     struct lc_rtp_pkt *pkt)
{
	struct lc_rtp_hdr h;
	unsigned int off, ext, pad = 0;

	if (len < LC_RTP_HDR_LEN)
		return LC_RTP_ERR_SHORT;
	memcpy(&h, buf, sizeof(h));
	if (h.vpxcc >> LC_RTP_V_SHIFT != LC_RTP_VERSION)
		return LC_RTP_ERR_VERSION;

	off = LC_RTP_HDR_LEN + 4 * (h.vpxcc & LC_RTP_CC);
	if (off > len)
		return LC_RTP_ERR_CSRC;

	if (h.vpxcc & LC_RTP_X) {
		if (len - off < LC_RTP_EXT_HDR_LEN)
			return LC_RTP_ERR_EXT;
		ext = LC_RTP_EXT_HDR_LEN + 4 * get_unaligned_be16(buf + off + 2);
		if (ext > len - off)
			return LC_RTP_ERR_EXT;
		off += ext;
	}

	/* The last octet counts the padding, itself included. */
	if (h.vpxcc & LC_RTP_P) {
		if (off == len)
			return LC_RTP_ERR_PADDING;
		pad = buf[len - 1];
		if (!pad || pad > len - off)
			return LC_RTP_ERR_PADDING;
	}

	pkt->payload = buf + off;
	pkt->len = len - off - pad;
	pkt->seq = be16_to_cpu(h.seq);
	pkt->ts = be32_to_cpu(h.ts);
	pkt->ssrc = be32_to_cpu(h.ssrc);
	pkt->pt = h.mpt & LC_RTP_PT;
	pkt->marker = h.mpt & LC_RTP_M;
	return LC_RTP_OK;
}

void lc_rtp_build(u8 *buf, u8 pt, bool marker, u16 seq, u32 ts, u32 ssrc)
{
	struct lc_rtp_hdr h = {
		.vpxcc = LC_RTP_VERSION << LC_RTP_V_SHIFT,
		.mpt = (marker ? LC_RTP_M : 0) | (pt & LC_RTP_PT),
		.seq = cpu_to_be16(seq),
		.ts = cpu_to_be32(ts),
		.ssrc = cpu_to_be32(ssrc),
	};

	memcpy(buf, &h, sizeof(h));
}

/* --- receive statistics, RFC 3550 A.1, A.3, A.8 -------------------------- */

/* A.1 init_seq() */
static void lc_rtp_init_seq(struct lc_rtp_rx *rx, u16 seq)
{
	rx->base_seq = seq;
	rx->max_seq = seq;
	rx->bad_seq = LC_RTP_SEQ_MOD + 1;	/* so seq == bad_seq is false */
	rx->cycles = 0;
	rx->received = 0;
	rx->received_prior = 0;
	rx->expected_prior = 0;
	rx->started = false;			/* new timing reference */
}

void lc_rtp_rx_init(struct lc_rtp_rx *rx, u32 ssrc, u16 seq)
{
	memset(rx, 0, sizeof(*rx));
	rx->ssrc = ssrc;
	lc_rtp_init_seq(rx, seq);
	rx->max_seq = seq - 1;
	rx->probation = LC_RTP_MIN_SEQUENTIAL;
}

/*
 * A.1 update_seq().  One deliberate difference: in probation, "in
 * sequence" is compared modulo 2^16, so that 65535 followed by 0 is in
 * sequence (A.1 compares seq with max_seq + 1 as ints, which never holds
 * at the wrap).
 */
static bool lc_rtp_update_seq(struct lc_rtp_rx *rx, u16 seq)
{
	u16 udelta = seq - rx->max_seq;

	if (rx->probation) {
		if (seq == (u16)(rx->max_seq + 1)) {
			rx->probation--;
			rx->max_seq = seq;
			if (!rx->probation) {
				lc_rtp_init_seq(rx, seq);
				rx->received++;
				return true;
			}
		} else {
			rx->probation = LC_RTP_MIN_SEQUENTIAL - 1;
			rx->max_seq = seq;
		}
		return false;
	} else if (udelta < LC_RTP_MAX_DROPOUT) {
		/* in order, with permissible gap */
		if (seq < rx->max_seq)
			rx->cycles += LC_RTP_SEQ_MOD;	/* wrapped */
		rx->max_seq = seq;
	} else if (udelta <= LC_RTP_SEQ_MOD - LC_RTP_MAX_MISORDER) {
		/* a very large jump */
		if (seq != rx->bad_seq) {
			rx->bad_seq = (seq + 1) & (LC_RTP_SEQ_MOD - 1);
			return false;
		}
		/*
		 * Two sequential packets: the source restarted without
		 * telling us, re-sync as if this were its first packet.
		 */
		lc_rtp_init_seq(rx, seq);
	} else {
		/* duplicate or reordered packet */
	}
	rx->received++;
	return true;
}

/* A.8: J += (|D(i-1, i)| - J) / 16, with J kept scaled by 16. */
static void lc_rtp_update_jitter(struct lc_rtp_rx *rx, u32 ts, u32 arrival)
{
	s32 transit = (s32)(arrival - ts);
	u32 d;

	if (!rx->started) {
		rx->transit = transit;
		rx->started = true;
		return;
	}
	d = (u32)transit - (u32)rx->transit;
	rx->transit = transit;
	if ((s32)d < 0)
		d = -d;
	d = min(d, LC_RTP_JITTER_MAX_D);
	rx->jitter += d - ((rx->jitter + 8) >> 4);
}

bool lc_rtp_rx_update(struct lc_rtp_rx *rx, u16 seq, u32 ts, u32 arrival)
{
	if (!lc_rtp_update_seq(rx, seq))
		return false;
	lc_rtp_update_jitter(rx, ts, arrival);
	return true;
}

u32 lc_rtp_rx_jitter(const struct lc_rtp_rx *rx)
{
	return rx->jitter >> 4;
}

u32 lc_rtp_rx_ext_max_seq(const struct lc_rtp_rx *rx)
{
	return rx->cycles + rx->max_seq;
}

/* A.3; nothing is expected before the source is valid. */
u32 lc_rtp_rx_expected(const struct lc_rtp_rx *rx)
{
	if (rx->probation)
		return 0;
	return lc_rtp_rx_ext_max_seq(rx) - rx->base_seq + 1;
}

s32 lc_rtp_rx_lost(const struct lc_rtp_rx *rx)
{
	return (s32)(lc_rtp_rx_expected(rx) - rx->received);
}

u8 lc_rtp_rx_fraction(struct lc_rtp_rx *rx)
{
	u32 expected = lc_rtp_rx_expected(rx);
	s32 expected_interval = (s32)(expected - rx->expected_prior);
	s32 received_interval = (s32)(rx->received - rx->received_prior);
	s32 lost_interval = expected_interval - received_interval;
	u64 fraction;

	rx->expected_prior = expected;
	rx->received_prior = rx->received;
	if (expected_interval <= 0 || lost_interval <= 0)
		return 0;
	fraction = div_u64((u64)lost_interval << 8, (u32)expected_interval);
	/* 256 if nothing at all arrived, which A.1 accounting rules out */
	return fraction > 255 ? 255 : fraction;
}

/* --- RFC 4733 sender ------------------------------------------------------ */

void lc_te_tx_start(struct lc_te_tx *te, u8 event, u8 volume, u32 ts,
		    u32 max_duration)
{
	memset(te, 0, sizeof(*te));
	te->event = event;
	te->volume = volume > LC_TE_VOLUME ? LC_TE_VOLUME : volume;
	te->ts = ts;
	te->max_duration = max_duration;
	te->ends_left = LC_TE_END_PACKETS;
	te->active = true;
	te->first = true;
}

void lc_te_tx_end(struct lc_te_tx *te)
{
	if (te->active)
		te->ending = true;
}

bool lc_te_tx_next(struct lc_te_tx *te, u32 step, u8 *buf, bool *marker)
{
	u32 dur;
	bool end;

	if (!te->active)
		return false;

	/* The previous packet closed a segment: start the next one. */
	if (te->seg_full) {
		te->ts += LC_TE_MAX_DUR;
		te->seg_off += LC_TE_MAX_DUR;
		te->seg_full = false;
	}

	if (!te->final) {
		dur = te->duration + step;
		if (dur < te->duration)
			dur = ~0U;
		if (te->max_duration && dur >= te->max_duration) {
			dur = te->max_duration;
			te->ending = true;
		}
		te->duration = dur;
		te->final = te->ending;
	}

	dur = te->duration - te->seg_off;
	end = te->final;
	if (dur > LC_TE_MAX_DUR) {
		dur = LC_TE_MAX_DUR;
		te->seg_full = true;
		end = false;
	}

	buf[0] = te->event;
	buf[1] = (end ? LC_TE_E : 0) | te->volume;
	put_unaligned_be16(dur, buf + 2);
	*marker = te->first;
	te->first = false;
	if (end && !--te->ends_left)
		te->active = false;
	return true;
}

/* --- RFC 4733 receiver ---------------------------------------------------- */

void lc_te_rx_init(struct lc_te_rx *te)
{
	memset(te, 0, sizeof(*te));
}

static void lc_te_rx_queue(struct lc_te_rx *te, u8 result, u8 event,
			   u32 duration)
{
	unsigned int i;

	if (te->q_len == LC_TE_RX_QUEUE) {	/* not drained: drop oldest */
		te->q_head = (te->q_head + 1) % LC_TE_RX_QUEUE;
		te->q_len--;
	}
	i = (te->q_head + te->q_len) % LC_TE_RX_QUEUE;
	te->q[i].result = result;
	te->q[i].event = event;
	te->q[i].duration = duration;
	te->q_len++;
}

int lc_te_rx_next(struct lc_te_rx *te, u8 *event, u32 *duration)
{
	unsigned int i = te->q_head;

	if (!te->q_len)
		return LC_TE_NONE;
	te->q_head = (i + 1) % LC_TE_RX_QUEUE;
	te->q_len--;
	*event = te->q[i].event;
	*duration = te->q[i].duration;
	return te->q[i].result;
}

/* Report the end of the current event, once. */
static void lc_te_rx_end(struct lc_te_rx *te)
{
	if (!te->active || te->reported)
		return;
	te->reported = true;
	lc_te_rx_queue(te, LC_TE_END, te->event, te->base + te->duration);
}

int lc_te_rx_packet(struct lc_te_rx *te, u32 ts, const u8 *payload,
		    unsigned int len, u8 *event, u32 *duration)
{
	u32 delta = ts - te->ts;
	bool end;
	u32 dur;
	u8 ev;

	if (!payload || len < LC_TE_PAYLOAD_LEN)
		return -EINVAL;
	ev = payload[0];
	end = payload[1] & LC_TE_E;	/* R is reserved, volume not used */
	dur = get_unaligned_be16(payload + 2);

	if (te->active && !delta && ev == te->event) {
		/* the same event: an update, an end, or a repeated end */
		if (!te->reported) {
			te->duration = max(te->duration, dur);
			if (end)
				lc_te_rx_end(te);
		}
	} else if (te->active && !te->reported && ev == te->event && delta &&
		   (delta == te->duration || delta == LC_TE_MAX_DUR)) {
		/* the next segment of a long event */
		te->base += delta;
		te->ts = ts;
		te->duration = dur;
		if (end)
			lc_te_rx_end(te);
	} else if (te->active && (s32)delta < 0 && -delta <= LC_TE_STALE) {
		/* late packet of an earlier event or segment */
	} else {
		lc_te_rx_end(te);	/* its end packets were lost */
		te->ts = ts;
		te->event = ev;
		te->active = true;
		te->reported = false;
		te->base = 0;
		te->duration = dur;
		lc_te_rx_queue(te, LC_TE_START, ev, dur);
		if (end)
			lc_te_rx_end(te);
	}
	return lc_te_rx_next(te, event, duration);
}

int lc_te_rx_flush(struct lc_te_rx *te, u8 *event, u32 *duration)
{
	lc_te_rx_end(te);
	return lc_te_rx_next(te, event, duration);
}

/* --- RTCP ----------------------------------------------------------------- */

unsigned int lc_rtcp_build(u8 *buf, unsigned int size, u32 ssrc,
			   const struct lc_rtcp_sr_info *sr,
			   const struct lc_rtcp_report *rb, const char *cname)
{
	unsigned int n = cname ? strnlen(cname, LC_RTCP_MAX_CNAME) : 0;
	unsigned int rep_len, chunk_len, off;
	struct lc_rtcp_hdr h;

	rep_len = sizeof(h) + (sr ? sizeof(struct lc_rtcp_sender_info) : 0) +
		  (rb ? sizeof(struct lc_rtcp_rb_wire) : 0);
	/* SSRC, CNAME item, at least one null octet, to a 32-bit boundary */
	chunk_len = (4 + 2 + n + 1 + 3) & ~3U;
	if (size < rep_len + 4 + chunk_len)
		return 0;

	h.vprc = LC_RTP_VERSION << LC_RTP_V_SHIFT | (rb ? 1 : 0);
	h.pt = sr ? LC_RTCP_SR : LC_RTCP_RR;
	h.length = cpu_to_be16(rep_len / 4 - 1);
	h.ssrc = cpu_to_be32(ssrc);
	memcpy(buf, &h, sizeof(h));
	off = sizeof(h);

	if (sr) {
		struct lc_rtcp_sender_info si = {
			.ntp_sec = cpu_to_be32(sr->ntp >> 32),
			.ntp_frac = cpu_to_be32((u32)sr->ntp),
			.rtp_ts = cpu_to_be32(sr->rtp_ts),
			.packets = cpu_to_be32(sr->packets),
			.octets = cpu_to_be32(sr->octets),
		};

		memcpy(buf + off, &si, sizeof(si));
		off += sizeof(si);
	}

	if (rb) {
		s32 lost = clamp(rb->cumulative_lost, LC_RTCP_LOST_MIN,
				 LC_RTCP_LOST_MAX);
		struct lc_rtcp_rb_wire w = {
			.ssrc = cpu_to_be32(rb->ssrc),
			.lost = cpu_to_be32((u32)rb->fraction_lost << 24 |
					    ((u32)lost & 0xffffff)),
			.ext_max_seq = cpu_to_be32(rb->ext_max_seq),
			.jitter = cpu_to_be32(rb->jitter),
			.lsr = cpu_to_be32(rb->lsr),
			.dlsr = cpu_to_be32(rb->dlsr),
		};

		memcpy(buf + off, &w, sizeof(w));
		off += sizeof(w);
	}

	/* SDES with one chunk: our SSRC and its CNAME */
	h.vprc = LC_RTP_VERSION << LC_RTP_V_SHIFT | 1;
	h.pt = LC_RTCP_SDES;
	h.length = cpu_to_be16((4 + chunk_len) / 4 - 1);
	memcpy(buf + off, &h, sizeof(h));
	off += sizeof(h);
	buf[off] = LC_RTCP_SDES_CNAME;
	buf[off + 1] = n;
	if (n)
		memcpy(buf + off + 2, cname, n);
	memset(buf + off + 2 + n, 0, chunk_len - 4 - 2 - n);
	return off - 4 + chunk_len;
}

/*
 * An SR or RR of @len bytes (padding excluded, at least 4) that passed the
 * compound checks: it must hold its sender SSRC, sender info and blocks.
 */
static int lc_rtcp_parse_report(const u8 *p, unsigned int len,
				u32 our_ssrc, struct lc_rtcp_parsed *out)
{
	unsigned int rc = p[0] & LC_RTCP_RC;
	unsigned int off = sizeof(struct lc_rtcp_hdr);
	struct lc_rtcp_rb_wire w;
	struct lc_rtcp_hdr h;
	unsigned int i;
	u32 lost;

	if (p[1] == LC_RTCP_SR)
		off += sizeof(struct lc_rtcp_sender_info);
	if (len < off + rc * sizeof(w))
		return -EINVAL;
	memcpy(&h, p, sizeof(h));

	if (h.pt == LC_RTCP_SR && !out->have_sr) {
		struct lc_rtcp_sender_info si;

		memcpy(&si, p + sizeof(h), sizeof(si));
		out->have_sr = true;
		out->sr_ssrc = be32_to_cpu(h.ssrc);
		out->sr_ntp_mid = be32_to_cpu(si.ntp_sec) << 16 |
				  be32_to_cpu(si.ntp_frac) >> 16;
	}

	for (i = 0; i < rc && !out->have_rb; i++, off += sizeof(w)) {
		memcpy(&w, p + off, sizeof(w));
		if (be32_to_cpu(w.ssrc) != our_ssrc)
			continue;
		lost = be32_to_cpu(w.lost);
		out->have_rb = true;
		out->rb.ssrc = our_ssrc;
		out->rb.fraction_lost = lost >> 24;
		/* sign-extend the 24-bit cumulative loss */
		out->rb.cumulative_lost = (s32)(lost << 8) >> 8;
		out->rb.ext_max_seq = be32_to_cpu(w.ext_max_seq);
		out->rb.jitter = be32_to_cpu(w.jitter);
		out->rb.lsr = be32_to_cpu(w.lsr);
		out->rb.dlsr = be32_to_cpu(w.dlsr);
	}
	return 0;
}

int lc_rtcp_parse(const u8 *buf, unsigned int len, u32 our_ssrc,
		  struct lc_rtcp_parsed *out)
{
	unsigned int off, plen, body, pad;
	u8 vprc, pt;
	int err;

	memset(out, 0, sizeof(*out));
	/* at least an SR or RR header with its SSRC, in whole words */
	if (len < sizeof(struct lc_rtcp_hdr) || len % 4)
		return -EINVAL;

	for (off = 0; off < len; off += plen) {
		/* 4 bytes at least remain: off and len are multiples of 4 */
		vprc = buf[off];
		pt = buf[off + 1];
		if (vprc >> LC_RTP_V_SHIFT != LC_RTP_VERSION)
			return -EINVAL;
		plen = 4 * (get_unaligned_be16(buf + off + 2) + 1);
		if (plen > len - off)
			return -EINVAL;
		body = plen;
		if (vprc & LC_RTCP_P) {
			/* only the last packet, never the first, is padded */
			if (!off || off + plen != len)
				return -EINVAL;
			pad = buf[len - 1];
			if (!pad || pad > plen - 4)
				return -EINVAL;
			body -= pad;
		}
		if (!off && pt != LC_RTCP_SR && pt != LC_RTCP_RR)
			return -EINVAL;
		if (pt == LC_RTCP_SR || pt == LC_RTCP_RR) {
			err = lc_rtcp_parse_report(buf + off, body, our_ssrc,
						   out);
			if (err)
				return err;
		}
	}
	return 0;
}

u32 lc_rtcp_rtt(const struct lc_rtcp_report *rb, u32 now_ntp_mid)
{
	u32 rtt;

	if (!rb->lsr)
		return 0;
	rtt = now_ntp_mid - rb->lsr - rb->dlsr;
	if ((s32)rtt < 0)
		return 0;
	return rtt;
}

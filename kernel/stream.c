// SPDX-License-Identifier: GPL-2.0
/*
 * RTP streams: the fast path.  A stream binds a port to a kernel-owned UDP
 * socket (and its RTCP companion on the next port).  Every frame tick the
 * port's mouthpiece audio is encoded and, once a packet's worth is in,
 * sent from the tick itself; packets arrive through the socket's UDP
 * encapsulation hook, are validated, decoded and queued into the jitter
 * buffer that the next ticks play out.  Nothing crosses into user space.
 *
 * Locking: a stream's state is under its port's lock, which the tick and
 * the receive hook both take.  The socket's sk_user_data points to the
 * stream under RCU; a stream is freed after its sockets are released and
 * an RCU grace period has passed.
 */
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "core.h"
#include "stream.h"

#define LC_RTCP_INTERVAL_MS	5000
#define LC_SKB_HEADROOM		(LL_MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(struct udphdr))

/* RFC 4733 events 0-15 are these DTMF digits, in this order. */
static const char lc_te_digits[] = "0123456789*#ABCD";

/*
 * Its lock is taken under port->lock (lc_stream_port_removed), which the
 * receive softirq takes: everywhere else it is taken with bottom halves
 * off, or a softirq spinning on port->lock could wait on its own CPU.
 */
static DEFINE_XARRAY_FLAGS(lc_streams, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_BH);
/* Streams to delete; XA_MARK_0 is the allocator's own (XA_FREE_MARK). */
#define LC_STREAM_REAP	XA_MARK_1
static u32 lc_streams_next;	/* under lc_streams_mutex */
static DEFINE_MUTEX(lc_streams_mutex);	/* create, modify, delete */
static void lc_stream_reap(struct work_struct *work);
static DECLARE_WORK(lc_reap_work, lc_stream_reap);

/* Samples of the current packet interval. */
static unsigned int lc_ptime_samples(const struct lc_stream *s)
{
	return s->ptime_ms * (LINECARD_SAMPLE_RATE / 1000);
}

static bool lc_dir_sends(u8 dir)
{
	return dir == LINECARD_DIR_SENDRECV || dir == LINECARD_DIR_SENDONLY;
}

static bool lc_dir_receives(u8 dir)
{
	return dir == LINECARD_DIR_SENDRECV || dir == LINECARD_DIR_RECVONLY;
}

/* ---- transmit ---- */

/*
 * Copy a packet into an skb addressed as the stream is now, and queue it
 * for lc_stream_tx_flush().  port->lock held.  Returns false when out of
 * memory.
 */
static bool lc_stream_enqueue(struct lc_stream *s, struct sk_buff_head *q,
			      const void *data, unsigned int len, bool rtcp)
{
	struct sk_buff *skb = alloc_skb(LC_SKB_HEADROOM + len, GFP_ATOMIC);
	struct lc_stream_cb *cb;

	if (!skb)
		return false;
	skb_reserve(skb, LC_SKB_HEADROOM);
	skb_put_data(skb, data, len);
	cb = LC_STREAM_CB(skb);
	cb->stream = s;
	cb->to = s->remote;
	cb->dscp = s->dscp;
	cb->rtcp = rtcp;
	__skb_queue_tail(q, skb);
	return true;
}

static int lc_send4(struct sock *sk, struct sk_buff *skb,
		    const struct sockaddr_in *dst, u8 tos)
{
	struct flowi4 fl = {
		.daddr = dst->sin_addr.s_addr,
		.fl4_dport = dst->sin_port,
		.fl4_sport = inet_sk(sk)->inet_sport,
		.flowi4_proto = IPPROTO_UDP,
		.flowi4_tos = RT_TOS(tos),
		.saddr = inet_sk(sk)->inet_saddr,
	};
	struct rtable *rt;

	rt = ip_route_output_flow(sock_net(sk), &fl, sk);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb->ignore_df = 1;
	udp_tunnel_xmit_skb(rt, sk, skb, fl.saddr, fl.daddr, tos,
			    ip4_dst_hoplimit(&rt->dst), 0, fl.fl4_sport,
			    fl.fl4_dport, false, false);
	return 0;
}

static int lc_send6(struct sock *sk, struct sk_buff *skb,
		    const struct sockaddr_in6 *dst, u8 tos)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct flowi6 fl = {
		.daddr = dst->sin6_addr,
		.fl6_dport = dst->sin6_port,
		.fl6_sport = inet_sk(sk)->inet_sport,
		.flowi6_oif = dst->sin6_scope_id,
		.flowi6_proto = IPPROTO_UDP,
		.saddr = sk->sk_v6_rcv_saddr,
	};
	struct dst_entry *dst_e;

	dst_e = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl, NULL);
	if (IS_ERR(dst_e)) {
		kfree_skb(skb);
		return PTR_ERR(dst_e);
	}
	skb->ignore_df = 1;
	udp_tunnel6_xmit_skb(dst_e, sk, skb, NULL, &fl.saddr, &fl.daddr, tos,
			     ip6_dst_hoplimit(dst_e), 0, fl.fl6_sport,
			     fl.fl6_dport, false);
	return 0;
#else
	kfree_skb(skb);
	return -EAFNOSUPPORT;
#endif
}

/*
 * Send @skb from @sock to @to (RTP) or to the RTCP port after it.
 * Called without the port lock: the socket is held by the caller's RCU
 * read section or by the stream's reference.
 */
static int lc_stream_xmit(struct socket *sock, struct sk_buff *skb,
			  const union lc_addr *to, bool rtcp, u8 dscp)
{
	u8 tos = dscp << 2;

	if (to->sa.sa_family == AF_INET) {
		struct sockaddr_in a = to->v4;

		if (rtcp)
			a.sin_port = htons(ntohs(a.sin_port) + 1);
		return lc_send4(sock->sk, skb, &a, tos);
	}
	if (to->sa.sa_family == AF_INET6) {
		struct sockaddr_in6 a = to->v6;

		if (rtcp)
			a.sin6_port = htons(ntohs(a.sin6_port) + 1);
		return lc_send6(sock->sk, skb, &a, tos);
	}
	kfree_skb(skb);
	return -EDESTADDRREQ;
}

/* Queue one RTP packet for sending after the port lock is dropped. */
static void lc_stream_queue(struct lc_stream *s, struct sk_buff_head *q, u8 pt,
			    bool marker, u32 ts, const u8 *payload, unsigned int len)
{
	u8 pkt[LC_RTP_HDR_LEN + LC_MAX_PTIME_SAMPLES];

	lc_rtp_build(pkt, pt, marker, s->seq++, ts, s->ssrc);
	memcpy(pkt + LC_RTP_HDR_LEN, payload, len);
	if (!lc_stream_enqueue(s, q, pkt, LC_RTP_HDR_LEN + len, false)) {
		s->stats.tx_dropped++;
		return;
	}
	s->stats.tx_packets++;
	s->stats.tx_octets += len;
	s->last_tx_ts = ts;
}

/*
 * The mouthpiece frame of a port that a stream owns; port->lock held.
 * Returns true when the frame must be muted (a DTMF digit sent as an
 * RFC 4733 event must not also be heard in band).
 */
bool lc_stream_tx_frame(struct lc_stream *s, const s16 *mouth, char digit,
			struct sk_buff_head *q)
{
	unsigned int n = LINECARD_FRAME_SAMPLES;
	unsigned int per_pkt = lc_ptime_samples(s);
	bool mute = false;

	if (s->te_pt != LC_NO_PT) {
		if (digit && !s->te_tx.active && !s->te_local) {
			int code = lc_te_code(digit);

			if (code >= 0) {
				lc_te_tx_start(&s->te_tx, code, 10, s->ts, 0);
				s->te_local = true;
			}
		} else if (!digit && s->te_local) {
			lc_te_tx_end(&s->te_tx);
			s->te_local = false;
		}
		mute = s->te_tx.active;
	}

	if (s->codec == LINECARD_CODEC_PCMA)
		lc_alaw_encode_buf(s->txbuf + s->txfill, mouth, n);
	else
		lc_ulaw_encode_buf(s->txbuf + s->txfill, mouth, n);
	if (mute)
		memset(s->txbuf + s->txfill, s->codec == LINECARD_CODEC_PCMA ? 0xd5 : 0xff, n);
	s->txfill += n;
	if (s->txfill < per_pkt)
		return mute;

	if (lc_dir_sends(s->dir) && s->remote.sa.sa_family) {
		u8 ev[LC_TE_PAYLOAD_LEN];
		bool marker;

		if (s->te_tx.active &&
		    lc_te_tx_next(&s->te_tx, per_pkt, ev, &marker)) {
			lc_stream_queue(s, q, s->te_pt, marker, s->te_tx.ts, ev, sizeof(ev));
			s->talkspurt = true;
		} else {
			lc_stream_queue(s, q, s->pt, s->talkspurt, s->ts, s->txbuf, per_pkt);
			s->talkspurt = false;
		}
	} else {
		/* Not sending: the next packet sent starts a talkspurt. */
		s->talkspurt = true;
	}
	s->ts += per_pkt;
	s->txfill = 0;
	return mute;
}

/* Send what the tick queued; no lock held. */
void lc_stream_tx_flush(struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		struct lc_stream_cb *cb = LC_STREAM_CB(skb);
		struct socket *sock;

		/* The stream is freed only after an RCU grace period. */
		rcu_read_lock_bh();
		sock = rcu_dereference_bh(cb->stream->sock);
		if (sock)
			lc_stream_xmit(sock, skb, &cb->to, cb->rtcp, cb->dscp);
		else
			kfree_skb(skb);
		rcu_read_unlock_bh();
	}
}

/* ---- receive ---- */

static bool lc_addr_match(const union lc_addr *a, const struct sk_buff *skb)
{
	const struct udphdr *uh = udp_hdr(skb);

	if (a->sa.sa_family == AF_INET && skb->protocol == htons(ETH_P_IP))
		return a->v4.sin_port == uh->source &&
		       a->v4.sin_addr.s_addr == ip_hdr(skb)->saddr;
#if IS_ENABLED(CONFIG_IPV6)
	if (a->sa.sa_family == AF_INET6 && skb->protocol == htons(ETH_P_IPV6))
		return a->v6.sin6_port == uh->source &&
		       ipv6_addr_equal(&a->v6.sin6_addr, &ipv6_hdr(skb)->saddr);
#endif
	return false;
}

static void lc_stream_te_reports(struct lc_stream *s, int r, u8 event, u32 duration)
{
	while (r > 0) {
		lc_stream_te_heard(s, event, r == LC_TE_START, duration);
		r = lc_te_rx_next(&s->te_rx, &event, &duration);
	}
}

static void lc_stream_rx_rtp(struct lc_stream *s, const u8 *data, unsigned int len,
			     u64 now)
{
	s16 pcm[LC_MAX_PTIME_SAMPLES];
	struct lc_rtp_pkt pkt;
	enum lc_rtp_err err;
	u32 arrival;

	err = lc_rtp_parse(data, len, &pkt);
	if (err == LC_RTP_OK && pkt.pt != s->pt &&
	    (s->te_pt == LC_NO_PT || pkt.pt != s->te_pt))
		err = LC_RTP_ERR_PT;
	if (err == LC_RTP_OK && pkt.pt == s->pt &&
	    (!pkt.len || pkt.len > LC_MAX_PTIME_SAMPLES))
		err = LC_RTP_ERR_LEN;
	if (err == LC_RTP_OK && s->rx_started && pkt.ssrc != s->rx.ssrc) {
		/* A new source must prove itself with consecutive packets. */
		if (s->cand_ssrc == pkt.ssrc && (u16)(s->cand_seq + 1) == pkt.seq) {
			s->cand_seq = pkt.seq;
			if (++s->cand_count < LC_SSRC_PROBATION)
				err = LC_RTP_ERR_SSRC;
		} else {
			s->cand_ssrc = pkt.ssrc;
			s->cand_seq = pkt.seq;
			s->cand_count = 1;
			err = LC_RTP_ERR_SSRC;
		}
		if (err == LC_RTP_OK) {
			s->rx_started = false;
			s->stats.ssrc_changes++;
		}
	}
	if (err != LC_RTP_OK) {
		s->stats.discarded++;
		s->stats.discard_reason[err]++;
		return;
	}

	arrival = (u32)div_u64(now, NSEC_PER_SEC / LINECARD_SAMPLE_RATE);
	if (!s->rx_started) {
		lc_rtp_rx_init(&s->rx, pkt.ssrc, pkt.seq);
		/*
		 * The packet comes from the negotiated address (and a new SSRC
		 * has already proved itself above): no A.1 probation, so that
		 * stray packets cannot keep the source from being accepted.
		 */
		s->rx.probation = 0;
		lc_te_rx_init(&s->te_rx);
		s->rx_started = true;
	}
	if (!lc_rtp_rx_update(&s->rx, pkt.seq, pkt.ts, arrival)) {
		/* A new source's first packets prove it (RFC 3550 A.1). */
		if (s->rx.probation) {
			s->stats.probation++;
		} else {
			s->stats.discarded++;
			s->stats.discard_reason[LC_RTP_ERR_SEQ]++;
		}
		return;
	}
	s->stats.rx_packets++;
	s->stats.rx_octets += pkt.len;
	s->heard_ns = now;
	s->timed_out = false;

	if (pkt.pt == s->te_pt) {
		u32 duration;
		u8 event;
		int r = lc_te_rx_packet(&s->te_rx, pkt.ts, pkt.payload, pkt.len,
					&event, &duration);

		if (r < 0) {
			s->stats.discarded++;
			s->stats.discard_reason[LC_RTP_ERR_LEN]++;
			return;
		}
		lc_stream_te_reports(s, r, event, duration);
		return;
	}
	if (!lc_dir_receives(s->dir))
		return;
	if (s->codec == LINECARD_CODEC_PCMA)
		lc_alaw_decode_buf(pcm, pkt.payload, pkt.len);
	else
		lc_ulaw_decode_buf(pcm, pkt.payload, pkt.len);
	lc_jbuf_put(&s->jb, now, pkt.seq, pkt.ts, pkt.ssrc, pkt.marker, pcm, pkt.len);
}

static void lc_stream_rx_rtcp(struct lc_stream *s, const u8 *data, unsigned int len,
			      u64 now)
{
	struct lc_rtcp_parsed p;

	if (lc_rtcp_parse(data, len, s->ssrc, &p)) {
		s->stats.rtcp_discarded++;
		return;
	}
	s->stats.rtcp_rx++;
	if (p.have_sr) {
		s->remote_sr_ntp_mid = p.sr_ntp_mid;
		s->remote_sr_at = now;
	}
	if (p.have_rb) {
		s->remote_rb = p.rb;
		s->have_remote_rb = true;
		s->rtt = lc_rtcp_rtt(&p.rb, lc_ntp_mid(ktime_get_real_ns()));
	}
}

/*
 * UDP encapsulation receive, for the RTP socket and the RTCP socket.
 * Every packet is consumed: what is not this stream's is counted and
 * dropped (no user-space reader is behind a kernel socket).
 */
static int lc_stream_rcv(struct sock *sk, struct sk_buff *skb, bool rtcp)
{
	unsigned int off = skb_transport_offset(skb) + sizeof(struct udphdr);
	struct lc_stream *s = rcu_dereference_sk_user_data(sk);
	struct linecard_port *port;
	u64 now;

	if (!s)
		goto drop;
	port = s->port;
	now = ktime_get_ns();

	spin_lock_bh(&port->lock);
	if (s->dead) {
		/* being torn down */
	} else if (skb_linearize(skb) || skb->len < off) {
		if (rtcp) {
			s->stats.rtcp_discarded++;
		} else {
			s->stats.discarded++;
			s->stats.discard_reason[LC_RTP_ERR_SHORT]++;
		}
	} else if (!lc_addr_match(&s->remote, skb)) {
		if (rtcp)
			s->stats.rtcp_discarded++;
		else
			s->stats.foreign++;
	} else if (rtcp) {
		lc_stream_rx_rtcp(s, skb->data + off, skb->len - off, now);
	} else {
		lc_stream_rx_rtp(s, skb->data + off, skb->len - off, now);
	}
	spin_unlock_bh(&port->lock);
drop:
	kfree_skb(skb);
	return 0;
}

static int lc_stream_rcv_rtp(struct sock *sk, struct sk_buff *skb)
{
	return lc_stream_rcv(sk, skb, false);
}

static int lc_stream_rcv_rtcp(struct sock *sk, struct sk_buff *skb)
{
	return lc_stream_rcv(sk, skb, true);
}

/* ---- the earpiece, RTCP and the timeout: once a frame ---- */

void lc_stream_te_heard(struct lc_stream *s, u8 event, bool start, u32 duration)
{
	struct linecard_event ev = {
		.type = LINECARD_EV_TELEPHONE_EVENT,
		.value = event,
		.duration_ms = duration / (LINECARD_SAMPLE_RATE / 1000),
	};
	struct linecard_tone t = { };
	u16 row, col;

	if (start) {
		/* Let the listener hear the digit, as in band DTMF would be. */
		if (event < 16 && !lc_dtmf_freqs(lc_te_digits[event], &row, &col)) {
			t.freq[0].hz = row;
			t.freq[0].dbm0 = -10;
			t.freq[1].hz = col;
			t.freq[1].dbm0 = -8;
			lc_tone_start(&s->te_tone, &t);
		}
		return;
	}
	lc_tone_stop(&s->te_tone);
	lc_port_event(s->port, &ev);
	if (event < 16) {
		struct linecard_event dig = {
			.type = LINECARD_EV_DIGIT,
			.digit = lc_te_digits[event],
			.source = LINECARD_DIGIT_RTP,
			.duration_ms = ev.duration_ms,
		};

		s->stats.digits_rx++;
		lc_port_event(s->port, &dig);
	}
}

static void lc_stream_rtcp_report(struct lc_stream *s, u64 now, struct sk_buff_head *q)
{
	struct lc_rtcp_sr_info sr;
	struct lc_rtcp_report rb;
	u64 real = ktime_get_real_ns();
	unsigned int len;
	u8 buf[128];

	if (s->stats.tx_packets) {
		sr.ntp = lc_ntp(real);
		sr.rtp_ts = s->last_tx_ts;
		sr.packets = (u32)s->stats.tx_packets;
		sr.octets = (u32)s->stats.tx_octets;
	}
	if (s->rx_started) {
		rb.ssrc = s->rx.ssrc;
		rb.fraction_lost = lc_rtp_rx_fraction(&s->rx);
		rb.cumulative_lost = lc_rtp_rx_lost(&s->rx);
		rb.ext_max_seq = lc_rtp_rx_ext_max_seq(&s->rx);
		rb.jitter = lc_rtp_rx_jitter(&s->rx);
		rb.lsr = s->remote_sr_ntp_mid;
		rb.dlsr = s->remote_sr_at ?
			  (u32)div_u64((now - s->remote_sr_at) << 16, NSEC_PER_SEC) : 0;
	}
	len = lc_rtcp_build(buf, sizeof(buf), s->ssrc,
			    s->stats.tx_packets ? &sr : NULL,
			    s->rx_started ? &rb : NULL, "linecard");
	if (!len)
		return;
	if (lc_stream_enqueue(s, q, buf, len, true))
		s->stats.rtcp_tx++;
}

/* The earpiece frame of a port that a stream owns; port->lock held. */
void lc_stream_rx_frame(struct lc_stream *s, s16 *ear, u64 now, struct sk_buff_head *q)
{
	if (lc_dir_receives(s->dir))
		lc_jbuf_get(&s->jb, now, ear);
	else
		memset(ear, 0, LINECARD_FRAME_SAMPLES * sizeof(*ear));
	if (lc_tone_active(&s->te_tone))
		lc_tone_mix(&s->te_tone, ear, LINECARD_FRAME_SAMPLES);

	/* @now is the frame's nominal time, which may trail the arrival clock. */
	if (s->timeout_ms && !s->timed_out &&
	    (s64)(now - s->heard_ns) > (s64)s->timeout_ms * NSEC_PER_MSEC) {
		struct linecard_event ev = {
			.type = LINECARD_EV_STREAM_TIMEOUT,
			.value = s->id,
		};
		u32 duration;
		u8 event;

		s->timed_out = true;
		lc_port_event(s->port, &ev);
		/* An event whose end packets never came ends now. */
		lc_stream_te_reports(s, lc_te_rx_flush(&s->te_rx, &event, &duration),
				     event, duration);
	}

	if (s->remote.sa.sa_family && s->dir != LINECARD_DIR_INACTIVE &&
	    now >= s->next_rtcp_ns) {
		/* RFC 3550 6.3.5: randomised between 0.5 and 1.5 intervals. */
		u32 ms = LC_RTCP_INTERVAL_MS / 2 + get_random_u32_below(LC_RTCP_INTERVAL_MS);

		s->next_rtcp_ns = now + (u64)ms * NSEC_PER_MSEC;
		lc_stream_rtcp_report(s, now, q);
	}
}

int lc_te_code(char digit)
{
	const char *p = digit ? strchr(lc_te_digits, digit) : NULL;

	return p ? p - lc_te_digits : -1;
}

/* NTP time (32.32 fixed point, from 1900) of a CLOCK_REALTIME time. */
u64 lc_ntp(u64 real_ns)
{
	u32 rem;
	u64 secs = div_u64_rem(real_ns, NSEC_PER_SEC, &rem) + 2208988800ULL;

	return (secs << 32) | div_u64((u64)rem << 32, NSEC_PER_SEC);
}

u32 lc_ntp_mid(u64 real_ns)
{
	return (u32)(lc_ntp(real_ns) >> 16);
}

/* ---- life cycle ---- */

static struct socket *lc_stream_socket(struct net *net, const union lc_addr *local,
				       u16 port, int (*rcv)(struct sock *, struct sk_buff *),
				       struct lc_stream *s)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = s,
		.encap_type = 1,
		.encap_rcv = rcv,
	};
	struct udp_port_cfg cfg = {
		.family = local->sa.sa_family,
		.local_udp_port = htons(port),
		.use_udp_checksums = true,
		.use_udp6_tx_checksums = true,
		.use_udp6_rx_checksums = true,
		.ipv6_v6only = true,
	};
	struct socket *sock;
	int ret;

	if (cfg.family == AF_INET)
		cfg.local_ip = local->v4.sin_addr;
#if IS_ENABLED(CONFIG_IPV6)
	else
		cfg.local_ip6 = local->v6.sin6_addr;
#endif
	ret = udp_sock_create(net, &cfg, &sock);
	if (ret)
		return ERR_PTR(ret);
	setup_udp_tunnel_sock(net, sock, &tcfg);
	return sock;
}

/*
 * Bind the RTP socket on an even port and RTCP on the next one (RFC 3550
 * 11); a requested port of 0 picks a free pair.
 */
static int lc_stream_open(struct lc_stream *s)
{
	u16 want = ntohs(s->local.sa.sa_family == AF_INET ? s->local.v4.sin_port :
			 s->local.v6.sin6_port);
	unsigned int tries = want ? 1 : 64;
	struct socket *rtp, *rtcp;

	while (tries--) {
		u16 port = want ? want : 16384 + 2 * get_random_u32_below(8192);

		rtp = lc_stream_socket(s->net, &s->local, port, lc_stream_rcv_rtp, s);
		if (IS_ERR(rtp))
			continue;
		rtcp = lc_stream_socket(s->net, &s->local, port + 1, lc_stream_rcv_rtcp, s);
		if (IS_ERR(rtcp)) {
			udp_tunnel_sock_release(rtp);
			continue;
		}
		if (s->local.sa.sa_family == AF_INET)
			s->local.v4.sin_port = htons(port);
		else
			s->local.v6.sin6_port = htons(port);
		rcu_assign_pointer(s->sock, rtp);
		s->rtcp_sock = rtcp;
		return 0;
	}
	return want ? -EADDRINUSE : -EAGAIN;
}

static void lc_stream_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct lc_stream, rcu));
}

/* Process context, lc_streams_mutex held. */
static void lc_stream_destroy(struct lc_stream *s)
{
	struct linecard_port *port = s->port;
	struct socket *sock;

	spin_lock_bh(&port->lock);
	s->dead = true;
	if (port->stream == s) {
		port->stream = NULL;
		kfifo_reset_out(&port->ear_fifo);
	}
	spin_unlock_bh(&port->lock);
	wake_up_interruptible(&port->wait);
	xa_erase_bh(&lc_streams, s->id);

	sock = rcu_dereference_protected(s->sock, lockdep_is_held(&lc_streams_mutex));
	RCU_INIT_POINTER(s->sock, NULL);
	/* Releasing the sockets waits for no reader: RCU does, below. */
	udp_tunnel_sock_release(sock);
	udp_tunnel_sock_release(s->rtcp_sock);
	lc_port_put(port);
	put_net(s->net);
	call_rcu(&s->rcu, lc_stream_free_rcu);
}

/* Delete every stream marked for reaping (owner gone, port removed). */
static void lc_stream_reap(struct work_struct *work)
{
	struct lc_stream *s;
	unsigned long id;

	mutex_lock(&lc_streams_mutex);
	xa_for_each_marked(&lc_streams, id, s, LC_STREAM_REAP)
		lc_stream_destroy(s);
	mutex_unlock(&lc_streams_mutex);
}

void lc_stream_port_removed(struct lc_stream *s)
{
	s->dead = true;
	xa_set_mark(&lc_streams, s->id, LC_STREAM_REAP);
	schedule_work(&lc_reap_work);
}

/* A netlink socket closed: its streams go with it (atomic context). */
static int lc_stream_netlink_event(struct notifier_block *nb, unsigned long state,
				   void *ptr)
{
	struct netlink_notify *n = ptr;
	struct lc_stream *s;
	unsigned long id;
	bool found = false;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	xa_lock_bh(&lc_streams);
	xa_for_each(&lc_streams, id, s) {
		if (s->owner == n->portid && net_eq(s->net, n->net)) {
			__xa_set_mark(&lc_streams, id, LC_STREAM_REAP);
			found = true;
		}
	}
	xa_unlock_bh(&lc_streams);
	if (found)
		schedule_work(&lc_reap_work);
	return NOTIFY_DONE;
}

static struct notifier_block lc_stream_notifier = {
	.notifier_call = lc_stream_netlink_event,
};

int lc_streams_init(void)
{
	BUILD_BUG_ON(sizeof(struct lc_stream_cb) > sizeof_field(struct sk_buff, cb));
	return netlink_register_notifier(&lc_stream_notifier);
}

void lc_streams_uninit(void)
{
	struct lc_stream *s;
	unsigned long id;

	netlink_unregister_notifier(&lc_stream_notifier);
	flush_work(&lc_reap_work);
	mutex_lock(&lc_streams_mutex);
	xa_for_each(&lc_streams, id, s)
		lc_stream_destroy(s);
	mutex_unlock(&lc_streams_mutex);
	rcu_barrier();
	xa_destroy(&lc_streams);
}

/* ---- control, for netlink.c ---- */

void lc_stream_params_default(struct lc_stream_params *p)
{
	memset(p, 0, sizeof(*p));
	p->codec = LINECARD_CODEC_PCMU;
	p->pt = 0;
	p->te_pt = LC_NO_PT;
	p->dir = LINECARD_DIR_SENDRECV;
	p->dscp = 46;			/* EF, RFC 3246 */
	p->ptime_ms = 20;
	p->jb_min_ms = 20;
	p->jb_max_ms = 200;
}

/* port->lock held. */
static void lc_stream_info_fill(struct lc_stream *s, struct lc_stream_info *info)
{
	struct lc_stream_params *p = &info->p;

	memset(info, 0, sizeof(*info));
	info->id = s->id;
	info->port = s->port->index;
	p->port = s->port->index;
	p->local = s->local;
	p->remote = s->remote;
	p->codec = s->codec;
	p->pt = s->pt;
	p->te_pt = s->te_pt;
	p->dir = s->dir;
	p->dscp = s->dscp;
	p->ptime_ms = s->ptime_ms;
	p->ssrc = s->ssrc;
	p->have_ssrc = true;
	p->jb_min_ms = s->jb_min_ms;
	p->jb_max_ms = s->jb_max_ms;
	p->timeout_ms = s->timeout_ms;
	info->stats = s->stats;
	lc_jbuf_get_stats(&s->jb, &info->jb);
	info->jitter_us = s->rx_started ?
		lc_rtp_rx_jitter(&s->rx) * (USEC_PER_SEC / LINECARD_SAMPLE_RATE) : 0;
	info->have_remote_rb = s->have_remote_rb;
	info->remote_rb = s->remote_rb;
	info->rtt_us = (u32)(((u64)s->rtt * USEC_PER_SEC) >> 16);
}

int lc_stream_create(struct net *net, u32 owner, const struct lc_stream_params *p,
		     struct lc_stream_info *info)
{
	struct lc_jbuf_cfg jcfg = { .min_ms = p->jb_min_ms, .max_ms = p->jb_max_ms };
	struct linecard_port *port;
	struct lc_stream *s;
	int ret;

	/*
	 * Streams of an owner that has closed its socket are reaped by a
	 * work item: let it finish, so that an owner starting again (the
	 * daemon restarted) finds the port free, not busy for a moment.
	 */
	flush_work(&lc_reap_work);
	port = lc_port_get(p->port);
	if (!port)
		return -ENODEV;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		lc_port_put(port);
		return -ENOMEM;
	}
	s->port = port;
	s->net = get_net(net);
	s->owner = owner;
	s->local = p->local;
	s->remote = p->remote;
	s->codec = p->codec;
	s->pt = p->pt;
	s->te_pt = p->te_pt;
	s->dir = p->dir;
	s->dscp = p->dscp;
	s->ptime_ms = p->ptime_ms;
	s->ssrc = p->have_ssrc ? p->ssrc : get_random_u32();
	s->seq = get_random_u16();
	s->ts = get_random_u32();
	s->talkspurt = true;
	s->timeout_ms = p->timeout_ms;
	s->heard_ns = ktime_get_ns();
	s->jb_min_ms = p->jb_min_ms;
	s->jb_max_ms = p->jb_max_ms;
	lc_jbuf_init(&s->jb, &jcfg);

	mutex_lock(&lc_streams_mutex);
	/*
	 * Cyclic: an id is not reused at once, so an event about a stream
	 * just deleted (a timeout still queued) never names its successor.
	 */
	ret = xa_alloc_cyclic_bh(&lc_streams, &s->id, s, xa_limit_31b, &lc_streams_next,
				 GFP_KERNEL);
	if (ret < 0)
		goto err_unlock;
	ret = lc_stream_open(s);
	if (ret)
		goto err_id;

	spin_lock_bh(&port->lock);
	if (port->removed)
		ret = -ENODEV;
	else if (port->stream)
		ret = -EBUSY;
	if (!ret) {
		port->stream = s;
		s->next_rtcp_ns = ktime_get_ns() + LC_RTCP_INTERVAL_MS / 2 * NSEC_PER_MSEC;
		lc_stream_info_fill(s, info);
	}
	spin_unlock_bh(&port->lock);
	if (ret) {
		/* Never attached: destroy without touching the port's stream. */
		s->dead = true;
		lc_stream_destroy(s);
		mutex_unlock(&lc_streams_mutex);
		return ret;
	}
	/* Raw PCM readers and writers now get EBUSY. */
	wake_up_interruptible(&port->wait);
	mutex_unlock(&lc_streams_mutex);
	return 0;

err_id:
	xa_erase_bh(&lc_streams, s->id);
err_unlock:
	mutex_unlock(&lc_streams_mutex);
	put_net(s->net);
	lc_port_put(port);
	kfree(s);
	return ret;
}

int lc_stream_modify(u32 id, u32 what, const struct lc_stream_params *p, u8 event)
{
	struct lc_stream *s;
	int ret = 0;

	mutex_lock(&lc_streams_mutex);
	s = xa_load(&lc_streams, id);
	if (!s) {
		ret = -ENOENT;
		goto out;
	}
	spin_lock_bh(&s->port->lock);
	if (s->dead) {
		ret = -ENOENT;
	} else if ((what & LC_SET_REMOTE) &&
		   p->remote.sa.sa_family != s->local.sa.sa_family) {
		ret = -EAFNOSUPPORT;
	} else if ((what & LC_SET_EVENT) && s->te_pt == LC_NO_PT &&
		   !(what & LC_SET_TE_PT)) {
		ret = -EOPNOTSUPP;
	}
	if (!ret) {
		if (what & LC_SET_REMOTE) {
			s->remote = p->remote;
			s->rx_started = false;
		}
		if (what & LC_SET_DIR) {
			/* Resumed: what was sent while held was not lost. */
			if (!lc_dir_receives(s->dir) && lc_dir_receives(p->dir))
				lc_jbuf_restart(&s->jb);
			s->dir = p->dir;
		}
		if (what & LC_SET_DSCP)
			WRITE_ONCE(s->dscp, p->dscp);
		if (what & LC_SET_TE_PT)
			s->te_pt = p->te_pt;
		if (what & LC_SET_TIMEOUT) {
			/* A peer that was not expected to send gets the whole time. */
			s->timeout_ms = p->timeout_ms;
			s->heard_ns = ktime_get_ns();
			s->timed_out = false;
		}
		if ((what & LC_SET_EVENT) && !s->te_tx.active) {
			/* A hook flash (16) or a digit, 100 ms long. */
			lc_te_tx_start(&s->te_tx, event, 10, s->ts,
				       100 * (LINECARD_SAMPLE_RATE / 1000));
			s->te_local = false;
		} else if (what & LC_SET_EVENT) {
			ret = -EBUSY;
		}
	}
	spin_unlock_bh(&s->port->lock);
out:
	mutex_unlock(&lc_streams_mutex);
	return ret;
}

int lc_stream_delete(u32 id)
{
	struct lc_stream *s;
	int ret = 0;

	mutex_lock(&lc_streams_mutex);
	s = xa_load(&lc_streams, id);
	if (s)
		lc_stream_destroy(s);
	else
		ret = -ENOENT;
	mutex_unlock(&lc_streams_mutex);
	return ret;
}

int lc_stream_get(u32 *id, struct lc_stream_info *info)
{
	unsigned long i = *id;
	struct lc_stream *s;
	int ret = -ENOENT;

	mutex_lock(&lc_streams_mutex);
	s = xa_find(&lc_streams, &i, U32_MAX, XA_PRESENT);
	if (s) {
		spin_lock_bh(&s->port->lock);
		lc_stream_info_fill(s, info);
		spin_unlock_bh(&s->port->lock);
		*id = i;
		ret = 0;
	}
	mutex_unlock(&lc_streams_mutex);
	return ret;
}

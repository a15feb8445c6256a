/* SPDX-License-Identifier: GPL-2.0 */
/* RTP streams (stream.c); internal to linecard.ko. */
#ifndef _LINECARD_STREAM_H
#define _LINECARD_STREAM_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>

#include "g711.h"
#include "jbuf.h"
#include "rtp.h"

#define LC_MAX_PTIME_MS		60
#define LC_MAX_PTIME_SAMPLES	(LC_MAX_PTIME_MS * LINECARD_SAMPLE_RATE / 1000)
#define LC_NO_PT		0xff
#define LC_SSRC_PROBATION	3	/* consecutive packets before a new SSRC */

struct linecard_port;

union lc_addr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

struct lc_stream_stats {
	u64 tx_packets;
	u64 tx_octets;
	u64 tx_dropped;		/* no memory or no route */
	u64 rx_packets;
	u64 rx_octets;
	u64 discarded;		/* malformed or not this stream's */
	u64 discard_reason[__LC_RTP_ERR_MAX];
	u64 foreign;		/* from an address that is not the remote */
	u64 ssrc_changes;
	u64 probation;		/* a new source's first packets */
	u64 rtcp_tx;
	u64 rtcp_rx;
	u64 rtcp_discarded;
	u64 digits_rx;
};

struct lc_stream {
	u32 id;
	struct linecard_port *port;	/* holds a device reference */
	struct net *net;
	u32 owner;			/* netlink portid of the creator */
	bool dead;			/* under port->lock: being deleted */
	struct list_head reap;

	struct socket __rcu *sock;
	struct socket *rtcp_sock;
	union lc_addr local;
	union lc_addr remote;

	/* Negotiated media, under port->lock. */
	u8 codec;
	u8 pt;
	u8 te_pt;			/* LC_NO_PT: no telephone-events */
	u8 dir;
	u8 dscp;
	u16 ptime_ms;
	u32 ssrc;
	u32 timeout_ms;
	u16 jb_min_ms;
	u16 jb_max_ms;

	/* Transmit */
	u16 seq;
	u32 ts;
	u32 last_tx_ts;
	u8 txbuf[LC_MAX_PTIME_SAMPLES];
	unsigned int txfill;
	bool talkspurt;
	struct lc_te_tx te_tx;
	bool te_local;			/* te_tx is a digit keyed on the port */
	u64 next_rtcp_ns;

	/* Receive */
	struct lc_rtp_rx rx;
	bool rx_started;
	u32 cand_ssrc;
	u16 cand_seq;
	u8 cand_count;
	struct lc_te_rx te_rx;
	struct lc_tone_gen te_tone;	/* a received digit, in the earpiece */
	struct lc_jbuf jb;
	/* Silence counts from here: the last packet, or the timeout being set. */
	u64 heard_ns;
	bool timed_out;

	/* RTCP */
	u32 remote_sr_ntp_mid;
	u64 remote_sr_at;
	bool have_remote_rb;
	struct lc_rtcp_report remote_rb;
	u32 rtt;			/* 1/65536 s */

	struct lc_stream_stats stats;
	struct rcu_head rcu;
};

/* A packet the tick queued, with where it goes as it was then. */
struct lc_stream_cb {
	struct lc_stream *stream;
	union lc_addr to;
	u8 dscp;
	bool rtcp;
};

#define LC_STREAM_CB(skb) ((struct lc_stream_cb *)(skb)->cb)

/* RFC 4733 event code of a DTMF digit, or -1. */
int lc_te_code(char digit);
/* NTP time of @real_ns (CLOCK_REALTIME), and its middle 32 bits. */
u64 lc_ntp(u64 real_ns);
u32 lc_ntp_mid(u64 real_ns);

/* Called from the frame tick with port->lock held. */
bool lc_stream_tx_frame(struct lc_stream *s, const s16 *mouth, char digit,
			struct sk_buff_head *q);
void lc_stream_rx_frame(struct lc_stream *s, s16 *ear, u64 now,
			struct sk_buff_head *q);
/* After the port lock is dropped: send what the tick queued. */
void lc_stream_tx_flush(struct sk_buff_head *q);
/* A received telephone-event started or ended; port->lock held. */
void lc_stream_te_heard(struct lc_stream *s, u8 event, bool start,
			u32 duration);

/* A port is going away: its stream goes too.  port->lock held. */
void lc_stream_port_removed(struct lc_stream *s);

int lc_streams_init(void);
void lc_streams_uninit(void);

/* What netlink asks for; fields not given keep their defaults. */
struct lc_stream_params {
	u32 port;
	union lc_addr local;
	union lc_addr remote;		/* sa_family 0: not set */
	u8 codec;
	u8 pt;
	u8 te_pt;
	u8 dir;
	u8 dscp;
	u16 ptime_ms;
	u32 ssrc;
	bool have_ssrc;
	u16 jb_min_ms;
	u16 jb_max_ms;
	u32 timeout_ms;
};

/* LINECARD_CMD_STREAM_SET: which fields of the params to apply. */
#define LC_SET_REMOTE	BIT(0)
#define LC_SET_DIR	BIT(1)
#define LC_SET_DSCP	BIT(2)
#define LC_SET_TE_PT	BIT(3)
#define LC_SET_EVENT	BIT(4)
#define LC_SET_TIMEOUT	BIT(5)

/* A consistent copy of a stream, for replies. */
struct lc_stream_info {
	u32 id;
	u32 port;
	struct lc_stream_params p;
	struct lc_stream_stats stats;
	struct lc_jbuf_stats jb;
	u32 jitter_us;
	bool have_remote_rb;
	struct lc_rtcp_report remote_rb;
	u32 rtt_us;
};

void lc_stream_params_default(struct lc_stream_params *p);
int lc_stream_create(struct net *net, u32 owner, const struct lc_stream_params *p,
		     struct lc_stream_info *info);
int lc_stream_modify(u32 id, u32 what, const struct lc_stream_params *p, u8 event);
int lc_stream_delete(u32 id);
/* The stream with the lowest id >= *id; -ENOENT at the end. */
int lc_stream_get(u32 *id, struct lc_stream_info *info);

#endif /* _LINECARD_STREAM_H */

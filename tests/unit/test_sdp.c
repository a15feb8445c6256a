// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for daemon/sdp.c.
 *
 * Peers: offers as real user agents send them (baresip, Asterisk, a Cisco
 * gateway, a call relayed by kamailio and rtpengine, Linphone, FreeSWITCH,
 * a Yealink on IPv6, sipp, a video phone, best-effort SRTP, Polycom and
 * RFC 2543 holds, RFC 4317's example), each with the whole answer text
 * expected and the stream it gives.  Then the negotiation rules one by
 * one: codec choice, telephone-event, ptime, the direction matrix written
 * out by hand, hold and resume as a sequence of re-offers, several m=
 * lines, addresses; reading answers to our offers, and every pairing of
 * two configurations talking to each other.  Every malformed input has
 * its exact message.  Hostile input: every truncation of every peer's
 * offer in a buffer of exactly its size (so valgrind sees any read past
 * it), random bytes, and a seeded mutation fuzzer whose accepted answers
 * must themselves be acceptable SDP.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define L(s) s "\r\n"

#define OUR_ADDR "192.0.2.1"
#define OUR_ADDR6 "2001:db8::1"

/* What we write before our m= lines. */
#define OUR_HEAD \
	L("v=0") L("o=- 1000 1 IN IP4 " OUR_ADDR) L("s=-") L("c=IN IP4 " OUR_ADDR) L("t=0 0")
#define OUR_HEAD6 \
	L("v=0") L("o=- 1000 1 IN IP6 " OUR_ADDR6) L("s=-") L("c=IN IP6 " OUR_ADDR6) L("t=0 0")

/* Our answer's m=audio, with and without telephone-event. */
#define ANS_TE(pt, codec, te, events, ptime, dir)					\
	L("m=audio 4000 RTP/AVP " pt " " te) L("a=rtpmap:" pt " " codec "/8000")	\
	L("a=rtpmap:" te " telephone-event/8000") L("a=fmtp:" te " " events)		\
	L("a=ptime:" ptime) L("a=" dir)
#define ANS(pt, codec, ptime, dir)						\
	L("m=audio 4000 RTP/AVP " pt) L("a=rtpmap:" pt " " codec "/8000")		\
	L("a=ptime:" ptime) L("a=" dir)

/* A peer's head, for the small offers of the rule tests. */
#define PEER_HEAD \
	L("v=0") L("o=- 7 7 IN IP4 198.51.100.9") L("s=-") L("c=IN IP4 198.51.100.9") L("t=0 0")
#define PEER_PCMU L("m=audio 5000 RTP/AVP 0")

static struct lc_sdp_prefs prefs;

static void prefs_setup(void)
{
	memset(&prefs, 0, sizeof(prefs));
	prefs.codecs[0] = LC_CODEC_PCMU;
	prefs.codecs[1] = LC_CODEC_PCMA;
	prefs.n_codecs = 2;
	prefs.rfc4733 = true;
	prefs.dir = LC_SDP_SENDRECV;
	prefs.addr = OUR_ADDR;
	prefs.port = 4000;
	prefs.sess_id = 1000;
	prefs.sess_version = 1;
}

static int answer(const char *offer, char *buf, size_t len, struct lc_media *m, char *err,
		  size_t errlen)
{
	return lc_sdp_answer(&prefs, offer, strlen(offer), buf, len, m, err, errlen);
}

/* Answer @offer, which must work; the answer text into @buf. */
static void answer_ok(const char *offer, char *buf, size_t len, struct lc_media *m)
{
	char err[256];
	int ret = answer(offer, buf, len, m, err, sizeof(err));

	ck_assert_msg(ret == 0, "error %d: %s\n%s", ret, err, offer);
	ck_assert_str_eq(err, "");
}

/* Answer @offer, which must fail with @want and the message @msg. */
static void answer_fails(const char *offer, int want, const char *msg)
{
	char buf[LC_SDP_OUT_MAX], err[256];
	struct lc_media m, before;
	int ret;

	memset(&m, 0x5a, sizeof(m));
	before = m;
	ret = answer(offer, buf, sizeof(buf), &m, err, sizeof(err));
	ck_assert_msg(ret == want, "got %d (%s), want %d\n%s", ret, err, want, offer);
	ck_assert_str_eq(err, msg);
	ck_assert_str_eq(buf, "");
	ck_assert_msg(!memcmp(&m, &before, sizeof(m)), "a failed answer changed its output");
}

/* --- our offers ----------------------------------------------------------- */

START_TEST(test_offer_default)
{
	char buf[LC_SDP_OUT_MAX], err[128] = "x";

	ck_assert_int_eq(lc_sdp_offer(&prefs, buf, sizeof(buf), err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(buf, OUR_HEAD
			 L("m=audio 4000 RTP/AVP 0 8 101")
			 L("a=rtpmap:0 PCMU/8000")
			 L("a=rtpmap:8 PCMA/8000")
			 L("a=rtpmap:101 telephone-event/8000")
			 L("a=fmtp:101 0-16")
			 L("a=ptime:20")
			 L("a=sendrecv"));
}
END_TEST

START_TEST(test_offer_variants)
{
	char buf[LC_SDP_OUT_MAX];

	/* PCMA first, in-band DTMF, 30 ms, holding the peer, a new version. */
	prefs.codecs[0] = LC_CODEC_PCMA;
	prefs.codecs[1] = LC_CODEC_PCMU;
	prefs.rfc4733 = false;
	prefs.ptime = 30;
	prefs.dir = LC_SDP_SENDONLY;
	prefs.sess_version = 2;
	ck_assert_int_eq(lc_sdp_offer(&prefs, buf, sizeof(buf), NULL, 0), 0);
	ck_assert_str_eq(buf, L("v=0") L("o=- 1000 2 IN IP4 " OUR_ADDR) L("s=-")
			 L("c=IN IP4 " OUR_ADDR) L("t=0 0")
			 L("m=audio 4000 RTP/AVP 8 0")
			 L("a=rtpmap:8 PCMA/8000")
			 L("a=rtpmap:0 PCMU/8000")
			 L("a=ptime:30")
			 L("a=sendonly"));

	/* One codec, IPv6 (written canonically), the largest numbers. */
	prefs.n_codecs = 1;
	prefs.rfc4733 = true;
	prefs.ptime = 0;
	prefs.dir = LC_SDP_INACTIVE;
	prefs.addr = "2001:DB8:0:0::1";
	prefs.port = 65535;
	prefs.sess_id = UINT64_MAX;
	prefs.sess_version = UINT64_MAX;
	ck_assert_int_eq(lc_sdp_offer(&prefs, buf, sizeof(buf), NULL, 0), 0);
	ck_assert_str_eq(buf, L("v=0")
			 L("o=- 18446744073709551615 18446744073709551615 IN IP6 2001:db8::1")
			 L("s=-") L("c=IN IP6 2001:db8::1") L("t=0 0")
			 L("m=audio 65535 RTP/AVP 8 101")
			 L("a=rtpmap:8 PCMA/8000")
			 L("a=rtpmap:101 telephone-event/8000")
			 L("a=fmtp:101 0-16")
			 L("a=ptime:20")
			 L("a=inactive"));
}
END_TEST

START_TEST(test_offer_small_buffer)
{
	char want[LC_SDP_OUT_MAX], buf[LC_SDP_OUT_MAX], err[128];
	size_t n, len;

	ck_assert_int_eq(lc_sdp_offer(&prefs, want, sizeof(want), NULL, 0), 0);
	len = strlen(want);
	for (n = 0; n <= len; n++) {
		memset(buf, 'x', sizeof(buf));
		ck_assert_int_eq(lc_sdp_offer(&prefs, buf, n, err, sizeof(err)), -ENOSPC);
		if (n)
			ck_assert_int_eq(buf[0], '\0');
		ck_assert_int_eq(buf[n], 'x');
	}
	snprintf(want, sizeof(want), "buffer of %zu bytes too small", len);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(lc_sdp_offer(&prefs, want, sizeof(want), NULL, 0), 0);
	ck_assert_int_eq(lc_sdp_offer(&prefs, buf, len + 1, NULL, 0), 0);
	ck_assert_str_eq(buf, want);
}
END_TEST

/* Each case spoils the prefs in one way. */
static const char *const prefs_errors[] = {
	"prefs: 0 codecs, not 1-2",
	"prefs: 3 codecs, not 1-2",
	"prefs: unknown codec 7",
	"prefs: codec listed twice",
	"prefs: ptime 25 is not 10-60 in steps of 10",
	"prefs: ptime 70 is not 10-60 in steps of 10",
	"prefs: ptime 5 is not 10-60 in steps of 10",
	"prefs: unknown direction 4",
	"prefs: port 0 is not 1-65535",
	"prefs: port 65536 is not 1-65535",
	"prefs: no address",
	"prefs: address 'ata.example.com' is not an IP address",
	"prefs: address '192.0.2.1\r\na=x' is not an IP address",
};

static void spoil(struct lc_sdp_prefs *p, int i)
{
	switch (i) {
	case 0:
		p->n_codecs = 0;
		break;
	case 1:
		p->n_codecs = 3;
		break;
	case 2:
		p->codecs[1] = 7;
		break;
	case 3:
		p->codecs[1] = LC_CODEC_PCMU;
		break;
	case 4:
		p->ptime = 25;
		break;
	case 5:
		p->ptime = 70;
		break;
	case 6:
		p->ptime = 5;
		break;
	case 7:
		p->dir = 4;
		break;
	case 8:
		p->port = 0;
		break;
	case 9:
		p->port = 65536;
		break;
	case 10:
		p->addr = NULL;
		break;
	case 11:
		p->addr = "ata.example.com";
		break;
	case 12:
		p->addr = "192.0.2.1\r\na=x";
		break;
	}
}

START_TEST(test_bad_prefs)
{
	char buf[LC_SDP_OUT_MAX], err[128];
	struct lc_media m;

	spoil(&prefs, _i);
	ck_assert_int_eq(lc_sdp_offer(&prefs, buf, sizeof(buf), err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, prefs_errors[_i]);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(answer(PEER_HEAD PEER_PCMU, buf, sizeof(buf), &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, prefs_errors[_i]);
	ck_assert_int_eq(lc_sdp_parse_answer(&prefs, PEER_HEAD PEER_PCMU,
					     strlen(PEER_HEAD PEER_PCMU), &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, prefs_errors[_i]);
	ck_assert_int_eq(lc_sdp_offer(NULL, buf, sizeof(buf), err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "prefs: none");
}
END_TEST

START_TEST(test_prefs_from_port)
{
	struct lc_port_config pc = {
		.codecs = { LC_CODEC_PCMA },
		.n_codecs = 1,
		.dtmf = LC_DTMF_INBAND,
	};

	lc_sdp_prefs_from_port(&prefs, &pc);
	ck_assert_uint_eq(prefs.n_codecs, 1);
	ck_assert_int_eq(prefs.codecs[0], LC_CODEC_PCMA);
	ck_assert(!prefs.rfc4733);
	/* The rest is the caller's. */
	ck_assert_str_eq(prefs.addr, OUR_ADDR);
	ck_assert_uint_eq(prefs.port, 4000);

	pc.codecs[0] = LC_CODEC_PCMU;
	pc.codecs[1] = LC_CODEC_PCMA;
	pc.n_codecs = 2;
	pc.dtmf = LC_DTMF_RFC4733;
	lc_sdp_prefs_from_port(&prefs, &pc);
	ck_assert_uint_eq(prefs.n_codecs, 2);
	ck_assert_int_eq(prefs.codecs[0], LC_CODEC_PCMU);
	ck_assert_int_eq(prefs.codecs[1], LC_CODEC_PCMA);
	ck_assert(prefs.rfc4733);
}
END_TEST

/* --- offers from real peers ----------------------------------------------------- */

struct want {
	enum lc_codec codec;
	unsigned int pt;
	unsigned int ptime;
	int te_pt;
	enum lc_sdp_dir dir;
	const char *addr;	/* remote_addr */
	unsigned int port;
	bool unspec;		/* remote has no address (null c=) */
	unsigned int index;
	uint64_t version;	/* the peer's o= */
};

struct peer {
	const char *name;
	const char *offer;
	bool ipv6;		/* we are on OUR_ADDR6 */
	const char *answer;
	struct want want;
	bool no_pcma;		/* the offer has no PCMA */
};

static const struct peer peers[] = {
	{
		"baresip", /* opus and G.722 first; a=ssrc, a=label; the video it disabled */
		L("v=0")
		L("o=- 1613137823 1736468117 IN IP4 10.0.0.5")
		L("s=-")
		L("c=IN IP4 10.0.0.5")
		L("t=0 0")
		L("m=audio 11298 RTP/AVP 96 9 0 8 101")
		L("b=AS:64")
		L("a=rtpmap:96 opus/48000/2")
		L("a=fmtp:96 stereo=1;sprop-stereo=1")
		L("a=rtpmap:9 G722/8000")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15")
		L("a=sendrecv")
		L("a=label:1")
		L("a=ssrc:1839424612 cname:6b5e8f0c-1c7e-4d2e-9b0e-3f6a2c1d9e77")
		L("a=rtcp-rsize")
		L("a=ptime:20")
		L("m=video 0 RTP/AVP 97")
		L("a=rtpmap:97 H264/90000"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-15", "20", "sendrecv")
		L("m=video 0 RTP/AVP 97"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "10.0.0.5", 11298, false, 0,
		  1736468117 },
		false,
	},
	{
		"Asterisk chan_pjsip", /* PCMA first, GSM, events 0-16, maxptime */
		L("v=0")
		L("o=- 1720020000 1720020002 IN IP4 203.0.113.5")
		L("s=Asterisk")
		L("c=IN IP4 203.0.113.5")
		L("t=0 0")
		L("m=audio 17894 RTP/AVP 8 0 3 101")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:3 GSM/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-16")
		L("a=ptime:20")
		L("a=maxptime:150")
		L("a=sendrecv"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-16", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "203.0.113.5", 17894, false, 0,
		  1720020002 },
		false,
	},
	{
		"Asterisk chan_sip", /* LF line ends, as some builds send */
		"v=0\n"
		"o=root 1821432018 1821432018 IN IP4 192.168.0.10\n"
		"s=Asterisk PBX 13.38.3\n"
		"c=IN IP4 192.168.0.10\n"
		"t=0 0\n"
		"m=audio 12028 RTP/AVP 0 8 101\n"
		"a=rtpmap:0 PCMU/8000\n"
		"a=rtpmap:8 PCMA/8000\n"
		"a=rtpmap:101 telephone-event/8000\n"
		"a=fmtp:101 0-16\n"
		"a=ptime:20\n"
		"a=maxptime:150\n"
		"a=sendrecv\n",
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-16", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "192.168.0.10", 12028, false, 0,
		  1821432018 },
		false,
	},
	{
		"Cisco IOS gateway", /* G.729 first, media-level c=, CN, no direction */
		L("v=0")
		L("o=CiscoSystemsSIP-GW-UserAgent 4087 9234 IN IP4 198.51.100.7")
		L("s=SIP Call")
		L("c=IN IP4 198.51.100.7")
		L("t=0 0")
		L("m=audio 16434 RTP/AVP 18 0 8 101 19")
		L("c=IN IP4 198.51.100.7")
		L("a=rtpmap:18 G729/8000")
		L("a=fmtp:18 annexb=no")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15")
		L("a=rtpmap:19 CN/8000")
		L("a=ptime:20"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-15", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "198.51.100.7", 16434, false, 0,
		  9234 },
		false,
	},
	{
		"kamailio with rtpengine", /* c= rewritten to the relay, a=rtcp added */
		L("v=0")
		L("o=- 3836215364 3836215364 IN IP4 10.10.1.20")
		L("s=pjmedia")
		L("b=AS:84")
		L("t=0 0")
		L("a=X-nat:0")
		L("m=audio 30000 RTP/AVP 8 101")
		L("c=IN IP4 192.0.2.50")
		L("b=TIAS:64000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-16")
		L("a=sendrecv")
		L("a=rtcp:30001")
		L("a=ssrc:1410117357 cname:1f8c2ea62f2a6b1e")
		L("a=ptime:20"),
		false,
		OUR_HEAD ANS_TE("8", "PCMA", "101", "0-16", "20", "sendrecv"),
		{ LC_CODEC_PCMA, 8, 20, 101, LC_SDP_SENDRECV, "192.0.2.50", 30000, false, 0,
		  3836215364 },
		false,
	},
	{
		"Linphone", /* static types without rtpmap, telephone-event at three rates */
		L("v=0")
		L("o=alice 2286 2928 IN IP4 192.0.2.33")
		L("s=Talk")
		L("c=IN IP4 192.0.2.33")
		L("t=0 0")
		L("a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics")
		L("m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100")
		L("a=rtpmap:96 opus/48000/2")
		L("a=fmtp:96 useinbandfec=1")
		L("a=rtpmap:97 SILK/16000")
		L("a=rtpmap:98 speex/16000")
		L("a=fmtp:98 vbr=on")
		L("a=rtpmap:18 G729/8000")
		L("a=fmtp:18 annexb=yes")
		L("a=rtpmap:101 telephone-event/48000")
		L("a=rtpmap:99 telephone-event/16000")
		L("a=rtpmap:100 telephone-event/8000")
		L("a=rtcp-fb:* trr-int 1000")
		L("a=rtcp-fb:* ccm tmmbr"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "100", "0-15", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 100, LC_SDP_SENDRECV, "192.0.2.33", 7078, false, 0, 2928 },
		false,
	},
	{
		"FreeSWITCH", /* CN, a=rtcp with an address */
		L("v=0")
		L("o=FreeSWITCH 1700000000 1700000001 IN IP4 192.0.2.80")
		L("s=FreeSWITCH")
		L("c=IN IP4 192.0.2.80")
		L("t=0 0")
		L("m=audio 24560 RTP/AVP 8 0 101 13")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-16")
		L("a=rtpmap:13 CN/8000")
		L("a=ptime:20")
		L("a=sendrecv")
		L("a=rtcp:24561 IN IP4 192.0.2.80"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-16", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "192.0.2.80", 24560, false, 0,
		  1700000001 },
		false,
	},
	{
		"Yealink on IPv6", /* attributes after a=sendrecv, address not canonical */
		L("v=0")
		L("o=- 20017 20017 IN IP6 2001:db8:0:1:0:0:0:10")
		L("s=SDP data")
		L("c=IN IP6 2001:db8:0:1:0:0:0:10")
		L("t=0 0")
		L("m=audio 11780 RTP/AVP 9 0 8 18 101")
		L("a=rtpmap:9 G722/8000")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:18 G729/8000")
		L("a=fmtp:18 annexb=no")
		L("a=ptime:20")
		L("a=sendrecv")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15"),
		true,
		OUR_HEAD6 ANS_TE("0", "PCMU", "101", "0-15", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "2001:db8:0:1::10", 11780, false, 0,
		  20017 },
		false,
	},
	{
		"sipp uac_pcap", /* no ptime, no direction, events 0-11,16 */
		L("v=0")
		L("o=user1 53655765 2353687637 IN IP4 127.0.0.1")
		L("s=-")
		L("c=IN IP4 127.0.0.1")
		L("t=0 0")
		L("m=audio 6000 RTP/AVP 8 101")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-11,16"),
		false,
		OUR_HEAD ANS_TE("8", "PCMA", "101", "0-11,16", "20", "sendrecv"),
		{ LC_CODEC_PCMA, 8, 20, 101, LC_SDP_SENDRECV, "127.0.0.1", 6000, false, 0,
		  2353687637 },
		false,
	},
	{
		"Grandstream video phone", /* audio and video; fmtp with blanks */
		L("v=0")
		L("o=1001 8000 8000 IN IP4 192.168.5.40")
		L("s=SIP Call")
		L("c=IN IP4 192.168.5.40")
		L("t=0 0")
		L("m=audio 5004 RTP/AVP 0 8 101")
		L("a=sendrecv")
		L("a=rtpmap:0 PCMU/8000")
		L("a=ptime:30")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15")
		L("m=video 5006 RTP/AVP 99")
		L("b=AS:2240")
		L("a=sendrecv")
		L("a=rtpmap:99 H264/90000")
		L("a=fmtp:99 profile-level-id=42801F; packetization-mode=1"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-15", "30", "sendrecv")
		L("m=video 0 RTP/AVP 99"),
		{ LC_CODEC_PCMU, 0, 30, 101, LC_SDP_SENDRECV, "192.168.5.40", 5004, false, 0,
		  8000 },
		false,
	},
	{
		"best-effort SRTP", /* RTP/SAVP with a=crypto, then the same in RTP/AVP */
		L("v=0")
		L("o=root 1044871223 1044871223 IN IP4 192.0.2.60")
		L("s=call")
		L("c=IN IP4 192.0.2.60")
		L("t=0 0")
		L("m=audio 62418 RTP/SAVP 8 0 101")
		L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
		  "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15")
		L("a=ptime:20")
		L("a=sendrecv")
		L("m=audio 62420 RTP/AVP 8 0 101")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15")
		L("a=ptime:20")
		L("a=sendrecv"),
		false,
		OUR_HEAD L("m=audio 0 RTP/SAVP 8")
		ANS_TE("0", "PCMU", "101", "0-15", "20", "sendrecv"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV, "192.0.2.60", 62420, false, 1,
		  1044871223 },
		false,
	},
	{
		"Polycom hold", /* a re-offer with a=sendonly at session level */
		L("v=0")
		L("o=- 1320254853 1320254854 IN IP4 192.0.2.70")
		L("s=Polycom IP Phone")
		L("c=IN IP4 192.0.2.70")
		L("t=0 0")
		L("a=sendonly")
		L("m=audio 2226 RTP/AVP 0 8 101")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-15", "20", "recvonly"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_RECVONLY, "192.0.2.70", 2226, false, 0,
		  1320254854 },
		false,
	},
	{
		"RFC 2543 hold", /* c=0.0.0.0: send nothing, and nowhere to send it */
		L("v=0")
		L("o=CiscoSystemsSIP-GW-UserAgent 4087 9235 IN IP4 198.51.100.7")
		L("s=SIP Call")
		L("c=IN IP4 0.0.0.0")
		L("t=0 0")
		L("m=audio 16434 RTP/AVP 0 101")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15")
		L("a=ptime:20"),
		false,
		OUR_HEAD ANS_TE("0", "PCMU", "101", "0-15", "20", "recvonly"),
		{ LC_CODEC_PCMU, 0, 20, 101, LC_SDP_RECVONLY, "0.0.0.0", 16434, true, 0, 9235 },
		true,
	},
	{
		"RFC 4317 example 1", /* empty s=, no telephone-event, video; trailing CRLFs */
		L("v=0")
		L("o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com")
		L("s=")
		L("c=IN IP4 192.0.2.101")
		L("t=0 0")
		L("m=audio 49170 RTP/AVP 0 8 97")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:97 iLBC/8000")
		L("m=video 51372 RTP/AVP 31 32")
		L("a=rtpmap:31 H261/90000")
		L("a=rtpmap:32 MPV/90000")
		L("") L(""),
		false,
		OUR_HEAD ANS("0", "PCMU", "20", "sendrecv")
		L("m=video 0 RTP/AVP 31"),
		{ LC_CODEC_PCMU, 0, 20, -1, LC_SDP_SENDRECV, "192.0.2.101", 49170, false, 0,
		  2890844526 },
		false,
	},
	{
		"T.38 fallback", /* image first, then audio with no final line end */
		L("v=0")
		L("o=- 1 2 IN IP4 192.0.2.90")
		L("s=-")
		L("c=IN IP4 192.0.2.90")
		L("t=0 0")
		L("m=image 40000 udptl t38")
		L("a=T38FaxVersion:0")
		L("a=T38MaxBitRate:14400")
		L("a=T38FaxRateManagement:transferredTCF")
		L("m=audio 40002 RTP/AVP 8")
		"a=ptime:20",
		false,
		OUR_HEAD L("m=image 0 udptl t38")
		ANS("8", "PCMA", "20", "sendrecv"),
		{ LC_CODEC_PCMA, 8, 20, -1, LC_SDP_SENDRECV, "192.0.2.90", 40002, false, 1, 2 },
		false,
	},
};

static void check_media(const struct lc_media *m, const struct want *w, const char *name)
{
	ck_assert_msg(m->codec == w->codec, "%s: codec %d", name, m->codec);
	ck_assert_msg(m->pt == w->pt, "%s: pt %u", name, m->pt);
	ck_assert_msg(m->ptime == w->ptime, "%s: ptime %u", name, m->ptime);
	ck_assert_msg(m->te_pt == w->te_pt, "%s: te_pt %d", name, m->te_pt);
	ck_assert_msg(m->dir == w->dir, "%s: dir %s", name, lc_sdp_dir_name(m->dir));
	ck_assert_str_eq(m->remote_addr, w->addr);
	ck_assert_uint_eq(m->remote_port, w->port);
	ck_assert_uint_eq(m->index, w->index);
	ck_assert_uint_eq(m->peer_sess_version, w->version);
	ck_assert(m->ipv6 == (strchr(w->addr, ':') != NULL));
	if (w->unspec) {
		ck_assert_int_eq(m->remote.ss_family, AF_UNSPEC);
	} else if (m->ipv6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&m->remote;
		char text[LC_SDP_ADDR_MAX];

		ck_assert_int_eq(sin6->sin6_family, AF_INET6);
		ck_assert_uint_eq(ntohs(sin6->sin6_port), w->port);
		inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
		ck_assert_str_eq(text, w->addr);
	} else {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&m->remote;
		char text[LC_SDP_ADDR_MAX];

		ck_assert_int_eq(sin->sin_family, AF_INET);
		ck_assert_uint_eq(ntohs(sin->sin_port), w->port);
		inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
		ck_assert_str_eq(text, w->addr);
	}
}

START_TEST(test_peer)
{
	const struct peer *p = &peers[_i];
	char buf[LC_SDP_OUT_MAX];
	struct lc_media m;

	if (p->ipv6)
		prefs.addr = OUR_ADDR6;
	answer_ok(p->offer, buf, sizeof(buf), &m);
	ck_assert_msg(!strcmp(buf, p->answer), "%s: answer\n%s\nwant\n%s", p->name, buf,
		      p->answer);
	check_media(&m, &p->want, p->name);
}
END_TEST

/* The same offers to a port configured for PCMA only and in-band DTMF. */
START_TEST(test_peer_pcma_inband)
{
	const struct peer *p = &peers[_i];
	char buf[LC_SDP_OUT_MAX], err[256];
	struct lc_media m;
	int ret;

	if (p->ipv6)
		prefs.addr = OUR_ADDR6;
	prefs.codecs[0] = LC_CODEC_PCMA;
	prefs.n_codecs = 1;
	prefs.rfc4733 = false;
	ret = answer(p->offer, buf, sizeof(buf), &m, err, sizeof(err));
	if (p->no_pcma) {
		ck_assert_int_eq(ret, -EPROTO);
		ck_assert_ptr_nonnull(strstr(err, "no codec in common"));
		return;
	}
	ck_assert_msg(ret == 0, "%s: %s", p->name, err);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMA);
	ck_assert_uint_eq(m.pt, 8);
	ck_assert_int_eq(m.te_pt, -1);
	ck_assert_ptr_nonnull(strstr(buf, L("m=audio 4000 RTP/AVP 8") L("a=rtpmap:8 PCMA/8000")));
	ck_assert_ptr_null(strstr(buf, "telephone-event"));
}
END_TEST

/* --- codecs --------------------------------------------------------------------- */

START_TEST(test_codec_order)
{
	const char *offer = PEER_HEAD L("m=audio 5000 RTP/AVP 8 0");
	char buf[LC_SDP_OUT_MAX];
	struct lc_media m;

	/* Ours decides, not the offerer's. */
	answer_ok(offer, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMU);
	ck_assert_str_eq(buf, OUR_HEAD ANS("0", "PCMU", "20", "sendrecv"));

	prefs.codecs[0] = LC_CODEC_PCMA;
	prefs.codecs[1] = LC_CODEC_PCMU;
	answer_ok(offer, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMA);
	ck_assert_uint_eq(m.pt, 8);

	/* Our second choice when the first is not offered. */
	answer_ok(PEER_HEAD PEER_PCMU, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMU);
}
END_TEST

START_TEST(test_codec_mapping)
{
	char buf[LC_SDP_OUT_MAX];
	struct lc_media m;

	/* A dynamic payload type for PCMU: kept. */
	answer_ok(PEER_HEAD L("m=audio 5000 RTP/AVP 96") L("a=rtpmap:96 PCMU/8000"),
		  buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMU);
	ck_assert_uint_eq(m.pt, 96);
	ck_assert_str_eq(buf, OUR_HEAD ANS("96", "PCMU", "20", "sendrecv"));

	/* Names in any case, one channel said or not. */
	answer_ok(PEER_HEAD L("m=audio 5000 RTP/AVP 8") L("a=rtpmap:8 pcma/8000/1"),
		  buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMA);

	/* The rtpmap wins over the static assignment. */
	answer_ok(PEER_HEAD L("m=audio 5000 RTP/AVP 0 8") L("a=rtpmap:0 G729/8000"),
		  buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMA);
	ck_assert_uint_eq(m.pt, 8);

	/* An rtpmap for a type not listed is ignored. */
	answer_ok(PEER_HEAD L("m=audio 5000 RTP/AVP 8") L("a=rtpmap:0 PCMU/8000"),
		  buf, sizeof(buf), &m);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMA);
}
END_TEST

struct proto_case {
	const char *offer;
	const char *err;
};

#define NO_CODEC(pts) \
	"no usable audio: m=audio on line 6: no codec in common: payload types " pts \
	" offered, we take PCMU, PCMA"

static const struct proto_case no_codec_cases[] = {
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 18 9"), NO_CODEC("18 9") },
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 96") L("a=rtpmap:96 opus/48000/2"), NO_CODEC("96") },
	/* A dynamic type needs its rtpmap. */
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 96"), NO_CODEC("96") },
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 0") L("a=rtpmap:0 PCMU/16000"), NO_CODEC("0") },
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000/2"), NO_CODEC("0") },
	/* telephone-event alone is no codec. */
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 101") L("a=rtpmap:101 telephone-event/8000"),
	  NO_CODEC("101") },
	{ PEER_HEAD L("m=audio 5000 RTP/AVP 1 2 3 4 5 6 7 9 10 11 12 13 14 15"),
	  NO_CODEC("1 2 3 4 5 6 7 9 10 11 12 13 ...") },
};

START_TEST(test_no_common_codec)
{
	answer_fails(no_codec_cases[_i].offer, -EPROTO, no_codec_cases[_i].err);
}
END_TEST

START_TEST(test_no_common_codec_ours)
{
	prefs.codecs[0] = LC_CODEC_PCMA;
	prefs.n_codecs = 1;
	answer_fails(PEER_HEAD PEER_PCMU, -EPROTO,
		     "no usable audio: m=audio on line 6: no codec in common: payload types 0 "
		     "offered, we take PCMA");
}
END_TEST

/* --- telephone-event ------------------------------------------------------------ */

struct te_case {
	const char *media;	/* after PEER_HEAD */
	bool rfc4733;
	int te_pt;		/* -1: none in the answer */
	const char *events;
};

static const struct te_case te_cases[] = {
	{ L("m=audio 5000 RTP/AVP 0"), true, -1, NULL },
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 0-15"), true, 101, "0-15" },
	{ L("m=audio 5000 RTP/AVP 0 96") L("a=rtpmap:96 telephone-event/8000")
	  L("a=fmtp:96 0-16"), true, 96, "0-16" },
	/* Without fmtp: 0-15. */
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000"),
	  true, 101, "0-15" },
	/* Events we do not know are left out. */
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 0-15,32-49,255"), true, 101, "0-15" },
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 16,0-11"), true, 101, "0-11,16" },
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 0,1,2,3,4,5,6,7,8,9,10,11,13"), true, 101, "0-11,13" },
	/* Not every key of a phone: in band. */
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 0-9"), true, -1, NULL },
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 16"), true, -1, NULL },
	/* Only at another clock rate. */
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/16000"),
	  true, -1, NULL },
	{ L("m=audio 5000 RTP/AVP 0 102 101") L("a=rtpmap:102 telephone-event/48000")
	  L("a=rtpmap:101 TELEPHONE-EVENT/8000"), true, 101, "0-15" },
	/* Two at 8000: the first with the keys. */
	{ L("m=audio 5000 RTP/AVP 0 100 101") L("a=rtpmap:100 telephone-event/8000")
	  L("a=fmtp:100 0-9") L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-15"),
	  true, 101, "0-15" },
	/* Offered, but the port does DTMF in band. */
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 0-15"), false, -1, NULL },
	/* Not listed on the m= line. */
	{ L("m=audio 5000 RTP/AVP 0") L("a=rtpmap:101 telephone-event/8000"), true, -1, NULL },
};

START_TEST(test_telephone_event)
{
	const struct te_case *c = &te_cases[_i];
	char offer[1024], buf[LC_SDP_OUT_MAX], want[LC_SDP_OUT_MAX];
	struct lc_media m;

	snprintf(offer, sizeof(offer), "%s%s", PEER_HEAD, c->media);
	prefs.rfc4733 = c->rfc4733;
	answer_ok(offer, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.te_pt, c->te_pt);
	ck_assert_int_eq(m.codec, LC_CODEC_PCMU);
	if (c->te_pt < 0)
		snprintf(want, sizeof(want), "%s", OUR_HEAD ANS("0", "PCMU", "20", "sendrecv"));
	else
		snprintf(want, sizeof(want), OUR_HEAD L("m=audio 4000 RTP/AVP 0 %d")
			 L("a=rtpmap:0 PCMU/8000") L("a=rtpmap:%d telephone-event/8000")
			 L("a=fmtp:%d %s") L("a=ptime:20") L("a=sendrecv"),
			 c->te_pt, c->te_pt, c->te_pt, c->events);
	ck_assert_str_eq(buf, want);
}
END_TEST

/* --- ptime ------------------------------------------------------------------------ */

struct ptime_case {
	const char *session;	/* session-level attributes, before m= */
	const char *media;	/* media-level attributes */
	unsigned int ours;
	unsigned int want;
};

static const struct ptime_case ptime_cases[] = {
	{ "", "", 0, 20 },
	{ "", "", 30, 30 },
	{ "", L("a=ptime:10"), 0, 10 },
	{ "", L("a=ptime:30"), 0, 30 },
	{ "", L("a=ptime:40"), 20, 40 },
	{ "", L("a=ptime:60"), 20, 60 },
	/* Not a multiple of 10, or out of range: ours. */
	{ "", L("a=ptime:25"), 30, 30 },
	{ "", L("a=ptime:70"), 30, 30 },
	{ "", L("a=ptime:0"), 30, 30 },
	{ "", L("a=ptime:5"), 20, 20 },
	{ "", L("a=ptime:20.0"), 30, 20 },
	{ "", L("a=ptime:20.5"), 30, 30 },
	{ "", L("a=ptime:00040"), 20, 40 },
	/* maxptime caps it, rounded down to a multiple of 10. */
	{ "", L("a=ptime:40") L("a=maxptime:30"), 20, 30 },
	{ "", L("a=maxptime:15"), 20, 10 },
	{ "", L("a=maxptime:5"), 20, 10 },
	{ "", L("a=maxptime:150"), 60, 60 },
	{ "", L("a=ptime:30") L("a=maxptime:150"), 20, 30 },
	{ "", L("a=maxptime:0"), 30, 30 },
	{ "", L("a=maxptime:20.5"), 30, 30 },
	/* At session level, where some peers put it; the media's wins. */
	{ L("a=ptime:30"), "", 20, 30 },
	{ L("a=ptime:30"), L("a=ptime:10"), 20, 10 },
	{ L("a=maxptime:20"), L("a=ptime:40"), 30, 20 },
};

START_TEST(test_ptime)
{
	const struct ptime_case *c = &ptime_cases[_i];
	char offer[1024], buf[LC_SDP_OUT_MAX], want[32];
	struct lc_media m;

	snprintf(offer, sizeof(offer), "%s%s%s%s", PEER_HEAD, c->session, PEER_PCMU, c->media);
	prefs.ptime = c->ours;
	answer_ok(offer, buf, sizeof(buf), &m);
	ck_assert_msg(m.ptime == c->want, "case %d: ptime %u, want %u", _i, m.ptime, c->want);
	snprintf(want, sizeof(want), "a=ptime:%u\r\n", c->want);
	ck_assert_ptr_nonnull(strstr(buf, want));
}
END_TEST

/* --- direction --------------------------------------------------------------------- */

/*
 * What we do, by the offer's attribute (rows: none, sendrecv, sendonly,
 * recvonly, inactive) and by ours (columns: sendrecv, sendonly, recvonly,
 * inactive); b = sendrecv, s = sendonly, r = recvonly, i = inactive.
 */
static const char *const dir_matrix[] = {
	"bsri", "bsri", "riri", "ssii", "iiii",
};

/* The same when the offer's address is null: the peer receives nothing. */
static const char *const dir_matrix_null[] = {
	"riri", "riri", "riri", "iiii", "iiii",
};

static const char *const offer_dirs[] = { "", "sendrecv", "sendonly", "recvonly", "inactive" };

static enum lc_sdp_dir dir_letter(char c)
{
	switch (c) {
	case 'b':
		return LC_SDP_SENDRECV;
	case 's':
		return LC_SDP_SENDONLY;
	case 'r':
		return LC_SDP_RECVONLY;
	}
	return LC_SDP_INACTIVE;
}

START_TEST(test_direction_matrix)
{
	unsigned int i;

	for (i = 0; i < 2 * 2 * ARRAY_SIZE(offer_dirs) * 4; i++) {
		unsigned int ours = i % 4, row = i / 4 % ARRAY_SIZE(offer_dirs);
		unsigned int level = i / 4 / ARRAY_SIZE(offer_dirs) % 2;
		unsigned int null = i / 4 / ARRAY_SIZE(offer_dirs) / 2;
		char offer[512], attr[32] = "", buf[LC_SDP_OUT_MAX], want[32];
		enum lc_sdp_dir w;
		struct lc_media m;

		if (*offer_dirs[row])
			snprintf(attr, sizeof(attr), "a=%s\r\n", offer_dirs[row]);
		/* The attribute at session level (level 1) or in the media. */
		snprintf(offer, sizeof(offer), "%s%s%s%s%s",
			 L("v=0") L("o=- 7 7 IN IP4 198.51.100.9") L("s=-"),
			 null ? L("c=IN IP4 0.0.0.0") : L("c=IN IP4 198.51.100.9"),
			 L("t=0 0"), level ? attr : PEER_PCMU, level ? PEER_PCMU : attr);
		prefs.dir = ours;
		answer_ok(offer, buf, sizeof(buf), &m);
		w = dir_letter((null ? dir_matrix_null : dir_matrix)[row][ours]);
		ck_assert_msg(m.dir == w, "offer %s%s, ours %s: %s, want %s",
			      offer_dirs[row], null ? " c=0.0.0.0" : "", lc_sdp_dir_name(ours),
			      lc_sdp_dir_name(m.dir), lc_sdp_dir_name(w));
		snprintf(want, sizeof(want), "\r\na=%s\r\n", lc_sdp_dir_name(w));
		ck_assert_ptr_nonnull(strstr(buf, want));
		ck_assert_int_eq(m.remote.ss_family, null ? AF_UNSPEC : AF_INET);
	}
}
END_TEST

START_TEST(test_direction_levels)
{
	char buf[LC_SDP_OUT_MAX];
	struct lc_media m;

	/* The media's attribute wins over the session's. */
	answer_ok(PEER_HEAD L("a=sendonly") PEER_PCMU L("a=sendrecv"), buf, sizeof(buf), &m);
	ck_assert_int_eq(m.dir, LC_SDP_SENDRECV);
	answer_ok(PEER_HEAD L("a=inactive") PEER_PCMU L("a=recvonly"), buf, sizeof(buf), &m);
	ck_assert_int_eq(m.dir, LC_SDP_SENDONLY);
	/* The session's applies to every media without one. */
	answer_ok(PEER_HEAD L("a=recvonly") L("m=video 5002 RTP/AVP 96") L("a=sendrecv")
		  PEER_PCMU, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.dir, LC_SDP_SENDONLY);
	/* IPv6's null address holds too. */
	prefs.addr = OUR_ADDR6;
	answer_ok(L("v=0") L("o=- 7 7 IN IP6 ::1") L("s=-") L("c=IN IP6 ::") L("t=0 0")
		  PEER_PCMU, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.dir, LC_SDP_RECVONLY);
	ck_assert_str_eq(m.remote_addr, "::");
	ck_assert_int_eq(m.remote.ss_family, AF_UNSPEC);
	ck_assert(m.ipv6);
	/* The null address of the other family is still a hold. */
	answer_ok(L("v=0") L("o=- 7 7 IN IP4 0.0.0.0") L("s=-") L("c=IN IP4 0.0.0.0")
		  L("t=0 0") PEER_PCMU, buf, sizeof(buf), &m);
	ck_assert_int_eq(m.dir, LC_SDP_RECVONLY);
}
END_TEST

/* A call's life: put on hold in both styles, resumed at a new address. */
#define CALL(ver, c, dir) \
	L("v=0") L("o=peer 4711 " #ver " IN IP4 198.51.100.20") L("s=-") L("c=IN IP4 " c) \
	L("t=0 0") L("m=audio 5000 RTP/AVP 8 0 101") L("a=rtpmap:101 telephone-event/8000") \
	L("a=fmtp:101 0-15") dir

START_TEST(test_hold_resume)
{
	char buf[LC_SDP_OUT_MAX], first[LC_SDP_OUT_MAX];
	struct lc_media m0, m1, m2, m3, m4, m5;

	answer_ok(CALL(1, "198.51.100.20", ""), first, sizeof(first), &m0);
	ck_assert_int_eq(m0.dir, LC_SDP_SENDRECV);
	ck_assert_uint_eq(m0.peer_sess_id, 4711);
	ck_assert_uint_eq(m0.peer_sess_version, 1);

	/* The same version again (a session refresh): the same answer. */
	answer_ok(CALL(1, "198.51.100.20", ""), buf, sizeof(buf), &m1);
	ck_assert_str_eq(buf, first);
	ck_assert_uint_eq(lc_media_diff(&m0, &m1), 0);

	/* Held with a=sendonly: we only listen (to music on hold). */
	answer_ok(CALL(2, "198.51.100.20", L("a=sendonly")), buf, sizeof(buf), &m2);
	ck_assert_int_eq(m2.dir, LC_SDP_RECVONLY);
	ck_assert_uint_eq(m2.peer_sess_version, 2);
	ck_assert_uint_eq(lc_media_diff(&m1, &m2), LC_MEDIA_CHANGED_DIR);
	ck_assert_ptr_nonnull(strstr(buf, L("a=recvonly")));

	/* Held with a=inactive. */
	answer_ok(CALL(3, "198.51.100.20", L("a=inactive")), buf, sizeof(buf), &m3);
	ck_assert_int_eq(m3.dir, LC_SDP_INACTIVE);
	ck_assert_uint_eq(lc_media_diff(&m2, &m3), LC_MEDIA_CHANGED_DIR);

	/* Held the RFC 2543 way: the address changes too. */
	answer_ok(CALL(4, "0.0.0.0", ""), buf, sizeof(buf), &m4);
	ck_assert_int_eq(m4.dir, LC_SDP_RECVONLY);
	ck_assert_uint_eq(lc_media_diff(&m3, &m4),
			  LC_MEDIA_CHANGED_DIR | LC_MEDIA_CHANGED_REMOTE);

	/* Resumed from another address (a transfer, a new relay). */
	answer_ok(CALL(5, "198.51.100.21", L("a=sendrecv")), buf, sizeof(buf), &m5);
	ck_assert_int_eq(m5.dir, LC_SDP_SENDRECV);
	ck_assert_str_eq(m5.remote_addr, "198.51.100.21");
	ck_assert_uint_eq(lc_media_diff(&m4, &m5),
			  LC_MEDIA_CHANGED_DIR | LC_MEDIA_CHANGED_REMOTE);
	ck_assert_uint_eq(lc_media_diff(&m0, &m5), LC_MEDIA_CHANGED_REMOTE);

	/* We hold them: our offer says sendonly, their answer recvonly. */
	prefs.dir = LC_SDP_SENDONLY;
	prefs.sess_version = 2;
	ck_assert_int_eq(lc_sdp_offer(&prefs, buf, sizeof(buf), NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(buf, L("o=- 1000 2 IN IP4 " OUR_ADDR)));
	ck_assert_ptr_nonnull(strstr(buf, L("a=sendonly")));
}
END_TEST

START_TEST(test_media_diff)
{
	struct lc_media a, b;
	char buf[LC_SDP_OUT_MAX];

	answer_ok(CALL(1, "198.51.100.20", ""), buf, sizeof(buf), &a);
	b = a;
	ck_assert_uint_eq(lc_media_diff(&a, &b), 0);
	ck_assert_int_eq(a.codec, LC_CODEC_PCMU);
	b.codec = LC_CODEC_PCMA;
	ck_assert_uint_eq(lc_media_diff(&a, &b), LC_MEDIA_CHANGED_CODEC);
	b = a;
	b.pt = 96;
	ck_assert_uint_eq(lc_media_diff(&a, &b), LC_MEDIA_CHANGED_CODEC);
	b = a;
	b.ptime = 30;
	ck_assert_uint_eq(lc_media_diff(&a, &b), LC_MEDIA_CHANGED_CODEC);
	b = a;
	b.te_pt = -1;
	ck_assert_uint_eq(lc_media_diff(&a, &b), LC_MEDIA_CHANGED_TE);
	b = a;
	b.remote_port = 5002;
	ck_assert_uint_eq(lc_media_diff(&a, &b), LC_MEDIA_CHANGED_REMOTE);
	/* A new session version alone changes nothing. */
	b = a;
	b.peer_sess_version++;
	ck_assert_uint_eq(lc_media_diff(&a, &b), 0);
}
END_TEST

/* --- several m= lines, addresses ------------------------------------------------- */

START_TEST(test_media_lines)
{
	char buf[LC_SDP_OUT_MAX];
	struct lc_media m;

	/* Video first, then two audio: the first usable audio. */
	answer_ok(PEER_HEAD L("m=video 5002 RTP/AVP 96") L("a=rtpmap:96 VP8/90000")
		  L("m=audio 5000 RTP/AVP 0") L("m=audio 5004 RTP/AVP 8"),
		  buf, sizeof(buf), &m);
	ck_assert_str_eq(buf, OUR_HEAD L("m=video 0 RTP/AVP 96")
			 ANS("0", "PCMU", "20", "sendrecv") L("m=audio 0 RTP/AVP 8"));
	ck_assert_uint_eq(m.index, 1);
	ck_assert_uint_eq(m.remote_port, 5000);

	/* A disabled audio stream, one we have no codec for, then ours. */
	answer_ok(PEER_HEAD L("m=audio 0 RTP/AVP 0") L("m=audio 5002 RTP/AVP 18")
		  L("m=audio 5004 RTP/AVP 8") L("m=text 5006 RTP/AVP 98")
		  L("a=rtpmap:98 t140/1000") L("m=application 5008 TCP/MSRP *"),
		  buf, sizeof(buf), &m);
	ck_assert_str_eq(buf, OUR_HEAD L("m=audio 0 RTP/AVP 0") L("m=audio 0 RTP/AVP 18")
			 ANS("8", "PCMA", "20", "sendrecv") L("m=text 0 RTP/AVP 98")
			 L("m=application 0 TCP/MSRP *"));
	ck_assert_uint_eq(m.index, 2);

	/* Per-media c= wins over the session's. */
	answer_ok(PEER_HEAD L("m=audio 5000 RTP/AVP 0") L("c=IN IP4 203.0.113.77"),
		  buf, sizeof(buf), &m);
	ck_assert_str_eq(m.remote_addr, "203.0.113.77");

	/* A rejected stream needs no c=. */
	answer_ok(L("v=0") L("o=- 1 1 IN IP4 x") L("s=-") L("t=0 0")
		  L("m=video 0 RTP/AVP 96") L("m=audio 5000 RTP/AVP 0") L("c=IN IP4 192.0.2.7"),
		  buf, sizeof(buf), &m);
	ck_assert_uint_eq(m.index, 1);

	/* As many m= lines as we take, each with the longest tokens: it fits. */
	prefs.addr = "2001:db8:1234:5678:9abc:def0:1234:5678";
	prefs.sess_id = UINT64_MAX;
	prefs.sess_version = UINT64_MAX;
	{
		const char *tok = "abcdefghijklmnopqrstuvwxyz012345";
		char offer[4096] = L("v=0") L("o=- 1 1 IN IP6 ::1") L("s=-")
				   L("c=IN IP6 2001:db8::9") L("t=0 0");
		char err[128];
		int i;

		for (i = 0; i < LC_SDP_MEDIA_MAX - 1; i++)
			snprintf(offer + strlen(offer), sizeof(offer) - strlen(offer),
				 "m=%s 1 %s %s\r\n", tok, tok, tok);
		strcat(offer, L("m=audio 5000 RTP/AVP 8 101") L("a=rtpmap:101 telephone-event/8000")
		       L("a=fmtp:101 0,2,4,6,8,10-11,1,3,5,7,9,14,16") L("a=ptime:60"));
		ck_assert_int_eq(answer(offer, buf, sizeof(buf), &m, err, sizeof(err)), 0);
		ck_assert_uint_eq(m.index, LC_SDP_MEDIA_MAX - 1);
		ck_assert_ptr_nonnull(strstr(buf, "a=fmtp:101 0-11,14,16\r\n"));
		ck_assert_uint_lt(strlen(buf), LC_SDP_OUT_MAX);
	}
}
END_TEST

static const struct proto_case unusable_cases[] = {
	{ PEER_HEAD, "no m=audio line" },
	{ PEER_HEAD L("m=video 5000 RTP/AVP 96"), "no m=audio line" },
	{ PEER_HEAD L("m=image 5000 udptl t38"), "no m=audio line" },
	{ PEER_HEAD L("m=audio 0 RTP/AVP 0"),
	  "no usable audio: m=audio on line 6: port 0: the stream is disabled" },
	{ PEER_HEAD L("m=audio 5000/2 RTP/AVP 0"),
	  "no usable audio: m=audio on line 6: a port count (m=audio <port>/<count>) is not "
	  "supported" },
	{ PEER_HEAD L("m=audio 5000 RTP/SAVP 0"),
	  "no usable audio: m=audio on line 6: profile RTP/SAVP is not RTP/AVP" },
	{ PEER_HEAD L("m=audio 5000 UDP/TLS/RTP/SAVPF 0"),
	  "no usable audio: m=audio on line 6: profile UDP/TLS/RTP/SAVPF is not RTP/AVP" },
	{ PEER_HEAD L("m=audio 5000 RTP/AVPF 0"),
	  "no usable audio: m=audio on line 6: profile RTP/AVPF is not RTP/AVP" },
	/* The first audio's reason is the one given. */
	{ PEER_HEAD L("m=audio 5000 RTP/SAVP 0") L("m=audio 5002 RTP/AVP 18"),
	  "no usable audio: m=audio on line 6: profile RTP/SAVP is not RTP/AVP" },
	{ L("v=0") L("o=- 1 1 IN IP4 pbx.example.com") L("s=-")
	  L("c=IN IP4 pbx.example.com") L("t=0 0") PEER_PCMU,
	  "no usable audio: m=audio on line 6: address pbx.example.com is a host name "
	  "(names are not resolved)" },
	{ PEER_HEAD PEER_PCMU L("c=IN IP4 224.2.1.1/127"),
	  "no usable audio: m=audio on line 6: address 224.2.1.1 is multicast" },
	{ PEER_HEAD PEER_PCMU L("c=IN IP6 ff15::101"),
	  "no usable audio: m=audio on line 6: address ff15::101 is multicast" },
	{ PEER_HEAD PEER_PCMU L("c=IN IP6 2001:db8::5"),
	  "no usable audio: m=audio on line 6: address 2001:db8::5 is not IPv4 like ours" },
	{ PEER_HEAD PEER_PCMU L("c=ATM NSAP 47.0091.8100.0000.0060.3e64.fd01.0060.3e64.fd01.00"),
	  "no usable audio: m=audio on line 6: network type ATM is not IN" },
	{ PEER_HEAD PEER_PCMU L("c=IN E164 +15555550100"),
	  "no usable audio: m=audio on line 6: address type E164 is not IP4 or IP6" },
};

START_TEST(test_unusable)
{
	answer_fails(unusable_cases[_i].offer, -EPROTO, unusable_cases[_i].err);
}
END_TEST

START_TEST(test_ipv6_family)
{
	char buf[LC_SDP_OUT_MAX];
	struct lc_media m;

	prefs.addr = OUR_ADDR6;
	answer_fails(PEER_HEAD PEER_PCMU, -EPROTO,
		     "no usable audio: m=audio on line 6: address 198.51.100.9 is not IPv6 "
		     "like ours");
	/* An IPv4 stream after it, the IPv6 one is taken. */
	answer_ok(PEER_HEAD PEER_PCMU L("m=audio 5002 RTP/AVP 0") L("c=IN IP6 2001:DB8::7"),
		  buf, sizeof(buf), &m);
	ck_assert_uint_eq(m.index, 1);
	ck_assert_str_eq(m.remote_addr, "2001:db8::7");
	ck_assert(m.ipv6);
}
END_TEST

/* --- answers to our offers ------------------------------------------------------- */

struct answer_case {
	const char *media;		/* after PEER_HEAD */
	enum lc_sdp_dir ours;		/* prefs.dir */
	bool rfc4733;
	int ret;
	const char *err;		/* ret != 0 */
	struct want want;		/* ret == 0; addr, port, version from PEER_HEAD */
};

#define OK(codec, pt, ptime, te, dir) \
	0, NULL, { codec, pt, ptime, te, dir, "198.51.100.9", 5000, false, 0, 7 }
#define BAD(ret, err) ret, err, { 0, 0, 0, 0, 0, NULL, 0, false, 0, 0 }

static const struct answer_case answer_cases[] = {
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000")
	  L("a=fmtp:101 0-16") L("a=ptime:20") L("a=sendrecv"), LC_SDP_SENDRECV, true,
	  OK(LC_CODEC_PCMU, 0, 20, 101, LC_SDP_SENDRECV) },
	/* Their order in the answer decides. */
	{ L("m=audio 5000 RTP/AVP 8 0 101") L("a=rtpmap:101 telephone-event/8000"),
	  LC_SDP_SENDRECV, true, OK(LC_CODEC_PCMA, 8, 20, 101, LC_SDP_SENDRECV) },
	{ L("m=audio 5000 RTP/AVP 9 8") L("a=ptime:30"), LC_SDP_SENDRECV, true,
	  OK(LC_CODEC_PCMA, 8, 30, -1, LC_SDP_SENDRECV) },
	/* Their payload types: they receive with them. */
	{ L("m=audio 5000 RTP/AVP 96 97") L("a=rtpmap:96 PCMU/8000")
	  L("a=rtpmap:97 telephone-event/8000"), LC_SDP_SENDRECV, true,
	  OK(LC_CODEC_PCMU, 96, 20, 97, LC_SDP_SENDRECV) },
	/* telephone-event we did not offer. */
	{ L("m=audio 5000 RTP/AVP 0 101") L("a=rtpmap:101 telephone-event/8000"),
	  LC_SDP_SENDRECV, false, OK(LC_CODEC_PCMU, 0, 20, -1, LC_SDP_SENDRECV) },
	/* Direction: theirs mirrored, and no more than we offered. */
	{ PEER_PCMU L("a=recvonly"), LC_SDP_SENDONLY, true,
	  OK(LC_CODEC_PCMU, 0, 20, -1, LC_SDP_SENDONLY) },
	{ PEER_PCMU L("a=sendrecv"), LC_SDP_SENDONLY, true,
	  OK(LC_CODEC_PCMU, 0, 20, -1, LC_SDP_SENDONLY) },
	{ PEER_PCMU L("a=inactive"), LC_SDP_SENDONLY, true,
	  OK(LC_CODEC_PCMU, 0, 20, -1, LC_SDP_INACTIVE) },
	{ PEER_PCMU L("a=sendonly"), LC_SDP_SENDRECV, true,
	  OK(LC_CODEC_PCMU, 0, 20, -1, LC_SDP_RECVONLY) },
	{ PEER_PCMU L("a=sendonly"), LC_SDP_RECVONLY, true,
	  OK(LC_CODEC_PCMU, 0, 20, -1, LC_SDP_RECVONLY) },
	/* An RFC 2543 hold in the answer: we send nothing. */
	{ L("m=audio 5000 RTP/AVP 0") L("c=IN IP4 0.0.0.0"), LC_SDP_SENDRECV, true,
	  0, NULL, { LC_CODEC_PCMU, 0, 20, -1, LC_SDP_RECVONLY, "0.0.0.0", 5000, true, 0, 7 } },
	/* Rejected, or nothing we offered. */
	{ L("m=audio 0 RTP/AVP 0"), LC_SDP_SENDRECV, true,
	  BAD(-EPROTO, "line 6: the answer rejects our audio (port 0)") },
	{ L("m=audio 5000 RTP/AVP 18") L("a=rtpmap:18 G729/8000"), LC_SDP_SENDRECV, true,
	  BAD(-EPROTO, "line 6: m=audio: no codec in common: payload types 18 offered, "
	      "we take PCMU, PCMA") },
	{ PEER_PCMU L("c=IN IP6 2001:db8::5"), LC_SDP_SENDRECV, true,
	  BAD(-EPROTO, "line 6: m=audio: address 2001:db8::5 is not IPv4 like ours") },
	/* Not an answer to our offer. */
	{ "", LC_SDP_SENDRECV, true, BAD(-EINVAL, "the answer has 0 m= lines, our offer one") },
	{ PEER_PCMU L("m=video 0 RTP/AVP 96"), LC_SDP_SENDRECV, true,
	  BAD(-EINVAL, "the answer has 2 m= lines, our offer one") },
	{ L("m=video 5000 RTP/AVP 96"), LC_SDP_SENDRECV, true,
	  BAD(-EINVAL, "line 6: m=video RTP/AVP is not the m=audio RTP/AVP we offered") },
	{ L("m=audio 5000 RTP/SAVP 0"), LC_SDP_SENDRECV, true,
	  BAD(-EINVAL, "line 6: m=audio RTP/SAVP is not the m=audio RTP/AVP we offered") },
	{ L("m=audio 5000 RTP/AVP 0") L("a=ptime:x"), LC_SDP_SENDRECV, true,
	  BAD(-EINVAL, "line 7: a=ptime: 'x' is not a number of milliseconds") },
};

START_TEST(test_parse_answer)
{
	const struct answer_case *c = &answer_cases[_i];
	char text[1024], err[256];
	struct lc_media m, before;
	int ret;

	snprintf(text, sizeof(text), "%s%s", PEER_HEAD, c->media);
	prefs.dir = c->ours;
	prefs.rfc4733 = c->rfc4733;
	memset(&m, 0x5a, sizeof(m));
	before = m;
	ret = lc_sdp_parse_answer(&prefs, text, strlen(text), &m, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "case %d: %d (%s)", _i, ret, err);
	if (ret) {
		ck_assert_str_eq(err, c->err);
		ck_assert(!memcmp(&m, &before, sizeof(m)));
		return;
	}
	ck_assert_str_eq(err, "");
	check_media(&m, &c->want, "answer");
}
END_TEST

static bool sends(enum lc_sdp_dir d)
{
	return d == LC_SDP_SENDRECV || d == LC_SDP_SENDONLY;
}

static bool receives(enum lc_sdp_dir d)
{
	return d == LC_SDP_SENDRECV || d == LC_SDP_RECVONLY;
}

/*
 * Two ports of ours call each other with every pair of settings: the
 * answer B writes must be read by A into the mirror image of B's stream.
 */
START_TEST(test_ourselves)
{
	static const enum lc_codec orders[][2] = {
		{ LC_CODEC_PCMU }, { LC_CODEC_PCMA },
		{ LC_CODEC_PCMU, LC_CODEC_PCMA }, { LC_CODEC_PCMA, LC_CODEC_PCMU },
	};
	static const unsigned int n_order[] = { 1, 1, 2, 2 };
	static const enum lc_sdp_dir mirror[] = {
		LC_SDP_SENDRECV, LC_SDP_RECVONLY, LC_SDP_SENDONLY, LC_SDP_INACTIVE,
	};
	unsigned int i, calls = 0;

	/* Every ptime, directions, telephone-event flags, codec orders, family. */
	for (i = 0; i < 6 * 4 * 4 * 4 * 4 * 4 * 2; i++) {
		unsigned int pt = 10 * (1 + i % 6), da = i / 6 % 4, db = i / 24 % 4;
		unsigned int te = i / 96 % 4, oa = i / 384 % 4, ob = i / 1536 % 4;
		unsigned int v6 = i / 6144;
		struct lc_sdp_prefs a = prefs, b = prefs;
		enum lc_codec want;
		char offer[LC_SDP_OUT_MAX], ans[LC_SDP_OUT_MAX], err[256];
		struct lc_media ma, mb;
		int ret;

		memcpy(a.codecs, orders[oa], sizeof(a.codecs));
		a.n_codecs = n_order[oa];
		memcpy(b.codecs, orders[ob], sizeof(b.codecs));
		b.n_codecs = n_order[ob];
		a.rfc4733 = te & 1;
		b.rfc4733 = te & 2;
		a.dir = da;
		b.dir = db;
		a.ptime = pt;
		a.addr = v6 ? "2001:db8::a" : "192.0.2.10";
		b.addr = v6 ? "2001:db8::b" : "192.0.2.11";
		a.port = 10000;
		b.port = 20000;
		b.sess_id = 77;
		b.sess_version = 3;

		ck_assert_int_eq(lc_sdp_offer(&a, offer, sizeof(offer), NULL, 0), 0);
		ret = lc_sdp_answer(&b, offer, strlen(offer), ans, sizeof(ans), &mb, err,
				    sizeof(err));
		if (oa < 2 && ob < 2 && oa != ob) {
			ck_assert_int_eq(ret, -EPROTO);
			continue;
		}
		ck_assert_msg(ret == 0, "%s", err);
		ret = lc_sdp_parse_answer(&a, ans, strlen(ans), &ma, err, sizeof(err));
		ck_assert_msg(ret == 0, "%s\n%s", err, ans);
		calls++;

		/* B's first choice among what A offers, and both agree on it. */
		want = orders[ob][0];
		if (oa < 2 && orders[oa][0] != want)
			want = orders[ob][1];
		ck_assert_int_eq(mb.codec, want);
		ck_assert_int_eq(ma.codec, mb.codec);
		ck_assert_uint_eq(ma.pt, mb.pt);
		ck_assert_uint_eq(mb.pt, mb.codec == LC_CODEC_PCMA ? 8 : 0);
		ck_assert_int_eq(ma.te_pt, te == 3 ? LC_SDP_TE_PT : -1);
		ck_assert_int_eq(mb.te_pt, te == 3 ? LC_SDP_TE_PT : -1);
		ck_assert_uint_eq(ma.ptime, pt);
		ck_assert_uint_eq(mb.ptime, pt);
		ck_assert_int_eq(ma.dir, mirror[mb.dir]);
		/* B does no more than A's offer allows, nor than it wants. */
		ck_assert(!sends(mb.dir) || (receives(da) && sends(db)));
		ck_assert(!receives(mb.dir) || (sends(da) && receives(db)));
		ck_assert(sends(mb.dir) == (receives(da) && sends(db)));
		ck_assert(receives(mb.dir) == (sends(da) && receives(db)));
		ck_assert_str_eq(ma.remote_addr, b.addr);
		ck_assert_uint_eq(ma.remote_port, 20000);
		ck_assert_uint_eq(ma.peer_sess_id, 77);
		ck_assert_uint_eq(ma.peer_sess_version, 3);
		ck_assert_str_eq(mb.remote_addr, a.addr);
		ck_assert_uint_eq(mb.remote_port, 10000);
		ck_assert(ma.ipv6 == (bool)v6 && mb.ipv6 == (bool)v6);
	}
	/* 14 of the 16 codec pairings have one in common. */
	ck_assert_uint_eq(calls, 2 * 14 * 4 * 16 * 6);
}
END_TEST

/* --- malformed descriptions ------------------------------------------------------ */

struct error_case {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int ret;
	const char *err;
};

#define HEAD L("v=0") L("o=- 1 1 IN IP4 192.0.2.9") L("s=-") L("c=IN IP4 192.0.2.9") L("t=0 0")
#define HEAD_NO_C L("v=0") L("o=- 1 1 IN IP4 192.0.2.9") L("s=-") L("t=0 0")
#define AUDIO L("m=audio 5000 RTP/AVP 0 101")
#define TE L("a=rtpmap:101 telephone-event/8000")
#define CASE(t, e) { (t), 0, -EINVAL, (e) }
#define BIN(t, e) { (t), sizeof(t) - 1, -EINVAL, (e) }
#define FMT "' is not '<media> <port>[/<count>] <profile> <format>...'"

static const struct error_case error_cases[] = {
	/* The frame. */
	CASE("", "empty description: no v= line"),
	CASE("\r\n\r\n", "empty description: no v= line"),
	CASE(L("v=0"), "truncated description: no o= line"),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x"), "truncated description: no s= line"),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x") L("s=-"), "no t= line"),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x") L("s=-") AUDIO, "no t= line"),
	CASE(L("o=- 1 1 IN IP4 x") L("v=0"),
	     "line 1: o= where v= must be: a description starts with v=, o=, s="),
	CASE(L("v=0") L("s=-") L("o=- 1 1 IN IP4 x"),
	     "line 2: s= where o= must be: a description starts with v=, o=, s="),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x") L("c=IN IP4 192.0.2.9") L("s=-"),
	     "line 3: c= where s= must be: a description starts with v=, o=, s="),
	CASE(HEAD L("v=0"), "line 6: v= is not allowed here"),
	CASE(HEAD L("s=again"), "line 6: s= is not allowed here"),
	CASE(HEAD AUDIO L("t=0 0"), "line 7: t= is not allowed in a media section"),
	CASE(HEAD AUDIO L("z=0 0"), "line 7: z= is not allowed in a media section"),
	CASE(HEAD L("x=1"), "line 6: unknown line type 'x'"),
	CASE(HEAD L("V=0"), "line 6: unknown line type 'V'"),
	CASE(HEAD "\xff=1\r\n", "line 6: unknown line type \\xff"),
	CASE(HEAD L("a"), "line 6: not a '<type>=<value>' line"),
	CASE(HEAD L("=a"), "line 6: not a '<type>=<value>' line"),
	CASE(HEAD L("a:rtpmap"), "line 6: not a '<type>=<value>' line"),
	CASE(HEAD L(" a=sendrecv"), "line 6: not a '<type>=<value>' line"),
	CASE(HEAD L("") AUDIO, "line 6: blank line"),
	CASE(HEAD L("") L(" "), "line 6: blank line"),
	CASE(HEAD "a=x\ra=y\r\n", "line 6: CR without LF"),
	CASE(HEAD "\r\r\n", "line 6: CR without LF"),
	BIN(HEAD "s\0=x\r\n", "line 6: NUL byte"),
	BIN(HEAD AUDIO "a=label:1\0\r\n", "line 7: NUL byte"),
	BIN(L("v=0") "\0", "line 2: NUL byte"),
	/* v= o= t= b= */
	CASE(L("v=1"), "line 1: v=: version '1' is not 0"),
	CASE(L("v=00"), "line 1: v=: version '00' is not 0"),
	CASE(L("v="), "line 1: v=: version '' is not 0"),
	CASE(L("v=0") L("o=- 1 1 IN IP4") L("s=-") L("t=0 0"),
	     "line 2: o=: '- 1 1 IN IP4' is not '<user> <session id> <version> <net type> "
	     "<address type> <address>' with numbers below 2^64"),
	CASE(L("v=0") L("o=- 1 99999999999999999999 IN IP4 x") L("s=-") L("t=0 0"),
	     "line 2: o=: '- 1 99999999999999999999 IN IP4 x' is not '<user> <session id> "
	     "<version> <net type> <address type> <address>' with numbers below 2^64"),
	CASE(L("v=0") L("o=- a 1 IN IP4 x") L("s=-") L("t=0 0"),
	     "line 2: o=: '- a 1 IN IP4 x' is not '<user> <session id> <version> <net type> "
	     "<address type> <address>' with numbers below 2^64"),
	CASE(L("v=0") L("o=-  1 1 IN IP4 x") L("s=-") L("t=0 0"),
	     "line 2: o=: '-  1 1 IN IP4 x' is not '<user> <session id> <version> <net type> "
	     "<address type> <address>' with numbers below 2^64"),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x y") L("s=-") L("t=0 0"),
	     "line 2: o=: '- 1 1 IN IP4 x y' is not '<user> <session id> <version> <net type> "
	     "<address type> <address>' with numbers below 2^64"),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x") L("s=-") L("t=0"),
	     "line 4: t=: '0' is not '<start> <stop>'"),
	CASE(L("v=0") L("o=- 1 1 IN IP4 x") L("s=-") L("t=now later"),
	     "line 4: t=: 'now later' is not '<start> <stop>'"),
	CASE(HEAD L("b=AS"), "line 6: b=: 'AS' is not '<type>:<bandwidth>'"),
	CASE(HEAD AUDIO L("b=AS:lots"), "line 7: b=: 'AS:lots' is not '<type>:<bandwidth>'"),
	/* c= */
	CASE(HEAD_NO_C L("c=IN IP4"), "line 5: c=: 'IN IP4' is not 'IN IP4|IP6 <address>'"),
	CASE(HEAD_NO_C L("c=IN  IP4 192.0.2.1"),
	     "line 5: c=: 'IN  IP4 192.0.2.1' is not 'IN IP4|IP6 <address>'"),
	CASE(HEAD_NO_C L("c=IN IP4 2001:db8::1"),
	     "line 5: c=: '2001:db8::1' is not an IPv4 address"),
	CASE(HEAD_NO_C L("c=IN IP6 192.0.2.1"), "line 5: c=: '192.0.2.1' is not an IPv6 address"),
	CASE(HEAD_NO_C L("c=IN IP4 192.0.2.300"),
	     "line 5: c=: '192.0.2.300' is not an IPv4 address"),
	CASE(HEAD_NO_C L("c=IN IP4 192.0.2.1:5060"),
	     "line 5: c=: '192.0.2.1:5060' is not an IPv4 address"),
	CASE(HEAD_NO_C L("c=IN IP6 [2001:db8::1]"),
	     "line 5: c=: '[2001:db8::1]' is not an IPv6 address"),
	CASE(HEAD_NO_C L("c=IN IP6 fe80::1%eth0"),
	     "line 5: c=: 'fe80::1%eth0' is not an IPv6 address"),
	CASE(HEAD_NO_C L("c=IN IP4 192.0.2.1/127"),
	     "line 5: c=: '192.0.2.1/127': a unicast address takes no '/' suffix"),
	CASE(HEAD_NO_C L("c=IN IP4 224.2.1.1/ttl"),
	     "line 5: c=: '224.2.1.1/ttl': bad multicast suffix"),
	CASE(HEAD_NO_C L("c=IN IP4 224.2.1.1/127/"),
	     "line 5: c=: '224.2.1.1/127/': bad multicast suffix"),
	CASE(HEAD_NO_C L("c=IN IP4 " "1234567890123456789012345678901234567890123456:7"),
	     "line 5: c=: '1234567890123456789012345678901234567890'... is not an IP address or "
	     "a host name"),
	CASE(HEAD L("c=IN IP4 192.0.2.10"),
	     "line 6: c=: a second c= line in this section (line 4)"),
	CASE(HEAD AUDIO L("c=IN IP4 192.0.2.10") L("c=IN IP4 192.0.2.11"),
	     "line 8: c=: a second c= line in this section (line 7)"),
	CASE(HEAD_NO_C AUDIO, "line 5: m=audio has no c= line, nor has the session"),
	CASE(HEAD_NO_C L("m=video 0 RTP/AVP 96") L("m=video 5000 RTP/AVP 96"),
	     "line 6: m=video has no c= line, nor has the session"),
	/* m= */
	CASE(HEAD L("m=audio x RTP/AVP 0"),
	     "line 6: m=: 'audio x RTP/AVP 0': the port is not 0-65535"),
	CASE(HEAD L("m=audio 65536 RTP/AVP 0"),
	     "line 6: m=: 'audio 65536 RTP/AVP 0': the port is not 0-65535"),
	CASE(HEAD L("m=audio 5000 RTP/AVP"), "line 6: m=: 'audio 5000 RTP/AVP" FMT),
	CASE(HEAD L("m=audio 5000"), "line 6: m=: 'audio 5000" FMT),
	CASE(HEAD L("m=audio"), "line 6: m=: 'audio" FMT),
	CASE(HEAD L("m="), "line 6: m=: '" FMT),
	CASE(HEAD L("m=audio 5000 RTP/AVP 0  8"), "line 6: m=: 'audio 5000 RTP/AVP 0  8" FMT),
	CASE(HEAD L("m=audio 5000 RTP/ 0"), "line 6: m=: 'audio 5000 RTP/ 0" FMT),
	CASE(HEAD L("m=audio 5000/0 RTP/AVP 0"), "line 6: m=: 'audio 5000/0 RTP/AVP 0" FMT),
	CASE(HEAD L("m=audio 5000 RTP/AVP 128"), "line 6: m=: payload type '128' is not 0-127"),
	CASE(HEAD L("m=audio 5000 RTP/AVP PCMU"), "line 6: m=: payload type 'PCMU' is not 0-127"),
	CASE(HEAD L("m=audio 5000 RTP/AVP -1"), "line 6: m=: payload type '-1' is not 0-127"),
	CASE(HEAD L("m=audio 5000 RTP/AVP 0 8 0"), "line 6: m=: payload type 0 listed twice"),
	CASE(HEAD L("m=audioaudioaudioaudioaudioaudioaud 5000 RTP/AVP 0"),
	     "line 6: m=: 'audioaudioaudioaudioaudioaudioaud 5000 R'...: media type or profile "
	     "longer than 32 bytes"),
	CASE(HEAD L("m=application 5000 TCP/MSRP 123456789012345678901234567890123"),
	     "line 6: m=: format '123456789012345678901234567890123' is longer than 32 bytes"),
	/* a= */
	CASE(HEAD L("a="), "line 6: a=: '' does not start with an attribute name"),
	CASE(HEAD L("a=:x"), "line 6: a=: ':x' does not start with an attribute name"),
	CASE(HEAD L("a=foo bar"), "line 6: a=: 'foo bar' is not '<attribute>[:<value>]'"),
	CASE(HEAD AUDIO L("a=sendonly:1"), "line 7: a=sendonly takes no value"),
	CASE(HEAD AUDIO L("a=sendonly") L("a=recvonly"),
	     "line 8: a=recvonly: a second direction in this section (a=sendonly on line 7)"),
	CASE(HEAD L("a=inactive") L("a=inactive"),
	     "line 7: a=inactive: a second direction in this section (a=inactive on line 6)"),
	CASE(HEAD AUDIO L("a=ptime"), "line 7: a=ptime needs a value"),
	CASE(HEAD AUDIO L("a=ptime:"), "line 7: a=ptime: '' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:abc"), "line 7: a=ptime: 'abc' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:-20"), "line 7: a=ptime: '-20' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:20."), "line 7: a=ptime: '20.' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:20ms"),
	     "line 7: a=ptime: '20ms' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:1000000"),
	     "line 7: a=ptime: '1000000' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:20") L("a=ptime:30"),
	     "line 8: a=ptime: a second a=ptime in this section (line 7)"),
	CASE(HEAD AUDIO L("a=maxptime:x"),
	     "line 7: a=maxptime: 'x' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=maxptime:40") L("a=maxptime:40"),
	     "line 8: a=maxptime: a second a=maxptime in this section (line 7)"),
	CASE(HEAD AUDIO L("a=rtpmap"), "line 7: a=rtpmap needs a value"),
	CASE(HEAD AUDIO L("a=rtpmap:0"), "line 7: a=rtpmap: '0' is not '<format> <value>'"),
	CASE(HEAD AUDIO L("a=rtpmap:0 PCMU"),
	     "line 7: a=rtpmap: '0 PCMU' is not '<payload type> <encoding>/<clock rate>"
	     "[/<channels>]'"),
	CASE(HEAD AUDIO L("a=rtpmap:0 PCMU/0"),
	     "line 7: a=rtpmap: '0 PCMU/0' is not '<payload type> <encoding>/<clock rate>"
	     "[/<channels>]'"),
	CASE(HEAD AUDIO L("a=rtpmap:0 PCMU/8000/"),
	     "line 7: a=rtpmap: '0 PCMU/8000/' is not '<payload type> <encoding>/<clock rate>"
	     "[/<channels>]'"),
	CASE(HEAD AUDIO L("a=rtpmap:0 PCMU/8000 x"),
	     "line 7: a=rtpmap: '0 PCMU/8000 x' is not '<payload type> <encoding>/<clock rate>"
	     "[/<channels>]'"),
	CASE(HEAD AUDIO L("a=rtpmap:200 PCMU/8000"),
	     "line 7: a=rtpmap: payload type '200' is not 0-127"),
	CASE(HEAD AUDIO L("a=rtpmap:0 PCMU/8000") L("a=rtpmap:0 PCMA/8000"),
	     "line 8: a=rtpmap: a second a=rtpmap for payload type 0 (line 7)"),
	CASE(HEAD AUDIO L("a=fmtp"), "line 7: a=fmtp needs a value"),
	CASE(HEAD AUDIO L("a=fmtp:101"), "line 7: a=fmtp: '101' is not '<format> <value>'"),
	CASE(HEAD AUDIO L("a=fmtp:101 "), "line 7: a=fmtp: '101' is not '<format> <value>'"),
	CASE(HEAD AUDIO L("a=fmtp:x 0-15"), "line 7: a=fmtp: payload type 'x' is not 0-127"),
	CASE(HEAD AUDIO L("a=fmtp:101 0-15") L("a=fmtp:101 0-16"),
	     "line 8: a=fmtp: a second a=fmtp for payload type 101 (line 7)"),
	CASE(HEAD AUDIO TE L("a=fmtp:101 0-15;x"),
	     "line 8: a=fmtp: telephone-event's events '0-15;x' are not a list like 0-15,16"),
	CASE(HEAD AUDIO TE L("a=fmtp:101 15-0"),
	     "line 8: a=fmtp: telephone-event's events '15-0' are not a list like 0-15,16"),
	CASE(HEAD AUDIO TE L("a=fmtp:101 0-256"),
	     "line 8: a=fmtp: telephone-event's events '0-256' are not a list like 0-15,16"),
	CASE(HEAD AUDIO TE L("a=fmtp:101 0-15,"),
	     "line 8: a=fmtp: telephone-event's events '0-15,' are not a list like 0-15,16"),
	CASE(HEAD AUDIO TE L("a=fmtp:101 0 - 15"),
	     "line 8: a=fmtp: telephone-event's events '0 - 15' are not a list like 0-15,16"),
	/* Even in a stream we do not take. */
	CASE(HEAD AUDIO L("m=audio 5002 RTP/SAVP 0 101") TE L("a=fmtp:101 x"),
	     "line 9: a=fmtp: telephone-event's events 'x' are not a list like 0-15,16"),
	/* Bytes that quote themselves safely. */
	CASE(HEAD L("m=audio 5000 RTP/AVP 0\x1b[2J"),
	     "line 6: m=: 'audio 5000 RTP/AVP 0\\x1b[2J" FMT),
	CASE(HEAD L("m=audio 5000 RTP/AVP \x1b[2J"),
	     "line 6: m=: 'audio 5000 RTP/AVP \\x1b[2J" FMT),
	CASE(HEAD AUDIO L("a=ptime:\xc3\xa9"),
	     "line 7: a=ptime: '\\xc3\\xa9' is not a number of milliseconds"),
	CASE(HEAD AUDIO L("a=ptime:\\"),
	     "line 7: a=ptime: '\\x5c' is not a number of milliseconds"),
	/* Limits. */
	{ HEAD AUDIO AUDIO AUDIO AUDIO AUDIO AUDIO AUDIO AUDIO AUDIO, 0, -E2BIG,
	  "line 14: m=: more than 8 m= lines" },
};

START_TEST(test_error)
{
	const struct error_case *c = &error_cases[_i];
	size_t len = c->len ? c->len : strlen(c->text);
	char buf[LC_SDP_OUT_MAX], err[256], *text;
	struct lc_media m, before;
	int ret;

	/* In a buffer of its exact size: nothing may read past it. */
	text = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(text);
	memcpy(text, c->text, len);
	memset(&m, 0x5a, sizeof(m));
	before = m;
	ret = lc_sdp_answer(&prefs, text, len, buf, sizeof(buf), &m, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "case %d: %d (%s)", _i, ret, err);
	ck_assert_str_eq(err, c->err);
	ck_assert_str_eq(buf, "");
	ck_assert(!memcmp(&m, &before, sizeof(m)));
	/* The same description as an answer fails the same way. */
	ret = lc_sdp_parse_answer(&prefs, text, len, &m, err, sizeof(err));
	ck_assert_int_eq(ret, c->ret);
	ck_assert_str_eq(err, c->err);
	free(text);
}
END_TEST

START_TEST(test_too_big)
{
	char *text = malloc(LC_SDP_MAX + 1), buf[LC_SDP_OUT_MAX], err[128];
	const char *head = HEAD AUDIO;
	struct lc_media m;
	size_t n;

	ck_assert_ptr_nonnull(text);
	/* Exactly LC_SDP_MAX bytes: fine. */
	n = strlen(head);
	memcpy(text, head, n);
	while (n + 12 <= LC_SDP_MAX) {
		memcpy(text + n, "a=label:ab\r\n", 12);
		n += 12;
	}
	memset(text + n, '\n', LC_SDP_MAX - n);
	ck_assert_int_eq(lc_sdp_answer(&prefs, text, LC_SDP_MAX, buf, sizeof(buf), &m, err,
				       sizeof(err)), 0);
	text[LC_SDP_MAX] = '\n';
	ck_assert_int_eq(lc_sdp_answer(&prefs, text, LC_SDP_MAX + 1, buf, sizeof(buf), &m,
				       err, sizeof(err)), -E2BIG);
	ck_assert_str_eq(err, "8193 bytes, more than 8192");
	ck_assert_int_eq(lc_sdp_parse_answer(&prefs, text, LC_SDP_MAX + 1, &m, err,
					     sizeof(err)), -E2BIG);
	ck_assert_int_eq(lc_sdp_answer(&prefs, text, SIZE_MAX, buf, sizeof(buf), &m, err,
				       sizeof(err)), -E2BIG);
	/* One line of LC_SDP_MAX bytes. */
	memcpy(text, "v=", 2);
	memset(text + 2, '0', LC_SDP_MAX - 2);
	ck_assert_int_eq(lc_sdp_answer(&prefs, text, LC_SDP_MAX, buf, sizeof(buf), &m, err,
				       sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "line 1: v=: version '0000000000000000000000000000000000000000'"
			 "... is not 0");
	free(text);
}
END_TEST

START_TEST(test_small_buffers)
{
	const char *offer = peers[0].offer;
	char want[LC_SDP_OUT_MAX], buf[LC_SDP_OUT_MAX], err[256];
	struct lc_media m;
	size_t n, len;

	answer_ok(offer, want, sizeof(want), &m);
	len = strlen(want);
	for (n = 0; n <= len; n++) {
		memset(buf, 'x', sizeof(buf));
		ck_assert_int_eq(answer(offer, buf, n, &m, err, sizeof(err)), -ENOSPC);
		if (n)
			ck_assert_int_eq(buf[0], '\0');
		ck_assert_int_eq(buf[n], 'x');
	}
	ck_assert_int_eq(answer(offer, buf, len + 1, &m, NULL, 0), 0);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(answer(offer, NULL, 0, &m, NULL, 0), -ENOSPC);

	/* Error messages are cut, never overflow. */
	for (n = 0; n < 40; n++) {
		memset(err, 'x', sizeof(err));
		ck_assert_int_eq(answer(HEAD L("x=1"), buf, sizeof(buf), &m, err, n), -EINVAL);
		if (n) {
			ck_assert_uint_eq(strlen(err), n - 1 < 29 ? n - 1 : 29);
			ck_assert(!strncmp(err, "line 6: unknown line type 'x'", strlen(err)));
		}
		ck_assert_int_eq(err[n], 'x');
	}
	ck_assert_int_eq(answer(HEAD L("x=1"), buf, sizeof(buf), &m, NULL, 100), -EINVAL);
	ck_assert_int_eq(answer(HEAD, buf, sizeof(buf), &m, err, 5), -EPROTO);
	ck_assert_str_eq(err, "no m");
	ck_assert_int_eq(lc_sdp_answer(&prefs, NULL, 0, buf, sizeof(buf), &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "empty description: no v= line");
}
END_TEST

/* --- hostile input ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: the same sequence on every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ull) >> 32;
}

static unsigned int accepted, refused, rejected;

/*
 * Feed @len bytes (copied to a buffer of exactly that size) to the
 * answerer and the answer reader, and check what any result must be.
 */
static void feed(const char *data, size_t len)
{
	char buf[LC_SDP_OUT_MAX], again[LC_SDP_OUT_MAX], err[256];
	char *text = malloc(len ? len : 1);
	struct lc_media m, m2;
	int ret;

	ck_assert_ptr_nonnull(text);
	memcpy(text, data, len);
	memset(err, 'x', sizeof(err));
	ret = lc_sdp_answer(&prefs, text, len, buf, sizeof(buf), &m, err, sizeof(err));
	ck_assert_msg(ret == 0 || ret == -EINVAL || ret == -EPROTO || ret == -E2BIG,
		      "ret %d", ret);
	ck_assert_uint_lt(strlen(err), sizeof(err));
	if (ret) {
		ck_assert_msg(err[0], "an error without a message");
		ck_assert_str_eq(buf, "");
		ret == -EPROTO ? rejected++ : refused++;
	} else {
		accepted++;
		ck_assert_str_eq(err, "");
		ck_assert_uint_le(m.pt, 127);
		ck_assert(m.codec == LC_CODEC_PCMU || m.codec == LC_CODEC_PCMA);
		ck_assert(m.ptime >= 10 && m.ptime <= 60 && m.ptime % 10 == 0);
		ck_assert(m.te_pt >= -1 && m.te_pt <= 127 && m.te_pt != (int)m.pt);
		ck_assert_uint_le(m.dir, LC_SDP_INACTIVE);
		ck_assert_uint_le(m.remote_port, 65535);
		ck_assert_uint_lt(m.index, LC_SDP_MEDIA_MAX);
		/* What we answer is SDP we accept ourselves, with the same stream. */
		ret = lc_sdp_answer(&prefs, buf, strlen(buf), again, sizeof(again), &m2, err,
				    sizeof(err));
		ck_assert_msg(ret == 0, "our answer is refused: %s\n%s", err, buf);
		ck_assert_int_eq(m2.codec, m.codec);
		ck_assert_uint_eq(m2.pt, m.pt);
		ck_assert_int_eq(m2.te_pt, m.te_pt);
		ck_assert_uint_eq(m2.index, m.index);
	}
	ret = lc_sdp_parse_answer(&prefs, text, len, &m, err, sizeof(err));
	ck_assert(ret == 0 || ret == -EINVAL || ret == -EPROTO || ret == -E2BIG);
	free(text);
}

START_TEST(test_truncated)
{
	unsigned int i;
	size_t n;

	for (i = 0; i < ARRAY_SIZE(peers); i++) {
		size_t len = strlen(peers[i].offer);

		for (n = 0; n <= len; n++)
			feed(peers[i].offer, n);
		/* And every tail. */
		for (n = 0; n <= len; n++)
			feed(peers[i].offer + n, len - n);
	}
}
END_TEST

START_TEST(test_garbage)
{
	static const char alphabet[] = "vosctmab=\r\n :/0123456789-,.IPN4";
	char data[600];
	unsigned int i;
	size_t n, len;

	rng_state = 0x5dbb1e5d;
	for (i = 0; i < 3000; i++) {
		len = rng() % sizeof(data);
		for (n = 0; n < len; n++)
			data[n] = i & 1 ? (char)rng() : alphabet[rng() % (sizeof(alphabet) - 1)];
		feed(data, len);
	}
}
END_TEST

/* Mutations of the peers' offers: bytes changed, inserted, removed, lines moved. */
START_TEST(test_fuzz)
{
	static const char alphabet[] = "=\r\n :/0123456789-,.amcvotAPRTUVX\xff";
	char data[LC_SDP_MAX + 64];
	unsigned int i, k;

	rng_state = 0x6c696e6563617264ull;
	accepted = 0;
	refused = 0;
	rejected = 0;
	for (i = 0; i < 20000; i++) {
		const char *src = peers[rng() % ARRAY_SIZE(peers)].offer;
		size_t len = strlen(src), at, n;
		unsigned int edits = 1 + rng() % 4;

		memcpy(data, src, len);
		for (k = 0; k < edits; k++) {
			at = len ? rng() % len : 0;
			switch (rng() % 6) {
			case 0:		/* change a byte */
				if (len)
					data[at] = rng() & 1 ? (char)rng() :
						   alphabet[rng() % (sizeof(alphabet) - 1)];
				break;
			case 1:		/* insert one */
				if (len + 1 < sizeof(data)) {
					memmove(data + at + 1, data + at, len - at);
					data[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
					len++;
				}
				break;
			case 2:		/* remove a run */
				n = rng() % 16;
				if (n > len - at)
					n = len - at;
				memmove(data + at, data + at + n, len - at - n);
				len -= n;
				break;
			case 3:		/* repeat a run elsewhere */
				n = rng() % 64;
				if (n > len - at)
					n = len - at;
				if (len + n < sizeof(data)) {
					size_t to = len ? rng() % len : 0;
					char run[64];

					memcpy(run, data + at, n);
					memmove(data + to + n, data + to, len - to);
					memcpy(data + to, run, n);
					len += n;
				}
				break;
			case 4:		/* change a digit: ports, types, ptimes */
				for (n = at; n < len && (data[n] < '0' || data[n] > '9'); n++)
					;
				if (n < len)
					data[n] = '0' + rng() % 10;
				break;
			case 5:		/* cut it short */
				len = at;
				break;
			}
		}
		feed(data, len);
	}
	/* The fuzzer must reach every outcome, or it tests nothing. */
	ck_assert_uint_gt(accepted, 1000);
	ck_assert_uint_gt(refused, 1000);
	ck_assert_uint_gt(rejected, 100);
}
END_TEST

static Suite *sdp_suite(void)
{
	Suite *s = suite_create("sdp");
	TCase *tc;

	tc = tcase_create("offer");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_test(tc, test_offer_default);
	tcase_add_test(tc, test_offer_variants);
	tcase_add_test(tc, test_offer_small_buffer);
	tcase_add_loop_test(tc, test_bad_prefs, 0, ARRAY_SIZE(prefs_errors));
	tcase_add_test(tc, test_prefs_from_port);
	suite_add_tcase(s, tc);

	tc = tcase_create("peers");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_loop_test(tc, test_peer, 0, ARRAY_SIZE(peers));
	tcase_add_loop_test(tc, test_peer_pcma_inband, 0, ARRAY_SIZE(peers));
	suite_add_tcase(s, tc);

	tc = tcase_create("codecs");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_test(tc, test_codec_order);
	tcase_add_test(tc, test_codec_mapping);
	tcase_add_loop_test(tc, test_no_common_codec, 0, ARRAY_SIZE(no_codec_cases));
	tcase_add_test(tc, test_no_common_codec_ours);
	suite_add_tcase(s, tc);

	tc = tcase_create("telephone-event");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_loop_test(tc, test_telephone_event, 0, ARRAY_SIZE(te_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("ptime");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_loop_test(tc, test_ptime, 0, ARRAY_SIZE(ptime_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("direction");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_test(tc, test_direction_matrix);
	tcase_add_test(tc, test_direction_levels);
	tcase_add_test(tc, test_hold_resume);
	tcase_add_test(tc, test_media_diff);
	suite_add_tcase(s, tc);

	tc = tcase_create("streams");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_test(tc, test_media_lines);
	tcase_add_loop_test(tc, test_unusable, 0, ARRAY_SIZE(unusable_cases));
	tcase_add_test(tc, test_ipv6_family);
	suite_add_tcase(s, tc);

	tc = tcase_create("answers");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_parse_answer, 0, ARRAY_SIZE(answer_cases));
	tcase_add_test(tc, test_ourselves);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_add_loop_test(tc, test_error, 0, ARRAY_SIZE(error_cases));
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_small_buffers);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, prefs_setup, NULL);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_fuzz);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sdp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

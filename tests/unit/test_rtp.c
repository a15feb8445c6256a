// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/rtp.c: RTP header parsing against hostile input
 * (every short length, truncated CSRC lists and extensions, bad padding,
 * wrong versions, a fuzz loop; buffers are allocated exactly as long as
 * the packet, so a build with -fsanitize=address catches any read past
 * the end), RFC 3550 A.1 sequence tracking, A.3 fraction lost, A.8 jitter
 * against a floating-point computation, RFC 4733 sender and receiver,
 * RTCP SR/RR building, compound validation (A.2) and round trip time.
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "rtp.h"

/* --- deterministic random numbers -------------------------------------- */

static unsigned long long rng_state = 88172645463325252ULL;

static void rng_seed(unsigned long long s)
{
	rng_state = s * 2685821657736338717ULL + 1;
	if (!rng_state)
		rng_state = 1;
}

static u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)(rng_state >> 32);
}

static unsigned int rnd_below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

/* A copy of @len bytes in a block of exactly @len bytes. */
static u8 *exact(const u8 *src, unsigned int len)
{
	u8 *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	if (len)
		memcpy(p, src, len);
	return p;
}

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static void wr32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void wr16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* --- RTP header ---------------------------------------------------------- */

/*
 * RFC 3550 5.1 and 5.3.1 read byte by byte, written independently of
 * rtp.c: the expected verdict, payload offset and payload length.
 */
static enum lc_rtp_err ref_parse(const u8 *b, unsigned int len,
				 unsigned int *off, unsigned int *plen)
{
	unsigned int hdr, pad = 0;

	if (len < 12)
		return LC_RTP_ERR_SHORT;
	if ((b[0] & 0xc0) != 0x80)
		return LC_RTP_ERR_VERSION;
	hdr = 12 + 4 * (b[0] & 0x0f);
	if (len < hdr)
		return LC_RTP_ERR_CSRC;
	if (b[0] & 0x10) {
		if (len < hdr + 4)
			return LC_RTP_ERR_EXT;
		hdr += 4 + 4 * be16(b + hdr + 2);
		if (len < hdr)
			return LC_RTP_ERR_EXT;
	}
	if (b[0] & 0x20) {
		/* the count octet must follow the header */
		if (len < hdr + 1)
			return LC_RTP_ERR_PADDING;
		pad = b[len - 1];
		if (pad < 1 || pad > len - hdr)
			return LC_RTP_ERR_PADDING;
	}
	*off = hdr;
	*plen = len - hdr - pad;
	return LC_RTP_OK;
}

/* Parse an exact-size copy; compare with ref_parse and the raw bytes. */
static enum lc_rtp_err check_parse(const u8 *src, unsigned int len)
{
	u8 *b = exact(src, len);
	struct lc_rtp_pkt pkt, before;
	unsigned int off = 0, plen = 0;
	enum lc_rtp_err want, got;

	memset(&pkt, 0x5a, sizeof(pkt));
	before = pkt;
	want = ref_parse(b, len, &off, &plen);
	got = lc_rtp_parse(b, len, &pkt);
	ck_assert_int_eq(got, want);
	if (got == LC_RTP_OK) {
		ck_assert_ptr_eq(pkt.payload, b + off);
		ck_assert_uint_eq(pkt.len, plen);
		ck_assert_uint_le(off + pkt.len, len);
		ck_assert_uint_eq(pkt.seq, be16(b + 2));
		ck_assert_uint_eq(pkt.ts, be32(b + 4));
		ck_assert_uint_eq(pkt.ssrc, be32(b + 8));
		ck_assert_uint_eq(pkt.pt, b[1] & 0x7f);
		ck_assert_int_eq(pkt.marker, !!(b[1] & 0x80));
	} else {
		ck_assert_mem_eq(&pkt, &before, sizeof(pkt));
	}
	free(b);
	return got;
}

START_TEST(test_layout)
{
	ck_assert_uint_eq(sizeof(struct lc_rtp_hdr), LC_RTP_HDR_LEN);
	ck_assert_uint_eq(offsetof(struct lc_rtp_hdr, seq), 2);
	ck_assert_uint_eq(offsetof(struct lc_rtp_hdr, ts), 4);
	ck_assert_uint_eq(offsetof(struct lc_rtp_hdr, ssrc), 8);
}
END_TEST

START_TEST(test_build_parse)
{
	static const struct {
		u8 pt;
		bool m;
		u16 seq;
		u32 ts;
		u32 ssrc;
	} c[] = {
		{ 0, false, 0, 0, 0 },
		{ 8, true, 1, 160, 0xdeadbeef },
		{ 101, false, 65535, 0xffffffff, 0x80000001 },
		{ 127, true, 0x1234, 0x89abcdef, 0x01020304 },
	};
	u8 buf[LC_RTP_HDR_LEN + 160];
	struct lc_rtp_pkt pkt;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		memset(buf, 0xee, sizeof(buf));
		lc_rtp_build(buf, c[i].pt, c[i].m, c[i].seq, c[i].ts,
			     c[i].ssrc);
		ck_assert_uint_eq(buf[0], 0x80);
		ck_assert_uint_eq(buf[1], (c[i].m ? 0x80 : 0) | c[i].pt);
		ck_assert_uint_eq(be16(buf + 2), c[i].seq);
		ck_assert_uint_eq(be32(buf + 4), c[i].ts);
		ck_assert_uint_eq(be32(buf + 8), c[i].ssrc);
		ck_assert_uint_eq(buf[12], 0xee);	/* 12 bytes, no more */
		for (j = 0; j < 160; j++)
			buf[12 + j] = j;
		ck_assert_int_eq(check_parse(buf, sizeof(buf)), LC_RTP_OK);
		ck_assert_int_eq(lc_rtp_parse(buf, sizeof(buf), &pkt),
				 LC_RTP_OK);
		ck_assert_uint_eq(pkt.pt, c[i].pt);
		ck_assert_int_eq(pkt.marker, c[i].m);
		ck_assert_uint_eq(pkt.seq, c[i].seq);
		ck_assert_uint_eq(pkt.ts, c[i].ts);
		ck_assert_uint_eq(pkt.ssrc, c[i].ssrc);
		ck_assert_ptr_eq(pkt.payload, buf + 12);
		ck_assert_uint_eq(pkt.len, 160);
	}
	/* the payload type is masked to 7 bits */
	lc_rtp_build(buf, 0xff, false, 1, 2, 3);
	ck_assert_uint_eq(buf[1], 0x7f);
	/* a header alone is a valid packet with an empty payload */
	ck_assert_int_eq(check_parse(buf, LC_RTP_HDR_LEN), LC_RTP_OK);
	ck_assert_int_eq(lc_rtp_parse(buf, 12, &pkt), LC_RTP_OK);
	ck_assert_uint_eq(pkt.len, 0);
	/* an odd address: the header is read as bytes */
	lc_rtp_build(buf + 1, 0, true, 7, 8, 9);
	ck_assert_int_eq(lc_rtp_parse(buf + 1, 20, &pkt), LC_RTP_OK);
	ck_assert_uint_eq(pkt.seq, 7);
	ck_assert_uint_eq(pkt.ts, 8);
	ck_assert_uint_eq(pkt.ssrc, 9);
}
END_TEST

START_TEST(test_parse_valid_layers)
{
	u8 buf[200];
	struct lc_rtp_pkt pkt;
	unsigned int i;

	/* CC = 15, an extension of 2 words, 7 payload bytes, 5 padding */
	memset(buf, 0, sizeof(buf));
	lc_rtp_build(buf, 0, false, 1, 2, 3);
	buf[0] |= 0x20 | 0x10 | 15;
	for (i = 0; i < 15; i++)
		wr32(buf + 12 + 4 * i, 0x1000 + i);
	wr16(buf + 72, 0xbede);
	wr16(buf + 74, 2);
	for (i = 0; i < 7; i++)
		buf[84 + i] = 'a' + i;
	buf[95] = 5;
	ck_assert_int_eq(check_parse(buf, 96), LC_RTP_OK);
	ck_assert_int_eq(lc_rtp_parse(buf, 96, &pkt), LC_RTP_OK);
	ck_assert_ptr_eq(pkt.payload, buf + 84);
	ck_assert_uint_eq(pkt.len, 7);
	ck_assert_mem_eq(pkt.payload, "abcdefg", 7);

	/* padding that takes the whole payload */
	buf[95] = 12;
	ck_assert_int_eq(check_parse(buf, 96), LC_RTP_OK);
	ck_assert_int_eq(lc_rtp_parse(buf, 96, &pkt), LC_RTP_OK);
	ck_assert_uint_eq(pkt.len, 0);

	/* an extension of 0 words that ends the packet */
	memset(buf, 0, sizeof(buf));
	lc_rtp_build(buf, 0, false, 1, 2, 3);
	buf[0] |= 0x10;
	ck_assert_int_eq(check_parse(buf, 16), LC_RTP_OK);
	ck_assert_int_eq(lc_rtp_parse(buf, 16, &pkt), LC_RTP_OK);
	ck_assert_uint_eq(pkt.len, 0);
	ck_assert_ptr_eq(pkt.payload, buf + 16);

	/* one byte of padding and nothing else after the header */
	lc_rtp_build(buf, 0, false, 1, 2, 3);
	buf[0] |= 0x20;
	buf[12] = 1;
	ck_assert_int_eq(check_parse(buf, 13), LC_RTP_OK);
	ck_assert_int_eq(lc_rtp_parse(buf, 13, &pkt), LC_RTP_OK);
	ck_assert_uint_eq(pkt.len, 0);
}
END_TEST

START_TEST(test_parse_hostile)
{
	u8 buf[300];
	unsigned int len, i, v;

	/* shorter than a header, whatever the bytes */
	for (len = 0; len < LC_RTP_HDR_LEN; len++) {
		memset(buf, 0x80, sizeof(buf));
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_ERR_SHORT);
	}

	/* versions 0, 1 and 3 */
	for (v = 0; v < 4; v++) {
		if (v == 2)
			continue;
		memset(buf, 0, sizeof(buf));
		buf[0] = v << 6;
		for (len = 12; len < 40; len++)
			ck_assert_int_eq(check_parse(buf, len),
					 LC_RTP_ERR_VERSION);
		buf[0] = v << 6 | 0x3f;		/* and every flag */
		ck_assert_int_eq(check_parse(buf, 12), LC_RTP_ERR_VERSION);
	}

	/* CC = 15 needs 72 bytes */
	memset(buf, 0, sizeof(buf));
	lc_rtp_build(buf, 0, false, 1, 2, 3);
	buf[0] |= 15;
	for (len = 12; len < 72; len++)
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_ERR_CSRC);
	ck_assert_int_eq(check_parse(buf, 72), LC_RTP_OK);
	/* each CSRC count one word short */
	for (i = 1; i <= 15; i++) {
		buf[0] = 0x80 | i;
		ck_assert_int_eq(check_parse(buf, 12 + 4 * i - 1),
				 LC_RTP_ERR_CSRC);
		ck_assert_int_eq(check_parse(buf, 12 + 4 * i), LC_RTP_OK);
	}

	/* extension header cut short, extension length past the end */
	memset(buf, 0, sizeof(buf));
	lc_rtp_build(buf, 0, false, 1, 2, 3);
	buf[0] |= 0x10;
	wr16(buf + 14, 3);
	for (len = 12; len < 28; len++)
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_ERR_EXT);
	ck_assert_int_eq(check_parse(buf, 28), LC_RTP_OK);
	wr16(buf + 14, 0xffff);
	ck_assert_int_eq(check_parse(buf, sizeof(buf)), LC_RTP_ERR_EXT);
	/* with CSRCs in front */
	buf[0] = 0x90 | 2;
	wr16(buf + 22, 1);
	ck_assert_int_eq(check_parse(buf, 27), LC_RTP_ERR_EXT);
	ck_assert_int_eq(check_parse(buf, 28), LC_RTP_OK);
	ck_assert_int_eq(check_parse(buf, 23), LC_RTP_ERR_EXT);
	ck_assert_int_eq(check_parse(buf, 19), LC_RTP_ERR_CSRC);

	/* padding: count 0, count past the payload, no room for the count */
	memset(buf, 0, sizeof(buf));
	lc_rtp_build(buf, 0, false, 1, 2, 3);
	buf[0] |= 0x20;
	ck_assert_int_eq(check_parse(buf, 12), LC_RTP_ERR_PADDING);
	for (len = 13; len < 40; len++) {
		buf[len - 1] = 0;
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_ERR_PADDING);
		buf[len - 1] = len - 12 + 1;
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_ERR_PADDING);
		buf[len - 1] = 255;
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_ERR_PADDING);
		buf[len - 1] = len - 12;
		ck_assert_int_eq(check_parse(buf, len), LC_RTP_OK);
		buf[len - 1] = 0;
	}
	/* the padding may not eat into the CSRC list or the extension */
	buf[0] = 0xa0 | 1;
	buf[19] = 5;
	ck_assert_int_eq(check_parse(buf, 20), LC_RTP_ERR_PADDING);
	buf[19] = 4;
	ck_assert_int_eq(check_parse(buf, 20), LC_RTP_OK);
	buf[0] = 0xb0;
	wr16(buf + 14, 1);
	buf[24] = 0;
	buf[25] = 2;
	ck_assert_int_eq(check_parse(buf, 26), LC_RTP_OK);
	buf[25] = 6;
	ck_assert_int_eq(check_parse(buf, 26), LC_RTP_OK);
	buf[25] = 7;
	ck_assert_int_eq(check_parse(buf, 26), LC_RTP_ERR_PADDING);
	buf[23] = 0;
	ck_assert_int_eq(check_parse(buf, 24), LC_RTP_ERR_PADDING);
}
END_TEST

/* Every length 0..40, random bytes, many times; exact-size buffers. */
START_TEST(test_parse_random_lengths)
{
	unsigned int len, n, i, ok = 0;
	u8 buf[40];

	rng_seed(1);
	for (len = 0; len <= 40; len++) {
		for (n = 0; n < 3000; n++) {
			for (i = 0; i < len; i++)
				buf[i] = rnd();
			/* half of them version 2, to get past the first test */
			if (len && (n & 1))
				buf[0] = (buf[0] & 0x3f) | 0x80;
			if (check_parse(buf, len) == LC_RTP_OK)
				ok++;
		}
	}
	ck_assert_uint_gt(ok, 1000);
}
END_TEST

/*
 * 100000 random packets, biased towards plausible headers so that every
 * branch is reached; each must be refused for the reference's reason or
 * parsed to exactly the reference's payload.
 */
START_TEST(test_parse_fuzz)
{
	unsigned int count[__LC_RTP_ERR_MAX] = { 0 };
	static u8 buf[1600];
	unsigned int n, i, len, hdr;
	enum lc_rtp_err r;

	rng_seed(2);
	for (n = 0; n < 100000; n++) {
		len = rnd_below(4) ? rnd_below(120) : rnd_below(sizeof(buf));
		for (i = 0; i < len; i++)
			buf[i] = rnd();
		if (len && rnd_below(8))
			buf[0] = (buf[0] & 0x3f) | 0x80;
		if (len && rnd_below(2))
			buf[0] &= ~0x0c;	/* CC <= 3 */
		hdr = 12 + 4 * (len ? buf[0] & 0x0f : 0);
		if (len >= hdr + 4 && rnd_below(2))
			buf[hdr + 2] = 0;	/* plausible extension */
		if (len && rnd_below(2))
			buf[len - 1] &= 0x1f;	/* plausible padding */
		r = check_parse(buf, len);
		ck_assert_int_lt(r, __LC_RTP_ERR_MAX);
		count[r]++;
	}
	/* every outcome the parser can give was seen many times */
	ck_assert_uint_gt(count[LC_RTP_OK], 1000);
	ck_assert_uint_gt(count[LC_RTP_ERR_SHORT], 1000);
	ck_assert_uint_gt(count[LC_RTP_ERR_VERSION], 1000);
	ck_assert_uint_gt(count[LC_RTP_ERR_CSRC], 1000);
	ck_assert_uint_gt(count[LC_RTP_ERR_EXT], 1000);
	ck_assert_uint_gt(count[LC_RTP_ERR_PADDING], 1000);
}
END_TEST

/* --- sequence numbers, RFC 3550 A.1 -------------------------------------- */

/* A valid source at @seq: the first packet is in probation, the second not. */
static void rx_start(struct lc_rtp_rx *rx, u16 seq)
{
	lc_rtp_rx_init(rx, 0x1234, seq);
	ck_assert_uint_eq(rx->ssrc, 0x1234);
	ck_assert_uint_eq(lc_rtp_rx_expected(rx), 0);
	ck_assert(!lc_rtp_rx_update(rx, seq, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_expected(rx), 0);
	ck_assert_int_eq(lc_rtp_rx_lost(rx), 0);
	ck_assert(lc_rtp_rx_update(rx, seq + 1, 160, 160));
	ck_assert_uint_eq(rx->received, 1);
	ck_assert_uint_eq(lc_rtp_rx_expected(rx), 1);
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(rx), (u16)(seq + 1));
}

START_TEST(test_seq_in_order)
{
	struct lc_rtp_rx rx;
	unsigned int i;

	rx_start(&rx, 1000);
	for (i = 2; i < 500; i++)
		ck_assert(lc_rtp_rx_update(&rx, 1000 + i, 160 * i, 160 * i));
	ck_assert_uint_eq(rx.received, 499);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 499);
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 0);
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 1499);
	ck_assert_uint_eq(lc_rtp_rx_jitter(&rx), 0);
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), 0);
}
END_TEST

START_TEST(test_seq_wrap)
{
	struct lc_rtp_rx rx;
	u16 seq = 65530;
	unsigned int i;

	rx_start(&rx, seq);
	for (i = 2; i < 20; i++)
		ck_assert(lc_rtp_rx_update(&rx, (u16)(seq + i), 0, 0));
	ck_assert_uint_eq(rx.cycles, 65536);
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 65536 + 13);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 19);
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 0);

	/* a late packet from before the wrap does not count a cycle */
	ck_assert(lc_rtp_rx_update(&rx, 65534, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 65536 + 13);
	ck_assert_uint_eq(rx.received, 20);

	/* several wraps */
	for (i = 0; i < 3 * 65536; i += 1000)
		ck_assert(lc_rtp_rx_update(&rx, (u16)(13 + i + 1000), 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 65536 + 13 + i);
	ck_assert_uint_eq(rx.cycles, 4 * 65536);

	/* probation across the wrap: 65535 then 0 is in sequence */
	lc_rtp_rx_init(&rx, 1, 65535);
	ck_assert(!lc_rtp_rx_update(&rx, 65535, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 0, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 1, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 2);
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 1);
	/* and a source starting at 0 */
	rx_start(&rx, 0);
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 1);
}
END_TEST

START_TEST(test_seq_duplicates_reorder)
{
	static const u16 order[] = { 3, 4, 6, 5, 7, 9, 8, 8, 10, 4, 11 };
	struct lc_rtp_rx rx;
	unsigned int i;

	rx_start(&rx, 1);	/* 1 in probation, 2 accepted */
	for (i = 0; i < ARRAY_SIZE(order); i++)
		ck_assert(lc_rtp_rx_update(&rx, order[i], 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 11);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 10);
	ck_assert_uint_eq(rx.received, 12);
	/* two duplicates: the loss is negative, as A.3 allows */
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), -2);
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), 0);

	/* the misorder window: 100 back is a jump, 99 back a late packet */
	rx_start(&rx, 1000);
	for (i = 1002; i <= 1200; i++)
		ck_assert(lc_rtp_rx_update(&rx, i, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 1200 - 99, 0, 0));
	ck_assert(!lc_rtp_rx_update(&rx, 1200 - 100, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 1200);
	ck_assert_uint_eq(rx.received, 201);
}
END_TEST

START_TEST(test_seq_jump)
{
	struct lc_rtp_rx rx;
	unsigned int i;

	/* a gap below MAX_DROPOUT is loss */
	rx_start(&rx, 100);
	ck_assert(lc_rtp_rx_update(&rx, 101 + 2999, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 3000);
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 2998);

	/* 3000 is a jump: refused until the next packet confirms it */
	rx_start(&rx, 100);
	ck_assert(!lc_rtp_rx_update(&rx, 101 + 3000, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 101);
	ck_assert_uint_eq(rx.received, 1);
	/* an unconfirmed jump changes nothing: the old sequence goes on */
	ck_assert(lc_rtp_rx_update(&rx, 102, 0, 0));
	ck_assert(!lc_rtp_rx_update(&rx, 30000, 0, 0));
	ck_assert(!lc_rtp_rx_update(&rx, 40000, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 103, 0, 0));
	ck_assert_uint_eq(rx.received, 3);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 3);

	/* confirmed: the source restarted, re-sync as a first packet */
	ck_assert(!lc_rtp_rx_update(&rx, 50000, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 50001, 0, 0));
	ck_assert_uint_eq(rx.base_seq, 50001);
	ck_assert_uint_eq(rx.received, 1);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 1);
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 50001);
	for (i = 2; i < 10; i++)
		ck_assert(lc_rtp_rx_update(&rx, 50000 + i, 0, 0));
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 0);

	/* a restart backwards (below the misorder window) too */
	ck_assert(!lc_rtp_rx_update(&rx, 10, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 11, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 11);
	ck_assert_uint_eq(rx.received, 1);
}
END_TEST

START_TEST(test_seq_probation)
{
	struct lc_rtp_rx rx;

	/* out of sequence in probation starts the probation over */
	lc_rtp_rx_init(&rx, 7, 500);
	ck_assert(!lc_rtp_rx_update(&rx, 500, 0, 0));
	ck_assert(!lc_rtp_rx_update(&rx, 700, 0, 0));
	ck_assert(!lc_rtp_rx_update(&rx, 900, 0, 0));
	ck_assert(!lc_rtp_rx_update(&rx, 900, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 0);
	ck_assert(lc_rtp_rx_update(&rx, 901, 0, 0));
	ck_assert_uint_eq(rx.base_seq, 901);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 1);
	ck_assert_uint_eq(rx.received, 1);
	ck_assert(lc_rtp_rx_update(&rx, 902, 0, 0));

	/* a first packet that is not the one init saw */
	lc_rtp_rx_init(&rx, 7, 500);
	ck_assert(!lc_rtp_rx_update(&rx, 600, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 601, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_ext_max_seq(&rx), 601);
}
END_TEST

/* --- loss and jitter, A.3 and A.8 ---------------------------------------- */

START_TEST(test_fraction_lost)
{
	struct lc_rtp_rx rx;
	unsigned int i, lost = 0;

	rx_start(&rx, 1);		/* base_seq 2 */
	for (i = 3; i <= 101; i++) {
		if (i % 10 == 0) {
			lost++;
			continue;
		}
		ck_assert(lc_rtp_rx_update(&rx, i, 0, 0));
	}
	ck_assert_uint_eq(lost, 10);
	ck_assert_uint_eq(lc_rtp_rx_expected(&rx), 100);
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 10);
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), (10 << 8) / 100);
	/* the priors moved: nothing new, nothing lost */
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), 0);

	/* next interval: 50 expected, 25 lost -> 128 (one half) */
	for (i = 102; i <= 151; i++)
		if (i & 1)
			ck_assert(lc_rtp_rx_update(&rx, i, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), 128);
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 35);

	/* late packets make up for the loss: the interval's loss is < 0 */
	for (i = 102; i <= 151; i++)
		if (!(i & 1))
			ck_assert(lc_rtp_rx_update(&rx, i, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 152, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), 0);
	ck_assert_int_eq(lc_rtp_rx_lost(&rx), 10);

	/* one out of 3 arrives: 2/3 -> 170 */
	for (i = 153; i <= 452; i++)
		if (i % 3 == 0)
			ck_assert(lc_rtp_rx_update(&rx, i, 0, 0));
	ck_assert(lc_rtp_rx_update(&rx, 453, 0, 0));
	ck_assert_uint_eq(lc_rtp_rx_fraction(&rx), (200 << 8) / 301);
}
END_TEST

/*
 * A scripted arrival pattern: 20 ms packets with network delay that
 * wanders, bursts and spikes; A.8 done in doubles alongside.
 */
START_TEST(test_jitter)
{
	struct lc_rtp_rx rx;
	double j = 0, d, transit, prev = 0;
	u32 ts0 = 0xfffff000, t0 = 123456789, ts, arrival;
	int delay, i;

	rng_seed(3);
	lc_rtp_rx_init(&rx, 1, 10);
	ck_assert(!lc_rtp_rx_update(&rx, 10, ts0 - 160, t0 - 160 + 400));
	for (i = 0; i < 3000; i++) {
		ts = ts0 + 160 * i;	/* wraps */
		if (i < 500)
			delay = 400;				/* steady */
		else if (i < 1000)
			delay = 400 + rnd_below(80);		/* 10 ms */
		else if (i < 1500)
			delay = 400 + (i % 50) * 40;		/* ramps */
		else if (i < 2000)
			delay = (i % 100) == 0 ? 4000 : 400;	/* spikes */
		else
			delay = 400 + rnd_below(1600);		/* 200 ms */
		arrival = t0 + 160 * i + delay;
		ck_assert(lc_rtp_rx_update(&rx, 11 + i, ts, arrival));
		transit = (double)(s32)(arrival - ts);
		if (i) {
			d = fabs(transit - prev);
			j += (d - j) / 16.0;
		}
		prev = transit;
		/* the scaled value within rounding, the reported one floored */
		ck_assert_msg(fabs(rx.jitter / 16.0 - j) <= 0.5,
			      "packet %d: jitter %u/16, expected %f", i,
			      rx.jitter, j);
		ck_assert_msg(fabs(lc_rtp_rx_jitter(&rx) - j) < 1.5,
			      "packet %d: jitter %u, expected %f", i,
			      lc_rtp_rx_jitter(&rx), j);
		if (i == 499)
			ck_assert_uint_eq(lc_rtp_rx_jitter(&rx), 0);
	}
	ck_assert_uint_gt(lc_rtp_rx_jitter(&rx), 300);

	/* refused packets do not touch the jitter */
	i = rx.jitter;
	ck_assert(!lc_rtp_rx_update(&rx, 40000, 0, 0));
	ck_assert_uint_eq(rx.jitter, i);

	/* hostile timestamps cannot overflow it */
	rx_start(&rx, 10);
	for (i = 0; i < 2000; i++)
		ck_assert(lc_rtp_rx_update(&rx, 12 + i,
					   (i & 1) ? 0x80000000 : 0, 0));
	ck_assert_uint_ge(lc_rtp_rx_jitter(&rx), 0x0fffff00);
	ck_assert_uint_le(rx.jitter, 0xfffffff0);
}
END_TEST

/* --- RFC 4733 sender ------------------------------------------------------ */

struct te_pkt {
	u8 b[4];
	u32 ts;
	bool marker;
};

/* Run the sender to the end; returns the number of packets. */
static unsigned int te_run(struct lc_te_tx *te, u32 step, struct te_pkt *p,
			   unsigned int max, unsigned int end_after)
{
	unsigned int n = 0;

	while (n < max) {
		if (n == end_after)
			lc_te_tx_end(te);
		memset(p[n].b, 0xee, 4);
		if (!lc_te_tx_next(te, step, p[n].b, &p[n].marker))
			break;
		p[n].ts = te->ts;
		n++;
	}
	return n;
}

START_TEST(test_te_tx_100ms)
{
	static const u8 want[7][4] = {
		{ 5, 10, 0x00, 0xa0 },		/* 160 */
		{ 5, 10, 0x01, 0x40 },		/* 320 */
		{ 5, 10, 0x01, 0xe0 },		/* 480 */
		{ 5, 10, 0x02, 0x80 },		/* 640 */
		{ 5, 0x80 | 10, 0x03, 0x20 },	/* 800, end */
		{ 5, 0x80 | 10, 0x03, 0x20 },
		{ 5, 0x80 | 10, 0x03, 0x20 },
	};
	struct te_pkt p[20];
	struct lc_te_tx te;
	unsigned int n, i;
	bool m;
	u8 b[4];

	lc_te_tx_start(&te, 5, 10, 0x12345678, 800);
	n = te_run(&te, 160, p, 20, ~0U);
	ck_assert_uint_eq(n, 7);
	for (i = 0; i < n; i++) {
		ck_assert_mem_eq(p[i].b, want[i], 4);
		ck_assert_uint_eq(p[i].ts, 0x12345678);
		ck_assert_int_eq(p[i].marker, i == 0);
	}
	ck_assert(!te.active);
	ck_assert(!lc_te_tx_next(&te, 160, b, &m));

	/* the same, ended by the key: the end packet adds the interval */
	lc_te_tx_start(&te, 5, 10, 0x12345678, 0);
	n = te_run(&te, 160, p, 20, 4);
	ck_assert_uint_eq(n, 7);
	for (i = 0; i < n; i++) {
		ck_assert_mem_eq(p[i].b, want[i], 4);
		ck_assert_int_eq(p[i].marker, i == 0);
	}

	/* ended before the first packet: one end packet with the marker */
	lc_te_tx_start(&te, 11, 99, 1, 0);
	ck_assert_uint_eq(te.volume, 63);
	n = te_run(&te, 80, p, 20, 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(p[i].b[0], 11);
		ck_assert_uint_eq(p[i].b[1], 0x80 | 63);
		ck_assert_uint_eq(be16(p[i].b + 2), 80);
		ck_assert_int_eq(p[i].marker, i == 0);
	}

	/* a maximum that is not a whole number of intervals */
	lc_te_tx_start(&te, 200, 0, 7, 700);
	n = te_run(&te, 160, p, 20, ~0U);
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(be16(p[4].b + 2), 700);
	ck_assert_uint_eq(p[4].b[1], 0x80);
	ck_assert_uint_eq(be16(p[3].b + 2), 640);
	ck_assert_uint_eq(p[3].b[0], 200);

	/* nothing to send before a start, nor after an end on an idle one */
	memset(&te, 0, sizeof(te));
	lc_te_tx_end(&te);
	ck_assert(!lc_te_tx_next(&te, 160, b, &m));
}
END_TEST

START_TEST(test_te_tx_long)
{
	static struct te_pkt p[1000];
	struct lc_te_tx te;
	unsigned int n, i, segs = 0;
	u32 t = 0xffff0000, last_end = 0;

	/* 10 s: 80000 units, 20 ms packets */
	lc_te_tx_start(&te, 1, 5, t, 80000);
	n = te_run(&te, 160, p, 1000, ~0U);
	/* 409 packets to 65440, one of 0xFFFF, then 225 .. 14465 */
	ck_assert_uint_eq(p[408].ts, t);
	ck_assert_uint_eq(be16(p[408].b + 2), 65440);
	ck_assert_uint_eq(p[409].ts, t);
	ck_assert_uint_eq(be16(p[409].b + 2), 0xffff);
	ck_assert_uint_eq(p[409].b[1], 5);	/* no E bit */
	ck_assert_uint_eq(p[410].ts, t + 0xffff);
	ck_assert_uint_eq(be16(p[410].b + 2), 65760 - 65535);
	ck_assert(!p[410].marker);
	ck_assert_uint_eq(n, 500 + 3 - 1);
	for (i = n - 3; i < n; i++) {
		ck_assert_uint_eq(p[i].ts, t + 0xffff);
		ck_assert_uint_eq(p[i].b[1], 0x80 | 5);
		ck_assert_uint_eq(be16(p[i].b + 2), 80000 - 65535);
	}
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(p[i].marker, i == 0);
		ck_assert_uint_eq(p[i].b[0], 1);
		ck_assert((p[i].b[1] & 0x80) == (i >= n - 3 ? 0x80 : 0));
	}

	/* 25 s, ended by the key: 4 segments, durations never past 0xFFFF */
	lc_te_tx_start(&te, 2, 0, 1000, 0);
	n = te_run(&te, 480, p, 1000, 25 * 8000 / 480);
	for (i = 0; i < n; i++) {
		u32 dur = be16(p[i].b + 2);

		if (i && p[i].ts != p[i - 1].ts) {
			ck_assert_uint_eq(p[i].ts, p[i - 1].ts + 0xffff);
			ck_assert_uint_eq(be16(p[i - 1].b + 2), 0xffff);
			/* the closing packet took an interval too */
			ck_assert_uint_gt(dur, 480);
			ck_assert_uint_le(dur, 960);
			segs++;
		} else if (i && dur != 0xffff && !(p[i].b[1] & 0x80)) {
			ck_assert_uint_eq(dur, be16(p[i - 1].b + 2) + 480);
		}
		if (p[i].b[1] & 0x80)
			last_end = p[i].ts + dur - 1000;
	}
	ck_assert_uint_eq(segs, 3);
	ck_assert_uint_eq(last_end, (25 * 8000 / 480 + 1) * 480);
	ck_assert_uint_eq(te.duration, last_end);
}
END_TEST

/* --- RFC 4733 receiver ---------------------------------------------------- */

struct te_rep {
	int r;
	u8 ev;
	u32 dur;
};

/* One packet, then drain; returns the number of reports. */
static int te_feed(struct lc_te_rx *rx, u32 ts, u8 ev, bool end, u32 dur,
		   struct te_rep *rep)
{
	u8 b[4] = { ev, (end ? 0x80 : 0) | 0x40 | 17, dur >> 8, dur };
	int n = 0, r;

	r = lc_te_rx_packet(rx, ts, b, 4, &rep[0].ev, &rep[0].dur);
	ck_assert_int_ge(r, 0);
	while (r != LC_TE_NONE) {
		ck_assert_int_lt(n, 3);
		rep[n++].r = r;
		r = lc_te_rx_next(rx, &rep[n].ev, &rep[n].dur);
	}
	return n;
}

#define FEED_NONE(t, code, e, d)					\
	ck_assert_int_eq(te_feed(&rx, t, code, e, d, rep), 0)

#define FEED_ONE(t, code, e, d, res, rcode, rdur)	do {		\
	ck_assert_int_eq(te_feed(&rx, t, code, e, d, rep), 1);		\
	ck_assert_int_eq(rep[0].r, res);				\
	ck_assert_uint_eq(rep[0].ev, rcode);				\
	ck_assert_uint_eq(rep[0].dur, rdur);				\
} while (0)

START_TEST(test_te_rx_basic)
{
	struct lc_te_rx rx;
	struct te_rep rep[4];
	struct te_pkt p[20];
	struct lc_te_tx tx;
	unsigned int n, i;
	int starts = 0, ends = 0, k, j;

	/* the sender's packets: START once, END once */
	lc_te_rx_init(&rx);
	lc_te_tx_start(&tx, 9, 10, 5000, 800);
	n = te_run(&tx, 160, p, 20, ~0U);
	for (i = 0; i < n; i++) {
		k = te_feed(&rx, p[i].ts, p[i].b[0], p[i].b[1] & 0x80,
			    be16(p[i].b + 2), rep);
		for (j = 0; j < k; j++) {
			ck_assert_uint_eq(rep[j].ev, 9);
			if (rep[j].r == LC_TE_START) {
				ck_assert_uint_eq(i, 0);
				ck_assert_uint_eq(rep[j].dur, 160);
				starts++;
			} else {
				ck_assert_int_eq(rep[j].r, LC_TE_END);
				ck_assert_uint_eq(i, 4);
				ck_assert_uint_eq(rep[j].dur, 800);
				ends++;
			}
		}
	}
	ck_assert_int_eq(starts, 1);
	ck_assert_int_eq(ends, 1);

	/* the same end packets again, and late updates: nothing */
	FEED_NONE(5000, 9, true, 800);
	FEED_NONE(5000, 9, false, 640);
	/* the next digit */
	FEED_ONE(6600, 3, false, 160, LC_TE_START, 3, 160);
	FEED_NONE(6600, 3, false, 320);
	FEED_NONE(6600, 3, false, 160);		/* reordered */
	FEED_ONE(6600, 3, true, 480, LC_TE_END, 3, 480);
	FEED_NONE(6600, 3, true, 480);
	FEED_NONE(6600, 3, true, 480);
	/* a late packet of the previous digit */
	FEED_NONE(5000, 9, true, 800);
	/* the same digit pressed again */
	FEED_ONE(8000, 3, false, 160, LC_TE_START, 3, 160);
	FEED_ONE(8000, 3, true, 320, LC_TE_END, 3, 320);

	/* the first packets lost: START on the first one that arrives */
	FEED_ONE(9000, 4, false, 480, LC_TE_START, 4, 480);
	/* an end packet without E's predecessors giving a longer duration */
	FEED_ONE(9000, 4, true, 960, LC_TE_END, 4, 960);

	/* events above 16 are events too; the volume is only parsed */
	FEED_ONE(10000, 255, false, 0, LC_TE_START, 255, 0);
	FEED_ONE(10000, 255, true, 0, LC_TE_END, 255, 0);
}
END_TEST

START_TEST(test_te_rx_lost_end)
{
	static const u8 one[4] = { 1, 0, 0, 160 };
	static const u8 two_end[4] = { 2, 0x80, 0, 160 };
	struct lc_te_rx rx;
	struct te_rep rep[4];
	u8 ev;
	u32 dur;

	lc_te_rx_init(&rx);
	FEED_ONE(1000, 1, false, 160, LC_TE_START, 1, 160);
	FEED_NONE(1000, 1, false, 320);
	/* every end packet lost; the next digit: END of 1, START of 2 */
	ck_assert_int_eq(te_feed(&rx, 2000, 2, false, 160, rep), 2);
	ck_assert_int_eq(rep[0].r, LC_TE_END);
	ck_assert_uint_eq(rep[0].ev, 1);
	ck_assert_uint_eq(rep[0].dur, 320);
	ck_assert_int_eq(rep[1].r, LC_TE_START);
	ck_assert_uint_eq(rep[1].ev, 2);

	/* the same digit pressed again, its end lost: new timestamp */
	ck_assert_int_eq(te_feed(&rx, 3000, 2, false, 160, rep), 2);
	ck_assert_int_eq(rep[0].r, LC_TE_END);
	ck_assert_uint_eq(rep[0].ev, 2);
	ck_assert_uint_eq(rep[0].dur, 160);
	ck_assert_int_eq(rep[1].r, LC_TE_START);
	ck_assert_uint_eq(rep[1].ev, 2);

	/* a new event code on the same timestamp is a new event */
	ck_assert_int_eq(te_feed(&rx, 3000, 7, false, 160, rep), 2);
	ck_assert_int_eq(rep[0].r, LC_TE_END);
	ck_assert_uint_eq(rep[0].ev, 2);
	ck_assert_int_eq(rep[1].r, LC_TE_START);
	ck_assert_uint_eq(rep[1].ev, 7);

	/* only the end packets of the next one arrive: START and END */
	ck_assert_int_eq(te_feed(&rx, 4000, 8, true, 800, rep), 3);
	ck_assert_int_eq(rep[0].r, LC_TE_END);
	ck_assert_uint_eq(rep[0].ev, 7);
	ck_assert_int_eq(rep[1].r, LC_TE_START);
	ck_assert_uint_eq(rep[1].ev, 8);
	ck_assert_int_eq(rep[2].r, LC_TE_END);
	ck_assert_uint_eq(rep[2].ev, 8);
	ck_assert_uint_eq(rep[2].dur, 800);
	FEED_NONE(4000, 8, true, 800);

	/* without draining, the reports come one a packet, in order */
	ck_assert_int_eq(lc_te_rx_packet(&rx, 5000, one, 4, &ev, &dur),
			 LC_TE_START);
	ck_assert_int_eq(lc_te_rx_packet(&rx, 6000, two_end, 4, &ev, &dur),
			 LC_TE_END);
	ck_assert_uint_eq(ev, 1);
	ck_assert_int_eq(lc_te_rx_packet(&rx, 6000, two_end, 4, &ev, &dur),
			 LC_TE_START);
	ck_assert_uint_eq(ev, 2);
	ck_assert_int_eq(lc_te_rx_packet(&rx, 6000, two_end, 4, &ev, &dur),
			 LC_TE_END);
	ck_assert_uint_eq(ev, 2);
	ck_assert_uint_eq(dur, 160);
	ck_assert_int_eq(lc_te_rx_packet(&rx, 6000, two_end, 4, &ev, &dur),
			 LC_TE_NONE);

	/* the stream stops during an event: flush reports its END once */
	FEED_ONE(7000, 6, false, 320, LC_TE_START, 6, 320);
	ck_assert_int_eq(lc_te_rx_flush(&rx, &ev, &dur), LC_TE_END);
	ck_assert_uint_eq(ev, 6);
	ck_assert_uint_eq(dur, 320);
	ck_assert_int_eq(lc_te_rx_flush(&rx, &ev, &dur), LC_TE_NONE);
	FEED_NONE(7000, 6, true, 480);
	ck_assert_int_eq(lc_te_rx_next(&rx, &ev, &dur), LC_TE_NONE);
}
END_TEST

START_TEST(test_te_rx_malformed)
{
	static const u8 b[8] = { 1, 0, 0, 160, 2, 0, 0, 160 };
	struct lc_te_rx rx;
	unsigned int len;
	u8 ev;
	u32 dur;

	lc_te_rx_init(&rx);
	for (len = 0; len < LC_TE_PAYLOAD_LEN; len++) {
		u8 *p = exact(b, len);

		ck_assert_int_eq(lc_te_rx_packet(&rx, 1, p, len, &ev, &dur),
				 -EINVAL);
		free(p);
	}
	ck_assert_int_eq(lc_te_rx_packet(&rx, 1, NULL, 4, &ev, &dur), -EINVAL);
	ck_assert(!rx.active);
	/* a malformed packet changes nothing */
	ck_assert_int_eq(lc_te_rx_packet(&rx, 1, b, 8, &ev, &dur),
			 LC_TE_START);
	ck_assert_uint_eq(ev, 1);
	ck_assert_int_eq(lc_te_rx_packet(&rx, 1, b, 3, &ev, &dur), -EINVAL);
	ck_assert_int_eq(lc_te_rx_packet(&rx, 1, b, 4, &ev, &dur),
			 LC_TE_NONE);
}
END_TEST

START_TEST(test_te_rx_long)
{
	static struct te_pkt p[2000];
	struct te_rep rep[4];
	struct lc_te_rx rx;
	struct lc_te_tx tx;
	unsigned int n, i;
	int k, starts = 0, ends = 0;

	/* 20 s through the sender and receiver: one START, one END */
	lc_te_rx_init(&rx);
	lc_te_tx_start(&tx, 0, 10, 0xfffe0000, 160000);
	n = te_run(&tx, 160, p, 2000, ~0U);
	for (i = 0; i < n; i++) {
		k = te_feed(&rx, p[i].ts, p[i].b[0], p[i].b[1] & 0x80,
			    be16(p[i].b + 2), rep);
		while (k--) {
			if (rep[k].r == LC_TE_START) {
				starts++;
			} else {
				ends++;
				ck_assert_uint_eq(rep[k].dur, 160000);
			}
		}
		if (i == 100) {
			/* a lost segment end: still the same event */
			i = 409;
		}
	}
	ck_assert_int_eq(starts, 1);
	ck_assert_int_eq(ends, 1);

	/* the same digit starting later than a segment's end is new */
	lc_te_rx_init(&rx);
	FEED_ONE(0, 5, false, 65000, LC_TE_START, 5, 65000);
	ck_assert_int_eq(te_feed(&rx, 65400, 5, false, 160, rep), 2);
	ck_assert_int_eq(rep[0].r, LC_TE_END);
	ck_assert_uint_eq(rep[0].dur, 65000);
	/* a next segment at the last duration received */
	FEED_NONE(65400 + 160, 5, false, 160);
	FEED_ONE(65400 + 320, 5, true, 100, LC_TE_END, 5, 420);
}
END_TEST

/* Random payloads and timestamps: no crash, reports alternate per event. */
START_TEST(test_te_rx_fuzz)
{
	struct lc_te_rx rx;
	unsigned int n, len, i;
	u8 b[8], ev;
	u32 dur, ts = 0;
	int r, open = 0;

	rng_seed(4);
	lc_te_rx_init(&rx);
	for (n = 0; n < 100000; n++) {
		u8 *p;

		len = rnd_below(9);
		for (i = 0; i < len; i++)
			b[i] = rnd() & (i == 0 ? 3 : 0xff);
		if (rnd_below(4) == 0)
			ts += rnd_below(3) * 160;
		else if (rnd_below(50) == 0)
			ts = rnd();
		p = exact(b, len);
		r = lc_te_rx_packet(&rx, ts, p, len, &ev, &dur);
		free(p);
		if (len < 4) {
			ck_assert_int_eq(r, -EINVAL);
			continue;
		}
		while (r != LC_TE_NONE) {
			/* START and END alternate, never two of a kind */
			if (r == LC_TE_START) {
				ck_assert_int_eq(open, 0);
				open = 1;
			} else {
				ck_assert_int_eq(r, LC_TE_END);
				ck_assert_int_eq(open, 1);
				open = 0;
			}
			r = lc_te_rx_next(&rx, &ev, &dur);
		}
	}
}
END_TEST

/* --- RTCP ----------------------------------------------------------------- */

START_TEST(test_rtcp_build_sr)
{
	struct lc_rtcp_sr_info sr = {
		.ntp = 0x83aa7e80deadbeefULL,
		.rtp_ts = 0x11223344,
		.packets = 1000,
		.octets = 160000,
	};
	struct lc_rtcp_report rb = {
		.ssrc = 0xcafe,
		.fraction_lost = 25,
		.cumulative_lost = -3,
		.ext_max_seq = 0x10005,
		.jitter = 17,
		.lsr = 0x7e80dead,
		.dlsr = 0x18000,
	};
	struct lc_rtcp_parsed out;
	u8 buf[200];
	unsigned int len, i;

	memset(buf, 0xee, sizeof(buf));
	len = lc_rtcp_build(buf, sizeof(buf), 0xabcd, &sr, &rb,
			    "line0@example");
	/* SR 28 + block 24, SDES 4 + chunk (4 + 2 + 13 + 1 -> 20) */
	ck_assert_uint_eq(len, 28 + 24 + 4 + 20);
	ck_assert_uint_eq(buf[len], 0xee);
	ck_assert_uint_eq(buf[0], 0x81);
	ck_assert_uint_eq(buf[1], 200);
	ck_assert_uint_eq(be16(buf + 2), 12);
	ck_assert_uint_eq(be32(buf + 4), 0xabcd);
	ck_assert_uint_eq(be32(buf + 8), 0x83aa7e80);
	ck_assert_uint_eq(be32(buf + 12), 0xdeadbeef);
	ck_assert_uint_eq(be32(buf + 16), 0x11223344);
	ck_assert_uint_eq(be32(buf + 20), 1000);
	ck_assert_uint_eq(be32(buf + 24), 160000);
	ck_assert_uint_eq(be32(buf + 28), 0xcafe);
	ck_assert_uint_eq(be32(buf + 32), 25u << 24 | 0xfffffd);
	ck_assert_uint_eq(be32(buf + 36), 0x10005);
	ck_assert_uint_eq(be32(buf + 40), 17);
	ck_assert_uint_eq(be32(buf + 44), 0x7e80dead);
	ck_assert_uint_eq(be32(buf + 48), 0x18000);
	ck_assert_uint_eq(buf[52], 0x81);
	ck_assert_uint_eq(buf[53], 202);
	ck_assert_uint_eq(be16(buf + 54), 5);
	ck_assert_uint_eq(be32(buf + 56), 0xabcd);
	ck_assert_uint_eq(buf[60], 1);
	ck_assert_uint_eq(buf[61], 13);
	ck_assert_mem_eq(buf + 62, "line0@example", 13);
	for (i = 75; i < len; i++)
		ck_assert_uint_eq(buf[i], 0);

	/* and back, as the peer would see it */
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 0xcafe, &out), 0);
	ck_assert(out.have_sr);
	ck_assert_uint_eq(out.sr_ssrc, 0xabcd);
	ck_assert_uint_eq(out.sr_ntp_mid, 0x7e80dead);
	ck_assert(out.have_rb);
	ck_assert_uint_eq(out.rb.ssrc, 0xcafe);
	ck_assert_uint_eq(out.rb.fraction_lost, 25);
	ck_assert_int_eq(out.rb.cumulative_lost, -3);
	ck_assert_uint_eq(out.rb.ext_max_seq, 0x10005);
	ck_assert_uint_eq(out.rb.jitter, 17);
	ck_assert_uint_eq(out.rb.lsr, 0x7e80dead);
	ck_assert_uint_eq(out.rb.dlsr, 0x18000);
	/* a block about someone else is not ours */
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 0xcaff, &out), 0);
	ck_assert(out.have_sr);
	ck_assert(!out.have_rb);

	/* every size too small is refused, the exact one is enough */
	for (i = 0; i < len; i++)
		ck_assert_uint_eq(lc_rtcp_build(buf, i, 0xabcd, &sr, &rb,
						 "line0@example"), 0);
	ck_assert_uint_eq(lc_rtcp_build(buf, len, 0xabcd, &sr, &rb,
					"line0@example"), len);
}
END_TEST

START_TEST(test_rtcp_build_rr)
{
	struct lc_rtcp_report rb = { .ssrc = 1, .cumulative_lost = 5 };
	struct lc_rtcp_parsed out;
	char cname[300];
	u8 buf[400];
	unsigned int len, n, want, sdes;

	/* CNAME lengths 0..8 give 1..4 bytes of null padding */
	for (n = 0; n <= 8; n++) {
		memset(cname, 'x', n);
		cname[n] = 0;
		memset(buf, 0xee, sizeof(buf));
		len = lc_rtcp_build(buf, sizeof(buf), 0x42, NULL, &rb, cname);
		sdes = 4 + ((4 + 2 + n + 1 + 3) & ~3U);
		want = 8 + 24 + sdes;
		ck_assert_uint_eq(len, want);
		ck_assert_uint_eq(len % 4, 0);
		ck_assert_uint_eq(buf[0], 0x81);
		ck_assert_uint_eq(buf[1], 201);
		ck_assert_uint_eq(be16(buf + 2), 7);
		ck_assert_uint_eq(be16(buf + 34), sdes / 4 - 1);
		ck_assert_uint_eq(buf[41], n);
		ck_assert_uint_eq(buf[42 + n], 0);
		ck_assert_uint_eq(buf[len - 1], 0);
		ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);
		ck_assert(!out.have_sr);
		ck_assert(out.have_rb);
		ck_assert_int_eq(out.rb.cumulative_lost, 5);
	}

	/* no block: RC 0; a NULL CNAME is empty */
	len = lc_rtcp_build(buf, sizeof(buf), 0x42, NULL, NULL, NULL);
	ck_assert_uint_eq(len, 8 + 12);
	ck_assert_uint_eq(buf[0], 0x80);
	ck_assert_uint_eq(be16(buf + 2), 1);
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);
	ck_assert(!out.have_rb);

	/* an SR without a block */
	{
		struct lc_rtcp_sr_info sr = { .ntp = 1ULL << 32 };

		len = lc_rtcp_build(buf, sizeof(buf), 0x42, &sr, NULL, "a");
		ck_assert_uint_eq(len, 28 + 12);
		ck_assert_uint_eq(be16(buf + 2), 6);
		ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);
		ck_assert(out.have_sr);
		ck_assert_uint_eq(out.sr_ntp_mid, 0x10000);
	}

	/* a CNAME is cut at 255 bytes */
	memset(cname, 'y', 299);
	cname[299] = 0;
	len = lc_rtcp_build(buf, sizeof(buf), 0x42, NULL, NULL, cname);
	ck_assert_uint_eq(len, 8 + 4 + ((4 + 2 + 255 + 1 + 3) & ~3U));
	ck_assert_uint_eq(buf[17], 255);
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);

	/* the cumulative loss is clamped to 24 bits, both ways */
	rb.cumulative_lost = 10000000;
	len = lc_rtcp_build(buf, sizeof(buf), 0x42, NULL, &rb, "");
	ck_assert_uint_eq(be32(buf + 12) & 0xffffff, 0x7fffff);
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);
	ck_assert_int_eq(out.rb.cumulative_lost, 0x7fffff);
	rb.cumulative_lost = -10000000;
	len = lc_rtcp_build(buf, sizeof(buf), 0x42, NULL, &rb, "");
	ck_assert_uint_eq(be32(buf + 12) & 0xffffff, 0x800000);
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);
	ck_assert_int_eq(out.rb.cumulative_lost, -0x800000);
	rb.fraction_lost = 255;
	rb.cumulative_lost = -1;
	len = lc_rtcp_build(buf, sizeof(buf), 0x42, NULL, &rb, "");
	ck_assert_uint_eq(be32(buf + 12), 0xffffffff);
	ck_assert_int_eq(lc_rtcp_parse(buf, len, 1, &out), 0);
	ck_assert_int_eq(out.rb.cumulative_lost, -1);
	ck_assert_uint_eq(out.rb.fraction_lost, 255);
}
END_TEST

static int rtcp_parse_exact(const u8 *src, unsigned int len, u32 ssrc,
			    struct lc_rtcp_parsed *out)
{
	u8 *b = exact(src, len);
	int r = lc_rtcp_parse(b, len, ssrc, out);

	free(b);
	return r;
}

START_TEST(test_rtcp_compound)
{
	struct lc_rtcp_report rb = { .ssrc = 9, .jitter = 3 };
	struct lc_rtcp_sr_info sr = { .ntp = 0x0000123456780000ULL };
	struct lc_rtcp_parsed out;
	u8 good[200], b[200];
	unsigned int len, n, i;

	len = lc_rtcp_build(good, sizeof(good), 0x42, &sr, &rb, "cn");
	ck_assert_uint_eq(len, 52 + 16);
	/* a BYE after it */
	good[len] = 0x81;
	good[len + 1] = 203;
	wr16(good + len + 2, 1);
	wr32(good + len + 4, 0x42);
	len += 8;
	ck_assert_int_eq(rtcp_parse_exact(good, len, 9, &out), 0);
	ck_assert(out.have_sr && out.have_rb);
	ck_assert_uint_eq(out.sr_ntp_mid, 0x12345678);
	ck_assert_uint_eq(out.rb.jitter, 3);

	/* every truncation is refused, but at a packet boundary */
	for (n = 0; n < len; n++)
		ck_assert_int_eq(rtcp_parse_exact(good, n, 9, &out),
				 n == 52 || n == 68 ? 0 : -EINVAL);

#define BAD(stmt) do {							\
	memcpy(b, good, len);						\
	stmt;								\
	ck_assert_int_eq(rtcp_parse_exact(b, len, 9, &out), -EINVAL);	\
} while (0)
	BAD(b[0] = 0x41);			/* version 1 first */
	BAD(b[52] = 0xc1);			/* version 3 in the middle */
	BAD(b[68] = 0x01);			/* version 0 last */
	BAD(b[1] = 202);			/* SDES first */
	BAD(b[1] = 203);			/* BYE first */
	BAD(b[0] |= 0x20; b[51] = 4);		/* padding on the first */
	BAD(b[52] |= 0x20; b[67] = 4);		/* padding in the middle */
	BAD(b[68] |= 0x20; b[75] = 0);		/* padding count 0 */
	BAD(b[68] |= 0x20; b[75] = 5);		/* padding past the packet */
	BAD(wr16(b + 2, 13));			/* lengths too long */
	BAD(wr16(b + 2, 11));			/* lengths do not add up */
	BAD(wr16(b + 70, 2));			/* past the end */
	BAD(wr16(b + 70, 0xffff));
	BAD(b[0] = 0x82);			/* two blocks, room for one */
	BAD(b[0] = 0x9f);
#undef BAD
	/* an RR too short for its block, in the middle */
	memcpy(b, good, len);
	b[52] = 0x81;
	b[53] = 201;
	ck_assert_int_eq(rtcp_parse_exact(b, len, 9, &out), -EINVAL);
	b[52] = 0x80;		/* with no block it is fine */
	ck_assert_int_eq(rtcp_parse_exact(b, len, 9, &out), 0);

	/* an SR too short for its sender info */
	memset(b, 0, sizeof(b));
	b[0] = 0x80;
	b[1] = 200;
	wr16(b + 2, 5);
	ck_assert_int_eq(rtcp_parse_exact(b, 24, 9, &out), -EINVAL);
	wr16(b + 2, 6);
	ck_assert_int_eq(rtcp_parse_exact(b, 28, 9, &out), 0);
	ck_assert(out.have_sr);
	ck_assert(!out.have_rb);
	/* an RR with more than its blocks (a profile extension) */
	b[1] = 201;
	ck_assert_int_eq(rtcp_parse_exact(b, 28, 9, &out), 0);
	ck_assert(!out.have_sr);
	/* a length not a multiple of 4 */
	memcpy(b, good, len);
	ck_assert_int_eq(rtcp_parse_exact(b, len + 2, 9, &out), -EINVAL);
	/* a bare RR header without its SSRC */
	b[0] = 0x80;
	b[1] = 201;
	wr16(b + 2, 0);
	ck_assert_int_eq(rtcp_parse_exact(b, 4, 9, &out), -EINVAL);
	ck_assert_int_eq(rtcp_parse_exact(b, 0, 9, &out), -EINVAL);

	/* valid padding on the last packet */
	memcpy(b, good, len);
	b[68] |= 0x20;
	wr16(b + 70, 2);
	memset(b + len, 0, 4);
	b[len + 3] = 4;
	ck_assert_int_eq(rtcp_parse_exact(b, len + 4, 9, &out), 0);
	ck_assert(out.have_rb);

	/* a padded RR last: the padding may not eat into its block */
	len = lc_rtcp_build(good, sizeof(good), 0x42, NULL, NULL, "cn");
	ck_assert_uint_eq(len, 24);
	memcpy(b, good, 8);		/* an RR without a block */
	b[8] = 0xa1;			/* then a padded RR with one */
	b[9] = 201;
	wr16(b + 10, 7);
	memset(b + 12, 0, 28);
	wr32(b + 16, 9);
	wr32(b + 32, 0x4321);		/* LSR */
	b[39] = 4;			/* the block's last 4 bytes */
	ck_assert_int_eq(rtcp_parse_exact(b, 40, 9, &out), -EINVAL);
	b[8] = 0x81;			/* not padded: fine */
	ck_assert_int_eq(rtcp_parse_exact(b, 40, 9, &out), 0);
	ck_assert(out.have_rb);
	ck_assert_uint_eq(out.rb.dlsr, 4);
	b[8] = 0xa1;			/* padded after the block */
	wr16(b + 10, 8);
	memset(b + 40, 0, 4);
	b[43] = 4;
	ck_assert_int_eq(rtcp_parse_exact(b, 44, 9, &out), 0);
	ck_assert(out.have_rb);
	ck_assert_uint_eq(out.rb.lsr, 0x4321);

	/* random bytes: no crash, whatever the verdict */
	rng_seed(5);
	for (n = 0; n < 100000; n++) {
		int r;

		len = rnd_below(80);
		for (i = 0; i < len; i++)
			b[i] = rnd();
		if (len > 4 && rnd_below(2)) {
			b[0] = 0x80 | (b[0] & 0x1f);
			b[1] = 200 + (b[1] & 1);
			wr16(b + 2, rnd_below(len / 4));
		}
		r = rtcp_parse_exact(b, len, 9, &out);
		ck_assert(r == 0 || r == -EINVAL);
	}
}
END_TEST

START_TEST(test_rtcp_rtt)
{
	struct lc_rtcp_report rb = { 0 };

	/* no SR received yet */
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0x12345678), 0);
	rb.dlsr = 0x10000;
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0x12345678), 0);

	/* the RFC 3550 6.4.1 example: 0xb710:8000 - 0xb705:2000 - 5.250 s */
	rb.lsr = 0xb7052000;
	rb.dlsr = 0x00054000;
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0xb7108000), 0x00062000);

	/* across the wrap of the 32-bit NTP middle */
	rb.lsr = 0xffff8000;
	rb.dlsr = 0x10000;
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0x00010000), 0x8000);

	/* a negative round trip (the clocks disagree) is 0 */
	rb.lsr = 0x1000;
	rb.dlsr = 0x10000;
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0x10000), 0);
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0x11000), 0);
	ck_assert_uint_eq(lc_rtcp_rtt(&rb, 0x11001), 1);
}
END_TEST

static Suite *rtp_suite(void)
{
	Suite *s = suite_create("rtp");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_build_parse);
	tcase_add_test(tc, test_parse_valid_layers);
	tcase_add_test(tc, test_parse_hostile);
	tcase_add_test(tc, test_parse_random_lengths);
	tcase_add_test(tc, test_parse_fuzz);
	tcase_add_test(tc, test_seq_in_order);
	tcase_add_test(tc, test_seq_wrap);
	tcase_add_test(tc, test_seq_duplicates_reorder);
	tcase_add_test(tc, test_seq_jump);
	tcase_add_test(tc, test_seq_probation);
	tcase_add_test(tc, test_fraction_lost);
	tcase_add_test(tc, test_jitter);
	tcase_add_test(tc, test_te_tx_100ms);
	tcase_add_test(tc, test_te_tx_long);
	tcase_add_test(tc, test_te_rx_basic);
	tcase_add_test(tc, test_te_rx_lost_end);
	tcase_add_test(tc, test_te_rx_malformed);
	tcase_add_test(tc, test_te_rx_long);
	tcase_add_test(tc, test_te_rx_fuzz);
	tcase_add_test(tc, test_rtcp_build_sr);
	tcase_add_test(tc, test_rtcp_build_rr);
	tcase_add_test(tc, test_rtcp_compound);
	tcase_add_test(tc, test_rtcp_rtt);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rtp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

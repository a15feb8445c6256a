// SPDX-License-Identifier: GPL-2.0
/*
 * ITU-T G.711 µ-law and A-law, bit-exact with the ITU-T G.191 STL reference
 * (see g711.h).  Decoding is one lookup in a 256-entry table.  Encoding
 * folds the sign without a branch, then finds the segment with one lookup
 * in a 256-entry table indexed by the top 8 bits of the magnitude: no loop
 * over segments and no count-leading-zeros.  No floating point.
 */
#include "g711.h"

/*
 * lc_g711_seg[i] = number of significant bits of (i >> 1), i.e. the G.711
 * segment (exponent) of a magnitude whose top 8 of 13 (µ-law, biased) or
 * 11 (A-law) bits are i.
 */
static const u8 lc_g711_seg[256] = {
	[0 ... 1] = 0,
	[2 ... 3] = 1,
	[4 ... 7] = 2,
	[8 ... 15] = 3,
	[16 ... 31] = 4,
	[32 ... 63] = 5,
	[64 ... 127] = 6,
	[128 ... 255] = 7,
};

/*
 * µ-law expansion, indexed by code: with m = ~code, e = (m >> 4) & 7 and
 * q = m & 15, the value is +-(((8 * q + 132) << e) - 132); negative for
 * codes below 0x80.  Both 0x7f and 0xff decode to 0.
 */
static const s16 lc_ulaw_table[256] = {
	-32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956,
	-23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764,
	-15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412,
	-11900, -11388, -10876, -10364,  -9852,  -9340,  -8828,  -8316,
	 -7932,  -7676,  -7420,  -7164,  -6908,  -6652,  -6396,  -6140,
	 -5884,  -5628,  -5372,  -5116,  -4860,  -4604,  -4348,  -4092,
	 -3900,  -3772,  -3644,  -3516,  -3388,  -3260,  -3132,  -3004,
	 -2876,  -2748,  -2620,  -2492,  -2364,  -2236,  -2108,  -1980,
	 -1884,  -1820,  -1756,  -1692,  -1628,  -1564,  -1500,  -1436,
	 -1372,  -1308,  -1244,  -1180,  -1116,  -1052,   -988,   -924,
	  -876,   -844,   -812,   -780,   -748,   -716,   -684,   -652,
	  -620,   -588,   -556,   -524,   -492,   -460,   -428,   -396,
	  -372,   -356,   -340,   -324,   -308,   -292,   -276,   -260,
	  -244,   -228,   -212,   -196,   -180,   -164,   -148,   -132,
	  -120,   -112,   -104,    -96,    -88,    -80,    -72,    -64,
	   -56,    -48,    -40,    -32,    -24,    -16,     -8,      0,
	 32124,  31100,  30076,  29052,  28028,  27004,  25980,  24956,
	 23932,  22908,  21884,  20860,  19836,  18812,  17788,  16764,
	 15996,  15484,  14972,  14460,  13948,  13436,  12924,  12412,
	 11900,  11388,  10876,  10364,   9852,   9340,   8828,   8316,
	  7932,   7676,   7420,   7164,   6908,   6652,   6396,   6140,
	  5884,   5628,   5372,   5116,   4860,   4604,   4348,   4092,
	  3900,   3772,   3644,   3516,   3388,   3260,   3132,   3004,
	  2876,   2748,   2620,   2492,   2364,   2236,   2108,   1980,
	  1884,   1820,   1756,   1692,   1628,   1564,   1500,   1436,
	  1372,   1308,   1244,   1180,   1116,   1052,    988,    924,
	   876,    844,    812,    780,    748,    716,    684,    652,
	   620,    588,    556,    524,    492,    460,    428,    396,
	   372,    356,    340,    324,    308,    292,    276,    260,
	   244,    228,    212,    196,    180,    164,    148,    132,
	   120,    112,    104,     96,     88,     80,     72,     64,
	    56,     48,     40,     32,     24,     16,      8,      0,
};

/*
 * A-law expansion, indexed by code: with a = code ^ 0x55, e = (a >> 4) & 7
 * and q = a & 15, the value is +-(16 * q + 8) for e == 0 and
 * +-((16 * q + 264) << (e - 1)) otherwise; negative for codes below 0x80.
 */
static const s16 lc_alaw_table[256] = {
	 -5504,  -5248,  -6016,  -5760,  -4480,  -4224,  -4992,  -4736,
	 -7552,  -7296,  -8064,  -7808,  -6528,  -6272,  -7040,  -6784,
	 -2752,  -2624,  -3008,  -2880,  -2240,  -2112,  -2496,  -2368,
	 -3776,  -3648,  -4032,  -3904,  -3264,  -3136,  -3520,  -3392,
	-22016, -20992, -24064, -23040, -17920, -16896, -19968, -18944,
	-30208, -29184, -32256, -31232, -26112, -25088, -28160, -27136,
	-11008, -10496, -12032, -11520,  -8960,  -8448,  -9984,  -9472,
	-15104, -14592, -16128, -15616, -13056, -12544, -14080, -13568,
	  -344,   -328,   -376,   -360,   -280,   -264,   -312,   -296,
	  -472,   -456,   -504,   -488,   -408,   -392,   -440,   -424,
	   -88,    -72,   -120,   -104,    -24,     -8,    -56,    -40,
	  -216,   -200,   -248,   -232,   -152,   -136,   -184,   -168,
	 -1376,  -1312,  -1504,  -1440,  -1120,  -1056,  -1248,  -1184,
	 -1888,  -1824,  -2016,  -1952,  -1632,  -1568,  -1760,  -1696,
	  -688,   -656,   -752,   -720,   -560,   -528,   -624,   -592,
	  -944,   -912,  -1008,   -976,   -816,   -784,   -880,   -848,
	  5504,   5248,   6016,   5760,   4480,   4224,   4992,   4736,
	  7552,   7296,   8064,   7808,   6528,   6272,   7040,   6784,
	  2752,   2624,   3008,   2880,   2240,   2112,   2496,   2368,
	  3776,   3648,   4032,   3904,   3264,   3136,   3520,   3392,
	 22016,  20992,  24064,  23040,  17920,  16896,  19968,  18944,
	 30208,  29184,  32256,  31232,  26112,  25088,  28160,  27136,
	 11008,  10496,  12032,  11520,   8960,   8448,   9984,   9472,
	 15104,  14592,  16128,  15616,  13056,  12544,  14080,  13568,
	   344,    328,    376,    360,    280,    264,    312,    296,
	   472,    456,    504,    488,    408,    392,    440,    424,
	    88,     72,    120,    104,     24,      8,     56,     40,
	   216,    200,    248,    232,    152,    136,    184,    168,
	  1376,   1312,   1504,   1440,   1120,   1056,   1248,   1184,
	  1888,   1824,   2016,   1952,   1632,   1568,   1760,   1696,
	   688,    656,    752,    720,    560,    528,    624,    592,
	   944,    912,   1008,    976,    816,    784,    880,    848,
};

static inline u8 lc_ulaw_enc(s16 pcm)
{
	s32 x = pcm;
	s32 neg = x >> 15;		/* 0, or -1 for negative samples */
	u32 mag = (u32)(x ^ neg);	/* x, or ~x (one's complement) */
	u32 absno = (mag >> 2) + 33;	/* 14-bit magnitude, biased */
	u32 seg, mant;

	if (absno > 0x1fff)
		absno = 0x1fff;
	seg = lc_g711_seg[absno >> 5];
	mant = (absno >> (seg + 1)) & 0xf;
	/* Invert all bits of positive codes, all but the sign of negative. */
	return (u8)(((seg << 4) | mant) ^ (0xff ^ ((u32)neg & 0x80)));
}

static inline u8 lc_alaw_enc(s16 pcm)
{
	s32 x = pcm;
	s32 neg = x >> 15;		/* 0, or -1 for negative samples */
	u32 mag = (u32)(x ^ neg);	/* x, or ~x (one's complement) */
	u32 ix = mag >> 4;		/* 0..2047: step 2 of 13-bit linear */
	u32 seg = lc_g711_seg[ix >> 3];
	u32 mant = (ix >> (seg ? seg - 1 : 0)) & 0xf;

	/* Sign bit set for positive samples, then invert the even bits. */
	return (u8)(((seg << 4) | mant | (~(u32)neg & 0x80)) ^ 0x55);
}

u8 lc_ulaw_encode(s16 pcm)
{
	return lc_ulaw_enc(pcm);
}
EXPORT_SYMBOL_GPL(lc_ulaw_encode);

s16 lc_ulaw_decode(u8 code)
{
	return lc_ulaw_table[code];
}
EXPORT_SYMBOL_GPL(lc_ulaw_decode);

u8 lc_alaw_encode(s16 pcm)
{
	return lc_alaw_enc(pcm);
}
EXPORT_SYMBOL_GPL(lc_alaw_encode);

s16 lc_alaw_decode(u8 code)
{
	return lc_alaw_table[code];
}
EXPORT_SYMBOL_GPL(lc_alaw_decode);

void lc_ulaw_encode_buf(u8 *dst, const s16 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = lc_ulaw_enc(src[i]);
}
EXPORT_SYMBOL_GPL(lc_ulaw_encode_buf);

void lc_ulaw_decode_buf(s16 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = lc_ulaw_table[src[i]];
}
EXPORT_SYMBOL_GPL(lc_ulaw_decode_buf);

void lc_alaw_encode_buf(u8 *dst, const s16 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = lc_alaw_enc(src[i]);
}
EXPORT_SYMBOL_GPL(lc_alaw_encode_buf);

void lc_alaw_decode_buf(s16 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = lc_alaw_table[src[i]];
}
EXPORT_SYMBOL_GPL(lc_alaw_decode_buf);

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/g711.c.
 *
 * Two independent references:
 *
 *  1. The ITU-T G.191 STL algorithm (ulaw_compress/ulaw_expand,
 *     alaw_compress/alaw_expand), written out again below in its original
 *     loop form.  lc_* must equal it on every one of the 65536 linear inputs
 *     and every one of the 256 codes.
 *
 *  2. sox, run on all 65536 inputs and all 256 codes.  Decoding agrees
 *     exactly.  Encoding does NOT agree exactly, and the reason is in sox,
 *     not in G.711:
 *
 *     - sox 14.4.2 (src/raw.c) encodes with
 *           sox_14linear2ulaw(SOX_SAMPLE_TO_UNSIGNED(14, d, c) - 0x2000)
 *           sox_13linear2alaw(SOX_SAMPLE_TO_UNSIGNED(13, d, c) - 0x1000)
 *       SOX_SAMPLE_TO_UNSIGNED(bits, ...) ROUNDS its 32-bit sample to the
 *       nearest 14-bit (13-bit) value, adding half an LSB before the shift
 *       and clipping at the top; G.711 / G.191 TRUNCATE, i.e. take the 14
 *       (13) most significant bits of the 16-bit sample.
 *     - sox_14linear2ulaw (the Sun g711.c code) folds a negative sample with
 *       -v; G.191 folds with the one's complement ~v (= -v - 1), so that -1
 *       quantises like 0.  (Sun's A-law coder uses -v - 1, like G.191.)
 *
 *     Together, verified to hold for all 65536 inputs:
 *       sox µ-law(x) == G.191 µ-law(x + 2)  for x >= -2  (saturating),
 *                       G.191 µ-law(x - 2)  for x <= -3  (saturating);
 *       sox A-law(x) == G.191 A-law(x + 4)  for all x    (saturating).
 *     So sox moves every decision threshold by half a 14-bit (13-bit) LSB:
 *     it differs from G.191 on exactly 510 µ-law inputs (the 2 inputs just
 *     below each threshold; 254 positive, 256 negative, including -2 and -1,
 *     which sox codes as +0 = 0xff where G.191 gives -0 = 0x7f) and on
 *     exactly 1020 A-law inputs (the 4 just below each of the 255
 *     thresholds, including -4..-1, coded +8 = 0xd5 by sox and -8 = 0x55 by
 *     G.191).  Every such difference is between adjacent codes.
 *     The sox tests check exactly that: sox's code for x equals lc's code
 *     for the shifted input, on every input, and the direct mismatches are
 *     exactly those counts, each one code apart.
 *
 * sox is run with -D: by default it adds dither whenever the output has
 * fewer bits than the input (µ-law counts as 14, A-law as 13), which makes
 * its output random.
 *
 * Also: round trip of every code, monotonicity of decoding and encoding,
 * the buffer functions, and the SNR of a sine through each codec (doubles,
 * user space only).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "g711.h"

#define NLIN 65536
#define LIN(i) ((s16)((int)(i) - 32768))	/* index 0..65535 -> sample */

/* --- ITU-T G.191 reference, written independently ----------------------- */

static u8 ref_ulaw_compress(s16 lin)
{
	int absno, segno, i, low, high, code;

	/* 14 MSBs; one's complement for negative samples; bias 33 */
	absno = lin < 0 ? ((~lin) >> 2) + 33 : (lin >> 2) + 33;
	if (absno > 0x1fff)
		absno = 0x1fff;
	segno = 1;
	for (i = absno >> 6; i; i >>= 1)
		segno++;
	high = 8 - segno;
	low = 15 - ((absno >> segno) & 15);
	code = (high << 4) | low;
	if (lin >= 0)
		code |= 0x80;
	return (u8)code;
}

static s16 ref_ulaw_expand(u8 code)
{
	int sign = code < 0x80 ? -1 : 1;
	int m = ~code;
	int exponent = (m >> 4) & 7;
	int step = 4 << (exponent + 1);

	m &= 15;
	return (s16)(sign * ((0x80 << exponent) + step * m + step / 2 - 4 * 33));
}

static u8 ref_alaw_compress(s16 lin)
{
	int ix, iexp;

	ix = lin < 0 ? (~lin) >> 4 : lin >> 4;	/* 0..2047 */
	if (ix > 15) {
		iexp = 1;
		while (ix > 31) {
			ix >>= 1;
			iexp++;
		}
		ix -= 16;
		ix += iexp << 4;
	}
	if (lin >= 0)
		ix |= 0x80;
	return (u8)(ix ^ 0x55);
}

static s16 ref_alaw_expand(u8 code)
{
	int ix = (code ^ 0x55) & 0x7f;
	int iexp = ix >> 4;
	int mant = ix & 15;

	if (iexp > 0)
		mant += 16;
	mant = (mant << 4) + 8;
	if (iexp > 1)
		mant <<= iexp - 1;
	return (s16)(code > 127 ? mant : -mant);
}

/* --- running sox ---------------------------------------------------------- */

static char tmpdir[64];

/*
 * Unchecked fixture: runs once in the parent around the sox test case, so
 * the directory is removed even when a test fails in its forked child.
 */
static void tmp_setup(void)
{
	strcpy(tmpdir, "/tmp/test_g711.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		tmpdir[0] = '\0';	/* the tests then fail to create files */
	}
}

static void tmp_teardown(void)
{
	char cmd[128];

	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static void write_file(const char *name, const void *buf, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_msg(f, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void read_file(const char *name, void *buf, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "rb");
	ck_assert_msg(f, "sox produced no %s", path);
	ck_assert_uint_eq(fread(buf, 1, len, f), len);
	ck_assert_int_eq(fgetc(f), EOF);	/* and nothing more */
	fclose(f);
}

/* Run sox in tmpdir: "sox -D -V1 -r 8000 -c 1 <in_args> <out_args>". */
static void run_sox(const char *in_args, const char *out_args)
{
	char cmd[512];
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && sox -D -V1 -r 8000 -c 1 %s -r 8000 -c 1 %s",
		 tmpdir, in_args, out_args);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "sox failed (%d): %s", rc, cmd);
}

/* Encode all 65536 inputs, in order -32768..32767, with sox. */
static void sox_encode_all(const char *enc, u8 *out)
{
	static u8 lin[2 * NLIN];
	char args[64];
	int i;

	for (i = 0; i < NLIN; i++) {	/* little-endian, as -L says */
		lin[2 * i] = (u8)((u16)LIN(i) & 0xff);
		lin[2 * i + 1] = (u8)((u16)LIN(i) >> 8);
	}
	write_file("lin.raw", lin, sizeof(lin));
	snprintf(args, sizeof(args), "-t raw -e %s enc.raw", enc);
	run_sox("-t raw -e signed -b 16 -L lin.raw", args);
	read_file("enc.raw", out, NLIN);
}

/* Decode all 256 codes with sox. */
static void sox_decode_all(const char *enc, s16 *out)
{
	u8 codes[256], dec[2 * 256];
	char args[64];
	int i;

	for (i = 0; i < 256; i++)
		codes[i] = (u8)i;
	write_file("codes.raw", codes, sizeof(codes));
	snprintf(args, sizeof(args), "-t raw -e %s codes.raw", enc);
	run_sox(args, "-t raw -e signed -b 16 -L dec.raw");
	read_file("dec.raw", dec, sizeof(dec));
	for (i = 0; i < 256; i++)
		out[i] = (s16)(dec[2 * i] | dec[2 * i + 1] << 8);
}

static s16 sat16(int v)
{
	return (s16)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* The input whose G.191 code sox gives to x (see the top of the file). */
static s16 sox_ulaw_shift(int x)
{
	return sat16(x >= -2 ? x + 2 : x - 2);
}

static s16 sox_alaw_shift(int x)
{
	return sat16(x + 4);
}

/*
 * Rank of a code in order of its decoded value (0 = most negative);
 * codes of equal value (µ-law's two zeros) get neighbouring ranks.
 */
static int ulaw_rank(u8 c)
{
	return c < 0x80 ? c : 0x80 + (0xff - c);
}

static int alaw_rank(u8 c)
{
	int mag = (c ^ 0x55) & 0x7f;	/* magnitude order within a sign */

	return c & 0x80 ? 128 + mag : 127 - mag;
}

/* --- bit exactness against the G.191 reference --------------------------- */

START_TEST(test_ulaw_encode_ref)
{
	int i;

	for (i = 0; i < NLIN; i++)
		ck_assert_msg(lc_ulaw_encode(LIN(i)) == ref_ulaw_compress(LIN(i)),
			      "ulaw(%d) = 0x%02x, G.191 0x%02x", LIN(i),
			      lc_ulaw_encode(LIN(i)), ref_ulaw_compress(LIN(i)));
}
END_TEST

START_TEST(test_alaw_encode_ref)
{
	int i;

	for (i = 0; i < NLIN; i++)
		ck_assert_msg(lc_alaw_encode(LIN(i)) == ref_alaw_compress(LIN(i)),
			      "alaw(%d) = 0x%02x, G.191 0x%02x", LIN(i),
			      lc_alaw_encode(LIN(i)), ref_alaw_compress(LIN(i)));
}
END_TEST

START_TEST(test_decode_ref)
{
	int c;

	for (c = 0; c < 256; c++) {
		ck_assert_int_eq(lc_ulaw_decode((u8)c), ref_ulaw_expand((u8)c));
		ck_assert_int_eq(lc_alaw_decode((u8)c), ref_alaw_expand((u8)c));
	}
}
END_TEST

START_TEST(test_known_values)
{
	/* zero, the smallest steps, full scale, and the idle patterns */
	ck_assert_uint_eq(lc_ulaw_encode(0), 0xff);
	ck_assert_uint_eq(lc_ulaw_encode(3), 0xff);
	ck_assert_uint_eq(lc_ulaw_encode(4), 0xfe);
	ck_assert_uint_eq(lc_ulaw_encode(-1), 0x7f);
	ck_assert_uint_eq(lc_ulaw_encode(-4), 0x7f);
	ck_assert_uint_eq(lc_ulaw_encode(-5), 0x7e);
	ck_assert_uint_eq(lc_ulaw_encode(32767), 0x80);
	ck_assert_uint_eq(lc_ulaw_encode(-32768), 0x00);
	ck_assert_int_eq(lc_ulaw_decode(0xff), 0);
	ck_assert_int_eq(lc_ulaw_decode(0x7f), 0);
	ck_assert_int_eq(lc_ulaw_decode(0xfe), 8);
	ck_assert_int_eq(lc_ulaw_decode(0x80), 32124);
	ck_assert_int_eq(lc_ulaw_decode(0x00), -32124);

	ck_assert_uint_eq(lc_alaw_encode(0), 0xd5);
	ck_assert_uint_eq(lc_alaw_encode(15), 0xd5);
	ck_assert_uint_eq(lc_alaw_encode(16), 0xd4);
	ck_assert_uint_eq(lc_alaw_encode(-1), 0x55);
	ck_assert_uint_eq(lc_alaw_encode(-16), 0x55);
	ck_assert_uint_eq(lc_alaw_encode(-17), 0x54);
	ck_assert_uint_eq(lc_alaw_encode(32767), 0xaa);
	ck_assert_uint_eq(lc_alaw_encode(-32768), 0x2a);
	ck_assert_int_eq(lc_alaw_decode(0xd5), 8);
	ck_assert_int_eq(lc_alaw_decode(0x55), -8);
	ck_assert_int_eq(lc_alaw_decode(0xaa), 32256);
	ck_assert_int_eq(lc_alaw_decode(0x2a), -32256);
}
END_TEST

/* --- against sox ----------------------------------------------------------- */

START_TEST(test_ulaw_encode_sox)
{
	static u8 sox[NLIN];
	int i, direct = 0, pos = 0;

	sox_encode_all("u-law", sox);
	for (i = 0; i < NLIN; i++) {
		int x = LIN(i);
		u8 lc = lc_ulaw_encode((s16)x);

		ck_assert_msg(sox[i] == lc_ulaw_encode(sox_ulaw_shift(x)),
			      "x=%d: sox 0x%02x, lc(shifted %d) 0x%02x", x,
			      sox[i], sox_ulaw_shift(x),
			      lc_ulaw_encode(sox_ulaw_shift(x)));
		if (sox[i] != lc) {
			direct++;
			pos += x >= 0;
			ck_assert_int_eq(abs(ulaw_rank(sox[i]) - ulaw_rank(lc)), 1);
		}
	}
	ck_assert_int_eq(direct, 510);
	ck_assert_int_eq(pos, 254);
	/* the zero crossing: sox codes -2 and -1 as +0 */
	ck_assert_uint_eq(sox[32768 - 2], 0xff);
	ck_assert_uint_eq(sox[32768 - 3], 0x7e);
}
END_TEST

START_TEST(test_alaw_encode_sox)
{
	static u8 sox[NLIN];
	int i, direct = 0;

	sox_encode_all("a-law", sox);
	for (i = 0; i < NLIN; i++) {
		int x = LIN(i);
		u8 lc = lc_alaw_encode((s16)x);

		ck_assert_msg(sox[i] == lc_alaw_encode(sox_alaw_shift(x)),
			      "x=%d: sox 0x%02x, lc(shifted %d) 0x%02x", x,
			      sox[i], sox_alaw_shift(x),
			      lc_alaw_encode(sox_alaw_shift(x)));
		if (sox[i] != lc) {
			direct++;
			ck_assert_int_eq(abs(alaw_rank(sox[i]) - alaw_rank(lc)), 1);
		}
	}
	ck_assert_int_eq(direct, 1020);
	ck_assert_uint_eq(sox[32768 - 4], 0xd5);
	ck_assert_uint_eq(sox[32768 - 5], 0x55);
}
END_TEST

START_TEST(test_ulaw_decode_sox)
{
	s16 sox[256];
	int c;

	sox_decode_all("u-law", sox);
	for (c = 0; c < 256; c++)
		ck_assert_msg(sox[c] == lc_ulaw_decode((u8)c),
			      "code 0x%02x: sox %d, lc %d", c, sox[c],
			      lc_ulaw_decode((u8)c));
}
END_TEST

START_TEST(test_alaw_decode_sox)
{
	s16 sox[256];
	int c;

	sox_decode_all("a-law", sox);
	for (c = 0; c < 256; c++)
		ck_assert_msg(sox[c] == lc_alaw_decode((u8)c),
			      "code 0x%02x: sox %d, lc %d", c, sox[c],
			      lc_alaw_decode((u8)c));
}
END_TEST

/* --- properties ------------------------------------------------------------ */

/*
 * encode(decode(c)) == c for every code, except µ-law 0x7f (-0): it decodes
 * to 0, and 0 encodes to +0 (0xff) under G.191; -0 only comes from inputs
 * -4..-1.  A-law has no zero code (0xd5/0x55 are +8/-8), so all 256 hold.
 */
START_TEST(test_round_trip)
{
	int c;

	for (c = 0; c < 256; c++) {
		u8 u = lc_ulaw_encode(lc_ulaw_decode((u8)c));

		if (c == 0x7f)
			ck_assert_uint_eq(u, 0xff);
		else
			ck_assert_msg(u == c, "ulaw 0x%02x -> %d -> 0x%02x",
				      c, lc_ulaw_decode((u8)c), u);
		ck_assert_msg(lc_alaw_encode(lc_alaw_decode((u8)c)) == c,
			      "alaw 0x%02x -> %d -> 0x%02x", c,
			      lc_alaw_decode((u8)c),
			      lc_alaw_encode(lc_alaw_decode((u8)c)));
	}
}
END_TEST

START_TEST(test_decode_monotonic)
{
	s16 uv[256], av[256];
	int c, r;

	for (c = 0; c < 256; c++) {
		uv[ulaw_rank((u8)c)] = lc_ulaw_decode((u8)c);
		av[alaw_rank((u8)c)] = lc_alaw_decode((u8)c);
	}
	for (r = 1; r < 256; r++) {
		if (r == 128)	/* -0 (0x7f) then +0 (0xff) */
			ck_assert(uv[r] == 0 && uv[r - 1] == 0);
		else
			ck_assert_msg(uv[r] > uv[r - 1], "ulaw rank %d", r);
		ck_assert_msg(av[r] > av[r - 1], "alaw rank %d", r);
	}
	ck_assert_int_eq(uv[0], -uv[255]);
	ck_assert_int_eq(av[0], -av[255]);
}
END_TEST

/* Encoding is non-decreasing in the input and reaches every code. */
START_TEST(test_encode_monotonic)
{
	int i, urank = 0, arank = 0, useen = 1, aseen = 1;

	ck_assert_int_eq(ulaw_rank(lc_ulaw_encode(-32768)), 0);
	ck_assert_int_eq(alaw_rank(lc_alaw_encode(-32768)), 0);
	for (i = 1; i < NLIN; i++) {
		int ur = ulaw_rank(lc_ulaw_encode(LIN(i)));
		int ar = alaw_rank(lc_alaw_encode(LIN(i)));

		ck_assert_msg(ur == urank || ur == urank + 1, "ulaw at %d", LIN(i));
		ck_assert_msg(ar == arank || ar == arank + 1, "alaw at %d", LIN(i));
		useen += ur != urank;
		aseen += ar != arank;
		urank = ur;
		arank = ar;
	}
	ck_assert_int_eq(useen, 256);
	ck_assert_int_eq(aseen, 256);
}
END_TEST

START_TEST(test_buffers)
{
	static s16 lin[NLIN], out[NLIN];
	static u8 codes[NLIN];
	int i;

	for (i = 0; i < NLIN; i++)
		lin[i] = LIN(i);

	lc_ulaw_encode_buf(codes, lin, NLIN);
	lc_ulaw_decode_buf(out, codes, NLIN);
	for (i = 0; i < NLIN; i++) {
		ck_assert_uint_eq(codes[i], lc_ulaw_encode(lin[i]));
		ck_assert_int_eq(out[i], lc_ulaw_decode(codes[i]));
	}

	lc_alaw_encode_buf(codes, lin, NLIN);
	lc_alaw_decode_buf(out, codes, NLIN);
	for (i = 0; i < NLIN; i++) {
		ck_assert_uint_eq(codes[i], lc_alaw_encode(lin[i]));
		ck_assert_int_eq(out[i], lc_alaw_decode(codes[i]));
	}

	/* n == 0 touches nothing */
	codes[0] = 0x42;
	out[0] = 0x1234;
	lc_ulaw_encode_buf(codes, lin, 0);
	lc_alaw_encode_buf(codes, lin, 0);
	lc_ulaw_decode_buf(out, codes, 0);
	lc_alaw_decode_buf(out, codes, 0);
	ck_assert_uint_eq(codes[0], 0x42);
	ck_assert_int_eq(out[0], 0x1234);
}
END_TEST

/* --- SNR of a sine ------------------------------------------------------------ */

#define FS 8000

/*
 * Peak of a sine at @dbm0.  0 dBm0 is 3.14 dB below a full-scale sine
 * (G.711 A-law: the maximum sine is +3.14 dBm0; µ-law's is +3.17 dBm0,
 * which the 0.03 dB does not matter for).
 */
static double peak(double dbm0)
{
	return 32768.0 * pow(10.0, (dbm0 - 3.14) / 20.0);
}

/* SNR in dB of a 1004 Hz sine at @dbm0 through encode/decode. */
static double snr(double dbm0, int alaw)
{
	static s16 in[FS], out[FS];
	static u8 codes[FS];
	double a = peak(dbm0), sig = 0, noise = 0;
	int i;

	for (i = 0; i < FS; i++)
		in[i] = (s16)lrint(a * sin(2.0 * M_PI * 1004.0 * i / FS + 0.3));
	if (alaw) {
		lc_alaw_encode_buf(codes, in, FS);
		lc_alaw_decode_buf(out, codes, FS);
	} else {
		lc_ulaw_encode_buf(codes, in, FS);
		lc_ulaw_decode_buf(out, codes, FS);
	}
	for (i = 0; i < FS; i++) {
		double e = (double)out[i] - in[i];

		sig += (double)in[i] * in[i];
		noise += e * e;
	}
	return 10.0 * log10(sig / noise);
}

START_TEST(test_snr)
{
	double u = snr(-10.0, 0), a = snr(-10.0, 1);
	double lvl;

	ck_assert_msg(u > 35.0, "ulaw SNR at -10 dBm0: %.2f dB", u);
	ck_assert_msg(a > 35.0, "alaw SNR at -10 dBm0: %.2f dB", a);
	/* roughly flat over the companded range: above 33 dB, 0..-30 dBm0 */
	for (lvl = 0.0; lvl >= -30.0; lvl -= 5.0) {
		u = snr(lvl, 0);
		a = snr(lvl, 1);
		ck_assert_msg(u > 33.0, "ulaw SNR at %.0f dBm0: %.2f dB", lvl, u);
		ck_assert_msg(a > 33.0, "alaw SNR at %.0f dBm0: %.2f dB", lvl, a);
	}
}
END_TEST

static Suite *g711_suite(void)
{
	Suite *s = suite_create("g711");
	TCase *tc = tcase_create("reference");
	TCase *tsox = tcase_create("sox");
	TCase *tprop = tcase_create("properties");

	tcase_add_test(tc, test_ulaw_encode_ref);
	tcase_add_test(tc, test_alaw_encode_ref);
	tcase_add_test(tc, test_decode_ref);
	tcase_add_test(tc, test_known_values);
	suite_add_tcase(s, tc);

	tcase_add_unchecked_fixture(tsox, tmp_setup, tmp_teardown);
	tcase_set_timeout(tsox, 30);
	tcase_add_test(tsox, test_ulaw_encode_sox);
	tcase_add_test(tsox, test_alaw_encode_sox);
	tcase_add_test(tsox, test_ulaw_decode_sox);
	tcase_add_test(tsox, test_alaw_decode_sox);
	suite_add_tcase(s, tsox);

	tcase_add_test(tprop, test_round_trip);
	tcase_add_test(tprop, test_decode_monotonic);
	tcase_add_test(tprop, test_encode_monotonic);
	tcase_add_test(tprop, test_buffers);
	tcase_add_test(tprop, test_snr);
	suite_add_tcase(s, tprop);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(g711_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

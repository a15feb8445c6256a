// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/fsk.c, the caller ID modulator.  Its output is
 * demodulated here by code that shares nothing with it: each bit's
 * frequency comes from the three-sample identity of a sine,
 * x[n-1] + x[n+1] = 2 cos(w) x[n], fitted by least squares over the bit;
 * its phase and amplitude from a least-squares fit of a sin + b cos.  The
 * expected bit stream is built here from the standards (GR-30, EN 300
 * 659-1), not from the generator's constants.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fsk.h"

#define FS 8000
#define ZERO_DBM0_RMS (32768.0 / sqrt(2.0) * pow(10.0, -3.14 / 20.0))
#define LEVEL_DBM0 (-13)
#define LEAD 4000			/* 500 ms, as the port asks */
#define GUARD (200 * FS / 1000)
#define SEIZURE 300
#define MARKS 180
#define TAIL 5

struct std_freqs {
	int standard;
	double mark, space;
};

static const struct std_freqs stds[] = {
	{ LINECARD_CID_BELL202, 1200, 2200 },
	{ LINECARD_CID_V23, 1300, 2100 },
};

/* First sample of bit @i at 1200 bit/s: ceil(i * 8000 / 1200). */
static size_t bit_start(size_t i)
{
	return (i * 20 + 2) / 3;
}

static void add_param(struct linecard_ring_cid *rc, unsigned int type, const char *val)
{
	size_t n = strlen(val);

	rc->msg[rc->len++] = type;
	rc->msg[rc->len++] = n;
	memcpy(rc->msg + rc->len, val, n);
	rc->len += n;
	rc->msg[1] = rc->len - 2;
}

/* An MDMF caller ID message in the first silence of the US cadence. */
static struct linecard_ring_cid mdmf(int standard, const char *number, const char *name)
{
	struct linecard_ring_cid rc;

	memset(&rc, 0, sizeof(rc));
	rc.ring.step[0].duration_ms = 2000;
	rc.ring.step[0].mask = 1;
	rc.ring.step[1].duration_ms = 4000;
	rc.ring.nsteps = 2;
	rc.standard = standard;
	rc.msg[0] = 0x80;
	rc.len = 2;
	add_param(&rc, 0x01, "11241305");
	add_param(&rc, 0x02, number);
	if (name)
		add_param(&rc, 0x07, name);
	return rc;
}

/* The bits GR-30 asks for: seizure, marks, framed bytes, checksum, tail. */
static size_t expected_bits(const struct linecard_ring_cid *rc, unsigned char *bits)
{
	unsigned int sum = 0;
	size_t n = 0, i;
	int b;

	for (i = 0; i < SEIZURE; i++)
		bits[n++] = i % 2;
	for (i = 0; i < MARKS; i++)
		bits[n++] = 1;
	for (i = 0; i <= rc->len; i++) {
		unsigned int byte = i < rc->len ? rc->msg[i] : (256 - sum % 256) % 256;

		sum += byte;
		bits[n++] = 0;
		for (b = 0; b < 8; b++)
			bits[n++] = (byte >> b) & 1;
		bits[n++] = 1;
	}
	for (i = 0; i < TAIL; i++)
		bits[n++] = 1;
	return n;
}

/*
 * Render the whole transmission into a zeroed buffer of @n samples, in
 * calls of @chunk; returns the index of the call that reported the end.
 */
static long render(const struct linecard_ring_cid *rc, s16 *buf, size_t n, size_t chunk)
{
	struct lc_fsk f;
	long call = 0, fin = -1;
	size_t off = 0;

	ck_assert_int_eq(lc_fsk_validate(rc), 0);
	memset(buf, 0, n * sizeof(*buf));
	lc_fsk_arm(&f, rc);
	ck_assert(lc_fsk_armed(&f));
	ck_assert(!lc_fsk_busy(&f));
	lc_fsk_begin(&f, LEAD);
	ck_assert(lc_fsk_busy(&f));
	while (off < n) {
		size_t c = n - off < chunk ? n - off : chunk;

		if (lc_fsk_mix(&f, buf + off, c)) {
			ck_assert_int_eq(fin, -1);
			fin = call;
			ck_assert(!lc_fsk_busy(&f));
		}
		off += c;
		call++;
	}
	return fin;
}

/* Frequency of the samples of one bit, Hz. */
static double bit_freq(const s16 *x, size_t len)
{
	double num = 0, den = 0;
	size_t i;

	for (i = 1; i + 1 < len; i++) {
		num += (double)x[i] * (x[i - 1] + x[i + 1]);
		den += 2.0 * x[i] * x[i];
	}
	return acos(num / den) * FS / (2 * M_PI);
}

/* Fit a * sin(w m) + b * cos(w m): phase of sample 0 and amplitude. */
static void bit_fit(const s16 *x, size_t len, double w, double *phase, double *amp)
{
	double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0, det, a, b;
	size_t m;

	for (m = 0; m < len; m++) {
		double s = sin(w * m), c = cos(w * m);

		ss += s * s;
		sc += s * c;
		cc += c * c;
		xs += x[m] * s;
		xc += x[m] * c;
	}
	det = ss * cc - sc * sc;
	a = (xs * cc - xc * sc) / det;
	b = (xc * ss - xs * sc) / det;
	*phase = atan2(b, a);
	*amp = hypot(a, b);
}

static double wrap(double p)
{
	return p - 2 * M_PI * floor((p + M_PI) / (2 * M_PI));
}

struct demod {
	unsigned char bits[4096];
	double freq[4096];
	double phase[4096];
	double amp[4096];
	size_t n;
};

static void demodulate(const s16 *x, size_t nbits, const struct std_freqs *sf,
		       struct demod *d)
{
	size_t i;

	for (i = 0; i < nbits; i++) {
		size_t s = bit_start(i), len = bit_start(i + 1) - s;
		double f = bit_freq(x + s, len);
		int mark = fabs(f - sf->mark) < fabs(f - sf->space);

		d->bits[i] = mark;
		d->freq[i] = f;
		bit_fit(x + s, len, 2 * M_PI * (mark ? sf->mark : sf->space) / FS,
			&d->phase[i], &d->amp[i]);
	}
	d->n = nbits;
}

/* Bytes as a UART reads them after the first long run of marks. */
static size_t uart(const unsigned char *bits, size_t n, unsigned char *out)
{
	size_t i = 0, run = 0, got = 0;
	int b;

	while (i < n && run < 100)
		run = bits[i++] ? run + 1 : 0;
	while (i < n) {
		unsigned int byte = 0;

		if (bits[i]) {
			i++;
			continue;
		}
		if (i + 10 > n)
			break;
		for (b = 0; b < 8; b++)
			byte |= bits[i + 1 + b] << b;
		ck_assert_msg(bits[i + 9] == 1, "no stop bit after byte %zu", got);
		out[got++] = byte;
		i += 10;
	}
	return got;
}

static void check_message(const struct std_freqs *sf, const char *number, const char *name)
{
	struct linecard_ring_cid rc = mdmf(sf->standard, number, name);
	static unsigned char want[4096];
	static struct demod d;
	unsigned char bytes[256];
	size_t nbits = expected_bits(&rc, want);
	size_t send = bit_start(nbits), total = LEAD + send + GUARD;
	size_t n = total + 800, i, nbytes;
	double peak = ZERO_DBM0_RMS * sqrt(2.0) * pow(10.0, LEVEL_DBM0 / 20.0);
	double sumsq = 0, rms_dbm0;
	unsigned int sum = 0;
	s16 *x = calloc(n, sizeof(*x));
	long fin;

	fin = render(&rc, x, n, 80);
	/* The last call is the one that holds the last sample of the guard. */
	ck_assert_int_eq(fin, (long)((total - 1) / 80));

	/* Silence before and after, the signal exactly in between. */
	for (i = 0; i < LEAD; i++)
		ck_assert_int_eq(x[i], 0);
	ck_assert_int_ne(x[LEAD], 0);
	for (i = LEAD + send; i < n; i++)
		ck_assert_int_eq(x[i], 0);

	demodulate(x + LEAD, nbits, sf, &d);
	for (i = 0; i < nbits; i++) {
		double fw = want[i] ? sf->mark : sf->space;

		ck_assert_msg(d.bits[i] == want[i], "bit %zu: %d, want %d (%.1f Hz)", i,
			      d.bits[i], want[i], d.freq[i]);
		ck_assert_msg(fabs(d.freq[i] - fw) < 5, "bit %zu at %.2f Hz, want %.0f",
			      i, d.freq[i], fw);
		ck_assert_msg(fabs(d.amp[i] / peak - 1) < 0.01, "bit %zu amplitude %.1f, want %.1f",
			      i, d.amp[i], peak);
	}
	/* Phase continuity: each bit starts where the previous one left off. */
	for (i = 0; i + 1 < nbits; i++) {
		size_t len = bit_start(i + 1) - bit_start(i);
		double w0 = 2 * M_PI * (want[i] ? sf->mark : sf->space) / FS;
		double w1 = 2 * M_PI * (want[i + 1] ? sf->mark : sf->space) / FS;
		double pred = d.phase[i] + w0 * (len - 1) + w0 / 2 + w1 / 2;

		ck_assert_msg(fabs(wrap(pred - d.phase[i + 1])) < 0.01,
			      "phase jump of %.4f rad at bit %zu", wrap(pred - d.phase[i + 1]),
			      i + 1);
	}

	/* The bytes, and the checksum that makes their sum 0 modulo 256. */
	nbytes = uart(d.bits, nbits, bytes);
	ck_assert_uint_eq(nbytes, rc.len + 1);
	for (i = 0; i < rc.len; i++)
		ck_assert_uint_eq(bytes[i], rc.msg[i]);
	for (i = 0; i < nbytes; i++)
		sum += bytes[i];
	ck_assert_uint_eq(sum % 256, 0);

	/* Level over the whole message: -13 dBm0. */
	for (i = LEAD; i < LEAD + send; i++)
		sumsq += (double)x[i] * x[i];
	rms_dbm0 = 20 * log10(sqrt(sumsq / send) / ZERO_DBM0_RMS);
	ck_assert_msg(fabs(rms_dbm0 - LEVEL_DBM0) < 0.1, "level %.2f dBm0", rms_dbm0);
	free(x);
}

START_TEST(test_bell202)
{
	check_message(&stds[0], "1000", "Kitchen");
	check_message(&stds[0], "+4930123456789", NULL);
}
END_TEST

START_TEST(test_v23)
{
	check_message(&stds[1], "1000", "Kitchen");
	check_message(&stds[1], "0", "A name of twenty-one");
}
END_TEST

/* Duration, to the sample: 1200 bit/s with no drift over a long message. */
START_TEST(test_timing)
{
	struct linecard_ring_cid rc = mdmf(LINECARD_CID_BELL202, "1", NULL);
	static unsigned char want[4096];
	struct lc_fsk f;
	size_t nbits;

	while (rc.len + 2 + 10 <= LINECARD_CID_MAX_MSG)
		add_param(&rc, 0x07, "0123456789");
	nbits = expected_bits(&rc, want);
	ck_assert_uint_eq(nbits, SEIZURE + MARKS + 10 * (rc.len + 1) + TAIL);
	lc_fsk_arm(&f, &rc);
	ck_assert_uint_eq(lc_fsk_samples(&f, LEAD), LEAD + bit_start(nbits) + GUARD);
	/* 300 + 180 bits take 400 ms; each byte 8 1/3 ms */
	ck_assert_uint_eq(bit_start(SEIZURE + MARKS), 3200);
	check_message(&stds[0], "1", "0123456789012345678901234567890123456789");
}
END_TEST

/* Chunk boundaries change nothing. */
START_TEST(test_chunking)
{
	struct linecard_ring_cid rc = mdmf(LINECARD_CID_V23, "5551234", "Smith");
	size_t n = 30000, i;
	s16 *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
	static const size_t chunks[] = { 1, 7, 80, 161, 4000 };
	long fa, fb;

	fa = render(&rc, a, n, 80);
	ck_assert_int_ge(fa, 0);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		fb = render(&rc, b, n, chunks[i]);
		ck_assert_int_ge(fb, 0);
		ck_assert_msg(!memcmp(a, b, n * sizeof(*a)), "chunk %zu differs", chunks[i]);
	}
	free(a);
	free(b);
}
END_TEST

/* Mixed into what is there, saturating. */
START_TEST(test_mix)
{
	struct linecard_ring_cid rc = mdmf(LINECARD_CID_BELL202, "1000", NULL);
	size_t n = 20000, i;
	s16 *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
	struct lc_fsk f;

	render(&rc, a, n, 80);
	for (i = 0; i < n; i++)
		b[i] = i % 2 ? 32000 : 100;
	lc_fsk_arm(&f, &rc);
	lc_fsk_begin(&f, LEAD);
	lc_fsk_mix(&f, b, n);
	for (i = 0; i < n; i++) {
		s32 want = a[i] + (i % 2 ? 32000 : 100);

		ck_assert_int_eq(b[i], want > 32767 ? 32767 : want);
	}
	free(a);
	free(b);
}
END_TEST

START_TEST(test_stop_and_idle)
{
	struct linecard_ring_cid rc = mdmf(LINECARD_CID_BELL202, "1000", "Kitchen");
	s16 buf[800];
	struct lc_fsk f;
	size_t i;

	memset(&f, 0, sizeof(f));
	memset(buf, 0, sizeof(buf));
	/* Idle: nothing to send, begin does nothing. */
	lc_fsk_begin(&f, 0);
	ck_assert(!lc_fsk_busy(&f));
	ck_assert(!lc_fsk_mix(&f, buf, 800));
	lc_fsk_arm(&f, &rc);
	/* Armed, not begun: silent. */
	ck_assert(!lc_fsk_mix(&f, buf, 800));
	lc_fsk_begin(&f, 0);
	ck_assert(!lc_fsk_mix(&f, buf, 400));
	ck_assert_int_ne(buf[0], 0);
	lc_fsk_stop(&f);
	ck_assert(!lc_fsk_busy(&f));
	ck_assert(!lc_fsk_armed(&f));
	ck_assert(!lc_fsk_mix(&f, buf + 400, 400));
	for (i = 400; i < 800; i++)
		ck_assert_int_eq(buf[i], 0);
}
END_TEST

START_TEST(test_validate)
{
	struct linecard_ring_cid ok = mdmf(LINECARD_CID_BELL202, "1000", "Kitchen"), r;

	ck_assert_int_eq(lc_fsk_validate(&ok), 0);
	r = ok;
	r.standard = LINECARD_CID_V23;
	ck_assert_int_eq(lc_fsk_validate(&r), 0);
	/* Silence first, then the burst and the silence that carries it. */
	r = ok;
	r.ring.step[2] = r.ring.step[1];
	r.ring.step[1] = r.ring.step[0];
	r.ring.step[0].mask = 0;
	r.ring.nsteps = 3;
	ck_assert_int_eq(lc_fsk_validate(&r), 0);
	/* The longest message. */
	r = ok;
	r.len = LINECARD_CID_MAX_MSG;
	r.msg[1] = LINECARD_CID_MAX_MSG - 2;
	ck_assert_int_eq(lc_fsk_validate(&r), 0);

#define BAD(expr) do { r = ok; expr; \
	ck_assert_int_eq(lc_fsk_validate(&r), -EINVAL); } while (0)
	BAD(r.standard = LINECARD_CID_MAX + 1);
	BAD(r.standard = 0xff);
	BAD(r.reserved = 1);
	BAD(r.flags = 1);
	BAD(r.flags = 0x80000000);
	BAD(r.len = 0);
	BAD(r.len = 2; r.msg[1] = 0);
	BAD(r.len = LINECARD_CID_MAX_MSG + 1; r.msg[1] = LINECARD_CID_MAX_MSG - 1);
	BAD(r.len = 0xffff);
	BAD(r.msg[1]++);
	BAD(r.len--);
	/* the ring cadence itself */
	BAD(r.ring.flags = 1);
	BAD(r.ring.step[0].duration_ms = 0);
	BAD(r.ring.nsteps = LINECARD_MAX_STEPS + 1);
	/* no silence after a burst to carry the message */
	BAD(r.ring.nsteps = 0);
	BAD(r.ring.nsteps = 1);
	BAD(r.ring.step[1].mask = 1);
	BAD(r.ring.step[0].mask = 0);
#undef BAD
}
END_TEST

static Suite *fsk_suite(void)
{
	Suite *s = suite_create("fsk");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bell202);
	tcase_add_test(tc, test_v23);
	tcase_add_test(tc, test_timing);
	tcase_add_test(tc, test_chunking);
	tcase_add_test(tc, test_mix);
	tcase_add_test(tc, test_stop_and_idle);
	tcase_add_test(tc, test_validate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fsk_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

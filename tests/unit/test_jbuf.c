// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/jbuf.c: scripted RTP receive scenarios on a
 * simulated clock.  Packets carry samples of a known source (noise,
 * sine, or a speech-like harmonic signal with a gliding pitch and
 * pauses), captured at the sender's clock, sent when their last sample
 * is captured and delivered after a scripted network delay; the frame
 * clock pulls one 10 ms frame every 10 ms.  Output is compared with the
 * source sample by sample (bit-exact where the buffer must not touch the
 * audio), and concealment, adaptation and drift are checked against the
 * numbers the design promises.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbuf.h"

#define FS		8000
#define FRAME		LINECARD_FRAME_SAMPLES
#define MS		1000000ULL		/* ns */
#define NS_SAMPLE	125000ULL
#define TWO_PI		6.283185307179586

/* --- sources ------------------------------------------------------------ */

enum { SRC_NOISE, SRC_SINE, SRC_SPEECH };

struct source {
	int kind;
	double amp;
	double hz;
	unsigned int seed;	/* of a sine: silent before this sample */
};

static unsigned int hash32(unsigned int x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/* Deterministic, non-periodic "speech": gliding f0, 8 harmonics, pauses. */
static double speech(long n, unsigned int seed)
{
	double t = n / (double)FS, ph, env, v = 0, cyc;
	int h;

	ph = TWO_PI * (140 * t - 30 / (TWO_PI * 0.7) * cos(TWO_PI * 0.7 * t) -
		       15 / (TWO_PI * 2.3) * cos(TWO_PI * 2.3 * t));
	for (h = 1; h <= 8; h++)
		v += sin(h * ph + h * 0.7) / h * (h == 3 || h == 4 ? 1.6 : 1);
	cyc = fmod(t + (seed % 7) * 0.05, 0.37);	/* 250 ms on, 120 off */
	if (cyc < 0.25)
		env = cyc < 0.03 ? 0.5 - 0.5 * cos(M_PI * cyc / 0.03) :
		      cyc > 0.22 ? 0.5 + 0.5 * cos(M_PI * (cyc - 0.22) / 0.03) :
		      1;
	else
		env = 0;
	return 3500 * v * env + (double)((int)(hash32(n ^ seed) % 41) - 20);
}

static s16 src_at(const struct source *s, long n)
{
	double v;

	switch (s->kind) {
	case SRC_NOISE:
		return (s16)((int)(hash32((unsigned int)n * 2654435761U ^
					  s->seed) % 16001) - 8000);
	case SRC_SINE:
		if (n < (long)s->seed)
			return 0;
		v = s->amp * sin(TWO_PI * fmod(s->hz * n / FS, 1.0));
		break;
	default:
		v = speech(n, s->seed);
		break;
	}
	return (s16)lrint(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* --- simulation ---------------------------------------------------------- */

struct ev {
	u64 at;
	u32 ts;
	u32 ssrc;
	u16 seq;
	bool marker;
	bool nullpcm;
	int n;
	long s0;
	const struct source *src;
	size_t idx;
};

struct sim {
	struct lc_jbuf jb;
	struct ev *ev;
	size_t nev, cap, next;
	s16 *out;
	size_t nout, outcap;
	u64 t;				/* next tick */
	int res[16];			/* put results, index res + 8 */
	u32 *playout;			/* playout_ms per tick */
	size_t nplay;
};

struct stream {
	const struct source *src;
	u32 ssrc;
	u16 seq;
	u32 ts;
	long s;				/* next source sample */
};

static struct sim *sim_new(u32 min_ms, u32 max_ms, u32 init_ms)
{
	struct lc_jbuf_cfg cfg = { min_ms, max_ms, init_ms };
	struct sim *sm = calloc(1, sizeof(*sm));

	ck_assert_ptr_nonnull(sm);
	lc_jbuf_init(&sm->jb, &cfg);
	return sm;
}

static void sim_free(struct sim *sm)
{
	free(sm->ev);
	free(sm->out);
	free(sm->playout);
	free(sm);
}

static struct ev *sim_ev(struct sim *sm)
{
	struct ev *e;

	if (sm->nev == sm->cap) {
		sm->cap = sm->cap ? 2 * sm->cap : 1024;
		sm->ev = realloc(sm->ev, sm->cap * sizeof(*sm->ev));
		ck_assert_ptr_nonnull(sm->ev);
	}
	e = &sm->ev[sm->nev];
	memset(e, 0, sizeof(*e));
	e->idx = sm->nev++;
	return e;
}

/* Send the next @n samples of @st, arriving at @at. */
static void send(struct sim *sm, struct stream *st, int n, u64 at,
		 bool marker)
{
	struct ev *e = sim_ev(sm);

	e->at = at;
	e->seq = st->seq++;
	e->ts = st->ts;
	e->ssrc = st->ssrc;
	e->marker = marker;
	e->n = n;
	e->s0 = st->s;
	e->src = st->src;
	st->ts += n;
	st->s += n;
}

/* The next @n samples of @st are never delivered. */
static void lose(struct stream *st, int n)
{
	st->seq++;
	st->ts += n;
	st->s += n;
}

static void raw(struct sim *sm, u64 at, u16 seq, u32 ts, u32 ssrc, int n,
		bool marker, bool nullpcm, const struct source *src, long s0)
{
	struct ev *e = sim_ev(sm);

	e->at = at;
	e->seq = seq;
	e->ts = ts;
	e->ssrc = ssrc;
	e->n = n;
	e->marker = marker;
	e->nullpcm = nullpcm;
	e->src = src;
	e->s0 = s0;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void deliver(struct sim *sm, const struct ev *e)
{
	static s16 pcm[2048];
	int i, r, n = e->n;

	for (i = 0; i < n && i < 2048; i++)
		pcm[i] = e->src ? src_at(e->src, e->s0 + i) : 0;
	r = lc_jbuf_put(&sm->jb, e->at, e->seq, e->ts, e->ssrc, e->marker,
			e->nullpcm ? NULL : pcm, (unsigned int)n);
	ck_assert(r >= -8 && r < 8);
	sm->res[r + 8]++;
}

/* Run the frame clock up to and including @until (ns). */
static void sim_run(struct sim *sm, u64 until)
{
	struct lc_jbuf_stats st;

	qsort(sm->ev + sm->next, sm->nev - sm->next, sizeof(*sm->ev), ev_cmp);
	while (sm->t <= until) {
		while (sm->next < sm->nev && sm->ev[sm->next].at <= sm->t)
			deliver(sm, &sm->ev[sm->next++]);
		if (sm->nout + FRAME > sm->outcap) {
			sm->outcap = sm->outcap ? 2 * sm->outcap : 1 << 16;
			sm->out = realloc(sm->out, sm->outcap * sizeof(s16));
			sm->playout = realloc(sm->playout,
					      sm->outcap / FRAME * sizeof(u32));
			ck_assert_ptr_nonnull(sm->out);
			ck_assert_ptr_nonnull(sm->playout);
		}
		lc_jbuf_get(&sm->jb, sm->t, sm->out + sm->nout);
		sm->nout += FRAME;
		lc_jbuf_get_stats(&sm->jb, &st);
		sm->playout[sm->nplay++] = st.playout_ms;
		sm->t += 10 * MS;
	}
}

/*
 * A stream on hold until @until: the clock runs, no frame is pulled, and
 * the packets arriving meanwhile are not given to the buffer.
 */
static void sim_skip(struct sim *sm, u64 until)
{
	qsort(sm->ev + sm->next, sm->nev - sm->next, sizeof(*sm->ev), ev_cmp);
	while (sm->next < sm->nev && sm->ev[sm->next].at <= until)
		sm->next++;
	while (sm->t <= until)
		sm->t += 10 * MS;
}

static struct lc_jbuf_stats stats(const struct sim *sm)
{
	struct lc_jbuf_stats st;

	lc_jbuf_get_stats(&sm->jb, &st);
	return st;
}

/* Arrival time of a packet whose last sample is source sample @s_end. */
static u64 cap_ns(long s_end, double eps)
{
	return (u64)llround(s_end * (double)NS_SAMPLE / (1.0 + eps));
}

/* Lag L with out[s + L] == src(s) for 400 samples from @s, or -1. */
static long find_lag(const struct sim *sm, const struct source *src, long s,
		     long lmin, long lmax)
{
	long l, k;

	for (l = lmin; l <= lmax; l++) {
		for (k = 0; k < 400; k++) {
			if (s + k + l < 0 || (size_t)(s + k + l) >= sm->nout ||
			    sm->out[s + k + l] != src_at(src, s + k))
				break;
		}
		if (k == 400)
			return l;
	}
	return -1;
}

static long mismatches(const struct sim *sm, const struct source *src,
		       long lag, long from, long to)
{
	long s, bad = 0;

	for (s = from; s < to; s++) {
		if (sm->out[s + lag] != src_at(src, s)) {
			if (getenv("JB_DEBUG") && bad < 5)
				fprintf(stderr, "mismatch at s %ld: %d != %d\n",
					s, sm->out[s + lag], src_at(src, s));
			bad++;
		}
	}
	return bad;
}

static int max_step(const s16 *x, long from, long to)
{
	int m = 0, d;
	long i;

	for (i = from + 1; i < to; i++) {
		d = abs(x[i] - x[i - 1]);
		if (d > m)
			m = d;
	}
	return m;
}

static int src_max_step(const struct source *src, long from, long to)
{
	int m = 0, d;
	long i;

	for (i = from + 1; i < to; i++) {
		d = abs(src_at(src, i) - src_at(src, i - 1));
		if (d > m)
			m = d;
	}
	return m;
}

static double rms(const s16 *x, long n)
{
	double e = 0;
	long i;

	for (i = 0; i < n; i++)
		e += (double)x[i] * x[i];
	return sqrt(e / n);
}

/*
 * A steady stream: packets of @ptime samples from source sample 0 to
 * @samples, network delay @transit_ms, sender clock off by @eps.
 */
static void steady(struct sim *sm, struct stream *st, int ptime, long samples,
		   u64 transit_ms, double eps)
{
	while (st->s < samples)
		send(sm, st, ptime, cap_ns(st->s + ptime, eps) +
		     transit_ms * MS, false);
}

static const struct source noise = { SRC_NOISE, 0, 0, 1 };
static const struct source noise2 = { SRC_NOISE, 0, 0, 99 };
static const struct source sine300 = { SRC_SINE, 10000, 300, 0 };
static const struct source sine440 = { SRC_SINE, 12000, 440, 0 };
static const struct source speechy = { SRC_SPEECH, 0, 0, 3 };

/* --- tests --------------------------------------------------------------- */

START_TEST(test_struct_size)
{
	/* 256 streams in about 3 MB */
	ck_assert_uint_le(sizeof(struct lc_jbuf), 12 * 1024);
	/* the ring holds the longest delay, a packet, and early arrivals */
	ck_assert_uint_le(LC_JBUF_MAX_MS * 8 + 3 * LC_JBUF_MAX_PKT,
			  LC_JBUF_RING);
}
END_TEST

/* In order, constant delay: the source comes out delayed, bit-exact. */
START_TEST(test_steady_bitexact)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &noise, 0x1234, 1000, 5555, 0 };
	struct lc_jbuf_stats s;
	long lag;

	steady(sm, &st, 160, 10 * FS, 30, 0);
	sim_run(sm, 10200 * MS);
	/*
	 * Packet k arrives 20(k + 1) + 30 ms; 20 ms of buffer, then the 30
	 * sample concealment lag: sample s comes out at s + 560 + 30.
	 */
	lag = find_lag(sm, &noise, 0, 0, 4000);
	ck_assert_int_eq(lag, 590);
	ck_assert_int_eq(mismatches(sm, &noise, lag, 0, 10 * FS - 30), 0);
	s = stats(sm);
	ck_assert_uint_eq(s.received, 500);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.duplicated, 0);
	ck_assert_uint_eq(s.reordered, 0);
	ck_assert_uint_eq(s.drift_adjust, 0);
	ck_assert_uint_eq(s.resyncs, 1);
	ck_assert_uint_eq(s.jitter_us, 0);
	ck_assert_uint_eq(sm->playout[500], 20);
	ck_assert_uint_eq(s.target_ms, 20);
	ck_assert_int_eq(sm->res[LC_JBUF_RESYNC + 8], 1);
	ck_assert_int_eq(sm->res[LC_JBUF_OK + 8], 499);
	sim_free(sm);
}
END_TEST

/* Packets swapped within the window: still bit-exact, counted. */
START_TEST(test_reorder)
{
	struct sim *sm = sim_new(60, 60, 60);
	struct stream st = { &noise, 7, 0, 0, 0 };
	struct lc_jbuf_stats s;
	int k, swapped = 0;
	u64 at;

	for (k = 0; k < 500; k++) {
		at = cap_ns(st.s + 160, 0) + 30 * MS;
		if (k % 5 == 2) {
			at += 25 * MS;	/* overtaken by the next one */
			swapped++;
		}
		send(sm, &st, 160, at, false);
	}
	sim_run(sm, 10200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.reordered, swapped);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_int_eq(sm->res[LC_JBUF_REORDERED + 8], swapped);
	ck_assert_int_eq(find_lag(sm, &noise, 0, 0, 4000), 910);
	ck_assert_int_eq(mismatches(sm, &noise, 910, 0, 10 * FS - 30), 0);
	sim_free(sm);
}
END_TEST

/* Reordering with the adaptive delay: nothing late, nothing lost. */
START_TEST(test_reorder_adaptive)
{
	struct sim *sm = sim_new(20, 200, 0);
	struct stream st = { &speechy, 7, 65000, 0, 0 };
	struct lc_jbuf_stats s;
	int k, swapped = 0;
	u64 at;

	for (k = 0; k < 1500; k++) {
		at = cap_ns(st.s + 160, 0) + 30 * MS;
		if (k % 7 == 3) {
			at += 25 * MS;
			swapped++;
		}
		send(sm, &st, 160, at, false);
	}
	sim_run(sm, 30200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.reordered, swapped);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	/* 25 ms of spread: about 40 ms of delay */
	ck_assert_uint_ge(sm->playout[2000], 32);
	ck_assert_uint_le(sm->playout[2000], 48);
	sim_free(sm);
}
END_TEST

/* Duplicates, early and after playout: counted, no effect on the audio. */
START_TEST(test_duplicates)
{
	struct sim *sm = sim_new(40, 40, 40);
	struct stream st = { &noise, 7, 100, 0, 0 };
	struct lc_jbuf_stats s;
	int k, dups = 0;
	u64 at;

	for (k = 0; k < 500; k++) {
		at = cap_ns(st.s + 160, 0) + 30 * MS;
		send(sm, &st, 160, at, false);
		st.seq--;
		st.ts -= 160;
		st.s -= 160;
		send(sm, &st, 160, at + MS, false);
		dups++;
		if (k % 10 == 0) {
			st.seq--;
			st.ts -= 160;
			st.s -= 160;
			send(sm, &st, 160, at + 200 * MS, false);
			dups++;
		}
	}
	sim_run(sm, 10500 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.duplicated, dups);
	ck_assert_uint_eq(s.received, 500 + dups);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.reordered, 0);
	ck_assert_int_eq(sm->res[LC_JBUF_DUPLICATE + 8], dups);
	ck_assert_int_eq(find_lag(sm, &noise, 0, 0, 4000), 750);
	ck_assert_int_eq(mismatches(sm, &noise, 750, 0, 10 * FS - 30), 0);
	ck_assert_uint_eq(s.jitter_us, 0);
	sim_free(sm);
}
END_TEST

/* One packet lost in a 300 Hz sine (pitch 80 = 3 periods). */
START_TEST(test_loss_single)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &sine300, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	const long lag = 590, s0 = 100 * 160;
	long j0 = s0 + lag, k;
	int nat = src_max_step(&sine300, 0, 2000);
	double err = 0, ref;

	steady(sm, &st, 160, s0, 30, 0);
	lose(&st, 160);
	steady(sm, &st, 160, 5 * FS, 30, 0);
	sim_run(sm, 4900 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.plc_frames, 2);
	sim_run(sm, 5200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 1);
	ck_assert_uint_eq(s.late, 0);
	/* and the end of the stream: 60 ms, in six frames */
	ck_assert_uint_eq(s.plc_frames, 2 + 6);
	/* untouched up to the quarter period before, and after the merge */
	ck_assert_int_eq(mismatches(sm, &sine300, lag, 0, s0 - 30), 0);
	ck_assert_int_eq(mismatches(sm, &sine300, lag, s0 + 160 + 80,
				    5 * FS - 100), 0);
	/* the first 10 ms continue the sine itself */
	for (k = 0; k < 80; k++)
		err = fmax(err, fabs(sm->out[j0 + k] -
				     (double)src_at(&sine300, s0 + k)));
	ck_assert_double_lt(err, 150);
	/* then fading by 20 % over the next 10 ms */
	ref = rms(sm->out + j0 + 80, 80) / (10000 / sqrt(2));
	ck_assert_double_gt(ref, 0.85);
	ck_assert_double_lt(ref, 0.95);
	/* no step at either boundary */
	ck_assert_int_le(max_step(sm->out, j0 - 200, j0 + 400), nat * 11 / 10);
	sim_free(sm);
}
END_TEST

/* 200 ms lost: Appendix I envelope, silence after 60 ms, smooth merge. */
START_TEST(test_loss_burst)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &sine300, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	const long lag = 590, s0 = 100 * 160, len = 10 * 160;
	long j0 = s0 + lag, k, i;
	int nat = src_max_step(&sine300, 0, 2000);
	double num, den, g, want, got;

	steady(sm, &st, 160, s0, 30, 0);
	lose(&st, len);
	st.seq += 9;		/* ten packets */
	steady(sm, &st, 160, 5 * FS, 30, 0);
	sim_run(sm, 4900 * MS);
	s = stats(sm);
	/* 60 ms of synthetic signal, silence after */
	ck_assert_uint_eq(s.plc_frames, 6);
	sim_run(sm, 5200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 10);
	ck_assert_uint_eq(s.late, 0);
	for (i = 0; i < 6; i++) {
		num = 0;
		den = 0;
		for (k = 80 * i; k < 80 * i + 80; k++) {
			g = k < 80 ? 1 : 1 - (k - 80) / 400.0;
			num += pow(g * src_at(&sine300, s0 + k), 2);
			den += pow(src_at(&sine300, s0 + k), 2);
		}
		want = sqrt(num / den);
		got = rms(sm->out + j0 + 80 * i, 80) / sqrt(den / 80);
		ck_assert_msg(fabs(got - want) < 0.03,
			      "segment %ld: rms %.3f, want %.3f", i, got, want);
	}
	for (k = 480; k < len; k++)
		ck_assert_int_eq(sm->out[j0 + k], 0);
	ck_assert_int_eq(mismatches(sm, &sine300, lag, 0, s0 - 30), 0);
	ck_assert_int_eq(mismatches(sm, &sine300, lag, s0 + len + 80,
				    5 * FS - 100), 0);
	/* the real signal fades in over 10 ms */
	ck_assert_int_lt(abs(sm->out[j0 + len]), 400);
	ck_assert_int_le(max_step(sm->out, j0 - 200, j0 + len + 200),
			 nat * 11 / 10);
	sim_free(sm);
}
END_TEST

/* Tones whose period is not a whole number of samples: pitch search. */
START_TEST(test_loss_pitch)
{
	static const double hz[] = { 70, 95, 123, 150, 180, 220, 440, 1000, 2500 };
	const long lag = 590, s0 = 50 * 160;
	struct source src = { SRC_SINE, 9000, 0, 0 };
	double sig, err, d;
	unsigned int f;
	long k;

	for (f = 0; f < ARRAY_SIZE(hz); f++) {
		struct sim *sm = sim_new(20, 200, 20);
		struct stream st = { &src, 1, 0, 0, 0 };

		src.hz = hz[f];
		steady(sm, &st, 160, s0, 30, 0);
		lose(&st, 160);
		steady(sm, &st, 160, 2 * FS, 30, 0);
		sim_run(sm, 1900 * MS);
		sig = 0;
		err = 0;
		for (k = 0; k < 80; k++) {
			d = sm->out[s0 + lag + k] - src_at(&src, s0 + k);
			err += d * d;
			sig += pow(src_at(&src, s0 + k), 2);
		}
		/*
		 * The first 10 ms continue the tone.  Appendix I's 2:1
		 * decimated search (these lags match its floating-point
		 * reference) is made for voice pitch; above it, a lag a
		 * fraction of a period off is found.
		 */
		ck_assert_msg(10 * log10(sig / err) > (hz[f] <= 220 ? 18 : 10),
			      "%.0f Hz: SNR %.1f dB", hz[f],
			      10 * log10(sig / err));
		ck_assert_int_le(max_step(sm->out, s0 + lag - 200,
					  s0 + lag + 400),
				 src_max_step(&src, 0, 2000) * 11 / 10);
		ck_assert_uint_eq(stats(sm).lost, 1);
		sim_free(sm);
	}
}
END_TEST

/* A packet half late keeps its second half; the first is concealed. */
START_TEST(test_partial_late)
{
	struct sim *sm = sim_new(20, 20, 20);
	struct stream st = { &speechy, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	const long lag = 590, s0 = 100 * 160;
	int k;

	for (k = 0; k < 250; k++)
		send(sm, &st, 160, cap_ns(st.s + 160, 0) + 30 * MS +
		     (k == 100 ? 25 * MS : 0), false);
	sim_run(sm, 5200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.reordered, 1);
	ck_assert_uint_eq(s.plc_frames, 1 + 6);
	ck_assert_int_eq(mismatches(sm, &speechy, lag, 0, s0 - 30), 0);
	/* 5 ms concealed, then the packet's own samples after the merge */
	ck_assert_int_gt(mismatches(sm, &speechy, lag, s0, s0 + 40), 0);
	ck_assert_int_eq(mismatches(sm, &speechy, lag, s0 + 40 + 80,
				    5 * FS - 30), 0);
	sim_free(sm);
}
END_TEST

/* The bounds can change while the stream runs. */
START_TEST(test_set_cfg)
{
	struct sim *sm = sim_new(20, 200, 0);
	struct stream st = { &speechy, 1, 0, 0, 0 };
	struct lc_jbuf_cfg cfg = { 20, 50, 0 };
	struct lc_jbuf_stats s;
	int k;

	srand(9);
	for (k = 0; k < 1000; k++)
		send(sm, &st, 160, cap_ns(st.s + 160, 0) + 30 * MS +
		     (u64)(rand() % 100000) * 1000, false);
	sim_run(sm, 8000 * MS);
	s = stats(sm);
	ck_assert_uint_ge(s.target_ms, 100);
	ck_assert_uint_ge(sm->playout[799], 90);
	lc_jbuf_set_cfg(&sm->jb, &cfg);
	ck_assert_uint_eq(stats(sm).target_ms, 50);
	sim_run(sm, 14000 * MS);
	/* within the 10 ms the shrinking side may wait for a pause */
	ck_assert_uint_le(sm->playout[1399], 60);
	ck_assert_uint_ge(sm->playout[1399], 40);
	/* more late packets now, as asked for */
	ck_assert_uint_gt(stats(sm).late, s.late);
	sim_free(sm);
}
END_TEST

/* Random losses in speech-like audio: all counted, no clicks. */
START_TEST(test_loss_random_speech)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &speechy, 1, 60000, 0, 0 };
	struct lc_jbuf_stats s;
	static bool excused[60 * FS];
	long i, bad = 0;
	int k, lost = 0, nat;

	srand(5);
	memset(excused, 0, sizeof(excused));
	for (k = 0; k < 3000; k++) {
		if (k > 10 && rand() % 20 == 0) {
			/* quarter period before, merge (<= 10 ms) after */
			for (i = st.s - 30; i < st.s + 160 + 80; i++)
				if (i >= 0 && i < 60 * FS)
					excused[i] = true;
			lose(&st, 160);
			lost++;
			continue;
		}
		send(sm, &st, 160, cap_ns(st.s + 160, 0) + 30 * MS, false);
	}
	sim_run(sm, 60200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, lost);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.drift_adjust, 0);
	nat = src_max_step(&speechy, 0, 60 * FS);
	ck_assert_int_le(max_step(sm->out, 0, (long)sm->nout), nat * 3 / 2);
	/* everything else comes through untouched */
	for (i = 0; i < 60 * FS - 30; i++)
		if (!excused[i] && sm->out[i + 590] != src_at(&speechy, i))
			bad++;
	ck_assert_int_eq(bad, 0);
	sim_free(sm);
}
END_TEST

/* A burst of jitter: late packets, fast growth, slow return. */
START_TEST(test_jitter_burst)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &sine440, 1, 0, 0, 0 };
	struct lc_jbuf_stats a, b, c, d;
	u64 at;
	int k, nat = src_max_step(&sine440, 0, 2000);
	size_t t;

	for (k = 0; k < 70 * 50; k++) {
		at = cap_ns(st.s + 160, 0) + 30 * MS;
		if (k >= 250 && k < 400 && k % 4 == 0)
			at += 80 * MS;
		send(sm, &st, 160, at, false);
	}
	sim_run(sm, 5000 * MS);
	a = stats(sm);
	ck_assert_uint_eq(a.late, 0);
	ck_assert_uint_eq(sm->playout[490], 20);
	sim_run(sm, 6500 * MS);
	b = stats(sm);
	ck_assert_uint_gt(b.late, 0);
	sim_run(sm, 8100 * MS);
	c = stats(sm);
	/* adapted within the first half of the burst */
	ck_assert_uint_eq(c.late, b.late);
	ck_assert_uint_ge(sm->playout[800], 80);
	ck_assert_uint_le(sm->playout[800], 200);
	ck_assert_uint_ge(c.target_ms, 80);
	for (t = 0; t < sm->nplay; t++)
		ck_assert_uint_le(sm->playout[t], 200);
	sim_run(sm, 70000 * MS);
	d = stats(sm);
	ck_assert_uint_eq(d.late, c.late);
	/* every late packet was missing when its turn came */
	ck_assert_uint_eq(d.lost, d.late);
	ck_assert_uint_eq(d.target_ms, 20);
	ck_assert_uint_le(sm->playout[6900], 25);
	/* slowly: still above 40 ms two seconds after the burst */
	ck_assert_uint_ge(sm->playout[1000], 40);
	/* growing and shrinking left no clicks outside the concealment */
	ck_assert_int_le(max_step(sm->out, 900 * FRAME, (long)sm->nout),
			 nat * 21 / 20);
	sim_free(sm);
}
END_TEST

/* Frequency of @x over @n samples from its zero crossings, in Hz. */
static double zc_freq(const s16 *x, long n)
{
	long i, first = -1, last = -1, count = 0;

	for (i = 1; i < n; i++) {
		if (x[i - 1] < 0 && x[i] >= 0) {
			if (first < 0)
				first = i;
			last = i;
			count++;
		}
	}
	return count > 1 ? (double)(count - 1) * FS / (double)(last - first) : 0;
}

/*
 * The delay a burst of jitter built up comes back down without changing
 * the pitch: a tone keeps its frequency while the buffer shortens
 * (periods are cut out, not resampled: 2 samples in 80 would be 2.5 %).
 */
START_TEST(test_shrink_keeps_pitch)
{
	static const struct source tone = { SRC_SINE, 10000, 1000, 0 };
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &tone, 1, 0, 0, 0 };
	struct lc_jbuf_stats b;
	double f, worst = 0;
	size_t t, peak = 0;
	long w;
	u64 at;
	int k;

	for (k = 0; k < 30 * 50; k++) {
		at = cap_ns(st.s + 160, 0) + 30 * MS;
		/* 2 s of packets 80 ms late in bursts, as on a busy uplink */
		if (k >= 250 && k < 350 && k % 4 == 0)
			at += 80 * MS;
		send(sm, &st, 160, at, false);
	}
	sim_run(sm, 30000 * MS);
	b = stats(sm);
	for (t = 0; t < sm->nplay; t++)
		if (sm->playout[t] > sm->playout[peak])
			peak = t;
	ck_assert_uint_ge(sm->playout[peak], 80);
	/* It did come back down: by far more than concealment would insert. */
	ck_assert_uint_le(sm->playout[sm->nplay - 1], 25);
	ck_assert_uint_gt(b.dropped, 400);
	/* Every 250 ms from the peak on: the tone's frequency. */
	for (w = (long)peak * FRAME; w + 2000 <= (long)sm->nout; w += 2000) {
		f = zc_freq(sm->out + w, 2000);
		if (fabs(f - 1000) > worst)
			worst = fabs(f - 1000);
	}
	ck_assert_msg(worst < 2, "the tone moved by %.1f Hz while the delay shrank", worst);
	sim_free(sm);
}
END_TEST

/*
 * The network delay steps up by 7 ms for good: the buffer takes it up by
 * repeating a period of the tone, not by resampling it (78 samples played
 * as 80 would lower it 2.5 %).
 */
START_TEST(test_grow_keeps_pitch)
{
	static const struct source tone = { SRC_SINE, 10000, 1000, 0 };
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &tone, 1, 0, 0, 0 };
	struct lc_jbuf_stats b;
	double f, worst = 0;
	long w;
	int k;

	for (k = 0; k < 15 * 50; k++)
		send(sm, &st, 160, cap_ns(st.s + 160, 0) + (k < 250 ? 30 : 37) * MS, false);
	sim_run(sm, 15000 * MS);
	b = stats(sm);
	ck_assert_uint_eq(b.late, 0);
	ck_assert_uint_eq(b.lost, 0);
	/* It did grow by the step (and nothing was concealed for it). */
	ck_assert_uint_ge(b.inserted, 40);
	ck_assert_uint_eq(b.plc_frames, 0);
	for (w = 4 * FS; w + 2000 <= (long)sm->nout; w += 2000) {
		f = zc_freq(sm->out + w, 2000);
		if (fabs(f - 1000) > worst)
			worst = fabs(f - 1000);
	}
	ck_assert_msg(worst < 2, "the tone moved by %.1f Hz while the delay grew", worst);
	sim_free(sm);
}
END_TEST

/*
 * A hold in the middle of a stream: for 5 s no packet is taken and no
 * frame pulled (lc_stream_rx_frame), while the sender goes on.  With
 * lc_jbuf_restart() at the resume nothing is counted lost and the audio
 * after it is the source's, bit for bit; without it the 250 packets sent
 * during the hold are counted lost.
 */
START_TEST(test_restart_after_hold)
{
	int with;

	for (with = 0; with < 2; with++) {
		struct sim *sm = sim_new(20, 200, 0);
		struct stream st = { &noise, 1, 0, 0, 0 };
		struct lc_jbuf_stats s;
		long lag;

		while (st.s < 15 * FS) {
			if (st.s >= 5 * FS && st.s < 10 * FS) {
				lose(&st, 160);
				continue;
			}
			send(sm, &st, 160, cap_ns(st.s + 160, 0) + 30 * MS, false);
		}
		/* held with packets still buffered */
		sim_run(sm, 4900 * MS);
		sim_skip(sm, 10000 * MS);
		if (with)
			lc_jbuf_restart(&sm->jb);
		sim_run(sm, 15000 * MS);
		s = stats(sm);
		ck_assert_uint_eq(s.late, 0);
		if (with) {
			ck_assert_uint_eq(s.lost, 0);
			lag = find_lag(sm, &noise, 12 * FS, -100000, 100000);
			ck_assert_int_ne(lag, -1);
			ck_assert_int_eq(mismatches(sm, &noise, lag, 12 * FS, 14 * FS), 0);
		} else {
			ck_assert_uint_ge(s.lost, 250);
		}
		sim_free(sm);
	}
}
END_TEST

/* Uniform jitter: RFC 3550 jitter estimate and no late packets. */
START_TEST(test_jitter_estimate)
{
	struct sim *sm = sim_new(20, 200, 0);
	struct stream st = { &speechy, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	double j = 0, d, prev = 0;
	u64 at;
	int k;

	srand(11);
	for (k = 0; k < 3000; k++) {
		/* delay uniform in 30..70 ms: mean |D| = 40 / 3 ms */
		at = cap_ns(st.s + 160, 0) + 30 * MS +
		     (u64)(rand() % 40000) * 1000;
		send(sm, &st, 160, at, false);
	}
	sim_run(sm, 60300 * MS);
	s = stats(sm);
	/* RFC 3550 6.4.1 in doubles, over the packets in arrival order */
	for (k = 0; k < 3000; k++) {
		d = sm->ev[k].at / (double)NS_SAMPLE - sm->ev[k].ts;
		if (k)
			j += (fabs(d - prev) - j) / 16;
		prev = d;
	}
	ck_assert_msg(fabs(s.jitter_us - j * 125) < j * 125 * 0.04,
		      "jitter %u us, want %.0f", s.jitter_us, j * 125);
	ck_assert_uint_ge(s.jitter_us, 9000);
	ck_assert_uint_le(s.late, 10);
	ck_assert_uint_eq(s.lost, s.late);
	ck_assert_uint_ge(s.target_ms, 44);
	ck_assert_uint_le(s.target_ms, 60);
	sim_free(sm);
}
END_TEST

/* +-1 % sender clock for 10 minutes: delay stays put, drift absorbed. */
static void drift_run(double eps, const struct source *src, int step_pct)
{
	struct sim *sm = sim_new(20, 200, 0);
	struct stream st = { src, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	const long dur = 600;
	long want, got;
	size_t t;
	u64 at;
	int nat;

	srand(3);
	while (cap_ns(st.s, eps) < (dur + 1) * 1000 * MS) {
		at = cap_ns(st.s + 160, eps) + 30 * MS +
		     (u64)(rand() % 5000) * 1000;
		send(sm, &st, 160, at, false);
	}
	sim_run(sm, dur * 1000 * MS);
	s = stats(sm);
	for (t = 1000; t < sm->nplay; t++) {
		ck_assert_msg(sm->playout[t] >= 12 && sm->playout[t] <= 35,
			      "eps %.3f: playout %u ms at %zu",
			      eps, sm->playout[t], t);
	}
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_gt(s.drift_adjust, 100);
	/* initial 40 ms down to 20, plus the clock difference */
	want = lround(eps * dur * FS) + 160;
	got = (long)s.dropped - (long)s.inserted;
	ck_assert_msg(labs(got - want) < 600, "eps %.3f: net %ld, want %ld",
		      eps, got, want);
	nat = src_max_step(src, 0, 60 * FS);
	ck_assert_int_le(max_step(sm->out, 0, (long)sm->nout),
			 nat * step_pct / 100);
	sim_free(sm);
}

START_TEST(test_drift_fast_sine)
{
	drift_run(0.01, &sine440, 105);
}
END_TEST

START_TEST(test_drift_slow_sine)
{
	drift_run(-0.01, &sine440, 105);
}
END_TEST

START_TEST(test_drift_fast_speech)
{
	drift_run(0.01, &speechy, 150);
}
END_TEST

START_TEST(test_drift_slow_speech)
{
	drift_run(-0.01, &speechy, 150);
}
END_TEST

/* ptime 20 -> 30 ms mid-stream, fixed delay: timestamps place it all. */
START_TEST(test_ptime_change_fixed)
{
	struct sim *sm = sim_new(60, 60, 60);
	struct stream st = { &speechy, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	long lag2;

	steady(sm, &st, 160, 3 * FS, 30, 0);
	steady(sm, &st, 240, 6 * FS, 30, 0);
	sim_run(sm, 6200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.received, 150 + 100);
	ck_assert_int_eq(find_lag(sm, &speechy, 100, 0, 4000), 910);
	/* bit-exact across the change until the delay is re-centred */
	ck_assert_int_eq(mismatches(sm, &speechy, 910, 0, 3 * FS + 400), 0);
	/* 30 ms packets arrive 10 ms later: one 10 ms step, then exact */
	lag2 = find_lag(sm, &speechy, 5 * FS, 0, 4000);
	ck_assert_int_ge(lag2, 975);
	ck_assert_int_le(lag2, 990);
	ck_assert_int_eq(mismatches(sm, &speechy, lag2, 5 * FS,
				    6 * FS - 100), 0);
	ck_assert_uint_ge(sm->playout[600], 58);
	ck_assert_uint_le(sm->playout[600], 60);
	ck_assert_int_le(max_step(sm->out, 0, (long)sm->nout),
			 src_max_step(&speechy, 0, 6 * FS) * 3 / 2);
	sim_free(sm);
}
END_TEST

START_TEST(test_ptime_change_adaptive)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &speechy, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;

	steady(sm, &st, 160, 3 * FS, 30, 0);
	steady(sm, &st, 240, 8 * FS, 30, 0);
	steady(sm, &st, 80, 10 * FS, 30, 0);
	sim_run(sm, 10200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_ge(sm->playout[790], 15);
	ck_assert_uint_le(sm->playout[790], 25);
	ck_assert_uint_ge(sm->playout[1000], 15);
	ck_assert_uint_le(sm->playout[1000], 25);
	ck_assert_int_le(max_step(sm->out, 0, (long)sm->nout),
			 src_max_step(&speechy, 0, 10 * FS) * 3 / 2);
	ck_assert_int_gt(find_lag(sm, &speechy, 7 * FS, 0, 4000), 0);
	ck_assert_int_gt(find_lag(sm, &speechy, 2 * FS, 0, 4000), 0);
	sim_free(sm);
}
END_TEST

/* Sequence numbers and timestamps wrap inside the stream. */
START_TEST(test_wrap)
{
	struct sim *sm = sim_new(40, 40, 40);
	struct stream st = { &noise, 9, 65500, 0xffffffffU - 3000, 0 };
	struct lc_jbuf_stats s;

	steady(sm, &st, 160, 3 * FS, 30, 0);
	sim_run(sm, 3200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.resyncs, 1);
	ck_assert_uint_eq(s.reordered, 0);
	ck_assert_int_eq(find_lag(sm, &noise, 0, 0, 4000), 750);
	ck_assert_int_eq(mismatches(sm, &noise, 750, 0, 3 * FS - 30), 0);
	sim_free(sm);
}
END_TEST

START_TEST(test_wrap_with_loss)
{
	struct sim *sm = sim_new(40, 40, 40);
	struct stream st = { &noise, 9, 65500, 0xffffffffU - 5000, 0 };
	struct lc_jbuf_stats s;
	int k;

	for (k = 0; k < 150; k++) {
		/* seq 65535 and the packet holding timestamp 0 */
		if (st.seq == 65535 || (u32)(st.ts + 160) < st.ts) {
			lose(&st, 160);
			continue;
		}
		send(sm, &st, 160, cap_ns(st.s + 160, 0) + 30 * MS, false);
	}
	sim_run(sm, 3200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 2);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.resyncs, 1);
	ck_assert_uint_eq(sm->playout[200], 40);
	sim_free(sm);
}
END_TEST

/* A new SSRC takes over after one packet of probation. */
START_TEST(test_ssrc_change)
{
	struct sim *sm = sim_new(40, 40, 40);
	struct stream a = { &noise, 0x1111, 100, 1000, 0 };
	struct stream b = { &noise2, 0x2222, 40000, 0x80000000U, 0 };
	struct lc_jbuf_stats s;
	long lag;

	steady(sm, &a, 160, 3 * FS, 30, 0);
	b.s = 3 * FS;		/* B starts where A stops */
	steady(sm, &b, 160, 6 * FS, 30, 0);
	sim_run(sm, 6200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.ssrc_changes, 1);
	ck_assert_uint_eq(s.resyncs, 2);
	ck_assert_uint_eq(s.discarded, 1);
	ck_assert_int_eq(sm->res[LC_JBUF_PROBATION + 8], 1);
	ck_assert_int_eq(sm->res[LC_JBUF_RESYNC + 8], 2);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_int_eq(mismatches(sm, &noise, 750, 0, 3 * FS - 30), 0);
	/* B from its second packet on, at the configured delay */
	lag = find_lag(sm, &noise2, 3 * FS + 160 + 80, 0, 4000);
	ck_assert_int_eq(lag, 750);
	ck_assert_int_eq(mismatches(sm, &noise2, lag, 3 * FS + 160 + 80,
				    6 * FS - 30), 0);
	sim_free(sm);
}
END_TEST

/* The remote stops: concealment fades to silence; idle time is reported. */
START_TEST(test_remote_stops)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &sine300, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	const long lag = 590, send_end = 2 * FS;
	long j, j0 = send_end + lag;
	u64 last;

	steady(sm, &st, 160, send_end, 30, 0);
	last = sm->ev[sm->nev - 1].at;
	sim_run(sm, 5000 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(lc_jbuf_idle_ns(&sm->jb, 5000 * MS), 5000 * MS - last);
	ck_assert_uint_eq(lc_jbuf_idle_ns(&sm->jb, 5000 * MS), 2970 * MS);
	ck_assert_int_eq(mismatches(sm, &sine300, lag, 0, send_end - 30), 0);
	ck_assert_double_gt(rms(sm->out + j0, 80), 6000);
	ck_assert_double_gt(rms(sm->out + j0 + 160, 80),
			    rms(sm->out + j0 + 320, 80) * 1.5);
	for (j = j0 + 480; j < (long)sm->nout; j++)
		ck_assert_int_eq(sm->out[j], 0);
	ck_assert_uint_le(s.plc_frames, 7);
	ck_assert_int_le(max_step(sm->out, j0 - 100, j0 + 600),
			 src_max_step(&sine300, 0, 1000) * 11 / 10);

	/* it comes back with timestamps that ran on (silence suppression) */
	st.ts += 3 * FS;
	st.s += 3 * FS;
	send(sm, &st, 160, cap_ns(st.s + 160, 0) + 30 * MS, true);
	steady(sm, &st, 160, 7 * FS, 30, 0);
	sim_run(sm, 7200 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.resyncs, 1);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_int_eq(mismatches(sm, &sine300, lag, 5 * FS + 80,
				    7 * FS - 100), 0);
	ck_assert_uint_lt(lc_jbuf_idle_ns(&sm->jb, 7200 * MS), 200 * MS);
	sim_free(sm);
}
END_TEST

/* The remote pauses its clock: timestamps continue where they stopped. */
START_TEST(test_remote_pauses)
{
	struct sim *sm = sim_new(40, 40, 40);
	struct stream st = { &noise, 1, 0, 0, 0 };
	struct lc_jbuf_stats s;
	long lag;
	int k;

	steady(sm, &st, 160, 2 * FS, 30, 0);
	sim_run(sm, 5000 * MS);
	/* resumes 3 s later, sequence and timestamps continuous */
	for (k = 0; k < 100; k++)
		send(sm, &st, 160, 5000 * MS + (u64)k * 20 * MS + 50 * MS,
		     false);
	sim_run(sm, 7500 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.resyncs, 2);
	ck_assert_uint_eq(s.discarded, 0);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_int_eq(sm->res[LC_JBUF_RESYNC + 8], 2);
	lag = find_lag(sm, &noise, 3 * FS, 0, 30000);
	ck_assert_int_gt(lag, 0);
	ck_assert_int_eq(mismatches(sm, &noise, lag, 2 * FS + 80,
				    4 * FS - 30), 0);
	sim_free(sm);
}
END_TEST

/*
 * Talkspurts (marker bit) with silence suppression; the network delay
 * steps up by 60 ms during a pause, and later back down: each next
 * talkspurt starts at the target delay for the new path, nothing late,
 * nothing lost, no sample of a talkspurt touched.
 */
START_TEST(test_talkspurts)
{
	struct sim *sm = sim_new(20, 200, 20);
	struct stream st = { &noise, 1, 0, 0, 0 };
	struct lc_jbuf_stats s, s1;
	u64 transit;
	long lag, start;
	int t, k;

	for (t = 0; t < 15; t++) {
		transit = t >= 5 && t < 10 ? 90 : 30;
		for (k = 0; k < 20; k++)
			send(sm, &st, 160, cap_ns(st.s + 160, 0) +
			     transit * MS, k == 0);
		st.ts += 600 * 8;	/* 600 ms of silence, not sent */
		st.s += 600 * 8;
	}
	sim_run(sm, 4500 * MS);
	s1 = stats(sm);
	sim_run(sm, 15500 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.late, 0);
	ck_assert_uint_eq(s.resyncs, 1);
	ck_assert_uint_eq(s1.drift_adjust, 0);
	ck_assert_uint_eq(s.drift_adjust, 2);
	ck_assert_uint_eq(s.inserted, 60 * 8);
	ck_assert_uint_eq(s.dropped, 60 * 8);
	for (t = 0; t < 15; t++) {
		start = t * 1000 * 8;
		lag = find_lag(sm, &noise, start + 100, 0, 4000);
		ck_assert_int_eq(lag, t >= 5 && t < 10 ? 590 + 60 * 8 : 590);
		/* whole talkspurt but its fade-in from silence */
		ck_assert_int_eq(mismatches(sm, &noise, lag, start + 80,
					    start + 3200 - 30), 0);
	}
	sim_free(sm);
}
END_TEST

/* Bad arguments and absurd packets leave the audio untouched. */
START_TEST(test_hostile)
{
	struct sim *clean = sim_new(40, 40, 40), *sm = sim_new(40, 40, 40);
	struct stream a = { &noise, 5, 30000, 77777, 0 };
	struct stream b = { &noise, 5, 30000, 77777, 0 };
	struct lc_jbuf_stats s, c;
	int k, kind, nprob = 0, ninval = 0, nlate = 0;
	u16 hi;
	u32 ts;
	u64 at;

	for (k = 0; k < 250; k++) {
		at = cap_ns(a.s + 160, 0) + 30 * MS;
		send(clean, &a, 160, at, false);
		send(sm, &b, 160, at, false);
		hi = (u16)(b.seq - 1);
		ts = b.ts - 160;
		at += 3 * MS;
		kind = k % 10;
		switch (kind) {
		case 0:
			raw(sm, at, hi + 1, ts + 160, 5, 0, 0, 0, &noise, 0);
			ninval++;
			break;
		case 1:
			raw(sm, at, hi + 1, ts + 160, 5, 481, 0, 0, &noise, 0);
			ninval++;
			break;
		case 2:
			raw(sm, at, hi + 1, ts + 160, 5, 160, 0, 1, &noise, 0);
			ninval++;
			break;
		case 3:
			raw(sm, at, hi + 1, ts + 0x80000000U, 5, 160, 0, 0,
			    &noise2, 0);
			nprob++;
			break;
		case 4:
			raw(sm, at, hi + 2, ts - 1000000, 5, 480, 1, 0,
			    &noise2, 0);
			nprob++;
			break;
		case 5:
			raw(sm, at, hi + 20000, ts + 160, 5, 160, 0, 0,
			    &noise2, 0);
			nprob++;
			break;
		case 6:
			raw(sm, at, hi - 500, ts, 5, 160, 0, 0, &noise2, 0);
			nprob++;
			break;
		case 7:
			raw(sm, at, hi + 1, ts + 160, 0xdead0000U + k, 160,
			    1, 0, &noise2, 0);
			nprob++;
			break;
		case 8:
			raw(sm, at, hi - 3, ts + 100000, 5, 160, 0, 0,
			    &noise2, 0);
			nprob++;
			break;
		default:
			raw(sm, at, hi - 80, ts - 1000000, 5, 160, 0, 0,
			    &noise2, 0);
			nlate++;
			break;
		}
	}
	sim_run(clean, 5200 * MS);
	sim_run(sm, 5200 * MS);
	s = stats(sm);
	c = stats(clean);
	ck_assert_uint_eq(clean->nout, sm->nout);
	ck_assert_int_eq(memcmp(clean->out, sm->out,
				sm->nout * sizeof(s16)), 0);
	ck_assert_uint_eq(s.discarded, nprob + ninval);
	ck_assert_int_eq(sm->res[LC_JBUF_INVALID + 8], ninval);
	ck_assert_int_eq(sm->res[LC_JBUF_PROBATION + 8], nprob);
	ck_assert_uint_eq(s.late, nlate);
	ck_assert_uint_eq(s.received, c.received + nprob + nlate);
	ck_assert_uint_eq(s.lost, 0);
	ck_assert_uint_eq(s.resyncs, 1);
	ck_assert_uint_eq(s.ssrc_changes, 0);
	ck_assert_uint_eq(s.jitter_us, 0);
	ck_assert_uint_eq(sm->playout[400], 40);
	sim_free(clean);
	sim_free(sm);
}
END_TEST

/* Random garbage, then a clean stream: it recovers and plays exactly. */
START_TEST(test_fuzz)
{
	struct sim *sm = sim_new(20, 300, 0);
	struct stream st = { &noise2, 0xabc, 1, 2, 0 };
	struct lc_jbuf_stats s;
	u64 t = 0;
	u16 seq = 0;
	u32 ts = 0;
	int k, n, valid = 0;
	long lag;

	srand(1234);
	for (k = 0; k < 40000; k++) {
		t += (u64)(rand() % 8) * MS;
		n = rand() % 6 ? 1 + rand() % 480 : rand() % 1000;
		switch (rand() % 6) {
		case 0:
			seq = (u16)rand();
			ts = (u32)rand() * 2654435761U;
			break;
		case 1:
			seq -= (u16)(rand() % 70);
			ts -= (u32)(rand() % 5000);
			break;
		default:
			seq += 1 + (rand() % 4 == 0 ? rand() % 70 : 0);
			ts += (u32)(rand() % 4 ? n : rand() % 9000);
			break;
		}
		raw(sm, t, seq, ts, rand() % 50 ? 7 : (u32)rand() % 3, n,
		    rand() % 10 == 0, rand() % 200 == 0, &noise, rand());
		if (n >= 1 && n <= 480)
			valid++;
	}
	sim_run(sm, t + 10 * MS);
	s = stats(sm);
	ck_assert_uint_eq(s.received + sm->res[LC_JBUF_INVALID + 8],
			  40000);
	ck_assert_uint_le(s.received, valid);
	ck_assert_uint_le(s.playout_ms, 400);
	ck_assert_uint_le(s.target_ms, 300);
	/* a well-behaved source afterwards */
	st.s = 0;
	t = sm->t;
	while (st.s < 40 * FS)
		send(sm, &st, 160, t + 50 * MS + cap_ns(st.s + 160, 0),
		     false);
	sim_run(sm, t + 41000 * MS);
	lag = find_lag(sm, &noise2, 37 * FS, 0, (long)sm->nout);
	ck_assert_int_gt(lag, 0);
	ck_assert_int_eq(mismatches(sm, &noise2, lag, 37 * FS, 40 * FS - 30),
			 0);
	ck_assert_uint_eq(stats(sm).target_ms, 20);
	sim_free(sm);
}
END_TEST

/*
 * Two ports of one box talking over loopback: the sender and the
 * receiver run on one frame clock.  Each tick captures a frame, sends a
 * 20 ms packet every other frame when the tick actually runs, and pulls
 * a frame for the earpiece at the frame's nominal time.  Ticks run up
 * to 1 ms late, one in eight 3..6 ms late, and one in fifty 10..16 ms
 * late, so that it runs two frames at once.  Same clock, no drift: once
 * settled the buffer must leave the audio alone.
 */
static int one_clock(struct sim *sm, struct stream *st, long samples)
{
	long k = 0, last;
	int r, bursts = 0;
	u64 at;

	while (k * FRAME < samples) {
		r = rand() % 100;
		at = (u64)k * 10 * MS;
		if (r < 2) {
			at += (10000 + (u64)(rand() % 6000)) * 1000;
			bursts++;
		} else if (r < 14) {
			at += (3000 + (u64)(rand() % 3000)) * 1000;
		} else {
			at += (u64)(rand() % 1000) * 1000;
		}
		last = (long)(at / (10 * MS));
		for (; k <= last; k++)
			if (k & 1)
				send(sm, st, 160, at + (50 + rand() % 250) * 1000,
				     false);
	}
	return bursts;
}

/* Least-squares fit of a sine at @hz: its power over the residual's. */
static double fit_snr(const s16 *x, long n, double hz)
{
	double w = TWO_PI * hz / FS, ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
	double a, b, det, y, e, fit = 0, res = 0;
	long i;

	for (i = 0; i < n; i++) {
		ss += sin(w * i) * sin(w * i);
		cc += cos(w * i) * cos(w * i);
		sc += sin(w * i) * cos(w * i);
		xs += x[i] * sin(w * i);
		xc += x[i] * cos(w * i);
	}
	det = ss * cc - sc * sc;
	a = (xs * cc - xc * sc) / det;
	b = (xc * ss - xs * sc) / det;
	for (i = 0; i < n; i++) {
		y = a * sin(w * i) + b * cos(w * i);
		e = x[i] - y;
		fit += y * y;
		res += e * e;
	}
	return 10 * log10(fit / (res + 1e-9));
}

/*
 * A 1 kHz tone from the first sample (@quiet 0), or after @quiet ms of
 * silence, as in the system test: the delay may settle in the first
 * second (or the silence), then the tone comes out bit-exact, with no
 * time-scale change, nothing late, nothing concealed.
 */
static void same_clock_run(unsigned int seed, long quiet)
{
	const long dur = 20 * FS, from = quiet * 8 + FS;
	struct source tone = { SRC_SINE, 9830, 1000, (unsigned int)quiet * 8 };
	struct sim *sm = sim_new(0, 0, 0);
	struct stream st = { &tone, 0x4242, 1, 123456, 0 };
	struct lc_jbuf_stats a, b;
	long lag;
	int bursts;
	size_t t;

	srand(seed);
	bursts = one_clock(sm, &st, dur);
	ck_assert_int_ge(bursts, 20);
	sim_run(sm, (u64)from / 8 * MS);
	a = stats(sm);
	sim_run(sm, (u64)dur / 8 * MS);
	b = stats(sm);
	ck_assert_uint_eq(b.late, 0);
	ck_assert_uint_eq(b.lost, 0);
	ck_assert_uint_eq(b.plc_frames, a.plc_frames);
	ck_assert_msg(b.drift_adjust == a.drift_adjust,
		      "seed %u: %llu adjustments after settling", seed,
		      (unsigned long long)(b.drift_adjust - a.drift_adjust));
	ck_assert_uint_eq(b.inserted, a.inserted);
	ck_assert_uint_eq(b.dropped, a.dropped);
	ck_assert_uint_gt(b.jitter_us, 0);
	for (t = (size_t)from / FRAME; t < sm->nplay; t++) {
		ck_assert_uint_ge(sm->playout[t], 15);
		ck_assert_uint_le(sm->playout[t], 50);
	}
	/* the tone, delayed: bit-exact from the first second on */
	lag = find_lag(sm, &tone, from, 0, 4000);
	ck_assert_int_gt(lag, 0);
	ck_assert_int_eq(mismatches(sm, &tone, lag, from, dur - 400), 0);
	ck_assert_double_gt(fit_snr(sm->out + from, (long)sm->nout - from - 400,
				    1000), 40);
	sim_free(sm);
}

START_TEST(test_same_clock_tone)
{
	unsigned int seed;

	for (seed = 1; seed <= 8; seed++)
		same_clock_run(seed, 0);
}
END_TEST

START_TEST(test_same_clock_after_silence)
{
	unsigned int seed;

	for (seed = 1; seed <= 8; seed++)
		same_clock_run(seed, 2000);
}
END_TEST

/* Before any packet, and with cfg NULL: silence, defaults. */
START_TEST(test_idle_defaults)
{
	struct lc_jbuf *jb = calloc(1, sizeof(*jb));
	struct lc_jbuf_stats s;
	struct lc_jbuf_cfg cfg = { 100, 50, 0 };
	s16 out[FRAME];
	int k, i;

	ck_assert_ptr_nonnull(jb);
	lc_jbuf_init(jb, NULL);
	ck_assert_uint_eq(lc_jbuf_idle_ns(jb, 12345), 0);
	for (k = 0; k < 10; k++) {
		memset(out, 0x55, sizeof(out));
		lc_jbuf_get(jb, 1000 * MS + (u64)k * 10 * MS, out);
		for (i = 0; i < FRAME; i++)
			ck_assert_int_eq(out[i], 0);
	}
	ck_assert_uint_eq(lc_jbuf_idle_ns(jb, 1500 * MS), 500 * MS);
	lc_jbuf_get_stats(jb, &s);
	ck_assert_uint_eq(s.target_ms, LC_JBUF_DEF_INIT_MS);
	ck_assert_uint_eq(s.plc_frames, 0);
	ck_assert_uint_eq(s.playout_ms, 0);
	/* min above max: both become max; max capped */
	lc_jbuf_init(jb, &cfg);
	lc_jbuf_get_stats(jb, &s);
	ck_assert_uint_eq(s.target_ms, 50);
	cfg.min_ms = 0;
	cfg.max_ms = 1000;
	cfg.init_ms = 1000;
	lc_jbuf_init(jb, &cfg);
	lc_jbuf_get_stats(jb, &s);
	ck_assert_uint_eq(s.target_ms, LC_JBUF_MAX_MS);
	ck_assert_int_eq(lc_jbuf_put(jb, 0, 1, 1, 1, false, out, 0),
			 LC_JBUF_INVALID);
	ck_assert_int_eq(lc_jbuf_put(jb, 0, 1, 1, 1, false, NULL, 80),
			 LC_JBUF_INVALID);
	ck_assert_int_eq(lc_jbuf_put(jb, 0, 1, 1, 1, false, out, 481),
			 LC_JBUF_INVALID);
	ck_assert_int_eq(lc_jbuf_put(jb, 0, 1, 1, 1, false, out, 80),
			 LC_JBUF_RESYNC);
	ck_assert_int_eq(lc_jbuf_put(jb, 0, 1, 1, 1, false, out, 80),
			 LC_JBUF_DUPLICATE);
	lc_jbuf_get_stats(jb, &s);
	ck_assert_uint_eq(s.discarded, 3);
	ck_assert_uint_eq(s.received, 2);
	free(jb);
}
END_TEST

static Suite *jbuf_suite(void)
{
	Suite *s = suite_create("jbuf");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_struct_size);
	tcase_add_test(tc, test_idle_defaults);
	tcase_add_test(tc, test_steady_bitexact);
	tcase_add_test(tc, test_reorder);
	tcase_add_test(tc, test_reorder_adaptive);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_loss_single);
	tcase_add_test(tc, test_loss_burst);
	tcase_add_test(tc, test_loss_random_speech);
	tcase_add_test(tc, test_loss_pitch);
	tcase_add_test(tc, test_partial_late);
	tcase_add_test(tc, test_set_cfg);
	tcase_add_test(tc, test_jitter_burst);
	tcase_add_test(tc, test_shrink_keeps_pitch);
	tcase_add_test(tc, test_grow_keeps_pitch);
	tcase_add_test(tc, test_restart_after_hold);
	tcase_add_test(tc, test_jitter_estimate);
	tcase_add_test(tc, test_drift_fast_sine);
	tcase_add_test(tc, test_drift_slow_sine);
	tcase_add_test(tc, test_drift_fast_speech);
	tcase_add_test(tc, test_drift_slow_speech);
	tcase_add_test(tc, test_same_clock_tone);
	tcase_add_test(tc, test_same_clock_after_silence);
	tcase_add_test(tc, test_ptime_change_fixed);
	tcase_add_test(tc, test_ptime_change_adaptive);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_wrap_with_loss);
	tcase_add_test(tc, test_ssrc_change);
	tcase_add_test(tc, test_remote_stops);
	tcase_add_test(tc, test_remote_pauses);
	tcase_add_test(tc, test_talkspurts);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_fuzz);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(jbuf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/hook.c with a scripted clock.
 *
 * A scenario moves the line at "settled" times (the last raw edge of each
 * transition); contact bounce chatter of up to 3 bounces (0.2-0.8 ms each)
 * precedes every settled edge, so events must carry the settled times.
 * Every scenario runs with the timer driven in several ways (exactly at
 * lc_hook_deadline(), late by various amounts, periodically, never) and
 * must give the same events, with the same timestamps, every time.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "hook.h"

#define US(x) ((u64)(x) * 1000ULL)
#define MS(x) ((u64)(x) * 1000000ULL)
#define T0 MS(1000000)		/* scripted clock starts at 1000 s */
#define MAXEV 512

enum mode { M_EXACT, M_LATE, M_PERIODIC, M_NEVER };

struct sim {
	struct lc_hook h;
	enum mode mode;
	u64 param;		/* lateness or period */
	u64 now;
	u32 rng;
	bool chatter;		/* bounce before settled edges */
	struct lc_hook_ev got[MAXEV];
	int ngot;
	struct lc_hook_ev want[MAXEV];
	int nwant;
	u64 glitches;		/* expected */
};

static const struct lc_hook_cfg defcfg = LC_HOOK_CFG_DEFAULT;

static u32 rnd(struct sim *s)
{
	s->rng = s->rng * 1103515245 + 12345;
	return s->rng >> 8;
}

static void collect(struct sim *s, const struct lc_hook_ev *ev, int n)
{
	int i;

	ck_assert_int_ge(n, 0);
	ck_assert_int_le(n, LC_HOOK_MAX_EV);
	for (i = 0; i < n; i++) {
		ck_assert_int_lt(s->ngot, MAXEV);
		s->got[s->ngot++] = ev[i];
	}
}

static void expect(struct sim *s, u8 type, char digit, u64 t, u64 dur_ns)
{
	struct lc_hook_ev *e = &s->want[s->nwant++];

	ck_assert_int_le(s->nwant, MAXEV);
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->digit = digit;
	e->t_ns = t;
	e->duration_ms = dur_ns / 1000000;
}

/* Run the timer the way this mode does, for everything due before @t. */
static void run_timers(struct sim *s, u64 t)
{
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];
	u64 tick;

	switch (s->mode) {
	case M_EXACT:
	case M_LATE:
		for (;;) {
			u64 d = lc_hook_deadline(&s->h), when, nd;

			if (!d)
				break;
			ck_assert(d > s->now - MS(1000));
			when = d + s->param;
			if (when > t)
				break;
			if (d - 1 > s->now) {
				/* an early call does nothing */
				ck_assert_int_eq(lc_hook_timer(&s->h, d - 1, ev), 0);
				ck_assert(lc_hook_deadline(&s->h) == d);
			}
			collect(s, ev, lc_hook_timer(&s->h, when, ev));
			s->now = when;
			nd = lc_hook_deadline(&s->h);
			ck_assert(nd == 0 || nd > when);
		}
		break;
	case M_PERIODIC:
		for (tick = (s->now / s->param + 1) * s->param; tick <= t;
		     tick += s->param) {
			collect(s, ev, lc_hook_timer(&s->h, tick, ev));
			s->now = tick;
		}
		break;
	case M_NEVER:
		break;
	}
}

static void edge(struct sim *s, u64 t, bool off)
{
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];

	ck_assert(t >= s->now);
	run_timers(s, t);
	collect(s, ev, lc_hook_edge(&s->h, t, off, ev));
	s->now = t;
}

/* The line goes to @off, settling (last raw edge) at @t after chatter. */
static void line(struct sim *s, u64 t, bool off)
{
	u64 b[6], len = 0;
	unsigned int nb = s->chatter ? rnd(s) % 4 : 0, i;

	for (i = 0; i < 2 * nb; i++) {
		b[i] = US(200 + rnd(s) % 600);
		len += b[i];
	}
	t -= len;
	for (i = 0; i < 2 * nb; i++) {
		edge(s, t, i & 1 ? !off : off);
		t += b[i];
	}
	edge(s, t, off);
	s->glitches += nb;
}

/* A raw blip to @off and back, too short to count: one glitch. */
static void blip(struct sim *s, u64 t, u64 len, bool off)
{
	edge(s, t, off);
	edge(s, t + len, !off);
	s->glitches++;
}

/*
 * Dial @pulses pulses, the first break settling at @t, breaks of @brk and
 * makes of @mk ns with up to +-@jit ns of jitter each.  Expects the digit
 * when @expect_digit.  Returns the time of the last make.
 */
static u64 dial(struct sim *s, u64 t, unsigned int pulses, u64 brk, u64 mk,
		u64 jit, bool expect_digit)
{
	u64 first = t, last = t;
	unsigned int i;

	for (i = 0; i < pulses; i++) {
		u64 b = brk - jit + (jit ? US(rnd(s) % (2 * jit / 1000 + 1)) : 0);
		u64 m = mk - jit + (jit ? US(rnd(s) % (2 * jit / 1000 + 1)) : 0);

		line(s, t, false);
		line(s, t + b, true);
		last = t + b;
		t += b + m;
	}
	if (expect_digit)
		expect(s, LC_HOOK_EV_DIGIT, pulses == 10 ? '0' : '0' + pulses,
		       first, last - first);
	return last;
}

static void sim_init(struct sim *s, const struct lc_hook_cfg *cfg, bool off)
{
	lc_hook_init(&s->h, cfg, off, T0);
	s->now = T0;
}

static void sim_check(struct sim *s, const char *name)
{
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];
	int i;

	/* let everything pending happen, then one last timer call */
	run_timers(s, s->now + MS(20000));
	collect(s, ev, lc_hook_timer(&s->h, s->now + MS(20000), ev));
	ck_assert(lc_hook_deadline(&s->h) == 0);

	for (i = 0; i < s->ngot || i < s->nwant; i++) {
		const struct lc_hook_ev *g = i < s->ngot ? &s->got[i] : NULL;
		const struct lc_hook_ev *w = i < s->nwant ? &s->want[i] : NULL;

		ck_assert_msg(g && w && g->type == w->type &&
			      g->digit == w->digit && g->t_ns == w->t_ns &&
			      g->duration_ms == w->duration_ms,
			      "%s mode %d/%llu event %d: got type %d digit %d t %+lld dur %u, want type %d digit %d t %+lld dur %u",
			      name, s->mode, (unsigned long long)s->param, i,
			      g ? g->type : -1, g ? g->digit : -1,
			      g ? (long long)(g->t_ns - T0) : 0, g ? g->duration_ms : 0,
			      w ? w->type : -1, w ? w->digit : -1,
			      w ? (long long)(w->t_ns - T0) : 0, w ? w->duration_ms : 0);
	}
	ck_assert_msg(s->h.glitches == s->glitches, "%s: %llu glitches, want %llu",
		      name, (unsigned long long)s->h.glitches,
		      (unsigned long long)s->glitches);
}

static const struct {
	enum mode mode;
	u64 param;
} modes[] = {
	{ M_EXACT, 0 },
	{ M_LATE, 1 },
	{ M_LATE, US(700) },
	{ M_LATE, MS(15) },
	{ M_LATE, MS(120) },
	{ M_LATE, MS(450) },
	{ M_LATE, MS(3000) },
	{ M_PERIODIC, MS(10) },
	{ M_PERIODIC, US(7300) },
	{ M_PERIODIC, MS(250) },
	{ M_NEVER, 0 },
};

static void run_modes(void (*scenario)(struct sim *), const char *name,
		      bool chatter)
{
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct sim *s = calloc(1, sizeof(*s));

		s->mode = modes[i].mode;
		s->param = modes[i].param;
		s->rng = 12345;
		s->chatter = chatter;
		scenario(s);
		sim_check(s, name);
		free(s);
	}
}

#define RUN(fn) do { run_modes(fn, #fn, true); run_modes(fn, #fn, false); } while (0)

/* Off hook and on hook with bounces, blips and too-short breaks. */
static void sc_basic(struct sim *s)
{
	u64 t = T0 + MS(500);

	sim_init(s, &defcfg, false);
	blip(s, t, MS(3), true);		/* on hook: off-hook blip */
	blip(s, t + MS(100), MS(10) - 1, true);	/* 1 ns under debounce */
	/* exactly debounce_ms holds: off hook, then on hook */
	t += MS(1000);
	edge(s, t, true);
	edge(s, t + MS(10), false);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t + MS(10), 0);
	t += MS(2000);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	blip(s, t + MS(500), MS(2), false);	/* off hook: on-hook blip */
	/* a debounced break shorter than pulse_min: a glitch */
	line(s, t + MS(1000), false);
	line(s, t + MS(1015), true);
	s->glitches++;
	t += MS(5000);
	line(s, t, false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
	/* on hook again for 3 s, then off hook */
	t += MS(3000);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	t += MS(2000);
	line(s, t, false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
}

START_TEST(test_basic)
{
	RUN(sc_basic);
}
END_TEST

static void sc_init_offhook(struct sim *s)
{
	u64 t = T0 + MS(20);

	sim_init(s, &defcfg, true);
	line(s, t, false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
	line(s, t + MS(900), true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t + MS(900), 0);
}

START_TEST(test_init_offhook)
{
	RUN(sc_init_offhook);
}
END_TEST

/* A break of @len from off hook, made again at its end; @t settled start. */
static void brk(struct sim *s, u64 t, u64 len)
{
	line(s, t, false);
	line(s, t + len, true);
}

static void sc_flash(struct sim *s)
{
	u64 t = T0 + MS(1000);

	sim_init(s, &defcfg, false);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);

	t += MS(2000);
	brk(s, t, MS(100));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(100));
	t += MS(2000);
	brk(s, t, MS(400));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(400));
	t += MS(2000);
	brk(s, t, MS(800));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(800));
	t += MS(2000);
	brk(s, t, MS(237) + US(999));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(237));
	/* 90 ms is a dial pulse: the digit 1 */
	t += MS(2000);
	brk(s, t, MS(90));
	expect(s, LC_HOOK_EV_DIGIT, '1', t, MS(90));
	/* exactly pulse_min is a pulse, 1 ns less a glitch */
	t += MS(2000);
	brk(s, t, MS(20));
	expect(s, LC_HOOK_EV_DIGIT, '1', t, MS(20));
	t += MS(2000);
	brk(s, t, MS(20) - 1);
	s->glitches++;
	/* 1 ns under flash_min is still a pulse */
	t += MS(2000);
	brk(s, t, MS(100) - 1);
	expect(s, LC_HOOK_EV_DIGIT, '1', t, MS(100) - 1);
	/* 1 ns over flash_max is a hang-up, then a new off hook */
	t += MS(2000);
	brk(s, t, MS(800) + 1);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t + MS(800) + 1, 0);
	t += MS(2000);
	brk(s, t, MS(801));
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t + MS(801), 0);
	/* flash right after a flash */
	t += MS(2000);
	brk(s, t, MS(150));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(150));
	brk(s, t + MS(200), MS(150));
	expect(s, LC_HOOK_EV_FLASH, 0, t + MS(200), MS(150));
	t += MS(2000);
	line(s, t, false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
}

START_TEST(test_flash)
{
	RUN(sc_flash);
}
END_TEST

static u64 g_brk, g_mk;

/* Every digit, 700 ms apart, with jittery pulses at g_brk / g_mk. */
static void sc_each_digit(struct sim *s)
{
	u64 t = T0 + MS(100);
	unsigned int p;

	sim_init(s, &defcfg, false);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	t += MS(1000);
	for (p = 1; p <= 10; p++) {
		u64 last = dial(s, t, p, g_brk, g_mk, g_brk / 20, true);

		t = last + MS(700);
	}
	/* and once more as a number: 0 1 2 ... 9 */
	for (p = 0; p < 10; p++) {
		u64 last = dial(s, t, p ? p : 10, g_brk, g_mk, g_brk / 20, true);

		t = last + MS(700);
	}
	line(s, t, false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
}

START_TEST(test_pulse_10pps)
{
	g_brk = MS(60);
	g_mk = MS(40);
	RUN(sc_each_digit);
}
END_TEST

START_TEST(test_pulse_20pps)
{
	g_brk = MS(30);
	g_mk = MS(20);
	RUN(sc_each_digit);
}
END_TEST

static void sc_numbers(struct sim *s)
{
	static const char *const numbers[] = { "5551234", "0123456789", "911", "00" };
	u64 t = T0 + MS(100);
	unsigned int n;
	const char *d;

	sim_init(s, &defcfg, false);
	for (n = 0; n < 4; n++) {
		line(s, t, true);
		expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
		t += MS(1500);
		for (d = numbers[n]; *d; d++) {
			unsigned int p = *d == '0' ? 10 : *d - '0';

			/* alternate 10 and 20 pps; inter-digit pause 700 ms */
			if ((d - numbers[n]) & 1)
				t = dial(s, t, p, MS(30), MS(20), MS(2), true);
			else
				t = dial(s, t, p, MS(60), MS(40), MS(4), true);
			t += MS(700);
		}
		line(s, t, false);
		expect(s, LC_HOOK_EV_ONHOOK, 0, t, 0);
		t += MS(3000);
	}
}

START_TEST(test_numbers)
{
	RUN(sc_numbers);
}
END_TEST

/* A digit followed at once by a flash, and by a hang-up. */
static void sc_digit_then(struct sim *s)
{
	u64 t = T0 + MS(100), last;

	sim_init(s, &defcfg, false);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	t += MS(1000);

	/* 3, then a flash 40 ms after the last make */
	last = dial(s, t, 3, MS(60), MS(40), 0, true);
	brk(s, last + MS(40), MS(300));
	expect(s, LC_HOOK_EV_FLASH, 0, last + MS(40), MS(300));
	/* the make after a flash starts no digit: 700 ms later, 2 */
	t = last + MS(40) + MS(300) + MS(700);
	last = dial(s, t, 2, MS(60), MS(40), 0, true);
	/* 7 with the flash 299 ms after the last make (before interdigit) */
	t = last + MS(700);
	last = dial(s, t, 7, MS(30), MS(20), 0, true);
	brk(s, last + MS(299), MS(800));
	expect(s, LC_HOOK_EV_FLASH, 0, last + MS(299), MS(800));
	/* 4, then hang up 40 ms after the last make */
	t = last + MS(299) + MS(800) + MS(700);
	last = dial(s, t, 4, MS(60), MS(40), 0, true);
	line(s, last + MS(40), false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, last + MS(40), 0);
	/* pick up again: an off hook, not a digit or a flash */
	t = last + MS(40) + MS(5000);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	/* 0 then a hang-up 820 ms long, then off hook again */
	t += MS(1000);
	last = dial(s, t, 10, MS(60), MS(40), 0, true);
	brk(s, last + MS(40), MS(820));
	expect(s, LC_HOOK_EV_ONHOOK, 0, last + MS(40), 0);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, last + MS(40) + MS(820), 0);
	/* interdigit exactly 300 ms of make before the next break: a digit */
	t = last + MS(40) + MS(820) + MS(1000);
	last = dial(s, t, 5, MS(60), MS(40), 0, true);
	last = dial(s, last + MS(300), 6, MS(60), MS(40), 0, true);
	/* 299 ms of make: one digit of 8 + 1 pulses = 9 */
	t = last + MS(1000);
	{
		u64 first = t, l2;

		last = dial(s, t, 8, MS(60), MS(40), 0, false);
		l2 = dial(s, last + MS(299), 1, MS(60), MS(40), 0, false);
		expect(s, LC_HOOK_EV_DIGIT, '9', first, l2 - first);
		last = l2;
	}
	line(s, last + MS(2000), false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, last + MS(2000), 0);
}

START_TEST(test_digit_then_flash_or_hangup)
{
	RUN(sc_digit_then);
}
END_TEST

/* More than ten pulses: discarded, one glitch; a glitch break within. */
static void sc_too_many(struct sim *s)
{
	u64 t = T0 + MS(100), last;

	sim_init(s, &defcfg, false);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	t += MS(1000);
	last = dial(s, t, 11, MS(60), MS(40), 0, false);
	s->glitches++;
	last = dial(s, last + MS(700), 25, MS(60), MS(40), 0, false);
	s->glitches++;
	/* 11 pulses then a flash: no digit, the flash */
	last = dial(s, last + MS(700), 11, MS(60), MS(40), 0, false);
	s->glitches++;
	brk(s, last + MS(40), MS(500));
	expect(s, LC_HOOK_EV_FLASH, 0, last + MS(40), MS(500));
	/* a 15 ms break between pulses is ignored: still 4 pulses */
	t = last + MS(40) + MS(500) + MS(700);
	last = dial(s, t, 2, MS(60), MS(40), 0, false);
	brk(s, last + MS(20), MS(15));
	s->glitches++;
	{
		u64 l2 = dial(s, last + MS(80), 2, MS(60), MS(40), 0, false);

		expect(s, LC_HOOK_EV_DIGIT, '4', t, l2 - t);
		last = l2;
	}
	line(s, last + MS(1000), false);
	expect(s, LC_HOOK_EV_ONHOOK, 0, last + MS(1000), 0);
}

START_TEST(test_too_many_pulses)
{
	RUN(sc_too_many);
}
END_TEST

/* Another configuration is honoured. */
static void sc_custom(struct sim *s)
{
	const struct lc_hook_cfg cfg = {
		.debounce_ms = 5, .pulse_min_ms = 15, .flash_min_ms = 150,
		.flash_max_ms = 1000, .interdigit_ms = 200,
	};
	u64 t = T0 + MS(100), last;

	sim_init(s, &cfg, false);
	line(s, t, true);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	t += MS(1000);
	brk(s, t, MS(120));			/* a pulse here */
	expect(s, LC_HOOK_EV_DIGIT, '1', t, MS(120));
	t += MS(1000);
	brk(s, t, MS(150));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(150));
	t += MS(1000);
	brk(s, t, MS(1000));
	expect(s, LC_HOOK_EV_FLASH, 0, t, MS(1000));
	t += MS(2000);
	last = dial(s, t, 3, MS(60), MS(40), 0, true);
	last = dial(s, last + MS(200), 2, MS(60), MS(40), 0, true);
	brk(s, last + MS(1000), MS(1001));
	expect(s, LC_HOOK_EV_ONHOOK, 0, last + MS(1000), 0);
	expect(s, LC_HOOK_EV_OFFHOOK, 0, last + MS(2001), 0);
}

START_TEST(test_custom_cfg)
{
	run_modes(sc_custom, "sc_custom", false);
}
END_TEST

START_TEST(test_deadlines)
{
	struct lc_hook h;
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];
	u64 t = T0 + MS(100);

	lc_hook_init(&h, &defcfg, false, T0);
	ck_assert(lc_hook_deadline(&h) == 0);
	ck_assert_int_eq(lc_hook_timer(&h, t, ev), 0);

	/* off hook: debounce expiry */
	ck_assert_int_eq(lc_hook_edge(&h, t, true, ev), 0);
	ck_assert(lc_hook_deadline(&h) == t + MS(10));
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(10) - 1, ev), 0);
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(10), ev), 1);
	ck_assert_int_eq(ev[0].type, LC_HOOK_EV_OFFHOOK);
	ck_assert(ev[0].t_ns == t);
	ck_assert(lc_hook_deadline(&h) == 0);

	/* a break: debounce, then flash_max */
	t += MS(1000);
	lc_hook_edge(&h, t, false, ev);
	ck_assert(lc_hook_deadline(&h) == t + MS(10));
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(10), ev), 0);
	ck_assert(lc_hook_deadline(&h) > t + MS(800));
	ck_assert(lc_hook_deadline(&h) <= t + MS(800) + 1);
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(800), ev), 0);
	/* a make pending at exactly flash_max: the hang-up waits for it */
	ck_assert_int_eq(lc_hook_edge(&h, t + MS(800), true, ev), 0);
	ck_assert(lc_hook_deadline(&h) == t + MS(810));
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(809), ev), 0);
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(810), ev), 1);
	ck_assert_int_eq(ev[0].type, LC_HOOK_EV_FLASH);
	ck_assert_uint_eq(ev[0].duration_ms, 800);

	/* a make pending at flash_max that bounces away: a hang-up after all */
	t += MS(2000);
	lc_hook_edge(&h, t, false, ev);
	lc_hook_timer(&h, t + MS(10), ev);
	lc_hook_edge(&h, t + MS(799), true, ev);
	ck_assert(lc_hook_deadline(&h) == t + MS(809));
	ck_assert_int_eq(lc_hook_edge(&h, t + MS(805), false, ev), 0);
	ck_assert(lc_hook_deadline(&h) <= t + MS(805));
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(805), ev), 1);
	ck_assert_int_eq(ev[0].type, LC_HOOK_EV_ONHOOK);
	ck_assert(ev[0].t_ns == t);
	ck_assert(lc_hook_deadline(&h) == 0);
	ck_assert_uint_eq(h.glitches, 1);

	/* pulses: interdigit after the last make */
	t += MS(2000);
	lc_hook_edge(&h, t, true, ev);
	lc_hook_timer(&h, t + MS(10), ev);
	t += MS(1000);
	lc_hook_edge(&h, t, false, ev);
	lc_hook_edge(&h, t + MS(60), true, ev);
	ck_assert(lc_hook_deadline(&h) == t + MS(70));
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(70), ev), 0);
	ck_assert(lc_hook_deadline(&h) == t + MS(360));
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(359), ev), 0);
	/* very late: still the right digit and times */
	ck_assert_int_eq(lc_hook_timer(&h, t + MS(100000), ev), 1);
	ck_assert_int_eq(ev[0].type, LC_HOOK_EV_DIGIT);
	ck_assert_int_eq(ev[0].digit, '1');
	ck_assert(ev[0].t_ns == t);
	ck_assert_uint_eq(ev[0].duration_ms, 60);
	ck_assert(lc_hook_deadline(&h) == 0);
}
END_TEST

/* Nothing reported for hours, then every event at once, in order. */
START_TEST(test_very_late)
{
	struct lc_hook h;
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];
	u64 t = T0 + MS(100);
	int n;

	lc_hook_init(&h, &defcfg, false, T0);
	lc_hook_edge(&h, t, true, ev);
	/* two pulses, then on hook for good */
	lc_hook_edge(&h, t + MS(1000), false, ev);
	lc_hook_edge(&h, t + MS(1060), true, ev);
	lc_hook_edge(&h, t + MS(1100), false, ev);
	lc_hook_edge(&h, t + MS(1160), true, ev);
	lc_hook_edge(&h, t + MS(1200), false, ev);
	/* the timer never ran; a new off hook hours later */
	n = lc_hook_edge(&h, t + MS(7200000), true, ev);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ev[0].type, LC_HOOK_EV_DIGIT);
	ck_assert_int_eq(ev[0].digit, '2');
	ck_assert(ev[0].t_ns == t + MS(1000));
	ck_assert_uint_eq(ev[0].duration_ms, 160);
	ck_assert_int_eq(ev[1].type, LC_HOOK_EV_ONHOOK);
	ck_assert(ev[1].t_ns == t + MS(1200));
	n = lc_hook_timer(&h, t + MS(7200010), ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, LC_HOOK_EV_OFFHOOK);
	ck_assert(ev[0].t_ns == t + MS(7200000));
	/* the first off hook was reported by the first pulse's edge call */
}
END_TEST

START_TEST(test_cfg_validate)
{
	struct lc_hook_cfg c;

	ck_assert_int_eq(lc_hook_cfg_validate(&defcfg), 0);

#define CFG(expr, want) do { c = defcfg; expr; \
	ck_assert_int_eq(lc_hook_cfg_validate(&c), want); } while (0)
	CFG(c.debounce_ms = 0, -EINVAL);
	CFG(c.debounce_ms = 1, 0);
	CFG(c.debounce_ms = 19, 0);
	CFG(c.debounce_ms = 20, -EINVAL);
	CFG(c.debounce_ms = 21, -EINVAL);
	CFG(c.pulse_min_ms = 10, -EINVAL);
	CFG(c.pulse_min_ms = 11, 0);
	CFG(c.pulse_min_ms = 99, 0);
	CFG(c.pulse_min_ms = 100, -EINVAL);
	CFG(c.flash_min_ms = 20, -EINVAL);
	CFG(c.flash_min_ms = 21, 0);
	CFG(c.flash_min_ms = 799, 0);
	CFG(c.flash_min_ms = 800, -EINVAL);
	CFG(c.flash_max_ms = 100, -EINVAL);
	CFG(c.flash_max_ms = 101, 0);
	CFG(c.flash_max_ms = LINECARD_CFG_MAX_MS, 0);
	CFG(c.flash_max_ms = LINECARD_CFG_MAX_MS + 1, -EINVAL);
	CFG(c.flash_max_ms = 0xffffffff, -EINVAL);
	CFG(c.interdigit_ms = 99, -EINVAL);
	CFG(c.interdigit_ms = 100, 0);
	CFG(c.interdigit_ms = 0, -EINVAL);
	CFG(c.interdigit_ms = LINECARD_CFG_MAX_MS, 0);
	CFG(c.interdigit_ms = LINECARD_CFG_MAX_MS + 1, -EINVAL);
	CFG(c.dtmf_detect = false, 0);
	CFG(c.debounce_ms = 0xffffffff, -EINVAL);
	CFG((c.debounce_ms = 4000, c.pulse_min_ms = 4500, c.flash_min_ms = 4900,
	     c.flash_max_ms = 5000), 0);
	CFG((c.debounce_ms = 4000, c.pulse_min_ms = 4500, c.flash_min_ms = 5000,
	     c.flash_max_ms = 5001), -EINVAL);
	CFG((c.flash_min_ms = 800, c.flash_max_ms = 100), -EINVAL);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(lc_hook_cfg_validate(&c), -EINVAL);
#undef CFG
}
END_TEST

static Suite *hook_suite(void)
{
	Suite *s = suite_create("hook");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_init_offhook);
	tcase_add_test(tc, test_flash);
	tcase_add_test(tc, test_pulse_10pps);
	tcase_add_test(tc, test_pulse_20pps);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_digit_then_flash_or_hangup);
	tcase_add_test(tc, test_too_many_pulses);
	tcase_add_test(tc, test_custom_cfg);
	tcase_add_test(tc, test_deadlines);
	tcase_add_test(tc, test_very_late);
	tcase_add_test(tc, test_cfg_validate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hook_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

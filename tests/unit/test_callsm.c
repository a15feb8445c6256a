// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for daemon/callsm.c, the call state machine of a line.
 *
 * Scripts: every path of the line a subscriber or the network can take
 * (dialling, calling, ringback, early media, answer, busy, failures, the
 * timers, hang-up on either side, incoming calls, reset), event by event,
 * each step checked for the state reached and the exact list of actions.
 *
 * Random walks: long random event sequences from every reachable state,
 * each step checked against invariants written independently of the
 * machine's code: what may be sent in which state (a BYE only for a
 * connected call, a CANCEL only for a call being placed, a response only
 * to an incoming call), that the timer runs exactly in the states that
 * have one and with their duration, that a call's resources are released
 * whenever it leaves the call states, that an on-hook line ends up idle
 * (or ringing), that the phone stops ringing when it leaves the ringing
 * state.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callsm.h"
#include "tones.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Extensions, 911 at once, 0 + a number ended by the timer, feature codes, 8 barred. */
#define MAP "(1xxx|911|0xx.T|*xx|8x!)"

static const struct lc_csm_timers timers = {
	.first_digit = 15,
	.interdigit_short = 3,
	.interdigit_long = 10,
	.no_answer = 60,
	.offhook_warning = 30,
};

static struct lc_digitmap *dm;
static struct lc_csm m;

static void setup_map(const char *map)
{
	char err[160];

	lc_dm_free(dm);
	dm = NULL;
	ck_assert_msg(lc_dm_compile(map, &dm, err, sizeof(err)) == 0, "%s: %s", map, err);
	lc_csm_init(&m, false);
	m.dm = dm;
	m.timers = timers;
}

static void setup(void)
{
	setup_map(MAP);
}

static void teardown(void)
{
	lc_dm_free(dm);
	dm = NULL;
}

/* "timer(15) invite(1001) release": what @o says, as the scripts write it. */
static void format(const struct lc_csm_out *o, char *buf, size_t len)
{
	size_t at = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < o->n && at < len; i++) {
		const struct lc_csm_action *a = &o->a[i];
		const char *name = lc_csm_action_name(a->type);
		const char *sep = i ? " " : "";

		if (a->type == LC_ACT_TIMER || a->type == LC_ACT_RESPOND)
			at += snprintf(buf + at, len - at, "%s%s(%u)", sep, name, a->arg);
		else if (a->type == LC_ACT_INVITE)
			at += snprintf(buf + at, len - at, "%s%s(%s)", sep, name, o->number);
		else
			at += snprintf(buf + at, len - at, "%s%s", sep, name);
	}
}

/*
 * "offhook", "offhook-noservice", "onhook", "key 5", "timeout",
 * "invite", "invite 488", "progress 180", "progress 183 sdp",
 * "answered", "rejected 486", "cancelled", "bye", "ended 408",
 * "media-timeout", "failed", "reset".
 */
static struct lc_csm_event parse_event(const char *s)
{
	struct lc_csm_event ev = { 0 };
	char name[32] = "", extra[8] = "";
	int arg = 0, i, n;

	n = sscanf(s, "%31s %d %7s", name, &arg, extra);
	ck_assert_msg(n >= 1, "bad step %s", s);
	if (!strcmp(name, "offhook-noservice")) {
		ev.type = LC_EV_OFFHOOK;
		return ev;
	}
	if (!strcmp(name, "key")) {
		ev.type = LC_EV_KEY;
		ev.key = s[4];
		return ev;
	}
	for (i = 0; i < LC_CSM_EVENTS; i++)
		if (!strcmp(name, lc_csm_event_name(i)))
			break;
	ck_assert_msg(i < LC_CSM_EVENTS, "unknown event %s", s);
	ev.type = i;
	ev.service = true;
	ev.status = n >= 2 ? arg : 0;
	ev.sdp = !strcmp(extra, "sdp");
	return ev;
}

struct step {
	const char *event;
	const char *state;
	const char *actions;
};

static void run_script(const char *what, const struct step *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct lc_csm_event ev = parse_event(s[i].event);
		struct lc_csm_out o;
		char got[256];

		lc_csm_step(&m, &ev, &o);
		format(&o, got, sizeof(got));
		ck_assert_msg(!strcmp(lc_call_state_name(m.state), s[i].state),
			      "%s, step %zu (%s): state %s, wanted %s", what, i, s[i].event,
			      lc_call_state_name(m.state), s[i].state);
		ck_assert_msg(!strcmp(got, s[i].actions),
			      "%s, step %zu (%s): actions \"%s\", wanted \"%s\"", what, i,
			      s[i].event, got, s[i].actions);
	}
}

#define RUN(script) run_script(#script, script, ARRAY_SIZE(script))

/* --- outgoing ------------------------------------------------------------ */

START_TEST(test_outgoing_answered)
{
	static const struct step script[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 0", "dialing", "timer(10)" },
		{ "key 0", "dialing", "timer(10)" },
		/* A complete match calls at once, without waiting for a timer. */
		{ "key 1", "calling", "timer(0) invite(1001) timer(60)" },
		{ "progress 100", "calling", "" },
		{ "progress 180", "ringback", "" },
		{ "progress 180", "ringback", "" },
		{ "answered", "connected", "timer(0) media" },
		/* Keys in a call travel in the media stream; a flash goes on. */
		{ "key 5", "connected", "" },
		{ "flash", "connected", "flash" },
		{ "answered", "connected", "" },
		{ "onhook", "idle", "bye release timer(0)" },
		{ "onhook", "idle", "" },
	};

	RUN(script);
}
END_TEST

START_TEST(test_outgoing_early_media)
{
	static const struct step script[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 9", "dialing", "timer(10)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "calling", "timer(0) invite(911) timer(60)" },
		/* 183 without SDP changes nothing; with SDP the far end is heard. */
		{ "progress 183", "calling", "" },
		{ "progress 183 sdp", "early-media", "media" },
		/* A 180 after early media keeps the far end's audio (RFC 3960). */
		{ "progress 180", "early-media", "" },
		{ "progress 183 sdp", "early-media", "media" },
		{ "answered", "connected", "timer(0) media" },
		/* The far end hangs up: reorder, then the howler, until on hook. */
		{ "bye", "reorder", "release timer(0) timer(30)" },
		{ "key 1", "reorder", "" },
		{ "timeout", "howler", "" },
		{ "timeout", "howler", "" },
		{ "bye", "howler", "" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(script);
}
END_TEST

START_TEST(test_outgoing_ringback_then_early)
{
	static const struct step script[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 3", "dialing", "timer(10)" },
		{ "key 4", "calling", "timer(0) invite(1234) timer(60)" },
		{ "progress 180", "ringback", "" },
		{ "progress 183 sdp", "early-media", "media" },
		/* Network ringback sent as a 180 with SDP is early media too. */
		{ "progress 180 sdp", "early-media", "media" },
		/* On hook while the far end's audio plays: CANCEL. */
		{ "onhook", "idle", "cancel release timer(0)" },
		/* A 487 for the cancelled INVITE arrives late: nothing to do. */
		{ "rejected 487", "idle", "" },
	};

	RUN(script);
}
END_TEST

START_TEST(test_outgoing_busy)
{
	static const struct step busy[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 0", "dialing", "timer(10)" },
		{ "key 0", "dialing", "timer(10)" },
		{ "key 2", "calling", "timer(0) invite(1002) timer(60)" },
		{ "rejected 486", "busy", "release timer(0) timer(30)" },
		{ "timeout", "howler", "" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step decline[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key *", "dialing", "timer(10)" },
		{ "key 6", "dialing", "timer(10)" },
		{ "key 9", "calling", "timer(0) invite(*69) timer(60)" },
		{ "progress 180", "ringback", "" },
		/* 600 Busy Everywhere is busy too. */
		{ "rejected 600", "busy", "release timer(0) timer(30)" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(busy);
	RUN(decline);
}
END_TEST

START_TEST(test_outgoing_failures)
{
	static const int reorder[] = { 403, 404, 408, 480, 484, 488, 500, 503, 603 };
	unsigned int i;
	char status[32];

	for (i = 0; i < ARRAY_SIZE(reorder); i++) {
		struct step script[] = {
			{ "offhook", "dialtone", "timer(15)" },
			{ "key 1", "dialing", "timer(10)" },
			{ "key 0", "dialing", "timer(10)" },
			{ "key 0", "dialing", "timer(10)" },
			{ "key 3", "calling", "timer(0) invite(1003) timer(60)" },
			{ status, "reorder", "release timer(0) timer(30)" },
			{ "onhook", "idle", "release timer(0)" },
		};

		snprintf(status, sizeof(status), "rejected %d", reorder[i]);
		run_script(status, script, ARRAY_SIZE(script));
	}
}
END_TEST

START_TEST(test_outgoing_no_answer)
{
	static const struct step script[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "calling", "timer(0) invite(1111) timer(60)" },
		{ "progress 180", "ringback", "" },
		{ "timeout", "reorder", "cancel release timer(0) timer(30)" },
		/* The 487 that follows the CANCEL changes nothing. */
		{ "rejected 487", "reorder", "" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(script);
}
END_TEST

START_TEST(test_outgoing_local_failure)
{
	/* The stream or the INVITE could not be made: reorder, nothing sent. */
	static const struct step script[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 9", "dialing", "timer(10)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "calling", "timer(0) invite(911) timer(60)" },
		{ "failed", "reorder", "release timer(0) timer(30)" },
		{ "failed", "reorder", "" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(script);
}
END_TEST

START_TEST(test_connected_ends)
{
	static const struct step media[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 2", "calling", "timer(0) invite(1222) timer(60)" },
		{ "answered", "connected", "timer(0) media" },
		/* Nothing heard from the far end: hang up ourselves. */
		{ "media-timeout", "reorder", "bye release timer(0) timer(30)" },
		{ "media-timeout", "reorder", "" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step unusable[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 2", "calling", "timer(0) invite(1222) timer(60)" },
		/* The 200's answer cannot be used (MEDIA failed): hang up. */
		{ "answered", "connected", "timer(0) media" },
		{ "failed", "reorder", "bye release timer(0) timer(30)" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step ended[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 2", "calling", "timer(0) invite(1222) timer(60)" },
		/* A dialog that ends otherwise ends a call only once it is up. */
		{ "ended 408", "calling", "" },
		{ "answered", "connected", "timer(0) media" },
		{ "ended 408", "reorder", "release timer(0) timer(30)" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(media);
	RUN(unusable);
	RUN(ended);
}
END_TEST

/* --- dialling -------------------------------------------------------------- */

START_TEST(test_dialing)
{
	static const struct step no_digit[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "timeout", "reorder", "release timer(0) timer(30)" },
		{ "timeout", "howler", "" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step stalled[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		/* The long timer expires with an incomplete number. */
		{ "timeout", "reorder", "release timer(0) timer(30)" },
		{ "key 3", "reorder", "" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step impossible[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 5", "reorder", "release timer(0) timer(30)" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step flash[] = {
		/* A flash outside a call does nothing. */
		{ "flash", "idle", "" },
		{ "offhook", "dialtone", "timer(15)" },
		{ "flash", "dialtone", "" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step barred[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 8", "dialing", "timer(10)" },
		{ "key 1", "reorder", "release timer(0) timer(30)" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step timer_t[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 0", "dialing", "timer(10)" },
		{ "key 5", "dialing", "timer(3)" },
		{ "key 5", "dialing", "timer(3)" },
		{ "key 5", "dialing", "timer(3)" },
		/* 0xx.T: the short timer ends the number. */
		{ "timeout", "calling", "timer(0) invite(0555) timer(60)" },
		{ "onhook", "idle", "cancel release timer(0)" },
	};
	static const struct step hang_up[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "onhook", "idle", "release timer(0)" },
		/* Back off hook: a new call, keys from the start. */
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 9", "dialing", "timer(10)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "calling", "timer(0) invite(911) timer(60)" },
		{ "onhook", "idle", "cancel release timer(0)" },
	};

	RUN(no_digit);
	RUN(stalled);
	RUN(impossible);
	RUN(flash);
	RUN(barred);
	RUN(timer_t);
	RUN(hang_up);
}
END_TEST

START_TEST(test_no_service)
{
	static const struct step script[] = {
		/* Not registered: the special information tone, no dialling. */
		{ "offhook-noservice", "no-service", "" },
		{ "key 1", "no-service", "" },
		{ "timeout", "no-service", "" },
		/* And busy to the network meanwhile. */
		{ "invite", "no-service", "respond(486)" },
		{ "onhook", "idle", "release timer(0)" },
		{ "offhook", "dialtone", "timer(15)" },
	};

	RUN(script);
}
END_TEST

START_TEST(test_no_plan)
{
	static const struct step script[] = {
		{ "offhook", "reorder", "release timer(0) timer(30)" },
		{ "timeout", "howler", "" },
		{ "onhook", "idle", "release timer(0)" },
	};

	m.dm = NULL;
	RUN(script);
}
END_TEST

START_TEST(test_hotline)
{
	static const struct step hot[] = {
		/* Off hook calls at once. */
		{ "offhook", "calling", "invite(100) timer(60)" },
		{ "answered", "connected", "timer(0) media" },
		{ "onhook", "idle", "bye release timer(0)" },
	};
	static const struct step warm_timer[] = {
		/* A warm line: the hotline's timer instead of the first-digit one... */
		{ "offhook", "dialtone", "timer(10)" },
		{ "timeout", "calling", "invite(100) timer(60)" },
		{ "onhook", "idle", "cancel release timer(0)" },
	};
	static const struct step warm_keys[] = {
		/* ...and keys dialled before it runs out win. */
		{ "offhook", "dialtone", "timer(10)" },
		{ "key 2", "dialing", "timer(10)" },
		{ "key 3", "dialing", "timer(10)" },
		{ "key 4", "calling", "timer(0) invite(234) timer(60)" },
		{ "onhook", "idle", "cancel release timer(0)" },
	};

	setup_map("(<:100>)");
	RUN(hot);
	setup_map("(xxx|<:100>L)");
	RUN(warm_timer);
	RUN(warm_keys);
}
END_TEST

/* --- incoming -------------------------------------------------------------- */

START_TEST(test_incoming_answered)
{
	static const struct step script[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "key 1", "ringing", "" },
		{ "offhook", "connected", "timer(0) ring-stop answer" },
		/* Nobody else gets through meanwhile. */
		{ "invite", "connected", "respond(486)" },
		{ "onhook", "idle", "bye release timer(0)" },
	};
	static const struct step far_hangs_up[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "offhook", "connected", "timer(0) ring-stop answer" },
		{ "bye", "reorder", "release timer(0) timer(30)" },
		{ "invite", "reorder", "respond(486)" },
		{ "onhook", "idle", "release timer(0)" },
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
	};

	RUN(script);
	lc_csm_init(&m, false);
	RUN(far_hangs_up);
}
END_TEST

START_TEST(test_incoming_not_answered)
{
	static const struct step cancelled[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "cancelled", "idle", "release timer(0) ring-stop" },
	};
	static const struct step timeout[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "timeout", "idle", "respond(480) release timer(0) ring-stop" },
	};
	static const struct step refused[] = {
		/* An unusable offer is refused without ringing. */
		{ "invite 488", "idle", "respond(488)" },
		{ "invite 500", "idle", "respond(500)" },
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
	};
	static const struct step ack_unusable[] = {
		/* Our offer in the 200 (INVITE without SDP); the ACK's answer is no good. */
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "offhook", "connected", "timer(0) ring-stop answer" },
		{ "unusable", "reorder", "bye release timer(0) timer(30)" },
		{ "unusable", "reorder", "" },
		{ "onhook", "idle", "release timer(0)" },
	};
	static const struct step answer_failed[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "offhook", "connected", "timer(0) ring-stop answer" },
		{ "failed", "reorder", "respond(500) release timer(0) timer(30)" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(cancelled);
	RUN(timeout);
	RUN(refused);
	lc_csm_init(&m, false);
	RUN(answer_failed);
	RUN(ack_unusable);
}
END_TEST

START_TEST(test_busy_line)
{
	static const struct step script[] = {
		/* Off hook, dialling: a new call is refused busy. */
		{ "offhook", "dialtone", "timer(15)" },
		{ "invite", "dialtone", "respond(486)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "invite", "dialing", "respond(486)" },
		{ "onhook", "idle", "release timer(0)" },
	};

	RUN(script);
	/* Off hook when the port came up, idle: busy too. */
	lc_csm_init(&m, true);
	m.dm = dm;
	m.timers = timers;
	run_script("off hook at start", (const struct step[]){
		{ "invite", "idle", "respond(486)" },
		{ "onhook", "idle", "" },
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
	}, 3);
}
END_TEST

START_TEST(test_reset)
{
	static const struct step connected[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "offhook", "connected", "timer(0) ring-stop answer" },
		{ "reset", "idle", "bye release timer(0)" },
	};
	static const struct step ringing[] = {
		{ "invite", "ringing", "accept respond(180) ring timer(60)" },
		{ "reset", "idle", "respond(480) release timer(0) ring-stop" },
	};
	static const struct step calling[] = {
		{ "offhook", "dialtone", "timer(15)" },
		{ "key 9", "dialing", "timer(10)" },
		{ "key 1", "dialing", "timer(10)" },
		{ "key 1", "calling", "timer(0) invite(911) timer(60)" },
		{ "reset", "idle", "cancel release timer(0)" },
	};

	RUN(connected);
	lc_csm_init(&m, false);
	RUN(ringing);
	lc_csm_init(&m, false);
	RUN(calling);
}
END_TEST

START_TEST(test_names)
{
	int i;

	for (i = 0; i < LC_CALL_STATES; i++)
		ck_assert_str_ne(lc_call_state_name(i), "unknown");
	ck_assert_str_eq(lc_call_state_name(LC_CALL_STATES), "unknown");
	ck_assert_str_eq(lc_call_state_name(-1), "unknown");
	for (i = 0; i < LC_CSM_EVENTS; i++)
		ck_assert_str_ne(lc_csm_event_name(i), "unknown");
	ck_assert_int_eq(lc_csm_tone(LC_CALL_DIALTONE), LC_TONE_DIAL);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_NOSERVICE), LC_TONE_NO_SERVICE);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_RINGBACK), LC_TONE_RINGBACK);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_BUSY), LC_TONE_BUSY);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_REORDER), LC_TONE_REORDER);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_HOWLER), LC_TONE_HOWLER);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_EARLY), -1);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_CONNECTED), -1);
	ck_assert_int_eq(lc_csm_tone(LC_CALL_IDLE), -1);
}
END_TEST

/* --- random walks ---------------------------------------------------------- */

/* What the invariants keep between steps: a model of the outside world. */
struct world {
	bool timer;		/* the call timer runs */
	unsigned int timer_s;
	bool ringing;		/* the phone rings */
	bool dialog;		/* a call exists on the network (stream, handle) */
	bool incoming;
};

static bool call_state(enum lc_call_state s)
{
	return s == LC_CALL_CALLING || s == LC_CALL_RINGBACK || s == LC_CALL_EARLY ||
	       s == LC_CALL_CONNECTED || s == LC_CALL_RINGING;
}

/* The timer each state runs, from callsm.h's description; 0: none. */
static bool timed(enum lc_call_state s)
{
	switch (s) {
	case LC_CALL_DIALTONE:
	case LC_CALL_DIALING:
	case LC_CALL_CALLING:
	case LC_CALL_RINGBACK:
	case LC_CALL_EARLY:
	case LC_CALL_RINGING:
	case LC_CALL_BUSY:
	case LC_CALL_REORDER:
		return true;
	default:
		return false;
	}
}

static struct lc_csm_event random_event(unsigned int *seed)
{
	static const int finals[] = { 404, 408, 480, 486, 487, 488, 500, 503, 600, 603 };
	static const char keys[] = "0123456789*#";
	struct lc_csm_event ev = { 0 };

	ev.type = rand_r(seed) % LC_CSM_EVENTS;
	ev.service = rand_r(seed) % 4 != 0;
	ev.sdp = rand_r(seed) % 2;
	ev.key = keys[rand_r(seed) % (sizeof(keys) - 1)];
	switch (ev.type) {
	case LC_EV_PROGRESS:
		ev.status = rand_r(seed) % 2 ? 180 : 183;
		break;
	case LC_EV_REJECTED:
	case LC_EV_ENDED:
		ev.status = finals[rand_r(seed) % ARRAY_SIZE(finals)];
		break;
	case LC_EV_INVITE:
		ev.status = rand_r(seed) % 4 ? 0 : 488;
		break;
	default:
		break;
	}
	return ev;
}

static void check_step(const struct lc_csm *before, const struct lc_csm_event *ev,
		       const struct lc_csm_out *o, struct world *w, const char *trace)
{
	enum lc_call_state s0 = before->state, s1 = m.state;
	bool released = false;
	unsigned int i;

	ck_assert_msg(o->n < LC_CSM_ACTIONS_MAX, "%s: %u actions", trace, o->n);
	if (ev->type == LC_EV_TIMEOUT)
		w->timer = false;	/* it fired: a one-shot */
	for (i = 0; i < o->n; i++) {
		const struct lc_csm_action *a = &o->a[i];

		switch (a->type) {
		case LC_ACT_BYE:
			ck_assert_msg(s0 == LC_CALL_CONNECTED && w->dialog, "%s: BYE", trace);
			break;
		case LC_ACT_CANCEL:
			ck_assert_msg((s0 == LC_CALL_CALLING || s0 == LC_CALL_RINGBACK ||
				       s0 == LC_CALL_EARLY) && w->dialog && !w->incoming,
				      "%s: CANCEL", trace);
			break;
		case LC_ACT_RESPOND:
			/* To the new INVITE, or to the one ringing the line. */
			ck_assert_msg(ev->type == LC_EV_INVITE ||
				      (w->incoming && w->dialog &&
				       (s0 == LC_CALL_RINGING || s0 == LC_CALL_CONNECTED)),
				      "%s: respond %u", trace, a->arg);
			if (ev->type == LC_EV_INVITE && a->arg == 486)
				ck_assert_msg(s0 != LC_CALL_IDLE || before->offhook, "%s", trace);
			break;
		case LC_ACT_ACCEPT:
			ck_assert_msg(ev->type == LC_EV_INVITE && !w->dialog && !ev->status,
				      "%s: ACCEPT", trace);
			w->dialog = true;
			w->incoming = true;
			break;
		case LC_ACT_INVITE:
			ck_assert_msg(!w->dialog && before->offhook, "%s: INVITE", trace);
			ck_assert_msg(o->number[0], "%s: INVITE with no number", trace);
			w->dialog = true;
			w->incoming = false;
			break;
		case LC_ACT_RING:
			ck_assert_msg(!w->ringing && !before->offhook, "%s: RING", trace);
			w->ringing = true;
			break;
		case LC_ACT_RING_STOP:
			ck_assert_msg(w->ringing, "%s: RING_STOP while silent", trace);
			w->ringing = false;
			break;
		case LC_ACT_ANSWER:
			ck_assert_msg(s0 == LC_CALL_RINGING && w->incoming, "%s: ANSWER", trace);
			break;
		case LC_ACT_MEDIA:
			ck_assert_msg(w->dialog && !w->incoming, "%s: MEDIA", trace);
			break;
		case LC_ACT_FLASH:
			ck_assert_msg(s0 == LC_CALL_CONNECTED && w->dialog, "%s: FLASH", trace);
			break;
		case LC_ACT_RELEASE:
			w->dialog = false;
			w->incoming = false;
			released = true;
			break;
		case LC_ACT_TIMER:
			w->timer = a->arg != 0;
			w->timer_s = a->arg;
			break;
		}
	}
	/* The timer runs exactly in the timed states, with their duration. */
	ck_assert_msg(w->timer == timed(s1), "%s: timer %s in %s", trace,
		      w->timer ? "running" : "stopped", lc_call_state_name(s1));
	if (s1 == LC_CALL_BUSY || s1 == LC_CALL_REORDER)
		ck_assert_uint_eq(w->timer_s, timers.offhook_warning);
	if (s1 == LC_CALL_RINGING || (s1 != s0 && (s1 == LC_CALL_CALLING)))
		ck_assert_uint_eq(w->timer_s, timers.no_answer);
	/* A call exists exactly in the call states. */
	ck_assert_msg(w->dialog == call_state(s1), "%s: dialog %d in %s", trace, w->dialog,
		      lc_call_state_name(s1));
	if (call_state(s0) && !call_state(s1))
		ck_assert_msg(released, "%s: left the call without releasing it", trace);
	ck_assert_msg(w->ringing == (s1 == LC_CALL_RINGING), "%s: ringing in %s", trace,
		      lc_call_state_name(s1));
	ck_assert_msg(w->incoming == m.incoming, "%s: incoming", trace);
	/* The hook: what the machine believes is what happened. */
	if (ev->type == LC_EV_OFFHOOK)
		ck_assert(m.offhook);
	if (ev->type == LC_EV_ONHOOK)
		ck_assert(!m.offhook);
	/* On hook, the line is idle or ringing; off hook, never ringing. */
	if (!m.offhook)
		ck_assert_msg(s1 == LC_CALL_IDLE || s1 == LC_CALL_RINGING, "%s: on hook in %s",
			      trace, lc_call_state_name(s1));
	else
		ck_assert_msg(s1 != LC_CALL_RINGING, "%s: off hook and ringing", trace);
	/* A reset leaves nothing behind. */
	if (ev->type == LC_EV_RESET)
		ck_assert_msg(s1 == LC_CALL_IDLE && !w->dialog && !w->timer && !w->ringing,
			      "%s: after reset", trace);
	/* Connected only through an answer, either way. */
	if (s1 == LC_CALL_CONNECTED && s0 != LC_CALL_CONNECTED)
		ck_assert_msg(ev->type == LC_EV_ANSWERED || ev->type == LC_EV_OFFHOOK,
			      "%s: connected by %s", trace, lc_csm_event_name(ev->type));
	/* Busy tone only for 486 / 600. */
	if (s1 == LC_CALL_BUSY && s0 != LC_CALL_BUSY)
		ck_assert_msg(ev->type == LC_EV_REJECTED &&
			      (ev->status == 486 || ev->status == 600), "%s: busy", trace);
}

START_TEST(test_random_walks)
{
	unsigned int seed = 20261124, walk, stepno, seen = 0;
	bool visited[LC_CALL_STATES] = { false };
	int i;

	for (walk = 0; walk < 2000; walk++) {
		struct world w = { 0 };
		char trace[512];
		size_t at = 0;

		setup_map(walk % 3 ? MAP : "(xxx|<:100>L)");
		trace[0] = '\0';
		for (stepno = 0; stepno < 60; stepno++) {
			struct lc_csm_event ev = random_event(&seed);
			struct lc_csm before = m;
			struct lc_csm_out o;

			/* The timer fires only when it was set. */
			if (ev.type == LC_EV_TIMEOUT && !w.timer)
				continue;
			lc_csm_step(&m, &ev, &o);
			if (at < sizeof(trace) - 40)
				at += snprintf(trace + at, sizeof(trace) - at, "%s%.*s%d,",
					       lc_csm_event_name(ev.type),
					       ev.type == LC_EV_KEY, &ev.key, ev.status);
			check_step(&before, &ev, &o, &w, trace);
			visited[m.state] = true;
		}
	}
	for (i = 0; i < LC_CALL_STATES; i++)
		if (visited[i])
			seen++;
	/* The walks reach every state. */
	ck_assert_uint_eq(seen, LC_CALL_STATES);
}
END_TEST

static Suite *callsm_suite(void)
{
	Suite *s = suite_create("callsm");
	TCase *tc = tcase_create("callsm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_outgoing_answered);
	tcase_add_test(tc, test_outgoing_early_media);
	tcase_add_test(tc, test_outgoing_ringback_then_early);
	tcase_add_test(tc, test_outgoing_busy);
	tcase_add_test(tc, test_outgoing_failures);
	tcase_add_test(tc, test_outgoing_no_answer);
	tcase_add_test(tc, test_outgoing_local_failure);
	tcase_add_test(tc, test_connected_ends);
	tcase_add_test(tc, test_dialing);
	tcase_add_test(tc, test_no_service);
	tcase_add_test(tc, test_no_plan);
	tcase_add_test(tc, test_hotline);
	tcase_add_test(tc, test_incoming_answered);
	tcase_add_test(tc, test_incoming_not_answered);
	tcase_add_test(tc, test_busy_line);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_random_walks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(callsm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

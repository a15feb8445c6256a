/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call state machine of one analog line (FXS), without I/O: events
 * in (hook, keys, timer, what the network said), the next state and a
 * list of actions out.  call.c carries the actions out with sofia-sip,
 * the kernel and the port; the unit tests drive it with scripted events.
 *
 *   idle --off hook--> dial tone --key--> dialing --digit map match--> calling
 *   calling --180--> ringback --200--> connected
 *           --18x + SDP--> early media --200--> connected
 *           --486/600--> busy         --other failure--> reorder
 *   connected --far end hangs up--> reorder --timer--> howler
 *   idle --INVITE--> 180, ringing --off hook--> answer, connected
 *   on hook: CANCEL while calling, BYE while connected; idle.
 *
 * Every state that has a timer sets it on entry and stops it on exit:
 * dial tone (first digit, or a warm line's), dialing (inter-digit),
 * calling / ringback / early media / ringing (no answer), busy and
 * reorder (off-hook warning: then the howler).
 */
#ifndef LINECARD_DAEMON_CALLSM_H
#define LINECARD_DAEMON_CALLSM_H

#include <stdbool.h>

#include "digitmap.h"

enum lc_call_state {
	LC_CALL_IDLE,		/* on hook, nothing going on */
	LC_CALL_NOSERVICE,	/* off hook, not registered */
	LC_CALL_DIALTONE,	/* off hook, no key yet */
	LC_CALL_DIALING,	/* keys collected against the digit map */
	LC_CALL_CALLING,	/* INVITE sent */
	LC_CALL_RINGBACK,	/* 180: ringback tone */
	LC_CALL_EARLY,		/* 183 with SDP: the far end's audio */
	LC_CALL_CONNECTED,
	LC_CALL_RINGING,	/* incoming: the phone rings */
	LC_CALL_BUSY,		/* busy tone, then the howler */
	LC_CALL_REORDER,	/* reorder tone, then the howler */
	LC_CALL_HOWLER,		/* off-hook warning, until on hook */
};

#define LC_CALL_STATES	(LC_CALL_HOWLER + 1)

enum lc_csm_event_type {
	LC_EV_OFFHOOK,		/* .service: the port may place calls */
	LC_EV_ONHOOK,
	LC_EV_KEY,		/* .key from the keypad or the rotary dial */
	LC_EV_FLASH,		/* a hook flash (the R key) */
	LC_EV_TIMEOUT,		/* the timer the machine asked for expired */
	LC_EV_INVITE,		/* a new incoming call; .status: 0, or why it is refused */
	LC_EV_PROGRESS,	/* 1xx to our INVITE: .status, .sdp */
	LC_EV_ANSWERED,	/* 2xx to our INVITE */
	LC_EV_REJECTED,	/* a final failure to our INVITE: .status */
	LC_EV_CANCELLED,	/* the caller gave up before the answer */
	LC_EV_BYE,		/* the far end hung up */
	LC_EV_ENDED,		/* the dialog ended otherwise: .status */
	LC_EV_MEDIA_TIMEOUT,	/* no RTP from the far end for too long */
	LC_EV_FAILED,		/* INVITE, ANSWER or a 2xx's MEDIA could not be carried out */
	LC_EV_UNUSABLE,		/* the far end's answer (in its ACK) cannot be used */
	LC_EV_RESET,		/* the port is disabled or the daemon stops */
};

#define LC_CSM_EVENTS	(LC_EV_RESET + 1)

struct lc_csm_event {
	enum lc_csm_event_type type;
	char key;
	bool service;
	bool sdp;
	int status;
};

enum lc_csm_action_type {
	LC_ACT_TIMER,		/* (re)start the call timer: .arg seconds; 0 stops it */
	LC_ACT_INVITE,		/* call .number: local stream, SDP offer, INVITE */
	LC_ACT_CANCEL,		/* CANCEL our INVITE */
	LC_ACT_BYE,
	LC_ACT_ACCEPT,		/* take the new incoming call: it is this line's now */
	LC_ACT_RESPOND,		/* to the incoming INVITE: .arg, a status code */
	LC_ACT_RING,		/* ring the phone, with caller ID */
	LC_ACT_RING_STOP,
	LC_ACT_ANSWER,		/* SDP answer, stream, 200 */
	LC_ACT_MEDIA,		/* apply the SDP of the response being handled */
	LC_ACT_RELEASE,		/* the call is over: stream and dialog go */
	LC_ACT_FLASH,		/* pass the flash on to the far end (a PBX's features) */
};

#define LC_CSM_ACTIONS_MAX	8

struct lc_csm_action {
	enum lc_csm_action_type type;
	unsigned int arg;
};

struct lc_csm_out {
	unsigned int n;
	struct lc_csm_action a[LC_CSM_ACTIONS_MAX];
	/* INVITE: the number to call, rewritten by the digit map. */
	char number[LC_DM_NUMBER_MAX + 1];
	/* Why a call ended or failed on the line's side, for the log; or NULL. */
	const char *why;
};

/* Seconds; 0 disables that timer. */
struct lc_csm_timers {
	unsigned int first_digit;
	unsigned int interdigit_short;
	unsigned int interdigit_long;
	unsigned int no_answer;
	unsigned int offhook_warning;
};

struct lc_csm {
	enum lc_call_state state;
	bool offhook;
	bool incoming;		/* the call (if any) came from the network */
	/* The port's digit map (NULL: cannot dial) and timers; the caller's. */
	const struct lc_digitmap *dm;
	struct lc_csm_timers timers;
	struct lc_dm_dial dial;
};

/* Idle, with the handset where it is. */
void lc_csm_init(struct lc_csm *m, bool offhook);

/*
 * One event.  Fills @out (cleared first) with what to do, in order, and
 * moves @m to the next state.  When an INVITE or ANSWER action fails, or
 * MEDIA for a connected call, the caller skips the rest of @out and feeds
 * LC_EV_FAILED.
 */
void lc_csm_step(struct lc_csm *m, const struct lc_csm_event *ev, struct lc_csm_out *out);

/* Whether a new incoming call would be taken (ring) rather than refused busy. */
bool lc_csm_can_take(const struct lc_csm *m);

/* A state's name for status and logs: "idle", "dialtone", ... */
const char *lc_call_state_name(enum lc_call_state s);

const char *lc_csm_event_name(enum lc_csm_event_type t);
const char *lc_csm_action_name(enum lc_csm_action_type t);

/* The tone a state plays while the handset is off hook (enum lc_tone_kind), -1: none. */
int lc_csm_tone(enum lc_call_state s);

#endif

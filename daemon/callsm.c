// SPDX-License-Identifier: GPL-2.0
/*
 * The call state machine of one analog line: see callsm.h.  Nothing here
 * talks to the network, the kernel or the clock.
 */
#include <stdio.h>
#include <string.h>

#include "callsm.h"
#include "tones.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const state_names[] = {
	[LC_CALL_IDLE] = "idle",
	[LC_CALL_NOSERVICE] = "no-service",
	[LC_CALL_DIALTONE] = "dialtone",
	[LC_CALL_DIALING] = "dialing",
	[LC_CALL_CALLING] = "calling",
	[LC_CALL_RINGBACK] = "ringback",
	[LC_CALL_EARLY] = "early-media",
	[LC_CALL_CONNECTED] = "connected",
	[LC_CALL_RINGING] = "ringing",
	[LC_CALL_BUSY] = "busy",
	[LC_CALL_REORDER] = "reorder",
	[LC_CALL_HOWLER] = "howler",
};

static const char *const event_names[] = {
	[LC_EV_OFFHOOK] = "offhook",
	[LC_EV_ONHOOK] = "onhook",
	[LC_EV_KEY] = "key",
	[LC_EV_FLASH] = "flash",
	[LC_EV_TIMEOUT] = "timeout",
	[LC_EV_INVITE] = "invite",
	[LC_EV_PROGRESS] = "progress",
	[LC_EV_ANSWERED] = "answered",
	[LC_EV_REJECTED] = "rejected",
	[LC_EV_CANCELLED] = "cancelled",
	[LC_EV_BYE] = "bye",
	[LC_EV_ENDED] = "ended",
	[LC_EV_MEDIA_TIMEOUT] = "media-timeout",
	[LC_EV_FAILED] = "failed",
	[LC_EV_UNUSABLE] = "unusable",
	[LC_EV_RESET] = "reset",
};

static const char *const action_names[] = {
	[LC_ACT_TIMER] = "timer",
	[LC_ACT_INVITE] = "invite",
	[LC_ACT_CANCEL] = "cancel",
	[LC_ACT_BYE] = "bye",
	[LC_ACT_ACCEPT] = "accept",
	[LC_ACT_RESPOND] = "respond",
	[LC_ACT_RING] = "ring",
	[LC_ACT_RING_STOP] = "ring-stop",
	[LC_ACT_ANSWER] = "answer",
	[LC_ACT_MEDIA] = "media",
	[LC_ACT_RELEASE] = "release",
	[LC_ACT_FLASH] = "flash",
};

const char *lc_call_state_name(enum lc_call_state s)
{
	return (unsigned int)s < ARRAY_SIZE(state_names) ? state_names[s] : "unknown";
}

const char *lc_csm_event_name(enum lc_csm_event_type t)
{
	return (unsigned int)t < ARRAY_SIZE(event_names) ? event_names[t] : "unknown";
}

const char *lc_csm_action_name(enum lc_csm_action_type t)
{
	return (unsigned int)t < ARRAY_SIZE(action_names) ? action_names[t] : "unknown";
}

int lc_csm_tone(enum lc_call_state s)
{
	switch (s) {
	case LC_CALL_NOSERVICE:
		return LC_TONE_NO_SERVICE;
	case LC_CALL_DIALTONE:
		return LC_TONE_DIAL;
	case LC_CALL_RINGBACK:
		return LC_TONE_RINGBACK;
	case LC_CALL_BUSY:
		return LC_TONE_BUSY;
	case LC_CALL_REORDER:
		return LC_TONE_REORDER;
	case LC_CALL_HOWLER:
		return LC_TONE_HOWLER;
	default:
		return -1;
	}
}

void lc_csm_init(struct lc_csm *m, bool offhook)
{
	m->state = LC_CALL_IDLE;
	m->offhook = offhook;
	m->incoming = false;
	memset(&m->dial, 0, sizeof(m->dial));
}

static void act(struct lc_csm_out *o, enum lc_csm_action_type type, unsigned int arg)
{
	/* LC_CSM_ACTIONS_MAX is above the longest list step() makes. */
	if (o->n < LC_CSM_ACTIONS_MAX)
		o->a[o->n++] = (struct lc_csm_action){ .type = type, .arg = arg };
}

static bool calling(enum lc_call_state s)
{
	return s == LC_CALL_CALLING || s == LC_CALL_RINGBACK || s == LC_CALL_EARLY;
}

/* The call is over for the network; the line goes to @next. */
static void end(struct lc_csm *m, struct lc_csm_out *o, enum lc_call_state next)
{
	act(o, LC_ACT_RELEASE, 0);
	act(o, LC_ACT_TIMER, 0);
	if (m->state == LC_CALL_RINGING)
		act(o, LC_ACT_RING_STOP, 0);
	m->incoming = false;
	m->state = next;
	if (next == LC_CALL_REORDER || next == LC_CALL_BUSY)
		act(o, LC_ACT_TIMER, m->timers.offhook_warning);
}

static void place(struct lc_csm *m, struct lc_csm_out *o, const char *number)
{
	snprintf(o->number, sizeof(o->number), "%s", number);
	m->state = LC_CALL_CALLING;
	act(o, LC_ACT_INVITE, 0);
	act(o, LC_ACT_TIMER, m->timers.no_answer);
}

static void dial_result(struct lc_csm *m, struct lc_csm_out *o, const struct lc_dm_result *r)
{
	switch (r->verdict) {
	case LC_DM_NEED_MORE:
		act(o, LC_ACT_TIMER, r->timer == LC_DM_TIMER_SHORT ? m->timers.interdigit_short :
		    m->timers.interdigit_long);
		break;
	case LC_DM_MATCH:
		act(o, LC_ACT_TIMER, 0);
		place(m, o, r->number);
		break;
	case LC_DM_NO_MATCH:
		o->why = "no such number in the dial plan";
		end(m, o, LC_CALL_REORDER);
		break;
	case LC_DM_BARRED:
		o->why = "number barred by the dial plan";
		end(m, o, LC_CALL_REORDER);
		break;
	}
}

static void offhook(struct lc_csm *m, const struct lc_csm_event *ev, struct lc_csm_out *o)
{
	struct lc_dm_result r;

	if (m->offhook)
		return;		/* a repeated edge: nothing new */
	m->offhook = true;
	if (m->state == LC_CALL_RINGING) {
		act(o, LC_ACT_TIMER, 0);
		act(o, LC_ACT_RING_STOP, 0);
		act(o, LC_ACT_ANSWER, 0);
		m->state = LC_CALL_CONNECTED;
		return;
	}
	if (m->state != LC_CALL_IDLE)
		return;
	if (!ev->service) {
		m->state = LC_CALL_NOSERVICE;
		return;
	}
	if (!m->dm) {
		o->why = "no usable dial plan";
		end(m, o, LC_CALL_REORDER);
		return;
	}
	m->state = LC_CALL_DIALTONE;
	lc_dm_start(&m->dial, m->dm, &r);
	if (r.verdict == LC_DM_MATCH) {
		place(m, o, r.number);	/* a hotline */
		return;
	}
	/* A warm line's own timer, else the first-digit timer. */
	if (r.complete)
		act(o, LC_ACT_TIMER, r.timer == LC_DM_TIMER_SHORT ? m->timers.interdigit_short :
		    m->timers.interdigit_long);
	else
		act(o, LC_ACT_TIMER, m->timers.first_digit);
}

static void onhook(struct lc_csm *m, struct lc_csm_out *o)
{
	if (!m->offhook)
		return;
	m->offhook = false;
	if (calling(m->state))
		act(o, LC_ACT_CANCEL, 0);
	else if (m->state == LC_CALL_CONNECTED)
		act(o, LC_ACT_BYE, 0);
	if (m->state != LC_CALL_IDLE)
		end(m, o, LC_CALL_IDLE);
}

static void key(struct lc_csm *m, char k, struct lc_csm_out *o)
{
	struct lc_dm_result r;

	/* In a call, DTMF travels in the stream (RFC 4733 or in band). */
	if (m->state != LC_CALL_DIALTONE && m->state != LC_CALL_DIALING)
		return;
	if (lc_dm_digit(&m->dial, k, &r))
		return;		/* not a key a digit map knows */
	m->state = LC_CALL_DIALING;
	dial_result(m, o, &r);
}

static void timeout(struct lc_csm *m, struct lc_csm_out *o)
{
	struct lc_dm_result r;

	switch (m->state) {
	case LC_CALL_DIALTONE:
		if (lc_dm_timeout(&m->dial, &r) == 0 && r.verdict == LC_DM_MATCH) {
			place(m, o, r.number);	/* a warm line */
			break;
		}
		o->why = "no digit dialled";
		end(m, o, LC_CALL_REORDER);
		break;
	case LC_CALL_DIALING:
		if (lc_dm_timeout(&m->dial, &r) == 0)
			dial_result(m, o, &r);
		break;
	case LC_CALL_CALLING:
	case LC_CALL_RINGBACK:
	case LC_CALL_EARLY:
		o->why = "no answer";
		act(o, LC_ACT_CANCEL, 0);
		end(m, o, LC_CALL_REORDER);
		break;
	case LC_CALL_RINGING:
		o->why = "not answered";
		act(o, LC_ACT_RESPOND, 480);
		end(m, o, LC_CALL_IDLE);
		break;
	case LC_CALL_REORDER:
	case LC_CALL_BUSY:
		m->state = LC_CALL_HOWLER;
		break;
	default:
		break;
	}
}

bool lc_csm_can_take(const struct lc_csm *m)
{
	return m->state == LC_CALL_IDLE && !m->offhook;
}

static void invite(struct lc_csm *m, const struct lc_csm_event *ev, struct lc_csm_out *o)
{
	if (!lc_csm_can_take(m)) {
		o->why = "busy";
		act(o, LC_ACT_RESPOND, 486);
		return;
	}
	if (ev->status) {
		act(o, LC_ACT_RESPOND, (unsigned int)ev->status);
		return;
	}
	act(o, LC_ACT_ACCEPT, 0);
	act(o, LC_ACT_RESPOND, 180);
	act(o, LC_ACT_RING, 0);
	act(o, LC_ACT_TIMER, m->timers.no_answer);
	m->incoming = true;
	m->state = LC_CALL_RINGING;
}

void lc_csm_step(struct lc_csm *m, const struct lc_csm_event *ev, struct lc_csm_out *o)
{
	memset(o, 0, sizeof(*o));
	switch (ev->type) {
	case LC_EV_OFFHOOK:
		offhook(m, ev, o);
		break;
	case LC_EV_ONHOOK:
		onhook(m, o);
		break;
	case LC_EV_KEY:
		key(m, ev->key, o);
		break;
	case LC_EV_TIMEOUT:
		timeout(m, o);
		break;
	case LC_EV_FLASH:
		/* In a call the PBX's features (transfer, conference) take it. */
		if (m->state == LC_CALL_CONNECTED)
			act(o, LC_ACT_FLASH, 0);
		break;
	case LC_EV_INVITE:
		invite(m, ev, o);
		break;
	case LC_EV_PROGRESS:
		if (!calling(m->state))
			break;
		/* Any 18x with SDP is early media (RFC 3960), a 180 without ringback. */
		if (ev->status > 100 && ev->sdp) {
			act(o, LC_ACT_MEDIA, 0);
			m->state = LC_CALL_EARLY;
		} else if (ev->status == 180 && m->state == LC_CALL_CALLING) {
			m->state = LC_CALL_RINGBACK;
		}
		break;
	case LC_EV_ANSWERED:
		if (!calling(m->state))
			break;
		act(o, LC_ACT_TIMER, 0);
		act(o, LC_ACT_MEDIA, 0);
		m->state = LC_CALL_CONNECTED;
		break;
	case LC_EV_REJECTED:
		if (!calling(m->state))
			break;
		end(m, o, ev->status == 486 || ev->status == 600 ? LC_CALL_BUSY : LC_CALL_REORDER);
		break;
	case LC_EV_CANCELLED:
		if (m->state == LC_CALL_RINGING)
			end(m, o, LC_CALL_IDLE);
		break;
	case LC_EV_BYE:
		if (m->state == LC_CALL_CONNECTED || calling(m->state))
			end(m, o, LC_CALL_REORDER);
		break;
	case LC_EV_ENDED:
		/* Only a confirmed call: a failed INVITE ends with REJECTED. */
		if (m->state == LC_CALL_CONNECTED)
			end(m, o, LC_CALL_REORDER);
		break;
	case LC_EV_MEDIA_TIMEOUT:
		if (m->state != LC_CALL_CONNECTED)
			break;
		o->why = "no media from the far end";
		act(o, LC_ACT_BYE, 0);
		end(m, o, LC_CALL_REORDER);
		break;
	case LC_EV_FAILED:
		if (m->state == LC_CALL_CONNECTED && m->incoming)
			act(o, LC_ACT_RESPOND, 500);	/* the answer could not be made */
		else if (m->state == LC_CALL_CONNECTED)
			act(o, LC_ACT_BYE, 0);	/* the 2xx's media cannot be used */
		else if (!calling(m->state))
			break;
		o->why = "local failure";
		end(m, o, LC_CALL_REORDER);
		break;
	case LC_EV_UNUSABLE:
		if (m->state != LC_CALL_CONNECTED)
			break;
		o->why = "the far end's answer cannot be used";
		act(o, LC_ACT_BYE, 0);
		end(m, o, LC_CALL_REORDER);
		break;
	case LC_EV_RESET:
		if (m->state == LC_CALL_CONNECTED)
			act(o, LC_ACT_BYE, 0);
		else if (m->state == LC_CALL_RINGING)
			act(o, LC_ACT_RESPOND, 480);
		else if (calling(m->state))
			act(o, LC_ACT_CANCEL, 0);
		end(m, o, LC_CALL_IDLE);
		break;
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line signalling from the raw hook switch: debounce, hook flash and pulse
 * dialling.  Pure logic driven by timestamps (ns): the caller reports raw
 * edges and runs a timer at lc_hook_deadline(); events carry the time of
 * the line edge that caused them.
 */
#ifndef _LC_HOOK_H
#define _LC_HOOK_H

#include "lc_compat.h"

struct lc_hook_cfg {
	u32 debounce_ms;	/* a raw state must hold this long */
	u32 pulse_min_ms;	/* shorter breaks are glitches */
	u32 flash_min_ms;	/* breaks from pulse_min up to here are pulses */
	u32 flash_max_ms;	/* longer breaks are hang-ups */
	u32 interdigit_ms;	/* make this long ends a pulse digit */
	bool dtmf_detect;	/* not used here; carried with the timing */
};

#define LC_HOOK_CFG_DEFAULT { \
	.debounce_ms = 10, .pulse_min_ms = 20, .flash_min_ms = 100, \
	.flash_max_ms = 800, .interdigit_ms = 300, .dtmf_detect = true }

enum lc_hook_ev_type {
	LC_HOOK_EV_OFFHOOK = 1,
	LC_HOOK_EV_ONHOOK,
	LC_HOOK_EV_FLASH,	/* duration_ms = break length */
	LC_HOOK_EV_DIGIT,	/* digit '1'-'9', '0' for ten pulses */
};

struct lc_hook_ev {
	u8 type;
	char digit;
	u32 duration_ms;
	u64 t_ns;		/* time of the edge the event is about */
};

/* The most events one call can return. */
#define LC_HOOK_MAX_EV 3

struct lc_hook {
	struct lc_hook_cfg cfg;
	bool raw;		/* last raw state, true = off hook */
	u64 raw_t;		/* time of the last raw edge */
	bool stable;		/* debounced state */
	bool reported;		/* state last reported: true = off hook */
	u64 break_t;		/* start of the current break (debounced) */
	bool in_break;		/* on hook, not yet a hang-up */
	u8 pulses;		/* pulses in the digit being dialled */
	u64 digit_t;		/* first break of that digit */
	u64 make_t;		/* end of the last pulse break */
	u64 glitches;		/* bounces filtered out */
};

int lc_hook_cfg_validate(const struct lc_hook_cfg *cfg);
void lc_hook_init(struct lc_hook *h, const struct lc_hook_cfg *cfg,
		  bool offhook, u64 now);
/* Raw switch changed at @now.  Returns the number of events in @ev. */
int lc_hook_edge(struct lc_hook *h, u64 now, bool offhook,
		 struct lc_hook_ev ev[LC_HOOK_MAX_EV]);
/* The timer ran at @now (it may run late or early; both are safe). */
int lc_hook_timer(struct lc_hook *h, u64 now,
		  struct lc_hook_ev ev[LC_HOOK_MAX_EV]);
/*
 * When the timer must run next (absolute ns); 0 for never.  A break is a
 * hang-up once it lasts longer than flash_max_ms, so that deadline is the
 * break's start + flash_max_ms + 1 ns.
 */
u64 lc_hook_deadline(const struct lc_hook *h);

#endif /* _LC_HOOK_H */

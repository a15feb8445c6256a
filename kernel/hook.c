// SPDX-License-Identifier: GPL-2.0
/*
 * Line signalling from the raw hook switch: debounce, hook flash, pulse
 * dialling and hang-up, driven by timestamps.
 *
 * The debounced ("stable") state follows the raw state once the raw state
 * has held for debounce_ms; it then counts from the raw edge that started
 * it.  Every decision is made in the order of the line's own timeline,
 * whenever the caller gets round to reporting an edge or running the
 * timer: a late timer gives the same events, with the same timestamps, as
 * a punctual one.  A decision that depends on the line state after a raw
 * edge which has not settled yet waits for it to settle.
 *
 * While off hook (reported), a debounced on-hook starts a break.  The
 * break ends when the line is made again after d:
 *   d < pulse_min                  glitch, ignored
 *   pulse_min <= d < flash_min     one dial pulse
 *   flash_min <= d <= flash_max    hook flash
 * or, when still broken after flash_max (the timer, at break start +
 * flash_max + 1 ns), the line went on hook at the start of the break.
 * Pulses collected form a digit once the line has been made for
 * interdigit_ms after the last one, or when a flash or a hang-up follows.
 */
#include "hook.h"

/* lc_compat.h gives NSEC_PER_MSEC to user space only */
#define LC_NS_PER_MS	1000000U
#define LC_MS(ms)	((u64)(ms) * LC_NS_PER_MS)

int lc_hook_cfg_validate(const struct lc_hook_cfg *cfg)
{
	if (cfg->debounce_ms < 1 || cfg->debounce_ms >= cfg->pulse_min_ms ||
	    cfg->pulse_min_ms >= cfg->flash_min_ms ||
	    cfg->flash_min_ms >= cfg->flash_max_ms ||
	    cfg->flash_max_ms > LINECARD_CFG_MAX_MS)
		return -EINVAL;
	if (cfg->interdigit_ms < 100 || cfg->interdigit_ms > LINECARD_CFG_MAX_MS)
		return -EINVAL;
	return 0;
}

void lc_hook_init(struct lc_hook *h, const struct lc_hook_cfg *cfg,
		  bool offhook, u64 now)
{
	memset(h, 0, sizeof(*h));
	h->cfg = *cfg;
	h->raw = offhook;
	h->stable = offhook;
	h->reported = offhook;
	h->raw_t = now;
}

struct lc_hook_out {
	struct lc_hook_ev *ev;
	int n;
};

static void lc_hook_emit(struct lc_hook_out *out, u8 type, char digit,
			 u64 t_ns, u64 duration_ns)
{
	struct lc_hook_ev *e;

	/* cannot happen: one call settles at most three events */
	if (out->n >= LC_HOOK_MAX_EV)
		return;
	e = &out->ev[out->n++];
	e->type = type;
	e->digit = digit;
	e->t_ns = t_ns;
	e->duration_ms = (u32)div_u64(duration_ns, LC_NS_PER_MS);
}

/* The pulses collected so far form a digit (or are discarded). */
static void lc_hook_end_digit(struct lc_hook *h, struct lc_hook_out *out)
{
	if (!h->pulses)
		return;
	if (h->pulses > 10)
		h->glitches++;
	else
		lc_hook_emit(out, LC_HOOK_EV_DIGIT, (char)('0' + h->pulses % 10),
			     h->digit_t, h->make_t - h->digit_t);
	h->pulses = 0;
}

static void lc_hook_hangup(struct lc_hook *h, struct lc_hook_out *out)
{
	lc_hook_end_digit(h, out);
	lc_hook_emit(out, LC_HOOK_EV_ONHOOK, 0, h->break_t, 0);
	h->in_break = false;
	h->reported = false;
}

/* Next decision the debounced state alone calls for; 0 for none. */
static u64 lc_hook_state_deadline(const struct lc_hook *h)
{
	if (!h->reported)
		return 0;
	if (h->in_break)
		return h->break_t + LC_MS(h->cfg.flash_max_ms) + 1;
	if (h->pulses)
		return h->make_t + LC_MS(h->cfg.interdigit_ms);
	return 0;
}

/* The decision due at lc_hook_state_deadline(). */
static void lc_hook_fire(struct lc_hook *h, struct lc_hook_out *out)
{
	if (h->in_break)
		lc_hook_hangup(h, out);
	else
		lc_hook_end_digit(h, out);
}

/* The pending raw state held for debounce_ms: it becomes the stable one. */
static void lc_hook_accept(struct lc_hook *h, struct lc_hook_out *out)
{
	u64 t = h->raw_t;
	u64 d;

	h->stable = h->raw;
	if (!h->stable) {
		if (h->reported) {
			h->in_break = true;
			h->break_t = t;
		}
		return;
	}
	if (!h->reported) {
		h->reported = true;
		h->pulses = 0;
		lc_hook_emit(out, LC_HOOK_EV_OFFHOOK, 0, t, 0);
		return;
	}
	if (!h->in_break)
		return;
	h->in_break = false;
	d = t - h->break_t;
	if (d < LC_MS(h->cfg.pulse_min_ms)) {
		h->glitches++;
	} else if (d < LC_MS(h->cfg.flash_min_ms)) {
		if (!h->pulses)
			h->digit_t = h->break_t;
		if (h->pulses <= 10)
			h->pulses++;
		h->make_t = t;
	} else if (d <= LC_MS(h->cfg.flash_max_ms)) {
		lc_hook_end_digit(h, out);
		lc_hook_emit(out, LC_HOOK_EV_FLASH, 0, h->break_t, d);
	} else {
		/* not reached: the hang-up is decided before this edge */
		lc_hook_hangup(h, out);
		h->reported = true;
		lc_hook_emit(out, LC_HOOK_EV_OFFHOOK, 0, t, 0);
	}
}

/* Settle everything the line's timeline decides up to @now. */
static void lc_hook_run(struct lc_hook *h, u64 now, struct lc_hook_out *out)
{
	for (;;) {
		u64 t = lc_hook_state_deadline(h);

		if (h->raw != h->stable) {
			if (t && t <= h->raw_t && t <= now) {
				lc_hook_fire(h, out);
				continue;
			}
			if (h->raw_t + LC_MS(h->cfg.debounce_ms) > now)
				return;
			lc_hook_accept(h, out);
			continue;
		}
		if (!t || t > now)
			return;
		lc_hook_fire(h, out);
	}
}

int lc_hook_edge(struct lc_hook *h, u64 now, bool offhook,
		 struct lc_hook_ev ev[LC_HOOK_MAX_EV])
{
	struct lc_hook_out out = { .ev = ev };

	if (now < h->raw_t)
		now = h->raw_t;
	lc_hook_run(h, now, &out);
	if (offhook != h->raw) {
		/* back to the stable state before the new one held: a bounce */
		if (h->raw != h->stable)
			h->glitches++;
		h->raw = offhook;
		h->raw_t = now;
	}
	return out.n;
}

int lc_hook_timer(struct lc_hook *h, u64 now,
		  struct lc_hook_ev ev[LC_HOOK_MAX_EV])
{
	struct lc_hook_out out = { .ev = ev };

	lc_hook_run(h, now, &out);
	return out.n;
}

u64 lc_hook_deadline(const struct lc_hook *h)
{
	u64 t = lc_hook_state_deadline(h);

	if (h->raw != h->stable && !(t && t <= h->raw_t))
		return h->raw_t + LC_MS(h->cfg.debounce_ms);
	return t;
}

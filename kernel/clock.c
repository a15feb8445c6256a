// SPDX-License-Identifier: GPL-2.0
/*
 * The frame clock: one 10 ms frame at every absolute deadline
 * start + n * period, never relative to when the last tick ran, so that
 * lateness never accumulates into drift.  A tick that runs late processes
 * every frame that is due, up to LC_CLOCK_CATCH_UP; beyond that the frames
 * are skipped and counted as missed.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>

#include "core.h"

#define LC_FRAME_NS		(LINECARD_FRAME_MS * NSEC_PER_MSEC)
#define LC_LATE_NS		NSEC_PER_MSEC
#define LC_CLOCK_CATCH_UP	10

static enum hrtimer_restart lc_clock_fire(struct hrtimer *timer)
{
	struct lc_clock *clock = container_of(timer, struct lc_clock, timer);
	ktime_t now = ktime_get();
	ktime_t deadline = ktime_add_ns(clock->start, clock->n * LC_FRAME_NS);
	s64 lateness = ktime_to_ns(ktime_sub(now, deadline));
	unsigned int due = 1;

	if (lateness > 0) {
		u64 behind = div_u64(lateness, LC_FRAME_NS);

		if ((u64)lateness > clock->max_lateness_ns)
			clock->max_lateness_ns = lateness;
		if (lateness > LC_LATE_NS)
			clock->late++;
		if (behind >= LC_CLOCK_CATCH_UP) {
			clock->missed += behind;
			clock->n += behind;
		} else {
			due += behind;
		}
	}

	/*
	 * Each frame is processed at its own nominal time, so that frames a
	 * late tick catches up on are still 10 ms apart for whoever measures
	 * time in frames (the jitter buffer's playout clock).
	 */
	while (due--) {
		clock->tick(clock, ktime_to_ns(clock->start) + clock->n * LC_FRAME_NS);
		clock->ticks++;
		clock->n++;
	}

	hrtimer_set_expires(timer, ktime_add_ns(clock->start,
						clock->n * LC_FRAME_NS));
	return HRTIMER_RESTART;
}

void lc_clock_start(struct lc_clock *clock, void (*tick)(struct lc_clock *, u64))
{
	clock->tick = tick;
	clock->n = 1;
	clock->ticks = 0;
	clock->late = 0;
	clock->missed = 0;
	clock->max_lateness_ns = 0;
	hrtimer_init(&clock->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	clock->timer.function = lc_clock_fire;
	clock->start = ktime_get();
	hrtimer_start(&clock->timer, ktime_add_ns(clock->start, LC_FRAME_NS),
		      HRTIMER_MODE_ABS_SOFT);
}

void lc_clock_stop(struct lc_clock *clock)
{
	hrtimer_cancel(&clock->timer);
}

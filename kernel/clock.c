// SPDX-License-Identifier: GPL-2.0
/*
 * The frame clock: one 10 ms frame at every absolute deadline
 * start + n * period, never relative to when the last tick ran, so that
 * lateness never accumulates into drift.  A tick that runs late processes
 * every frame that is due, up to LC_CLOCK_CATCH_UP; beyond that the frames
 * are skipped and counted as missed.
 *
 * The frames run in a kernel thread of the backend, SCHED_FIFO, that
 * sleeps on an hrtimer until each deadline, rather than in the timer
 * softirq: the packets a frame sends are then received (the receive
 * softirq runs whenever the tick re-enables bottom halves, every few
 * ports) as the frame goes on, instead of piling up in the softnet
 * backlog behind every port's frame; and a tick does not wait for
 * ksoftirqd, a normal-priority thread, when the network keeps softirqs
 * busy.
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "core.h"

#define LC_FRAME_NS		(LINECARD_FRAME_MS * NSEC_PER_MSEC)
#define LC_LATE_NS		NSEC_PER_MSEC
#define LC_CLOCK_CATCH_UP	10

/* Run the frames that are due; returns the next deadline. */
static ktime_t lc_clock_run(struct lc_clock *clock)
{
	ktime_t now = ktime_get();
	ktime_t deadline = ktime_add_ns(clock->start, clock->n * LC_FRAME_NS);
	s64 lateness = ktime_to_ns(ktime_sub(now, deadline));
	unsigned int due = 1;

	if (lateness > 0) {
		u64 behind = div_u64(lateness, LC_FRAME_NS);

		if ((u64)lateness > clock->max_lateness_ns)
			WRITE_ONCE(clock->max_lateness_ns, lateness);
		if (lateness > LC_LATE_NS)
			WRITE_ONCE(clock->late, clock->late + 1);
		if (behind >= LC_CLOCK_CATCH_UP) {
			WRITE_ONCE(clock->missed, clock->missed + behind);
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
		WRITE_ONCE(clock->ticks, clock->ticks + 1);
		clock->n++;
	}
	return ktime_add_ns(clock->start, clock->n * LC_FRAME_NS);
}

static int lc_clock_thread(void *data)
{
	struct lc_clock *clock = data;
	ktime_t next = ktime_add_ns(clock->start, LC_FRAME_NS);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		/* An RT task sleeps with no slack: the deadline is exact. */
		if (ktime_before(ktime_get(), next)) {
			schedule_hrtimeout_range(&next, 0, HRTIMER_MODE_ABS);
			continue;
		}
		__set_current_state(TASK_RUNNING);
		next = lc_clock_run(clock);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

int lc_clock_start(struct lc_clock *clock, const char *name,
		   void (*tick)(struct lc_clock *, u64))
{
	struct task_struct *task;

	clock->tick = tick;
	clock->n = 1;
	clock->ticks = 0;
	clock->late = 0;
	clock->missed = 0;
	clock->max_lateness_ns = 0;
	clock->start = ktime_get();
	task = kthread_create(lc_clock_thread, clock, "linecard/%s", name);
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* Above every normal task, below interrupt threads. */
	sched_set_fifo_low(task);
	clock->task = task;
	wake_up_process(task);
	return 0;
}

void lc_clock_stop(struct lc_clock *clock)
{
	kthread_stop(clock->task);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to linecard.ko. */
#ifndef _LINECARD_CORE_H
#define _LINECARD_CORE_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/kfifo.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "linecard_backend.h"
#include "dtmf.h"
#include "fsk.h"
#include "hook.h"
#include "tone.h"

/* One second of PCM each way. */
#define LC_PCM_FIFO_BYTES	16384

struct lc_clock {
	struct task_struct *task;
	ktime_t start;
	u64 n;			/* index of the next frame */
	u64 ticks;
	u64 late;
	u64 missed;
	u64 max_lateness_ns;
	void (*tick)(struct lc_clock *clock, u64 frame_ns);
};

struct lc_clock_stats {
	u64 ticks;
	u64 late;
	u64 missed;
	u64 max_lateness_ns;
};

struct lc_stream;

struct linecard_port_stats {
	u64 events;
	u64 hook_changes;
	u64 flashes;
	u64 digits_dtmf;
	u64 digits_pulse;
	u64 frames;
	u64 rings;
	u64 notify_failed;
	u64 pcm_overruns;
	u64 pcm_underruns;
};

struct linecard_port {
	/* Valid only while !removed, under @lock: the backend goes first. */
	struct linecard_backend *backend;
	char backend_name[LINECARD_NAME_LEN];
	unsigned int index;
	void *priv;

	struct device dev;
	struct cdev cdev;

	/* Everything below is under @lock (taken from softirq). */
	spinlock_t lock;
	bool removed;
	struct list_head files;		/* struct lc_file, for events */
	unsigned int readers;		/* files open for PCM read */
	struct lc_stream *stream;	/* the RTP stream that owns the port */

	struct lc_hook hook;
	struct hrtimer hook_timer;
	u8 hook_state;			/* LINECARD_HOOK_*, debounced */
	u8 polarity;
	u8 linefeed;
	bool ringing;			/* ring voltage on now */
	struct lc_cadence ring;
	struct lc_fsk cid;		/* caller ID for the ring's first silence */
	struct lc_tone_gen tone;
	struct lc_dtmf_det dtmf;
	bool ear_active;		/* PCM was written since the last drain */
	struct linecard_port_stats stats;

	/* PCM: single producer / single consumer, see chardev.c. */
	struct kfifo mouth_fifo;
	struct kfifo ear_fifo;
	struct mutex read_mutex;	/* the one consumer of mouth_fifo */
	struct mutex write_mutex;	/* the one producer of ear_fifo */
	wait_queue_head_t wait;
};

struct linecard_backend {
	char name[LINECARD_NAME_LEN];
	const struct linecard_port_ops *ops;
	unsigned int nports;
	struct lc_clock clock;
	bool started;
	struct linecard_port **ports;
};

/* An open /dev/lineN. */
struct lc_file {
	struct linecard_port *port;
	struct list_head node;		/* in port->files, under port->lock */
	DECLARE_KFIFO(events, struct linecard_event, LINECARD_EVENT_QUEUE_LEN);
	u64 queued;
	u64 lost;			/* lost and not yet reported */
	u64 lost_total;
};

/* port.c */
int lc_ports_init(void);
void lc_ports_uninit(void);
struct linecard_port *lc_port_get(unsigned int index);	/* holds a device ref */
void lc_port_put(struct linecard_port *port);
/* Iterate: the first port with index >= *index; holds a ref; NULL at end. */
struct linecard_port *lc_port_next(unsigned int *index);
void lc_port_event(struct linecard_port *port, struct linecard_event *ev);
void lc_port_get_cfg(struct linecard_port *port, struct lc_hook_cfg *cfg);
int lc_port_set_cfg(struct linecard_port *port, const struct lc_hook_cfg *cfg);
void lc_port_stop_ring(struct linecard_port *port);

/* chardev.c */
int lc_chardev_init(void);
void lc_chardev_uninit(void);
int lc_chardev_add(struct linecard_port *port);
void lc_chardev_del(struct linecard_port *port);
void lc_chardev_release_port(struct linecard_port *port);

/* netlink.c */
int lc_netlink_init(void);
void lc_netlink_uninit(void);
int lc_netlink_notify(const struct linecard_event *ev);

/* clock.c */
int lc_clock_start(struct lc_clock *clock, const char *name,
		   void (*tick)(struct lc_clock *, u64));
void lc_clock_stop(struct lc_clock *clock);

#endif /* _LINECARD_CORE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: the registry, the backend interface, line signalling and the
 * per-frame work (DTMF detection, tone and ring cadences, raw PCM).
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "core.h"
#include "stream.h"

/* Ports by index; readers take a device reference under the xarray lock. */
static DEFINE_XARRAY_ALLOC(lc_ports);

struct linecard_port *lc_port_get(unsigned int index)
{
	struct linecard_port *port;

	xa_lock(&lc_ports);
	port = xa_load(&lc_ports, index);
	if (port)
		get_device(&port->dev);
	xa_unlock(&lc_ports);
	return port;
}

struct linecard_port *lc_port_next(unsigned int *index)
{
	struct linecard_port *port;
	unsigned long i = *index;

	xa_lock(&lc_ports);
	port = xa_find(&lc_ports, &i, LINECARD_MAX_PORTS - 1, XA_PRESENT);
	if (port) {
		get_device(&port->dev);
		*index = i;
	}
	xa_unlock(&lc_ports);
	return port;
}

void lc_port_put(struct linecard_port *port)
{
	put_device(&port->dev);
}

/*
 * Queue an event to every open descriptor of the port and multicast it.
 * Called with port->lock held.
 */
void lc_port_event(struct linecard_port *port, struct linecard_event *ev)
{
	struct lc_file *f;

	ev->port = port->index;
	if (!ev->timestamp_ns)
		ev->timestamp_ns = ktime_get_ns();
	port->stats.events++;

	list_for_each_entry(f, &port->files, node) {
		if (f->lost) {
			struct linecard_event ovf = {
				.timestamp_ns = ev->timestamp_ns,
				.type = LINECARD_EV_OVERFLOW,
				.port = port->index,
			};

			/* Report the loss before anything that came after it. */
			if (kfifo_avail(&f->events) < 2) {
				f->lost++;
				f->lost_total++;
				continue;
			}
			ovf.value = min_t(u64, f->lost, U32_MAX);
			kfifo_put(&f->events, ovf);
			f->lost = 0;
		}
		if (kfifo_put(&f->events, *ev)) {
			f->queued++;
		} else {
			f->lost++;
			f->lost_total++;
		}
	}
	wake_up_interruptible(&port->wait);
	if (lc_netlink_notify(ev))
		port->stats.notify_failed++;
}

static void lc_port_emit(struct linecard_port *port, u32 type, u64 t_ns)
{
	struct linecard_event ev = { .type = type, .timestamp_ns = t_ns };

	lc_port_event(port, &ev);
}

static void lc_port_set_ring(struct linecard_port *port, bool on)
{
	if (port->ringing == on)
		return;
	port->ringing = on;
	port->backend->ops->set_ring(port, on);
}

/* Also ends a caller ID message, at once, in the middle if need be. */
void lc_port_stop_ring(struct linecard_port *port)
{
	port->ring.active = false;
	lc_fsk_stop(&port->cid);
	lc_port_set_ring(port, false);
}

/*
 * One frame of the ring cadence.  A caller ID message starts when the
 * first ring burst ends; while it is on the line, the cadence holds at
 * the end of its silent step, so the next burst never cuts into it.
 */
static void lc_port_ring_frame(struct linecard_port *port)
{
	struct lc_cadence *c = &port->ring;
	bool was_ringing = port->ringing;
	u8 mask;

	if (lc_fsk_busy(&port->cid) && !port->ringing &&
	    lc_cadence_left(c) <= LINECARD_FRAME_SAMPLES)
		return;
	mask = lc_cadence_advance(c, LINECARD_FRAME_SAMPLES);
	lc_port_set_ring(port, c->active && (mask & 1));
	if (was_ringing && !port->ringing && lc_fsk_armed(&port->cid))
		lc_fsk_begin(&port->cid, LC_FSK_LEAD_MS * LINECARD_FRAME_SAMPLES /
			     LINECARD_FRAME_MS);
	if (!c->active) {
		lc_fsk_stop(&port->cid);
		lc_port_emit(port, LINECARD_EV_RING_DONE, 0);
	}
}

/* Called with port->lock held. */
static void lc_port_hook_events(struct linecard_port *port,
				struct lc_hook_ev *hev, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct linecard_event ev = { .timestamp_ns = hev[i].t_ns };

		switch (hev[i].type) {
		case LC_HOOK_EV_OFFHOOK:
			ev.type = LINECARD_EV_OFFHOOK;
			port->hook_state = LINECARD_HOOK_OFF;
			port->stats.hook_changes++;
			/* Ring trip: the phone was answered. */
			lc_port_stop_ring(port);
			lc_dtmf_det_init(&port->dtmf);
			break;
		case LC_HOOK_EV_ONHOOK:
			ev.type = LINECARD_EV_ONHOOK;
			port->hook_state = LINECARD_HOOK_ON;
			port->stats.hook_changes++;
			break;
		case LC_HOOK_EV_FLASH:
			ev.type = LINECARD_EV_FLASH;
			ev.duration_ms = hev[i].duration_ms;
			port->stats.flashes++;
			break;
		case LC_HOOK_EV_DIGIT:
			ev.type = LINECARD_EV_DIGIT;
			ev.digit = hev[i].digit;
			ev.source = LINECARD_DIGIT_PULSE;
			ev.duration_ms = hev[i].duration_ms;
			port->stats.digits_pulse++;
			break;
		default:
			continue;
		}
		lc_port_event(port, &ev);
	}
}

static void lc_port_arm_hook_timer(struct linecard_port *port)
{
	u64 deadline = lc_hook_deadline(&port->hook);

	if (deadline)
		hrtimer_start(&port->hook_timer, ns_to_ktime(deadline),
			      HRTIMER_MODE_ABS_SOFT);
	else
		hrtimer_try_to_cancel(&port->hook_timer);
}

void linecard_port_hook_edge(struct linecard_port *port, bool offhook,
			     ktime_t when)
{
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];
	int n;

	spin_lock_bh(&port->lock);
	if (!port->removed) {
		n = lc_hook_edge(&port->hook, ktime_to_ns(when), offhook, ev);
		lc_port_hook_events(port, ev, n);
		lc_port_arm_hook_timer(port);
	}
	spin_unlock_bh(&port->lock);
}
EXPORT_SYMBOL_GPL(linecard_port_hook_edge);

static enum hrtimer_restart lc_port_hook_timer(struct hrtimer *timer)
{
	struct linecard_port *port =
		container_of(timer, struct linecard_port, hook_timer);
	struct lc_hook_ev ev[LC_HOOK_MAX_EV];
	int n;

	/*
	 * Re-armed with hrtimer_start() rather than HRTIMER_RESTART: an edge
	 * on another CPU may have started the timer while this callback
	 * waited for the lock.
	 */
	spin_lock(&port->lock);
	if (!port->removed) {
		n = lc_hook_timer(&port->hook, ktime_get_ns(), ev);
		lc_port_hook_events(port, ev, n);
		lc_port_arm_hook_timer(port);
	}
	spin_unlock(&port->lock);
	return HRTIMER_NORESTART;
}

void lc_port_get_cfg(struct linecard_port *port, struct lc_hook_cfg *cfg)
{
	spin_lock_bh(&port->lock);
	*cfg = port->hook.cfg;
	spin_unlock_bh(&port->lock);
}

int lc_port_set_cfg(struct linecard_port *port, const struct lc_hook_cfg *cfg)
{
	int ret = lc_hook_cfg_validate(cfg);

	if (ret)
		return ret;
	spin_lock_bh(&port->lock);
	if (port->removed) {
		ret = -ENODEV;
	} else {
		port->hook.cfg = *cfg;
		if (!cfg->dtmf_detect)
			lc_dtmf_det_init(&port->dtmf);
	}
	spin_unlock_bh(&port->lock);
	return ret;
}

/* One frame of one port, from the backend's clock thread, BHs disabled. */
static void lc_port_frame(struct linecard_port *port, u64 now)
{
	const struct linecard_port_ops *ops = port->backend->ops;
	s16 mouth[LINECARD_FRAME_SAMPLES];
	s16 ear[LINECARD_FRAME_SAMPLES];
	struct sk_buff_head txq;
	struct lc_dtmf_ev dev;
	bool offhook;

	__skb_queue_head_init(&txq);
	spin_lock(&port->lock);
	if (port->removed)
		goto out;
	port->stats.frames++;
	offhook = port->hook_state == LINECARD_HOOK_OFF;

	ops->read_frame(port, mouth);
	if (offhook && port->hook.cfg.dtmf_detect &&
	    lc_dtmf_det_frame(&port->dtmf, mouth, &dev)) {
		struct linecard_event ev = {
			.type = LINECARD_EV_DIGIT,
			.digit = dev.digit,
			.source = LINECARD_DIGIT_DTMF,
			.duration_ms = dev.duration_ms,
		};

		ev.timestamp_ns = now - (u64)dev.duration_ms * NSEC_PER_MSEC;
		port->stats.digits_dtmf++;
		lc_port_event(port, &ev);
	}

	if (port->stream) {
		char digit = offhook && port->hook.cfg.dtmf_detect ?
			     lc_dtmf_det_digit(&port->dtmf) : 0;

		lc_stream_tx_frame(port->stream, mouth, digit, &txq);
		lc_stream_rx_frame(port->stream, ear, now, &txq);
	} else {
		if (port->readers &&
		    kfifo_in(&port->mouth_fifo, mouth, sizeof(mouth)) != sizeof(mouth))
			port->stats.pcm_overruns++;
		if (kfifo_out(&port->ear_fifo, ear, sizeof(ear)) == sizeof(ear)) {
			port->ear_active = true;
		} else {
			memset(ear, 0, sizeof(ear));
			if (port->ear_active) {
				port->ear_active = false;
				port->stats.pcm_underruns++;
			}
		}
	}
	/* Tones still reach the earpiece during a call (call waiting). */
	if (lc_tone_active(&port->tone) &&
	    lc_tone_mix(&port->tone, ear, LINECARD_FRAME_SAMPLES))
		lc_port_emit(port, LINECARD_EV_TONE_DONE, 0);

	if (port->ring.active)
		lc_port_ring_frame(port);
	/* On-hook transmission: the message goes down the line on hook. */
	if (lc_fsk_busy(&port->cid))
		lc_fsk_mix(&port->cid, ear, LINECARD_FRAME_SAMPLES);
	ops->write_frame(port, ear);
	wake_up_interruptible(&port->wait);
out:
	spin_unlock(&port->lock);
	lc_stream_tx_flush(&txq);
}

/*
 * Ports whose frames run between two re-enablings of bottom halves: the
 * receive softirq then takes their packets (at most this many, one
 * packet interval each) in one run, within its budget, instead of every
 * port's in one pile that overflows the softnet backlog.
 */
#define LC_BH_BATCH	16

static void lc_backend_tick(struct lc_clock *clock, u64 now)
{
	struct linecard_backend *b =
		container_of(clock, struct linecard_backend, clock);
	unsigned int i;

	for (i = 0; i < b->nports; i++) {
		if (i % LC_BH_BATCH == 0)
			local_bh_disable();
		lc_port_frame(b->ports[i], now);
		if (i % LC_BH_BATCH == LC_BH_BATCH - 1 || i == b->nports - 1)
			local_bh_enable();
	}
}

/* Device release: the last reference to the port is gone. */
static void lc_port_release(struct device *dev)
{
	struct linecard_port *port = container_of(dev, struct linecard_port, dev);

	kfifo_free(&port->mouth_fifo);
	kfifo_free(&port->ear_fifo);
	kfree(port);
}

static struct linecard_port *lc_port_alloc(struct linecard_backend *b)
{
	struct lc_hook_cfg cfg = LC_HOOK_CFG_DEFAULT;
	struct linecard_port *port;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return NULL;
	if (kfifo_alloc(&port->mouth_fifo, LC_PCM_FIFO_BYTES, GFP_KERNEL))
		goto err_free;
	if (kfifo_alloc(&port->ear_fifo, LC_PCM_FIFO_BYTES, GFP_KERNEL))
		goto err_mouth;
	port->backend = b;
	strscpy(port->backend_name, b->name, sizeof(port->backend_name));
	spin_lock_init(&port->lock);
	INIT_LIST_HEAD(&port->files);
	mutex_init(&port->read_mutex);
	mutex_init(&port->write_mutex);
	init_waitqueue_head(&port->wait);
	lc_hook_init(&port->hook, &cfg, false, ktime_get_ns());
	hrtimer_init(&port->hook_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	port->hook_timer.function = lc_port_hook_timer;
	lc_dtmf_det_init(&port->dtmf);
	port->hook_state = LINECARD_HOOK_ON;
	device_initialize(&port->dev);
	port->dev.release = lc_port_release;
	return port;

err_mouth:
	kfifo_free(&port->mouth_fifo);
err_free:
	kfree(port);
	return NULL;
}

/* Take the port out of service; safe against concurrent file operations. */
static void lc_port_remove(struct linecard_port *port)
{
	spin_lock_bh(&port->lock);
	lc_port_stop_ring(port);
	lc_port_emit(port, LINECARD_EV_PORT_REMOVE, 0);
	port->removed = true;
	if (port->stream) {
		lc_stream_port_removed(port->stream);
		port->stream = NULL;
	}
	spin_unlock_bh(&port->lock);
	hrtimer_cancel(&port->hook_timer);
	wake_up_interruptible_all(&port->wait);

	xa_erase(&lc_ports, port->index);
	lc_chardev_del(port);
}

struct linecard_backend *linecard_backend_register(const char *name,
						   const struct linecard_port_ops *ops,
						   unsigned int nports)
{
	struct linecard_backend *b;
	unsigned int i;
	int ret;

	if (!nports || nports > LINECARD_MAX_PORTS || !ops || !ops->read_frame ||
	    !ops->write_frame || !ops->set_ring)
		return ERR_PTR(-EINVAL);

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->ports = kcalloc(nports, sizeof(*b->ports), GFP_KERNEL);
	if (!b->ports) {
		kfree(b);
		return ERR_PTR(-ENOMEM);
	}
	strscpy(b->name, name, sizeof(b->name));
	b->ops = ops;

	for (i = 0; i < nports; i++) {
		struct linecard_port *port = lc_port_alloc(b);
		u32 index;

		if (!port) {
			ret = -ENOMEM;
			goto err;
		}
		ret = xa_alloc(&lc_ports, &index, port,
			       XA_LIMIT(0, LINECARD_MAX_PORTS - 1), GFP_KERNEL);
		if (ret) {
			put_device(&port->dev);
			ret = ret == -EBUSY ? -ENOSPC : ret;
			goto err;
		}
		port->index = index;
		ret = lc_chardev_add(port);
		if (ret) {
			xa_erase(&lc_ports, index);
			put_device(&port->dev);
			goto err;
		}
		b->ports[i] = port;
		b->nports = i + 1;
	}

	return b;

err:
	while (b->nports--) {
		lc_port_remove(b->ports[b->nports]);
		put_device(&b->ports[b->nports]->dev);
	}
	kfree(b->ports);
	kfree(b);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(linecard_backend_register);

int linecard_backend_start(struct linecard_backend *b)
{
	unsigned int i;
	int ret;

	ret = lc_clock_start(&b->clock, b->name, lc_backend_tick);
	if (ret)
		return ret;
	b->started = true;
	for (i = 0; i < b->nports; i++) {
		spin_lock_bh(&b->ports[i]->lock);
		lc_port_emit(b->ports[i], LINECARD_EV_PORT_ADD, 0);
		spin_unlock_bh(&b->ports[i]->lock);
	}
	pr_info("backend %s: %u ports from /dev/line%u\n", b->name,
		b->nports, b->ports[0]->index);
	return 0;
}
EXPORT_SYMBOL_GPL(linecard_backend_start);

void linecard_backend_unregister(struct linecard_backend *b)
{
	unsigned int i;

	for (i = 0; i < b->nports; i++)
		lc_port_remove(b->ports[i]);
	/* After this no tick runs, so no op is called again. */
	if (b->started)
		lc_clock_stop(&b->clock);
	for (i = 0; i < b->nports; i++)
		put_device(&b->ports[i]->dev);
	kfree(b->ports);
	kfree(b);
}
EXPORT_SYMBOL_GPL(linecard_backend_unregister);

struct linecard_port *linecard_backend_port(struct linecard_backend *b,
					    unsigned int i)
{
	return i < b->nports ? b->ports[i] : NULL;
}
EXPORT_SYMBOL_GPL(linecard_backend_port);

void linecard_port_set_priv(struct linecard_port *port, void *priv)
{
	port->priv = priv;
}
EXPORT_SYMBOL_GPL(linecard_port_set_priv);

void *linecard_port_priv(struct linecard_port *port)
{
	return port->priv;
}
EXPORT_SYMBOL_GPL(linecard_port_priv);

unsigned int linecard_port_index(struct linecard_port *port)
{
	return port->index;
}
EXPORT_SYMBOL_GPL(linecard_port_index);

int lc_ports_init(void)
{
	return 0;
}

void lc_ports_uninit(void)
{
	WARN_ON(!xa_empty(&lc_ports));
	xa_destroy(&lc_ports);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * linecard_vport: virtual ports with no hardware behind them.  Each port has
 * a handset, /dev/vphoneN plus sysfs attributes, that a test drives the way
 * a person uses a phone:
 *
 *   hook       read "on" / "off"; write "off", "on", or "flash [MS]"
 *   dial       write digits to key them as DTMF into the mouthpiece;
 *              read the digits not yet sent
 *   pulse      write digits to dial them with the hook switch (10 pps);
 *              read the digits not yet sent
 *   ring       "1" while ring voltage is on (pollable), "0" otherwise
 *   rings      ring bursts since load
 *   ring_log   the last ring transitions, "<ns> on|off" per line
 *              (CLOCK_MONOTONIC)
 *   polarity, linefeed   the line as the core drives it
 *   line       the index N of the port's /dev/lineN
 *
 *   read(/dev/vphoneN)   earpiece audio, S16 native-endian 8 kHz, from the
 *                        moment the first reader opened it
 *   write(/dev/vphoneN)  mouthpiece audio, same format, played in real time
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kfifo.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "linecard_backend.h"
#include "dtmf.h"
#include "tone.h"

static unsigned int ports = 2;
module_param(ports, uint, 0444);
MODULE_PARM_DESC(ports, "number of virtual ports (1-256)");

static unsigned int dtmf_ms = 100;
module_param(dtmf_ms, uint, 0644);
MODULE_PARM_DESC(dtmf_ms, "DTMF key press length, ms");

static unsigned int dtmf_gap_ms = 100;
module_param(dtmf_gap_ms, uint, 0644);
MODULE_PARM_DESC(dtmf_gap_ms, "pause after a DTMF key press, ms");

static unsigned int pulse_break_ms = 60;
module_param(pulse_break_ms, uint, 0644);
MODULE_PARM_DESC(pulse_break_ms, "dial pulse break, ms");

static unsigned int pulse_make_ms = 40;
module_param(pulse_make_ms, uint, 0644);
MODULE_PARM_DESC(pulse_make_ms, "dial pulse make, ms");

static unsigned int pulse_gap_ms = 700;
module_param(pulse_gap_ms, uint, 0644);
MODULE_PARM_DESC(pulse_gap_ms, "pause between pulse-dialled digits, ms");

#define VP_FIFO_BYTES	32768	/* two seconds each way */
#define VP_DIAL_MAX	64
#define VP_RING_LOG	32

enum vp_pulse_phase { VP_PULSE_IDLE, VP_PULSE_BREAK, VP_PULSE_MAKE };

struct vport {
	struct linecard_port *port;
	unsigned int id;
	struct device dev;
	struct cdev cdev;

	/*
	 * Lock order: line_lock, then the core's port lock, then lock.  The
	 * hook switch calls into the core under line_lock; the frame tick
	 * calls in here under the port lock and takes only lock.
	 */
	spinlock_t line_lock;		/* offhook, pulse and flash state */
	bool offhook;
	char pulse[VP_DIAL_MAX + 1];	/* digits still to pulse */
	enum vp_pulse_phase phase;
	unsigned int pulses_done;
	struct hrtimer pulse_timer;
	struct hrtimer flash_timer;

	spinlock_t lock;		/* audio, dialling and ring state */
	bool ringing;
	u64 rings;
	u64 ring_log[VP_RING_LOG];	/* ns, low bit: 1 = on */
	unsigned int ring_log_n;
	u8 polarity;
	u8 linefeed;
	unsigned int listeners;

	char dial[VP_DIAL_MAX + 1];	/* DTMF digits still to key */
	bool keying;			/* a DTMF key press or its pause runs */
	struct lc_tone_gen dtmf;

	struct kfifo mouth;
	struct kfifo ear;
	struct mutex read_mutex;	/* one reader of the earpiece at a time */
	struct mutex write_mutex;	/* one writer of the mouthpiece */
	wait_queue_head_t wait;
	struct work_struct notify_work;
};

static struct linecard_backend *vp_backend;
static struct vport **vports;
static dev_t vp_devt;
static struct class *vp_class;

static void vp_set_hook(struct vport *v, bool offhook)
{
	lockdep_assert_held(&v->line_lock);
	if (v->offhook == offhook)
		return;
	v->offhook = offhook;
	linecard_port_hook_edge(v->port, offhook, ktime_get());
}

/* Start keying the next DTMF digit.  v->lock held. */
static void vp_dtmf_next(struct vport *v)
{
	struct linecard_tone t = { };
	u16 row, col;

	v->keying = false;
	while (v->dial[0]) {
		char d = v->dial[0];

		memmove(v->dial, v->dial + 1, strlen(v->dial));
		if (lc_dtmf_freqs(d, &row, &col))
			continue;
		t.freq[0].hz = row;
		t.freq[0].dbm0 = -7;
		t.freq[1].hz = col;
		t.freq[1].dbm0 = -5;
		t.step[0].duration_ms = clamp(dtmf_ms, 1U, (unsigned int)LINECARD_STEP_MAX_MS);
		t.step[0].mask = 3;
		t.step[1].duration_ms = clamp(dtmf_gap_ms, 1U, (unsigned int)LINECARD_STEP_MAX_MS);
		t.step[1].mask = 0;
		t.nsteps = 2;
		t.repeat = 1;
		lc_tone_start(&v->dtmf, &t);
		v->keying = true;
		return;
	}
}

static void vp_read_frame(struct linecard_port *port, s16 *mouth)
{
	struct vport *v = linecard_port_priv(port);
	unsigned int got;

	spin_lock(&v->lock);
	got = kfifo_out(&v->mouth, mouth, LINECARD_FRAME_SAMPLES * sizeof(s16));
	memset((u8 *)mouth + got, 0, LINECARD_FRAME_SAMPLES * sizeof(s16) - got);
	if (v->keying && lc_tone_mix(&v->dtmf, mouth, LINECARD_FRAME_SAMPLES))
		vp_dtmf_next(v);
	spin_unlock(&v->lock);
	if (got)
		wake_up_interruptible(&v->wait);
}

static void vp_write_frame(struct linecard_port *port, const s16 *ear)
{
	struct vport *v = linecard_port_priv(port);
	bool woke = false;

	spin_lock(&v->lock);
	if (v->listeners) {
		kfifo_in(&v->ear, ear, LINECARD_FRAME_SAMPLES * sizeof(s16));
		woke = true;
	}
	spin_unlock(&v->lock);
	if (woke)
		wake_up_interruptible(&v->wait);
}

static void vp_set_ring(struct linecard_port *port, bool on)
{
	struct vport *v = linecard_port_priv(port);

	spin_lock(&v->lock);
	if (v->ringing != on) {
		v->ringing = on;
		if (on)
			v->rings++;
		v->ring_log[v->ring_log_n++ % VP_RING_LOG] =
			(ktime_get_ns() & ~1ULL) | on;
	}
	spin_unlock(&v->lock);
	/* sysfs_notify() may sleep; ring changes come from the frame tick. */
	schedule_work(&v->notify_work);
}

static void vp_set_polarity(struct linecard_port *port, u8 polarity)
{
	struct vport *v = linecard_port_priv(port);

	WRITE_ONCE(v->polarity, polarity);
}

static void vp_set_linefeed(struct linecard_port *port, u8 linefeed)
{
	struct vport *v = linecard_port_priv(port);

	WRITE_ONCE(v->linefeed, linefeed);
}

static const struct linecard_port_ops vp_ops = {
	.read_frame = vp_read_frame,
	.write_frame = vp_write_frame,
	.set_ring = vp_set_ring,
	.set_polarity = vp_set_polarity,
	.set_linefeed = vp_set_linefeed,
};

static void vp_notify_work(struct work_struct *work)
{
	struct vport *v = container_of(work, struct vport, notify_work);

	sysfs_notify(&v->dev.kobj, NULL, "ring");
}

static unsigned int vp_pulses(char d)
{
	return d == '0' ? 10 : d - '0';
}

/* The hook switch of a rotary dial: break, make, ..., pause. */
static enum hrtimer_restart vp_pulse_fire(struct hrtimer *t)
{
	struct vport *v = container_of(t, struct vport, pulse_timer);
	u32 next_ms = 0;

	spin_lock(&v->line_lock);
	switch (v->phase) {
	case VP_PULSE_BREAK:
		vp_set_hook(v, true);
		if (++v->pulses_done < vp_pulses(v->pulse[0])) {
			v->phase = VP_PULSE_MAKE;
			next_ms = pulse_make_ms;
			break;
		}
		memmove(v->pulse, v->pulse + 1, strlen(v->pulse));
		v->pulses_done = 0;
		v->phase = v->pulse[0] ? VP_PULSE_MAKE : VP_PULSE_IDLE;
		next_ms = v->pulse[0] ? pulse_gap_ms : 0;
		break;
	case VP_PULSE_MAKE:
		vp_set_hook(v, false);
		v->phase = VP_PULSE_BREAK;
		next_ms = pulse_break_ms;
		break;
	case VP_PULSE_IDLE:
		break;
	}
	if (next_ms)
		hrtimer_forward(t, hrtimer_get_expires(t), ms_to_ktime(next_ms));
	spin_unlock(&v->line_lock);
	return next_ms ? HRTIMER_RESTART : HRTIMER_NORESTART;
}

static enum hrtimer_restart vp_flash_fire(struct hrtimer *t)
{
	struct vport *v = container_of(t, struct vport, flash_timer);

	spin_lock(&v->line_lock);
	vp_set_hook(v, true);
	spin_unlock(&v->line_lock);
	return HRTIMER_NORESTART;
}

static void vp_cancel_line_timers(struct vport *v)
{
	hrtimer_cancel(&v->pulse_timer);
	hrtimer_cancel(&v->flash_timer);
	spin_lock_bh(&v->line_lock);
	v->pulse[0] = '\0';
	v->phase = VP_PULSE_IDLE;
	v->pulses_done = 0;
	spin_unlock_bh(&v->line_lock);
}

/* sysfs */

static struct vport *to_vport(struct device *dev)
{
	return container_of(dev, struct vport, dev);
}

static ssize_t hook_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(to_vport(dev)->offhook) ? "off" : "on");
}

static ssize_t hook_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct vport *v = to_vport(dev);
	unsigned int ms = 300;

	if (sysfs_streq(buf, "off") || sysfs_streq(buf, "on")) {
		vp_cancel_line_timers(v);
		spin_lock_bh(&v->line_lock);
		vp_set_hook(v, buf[1] == 'f');
		spin_unlock_bh(&v->line_lock);
		return count;
	}
	if (!strncmp(buf, "flash", 5)) {
		if (buf[5] && !sysfs_streq(buf, "flash") &&
		    (kstrtouint(buf + 5 + (buf[5] == ' '), 10, &ms) || !ms ||
		     ms > LINECARD_CFG_MAX_MS))
			return -EINVAL;
		vp_cancel_line_timers(v);
		spin_lock_bh(&v->line_lock);
		if (!v->offhook) {
			spin_unlock_bh(&v->line_lock);
			return -EPIPE;
		}
		vp_set_hook(v, false);
		hrtimer_start(&v->flash_timer, ms_to_ktime(ms), HRTIMER_MODE_REL_SOFT);
		spin_unlock_bh(&v->line_lock);
		return count;
	}
	return -EINVAL;
}
static DEVICE_ATTR_RW(hook);

/* Append @buf's digits to @queue after checking each against @valid. */
static int vp_queue_digits(char *queue, const char *buf, size_t count,
			   const char *valid)
{
	size_t len = strlen(queue);
	size_t i;

	for (i = 0; i < count; i++) {
		if (buf[i] == '\n' && i == count - 1)
			break;
		if (!strchr(valid, buf[i]) || !buf[i])
			return -EINVAL;
	}
	if (len + i > VP_DIAL_MAX)
		return -ENOSPC;
	memcpy(queue + len, buf, i);
	queue[len + i] = '\0';
	return 0;
}

static ssize_t dial_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct vport *v = to_vport(dev);
	ssize_t n;

	spin_lock_bh(&v->lock);
	n = sysfs_emit(buf, "%s\n", v->dial);
	spin_unlock_bh(&v->lock);
	return n;
}

static ssize_t dial_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct vport *v = to_vport(dev);
	int ret;

	spin_lock_bh(&v->lock);
	ret = vp_queue_digits(v->dial, buf, count, "0123456789*#ABCD");
	if (!ret && !v->keying)
		vp_dtmf_next(v);
	spin_unlock_bh(&v->lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(dial);

static ssize_t pulse_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct vport *v = to_vport(dev);
	ssize_t n;

	spin_lock_bh(&v->line_lock);
	n = sysfs_emit(buf, "%s\n", v->pulse);
	spin_unlock_bh(&v->line_lock);
	return n;
}

static ssize_t pulse_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct vport *v = to_vport(dev);
	int ret;

	spin_lock_bh(&v->line_lock);
	if (!v->offhook) {
		ret = -EPIPE;
	} else {
		ret = vp_queue_digits(v->pulse, buf, count, "0123456789");
		if (!ret && v->phase == VP_PULSE_IDLE && v->pulse[0]) {
			/* Start with a break, as a dial leaving its rest does. */
			v->phase = VP_PULSE_BREAK;
			vp_set_hook(v, false);
			hrtimer_start(&v->pulse_timer, ms_to_ktime(pulse_break_ms),
				      HRTIMER_MODE_REL_SOFT);
		}
	}
	spin_unlock_bh(&v->line_lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(pulse);

static ssize_t ring_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_vport(dev)->ringing));
}
static DEVICE_ATTR_RO(ring);

static ssize_t rings_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(to_vport(dev)->rings));
}
static DEVICE_ATTR_RO(rings);

static ssize_t ring_log_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct vport *v = to_vport(dev);
	unsigned int i, first;
	ssize_t n = 0;

	spin_lock_bh(&v->lock);
	first = v->ring_log_n > VP_RING_LOG ? v->ring_log_n - VP_RING_LOG : 0;
	for (i = first; i < v->ring_log_n; i++) {
		u64 e = v->ring_log[i % VP_RING_LOG];

		n += sysfs_emit_at(buf, n, "%llu %s\n", e & ~1ULL, e & 1 ? "on" : "off");
	}
	spin_unlock_bh(&v->lock);
	return n;
}
static DEVICE_ATTR_RO(ring_log);

static ssize_t polarity_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(to_vport(dev)->polarity) ?
			  "reverse" : "normal");
}
static DEVICE_ATTR_RO(polarity);

static ssize_t linefeed_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	static const char * const names[] = { "active", "open", "standby" };
	u8 feed = READ_ONCE(to_vport(dev)->linefeed);

	return sysfs_emit(buf, "%s\n", feed < ARRAY_SIZE(names) ? names[feed] : "?");
}
static DEVICE_ATTR_RO(linefeed);

static ssize_t line_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", linecard_port_index(to_vport(dev)->port));
}
static DEVICE_ATTR_RO(line);

static struct attribute *vp_attrs[] = {
	&dev_attr_hook.attr,
	&dev_attr_dial.attr,
	&dev_attr_pulse.attr,
	&dev_attr_ring.attr,
	&dev_attr_rings.attr,
	&dev_attr_ring_log.attr,
	&dev_attr_polarity.attr,
	&dev_attr_linefeed.attr,
	&dev_attr_line.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vp);

/* /dev/vphoneN: the earpiece and the mouthpiece */

static int vp_open(struct inode *inode, struct file *file)
{
	struct vport *v = container_of(inode->i_cdev, struct vport, cdev);

	file->private_data = v;
	if (file->f_mode & FMODE_READ) {
		spin_lock_bh(&v->lock);
		if (!v->listeners++)
			kfifo_reset(&v->ear);
		spin_unlock_bh(&v->lock);
	}
	return stream_open(inode, file);
}

static int vp_release(struct inode *inode, struct file *file)
{
	struct vport *v = file->private_data;

	if (file->f_mode & FMODE_READ) {
		spin_lock_bh(&v->lock);
		v->listeners--;
		spin_unlock_bh(&v->lock);
	}
	return 0;
}

static ssize_t vp_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct vport *v = file->private_data;
	unsigned int copied;
	int ret;

	if (count & 1)
		return -EINVAL;
	if (!count)
		return 0;
	if (mutex_lock_interruptible(&v->read_mutex))
		return -ERESTARTSYS;
	while (kfifo_len(&v->ear) < 2) {
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(v->wait, kfifo_len(&v->ear) >= 2);
		if (ret)
			goto out;
	}
	ret = kfifo_to_user(&v->ear, buf, min_t(size_t, count, kfifo_len(&v->ear) & ~1U),
			    &copied);
	if (!ret)
		ret = copied;
out:
	mutex_unlock(&v->read_mutex);
	return ret;
}

static ssize_t vp_write(struct file *file, const char __user *buf, size_t count,
			loff_t *ppos)
{
	struct vport *v = file->private_data;
	unsigned int copied;
	int ret;

	if (count & 1)
		return -EINVAL;
	if (!count)
		return 0;
	if (mutex_lock_interruptible(&v->write_mutex))
		return -ERESTARTSYS;
	while (kfifo_avail(&v->mouth) < 2) {
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(v->wait, kfifo_avail(&v->mouth) >= 2);
		if (ret)
			goto out;
	}
	ret = kfifo_from_user(&v->mouth, buf,
			      min_t(size_t, count, kfifo_avail(&v->mouth) & ~1U), &copied);
	if (!ret)
		ret = copied;
out:
	mutex_unlock(&v->write_mutex);
	return ret;
}

static __poll_t vp_poll(struct file *file, poll_table *wait)
{
	struct vport *v = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &v->wait, wait);
	if (kfifo_len(&v->ear) >= 2)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (kfifo_avail(&v->mouth) >= 2)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static const struct file_operations vp_fops = {
	.owner = THIS_MODULE,
	.open = vp_open,
	.release = vp_release,
	.read = vp_read,
	.write = vp_write,
	.poll = vp_poll,
	.llseek = no_llseek,
};

static void vp_release_dev(struct device *dev)
{
	struct vport *v = to_vport(dev);

	kfifo_free(&v->mouth);
	kfifo_free(&v->ear);
	kfree(v);
}

static struct vport *vp_create(unsigned int id, struct linecard_port *port)
{
	struct vport *v;
	int ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	if (kfifo_alloc(&v->mouth, VP_FIFO_BYTES, GFP_KERNEL))
		goto err_free;
	if (kfifo_alloc(&v->ear, VP_FIFO_BYTES, GFP_KERNEL))
		goto err_mouth;
	v->id = id;
	v->port = port;
	spin_lock_init(&v->line_lock);
	spin_lock_init(&v->lock);
	mutex_init(&v->read_mutex);
	mutex_init(&v->write_mutex);
	init_waitqueue_head(&v->wait);
	INIT_WORK(&v->notify_work, vp_notify_work);
	hrtimer_init(&v->pulse_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	v->pulse_timer.function = vp_pulse_fire;
	hrtimer_init(&v->flash_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	v->flash_timer.function = vp_flash_fire;

	device_initialize(&v->dev);
	v->dev.class = vp_class;
	v->dev.groups = vp_groups;
	v->dev.devt = MKDEV(MAJOR(vp_devt), id);
	v->dev.release = vp_release_dev;
	dev_set_name(&v->dev, "vphone%u", id);
	cdev_init(&v->cdev, &vp_fops);
	v->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&v->cdev, &v->dev);
	if (ret) {
		put_device(&v->dev);
		return ERR_PTR(ret);
	}
	return v;

err_mouth:
	kfifo_free(&v->mouth);
err_free:
	kfree(v);
	return ERR_PTR(-ENOMEM);
}

/*
 * Handsets leave first (no sysfs write or timer can reach the core after
 * that), then the ports, then the handsets' memory: the frame tick uses
 * it until the backend is gone.
 */
static void vp_teardown(void)
{
	unsigned int i;

	for (i = 0; i < ports; i++) {
		if (!vports[i])
			continue;
		cdev_device_del(&vports[i]->cdev, &vports[i]->dev);
		vp_cancel_line_timers(vports[i]);
	}
	linecard_backend_unregister(vp_backend);
	for (i = 0; i < ports; i++) {
		if (!vports[i])
			continue;
		cancel_work_sync(&vports[i]->notify_work);
		put_device(&vports[i]->dev);
	}
}

static int __init vp_init(void)
{
	unsigned int i;
	int ret;

	if (!ports || ports > LINECARD_MAX_PORTS) {
		pr_err("ports=%u: must be 1 to %u\n", ports, LINECARD_MAX_PORTS);
		return -EINVAL;
	}
	vports = kcalloc(ports, sizeof(*vports), GFP_KERNEL);
	if (!vports)
		return -ENOMEM;
	ret = alloc_chrdev_region(&vp_devt, 0, ports, "vphone");
	if (ret)
		goto err_free;
	vp_class = class_create(THIS_MODULE, "vphone");
	if (IS_ERR(vp_class)) {
		ret = PTR_ERR(vp_class);
		goto err_region;
	}

	/* The ports do not tick before linecard_backend_start(). */
	vp_backend = linecard_backend_register("vport", &vp_ops, ports);
	if (IS_ERR(vp_backend)) {
		ret = PTR_ERR(vp_backend);
		goto err_class;
	}
	for (i = 0; i < ports; i++) {
		struct linecard_port *port = linecard_backend_port(vp_backend, i);
		struct vport *v = vp_create(i, port);

		if (IS_ERR(v)) {
			ret = PTR_ERR(v);
			vp_teardown();
			goto err_class;
		}
		vports[i] = v;
		linecard_port_set_priv(port, v);
	}
	ret = linecard_backend_start(vp_backend);
	if (ret) {
		vp_teardown();
		goto err_class;
	}
	return 0;

err_class:
	class_destroy(vp_class);
err_region:
	unregister_chrdev_region(vp_devt, ports);
err_free:
	kfree(vports);
	return ret;
}

static void __exit vp_exit(void)
{
	vp_teardown();
	class_destroy(vp_class);
	unregister_chrdev_region(vp_devt, ports);
	kfree(vports);
}

module_init(vp_init);
module_exit(vp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("linecard virtual ports with scriptable handsets");

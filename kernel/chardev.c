// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/lineN: line control ioctls, events, and raw PCM while no stream owns
 * the port.  The PCM FIFOs have one producer and one consumer each: the
 * frame tick (under port->lock) on one side, and read() or write() (under
 * read_mutex or write_mutex) on the other.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"

static dev_t lc_devt;

static char *lc_devnode(struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0660;
	return NULL;
}

static struct class lc_class = {
	.name = "linecard",
	.devnode = lc_devnode,
};

static int lc_open(struct inode *inode, struct file *file)
{
	struct linecard_port *port =
		container_of(inode->i_cdev, struct linecard_port, cdev);
	struct lc_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	INIT_KFIFO(f->events);
	f->port = port;

	spin_lock_bh(&port->lock);
	if (port->removed) {
		spin_unlock_bh(&port->lock);
		kfree(f);
		return -ENODEV;
	}
	get_device(&port->dev);
	list_add_tail(&f->node, &port->files);
	if (file->f_mode & FMODE_READ) {
		/* A first reader hears the line from now on, not stale audio. */
		if (!port->readers++)
			kfifo_reset(&port->mouth_fifo);
	}
	spin_unlock_bh(&port->lock);

	file->private_data = f;
	return stream_open(inode, file);
}

static int lc_release(struct inode *inode, struct file *file)
{
	struct lc_file *f = file->private_data;
	struct linecard_port *port = f->port;

	spin_lock_bh(&port->lock);
	list_del(&f->node);
	if (file->f_mode & FMODE_READ)
		port->readers--;
	spin_unlock_bh(&port->lock);
	put_device(&port->dev);
	kfree(f);
	return 0;
}

/* Why PCM cannot move now, or 0 if it can. */
static int lc_pcm_state(struct linecard_port *port)
{
	int ret = 0;

	spin_lock_bh(&port->lock);
	if (port->removed)
		ret = -ENODEV;
	else if (port->stream)
		ret = -EBUSY;
	spin_unlock_bh(&port->lock);
	return ret;
}

static ssize_t lc_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos)
{
	struct lc_file *f = file->private_data;
	struct linecard_port *port = f->port;
	unsigned int copied;
	int ret;

	if (count & 1)
		return -EINVAL;
	if (!count)
		return 0;

	if (mutex_lock_interruptible(&port->read_mutex))
		return -ERESTARTSYS;
	for (;;) {
		ret = lc_pcm_state(port);
		if (ret)
			goto out;
		if (kfifo_len(&port->mouth_fifo) >= 2)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(port->wait,
					       kfifo_len(&port->mouth_fifo) >= 2 ||
					       READ_ONCE(port->removed) ||
					       READ_ONCE(port->stream));
		if (ret)
			goto out;
	}
	ret = kfifo_to_user(&port->mouth_fifo, buf,
			    min_t(size_t, count, kfifo_len(&port->mouth_fifo) & ~1U),
			    &copied);
	if (!ret)
		ret = copied;
out:
	mutex_unlock(&port->read_mutex);
	return ret;
}

static ssize_t lc_write(struct file *file, const char __user *buf,
			size_t count, loff_t *ppos)
{
	struct lc_file *f = file->private_data;
	struct linecard_port *port = f->port;
	unsigned int copied;
	int ret;

	if (count & 1)
		return -EINVAL;
	if (!count)
		return 0;

	if (mutex_lock_interruptible(&port->write_mutex))
		return -ERESTARTSYS;
	for (;;) {
		ret = lc_pcm_state(port);
		if (ret)
			goto out;
		if (kfifo_avail(&port->ear_fifo) >= 2)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(port->wait,
					       kfifo_avail(&port->ear_fifo) >= 2 ||
					       READ_ONCE(port->removed) ||
					       READ_ONCE(port->stream));
		if (ret)
			goto out;
	}
	ret = kfifo_from_user(&port->ear_fifo, buf,
			      min_t(size_t, count, kfifo_avail(&port->ear_fifo) & ~1U),
			      &copied);
	if (!ret)
		ret = copied;
out:
	mutex_unlock(&port->write_mutex);
	return ret;
}

static __poll_t lc_poll(struct file *file, poll_table *wait)
{
	struct lc_file *f = file->private_data;
	struct linecard_port *port = f->port;
	__poll_t mask = 0;

	poll_wait(file, &port->wait, wait);

	spin_lock_bh(&port->lock);
	if (port->removed) {
		mask = EPOLLHUP | EPOLLERR;
	} else {
		if (!kfifo_is_empty(&f->events) || f->lost)
			mask |= EPOLLPRI;
		if (!port->stream) {
			if (kfifo_len(&port->mouth_fifo) >= 2)
				mask |= EPOLLIN | EPOLLRDNORM;
			if (kfifo_avail(&port->ear_fifo) >= 2)
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	spin_unlock_bh(&port->lock);
	return mask;
}

static void lc_fill_info(struct lc_file *f, struct linecard_port_info *info)
{
	struct linecard_port *port = f->port;

	memset(info, 0, sizeof(*info));
	info->index = port->index;
	snprintf(info->name, sizeof(info->name), "line%u", port->index);
	strscpy(info->backend, port->backend_name, sizeof(info->backend));
	info->hook = port->hook_state;
	info->polarity = port->polarity;
	info->linefeed = port->linefeed;
	info->tone = lc_tone_active(&port->tone);
	if (port->stream)
		info->flags |= LINECARD_PORT_F_STREAM;
	if (port->ringing)
		info->flags |= LINECARD_PORT_F_RINGING;
	if (port->removed)
		info->flags |= LINECARD_PORT_F_REMOVED;
	info->events = f->queued;
	info->events_lost = f->lost_total;
	info->pcm_overruns = port->stats.pcm_overruns;
	info->pcm_underruns = port->stats.pcm_underruns;
}

union lc_ioctl_arg {
	struct linecard_ring ring;
	struct linecard_ring_cid ring_cid;
	struct linecard_tone tone;
	u32 val;
};

/* A validated line-control request, with port->lock held. */
static long lc_ioctl_locked(struct lc_file *f, unsigned int cmd,
			    const union lc_ioctl_arg *arg)
{
	struct linecard_port *port = f->port;

	switch (cmd) {
	case LINECARD_IOC_RING:
		if (port->hook_state == LINECARD_HOOK_OFF)
			return -EBUSY;
		lc_fsk_stop(&port->cid);
		lc_cadence_start(&port->ring, arg->ring.step, arg->ring.nsteps,
				 arg->ring.repeat, 1);
		port->stats.rings++;
		return 0;
	case LINECARD_IOC_RING_CID:
		if (port->hook_state == LINECARD_HOOK_OFF)
			return -EBUSY;
		/* Sent when the first burst ends: see lc_port_ring_frame(). */
		lc_fsk_arm(&port->cid, &arg->ring_cid);
		lc_cadence_start(&port->ring, arg->ring_cid.ring.step,
				 arg->ring_cid.ring.nsteps, arg->ring_cid.ring.repeat, 1);
		port->stats.rings++;
		return 0;
	case LINECARD_IOC_RING_STOP:
		lc_port_stop_ring(port);
		return 0;
	case LINECARD_IOC_TONE_PLAY:
		/* It would be mixed into the caller ID message and spoil it. */
		if (lc_fsk_armed(&port->cid) || lc_fsk_busy(&port->cid))
			return -EBUSY;
		lc_tone_start(&port->tone, &arg->tone);
		return 0;
	case LINECARD_IOC_TONE_STOP:
		lc_tone_stop(&port->tone);
		return 0;
	case LINECARD_IOC_SET_POLARITY:
		port->polarity = arg->val;
		if (port->backend->ops->set_polarity)
			port->backend->ops->set_polarity(port, arg->val);
		return 0;
	case LINECARD_IOC_SET_LINEFEED:
		port->linefeed = arg->val;
		if (port->backend->ops->set_linefeed)
			port->backend->ops->set_linefeed(port, arg->val);
		return 0;
	}
	return -ENOTTY;
}

static long lc_ioctl(struct file *file, unsigned int cmd, unsigned long uarg)
{
	struct lc_file *f = file->private_data;
	struct linecard_port *port = f->port;
	void __user *argp = (void __user *)uarg;
	union lc_ioctl_arg arg;
	long ret;

	switch (cmd) {
	case LINECARD_IOC_GET_INFO: {
		struct linecard_port_info info;

		spin_lock_bh(&port->lock);
		lc_fill_info(f, &info);
		spin_unlock_bh(&port->lock);
		return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case LINECARD_IOC_GET_EVENT: {
		struct linecard_event ev;

		spin_lock_bh(&port->lock);
		if (kfifo_get(&f->events, &ev)) {
			ret = 0;
		} else if (f->lost) {
			/* The queue drained while events were being lost. */
			memset(&ev, 0, sizeof(ev));
			ev.type = LINECARD_EV_OVERFLOW;
			ev.port = port->index;
			ev.timestamp_ns = ktime_get_ns();
			ev.value = min_t(u64, f->lost, U32_MAX);
			f->lost = 0;
			ret = 0;
		} else {
			ret = port->removed ? -ENODEV : -EAGAIN;
		}
		spin_unlock_bh(&port->lock);
		if (ret)
			return ret;
		return copy_to_user(argp, &ev, sizeof(ev)) ? -EFAULT : 0;
	}
	case LINECARD_IOC_RING:
	case LINECARD_IOC_RING_CID:
	case LINECARD_IOC_TONE_PLAY:
	case LINECARD_IOC_SET_POLARITY:
	case LINECARD_IOC_SET_LINEFEED:
		if (copy_from_user(&arg, argp, _IOC_SIZE(cmd)))
			return -EFAULT;
		fallthrough;
	case LINECARD_IOC_RING_STOP:
	case LINECARD_IOC_TONE_STOP:
		break;
	default:
		return -ENOTTY;
	}

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;

	switch (cmd) {
	case LINECARD_IOC_RING:
		ret = lc_ring_validate(&arg.ring);
		break;
	case LINECARD_IOC_RING_CID:
		ret = lc_fsk_validate(&arg.ring_cid);
		break;
	case LINECARD_IOC_TONE_PLAY:
		ret = lc_tone_validate(&arg.tone);
		break;
	case LINECARD_IOC_SET_POLARITY:
		ret = arg.val > LINECARD_POLARITY_REVERSE ? -EINVAL : 0;
		break;
	case LINECARD_IOC_SET_LINEFEED:
		ret = arg.val > LINECARD_LINEFEED_MAX ? -EINVAL : 0;
		break;
	default:
		ret = 0;
	}
	if (ret)
		return ret;

	spin_lock_bh(&port->lock);
	if (port->removed || !port->backend->started)
		ret = -ENODEV;
	else
		ret = lc_ioctl_locked(f, cmd, &arg);
	spin_unlock_bh(&port->lock);
	return ret;
}

static const struct file_operations lc_fops = {
	.owner = THIS_MODULE,
	.open = lc_open,
	.release = lc_release,
	.read = lc_read,
	.write = lc_write,
	.poll = lc_poll,
	.unlocked_ioctl = lc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

int lc_chardev_add(struct linecard_port *port)
{
	port->dev.class = &lc_class;
	port->dev.devt = MKDEV(MAJOR(lc_devt), port->index);
	dev_set_name(&port->dev, "line%u", port->index);
	cdev_init(&port->cdev, &lc_fops);
	port->cdev.owner = THIS_MODULE;
	return cdev_device_add(&port->cdev, &port->dev);
}

void lc_chardev_del(struct linecard_port *port)
{
	cdev_device_del(&port->cdev, &port->dev);
}

int lc_chardev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&lc_devt, 0, LINECARD_MAX_PORTS, "line");
	if (ret)
		return ret;
	ret = class_register(&lc_class);
	if (ret)
		unregister_chrdev_region(lc_devt, LINECARD_MAX_PORTS);
	return ret;
}

void lc_chardev_uninit(void)
{
	class_unregister(&lc_class);
	unregister_chrdev_region(lc_devt, LINECARD_MAX_PORTS);
}

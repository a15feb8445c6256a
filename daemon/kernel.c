// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "kernel.h"

/* libnl's error codes, as errno values for the rest of the daemon. */
static int nl_errno(int nle)
{
	switch (-nle) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_INTR:
		return -EINTR;
	default:
		return -EIO;
	}
}

int lc_kernel_open(struct lc_kernel *k, char *err, size_t errlen)
{
	int ret, grp;

	memset(k, 0, sizeof(*k));
	k->cmd = nl_socket_alloc();
	k->ev = nl_socket_alloc();
	if (!k->cmd || !k->ev) {
		snprintf(err, errlen, "netlink: out of memory");
		ret = -NLE_NOMEM;
		goto out;
	}
	ret = genl_connect(k->cmd);
	if (ret < 0) {
		snprintf(err, errlen, "netlink: %s", nl_geterror(ret));
		goto out;
	}
	k->family = genl_ctrl_resolve(k->cmd, LINECARD_GENL_NAME);
	if (k->family < 0) {
		ret = k->family;
		snprintf(err, errlen, "generic netlink family '%s' not found: is linecard.ko loaded?",
			 LINECARD_GENL_NAME);
		goto out;
	}
	grp = genl_ctrl_resolve_grp(k->cmd, LINECARD_GENL_NAME, LINECARD_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		ret = grp;
		snprintf(err, errlen, "netlink group '%s': %s", LINECARD_GENL_MCGRP_EVENTS,
			 nl_geterror(grp));
		goto out;
	}
	ret = genl_connect(k->ev);
	if (!ret)
		ret = nl_socket_add_membership(k->ev, grp);
	if (!ret)
		ret = nl_socket_set_nonblocking(k->ev);
	if (ret < 0) {
		snprintf(err, errlen, "netlink events: %s", nl_geterror(ret));
		goto out;
	}
	/* Notifications carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(k->ev);
	fcntl(nl_socket_get_fd(k->cmd), F_SETFD, FD_CLOEXEC);
	fcntl(nl_socket_get_fd(k->ev), F_SETFD, FD_CLOEXEC);
	return 0;
out:
	lc_kernel_close(k);
	return nl_errno(ret);
}

void lc_kernel_close(struct lc_kernel *k)
{
	nl_socket_free(k->cmd);
	nl_socket_free(k->ev);
	k->cmd = NULL;
	k->ev = NULL;
}

int lc_kernel_event_fd(const struct lc_kernel *k)
{
	return nl_socket_get_fd(k->ev);
}

struct drain {
	lc_kernel_event_fn fn;
	void *arg;
	int family;
	int count;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct linecard_event ev = { 0 };
	struct drain *d = arg;
	struct genlmsghdr *gh;

	if (nlh->nlmsg_type != d->family || !genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	gh = nlmsg_data(nlh);
	if (gh->cmd != LINECARD_CMD_EVENT)
		return NL_SKIP;
	/* Sizes are checked here: a short attribute is not read past. */
	if (genlmsg_parse(nlh, 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_EVENT_TYPE] || !tb[LINECARD_A_PORT_INDEX] ||
	    nla_len(tb[LINECARD_A_EVENT_TYPE]) < 4 || nla_len(tb[LINECARD_A_PORT_INDEX]) < 4)
		return NL_SKIP;
	ev.type = nla_get_u32(tb[LINECARD_A_EVENT_TYPE]);
	ev.port = nla_get_u32(tb[LINECARD_A_PORT_INDEX]);
	if (tb[LINECARD_A_EVENT_TIMESTAMP] && nla_len(tb[LINECARD_A_EVENT_TIMESTAMP]) >= 8)
		ev.timestamp_ns = nla_get_u64(tb[LINECARD_A_EVENT_TIMESTAMP]);
	if (tb[LINECARD_A_EVENT_DIGIT] && nla_len(tb[LINECARD_A_EVENT_DIGIT]) >= 1)
		ev.digit = nla_get_u8(tb[LINECARD_A_EVENT_DIGIT]);
	if (tb[LINECARD_A_EVENT_SOURCE] && nla_len(tb[LINECARD_A_EVENT_SOURCE]) >= 1)
		ev.source = nla_get_u8(tb[LINECARD_A_EVENT_SOURCE]);
	if (tb[LINECARD_A_EVENT_DURATION] && nla_len(tb[LINECARD_A_EVENT_DURATION]) >= 4)
		ev.duration_ms = nla_get_u32(tb[LINECARD_A_EVENT_DURATION]);
	if (tb[LINECARD_A_EVENT_VALUE] && nla_len(tb[LINECARD_A_EVENT_VALUE]) >= 4)
		ev.value = nla_get_u32(tb[LINECARD_A_EVENT_VALUE]);
	d->count++;
	d->fn(d->arg, &ev);
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int lc_kernel_drain(struct lc_kernel *k, lc_kernel_event_fn fn, void *arg)
{
	struct drain d = { .fn = fn, .arg = arg, .family = k->family };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &d);
	/* Notifications carry sequence number 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	for (;;) {
		ret = nl_recvmsgs(k->ev, cb);
		if (ret < 0)
			break;
	}
	nl_cb_put(cb);
	/* libnl reports the socket's ENOBUFS (lost notifications) as this. */
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	ret = nl_errno(ret);
	if (ret == -EAGAIN)
		return d.count;
	return ret;
}

int lc_line_open(unsigned int index)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/line%u", index);
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int line_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int lc_line_info(int fd, struct linecard_port_info *info)
{
	memset(info, 0, sizeof(*info));
	return line_ioctl(fd, LINECARD_IOC_GET_INFO, info);
}

int lc_line_event(int fd, struct linecard_event *ev)
{
	return line_ioctl(fd, LINECARD_IOC_GET_EVENT, ev);
}

int lc_line_tone(int fd, const struct linecard_tone *tone)
{
	return line_ioctl(fd, LINECARD_IOC_TONE_PLAY, (void *)tone);
}

int lc_line_tone_stop(int fd)
{
	return line_ioctl(fd, LINECARD_IOC_TONE_STOP, NULL);
}

int lc_line_ring(int fd, const struct linecard_ring *ring)
{
	return line_ioctl(fd, LINECARD_IOC_RING, (void *)ring);
}

int lc_line_ring_stop(int fd)
{
	return line_ioctl(fd, LINECARD_IOC_RING_STOP, NULL);
}

const char *lc_event_name(unsigned int type)
{
	static const char *const names[] = {
		[LINECARD_EV_NONE] = "none",
		[LINECARD_EV_OFFHOOK] = "offhook",
		[LINECARD_EV_ONHOOK] = "onhook",
		[LINECARD_EV_FLASH] = "flash",
		[LINECARD_EV_DIGIT] = "digit",
		[LINECARD_EV_TONE_DONE] = "tone-done",
		[LINECARD_EV_RING_DONE] = "ring-done",
		[LINECARD_EV_PORT_ADD] = "port-add",
		[LINECARD_EV_PORT_REMOVE] = "port-remove",
		[LINECARD_EV_OVERFLOW] = "overflow",
		[LINECARD_EV_TELEPHONE_EVENT] = "telephone-event",
		[LINECARD_EV_STREAM_TIMEOUT] = "stream-timeout",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

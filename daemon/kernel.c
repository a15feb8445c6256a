// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>

#include "kernel.h"
#include "nlcall.h"

/* libnl's error codes, as errno values for the rest of the daemon. */

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
	return lc_nl_errno(ret);
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
	ret = lc_nl_errno(ret);
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

int lc_line_ring_cid(int fd, const struct linecard_ring *ring, unsigned int standard,
		     const uint8_t *msg, size_t len)
{
	struct linecard_ring_cid rc;

	if (len < 3 || len > LINECARD_CID_MAX_MSG)
		return -EINVAL;
	memset(&rc, 0, sizeof(rc));
	rc.ring = *ring;
	rc.standard = (uint8_t)standard;
	rc.len = (uint16_t)len;
	memcpy(rc.msg, msg, len);
	return line_ioctl(fd, LINECARD_IOC_RING_CID, &rc);
}

/* --- commands -------------------------------------------------------------- */

static struct nl_msg *request(struct lc_kernel *k, int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, k->family, 0, NLM_F_ACK, cmd,
				LINECARD_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int put_addr(struct nl_msg *msg, int type, const struct sockaddr_storage *ss)
{
	size_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		     sizeof(struct sockaddr_in);

	return nla_put(msg, type, (int)len, ss);
}

struct new_reply {
	unsigned int *id;
	struct sockaddr_storage *local;
};

static int parse_new(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct new_reply *nr = arg;
	struct nlattr *a;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_STREAM_ID] || nla_len(tb[LINECARD_A_STREAM_ID]) < 4)
		return NL_SKIP;
	*nr->id = nla_get_u32(tb[LINECARD_A_STREAM_ID]);
	a = tb[LINECARD_A_STREAM_LOCAL];
	if (a && nr->local && nla_len(a) <= (int)sizeof(*nr->local)) {
		memset(nr->local, 0, sizeof(*nr->local));
		memcpy(nr->local, nla_data(a), nla_len(a));
	}
	return NL_OK;
}

int lc_stream_new(struct lc_kernel *k, const struct lc_stream_req *q, unsigned int *id,
		  struct sockaddr_storage *local, char *err, size_t errlen)
{
	struct new_reply nr = { .id = id, .local = local };
	struct lc_nl_reply r = { .err = err, .errlen = errlen, .parse = parse_new, .arg = &nr };
	struct nl_msg *msg = request(k, LINECARD_CMD_STREAM_NEW);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, LINECARD_A_PORT_INDEX, q->port) ||
	    put_addr(msg, LINECARD_A_STREAM_LOCAL, &q->local) ||
	    (q->remote.ss_family != AF_UNSPEC &&
	     put_addr(msg, LINECARD_A_STREAM_REMOTE, &q->remote)) ||
	    nla_put_u8(msg, LINECARD_A_STREAM_CODEC, (uint8_t)q->codec) ||
	    nla_put_u8(msg, LINECARD_A_STREAM_PT, (uint8_t)q->pt) ||
	    nla_put_u16(msg, LINECARD_A_STREAM_PTIME, (uint16_t)q->ptime) ||
	    (q->te_pt >= 0 && nla_put_u8(msg, LINECARD_A_STREAM_TEL_EVENT_PT, (uint8_t)q->te_pt)) ||
	    nla_put_u8(msg, LINECARD_A_STREAM_DIRECTION, (uint8_t)q->dir) ||
	    (q->timeout_ms && nla_put_u32(msg, LINECARD_A_STREAM_TIMEOUT, q->timeout_ms))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lc_nl_call(k->cmd, msg, &r);
}

int lc_stream_set(struct lc_kernel *k, unsigned int id, const struct sockaddr_storage *remote,
		  int dir, int te_pt, int timeout_ms, char *err, size_t errlen)
{
	struct lc_nl_reply r = { .err = err, .errlen = errlen };
	struct nl_msg *msg = request(k, LINECARD_CMD_STREAM_SET);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, LINECARD_A_STREAM_ID, id) ||
	    (remote && put_addr(msg, LINECARD_A_STREAM_REMOTE, remote)) ||
	    (dir >= 0 && nla_put_u8(msg, LINECARD_A_STREAM_DIRECTION, (uint8_t)dir)) ||
	    (te_pt >= 0 && nla_put_u8(msg, LINECARD_A_STREAM_TEL_EVENT_PT, (uint8_t)te_pt)) ||
	    (timeout_ms >= 0 &&
	     nla_put_u32(msg, LINECARD_A_STREAM_TIMEOUT, (uint32_t)timeout_ms))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lc_nl_call(k->cmd, msg, &r);
}

int lc_stream_del(struct lc_kernel *k, unsigned int id)
{
	struct lc_nl_reply r = { 0 };
	struct nl_msg *msg = request(k, LINECARD_CMD_STREAM_DEL);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, LINECARD_A_STREAM_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lc_nl_call(k->cmd, msg, &r);
}

int lc_stream_send_event(struct lc_kernel *k, unsigned int id, unsigned int code)
{
	struct lc_nl_reply r = { 0 };
	struct nl_msg *msg = request(k, LINECARD_CMD_STREAM_SET);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, LINECARD_A_STREAM_ID, id) ||
	    nla_put_u8(msg, LINECARD_A_STREAM_SEND_EVENT, (uint8_t)code)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lc_nl_call(k->cmd, msg, &r);
}

static uint64_t nest_u64(struct nlattr **st, int type)
{
	return st[type] && nla_len(st[type]) >= 8 ? nla_get_u64(st[type]) : 0;
}

/* An address attribute as the kernel sends it; AF_UNSPEC when absent or short. */
static void get_addr(const struct nlattr *a, struct sockaddr_storage *ss)
{
	int len = a ? nla_len(a) : 0;

	memset(ss, 0, sizeof(*ss));
	if (len >= (int)sizeof(struct sockaddr_in) && len <= (int)sizeof(*ss))
		memcpy(ss, nla_data(a), (size_t)len);
	if ((ss->ss_family == AF_INET6 && len < (int)sizeof(struct sockaddr_in6)) ||
	    (ss->ss_family != AF_INET && ss->ss_family != AF_INET6))
		ss->ss_family = AF_UNSPEC;
}

static int parse_stats(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1], *st[LINECARD_A_SSTAT_MAX + 1];
	struct lc_stream_stats *s = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_STREAM_STATS] ||
	    nla_parse_nested(st, LINECARD_A_SSTAT_MAX, tb[LINECARD_A_STREAM_STATS], NULL))
		return NL_SKIP;
	s->tx_packets = nest_u64(st, LINECARD_A_SSTAT_TX_PACKETS);
	s->rx_packets = nest_u64(st, LINECARD_A_SSTAT_RX_PACKETS);
	s->lost = nest_u64(st, LINECARD_A_SSTAT_LOST);
	s->late = nest_u64(st, LINECARD_A_SSTAT_LATE);
	s->discarded = nest_u64(st, LINECARD_A_SSTAT_DISCARDED);
	s->jitter_us = (uint32_t)nest_u64(st, LINECARD_A_SSTAT_JITTER_US);
	s->playout_ms = (uint32_t)nest_u64(st, LINECARD_A_SSTAT_PLAYOUT_MS);
	s->rtt_us = (uint32_t)nest_u64(st, LINECARD_A_SSTAT_RTT_US);
	get_addr(tb[LINECARD_A_STREAM_LOCAL], &s->local);
	get_addr(tb[LINECARD_A_STREAM_REMOTE], &s->remote);
	if (tb[LINECARD_A_STREAM_CODEC] && nla_len(tb[LINECARD_A_STREAM_CODEC]) >= 1)
		s->codec = nla_get_u8(tb[LINECARD_A_STREAM_CODEC]);
	if (tb[LINECARD_A_STREAM_PT] && nla_len(tb[LINECARD_A_STREAM_PT]) >= 1)
		s->pt = nla_get_u8(tb[LINECARD_A_STREAM_PT]);
	if (tb[LINECARD_A_STREAM_PTIME] && nla_len(tb[LINECARD_A_STREAM_PTIME]) >= 2)
		s->ptime = nla_get_u16(tb[LINECARD_A_STREAM_PTIME]);
	if (tb[LINECARD_A_STREAM_DIRECTION] && nla_len(tb[LINECARD_A_STREAM_DIRECTION]) >= 1)
		s->dir = nla_get_u8(tb[LINECARD_A_STREAM_DIRECTION]);
	return NL_OK;
}

int lc_stream_get(struct lc_kernel *k, unsigned int id, struct lc_stream_stats *st)
{
	struct lc_nl_reply r = { .parse = parse_stats, .arg = st };
	struct nl_msg *msg = request(k, LINECARD_CMD_STREAM_GET);

	memset(st, 0, sizeof(*st));
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, LINECARD_A_STREAM_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lc_nl_call(k->cmd, msg, &r);
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

// SPDX-License-Identifier: GPL-2.0
/* A generic netlink request and its replies: see nlcall.h. */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nlcall.h"


int lc_nl_errno(int nle)
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

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = (int)nlh->nlmsg_len, ack_len = sizeof(*nlh) + sizeof(*e);
	struct lc_nl_reply *r = arg;

	(void)nla;
	r->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !r->err)
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += (int)e->msg.nlmsg_len - (int)sizeof(struct nlmsghdr);
	if (len <= ack_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + ack_len),
		      len - ack_len, NULL) == 0 && tb[NLMSGERR_ATTR_MSG])
		snprintf(r->err, r->errlen, "%.*s", nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct lc_nl_reply *r = arg;

	return r->parse ? r->parse(msg, r->arg) : NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct lc_nl_reply *)arg)->error = 0;
	return NL_STOP;
}

int lc_nl_call(struct nl_sock *sk, struct nl_msg *msg, struct lc_nl_reply *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret, one = 1;

	if (r->err && r->errlen)
		r->err[0] = '\0';
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	r->error = 1;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, r);
	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && r->error > 0) {
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0 && r->error > 0)
			r->error = lc_nl_errno(ret);
	}
	if (ret < 0 && r->error > 0)
		r->error = lc_nl_errno(ret);
	nl_cb_put(cb);
	return r->error;
}

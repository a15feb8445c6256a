/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One generic netlink request to the linecard family and its replies,
 * with the kernel's extended ack message: shared by linecardd
 * (kernel.c) and the test tool lctl.
 */
#ifndef LINECARD_DAEMON_NLCALL_H
#define LINECARD_DAEMON_NLCALL_H

#include <stddef.h>

#include <netlink/netlink.h>

struct lc_nl_reply {
	int error;		/* 1 while waiting; then 0 or -errno */
	char *err;		/* the kernel's message with an error, if given */
	size_t errlen;
	/* Each reply message (a dump's too), if given. */
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
};

/* libnl's error code as -errno. */
int lc_nl_errno(int nle);

/*
 * Send @msg (consumed) on @sk and run its replies through @r until the
 * ack (or a dump's end): the kernel's 0 or -errno, with its extended ack
 * message in @r->err.
 */
int lc_nl_call(struct nl_sock *sk, struct nl_msg *msg, struct lc_nl_reply *r);

#endif

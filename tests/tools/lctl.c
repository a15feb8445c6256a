// SPDX-License-Identifier: GPL-2.0
/*
 * lctl: drive linecard.ko directly, through /dev/lineN ioctls and the
 * generic netlink family, for tests and bring-up.  Errors are reported with
 * the kernel's own errno, not libnl's translation of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/linecard.h>

#include "nlcall.h"

static const char *const ev_names[] = {
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

static const char *const src_names[] = { "dtmf", "pulse", "rtp" };

static void print_event(const struct linecard_event *ev)
{
	const char *name = ev->type < __LINECARD_EV_LAST ? ev_names[ev->type] : "?";

	printf("line%u %s", ev->port, name);
	switch (ev->type) {
	case LINECARD_EV_DIGIT:
		printf(" %c %s %ums", ev->digit,
		       ev->source < 3 ? src_names[ev->source] : "?", ev->duration_ms);
		break;
	case LINECARD_EV_FLASH:
		printf(" %ums", ev->duration_ms);
		break;
	case LINECARD_EV_OVERFLOW:
		printf(" lost=%u", ev->value);
		break;
	case LINECARD_EV_TELEPHONE_EVENT:
		printf(" event=%u %ums", ev->value, ev->duration_ms);
		break;
	case LINECARD_EV_STREAM_TIMEOUT:
		printf(" stream=%u", ev->value);
		break;
	}
	putchar('\n');
	fflush(stdout);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- netlink ---- */

static struct nl_sock *sk;
static int family;

static void nl_open(void)
{
	int ret;

	sk = nl_socket_alloc();
	if (!sk) {
		fprintf(stderr, "lctl: out of memory\n");
		exit(2);
	}
	ret = genl_connect(sk);
	if (!ret)
		ret = family = genl_ctrl_resolve(sk, LINECARD_GENL_NAME);
	if (ret < 0) {
		fprintf(stderr, "lctl: family %s: %s\n", LINECARD_GENL_NAME,
			nl_geterror(ret));
		exit(2);
	}
}

struct reply {
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
	char extack[256];	/* the kernel's message with an error */
};

/* Send @msg (consumed) and run the reply; returns the kernel's -errno. */
static int nl_call(struct nl_msg *msg, struct reply *r)
{
	struct lc_nl_reply nr = {
		.err = r->extack, .errlen = sizeof(r->extack), .parse = r->parse, .arg = r->arg,
	};

	return lc_nl_call(sk, msg, &nr);
}

static struct nl_msg *nl_req(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags | NLM_F_ACK, cmd, LINECARD_GENL_VERSION)) {
		fprintf(stderr, "lctl: out of memory\n");
		exit(2);
	}
	return msg;
}

static u_int64_t nest_u64(struct nlattr *nest, int type, int max)
{
	struct nlattr *tb[64];

	if (!nest || max >= 64 || nla_parse_nested(tb, max, nest, NULL) || !tb[type])
		return 0;
	return nla_get_u64(tb[type]);
}

static int print_port(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct nlattr *cfg[LINECARD_A_CFG_MAX + 1] = { 0 };
	struct nlattr *st, *clk;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_PORT_INDEX])
		return NL_SKIP;
	if (tb[LINECARD_A_PORT_CONFIG])
		nla_parse_nested(cfg, LINECARD_A_CFG_MAX, tb[LINECARD_A_PORT_CONFIG], NULL);
	st = tb[LINECARD_A_PORT_STATS];
	clk = tb[LINECARD_A_CLOCK];
	printf("%s backend=%s hook=%s ring=%u tone=%u polarity=%u linefeed=%u flags=%#x",
	       nla_get_string(tb[LINECARD_A_PORT_NAME]),
	       nla_get_string(tb[LINECARD_A_PORT_BACKEND]),
	       nla_get_u8(tb[LINECARD_A_PORT_HOOK]) ? "off" : "on",
	       nla_get_u8(tb[LINECARD_A_PORT_RING]), nla_get_u8(tb[LINECARD_A_PORT_TONE]),
	       nla_get_u8(tb[LINECARD_A_PORT_POLARITY]),
	       nla_get_u8(tb[LINECARD_A_PORT_LINEFEED]),
	       nla_get_u32(tb[LINECARD_A_PORT_FLAGS]));
	if (cfg[LINECARD_A_CFG_FLASH_MAX_MS])
		printf(" debounce=%u pulse_min=%u flash=%u-%u interdigit=%u dtmf=%u",
		       nla_get_u32(cfg[LINECARD_A_CFG_DEBOUNCE_MS]),
		       nla_get_u32(cfg[LINECARD_A_CFG_PULSE_MIN_MS]),
		       nla_get_u32(cfg[LINECARD_A_CFG_FLASH_MIN_MS]),
		       nla_get_u32(cfg[LINECARD_A_CFG_FLASH_MAX_MS]),
		       nla_get_u32(cfg[LINECARD_A_CFG_INTERDIGIT_MS]),
		       nla_get_u8(cfg[LINECARD_A_CFG_DTMF_DETECT]));
	printf(" events=%llu hook_changes=%llu flashes=%llu dtmf=%llu pulse=%llu glitches=%llu"
	       " frames=%llu rings=%llu",
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_EVENTS, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_HOOK_CHANGES, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_FLASHES, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_DIGITS_DTMF, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_DIGITS_PULSE, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_GLITCHES, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_FRAMES, LINECARD_A_STAT_MAX),
	       (unsigned long long)nest_u64(st, LINECARD_A_STAT_RINGS, LINECARD_A_STAT_MAX));
	printf(" clock_ticks=%llu clock_late=%llu clock_missed=%llu clock_max_late_us=%llu\n",
	       (unsigned long long)nest_u64(clk, LINECARD_A_CLK_TICKS, LINECARD_A_CLK_MAX),
	       (unsigned long long)nest_u64(clk, LINECARD_A_CLK_LATE, LINECARD_A_CLK_MAX),
	       (unsigned long long)nest_u64(clk, LINECARD_A_CLK_MISSED, LINECARD_A_CLK_MAX),
	       (unsigned long long)nest_u64(clk, LINECARD_A_CLK_MAX_LATENESS_NS,
					    LINECARD_A_CLK_MAX) / 1000);
	return NL_OK;
}

static int report(const char *what, struct reply *r, int ret)
{
	if (!ret)
		return 0;
	fprintf(stderr, "lctl: %s: %s%s%s\n", what, strerror(-ret),
		r->extack[0] ? ": " : "", r->extack);
	return 1;
}

static int cmd_ports(int argc, char **argv)
{
	struct reply r = { .parse = print_port };
	struct nl_msg *msg;

	nl_open();
	if (argc > 0) {
		msg = nl_req(LINECARD_CMD_PORT_GET, 0);
		nla_put_u32(msg, LINECARD_A_PORT_INDEX, strtoul(argv[0], NULL, 0));
	} else {
		msg = nl_req(LINECARD_CMD_PORT_GET, NLM_F_DUMP);
	}
	return report("port get", &r, nl_call(msg, &r));
}

static int cmd_set(int argc, char **argv)
{
	static const struct { const char *key; int attr; } keys[] = {
		{ "debounce", LINECARD_A_CFG_DEBOUNCE_MS },
		{ "pulse_min", LINECARD_A_CFG_PULSE_MIN_MS },
		{ "flash_min", LINECARD_A_CFG_FLASH_MIN_MS },
		{ "flash_max", LINECARD_A_CFG_FLASH_MAX_MS },
		{ "interdigit", LINECARD_A_CFG_INTERDIGIT_MS },
		{ "dtmf", LINECARD_A_CFG_DTMF_DETECT },
	};
	struct reply r = { 0 };
	struct nlattr *nest;
	struct nl_msg *msg;
	int i;

	if (argc < 2)
		return 2;
	nl_open();
	msg = nl_req(LINECARD_CMD_PORT_SET, 0);
	nla_put_u32(msg, LINECARD_A_PORT_INDEX, strtoul(argv[0], NULL, 0));
	nest = nla_nest_start(msg, LINECARD_A_PORT_CONFIG);
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t k;

		for (k = 0; eq && k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(argv[i], keys[k].key, eq - argv[i]) &&
			    !keys[k].key[eq - argv[i]])
				break;
		if (!eq || k == sizeof(keys) / sizeof(keys[0])) {
			fprintf(stderr, "lctl: set: unknown setting '%s'\n", argv[i]);
			return 2;
		}
		if (keys[k].attr == LINECARD_A_CFG_DTMF_DETECT)
			nla_put_u8(msg, keys[k].attr, atoi(eq + 1));
		else
			nla_put_u32(msg, keys[k].attr, strtoul(eq + 1, NULL, 0));
	}
	nla_nest_end(msg, nest);
	return report("port set", &r, nl_call(msg, &r));
}

struct ev_state {
	long want;
	long seen;
};

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct linecard_event ev = { 0 };
	struct ev_state *s = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_EVENT_TYPE] || !tb[LINECARD_A_PORT_INDEX])
		return NL_SKIP;
	ev.port = nla_get_u32(tb[LINECARD_A_PORT_INDEX]);
	ev.type = nla_get_u32(tb[LINECARD_A_EVENT_TYPE]);
	if (tb[LINECARD_A_EVENT_DIGIT])
		ev.digit = nla_get_u8(tb[LINECARD_A_EVENT_DIGIT]);
	if (tb[LINECARD_A_EVENT_SOURCE])
		ev.source = nla_get_u8(tb[LINECARD_A_EVENT_SOURCE]);
	if (tb[LINECARD_A_EVENT_DURATION])
		ev.duration_ms = nla_get_u32(tb[LINECARD_A_EVENT_DURATION]);
	if (tb[LINECARD_A_EVENT_VALUE])
		ev.value = nla_get_u32(tb[LINECARD_A_EVENT_VALUE]);
	print_event(&ev);
	s->seen++;
	return NL_OK;
}

static const char *wait_file;

/* Options shared by the event commands: -n COUNT, -t SECONDS, -w FILE. */
static void ev_opts(int *argc, char ***argv, long *count, double *timeout)
{
	while (*argc >= 2 && (*argv)[0][0] == '-') {
		if (!strcmp((*argv)[0], "-w"))
			wait_file = (*argv)[1];
		else if (!strcmp((*argv)[0], "-n"))
			*count = atol((*argv)[1]);
		else if (!strcmp((*argv)[0], "-t"))
			*timeout = atof((*argv)[1]);
		else
			break;
		*argc -= 2;
		*argv += 2;
	}
}

static int cmd_events(int argc, char **argv)
{
	struct ev_state s = { 0 };
	double timeout = 10, end;
	struct nl_cb *cb;
	int grp, ret;

	ev_opts(&argc, &argv, &s.want, &timeout);
	nl_open();
	grp = genl_ctrl_resolve_grp(sk, LINECARD_GENL_NAME, LINECARD_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp) < 0) {
		fprintf(stderr, "lctl: cannot join the events group\n");
		return 2;
	}
	nl_socket_disable_seq_check(sk);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &s);
	/* Notifications carry sequence number 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	/* Tell a waiting script that the subscription is in place. */
	fprintf(stderr, "lctl: listening\n");
	end = now_s() + timeout;
	while (!s.want || s.seen < s.want) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
		double left = end - now_s();

		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0) {
			fprintf(stderr, "lctl: events: %s\n", nl_geterror(ret));
			return 1;
		}
	}
	nl_cb_put(cb);
	if (s.want && s.seen < s.want) {
		fprintf(stderr, "lctl: %ld of %ld events before the timeout\n", s.seen, s.want);
		return 1;
	}
	return 0;
}

/* ---- streams ---- */

union sa {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/* "127.0.0.1:4000", "[::1]:4000" */
static int parse_addr(const char *s, union sa *a)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t hl;

	memset(a, 0, sizeof(*a));
	if (!colon || (hl = colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_port = htons(atoi(colon + 1));
		return inet_pton(AF_INET6, host + 1, &a->v6.sin6_addr) == 1 ? 0 : -1;
	}
	a->v4.sin_family = AF_INET;
	a->v4.sin_port = htons(atoi(colon + 1));
	return inet_pton(AF_INET, host, &a->v4.sin_addr) == 1 ? 0 : -1;
}

static void put_addr(struct nl_msg *msg, int type, const union sa *a)
{
	nla_put(msg, type, a->sa.sa_family == AF_INET6 ? sizeof(a->v6) : sizeof(a->v4), a);
}

static const char *fmt_addr(const void *data, int len, char *buf, size_t size)
{
	union sa a = { 0 };
	char host[INET6_ADDRSTRLEN];

	memcpy(&a, data, len < (int)sizeof(a) ? len : (int)sizeof(a));
	if (a.sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a.v6.sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(a.v6.sin6_port));
	} else {
		inet_ntop(AF_INET, &a.v4.sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(a.v4.sin_port));
	}
	return buf;
}

static const char *const dir_names[] = { "sendrecv", "sendonly", "recvonly", "inactive" };

/* Stream options: key=value words after the port or id. */
static int stream_opts(struct nl_msg *msg, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		const char *v = eq ? eq + 1 : "";
		char k[16];
		union sa a;

		if (!eq || eq - argv[i] >= (int)sizeof(k))
			return -1;
		memcpy(k, argv[i], eq - argv[i]);
		k[eq - argv[i]] = '\0';
		if (!strcmp(k, "local") || !strcmp(k, "remote")) {
			if (parse_addr(v, &a))
				return -1;
			put_addr(msg, k[0] == 'l' ? LINECARD_A_STREAM_LOCAL :
				 LINECARD_A_STREAM_REMOTE, &a);
		} else if (!strcmp(k, "codec")) {
			nla_put_u8(msg, LINECARD_A_STREAM_CODEC, !strcmp(v, "pcma"));
		} else if (!strcmp(k, "pt")) {
			nla_put_u8(msg, LINECARD_A_STREAM_PT, atoi(v));
		} else if (!strcmp(k, "ptime")) {
			nla_put_u16(msg, LINECARD_A_STREAM_PTIME, atoi(v));
		} else if (!strcmp(k, "ssrc")) {
			nla_put_u32(msg, LINECARD_A_STREAM_SSRC, strtoul(v, NULL, 0));
		} else if (!strcmp(k, "te")) {
			nla_put_u8(msg, LINECARD_A_STREAM_TEL_EVENT_PT, atoi(v));
		} else if (!strcmp(k, "dir")) {
			int d;

			for (d = 0; d < 4 && strcmp(v, dir_names[d]); d++)
				;
			if (d == 4)
				return -1;
			nla_put_u8(msg, LINECARD_A_STREAM_DIRECTION, d);
		} else if (!strcmp(k, "dscp")) {
			nla_put_u8(msg, LINECARD_A_STREAM_DSCP, atoi(v));
		} else if (!strcmp(k, "jb_min")) {
			nla_put_u16(msg, LINECARD_A_STREAM_JB_MIN, atoi(v));
		} else if (!strcmp(k, "jb_max")) {
			nla_put_u16(msg, LINECARD_A_STREAM_JB_MAX, atoi(v));
		} else if (!strcmp(k, "timeout")) {
			nla_put_u32(msg, LINECARD_A_STREAM_TIMEOUT, atoi(v));
		} else if (!strcmp(k, "event")) {
			nla_put_u8(msg, LINECARD_A_STREAM_SEND_EVENT, atoi(v));
		} else {
			return -1;
		}
	}
	return 0;
}

struct stream_reply {
	unsigned int id;
	char local[64];
};

static int print_stream(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct nlattr *st[LINECARD_A_SSTAT_MAX + 1] = { 0 };
	struct stream_reply *r = arg;
	char l[64], rem[64] = "-";
	int i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_STREAM_ID])
		return NL_SKIP;
	fmt_addr(nla_data(tb[LINECARD_A_STREAM_LOCAL]), nla_len(tb[LINECARD_A_STREAM_LOCAL]),
		 l, sizeof(l));
	if (tb[LINECARD_A_STREAM_REMOTE])
		fmt_addr(nla_data(tb[LINECARD_A_STREAM_REMOTE]),
			 nla_len(tb[LINECARD_A_STREAM_REMOTE]), rem, sizeof(rem));
	if (r) {
		r->id = nla_get_u32(tb[LINECARD_A_STREAM_ID]);
		snprintf(r->local, sizeof(r->local), "%s", l);
	}
	printf("stream %u line%u local=%s remote=%s codec=%s pt=%u ptime=%u ssrc=%#x",
	       nla_get_u32(tb[LINECARD_A_STREAM_ID]), nla_get_u32(tb[LINECARD_A_PORT_INDEX]),
	       l, rem, nla_get_u8(tb[LINECARD_A_STREAM_CODEC]) ? "pcma" : "pcmu",
	       nla_get_u8(tb[LINECARD_A_STREAM_PT]), nla_get_u16(tb[LINECARD_A_STREAM_PTIME]),
	       nla_get_u32(tb[LINECARD_A_STREAM_SSRC]));
	if (tb[LINECARD_A_STREAM_TEL_EVENT_PT])
		printf(" te=%u", nla_get_u8(tb[LINECARD_A_STREAM_TEL_EVENT_PT]));
	printf(" dir=%s dscp=%u", dir_names[nla_get_u8(tb[LINECARD_A_STREAM_DIRECTION]) & 3],
	       nla_get_u8(tb[LINECARD_A_STREAM_DSCP]));
	if (tb[LINECARD_A_STREAM_STATS] &&
	    !nla_parse_nested(st, LINECARD_A_SSTAT_MAX, tb[LINECARD_A_STREAM_STATS], NULL)) {
		static const char *const names[] = {
			[LINECARD_A_SSTAT_TX_PACKETS] = "tx_packets",
			[LINECARD_A_SSTAT_TX_OCTETS] = "tx_octets",
			[LINECARD_A_SSTAT_RX_PACKETS] = "rx_packets",
			[LINECARD_A_SSTAT_RX_OCTETS] = "rx_octets",
			[LINECARD_A_SSTAT_LOST] = "lost",
			[LINECARD_A_SSTAT_DUPLICATED] = "duplicated",
			[LINECARD_A_SSTAT_REORDERED] = "reordered",
			[LINECARD_A_SSTAT_LATE] = "late",
			[LINECARD_A_SSTAT_DISCARDED] = "discarded",
			[LINECARD_A_SSTAT_JITTER_US] = "jitter_us",
			[LINECARD_A_SSTAT_PLAYOUT_MS] = "playout_ms",
			[LINECARD_A_SSTAT_REMOTE_LOST] = "remote_lost",
			[LINECARD_A_SSTAT_REMOTE_JITTER_US] = "remote_jitter_us",
			[LINECARD_A_SSTAT_RTT_US] = "rtt_us",
		};

		for (i = 1; i <= LINECARD_A_SSTAT_MAX; i++)
			if (st[i] && i < (int)(sizeof(names) / sizeof(names[0])) && names[i])
				printf(" %s=%lld", names[i], (long long)nla_get_u64(st[i]));
	}
	putchar('\n');
	fflush(stdout);
	return NL_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Keep the netlink socket, and so the streams it owns, for @secs. */
static void hold(double secs)
{
	double end = now_s() + secs;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fprintf(stderr, "lctl: holding\n");
	while (!stop && now_s() < end)
		usleep(20000);
}

/* Split "--hold SECS" off the end of the arguments. */
static double hold_opt(int *argc, char **argv)
{
	if (*argc >= 2 && !strcmp(argv[*argc - 2], "--hold")) {
		*argc -= 2;
		return atof(argv[*argc + 1]);
	}
	return 0;
}

static int stream_new(unsigned int port, int argc, char **argv, const char *remote,
		      struct stream_reply *out)
{
	struct reply r = { .parse = print_stream, .arg = out };
	struct nl_msg *msg = nl_req(LINECARD_CMD_STREAM_NEW, 0);
	union sa a;

	nla_put_u32(msg, LINECARD_A_PORT_INDEX, port);
	if (remote) {
		if (parse_addr(remote, &a))
			return 2;
		put_addr(msg, LINECARD_A_STREAM_REMOTE, &a);
	}
	if (stream_opts(msg, argc, argv)) {
		fprintf(stderr, "lctl: bad stream option\n");
		return 2;
	}
	return report("stream new", &r, nl_call(msg, &r));
}

static int cmd_stream_new(int argc, char **argv)
{
	struct stream_reply out;
	double secs = hold_opt(&argc, argv);
	int ret;

	if (argc < 1)
		return 2;
	nl_open();
	ret = stream_new(strtoul(argv[0], NULL, 0), argc - 1, argv + 1, NULL, &out);
	if (!ret && secs > 0)
		hold(secs);
	return ret;
}

/* lctl stream-pair A B [opts] [--hold SECS]: A and B talk to each other. */
static int cmd_stream_pair(int argc, char **argv)
{
	struct stream_reply a, b;
	double secs = hold_opt(&argc, argv);
	struct reply r = { 0 };
	struct nl_msg *msg;
	union sa addr;
	int ret;

	if (argc < 2)
		return 2;
	nl_open();
	ret = stream_new(strtoul(argv[0], NULL, 0), argc - 2, argv + 2, NULL, &a);
	if (ret)
		return ret;
	ret = stream_new(strtoul(argv[1], NULL, 0), argc - 2, argv + 2, a.local, &b);
	if (ret)
		return ret;
	msg = nl_req(LINECARD_CMD_STREAM_SET, 0);
	nla_put_u32(msg, LINECARD_A_STREAM_ID, a.id);
	parse_addr(b.local, &addr);
	put_addr(msg, LINECARD_A_STREAM_REMOTE, &addr);
	ret = report("stream set", &r, nl_call(msg, &r));
	if (!ret && secs > 0)
		hold(secs);
	return ret;
}

static int cmd_stream_set(int argc, char **argv)
{
	struct reply r = { 0 };
	struct nl_msg *msg;

	if (argc < 2)
		return 2;
	nl_open();
	msg = nl_req(LINECARD_CMD_STREAM_SET, 0);
	nla_put_u32(msg, LINECARD_A_STREAM_ID, strtoul(argv[0], NULL, 0));
	if (stream_opts(msg, argc - 1, argv + 1)) {
		fprintf(stderr, "lctl: bad stream option\n");
		return 2;
	}
	return report("stream set", &r, nl_call(msg, &r));
}

static int cmd_stream_del(int argc, char **argv)
{
	struct reply r = { 0 };
	struct nl_msg *msg;

	if (argc < 1)
		return 2;
	nl_open();
	msg = nl_req(LINECARD_CMD_STREAM_DEL, 0);
	nla_put_u32(msg, LINECARD_A_STREAM_ID, strtoul(argv[0], NULL, 0));
	return report("stream del", &r, nl_call(msg, &r));
}

static int cmd_streams(int argc, char **argv)
{
	struct reply r = { .parse = print_stream };
	struct nl_msg *msg;

	nl_open();
	if (argc > 0) {
		msg = nl_req(LINECARD_CMD_STREAM_GET, 0);
		nla_put_u32(msg, LINECARD_A_STREAM_ID, strtoul(argv[0], NULL, 0));
	} else {
		msg = nl_req(LINECARD_CMD_STREAM_GET, NLM_F_DUMP);
	}
	return report("stream get", &r, nl_call(msg, &r));
}

/* ---- /dev/lineN ---- */

static int open_line(const char *n, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/line%s", n);
	fd = open(path, flags);
	if (fd < 0) {
		fprintf(stderr, "lctl: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static int ioc(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg) == 0)
		return 0;
	fprintf(stderr, "lctl: %s: %s\n", what, strerror(errno));
	return 1;
}

static int cmd_dev_events(int argc, char **argv)
{
	long want = 0, seen = 0;
	double timeout = 10, end;
	int fd;

	if (argc < 1)
		return 2;
	fd = open_line(argv[0], O_RDONLY | O_NONBLOCK);
	argc--;
	argv++;
	ev_opts(&argc, &argv, &want, &timeout);
	fprintf(stderr, "lctl: listening\n");
	end = now_s() + timeout;
	if (wait_file) {
		struct linecard_event ev;

		/* Hold the queue unread until told, then drain it. */
		while (access(wait_file, F_OK)) {
			if (now_s() > end) {
				fprintf(stderr, "lctl: %s never appeared\n", wait_file);
				return 1;
			}
			usleep(20000);
		}
		while (ioctl(fd, LINECARD_IOC_GET_EVENT, &ev) == 0)
			print_event(&ev);
		return errno == EAGAIN ? 0 : 1;
	}
	while (!want || seen < want) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		struct linecard_event ev;
		double left = end - now_s();

		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (pfd.revents & (POLLHUP | POLLERR)) {
			printf("hangup\n");
			break;
		}
		while (ioctl(fd, LINECARD_IOC_GET_EVENT, &ev) == 0) {
			print_event(&ev);
			seen++;
		}
		if (errno != EAGAIN && errno != ENODEV) {
			perror("lctl: GET_EVENT");
			return 1;
		}
	}
	if (want && seen < want) {
		fprintf(stderr, "lctl: %ld of %ld events before the timeout\n", seen, want);
		return 1;
	}
	return 0;
}

/* Steps "ON/OFF" pairs in ms; mask is all frequencies (tone) or ring. */
static int parse_steps(int argc, char **argv, struct linecard_step *step, __u8 mask,
		       __u16 *nsteps, __u16 *repeat)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc) {
			*repeat = atoi(argv[++i]);
			continue;
		}
		if (*nsteps >= LINECARD_MAX_STEPS)
			return -1;
		step[*nsteps].duration_ms = atoi(argv[i]);
		step[*nsteps].mask = *nsteps % 2 ? 0 : mask;
		(*nsteps)++;
	}
	return 0;
}

static int cmd_ring(int argc, char **argv)
{
	struct linecard_ring ring = { 0 };
	int fd;

	if (argc < 1)
		return 2;
	fd = open_line(argv[0], O_RDWR);
	if (parse_steps(argc - 1, argv + 1, ring.step, 1, &ring.nsteps, &ring.repeat))
		return 2;
	return ioc(fd, LINECARD_IOC_RING, &ring, "ring");
}

/* Append an MDMF parameter; -1 when the message would be too long. */
static int cid_param(struct linecard_ring_cid *rc, __u8 type, const char *val)
{
	size_t n = strlen(val);

	if (n > 255 || rc->len + 2 + n > LINECARD_CID_MAX_MSG)
		return -1;
	rc->msg[rc->len++] = type;
	rc->msg[rc->len++] = n;
	memcpy(rc->msg + rc->len, val, n);
	rc->len += n;
	rc->msg[1] = rc->len - 2;
	return 0;
}

/*
 * lctl ring-cid N [-s bell202|v23] [-d MMDDHHMM] [-n NUMBER] [-N NAME]
 *               [-a O|P] [-A O|P] [ON OFF]... [-r REPEAT]
 * An MDMF message (0x80) with the parameters in that order: date and time
 * (0x01), number (0x02) or the reason it is absent (0x04), name (0x07) or
 * the reason it is absent (0x08).  The cadence defaults to 2000 4000.
 */
static int cmd_ring_cid(int argc, char **argv)
{
	struct linecard_ring_cid rc = { 0 };
	const char *v[128] = { 0 };
	static const char order[] = "dnaNA";
	static const __u8 types[] = { 0x01, 0x02, 0x04, 0x07, 0x08 };
	char **steps;
	int i, fd, nsteps = 0;

	if (argc < 1)
		return 2;
	fd = open_line(argv[0], O_RDWR);
	steps = calloc(argc, sizeof(*steps));
	if (!steps)
		return 1;
	rc.standard = LINECARD_CID_BELL202;
	rc.msg[0] = 0x80;
	rc.len = 2;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (o[0] == '-' && o[1] && !o[2] && strchr("sdnNaA", o[1]) && i + 1 < argc) {
			if (o[1] == 's') {
				if (!strcmp(argv[i + 1], "bell202"))
					rc.standard = LINECARD_CID_BELL202;
				else if (!strcmp(argv[i + 1], "v23"))
					rc.standard = LINECARD_CID_V23;
				else
					return 2;
			}
			v[(unsigned char)o[1]] = argv[++i];
			continue;
		}
		steps[nsteps++] = argv[i];
	}
	for (i = 0; order[i]; i++) {
		if (v[(unsigned char)order[i]] &&
		    cid_param(&rc, types[i], v[(unsigned char)order[i]])) {
			fprintf(stderr, "lctl: caller ID message too long\n");
			return 2;
		}
	}
	if (parse_steps(nsteps, steps, rc.ring.step, 1, &rc.ring.nsteps, &rc.ring.repeat))
		return 2;
	if (!rc.ring.nsteps) {
		rc.ring.step[0].duration_ms = 2000;
		rc.ring.step[0].mask = 1;
		rc.ring.step[1].duration_ms = 4000;
		rc.ring.nsteps = 2;
	}
	free(steps);
	return ioc(fd, LINECARD_IOC_RING_CID, &rc, "ring-cid");
}

/* lctl tone N 350@-13,440@-13 [ON OFF ...] [-r REPEAT] */
static int cmd_tone(int argc, char **argv)
{
	struct linecard_tone tone = { 0 };
	char *p, *save = NULL;
	int fd, nf = 0;

	if (argc < 2)
		return 2;
	fd = open_line(argv[0], O_RDWR);
	for (p = strtok_r(argv[1], ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *at = strchr(p, '@');

		if (nf >= LINECARD_TONE_MAX_FREQS)
			return 2;
		tone.freq[nf].hz = atoi(p);
		tone.freq[nf].dbm0 = at ? atoi(at + 1) : -13;
		nf++;
	}
	if (parse_steps(argc - 2, argv + 2, tone.step, (1 << nf) - 1, &tone.nsteps,
			&tone.repeat))
		return 2;
	return ioc(fd, LINECARD_IOC_TONE_PLAY, &tone, "tone");
}

static int cmd_simple(int argc, char **argv, unsigned long req, const char *what)
{
	if (argc < 1)
		return 2;
	return ioc(open_line(argv[0], O_RDWR), req, NULL, what);
}

static int cmd_set_u32(int argc, char **argv, unsigned long req, const char *what)
{
	__u32 v;

	if (argc < 2)
		return 2;
	v = strtoul(argv[1], NULL, 0);
	return ioc(open_line(argv[0], O_RDWR), req, &v, what);
}

static int cmd_info(int argc, char **argv)
{
	struct linecard_port_info info;

	if (argc < 1)
		return 2;
	if (ioc(open_line(argv[0], O_RDONLY), LINECARD_IOC_GET_INFO, &info, "info"))
		return 1;
	printf("%s backend=%s hook=%s flags=%#x polarity=%u linefeed=%u tone=%u "
	       "events=%llu events_lost=%llu overruns=%llu underruns=%llu\n",
	       info.name, info.backend, info.hook ? "off" : "on", info.flags,
	       info.polarity, info.linefeed, info.tone,
	       (unsigned long long)info.events, (unsigned long long)info.events_lost,
	       (unsigned long long)info.pcm_overruns, (unsigned long long)info.pcm_underruns);
	return 0;
}

/* lctl read N BYTES: raw mouthpiece PCM to stdout */
static int cmd_read(int argc, char **argv)
{
	char buf[4096];
	long want;
	int fd;

	if (argc < 2)
		return 2;
	fd = open_line(argv[0], O_RDONLY);
	want = atol(argv[1]);
	while (want > 0) {
		ssize_t n = read(fd, buf, want < (long)sizeof(buf) ? want : (long)sizeof(buf));

		if (n <= 0) {
			perror("lctl: read");
			return 1;
		}
		fwrite(buf, 1, n, stdout);
		want -= n;
	}
	return fflush(stdout) ? 1 : 0;
}

/* lctl write N FILE: raw earpiece PCM from FILE ("-" = stdin) */
static int cmd_write(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;
	int fd, in;

	if (argc < 2)
		return 2;
	fd = open_line(argv[0], O_WRONLY);
	in = strcmp(argv[1], "-") ? open(argv[1], O_RDONLY) : 0;
	if (in < 0) {
		perror(argv[1]);
		return 2;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(fd, p, n);

			if (w < 0) {
				perror("lctl: write");
				return 1;
			}
			p += w;
			n -= w;
		}
	}
	usleep(1100000);
	return 0;
}

/* ---- hostile input ---- */

static int failures;

static void expect(const char *what, int got, int want)
{
	printf("%s %s: got %s, want %s\n", got == want ? "ok  " : "FAIL", what,
	       got ? strerror(-got) : "success", want ? strerror(-want) : "success");
	if (got != want)
		failures++;
}

static int nl_raw(int cmd, int flags, const void *attrs, size_t len)
{
	struct reply r = { 0 };
	struct nl_msg *msg = nl_req(cmd, flags);

	if (len && nlmsg_append(msg, (void *)attrs, len, NLMSG_ALIGNTO) < 0)
		exit(2);
	return nl_call(msg, &r);
}

static int nl_port_set_raw(void (*build)(struct nl_msg *msg))
{
	struct reply r = { 0 };
	struct nl_msg *msg = nl_req(LINECARD_CMD_PORT_SET, 0);

	build(msg);
	return nl_call(msg, &r);
}

static void b_no_index(struct nl_msg *m)
{
	struct nlattr *n = nla_nest_start(m, LINECARD_A_PORT_CONFIG);

	nla_put_u32(m, LINECARD_A_CFG_FLASH_MAX_MS, 700);
	nla_nest_end(m, n);
}

static void b_no_config(struct nl_msg *m)
{
	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
}

static void b_short_index(struct nl_msg *m)
{
	nla_put_u8(m, LINECARD_A_PORT_INDEX, 0);
}

static void b_unknown_attr(struct nl_msg *m)
{
	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
	nla_put_u32(m, LINECARD_A_MAX + 5, 1);
}

static void b_unknown_nested(struct nl_msg *m)
{
	struct nlattr *n;

	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
	n = nla_nest_start(m, LINECARD_A_PORT_CONFIG);
	nla_put_u32(m, LINECARD_A_CFG_MAX + 3, 1);
	nla_nest_end(m, n);
}

static void b_inverted_flash(struct nl_msg *m)
{
	struct nlattr *n;

	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
	n = nla_nest_start(m, LINECARD_A_PORT_CONFIG);
	nla_put_u32(m, LINECARD_A_CFG_FLASH_MIN_MS, 900);
	nla_put_u32(m, LINECARD_A_CFG_FLASH_MAX_MS, 200);
	nla_nest_end(m, n);
}

static void b_range(struct nl_msg *m)
{
	struct nlattr *n;

	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
	n = nla_nest_start(m, LINECARD_A_PORT_CONFIG);
	nla_put_u32(m, LINECARD_A_CFG_FLASH_MAX_MS, 999999);
	nla_nest_end(m, n);
}

static void b_dtmf_flag(struct nl_msg *m)
{
	struct nlattr *n;

	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
	n = nla_nest_start(m, LINECARD_A_PORT_CONFIG);
	nla_put_u8(m, LINECARD_A_CFG_DTMF_DETECT, 7);
	nla_nest_end(m, n);
}

static void b_config_not_nested(struct nl_msg *m)
{
	nla_put_u32(m, LINECARD_A_PORT_INDEX, 0);
	nla_put_u32(m, LINECARD_A_PORT_CONFIG, 5);
}

static void b_no_port(struct nl_msg *m)
{
	struct nlattr *n;

	nla_put_u32(m, LINECARD_A_PORT_INDEX, LINECARD_MAX_PORTS - 1);
	n = nla_nest_start(m, LINECARD_A_PORT_CONFIG);
	nla_put_u32(m, LINECARD_A_CFG_FLASH_MAX_MS, 700);
	nla_nest_end(m, n);
}

static void b_index_range(struct nl_msg *m)
{
	nla_put_u32(m, LINECARD_A_PORT_INDEX, 100000);
}

static int cmd_malformed(void)
{
	/* A truncated attribute header: len 12 claims more than is there. */
	static const unsigned char truncated[] = { 12, 0, LINECARD_A_PORT_INDEX, 0, 1, 0 };
	/* A zero-length u32. */
	static const unsigned char empty_u32[] = { 4, 0, LINECARD_A_PORT_INDEX, 0 };
	struct reply r = { 0 };
	struct nl_msg *msg;

	nl_open();
	expect("set without port index", nl_port_set_raw(b_no_index), -EINVAL);
	expect("set without config", nl_port_set_raw(b_no_config), -EINVAL);
	expect("u8 where u32 belongs", nl_port_set_raw(b_short_index), -EINVAL);
	expect("unknown top-level attribute", nl_port_set_raw(b_unknown_attr), -EINVAL);
	expect("unknown nested attribute", nl_port_set_raw(b_unknown_nested), -EINVAL);
	expect("flash min above flash max", nl_port_set_raw(b_inverted_flash), -EINVAL);
	expect("flash max out of range", nl_port_set_raw(b_range), -ERANGE);
	expect("dtmf flag not 0/1", nl_port_set_raw(b_dtmf_flag), -ERANGE);
	expect("config not nested", nl_port_set_raw(b_config_not_nested), -EINVAL);
	expect("set on a port that does not exist", nl_port_set_raw(b_no_port), -ENODEV);
	expect("port index out of range", nl_port_set_raw(b_index_range), -ERANGE);
	expect("truncated attribute", nl_raw(LINECARD_CMD_PORT_GET, 0, truncated,
					     sizeof(truncated)), -EINVAL);
	expect("zero-length u32", nl_raw(LINECARD_CMD_PORT_GET, 0, empty_u32,
					 sizeof(empty_u32)), -EINVAL);
	msg = nl_req(LINECARD_CMD_PORT_GET, 0);
	nla_put_u32(msg, LINECARD_A_PORT_INDEX, LINECARD_MAX_PORTS - 1);
	expect("get a port that does not exist", nl_call(msg, &r), -ENODEV);
	expect("event command from user space", nl_raw(LINECARD_CMD_EVENT, 0, NULL, 0),
	       -EOPNOTSUPP);
	expect("unknown command", nl_raw(__LINECARD_CMD_LAST + 10, 0, NULL, 0), -EOPNOTSUPP);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static int cmd_ioctl_bad(int argc, char **argv)
{
	struct linecard_tone tone = { 0 };
	struct linecard_ring ring = { 0 };
	void *unmapped;
	__u32 v;
	int fd;

	if (argc < 1)
		return 2;
	fd = open_line(argv[0], O_RDWR);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect("GET_INFO to a bad pointer", ioctl_err(fd, LINECARD_IOC_GET_INFO, unmapped), -EFAULT);
	expect("RING from a bad pointer", ioctl_err(fd, LINECARD_IOC_RING, unmapped), -EFAULT);
	expect("TONE_PLAY from NULL", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, NULL), -EFAULT);
	expect("unknown ioctl", ioctl_err(fd, _IO(LINECARD_IOC_MAGIC, 0x7f), NULL), -ENOTTY);
	expect("foreign ioctl", ioctl_err(fd, _IOR('T', 0x01, int), &v), -ENOTTY);

	tone.freq[0].hz = 425;
	tone.freq[0].dbm0 = -10;
	tone.flags = 1;
	expect("tone with unknown flag", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EINVAL);
	tone.flags = 0;
	tone.freq[0].hz = 5000;
	expect("tone above 4 kHz", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EINVAL);
	tone.freq[0].hz = 425;
	tone.freq[0].dbm0 = 20;
	expect("tone too loud", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EINVAL);
	tone.freq[0].dbm0 = -10;
	tone.nsteps = LINECARD_MAX_STEPS + 1;
	expect("too many tone steps", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EINVAL);
	tone.nsteps = 1;
	tone.step[0].duration_ms = 100;
	tone.step[0].mask = 0x4;
	expect("step names a missing frequency", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone),
	       -EINVAL);
	tone.step[0].mask = 1;
	tone.step[0].reserved = 9;
	expect("tone reserved field set", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EINVAL);
	memset(&tone, 0, sizeof(tone));
	expect("tone with no frequency", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EINVAL);

	ring.nsteps = 2;
	ring.step[0].duration_ms = 0;
	ring.step[0].mask = 1;
	ring.step[1].duration_ms = 100;
	expect("ring step of 0 ms", ioctl_err(fd, LINECARD_IOC_RING, &ring), -EINVAL);
	ring.step[0].duration_ms = 100;
	ring.step[0].mask = 2;
	expect("ring mask beyond bit 0", ioctl_err(fd, LINECARD_IOC_RING, &ring), -EINVAL);
	ring.step[0].mask = 1;
	ring.flags = 0x80000000;
	expect("ring with unknown flag", ioctl_err(fd, LINECARD_IOC_RING, &ring), -EINVAL);

	v = 2;
	expect("polarity 2", ioctl_err(fd, LINECARD_IOC_SET_POLARITY, &v), -EINVAL);
	v = LINECARD_LINEFEED_MAX + 1;
	expect("linefeed out of range", ioctl_err(fd, LINECARD_IOC_SET_LINEFEED, &v), -EINVAL);
	expect("odd-length read", read(fd, &v, 3) < 0 ? -errno : 0, -EINVAL);
	expect("odd-length write", write(fd, &v, 1) < 0 ? -errno : 0, -EINVAL);
	expect("read to a bad pointer", read(fd, unmapped, 160) < 0 ? -errno : 0, -EFAULT);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

/* A valid caller ID request to break in one way at a time. */
static struct linecard_ring_cid good_cid(void)
{
	struct linecard_ring_cid rc = { 0 };

	rc.ring.step[0].duration_ms = 100;
	rc.ring.step[0].mask = 1;
	rc.ring.step[1].duration_ms = 100;
	rc.ring.nsteps = 2;
	rc.ring.repeat = 1;
	rc.msg[0] = 0x80;
	rc.len = 2;
	cid_param(&rc, 0x02, "1000");
	return rc;
}

static int cmd_cid_bad(int argc, char **argv)
{
	struct linecard_ring_cid rc;
	void *unmapped;
	int fd;

	if (argc < 1)
		return 2;
	fd = open_line(argv[0], O_RDWR);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect("RING_CID from a bad pointer", ioctl_err(fd, LINECARD_IOC_RING_CID, unmapped),
	       -EFAULT);
	expect("RING_CID from NULL", ioctl_err(fd, LINECARD_IOC_RING_CID, NULL), -EFAULT);
#define BAD(what, expr) do { rc = good_cid(); expr; \
	expect(what, ioctl_err(fd, LINECARD_IOC_RING_CID, &rc), -EINVAL); } while (0)
	BAD("empty message", rc.len = 0);
	BAD("message of type and length only", rc.len = 2; rc.msg[1] = 0);
	BAD("message one byte too long", rc.len = LINECARD_CID_MAX_MSG + 1;
	    rc.msg[1] = LINECARD_CID_MAX_MSG - 1);
	BAD("message length 65535", rc.len = 0xffff);
	BAD("length byte disagrees", rc.msg[1]++);
	BAD("unknown standard", rc.standard = LINECARD_CID_MAX + 1);
	BAD("standard 255", rc.standard = 0xff);
	BAD("reserved byte set", rc.reserved = 1);
	BAD("unknown flag", rc.flags = 0x80000000);
	BAD("continuous ring, no silence", rc.ring.nsteps = 0);
	BAD("ring without a silent step", rc.ring.step[1].mask = 1);
	BAD("ring step reserved", rc.ring.step[0].reserved = 1);
	BAD("ring flag", rc.ring.flags = 1);
	BAD("ring step of 0 ms", rc.ring.step[1].duration_ms = 0);
#undef BAD
	rc = good_cid();
	rc.len = LINECARD_CID_MAX_MSG;
	rc.msg[1] = LINECARD_CID_MAX_MSG - 2;
	expect("longest message", ioctl_err(fd, LINECARD_IOC_RING_CID, &rc), 0);
	expect("ring stop", ioctl_err(fd, LINECARD_IOC_RING_STOP, NULL), 0);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

/* Everything an unprivileged process must be refused. */
static int cmd_unpriv(int argc, char **argv)
{
	struct linecard_tone tone = { 0 };
	struct linecard_ring ring = { 0 };
	struct linecard_port_info info;
	struct reply r = { 0 };
	struct nl_msg *msg;
	struct nlattr *n;
	int fd;

	if (argc < 1)
		return 2;
	nl_open();
	msg = nl_req(LINECARD_CMD_PORT_SET, 0);
	nla_put_u32(msg, LINECARD_A_PORT_INDEX, strtoul(argv[0], NULL, 0));
	n = nla_nest_start(msg, LINECARD_A_PORT_CONFIG);
	nla_put_u32(msg, LINECARD_A_CFG_FLASH_MAX_MS, 700);
	nla_nest_end(msg, n);
	expect("netlink port set", nl_call(msg, &r), -EPERM);
	msg = nl_req(LINECARD_CMD_PORT_GET, 0);
	nla_put_u32(msg, LINECARD_A_PORT_INDEX, strtoul(argv[0], NULL, 0));
	expect("netlink port get (allowed)", nl_call(msg, &r), 0);

	fd = open_line(argv[0], O_RDWR);
	tone.freq[0].hz = 425;
	tone.freq[0].dbm0 = -10;
	ring.nsteps = 0;
	expect("ring", ioctl_err(fd, LINECARD_IOC_RING, &ring), -EPERM);
	expect("tone", ioctl_err(fd, LINECARD_IOC_TONE_PLAY, &tone), -EPERM);
	{
		struct linecard_ring_cid rc = good_cid();

		expect("ring with caller ID", ioctl_err(fd, LINECARD_IOC_RING_CID, &rc), -EPERM);
	}
	expect("tone stop", ioctl_err(fd, LINECARD_IOC_TONE_STOP, NULL), -EPERM);
	expect("get info (allowed)", ioctl_err(fd, LINECARD_IOC_GET_INFO, &info), 0);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

static const struct {
	const char *name;
	const char *args;
	const char *help;
} cmds[] = {
	{ "ports", "[N]", "port state, configuration and counters (netlink)" },
	{ "set", "N key=value...", "debounce, pulse_min, flash_min, flash_max, interdigit, dtmf" },
	{ "events", "[-n COUNT] [-t SECONDS]", "print events from the multicast group" },
	{ "dev-events", "N [-n COUNT] [-t SECONDS] [-w FILE]",
	  "print events from /dev/lineN (-w: leave them queued until FILE exists)" },
	{ "info", "N", "LINECARD_IOC_GET_INFO" },
	{ "ring", "N [ON OFF]... [-r REPEAT]", "ring with a cadence (ms)" },
	{ "ring-cid", "N [-s bell202|v23] [-d MMDDHHMM] [-n NUM] [-N NAME] [-a O|P] [-A O|P] "
	  "[ON OFF]... [-r REPEAT]",
	  "ring with an MDMF caller ID message in the first silence (default 2000 4000)" },
	{ "ring-stop", "N", "stop ringing" },
	{ "tone", "N HZ@DBM0[,...] [ON OFF]... [-r REPEAT]", "play a tone" },
	{ "tone-stop", "N", "stop the tone" },
	{ "polarity", "N 0|1", "line polarity" },
	{ "linefeed", "N 0|1|2", "active, open, standby" },
	{ "read", "N BYTES", "mouthpiece PCM to stdout" },
	{ "write", "N FILE", "earpiece PCM from FILE" },
	{ "stream-new", "PORT [key=value]... [--hold SECS]",
	  "RTP stream: local, remote, codec, pt, ptime, ssrc, te, dir, dscp, jb_min, jb_max, timeout" },
	{ "stream-pair", "A B [key=value]... [--hold SECS]", "streams between two ports" },
	{ "stream-set", "ID key=value...", "remote, dir, dscp, te, timeout, event" },
	{ "stream-del", "ID", "delete a stream" },
	{ "streams", "[ID]", "streams with their statistics" },
	{ "malformed", "", "hostile netlink requests, each must be refused" },
	{ "ioctl-bad", "N", "hostile ioctl arguments, each must be refused" },
	{ "cid-bad", "N", "hostile RING_CID arguments, each must be refused" },
	{ "unpriv", "N", "checks for a process without CAP_NET_ADMIN" },
};

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int ret = 2;
	size_t i;

	argc -= 2;
	argv += 2;
	if (!strcmp(c, "ports"))
		ret = cmd_ports(argc, argv);
	else if (!strcmp(c, "set"))
		ret = cmd_set(argc, argv);
	else if (!strcmp(c, "events"))
		ret = cmd_events(argc, argv);
	else if (!strcmp(c, "dev-events"))
		ret = cmd_dev_events(argc, argv);
	else if (!strcmp(c, "info"))
		ret = cmd_info(argc, argv);
	else if (!strcmp(c, "ring"))
		ret = cmd_ring(argc, argv);
	else if (!strcmp(c, "ring-cid"))
		ret = cmd_ring_cid(argc, argv);
	else if (!strcmp(c, "ring-stop"))
		ret = cmd_simple(argc, argv, LINECARD_IOC_RING_STOP, "ring stop");
	else if (!strcmp(c, "tone"))
		ret = cmd_tone(argc, argv);
	else if (!strcmp(c, "tone-stop"))
		ret = cmd_simple(argc, argv, LINECARD_IOC_TONE_STOP, "tone stop");
	else if (!strcmp(c, "polarity"))
		ret = cmd_set_u32(argc, argv, LINECARD_IOC_SET_POLARITY, "polarity");
	else if (!strcmp(c, "linefeed"))
		ret = cmd_set_u32(argc, argv, LINECARD_IOC_SET_LINEFEED, "linefeed");
	else if (!strcmp(c, "read"))
		ret = cmd_read(argc, argv);
	else if (!strcmp(c, "write"))
		ret = cmd_write(argc, argv);
	else if (!strcmp(c, "stream-new"))
		ret = cmd_stream_new(argc, argv);
	else if (!strcmp(c, "stream-pair"))
		ret = cmd_stream_pair(argc, argv);
	else if (!strcmp(c, "stream-set"))
		ret = cmd_stream_set(argc, argv);
	else if (!strcmp(c, "stream-del"))
		ret = cmd_stream_del(argc, argv);
	else if (!strcmp(c, "streams"))
		ret = cmd_streams(argc, argv);
	else if (!strcmp(c, "malformed"))
		ret = cmd_malformed();
	else if (!strcmp(c, "ioctl-bad"))
		ret = cmd_ioctl_bad(argc, argv);
	else if (!strcmp(c, "cid-bad"))
		ret = cmd_cid_bad(argc, argv);
	else if (!strcmp(c, "unpriv"))
		ret = cmd_unpriv(argc, argv);
	if (ret == 2) {
		fprintf(stderr, "usage: lctl COMMAND [ARGS]\n");
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			fprintf(stderr, "  %-10s %-40s %s\n", cmds[i].name, cmds[i].args,
				cmds[i].help);
	}
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * fpbench: the measuring side of scripts/bench/fastpath, run inside the
 * QEMU guest.
 *
 *   fpbench streams N [PTIME]
 *       Create N kernel streams as N/2 pairs over loopback (port 2i talks
 *       to port 2i+1, PCMU, PTIME ms, default 20), all from this one
 *       netlink socket, print "ready" and hold them (sleeping, no CPU)
 *       until SIGTERM or SIGINT; closing the socket deletes them.
 *   fpbench measure SECS N [PID]
 *       Sleep SECS and print what the system did meanwhile: CPU time not
 *       idle (from the tick-sched idle accounting in /proc/timer_list,
 *       nanoseconds, interrupts and softirqs counted as busy), the CPU time
 *       of the ksoftirqd threads and of the frame clock's thread
 *       (linecard/NAME), the frame clock's counters (netlink, port 0) and
 *       the PCM under/overruns of ports 0..N-1 (LINECARD_IOC_GET_INFO).
 *       With PID, send it SIGUSR1 at the start and at the end of the
 *       window (rtprelay then prints how many frames it has relayed).
 *   fpbench capture SECS PTIME
 *       Capture the RTP packets sent on lo for SECS (a TPACKET_V3 ring
 *       filled by the kernel at transmit time and read only afterwards,
 *       so the capture does not compete for the CPU), and print the
 *       departure jitter: per stream (UDP source port), |spacing - PTIME|
 *       of consecutive sequence numbers, p50 / p99 / max over all streams.
 *   fpbench stream-stats
 *       Totals over every kernel stream (netlink dump).
 *
 * Output is one line of key=value words, for the bench script to parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/linecard.h>

#include "nlcall.h"

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "fpbench: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- netlink ---- */

static struct nl_sock *sk;
static int family;

static void nl_open(void)
{
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		die("%s", "cannot open a generic netlink socket");
	family = genl_ctrl_resolve(sk, LINECARD_GENL_NAME);
	if (family < 0)
		die("family %s not found (module not loaded?)", LINECARD_GENL_NAME);
	/* 256 streams answer a dump with a lot of messages. */
	nl_socket_set_buffer_size(sk, 1 << 20, 1 << 20);
}

/* Send @msg (consumed), run the replies; the kernel's -errno or 0. */
static int nl_call(struct nl_msg *msg, struct lc_nl_reply *r)
{
	return lc_nl_call(sk, msg, r);
}

static struct nl_msg *nl_req(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags | NLM_F_ACK, cmd, LINECARD_GENL_VERSION))
		die("%s", "out of memory");
	return msg;
}

static unsigned long long nest_u64(struct nlattr *nest, int type, int max)
{
	struct nlattr *tb[64];

	if (!nest || max >= 64 || nla_parse_nested(tb, max, nest, NULL) || !tb[type])
		return 0;
	return nla_get_u64(tb[type]);
}

/* ---- streams ---- */

struct new_reply {
	unsigned int id;
	struct sockaddr_in local;
};

static int parse_new(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct new_reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_STREAM_ID] || !tb[LINECARD_A_STREAM_LOCAL])
		return NL_SKIP;
	r->id = nla_get_u32(tb[LINECARD_A_STREAM_ID]);
	memcpy(&r->local, nla_data(tb[LINECARD_A_STREAM_LOCAL]),
	       nla_len(tb[LINECARD_A_STREAM_LOCAL]) < (int)sizeof(r->local) ?
	       (size_t)nla_len(tb[LINECARD_A_STREAM_LOCAL]) : sizeof(r->local));
	return NL_OK;
}

static int stream_new(unsigned int port, unsigned int ptime,
		      const struct sockaddr_in *remote, struct new_reply *out)
{
	struct lc_nl_reply r = { .parse = parse_new, .arg = out };
	struct nl_msg *msg = nl_req(LINECARD_CMD_STREAM_NEW, 0);
	struct sockaddr_in local = { .sin_family = AF_INET };

	local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	nla_put_u32(msg, LINECARD_A_PORT_INDEX, port);
	nla_put(msg, LINECARD_A_STREAM_LOCAL, sizeof(local), &local);
	if (remote)
		nla_put(msg, LINECARD_A_STREAM_REMOTE, sizeof(*remote), remote);
	nla_put_u8(msg, LINECARD_A_STREAM_CODEC, LINECARD_CODEC_PCMU);
	nla_put_u8(msg, LINECARD_A_STREAM_PT, 0);
	nla_put_u16(msg, LINECARD_A_STREAM_PTIME, ptime);
	memset(out, 0, sizeof(*out));
	return nl_call(msg, &r);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_streams(int argc, char **argv)
{
	unsigned int n, ptime, i;
	sigset_t block, old;
	int ret;

	if (argc < 1)
		return 2;
	n = atoi(argv[0]);
	ptime = argc > 1 ? (unsigned int)atoi(argv[1]) : 20;
	if (n < 2 || n % 2)
		die("%s", "streams: N must be even and at least 2");
	/* The signal may come while the streams are being created. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	nl_open();
	for (i = 0; i < n; i += 2) {
		struct new_reply a, b;
		struct lc_nl_reply r = { 0 };
		struct nl_msg *msg;

		ret = stream_new(i, ptime, NULL, &a);
		if (!ret && !a.id)
			ret = -EPROTO;
		if (!ret)
			ret = stream_new(i + 1, ptime, &a.local, &b);
		if (!ret && !b.id)
			ret = -EPROTO;
		if (!ret) {
			msg = nl_req(LINECARD_CMD_STREAM_SET, 0);
			nla_put_u32(msg, LINECARD_A_STREAM_ID, a.id);
			nla_put(msg, LINECARD_A_STREAM_REMOTE, sizeof(b.local), &b.local);
			ret = nl_call(msg, &r);
		}
		if (ret) {
			fprintf(stderr, "fpbench: stream pair %u-%u: %s\n", i, i + 1,
				strerror(-ret));
			return 1;
		}
	}
	printf("ready streams=%u\n", n);
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	return 0;
}

struct totals {
	unsigned long long streams, tx, rx, lost, late, discarded, idle;
};

static int parse_stream(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct nlattr *st;
	struct totals *t = arg;
	unsigned long long rx;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_STREAM_ID])
		return NL_SKIP;
	st = tb[LINECARD_A_STREAM_STATS];
	t->streams++;
	t->tx += nest_u64(st, LINECARD_A_SSTAT_TX_PACKETS, LINECARD_A_SSTAT_MAX);
	rx = nest_u64(st, LINECARD_A_SSTAT_RX_PACKETS, LINECARD_A_SSTAT_MAX);
	t->rx += rx;
	if (!rx)
		t->idle++;
	t->lost += nest_u64(st, LINECARD_A_SSTAT_LOST, LINECARD_A_SSTAT_MAX);
	t->late += nest_u64(st, LINECARD_A_SSTAT_LATE, LINECARD_A_SSTAT_MAX);
	t->discarded += nest_u64(st, LINECARD_A_SSTAT_DISCARDED, LINECARD_A_SSTAT_MAX);
	return NL_OK;
}

static int cmd_stream_stats(void)
{
	struct totals t = { 0 };
	struct lc_nl_reply r = { .parse = parse_stream, .arg = &t };
	int ret;

	nl_open();
	ret = nl_call(nl_req(LINECARD_CMD_STREAM_GET, NLM_F_DUMP), &r);
	if (ret && ret != -ENOENT) {
		fprintf(stderr, "fpbench: stream dump: %s\n", strerror(-ret));
		return 1;
	}
	printf("streams=%llu tx_packets=%llu rx_packets=%llu silent=%llu lost=%llu "
	       "late=%llu discarded=%llu\n", t.streams, t.tx, t.rx, t.idle, t.lost,
	       t.late, t.discarded);
	return 0;
}

/* ---- measure ---- */

struct clk {
	unsigned long long ticks, late, missed, max_late_ns;
};

static int parse_port(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LINECARD_A_MAX + 1];
	struct clk *c = arg;
	struct nlattr *n;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINECARD_A_MAX, NULL) ||
	    !tb[LINECARD_A_CLOCK])
		return NL_SKIP;
	n = tb[LINECARD_A_CLOCK];
	c->ticks = nest_u64(n, LINECARD_A_CLK_TICKS, LINECARD_A_CLK_MAX);
	c->late = nest_u64(n, LINECARD_A_CLK_LATE, LINECARD_A_CLK_MAX);
	c->missed = nest_u64(n, LINECARD_A_CLK_MISSED, LINECARD_A_CLK_MAX);
	c->max_late_ns = nest_u64(n, LINECARD_A_CLK_MAX_LATENESS_NS, LINECARD_A_CLK_MAX);
	return NL_OK;
}

static void clock_get(struct clk *c)
{
	struct lc_nl_reply r = { .parse = parse_port, .arg = c };
	struct nl_msg *msg = nl_req(LINECARD_CMD_PORT_GET, 0);
	int ret;

	memset(c, 0, sizeof(*c));
	nla_put_u32(msg, LINECARD_A_PORT_INDEX, 0);
	ret = nl_call(msg, &r);
	if (ret) {
		fprintf(stderr, "fpbench: port get: %s\n", strerror(-ret));
		exit(1);
	}
}

/*
 * Idle time of every CPU in ns, from the tick-sched accounting that
 * /proc/stat rounds to 10 ms: time in interrupts and softirqs is not idle.
 * A CPU idle right now (not this one) is counted up to now.
 */
static unsigned long long idle_ns(unsigned long long now)
{
	FILE *f = fopen("/proc/timer_list", "r");
	unsigned long long sum = 0, v, sleep = 0, entry = 0;
	int active = 0, have = 0;
	char line[256];

	if (!f)
		die("%s", "/proc/timer_list: cannot open (root needed)");
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "cpu: ", 5)) {
			if (have)
				sum += sleep + (active && now > entry ? now - entry : 0);
			have = 1;
			sleep = entry = 0;
			active = 0;
		} else if (sscanf(line, " .idle_active : %llu", &v) == 1) {
			active = v != 0;
		} else if (sscanf(line, " .idle_entrytime : %llu", &v) == 1) {
			entry = v;
		} else if (sscanf(line, " .idle_sleeptime : %llu", &v) == 1 ||
			   sscanf(line, " .iowait_sleeptime : %llu", &v) == 1) {
			sleep += v;
		}
	}
	fclose(f);
	if (have)
		sum += sleep + (active && now > entry ? now - entry : 0);
	if (!have)
		die("%s", "/proc/timer_list has no per-CPU idle accounting");
	return sum;
}

/* Packets the softnet backlogs dropped (netdev_max_backlog), all CPUs. */
static unsigned long long softnet_drops(void)
{
	FILE *f = fopen("/proc/net/softnet_stat", "r");
	unsigned long long sum = 0;
	unsigned int processed, dropped;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %x", &processed, &dropped) == 2)
			sum += dropped;
	fclose(f);
	return sum;
}

/* CPU time of the threads whose name starts with @prefix, ns. */
static unsigned long long threads_ns(const char *prefix)
{
	unsigned long long sum = 0, run;
	char path[300], comm[32];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	FILE *f;

	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f) || strncmp(comm, prefix, strlen(prefix))) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%s/schedstat", d->d_name);
		f = fopen(path, "r");
		if (f && fscanf(f, "%llu", &run) == 1)
			sum += run;
		if (f)
			fclose(f);
	}
	if (dir)
		closedir(dir);
	return sum;
}

struct snap {
	unsigned long long t, idle, underruns, overruns, net_drops, ksoftirqd, clock;
	struct clk clk;
};

static void snapshot(struct snap *s, unsigned int nports, pid_t pid)
{
	unsigned int i;

	s->underruns = s->overruns = 0;
	for (i = 0; i < nports; i++) {
		struct linecard_port_info info;
		char path[32];
		int fd;

		/* Write-only: not a reader, so the port's PCM is untouched. */
		snprintf(path, sizeof(path), "/dev/line%u", i);
		fd = open(path, O_WRONLY | O_NONBLOCK);
		if (fd < 0)
			die("cannot open %s", path);
		if (!ioctl(fd, LINECARD_IOC_GET_INFO, &info)) {
			s->underruns += info.pcm_underruns;
			s->overruns += info.pcm_overruns;
		}
		close(fd);
	}
	clock_get(&s->clk);
	s->net_drops = softnet_drops();
	/* softirqs deferred to a thread; the frame clock's thread */
	s->ksoftirqd = threads_ns("ksoftirqd/");
	s->clock = threads_ns("linecard/");
	s->t = mono_ns();
	s->idle = idle_ns(s->t);
	if (pid > 0 && kill(pid, SIGUSR1))
		die("cannot signal the relay: %s", strerror(errno));
}

static int cmd_measure(int argc, char **argv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct snap a, b;
	struct timespec ts;
	unsigned int nports;
	double secs, busy;
	pid_t pid;

	if (argc < 2)
		return 2;
	secs = atof(argv[0]);
	nports = atoi(argv[1]);
	pid = argc > 2 ? atoi(argv[2]) : 0;
	nl_open();
	snapshot(&a, nports, pid);
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	snapshot(&b, nports, pid);
	busy = (double)(b.t - a.t) * ncpu - (double)(b.idle - a.idle);
	printf("elapsed_ns=%llu busy_ns=%.0f ncpu=%ld ticks=%llu late=%llu missed=%llu "
	       "max_late_us=%llu underruns=%llu overruns=%llu backlog_drops=%llu ksoftirqd_ns=%llu "
	       "clock_ns=%llu\n",
	       b.t - a.t, busy < 0 ? 0 : busy, ncpu, b.clk.ticks - a.clk.ticks,
	       b.clk.late - a.clk.late, b.clk.missed - a.clk.missed,
	       b.clk.max_late_ns / 1000, b.underruns - a.underruns,
	       b.overruns - a.overruns, b.net_drops - a.net_drops, b.ksoftirqd - a.ksoftirqd,
	       b.clock - a.clock);
	return 0;
}

/* ---- capture ---- */

#define BLOCK_SIZE	(1 << 20)
#define BLOCKS		48
#define SNAPLEN		96

/* The last packet seen from each UDP source port. */
struct flow {
	unsigned long long t;
	unsigned short seq;
	bool seen;
};

static int cmp_u32(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static int cmd_capture(int argc, char **argv)
{
	/* Only what lo transmits (its receive copy is the same packet). */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SNAPLEN),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter none[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { .len = 4, .filter = code };
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCKS,
		.tp_frame_size = 2048,
		.tp_frame_nr = BLOCK_SIZE / 2048 * BLOCKS,
		.tp_retire_blk_tov = 60000,
	};
	int ver = TPACKET_V3, fd;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	struct tpacket_stats_v3 st;
	socklen_t sl = sizeof(st);
	static struct flow flows[65536];
	unsigned int nflows = 0, *dev, ndev = 0, cap, pkts = 0, gaps = 0;
	unsigned long long ptime_ns;
	double secs;
	unsigned char *ring;
	struct timespec ts;
	unsigned int b;

	if (argc < 2)
		return 2;
	secs = atof(argv[0]);
	ptime_ns = atoi(argv[1]) * 1000000ULL;
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		die("packet socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		die("packet ring: %s", strerror(errno));
	ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCKS, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	ll.sll_protocol = htons(ETH_P_ALL);
	ll.sll_ifindex = if_nametoindex("lo");
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)))
		die("bind lo: %s", strerror(errno));
	/* Discard what was counted before the ring was bound. */
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	prog.len = 1;
	prog.filter = none;
	setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
	/* Let a packet being written land; nothing is written after. */
	usleep(50000);
	sl = sizeof(st);
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);

	cap = BLOCK_SIZE / 64 * BLOCKS;
	dev = malloc(cap * sizeof(*dev));
	if (!dev)
		die("%s", "out of memory");
	for (b = 0; b < BLOCKS; b++) {
		struct tpacket_block_desc *bd = (void *)(ring + (size_t)b * BLOCK_SIZE);
		struct tpacket3_hdr *h;
		unsigned int i;

		/*
		 * Blocks fill in order; the one being filled when the filter
		 * closed is still the kernel's (no timer retires it: the
		 * timeout is longer than any capture) but nothing more is
		 * written to it, and its packet count is up to date.
		 */
		if (!(bd->hdr.bh1.block_status & TP_STATUS_USER) && !bd->hdr.bh1.num_pkts)
			break;
		if (getenv("FPBENCH_DEBUG"))
			fprintf(stderr, "block %u status %#x packets %u\n", b,
				bd->hdr.bh1.block_status, bd->hdr.bh1.num_pkts);
		h = (void *)((unsigned char *)bd + bd->hdr.bh1.offset_to_first_pkt);
		for (i = 0; i < bd->hdr.bh1.num_pkts; i++,
		     h = (void *)((unsigned char *)h + h->tp_next_offset)) {
			const unsigned char *p = (unsigned char *)h + h->tp_mac;
			unsigned int len = h->tp_snaplen, ihl, f;
			unsigned long long t;
			unsigned short sport, seq;

			if (len < 14 + 20 + 8 + 12 || p[12] != 0x08 || p[13] != 0x00)
				continue;
			p += 14;
			len -= 14;
			ihl = (p[0] & 0xf) * 4;
			if (p[9] != IPPROTO_UDP || len < ihl + 8 + 12)
				continue;
			p += ihl;
			sport = p[0] << 8 | p[1];
			p += 8;
			/* RTP version 2, PCMU, from an even port (not RTCP). */
			if ((p[0] & 0xc0) != 0x80 || (p[1] & 0x7f) != 0 || (sport & 1))
				continue;
			seq = p[2] << 8 | p[3];
			t = h->tp_sec * 1000000000ULL + h->tp_nsec;
			pkts++;
			f = sport;
			if (!flows[f].seen) {
				flows[f].seen = true;
				flows[f].seq = seq;
				flows[f].t = t;
				nflows++;
				continue;
			}
			if ((unsigned short)(flows[f].seq + 1) == seq && ndev < cap) {
				long long d = (long long)(t - flows[f].t) - (long long)ptime_ns;

				dev[ndev++] = (unsigned int)((d < 0 ? -d : d) / 1000);
				if (getenv("FPBENCH_DEBUG") && (d > 1000000 || d < -1000000))
					fprintf(stderr, "dev port %u seq %u at %llu.%06llu: %+lld us\n",
						sport, seq, t / 1000000000ULL % 1000,
						t / 1000 % 1000000, d / 1000);
			} else {
				gaps++;
				if (getenv("FPBENCH_DEBUG"))
					fprintf(stderr, "gap port %u seq %u -> %u after %lld us\n",
						sport, flows[f].seq, seq,
						(long long)(t - flows[f].t) / 1000);
			}
			flows[f].seq = seq;
			flows[f].t = t;
		}
		if (!(bd->hdr.bh1.block_status & TP_STATUS_USER))
			break;
		bd->hdr.bh1.block_status = TP_STATUS_KERNEL;
	}
	qsort(dev, ndev, sizeof(*dev), cmp_u32);
	printf("packets=%u streams=%u deltas=%u gaps=%u drops=%u p50_us=%u p99_us=%u "
	       "max_us=%u\n", pkts, nflows, ndev, gaps, st.tp_drops,
	       ndev ? dev[ndev / 2] : 0, ndev ? dev[(unsigned long long)ndev * 99 / 100] : 0,
	       ndev ? dev[ndev - 1] : 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int ret = 2;

	argc -= 2;
	argv += 2;
	if (!strcmp(c, "streams"))
		ret = cmd_streams(argc, argv);
	else if (!strcmp(c, "measure"))
		ret = cmd_measure(argc, argv);
	else if (!strcmp(c, "capture"))
		ret = cmd_capture(argc, argv);
	else if (!strcmp(c, "stream-stats"))
		ret = cmd_stream_stats();
	if (ret == 2)
		fprintf(stderr, "usage: fpbench streams N [PTIME] | measure SECS NPORTS | "
			"capture SECS PTIME | stream-stats\n");
	return ret;
}

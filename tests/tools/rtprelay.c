// SPDX-License-Identifier: GPL-2.0
/*
 * rtprelay: the user-space counterpart of the kernel fast path, for
 * scripts/bench/fastpath.  One single-threaded epoll process does for
 * each of N ports what a kernel stream does, with the module's own code
 * (kernel/g711.c, kernel/rtp.c and kernel/jbuf.c, built for user space):
 *
 *   every 10 ms frame read from /dev/lineN (raw PCM, the frame clock wakes
 *   us): G.711 µ-law encode; every PTIME ms an RTP packet (lc_rtp_build)
 *   sent on the port's UDP socket to its partner (port i talks to port
 *   i^1 over loopback, as the kernel streams of the benchmark do); one
 *   earpiece frame from the jitter buffer (lc_jbuf_get) written back to
 *   /dev/lineN; RTCP sender reports every 2.5-7.5 s on the next port.
 *
 *   every packet received: lc_rtp_parse, payload type, length and SSRC
 *   checks, RFC 3550 receive statistics (lc_rtp_rx_update), G.711 decode,
 *   lc_jbuf_put; RTCP parsed with lc_rtcp_parse.
 *
 * The sockets are connected to the partner (the kernel looks the route up
 * for every packet; a connected socket is the relay's best case).
 *
 *   rtprelay N [SECONDS] [PTIME]     (SECONDS 0: until SIGTERM)
 *
 * Prints "ready" on stdout once every port and socket is set up, the
 * frames relayed so far ("snap frames=N") on SIGUSR1, and a summary line
 * at the end: frames, packets, losses, its own CPU time.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "g711.h"
#include "jbuf.h"
#include "rtp.h"

#define FRAME		LINECARD_FRAME_SAMPLES
#define FRAME_BYTES	(FRAME * 2)
#define MAX_PTIME	60
#define MAX_SAMPLES	(MAX_PTIME * 8)
#define BASE_PORT	30000
#define RTCP_MS		5000

enum { EV_LINE, EV_RTP, EV_RTCP };

struct relay {
	int line, rtp, rtcp;
	/* transmit */
	u32 ssrc;
	u16 seq;
	u32 ts;
	u32 last_tx_ts;
	u8 txbuf[MAX_SAMPLES];
	unsigned int txfill;
	bool talkspurt;
	u64 next_rtcp_ns;
	u64 t_frame0;			/* nominal time of frame 0 */
	/* receive */
	struct lc_rtp_rx rx;
	bool rx_started;
	struct lc_jbuf jb;
	u32 remote_sr_mid;
	u64 remote_sr_at;
	/* counters */
	u64 frames, tx, rx_pkts, discarded, tx_err, ear_drop, rtcp_tx, rtcp_rx;
};

static struct relay *relays;
static unsigned int nrelay, ptime_samples;
static volatile sig_atomic_t stop, snap;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		snap = 1;
	else
		stop = 1;
}

static u64 now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static u32 rnd32(void)
{
	u32 v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (u32)rand();
	return v;
}

static void fail(const char *what, unsigned int i)
{
	fprintf(stderr, "rtprelay: %s %u: %s\n", what, i, strerror(errno));
	exit(1);
}

static int udp_socket(unsigned int port, unsigned int peer)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int tos = 46 << 2;	/* EF, as the kernel streams */
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		fail("socket", port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		fail("bind", port);
	a.sin_port = htons(peer);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		fail("connect", port);
	return fd;
}

static void watch(int ep, int fd, unsigned int type, unsigned int i)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (u64)type << 32 | i };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		fail("epoll_ctl", i);
}

/* NTP time (32.32) of a CLOCK_REALTIME time, as stream.c computes it. */
static u64 ntp(u64 real)
{
	u64 secs = real / 1000000000ULL + 2208988800ULL;
	u64 rem = real % 1000000000ULL;

	return secs << 32 | ((rem << 32) / 1000000000ULL);
}

static void send_rtcp(struct relay *r, u64 now)
{
	struct lc_rtcp_sr_info sr;
	struct lc_rtcp_report rb;
	unsigned int len;
	u8 buf[128];

	if (r->tx) {
		sr.ntp = ntp(now_ns(CLOCK_REALTIME));
		sr.rtp_ts = r->last_tx_ts;
		sr.packets = (u32)r->tx;
		sr.octets = (u32)(r->tx * ptime_samples);
	}
	if (r->rx_started) {
		rb.ssrc = r->rx.ssrc;
		rb.fraction_lost = lc_rtp_rx_fraction(&r->rx);
		rb.cumulative_lost = lc_rtp_rx_lost(&r->rx);
		rb.ext_max_seq = lc_rtp_rx_ext_max_seq(&r->rx);
		rb.jitter = lc_rtp_rx_jitter(&r->rx);
		rb.lsr = r->remote_sr_mid;
		rb.dlsr = r->remote_sr_at ? (u32)(((now - r->remote_sr_at) << 16) / 1000000000ULL) : 0;
	}
	len = lc_rtcp_build(buf, sizeof(buf), r->ssrc, r->tx ? &sr : NULL,
			    r->rx_started ? &rb : NULL, "rtprelay");
	if (len && send(r->rtcp, buf, len, 0) == (ssize_t)len)
		r->rtcp_tx++;
}

/*
 * One 10 ms mouthpiece frame: what lc_stream_tx_frame and _rx_frame do.
 * The earpiece frame is played at the frame's nominal time, as the kernel
 * does (its tick passes start + n * 10 ms): frames read together, late,
 * are still 10 ms apart for the jitter buffer.
 */
static void frame(struct relay *r, const s16 *mouth, u64 now)
{
	s16 ear[FRAME];
	u64 t;

	if (!r->frames || now > r->t_frame0 + r->frames * 10000000ULL + 500000000ULL)
		r->t_frame0 = now - r->frames * 10000000ULL;	/* start, or fell far behind */
	t = r->t_frame0 + r->frames * 10000000ULL;
	r->frames++;
	lc_ulaw_encode_buf(r->txbuf + r->txfill, mouth, FRAME);
	r->txfill += FRAME;
	if (r->txfill >= ptime_samples) {
		u8 pkt[LC_RTP_HDR_LEN + MAX_SAMPLES];
		size_t len = LC_RTP_HDR_LEN + ptime_samples;

		lc_rtp_build(pkt, 0, r->talkspurt, r->seq++, r->ts, r->ssrc);
		memcpy(pkt + LC_RTP_HDR_LEN, r->txbuf, ptime_samples);
		if (send(r->rtp, pkt, len, 0) == (ssize_t)len) {
			r->tx++;
			r->last_tx_ts = r->ts;
		} else {
			r->tx_err++;
		}
		r->talkspurt = false;
		r->ts += ptime_samples;
		r->txfill = 0;
	}

	lc_jbuf_get(&r->jb, t, ear);
	if (write(r->line, ear, sizeof(ear)) != (ssize_t)sizeof(ear))
		r->ear_drop++;

	if (now >= r->next_rtcp_ns) {
		r->next_rtcp_ns = now + (RTCP_MS / 2 + rnd32() % RTCP_MS) * 1000000ULL;
		send_rtcp(r, now);
	}
}

/* One received RTP packet: what lc_stream_rx_rtp does. */
static void rx_rtp(struct relay *r, const u8 *data, unsigned int len, u64 now)
{
	s16 pcm[MAX_SAMPLES];
	struct lc_rtp_pkt pkt;

	if (lc_rtp_parse(data, len, &pkt) != LC_RTP_OK || pkt.pt != 0 ||
	    !pkt.len || pkt.len > MAX_SAMPLES ||
	    (r->rx_started && pkt.ssrc != r->rx.ssrc)) {
		r->discarded++;
		return;
	}
	if (!r->rx_started) {
		lc_rtp_rx_init(&r->rx, pkt.ssrc, pkt.seq);
		r->rx.probation = 0;
		r->rx_started = true;
	}
	if (!lc_rtp_rx_update(&r->rx, pkt.seq, pkt.ts, (u32)(now / 125000))) {
		r->discarded++;
		return;
	}
	r->rx_pkts++;
	lc_ulaw_decode_buf(pcm, pkt.payload, pkt.len);
	lc_jbuf_put(&r->jb, now, pkt.seq, pkt.ts, pkt.ssrc, pkt.marker, pcm, pkt.len);
}

static void rx_rtcp(struct relay *r, const u8 *data, unsigned int len, u64 now)
{
	struct lc_rtcp_parsed p;

	if (lc_rtcp_parse(data, len, r->ssrc, &p))
		return;
	r->rtcp_rx++;
	if (p.have_sr) {
		r->remote_sr_mid = p.sr_ntp_mid;
		r->remote_sr_at = now;
	}
}

int main(int argc, char **argv)
{
	struct lc_jbuf_cfg jcfg = { .min_ms = 20, .max_ms = 200 };
	struct epoll_event evs[512];
	u64 t0, end = 0, tot_frames = 0, tot_tx = 0, tot_rx = 0, tot_disc = 0,
	    tot_err = 0, tot_drop = 0, tot_late = 0, tot_lost = 0, tot_plc = 0,
	    tot_ins = 0, tot_dropped = 0;
	struct lc_jbuf_stats js;
	struct rusage ru;
	double secs = 0;
	unsigned int i, ptime = 20;
	int ep;

	if (argc < 2) {
		fprintf(stderr, "usage: rtprelay N [SECONDS] [PTIME]\n");
		return 2;
	}
	nrelay = atoi(argv[1]);
	if (argc > 2)
		secs = atof(argv[2]);
	if (argc > 3)
		ptime = atoi(argv[3]);
	if (nrelay < 2 || nrelay % 2 || nrelay > LINECARD_MAX_PORTS || ptime < 10 ||
	    ptime > MAX_PTIME || ptime % 10) {
		fprintf(stderr, "rtprelay: N must be even (2-256), PTIME 10-60 in tens\n");
		return 2;
	}
	ptime_samples = ptime * 8;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_signal);

	relays = calloc(nrelay, sizeof(*relays));
	ep = epoll_create1(0);
	if (!relays || ep < 0)
		fail("setup", 0);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < nrelay; i++) {
		struct relay *r = &relays[i];
		unsigned int peer = i ^ 1;
		char path[32];

		snprintf(path, sizeof(path), "/dev/line%u", i);
		r->line = open(path, O_RDWR | O_NONBLOCK);
		if (r->line < 0)
			fail("open /dev/line", i);
		r->rtp = udp_socket(BASE_PORT + 2 * i, BASE_PORT + 2 * peer);
		r->rtcp = udp_socket(BASE_PORT + 2 * i + 1, BASE_PORT + 2 * peer + 1);
		r->ssrc = rnd32();
		r->seq = (u16)rnd32();
		r->ts = rnd32();
		r->talkspurt = true;
		r->next_rtcp_ns = t0 + RTCP_MS / 2 * 1000000ULL;
		lc_jbuf_init(&r->jb, &jcfg);
		watch(ep, r->line, EV_LINE, i);
		watch(ep, r->rtp, EV_RTP, i);
		watch(ep, r->rtcp, EV_RTCP, i);
	}
	printf("ready ports=%u\n", nrelay);
	fflush(stdout);
	if (secs > 0)
		end = now_ns(CLOCK_MONOTONIC) + (u64)(secs * 1e9);

	while (!stop) {
		int n = epoll_wait(ep, evs, sizeof(evs) / sizeof(evs[0]), 200);
		u64 now = now_ns(CLOCK_MONOTONIC);
		int k;

		if (n < 0 && errno != EINTR)
			fail("epoll_wait", 0);
		if (end && now >= end)
			break;
		if (snap) {
			/* fpbench measure asks: frames relayed so far. */
			u64 f = 0;

			snap = 0;
			for (i = 0; i < nrelay; i++)
				f += relays[i].frames;
			printf("snap frames=%llu\n", (unsigned long long)f);
			fflush(stdout);
		}
		for (k = 0; k < n; k++) {
			struct relay *r = &relays[(u32)evs[k].data.u64];
			unsigned int type = evs[k].data.u64 >> 32;
			u8 buf[2048] __attribute__((aligned(8)));
			ssize_t len;

			if (type == EV_LINE) {
				/* Every whole frame the clock has delivered. */
				len = read(r->line, buf, 4 * FRAME_BYTES);
				for (ssize_t off = 0; off + FRAME_BYTES <= len; off += FRAME_BYTES)
					frame(r, (const s16 *)(buf + off), now);
				if (len < 0 && errno != EAGAIN) {
					fprintf(stderr, "rtprelay: read line%u: %s\n",
						(unsigned int)(r - relays), strerror(errno));
					return 1;
				}
				continue;
			}
			/* One packet an event: epoll reports the socket again if more. */
			len = recv(type == EV_RTP ? r->rtp : r->rtcp, buf, sizeof(buf), 0);
			/* Arrival time of this packet, as the kernel takes it. */
			if (len >= 0 && type == EV_RTP)
				rx_rtp(r, buf, len, now_ns(CLOCK_MONOTONIC));
			else if (len >= 0)
				rx_rtcp(r, buf, len, now);
		}
	}

	for (i = 0; i < nrelay; i++) {
		struct relay *r = &relays[i];

		lc_jbuf_get_stats(&r->jb, &js);
		tot_frames += r->frames;
		tot_tx += r->tx;
		tot_rx += r->rx_pkts;
		tot_disc += r->discarded;
		tot_err += r->tx_err;
		tot_drop += r->ear_drop;
		tot_late += js.late;
		tot_lost += js.lost;
		tot_plc += js.plc_frames;
		tot_ins += js.inserted;
		tot_dropped += js.dropped;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("frames=%llu tx_packets=%llu rx_packets=%llu discarded=%llu tx_errors=%llu "
	       "ear_drops=%llu lost=%llu late=%llu plc_frames=%llu jb_inserted=%llu "
	       "jb_dropped=%llu user_ms=%ld sys_ms=%ld run_ms=%llu\n",
	       (unsigned long long)tot_frames, (unsigned long long)tot_tx,
	       (unsigned long long)tot_rx, (unsigned long long)tot_disc,
	       (unsigned long long)tot_err, (unsigned long long)tot_drop,
	       (unsigned long long)tot_lost, (unsigned long long)tot_late,
	       (unsigned long long)tot_plc, (unsigned long long)tot_ins,
	       (unsigned long long)tot_dropped,
	       ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000,
	       ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000,
	       (unsigned long long)((now_ns(CLOCK_MONOTONIC) - t0) / 1000000));
	return 0;
}

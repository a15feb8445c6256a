/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linecardd's side of the kernel contract (uapi/linux/linecard.h):
 *   - the generic netlink family: one socket for commands, one
 *     non-blocking socket subscribed to the "events" group, which the
 *     daemon drains until empty whenever its loop sees it readable;
 *   - the /dev/lineN descriptors of the ports in use: line events
 *     (hook, flash, digits) and the tone and ring ioctls.
 * Every function returns 0 (or a descriptor) or a negative errno; libnl's
 * -NLE_* codes never leave this file.
 */
#ifndef LINECARD_DAEMON_KERNEL_H
#define LINECARD_DAEMON_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/linecard.h>

struct nl_sock;

struct lc_kernel {
	struct nl_sock *cmd;		/* requests and their replies */
	struct nl_sock *ev;		/* the "events" multicast group */
	int family;
};

typedef void (*lc_kernel_event_fn)(void *arg, const struct linecard_event *ev);

/* Resolve the family and join its events group; @err says what failed. */
int lc_kernel_open(struct lc_kernel *k, char *err, size_t errlen);
void lc_kernel_close(struct lc_kernel *k);
int lc_kernel_event_fd(const struct lc_kernel *k);

/*
 * Read every queued notification and hand each event to @fn.  Returns the
 * number of events, or -errno; -ENOBUFS means the socket overflowed and
 * events were lost: the caller must re-read the state it depends on.
 */
int lc_kernel_drain(struct lc_kernel *k, lc_kernel_event_fn fn, void *arg);

/* /dev/lineN, non-blocking and close-on-exec. */
int lc_line_open(unsigned int index);
int lc_line_info(int fd, struct linecard_port_info *info);
/* The oldest queued event: 0, or -EAGAIN when there is none. */
int lc_line_event(int fd, struct linecard_event *ev);
int lc_line_tone(int fd, const struct linecard_tone *tone);
int lc_line_tone_stop(int fd);
int lc_line_ring(int fd, const struct linecard_ring *ring);
int lc_line_ring_stop(int fd);
/* Ring and send caller-ID message @msg (no checksum) in the first silence. */
int lc_line_ring_cid(int fd, const struct linecard_ring *ring, unsigned int standard,
		     const uint8_t *msg, size_t len);

/* RTP streams (LINECARD_CMD_STREAM_*), owned by the command socket. */
struct lc_stream_req {
	unsigned int port;
	struct sockaddr_storage local;	/* port 0: the kernel picks an even one */
	struct sockaddr_storage remote;	/* family AF_UNSPEC: none yet */
	int codec;			/* LINECARD_CODEC_* */
	int pt;
	int ptime;			/* ms */
	int te_pt;			/* RFC 4733 payload type, -1: none */
	int dir;			/* LINECARD_DIR_* */
	unsigned int timeout_ms;	/* remote silence before STREAM_TIMEOUT, 0: never */
};

/* A stream as the kernel has it: its statistics and what it is set to. */
struct lc_stream_stats {
	uint64_t tx_packets, rx_packets, lost, late, discarded;
	uint32_t jitter_us, playout_ms, rtt_us;
	struct sockaddr_storage local, remote;	/* remote: AF_UNSPEC when none */
	unsigned int codec, pt, ptime, dir;	/* LINECARD_CODEC_*, LINECARD_DIR_* */
};

/*
 * Create: @id and the local address the kernel bound (@local) on success.
 * The kernel's extended ack, when there is one, goes into @err.
 */
int lc_stream_new(struct lc_kernel *k, const struct lc_stream_req *r, unsigned int *id,
		  struct sockaddr_storage *local, char *err, size_t errlen);
/*
 * Change what is given: @remote NULL, @dir, @te_pt or @timeout_ms -1
 * leave it as it is.  A timeout given (0: none) counts from now.
 */
int lc_stream_set(struct lc_kernel *k, unsigned int id, const struct sockaddr_storage *remote,
		  int dir, int te_pt, int timeout_ms, char *err, size_t errlen);
int lc_stream_del(struct lc_kernel *k, unsigned int id);
/* Send RFC 4733 event @code (e.g. 16, hook flash) on the stream. */
int lc_stream_send_event(struct lc_kernel *k, unsigned int id, unsigned int code);
int lc_stream_get(struct lc_kernel *k, unsigned int id, struct lc_stream_stats *st);

const char *lc_event_name(unsigned int type);

#endif /* LINECARD_DAEMON_KERNEL_H */

/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * linecard: analog telephony ports (FXS) as /dev/lineN, with software DSP
 * and an in-kernel RTP fast path.
 *
 * This header is the whole contract between linecard.ko and user space.
 *
 * Character devices: /dev/lineN
 * ------------------------------
 *
 * One device per port, numbered from 0.  Opening is not exclusive.
 *
 *   read(2)   raw PCM from the mouthpiece: signed 16-bit native-endian
 *             samples at 8000 Hz, whole samples only.  Blocks (unless
 *             O_NONBLOCK) until a frame is available.  Returns EBUSY while
 *             an RTP stream owns the port.  Audio not read within about a
 *             second is overwritten and counted as an overrun.
 *   write(2)  raw PCM to the earpiece, same format; mixed with any tone the
 *             port is playing.  Blocks while the playout buffer is full.
 *             EBUSY while a stream owns the port; EINVAL for a length that
 *             is not a whole number of samples.
 *   poll(2)   EPOLLIN: PCM can be read; EPOLLOUT: PCM can be written;
 *             EPOLLPRI: an event is queued (fetch it with
 *             LINECARD_IOC_GET_EVENT); EPOLLHUP|EPOLLERR: the port was
 *             removed (every further call fails with ENODEV).
 *
 * ioctls (magic LINECARD_IOC_MAGIC):
 *
 *   LINECARD_IOC_GET_INFO   (struct linecard_port_info, out)
 *       Port index, backend name, line state and counters.
 *   LINECARD_IOC_GET_EVENT  (struct linecard_event, out)
 *       Dequeue the oldest event; EAGAIN when none is queued.  The queue
 *       holds LINECARD_EVENT_QUEUE_LEN events per open file; when it is
 *       full, further events are counted and reported as one
 *       LINECARD_EV_OVERFLOW event (value = number lost) as soon as there
 *       is room, in the order they would have arrived.
 *   LINECARD_IOC_RING       (struct linecard_ring, in)
 *       Ring with a cadence (steps with mask bit 0 set ring, others are
 *       silent); replaces any ring in progress.  EBUSY while off hook.
 *   LINECARD_IOC_RING_STOP  (none)
 *   LINECARD_IOC_TONE_PLAY  (struct linecard_tone, in)
 *       Play a tone into the earpiece; replaces the tone playing.  When a
 *       tone with a finite repeat count ends, LINECARD_EV_TONE_DONE is
 *       reported.  EBUSY while a caller ID message (RING_CID) waits for
 *       its silence or is being sent: the tone would be mixed into it.
 *   LINECARD_IOC_TONE_STOP  (none)
 *   LINECARD_IOC_SET_POLARITY (__u32, in: LINECARD_POLARITY_*)
 *   LINECARD_IOC_SET_LINEFEED (__u32, in: LINECARD_LINEFEED_*)
 *   LINECARD_IOC_RING_CID   (struct linecard_ring_cid, in)
 *       Ring as LINECARD_IOC_RING does and send a caller ID message, as
 *       FSK into the earpiece audio (on-hook transmission), in the first
 *       silence of the cadence: when the first ring burst ends, 500 ms of
 *       silence, then 300 bits of channel seizure (alternating 0 and 1,
 *       starting with 0), 180 mark bits, the message bytes of @msg and the
 *       checksum the kernel appends (two's complement of the modulo-256
 *       sum of the bytes, Telcordia GR-30 / ETSI EN 300 659-2), each byte
 *       as a start bit 0, 8 data bits LSB first and a stop bit 1, then 5
 *       mark bits.  1200 bit/s, phase continuous, -13 dBm0;
 *       LINECARD_CID_BELL202 sends mark 1200 Hz / space 2200 Hz,
 *       LINECARD_CID_V23 mark 1300 Hz / space 2100 Hz.  The next ring
 *       burst starts no earlier than 200 ms after the message: a silent
 *       step too short for it is lengthened.  @msg is the message as the
 *       caller builds it, without its checksum: message type (SDMF 0x04,
 *       MDMF 0x80, ...), message length, parameters; @len counts those
 *       bytes and must be 3..LINECARD_CID_MAX_MSG with msg[1] == @len - 2.
 *       Bytes of @msg beyond @len are ignored.  The cadence
 *       must have a ring step followed by a silent step.  EINVAL
 *       otherwise, or for an unknown @standard or a non-zero reserved
 *       field or flag; EBUSY while off hook.  RING_STOP, a new RING or
 *       RING_CID and going off hook (at once, also in the middle of the
 *       message) end the message with the ring.
 *
 * The ioctls that change the line (RING, RING_CID, RING_STOP, TONE_*,
 * SET_*) require CAP_NET_ADMIN; the others only an open descriptor.
 * Reserved fields and unknown flags must be zero (EINVAL otherwise); a bad
 * user pointer is EFAULT; a removed port is ENODEV.
 *
 * Generic netlink family LINECARD_GENL_NAME, version LINECARD_GENL_VERSION
 * -------------------------------------------------------------------------
 *
 * Commands marked (admin) require CAP_NET_ADMIN.  Attributes are validated
 * strictly: unknown attributes, wrong lengths, missing required attributes
 * and unknown flag bits are rejected with EINVAL, values outside their
 * documented range with ERANGE, both with an extended ack naming the
 * attribute.
 *
 *   LINECARD_CMD_PORT_GET  (doit: LINECARD_A_PORT_INDEX; or dump)
 *       Reply per port: LINECARD_A_PORT_INDEX, _NAME, _BACKEND, _HOOK,
 *       _RING, _TONE, _POLARITY, _LINEFEED, _FLAGS, _CONFIG (nested
 *       LINECARD_A_CFG_*), _STATS (nested LINECARD_A_STAT_*) and
 *       LINECARD_A_CLOCK (nested LINECARD_A_CLK_*: the backend's frame
 *       clock).  ENODEV for a port that does not exist.
 *   LINECARD_CMD_PORT_SET  (admin; LINECARD_A_PORT_INDEX, LINECARD_A_PORT_CONFIG)
 *       Change line-signalling timing.  Every LINECARD_A_CFG_* is optional;
 *       the resulting configuration must satisfy
 *         debounce < pulse break min < flash min < flash max,
 *       all within LINECARD_CFG_MAX_MS, else EINVAL.
 *   LINECARD_CMD_EVENT     (kernel to user only, on the "events" group)
 *       LINECARD_A_PORT_INDEX, LINECARD_A_EVENT_TYPE, _TIMESTAMP, and per
 *       type _DIGIT, _SOURCE, _DURATION, _VALUE (see struct linecard_event).
 *   LINECARD_CMD_STREAM_NEW, _SET, _DEL, _GET  (admin except _GET)
 *       RTP streams.  Attributes LINECARD_A_STREAM_*; a stream is owned by
 *       the netlink socket that created it and is deleted when that socket
 *       closes.
 *
 * Multicast group LINECARD_GENL_MCGRP_EVENTS carries LINECARD_CMD_EVENT for
 * every port.  A listener that falls behind gets ENOBUFS from its socket,
 * so a lost event is never silent.
 */

#ifndef _UAPI_LINUX_LINECARD_H
#define _UAPI_LINUX_LINECARD_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/const.h>

#define LINECARD_SAMPLE_RATE		8000
#define LINECARD_FRAME_MS		10
#define LINECARD_FRAME_SAMPLES		80
#define LINECARD_MAX_PORTS		256
#define LINECARD_NAME_LEN		16
#define LINECARD_EVENT_QUEUE_LEN	64

/* Line state */
enum linecard_hook {
	LINECARD_HOOK_ON = 0,
	LINECARD_HOOK_OFF = 1,
};

enum linecard_polarity {
	LINECARD_POLARITY_NORMAL = 0,
	LINECARD_POLARITY_REVERSE = 1,
};

enum linecard_linefeed {
	LINECARD_LINEFEED_ACTIVE = 0,	/* loop current available */
	LINECARD_LINEFEED_OPEN = 1,	/* no feed: disconnect clear */
	LINECARD_LINEFEED_STANDBY = 2,	/* low-power on-hook feed */
	__LINECARD_LINEFEED_LAST
};

#define LINECARD_LINEFEED_MAX (__LINECARD_LINEFEED_LAST - 1)

/* struct linecard_port_info.flags, LINECARD_A_PORT_FLAGS */
#define LINECARD_PORT_F_STREAM		_BITUL(0)	/* an RTP stream owns it */
#define LINECARD_PORT_F_RINGING		_BITUL(1)	/* ring voltage now */
#define LINECARD_PORT_F_REMOVED		_BITUL(2)

/* Tones and ring cadences */
#define LINECARD_TONE_MAX_FREQS		4
#define LINECARD_MAX_STEPS		16
#define LINECARD_TONE_MIN_DBM0		(-60)
#define LINECARD_TONE_MAX_DBM0		3
#define LINECARD_TONE_MAX_HZ		3999
#define LINECARD_STEP_MAX_MS		60000

struct linecard_tone_freq {
	__u16 hz;		/* 0 = unused */
	__s8 dbm0;		/* level of this component */
	__u8 reserved;
};

/*
 * One cadence step: @mask selects what sounds for @duration_ms.  For a
 * tone, bit i switches frequency i on; for a ring, bit 0 is ring voltage.
 */
struct linecard_step {
	__u16 duration_ms;
	__u8 mask;
	__u8 reserved;
};

/*
 * A tone: every frequency in @freq sounds continuously when @nsteps is 0.
 * Otherwise the steps play in order, @repeat times (0 = until stopped).
 */
struct linecard_tone {
	struct linecard_tone_freq freq[LINECARD_TONE_MAX_FREQS];
	struct linecard_step step[LINECARD_MAX_STEPS];
	__u16 nsteps;
	__u16 repeat;
	__u32 flags;		/* must be 0 */
};

/* A ring cadence, as for a tone; @nsteps 0 rings continuously. */
struct linecard_ring {
	struct linecard_step step[LINECARD_MAX_STEPS];
	__u16 nsteps;
	__u16 repeat;
	__u32 flags;		/* must be 0 */
};

/* Caller ID on the analog line: LINECARD_IOC_RING_CID */
#define LINECARD_CID_MAX_MSG		128	/* type, length, parameters */

enum linecard_cid_standard {
	LINECARD_CID_BELL202 = 0,	/* Telcordia GR-30: 1200 / 2200 Hz */
	LINECARD_CID_V23 = 1,		/* ETSI EN 300 659-1: 1300 / 2100 Hz */
	__LINECARD_CID_LAST
};

#define LINECARD_CID_MAX (__LINECARD_CID_LAST - 1)

struct linecard_ring_cid {
	struct linecard_ring ring;
	__u8 standard;		/* LINECARD_CID_* */
	__u8 reserved;		/* must be 0 */
	__u16 len;		/* bytes of @msg used */
	__u32 flags;		/* must be 0 */
	__u8 msg[LINECARD_CID_MAX_MSG];	/* without the checksum */
};

/* Events, on /dev/lineN and on the "events" multicast group */
enum linecard_event_type {
	LINECARD_EV_NONE = 0,
	LINECARD_EV_OFFHOOK = 1,
	LINECARD_EV_ONHOOK = 2,
	LINECARD_EV_FLASH = 3,		/* duration = break length */
	LINECARD_EV_DIGIT = 4,		/* digit, source, duration */
	LINECARD_EV_TONE_DONE = 5,
	LINECARD_EV_RING_DONE = 6,
	LINECARD_EV_PORT_ADD = 7,
	LINECARD_EV_PORT_REMOVE = 8,
	LINECARD_EV_OVERFLOW = 9,	/* value = events lost */
	LINECARD_EV_TELEPHONE_EVENT = 10, /* RFC 4733 event received */
	LINECARD_EV_STREAM_TIMEOUT = 11,
	__LINECARD_EV_LAST
};

enum linecard_digit_source {
	LINECARD_DIGIT_DTMF = 0,
	LINECARD_DIGIT_PULSE = 1,
	LINECARD_DIGIT_RTP = 2,
};

struct linecard_event {
	__u64 timestamp_ns;	/* CLOCK_MONOTONIC of the line edge */
	__u32 type;		/* LINECARD_EV_* */
	__u32 port;
	__u32 value;		/* OVERFLOW: lost; TELEPHONE_EVENT: code; */
				/* STREAM_TIMEOUT: stream id */
	__u32 duration_ms;	/* DIGIT, FLASH, TELEPHONE_EVENT */
	__u8 digit;		/* DIGIT: '0'-'9', '*', '#', 'A'-'D' */
	__u8 source;		/* DIGIT: LINECARD_DIGIT_* */
	__u8 reserved[6];
};

struct linecard_port_info {
	__u32 index;
	__u32 flags;		/* LINECARD_PORT_F_* */
	char name[LINECARD_NAME_LEN];
	char backend[LINECARD_NAME_LEN];
	__u8 hook;		/* LINECARD_HOOK_* */
	__u8 polarity;
	__u8 linefeed;
	__u8 tone;		/* 1 while a tone plays */
	__u32 reserved;
	__u64 events;		/* queued to this descriptor */
	__u64 events_lost;	/* to this descriptor's queue overflow */
	__u64 pcm_overruns;	/* mouthpiece audio not read in time */
	__u64 pcm_underruns;	/* earpiece frames with no PCM written */
};

#define LINECARD_IOC_MAGIC		0xB8	/* unassigned in ioctl-number.rst */
#define LINECARD_IOC_GET_INFO		_IOR(LINECARD_IOC_MAGIC, 0x01, struct linecard_port_info)
#define LINECARD_IOC_GET_EVENT		_IOR(LINECARD_IOC_MAGIC, 0x02, struct linecard_event)
#define LINECARD_IOC_RING		_IOW(LINECARD_IOC_MAGIC, 0x03, struct linecard_ring)
#define LINECARD_IOC_RING_STOP		_IO(LINECARD_IOC_MAGIC, 0x04)
#define LINECARD_IOC_TONE_PLAY		_IOW(LINECARD_IOC_MAGIC, 0x05, struct linecard_tone)
#define LINECARD_IOC_TONE_STOP		_IO(LINECARD_IOC_MAGIC, 0x06)
#define LINECARD_IOC_SET_POLARITY	_IOW(LINECARD_IOC_MAGIC, 0x07, __u32)
#define LINECARD_IOC_SET_LINEFEED	_IOW(LINECARD_IOC_MAGIC, 0x08, __u32)
#define LINECARD_IOC_RING_CID		_IOW(LINECARD_IOC_MAGIC, 0x09, struct linecard_ring_cid)

/* Generic netlink */
#define LINECARD_GENL_NAME		"linecard"
#define LINECARD_GENL_VERSION		1
#define LINECARD_GENL_MCGRP_EVENTS	"events"

enum linecard_cmd {
	LINECARD_CMD_UNSPEC,
	LINECARD_CMD_PORT_GET,
	LINECARD_CMD_PORT_SET,
	LINECARD_CMD_EVENT,
	LINECARD_CMD_STREAM_NEW,
	LINECARD_CMD_STREAM_SET,
	LINECARD_CMD_STREAM_DEL,
	LINECARD_CMD_STREAM_GET,
	__LINECARD_CMD_LAST
};

#define LINECARD_CMD_MAX (__LINECARD_CMD_LAST - 1)

enum linecard_attr {
	LINECARD_A_UNSPEC,
	LINECARD_A_PORT_INDEX,		/* u32 */
	LINECARD_A_PORT_NAME,		/* string */
	LINECARD_A_PORT_BACKEND,	/* string */
	LINECARD_A_PORT_HOOK,		/* u8, LINECARD_HOOK_* */
	LINECARD_A_PORT_RING,		/* u8, 1 while a ring cadence runs */
	LINECARD_A_PORT_TONE,		/* u8, 1 while a tone plays */
	LINECARD_A_PORT_POLARITY,	/* u8 */
	LINECARD_A_PORT_LINEFEED,	/* u8 */
	LINECARD_A_PORT_FLAGS,		/* u32, LINECARD_PORT_F_* */
	LINECARD_A_PORT_CONFIG,		/* nested LINECARD_A_CFG_* */
	LINECARD_A_PORT_STATS,		/* nested LINECARD_A_STAT_* */
	LINECARD_A_CLOCK,		/* nested LINECARD_A_CLK_* */
	LINECARD_A_EVENT_TYPE,		/* u32, LINECARD_EV_* */
	LINECARD_A_EVENT_TIMESTAMP,	/* u64, ns, CLOCK_MONOTONIC */
	LINECARD_A_EVENT_DIGIT,		/* u8 */
	LINECARD_A_EVENT_SOURCE,	/* u8, LINECARD_DIGIT_* */
	LINECARD_A_EVENT_DURATION,	/* u32, ms */
	LINECARD_A_EVENT_VALUE,		/* u32, see struct linecard_event */
	LINECARD_A_STREAM_ID,		/* u32 */
	LINECARD_A_STREAM_LOCAL,	/* struct sockaddr_in or _in6 */
	LINECARD_A_STREAM_REMOTE,	/* struct sockaddr_in or _in6 */
	LINECARD_A_STREAM_CODEC,	/* u8, LINECARD_CODEC_* */
	LINECARD_A_STREAM_PT,		/* u8, 0-127 */
	LINECARD_A_STREAM_PTIME,	/* u16, ms, 10-60 in steps of 10 */
	LINECARD_A_STREAM_SSRC,		/* u32; random when absent */
	LINECARD_A_STREAM_TEL_EVENT_PT,	/* u8, RFC 4733 payload type */
	LINECARD_A_STREAM_DIRECTION,	/* u8, LINECARD_DIR_* */
	LINECARD_A_STREAM_DSCP,		/* u8, 0-63 */
	LINECARD_A_STREAM_JB_MIN,	/* u16, ms */
	LINECARD_A_STREAM_JB_MAX,	/* u16, ms */
	LINECARD_A_STREAM_TIMEOUT,	/* u32, ms of silence; 0 = never: from the */
					/* last packet, or since it was set */
	LINECARD_A_STREAM_STATS,	/* nested LINECARD_A_SSTAT_* */
	LINECARD_A_STREAM_SEND_EVENT,	/* u8, RFC 4733 event code to send */
	LINECARD_A_PAD,
	__LINECARD_A_LAST
};

#define LINECARD_A_MAX (__LINECARD_A_LAST - 1)

/* LINECARD_A_PORT_CONFIG */
enum linecard_cfg_attr {
	LINECARD_A_CFG_UNSPEC,
	LINECARD_A_CFG_DEBOUNCE_MS,	/* u32, default 10 */
	LINECARD_A_CFG_PULSE_MIN_MS,	/* u32, shortest pulse break, default 20 */
	LINECARD_A_CFG_FLASH_MIN_MS,	/* u32, default 100 */
	LINECARD_A_CFG_FLASH_MAX_MS,	/* u32, default 800 */
	LINECARD_A_CFG_INTERDIGIT_MS,	/* u32, pulse inter-digit gap, default 300 */
	LINECARD_A_CFG_DTMF_DETECT,	/* u8, 0 or 1, default 1 */
	__LINECARD_A_CFG_LAST
};

#define LINECARD_A_CFG_MAX (__LINECARD_A_CFG_LAST - 1)
#define LINECARD_CFG_MAX_MS		5000

/* LINECARD_A_PORT_STATS: all u64 */
enum linecard_stat_attr {
	LINECARD_A_STAT_UNSPEC,
	LINECARD_A_STAT_EVENTS,		/* events generated */
	LINECARD_A_STAT_HOOK_CHANGES,
	LINECARD_A_STAT_FLASHES,
	LINECARD_A_STAT_DIGITS_DTMF,
	LINECARD_A_STAT_DIGITS_PULSE,
	LINECARD_A_STAT_GLITCHES,	/* hook bounces filtered out */
	LINECARD_A_STAT_FRAMES,		/* frames processed */
	LINECARD_A_STAT_RINGS,		/* ring cadences started */
	LINECARD_A_STAT_NOTIFY_FAILED,	/* events not multicast: no memory */
	LINECARD_A_STAT_PAD,
	__LINECARD_A_STAT_LAST
};

#define LINECARD_A_STAT_MAX (__LINECARD_A_STAT_LAST - 1)

/* LINECARD_A_CLOCK: u64 counters of the backend's frame clock */
enum linecard_clk_attr {
	LINECARD_A_CLK_UNSPEC,
	LINECARD_A_CLK_TICKS,		/* frames delivered */
	LINECARD_A_CLK_LATE,		/* ticks run more than 1 ms late */
	LINECARD_A_CLK_MISSED,		/* whole periods skipped */
	LINECARD_A_CLK_MAX_LATENESS_NS,
	LINECARD_A_CLK_PAD,
	__LINECARD_A_CLK_LAST
};

#define LINECARD_A_CLK_MAX (__LINECARD_A_CLK_LAST - 1)

/* RTP streams */
enum linecard_codec {
	LINECARD_CODEC_PCMU = 0,
	LINECARD_CODEC_PCMA = 1,
	__LINECARD_CODEC_LAST
};

#define LINECARD_CODEC_MAX (__LINECARD_CODEC_LAST - 1)

enum linecard_direction {
	LINECARD_DIR_SENDRECV = 0,
	LINECARD_DIR_SENDONLY = 1,
	LINECARD_DIR_RECVONLY = 2,
	LINECARD_DIR_INACTIVE = 3,
	__LINECARD_DIR_LAST
};

#define LINECARD_DIR_MAX (__LINECARD_DIR_LAST - 1)

/* LINECARD_A_STREAM_STATS: all u64 except where noted */
enum linecard_sstat_attr {
	LINECARD_A_SSTAT_UNSPEC,
	LINECARD_A_SSTAT_TX_PACKETS,
	LINECARD_A_SSTAT_TX_OCTETS,
	LINECARD_A_SSTAT_RX_PACKETS,
	LINECARD_A_SSTAT_RX_OCTETS,
	LINECARD_A_SSTAT_LOST,
	LINECARD_A_SSTAT_DUPLICATED,
	LINECARD_A_SSTAT_REORDERED,
	LINECARD_A_SSTAT_LATE,
	LINECARD_A_SSTAT_DISCARDED,	/* malformed or foreign */
	LINECARD_A_SSTAT_JITTER_US,	/* RFC 3550 interarrival jitter */
	LINECARD_A_SSTAT_PLAYOUT_MS,	/* current jitter-buffer delay */
	LINECARD_A_SSTAT_REMOTE_LOST,	/* from RTCP receiver reports */
	LINECARD_A_SSTAT_REMOTE_JITTER_US,
	LINECARD_A_SSTAT_RTT_US,
	LINECARD_A_SSTAT_PAD,
	__LINECARD_A_SSTAT_LAST
};

#define LINECARD_A_SSTAT_MAX (__LINECARD_A_SSTAT_LAST - 1)

#endif /* _UAPI_LINUX_LINECARD_H */

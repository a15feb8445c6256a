/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP offer/answer (RFC 3264) for one G.711 audio stream with RFC 4733
 * telephone-events: what linecardd writes into its INVITEs and answers,
 * and how it reads the other side's, down to the parameters of a kernel
 * stream (LINECARD_A_STREAM_*).  Pure logic: no I/O, no clock, no global
 * state, no allocation; sofia-sip only carries the text.
 *
 * What is read
 *   RFC 4566, strictly, with a few leniencies real peers need:
 *     - LF or CRLF line ends; blank lines and a missing final line end
 *       only at the very end; trailing blanks of a line are ignored.
 *     - v=0, o= and s= first and in that order; then the session lines
 *       (i u e p c b t r z k a, any order, at least one t=), then media
 *       sections (m= followed by i c b k a).  An empty s= is accepted.
 *     - Every line is checked: an unknown type letter, a line type out
 *       of place, a NUL or a stray CR, a malformed o= c= b= t= m= a=rtpmap
 *       a=fmtp a=ptime a=maxptime, a value on a direction attribute, a
 *       second c= or direction or ptime in one section, a payload type
 *       listed twice, or a section in use without any c=, is an error.
 *     - Attributes other than rtpmap, fmtp, ptime, maxptime, sendrecv,
 *       sendonly, recvonly and inactive are ignored (RFC 4566 s. 5.13);
 *       ptime and maxptime are accepted at session level too, where some
 *       peers put them; rtpmap and fmtp there mean nothing and are ignored.  The direction is the media section's, else the
 *       session's, else sendrecv.
 *     - At most LC_SDP_MAX bytes and LC_SDP_MEDIA_MAX m= lines, media
 *       types, profiles and formats of at most LC_SDP_TOKEN_MAX bytes (a
 *       rejected m= line is echoed in the answer).  The text
 *       need not end with a NUL: no byte past @len is read.
 *
 * Formats
 *   A payload type is PCMU, PCMA or telephone-event by its a=rtpmap
 *   (name in any case, clock 8000, one channel), or, without one, 0 is
 *   PCMU and 8 is PCMA (RFC 3551).  telephone-event's a=fmtp lists the
 *   events ("0-15", "0-16", "0-11,16"; 0-15 without a=fmtp); it is used
 *   only when it carries at least the keys of a phone, 0-11.  An audio
 *   stream is usable when it is RTP/AVP with a single port other than 0,
 *   has a codec we take, and a unicast address literal of our family or
 *   the null address (names are not resolved, SRTP and multicast are not
 *   done).
 *
 * Negotiation, answering an offer (lc_sdp_answer)
 *   - The first usable m=audio is taken; every other m= line is rejected
 *     in the answer with port 0, in the offer's order (RFC 3264 s. 6).
 *   - Codec: the first of OUR preferences (prefs->codecs) that the offer
 *     has, not the offerer's first.  Both are G.711, so the offerer's
 *     order says nothing about quality, while the port's configured
 *     order says what the network behind it needs (PCMA towards a
 *     European trunk avoids transcoding).  The answer names that one
 *     codec only, so the offerer cannot switch to another: the kernel
 *     stream has one codec.  The offer's payload type is kept.
 *   - telephone-event, when prefs->rfc4733: answered with the offerer's
 *     payload type and the offered events that we know (0-16).  Without
 *     it (or prefs->rfc4733 false) te_pt is -1: DTMF goes in band.
 *   - ptime: the offer's when it is 10-60 and a multiple of 10, else
 *     ours; in either case no more than the offer's a=maxptime (rounded
 *     down to a multiple of 10, at least 10).  The answer states it.
 *   - Direction: the offer's mirrored (sendonly -> recvonly, recvonly ->
 *     sendonly, inactive -> inactive) and limited by prefs->dir, so a
 *     held call (sendonly) answers a sendrecv offer with sendonly and a
 *     sendonly offer with inactive.  A null address (c=0.0.0.0 or c=::,
 *     RFC 2543 hold) means the peer receives nothing: we do not send.
 *   - Port 0 on an m= line is a stream disabled or rejected (RFC 3264
 *     s. 5.1, 8.2), never a hold.
 *
 * Negotiation, reading the answer to our offer (lc_sdp_parse_answer)
 *   Our offer is one m=audio from @prefs: the answer must have exactly
 *   one m=audio RTP/AVP line.  The codec is the answer's first format
 *   that is one of ours; the payload types are the answer's (what the
 *   peer receives with), telephone-event only if we offered it; ptime and
 *   direction as above, with the answer in the place of the offer.
 *
 * Session versions (RFC 3264 s. 8)
 *   The caller owns our o= line: it keeps sess_id for the whole call and
 *   increments sess_version whenever what it sends differs from what it
 *   sent before (lc_media_diff() tells when the result changed).  The
 *   peer's o= comes back in struct lc_media: a re-offer whose
 *   peer_sess_version has not changed describes the same session.
 *
 * Errors
 *   Functions return 0 or a negative errno, and write one line into @err
 *   (may be NULL) saying what is wrong, "line N: ..." when a line is at
 *   fault, or "" on success.  -EINVAL: not valid SDP (a caller answers an
 *   offer with 488 or 400, an answer with BYE); -E2BIG: more than
 *   LC_SDP_MAX bytes or LC_SDP_MEDIA_MAX m= lines; -EPROTO: valid but
 *   nothing usable (answer an offer with 488 Not Acceptable Here);
 *   -ENOSPC: @buf is too small.  On error *@out is left untouched and
 *   @buf holds "".  Bad @prefs give -EINVAL with "prefs: ...".
 */
#ifndef LINECARD_DAEMON_SDP_H
#define LINECARD_DAEMON_SDP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"

#define LC_SDP_MAX		8192	/* bytes of a description we read */
#define LC_SDP_MEDIA_MAX	8	/* m= lines in a description we read */
#define LC_SDP_TE_PT		101	/* telephone-event's payload type in our offers */
#define LC_SDP_PTIME_DEFAULT	20	/* ms */
#define LC_SDP_ADDR_MAX		46	/* INET6_ADDRSTRLEN */
#define LC_SDP_TOKEN_MAX	32	/* bytes of a media type, profile or format */
/* Enough for anything lc_sdp_offer() or lc_sdp_answer() writes. */
#define LC_SDP_OUT_MAX		(512 + (3 * LC_SDP_TOKEN_MAX + 16) * LC_SDP_MEDIA_MAX)

/* What a side does with media; the values are LINECARD_DIR_*. */
enum lc_sdp_dir {
	LC_SDP_SENDRECV = 0,
	LC_SDP_SENDONLY = 1,
	LC_SDP_RECVONLY = 2,
	LC_SDP_INACTIVE = 3,
};

/* Our side of a call. */
struct lc_sdp_prefs {
	enum lc_codec codecs[LC_CODEC_COUNT];	/* in order of preference */
	unsigned int n_codecs;			/* 1..LC_CODEC_COUNT, no repeats */
	unsigned int ptime;		/* ms we ask for: 10-60, a multiple of 10; 0: 20 */
	bool rfc4733;			/* offer and accept telephone-event */
	enum lc_sdp_dir dir;		/* sendrecv; sendonly to hold the peer */
	const char *addr;		/* our media address, an IPv4 or IPv6 literal */
	unsigned int port;		/* our RTP port, 1-65535 */
	uint64_t sess_id;		/* our o= line */
	uint64_t sess_version;
};

/* The negotiated stream, in the kernel's terms. */
struct lc_media {
	enum lc_codec codec;		/* = LINECARD_CODEC_* */
	unsigned int pt;		/* we send @codec with it */
	unsigned int ptime;		/* ms we send, 10-60 in steps of 10 */
	int te_pt;			/* telephone-event payload type; -1: DTMF in band */
	enum lc_sdp_dir dir;		/* what WE do: the peer's, mirrored */
	/* Where the peer receives; family AF_UNSPEC for a null address. */
	struct sockaddr_storage remote;
	char remote_addr[LC_SDP_ADDR_MAX];	/* the same, as text ("0.0.0.0") */
	unsigned int remote_port;
	bool ipv6;
	unsigned int index;		/* the m= line used, from 0 */
	uint64_t peer_sess_id;		/* the peer's o= line */
	uint64_t peer_sess_version;
};

/* Codec order and DTMF mode of a port; the other fields are not touched. */
void lc_sdp_prefs_from_port(struct lc_sdp_prefs *prefs, const struct lc_port_config *pc);

/* Our offer, from @prefs, into @buf (NUL-terminated). */
int lc_sdp_offer(const struct lc_sdp_prefs *prefs, char *buf, size_t len,
		 char *err, size_t errlen);

/*
 * Answer the offer @offer (@len bytes): the answer text into @buf and the
 * stream to set up into *@out.
 */
int lc_sdp_answer(const struct lc_sdp_prefs *prefs, const char *offer, size_t len,
		  char *buf, size_t buflen, struct lc_media *out, char *err, size_t errlen);

/* Read @answer, the answer to the offer that lc_sdp_offer() wrote from @prefs. */
int lc_sdp_parse_answer(const struct lc_sdp_prefs *prefs, const char *answer, size_t len,
			struct lc_media *out, char *err, size_t errlen);

/* What differs between two results, for a re-INVITE. */
#define LC_MEDIA_CHANGED_CODEC	(1u << 0)	/* codec, pt or ptime: a new stream */
#define LC_MEDIA_CHANGED_TE	(1u << 1)	/* te_pt */
#define LC_MEDIA_CHANGED_DIR	(1u << 2)
#define LC_MEDIA_CHANGED_REMOTE	(1u << 3)	/* address or port */
unsigned int lc_media_diff(const struct lc_media *a, const struct lc_media *b);

/* "sendrecv", "sendonly", "recvonly", "inactive". */
const char *lc_sdp_dir_name(enum lc_sdp_dir dir);

#endif /* LINECARD_DAEMON_SDP_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * SDP offer/answer; what is read and the negotiation rules are in sdp.h.
 *
 * A description is parsed in one pass into a struct sdp on the stack: per
 * m= line a table indexed by payload type (encoding from a=rtpmap, where
 * its a=fmtp is), the section's c= and direction and ptime.  Lines are
 * slices [p, end) and every reader is given the end, so the text need not
 * be NUL-terminated and nothing past it is read; a NUL inside it is an
 * error.  Nothing is allocated, and nothing of the peer's text reaches
 * our output except media types, profiles and formats that were checked
 * to be short tokens.  Negotiation then works on the tables, and the
 * writer appends with snprintf, failing with -ENOSPC rather than cutting.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/linecard.h>

#include "sdp.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define N_PT		128	/* RTP payload types */
#define SHOW_MAX	40	/* bytes of the peer's text an error message quotes */
#define WHY_MAX		160	/* why an m= line cannot be used */

/* The kernel takes our values as they are. */
_Static_assert((int)LC_SDP_SENDRECV == LINECARD_DIR_SENDRECV &&
	       (int)LC_SDP_SENDONLY == LINECARD_DIR_SENDONLY &&
	       (int)LC_SDP_RECVONLY == LINECARD_DIR_RECVONLY &&
	       (int)LC_SDP_INACTIVE == LINECARD_DIR_INACTIVE, "directions");
_Static_assert((int)LC_CODEC_PCMU == LINECARD_CODEC_PCMU &&
	       (int)LC_CODEC_PCMA == LINECARD_CODEC_PCMA, "codecs");

/* RFC 4733 events as a bit mask: the keys 0-15 and flash (16) are ours. */
#define EVENTS_OURS	0x1ffffu
#define EVENTS_PHONE	0xfffu		/* 0-9, *, #: the keys of a phone */
#define EVENTS_DEFAULT	0xffffu		/* without a=fmtp (RFC 4733 s. 2.4.1) */
#define EVENT_MAX	255

struct slice {
	const char *p;
	const char *end;
};

enum enc {
	ENC_NONE,	/* no a=rtpmap */
	ENC_PCMU,
	ENC_PCMA,
	ENC_TE,		/* telephone-event/8000 */
	ENC_OTHER,
};

enum conn_bad {
	CONN_OK,
	CONN_NETTYPE,	/* not IN */
	CONN_ADDRTYPE,	/* not IP4 or IP6 */
	CONN_NAME,	/* a host name */
	CONN_MULTICAST,
};

struct conn {
	unsigned int line;		/* 0: none */
	int family;			/* AF_INET, AF_INET6 */
	bool null;			/* 0.0.0.0 or :: */
	enum conn_bad bad;
	struct sockaddr_storage sa;	/* port 0 */
	char text[LC_SDP_ADDR_MAX];	/* canonical; the bad field when @bad */
};

/* a= lines that a session or a media section may have. */
struct attrs {
	int dir;			/* enum lc_sdp_dir, -1: none */
	unsigned int dir_line;
	int ptime;			/* ms; -1: none; 0: not a whole number */
	unsigned int ptime_line;
	int maxptime;
	unsigned int maxptime_line;
};

struct pt_info {
	uint8_t enc;			/* enum enc */
	bool listed;			/* on the m= line */
	uint16_t rtpmap_line;		/* 0: none */
	uint16_t fmtp_line;		/* 0: none */
	uint16_t fmtp_off;		/* the parameters, in the text */
	uint16_t fmtp_len;
	uint32_t events;		/* ENC_TE: the offered events we know */
};

struct media {
	unsigned int line;
	char type[LC_SDP_TOKEN_MAX + 1];
	char proto[LC_SDP_TOKEN_MAX + 1];
	char fmt0[LC_SDP_TOKEN_MAX + 1];	/* to reject it with */
	unsigned int port;
	bool port_count;		/* "port/n" */
	bool rtp;			/* the formats are RTP payload types */
	unsigned int n_pts;
	uint8_t pts[N_PT];		/* as listed */
	struct pt_info pt[N_PT];
	struct conn c;
	struct attrs a;
};

struct sdp {
	const char *text;
	unsigned int line;		/* being read; 0 after the last */
	uint64_t sess_id;
	uint64_t sess_version;
	unsigned int t_line;		/* the first t=, 0: none */
	struct conn c;
	struct attrs a;
	unsigned int n_media;
	struct media m[LC_SDP_MEDIA_MAX];
	char *err;
	size_t errlen;
};

/* Our own address, from the prefs. */
struct local {
	int family;
	char text[LC_SDP_ADDR_MAX];
	unsigned int ptime;
};

/* What one m= line gives. */
struct choice {
	unsigned int index;
	enum lc_codec codec;
	unsigned int pt;
	int te_pt;
	uint32_t events;
	unsigned int ptime;
	enum lc_sdp_dir dir;
};

/* --- messages ----------------------------------------------------------- */

static void __attribute__((format(printf, 3, 0)))
vreport(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
}

static int __attribute__((format(printf, 4, 5)))
report(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/* An error, on the line being read when there is one. */
static int __attribute__((format(printf, 3, 4)))
fail(struct sdp *s, int ret, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!s->err || !s->errlen)
		return ret;
	if (s->line)
		n = snprintf(s->err, s->errlen, "line %u: ", s->line);
	if (n < 0 || (size_t)n >= s->errlen)
		return ret;
	va_start(ap, fmt);
	vsnprintf(s->err + n, s->errlen - n, fmt, ap);
	va_end(ap);
	return ret;
}

/* The peer's text, quoted, cut to SHOW_MAX bytes, other than ASCII as \xNN. */
static const char *show(const char *p, const char *end, char *buf, size_t len)
{
	size_t o = 0, n = end - p;
	size_t i;

	buf[o++] = '\'';
	for (i = 0; i < n && i < SHOW_MAX && o + 6 < len; i++) {
		unsigned char c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = c;
		else
			o += snprintf(buf + o, len - o, "\\x%02x", c);
	}
	buf[o++] = '\'';
	if (i < n && o + 4 < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

#define SHOW_BUF	(SHOW_MAX * 4 + 8)
#define SHOW(sl, buf)	show((sl).p, (sl).end, (buf), sizeof(buf))

static void attrs_init(struct attrs *at)
{
	memset(at, 0, sizeof(*at));
	at->dir = -1;
	at->ptime = -1;
	at->maxptime = -1;
}

/* --- reading a line's value ------------------------------------------------- */

static bool is_token_char(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b ||
	       c == 0x2d || c == 0x2e || (c >= 0x30 && c <= 0x39) ||
	       (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool eat(struct slice *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static bool done(const struct slice *c)
{
	return c->p == c->end;
}

/* One or more token characters (RFC 4566 token). */
static bool token(struct slice *c, struct slice *t)
{
	t->p = c->p;
	while (c->p < c->end && is_token_char(*c->p))
		c->p++;
	t->end = c->p;
	return t->end > t->p;
}

/* One or more visible characters, or bytes above 0x7f (non-ws-string). */
static bool non_ws(struct slice *c, struct slice *t)
{
	t->p = c->p;
	while (c->p < c->end && (unsigned char)*c->p > 0x20 && *c->p != 0x7f)
		c->p++;
	t->end = c->p;
	return t->end > t->p;
}

/* A decimal number no greater than @max, without a sign. */
static bool number(struct slice *c, uint64_t max, uint64_t *v)
{
	const char *start = c->p;
	uint64_t n = 0;

	while (c->p < c->end && is_digit(*c->p)) {
		unsigned int d = *c->p - '0';

		if (n > (max - d) / 10)
			return false;
		n = n * 10 + d;
		c->p++;
	}
	*v = n;
	return c->p > start;
}

/* @t is exactly a whole string made of @max decimal digits at most. */
static bool slice_number(struct slice t, uint64_t max, uint64_t *v)
{
	return number(&t, max, v) && done(&t);
}

static size_t slice_len(struct slice t)
{
	return t.end - t.p;
}

static bool slice_is(struct slice t, const char *s)
{
	size_t n = strlen(s);

	return slice_len(t) == n && !memcmp(t.p, s, n);
}

static bool slice_is_nocase(struct slice t, const char *s)
{
	size_t n = strlen(s);

	return slice_len(t) == n && !strncasecmp(t.p, s, n);
}

static void slice_copy(struct slice t, char *buf, size_t len)
{
	size_t n = slice_len(t) < len - 1 ? slice_len(t) : len - 1;

	memcpy(buf, t.p, n);
	buf[n] = '\0';
}

/* --- lines -------------------------------------------------------------------- */

static int parse_v(struct sdp *s, struct slice v)
{
	char sh[SHOW_BUF];

	if (!slice_is(v, "0"))
		return fail(s, -EINVAL, "v=: version %s is not 0", SHOW(v, sh));
	return 0;
}

static int parse_o(struct sdp *s, struct slice v)
{
	struct slice c = v, user, nettype, addrtype, addr;
	char sh[SHOW_BUF];

	if (!non_ws(&c, &user) || !eat(&c, ' ') || !number(&c, UINT64_MAX, &s->sess_id) ||
	    !eat(&c, ' ') || !number(&c, UINT64_MAX, &s->sess_version) || !eat(&c, ' ') ||
	    !token(&c, &nettype) || !eat(&c, ' ') || !token(&c, &addrtype) ||
	    !eat(&c, ' ') || !non_ws(&c, &addr) || !done(&c))
		return fail(s, -EINVAL, "o=: %s is not '<user> <session id> <version> "
			    "<net type> <address type> <address>' with numbers below 2^64",
			    SHOW(v, sh));
	return 0;
}

static bool is_name(struct slice t)
{
	bool letter = false;
	const char *p;

	for (p = t.p; p < t.end; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			letter = true;
		else if (!is_digit(*p) && *p != '-' && *p != '.')
			return false;
	}
	return letter;
}

static bool is_multicast(const struct conn *cn)
{
	if (cn->family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&cn->sa;

		return IN_MULTICAST(ntohl(sin->sin_addr.s_addr));
	}
	return IN6_IS_ADDR_MULTICAST(&((const struct sockaddr_in6 *)&cn->sa)->sin6_addr);
}

static int parse_c(struct sdp *s, struct slice v, struct conn *cn)
{
	struct slice c = v, nettype, addrtype, addr, host, ttl;
	char sh[SHOW_BUF], buf[LC_SDP_ADDR_MAX];
	struct sockaddr_in *sin = (struct sockaddr_in *)&cn->sa;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&cn->sa;
	void *a;

	if (cn->line)
		return fail(s, -EINVAL, "c=: a second c= line in this section (line %u)",
			    cn->line);
	if (!token(&c, &nettype) || !eat(&c, ' ') || !token(&c, &addrtype) ||
	    !eat(&c, ' ') || !non_ws(&c, &addr) || !done(&c))
		return fail(s, -EINVAL, "c=: %s is not 'IN IP4|IP6 <address>'", SHOW(v, sh));
	memset(cn, 0, sizeof(*cn));
	cn->line = s->line;
	if (!slice_is(nettype, "IN")) {
		cn->bad = CONN_NETTYPE;
		slice_copy(nettype, cn->text, sizeof(cn->text));
		return 0;
	}
	if (slice_is(addrtype, "IP4")) {
		cn->family = AF_INET;
	} else if (slice_is(addrtype, "IP6")) {
		cn->family = AF_INET6;
	} else {
		cn->bad = CONN_ADDRTYPE;
		slice_copy(addrtype, cn->text, sizeof(cn->text));
		return 0;
	}

	/* "address[/ttl][/count]": the suffixes exist for multicast only. */
	host.p = addr.p;
	for (host.end = addr.p; host.end < addr.end && *host.end != '/'; host.end++)
		;
	ttl.p = host.end;
	ttl.end = addr.end;
	if (!done(&ttl)) {
		uint64_t n;

		ttl.p++;
		if (!number(&ttl, 255, &n) || (eat(&ttl, '/') && !number(&ttl, 255, &n)) ||
		    !done(&ttl))
			return fail(s, -EINVAL, "c=: %s: bad multicast suffix", SHOW(addr, sh));
	}
	if (slice_len(host) >= sizeof(buf)) {
		if (!is_name(host))
			return fail(s, -EINVAL, "c=: %s is not an IP address or a host name",
				    SHOW(host, sh));
		cn->bad = CONN_NAME;
		slice_copy(host, cn->text, sizeof(cn->text));
		return 0;
	}
	slice_copy(host, buf, sizeof(buf));
	cn->sa.ss_family = cn->family;
	a = cn->family == AF_INET ? (void *)&sin->sin_addr : (void *)&sin6->sin6_addr;
	if (inet_pton(cn->family, buf, a) != 1) {
		struct in6_addr other;

		if (inet_pton(cn->family == AF_INET ? AF_INET6 : AF_INET, buf, &other) == 1 ||
		    !is_name(host))
			return fail(s, -EINVAL, "c=: %s is not an %s address", SHOW(host, sh),
				    cn->family == AF_INET ? "IPv4" : "IPv6");
		cn->bad = CONN_NAME;
		slice_copy(host, cn->text, sizeof(cn->text));
		return 0;
	}
	if (is_multicast(cn)) {
		cn->bad = CONN_MULTICAST;
		slice_copy(host, cn->text, sizeof(cn->text));
		return 0;
	}
	if (host.end != addr.end)
		return fail(s, -EINVAL, "c=: %s: a unicast address takes no '/' suffix",
			    SHOW(addr, sh));
	if (cn->family == AF_INET)
		cn->null = sin->sin_addr.s_addr == htonl(INADDR_ANY);
	else
		cn->null = IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
	inet_ntop(cn->family, a, cn->text, sizeof(cn->text));
	return 0;
}

static int parse_b(struct sdp *s, struct slice v)
{
	struct slice c = v, type;
	char sh[SHOW_BUF];
	uint64_t n;

	if (!token(&c, &type) || !eat(&c, ':') || !number(&c, UINT32_MAX, &n) || !done(&c))
		return fail(s, -EINVAL, "b=: %s is not '<type>:<bandwidth>'", SHOW(v, sh));
	return 0;
}

static int parse_t(struct sdp *s, struct slice v)
{
	struct slice c = v;
	char sh[SHOW_BUF];
	uint64_t n;

	if (!number(&c, UINT64_MAX, &n) || !eat(&c, ' ') || !number(&c, UINT64_MAX, &n) ||
	    !done(&c))
		return fail(s, -EINVAL, "t=: %s is not '<start> <stop>'", SHOW(v, sh));
	if (!s->t_line)
		s->t_line = s->line;
	return 0;
}

/* "20" or "20.0": ms, 0 when not a whole number. */
static int parse_ms(struct sdp *s, const char *name, struct slice v, int *ms,
		    unsigned int *line)
{
	struct slice c = v;
	char sh[SHOW_BUF];
	bool whole = true;
	uint64_t n;

	if (*ms >= 0)
		return fail(s, -EINVAL, "a=%s: a second a=%s in this section (line %u)",
			    name, name, *line);
	if (!number(&c, 100000, &n))
		goto bad;
	if (eat(&c, '.')) {
		if (!is_digit(c.p < c.end ? *c.p : 0))
			goto bad;
		for (; c.p < c.end && is_digit(*c.p); c.p++)
			if (*c.p != '0')
				whole = false;
	}
	if (!done(&c))
		goto bad;
	*ms = whole ? (int)n : 0;
	*line = s->line;
	return 0;
bad:
	return fail(s, -EINVAL, "a=%s: %s is not a number of milliseconds", name,
		    SHOW(v, sh));
}

/* A format of an a=rtpmap or a=fmtp: for RTP, a payload type. */
static int parse_fmt(struct sdp *s, const struct media *m, const char *name,
		     struct slice *c, struct slice v, unsigned int *pt)
{
	struct slice fmt;
	char sh[SHOW_BUF];
	uint64_t n;

	if (!token(c, &fmt) || !eat(c, ' '))
		return fail(s, -EINVAL, "a=%s: %s is not '<format> <value>'", name, SHOW(v, sh));
	if (!m->rtp) {
		*pt = N_PT;
		return 0;
	}
	if (!slice_number(fmt, N_PT - 1, &n))
		return fail(s, -EINVAL, "a=%s: payload type %s is not 0-127", name,
			    SHOW(fmt, sh));
	*pt = n;
	return 0;
}

static int parse_rtpmap(struct sdp *s, struct media *m, struct slice v)
{
	struct slice c = v, name, params = { NULL, NULL };
	struct pt_info *pi;
	char sh[SHOW_BUF];
	unsigned int pt;
	uint64_t clock;
	bool mono;
	int ret;

	ret = parse_fmt(s, m, "rtpmap", &c, v, &pt);
	if (ret)
		return ret;
	if (!token(&c, &name) || !eat(&c, '/') || !number(&c, UINT32_MAX, &clock) || !clock ||
	    (eat(&c, '/') && !token(&c, &params)) || !done(&c))
		return fail(s, -EINVAL, "a=rtpmap: %s is not '<payload type> "
			    "<encoding>/<clock rate>[/<channels>]'", SHOW(v, sh));
	if (pt == N_PT)
		return 0;
	pi = &m->pt[pt];
	if (pi->rtpmap_line)
		return fail(s, -EINVAL, "a=rtpmap: a second a=rtpmap for payload type %u "
			    "(line %u)", pt, pi->rtpmap_line);
	pi->rtpmap_line = s->line;
	mono = !params.p || slice_is(params, "1");
	if (clock != 8000 || !mono)
		pi->enc = ENC_OTHER;
	else if (slice_is_nocase(name, "PCMU"))
		pi->enc = ENC_PCMU;
	else if (slice_is_nocase(name, "PCMA"))
		pi->enc = ENC_PCMA;
	else if (slice_is_nocase(name, "telephone-event"))
		pi->enc = ENC_TE;
	else
		pi->enc = ENC_OTHER;
	return 0;
}

static int parse_fmtp(struct sdp *s, struct media *m, struct slice v)
{
	struct slice c = v;
	struct pt_info *pi;
	char sh[SHOW_BUF];
	unsigned int pt;
	int ret;

	ret = parse_fmt(s, m, "fmtp", &c, v, &pt);
	if (ret)
		return ret;
	if (done(&c))
		return fail(s, -EINVAL, "a=fmtp: %s has no parameters", SHOW(v, sh));
	if (pt == N_PT)
		return 0;
	pi = &m->pt[pt];
	if (pi->fmtp_line)
		return fail(s, -EINVAL, "a=fmtp: a second a=fmtp for payload type %u (line %u)",
			    pt, pi->fmtp_line);
	pi->fmtp_line = s->line;
	pi->fmtp_off = c.p - s->text;
	pi->fmtp_len = c.end - c.p;
	return 0;
}

static const char *const dir_names[] = {
	[LC_SDP_SENDRECV] = "sendrecv",
	[LC_SDP_SENDONLY] = "sendonly",
	[LC_SDP_RECVONLY] = "recvonly",
	[LC_SDP_INACTIVE] = "inactive",
};

/* @m: NULL at session level. */
static int parse_a(struct sdp *s, struct media *m, struct slice v)
{
	struct attrs *at = m ? &m->a : &s->a;
	struct slice c = v, name, value;
	char sh[SHOW_BUF];
	bool has_value;
	unsigned int d;

	if (!token(&c, &name))
		return fail(s, -EINVAL, "a=: %s does not start with an attribute name",
			    SHOW(v, sh));
	has_value = eat(&c, ':');
	value = c;
	if (!has_value && !done(&c))
		return fail(s, -EINVAL, "a=: %s is not '<attribute>[:<value>]'", SHOW(v, sh));

	for (d = 0; d < ARRAY_SIZE(dir_names); d++) {
		if (!slice_is(name, dir_names[d]))
			continue;
		if (has_value)
			return fail(s, -EINVAL, "a=%s takes no value", dir_names[d]);
		if (at->dir >= 0)
			return fail(s, -EINVAL, "a=%s: a second direction in this section "
				    "(a=%s on line %u)", dir_names[d], dir_names[at->dir],
				    at->dir_line);
		at->dir = d;
		at->dir_line = s->line;
		return 0;
	}
	if (slice_is(name, "ptime") || slice_is(name, "maxptime")) {
		bool max = slice_is(name, "maxptime");

		if (!has_value)
			return fail(s, -EINVAL, "a=%s needs a value", max ? "maxptime" : "ptime");
		return max ? parse_ms(s, "maxptime", value, &at->maxptime, &at->maxptime_line) :
			     parse_ms(s, "ptime", value, &at->ptime, &at->ptime_line);
	}
	/* rtpmap and fmtp belong to media; elsewhere they mean nothing. */
	if (m && slice_is(name, "rtpmap"))
		return has_value ? parse_rtpmap(s, m, value) :
				   fail(s, -EINVAL, "a=rtpmap needs a value");
	if (m && slice_is(name, "fmtp"))
		return has_value ? parse_fmtp(s, m, value) :
				   fail(s, -EINVAL, "a=fmtp needs a value");
	return 0;
}

static bool is_rtp_profile(struct slice proto)
{
	const char *p;

	/* RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, ... */
	for (p = proto.p; p + 4 <= proto.end; p++)
		if (!memcmp(p, "RTP/", 4) && (p == proto.p || p[-1] == '/'))
			return true;
	return false;
}

static int parse_m(struct sdp *s, struct slice v)
{
	struct slice c = v, type, proto, part, fmt;
	char sh[SHOW_BUF];
	struct media *m;
	uint64_t n;

	if (s->n_media == LC_SDP_MEDIA_MAX)
		return fail(s, -E2BIG, "m=: more than %d m= lines", LC_SDP_MEDIA_MAX);
	m = &s->m[s->n_media];
	memset(m, 0, sizeof(*m));
	m->line = s->line;
	attrs_init(&m->a);

	if (!token(&c, &type) || !eat(&c, ' '))
		goto bad;
	if (!number(&c, 65535, &n))
		return fail(s, -EINVAL, "m=: %s: the port is not 0-65535", SHOW(v, sh));
	m->port = n;
	if (eat(&c, '/')) {
		if (!number(&c, 65535, &n) || !n)
			goto bad;
		m->port_count = true;
	}
	if (!eat(&c, ' '))
		goto bad;
	proto.p = c.p;
	do {
		if (!token(&c, &part))
			goto bad;
	} while (eat(&c, '/'));
	proto.end = c.p;
	if (!eat(&c, ' '))
		goto bad;
	if (slice_len(type) > LC_SDP_TOKEN_MAX || slice_len(proto) > LC_SDP_TOKEN_MAX)
		return fail(s, -EINVAL, "m=: %s: media type or profile longer than %d bytes",
			    SHOW(v, sh), LC_SDP_TOKEN_MAX);
	slice_copy(type, m->type, sizeof(m->type));
	slice_copy(proto, m->proto, sizeof(m->proto));
	m->rtp = is_rtp_profile(proto);

	do {
		if (!token(&c, &fmt))
			goto bad;
		if (slice_len(fmt) > LC_SDP_TOKEN_MAX)
			return fail(s, -EINVAL, "m=: format %s is longer than %d bytes",
				    SHOW(fmt, sh), LC_SDP_TOKEN_MAX);
		if (!m->fmt0[0])
			slice_copy(fmt, m->fmt0, sizeof(m->fmt0));
		if (!m->rtp)
			continue;
		if (!slice_number(fmt, N_PT - 1, &n))
			return fail(s, -EINVAL, "m=: payload type %s is not 0-127", SHOW(fmt, sh));
		if (m->pt[n].listed)
			return fail(s, -EINVAL, "m=: payload type %u listed twice",
				    (unsigned int)n);
		m->pt[n].listed = true;
		m->pts[m->n_pts++] = n;
	} while (eat(&c, ' '));
	if (!done(&c))
		goto bad;
	s->n_media++;
	return 0;
bad:
	return fail(s, -EINVAL, "m=: %s is not '<media> <port>[/<count>] <profile> <format>...'",
		    SHOW(v, sh));
}

/* A line with a free text value: anything but NUL, CR, LF (checked before). */
static int parse_text(struct sdp *s, struct slice v)
{
	(void)s;
	(void)v;
	return 0;
}

static int parse_line(struct sdp *s, char type, struct slice v)
{
	struct media *m = s->n_media ? &s->m[s->n_media - 1] : NULL;

	switch (type) {
	case 'v':
		return parse_v(s, v);
	case 'o':
		return parse_o(s, v);
	case 'c':
		return parse_c(s, v, m ? &m->c : &s->c);
	case 'b':
		return parse_b(s, v);
	case 't':
		return parse_t(s, v);
	case 'a':
		return parse_a(s, m, v);
	case 'm':
		return parse_m(s, v);
	default:	/* s i u e p r z k */
		return parse_text(s, v);
	}
}

/* Where a line of @type may be: "vos" are the first three, in order. */
static int check_place(struct sdp *s, char type)
{
	static const char session[] = "iuepcbtrzkam";
	static const char media[] = "icbkam";
	static const char first[] = "vos";
	const char *allowed = s->n_media ? media : session;

	if (s->line <= 3) {
		if (type != first[s->line - 1])
			return fail(s, -EINVAL, "%c= where %c= must be: a description "
				    "starts with v=, o=, s=", type, first[s->line - 1]);
		return 0;
	}
	/* @type is not NUL: parse() has refused NUL bytes. */
	if (strchr(allowed, type))
		return 0;
	if (strchr("vosiuepcbtrzkam", type))
		return fail(s, -EINVAL, "%c= is not allowed %s", type,
			    s->n_media ? "in a media section" : "here");
	if ((unsigned char)type > 0x20 && (unsigned char)type < 0x7f)
		return fail(s, -EINVAL, "unknown line type '%c'", type);
	return fail(s, -EINVAL, "unknown line type \\x%02x", (unsigned char)type);
}

/* Once every line is in: what needs the whole section or description. */
static int check_media(struct sdp *s, struct media *m)
{
	char sh[SHOW_BUF];
	unsigned int i;

	if (m->port && !m->c.line && !s->c.line) {
		s->line = m->line;
		return fail(s, -EINVAL, "m=%s has no c= line, nor has the session", m->type);
	}
	for (i = 0; i < m->n_pts; i++) {
		struct pt_info *pi = &m->pt[m->pts[i]];
		struct slice c, ev;

		if (!pi->rtpmap_line)
			pi->enc = m->pts[i] == 0 ? ENC_PCMU : m->pts[i] == 8 ? ENC_PCMA :
				  ENC_OTHER;
		if (pi->enc != ENC_TE)
			continue;
		if (!pi->fmtp_line) {
			pi->events = EVENTS_DEFAULT;
			continue;
		}
		c.p = s->text + pi->fmtp_off;
		c.end = c.p + pi->fmtp_len;
		ev = c;
		do {
			uint64_t lo, hi;

			if (!number(&c, EVENT_MAX, &lo))
				goto bad;
			hi = lo;
			if (eat(&c, '-') && (!number(&c, EVENT_MAX, &hi) || hi < lo))
				goto bad;
			for (; lo <= hi && lo <= 16; lo++)
				pi->events |= 1u << lo;
		} while (eat(&c, ','));
		if (!done(&c))
			goto bad;
		continue;
bad:
		s->line = pi->fmtp_line;
		return fail(s, -EINVAL, "a=fmtp: telephone-event's events %s are not "
			    "a list like 0-15,16", SHOW(ev, sh));
	}
	return 0;
}

static int parse(struct sdp *s, const char *text, size_t len, char *err, size_t errlen)
{
	const char *p, *end;
	unsigned int i;
	int ret;

	memset(s, 0, offsetof(struct sdp, m));
	s->text = text;
	s->err = err;
	s->errlen = errlen;
	attrs_init(&s->a);
	if (!text)
		len = 0;
	if (len > LC_SDP_MAX)
		return fail(s, -E2BIG, "%zu bytes, more than %d", len, LC_SDP_MAX);
	p = text;
	end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end, *q;
		struct slice v;

		s->line++;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol == p) {
			/* Blank lines may only close the description. */
			for (q = p; q < end && (*q == '\r' || *q == '\n'); q++)
				;
			if (q < end)
				return fail(s, -EINVAL, "blank line");
			s->line--;
			break;
		}
		for (q = p; q < eol; q++) {
			if (!*q)
				return fail(s, -EINVAL, "NUL byte");
			if (*q == '\r')
				return fail(s, -EINVAL, "CR without LF");
		}
		while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t'))
			eol--;
		if (eol - p < 2 || p[1] != '=')
			return fail(s, -EINVAL, "not a '<type>=<value>' line");
		ret = check_place(s, p[0]);
		if (ret)
			return ret;
		v.p = p + 2;
		v.end = eol;
		ret = parse_line(s, p[0], v);
		if (ret)
			return ret;
		p = nl ? nl + 1 : end;
	}

	if (s->line < 3) {
		static const char *const missing[] = { "v=", "o=", "s=" };
		unsigned int have = s->line;

		s->line = 0;
		return fail(s, -EINVAL, "%s: no %s line",
			    have ? "truncated description" : "empty description",
			    missing[have]);
	}
	if (!s->t_line) {
		s->line = 0;
		return fail(s, -EINVAL, "no t= line");
	}
	for (i = 0; i < s->n_media; i++) {
		ret = check_media(s, &s->m[i]);
		if (ret)
			return ret;
	}
	s->line = 0;
	return 0;
}

/* --- negotiating ----------------------------------------------------------- */

static int check_prefs(const struct lc_sdp_prefs *p, struct local *l, char *err,
		       size_t errlen)
{
	struct in6_addr a;
	unsigned int i, j;

	if (!p)
		return report(err, errlen, -EINVAL, "prefs: none");
	if (p->n_codecs < 1 || p->n_codecs > LC_CODEC_COUNT)
		return report(err, errlen, -EINVAL, "prefs: %u codecs, not 1-%d",
			      p->n_codecs, LC_CODEC_COUNT);
	for (i = 0; i < p->n_codecs; i++) {
		if ((unsigned int)p->codecs[i] >= LC_CODEC_COUNT)
			return report(err, errlen, -EINVAL, "prefs: unknown codec %d",
				      (int)p->codecs[i]);
		for (j = 0; j < i; j++)
			if (p->codecs[j] == p->codecs[i])
				return report(err, errlen, -EINVAL, "prefs: codec listed twice");
	}
	if (p->ptime && (p->ptime < 10 || p->ptime > 60 || p->ptime % 10))
		return report(err, errlen, -EINVAL, "prefs: ptime %u is not 10-60 in steps of 10",
			      p->ptime);
	if ((unsigned int)p->dir > LC_SDP_INACTIVE)
		return report(err, errlen, -EINVAL, "prefs: unknown direction %d", (int)p->dir);
	if (!p->port || p->port > 65535)
		return report(err, errlen, -EINVAL, "prefs: port %u is not 1-65535", p->port);
	if (!p->addr)
		return report(err, errlen, -EINVAL, "prefs: no address");
	if (inet_pton(AF_INET, p->addr, &a) == 1)
		l->family = AF_INET;
	else if (inet_pton(AF_INET6, p->addr, &a) == 1)
		l->family = AF_INET6;
	else
		return report(err, errlen, -EINVAL, "prefs: address '%.*s' is not an IP address",
			      SHOW_MAX, p->addr);
	inet_ntop(l->family, &a, l->text, sizeof(l->text));
	l->ptime = p->ptime ? p->ptime : LC_SDP_PTIME_DEFAULT;
	return 0;
}

static bool dir_sends(enum lc_sdp_dir d)
{
	return d == LC_SDP_SENDRECV || d == LC_SDP_SENDONLY;
}

static bool dir_receives(enum lc_sdp_dir d)
{
	return d == LC_SDP_SENDRECV || d == LC_SDP_RECVONLY;
}

static enum lc_sdp_dir dir_of(bool send, bool recv)
{
	if (send)
		return recv ? LC_SDP_SENDRECV : LC_SDP_SENDONLY;
	return recv ? LC_SDP_RECVONLY : LC_SDP_INACTIVE;
}

static const char *codec_name(enum lc_codec c)
{
	return c == LC_CODEC_PCMA ? "PCMA" : "PCMU";
}

static enum enc codec_enc(enum lc_codec c)
{
	return c == LC_CODEC_PCMA ? ENC_PCMA : ENC_PCMU;
}

static unsigned int codec_static_pt(enum lc_codec c)
{
	return c == LC_CODEC_PCMA ? 8 : 0;
}

static bool ptime_ok(int ms)
{
	return ms >= 10 && ms <= 60 && ms % 10 == 0;
}

/* Appends to a message; never overflows. */
static void __attribute__((format(printf, 3, 4)))
append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* Whether the stream and address of @m can carry our audio, else why not. */
static bool stream_usable(const struct sdp *s, const struct media *m, const struct local *l,
			  char *why, size_t len)
{
	const struct conn *c = m->c.line ? &m->c : &s->c;
	const char *ours = l->family == AF_INET ? "IPv4" : "IPv6";

	if (!m->port) {
		snprintf(why, len, "port 0: the stream is disabled");
		return false;
	}
	if (m->port_count) {
		snprintf(why, len, "a port count (m=audio <port>/<count>) is not supported");
		return false;
	}
	if (strcmp(m->proto, "RTP/AVP")) {
		snprintf(why, len, "profile %s is not RTP/AVP", m->proto);
		return false;
	}
	switch (c->bad) {
	case CONN_OK:
		break;
	case CONN_NETTYPE:
		snprintf(why, len, "network type %s is not IN", c->text);
		return false;
	case CONN_ADDRTYPE:
		snprintf(why, len, "address type %s is not IP4 or IP6", c->text);
		return false;
	case CONN_NAME:
		snprintf(why, len, "address %.*s is a host name (names are not resolved)",
			 SHOW_MAX, c->text);
		return false;
	case CONN_MULTICAST:
		snprintf(why, len, "address %s is multicast", c->text);
		return false;
	}
	if (!c->null && c->family != l->family) {
		snprintf(why, len, "address %s is not %s like ours", c->text, ours);
		return false;
	}
	return true;
}

/* Offered ms, or ours; no more than the maxptime. */
static unsigned int pick_ptime(const struct sdp *s, const struct media *m,
			       const struct local *l)
{
	int ptime = m->a.ptime >= 0 ? m->a.ptime : s->a.ptime;
	int maxptime = m->a.maxptime >= 0 ? m->a.maxptime : s->a.maxptime;
	unsigned int ms = ptime_ok(ptime) ? (unsigned int)ptime : l->ptime;

	if (maxptime > 0 && ms > (unsigned int)maxptime)
		ms = maxptime < 10 ? 10 : maxptime / 10 * 10;
	return ms;
}

/*
 * What m= line @i gives us, or false and why not.  @ours_first: take our
 * first codec the line has, else the line's first that we have.
 */
static bool negotiate(const struct lc_sdp_prefs *p, const struct local *l,
		      const struct sdp *s, unsigned int i, bool ours_first,
		      struct choice *ch, char *why, size_t len)
{
	const struct media *m = &s->m[i];
	const struct conn *c = m->c.line ? &m->c : &s->c;
	enum lc_sdp_dir peer;
	unsigned int j, k;
	bool found = false;

	if (!stream_usable(s, m, l, why, len))
		return false;

	for (j = 0; j < (ours_first ? p->n_codecs : m->n_pts) && !found; j++) {
		for (k = 0; k < (ours_first ? m->n_pts : p->n_codecs) && !found; k++) {
			unsigned int pt = m->pts[ours_first ? k : j];
			enum lc_codec codec = p->codecs[ours_first ? j : k];

			if (m->pt[pt].enc != codec_enc(codec))
				continue;
			ch->codec = codec;
			ch->pt = pt;
			found = true;
		}
	}
	if (!found) {
		snprintf(why, len, "no codec in common: payload types");
		for (k = 0; k < m->n_pts && k < 12; k++)
			append(why, len, " %u", m->pts[k]);
		append(why, len, "%s offered, we take", k < m->n_pts ? " ..." : "");
		for (j = 0; j < p->n_codecs; j++)
			append(why, len, "%s %s", j ? "," : "", codec_name(p->codecs[j]));
		return false;
	}

	ch->index = i;
	ch->te_pt = -1;
	ch->events = 0;
	for (k = 0; k < m->n_pts && p->rfc4733; k++) {
		const struct pt_info *pi = &m->pt[m->pts[k]];

		if (pi->enc == ENC_TE && (pi->events & EVENTS_PHONE) == EVENTS_PHONE) {
			ch->te_pt = m->pts[k];
			ch->events = pi->events & EVENTS_OURS;
			break;
		}
	}
	ch->ptime = pick_ptime(s, m, l);

	peer = m->a.dir >= 0 ? m->a.dir : s->a.dir >= 0 ? s->a.dir : LC_SDP_SENDRECV;
	/* A null address receives nothing, whatever the attribute says. */
	ch->dir = dir_of(dir_sends(p->dir) && dir_receives(peer) && !c->null,
			 dir_receives(p->dir) && dir_sends(peer));
	return true;
}

static void fill_media(struct lc_media *out, const struct sdp *s, const struct choice *ch)
{
	const struct media *m = &s->m[ch->index];
	const struct conn *c = m->c.line ? &m->c : &s->c;

	memset(out, 0, sizeof(*out));
	out->codec = ch->codec;
	out->pt = ch->pt;
	out->ptime = ch->ptime;
	out->te_pt = ch->te_pt;
	out->dir = ch->dir;
	out->index = ch->index;
	out->ipv6 = c->family == AF_INET6;
	out->remote_port = m->port;
	memcpy(out->remote_addr, c->text, sizeof(out->remote_addr));
	out->remote.ss_family = AF_UNSPEC;
	if (!c->null) {
		out->remote = c->sa;
		if (c->family == AF_INET)
			((struct sockaddr_in *)&out->remote)->sin_port = htons(m->port);
		else
			((struct sockaddr_in6 *)&out->remote)->sin6_port = htons(m->port);
	}
	out->peer_sess_id = s->sess_id;
	out->peer_sess_version = s->sess_version;
}

/* --- writing ------------------------------------------------------------------ */

struct out {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->pos) {
		o->full = true;
		return;
	}
	o->pos += n;
}

static void put_header(struct out *o, const struct lc_sdp_prefs *p, const struct local *l)
{
	const char *ip = l->family == AF_INET ? "IP4" : "IP6";

	put(o, "v=0\r\n");
	put(o, "o=- %llu %llu IN %s %s\r\n", (unsigned long long)p->sess_id,
	    (unsigned long long)p->sess_version, ip, l->text);
	put(o, "s=-\r\n");
	put(o, "c=IN %s %s\r\n", ip, l->text);
	put(o, "t=0 0\r\n");
}

static void put_events(struct out *o, uint32_t events)
{
	const char *sep = "";
	unsigned int e, last;

	for (e = 0; e <= 16; e++) {
		if (!(events & (1u << e)))
			continue;
		for (last = e; last < 16 && (events & (1u << (last + 1))); last++)
			;
		if (last > e)
			put(o, "%s%u-%u", sep, e, last);
		else
			put(o, "%s%u", sep, e);
		sep = ",";
		e = last;
	}
}

/* One m=audio: @codecs with payload types @pts, and telephone-event. */
static void put_audio(struct out *o, unsigned int port, const enum lc_codec *codecs,
		      const unsigned int *pts, unsigned int n, int te_pt, uint32_t events,
		      unsigned int ptime, enum lc_sdp_dir dir)
{
	unsigned int i;

	put(o, "m=audio %u RTP/AVP", port);
	for (i = 0; i < n; i++)
		put(o, " %u", pts[i]);
	if (te_pt >= 0)
		put(o, " %d", te_pt);
	put(o, "\r\n");
	for (i = 0; i < n; i++)
		put(o, "a=rtpmap:%u %s/8000\r\n", pts[i], codec_name(codecs[i]));
	if (te_pt >= 0) {
		put(o, "a=rtpmap:%d telephone-event/8000\r\n", te_pt);
		put(o, "a=fmtp:%d ", te_pt);
		put_events(o, events);
		put(o, "\r\n");
	}
	put(o, "a=ptime:%u\r\n", ptime);
	put(o, "a=%s\r\n", dir_names[dir]);
}

static int out_end(struct out *o, char *err, size_t errlen)
{
	if (o->full) {
		if (o->len)
			o->buf[0] = '\0';
		return report(err, errlen, -ENOSPC, "buffer of %zu bytes too small", o->len);
	}
	return 0;
}

/* --- the API ------------------------------------------------------------------ */

static void start(char *buf, size_t len, char *err, size_t errlen)
{
	if (buf && len)
		buf[0] = '\0';
	if (err && errlen)
		err[0] = '\0';
}

void lc_sdp_prefs_from_port(struct lc_sdp_prefs *prefs, const struct lc_port_config *pc)
{
	unsigned int n = pc->n_codecs < LC_CODEC_COUNT ? pc->n_codecs : LC_CODEC_COUNT;

	memcpy(prefs->codecs, pc->codecs, n * sizeof(pc->codecs[0]));
	prefs->n_codecs = n;
	prefs->rfc4733 = pc->dtmf == LC_DTMF_RFC4733;
}

int lc_sdp_offer(const struct lc_sdp_prefs *prefs, char *buf, size_t len,
		 char *err, size_t errlen)
{
	struct out o = { buf, len, 0, !buf || !len };
	unsigned int pts[LC_CODEC_COUNT];
	struct local l;
	unsigned int i;
	int ret;

	start(buf, len, err, errlen);
	ret = check_prefs(prefs, &l, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < prefs->n_codecs; i++)
		pts[i] = codec_static_pt(prefs->codecs[i]);
	put_header(&o, prefs, &l);
	put_audio(&o, prefs->port, prefs->codecs, pts, prefs->n_codecs,
		  prefs->rfc4733 ? LC_SDP_TE_PT : -1, EVENTS_OURS, l.ptime, prefs->dir);
	return out_end(&o, err, errlen);
}

int lc_sdp_answer(const struct lc_sdp_prefs *prefs, const char *offer, size_t len,
		  char *buf, size_t buflen, struct lc_media *out, char *err, size_t errlen)
{
	struct out o = { buf, buflen, 0, !buf || !buflen };
	char why[WHY_MAX] = "", first[WHY_MAX] = "";
	unsigned int i, first_line = 0;
	struct choice ch;
	struct local l;
	struct sdp s;
	int ret;

	start(buf, buflen, err, errlen);
	ret = check_prefs(prefs, &l, err, errlen);
	if (ret)
		return ret;
	ret = parse(&s, offer, len, err, errlen);
	if (ret)
		return ret;

	for (i = 0; i < s.n_media; i++) {
		if (strcmp(s.m[i].type, "audio"))
			continue;
		if (negotiate(prefs, &l, &s, i, true, &ch, why, sizeof(why)))
			break;
		if (!first_line) {
			first_line = s.m[i].line;
			memcpy(first, why, sizeof(first));
		}
	}
	if (i == s.n_media) {
		if (!first_line)
			return report(err, errlen, -EPROTO, "no m=audio line");
		return report(err, errlen, -EPROTO, "no usable audio: m=audio on line %u: %s",
			      first_line, first);
	}

	put_header(&o, prefs, &l);
	for (i = 0; i < s.n_media; i++) {
		const struct media *m = &s.m[i];

		if (i == ch.index)
			put_audio(&o, prefs->port, &ch.codec, &ch.pt, 1, ch.te_pt, ch.events,
				  ch.ptime, ch.dir);
		else
			put(&o, "m=%s 0 %s %s\r\n", m->type, m->proto, m->fmt0);
	}
	ret = out_end(&o, err, errlen);
	if (ret)
		return ret;
	fill_media(out, &s, &ch);
	return 0;
}

int lc_sdp_parse_answer(const struct lc_sdp_prefs *prefs, const char *answer, size_t len,
			struct lc_media *out, char *err, size_t errlen)
{
	char why[WHY_MAX] = "";
	const struct media *m;
	struct choice ch;
	struct local l;
	struct sdp s;
	int ret;

	start(NULL, 0, err, errlen);
	ret = check_prefs(prefs, &l, err, errlen);
	if (ret)
		return ret;
	ret = parse(&s, answer, len, err, errlen);
	if (ret)
		return ret;
	if (s.n_media != 1)
		return report(err, errlen, -EINVAL, "the answer has %u m= lines, our offer one",
			      s.n_media);
	m = &s.m[0];
	if (strcmp(m->type, "audio") || strcmp(m->proto, "RTP/AVP"))
		return report(err, errlen, -EINVAL, "line %u: m=%s %s is not the m=audio RTP/AVP "
			      "we offered", m->line, m->type, m->proto);
	if (!m->port)
		return report(err, errlen, -EPROTO, "line %u: the answer rejects our audio "
			      "(port 0)", m->line);
	if (!negotiate(prefs, &l, &s, 0, false, &ch, why, sizeof(why)))
		return report(err, errlen, -EPROTO, "line %u: m=audio: %s", m->line, why);
	fill_media(out, &s, &ch);
	return 0;
}

unsigned int lc_media_diff(const struct lc_media *a, const struct lc_media *b)
{
	unsigned int d = 0;

	if (a->codec != b->codec || a->pt != b->pt || a->ptime != b->ptime)
		d |= LC_MEDIA_CHANGED_CODEC;
	if (a->te_pt != b->te_pt)
		d |= LC_MEDIA_CHANGED_TE;
	if (a->dir != b->dir)
		d |= LC_MEDIA_CHANGED_DIR;
	if (a->ipv6 != b->ipv6 || a->remote_port != b->remote_port ||
	    strcmp(a->remote_addr, b->remote_addr))
		d |= LC_MEDIA_CHANGED_REMOTE;
	return d;
}

const char *lc_sdp_dir_name(enum lc_sdp_dir dir)
{
	if ((unsigned int)dir >= ARRAY_SIZE(dir_names))
		return "?";
	return dir_names[dir];
}

// SPDX-License-Identifier: GPL-2.0
/*
 * linecardd configuration file parser; the syntax is described in config.h
 * and every key in linecard.conf.example.
 *
 * The whole file is parsed into a private struct lc_config that is handed to
 * the caller only when everything, including the checks across sections,
 * has passed.  Values are checked as they are read so that an error names
 * the line that holds the bad value.  Passwords are wiped from every buffer
 * they pass through and never formatted into a message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* How much of a bad value an error message quotes. */
#define SHOW_MAX 64

struct enum_name {
	const char *name;
	int value;
};

static const struct enum_name transport_names[] = {
	{ "udp", LC_TRANSPORT_UDP },
	{ "tcp", LC_TRANSPORT_TCP },
	{ NULL, 0 },
};

static const struct enum_name country_names[] = {
	{ "us", LC_COUNTRY_US },
	{ "uk", LC_COUNTRY_UK },
	{ "de", LC_COUNTRY_DE },
	{ "fr", LC_COUNTRY_FR },
	{ "itu", LC_COUNTRY_ITU },
	{ NULL, 0 },
};

static const struct enum_name codec_names[] = {
	{ "pcmu", LC_CODEC_PCMU },
	{ "pcma", LC_CODEC_PCMA },
	{ NULL, 0 },
};

static const struct enum_name dtmf_names[] = {
	{ "rfc4733", LC_DTMF_RFC4733 },
	{ "inband", LC_DTMF_INBAND },
	{ NULL, 0 },
};

static const struct enum_name cid_names[] = {
	{ "bell202", LC_CID_STD_BELL202 },
	{ "v23", LC_CID_STD_V23 },
	{ "off", LC_CID_STD_OFF },
	{ NULL, 0 },
};

static const struct enum_name bool_names[] = {
	{ "yes", 1 }, { "no", 0 },
	{ "true", 1 }, { "false", 0 },
	{ "1", 1 }, { "0", 0 },
	{ NULL, 0 },
};

enum section {
	SEC_NONE,
	SEC_SIP,
	SEC_PORT,
};

enum key_type {
	KEY_STRING,	/* char *; max: length in bytes */
	KEY_UINT,	/* unsigned int in min..max */
	KEY_BOOL,	/* bool */
	KEY_ENUM,	/* an enum, one of names */
	KEY_CODECS,	/* the codecs / n_codecs pair of a port */
};

struct key {
	const char *name;
	enum section section;
	size_t offset;	/* in struct lc_sip_config or struct lc_port_config */
	enum key_type type;
	unsigned int min, max;
	const struct enum_name *names;
	/* KEY_STRING syntax: NULL if @s is fine, else what is wrong with it. */
	const char *(*check)(const char *s);
	/* Never quoted in a message. */
	bool secret;
};

static const char *check_server(const char *s);
static const char *check_host(const char *s);
static const char *check_user(const char *s);
static const char *check_address(const char *s);

#define SIP_KEY(n, f) \
	.name = (n), .section = SEC_SIP, .offset = offsetof(struct lc_sip_config, f)
#define PORT_KEY(n, f) \
	.name = (n), .section = SEC_PORT, .offset = offsetof(struct lc_port_config, f)

static const struct key keys[] = {
	{ SIP_KEY("registrar", registrar), KEY_STRING, .max = 255, .check = check_server },
	{ SIP_KEY("outbound_proxy", outbound_proxy), KEY_STRING, .max = 255,
	  .check = check_server },
	{ SIP_KEY("domain", domain), KEY_STRING, .max = 255, .check = check_host },
	{ SIP_KEY("local_address", local_address), KEY_STRING, .max = 64,
	  .check = check_address },
	{ SIP_KEY("local_port", local_port), KEY_UINT, .min = 1, .max = 65535 },
	{ SIP_KEY("transport", transport), KEY_ENUM, .names = transport_names },
	{ SIP_KEY("expires", expires), KEY_UINT, .min = 60, .max = 86400 },
	{ SIP_KEY("user_agent", user_agent), KEY_STRING, .max = 128 },
	{ SIP_KEY("retry_min", retry_min), KEY_UINT, .min = 1, .max = 3600 },
	{ SIP_KEY("retry_max", retry_max), KEY_UINT, .min = 1, .max = 86400 },
	{ SIP_KEY("country", country), KEY_ENUM, .names = country_names },
	{ SIP_KEY("first_digit_timeout", first_digit_timeout), KEY_UINT, .min = 1, .max = 600 },
	{ SIP_KEY("interdigit_short", interdigit_short), KEY_UINT, .min = 1, .max = 60 },
	{ SIP_KEY("interdigit_long", interdigit_long), KEY_UINT, .min = 1, .max = 120 },
	{ SIP_KEY("no_answer_timeout", no_answer_timeout), KEY_UINT, .min = 5, .max = 600 },
	{ SIP_KEY("offhook_warning", offhook_warning), KEY_UINT, .min = 1, .max = 600 },
	{ SIP_KEY("media_timeout", media_timeout), KEY_UINT, .min = 0, .max = 3600 },
	{ SIP_KEY("allow_direct_calls", allow_direct_calls), KEY_BOOL, .names = bool_names },
	{ SIP_KEY("caller_id", caller_id), KEY_ENUM, .names = cid_names },

	{ PORT_KEY("enabled", enabled), KEY_BOOL, .names = bool_names },
	{ PORT_KEY("number", number), KEY_STRING, .max = 64, .check = check_user },
	{ PORT_KEY("auth_user", auth_user), KEY_STRING, .max = 128 },
	{ PORT_KEY("password", password), KEY_STRING, .max = 255, .secret = true },
	{ PORT_KEY("display_name", display_name), KEY_STRING, .max = 128 },
	{ PORT_KEY("codecs", codecs), KEY_CODECS, .names = codec_names },
	{ PORT_KEY("dtmf", dtmf), KEY_ENUM, .names = dtmf_names },
	{ PORT_KEY("dial_plan", dial_plan), KEY_STRING, .max = LC_CONFIG_LINE_MAX },
};

#define N_KEYS ARRAY_SIZE(keys)

/* Enum fields are written through an int: they must have its size. */
_Static_assert(sizeof(enum lc_transport) == sizeof(int), "enum size");
_Static_assert(sizeof(enum lc_country) == sizeof(int), "enum size");
_Static_assert(sizeof(enum lc_dtmf_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum lc_cid_std) == sizeof(int), "enum size");

struct parser {
	const char *name;
	unsigned int line;		/* 1-based; 0 while not on a line */
	char *err;
	size_t errlen;
	struct lc_config cfg;
	enum section section;
	struct lc_port_config *port;	/* the current [port N] */
	unsigned int sip_line;		/* of the [sip] header, 0: none yet */
	unsigned int port_line[LC_CONFIG_MAX_PORTS];
	unsigned int sip_key_line[N_KEYS];	/* where each key was set */
	unsigned int port_key_line[N_KEYS];	/* ... in the current port */
};

static void vreport(const char *name, unsigned int line, char *err, size_t errlen,
		    const char *fmt, va_list ap)
{
	int n;

	if (!err || !errlen)
		return;
	if (line)
		n = snprintf(err, errlen, "%s:%u: ", name, line);
	else
		n = snprintf(err, errlen, "%s: ", name);
	if (n < 0 || (size_t)n >= errlen)
		return;
	vsnprintf(err + n, errlen - n, fmt, ap);
}

static void __attribute__((format(printf, 4, 5)))
report(const char *name, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(name, 0, err, errlen, fmt, ap);
	va_end(ap);
}

/* An error on line @line; returns -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct parser *p, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(p->name, line, p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define fail(p, ...) fail_at((p), (p)->line, __VA_ARGS__)

static int oom(struct parser *p)
{
	fail(p, "out of memory");
	return -ENOMEM;
}

/* --- small string helpers ------------------------------------------------ */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *skip_blank(char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static char *trim(char *s)
{
	size_t n;

	s = skip_blank(s);
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	s[n] = '\0';
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Printable ASCII only: safe to copy into a log line. */
static bool is_printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool is_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		uint32_t cp, min;
		size_t n, i;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 1;
			cp = *s & 0x1f;
			min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2;
			cp = *s & 0x0f;
			min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3;
			cp = *s & 0x07;
			min = 0x10000;
		} else {
			return false;
		}
		/* A NUL terminator is not a continuation byte: no over-read. */
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

/* How many bytes of @s to quote: at most SHOW_MAX, not cutting a character. */
static int show_len(const char *s)
{
	size_t n = strnlen(s, SHOW_MAX + 1);

	if (n <= SHOW_MAX)
		return (int)n;
	n = SHOW_MAX;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

/* Strict decimal: digits only, no sign, no blanks.  -ERANGE above UINT_MAX. */
static int parse_uint(const char *s, unsigned int *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!is_digit(*s))
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > 0xffffffffULL) {
			while (is_digit(*s))
				s++;
			return *s ? -EINVAL : -ERANGE;
		}
	}
	*out = (unsigned int)v;
	return 0;
}

static const struct enum_name *find_name(const struct enum_name *names, const char *s)
{
	for (; names->name; names++)
		if (!strcasecmp(names->name, s))
			return names;
	return NULL;
}

static const char *name_of(const struct enum_name *names, int value)
{
	for (; names->name; names++)
		if (names->value == value)
			return names->name;
	return "?";
}

/* "udp, tcp" into @buf, for messages. */
static const char *list_names(const struct enum_name *names, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; names->name && n < len; names++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", names->name);
	return buf;
}

/* --- value syntax ---------------------------------------------------------- */

/* hostname, IPv4 address or [IPv6 address]; @end: where it stopped. */
static bool scan_host(const char *s, const char **end)
{
	const char *start;
	bool colon = false;

	if (*s == '[') {
		start = ++s;
		for (; is_xdigit(*s) || *s == ':' || *s == '.'; s++)
			colon |= *s == ':';
		if (s == start || *s != ']' || !colon)
			return false;
		*end = s + 1;
		return true;
	}
	start = s;
	for (; is_alnum(*s) || *s == '-' || *s == '.'; s++)
		if (*s == '.' && (s == start || s[-1] == '.'))
			return false;
	if (s == start || *start == '-')
		return false;
	*end = s;
	return true;
}

static const char *check_host(const char *s)
{
	const char *end;

	if (!scan_host(s, &end) || *end)
		return "is not a host name or address";
	return NULL;
}

/* "host[:port]", or a sip: / sips: URI that the SIP stack will parse. */
static const char *check_server(const char *s)
{
	static const char bad[] = "is not host[:port] or a sip:/sips: URI";
	const char *end;
	unsigned int port;

	if (!strncasecmp(s, "sip:", 4) || !strncasecmp(s, "sips:", 5)) {
		s = strchr(s, ':') + 1;
		if (!*s || strpbrk(s, " <>\""))
			return bad;
		return NULL;
	}
	if (!scan_host(s, &end))
		return bad;
	if (!*end)
		return NULL;
	if (*end != ':' || parse_uint(end + 1, &port) || port < 1 || port > 65535)
		return bad;
	return NULL;
}

/* An IPv4 or IPv6 address (the latter with or without brackets). */
static const char *check_address(const char *s)
{
	unsigned char buf[16];
	char v6[64];
	size_t n = strlen(s);

	if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
		return NULL;
	if (n > 2 && n < sizeof(v6) && s[0] == '[' && s[n - 1] == ']') {
		memcpy(v6, s + 1, n - 2);
		v6[n - 2] = '\0';
		if (inet_pton(AF_INET6, v6, buf) == 1)
			return NULL;
	}
	return "is not an IPv4 or IPv6 address";
}

/* RFC 3261 user: unreserved / escaped / user-unreserved. */
static const char *check_user(const char *s)
{
	for (; *s; s++) {
		if (is_alnum(*s) || strchr("-_.!~*'()&=+$,;?/", *s))
			continue;
		if (*s == '%' && is_xdigit(s[1]) && is_xdigit(s[2])) {
			s += 2;
			continue;
		}
		return "is not a SIP user part (letters, digits, -_.!~*'()&=+$,;?/ and %XX)";
	}
	return NULL;
}

/* --- lines ----------------------------------------------------------------- */

static void free_port(struct lc_port_config *port)
{
	if (!port)
		return;
	if (port->password) {
		explicit_bzero(port->password, strlen(port->password));
		free(port->password);
	}
	free(port->number);
	free(port->auth_user);
	free(port->display_name);
	free(port->dial_plan);
	free(port);
}

static const char *section_label(const struct parser *p, char *buf, size_t len)
{
	if (p->section == SEC_SIP)
		snprintf(buf, len, "[sip]");
	else
		snprintf(buf, len, "[port %u]", p->port->index);
	return buf;
}

static int parse_section(struct parser *p, char *s)
{
	struct lc_port_config *port;
	char *close, *name, *arg;
	unsigned int index;
	int ret;

	close = strchr(s, ']');
	if (!close)
		return fail(p, "missing ']' in section header");
	if (*skip_blank(close + 1))
		return fail(p, "unexpected text after ']' in section header");
	*close = '\0';
	name = trim(s + 1);
	arg = name + strcspn(name, " \t");
	if (*arg)
		*arg++ = '\0';
	arg = skip_blank(arg);

	if (!strcasecmp(name, "sip")) {
		if (*arg)
			return fail(p, "section [sip] takes no index");
		if (p->sip_line)
			return fail(p, "duplicate section [sip] (first on line %u)", p->sip_line);
		p->sip_line = p->line;
		p->section = SEC_SIP;
		return 0;
	}
	if (strcasecmp(name, "port")) {
		if (!*name)
			return fail(p, "empty section name");
		if (!is_printable(name) || !is_printable(arg))
			return fail(p, "unknown section (name with non-printable characters)");
		return fail(p, "unknown section [%.*s%s%.*s]", show_len(name), name,
			    *arg ? " " : "", show_len(arg), arg);
	}

	if (!*arg)
		return fail(p, "section [port] needs a port index, as in [port 0]");
	ret = parse_uint(arg, &index);
	if (ret == -EINVAL)
		return fail(p, "port index '%.*s' is not a number", show_len(arg),
			    is_printable(arg) ? arg : "?");
	if (ret || index >= LC_CONFIG_MAX_PORTS)
		return fail(p, "port index %.*s out of range 0..%d", show_len(arg), arg,
			    LC_CONFIG_MAX_PORTS - 1);
	if (p->port_line[index])
		return fail(p, "duplicate section [port %u] (first on line %u)", index,
			    p->port_line[index]);

	port = calloc(1, sizeof(*port));
	if (!port)
		return oom(p);
	port->index = index;
	port->enabled = true;
	port->codecs[0] = LC_CODEC_PCMU;
	port->codecs[1] = LC_CODEC_PCMA;
	port->n_codecs = 2;
	port->dtmf = LC_DTMF_RFC4733;
	p->cfg.ports[index] = port;
	p->port_line[index] = p->line;
	memset(p->port_key_line, 0, sizeof(p->port_key_line));
	p->section = SEC_PORT;
	p->port = port;
	return 0;
}

/* Strip the quotes of a quoted value, in place. */
static int unquote(struct parser *p, const struct key *k, char *s, char **value)
{
	char *r, *w;

	if (*s != '"') {
		*value = s;
		return 0;
	}
	for (r = w = s + 1; *r != '"'; r++, w++) {
		if (!*r)
			return fail(p, "%s: unterminated quote", k->name);
		if (*r == '\\') {
			r++;
			if (!*r)
				return fail(p, "%s: unterminated quote", k->name);
			if (*r != '"' && *r != '\\')
				return fail(p, "%s: unknown escape in quoted value (only \\\" and \\\\)",
					    k->name);
		}
		*w = *r;
	}
	if (*skip_blank(r + 1))
		return fail(p, "%s: unexpected text after the closing quote", k->name);
	*w = '\0';
	*value = s + 1;
	return 0;
}

static int set_codecs(struct parser *p, const struct key *k, struct lc_port_config *port,
		      char *value)
{
	enum lc_codec codecs[LC_CODEC_COUNT];
	const struct enum_name *codec;
	unsigned int n = 0, i;
	char *item, *next;
	char known[64];

	for (item = value; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item = trim(item);
		if (!*item)
			return fail(p, "%s: empty entry in the list", k->name);
		codec = find_name(k->names, item);
		if (!codec)
			return fail(p, "%s: unknown codec '%.*s' (known: %s)", k->name,
				    show_len(item), item,
				    list_names(k->names, known, sizeof(known)));
		for (i = 0; i < n; i++)
			if ((int)codecs[i] == codec->value)
				return fail(p, "%s: '%s' listed twice", k->name, codec->name);
		codecs[n++] = codec->value;
	}
	memcpy(port->codecs, codecs, sizeof(codecs));
	port->n_codecs = n;
	return 0;
}

static int set_value(struct parser *p, const struct key *k, void *obj, char *value)
{
	char *field = (char *)obj + k->offset;
	const struct enum_name *e;
	const char *why;
	unsigned int u;
	char known[64];
	char *copy;
	int ret;

	switch (k->type) {
	case KEY_STRING:
		why = k->check ? k->check(value) : NULL;
		if (why && k->secret)
			return fail(p, "%s: value %s", k->name, why);
		if (why)
			return fail(p, "%s: '%.*s' %s", k->name, show_len(value), value, why);
		copy = strdup(value);
		if (!copy)
			return oom(p);
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	case KEY_UINT:
		ret = parse_uint(value, &u);
		if (ret == -EINVAL)
			return fail(p, "%s: '%.*s' is not a number", k->name,
				    show_len(value), value);
		if (ret || u < k->min || u > k->max)
			return fail(p, "%s: %.*s out of range %u..%u", k->name,
				    show_len(value), value, k->min, k->max);
		*(unsigned int *)field = u;
		return 0;
	case KEY_BOOL:
	case KEY_ENUM:
		e = find_name(k->names, value);
		if (!e)
			return fail(p, "%s: '%.*s' is not one of %s", k->name,
				    show_len(value), value,
				    list_names(k->names, known, sizeof(known)));
		if (k->type == KEY_BOOL)
			*(bool *)field = e->value;
		else
			*(int *)field = e->value;
		return 0;
	case KEY_CODECS:
		return set_codecs(p, k, obj, value);
	}
	return -EINVAL;
}

/* Index in keys[] of key @name of @section, or -1. */
static int find_key(enum section section, const char *name)
{
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (keys[i].section == section && !strcasecmp(keys[i].name, name))
			return (int)i;
	return -1;
}

static bool is_key_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!is_alnum(*s) && *s != '_')
			return false;
	return n && n <= 64;
}

static int parse_key_value(struct parser *p, char *s)
{
	const struct key *k;
	char *eq, *name, *value = NULL;
	unsigned int *seen;
	char label[24];
	size_t max;
	void *obj;
	int i, ret;

	eq = strchr(s, '=');
	if (!eq)
		return fail(p, "expected 'key = value' but there is no '='");
	*eq = '\0';
	name = trim(s);
	if (!*name)
		return fail(p, "missing key before '='");
	if (!is_key_name(name))
		return fail(p, "invalid key name (letters, digits and _ only)");
	if (p->section == SEC_NONE)
		return fail(p, "key '%s' before any section header", name);

	i = find_key(p->section, name);
	if (i < 0)
		return fail(p, "unknown key '%s' in %s", name,
			    section_label(p, label, sizeof(label)));
	k = &keys[i];
	seen = p->section == SEC_SIP ? &p->sip_key_line[i] : &p->port_key_line[i];
	if (*seen)
		return fail(p, "duplicate key '%s' in %s (first on line %u)", k->name,
			    section_label(p, label, sizeof(label)), *seen);
	*seen = p->line;

	ret = unquote(p, k, skip_blank(eq + 1), &value);
	if (ret)
		return ret;
	if (!*value)
		return fail(p, "%s: empty value (leave the key out for its default)", k->name);
	max = k->type == KEY_STRING ? k->max : 255;
	if (strlen(value) > max)
		return fail(p, "%s: value too long (max %zu bytes)", k->name, max);
	if (has_control(value))
		return fail(p, "%s: control character in value", k->name);
	if (!is_utf8(value))
		return fail(p, "%s: value is not valid UTF-8", k->name);

	obj = p->section == SEC_SIP ? (void *)&p->cfg.sip : (void *)p->port;
	return set_value(p, k, obj, value);
}

static int parse_line(struct parser *p, char *line)
{
	char *s = trim(line);

	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return parse_section(p, s);
	return parse_key_value(p, s);
}

/* Checks across keys and sections, once the whole file is read. */
static int finish(struct parser *p)
{
	struct lc_sip_config *sip = &p->cfg.sip;
	struct lc_port_config *port, *other;
	int first_enabled = -1;
	unsigned int i, j, a, b;

	if (sip->retry_min > sip->retry_max) {
		a = p->sip_key_line[find_key(SEC_SIP, "retry_min")];
		b = p->sip_key_line[find_key(SEC_SIP, "retry_max")];
		return fail_at(p, a > b ? a : b, "retry_min (%u) is greater than retry_max (%u)",
			       sip->retry_min, sip->retry_max);
	}

	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		port = p->cfg.ports[i];
		if (!port)
			continue;
		if (port->enabled && !port->number)
			return fail_at(p, p->port_line[i], "[port %u] is enabled but has no number",
				       i);
		if (port->enabled && first_enabled < 0)
			first_enabled = (int)i;
		if (!port->number)
			continue;
		for (j = 0; j < i; j++) {
			other = p->cfg.ports[j];
			if (other && other->number && !strcmp(other->number, port->number))
				return fail_at(p, p->port_line[i],
					       "[port %u] has the same number as [port %u] (line %u)",
					       i, j, p->port_line[j]);
		}
		if (!port->auth_user) {
			port->auth_user = strdup(port->number);
			if (!port->auth_user)
				return oom(p);
		}
	}

	if (first_enabled >= 0 && !sip->registrar)
		return fail_at(p, p->port_line[first_enabled],
			       "[port %d] is enabled but [sip] has no registrar", first_enabled);
	return 0;
}

/* --- API ------------------------------------------------------------------- */

int lc_config_parse_buf(const char *name, const char *text, size_t len,
			struct lc_config *out, char *err, size_t errlen)
{
	char line[LC_CONFIG_LINE_MAX + 1];
	const char *pos, *end, *nl;
	struct parser *p;
	size_t n;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!name)
		name = "<config>";
	if (!text) {
		text = "";
		len = 0;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		report(name, err, errlen, "out of memory");
		return -ENOMEM;
	}
	p->name = name;
	p->err = err;
	p->errlen = errlen;
	p->cfg.sip.local_port = 5060;
	p->cfg.sip.transport = LC_TRANSPORT_UDP;
	p->cfg.sip.expires = 3600;
	p->cfg.sip.retry_min = 30;
	p->cfg.sip.retry_max = 1800;
	p->cfg.sip.country = LC_COUNTRY_ITU;
	p->cfg.sip.first_digit_timeout = 15;
	p->cfg.sip.interdigit_short = 3;
	p->cfg.sip.interdigit_long = 10;
	p->cfg.sip.no_answer_timeout = 60;
	p->cfg.sip.offhook_warning = 30;
	p->cfg.sip.media_timeout = 30;
	p->cfg.sip.user_agent = strdup("linecardd");
	if (!p->cfg.sip.user_agent) {
		ret = oom(p);
		goto out;
	}

	pos = text;
	end = text + len;
	if (len >= 3 && !memcmp(pos, "\xef\xbb\xbf", 3))
		pos += 3;
	for (ret = 0; pos < end; pos = nl ? nl + 1 : end) {
		nl = memchr(pos, '\n', end - pos);
		n = (size_t)((nl ? nl : end) - pos);
		p->line++;
		if (memchr(pos, '\0', n)) {
			ret = fail(p, "NUL byte in line");
			goto out;
		}
		if (n && pos[n - 1] == '\r')
			n--;
		if (n > LC_CONFIG_LINE_MAX) {
			ret = fail(p, "line longer than %d bytes", LC_CONFIG_LINE_MAX);
			goto out;
		}
		memcpy(line, pos, n);
		line[n] = '\0';
		ret = parse_line(p, line);
		explicit_bzero(line, n);
		if (ret)
			goto out;
	}
	p->line = 0;
	ret = finish(p);
	if (ret)
		goto out;

	*out = p->cfg;
	memset(&p->cfg, 0, sizeof(p->cfg));
out:
	lc_config_free(&p->cfg);
	free(p);
	return ret;
}

/*
 * Read the whole of @path (at most LC_CONFIG_FILE_MAX bytes) into one
 * buffer, never reallocated so no stray copies of the passwords remain;
 * free it with drop_file().  @st, when given, receives the file's stat.
 */
static int read_file(const char *path, char **bufp, size_t *lenp, struct stat *st,
		     char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || (st && fstat(fd, st))) {
		ret = -errno;
		report(path, err, errlen, "cannot open: %s", strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	buf = malloc(LC_CONFIG_FILE_MAX + 1);
	if (!buf) {
		ret = -ENOMEM;
		report(path, err, errlen, "out of memory");
		goto out;
	}
	while (len <= LC_CONFIG_FILE_MAX) {
		n = read(fd, buf + len, LC_CONFIG_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			report(path, err, errlen, "cannot read: %s", strerror(-ret));
			goto out;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	if (len > LC_CONFIG_FILE_MAX) {
		ret = -EFBIG;
		report(path, err, errlen, "file larger than %d bytes", LC_CONFIG_FILE_MAX);
		goto out;
	}
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	ret = 0;
out:
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	close(fd);
	return ret;
}

static void drop_file(char *buf, size_t len)
{
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
}

int lc_config_load(const char *path, struct lc_config *out, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	ret = read_file(path, &buf, &len, NULL, err, errlen);
	if (ret)
		return ret;
	ret = lc_config_parse_buf(path, buf, len, out, err, errlen);
	drop_file(buf, len);
	return ret;
}

void lc_config_free(struct lc_config *cfg)
{
	unsigned int i;

	if (!cfg)
		return;
	free(cfg->sip.registrar);
	free(cfg->sip.outbound_proxy);
	free(cfg->sip.domain);
	free(cfg->sip.local_address);
	free(cfg->sip.user_agent);
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++)
		free_port(cfg->ports[i]);
	memset(cfg, 0, sizeof(*cfg));
}

const struct lc_port_config *lc_config_port(const struct lc_config *cfg, unsigned int index)
{
	if (!cfg || index >= LC_CONFIG_MAX_PORTS)
		return NULL;
	return cfg->ports[index];
}

static bool str_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

bool lc_port_config_equal(const struct lc_port_config *a, const struct lc_port_config *b)
{
	if (!a || !b)
		return a == b;
	return a->index == b->index &&
	       a->enabled == b->enabled &&
	       str_equal(a->number, b->number) &&
	       str_equal(a->auth_user, b->auth_user) &&
	       str_equal(a->password, b->password) &&
	       str_equal(a->display_name, b->display_name) &&
	       a->n_codecs == b->n_codecs &&
	       !memcmp(a->codecs, b->codecs, a->n_codecs * sizeof(a->codecs[0])) &&
	       a->dtmf == b->dtmf &&
	       str_equal(a->dial_plan, b->dial_plan);
}

bool lc_sip_config_equal(const struct lc_sip_config *a, const struct lc_sip_config *b)
{
	if (!a || !b)
		return a == b;
	return str_equal(a->registrar, b->registrar) &&
	       str_equal(a->outbound_proxy, b->outbound_proxy) &&
	       str_equal(a->domain, b->domain) &&
	       str_equal(a->local_address, b->local_address) &&
	       a->local_port == b->local_port &&
	       a->transport == b->transport &&
	       a->expires == b->expires &&
	       str_equal(a->user_agent, b->user_agent) &&
	       a->retry_min == b->retry_min &&
	       a->retry_max == b->retry_max &&
	       a->country == b->country &&
	       a->first_digit_timeout == b->first_digit_timeout &&
	       a->interdigit_short == b->interdigit_short &&
	       a->interdigit_long == b->interdigit_long &&
	       a->no_answer_timeout == b->no_answer_timeout &&
	       a->offhook_warning == b->offhook_warning &&
	       a->media_timeout == b->media_timeout &&
	       a->allow_direct_calls == b->allow_direct_calls &&
	       a->caller_id == b->caller_id;
}

int lc_config_check_perms(const char *path, char *warn, size_t len)
{
	struct stat st;
	const char *who;

	if (warn && len)
		warn[0] = '\0';
	if (stat(path, &st) < 0) {
		int ret = -errno;

		report(path, warn, len, "cannot stat: %s", strerror(-ret));
		return ret;
	}
	if (!(st.st_mode & (S_IRGRP | S_IROTH)))
		return 0;
	if ((st.st_mode & S_IRGRP) && (st.st_mode & S_IROTH))
		who = "its group and other users";
	else if (st.st_mode & S_IRGRP)
		who = "its group";
	else
		who = "other users";
	report(path, warn, len, "readable by %s (mode %04o) but it holds passwords; chmod 600 it",
	       who, (unsigned int)(st.st_mode & 07777));
	return 1;
}

const char *lc_transport_name(enum lc_transport t)
{
	return name_of(transport_names, t);
}

const char *lc_country_name(enum lc_country c)
{
	return name_of(country_names, c);
}

const char *lc_codec_name(enum lc_codec c)
{
	return name_of(codec_names, c);
}

const char *lc_dtmf_mode_name(enum lc_dtmf_mode m)
{
	return name_of(dtmf_names, m);
}

/*
 * Is @line (without its end) the header of [port @index]?  Same reading
 * as parse_section(); anything else, including another section, is not.
 */
static bool is_port_header(const char *line, size_t len, unsigned int index, bool *other)
{
	char buf[64], *s, *close, *name, *arg;
	unsigned int n;

	*other = false;
	while (len && is_blank(*line))
		line++, len--;
	if (!len || *line != '[')
		return false;
	*other = true;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	close = strchr(buf, ']');
	if (!close)
		return false;
	*close = '\0';
	s = buf + 1;
	name = trim(s);
	arg = name + strcspn(name, " \t");
	if (*arg)
		*arg++ = '\0';
	arg = skip_blank(arg);
	return !strcasecmp(name, "port") && !parse_uint(arg, &n) && n == index;
}

/* Is @line an "enabled = ..." setting? */
static bool is_enabled_key(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && is_blank(line[i]))
		i++;
	if (len - i < 7 || strncasecmp(line + i, "enabled", 7))
		return false;
	i += 7;
	while (i < len && is_blank(line[i]))
		i++;
	return i < len && line[i] == '=';
}

int lc_config_set_enabled(const char *path, unsigned int index, bool enabled,
			  char *err, size_t errlen)
{
	const char *setting = enabled ? "enabled = yes" : "enabled = no";
	struct lc_config check = { 0 };
	char *buf = NULL, *out = NULL, *tmp = NULL;
	size_t len = 0, olen = 0, pos, ins = 0, del_from = 0, del_to = 0;
	bool in_section = false, found = false, have_key = false, other;
	const char *eol = "\n";
	struct stat st;
	ssize_t n;
	int ofd = -1, ret;

	if (err && errlen)
		err[0] = '\0';
	ret = read_file(path, &buf, &len, &st, err, errlen);
	if (ret)
		return ret;
	/* The file must be valid now: never rewrite what we cannot read. */
	ret = lc_config_parse_buf(path, buf, len, &check, err, errlen);
	if (ret)
		goto out;
	lc_config_free(&check);
	for (pos = 0; pos < len; ) {
		const char *line = buf + pos;
		size_t end = pos, next, llen;

		while (end < len && buf[end] != '\n')
			end++;
		next = end < len ? end + 1 : end;
		llen = end - pos;
		if (llen && line[llen - 1] == '\r')
			llen--;
		if (is_port_header(line, llen, index, &other)) {
			in_section = found = true;
			ins = next;
			if (end > pos && buf[end - 1] == '\r')
				eol = "\r\n";
		} else if (other) {
			in_section = false;
		} else if (in_section && is_enabled_key(line, llen)) {
			have_key = true;
			del_from = pos;
			del_to = pos + llen;
		}
		pos = next;
	}
	if (!found) {
		ret = -ENOENT;
		report(path, err, errlen, "no [port %u] section", index);
		goto out;
	}
	out = malloc(len + 32);
	if (!out) {
		ret = -ENOMEM;
		goto out;
	}
	if (have_key) {
		memcpy(out, buf, del_from);
		olen = del_from;
		memcpy(out + olen, setting, strlen(setting));
		olen += strlen(setting);
		memcpy(out + olen, buf + del_to, len - del_to);
		olen += len - del_to;
	} else {
		/* After the header; a header on the file's last line gets an end. */
		memcpy(out, buf, ins);
		olen = ins;
		if (ins == len && (!ins || buf[ins - 1] != '\n')) {
			memcpy(out + olen, eol, strlen(eol));
			olen += strlen(eol);
		}
		memcpy(out + olen, setting, strlen(setting));
		olen += strlen(setting);
		memcpy(out + olen, eol, strlen(eol));
		olen += strlen(eol);
		memcpy(out + olen, buf + ins, len - ins);
		olen += len - ins;
	}
	ret = lc_config_parse_buf(path, out, olen, &check, err, errlen);
	if (ret)
		goto out;
	lc_config_free(&check);

	/* Write beside it and rename: a crash leaves the old or the new file. */
	tmp = malloc(strlen(path) + 16);
	if (!tmp) {
		ret = -ENOMEM;
		goto out;
	}
	sprintf(tmp, "%s.tmpXXXXXX", path);
	ofd = mkostemp(tmp, O_CLOEXEC);
	if (ofd < 0) {
		ret = -errno;
		report(path, err, errlen, "cannot create a temporary file: %s", strerror(-ret));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(ofd, st.st_mode & 07777) || (fchown(ofd, st.st_uid, st.st_gid) && errno != EPERM)) {
		ret = -errno;
		report(path, err, errlen, "cannot set the mode of the new file: %s", strerror(-ret));
		goto out;
	}
	for (pos = 0; pos < olen; ) {
		n = write(ofd, out + pos, olen - pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			report(path, err, errlen, "cannot write: %s", strerror(-ret));
			goto out;
		}
		pos += (size_t)n;
	}
	if (fsync(ofd) || close(ofd)) {
		ofd = -1;
		ret = -errno;
		report(path, err, errlen, "cannot write: %s", strerror(-ret));
		goto out;
	}
	ofd = -1;
	if (rename(tmp, path)) {
		ret = -errno;
		report(path, err, errlen, "cannot replace the file: %s", strerror(-ret));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	ret = 0;
out:
	if (ofd >= 0)
		close(ofd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	drop_file(buf, len);
	if (out) {
		explicit_bzero(out, olen);
		free(out);
	}
	return ret;
}

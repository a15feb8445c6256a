/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linecardd configuration: one INI file (default /etc/linecard/linecard.conf)
 * with a [sip] section for the shared SIP service and one [port N] section
 * per analog port.  linecard.conf.example documents every key.
 *
 * Syntax
 *   - "key = value", one per line; whitespace around key and value is
 *     trimmed.  Keys and section names are case-insensitive, and so are
 *     the words of enumerated values (udp, pcmu, yes, ...).
 *   - Lines whose first non-blank character is '#' or ';' are comments.
 *     There are no trailing comments: '#' and ';' are ordinary characters
 *     in a value (passwords, dial plans).
 *   - A value may be put in double quotes to keep leading or trailing
 *     blanks; inside quotes \" is a quote and \\ a backslash, and no other
 *     escape exists.  Outside quotes a backslash is an ordinary character.
 *   - LF or CRLF line endings, an optional UTF-8 byte order mark, lines of
 *     at most LC_CONFIG_LINE_MAX bytes, no NUL bytes, values in UTF-8
 *     without control characters, no empty values (leave a key out to get
 *     its default).
 *   - Every key at most once per section, every section at most once.
 *
 * Errors
 *   Every function returns 0 or a negative errno.  On error, @err receives
 *   one line "FILE:LINE: what is wrong" (or "FILE: ..." when no line is
 *   involved, e.g. the file cannot be opened), and @out is left untouched:
 *   a failed reload never disturbs the configuration in use.  Passwords are
 *   never copied into an error message.
 *
 * Ownership
 *   A loaded struct lc_config owns all its strings and port sections;
 *   lc_config_free() releases them (and wipes the passwords).  Only a
 *   successfully loaded (or zeroed) config may be freed.
 */
#ifndef LINECARD_DAEMON_CONFIG_H
#define LINECARD_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define LC_CONFIG_DEFAULT_PATH	"/etc/linecard/linecard.conf"

/* Port indexes are 0 .. LC_CONFIG_MAX_PORTS - 1 (LINECARD_MAX_PORTS). */
#define LC_CONFIG_MAX_PORTS	256
#define LC_CONFIG_LINE_MAX	4096		/* bytes, without the line end */
#define LC_CONFIG_FILE_MAX	(1024 * 1024)	/* bytes */

enum lc_transport {
	LC_TRANSPORT_UDP,
	LC_TRANSPORT_TCP,
};

/* Tone table used for dial, ringback, busy and reorder tones. */
enum lc_country {
	LC_COUNTRY_ITU,
	LC_COUNTRY_US,
	LC_COUNTRY_UK,
	LC_COUNTRY_DE,
	LC_COUNTRY_FR,
};

enum lc_codec {
	LC_CODEC_PCMU,
	LC_CODEC_PCMA,
	__LC_CODEC_LAST,
};

#define LC_CODEC_COUNT	__LC_CODEC_LAST

/* How caller ID is sent on the line, between the first and second ring. */
enum lc_cid_std {
	LC_CID_STD_BELL202,	/* Telcordia GR-30, MDMF */
	LC_CID_STD_V23,		/* ETSI EN 300 659 */
	LC_CID_STD_OFF,
};

enum lc_dtmf_mode {
	LC_DTMF_RFC4733,	/* telephone-event packets */
	LC_DTMF_INBAND,		/* tones in the audio */
};

/* The [sip] section: settings shared by every port. */
struct lc_sip_config {
	char *registrar;	/* "host[:port]" or a sip:/sips: URI; NULL if unset */
	char *outbound_proxy;	/* same forms; NULL: none */
	char *domain;		/* NULL: the registrar's host */
	char *local_address;	/* IP address for SIP; NULL: every address */
	unsigned int local_port;	/* 1..65535, default 5060 */
	enum lc_transport transport;	/* default udp */
	unsigned int expires;		/* requested, 60..86400 s, default 3600 */
	char *user_agent;		/* default "linecardd" */
	unsigned int retry_min;		/* back-off bounds, s; 30 / 1800 */
	unsigned int retry_max;
	enum lc_country country;	/* default itu */
	/* Call timers, s: first digit 15, inter-digit 3 / 10, no answer 60,
	 * reorder tone before the off-hook warning (howler) 30. */
	unsigned int first_digit_timeout;
	unsigned int interdigit_short;
	unsigned int interdigit_long;
	unsigned int no_answer_timeout;
	unsigned int offhook_warning;
	/* A call is hung up after this long without RTP from a far end that
	 * should be sending (not one holding the call), s; 0: never. */
	unsigned int media_timeout;
	/* Accept requests from anyone, not only the registrar / proxy. */
	bool allow_direct_calls;
	enum lc_cid_std caller_id;	/* default bell202 */
};

/* One [port N] section. */
struct lc_port_config {
	unsigned int index;
	bool enabled;			/* default yes */
	char *number;			/* SIP user part; required when enabled */
	char *auth_user;		/* default: number */
	char *password;			/* NULL: no credentials */
	char *display_name;		/* NULL: none */
	enum lc_codec codecs[LC_CODEC_COUNT];	/* in order of preference */
	unsigned int n_codecs;		/* 1..LC_CODEC_COUNT, default pcmu,pcma */
	enum lc_dtmf_mode dtmf;		/* default rfc4733 */
	char *dial_plan;		/* digit map, verbatim; NULL: none */
};

struct lc_config {
	struct lc_sip_config sip;
	/* NULL where the file has no [port N] section. */
	struct lc_port_config *ports[LC_CONFIG_MAX_PORTS];
};

/*
 * Read and parse @path into @out.  Returns 0, -EINVAL for a bad file,
 * -ENOMEM, -EFBIG for a file over LC_CONFIG_FILE_MAX, or the -errno of
 * open/read (-ENOENT, -EACCES, -EISDIR, ...).
 */
int lc_config_load(const char *path, struct lc_config *out, char *err, size_t errlen);

/* Same, from memory; @name is the file name used in error messages. */
int lc_config_parse_buf(const char *name, const char *text, size_t len,
			struct lc_config *out, char *err, size_t errlen);

void lc_config_free(struct lc_config *cfg);

/* The [port @index] section, or NULL if there is none (or @index is too big). */
const struct lc_port_config *lc_config_port(const struct lc_config *cfg, unsigned int index);

/*
 * Whether two port sections are the same in every setting (either may be
 * NULL: no section).  On SIGHUP, a port whose section is not equal must
 * re-register; when lc_sip_config_equal() is false, every port must.
 */
bool lc_port_config_equal(const struct lc_port_config *a, const struct lc_port_config *b);
bool lc_sip_config_equal(const struct lc_sip_config *a, const struct lc_sip_config *b);

/*
 * Returns 1 and writes a warning into @warn when @path is readable by its
 * group or by others (it holds passwords), 0 when it is not, or -errno
 * when it cannot be examined.
 */
int lc_config_check_perms(const char *path, char *warn, size_t len);

/*
 * Set "enabled = yes|no" in the [port @index] section of the file @path,
 * replacing the key's line or adding one after the section header; every
 * other byte of the file is kept.  The file must parse before and after;
 * it is replaced atomically (a new file renamed over it, same mode and
 * owner).  -ENOENT when there is no such section.
 */
int lc_config_set_enabled(const char *path, unsigned int index, bool enabled,
			  char *err, size_t errlen);

/* Names as written in the file, for logs and status output. */
const char *lc_transport_name(enum lc_transport t);
const char *lc_country_name(enum lc_country c);
const char *lc_codec_name(enum lc_codec c);
const char *lc_dtmf_mode_name(enum lc_dtmf_mode m);

#endif /* LINECARD_DAEMON_CONFIG_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for daemon/config.c: every key and its default, the syntax
 * (quotes, escapes, comments, CRLF, BOM, case), every kind of error with
 * its exact message and line number, refusal of NUL bytes and over-long
 * lines, loading from files (missing, directory, too large), equality for
 * SIGHUP reloads, the permission warning, and that no error message ever
 * carries a password and no failed parse touches its output.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Every error case below carries this password somewhere in its text. */
#define PW "Pw-s3cr3t"
#define NAME "t.conf"

/* A valid head: [sip] with a registrar, [port 0] with the password. */
#define HEAD "[sip]\nregistrar = example.com\n[port 0]\nnumber = 100\npassword = " PW "\n"
#define HEAD_LINES 5
/* A valid [port 0] section with the password. */
#define PORT0 "[port 0]\nnumber = 100\npassword = " PW "\n"
/* The same without the password line, for errors on that line. */
#define HEAD_NOPW "[sip]\nregistrar = example.com\n[port 0]\nnumber = 100\n"

static int parse(const char *text, struct lc_config *cfg, char *err, size_t errlen)
{
	return lc_config_parse_buf(NAME, text, strlen(text), cfg, err, errlen);
}

/* Parse @text, which must be valid. */
static void parse_ok(const char *text, struct lc_config *cfg)
{
	char err[512];
	int ret = parse(text, cfg, err, sizeof(err));

	ck_assert_msg(ret == 0, "unexpected error %d: %s", ret, err);
	ck_assert_str_eq(err, "");
}

/* --- defaults and every key ------------------------------------------------ */

START_TEST(test_defaults)
{
	const struct lc_port_config *port;
	struct lc_config cfg;
	unsigned int i;

	parse_ok("[sip]\nregistrar = example.com\n[port 0]\nnumber = 100\n", &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	ck_assert_ptr_null(cfg.sip.outbound_proxy);
	ck_assert_ptr_null(cfg.sip.domain);
	ck_assert_uint_eq(cfg.sip.local_port, 5060);
	ck_assert_int_eq(cfg.sip.transport, LC_TRANSPORT_UDP);
	ck_assert_uint_eq(cfg.sip.expires, 3600);
	ck_assert_str_eq(cfg.sip.user_agent, "linecardd");
	ck_assert_uint_eq(cfg.sip.retry_min, 30);
	ck_assert_uint_eq(cfg.sip.retry_max, 1800);
	ck_assert_int_eq(cfg.sip.country, LC_COUNTRY_ITU);
	ck_assert_ptr_null(cfg.sip.local_address);
	ck_assert_uint_eq(cfg.sip.first_digit_timeout, 15);
	ck_assert_uint_eq(cfg.sip.interdigit_short, 3);
	ck_assert_uint_eq(cfg.sip.interdigit_long, 10);
	ck_assert_uint_eq(cfg.sip.no_answer_timeout, 60);
	ck_assert_uint_eq(cfg.sip.offhook_warning, 30);
	ck_assert_uint_eq(cfg.sip.media_timeout, 30);
	ck_assert(!cfg.sip.allow_direct_calls);
	ck_assert_int_eq(cfg.sip.caller_id, LC_CID_STD_BELL202);

	port = lc_config_port(&cfg, 0);
	ck_assert_ptr_nonnull(port);
	ck_assert_uint_eq(port->index, 0);
	ck_assert(port->enabled);
	ck_assert_str_eq(port->number, "100");
	ck_assert_str_eq(port->auth_user, "100");
	ck_assert_ptr_ne(port->auth_user, port->number);
	ck_assert_ptr_null(port->password);
	ck_assert_ptr_null(port->display_name);
	ck_assert_uint_eq(port->n_codecs, 2);
	ck_assert_int_eq(port->codecs[0], LC_CODEC_PCMU);
	ck_assert_int_eq(port->codecs[1], LC_CODEC_PCMA);
	ck_assert_int_eq(port->dtmf, LC_DTMF_RFC4733);
	ck_assert_ptr_null(port->dial_plan);
	for (i = 1; i < LC_CONFIG_MAX_PORTS; i++)
		ck_assert_ptr_null(lc_config_port(&cfg, i));
	ck_assert_ptr_null(lc_config_port(&cfg, LC_CONFIG_MAX_PORTS));
	ck_assert_ptr_null(lc_config_port(&cfg, UINT_MAX));
	ck_assert_ptr_null(lc_config_port(NULL, 0));
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_every_key)
{
	static const char text[] =
		"[sip]\n"
		"registrar = sip:pbx.example.com;transport=tcp\n"
		"outbound_proxy = proxy.example.com:5080\n"
		"domain = example.com\n"
		"local_port = 5070\n"
		"transport = tcp\n"
		"expires = 600\n"
		"user_agent = linecardd/0.1 (test)\n"
		"retry_min = 5\n"
		"retry_max = 60\n"
		"country = de\n"
		"local_address = 2001:db8::7\n"
		"first_digit_timeout = 20\n"
		"interdigit_short = 2\n"
		"interdigit_long = 8\n"
		"no_answer_timeout = 90\n"
		"offhook_warning = 45\n"
		"media_timeout = 0\n"
		"allow_direct_calls = yes\n"
		"caller_id = v23\n"
		"[port 3]\n"
		"enabled = no\n"
		"number = +4930123\n"
		"auth_user = user@example.com\n"
		"password = " PW "\n"
		"display_name = Küche \"1\"\n"
		"codecs = pcma\n"
		"dtmf = inband\n"
		"dial_plan = (0T|00[1-9]xxxxxxx.T|[1-9]xx|*xx#)\n";
	const struct lc_port_config *port;
	struct lc_config cfg;

	parse_ok(text, &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "sip:pbx.example.com;transport=tcp");
	ck_assert_str_eq(cfg.sip.outbound_proxy, "proxy.example.com:5080");
	ck_assert_str_eq(cfg.sip.domain, "example.com");
	ck_assert_uint_eq(cfg.sip.local_port, 5070);
	ck_assert_int_eq(cfg.sip.transport, LC_TRANSPORT_TCP);
	ck_assert_uint_eq(cfg.sip.expires, 600);
	ck_assert_str_eq(cfg.sip.user_agent, "linecardd/0.1 (test)");
	ck_assert_uint_eq(cfg.sip.retry_min, 5);
	ck_assert_uint_eq(cfg.sip.retry_max, 60);
	ck_assert_int_eq(cfg.sip.country, LC_COUNTRY_DE);
	ck_assert_str_eq(cfg.sip.local_address, "2001:db8::7");
	ck_assert_uint_eq(cfg.sip.first_digit_timeout, 20);
	ck_assert_uint_eq(cfg.sip.interdigit_short, 2);
	ck_assert_uint_eq(cfg.sip.interdigit_long, 8);
	ck_assert_uint_eq(cfg.sip.no_answer_timeout, 90);
	ck_assert_uint_eq(cfg.sip.offhook_warning, 45);
	ck_assert_uint_eq(cfg.sip.media_timeout, 0);
	ck_assert(cfg.sip.allow_direct_calls);
	ck_assert_int_eq(cfg.sip.caller_id, LC_CID_STD_V23);

	ck_assert_ptr_null(lc_config_port(&cfg, 0));
	port = lc_config_port(&cfg, 3);
	ck_assert_ptr_nonnull(port);
	ck_assert_uint_eq(port->index, 3);
	ck_assert(!port->enabled);
	ck_assert_str_eq(port->number, "+4930123");
	ck_assert_str_eq(port->auth_user, "user@example.com");
	ck_assert_str_eq(port->password, PW);
	ck_assert_str_eq(port->display_name, "Küche \"1\"");
	ck_assert_uint_eq(port->n_codecs, 1);
	ck_assert_int_eq(port->codecs[0], LC_CODEC_PCMA);
	ck_assert_int_eq(port->dtmf, LC_DTMF_INBAND);
	ck_assert_str_eq(port->dial_plan, "(0T|00[1-9]xxxxxxx.T|[1-9]xx|*xx#)");
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_enums_and_bools)
{
	static const struct {
		const char *word;
		int value;
	} countries[] = {
		{ "us", LC_COUNTRY_US }, { "uk", LC_COUNTRY_UK }, { "de", LC_COUNTRY_DE },
		{ "fr", LC_COUNTRY_FR }, { "itu", LC_COUNTRY_ITU }, { "ITU", LC_COUNTRY_ITU },
	}, bools[] = {
		{ "yes", 1 }, { "no", 0 }, { "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 },
		{ "Yes", 1 }, { "FALSE", 0 },
	};
	struct lc_config cfg;
	char text[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(countries); i++) {
		snprintf(text, sizeof(text), "[sip]\ncountry = %s\n", countries[i].word);
		parse_ok(text, &cfg);
		ck_assert_int_eq(cfg.sip.country, countries[i].value);
		ck_assert_str_eq(lc_country_name(cfg.sip.country),
				 countries[i].word[0] == 'I' ? "itu" : countries[i].word);
		lc_config_free(&cfg);
	}
	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		snprintf(text, sizeof(text),
			 "[sip]\nregistrar = r\n[port 7]\nnumber = 1\nenabled = %s\n",
			 bools[i].word);
		parse_ok(text, &cfg);
		ck_assert_int_eq(cfg.ports[7]->enabled, bools[i].value);
		lc_config_free(&cfg);
	}
	parse_ok("[sip]\ntransport = UDP\n[port 0]\nenabled = no\ndtmf = RFC4733\n", &cfg);
	ck_assert_int_eq(cfg.sip.transport, LC_TRANSPORT_UDP);
	ck_assert_int_eq(cfg.ports[0]->dtmf, LC_DTMF_RFC4733);
	lc_config_free(&cfg);

	ck_assert_str_eq(lc_transport_name(LC_TRANSPORT_TCP), "tcp");
	ck_assert_str_eq(lc_codec_name(LC_CODEC_PCMA), "pcma");
	ck_assert_str_eq(lc_dtmf_mode_name(LC_DTMF_INBAND), "inband");
}
END_TEST

START_TEST(test_codecs)
{
	static const struct {
		const char *value;
		unsigned int n;
		enum lc_codec c0, c1;
	} cases[] = {
		{ "pcmu", 1, LC_CODEC_PCMU, 0 },
		{ "pcma", 1, LC_CODEC_PCMA, 0 },
		{ "pcmu,pcma", 2, LC_CODEC_PCMU, LC_CODEC_PCMA },
		{ "pcma,pcmu", 2, LC_CODEC_PCMA, LC_CODEC_PCMU },
		{ "  PCMA ,  pcmu  ", 2, LC_CODEC_PCMA, LC_CODEC_PCMU },
		{ "\"pcma, pcmu\"", 2, LC_CODEC_PCMA, LC_CODEC_PCMU },
	};
	struct lc_config cfg;
	char text[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(text, sizeof(text), "[port 1]\nenabled = no\ncodecs = %s\n",
			 cases[i].value);
		parse_ok(text, &cfg);
		ck_assert_uint_eq(cfg.ports[1]->n_codecs, cases[i].n);
		ck_assert_int_eq(cfg.ports[1]->codecs[0], cases[i].c0);
		if (cases[i].n > 1)
			ck_assert_int_eq(cfg.ports[1]->codecs[1], cases[i].c1);
		lc_config_free(&cfg);
	}
}
END_TEST

START_TEST(test_ranges)
{
	static const struct {
		const char *key;
		unsigned int value;
	} ok[] = {
		{ "expires", 60 }, { "expires", 86400 },
		{ "local_port", 1 }, { "local_port", 65535 },
		{ "retry_min", 1 }, { "retry_max", 86400 },
	};
	struct lc_config cfg;
	char text[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		snprintf(text, sizeof(text), "[sip]\n%s = %u\n", ok[i].key, ok[i].value);
		parse_ok(text, &cfg);
		if (!strcmp(ok[i].key, "expires"))
			ck_assert_uint_eq(cfg.sip.expires, ok[i].value);
		else if (!strcmp(ok[i].key, "local_port"))
			ck_assert_uint_eq(cfg.sip.local_port, ok[i].value);
		else if (!strcmp(ok[i].key, "retry_min"))
			ck_assert_uint_eq(cfg.sip.retry_min, ok[i].value);
		else
			ck_assert_uint_eq(cfg.sip.retry_max, ok[i].value);
		lc_config_free(&cfg);
	}
	parse_ok("[sip]\nretry_min = 60\nretry_max = 60\nexpires = 0060\n", &cfg);
	ck_assert_uint_eq(cfg.sip.expires, 60);
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_server_forms)
{
	static const char *const good[] = {
		"example.com", "example.com:5080", "pbx", "10.0.0.1", "10.0.0.1:65535",
		"[::1]", "[2001:db8::1]:5060", "example.com.", "sip:example.com",
		"sips:reg.example.com;transport=tcp", "SIP:example.com:5060",
		"sip:[2001:db8::1]:5060",
	};
	static const char *const bad[] = {
		"exa mple.com", "example.com:0", "example.com:65536", "example.com:",
		"example.com:abc", ":5060", "sip:", "sips:", "sip:a b", "sip:<x>", "[::1",
		"[]", "[1.2.3.4]", "user@example.com", "-bad", ".bad", "a..b",
		"http://example.com", "example.com:5060:1",
	};
	struct lc_config cfg;
	char text[256], err[512], want[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(text, sizeof(text), "[sip]\nregistrar = %s\noutbound_proxy = %s\n",
			 good[i], good[i]);
		parse_ok(text, &cfg);
		ck_assert_str_eq(cfg.sip.registrar, good[i]);
		ck_assert_str_eq(cfg.sip.outbound_proxy, good[i]);
		lc_config_free(&cfg);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "[sip]\nregistrar = %s\n", bad[i]);
		ck_assert_int_eq(parse(text, &cfg, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want),
			 NAME ":2: registrar: '%s' is not host[:port] or a sip:/sips: URI", bad[i]);
		ck_assert_str_eq(err, want);
	}

	parse_ok("[sip]\ndomain = [2001:db8::5]\n", &cfg);
	ck_assert_str_eq(cfg.sip.domain, "[2001:db8::5]");
	lc_config_free(&cfg);
	ck_assert_int_eq(parse("[sip]\ndomain = example.com:5060\n", &cfg, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, NAME ":2: domain: 'example.com:5060' is not a host name or address");
}
END_TEST

START_TEST(test_number_forms)
{
	static const char *const good[] = {
		"100", "+4930123456", "alice.smith", "a-b_c!~*'()&=+$,;?/", "%41%2f",
	};
	static const char *const bad[] = {
		"1 2", "a@b", "a:b", "<100>", "%4", "%zz", "100#", "Küche",
	};
	struct lc_config cfg;
	char text[256], err[512], want[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(text, sizeof(text), "[port 0]\nenabled = no\nnumber = %s\n", good[i]);
		parse_ok(text, &cfg);
		ck_assert_str_eq(cfg.ports[0]->number, good[i]);
		ck_assert_str_eq(cfg.ports[0]->auth_user, good[i]);
		lc_config_free(&cfg);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "[port 0]\nenabled = no\nnumber = %s\n", bad[i]);
		ck_assert_int_eq(parse(text, &cfg, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), NAME ":3: number: '%s' is not a SIP user part "
			 "(letters, digits, -_.!~*'()&=+$,;?/ and %%XX)", bad[i]);
		ck_assert_str_eq(err, want);
	}
}
END_TEST

START_TEST(test_many_ports)
{
	struct lc_config cfg;
	char *text, *w;
	size_t cap = 64 * 1024;
	unsigned int i;

	text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	w = text + sprintf(text, "[sip]\nregistrar = example.com\n");
	for (i = LC_CONFIG_MAX_PORTS; i-- > 0;)
		w += sprintf(w, "[port %u]\nnumber = %u\npassword = p%u\n", i, 1000 + i, i);
	parse_ok(text, &cfg);
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		ck_assert_uint_eq(cfg.ports[i]->index, i);
		ck_assert_uint_eq(strtoul(cfg.ports[i]->number, NULL, 10), 1000 + i);
	}
	lc_config_free(&cfg);
	free(text);
}
END_TEST

/* --- syntax ----------------------------------------------------------------- */

START_TEST(test_quotes)
{
	static const char text[] =
		"[sip]\n"
		"registrar = \"example.com\"\n"
		"user_agent = \"  padded  \"\n"
		"[port 0]\n"
		"number = 100\n"
		"password = \"a \\\"quoted\\\" \\\\ pass\"   \n"
		"display_name = Bob \"the\" Builder\n"
		"auth_user = back\\slash\\n\n"
		"dial_plan = \"#;x\"\t\n"
		"[port 1]\n"
		"number = 101\n"
		"password = #not-a-comment;\n"
		"display_name = \"\\\\\"\n"
		"auth_user = a = b\n";
	struct lc_config cfg;

	parse_ok(text, &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	ck_assert_str_eq(cfg.sip.user_agent, "  padded  ");
	ck_assert_str_eq(cfg.ports[0]->password, "a \"quoted\" \\ pass");
	ck_assert_str_eq(cfg.ports[0]->display_name, "Bob \"the\" Builder");
	ck_assert_str_eq(cfg.ports[0]->auth_user, "back\\slash\\n");
	ck_assert_str_eq(cfg.ports[0]->dial_plan, "#;x");
	ck_assert_str_eq(cfg.ports[1]->password, "#not-a-comment;");
	ck_assert_str_eq(cfg.ports[1]->display_name, "\\");
	ck_assert_str_eq(cfg.ports[1]->auth_user, "a = b");
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_comments_and_blanks)
{
	static const char text[] =
		"# leading comment\n"
		"; another\n"
		"\n"
		"   \t \n"
		"[sip]   \n"
		"  # indented comment\n"
		"\t; indented too\n"
		"   registrar   =   example.com   \n"
		"\n"
		"  [  port    2  ]  \n"
		"number=200\n"
		"password =" PW "\n"
		"# [port 9]\n"
		"; number = 900\n";
	struct lc_config cfg;

	parse_ok(text, &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	ck_assert_str_eq(cfg.ports[2]->number, "200");
	ck_assert_str_eq(cfg.ports[2]->password, PW);
	ck_assert_ptr_null(cfg.ports[9]);
	lc_config_free(&cfg);

	/* Empty and comment-only files are valid: nothing is configured. */
	parse_ok("", &cfg);
	ck_assert_ptr_null(cfg.sip.registrar);
	ck_assert_ptr_null(cfg.ports[0]);
	lc_config_free(&cfg);
	parse_ok("# nothing\n\n; here\n", &cfg);
	lc_config_free(&cfg);
	ck_assert_int_eq(lc_config_parse_buf(NAME, NULL, 0, &cfg, NULL, 0), 0);
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_case_insensitive)
{
	struct lc_config cfg;

	parse_ok("[SIP]\nRegistrar = example.com\nTRANSPORT = Tcp\nCountry = UK\n"
		 "[Port 4]\nNumber = 4\nEnabled = YES\nCodecs = PCMA,PcMu\nDTMF = InBand\n", &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	ck_assert_int_eq(cfg.sip.transport, LC_TRANSPORT_TCP);
	ck_assert_int_eq(cfg.sip.country, LC_COUNTRY_UK);
	ck_assert(cfg.ports[4]->enabled);
	ck_assert_int_eq(cfg.ports[4]->codecs[0], LC_CODEC_PCMA);
	ck_assert_int_eq(cfg.ports[4]->codecs[1], LC_CODEC_PCMU);
	ck_assert_int_eq(cfg.ports[4]->dtmf, LC_DTMF_INBAND);
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_crlf_bom_and_last_line)
{
	static const char crlf[] =
		"\xef\xbb\xbf# with a BOM\r\n"
		"[sip]\r\n"
		"registrar = example.com\r\n"
		"\r\n"
		"[port 0]\r\n"
		"number = 100\r\n"
		"password = \"" PW "\"\r\n"
		"dial_plan = x.T\r\n";
	struct lc_config cfg;
	char err[512];

	parse_ok(crlf, &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	ck_assert_str_eq(cfg.ports[0]->number, "100");
	ck_assert_str_eq(cfg.ports[0]->password, PW);
	ck_assert_str_eq(cfg.ports[0]->dial_plan, "x.T");
	lc_config_free(&cfg);

	/* No line end at the end of the file, with and without a CR. */
	parse_ok("[sip]\nregistrar = example.com", &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	lc_config_free(&cfg);
	parse_ok("[sip]\r\nregistrar = example.com\r", &cfg);
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	lc_config_free(&cfg);

	/* Line numbers count CRLF lines. */
	ck_assert_int_eq(parse("[sip]\r\n\r\nregistrar = example.com\r\nfoo = 1\r\n", &cfg, err,
			       sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, NAME ":4: unknown key 'foo' in [sip]");
	/* A CR anywhere but at the end of a line is a control character. */
	ck_assert_int_eq(parse("[sip]\nuser_agent = a\rb\n", &cfg, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, NAME ":2: user_agent: control character in value");
}
END_TEST

/* --- errors ----------------------------------------------------------------- */

struct error_case {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *err;	/* the whole message */
};

#define L(n) NAME ":" #n ": "
#define CASE(t, e) { (t), 0, (e) }
#define BIN(t, e) { (t), sizeof(t) - 1, (e) }

static const struct error_case error_cases[] = {
	/* sections */
	CASE(HEAD "[foo]\n", L(6) "unknown section [foo]"),
	CASE(HEAD "[foo bar]\n", L(6) "unknown section [foo bar]"),
	CASE(HEAD "[ports 1]\n", L(6) "unknown section [ports 1]"),
	CASE(HEAD "[port1]\n", L(6) "unknown section [port1]"),
	CASE(HEAD "[]\n", L(6) "empty section name"),
	CASE(HEAD "[port 1\n", L(6) "missing ']' in section header"),
	CASE(HEAD "[port 1] x\n", L(6) "unexpected text after ']' in section header"),
	CASE(HEAD "[port 1]]\n", L(6) "unexpected text after ']' in section header"),
	CASE(HEAD "[sip 1]\n", L(6) "section [sip] takes no index"),
	CASE(HEAD "[sip]\n", L(6) "duplicate section [sip] (first on line 1)"),
	CASE(HEAD "[port]\n", L(6) "section [port] needs a port index, as in [port 0]"),
	CASE(HEAD "[port x]\n", L(6) "port index 'x' is not a number"),
	CASE(HEAD "[port -1]\n", L(6) "port index '-1' is not a number"),
	CASE(HEAD "[port 1 2]\n", L(6) "port index '1 2' is not a number"),
	CASE(HEAD "[port 256]\n", L(6) "port index 256 out of range 0..255"),
	CASE(HEAD "[port 99999999999999999999]\n",
	     L(6) "port index 99999999999999999999 out of range 0..255"),
	CASE(HEAD "[port 0]\n", L(6) "duplicate section [port 0] (first on line 3)"),
	CASE(HEAD "[port 00]\n", L(6) "duplicate section [port 0] (first on line 3)"),
	/* keys */
	CASE(HEAD_NOPW "pasword = " PW "\n", L(5) "unknown key 'pasword' in [port 0]"),
	CASE(HEAD "registrar = x\n", L(6) "unknown key 'registrar' in [port 0]"),
	CASE("[sip]\nnumber = 1\n" HEAD, L(2) "unknown key 'number' in [sip]"),
	CASE("password = " PW "\n", L(1) "key 'password' before any section header"),
	CASE(HEAD "password = " PW "\n",
	     L(6) "duplicate key 'password' in [port 0] (first on line 5)"),
	CASE(HEAD "PassWord = other\n",
	     L(6) "duplicate key 'password' in [port 0] (first on line 5)"),
	CASE("[sip]\nregistrar = a\nregistrar = b\n" HEAD,
	     L(3) "duplicate key 'registrar' in [sip] (first on line 2)"),
	CASE(HEAD "display_name Bob\n", L(6) "expected 'key = value' but there is no '='"),
	CASE(HEAD_NOPW PW "\n", L(5) "expected 'key = value' but there is no '='"),
	CASE(HEAD_NOPW "password " PW "\n", L(5) "expected 'key = value' but there is no '='"),
	CASE(HEAD "= " PW "\n", L(6) "missing key before '='"),
	CASE(HEAD "pass word = " PW "\n", L(6) "invalid key name (letters, digits and _ only)"),
	CASE(HEAD "\"password\" = " PW "\n", L(6) "invalid key name (letters, digits and _ only)"),
	/* values: quotes, length, characters */
	CASE(HEAD_NOPW "password = \"" PW "\n", L(5) "password: unterminated quote"),
	CASE(HEAD_NOPW "password = \"" PW "\\\n", L(5) "password: unterminated quote"),
	CASE(HEAD_NOPW "password = \"" PW "\\\"\n", L(5) "password: unterminated quote"),
	CASE(HEAD_NOPW "password = \"" PW "\\n\"\n",
	     L(5) "password: unknown escape in quoted value (only \\\" and \\\\)"),
	CASE(HEAD_NOPW "password = \"" PW "\" x\n",
	     L(5) "password: unexpected text after the closing quote"),
	CASE(HEAD_NOPW "password = \"\"" PW "\n",
	     L(5) "password: unexpected text after the closing quote"),
	CASE(HEAD_NOPW "password =\n[port 1]\npassword = " PW "\n",
	     L(5) "password: empty value (leave the key out for its default)"),
	CASE(HEAD_NOPW "password = \"\"\n[port 1]\npassword = " PW "\n",
	     L(5) "password: empty value (leave the key out for its default)"),
	CASE(HEAD "display_name =   \n",
	     L(6) "display_name: empty value (leave the key out for its default)"),
	CASE(HEAD_NOPW "password = " PW
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "\n", L(5) "password: value too long (max 255 bytes)"),
	CASE(HEAD_NOPW "password = " PW "\x01\n", L(5) "password: control character in value"),
	CASE(HEAD_NOPW "password = \"" PW "\t\"\n", L(5) "password: control character in value"),
	CASE(HEAD_NOPW "password = " PW "\x7f\n", L(5) "password: control character in value"),
	CASE(HEAD_NOPW "password = " PW "\xff\n", L(5) "password: value is not valid UTF-8"),
	CASE(HEAD_NOPW "password = " PW "\xc3\n", L(5) "password: value is not valid UTF-8"),
	CASE(HEAD_NOPW "password = " PW "\xc0\xaf\n", L(5) "password: value is not valid UTF-8"),
	CASE(HEAD_NOPW "password = " PW "\xed\xa0\x80\n",
	     L(5) "password: value is not valid UTF-8"),
	CASE(HEAD_NOPW "password = " PW "\xf4\x90\x80\x80\n",
	     L(5) "password: value is not valid UTF-8"),
	CASE(HEAD "display_name = \xe2\x82\n", L(6) "display_name: value is not valid UTF-8"),
	/* numbers */
	CASE("[sip]\nexpires = abc\n" HEAD, L(2) "expires: 'abc' is not a number"),
	CASE("[sip]\nexpires = 3600s\n" HEAD, L(2) "expires: '3600s' is not a number"),
	CASE("[sip]\nexpires = -5\n" HEAD, L(2) "expires: '-5' is not a number"),
	CASE("[sip]\nexpires = +60\n" HEAD, L(2) "expires: '+60' is not a number"),
	CASE("[sip]\nexpires = 1 0\n" HEAD, L(2) "expires: '1 0' is not a number"),
	CASE("[sip]\nexpires = 0x40\n" HEAD, L(2) "expires: '0x40' is not a number"),
	CASE("[sip]\nexpires = 59\n" HEAD, L(2) "expires: 59 out of range 60..86400"),
	CASE("[sip]\nexpires = 86401\n" HEAD, L(2) "expires: 86401 out of range 60..86400"),
	CASE("[sip]\nexpires = 99999999999999999999\n" HEAD,
	     L(2) "expires: 99999999999999999999 out of range 60..86400"),
	CASE("[sip]\nlocal_port = 0\n" HEAD, L(2) "local_port: 0 out of range 1..65535"),
	CASE("[sip]\nlocal_port = 65536\n" HEAD, L(2) "local_port: 65536 out of range 1..65535"),
	CASE("[sip]\nretry_min = 0\n" HEAD, L(2) "retry_min: 0 out of range 1..3600"),
	CASE("[sip]\nretry_min = 3601\n" HEAD, L(2) "retry_min: 3601 out of range 1..3600"),
	CASE("[sip]\nretry_max = 86401\n" HEAD, L(2) "retry_max: 86401 out of range 1..86400"),
	/* enumerations */
	CASE("[sip]\ntransport = sctp\n" HEAD, L(2) "transport: 'sctp' is not one of udp, tcp"),
	CASE("[sip]\ntransport = tls\n" HEAD, L(2) "transport: 'tls' is not one of udp, tcp"),
	CASE("[sip]\ncountry = xx\n" HEAD,
	     L(2) "country: 'xx' is not one of us, uk, de, fr, itu"),
	CASE("[sip]\nlocal_address = example.com\n" HEAD,
	     L(2) "local_address: 'example.com' is not an IPv4 or IPv6 address"),
	CASE("[sip]\nlocal_address = [2001:db8::1\n" HEAD,
	     L(2) "local_address: '[2001:db8::1' is not an IPv4 or IPv6 address"),
	CASE("[sip]\nfirst_digit_timeout = 0\n" HEAD,
	     L(2) "first_digit_timeout: 0 out of range 1..600"),
	CASE("[sip]\nno_answer_timeout = 4\n" HEAD,
	     L(2) "no_answer_timeout: 4 out of range 5..600"),
	CASE("[sip]\ncaller_id = dtmf\n" HEAD,
	     L(2) "caller_id: 'dtmf' is not one of bell202, v23, off"),
	CASE("[sip]\nallow_direct_calls = sometimes\n" HEAD,
	     L(2) "allow_direct_calls: 'sometimes' is not one of yes, no, true, false, 1, 0"),
	CASE(HEAD "dtmf = sip-info\n", L(6) "dtmf: 'sip-info' is not one of rfc4733, inband"),
	CASE(HEAD "enabled = maybe\n",
	     L(6) "enabled: 'maybe' is not one of yes, no, true, false, 1, 0"),
	CASE(HEAD "enabled = on\n", L(6) "enabled: 'on' is not one of yes, no, true, false, 1, 0"),
	CASE(HEAD "codecs = g729\n", L(6) "codecs: unknown codec 'g729' (known: pcmu, pcma)"),
	CASE(HEAD "codecs = pcmu, g722\n", L(6) "codecs: unknown codec 'g722' (known: pcmu, pcma)"),
	CASE(HEAD "codecs = pcmu,,pcma\n", L(6) "codecs: empty entry in the list"),
	CASE(HEAD "codecs = pcmu,\n", L(6) "codecs: empty entry in the list"),
	CASE(HEAD "codecs = ,pcmu\n", L(6) "codecs: empty entry in the list"),
	CASE(HEAD "codecs = pcmu,PCMU\n", L(6) "codecs: 'pcmu' listed twice"),
	CASE(HEAD "codecs = pcmu,\tpcma\n", L(6) "codecs: control character in value"),
	/* strings with a syntax */
	CASE("[sip]\nregistrar = exa mple.com\n" "[port 0]\nnumber = 1\npassword = " PW "\n",
	     L(2) "registrar: 'exa mple.com' is not host[:port] or a sip:/sips: URI"),
	CASE("[sip]\noutbound_proxy = proxy:99999\n" HEAD,
	     L(2) "outbound_proxy: 'proxy:99999' is not host[:port] or a sip:/sips: URI"),
	CASE("[sip]\ndomain = a/b\n" HEAD, L(2) "domain: 'a/b' is not a host name or address"),
	CASE(HEAD "number = 1 2\n", L(6) "duplicate key 'number' in [port 0] (first on line 4)"),
	CASE("[sip]\nregistrar = r\n[port 0]\npassword = " PW "\nnumber = 1 2\n",
	     L(5) "number: '1 2' is not a SIP user part (letters, digits, -_.!~*'()&=+$,;?/ and %XX)"),
	/* checks across the file, reported on the line concerned */
	CASE("[sip]\nregistrar = r\n[port 2]\npassword = " PW "\n",
	     L(3) "[port 2] is enabled but has no number"),
	CASE("[sip]\nregistrar = r\n[port 2]\nenabled = yes\npassword = " PW "\n",
	     L(3) "[port 2] is enabled but has no number"),
	CASE("[sip]\n[port 0]\nnumber = 100\npassword = " PW "\n",
	     L(2) "[port 0] is enabled but [sip] has no registrar"),
	CASE("[port 5]\nenabled = no\nnumber = 1\n[port 1]\nnumber = 100\npassword = " PW "\n",
	     L(4) "[port 1] is enabled but [sip] has no registrar"),
	CASE(HEAD "[port 1]\nnumber = 100\n",
	     L(6) "[port 1] has the same number as [port 0] (line 3)"),
	CASE(HEAD "[port 1]\nenabled = no\nnumber = 100\n",
	     L(6) "[port 1] has the same number as [port 0] (line 3)"),
	CASE("[sip]\nretry_max = 10\nretry_min = 20\nregistrar = r\n" PORT0,
	     L(3) "retry_min (20) is greater than retry_max (10)"),
	CASE("[sip]\nretry_min = 20\nretry_max = 10\nregistrar = r\n" PORT0,
	     L(3) "retry_min (20) is greater than retry_max (10)"),
	CASE("[sip]\nretry_min = 3600\nregistrar = r\n" PORT0,
	     L(2) "retry_min (3600) is greater than retry_max (1800)"),
	/* bytes that have no place in a config file */
	BIN(HEAD "display_name = Bo\0b\n", L(6) "NUL byte in line"),
	BIN(HEAD_NOPW "password = " PW "\0\n", L(5) "NUL byte in line"),
	BIN(HEAD "# comment\0\n", L(6) "NUL byte in line"),
	BIN(HEAD "\0", L(6) "NUL byte in line"),
	BIN("\0" HEAD, L(1) "NUL byte in line"),
	CASE(HEAD "display_name = \x1b[2J\n", L(6) "display_name: control character in value"),
	CASE(HEAD "[\x1b[2J]\n", L(6) "unknown section (name with non-printable characters)"),
	CASE(HEAD "[port \x01]\n", L(6) "port index '?' is not a number"),
	CASE(HEAD "k\x1b = 1\n", L(6) "invalid key name (letters, digits and _ only)"),
};

#define N_ERROR_CASES (int)(ARRAY_SIZE(error_cases))

/*
 * A failed parse returns -EINVAL with the exact message, never mentions
 * the password, and leaves its output exactly as it was.
 */
static void check_error(const struct error_case *c, int i)
{
	size_t len = c->len ? c->len : strlen(c->text);
	struct lc_config cfg, before;
	char err[512];
	int ret;

	ck_assert_msg(memmem(c->text, len, PW, strlen(PW)), "case %d lacks the password", i);
	memset(&cfg, 0xa5, sizeof(cfg));
	memcpy(&before, &cfg, sizeof(cfg));
	memset(err, 'X', sizeof(err));
	ret = lc_config_parse_buf(NAME, c->text, len, &cfg, err, sizeof(err));
	ck_assert_msg(ret == -EINVAL, "case %d: returned %d (%s)", i, ret, err);
	ck_assert_msg(!strcmp(err, c->err), "case %d: got \"%s\", want \"%s\"", i, err, c->err);
	ck_assert_msg(!strstr(err, PW) && !strstr(err, "s3cr3t"), "case %d: password in \"%s\"",
		      i, err);
	ck_assert_msg(!memcmp(&cfg, &before, sizeof(cfg)), "case %d: output touched", i);
}

START_TEST(test_error)
{
	check_error(&error_cases[_i], _i);
}
END_TEST

/* The brief's rule, once more over every case together. */
START_TEST(test_password_never_in_errors)
{
	struct lc_config cfg;
	char err[512];
	int i;

	for (i = 0; i < N_ERROR_CASES; i++) {
		const struct error_case *c = &error_cases[i];
		size_t len = c->len ? c->len : strlen(c->text);

		ck_assert_int_ne(lc_config_parse_buf(NAME, c->text, len, &cfg, err, sizeof(err)),
				 0);
		ck_assert_ptr_null(strstr(err, PW));
	}
}
END_TEST

START_TEST(test_long_lines)
{
	const size_t prefix = strlen("dial_plan = ");
	struct lc_config cfg, before;
	size_t head = strlen(HEAD), n;
	char err[512], *text;

	text = malloc(head + 2 * 1024 * 1024);
	ck_assert_ptr_nonnull(text);

	/* Exactly LC_CONFIG_LINE_MAX bytes (the CR of a CRLF not counted): fine. */
	n = (size_t)sprintf(text, "%sdial_plan = ", HEAD);
	memset(text + n, 'x', LC_CONFIG_LINE_MAX - prefix);
	n += LC_CONFIG_LINE_MAX - prefix;
	memcpy(text + n, "\r\n", 3);
	ck_assert_int_eq(lc_config_parse_buf(NAME, text, n + 2, &cfg, err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen(cfg.ports[0]->dial_plan), LC_CONFIG_LINE_MAX - prefix);
	lc_config_free(&cfg);

	/* One byte more: refused, on its line. */
	memcpy(text + n, "x\n", 3);
	memset(&cfg, 0x5a, sizeof(cfg));
	memcpy(&before, &cfg, sizeof(cfg));
	ck_assert_int_eq(lc_config_parse_buf(NAME, text, n + 2, &cfg, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, NAME ":6: line longer than 4096 bytes");
	ck_assert(!memcmp(&cfg, &before, sizeof(cfg)));

	/* A 2 MiB line holding the password, without a line end. */
	n = (size_t)sprintf(text, "%spassword = " PW, HEAD_NOPW);
	memset(text + n, 'y', 2 * 1024 * 1024 - 1);
	n += 2 * 1024 * 1024 - 1;
	ck_assert_int_eq(lc_config_parse_buf(NAME, text, n, &cfg, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, NAME ":5: line longer than 4096 bytes");
	ck_assert_ptr_null(strstr(err, PW));
	free(text);
}
END_TEST

START_TEST(test_small_error_buffer)
{
	struct lc_config cfg;
	char err[8];

	memset(err, 'X', sizeof(err));
	ck_assert_int_eq(lc_config_parse_buf(NAME, "[bad]\n", 6, &cfg, err, 8), -EINVAL);
	ck_assert_str_eq(err, "t.conf:");
	ck_assert_int_eq(lc_config_parse_buf(NAME, "[bad]\n", 6, &cfg, err, 1), -EINVAL);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(lc_config_parse_buf(NAME, "[bad]\n", 6, &cfg, NULL, 0), -EINVAL);
	ck_assert_int_eq(lc_config_parse_buf(NULL, "[bad]\n", 6, &cfg, err, 8), -EINVAL);
	ck_assert_str_eq(err, "<config");
}
END_TEST

/* --- reload ----------------------------------------------------------------- */

/* [sip] and [port 0] (lines 1-5), then the body of [port 1] (line 6). */
#define TWO_PORTS "[sip]\nregistrar = example.com\n" PORT0 "[port 1]\n"

START_TEST(test_equal)
{
	static const char *const variants[] = {
		"number = 101\npassword = " PW "\nenabled = no\n",
		"number = 102\npassword = " PW "\n",
		"number = 101\npassword = " PW "\nauth_user = other\n",
		"number = 101\npassword = " PW "2\n",
		"number = 101\n",
		"number = 101\npassword = " PW "\ndisplay_name = Bob\n",
		"number = 101\npassword = " PW "\ncodecs = pcma,pcmu\n",
		"number = 101\npassword = " PW "\ncodecs = pcmu\n",
		"number = 101\npassword = " PW "\ndtmf = inband\n",
		"number = 101\npassword = " PW "\ndial_plan = xx\n",
	};
	static const char *const sip_variants[] = {
		"registrar = example.com:5060\n",
		"registrar = example.com\noutbound_proxy = proxy\n",
		"registrar = example.com\ndomain = example.org\n",
		"registrar = example.com\nlocal_port = 5061\n",
		"registrar = example.com\ntransport = tcp\n",
		"registrar = example.com\nexpires = 120\n",
		"registrar = example.com\nuser_agent = x\n",
		"registrar = example.com\nretry_min = 1\n",
		"registrar = example.com\nretry_max = 1801\n",
		"registrar = example.com\ncountry = us\n",
	};
	struct lc_config a, b;
	char text[512];
	size_t i;

	parse_ok(TWO_PORTS "number = 101\npassword = " PW "\n", &a);

	/* Same settings, written differently: equal. */
	parse_ok("# reordered, quoted, commented\n[PORT 1]\npassword = \"" PW "\"\nnumber = 101\n"
		 "auth_user = 101\ncodecs = pcmu, pcma\nenabled = true\ndtmf = RFC4733\n"
		 "[sip]\r\nregistrar=example.com\nexpires = 3600\n" PORT0, &b);
	ck_assert(lc_sip_config_equal(&a.sip, &b.sip));
	ck_assert(lc_port_config_equal(a.ports[0], b.ports[0]));
	ck_assert(lc_port_config_equal(a.ports[1], b.ports[1]));
	lc_config_free(&b);

	/* Any one port setting changed: that port differs, the other does not. */
	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		snprintf(text, sizeof(text), TWO_PORTS "%s", variants[i]);
		parse_ok(text, &b);
		ck_assert(lc_port_config_equal(a.ports[0], b.ports[0]));
		ck_assert_msg(!lc_port_config_equal(a.ports[1], b.ports[1]), "variant %zu", i);
		ck_assert_msg(!lc_port_config_equal(b.ports[1], a.ports[1]), "variant %zu", i);
		ck_assert(lc_sip_config_equal(&a.sip, &b.sip));
		lc_config_free(&b);
	}

	/* A port section added or removed. */
	parse_ok(TWO_PORTS "number = 101\npassword = " PW "\n[port 2]\nnumber = 102\n", &b);
	ck_assert(lc_port_config_equal(a.ports[2], a.ports[2]));
	ck_assert(!lc_port_config_equal(a.ports[2], b.ports[2]));
	ck_assert(!lc_port_config_equal(b.ports[2], a.ports[2]));
	ck_assert(lc_port_config_equal(a.ports[1], b.ports[1]));
	lc_config_free(&b);

	/* Shared settings: every one of them counts. */
	for (i = 0; i < ARRAY_SIZE(sip_variants); i++) {
		snprintf(text, sizeof(text), "[sip]\n%s" PORT0 "[port 1]\nnumber = 101\npassword = "
			 PW "\n", sip_variants[i]);
		parse_ok(text, &b);
		ck_assert_msg(!lc_sip_config_equal(&a.sip, &b.sip), "sip variant %zu", i);
		ck_assert(lc_port_config_equal(a.ports[0], b.ports[0]));
		ck_assert(lc_port_config_equal(a.ports[1], b.ports[1]));
		lc_config_free(&b);
	}
	ck_assert(lc_sip_config_equal(NULL, NULL));
	ck_assert(!lc_sip_config_equal(&a.sip, NULL));
	ck_assert(lc_port_config_equal(NULL, NULL));
	ck_assert(!lc_port_config_equal(a.ports[0], NULL));
	lc_config_free(&a);
}
END_TEST

START_TEST(test_failed_reload_keeps_config)
{
	struct lc_config cfg, copy;
	char err[512];

	parse_ok(TWO_PORTS "number = 101\n", &cfg);
	memcpy(&copy, &cfg, sizeof(cfg));
	ck_assert_int_eq(parse(TWO_PORTS "number = 101\npasword = x\n", &cfg, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, NAME ":8: unknown key 'pasword' in [port 1]");
	ck_assert(!memcmp(&cfg, &copy, sizeof(cfg)));
	ck_assert_str_eq(cfg.ports[0]->password, PW);
	lc_config_free(&cfg);
	/* Freeing twice, or a zeroed config, is harmless. */
	lc_config_free(&cfg);
	lc_config_free(NULL);
}
END_TEST

/* --- files ------------------------------------------------------------------ */

struct tmp {
	char dir[64];
	char path[128];
};

static struct tmp tmp;

static void tmp_setup(void)
{
	strcpy(tmp.dir, "/tmp/test_config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp.dir));
	snprintf(tmp.path, sizeof(tmp.path), "%s/linecard.conf", tmp.dir);
}

static void tmp_teardown(void)
{
	unlink(tmp.path);
	rmdir(tmp.dir);
}

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(close(fd), 0);
}

START_TEST(test_load)
{
	static const char text[] = HEAD "display_name = \"Hall\"\n";
	struct lc_config cfg;
	char err[512], want[512];

	write_file(tmp.path, text, strlen(text), 0600);
	ck_assert_int_eq(lc_config_load(tmp.path, &cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(cfg.sip.registrar, "example.com");
	ck_assert_str_eq(cfg.ports[0]->password, PW);
	ck_assert_str_eq(cfg.ports[0]->display_name, "Hall");
	lc_config_free(&cfg);

	/* Errors name the path given. */
	write_file(tmp.path, HEAD "pasword = x\n", strlen(HEAD "pasword = x\n"), 0600);
	ck_assert_int_eq(lc_config_load(tmp.path, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:6: unknown key 'pasword' in [port 0]", tmp.path);
	ck_assert_str_eq(err, want);

	/* NUL bytes in a file. */
	write_file(tmp.path, HEAD "\0\n", sizeof(HEAD "\0\n") - 1, 0600);
	ck_assert_int_eq(lc_config_load(tmp.path, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:6: NUL byte in line", tmp.path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_load_errors)
{
	struct lc_config cfg, before;
	char err[512], want[512], *big;

	memset(&cfg, 0x5a, sizeof(cfg));
	memcpy(&before, &cfg, sizeof(cfg));

	snprintf(want, sizeof(want), "%s/missing.conf", tmp.dir);
	ck_assert_int_eq(lc_config_load(want, &cfg, err, sizeof(err)), -ENOENT);
	strcat(want, ": cannot open: No such file or directory");
	ck_assert_str_eq(err, want);

	ck_assert_int_eq(lc_config_load(tmp.dir, &cfg, err, sizeof(err)), -EISDIR);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmp.dir);
	ck_assert_str_eq(err, want);

	/* Larger than LC_CONFIG_FILE_MAX: refused whole. */
	big = malloc(LC_CONFIG_FILE_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, '\n', LC_CONFIG_FILE_MAX + 1);
	write_file(tmp.path, big, LC_CONFIG_FILE_MAX + 1, 0600);
	ck_assert_int_eq(lc_config_load(tmp.path, &cfg, err, sizeof(err)), -EFBIG);
	snprintf(want, sizeof(want), "%s: file larger than 1048576 bytes", tmp.path);
	ck_assert_str_eq(err, want);
	/* ... and exactly LC_CONFIG_FILE_MAX bytes is fine. */
	write_file(tmp.path, big, LC_CONFIG_FILE_MAX, 0600);
	free(big);
	ck_assert(!memcmp(&cfg, &before, sizeof(cfg)));
	ck_assert_int_eq(lc_config_load(tmp.path, &cfg, err, sizeof(err)), 0);
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_example_file)
{
	char path[PATH_MAX], err[512], *slash;
	const struct lc_port_config *port;
	struct lc_config cfg;

	/* The example sits at daemon/ next to this file's tests/unit/. */
	snprintf(path, sizeof(path), "%s", __FILE__);
	slash = strrchr(path, '/');
	if (slash)
		slash[1] = '\0';
	else
		path[0] = '\0';
	strncat(path, "../../daemon/linecard.conf.example", sizeof(path) - strlen(path) - 1);
	ck_assert_msg(lc_config_load(path, &cfg, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.sip.registrar, "pbx.example.com");
	port = lc_config_port(&cfg, 0);
	ck_assert_ptr_nonnull(port);
	ck_assert(port->enabled);
	ck_assert_str_eq(port->password, "change me");
	port = lc_config_port(&cfg, 1);
	ck_assert_ptr_nonnull(port);
	ck_assert(!port->enabled);
	lc_config_free(&cfg);
}
END_TEST

START_TEST(test_perms)
{
	static const struct {
		mode_t mode;
		int ret;
		const char *who;
	} cases[] = {
		{ 0600, 0, NULL },
		{ 0400, 0, NULL },
		{ 0620, 0, NULL },
		{ 0640, 1, "its group (mode 0640)" },
		{ 0604, 1, "other users (mode 0604)" },
		{ 0644, 1, "its group and other users (mode 0644)" },
		{ 0444, 1, "its group and other users (mode 0444)" },
	};
	char warn[512], want[512];
	size_t i;

	write_file(tmp.path, HEAD, strlen(HEAD), 0600);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ck_assert_int_eq(chmod(tmp.path, cases[i].mode), 0);
		ck_assert_int_eq(lc_config_check_perms(tmp.path, warn, sizeof(warn)), cases[i].ret);
		if (!cases[i].who) {
			ck_assert_str_eq(warn, "");
			continue;
		}
		snprintf(want, sizeof(want), "%s: readable by %s but it holds passwords; chmod 600 it",
			 tmp.path, cases[i].who);
		ck_assert_str_eq(warn, want);
		ck_assert_ptr_null(strstr(warn, PW));
	}
	snprintf(want, sizeof(want), "%s/missing.conf", tmp.dir);
	ck_assert_int_eq(lc_config_check_perms(want, warn, sizeof(warn)), -ENOENT);
	strcat(want, ": cannot stat: No such file or directory");
	ck_assert_str_eq(warn, want);
}
END_TEST


/* The whole file, for comparing after lc_config_set_enabled(). */
static const char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

START_TEST(test_set_enabled)
{
	static const char text[] =
		"# kept\n[sip]\nregistrar = example.com\n\n[port 0]\nnumber = 100\n"
		"  Enabled =  no\npassword = a#b\n[port 1]\nnumber = 101\n";
	struct lc_config cfg;
	char err[512];
	struct stat st;

	write_file(tmp.path, text, strlen(text), 0640);
	/* An existing key: only its line changes. */
	ck_assert_int_eq(lc_config_set_enabled(tmp.path, 0, true, err, sizeof(err)), 0);
	ck_assert_str_eq(slurp(tmp.path),
			 "# kept\n[sip]\nregistrar = example.com\n\n[port 0]\nnumber = 100\n"
			 "enabled = yes\npassword = a#b\n[port 1]\nnumber = 101\n");
	/* No key in the section: one is added after the header. */
	ck_assert_int_eq(lc_config_set_enabled(tmp.path, 1, false, err, sizeof(err)), 0);
	ck_assert_str_eq(slurp(tmp.path),
			 "# kept\n[sip]\nregistrar = example.com\n\n[port 0]\nnumber = 100\n"
			 "enabled = yes\npassword = a#b\n[port 1]\nenabled = no\nnumber = 101\n");
	ck_assert_int_eq(lc_config_load(tmp.path, &cfg, err, sizeof(err)), 0);
	ck_assert(cfg.ports[0]->enabled);
	ck_assert(!cfg.ports[1]->enabled);
	ck_assert_str_eq(cfg.ports[0]->password, "a#b");
	lc_config_free(&cfg);
	/* The mode is kept; no temporary file is left behind. */
	ck_assert_int_eq(stat(tmp.path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(rmdir(tmp.dir), -1);
}
END_TEST

START_TEST(test_set_enabled_crlf)
{
	static const char text[] = "[sip]\r\nregistrar = example.com\r\n[ port  2 ]\r\nnumber = 102";
	char err[512];

	/* CRLF kept; a header written loosely is still the section; no final end. */
	write_file(tmp.path, text, strlen(text), 0600);
	ck_assert_int_eq(lc_config_set_enabled(tmp.path, 2, false, err, sizeof(err)), 0);
	ck_assert_str_eq(slurp(tmp.path), "[sip]\r\nregistrar = example.com\r\n[ port  2 ]\r\n"
			 "enabled = no\r\nnumber = 102");
}
END_TEST

START_TEST(test_set_enabled_errors)
{
	static const char text[] = "[sip]\nregistrar = example.com\n[port 0]\nnumber = 100\n";
	static const char bad[] = "[sip]\nregistrar = example.com\nbogus\n[port 0]\n";
	char err[512], want[512];

	write_file(tmp.path, text, strlen(text), 0600);
	/* No such section: an error, the file untouched. */
	ck_assert_int_eq(lc_config_set_enabled(tmp.path, 7, true, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: no [port 7] section", tmp.path);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(slurp(tmp.path), text);
	/* A file that does not parse is never rewritten. */
	write_file(tmp.path, bad, strlen(bad), 0600);
	ck_assert_int_eq(lc_config_set_enabled(tmp.path, 0, true, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:3: ", tmp.path);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "error: %s", err);
	ck_assert_str_eq(slurp(tmp.path), bad);
	/* No file. */
	unlink(tmp.path);
	ck_assert_int_eq(lc_config_set_enabled(tmp.path, 0, true, err, sizeof(err)), -ENOENT);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("keys");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_every_key);
	tcase_add_test(tc, test_enums_and_bools);
	tcase_add_test(tc, test_codecs);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_server_forms);
	tcase_add_test(tc, test_number_forms);
	tcase_add_test(tc, test_many_ports);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_test(tc, test_quotes);
	tcase_add_test(tc, test_comments_and_blanks);
	tcase_add_test(tc, test_case_insensitive);
	tcase_add_test(tc, test_crlf_bom_and_last_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_error, 0, N_ERROR_CASES);
	tcase_add_test(tc, test_password_never_in_errors);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_small_error_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("reload");
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_failed_reload_keeps_config);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_example_file);
	tcase_add_test(tc, test_perms);
	tcase_add_test(tc, test_set_enabled);
	tcase_add_test(tc, test_set_enabled_crlf);
	tcase_add_test(tc, test_set_enabled_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

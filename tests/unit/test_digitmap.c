// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for daemon/digitmap.c.
 *
 * Scripts: realistic maps (North American, German, British, an office's
 * extensions) driven key by key and timer by timer, every verdict and
 * timer checked on the way and the number at the end; the markers, the
 * rewrites, the ambiguity rules and the limits on their own; every syntax
 * error with its message and column, and hostile input.
 *
 * Oracle: for a set of maps and for random ones, every key sequence up to
 * some length is fed to the engine, and each verdict, timer and number is
 * compared with what an independent matcher says.  The matcher translates
 * each alternative's text into POSIX regular expressions (regcomp): one for
 * a complete match, and one matching the prefixes of matches, which
 * answers "can it be extended" by trying every next key.  The most
 * specific way of matching and the number come from a backtracking
 * enumeration of every way of assigning keys to elements.  Only the
 * decision rules of digitmap.h are written twice; no matching code is
 * shared.
 */
#include <check.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitmap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define US_MAP "(911|1[2-9]xx[2-9]xxxxxx|[2-9]xx[2-9]xxxxxx|011x.T|*xx|x.#)"
/* The map of linecard.conf.example. */
#define DE_MAP "(0T|00[1-9]xxxxxxx.T|0[1-9]xxxxxxx.T|[1-9]xx|110|112|*xx)"
#define UK_MAP "(999S0|112S0|10[15]|111|1471|0[1-9]xxxxxxxxx|0[1-9]xxxxxxxxL|00[1-9]x.T)"
/* An office: extensions, an outside line on 9, voicemail, feature codes. */
#define OFFICE_MAP "(<:1>0S0|1xx|2[0-4]x|[3-5]xxx|<9:00>x.#|9x.T|*[2-9]x|**[1-5]xx|8!)"

static struct lc_digitmap *dm;

static void dm_setup(void)
{
	dm = NULL;
}

static void dm_teardown(void)
{
	lc_dm_free(dm);
	dm = NULL;
}

static struct lc_digitmap *compile_ok(const char *map)
{
	struct lc_digitmap *m = NULL;
	char err[256];
	int ret = lc_dm_compile(map, &m, err, sizeof(err));

	ck_assert_msg(ret == 0, "%s: error %d: %s", map, ret, err);
	ck_assert_str_eq(err, "");
	ck_assert_ptr_nonnull(m);
	return m;
}

/* --- scripts ----------------------------------------------------------- */

/*
 * @keys: the keys pressed, and 'T' where the timer that the previous
 * verdict asked for expires.  @verdicts: one letter per key: 'L' and 'S'
 * need more with the long and short timer, 'M' match, 'N' no match, 'B'
 * barred.  @number: what the final MATCH or BARRED gives.
 */
struct script {
	const char *keys;
	const char *verdicts;
	const char *number;
};

static char letter(const struct lc_dm_result *r)
{
	switch (r->verdict) {
	case LC_DM_NEED_MORE:
		return r->timer == LC_DM_TIMER_SHORT ? 'S' :
		       r->timer == LC_DM_TIMER_LONG ? 'L' : '?';
	case LC_DM_MATCH:
		return r->timer == LC_DM_TIMER_NONE ? 'M' : '?';
	case LC_DM_NO_MATCH:
		return r->timer == LC_DM_TIMER_NONE ? 'N' : '?';
	case LC_DM_BARRED:
		return r->timer == LC_DM_TIMER_NONE ? 'B' : '?';
	}
	return '?';
}

static void run_script(const char *map, const struct script *s, char start)
{
	struct lc_dm_result r;
	struct lc_dm_dial dial;
	char got[64] = "";
	size_t i, n = strlen(s->keys);

	ck_assert_uint_eq(strlen(s->verdicts), n);
	lc_dm_start(&dial, dm, &r);
	ck_assert_msg(letter(&r) == start, "%s: start gives %c", map, letter(&r));
	for (i = 0; i < n; i++) {
		int ret = s->keys[i] == 'T' ? lc_dm_timeout(&dial, &r) :
			  lc_dm_digit(&dial, s->keys[i], &r);

		ck_assert_int_eq(ret, 0);
		got[i] = letter(&r);
		got[i + 1] = '\0';
		if (got[i] != s->verdicts[i])
			break;
		if (r.verdict == LC_DM_NEED_MORE) {
			ck_assert_int_eq(r.alt, -1);
			ck_assert_str_eq(r.number, "");
			/* The short timer only ever waits on a complete number. */
			if (r.timer == LC_DM_TIMER_SHORT)
				ck_assert(r.complete);
		} else {
			ck_assert(!r.complete);
		}
	}
	ck_assert_msg(!strcmp(got, s->verdicts), "%s, keys %s: verdicts %s, want %s", map,
		      s->keys, got, s->verdicts);
	if (r.verdict == LC_DM_MATCH || r.verdict == LC_DM_BARRED) {
		ck_assert_msg(!strcmp(r.number, s->number), "%s, keys %s: number %s, want %s",
			      map, s->keys, r.number, s->number);
		ck_assert_int_ge(r.alt, 0);
		ck_assert_int_lt(r.alt, (int)lc_dm_alts(dm));
	} else if (r.verdict == LC_DM_NO_MATCH) {
		ck_assert_str_eq(r.number, "");
		ck_assert_int_eq(r.alt, -1);
	}
	/* A final verdict ends the call. */
	if (r.verdict != LC_DM_NEED_MORE) {
		struct lc_dm_result r2 = r;

		ck_assert_int_eq(lc_dm_digit(&dial, '1', &r2), -EALREADY);
		ck_assert_int_eq(lc_dm_timeout(&dial, &r2), -EALREADY);
		ck_assert(!memcmp(&r, &r2, sizeof(r)));
	}
}

static void run_scripts(const char *map, const struct script *s, size_t n)
{
	size_t i;

	dm = compile_ok(map);
	for (i = 0; i < n; i++)
		run_script(map, &s[i], 'L');
}

#define RUN(map, scripts) run_scripts((map), (scripts), ARRAY_SIZE(scripts))

START_TEST(test_us)
{
	static const struct script s[] = {
		/* x.# can make any all-digit number longer: 911 waits the short timer. */
		{ "911T", "LLSM", "911" },
		{ "9115#", "LLSLM", "9115" },
		{ "12125551234T", "LLLLLLLLLLSM", "12125551234" },
		{ "12125551234#", "LLLLLLLLLLSM", "12125551234" },
		{ "2125551234T", "LLLLLLLLLSM", "2125551234" },
		/* After 10 digits, 1[2-9]... and x.# can still go on. */
		{ "212555123T", "LLLLLLLLLN", "" },
		{ "1T", "LN", "" },
		{ "T", "N", "" },
		{ "011T", "LLSM", "011" },
		{ "01144207946000T", "LLSSSSSSSSSSSSM", "01144207946000" },
		{ "01144#", "LLSSSM", "01144" },
		{ "012T", "LLLN", "" },
		{ "*72", "LLM", "*72" },
		{ "*7#", "LLN", "" },
		{ "**", "LN", "" },
		{ "*T", "LN", "" },
		{ "#", "N", "" },
		{ "123#", "LLLM", "123" },
		{ "0#", "LM", "0" },
		{ "5*", "LN", "" },
		{ "12#", "LLM", "12" },
	};

	RUN(US_MAP, s);
}
END_TEST

START_TEST(test_de)
{
	static const struct script s[] = {
		/* 0T completes "0"; a national number may follow. */
		{ "0T", "SM", "0" },
		{ "00T", "SLN", "" },
		{ "0049301234T", "SLLLLLLLSSM", "0049301234" },
		{ "00493012345678T", "SLLLLLLLSSSSSSM", "00493012345678" },
		{ "0301234T", "SLLLLLLN", "" },
		{ "03012345T", "SLLLLLLSM", "03012345" },
		{ "03012345678T", "SLLLLLLSSSSM", "03012345678" },
		{ "000", "SLN", "" },
		{ "110", "LLM", "110" },
		{ "112", "LLM", "112" },
		{ "123", "LLM", "123" },
		{ "1T", "LN", "" },
		{ "*31", "LLM", "*31" },
		{ "#", "N", "" },
		{ "1*", "LN", "" },
	};

	RUN(DE_MAP, s);
}
END_TEST

START_TEST(test_uk)
{
	static const struct script s[] = {
		{ "999", "LLM", "999" },
		{ "112", "LLM", "112" },
		{ "101", "LLM", "101" },
		{ "105", "LLM", "105" },
		{ "102", "LLN", "" },
		{ "111", "LLM", "111" },
		{ "1471", "LLLM", "1471" },
		{ "147T", "LLLN", "" },
		/* Ten digits could be complete, but wait long for an eleventh. */
		{ "0123456789T", "LLLLLLLLLLM", "0123456789" },
		{ "01234567890", "LLLLLLLLLLM", "01234567890" },
		{ "07911123456", "LLLLLLLLLLM", "07911123456" },
		{ "00T", "LLN", "" },
		{ "0033T", "LLSSM", "0033" },
		{ "0033123456789T", "LLSSSSSSSSSSSM", "0033123456789" },
		{ "2", "N", "" },
	};

	RUN(UK_MAP, s);
}
END_TEST

START_TEST(test_office)
{
	static const struct script s[] = {
		{ "0", "M", "10" },
		{ "101", "LLM", "101" },
		{ "1T", "LN", "" },
		{ "204", "LLM", "204" },
		{ "25", "LN", "" },
		{ "3000", "LLLM", "3000" },
		{ "6", "N", "" },
		/* The outside line: '#' dials at once, the timer after a pause. */
		{ "9T", "SM", "9" },
		{ "90301234#", "SSSSSSSSM", "000301234" },
		{ "90301234T", "SSSSSSSSM", "90301234" },
		{ "9#", "SM", "00" },
		{ "*23", "LLM", "*23" },
		{ "*1", "LN", "" },
		{ "**123", "LLLLM", "**123" },
		{ "**6", "LLN", "" },
		{ "8", "B", "8" },
	};

	RUN(OFFICE_MAP, s);
}
END_TEST

START_TEST(test_markers)
{
	/* T: complete only when the timer expires, even if nothing can follow. */
	static const struct script t[] = {
		{ "123T", "LLSM", "123" },
		{ "12T", "LLN", "" },
		{ "1234", "LLSN", "" },
	};
	/* S0: at once, although x. could go on; without it, the short timer. */
	static const struct script s0[] = {
		{ "911", "SSM", "911" },
		{ "912T", "SSSM", "912" },
		{ "99T", "SSM", "99" },
	};
	/* L: the long timer while that alternative is the best complete one. */
	static const struct script l[] = {
		{ "12T", "LLM", "12" },
		{ "123T", "LLSM", "123" },
		{ "1234", "LLSM", "1234" },
	};
	static const struct script l2[] = {
		{ "0T", "LM", "0" },
		{ "001T", "LLSM", "001" },
		{ "0012T", "LLSLM", "0012" },
	};
	/* !: barred numbers; the more specific barred alternative wins. */
	static const struct script barred[] = {
		{ "19005551234", "LLLLLLLLLLB", "19005551234" },
		{ "19015551234", "LLLLLLLLLLM", "19015551234" },
		{ "1900T", "LLLLN", "" },
		{ "*67T", "LSSB", "*67" },
		{ "*6T", "LSB", "*6" },
	};
	/* Markers in any order, lower case, blanks around. */
	static const struct script mixed[] = {
		{ "12T", "LSM", "12" },
		{ "34T", "LLB", "34" },
		{ "56", "LM", "56" },
	};

	RUN("(xxxT)", t);
	lc_dm_free(dm);
	RUN("(911S0|9x.)", s0);
	lc_dm_free(dm);
	RUN("(xxL|xxxxL|xxx|6x.)", l);
	lc_dm_free(dm);
	RUN("(0x.L|00x)", l2);
	lc_dm_free(dm);
	RUN("(1900xxxxxxx!|1[2-9]xxxxxxxxx|*67.!)", barred);
	lc_dm_free(dm);
	RUN(" ( 1 2 t | 3 4 ! l t | 5 6 s0 ) ", mixed);
}
END_TEST

START_TEST(test_terminator)
{
	static const struct script s[] = {
		{ "12#", "LLM", "12" },
		/* '#' in the middle is a key like any other. */
		{ "#12", "LLM", "#12" },
		{ "#1#", "LLM", "#1" },
		/* "x.<#:#>": the rewrite keeps the '#'. */
		{ "55#", "LLM", "55#" },
		/* "[#*]" is not a terminator: only a literal '#' at the end is. */
		{ "7#", "LM", "7#" },
		{ "7*", "LM", "7*" },
		/* "#.": repeated, not a terminator. */
		{ "6##T", "SSSM", "6##" },
		/* Only '#': no number. */
		{ "#", "L", "" },
	};

	RUN("(x.#|#xx|#x#|5x.<#:#>|7[#*]|6#.)", s);
}
END_TEST

START_TEST(test_rewrite)
{
	static const struct script s[] = {
		/* <9:> strips the 9 of an outside line. */
		{ "95551234", "SLLLLLLM", "5551234" },
		{ "912125551234", "SLLLLLLLLLLM", "+12125551234" },
		/* <00:+> rewrites the international prefix. */
		{ "0044207946000#", "LLLLLLLLLLLLLM", "+44207946000" },
		/* Prefixes added in the middle and at the end. */
		{ "71234", "LLLLM", "7001234" },
		{ "6123", "LLLM", "6123999" },
		/* Several rewrites. */
		{ "*55#", "LLLM", "+555" },
		/* The hotline on 9 after the timer. */
		{ "9T", "SM", "100" },
	};

	/*
	 * Every number "[1-4].<55:>" gives comes from the [1-4] keys: after
	 * a 5 it can only be "55", which gives none, so it is no match at once.
	 */
	static const struct script empty[] = {
		{ "5", "N", "" },
		{ "1T", "LN", "" },
		{ "155", "LLM", "1" },
		{ "1255", "LLLM", "12" },
	};

	RUN("([1-4].<55:>)", empty);
	lc_dm_free(dm);
	RUN("(<9:100>T|<9:>[2-9]xxxxxx|<91:+1>[2-9]xx[2-9]xxxxxx|<00:+>[1-9]x.#|7<:00>xxxx|"
	    "6xxx<:999>|<*:+>5<5:55>#)", s);
}
END_TEST

START_TEST(test_hotline)
{
	static const struct script hot[] = {
		{ "", "", "100" },
	};
	static const struct script warm[] = {
		{ "T", "M", "100" },
		{ "1T", "LN", "" },
		{ "123", "LLM", "123" },
	};
	struct lc_dm_result r;
	struct lc_dm_dial dial;

	/* A hotline: the number at once, before any key. */
	dm = compile_ok("(<:100>)");
	lc_dm_start(&dial, dm, &r);
	ck_assert_int_eq(r.verdict, LC_DM_MATCH);
	ck_assert_int_eq(r.timer, LC_DM_TIMER_NONE);
	ck_assert_int_eq(r.alt, 0);
	ck_assert_str_eq(r.number, "100");
	ck_assert_int_eq(lc_dm_digit(&dial, '1', &r), -EALREADY);
	run_script("(<:100>)", &hot[0], 'M');
	lc_dm_free(dm);

	/* A warm line: keys can still be dialled before the timer expires. */
	dm = compile_ok("(xxx|<:100>)");
	run_script("(xxx|<:100>)", &warm[0], 'S');
	run_script("(xxx|<:100>)", &warm[1], 'S');
	run_script("(xxx|<:100>)", &warm[2], 'S');
	lc_dm_free(dm);
	dm = compile_ok("(xxx|<:100>L)");
	run_script("(xxx|<:100>L)", &warm[0], 'L');
	lc_dm_free(dm);

	/* What tells a warm line's timer from a first key's. */
	dm = compile_ok("(xxx|<:100>L)");
	lc_dm_start(&dial, dm, &r);
	ck_assert_int_eq(letter(&r), 'L');
	ck_assert(r.complete);
	ck_assert_int_eq(lc_dm_digit(&dial, '1', &r), 0);
	ck_assert(!r.complete);
	lc_dm_free(dm);

	/* Without a hotline, nothing matches before a key. */
	dm = compile_ok("(x.)");
	lc_dm_start(&dial, dm, &r);
	ck_assert_int_eq(letter(&r), 'L');
	ck_assert(!r.complete);
	ck_assert_int_eq(lc_dm_timeout(&dial, &r), 0);
	ck_assert_int_eq(r.verdict, LC_DM_NO_MATCH);
}
END_TEST

/*
 * The most specific alternative wins, key by key from the first; equal:
 * the first written.  Within an alternative, the most specific way, then
 * the one whose earlier elements take more keys.
 */
START_TEST(test_ambiguity)
{
	static const struct {
		const char *map, *keys;
		int alt;
		const char *number;
	} cases[] = {
		{ "([1-9]xx|110)", "110", 1, "110" },
		{ "(110|[1-9]xx)", "110", 0, "110" },
		{ "(<:1>xxx|<:2>xxx)", "123", 0, "1123" },
		{ "(<:2>xxx|<:1>xxx)", "123", 0, "2123" },
		/* The first key decides before later ones. */
		{ "(1xx|x23)", "123", 0, "123" },
		{ "(x23|1xx)", "123", 1, "123" },
		{ "([1-2]xx|[0-5]23)", "123", 0, "123" },
		{ "(x.|<:9>xxx)", "123", 0, "123" },
		{ "(<:9>xxx|x.)", "123", 0, "9123" },
		/* Sets: the smaller wins; x is 10 keys, [*#0-9] 12. */
		{ "(<:1>[0-9*#]|<:2>x)", "5", 1, "25" },
		{ "(<:1>[0-5]|<:2>[5-6])", "5", 1, "25" },
		/* Within one alternative: the literal 5 takes the earliest 5 it can. */
		{ "(x.<5:>x.)", "1555", 0, "155" },
		{ "(x.<5:>x.)", "5155", 0, "155" },
		/* Equally specific ways: the earlier element takes more keys. */
		{ "(x.<x:>x.)", "123", 0, "12" },
		{ "(x.<x:>x.<x:>)", "1234", 0, "12" },
		/* The barred alternative is less specific here. */
		{ "(1x.!|12x.)", "123", 1, "123" },
		{ "(12x.!|1x.)", "123", 0, "123" },
	};
	struct lc_dm_result r;
	struct lc_dm_dial dial;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dm = compile_ok(cases[i].map);
		lc_dm_start(&dial, dm, &r);
		for (k = 0; cases[i].keys[k]; k++)
			ck_assert_int_eq(lc_dm_digit(&dial, cases[i].keys[k], &r), 0);
		if (r.verdict == LC_DM_NEED_MORE)
			ck_assert_int_eq(lc_dm_timeout(&dial, &r), 0);
		ck_assert_msg(r.verdict == LC_DM_MATCH || r.verdict == LC_DM_BARRED,
			      "%s %s: %s", cases[i].map, cases[i].keys,
			      lc_dm_verdict_name(r.verdict));
		ck_assert_msg(r.alt == cases[i].alt && !strcmp(r.number, cases[i].number),
			      "%s %s: alternative %d number %s, want %d %s", cases[i].map,
			      cases[i].keys, r.alt, r.number, cases[i].alt, cases[i].number);
		lc_dm_free(dm);
		dm = NULL;
	}
}
END_TEST

/* --- limits and the API ------------------------------------------------ */

START_TEST(test_max_keys)
{
	struct lc_dm_result r;
	struct lc_dm_dial dial;
	char want[LC_DM_DIGITS_MAX + 1];
	unsigned int i;

	/* x. stops at LC_DM_DIGITS_MAX keys: complete, nothing can follow. */
	dm = compile_ok("x.");
	lc_dm_start(&dial, dm, &r);
	for (i = 0; i < LC_DM_DIGITS_MAX; i++) {
		ck_assert_int_eq(lc_dm_digit(&dial, (char)('0' + i % 10), &r), 0);
		want[i] = (char)('0' + i % 10);
		if (i + 1 < LC_DM_DIGITS_MAX)
			ck_assert_int_eq(letter(&r), 'S');
	}
	want[i] = '\0';
	ck_assert_int_eq(r.verdict, LC_DM_MATCH);
	ck_assert_str_eq(r.number, want);
	lc_dm_free(dm);

	/* Not complete at the limit: no match. */
	dm = compile_ok("x.#");
	lc_dm_start(&dial, dm, &r);
	for (i = 0; i < LC_DM_DIGITS_MAX - 1; i++) {
		ck_assert_int_eq(lc_dm_digit(&dial, '5', &r), 0);
		ck_assert_int_eq(letter(&r), 'L');
	}
	ck_assert_int_eq(lc_dm_digit(&dial, '5', &r), 0);
	ck_assert_int_eq(r.verdict, LC_DM_NO_MATCH);
	lc_dm_free(dm);

	/* ... but '#' as the 32nd key is fine. */
	dm = compile_ok("x.#");
	lc_dm_start(&dial, dm, &r);
	for (i = 0; i < LC_DM_DIGITS_MAX - 1; i++)
		ck_assert_int_eq(lc_dm_digit(&dial, '5', &r), 0);
	ck_assert_int_eq(lc_dm_digit(&dial, '#', &r), 0);
	ck_assert_int_eq(r.verdict, LC_DM_MATCH);
	ck_assert_uint_eq(strlen(r.number), LC_DM_DIGITS_MAX - 1);
	lc_dm_free(dm);

	/* T waits at the limit; one key more is refused, the timer dials. */
	dm = compile_ok("x.T");
	lc_dm_start(&dial, dm, &r);
	for (i = 0; i < LC_DM_DIGITS_MAX; i++)
		ck_assert_int_eq(lc_dm_digit(&dial, '7', &r), 0);
	ck_assert_int_eq(letter(&r), 'S');
	{
		struct lc_dm_dial copy = dial;

		ck_assert_int_eq(lc_dm_digit(&copy, '7', &r), 0);
		ck_assert_int_eq(r.verdict, LC_DM_NO_MATCH);
		ck_assert_int_eq(lc_dm_digit(&copy, '7', &r), -EALREADY);
	}
	ck_assert_int_eq(lc_dm_timeout(&dial, &r), 0);
	ck_assert_int_eq(r.verdict, LC_DM_MATCH);
	ck_assert_uint_eq(strlen(r.number), LC_DM_DIGITS_MAX);
	lc_dm_free(dm);

	/* The longest number: 32 keys and 32 characters of replacement. */
	dm = compile_ok("<:+123456789012345678901234567890>x.<:1>");
	lc_dm_start(&dial, dm, &r);
	for (i = 0; i < LC_DM_DIGITS_MAX; i++)
		ck_assert_int_eq(lc_dm_digit(&dial, '9', &r), 0);
	ck_assert_int_eq(r.verdict, LC_DM_MATCH);
	ck_assert_uint_eq(strlen(r.number), LC_DM_NUMBER_MAX);
}
END_TEST

START_TEST(test_bad_keys)
{
	static const char bad[] = "ABCDabcdxX+ .\n";
	struct lc_dm_result r, before;
	struct lc_dm_dial dial, copy;
	size_t i;

	dm = compile_ok(US_MAP);
	lc_dm_start(&dial, dm, &r);
	ck_assert_int_eq(lc_dm_digit(&dial, '1', &r), 0);
	memcpy(&copy, &dial, sizeof(dial));
	memcpy(&before, &r, sizeof(r));
	for (i = 0; i < sizeof(bad); i++)
		ck_assert_int_eq(lc_dm_digit(&dial, bad[i], &r), -EINVAL);
	ck_assert_int_eq(lc_dm_digit(&dial, (char)0xb9, &r), -EINVAL);
	ck_assert(!memcmp(&dial, &copy, sizeof(dial)));
	ck_assert(!memcmp(&r, &before, sizeof(r)));
	/* After a final verdict a bad key is still -EINVAL. */
	ck_assert_int_eq(lc_dm_digit(&dial, '#', &r), 0);
	ck_assert_int_eq(r.verdict, LC_DM_MATCH);
	ck_assert_int_eq(lc_dm_digit(&dial, 'A', &r), -EINVAL);
	ck_assert_int_eq(lc_dm_digit(&dial, '1', &r), -EALREADY);
}
END_TEST

START_TEST(test_dial_is_plain_data)
{
	struct lc_dm_result r1, r2;
	struct lc_dm_dial a, b;
	struct lc_digitmap *other;

	/* Copies go their own ways; one map serves many calls. */
	dm = compile_ok(US_MAP);
	lc_dm_start(&a, dm, &r1);
	ck_assert_int_eq(lc_dm_digit(&a, '*', &r1), 0);
	b = a;
	ck_assert_int_eq(lc_dm_digit(&a, '7', &r1), 0);
	ck_assert_int_eq(lc_dm_digit(&b, '#', &r2), 0);
	ck_assert_int_eq(r1.verdict, LC_DM_NEED_MORE);
	ck_assert_int_eq(r2.verdict, LC_DM_NO_MATCH);
	ck_assert_int_eq(lc_dm_digit(&a, '2', &r1), 0);
	ck_assert_int_eq(r1.verdict, LC_DM_MATCH);
	ck_assert_str_eq(r1.number, "*72");

	/* Restarting on another map forgets the keys. */
	other = compile_ok("(1)");
	lc_dm_start(&a, other, &r1);
	ck_assert_int_eq(lc_dm_digit(&a, '1', &r1), 0);
	ck_assert_int_eq(r1.verdict, LC_DM_MATCH);
	ck_assert_str_eq(r1.number, "1");
	lc_dm_free(other);
	lc_dm_free(NULL);
	ck_assert_str_eq(lc_dm_verdict_name(LC_DM_NEED_MORE), "need-more");
	ck_assert_str_eq(lc_dm_verdict_name(LC_DM_MATCH), "match");
	ck_assert_str_eq(lc_dm_verdict_name(LC_DM_NO_MATCH), "no-match");
	ck_assert_str_eq(lc_dm_verdict_name(LC_DM_BARRED), "barred");
	ck_assert_str_eq(lc_dm_verdict_name((enum lc_dm_verdict)42), "?");
}
END_TEST

/* --- syntax --------------------------------------------------------------- */

START_TEST(test_valid_maps)
{
	static const struct {
		const char *map;
		unsigned int alts;
	} cases[] = {
		{ US_MAP, 6 },
		{ DE_MAP, 7 },
		{ UK_MAP, 8 },
		{ OFFICE_MAP, 9 },
		{ "x", 1 },
		{ "(x)", 1 },
		{ "1|2|3", 3 },
		{ "  ( 1 | [ 2 - 4 * ] ) ", 2 },
		{ "\t(\t1\t)\t", 1 },
		{ "X.#", 1 },
		{ "[0-9*#]", 1 },
		{ "[135-7*#]", 1 },
		{ "[5-5]", 1 },
		{ "[##**]", 1 },
		{ "x.x.x.", 1 },
		{ "*#06#", 1 },
		{ "<:+>x", 1 },
		{ "<:>x", 1 },
		{ "<x:>x", 1 },
		{ "<:1>", 1 },
		{ "xxxt", 1 },
		{ "xl", 1 },
		{ "xs0", 1 },
		{ "x!T L", 1 },
		/* The map of tests/unit/test_config.c. */
		{ "(0T|00[1-9]xxxxxxx.T|[1-9]xx|*xx#)", 4 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dm = compile_ok(cases[i].map);
		ck_assert_uint_eq(lc_dm_alts(dm), cases[i].alts);
		lc_dm_free(dm);
		dm = NULL;
	}
}
END_TEST

static const struct error_case {
	const char *map;
	int ret;
	const char *msg;
} error_cases[] = {
	{ "", -EINVAL, "column 1: empty digit map" },
	{ "  \t", -EINVAL, "column 4: empty digit map" },
	{ "()", -EINVAL, "column 2: empty alternative" },
	{ "( )", -EINVAL, "column 3: empty alternative" },
	{ "(1|)", -EINVAL, "column 4: empty alternative" },
	{ "(|1)", -EINVAL, "column 2: empty alternative" },
	{ "1||2", -EINVAL, "column 3: empty alternative" },
	{ "1|", -EINVAL, "column 3: empty alternative" },
	{ "|", -EINVAL, "column 1: empty alternative" },
	{ "(911", -EINVAL, "column 1: '(' without ')'" },
	{ "911)", -EINVAL, "column 4: ')' without '('" },
	{ "(911))", -EINVAL, "column 6: unexpected ')' after ')'" },
	{ "(911)x", -EINVAL, "column 6: unexpected 'x' after ')'" },
	{ "((911))", -EINVAL, "column 2: '(' inside the map: parentheses only enclose all of it" },
	{ "9(1)", -EINVAL, "column 2: '(' inside the map: parentheses only enclose all of it" },
	{ ".", -EINVAL, "column 1: '.' must follow a key, 'x' or a set" },
	{ "(x|.1)", -EINVAL, "column 4: '.' must follow a key, 'x' or a set" },
	{ "x..", -EINVAL, "column 3: '.' must follow a key, 'x' or a set" },
	{ "<9:>.", -EINVAL, "column 5: '.' must follow a key, 'x' or a set" },
	{ "<9.:>", -EINVAL,
	  "column 3: '.' inside '<...>': a rewrite matches a fixed number of keys" },
	{ "x.T.", -EINVAL,
	  "column 4: '.' after a marker: markers (T, L, S0, !) end an alternative" },
	{ "[2-9", -EINVAL, "column 1: '[' without ']'" },
	{ "([2-9)", -EINVAL, "column 2: '[' without ']'" },
	{ "[2-9|1]", -EINVAL, "column 1: '[' without ']'" },
	{ "2-9]", -EINVAL, "column 2: unexpected '-'" },
	{ "29]", -EINVAL, "column 3: ']' without '['" },
	{ "[]", -EINVAL, "column 1: empty set '[]'" },
	{ "[ ]", -EINVAL, "column 1: empty set '[]'" },
	{ "[[1]]", -EINVAL, "column 2: '[' inside a set" },
	{ "[9-2]", -EINVAL, "column 2: reversed range '9-2'" },
	{ "[1-]", -EINVAL, "column 3: a range needs a digit on both sides of '-'" },
	{ "[-1]", -EINVAL, "column 2: a range needs a digit on both sides of '-'" },
	{ "[*-#]", -EINVAL, "column 3: a range needs a digit on both sides of '-'" },
	{ "[1-*]", -EINVAL, "column 3: a range needs a digit on both sides of '-'" },
	{ "[1-2-3]", -EINVAL, "column 5: a range needs a digit on both sides of '-'" },
	{ "[x]", -EINVAL,
	  "column 2: unexpected 'x' in a set: sets hold 0-9, '*', '#' and ranges" },
	{ "[1.]", -EINVAL,
	  "column 3: unexpected '.' in a set: sets hold 0-9, '*', '#' and ranges" },
	{ "A", -EINVAL, "column 1: unexpected 'A'" },
	{ "12a", -EINVAL, "column 3: unexpected 'a'" },
	{ "1,2", -EINVAL, "column 2: unexpected ','" },
	{ "1\n", -EINVAL, "column 2: unexpected byte 0x0a" },
	{ "1\xc3\xa9", -EINVAL, "column 2: unexpected byte 0xc3" },
	{ "\x7f", -EINVAL, "column 1: unexpected byte 0x7f" },
	{ "x+", -EINVAL, "column 2: unexpected '+'" },
	{ "x:", -EINVAL, "column 2: ':' outside '<...>'" },
	{ "x>", -EINVAL, "column 2: '>' without '<'" },
	{ "<9>x", -EINVAL, "column 3: '<...>' without ':'" },
	{ "<9:x", -EINVAL,
	  "column 4: unexpected 'x' in a replacement: it holds 0-9, '*', '#', '+'" },
	{ "<9:1", -EINVAL, "column 1: '<' without '>'" },
	{ "(<9:|x)", -EINVAL, "column 2: '<' without '>'" },
	{ "<9", -EINVAL, "column 1: '<' without '>'" },
	{ "x<9", -EINVAL, "column 2: '<' without '>'" },
	{ "<9:1:>", -EINVAL,
	  "column 5: unexpected ':' in a replacement: it holds 0-9, '*', '#', '+'" },
	{ "<<9:>:>", -EINVAL, "column 2: '<' inside '<...>'" },
	{ "<9:a>", -EINVAL,
	  "column 4: unexpected 'a' in a replacement: it holds 0-9, '*', '#', '+'" },
	{ "<9T:>", -EINVAL, "column 3: marker 'T' inside '<...>'" },
	{ "<9:>", -EINVAL, "column 1: this alternative always gives an empty number" },
	{ "<:>", -EINVAL, "column 1: this alternative always gives an empty number" },
	{ "#", -EINVAL, "column 1: this alternative always gives an empty number" },
	{ "(1|<x:>#)", -EINVAL, "column 4: this alternative always gives an empty number" },
	{ "T", -EINVAL, "column 1: an alternative needs keys, not only markers" },
	{ "(1| !)", -EINVAL, "column 5: an alternative needs keys, not only markers" },
	{ "xT1", -EINVAL,
	  "column 3: '1' after a marker: markers (T, L, S0, !) end an alternative" },
	{ "x!x", -EINVAL,
	  "column 3: 'x' after a marker: markers (T, L, S0, !) end an alternative" },
	{ "xS0[1]", -EINVAL,
	  "column 4: '[' after a marker: markers (T, L, S0, !) end an alternative" },
	{ "xTt", -EINVAL, "column 3: marker T given twice" },
	{ "x!!", -EINVAL, "column 3: marker ! given twice" },
	{ "xS0s0", -EINVAL, "column 4: marker S0 given twice" },
	{ "xLl", -EINVAL, "column 3: marker L given twice" },
	{ "xS", -EINVAL,
	  "column 2: 'S' must be followed by 0: only S0 (dial at once) is supported" },
	{ "xS5", -EINVAL,
	  "column 2: 'S' must be followed by 0: only S0 (dial at once) is supported" },
	{ "xS 0", -EINVAL,
	  "column 2: 'S' must be followed by 0: only S0 (dial at once) is supported" },
	{ "xL5", -EINVAL,
	  "column 3: '5' after a marker: markers (T, L, S0, !) end an alternative" },
	{ "(1|xS0T)", -EINVAL, "column 4: S0 (dial at once) contradicts T (wait for the timer)" },
	{ "xLS0", -EINVAL, "column 1: S0 (dial at once) contradicts L (long timer)" },
	{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", -E2BIG,
	  "column 33: more than 32 elements in one alternative" },
	{ "(1|x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.)", -E2BIG,
	  "column 68: more than 32 elements in one alternative" },
	{ "<:1><:2><:3><:4><:5><:6><:7><:8><:9>x", -E2BIG,
	  "column 33: more than 8 rewrites in one alternative" },
	{ "<:123456789012345678901234567890123>x", -E2BIG,
	  "column 35: more than 32 characters of replacement in one alternative" },
	{ "<:1234567890123456>x<:1234567890123456><:7>", -E2BIG,
	  "column 42: more than 32 characters of replacement in one alternative" },
};

#define N_ERROR_CASES ARRAY_SIZE(error_cases)

START_TEST(test_error)
{
	const struct error_case *c = &error_cases[_i];
	struct lc_digitmap *sentinel = (struct lc_digitmap *)&dm, *out = sentinel;
	char err[256];

	memset(err, 'X', sizeof(err));
	ck_assert_msg(lc_dm_compile(c->map, &out, err, sizeof(err)) == c->ret,
		      "map \"%s\": want %d, got message \"%s\"", c->map, c->ret, err);
	ck_assert_msg(!strcmp(err, c->msg), "map \"%s\": \"%s\", want \"%s\"", c->map, err,
		      c->msg);
	ck_assert_ptr_eq(out, sentinel);
	/* Without an error buffer: the same verdict. */
	ck_assert_int_eq(lc_dm_compile(c->map, &out, NULL, 0), c->ret);
	ck_assert_int_eq(lc_dm_compile(c->map, &out, err, 0), c->ret);
	ck_assert_ptr_eq(out, sentinel);
}
END_TEST

START_TEST(test_too_many_alternatives)
{
	char map[LC_DM_MAP_MAX + 1], err[256];
	struct lc_digitmap *out = NULL;
	size_t n = 0;
	int i;

	for (i = 0; i < LC_DM_ALTS_MAX; i++)
		n += (size_t)sprintf(map + n, "%s%d", i ? "|" : "", i % 10);
	dm = compile_ok(map);
	ck_assert_uint_eq(lc_dm_alts(dm), LC_DM_ALTS_MAX);
	strcat(map, "|1");
	ck_assert_int_eq(lc_dm_compile(map, &out, err, sizeof(err)), -E2BIG);
	snprintf(map, sizeof(map), "column %d: more than %d alternatives", 2 * LC_DM_ALTS_MAX + 1,
		 LC_DM_ALTS_MAX);
	ck_assert_str_eq(err, map);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_long_maps)
{
	struct lc_digitmap *out = NULL;
	char err[256], *map;
	size_t big = 1024 * 1024;

	/* Exactly LC_DM_MAP_MAX bytes, mostly blanks: fine. */
	map = malloc(big + 1);
	ck_assert_ptr_nonnull(map);
	memset(map, ' ', LC_DM_MAP_MAX);
	memcpy(map + LC_DM_MAP_MAX / 2, "(x.#)", 5);
	map[LC_DM_MAP_MAX] = '\0';
	dm = compile_ok(map);

	/* One byte more, or a megabyte: refused without reading it all. */
	memset(map, 'x', big);
	map[LC_DM_MAP_MAX + 1] = '\0';
	ck_assert_int_eq(lc_dm_compile(map, &out, err, sizeof(err)), -E2BIG);
	ck_assert_str_eq(err, "column 1025: map longer than 1024 bytes");
	map[LC_DM_MAP_MAX + 1] = 'x';
	map[big] = '\0';
	ck_assert_int_eq(lc_dm_compile(map, &out, err, sizeof(err)), -E2BIG);
	ck_assert_ptr_null(out);
	free(map);
}
END_TEST

START_TEST(test_small_error_buffer)
{
	struct lc_digitmap *out = NULL;
	char err[12];

	memset(err, 'X', sizeof(err));
	ck_assert_int_eq(lc_dm_compile("[", &out, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "column 1: '");
	ck_assert_int_eq(lc_dm_compile("[", &out, err, 5), -EINVAL);
	ck_assert_str_eq(err, "colu");
	ck_assert_int_eq(lc_dm_compile("[", &out, err, 1), -EINVAL);
	ck_assert_str_eq(err, "");
	/* Success clears it. */
	strcpy(err, "stale");
	dm = compile_ok("1");
	ck_assert_int_eq(lc_dm_compile("1", &out, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	lc_dm_free(out);
}
END_TEST

/* Every byte at every place of a few maps: an answer, never a crash. */
START_TEST(test_every_byte)
{
	static const char *const maps[] = {
		"(1[2-9]x.<9:+1>T|*xx!)",
		"<00:+>x.#",
	};
	struct lc_dm_result r;
	struct lc_dm_dial dial;
	size_t m, pos;
	int c;

	for (m = 0; m < ARRAY_SIZE(maps); m++) {
		size_t len = strlen(maps[m]);

		for (pos = 0; pos < len; pos++) {
			for (c = 1; c < 256; c++) {
				struct lc_digitmap *out = NULL;
				char map[64], err[256];
				int ret;

				/* Replace, then insert. */
				strcpy(map, maps[m]);
				map[pos] = (char)c;
				ret = lc_dm_compile(map, &out, err, sizeof(err));
				ck_assert(ret == 0 || ret == -EINVAL || ret == -E2BIG);
				if (!ret) {
					lc_dm_start(&dial, out, &r);
					ret = lc_dm_digit(&dial, '1', &r);
					ck_assert(ret == 0 || ret == -EALREADY);
					ret = lc_dm_timeout(&dial, &r);
					ck_assert(ret == 0 || ret == -EALREADY);
					lc_dm_free(out);
				} else {
					ck_assert(!strncmp(err, "column ", 7));
				}
				memcpy(map, maps[m], pos);
				map[pos] = (char)c;
				strcpy(map + pos + 1, maps[m] + pos);
				out = NULL;
				ret = lc_dm_compile(map, &out, err, sizeof(err));
				ck_assert(ret == 0 || ret == -EINVAL || ret == -E2BIG);
				lc_dm_free(out);
			}
		}
	}
}
END_TEST

/* --- the oracle --------------------------------------------------------- */

#define KEYS "0123456789*#"
#define O_TOKS 40

/* One alternative, from its text: regular expressions and elements. */
struct o_alt {
	unsigned int n;
	char atom[O_TOKS][48];		/* the element as a regex atom */
	bool star[O_TOKS], strip[O_TOKS];
	unsigned int size[O_TOKS];	/* keys it accepts */
	bool accepts[O_TOKS][12];
	unsigned int n_rw;
	unsigned int rw_pos[10];
	char rw_text[10][40];
	bool timer, lng, now, barred, term;
	regex_t full, prefix;
};

struct oracle {
	const char *map;
	unsigned int n;
	struct o_alt alt[LC_DM_ALTS_MAX];
};

static void o_regcomp(regex_t *re, const char *text)
{
	int ret = regcomp(re, text, REG_EXTENDED | REG_NOSUB);

	ck_assert_msg(ret == 0, "regcomp(%s): %d", text, ret);
}

/* Translate one alternative's text (which lc_dm_compile has accepted). */
static const char *o_parse_alt(const char *p, struct o_alt *a)
{
	char full[2048] = "^(", prefix[2048] = "", tail[2048];
	bool in_rw = false;
	unsigned int i, k;

	memset(a, 0, sizeof(*a));
	for (; *p && *p != '|' && *p != ')'; p++) {
		char *atom = a->atom[a->n];

		switch (*p) {
		case ' ':
		case '\t':
			continue;
		case '.':
			a->star[a->n - 1] = true;
			continue;
		case '<':
			in_rw = true;
			a->rw_pos[a->n_rw] = a->n;
			continue;
		case ':':
			for (p++; *p != '>'; p++)
				if (*p != ' ' && *p != '\t')
					strncat(a->rw_text[a->n_rw], p, 1);
			a->n_rw++;
			in_rw = false;
			continue;
		case 'T':
		case 't':
			a->timer = true;
			continue;
		case 'L':
		case 'l':
			a->lng = true;
			continue;
		case 'S':
		case 's':
			a->now = true;
			p++;
			continue;
		case '!':
			a->barred = true;
			continue;
		case 'x':
		case 'X':
			strcpy(atom, "[0-9]");
			break;
		case '*':
			strcpy(atom, "\\*");
			break;
		case '[':
			strcpy(atom, "[");
			for (p++; *p != ']'; p++)
				if (*p != ' ' && *p != '\t')
					strncat(atom, p, 1);
			strcat(atom, "]");
			break;
		default:
			atom[0] = *p;
			atom[1] = '\0';
			break;
		}
		a->strip[a->n] = in_rw;
		a->n++;
	}
	a->term = a->n && !strcmp(a->atom[a->n - 1], "#") && !a->star[a->n - 1] &&
		  !a->strip[a->n - 1];

	/* What each element accepts, asked of the regex engine too. */
	for (i = 0; i < a->n; i++) {
		regex_t re;
		char one[64];

		snprintf(one, sizeof(one), "^%s$", a->atom[i]);
		o_regcomp(&re, one);
		for (k = 0; k < 12; k++) {
			char key[2] = { KEYS[k], '\0' };

			a->accepts[i][k] = !regexec(&re, key, 0, NULL, 0);
			a->size[i] += a->accepts[i][k];
		}
		regfree(&re);
		strcat(full, a->atom[i]);
		if (a->star[i])
			strcat(full, "*");
	}
	strcat(full, ")$");
	o_regcomp(&a->full, full);

	/*
	 * The prefixes of the matches of e1 e2 ... en: P(i) is "(ei P(i+1))?"
	 * for a single element and "ei* P(i+1)" for a repeated one.
	 */
	for (i = a->n; i-- > 0;) {
		if (a->star[i])
			snprintf(tail, sizeof(tail), "%s*%s", a->atom[i], prefix);
		else
			snprintf(tail, sizeof(tail), "(%s%s)?", a->atom[i], prefix);
		strcpy(prefix, tail);
	}
	snprintf(tail, sizeof(tail), "^%s$", prefix);
	o_regcomp(&a->prefix, tail);
	return p;
}

static void o_build(struct oracle *o, const char *map)
{
	const char *p = map;

	o->map = map;
	o->n = 0;
	while (*p == ' ' || *p == '\t' || *p == '(')
		p++;
	for (;;) {
		p = o_parse_alt(p, &o->alt[o->n++]);
		if (*p != '|')
			break;
		p++;
	}
}

static void o_free(struct oracle *o)
{
	unsigned int i;

	for (i = 0; i < o->n; i++) {
		regfree(&o->alt[i].full);
		regfree(&o->alt[i].prefix);
	}
}

struct o_way {
	bool found;
	unsigned int size[LC_DM_DIGITS_MAX];
	unsigned int elem[LC_DM_DIGITS_MAX];
};

/* (size, element) per key, compared from the first key. */
static int o_cmp(const struct o_way *x, const struct o_way *y, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (x->size[i] != y->size[i])
			return x->size[i] < y->size[i] ? -1 : 1;
	for (i = 0; i < len; i++)
		if (x->elem[i] != y->elem[i])
			return x->elem[i] < y->elem[i] ? -1 : 1;
	return 0;
}

/* Sizes alone decide between alternatives: smaller sets, from the first key. */
static bool o_fewer_keys(const struct o_way *x, const struct o_way *y, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (x->size[i] != y->size[i])
			return x->size[i] < y->size[i];
	return false;
}

/* Every way to give keys[k..] to elements t..: keep the best. */
static void o_ways(const struct o_alt *a, const char *keys, unsigned int len, unsigned int t,
		   unsigned int k, struct o_way *cur, struct o_way *best)
{
	if (t == a->n) {
		if (k == len && (!best->found || o_cmp(cur, best, len) < 0)) {
			*best = *cur;
			best->found = true;
		}
		return;
	}
	if (a->star[t])
		o_ways(a, keys, len, t + 1, k, cur, best);
	if (k < len && a->accepts[t][strchr(KEYS, keys[k]) - KEYS]) {
		cur->size[k] = a->size[t];
		cur->elem[k] = t;
		o_ways(a, keys, len, a->star[t] ? t : t + 1, k + 1, cur, best);
	}
}

static void o_number(const struct o_alt *a, const char *keys, unsigned int len,
		     const struct o_way *w, char *out)
{
	unsigned int t, k, r;

	out[0] = '\0';
	for (t = 0; t <= a->n; t++) {
		for (r = 0; r < a->n_rw; r++)
			if (a->rw_pos[r] == t)
				strcat(out, a->rw_text[r]);
		for (k = 0; k < len; k++)
			if (w->elem[k] == t && !a->strip[t] && !(a->term && t == a->n - 1))
				strncat(out, &keys[k], 1);
	}
}

/* What digitmap.h says the engine must answer for @keys. */
static void o_expect(const struct oracle *o, const char *keys, bool expired,
		     struct lc_dm_result *want)
{
	unsigned int len = (unsigned int)strlen(keys), i, k;
	struct o_way best_way = { 0 };
	const struct o_alt *w = NULL;
	bool extend = false;
	char ext[LC_DM_DIGITS_MAX + 2];

	memset(want, 0, sizeof(*want));
	want->alt = -1;
	for (i = 0; i < o->n; i++) {
		const struct o_alt *a = &o->alt[i];
		struct o_way cur = { 0 }, way = { 0 };
		char number[LC_DM_NUMBER_MAX + 1];
		bool full;

		/* Prefixes of matches are closed under taking prefixes. */
		if (regexec(&a->prefix, keys, 0, NULL, 0))
			continue;
		full = !regexec(&a->full, keys, 0, NULL, 0);
		/* Can it be extended: is some longer sequence a prefix of a match? */
		memcpy(ext, keys, len);
		ext[len + 1] = '\0';
		for (k = 0; k < 12 && !extend; k++) {
			ext[len] = KEYS[k];
			extend = !regexec(&a->prefix, ext, 0, NULL, 0);
		}
		o_ways(a, keys, len, 0, 0, &cur, &way);
		/* Not ck_assert: in a loop this hot, its bookkeeping dominates. */
		if (way.found != full)
			ck_abort_msg("oracle: regex and enumeration disagree on %s", keys);
		if (!full)
			continue;
		o_number(a, keys, len, &way, number);
		if (!number[0])
			continue;
		if (!w || o_fewer_keys(&way, &best_way, len)) {
			w = a;
			best_way = way;
			want->alt = (int)i;
			strcpy(want->number, number);
		}
	}
	if (!w) {
		want->verdict = extend && !expired ? LC_DM_NEED_MORE : LC_DM_NO_MATCH;
		want->timer = want->verdict == LC_DM_NEED_MORE ? LC_DM_TIMER_LONG :
								   LC_DM_TIMER_NONE;
		want->number[0] = '\0';
		return;
	}
	if (!expired && (w->timer || (extend && !w->now))) {
		want->verdict = LC_DM_NEED_MORE;
		want->timer = w->lng ? LC_DM_TIMER_LONG : LC_DM_TIMER_SHORT;
		want->alt = -1;
		want->number[0] = '\0';
		return;
	}
	want->verdict = w->barred ? LC_DM_BARRED : LC_DM_MATCH;
}

struct o_run {
	const struct oracle *o;
	unsigned int depth;
	unsigned long checked;
};

static void o_compare(const struct o_run *run, const char *keys, bool expired,
		      const struct lc_dm_result *got)
{
	struct lc_dm_result want;

	o_expect(run->o, keys, expired, &want);
	if (got->verdict != want.verdict || got->timer != want.timer ||
	    got->alt != want.alt || strcmp(got->number, want.number))
		ck_abort_msg("%s, keys \"%s\"%s: engine %s/%d alt %d \"%s\", "
			     "oracle %s/%d alt %d \"%s\"",
			     run->o->map, keys, expired ? " and the timer" : "",
		      lc_dm_verdict_name(got->verdict), got->timer, got->alt, got->number,
		      lc_dm_verdict_name(want.verdict), want.timer, want.alt, want.number);
}

/* Every key after @keys, and the timer, then deeper while it needs more. */
static void o_walk(struct o_run *run, const struct lc_dm_dial *dial, char *keys,
		   unsigned int len)
{
	unsigned int k;

	for (k = 0; k < 12; k++) {
		struct lc_dm_dial next = *dial;
		struct lc_dm_result r;

		keys[len] = KEYS[k];
		keys[len + 1] = '\0';
		if (lc_dm_digit(&next, KEYS[k], &r))
			ck_abort_msg("lc_dm_digit failed after %s", keys);
		o_compare(run, keys, false, &r);
		run->checked++;
		if (r.verdict != LC_DM_NEED_MORE)
			continue;
		{
			struct lc_dm_dial timed = next;

			if (lc_dm_timeout(&timed, &r))
				ck_abort_msg("lc_dm_timeout failed after %s", keys);
			o_compare(run, keys, true, &r);
			run->checked++;
		}
		if (len + 1 < run->depth)
			o_walk(run, &next, keys, len + 1);
	}
	keys[len] = '\0';
}

static unsigned long o_check(const char *map, unsigned int depth)
{
	static struct oracle o;
	struct o_run run = { .o = &o, .depth = depth };
	struct lc_digitmap *m = compile_ok(map);
	char keys[LC_DM_DIGITS_MAX + 2] = "";
	struct lc_dm_result r;
	struct lc_dm_dial dial;

	o_build(&o, map);
	ck_assert_uint_eq(o.n, lc_dm_alts(m));
	lc_dm_start(&dial, m, &r);
	ck_assert_int_eq(r.verdict, LC_DM_NEED_MORE);
	o_walk(&run, &dial, keys, 0);
	o_free(&o);
	lc_dm_free(m);
	return run.checked;
}

static const struct {
	const char *map;
	unsigned int depth;
} oracle_maps[] = {
	{ US_MAP, 5 },
	{ "(911|1[2-9]x[2-9]x|[2-9]x[2-9]x|011x.T|*xx|x.#)", 5 },
	{ "(0T|00[1-9]xx.T|0[1-9]x.T|[1-9]xx|110|112|*xx)", 6 },
	{ "(999S0|112S0|10[15]|111|1471|0[1-9]xxx|0[1-9]xxL|00[1-9]x.T)", 7 },
	{ OFFICE_MAP, 6 },
	{ "(911S0|9x.L|1900!|19xx|[2-8]xT|*#[12]x.#)", 6 },
	{ "(<9:>[2-9]xx|<0:+49>[1-9]x.|<:1>[2-9]x[2-9]|x.<#:#>|<*:>xx)", 5 },
	{ "(x.|xx|1x|[0-5]x|1[0-5]|12|<:7>1[2*]T)", 5 },
	{ "([1-3].x|x.[13]|[2-4]x.|#.*.L)", 5 },
	{ "(x.<5:>x.|5x<x:>|x.<x:>x.)", 5 },
};

START_TEST(test_oracle)
{
	unsigned long n = o_check(oracle_maps[_i].map, oracle_maps[_i].depth);

	ck_assert_uint_gt(n, 1000);
}
END_TEST

static uint32_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state % n;
}

/*
 * A random alternative over few keys, so that short sequences match.  An
 * alternative with a rewrite also gets a plain element, which keeps every
 * number it gives non-empty: the oracle's "can be extended" does not look
 * at whether the longer match gives a number.
 */
static void random_alt(char *out)
{
	static const char *const elems[] = {
		"0", "1", "2", "*", "#", "x", "[01]", "[1*]", "[#0-1]", "[0-9*#]", "[2-9]",
	};
	static const char *const repl[] = { "", "9", "+1" };
	unsigned int n = 1 + rng(4), i;
	bool rewrites = false, plain = false;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *e = elems[rng(ARRAY_SIZE(elems))];

		if (!rng(6)) {
			sprintf(out + strlen(out), "<%s:%s>", rng(4) ? e : "", repl[rng(3)]);
			rewrites = true;
			continue;
		}
		strcat(out, e);
		if (!rng(4))
			strcat(out, ".");
		else if (strcmp(e, "#") || i + 1 < n)
			plain = true;
	}
	if (rewrites && !plain)
		strcat(out, "1");
	if (!rng(5))
		strcat(out, "T");
	if (!rng(6))
		strcat(out, "L");
	if (!rng(8) && !strpbrk(out, "TL"))
		strcat(out, "S0");
	if (!rng(8))
		strcat(out, "!");
}

START_TEST(test_oracle_random)
{
	unsigned long checked = 0;
	int m;

	rng_state = 0x9e3779b9u;
	for (m = 0; m < 200; m++) {
		unsigned int alts = 1 + rng(4), i;
		char map[512] = "(", alt[128], err[256];
		struct lc_digitmap *out = NULL;
		int ret;

		for (i = 0; i < alts; i++) {
			random_alt(alt);
			if (i)
				strcat(map, "|");
			strcat(map, alt);
		}
		strcat(map, ")");
		ret = lc_dm_compile(map, &out, err, sizeof(err));
		lc_dm_free(out);
		/* "#" alone, or "<x:>#": no number; the rest must compile. */
		if (ret == -EINVAL && strstr(err, "always gives an empty number"))
			continue;
		ck_assert_msg(ret == 0, "%s: %s", map, err);
		checked += o_check(map, 4);
	}
	ck_assert_uint_gt(checked, 100000);
}
END_TEST

static Suite *digitmap_suite(void)
{
	Suite *s = suite_create("digitmap");
	TCase *tc;

	tc = tcase_create("maps");
	tcase_add_checked_fixture(tc, dm_setup, dm_teardown);
	tcase_add_test(tc, test_us);
	tcase_add_test(tc, test_de);
	tcase_add_test(tc, test_uk);
	tcase_add_test(tc, test_office);
	suite_add_tcase(s, tc);

	tc = tcase_create("semantics");
	tcase_add_checked_fixture(tc, dm_setup, dm_teardown);
	tcase_add_test(tc, test_markers);
	tcase_add_test(tc, test_terminator);
	tcase_add_test(tc, test_rewrite);
	tcase_add_test(tc, test_hotline);
	tcase_add_test(tc, test_ambiguity);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_checked_fixture(tc, dm_setup, dm_teardown);
	tcase_add_test(tc, test_max_keys);
	tcase_add_test(tc, test_bad_keys);
	tcase_add_test(tc, test_dial_is_plain_data);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, dm_setup, dm_teardown);
	tcase_add_test(tc, test_valid_maps);
	tcase_add_loop_test(tc, test_error, 0, N_ERROR_CASES);
	tcase_add_test(tc, test_too_many_alternatives);
	tcase_add_test(tc, test_long_maps);
	tcase_add_test(tc, test_small_error_buffer);
	tcase_add_test(tc, test_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("oracle");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_oracle, 0, ARRAY_SIZE(oracle_maps));
	tcase_add_test(tc, test_oracle_random);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(digitmap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Digit maps: deciding, digit by digit, when an analog caller has dialled
 * a complete number, and which number to call.  The syntax is the one
 * users of analog telephone adapters know (MGCP, RFC 3435 section 2.1.5,
 * and the Linksys/Cisco SPA extensions for rewriting and barring).
 * Pure logic: no I/O, no clock, no global state.
 *
 * Syntax
 *   A map is alternatives separated by '|', optionally wrapped in one pair
 *   of parentheses: "(911|[2-9]xx[2-9]xxxxxx|*xx|x.#)".  Blanks (space,
 *   tab) are ignored everywhere.  An alternative is a sequence of
 *     0-9 * #    that key
 *     x or X     any digit 0-9 (not * or #)
 *     [...]      one key of a set: digits, '*', '#' and ranges of digits,
 *                "[2-9]", "[135-7*#]"
 *     .          after one of the above: it repeats zero or more times, so
 *                "011x." is 011 followed by any number of digits, 011 too
 *     <A:B>      rewriting: the keys A (the elements above, without '.')
 *                are matched and replaced by B in the number to call; B is
 *                0-9 * # + or nothing.  "<9:>" strips a leading 9,
 *                "<:+1>" adds a prefix, "<00:+>" rewrites a prefix.  An
 *                alternative that is only a rewrite, "<:100>", matches when
 *                nothing is dialled: a hotline (see lc_dm_start()).
 *   followed by markers, in any order, each at most once:
 *     T          the alternative is complete only when the inter-digit
 *                timer expires (MGCP): it never dials at once
 *     L          while this alternative is the best complete one, wait with
 *                the long timer instead of the short one (numbers of
 *                variable length, where callers pause)
 *     S0         dial as soon as this alternative is complete, even though
 *                a longer number could still match (SPA: "911S0")
 *     !          barred: a number matching it is refused (SPA)
 *   T and L contradict S0.  Keys are ASCII; x, T, L and S may be lower case.
 *
 *   '#' as the last element of an alternative is a terminator: "x.#"
 *   dials what precedes the '#', and the '#' is not part of the number.
 *   To keep it, say so with a rewrite: "x.<#:#>".
 *
 * Limits
 *   A map has at most LC_DM_MAP_MAX bytes and LC_DM_ALTS_MAX alternatives;
 *   an alternative at most LC_DM_ELEMS_MAX elements ("x." is one),
 *   LC_DM_REWRITES_MAX rewrites and LC_DM_REPLACE_MAX characters of
 *   replacement text.  At most LC_DM_DIGITS_MAX keys are collected: a map
 *   behaves as if every alternative also said "and no more than that".
 *
 * Matching
 *   After every key, and when the inter-digit timer expires, the keys so
 *   far are compared with every alternative.  An alternative is complete
 *   when it matches them all and gives a non-empty number; it can be
 *   extended when it matches a longer sequence that starts with them.
 *   Of the complete alternatives the best one decides everything: its
 *   markers, its number.  The best is the most specific, compared key by
 *   key from the first: at the first key where two alternatives differ,
 *   the one that matched it with the smaller set wins (a literal key beats
 *   [2-9], which beats x).  Equally specific: the one written first wins.
 *   Within one alternative, the way of matching that is the most specific
 *   in the same sense counts; among equally specific ways, the one where
 *   the earlier elements take more keys.
 *
 *   After a key (lc_dm_digit()):
 *     no complete alternative, one can be extended  NEED_MORE, long timer
 *     no complete alternative, none can be extended NO_MATCH (reorder)
 *     the best complete one has T                   NEED_MORE, its timer
 *     ... has S0, or nothing can be extended        MATCH (or BARRED)
 *     otherwise                                     NEED_MORE, its timer
 *   where "its timer" is the short one, or the long one for an
 *   alternative marked L.  When the timer expires (lc_dm_timeout()): the
 *   best complete alternative gives MATCH (or BARRED), none NO_MATCH.
 *
 * Use
 *   Compile a map once (lc_dm_compile), then for every call: lc_dm_start,
 *   then lc_dm_digit for every key and lc_dm_timeout when the timer that
 *   the last result asked for expires, until the verdict is not
 *   NEED_MORE.  A struct lc_dm_dial is plain data: it may be copied, and
 *   needs no freeing; it refers to its map, which must outlive it.
 *
 * Errors
 *   Functions return 0 or a negative errno.  lc_dm_compile writes one line
 *   "column N: what is wrong" into @err (N counts bytes from 1).
 */
#ifndef LINECARD_DAEMON_DIGITMAP_H
#define LINECARD_DAEMON_DIGITMAP_H

#include <stdbool.h>
#include <stddef.h>

#define LC_DM_MAP_MAX		1024	/* bytes in a map */
#define LC_DM_ALTS_MAX		64	/* alternatives in a map */
#define LC_DM_ELEMS_MAX		32	/* elements in an alternative */
#define LC_DM_REWRITES_MAX	8	/* <A:B> in an alternative */
#define LC_DM_REPLACE_MAX	32	/* characters of B, all rewrites together */
#define LC_DM_DIGITS_MAX	32	/* keys collected for one call */
#define LC_DM_NUMBER_MAX	(LC_DM_DIGITS_MAX + LC_DM_REPLACE_MAX)

enum lc_dm_verdict {
	LC_DM_NEED_MORE,	/* collect more keys; start @timer */
	LC_DM_MATCH,		/* call @number now */
	LC_DM_NO_MATCH,		/* nothing can match: reorder tone */
	LC_DM_BARRED,		/* matched an alternative marked '!': reorder tone */
};

enum lc_dm_timer {
	LC_DM_TIMER_NONE,	/* the verdict is final */
	LC_DM_TIMER_SHORT,	/* a number is complete but could go on */
	LC_DM_TIMER_LONG,	/* more keys are needed (or the alternative says L) */
};

struct lc_dm_result {
	enum lc_dm_verdict verdict;
	enum lc_dm_timer timer;
	/* MATCH, BARRED: the deciding alternative, from 0; otherwise -1. */
	int alt;
	/*
	 * NEED_MORE: a number is complete and the timer's expiry dials it
	 * (a T or a warm line), rather than more keys being needed.
	 */
	bool complete;
	/* MATCH: the number to call, rewritten; BARRED: the number refused. */
	char number[LC_DM_NUMBER_MAX + 1];
};

struct lc_digitmap;

/* One call's keys.  The fields are private to digitmap.c. */
struct lc_dm_dial {
	const struct lc_digitmap *map;
	unsigned int len;
	char keys[LC_DM_DIGITS_MAX + 1];
	bool over;		/* a final verdict has been given */
};

/*
 * Compile @map into *@out.  Returns 0, -EINVAL for a syntax error, -E2BIG
 * when a limit above is exceeded (both with @err set), or -ENOMEM.  On
 * error *@out is left untouched.  @err may be NULL.
 */
int lc_dm_compile(const char *map, struct lc_digitmap **out, char *err, size_t errlen);

void lc_dm_free(struct lc_digitmap *dm);

/* How many alternatives @dm has. */
unsigned int lc_dm_alts(const struct lc_digitmap *dm);

/*
 * Begin a call on @dial.  The result is NEED_MORE with the long timer
 * (the daemon may use its first-key timer instead), unless @dm has a
 * hotline alternative such as "<:100>": then MATCH at once, or NEED_MORE
 * with that alternative's timer when other alternatives could still match
 * (a warm line: the timer expiring calls 100).
 */
void lc_dm_start(struct lc_dm_dial *dial, const struct lc_digitmap *dm,
		 struct lc_dm_result *res);

/*
 * One key, '0'-'9', '*' or '#'.  Returns 0 with the verdict in @res,
 * -EINVAL for another character, -EALREADY when a final verdict has been
 * given; on error neither @dial nor @res changes.  A key after
 * LC_DM_DIGITS_MAX keys (possible only while a T alternative waits for
 * its timer) gives NO_MATCH.
 */
int lc_dm_digit(struct lc_dm_dial *dial, char key, struct lc_dm_result *res);

/* The inter-digit timer expired: MATCH, BARRED or NO_MATCH.  -EALREADY as above. */
int lc_dm_timeout(struct lc_dm_dial *dial, struct lc_dm_result *res);

/* "need-more", "match", "no-match", "barred": for logs. */
const char *lc_dm_verdict_name(enum lc_dm_verdict v);

#endif /* LINECARD_DAEMON_DIGITMAP_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Digit maps; the syntax and the matching rules are in digitmap.h.
 *
 * An alternative compiles to a sequence of at most LC_DM_ELEMS_MAX
 * elements, each a set of keys, possibly repeated ('.').  Matching runs the
 * obvious automaton whose states are the positions 0..n between elements,
 * one bit each in a 64-bit mask, so no map can make it recurse or blow up:
 * a verdict costs at most keys x alternatives x elements bit operations.
 * The keys of a call are kept and every verdict is computed from them
 * afresh, which keeps struct lc_dm_dial small and copyable.
 *
 * Rewrites match a fixed number of keys (no '.' inside <A:B>), so the
 * number of keys that repeated elements take is the same on every way of
 * matching; whether a number comes out empty then depends only on how
 * many keys were dialled, which is what lets "can be extended" be exact.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitmap.h"

/* Keys as set members: 0-9, then '*' and '#'. */
#define KEY_STAR	10
#define KEY_HASH	11
#define N_KEYS		12
#define SET_DIGITS	0x3ffu

enum {
	ALT_TIMER	= 1 << 0,	/* T */
	ALT_LONG	= 1 << 1,	/* L */
	ALT_NOW		= 1 << 2,	/* S0 */
	ALT_BARRED	= 1 << 3,	/* ! */
	ALT_TERMINATOR	= 1 << 4,	/* ends with a '#' dropped from the number */
	ALT_MAY_BE_EMPTY = 1 << 5,	/* gives "" when no '.' takes a key */
};

struct rewrite {
	unsigned int start;		/* the first element it replaces */
	unsigned int len;
	char text[LC_DM_REPLACE_MAX + 1];
};

struct alt {
	unsigned int n;			/* elements; position n is the end */
	unsigned int flags;
	unsigned int min_keys;		/* keys it takes without repeats */
	uint16_t set[LC_DM_ELEMS_MAX];
	uint64_t accepts[N_KEYS];	/* elements whose set holds each key */
	uint64_t repeat;		/* elements followed by '.' */
	uint64_t stripped;		/* elements inside a rewrite */
	/* From position i on: keys still needed, and whether a '.' remains. */
	uint8_t rest_min[LC_DM_ELEMS_MAX + 1];
	bool rest_repeat[LC_DM_ELEMS_MAX + 1];
	unsigned int n_rewrites;
	struct rewrite rewrites[LC_DM_REWRITES_MAX];
};

struct lc_digitmap {
	unsigned int n;
	struct alt alts[];
};

/* --- compiling -------------------------------------------------------------- */

struct parser {
	const char *map;
	const char *p;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 4, 5)))
fail_at(struct parser *ps, const char *at, int ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ps->err || !ps->errlen)
		return ret;
	n = snprintf(ps->err, ps->errlen, "column %u: ", (unsigned int)(at - ps->map) + 1);
	if (n < 0 || (size_t)n >= ps->errlen)
		return ret;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return ret;
}

#define fail(ps, at, ...) fail_at((ps), (at), -EINVAL, __VA_ARGS__)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_blanks(struct parser *ps)
{
	while (is_blank(*ps->p))
		ps->p++;
}

static int key_index(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c == '*')
		return KEY_STAR;
	if (c == '#')
		return KEY_HASH;
	return -1;
}

/* A character for a message: itself when printable, else its code. */
static const char *show(char c, char *buf, size_t len)
{
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", (unsigned char)c);
	return buf;
}

static int fail_unexpected(struct parser *ps, const char *where)
{
	char buf[16];

	return fail(ps, ps->p, "unexpected %s%s", show(*ps->p, buf, sizeof(buf)), where);
}

/* "[...]", with ps->p on the '['. */
static int parse_set(struct parser *ps, uint16_t *set)
{
	const char *open = ps->p++;

	*set = 0;
	for (;;) {
		const char *at, *dash;
		int k, hi;

		skip_blanks(ps);
		at = ps->p;
		switch (*at) {
		case '\0':
		case '|':
		case ')':
			return fail(ps, open, "'[' without ']'");
		case ']':
			if (!*set)
				return fail(ps, open, "empty set '[]'");
			ps->p++;
			return 0;
		case '[':
			return fail(ps, at, "'[' inside a set");
		case '-':
			return fail(ps, at, "a range needs a digit on both sides of '-'");
		}
		k = key_index(*at);
		if (k < 0)
			return fail_unexpected(ps, " in a set: sets hold 0-9, '*', '#' and ranges");
		ps->p++;
		skip_blanks(ps);
		if (*ps->p != '-') {
			*set |= 1u << k;
			continue;
		}
		dash = ps->p++;
		skip_blanks(ps);
		if (k >= 10 || *ps->p < '0' || *ps->p > '9')
			return fail(ps, dash, "a range needs a digit on both sides of '-'");
		hi = *ps->p++ - '0';
		if (hi < k)
			return fail(ps, at, "reversed range '%d-%d'", k, hi);
		for (; k <= hi; k++)
			*set |= 1u << k;
	}
}

/* After ':' of a rewrite, up to and including the '>'. */
static int parse_replacement(struct parser *ps, struct rewrite *rw, unsigned int *total,
			     const char *open)
{
	for (;;) {
		char c;

		skip_blanks(ps);
		c = *ps->p;
		if (c == '>') {
			ps->p++;
			return 0;
		}
		if (!c || c == '|' || c == ')')
			return fail(ps, open, "'<' without '>'");
		if (key_index(c) < 0 && c != '+')
			return fail_unexpected(ps, " in a replacement: it holds 0-9, '*', '#', '+'");
		if (*total >= LC_DM_REPLACE_MAX)
			return fail_at(ps, ps->p, -E2BIG,
				       "more than %d characters of replacement in one alternative",
				       LC_DM_REPLACE_MAX);
		rw->text[rw->len++] = c;
		(*total)++;
		ps->p++;
	}
}

static int add_element(struct parser *ps, struct alt *a, uint16_t set, bool in_rewrite,
		       const char *at)
{
	if (a->n >= LC_DM_ELEMS_MAX)
		return fail_at(ps, at, -E2BIG, "more than %d elements in one alternative",
			       LC_DM_ELEMS_MAX);
	a->set[a->n] = set;
	if (in_rewrite)
		a->stripped |= 1ull << a->n;
	a->n++;
	return 0;
}

static int set_marker(struct parser *ps, struct alt *a, unsigned int flag, const char *name)
{
	if (a->flags & flag)
		return fail(ps, ps->p, "marker %s given twice", name);
	a->flags |= flag;
	ps->p++;
	return 0;
}

/* Fill in what matching needs from the elements; check the whole alternative. */
static int finish_alt(struct parser *ps, struct alt *a, const char *start, unsigned int replaced)
{
	bool gives_key = false;
	unsigned int i, k;

	if ((a->flags & ALT_NOW) && (a->flags & (ALT_TIMER | ALT_LONG)))
		return fail(ps, start, "S0 (dial at once) contradicts %s",
			    a->flags & ALT_TIMER ? "T (wait for the timer)" : "L (long timer)");
	if (a->n && a->set[a->n - 1] == 1u << KEY_HASH &&
	    !(a->repeat & (1ull << (a->n - 1))) && !(a->stripped & (1ull << (a->n - 1))))
		a->flags |= ALT_TERMINATOR;

	a->rest_min[a->n] = 0;
	a->rest_repeat[a->n] = false;
	for (i = a->n; i-- > 0;) {
		bool rep = a->repeat & (1ull << i);

		a->rest_min[i] = a->rest_min[i + 1] + !rep;
		a->rest_repeat[i] = a->rest_repeat[i + 1] || rep;
		if (!rep && !(a->stripped & (1ull << i)) &&
		    !(i == a->n - 1 && (a->flags & ALT_TERMINATOR)))
			gives_key = true;
		for (k = 0; k < N_KEYS; k++)
			if (a->set[i] & (1u << k))
				a->accepts[k] |= 1ull << i;
	}
	a->min_keys = a->rest_min[0];
	if (!replaced && !gives_key) {
		if (!a->repeat)
			return fail(ps, start, "this alternative always gives an empty number");
		a->flags |= ALT_MAY_BE_EMPTY;
	}
	return 0;
}

/* One alternative: up to the '|', ')' or end that follows it. */
static int parse_alt(struct parser *ps, struct alt *a)
{
	const char *start, *open = NULL;
	struct rewrite *rw = NULL;
	bool can_repeat = false, markers = false;
	unsigned int replaced = 0;
	char buf[16];
	int ret;

	memset(a, 0, sizeof(*a));
	skip_blanks(ps);
	start = ps->p;
	for (;; skip_blanks(ps)) {
		const char *at = ps->p;
		char c = *at;
		uint16_t set;
		int k;

		if (!c || c == '|' || c == ')')
			break;
		if (markers && !strchr("TtLlSs!", c))
			return fail(ps, at, "%s after a marker: markers (T, L, S0, !) end an "
				    "alternative", show(c, buf, sizeof(buf)));
		switch (c) {
		case 'x':
		case 'X':
			set = SET_DIGITS;
			ps->p++;
			break;
		case '[':
			ret = parse_set(ps, &set);
			if (ret)
				return ret;
			break;
		case '.':
			if (rw)
				return fail(ps, at, "'.' inside '<...>': a rewrite matches a fixed "
					    "number of keys");
			if (!can_repeat)
				return fail(ps, at, "'.' must follow a key, 'x' or a set");
			a->repeat |= 1ull << (a->n - 1);
			can_repeat = false;
			ps->p++;
			continue;
		case '<':
			if (rw)
				return fail(ps, at, "'<' inside '<...>'");
			if (a->n_rewrites >= LC_DM_REWRITES_MAX)
				return fail_at(ps, at, -E2BIG,
					       "more than %d rewrites in one alternative",
					       LC_DM_REWRITES_MAX);
			rw = &a->rewrites[a->n_rewrites++];
			rw->start = a->n;
			open = at;
			can_repeat = false;
			ps->p++;
			continue;
		case ':':
			if (!rw)
				return fail(ps, at, "':' outside '<...>'");
			ps->p++;
			ret = parse_replacement(ps, rw, &replaced, open);
			if (ret)
				return ret;
			rw = NULL;
			continue;
		case '>':
			if (!rw)
				return fail(ps, at, "'>' without '<'");
			return fail(ps, at, "'<...>' without ':'");
		case ']':
			return fail(ps, at, "']' without '['");
		case '(':
			return fail(ps, at,
				    "'(' inside the map: parentheses only enclose all of it");
		case 'T':
		case 't':
		case 'L':
		case 'l':
		case 'S':
		case 's':
		case '!':
			if (rw)
				return fail(ps, at, "marker %s inside '<...>'",
					    show(c, buf, sizeof(buf)));
			markers = true;
			if (c == 'T' || c == 't') {
				ret = set_marker(ps, a, ALT_TIMER, "T");
			} else if (c == 'L' || c == 'l') {
				ret = set_marker(ps, a, ALT_LONG, "L");
			} else if (c == '!') {
				ret = set_marker(ps, a, ALT_BARRED, "!");
			} else {
				if (at[1] != '0')
					return fail(ps, at, "'S' must be followed by 0: only S0 "
						    "(dial at once) is supported");
				ret = set_marker(ps, a, ALT_NOW, "S0");
				ps->p++;
			}
			if (ret)
				return ret;
			continue;
		default:
			k = key_index(c);
			if (k < 0)
				return fail_unexpected(ps, "");
			set = 1u << k;
			ps->p++;
			break;
		}
		ret = add_element(ps, a, set, rw, at);
		if (ret)
			return ret;
		can_repeat = !rw;
	}
	if (rw)
		return fail(ps, open, "'<' without '>'");
	if (ps->p == start)
		return fail(ps, start, "empty alternative");
	if (!a->n && !a->n_rewrites)
		return fail(ps, start, "an alternative needs keys, not only markers");
	return finish_alt(ps, a, start, replaced);
}

int lc_dm_compile(const char *map, struct lc_digitmap **out, char *err, size_t errlen)
{
	struct parser ps = { .map = map, .p = map, .err = err, .errlen = errlen };
	struct lc_digitmap *dm, *small;
	const char *open = NULL;
	size_t len;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	len = strnlen(map, LC_DM_MAP_MAX + 1);
	if (len > LC_DM_MAP_MAX)
		return fail_at(&ps, map + LC_DM_MAP_MAX, -E2BIG, "map longer than %d bytes",
			       LC_DM_MAP_MAX);
	dm = calloc(1, sizeof(*dm) + LC_DM_ALTS_MAX * sizeof(dm->alts[0]));
	if (!dm)
		return -ENOMEM;

	skip_blanks(&ps);
	if (!*ps.p) {
		ret = fail(&ps, ps.p, "empty digit map");
		goto out;
	}
	if (*ps.p == '(')
		open = ps.p++;
	for (;;) {
		if (dm->n >= LC_DM_ALTS_MAX) {
			ret = fail_at(&ps, ps.p, -E2BIG, "more than %d alternatives",
				      LC_DM_ALTS_MAX);
			goto out;
		}
		ret = parse_alt(&ps, &dm->alts[dm->n]);
		if (ret)
			goto out;
		dm->n++;
		if (*ps.p == '|') {
			ps.p++;
			continue;
		}
		if (*ps.p == ')') {
			if (!open) {
				ret = fail(&ps, ps.p, "')' without '('");
				goto out;
			}
			ps.p++;
			skip_blanks(&ps);
			if (*ps.p) {
				ret = fail_unexpected(&ps, " after ')'");
				goto out;
			}
		} else if (open) {
			ret = fail(&ps, open, "'(' without ')'");
			goto out;
		}
		break;
	}

	small = realloc(dm, sizeof(*dm) + dm->n * sizeof(dm->alts[0]));
	*out = small ? small : dm;
	return 0;
out:
	free(dm);
	return ret;
}

void lc_dm_free(struct lc_digitmap *dm)
{
	free(dm);
}

unsigned int lc_dm_alts(const struct lc_digitmap *dm)
{
	return dm->n;
}

/* --- matching ------------------------------------------------------------- */

/* Add the positions reachable by skipping repeated elements. */
static uint64_t skip_forward(const struct alt *a, uint64_t s)
{
	uint64_t prev;

	do {
		prev = s;
		s |= (s & a->repeat) << 1;
	} while (s != prev);
	return s;
}

/* Add the positions from which skipping repeated elements reaches @s. */
static uint64_t skip_backward(const struct alt *a, uint64_t s)
{
	uint64_t prev;

	do {
		prev = s;
		s |= (s >> 1) & a->repeat;
	} while (s != prev);
	return s;
}

/* Positions after taking key @k from positions @s (already skipped forward). */
static uint64_t step(const struct alt *a, uint64_t s, int k)
{
	uint64_t m = s & a->accepts[k];

	return skip_forward(a, (m & a->repeat) | ((m & ~a->repeat) << 1));
}

/* The elements whose key takes a position into @to. */
static uint64_t into(const struct alt *a, uint64_t to)
{
	return (a->repeat & to) | (~a->repeat & (to >> 1));
}

/*
 * Whether @a matches some sequence of m keys, len < m <= LC_DM_DIGITS_MAX,
 * that starts with the @len keys that took it to positions @live, and
 * gives a number.
 */
static bool can_extend(const struct alt *a, uint64_t live, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		unsigned int lo, hi;

		if (!(live & (1ull << i)))
			continue;
		lo = len + (a->rest_min[i] ? a->rest_min[i] : 1);
		hi = a->rest_repeat[i] ? LC_DM_DIGITS_MAX : lo;
		if (lo > LC_DM_DIGITS_MAX)
			continue;
		if (!(a->flags & ALT_MAY_BE_EMPTY) || lo != a->min_keys || hi > lo)
			return true;
	}
	return false;
}

/*
 * The best way @a matches all of @keys, as the element that takes each
 * key.  First the smallest sets, compared from the first key: a frontier
 * of the positions that the best prefixes reach, moving only where the
 * end can still be reached (@ok, from a backward pass).  Then, among the
 * ways with those sets, the one whose earlier elements take more keys:
 * the lowest element at each key that still leads to the end.
 */
static void best_path(const struct alt *a, const int *keys, unsigned int len,
		      uint8_t *elem)
{
	uint64_t ok[LC_DM_DIGITS_MAX + 1], front[LC_DM_DIGITS_MAX + 1];
	uint64_t moves[LC_DM_DIGITS_MAX], good;
	unsigned int i, pos;

	ok[len] = skip_backward(a, 1ull << a->n);
	for (i = len; i-- > 0;)
		ok[i] = skip_backward(a, a->accepts[keys[i]] & into(a, ok[i + 1]));

	front[0] = 1;
	for (i = 0; i < len; i++) {
		uint64_t cand = skip_forward(a, front[i]) & a->accepts[keys[i]] &
				into(a, ok[i + 1]);
		int min = N_KEYS + 1;
		unsigned int j;

		moves[i] = 0;
		for (j = 0; j < a->n; j++) {
			int size = __builtin_popcount(a->set[j]);

			if (!(cand & (1ull << j)) || size > min)
				continue;
			if (size < min)
				moves[i] = 0;
			min = size;
			moves[i] |= 1ull << j;
		}
		front[i + 1] = (moves[i] & a->repeat) | ((moves[i] & ~a->repeat) << 1);
	}

	/* Keep the moves from which the end stays reachable by such moves. */
	good = skip_backward(a, 1ull << a->n);
	for (i = len; i-- > 0;) {
		moves[i] &= into(a, good);
		good = skip_backward(a, moves[i]);
	}
	for (i = 0, pos = 0; i < len; i++) {
		uint64_t m = skip_forward(a, 1ull << pos) & moves[i];

		/* The passes above leave at least one move. */
		elem[i] = (uint8_t)__builtin_ctzll(m);
		pos = a->repeat & (1ull << elem[i]) ? elem[i] : elem[i] + 1u;
	}
}

static void make_number(const struct alt *a, const char *keys, unsigned int len,
			const uint8_t *elem, char *out)
{
	unsigned int pos, i = 0, r = 0, n = 0;

	for (pos = 0; pos <= a->n; pos++) {
		for (; r < a->n_rewrites && a->rewrites[r].start == pos; r++) {
			memcpy(out + n, a->rewrites[r].text, a->rewrites[r].len);
			n += a->rewrites[r].len;
		}
		for (; i < len && elem[i] == pos; i++) {
			if (a->stripped & (1ull << pos))
				continue;
			if ((a->flags & ALT_TERMINATOR) && pos == a->n - 1)
				continue;
			out[n++] = keys[i];
		}
	}
	out[n] = '\0';
}

/* Whether @x was matched more specifically than @y: smaller sets, earlier. */
static bool more_specific(const struct alt *ax, const uint8_t *x, const struct alt *ay,
			  const uint8_t *y, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		int sx = __builtin_popcount(ax->set[x[i]]);
		int sy = __builtin_popcount(ay->set[y[i]]);

		if (sx != sy)
			return sx < sy;
	}
	return false;
}

static void decide(struct lc_dm_dial *dial, bool expired, struct lc_dm_result *res)
{
	const struct lc_digitmap *dm = dial->map;
	uint8_t elem[LC_DM_DIGITS_MAX], best_elem[LC_DM_DIGITS_MAX];
	int keys[LC_DM_DIGITS_MAX];
	const struct alt *w = NULL;
	bool extend = false;
	unsigned int i, j;

	for (i = 0; i < dial->len; i++)
		keys[i] = key_index(dial->keys[i]);

	memset(res, 0, sizeof(*res));
	res->alt = -1;
	for (j = 0; j < dm->n; j++) {
		const struct alt *a = &dm->alts[j];
		uint64_t live = skip_forward(a, 1);

		for (i = 0; i < dial->len && live; i++)
			live = step(a, live, keys[i]);
		if (!live)
			continue;
		extend |= can_extend(a, live, dial->len);
		if (!(live & (1ull << a->n)))
			continue;
		if ((a->flags & ALT_MAY_BE_EMPTY) && dial->len == a->min_keys)
			continue;
		best_path(a, keys, dial->len, elem);
		if (!w || more_specific(a, elem, w, best_elem, dial->len)) {
			w = a;
			res->alt = (int)j;
			memcpy(best_elem, elem, dial->len);
		}
	}

	if (!w) {
		res->verdict = extend && !expired ? LC_DM_NEED_MORE : LC_DM_NO_MATCH;
		res->timer = res->verdict == LC_DM_NEED_MORE ? LC_DM_TIMER_LONG : LC_DM_TIMER_NONE;
		goto out;
	}
	if (!expired && ((w->flags & ALT_TIMER) || (extend && !(w->flags & ALT_NOW)))) {
		res->verdict = LC_DM_NEED_MORE;
		res->timer = w->flags & ALT_LONG ? LC_DM_TIMER_LONG : LC_DM_TIMER_SHORT;
		res->alt = -1;
		res->complete = true;
		goto out;
	}
	res->verdict = w->flags & ALT_BARRED ? LC_DM_BARRED : LC_DM_MATCH;
	make_number(w, dial->keys, dial->len, best_elem, res->number);
out:
	dial->over = res->verdict != LC_DM_NEED_MORE;
}

void lc_dm_start(struct lc_dm_dial *dial, const struct lc_digitmap *dm,
		 struct lc_dm_result *res)
{
	memset(dial, 0, sizeof(*dial));
	dial->map = dm;
	decide(dial, false, res);
}

int lc_dm_digit(struct lc_dm_dial *dial, char key, struct lc_dm_result *res)
{
	if (key_index(key) < 0)
		return -EINVAL;
	if (dial->over)
		return -EALREADY;
	if (dial->len == LC_DM_DIGITS_MAX) {
		/* Only an alternative waiting for its timer (T) gets here. */
		memset(res, 0, sizeof(*res));
		res->verdict = LC_DM_NO_MATCH;
		res->alt = -1;
		dial->over = true;
		return 0;
	}
	dial->keys[dial->len++] = key;
	dial->keys[dial->len] = '\0';
	decide(dial, false, res);
	return 0;
}

int lc_dm_timeout(struct lc_dm_dial *dial, struct lc_dm_result *res)
{
	if (dial->over)
		return -EALREADY;
	decide(dial, true, res);
	return 0;
}

const char *lc_dm_verdict_name(enum lc_dm_verdict v)
{
	switch (v) {
	case LC_DM_NEED_MORE:
		return "need-more";
	case LC_DM_MATCH:
		return "match";
	case LC_DM_NO_MATCH:
		return "no-match";
	case LC_DM_BARRED:
		return "barred";
	}
	return "?";
}

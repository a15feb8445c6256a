// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "tones.h"

#define MAX_F	3
#define MAX_S	6

struct tone_def {
	unsigned short hz[MAX_F];	/* 0 = unused */
	signed char dbm0;
	/* on/off pairs in ms; masks select the frequencies; 0 ms ends. */
	struct { unsigned short ms; unsigned char mask; } step[MAX_S];
};

#define CONT(f1, f2, l)		{ { f1, f2 }, l, { { 0, 0 } } }
#define ONOFF(f1, f2, l, on, off) \
	{ { f1, f2 }, l, { { on, 3 }, { off, 0 } } }

static const struct tone_def sit = {
	{ 950, 1400, 1800 }, -16,
	{ { 330, 1 }, { 330, 2 }, { 330, 4 }, { 1000, 0 } },
};

/* Loud and fast: 1400 + 2060 + 2450 Hz, 0.1 s on, 0.1 s off. */
static const struct tone_def howler = {
	{ 1400, 2060, 2450 }, 0,
	{ { 100, 7 }, { 100, 0 } },
};

static const struct tone_def table[][LC_TONE_NO_SERVICE] = {
	[LC_COUNTRY_ITU] = {
		[LC_TONE_DIAL] = CONT(425, 0, -13),
		[LC_TONE_RINGBACK] = ONOFF(425, 0, -19, 1000, 4000),
		[LC_TONE_BUSY] = ONOFF(425, 0, -19, 500, 500),
		[LC_TONE_REORDER] = ONOFF(425, 0, -19, 250, 250),
	},
	[LC_COUNTRY_US] = {
		[LC_TONE_DIAL] = CONT(350, 440, -13),
		[LC_TONE_RINGBACK] = ONOFF(440, 480, -19, 2000, 4000),
		[LC_TONE_BUSY] = ONOFF(480, 620, -24, 500, 500),
		[LC_TONE_REORDER] = ONOFF(480, 620, -24, 250, 250),
	},
	[LC_COUNTRY_UK] = {
		[LC_TONE_DIAL] = CONT(350, 450, -13),
		[LC_TONE_RINGBACK] = { { 400, 450 }, -19,
			{ { 400, 3 }, { 200, 0 }, { 400, 3 }, { 2000, 0 } } },
		[LC_TONE_BUSY] = ONOFF(400, 0, -19, 375, 375),
		[LC_TONE_REORDER] = { { 400, 0 }, -19,
			{ { 400, 1 }, { 350, 0 }, { 225, 1 }, { 525, 0 } } },
	},
	[LC_COUNTRY_DE] = {
		[LC_TONE_DIAL] = CONT(425, 0, -13),
		[LC_TONE_RINGBACK] = ONOFF(425, 0, -19, 1000, 4000),
		[LC_TONE_BUSY] = ONOFF(425, 0, -19, 480, 480),
		[LC_TONE_REORDER] = ONOFF(425, 0, -19, 240, 240),
	},
	[LC_COUNTRY_FR] = {
		[LC_TONE_DIAL] = CONT(440, 0, -13),
		[LC_TONE_RINGBACK] = ONOFF(440, 0, -19, 1500, 3500),
		[LC_TONE_BUSY] = ONOFF(440, 0, -19, 500, 500),
		[LC_TONE_REORDER] = ONOFF(440, 0, -19, 250, 250),
	},
};

int lc_tone_get(enum lc_country country, enum lc_tone_kind kind, struct linecard_tone *out)
{
	const struct tone_def *d;
	unsigned int i;

	if ((unsigned int)country >= sizeof(table) / sizeof(table[0]) ||
	    (unsigned int)kind >= __LC_TONE_LAST)
		return -EINVAL;
	d = kind == LC_TONE_NO_SERVICE ? &sit : kind == LC_TONE_HOWLER ? &howler :
	    &table[country][kind];
	memset(out, 0, sizeof(*out));
	for (i = 0; i < MAX_F; i++) {
		out->freq[i].hz = d->hz[i];
		out->freq[i].dbm0 = d->hz[i] ? d->dbm0 : 0;
	}
	for (i = 0; i < MAX_S && d->step[i].ms; i++) {
		out->step[i].duration_ms = d->step[i].ms;
		/* Components without a frequency are never switched on. */
		out->step[i].mask = d->step[i].mask & (d->hz[1] ? 0x7 : 0x1) &
				    (d->hz[2] ? 0x7 : 0x3);
	}
	out->nsteps = i;
	out->repeat = 0;
	return 0;
}

const char *lc_tone_name(enum lc_tone_kind kind)
{
	static const char *const names[] = {
		[LC_TONE_DIAL] = "dial",
		[LC_TONE_RINGBACK] = "ringback",
		[LC_TONE_BUSY] = "busy",
		[LC_TONE_REORDER] = "reorder",
		[LC_TONE_NO_SERVICE] = "no-service",
		[LC_TONE_HOWLER] = "howler",
	};

	return (unsigned int)kind < __LC_TONE_LAST ? names[kind] : "unknown";
}

/* Ring cadences (ms on, ms off, ...). */
static const unsigned short rings[][4] = {
	[LC_COUNTRY_ITU] = { 1000, 4000 },
	[LC_COUNTRY_US] = { 2000, 4000 },
	[LC_COUNTRY_UK] = { 400, 200, 400, 2000 },
	[LC_COUNTRY_DE] = { 1000, 4000 },
	[LC_COUNTRY_FR] = { 1500, 3500 },
};

int lc_ring_get(enum lc_country country, struct linecard_ring *out)
{
	unsigned int i;

	if ((unsigned int)country >= sizeof(rings) / sizeof(rings[0]))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < 4 && rings[country][i]; i++) {
		out->step[i].duration_ms = rings[country][i];
		out->step[i].mask = !(i & 1);
	}
	out->nsteps = i;
	return 0;
}

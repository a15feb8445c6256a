/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call-progress tones a subscriber hears, per country, as tone specs
 * for the kernel's generator (LINECARD_IOC_TONE_PLAY).  Frequencies and
 * cadences follow ITU-T E.180 Supplement 2 for each country; "itu" is
 * E.180's recommended set.
 */
#ifndef LINECARD_DAEMON_TONES_H
#define LINECARD_DAEMON_TONES_H

#include <linux/linecard.h>

#include "config.h"

enum lc_tone_kind {
	LC_TONE_DIAL,
	LC_TONE_RINGBACK,
	LC_TONE_BUSY,
	LC_TONE_REORDER,	/* congestion, number unobtainable */
	/*
	 * No service: the port is not registered.  The special information
	 * tone (950 / 1400 / 1800 Hz, ITU-T E.180 section 7) everywhere, so
	 * it cannot be mistaken for a dial tone.
	 */
	LC_TONE_NO_SERVICE,
	/* Off-hook warning (howler): a receiver left off hook. */
	LC_TONE_HOWLER,
	__LC_TONE_LAST,
};

int lc_tone_get(enum lc_country country, enum lc_tone_kind kind, struct linecard_tone *out);
/* The ring cadence of @country. */
int lc_ring_get(enum lc_country country, struct linecard_ring *out);
const char *lc_tone_name(enum lc_tone_kind kind);

#endif /* LINECARD_DAEMON_TONES_H */

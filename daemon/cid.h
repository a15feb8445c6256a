/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Caller ID for the analog line: the Multiple Data Message Format (MDMF)
 * message of Telcordia GR-30 / ETSI EN 300 659-3 that the kernel sends as
 * FSK between the first and the second ring.  This file builds the body
 * (message type, length, parameters); the kernel adds the checksum and
 * modulates it.
 *
 * Parameters, in this order:
 *   0x01 date and time, "MMDDHHMM" (local time of the call)
 *   0x02 calling number (at most 20 characters: digits, * # +), or
 *   0x04 the reason it is absent: 'P' private (withheld), 'O' unavailable
 *   0x07 calling name (at most 15 printable ASCII characters), or
 *   0x08 the reason it is absent: 'P' or 'O'
 */
#ifndef LINECARD_DAEMON_CID_H
#define LINECARD_DAEMON_CID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LC_CID_NUMBER_MAX	20
#define LC_CID_NAME_MAX		15
#define LC_CID_MSG_MAX		64	/* a full MDMF body fits */

#define LC_CID_MDMF		0x80
#define LC_CID_P_DATETIME	0x01
#define LC_CID_P_NUMBER		0x02
#define LC_CID_P_NO_NUMBER	0x04
#define LC_CID_P_NAME		0x07
#define LC_CID_P_NO_NAME	0x08

enum lc_cid_absence {
	LC_CID_PRESENT = 0,
	LC_CID_PRIVATE = 'P',
	LC_CID_UNAVAILABLE = 'O',
};

struct lc_cid {
	char number[LC_CID_NUMBER_MAX + 1];
	char name[LC_CID_NAME_MAX + 1];
	enum lc_cid_absence number_absent;
	enum lc_cid_absence name_absent;
	struct tm when;
};

/*
 * Fill @c from what a call says: @user the user part of the caller's
 * address (P-Asserted-Identity, else From), @display its display name
 * (either may be NULL), @private whether the caller asked for privacy
 * (Privacy: id / header / user, or an anonymous From).  Characters a
 * phone cannot show are dropped from the number and replaced by '?' in
 * the name; both are cut to their maximum length.
 */
void lc_cid_from(struct lc_cid *c, const char *user, const char *display, bool private,
		 const struct tm *when);

/* The MDMF body into @buf; returns its length, or -ENOSPC. */
int lc_cid_mdmf(const struct lc_cid *c, uint8_t *buf, size_t len);

#endif /* LINECARD_DAEMON_CID_H */

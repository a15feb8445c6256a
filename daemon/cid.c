// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cid.h"

static bool anonymous(const char *s)
{
	return s && (!strcasecmp(s, "anonymous") || !strcasecmp(s, "restricted") ||
		     !strcasecmp(s, "unavailable") || !strcasecmp(s, "unknown"));
}

void lc_cid_from(struct lc_cid *c, const char *user, const char *display, bool private,
		 const struct tm *when)
{
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	c->when = *when;
	if (private || anonymous(user)) {
		c->number_absent = LC_CID_PRIVATE;
		c->name_absent = LC_CID_PRIVATE;
		return;
	}
	for (; user && *user && n < LC_CID_NUMBER_MAX; user++)
		if ((*user >= '0' && *user <= '9') || *user == '*' || *user == '#' ||
		    (*user == '+' && n == 0))
			c->number[n++] = *user;
	if (!n)
		c->number_absent = LC_CID_UNAVAILABLE;
	n = 0;
	if (display && *display == '"')
		display++;
	for (; display && *display && *display != '"' && n < LC_CID_NAME_MAX; display++) {
		unsigned char ch = (unsigned char)*display;

		if (ch == '\\' && display[1])
			ch = (unsigned char)*++display;
		if (ch >= 0x80) {
			/* One '?' per UTF-8 character, not per byte. */
			if ((ch & 0xc0) == 0x80)
				continue;
			ch = '?';
		} else if (ch < 0x20 || ch == 0x7f) {
			continue;
		}
		c->name[n++] = (char)ch;
	}
	while (n && c->name[n - 1] == ' ')
		c->name[--n] = '\0';
	if (!n)
		c->name_absent = anonymous(display) ? LC_CID_PRIVATE : LC_CID_UNAVAILABLE;
}

static int put(uint8_t *buf, size_t len, size_t *pos, uint8_t type, const void *data,
	       size_t dlen)
{
	if (*pos + 2 + dlen > len)
		return -ENOSPC;
	buf[(*pos)++] = type;
	buf[(*pos)++] = (uint8_t)dlen;
	memcpy(buf + *pos, data, dlen);
	*pos += dlen;
	return 0;
}

int lc_cid_mdmf(const struct lc_cid *c, uint8_t *buf, size_t len)
{
	char dt[16];
	size_t pos = 2;
	uint8_t reason;
	int ret;

	if (len < 2)
		return -ENOSPC;
	snprintf(dt, sizeof(dt), "%02d%02d%02d%02d", (c->when.tm_mon + 1) % 100,
		 c->when.tm_mday % 100, c->when.tm_hour % 100, c->when.tm_min % 100);
	ret = put(buf, len, &pos, LC_CID_P_DATETIME, dt, 8);
	if (!ret && c->number_absent) {
		reason = (uint8_t)c->number_absent;
		ret = put(buf, len, &pos, LC_CID_P_NO_NUMBER, &reason, 1);
	} else if (!ret) {
		ret = put(buf, len, &pos, LC_CID_P_NUMBER, c->number, strlen(c->number));
	}
	if (!ret && c->name_absent) {
		reason = (uint8_t)c->name_absent;
		ret = put(buf, len, &pos, LC_CID_P_NO_NAME, &reason, 1);
	} else if (!ret) {
		ret = put(buf, len, &pos, LC_CID_P_NAME, c->name, strlen(c->name));
	}
	if (ret)
		return ret;
	buf[0] = LC_CID_MDMF;
	buf[1] = (uint8_t)(pos - 2);
	return (int)pos;
}

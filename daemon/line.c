// SPDX-License-Identifier: GPL-2.0
/*
 * A port's /dev/lineN in the event loop: line events (hook, flash,
 * digits) and the tone the subscriber hears.  Until call control exists
 * the only decision here is which tone an off-hook line gets: dial tone
 * while the port's binding is valid, the special information tone while
 * it is not, so a user can tell a line that cannot call.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "tones.h"

static void play(struct lc_line *l, int kind)
{
	struct linecard_tone t;
	int ret;

	if (l->fd < 0 || l->tone == kind)
		return;
	if (kind < 0) {
		ret = lc_line_tone_stop(l->fd);
	} else {
		lc_tone_get(l->d->cfg.sip.country, kind, &t);
		ret = lc_line_tone(l->fd, &t);
	}
	if (ret < 0 && ret != -ENODEV) {
		lc_warn("port %u: %s tone: %s", l->index, kind < 0 ? "stop" : lc_tone_name(kind),
			strerror(-ret));
		return;
	}
	lc_debug("port %u: tone %s", l->index, kind < 0 ? "off" : lc_tone_name(kind));
	l->tone = kind;
}

void lc_line_update_tone(struct lc_line *l)
{
	play(l, l->hook == LINECARD_HOOK_OFF ? lc_csm_tone(l->csm.state) : -1);
}

static void line_event(struct lc_line *l, const struct linecard_event *ev)
{
	struct linecard_port_info info;

	switch (ev->type) {
	case LINECARD_EV_OFFHOOK:
		l->hook = LINECARD_HOOK_OFF;
		lc_info("port %u: off hook", l->index);
		lc_call_offhook(l);
		break;
	case LINECARD_EV_ONHOOK:
		l->hook = LINECARD_HOOK_ON;
		lc_info("port %u: on hook", l->index);
		lc_call_onhook(l);
		break;
	case LINECARD_EV_FLASH:
		lc_info("port %u: hook flash", l->index);
		lc_call_flash(l);
		break;
	case LINECARD_EV_TONE_DONE:
		l->tone = -1;
		break;
	case LINECARD_EV_OVERFLOW:
		/* Edges were lost: the line's state is the truth. */
		lc_warn("port %u: %u line events lost", l->index, ev->value);
		if (lc_line_info(l->fd, &info) == 0 && info.hook != l->hook) {
			l->hook = info.hook;
			if (l->hook == LINECARD_HOOK_OFF)
				lc_call_offhook(l);
			else
				lc_call_onhook(l);
		}
		break;
	case LINECARD_EV_DIGIT:
		lc_debug("port %u: digit %c", l->index, ev->digit);
		if (ev->source != LINECARD_DIGIT_RTP)
			lc_call_digit(l, (char)ev->digit);
		break;
	default:
		lc_debug("port %u: event %s", l->index, lc_event_name(ev->type));
		break;
	}
	lc_line_update_tone(l);
}

static int line_wakeup(struct lc_daemon *d, su_wait_t *w, void *arg)
{
	struct lc_line *l = arg;
	struct linecard_event ev;
	int ret, revents = su_wait_events(w, l->fd);

	(void)d;
	while ((ret = lc_line_event(l->fd, &ev)) == 0)
		line_event(l, &ev);
	if (ret == -ENODEV || (revents & (POLLHUP | POLLERR))) {
		lc_warn("port %u: /dev/line%u went away", l->index, l->index);
		lc_call_reset(l);
		lc_line_detach(l);
		lc_reg_stop(l);
	}
	return 0;
}

void lc_line_attach(struct lc_line *l)
{
	struct linecard_port_info info;
	int fd, ret;

	if (l->fd >= 0)
		return;
	fd = lc_line_open(l->index);
	if (fd < 0) {
		lc_warn("port %u: /dev/line%u: %s; the port registers once it appears",
			l->index, l->index, strerror(-fd));
		return;
	}
	ret = lc_line_info(fd, &info);
	if (ret < 0) {
		lc_warn("port %u: line info: %s", l->index, strerror(-ret));
		close(fd);
		return;
	}
	l->fd = fd;
	l->hook = info.hook;
	lc_csm_init(&l->csm, info.hook == LINECARD_HOOK_OFF);
	l->tone = info.tone ? -2 : -1;	/* -2: someone else's tone */
	/* Events only (EPOLLPRI): EPOLLIN means audio, always there. */
	if (su_wait_create(l->wait, fd, POLLPRI) < 0 ||
	    (l->wait_reg = su_root_register(l->d->root, l->wait, line_wakeup, l, 0)) < 0) {
		lc_err("port %u: cannot watch /dev/line%u", l->index, l->index);
		l->wait_reg = 0;
		su_wait_destroy(l->wait);
		close(fd);
		l->fd = -1;
		return;
	}
	lc_line_update_tone(l);
}

void lc_line_detach(struct lc_line *l)
{
	if (l->fd < 0)
		return;
	if (l->hook == LINECARD_HOOK_OFF)
		play(l, -1);
	if (l->wait_reg > 0)
		su_root_deregister(l->d->root, l->wait_reg);
	l->wait_reg = 0;
	close(l->fd);
	l->fd = -1;
	l->hook = -1;
	l->tone = -1;
}

bool lc_line_present(unsigned int index)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/line%u", index);
	return access(path, F_OK) == 0;
}

int lc_line_enable(struct lc_line *l, bool enable, char *err, size_t errlen)
{
	if (enable) {
		if (!l->cfg || !l->cfg->number) {
			snprintf(err, errlen, "port %u has no number in the configuration",
				 l->index);
			return -EINVAL;
		}
		if (!l->d->cfg.sip.registrar) {
			snprintf(err, errlen, "no registrar in the configuration");
			return -EINVAL;
		}
		if (l->enabled)
			return 0;
		l->enabled = true;
		lc_notice("port %u: enabled", l->index);
		lc_line_attach(l);
		if (l->fd >= 0)
			lc_reg_start(l);
		return 0;
	}
	if (!l->enabled)
		return 0;
	l->enabled = false;
	lc_notice("port %u: disabled", l->index);
	lc_call_reset(l);
	lc_reg_stop(l);
	lc_line_detach(l);
	return 0;
}

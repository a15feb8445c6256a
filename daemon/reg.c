// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of one port, on top of the NUA's register usage.
 *
 * What sofia-sip already does is used as it is: it refreshes a binding by
 * itself from the expiry the registrar granted (between a quarter and
 * three quarters of it, or 30 to 60 s before the end for grants of 90 s to
 * 5 min), re-negotiates on 423 with the Min-Expires given, and answers
 * challenges on refreshes from its credential cache.  This file adds what
 * the product needs beyond that: credentials for the first challenge of
 * each realm (a second challenge for a realm already answered, without
 * stale=true, means the credentials are wrong), retries with back-off
 * after any final failure, shortened while a binding is still valid so
 * that several attempts fit before it lapses, and the state linecardctl
 * shows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/url.h>

#include "daemon.h"
#include "log.h"

static const char *const state_names[] = {
	[LC_REG_UNREGISTERED] = "unregistered",
	[LC_REG_REGISTERING] = "registering",
	[LC_REG_REGISTERED] = "registered",
	[LC_REG_RETRYING] = "retrying",
	[LC_REG_FAILED] = "failed",
	[LC_REG_UNREGISTERING] = "unregistering",
};

const char *lc_reg_state_name(enum lc_reg_state s)
{
	return (unsigned int)s < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[s] : "unknown";
}

enum lc_reg_state lc_reg_state_now(const struct lc_line *l, uint64_t now)
{
	bool lapsed = l->expires_at && l->expires_at <= now;

	if (l->state == LC_REG_RETRYING && (lapsed || !l->expires_at))
		return LC_REG_FAILED;
	if (l->state == LC_REG_REGISTERED && lapsed)
		return LC_REG_REGISTERING;	/* a refresh is late */
	return l->state;
}

unsigned int lc_reg_pending(const struct lc_daemon *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++)
		if (d->lines[i].state == LC_REG_UNREGISTERING)
			n++;
	return n;
}

static void set_state(struct lc_line *l, enum lc_reg_state s)
{
	if (l->state == s)
		return;
	lc_debug("port %u: %s -> %s", l->index, lc_reg_state_name(l->state),
		 lc_reg_state_name(s));
	l->state = s;
	lc_line_update_tone(l);
}

/* "sip:" + registrar unless it is a URI already; ";transport=tcp" added. */
static char *registrar_uri(const struct lc_daemon *d)
{
	const struct lc_sip_config *s = &d->cfg.sip;
	bool uri = !strncasecmp(s->registrar, "sip:", 4) || !strncasecmp(s->registrar, "sips:", 5);
	bool tcp = s->transport == LC_TRANSPORT_TCP && !strcasestr(s->registrar, "transport=");

	return su_sprintf(NULL, "%s%s%s", uri ? "" : "sip:", s->registrar,
			  tcp ? ";transport=tcp" : "");
}

/* The host of the address of record: the domain, else the registrar's host. */
static char *aor_host(const struct lc_daemon *d)
{
	const struct lc_sip_config *s = &d->cfg.sip;
	char *reg, *host = NULL;
	url_t *url;

	if (s->domain)
		return su_strdup(NULL, s->domain);
	reg = registrar_uri(d);
	url = reg ? url_hdup(NULL, (url_t *)URL_STRING_MAKE(reg)->us_url) : NULL;
	if (url && url->url_host)
		host = su_strdup(NULL, url->url_host);
	su_free(NULL, url);
	su_free(NULL, reg);
	return host;
}

static void cancel_retry(struct lc_line *l)
{
	if (l->retry_timer)
		su_timer_reset(l->retry_timer);
	l->retry_at = 0;
}

/*
 * A handle speaking for port @l: From is the port's address of record
 * (with its display name), To is @to, or the same address of record.
 */
nua_handle_t *lc_reg_handle(struct lc_line *l, const char *to)
{
	struct lc_daemon *d = l->d;
	char *host = aor_host(d);
	nua_handle_t *nh = NULL;
	sip_from_t *from;
	char *aor;

	if (!host)
		return NULL;
	aor = su_sprintf(NULL, "sip:%s@%s", l->cfg->number, host);
	su_free(NULL, host);
	if (!aor)
		return NULL;
	from = sip_from_create(NULL, URL_STRING_MAKE(aor));
	if (from && l->cfg->display_name)
		from->a_display = su_sprintf(NULL, "\"%s\"", l->cfg->display_name);
	if (from)
		nh = nua_handle(d->nua, l, SIPTAG_TO_STR(to ? to : aor), SIPTAG_FROM(from),
				TAG_END());
	if (from)
		su_free(NULL, (void *)from->a_display);
	su_free(NULL, from);
	su_free(NULL, aor);
	return nh;
}

/* sip:@user@ + the domain of the addresses of record; su_free() it. */
char *lc_reg_uri(const struct lc_daemon *d, const char *user)
{
	char *host = aor_host(d), *uri;

	if (!host)
		return NULL;
	uri = su_sprintf(NULL, "sip:%s@%s", user, host);
	su_free(NULL, host);
	return uri;
}

static int create_handle(struct lc_line *l)
{
	l->nh = lc_reg_handle(l, NULL);
	return l->nh ? 0 : -ENOMEM;
}

void lc_reg_start(struct lc_line *l)
{
	struct lc_daemon *d = l->d;
	char expires[16], *reg;

	cancel_retry(l);
	if (d->stopping || !l->enabled || !l->cfg || !l->cfg->number || !d->cfg.sip.registrar)
		return;
	if (l->state == LC_REG_UNREGISTERING) {
		/* Register again once the un-REGISTER is answered. */
		l->reregister = true;
		return;
	}
	if (!l->nh && create_handle(l) < 0) {
		lc_err("port %u: out of memory", l->index);
		return;
	}
	reg = registrar_uri(d);
	snprintf(expires, sizeof(expires), "%u",
		 l->min_expires > d->cfg.sip.expires ? l->min_expires : d->cfg.sip.expires);
	/*
	 * One Call-ID per port for the daemon's life and a CSeq that only
	 * grows (RFC 3261 section 10.2): the NUA forgets both when a
	 * REGISTER fails, and a registrar must see a retry as the same
	 * registration, newer than the last.
	 */
	if (!l->call_id[0]) {
		snprintf(l->call_id, sizeof(l->call_id), "%08x%08x%08x-%u@linecard",
			 arc4random(), arc4random(), arc4random(), l->index);
		l->cseq = 1 + arc4random_uniform(1000);
	}
	l->challenges = 0;
	l->realm[0] = '\0';
	l->registers++;
	/* A failed port stays "failed", with its reason, until one succeeds. */
	if (l->state == LC_REG_UNREGISTERED)
		set_state(l, LC_REG_REGISTERING);
	lc_debug("port %u: REGISTER %s as %s", l->index, reg, l->cfg->number);
	nua_register(l->nh,
		     NUTAG_REGISTRAR(URL_STRING_MAKE(reg)),
		     NUTAG_M_USERNAME(l->cfg->number),
		     TAG_IF(l->cfg->display_name, NUTAG_M_DISPLAY(l->cfg->display_name)),
		     SIPTAG_EXPIRES_STR(expires),
		     SIPTAG_CALL_ID_STR(l->call_id),
		     SIPTAG_CSEQ(sip_cseq_create(l->d->home, l->cseq++, SIP_METHOD_REGISTER)),
		     TAG_END());
	su_free(NULL, reg);
}

static void destroy_handle(struct lc_line *l)
{
	if (l->nh) {
		nua_handle_bind(l->nh, NULL);
		nua_handle_destroy(l->nh);
		l->nh = NULL;
	}
}

void lc_reg_stop(struct lc_line *l)
{
	cancel_retry(l);
	l->reregister = false;
	if (!l->nh) {
		set_state(l, LC_REG_UNREGISTERED);
		return;
	}
	if (l->state == LC_REG_UNREGISTERING)
		return;
	/*
	 * Unregister whenever a REGISTER may have created a binding, even
	 * one whose answer is still on its way; a port that never had one
	 * just drops its handle.
	 */
	if (l->state == LC_REG_FAILED && !l->expires_at) {
		destroy_handle(l);
		set_state(l, LC_REG_UNREGISTERED);
		return;
	}
	l->challenges = 0;
	l->realm[0] = '\0';
	set_state(l, LC_REG_UNREGISTERING);
	lc_info("port %u: unregistering", l->index);
	nua_unregister(l->nh, TAG_END());
}

void lc_reg_restart(struct lc_line *l)
{
	lc_reg_stop(l);
	if (l->state == LC_REG_UNREGISTERING) {
		l->reregister = l->enabled;
		return;
	}
	destroy_handle(l);
	lc_reg_start(l);
}

static void retry_timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg)
{
	struct lc_line *l = arg;

	(void)d;
	(void)t;
	l->retry_at = 0;
	lc_info("port %u: retrying registration", l->index);
	lc_reg_start(l);
}

static void failed(struct lc_line *l, int status, const char *phrase, sip_t const *sip)
{
	unsigned int retry_after = 0;
	uint64_t now = lc_now_ms(), wait;

	/*
	 * 423 with a Min-Expires the NUA did not act on (it does only when
	 * it is above the Expires sent): ask for exactly that, at once,
	 * once.  A second 423 in a row is an ordinary failure.
	 */
	if (status == 423 && sip && sip->sip_min_expires && !l->min_expires_tried &&
	    sip->sip_min_expires->me_delta > 0 && sip->sip_min_expires->me_delta <= 86400) {
		l->min_expires = sip->sip_min_expires->me_delta;
		l->min_expires_tried = true;
		lc_info("port %u: 423 Interval Too Brief: asking for %u s", l->index,
			l->min_expires);
		lc_reg_start(l);
		return;
	}
	l->min_expires_tried = false;

	if (sip && sip->sip_retry_after)
		retry_after = sip->sip_retry_after->af_delta;
	wait = lc_backoff_next(&l->backoff, retry_after, arc4random());
	if (l->expires_at > now) {
		wait = lc_backoff_within(wait, l->expires_at - now);
		set_state(l, LC_REG_RETRYING);
	} else {
		l->expires_at = 0;
		set_state(l, LC_REG_FAILED);
	}
	l->last_status = status;
	snprintf(l->last_phrase, sizeof(l->last_phrase), "%s", phrase ? phrase : "");
	l->retry_at = now + wait;
	if (!l->retry_timer)
		l->retry_timer = su_timer_create(su_root_task(l->d->root), 0);
	if (l->retry_timer)
		su_timer_set_interval(l->retry_timer, retry_timer_cb, l, (su_duration_t)wait);
	lc_warn("port %u: registration failed: %d %s; %s, next attempt in %.1f s",
		l->index, status, l->last_phrase,
		l->state == LC_REG_RETRYING ? "binding still valid" : "not registered",
		wait / 1000.0);
}

/* The parameter @name ("realm=") of a challenge, or NULL. */
static const char *challenge_param(msg_auth_t const *au, const char *name)
{
	return au && au->au_params ? msg_params_find(au->au_params, name) : NULL;
}

/*
 * Answer a 401 / 407 on @nh with the port's credentials, unless this realm
 * was answered already in this attempt (@challenges, @realm) and the
 * server did not say the nonce was merely stale: then the credentials are
 * wrong.  Returns true when the request was re-sent.
 */
bool lc_reg_authenticate(struct lc_line *l, nua_handle_t *nh, int status, sip_t const *sip,
			 unsigned int *challenges, char *last_realm, size_t realmlen)
{
	msg_auth_t const *au = status == 401 ? sip->sip_www_authenticate :
			       sip->sip_proxy_authenticate;
	const struct lc_port_config *pc = l->cfg;
	const char *realm, *stale;
	char *cred;

	if (!au || !au->au_scheme || strcasecmp(au->au_scheme, "Digest"))
		return false;
	realm = challenge_param(au, "realm=");
	stale = challenge_param(au, "stale=");
	if (!realm || !pc || !pc->password)
		return false;
	if (*challenges && !strcmp(realm, last_realm) && !(stale && !strcasecmp(stale, "true")))
		return false;
	if (*challenges >= 4)
		return false;
	(*challenges)++;
	snprintf(last_realm, realmlen, "%s", realm);
	/* The realm keeps its quotes: "Digest:\"realm\":user:password". */
	cred = su_sprintf(NULL, "%s:%s%s%s:%s:%s", au->au_scheme, realm[0] == '"' ? "" : "\"",
			  realm, realm[0] == '"' ? "" : "\"",
			  pc->auth_user ? pc->auth_user : pc->number, pc->password);
	if (!cred)
		return false;
	nua_authenticate(nh, NUTAG_AUTH(cred), TAG_END());
	explicit_bzero(cred, strlen(cred));
	su_free(NULL, cred);
	return true;
}

/* The expiry granted to our contact: its expires parameter, else Expires. */
static unsigned int granted_expiry(const struct lc_line *l, sip_t const *sip)
{
	unsigned int requested = l->d->cfg.sip.expires, best = 0;
	sip_time_t now = sip_now();
	sip_contact_t const *m;

	for (m = sip->sip_contact; m; m = m->m_next) {
		sip_time_t e;

		if (!m->m_url->url_user || strcmp(m->m_url->url_user, l->cfg->number))
			continue;
		e = sip_contact_expires(m, sip->sip_expires, sip->sip_date, requested, now);
		if (e && (!best || e < best))
			best = e;
	}
	if (!best && sip->sip_expires)
		best = sip->sip_expires->ex_delta;
	if (!best && !sip->sip_contact)
		best = requested;
	return best;
}

static void registered(struct lc_line *l, int status, const char *phrase, sip_t const *sip)
{
	unsigned int g = granted_expiry(l, sip);
	uint64_t now = lc_now_ms();
	bool was = l->state == LC_REG_REGISTERED;

	if (!g) {
		failed(l, status, "200 without a binding for our contact", sip);
		return;
	}
	l->granted_s = g;
	l->expires_at = now + (uint64_t)g * 1000;
	/* Where sofia-sip puts the refresh (nua_dialog_usage_set_refresh). */
	if (g > 90 && g < 300) {
		l->refresh_lo = now + (uint64_t)(g - 60) * 1000;
		l->refresh_hi = now + (uint64_t)(g - 30) * 1000;
	} else {
		unsigned int lo = (g + 2) / 4 ? (g + 2) / 4 : 1;

		l->refresh_lo = now + (uint64_t)lo * 1000;
		l->refresh_hi = now + (uint64_t)(lo + (g + 1) / 2) * 1000;
	}
	l->last_status = status;
	snprintf(l->last_phrase, sizeof(l->last_phrase), "%s", phrase ? phrase : "");
	l->challenges = 0;
	l->realm[0] = '\0';
	l->min_expires_tried = false;
	lc_backoff_reset(&l->backoff);
	cancel_retry(l);
	if (!was)
		lc_notice("port %u: registered as %s, expires in %u s", l->index,
			  l->cfg->number, g);
	else
		lc_debug("port %u: refreshed, expires in %u s", l->index, g);
	set_state(l, LC_REG_REGISTERED);
}

static void unregistered(struct lc_line *l, int status, const char *phrase)
{
	lc_info("port %u: unregistered (%d %s)", l->index, status, phrase ? phrase : "");
	l->expires_at = 0;
	l->granted_s = 0;
	destroy_handle(l);
	set_state(l, LC_REG_UNREGISTERED);
	if (l->reregister && !l->d->stopping) {
		l->reregister = false;
		lc_reg_start(l);
	}
	lc_daemon_check_stopped(l->d);
}

void lc_reg_event(struct lc_line *l, nua_event_t event, int status, char const *phrase,
		  sip_t const *sip)
{
	lc_debug("port %u: %s %d %s", l->index, nua_event_name(event), status,
		 phrase ? phrase : "");
	if (!l->nh)
		return;
	/* Keep the next CSeq above every one the NUA used on its own. */
	if (sip && sip->sip_cseq && sip->sip_cseq->cs_seq >= l->cseq)
		l->cseq = sip->sip_cseq->cs_seq + 1;
	else if (!sip && status >= 300)
		l->cseq++;	/* a request may have reached the registrar */
	if (status < 200)
		return;
	if ((status == 401 || status == 407) && sip) {
		l->declined = status;
		if (lc_reg_authenticate(l, l->nh, status, sip, &l->challenges, l->realm,
						sizeof(l->realm)))
			return;
		/*
		 * Declined (wrong or no credentials): the NUA holds the
		 * request until it gets credentials.  Giving it none ends
		 * the request with a 9xx, reported as this challenge.
		 */
		nua_authenticate(l->nh, TAG_END());
		return;
	}
	if (status >= 900 && l->declined) {
		/* The request ended over credentials: report the challenge. */
		status = l->declined;
		phrase = l->challenges ? "authentication failed" : "no credentials for the challenge";
		sip = NULL;
		/*
		 * The handle's credential cache now holds a rejected
		 * password: a binding-less port starts over with a new one.
		 */
		if (!l->expires_at || l->expires_at <= lc_now_ms()) {
			l->declined = 0;
			if (event == nua_r_register) {
				destroy_handle(l);
				failed(l, status, phrase, NULL);
				return;
			}
		}
	}
	l->declined = 0;
	if (event == nua_r_unregister && l->state != LC_REG_UNREGISTERING) {
		/*
		 * Not ours: the NUA ends a registration whose refresh got a
		 * 5xx with an un-REGISTER of its own.  Whether the binding
		 * survived is what its answer says.
		 */
		if (status < 300) {
			lc_warn("port %u: the SIP stack unregistered after a failed refresh",
				l->index);
			l->expires_at = 0;
			if (l->state == LC_REG_RETRYING)
				set_state(l, LC_REG_FAILED);
		}
		return;
	}
	if (event == nua_r_unregister) {
		if (status >= 300)
			lc_warn("port %u: un-REGISTER answered %d %s", l->index, status,
				phrase ? phrase : "");
		unregistered(l, status, phrase);
		return;
	}
	/* nua_r_register */
	if (l->state == LC_REG_UNREGISTERING)
		return;
	if (status < 300 && sip)
		registered(l, status, phrase, sip);
	else
		failed(l, status, phrase, sip);
}

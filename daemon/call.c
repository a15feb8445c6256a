// SPDX-License-Identifier: GPL-2.0
/*
 * Call control of one analog line (FXS): what a subscriber hears and what
 * goes on the wire, from lifting the handset to hanging up.
 *
 *   idle --off hook--> dial tone --key--> dialing --digit map match--> INVITE
 *   INVITE --180--> ringback tone --200--> connected
 *          --183 + SDP--> early media --200--> connected
 *          --486/600--> busy tone        --other failure--> reorder tone
 *   connected --far end hangs up--> reorder tone --timer--> howler
 *   incoming INVITE --> 180, the phone rings --off hook--> 200 + SDP, connected
 *   on hook: CANCEL while calling, BYE while connected; idle.
 *
 * Media: the SDP offer / answer is made here (sdp.c); its result creates,
 * changes and deletes the port's kernel stream over netlink, so the audio
 * never passes through this process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/url.h>

#include "cid.h"
#include "daemon.h"
#include "log.h"
#include "sdp.h"
#include "tones.h"

/* Remote silence after which a connected call is hung up. */
#define LC_MEDIA_TIMEOUT_MS	30000

/* A port without a dial_plan: any digits, ended by '#' or the timer. */
#define DEFAULT_PLAN	"(x.T|x.#)"

static const char *const state_names[] = {
	[LC_CALL_IDLE] = "idle",
	[LC_CALL_NOSERVICE] = "no-service",
	[LC_CALL_DIALTONE] = "dialtone",
	[LC_CALL_DIALING] = "dialing",
	[LC_CALL_CALLING] = "calling",
	[LC_CALL_RINGBACK] = "ringback",
	[LC_CALL_EARLY] = "early-media",
	[LC_CALL_CONNECTED] = "connected",
	[LC_CALL_RINGING] = "ringing",
	[LC_CALL_BUSY] = "busy",
	[LC_CALL_REORDER] = "reorder",
	[LC_CALL_HOWLER] = "howler",
};

const char *lc_call_state_name(enum lc_call_state s)
{
	return (unsigned int)s < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[s] : "unknown";
}

/* The tone a state plays into the earpiece, -1 for none. */
int lc_call_tone(const struct lc_line *l)
{
	switch (l->cs) {
	case LC_CALL_NOSERVICE:
		return LC_TONE_NO_SERVICE;
	case LC_CALL_DIALTONE:
		return LC_TONE_DIAL;
	case LC_CALL_RINGBACK:
		return LC_TONE_RINGBACK;
	case LC_CALL_BUSY:
		return LC_TONE_BUSY;
	case LC_CALL_REORDER:
		return LC_TONE_REORDER;
	case LC_CALL_HOWLER:
		return LC_TONE_HOWLER;
	default:
		return -1;
	}
}

static void timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg);

static void set_timer(struct lc_line *l, unsigned int seconds)
{
	if (!l->call_timer)
		l->call_timer = su_timer_create(su_root_task(l->d->root), 0);
	if (l->call_timer)
		su_timer_set_interval(l->call_timer, timer_cb, l, (su_duration_t)seconds * 1000);
}

static void stop_timer(struct lc_line *l)
{
	if (l->call_timer)
		su_timer_reset(l->call_timer);
}

static void set_call_state(struct lc_line *l, enum lc_call_state s)
{
	if (l->cs != s)
		lc_debug("port %u: call %s -> %s", l->index, lc_call_state_name(l->cs),
			 lc_call_state_name(s));
	l->cs = s;
	lc_line_update_tone(l);
}

static void delete_stream(struct lc_line *l)
{
	int ret;

	if (!l->stream)
		return;
	ret = lc_stream_del(&l->d->kernel, l->stream_id);
	if (ret && ret != -ENOENT)
		lc_warn("port %u: stream %u: delete: %s", l->index, l->stream_id,
			strerror(-ret));
	l->stream = false;
}

static void drop_handle(struct lc_line *l)
{
	if (l->call_nh) {
		nua_handle_bind(l->call_nh, NULL);
		nua_handle_destroy(l->call_nh);
		l->call_nh = NULL;
	}
	free(l->offer);
	l->offer = NULL;
}

/* The call is over for the network; the line goes where @next says. */
static void end_call(struct lc_line *l, enum lc_call_state next)
{
	delete_stream(l);
	drop_handle(l);
	stop_timer(l);
	if (l->fd >= 0 && l->cs == LC_CALL_RINGING)
		lc_line_ring_stop(l->fd);
	l->incoming = false;
	l->connected_at = 0;
	if (l->hook != LINECARD_HOOK_OFF)
		next = LC_CALL_IDLE;
	set_call_state(l, next);
	if (next == LC_CALL_REORDER || next == LC_CALL_BUSY)
		set_timer(l, l->d->cfg.sip.offhook_warning);
}

int lc_call_load_plan(struct lc_line *l)
{
	struct lc_digitmap *dm = NULL;
	const char *plan = l->cfg && l->cfg->dial_plan ? l->cfg->dial_plan : DEFAULT_PLAN;
	char err[160];
	int ret;

	ret = lc_dm_compile(plan, &dm, err, sizeof(err));
	if (ret) {
		lc_err("port %u: dial_plan: %s", l->index, err);
		return ret;
	}
	lc_dm_free(l->dm);
	l->dm = dm;
	return 0;
}

/* --- addresses -------------------------------------------------------------- */

/*
 * The local address for media: local_address, else the address the
 * system would send from towards the registrar (or proxy).
 */
static int media_address(struct lc_daemon *d, struct sockaddr_storage *out)
{
	const struct lc_sip_config *s = &d->cfg.sip;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai = NULL;
	char host[256];
	const char *h, *end;
	socklen_t len = sizeof(*out);
	int fd, ret;

	memset(out, 0, sizeof(*out));
	if (s->local_address) {
		const char *a = s->local_address;
		char v6[64];

		if (a[0] == '[') {
			snprintf(v6, sizeof(v6), "%.*s", (int)strlen(a) - 2, a + 1);
			a = v6;
		}
		hints.ai_flags = AI_NUMERICHOST;
		if (getaddrinfo(a, "0", &hints, &ai))
			return -EINVAL;
		memcpy(out, ai->ai_addr, ai->ai_addrlen);
		freeaddrinfo(ai);
		return 0;
	}
	h = s->outbound_proxy ? s->outbound_proxy : s->registrar;
	if (!h)
		return -ENOENT;
	if (!strncasecmp(h, "sip:", 4))
		h += 4;
	else if (!strncasecmp(h, "sips:", 5))
		h += 5;
	if (h[0] == '[') {
		end = strchr(h, ']');
		snprintf(host, sizeof(host), "%.*s", end ? (int)(end - h - 1) : 0, h + 1);
	} else {
		snprintf(host, sizeof(host), "%.*s", (int)strcspn(h, ":;>"), h);
	}
	if (getaddrinfo(host, "5060", &hints, &ai))
		return -EHOSTUNREACH;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ret = fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) ||
	      getsockname(fd, (struct sockaddr *)out, &len) ? -errno : 0;
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	if (!ret)
		((struct sockaddr_in *)out)->sin_port = 0;	/* same place in v6 */
	return ret;
}

static void addr_string(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, buf, len);
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, buf, len);
}

static unsigned int addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ?
		     ((const struct sockaddr_in6 *)ss)->sin6_port :
		     ((const struct sockaddr_in *)ss)->sin_port);
}

/* --- media ------------------------------------------------------------------ */

static void prefs(struct lc_line *l, struct lc_sdp_prefs *p)
{
	memset(p, 0, sizeof(*p));
	lc_sdp_prefs_from_port(p, l->cfg);
	p->ptime = LC_SDP_PTIME_DEFAULT;
	p->dir = LC_SDP_SENDRECV;
	addr_string(&l->rtp_local, l->rtp_addr, sizeof(l->rtp_addr));
	p->addr = l->rtp_addr;
	p->port = addr_port(&l->rtp_local);
	if (!p->port)
		p->port = 9;	/* the discard port: a placeholder until the stream exists */
	p->sess_id = l->sess_id;
	p->sess_version = l->sdp_version;
}

static int kernel_dir(enum lc_sdp_dir dir)
{
	switch (dir) {
	case LC_SDP_SENDONLY:
		return LINECARD_DIR_SENDONLY;
	case LC_SDP_RECVONLY:
		return LINECARD_DIR_RECVONLY;
	case LC_SDP_INACTIVE:
		return LINECARD_DIR_INACTIVE;
	default:
		return LINECARD_DIR_SENDRECV;
	}
}

/*
 * The port's stream, created when needed (inactive, no remote: the offer
 * needs its local port first) and set to what @m says when given.
 */
static int apply_media(struct lc_line *l, const struct lc_media *m)
{
	struct lc_stream_req q = { .port = l->index, .pt = 0, .ptime = 20, .te_pt = -1,
				   .dir = LINECARD_DIR_INACTIVE };
	char err[128];
	int ret;

	if (l->stream && m) {
		/* Codec and ptime are fixed per stream: a change makes a new one. */
		if (l->media_valid && (lc_media_diff(&l->media, m) & LC_MEDIA_CHANGED_CODEC)) {
			delete_stream(l);
			return apply_media(l, m);
		}
		ret = lc_stream_set(&l->d->kernel, l->stream_id,
				    m->remote.ss_family ? &m->remote : NULL,
				    m->remote.ss_family ? kernel_dir(m->dir) : LINECARD_DIR_INACTIVE,
				    m->te_pt, err, sizeof(err));
		if (!ret) {
			l->media = *m;
			l->media_valid = true;
		}
		if (ret)
			lc_warn("port %u: stream %u: %s%s%s", l->index, l->stream_id,
				strerror(-ret), err[0] ? ": " : "", err);
		return ret;
	}
	if (l->stream)
		return 0;
	if (!l->rtp_local.ss_family) {
		ret = media_address(l->d, &l->rtp_local);
		if (ret) {
			lc_warn("port %u: no local address for media: %s", l->index,
				strerror(-ret));
			return ret;
		}
	}
	q.local = l->rtp_local;
	if (m) {
		q.remote = m->remote;
		q.codec = m->codec == LC_CODEC_PCMA ? LINECARD_CODEC_PCMA : LINECARD_CODEC_PCMU;
		q.pt = (int)m->pt;
		q.ptime = (int)m->ptime;
		q.te_pt = m->te_pt;
		/* A null address (RFC 2543 hold): nothing to send to. */
		q.dir = m->remote.ss_family ? kernel_dir(m->dir) : LINECARD_DIR_INACTIVE;
		q.timeout_ms = LC_MEDIA_TIMEOUT_MS;
		l->media = *m;
	} else {
		/*
		 * The offer's placeholder: PCMU, 20 ms, no peer yet.  An answer
		 * choosing another codec or ptime recreates the stream on the
		 * same local port (the one the offer named).
		 */
		memset(&l->media, 0, sizeof(l->media));
		l->media.codec = LC_CODEC_PCMU;
		l->media.pt = 0;
		l->media.ptime = 20;
		l->media.te_pt = -1;
		l->media.dir = LC_SDP_INACTIVE;
	}
	l->media_valid = true;
	ret = lc_stream_new(&l->d->kernel, &q, &l->stream_id, &l->rtp_local, err, sizeof(err));
	if (ret) {
		lc_warn("port %u: stream: %s%s%s", l->index, strerror(-ret), err[0] ? ": " : "",
			err);
		return ret;
	}
	l->stream = true;
	lc_debug("port %u: stream %u on port %u", l->index, l->stream_id,
		 addr_port(&l->rtp_local));
	return 0;
}

/* A new o= line for a new call (RFC 4566: sess-id unique, version grows). */
static void new_session(struct lc_line *l)
{
	l->sess_id = ((uint64_t)arc4random() << 20) ^ arc4random();
	l->sdp_version = 1;
	l->media_valid = false;
}

/* --- outgoing --------------------------------------------------------------- */

static void place_call(struct lc_line *l, const char *number)
{
	struct lc_daemon *d = l->d;
	struct lc_sdp_prefs p;
	char sdp[LC_SDP_OUT_MAX], err[160], *to;
	int ret;

	snprintf(l->peer, sizeof(l->peer), "%s", number);
	lc_notice("port %u: calling %s", l->index, number);
	set_call_state(l, LC_CALL_CALLING);
	l->rtp_local.ss_family = 0;
	new_session(l);
	/* The offer needs the stream's local port: an inactive stream first. */
	if (apply_media(l, NULL)) {
		end_call(l, LC_CALL_REORDER);
		return;
	}
	prefs(l, &p);
	ret = lc_sdp_offer(&p, sdp, sizeof(sdp), err, sizeof(err));
	if (ret < 0) {
		lc_err("port %u: SDP offer: %s", l->index, err);
		end_call(l, LC_CALL_REORDER);
		return;
	}
	to = lc_reg_uri(d, number);
	l->call_nh = to ? lc_reg_handle(l, to) : NULL;
	su_free(NULL, to);
	if (!l->call_nh) {
		end_call(l, LC_CALL_REORDER);
		return;
	}
	l->call_challenges = 0;
	l->call_realm[0] = '\0';
	l->incoming = false;
	nua_invite(l->call_nh,
		   NUTAG_M_USERNAME(l->cfg->number),
		   SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		   SIPTAG_PAYLOAD_STR(sdp),
		   TAG_END());
	set_timer(l, d->cfg.sip.no_answer_timeout);
}

static void dial_result(struct lc_line *l, const struct lc_dm_result *r)
{
	switch (r->verdict) {
	case LC_DM_NEED_MORE:
		set_timer(l, r->timer == LC_DM_TIMER_SHORT ? l->d->cfg.sip.interdigit_short :
			  l->d->cfg.sip.interdigit_long);
		break;
	case LC_DM_MATCH:
		stop_timer(l);
		place_call(l, r->number);
		break;
	case LC_DM_NO_MATCH:
	case LC_DM_BARRED:
		lc_info("port %u: dialled %s: %s", l->index, l->dial.keys,
			lc_dm_verdict_name(r->verdict));
		end_call(l, LC_CALL_REORDER);
		break;
	}
}

void lc_call_offhook(struct lc_line *l)
{
	enum lc_reg_state s = lc_reg_state_now(l, lc_now_ms());
	struct lc_dm_result r;

	if (l->cs == LC_CALL_RINGING) {
		/* Answer. */
		struct lc_sdp_prefs p;
		struct lc_media m;
		char answer[LC_SDP_OUT_MAX], err[160] = "";
		int ret;

		stop_timer(l);
		memset(&l->rtp_local, 0, sizeof(l->rtp_local));
		if (!l->offer || media_address(l->d, &l->rtp_local)) {
			nua_respond(l->call_nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
			end_call(l, LC_CALL_REORDER);
			return;
		}
		/* The stream first: the answer carries its port. */
		new_session(l);
		prefs(l, &p);
		ret = lc_sdp_answer(&p, l->offer, strlen(l->offer), answer, sizeof(answer), &m,
				    err, sizeof(err));
		if (ret == 0)
			ret = apply_media(l, &m);
		if (ret == 0) {
			prefs(l, &p);
			ret = lc_sdp_answer(&p, l->offer, strlen(l->offer), answer,
					    sizeof(answer), &m, err, sizeof(err));
		}
		if (ret) {
			lc_warn("port %u: cannot answer: %s", l->index, err[0] ? err : strerror(-ret));
			nua_respond(l->call_nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
			end_call(l, LC_CALL_REORDER);
			return;
		}
		if (l->fd >= 0)
			lc_line_ring_stop(l->fd);
		nua_respond(l->call_nh, SIP_200_OK,
			    NUTAG_M_USERNAME(l->cfg->number),
			    SIPTAG_CONTENT_TYPE_STR("application/sdp"),
			    SIPTAG_PAYLOAD_STR(answer),
			    TAG_END());
		free(l->offer);
		l->offer = NULL;
		l->connected_at = lc_now_ms();
		lc_notice("port %u: answered the call from %s", l->index, l->peer);
		set_call_state(l, LC_CALL_CONNECTED);
		return;
	}
	if (l->cs != LC_CALL_IDLE)
		return;
	if (s != LC_REG_REGISTERED && s != LC_REG_RETRYING) {
		set_call_state(l, LC_CALL_NOSERVICE);
		return;
	}
	if (!l->dm && lc_call_load_plan(l)) {
		set_call_state(l, LC_CALL_REORDER);
		return;
	}
	set_call_state(l, LC_CALL_DIALTONE);
	lc_dm_start(&l->dial, l->dm, &r);
	if (r.verdict == LC_DM_MATCH) {
		place_call(l, r.number);	/* hotline */
		return;
	}
	/* A warm line's own timer, else the first-digit timer. */
	set_timer(l, r.alt >= 0 ? l->d->cfg.sip.interdigit_long :
		  l->d->cfg.sip.first_digit_timeout);
}

void lc_call_digit(struct lc_line *l, char key)
{
	struct lc_dm_result r;

	switch (l->cs) {
	case LC_CALL_DIALTONE:
		set_call_state(l, LC_CALL_DIALING);
		/* fall through */
	case LC_CALL_DIALING:
		if (lc_dm_digit(&l->dial, key, &r) == 0)
			dial_result(l, &r);
		break;
	default:
		/* In a call, DTMF travels in the stream (RFC 4733 or in band). */
		break;
	}
}

void lc_call_onhook(struct lc_line *l)
{
	switch (l->cs) {
	case LC_CALL_CALLING:
	case LC_CALL_RINGBACK:
	case LC_CALL_EARLY:
		lc_info("port %u: hung up while calling: CANCEL", l->index);
		if (l->call_nh) {
			/* The handle goes once the INVITE is answered (487). */
			nua_cancel(l->call_nh, TAG_END());
			nua_handle_bind(l->call_nh, NULL);
			l->call_nh = NULL;
		}
		end_call(l, LC_CALL_IDLE);
		break;
	case LC_CALL_CONNECTED:
		lc_notice("port %u: hung up: BYE", l->index);
		if (l->call_nh) {
			nua_bye(l->call_nh, TAG_END());
			nua_handle_bind(l->call_nh, NULL);
			l->call_nh = NULL;	/* destroyed when the BYE is answered */
		}
		end_call(l, LC_CALL_IDLE);
		break;
	case LC_CALL_RINGING:
		break;
	default:
		end_call(l, LC_CALL_IDLE);
		break;
	}
}

/* Hang up whatever is going on (port disabled, daemon stopping). */
void lc_call_reset(struct lc_line *l)
{
	if (l->call_nh) {
		if (l->cs == LC_CALL_CONNECTED)
			nua_bye(l->call_nh, TAG_END());
		else if (l->incoming && l->cs == LC_CALL_RINGING)
			nua_respond(l->call_nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
		else
			nua_cancel(l->call_nh, TAG_END());
		nua_handle_bind(l->call_nh, NULL);
		l->call_nh = NULL;
	}
	end_call(l, LC_CALL_IDLE);
	lc_dm_free(l->dm);
	l->dm = NULL;
	if (l->call_timer) {
		su_timer_destroy(l->call_timer);
		l->call_timer = NULL;
	}
}

static void timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg)
{
	struct lc_line *l = arg;
	struct lc_dm_result r;

	(void)d;
	(void)t;
	switch (l->cs) {
	case LC_CALL_DIALTONE:
		if (l->dial.len == 0 && lc_dm_timeout(&l->dial, &r) == 0 &&
		    r.verdict == LC_DM_MATCH) {
			place_call(l, r.number);	/* warm line */
			break;
		}
		lc_info("port %u: no digit dialled", l->index);
		end_call(l, LC_CALL_REORDER);
		break;
	case LC_CALL_DIALING:
		if (lc_dm_timeout(&l->dial, &r) == 0)
			dial_result(l, &r);
		break;
	case LC_CALL_CALLING:
	case LC_CALL_RINGBACK:
	case LC_CALL_EARLY:
		lc_info("port %u: no answer", l->index);
		if (l->call_nh) {
			nua_cancel(l->call_nh, TAG_END());
			nua_handle_bind(l->call_nh, NULL);
			l->call_nh = NULL;
		}
		end_call(l, LC_CALL_REORDER);
		break;
	case LC_CALL_RINGING:
		lc_info("port %u: not answered", l->index);
		nua_respond(l->call_nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
		end_call(l, LC_CALL_IDLE);
		break;
	case LC_CALL_REORDER:
	case LC_CALL_BUSY:
		set_call_state(l, LC_CALL_HOWLER);
		break;
	default:
		break;
	}
}

/* --- SIP events on a call handle ------------------------------------------- */

static void remote_sdp(struct lc_line *l, sip_t const *sip)
{
	struct lc_sdp_prefs p;
	struct lc_media m;
	char err[160];

	if (!sip || !sip->sip_payload || !sip->sip_payload->pl_data)
		return;
	prefs(l, &p);
	if (lc_sdp_parse_answer(&p, sip->sip_payload->pl_data, sip->sip_payload->pl_len, &m,
				err, sizeof(err))) {
		lc_warn("port %u: unusable SDP answer: %s", l->index, err);
		return;
	}
	apply_media(l, &m);
}

static void reinvite(struct lc_line *l, nua_handle_t *nh, sip_t const *sip)
{
	struct lc_sdp_prefs p;
	struct lc_media m;
	char answer[LC_SDP_OUT_MAX], err[160];

	if (!sip->sip_payload || !sip->sip_payload->pl_data) {
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
		return;
	}
	prefs(l, &p);
	if (lc_sdp_answer(&p, sip->sip_payload->pl_data, sip->sip_payload->pl_len, answer,
			  sizeof(answer), &m, err, sizeof(err))) {
		lc_warn("port %u: re-INVITE: %s", l->index, err);
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
		return;
	}
	if (l->media_valid && lc_media_diff(&l->media, &m)) {
		/* What we send changes: a new version of our description. */
		l->sdp_version++;
		prefs(l, &p);
		lc_sdp_answer(&p, sip->sip_payload->pl_data, sip->sip_payload->pl_len, answer,
			      sizeof(answer), &m, err, sizeof(err));
	}
	apply_media(l, &m);
	lc_info("port %u: re-INVITE: %s", l->index, m.dir == LC_SDP_SENDRECV ? "resumed" :
		"on hold");
	nua_respond(nh, SIP_200_OK, NUTAG_M_USERNAME(l->cfg->number),
		    SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(answer),
		    TAG_END());
}

void lc_call_event(struct lc_line *l, nua_event_t event, int status, char const *phrase,
		   nua_handle_t *nh, sip_t const *sip, tagi_t tags[])
{
	(void)tags;
	if (nh != l->call_nh)
		return;
	switch (event) {
	case nua_r_invite:
		if (status < 200) {
			if (status == 180 && l->cs == LC_CALL_CALLING)
				set_call_state(l, LC_CALL_RINGBACK);
			if (status == 183 && sip && sip->sip_payload) {
				remote_sdp(l, sip);
				set_call_state(l, LC_CALL_EARLY);
			}
			break;
		}
		if ((status == 401 || status == 407) && sip &&
		    lc_reg_authenticate(l, nh, status, sip, &l->call_challenges, l->call_realm,
					sizeof(l->call_realm)))
			break;
		if (status < 300) {
			stop_timer(l);
			remote_sdp(l, sip);
			l->connected_at = lc_now_ms();
			lc_notice("port %u: %s answered", l->index, l->peer);
			set_call_state(l, LC_CALL_CONNECTED);
			break;
		}
		lc_notice("port %u: call to %s failed: %d %s", l->index, l->peer, status,
			  phrase ? phrase : "");
		end_call(l, status == 486 || status == 600 ? LC_CALL_BUSY : LC_CALL_REORDER);
		break;
	case nua_i_invite:
		/* A re-INVITE on our dialog. */
		reinvite(l, nh, sip);
		break;
	case nua_i_cancel:
		lc_info("port %u: the caller gave up", l->index);
		end_call(l, LC_CALL_IDLE);
		break;
	case nua_i_bye:
		lc_notice("port %u: %s hung up", l->index, l->peer);
		end_call(l, LC_CALL_REORDER);
		break;
	case nua_i_state:
		/* Terminated without BYE or CANCEL (e.g. a failed ACK). */
		if (l->cs == LC_CALL_CONNECTED && status >= 300) {
			lc_notice("port %u: call ended: %d %s", l->index, status, phrase);
			end_call(l, LC_CALL_REORDER);
		}
		break;
	default:
		break;
	}
}

/* --- incoming --------------------------------------------------------------- */

/*
 * Ring with caller ID: who calls (P-Asserted-Identity, else From), unless
 * the caller asked for privacy (Privacy: id, header or user) or is
 * anonymous.  Falls back to a plain ring when the line cannot send it.
 */
static void ring(struct lc_line *l, sip_t const *sip)
{
	struct lc_daemon *d = l->d;
	sip_p_asserted_identity_t const *paid = sip_p_asserted_identity(sip);
	sip_privacy_t const *priv = sip_privacy(sip);
	struct linecard_ring cadence;
	const char *user = NULL, *display = NULL;
	uint8_t msg[LC_CID_MSG_MAX];
	bool private = false;
	struct lc_cid cid;
	struct tm tm;
	time_t now = time(NULL);
	int len, ret, i;

	lc_ring_get(d->cfg.sip.country, &cadence);
	if (d->cfg.sip.caller_id == LC_CID_STD_OFF) {
		ret = lc_line_ring(l->fd, &cadence);
		goto out;
	}
	if (paid) {
		user = paid->paid_url->url_user;
		display = paid->paid_display;
	} else if (sip->sip_from) {
		user = sip->sip_from->a_url->url_user;
		display = sip->sip_from->a_display;
	}
	for (i = 0; priv && priv->priv_values && priv->priv_values[i]; i++)
		if (!strcasecmp(priv->priv_values[i], "id") ||
		    !strcasecmp(priv->priv_values[i], "header") ||
		    !strcasecmp(priv->priv_values[i], "user"))
			private = true;
	localtime_r(&now, &tm);
	lc_cid_from(&cid, user, display, private, &tm);
	len = lc_cid_mdmf(&cid, msg, sizeof(msg));
	ret = len < 0 ? len :
	      lc_line_ring_cid(l->fd, &cadence, d->cfg.sip.caller_id == LC_CID_STD_V23 ?
			       LINECARD_CID_V23 : LINECARD_CID_BELL202, msg, (size_t)len);
	if (ret) {
		lc_warn("port %u: caller ID: %s; ringing without it", l->index, strerror(-ret));
		ret = lc_line_ring(l->fd, &cadence);
	} else {
		lc_debug("port %u: caller ID %s %s", l->index,
			 cid.number_absent ? "(withheld)" : cid.number, cid.name);
	}
out:
	if (ret)
		lc_warn("port %u: cannot ring: %s", l->index, strerror(-ret));
}

static struct lc_line *line_for(struct lc_daemon *d, const char *user)
{
	unsigned int i;

	for (i = 0; user && i < LC_CONFIG_MAX_PORTS; i++) {
		struct lc_line *l = &d->lines[i];

		if (l->enabled && l->cfg && l->cfg->number && !strcmp(l->cfg->number, user))
			return l;
	}
	return NULL;
}

void lc_call_incoming(struct lc_daemon *d, nua_handle_t *nh, sip_t const *sip)
{
	const char *user = sip && sip->sip_request ? sip->sip_request->rq_url->url_user : NULL;
	struct lc_line *l = line_for(d, user);
	struct lc_sdp_prefs p;
	struct lc_media m;
	char answer[LC_SDP_OUT_MAX], err[160];
	const char *from;

	if (!l) {
		lc_info("INVITE for unknown user %s", user ? user : "(none)");
		nua_respond(nh, SIP_404_NOT_FOUND, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	if (l->cs != LC_CALL_IDLE || l->hook != LINECARD_HOOK_ON || l->fd < 0) {
		lc_info("port %u: busy: 486 to an incoming call", l->index);
		nua_respond(nh, SIP_486_BUSY_HERE, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	if (!sip->sip_payload || !sip->sip_payload->pl_data) {
		/* An offer in the ACK is not supported: ask for one now. */
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	/* Check that the offer is usable before ringing the phone. */
	memset(&l->rtp_local, 0, sizeof(l->rtp_local));
	if (media_address(d, &l->rtp_local)) {
		nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	new_session(l);
	prefs(l, &p);
	if (lc_sdp_answer(&p, sip->sip_payload->pl_data, sip->sip_payload->pl_len, answer,
			  sizeof(answer), &m, err, sizeof(err))) {
		lc_info("port %u: 488 to an offer: %s", l->index, err);
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	l->offer = strndup(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
	if (!l->offer) {
		nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	from = sip->sip_from && sip->sip_from->a_url->url_user ?
	       sip->sip_from->a_url->url_user : "anonymous";
	snprintf(l->peer, sizeof(l->peer), "%s", from);
	l->call_nh = nh;
	nua_handle_bind(nh, l);
	l->incoming = true;
	lc_notice("port %u: incoming call from %s", l->index, l->peer);
	nua_respond(nh, SIP_180_RINGING, TAG_END());
	ring(l, sip);
	set_call_state(l, LC_CALL_RINGING);
	set_timer(l, d->cfg.sip.no_answer_timeout);
}

void lc_call_stream_timeout(struct lc_daemon *d, unsigned int stream_id)
{
	unsigned int i;

	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		struct lc_line *l = &d->lines[i];

		if (l->stream && l->stream_id == stream_id && l->cs == LC_CALL_CONNECTED) {
			lc_notice("port %u: no media from %s: hanging up", l->index, l->peer);
			if (l->call_nh) {
				nua_bye(l->call_nh, TAG_END());
				nua_handle_bind(l->call_nh, NULL);
				l->call_nh = NULL;
			}
			end_call(l, LC_CALL_REORDER);
		}
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Call control of one analog line (FXS): callsm.c decides, this file
 * carries its decisions out.  Events come from the port (hook, keys),
 * the call timer and sofia-sip (responses, CANCEL, BYE, re-INVITE); each
 * goes through lc_csm_step(), and the actions it returns become SIP
 * requests and responses, ringing, and the port's kernel stream.
 *
 * Media: the SDP offer / answer is made here (sdp.c); its result creates,
 * changes and deletes the port's kernel stream over netlink, so the audio
 * never passes through this process.  A re-INVITE changes the stream
 * (hold, resume, a new remote address) without changing the call state.
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

/* A port without a dial_plan: any digits, ended by '#' or the timer. */
#define DEFAULT_PLAN	"(x.T|x.#)"

static void timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg);

static void set_timer(struct lc_line *l, unsigned int seconds)
{
	if (!seconds) {
		if (l->call_timer)
			su_timer_reset(l->call_timer);
		return;
	}
	if (!l->call_timer)
		l->call_timer = su_timer_create(su_root_task(l->d->root), 0);
	if (l->call_timer)
		su_timer_set_interval(l->call_timer, timer_cb, l, (su_duration_t)seconds * 1000);
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

/* Forget the dialog; sofia-sip finishes whatever is still in flight. */
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

/* Let go of the handle without destroying it: a CANCEL or BYE is on its way. */
static void let_go(struct lc_line *l)
{
	nua_handle_bind(l->call_nh, NULL);
	l->call_nh = NULL;
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
 * The stream's silence timeout for @m, ms: media_timeout while the far end
 * should send, none while it holds the call (RFC 3264 s. 8.4: sendonly
 * from us, inactive) or has no address.
 */
static int media_timeout(const struct lc_line *l, const struct lc_media *m)
{
	if (!m || !m->remote.ss_family)
		return 0;
	if (m->dir != LC_SDP_SENDRECV && m->dir != LC_SDP_RECVONLY)
		return 0;
	return (int)l->d->cfg.sip.media_timeout * 1000;
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
		/*
		 * Codec and ptime are fixed per stream, and telephone-events
		 * cannot be taken away from one: such a change makes a new one.
		 */
		if (l->media_valid && ((lc_media_diff(&l->media, m) & LC_MEDIA_CHANGED_CODEC) ||
				       (l->media.te_pt >= 0 && m->te_pt < 0))) {
			delete_stream(l);
			return apply_media(l, m);
		}
		ret = lc_stream_set(&l->d->kernel, l->stream_id,
				    m->remote.ss_family ? &m->remote : NULL,
				    m->remote.ss_family ? kernel_dir(m->dir) : LINECARD_DIR_INACTIVE,
				    m->te_pt, media_timeout(l, m), err, sizeof(err));
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
		q.timeout_ms = media_timeout(l, m);
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

/* --- actions ---------------------------------------------------------------- */

/* Stream, offer, INVITE to @number.  -1 when the call cannot be placed. */
static int do_invite(struct lc_line *l, const char *number)
{
	struct lc_daemon *d = l->d;
	struct lc_sdp_prefs p;
	char sdp[LC_SDP_OUT_MAX], err[160], *to;
	int ret;

	snprintf(l->peer, sizeof(l->peer), "%s", number);
	lc_notice("port %u: calling %s", l->index, number);
	l->rtp_local.ss_family = 0;
	new_session(l);
	/* The offer needs the stream's local port: an inactive stream first. */
	if (apply_media(l, NULL))
		return -1;
	prefs(l, &p);
	ret = lc_sdp_offer(&p, sdp, sizeof(sdp), err, sizeof(err));
	if (ret < 0) {
		lc_err("port %u: SDP offer: %s", l->index, err);
		return -1;
	}
	to = lc_reg_uri(d, number);
	l->call_nh = to ? lc_reg_handle(l, to) : NULL;
	su_free(NULL, to);
	if (!l->call_nh)
		return -1;
	l->call_challenges = 0;
	l->call_realm[0] = '\0';
	nua_invite(l->call_nh,
		   NUTAG_M_USERNAME(l->cfg->number),
		   SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		   SIPTAG_PAYLOAD_STR(sdp),
		   TAG_END());
	return 0;
}

/*
 * An INVITE without SDP (a delayed offer, RFC 3261 s. 13.2.1): the 200
 * carries our offer, from a stream not yet sending, and the far end's
 * answer comes in its ACK.
 */
static int answer_with_offer(struct lc_line *l)
{
	struct lc_sdp_prefs p;
	char sdp[LC_SDP_OUT_MAX], err[160];

	memset(&l->rtp_local, 0, sizeof(l->rtp_local));
	new_session(l);
	if (apply_media(l, NULL))
		return -1;
	prefs(l, &p);
	if (lc_sdp_offer(&p, sdp, sizeof(sdp), err, sizeof(err)) < 0) {
		lc_err("port %u: SDP offer: %s", l->index, err);
		return -1;
	}
	nua_respond(l->call_nh, SIP_200_OK,
		    NUTAG_M_USERNAME(l->cfg->number),
		    SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		    SIPTAG_PAYLOAD_STR(sdp),
		    TAG_END());
	l->answer_in_ack = true;
	lc_notice("port %u: answered the call from %s (our offer in the 200)", l->index,
		  l->peer);
	return 0;
}

/* The stream first (the answer carries its port), then 200 with the answer. */
static int do_answer(struct lc_line *l)
{
	struct lc_sdp_prefs p;
	struct lc_media m;
	char answer[LC_SDP_OUT_MAX], err[160] = "";
	int ret;

	if (l->call_nh && !l->offer)
		return answer_with_offer(l);
	memset(&l->rtp_local, 0, sizeof(l->rtp_local));
	if (!l->offer || !l->call_nh || media_address(l->d, &l->rtp_local))
		return -1;
	new_session(l);
	prefs(l, &p);
	ret = lc_sdp_answer(&p, l->offer, strlen(l->offer), answer, sizeof(answer), &m,
			    err, sizeof(err));
	if (ret == 0)
		ret = apply_media(l, &m);
	if (ret == 0) {
		prefs(l, &p);
		ret = lc_sdp_answer(&p, l->offer, strlen(l->offer), answer, sizeof(answer), &m,
				    err, sizeof(err));
	}
	if (ret) {
		lc_warn("port %u: cannot answer: %s", l->index, err[0] ? err : strerror(-ret));
		return -1;
	}
	nua_respond(l->call_nh, SIP_200_OK,
		    NUTAG_M_USERNAME(l->cfg->number),
		    SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		    SIPTAG_PAYLOAD_STR(answer),
		    TAG_END());
	free(l->offer);
	l->offer = NULL;
	lc_notice("port %u: answered the call from %s", l->index, l->peer);
	return 0;
}

/* The SDP of an 18x or 2xx to our offer: the stream follows it.  0 or -errno. */
static int remote_sdp(struct lc_line *l, sip_t const *sip)
{
	struct lc_sdp_prefs p;
	struct lc_media m;
	char err[160];
	int ret;

	if (!sip || !sip->sip_payload || !sip->sip_payload->pl_data) {
		/* A 200 after early media need not repeat the SDP: re-arm the timeout. */
		if (l->stream && l->media_valid && l->media.remote.ss_family)
			return apply_media(l, &l->media);
		/* No answer at all: nothing to talk over. */
		return l->media_valid && l->media.remote.ss_family ? 0 : -EPROTO;
	}
	prefs(l, &p);
	ret = lc_sdp_parse_answer(&p, sip->sip_payload->pl_data, sip->sip_payload->pl_len, &m,
				  err, sizeof(err));
	if (ret) {
		lc_warn("port %u: unusable SDP answer: %s", l->index, err);
		return ret < 0 ? ret : -EPROTO;
	}
	return apply_media(l, &m);
}

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

/*
 * A hook flash in a call: RFC 4733 event 16 in the stream when the far end
 * takes telephone-events, else a SIP INFO (application/dtmf-relay,
 * "Signal=!", which PBXs read as a flash).
 */
static void send_flash(struct lc_line *l)
{
	int ret;

	if (l->stream && l->media_valid && l->media.te_pt >= 0) {
		ret = lc_stream_send_event(&l->d->kernel, l->stream_id, 16);
		if (!ret) {
			lc_info("port %u: hook flash sent as telephone-event", l->index);
			return;
		}
		lc_warn("port %u: hook flash: %s", l->index, strerror(-ret));
	}
	if (!l->call_nh)
		return;
	lc_info("port %u: hook flash sent in an INFO", l->index);
	nua_info(l->call_nh, SIPTAG_CONTENT_TYPE_STR("application/dtmf-relay"),
		 SIPTAG_PAYLOAD_STR("Signal=!\r\nDuration=300\r\n"), TAG_END());
}

/* --- the machine's actions carried out ------------------------------------- */

/*
 * What an event is about: @nh the handle it came on (an incoming INVITE's
 * before the line takes it), @sip the message.
 */
struct call_ctx {
	nua_handle_t *nh;
	sip_t const *sip;
	char *offer;		/* an incoming INVITE's SDP, for ACCEPT */
	bool accepted;
};

static int do_action(struct lc_line *l, const struct lc_csm_action *a,
		     const struct lc_csm_out *o, struct call_ctx *c)
{
	nua_handle_t *nh = c->nh ? c->nh : l->call_nh;
	const char *from;

	switch (a->type) {
	case LC_ACT_TIMER:
		set_timer(l, a->arg);
		break;
	case LC_ACT_INVITE:
		return do_invite(l, o->number);
	case LC_ACT_CANCEL:
		if (l->call_nh) {
			lc_info("port %u: CANCEL the call to %s", l->index, l->peer);
			nua_cancel(l->call_nh, TAG_END());
			let_go(l);	/* destroyed by nua_callback at its next final event */
		}
		break;
	case LC_ACT_BYE:
		if (l->call_nh) {
			lc_notice("port %u: BYE to %s", l->index, l->peer);
			nua_bye(l->call_nh, TAG_END());
			let_go(l);	/* it goes once the BYE is answered */
		}
		break;
	case LC_ACT_ACCEPT:
		from = c->sip && c->sip->sip_from && c->sip->sip_from->a_url->url_user ?
		       c->sip->sip_from->a_url->url_user : "anonymous";
		snprintf(l->peer, sizeof(l->peer), "%s", from);
		free(l->offer);
		l->offer = c->offer;
		c->offer = NULL;
		l->call_nh = c->nh;
		nua_handle_bind(c->nh, l);
		c->accepted = true;
		lc_notice("port %u: incoming call from %s", l->index, l->peer);
		break;
	case LC_ACT_RESPOND:
		if (nh)
			nua_respond(nh, (int)a->arg, sip_status_phrase((int)a->arg), TAG_END());
		break;
	case LC_ACT_RING:
		if (l->fd >= 0 && c->sip)
			ring(l, c->sip);
		break;
	case LC_ACT_RING_STOP:
		if (l->fd >= 0)
			lc_line_ring_stop(l->fd);
		break;
	case LC_ACT_ANSWER:
		return do_answer(l);
	case LC_ACT_MEDIA:
		/* Early media that cannot be used leaves the ringing call be. */
		if (remote_sdp(l, c->sip) && l->csm.state == LC_CALL_CONNECTED)
			return -1;
		break;
	case LC_ACT_FLASH:
		send_flash(l);
		break;
	case LC_ACT_RELEASE:
		delete_stream(l);
		drop_handle(l);
		l->connected_at = 0;
		l->answer_in_ack = false;
		break;
	}
	return 0;
}

static void run(struct lc_line *l, const struct lc_csm_event *ev, struct call_ctx *c)
{
	const struct lc_sip_config *s = &l->d->cfg.sip;
	enum lc_call_state before = l->csm.state;
	struct lc_csm_out o;
	bool failed = false;
	unsigned int i;

	l->csm.dm = l->dm;
	l->csm.timers = (struct lc_csm_timers){
		.first_digit = s->first_digit_timeout,
		.interdigit_short = s->interdigit_short,
		.interdigit_long = s->interdigit_long,
		.no_answer = s->no_answer_timeout,
		.offhook_warning = s->offhook_warning,
	};
	lc_csm_step(&l->csm, ev, &o);
	if (o.why)
		lc_info("port %u: %s", l->index, o.why);
	for (i = 0; i < o.n && !failed; i++)
		failed = do_action(l, &o.a[i], &o, c) != 0;
	if (l->csm.state != before) {
		lc_debug("port %u: call %s -> %s", l->index, lc_call_state_name(before),
			 lc_call_state_name(l->csm.state));
		if (l->csm.state == LC_CALL_CONNECTED)
			l->connected_at = lc_now_ms();
		lc_line_update_tone(l);
	}
	if (failed) {
		struct lc_csm_event f = { .type = LC_EV_FAILED };

		run(l, &f, c);
	}
}

static void run_event(struct lc_line *l, enum lc_csm_event_type type)
{
	struct lc_csm_event ev = { .type = type };
	struct call_ctx c = { 0 };

	run(l, &ev, &c);
}

/* --- the line ----------------------------------------------------------- */

void lc_call_offhook(struct lc_line *l)
{
	enum lc_reg_state s = lc_reg_state_now(l, lc_now_ms());
	struct lc_csm_event ev = { .type = LC_EV_OFFHOOK };
	struct call_ctx c = { 0 };

	ev.service = s == LC_REG_REGISTERED || s == LC_REG_RETRYING;
	if (!l->dm)
		lc_call_load_plan(l);
	run(l, &ev, &c);
}

void lc_call_flash(struct lc_line *l)
{
	run_event(l, LC_EV_FLASH);
}

void lc_call_onhook(struct lc_line *l)
{
	run_event(l, LC_EV_ONHOOK);
}

void lc_call_digit(struct lc_line *l, char key)
{
	struct lc_csm_event ev = { .type = LC_EV_KEY, .key = key };
	struct call_ctx c = { 0 };

	run(l, &ev, &c);
}

/* Hang up whatever is going on (port disabled, daemon stopping). */
void lc_call_reset(struct lc_line *l)
{
	run_event(l, LC_EV_RESET);
	lc_dm_free(l->dm);
	l->dm = NULL;
	l->csm.dm = NULL;
	if (l->call_timer) {
		su_timer_destroy(l->call_timer);
		l->call_timer = NULL;
	}
}

static void timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg)
{
	(void)d;
	(void)t;
	run_event(arg, LC_EV_TIMEOUT);
}

void lc_call_stream_timeout(struct lc_daemon *d, unsigned int stream_id)
{
	unsigned int i;

	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		struct lc_line *l = &d->lines[i];

		if (l->stream && l->stream_id == stream_id)
			run_event(l, LC_EV_MEDIA_TIMEOUT);
	}
}

/* --- SIP events on a call handle ------------------------------------------- */

static void reinvite(struct lc_line *l, nua_handle_t *nh, sip_t const *sip)
{
	struct lc_sdp_prefs p;
	struct lc_media m;
	char answer[LC_SDP_OUT_MAX], err[160];

	if (!sip || !sip->sip_payload || !sip->sip_payload->pl_data) {
		/* No offer (a refresh, or third-party call control): ours, answer in the ACK. */
		l->sdp_version++;
		prefs(l, &p);
		if (lc_sdp_offer(&p, answer, sizeof(answer), err, sizeof(err)) < 0) {
			nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
			return;
		}
		nua_respond(nh, SIP_200_OK, NUTAG_M_USERNAME(l->cfg->number),
			    SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(answer),
			    TAG_END());
		l->answer_in_ack = true;
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
	if (apply_media(l, &m)) {
		/* The stream is as it was: refuse the change, keep the call. */
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
		return;
	}
	lc_info("port %u: re-INVITE: %s", l->index, m.dir == LC_SDP_SENDRECV ? "resumed" :
		"on hold");
	nua_respond(nh, SIP_200_OK, NUTAG_M_USERNAME(l->cfg->number),
		    SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(answer),
		    TAG_END());
}

void lc_call_event(struct lc_line *l, nua_event_t event, int status, char const *phrase,
		   nua_handle_t *nh, sip_t const *sip, tagi_t tags[])
{
	struct lc_csm_event ev = { .status = status };
	struct call_ctx c = { .sip = sip };

	if (nh != l->call_nh)
		return;
	switch (event) {
	case nua_r_invite:
		if (status < 200) {
			ev.type = LC_EV_PROGRESS;
			ev.sdp = sip && sip->sip_payload && sip->sip_payload->pl_data;
		} else if ((status == 401 || status == 407) && sip &&
			   lc_reg_authenticate(l, nh, status, sip, &l->call_challenges,
					       l->call_realm, sizeof(l->call_realm))) {
			return;
		} else if (status < 300) {
			lc_notice("port %u: %s answered", l->index, l->peer);
			ev.type = LC_EV_ANSWERED;
		} else {
			lc_notice("port %u: call to %s failed: %d %s", l->index, l->peer, status,
				  phrase ? phrase : "");
			ev.type = LC_EV_REJECTED;
		}
		break;
	case nua_i_invite:
		/* A re-INVITE on our dialog. */
		reinvite(l, nh, sip);
		return;
	case nua_i_ack:
		/* The answer to the offer our 200 made. */
		if (!l->answer_in_ack)
			return;
		l->answer_in_ack = false;
		if (!remote_sdp(l, sip))
			return;
		ev.type = LC_EV_UNUSABLE;
		break;
	case nua_i_cancel:
		lc_info("port %u: the caller gave up", l->index);
		ev.type = LC_EV_CANCELLED;
		break;
	case nua_i_bye:
		lc_notice("port %u: %s hung up", l->index, l->peer);
		ev.type = LC_EV_BYE;
		break;
	case nua_i_state: {
		/*
		 * The call state, not the status: a re-INVITE refused (488)
		 * leaves the call up; a missing ACK ends it with status 0.
		 */
		int cs = nua_callstate_init;

		tl_gets(tags, NUTAG_CALLSTATE_REF(cs), TAG_END());
		if (cs != nua_callstate_terminating && cs != nua_callstate_terminated)
			return;
		ev.type = LC_EV_ENDED;
		break;
	}
	default:
		return;
	}
	run(l, &ev, &c);
}

/* --- incoming --------------------------------------------------------------- */

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

/*
 * Whether the offer of an incoming INVITE can be answered: 0, or the
 * status that refuses it.  Checked before the phone rings; the line's
 * media fields are its own until the call is taken.
 */
static int check_offer(struct lc_line *l, sip_t const *sip, char **offer)
{
	struct lc_sdp_prefs p;
	struct lc_media m;
	char answer[LC_SDP_OUT_MAX], err[160];

	if (l->fd < 0)
		return 480;	/* enabled, but the port has gone */
	memset(&l->rtp_local, 0, sizeof(l->rtp_local));
	if (media_address(l->d, &l->rtp_local))
		return 500;
	/* No offer: ours goes in the 200 (answer_with_offer). */
	if (!sip->sip_payload || !sip->sip_payload->pl_data)
		return 0;
	new_session(l);
	prefs(l, &p);
	if (lc_sdp_answer(&p, sip->sip_payload->pl_data, sip->sip_payload->pl_len, answer,
			  sizeof(answer), &m, err, sizeof(err))) {
		lc_info("port %u: 488 to an offer: %s", l->index, err);
		return 488;
	}
	*offer = strndup(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
	return *offer ? 0 : 500;
}

void lc_call_incoming(struct lc_daemon *d, nua_handle_t *nh, sip_t const *sip)
{
	const char *user = sip && sip->sip_request ? sip->sip_request->rq_url->url_user : NULL;
	struct lc_line *l = line_for(d, user);
	struct lc_csm_event ev = { .type = LC_EV_INVITE };
	struct call_ctx c = { .nh = nh, .sip = sip };

	if (!l) {
		lc_info("INVITE for unknown user %s", user ? user : "(none)");
		nua_respond(nh, SIP_404_NOT_FOUND, TAG_END());
		nua_handle_destroy(nh);
		return;
	}
	if (lc_csm_can_take(&l->csm))
		ev.status = check_offer(l, sip, &c.offer);
	run(l, &ev, &c);
	free(c.offer);
	if (!c.accepted)
		nua_handle_destroy(nh);
}

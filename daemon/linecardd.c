// SPDX-License-Identifier: GPL-2.0
/*
 * linecardd: the signaling daemon.  One thread, one su_root loop; the
 * NUA, the netlink event socket, the /dev/lineN descriptors of enabled
 * ports, the signals (a signalfd) and the control socket all wake it.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <strings.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_tag.h>

#include "daemon.h"
#include "log.h"

#define STOP_WAIT_MS	5000	/* for the un-REGISTERs at SIGTERM */
#define SHUTDOWN_WAIT_MS 3000	/* for the NUA to finish */

uint64_t lc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The service manager's readiness protocol (sd_notify), when under one. */
static void notify(const char *state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	socklen_t len;
	int fd;

	if (!path || !path[0] || strlen(path) >= sizeof(sun.sun_path))
		return;
	memcpy(sun.sun_path, path, strlen(path));
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract namespace */
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun, len) < 0)
		lc_debug("sd_notify: %s", strerror(errno));
	close(fd);
}

/*
 * Where every request goes first: the outbound proxy, else the registrar
 * (calls then go through it too), as a sip: URI; "" when neither is set.
 */
static void proxy_uri(const struct lc_sip_config *s, char *buf, size_t len)
{
	const char *p = s->outbound_proxy ? s->outbound_proxy : s->registrar;
	bool uri = p && (!strncasecmp(p, "sip:", 4) || !strncasecmp(p, "sips:", 5));
	bool tcp = p && s->transport == LC_TRANSPORT_TCP && !strcasestr(p, "transport=");

	snprintf(buf, len, "%s%s%s", !p ? "" : uri ? "" : "sip:", p ? p : "",
		 tcp ? ";transport=tcp" : "");
}

static void shutdown_timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg)
{
	(void)t;
	(void)arg;
	lc_warn("the SIP stack did not shut down in time");
	su_root_break(d->root);
}

void lc_daemon_check_stopped(struct lc_daemon *d)
{
	if (!d->stopping || lc_reg_pending(d) || !d->nua)
		return;
	if (d->stop_timer)
		su_timer_reset(d->stop_timer);
	lc_info("every port unregistered; shutting down");
	nua_shutdown(d->nua);
	su_timer_set_interval(d->stop_timer, shutdown_timer_cb, NULL, SHUTDOWN_WAIT_MS);
}

static void stop_timer_cb(struct lc_daemon *d, su_timer_t *t, void *arg)
{
	unsigned int i;

	(void)t;
	(void)arg;
	lc_warn("%u ports did not unregister within %d ms", lc_reg_pending(d),
		STOP_WAIT_MS);
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++)
		if (d->lines[i].state == LC_REG_UNREGISTERING)
			d->lines[i].state = LC_REG_UNREGISTERED;
	lc_daemon_check_stopped(d);
}

static void stop(struct lc_daemon *d)
{
	unsigned int i;

	if (d->stopping)
		return;
	d->stopping = true;
	notify("STOPPING=1");
	lc_notice("stopping: unregistering every port");
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		lc_call_reset(&d->lines[i]);
		lc_line_detach(&d->lines[i]);
		lc_reg_stop(&d->lines[i]);
	}
	su_timer_set_interval(d->stop_timer, stop_timer_cb, NULL, STOP_WAIT_MS);
	lc_daemon_check_stopped(d);
}

/* The host part of a "host[:port]" or sip: URI setting, into @host. */
static void server_host(const char *s, char *host, size_t len)
{
	const char *end;

	if (!strncasecmp(s, "sip:", 4))
		s += 4;
	else if (!strncasecmp(s, "sips:", 5))
		s += 5;
	if (strchr(s, '@'))
		s = strchr(s, '@') + 1;
	if (s[0] == '[') {
		end = strchr(s, ']');
		snprintf(host, len, "%.*s", end ? (int)(end - s - 1) : 0, s + 1);
	} else {
		snprintf(host, len, "%.*s", (int)strcspn(s, ":;>"), s);
	}
}

static bool addr_matches(const char *server, const struct sockaddr *sa)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai, *p;
	char host[256];
	bool match = false;

	if (!server)
		return false;
	server_host(server, host, sizeof(host));
	/* The resolver's answer now: an address that moved is followed. */
	if (getaddrinfo(host, NULL, &hints, &ai))
		return false;
	for (p = ai; p && !match; p = p->ai_next) {
		if (p->ai_family != sa->sa_family)
			continue;
		if (sa->sa_family == AF_INET)
			match = !memcmp(&((struct sockaddr_in *)p->ai_addr)->sin_addr,
					&((const struct sockaddr_in *)sa)->sin_addr, 4);
		else if (sa->sa_family == AF_INET6)
			match = !memcmp(&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr,
					&((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	}
	freeaddrinfo(ai);
	return match;
}

/*
 * Whether the request being handled may ring a phone: it comes from the
 * registrar or the outbound proxy, unless direct calls are allowed.
 * SIP scanners sending INVITEs to the device's address are refused.
 */
bool lc_peer_allowed(struct lc_daemon *d)
{
	msg_t *msg = nua_current_request(d->nua);
	su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	char ip[64] = "?";

	if (d->cfg.sip.allow_direct_calls)
		return true;
	if (!ai || !ai->ai_addr)
		return false;
	if (addr_matches(d->cfg.sip.registrar, ai->ai_addr) ||
	    addr_matches(d->cfg.sip.outbound_proxy, ai->ai_addr))
		return true;
	getnameinfo(ai->ai_addr, ai->ai_addrlen, ip, sizeof(ip), NULL, 0, NI_NUMERICHOST);
	lc_notice("refused a request from %s: not the registrar or the proxy", ip);
	return false;
}

static void nua_callback(nua_event_t event, int status, char const *phrase, nua_t *nua,
			 struct lc_daemon *d, nua_handle_t *nh, struct lc_line *l,
			 sip_t const *sip, tagi_t tags[])
{
	(void)nua;
	(void)tags;
	if (l && nh == l->call_nh && event != nua_r_register && event != nua_r_unregister) {
		lc_call_event(l, event, status, phrase, nh, sip, tags);
		return;
	}
	switch (event) {
	case nua_r_register:
	case nua_r_unregister:
		if (l)
			lc_reg_event(l, event, status, phrase, sip);
		break;
	case nua_r_shutdown:
		if (status >= 200) {
			lc_debug("SIP stack shut down (%d %s)", status, phrase);
			su_root_break(d->root);
		}
		break;
	case nua_i_invite:
		if (l)
			break;
		if (!lc_peer_allowed(d)) {
			nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(d->nua), TAG_END());
			nua_handle_destroy(nh);
			break;
		}
		lc_call_incoming(d, nh, sip);
		break;
	case nua_r_invite:
	case nua_r_bye:
	case nua_r_cancel:
	case nua_i_state:
		/* A call handle let go of: gone once its transaction is over. */
		if (!l && nh && status >= 200)
			nua_handle_destroy(nh);
		break;
	case nua_i_outbound:
		lc_debug("outbound: %d %s", status, phrase);
		break;
	case nua_i_error:
		lc_warn("SIP stack: %d %s", status, phrase);
		break;
	default:
		lc_debug("SIP event %s: %d %s", nua_event_name(event), status, phrase);
		/* Unsolicited requests on new handles: the NUA answered them. */
		if (!l && nh && event >= nua_i_chat && event <= nua_i_subscription)
			nua_handle_destroy(nh);
		break;
	}
}

static void kernel_event(void *arg, const struct linecard_event *ev)
{
	struct lc_daemon *d = arg;
	struct lc_line *l;

	if (ev->port >= LC_CONFIG_MAX_PORTS)
		return;
	l = &d->lines[ev->port];
	switch (ev->type) {
	case LINECARD_EV_PORT_ADD:
		lc_info("port %u: appeared", ev->port);
		if (l->enabled && !d->stopping && l->fd < 0) {
			lc_line_attach(l);
			if (l->fd >= 0)
				lc_reg_start(l);
		}
		break;
	case LINECARD_EV_STREAM_TIMEOUT:
		lc_call_stream_timeout(d, ev->value);
		break;
	case LINECARD_EV_PORT_REMOVE:
		lc_info("port %u: removed", ev->port);
		if (l->fd >= 0) {
			lc_call_reset(l);
			lc_line_detach(l);
			lc_reg_stop(l);
		}
		break;
	default:
		/* Line events are read from /dev/lineN, per port. */
		break;
	}
}

static int kernel_wakeup(struct lc_daemon *d, su_wait_t *w, void *arg)
{
	unsigned int i;
	int ret;

	(void)w;
	(void)arg;
	ret = lc_kernel_drain(&d->kernel, kernel_event, d);
	if (ret == -ENOBUFS) {
		/* Notifications were lost: look at every enabled port again. */
		lc_warn("kernel notifications lost; rescanning the ports");
		for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
			struct lc_line *l = &d->lines[i];

			if (l->enabled && l->fd < 0 && !d->stopping) {
				lc_line_attach(l);
				if (l->fd >= 0)
					lc_reg_start(l);
			}
		}
	} else if (ret < 0) {
		lc_warn("kernel notifications: %s", strerror(-ret));
	}
	return 0;
}

static void apply_port(struct lc_daemon *d, struct lc_line *l, bool changed)
{
	if (!changed)
		return;
	l->enabled = l->cfg && l->cfg->enabled;
	lc_backoff_init(&l->backoff, d->cfg.sip.retry_min, d->cfg.sip.retry_max);
	/* A 423's Min-Expires was the old registrar's (or the old expires'). */
	l->min_expires = 0;
	if (!l->enabled) {
		lc_reg_stop(l);
		lc_line_detach(l);
		return;
	}
	lc_line_attach(l);
	if (l->fd < 0)
		return;
	if (l->nh)
		lc_reg_restart(l);
	else
		lc_reg_start(l);
}

static void reload(struct lc_daemon *d)
{
	struct lc_config next = { 0 }, old;
	bool sip_changed, changed[LC_CONFIG_MAX_PORTS];
	char err[512], warn[512];
	unsigned int i, n = 0;

	notify("RELOADING=1");
	lc_notice("reloading %s", d->config_path);
	if (lc_config_load(d->config_path, &next, err, sizeof(err))) {
		lc_err("reload refused, keeping the running configuration: %s", err);
		notify("READY=1");
		return;
	}
	if (lc_config_check_perms(d->config_path, warn, sizeof(warn)) > 0)
		lc_warn("%s", warn);
	if (next.sip.local_port != d->cfg.sip.local_port ||
	    next.sip.transport != d->cfg.sip.transport)
		lc_warn("local_port and transport take effect at the next start");
	sip_changed = !lc_sip_config_equal(&d->cfg.sip, &next.sip);
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++)
		changed[i] = sip_changed ||
			     !lc_port_config_equal(d->cfg.ports[i], next.ports[i]);
	old = d->cfg;
	d->cfg = next;
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++)
		d->lines[i].cfg = d->cfg.ports[i];
	if (sip_changed) {
		char proxy[300];

		proxy_uri(&d->cfg.sip, proxy, sizeof(proxy));
		nua_set_params(d->nua,
			       NUTAG_PROXY(proxy[0] ? (url_string_t *)proxy : NULL),
			       SIPTAG_USER_AGENT_STR(d->cfg.sip.user_agent),
			       TAG_END());
	}
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		if (changed[i] && (d->lines[i].cfg || d->lines[i].enabled)) {
			lc_info("port %u: settings changed", i);
			n++;
		}
		apply_port(d, &d->lines[i], changed[i]);
	}
	lc_config_free(&old);
	lc_notice("configuration reloaded: %u ports changed", n);
	notify("READY=1");
}

static int signal_wakeup(struct lc_daemon *d, su_wait_t *w, void *arg)
{
	struct signalfd_siginfo si;

	(void)w;
	(void)arg;
	while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			if (!d->stopping)
				reload(d);
			break;
		case SIGTERM:
		case SIGINT:
			stop(d);
			break;
		}
	}
	return 0;
}

static int setup_signals(struct lc_daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sig_fd < 0)
		return -errno;
	if (su_wait_create(d->sig_wait, d->sig_fd, POLLIN) < 0 ||
	    su_root_register(d->root, d->sig_wait, signal_wakeup, NULL, 0) < 0)
		return -ENOMEM;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: linecardd [-c FILE] [-s SOCKET] [-v] [-q] [-t]\n"
		"  -c FILE    configuration (default %s)\n"
		"  -s SOCKET  control socket for linecardctl (default %s)\n"
		"  -v         debug messages; -vv also the SIP stack's\n"
		"  -q         warnings and errors only\n"
		"  -t         check the configuration and exit\n",
		LC_CONFIG_DEFAULT_PATH, LC_CTL_DEFAULT_PATH);
}

static struct lc_daemon daemon_state;
static bool sofia_verbose;

static void sofia_logger(void *stream, char const *fmt, va_list ap)
{
	char line[512];

	(void)stream;
	if (!sofia_verbose)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	if (line[0])
		lc_debug("sofia: %s", line);
}

int main(int argc, char **argv)
{
	struct lc_daemon *d = &daemon_state;
	enum lc_log_level level = LC_LOG_INFO;
	char err[512], url[96], reg_proxy[300];
	bool check_only = false, v6;
	const char *addr;
	int opt, ret, verbose = 0;
	unsigned int i;

	d->config_path = LC_CONFIG_DEFAULT_PATH;
	d->ctl_path = LC_CTL_DEFAULT_PATH;
	d->ctl_fd = -1;
	d->sig_fd = -1;
	while ((opt = getopt(argc, argv, "c:s:vqth")) != -1) {
		switch (opt) {
		case 'c':
			d->config_path = optarg;
			break;
		case 's':
			d->ctl_path = optarg;
			break;
		case 'v':
			verbose++;
			level = LC_LOG_DEBUG;
			break;
		case 'q':
			level = LC_LOG_WARNING;
			break;
		case 't':
			check_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	lc_log_init(level);

	ret = lc_config_load(d->config_path, &d->cfg, err, sizeof(err));
	if (ret) {
		lc_err("%s", err);
		return 1;
	}
	if (lc_config_check_perms(d->config_path, err, sizeof(err)) > 0)
		lc_warn("%s", err);
	if (check_only) {
		lc_config_free(&d->cfg);
		printf("%s: configuration OK\n", d->config_path);
		return 0;
	}

	/* The SIP stack's own messages: with -vv, as debug lines. */
	sofia_verbose = verbose >= 2;
	su_log_redirect(NULL, sofia_logger, NULL);
	su_init();
	su_home_init(d->home);
	d->root = su_root_create(d);
	if (!d->root) {
		lc_err("cannot create the event loop");
		return 1;
	}
	su_root_threading(d->root, 0);
	d->stop_timer = su_timer_create(su_root_task(d->root), 0);

	ret = lc_kernel_open(&d->kernel, err, sizeof(err));
	if (ret) {
		lc_err("%s", err);
		d->exit_status = 1;
		goto out;
	}
	if (su_wait_create(d->kernel_wait, lc_kernel_event_fd(&d->kernel), POLLIN) < 0 ||
	    su_root_register(d->root, d->kernel_wait, kernel_wakeup, NULL, 0) < 0) {
		lc_err("cannot watch the netlink socket");
		d->exit_status = 1;
		goto out;
	}
	ret = setup_signals(d);
	if (ret) {
		lc_err("signals: %s", strerror(-ret));
		d->exit_status = 1;
		goto out;
	}

	proxy_uri(&d->cfg.sip, reg_proxy, sizeof(reg_proxy));
	addr = d->cfg.sip.local_address;
	v6 = addr && strchr(addr, ':') && addr[0] != '[';
	snprintf(url, sizeof(url), "sip:%s%s%s:%u%s", v6 ? "[" : "", addr ? addr : "*",
		 v6 ? "]" : "", d->cfg.sip.local_port,
		 d->cfg.sip.transport == LC_TRANSPORT_TCP ? ";transport=tcp" : "");
	d->nua = nua_create(d->root, nua_callback, d,
			    NUTAG_URL(url),
			    SIPTAG_USER_AGENT_STR(d->cfg.sip.user_agent),
			    /*
			     * Plain RFC 3261 registration: no probing
			     * REGISTER without a contact, no OPTIONS to our
			     * own contact, no keep-alives.
			     */
			    NUTAG_OUTBOUND("no-natify no-validate no-options-keepalive"),
			    /* SDP is made here (sdp.c), ringing is the line's. */
			    NUTAG_MEDIA_ENABLE(0),
			    NUTAG_AUTOALERT(0),
			    NUTAG_AUTOANSWER(0),
			    /* The outbound proxy, else the registrar, for every request. */
			    TAG_IF(reg_proxy[0], NUTAG_PROXY((url_string_t *)reg_proxy)),
			    TAG_END());
	if (!d->nua) {
		lc_err("cannot start the SIP stack on %s (port in use?)", url);
		d->exit_status = 1;
		goto out;
	}
	ret = lc_ctl_open(d, err, sizeof(err));
	if (ret) {
		lc_err("control socket: %s", err);
		d->exit_status = 1;
		goto out;
	}

	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		struct lc_line *l = &d->lines[i];

		l->d = d;
		l->index = i;
		l->fd = -1;
		l->hook = -1;
		l->tone = -1;
		l->cfg = d->cfg.ports[i];
		lc_backoff_init(&l->backoff, d->cfg.sip.retry_min, d->cfg.sip.retry_max);
	}
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++)
		apply_port(d, &d->lines[i], d->lines[i].cfg != NULL);
	lc_notice("started: %s, SIP on %s", d->config_path, url);
	notify("READY=1");
	su_root_run(d->root);
	lc_notice("stopped");
out:
	lc_ctl_close(d);
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		lc_line_detach(&d->lines[i]);
		if (d->lines[i].retry_timer)
			su_timer_destroy(d->lines[i].retry_timer);
	}
	if (d->nua)
		nua_destroy(d->nua);
	if (d->stop_timer)
		su_timer_destroy(d->stop_timer);
	if (d->kernel.ev)
		lc_kernel_close(&d->kernel);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	su_root_destroy(d->root);
	su_home_deinit(d->home);
	su_deinit();
	lc_config_free(&d->cfg);
	return d->exit_status;
}

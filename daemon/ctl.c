// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket linecardctl talks to: a UNIX stream socket, mode
 * 0600 (root only), one request line per connection, one reply.
 *
 *   request:  "status [json]" | "enable N [save] [json]" | "disable N [save] [json]"
 *   reply:    "OK\n" followed by the output, or "ERR <exit> <message>\n"
 *
 * The daemon renders both the table and the JSON, so linecardctl stays a
 * thin client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

#define REQ_MAX 256

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *hook_name(int hook)
{
	return hook == LINECARD_HOOK_OFF ? "off" : hook == LINECARD_HOOK_ON ? "on" : "unknown";
}

/* Seconds from @now until @at, rounded up; -1 when @at is 0 or past. */
static long secs_until(uint64_t at, uint64_t now)
{
	return at > now ? (long)((at - now + 999) / 1000) : -1;
}

static const char *codec_name(unsigned int codec)
{
	return codec == LINECARD_CODEC_PCMA ? "pcma" : codec == LINECARD_CODEC_PCMU ? "pcmu" : "?";
}

static const char *dir_name(unsigned int dir)
{
	static const char *const names[] = {
		[LINECARD_DIR_SENDRECV] = "sendrecv",
		[LINECARD_DIR_SENDONLY] = "sendonly",
		[LINECARD_DIR_RECVONLY] = "recvonly",
		[LINECARD_DIR_INACTIVE] = "inactive",
	};

	return dir < sizeof(names) / sizeof(names[0]) ? names[dir] : "?";
}

/* The address of @ss as text, "" when it has none; its port, 0 then. */
static unsigned int addr_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;

	buf[0] = '\0';
	if (ss->ss_family == AF_INET && inet_ntop(AF_INET, &a4->sin_addr, buf, (socklen_t)len))
		return ntohs(a4->sin_port);
	if (ss->ss_family == AF_INET6 && inet_ntop(AF_INET6, &a6->sin6_addr, buf, (socklen_t)len))
		return ntohs(a6->sin6_port);
	buf[0] = '\0';
	return 0;
}

/* "ADDRESS:PORT", "[ADDRESS]:PORT" for IPv6, "-" when there is none. */
static void endpoint_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int port = addr_text(ss, a, sizeof(a));

	if (!a[0])
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, ss->ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

/* "local_address":..,"local_port":.. (null for both when there is none). */
static void json_endpoint(FILE *f, const char *which, const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int port = addr_text(ss, a, sizeof(a));

	fprintf(f, ",\"%s_address\":", which);
	json_str(f, a[0] ? a : NULL);
	if (a[0])
		fprintf(f, ",\"%s_port\":%u", which, port);
	else
		fprintf(f, ",\"%s_port\":null", which);
}

struct port_view {
	const struct lc_line *l;
	bool present;
	int hook;
	enum lc_reg_state state;
	long expires_in, refresh_lo, refresh_hi, retry_in;
};

static void view(const struct lc_line *l, uint64_t now, struct port_view *v)
{
	struct linecard_port_info info;
	int fd;

	v->l = l;
	v->present = l->fd >= 0 || lc_line_present(l->index);
	v->hook = l->hook;
	if (l->fd < 0 && v->present) {
		/* Not in use: ask the line itself. */
		fd = lc_line_open(l->index);
		if (fd >= 0) {
			if (lc_line_info(fd, &info) == 0)
				v->hook = info.hook;
			close(fd);
		}
	}
	v->state = lc_reg_state_now(l, now);
	v->expires_in = v->state == LC_REG_REGISTERED || v->state == LC_REG_RETRYING ?
			secs_until(l->expires_at, now) : -1;
	v->refresh_lo = v->state == LC_REG_REGISTERED ? secs_until(l->refresh_lo, now) : -1;
	v->refresh_hi = v->state == LC_REG_REGISTERED ? secs_until(l->refresh_hi, now) : -1;
	if (v->refresh_hi >= 0 && v->refresh_lo < 0)
		v->refresh_lo = 0;
	v->retry_in = l->retry_at ? secs_until(l->retry_at, now) : -1;
	if (l->retry_at && v->retry_in < 0)
		v->retry_in = 0;
}

static void status_json(FILE *f, const struct port_view *v, unsigned int n)
{
	unsigned int i;

	fputs("{\"ports\":[", f);
	for (i = 0; i < n; i++) {
		const struct lc_line *l = v[i].l;

		fprintf(f, "%s{\"port\":%u,\"present\":%s,\"hook\":\"%s\",\"enabled\":%s,\"number\":",
			i ? "," : "", l->index, v[i].present ? "true" : "false",
			hook_name(v[i].hook), l->enabled ? "true" : "false");
		json_str(f, l->cfg ? l->cfg->number : NULL);
		fprintf(f, ",\"state\":\"%s\",\"last_status\":", lc_reg_state_name(v[i].state));
		if (l->last_status)
			fprintf(f, "%d", l->last_status);
		else
			fputs("null", f);
		fputs(",\"last_reason\":", f);
		json_str(f, l->last_status ? l->last_phrase : NULL);
		fputs(",\"granted_expires\":", f);
		if (l->granted_s && v[i].expires_in >= 0)
			fprintf(f, "%u", l->granted_s);
		else
			fputs("null", f);
#define NUM_OR_NULL(key, x) do { \
		fputs(",\"" key "\":", f); \
		if ((x) >= 0) fprintf(f, "%ld", (long)(x)); else fputs("null", f); \
	} while (0)
		NUM_OR_NULL("expires_in", v[i].expires_in);
		NUM_OR_NULL("refresh_in_min", v[i].refresh_lo);
		NUM_OR_NULL("refresh_in_max", v[i].refresh_hi);
		NUM_OR_NULL("retry_in", v[i].retry_in);
#undef NUM_OR_NULL
		fprintf(f, ",\"registers\":%u,\"call\":\"%s\",\"peer\":", l->registers,
			lc_call_state_name(l->csm.state));
		json_str(f, l->csm.state != LC_CALL_IDLE && l->peer[0] ? l->peer : NULL);
		if (l->stream) {
			struct lc_stream_stats st;

			if (lc_stream_get(&l->d->kernel, l->stream_id, &st) == 0) {
				fprintf(f, ",\"stream\":{\"id\":%u", l->stream_id);
				json_endpoint(f, "local", &st.local);
				json_endpoint(f, "remote", &st.remote);
				fprintf(f, ",\"direction\":\"%s\",\"codec\":\"%s\",\"pt\":%u,"
					"\"ptime\":%u,\"tx_packets\":%llu,"
					"\"rx_packets\":%llu,\"lost\":%llu,\"late\":%llu,"
					"\"discarded\":%llu,\"jitter_us\":%u,\"playout_ms\":%u,"
					"\"rtt_us\":%u}", dir_name(st.dir), codec_name(st.codec),
					st.pt, st.ptime,
					(unsigned long long)st.tx_packets,
					(unsigned long long)st.rx_packets,
					(unsigned long long)st.lost, (unsigned long long)st.late,
					(unsigned long long)st.discarded, st.jitter_us,
					st.playout_ms, st.rtt_us);
			}
		}
		fputs("}", f);
	}
	fputs("]}\n", f);
}

static void status_text(FILE *f, const struct port_view *v, unsigned int n)
{
	unsigned int i;

	fprintf(f, "%-4s %-7s %-7s %-16s %-13s %-7s %-11s %-24s %s\n", "PORT", "HOOK",
		"ENABLED", "NUMBER", "STATE", "EXPIRES", "REFRESH", "LAST", "CALL");
	for (i = 0; i < n; i++) {
		const struct lc_line *l = v[i].l;
		char exp[24] = "-", ref[48] = "-", last[128] = "-";

		if (v[i].expires_in >= 0)
			snprintf(exp, sizeof(exp), "%lds", v[i].expires_in);
		if (v[i].refresh_hi >= 0)
			snprintf(ref, sizeof(ref), "%ld-%lds", v[i].refresh_lo, v[i].refresh_hi);
		else if (v[i].retry_in >= 0)
			snprintf(ref, sizeof(ref), "retry %lds", v[i].retry_in);
		if (l->last_status)
			snprintf(last, sizeof(last), "%d %s", l->last_status, l->last_phrase);
		fprintf(f, "%-4u %-7s %-7s %-16s %-13s %-7s %-11s %-24s %s%s%s\n", l->index,
			v[i].present ? hook_name(v[i].hook) : "absent", l->enabled ? "yes" : "no",
			l->cfg && l->cfg->number ? l->cfg->number : "-",
			lc_reg_state_name(v[i].state), exp, ref, last, lc_call_state_name(l->csm.state),
			l->csm.state != LC_CALL_IDLE && l->peer[0] ? " " : "",
			l->csm.state != LC_CALL_IDLE ? l->peer : "");
		if (l->stream) {
			struct lc_stream_stats st;

			if (lc_stream_get(&l->d->kernel, l->stream_id, &st) == 0) {
				char loc[INET6_ADDRSTRLEN + 8], rem[INET6_ADDRSTRLEN + 8];

				endpoint_text(&st.local, loc, sizeof(loc));
				endpoint_text(&st.remote, rem, sizeof(rem));
				fprintf(f, "     stream %u: sent %llu, received %llu, lost %llu, "
					"jitter %.1f ms, playout %u ms\n", l->stream_id,
					(unsigned long long)st.tx_packets,
					(unsigned long long)st.rx_packets,
					(unsigned long long)st.lost, st.jitter_us / 1000.0,
					st.playout_ms);
				fprintf(f, "     stream %u: %s/%u %u ms %s, %s -> %s\n", l->stream_id,
					codec_name(st.codec), st.pt, st.ptime, dir_name(st.dir),
					loc, rem);
			}
		}
	}
}

static int cmd_status(struct lc_daemon *d, bool json, FILE *f)
{
	static struct port_view v[LC_CONFIG_MAX_PORTS];
	uint64_t now = lc_now_ms();
	unsigned int i, n = 0;

	/* Every port the kernel has or the configuration names. */
	for (i = 0; i < LC_CONFIG_MAX_PORTS; i++) {
		const struct lc_line *l = &d->lines[i];

		if (l->cfg || l->fd >= 0 || lc_line_present(i))
			view(l, now, &v[n++]);
	}
	if (json)
		status_json(f, v, n);
	else
		status_text(f, v, n);
	return 0;
}

static int cmd_enable(struct lc_daemon *d, bool enable, const char *arg, bool save,
		      char *err, size_t errlen)
{
	struct lc_port_config *pc;
	unsigned long idx;
	struct lc_line *l;
	char *end;
	int ret;

	errno = 0;
	idx = arg ? strtoul(arg, &end, 10) : 0;
	if (!arg || errno || *end || end == arg || idx >= LC_CONFIG_MAX_PORTS) {
		snprintf(err, errlen, "bad port '%s'", arg ? arg : "");
		return 2;
	}
	l = &d->lines[idx];
	if (d->stopping) {
		snprintf(err, errlen, "linecardd is stopping");
		return 1;
	}
	ret = lc_line_enable(l, enable, err, errlen);
	if (ret)
		return 1;
	if (save) {
		ret = lc_config_set_enabled(d->config_path, idx, enable, err, errlen);
		if (ret)
			return 1;
		/* The running config now says what the file says. */
		pc = d->cfg.ports[idx];
		if (pc)
			pc->enabled = enable;
		lc_notice("port %lu: %s in %s", idx, enable ? "enabled" : "disabled",
			  d->config_path);
	}
	return 0;
}

static void handle(struct lc_daemon *d, int fd)
{
	char req[REQ_MAX + 1], err[512] = "", *words[6], *save_ptr, *w, *body = NULL;
	unsigned int n = 0, i;
	bool json = false, save = false;
	size_t len = 0, blen = 0;
	ssize_t r;
	FILE *f;
	int code = 2;

	/* One short line; a client that does not send it in time is dropped. */
	while (len < REQ_MAX) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 1000) <= 0)
			return;
		r = read(fd, req + len, REQ_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (memchr(req, '\n', len))
			break;
	}
	req[len] = '\0';
	req[strcspn(req, "\r\n")] = '\0';
	for (w = strtok_r(req, " \t", &save_ptr); w && n < 6; w = strtok_r(NULL, " \t", &save_ptr))
		words[n++] = w;
	for (i = 1; i < n; i++) {
		if (!strcmp(words[i], "json"))
			json = true;
		else if (!strcmp(words[i], "save"))
			save = true;
	}
	f = open_memstream(&body, &blen);
	if (!f)
		return;
	if (n == 0) {
		snprintf(err, sizeof(err), "empty request");
	} else if (!strcmp(words[0], "status")) {
		code = cmd_status(d, json, f);
	} else if (!strcmp(words[0], "enable") || !strcmp(words[0], "disable")) {
		code = cmd_enable(d, words[0][0] == 'e', n > 1 ? words[1] : NULL, save,
				  err, sizeof(err));
		if (!code && json)
			fprintf(f, "{\"port\":%s,\"enabled\":%s,\"saved\":%s}\n", words[1],
				words[0][0] == 'e' ? "true" : "false", save ? "true" : "false");
	} else {
		snprintf(err, sizeof(err), "unknown request '%.32s'", words[0]);
	}
	fclose(f);
	if (code) {
		dprintf(fd, "ERR %d %s\n", code, err[0] ? err : "failed");
	} else {
		dprintf(fd, "OK\n");
		for (len = 0; len < blen; ) {
			r = write(fd, body + len, blen - len);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
		}
	}
	free(body);
}

static int ctl_wakeup(struct lc_daemon *d, su_wait_t *w, void *arg)
{
	struct timeval tv = { .tv_sec = 2 };
	int fd;

	(void)w;
	(void)arg;
	fd = accept4(d->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	handle(d, fd);
	close(fd);
	return 0;
}

int lc_ctl_open(struct lc_daemon *d, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)], *slash;
	mode_t old;
	int fd, ret;

	if (strlen(d->ctl_path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: path too long", d->ctl_path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, d->ctl_path);
	strcpy(dir, d->ctl_path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) && errno != EEXIST) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", dir, strerror(-ret));
			return ret;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* A socket left by a daemon that died is replaced; a live one is not. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		close(fd);
		snprintf(err, errlen, "%s: another linecardd is running", d->ctl_path);
		return -EADDRINUSE;
	}
	close(fd);
	unlink(d->ctl_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret || listen(fd, 16)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", d->ctl_path, strerror(-ret));
		close(fd);
		return ret;
	}
	d->ctl_fd = fd;
	if (su_wait_create(d->ctl_wait, fd, POLLIN) < 0 ||
	    su_root_register(d->root, d->ctl_wait, ctl_wakeup, NULL, 0) < 0) {
		snprintf(err, errlen, "%s: cannot watch the socket", d->ctl_path);
		close(fd);
		d->ctl_fd = -1;
		return -ENOMEM;
	}
	return 0;
}

void lc_ctl_close(struct lc_daemon *d)
{
	if (d->ctl_fd < 0)
		return;
	su_root_unregister(d->root, d->ctl_wait, ctl_wakeup, NULL);
	close(d->ctl_fd);
	d->ctl_fd = -1;
	unlink(d->ctl_path);
}

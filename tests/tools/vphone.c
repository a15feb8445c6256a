// SPDX-License-Identifier: GPL-2.0
/*
 * vphone: use the handset of a linecard virtual port the way a person
 * would.  See README.md ("Virtual ports").
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SYSFS "/sys/class/vphone/vphone"

static unsigned int port;

static void die(const char *what)
{
	fprintf(stderr, "vphone %u: %s: %s\n", port, what, strerror(errno));
	exit(2);
}

static int attr_write(const char *attr, const char *val)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), SYSFS "%u/%s", port, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void attr_read(const char *attr, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSFS "%u/%s", port, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	n = read(fd, buf, len - 1);
	if (n < 0)
		die(path);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	close(fd);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "2s", "500ms", "1.5" (seconds) */
static double parse_duration(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		goto bad;
	if (!strcmp(end, "ms"))
		return v / 1000;
	if (!*end || !strcmp(end, "s"))
		return v;
bad:
	fprintf(stderr, "vphone: bad duration '%s'\n", s);
	exit(2);
}

/* Wait until the kernel has sent every queued digit of @attr. */
static int wait_sent(const char *attr, double timeout)
{
	double end = now_s() + timeout;
	char buf[128];

	for (;;) {
		attr_read(attr, buf, sizeof(buf));
		if (!buf[0])
			return 0;
		if (now_s() > end) {
			fprintf(stderr, "vphone %u: %s not sent in time\n", port, attr);
			return 1;
		}
		usleep(10000);
	}
}

/* A vport module parameter, in ms. */
static unsigned int param_ms(const char *name)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/linecard_vport/parameters/%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die(path);
	fclose(f);
	return atoi(buf);
}

static int cmd_dial(const char *attr, const char *digits, double per_digit)
{
	int ret = attr_write(attr, digits);

	if (ret) {
		errno = -ret;
		die(attr);
	}
	ret = wait_sent(attr, 5 + per_digit * strlen(digits));
	/* A rotary dial is done when it is back at rest after the last digit. */
	if (!ret && !strcmp(attr, "pulse"))
		usleep(param_ms("pulse_gap_ms") * 1000);
	return ret;
}

static int cmd_listen(double secs)
{
	char path[64];
	size_t want = (size_t)(secs * 8000) * 2;
	char buf[4096];
	int fd;

	snprintf(path, sizeof(path), "/dev/vphone%u", port);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	while (want) {
		ssize_t n = read(fd, buf, want < sizeof(buf) ? want : sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(path);
		}
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			die("stdout");
		want -= n;
	}
	close(fd);
	return fflush(stdout) ? 2 : 0;
}

static int cmd_speak(const char *file)
{
	char path[64];
	char buf[4096];
	int fd, in;
	ssize_t n;

	in = strcmp(file, "-") ? open(file, O_RDONLY) : 0;
	if (in < 0)
		die(file);
	snprintf(path, sizeof(path), "/dev/vphone%u", port);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);
	while ((n = read(in, buf, sizeof(buf) & ~1UL)) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(fd, p, n);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				die(path);
			}
			p += w;
			n -= w;
		}
	}
	if (n < 0)
		die(file);
	/* Let the last of it reach the line before returning. */
	usleep(1100000);
	close(fd);
	return 0;
}

static int cmd_wait_ring(double timeout)
{
	double end = now_s() + timeout;
	char path[128], buf[16];
	int fd;

	snprintf(path, sizeof(path), SYSFS "%u/ring", port);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0)
			die(path);
		if (n > 0 && buf[0] == '1')
			break;
		if (now_s() >= end) {
			close(fd);
			fprintf(stderr, "vphone %u: no ring within %gs\n", port, timeout);
			return 1;
		}
		/* sysfs_notify wakes us; the short timeout covers a missed wake. */
		poll(&pfd, 1, 20);
	}
	close(fd);
	return 0;
}

static void usage(void)
{
	fputs("usage: vphone PORT COMMAND [ARG]\n"
	      "  offhook | onhook        lift or hang up the handset\n"
	      "  flash [MS]              hook flash (default 300 ms)\n"
	      "  dial DIGITS             key DTMF digits, wait until sent\n"
	      "  pulse DIGITS            dial with the hook switch, wait until sent\n"
	      "  speak FILE|-            say raw S16 8 kHz audio into the mouthpiece\n"
	      "  listen DURATION         earpiece audio (S16 8 kHz) to stdout\n"
	      "  wait-ring TIMEOUT       exit 0 once it rings, 1 on timeout\n"
	      "  ring-log                ring transitions: \"<ns> on|off\"\n"
	      "  status                  hook, ring, rings, polarity, linefeed, line\n"
	      "DURATION and TIMEOUT: 2s, 500ms, 1.5\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cmd, *arg;
	char *end;
	int ret;

	if (argc < 3)
		usage();
	port = strtoul(argv[1], &end, 10);
	if (*end || end == argv[1])
		usage();
	cmd = argv[2];
	arg = argc > 3 ? argv[3] : NULL;

	if (!strcmp(cmd, "offhook") || !strcmp(cmd, "onhook")) {
		ret = attr_write("hook", cmd[1] == 'f' ? "off" : "on");
	} else if (!strcmp(cmd, "flash")) {
		char buf[32];

		snprintf(buf, sizeof(buf), "flash %s", arg ? arg : "300");
		ret = attr_write("hook", buf);
		if (!ret)
			usleep((arg ? atoi(arg) : 300) * 1000 + 20000);
	} else if (!strcmp(cmd, "dial") && arg) {
		return cmd_dial("dial", arg, 0.5);
	} else if (!strcmp(cmd, "pulse") && arg) {
		return cmd_dial("pulse", arg, 2);
	} else if (!strcmp(cmd, "speak") && arg) {
		return cmd_speak(arg);
	} else if (!strcmp(cmd, "listen") && arg) {
		return cmd_listen(parse_duration(arg));
	} else if (!strcmp(cmd, "wait-ring") && arg) {
		return cmd_wait_ring(parse_duration(arg));
	} else if (!strcmp(cmd, "ring-log")) {
		char buf[4096];

		attr_read("ring_log", buf, sizeof(buf));
		if (buf[0])
			puts(buf);
		return 0;
	} else if (!strcmp(cmd, "status")) {
		static const char *const attrs[] = {
			"hook", "ring", "rings", "polarity", "linefeed", "line",
		};
		char buf[64];
		size_t i;

		for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			attr_read(attrs[i], buf, sizeof(buf));
			printf("%s%s=%s", i ? " " : "", attrs[i], buf);
		}
		putchar('\n');
		return 0;
	} else {
		usage();
	}
	if (ret) {
		errno = -ret;
		die(cmd);
	}
	return 0;
}

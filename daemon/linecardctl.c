// SPDX-License-Identifier: GPL-2.0
/*
 * linecardctl: status and control of linecardd over its UNIX socket.
 *
 * Exit status: 0 done; 1 the daemon refused (reason on stderr); 2 bad
 * usage; 3 the daemon cannot be reached (not running, or no permission).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET	"/run/linecard/linecardd.sock"
#define REPLY_MAX	(1024 * 1024)

static const struct {
	const char *name;
	int args;	/* 0: none, 1: a port */
	const char *help;
} commands[] = {
	{ "status", 0, "every port: hook, enabled, number, registration, expiry, refresh" },
	{ "enable", 1, "enable port N: it registers at once" },
	{ "disable", 1, "disable port N: it unregisters (Expires: 0)" },
};

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: linecardctl [-s SOCKET] [--json] COMMAND\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].args ? (i == 1 ? "enable N" : "disable N") :
			commands[i].name, commands[i].help);
	fprintf(f, "\noptions:\n"
		"  -s, --socket PATH  linecardd's control socket (default %s)\n"
		"  -j, --json         machine-readable output\n"
		"  -w, --save         enable/disable: also write the change to the config file\n"
		"\nexit status: 0 done, 1 refused by linecardd, 2 usage, 3 linecardd not reachable\n",
		DEFAULT_SOCKET);
}

static bool valid_port(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return !errno && *s && !*end && v >= 0 && v < 256;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "save", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = DEFAULT_SOCKET;
	bool json = false, save = false;
	char req[128], *reply, *nl;
	unsigned int i;
	size_t len = 0;
	int opt, fd, code;
	ssize_t n;

	while ((opt = getopt_long(argc, argv, "s:jwh", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'w':
			save = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "linecardctl: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (argc - optind - 1 != commands[i].args ||
	    (commands[i].args && !valid_port(argv[optind + 1]))) {
		fprintf(stderr, "linecardctl: %s %s\n", commands[i].name,
			commands[i].args ? "takes one port number, 0..255" : "takes no arguments");
		return 2;
	}
	if (save && !commands[i].args) {
		fprintf(stderr, "linecardctl: --save goes with enable and disable\n");
		return 2;
	}
	snprintf(req, sizeof(req), "%s%s%s%s%s\n", commands[i].name,
		 commands[i].args ? " " : "", commands[i].args ? argv[optind + 1] : "",
		 save ? " save" : "", json ? " json" : "");

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "linecardctl: %s: path too long\n", path);
		return 2;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		int e = errno;

		fprintf(stderr, "linecardctl: cannot reach linecardd at %s: %s%s\n", path,
			strerror(e), e == ENOENT || e == ECONNREFUSED ?
			" (is linecardd running?)" : "");
		return 3;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		fprintf(stderr, "linecardctl: %s: %s\n", path, strerror(errno));
		return 3;
	}
	reply = malloc(REPLY_MAX + 1);
	if (!reply) {
		fprintf(stderr, "linecardctl: out of memory\n");
		return 1;
	}
	while (len < REPLY_MAX) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 10000) <= 0) {
			fprintf(stderr, "linecardctl: no answer from linecardd\n");
			return 3;
		}
		n = read(fd, reply + len, REPLY_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	reply[len] = '\0';
	nl = strchr(reply, '\n');
	if (!nl) {
		fprintf(stderr, "linecardctl: malformed answer from linecardd\n");
		return 3;
	}
	*nl = '\0';
	if (!strcmp(reply, "OK")) {
		fputs(nl + 1, stdout);
		free(reply);
		return 0;
	}
	if (sscanf(reply, "ERR %d", &code) == 1 && strchr(reply + 4, ' ')) {
		fprintf(stderr, "linecardctl: %s\n", strchr(reply + 4, ' ') + 1);
		free(reply);
		return code == 2 ? 2 : 1;
	}
	fprintf(stderr, "linecardctl: malformed answer from linecardd\n");
	free(reply);
	return 3;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static enum lc_log_level log_max = LC_LOG_INFO;
static bool log_journal;

static const char *const level_names[] = {
	[LC_LOG_ERR] = "error",
	[LC_LOG_WARNING] = "warning",
	[LC_LOG_NOTICE] = "notice",
	[LC_LOG_INFO] = "info",
	[LC_LOG_DEBUG] = "debug",
};

void lc_log_init(enum lc_log_level max)
{
	log_max = max;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

enum lc_log_level lc_log_max(void)
{
	return log_max;
}

void lc_log(enum lc_log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t n;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One message, one line: a newline inside would forge a second. */
	for (n = 0; line[n]; n++)
		if (line[n] == '\n' || line[n] == '\r')
			line[n] = ' ';
	if (log_journal)
		fprintf(stderr, "<%d>%s\n", level, line);
	else
		fprintf(stderr, "linecardd: %s: %s\n", level_names[level], line);
}

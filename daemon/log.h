/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linecardd logging: one line per message on stderr.  Under systemd
 * (JOURNAL_STREAM set) each line starts with the sd-daemon "<N>" level
 * prefix so the journal records the priority; otherwise with the level
 * name.  Messages above the configured level are dropped.
 */
#ifndef LINECARD_DAEMON_LOG_H
#define LINECARD_DAEMON_LOG_H

enum lc_log_level {
	LC_LOG_ERR = 3,
	LC_LOG_WARNING = 4,
	LC_LOG_NOTICE = 5,
	LC_LOG_INFO = 6,
	LC_LOG_DEBUG = 7,
};

void lc_log_init(enum lc_log_level max);
enum lc_log_level lc_log_max(void);

__attribute__((format(printf, 2, 3)))
void lc_log(enum lc_log_level level, const char *fmt, ...);

#define lc_err(...)	lc_log(LC_LOG_ERR, __VA_ARGS__)
#define lc_warn(...)	lc_log(LC_LOG_WARNING, __VA_ARGS__)
#define lc_notice(...)	lc_log(LC_LOG_NOTICE, __VA_ARGS__)
#define lc_info(...)	lc_log(LC_LOG_INFO, __VA_ARGS__)
#define lc_debug(...)	lc_log(LC_LOG_DEBUG, __VA_ARGS__)

#endif /* LINECARD_DAEMON_LOG_H */

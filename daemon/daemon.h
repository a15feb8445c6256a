/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linecardd's state: one su_root event loop in one thread, the sofia-sip
 * NUA on it, the kernel sockets and line descriptors, and one struct
 * lc_line per port.  Everything here is touched only from the loop.
 */
#ifndef LINECARD_DAEMON_DAEMON_H
#define LINECARD_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#define SU_ROOT_MAGIC_T		struct lc_daemon
#define SU_WAKEUP_ARG_T		void
#define SU_TIMER_ARG_T		void
#define NUA_MAGIC_T		struct lc_daemon
#define NUA_HMAGIC_T		struct lc_line

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include "backoff.h"
#include "callsm.h"
#include "config.h"
#include "digitmap.h"
#include "kernel.h"
#include "sdp.h"

#define LC_CTL_DEFAULT_PATH	"/run/linecard/linecardd.sock"

enum lc_reg_state {
	LC_REG_UNREGISTERED,	/* disabled, or not started */
	LC_REG_REGISTERING,	/* REGISTER in flight, no binding yet */
	LC_REG_REGISTERED,	/* binding valid */
	LC_REG_RETRYING,	/* binding still valid, its refresh failed */
	LC_REG_FAILED,		/* no binding; next attempt scheduled */
	LC_REG_UNREGISTERING,	/* Expires: 0 in flight */
};


struct lc_daemon;

struct lc_line {
	struct lc_daemon *d;
	unsigned int index;
	/* This port's section of the running config (NULL: none). */
	const struct lc_port_config *cfg;
	bool enabled;		/* the config's, or linecardctl's override */

	/* /dev/lineN while the port is enabled and present. */
	int fd;
	su_wait_t wait[1];
	int wait_reg;		/* su_root_register index, 0: none */
	int hook;		/* LINECARD_HOOK_*, -1 unknown */
	int tone;		/* enum lc_tone_kind playing, -1: none */

	/* Registration. */
	nua_handle_t *nh;
	enum lc_reg_state state;
	int last_status;	/* of the last final response, 0: none */
	char last_phrase[80];
	unsigned int granted_s;	/* expiry granted by the registrar */
	uint64_t expires_at;	/* ms, monotonic; 0: no binding */
	uint64_t refresh_lo;	/* ms: the refresh falls in [lo, hi] */
	uint64_t refresh_hi;
	uint64_t retry_at;	/* ms: next attempt after a failure, 0: none */
	su_timer_t *retry_timer;
	struct lc_backoff backoff;
	unsigned int challenges;	/* answered in this attempt */
	int declined;		/* the last 401/407 of this attempt, 0: none */
	char realm[128];	/* last realm answered in this attempt */
	bool reregister;	/* register again once unregistered */
	unsigned int registers;	/* REGISTER requests started (status) */
	/* Call control (call.c). */
	struct lc_csm csm;	/* the call's state (callsm.c) */
	nua_handle_t *call_nh;
	su_timer_t *call_timer;
	struct lc_digitmap *dm;	/* compiled dial_plan */
	char peer[96];		/* number dialled or caller */
	bool stream;		/* a kernel stream exists: stream_id */
	unsigned int stream_id;
	struct sockaddr_storage rtp_local;
	char *offer;		/* an incoming INVITE's SDP, until answered */
	bool answer_in_ack;	/* our 200 made the offer (INVITE without SDP) */
	char rtp_addr[64];	/* rtp_local's address, as text */
	uint64_t sess_id;	/* our o= line */
	uint64_t sdp_version;
	struct lc_media media;	/* what the stream was set to */
	bool media_valid;
	unsigned int call_challenges;
	char call_realm[128];
	uint64_t connected_at;	/* ms */

	char call_id[64];	/* of every REGISTER of this port */
	uint32_t cseq;		/* the next REGISTER's */
	unsigned int min_expires;	/* from a 423: never ask for less */
	bool min_expires_tried;	/* the last attempt followed a 423 */
};

struct lc_daemon {
	su_home_t home[1];
	su_root_t *root;
	nua_t *nua;
	const char *config_path;
	struct lc_config cfg;
	struct lc_kernel kernel;
	su_wait_t kernel_wait[1];
	struct lc_line lines[LC_CONFIG_MAX_PORTS];

	int sig_fd;
	su_wait_t sig_wait[1];

	const char *ctl_path;
	int ctl_fd;
	su_wait_t ctl_wait[1];

	bool stopping;
	su_timer_t *stop_timer;
	int exit_status;
};

uint64_t lc_now_ms(void);

/* reg.c */
nua_handle_t *lc_reg_handle(struct lc_line *l, const char *to);
char *lc_reg_uri(const struct lc_daemon *d, const char *user);
bool lc_reg_authenticate(struct lc_line *l, nua_handle_t *nh, int status, sip_t const *sip,
			 unsigned int *challenges, char *realm, size_t realmlen);
void lc_reg_start(struct lc_line *l);
void lc_reg_stop(struct lc_line *l);
void lc_reg_restart(struct lc_line *l);
void lc_reg_event(struct lc_line *l, nua_event_t event, int status, char const *phrase,
		  sip_t const *sip);
const char *lc_reg_state_name(enum lc_reg_state s);
/* The state as a user should see it now (a lapsed binding is failed). */
enum lc_reg_state lc_reg_state_now(const struct lc_line *l, uint64_t now);
unsigned int lc_reg_pending(const struct lc_daemon *d);

/* line.c */
void lc_line_attach(struct lc_line *l);
void lc_line_detach(struct lc_line *l);
void lc_line_update_tone(struct lc_line *l);
bool lc_line_present(unsigned int index);
int lc_line_enable(struct lc_line *l, bool enable, char *err, size_t errlen);

/* call.c */
void lc_call_offhook(struct lc_line *l);
void lc_call_onhook(struct lc_line *l);
void lc_call_flash(struct lc_line *l);
void lc_call_digit(struct lc_line *l, char key);
void lc_call_reset(struct lc_line *l);
void lc_call_event(struct lc_line *l, nua_event_t event, int status, char const *phrase,
		   nua_handle_t *nh, sip_t const *sip, tagi_t tags[]);
void lc_call_incoming(struct lc_daemon *d, nua_handle_t *nh, sip_t const *sip);
void lc_call_stream_timeout(struct lc_daemon *d, unsigned int stream_id);
int lc_call_load_plan(struct lc_line *l);

/* ctl.c */
int lc_ctl_open(struct lc_daemon *d, char *err, size_t errlen);
void lc_ctl_close(struct lc_daemon *d);

/* linecardd.c */
bool lc_peer_allowed(struct lc_daemon *d);
void lc_daemon_check_stopped(struct lc_daemon *d);

#endif /* LINECARD_DAEMON_DAEMON_H */

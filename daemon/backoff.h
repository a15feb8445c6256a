/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registration retry timing after a failure, in the manner of RFC 5626
 * section 4.5: the n-th consecutive failure waits a random time between
 * half and all of min(retry_max, 2 * retry_min * 2^(n-1)), never less than
 * retry_min.  So the waits grow exponentially, are jittered (ports that
 * fail together do not retry together), and stay within
 * [retry_min, retry_max].
 *
 * A Retry-After from the server raises the wait to at least that long,
 * still capped at retry_max.  While a binding is still valid (a refresh
 * failed), the wait is shortened so that several attempts fit before the
 * binding expires.
 */
#ifndef LINECARD_DAEMON_BACKOFF_H
#define LINECARD_DAEMON_BACKOFF_H

#include <stdint.h>

struct lc_backoff {
	unsigned int min_s;		/* retry_min */
	unsigned int max_s;		/* retry_max, >= min_s */
	unsigned int failures;		/* consecutive, since the last success */
};

void lc_backoff_init(struct lc_backoff *b, unsigned int min_s, unsigned int max_s);

/* A success: the next failure starts from the shortest wait again. */
void lc_backoff_reset(struct lc_backoff *b);

/*
 * Count one more failure and return the wait before the next attempt, in
 * milliseconds.  @retry_after_s is the server's Retry-After (0: none);
 * @rnd a uniformly random 32-bit value.
 */
uint64_t lc_backoff_next(struct lc_backoff *b, unsigned int retry_after_s, uint32_t rnd);

/*
 * Fit a wait of @wait_ms into a binding that expires in @valid_ms: at
 * most half the time left (but at least a second, and never after the
 * expiry when that can be helped).  With @valid_ms 0 (no binding) the
 * wait is returned unchanged.
 */
uint64_t lc_backoff_within(uint64_t wait_ms, uint64_t valid_ms);

#endif /* LINECARD_DAEMON_BACKOFF_H */

// SPDX-License-Identifier: GPL-2.0
#include "backoff.h"

void lc_backoff_init(struct lc_backoff *b, unsigned int min_s, unsigned int max_s)
{
	if (min_s == 0)
		min_s = 1;
	if (max_s < min_s)
		max_s = min_s;
	b->min_s = min_s;
	b->max_s = max_s;
	b->failures = 0;
}

void lc_backoff_reset(struct lc_backoff *b)
{
	b->failures = 0;
}

uint64_t lc_backoff_next(struct lc_backoff *b, unsigned int retry_after_s, uint32_t rnd)
{
	uint64_t min_ms = (uint64_t)b->min_s * 1000;
	uint64_t max_ms = (uint64_t)b->max_s * 1000;
	uint64_t ceiling = 2 * min_ms;
	uint64_t wait;
	unsigned int i;

	/* 2^(n-1) without overflow: stop doubling once past the cap. */
	for (i = 0; i < b->failures && ceiling < max_ms; i++)
		ceiling *= 2;
	if (ceiling > max_ms)
		ceiling = max_ms;
	if (b->failures < UINT32_MAX)
		b->failures++;

	/* Uniform in [ceiling / 2, ceiling]. */
	wait = ceiling / 2 + (uint64_t)rnd * (ceiling - ceiling / 2) / UINT32_MAX;
	if (wait < min_ms)
		wait = min_ms;
	if ((uint64_t)retry_after_s * 1000 > wait)
		wait = (uint64_t)retry_after_s * 1000;
	if (wait > max_ms)
		wait = max_ms;
	return wait;
}

uint64_t lc_backoff_within(uint64_t wait_ms, uint64_t valid_ms)
{
	uint64_t half = valid_ms / 2;

	if (valid_ms == 0)
		return wait_ms;
	if (half < 1000)
		half = valid_ms < 1000 ? valid_ms : 1000;
	return wait_ms < half ? wait_ms : half;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for daemon/backoff.c: the waits after consecutive failures
 * grow exponentially, are spread over [ceiling/2, ceiling] by the random
 * input, stay within [retry_min, retry_max], honour Retry-After within
 * those bounds, start over after a success, and fit into a binding that
 * is still valid.
 */
#include <check.h>
#include <stdint.h>

#include "backoff.h"

/* The extremes and the middle of the random input. */
#define RLO	0u
#define RMID	(UINT32_MAX / 2)
#define RHI	UINT32_MAX

START_TEST(test_growth)
{
	struct lc_backoff b;
	/* retry_min 30 s, retry_max 1800 s: ceilings 60, 120, ... 1800. */
	static const uint64_t ceil_ms[] = {
		60000, 120000, 240000, 480000, 960000, 1800000, 1800000, 1800000,
	};
	unsigned int i;

	lc_backoff_init(&b, 30, 1800);
	for (i = 0; i < sizeof(ceil_ms) / sizeof(ceil_ms[0]); i++)
		ck_assert_uint_eq(lc_backoff_next(&b, 0, RHI), ceil_ms[i]);

	lc_backoff_init(&b, 30, 1800);
	for (i = 0; i < sizeof(ceil_ms) / sizeof(ceil_ms[0]); i++)
		ck_assert_uint_eq(lc_backoff_next(&b, 0, RLO), ceil_ms[i] / 2);
	ck_assert_uint_eq(b.failures, 8);
}
END_TEST

START_TEST(test_jitter_spread)
{
	struct lc_backoff b;
	uint64_t w, lo = UINT64_MAX, hi = 0;
	uint32_t r = 12345;
	unsigned int i;

	/* Third failure: ceiling 4 * 2 * retry_min = 8 s, waits in [4, 8] s. */
	for (i = 0; i < 1000; i++) {
		lc_backoff_init(&b, 1, 60);
		lc_backoff_next(&b, 0, 0);
		lc_backoff_next(&b, 0, 0);
		r = r * 1103515245u + 12345u;
		w = lc_backoff_next(&b, 0, r);
		ck_assert_uint_ge(w, 4000);
		ck_assert_uint_le(w, 8000);
		if (w < lo)
			lo = w;
		if (w > hi)
			hi = w;
	}
	/* Spread over the interval, not stuck at one value. */
	ck_assert_uint_lt(lo, 4400);
	ck_assert_uint_gt(hi, 7600);

	lc_backoff_init(&b, 1, 60);
	ck_assert_uint_eq(lc_backoff_next(&b, 0, RMID), 1499);
}
END_TEST

START_TEST(test_bounds)
{
	struct lc_backoff b;
	unsigned int i;

	/* Never below retry_min, even at the low end of the jitter. */
	lc_backoff_init(&b, 10, 15);
	ck_assert_uint_eq(lc_backoff_next(&b, 0, RLO), 10000);
	for (i = 0; i < 100; i++) {
		uint64_t w = lc_backoff_next(&b, 0, i * 40000000u);

		ck_assert_uint_ge(w, 10000);
		ck_assert_uint_le(w, 15000);
	}
	/* Thousands of failures neither overflow nor exceed the cap. */
	lc_backoff_init(&b, 3600, 86400);
	for (i = 0; i < 5000; i++)
		ck_assert_uint_le(lc_backoff_next(&b, 0, RHI), 86400000);
	ck_assert_uint_eq(lc_backoff_next(&b, 0, RHI), 86400000);
	/* Degenerate bounds are repaired, not trusted. */
	lc_backoff_init(&b, 0, 0);
	ck_assert_uint_eq(b.min_s, 1);
	ck_assert_uint_eq(b.max_s, 1);
	ck_assert_uint_eq(lc_backoff_next(&b, 0, RHI), 1000);
	lc_backoff_init(&b, 100, 10);
	ck_assert_uint_eq(b.max_s, 100);
}
END_TEST

START_TEST(test_retry_after)
{
	struct lc_backoff b;

	lc_backoff_init(&b, 30, 1800);
	/* Longer than the computed wait: honoured. */
	ck_assert_uint_eq(lc_backoff_next(&b, 120, RHI), 120000);
	/* Shorter: the back-off still applies. */
	ck_assert_uint_eq(lc_backoff_next(&b, 5, RHI), 120000);
	/* Beyond retry_max: capped. */
	ck_assert_uint_eq(lc_backoff_next(&b, 100000, RLO), 1800000);
}
END_TEST

START_TEST(test_reset)
{
	struct lc_backoff b;

	lc_backoff_init(&b, 30, 1800);
	lc_backoff_next(&b, 0, RHI);
	lc_backoff_next(&b, 0, RHI);
	lc_backoff_reset(&b);
	ck_assert_uint_eq(b.failures, 0);
	ck_assert_uint_eq(lc_backoff_next(&b, 0, RHI), 60000);
}
END_TEST

START_TEST(test_within_binding)
{
	/* No binding: unchanged. */
	ck_assert_uint_eq(lc_backoff_within(60000, 0), 60000);
	/* Plenty of time left: unchanged. */
	ck_assert_uint_eq(lc_backoff_within(60000, 3600000), 60000);
	/* Little time left: half of it, so another attempt still fits. */
	ck_assert_uint_eq(lc_backoff_within(60000, 20000), 10000);
	ck_assert_uint_eq(lc_backoff_within(60000, 1500), 1000);
	/* Less than a second: retry before the end, not after. */
	ck_assert_uint_eq(lc_backoff_within(60000, 400), 400);
	ck_assert_uint_eq(lc_backoff_within(300, 20000), 300);
}
END_TEST

static Suite *backoff_suite(void)
{
	Suite *s = suite_create("backoff");
	TCase *tc;

	tc = tcase_create("waits");
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_jitter_spread);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_retry_after);
	tcase_add_test(tc, test_reset);
	suite_add_tcase(s, tc);

	tc = tcase_create("binding");
	tcase_add_test(tc, test_within_binding);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(backoff_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for daemon/cid.c: the MDMF caller-ID body byte by byte for a
 * normal call, withheld and unavailable numbers and names, sanitising of
 * what a phone cannot show, the length limits, and a buffer too small.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "cid.h"

static const struct tm when = { .tm_mon = 10, .tm_mday = 24, .tm_hour = 13, .tm_min = 5 };

static void expect_bytes(const uint8_t *got, int n, const char *want, int wn)
{
	ck_assert_int_eq(n, wn);
	ck_assert_mem_eq(got, want, (size_t)wn);
}

START_TEST(test_number_and_name)
{
	struct lc_cid c;
	uint8_t buf[LC_CID_MSG_MAX];
	static const char want[] = "\x80\x18" "\x01\x08" "11241305" "\x02\x04" "1000"
				   "\x07\x06" "Dorota";
	int n;

	lc_cid_from(&c, "1000", "\"Dorota\"", false, &when);
	n = lc_cid_mdmf(&c, buf, sizeof(buf));
	expect_bytes(buf, n, want, (int)sizeof(want) - 1);
}
END_TEST

START_TEST(test_no_name)
{
	struct lc_cid c;
	uint8_t buf[LC_CID_MSG_MAX];
	static const char want[] = "\x80\x14" "\x01\x08" "11241305" "\x02\x05" "+4930"
				   "\x08\x01" "O";
	int n;

	lc_cid_from(&c, "+4930", NULL, false, &when);
	n = lc_cid_mdmf(&c, buf, sizeof(buf));
	expect_bytes(buf, n, want, (int)sizeof(want) - 1);
}
END_TEST

START_TEST(test_private)
{
	struct lc_cid c;
	uint8_t buf[LC_CID_MSG_MAX];
	static const char want[] = "\x80\x10" "\x01\x08" "11241305" "\x04\x01" "P"
				   "\x08\x01" "P";
	int n;

	/* Privacy asked for: neither the number nor the name is given. */
	lc_cid_from(&c, "1000", "Dorota", true, &when);
	n = lc_cid_mdmf(&c, buf, sizeof(buf));
	expect_bytes(buf, n, want, (int)sizeof(want) - 1);
	/* An anonymous From says the same. */
	lc_cid_from(&c, "anonymous", "Anonymous", false, &when);
	n = lc_cid_mdmf(&c, buf, sizeof(buf));
	expect_bytes(buf, n, want, (int)sizeof(want) - 1);
}
END_TEST

START_TEST(test_unavailable_number)
{
	struct lc_cid c;
	uint8_t buf[LC_CID_MSG_MAX];

	/* A user part with no digits at all (a SIP name, not a number). */
	lc_cid_from(&c, "alice", "Alice", false, &when);
	ck_assert_int_eq(c.number_absent, LC_CID_UNAVAILABLE);
	ck_assert_str_eq(c.name, "Alice");
	ck_assert_int_gt(lc_cid_mdmf(&c, buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf + 12, "\x04\x01O\x07\x05" "Alice", 10);
}
END_TEST

START_TEST(test_sanitise)
{
	struct lc_cid c;

	/* Separators dropped, '+' only in front. */
	lc_cid_from(&c, "+49-30-1234+5", "Kitchen", false, &when);
	ck_assert_str_eq(c.number, "+493012345");
	/* Over-long: cut. */
	lc_cid_from(&c, "123456789012345678901234", "A very long display name indeed",
		    false, &when);
	ck_assert_str_eq(c.number, "12345678901234567890");
	ck_assert_str_eq(c.name, "A very long dis");
	/* UTF-8: one '?' a character; control characters dropped; quotes. */
	lc_cid_from(&c, "1", "\"K\xc3\xbc" "che\t\\\"1\\\"\"", false, &when);
	ck_assert_str_eq(c.name, "K?che\"1\"");
	/* Trailing blanks do not count; a blank name is absent. */
	lc_cid_from(&c, "1", "   ", false, &when);
	ck_assert_int_eq(c.name_absent, LC_CID_UNAVAILABLE);
}
END_TEST

START_TEST(test_small_buffer)
{
	struct lc_cid c;
	uint8_t buf[LC_CID_MSG_MAX];
	size_t len;
	int full;

	lc_cid_from(&c, "12345678901234567890", "123456789012345", false, &when);
	full = lc_cid_mdmf(&c, buf, sizeof(buf));
	ck_assert_int_eq(full, 2 + 10 + 22 + 17);
	for (len = 0; len < (size_t)full; len++)
		ck_assert_int_eq(lc_cid_mdmf(&c, buf, len), -ENOSPC);
	ck_assert_int_eq(lc_cid_mdmf(&c, buf, (size_t)full), full);
}
END_TEST

static Suite *cid_suite(void)
{
	Suite *s = suite_create("cid");
	TCase *tc;

	tc = tcase_create("mdmf");
	tcase_add_test(tc, test_number_and_name);
	tcase_add_test(tc, test_no_name);
	tcase_add_test(tc, test_private);
	tcase_add_test(tc, test_unavailable_number);
	tcase_add_test(tc, test_small_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("input");
	tcase_add_test(tc, test_sanitise);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cid_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

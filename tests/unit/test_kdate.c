/*
 * test_kdate.c - Korean date formatting and ISO 8601 parsing, table-driven.
 * Times are given as UTC epoch seconds; Seoul is UTC+9 whatever TZ says.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/kdate.h"

/* Epoch of a UTC civil time, computed independently of kdate (timegm). */
static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

struct mast_case {
	int y, mo, d, h, mi, s;     /* UTC */
	const char *masthead;       /* Seoul */
	const char *datetime;
};

static const struct mast_case mast_cases[] = {
	/* The reference page's day. */
	{ 2025, 11, 25, 0, 0, 0, "2025.11.25 (화)", "2025.11.25 09:00" },
	/* KST midnight boundary: 14:59:59 UTC is still the 24th in Seoul... */
	{ 2025, 11, 24, 14, 59, 59, "2025.11.24 (월)", "2025.11.24 23:59" },
	/* ...and 15:00:00 UTC is 00:00 on the 25th. */
	{ 2025, 11, 24, 15, 0, 0, "2025.11.25 (화)", "2025.11.25 00:00" },
	/* New year in Seoul while it is still the old year in UTC. */
	{ 2025, 12, 31, 15, 30, 0, "2026.01.01 (목)", "2026.01.01 00:30" },
	/* Leap day. */
	{ 2024, 2, 28, 20, 0, 0, "2024.02.29 (목)", "2024.02.29 05:00" },
	{ 2026, 11, 29, 0, 0, 0, "2026.11.29 (일)", "2026.11.29 09:00" },
	{ 2026, 11, 30, 12, 0, 0, "2026.11.30 (월)", "2026.11.30 21:00" },
	{ 2026, 12, 4, 12, 0, 0, "2026.12.04 (금)", "2026.12.04 21:00" },
	{ 2026, 12, 5, 12, 0, 0, "2026.12.05 (토)", "2026.12.05 21:00" },
	{ 2026, 12, 1, 12, 0, 0, "2026.12.01 (화)", "2026.12.01 21:00" },
	{ 2026, 12, 2, 12, 0, 0, "2026.12.02 (수)", "2026.12.02 21:00" },
	{ 1970, 1, 1, 0, 0, 0, "1970.01.01 (목)", "1970.01.01 09:00" },
};

Test(kdate, masthead_and_datetime_in_seoul)
{
	char out[KDATE_MAX];
	size_t i;

	/* Whatever the machine's zone, the result is Seoul's. */
	setenv("TZ", "America/Los_Angeles", 1);
	for (i = 0; i < sizeof mast_cases / sizeof mast_cases[0]; i++) {
		const struct mast_case *c = &mast_cases[i];
		time_t t = utc(c->y, c->mo, c->d, c->h, c->mi, c->s);

		kdate_masthead(t, out);
		cr_expect_str_eq(out, c->masthead, "case %zu masthead", i);
		kdate_datetime(t, out);
		cr_expect_str_eq(out, c->datetime, "case %zu datetime", i);
	}
}

Test(kdate, other_formats)
{
	char out[KDATE_MAX];
	time_t t = utc(2025, 11, 25, 5, 3, 7);

	kdate_iso8601(t, out);
	cr_expect_str_eq(out, "2025-11-25T14:03:07+09:00");
	kdate_rfc822(t, out);
	cr_expect_str_eq(out, "Tue, 25 Nov 2025 14:03:07 +0900");
	kdate_http(t, out);
	cr_expect_str_eq(out, "Tue, 25 Nov 2025 05:03:07 GMT");
	kdate_short(t, out);
	cr_expect_str_eq(out, "11.25 14:03");
	kdate_date(t, out);
	cr_expect_str_eq(out, "2025.11.25");
	cr_expect_str_eq(kdate_weekday(t), "화");
}

struct parse_case {
	const char *in;
	int ok;
	int y, mo, d, h, mi, s;   /* UTC when ok */
};

static const struct parse_case parse_cases[] = {
	{ "2025-11-25T14:03:00+09:00", 1, 2025, 11, 25, 5, 3, 0 },
	{ "2025-11-25T05:03:00Z", 1, 2025, 11, 25, 5, 3, 0 },
	{ "2025-11-25T05:03Z", 1, 2025, 11, 25, 5, 3, 0 },
	{ "2025-11-25T00:03:00-05:00", 1, 2025, 11, 25, 5, 3, 0 },
	{ "2025-11-25T14:03:00.123+0900", 1, 2025, 11, 25, 5, 3, 0 },
	{ "2025-11-25 14:03", 1, 2025, 11, 25, 5, 3, 0 },          /* bare = Seoul */
	{ "2025-11-25", 1, 2025, 11, 24, 15, 0, 0 },               /* Seoul midnight */
	{ "2024-02-29T00:00:00+09:00", 1, 2024, 2, 28, 15, 0, 0 },
	{ "2025-02-29T00:00:00+09:00", 0, 0, 0, 0, 0, 0, 0 },                        /* not a leap year */
	{ "2025-13-01T00:00:00Z", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-11-31", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-11-25T24:00:00Z", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-11-25T14:60Z", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-11-25T14:03:00+25:00", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-11-25T14:03:00 junk", 0, 0, 0, 0, 0, 0, 0 },
	{ "25-11-25", 0, 0, 0, 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025/11/25", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-11-25T14:03:00.+09:00", 0, 0, 0, 0, 0, 0, 0 },
	{ "2025-1-25", 0, 0, 0, 0, 0, 0, 0 },
};

Test(kdate, parse_iso8601)
{
	size_t i;
	time_t t;
	int rc;

	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];

		rc = kdate_parse(c->in, strlen(c->in), &t);
		if (!c->ok) {
			cr_expect_eq(rc, -1, "'%s' must be refused", c->in);
			continue;
		}
		cr_expect_eq(rc, 0, "'%s' must parse", c->in);
		cr_expect_eq(t, utc(c->y, c->mo, c->d, c->h, c->mi, c->s), "'%s'", c->in);
	}
}

Test(kdate, civil_days_round_trip)
{
	long days;
	int y, m, d;

	for (days = -800000; days <= 800000; days += 997) {
		kdate_civil_from_days(days, &y, &m, &d);
		cr_assert_eq(kdate_days_from_civil(y, m, d), days, "day %ld", days);
	}
}

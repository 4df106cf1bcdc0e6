/*
 * kdate.h - dates and times as a Korean newspaper shows them.
 *
 * Part of core.  Times are stored as UTC epoch seconds and shown in
 * Asia/Seoul, which is UTC+9 all year (no daylight saving since 1988).
 * The offset is applied arithmetically, so nothing here depends on the
 * TZ environment or the system's zoneinfo.
 */
#ifndef SINMUN_CORE_KDATE_H
#define SINMUN_CORE_KDATE_H

#include <stddef.h>
#include <time.h>

#define KST_OFFSET (9 * 3600)

/* Output sizes that always suffice. */
#define KDATE_MAX 48

/* "2025.11.25 (화)" - the masthead. */
void kdate_masthead(time_t t, char out[KDATE_MAX]);
/* "2025.11.25 14:03" - 입력/수정 lines. */
void kdate_datetime(time_t t, char out[KDATE_MAX]);
/* "2025.11.25" */
void kdate_date(time_t t, char out[KDATE_MAX]);
/* "11.25 09:00" - weather observation times. */
void kdate_short(time_t t, char out[KDATE_MAX]);
/* "2025-11-25T14:03:00+09:00" */
void kdate_iso8601(time_t t, char out[KDATE_MAX]);
/* "Tue, 25 Nov 2025 14:03:00 +0900" (RFC 822 as RSS wants it) */
void kdate_rfc822(time_t t, char out[KDATE_MAX]);
/* "Tue, 25 Nov 2025 05:03:00 GMT" (HTTP dates) */
void kdate_http(time_t t, char out[KDATE_MAX]);
/* The Korean weekday letter (월화수목금토일) of t in Seoul. */
const char *kdate_weekday(time_t t);

/*
 * Parses ISO 8601 "YYYY-MM-DDTHH:MM[:SS][.fff](Z|+HH:MM|-HH:MM)", or a
 * bare "YYYY-MM-DD HH:MM[:SS]" / "YYYY-MM-DD" taken as Seoul time.
 * Returns 0 and sets *t, or -1 for anything else.
 */
int kdate_parse(const char *s, size_t len, time_t *t);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long kdate_days_from_civil(int y, int m, int d);
void kdate_civil_from_days(long days, int *y, int *m, int *d);

#endif

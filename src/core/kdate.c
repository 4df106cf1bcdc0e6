/*
 * kdate.c - Korean date formatting.  Uses Howard Hinnant's well-known
 * civil-from-days arithmetic (public domain algorithm, written out here)
 * instead of localtime_r, so Seoul time is right whatever TZ says.
 */
#include "core/kdate.h"

#include <stdio.h>
#include <string.h>

static const char *const weekdays_ko[7] = { "일", "월", "화", "수", "목", "금", "토" };
static const char *const weekdays_en[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months_en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

long
kdate_days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
kdate_civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

struct parts {
	int y, mo, d, h, mi, s, wd;
};

static long
floordiv(long a, long b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static void
split(time_t t, long offset, struct parts *p)
{
	long long s = (long long)t + offset;
	long days, rem;

	days = floordiv((long)s, 86400);
	rem = (long)(s - (long long)days * 86400);
	kdate_civil_from_days(days, &p->y, &p->mo, &p->d);
	p->h = (int)(rem / 3600);
	p->mi = (int)(rem / 60 % 60);
	p->s = (int)(rem % 60);
	/* 1970-01-01 was a Thursday (4). */
	p->wd = (int)(((days % 7) + 11) % 7);
}

const char *
kdate_weekday(time_t t)
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	return weekdays_ko[p.wd];
}

void
kdate_masthead(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	snprintf(out, KDATE_MAX, "%04d.%02d.%02d (%s)", p.y, p.mo, p.d, weekdays_ko[p.wd]);
}

void
kdate_datetime(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	snprintf(out, KDATE_MAX, "%04d.%02d.%02d %02d:%02d", p.y, p.mo, p.d, p.h, p.mi);
}

void
kdate_date(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	snprintf(out, KDATE_MAX, "%04d.%02d.%02d", p.y, p.mo, p.d);
}

void
kdate_short(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	snprintf(out, KDATE_MAX, "%02d.%02d %02d:%02d", p.mo, p.d, p.h, p.mi);
}

void
kdate_iso8601(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	snprintf(out, KDATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+09:00",
	    p.y, p.mo, p.d, p.h, p.mi, p.s);
}

void
kdate_rfc822(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, KST_OFFSET, &p);
	snprintf(out, KDATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d +0900",
	    weekdays_en[p.wd], p.d, months_en[p.mo - 1], p.y, p.h, p.mi, p.s);
}

void
kdate_http(time_t t, char out[KDATE_MAX])
{
	struct parts p;

	split(t, 0, &p);
	snprintf(out, KDATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    weekdays_en[p.wd], p.d, months_en[p.mo - 1], p.y, p.h, p.mi, p.s);
}

/* Reads exactly n digits at *i. */
static int
digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0, k;

	for (k = 0; k < n; k++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[(*i)++] - '0');
	}
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
kdate_parse(const char *s, size_t len, time_t *t)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	long offset = KST_OFFSET;
	size_t i = 0;

	if (digits(s, len, &i, 4, &y) || i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, &mo) || i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || y < 1900)
		return -1;
	if (i < len) {
		if (s[i] != 'T' && s[i] != ' ')
			return -1;
		i++;
		if (digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
		    digits(s, len, &i, 2, &mi))
			return -1;
		if (i < len && s[i] == ':') {
			i++;
			if (digits(s, len, &i, 2, &sec))
				return -1;
			if (i < len && s[i] == '.') {
				i++;
				if (i >= len || s[i] < '0' || s[i] > '9')
					return -1;
				while (i < len && s[i] >= '0' && s[i] <= '9')
					i++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		if (i < len) {
			if (s[i] == 'Z' && i + 1 == len) {
				offset = 0;
				i++;
			} else if (s[i] == '+' || s[i] == '-') {
				int sign = s[i++] == '-' ? -1 : 1;

				if (digits(s, len, &i, 2, &oh))
					return -1;
				if (i < len && s[i] == ':')
					i++;
				if (digits(s, len, &i, 2, &om) || oh > 14 || om > 59)
					return -1;
				offset = sign * (oh * 3600L + om * 60L);
			} else {
				return -1;
			}
		}
	}
	if (i != len)
		return -1;
	*t = (time_t)(kdate_days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + sec - offset);
	return 0;
}

/*
 * util.c - KST time arithmetic and strict number syntax for the weather
 * parsers.
 *
 * Part of the weather module.  Both sources give observation times as KST
 * civil time and values as decimal text; the parsers convert with these.
 * KST is UTC+9 with no daylight saving, so the conversion is plain
 * arithmetic (core/kdate's civil-day functions): nothing here reads TZ or the system zoneinfo, and nothing
 * depends on the C locale (strtod would, for the decimal point).
 */
#include "weather/weather.h"

#include <stdint.h>
#include <string.h>

#include "core/kdate.h"

#define YEAR_MIN     1900
#define YEAR_MAX     9999

static int
month_days(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return dm[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

int
weather_kst_to_utc(int year, int mon, int day, int hour, int min, time_t *out)
{
	int64_t days;

	if (year < YEAR_MIN || year > YEAR_MAX || mon < 1 || mon > 12 ||
	    day < 1 || day > month_days(year, mon) ||
	    hour < 0 || hour > 23 || min < 0 || min > 59)
		return -1;
	days = kdate_days_from_civil(year, mon, day);
	*out = (time_t)(days * 86400 + hour * 3600 + min * 60 - KST_OFFSET);
	return 0;
}

int
weather_kst_format(time_t t, char out[13])
{
	int64_t local, days, secs;
	int y, m, d, hh, mi, i;
	int v[5];
	char *o = out;

	/* Compare in 64 bits against the bounds of the years we can print;
	 * this also keeps the arithmetic below far from overflow. */
	local = (int64_t)t + KST_OFFSET;
	if (local < (int64_t)kdate_days_from_civil(YEAR_MIN, 1, 1) * 86400 ||
	    local >= (int64_t)kdate_days_from_civil(YEAR_MAX + 1, 1, 1) * 86400) {
		out[0] = '\0';
		return -1;
	}
	days = local / 86400;
	secs = local % 86400;
	if (secs < 0) {  /* floor division for times before 1970 */
		secs += 86400;
		days--;
	}
	kdate_civil_from_days((long)days, &y, &m, &d);
	hh = (int)(secs / 3600);
	mi = (int)(secs % 3600 / 60);

	/* Fixed-width digits without the printf family. */
	for (i = 3; i >= 0; i--, y /= 10)
		o[i] = (char)('0' + y % 10);
	o += 4;
	v[0] = m; v[1] = d; v[2] = hh; v[3] = mi;
	for (i = 0; i < 4; i++) {
		*o++ = (char)('0' + v[i] / 10);
		*o++ = (char)('0' + v[i] % 10);
	}
	*o = '\0';
	return 0;
}

int
weather_number(const char *p, size_t n, int allow_fraction, double *out)
{
	const char *end = p + n;
	uint64_t mant = 0;
	int neg = 0, ndigits = 0, nfrac = 0, i;
	double v, scale = 1.0;

	if (n == 0)
		return -1;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		mant = mant * 10 + (uint64_t)(*p - '0');
		ndigits++;
		if (ndigits > 15)
			return -1;
	}
	if (p < end && *p == '.' && allow_fraction) {
		p++;
		if (p == end || *p < '0' || *p > '9')
			return -1;  /* "12." is not a KMA number */
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			mant = mant * 10 + (uint64_t)(*p - '0');
			ndigits++;
			nfrac++;
			if (ndigits > 15)
				return -1;
		}
	}
	if (p != end)
		return -1;
	/* mant < 10^15 < 2^53 and scale <= 10^15 are exact doubles, so one
	 * division gives the correctly rounded value ("8.6" -> 8.6). */
	for (i = 0; i < nfrac; i++)
		scale *= 10.0;
	v = (double)mant / scale;
	/* No -0.0: "%.1f" would print "-0.0℃". */
	*out = (neg && mant != 0) ? -v : v;
	return 0;
}

const char *
weather_quote(char *dst, size_t dstlen, const char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;
	unsigned char c;

	if (dstlen == 0)
		return dst;
	/* Error messages end up in logs and maybe an admin page: never copy
	 * control bytes or invalid UTF-8 from a hostile body into them. */
	for (i = 0; i < n && i < 40 && o + 5 < dstlen; i++) {
		c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	if (i < n && o + 3 < dstlen) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

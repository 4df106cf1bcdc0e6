/*
 * condition.c - the Korean condition word of an observation (spec §4).
 *
 * Part of the weather module.  Both parsers call weather_condition_ww() to
 * fill weather_obs.condition; the ticker shows the word in front of the
 * station name.  A reported phenomenon (WMO present-weather code, §4.2)
 * wins over the sky condition derived from the total cloud amount (§4.1);
 * the domestic code (§4.3) is only a fallback for precipitation when the
 * WMO code is missing.
 */
#include "weather/weather.h"

#include <stddef.h>

/* §4.2 as ranges.  A NULL word means "no phenomenon worth a word": fall back
 * to the cloud amount (00-03 cloud development, 14-16 precipitation within
 * sight, 20-29 phenomena that ended in the past hour).  Where the spec's
 * table names a code-specific word (68-69 진눈깨비, 77 싸락눈, 79 얼음싸라기,
 * 18 돌풍, 19 용오름) it is used; the "page:" variants (부분안개,
 * 약한/보통/강한이슬비) are collapsed to the main word as §4.2 asks. */
struct wc_range {
	int         lo, hi;
	const char *word;
};

static const struct wc_range wc_words[] = {
	{  0,  3, NULL },
	{  4,  5, "연무" },
	{  6,  9, "황사" },
	{ 10, 10, "박무" },
	{ 11, 12, "안개" },
	{ 13, 13, "번개" },
	{ 14, 16, NULL },
	{ 17, 17, "뇌우" },
	{ 18, 18, "돌풍" },
	{ 19, 19, "용오름" },
	{ 20, 29, NULL },
	{ 30, 35, "황사" },
	{ 36, 39, "눈보라" },
	{ 40, 49, "안개" },
	{ 50, 59, "이슬비" },
	{ 60, 67, "비" },
	{ 68, 69, "진눈깨비" },
	{ 70, 76, "눈" },
	{ 77, 77, "싸락눈" },
	{ 78, 78, "눈" },
	{ 79, 79, "얼음싸라기" },
	{ 80, 82, "소나기" },
	{ 83, 84, "진눈깨비" },
	{ 85, 86, "소낙눈" },
	{ 87, 90, "우박" },
	{ 91, 99, "뇌우" },
};

/* §4.3: the domestic codes verified against 25 years of Seoul records.
 * Only precipitation is known; 박무/연무/안개/황사 codes are not, so any
 * other code is "unknown" and reported to the caller for logging.  The
 * words are collapsed like the WMO ones: 09 (소낙성진눈깨비) is shown as
 * 진눈깨비 like WMO 83-84, 11 (가루눈) as 눈, 12-14 (우박류) as 우박. */
static const char *const dom_words[] = {
	[1]  = "비",
	[2]  = "이슬비",
	[4]  = "소나기",
	[5]  = "눈",
	[6]  = "진눈깨비",
	[8]  = "소낙눈",
	[9]  = "진눈깨비",
	[10] = "싸락눈",
	[11] = "눈",
	[12] = "우박",
	[13] = "우박",
	[14] = "우박",
};

static const char *
phenomenon_word(int wc)
{
	size_t i;

	for (i = 0; i < sizeof wc_words / sizeof wc_words[0]; i++)
		if (wc >= wc_words[i].lo && wc <= wc_words[i].hi)
			return wc_words[i].word;
	return NULL;
}

static const char *
sky_word(int ca_tot)
{
	if (ca_tot < 0 || ca_tot > 10)
		return "";
	if (ca_tot <= 2)
		return "맑음";
	if (ca_tot <= 5)
		return "구름조금";
	if (ca_tot <= 8)
		return "구름많음";
	return "흐림";
}

const char *
weather_condition(int wc, int ca_tot)
{
	const char *w = phenomenon_word(wc);

	return w ? w : sky_word(ca_tot);
}

const char *
weather_domestic_word(int code)
{
	if (code < 0 || (size_t)code >= sizeof dom_words / sizeof dom_words[0])
		return NULL;
	return dom_words[code];
}

const char *
weather_condition_ww(int wc, int ww, int ca_tot)
{
	const char *w = phenomenon_word(wc);

	/* A known WMO code of 00-03 says "no phenomenon"; only a missing one
	 * lets the less reliable domestic code speak (§4.3). */
	if (!w && wc < 0)
		w = weather_domestic_word(ww);
	return w ? w : sky_word(ca_tot);
}

void
weather_ww_scan(const char *p, size_t n, int *ww, int *unknown)
{
	size_t i;
	int code;

	*ww = -1;
	*unknown = -1;
	if (n == 0 || (n == 1 && p[0] == '-'))
		return;
	if (n % 2 != 0) {
		*unknown = -2;
		return;
	}
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			*unknown = -2;
			return;
		}
	}
	for (i = 0; i < n; i += 2) {
		code = (p[i] - '0') * 10 + (p[i + 1] - '0');
		if (weather_domestic_word(code)) {
			if (*ww < 0)
				*ww = code;
		} else if (*unknown == -1) {
			*unknown = code;
		}
	}
}

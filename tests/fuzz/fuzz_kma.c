/*
 * fuzz_kma.c - libFuzzer harness for the weather parsers (src/weather/).
 *
 * Feeds every input to the API Hub text parser (with and without the
 * default station table) and to the data.go.kr JSON parser, and checks the
 * contract of weather.h on every result: all or nothing, rows within the
 * documented ranges, condition words from the known set, times that format
 * and convert back, error messages NUL-terminated printable ASCII.  The
 * input is not NUL-terminated, so ASan catches any read past len.
 *
 * Seed corpus: tests/fuzz/corpus/kma/ (the shared fixtures plus small edge
 * cases); dictionary: tests/fuzz/kma.dict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "weather/weather.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const words[] = {
	"", "맑음", "구름조금", "구름많음", "흐림", "연무", "황사", "박무", "안개",
	"번개", "뇌우", "돌풍", "용오름", "눈보라", "이슬비", "비", "진눈깨비", "눈",
	"싸락눈", "얼음싸라기", "소나기", "소낙눈", "우박",
};

static int
known_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

static void
check_obs(const struct weather_obs *o)
{
	char tm[13];
	time_t back;
	int v[5], i, k;

	if (!memchr(o->condition, '\0', sizeof o->condition) || !known_word(o->condition))
		abort();
	if (strcmp(o->condition, weather_condition_ww(o->wc, o->ww, o->ca_tot)) != 0)
		abort();
	if (o->stn < 1 || o->stn > 9999)
		abort();
	if (o->has_ta ? (o->ta <= -90 || o->ta >= 70) : o->ta != 0)
		abort();
	if (o->has_hm ? (o->hm < 0 || o->hm > 100) : o->hm != 0)
		abort();
	if (o->has_ws ? (o->ws < 0 || o->ws >= 100) : o->ws != 0)
		abort();
	if (o->has_wd ? (o->wd < 0 || o->wd > 360) : o->wd != 0)
		abort();
	if (o->ca_tot < -1 || o->ca_tot > 10 || o->wc < -1 || o->wc > 99)
		abort();
	if (o->ww != -1 && !weather_domestic_word(o->ww))
		abort();
	if (o->ww_unknown < -2 || o->ww_unknown > 99)
		abort();
	/* every accepted time is a KST minute that formats and converts back */
	if (weather_kst_format(o->observed, tm) != 0)
		abort();
	for (i = 0; i < 12; i++)
		if (tm[i] < '0' || tm[i] > '9')
			abort();
	for (i = 0, k = 0; i < 5; i++) {
		v[i] = 0;
		for (int w = i == 0 ? 4 : 2; w > 0; w--)
			v[i] = v[i] * 10 + (tm[k++] - '0');
	}
	if (weather_kst_to_utc(v[0], v[1], v[2], v[3], v[4], &back) != 0 || back != o->observed)
		abort();
}

static void
check(int rc, struct weather_obs *o, size_t n, const struct weather_err *e)
{
	size_t i;
	const char *nul;

	if (rc == 0) {
		if ((n == 0) != (o == NULL) || n > WEATHER_MAX_ROWS)
			abort();
		for (i = 0; i < n; i++)
			check_obs(&o[i]);
	} else {
		if (rc != -1 || o != NULL || n != 0 || e->line < 0)
			abort();
		nul = memchr(e->msg, '\0', sizeof e->msg);
		if (!nul || nul == e->msg)
			abort();
		for (i = 0; e->msg[i]; i++)
			if ((unsigned char)e->msg[i] < 0x20 || (unsigned char)e->msg[i] > 0x7e)
				abort();
	}
	free(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	const struct weather_station *st;
	struct weather_obs *o;
	struct weather_err e;
	size_t n, ns;
	int rc;

	st = weather_default_stations(&ns);

	memset(&e, 0x5a, sizeof e);  /* a stale message must not survive */
	rc = weather_parse_kma(body, size, NULL, 0, &o, &n, &e);
	check(rc, o, n, &e);

	memset(&e, 0x5a, sizeof e);
	rc = weather_parse_kma(body, size, st, ns, &o, &n, &e);
	check(rc, o, n, &e);

	memset(&e, 0x5a, sizeof e);
	rc = weather_parse_datagokr(body, size, NULL, 0, &o, &n, &e);
	check(rc, o, n, &e);

	memset(&e, 0x5a, sizeof e);
	rc = weather_parse_datagokr(body, size, st, ns, &o, &n, &e);
	check(rc, o, n, &e);
	return 0;
}

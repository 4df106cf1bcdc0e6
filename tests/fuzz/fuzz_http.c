/*
 * fuzz_http.c - libFuzzer harness for what a request's text goes through
 * before any handler: percent-decoding, query/form parsing, HTTP dates,
 * Accept-Encoding, ISO 8601 times.  Invariants: decoded strings are valid
 * UTF-8 without NUL; parsed dates format back to the same instant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "core/arena.h"
#include "core/kdate.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct http_param *p;
	struct str s = { (const char *)data, size };
	size_t n, i;
	char *d;
	time_t t, t2;
	char out[KDATE_MAX];

	if (http_params_parse(&a, s, &p, &n) == 0) {
		if (n > HTTP_MAX_PARAMS)
			abort();
		for (i = 0; i < n; i++)
			if (p[i].name == NULL || p[i].value == NULL)
				abort();
	}
	if ((d = http_decode(&a, s, 1)) != NULL && strlen(d) > size)
		abort();
	if (http_date_parse((const char *)data, size, &t) == 0) {
		kdate_http(t, out);
		if (http_date_parse(out, strlen(out), &t2) != 0 || t2 != t)
			abort();
	}
	if (kdate_parse((const char *)data, size, &t) == 0) {
		kdate_iso8601(t, out);
		if (kdate_parse(out, strlen(out), &t2) != 0 || t2 != t)
			abort();
	}
	if ((unsigned)cache_pick_encoding((const char *)data, size) >= CACHE_ENC__MAX)
		abort();
	arena_free(&a);
	return 0;
}

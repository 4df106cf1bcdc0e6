/*
 * fuzz_mustache.c - libFuzzer harness for the template engine.
 *
 * Part of the fuzz tests (render/mustache).  The input is up to four
 * templates separated by NUL bytes, named "main", "a", "b" and "c", so that
 * partials ({{>a}}) and parents ({{<b}}) between them get exercised,
 * recursion included.  Each one is compiled; "main" is then rendered against
 * a small fixed JSON context into a buffer capped at 1 MiB.  Errors are
 * fine; crashes, sanitizer reports, hangs and a page past the cap are not.
 *
 * Build: make fuzz; run: build/fuzz/fuzz_mustache -dict=tests/fuzz/mustache.dict
 * tests/fuzz/corpus/mustache
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "render/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_ctx_json[] =
	"{\"a\": \"<b>&'\\\"\", \"b\": [1, 2, {\"c\": \"x\"}],"
	" \"c\": {\"d\": {\"e\": \"깊다\"}}, \"t\": true, \"f\": false, \"n\": null,"
	" \"s\": \"\", \"i\": 42, \"r\": 1.5, \"l\": [[1, 2], [\"x\"], []],"
	" \"self\": true, \"e\": []}";

static const char *const fuzz_names[] = { "main", "a", "b", "c" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx;
	const char *src = (const char *)data, *nul;
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set;
	struct buf out;
	size_t i, pos = 0, len;
	int rc;

	if (ctx == NULL) {
		ctx = json_loads(fuzz_ctx_json, 0, NULL);
		if (ctx == NULL)
			abort();
	}
	set = mustache_set_new();
	for (i = 0; i < sizeof fuzz_names / sizeof fuzz_names[0] && pos <= size; i++) {
		nul = memchr(src + pos, '\0', size - pos);
		len = nul ? (size_t)(nul - (src + pos)) : size - pos;
		rc = mustache_set_add(set, fuzz_names[i], src + pos, len, err, sizeof err);
		if (strlen(err) >= sizeof err || (rc != 0) != (err[0] != '\0'))
			abort();
		pos += len + 1;
	}
	buf_init(&out, 1u << 20);
	rc = mustache_render(set, "main", ctx, &out, err, sizeof err);
	if (out.len > (1u << 20) || strlen(err) >= sizeof err ||
	    (rc != 0 && err[0] == '\0'))
		abort();
	buf_free(&out);
	mustache_set_free(set);
	return 0;
}

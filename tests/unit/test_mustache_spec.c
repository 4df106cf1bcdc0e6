/*
 * test_mustache_spec.c - the official Mustache spec suite, run as is.
 *
 * Part of the unit tests (render).  Every test of every file in
 * $SINMUN_SHARED/fixtures/mustache-spec/ (default ../shared, relative to the
 * repository root where `make check` runs): its template and partials go
 * into a fresh set, it is rendered with its data and compared byte for byte
 * with its expected output.  Each file prints "mustache spec: FILE n/m
 * passed" so a run shows at a glance which module slipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "core/buf.h"
#include "render/mustache.h"

/* The main template's name; no spec partial uses it. */
#define SPEC_MAIN "__spec_template__"

static json_t *
spec_load(const char *file)
{
	char path[1024];
	const char *shared = getenv("SINMUN_SHARED");
	json_error_t jerr;
	json_t *doc;

	if (shared == NULL || shared[0] == '\0')
		shared = "../shared";
	snprintf(path, sizeof path, "%s/fixtures/mustache-spec/%s", shared, file);
	doc = json_load_file(path, 0, &jerr);
	cr_assert_not_null(doc, "cannot load %s: %s (line %d)", path, jerr.text, jerr.line);
	return doc;
}

/* Runs one spec test; returns 1 if it passed. */
static int
spec_one(const char *file, const json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	const char *tpl = json_string_value(json_object_get(test, "template"));
	const char *want = json_string_value(json_object_get(test, "expected"));
	json_t *partials = json_object_get(test, "partials");
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	char err[MUSTACHE_ERRLEN];
	const char *pname;
	json_t *psrc;
	int rc, ok = 0;

	cr_assert(name && tpl && want, "%s: malformed test", file);
	json_object_foreach(partials, pname, psrc) {
		rc = mustache_set_add(set, pname, json_string_value(psrc),
		    json_string_length(psrc), err, sizeof err);
		cr_expect_eq(rc, 0, "%s: \"%s\": partial %s: %s", file, name, pname, err);
		if (rc)
			goto out;
	}
	rc = mustache_set_add(set, SPEC_MAIN, tpl, strlen(tpl), err, sizeof err);
	cr_expect_eq(rc, 0, "%s: \"%s\": compile: %s", file, name, err);
	if (rc)
		goto out;
	rc = mustache_render(set, SPEC_MAIN, json_object_get(test, "data"), &out,
	    err, sizeof err);
	cr_expect_eq(rc, 0, "%s: \"%s\": render: %s", file, name, err);
	if (rc)
		goto out;
	ok = out.len == strlen(want) && memcmp(out.p ? out.p : "", want, out.len) == 0;
	cr_expect(ok, "%s: \"%s\"\n  template: %s\n  got:      [%s]\n  expected: [%s]",
	    file, name, tpl, out.p ? out.p : "", want);
out:
	buf_free(&out);
	mustache_set_free(set);
	return ok;
}

static void
spec_file(const char *file)
{
	json_t *doc = spec_load(file), *tests, *test;
	size_t i, pass = 0;

	tests = json_object_get(doc, "tests");
	cr_assert(json_is_array(tests) && json_array_size(tests) > 0,
	    "%s: no tests", file);
	json_array_foreach(tests, i, test)
		pass += (size_t)spec_one(file, test);
	printf("mustache spec: %s %zu/%zu passed\n", file, pass, json_array_size(tests));
	fflush(stdout);
	json_decref(doc);
}

Test(mustache_spec, comments) { spec_file("comments.json"); }
Test(mustache_spec, delimiters) { spec_file("delimiters.json"); }
Test(mustache_spec, interpolation) { spec_file("interpolation.json"); }
Test(mustache_spec, inverted) { spec_file("inverted.json"); }
Test(mustache_spec, partials) { spec_file("partials.json"); }
Test(mustache_spec, sections) { spec_file("sections.json"); }
Test(mustache_spec, inheritance) { spec_file("~inheritance.json"); }

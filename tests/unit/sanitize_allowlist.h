/*
 * sanitize_allowlist.h - the allowlist the sanitizer's tests check its
 * output against, written out independently of src/render/sanitize.c:
 * which elements, and which attributes of each, may survive.  Shared by
 * the unit test (tests/unit/test_sanitize.c) and the fuzz harness
 * (tests/fuzz/fuzz_sanitize.c), so the two oracles cannot drift apart.
 */
#ifndef SINMUN_TESTS_SANITIZE_ALLOWLIST_H
#define SINMUN_TESTS_SANITIZE_ALLOWLIST_H

#include <string.h>

#include <gumbo.h>

static int
elem_allowed(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P: case GUMBO_TAG_BR: case GUMBO_TAG_STRONG:
	case GUMBO_TAG_EM: case GUMBO_TAG_U: case GUMBO_TAG_S: case GUMBO_TAG_A:
	case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_UL:
	case GUMBO_TAG_OL: case GUMBO_TAG_LI: case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_IMG:
	case GUMBO_TAG_TABLE: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY:
	case GUMBO_TAG_TR: case GUMBO_TAG_TH: case GUMBO_TAG_TD: case GUMBO_TAG_SUB:
	case GUMBO_TAG_SUP: case GUMBO_TAG_HR:
		return 1;
	default:
		return 0;
	}
}

static int
attr_allowed(GumboTag t, const char *name)
{
	switch (t) {
	case GUMBO_TAG_A:
		return !strcmp(name, "href") || !strcmp(name, "title") || !strcmp(name, "rel");
	case GUMBO_TAG_IMG:
		return !strcmp(name, "src") || !strcmp(name, "alt") ||
		    !strcmp(name, "width") || !strcmp(name, "height");
	case GUMBO_TAG_TD:
	case GUMBO_TAG_TH:
		return !strcmp(name, "colspan") || !strcmp(name, "rowspan");
	case GUMBO_TAG_OL:
		return !strcmp(name, "start");
	default:
		return 0;
	}
}

#endif

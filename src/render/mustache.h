/*
 * mustache.h - the template engine: Mustache with layout inheritance.
 *
 * Part of render.  Site and admin handlers build a jansson object and render
 * a page with it; the page templates (the .mustache files under templates/,
 * compiled into the binary) are loaded into one set at start-up.  The
 * language is the whole Mustache spec (interpolation, sections, inverted
 * sections, comments, partials, set-delimiter) plus the optional inheritance
 * module: a page says {{<layout}} and fills the layout's {{$blocks}}.
 * Lambdas are not supported.
 *
 * Escaping is the default: {{x}} writes & < > " ' as entities; only {{{x}}}
 * and {{&x}} write raw bytes, so a reviewer can grep for them.
 *
 * Truth: false, null, a missing name, an empty list and an empty string are
 * false; everything else (0 included) is true.  The spec leaves the empty
 * string to the host language; we make it false so that an optional column
 * that came back "" from the store hides its section.
 *
 * Numbers: integers print as integers, reals in the shortest form that reads
 * back to the same double (1.21 -> "1.21", 100.0 -> "100").  true and false
 * print as words; null, objects and arrays print nothing.
 *
 * Threads: a set is filled (mustache_set_add) by one thread, then may be
 * rendered from any number of threads at once; rendering never writes to
 * the set.  Adding while another thread renders is not allowed.
 *
 * Limits, each reported as an error rather than a crash: sections nested
 * more than MUSTACHE_MAX_NEST deep in one template (at compile time),
 * partials and parents nested more than MUSTACHE_MAX_DEPTH deep, 512 nested
 * sections, partials and blocks in all (so a render needs under 96 KiB of
 * stack), and more than MUSTACHE_MAX_STEPS template operations in one render
 * (a template that nests a dozen loops over the same list must not hang a
 * worker).
 */
#ifndef SINMUN_RENDER_MUSTACHE_H
#define SINMUN_RENDER_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"

#define MUSTACHE_MAX_NEST  64          /* open sections/blocks in one template */
#define MUSTACHE_MAX_DEPTH 64          /* partials and parents inside each other */
#define MUSTACHE_MAX_STEPS (1u << 24)  /* template operations per render */
#define MUSTACHE_ERRLEN    256         /* a good size for the err buffers */

enum mustache_err {
	MUSTACHE_OK = 0,
	MUSTACHE_ESYNTAX,    /* the template does not compile */
	MUSTACHE_ENOTFOUND,  /* no template by that name */
	MUSTACHE_EFULL,      /* the output buffer reached its cap */
	MUSTACHE_EDEPTH,     /* partials/parents/sections nested too deep */
	MUSTACHE_ESTEPS,     /* the render did too much work */
	MUSTACHE__MAX
};

/* A set of named, compiled templates.  Opaque. */
struct mustache_set;

/* A new, empty set; the caller owns it and frees it with mustache_set_free.
 * Never returns NULL (out of memory aborts). */
struct mustache_set *mustache_set_new(void);
/* Frees the set and every template in it.  NULL is fine. */
void mustache_set_free(struct mustache_set *set);

/*
 * Compiles src (len bytes, need not be NUL-terminated) under name, e.g.
 * "layout", "article", "partials/nav".  The set keeps its own copies of name
 * and src; the caller keeps ownership of both.  A template already in the
 * set under the same name is replaced (and freed) only if the new one
 * compiles.  Returns 0, or MUSTACHE_ESYNTAX with "NAME:LINE: message" in err
 * (errlen bytes, always NUL-terminated; err may be NULL).
 */
int mustache_set_add(struct mustache_set *set, const char *name,
    const char *src, size_t len, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* 1 if the set holds a template of that name, else 0. */
int mustache_set_has(const struct mustache_set *set, const char *name);

/*
 * Renders template name with the data ctx (borrowed; NULL renders as an
 * empty context) and appends the result to out.  Partials ({{>x}}) and
 * parents ({{<x}}) are looked up in the same set by name; a missing partial
 * or parent renders as nothing, as the spec says.  Returns 0, or one of
 * enum mustache_err with "NAME: message" in err.  On error out holds a
 * partial page: discard it.
 */
int mustache_render(const struct mustache_set *set, const char *name,
    const json_t *ctx, struct buf *out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* A short English description of an enum mustache_err value. */
const char *mustache_strerror(int err);

#endif

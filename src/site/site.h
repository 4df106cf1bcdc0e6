/*
 * site.h - the public news site: the request handler the server calls,
 * and the state it needs.
 *
 * struct site is shared by all worker threads and read-only once serving
 * starts (configuration, compiled templates).  Each worker thread has its
 * own struct site_thread with its own store connection.
 */
#ifndef SINMUN_SITE_SITE_H
#define SINMUN_SITE_SITE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/config.h"
#include "http/http.h"

struct cache;
struct mustache_set;
struct store;

struct site {
	const struct config   *cfg;
	struct mustache_set   *tmpl;
	struct cache          *cache;     /* rendered pages (src/cache/) */
	struct cache          *searches;  /* search pages, a sixteenth of cache's bytes */
	/* The site version (store_site_version) the empty caches stand for:
	 * read by the first thread to start, the one every thread starts
	 * from, so that pages made by the first are not thrown away at the
	 * second one's first request.  0 until read. */
	atomic_llong           version0;
};

struct site_thread {
	struct site  *site;
	struct store *st;
	int64_t       site_version;       /* the store's, when last looked at */
	/* What every page shows, read once per generation (common.c). */
	uint64_t      parts_gen;
	struct json_t *settings;
	struct json_t *sections;
	struct json_t *weather;
	time_t        weather_at;
};

/* Compiles the templates compiled into the binary.  Returns 0, or -1
 * with the template error in err. */
int site_init(struct site *, const struct config *, char *err, size_t errlen);
void site_free(struct site *);

/* struct http_app callbacks: arg is the struct site. */
void *site_thread_init(void *arg, int idx, char *err, size_t errlen);
void site_thread_fini(void *tctx);
void site_handle(void *tctx, struct http_req *, struct http_res *);
/* On the event-loop thread: answers from the page cache, or returns 0. */
int site_fast(void *tctx, struct http_req *, struct http_res *);

#endif

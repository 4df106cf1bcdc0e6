/*
 * cache.h - the rendered-page cache: whole responses in memory, bounded
 * in bytes, least recently used out first, each kept with its ETag and its
 * gzip and brotli forms, each made once, the first time a client asks
 * for it.
 *
 * Sits in front of the site (site.c asks it before routing).  Correctness
 * does not depend on guessing which pages a change affects: every entry
 * records the generation it was rendered at, and a lookup with another
 * generation misses.  The site moves the generation on every change to
 * what it shows, whoever made it (this process, another thread, the
 * command line: store_site_version), and when the day changes in Seoul
 * (the masthead date).  A news site changes a few times a minute and is
 * read thousands of times a second, so dropping everything on a change
 * costs little and can never serve a stale page.  A page made again with
 * the same bytes keeps the time it was first made (Last-Modified), so
 * conditional requests of crawlers and CDNs still answer 304 (feeds
 * have validators of their own, src/site/feeds.c).
 *
 * Entries are reference counted and immutable once stored: a response
 * being sent keeps its entry alive while the cache evicts or replaces it.
 * All functions are thread-safe.
 */
#ifndef SINMUN_CACHE_CACHE_H
#define SINMUN_CACHE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CACHE_DEFAULT_BYTES (64u << 20)
#define CACHE_MAX_KEY       2048        /* longer keys are not cached */
#define CACHE_MIN_COMPRESS  512         /* smaller bodies are sent as they are */

enum cache_enc {
	CACHE_IDENTITY,
	CACHE_GZIP,
	CACHE_BROTLI,
	CACHE_ENC__MAX
};

struct cache;
struct cache_entry;

struct cache_page {
	int         status;
	const char *content_type;
	const char *cache_control;
	const void *body;
	size_t      len;
	time_t      expires;       /* 0: until the generation moves */
};

struct cache_stats {
	uint64_t hits, misses, stores, evictions;
	uint64_t compressions;   /* pages compressed (each encoding counts) */
	size_t   entries, bytes, max_bytes;
};

/* max_bytes 0 disables the cache (every get misses, put stores nothing). */
struct cache *cache_new(size_t max_bytes);
void cache_free(struct cache *);

/* The current generation; cache_bump moves it (every entry goes stale). */
uint64_t cache_generation(struct cache *);
void cache_bump(struct cache *);

/* A referenced entry for key at generation gen, or NULL.  Release it. */
struct cache_entry *cache_get(struct cache *, const char *key, size_t keylen, uint64_t gen, time_t now);
/*
 * Stores a copy of the page under key (replacing an older one), compressing
 * it once; returns a referenced entry (release it), or NULL when the page
 * is too large for the cache or the cache is disabled.
 */
struct cache_entry *cache_put(struct cache *, const char *key, size_t keylen, uint64_t gen,
    time_t now, const struct cache_page *);
void cache_entry_ref(struct cache_entry *);
void cache_entry_release(struct cache_entry *);

/* The body in one encoding, made on the first request for it, falling
 * back to identity for small or incompressible bodies; *used says which. */
const void *cache_entry_body(const struct cache_entry *, enum cache_enc want, size_t *len,
    enum cache_enc *used);
int cache_entry_status(const struct cache_entry *);
const char *cache_entry_content_type(const struct cache_entry *);
const char *cache_entry_cache_control(const struct cache_entry *);
const char *cache_entry_etag(const struct cache_entry *);        /* "\"...\"" */
const char *cache_entry_last_modified(const struct cache_entry *); /* HTTP date */
time_t cache_entry_stored(const struct cache_entry *);

void cache_stats(struct cache *, struct cache_stats *);

/* Which encoding an Accept-Encoding value allows, best first: br, gzip,
 * identity (q=0 honoured). */
enum cache_enc cache_pick_encoding(const char *accept, size_t len);

#endif

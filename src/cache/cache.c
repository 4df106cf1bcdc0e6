/*
 * cache.c - see cache.h.  A chained hash table and an LRU list under one
 * mutex: lookups are a hash, a compare and two pointer moves, so with the
 * handful of worker threads a server runs the lock is never the
 * bottleneck (measured in docs/benchmarks.md); compression, the only slow
 * step of a store, happens before the lock is taken.
 */
#include "cache/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <brotli/encode.h>
#include <sodium.h>
#include <zlib.h>

#include "core/kdate.h"
#include "core/log.h"

#define NBUCKETS_MIN 1024

struct cache_entry {
	atomic_int          refs;
	struct cache_entry *hnext;          /* hash chain */
	struct cache_entry *prev, *next;    /* LRU list, most recent first */
	int                 in_table;
	uint64_t            hash;
	uint64_t            gen;
	time_t              expires;
	time_t              stored;
	int                 status;
	size_t              cost;           /* bytes charged to the cache */
	char               *key;
	size_t              keylen;
	char               *content_type;
	char               *cache_control;
	char                etag[24];
	char                last_modified[KDATE_MAX];
	void               *body[CACHE_ENC__MAX];
	size_t              len[CACHE_ENC__MAX];
	int                 compressible;
	int                 tried[CACHE_ENC__MAX];  /* compression attempted */
	struct cache       *owner;
};

struct cache {
	pthread_mutex_t      lock;
	struct cache_entry **buckets;
	size_t               nbuckets;
	struct cache_entry  *head, *tail;   /* LRU */
	size_t               bytes, max_bytes, entries;
	atomic_uint_fast64_t gen;
	uint64_t             hits, misses, stores, evictions, compressions;
};

static uint64_t
hash_key(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct cache *
cache_new(size_t max_bytes)
{
	struct cache *c = calloc(1, sizeof *c);

	if (c == NULL)
		log_oom();
	pthread_mutex_init(&c->lock, NULL);
	c->max_bytes = max_bytes;
	/* About one bucket per 16 KiB of cache: chains stay short for pages. */
	c->nbuckets = max_bytes / 16384 > NBUCKETS_MIN ? max_bytes / 16384 : NBUCKETS_MIN;
	if ((c->buckets = calloc(c->nbuckets, sizeof *c->buckets)) == NULL)
		log_oom();
	atomic_init(&c->gen, 1);
	return c;
}

static void
entry_free(struct cache_entry *e)
{
	int i;

	for (i = 0; i < CACHE_ENC__MAX; i++)
		free(e->body[i]);
	free(e->key);
	free(e->content_type);
	free(e->cache_control);
	free(e);
}

void
cache_entry_ref(struct cache_entry *e)
{
	atomic_fetch_add(&e->refs, 1);
}

void
cache_entry_release(struct cache_entry *e)
{
	if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1)
		entry_free(e);
}

/* Unlinks e from the table and the list; the table's reference goes.
 * Called with the lock held. */
static void
unlink_entry(struct cache *c, struct cache_entry *e)
{
	struct cache_entry **pp = &c->buckets[e->hash % c->nbuckets];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->in_table = 0;
	c->bytes -= e->cost;
	c->entries--;
	cache_entry_release(e);
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	while (c->head)
		unlink_entry(c, c->head);
	free(c->buckets);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

uint64_t
cache_generation(struct cache *c)
{
	return atomic_load(&c->gen);
}

void
cache_bump(struct cache *c)
{
	atomic_fetch_add(&c->gen, 1);
}

static struct cache_entry *
find(struct cache *c, const char *key, size_t keylen, uint64_t h)
{
	struct cache_entry *e;

	for (e = c->buckets[h % c->nbuckets]; e; e = e->hnext)
		if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return e;
	return NULL;
}

struct cache_entry *
cache_get(struct cache *c, const char *key, size_t keylen, uint64_t gen, time_t now)
{
	struct cache_entry *e;
	uint64_t h;

	if (c->max_bytes == 0 || keylen > CACHE_MAX_KEY)
		return NULL;
	h = hash_key(key, keylen);
	pthread_mutex_lock(&c->lock);
	e = find(c, key, keylen, h);
	if (e && (e->gen != gen || (e->expires && now >= e->expires))) {
		/* Stale: a miss.  It stays until the page made again replaces
		 * it (cache_put keeps its Last-Modified when the bytes are the
		 * same) or it is the least recently used. */
		e = NULL;
	}
	if (e) {
		if (e != c->head) {
			/* Move to the front of the LRU list. */
			e->prev->next = e->next;
			if (e->next)
				e->next->prev = e->prev;
			else
				c->tail = e->prev;
			e->prev = NULL;
			e->next = c->head;
			c->head->prev = e;
			c->head = e;
		}
		cache_entry_ref(e);
		c->hits++;
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->lock);
	return e;
}

/* The compressed forms an older entry of the same bytes has already made
 * (or found not worth keeping), copied: the old entry may still be on its
 * way out to a client, and copying a few kilobytes is far cheaper than
 * compressing them again.  Called with the lock held. */
static void
carry_encodings(struct cache_entry *e, const struct cache_entry *old)
{
	int enc;

	for (enc = CACHE_IDENTITY + 1; enc < CACHE_ENC__MAX; enc++) {
		if (!old->tried[enc])
			continue;
		e->tried[enc] = 1;
		if (old->body[enc] == NULL)
			continue;
		if ((e->body[enc] = malloc(old->len[enc])) == NULL)
			log_oom();
		memcpy(e->body[enc], old->body[enc], old->len[enc]);
		e->len[enc] = old->len[enc];
		e->cost += old->len[enc];
	}
}

/* Compressed copies are kept only when they save something. */
static void
compress_gzip(struct cache_entry *e)
{
	z_stream zs;
	size_t cap = compressBound((uLong)e->len[CACHE_IDENTITY]) + 32;
	unsigned char *out = malloc(cap);

	if (out == NULL)
		log_oom();
	memset(&zs, 0, sizeof zs);
	/* windowBits 15 + 16: a gzip header, as Content-Encoding: gzip wants. */
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return;
	}
	zs.next_in = e->body[CACHE_IDENTITY];
	zs.avail_in = (uInt)e->len[CACHE_IDENTITY];
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out >= e->len[CACHE_IDENTITY]) {
		deflateEnd(&zs);
		free(out);
		return;
	}
	e->len[CACHE_GZIP] = zs.total_out;
	e->body[CACHE_GZIP] = out;
	deflateEnd(&zs);
}

static void
compress_brotli(struct cache_entry *e)
{
	size_t cap = BrotliEncoderMaxCompressedSize(e->len[CACHE_IDENTITY]);
	uint8_t *out;

	if (cap == 0)
		return;
	if ((out = malloc(cap)) == NULL)
		log_oom();
	/* Quality 6: most of the gain of 11 at a small part of its cost. */
	if (!BrotliEncoderCompress(6, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT,
	    e->len[CACHE_IDENTITY], e->body[CACHE_IDENTITY], &cap, out) ||
	    cap >= e->len[CACHE_IDENTITY]) {
		free(out);
		return;
	}
	e->len[CACHE_BROTLI] = cap;
	e->body[CACHE_BROTLI] = out;
}

static char *
dupz(const char *s)
{
	char *p = strdup(s ? s : "");

	if (p == NULL)
		log_oom();
	return p;
}

struct cache_entry *
cache_put(struct cache *c, const char *key, size_t keylen, uint64_t gen, time_t now,
    const struct cache_page *pg)
{
	struct cache_entry *e, *old;
	unsigned char hash[16];
	int i;

	if (c->max_bytes == 0 || keylen > CACHE_MAX_KEY || pg->len > c->max_bytes / 8)
		return NULL;
	if ((e = calloc(1, sizeof *e)) == NULL)
		log_oom();
	atomic_init(&e->refs, 2);     /* the table's and the caller's */
	e->owner = c;
	e->hash = hash_key(key, keylen);
	e->gen = gen;
	e->expires = pg->expires;
	e->stored = now;
	e->status = pg->status;
	if ((e->key = malloc(keylen + 1)) == NULL)
		log_oom();
	memcpy(e->key, key, keylen);
	e->key[keylen] = '\0';
	e->keylen = keylen;
	e->content_type = dupz(pg->content_type);
	e->cache_control = dupz(pg->cache_control);
	if ((e->body[CACHE_IDENTITY] = malloc(pg->len ? pg->len : 1)) == NULL)
		log_oom();
	memcpy(e->body[CACHE_IDENTITY], pg->body, pg->len);
	e->len[CACHE_IDENTITY] = pg->len;
	crypto_generichash(hash, sizeof hash, pg->body, pg->len, NULL, 0);
	e->etag[0] = '"';
	for (i = 0; i < 10; i++) {
		static const char hex[] = "0123456789abcdef";

		e->etag[1 + 2 * i] = hex[hash[i] >> 4];
		e->etag[2 + 2 * i] = hex[hash[i] & 15];
	}
	e->etag[21] = '"';
	e->etag[22] = '\0';
	kdate_http(now, e->last_modified);
	e->compressible = pg->len >= CACHE_MIN_COMPRESS;
	e->cost = sizeof *e + keylen + pg->len + 128;

	pthread_mutex_lock(&c->lock);
	if ((old = find(c, key, keylen, e->hash)) != NULL) {
		/* Made again after a change elsewhere, the same bytes: not
		 * modified since the older copy was made, so a crawler's or a
		 * CDN's If-Modified-Since still answers 304. */
		if (old->status == e->status && strcmp(old->etag, e->etag) == 0 &&
		    strcmp(old->content_type, e->content_type) == 0) {
			e->stored = old->stored;
			memcpy(e->last_modified, old->last_modified, sizeof e->last_modified);
			carry_encodings(e, old);
		}
		unlink_entry(c, old);
	}
	while (c->tail && c->bytes + e->cost > c->max_bytes) {
		unlink_entry(c, c->tail);
		c->evictions++;
	}
	e->hnext = c->buckets[e->hash % c->nbuckets];
	c->buckets[e->hash % c->nbuckets] = e;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
	e->in_table = 1;
	c->bytes += e->cost;
	c->entries++;
	c->stores++;
	pthread_mutex_unlock(&c->lock);
	return e;
}

/*
 * Compressed forms are made the first time a client asks for one, once:
 * a page nobody reads compressed costs no compression, and a cold page
 * that misses the cache is not slowed by work its reader may not want.
 * Two threads may compress the same entry at the same moment; the first to
 * finish publishes its result under the lock and the other's is dropped.
 */
static void
make_encoding(struct cache_entry *e, enum cache_enc enc)
{
	struct cache_entry tmp;
	struct cache *c = e->owner;

	memset(&tmp, 0, sizeof tmp);
	tmp.body[CACHE_IDENTITY] = e->body[CACHE_IDENTITY];
	tmp.len[CACHE_IDENTITY] = e->len[CACHE_IDENTITY];
	if (enc == CACHE_GZIP)
		compress_gzip(&tmp);
	else
		compress_brotli(&tmp);
	pthread_mutex_lock(&c->lock);
	c->compressions++;
	if (!e->tried[enc]) {
		e->tried[enc] = 1;
		e->body[enc] = tmp.body[enc];
		e->len[enc] = tmp.len[enc];
		tmp.body[enc] = NULL;
		if (e->in_table) {
			e->cost += e->len[enc];
			c->bytes += e->len[enc];
		}
	}
	pthread_mutex_unlock(&c->lock);
	free(tmp.body[enc]);
}

const void *
cache_entry_body(const struct cache_entry *ce, enum cache_enc want, size_t *len, enum cache_enc *used)
{
	struct cache_entry *e = (struct cache_entry *)ce;
	int tried;

	if ((unsigned)want >= CACHE_ENC__MAX)
		want = CACHE_IDENTITY;
	if (want != CACHE_IDENTITY && e->compressible) {
		pthread_mutex_lock(&e->owner->lock);
		tried = e->tried[want];
		pthread_mutex_unlock(&e->owner->lock);
		if (!tried)
			make_encoding(e, want);
	}
	if (e->body[want] == NULL)
		want = CACHE_IDENTITY;
	*len = e->len[want];
	if (used)
		*used = want;
	return e->body[want];
}

int cache_entry_status(const struct cache_entry *e) { return e->status; }
const char *cache_entry_content_type(const struct cache_entry *e) { return e->content_type; }
const char *cache_entry_cache_control(const struct cache_entry *e) { return e->cache_control; }
const char *cache_entry_etag(const struct cache_entry *e) { return e->etag; }
const char *cache_entry_last_modified(const struct cache_entry *e) { return e->last_modified; }
time_t cache_entry_stored(const struct cache_entry *e) { return e->stored; }

void
cache_stats(struct cache *c, struct cache_stats *s)
{
	pthread_mutex_lock(&c->lock);
	s->hits = c->hits;
	s->misses = c->misses;
	s->stores = c->stores;
	s->compressions = c->compressions;
	s->evictions = c->evictions;
	s->entries = c->entries;
	s->bytes = c->bytes;
	s->max_bytes = c->max_bytes;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Accept-Encoding: "br, gzip;q=0.8, *;q=0" and the like.  Picks br when
 * allowed, else gzip, else identity; a coding with q=0 is refused.  Only
 * the codings we have are looked at.
 */
enum cache_enc
cache_pick_encoding(const char *s, size_t len)
{
	int br = 0, gz = 0;
	size_t i = 0, start, tl;
	const char *tok, *semi;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == ','))
			i++;
		start = i;
		while (i < len && s[i] != ',')
			i++;
		tok = s + start;
		tl = i - start;
		semi = memchr(tok, ';', tl);
		{
			size_t nl = semi ? (size_t)(semi - tok) : tl;
			int q0 = 0;

			while (nl && tok[nl - 1] == ' ')
				nl--;
			if (semi) {
				const char *q = semi + 1;
				size_t ql = tl - (size_t)(q - tok);

				while (ql && *q == ' ') {
					q++;
					ql--;
				}
				/* q=0, q=0.0, q=0.00, q=0.000 */
				if (ql >= 3 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=' && q[2] == '0') {
					size_t k = 3;

					q0 = 1;
					if (k < ql && q[k] == '.')
						for (k++; k < ql && q[k] != ' '; k++)
							if (q[k] != '0')
								q0 = 0;
				}
			}
			if (nl == 2 && strncasecmp(tok, "br", 2) == 0)
				br = q0 ? -1 : 1;
			else if (nl == 4 && strncasecmp(tok, "gzip", 4) == 0)
				gz = q0 ? -1 : 1;
		}
	}
	if (br > 0)
		return CACHE_BROTLI;
	if (gz > 0)
		return CACHE_GZIP;
	return CACHE_IDENTITY;
}

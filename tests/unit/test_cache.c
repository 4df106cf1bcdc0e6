/*
 * test_cache.c - the rendered-page cache: LRU by bytes, generations,
 * encodings, and over HTTP: 304s, Vary, compressed bodies that decode to
 * the page, and freshness after every kind of change to the database.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zlib.h>
#include <brotli/decode.h>

#include "cache/cache.h"
#include "core/arena.h"
#include "render/sanitize.h"
#include "store/store.h"
#include "testutil.h"

static struct cache_page
page(const char *body)
{
	struct cache_page p;

	memset(&p, 0, sizeof p);
	p.status = 200;
	p.content_type = "text/html; charset=utf-8";
	p.cache_control = "public, max-age=60";
	p.body = body;
	p.len = strlen(body);
	return p;
}

Test(cache, get_put_generation_and_expiry)
{
	struct cache *c = cache_new(1 << 20);
	struct cache_page p = page("<p>첫 페이지</p>");
	struct cache_entry *e;
	size_t len;
	const void *b;

	cr_assert_null(cache_get(c, "/a", 2, 1, 100));
	e = cache_put(c, "/a", 2, 1, 100, &p);
	cr_assert_not_null(e);
	cache_entry_release(e);
	e = cache_get(c, "/a", 2, 1, 100);
	cr_assert_not_null(e);
	b = cache_entry_body(e, CACHE_IDENTITY, &len, NULL);
	cr_expect_eq(len, p.len);
	cr_expect(memcmp(b, p.body, len) == 0);
	cr_expect_eq(cache_entry_etag(e)[0], '"');
	cache_entry_release(e);
	/* Another generation misses. */
	cr_expect_null(cache_get(c, "/a", 2, 2, 100));
	/* Expiry. */
	p.expires = 150;
	cache_entry_release(cache_put(c, "/b", 2, 1, 100, &p));
	e = cache_get(c, "/b", 2, 1, 149);
	cr_expect_not_null(e);
	cache_entry_release(e);
	cr_expect_null(cache_get(c, "/b", 2, 1, 150));
	cache_free(c);
}

/* A page made again at a later generation or after its expiry keeps the
 * time it was first made when its bytes are the same, and takes the new
 * time when they are not: If-Modified-Since answers 304 for a page that
 * a change elsewhere made again without changing it. */
Test(cache, same_bytes_made_again_keep_their_time)
{
	struct cache *c = cache_new(1 << 20);
	struct cache_page p = page("<p>같은 목록</p>"), q = page("<p>새 기사가 든 목록</p>");
	struct cache_entry *e;
	char first[64];

	e = cache_put(c, "/sections/a", 11, 1, 1000, &p);
	snprintf(first, sizeof first, "%s", cache_entry_last_modified(e));
	cache_entry_release(e);
	cr_expect_null(cache_get(c, "/sections/a", 11, 2, 2000));
	e = cache_put(c, "/sections/a", 11, 2, 2000, &p);
	cr_expect_eq(cache_entry_stored(e), 1000);
	cr_expect_str_eq(cache_entry_last_modified(e), first);
	cache_entry_release(e);
	/* Other bytes: modified now. */
	cr_expect_null(cache_get(c, "/sections/a", 11, 3, 3000));
	e = cache_put(c, "/sections/a", 11, 3, 3000, &q);
	cr_expect_eq(cache_entry_stored(e), 3000);
	cr_expect_str_neq(cache_entry_last_modified(e), first);
	cache_entry_release(e);
	/* The same bytes after an expiry. */
	q.expires = 3060;
	cache_entry_release(cache_put(c, "/x", 2, 3, 3000, &q));
	cr_expect_null(cache_get(c, "/x", 2, 3, 3060));
	e = cache_put(c, "/x", 2, 3, 3060, &q);
	cr_expect_eq(cache_entry_stored(e), 3000);
	cache_entry_release(e);
	cache_free(c);
}

/* Its compressed forms come with it: the same bytes are not compressed
 * again, while the old entry a client may still be reading stays whole. */
Test(cache, same_bytes_made_again_keep_their_compressed_forms)
{
	struct cache *c = cache_new(1 << 20);
	char *body = malloc(8000), *other = malloc(8000);
	struct cache_page p, q;
	struct cache_entry *old, *e;
	struct cache_stats st;
	const void *b1, *b2;
	size_t l1, l2;
	enum cache_enc used;
	int i;

	for (i = 0; i < 7999; i++) {
		body[i] = "춘천 시내 버스 노선이 바뀝니다. "[i % 40];
		other[i] = "강원 도의회 예산 심사가 끝났다. "[i % 40];
	}
	body[7999] = other[7999] = '\0';
	p = page(body);
	q = page(other);
	old = cache_put(c, "/s", 2, 1, 1000, &p);
	b1 = cache_entry_body(old, CACHE_BROTLI, &l1, &used);
	cr_assert_eq(used, CACHE_BROTLI);
	cache_entry_body(old, CACHE_GZIP, &l2, &used);
	cr_assert_eq(used, CACHE_GZIP);
	cache_stats(c, &st);
	cr_expect_eq(st.compressions, 2);
	/* Made again at the next generation while 'old' is still held. */
	e = cache_put(c, "/s", 2, 2, 2000, &p);
	b2 = cache_entry_body(e, CACHE_BROTLI, &l2, &used);
	cr_expect_eq(used, CACHE_BROTLI);
	cr_expect_eq(l2, l1);
	cr_expect(b2 != b1 && memcmp(b2, b1, l1) == 0, "a copy of its own, the same bytes");
	cache_entry_body(e, CACHE_GZIP, &l2, &used);
	cr_expect_eq(used, CACHE_GZIP);
	cache_stats(c, &st);
	cr_expect_eq(st.compressions, 2, "nothing compressed again");
	cr_expect_gt(st.bytes, 8000 + l1, "the copies count against the bound");
	cr_expect(memcmp(cache_entry_body(old, CACHE_BROTLI, &l2, NULL), b2, l1) == 0);
	cache_entry_release(old);
	cache_entry_release(e);
	/* Other bytes: compressed anew. */
	e = cache_put(c, "/s", 2, 3, 3000, &q);
	cache_entry_body(e, CACHE_BROTLI, &l2, &used);
	cache_stats(c, &st);
	cr_expect_eq(st.compressions, 3);
	cache_entry_release(e);
	cache_free(c);
	free(body);
	free(other);
}

Test(cache, bounded_by_bytes_least_recently_used_out)
{
	struct cache *c = cache_new(64 << 10);
	struct cache_stats st;
	char key[32], *body = malloc(4000);
	struct cache_page p;
	struct cache_entry *e;
	int i;

	for (i = 0; i < 3999; i++)
		body[i] = (char)('a' + (i * 7919) % 26);   /* compresses poorly */
	body[3999] = '\0';
	p = page(body);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "/p%d", i);
		cache_entry_release(cache_put(c, key, strlen(key), 1, 0, &p));
		/* Keep /p0 in use: it must survive as the most recently used. */
		if ((e = cache_get(c, "/p0", 3, 1, 0)) != NULL)
			cache_entry_release(e);
	}
	cache_stats(c, &st);
	cr_expect_leq(st.bytes, 64u << 10, "cache holds %zu bytes over its cap", st.bytes);
	cr_expect_gt(st.evictions, 50);
	e = cache_get(c, "/p0", 3, 1, 0);
	cr_expect_not_null(e, "the most recently used page was evicted");
	cache_entry_release(e);
	cr_expect_null(cache_get(c, "/p1", 3, 1, 0), "an old page was kept");
	e = cache_get(c, "/p99", 4, 1, 0);
	cr_expect_not_null(e);
	cache_entry_release(e);
	/* Too large for the cache: not stored. */
	p.len = 0;
	{
		char *huge = calloc(1, 65 << 10);

		memset(huge, 'x', (65 << 10) - 1);
		p = page(huge);
		cr_expect_null(cache_put(c, "/huge", 5, 1, 0, &p));
		free(huge);
	}
	free(body);
	cache_free(c);
}

Test(cache, entry_outlives_eviction_while_referenced)
{
	struct cache *c = cache_new(1 << 20);
	struct cache_page p = page("<p>보내는 중</p>");
	struct cache_entry *e = cache_put(c, "/x", 2, 1, 0, &p);
	size_t len;

	cache_bump(c);
	cr_expect_null(cache_get(c, "/x", 2, 2, 0));   /* dropped from the table */
	const void *b = cache_entry_body(e, CACHE_IDENTITY, &len, NULL);

	cr_expect_eq(len, p.len);
	cr_expect(memcmp(b, p.body, len) == 0);
	cache_entry_release(e);
	cache_free(c);
}

Test(cache, compressed_forms_decode_to_the_page)
{
	struct cache *c = cache_new(1 << 20);
	char *body = malloc(20000), out[20001];
	struct cache_page p;
	struct cache_entry *e;
	enum cache_enc used;
	const void *b;
	size_t len, outlen;
	uLongf zl;
	int i;
	z_stream zs;

	for (i = 0; i < 19999; i++)
		body[i] = "봄내일보 기사 본문입니다. "[i % 30];
	body[19999] = '\0';
	p = page(body);
	e = cache_put(c, "/z", 2, 1, 0, &p);
	b = cache_entry_body(e, CACHE_BROTLI, &len, &used);
	cr_assert_eq(used, CACHE_BROTLI);
	cr_expect_lt(len, 2000);
	outlen = sizeof out;
	cr_assert_eq(BrotliDecoderDecompress(len, b, &outlen, (uint8_t *)out), BROTLI_DECODER_RESULT_SUCCESS);
	cr_expect_eq(outlen, 19999);
	cr_expect(memcmp(out, body, outlen) == 0);
	b = cache_entry_body(e, CACHE_GZIP, &len, &used);
	cr_assert_eq(used, CACHE_GZIP);
	memset(&zs, 0, sizeof zs);
	cr_assert_eq(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)b;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = sizeof out;
	cr_assert_eq(inflate(&zs, Z_FINISH), Z_STREAM_END);
	zl = zs.total_out;
	inflateEnd(&zs);
	cr_expect_eq(zl, 19999);
	cr_expect(memcmp(out, body, zl) == 0);
	cache_entry_release(e);
	/* A small page is only kept as it is. */
	p = page("<p>짧다</p>");
	e = cache_put(c, "/s", 2, 1, 0, &p);
	cache_entry_body(e, CACHE_BROTLI, &len, &used);
	cr_expect_eq(used, CACHE_IDENTITY);
	cache_entry_release(e);
	free(body);
	cache_free(c);
}

struct enc_case {
	const char *accept;
	enum cache_enc want;
};

static const struct enc_case enc_cases[] = {
	{ "", CACHE_IDENTITY },
	{ "gzip", CACHE_GZIP },
	{ "gzip, deflate, br", CACHE_BROTLI },
	{ "br;q=0, gzip", CACHE_GZIP },
	{ "br;q=0.0, gzip;q=0", CACHE_IDENTITY },
	{ "BR", CACHE_BROTLI },
	{ "gzip;q=0.5", CACHE_GZIP },
	{ "identity", CACHE_IDENTITY },
	{ "x-gzip-like, brotli", CACHE_IDENTITY },
	{ " gzip ;q=1 , br ; q=0.001", CACHE_BROTLI },
};

Test(cache, accept_encoding)
{
	size_t i;

	for (i = 0; i < sizeof enc_cases / sizeof enc_cases[0]; i++)
		cr_expect_eq(cache_pick_encoding(enc_cases[i].accept, strlen(enc_cases[i].accept)),
		    enc_cases[i].want, "'%s'", enc_cases[i].accept);
}

/* ---- over HTTP, with the real server ---- */

static struct test_server srv;
static char db[128];

static void
start(void)
{
	const char *extra[] = { "--demo", NULL };

	tu_tmp_path(db, sizeof db, ".db");
	cr_assert_eq(tu_server_start(&srv, db, extra), 0);
}

static void
stop(void)
{
	tu_server_stop(&srv);
	tu_rm_db(db);
}

static char *
get(const char *target, const char *const *headers, long *status)
{
	struct tu_response r;
	char *body;

	cr_assert_eq(tu_http(srv.port, "GET", target, headers, NULL, 0, &r), 0);
	*status = r.status;
	body = strdup(r.body.p);
	tu_response_free(&r);
	return body;
}

/* Runs SQL on the database from another connection, as another process
 * (the newsroom, an import, the weather job) would. */
static void
change(const char *sql)
{
	sqlite3 *h;
	char *err = NULL;

	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(h);
}

Test(cache_http, conditional_requests_and_encodings, .init = start, .fini = stop)
{
	struct tu_response r;
	char etag[64] = "", hdr[96];
	const char *inm[2] = { hdr, NULL };
	const char *ae[] = { "Accept-Encoding: gzip", NULL };
	const char *p;

	cr_assert_eq(tu_http(srv.port, "GET", "/articles/1001", NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect(tu_header_has(&r, "Vary", "Accept-Encoding"));
	cr_expect(tu_header_has(&r, "Cache-Control", "max-age="));
	p = strcasestr(r.headers.p, "etag: ");
	cr_assert_not_null(p);
	{
		size_t k = strcspn(p + 6, "\r\n");

		cr_assert_lt(k, sizeof etag);
		memcpy(etag, p + 6, k);
		etag[k] = '\0';
	}
	tu_response_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	cr_assert_eq(tu_http(srv.port, "GET", "/articles/1001", inm, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 304);
	cr_expect_eq(r.body.len, 0);
	tu_response_free(&r);
	cr_assert_eq(tu_http(srv.port, "GET", "/articles/1001", ae, NULL, 0, &r), 0);
	cr_expect(tu_header_has(&r, "Content-Encoding", "gzip"));
	cr_expect(r.body.len > 0 && (unsigned char)r.body.p[0] == 0x1f, "a gzip body");
	tu_response_free(&r);
	snprintf(hdr, sizeof hdr, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT");
	cr_assert_eq(tu_http(srv.port, "GET", "/", inm, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200, "a page changed since 2000 is sent");
	p = strcasestr(r.headers.p, "last-modified: ");
	cr_assert_not_null(p);
	snprintf(hdr, sizeof hdr, "If-Modified-Since: %.29s", p + 15);
	tu_response_free(&r);
	cr_assert_eq(tu_http(srv.port, "GET", "/", inm, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 304, "%s", hdr);
	tu_response_free(&r);
}

/* Each kind of change makes every affected page fresh at the next request. */
Test(cache_http, fresh_after_every_change, .init = start, .fini = stop)
{
	const char *pages[] = { "/", "/articles/1001", "/articles/1002", "/sections/politics",
		"/reporters/3", "/tags/%EC%98%88%EC%82%B0" };
	long status;
	char *b;
	size_t i;

	/* Warm the cache. */
	for (i = 0; i < sizeof pages / sizeof pages[0]; i++)
		free(get(pages[i], NULL, &status));

	/* An edit of a headline: article, front page, section, reporter, tag,
	 * and the related list of another article in its section. */
	change("UPDATE article SET headline = '고친 제목 알림' || '판', updated_at = updated_at + 60 WHERE id = 1001");
	for (i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		b = get(pages[i], NULL, &status);
		if (status == 200 && (i == 1 || i == 3 || i == 4))
			cr_expect(strstr(b, "고친 제목 알림판") != NULL, "%s is stale after an edit", pages[i]);
		free(b);
	}
	/* Unpublishing: gone from the lists, 404 for the article. */
	change("UPDATE article SET status = 'unpublished' WHERE id = 1001");
	b = get("/articles/1001", NULL, &status);
	cr_expect_eq(status, 404, "an unpublished article is served from the cache");
	free(b);
	b = get("/sections/politics", NULL, &status);
	cr_expect(strstr(b, "/articles/1001\"") == NULL, "an unpublished article is still listed");
	free(b);
	/* A new weather observation: every page's ticker. */
	change("INSERT INTO weather_obs (station_id, observed_at, condition, temperature, stored_at) "
	    "VALUES (101, 1764032400, '맑음', -3.5, 0)");
	b = get("/articles/1002", NULL, &status);
	cr_expect(strstr(b, "<span class=\"cond\">맑음</span><span class=\"stn\">춘천</span> <span class=\"temp\">-3.5℃</span>") != NULL,
	    "the ticker is stale after a new observation");
	free(b);
	/* A settings change: the footer of every page. */
	change("UPDATE setting SET value = '033-999-0000' WHERE key = 'phone'");
	b = get("/", NULL, &status);
	cr_expect(strstr(b, "033-999-0000") != NULL, "the footer is stale after a settings change");
	free(b);
	/* A new section appears in the navigation. */
	change("INSERT INTO section (slug, name, position) VALUES ('sports', '스포츠', 9)");
	b = get("/articles/1002", NULL, &status);
	cr_expect(strstr(b, "href=\"/sections/sports\"") != NULL, "navigation is stale after a new section");
	free(b);
}

/*
 * Freshness at the very next request, many times over: the server skips
 * PRAGMA data_version while the WAL-index header has not moved
 * (store_data_version), so every commit here, from a connection that
 * stays open, after checkpoints that restart the WAL, and after commits
 * that change nothing on the page, must still show at the next request,
 * whichever event loop takes it.
 */
Test(cache_http, fresh_at_the_next_request_after_each_commit, .init = start, .fini = stop)
{
	sqlite3 *h;
	char sql[256], want[64], *b, *err = NULL;
	long status;
	int i, k;

	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	for (i = 0; i < 40; i++) {
		/* Cached, and the header unchanged since: answered without SQL. */
		for (k = 0; k < 3; k++)
			free(get("/articles/1001", NULL, &status));
		snprintf(sql, sizeof sql, "UPDATE article SET headline = '차례 %d번 제목' WHERE id = 1001", i);
		if (i % 4 == 1)
			cr_assert_eq(sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, &err),
			    SQLITE_OK, "%s", err);
		if (i % 4 == 2)
			cr_assert_eq(sqlite3_exec(h, "UPDATE setting SET value = value WHERE key = 'phone'",
			    NULL, NULL, &err), SQLITE_OK, "%s", err);
		cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
		snprintf(want, sizeof want, "차례 %d번 제목", i);
		for (k = 0; k < 2; k++) {
			b = get("/articles/1001", NULL, &status);
			cr_expect_eq(status, 200);
			cr_expect(strstr(b, want) != NULL, "round %d, request %d: the page is stale", i, k);
			free(b);
		}
	}
	sqlite3_close(h);
}

/* Search pages are kept too (in a cache of their own), and a newsroom
 * write makes a search fresh at the next request like any page. */
Test(cache_http, search_pages_cached_and_fresh, .init = start, .fini = stop)
{
	const char *target = "/search?q=%ED%95%B4%EC%98%A4%EB%A6%84%EC%B6%95%EC%A0%84";   /* 해오름축전 */
	struct arena a = ARENA_INIT;
	struct tu_response r;
	struct article art;
	struct store *st;
	char *b;
	long status;

	cr_assert_eq(tu_http(srv.port, "GET", target, NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect(strstr(r.body.p, "검색 결과가 없습니다") != NULL);
	cr_expect(tu_header_has(&r, "Cache-Control", "max-age=60"), "%s", r.headers.p);
	cr_expect(tu_header_has(&r, "ETag", "\""), "answered from the cache: %s", r.headers.p);
	tu_response_free(&r);

	store_set_text_of(sanitize_text);
	st = tu_store_open(db, 0);
	cr_assert_eq(store_article_get(st, &a, 1001, &art), STORE_OK);
	art.headline = "해오름축전 개막";
	art.body_text = NULL;
	cr_assert_eq(store_article_update(st, &art), STORE_OK, "%s", store_errmsg(st));
	store_close(st);
	arena_free(&a);

	b = get(target, NULL, &status);
	cr_expect_eq(status, 200);
	cr_expect(strstr(b, "/articles/1001") != NULL, "the search is stale after an edit: %s", b);
	free(b);
}

/* The Last-Modified of target: when its cached form was made. */
static void
last_modified(const char *target, char *out, size_t len)
{
	struct tu_response r;
	const char *p;

	cr_assert_eq(tu_http(srv.port, "GET", target, NULL, NULL, 0, &r), 0);
	cr_assert_eq(r.status, 200, "%s", target);
	p = strcasestr(r.headers.p, "last-modified: ");
	cr_assert_not_null(p, "%s: %s", target, r.headers.p);
	snprintf(out, len, "%.*s", (int)strcspn(p + 15, "\r\n"), p + 15);
	tu_response_free(&r);
}

/* Pages made and stored since the server started, both caches (the
 * lines of /healthz after "ok"). */
static unsigned long long
stored(void)
{
	struct tu_response r;
	unsigned long long n = 0, k;
	const char *p;
	char *end;

	cr_assert_eq(tu_http(srv.port, "GET", "/healthz", NULL, NULL, 0, &r), 0);
	cr_assert_eq(r.status, 200);
	cr_assert(strncmp(r.body.p, "ok\n", 3) == 0, "%s", r.body.p);
	for (p = r.body.p; (p = strstr(p, " misses, ")) != NULL; p = end) {
		k = strtoull(p + 9, &end, 10);
		cr_assert(end != p + 9 && strncmp(end, " stored", 7) == 0, "%s", r.body.p);
		n += k;
	}
	tu_response_free(&r);
	return n;
}

/*
 * Commits that show on no public page (a session's last-seen time, a
 * failed login, an audit line, a new tag, a revision, a draft's edit) leave the
 * cached pages and searches as they were; a commit that shows makes them
 * anew.  A page made anew a second later has another Last-Modified.
 */
Test(cache_http, commits_that_show_nowhere_keep_the_cache, .init = start, .fini = stop)
{
	const char *targets[] = { "/", "/articles/1001", "/sections/politics",
		"/search?q=%EC%B6%95%EC%A0%9C" };   /* 축제 */
	char before[4][64], after[64];
	unsigned long long made;
	size_t i;

	cr_assert_gt(tu_db_int(db, "SELECT count(*) FROM article WHERE status = 'draft'", 0), 0,
	    "the demo has no draft");
	for (i = 0; i < 4; i++)
		last_modified(targets[i], before[i], sizeof before[i]);
	usleep(1100 * 1000);
	change("INSERT INTO session (token_hash, person_id, csrf, created_at, last_seen, expires_at) "
	    "SELECT 'test-session', min(id), '-', 1, 1, 4000000000 FROM person");
	change("UPDATE session SET last_seen = 2 WHERE token_hash = 'test-session'");
	change("INSERT INTO login_failure (key, at) VALUES ('someone@example.kr', 1)");
	change("INSERT INTO audit (at, action, detail) VALUES (1, 'test', '')");
	change("INSERT INTO tag (name) VALUES ('초안에만붙은태그')");
	change("UPDATE article SET headline = headline || ' (고침)', desk_note = '확인 필요' "
	    "WHERE id = (SELECT min(id) FROM article WHERE status = 'draft')");
	change("INSERT INTO revision (article_id, version, at, snapshot) "
	    "SELECT min(id), 1, 1, '{}' FROM article WHERE status = 'draft'");
	change("UPDATE article_body SET body = '<p>초안을 고쳤습니다.</p>' "
	    "WHERE article_id = (SELECT min(id) FROM article WHERE status = 'draft')");
	made = stored();
	for (i = 0; i < 4; i++) {
		last_modified(targets[i], after, sizeof after);
		cr_expect_str_eq(after, before[i], "%s was made anew after commits that show nowhere", targets[i]);
	}
	cr_expect_eq(stored(), made, "pages were made again after commits that show nowhere");
	/* A correction to a published article shows: every page is made
	 * again, and the article's bytes and time are new; the others', made
	 * of the same bytes, keep their time (If-Modified-Since still 304). */
	change("INSERT INTO correction (article_id, kind, at, text, created_at) "
	    "VALUES (1001, 'correction', 1764032400, '바로잡습니다.', 1764032400)");
	for (i = 0; i < 4; i++) {
		last_modified(targets[i], after, sizeof after);
		if (i == 1)
			cr_expect_str_neq(after, before[i], "%s kept after its correction", targets[i]);
		else
			cr_expect_str_eq(after, before[i], "%s, the same bytes, has a new time", targets[i]);
	}
	cr_expect_eq(stored(), made + 4, "the pages were not all made again after a correction");
}

/*
 * Every table is either watched by the site generation's triggers for
 * inserts, updates and deletes (migration 013), or named here as one no
 * public page reads.  A table added later fails this test until it is one
 * or the other.
 */
Test(cache, every_table_counted_or_named_as_unseen)
{
	static const char *const unseen[] = {
		"api_token", "audit", "login_failure", "revision", "session",
		/* kept by the article tables' own triggers */
		"article_count", "link_count", "article_day",
		"site_gen", NULL
	};
	static const char *const events[] = { "INSERT", "UPDATE", "DELETE" };
	char path[128], like[96];
	struct store *st;
	sqlite3_stmt *s;
	sqlite3 *h;
	int i, k, tables = 0;

	store_set_text_of(sanitize_text);
	st = tu_store_new(path, sizeof path);
	store_close(st);
	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_schema WHERE type = 'table' "
	    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'article_fts%' ORDER BY name", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int skip = 0;

		tables++;
		for (i = 0; unseen[i]; i++)
			skip |= strcmp(unseen[i], name) == 0;
		if (skip)
			continue;
		for (k = 0; k < 3; k++) {
			sqlite3_stmt *t;

			/* Pages find a tag by its name: a new one shows once a
			 * published article carries it (article_tag's trigger). */
			if (strcmp(name, "tag") == 0 && k == 0)
				continue;

			snprintf(like, sizeof like, "%% AFTER %s ON %s%%", events[k], name);
			cr_assert_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
			    "AND tbl_name = ?1 AND sql LIKE ?2 AND sql LIKE '%UPDATE site_gen SET gen = gen + 1%'",
			    -1, &t, NULL), SQLITE_OK);
			sqlite3_bind_text(t, 1, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(t, 2, like, -1, SQLITE_STATIC);
			cr_assert_eq(sqlite3_step(t), SQLITE_ROW);
			cr_expect_gt(sqlite3_column_int(t, 0), 0, "table %s: no trigger moves site_gen after %s "
			    "(or name it among the tables no page reads)", name, events[k]);
			sqlite3_finalize(t);
		}
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	tu_rm_db(path);
	cr_expect_geq(tables, 15);
}

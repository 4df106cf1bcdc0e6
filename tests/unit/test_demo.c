/*
 * test_demo.c - the demo paper made at any hour of the day: nothing in it
 * happens after the moment it was made.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "news/news.h"
#include "render/sanitize.h"
#include "store/store.h"
#include "testutil.h"

static char dbpath[64];

static void
mkpath(void)
{
	store_set_text_of(sanitize_text);
	tu_tmp_path(dbpath, sizeof dbpath, ".db");
}

static void
cleanup(void)
{
	tu_rm_db(dbpath);
}

/* The newest time any article of the database carries. */
static long long
newest_time(void)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long t;

	cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT max(max(created_at, updated_at, coalesce(published_at, 0), "
	    "coalesce(approved_at, 0))) FROM article", -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	t = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return t;
}

/* Every hour of a day (Seoul 00:30 to 23:30): drafts of the afternoon
 * used to land in the future when the demo was made in the early
 * afternoon, after the day's last publication. */
Test(demo, nothing_after_the_moment_it_is_made, .init = mkpath, .fini = cleanup)
{
	const time_t day = 1795964400;   /* 2026-11-30 00:00 Seoul */
	char err[512];
	int h;

	for (h = 0; h < 24; h++) {
		time_t now = day + h * 3600 + 1800;
		struct store *st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);

		cr_assert_not_null(st, "%s", err);
		cr_assert_eq(news_demo_load(st, now, err, sizeof err), 0, "%s", err);
		store_close(st);
		cr_expect_leq(newest_time(), (long long)now, "made at %02d:30 Seoul: an article at %lld, %lld s later",
		    h, newest_time(), newest_time() - (long long)now);
		cr_expect_gt(newest_time(), (long long)now - 2 * 86400, "made at %02d:30: nothing in the last two days", h);
		tu_rm_db(dbpath);
	}
}

/*
 * test_search_index.c - the search index stays true: publishing, editing,
 * unpublishing and deleting an article change what search finds, in the
 * same transaction as the article, and a failed write changes neither.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "store/store.h"
#include "testutil.h"

static char db[128];
static struct store *st;
static int64_t sec, who;

static void
setup(void)
{
	st = tu_store_new(db, sizeof db);
	cr_assert_eq(store_section_put(st, "society", "사회", 1, &sec), STORE_OK);
	cr_assert_eq(store_person_put(st, "한결", "kyeol@example.kr", ROLE_REPORTER, &who), STORE_OK);
}

static void
teardown(void)
{
	store_close(st);
	tu_rm_db(db);
}

/* Ids search finds for q, as a comma list ("" for none). */
static const char *
found(const char *q)
{
	return tu_search_ids(st, q);
}

static int64_t
draft(const char *headline, const char *body)
{
	struct article a;

	memset(&a, 0, sizeof a);
	a.section.id = sec;
	a.status = ARTICLE_DRAFT;
	a.headline = headline;
	a.summary = "";
	a.body = body;
	a.body_text = NULL;
	a.slug = a.display_byline = a.source_note = "";
	a.bylines[0].id = who;
	a.nbylines = 1;
	a.created_at = a.updated_at = 1764000000;
	cr_assert_eq(store_article_insert(st, &a), STORE_OK, "%s", store_errmsg(st));
	return a.id;
}

Test(search_index, follows_every_change, .init = setup, .fini = teardown)
{
	struct arena a = ARENA_INIT;
	struct article art;
	int64_t id = draft("마을버스 노선 개편", "<p>새벽 첫차가 <strong>삼십 분</strong> 당겨진다.</p>");
	char ids[32];

	snprintf(ids, sizeof ids, "%lld", (long long)id);
	cr_expect_str_eq(found("첫차"), "", "a draft is not searchable");
	cr_assert_eq(store_article_set_status(st, id, ARTICLE_PUBLISHED, 1764003600, 0), STORE_OK);
	cr_expect_str_eq(found("첫차"), ids, "published: found by its body");
	cr_expect_str_eq(found("마을버스"), ids, "and by its headline");

	/* An edit: the old words leave the index, the new ones come in. */
	cr_assert_eq(store_article_get(st, &a, id, &art), STORE_OK);
	art.headline = "심야버스 노선 신설";
	art.body = "<p>밤 열두 시 이후에도 버스가 다닌다.</p>";
	art.body_text = NULL;
	art.updated_at = 1764007200;
	cr_assert_eq(store_article_update(st, &art), STORE_OK, "%s", store_errmsg(st));
	cr_expect_str_eq(found("마을버스"), "");
	cr_expect_str_eq(found("첫차"), "");
	cr_expect_str_eq(found("심야버스"), ids);
	cr_expect_str_eq(found("열두"), ids);

	/* A stale version is refused and changes nothing. */
	art.version = 1;
	art.headline = "덮어쓰기 시도";
	cr_expect_eq(store_article_update(st, &art), STORE_CONFLICT);
	cr_expect_str_eq(found("덮어쓰기"), "");
	cr_expect_str_eq(found("심야버스"), ids);

	cr_assert_eq(store_article_set_status(st, id, ARTICLE_UNPUBLISHED, 1764010800, 0), STORE_OK);
	cr_expect_str_eq(found("심야버스"), "", "unpublished: gone from search");
	cr_assert_eq(store_article_set_status(st, id, ARTICLE_PUBLISHED, 1764014400, 0), STORE_OK);
	cr_expect_str_eq(found("심야버스"), ids, "published again");
	cr_assert_eq(store_article_delete(st, id), STORE_OK);
	cr_expect_str_eq(found("심야버스"), "", "deleted: gone");
	cr_expect_eq(store_article_get(st, &a, id, &art), STORE_NOTFOUND);
	cr_expect_eq(store_article_delete(st, id), STORE_NOTFOUND);
	arena_free(&a);
}

Test(search_index, a_failed_write_changes_neither, .init = setup, .fini = teardown)
{
	struct arena a = ARENA_INIT;
	struct article art;
	int64_t id = draft("하천 정비 사업", "<p>둑을 높인다.</p>");
	char ids[32];

	snprintf(ids, sizeof ids, "%lld", (long long)id);
	cr_assert_eq(store_article_set_status(st, id, ARTICLE_PUBLISHED, 1764003600, 0), STORE_OK);
	cr_assert_eq(store_article_get(st, &a, id, &art), STORE_OK);
	/* A section that does not exist: the foreign key fails the update. */
	art.section.id = 999999;
	art.headline = "바뀌면 안 되는 제목";
	art.body_text = NULL;
	cr_expect_neq(store_article_update(st, &art), STORE_OK);
	cr_expect_str_eq(found("바뀌면"), "", "the index took a write that failed");
	cr_expect_str_eq(found("하천"), ids, "the index lost an article a failed write touched");
	cr_assert_eq(store_article_get(st, &a, id, &art), STORE_OK);
	cr_expect_str_eq(art.headline, "하천 정비 사업");
	/* Inside a caller's transaction that rolls back, the index rolls back too. */
	cr_assert_eq(store_begin(st), STORE_OK);
	cr_assert_eq(store_article_set_status(st, id, ARTICLE_UNPUBLISHED, 1764007200, 0), STORE_OK);
	cr_expect_str_eq(found("하천"), "");
	store_rollback(st);
	cr_expect_str_eq(found("하천"), ids);
	arena_free(&a);
}

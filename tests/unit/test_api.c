/*
 * test_api.c - the JSON API (/api/v1/, docs/api.md) through the real
 * server, and 'sinmun token': tokens, the workflow's role checks (403),
 * states (409), version conflicts (409), invalid input naming the field
 * (422), the list's filters, and a publish seen on / at the next request.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"

static char db[128];
static struct test_server srv;
static char rep_tok[128], rep2_tok[128], desk_tok[128];

/* 'sinmun token create' for email: the token printed on stdout. */
static int
token_create(const char *email, char *out, size_t len)
{
	const char *argv[] = { tu_bin(), "token", "create", "--db", db, "--email", email, "--name", "test", NULL };
	struct buf o = BUF_INIT, e = BUF_INIT;
	int rc = tu_run(argv, &o, &e);

	out[0] = '\0';
	if (rc == 0 && o.p)
		snprintf(out, len, "%.*s", (int)strcspn(o.p, "\n"), o.p);
	buf_free(&o);
	buf_free(&e);
	return rc;
}

static const struct tu_account people[] = {
	{ "rep@test.kr", "김기자", "reporter" },
	{ "rep2@test.kr", "박기자", "reporter" },
	{ "desk@test.kr", "이데스크", "editor" },
	{ NULL, NULL, NULL },
};

static void
setup(void)
{
	tu_init_db(db, sizeof db, 1);
	tu_users_add(db, people, "password12345");
	cr_assert_eq(token_create("rep@test.kr", rep_tok, sizeof rep_tok), 0);
	cr_assert_eq(token_create("rep2@test.kr", rep2_tok, sizeof rep2_tok), 0);
	cr_assert_eq(token_create("desk@test.kr", desk_tok, sizeof desk_tok), 0);
	cr_assert(strlen(rep_tok) >= 40 && strcmp(rep_tok, desk_tok) != 0);
	cr_assert_eq(tu_server_start(&srv, db, NULL), 0, "server did not start");
}

static void
teardown(void)
{
	tu_server_stop(&srv);
	tu_rm_db(db);
}

/* One API call; the answer's JSON (decref it) into *js when asked. */
static long
api(const char *token, const char *method, const char *path, const char *body, json_t **js,
    struct tu_response *keep)
{
	char auth[256];
	const char *h[] = { auth, "Content-Type: application/json", NULL };
	struct tu_response r;
	long st;

	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token ? token : "");
	cr_assert_eq(tu_http(srv.port, method, path, token ? h : h + 1, body, body ? strlen(body) : 0, &r), 0,
	    "%s %s", method, path);
	st = r.status;
	cr_expect(tu_header_has(&r, "Content-Type", "application/json"), "%s %s: JSON", method, path);
	cr_expect(tu_header_has(&r, "Cache-Control", "no-store"), "%s %s: no-store", method, path);
	if (js) {
		*js = json_loadb(r.body.p ? r.body.p : "", r.body.len, 0, NULL);
		cr_assert(*js != NULL, "%s %s: not JSON: %s", method, path, r.body.p);
	}
	if (keep)
		*keep = r;
	else
		tu_response_free(&r);
	return st;
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Creates a draft as token; its id. */
static long long
create(const char *token, const char *headline)
{
	char body[1024];
	json_t *js;
	long long id;

	snprintf(body, sizeof body, "{\"headline\":\"%s\",\"section\":\"politics\",\"body\":\"<p>첫 문장입니다. 둘째 문장.</p>\",\"tags\":[\"테스트\"]}",
	    headline);
	cr_assert_eq(api(token, "POST", "/api/v1/articles", body, &js, NULL), 201, "%s", json_dumps(js, 0));
	id = json_integer_value(json_object_get(js, "id"));
	json_decref(js);
	cr_assert(id > 0);
	return id;
}

Test(api, unauthorized, .init = setup, .fini = teardown)
{
	struct tu_response r;
	json_t *js;
	const char *argv[] = { tu_bin(), "token", "revoke", "--db", db, "--email", "rep2@test.kr", NULL };
	struct buf o = BUF_INIT, e = BUF_INIT;

	cr_expect_eq(api(NULL, "GET", "/api/v1/articles", NULL, &js, &r), 401);
	cr_expect(tu_header_has(&r, "WWW-Authenticate", "Bearer"));
	cr_expect_str_eq(jstr(js, "error"), "unauthorized");
	cr_expect(strlen(jstr(js, "message")) > 0);
	json_decref(js);
	tu_response_free(&r);
	cr_expect_eq(api("not-a-token", "GET", "/api/v1/articles", NULL, NULL, NULL), 401);
	cr_expect_eq(api("\"<x>\"", "POST", "/api/v1/articles", "{}", NULL, NULL), 401);
	cr_expect_eq(api(rep2_tok, "GET", "/api/v1/articles", NULL, NULL, NULL), 200);
	cr_assert_eq(tu_run(argv, &o, &e), 0, "%s", e.p);
	cr_expect(strstr(o.p, "revoked 1 token") != NULL, "%s", o.p);
	buf_free(&o);
	buf_free(&e);
	cr_expect_eq(api(rep2_tok, "GET", "/api/v1/articles", NULL, NULL, NULL), 401, "revoked");
}

Test(api, reporter_draft_editor_publish, .init = setup, .fini = teardown)
{
	struct tu_response r;
	json_t *js;
	long long id;
	char path[128], body[256];
	int version;

	cr_assert_eq(api(rep_tok, "POST", "/api/v1/articles",
	    "{\"headline\":\"API로 쓴 기사 제목 ZQX\",\"section\":\"politics\",\"body\":\"<p>본문 <script>x</script>첫 문장.</p>\"}",
	    &js, &r), 201);
	id = json_integer_value(json_object_get(js, "id"));
	snprintf(path, sizeof path, "/api/v1/articles/%lld", id);
	cr_expect(tu_header_has(&r, "Location", path), "Location %s", path);
	tu_response_free(&r);
	cr_expect_str_eq(jstr(js, "status"), "draft");
	cr_expect_str_eq(jstr(js, "byline"), "김기자", "the token's person");
	cr_expect(strstr(jstr(js, "body"), "<script") == NULL, "sanitized");
	cr_expect(strstr(jstr(js, "created_at"), "+09:00") != NULL);
	json_decref(js);

	/* A reporter's crafted publish is refused and changes nothing. */
	snprintf(path, sizeof path, "/api/v1/articles/%lld/publish", id);
	cr_expect_eq(api(rep_tok, "POST", path, NULL, &js, NULL), 403);
	cr_expect_str_eq(jstr(js, "error"), "forbidden");
	json_decref(js);
	snprintf(path, sizeof path, "/api/v1/articles/%lld", id);
	cr_assert_eq(api(rep_tok, "GET", path, NULL, &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "status"), "draft");
	json_decref(js);
	/* A reporter may not name someone else in the byline. */
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles",
	    "{\"headline\":\"x\",\"section\":\"politics\",\"body\":\"x\",\"byline\":\"남\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "byline");
	json_decref(js);

	snprintf(path, sizeof path, "/api/v1/articles/%lld/submit", id);
	cr_assert_eq(api(rep_tok, "POST", path, NULL, &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "status"), "submitted");
	version = (int)json_integer_value(json_object_get(js, "version"));
	json_decref(js);
	/* Submitted twice: a state error. */
	cr_expect_eq(api(rep_tok, "POST", path, NULL, &js, NULL), 409);
	cr_expect_str_eq(jstr(js, "error"), "state");
	json_decref(js);

	/* The front page is cached before the desk publishes. */
	cr_assert_eq(tu_http(srv.port, "GET", "/", NULL, NULL, 0, &r), 0);
	cr_expect(strstr(r.body.p, "ZQX") == NULL);
	tu_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/articles/%lld/publish", id);
	snprintf(body, sizeof body, "{\"version\":%d}", version);
	cr_assert_eq(api(desk_tok, "POST", path, body, &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "status"), "published");
	cr_expect(json_is_string(json_object_get(js, "published_at")));
	json_decref(js);
	cr_assert_eq(tu_http(srv.port, "GET", "/", NULL, NULL, 0, &r), 0);
	cr_expect(strstr(r.body.p, "API로 쓴 기사 제목 ZQX") != NULL, "on / at the next request");
	tu_response_free(&r);

	/* Unpublished, it leaves the site; scheduled, it waits. */
	snprintf(path, sizeof path, "/api/v1/articles/%lld/unpublish", id);
	cr_assert_eq(api(rep_tok, "POST", path, NULL, NULL, NULL), 403);
	cr_assert_eq(api(desk_tok, "POST", path, NULL, &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "status"), "unpublished");
	json_decref(js);
	snprintf(path, sizeof path, "/api/v1/articles/%lld/publish", id);
	cr_assert_eq(api(desk_tok, "POST", path, "{\"at\":\"2099-01-01T09:00:00+09:00\"}", &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "status"), "scheduled");
	cr_expect_str_eq(jstr(js, "scheduled_at"), "2099-01-01T09:00:00+09:00");
	json_decref(js);
	cr_expect_eq(tu_db_int(db, "SELECT count(*) FROM audit WHERE article_id = ?1 AND action LIKE 'api-%'", id), 5,
	    "create, submit, publish, unpublish, schedule audited");
}

Test(api, patch_version_conflict, .init = setup, .fini = teardown)
{
	json_t *js;
	long long id = create(rep_tok, "고칠 기사");
	char path[128];

	snprintf(path, sizeof path, "/api/v1/articles/%lld", id);
	cr_assert_eq(api(rep_tok, "PATCH", path, "{\"version\":1,\"headline\":\"고친 기사\",\"subtitles\":[\"부제\"]}", &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "headline"), "고친 기사");
	cr_expect_eq(json_integer_value(json_object_get(js, "version")), 2);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(js, "tags"), 0)), "테스트", "untouched fields kept");
	json_decref(js);
	/* The same old version again: someone else's save is never overwritten. */
	cr_assert_eq(api(desk_tok, "PATCH", path, "{\"version\":1,\"headline\":\"덮어쓰기\"}", &js, NULL), 409);
	cr_expect_str_eq(jstr(js, "error"), "conflict");
	cr_expect_eq(json_integer_value(json_object_get(js, "current_version")), 2);
	json_decref(js);
	cr_assert_eq(api(rep_tok, "GET", path, NULL, &js, NULL), 200);
	cr_expect_str_eq(jstr(js, "headline"), "고친 기사");
	json_decref(js);
	/* version is required; content fields only; another reporter may not. */
	cr_expect_eq(api(rep_tok, "PATCH", path, "{\"headline\":\"x\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "version");
	json_decref(js);
	cr_expect_eq(api(rep_tok, "PATCH", path, "{\"version\":2,\"status\":\"published\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "status");
	json_decref(js);
	cr_expect_eq(api(rep2_tok, "PATCH", path, "{\"version\":2,\"headline\":\"남의 기사\"}", NULL, NULL), 403);
	cr_expect_eq(api(rep2_tok, "GET", path, NULL, NULL, NULL), 403);
}

Test(api, invalid_names_field, .init = setup, .fini = teardown)
{
	char body[2048], longh[700], path[128];
	json_t *js;
	struct tu_response r;
	long long id;
	size_t i;

	for (i = 0; i < 201; i++)
		memcpy(longh + 3 * i, "가", 3);
	longh[3 * 201] = '\0';
	snprintf(body, sizeof body, "{\"headline\":\"%s\",\"section\":\"politics\",\"body\":\"x\"}", longh);
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles", body, &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "error"), "invalid");
	cr_expect_str_eq(jstr(js, "field"), "headline");
	json_decref(js);
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles",
	    "{\"headline\":\"a\",\"section\":\"politics\",\"body\":\"x\",\"color\":\"red\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "color");
	json_decref(js);
	cr_expect_eq(api(desk_tok, "POST", "/api/v1/articles",
	    "{\"headline\":\"a\",\"section\":\"no-such-section\",\"body\":\"x\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "section");
	json_decref(js);
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles", "{\"section\":\"politics\",\"body\":\"x\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "headline");
	json_decref(js);
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles",
	    "{\"headline\":\"a\",\"section\":\"politics\",\"body\":\"x\",\"status\":\"published\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "status");
	json_decref(js);
	/* The API never creates a section. */
	cr_expect_eq(tu_db_int(db, "SELECT count(*) FROM section WHERE slug = 'no-such-section'", 0), 0);

	id = create(rep_tok, "예약할 기사");
	snprintf(path, sizeof path, "/api/v1/articles/%lld/publish", id);
	cr_expect_eq(api(desk_tok, "POST", path, "{\"at\":\"2020-01-01T09:00:00+09:00\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "at");
	json_decref(js);
	cr_expect_eq(api(desk_tok, "POST", path, "{\"at\":\"내일\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "at");
	json_decref(js);
	cr_expect_eq(api(desk_tok, "POST", path, "{\"version\":\"1\"}", &js, NULL), 422);
	cr_expect_str_eq(jstr(js, "field"), "version");
	json_decref(js);

	/* Malformed JSON 400, wrong method 405 with Allow, unknown path 404. */
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles", "{\"headline\":", &js, NULL), 400);
	cr_expect_str_eq(jstr(js, "error"), "malformed");
	json_decref(js);
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles", "[1]", NULL, NULL), 400);
	cr_expect_eq(api(rep_tok, "DELETE", "/api/v1/articles", NULL, NULL, &r), 405);
	cr_expect(tu_header_has(&r, "Allow", "GET, POST"));
	tu_response_free(&r);
	cr_expect_eq(api(rep_tok, "GET", path, NULL, NULL, &r), 405);
	cr_expect(tu_header_has(&r, "Allow", "POST"));
	tu_response_free(&r);
	cr_expect_eq(api(rep_tok, "GET", "/api/v1/nothing", NULL, NULL, NULL), 404);
	cr_expect_eq(api(rep_tok, "GET", "/api/v1/articles/99999999", NULL, NULL, NULL), 404);
	cr_expect_eq(api(rep_tok, "POST", "/api/v1/articles/1/delete", NULL, NULL, NULL), 404);
}

/* ids of a list answer, as "1 2 3". */
static void
list_ids(const char *token, const char *query, long expect, char *out, size_t len)
{
	json_t *js, *it;
	size_t i, n = 0;
	char path[256];

	snprintf(path, sizeof path, "/api/v1/articles%s", query);
	cr_assert_eq(api(token, "GET", path, NULL, &js, NULL), expect, "%s", path);
	out[0] = '\0';
	json_array_foreach(json_object_get(js, "items"), i, it)
		n += (size_t)snprintf(out + n, len - n, "%s%lld", n ? " " : "",
		    (long long)json_integer_value(json_object_get(it, "id")));
	json_decref(js);
}

Test(api, list_filters, .init = setup, .fini = teardown)
{
	long long a = create(rep_tok, "내 초안"), b = create(rep2_tok, "남의 초안");
	char ids[4096], want[64], path[128];

	list_ids(rep_tok, "?status=draft", 200, ids, sizeof ids);
	snprintf(want, sizeof want, "%lld", a);
	cr_expect_str_eq(ids, want, "a reporter sees only their own");
	list_ids(rep_tok, "", 200, ids, sizeof ids);
	cr_expect_str_eq(ids, want, "every status: still only their own");
	/* The demo paper has drafts and submitted articles of its own: ours
	 * are the newest. */
	list_ids(desk_tok, "?status=draft", 200, ids, sizeof ids);
	snprintf(want, sizeof want, "%lld %lld", b, a);
	cr_expect(strncmp(ids, want, strlen(want)) == 0, "the desk sees every draft, newest first: %s", ids);
	list_ids(desk_tok, "?status=published&limit=3", 200, ids, sizeof ids);
	cr_expect(strlen(ids) > 0 && strstr(ids, want) == NULL);
	snprintf(want, sizeof want, "%lld", a);
	list_ids(desk_tok, "?status=submitted", 200, ids, sizeof ids);
	cr_expect(strstr(ids, want) == NULL);
	snprintf(path, sizeof path, "/api/v1/articles/%lld/submit", a);
	cr_assert_eq(api(rep_tok, "POST", path, NULL, NULL, NULL), 200);
	list_ids(desk_tok, "?status=submitted", 200, ids, sizeof ids);
	cr_expect(strncmp(ids, want, strlen(want)) == 0 && ids[strlen(want)] == ' ', "submitted first: %s", ids);
	list_ids(rep_tok, "?status=draft", 200, ids, sizeof ids);
	cr_expect_str_eq(ids, "", "no longer a draft");
	list_ids(desk_tok, "?status=bogus", 422, ids, sizeof ids);
	list_ids(desk_tok, "?limit=101", 422, ids, sizeof ids);
	list_ids(desk_tok, "?limit=0", 422, ids, sizeof ids);
	list_ids(desk_tok, "?offset=-1", 422, ids, sizeof ids);
	list_ids(desk_tok, "?status=submitted&limit=2", 200, ids, sizeof ids);
	{
		char second[64];

		snprintf(second, sizeof second, "%s", strchr(ids, ' ') ? strchr(ids, ' ') + 1 : "");
		list_ids(desk_tok, "?status=submitted&limit=1&offset=1", 200, ids, sizeof ids);
		cr_expect_str_eq(ids, second, "offset");
	}
}

Test(api, token_cli_round_trip, .init = setup, .fini = teardown)
{
	struct buf o = BUF_INIT, e = BUF_INIT;
	char tok[128], id[32];
	int rc;

	cr_assert_eq(token_create("desk@test.kr", tok, sizeof tok), 0);
	cr_expect_eq(api(tok, "GET", "/api/v1/articles", NULL, NULL, NULL), 200);
	{
		const char *argv[] = { tu_bin(), "token", "list", "--db", db, "--email", "desk@test.kr", NULL };

		cr_assert_eq(tu_run(argv, &o, &e), 0, "%s", e.p);
		cr_expect(strstr(o.p, tok) == NULL, "the token itself is never listed");
		cr_expect(strstr(o.p, "desk@test.kr") != NULL);
		/* Newest first: the first line is the one just made. */
		snprintf(id, sizeof id, "%.*s", (int)strcspn(o.p, "\t"), o.p);
	}
	buf_reset(&o);
	buf_reset(&e);
	{
		const char *argv[] = { tu_bin(), "token", "revoke", "--db", db, "--id", id, NULL };

		cr_assert_eq(tu_run(argv, &o, &e), 0, "%s", e.p);
	}
	cr_expect_eq(api(tok, "GET", "/api/v1/articles", NULL, NULL, NULL), 401, "revoked by the CLI");
	cr_expect_eq(api(desk_tok, "GET", "/api/v1/articles", NULL, NULL, NULL), 200, "the other token lives");

	/* Errors: one line on stderr, non-zero exit. */
	buf_reset(&o);
	buf_reset(&e);
	{
		const char *argv[] = { tu_bin(), "token", "create", "--db", db, NULL };

		rc = tu_run(argv, &o, &e);
		cr_expect_neq(rc, 0);
		cr_expect(strncmp(e.p ? e.p : "", "sinmun: ", 8) == 0, "%s", e.p);
		cr_expect(o.len == 0);
	}
	buf_reset(&o);
	buf_reset(&e);
	{
		const char *argv[] = { tu_bin(), "token", "create", "--db", db, "--email", "nobody@test.kr", NULL };

		cr_expect_neq(tu_run(argv, &o, &e), 0);
		cr_expect(strstr(e.p ? e.p : "", "no account") != NULL, "%s", e.p);
	}
	buf_reset(&o);
	buf_reset(&e);
	{
		const char *argv[] = { tu_bin(), "token", "revoke", "--db", db, "--id", "999999", NULL };

		cr_expect_neq(tu_run(argv, &o, &e), 0);
	}
	buf_reset(&o);
	buf_reset(&e);
	{
		const char *argv[] = { tu_bin(), "token", "--help", NULL };

		cr_expect_eq(tu_run(argv, &o, &e), 0);
		cr_expect(strstr(o.p, "sinmun token create") != NULL);
	}
	buf_free(&o);
	buf_free(&e);
}

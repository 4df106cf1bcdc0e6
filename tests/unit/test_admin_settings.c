/*
 * test_admin_settings.c - the newsroom pages of settings.c through the
 * real server: front-page curation seen on / at the very next request
 * (the page cache must move), who may open which page, site settings
 * with their validation, sections in the site's navigation, accounts,
 * and API tokens made and revoked in the newsroom.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "testutil.h"

#define PW "password12345"

static char db[128];
static struct test_server srv;

static const struct tu_account people[] = {
	{ "admin@test.kr", "관리자", "admin" },
	{ "desk@test.kr", "이데스크", "editor" },
	{ "rep@test.kr", "김기자", "reporter" },
	{ NULL, NULL, NULL },
};

static void
setup(void)
{
	tu_newsroom_start(&srv, db, sizeof db, 1, people, PW);
}

static void
teardown(void)
{
	tu_server_stop(&srv);
	tu_rm_db(db);
}

static void
login(const char *email, struct tu_session *s)
{
	tu_login_ok(srv.port, email, PW, s);
}

/* GET as the session (NULL: anonymous). */
static long
get(const struct tu_session *s, const char *path, struct tu_response *r)
{
	return tu_get(srv.port, s, path, r);
}

/* POST a form as the session: "csrf=..." and then fmt. */
static long
post(const struct tu_session *s, const char *path, struct tu_response *r, const char *fmt, ...)
{
	va_list ap;
	long status;

	va_start(ap, fmt);
	status = tu_vpost_csrf(srv.port, s, path, r, fmt, ap);
	va_end(ap);
	return status;
}

static long long
q_int(const char *sql)
{
	return tu_db_int(db, sql, 0);
}

static void
q_text(const char *sql, char *out, size_t len)
{
	snprintf(out, len, "%s", tu_db_text(db, sql, 0));
}

/* The article id of the first href="/articles/N..." after marker. */
static long long
first_article_after(const char *html, const char *marker)
{
	const char *p = strstr(html, marker);

	if (p == NULL || (p = strstr(p, "href=\"/articles/")) == NULL)
		return -1;
	return strtoll(p + 16, NULL, 10);
}

Test(admin_settings, curation_shows_at_next_request, .init = setup, .fini = teardown)
{
	struct tu_session desk;
	struct tu_response r;
	long long oldest, second, newest;
	char sql[256];

	oldest = q_int("SELECT id FROM article WHERE status = 'published' ORDER BY published_at, id LIMIT 1");
	second = q_int("SELECT id FROM article WHERE status = 'published' ORDER BY published_at, id LIMIT 1 OFFSET 1");
	newest = q_int("SELECT id FROM article WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1");
	cr_assert(oldest > 0 && second > 0 && newest > 0 && oldest != newest);

	/* The front page is in the page cache before the desk acts. */
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_eq(first_article_after(r.body.p, "class=\"top-story\""), newest);
	tu_response_free(&r);
	get(NULL, "/", &r);
	tu_response_free(&r);

	login("desk@test.kr", &desk);
	cr_assert_eq(get(&desk, "/admin/front", &r), 200);
	cr_expect(strstr(r.body.p, "name=\"top\"") != NULL);
	cr_expect(strstr(r.body.p, "name=\"order_") != NULL, "numbered order boxes without JavaScript");
	tu_response_free(&r);

	/* Top story and featured order from the numbered boxes: the old
	 * article second, numbered 1; a duplicate through "featured" is not
	 * possible here, the order is what the numbers say. */
	cr_assert_eq(post(&desk, "/admin/front", &r, "top=%lld&order_%lld=2&order_%lld=1", oldest, newest, second), 303,
	    "%s", r.body.p);
	tu_response_free(&r);
	snprintf(sql, sizeof sql, "SELECT value FROM setting WHERE key = 'front.featured'");
	{
		char v[128], want[128];

		q_text(sql, v, sizeof v);
		snprintf(want, sizeof want, "%lld %lld", second, newest);
		cr_expect_str_eq(v, want);
	}
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_eq(first_article_after(r.body.p, "class=\"top-story\""), oldest, "top story at the next request");
	cr_expect_eq(first_article_after(r.body.p, "class=\"latest\""), second, "first featured after the top");
	tu_response_free(&r);

	/* Back to the newest, featured as one list with a duplicate. */
	cr_assert_eq(post(&desk, "/admin/front", &r, "top=&featured=%lld+%lld+%lld", second, oldest, second), 303);
	tu_response_free(&r);
	{
		char v[128], want[128];

		q_text("SELECT value FROM setting WHERE key = 'front.featured'", v, sizeof v);
		snprintf(want, sizeof want, "%lld %lld", second, oldest);
		cr_expect_str_eq(v, want, "duplicates removed");
	}
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_eq(first_article_after(r.body.p, "class=\"top-story\""), newest);
	cr_expect_eq(first_article_after(r.body.p, "class=\"latest\""), second);
	tu_response_free(&r);

	/* An article that is not published cannot be featured. */
	{
		long long draft = q_int("SELECT max(id) + 1000 FROM article");

		cr_expect_eq(post(&desk, "/admin/front", &r, "top=%lld", draft), 422);
		tu_response_free(&r);
		cr_expect_eq(post(&desk, "/admin/front", &r, "top=&featured=%lld", draft), 422);
		tu_response_free(&r);
	}
	/* A curated article unpublished later is skipped without a word. */
	cr_assert_eq(post(&desk, "/admin/front", &r, "top=%lld&featured=%lld", oldest, second), 303);
	tu_response_free(&r);
	{
		char sql2[128];

		snprintf(sql2, sizeof sql2, "UPDATE article SET status = 'unpublished' WHERE id = %lld", oldest);
		cr_assert_eq(tu_db_exec(db, sql2, NULL, 0), SQLITE_OK);
	}
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_eq(first_article_after(r.body.p, "class=\"top-story\""), newest, "unpublished top story skipped");
	cr_expect_eq(first_article_after(r.body.p, "class=\"latest\""), second);
	{
		char pat[64];

		snprintf(pat, sizeof pat, "href=\"/articles/%lld\"", oldest);
		cr_expect(strstr(r.body.p, pat) == NULL);
		snprintf(pat, sizeof pat, "href=\"/articles/%lld/", oldest);
		cr_expect(strstr(r.body.p, pat) == NULL);
	}
	tu_response_free(&r);

	/* Eleven featured articles are one too many. */
	cr_expect_eq(post(&desk, "/admin/front", &r, "top=&featured=%s",
	    "1+2+3+4+5+6+7+8+9+10+11"), 422);
	tu_response_free(&r);
	cr_expect_eq(q_int("SELECT count(*) FROM audit WHERE action = 'curate'"), 3);
}

Test(admin_settings, roles_refused, .init = setup, .fini = teardown)
{
	struct tu_session rep, desk;
	struct tu_response r;

	login("rep@test.kr", &rep);
	login("desk@test.kr", &desk);
	cr_expect_eq(get(&rep, "/admin/front", &r), 403);
	tu_response_free(&r);
	cr_expect_eq(post(&rep, "/admin/front", &r, "top=1"), 403);
	tu_response_free(&r);
	cr_expect_eq(get(&rep, "/admin/settings", &r), 403);
	tu_response_free(&r);
	cr_expect_eq(get(&desk, "/admin/settings", &r), 403);
	tu_response_free(&r);
	cr_expect_eq(post(&desk, "/admin/settings", &r, "site_name=%s", tu_esc("데스크신문")), 403);
	tu_response_free(&r);
	cr_expect_eq(get(&desk, "/admin/sections", &r), 403);
	tu_response_free(&r);
	cr_expect_eq(post(&rep, "/admin/users/new", &r, "email=x%%40test.kr&name=x&role=admin"), 403);
	tu_response_free(&r);
	cr_expect_eq(get(&rep, "/admin/users", &r), 200, "everyone sees their own tokens");
	cr_expect(strstr(r.body.p, "계정 추가") == NULL, "a reporter does not see accounts");
	tu_response_free(&r);
	{
		char name[128];

		q_text("SELECT value FROM setting WHERE key = 'site_name'", name, sizeof name);
		cr_expect_str_neq(name, "데스크신문");
		cr_expect_eq(q_int("SELECT count(*) FROM setting WHERE key = 'front.top' AND value = ''"), 1);
	}
	/* Without the CSRF token nothing is written. */
	{
		const char *h[] = { desk.cookie, "Content-Type: application/x-www-form-urlencoded", NULL };

		cr_assert_eq(tu_http(srv.port, "POST", "/admin/front", h, "top=", 4, &r), 0);
		cr_expect(r.status == 403 || r.status == 400, "got %ld", r.status);
		tu_response_free(&r);
	}
}

Test(admin_settings, site_name_and_weather, .init = setup, .fini = teardown)
{
	struct tu_session adm;
	struct tu_response r;
	char v[512];

	cr_assert_eq(get(NULL, "/", &r), 200);
	tu_response_free(&r);
	login("admin@test.kr", &adm);
	cr_assert_eq(get(&adm, "/admin/settings", &r), 200);
	cr_expect(strstr(r.body.p, "name=\"youth_protection_officer\"") != NULL);
	cr_expect(strstr(r.body.p, "name=\"weather.stations\"") != NULL);
	tu_response_free(&r);

	cr_assert_eq(post(&adm, "/admin/settings", &r, "site_name=%s&publisher=%s&phone=%s",
	    tu_esc("새벽일보"), tu_esc("홍발행"), tu_esc("02-123-4567")), 303, "%s", r.body.p);
	tu_response_free(&r);
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect(strstr(r.body.p, "class=\"logo\" href=\"/\">새벽일보<") != NULL, "masthead at the next request");
	tu_response_free(&r);
	q_text("SELECT value FROM setting WHERE key = 'publisher'", v, sizeof v);
	cr_expect_str_eq(v, "홍발행");

	/* Invalid stations: 422, the text as typed, the error beside it,
	 * nothing saved (not even the valid site name beside it). */
	cr_assert_eq(post(&adm, "/admin/settings", &r, "site_name=%s&weather.stations=%s",
	    tu_esc("다른일보"), tu_esc("108:서울 108:부산 9999:먼곳")), 422);
	cr_expect(strstr(r.body.p, "108:서울 108:부산 9999:먼곳</textarea>") != NULL, "text intact");
	cr_expect(strstr(r.body.p, "id=\"e-weather.stations\"") != NULL, "error beside the field");
	cr_expect(strstr(r.body.p, "value=\"다른일보\"") != NULL, "other values intact");
	tu_response_free(&r);
	q_text("SELECT value FROM setting WHERE key = 'site_name'", v, sizeof v);
	cr_expect_str_eq(v, "새벽일보");
	cr_expect_eq(post(&adm, "/admin/settings", &r, "weather.stations=%s", tu_esc("108:이름이아주아주아주아주아주아주길어서스무자가넘는다")), 422);
	tu_response_free(&r);
	cr_expect_eq(post(&adm, "/admin/settings", &r, "email=%s", tu_esc("not an email")), 422);
	tu_response_free(&r);

	cr_assert_eq(post(&adm, "/admin/settings", &r, "weather.stations=%s", tu_esc("159:부산 108:서울")), 303);
	tu_response_free(&r);
	q_text("SELECT value FROM setting WHERE key = 'weather.stations'", v, sizeof v);
	cr_expect_str_eq(v, "159:부산 108:서울");
	cr_expect_eq(q_int("SELECT count(*) FROM audit WHERE action = 'settings'"), 2);
}

/* Offset of needle in the site's section navigation, or -1. */
static long
nav_pos(const char *html, const char *needle)
{
	const char *nav = strstr(html, "<nav class=\"sections\""), *end, *p;

	if (nav == NULL)
		return -1;
	end = strstr(nav, "</nav>");
	p = strstr(nav, needle);
	return p && (!end || p < end) ? (long)(p - nav) : -1;
}

Test(admin_settings, sections_in_navigation, .init = setup, .fini = teardown)
{
	struct tu_session adm;
	struct tu_response r;
	char path[64], before[64], pat[96];
	long long id;

	cr_assert_eq(get(NULL, "/", &r), 200);
	tu_response_free(&r);
	login("admin@test.kr", &adm);
	cr_assert_eq(post(&adm, "/admin/sections/new", &r, "slug=science&name=%s", tu_esc("과학")), 303, "%s", r.body.p);
	tu_response_free(&r);
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect(nav_pos(r.body.p, "href=\"/sections/science\">과학<") >= 0, "new section in the navigation");
	tu_response_free(&r);

	/* Bad and taken slugs, an empty name: 422 with the typed values. */
	cr_expect_eq(post(&adm, "/admin/sections/new", &r, "slug=Bad+Slug&name=x"), 422);
	cr_expect(strstr(r.body.p, "value=\"Bad Slug\"") != NULL);
	tu_response_free(&r);
	cr_expect_eq(post(&adm, "/admin/sections/new", &r, "slug=science&name=x"), 422);
	tu_response_free(&r);
	cr_expect_eq(post(&adm, "/admin/sections/new", &r, "slug=empty&name="), 422);
	tu_response_free(&r);

	id = q_int("SELECT id FROM section WHERE slug = 'science'");
	snprintf(path, sizeof path, "/admin/sections/%lld", id);
	cr_assert_eq(post(&adm, path, &r, "name=%s", tu_esc("과학기술")), 303);
	tu_response_free(&r);
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect(nav_pos(r.body.p, "href=\"/sections/science\">과학기술<") >= 0, "renamed at the next request");
	tu_response_free(&r);

	/* Up one place: before the section that was before it. */
	q_text("SELECT slug FROM section WHERE slug <> 'science' ORDER BY position DESC, id DESC LIMIT 1",
	    before, sizeof before);
	snprintf(pat, sizeof pat, "href=\"/sections/%s\"", before);
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_gt(nav_pos(r.body.p, "href=\"/sections/science\""), nav_pos(r.body.p, pat));
	tu_response_free(&r);
	cr_assert_eq(post(&adm, path, &r, "move=up"), 303);
	tu_response_free(&r);
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_lt(nav_pos(r.body.p, "href=\"/sections/science\""), nav_pos(r.body.p, pat), "moved up");
	tu_response_free(&r);

	/* A position number puts it first. */
	cr_assert_eq(post(&adm, path, &r, "name=%s&position=0", tu_esc("과학기술")), 303);
	tu_response_free(&r);
	cr_assert_eq(get(NULL, "/", &r), 200);
	{
		const char *nav = strstr(r.body.p, "<nav class=\"sections\"");
		const char *first = nav ? strstr(nav, "href=\"/sections/") : NULL;

		cr_expect(first && strncmp(first, "href=\"/sections/science\"", 24) == 0, "first in the navigation");
	}
	tu_response_free(&r);
	cr_expect_eq(q_int("SELECT count(*) FROM audit WHERE action LIKE 'section-%'"), 4);
}

/* The token shown once on the page after creating it. */
static void
shown_token(const char *html, char *out, size_t len)
{
	const char *p = strstr(html, "id=\"new-token\">"), *e;

	out[0] = '\0';
	cr_assert(p != NULL, "the token is shown");
	p += strlen("id=\"new-token\">");
	e = strchr(p, '<');
	cr_assert(e != NULL && (size_t)(e - p) < len);
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
}

static long
api_get(const char *token)
{
	char auth[256];
	const char *h[] = { auth, NULL };
	struct tu_response r;
	long st;

	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	cr_assert_eq(tu_http(srv.port, "GET", "/api/v1/articles", h, NULL, 0, &r), 0);
	st = r.status;
	tu_response_free(&r);
	return st;
}

Test(admin_settings, tokens_in_newsroom, .init = setup, .fini = teardown)
{
	struct tu_session rep, desk, adm;
	struct tu_response r;
	char tok[128], hash[200], path[64];
	long long id;

	login("rep@test.kr", &rep);
	cr_assert_eq(post(&rep, "/admin/tokens/new", &r, "name=%s", tu_esc("자동 입력")), 200);
	shown_token(r.body.p, tok, sizeof tok);
	tu_response_free(&r);
	cr_assert(strlen(tok) >= 40, "token '%s'", tok);
	/* Only a hash is kept, and the list does not show the token again. */
	q_text("SELECT token_hash FROM api_token WHERE name = '자동 입력'", hash, sizeof hash);
	cr_expect(hash[0] && strstr(hash, tok) == NULL);
	cr_assert_eq(get(&rep, "/admin/users", &r), 200);
	cr_expect(strstr(r.body.p, tok) == NULL);
	cr_expect(strstr(r.body.p, "자동 입력") != NULL);
	tu_response_free(&r);
	cr_expect_eq(api_get(tok), 200, "the newsroom's token works on the API");

	/* A desk member may not revoke a reporter's token; the reporter may. */
	id = q_int("SELECT id FROM api_token WHERE name = '자동 입력'");
	snprintf(path, sizeof path, "/admin/tokens/%lld/revoke", id);
	login("desk@test.kr", &desk);
	cr_expect_eq(post(&desk, path, &r, "x=1"), 403);
	tu_response_free(&r);
	cr_expect_eq(api_get(tok), 200);
	cr_assert_eq(post(&rep, path, &r, "x=1"), 303);
	tu_response_free(&r);
	cr_expect_eq(api_get(tok), 401, "revoked at once");
	cr_expect_eq(post(&rep, "/admin/tokens/new", &r, "name="), 422);
	tu_response_free(&r);

	/* An admin revokes anyone's. */
	cr_assert_eq(post(&desk, "/admin/tokens/new", &r, "name=desk"), 200);
	shown_token(r.body.p, tok, sizeof tok);
	tu_response_free(&r);
	cr_expect_eq(api_get(tok), 200);
	login("admin@test.kr", &adm);
	cr_assert_eq(get(&adm, "/admin/users", &r), 200);
	cr_expect(strstr(r.body.p, "desk@test.kr") != NULL, "an admin sees every account");
	tu_response_free(&r);
	id = q_int("SELECT id FROM api_token WHERE name = 'desk'");
	snprintf(path, sizeof path, "/admin/tokens/%lld/revoke", id);
	cr_assert_eq(post(&adm, path, &r, "x=1"), 303);
	tu_response_free(&r);
	cr_expect_eq(api_get(tok), 401);
	cr_expect_eq(q_int("SELECT count(*) FROM audit WHERE action = 'token-revoke'"), 2);
}

Test(admin_settings, accounts, .init = setup, .fini = teardown)
{
	struct tu_session adm, s;
	struct tu_response r;
	char otp[64], path[64];
	const char *p, *e;
	long long id;

	login("admin@test.kr", &adm);
	cr_assert_eq(post(&adm, "/admin/users/new", &r, "email=%s&name=%s&role=reporter",
	    tu_esc("new@test.kr"), tu_esc("박신입")), 200, "%s", r.body.p);
	p = strstr(r.body.p, "id=\"one-time\">");
	cr_assert(p != NULL, "the one-time password is shown");
	p += strlen("id=\"one-time\">");
	e = strchr(p, '<');
	cr_assert(e && e - p < (long)sizeof otp);
	memcpy(otp, p, (size_t)(e - p));
	otp[e - p] = '\0';
	tu_response_free(&r);
	cr_expect_eq(q_int("SELECT must_change_password FROM person WHERE email = 'new@test.kr'"), 1);
	cr_expect_eq(tu_login(srv.port, "new@test.kr", otp, &s), 303, "the one-time password logs in");

	/* The same e-mail again, a bad role: 422 with what was typed. */
	cr_expect_eq(post(&adm, "/admin/users/new", &r, "email=%s&name=x&role=reporter", tu_esc("new@test.kr")), 422);
	tu_response_free(&r);
	cr_expect_eq(post(&adm, "/admin/users/new", &r, "email=%s&name=%s&role=boss", tu_esc("b@test.kr"), tu_esc("비비")), 422);
	cr_expect(strstr(r.body.p, "value=\"비비\"") != NULL);
	tu_response_free(&r);

	/* Role change and disabling; an admin cannot lock themselves out. */
	id = q_int("SELECT id FROM person WHERE email = 'new@test.kr'");
	snprintf(path, sizeof path, "/admin/users/%lld", id);
	cr_assert_eq(post(&adm, path, &r, "role=editor&active=1"), 303);
	tu_response_free(&r);
	cr_expect_eq(q_int("SELECT role = 'editor' FROM person WHERE email = 'new@test.kr'"), 1);
	cr_assert_eq(post(&adm, path, &r, "role=editor&active=0"), 303);
	tu_response_free(&r);
	cr_expect_eq(q_int("SELECT active FROM person WHERE email = 'new@test.kr'"), 0);
	cr_expect_neq(tu_login(srv.port, "new@test.kr", otp, &s), 303, "a disabled account cannot log in");
	id = q_int("SELECT id FROM person WHERE email = 'admin@test.kr'");
	snprintf(path, sizeof path, "/admin/users/%lld", id);
	cr_expect_eq(post(&adm, path, &r, "role=reporter&active=1"), 422);
	tu_response_free(&r);
	cr_expect_eq(q_int("SELECT role = 'admin' FROM person WHERE email = 'admin@test.kr'"), 1);
}

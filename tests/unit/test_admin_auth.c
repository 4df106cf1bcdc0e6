/*
 * test_admin_auth.c - the newsroom's doors, through a real server: login
 * with its double-submit CSRF token and cookie attributes, refused
 * accounts, the open-redirect guard, the login limit per account and per
 * address, session expiry, logout, the CSRF and Origin checks of forms,
 * the one-time password flow, and the dashboard.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "http/http.h"
#include "testutil.h"

#define EDITOR   "desk@example.kr"
#define REPORTER "kim@example.kr"
#define PW       "correct horse battery"

static char db[128];
static struct test_server srv;

static const struct tu_account people[] = {
	{ EDITOR, "이데스크", "editor" },
	{ REPORTER, "김하늘", "reporter" },
	{ NULL, NULL, NULL },
};

static void
start(void)
{
	tu_newsroom_start(&srv, db, sizeof db, 0, people, PW);
}

static void
stop(void)
{
	tu_server_stop(&srv);
	tu_rm_db(db);
}

/* Runs one SQL statement on the test database (the server's WAL lets
 * another connection write). */
static void
sql(const char *stmt)
{
	char msg[512] = "";

	cr_assert_eq(tu_db_exec(db, stmt, msg, sizeof msg), SQLITE_OK, "%s: %s", stmt, msg);
}

/* The first column of the first row of a query, as an integer. */
static long long
sql_int(const char *q)
{
	return tu_db_int(db, q, 0);
}

/* GET /admin/login: the form's csrf value and the sinmun_login cookie. */
static void
login_form(const char *target, char *token, size_t tlen, char *cookie, size_t clen, struct buf *page)
{
	struct tu_response r;

	cr_assert_eq(tu_http(srv.port, "GET", target, NULL, NULL, 0, &r), 0);
	cr_assert_eq(r.status, 200, "login form: %ld", r.status);
	cr_assert_eq(tu_form_value(r.body.p, "csrf", token, tlen), 0, "no csrf in the form");
	cr_assert_eq(tu_set_cookie(&r, "sinmun_login", cookie, clen), 0, "no login cookie");
	cr_expect_str_eq(token, cookie, "double-submit token: form and cookie carry the same value");
	cr_expect(tu_header_has(&r, "Set-Cookie", "HttpOnly"));
	cr_expect(tu_header_has(&r, "Set-Cookie", "SameSite=Lax"));
	if (page)
		buf_puts(page, r.body.p);
	tu_response_free(&r);
}

/* POST /admin/login with a fresh form token; body_extra is appended
 * ("&next=..."); NULL token/cookie use the form's. */
static void
post_login(const char *email, const char *password, const char *body_extra, struct tu_response *r)
{
	char token[128], cookie[128], hdr[256], body[1024];
	const char *h[] = { hdr, NULL };

	login_form("/admin/login", token, sizeof token, cookie, sizeof cookie, NULL);
	snprintf(hdr, sizeof hdr, "Cookie: sinmun_login=%s", cookie);
	snprintf(body, sizeof body, "csrf=%s&email=%s&password=%s%s", token, email, password,
	    body_extra ? body_extra : "");
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/login", h, body, strlen(body), r), 0);
}

static long
get_status(const char *cookie, const char *target, struct tu_response *r)
{
	const char *h[] = { cookie, NULL };

	cr_assert_eq(tu_http(srv.port, "GET", target, cookie ? h : NULL, NULL, 0, r), 0);
	return r->status;
}

static int
has_session_cookie(const struct tu_response *r)
{
	char v[256];

	return tu_set_cookie(r, "sinmun_session", v, sizeof v) == 0 && v[0] != '\0';
}

Test(admin_auth, login_ok_cookie_attributes, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	char sess[256], hdr[300];

	post_login("desk%40example.kr", "correct+horse+battery", NULL, &r);
	cr_assert_eq(r.status, 303, "status %ld: %s", r.status, r.body.p);
	cr_expect(tu_header_has(&r, "Location", "/admin"));
	cr_assert_eq(tu_set_cookie(&r, "sinmun_session", sess, sizeof sess), 0);
	cr_expect_geq(strlen(sess), 40, "a 32-byte token: %s", sess);
	/* Every attribute on the session cookie's own line. */
	{
		const char *line = strstr(r.headers.p, "sinmun_session=");
		char one[512];
		size_t n;

		cr_assert_not_null(line);
		n = strcspn(line, "\r\n");
		snprintf(one, sizeof one, "%.*s", (int)n, line);
		cr_expect(strstr(one, "HttpOnly") != NULL, "%s", one);
		cr_expect(strstr(one, "SameSite=Lax") != NULL, "%s", one);
		cr_expect(strstr(one, "; Path=/;") != NULL, "%s", one);
		cr_expect(strstr(one, "Secure") == NULL, "no Secure on plain http: %s", one);
	}
	tu_response_free(&r);
	/* Only the hash of the token is kept. */
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 1);
	cr_expect_eq(sql_int("SELECT length(token_hash) FROM session"), 64);
	cr_expect_eq(sql_int("SELECT count(*) FROM audit a JOIN person p ON p.id = a.person_id "
	    "WHERE a.action = 'login' AND p.email = '" EDITOR "'"), 1);

	snprintf(hdr, sizeof hdr, "Cookie: sinmun_session=%s", sess);
	cr_expect_eq(get_status(hdr, "/admin", &r), 200);
	cr_expect(strstr(r.body.p, "대시보드") != NULL);
	cr_expect(strstr(r.body.p, "이데스크") != NULL);
	cr_expect(tu_header_has(&r, "Cache-Control", "no-store"));
	tu_response_free(&r);

	/* tu_login (the helper other suites use) follows the same flow. */
	{
		struct tu_session s;

		cr_expect_eq(tu_login(srv.port, REPORTER, PW, &s), 303);
		cr_expect_neq(s.csrf[0], '\0', "the session's CSRF token is on the dashboard");
	}
}

Test(admin_auth, wrong_password_and_unknown_email, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;

	post_login("desk%40example.kr", "wrong+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 401);
	cr_expect(strstr(r.body.p, "이메일 또는 비밀번호가 맞지 않습니다") != NULL);
	cr_expect(!has_session_cookie(&r));
	cr_expect(strstr(r.body.p, "value=\"desk@example.kr\"") != NULL, "the e-mail stays in the form");
	tu_response_free(&r);

	post_login("nobody%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 401);
	cr_expect(strstr(r.body.p, "이메일 또는 비밀번호가 맞지 않습니다") != NULL, "the same answer");
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);

	/* Empty fields: errors beside the fields. */
	post_login("", "", NULL, &r);
	cr_expect_eq(r.status, 400);
	cr_expect(strstr(r.body.p, "nr-field-error") != NULL);
	tu_response_free(&r);

	cr_expect_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'login-failed'"), 2);
	cr_expect_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'login-failed' AND "
	    "coalesce(person_id, 0) = 0"), 1, "unknown e-mail: no person");
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 0);
	cr_expect_eq(sql_int("SELECT count(*) FROM login_failure WHERE key = 'email:desk@example.kr'"), 1);
	cr_expect_eq(sql_int("SELECT count(*) FROM login_failure WHERE key LIKE 'addr:%'"), 2);
}

Test(admin_auth, contributor_and_disabled_refused, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *argv[] = { tu_bin(), "user", "disable", "--db", db, "--email", REPORTER, NULL };

	cr_assert_eq(tu_run(argv, &out, &err), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
	post_login("kim%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 403, "disabled: %ld", r.status);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);

	sql("UPDATE person SET role = 'contributor' WHERE email = '" EDITOR "'");
	post_login("desk%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 403, "contributor: %ld", r.status);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 0);
}

Test(admin_auth, login_csrf, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	char token[128], cookie[128], hdr[256], body[512];
	const char *h[] = { hdr, NULL };

	login_form("/admin/login", token, sizeof token, cookie, sizeof cookie, NULL);

	/* No token in the form. */
	snprintf(hdr, sizeof hdr, "Cookie: sinmun_login=%s", cookie);
	snprintf(body, sizeof body, "email=desk%%40example.kr&password=correct+horse+battery");
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/login", h, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 403);
	cr_expect(strstr(r.body.p, "보안 토큰이 맞지 않습니다") != NULL);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);

	/* A wrong token of the right length. */
	snprintf(body, sizeof body, "csrf=%s&email=desk%%40example.kr&password=correct+horse+battery", token);
	body[5] = body[5] == 'A' ? 'B' : 'A';
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/login", h, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 403);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);

	/* The right token without its cookie (a page on another site). */
	snprintf(body, sizeof body, "csrf=%s&email=desk%%40example.kr&password=correct+horse+battery", token);
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/login", NULL, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 403);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);

	/* Not a form body. */
	{
		const char *h2[] = { hdr, "Content-Type: text/plain", NULL };

		cr_assert_eq(tu_http(srv.port, "POST", "/admin/login", h2, body, strlen(body), &r), 0);
		cr_expect_eq(r.status, 415);
		tu_response_free(&r);
	}
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 0);
}

Test(admin_auth, next_redirects_stay_local, .init = start, .fini = stop, .timeout = 90)
{
	static const struct {
		const char *next, *want;
	} cases[] = {
		{ "%2Fadmin%2Farticles%3Fstatus%3Ddraft", "Location: /admin/articles?status=draft" },
		{ "%2F%2Fevil.example%2Fadmin", "Location: /admin\r" },
		{ "https%3A%2F%2Fevil.example%2Fadmin", "Location: /admin\r" },
		{ "%2Fadmin%2F%2Fevil.example", "Location: /admin\r" },
		{ "%2Fadmin%5C%5Cevil.example", "Location: /admin\r" },
		{ "%2Fadministrator.evil", "Location: /admin\r" },
		{ "%2Fadmin%0d%0aSet-Cookie%3A+x%3Dy", "Location: /admin\r" },
	};
	struct tu_response r;
	char extra[256], page_next[256];
	struct buf page = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(extra, sizeof extra, "&next=%s", cases[i].next);
		post_login("desk%40example.kr", "correct+horse+battery", extra, &r);
		cr_expect_eq(r.status, 303, "%s", cases[i].next);
		cr_expect(strstr(r.headers.p, cases[i].want) != NULL, "next=%s gave %s", cases[i].next, r.headers.p);
		tu_response_free(&r);
	}
	/* The login page carries a local next into its form, and drops a
	 * foreign one. */
	{
		char token[128], cookie[128];

		login_form("/admin/login?next=%2Fadmin%2Fusers", token, sizeof token, cookie, sizeof cookie, &page);
		cr_expect_eq(tu_form_value(page.p, "next", page_next, sizeof page_next), 0);
		cr_expect_str_eq(page_next, "/admin/users");
		buf_reset(&page);
		login_form("/admin/login?next=https%3A%2F%2Fevil.example", token, sizeof token, cookie, sizeof cookie,
		    &page);
		cr_expect_eq(tu_form_value(page.p, "next", page_next, sizeof page_next), 0);
		cr_expect_str_eq(page_next, "");
	}
	buf_free(&page);
}

Test(admin_auth, limit_per_account, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	char q[512];
	long long now = (long long)time(NULL);
	int i;

	/* Five failures of this account from elsewhere (another address):
	 * even the right password is refused now. */
	for (i = 0; i < 5; i++) {
		snprintf(q, sizeof q, "INSERT INTO login_failure (key, at) VALUES ('email:desk@example.kr', %lld)",
		    now - 60 - i);
		sql(q);
	}
	post_login("DESK%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 429, "status %ld", r.status);
	cr_expect(strstr(r.body.p, "로그인 시도가 너무 많습니다. 15분 뒤에 다시 시도해 주세요.") != NULL);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);

	/* Another account from this address is not held up. */
	post_login("kim%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 303, "status %ld", r.status);
	tu_response_free(&r);

	/* Failures older than 15 minutes no longer count. */
	snprintf(q, sizeof q, "UPDATE login_failure SET at = %lld WHERE key = 'email:desk@example.kr'", now - 16 * 60);
	sql(q);
	post_login("desk%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 303, "status %ld", r.status);
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT count(*) FROM login_failure WHERE key = 'email:desk@example.kr'"), 0,
	    "a success clears the account's failures");
}

Test(admin_auth, limit_per_address_over_http, .init = start, .fini = stop, .timeout = 90)
{
	struct tu_response r;
	char email[64];
	int i;

	/* Five wrong tries with five different addresses from one client. */
	for (i = 0; i < 5; i++) {
		snprintf(email, sizeof email, "guess%d%%40example.kr", i);
		post_login(email, "wrong+password+here", NULL, &r);
		cr_expect_eq(r.status, 401);
		tu_response_free(&r);
	}
	cr_expect_eq(sql_int("SELECT count(*) FROM login_failure WHERE key = 'addr:127.0.0.1'"), 5);
	/* The sixth, with an account's right password, is refused. */
	post_login("kim%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 429, "status %ld", r.status);
	cr_expect(strstr(r.body.p, "로그인 시도가 너무 많습니다") != NULL);
	cr_expect(!has_session_cookie(&r));
	tu_response_free(&r);
}

Test(admin_auth, session_expiry, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_session s;
	struct tu_response r;

	cr_assert_eq(tu_login(srv.port, EDITOR, PW, &s), 303);
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 200);
	tu_response_free(&r);

	sql("UPDATE session SET expires_at = strftime('%s', 'now') - 1");
	cr_expect_eq(get_status(s.cookie, "/admin/articles?status=draft", &r), 303);
	cr_expect(tu_header_has(&r, "Location", "/admin/login?next=%2Fadmin%2Farticles%3Fstatus%3Ddraft"),
	    "%s", r.headers.p);
	tu_response_free(&r);

	/* A POST is not redirected (the text typed would be lost): 403. */
	cr_expect_eq(tu_post_csrf(srv.port, &s, "/admin/password", &r, NULL), 403);
	cr_expect(strstr(r.body.p, "세션이 만료되었습니다. 다시 로그인해 주세요.") != NULL);
	tu_response_free(&r);

	/* Past the absolute limit: even a session still "fresh" ends. */
	cr_assert_eq(tu_login(srv.port, EDITOR, PW, &s), 303);
	sql("UPDATE session SET created_at = strftime('%s', 'now') - 13 * 3600 WHERE expires_at > strftime('%s', 'now')");
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 303);
	tu_response_free(&r);

	/* No cookie at all, or a made-up one. */
	cr_expect_eq(get_status(NULL, "/admin", &r), 303);
	cr_expect(tu_header_has(&r, "Location", "/admin/login?next=%2Fadmin"));
	tu_response_free(&r);
	cr_expect_eq(get_status("Cookie: sinmun_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/admin", &r), 303);
	tu_response_free(&r);
}

Test(admin_auth, logout_ends_session, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_session s;
	struct tu_response r;

	cr_assert_eq(tu_login(srv.port, REPORTER, PW, &s), 303);
	cr_expect_eq(tu_post_csrf(srv.port, &s, "/admin/logout", &r, NULL), 303);
	cr_expect(tu_header_has(&r, "Location", "/admin/login"));
	cr_expect(tu_header_has(&r, "Set-Cookie", "Max-Age=0"));
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 0);
	cr_expect_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'logout'"), 1);

	/* The old cookie opens nothing. */
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 303);
	tu_response_free(&r);

	/* GET does not log out (a link or an image cannot). */
	cr_assert_eq(tu_login(srv.port, REPORTER, PW, &s), 303);
	cr_expect_eq(get_status(s.cookie, "/admin/logout", &r), 405);
	tu_response_free(&r);
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 200);
	tu_response_free(&r);
}

Test(admin_auth, form_csrf_and_origin, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_session s;
	struct tu_response r;
	char body[256], origin[128];
	const char *h[3];

	cr_assert_eq(tu_login(srv.port, EDITOR, PW, &s), 303);
	h[0] = s.cookie;
	h[1] = NULL;
	h[2] = NULL;

	/* No token. */
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/logout", h, "x=1", 3, &r), 0);
	cr_expect_eq(r.status, 403);
	cr_expect(strstr(r.body.p, "보안 토큰이 맞지 않습니다") != NULL);
	tu_response_free(&r);

	/* A wrong token of the right length. */
	snprintf(body, sizeof body, "csrf=%s", s.csrf);
	body[5] = body[5] == 'A' ? 'B' : 'A';
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/logout", h, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 403);
	tu_response_free(&r);

	/* The right token from a foreign page. */
	snprintf(body, sizeof body, "csrf=%s", s.csrf);
	h[1] = "Origin: https://evil.example";
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/logout", h, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 403);
	tu_response_free(&r);
	h[1] = "Origin: null";
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/logout", h, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 403);
	tu_response_free(&r);

	/* Still logged in after all of that. */
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 200);
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 1);

	/* The site's own origin passes. */
	snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%d", srv.port);
	h[1] = origin;
	cr_assert_eq(tu_http(srv.port, "POST", "/admin/logout", h, body, strlen(body), &r), 0);
	cr_expect_eq(r.status, 303);
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT count(*) FROM session"), 0);
}

/* The one-time password printed by 'sinmun user add' without a pipe. */
static void
add_one_time(const char *email, char *otp, size_t len)
{
	const char *argv[] = { tu_bin(), "user", "add", "--db", db, "--email", email, "--name", "박새내기",
		"--role", "reporter", NULL };
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *p;
	char pat[128];

	cr_assert_eq(tu_run_stdin(argv, NULL, &out, &err), 0, "%s", err.p);
	snprintf(pat, sizeof pat, "one-time password for %s: ", email);
	p = strstr(out.p, pat);
	cr_assert_not_null(p, "%s", out.p);
	p += strlen(pat);
	snprintf(otp, len, "%.*s", (int)strcspn(p, " \n"), p);
	buf_free(&out);
	buf_free(&err);
}

Test(admin_auth, must_change_flow, .init = start, .fini = stop, .timeout = 90)
{
	struct tu_response r;
	struct tu_session s, s2;
	char otp[64], newcookie[256], hdr[300];

	add_one_time("new@example.kr", otp, sizeof otp);
	{
		char b[256];

		snprintf(b, sizeof b, "%s", otp);
		post_login("new%40example.kr", b, NULL, &r);
		cr_expect_eq(r.status, 303);
		cr_expect(tu_header_has(&r, "Location", "/admin/password"), "%s", r.headers.p);
		tu_response_free(&r);
	}
	cr_assert_eq(tu_login(srv.port, "new@example.kr", otp, &s), 303);
	/* The dashboard is not reached, so tu_login found no token there:
	 * take it from the password page. */
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 303);
	cr_expect(tu_header_has(&r, "Location", "/admin/password"));
	tu_response_free(&r);
	cr_expect_eq(get_status(s.cookie, "/admin/articles", &r), 303);
	cr_expect(tu_header_has(&r, "Location", "/admin/password"));
	tu_response_free(&r);
	cr_expect_eq(get_status(s.cookie, "/admin/users", &r), 303);
	tu_response_free(&r);
	cr_expect_eq(get_status(s.cookie, "/admin/password", &r), 200);
	cr_expect(strstr(r.body.p, "name=\"current\"") == NULL, "no current password asked");
	cr_expect(strstr(r.body.p, "autocomplete=\"new-password\"") != NULL);
	cr_assert_eq(tu_form_value(r.body.p, "csrf", s.csrf, sizeof s.csrf), 0);
	tu_response_free(&r);

	/* Too short; then two different ones: errors beside the fields. */
	cr_expect_eq(tu_post_csrf(srv.port, &s, "/admin/password", &r, "password=short&password2=short"), 400);
	cr_expect(strstr(r.body.p, "nr-field-error") != NULL);
	cr_expect(strstr(r.body.p, "10자 이상") != NULL);
	tu_response_free(&r);
	cr_expect_eq(tu_post_csrf(srv.port, &s, "/admin/password", &r,
	    "password=new+secret+words&password2=new+secret+wordz"), 400);
	cr_expect(strstr(r.body.p, "서로 다릅니다") != NULL);
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT must_change_password FROM person WHERE email = 'new@example.kr'"), 1);

	cr_expect_eq(tu_post_csrf(srv.port, &s, "/admin/password", &r,
	    "password=new+secret+words&password2=new+secret+words"), 303, "%ld %s", r.status, r.body.p);
	cr_expect(tu_header_has(&r, "Location", "/admin?msg=password"));
	cr_assert_eq(tu_set_cookie(&r, "sinmun_session", newcookie, sizeof newcookie), 0);
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT must_change_password FROM person WHERE email = 'new@example.kr'"), 0);
	cr_expect_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'password'"), 1);

	/* The old session is gone; the new one opens the dashboard. */
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 303);
	tu_response_free(&r);
	snprintf(hdr, sizeof hdr, "Cookie: sinmun_session=%s", newcookie);
	cr_expect_eq(get_status(hdr, "/admin?msg=password", &r), 200);
	cr_expect(strstr(r.body.p, "비밀번호를 바꿨습니다") != NULL);
	tu_response_free(&r);

	/* The one-time password no longer works; the new one does. */
	cr_expect_eq(tu_login(srv.port, "new@example.kr", otp, &s2), 401);
	cr_expect_eq(tu_login(srv.port, "new@example.kr", "new secret words", &s2), 303);

	/* A normal change asks the current password. */
	cr_expect_eq(tu_post_csrf(srv.port, &s2, "/admin/password", &r,
	    "current=wrong+one+here&password=another+secret+1&password2=another+secret+1"), 400);
	cr_expect(strstr(r.body.p, "현재 비밀번호가 맞지 않습니다") != NULL);
	tu_response_free(&r);
	cr_expect_eq(tu_post_csrf(srv.port, &s2, "/admin/password", &r,
	    "current=new+secret+words&password=another+secret+1&password2=another+secret+1"), 303);
	tu_response_free(&r);
}

/* Loads articles as 'sinmun import jsonl' does. */
static void
import(const char *jsonl)
{
	const char *argv[] = { tu_bin(), "import", "jsonl", "--db", db, "-", NULL };
	struct buf out = BUF_INIT, err = BUF_INIT;

	cr_assert_eq(tu_run_stdin(argv, jsonl, &out, &err), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
}

Test(admin_auth, dashboard, .init = start, .fini = stop, .timeout = 90)
{
	struct tu_session ed, rep;
	struct tu_response r;
	char line[4096], when[32];
	time_t now = time(NULL) - 120;
	struct tm tm;

	cr_assert_eq(tu_login(srv.port, EDITOR, PW, &ed), 303);
	cr_assert_eq(tu_login(srv.port, REPORTER, PW, &rep), 303);

	/* Nothing published this week: the desk is warned. */
	cr_expect_eq(get_status(ed.cookie, "/admin", &r), 200);
	cr_expect(strstr(r.body.p, "이번 주 발행된 기사가 없습니다") != NULL);
	tu_response_free(&r);

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(line, sizeof line,
	    "{\"headline\": \"김기자의 초안 기사\", \"section\": \"society\", \"byline\": \"김하늘\", "
	    "\"email\": \"kim@example.kr\", \"status\": \"draft\", \"body\": \"초안 본문입니다.\"}\n"
	    "{\"headline\": \"돌려받은 기사\", \"section\": \"society\", \"byline\": \"김하늘\", "
	    "\"email\": \"kim@example.kr\", \"status\": \"draft\", \"body\": \"본문.\"}\n"
	    "{\"headline\": \"보도자료 하나\", \"section\": \"society\", \"byline\": \"김하늘\", "
	    "\"email\": \"kim@example.kr\", \"kind\": \"press-release\", \"source_note\": \"춘천시\", "
	    "\"published_at\": \"%s\", \"body\": \"본문.\"}\n"
	    "{\"headline\": \"보도자료 둘\", \"section\": \"society\", \"byline\": \"김하늘\", "
	    "\"email\": \"kim@example.kr\", \"kind\": \"press-release\", \"source_note\": \"강원도\", "
	    "\"published_at\": \"%s\", \"body\": \"본문.\"}\n"
	    "{\"headline\": \"보도자료 셋\", \"section\": \"society\", \"byline\": \"김하늘\", "
	    "\"email\": \"kim@example.kr\", \"kind\": \"press-release\", \"source_note\": \"강원도\", "
	    "\"published_at\": \"%s\", \"body\": \"본문.\"}\n"
	    "{\"headline\": \"자체 취재 기사\", \"section\": \"society\", \"byline\": \"김하늘\", "
	    "\"email\": \"kim@example.kr\", \"published_at\": \"%s\", \"body\": \"본문.\"}\n",
	    when, when, when, when);
	import(line);
	sql("UPDATE article SET desk_note = '사진 출처를 밝혀 주세요' WHERE headline = '돌려받은 기사'");

	/* The reporter: their drafts with the desk's note, no share block. */
	cr_expect_eq(get_status(rep.cookie, "/admin", &r), 200);
	cr_expect(strstr(r.body.p, "김기자의 초안 기사") != NULL);
	cr_expect(strstr(r.body.p, "반려 사유: 사진 출처를 밝혀 주세요") != NULL);
	cr_expect(strstr(r.body.p, "href=\"/admin/articles/") != NULL);
	cr_expect(strstr(r.body.p, "자체기사 비율") == NULL, "reporters see no share block");
	cr_expect(strstr(r.body.p, "자체 취재 기사") != NULL, "recently published");
	tu_response_free(&r);

	/* The editor: 1 of 4 own articles = 25%, under 30%. */
	cr_expect_eq(get_status(ed.cookie, "/admin", &r), 200);
	cr_expect(strstr(r.body.p, "자체기사 비율이 30% 미만입니다") != NULL, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "25%") != NULL);
	cr_expect(strstr(r.body.p, "nr-card nr-warning") != NULL);
	cr_expect(strstr(r.body.p, "이번 주 발행된 기사가 없습니다") == NULL);
	cr_expect(strstr(r.body.p, "김기자의 초안 기사") == NULL, "not the editor's draft");
	cr_expect(strstr(r.body.p, "김하늘") != NULL, "the author of the rows");
	cr_expect(strstr(r.body.p, "(월)부터") != NULL, "the week starts on Monday");
	tu_response_free(&r);

	/* Enough own articles: no warning. */
	sql("UPDATE article SET kind = 'own' WHERE headline = '보도자료 하나'");
	cr_expect_eq(get_status(ed.cookie, "/admin", &r), 200);
	cr_expect(strstr(r.body.p, "50%") != NULL);
	cr_expect(strstr(r.body.p, "자체기사 비율이 30% 미만입니다") == NULL);
	tu_response_free(&r);
}

Test(admin_auth, sliding_expiry, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_session s;
	struct tu_response r;
	long long now;

	cr_assert_eq(tu_login(srv.port, EDITOR, PW, &s), 303);
	/* Seen two minutes ago, ending in ten seconds: a request extends it
	 * to two hours from now. */
	sql("UPDATE session SET last_seen = strftime('%s', 'now') - 120, expires_at = strftime('%s', 'now') + 10");
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 200);
	tu_response_free(&r);
	now = (long long)time(NULL);
	cr_expect_geq(sql_int("SELECT expires_at FROM session"), now + 2 * 3600 - 5);
	cr_expect_geq(sql_int("SELECT last_seen FROM session"), now - 5);

	/* Seen a moment ago: no write (the expiry stays as it is). */
	sql("UPDATE session SET last_seen = strftime('%s', 'now'), expires_at = strftime('%s', 'now') + 100");
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 200);
	tu_response_free(&r);
	cr_expect_leq(sql_int("SELECT expires_at FROM session"), (long long)time(NULL) + 100);

	/* Never past twelve hours after the login. */
	sql("UPDATE session SET created_at = strftime('%s', 'now') - 11 * 3600, "
	    "last_seen = strftime('%s', 'now') - 120");
	cr_expect_eq(get_status(s.cookie, "/admin", &r), 200);
	tu_response_free(&r);
	cr_expect_eq(sql_int("SELECT expires_at - created_at FROM session"), 12 * 3600);
}

/* With [server] https = true the session cookie carries Secure. */
Test(admin_auth, secure_cookie_on_https, .timeout = 60)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *argv[] = { tu_bin(), "init", "--db", db, NULL };
	char ini[128];
	const char *extra[] = { "--config", ini, NULL };
	struct tu_response r;
	FILE *f;

	tu_tmp_path(db, sizeof db, ".db");
	tu_tmp_path(ini, sizeof ini, ".ini");
	cr_assert_eq(tu_run(argv, &out, &err), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
	cr_assert_eq(tu_user_add(db, EDITOR, "이데스크", "editor", PW), 0);
	cr_assert_not_null(f = fopen(ini, "w"));
	fputs("[server]\nhttps = true\n", f);
	fclose(f);
	cr_assert_eq(tu_server_start(&srv, db, extra), 0, "server did not start");
	post_login("desk%40example.kr", "correct+horse+battery", NULL, &r);
	cr_expect_eq(r.status, 303);
	cr_expect(tu_header_has(&r, "Set-Cookie", "sinmun_session="));
	{
		const char *line = strstr(r.headers.p, "sinmun_session=");
		char one[512];

		cr_assert_not_null(line);
		snprintf(one, sizeof one, "%.*s", (int)strcspn(line, "\r\n"), line);
		cr_expect(strstr(one, "; Secure") != NULL, "%s", one);
	}
	tu_response_free(&r);
	tu_server_stop(&srv);
	tu_rm_db(db);
	unlink(ini);
}

/* The cookie reader the session uses (request.c). */
static struct str
cookie_of(const char *h1, const char *h2, const char *name)
{
	static struct http_header hs[3];
	struct http_req req;
	size_t n = 0;

	memset(&req, 0, sizeof req);
	hs[n++] = (struct http_header){ { "user-agent", 10 }, { "x", 1 } };
	if (h1)
		hs[n++] = (struct http_header){ { "cookie", 6 }, { h1, strlen(h1) } };
	if (h2)
		hs[n++] = (struct http_header){ { "cookie", 6 }, { h2, strlen(h2) } };
	req.headers = hs;
	req.nheaders = n;
	return http_req_cookie(&req, name);
}

static int
str_is(struct str s, const char *want)
{
	return s.p != NULL && s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

Test(admin_auth, cookie_reader)
{
	cr_expect(str_is(cookie_of("a=1; sinmun_session=abc; b=2", NULL, "sinmun_session"), "abc"));
	cr_expect(str_is(cookie_of("sinmun_session=abc", NULL, "sinmun_session"), "abc"));
	cr_expect(str_is(cookie_of("a=1;sinmun_session=abc ;b=2", NULL, "sinmun_session"), "abc"));
	cr_expect(str_is(cookie_of("a=1", "b=2; sinmun_session=two", "sinmun_session"), "two"),
	    "HTTP/2 sends cookies as several headers");
	cr_expect(str_is(cookie_of("sinmun_session=first; sinmun_session=second", NULL, "sinmun_session"),
	    "first"));
	cr_expect(str_is(cookie_of("sinmun_session=", NULL, "sinmun_session"), ""));
	cr_expect_null(cookie_of("xsinmun_session=abc; sinmun_sessionx=def", NULL, "sinmun_session").p);
	cr_expect_null(cookie_of("a=1; sinmun_session", NULL, "sinmun_session").p);
	cr_expect_null(cookie_of(NULL, NULL, "sinmun_session").p);
	cr_expect_null(cookie_of("", NULL, "sinmun_session").p);
}

/*
 * auth.c - who is asking in the newsroom: the login page with its limit
 * on failed tries, sessions kept in the store behind a cookie, the CSRF
 * check of every form, logout, and the password page.
 *
 * The session cookie holds a random token; the store keeps only its hash
 * (admin_token_hash), so a copy of the database opens no session.  Each
 * session has its own random CSRF token, which every form sends back.
 * The login form cannot have one yet, so it uses a double-submit token: a
 * random value both in a cookie (sinmun_login) and in the form, which a
 * page on another site can neither read nor set.
 */
#include "admin/admin_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/log.h"
#include "news/account.h"
#include "news/news.h"

#define LOGIN_COOKIE    "sinmun_login"
#define TOKEN_MIN       16       /* characters of a token we accept back */
#define TOKEN_MAX       128
#define EMAIL_MAX       254      /* bytes (RFC 5321 path limit) */
#define NEXT_MAX        2048
#define TOUCH_EVERY     60       /* seconds between sliding-expiry writes */

#define MSG_CSRF    "보안 토큰이 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요."
#define MSG_LIMIT   "로그인 시도가 너무 많습니다. 15분 뒤에 다시 시도해 주세요."
#define MSG_BAD     "이메일 또는 비밀번호가 맞지 않습니다."
#define MSG_EXPIRED "세션이 만료되었습니다. 다시 로그인해 주세요."

/* ---- tokens ---- */

const char *
admin_token_hash(struct arena *a, const char *token)
{
	unsigned char h[crypto_generichash_BYTES];
	char *hex = arena_alloc(a, 2 * sizeof h + 1);

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, 2 * sizeof h + 1, h, sizeof h);
	return hex;
}

const char *
admin_new_token(struct arena *a)
{
	unsigned char r[32];
	size_t n = sodium_base64_ENCODED_LEN(sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);

	if (sodium_init() < 0)
		log_error("auth: sodium_init failed");
	randombytes_buf(r, sizeof r);
	sodium_bin2base64(out, n, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(r, sizeof r);
	return out;
}

/* A token as we make them: URL-safe base64 of a sane length.  Anything
 * else in a cookie is not ours and is never looked up. */
static const char *
token_of(struct arena *a, struct str s)
{
	size_t i;

	if (s.p == NULL || s.len < TOKEN_MIN || s.len > TOKEN_MAX)
		return NULL;
	for (i = 0; i < s.len; i++) {
		char ch = s.p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_'))
			return NULL;
	}
	return arena_strndup(a, s.p, s.len);
}

/* Constant-time comparison of a token sent back with the one expected. */
static int
token_eq(const char *expected, const char *got)
{
	size_t n;

	if (expected == NULL || got == NULL || (n = strlen(expected)) == 0 || strlen(got) != n)
		return 0;
	return sodium_memcmp(expected, got, n) == 0;
}

/* ---- cookies ---- */

/* Secure when the operator says readers come over https: the [server]
 * https flag, or a base_url that is https.  (The site_url setting of the
 * database names the public address, which a test or a demo on plain
 * http may not be, so it does not decide.) */
static int
secure(struct site_ctx *c)
{
	const struct config *cfg = c->t->site->cfg;

	return cfg->https || strncmp(cfg->base_url, "https://", 8) == 0;
}

/* A browser-session cookie (no Max-Age): closing the browser ends it on
 * that side, the store's expiry on ours. */
static void
set_cookie(struct site_ctx *c, const char *name, const char *value, const char *path, int clear)
{
	http_res_header(c->res, "Set-Cookie", arena_printf(c->a, "%s=%s; Path=%s; HttpOnly; SameSite=Lax%s%s",
	    name, value, path, clear ? "; Max-Age=0" : "", secure(c) ? "; Secure" : ""));
}

/* ---- sessions ---- */

/* When a session seen at `now` ends: IDLE from now, never past MAX after
 * it began. */
static time_t
session_expiry(time_t created, time_t now)
{
	time_t e = now + ADMIN_SESSION_IDLE;

	return e > created + ADMIN_SESSION_MAX ? created + ADMIN_SESSION_MAX : e;
}

/* Creates a session for person (inside the caller's transaction) and
 * sets its cookie; fills ad's csrf and session_hash.  A store code. */
static int
session_start(struct admin *ad, int64_t person_id)
{
	struct site_ctx *c = ad->c;
	const char *token = admin_new_token(c->a), *hash = admin_token_hash(c->a, token);
	const char *csrf = admin_new_token(c->a);
	time_t now = c->req->now;
	int rc;

	rc = store_session_create(c->st, hash, person_id, csrf, now, session_expiry(now, now),
	    c->req->remote);
	if (rc != STORE_OK)
		return rc;
	ad->csrf = csrf;
	ad->session_hash = hash;
	set_cookie(c, ADMIN_SESSION_COOKIE, token, "/", 0);
	return STORE_OK;
}

int
admin_session(struct site_ctx *c, struct admin *ad)
{
	struct session_row row;
	struct person p;
	const char *token, *hash, *pw;
	time_t now = c->req->now;
	int rc, must;

	memset(ad, 0, sizeof *ad);
	ad->c = c;
	if ((token = token_of(c->a, http_req_cookie(c->req, ADMIN_SESSION_COOKIE))) == NULL)
		return 0;
	hash = admin_token_hash(c->a, token);
	rc = store_session_get(c->st, c->a, hash, now, &row);
	if (rc != STORE_OK) {
		if (rc != STORE_NOTFOUND)
			log_error("session: %s (%s)", store_strerror(rc), store_errmsg(c->st));
		return 0;
	}
	if (row.expires_at <= now || now >= row.created_at + ADMIN_SESSION_MAX)
		return 0;
	if ((rc = store_person_get(c->st, c->a, row.person_id, &p)) != STORE_OK)
		return 0;
	/* An account disabled, demoted to contributor or without a password
	 * since this session began has no session any more. */
	if (!p.active || p.role == ROLE_CONTRIBUTOR)
		return 0;
	if (store_person_password(c->st, c->a, p.id, &pw, &must) != STORE_OK || pw == NULL)
		return 0;
	/* Sliding expiry, written at most once a minute rather than on every
	 * request. */
	if (now - row.last_seen >= TOUCH_EVERY) {
		rc = store_session_touch(c->st, hash, now, session_expiry(row.created_at, now));
		if (rc != STORE_OK)
			log_warn("session touch: %s (%s)", store_strerror(rc), store_errmsg(c->st));
	}
	ad->user = p;
	ad->must_change = must;
	ad->csrf = row.csrf;
	ad->session_hash = hash;
	return 1;
}

int
admin_require(struct site_ctx *c, struct admin *ad)
{
	const char *path;
	struct buf b;

	if (!admin_session(c, ad)) {
		if (c->req->method != HTTP_GET && c->req->method != HTTP_HEAD) {
			/* A redirect would turn the POST into a GET and lose what
			 * was typed; a 403 leaves the browser on the page, where
			 * the text can be copied after logging in elsewhere. */
			admin_error(ad, 403, MSG_EXPIRED);
			return 0;
		}
		if (c->req->target.len > NEXT_MAX) {
			admin_see_other(ad, "/admin/login");
			return 0;
		}
		buf_init(&b, 4 * NEXT_MAX);
		buf_puts(&b, "/admin/login?next=");
		buf_put_url(&b, c->req->target.p, c->req->target.len);
		admin_see_other(ad, arena_strndup(c->a, b.p, b.len));
		buf_free(&b);
		return 0;
	}
	if (ad->must_change) {
		path = http_req_path(c->req);
		if (path == NULL || (strcmp(path, "/admin/password") != 0 && strcmp(path, "/admin/logout") != 0)) {
			admin_see_other(ad, "/admin/password");
			return 0;
		}
	}
	return 1;
}

/* ---- forms ---- */

/* POST with a form body, parsed into ad->form; answers and returns 0
 * otherwise. */
static int
parse_form(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	struct str ct;
	static const char form_type[] = "application/x-www-form-urlencoded";
	size_t n = sizeof form_type - 1;

	if (c->req->method != HTTP_POST) {
		http_res_header(c->res, "Allow", "POST");
		admin_error(ad, 405, "이 주소는 POST 요청만 받습니다.");
		return 0;
	}
	ct = http_req_header(c->req, "content-type");
	if (ct.p == NULL || ct.len < n || strncasecmp(ct.p, form_type, n) != 0 ||
	    (ct.len > n && ct.p[n] != ';' && ct.p[n] != ' ')) {
		admin_error(ad, 415, "양식은 application/x-www-form-urlencoded 형식으로 보내야 합니다.");
		return 0;
	}
	if (http_params_parse(c->a, c->req->body, &ad->form, &ad->nform) != 0) {
		admin_error(ad, 400, "양식 내용의 형식이 올바르지 않습니다.");
		return 0;
	}
	return 1;
}

/* Does origin (scheme://host[:port]) name this site: the Host the
 * browser asked, over http or https, or the configured base URL? */
static int
origin_ok(struct site_ctx *c, struct str origin)
{
	struct str host = http_req_header(c->req, "host");
	size_t hl;

	if (c->base_url && strlen(c->base_url) == origin.len &&
	    strncasecmp(c->base_url, origin.p, origin.len) == 0)
		return 1;
	if (host.p == NULL || host.len == 0)
		return 0;
	hl = host.len;
	if (origin.len == 7 + hl && strncasecmp(origin.p, "http://", 7) == 0 &&
	    strncasecmp(origin.p + 7, host.p, hl) == 0)
		return 1;
	if (origin.len == 8 + hl && strncasecmp(origin.p, "https://", 8) == 0 &&
	    strncasecmp(origin.p + 8, host.p, hl) == 0)
		return 1;
	return 0;
}

int
admin_form(struct admin *ad)
{
	struct str origin;

	if (!parse_form(ad))
		return 0;
	if (ad->csrf == NULL || !token_eq(ad->csrf, http_param(ad->form, ad->nform, "csrf"))) {
		admin_error(ad, 403, MSG_CSRF);
		return 0;
	}
	origin = http_req_header(ad->c->req, "origin");
	if (origin.p != NULL && !origin_ok(ad->c, origin)) {
		admin_error(ad, 403, "다른 사이트에서 보낸 요청은 받지 않습니다.");
		return 0;
	}
	return 1;
}

const char *
admin_field(struct admin *ad, const char *name)
{
	const char *v = http_param(ad->form, ad->nform, name);

	return v ? news_nfc(ad->c->a, v, strlen(v)) : NULL;
}

/* ---- login ---- */

/* Where to go after logging in: a newsroom path of this site only, so a
 * link to the login page cannot send anyone elsewhere. */
static int
next_ok(const char *s)
{
	const unsigned char *p;

	if (s == NULL || strncmp(s, "/admin", 6) != 0 || (s[6] != '\0' && s[6] != '/' && s[6] != '?'))
		return 0;
	if (strlen(s) > NEXT_MAX || strstr(s, "//") || strchr(s, '\\'))
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
	return 1;
}

/* A page's message (an error beside a field) into its model, when there
 * is one. */
static void
set_message(json_t *m, const char *key, const char *text)
{
	if (text)
		json_object_set_new(m, key, site_jstr(text));
}

/* The login form, with a fresh double-submit token in the form and in
 * its cookie. */
static void
login_page(struct site_ctx *c, int status, const char *email, const char *next, const char *error,
    const char *email_error, const char *password_error)
{
	struct admin ad;
	json_t *m;

	memset(&ad, 0, sizeof ad);
	ad.c = c;
	ad.csrf = admin_new_token(c->a);
	m = admin_page_model(&ad, "로그인", NULL);
	json_object_set_new(m, "email", site_jstr(email));
	json_object_set_new(m, "next", site_jstr(next_ok(next) ? next : ""));
	set_message(m, "error", error);
	set_message(m, "email_error", email_error);
	set_message(m, "password_error", password_error);
	admin_render(&ad, "login", m);
	set_cookie(c, LOGIN_COOKIE, ad.csrf, "/admin", 0);
	if (c->res->status == 200)
		c->res->status = status;
}

/* Trims ASCII white space; NULL when nothing is left. */
static const char *
trim(struct arena *a, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

static char *
ascii_lower(struct arena *a, const char *s)
{
	char *o = arena_strdup(a, s), *p;

	for (p = o; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return o;
}

/* Records a failed login for both keys, with its audit entry, in one
 * transaction.  Failures to record are logged: the answer is the same. */
static void
login_failed(struct admin *ad, const char *ekey, const char *akey, const char *email, const char *why)
{
	struct site_ctx *c = ad->c;
	int rc;

	if ((rc = store_begin(c->st)) != STORE_OK ||
	    (rc = store_login_failure_add(c->st, ekey, c->req->now)) != STORE_OK ||
	    (rc = store_login_failure_add(c->st, akey, c->req->now)) != STORE_OK) {
		log_error("login failure record: %s (%s)", store_strerror(rc), store_errmsg(c->st));
		store_rollback(c->st);
		return;
	}
	admin_audit(ad, "login-failed", 0, arena_printf(c->a, "%s: %s", email, why));
	if ((rc = store_commit(c->st)) != STORE_OK) {
		log_error("login failure record: %s (%s)", store_strerror(rc), store_errmsg(c->st));
		store_rollback(c->st);
	}
}

static void
login_post(struct site_ctx *c)
{
	struct admin ad;
	struct person p;
	const char *csrf, *email, *password, *next, *ekey, *akey, *hash = NULL, *dest;
	int rc, nemail = 0, naddr = 0, must = 0, found = 0, ok;
	time_t now = c->req->now;

	memset(&ad, 0, sizeof ad);
	ad.c = c;
	if (!parse_form(&ad))
		return;
	next = admin_field(&ad, "next");
	email = trim(c->a, admin_field(&ad, "email"));
	password = http_param(ad.form, ad.nform, "password");
	csrf = http_param(ad.form, ad.nform, "csrf");
	if (!token_eq(token_of(c->a, http_req_cookie(c->req, LOGIN_COOKIE)), csrf)) {
		login_page(c, 403, email, next, MSG_CSRF, NULL, NULL);
		return;
	}
	if (email == NULL || password == NULL || password[0] == '\0') {
		login_page(c, 400, email, next, NULL, email ? NULL : "이메일을 입력해 주세요.",
		    password && password[0] ? NULL : "비밀번호를 입력해 주세요.");
		return;
	}
	if (strlen(email) > EMAIL_MAX || strchr(email, '@') == NULL) {
		login_page(c, 400, email, next, NULL, "이메일 주소의 형식이 올바르지 않습니다.", NULL);
		return;
	}

	/* The limit comes before the password is looked at: past it even
	 * the right password is refused, so guessing gains nothing. */
	ekey = arena_printf(c->a, "email:%s", ascii_lower(c->a, email));
	akey = arena_printf(c->a, "addr:%s", c->req->remote[0] ? c->req->remote : "-");
	if ((rc = store_login_failures(c->st, ekey, now - ADMIN_LOGIN_WINDOW, &nemail)) != STORE_OK ||
	    (rc = store_login_failures(c->st, akey, now - ADMIN_LOGIN_WINDOW, &naddr)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (nemail >= ADMIN_LOGIN_LIMIT || naddr >= ADMIN_LOGIN_LIMIT) {
		log_info("login: limit reached for %s from %s", email, akey + 5);
		login_page(c, 429, email, next, MSG_LIMIT, NULL, NULL);
		http_res_header(c->res, "Retry-After", "900");
		return;
	}

	rc = store_person_by_email(c->st, c->a, email, &p);
	if (rc == STORE_NOTFOUND && strcmp(email, ekey + 6) != 0)
		rc = store_person_by_email(c->st, c->a, ekey + 6, &p);
	if (rc == STORE_OK) {
		found = 1;
		if ((rc = store_person_password(c->st, c->a, p.id, &hash, &must)) != STORE_OK) {
			site_store_failed(c, rc);
			return;
		}
	} else if (rc != STORE_NOTFOUND) {
		site_store_failed(c, rc);
		return;
	}
	/* Always one argon2id check (a fixed hash when there is no account),
	 * so the answer's time does not tell which addresses exist. */
	ok = news_password_verify(hash, password);
	if (found)
		ad.user = p;
	if (!ok) {
		login_failed(&ad, ekey, akey, email, found ? "wrong password" : "unknown email");
		login_page(c, 401, email, next, MSG_BAD, NULL, NULL);
		return;
	}
	if (!p.active || p.role == ROLE_CONTRIBUTOR) {
		login_failed(&ad, ekey, akey, email, p.active ? "contributor" : "disabled");
		login_page(c, 403, email, next, "이 계정은 뉴스룸에 로그인할 수 없습니다. 관리자에게 문의해 주세요.",
		    NULL, NULL);
		return;
	}

	if ((rc = store_begin(c->st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if ((rc = store_login_failures_clear(c->st, ekey)) != STORE_OK ||
	    (rc = store_sessions_prune(c->st, now, now - ADMIN_LOGIN_WINDOW)) != STORE_OK ||
	    (rc = session_start(&ad, p.id)) != STORE_OK) {
		store_rollback(c->st);
		site_store_failed(c, rc);
		return;
	}
	admin_audit(&ad, "login", 0, "");
	if ((rc = store_commit(c->st)) != STORE_OK) {
		store_rollback(c->st);
		/* The session cookie set above names no session: drop it. */
		c->res->nheaders = 0;
		site_store_failed(c, rc);
		return;
	}
	set_cookie(c, LOGIN_COOKIE, "", "/admin", 1);
	dest = must ? "/admin/password" : next_ok(next) ? next : "/admin";
	admin_see_other(&ad, dest);
}

void
admin_login(struct site_ctx *c)
{
	struct admin ad;
	const char *next;

	if (c->req->method == HTTP_POST) {
		login_post(c);
		return;
	}
	if (!site_is_get(c))
		return;
	next = http_param(c->params, c->nparams, "next");
	/* Already logged in (a bookmark, the back button): straight on. */
	if (admin_session(c, &ad)) {
		admin_see_other(&ad, ad.must_change ? "/admin/password" : next_ok(next) ? next : "/admin");
		return;
	}
	login_page(c, 200, NULL, next, NULL, NULL, NULL);
}

/* ---- logout ---- */

void
admin_logout(struct site_ctx *c)
{
	struct admin ad;
	int rc;

	if (!admin_session(c, &ad)) {
		/* Nothing to end; a stale cookie is dropped all the same. */
		if (c->req->method != HTTP_POST) {
			http_res_header(c->res, "Allow", "POST");
			admin_error(&ad, 405, "이 주소는 POST 요청만 받습니다.");
			return;
		}
		set_cookie(c, ADMIN_SESSION_COOKIE, "", "/", 1);
		admin_see_other(&ad, "/admin/login");
		return;
	}
	if (!admin_form(&ad))
		return;
	if ((rc = store_session_delete(c->st, ad.session_hash)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	admin_audit(&ad, "logout", 0, "");
	set_cookie(c, ADMIN_SESSION_COOKIE, "", "/", 1);
	admin_see_other(&ad, "/admin/login");
}

/* ---- the password page ---- */

static void
password_page(struct admin *ad, int status, const char *current_error, const char *password_error,
    const char *password2_error)
{
	json_t *m = admin_page_model(ad, "비밀번호 변경", NULL);

	json_object_set_new(m, "must_change", json_boolean(ad->must_change));
	json_object_set_new(m, "min", json_integer(NEWS_PASSWORD_MIN));
	set_message(m, "current_error", current_error);
	set_message(m, "password_error", password_error);
	set_message(m, "password2_error", password2_error);
	if (current_error || password_error || password2_error)
		json_object_set_new(m, "has_errors", json_true());
	admin_render(ad, "password", m);
	if (ad->c->res->status == 200)
		ad->c->res->status = status;
}

void
admin_password(struct site_ctx *c, struct admin *ad)
{
	const char *current, *pw, *pw2, *stored, *ekey, *e1 = NULL, *e2 = NULL, *e3 = NULL;
	char hash[NEWS_HASH_MAX];
	time_t now = c->req->now;
	int rc, must, nfail = 0;

	if (c->req->method != HTTP_POST) {
		if (site_is_get(c))
			password_page(ad, 200, NULL, NULL, NULL);
		return;
	}
	if (!admin_form(ad))
		return;
	/* Passwords are compared as typed (no normalization), as 'sinmun
	 * user' hashes them. */
	current = http_param(ad->form, ad->nform, "current");
	pw = http_param(ad->form, ad->nform, "password");
	pw2 = http_param(ad->form, ad->nform, "password2");
	if (!ad->must_change && (current == NULL || current[0] == '\0'))
		e1 = "현재 비밀번호를 입력해 주세요.";
	if (pw == NULL || news_strlen_chars(pw) < NEWS_PASSWORD_MIN)
		e2 = "새 비밀번호는 10자 이상이어야 합니다.";
	else if (strlen(pw) > NEWS_PASSWORD_MAX)
		e2 = "새 비밀번호가 너무 깁니다(256바이트까지).";
	else if (pw2 == NULL || strcmp(pw, pw2) != 0)
		e3 = "새 비밀번호 두 칸이 서로 다릅니다.";
	if (e1 || e2 || e3) {
		password_page(ad, 400, e1, e2, e3);
		return;
	}
	if ((rc = store_person_password(c->st, c->a, ad->user.id, &stored, &must)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (!ad->must_change) {
		/* Someone at an unattended browser must not be able to take the
		 * account: the current password is asked, under the same limit
		 * as the login page. */
		ekey = arena_printf(c->a, "email:%s", ascii_lower(c->a, ad->user.email ? ad->user.email : ""));
		if ((rc = store_login_failures(c->st, ekey, now - ADMIN_LOGIN_WINDOW, &nfail)) != STORE_OK) {
			site_store_failed(c, rc);
			return;
		}
		if (nfail >= ADMIN_LOGIN_LIMIT) {
			password_page(ad, 429, MSG_LIMIT, NULL, NULL);
			return;
		}
		if (!news_password_verify(stored, current)) {
			if ((rc = store_login_failure_add(c->st, ekey, now)) != STORE_OK)
				log_error("password: %s (%s)", store_strerror(rc), store_errmsg(c->st));
			password_page(ad, 400, "현재 비밀번호가 맞지 않습니다.", NULL, NULL);
			return;
		}
	}
	if (news_password_verify(stored, pw)) {
		password_page(ad, 400, NULL, "지금 쓰는 비밀번호와 다른 비밀번호를 정해 주세요.", NULL);
		return;
	}
	if (news_password_hash(pw, hash) != 0) {
		admin_error(ad, 503, "비밀번호를 저장하지 못했습니다. 잠시 뒤에 다시 시도해 주세요.");
		return;
	}
	/* The new password ends every session of the account (another
	 * browser where the old one was used included); this browser gets a
	 * new one in the same transaction. */
	if ((rc = store_begin(c->st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if ((rc = store_person_set_password(c->st, ad->user.id, hash, 0)) != STORE_OK ||
	    (rc = store_sessions_delete_person(c->st, ad->user.id)) != STORE_OK ||
	    (rc = session_start(ad, ad->user.id)) != STORE_OK) {
		store_rollback(c->st);
		c->res->nheaders = 0;
		site_store_failed(c, rc);
		return;
	}
	admin_audit(ad, "password", 0, ad->must_change ? "one-time password replaced" : "");
	if ((rc = store_commit(c->st)) != STORE_OK) {
		store_rollback(c->st);
		c->res->nheaders = 0;
		site_store_failed(c, rc);
		return;
	}
	sodium_memzero(hash, sizeof hash);
	ad->must_change = 0;
	admin_see_other(ad, "/admin?msg=password");
}

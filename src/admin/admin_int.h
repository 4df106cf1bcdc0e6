/*
 * admin_int.h - what the newsroom's handler files share: who is asking
 * (struct admin), forms with their CSRF check, the audit log, the page
 * model, and the sub-routers each file answers.
 *
 *   admin.c      the router of /admin/...
 *   auth.c       login, logout, sessions, CSRF, the login limit, password
 *   dashboard.c  the dashboard
 *   articles.c   article lists, the editor, preview, workflow actions,
 *                revisions, corrections
 *   settings.c   front-page curation, site settings, sections, weather
 *                stations, accounts and API tokens
 *   api.c        /api/v1/ with Bearer tokens
 *
 * Everything is allocated from the request's arena (c->a).
 */
#ifndef SINMUN_ADMIN_ADMIN_INT_H
#define SINMUN_ADMIN_ADMIN_INT_H

#include <stdint.h>

#include <jansson.h>

#include "admin/admin.h"
#include "news/workflow.h"
#include "site/site_int.h"
#include "store/store.h"

#define ADMIN_SESSION_COOKIE "sinmun_session"
#define ADMIN_SESSION_IDLE   (2 * 3600)     /* seconds without a request */
#define ADMIN_SESSION_MAX    (12 * 3600)    /* seconds after login, at most */
#define ADMIN_LOGIN_LIMIT    5              /* failures ... */
#define ADMIN_LOGIN_WINDOW   (15 * 60)      /* ... in this many seconds */

struct admin {
	struct site_ctx   *c;
	struct person      user;         /* who is logged in (or whose token) */
	int                must_change;  /* one-time password not yet changed */
	const char        *csrf;         /* the session's CSRF token; NULL for the API */
	const char        *session_hash; /* NULL for the API */
	int64_t            token_id;     /* API token, 0 for a session */
	struct http_param *form;         /* the POST body's fields, after admin_form() */
	size_t             nform;
};

/* ---- auth.c ---- */

/* Fills ad from the session cookie: 1 when a live session belongs to an
 * active account, else 0 (nothing answered). */
int admin_session(struct site_ctx *, struct admin *ad);
/* As admin_session, but when there is no session answers a redirect to
 * the login page (303, with ?next=) and returns 0; with a one-time
 * password not yet changed, every page but the password page redirects
 * there. */
int admin_require(struct site_ctx *, struct admin *ad);
/* For POST: parses the form body (application/x-www-form-urlencoded) into
 * ad->form and checks its "csrf" field against the session's (in
 * constant time) and the Origin header, when sent, against the site.
 * Answers 400 or 403 with a Korean page and returns 0 when it fails. */
int admin_form(struct admin *ad);
/* A field of the parsed form, NFC-normalized; NULL when absent. */
const char *admin_field(struct admin *ad, const char *name);
/* The login, logout and password pages (routed by admin.c). */
void admin_login(struct site_ctx *);
void admin_logout(struct site_ctx *);
void admin_password(struct site_ctx *, struct admin *ad);
/* Hex BLAKE2b of a secret (session and API tokens are kept hashed). */
const char *admin_token_hash(struct arena *, const char *token);
/* A new random token, URL-safe base64 of 32 bytes. */
const char *admin_new_token(struct arena *);

/* ---- shared (admin.c) ---- */

/* Appends to the audit log (failures are logged, never fatal). */
void admin_audit(struct admin *, const char *action, int64_t article_id, const char *detail);
/* The model every newsroom page has: site name, the user (name, role
 * label, is_editor, is_admin), csrf, the navigation with `active` marked,
 * the title. */
json_t *admin_page_model(struct admin *, const char *title, const char *active);
/* Renders templates/admin/NAME with no-store caching and frame denial. */
void admin_render(struct admin *, const char *name, json_t *model);
/* A Korean error page inside the newsroom layout. */
void admin_error(struct admin *, int status, const char *message);
/* 303 See Other to a newsroom path (a POST's answer). */
void admin_see_other(struct admin *, const char *location);
/* Answers 403/409 for a refused workflow check and returns 0; 1 if ok. */
int admin_allowed(struct admin *, enum wf_action, const struct article *a);
/* A message a page shows once after a POST sent it there (?PARAM=KEY):
 * the text of table's entry for that key, NULL when there is none.  Only
 * fixed texts, so a link cannot make the newsroom say anything. */
struct admin_flash {
	const char *key, *text;
};
const char *admin_flash(struct site_ctx *, const char *param, const struct admin_flash *table, size_t n);
/* Times in Seoul for pages: "2025.11.25 14:03"; "" for 0. */
const char *admin_time(struct admin *, time_t t);

/* ---- dashboard.c ---- */
void admin_dashboard(struct admin *);

/* ---- articles.c: /admin/articles... (rest is after "/admin/articles",
 * "" or "/..."). ---- */
void admin_articles_route(struct admin *, const char *rest);

/* A form posted from the editor page and refused (a schedule, a return
 * note, a correction): the editor of art again, status 422, with what was
 * typed in those forms kept and message beside field ("at", "note",
 * "c_kind", "c_date", "c_text"). */
void admin_article_refused(struct admin *, const struct article *art, const char *field,
    const char *message);

/* ---- revisions.c: routed by articles.c ---- */
/* GET /admin/articles/{id}/revisions: every saved version, newest first. */
void admin_revisions(struct admin *, int64_t article_id);
/* GET /admin/articles/{id}/revisions/{rid}: that version beside the
 * current one, differences marked. */
void admin_revision(struct admin *, int64_t article_id, int64_t revision_id);
/* POST /admin/articles/{id}/revisions/{rid}/restore (form: csrf, version). */
void admin_revision_restore(struct admin *, int64_t article_id, int64_t revision_id);
/* POST /admin/articles/{id}/corrections (form: csrf, kind, date, text). */
void admin_correction_add(struct admin *, int64_t article_id);

/* ---- settings.c: /admin/front, /admin/settings, /admin/sections,
 * /admin/users, /admin/tokens... (path is the whole path).  Returns 0
 * when path is none of its own. ---- */
int admin_settings_route(struct admin *, const char *path);

#endif

/*
 * admin.c - the newsroom's router and the helpers every newsroom handler
 * shares (admin_int.h).
 */
#include "admin/admin_int.h"

#include <stdio.h>
#include <string.h>

#include "cache/cache.h"
#include "core/arena.h"
#include "core/kdate.h"
#include "core/log.h"

void
admin_audit(struct admin *ad, const char *action, int64_t article_id, const char *detail)
{
	int rc = store_audit_add(ad->c->st, ad->c->req->now, ad->user.id, action, article_id,
	    detail ? detail : "", ad->c->req->remote);

	if (rc != STORE_OK)
		log_error("audit %s %lld: %s (%s)", action, (long long)article_id, store_strerror(rc),
		    store_errmsg(ad->c->st));
}

const char *
admin_time(struct admin *ad, time_t t)
{
	return t ? site_fmt_time(ad->c->a, t, kdate_datetime) : "";
}

static const struct {
	const char *key, *label, *href;
	int         min;       /* 0 everyone, 1 desk, 2 admin */
} nav[] = {
	{ "dashboard", "대시보드", "/admin", 0 },
	{ "articles", "기사 목록", "/admin/articles", 0 },
	{ "new", "새 기사", "/admin/articles/new", 0 },
	{ "front", "첫 화면 편집", "/admin/front", 1 },
	{ "settings", "사이트 설정", "/admin/settings", 2 },
	{ "sections", "섹션", "/admin/sections", 2 },
	{ "users", "계정·토큰", "/admin/users", 0 },
};

const char *
admin_flash(struct site_ctx *c, const char *param, const struct admin_flash *table, size_t n)
{
	const char *k = http_param(c->params, c->nparams, param);
	size_t i;

	for (i = 0; k && i < n; i++)
		if (strcmp(k, table[i].key) == 0)
			return table[i].text;
	return NULL;
}

/* Messages any newsroom page shows once after a POST sent it there
 * (?msg=KEY). */
static const struct admin_flash flashes[] = {
	{ "password", "비밀번호를 바꿨습니다." },
	{ "saved", "저장했습니다." },
	{ "deleted", "삭제했습니다." },
};

static const char *
flash_text(struct site_ctx *c)
{
	return admin_flash(c, "msg", flashes, sizeof flashes / sizeof flashes[0]);
}

json_t *
admin_page_model(struct admin *ad, const char *title, const char *active)
{
	struct site_ctx *c = ad->c;
	int level = ad->user.role == ROLE_ADMIN ? 2 : ad->user.role == ROLE_EDITOR ? 1 : 0;
	json_t *m = json_object(), *items = json_array(), *it;
	size_t i;

	json_object_set_new(m, "title", site_jstr(title));
	json_object_set_new(m, "site_name", site_jstr(c->site_name));
	if (ad->user.id) {
		json_object_set_new(m, "user", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)ad->user.id,
		    "name", ad->user.name ? ad->user.name : "", "email", ad->user.email ? ad->user.email : "",
		    "role_label", person_role_label(ad->user.role)));
		json_object_set_new(m, "is_editor", json_boolean(level >= 1));
		json_object_set_new(m, "is_admin", json_boolean(level >= 2));
		for (i = 0; i < sizeof nav / sizeof nav[0]; i++) {
			if (nav[i].min > level)
				continue;
			it = json_pack("{s:s, s:s, s:s}", "key", nav[i].key, "label", nav[i].label,
			    "href", nav[i].href);
			if (active && strcmp(active, nav[i].key) == 0)
				json_object_set_new(it, "active", json_true());
			json_array_append_new(items, it);
		}
	}
	json_object_set_new(m, "nav", items);
	json_object_set_new(m, "csrf", site_jstr(ad->csrf));
	if (flash_text(c))
		json_object_set_new(m, "flash", site_jstr(flash_text(c)));
	return m;
}

void
admin_render(struct admin *ad, const char *name, json_t *model)
{
	struct http_res *res = ad->c->res;

	site_render(ad->c, arena_printf(ad->c->a, "admin/%s", name), model);
	http_res_header(res, "Cache-Control", "no-store");
	http_res_header(res, "X-Frame-Options", "DENY");
	http_res_header(res, "X-Content-Type-Options", "nosniff");
	http_res_header(res, "Referrer-Policy", "same-origin");
	json_decref(model);
}

void
admin_error(struct admin *ad, int status, const char *message)
{
	json_t *m = admin_page_model(ad, "오류", NULL);

	json_object_set_new(m, "status", json_integer(status));
	json_object_set_new(m, "message", site_jstr(message));
	admin_render(ad, "error", m);
	if (ad->c->res->status == 200)
		ad->c->res->status = status;
}

void
admin_see_other(struct admin *ad, const char *location)
{
	ad->c->res->status = 303;
	http_res_header(ad->c->res, "Location", location);
	http_res_header(ad->c->res, "Cache-Control", "no-store");
	ad->c->res->content_type = "text/plain; charset=utf-8";
	buf_reset(&ad->c->res->body);
}

int
admin_allowed(struct admin *ad, enum wf_action act, const struct article *a)
{
	switch (wf_check(ad->user.role, ad->user.id, act, a)) {
	case WF_OK:
		return 1;
	case WF_BAD_STATE:
		admin_error(ad, 409, arena_printf(ad->c->a, "지금 상태(%s)에서는 '%s'을(를) 할 수 없습니다.",
		    a ? article_status_name(a->status) : "-", wf_action_label(act)));
		return 0;
	default:
		admin_error(ad, 403, arena_printf(ad->c->a, "'%s' 권한이 없습니다.", wf_action_label(act)));
		return 0;
	}
}

void
admin_route(struct site_ctx *c, const char *path)
{
	struct admin ad;
	const char *rest;

	if (strcmp(path, "/admin/login") == 0) {
		admin_login(c);
		return;
	}
	if (strcmp(path, "/admin/logout") == 0) {
		admin_logout(c);
		return;
	}
	if (!admin_require(c, &ad))
		return;
	if (strcmp(path, "/admin/password") == 0) {
		admin_password(c, &ad);
	} else if (strcmp(path, "/admin") == 0 || strcmp(path, "/admin/") == 0) {
		if (site_is_get(c))
			admin_dashboard(&ad);
	} else if (site_has_prefix(path, "/admin/articles", &rest) && (rest[0] == '\0' || rest[0] == '/')) {
		admin_articles_route(&ad, rest);
	} else if (!admin_settings_route(&ad, path)) {
		admin_error(&ad, 404, "요청한 뉴스룸 페이지가 없습니다.");
	}
}

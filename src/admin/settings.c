/*
 * settings.c - the newsroom pages that are not about one article:
 *
 *   /admin/front      the desk's front page: top story, featured order
 *   /admin/settings   site name, legal footer, weather stations (admin)
 *   /admin/sections   add, rename, reorder sections (admin)
 *   /admin/users      API tokens (everyone: their own); accounts (admin)
 *   /admin/tokens/... creating and revoking API tokens
 *
 * Every POST carries the session's CSRF token (admin_form), is checked
 * with wf_check and written in one transaction with an audit entry; the
 * public pages move on at the next request by the site generation the
 * tables' triggers keep (store_site_version).  A form with an error comes
 * back (422) with what was typed and the error beside the field.
 */
#include "admin/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/log.h"
#include "news/account.h"
#include "news/news.h"
#include "weather/weather.h"

#define FRONT_CANDIDATES   40   /* recent published articles offered */
#define FRONT_FEATURED     10   /* the most the desk may feature */
#define SECTION_NAME_MAX   30
#define SECTION_SLUG_MAX   40
#define STATIONS_MAX       30
#define STATION_ID_MAX     999
#define STATION_NAME_MAX   20
#define TOKEN_NAME_MAX     50
#define PERSON_NAME_MAX    50
#define EMAIL_MAX          254

/* ---- shared helpers ---- */

/* GET (1), POST with a good form (2), or 0 after answering (405, or the
 * form's own 400/403). */
static int
get_or_post(struct admin *ad, int get_ok)
{
	enum http_method m = ad->c->req->method;

	if (get_ok && (m == HTTP_GET || m == HTTP_HEAD))
		return 1;
	if (m == HTTP_POST)
		return admin_form(ad) ? 2 : 0;
	http_res_header(ad->c->res, "Allow", get_ok ? "GET, HEAD, POST" : "POST");
	admin_error(ad, 405, "이 주소에서는 그 요청 방식을 쓸 수 없습니다.");
	return 0;
}

/* Runs a workflow check that concerns no article; 403 page when refused. */
static int
may(struct admin *ad, enum wf_action act)
{
	return admin_allowed(ad, act, NULL);
}

/* NULL when text is acceptable as a one-line field of min..max
 * characters; otherwise the Korean reason. */
static const char *
check_line(struct admin *ad, const char *v, size_t min, size_t max)
{
	size_t n, i;

	if (v == NULL)
		v = "";
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return "줄바꿈이나 제어 문자는 쓸 수 없습니다.";
	n = news_strlen_chars(v);
	if (n < min)
		return min == 1 ? "비워 둘 수 없습니다." : arena_printf(ad->c->a, "%zu자 이상이어야 합니다.", min);
	if (n > max)
		return arena_printf(ad->c->a, "%zu자 이하로 써 주세요 (지금 %zu자).", max, n);
	return NULL;
}

static int
commit_or_fail(struct admin *ad)
{
	int rc = store_commit(ad->c->st);

	if (rc != STORE_OK) {
		store_rollback(ad->c->st);
		site_store_failed(ad->c, rc);
		return 0;
	}
	return 1;
}

static void
write_failed(struct admin *ad, int rc)
{
	store_rollback(ad->c->st);
	site_store_failed(ad->c, rc);
}

static void
flash_saved(struct admin *ad, json_t *m, const char *text)
{
	const char *s = http_param(ad->c->params, ad->c->nparams, "saved");

	if (s && strcmp(s, "1") == 0)
		json_object_set_new(m, "flash", json_string(text));
}

static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	size_t i;

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL || strlen(s) > EMAIL_MAX)
		return 0;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '<' || s[i] == '>')
			return 0;
	return 1;
}

/* ================= /admin/front ================= */

/* The published article of a curated id, or 0. */
static int
published(struct admin *ad, int64_t id, struct article *out)
{
	return id > 0 && store_article_get(ad->c->st, ad->c->a, id, out) == STORE_OK &&
	    out->status == ARTICLE_PUBLISHED;
}

static json_t *
front_item(struct admin *ad, const struct article *a)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)a->id, "headline", a->headline,
	    "section", a->section.name ? a->section.name : "", "when", admin_time(ad, a->published_at));
}

static json_t *front_now(struct admin *);

/*
 * The curation page.  top is the chosen id ("" = newest); orders maps an
 * article id (as text) to the order number shown in its box.
 */
static void
front_page(struct admin *ad, int status, const char *top, json_t *orders, const char *error)
{
	struct site_ctx *c = ad->c;
	struct article_query q = { .status = ARTICLE_PUBLISHED, .limit = FRONT_CANDIDATES };
	struct article_list l;
	struct article a;
	json_t *m, *cands, *tops, *it, *v;
	const char *key;
	int rc, i;

	if ((rc = store_articles_list(c->st, c->a, &q, &l)) != STORE_OK) {
		json_decref(orders);
		site_store_failed(c, rc);
		return;
	}
	m = admin_page_model(ad, "첫 화면 편집", "front");
	cands = json_array();
	tops = json_array();
	/* Curated articles older than the recent ones are offered as well. */
	json_object_foreach(orders, key, v) {
		int64_t id = site_parse_id(key, strlen(key));
		int seen = 0;

		for (i = 0; i < l.n; i++)
			seen |= l.items[i].id == id;
		if (!seen && published(ad, id, &a)) {
			it = front_item(ad, &a);
			json_object_set(it, "order", v);
			json_array_append_new(cands, it);
		}
	}
	for (i = 0; i < l.n; i++) {
		const char *ids = arena_printf(c->a, "%lld", (long long)l.items[i].id);

		it = front_item(ad, &l.items[i]);
		if ((v = json_object_get(orders, ids)) != NULL)
			json_object_set(it, "order", v);
		json_array_append_new(cands, it);
		it = front_item(ad, &l.items[i]);
		if (strcmp(top, ids) == 0)
			json_object_set_new(it, "selected", json_true());
		json_array_append_new(tops, it);
	}
	/* A top story older than the recent ones stays selectable. */
	if (top[0] && published(ad, site_parse_id(top, strlen(top)), &a)) {
		for (i = 0; i < l.n && l.items[i].id != a.id; i++)
			;
		if (i == l.n) {
			it = front_item(ad, &a);
			json_object_set_new(it, "selected", json_true());
			json_array_append_new(tops, it);
		}
	}
	json_object_set_new(m, "top_newest", json_boolean(top[0] == '\0'));
	json_object_set_new(m, "tops", tops);
	json_object_set_new(m, "candidates", cands);
	json_object_set_new(m, "featured_max", json_integer(FRONT_FEATURED));
	json_object_set_new(m, "now", front_now(ad));
	if (error)
		json_object_set_new(m, "error", json_string(error));
	flash_saved(ad, m, "첫 화면을 저장했습니다. 사이트에 바로 반영됩니다.");
	json_decref(orders);
	admin_render(ad, "front", m);
	c->res->status = status;
}

static void
front_get(struct admin *ad)
{
	const char *top = site_setting(ad->c, "front.top"), *s, *e;
	json_t *orders = json_object();
	int n = 0;

	for (s = site_setting(ad->c, "front.featured"); *s; s = e) {
		while (*s == ' ')
			s++;
		for (e = s; *e && *e != ' '; e++)
			;
		if (e > s)
			json_object_set_new(orders, arena_strndup(ad->c->a, s, (size_t)(e - s)),
			    json_string(arena_printf(ad->c->a, "%d", ++n)));
	}
	front_page(ad, 200, top, orders, NULL);
}

/* What the front page shows now, in order, for the page's summary. */
static json_t *
front_now(struct admin *ad)
{
	const char *s = site_setting(ad->c, "front.top"), *e;
	json_t *arr = json_array();
	struct article a;

	if (s[0] && published(ad, site_parse_id(s, strlen(s)), &a))
		json_array_append_new(arr, json_pack("{s:s, s:s}", "role", "머리기사", "headline", a.headline));
	else
		json_array_append_new(arr, json_pack("{s:s, s:s}", "role", "머리기사", "headline",
		    "가장 최근에 발행된 기사"));
	for (s = site_setting(ad->c, "front.featured"); *s; s = e) {
		while (*s == ' ')
			s++;
		for (e = s; *e && *e != ' '; e++)
			;
		if (e > s && published(ad, site_parse_id(s, (size_t)(e - s)), &a))
			json_array_append_new(arr, json_pack("{s:s, s:s}", "role", "추천", "headline", a.headline));
	}
	return arr;
}

struct ordered {
	int64_t id;
	long    order;
	int     seq;
};

static int
cmp_ordered(const void *x, const void *y)
{
	const struct ordered *a = x, *b = y;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return a->seq - b->seq;
}

/*
 * POST /admin/front: top (an id or "" for the newest) and the featured
 * order, either as order_<id> fields (the page's numbered boxes; empty =
 * not featured) or as one "featured" field of ids in order.
 */
static void
front_post(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	struct ordered *list;
	struct article a;
	const char *top = admin_field(ad, "top"), *feat = admin_field(ad, "featured"), *s, *e;
	json_t *orders = json_object();
	struct buf out = BUF_INIT;
	int64_t id;
	size_t i;
	int n = 0, k, j, rc;
	char *end;
	long num;

	if (top == NULL)
		top = "";
	list = arena_calloc(c->a, ad->nform + 64, sizeof *list);
	if (feat != NULL) {
		for (s = feat; *s && n < 64; s = e) {
			while (*s == ' ' || *s == ',')
				s++;
			for (e = s; *e && *e != ' ' && *e != ','; e++)
				;
			if (e == s)
				continue;
			id = site_parse_id(s, (size_t)(e - s));
			if (id < 1) {
				front_page(ad, 422, top, orders, "추천 기사 목록에는 기사 번호만 쓸 수 있습니다.");
				return;
			}
			list[n].id = id;
			list[n].order = n + 1;
			list[n].seq = n;
			n++;
		}
	} else {
		for (i = 0; i < ad->nform; i++) {
			const char *name = ad->form[i].name, *val = ad->form[i].value;

			if (strncmp(name, "order_", 6) != 0 || (id = site_parse_id(name + 6, strlen(name + 6))) < 1)
				continue;
			json_object_set_new(orders, name + 6, json_string(val));
			while (*val == ' ')
				val++;
			if (*val == '\0')
				continue;
			num = strtol(val, &end, 10);
			while (*end == ' ')
				end++;
			if (*end != '\0' || num < 1 || num > 99) {
				front_page(ad, 422, top, orders, "순서는 1부터 99까지의 숫자로 쓰거나 비워 두세요.");
				return;
			}
			list[n].id = id;
			list[n].order = num;
			list[n].seq = n;
			n++;
		}
		qsort(list, (size_t)n, sizeof *list, cmp_ordered);
	}
	if (top[0] && !published(ad, site_parse_id(top, strlen(top)), &a)) {
		front_page(ad, 422, "", orders, "머리기사는 발행된 기사여야 합니다.");
		return;
	}
	/* Duplicates go; every id must be a published article. */
	for (k = 0, j = 0; k < n; k++) {
		int dup = 0, q;

		for (q = 0; q < j; q++)
			dup |= list[q].id == list[k].id;
		if (dup)
			continue;
		if (!published(ad, list[k].id, &a)) {
			front_page(ad, 422, top, orders, arena_printf(c->a,
			    "%lld번 기사는 발행된 기사가 아니어서 추천할 수 없습니다.", (long long)list[k].id));
			return;
		}
		list[j++] = list[k];
	}
	if (j > FRONT_FEATURED) {
		front_page(ad, 422, top, orders, arena_printf(c->a, "추천 기사는 %d개까지입니다 (지금 %d개).",
		    FRONT_FEATURED, j));
		return;
	}
	json_decref(orders);
	for (k = 0; k < j; k++)
		buf_printf(&out, "%s%lld", k ? " " : "", (long long)list[k].id);
	s = arena_strndup(c->a, out.p ? out.p : "", out.len);
	buf_free(&out);
	if ((rc = store_begin(c->st)) != STORE_OK || (rc = store_setting_set(c->st, "front.top", top)) != STORE_OK ||
	    (rc = store_setting_set(c->st, "front.featured", s)) != STORE_OK) {
		write_failed(ad, rc);
		return;
	}
	admin_audit(ad, "curate", 0, arena_printf(c->a, "top=%s featured=%s", top[0] ? top : "newest", s));
	if (commit_or_fail(ad))
		admin_see_other(ad, "/admin/front?saved=1");
}

/* ================= /admin/settings ================= */

enum field_kind { F_LINE, F_TEXT, F_URL, F_EMAIL, F_PHONE, F_STATIONS };

static const struct site_field {
	const char     *key, *label, *hint;
	size_t          min, max;
	enum field_kind kind;
} fields[] = {
	{ "site_name", "사이트 이름", "제호: 머리와 제목에 나옵니다.", 1, 50, F_LINE },
	{ "site_url", "사이트 주소", "https://example.kr 처럼 (피드와 검색엔진용 정식 주소).", 0, 200, F_URL },
	{ "site_description", "사이트 소개", "검색 결과와 공유에 쓰이는 한두 문장.", 0, 300, F_TEXT },
	{ "registration_no", "등록번호", "예: 서울 아00000", 0, 50, F_LINE },
	{ "registration_date", "등록일", "예: 2025.01.02", 0, 50, F_LINE },
	{ "publisher", "발행인", NULL, 0, 50, F_LINE },
	{ "editor", "편집인", NULL, 0, 50, F_LINE },
	{ "youth_protection_officer", "청소년보호책임자", NULL, 0, 50, F_LINE },
	{ "address", "주소", NULL, 0, 200, F_LINE },
	{ "phone", "전화", "숫자, -, 괄호, +, 빈칸", 0, 30, F_PHONE },
	{ "email", "이메일", NULL, 0, EMAIL_MAX, F_EMAIL },
	{ "copyright_holder", "저작권자", "꼬리말의 © 다음에 나옵니다.", 0, 100, F_LINE },
	{ "weather.stations", "날씨 관측소", "\"지점번호:이름\"을 빈칸으로 나눠 순서대로 (예: 108:서울 159:부산). "
	  "지점번호 1~999, 이름 1~20자, 30곳까지.", 0, 2000, F_STATIONS },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* NULL, or why the weather.stations value cannot be used. */
static const char *
check_stations(struct admin *ad, const char *v)
{
	struct weather_station *st = NULL;
	int ids[STATIONS_MAX];
	const char *p = v, *tok, *colon;
	char warn[256];
	size_t n = 0, k;
	int cnt = 0, i;
	long id;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		tok = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		const char *entry = arena_strndup(ad->c->a, tok, (size_t)(p - tok));

		colon = strchr(entry, ':');
		if (colon == NULL || colon == entry || strspn(entry, "0123456789") != (size_t)(colon - entry))
			return arena_printf(ad->c->a, "'%s': \"지점번호:이름\" 꼴이 아닙니다.", entry);
		if (colon - entry > 3 || (id = strtol(entry, NULL, 10)) < 1 || id > STATION_ID_MAX)
			return arena_printf(ad->c->a, "'%s': 지점번호는 1부터 %d까지입니다.", entry, STATION_ID_MAX);
		k = news_strlen_chars(colon + 1);
		if (k < 1 || k > STATION_NAME_MAX)
			return arena_printf(ad->c->a, "'%s': 이름은 1자에서 %d자까지입니다.", entry, STATION_NAME_MAX);
		for (i = 0; i < cnt; i++)
			if (ids[i] == (int)id)
				return arena_printf(ad->c->a, "'%s': 지점번호 %ld이(가) 두 번 나옵니다.", entry, id);
		if (cnt == STATIONS_MAX)
			return arena_printf(ad->c->a, "관측소는 %d곳까지입니다.", STATIONS_MAX);
		ids[cnt++] = (int)id;
	}
	/* The ticker's own parser must take every entry as well. */
	weather_stations_parse(v, &st, &n, warn, sizeof warn);
	free(st);
	if (warn[0] || (int)n != cnt)
		return arena_printf(ad->c->a, "날씨 설정으로 읽을 수 없는 항목이 있습니다 (%s).", warn);
	return NULL;
}

/* NULL, or the Korean reason value cannot be field f. */
static const char *
check_field(struct admin *ad, const struct site_field *f, const char *v)
{
	const char *why;
	size_t i;

	if (f->kind == F_TEXT || f->kind == F_STATIONS) {
		for (i = 0; v[i]; i++)
			if (((unsigned char)v[i] < 0x20 && v[i] != '\n' && v[i] != '\r' && v[i] != '\t') || v[i] == 0x7f)
				return "제어 문자는 쓸 수 없습니다.";
		if (news_strlen_chars(v) > f->max)
			return arena_printf(ad->c->a, "%zu자 이하로 써 주세요.", f->max);
		if (f->kind == F_STATIONS)
			return check_stations(ad, v);
		return NULL;
	}
	if ((why = check_line(ad, v, f->min, f->max)) != NULL)
		return why;
	if (v[0] == '\0')
		return NULL;
	switch (f->kind) {
	case F_URL:
		if ((strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) || strchr(v, ' ') ||
		    strchr(v, '"') || strchr(v, '<') || strchr(v, '>'))
			return "http:// 또는 https://로 시작하는 주소여야 합니다.";
		break;
	case F_EMAIL:
		if (!email_ok(v))
			return "이메일 주소 꼴이 아닙니다.";
		break;
	case F_PHONE:
		if (strspn(v, "0123456789-+() ") != strlen(v))
			return "숫자, -, +, 괄호와 빈칸만 쓸 수 있습니다.";
		break;
	default:
		break;
	}
	return NULL;
}

/* values: key -> value shown; errors: key -> message (both may be NULL). */
static void
settings_page(struct admin *ad, int status, json_t *values, json_t *errors)
{
	json_t *m = admin_page_model(ad, "사이트 설정", "settings"), *list = json_array(), *it, *v;
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		v = values ? json_object_get(values, fields[i].key) : NULL;
		it = json_pack("{s:s, s:s, s:s, s:b}", "key", fields[i].key, "label", fields[i].label,
		    "value", v ? json_string_value(v) : site_setting(ad->c, fields[i].key),
		    "multiline", fields[i].kind == F_TEXT || fields[i].kind == F_STATIONS);
		if (fields[i].hint)
			json_object_set_new(it, "hint", json_string(fields[i].hint));
		if (errors && (v = json_object_get(errors, fields[i].key)) != NULL)
			json_object_set(it, "error", v);
		json_array_append_new(list, it);
	}
	json_object_set_new(m, "fields", list);
	if (errors && json_object_size(errors) > 0)
		json_object_set_new(m, "error", json_string("고칠 곳이 있어 저장하지 않았습니다. 표시된 칸을 확인하세요."));
	flash_saved(ad, m, "설정을 저장했습니다.");
	json_decref(values);
	json_decref(errors);
	admin_render(ad, "settings", m);
	ad->c->res->status = status;
}

static void
settings_post(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	json_t *values = json_object(), *errors = json_object();
	const char *v, *why, *changed = "";
	size_t i;
	int rc;

	for (i = 0; i < NFIELDS; i++) {
		/* A field left out of the form keeps its value. */
		if ((v = admin_field(ad, fields[i].key)) == NULL)
			v = site_setting(c, fields[i].key);
		if (fields[i].kind != F_TEXT && fields[i].kind != F_STATIONS) {
			/* Spaces around a one-line value are never meant. */
			while (*v == ' ')
				v++;
			v = arena_strdup(c->a, v);
			for (size_t n = strlen(v); n > 0 && v[n - 1] == ' '; n--)
				((char *)v)[n - 1] = '\0';
		}
		json_object_set_new(values, fields[i].key, json_string(v));
		if ((why = check_field(ad, &fields[i], v)) != NULL)
			json_object_set_new(errors, fields[i].key, json_string(why));
	}
	if (json_object_size(errors) > 0) {
		settings_page(ad, 422, values, errors);
		return;
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		json_decref(values);
		json_decref(errors);
		site_store_failed(c, rc);
		return;
	}
	for (i = 0; i < NFIELDS; i++) {
		v = json_string_value(json_object_get(values, fields[i].key));
		if (strcmp(v, site_setting(c, fields[i].key)) == 0)
			continue;
		if ((rc = store_setting_set(c->st, fields[i].key, v)) != STORE_OK) {
			json_decref(values);
			json_decref(errors);
			write_failed(ad, rc);
			return;
		}
		changed = arena_printf(c->a, "%s%s%s", changed, changed[0] ? " " : "", fields[i].key);
	}
	json_decref(values);
	json_decref(errors);
	admin_audit(ad, "settings", 0, changed);
	if (commit_or_fail(ad))
		admin_see_other(ad, "/admin/settings?saved=1");
}

/* ================= /admin/sections ================= */

static void
sections_page(struct admin *ad, int status, const char *error, const char *slug, const char *name,
    const char *position)
{
	struct section *secs;
	json_t *m, *list;
	int n, i, rc;

	if ((rc = store_sections_list(ad->c->st, ad->c->a, &secs, &n)) != STORE_OK) {
		site_store_failed(ad->c, rc);
		return;
	}
	m = admin_page_model(ad, "섹션", "sections");
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:i, s:b, s:b}", "id", (json_int_t)secs[i].id,
		    "slug", secs[i].slug, "name", secs[i].name, "position", secs[i].position,
		    "first", i == 0, "last", i == n - 1));
	json_object_set_new(m, "sections", list);
	json_object_set_new(m, "new_slug", site_jstr(slug));
	json_object_set_new(m, "new_name", site_jstr(name));
	json_object_set_new(m, "new_position", site_jstr(position));
	if (error)
		json_object_set_new(m, "error", json_string(error));
	flash_saved(ad, m, "섹션을 저장했습니다.");
	admin_render(ad, "sections", m);
	ad->c->res->status = status;
}

/* A position field: "" gives dflt; -1 when not 0..9999. */
static int
position_of(const char *s, int dflt)
{
	char *end;
	long v;

	if (s == NULL || s[0] == '\0')
		return dflt;
	v = strtol(s, &end, 10);
	if (*end != '\0' || end == s || v < 0 || v > 9999)
		return -1;
	return (int)v;
}

static void
section_add(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	const char *slug = admin_field(ad, "slug"), *name = admin_field(ad, "name"),
	    *pos_s = admin_field(ad, "position"), *why;
	struct section *secs, found;
	int64_t id;
	int n, pos, rc, i;

	slug = slug ? slug : "";
	name = name ? name : "";
	pos_s = pos_s ? pos_s : "";
	if ((rc = store_sections_list(c->st, c->a, &secs, &n)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	for (pos = 0, i = 0; i < n; i++)
		if (secs[i].position >= pos)
			pos = secs[i].position + 10;
	if (slug[0] == '\0' || strlen(slug) > SECTION_SLUG_MAX || strspn(slug,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(slug)) {
		sections_page(ad, 422, arena_printf(c->a, "주소 이름(slug)은 영문 소문자, 숫자, -로 %d자까지 씁니다.",
		    SECTION_SLUG_MAX), slug, name, pos_s);
		return;
	}
	if ((why = check_line(ad, name, 1, SECTION_NAME_MAX)) != NULL) {
		sections_page(ad, 422, arena_printf(c->a, "섹션 이름: %s", why), slug, name, pos_s);
		return;
	}
	if ((pos = position_of(pos_s, pos)) < 0) {
		sections_page(ad, 422, "순서는 0부터 9999까지의 숫자입니다.", slug, name, pos_s);
		return;
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	rc = store_section_by_slug(c->st, c->a, slug, &found);
	if (rc == STORE_OK) {
		store_rollback(c->st);
		sections_page(ad, 422, arena_printf(c->a, "'%s' 주소의 섹션이 이미 있습니다.", slug), slug, name, pos_s);
		return;
	}
	if (rc != STORE_NOTFOUND || (rc = store_section_put(c->st, slug, name, pos, &id)) != STORE_OK) {
		write_failed(ad, rc);
		return;
	}
	admin_audit(ad, "section-add", 0, arena_printf(c->a, "%s %s %d", slug, name, pos));
	if (commit_or_fail(ad))
		admin_see_other(ad, "/admin/sections?saved=1");
}

/* POST /admin/sections/{id}: name and position, or move=up|down (the
 * list is renumbered 10, 20, ... with the two swapped). */
static void
section_update(struct admin *ad, int64_t id)
{
	struct site_ctx *c = ad->c;
	const char *name = admin_field(ad, "name"), *pos_s = admin_field(ad, "position"),
	    *move = admin_field(ad, "move"), *why;
	struct section *secs, tmp;
	int n, i, k, rc, pos;

	if ((rc = store_sections_list(c->st, c->a, &secs, &n)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	for (k = 0; k < n && secs[k].id != id; k++)
		;
	if (k == n) {
		admin_error(ad, 404, "그런 섹션이 없습니다.");
		return;
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (move && (strcmp(move, "up") == 0 || strcmp(move, "down") == 0)) {
		i = strcmp(move, "up") == 0 ? k - 1 : k + 1;
		if (i >= 0 && i < n) {
			tmp = secs[i];
			secs[i] = secs[k];
			secs[k] = tmp;
		}
		for (i = 0; i < n; i++)
			if ((rc = store_section_update(c->st, secs[i].id, secs[i].name, (i + 1) * 10)) != STORE_OK) {
				write_failed(ad, rc);
				return;
			}
		admin_audit(ad, "section-move", 0, arena_printf(c->a, "%s %s", secs[k].slug, move));
	} else {
		if (name == NULL)
			name = secs[k].name;
		if ((why = check_line(ad, name, 1, SECTION_NAME_MAX)) != NULL) {
			store_rollback(c->st);
			sections_page(ad, 422, arena_printf(c->a, "%s 섹션 이름: %s", secs[k].slug, why), "", "", "");
			return;
		}
		if ((pos = position_of(pos_s, secs[k].position)) < 0) {
			store_rollback(c->st);
			sections_page(ad, 422, "순서는 0부터 9999까지의 숫자입니다.", "", "", "");
			return;
		}
		if ((rc = store_section_update(c->st, id, name, pos)) != STORE_OK) {
			write_failed(ad, rc);
			return;
		}
		admin_audit(ad, "section-update", 0, arena_printf(c->a, "%s %s %d", secs[k].slug, name, pos));
	}
	if (commit_or_fail(ad))
		admin_see_other(ad, "/admin/sections?saved=1");
}

/* ================= /admin/users, /admin/tokens ================= */

static json_t *
token_rows(struct admin *ad, const struct api_token_row *t, int n)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)t[i].id,
		    "email", t[i].person_email ? t[i].person_email : "", "name", t[i].name ? t[i].name : "",
		    "created", admin_time(ad, t[i].created_at),
		    "last_used", t[i].last_used ? admin_time(ad, t[i].last_used) : "쓴 적 없음",
		    "revoked", t[i].revoked_at != 0));
	return arr;
}

struct users_extra {
	const char *error;
	const char *new_token, *new_token_name;
	const char *otp, *otp_email;
	const char *email, *name, *role;   /* the add form, as typed */
};

static void
users_page(struct admin *ad, int status, const struct users_extra *x)
{
	struct site_ctx *c = ad->c;
	struct api_token_row *toks;
	struct person *people;
	json_t *m, *list, *roles;
	const char *hash;
	int n, i, r, rc, once;

	if ((rc = store_tokens_list(c->st, c->a, ad->user.id, &toks, &n)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	m = admin_page_model(ad, "계정·토큰", "users");
	json_object_set_new(m, "my_tokens", token_rows(ad, toks, n));
	if (wf_check(ad->user.role, ad->user.id, WF_ACCOUNTS, NULL) == WF_OK) {
		json_object_set_new(m, "accounts", json_true());
		if ((rc = store_tokens_list(c->st, c->a, 0, &toks, &r)) != STORE_OK ||
		    (rc = store_people_list(c->st, c->a, &people, &n)) != STORE_OK) {
			json_decref(m);
			site_store_failed(c, rc);
			return;
		}
		json_object_set_new(m, "all_tokens", token_rows(ad, toks, r));
		list = json_array();
		for (i = 0; i < n; i++) {
			json_t *p;

			if (people[i].role == ROLE_CONTRIBUTOR)
				continue;
			if (store_person_password(c->st, c->a, people[i].id, &hash, &once) != STORE_OK)
				hash = NULL;
			roles = json_array();
			for (r = ROLE_REPORTER; r <= ROLE_ADMIN; r++)
				json_array_append_new(roles, json_pack("{s:s, s:s, s:b}", "value",
				    person_role_name((enum person_role)r), "label", person_role_label((enum person_role)r),
				    "selected", people[i].role == (enum person_role)r));
			p = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:s, s:o}", "id", (json_int_t)people[i].id,
			    "name", people[i].name, "email", people[i].email,
			    "role_label", person_role_label(people[i].role), "active", people[i].active,
			    "self", people[i].id == ad->user.id,
			    "login", !people[i].active ? "사용 중지" : hash == NULL ? "로그인 없음(바이라인)" :
			    once ? "임시 비밀번호" : "사용 중", "roles", roles);
			json_array_append_new(list, p);
		}
		json_object_set_new(m, "people", list);
	}
	if (x) {
		if (x->error)
			json_object_set_new(m, "error", json_string(x->error));
		if (x->new_token)
			json_object_set_new(m, "new_token", json_pack("{s:s, s:s}", "token", x->new_token,
			    "name", x->new_token_name ? x->new_token_name : ""));
		if (x->otp)
			json_object_set_new(m, "one_time", json_pack("{s:s, s:s}", "password", x->otp,
			    "email", x->otp_email));
		json_object_set_new(m, "add_email", site_jstr(x->email));
		json_object_set_new(m, "add_name", site_jstr(x->name));
	}
	roles = json_array();
	for (r = ROLE_REPORTER; r <= ROLE_ADMIN; r++)
		json_array_append_new(roles, json_pack("{s:s, s:s, s:b}", "value", person_role_name((enum person_role)r),
		    "label", person_role_label((enum person_role)r),
		    "selected", x && x->role && strcmp(x->role, person_role_name((enum person_role)r)) == 0));
	json_object_set_new(m, "add_roles", roles);
	flash_saved(ad, m, "저장했습니다.");
	admin_render(ad, "users", m);
	c->res->status = status;
}

/* POST /admin/tokens/new: the token is shown on this answer only. */
static void
token_create(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	struct users_extra x = { 0 };
	const char *name = admin_field(ad, "name"), *why, *tok;
	int64_t id;
	int rc;

	name = name ? name : "";
	if ((why = check_line(ad, name, 1, TOKEN_NAME_MAX)) != NULL) {
		x.error = arena_printf(c->a, "토큰 이름: %s", why);
		users_page(ad, 422, &x);
		return;
	}
	tok = admin_new_token(c->a);
	if (tok == NULL || tok[0] == '\0') {
		admin_error(ad, 500, "토큰을 만들지 못했습니다.");
		return;
	}
	if ((rc = store_begin(c->st)) != STORE_OK ||
	    (rc = store_token_create(c->st, ad->user.id, admin_token_hash(c->a, tok), name, c->req->now, &id)) != STORE_OK) {
		write_failed(ad, rc);
		return;
	}
	admin_audit(ad, "token-create", 0, arena_printf(c->a, "%lld %s", (long long)id, name));
	if (!commit_or_fail(ad))
		return;
	x.new_token = tok;
	x.new_token_name = name;
	users_page(ad, 200, &x);
}

/* POST /admin/tokens/{id}/revoke: one's own, or anyone's for an admin. */
static void
token_revoke(struct admin *ad, int64_t id)
{
	struct site_ctx *c = ad->c;
	struct api_token_row *toks;
	int n, i, rc;

	if ((rc = store_tokens_list(c->st, c->a, 0, &toks, &n)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	for (i = 0; i < n && toks[i].id != id; i++)
		;
	if (i == n) {
		admin_error(ad, 404, "그런 토큰이 없습니다.");
		return;
	}
	if (toks[i].person_id != ad->user.id && !may(ad, WF_ACCOUNTS))
		return;
	if (toks[i].revoked_at == 0) {
		if ((rc = store_begin(c->st)) != STORE_OK || (rc = store_token_revoke(c->st, id, c->req->now)) != STORE_OK) {
			write_failed(ad, rc);
			return;
		}
		admin_audit(ad, "token-revoke", 0, arena_printf(c->a, "%lld %s", (long long)id, toks[i].person_email));
		if (!commit_or_fail(ad))
			return;
	}
	admin_see_other(ad, "/admin/users?saved=1");
}

/* POST /admin/users/new (admin): an account with a one-time password,
 * shown once, to be changed at the first login ('sinmun user add'). */
static void
account_add(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	struct users_extra x = { 0 };
	char otp[NEWS_ONE_TIME_LEN + 1], hash[NEWS_HASH_MAX];
	const char *why, *phash;
	struct person p;
	int64_t id;
	int role, rc, once;

	x.email = admin_field(ad, "email");
	x.name = admin_field(ad, "name");
	x.role = admin_field(ad, "role");
	x.email = x.email ? x.email : "";
	x.name = x.name ? x.name : "";
	role = x.role ? person_role_parse(x.role) : -1;
	if (!email_ok(x.email))
		x.error = "이메일 주소 꼴이 아닙니다.";
	else if ((why = check_line(ad, x.name, 1, PERSON_NAME_MAX)) != NULL)
		x.error = arena_printf(c->a, "이름: %s", why);
	else if (role != ROLE_REPORTER && role != ROLE_EDITOR && role != ROLE_ADMIN)
		x.error = "역할은 기자, 데스크, 관리자 중 하나입니다.";
	if (x.error) {
		users_page(ad, 422, &x);
		return;
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	rc = store_person_by_email(c->st, c->a, x.email, &p);
	if (rc == STORE_OK && store_person_password(c->st, c->a, p.id, &phash, &once) == STORE_OK && phash) {
		store_rollback(c->st);
		x.error = arena_printf(c->a, "%s은(는) 이미 계정이 있습니다.", x.email);
		users_page(ad, 422, &x);
		return;
	}
	news_one_time_password(otp);
	/* A byline without an account (an imported reporter) becomes one. */
	if (news_password_hash(otp, hash) != 0) {
		store_rollback(c->st);
		admin_error(ad, 500, "비밀번호를 만들 메모리가 모자랍니다.");
		return;
	}
	if ((rc = store_person_put(c->st, x.name, x.email, (enum person_role)role, &id)) != STORE_OK ||
	    (rc = store_person_set_role(c->st, id, (enum person_role)role)) != STORE_OK ||
	    (rc = store_person_set_active(c->st, id, 1)) != STORE_OK ||
	    (rc = store_person_set_password(c->st, id, hash, 1)) != STORE_OK) {
		write_failed(ad, rc);
		return;
	}
	admin_audit(ad, "account-add", 0, arena_printf(c->a, "%s %s", x.email, person_role_name((enum person_role)role)));
	if (!commit_or_fail(ad))
		return;
	x.otp = arena_strdup(c->a, otp);
	x.otp_email = x.email;
	x.email = x.name = x.role = NULL;
	sodium_memzero(otp, sizeof otp);
	users_page(ad, 200, &x);
}

/* POST /admin/users/{id} (admin): role and active. */
static void
account_update(struct admin *ad, int64_t id)
{
	struct site_ctx *c = ad->c;
	struct users_extra x = { 0 };
	const char *role_s = admin_field(ad, "role"), *active_s = admin_field(ad, "active");
	struct person p;
	int role, active, rc;

	if ((rc = store_person_get(c->st, c->a, id, &p)) == STORE_NOTFOUND) {
		admin_error(ad, 404, "그런 계정이 없습니다.");
		return;
	}
	if (rc != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	role = role_s ? person_role_parse(role_s) : (int)p.role;
	active = active_s ? (strcmp(active_s, "1") == 0 ? 1 : strcmp(active_s, "0") == 0 ? 0 : -1) : p.active;
	if (role != ROLE_REPORTER && role != ROLE_EDITOR && role != ROLE_ADMIN)
		x.error = "역할은 기자, 데스크, 관리자 중 하나입니다.";
	else if (active < 0)
		x.error = "사용 여부 값이 올바르지 않습니다.";
	else if (id == ad->user.id && (role != (int)p.role || !active))
		x.error = "자기 계정의 역할을 바꾸거나 사용을 멈출 수는 없습니다. 다른 관리자에게 부탁하세요.";
	if (x.error) {
		users_page(ad, 422, &x);
		return;
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (role != (int)p.role) {
		if ((rc = store_person_set_role(c->st, id, (enum person_role)role)) != STORE_OK) {
			write_failed(ad, rc);
			return;
		}
		admin_audit(ad, "account-role", 0, arena_printf(c->a, "%s %s", p.email, person_role_name((enum person_role)role)));
	}
	if (active != p.active) {
		/* A disabled account's open sessions end with it. */
		if ((rc = store_person_set_active(c->st, id, active)) != STORE_OK ||
		    (!active && (rc = store_sessions_delete_person(c->st, id)) != STORE_OK)) {
			write_failed(ad, rc);
			return;
		}
		admin_audit(ad, active ? "account-enable" : "account-disable", 0, p.email);
	}
	if (commit_or_fail(ad))
		admin_see_other(ad, "/admin/users?saved=1");
}

/* ================= routing ================= */

/* POST /admin/sections/new and /admin/sections/{id} (likewise users): rest
 * "new" adds, a number updates that one, when act is allowed; anything
 * else is a 404 saying notfound. */
static void
add_or_update(struct admin *ad, const char *rest, enum wf_action act, void (*add)(struct admin *),
    void (*update)(struct admin *, int64_t), const char *notfound)
{
	int64_t id;

	if (strcmp(rest, "new") == 0) {
		if (get_or_post(ad, 0) && may(ad, act))
			add(ad);
	} else if ((id = site_parse_id(rest, strlen(rest))) > 0) {
		if (get_or_post(ad, 0) && may(ad, act))
			update(ad, id);
	} else {
		admin_error(ad, 404, notfound);
	}
}

int
admin_settings_route(struct admin *ad, const char *path)
{
	const char *rest, *slash;
	int64_t id;
	int m;

	if (strcmp(path, "/admin/front") == 0) {
		if ((m = get_or_post(ad, 1)) == 0 || !may(ad, WF_CURATE))
			return 1;
		if (m == 1)
			front_get(ad);
		else
			front_post(ad);
	} else if (strcmp(path, "/admin/settings") == 0) {
		if ((m = get_or_post(ad, 1)) == 0 || !may(ad, WF_SETTINGS))
			return 1;
		if (m == 1)
			settings_page(ad, 200, NULL, NULL);
		else
			settings_post(ad);
	} else if (strcmp(path, "/admin/sections") == 0) {
		if ((m = get_or_post(ad, 1)) == 0 || !may(ad, WF_SETTINGS))
			return 1;
		if (m == 1)
			sections_page(ad, 200, NULL, "", "", "");
		else
			section_add(ad);
	} else if (site_has_prefix(path, "/admin/sections/", &rest)) {
		add_or_update(ad, rest, WF_SETTINGS, section_add, section_update, "그런 섹션이 없습니다.");
	} else if (strcmp(path, "/admin/users") == 0) {
		if (site_is_get(ad->c))
			users_page(ad, 200, NULL);
	} else if (site_has_prefix(path, "/admin/users/", &rest)) {
		add_or_update(ad, rest, WF_ACCOUNTS, account_add, account_update, "그런 계정이 없습니다.");
	} else if (strcmp(path, "/admin/tokens/new") == 0) {
		if (get_or_post(ad, 0))
			token_create(ad);
	} else if (site_has_prefix(path, "/admin/tokens/", &rest) && (slash = strchr(rest, '/')) != NULL &&
	    strcmp(slash, "/revoke") == 0 && (id = site_parse_id(rest, (size_t)(slash - rest))) > 0) {
		if (get_or_post(ad, 0))
			token_revoke(ad, id);
	} else {
		return 0;
	}
	return 1;
}

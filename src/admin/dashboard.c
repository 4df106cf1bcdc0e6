/*
 * dashboard.c - the newsroom's first page (GET /admin): my drafts, what
 * waits for the desk, what is scheduled, what was published lately; and
 * for the desk this week's mix of kinds, with the warnings a desk must
 * not miss (자체기사 under 30%, nothing published this week).
 */
#include "admin/admin_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/kdate.h"

#define DASH_ROWS      20     /* rows of each list */
#define DASH_PUBLISHED 10
#define OWN_SHARE_MIN  30     /* percent of 자체기사 a week must reach */

/* Monday 00:00 in Seoul of the week holding t, as UTC epoch seconds. */
static time_t
week_start(time_t t)
{
	long days = (long)(((long long)t + KST_OFFSET) / 86400);
	/* 1970-01-01 was a Thursday: days + 3 is 0 on Mondays, mod 7. */
	long monday = days - (days + 3) % 7;

	return (time_t)((long long)monday * 86400 - KST_OFFSET);
}

/* Row keys differ from the lists' names ("t_published", not "published"):
 * a key a row lacks would otherwise be found on the page's model. */
static json_t *
row_model(struct admin *ad, const struct article *a)
{
	json_t *r = json_object();

	json_object_set_new(r, "id", json_integer(a->id));
	json_object_set_new(r, "href", site_jstr(arena_printf(ad->c->a, "/admin/articles/%lld", (long long)a->id)));
	json_object_set_new(r, "headline", site_jstr(a->headline));
	json_object_set_new(r, "author", site_jstr(a->nbylines > 0 ? a->bylines[0].name : ""));
	json_object_set_new(r, "section", site_jstr(a->section.name));
	json_object_set_new(r, "kind", site_jstr(article_kind_label(a->kind)));
	json_object_set_new(r, "t_created", site_jstr(admin_time(ad, a->created_at)));
	if (a->updated_at && a->updated_at != a->created_at)
		json_object_set_new(r, "t_updated", site_jstr(admin_time(ad, a->updated_at)));
	if (a->scheduled_at)
		json_object_set_new(r, "t_scheduled", site_jstr(admin_time(ad, a->scheduled_at)));
	if (a->published_at)
		json_object_set_new(r, "t_published", site_jstr(admin_time(ad, a->published_at)));
	if (a->desk_note && a->desk_note[0])
		json_object_set_new(r, "note", site_jstr(a->desk_note));
	return r;
}

/* One list of the dashboard into m[key]; a store code. */
static int
list(struct admin *ad, json_t *m, const char *key, enum article_status status, int64_t person,
    enum article_order order, int limit)
{
	struct article_query q;
	struct article_list l;
	json_t *arr = json_array();
	int rc, i;

	memset(&q, 0, sizeof q);
	q.status = (int)status;
	q.person_id = person;
	q.order = order;
	q.limit = limit;
	if ((rc = store_articles_list(ad->c->st, ad->c->a, &q, &l)) != STORE_OK) {
		json_decref(arr);
		return rc;
	}
	for (i = 0; i < l.n; i++)
		json_array_append_new(arr, row_model(ad, &l.items[i]));
	json_object_set_new(m, key, arr);
	return STORE_OK;
}

/* This week's published articles by kind, with the share of 자체기사. */
static int
week_model(struct admin *ad, json_t *m)
{
	struct site_ctx *c = ad->c;
	time_t since = week_start(c->req->now);
	int64_t counts[KIND__MAX], total = 0;
	json_t *w = json_object(), *kinds = json_array();
	int rc, k;

	memset(counts, 0, sizeof counts);
	if ((rc = store_articles_count_kinds(c->st, since, c->req->now + 1, counts)) != STORE_OK) {
		json_decref(w);
		json_decref(kinds);
		return rc;
	}
	for (k = 0; k < KIND__MAX; k++) {
		total += counts[k];
		json_array_append_new(kinds, json_pack("{s:s, s:I}", "label",
		    article_kind_label((enum article_kind)k), "count", (json_int_t)counts[k]));
	}
	json_object_set_new(w, "kinds", kinds);
	json_object_set_new(w, "total", json_integer(total));
	json_object_set_new(w, "since", site_jstr(site_fmt_time(c->a, since, kdate_masthead)));
	json_object_set_new(w, "min", json_integer(OWN_SHARE_MIN));
	if (total > 0) {
		json_object_set_new(w, "share", json_integer((counts[KIND_OWN] * 100 + total / 2) / total));
		/* Exact: 29.6% rounds to 30 but is still under the line. */
		if (counts[KIND_OWN] * 100 < OWN_SHARE_MIN * total)
			json_object_set_new(w, "low_share", json_true());
	} else {
		json_object_set_new(w, "none", json_true());
	}
	json_object_set_new(m, "week", w);
	return STORE_OK;
}

void
admin_dashboard(struct admin *ad)
{
	int desk = wf_is_desk(ad->user.role);
	json_t *m = admin_page_model(ad, "대시보드", "dashboard");
	int rc;

	/* The desk sees everything submitted; a reporter only their own. */
	if ((rc = list(ad, m, "mine", ARTICLE_DRAFT, ad->user.id, ORDER_UPDATED, DASH_ROWS)) != STORE_OK ||
	    (rc = list(ad, m, "waiting", ARTICLE_SUBMITTED, desk ? 0 : ad->user.id, ORDER_UPDATED,
	    DASH_ROWS)) != STORE_OK ||
	    (rc = list(ad, m, "scheduled", ARTICLE_SCHEDULED, 0, ORDER_SCHEDULED, DASH_ROWS)) != STORE_OK ||
	    (rc = list(ad, m, "published", ARTICLE_PUBLISHED, 0, ORDER_PUBLISHED, DASH_PUBLISHED)) != STORE_OK ||
	    (desk && (rc = week_model(ad, m)) != STORE_OK)) {
		json_decref(m);
		site_store_failed(ad->c, rc);
		return;
	}
	json_object_set_new(m, "desk", json_boolean(desk));
	admin_render(ad, "dashboard", m);
}

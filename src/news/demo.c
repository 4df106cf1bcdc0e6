/*
 * demo.c - the demo paper: settings, sections, people, articles and the
 * weather of demo/, compiled into the binary, written in one transaction.
 */
#include "news/news.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/kdate.h"
#include "core/log.h"
#include "weather/weather.h"

static json_t *
embedded_json(const char *name, char *err, size_t errlen)
{
	const struct embed_file *f = embed_find(name);
	json_error_t je;
	json_t *j;

	if (f == NULL) {
		snprintf(err, errlen, "%s is missing from this build", name);
		return NULL;
	}
	j = json_loadb((const char *)f->data, f->len, 0, &je);
	if (j == NULL)
		snprintf(err, errlen, "%s:%d: %s", name, je.line, je.text);
	return j;
}

static int
load_site(struct store *st, json_t *site, char *err, size_t errlen)
{
	json_t *settings, *v, *item;
	const char *key;
	size_t i;
	int rc;

	settings = json_object_get(site, "settings");
	json_object_foreach(settings, key, v) {
		if (!json_is_string(v)) {
			snprintf(err, errlen, "demo/site.json: setting '%s' must be a string", key);
			return -1;
		}
		if ((rc = store_setting_set(st, key, json_string_value(v))) != STORE_OK)
			goto store_fail;
	}
	json_array_foreach(json_object_get(site, "sections"), i, item) {
		const char *slug = json_string_value(json_object_get(item, "slug"));
		const char *name = json_string_value(json_object_get(item, "name"));
		json_int_t pos = json_integer_value(json_object_get(item, "position"));

		if (slug == NULL || name == NULL) {
			snprintf(err, errlen, "demo/site.json: section %zu needs slug and name", i + 1);
			return -1;
		}
		if ((rc = store_section_put(st, slug, name, (int)pos, NULL)) != STORE_OK)
			goto store_fail;
	}
	json_array_foreach(json_object_get(site, "people"), i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));
		const char *email = json_string_value(json_object_get(item, "email"));
		int role = person_role_parse(json_string_value(json_object_get(item, "role")));

		if (name == NULL || email == NULL || role < 0) {
			snprintf(err, errlen, "demo/site.json: person %zu needs name, email and role", i + 1);
			return -1;
		}
		if ((rc = store_person_put(st, name, email, (enum person_role)role, NULL)) != STORE_OK)
			goto store_fail;
	}
	return 0;
store_fail:
	snprintf(err, errlen, "demo: %s", store_errmsg(st));
	return -1;
}

int
news_demo_load(struct store *st, time_t now, char *err, size_t errlen)
{
	const struct embed_file *f;
	struct arena a = ARENA_INIT;
	struct article art;
	json_t *site = NULL, *obj;
	json_error_t je;
	const char *p, *end, *nl;
	time_t newest = 0, t, shift;
	int line, rc = -1;
	char msg[256];

	if ((site = embedded_json("demo/site.json", err, errlen)) == NULL)
		return -1;
	if ((f = embed_find("demo/articles.jsonl")) == NULL) {
		snprintf(err, errlen, "demo/articles.jsonl is missing from this build");
		goto out;
	}
	/* First pass: the newest time of any article (published, or a
	 * draft's last change), to shift all to now.  Publication times alone
	 * left the drafts of the day's afternoon in the future whenever the
	 * demo was made in the hours between the last publication and them. */
	for (p = (const char *)f->data, end = p + f->len; p < end; p = nl + 1) {
		static const char *const keys[] = { "published_at", "updated_at" };
		json_t *v;
		size_t k;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		obj = json_loadb(p, (size_t)(nl - p), 0, &je);
		if (obj == NULL)
			continue;
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (json_is_string(v = json_object_get(obj, keys[k])) &&
			    kdate_parse(json_string_value(v), json_string_length(v), &t) == 0 && t > newest)
				newest = t;
		json_decref(obj);
	}
	/* Whole days, so articles keep their hour of the day (a paper does
	 * not publish at 3 a.m.); the newest ends up within the last day. */
	shift = newest ? ((now - 40 * 60) - newest) / 86400 * 86400 : 0;

	if (store_begin(st) != STORE_OK) {
		snprintf(err, errlen, "demo: %s", store_errmsg(st));
		goto out;
	}
	if (load_site(st, site, err, errlen) != 0)
		goto rollback;
	line = 0;
	for (p = (const char *)f->data, end = p + f->len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line++;
		if (nl == p)
			continue;
		obj = json_loadb(p, (size_t)(nl - p), 0, &je);
		if (obj == NULL) {
			snprintf(err, errlen, "demo/articles.jsonl:%d: %s", line, je.text);
			goto rollback;
		}
		if (news_article_from_json(st, &a, obj, now, &art, NULL, NULL, msg, sizeof msg) != 0) {
			json_decref(obj);
			snprintf(err, errlen, "demo/articles.jsonl:%d: %s", line, msg);
			goto rollback;
		}
		json_decref(obj);
		if (art.published_at)
			art.published_at += shift;
		if (art.approved_at)
			art.approved_at += shift;
		art.updated_at += shift;
		art.created_at += shift;
		if (art.created_at > art.updated_at)
			art.created_at = art.updated_at;
		if (store_article_insert(st, &art) != STORE_OK) {
			snprintf(err, errlen, "demo/articles.jsonl:%d: %s", line, store_errmsg(st));
			goto rollback;
		}
		arena_free(&a);
	}
	if (news_demo_weather(st, err, errlen) != 0)
		goto rollback;
	if (store_commit(st) != STORE_OK) {
		snprintf(err, errlen, "demo: %s", store_errmsg(st));
		goto rollback;
	}
	rc = 0;
	goto out;
rollback:
	store_rollback(st);
out:
	arena_free(&a);
	json_decref(site);
	return rc;
}

int
news_demo_weather(struct store *st, char *err, size_t errlen)
{
	const struct embed_file *f = embed_find("demo/kma-sfctm2-2025112509.txt");
	char msg[512];

	if (f == NULL) {
		snprintf(err, errlen, "demo/kma-sfctm2-2025112509.txt is missing from this build");
		return -1;
	}
	/* The same ingest as 'sinmun weather ingest' and the live refresh,
	 * inside news_demo_load's transaction; the data are of a fixed past
	 * hour, so there is no "now" to check them against. */
	if (weather_ingest(st, (const char *)f->data, f->len, WEATHER_INGEST_IN_TX, 0, NULL, NULL,
	    msg, sizeof msg) != 0) {
		snprintf(err, errlen, "demo weather: %s", msg);
		return -1;
	}
	return 0;
}

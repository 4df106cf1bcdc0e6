/*
 * revision.c - an article as a revision snapshot and back (news.h).
 *
 * A snapshot is the interchange format's content fields as compact JSON
 * text, with the stored ids beside the names (section {id, slug}, bylines
 * [{id, name}]): a restore must put back the very section and people that
 * were saved, even if a section was renamed or two people share a name
 * since.  Reading one back is strict (a wrong type is -1, not a guess):
 * the text comes from our own database, so anything unexpected means it
 * is not a snapshot and restoring it would write nonsense.
 */
#include "news/news.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/sanitize.h"

static json_t *
jstr(const char *s)
{
	return json_string(s ? s : "");
}

char *
news_article_snapshot(struct arena *a, const struct article *art)
{
	json_t *o = json_object(), *arr;
	char *text, *out;
	int i;

	json_object_set_new(o, "headline", jstr(art->headline));
	arr = json_array();
	for (i = 0; i < art->nsubtitles && i < ARTICLE_MAX_SUBTITLES; i++)
		json_array_append_new(arr, jstr(art->subtitles[i]));
	json_object_set_new(o, "subtitles", arr);
	json_object_set_new(o, "summary", jstr(art->summary));
	json_object_set_new(o, "body", jstr(art->body));
	json_object_set_new(o, "section", json_pack("{s:I, s:o}", "id", (json_int_t)art->section.id,
	    "slug", jstr(art->section.slug)));
	json_object_set_new(o, "kind", json_string(article_kind_name(art->kind)));
	arr = json_array();
	for (i = 0; i < art->ntags && i < ARTICLE_MAX_TAGS; i++)
		json_array_append_new(arr, jstr(art->tags[i]));
	json_object_set_new(o, "tags", arr);
	arr = json_array();
	for (i = 0; i < art->nbylines && i < ARTICLE_MAX_BYLINES; i++)
		json_array_append_new(arr, json_pack("{s:I, s:o}", "id", (json_int_t)art->bylines[i].id,
		    "name", jstr(art->bylines[i].name)));
	json_object_set_new(o, "bylines", arr);
	json_object_set_new(o, "display_byline", jstr(art->display_byline));
	json_object_set_new(o, "source_note", jstr(art->source_note));
	json_object_set_new(o, "slug", jstr(art->slug));
	/* Strings came from the store and are valid UTF-8; a NULL here could
	 * only be a string jansson refused, which we will not hide. */
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return NULL;
	out = arena_strdup(a, text);
	free(text);
	return out;
}

/* A string member (required); NULL when absent or not a string. */
static const char *
str_of(struct arena *a, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_string(v) || memchr(json_string_value(v), '\0', json_string_length(v)))
		return NULL;
	return arena_strndup(a, json_string_value(v), json_string_length(v));
}

/* A positive integer member; -1 otherwise. */
static int64_t
id_of(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return -1;
	return (int64_t)json_integer_value(v);
}

int
news_article_from_snapshot(struct arena *a, const char *text, struct article *out)
{
	json_t *o, *v, *item;
	json_error_t jerr;
	struct buf plain = BUF_INIT;
	size_t i;
	int kind, rc = -1;

	memset(out, 0, sizeof *out);
	if (text == NULL || (o = json_loads(text, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return -1;
	if (!json_is_object(o))
		goto done;
	if ((out->headline = str_of(a, o, "headline")) == NULL ||
	    (out->summary = str_of(a, o, "summary")) == NULL ||
	    (out->body = str_of(a, o, "body")) == NULL ||
	    (out->display_byline = str_of(a, o, "display_byline")) == NULL ||
	    (out->source_note = str_of(a, o, "source_note")) == NULL ||
	    (out->slug = str_of(a, o, "slug")) == NULL)
		goto done;
	v = json_object_get(o, "kind");
	if (!json_is_string(v) || (kind = article_kind_parse(json_string_value(v))) < 0)
		goto done;
	out->kind = (enum article_kind)kind;

	v = json_object_get(o, "section");
	if (!json_is_object(v) || (out->section.id = id_of(v, "id")) < 0 ||
	    (out->section.slug = str_of(a, v, "slug")) == NULL)
		goto done;
	out->section.name = out->section.slug;

	v = json_object_get(o, "subtitles");
	if (!json_is_array(v) || json_array_size(v) > ARTICLE_MAX_SUBTITLES)
		goto done;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			goto done;
		out->subtitles[out->nsubtitles++] = arena_strdup(a, json_string_value(item));
	}
	v = json_object_get(o, "tags");
	if (!json_is_array(v) || json_array_size(v) > ARTICLE_MAX_TAGS)
		goto done;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			goto done;
		out->tags[out->ntags++] = arena_strdup(a, json_string_value(item));
	}
	v = json_object_get(o, "bylines");
	if (!json_is_array(v) || json_array_size(v) > ARTICLE_MAX_BYLINES)
		goto done;
	json_array_foreach(v, i, item) {
		struct person *p = &out->bylines[out->nbylines];

		if (!json_is_object(item) || (p->id = id_of(item, "id")) < 0 ||
		    (p->name = str_of(a, item, "name")) == NULL)
			goto done;
		p->email = "";
		p->active = 1;
		out->nbylines++;
	}
	/* The search index wants the body's text on every write. */
	if (sanitize_text(out->body, strlen(out->body), &plain) != 0)
		goto done;
	out->body_text = arena_strndup(a, plain.p ? plain.p : "", plain.len);
	rc = 0;
done:
	buf_free(&plain);
	json_decref(o);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

void
news_article_keep_standing(struct article *art, const struct article *cur)
{
	art->id = cur->id;
	art->status = cur->status;
	art->desk_note = cur->desk_note;
	art->created_at = cur->created_at;
	art->approved_at = cur->approved_at;
	art->published_at = cur->published_at;
	art->scheduled_at = cur->scheduled_at;
}

/*
 * news.c - bylines, leads, summaries, NFC, and the interchange format.
 */
#include "news/news.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "core/log.h"
#include "render/sanitize.h"

const char *
news_byline(struct arena *a, const struct article *art)
{
	struct buf b = BUF_INIT;
	const char *out;
	int i;

	if (art->display_byline && art->display_byline[0])
		return art->display_byline;
	if (art->nbylines == 0)
		return "";
	for (i = 0; i < art->nbylines; i++) {
		if (i)
			buf_puts(&b, "·");
		buf_puts(&b, art->bylines[i].name);
	}
	if (art->kind != KIND_CONTRIBUTION)
		buf_puts(&b, " 기자");
	out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}

const char *
news_lead_label(struct arena *a, const struct article *art, const char *site_name)
{
	if (art->kind == KIND_CONTRIBUTION)
		return news_byline(a, art);
	return arena_printf(a, "%s 기자", site_name);
}

/* Length in bytes of the UTF-8 sequence starting with c (1 for bad bytes). */
static size_t
u8len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

size_t
news_strlen_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

char *
news_first_sentences(struct arena *a, const char *text, size_t max_chars)
{
	const char *p = text, *last_end = NULL, *last_space = NULL, *stop;
	size_t chars = 0, len;
	char *out;

	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	text = p;
	while (*p && chars < max_chars) {
		/* A sentence ends at . ? ! followed by a space, newline or the end. */
		if ((*p == '.' || *p == '?' || *p == '!') &&
		    (p[1] == ' ' || p[1] == '\n' || p[1] == '\0'))
			last_end = p + 1;
		if (*p == ' ' || *p == '\n')
			last_space = p;
		p += u8len((unsigned char)*p);
		chars++;
	}
	if (*p == '\0') {
		stop = p;
	} else if (last_end != NULL && (size_t)(last_end - text) * 2 >= (size_t)(p - text)) {
		/* A sentence end past the middle: cut there, no ellipsis. */
		stop = last_end;
	} else {
		stop = last_space && last_space > text ? last_space : p;
		len = (size_t)(stop - text);
		out = arena_alloc(a, len + 4);
		memcpy(out, text, len);
		memcpy(out + len, "…", 4);
		for (char *q = out; *q; q++)
			if (*q == '\n')
				*q = ' ';
		return out;
	}
	out = arena_strndup(a, text, (size_t)(stop - text));
	for (char *q = out; *q; q++)
		if (*q == '\n')
			*q = ' ';
	/* Trim trailing spaces. */
	len = strlen(out);
	while (len && out[len - 1] == ' ')
		out[--len] = '\0';
	return out;
}

/*
 * Whether s is valid UTF-8 made only of code points that NFC leaves alone
 * whatever follows them: ASCII, precomposed Hangul syllables and the usual
 * punctuation.  Most Korean news text is, and skipping utf8proc for it
 * makes a bulk import markedly faster.  Anything else takes the full path.
 */
static int
nfc_stable(const unsigned char *s, size_t len)
{
	size_t i = 0;
	unsigned cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xf0) != 0xe0 || i + 2 >= len || (s[i + 1] & 0xc0) != 0x80 ||
		    (s[i + 2] & 0xc0) != 0x80)
			return 0;
		cp = ((s[i] & 0x0fu) << 12) | ((s[i + 1] & 0x3fu) << 6) | (s[i + 2] & 0x3fu);
		if (!((cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0x2010 && cp <= 0x2027) ||
		    (cp >= 0x3001 && cp <= 0x3011) || cp == 0x2103))
			return 0;
		i += 3;
	}
	return 1;
}

char *
news_nfc(struct arena *a, const char *s, size_t len)
{
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n;
	char *out;

	if (nfc_stable((const unsigned char *)s, len))
		return arena_strndup(a, s, len);

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return NULL;
	out = arena_strndup(a, (const char *)nfc, (size_t)n);
	free(nfc);
	return out;
}

/* ---- the interchange format ---- */

static const char *const known_fields[] = {
	"id", "headline", "subtitles", "summary", "body", "section", "byline", "email",
	"display_byline", "source_note", "tags", "status", "kind", "published_at", "updated_at",
	"slug", NULL
};

/* A text field: string, NFC, at most max characters, no control
 * characters but newlines.  Missing gives "" unless required. */
static int
text_field(struct arena *a, json_t *obj, const char *name, int required, size_t max,
    const char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, name);
	const char *s;
	char *nfc;
	size_t i, n;

	*out = "";
	if (v == NULL || json_is_null(v)) {
		if (required) {
			snprintf(err, errlen, "field '%s' is required", name);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "field '%s' must be a string", name);
		return -1;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (memchr(s, '\0', n) != NULL) {
		snprintf(err, errlen, "field '%s' contains a NUL character", name);
		return -1;
	}
	if ((nfc = news_nfc(a, s, n)) == NULL) {
		snprintf(err, errlen, "field '%s' is not valid UTF-8", name);
		return -1;
	}
	for (i = 0; nfc[i]; i++) {
		unsigned char c = (unsigned char)nfc[i];

		if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
			snprintf(err, errlen, "field '%s' contains a control character", name);
			return -1;
		}
	}
	if (max && news_strlen_chars(nfc) > max) {
		snprintf(err, errlen, "field '%s' is longer than %zu characters", name, max);
		return -1;
	}
	if (required && nfc[0] == '\0') {
		snprintf(err, errlen, "field '%s' must not be empty", name);
		return -1;
	}
	*out = nfc;
	return 0;
}

static int
time_field(json_t *obj, const char *name, time_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, name);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) ||
	    kdate_parse(json_string_value(v), json_string_length(v), out) != 0) {
		snprintf(err, errlen, "field '%s' must be an ISO 8601 time such as 2025-11-25T14:03:00+09:00", name);
		return -1;
	}
	return 0;
}

static int
slug_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

int
news_article_from_json(struct store *st, struct arena *a, json_t *obj, time_t now,
    struct article *out, int *created_section, int *created_person, char *err, size_t errlen)
{
	const char *key, *s, *section_slug, *byline, *email;
	json_t *v, *item;
	struct buf html = BUF_INIT;
	struct person person;
	size_t i;
	int rc, k;

	memset(out, 0, sizeof *out);
	if (created_section)
		*created_section = 0;
	if (created_person)
		*created_person = 0;
	if (!json_is_object(obj)) {
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	json_object_foreach(obj, key, v) {
		for (k = 0; known_fields[k]; k++)
			if (strcmp(known_fields[k], key) == 0)
				break;
		if (known_fields[k] == NULL) {
			snprintf(err, errlen, "unknown field '%s'", key);
			return -1;
		}
	}
	if ((v = json_object_get(obj, "id")) != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > ((json_int_t)1 << 53)) {
			snprintf(err, errlen, "field 'id' must be a positive integer");
			return -1;
		}
		out->id = (int64_t)json_integer_value(v);
	}
	if (text_field(a, obj, "headline", 1, NEWS_HEADLINE_MAX, &out->headline, err, errlen) ||
	    text_field(a, obj, "summary", 0, NEWS_SUMMARY_MAX, &out->summary, err, errlen) ||
	    text_field(a, obj, "section", 1, 64, &section_slug, err, errlen) ||
	    text_field(a, obj, "byline", 1, 100, &byline, err, errlen) ||
	    text_field(a, obj, "email", 0, 254, &email, err, errlen) ||
	    text_field(a, obj, "display_byline", 0, 100, &out->display_byline, err, errlen) ||
	    text_field(a, obj, "source_note", 0, 200, &out->source_note, err, errlen) ||
	    text_field(a, obj, "slug", 0, 100, &out->slug, err, errlen))
		return -1;
	if (!slug_ok(section_slug)) {
		snprintf(err, errlen, "field 'section' must be a slug of a-z, 0-9 and -");
		return -1;
	}
	if (out->slug[0] && !slug_ok(out->slug)) {
		snprintf(err, errlen, "field 'slug' must be of a-z, 0-9 and -");
		return -1;
	}
	if ((v = json_object_get(obj, "subtitles")) != NULL && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > ARTICLE_MAX_SUBTITLES) {
			snprintf(err, errlen, "field 'subtitles' must be an array of at most %d strings",
			    ARTICLE_MAX_SUBTITLES);
			return -1;
		}
		json_array_foreach(v, i, item) {
			json_t *wrap = json_pack("{sO}", "subtitle", item);

			rc = text_field(a, wrap, "subtitle", 1, NEWS_SUBTITLE_MAX, &s, err, errlen);
			json_decref(wrap);
			if (rc)
				return -1;
			out->subtitles[out->nsubtitles++] = s;
		}
	}
	if ((v = json_object_get(obj, "tags")) != NULL && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > ARTICLE_MAX_TAGS) {
			snprintf(err, errlen, "field 'tags' must be an array of at most %d strings",
			    ARTICLE_MAX_TAGS);
			return -1;
		}
		json_array_foreach(v, i, item) {
			json_t *wrap = json_pack("{sO}", "tag", item);

			rc = text_field(a, wrap, "tag", 1, NEWS_TAG_MAX, &s, err, errlen);
			json_decref(wrap);
			if (rc) {
				snprintf(err, errlen, "field 'tags' item %zu must be a non-empty string of at most %d characters",
				    i + 1, NEWS_TAG_MAX);
				return -1;
			}
			if (strchr(s, '/') != NULL) {
				snprintf(err, errlen, "field 'tags' item %zu must not contain '/'", i + 1);
				return -1;
			}
			out->tags[out->ntags++] = s;
		}
	}
	/* Status and kind. */
	out->status = ARTICLE_PUBLISHED;
	if ((v = json_object_get(obj, "status")) != NULL && !json_is_null(v)) {
		k = json_is_string(v) ? article_status_parse(json_string_value(v)) : -1;
		if (k < 0) {
			snprintf(err, errlen, "field 'status' must be one of draft, submitted, scheduled, published, unpublished");
			return -1;
		}
		out->status = (enum article_status)k;
	}
	out->kind = KIND_OWN;
	if ((v = json_object_get(obj, "kind")) != NULL && !json_is_null(v)) {
		k = json_is_string(v) ? article_kind_parse(json_string_value(v)) : -1;
		if (k < 0) {
			snprintf(err, errlen, "field 'kind' must be one of own, press-release, contribution, advertorial");
			return -1;
		}
		out->kind = (enum article_kind)k;
	}
	if (out->kind == KIND_PRESS_RELEASE && out->source_note[0] == '\0') {
		snprintf(err, errlen, "field 'source_note' is required for a press release (뉴스출처)");
		return -1;
	}
	if (time_field(obj, "published_at", &out->published_at, err, errlen) ||
	    time_field(obj, "updated_at", &out->updated_at, err, errlen))
		return -1;
	if (out->status == ARTICLE_PUBLISHED && out->published_at == 0)
		out->published_at = now;
	if (out->status != ARTICLE_PUBLISHED && out->status != ARTICLE_UNPUBLISHED &&
	    out->status != ARTICLE_SCHEDULED)
		out->published_at = 0;
	if (out->updated_at == 0 || out->updated_at < out->published_at)
		out->updated_at = out->published_at ? out->published_at : now;
	out->created_at = out->published_at ? out->published_at : out->updated_at;
	if (out->status == ARTICLE_PUBLISHED)
		out->approved_at = out->published_at;

	/* Body: HTML is sanitized; text without markup becomes paragraphs. */
	if (text_field(a, obj, "body", 1, 0, &s, err, errlen))
		return -1;
	if (strlen(s) > NEWS_BODY_MAX) {
		snprintf(err, errlen, "field 'body' is larger than %u bytes", NEWS_BODY_MAX);
		return -1;
	}
	buf_init(&html, 4 * NEWS_BODY_MAX);
	rc = strchr(s, '<') ? sanitize_html(s, strlen(s), &html) : sanitize_text_to_html(s, strlen(s), &html);
	if (rc != 0 || html.len == 0) {
		buf_free(&html);
		snprintf(err, errlen, "field 'body' has no content after sanitizing");
		return -1;
	}
	out->body = arena_strndup(a, html.p, html.len);
	buf_reset(&html);
	if (sanitize_text(out->body, strlen(out->body), &html) != 0) {
		buf_free(&html);
		snprintf(err, errlen, "field 'body' is too large to index");
		return -1;
	}
	out->body_text = arena_strndup(a, html.p ? html.p : "", html.len);
	buf_free(&html);
	/* From the text already made: a third parse of the body would double
	 * the cost of a bulk import. */
	if (out->summary[0] == '\0')
		out->summary = news_first_sentences(a, out->body_text, 160);

	/* Section and byline person, created when new. */
	rc = store_section_by_slug(st, a, section_slug, &out->section);
	if (rc == STORE_NOTFOUND) {
		rc = store_section_put(st, section_slug, section_slug, 100, &out->section.id);
		out->section.slug = section_slug;
		out->section.name = section_slug;
		out->section.position = 100;
		if (rc == STORE_OK && created_section)
			*created_section = 1;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "section '%s': %s", section_slug, store_strerror(rc));
		return -1;
	}
	if (email[0] == '\0') {
		/* A byline without an e-mail still needs a unique person key. */
		email = arena_printf(a, "%s@byline.invalid", byline);
	}
	rc = store_person_by_email(st, a, email, &person);
	if (rc == STORE_NOTFOUND) {
		rc = store_person_put(st, byline, email,
		    out->kind == KIND_CONTRIBUTION ? ROLE_CONTRIBUTOR : ROLE_REPORTER, &person.id);
		person.name = byline;
		person.email = email;
		if (rc == STORE_OK && created_person)
			*created_person = 1;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "byline '%s': %s", byline, store_strerror(rc));
		return -1;
	}
	out->bylines[0] = person;
	out->nbylines = 1;
	out->version = 1;
	return 0;
}

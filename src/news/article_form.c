/*
 * article_form.c - the editor's fields checked and made into an article's
 * content (news.h): lengths in characters, the section and kind, tags,
 * the body through the allowlist sanitizer, a summary made from the body
 * when the writer left it empty.
 *
 * Shared by the newsroom's editor (admin/articles.c) and the JSON API, so
 * both refuse the same things with the same Korean messages.  Every value
 * is hostile: it may be invalid UTF-8, huge, or full of control
 * characters.
 */
#include "news/news.h"

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/sanitize.h"

/* How long a summary made from the body is, in characters: about two
 * sentences, as the importer makes them. */
#define SUMMARY_MADE_CHARS 160

static void
add_error(struct news_form_errors *errs, const char *field, const char *message)
{
	int i;

	for (i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].field, field) == 0)
			return;     /* the first problem of a field is the one shown */
	if (errs->n < NEWS_FORM_MAX_ERRORS) {
		errs->e[errs->n].field = field;
		errs->e[errs->n].message = message;
		errs->n++;
	}
}

const char *
news_form_error(const struct news_form_errors *errs, const char *field)
{
	int i;

	for (i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].field, field) == 0)
			return errs->e[i].message;
	return NULL;
}

/*
 * A one-line field: NFC, control characters (a pasted tab or newline)
 * made spaces, runs of spaces collapsed, trimmed.  NULL when s is not
 * valid UTF-8.
 */
static char *
one_line(struct arena *a, const char *s)
{
	char *n, *o, *p;
	int space = 0;

	if ((n = news_nfc(a, s ? s : "", s ? strlen(s) : 0)) == NULL)
		return NULL;
	for (o = p = n; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch == 0x7f || ch == ' ') {
			space = o != n;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return n;
}

/* A text block (the summary): NFC, CR LF and other controls but LF made
 * plain, trimmed.  NULL when not valid UTF-8. */
static char *
block_text(struct arena *a, const char *s)
{
	char *n, *p, *end;

	if ((n = news_nfc(a, s ? s : "", s ? strlen(s) : 0)) == NULL)
		return NULL;
	for (p = n; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f)
			*p = ' ';
	for (p = n; *p == ' ' || *p == '\n'; p++)
		;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\n'))
		*--end = '\0';
	return p;
}

static int
slug_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* The comma-separated tags into out; errors name the field "tags". */
static void
split_tags(struct arena *a, const char *s, struct article *out, struct news_form_errors *errs)
{
	char *all = one_line(a, s), *p, *q, *t;
	int i, dup;

	out->ntags = 0;
	if (all == NULL) {
		add_error(errs, "tags", "태그에 잘못된 글자가 있습니다.");
		return;
	}
	for (p = all; *p; p = q) {
		q = strchr(p, ',');
		q = q ? q : p + strlen(p);
		t = arena_strndup(a, p, (size_t)(q - p));
		if (*q == ',')
			q++;
		t = one_line(a, t);
		if (t == NULL || *t == '\0')
			continue;
		if (news_strlen_chars(t) > NEWS_TAG_MAX) {
			add_error(errs, "tags", "태그는 하나에 50자 이내로 써 주세요.");
			continue;
		}
		if (strchr(t, '/') != NULL) {
			/* A tag is a path segment of its page (/tags/NAME). */
			add_error(errs, "tags", "태그에는 '/'를 쓸 수 없습니다.");
			continue;
		}
		for (dup = 0, i = 0; i < out->ntags; i++)
			dup |= strcmp(out->tags[i], t) == 0;
		if (dup)
			continue;
		if (out->ntags == ARTICLE_MAX_TAGS) {
			add_error(errs, "tags", "태그는 20개까지 달 수 있습니다.");
			return;
		}
		out->tags[out->ntags++] = t;
	}
}

int
news_article_check(struct store *st, struct arena *a, const struct news_article_input *in,
    struct article *out, struct news_form_errors *errs)
{
	static const char *const subnames[ARTICLE_MAX_SUBTITLES] = { "subtitle1", "subtitle2", "subtitle3" };
	struct buf html = BUF_INIT;
	const char *s, *body;
	char *text;
	int i, k, rc;

	errs->n = 0;

	/* Headline. */
	if ((s = one_line(a, in->headline)) == NULL)
		add_error(errs, "headline", "제목에 잘못된 글자가 있습니다.");
	else if (*s == '\0')
		add_error(errs, "headline", "제목을 써 주세요.");
	else if (news_strlen_chars(s) > NEWS_HEADLINE_MAX)
		add_error(errs, "headline", "제목은 200자 이내로 써 주세요.");
	out->headline = s ? s : "";

	/* Subtitles: empty ones are skipped, the rest keep their order. */
	out->nsubtitles = 0;
	for (i = 0; i < ARTICLE_MAX_SUBTITLES; i++) {
		if ((s = one_line(a, in->subtitles[i])) == NULL) {
			add_error(errs, subnames[i], "부제에 잘못된 글자가 있습니다.");
			continue;
		}
		if (news_strlen_chars(s) > NEWS_SUBTITLE_MAX)
			add_error(errs, subnames[i], "부제는 200자 이내로 써 주세요.");
		else if (*s)
			out->subtitles[out->nsubtitles++] = s;
	}

	/* Kind. */
	k = in->kind && *in->kind ? article_kind_parse(in->kind) : -1;
	if (k < 0)
		add_error(errs, "kind", "기사 종류를 골라 주세요.");
	else
		out->kind = (enum article_kind)k;

	/* Section: must exist. */
	if ((s = one_line(a, in->section)) == NULL || *s == '\0') {
		add_error(errs, "section", "섹션을 골라 주세요.");
	} else if (strlen(s) > 64 || !slug_ok(s)) {
		add_error(errs, "section", "없는 섹션입니다.");
	} else {
		rc = store_section_by_slug(st, a, s, &out->section);
		if (rc == STORE_NOTFOUND) {
			add_error(errs, "section", "없는 섹션입니다.");
		} else if (rc != STORE_OK) {
			add_error(errs, "section", "섹션을 읽지 못했습니다. 잠시 뒤 다시 시도해 주세요.");
			return -1;
		}
	}

	split_tags(a, in->tags, out, errs);

	/* Slug: optional, ASCII. */
	if ((s = one_line(a, in->slug)) == NULL || !slug_ok(s))
		add_error(errs, "slug", "주소용 이름(slug)은 영문 소문자, 숫자, '-'만 쓸 수 있습니다.");
	else if (strlen(s) > NEWS_SLUG_MAX)
		add_error(errs, "slug", "주소용 이름(slug)은 100자 이내로 써 주세요.");
	out->slug = s && slug_ok(s) ? s : "";

	/* Source note: required for a press release. */
	if ((s = one_line(a, in->source_note)) == NULL)
		add_error(errs, "source_note", "뉴스출처에 잘못된 글자가 있습니다.");
	else if (news_strlen_chars(s) > NEWS_SOURCE_NOTE_MAX)
		add_error(errs, "source_note", "뉴스출처는 100자 이내로 써 주세요.");
	else if (*s == '\0' && k == KIND_PRESS_RELEASE)
		add_error(errs, "source_note", "보도자료는 뉴스출처(기관명)를 밝혀야 합니다.");
	out->source_note = s ? s : "";

	if ((s = one_line(a, in->display_byline)) == NULL)
		add_error(errs, "display_byline", "표시 바이라인에 잘못된 글자가 있습니다.");
	else if (news_strlen_chars(s) > NEWS_DISPLAY_BYLINE_MAX)
		add_error(errs, "display_byline", "표시 바이라인은 100자 이내로 써 주세요.");
	out->display_byline = s ? s : "";

	/* Body: NFC, then the allowlist sanitizer; the plain text is what
	 * search indexes and what a missing summary is made from. */
	body = in->body ? in->body : "";
	out->body = "";
	out->body_text = "";
	if (strlen(body) > NEWS_BODY_MAX) {
		add_error(errs, "body", "본문이 너무 깁니다(1MB 이내).");
	} else if ((text = news_nfc(a, body, strlen(body))) == NULL) {
		add_error(errs, "body", "본문에 잘못된 글자가 있습니다.");
	} else {
		buf_init(&html, 4 * (size_t)NEWS_BODY_MAX);
		if (sanitize_html(text, strlen(text), &html) != 0) {
			add_error(errs, "body", "본문이 너무 깁니다(1MB 이내).");
		} else {
			out->body = arena_strndup(a, html.p ? html.p : "", html.len);
			buf_reset(&html);
			if (sanitize_text(out->body, strlen(out->body), &html) != 0)
				add_error(errs, "body", "본문이 너무 깁니다(1MB 이내).");
			else
				out->body_text = arena_strndup(a, html.p ? html.p : "", html.len);
		}
		buf_free(&html);
	}

	/* Summary: the writer's, or the body's first sentences; a body with
	 * no text leaves the headline, since a stored summary is never empty. */
	if ((s = block_text(a, in->summary)) == NULL)
		add_error(errs, "summary", "요약에 잘못된 글자가 있습니다.");
	else if (news_strlen_chars(s) > NEWS_SUMMARY_MAX)
		add_error(errs, "summary", "요약은 600자 이내로 써 주세요.");
	out->summary = s ? s : "";
	if (s && *s == '\0') {
		out->summary = *out->body_text ? news_first_sentences(a, out->body_text, SUMMARY_MADE_CHARS) : "";
		if (out->summary == NULL || *out->summary == '\0')
			out->summary = out->headline;
	}
	return errs->n;
}

/*
 * search.c - a reader's search, from what was typed to ranked results:
 * the query is parsed by the search module (Korean tokenizer), filters are
 * checked, the store runs it.  The site page, the JSON API and
 * 'sinmun search' all come through here, so they give the same results.
 */
#include "news/news.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "search/search.h"

int
news_search(struct store *st, struct arena *a, const struct news_search *q, time_t now,
    struct search_results *out, char *err, size_t errlen)
{
	struct search_query sq;
	struct search_params p;
	int rc;

	memset(out, 0, sizeof *out);
	if (q->q == NULL || q->q[0] == '\0') {
		snprintf(err, errlen, "검색어를 입력하세요.");
		return NEWS_SEARCH_EMPTY;
	}
	rc = search_query_parse(&sq, q->q, strlen(q->q), err, errlen);
	if (rc != SEARCH_OK) {
		search_query_free(&sq);
		return rc == SEARCH_EEMPTY ? NEWS_SEARCH_EMPTY : NEWS_SEARCH_INVALID;
	}
	memset(&p, 0, sizeof p);
	p.match = arena_strndup(a, sq.fts.p ? sq.fts.p : "", sq.fts.len);
	p.query = search_query_needs_recheck(&sq) ? q->q : NULL;
	search_query_free(&sq);
	p.section_id = q->section_id;
	p.person_id = q->person_id;
	p.since = q->since;
	p.until = q->until;
	p.now = now;
	if (q->per_page <= 0) {
		p.all = 1;
	} else {
		p.limit = q->per_page;
		p.offset = (q->page > 1 ? q->page - 1 : 0) * q->per_page;
	}
	rc = store_search(st, a, &p, out);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "검색하지 못했습니다: %s (%s)", store_strerror(rc), store_errmsg(st));
		return NEWS_SEARCH_STORE;
	}
	return NEWS_SEARCH_OK;
}

int
news_search_dates(const char *from, const char *to, time_t *since, time_t *until,
    char *err, size_t errlen)
{
	*since = *until = 0;
	if (from && *from && (strlen(from) != 10 || kdate_parse(from, 10, since) != 0)) {
		snprintf(err, errlen, "시작 날짜는 YYYY-MM-DD 형식이어야 합니다.");
		return -1;
	}
	if (to && *to) {
		if (strlen(to) != 10 || kdate_parse(to, 10, until) != 0) {
			snprintf(err, errlen, "끝 날짜는 YYYY-MM-DD 형식이어야 합니다.");
			return -1;
		}
		*until += 86400;   /* the whole day, inclusive */
	}
	if (*since && *until && *since >= *until) {
		snprintf(err, errlen, "시작 날짜가 끝 날짜보다 늦습니다.");
		return -1;
	}
	return 0;
}

/*
 * Text with STORE_MARK_OPEN/CLOSE around matches -> escaped HTML with
 * <mark>.  Everything else is escaped; a marker without its pair is
 * dropped, so the output is always balanced.
 */
char *
news_marked_html(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *p, *start;
	char *out;
	int open = 0;

	for (p = start = s; *p; p++) {
		if (*p != STORE_MARK_OPEN[0] && *p != STORE_MARK_CLOSE[0])
			continue;
		buf_put_html(&b, start, (size_t)(p - start));
		if (*p == STORE_MARK_OPEN[0] && !open) {
			buf_puts(&b, "<mark>");
			open = 1;
		} else if (*p == STORE_MARK_CLOSE[0] && open) {
			buf_puts(&b, "</mark>");
			open = 0;
		}
		start = p + 1;
	}
	buf_put_html(&b, start, (size_t)(p - start));
	if (open)
		buf_puts(&b, "</mark>");
	out = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return out;
}

/* The same text without the markers. */
char *
news_marked_plain(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *o = out;

	for (; *s; s++)
		if (*s != STORE_MARK_OPEN[0] && *s != STORE_MARK_CLOSE[0])
			*o++ = *s;
	*o = '\0';
	return out;
}

/*
 * search.c - 'sinmun search': the site's search from the command line
 * (same parsing, same ranking), and 'sinmun search --reindex'.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "core/log.h"
#include "core/progress.h"
#include "news/news.h"
#include "render/sanitize.h"
#include "store/store.h"

static const char usage[] =
    "usage: sinmun search [--db PATH] [--config FILE] [--limit N] [--format text|ids|json]\n"
    "                     [--section SLUG] [--from YYYY-MM-DD] [--to YYYY-MM-DD] QUERY\n"
    "       sinmun search --reindex [--db PATH] [--config FILE]\n"
    "\n"
    "Searches the published articles as the site does: words are ANDed, \"quoted words\"\n"
    "are a phrase, and a word is found inside longer words (전주시 finds 전주시는).\n"
    "  --limit N       results to print (default 20; 0 = all)\n"
    "  --format F      text (default), ids (one article id a line) or json\n"
    "  --section SLUG  only this section\n"
    "  --from, --to    only articles published in this range (Seoul dates, inclusive)\n"
    "  --reindex       rebuild the search index from the articles\n";

static int
reindex(struct cli_opts *co)
{
	struct store *st;
	struct progress pr;
	char err[512];
	int64_t n = 0;
	int rc;

	if ((st = store_open(co->cfg.db, 0, NULL, err, sizeof err)) == NULL)
		return cli_die("%s", err);
	progress_start(&pr, "reindex", 0);
	rc = store_search_reindex(st, sanitize_text, &n);
	progress_end(&pr);
	store_close(st);
	if (rc != STORE_OK)
		return cli_die("search: cannot rebuild the index of %s", co->cfg.db);
	printf("indexed %lld published articles\n", (long long)n);
	return 0;
}

static json_t *
hit_json(struct arena *a, const struct article *art, const char *title, const char *snippet)
{
	char t[KDATE_MAX];
	json_t *j;

	kdate_iso8601(art->published_at, t);
	j = json_pack("{s:I, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:s}",
	    "id", (json_int_t)art->id, "headline", art->headline,
	    "url", arena_printf(a, "/articles/%lld", (long long)art->id),
	    "section", "slug", art->section.slug, "name", art->section.name,
	    "published_at", t, "byline", news_byline(a, art), "kind", article_kind_name(art->kind));
	if (title)
		json_object_set_new(j, "headline_html", json_string(news_marked_html(a, title)));
	if (snippet)
		json_object_set_new(j, "snippet", json_string(news_marked_plain(a, snippet)));
	return j;
}

int
cmd_search(int argc, char **argv)
{
	const char *limit_s, *format, *section_s, *from, *to, *reindex_s;
	struct cli_extra extra[] = {
		{ "limit", 1, &limit_s }, { "format", 1, &format }, { "section", 1, &section_s },
		{ "from", 1, &from }, { "to", 1, &to }, { "reindex", 0, &reindex_s }, { NULL, 0, NULL },
	};
	struct arena a = ARENA_INIT;
	struct cli_opts co;
	struct news_search q;
	struct search_results res;
	struct section sec;
	struct store *st = NULL;
	struct buf query = BUF_INIT;
	json_t *out = NULL, *items;
	char err[512], t[KDATE_MAX], *dump;
	long limit = 20;
	int first, rc, i, n, ret = 1;

	if ((rc = cli_parse(argc, argv, "search", "dc", usage, &co, &first, extra)) != 0)
		return rc < 0 ? 2 : 0;
	if (reindex_s) {
		if (first < argc)
			return cli_die("search: --reindex takes no query") + 1;
		return reindex(&co);
	}
	if (first >= argc)
		return cli_die("search: a QUERY is required (see 'sinmun search --help')") + 1;
	/* Several arguments are one query, as if typed with spaces. */
	for (i = first; i < argc; i++) {
		if (i > first)
			buf_putc(&query, ' ');
		buf_puts(&query, argv[i]);
	}
	if (limit_s && config_parse_int(limit_s, 0, 1000000, &limit) != 0)
		return cli_die("search: --limit must be a number from 0 to 1000000") + 1;
	if (format == NULL)
		format = "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "ids") != 0 && strcmp(format, "json") != 0)
		return cli_die("search: --format must be text, ids or json") + 1;
	memset(&q, 0, sizeof q);
	q.q = query.p;
	q.page = 1;
	/* Up to 1000 come ranked with marks in one page; more come as ids. */
	q.per_page = limit >= 1 && limit <= 1000 ? (int)limit : 0;
	if (news_search_dates(from, to, &q.since, &q.until, err, sizeof err) != 0) {
		cli_die("search: %s", err);
		ret = 2;
		goto out;
	}
	if ((st = store_open(co.cfg.db, STORE_OPEN_READONLY, NULL, err, sizeof err)) == NULL) {
		cli_die("%s", err);
		goto out;
	}
	if (section_s) {
		if (store_section_by_slug(st, &a, section_s, &sec) != STORE_OK) {
			cli_die("search: no section '%s'", section_s);
			goto out;
		}
		q.section_id = sec.id;
	}
	rc = news_search(st, &a, &q, time(NULL), &res, err, sizeof err);
	if (rc == NEWS_SEARCH_EMPTY || rc == NEWS_SEARCH_INVALID) {
		cli_die("search: %s", err);
		ret = 2;
		goto out;
	}
	if (rc != NEWS_SEARCH_OK) {
		cli_die("search: %s", err);
		goto out;
	}
	n = res.n;
	if (limit > 0 && n > limit)
		n = (int)limit;
	/* Every-match results carry ids only: read the rest for text and json. */
	if (q.per_page == 0 && strcmp(format, "ids") != 0) {
		for (i = 0; i < n; i++) {
			struct search_hit *h = &res.items[i];

			if (store_article_get(st, &a, h->article.id, &h->article) != STORE_OK) {
				cli_die("search: cannot read article %lld: %s", (long long)h->article.id,
				    store_errmsg(st));
				goto out;
			}
		}
	}
	if (strcmp(format, "json") == 0) {
		items = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(items, hit_json(&a, &res.items[i].article, res.items[i].title,
			    res.items[i].snippet));
		out = json_pack("{s:s, s:I, s:b, s:o}", "query", q.q, "total", (json_int_t)res.total,
		    "total_estimated", res.total_estimated, "results", items);
		dump = json_dumps(out, JSON_INDENT(1));
		puts(dump);
		free(dump);
	} else {
		for (i = 0; i < n; i++) {
			const struct search_hit *h = &res.items[i];

			if (strcmp(format, "ids") == 0) {
				printf("%lld\n", (long long)h->article.id);
				continue;
			}
			kdate_datetime(h->article.published_at, t);
			printf("%lld\t%s\t%s\t%s\n", (long long)h->article.id, t, h->article.section.name,
			    h->article.headline);
			if (h->snippet)
				printf("\t%s\n", news_marked_plain(&a, h->snippet));
		}
		if (strcmp(format, "text") == 0)
			fprintf(stderr, "%s%lld results%s\n", res.total_estimated ? "about " : "",
			    (long long)res.total, n < res.total ? " (use --limit to see more)" : "");
	}
	ret = 0;
out:
	json_decref(out);
	store_close(st);
	buf_free(&query);
	arena_free(&a);
	return ret;
}

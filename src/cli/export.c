/*
 * export.c - 'sinmun export article-list': the list of published articles
 * a paper attaches when it applies for a Naver or Daum news partnership
 * (뉴스제휴 신청), as a CSV that Excel opens (src/feeds/csv.c writes it).
 *
 * The database is opened read-only, so the export can run while the
 * server does.  Articles come out oldest first, the order of a log.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "feeds/feeds.h"
#include "store/store.h"

#define PAGE 1000   /* rows per store read (the store's limit) */

static const char export_usage[] =
    "usage: sinmun export article-list --from DATE --to DATE [--kind KIND]\n"
    "                                  [--db PATH] [--config FILE] [--output FILE]\n"
    "\n"
    "Writes the published articles of a period as CSV (UTF-8 with a byte order\n"
    "mark, so Excel opens it): 링크, 제목, 기자, 입력시간, 섹션, 구분 - the list a\n"
    "paper submits when it applies for a Naver or Daum news partnership.\n"
    "  --from DATE      first day, YYYY-MM-DD in Seoul time (inclusive)\n"
    "  --to DATE        last day, YYYY-MM-DD in Seoul time (inclusive)\n"
    "  --kind KIND      only own, press-release, contribution or advertorial\n"
    "  --db PATH        the database (default sinmun.db); read-only, the server may run\n"
    "  --config FILE    an INI file (its [store] db and [server] base_url)\n"
    "  --output FILE    write there instead of standard output\n";

/* "YYYY-MM-DD", a real date, as Seoul's midnight. */
static int
parse_day(const char *s, time_t *t)
{
	return s != NULL && strlen(s) == 10 && kdate_parse(s, 10, t) == 0 ? 0 : -1;
}

/* The origin links start with: [server] base_url, else the site_url
 * setting, else where the server would listen - as the site decides. */
static const char *
base_url(struct arena *a, struct store *st, const struct config *cfg)
{
	const char *url = cfg->base_url;
	size_t n;

	if (url[0] == '\0' && (store_setting_get(st, a, "site_url", &url) != STORE_OK || url[0] == '\0'))
		url = arena_printf(a, "http://%s:%d", cfg->listen_host, cfg->listen_port);
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	return arena_strndup(a, url, n);
}

/* Reads every published article of [since, until) of the kinds asked
 * for, newest first, into *out (allocated from a). */
static int
read_all(struct store *st, struct arena *a, time_t since, time_t until, unsigned kinds,
    struct article **out, int *n)
{
	struct article_query q;
	struct article_list l;
	struct article *v = NULL, *nv;
	int cap = 0, rc;

	*n = 0;
	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.since = since;
	q.until = until;
	q.kinds = kinds;
	q.limit = PAGE;
	for (;;) {
		if ((rc = store_articles_list(st, a, &q, &l)) != STORE_OK)
			return rc;
		if (*n + l.n > cap) {
			cap = (*n + l.n) * 2;
			nv = arena_alloc(a, (size_t)cap * sizeof *nv);
			if (*n)
				memcpy(nv, v, (size_t)*n * sizeof *nv);
			v = nv;
		}
		if (l.n)
			memcpy(v + *n, l.items, (size_t)l.n * sizeof *v);
		*n += l.n;
		if (l.n < PAGE)
			break;
		q.offset += PAGE;
	}
	*out = v;
	return STORE_OK;
}

int
cmd_export(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *kind = NULL, *output = NULL;
	const struct cli_extra extra[] = {
		{ "from", 1, &from },
		{ "to", 1, &to },
		{ "kind", 1, &kind },
		{ "output", 1, &output },
		{ NULL, 0, NULL },
	};
	struct arena a = ARENA_INIT;
	struct store *st = NULL;
	struct feeds_site fs;
	struct setting *settings;
	struct article *arts;
	struct cli_opts co;
	struct buf b = BUF_INIT;
	FILE *f = NULL;
	time_t since, until;
	unsigned kinds = 0;
	char err[512];
	int first, rc, ns, n, i, k, status = 1;

	if ((rc = cli_parse(argc, argv, "export", "dc", export_usage, &co, &first, extra)) != 0)
		return rc < 0 ? 2 : 0;
	if (first >= argc) {
		cli_die("export: what to export? (see 'sinmun export --help')");
		return 2;
	}
	if (strcmp(argv[first], "article-list") != 0 || first + 1 < argc) {
		cli_die("export: unknown export '%s' (see 'sinmun export --help')",
		    strcmp(argv[first], "article-list") != 0 ? argv[first] : argv[first + 1]);
		return 2;
	}
	if (from == NULL || to == NULL) {
		cli_die("export: --from DATE and --to DATE are required (YYYY-MM-DD)");
		return 2;
	}
	if (parse_day(from, &since) != 0 || parse_day(to, &until) != 0) {
		cli_die("export: '%s' is not a date (YYYY-MM-DD)", parse_day(from, &since) != 0 ? from : to);
		return 2;
	}
	until += 86400;   /* --to is inclusive */
	if (since >= until) {
		cli_die("export: --from %s is after --to %s", from, to);
		return 2;
	}
	if (kind != NULL) {
		if ((k = article_kind_parse(kind)) < 0) {
			cli_die("export: unknown kind '%s' (own, press-release, contribution, advertorial)", kind);
			return 2;
		}
		kinds = 1u << k;
	}

	if ((st = store_open(co.cfg.db, STORE_OPEN_READONLY, NULL, err, sizeof err)) == NULL) {
		cli_die("%s", err);
		goto out;
	}
	memset(&fs, 0, sizeof fs);
	if ((rc = store_settings_all(st, &a, &settings, &ns)) != STORE_OK ||
	    (rc = read_all(st, &a, since, until, kinds, &arts, &n)) != STORE_OK) {
		cli_die("%s: %s (%s)", co.cfg.db, store_strerror(rc), store_errmsg(st));
		goto out;
	}
	for (i = 0; i < ns; i++)
		if (strcmp(settings[i].key, "site_name") == 0)
			fs.name = settings[i].value;
	fs.base_url = base_url(&a, st, &co.cfg);
	fs.language = "ko";

	if (output != NULL && (f = fopen(output, "w")) == NULL) {
		cli_die("export: %s: %s", output, strerror(errno));
		goto out;
	}
	/* One row at a time: the file may be larger than any buffer cap. */
	errno = 0;
	if (feeds_csv_header(&b) != BUF_OK)
		goto write_failed;
	for (i = n - 1; i >= -1; i--) {
		if (fwrite(b.p, 1, b.len, f ? f : stdout) != b.len)
			goto write_failed;
		buf_reset(&b);
		if (i >= 0 && feeds_csv_row(&b, &a, &fs, &arts[i]) != BUF_OK)
			goto write_failed;
	}
	if (fflush(f ? f : stdout) != 0)
		goto write_failed;
	if (f != NULL) {
		rc = fclose(f);
		f = NULL;
		if (rc != 0)
			goto write_failed;
	}
	status = 0;
	goto out;
write_failed:
	cli_die("export: cannot write %s: %s", output ? output : "standard output",
	    errno ? strerror(errno) : "row too long");
	if (output != NULL)
		unlink(output);
out:
	if (f != NULL)
		fclose(f);
	buf_free(&b);
	store_close(st);
	arena_free(&a);
	return status;
}

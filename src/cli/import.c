/*
 * import.c - 'sinmun import jsonl FILE': articles in the interchange
 * format (DESIGN.md; one JSON object a line) into the database.
 *
 * Lines go in batched transactions of IMPORT_BATCH articles; each article
 * sits in its own savepoint, so a line that fails (bad JSON, an unknown
 * field, an id that exists) is reported with its number, undone and
 * skipped while the rest of the batch still loads.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/progress.h"
#include "news/news.h"
#include "store/store.h"

#define IMPORT_BATCH    1000
#define IMPORT_MAX_LINE (4u << 20)   /* bytes; an article is far smaller */
#define IMPORT_MAX_NAMES 20          /* new sections/reporters named in the summary */

static const char usage[] =
    "usage: sinmun import jsonl [--db PATH] [--config FILE] FILE\n"
    "\n"
    "Loads articles, one JSON object a line (the interchange format: id, headline,\n"
    "subtitles, summary, body, section, byline, email, display_byline, source_note,\n"
    "tags, status, kind, published_at, updated_at, slug).  Articles are published\n"
    "unless 'status' says otherwise; a given 'id' is kept.  Sections and reporters\n"
    "that do not exist yet are created.  A bad line is reported with its number and\n"
    "skipped; the rest still loads.  '-' reads standard input.\n"
    "Exit status: 0 all loaded, 3 some lines skipped, 1 failed, 2 bad usage.\n";

struct names {
	char *v[IMPORT_MAX_NAMES];
	int   n, more;
};

static void
names_add(struct names *ns, const char *s)
{
	int i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return;
	if (ns->n == IMPORT_MAX_NAMES) {
		ns->more++;
		return;
	}
	if ((ns->v[ns->n++] = strdup(s)) == NULL)
		log_oom();
}

static void
names_print(const char *label, struct names *ns)
{
	int i;

	if (ns->n == 0)
		return;
	printf("; new %s: ", label);
	for (i = 0; i < ns->n; i++)
		printf("%s%s", i ? ", " : "", ns->v[i]);
	if (ns->more)
		printf(" and %d more", ns->more);
	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
}

int
cmd_import(int argc, char **argv)
{
	struct names new_sections = { { 0 }, 0, 0 }, new_people = { { 0 }, 0, 0 };
	struct arena a = ARENA_INIT;
	struct cli_opts co;
	struct store *st = NULL;
	struct progress pr;
	struct article art;
	struct stat sb;
	json_error_t je;
	json_t *obj;
	FILE *f = NULL;
	char *line = NULL, err[512];
	const char *path;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, loaded = 0, skipped = 0, in_batch = 0;
	int64_t bytes = 0;
	int first, rc, ret = 1, csec, cper, in_tx = 0;
	double secs;

	if (argc >= 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "jsonl") != 0)
		return cli_die("import: unknown format '%s' (only 'jsonl'; see 'sinmun import --help')",
		    argv[1]) + 1;
	if (argc >= 2 && strcmp(argv[1], "jsonl") == 0) {
		argc--;
		argv++;
	}
	if ((rc = cli_parse(argc, argv, "import", "dc", usage, &co, &first, NULL)) != 0)
		return rc < 0 ? 2 : 0;
	if (first != argc - 1)
		return cli_die("import: give exactly one FILE (see 'sinmun import --help')") + 1;
	path = argv[first];
	if (strcmp(path, "-") == 0) {
		f = stdin;
	} else if ((f = fopen(path, "r")) == NULL) {
		return cli_die("import: %s: %s", path, strerror(errno));
	}
	if ((st = store_open(co.cfg.db, STORE_OPEN_CREATE, NULL, err, sizeof err)) == NULL) {
		cli_die("%s", err);
		goto out;
	}
	progress_start(&pr, "import", f != stdin && fstat(fileno(f), &sb) == 0 ? (int64_t)sb.st_size : 0);
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		bytes += len;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if ((size_t)len > IMPORT_MAX_LINE) {
			fprintf(stderr, "sinmun: import: %s:%ld: line longer than %u bytes, skipped\n", path,
			    lineno, IMPORT_MAX_LINE);
			skipped++;
			continue;
		}
		if (!in_tx) {
			if (store_begin(st) != STORE_OK) {
				cli_die("import: %s", store_errmsg(st));
				goto out;
			}
			in_tx = 1;
		}
		obj = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &je);
		if (obj == NULL) {
			fprintf(stderr, "sinmun: import: %s:%ld: not JSON: %s (column %d)\n", path, lineno,
			    je.text, je.column);
			skipped++;
			continue;
		}
		if (store_savepoint(st) != STORE_OK) {
			json_decref(obj);
			cli_die("import: %s", store_errmsg(st));
			goto out;
		}
		rc = news_article_from_json(st, &a, obj, time(NULL), &art, &csec, &cper, err, sizeof err);
		json_decref(obj);
		if (rc == 0 && (rc = store_article_insert(st, &art)) != STORE_OK) {
			if (rc == STORE_EXISTS)
				snprintf(err, sizeof err, "article id %lld exists already", (long long)art.id);
			else
				snprintf(err, sizeof err, "%s", store_errmsg(st));
			rc = -1;
		}
		if (rc != 0) {
			store_savepoint_rollback(st);
			fprintf(stderr, "sinmun: import: %s:%ld: %s; line skipped\n", path, lineno, err);
			skipped++;
		} else {
			store_savepoint_release(st);
			if (csec)
				names_add(&new_sections, art.section.slug);
			if (cper)
				names_add(&new_people, art.bylines[0].name);
			loaded++;
			in_batch++;
		}
		arena_free(&a);
		if (in_batch >= IMPORT_BATCH) {
			if (store_commit(st) != STORE_OK) {
				cli_die("import: %s:%ld: cannot commit: %s", path, lineno, store_errmsg(st));
				goto out;
			}
			in_tx = 0;
			in_batch = 0;
		}
		progress_update(&pr, pr.total ? bytes : loaded);
	}
	if (ferror(f)) {
		cli_die("import: %s: %s", path, strerror(errno));
		goto out;
	}
	if (in_tx) {
		if (store_commit(st) != STORE_OK) {
			cli_die("import: %s: cannot commit: %s", path, store_errmsg(st));
			goto out;
		}
		in_tx = 0;
	}
	secs = progress_end(&pr);
	printf("imported %ld articles from %s in %.1f s (%.0f/s); %ld lines skipped", loaded, path, secs,
	    secs > 0 ? (double)loaded / secs : 0.0, skipped);
	names_print("sections", &new_sections);
	names_print("reporters", &new_people);
	putchar('\n');
	ret = skipped ? 3 : 0;
out:
	if (in_tx)
		store_rollback(st);
	store_close(st);
	if (f && f != stdin)
		fclose(f);
	free(line);
	arena_free(&a);
	return ret;
}

/*
 * cli.c - option parsing and errors shared by every command.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "render/sanitize.h"
#include "news/account.h"
#include "news/news.h"
#include "store/store.h"

int
cli_die(const char *fmt, ...)
{
	va_list ap;

	fputs("sinmun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

const char *
cli_verb(int argc, char **argv, const char *cmd, const char *const *verbs, const char *usage, int *status)
{
	char list[256];
	size_t o = 0;
	int i;

	if (argc >= 2 && argv[1][0] != '-') {
		for (i = 0; verbs[i]; i++)
			if (strcmp(argv[1], verbs[i]) == 0)
				return verbs[i];
		*status = cli_die("%s: unknown action '%s' (see 'sinmun %s --help')", cmd, argv[1], cmd) + 1;
		return NULL;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		*status = 0;
		return NULL;
	}
	list[0] = '\0';
	for (i = 0; verbs[i] && o < sizeof list; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i == 0 ? "" : verbs[i + 1] ? ", " : " or ",
		    verbs[i]);
	*status = cli_die("%s: %s (see 'sinmun %s --help')", cmd, list, cmd) + 1;
	return NULL;
}

int
cli_person(struct store *st, struct arena *a, const char *cmd, const char *verb, const char *email,
    struct person *p)
{
	int rc = store_person_by_email(st, a, email, p);

	if (rc == STORE_NOTFOUND)
		return cli_die("%s %s: no account for %s", cmd, verb, email);
	if (rc != STORE_OK)
		return cli_die("%s %s: %s", cmd, verb, store_errmsg(st));
	return 0;
}


enum { OPT_DB = 1000, OPT_LISTEN, OPT_CONFIG, OPT_DEMO, OPT_THREADS, OPT_HELP };

static const struct option long_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

#define MAX_EXTRA 16

int
cli_parse(int argc, char **argv, const char *cmd, const char *allowed, const char *usage,
    struct cli_opts *co, int *first_arg, const struct cli_extra *extra)
{
	struct option opts[sizeof long_opts / sizeof long_opts[0] + MAX_EXTRA];
	size_t nbase = sizeof long_opts / sizeof long_opts[0] - 1, nx = 0, i;
	char err[512];
	long n;
	int c, code;

	memset(co, 0, sizeof *co);
	config_defaults(&co->cfg);
	memcpy(opts, long_opts, nbase * sizeof opts[0]);
	for (nx = 0; extra && extra[nx].name && nx < MAX_EXTRA - 1; nx++) {
		opts[nbase + nx].name = extra[nx].name;
		opts[nbase + nx].has_arg = extra[nx].has_arg ? required_argument : no_argument;
		opts[nbase + nx].flag = NULL;
		opts[nbase + nx].val = 2000 + (int)nx;
		*extra[nx].value = NULL;
	}
	memset(&opts[nbase + nx], 0, sizeof opts[0]);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c >= 2000 && (size_t)(c - 2000) < nx) {
			i = (size_t)(c - 2000);
			*extra[i].value = extra[i].has_arg ? optarg : "1";
			continue;
		}
		code = c == OPT_DB ? 'd' : c == OPT_LISTEN ? 'l' : c == OPT_CONFIG ? 'c' :
		    c == OPT_DEMO ? 'D' : c == OPT_THREADS ? 't' : 0;
		if (c == 'h' || c == OPT_HELP) {
			fputs(usage, stdout);
			return 1;
		}
		if (c == ':') {
			cli_die("%s: option '%s' needs a value (see '%s %s --help')", cmd, argv[optind - 1], "sinmun", cmd);
			return -1;
		}
		if (c == '?' || code == 0 || strchr(allowed, code) == NULL) {
			cli_die("%s: unknown option '%s' (see '%s %s --help')", cmd, argv[optind - 1], "sinmun", cmd);
			return -1;
		}
		switch (c) {
		case OPT_DB: co->db = optarg; break;
		case OPT_LISTEN: co->listen = optarg; break;
		case OPT_CONFIG: co->config_path = optarg; break;
		case OPT_DEMO: co->demo = 1; break;
		case OPT_THREADS:
			if (config_parse_int(optarg, 0, 64, &n) != 0) {
				cli_die("%s: --threads must be a number from 0 (one per CPU) to 64", cmd);
				return -1;
			}
			co->threads = (int)n;
			co->threads_given = 1;
			break;
		}
	}
	if (first_arg)
		*first_arg = optind;
	else if (optind < argc) {
		cli_die("%s: unexpected argument '%s' (see '%s %s --help')", cmd, argv[optind], "sinmun", cmd);
		return -1;
	}
	/* The file first, the flags on top. */
	if (co->config_path && config_load(&co->cfg, co->config_path, err, sizeof err) != 0) {
		cli_die("config %s", err);
		return -1;
	}
	if (co->db) {
		if (strlen(co->db) >= sizeof co->cfg.db) {
			cli_die("%s: --db path too long", cmd);
			return -1;
		}
		snprintf(co->cfg.db, sizeof co->cfg.db, "%s", co->db);
	}
	if (co->listen && config_set_listen(&co->cfg, co->listen, err, sizeof err) != 0) {
		cli_die("%s: --listen: %s", cmd, err);
		return -1;
	}
	if (co->threads_given)
		co->cfg.threads = co->threads;
	if (strcmp(co->cfg.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(co->cfg.log_level, "warn") == 0)
		log_set_level(LOG_WARN);
	else if (strcmp(co->cfg.log_level, "error") == 0)
		log_set_level(LOG_ERROR);
	return 0;
}

/* The demo paper's desk can log in: its publisher (admin), editor and
 * one reporter get one-time passwords, printed once here and changed at
 * the first login.  Everyone else in the demo stays a byline only. */
static void
demo_accounts(struct store *st, struct arena *a)
{
	static const char *const emails[] = { "hyunwoo.park@bomnae.example.kr",
	    "sookyung.lee@bomnae.example.kr", "minseok.choi@bomnae.example.kr" };
	char pw[NEWS_ONE_TIME_LEN + 1], hash[NEWS_HASH_MAX];
	struct person p;
	size_t i;

	fprintf(stderr, "demo newsroom accounts (one-time passwords, shown once; log in at /admin/login):\n");
	for (i = 0; i < sizeof emails / sizeof emails[0]; i++) {
		if (store_person_by_email(st, a, emails[i], &p) != STORE_OK)
			continue;
		news_one_time_password(pw);
		if (news_password_hash(pw, hash) != 0 || store_person_set_password(st, p.id, hash, 1) != STORE_OK) {
			log_warn("demo account %s: no password set", emails[i]);
			continue;
		}
		fprintf(stderr, "  %-8s %-32s %s\n", person_role_name(p.role), emails[i], pw);
	}
}

/* Opens (creating and filling with the demo when asked) and closes the
 * database: migrations run here, before any thread starts. */
int
cli_prepare_db(struct cli_opts *co, const char *cmd)
{
	struct arena a = ARENA_INIT;
	struct store *st;
	const char *v;
	char err[512];
	int created;

	st = store_open(co->cfg.db, co->demo ? STORE_OPEN_CREATE : (strcmp(cmd, "init") == 0 ?
	    STORE_OPEN_CREATE : 0), &created, err, sizeof err);
	if (st == NULL)
		return cli_die("%s", err);
	if (created && co->demo) {
		if (news_demo_load(st, time(NULL), err, sizeof err) != 0) {
			store_close(st);
			unlink(co->cfg.db);
			return cli_die("%s: %s", co->cfg.db, err);
		}
		log_info("created %s with the demo paper", co->cfg.db);
		demo_accounts(st, &a);
	} else if (created) {
		log_info("created %s", co->cfg.db);
	} else if (co->demo && strcmp(cmd, "init") == 0) {
		log_info("%s exists: migrated; the demo is written only into a new database", co->cfg.db);
	}
	if (store_setting_get(st, &a, "search.reindex_needed", &v) == STORE_OK) {
		int64_t n = 0;

		log_info("%s: rebuilding the search index", co->cfg.db);
		if (store_search_reindex(st, sanitize_text, &n) != STORE_OK) {
			arena_free(&a);
			store_close(st);
			return cli_die("%s: cannot rebuild the search index", co->cfg.db);
		}
		log_info("%s: %lld articles indexed", co->cfg.db, (long long)n);
	}
	arena_free(&a);
	store_close(st);
	return 0;
}


/*
 * main.c - the sinmun command line: one binary, one verb per job.
 *
 *   sinmun serve  [--db PATH] [--listen HOST:PORT] [--config FILE] [--demo]
 *   sinmun init   --db PATH [--demo] [--config FILE]
 *
 * Errors are one line on stderr and a non-zero exit.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "http/http.h"
#include "news/news.h"
#include "site/site.h"
#include "store/store.h"

#define SINMUN_VERSION "0.1.0"

static const char *prog = "sinmun";

static int
die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* Options every command shares. */
struct common {
	struct config cfg;
	const char   *config_path;
	const char   *db;
	const char   *listen;
	int           demo;
	int           threads;
};

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

/*
 * Parses the options of one command.  allowed is a string of the option
 * codes the command takes ("dlcDt").  Returns 0, 1 for --help (usage
 * printed), or -1 after printing an error.
 */
static int
parse_common(int argc, char **argv, const char *cmd, const char *allowed, const char *usage,
    struct common *co)
{
	char err[512];
	long n;
	int c, code;

	memset(co, 0, sizeof *co);
	config_defaults(&co->cfg);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		code = c == OPT_DB ? 'd' : c == OPT_LISTEN ? 'l' : c == OPT_CONFIG ? 'c' :
		    c == OPT_DEMO ? 'D' : c == OPT_THREADS ? 't' : 0;
		if (c == 'h' || c == OPT_HELP) {
			fputs(usage, stdout);
			return 1;
		}
		if (c == ':') {
			die("%s: option '%s' needs a value (see '%s %s --help')", cmd, argv[optind - 1], prog, cmd);
			return -1;
		}
		if (c == '?' || code == 0 || strchr(allowed, code) == NULL) {
			die("%s: unknown option '%s' (see '%s %s --help')", cmd, argv[optind - 1], prog, cmd);
			return -1;
		}
		switch (c) {
		case OPT_DB: co->db = optarg; break;
		case OPT_LISTEN: co->listen = optarg; break;
		case OPT_CONFIG: co->config_path = optarg; break;
		case OPT_DEMO: co->demo = 1; break;
		case OPT_THREADS:
			if (config_parse_int(optarg, 1, 64, &n) != 0) {
				die("%s: --threads must be a number from 1 to 64", cmd);
				return -1;
			}
			co->threads = (int)n;
			break;
		}
	}
	if (optind < argc) {
		die("%s: unexpected argument '%s' (see '%s %s --help')", cmd, argv[optind], prog, cmd);
		return -1;
	}
	/* The file first, the flags on top. */
	if (co->config_path && config_load(&co->cfg, co->config_path, err, sizeof err) != 0) {
		die("config %s", err);
		return -1;
	}
	if (co->db) {
		if (strlen(co->db) >= sizeof co->cfg.db) {
			die("%s: --db path too long", cmd);
			return -1;
		}
		snprintf(co->cfg.db, sizeof co->cfg.db, "%s", co->db);
	}
	if (co->listen && config_set_listen(&co->cfg, co->listen, err, sizeof err) != 0) {
		die("%s: --listen: %s", cmd, err);
		return -1;
	}
	if (co->threads)
		co->cfg.threads = co->threads;
	if (strcmp(co->cfg.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(co->cfg.log_level, "warn") == 0)
		log_set_level(LOG_WARN);
	else if (strcmp(co->cfg.log_level, "error") == 0)
		log_set_level(LOG_ERROR);
	return 0;
}

/* Opens (creating and filling with the demo when asked) and closes the
 * database: migrations run here, before any thread starts. */
static int
prepare_db(struct common *co, const char *cmd)
{
	struct store *st;
	char err[512];
	int created;

	st = store_open(co->cfg.db, co->demo ? STORE_OPEN_CREATE : (strcmp(cmd, "init") == 0 ?
	    STORE_OPEN_CREATE : 0), &created, err, sizeof err);
	if (st == NULL)
		return die("%s", err);
	if (created && co->demo) {
		if (news_demo_load(st, time(NULL), err, sizeof err) != 0) {
			store_close(st);
			unlink(co->cfg.db);
			return die("%s: %s", co->cfg.db, err);
		}
		log_info("created %s with the demo paper", co->cfg.db);
	} else if (created) {
		log_info("created %s", co->cfg.db);
	} else if (co->demo && strcmp(cmd, "init") == 0) {
		log_info("%s exists: migrated; the demo is written only into a new database", co->cfg.db);
	}
	store_close(st);
	return 0;
}

static const char serve_usage[] =
    "usage: sinmun serve [--db PATH] [--listen HOST:PORT] [--config FILE] [--demo] [--threads N]\n"
    "\n"
    "Serves the newspaper.\n"
    "  --db PATH           the database (default sinmun.db)\n"
    "  --listen HOST:PORT  where to listen (default 127.0.0.1:8080)\n"
    "  --config FILE       an INI file (see sinmun.example.ini); flags override it\n"
    "  --demo              create the database with the demo paper if it does not exist\n"
    "  --threads N         worker threads (default 2)\n"
    "SIGINT or SIGTERM stops the server cleanly.\n";

static int
cmd_serve(int argc, char **argv)
{
	struct common co;
	struct site site;
	struct http_server_opts opts;
	struct http_app app;
	char err[512];
	int rc, logfd = -1;

	if ((rc = parse_common(argc, argv, "serve", "dlcDt", serve_usage, &co)) != 0)
		return rc < 0 ? 2 : 0;
	if (prepare_db(&co, "serve") != 0)
		return 1;
	if (site_init(&site, &co.cfg, err, sizeof err) != 0)
		return die("%s", err);
	if (strcmp(co.cfg.access_log, "-") == 0) {
		logfd = STDOUT_FILENO;
	} else if (strcmp(co.cfg.access_log, "off") != 0) {
		logfd = open(co.cfg.access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (logfd < 0) {
			site_free(&site);
			return die("access log %s: %s", co.cfg.access_log, strerror(errno));
		}
	}
	memset(&opts, 0, sizeof opts);
	opts.host = co.cfg.listen_host;
	opts.port = co.cfg.listen_port;
	opts.threads = co.cfg.threads;
	opts.access_log_fd = logfd;
	memset(&app, 0, sizeof app);
	app.thread_init = site_thread_init;
	app.thread_fini = site_thread_fini;
	app.handle = site_handle;
	app.arg = &site;
	rc = http_serve(&opts, &app, err, sizeof err);
	site_free(&site);
	if (logfd > STDERR_FILENO)
		close(logfd);
	if (rc != 0)
		return die("%s", err);
	log_info("stopped");
	return 0;
}

static const char init_usage[] =
    "usage: sinmun init --db PATH [--demo] [--config FILE]\n"
    "\n"
    "Creates a database, or brings an existing one up to this version's schema.\n"
    "  --db PATH       the database to create or migrate\n"
    "  --demo          fill a new database with the demo paper\n"
    "  --config FILE   an INI file (its [store] db is used when --db is absent)\n";

static int
cmd_init(int argc, char **argv)
{
	struct common co;
	int rc;

	if ((rc = parse_common(argc, argv, "init", "dcD", init_usage, &co)) != 0)
		return rc < 0 ? 2 : 0;
	if (co.db == NULL && co.config_path == NULL)
		return die("init: --db PATH is required") + 1;
	return prepare_db(&co, "init");
}

static const char main_usage[] =
    "usage: sinmun COMMAND [OPTIONS]\n"
    "\n"
    "sinmun " SINMUN_VERSION " - a newspaper: the newsroom and the public site.\n"
    "\n"
    "commands:\n"
    "  serve     serve the site\n"
    "  init      create or migrate a database\n"
    "  version   print the version\n"
    "\n"
    "'sinmun COMMAND --help' describes a command.\n";

int
main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		fputs(main_usage, stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(main_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		puts("sinmun " SINMUN_VERSION);
		return 0;
	}
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	return die("unknown command '%s' (see 'sinmun --help')", cmd) + 1;
}

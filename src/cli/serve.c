/*
 * serve.c - 'sinmun serve' and 'sinmun init'.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "http/http.h"
#include "news/news.h"
#include "site/site.h"
#include "weather/weather.h"

static const char serve_usage[] =
    "usage: sinmun serve [--db PATH] [--listen HOST:PORT] [--config FILE] [--demo] [--threads N]\n"
    "\n"
    "Serves the newspaper.\n"
    "  --db PATH           the database (default sinmun.db)\n"
    "  --listen HOST:PORT  where to listen (default 127.0.0.1:8080)\n"
    "  --config FILE       an INI file (see sinmun.example.ini); flags override it\n"
    "  --demo              create the database with the demo paper if it does not exist\n"
    "  --threads N         event-loop threads (default 0: one per CPU it may run on)\n"
    "SIGINT or SIGTERM stops the server cleanly.\n";

int
cmd_serve(int argc, char **argv)
{
	struct cli_opts co;
	struct site site;
	struct http_server_opts opts;
	struct http_app app;
	struct weather_refresh_opts wo;
	struct weather_refresh *wr = NULL;
	struct news_scheduler *sched;
	char err[512];
	int rc, logfd = -1;

	if ((rc = cli_parse(argc, argv, "serve", "dlcDt", serve_usage, &co, NULL, NULL)) != 0)
		return rc < 0 ? 2 : 0;
	if (cli_prepare_db(&co, "serve") != 0)
		return 1;
	if (site_init(&site, &co.cfg, err, sizeof err) != 0)
		return cli_die("%s", err);
	if (strcmp(co.cfg.access_log, "-") == 0) {
		logfd = STDOUT_FILENO;
	} else if (strcmp(co.cfg.access_log, "off") != 0) {
		logfd = open(co.cfg.access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (logfd < 0) {
			site_free(&site);
			return cli_die("access log %s: %s", co.cfg.access_log, strerror(errno));
		}
	}
	memset(&opts, 0, sizeof opts);
	opts.host = co.cfg.listen_host;
	opts.port = co.cfg.listen_port;
	opts.threads = co.cfg.threads;
	opts.render_threads = co.cfg.render_threads;
	opts.access_log_fd = logfd;
	memset(&app, 0, sizeof app);
	app.thread_init = site_thread_init;
	app.thread_fini = site_thread_fini;
	app.fast = site_fast;
	app.handle = site_handle;
	app.arg = &site;
	/* Live weather only with a key; the refresher has its own thread and
	 * store connection, so pages never wait for KMA. */
	if (co.cfg.weather_key[0]) {
		memset(&wo, 0, sizeof wo);
		wo.db = co.cfg.db;
		wo.url = co.cfg.weather_url;
		wo.key = co.cfg.weather_key;
		wo.timeout = co.cfg.weather_timeout;
		wo.retries = co.cfg.weather_retries;
		wo.interval = co.cfg.weather_interval;
		wo.first_delay = 1000;
		if ((wr = weather_refresh_start(&wo, err, sizeof err)) == NULL)
			log_warn("%s; the ticker shows what is stored", err);
	} else {
		log_debug("weather: no KMA key configured, no live fetching");
	}
	/* Scheduled articles go out on time without a restart: a thread with
	 * its own store connection, whose commits the workers see. */
	if ((sched = news_scheduler_start(co.cfg.db, co.cfg.schedule_interval, err, sizeof err)) == NULL)
		log_warn("%s; scheduled articles are not published", err);
	rc = http_serve(&opts, &app, err, sizeof err);
	news_scheduler_stop(sched);
	weather_refresh_stop(wr);
	site_free(&site);
	if (logfd > STDERR_FILENO)
		close(logfd);
	if (rc != 0)
		return cli_die("%s", err);
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

int
cmd_init(int argc, char **argv)
{
	struct cli_opts co;
	int rc;

	if ((rc = cli_parse(argc, argv, "init", "dcD", init_usage, &co, NULL, NULL)) != 0)
		return rc < 0 ? 2 : 0;
	if (co.db == NULL && co.config_path == NULL)
		return cli_die("init: --db PATH is required") + 1;
	return cli_prepare_db(&co, "init");
}


/*
 * weather.c - 'sinmun weather ingest FILE' and 'sinmun weather fetch':
 * KMA observations into the database by hand.
 *
 * Part of the command line (see cli.h).  Both end in the weather module's
 * ingest (src/weather/ingest.c), as the server's background refresh does,
 * and print what they stored, one line a station, on standard output.
 * The server may be running on the same database meanwhile.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"
#include "weather/weather.h"

static const char weather_usage[] =
    "usage: sinmun weather ingest [--db PATH] [--config FILE] FILE\n"
    "       sinmun weather fetch [--db PATH] [--config FILE]\n"
    "\n"
    "KMA (기상청) hourly observations for the masthead ticker and /weather.\n"
    "  ingest FILE     store a saved KMA API Hub response (kma_sfctm2.php text,\n"
    "                  or data.go.kr getWthrDataList JSON); '-' reads standard input\n"
    "  fetch           ask KMA API Hub for the latest hour and store it; the URL,\n"
    "                  timeout and retries are [weather] of the config file, the\n"
    "                  key [weather] key or $SINMUN_KMA_KEY\n"
    "  --db PATH       the database (default sinmun.db)\n"
    "  --config FILE   an INI file (see sinmun.example.ini)\n"
    "Stations, their order and names are the weather.stations site setting.\n"
    "Every row is stored in one transaction, or none when the response is bad;\n"
    "rows already stored stay as they are.  Prints one line a station.\n";

/* Reads at most WEATHER_MAX_BODY bytes of path ("-": standard input). */
static int
read_body(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t r;
	int fd, rc = -1;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_die("weather ingest: %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cli_die("weather ingest: %s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		if ((size_t)r > WEATHER_MAX_BODY - b->len || buf_put(b, chunk, (size_t)r) != BUF_OK) {
			cli_die("weather ingest: %s: larger than the limit of %u bytes", path,
			    WEATHER_MAX_BODY);
			goto out;
		}
	}
	rc = 0;
out:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int
run(const char *sub, struct cli_opts *co, const char *file)
{
	struct weather_fetch_opts fo;
	struct weather_ingest_stats stats;
	struct store *st = NULL;
	struct buf body, report = BUF_INIT;
	char err[1024];
	int rc = 1, created = 0;

	buf_init(&body, WEATHER_MAX_BODY);
	if (file && read_body(file, &body) != 0)
		goto out;
	if (file == NULL && co->cfg.weather_key[0] == '\0') {
		cli_die("weather fetch: no KMA key: set [weather] key in the config file "
		    "or the environment variable SINMUN_KMA_KEY");
		goto out;
	}
	/* Like 'import', a command that brings data in makes the database
	 * when there is none yet, and says so. */
	if ((st = store_open(co->cfg.db, STORE_OPEN_CREATE, &created, err, sizeof err)) == NULL) {
		cli_die("%s", err);
		goto out;
	}
	if (created)
		fprintf(stderr, "sinmun: created %s\n", co->cfg.db);
	if (file) {
		if (weather_ingest(st, body.p ? body.p : "", body.len, 0, time(NULL), &report, &stats,
		    err, sizeof err) != 0) {
			cli_die("weather ingest: %s: %s (nothing stored)", file, err);
			goto out;
		}
	} else {
		memset(&fo, 0, sizeof fo);
		fo.url = co->cfg.weather_url;
		fo.key = co->cfg.weather_key;
		fo.timeout = co->cfg.weather_timeout;
		fo.retries = co->cfg.weather_retries;
		if (weather_fetch_ingest(st, &fo, time(NULL), &report, &stats, err, sizeof err) != 0) {
			cli_die("weather fetch: %s", err);
			goto out;
		}
	}
	if (report.p)
		fputs(report.p, stdout);
	if (fflush(stdout) != 0) {
		cli_die("weather %s: writing the report: %s", sub, strerror(errno));
		goto out;
	}
	log_info("weather %s: %zu observations, %zu new", sub, stats.rows, stats.added);
	rc = 0;
out:
	if (st)
		store_close(st);
	buf_free(&report);
	buf_free(&body);
	return rc;
}

int
cmd_weather(int argc, char **argv)
{
	struct cli_opts co;
	const char *sub;
	char name[32];
	int rc, first;

	if (argc < 2) {
		fputs(weather_usage, stderr);
		return 2;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(weather_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "ingest") != 0 && strcmp(sub, "fetch") != 0)
		return cli_die("weather: unknown subcommand '%s' (want ingest or fetch; see "
		    "'sinmun weather --help')", sub) + 1;
	snprintf(name, sizeof name, "weather %s", sub);
	/* argv + 1: the subcommand stands where cli_parse expects the
	 * command's name. */
	if ((rc = cli_parse(argc - 1, argv + 1, name, "dc", weather_usage, &co, &first, NULL)) != 0)
		return rc < 0 ? 2 : 0;
	if (strcmp(sub, "ingest") == 0) {
		if (first >= argc - 1)
			return cli_die("weather ingest: which FILE? (see 'sinmun weather --help')") + 1;
		if (first + 1 < argc - 1)
			return cli_die("weather ingest: one FILE at a time, got '%s' too",
			    argv[1 + first + 1]) + 1;
		return run(sub, &co, argv[1 + first]);
	}
	if (first < argc - 1)
		return cli_die("weather fetch: unexpected argument '%s'", argv[1 + first]) + 1;
	return run(sub, &co, NULL);
}

/*
 * test_weather_ingest.c - KMA observations end to end: 'sinmun weather
 * ingest' and 'sinmun weather fetch', the server's background refresh,
 * the ticker's staleness rules and the [weather] configuration.
 *
 * Everything runs the real binary (testutil.h).  KMA is played by a small
 * HTTP server on a loopback port inside the test (fake_*): it serves a
 * fixture, a 500, a 200 with a JSON error body, bodies cut mid-row, an
 * empty table, and a response that never finishes - and after each failure
 * the stored rows and the served ticker must be exactly as before.  The
 * real KMA is never contacted.  Fixtures come from $SINMUN_SHARED
 * (default ../shared): fixtures/kma/ and seed/reference-page.txt, whose
 * ticker the reference fixture must reproduce exactly.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "testutil.h"
#include "weather/weather.h"

/* A key that cannot occur by chance in any output. */
#define KEY "sinmunTESTkey_Qx7Zp2Lw9Vb4"

/* ------------------------------------------------------------------ */
/* Files, commands, the database                                       */

static const char *
shared_dir(void)
{
	const char *s = getenv("SINMUN_SHARED");

	return s && *s ? s : "../shared";
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;

	cr_assert_not_null(f, "cannot open %s: %s (set SINMUN_SHARED)", path, strerror(errno));
	buf_init(&b, 64u << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	if (b.p == NULL)
		buf_puts(&b, "");
	if (len)
		*len = b.len;
	return b.p;
}

static void
fixture_path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/fixtures/kma/%s", shared_dir(), name);
}

static char *
fixture(const char *name, size_t *len)
{
	char path[1024];

	fixture_path(path, sizeof path, name);
	return read_file(path, len);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* Runs sinmun with the NULL-terminated arguments; returns the status. */
static int
sinmun(struct buf *out, struct buf *err, ...)
{
	const char *argv[32];
	const char *a;
	va_list ap;
	int n = 0;

	argv[n++] = tu_bin();
	va_start(ap, err);
	while ((a = va_arg(ap, const char *)) != NULL && n < 31)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	buf_init(out, 16u << 20);
	buf_init(err, 16u << 20);
	return tu_run(argv, out, err);
}

static void
fresh_db(char *db, size_t len)
{
	struct buf out, err;

	tu_tmp_path(db, len, ".db");
	cr_assert_eq(sinmun(&out, &err, "init", "--db", db, NULL), 0, "init: %s", err.p);
	buf_free(&out);
	buf_free(&err);
}

/* Every stored observation, every column, one line each. */
static char *
dump(const char *db)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	struct buf b = BUF_INIT;

	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT station_id, observed_at, condition, "
	    "quote(temperature), quote(humidity), quote(wind_speed), quote(wind_dir), stored_at "
	    "FROM weather_obs ORDER BY station_id, observed_at", -1, &s, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(h));
	buf_init(&b, 16u << 20);
	buf_puts(&b, "");
	while (sqlite3_step(s) == SQLITE_ROW)
		buf_printf(&b, "%d|%lld|%s|%s|%s|%s|%s|%lld\n", sqlite3_column_int(s, 0),
		    (long long)sqlite3_column_int64(s, 1), sqlite3_column_text(s, 2),
		    sqlite3_column_text(s, 3), sqlite3_column_text(s, 4), sqlite3_column_text(s, 5),
		    sqlite3_column_text(s, 6), (long long)sqlite3_column_int64(s, 7));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return b.p;
}

/* The next line of the text at *p, cut out in place; NULL at the end. */
static char *
next_line(char **p)
{
	char *s = *p, *nl;

	if (s == NULL || *s == '\0')
		return NULL;
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ------------------------------------------------------------------ */
/* The ticker as a reader sees it                                      */

/* Text of HTML without tags, runs of white space as one space. */
static char *
strip_tags(const char *p, size_t n)
{
	char *o = malloc(n + 1);
	size_t i, k = 0;
	int in_tag = 0, space = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '<') {
			in_tag = 1;
			continue;
		}
		if (in_tag) {
			in_tag = p[i] != '>';
			continue;
		}
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r') {
			space = k > 0;
			continue;
		}
		if (space)
			o[k++] = ' ';
		space = 0;
		o[k++] = p[i];
	}
	o[k] = '\0';
	return o;
}

/* The ticker block of the front page: its HTML (or "" when the page has
 * none) into *html when not NULL, its text as the result. */
static char *
ticker(int port, char **html)
{
	struct tu_response r;
	const char *start, *end;
	char *text;

	cr_assert_eq(tu_http(port, "GET", "/", NULL, NULL, 0, &r), 0, "front page did not answer");
	cr_assert_eq(r.status, 200);
	start = strstr(r.body.p, "<div class=\"weather\"");
	end = start ? strstr(start, "</div>") : NULL;
	if (start == NULL || end == NULL) {
		text = strdup("");
		if (html)
			*html = strdup("");
	} else {
		text = strip_tags(start, (size_t)(end - start));
		if (html)
			*html = strndup(start, (size_t)(end - start));
	}
	tu_response_free(&r);
	return text;
}

/* The reference page's ticker (seed/reference-page.txt: "  • 흐림춘천 5.7℃"
 * lines up to "기상청 제공"), as the served ticker's text must read with
 * the observation time: "흐림춘천 5.7℃ ... 11.25 09:00 기준 기상청 제공". */
static char *
reference_ticker(int *nitems)
{
	char path[1024], *page, *line, *cur;
	struct buf b = BUF_INIT;
	const char *bullet = "\xe2\x80\xa2 ";

	snprintf(path, sizeof path, "%s/seed/reference-page.txt", shared_dir());
	page = read_file(path, NULL);
	*nitems = 0;
	buf_init(&b, 1 << 20);
	for (cur = page; (line = next_line(&cur)) != NULL; ) {
		while (*line == ' ')
			line++;
		if (strncmp(line, bullet, strlen(bullet)) == 0) {
			buf_printf(&b, "%s%s", b.len ? " " : "", line + strlen(bullet));
			(*nitems)++;
		} else if (strcmp(line, "기상청 제공") == 0) {
			break;
		}
	}
	free(page);
	buf_puts(&b, " 11.25 09:00 기준 기상청 제공");
	return b.p;
}

/* ------------------------------------------------------------------ */
/* Bodies                                                              */

/* The KST "YYYYMMDDHHMI" of t. */
static void
kst(time_t t, char out[13])
{
	cr_assert_eq(weather_kst_format(t, out), 0);
}

/* The longest avoid_hour_edge waits, in seconds: the tests that call it
 * add it to their timeouts (the wait is not the test being slow). */
#define HOUR_EDGE 90

/* Tests that reason about "this hour" start away from its end, so that
 * the hour cannot turn while they run (they take seconds, not minutes). */
static void
avoid_hour_edge(void)
{
	time_t now = time(NULL);

	if (3600 - now % 3600 < HOUR_EDGE)
		sleep((unsigned)(3600 - now % 3600) + 1);
}

static time_t
this_hour(void)
{
	time_t now = time(NULL);

	return now - now % 3600;
}

/* "MM.DD HH:MM" in Seoul, as the ticker writes its time. */
static const char *
short_time(time_t t, char out[32])
{
	char k[13];

	kst(t, k);
	snprintf(out, 32, "%.2s.%.2s %.2s:%.2s", k + 4, k + 6, k + 8, k + 10);
	return out;
}

/* How the ticker marks an item observed at t when its newest is at
 * newest: "(HH:MM)", with the date when the day differs. */
static const char *
annotation(time_t t, time_t newest)
{
	static char bufs[4][32];
	static int next;
	char a[32], b[32], *o = bufs[next++ % 4];

	short_time(t, a);
	short_time(newest, b);
	snprintf(o, 32, "%s", strncmp(a, b, 6) == 0 ? a + 6 : a);
	return o;
}

/* The reference fixture with every observation time set to hour. */
static char *
reference_at(time_t hour)
{
	char *b = fixture("sfctm2-2025112509.txt", NULL), *p, t[13];

	kst(hour, t);
	for (p = b; (p = strstr(p, "\n202511250900 ")) != NULL; p += 13)
		memcpy(p + 1, t, 12);
	return b;
}

/* The reference fixture's header lines only: a valid table without rows. */
static char *
empty_table(void)
{
	char *b = fixture("sfctm2-2025112509.txt", NULL);
	struct buf o = BUF_INIT;
	char *line, *cur;

	buf_init(&o, 1 << 20);
	for (cur = b; (line = next_line(&cur)) != NULL; )
		if (line[0] == '#')
			buf_printf(&o, "%s\n", line);
	free(b);
	return o.p;
}

/* One row of the reference fixture for station stn, observed at t; with
 * no temperature (TA -99.0, columns 64-68) when no_ta; with domestic
 * weather code ww (WW, column 143) when not NULL. */
static void
add_row(struct buf *o, int stn, time_t t, int no_ta, const char *ww)
{
	char *b = fixture("sfctm2-2025112509.txt", NULL), key[32], *p, *nl, ts[13];

	snprintf(key, sizeof key, "\n202511250900 %3d ", stn);
	p = strstr(b, key);
	cr_assert_not_null(p, "station %d not in the fixture", stn);
	p++;
	nl = strchr(p, '\n');
	cr_assert_not_null(nl);
	cr_assert_eq(nl - p, 266, "row of %d is %d characters", stn, (int)(nl - p));
	kst(t, ts);
	memcpy(p, ts, 12);
	if (no_ta)
		memcpy(p + 63, "-99.0", 5);
	if (ww)
		memcpy(p + 142, ww, strlen(ww));
	buf_put(o, p, (size_t)(nl - p) + 1);
	free(b);
}

/* Header lines, then the rows in o, then the end mark. */
static char *
table(struct buf *rows)
{
	char *head = empty_table(), *end;
	struct buf o = BUF_INIT;

	end = strstr(head, "#7777END");
	cr_assert_not_null(end);
	buf_init(&o, 1 << 20);
	buf_put(&o, head, (size_t)(end - head));
	buf_put(&o, rows->p, rows->len);
	buf_puts(&o, "#7777END\n");
	free(head);
	return o.p;
}

/* ------------------------------------------------------------------ */
/* A fake KMA on a loopback port                                       */

enum fake_mode {
	F_BODY,        /* 200 with the body */
	F_500,         /* 500 Internal Server Error */
	F_JSON_ERROR,  /* 200 with a JSON error body that echoes the key back */
	F_CUT,         /* 200, the body cut mid-row, connection closed (no length) */
	F_CUT_LENGTH,  /* 200 announcing the whole body, cut mid-row */
	F_HANG,        /* 200 and the first line, then nothing, never closing */
};

#define FAKE_MAX_STEPS 8
#define FAKE_MAX_REQ   256

struct fake {
	int              fd;
	int              port;
	pthread_t        tid;
	atomic_int       stop;
	pthread_mutex_t  mu;
	enum fake_mode   mode[FAKE_MAX_STEPS];   /* request i gets step min(i, n-1) */
	char            *body[FAKE_MAX_STEPS];
	int              nsteps;
	int              first;                  /* request number where the plan began */
	atomic_int       requests;
	char             target[FAKE_MAX_REQ][1024];
	int              hung[64];
	int              nhung;
};

static void
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void
send_str(int fd, const char *s)
{
	send_all(fd, s, strlen(s));
}

/* Where the body is cut: 97 characters into its tenth data row, as in
 * fixtures/kma/sfctm2-2025112509-truncated.txt. */
static size_t
cut_point(const char *body)
{
	const char *p = body;
	int rows = 0;

	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (*p >= '0' && *p <= '9' && ++rows == 10)
			return (size_t)(p - body) + 97;
	}
	return strlen(body) / 2;
}

static void
fake_answer(struct fake *f, int fd, const char *target)
{
	enum fake_mode mode;
	char head[512], json[512];
	const char *body, *k;
	size_t n, cut;
	int i;

	pthread_mutex_lock(&f->mu);
	i = atomic_load(&f->requests) - 1 - f->first;   /* this request was counted */
	if (i >= f->nsteps)
		i = f->nsteps - 1;
	mode = f->mode[i];
	body = f->body[i] ? f->body[i] : "";
	n = strlen(body);
	switch (mode) {
	case F_BODY:
		snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", n);
		send_str(fd, head);
		send_all(fd, body, n);
		break;
	case F_500:
		send_str(fd, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 21\r\nConnection: close\r\n\r\nInternal Server Error");
		break;
	case F_JSON_ERROR:
		/* A hostile or careless server repeats the key it was sent. */
		k = strstr(target, "authKey=");
		snprintf(json, sizeof json, "{\"result\":{\"status\":403,\"message\":\"%s is not "
		    "an approved key\"}}", k ? k + 8 : "?");
		snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen(json));
		send_str(fd, head);
		send_str(fd, json);
		break;
	case F_CUT:
		send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
		send_all(fd, body, cut_point(body));
		break;
	case F_CUT_LENGTH:
		cut = cut_point(body);
		snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", n);
		send_str(fd, head);
		send_all(fd, body, cut);
		break;
	case F_HANG:
		send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n"
		    "\r\n#START7777\n");
		if (f->nhung < 64) {
			f->hung[f->nhung++] = fd;
			fd = -1;
		}
		break;
	}
	pthread_mutex_unlock(&f->mu);
	if (fd >= 0)
		close(fd);
}

static void *
fake_main(void *arg)
{
	struct fake *f = arg;
	struct pollfd pf;
	char req[8192], target[1024];
	size_t got;
	ssize_t r;
	int fd, n, i;

	while (!atomic_load(&f->stop)) {
		pf.fd = f->fd;
		pf.events = POLLIN;
		if (poll(&pf, 1, 100) <= 0)
			continue;
		if ((fd = accept(f->fd, NULL, NULL)) < 0)
			continue;
		/* The request head, up to the blank line, for at most 2 s. */
		got = 0;
		req[0] = '\0';
		while (got < sizeof req - 1 && strstr(req, "\r\n\r\n") == NULL) {
			pf.fd = fd;
			pf.events = POLLIN;
			if (poll(&pf, 1, 2000) <= 0)
				break;
			r = recv(fd, req + got, sizeof req - 1 - got, 0);
			if (r <= 0)
				break;
			got += (size_t)r;
			req[got] = '\0';
		}
		target[0] = '\0';
		if (strncmp(req, "GET ", 4) == 0) {
			n = (int)strcspn(req + 4, " \r\n");
			snprintf(target, sizeof target, "%.*s", n, req + 4);
		}
		/* Counted before answering: the client may finish (and the test
		 * look at the count) before this thread gets past close(). */
		i = atomic_load(&f->requests);
		if (i < FAKE_MAX_REQ)
			snprintf(f->target[i], sizeof f->target[i], "%s", target);
		atomic_fetch_add(&f->requests, 1);
		fake_answer(f, fd, target);
	}
	return NULL;
}

static void
fake_start(struct fake *f)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int on = 1;

	memset(f, 0, sizeof *f);
	pthread_mutex_init(&f->mu, NULL);
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(f->fd >= 0);
	setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(f->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(listen(f->fd, 16), 0);
	cr_assert_eq(getsockname(f->fd, (struct sockaddr *)&sa, &len), 0);
	f->port = ntohs(sa.sin_port);
	f->mode[0] = F_500;
	f->nsteps = 1;
	cr_assert_eq(pthread_create(&f->tid, NULL, fake_main, f), 0);
}

/* From the next request on: steps of (mode, body), the last repeating.
 * Bodies are copied. */
static void
fake_plan(struct fake *f, int n, ...)
{
	va_list ap;
	int i;

	pthread_mutex_lock(&f->mu);
	for (i = 0; i < f->nsteps; i++) {
		free(f->body[i]);
		f->body[i] = NULL;
	}
	va_start(ap, n);
	for (i = 0; i < n && i < FAKE_MAX_STEPS; i++) {
		const char *b;

		f->mode[i] = (enum fake_mode)va_arg(ap, int);
		b = va_arg(ap, const char *);
		f->body[i] = b ? strdup(b) : NULL;
	}
	va_end(ap);
	f->nsteps = i;
	f->first = atomic_load(&f->requests);
	pthread_mutex_unlock(&f->mu);
}

static void
fake_stop(struct fake *f)
{
	int i;

	atomic_store(&f->stop, 1);
	pthread_join(f->tid, NULL);
	close(f->fd);
	for (i = 0; i < f->nhung; i++)
		close(f->hung[i]);
	for (i = 0; i < f->nsteps; i++)
		free(f->body[i]);
	pthread_mutex_destroy(&f->mu);
}

/* Waits until the fake has answered at least n requests in all. */
static int
fake_wait(struct fake *f, int n, double secs)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(&f->requests) < n) {
		if (elapsed(&t0) > secs)
			return -1;
		usleep(20000);
	}
	return 0;
}

/* A configuration file for a database and the fake (port 0: a port
 * nobody listens on). */
static void
write_config(char *path, size_t len, const char *db, int port, const char *extra)
{
	char text[2048];

	tu_tmp_path(path, len, ".ini");
	snprintf(text, sizeof text, "[store]\ndb = %s\n[log]\nlevel = debug\n[weather]\n"
	    "url = http://127.0.0.1:%d/api/typ01/url/kma_sfctm2.php\n%s", db,
	    port ? port : tu_free_port(), extra ? extra : "");
	write_file(path, text);
}

/* Stops a server and keeps what it wrote (stdout and stderr). */
static int
server_stop_log(struct test_server *s, struct buf *log)
{
	char *text;
	int rc;

	kill(s->pid, SIGTERM);
	/* tu_server_stop removes the log: read it once the process is gone. */
	for (rc = 0; rc < 200 && kill(s->pid, 0) == 0; rc++) {
		int status;

		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			text = read_file(s->log, NULL);
			buf_init(log, 16u << 20);
			buf_puts(log, text);
			free(text);
			unlink(s->log);
			s->pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		usleep(50000);
	}
	text = read_file(s->log, NULL);
	buf_init(log, 16u << 20);
	buf_puts(log, text);
	free(text);
	return tu_server_stop(s);
}

/* ------------------------------------------------------------------ */
/* Ingest                                                              */

Test(weather_ingest, reference_fixture_makes_the_reference_ticker, .timeout = 60)
{
	struct test_server srv;
	struct buf out, err;
	char db[128], path[1024], *text, *html, *want;
	int nitems;

	fresh_db(db, sizeof db);
	fixture_path(path, sizeof path, "sfctm2-2025112509.txt");
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0,
	    "ingest failed: %s", err.p);
	cr_expect_eq(count_lines(out.p), 21, "one line a station:\n%s", out.p);
	cr_expect(strstr(out.p, "101 춘천 2025.11.25 09:00 흐림 5.7℃ 습도 88% 동북동 0.8m/s stored\n")
	    == out.p, "first line: %s", out.p);
	cr_expect(strstr(out.p, "283 경주시 2025.11.25 09:00 구름많음 11.1℃") != NULL, "%s", out.p);
	buf_free(&out);
	buf_free(&err);

	cr_assert_eq(tu_server_start(&srv, db, NULL), 0, "server did not start");
	text = ticker(srv.port, &html);
	want = reference_ticker(&nitems);
	cr_expect_eq(nitems, 21, "the reference page has 21 stations");
	cr_expect_str_eq(text, want, "the ticker differs from the reference page");
	cr_expect(strstr(html, "<li><span class=\"cond\">흐림</span><span class=\"stn\">춘천</span> "
	    "<span class=\"temp\">5.7℃</span></li>") != NULL, "%s", html);
	cr_expect(strstr(html, "href=\"/weather\"") != NULL, "the ticker links to /weather");
	cr_expect(strstr(html, "class=\"wat\"") == NULL, "all of one hour: no per-station times");
	free(text);
	free(html);
	free(want);
	cr_expect_eq(tu_server_stop(&srv), 0);
	tu_rm_db(db);
}

Test(weather_ingest, twice_stores_once)
{
	struct buf out, err;
	char db[128], path[1024], *before, *after;

	fresh_db(db, sizeof db);
	fixture_path(path, sizeof path, "sfctm2-2025112509.txt");
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	before = dump(db);
	cr_expect_eq(count_lines(before), 21);
	buf_free(&out);
	buf_free(&err);
	sleep(1);   /* a rewritten row would get a new stored_at */
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	cr_expect_eq(count_lines(out.p), 21);
	cr_expect(strstr(out.p, " stored\n") == NULL, "nothing new the second time:\n%s", out.p);
	cr_expect(strstr(out.p, "101 춘천 2025.11.25 09:00 흐림 5.7℃ 습도 88% 동북동 0.8m/s unchanged\n")
	    != NULL, "%s", out.p);
	after = dump(db);
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
	buf_free(&out);
	buf_free(&err);
	tu_rm_db(db);
}

/* Every bad input leaves the stored rows and the ticker exactly as they
 * were, and says why on one line. */
Test(weather_ingest, bad_bodies_change_nothing, .timeout = 90)
{
	static const struct {
		const char *fixture;  /* a fixture, or NULL for text */
		const char *text;
		const char *why;      /* in the error line */
	} cases[] = {
		{ "sfctm2-2025112509-truncated.txt", NULL, "line 14: truncated body" },
		{ "sfctm2-real-rows.txt", NULL, "station 90 is not in the station table" },
		{ "vilagefcst-getUltraSrtNcst-60-127-202511250900.json", NULL, "" },
		{ NULL, "{\"result\":{\"status\":403,\"message\":\"not approved\"}}",
		  "line 1: expected '#START7777', got a JSON error body" },
		{ NULL, "<html><body>maintenance</body></html>", "got an HTML/XML body" },
		{ NULL, "", "empty body" },
		{ NULL, "#START7777\n#7777END\n#7777END\n", "line 3" },
	};
	struct test_server srv;
	struct buf out, err;
	char db[128], path[1024], bad[128], *before, *after, *t0, *t1, *text;
	size_t i;

	fresh_db(db, sizeof db);
	fixture_path(path, sizeof path, "sfctm2-2025112509.txt");
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
	cr_assert_eq(tu_server_start(&srv, db, NULL), 0);
	before = dump(db);
	t0 = ticker(srv.port, NULL);
	tu_tmp_path(bad, sizeof bad, ".txt");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].fixture) {
			fixture_path(path, sizeof path, cases[i].fixture);
		} else {
			write_file(bad, cases[i].text);
			snprintf(path, sizeof path, "%s", bad);
		}
		cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 1,
		    "case %zu accepted", i);
		cr_expect(strstr(err.p, cases[i].why) != NULL, "case %zu: '%s' lacks '%s'", i, err.p,
		    cases[i].why);
		cr_expect(strstr(err.p, "nothing stored") != NULL, "case %zu: %s", i, err.p);
		cr_expect_eq(count_lines(err.p), 1, "case %zu: one line: %s", i, err.p);
		cr_expect_str_eq(out.p, "", "case %zu prints no station", i);
		buf_free(&out);
		buf_free(&err);
		after = dump(db);
		cr_expect_str_eq(after, before, "case %zu changed the rows", i);
		free(after);
		t1 = ticker(srv.port, NULL);
		cr_expect_str_eq(t1, t0, "case %zu changed the ticker", i);
		free(t1);
	}

	/* An observation from the future is not an observation. */
	{
		struct buf rows = BUF_INIT;

		buf_init(&rows, 1 << 20);
		add_row(&rows, 101, this_hour() - 3600, 0, NULL);
		add_row(&rows, 108, this_hour() + 3 * 3600, 0, NULL);
		text = table(&rows);
		write_file(bad, text);
		cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, bad, NULL), 1);
		cr_expect(strstr(err.p, "station 108: observation time") != NULL &&
		    strstr(err.p, "is in the future") != NULL, "%s", err.p);
		buf_free(&out);
		buf_free(&err);
		buf_free(&rows);
		free(text);
		after = dump(db);
		cr_expect_str_eq(after, before, "the row of 101 went in with the bad one");
		free(after);
	}

	/* Larger than the limit: refused before parsing. */
	{
		FILE *f = fopen(bad, "w");
		char chunk[65536];
		unsigned k;

		memset(chunk, '#', sizeof chunk);
		for (k = 0; k < WEATHER_MAX_BODY / sizeof chunk + 1; k++)
			fwrite(chunk, 1, sizeof chunk, f);
		fclose(f);
		cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, bad, NULL), 1);
		cr_expect(strstr(err.p, "larger than the limit") != NULL, "%s", err.p);
		buf_free(&out);
		buf_free(&err);
	}
	unlink(bad);
	t1 = ticker(srv.port, NULL);
	cr_expect_str_eq(t1, t0);
	free(t1);
	free(t0);
	free(before);
	tu_server_stop(&srv);
	tu_rm_db(db);
}

Test(weather_ingest, other_sources_and_unknown_codes)
{
	struct buf out, err, rows = BUF_INIT;
	char db[128], path[1024], file[128], *text;
	time_t h = this_hour() - 3600;

	fresh_db(db, sizeof db);
	/* data.go.kr JSON, the back-fill source: one station a body. */
	fixture_path(path, sizeof path, "asos-hourly-getWthrDataList-108-2025112509.json");
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	cr_expect(strncmp(out.p, "108 서울 2025.11.25 09:00 흐림 8.6℃", strlen("108 서울 2025.11.25 09:00 흐림 8.6℃")) == 0,
	    "%s", out.p);
	buf_free(&out);
	buf_free(&err);

	/* Missing values: shown as missing, -9.0 is a temperature. */
	fixture_path(path, sizeof path, "sfctm2-2025011007-missing.txt");
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	cr_expect(strstr(out.p, "119 수원 2025.01.10 07:00 맑음 -℃ 습도 - 바람 - stored\n") != NULL,
	    "%s", out.p);
	cr_expect(strstr(out.p, "136 안동 2025.01.10 07:00 맑음 -9.0℃") != NULL, "%s", out.p);
	buf_free(&out);
	buf_free(&err);

	/* A domestic code without a word is logged once, when stored. */
	buf_init(&rows, 1 << 20);
	add_row(&rows, 101, h, 0, "40");
	text = table(&rows);
	tu_tmp_path(file, sizeof file, ".txt");
	write_file(file, text);
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, file, NULL), 0, "%s", err.p);
	cr_expect(strstr(err.p, "station 101") != NULL &&
	    strstr(err.p, "unknown domestic weather code 40") != NULL, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, file, NULL), 0, "%s", err.p);
	cr_expect(strstr(err.p, "unknown domestic") == NULL, "logged again: %s", err.p);
	buf_free(&out);
	buf_free(&err);
	buf_free(&rows);
	free(text);
	unlink(file);
	tu_rm_db(db);
}

/* A row stored without a temperature takes the values of a later report
 * of the same hour that has one; the same report again changes nothing. */
Test(weather_ingest, a_late_temperature_fills_the_gap)
{
	struct buf out, err, rows = BUF_INIT;
	char db[128], file[128], *text, *d1, *d2;
	time_t h = this_hour() - 3600;

	fresh_db(db, sizeof db);
	tu_tmp_path(file, sizeof file, ".txt");
	buf_init(&rows, 1 << 20);
	add_row(&rows, 101, h, 1, NULL);
	text = table(&rows);
	write_file(file, text);
	free(text);
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, file, NULL), 0, "%s", err.p);
	cr_expect(strstr(out.p, " -℃ ") != NULL, "%s", out.p);
	buf_free(&out);
	buf_free(&err);
	d1 = dump(db);
	cr_expect(strstr(d1, "|NULL|") != NULL, "%s", d1);
	buf_reset(&rows);
	add_row(&rows, 101, h, 0, NULL);
	text = table(&rows);
	write_file(file, text);
	free(text);
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, file, NULL), 0, "%s", err.p);
	cr_expect(strstr(out.p, " 5.7℃ ") != NULL && strstr(out.p, " stored\n") != NULL, "%s", out.p);
	buf_free(&out);
	buf_free(&err);
	d2 = dump(db);
	cr_expect(strstr(d2, "|5.7|") != NULL, "%s", d2);
	cr_expect_eq(count_lines(d2), 1);
	free(d1);
	free(d2);
	buf_free(&rows);
	unlink(file);
	tu_rm_db(db);
}

Test(weather_ingest, stations_come_from_the_settings, .timeout = 60)
{
	struct test_server srv;
	struct buf out, err;
	char db[128], path[1024], *text;
	sqlite3 *h;

	fresh_db(db, sizeof db);
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "UPDATE setting SET value = '  159:부산  bogus 101:춘천시 "
	    "108:서울 101:again 0:zero ' WHERE key = 'weather.stations'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	/* Rows of stations not listed make the body wrong: a station table
	 * of three refuses the 21-station fixture. */
	fixture_path(path, sizeof path, "sfctm2-2025112509.txt");
	cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 1);
	cr_expect(strstr(err.p, "station 112 is not in the station table") != NULL, "%s", err.p);
	cr_expect(strstr(err.p, "weather.stations: entry is not ID:NAME: 'bogus' skipped") != NULL,
	    "the first bad entry is logged: %s", err.p);
	buf_free(&out);
	buf_free(&err);
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "UPDATE setting SET value = '159:부산 101:춘천시 108:서울 "
	    "112:인천 114:원주 119:수원 131:청주 133:대전 136:안동 138:포항 140:군산 143:대구 146:전주 "
	    "152:울산 155:창원 156:광주 165:목포 168:여수 184:제주 232:천안 283:경주' "
	    "WHERE key = 'weather.stations'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	cr_expect(strstr(out.p, "101 춘천시 ") != NULL, "display names from the setting: %s", out.p);
	buf_free(&out);
	buf_free(&err);
	cr_assert_eq(tu_server_start(&srv, db, NULL), 0);
	text = ticker(srv.port, NULL);
	cr_expect(strncmp(text, "구름많음부산 15.4℃ 흐림춘천시 5.7℃ 박무서울 8.6℃", strlen("구름많음부산 15.4℃ 흐림춘천시 5.7℃ 박무서울 8.6℃")) == 0,
	    "order and names of the setting: %s", text);
	cr_expect(strstr(text, "구름많음경주 11.1℃ 11.25 09:00 기준 기상청 제공") != NULL, "%s", text);
	free(text);
	tu_server_stop(&srv);
	tu_rm_db(db);
}

/* ------------------------------------------------------------------ */
/* Staleness                                                           */

Test(weather_ingest, stale_observations_leave_a_live_ticker, .timeout = 90 + HOUR_EDGE + 1)
{
	struct test_server srv;
	struct buf out, err, rows = BUF_INIT, log;
	char db[128], file[128], cfg[128], cfg5[128], *text, *html, *body, hhmm[32], want[512];
	const char *extra[] = { "--config", cfg, NULL }, *extra5[] = { "--config", cfg5, NULL };
	struct tu_response r;
	time_t h;

	avoid_hour_edge();
	h = this_hour();

	fresh_db(db, sizeof db);
	buf_init(&rows, 1 << 20);
	add_row(&rows, 101, h - 4 * 3600, 0, NULL);  /* 흐림춘천 5.7: older than 3 h */
	add_row(&rows, 108, h - 3600, 0, NULL);      /* 박무서울 8.6: current */
	add_row(&rows, 112, h - 2 * 3600, 0, NULL);  /* 박무인천 7.9: last good value ... */
	add_row(&rows, 112, h - 3600, 1, NULL);      /* ... then a report without temperature */
	add_row(&rows, 114, h - 4 * 3600, 0, NULL);  /* 흐림원주 8.3: last good value too old ... */
	add_row(&rows, 114, h - 3600, 1, NULL);      /* ... latest without temperature */
	body = table(&rows);
	tu_tmp_path(file, sizeof file, ".txt");
	write_file(file, body);
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, file, NULL), 0, "%s", err.p);
	cr_expect_eq(count_lines(out.p), 6);
	buf_free(&out);
	buf_free(&err);

	/* Live fetching configured (against a port nobody listens on: every
	 * refresh fails and changes nothing). */
	write_config(cfg, sizeof cfg, db, 0, "key = " KEY "\ninterval = 3600\ntimeout = 2\nretries = 0\n");
	cr_assert_eq(tu_server_start(&srv, db, extra), 0);
	text = ticker(srv.port, &html);
	snprintf(want, sizeof want, "박무서울 8.6℃ 박무인천 7.9℃ (%s) %s 기준 기상청 제공",
	    annotation(h - 2 * 3600, h - 3600), short_time(h - 3600, hhmm));
	cr_expect_str_eq(text, want, "live ticker");
	cr_expect(strstr(html, "<span class=\"wat\">") != NULL, "%s", html);
	free(text);
	free(html);
	/* The weather page still lists every station, saying how old. */
	cr_assert_eq(tu_http(srv.port, "GET", "/weather", NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect(strstr(r.body.p, "지난 관측") != NULL, "stale rows are marked");
	cr_expect(strstr(r.body.p, "3시간이 지난 관측값은") != NULL, "the window is explained");
	cr_expect(strstr(r.body.p, "<th scope=\"row\">춘천</th>") != NULL);
	cr_expect(strstr(r.body.p, "관측 자료 없음") != NULL, "stations without rows are listed");
	tu_response_free(&r);
	usleep(1500000);   /* the first refresh (1 s after start) has failed */
	cr_expect_eq(server_stop_log(&srv, &log), 0);
	cr_expect(strstr(log.p, KEY) == NULL, "the key is in the server's output:\n%s", log.p);
	cr_expect(strstr(log.p, "weather refresh failed") != NULL, "%s", log.p);
	buf_free(&log);

	/* A longer window keeps them. */
	write_config(cfg5, sizeof cfg5, db, 0, "key = " KEY "\ninterval = 3600\nstale_after = 18000\n");
	cr_assert_eq(tu_server_start(&srv, db, extra5), 0);
	text = ticker(srv.port, NULL);
	cr_expect(strncmp(text, "흐림춘천 5.7℃ (", strlen("흐림춘천 5.7℃ (")) == 0, "%s", text);
	cr_expect(strstr(text, "흐림원주 8.3℃ (") != NULL, "%s", text);
	free(text);
	tu_server_stop(&srv);

	/* Without live fetching, what was ingested is shown, with its time. */
	cr_assert_eq(tu_server_start(&srv, db, NULL), 0);
	text = ticker(srv.port, NULL);
	snprintf(want, sizeof want, "흐림춘천 5.7℃ (%s) 박무서울 8.6℃ 박무인천 7.9℃ (%s) "
	    "흐림원주 8.3℃ (%s) %s 기준 기상청 제공", annotation(h - 4 * 3600, h - 3600),
	    annotation(h - 2 * 3600, h - 3600), annotation(h - 4 * 3600, h - 3600),
	    short_time(h - 3600, hhmm));
	cr_expect_str_eq(text, want);
	free(text);
	tu_server_stop(&srv);
	unlink(cfg);
	unlink(cfg5);
	unlink(file);
	free(body);
	buf_free(&rows);
	tu_rm_db(db);
}

/* ------------------------------------------------------------------ */
/* Fetch                                                               */

Test(weather_fetch, every_failure_changes_nothing, .timeout = 120 + HOUR_EDGE + 1)
{
	struct test_server srv;
	struct fake f;
	struct buf out, err;
	char db[128], path[1024], cfg[128], cfg_retry[128], *before, *after, *t0, *t1, *good, want[64];
	char tm[13], extra[256], hour_want[64];
	struct timespec t;
	int n0;
	double secs;

	avoid_hour_edge();

	fake_start(&f);
	fresh_db(db, sizeof db);
	fixture_path(path, sizeof path, "sfctm2-2025112509.txt");
	cr_assert_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, path, NULL), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
	write_config(cfg, sizeof cfg, db, f.port, "key = " KEY "\ntimeout = 2\nretries = 0\n");
	cr_assert_eq(tu_server_start(&srv, db, NULL), 0);
	before = dump(db);
	t0 = ticker(srv.port, NULL);
	good = reference_at(this_hour());

	/* Each hostile answer: exit 1, one line naming what was wrong, never
	 * the key; rows and ticker as they were. */
	{
		static const struct {
			enum fake_mode mode;
			const char    *why;
		} cases[] = {
			{ F_500, "HTTP 500 from http://127.0.0.1:" },
			{ F_JSON_ERROR, "got a JSON error body (status 403: '[key] is not an ap" },
			{ F_CUT, "truncated body" },
			{ F_CUT_LENGTH, "transfer closed with " },
			{ F_HANG, "no complete response from http://127.0.0.1:" },
		};
		size_t i;

		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			fake_plan(&f, 1, cases[i].mode, good);
			n0 = atomic_load(&f.requests);
			clock_gettime(CLOCK_MONOTONIC, &t);
			cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg, NULL), 1,
			    "case %zu accepted", i);
			secs = elapsed(&t);
			cr_expect(strstr(err.p, cases[i].why) != NULL, "case %zu: '%s' lacks '%s'", i,
			    err.p, cases[i].why);
			cr_expect(strstr(err.p, "/api/typ01/url/kma_sfctm2.php") != NULL,
			    "case %zu: the URL without its query: %s", i, err.p);
			cr_expect(strstr(err.p, "authKey") == NULL && strstr(err.p, KEY) == NULL,
			    "case %zu: the key is in stderr: %s", i, err.p);
			cr_expect(strstr(out.p, KEY) == NULL, "case %zu: the key is in stdout", i);
			cr_expect_str_eq(out.p, "", "case %zu printed stations", i);
			cr_expect_eq(atomic_load(&f.requests) - n0, 1, "case %zu: retries = 0", i);
			if (cases[i].mode == F_HANG)
				cr_expect(secs >= 1.9 && secs < 4.5,
				    "a response that never finishes: gave up after %.1f s, timeout 2 s", secs);
			buf_free(&out);
			buf_free(&err);
			after = dump(db);
			cr_expect_str_eq(after, before, "case %zu changed the rows", i);
			free(after);
			t1 = ticker(srv.port, NULL);
			cr_expect_str_eq(t1, t0, "case %zu changed the ticker", i);
			free(t1);
		}
	}

	/* Transient failures are retried with back-off (1 s, 2 s). */
	write_config(cfg_retry, sizeof cfg_retry, db, f.port, "key = " KEY "\ntimeout = 2\nretries = 2\n");
	fake_plan(&f, 1, F_500, (const char *)NULL);
	n0 = atomic_load(&f.requests);
	clock_gettime(CLOCK_MONOTONIC, &t);
	cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg_retry, NULL), 1);
	secs = elapsed(&t);
	cr_expect_eq(atomic_load(&f.requests) - n0, 3, "1 + 2 retries");
	cr_expect(secs >= 2.9, "back-off of 1 s and 2 s, took %.1f s", secs);
	cr_expect(strstr(err.p, "(attempt 3 of 3") != NULL, "%s", err.p);
	cr_expect(strstr(err.p, KEY) == NULL, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
	/* ... and a retry that succeeds stores. */
	fake_plan(&f, 2, F_500, (const char *)NULL, F_BODY, good);
	cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg_retry, NULL), 0, "%s", err.p);
	cr_expect_eq(count_lines(out.p), 21, "%s", out.p);
	buf_free(&out);
	buf_free(&err);
	free(before);
	before = dump(db);
	cr_expect_eq(count_lines(before), 42);
	t1 = ticker(srv.port, NULL);
	kst(this_hour(), tm);
	snprintf(hour_want, sizeof hour_want, "%.2s.%.2s %.2s:00 기준", tm + 4, tm + 6, tm + 8);
	cr_expect(strstr(t1, hour_want) != NULL, "the ticker moves to the fetched hour: %s lacks %s",
	    t1, hour_want);
	free(t1);

	/* The request: the current hour, the stations in order, help=0, the key. */
	n0 = atomic_load(&f.requests);
	kst(this_hour(), tm);
	snprintf(want, sizeof want, "?tm=%s&stn=", tm);
	cr_expect(strstr(f.target[n0 - 1], want) != NULL, "%s", f.target[n0 - 1]);
	cr_expect(strstr(f.target[n0 - 1], "/api/typ01/url/kma_sfctm2.php?") == f.target[n0 - 1],
	    "%s", f.target[n0 - 1]);
	cr_expect(strstr(f.target[n0 - 1], "&stn=101:108:112:114:119:131:133:136:138:140:143:146:152:"
	    "155:156:159:165:168:184:232:283&help=0&authKey=" KEY) != NULL, "%s", f.target[n0 - 1]);

	/* An earlier hour is stored too, and the ticker keeps the newest. */
	{
		char *prev_body = reference_at(this_hour() - 3600);

		fake_plan(&f, 1, F_BODY, prev_body);
		cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg, NULL), 0, "%s", err.p);
		cr_expect_eq(count_lines(out.p), 21, "%s", out.p);
		cr_expect(strstr(out.p, "unchanged") == NULL, "%s", out.p);
		cr_expect(strstr(out.p, KEY) == NULL && strstr(err.p, KEY) == NULL);
		buf_free(&out);
		buf_free(&err);
		free(prev_body);
		t1 = ticker(srv.port, NULL);
		cr_expect(strstr(t1, hour_want) != NULL, "ticker %s lacks %s", t1, hour_want);
		free(t1);
	}

	/* Early in the hour KMA has no rows yet: the previous hour is asked. */
	{
		char *empty = empty_table(), *prev = reference_at(this_hour() - 2 * 3600);

		/* (the fake ignores tm; the previous-hour request gets rows of
		 * two hours ago, new rows to tell it happened) */

		fake_plan(&f, 2, F_BODY, empty, F_BODY, prev);
		n0 = atomic_load(&f.requests);
		cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg, NULL), 0, "%s", err.p);
		cr_expect_eq(atomic_load(&f.requests) - n0, 2);
		kst(this_hour() - 3600, tm);
		snprintf(want, sizeof want, "?tm=%s&", tm);
		cr_expect(strstr(f.target[n0 + 1], want) != NULL, "%s", f.target[n0 + 1]);
		cr_expect_eq(count_lines(out.p), 21);
		buf_free(&out);
		buf_free(&err);
		free(empty);
		free(prev);
	}

	/* The key from the environment, when the file has none. */
	{
		char cfg_env[128];

		write_config(cfg_env, sizeof cfg_env, db, f.port, "key =\ntimeout = 2\nretries = 0\n");
		fake_plan(&f, 1, F_JSON_ERROR, (const char *)NULL);
		n0 = atomic_load(&f.requests);
		unsetenv("SINMUN_KMA_KEY");
		cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg_env, NULL), 1);
		cr_expect(strstr(err.p, "no KMA key") != NULL, "%s", err.p);
		cr_expect_eq(atomic_load(&f.requests), n0, "no request without a key");
		buf_free(&out);
		buf_free(&err);
		setenv("SINMUN_KMA_KEY", KEY "env", 1);
		cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg_env, NULL), 1);
		cr_expect(strstr(f.target[n0], "&authKey=" KEY "env") != NULL, "%s", f.target[n0]);
		cr_expect(strstr(err.p, KEY) == NULL, "%s", err.p);
		buf_free(&out);
		buf_free(&err);
		unsetenv("SINMUN_KMA_KEY");
		unlink(cfg_env);
	}

	/* Nobody listening at all. */
	snprintf(extra, sizeof extra, "key = " KEY "\ntimeout = 2\nretries = 0\n");
	{
		char cfg_dead[128];

		write_config(cfg_dead, sizeof cfg_dead, db, 0, extra);
		cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--config", cfg_dead, NULL), 1);
		cr_expect(strstr(err.p, "127.0.0.1") != NULL && strstr(err.p, KEY) == NULL, "%s", err.p);
		buf_free(&out);
		buf_free(&err);
		unlink(cfg_dead);
	}
	after = dump(db);
	cr_expect_eq(count_lines(after), 84, "2025-11-25 09:00 and three fetched hours");
	free(after);

	free(before);
	free(t0);
	free(good);
	tu_server_stop(&srv);
	fake_stop(&f);
	unlink(cfg);
	unlink(cfg_retry);
	tu_rm_db(db);
}

/* The server fetches on its own, never making a page wait. */
Test(weather_refresh, keeps_the_ticker_true_without_blocking_pages, .timeout = 120 + HOUR_EDGE + 1)
{
	struct test_server srv;
	struct fake f;
	struct buf log;
	struct timespec t;
	char db[128], cfg[128], *good, *t1, *t2, *d1, *d2, want[64], tm[13];
	const char *extra[] = { "--config", cfg, NULL };
	const enum fake_mode bad[] = { F_HANG, F_500, F_JSON_ERROR, F_CUT, F_CUT_LENGTH };
	int i, n0, ok;
	double secs, worst = 0;

	avoid_hour_edge();

	fake_start(&f);
	fresh_db(db, sizeof db);
	/* A KMA timeout well above what a page may take: a page that waited
	 * for a hanging fetch would show it. */
	write_config(cfg, sizeof cfg, db, f.port, "key = " KEY "\ninterval = 1\ntimeout = 5\nretries = 0\n");
	fake_plan(&f, 1, F_500, (const char *)NULL);
	cr_assert_eq(tu_server_start(&srv, db, extra), 0);
	cr_assert_eq(fake_wait(&f, 1, 10), 0, "no fetch soon after start");
	t1 = ticker(srv.port, NULL);
	cr_expect_str_eq(t1, "", "nothing stored, no ticker");
	free(t1);

	/* KMA answers: the ticker follows within a few seconds. */
	good = reference_at(this_hour());
	fake_plan(&f, 1, F_BODY, good);
	kst(this_hour(), tm);
	snprintf(want, sizeof want, "%.2s.%.2s %.2s:00 기준 기상청 제공", tm + 4, tm + 6, tm + 8);
	clock_gettime(CLOCK_MONOTONIC, &t);
	ok = 0;
	while (elapsed(&t) < 15) {
		t1 = ticker(srv.port, NULL);
		ok = strstr(t1, want) != NULL;
		free(t1);
		if (ok)
			break;
		usleep(200000);
	}
	cr_assert(ok, "the refresher did not update the ticker");
	t1 = ticker(srv.port, NULL);
	cr_expect(strncmp(t1, "흐림춘천 5.7℃ 박무서울 8.6℃ ", strlen("흐림춘천 5.7℃ 박무서울 8.6℃ ")) == 0, "%s", t1);
	n0 = atomic_load(&f.requests);
	cr_assert_eq(fake_wait(&f, n0 + 2, 10), 0);
	d1 = dump(db);
	cr_expect_eq(count_lines(d1), 21, "each observation stored once:\n%s", d1);

	/* Every failure, while pages keep coming fast and unchanged. */
	for (i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++) {
		fake_plan(&f, 1, bad[i], good);
		n0 = atomic_load(&f.requests);
		cr_assert_eq(fake_wait(&f, n0 + 1, 15), 0, "mode %d: no fetch", i);
		for (int k = 0; k < 5; k++) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			t2 = ticker(srv.port, NULL);
			secs = elapsed(&t);
			if (secs > worst)
				worst = secs;
			cr_expect_str_eq(t2, t1, "mode %d changed the ticker", i);
			free(t2);
			usleep(100000);
		}
		d2 = dump(db);
		cr_expect_str_eq(d2, d1, "mode %d changed the rows", i);
		free(d2);
	}
	cr_expect(worst < 2.0, "a page waited %.2f s for KMA", worst);

	/* Stopping while a fetch hangs: prompt. */
	fake_plan(&f, 1, F_HANG, (const char *)NULL);
	n0 = atomic_load(&f.requests);
	cr_assert_eq(fake_wait(&f, n0 + 1, 15), 0);
	clock_gettime(CLOCK_MONOTONIC, &t);
	cr_expect_eq(server_stop_log(&srv, &log), 0, "clean exit");
	secs = elapsed(&t);
	cr_expect(secs < 4.0, "stopping took %.1f s, as if waiting for the 5 s timeout", secs);
	cr_expect(strstr(log.p, KEY) == NULL, "the key is in the server's output:\n%s", log.p);
	cr_expect(strstr(log.p, "weather refresh: stored 21 new of 21 observations") != NULL, "%s", log.p);
	cr_expect(strstr(log.p, "weather refresh failed, the stored observations stay: HTTP 500") != NULL,
	    "%s", log.p);
	buf_free(&log);
	free(t1);
	free(d1);
	free(good);
	fake_stop(&f);
	unlink(cfg);
	tu_rm_db(db);
}

/* ------------------------------------------------------------------ */
/* Command line and configuration                                      */

Test(weather_cli, usage_and_errors)
{
	struct buf out, err;
	char db[128], missing[128], path[1024];

	cr_expect_eq(sinmun(&out, &err, "weather", "--help", NULL), 0);
	cr_expect(strstr(out.p, "sinmun weather ingest") != NULL && strstr(out.p, "SINMUN_KMA_KEY"));
	buf_free(&out); buf_free(&err);
	cr_expect_eq(sinmun(&out, &err, "weather", NULL), 2);
	buf_free(&out); buf_free(&err);
	cr_expect_eq(sinmun(&out, &err, "weather", "melt", NULL), 2);
	cr_expect(strstr(err.p, "unknown subcommand 'melt'") != NULL, "%s", err.p);
	buf_free(&out); buf_free(&err);
	cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--nope", "x", NULL), 2);
	buf_free(&out); buf_free(&err);
	cr_expect_eq(sinmun(&out, &err, "weather", "ingest", NULL), 2);
	cr_expect(strstr(err.p, "which FILE") != NULL, "%s", err.p);
	buf_free(&out); buf_free(&err);
	cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "extra", NULL), 2);
	buf_free(&out); buf_free(&err);

	fresh_db(db, sizeof db);
	cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--db", db, "/nonexistent/kma.txt", NULL), 1);
	cr_expect(strstr(err.p, "/nonexistent/kma.txt: No such file") != NULL, "%s", err.p);
	buf_free(&out); buf_free(&err);
	unsetenv("SINMUN_KMA_KEY");
	cr_expect_eq(sinmun(&out, &err, "weather", "fetch", "--db", db, NULL), 1);
	cr_expect(strstr(err.p, "no KMA key") != NULL, "%s", err.p);
	buf_free(&out); buf_free(&err);
	tu_tmp_path(missing, sizeof missing, ".db");
	fixture_path(path, sizeof path, "sfctm2-2025112509.txt");
	/* A database that does not exist yet is made, and the command says so. */
	cr_expect_eq(sinmun(&out, &err, "weather", "ingest", "--db", missing, path, NULL), 0, "%s", err.p);
	cr_expect(strstr(err.p, "created ") != NULL, "%s", err.p);
	cr_expect(strstr(out.p, "101 춘천 2025.11.25 09:00 흐림 5.7℃") != NULL, "%s", out.p);
	buf_free(&out); buf_free(&err);
	tu_rm_db(missing);
	tu_rm_db(db);
}

static char *
cfg_file(const char *text)
{
	static char path[128];

	tu_tmp_path(path, sizeof path, ".ini");
	write_file(path, text);
	return path;
}

Test(weather_config, keys_defaults_and_bounds)
{
	struct config c;
	char err[512], *p;
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "[weather]\nurl = ftp://kma.example/x\n", ":2: 'url' must be an http:// or https:// URL" },
		{ "[weather]\nurl = https://\n", ":2: 'url'" },
		{ "[weather]\nurl = https://a.example/x y\n", ":2: 'url'" },
		{ "[weather]\nkey = two words\n", ":2: 'key' must be printable ASCII" },
		{ "[weather]\ninterval = 0\n", ":2: 'interval' must be a whole number from 1 to 86400" },
		{ "[weather]\nstale_after = 59\n", ":2: 'stale_after' must be a whole number from 60" },
		{ "[weather]\ntimeout = 301\n", ":2: 'timeout' must be a whole number from 1 to 300" },
		{ "[weather]\nretries = 11\n", ":2: 'retries' must be a whole number from 0 to 10" },
		{ "[weather]\nstations = 101:춘천\n", ":2: unknown key 'stations' in [weather]" },
	};
	size_t i;

	unsetenv("SINMUN_KMA_KEY");
	config_defaults(&c);
	cr_expect_str_eq(c.weather_url, "https://apihub.kma.go.kr/api/typ01/url/kma_sfctm2.php");
	cr_expect_str_eq(c.weather_key, "");
	cr_expect_eq(c.weather_interval, 600);
	cr_expect_eq(c.weather_stale_after, 10800);
	cr_expect_gt(c.weather_timeout, 0);
	cr_expect_geq(c.weather_retries, 0);

	p = cfg_file("[weather]\nurl = http://127.0.0.1:9/kma\nkey = abc-DEF_123\ninterval = 60\n"
	    "stale_after = 7200\ntimeout = 5\nretries = 3\n");
	cr_assert_eq(config_load(&c, p, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(c.weather_url, "http://127.0.0.1:9/kma");
	cr_expect_str_eq(c.weather_key, "abc-DEF_123");
	cr_expect_eq(c.weather_interval, 60);
	cr_expect_eq(c.weather_stale_after, 7200);
	cr_expect_eq(c.weather_timeout, 5);
	cr_expect_eq(c.weather_retries, 3);
	unlink(p);

	/* The environment gives the key; an empty key in the file keeps it,
	 * a key in the file wins. */
	setenv("SINMUN_KMA_KEY", "from-env", 1);
	config_defaults(&c);
	cr_expect_str_eq(c.weather_key, "from-env");
	p = cfg_file("[weather]\nkey =\n");
	cr_assert_eq(config_load(&c, p, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(c.weather_key, "from-env");
	unlink(p);
	p = cfg_file("[weather]\nkey = from-file\n");
	cr_assert_eq(config_load(&c, p, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(c.weather_key, "from-file");
	unlink(p);
	setenv("SINMUN_KMA_KEY", "not a key", 1);
	log_set_level(LOG_ERROR);   /* the warning is expected; keep the test output clean */
	config_defaults(&c);
	log_set_level(LOG_INFO);
	cr_expect_str_eq(c.weather_key, "", "an invalid key from the environment is not used");
	unsetenv("SINMUN_KMA_KEY");

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = cfg_file(bad[i].text);
		config_defaults(&c);
		cr_expect_eq(config_load(&c, p, err, sizeof err), -1, "case %zu accepted", i);
		cr_expect(strstr(err, bad[i].want) != NULL, "case %zu: '%s' lacks '%s'", i, err, bad[i].want);
		cr_expect(strstr(err, "two words") == NULL, "case %zu echoes the key: %s", i, err);
		unlink(p);
	}
}

/* The example file documents every [weather] key with its default. */
Test(weather_config, example_file_loads)
{
	struct config c, d;
	char err[512];

	unsetenv("SINMUN_KMA_KEY");
	config_defaults(&c);
	config_defaults(&d);
	cr_assert_eq(config_load(&c, "sinmun.example.ini", err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(c.weather_url, d.weather_url);
	cr_expect_str_eq(c.weather_key, d.weather_key);
	cr_expect_eq(c.weather_interval, d.weather_interval);
	cr_expect_eq(c.weather_stale_after, d.weather_stale_after);
	cr_expect_eq(c.weather_timeout, d.weather_timeout);
	cr_expect_eq(c.weather_retries, d.weather_retries);
}

/* ------------------------------------------------------------------ */
/* Pieces                                                              */

Test(weather_pieces, wind_words)
{
	static const struct {
		int         deg;
		const char *word;
	} t[] = {
		{ 360, "북" }, { 10, "북" }, { 11, "북" }, { 12, "북북동" }, { 20, "북북동" },
		{ 45, "북동" }, { 70, "동북동" }, { 90, "동" }, { 110, "동남동" }, { 140, "남동" },
		{ 160, "남남동" }, { 180, "남" }, { 200, "남남서" }, { 220, "남서" }, { 250, "서남서" },
		{ 270, "서" }, { 290, "서북서" }, { 320, "북서" }, { 340, "북북서" }, { 348, "북북서" },
		{ 349, "북" }, { 0, "" }, { -10, "" }, { 361, "" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		cr_expect_str_eq(weather_wind_word(t[i].deg), t[i].word, "%d degrees", t[i].deg);
}

Test(weather_pieces, station_setting)
{
	static const struct {
		const char *setting;
		const char *want;     /* "stn:name stn:name" */
		const char *warn;     /* substring, "" for none */
	} t[] = {
		{ "101:춘천 108:서울", "101:춘천 108:서울", "" },
		{ "  283:경주시\n\t101:춘천  ", "283:경주시 101:춘천", "" },
		{ "", "", "" },
		{ "101:춘천 101:또춘천", "101:춘천", "repeated station '101:" },
		{ "abc:x 101:춘천", "101:춘천", "entry is not ID:NAME: 'abc:x'" },
		{ "101: 108:서울", "108:서울", "bad station name" },
		{ "123456:x 108:서울", "108:서울", "not ID:NAME" },
		{ "0:x", "", "station id 0" },
		{ "-5:x", "", "not ID:NAME" },
		{ "101:\xff\xfe", "", "bad station name" },
		{ "101:\xed\xa0\x80", "", "bad station name" },
		{ "101:춘천:시", "101:춘천:시", "" },
	};
	struct weather_station *v;
	struct buf b = BUF_INIT;
	char warn[256];
	size_t i, k, n;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_assert_eq(weather_stations_parse(t[i].setting, &v, &n, warn, sizeof warn), 0);
		buf_init(&b, 4096);
		buf_puts(&b, "");
		for (k = 0; k < n; k++)
			buf_printf(&b, "%s%d:%s", k ? " " : "", v[k].stn, v[k].name);
		cr_expect_str_eq(b.p, t[i].want, "case %zu", i);
		if (t[i].warn[0])
			cr_expect(strstr(warn, t[i].warn) != NULL, "case %zu: '%s' lacks '%s'", i, warn, t[i].warn);
		else
			cr_expect_str_eq(warn, "", "case %zu", i);
		buf_free(&b);
		free(v);
	}
	/* Not set at all: the 21 stations of the reference page. */
	cr_assert_eq(weather_stations_parse(NULL, &v, &n, warn, sizeof warn), 0);
	cr_expect_eq(n, 21);
	cr_expect_eq(v[0].stn, 101);
	cr_expect_str_eq(v[20].name, "경주시");
	free(v);
	/* KMA's own names come from the default table. */
	cr_assert_eq(weather_stations_parse("283:경주 999:새곳", &v, &n, NULL, 0), 0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(v[0].kma_name, "경주시");
	cr_expect_str_eq(v[1].kma_name, "새곳");
	free(v);
	/* At most WEATHER_MAX_STATIONS. */
	buf_init(&b, 1 << 20);
	for (k = 1; k <= WEATHER_MAX_STATIONS + 5; k++)
		buf_printf(&b, "%zu:곳%zu ", k, k);
	cr_assert_eq(weather_stations_parse(b.p, &v, &n, warn, sizeof warn), 0);
	cr_expect_eq(n, WEATHER_MAX_STATIONS);
	cr_expect(strstr(warn, "more than 128 stations") != NULL, "%s", warn);
	free(v);
	buf_free(&b);
}

Test(weather_pieces, the_key_is_scrubbed)
{
	static const struct {
		const char *in;
		const char *out;
	} t[] = {
		{ "GET /x?authKey=" KEY "&a=1 failed", "GET /x?authKey=[key]&a=1 failed" },
		{ KEY " and " KEY, "[key] and [key]" },
		{ "quoted '" "sinmunTESTkey_Q" "...'", "quoted '[key]...'" },
		{ "nothing here", "nothing here" },
		{ "sinmunTEST alone is not the key", "sinmunTEST alone is not the key" },
	};
	char msg[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(msg, sizeof msg, "%s", t[i].in);
		weather_scrub_key(msg, sizeof msg, KEY);
		cr_expect_str_eq(msg, t[i].out, "case %zu", i);
	}
	/* Percent-encoded as sent. */
	snprintf(msg, sizeof msg, "k=a%%2Bb%%2Fc");
	weather_scrub_key(msg, sizeof msg, "a+b/c");
	cr_expect_str_eq(msg, "k=[key]");
}

/*
 * test_http.c - the real server over loopback: every page and every error
 * status, data-driven from the files tests/cases/http/NAME.case, plus keep-alive,
 * limits, the access log and a clean stop on SIGTERM.
 *
 * Case file format (one directive a line, '#' comments):
 *   request METHOD TARGET          required, first
 *   header NAME: VALUE             request header (repeatable)
 *   body-bytes N                   send a body of N bytes of 'x'
 *   status N                       expected status
 *   has-header NAME: PART          a response header NAME containing PART
 *   contains TEXT                  the body contains TEXT
 *   lacks TEXT                     the body does not contain TEXT
 *   body-empty                     the body is empty
 */
#include <criterion/criterion.h>
#include <sched.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static struct test_server srv;
static char db[128];

static void
start(void)
{
	const char *extra[] = { "--demo", NULL };

	tu_tmp_path(db, sizeof db, ".db");
	cr_assert_eq(tu_server_start(&srv, db, extra), 0, "server did not start (binary %s)", tu_bin());
}

static void
stop(void)
{
	tu_server_stop(&srv);
	tu_rm_db(db);
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

/* Runs one case file; returns the number of failed expectations. */
static int
run_case(const char *path)
{
	char line[4096], method[16] = "", target[4096] = "", *p, *arg;
	const char *headers[16];
	char hstore[16][512];
	size_t nh = 0, body_bytes = 0;
	char *body = NULL;
	struct tu_response r;
	int failures = 0, sent = 0;
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof line, f)) {
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		arg = strchr(p, ' ');
		if (arg)
			*arg++ = '\0';
		else
			arg = p + strlen(p);
		if (strcmp(p, "request") == 0) {
			char *sp = strchr(arg, ' ');

			cr_assert_not_null(sp, "%s: request METHOD TARGET", path);
			*sp = '\0';
			snprintf(method, sizeof method, "%s", arg);
			snprintf(target, sizeof target, "%s", sp + 1);
			continue;
		}
		if (strcmp(p, "header") == 0 && nh < 15) {
			snprintf(hstore[nh], sizeof hstore[nh], "%s", arg);
			headers[nh] = hstore[nh];
			nh++;
			continue;
		}
		if (strcmp(p, "body-bytes") == 0) {
			body_bytes = strtoul(arg, NULL, 10);
			continue;
		}
		if (!sent) {
			headers[nh] = NULL;
			if (body_bytes) {
				body = malloc(body_bytes);
				memset(body, 'x', body_bytes);
			}
			cr_assert_eq(tu_http(srv.port, method, target, headers, body, body_bytes, &r), 0,
			    "%s: no HTTP answer", path);
			sent = 1;
		}
		if (strcmp(p, "status") == 0) {
			if (r.status != strtol(arg, NULL, 10)) {
				cr_expect_fail("%s: status %ld, want %s", path, r.status, arg);
				failures++;
			}
		} else if (strcmp(p, "has-header") == 0) {
			char *colon = strchr(arg, ':');

			cr_assert_not_null(colon, "%s: has-header NAME: PART", path);
			*colon = '\0';
			if (!tu_header_has(&r, arg, trim(colon + 1))) {
				cr_expect_fail("%s: no header %s containing '%s' in\n%s", path, arg,
				    trim(colon + 1), r.headers.p);
				failures++;
			}
		} else if (strcmp(p, "contains") == 0) {
			if (strstr(r.body.p, arg) == NULL) {
				cr_expect_fail("%s: body lacks '%s'", path, arg);
				failures++;
			}
		} else if (strcmp(p, "lacks") == 0) {
			if (strstr(r.body.p, arg) != NULL) {
				cr_expect_fail("%s: body contains '%s'", path, arg);
				failures++;
			}
		} else if (strcmp(p, "body-empty") == 0) {
			if (r.body.len != 0) {
				cr_expect_fail("%s: body is %zu bytes, want none", path, r.body.len);
				failures++;
			}
		} else {
			cr_assert_fail("%s: unknown directive '%s'", path, p);
		}
	}
	fclose(f);
	cr_assert(sent, "%s: no expectations", path);
	tu_response_free(&r);
	free(body);
	return failures;
}

Test(http, cases, .init = start, .fini = stop, .timeout = 120)
{
	const char *dir = "tests/cases/http";
	struct dirent **names;
	char path[512];
	int n, i, ran = 0, failed = 0;

	n = scandir(dir, &names, NULL, alphasort);
	cr_assert_gt(n, 0, "no cases in %s", dir);
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 5 && strcmp(names[i]->d_name + len - 5, ".case") == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			if (run_case(path))
				failed++;
			ran++;
		}
		free(names[i]);
	}
	free(names);
	printf("http cases: %d run, %d failed\n", ran, failed);
	cr_expect_geq(ran, 30, "expected at least 30 cases, found %d", ran);
}

Test(http, keep_alive_reuses_the_connection, .init = start, .fini = stop)
{
	struct tu_response r;
	int i;

	cr_assert_eq(tu_http(srv.port, "GET", "/", NULL, NULL, 0, &r), 0);
	tu_response_free(&r);
	for (i = 0; i < 5; i++) {
		cr_assert_eq(tu_http(srv.port, "GET", "/articles/1001", NULL, NULL, 0, &r), 0);
		cr_expect_eq(r.status, 200);
		cr_expect_eq(r.connects, 0, "request %d opened a new connection", i);
		tu_response_free(&r);
	}
}

Test(http, oversized_requests, .init = start, .fini = stop)
{
	struct tu_response r;
	char *big, hdr[20000];
	const char *headers[2];

	/* A target over 8 KiB: 414. */
	big = malloc(9000);
	memset(big, 'a', 8999);
	big[0] = '/';
	big[8999] = '\0';
	cr_assert_eq(tu_http(srv.port, "GET", big, NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 414);
	tu_response_free(&r);
	free(big);
	/* Headers over 16 KiB: 431. */
	memcpy(hdr, "X-Big: ", 7);
	memset(hdr + 7, 'b', 17000);
	hdr[17007] = '\0';
	headers[0] = hdr;
	headers[1] = NULL;
	cr_assert_eq(tu_http(srv.port, "GET", "/", headers, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 431);
	tu_response_free(&r);
	/* A body over 1 MiB: 413. */
	big = malloc(2 << 20);
	memset(big, 'x', 2 << 20);
	cr_assert_eq(tu_http(srv.port, "POST", "/", NULL, big, 2 << 20, &r), 0);
	cr_expect_eq(r.status, 413);
	tu_response_free(&r);
	free(big);
	/* The server still answers. */
	cr_assert_eq(tu_http(srv.port, "GET", "/healthz", NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	tu_response_free(&r);
}

/* Reads the server's log (its stdout and stderr) into out. */
static void
read_log(const struct test_server *s, char *out, size_t outlen)
{
	FILE *f = fopen(s->log, "r");
	size_t n;

	cr_assert_not_null(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
}

Test(http, access_log_and_clean_stop)
{
	struct test_server s;
	struct tu_response r;
	const char *extra[] = { "--demo", NULL };
	char dbp[128], logcopy[8192];
	const char *ua[] = { "User-Agent: test \"agent\"", "Referer: http://ref.example/", NULL };
	int rc;

	tu_tmp_path(dbp, sizeof dbp, ".db");
	cr_assert_eq(tu_server_start(&s, dbp, extra), 0);
	cr_assert_eq(tu_http(s.port, "GET", "/sections/economy?page=1", ua, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	tu_response_free(&r);
	/* Read the log before stopping (stop removes it). */
	read_log(&s, logcopy, sizeof logcopy);
	cr_expect(strstr(logcopy, "127.0.0.1 - - [") != NULL, "combined log line in:\n%s", logcopy);
	cr_expect(strstr(logcopy, "+0900] \"GET /sections/economy?page=1 HTTP/1.1\" 200 ") != NULL,
	    "request line and status in:\n%s", logcopy);
	cr_expect(strstr(logcopy, "\"http://ref.example/\" \"test \\x22agent\\x22\"") != NULL,
	    "referer and escaped user agent in:\n%s", logcopy);
	rc = tu_server_stop(&s);
	cr_expect_eq(rc, 0, "SIGTERM must stop the server with status 0, got %d", rc);
	tu_rm_db(dbp);
}

/* The server's log once it has said what it serves with: the loops may
 * answer a first request before the main thread has written that line. */
static void
read_log_serving(const struct test_server *s, char *out, size_t outlen)
{
	int i;

	for (i = 0; i < 100; i++) {
		read_log(s, out, outlen);
		if (strstr(out, "render threads") != NULL)
			return;
		usleep(50 * 1000);
	}
}

/* Without --threads, one event loop per CPU the server may run on: its
 * affinity mask (taskset, a cpuset), not the machine's core count; two
 * render threads per CPU. */
Test(http, event_loops_follow_the_cpus_it_may_use)
{
	struct test_server s;
	const char *extra[] = { "--demo", NULL };
	char dbp[128], log[8192], want[64];
	cpu_set_t all, one;
	int first = -1, i, n;

	cr_assert_eq(sched_getaffinity(0, sizeof all, &all), 0);
	for (i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &all))
			first = i;
	n = CPU_COUNT(&all) > 64 ? 64 : CPU_COUNT(&all);
	tu_tmp_path(dbp, sizeof dbp, ".db");

	/* The server inherits the mask of the thread that starts it. */
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof one, &one), 0);
	i = tu_server_start(&s, dbp, extra);
	cr_assert_eq(sched_setaffinity(0, sizeof all, &all), 0);
	cr_assert_eq(i, 0);
	read_log_serving(&s, log, sizeof log);
	cr_expect(strstr(log, "with 1 event loop and 2 render threads") != NULL,
	    "one CPU, one loop and two render threads:\n%s", log);
	cr_expect_eq(tu_server_stop(&s), 0);

	cr_assert_eq(tu_server_start(&s, dbp, extra), 0);
	read_log_serving(&s, log, sizeof log);
	snprintf(want, sizeof want, "with %d event loop%s and %d render threads", n, n == 1 ? "" : "s", 2 * n);
	cr_expect(strstr(log, want) != NULL, "%d CPUs, %d loops:\n%s", n, n, log);
	cr_expect_eq(tu_server_stop(&s), 0);
	tu_rm_db(dbp);
}

/* ---- the command line ---- */

static int
run(const char *const *argv, struct buf *err)
{
	struct buf out = BUF_INIT;
	int rc;

	buf_reset(err);
	rc = tu_run(argv, &out, err);
	buf_free(&out);
	return rc;
}

/* An error is exactly one line on stderr. */
static void
expect_one_line(const struct buf *err, const char *part)
{
	const char *nl = strchr(err->p, '\n');

	cr_expect(nl != NULL && nl[1] == '\0', "stderr must be one line, got:\n%s", err->p);
	cr_expect(strstr(err->p, part) != NULL, "stderr '%s' lacks '%s'", err->p, part);
}

Test(cli, errors_are_one_line)
{
	struct buf err = BUF_INIT;
	char dbp[128], cfg[128], port[32];
	const char *bin = tu_bin();
	struct test_server s;
	const char *extra[] = { "--demo", NULL };
	FILE *f;

	{
		const char *argv[] = { bin, "serve", "--bogus", NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "unknown option '--bogus'");
	}
	{
		const char *argv[] = { bin, "serve", "--threads", "65", NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "--threads must be a number from 0 (one per CPU) to 64");
	}
	{
		const char *argv[] = { bin, "frobnicate", NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "unknown command 'frobnicate'");
	}
	{
		const char *argv[] = { bin, "serve", "--db", "/nonexistent/dir/x.db", NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "no such database");
	}
	/* A corrupt database. */
	tu_tmp_path(dbp, sizeof dbp, ".db");
	f = fopen(dbp, "w");
	fputs("SQLite format 3\nbut then garbage follows, page after page of it.................", f);
	for (int i = 0; i < 200; i++)
		fputs("garbage garbage garbage garbage garbage garbage garbage garbage\n", f);
	fclose(f);
	{
		const char *argv[] = { bin, "serve", "--db", dbp, NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, dbp);
	}
	/* An unreadable database (not as root: root reads everything). */
	if (geteuid() != 0) {
		chmod(dbp, 0);
		const char *argv[] = { bin, "serve", "--db", dbp, NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "Permission denied");
	}
	tu_rm_db(dbp);
	/* A bad config line names the line. */
	tu_tmp_path(cfg, sizeof cfg, ".ini");
	f = fopen(cfg, "w");
	fputs("[server]\nlisten = 127.0.0.1:8080\nthreds = 2\n", f);
	fclose(f);
	{
		const char *argv[] = { bin, "serve", "--config", cfg, NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, ":3: unknown key 'threds' in [server]");
	}
	unlink(cfg);
	/* The port in use. */
	tu_tmp_path(dbp, sizeof dbp, ".db");
	cr_assert_eq(tu_server_start(&s, dbp, extra), 0);
	snprintf(port, sizeof port, "127.0.0.1:%d", s.port);
	{
		const char *argv[] = { bin, "serve", "--db", dbp, "--listen", port, NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "the port is in use");
	}
	tu_server_stop(&s);
	tu_rm_db(dbp);
	{
		const char *argv[] = { bin, "init", NULL };
		cr_expect_neq(run(argv, &err), 0);
		expect_one_line(&err, "--db PATH is required");
	}
	buf_free(&err);
}

Test(cli, help_on_every_command)
{
	const char *cmds[] = { "serve", "init", "user", "search", "import", "bench-data", "weather",
		"export", NULL };
	struct buf out = BUF_INIT, err = BUF_INIT;
	int i;

	for (i = 0; cmds[i]; i++) {
		const char *argv[] = { tu_bin(), cmds[i], "--help", NULL };

		buf_reset(&out);
		buf_reset(&err);
		cr_expect_eq(tu_run(argv, &out, &err), 0, "%s --help", cmds[i]);
		cr_expect(strstr(out.p, "usage: sinmun") != NULL, "%s --help prints usage", cmds[i]);
	}
	buf_free(&out);
	buf_free(&err);
}

Test(cli, init_demo_then_reopen)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	char dbp[128];
	struct stat sb;

	tu_tmp_path(dbp, sizeof dbp, ".db");
	{
		const char *argv[] = { tu_bin(), "init", "--db", dbp, "--demo", NULL };
		cr_expect_eq(tu_run(argv, &out, &err), 0, "%s", err.p);
	}
	cr_expect_eq(stat(dbp, &sb), 0);
	{
		const char *argv[] = { tu_bin(), "init", "--db", dbp, NULL };
		cr_expect_eq(tu_run(argv, &out, &err), 0, "re-init migrates and succeeds: %s", err.p);
	}
	tu_rm_db(dbp);
	buf_free(&out);
	buf_free(&err);
}

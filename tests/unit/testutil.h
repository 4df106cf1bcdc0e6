/*
 * testutil.h - helpers shared by the tests that run the real binary: start
 * a server on a free loopback port, make HTTP requests with libcurl, run a
 * command and collect its exit status and stderr.
 */
#ifndef SINMUN_TESTUTIL_H
#define SINMUN_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"

struct test_server {
	pid_t pid;
	int   port;
	char  db[128];
	char  log[128];      /* the server's stdout+stderr */
};

/* The binary under test ($SINMUN_BIN, default build/sinmun). */
const char *tu_bin(void);
/* A fresh temporary path (not created); remove with tu_rm_db(). */
void tu_tmp_path(char *out, size_t len, const char *suffix);
void tu_rm_db(const char *path);
/* A loopback port nobody listens on right now. */
int tu_free_port(void);

/* Starts 'sinmun serve --db DB --listen 127.0.0.1:PORT' plus extra args
 * (NULL-terminated), waits until /healthz answers.  0 on success. */
int tu_server_start(struct test_server *, const char *db, const char *const *extra);
/* SIGTERM, wait; returns the exit status (or -1). */
int tu_server_stop(struct test_server *);

struct tu_response {
	long       status;
	struct buf headers;   /* raw header lines, names as sent */
	struct buf body;
	long       connects;  /* new connections curl opened for this request */
};

/*
 * One request on a curl handle kept per process (so keep-alive can be
 * observed).  headers: NULL-terminated "Name: value" lines, may be NULL.
 * body may be NULL.  Returns 0 when an HTTP answer came back.
 */
int tu_http(int port, const char *method, const char *target, const char *const *headers,
    const char *body, size_t bodylen, struct tu_response *out);
void tu_response_free(struct tu_response *);
/* Case-insensitive search for "name: value-substring" in the headers. */
int tu_header_has(const struct tu_response *, const char *name, const char *value_part);

/* Runs argv (argv[0] is the binary), stdin from /dev/null; collects
 * stdout and stderr; returns the exit status (128+signal if killed). */
int tu_run(const char *const *argv, struct buf *out, struct buf *err);
/* The same with input as standard input (NULL: /dev/null). */
int tu_run_stdin(const char *const *argv, const char *input, struct buf *out, struct buf *err);

/* ---- the newsroom ---- */

/* 'sinmun user add' with the password piped in; 0 on success. */
int tu_user_add(const char *db, const char *email, const char *name, const char *role,
    const char *password);

/* A logged-in newsroom browser: its cookie header and its CSRF token. */
struct tu_session {
	char cookie[256];    /* "Cookie: sinmun_session=..." */
	char csrf[128];
};

/*
 * Logs in as a browser does: GET /admin/login (the login form's CSRF
 * token and cookie), POST /admin/login, then GET /admin for the session's
 * CSRF token.  Returns the POST's status (303 on success), or -1 when no
 * answer came; s is filled on success.
 */
int tu_login(int port, const char *email, const char *password, struct tu_session *s);

/* The value of cookie name in a response's Set-Cookie headers, into out;
 * 0 when found. */
int tu_set_cookie(const struct tu_response *, const char *name, char *out, size_t len);
/* The value="..." of the first <input name="NAME" ...> in an HTML body
 * (attribute order: name before value), into out; 0 when found. */
int tu_form_value(const char *html, const char *name, char *out, size_t len);

#endif

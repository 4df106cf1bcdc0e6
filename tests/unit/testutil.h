/*
 * testutil.h - helpers shared by the tests that run the real binary: start
 * a server on a free loopback port, make HTTP requests with libcurl, run a
 * command and collect its exit status and stderr; for the newsroom's
 * tests, accounts, logins, forms and the test database (at the end).
 */
#ifndef SINMUN_TESTUTIL_H
#define SINMUN_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"

struct store;

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

/*
 * ---- the newsroom's tests ----
 *
 * The helpers below assert with Criterion (a failure ends the test), so
 * they are for a test or its .init/.fini.  One version of what every
 * newsroom test file needs: a fresh database with accounts and a server
 * on it, requests as a logged-in browser, forms, and reading the test
 * database beside the running server.
 */

/* An account for tu_users_add(); lists end with { NULL }. */
struct tu_account {
	const char *email, *name, *role;
};

/* 'sinmun init' (with --demo when demo is set) on a fresh temporary path,
 * written into db. */
void tu_init_db(char *db, size_t len, int demo);
/* tu_user_add() of every account of people, all with password. */
void tu_users_add(const char *db, const struct tu_account *people, const char *password);
/* tu_init_db(), tu_users_add(), then the server on that database. */
void tu_newsroom_start(struct test_server *, char *db, size_t len, int demo,
    const struct tu_account *people, const char *password);
/* tu_login() that must succeed (303) and give a CSRF token. */
void tu_login_ok(int port, const char *email, const char *password, struct tu_session *s);

/* s percent-encoded for a form body (application/x-www-form-urlencoded);
 * the result lives in one of four static buffers, reused in turn. */
const char *tu_esc(const char *s);
/* Appends name=value to a form body being built, value percent-encoded. */
void tu_form_add(struct buf *body, const char *name, const char *value);
/*
 * One request as session s (NULL: no cookie); form, when not NULL, is sent
 * as an application/x-www-form-urlencoded body of len bytes.  Asserts
 * that an answer came; returns its status.  The response is the caller's
 * to free.
 */
long tu_request(int port, const struct tu_session *s, const char *method, const char *path,
    const char *form, size_t len, struct tu_response *r);
/* GET as session s (NULL: anonymous). */
long tu_get(int port, const struct tu_session *s, const char *path, struct tu_response *r);
/* POST a form as s with its CSRF token: "csrf=TOKEN", then "&" and the
 * fields fmt makes (already encoded: "name=%s&..."); fmt NULL: no more. */
long tu_post_csrf(int port, const struct tu_session *s, const char *path, struct tu_response *r,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
long tu_vpost_csrf(int port, const struct tu_session *s, const char *path, struct tu_response *r,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* The test database, read and written beside the running server, each
 * call through a connection of its own (busy timeout 5 s; the server's
 * WAL lets another connection in). */
/* The first column of the first row of sql (read-only) as an integer, -1
 * when there is no row; a ?1 in sql is bound to id. */
long long tu_db_int(const char *db, const char *sql, long long id);
/* The same as text ("" when no row or NULL), in a static buffer that the
 * next call reuses. */
const char *tu_db_text(const char *db, const char *sql, long long id);
/* Runs sql (read-write): SQLite's result code, its message into err (when
 * not NULL) on failure. */
int tu_db_exec(const char *db, const char *sql, char *err, size_t len);

/* The store on db (store_open's flags: STORE_OPEN_CREATE makes it). */
struct store *tu_store_open(const char *db, int flags);
/* A new store on a fresh temporary path (written into db), with the
 * sanitizer's plain text for the search index as the server has it. */
struct store *tu_store_new(char *db, size_t len);
/* The ids of the articles search finds for q (every match), as a comma
 * list, "" for none; in a static buffer that the next call reuses. */
const char *tu_search_ids(struct store *, const char *q);

#endif

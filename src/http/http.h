/*
 * http.h - requests, responses and the server, as the rest of sinmun sees
 * them.
 *
 * Handlers (site, admin, api) get a struct http_req and fill a struct
 * http_res; they never see the server library.  The server (server.c)
 * runs libh2o's event loop, one loop per worker thread, chosen over
 * libmicrohttpd by measurement (docs/benchmarks.md).  Requests are taken
 * by event-loop threads, which answer what they can at once (cached pages)
 * and hand the rest to render threads, so a slow database call never
 * stalls a cached page.  Handlers only see these structs.
 *
 * Memory: everything in a request (its strings, decoded parameters) lives
 * in req->arena until the response has been sent.
 */
#ifndef SINMUN_HTTP_HTTP_H
#define SINMUN_HTTP_HTTP_H

#include <stddef.h>
#include <time.h>

#include "core/buf.h"

struct arena;

/* Limits, each with its own status. */
#define HTTP_MAX_TARGET       8192          /* request target: 414 */
#define HTTP_MAX_HEADER_BYTES (16u << 10)   /* all header names+values: 431 */
#define HTTP_MAX_HEADERS      100           /* header count: 431 */
#define HTTP_MAX_BODY         (1u << 20)    /* request body: 413 */
#define HTTP_MAX_PARAMS       64            /* query/form fields: 400 */

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP_METHOD__MAX
};

struct http_header {
	struct str name;       /* lower case */
	struct str value;
};

struct http_param {
	const char *name;      /* decoded, NUL-terminated, valid UTF-8 */
	const char *value;
};

struct http_req {
	struct arena        *arena;
	enum http_method     method;
	struct str           method_name;
	struct str           target;     /* path and query as received */
	struct str           path;       /* target before '?', still encoded */
	struct str           query;      /* after '?', may be empty */
	struct http_header  *headers;
	size_t               nheaders;
	struct str           body;
	char                 remote[64]; /* peer address */
	time_t               now;        /* when the request arrived */
};

#define HTTP_RES_MAX_HEADERS 24

struct http_res {
	int                  status;
	const char          *content_type;  /* NULL: no Content-Type */
	struct http_header   headers[HTTP_RES_MAX_HEADERS];
	size_t               nheaders;
	struct buf           body;          /* owned by the server; freed after send */
	/* A body owned elsewhere (a cache entry), sent instead of body without
	 * a copy; ext_release(ext_arg) runs once the server is done with it. */
	const void          *ext_body;
	size_t               ext_len;
	void               (*ext_release)(void *);
	void                *ext_arg;
};

/* The value of header lname (lower case), or a NULL str. */
struct str http_req_header(const struct http_req *, const char *lname);
/* The value of cookie name in the Cookie header(s), or a NULL str (the
 * first one when a name is sent twice). */
struct str http_req_cookie(const struct http_req *, const char *name);

/* Adds a response header; name and value must outlive the response
 * (literals or the request's arena).  Extra headers past the cap are
 * dropped with a log line - a bug, never input. */
void http_res_header(struct http_res *, const char *name, const char *value);

const char *http_status_reason(int status);
const char *http_method_name(enum http_method);

/*
 * Percent-decodes s (query form: '+' is a space when plus is set).
 * Returns NULL for a bad escape, an encoded NUL or invalid UTF-8.
 */
char *http_decode(struct arena *, struct str s, int plus);

/*
 * Splits an application/x-www-form-urlencoded string (a query or a form
 * body).  Returns 0, or -1 when it is malformed or has too many fields.
 */
int http_params_parse(struct arena *, struct str s, struct http_param **out, size_t *n);
/* The first value of name, or NULL. */
const char *http_param(const struct http_param *, size_t n, const char *name);

/* The request's path decoded, or NULL when it cannot be (bad escapes,
 * NUL, invalid UTF-8). */
const char *http_req_path(struct http_req *);

/* ---- the server ---- */

struct http_app {
	/* Called once in each thread before it serves (event-loop threads,
	 * then render threads); returns the thread's context or NULL with err
	 * set (the server then fails). */
	void *(*thread_init)(void *arg, int idx, char *err, size_t errlen);
	void  (*thread_fini)(void *tctx);
	/* On the event-loop thread: answers at once what needs no slow work
	 * (a cached page) and returns 1, or returns 0 to have the request
	 * handed to a render thread.  May be NULL. */
	int   (*fast)(void *tctx, struct http_req *, struct http_res *);
	/* On a render thread: answers one request.  res->status starts at 200,
	 * the body empty. */
	void  (*handle)(void *tctx, struct http_req *, struct http_res *);
	void   *arg;
};

#define HTTP_MAX_THREADS 64

struct http_server_opts {
	const char *host;          /* "127.0.0.1", "::1", "0.0.0.0" */
	int         port;
	int         threads;       /* event-loop threads; 0: http_default_threads() */
	int         render_threads;/* threads that make pages the loops could not answer;
	                              0: two per http_default_threads() */
	int         access_log_fd; /* -1: no access log */
};

/*
 * Binds, then serves until SIGINT or SIGTERM; returns 0 after a clean
 * stop, or non-zero with one line for the operator in err (for example
 * the port is in use).
 */
int http_serve(const struct http_server_opts *, const struct http_app *, char *err, size_t errlen);

/* The number of CPUs this process may run on (1 to HTTP_MAX_THREADS). */
int http_default_threads(void);

/* Parses an HTTP date (IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT").
 * 0 and *t, or -1. */
int http_date_parse(const char *s, size_t len, time_t *t);

/* Writes one access-log line (combined log format) for a finished request. */
void http_access_log(int fd, const struct http_req *, int status, size_t bytes);

#endif

/*
 * server.c - the HTTP server: libh2o's event loop, one loop per worker
 * thread, all loops accepting from one listening socket.
 *
 * One socket rather than SO_REUSEPORT per thread: with SO_REUSEPORT a
 * second sinmun started on the same port would silently share it instead
 * of failing with "address in use".
 *
 * Each request is converted to a struct http_req (http.h), answered by the
 * application's handler, and the struct http_res sent back.  Limits that
 * h2o does not enforce the way we want (target length, header bytes and
 * count) are checked here before the handler runs; h2o itself answers 413
 * for bodies over max_request_entity_size.
 *
 * Signals: SIGINT and SIGTERM are blocked in every thread and taken by
 * sigwait() in the thread that called http_serve(); it sets a flag the
 * loops see within LOOP_TICK_MS, they stop accepting, let h2o close idle
 * keep-alive connections, and return.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The Debian package builds the evloop flavour but its .pc file does not
 * say so; the Makefile defines it for every file, this for any other build. */
#ifndef H2O_USE_LIBUV
#define H2O_USE_LIBUV 0
#endif
#include <h2o.h>
#include <h2o/multithread.h>

#include "core/arena.h"
#include "core/log.h"

#define LOOP_TICK_MS   200
#define DRAIN_MS       1000
/* glibc gives the top of a thread's heap back to the kernel (madvise)
 * whenever more than 128 KiB of it is free: with a page body freed after
 * every response, that was a madvise and then page faults on the next
 * request, 3% of a cold article page.  Up to 1 MiB a heap is kept. */
#define MALLOC_TRIM_BYTES (1 << 20)

struct server;

struct worker {
	struct server     *srv;
	int                idx;
	h2o_context_t      ctx;
	h2o_multithread_queue_t   *queue;     /* finished jobs come back here */
	h2o_multithread_receiver_t receiver;
	h2o_accept_ctx_t   accept_ctx;
	h2o_socket_t      *listener;
	void              *tctx;
	pthread_t          tid;
	int                started;
	char               err[256];
};

struct renderer {
	struct server     *srv;
	int                idx;
	void              *tctx;
	pthread_t          tid;
	int                started;
	char               err[256];
};

struct server {
	const struct http_server_opts *opts;
	const struct http_app         *app;
	h2o_globalconf_t               config;
	int                            fd;
	atomic_int                     stopping;
	atomic_int                     ready;    /* threads that finished init */
	atomic_int                     failed;
	struct worker                 *workers;
	struct renderer               *renderers;
	int                            nrender;
	/* The render queue: jobs the loops could not answer at once. */
	pthread_mutex_t                qlock;
	pthread_cond_t                 qcond;
	struct job                    *qhead, *qtail;
	int                            render_stop;
};

struct job;

struct sinmun_handler {
	h2o_handler_t  super;
	struct server *srv;
};

static enum http_method
method_of(h2o_iovec_t m)
{
	static const struct { const char *s; enum http_method m; } t[] = {
		{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE },
		{ "OPTIONS", HTTP_OPTIONS },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (h2o_memis(m.base, m.len, t[i].s, strlen(t[i].s)))
			return t[i].m;
	return HTTP_OTHER;
}

static void
peer_name(h2o_req_t *hreq, char *out, size_t outlen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	out[0] = '\0';
	len = hreq->conn->callbacks->get_peername(hreq->conn, (struct sockaddr *)&ss);
	if (len == 0)
		return;
	/* inet_ntop, not getnameinfo: this runs for every request. */
	if ((ss.ss_family == AF_INET && inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out,
	    (socklen_t)outlen) == NULL) || (ss.ss_family == AF_INET6 && inet_ntop(AF_INET6,
	    &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)outlen) == NULL) ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
		out[0] = '\0';
}

/* Sends an error answer that the application never saw (limits). */
static void
limit_answer(struct http_res *res, int status, const char *msg)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_puts(&res->body, msg);
}

/* Keeps an external body alive until the request's pool is cleared,
 * which h2o does only after the response has been written. */
struct ext_hold {
	void (*release)(void *);
	void  *arg;
};

static void
ext_dispose(void *p)
{
	struct ext_hold *h = p;

	h->release(h->arg);
}

/* Sends res->ext_body without copying it: h2o writes straight from it. */
static void
send_external(h2o_req_t *hreq, struct http_res *res)
{
	struct ext_hold *hold;
	h2o_generator_t *gen;
	h2o_iovec_t iov;

	hold = h2o_mem_alloc_shared(&hreq->pool, sizeof *hold, ext_dispose);
	hold->release = res->ext_release;
	hold->arg = res->ext_arg;
	/* A final send needs no proceed or stop callback. */
	gen = h2o_mem_alloc_pool(&hreq->pool, sizeof *gen);
	gen->proceed = NULL;
	gen->stop = NULL;
	h2o_start_response(hreq, gen);
	iov = h2o_iovec_init(res->ext_body, res->ext_len);
	h2o_send(hreq, &iov, 1, H2O_SEND_STATE_FINAL);
}

/*
 * One request on its way through the server.  It owns a copy of the
 * request (in its arena) and the response, so a render thread never
 * touches h2o's memory, and the client may go away while its page is
 * being made.  Its fields after `hreq` are only touched on the request's
 * event-loop thread.
 */
struct job {
	h2o_multithread_message_t msg;     /* first: the loop's queue links it */
	struct job      *qnext;            /* render queue */
	struct worker   *w;                /* the loop that took the request */
	struct arena     arena;
	struct http_req  req;
	struct http_res  res;
	h2o_req_t       *hreq;             /* NULL once h2o has let go of it */
	int              answered;
};

static void
job_free(struct job *j)
{
	if (j->res.ext_release)
		j->res.ext_release(j->res.ext_arg);
	buf_free(&j->res.body);
	arena_free(&j->arena);
	free(j);
}

/*
 * Fills the job's request from h2o's.  With copy unset the strings point
 * into h2o's memory, which is valid while on_req runs: enough for the
 * fast path (a cached page), which must not pay for copies.  A request
 * handed to a render thread is filled again with copy set, so the render
 * thread never reads h2o's memory (the client may leave meanwhile).
 */
static void
fill_request(struct job *j, h2o_req_t *hreq, int copy, size_t *hbytes)
{
	struct http_req *req = &j->req;
	const char *q, *target;
	size_t i;

#define DUP(p, n) (copy ? arena_strndup(&j->arena, (p), (n)) : (const char *)(p))
	req->arena = &j->arena;
	req->now = time(NULL);
	req->method = method_of(hreq->method);
	req->method_name = (struct str){ DUP(hreq->method.base, hreq->method.len), hreq->method.len };
	target = DUP(hreq->path.base, hreq->path.len);
	req->target = (struct str){ target, hreq->path.len };
	q = memchr(target, '?', hreq->path.len);
	req->path = (struct str){ target, q ? (size_t)(q - target) : hreq->path.len };
	req->query = q ? (struct str){ q + 1, hreq->path.len - req->path.len - 1 } : (struct str){ NULL, 0 };
	req->nheaders = hreq->headers.size;
	/* One more slot: h2o keeps Host (or :authority) apart, in
	 * hreq->authority, not among the headers; it goes back in as "host" so
	 * handlers find it like any other header (the newsroom's Origin check). */
	req->headers = arena_calloc(&j->arena, req->nheaders + 1, sizeof *req->headers);
	*hbytes = 0;
	for (i = 0; i < hreq->headers.size; i++) {
		h2o_header_t *hh = &hreq->headers.entries[i];

		/* h2o gives header names in lower case. */
		req->headers[i].name = (struct str){ DUP(hh->name->base, hh->name->len), hh->name->len };
		req->headers[i].value = (struct str){ DUP(hh->value.base, hh->value.len), hh->value.len };
		*hbytes += hh->name->len + hh->value.len;
	}
	if (hreq->authority.base != NULL && hreq->authority.len > 0) {
		req->headers[i].name = (struct str){ "host", 4 };
		req->headers[i].value = (struct str){ DUP(hreq->authority.base, hreq->authority.len),
		    hreq->authority.len };
		*hbytes += 4 + hreq->authority.len;
		req->nheaders++;
	}
	req->body = hreq->entity.base ?
	    (struct str){ DUP(hreq->entity.base, hreq->entity.len), hreq->entity.len } : (struct str){ NULL, 0 };
#undef DUP
	if (req->remote[0] == '\0')
		peer_name(hreq, req->remote, sizeof req->remote);
}

/* Sends the job's response on its loop thread. */
static void
respond(struct job *j)
{
	h2o_req_t *hreq = j->hreq;
	struct http_res *res = &j->res;
	size_t i, body_len;

	j->answered = 1;
	hreq->res.status = res->status;
	hreq->res.reason = http_status_reason(res->status);
	if (res->content_type)
		h2o_add_header(&hreq->pool, &hreq->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
		    res->content_type, strlen(res->content_type));
	for (i = 0; i < res->nheaders; i++)
		h2o_add_header_by_str(&hreq->pool, &hreq->res.headers, res->headers[i].name.p,
		    res->headers[i].name.len, 1, NULL, h2o_strdup(&hreq->pool, res->headers[i].value.p,
		    res->headers[i].value.len).base, res->headers[i].value.len);
	body_len = res->ext_body ? res->ext_len : res->body.len;
	if (res->status == 304 || res->status == 204)
		body_len = 0;
	http_access_log(j->w->srv->opts->access_log_fd, &j->req, res->status, body_len);
	hreq->res.content_length = body_len;
	if (j->req.method == HTTP_HEAD || body_len == 0) {
		/* For HEAD the length stays but no body goes out. */
		h2o_send_inline(hreq, "", 0);
		if (j->req.method == HTTP_HEAD)
			hreq->res.content_length = res->ext_body ? res->ext_len : res->body.len;
	} else if (res->ext_body) {
		send_external(hreq, res);
		res->ext_release = NULL;   /* the request's pool releases it now */
	} else {
		h2o_send_inline(hreq, res->body.p, body_len);
	}
}

/* h2o is done with the request: its response went out, or the client
 * left.  Runs on the loop thread, like respond(). */
static void
on_req_gone(void *p)
{
	struct job *j = *(struct job **)p;

	j->hreq = NULL;
	if (j->answered)
		job_free(j);
	/* else a render thread still has it; on_rendered frees it. */
}

/* Render threads hand finished jobs back to their loop here. */
static void
on_rendered(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	struct job *j;

	while (!h2o_linklist_is_empty(messages)) {
		j = H2O_STRUCT_FROM_MEMBER(struct job, msg.link, messages->next);
		h2o_linklist_unlink(&j->msg.link);
		if (j->hreq)
			respond(j);
		else
			job_free(j);
	}
	(void)receiver;
}

static int
on_req(h2o_handler_t *self, h2o_req_t *hreq)
{
	struct worker *w = H2O_STRUCT_FROM_MEMBER(struct worker, ctx, hreq->conn->ctx);
	struct server *srv = w->srv;
	struct job *j, **hold;
	size_t hbytes;

	(void)self;
	if ((j = calloc(1, sizeof *j)) == NULL)
		log_oom();
	arena_init(&j->arena);
	buf_init(&j->res.body, BUF_CAP_DEFAULT);
	j->res.status = 200;
	j->w = w;
	j->hreq = hreq;
	hold = h2o_mem_alloc_shared(&hreq->pool, sizeof *hold, on_req_gone);
	*hold = j;
	fill_request(j, hreq, 0, &hbytes);

	if (j->req.target.len > HTTP_MAX_TARGET)
		limit_answer(&j->res, 414, "414 요청 주소가 너무 깁니다 (URI too long)\n");
	else if (hbytes > HTTP_MAX_HEADER_BYTES || j->req.nheaders > HTTP_MAX_HEADERS)
		limit_answer(&j->res, 431, "431 요청 헤더가 너무 큽니다 (request header fields too large)\n");
	else if (j->req.body.len > HTTP_MAX_BODY)
		limit_answer(&j->res, 413, "413 요청 본문이 너무 큽니다 (payload too large)\n");
	else if (!(srv->app->fast && srv->app->fast(w->tctx, &j->req, &j->res))) {
		/* Not answerable without the store: to a render thread, so this
		 * loop keeps serving cached pages while the page is made. */
		fill_request(j, hreq, 1, &hbytes);
		pthread_mutex_lock(&srv->qlock);
		if (srv->qtail)
			srv->qtail->qnext = j;
		else
			srv->qhead = j;
		srv->qtail = j;
		pthread_cond_signal(&srv->qcond);
		pthread_mutex_unlock(&srv->qlock);
		return 0;
	}
	respond(j);
	return 0;
}

static void *
render_main(void *arg)
{
	struct renderer *r = arg;
	struct server *srv = r->srv;
	struct job *j;

	r->tctx = srv->app->thread_init ? srv->app->thread_init(srv->app->arg, r->idx, r->err,
	    sizeof r->err) : NULL;
	if (srv->app->thread_init && r->tctx == NULL) {
		atomic_fetch_add(&srv->failed, 1);
		atomic_fetch_add(&srv->ready, 1);
		return NULL;
	}
	atomic_fetch_add(&srv->ready, 1);
	for (;;) {
		pthread_mutex_lock(&srv->qlock);
		while (srv->qhead == NULL && !srv->render_stop)
			pthread_cond_wait(&srv->qcond, &srv->qlock);
		if ((j = srv->qhead) == NULL) {
			pthread_mutex_unlock(&srv->qlock);
			break;
		}
		if ((srv->qhead = j->qnext) == NULL)
			srv->qtail = NULL;
		pthread_mutex_unlock(&srv->qlock);
		srv->app->handle(r->tctx, &j->req, &j->res);
		h2o_multithread_send_message(&j->w->receiver, &j->msg);
	}
	if (srv->app->thread_fini && r->tctx)
		srv->app->thread_fini(r->tctx);
	return NULL;
}

static void
on_accept(h2o_socket_t *listener, const char *err)
{
	struct worker *w = listener->data;
	h2o_socket_t *sock;

	if (err != NULL)
		return;
	if ((sock = h2o_evloop_socket_accept(listener)) == NULL)
		return;
	h2o_accept(&w->accept_ctx, sock);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct server *srv = w->srv;
	h2o_evloop_t *loop;
	uint64_t deadline;
	int fd;

	w->tctx = srv->app->thread_init ? srv->app->thread_init(srv->app->arg, w->idx,
	    w->err, sizeof w->err) : NULL;
	if (srv->app->thread_init && w->tctx == NULL) {
		atomic_fetch_add(&srv->failed, 1);
		atomic_fetch_add(&srv->ready, 1);
		return NULL;
	}
	loop = h2o_evloop_create();
	h2o_context_init(&w->ctx, loop, &srv->config);
	w->accept_ctx.ctx = &w->ctx;
	w->accept_ctx.hosts = srv->config.hosts;
	w->queue = h2o_multithread_create_queue(loop);
	h2o_multithread_register_receiver(w->queue, &w->receiver, on_rendered);
	if ((fd = dup(srv->fd)) < 0) {
		snprintf(w->err, sizeof w->err, "dup: %s", strerror(errno));
		atomic_fetch_add(&srv->failed, 1);
		atomic_fetch_add(&srv->ready, 1);
		goto out;
	}
	w->listener = h2o_evloop_socket_create(loop, fd, H2O_SOCKET_FLAG_DONT_READ);
	w->listener->data = w;
	h2o_socket_read_start(w->listener, on_accept);
	atomic_fetch_add(&srv->ready, 1);

	while (!atomic_load(&srv->stopping))
		h2o_evloop_run(loop, LOOP_TICK_MS);

	/* Stop accepting, ask h2o to close keep-alive connections once their
	 * current request is done, and give them a moment. */
	h2o_socket_read_stop(w->listener);
	h2o_socket_close(w->listener);
	w->listener = NULL;
	h2o_context_request_shutdown(&w->ctx);
	deadline = h2o_now(loop) + DRAIN_MS;
	while (h2o_now(loop) < deadline)
		h2o_evloop_run(loop, 50);
out:
	if (srv->app->thread_fini && w->tctx)
		srv->app->thread_fini(w->tctx);
	/* The context and loop are left to process exit: h2o 2.2 asserts on
	 * disposing a context whose connections are still open. */
	return NULL;
}

static int
listen_socket(const char *host, int port, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16];
	int fd = -1, on = 1, rc, saved = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port,
		    saved == EADDRINUSE ? "the port is in use" : strerror(saved));
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/*
 * The server's state outlives http_serve(): h2o 2.2 asserts when a context
 * is disposed while a connection is still open, so contexts and loops are
 * left to process exit, and kept reachable here so leak checkers do not
 * report them.
 */
static struct server *last_server;

/* One event loop per CPU the process may run on (its affinity mask, as
 * taskset or a cpuset set it), not per core of the machine: a second loop
 * on the same core only takes turns with the first, and each turn it waits
 * for is a request's latency. */
int
http_default_threads(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof set, &set) != 0 || (n = CPU_COUNT(&set)) < 1)
		return 2;
	return n > HTTP_MAX_THREADS ? HTTP_MAX_THREADS : n;
}

int
http_serve(const struct http_server_opts *opts, const struct http_app *app, char *err, size_t errlen)
{
	struct server *srvp;
	h2o_hostconf_t *host;
	h2o_pathconf_t *path;
	struct sinmun_handler *h;
	sigset_t set;
	int i, sig, nthreads, rc = 0;

	if ((srvp = calloc(1, sizeof *srvp)) == NULL)
		log_oom();
	last_server = srvp;
	srvp->opts = opts;
	srvp->app = app;
	nthreads = opts->threads > 0 ? opts->threads : http_default_threads();
	signal(SIGPIPE, SIG_IGN);
	mallopt(M_TRIM_THRESHOLD, MALLOC_TRIM_BYTES);

	if ((srvp->fd = listen_socket(opts->host, opts->port, err, errlen)) < 0)
		return -1;

	h2o_config_init(&srvp->config);
	srvp->config.server_name = h2o_iovec_init(H2O_STRLIT("sinmun"));
	srvp->config.max_request_entity_size = HTTP_MAX_BODY;
	host = h2o_config_register_host(&srvp->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	path = h2o_config_register_path(host, "/", 0);
	h = (struct sinmun_handler *)h2o_create_handler(path, sizeof *h);
	h->super.on_req = on_req;
	h->srv = srvp;

	/* Block the stop signals before threads exist so only sigwait sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	pthread_mutex_init(&srvp->qlock, NULL);
	pthread_cond_init(&srvp->qcond, NULL);
	/* Two per CPU, by measurement: one per CPU halves the p99 of uncached
	 * pages at moderate load (no two pages take turns on a core) but a
	 * saturated server renders about a tenth fewer pages, as the loop
	 * preempts the lone render thread of its core for every page handed
	 * back (docs/benchmarks.md section 5, 2026-12-07 16:00); the operator
	 * who prefers the steadier latency sets render_threads. */
	srvp->nrender = opts->render_threads > 0 ? opts->render_threads : 2 * http_default_threads();
	srvp->renderers = calloc((size_t)srvp->nrender, sizeof *srvp->renderers);
	srvp->workers = calloc((size_t)nthreads, sizeof *srvp->workers);
	if (srvp->workers == NULL || srvp->renderers == NULL)
		log_oom();
	for (i = 0; i < srvp->nrender; i++) {
		srvp->renderers[i].srv = srvp;
		srvp->renderers[i].idx = nthreads + i;
		if (pthread_create(&srvp->renderers[i].tid, NULL, render_main, &srvp->renderers[i]) != 0) {
			snprintf(err, errlen, "cannot start render thread: %s", strerror(errno));
			srvp->nrender = i;
			rc = -1;
			break;
		}
		srvp->renderers[i].started = 1;
	}
	for (i = 0; i < nthreads; i++) {
		srvp->workers[i].srv = srvp;
		srvp->workers[i].idx = i;
		if (pthread_create(&srvp->workers[i].tid, NULL, worker_main, &srvp->workers[i]) != 0) {
			snprintf(err, errlen, "cannot start worker thread: %s", strerror(errno));
			atomic_store(&srvp->stopping, 1);
			nthreads = i;
			rc = -1;
			break;
		}
		srvp->workers[i].started = 1;
	}
	while (rc == 0 && atomic_load(&srvp->ready) < nthreads + srvp->nrender)
		usleep(1000);
	if (rc == 0 && atomic_load(&srvp->failed) > 0) {
		for (i = 0; i < nthreads; i++)
			if (srvp->workers[i].err[0])
				snprintf(err, errlen, "%s", srvp->workers[i].err);
		for (i = 0; i < srvp->nrender; i++)
			if (srvp->renderers[i].err[0])
				snprintf(err, errlen, "%s", srvp->renderers[i].err);
		rc = -1;
	}
	if (rc == 0) {
		log_info("serving on http://%s%s%s:%d/ with %d event loop%s and %d render thread%s",
		    strchr(opts->host, ':') ? "[" : "", opts->host, strchr(opts->host, ':') ? "]" : "",
		    opts->port, nthreads, nthreads == 1 ? "" : "s", srvp->nrender,
		    srvp->nrender == 1 ? "" : "s");
		for (;;) {
			if (sigwait(&set, &sig) == 0 && (sig == SIGINT || sig == SIGTERM))
				break;
		}
		log_info("received %s, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	}
	atomic_store(&srvp->stopping, 1);
	for (i = 0; i < nthreads; i++)
		if (srvp->workers[i].started)
			pthread_join(srvp->workers[i].tid, NULL);
	/* The loops have drained; what the render threads still hold has no
	 * client left to answer. */
	pthread_mutex_lock(&srvp->qlock);
	srvp->render_stop = 1;
	pthread_cond_broadcast(&srvp->qcond);
	pthread_mutex_unlock(&srvp->qlock);
	for (i = 0; i < srvp->nrender; i++)
		if (srvp->renderers[i].started)
			pthread_join(srvp->renderers[i].tid, NULL);
	close(srvp->fd);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return rc;
}

/*
 * h2o_static.c - benchmark prototype: libh2o (evloop flavour, 2.2.5) serving one
 * in-memory body.
 *
 *   h2o_static FILE PORT THREADS
 *
 * GET/HEAD /      -> 200, the bytes of FILE, Content-Type: text/html; charset=utf-8
 * POST (any path) -> 200 "received N bytes"; h2o buffers the whole body in
 *                    req->entity before calling the handler and itself answers
 *                    413 past globalconf.max_request_entity_size (1 MiB here).
 * anything else   -> 404 (h2o's own, when the handler declines with -1)
 *
 * One h2o_evloop + h2o_context_t per thread, each thread with its own listening
 * socket on 127.0.0.1:PORT (SO_REUSEPORT: the kernel spreads connections).
 *
 * ACCESS_LOG=PATH in the environment: an Apache "combined" access log through
 * h2o_access_log_open_handle (off by default).
 *
 * SIGINT/SIGTERM: the main thread (the only one with the signals unblocked, via
 * sigwait) sets a flag and wakes each loop through its context's multithread
 * queue; each loop closes its listener, calls h2o_context_request_shutdown and
 * keeps running until its HTTP/1 connections are gone or 2 s have passed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* The Debian evloop .pc file gives no -D: without this the headers pick the libuv
 * flavour (uv.h is installed here) and every struct mismatches libh2o-evloop.so. */
#define H2O_USE_LIBUV 0
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <h2o.h>

#define MAX_BODY (1024 * 1024)
#define DRAIN_MS 2000

static h2o_globalconf_t config;
static const char *page;
static size_t page_len;
static atomic_int stopping;
static pthread_mutex_t init_mutex = PTHREAD_MUTEX_INITIALIZER;

struct worker {
    pthread_t tid;
    int port;
    int fd;
    int ready; /* set under init_mutex once the context exists */
    h2o_evloop_t *loop;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_multithread_receiver_t wakeup;
};

static void *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST"))) {
        /* the whole body is already here (req->entity); oversized ones never reach us */
        char *msg = h2o_mem_alloc_pool(&req->pool, 64);
        int n = snprintf(msg, 64, "received %zu bytes\n", req->entity.len);
        req->res.status = 200;
        req->res.reason = "OK";
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("text/plain; charset=utf-8"));
        h2o_send_inline(req, msg, (size_t)n);
        return 0;
    }
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        return -1;
    if (!h2o_memis(req->path_normalized.base, req->path_normalized.len, H2O_STRLIT("/")))
        return -1;

    /* A generator with no callbacks and one FINAL send of the static buffer: no copy
     * (h2o_send_inline would h2o_strdup the 25 KB into the request pool each time).
     * content_length must be set, or HTTP/1.1 responses go out chunked. */
    static h2o_generator_t generator = {NULL, NULL};
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = page_len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("text/html; charset=utf-8"));
    h2o_start_response(req, &generator);
    h2o_iovec_t body = h2o_iovec_init(page, page_len);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
    return 0;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct worker *w = listener->data;
    if (err != NULL)
        return;
    /* take a few per readiness event instead of one */
    for (int i = 0; i < 16; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            break;
        h2o_accept(&w->accept_ctx, sock);
    }
}

static void on_wakeup(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    (void)messages; /* only ever woken with NULL messages */
}

static int open_listener(int port)
{
    struct sockaddr_in addr;
    int fd, on = 1;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, 1024) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    /* h2o_context_init walks the shared globalconf (handlers' on_context_init,
     * loggers); serialise it rather than trust it to be thread-safe. */
    pthread_mutex_lock(&init_mutex);
    w->loop = h2o_evloop_create();
    h2o_context_init(&w->ctx, w->loop, &config);
    h2o_multithread_register_receiver(w->ctx.queue, &w->wakeup, on_wakeup);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = config.hosts;
    w->listener = h2o_evloop_socket_create(w->loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);
    w->ready = 1;
    pthread_mutex_unlock(&init_mutex);

    while (!atomic_load(&stopping))
        h2o_evloop_run(w->loop, INT32_MAX);

    /* drain: no new connections; keep-alive connections are closed after their
     * current response (shutdown_requested), idle ones by req_timeout at worst */
    h2o_socket_read_stop(w->listener);
    h2o_socket_close(w->listener); /* closes w->fd */
    w->listener = NULL;
    h2o_context_request_shutdown(&w->ctx);
    uint64_t deadline = h2o_now(w->loop) + DRAIN_MS;
    while (!h2o_linklist_is_empty(&w->ctx.http1._conns) && h2o_now(w->loop) < deadline)
        h2o_evloop_run(w->loop, 50);
    /* whatever is still open here is dropped with the process */
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s FILE PORT THREADS\n", argv[0]);
        return 2;
    }
    page = slurp(argv[1], &page_len);
    if (page == NULL) {
        fprintf(stderr, "cannot read %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    int port = atoi(argv[2]);
    int nthreads = atoi(argv[3]);
    if (port <= 0 || port > 65535 || nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "bad PORT or THREADS\n");
        return 2;
    }

    /* block the signals in every thread (inherited), take them with sigwait below */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN); /* h2o does not do it for you */

    h2o_config_init(&config);
    /* all of these are copied into each h2o_context_t by h2o_context_init: set them first */
    config.max_request_entity_size = MAX_BODY;
    config.http1.req_timeout = 10000; /* ms; also the keep-alive idle timeout in 2.2 */
    config.http1.upgrade_to_http2 = 0;
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path, sizeof(*handler));
    handler->on_req = on_req;

    const char *logpath = getenv("ACCESS_LOG");
    if (logpath != NULL && *logpath != '\0') {
        /* NCSA combined; must be registered before any h2o_context_init */
        h2o_access_log_filehandle_t *fh = h2o_access_log_open_handle(
            logpath, "%h %l %u %t \"%r\" %s %b \"%{Referer}i\" \"%{User-agent}i\"", H2O_LOGCONF_ESCAPE_APACHE);
        if (fh == NULL) {
            fprintf(stderr, "cannot open access log %s\n", logpath);
            return 1;
        }
        h2o_access_log_register(path, fh);
    }

    struct worker *workers = calloc((size_t)nthreads, sizeof(*workers));
    for (int i = 0; i < nthreads; i++) {
        workers[i].port = port;
        if ((workers[i].fd = open_listener(port)) == -1) {
            fprintf(stderr, "cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
            return 1;
        }
    }
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    fprintf(stderr, "h2o_static: %zu bytes on 127.0.0.1:%d, %d thread(s)%s%s\n", page_len, port, nthreads,
            logpath ? ", access log " : "", logpath ? logpath : "");

    int sig = 0;
    sigwait(&set, &sig);
    atomic_store(&stopping, 1);
    for (int i = 0; i < nthreads; i++) {
        pthread_mutex_lock(&init_mutex);
        int ready = workers[i].ready;
        pthread_mutex_unlock(&init_mutex);
        if (ready) /* a NULL message only wakes the loop out of epoll_wait */
            h2o_multithread_send_message(&workers[i].wakeup, NULL);
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(workers[i].tid, NULL);
    return 0;
}

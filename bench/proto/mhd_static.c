/*
 * mhd_static.c - benchmark prototype: libmicrohttpd serving one in-memory body.
 *
 *   mhd_static FILE PORT THREADS [MODE]
 *
 * GET/HEAD /      -> 200, the bytes of FILE, Content-Type: text/html; charset=utf-8
 * POST (any path) -> 200 "received N bytes" (body counted, not kept); more than
 *                    MAX_BODY bytes -> 413 (libmicrohttpd has no body limit of its
 *                    own: the application must count and refuse).
 * anything else   -> 404
 *
 * MODE (optional, for tuning experiments; default "auto"):
 *   auto    THREADS == 1: poll; THREADS > 1: epoll (the best found, see RESULTS.md)
 *   epoll   internal polling thread(s), epoll, MHD_USE_TURBO, thread pool of THREADS
 *   epoll-noturbo   the same without MHD_USE_TURBO
 *   poll    internal polling thread(s) with poll(), MHD_USE_TURBO, pool of THREADS
 *   tpc     one thread per connection (poll), THREADS ignored
 *
 * Why not epoll for one thread: with 0.9.75, a single internal epoll thread (no
 * pool) stalls for good once about 128 or more keep-alive connections are busy
 * at once: every socket holds an unread request and the thread sleeps in
 * epoll_wait(..., 128, <connection timeout>) (see RESULTS.md).
 *
 * ACCESS_LOG=PATH in the environment: an Apache "combined" line per request,
 * written with one write(2) on an O_APPEND fd (as h2o and nginx do by default);
 * libmicrohttpd has no access log of its own.
 *
 * Listens on 127.0.0.1 only.  SIGINT/SIGTERM: quiesce (stop accepting), wait up to
 * DRAIN_MS for open connections to go, then MHD_stop_daemon (which closes the rest).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (1024 * 1024)
#define DISCARD_MAX (8 * 1024 * 1024)
#define DRAIN_MS 2000

static struct MHD_Response *page;     /* one response object, reused for every request */
static struct MHD_Response *notfound;
static size_t page_len;
static const char notfound_body[] = "not found\n";
static int logfd = -1;
static int get_marker; /* *con_cls of a GET/HEAD between its first and second call */

struct upload {
    size_t received;
    int too_big;
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

/* Apache-style escaping of a header value for the log: ", \\ and bytes outside
 * printable ASCII become \xHH, so a client cannot forge log lines. */
static size_t log_escape(char *dst, size_t cap, const char *src)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    if (src == NULL)
        src = "-";
    for (; *src != '\0' && n + 4 < cap; src++) {
        unsigned char c = (unsigned char)*src;
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            dst[n++] = '\\';
            dst[n++] = 'x';
            dst[n++] = hex[c >> 4];
            dst[n++] = hex[c & 15];
        } else {
            dst[n++] = (char)c;
        }
    }
    dst[n] = '\0';
    return n;
}

static void access_log(struct MHD_Connection *conn, const char *method, const char *url, const char *version,
                       unsigned status, size_t bytes)
{
    /* the time string is rebuilt once a second per thread, as h2o and nginx cache theirs */
    static _Thread_local time_t last;
    static _Thread_local char when[40];
    time_t now = time(NULL);
    if (now != last) {
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S %z", &tm);
        last = now;
    }
    char ip[INET6_ADDRSTRLEN] = "-";
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof(ip));
    /* MHD hands the handler the path without its query string (the arguments are parsed into
     * MHD_GET_ARGUMENT_KIND), so %r here lacks "?..." unless rebuilt from them. */
    char u[1024], ref[1024], ua[1024];
    log_escape(u, sizeof(u), url);
    log_escape(ref, sizeof(ref), MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_REFERER));
    log_escape(ua, sizeof(ua), MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT));
    char line[4096 + 200];
    int n = snprintf(line, sizeof(line), "%s - - [%s] \"%s %s %s\" %u %zu \"%s\" \"%s\"\n", ip, when, method, u, version,
                     status, bytes, ref, ua);
    if (n > 0) {
        ssize_t w = write(logfd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
        (void)w;
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)upload_data; /* counted, not kept */
    if (strcmp(method, "POST") == 0) {
        struct upload *up = *con_cls;
        if (up == NULL) { /* first call: headers only */
            if ((up = calloc(1, sizeof(*up))) == NULL)
                return MHD_NO;
            *con_cls = up;
            /* an announced Content-Length over the limit is refused before reading the body */
            const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl != NULL && strtoull(cl, NULL, 10) > MAX_BODY)
                up->too_big = 1;
            else
                return MHD_YES;
        }
        if (*upload_data_size != 0) {
            /* 0.9.75 refuses MHD_queue_response while upload data is still coming
             * ("Application reported internal error", connection reset): a body that
             * turns out too big (chunked, no Content-Length) must be read to its end
             * and discarded before the 413 can go out.  Past DISCARD_MAX, give up and
             * drop the connection. */
            up->received += *upload_data_size;
            *upload_data_size = 0;
            if (up->received > MAX_BODY)
                up->too_big = 1;
            if (up->received > DISCARD_MAX)
                return MHD_NO;
            return MHD_YES;
        }
        /* end of body (or refused) */
        struct MHD_Response *r;
        enum MHD_Result ret;
        if (up->too_big) {
            static const char msg[] = "request entity too large\n";
            r = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
            ret = MHD_queue_response(conn, MHD_HTTP_CONTENT_TOO_LARGE, r);
            if (logfd != -1)
                access_log(conn, method, url, version, 413, sizeof(msg) - 1);
        } else {
            char msg[64];
            int n = snprintf(msg, sizeof(msg), "received %zu bytes\n", up->received);
            r = MHD_create_response_from_buffer((size_t)n, msg, MHD_RESPMEM_MUST_COPY);
            ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
            if (logfd != -1)
                access_log(conn, method, url, version, 200, (size_t)n);
        }
        MHD_destroy_response(r);
        return ret;
    }
    /* Answer on the second call.  Queueing on the first call (headers just parsed)
     * is legal, but 0.9.75 treats it as an "early response" and answers with
     * Connection: close, which kills keep-alive. */
    if (*con_cls == NULL) {
        *con_cls = &get_marker;
        return MHD_YES;
    }
    *con_cls = NULL;
    int ok = (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) && strcmp(url, "/") == 0;
    enum MHD_Result ret = MHD_queue_response(conn, ok ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, ok ? page : notfound);
    if (logfd != -1)
        access_log(conn, method, url, version, ok ? 200 : 404,
                   strcmp(method, "HEAD") == 0 ? 0 : ok ? page_len : sizeof(notfound_body) - 1);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    if (*con_cls != &get_marker)
        free(*con_cls);
    *con_cls = NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s FILE PORT THREADS [epoll|poll|tpc]\n", argv[0]);
        return 2;
    }
    size_t len;
    void *body = slurp(argv[1], &len);
    if (body == NULL) {
        fprintf(stderr, "cannot read %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    int port = atoi(argv[2]);
    unsigned threads = (unsigned)atoi(argv[3]);
    const char *mode = argc > 4 ? argv[4] : "auto";
    if (port <= 0 || port > 65535 || threads < 1 || threads > 64) {
        fprintf(stderr, "bad PORT or THREADS\n");
        return 2;
    }

    page_len = len;
    const char *logpath = getenv("ACCESS_LOG");
    if (logpath != NULL && *logpath != '\0' &&
        (logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) == -1) {
        fprintf(stderr, "cannot open access log %s: %s\n", logpath, strerror(errno));
        return 1;
    }
    page = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(page, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    notfound = MHD_create_response_from_buffer(sizeof(notfound_body) - 1, (void *)notfound_body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(notfound, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");

    /* signals are taken by sigwait() in main; block them before MHD starts its threads */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    unsigned flags = MHD_USE_ERROR_LOG | MHD_USE_ITC; /* ITC: needed by MHD_quiesce_daemon */
    unsigned pool = threads;
    if (strcmp(mode, "auto") == 0) /* see the header comment: one epoll thread stalls */
        mode = threads == 1 ? "poll" : "epoll";
    if (strcmp(mode, "epoll") == 0) {
        flags |= MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    } else if (strcmp(mode, "epoll-noturbo") == 0) {
        flags |= MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    } else if (strcmp(mode, "poll") == 0) {
        flags |= MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_TURBO;
    } else if (strcmp(mode, "tpc") == 0) {
        flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_TURBO;
        pool = 0;
    } else {
        fprintf(stderr, "bad MODE %s\n", mode);
        return 2;
    }

    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &sa},
        {MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, 4096, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
        /* 32 KiB is the default; set explicitly: it bounds request line + headers (431 past it) */
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32 * 1024, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL},
        {pool > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, pool, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_ARRAY, opts,
                                            MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "MHD_start_daemon failed (port %d)\n", port);
        return 1;
    }
    fprintf(stderr, "mhd_static: %zu bytes on 127.0.0.1:%d, mode %s, %u thread(s)\n", len, port, mode, pool ? pool : 1);

    int sig = 0;
    sigwait(&set, &sig);

    /* graceful-ish shutdown: stop accepting, give open connections 2 s, then close */
    /* quiesce hands the listen fd back to us: the kernel still completes handshakes into its
     * backlog until it is closed, and it may be closed only after MHD_stop_daemon */
    MHD_socket lfd = MHD_quiesce_daemon(d);
    /* shutdown() (not close: the fd number must stay ours until then) makes the
     * kernel refuse new connections instead of parking them in the backlog */
    if (lfd != MHD_INVALID_SOCKET)
        shutdown(lfd, SHUT_RDWR);
    /* idle keep-alive connections count too and MHD will not close them for us:
     * this waits for them up to the deadline, like h2o_static */
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (info == NULL || info->num_connections == 0)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >= DRAIN_MS)
            break;
        usleep(20000);
    }
    MHD_stop_daemon(d);
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    MHD_destroy_response(page);
    MHD_destroy_response(notfound);
    free(body);
    return 0;
}

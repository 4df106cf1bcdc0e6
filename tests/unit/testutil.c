/*
 * testutil.c - see testutil.h.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "render/sanitize.h"
#include "search/search.h"
#include "store/store.h"

const char *
tu_bin(void)
{
	const char *b = getenv("SINMUN_BIN");

	return b && *b ? b : "build/sinmun";
}

void
tu_tmp_path(char *out, size_t len, const char *suffix)
{
	static int seq;

	snprintf(out, len, "/tmp/sinmun-test-%d-%d-%ld%s", (int)getpid(), seq++,
	    (long)time(NULL) % 100000, suffix);
}

void
tu_rm_db(const char *path)
{
	char p[256];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

int
tu_free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		close(fd);
		return -1;
	}
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int
tu_server_start(struct test_server *s, const char *db, const char *const *extra)
{
	char listen[64];
	const char *argv[32];
	struct tu_response r;
	int i, n = 0, fd, tries;
	pid_t parent;

	memset(s, 0, sizeof *s);
	snprintf(s->db, sizeof s->db, "%s", db);
	tu_tmp_path(s->log, sizeof s->log, ".log");
	s->port = tu_free_port();
	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	argv[n++] = tu_bin();
	argv[n++] = "serve";
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n++] = "--listen";
	argv[n++] = listen;
	for (i = 0; extra && extra[i] && n < 30; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	parent = getpid();
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		/* A test that fails between start and stop ends its process
		 * without stopping the server: the server goes with it. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
			_exit(127);
		fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		fd = open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* Up to 20 s: under sanitizers start-up is slow. */
	for (tries = 0; tries < 400; tries++) {
		int status;

		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		if (tu_http(s->port, "GET", "/healthz", NULL, NULL, 0, &r) == 0 && r.status == 200) {
			tu_response_free(&r);
			return 0;
		}
		tu_response_free(&r);
		usleep(50000);
	}
	return -1;
}

int
tu_server_stop(struct test_server *s)
{
	int status, i;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			unlink(s->log);
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return 128 + WTERMSIG(status);
		}
		usleep(50000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	return -1;
}

static size_t
on_body(char *p, size_t size, size_t n, void *u)
{
	buf_put(u, p, size * n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *u)
{
	buf_put(u, p, size * n);
	return size * n;
}

int
tu_http(int port, const char *method, const char *target, const char *const *headers,
    const char *body, size_t bodylen, struct tu_response *out)
{
	static CURL *curl;
	struct curl_slist *hl = NULL;
	char url[8192 + 64];
	CURLcode rc;
	int i;

	memset(out, 0, sizeof *out);
	buf_init(&out->headers, 1 << 20);
	buf_init(&out->body, 64 << 20);
	if (curl == NULL) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl = curl_easy_init();
	}
	curl_easy_reset(curl);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, target);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out->headers);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
	for (i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hl);
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)bodylen);
	}
	rc = curl_easy_perform(curl);
	curl_slist_free_all(hl);
	if (rc != CURLE_OK)
		return -1;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &out->connects);
	if (out->body.p == NULL)
		buf_puts(&out->body, "");
	if (out->headers.p == NULL)
		buf_puts(&out->headers, "");
	return 0;
}

void
tu_response_free(struct tu_response *r)
{
	buf_free(&r->headers);
	buf_free(&r->body);
}

int
tu_header_has(const struct tu_response *r, const char *name, const char *value_part)
{
	const char *line = r->headers.p, *nl;
	size_t n = strlen(name);

	while (line && *line) {
		nl = strchr(line, '\n');
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			char val[2048];
			size_t vl = nl ? (size_t)(nl - line) - n - 1 : strlen(line + n + 1);

			if (vl >= sizeof val)
				vl = sizeof val - 1;
			memcpy(val, line + n + 1, vl);
			val[vl] = '\0';
			if (strcasestr(val, value_part))
				return 1;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

int
tu_run(const char *const *argv, struct buf *out, struct buf *err)
{
	return tu_run_stdin(argv, NULL, out, err);
}

int
tu_run_stdin(const char *const *argv, const char *input, struct buf *out, struct buf *err)
{
	char inpath[128] = "";
	int po[2], pe[2], status, fd;
	struct pollfd pf[2];
	char chunk[4096];
	ssize_t r;
	pid_t pid;
	int open_fds = 2;

	if (input) {
		FILE *f;

		tu_tmp_path(inpath, sizeof inpath, ".in");
		if ((f = fopen(inpath, "w")) == NULL)
			return -1;
		fputs(input, f);
		fclose(f);
	}
	if (pipe(po) || pipe(pe))
		return -1;
	pid = fork();
	if (pid == 0) {
		fd = open(input ? inpath : "/dev/null", O_RDONLY);
		dup2(fd, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	pf[0].fd = po[0];
	pf[1].fd = pe[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open_fds > 0 && poll(pf, 2, 30000) > 0) {
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP)))
				continue;
			r = read(pf[i].fd, chunk, sizeof chunk);
			if (r <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
				continue;
			}
			buf_put(i == 0 ? out : err, chunk, (size_t)r);
		}
	}
	if (out->p == NULL)
		buf_puts(out, "");
	if (err->p == NULL)
		buf_puts(err, "");
	if (inpath[0])
		unlink(inpath);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* ---- the newsroom ---- */

int
tu_user_add(const char *db, const char *email, const char *name, const char *role, const char *password)
{
	const char *argv[] = { tu_bin(), "user", "add", "--db", db, "--email", email, "--name", name,
	    "--role", role, NULL };
	struct buf out, err;
	char line[512];
	int rc;

	buf_init(&out, 1 << 16);
	buf_init(&err, 1 << 16);
	snprintf(line, sizeof line, "%s\n", password);
	rc = tu_run_stdin(argv, line, &out, &err);
	if (rc != 0)
		fprintf(stderr, "tu_user_add %s: %s", email, err.p ? err.p : "");
	buf_free(&out);
	buf_free(&err);
	return rc;
}

int
tu_set_cookie(const struct tu_response *r, const char *name, char *out, size_t len)
{
	const char *line = r->headers.p, *nl, *v;
	size_t n = strlen(name), vl;

	while (line && *line) {
		nl = strchr(line, '\n');
		if (strncasecmp(line, "set-cookie:", 11) == 0) {
			v = line + 11;
			while (*v == ' ')
				v++;
			if (strncmp(v, name, n) == 0 && v[n] == '=') {
				v += n + 1;
				vl = strcspn(v, ";\r\n");
				if (vl >= len)
					return -1;
				memcpy(out, v, vl);
				out[vl] = '\0';
				return 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return -1;
}

int
tu_form_value(const char *html, const char *name, char *out, size_t len)
{
	char pat[128];
	const char *p, *v, *e;

	snprintf(pat, sizeof pat, "name=\"%s\"", name);
	if (html == NULL || (p = strstr(html, pat)) == NULL)
		return -1;
	if ((v = strstr(p, "value=\"")) == NULL)
		return -1;
	v += 7;
	if ((e = strchr(v, '"')) == NULL || (size_t)(e - v) >= len)
		return -1;
	memcpy(out, v, (size_t)(e - v));
	out[e - v] = '\0';
	return 0;
}

int
tu_login(int port, const char *email, const char *password, struct tu_session *s)
{
	struct tu_response r;
	char token[128], login_cookie[256], hdr[320], body[1024], sess[200];
	const char *h[2] = { hdr, NULL };
	int status;

	memset(s, 0, sizeof *s);
	if (tu_http(port, "GET", "/admin/login", NULL, NULL, 0, &r) != 0)
		return -1;
	token[0] = login_cookie[0] = '\0';
	tu_form_value(r.body.p, "csrf", token, sizeof token);
	tu_set_cookie(&r, "sinmun_login", login_cookie, sizeof login_cookie);
	tu_response_free(&r);
	snprintf(hdr, sizeof hdr, "Cookie: sinmun_login=%s", login_cookie);
	snprintf(body, sizeof body, "csrf=%s&email=%s&password=%s", token, tu_esc(email), tu_esc(password));
	if (tu_http(port, "POST", "/admin/login", h, body, strlen(body), &r) != 0)
		return -1;
	status = (int)r.status;
	if (tu_set_cookie(&r, "sinmun_session", sess, sizeof sess) != 0) {
		tu_response_free(&r);
		return status;
	}
	tu_response_free(&r);
	snprintf(s->cookie, sizeof s->cookie, "Cookie: sinmun_session=%s", sess);
	h[0] = s->cookie;
	if (tu_http(port, "GET", "/admin", h, NULL, 0, &r) != 0)
		return -1;
	tu_form_value(r.body.p, "csrf", s->csrf, sizeof s->csrf);
	tu_response_free(&r);
	return status;
}

/* ---- the newsroom's tests (these assert) ---- */

void
tu_init_db(char *db, size_t len, int demo)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *plain[] = { tu_bin(), "init", "--db", db, NULL };
	const char *with_demo[] = { tu_bin(), "init", "--demo", "--db", db, NULL };

	tu_tmp_path(db, len, ".db");
	cr_assert_eq(tu_run(demo ? with_demo : plain, &out, &err), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
}

void
tu_users_add(const char *db, const struct tu_account *people, const char *password)
{
	for (; people->email; people++)
		cr_assert_eq(tu_user_add(db, people->email, people->name, people->role, password), 0);
}

void
tu_newsroom_start(struct test_server *srv, char *db, size_t len, int demo, const struct tu_account *people,
    const char *password)
{
	tu_init_db(db, len, demo);
	tu_users_add(db, people, password);
	cr_assert_eq(tu_server_start(srv, db, NULL), 0, "server did not start");
}

void
tu_login_ok(int port, const char *email, const char *password, struct tu_session *s)
{
	cr_assert_eq(tu_login(port, email, password, s), 303, "login %s", email);
	cr_assert(s->csrf[0] != '\0', "no csrf token for %s", email);
}

const char *
tu_esc(const char *s)
{
	static char out[4][2048];
	static int k;
	char *o = out[k++ & 3];
	size_t n = 0;

	for (; *s && n + 4 < sizeof out[0]; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			o[n++] = (char)c;
		else
			n += (size_t)snprintf(o + n, 4, "%%%02X", c);
	}
	o[n] = '\0';
	return o;
}

void
tu_form_add(struct buf *b, const char *name, const char *value)
{
	if (b->len)
		buf_putc(b, '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	buf_put_url(b, value, strlen(value));
}

long
tu_request(int port, const struct tu_session *s, const char *method, const char *path, const char *form,
    size_t len, struct tu_response *r)
{
	const char *h[3] = { NULL, NULL, NULL };
	int n = 0;

	if (s)
		h[n++] = s->cookie;
	if (form)
		h[n++] = "Content-Type: application/x-www-form-urlencoded";
	cr_assert_eq(tu_http(port, method, path, h, form, len, r), 0, "no answer for %s %s", method, path);
	return r->status;
}

long
tu_get(int port, const struct tu_session *s, const char *path, struct tu_response *r)
{
	return tu_request(port, s, "GET", path, NULL, 0, r);
}

long
tu_vpost_csrf(int port, const struct tu_session *s, const char *path, struct tu_response *r, const char *fmt,
    va_list ap)
{
	char body[8192];
	int n;

	n = snprintf(body, sizeof body, "csrf=%s", tu_esc(s->csrf));
	if (fmt != NULL) {
		body[n++] = '&';
		vsnprintf(body + n, sizeof body - (size_t)n, fmt, ap);
	}
	return tu_request(port, s, "POST", path, body, strlen(body), r);
}

long
tu_post_csrf(int port, const struct tu_session *s, const char *path, struct tu_response *r, const char *fmt, ...)
{
	va_list ap;
	long status;

	va_start(ap, fmt);
	status = tu_vpost_csrf(port, s, path, r, fmt, ap);
	va_end(ap);
	return status;
}

static sqlite3 *
db_open(const char *db, int flags)
{
	sqlite3 *h;

	cr_assert_eq(sqlite3_open_v2(db, &h, flags, NULL), SQLITE_OK, "open %s", db);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* sql prepared on h with ?1 (when it has one) bound to id. */
static sqlite3_stmt *
db_prepare(sqlite3 *h, const char *sql, long long id)
{
	sqlite3_stmt *s;

	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, id);
	return s;
}

long long
tu_db_int(const char *db, const char *sql, long long id)
{
	sqlite3 *h = db_open(db, SQLITE_OPEN_READONLY);
	sqlite3_stmt *s = db_prepare(h, sql, id);
	long long v = -1;

	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

const char *
tu_db_text(const char *db, const char *sql, long long id)
{
	static char out[1 << 16];
	sqlite3 *h = db_open(db, SQLITE_OPEN_READONLY);
	sqlite3_stmt *s = db_prepare(h, sql, id);

	out[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return out;
}

int
tu_db_exec(const char *db, const char *sql, char *err, size_t len)
{
	sqlite3 *h = db_open(db, SQLITE_OPEN_READWRITE);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK && err)
		snprintf(err, len, "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
	return rc;
}

struct store *
tu_store_open(const char *db, int flags)
{
	char err[512];
	struct store *st = store_open(db, flags, NULL, err, sizeof err);

	cr_assert_not_null(st, "%s", err);
	return st;
}

struct store *
tu_store_new(char *db, size_t len)
{
	store_set_text_of(sanitize_text);
	tu_tmp_path(db, len, ".db");
	return tu_store_open(db, STORE_OPEN_CREATE);
}

const char *
tu_search_ids(struct store *st, const char *q)
{
	static char out[512];
	struct arena a = ARENA_INIT;
	struct search_params p;
	struct search_results r;
	struct buf fts = BUF_INIT;
	char err[128];
	size_t o = 0;
	int i;

	cr_assert_eq(search_query_to_fts(q, strlen(q), &fts, err, sizeof err), 0);
	memset(&p, 0, sizeof p);
	p.match = fts.p;
	p.all = 1;
	cr_assert_eq(store_search(st, &a, &p, &r), STORE_OK, "%s", store_errmsg(st));
	out[0] = '\0';
	for (i = 0; i < r.n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%lld", i ? "," : "", (long long)r.items[i].article.id);
	buf_free(&fts);
	arena_free(&a);
	return out;
}

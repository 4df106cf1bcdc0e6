/*
 * testutil.c - see testutil.h.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
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

/* Percent-encodes s for a form body. */
static void
form_escape(char *out, size_t len, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s && o + 4 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}

int
tu_login(int port, const char *email, const char *password, struct tu_session *s)
{
	struct tu_response r;
	char token[128], login_cookie[256], hdr[320], body[1024], e1[300], e2[600], sess[200];
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
	form_escape(e1, sizeof e1, email);
	form_escape(e2, sizeof e2, password);
	snprintf(body, sizeof body, "csrf=%s&email=%s&password=%s", token, e1, e2);
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

/*
 * request.c - the parts of a request handlers read: headers, the decoded
 * path, query and form parameters; response headers; status reasons.
 */
#include "http/http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/kdate.h"
#include "core/log.h"

static const char *const method_names[HTTP_METHOD__MAX] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER" };

const char *
http_method_name(enum http_method m)
{
	return (unsigned)m < HTTP_METHOD__MAX ? method_names[m] : "OTHER";
}

struct str
http_req_header(const struct http_req *req, const char *lname)
{
	size_t i, n = strlen(lname);

	for (i = 0; i < req->nheaders; i++)
		if (req->headers[i].name.len == n && memcmp(req->headers[i].name.p, lname, n) == 0)
			return req->headers[i].value;
	return STR_NULL;
}

/* "a=1; b=2": pairs split by ';', spaces around them ignored.  Browsers
 * send one Cookie header, HTTP/2 clients may split it into several. */
struct str
http_req_cookie(const struct http_req *req, const char *name)
{
	size_t i, j, n = strlen(name), start, end, eq;
	const char *v;

	for (i = 0; i < req->nheaders; i++) {
		if (req->headers[i].name.len != 6 || memcmp(req->headers[i].name.p, "cookie", 6) != 0)
			continue;
		v = req->headers[i].value.p;
		for (j = 0; j < req->headers[i].value.len; j = end + 1) {
			start = j;
			while (start < req->headers[i].value.len && v[start] == ' ')
				start++;
			for (end = start; end < req->headers[i].value.len && v[end] != ';'; end++)
				;
			for (eq = start; eq < end && v[eq] != '='; eq++)
				;
			if (eq < end && eq - start == n && memcmp(v + start, name, n) == 0) {
				size_t vend = end;

				while (vend > eq + 1 && v[vend - 1] == ' ')
					vend--;
				return (struct str){ v + eq + 1, vend - eq - 1 };
			}
		}
	}
	return STR_NULL;
}

void
http_res_header(struct http_res *res, const char *name, const char *value)
{
	if (res->nheaders >= HTTP_RES_MAX_HEADERS) {
		log_error("http: too many response headers, dropped %s", name);
		return;
	}
	res->headers[res->nheaders].name = (struct str){ name, strlen(name) };
	res->headers[res->nheaders].value = (struct str){ value, strlen(value) };
	res->nheaders++;
}

const char *
http_status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Strict UTF-8 check: no overlongs, no surrogates, nothing past U+10FFFF. */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	unsigned c;
	int k, j;

	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3;
		else
			return 0;
		if ((size_t)k >= n - i)
			return 0;
		for (j = 1; j <= k; j++)
			if ((s[i + (size_t)j] & 0xc0) != 0x80)
				return 0;
		if (c == 0xe0 && s[i + 1] < 0xa0)
			return 0;
		if (c == 0xed && s[i + 1] >= 0xa0)
			return 0;
		if (c == 0xf0 && s[i + 1] < 0x90)
			return 0;
		if (c == 0xf4 && s[i + 1] >= 0x90)
			return 0;
		i += (size_t)k + 1;
	}
	return 1;
}

char *
http_decode(struct arena *a, struct str s, int plus)
{
	char *out = arena_alloc(a, s.len + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (c == '%') {
			if (i + 2 >= s.len)
				return NULL;
			hi = hexval((unsigned char)s.p[i + 1]);
			lo = hexval((unsigned char)s.p[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			out[o++] = ' ';
		} else if (c == '\0') {
			return NULL;
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	if (!utf8_valid((const unsigned char *)out, o))
		return NULL;
	return out;
}

int
http_params_parse(struct arena *a, struct str s, struct http_param **out, size_t *n)
{
	struct http_param *v;
	size_t i, start, cnt = 0, fields = 1;
	const char *eq;
	struct str part, name, value;

	*out = NULL;
	*n = 0;
	if (s.len == 0)
		return 0;
	for (i = 0; i < s.len; i++)
		if (s.p[i] == '&')
			fields++;
	if (fields > HTTP_MAX_PARAMS)
		return -1;
	v = arena_calloc(a, fields, sizeof *v);
	for (start = 0; start <= s.len; start = i + 1) {
		for (i = start; i < s.len && s.p[i] != '&'; i++)
			;
		part = (struct str){ s.p + start, i - start };
		if (part.len == 0)
			continue;
		eq = memchr(part.p, '=', part.len);
		if (eq) {
			name = (struct str){ part.p, (size_t)(eq - part.p) };
			value = (struct str){ eq + 1, part.len - name.len - 1 };
		} else {
			name = part;
			value = (struct str){ "", 0 };
		}
		v[cnt].name = http_decode(a, name, 1);
		v[cnt].value = http_decode(a, value, 1);
		if (v[cnt].name == NULL || v[cnt].value == NULL)
			return -1;
		cnt++;
	}
	*out = v;
	*n = cnt;
	return 0;
}

const char *
http_param(const struct http_param *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return p[i].value;
	return NULL;
}

const char *
http_req_path(struct http_req *req)
{
	return http_decode(req->arena, req->path, 0);
}

/* Combined log format; values from the client are escaped so a line
 * cannot be forged with quotes or newlines. */
static void
log_field(struct buf *b, struct str s)
{
	size_t i;
	unsigned char c;

	if (s.p == NULL || s.len == 0) {
		buf_putc(b, '-');
		return;
	}
	for (i = 0; i < s.len && i < 2048; i++) {
		c = (unsigned char)s.p[i];
		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, c);
	}
}

void
http_access_log(int fd, const struct http_req *req, int status, size_t bytes)
{
	static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct buf b;
	long days;
	int y, m, d;
	long long t;

	if (fd < 0)
		return;
	buf_init(&b, 8192);
	/* Times in Seoul, like everything the paper shows. */
	t = (long long)req->now + KST_OFFSET;
	days = (long)(t / 86400);
	kdate_civil_from_days(days, &y, &m, &d);
	buf_printf(&b, "%s - - [%02d/%s/%04d:%02lld:%02lld:%02lld +0900] \"",
	    req->remote[0] ? req->remote : "-", d, mon[m - 1], y,
	    (t % 86400) / 3600, (t % 3600) / 60, t % 60);
	log_field(&b, req->method_name);
	buf_putc(&b, ' ');
	log_field(&b, req->target);
	buf_printf(&b, " HTTP/1.1\" %d %zu \"", status, bytes);
	log_field(&b, http_req_header(req, "referer"));
	buf_puts(&b, "\" \"");
	log_field(&b, http_req_header(req, "user-agent"));
	buf_puts(&b, "\"\n");
	if (b.p && write(fd, b.p, b.len) < 0) {
		/* nothing to do: the access log is best effort */
	}
	buf_free(&b);
}

int
http_date_parse(const char *s, size_t len, time_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int d, y, h, mi, sec, m;
	const char *p;

	/* "Sun, 06 Nov 1994 08:49:37 GMT": 29 bytes, fixed positions. */
	if (len != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
	    s[16] != ' ' || s[19] != ':' || s[22] != ':' || memcmp(s + 25, " GMT", 4) != 0)
		return -1;
	for (p = s + 5; p < s + 25; p++)
		if ((p - s == 5 || p - s == 6 || (p - s >= 12 && p - s <= 15) || p - s == 17 ||
		    p - s == 18 || p - s == 20 || p - s == 21 || p - s == 23 || p - s == 24) &&
		    (*p < '0' || *p > '9'))
			return -1;
	d = (s[5] - '0') * 10 + (s[6] - '0');
	y = (s[12] - '0') * 1000 + (s[13] - '0') * 100 + (s[14] - '0') * 10 + (s[15] - '0');
	h = (s[17] - '0') * 10 + (s[18] - '0');
	mi = (s[20] - '0') * 10 + (s[21] - '0');
	sec = (s[23] - '0') * 10 + (s[24] - '0');
	for (m = 0; m < 12; m++)
		if (memcmp(months + 3 * m, s + 8, 3) == 0)
			break;
	if (m == 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return -1;
	*t = (time_t)(kdate_days_from_civil(y, m + 1, d) * 86400L + h * 3600L + mi * 60L + sec);
	return 0;
}

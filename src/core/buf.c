/*
 * buf.c - growable, capped byte buffers and the escaping writers.
 */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

void
buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->full = 0;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->full = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->full = 0;
	if (b->p)
		b->p[0] = '\0';
}

char *
buf_steal(struct buf *b, size_t *len)
{
	char *p = b->p;

	if (p == NULL) {
		p = malloc(1);
		if (p == NULL)
			log_oom();
		p[0] = '\0';
	}
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

/* Makes room for n more bytes plus the NUL. */
static int
reserve(struct buf *b, size_t n)
{
	size_t max = b->max ? b->max : BUF_CAP_DEFAULT;
	size_t need, ncap;
	char *np;

	if (n > max || b->len > max - n) {
		b->full = 1;
		return BUF_EFULL;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return BUF_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (np == NULL)
		log_oom();
	b->p = np;
	b->cap = ncap;
	return BUF_OK;
}

int
buf_put(struct buf *b, const void *p, size_t n)
{
	if (reserve(b, n) != BUF_OK)
		return BUF_EFULL;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return BUF_OK;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_put(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_put(b, &ch, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return BUF_EFULL;
	if (reserve(b, (size_t)n) != BUF_OK)
		return BUF_EFULL;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return BUF_OK;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Runs of bytes that need no escaping are copied in one call; this keeps
 * escaping of long article bodies close to memcpy speed.
 */
int
buf_put_html(struct buf *b, const char *p, size_t n)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (buf_put(b, p + start, i - start) || buf_puts(b, rep))
			return BUF_EFULL;
		start = i + 1;
	}
	return buf_put(b, p + start, n - start);
}

int
buf_put_xml(struct buf *b, const char *p, size_t n)
{
	size_t i, start = 0;
	const char *rep;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				rep = "";
			else
				continue;
		}
		if (buf_put(b, p + start, i - start) || buf_puts(b, rep))
			return BUF_EFULL;
		start = i + 1;
	}
	return buf_put(b, p + start, n - start);
}

int
buf_put_json(struct buf *b, const char *p, size_t n)
{
	size_t i, start = 0;
	unsigned char c;
	char esc[8];

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
			continue;
		if (buf_put(b, p + start, i - start))
			return BUF_EFULL;
		switch (c) {
		case '"': memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		default:
			/* < > & too, so JSON can sit inside a <script> block. */
			snprintf(esc, sizeof esc, "\\u%04x", c);
		}
		if (buf_puts(b, esc))
			return BUF_EFULL;
		start = i + 1;
	}
	return buf_put(b, p + start, n - start);
}

int
buf_put_url(struct buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	unsigned char c;
	char enc[3];

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			if (buf_putc(b, c))
				return BUF_EFULL;
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		if (buf_put(b, enc, 3))
			return BUF_EFULL;
	}
	return BUF_OK;
}

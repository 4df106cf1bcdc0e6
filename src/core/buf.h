/*
 * buf.h - growable byte buffers with a hard cap, and pointer+length strings.
 *
 * Part of core.  Every module that builds text (templates, feeds, JSON, HTTP
 * responses) writes into a struct buf.  A buffer never grows past its cap:
 * appends past it fail with BUF_EFULL and leave the buffer as it was, so a
 * runaway template or hostile input cannot eat the machine.  Out of memory
 * aborts (there is nothing sensible a request can do about it).
 */
#ifndef SINMUN_CORE_BUF_H
#define SINMUN_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Caps, in one place. */
#define BUF_CAP_DEFAULT (16u << 20)  /* 16 MiB: a rendered page, a feed */
#define BUF_CAP_SMALL   (64u << 10)  /* 64 KiB: a header value, a field */

/* A borrowed string: pointer and length, not necessarily NUL-terminated. */
struct str {
	const char *p;
	size_t      len;
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })
#define STR_NULL   ((struct str){ NULL, 0 })

struct buf {
	char   *p;    /* data, always NUL-terminated when p != NULL */
	size_t  len;  /* bytes used, not counting the NUL */
	size_t  cap;  /* bytes allocated */
	size_t  max;  /* hard cap on len; 0 means BUF_CAP_DEFAULT */
	int     full; /* set once an append was refused for the cap */
};

#define BUF_INIT { NULL, 0, 0, 0, 0 }

enum buf_err {
	BUF_OK = 0,
	BUF_EFULL,    /* the append would pass the cap */
};

void buf_init(struct buf *b, size_t max);
/* Frees the data; the buffer may be reused after buf_init. */
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Hands the data to the caller (free() it); the buffer is left empty. */
char *buf_steal(struct buf *b, size_t *len);

int buf_put(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* HTML escaping: & < > " ' become entities.  The ordinary way to write text. */
int buf_put_html(struct buf *b, const char *p, size_t n);
/* Escapes for an XML text or attribute value (same set as HTML, plus it
 * drops the C0 control characters XML 1.0 forbids). */
int buf_put_xml(struct buf *b, const char *p, size_t n);
/* Escapes a string for inclusion inside a JSON string literal (no quotes). */
int buf_put_json(struct buf *b, const char *p, size_t n);
/* Percent-encodes everything but unreserved characters (RFC 3986). */
int buf_put_url(struct buf *b, const char *p, size_t n);

#endif

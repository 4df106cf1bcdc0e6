/*
 * arena.c - region allocator.  Blocks of 16 KiB (or larger for big
 * requests) are chained; allocations are 16-byte aligned.
 */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define ARENA_BLOCK 16384u
#define ALIGN(n)    (((n) + 15u) & ~(size_t)15u)

struct arena_block {
	struct arena_block *next;
	size_t              size;        /* usable bytes in data */
	_Alignas(16) unsigned char data[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	arena_init(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t size;
	void *p;

	n = ALIGN(n ? n : 1);
	if (a->head == NULL || a->head->size - a->used < n) {
		if (n > SIZE_MAX - sizeof *b - ARENA_BLOCK)
			log_oom();
		size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		if ((b = malloc(sizeof *b + size)) == NULL)
			log_oom();
		b->size = size;
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	p = a->head->data + a->used;
	a->used += n;
	a->total += n;
	return p;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		log_oom();
	p = arena_alloc(a, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *
arena_grow(struct arena *a, void *old, int n, int *cap, size_t elem)
{
	void *p;

	if (n < *cap)
		return old;
	*cap = *cap ? *cap * 2 : 16;
	p = arena_calloc(a, (size_t)*cap, elem);
	if (n > 0)
		memcpy(p, old, (size_t)n * elem);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	char *p;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

/*
 * arena.h - region allocator: many small allocations, one free.
 *
 * Part of core.  Each request gets an arena; everything built while
 * answering it (decoded parameters, rows read from the store, the JSON
 * model) is allocated from it and released in one go when the response
 * has been sent.  Allocation never fails: out of memory aborts.
 */
#ifndef SINMUN_CORE_ARENA_H
#define SINMUN_CORE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;   /* newest block, the one being filled */
	size_t              used;   /* bytes used in head */
	size_t              total;  /* bytes handed out, for diagnostics */
};

#define ARENA_INIT { NULL, 0, 0 }

void  arena_init(struct arena *a);
/* Frees every block; the arena may be reused afterwards. */
void  arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* For arrays built one element at a time: when n == *cap, returns a copy
 * of old (n elements of elem bytes) with room for twice as many (at least
 * 16) and updates *cap; otherwise returns old. */
void *arena_grow(struct arena *a, void *old, int n, int *cap, size_t elem);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

/*
 * store_int.h - internals the SQLite engine's files share (store_sqlite.c,
 * store_search.c).  Not for use outside src/store/.
 */
#ifndef SINMUN_STORE_STORE_INT_H
#define SINMUN_STORE_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* The connection's handle. */
sqlite3 *store__db(struct store *);
/* Records the connection's error message and maps rc to enum store_err. */
int store__fail(struct store *, int rc);
/* Puts a published article into the search index (replacing its entry). */
int store__index_article(struct store *, const struct article *);
/* One read snapshot around the statements of a read verb, when no
 * transaction is open; returns whether it began one, for read_end. */
int store__read_begin(struct store *);
void store__read_end(struct store *, int began);
/* How many times a connection took list marks another had left (tests). */
long store__shared_marks_taken(void);
/* How many index walks set list marks, in every connection (tests). */
long store__marks_walked(void);

#endif

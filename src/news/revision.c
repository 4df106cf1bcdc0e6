/* revision.c - placeholder until revisions land (news.h). */
#include "news/news.h"

#include <string.h>

#include "core/arena.h"

char *news_article_snapshot(struct arena *a, const struct article *art) { (void)art; return arena_strdup(a, "{}"); }
int news_article_from_snapshot(struct arena *a, const char *json, struct article *out) { (void)a; (void)json; memset(out, 0, sizeof *out); return -1; }

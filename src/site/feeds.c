/*
 * feeds.c - RSS, Atom, JSON Feed, sitemaps and structured data.
 * (Placeholder until the feeds work lands: no feed URLs yet.)
 */
#include "site/site_int.h"

#include <stddef.h>

int
site_feeds_route(struct site_ctx *c, const char *path)
{
	(void)c;
	(void)path;
	return 0;
}

const char *
site_article_jsonld(struct site_ctx *c, const struct article *art)
{
	(void)c;
	(void)art;
	return NULL;
}

const char *
site_front_jsonld(struct site_ctx *c)
{
	(void)c;
	return NULL;
}

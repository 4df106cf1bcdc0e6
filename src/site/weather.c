/*
 * weather.c - the weather page.  (Placeholder until the weather work
 * lands: answers 404.)
 */
#include "site/site_int.h"

void
site_weather(struct site_ctx *c)
{
	site_not_found(c);
}

/* articles.c - placeholder until the editor lands. */
#include "admin/admin_int.h"

void admin_articles_route(struct admin *ad, const char *rest) { (void)rest; admin_error(ad, 503, "준비 중"); }

/* api.c - placeholder until the JSON API lands. */
#include "admin/admin_int.h"

void api_route(struct site_ctx *c, const char *rest) { (void)rest; site_not_found(c); }

/*
 * admin.h - the newsroom (/admin/...) and the JSON API (/api/v1/...), as
 * the site's router sees them.  Both answer inside the site's request
 * context (site_int.h) with the same store connection and templates;
 * neither is ever cached.
 */
#ifndef SINMUN_ADMIN_ADMIN_H
#define SINMUN_ADMIN_ADMIN_H

struct site_ctx;

/* path is the decoded request path, "/admin" or "/admin/...". */
void admin_route(struct site_ctx *, const char *path);
/* rest is the decoded path after "/api/v1/" (search is the site's). */
void api_route(struct site_ctx *, const char *rest);

#endif

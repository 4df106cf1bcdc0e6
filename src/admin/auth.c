/* auth.c - placeholder until the login work lands (admin_int.h). */
#include "admin/admin_int.h"

#include <string.h>

int admin_session(struct site_ctx *c, struct admin *ad) { memset(ad, 0, sizeof *ad); ad->c = c; return 0; }
int admin_require(struct site_ctx *c, struct admin *ad) { memset(ad, 0, sizeof *ad); ad->c = c; site_error(c, 503, "준비 중"); return 0; }
int admin_form(struct admin *ad) { (void)ad; return 0; }
const char *admin_field(struct admin *ad, const char *name) { return http_param(ad->form, ad->nform, name); }
void admin_login(struct site_ctx *c) { site_error(c, 503, "준비 중"); }
void admin_logout(struct site_ctx *c) { site_error(c, 503, "준비 중"); }
void admin_password(struct site_ctx *c, struct admin *ad) { (void)ad; site_error(c, 503, "준비 중"); }
const char *admin_token_hash(struct arena *a, const char *token) { (void)a; (void)token; return ""; }
const char *admin_new_token(struct arena *a) { (void)a; return ""; }

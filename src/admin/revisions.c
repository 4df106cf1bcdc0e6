/* revisions.c - placeholder until revisions and corrections land. */
#include "admin/admin_int.h"

void admin_revisions(struct admin *ad, int64_t id) { (void)id; admin_error(ad, 503, "준비 중"); }
void admin_revision(struct admin *ad, int64_t id, int64_t rid) { (void)id; (void)rid; admin_error(ad, 503, "준비 중"); }
void admin_revision_restore(struct admin *ad, int64_t id, int64_t rid) { (void)id; (void)rid; admin_error(ad, 503, "준비 중"); }
void admin_correction_add(struct admin *ad, int64_t id) { (void)id; admin_error(ad, 503, "준비 중"); }

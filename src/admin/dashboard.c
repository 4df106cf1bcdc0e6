/* dashboard.c - placeholder until the dashboard lands. */
#include "admin/admin_int.h"

void admin_dashboard(struct admin *ad) { admin_error(ad, 503, "준비 중"); }

/* settings.c - placeholder until the settings pages land. */
#include "admin/admin_int.h"

int admin_settings_route(struct admin *ad, const char *path) { (void)ad; (void)path; return 0; }

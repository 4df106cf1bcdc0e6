/* store_newsroom.c - placeholder: the newsroom verbs (store.h) until they land. */
#include "store/store.h"

int
store_section_update(struct store *p0, int64_t id, const char *name, int position)
{
	(void)p0; (void)id; (void)name; (void)position; return STORE_UNSUPPORTED;
}

int
store_article_set_desk_note(struct store *p0, int64_t id, const char *note)
{
	(void)p0; (void)id; (void)note; return STORE_UNSUPPORTED;
}

int
store_articles_publish_due(struct store *p0, time_t now, int64_t *ids, int max, int *n)
{
	(void)p0; (void)now; (void)ids; (void)max; (void)n; return STORE_UNSUPPORTED;
}

int
store_articles_count_kinds(struct store *p0, time_t since, time_t until, int64_t *counts)
{
	(void)p0; (void)since; (void)until; (void)counts; return STORE_UNSUPPORTED;
}

int
store_session_create(struct store *p0, const char *token_hash, int64_t person_id, const char *csrf, time_t now, time_t expires_at, const char *remote)
{
	(void)p0; (void)token_hash; (void)person_id; (void)csrf; (void)now; (void)expires_at; (void)remote; return STORE_UNSUPPORTED;
}

int
store_session_get(struct store *p0, struct arena *p1, const char *token_hash, time_t now, struct session_row *out)
{
	(void)p0; (void)p1; (void)token_hash; (void)now; (void)out; return STORE_UNSUPPORTED;
}

int
store_session_touch(struct store *p0, const char *token_hash, time_t now, time_t expires_at)
{
	(void)p0; (void)token_hash; (void)now; (void)expires_at; return STORE_UNSUPPORTED;
}

int
store_session_delete(struct store *p0, const char *token_hash)
{
	(void)p0; (void)token_hash; return STORE_UNSUPPORTED;
}

int
store_sessions_delete_person(struct store *p0, int64_t person_id)
{
	(void)p0; (void)person_id; return STORE_UNSUPPORTED;
}

int
store_sessions_prune(struct store *p0, time_t now, time_t before)
{
	(void)p0; (void)now; (void)before; return STORE_UNSUPPORTED;
}

int
store_login_failure_add(struct store *p0, const char *key, time_t at)
{
	(void)p0; (void)key; (void)at; return STORE_UNSUPPORTED;
}

int
store_login_failures(struct store *p0, const char *key, time_t since, int *count)
{
	(void)p0; (void)key; (void)since; (void)count; return STORE_UNSUPPORTED;
}

int
store_login_failures_clear(struct store *p0, const char *key)
{
	(void)p0; (void)key; return STORE_UNSUPPORTED;
}

int
store_audit_add(struct store *p0, time_t at, int64_t person_id, const char *action, int64_t article_id, const char *detail, const char *remote)
{
	(void)p0; (void)at; (void)person_id; (void)action; (void)article_id; (void)detail; (void)remote; return STORE_UNSUPPORTED;
}

int
store_audit_list(struct store *p0, struct arena *p1, int64_t article_id, int limit, struct audit_row **out, int *n)
{
	(void)p0; (void)p1; (void)article_id; (void)limit; (void)out; (void)n; return STORE_UNSUPPORTED;
}

int
store_revision_add(struct store *p0, int64_t article_id, int version, int64_t person_id, time_t at, const char *snapshot, int64_t *id)
{
	(void)p0; (void)article_id; (void)version; (void)person_id; (void)at; (void)snapshot; (void)id; return STORE_UNSUPPORTED;
}

int
store_revisions_list(struct store *p0, struct arena *p1, int64_t article_id, struct revision_row **out, int *n)
{
	(void)p0; (void)p1; (void)article_id; (void)out; (void)n; return STORE_UNSUPPORTED;
}

int
store_revision_get(struct store *p0, struct arena *p1, int64_t id, struct revision_row *out)
{
	(void)p0; (void)p1; (void)id; (void)out; return STORE_UNSUPPORTED;
}

const char *
correction_kind_name(enum correction_kind k)
{
	(void)k; return "";
}

const char *
correction_kind_label(enum correction_kind k)
{
	(void)k; return "";
}

int
correction_kind_parse(const char *p0)
{
	(void)p0; return -1;
}

int
store_correction_add(struct store *p0, struct correction *c)
{
	(void)p0; (void)c; return STORE_UNSUPPORTED;
}

int
store_corrections_list(struct store *p0, struct arena *p1, int64_t article_id, struct correction **out, int *n)
{
	(void)p0; (void)p1; (void)article_id; (void)out; (void)n; return STORE_UNSUPPORTED;
}

int
store_token_create(struct store *p0, int64_t person_id, const char *token_hash, const char *name, time_t now, int64_t *id)
{
	(void)p0; (void)person_id; (void)token_hash; (void)name; (void)now; (void)id; return STORE_UNSUPPORTED;
}

int
store_token_lookup(struct store *p0, struct arena *p1, const char *token_hash, time_t now, struct person *who, int64_t *token_id)
{
	(void)p0; (void)p1; (void)token_hash; (void)now; (void)who; (void)token_id; return STORE_UNSUPPORTED;
}

int
store_token_revoke(struct store *p0, int64_t id, time_t now)
{
	(void)p0; (void)id; (void)now; return STORE_UNSUPPORTED;
}

int
store_tokens_list(struct store *p0, struct arena *p1, int64_t person_id, struct api_token_row **out, int *n)
{
	(void)p0; (void)p1; (void)person_id; (void)out; (void)n; return STORE_UNSUPPORTED;
}

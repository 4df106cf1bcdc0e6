/*
 * token.c - 'sinmun token': API tokens from the command line.
 *
 *   sinmun token create --email E [--name N]
 *   sinmun token revoke --id N | --email E
 *   sinmun token list [--email E]
 *
 * A token is printed once, when it is made; the store keeps only its
 * hash, made by the same function the server checks Bearer tokens with
 * (admin_token_hash), so a copy of the database holds no usable token.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "admin/admin_int.h"
#include "core/arena.h"
#include "core/kdate.h"
#include "news/news.h"
#include "store/store.h"

#define TOKEN_NAME_MAX 50   /* characters */

static const char usage[] =
    "usage: sinmun token create --email E [--name N] [--db PATH] [--config FILE]\n"
    "       sinmun token revoke --id N | --email E [--db PATH] [--config FILE]\n"
    "       sinmun token list [--email E] [--db PATH] [--config FILE]\n"
    "\n"
    "API tokens for /api/v1/ (Authorization: Bearer TOKEN).  create prints the\n"
    "token once on standard output; only its hash is stored.  revoke --id ends\n"
    "one token, revoke --email every live token of that person.\n";

static const char *
when(struct arena *a, time_t t)
{
	char s[KDATE_MAX];

	if (t == 0)
		return "-";
	kdate_iso8601(t, s);
	return arena_strdup(a, s);
}

int
cmd_token(int argc, char **argv)
{
	static const char *const verbs[] = { "create", "revoke", "list", NULL };
	const char *email = NULL, *name = NULL, *id_s = NULL;
	struct cli_extra extra[] = {
		{ "email", 1, &email }, { "name", 1, &name }, { "id", 1, &id_s }, { NULL, 0, NULL },
	};
	struct arena a = ARENA_INIT;
	struct cli_opts co;
	struct store *st = NULL;
	struct api_token_row *rows;
	struct person p;
	const char *verb, *tok;
	char err[512];
	int64_t id = 0, tid;
	time_t now = time(NULL);
	int rc, ret = 1, n, i, count;

	if ((verb = cli_verb(argc, argv, "token", verbs, usage, &rc)) == NULL)
		return rc;
	if ((rc = cli_parse(argc - 1, argv + 1, "token", "dc", usage, &co, NULL, extra)) != 0)
		return rc < 0 ? 2 : 0;
	if (email != NULL && strchr(email, '@') == NULL)
		return cli_die("token %s: --email needs an e-mail address", verb) + 1;
	if (strcmp(verb, "create") == 0) {
		if (email == NULL)
			return cli_die("token create: --email is required") + 1;
		if (name == NULL)
			name = "";
		const char *nfc = news_nfc(&a, name, strlen(name));

		if (nfc == NULL || news_strlen_chars(nfc) > TOKEN_NAME_MAX ||
		    strpbrk(name, "\t\n\r\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
		    "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f") != NULL) {
			arena_free(&a);
			return cli_die("token create: --name must be one line of UTF-8, at most %d characters",
			    TOKEN_NAME_MAX) + 1;
		}
		name = nfc;
	}
	if (strcmp(verb, "revoke") == 0) {
		if ((id_s == NULL) == (email == NULL))
			return cli_die("token revoke: give --id N or --email E") + 1;
		if (id_s && (id = site_parse_id(id_s, strlen(id_s))) < 1)
			return cli_die("token revoke: --id must be a positive number") + 1;
	}
	if (strcmp(verb, "list") == 0 && (name || id_s))
		return cli_die("token list: only --email may narrow the list") + 1;
	if ((st = store_open(co.cfg.db, 0, NULL, err, sizeof err)) == NULL)
		return cli_die("%s", err);
	p.id = 0;
	if (email != NULL && cli_person(st, &a, "token", verb, email, &p) != 0)
		goto out;
	if (strcmp(verb, "create") == 0) {
		if (!p.active || p.role == ROLE_CONTRIBUTOR) {
			cli_die("token create: %s is not an active newsroom account", email);
			goto out;
		}
		tok = admin_new_token(&a);
		if (tok == NULL || tok[0] == '\0') {
			cli_die("token create: could not make a token");
			goto out;
		}
		if (store_token_create(st, p.id, admin_token_hash(&a, tok), name, now, &tid) != STORE_OK) {
			cli_die("token create: %s", store_errmsg(st));
			goto out;
		}
		/* The token alone on stdout, so a script can take it; the rest on stderr. */
		printf("%s\n", tok);
		fprintf(stderr, "token %lld for %s created; it is shown only this once\n", (long long)tid, email);
		ret = 0;
		goto out;
	}
	if ((rc = store_tokens_list(st, &a, p.id, &rows, &n)) != STORE_OK) {
		cli_die("token %s: %s", verb, store_errmsg(st));
		goto out;
	}
	if (strcmp(verb, "list") == 0) {
		for (i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)rows[i].id, rows[i].person_email,
			    rows[i].name[0] ? rows[i].name : "-", when(&a, rows[i].created_at),
			    when(&a, rows[i].last_used), rows[i].revoked_at ? "revoked" : "live");
		ret = 0;
		goto out;
	}
	/* revoke */
	count = 0;
	if (store_begin(st) != STORE_OK) {
		cli_die("token revoke: %s", store_errmsg(st));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((id && rows[i].id != id) || rows[i].revoked_at)
			continue;
		if (store_token_revoke(st, rows[i].id, now) != STORE_OK) {
			store_rollback(st);
			cli_die("token revoke: %s", store_errmsg(st));
			goto out;
		}
		count++;
	}
	if (id) {
		for (i = 0; i < n && rows[i].id != id; i++)
			;
		if (i == n) {
			store_rollback(st);
			cli_die("token revoke: no token %lld", (long long)id);
			goto out;
		}
	}
	if (store_commit(st) != STORE_OK) {
		store_rollback(st);
		cli_die("token revoke: %s", store_errmsg(st));
		goto out;
	}
	printf("revoked %d token%s\n", count, count == 1 ? "" : "s");
	ret = 0;
out:
	store_close(st);
	arena_free(&a);
	return ret;
}

/*
 * user.c - 'sinmun user': newsroom accounts from the command line.
 *
 *   sinmun user add --email E --name N --role reporter|editor|admin
 *   sinmun user passwd --email E
 *   sinmun user disable --email E
 *   sinmun user list
 *
 * The password comes from standard input (its first line) when something
 * is piped in; otherwise a one-time password is made, printed once, and
 * must be changed at the first login.  Passwords are stored as argon2id
 * hashes (libsodium crypto_pwhash_str).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/arena.h"
#include "news/account.h"
#include "news/news.h"
#include "store/store.h"

#define PASSWORD_MIN NEWS_PASSWORD_MIN
#define PASSWORD_MAX NEWS_PASSWORD_MAX
#define ONE_TIME_LEN NEWS_ONE_TIME_LEN

static const char usage[] =
    "usage: sinmun user add --email E --name N --role reporter|editor|admin [--db PATH] [--config FILE]\n"
    "       sinmun user passwd --email E [--db PATH] [--config FILE]\n"
    "       sinmun user disable --email E [--db PATH] [--config FILE]\n"
    "       sinmun user list [--db PATH] [--config FILE]\n"
    "\n"
    "Newsroom accounts.  For add and passwd the password is the first line of\n"
    "standard input when one is piped in (at least 10 characters); otherwise a\n"
    "one-time password is printed once and must be changed at the first login.\n";

/* The password from a pipe, "" when standard input is a terminal or empty,
 * or NULL after printing why it is unusable. */
static const char *
read_password(char *out, size_t len)
{
	size_t n;

	out[0] = '\0';
	if (isatty(STDIN_FILENO))
		return out;
	if (fgets(out, (int)len, stdin) == NULL)
		return out;
	n = strcspn(out, "\r\n");
	if (out[n] == '\0' && n == len - 1) {
		cli_die("user: the password is longer than %d bytes", PASSWORD_MAX);
		return NULL;
	}
	out[n] = '\0';
	if (n > 0 && news_strlen_chars(out) < PASSWORD_MIN) {
		cli_die("user: the password must have at least %d characters", PASSWORD_MIN);
		return NULL;
	}
	return out;
}

/* Hashes the piped password, or a new one-time password (printed). */
static int
set_password(struct store *st, int64_t id, const char *email)
{
	char pw[PASSWORD_MAX + 2], otp[ONE_TIME_LEN + 1], hash[NEWS_HASH_MAX];
	const char *p;
	int once = 0;

	if ((p = read_password(pw, sizeof pw)) == NULL)
		return 1;
	if (*p == '\0') {
		news_one_time_password(otp);
		p = otp;
		once = 1;
	}
	if (news_password_hash(p, hash) != 0)
		return cli_die("user: not enough memory to hash the password");
	sodium_memzero(pw, sizeof pw);
	if (store_person_set_password(st, id, hash, once) != STORE_OK)
		return cli_die("user: %s", store_errmsg(st));
	if (once)
		printf("one-time password for %s: %s (to be changed at the first login)\n", email, otp);
	sodium_memzero(otp, sizeof otp);
	return 0;
}

int
cmd_user(int argc, char **argv)
{
	static const char *const verbs[] = { "add", "passwd", "disable", "list", NULL };
	const char *email, *name, *role_s;
	struct cli_extra extra[] = {
		{ "email", 1, &email }, { "name", 1, &name }, { "role", 1, &role_s }, { NULL, 0, NULL },
	};
	struct arena a = ARENA_INIT;
	struct cli_opts co;
	struct store *st = NULL;
	struct person p, *people;
	const char *verb, *hash;
	char err[512];
	int64_t id;
	int rc, role, ret = 1, n, i, once;

	if ((verb = cli_verb(argc, argv, "user", verbs, usage, &rc)) == NULL)
		return rc;
	if ((rc = cli_parse(argc - 1, argv + 1, "user", "dc", usage, &co, NULL, extra)) != 0)
		return rc < 0 ? 2 : 0;
	if (strcmp(verb, "list") != 0 && (email == NULL || strchr(email, '@') == NULL))
		return cli_die("user %s: --email with an e-mail address is required", verb) + 1;
	role = ROLE_REPORTER;
	if (strcmp(verb, "add") == 0) {
		if (name == NULL || name[0] == '\0')
			return cli_die("user add: --name is required") + 1;
		role = role_s ? person_role_parse(role_s) : -1;
		if (role != ROLE_REPORTER && role != ROLE_EDITOR && role != ROLE_ADMIN)
			return cli_die("user add: --role must be reporter, editor or admin") + 1;
	}
	if ((st = store_open(co.cfg.db, 0, NULL, err, sizeof err)) == NULL)
		return cli_die("%s", err);
	if (strcmp(verb, "list") == 0) {
		if (store_people_list(st, &a, &people, &n) != STORE_OK) {
			cli_die("user list: %s", store_errmsg(st));
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (store_person_password(st, &a, people[i].id, &hash, &once) != STORE_OK)
				hash = NULL;
			printf("%lld\t%s\t%s\t%s\t%s\n", (long long)people[i].id, people[i].email,
			    people[i].name, person_role_name(people[i].role),
			    !people[i].active ? "disabled" : hash == NULL ? "no login" :
			    once ? "one-time password" : "active");
		}
		ret = 0;
		goto out;
	}
	if (strcmp(verb, "add") == 0) {
		rc = store_person_by_email(st, &a, email, &p);
		if (rc == STORE_OK && store_person_password(st, &a, p.id, &hash, &once) == STORE_OK && hash) {
			cli_die("user add: %s already has an account", email);
			goto out;
		}
		/* A byline without an account (an imported reporter) becomes one. */
		if (store_begin(st) != STORE_OK ||
		    store_person_put(st, name, email, (enum person_role)role, &id) != STORE_OK ||
		    store_person_set_role(st, id, (enum person_role)role) != STORE_OK ||
		    store_person_set_active(st, id, 1) != STORE_OK) {
			store_rollback(st);
			cli_die("user add: %s", store_errmsg(st));
			goto out;
		}
		if (set_password(st, id, email) != 0) {
			store_rollback(st);
			goto out;
		}
		if (store_commit(st) != STORE_OK) {
			cli_die("user add: %s", store_errmsg(st));
			goto out;
		}
		printf("added %s (%s, %s)\n", email, name, person_role_label((enum person_role)role));
		ret = 0;
		goto out;
	}
	if (cli_person(st, &a, "user", verb, email, &p) != 0)
		goto out;
	if (strcmp(verb, "passwd") == 0) {
		if ((ret = set_password(st, p.id, email)) == 0)
			printf("password of %s changed\n", email);
	} else {
		if (store_person_set_active(st, p.id, 0) != STORE_OK) {
			cli_die("user disable: %s", store_errmsg(st));
			goto out;
		}
		printf("disabled %s: it can no longer log in\n", email);
		ret = 0;
	}
out:
	store_close(st);
	arena_free(&a);
	return ret;
}

/*
 * test_user.c - 'sinmun user': accounts with argon2id hashes, piped or
 * one-time passwords, disabling, and one-line errors.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "testutil.h"

static char db[128];

static void
setup(void)
{
	tu_init_db(db, sizeof db, 0);
}

static void
teardown(void)
{
	tu_rm_db(db);
}

/* password_hash, must_change_password and active of one account. */
static void
account(const char *email, char *hash, size_t len, int *must_change, int *active)
{
	sqlite3 *h;
	sqlite3_stmt *s;

	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT coalesce(password_hash, ''), must_change_password, active "
	    "FROM person WHERE email = ?1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, email, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "no account %s", email);
	snprintf(hash, len, "%s", sqlite3_column_text(s, 0));
	*must_change = sqlite3_column_int(s, 1);
	*active = sqlite3_column_int(s, 2);
	sqlite3_finalize(s);
	sqlite3_close(h);
}

Test(user, add_passwd_disable, .init = setup, .fini = teardown)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	char hash[256], otp[64] = "";
	int must, active;
	const char *p;

	cr_assert_eq(sodium_init() >= 0, 1);
	{
		const char *argv[] = { tu_bin(), "user", "add", "--db", db, "--email", "desk@example.kr",
			"--name", "이데스크", "--role", "editor", NULL };
		cr_assert_eq(tu_run_stdin(argv, "correct horse battery\n", &out, &err), 0, "%s", err.p);
	}
	account("desk@example.kr", hash, sizeof hash, &must, &active);
	cr_expect(strncmp(hash, "$argon2id$", 10) == 0, "argon2id, got %s", hash);
	cr_expect_eq(crypto_pwhash_str_verify(hash, "correct horse battery", 21), 0);
	cr_expect_neq(crypto_pwhash_str_verify(hash, "correct horse batterx", 21), 0);
	cr_expect_eq(must, 0);
	cr_expect_eq(active, 1);

	/* Nothing piped in: a one-time password, printed once. */
	buf_reset(&out);
	buf_reset(&err);
	{
		const char *argv[] = { tu_bin(), "user", "add", "--db", db, "--email", "kim@example.kr",
			"--name", "김하늘", "--role", "reporter", NULL };
		cr_assert_eq(tu_run_stdin(argv, NULL, &out, &err), 0, "%s", err.p);
	}
	p = strstr(out.p, "one-time password for kim@example.kr: ");
	cr_assert_not_null(p, "%s", out.p);
	p += strlen("one-time password for kim@example.kr: ");
	memcpy(otp, p, strcspn(p, " \n") < sizeof otp ? strcspn(p, " \n") : sizeof otp - 1);
	cr_expect_eq(strlen(otp), 16);
	account("kim@example.kr", hash, sizeof hash, &must, &active);
	cr_expect_eq(crypto_pwhash_str_verify(hash, otp, strlen(otp)), 0);
	cr_expect_eq(must, 1, "a one-time password must be changed");

	buf_reset(&out);
	buf_reset(&err);
	{
		const char *argv[] = { tu_bin(), "user", "passwd", "--db", db, "--email", "kim@example.kr", NULL };
		cr_assert_eq(tu_run_stdin(argv, "새로운 비밀번호 열 글자 이상\n", &out, &err), 0, "%s", err.p);
	}
	account("kim@example.kr", hash, sizeof hash, &must, &active);
	cr_expect_eq(crypto_pwhash_str_verify(hash, "새로운 비밀번호 열 글자 이상",
	    strlen("새로운 비밀번호 열 글자 이상")), 0);
	cr_expect_eq(must, 0);

	buf_reset(&out);
	buf_reset(&err);
	{
		const char *argv[] = { tu_bin(), "user", "disable", "--db", db, "--email", "kim@example.kr", NULL };
		cr_assert_eq(tu_run(argv, &out, &err), 0, "%s", err.p);
	}
	account("kim@example.kr", hash, sizeof hash, &must, &active);
	cr_expect_eq(active, 0);
	buf_free(&out);
	buf_free(&err);
}

struct bad_case {
	const char *args[8];
	const char *input;
	const char *want;
};

static const struct bad_case bad_cases[] = {
	{ { "add", "--email", "x@example.kr", "--name", "엑스", "--role", "boss", NULL }, NULL,
	  "--role must be reporter, editor or admin" },
	{ { "add", "--email", "not-an-address", "--name", "엑스", "--role", "editor", NULL }, NULL,
	  "--email with an e-mail address is required" },
	{ { "add", "--email", "x@example.kr", "--role", "editor", NULL }, NULL, "--name is required" },
	{ { "add", "--email", "x@example.kr", "--name", "엑스", "--role", "editor", NULL }, "short\n",
	  "at least 10 characters" },
	{ { "passwd", "--email", "nobody@example.kr", NULL }, NULL, "no account for nobody@example.kr" },
	{ { "promote", "--email", "x@example.kr", NULL }, NULL, "unknown action 'promote'" },
};

Test(user, errors_are_one_line, .init = setup, .fini = teardown)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *argv[16];
	size_t i;
	int k, n;

	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		n = 0;
		argv[n++] = tu_bin();
		argv[n++] = "user";
		argv[n++] = bad_cases[i].args[0];
		argv[n++] = "--db";
		argv[n++] = db;
		for (k = 1; bad_cases[i].args[k]; k++)
			argv[n++] = bad_cases[i].args[k];
		argv[n] = NULL;
		buf_reset(&out);
		buf_reset(&err);
		cr_expect_neq(tu_run_stdin(argv, bad_cases[i].input, &out, &err), 0, "case %zu accepted", i);
		cr_expect(strstr(err.p, bad_cases[i].want) != NULL, "case %zu: '%s'", i, err.p);
		cr_expect(strchr(err.p, '\n') == err.p + err.len - 1, "case %zu: one line: '%s'", i, err.p);
	}
	/* An account that exists is not added twice. */
	{
		const char *add[] = { tu_bin(), "user", "add", "--db", db, "--email", "d@example.kr",
			"--name", "디", "--role", "admin", NULL };
		cr_assert_eq(tu_run_stdin(add, "a long enough password\n", &out, &err), 0);
		buf_reset(&err);
		cr_expect_neq(tu_run_stdin(add, "a long enough password\n", &out, &err), 0);
		cr_expect(strstr(err.p, "already has an account") != NULL, "%s", err.p);
	}
	buf_free(&out);
	buf_free(&err);
}

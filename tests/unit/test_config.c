/*
 * test_config.c - the INI file: every key, and bad lines named by number.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "/tmp/sinmun-cfg-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

Test(config, good_file)
{
	struct config c;
	char err[512];
	char *p = write_tmp("; comment\n[store]\ndb = /var/lib/sinmun/paper.db\n\n[server]\n"
	    "listen = 0.0.0.0:9090\nthreads = 4\naccess_log = off\nbase_url = https://news.example.kr\n"
	    "https = true\n[log]\nlevel = warn\n");

	config_defaults(&c);
	cr_expect_eq(c.threads, 0, "by default one event loop per CPU");
	cr_assert_eq(config_load(&c, p, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(c.db, "/var/lib/sinmun/paper.db");
	cr_expect_str_eq(c.listen_host, "0.0.0.0");
	cr_expect_eq(c.listen_port, 9090);
	cr_expect_eq(c.threads, 4);
	cr_expect_str_eq(c.access_log, "off");
	cr_expect_str_eq(c.base_url, "https://news.example.kr");
	cr_expect_eq(c.https, 1);
	cr_expect_str_eq(c.log_level, "warn");
	unlink(p);
}

struct bad_case {
	const char *text;
	const char *want;   /* substring of the error, after "FILE:" */
};

static const struct bad_case bad_cases[] = {
	{ "[server]\nlisten = 127.0.0.1:8080\nbogus = 1\n", ":3: unknown key 'bogus' in [server]" },
	{ "[server]\nthreads = many\n", ":2: 'threads' must be a whole number from 0 to 64" },
	{ "[server]\nthreads = 65\n", ":2: 'threads' must be a whole number" },
	{ "[server]\nthreads = -1\n", ":2: 'threads' must be a whole number" },
	{ "[server]\n\n\nlisten = nowhere\n", ":4: bad listen address 'nowhere'" },
	{ "[server]\nlisten = 127.0.0.1:99999\n", ":2: bad port" },
	{ "[server]\nhttps = maybe\n", ":2: 'https' must be true or false" },
	{ "[log]\nlevel = loud\n", ":2: 'level' must be one of" },
	{ "[server]\nthis line has no equals sign\n", ":2: not a valid line" },
	{ "[nosuch]\nkey = 1\n", ":2: unknown key 'key' in [nosuch]" },
};

Test(config, bad_lines_name_their_number)
{
	struct config c;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		char *p = write_tmp(bad_cases[i].text);

		config_defaults(&c);
		cr_expect_eq(config_load(&c, p, err, sizeof err), -1, "case %zu accepted", i);
		cr_expect(strstr(err, bad_cases[i].want) != NULL, "case %zu: got '%s', want '%s'",
		    i, err, bad_cases[i].want);
		cr_expect(strncmp(err, p, strlen(p)) == 0, "case %zu names the file: %s", i, err);
		unlink(p);
	}
}

Test(config, missing_file)
{
	struct config c;
	char err[512];

	config_defaults(&c);
	cr_expect_eq(config_load(&c, "/nonexistent/sinmun.ini", err, sizeof err), -1);
	cr_expect(strstr(err, "No such file") != NULL, "%s", err);
}

Test(config, listen_forms)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	cr_assert_eq(config_set_listen(&c, "[::1]:8081", err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(c.listen_host, "::1");
	cr_expect_eq(c.listen_port, 8081);
	cr_assert_eq(config_set_listen(&c, ":8082", err, sizeof err), 0);
	cr_expect_str_eq(c.listen_host, "0.0.0.0");
	cr_expect_eq(config_set_listen(&c, "[::1]8081", err, sizeof err), -1);
	cr_expect_eq(config_set_listen(&c, "host:", err, sizeof err), -1);
	cr_expect_eq(config_set_listen(&c, "host:0", err, sizeof err), -1);
}

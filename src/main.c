/*
 * main.c - the sinmun command line: one binary, one verb per job.  Each
 * command lives in src/cli/; this file only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "render/sanitize.h"
#include "store/store.h"

#define SINMUN_VERSION "0.1.0"

static const struct command {
	const char *name;
	int       (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "serve", cmd_serve, "serve the site" },
	{ "init", cmd_init, "create or migrate a database" },
	{ "user", cmd_user, "newsroom accounts: add, passwd, disable, list" },
	{ "token", cmd_token, "API tokens: create, revoke, list" },
	{ "search", cmd_search, "search the published articles; rebuild the index" },
	{ "import", cmd_import, "load articles (import jsonl FILE)" },
	{ "bench-data", cmd_bench_data, "write realistic Korean articles for benchmarks" },
	{ "weather", cmd_weather, "KMA observations: ingest FILE, fetch" },
	{ "export", cmd_export, "export data (article-list: CSV for portal applications)" },
};

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: sinmun COMMAND [OPTIONS]\n\n"
	    "sinmun " SINMUN_VERSION " - a newspaper: the newsroom and the public site.\n\ncommands:\n", f);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("  version    print the version\n\n'sinmun COMMAND --help' describes a command.\n", f);
}

int
main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	/* The store indexes articles it publishes with the sanitizer's text. */
	store_set_text_of(sanitize_text);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		puts("sinmun " SINMUN_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cli_die("unknown command '%s' (see 'sinmun --help')", cmd) + 1;
}

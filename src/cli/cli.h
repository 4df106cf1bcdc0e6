/*
 * cli.h - what the commands of the sinmun binary share: option parsing
 * (--db, --config, --listen, --demo, --threads, --help on top of the INI
 * file), one-line errors, opening the database.
 *
 * Each command is a function int cmd_NAME(int argc, char **argv) in its
 * own file under src/cli/, listed in main.c's table.  argv[0] is the
 * command's name.  Exit status: 0 done, 1 failed, 2 bad usage.
 */
#ifndef SINMUN_CLI_CLI_H
#define SINMUN_CLI_CLI_H

#include "core/config.h"

/* Options every command shares. */
struct cli_opts {
	struct config cfg;
	const char   *config_path;
	const char   *db;
	const char   *listen;
	int           demo;
	int           threads;
	int           threads_given;
};

/* Option letters for cli_parse's allowed string. */
#define CLI_DB      "d"
#define CLI_LISTEN  "l"
#define CLI_CONFIG  "c"
#define CLI_DEMO    "D"
#define CLI_THREADS "t"

/* Prints "sinmun: MESSAGE" on stderr; returns 1. */
int cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The action of a command that takes one first ('sinmun user add ...'):
 * argv[1] when it is one of verbs (NULL-terminated).  Otherwise NULL,
 * with *status the exit status: 0 after printing usage for --help or -h,
 * 2 after a one-line error that names the actions.
 */
const char *cli_verb(int argc, char **argv, const char *cmd, const char *const *verbs, const char *usage,
    int *status);

struct arena;
struct person;
struct store;
/* The account with that e-mail address into *p: 0, or 1 after printing
 * "CMD VERB: no account for EMAIL" or the store's error. */
int cli_person(struct store *, struct arena *, const char *cmd, const char *verb, const char *email,
    struct person *p);

/* A command's own long option: after parsing, *value is its argument
 * ("1" for a flag without one) or NULL when absent. */
struct cli_extra {
	const char  *name;
	int          has_arg;
	const char **value;
};

/*
 * Parses the options of one command.  allowed is a string of the option
 * letters the command takes ("dlcDt").  Returns 0, 1 when --help printed
 * the usage, or -1 after printing an error.  Arguments that are not
 * options are left in argv[*first_arg ..] when first_arg is not NULL;
 * otherwise they are an error.  extra (NULL or ended by a NULL name) adds
 * the command's own options.
 */
int cli_parse(int argc, char **argv, const char *cmd, const char *allowed, const char *usage,
    struct cli_opts *, int *first_arg, const struct cli_extra *extra);

/* Opens the database (creating it, with the demo when asked) and closes
 * it again: migrations run here.  Returns 0 or 1 after printing the error. */
int cli_prepare_db(struct cli_opts *, const char *cmd);

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_bench_data(int argc, char **argv);
int cmd_weather(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif

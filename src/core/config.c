/*
 * config.c - INI configuration through inih, validated key by key.
 */
#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "core/log.h"

void
config_defaults(struct config *c)
{
	const char *env;

	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "sinmun.db");
	snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
	c->listen_port = 8080;
	c->threads = 0;          /* one event loop per CPU this process may use */
	c->render_threads = 0;   /* two per CPU */
	c->cache_bytes = 64L << 20;
	snprintf(c->access_log, sizeof c->access_log, "-");
	snprintf(c->log_level, sizeof c->log_level, "info");
	snprintf(c->weather_url, sizeof c->weather_url, "%s", CONFIG_WEATHER_URL);
	c->weather_interval = 600;
	c->weather_stale_after = 3 * 3600;
	c->weather_timeout = 20;
	c->weather_retries = 2;
	c->schedule_interval = 15;
	/* The key may stay out of the file.  A value that cannot be a key is
	 * not used; the warning names the variable, never its value. */
	env = getenv(CONFIG_WEATHER_KEY_ENV);
	if (env && *env) {
		if (config_check_key(env) == 0)
			snprintf(c->weather_key, sizeof c->weather_key, "%s", env);
		else
			log_warn("config: $%s is not a valid key (printable ASCII without spaces, "
			    "under %zu bytes): ignored", CONFIG_WEATHER_KEY_ENV, sizeof c->weather_key);
	}
}

int
config_check_key(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return -1;
	return n > 0 && n < sizeof ((struct config *)0)->weather_key ? 0 : -1;
}

int
config_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
config_set_listen(struct config *c, const char *value, char *err, size_t errlen)
{
	const char *colon, *host;
	size_t hostlen;
	long port;

	if (value[0] == '[') {
		const char *close = strchr(value, ']');

		if (close == NULL || close[1] != ':') {
			snprintf(err, errlen, "bad listen address '%s' (want [v6]:PORT)", value);
			return -1;
		}
		host = value + 1;
		hostlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(value, ':');
		if (colon == NULL) {
			snprintf(err, errlen, "bad listen address '%s' (want HOST:PORT)", value);
			return -1;
		}
		host = value;
		hostlen = (size_t)(colon - value);
	}
	if (config_parse_int(colon + 1, 1, 65535, &port) != 0) {
		snprintf(err, errlen, "bad port in listen address '%s'", value);
		return -1;
	}
	if (hostlen >= sizeof c->listen_host) {
		snprintf(err, errlen, "listen host too long");
		return -1;
	}
	if (hostlen == 0) {
		snprintf(c->listen_host, sizeof c->listen_host, "0.0.0.0");
	} else {
		memcpy(c->listen_host, host, hostlen);
		c->listen_host[hostlen] = '\0';
	}
	c->listen_port = (int)port;
	return 0;
}

int
config_check_url(const char *s)
{
	const char *host;

	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return -1;
	if (*host == '\0' || *host == '/')
		return -1;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || *s == '#')
			return -1;
	return 0;
}

/* K_URL: an http(s) URL without spaces or fragment.  K_SECRET: a string
 * never echoed in errors, where an empty value keeps the default (the KMA
 * key from the environment: a copied example file must not erase it). */
enum key_type { K_STRING, K_INT, K_LONG, K_BOOL, K_LISTEN, K_ENUM, K_URL, K_SECRET };

struct key {
	const char   *section;
	const char   *name;
	enum key_type type;
	size_t        off;       /* offset of the field in struct config */
	size_t        size;      /* for strings */
	long          min, max;  /* for ints */
	const char   *choices;   /* for enums: "|a|b|c|" */
};

#define STR_KEY(sec, nm, field) { sec, nm, K_STRING, offsetof(struct config, field), sizeof(((struct config *)0)->field), 0, 0, NULL }
static const struct key keys[] = {
	STR_KEY("store", "db", db),
	{ "server", "listen", K_LISTEN, 0, 0, 0, 0, NULL },
	{ "server", "threads", K_INT, offsetof(struct config, threads), 0, 0, 64, NULL },
	{ "server", "render_threads", K_INT, offsetof(struct config, render_threads), 0, 0, 256, NULL },
	STR_KEY("server", "access_log", access_log),
	STR_KEY("server", "base_url", base_url),
	{ "server", "https", K_BOOL, offsetof(struct config, https), 0, 0, 0, NULL },
	{ "cache", "bytes", K_LONG, offsetof(struct config, cache_bytes), 0, 0, 16L << 30, NULL },
	{ "log", "level", K_ENUM, offsetof(struct config, log_level), sizeof(((struct config *)0)->log_level), 0, 0, "|debug|info|warn|error|" },
	{ "weather", "url", K_URL, offsetof(struct config, weather_url), sizeof(((struct config *)0)->weather_url), 0, 0, NULL },
	{ "weather", "key", K_SECRET, offsetof(struct config, weather_key), sizeof(((struct config *)0)->weather_key), 0, 0, NULL },
	/* Below a minute only makes sense against a test server: KMA counts calls. */
	{ "weather", "interval", K_INT, offsetof(struct config, weather_interval), 0, 1, 86400, NULL },
	{ "weather", "stale_after", K_INT, offsetof(struct config, weather_stale_after), 0, 60, 7 * 86400, NULL },
	{ "weather", "timeout", K_INT, offsetof(struct config, weather_timeout), 0, 1, 300, NULL },
	{ "weather", "retries", K_INT, offsetof(struct config, weather_retries), 0, 0, 10, NULL },
	{ "newsroom", "schedule_interval", K_INT, offsetof(struct config, schedule_interval), 0, 1, 3600, NULL },
};

struct load_ctx {
	struct config *c;
	const char    *path;
	char          *err;
	size_t         errlen;
	int            failed;
};

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *lc = user;
	const struct key *k = NULL;
	char *field, msg[256], probe[64];
	size_t i;
	long v;

	if (lc->failed)
		return 0;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
			k = &keys[i];
	if (k == NULL) {
		snprintf(lc->err, lc->errlen, "unknown key '%s' in [%s]", name, section);
		goto bad;
	}
	field = (char *)lc->c + k->off;
	switch (k->type) {
	case K_STRING:
		if (strlen(value) >= k->size) {
			snprintf(lc->err, lc->errlen, "value of '%s' is too long", name);
			goto bad;
		}
		snprintf(field, k->size, "%s", value);
		break;
	case K_INT:
		if (config_parse_int(value, k->min, k->max, &v) != 0) {
			snprintf(lc->err, lc->errlen, "'%s' must be a whole number from %ld to %ld",
			    name, k->min, k->max);
			goto bad;
		}
		*(int *)(void *)field = (int)v;
		break;
	case K_LONG:
		if (config_parse_int(value, k->min, k->max, &v) != 0) {
			snprintf(lc->err, lc->errlen, "'%s' must be a whole number from %ld to %ld",
			    name, k->min, k->max);
			goto bad;
		}
		*(long *)(void *)field = v;
		break;
	case K_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0)
			*(int *)(void *)field = 1;
		else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 || strcmp(value, "0") == 0)
			*(int *)(void *)field = 0;
		else {
			snprintf(lc->err, lc->errlen, "'%s' must be true or false", name);
			goto bad;
		}
		break;
	case K_LISTEN:
		if (config_set_listen(lc->c, value, msg, sizeof msg) != 0) {
			snprintf(lc->err, lc->errlen, "%s", msg);
			goto bad;
		}
		break;
	case K_ENUM:
		snprintf(probe, sizeof probe, "|%s|", value);
		if (strlen(value) >= k->size || strstr(k->choices, probe) == NULL) {
			snprintf(lc->err, lc->errlen, "'%s' must be one of %s", name, k->choices);
			goto bad;
		}
		snprintf(field, k->size, "%s", value);
		break;
	case K_URL:
		if (strlen(value) >= k->size) {
			snprintf(lc->err, lc->errlen, "value of '%s' is too long", name);
			goto bad;
		}
		if (config_check_url(value) != 0) {
			snprintf(lc->err, lc->errlen, "'%s' must be an http:// or https:// URL "
			    "without spaces or '#'", name);
			goto bad;
		}
		snprintf(field, k->size, "%s", value);
		break;
	case K_SECRET:
		if (value[0] == '\0')
			break;
		if (config_check_key(value) != 0) {
			snprintf(lc->err, lc->errlen, "'%s' must be printable ASCII without spaces, "
			    "under %zu bytes", name, k->size);
			goto bad;
		}
		snprintf(field, k->size, "%s", value);
		break;
	}
	return 1;
bad:
	lc->failed = 1;
	return 0;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct load_ctx lc = { c, path, err, errlen, 0 };
	FILE *f;
	int rc;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = ini_parse_file(f, on_key, &lc);
	fclose(f);
	/* inih returns the line of the first error; Debian builds it without
	 * passing line numbers to the handler, so the prefix is added here. */
	if (lc.failed) {
		char msg[512];

		snprintf(msg, sizeof msg, "%s", err);
		snprintf(err, errlen, "%s:%d: %s", path, rc, msg);
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "%s:%d: not a valid line (want 'key = value' or '[section]')", path, rc);
		return -1;
	}
	return 0;
}

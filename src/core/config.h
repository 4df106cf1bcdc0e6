/*
 * config.h - the operator's settings: the INI file, then command-line
 * flags on top.
 *
 * Part of core.  Every key is declared in one table (config.c) with its
 * type and range, and documented in sinmun.example.ini; an unknown key or
 * a bad value is an error that names the file and line.  Site settings
 * that editors change (site name, legal footer, weather stations) live in
 * the database, not here.
 */
#ifndef SINMUN_CORE_CONFIG_H
#define SINMUN_CORE_CONFIG_H

#include <stddef.h>

#define CONFIG_PATH_MAX 1024

struct config {
	char db[CONFIG_PATH_MAX];          /* [store] db */
	char listen_host[256];             /* [server] listen, host part */
	int  listen_port;                  /* [server] listen, port part */
	int  threads;                      /* [server] threads: event loops */
	int  render_threads;               /* [server] render_threads: page makers */
	char access_log[CONFIG_PATH_MAX];  /* [server] access_log: "-", "off" or a path */
	char base_url[512];                /* [server] base_url: canonical origin, "" = setting */
	int  https;                        /* [server] https: cookies get Secure */
	char log_level[16];                /* [log] level */
	long cache_bytes;                  /* [cache] bytes: rendered-page cache size, 0 = off */
	char weather_url[512];             /* [weather] url: kma_sfctm2.php, no query */
	char weather_key[256];             /* [weather] key, else $SINMUN_KMA_KEY; "" = no live fetching */
	int  weather_interval;             /* [weather] interval: seconds between fetches */
	int  weather_stale_after;          /* [weather] stale_after: seconds an observation stays current */
	int  weather_timeout;              /* [weather] timeout: seconds for one request */
	int  weather_retries;              /* [weather] retries after a failed request */
	int  schedule_interval;            /* [newsroom] schedule_interval: seconds between
	                                    * checks for scheduled articles that are due */
};

/* The default of [weather] url: KMA API Hub, hourly ASOS observations. */
#define CONFIG_WEATHER_URL "https://apihub.kma.go.kr/api/typ01/url/kma_sfctm2.php"
/* The environment variable the KMA key may come from, so that it need not
 * be written into a file. */
#define CONFIG_WEATHER_KEY_ENV "SINMUN_KMA_KEY"

/* Built-in defaults.  The KMA key defaults to $SINMUN_KMA_KEY (when it is
 * a valid key; an empty [weather] key in the file keeps it). */
void config_defaults(struct config *);

/*
 * Reads an INI file over the current values.  Returns 0, or -1 with one
 * line in err ("FILE:LINE: unknown key 'x' in [server]").
 */
int config_load(struct config *, const char *path, char *err, size_t errlen);

/* Parses "HOST:PORT", "[v6]:PORT" or ":PORT" into the config. */
int config_set_listen(struct config *, const char *value, char *err, size_t errlen);

/* 0 when s can be a KMA key: printable ASCII, no spaces, fits the field. */
int config_check_key(const char *s);
/* 0 when s is an http:// or https:// URL with a host, no spaces, no '#'. */
int config_check_url(const char *s);

/* Parses a decimal integer in [min, max]; 0 on success. */
int config_parse_int(const char *s, long min, long max, long *out);

#endif

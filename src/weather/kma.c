/*
 * kma.c - parser for KMA API Hub hourly surface observations
 * (kma_sfctm2.php, and kma_sfctm3.php which has the same rows).
 *
 * Part of the weather module; the ingest job passes the raw HTTP body here
 * and gets struct weather_obs rows back (see weather.h for the contract).
 * The format is shared/spec/weather-kma.md §2: "#START7777", '#' comment
 * lines (ruler, column names, units, and with help=1 a Korean description
 * block), data rows of exactly 46 whitespace-separated fields mapped by
 * position (§2.3), "#7777END".  The parse is all or nothing: a body that is
 * anything else (an HTML error page, a JSON error with HTTP 200, a cut-off
 * transfer, a changed column layout) yields an error naming the line and
 * what was expected, and no rows, so the ticker keeps its last good state
 * instead of showing half a table or shifted columns.
 *
 * Comment lines are never decoded, so their encoding (ASCII, UTF-8 or the
 * EUC-KR reported for help=1) does not matter; data rows must be ASCII.
 */
#include "weather/weather.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFIELDS      46
#define START_MARK   "#START7777"
#define END_MARK     "#7777END"

enum col_type {
	COL_TIME,   /* YYYYMMDDHHMI, KST */
	COL_INT,
	COL_DEC,
	COL_TEXT,   /* WW, CT: '-' or codes */
};

/* §2.3, by token index.  Every numeric column is syntax-checked even when
 * it is not stored: a malformed value anywhere means the layout is not
 * what we think it is. */
static const struct {
	const char   *name;
	enum col_type type;
} cols[NFIELDS] = {
	{ "TM", COL_TIME },     { "STN", COL_INT },     { "WD", COL_INT },
	{ "WS", COL_DEC },      { "GST_WD", COL_INT },  { "GST_WS", COL_DEC },
	{ "GST_TM", COL_INT },  { "PA", COL_DEC },      { "PS", COL_DEC },
	{ "PT", COL_INT },      { "PR", COL_DEC },      { "TA", COL_DEC },
	{ "TD", COL_DEC },      { "HM", COL_DEC },      { "PV", COL_DEC },
	{ "RN", COL_DEC },      { "RN_DAY", COL_DEC },  { "RN_JUN", COL_DEC },
	{ "RN_INT", COL_DEC },  { "SD_HR3", COL_DEC },  { "SD_DAY", COL_DEC },
	{ "SD_TOT", COL_DEC },  { "WC", COL_INT },      { "WP", COL_INT },
	{ "WW", COL_TEXT },     { "CA_TOT", COL_INT },  { "CA_MID", COL_INT },
	{ "CH_MIN", COL_INT },  { "CT", COL_TEXT },     { "CT_TOP", COL_INT },
	{ "CT_MID", COL_INT },  { "CT_LOW", COL_INT },  { "VS", COL_INT },
	{ "SS", COL_DEC },      { "SI", COL_DEC },      { "ST_GD", COL_INT },
	{ "TS", COL_DEC },      { "TE_005", COL_DEC },  { "TE_01", COL_DEC },
	{ "TE_02", COL_DEC },   { "TE_03", COL_DEC },   { "ST_SEA", COL_INT },
	{ "WH", COL_DEC },      { "BF", COL_INT },      { "IR", COL_INT },
	{ "IX", COL_INT },
};

enum {
	F_TM = 0, F_STN = 1, F_WD = 2, F_WS = 3, F_TA = 11, F_TD = 12,
	F_HM = 13, F_WC = 22, F_WW = 24, F_CA_TOT = 25,
};

struct line {
	const char *p;
	size_t      n;    /* without the '\n' and one '\r' before it */
	int         no;   /* 1-based */
};

struct tok {
	const char *p;
	size_t      n;
};

static void fail(struct weather_err *err, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct weather_err *err, int line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Drops trailing spaces and tabs (a '\r' is already gone). */
static size_t
rtrim(const char *p, size_t n)
{
	while (n > 0 && is_blank((unsigned char)p[n - 1]))
		n--;
	return n;
}

static int
line_is(const struct line *l, const char *mark)
{
	size_t n = rtrim(l->p, l->n), m = strlen(mark);

	return n == m && memcmp(l->p, mark, m) == 0;
}

static int
line_is_blank(const struct line *l)
{
	return rtrim(l->p, l->n) == 0;
}

/* Splits [*cur, end) at the next '\n'.  Returns 0 at the end. */
static int
next_line(const char **cur, const char *end, struct line *l)
{
	const char *nl;

	if (*cur >= end)
		return 0;
	l->p = *cur;
	nl = memchr(*cur, '\n', (size_t)(end - *cur));
	l->n = (size_t)((nl ? nl : end) - *cur);
	*cur = nl ? nl + 1 : end;
	if (l->n > 0 && l->p[l->n - 1] == '\r')
		l->n--;
	l->no++;
	return 1;
}

/* What a body that is not a table looks like, for the error message:
 * API Hub answers a bad key with HTTP 200 and a JSON object, proxies and
 * maintenance pages answer with HTML. */
static void
fail_not_table(struct weather_err *err, const char *body, size_t len, const struct line *first)
{
	char q[WEATHER_QUOTE_SIZE], q2[WEATHER_QUOTE_SIZE];
	json_t *root = NULL, *res, *st, *msg;
	size_t i = 0;

	while (i < len && (is_blank((unsigned char)body[i]) || body[i] == '\r' || body[i] == '\n'))
		i++;
	if (i == len) {
		fail(err, 1, "empty body: expected '%s'", START_MARK);
		goto out;
	}
	if (body[i] == '<') {
		fail(err, 1, "expected '%s', got an HTML/XML body ('%s')", START_MARK,
		     weather_quote(q, sizeof q, body + i, len - i));
		goto out;
	}
	if (body[i] == '{' || body[i] == '[') {
		root = json_loadb(body, len, 0, NULL);
		res = json_object_get(root, "result");
		if (!res)
			res = root;
		st = json_object_get(res, "status");
		msg = json_object_get(res, "message");
		if (json_is_integer(st) || json_is_string(st) || json_is_string(msg)) {
			/* jansson strings are valid UTF-8 and have no NUL (no
			 * JSON_ALLOW_NUL), but are quoted like any input. */
			if (json_is_string(msg))
				weather_quote(q, sizeof q, json_string_value(msg), json_string_length(msg));
			else
				q[0] = '\0';
			if (json_is_integer(st))
				fail(err, 1, "expected '%s', got a JSON error body (status %lld: '%s')",
				     START_MARK, (long long)json_integer_value(st), q);
			else if (json_is_string(st))
				fail(err, 1, "expected '%s', got a JSON error body (status '%s': '%s')",
				     START_MARK, weather_quote(q2, sizeof q2, json_string_value(st),
				                               json_string_length(st)), q);
			else
				fail(err, 1, "expected '%s', got a JSON error body ('%s')", START_MARK, q);
		} else {
			fail(err, 1, "expected '%s', got a JSON body ('%s')", START_MARK,
			     weather_quote(q, sizeof q, body + i, len - i));
		}
		goto out;
	}
	fail(err, 1, "expected '%s' as the first line, got '%s'", START_MARK,
	     weather_quote(q, sizeof q, first->p, first->n));
out:
	json_decref(root);
}

/* "YYYYMMDDHHMI" KST -> UTC.  Returns 0, -1 for bad syntax, -2 for an
 * impossible time. */
static int
parse_tm(const struct tok *t, time_t *out)
{
	int v[5], i, k;
	size_t j;
	static const int width[5] = { 4, 2, 2, 2, 2 };
	const char *p = t->p;

	if (t->n != 12)
		return -1;
	for (j = 0; j < 12; j++)
		if (p[j] < '0' || p[j] > '9')
			return -1;
	for (i = 0; i < 5; i++) {
		v[i] = 0;
		for (k = 0; k < width[i]; k++)
			v[i] = v[i] * 10 + (*p++ - '0');
	}
	return weather_kst_to_utc(v[0], v[1], v[2], v[3], v[4], out) < 0 ? -2 : 0;
}

static int
fail_field(struct weather_err *err, const struct line *l, int idx,
           const struct tok *t, const char *expected)
{
	char q[WEATHER_QUOTE_SIZE];

	fail(err, l->no, "field %d (%s): expected %s, got '%s'", idx + 1,
	     cols[idx].name, expected, weather_quote(q, sizeof q, t->p, t->n));
	return -1;
}

static int
in_range(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

/* Missing in a decimal column: -9 / -9.0 (most columns) or <= -99
 * (temperature-type columns); §2.4. */
static int
dec_missing(double v)
{
	return v == -9.0 || v <= -99.0;
}

static int
parse_row(const struct line *l, const struct weather_station *stations, size_t nstations,
          struct weather_obs *o, struct weather_err *err)
{
	struct tok t[NFIELDS];
	double dv[NFIELDS];
	size_t i = 0, ntok = 0;
	double td;
	int idx, r;
	unsigned char c;

	/* Tokenise; count past 46 so the message can say how many there are. */
	while (i < l->n) {
		c = (unsigned char)l->p[i];
		if (is_blank(c)) {
			i++;
			continue;
		}
		if (ntok < NFIELDS)
			t[ntok].p = l->p + i;
		for (; i < l->n && !is_blank((unsigned char)l->p[i]); i++) {
			c = (unsigned char)l->p[i];
			if (c < 0x21 || c > 0x7e) {
				fail(err, l->no, "column %zu: expected printable ASCII in a data row, got byte 0x%02X",
				     i + 1, c);
				return -1;
			}
		}
		if (ntok < NFIELDS)
			t[ntok].n = (size_t)(l->p + i - t[ntok].p);
		ntok++;
	}
	if (ntok != NFIELDS) {
		fail(err, l->no, "expected %d whitespace-separated fields in a data row, got %zu",
		     NFIELDS, ntok);
		return -1;
	}

	memset(o, 0, sizeof *o);
	for (idx = 0; idx < NFIELDS; idx++) {
		switch (cols[idx].type) {
		case COL_TIME:
			r = parse_tm(&t[idx], &o->observed);
			if (r == -1)
				return fail_field(err, l, idx, &t[idx], "KST time YYYYMMDDHHMI");
			if (r == -2)
				return fail_field(err, l, idx, &t[idx], "a possible KST time YYYYMMDDHHMI");
			break;
		case COL_INT:
			if (weather_number(t[idx].p, t[idx].n, 0, &dv[idx]) < 0)
				return fail_field(err, l, idx, &t[idx], "an integer");
			break;
		case COL_DEC:
			if (weather_number(t[idx].p, t[idx].n, 1, &dv[idx]) < 0)
				return fail_field(err, l, idx, &t[idx], "a decimal number");
			break;
		case COL_TEXT:
			break;
		}
	}

	/* Integer columns are compared as doubles (exact below 2^53) and
	 * converted only once in range. */
	if (!in_range(dv[F_STN], 1, 9999))
		return fail_field(err, l, F_STN, &t[F_STN], "a station id 1..9999");
	o->stn = (int)dv[F_STN];
	if (stations && !weather_station_find(stations, nstations, o->stn)) {
		fail(err, l->no, "field 2 (STN): station %d is not in the station table", o->stn);
		return -1;
	}

	if (dv[F_WD] != -9 && !in_range(dv[F_WD], 0, 36))
		return fail_field(err, l, F_WD, &t[F_WD], "-9 (missing) or 0..36 (tens of degrees)");
	o->has_wd = dv[F_WD] != -9;
	o->wd = o->has_wd ? (int)dv[F_WD] * 10 : 0;

	if (!dec_missing(dv[F_WS])) {
		if (dv[F_WS] < 0 || dv[F_WS] >= 100)
			return fail_field(err, l, F_WS, &t[F_WS], "-9.0 (missing) or 0..99.9 m/s");
		o->ws = dv[F_WS];
		o->has_ws = 1;
	}

	if (!dec_missing(dv[F_HM])) {
		if (dv[F_HM] < 0 || dv[F_HM] > 100)
			return fail_field(err, l, F_HM, &t[F_HM], "-9.0 (missing) or 0..100 %");
		o->hm = dv[F_HM];
		o->has_hm = 1;
	}

	/* -9.0 ℃ is a real temperature: only <= -99 is missing, except that a
	 * TA of exactly -9.0 with both TD and HM missing is taken for the
	 * generic -9.0 marker (§2.4). */
	td = dv[F_TD];
	if (dv[F_TA] > -99.0) {
		if (dv[F_TA] <= -90.0 || dv[F_TA] >= 70.0)
			return fail_field(err, l, F_TA, &t[F_TA], "-99.0 (missing) or -89.9..69.9 C");
		if (!(dv[F_TA] == -9.0 && td <= -99.0 && !o->has_hm)) {
			o->ta = dv[F_TA];
			o->has_ta = 1;
		}
	}

	if (dv[F_WC] != -9 && !in_range(dv[F_WC], 0, 99))
		return fail_field(err, l, F_WC, &t[F_WC], "-9 (missing) or a WMO 4677 code 0..99");
	o->wc = dv[F_WC] == -9 ? -1 : (int)dv[F_WC];

	if (dv[F_CA_TOT] != -9 && !in_range(dv[F_CA_TOT], 0, 10))
		return fail_field(err, l, F_CA_TOT, &t[F_CA_TOT], "-9 (missing) or 0..10 tenths");
	o->ca_tot = dv[F_CA_TOT] == -9 ? -1 : (int)dv[F_CA_TOT];

	/* WW is unverified (§2.5, §7): anything it holds is accepted, only
	 * codes with a known word are used. */
	weather_ww_scan(t[F_WW].p, t[F_WW].n, &o->ww, &o->ww_unknown);

	snprintf(o->condition, sizeof o->condition, "%s",
	         weather_condition_ww(o->wc, o->ww, o->ca_tot));
	return 0;
}

int
weather_parse_kma(const char *body, size_t len,
                  const struct weather_station *stations, size_t nstations,
                  struct weather_obs **out, size_t *nout,
                  struct weather_err *err)
{
	struct weather_obs *obs = NULL;
	struct line l = { NULL, 0, 0 }, first, last;
	const char *cur, *end, *rows;
	size_t nrows = 0, n = 0;
	char q[WEATHER_QUOTE_SIZE];
	int endno = 0, rc = -1;

	*out = NULL;
	*nout = 0;
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	if (len > WEATHER_MAX_BODY) {
		fail(err, 0, "body of %zu bytes is larger than the limit of %u bytes",
		     len, WEATHER_MAX_BODY);
		goto out;
	}
	if (!body) {
		body = "";
		len = 0;
	}
	end = body + len;

	cur = body;
	if (!next_line(&cur, end, &l) || !line_is(&l, START_MARK)) {
		first = l;
		fail_not_table(err, body, len, &first);
		goto out;
	}
	first = l;
	rows = cur;

	/* Pass 1: find the end marker before parsing any row, so that a cut-off
	 * body is reported as truncated rather than as a short last row; count
	 * the rows to refuse too many before allocating; and refuse repeated
	 * markers and text after the end, as in two bodies glued together. */
	last = first;
	while (next_line(&cur, end, &l)) {
		if (line_is(&l, END_MARK)) {
			endno = l.no;
			break;
		}
		if (line_is(&l, START_MARK)) {
			fail(err, l.no, "expected a data or comment line, got a second '%s'",
			     START_MARK);
			goto out;
		}
		if (line_is_blank(&l))
			continue;
		last = l;
		if (l.p[0] == '#')
			continue;
		if (++nrows > WEATHER_MAX_ROWS) {
			fail(err, l.no, "more than %u data rows", WEATHER_MAX_ROWS);
			goto out;
		}
	}
	if (!endno) {
		fail(err, last.no, "truncated body: expected '%s' as the last line, got '%s'",
		     END_MARK, weather_quote(q, sizeof q, last.p, last.n));
		goto out;
	}
	while (next_line(&cur, end, &l)) {
		if (!line_is_blank(&l)) {
			fail(err, l.no, "expected nothing after '%s' (line %d), got '%s'",
			     END_MARK, endno, weather_quote(q, sizeof q, l.p, l.n));
			goto out;
		}
	}
	if (nrows == 0) {
		rc = 0;
		goto out;
	}
	obs = calloc(nrows, sizeof *obs);
	if (!obs) {
		fail(err, 0, "out of memory for %zu rows", nrows);
		goto out;
	}

	/* Pass 2: parse. */
	cur = rows;
	l.no = first.no;
	while (next_line(&cur, end, &l) && l.no < endno) {
		if (line_is_blank(&l) || l.p[0] == '#')
			continue;
		if (parse_row(&l, stations, nstations, &obs[n], err) < 0)
			goto out;
		n++;
	}
	*out = obs;
	*nout = n;
	obs = NULL;
	rc = 0;
out:
	free(obs);
	return rc;
}

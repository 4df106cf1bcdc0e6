/*
 * datagokr.c - parser for the data.go.kr ASOS hourly JSON
 * (AsosHourlyInfoService/getWthrDataList), the second weather source.
 *
 * Part of the weather module.  data.go.kr serves observations only up to
 * the previous day (spec §3.1), so this source is for back-fill and as a
 * fallback, not for the live ticker; it gives the same struct weather_obs
 * rows as the API Hub parser (kma.c) under the same all-or-nothing contract.
 * It has no WMO present-weather code, so the condition word comes from the
 * domestic code dmstMtphNo (precipitation only, §4.3) or the cloud amount
 * dc10Tca: this source cannot produce 박무/연무 (spec §6).
 *
 * Other data.go.kr weather services share the envelope but not the items;
 * in particular VilageFcstInfoService getUltraSrtNcst (초단기실황) gives grid
 * AWS values that are not the ASOS station values of the ticker (§3.2), so
 * its bodies are rejected with an error that says so.
 *
 * Errors in the JSON structure cannot be tied to a line (jansson keeps no
 * positions for values): they have line 0 and the message names the JSON
 * path.  Syntax errors carry jansson's line.
 */
#include "weather/weather.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* data.go.kr answers key and quota problems with an XML envelope even when
 * JSON was asked for; its reason is in <returnAuthMsg> (or <errMsg>). */
static int
xml_tag(const char *body, size_t len, const char *tag, const char **p, size_t *n)
{
	char open[40];
	const char *s, *e;
	int k;

	k = snprintf(open, sizeof open, "<%s>", tag);
	if (k < 0 || (size_t)k >= sizeof open)
		return -1;
	s = memmem(body, len, open, (size_t)k);
	if (!s)
		return -1;
	s += k;
	e = memchr(s, '<', (size_t)(body + len - s));
	if (!e)
		return -1;
	*p = s;
	*n = (size_t)(e - s);
	return 0;
}

/* A numeric item value: absent, null or "" is missing (*has = 0).  Values
 * are strings per the spec; JSON numbers are accepted too, since the
 * typing of this service is not verified.  A QC flag of "1" (error) or
 * "9" (missing) makes the value missing. */
static int
item_number(json_t *item, size_t idx, const char *key, const char *qckey,
            int allow_fraction, double *out, int *has, struct weather_err *err)
{
	char q[WEATHER_QUOTE_SIZE];
	json_t *v = json_object_get(item, key), *qc;
	const char *flag;

	*has = 0;
	*out = 0;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return 0;
	if (json_is_number(v)) {
		if (!allow_fraction && !json_is_integer(v)) {
			fail(err, 0, "response.body.items.item[%zu].%s: expected an integer, got %g",
			     idx, key, json_number_value(v));
			return -1;
		}
		*out = json_number_value(v);
		if (*out == 0)
			*out = 0;  /* no -0.0 */
	} else if (!json_is_string(v) ||
	           weather_number(json_string_value(v), json_string_length(v),
	                          allow_fraction, out) < 0) {
		if (json_is_string(v))
			fail(err, 0, "response.body.items.item[%zu].%s: expected %s, got '%s'",
			     idx, key, allow_fraction ? "a decimal number" : "an integer",
			     weather_quote(q, sizeof q, json_string_value(v), json_string_length(v)));
		else
			fail(err, 0, "response.body.items.item[%zu].%s: expected a string",
			     idx, key);
		return -1;
	}
	if (qckey) {
		qc = json_object_get(item, qckey);
		flag = json_is_string(qc) ? json_string_value(qc) : "";
		if (strcmp(flag, "1") == 0 || strcmp(flag, "9") == 0) {
			*out = 0;
			return 0;
		}
	}
	*has = 1;
	return 0;
}

static int
range_fail(struct weather_err *err, size_t idx, const char *key, double v, const char *expected)
{
	fail(err, 0, "response.body.items.item[%zu].%s: expected %s, got %g", idx, key, expected, v);
	return -1;
}

/* "YYYY-MM-DD HH:MM" KST -> UTC. */
static int
parse_tm(const char *s, size_t n, time_t *out)
{
	static const char pattern[] = "dddd-dd-dd dd:dd";
	int v[5] = { 0, 0, 0, 0, 0 }, k = 0;
	size_t i;

	if (n != sizeof pattern - 1)
		return -1;
	for (i = 0; i < n; i++) {
		if (pattern[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v[k] = v[k] * 10 + (s[i] - '0');
		} else if (s[i] != pattern[i]) {
			return -1;
		} else {
			k++;
		}
	}
	return weather_kst_to_utc(v[0], v[1], v[2], v[3], v[4], out);
}

static int
parse_item(json_t *item, size_t idx, const struct weather_station *stations, size_t nstations,
           struct weather_obs *o, struct weather_err *err)
{
	char q[WEATHER_QUOTE_SIZE];
	json_t *v;
	double d;
	int has;

	if (!json_is_object(item)) {
		fail(err, 0, "response.body.items.item[%zu]: expected an object", idx);
		return -1;
	}
	if (json_object_get(item, "category") || json_object_get(item, "obsrValue")) {
		fail(err, 0, "response.body.items.item[%zu]: expected an AsosHourlyInfoService "
		     "getWthrDataList item (tm, stnId), got a VilageFcstInfoService item "
		     "(category, obsrValue), which is not a station observation", idx);
		return -1;
	}
	memset(o, 0, sizeof *o);

	v = json_object_get(item, "tm");
	if (!json_is_string(v)) {
		fail(err, 0, "response.body.items.item[%zu].tm: expected a string \"YYYY-MM-DD HH:MM\"", idx);
		return -1;
	}
	if (parse_tm(json_string_value(v), json_string_length(v), &o->observed) < 0) {
		fail(err, 0, "response.body.items.item[%zu].tm: expected a possible KST time "
		     "\"YYYY-MM-DD HH:MM\", got '%s'", idx,
		     weather_quote(q, sizeof q, json_string_value(v), json_string_length(v)));
		return -1;
	}

	/* A string per the spec; a JSON integer is accepted too. */
	v = json_object_get(item, "stnId");
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > 9999) {
			fail(err, 0, "response.body.items.item[%zu].stnId: expected a station id 1..9999, got %lld",
			     idx, (long long)json_integer_value(v));
			return -1;
		}
		d = (double)json_integer_value(v);
	} else if (!json_is_string(v)) {
		fail(err, 0, "response.body.items.item[%zu].stnId: expected a station id string", idx);
		return -1;
	} else if (weather_number(json_string_value(v), json_string_length(v), 0, &d) < 0 ||
	           d < 1 || d > 9999) {
		fail(err, 0, "response.body.items.item[%zu].stnId: expected a station id 1..9999, got '%s'",
		     idx, weather_quote(q, sizeof q, json_string_value(v), json_string_length(v)));
		return -1;
	}
	o->stn = (int)d;
	if (stations && !weather_station_find(stations, nstations, o->stn)) {
		fail(err, 0, "response.body.items.item[%zu].stnId: station %d is not in the station table",
		     idx, o->stn);
		return -1;
	}

	if (item_number(item, idx, "ta", "taQcflg", 1, &o->ta, &o->has_ta, err) < 0)
		return -1;
	if (o->has_ta && (o->ta <= -90 || o->ta >= 70))
		return range_fail(err, idx, "ta", o->ta, "-89.9..69.9 C");
	if (item_number(item, idx, "hm", "hmQcflg", 1, &o->hm, &o->has_hm, err) < 0)
		return -1;
	if (o->has_hm && (o->hm < 0 || o->hm > 100))
		return range_fail(err, idx, "hm", o->hm, "0..100 %");
	if (item_number(item, idx, "ws", "wsQcflg", 1, &o->ws, &o->has_ws, err) < 0)
		return -1;
	if (o->has_ws && (o->ws < 0 || o->ws >= 100))
		return range_fail(err, idx, "ws", o->ws, "0..99.9 m/s");
	if (item_number(item, idx, "wd", "wdQcflg", 0, &d, &o->has_wd, err) < 0)
		return -1;
	if (o->has_wd && (d < 0 || d > 360))
		return range_fail(err, idx, "wd", d, "0..360 degrees");
	o->wd = o->has_wd ? (int)d : 0;
	if (item_number(item, idx, "dc10Tca", NULL, 0, &d, &has, err) < 0)
		return -1;
	if (has && (d < 0 || d > 10))
		return range_fail(err, idx, "dc10Tca", d, "0..10 tenths");
	o->ca_tot = has ? (int)d : -1;
	o->wc = -1;

	v = json_object_get(item, "dmstMtphNo");
	if (v && !json_is_null(v) && !json_is_string(v)) {
		fail(err, 0, "response.body.items.item[%zu].dmstMtphNo: expected a string", idx);
		return -1;
	}
	if (json_is_string(v))
		weather_ww_scan(json_string_value(v), json_string_length(v), &o->ww, &o->ww_unknown);
	else
		o->ww = o->ww_unknown = -1;

	snprintf(o->condition, sizeof o->condition, "%s",
	         weather_condition_ww(o->wc, o->ww, o->ca_tot));
	return 0;
}

int
weather_parse_datagokr(const char *body, size_t len,
                       const struct weather_station *stations, size_t nstations,
                       struct weather_obs **out, size_t *nout,
                       struct weather_err *err)
{
	char q[WEATHER_QUOTE_SIZE], q2[WEATHER_QUOTE_SIZE];
	struct weather_obs *obs = NULL;
	json_t *root = NULL, *resp, *hdr, *code, *msg, *items, *list;
	json_error_t jerr;
	const char *p;
	size_t i = 0, n, nitems;
	int rc = -1;

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
	while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
		i++;
	if (i == len) {
		fail(err, 1, "empty body: expected a data.go.kr JSON object");
		goto out;
	}
	if (body[i] == '<') {
		if (xml_tag(body, len, "returnAuthMsg", &p, &n) == 0 ||
		    xml_tag(body, len, "errMsg", &p, &n) == 0)
			fail(err, 1, "expected a JSON body, got an XML/HTML body ('%s')",
			     weather_quote(q, sizeof q, p, n));
		else
			fail(err, 1, "expected a JSON body, got an XML/HTML body ('%s')",
			     weather_quote(q, sizeof q, body + i, len - i));
		goto out;
	}

	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* jansson quotes the offending input token: keep the message
		 * printable ASCII like every other one. */
		for (p = jerr.text; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				jerr.text[p - jerr.text] = '?';
		fail(err, jerr.line > 0 ? jerr.line : 1, "invalid JSON at column %d: %s",
		     jerr.column, jerr.text);
		goto out;
	}
	resp = json_object_get(root, "response");
	if (!json_is_object(resp)) {
		fail(err, 0, "expected an object at 'response' (data.go.kr envelope)");
		goto out;
	}
	hdr = json_object_get(resp, "header");
	code = json_object_get(hdr, "resultCode");
	msg = json_object_get(hdr, "resultMsg");
	if (!json_is_string(code)) {
		fail(err, 0, "response.header.resultCode: expected a string");
		goto out;
	}
	if (strcmp(json_string_value(code), "00") != 0) {
		fail(err, 0, "data.go.kr error: resultCode '%s', resultMsg '%s'",
		     weather_quote(q, sizeof q, json_string_value(code), json_string_length(code)),
		     json_is_string(msg) ? weather_quote(q2, sizeof q2, json_string_value(msg),
		                                         json_string_length(msg)) : "");
		goto out;
	}
	items = json_object_get(json_object_get(resp, "body"), "items");
	list = json_object_get(items, "item");
	/* One item may come as a bare object (data.go.kr's XML-to-JSON habit). */
	nitems = json_is_array(list) ? json_array_size(list) : json_is_object(list) ? 1 : 0;
	if (nitems == 0) {
		fail(err, 0, "response.body.items.item: expected a non-empty list of observations");
		goto out;
	}
	if (nitems > WEATHER_MAX_ROWS) {
		fail(err, 0, "response.body.items.item: more than %u items", WEATHER_MAX_ROWS);
		goto out;
	}
	obs = calloc(nitems, sizeof *obs);
	if (!obs) {
		fail(err, 0, "out of memory for %zu items", nitems);
		goto out;
	}
	for (i = 0; i < nitems; i++) {
		if (parse_item(json_is_array(list) ? json_array_get(list, i) : list, i,
		               stations, nstations, &obs[i], err) < 0)
			goto out;
	}
	*out = obs;
	*nout = nitems;
	obs = NULL;
	rc = 0;
out:
	free(obs);
	json_decref(root);
	return rc;
}

/*
 * stations.c - the default table of ticker stations (spec §1).
 *
 * Part of the weather module.  The ingest job requests these stations and
 * the parsers may check rows against them; a site can replace the table
 * from its settings (stations move and get renamed, §1), so this is only
 * the default.  Order is ascending station id, which is also the order of
 * the ticker and of a multi-station API Hub response.
 */
#include "weather/weather.h"

static const struct weather_station default_stations[] = {
	{ 101, "춘천",   "춘천" },
	{ 108, "서울",   "서울" },
	{ 112, "인천",   "인천" },
	{ 114, "원주",   "원주" },
	{ 119, "수원",   "수원" },
	{ 131, "청주",   "청주" },
	{ 133, "대전",   "대전" },
	{ 136, "안동",   "안동" },
	{ 138, "포항",   "포항" },
	{ 140, "군산",   "군산" },
	{ 143, "대구",   "대구" },
	{ 146, "전주",   "전주" },
	{ 152, "울산",   "울산" },
	{ 155, "창원",   "창원" },   /* not 255 북창원 */
	{ 156, "광주",   "광주" },
	{ 159, "부산",   "부산" },   /* not 296 북부산 */
	{ 165, "목포",   "목포" },
	{ 168, "여수",   "여수" },
	{ 184, "제주",   "제주" },
	{ 232, "천안",   "천안" },
	{ 283, "경주시", "경주시" }, /* KMA's name includes 시, and so does the ticker */
};

const struct weather_station *
weather_default_stations(size_t *n)
{
	*n = sizeof default_stations / sizeof default_stations[0];
	return default_stations;
}

const struct weather_station *
weather_station_find(const struct weather_station *t, size_t n, int stn)
{
	size_t i;

	if (!t)
		return NULL;
	for (i = 0; i < n; i++)
		if (t[i].stn == stn)
			return &t[i];
	return NULL;
}

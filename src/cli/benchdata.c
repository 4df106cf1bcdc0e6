/*
 * benchdata.c - 'sinmun bench-data --articles N': realistic Korean news
 * articles for benchmarks and scale tests, written straight into the store.
 *
 * The text is made from our own vocabulary and sentence patterns (places,
 * institutions, topics, numbers glued to counters, particles), so the
 * search index sees what real Korean news gives it: two-syllable nouns,
 * names followed by particles, 10년 and 6차.  Dates spread over the ten
 * years before now, ids growing with time as in a real archive.  The
 * generator is seeded, so the same N and seed give the same database.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "core/log.h"
#include "core/progress.h"
#include <jansson.h>
#include "news/news.h"
#include "store/store.h"

#define BATCH 5000

static const char usage[] =
    "usage: sinmun bench-data --articles N [--db PATH] [--config FILE] [--seed S] [--jsonl FILE]\n"
    "\n"
    "Writes N realistic Korean articles (published over the last ten years, in 8\n"
    "sections by 24 reporters) into the database, creating it if needed; with\n"
    "--jsonl, into FILE in the interchange format instead (for 'sinmun import jsonl').\n";

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const places[] = {
	"춘천", "원주", "강릉", "속초", "홍천", "철원", "화천", "양구", "인제", "삼척",
	"전주", "군산", "익산", "청주", "충주", "천안", "아산", "공주", "세종", "대전",
	"광주", "목포", "여수", "순천", "포항", "경주", "안동", "구미", "창원", "김해",
	"진주", "제주", "서귀포", "수원", "성남", "고양", "용인", "파주", "인천", "부산",
};
static const char *const bodies[] = {
	"시", "군", "시의회", "교육청", "상공회의소", "소방서", "보건소", "경찰서", "문화재단", "농업기술센터",
};
static const char *const topics[] = {
	"사회혁신", "사회적경제", "청년 창업", "도시재생", "마을공동체", "대중교통", "돌봄", "탄소중립",
	"관광", "지역화폐", "전통시장", "스마트팜", "평생교육", "공공의료", "주민자치", "문화예술",
	"체육시설", "재난안전", "일자리", "주거복지", "농산물 유통", "디지털 전환", "기후위기", "인구감소",
	"저출생", "고령화", "학교 급식", "늘봄학교", "지방소멸", "산불 예방", "하천 정비", "미세먼지",
	"수소 경제", "이차전지", "반도체 인력", "관광 택시", "공공 와이파이", "도서관", "청소년 수련관",
	"노인 일자리", "장애인 이동권", "다문화 가정", "귀농귀촌", "산림 치유", "해양 쓰레기", "철도 유치",
	"공항 활성화", "의대 정원", "응급의료", "소상공인 지원", "골목상권", "공유 주방", "전기차 충전",
	"자율주행 버스", "스마트시티", "재생에너지", "지역 축제", "생활체육", "마을 버스", "공공 산후조리원",
	"반려동물 공원", "소각장 입지", "상수도 요금", "택시 요금",
};
static const char *const things[] = {
	"아카데미", "박람회", "토론회", "설명회", "협약식", "축제", "공모사업", "지원사업", "시범사업",
	"정책포럼", "현장간담회", "시민참여단", "협의체", "실증단지", "센터", "플랫폼",
};
static const char *const verbs_past[] = {
	"개최했다", "열었다", "추진한다고 밝혔다", "마련했다", "출범했다", "선정됐다", "확대한다",
	"운영한다", "시작했다", "마무리했다", "발표했다", "체결했다",
};
static const char *const people_roles[] = {
	"관계자", "과장", "센터장", "대표", "위원장", "교수", "의원", "이사장", "사무국장",
};
static const char *const quotes[] = {
	"시민들의 관심과 참여가 무엇보다 중요하다", "현장의 목소리를 정책에 충실히 반영하겠다",
	"지역이 함께 성장하는 계기가 되길 바란다", "앞으로도 지원을 아끼지 않겠다",
	"작은 변화가 모여 큰 혁신을 만든다", "제도의 빈틈을 꼼꼼히 살피겠다",
	"성과를 면밀히 분석해 내년 사업에 반영하겠다", "누구도 소외되지 않도록 세심하게 준비하겠다",
};
static const char *const counters[] = { "년", "차", "일", "명", "곳", "억원", "개", "층", "회", "%" };
static const char *const surnames[] = { "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오" };
static const char *const given[] = {
	"민준", "서연", "도윤", "하은", "지호", "수아", "현우", "지민", "예준", "채원", "시우", "유진",
	"준서", "다은", "건우", "소율", "우진", "가은", "선호", "나연", "태윤", "서진", "은호", "하린",
};
static const struct { const char *slug, *name; } sections[] = {
	{ "politics", "정치" }, { "economy", "경제" }, { "society", "사회" }, { "culture", "문화" },
	{ "region", "지역" }, { "social-economy", "사회적경제" }, { "education", "교육" },
	{ "opinion", "오피니언" },
};

/* xorshift64*: fast, seedable, good enough for text. */
static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

#define PICK(a) ((a)[rnd((uint32_t)NELEM(a))])

/*
 * A particle after a noun, in the form its last syllable asks for (은/는,
 * 이/가, 과/와, 으로/로): names followed by particles are what trips word
 * tokenizers, so the text must have them, and right.
 */
static const char *
josa(const char *noun, const char *after_consonant, const char *after_vowel)
{
	size_t n = strlen(noun);
	const unsigned char *p;
	unsigned cp;

	/* The last syllable, decoded from its three UTF-8 bytes. */
	if (n >= 3) {
		p = (const unsigned char *)noun + n - 3;
		cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
		if (cp >= 0xac00 && cp <= 0xd7a3 && (cp - 0xac00) % 28 != 0)
			return after_consonant;
	}
	return after_vowel;
}

static const char *
particle(const char *noun)
{
	static const char *const pairs[][2] = {
		{ "은", "는" }, { "이", "가" }, { "과", "와" }, { "으로", "로" }, { "에서", "에서" },
		{ "의", "의" }, { "도", "도" },
	};
	uint32_t k = rnd((uint32_t)NELEM(pairs));

	return josa(noun, pairs[k][0], pairs[k][1]);
}

/* What one article is about: its sentences keep coming back to it, as a
 * real article does, so a word's frequency across the archive looks like
 * a real paper's rather than every article mentioning every topic. */
struct story {
	const char *place, *who, *topic, *topic2, *thing;
};

static const char *
topic_of(const struct story *st)
{
	uint32_t r = rnd(10);

	return r < 6 ? st->topic : r < 9 ? st->topic2 : PICK(topics);
}

static void
sentence(struct buf *b, const struct story *st)
{
	const char *place = rnd(5) ? st->place : PICK(places), *who = st->who;

	switch (rnd(12)) {
	case 0:
		buf_printf(b, "%s%s%s %u일 %s %s %s. ", place, who, particle(who), 1 + rnd(28),
		    topic_of(st), st->thing, PICK(verbs_past));
		break;
	case 1:
		buf_printf(b, "이번 %s에는 %u%s이 참여해 %s의 방향을 함께 고민했다. ", st->thing,
		    10 + rnd(990), rnd(2) ? "여명" : "여개 기관", topic_of(st));
		break;
	case 2:
		buf_printf(b, "%s %s은 “%s”고 말했다. ", place, PICK(people_roles), PICK(quotes));
		break;
	case 3:
		buf_printf(b, "%s%s%s 올해 %u년째 이어온 %s 사업의 성과를 바탕으로 제%u차 계획을 세웠다. ",
		    place, who, josa(who, "은", "는"), 2 + rnd(14), topic_of(st), 1 + rnd(9));
		break;
	case 4:
		buf_printf(b, "사업비는 %u억원 규모로, %s 분야에 집중 투입된다. ", 1 + rnd(500), topic_of(st));
		break;
	case 5:
		buf_printf(b, "행사는 %s 시청 %u층 대회의실에서 열렸으며 %s 관련 세션도 마련됐다. ",
		    place, 1 + rnd(12), rnd(4) ? topic_of(st) : rnd(2) ? "AI" : "ESG");
		break;
	case 6:
		buf_printf(b, "%s 지역의 %s 지표는 지난해보다 %u.%u%% 개선된 것으로 나타났다. ", place,
		    topic_of(st), rnd(30), rnd(10));
		break;
	case 7:
		buf_printf(b, "주민들은 %s 문제가 생활과 직결된다며 실질적인 대책을 요구했다. ", topic_of(st));
		break;
	case 8:
		buf_printf(b, "%s%s 관계자는 예산 확보와 전문 인력 양성이 과제로 남았다고 설명했다. ", place, who);
		break;
	case 9:
		buf_printf(b, "앞서 %u년 시작된 %s 논의는 그동안 %u차례 공청회를 거쳤다. ", 2010 + rnd(15),
		    topic_of(st), 2 + rnd(9));
		break;
	case 10:
		buf_printf(b, "전문가들은 다른 지자체 사례를 참고해 단계적으로 추진해야 한다고 조언했다. ");
		break;
	default:
		buf_printf(b, "%s%s%s 다음달 %u일까지 의견을 받은 뒤 최종안을 확정할 방침이다. ", place, who,
		    josa(who, "은", "는"), 1 + rnd(28));
		break;
	}
}

/* One article as a line of the interchange format. */
static int
write_json(FILE *f, const struct article *art, const char *section, const char *byline,
    const char *email)
{
	char pub[KDATE_MAX], upd[KDATE_MAX];
	json_t *j, *subs, *tags;
	int i, rc;

	kdate_iso8601(art->published_at, pub);
	kdate_iso8601(art->updated_at, upd);
	subs = json_array();
	for (i = 0; i < art->nsubtitles; i++)
		json_array_append_new(subs, json_string(art->subtitles[i]));
	tags = json_array();
	for (i = 0; i < art->ntags; i++)
		json_array_append_new(tags, json_string(art->tags[i]));
	j = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
	    "headline", art->headline, "subtitles", subs, "body", art->body, "section", section,
	    "byline", byline, "email", email, "tags", tags, "kind", article_kind_name(art->kind),
	    "published_at", pub, "updated_at", upd);
	if (art->source_note[0])
		json_object_set_new(j, "source_note", json_string(art->source_note));
	rc = json_dumpf(j, f, JSON_COMPACT);
	json_decref(j);
	if (rc != 0 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

int
cmd_bench_data(int argc, char **argv)
{
	const char *articles_s, *seed_s, *jsonl;
	struct cli_extra extra[] = {
		{ "articles", 1, &articles_s }, { "seed", 1, &seed_s }, { "jsonl", 1, &jsonl },
		{ NULL, 0, NULL },
	};
	FILE *jf = NULL;
	struct story story;
	char person_names[24][32], person_emails[24][64];
	int sec_i, who_i;
	struct arena a = ARENA_INIT;
	struct cli_opts co;
	struct store *st = NULL;
	struct progress pr;
	struct article art;
	struct buf body = BUF_INIT, text = BUF_INIT, para = BUF_INIT, head = BUF_INIT;
	int64_t section_ids[NELEM(sections)], people[24];
	char err[512];
	long n, seed = 1, i;
	time_t now = time(NULL), start, span;
	int rc, ret = 1, in_tx = 0, p, s, k, np, ns;
	double secs;

	if ((rc = cli_parse(argc, argv, "bench-data", "dc", usage, &co, NULL, extra)) != 0)
		return rc < 0 ? 2 : 0;
	if (articles_s == NULL || config_parse_int(articles_s, 1, 100000000, &n) != 0)
		return cli_die("bench-data: --articles N (1 to 100000000) is required") + 1;
	if (seed_s && config_parse_int(seed_s, 1, 2147483647, &seed) != 0)
		return cli_die("bench-data: --seed must be a positive number") + 1;
	rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
	for (k = 0; k < (int)NELEM(people); k++) {
		snprintf(person_names[k], sizeof person_names[k], "%s%s", surnames[k % NELEM(surnames)], given[k]);
		snprintf(person_emails[k], sizeof person_emails[k], "reporter%02d@bench.example.kr", k + 1);
	}
	if (jsonl) {
		if ((jf = fopen(jsonl, "w")) == NULL)
			return cli_die("bench-data: %s: %s", jsonl, strerror(errno));
	} else {
		if ((st = store_open(co.cfg.db, STORE_OPEN_CREATE, NULL, err, sizeof err)) == NULL)
			return cli_die("%s", err);
		if (store_begin(st) != STORE_OK)
			goto store_fail;
		in_tx = 1;
		for (k = 0; k < (int)NELEM(sections); k++)
			if (store_section_put(st, sections[k].slug, sections[k].name, k + 1,
			    &section_ids[k]) != STORE_OK)
				goto store_fail;
		for (k = 0; k < (int)NELEM(people); k++)
			if (store_person_put(st, person_names[k], person_emails[k], ROLE_REPORTER,
			    &people[k]) != STORE_OK)
				goto store_fail;
	}
	span = 10L * 365 * 86400;
	start = now - span;
	progress_start(&pr, "bench-data", n);
	for (i = 0; i < n; i++) {
		memset(&art, 0, sizeof art);
		buf_reset(&body);
		buf_reset(&text);
		buf_reset(&head);
		story.place = PICK(places);
		story.who = PICK(bodies);
		story.topic = PICK(topics);
		story.topic2 = PICK(topics);
		story.thing = PICK(things);
		np = 4 + (int)rnd(5);
		for (p = 0; p < np; p++) {
			buf_reset(&para);
			ns = 2 + (int)rnd(3);
			for (s = 0; s < ns; s++)
				sentence(&para, &story);
			while (para.len && para.p[para.len - 1] == ' ')
				para.p[--para.len] = '\0';
			buf_puts(&body, "<p>");
			buf_put_html(&body, para.p, para.len);
			buf_puts(&body, "</p>");
			if (p)
				buf_putc(&text, '\n');
			buf_put(&text, para.p, para.len);
		}
		buf_printf(&head, "%s %s, %s %s %s", story.place, story.who, story.topic, story.thing,
		    rnd(3) ? "본격 추진" : arena_printf(&a, "%u%s 만에 재개", 2 + rnd(20), PICK(counters)));
		art.headline = arena_strndup(&a, head.p, head.len);
		art.nsubtitles = 1 + (int)rnd(3);
		for (k = 0; k < art.nsubtitles; k++)
			art.subtitles[k] = arena_printf(&a, "%s %s %s", k ? story.topic2 : story.topic,
			    PICK(things), PICK(verbs_past));
		art.body = arena_strndup(&a, body.p, body.len);
		art.body_text = arena_strndup(&a, text.p, text.len);
		art.summary = news_first_sentences(&a, art.body_text, 160);
		art.slug = "";
		art.display_byline = "";
		art.source_note = "";
		art.status = ARTICLE_PUBLISHED;
		k = (int)rnd(100);
		art.kind = k < 75 ? KIND_OWN : k < 92 ? KIND_PRESS_RELEASE : k < 98 ? KIND_CONTRIBUTION :
		    KIND_ADVERTORIAL;
		if (art.kind == KIND_PRESS_RELEASE)
			art.source_note = arena_printf(&a, "%s%s", PICK(places), PICK(bodies));
		sec_i = (int)rnd((uint32_t)NELEM(sections));
		who_i = (int)rnd((uint32_t)NELEM(people));
		art.section.id = section_ids[sec_i];
		art.bylines[0].id = people[who_i];
		art.nbylines = 1;
		art.ntags = 1 + (int)rnd(3);
		for (k = 0; k < art.ntags; k++)
			art.tags[k] = k == 0 ? story.topic : k == 1 ? story.topic2 : story.thing;
		if (art.ntags == 2 && strcmp(art.tags[0], art.tags[1]) == 0)
			art.ntags = 1;
		/* Evenly over ten years, in id order, with a little jitter. */
		art.published_at = start + (time_t)((double)span * (double)i / (double)n) + (time_t)rnd(600);
		art.created_at = art.approved_at = art.published_at;
		art.updated_at = art.published_at + (rnd(10) == 0 ? (time_t)rnd(86400) : 0);
		art.version = 1;
		if (jf) {
			if (write_json(jf, &art, sections[sec_i].slug, person_names[who_i],
			    person_emails[who_i]) != 0) {
				cli_die("bench-data: %s: %s", jsonl, strerror(errno));
				goto out;
			}
		} else if (store_article_insert(st, &art) != STORE_OK) {
			goto store_fail;
		}
		arena_free(&a);
		if (st && (i + 1) % BATCH == 0) {
			if (store_commit(st) != STORE_OK || store_begin(st) != STORE_OK)
				goto store_fail;
		}
		progress_update(&pr, i + 1);
	}
	if (st && store_commit(st) != STORE_OK)
		goto store_fail;
	in_tx = 0;
	if (jf && fclose(jf) != 0) {
		jf = NULL;
		cli_die("bench-data: %s: %s", jsonl, strerror(errno));
		goto out;
	}
	jf = NULL;
	secs = progress_end(&pr);
	printf("wrote %ld articles into %s in %.1f s (%.0f/s)\n", n, jsonl ? jsonl : co.cfg.db, secs,
	    secs > 0 ? (double)n / secs : 0.0);
	ret = 0;
	goto out;
store_fail:
	cli_die("bench-data: %s: %s", co.cfg.db, store_errmsg(st));
out:
	if (jf)
		fclose(jf);
	if (in_tx)
		store_rollback(st);
	store_close(st);
	buf_free(&body);
	buf_free(&text);
	buf_free(&para);
	buf_free(&head);
	arena_free(&a);
	return ret;
}

/*
 * test_search_fts.c - end-to-end tests of Korean search on SQLite FTS5
 * (src/search/fts5_ko.c + ko_tok.c): a corpus of short news-like texts
 * written for this test, an FTS5 table with tokenize='ko', and for every
 * query the expected rows COMPUTED by an independent oracle: plain
 * substring search (strstr) of each needle over the normalized text
 * (ko_tok_normalize), for every script alike, so 10년 is found inside
 * 2010년 and app inside apple.  Recall and precision must both be 1.0 for
 * every query, and FTS5 alone must be exact whenever
 * search_query_needs_recheck() says so, which is every query but those
 * with a cut word or separator (KO_TOK_WORD_MAX, KO_TOK_SEP_MAX).  Also:
 * separators count (10년 is not 10 년, 3.5 is not 3 5, a phrase's space
 * is not a comma) without the recheck, separated syllables do not match,
 * FTS5 syntax typed by readers is harmless, highlight() marks the original
 * bytes (jamo-typed and full-width text included) and whole words and
 * never a separator alone, snippets start at a word, and the index stays
 * linear in the text.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "search/ko_tok.h"
#include "search/search.h"

struct doc {
	const char *title;
	const char *body;
	int         jamo;   /* store title and body decomposed (NFD) */
};

/* Written for this test; any resemblance to real news is by design only. */
static const struct doc corpus[] = {
	{ "전주시, 사회혁신 10년 계획 발표",
	  "전주시는 23일 시청에서 사회혁신 10년 계획을 발표했다. 시는 사회적경제 기업 육성 예산을 늘린다.", 0 },
	{ "청주시가 새 버스 노선 공개",
	  "청주시가 6차 대중교통 계획에 따라 버스 노선 12개를 새로 만든다고 밝혔다.", 0 },
	{ "전주시가 한옥마을 주차장 확대",
	  "전주시가 한옥마을 주변 공영주차장을 두 곳 더 짓는다. 관광객은 지난해보다 늘었다.", 0 },
	{ "혁신 도시 이전 기관 평가",
	  "혁신 도시로 옮긴 공공기관의 지역 채용 비율이 처음으로 30%를 넘었다.", 0 },
	{ "띄어 쓴 글자 시험",
	  "이 기사에는 혁 신 이라는 글자가 떨어져 있다.", 0 },
	{ "문장부호 시험",
	  "제도 개혁. 신년 계획은 아직 나오지 않았다.", 0 },
	{ "Apple, 새 iPhone 공개",
	  "Apple은 새 iPhone 모델을 공개했다. 국내 출시는 다음 달이다.", 0 },
	{ "아이폰15 판매 시작",
	  "아이폰15 프로 모델이 국내 매장에서 판매를 시작했다. 가격은 전작과 같다.", 0 },
	{ "갤럭시S24 사전 예약",
	  "삼성전자가 갤럭시S24 사전 예약을 받는다. AI 기능이 강조됐다.", 0 },
	{ "전각 문자로 쓴 기사",
	  "ＫＴＸ 증편으로 １０년 만에 배차 간격이 줄었다. ＡＩ 안내 로봇도 배치된다.", 0 },
	{ "자모로 입력된 기사",
	  "전주시는 사회혁신 박람회를 연다. 경제 분야 전시가 많다.", 1 },
	{ "2010년 이후 인구 변화",
	  "2010년 이후 청주 인구는 꾸준히 늘었다. 전주는 정체했다.", 0 },
	{ "경제 성장률 전망",
	  "한국은행은 올해 경제 성장률을 2.1%로 내다봤다. 3.5% 전망은 거둬들였다.", 0 },
	{ "사회적 경제 박람회",
	  "사회적 경제 박람회가 전주에서 열린다. 사회적경제 기업 80곳이 참가한다.", 0 },
	{ "완전주의 논쟁",
	  "완전주의 교육 방식을 두고 토론회가 열렸다.", 0 },
	{ "K리그 개막",
	  "K리그 개막전이 3월 2일 전주월드컵경기장에서 열린다. 관중 2만 명이 예상된다.", 0 },
	{ "K-pop 공연",
	  "K-pop 공연이 서울에서 열렸다. 해외 팬들이 많이 찾았다.", 0 },
	{ "16차 회의 결과",
	  "16차 노사 회의가 결렬됐다. 다음 회의 일정은 미정이다.", 0 },
	{ "색채 전시",
	  "국립현대미술관에서 색채 전시가 열린다. 검색 서비스로 예약할 수 있다.", 0 },
	{ "5G 요금제 개편",
	  "통신사들이 5G 요금제를 개편한다. 데이터 제공량이 늘었다.", 0 },
	{ "내일 날씨",
	  "내일은 전국이 맑겠다. 낮 최고기온은 23도.", 0 },
	{ "배터리 소재 개발",
	  "연구진이 새 배터리 소재를 개발했다. 충전 시간이 절반으로 줄었다.", 0 },
	{ "스마트팜 도입",
	  "청주 지역 농가들이 스마트팜을 도입했다. 생산량이 10% 늘었다.", 0 },
	{ "AI 보조 교사",
	  "전주 지역 학교에 AI 교사 보조 프로그램이 시범 도입된다.", 0 },
	{ "한지 공예 축제",
	  "한지 공예 축제가 전주에서 23일 개막한다. 올해로 6차례째다.", 0 },
	{ "야구 대표팀 우승",
	  "야구 대표팀이 아시아 대회에서 우승했다. 10년 만의 정상이다.", 0 },
	{ "與野 대표 회담",
	  "與野 대표가 국회에서 만났다. 中 외교부는 입장을 내지 않았다.", 0 },
	{ "English brief",
	  "Seoul announced a new innovation plan for 2030. It covers apples and APPLE orchards.", 0 },
	{ "혁신적 규제 완화",
	  "정부가 혁신적 규제 완화 방안을 내놨다. 중소기업 혁신이 목표다.", 0 },
	{ "청주시의회 예산 통과",
	  "청주시의회가 내년 예산안을 통과시켰다.", 0 },
	{ "댓글 반응",
	  "댓글에는 ㅋㅋ 같은 표현이 많았다.", 0 },
	{ "한옥마을 방문객",
	  "전주(全州) 한옥마을 방문객이 늘었다.", 0 },
	{ "실업률 발표",
	  "2024년 6월 23일 기준 실업률은 2.8%였다.", 0 },
	{ "제보 안내",
	  "제보는 news@example.kr 로 보내면 된다.", 0 },
	{ "줄바꿈 기사",
	  "사회적\n경제 정책 토론회가 열렸다.", 0 },
	{ "쉼표 기사",
	  "사회적, 경제적 가치를 함께 본다.", 0 },
	{ "띄어 쓴 숫자",
	  "10 년 전 일을 돌아본다.", 0 },
	{ "iPhone 15 출시",
	  "iPhone 15 모델이 출시됐다.", 0 },
	{ "검색 연산자 설명",
	  "\"NEAR\" 와 AND, OR, NOT 은 검색 연산자다. 별표 * 와 ^ 기호도 쓴다.", 0 },
	{ "（주）신문사 협약",
	  "（주）신문사는 ＡＢＣ 방송과 협약했다.", 0 },
	{ "東京都 대표단",
	  "東京都 관계자가 방문했다. 京都 대표단도 함께했다.", 0 },
	{ "SQLite 3.40 배포",
	  "오픈소스 데이터베이스 SQLite 3.40 버전이 배포됐다.", 0 },
	{ "전주시청 앞 집회",
	  "전주시청 앞 광장에서 시민 1000명이 모였다.", 0 },
	{ "혁신이 필요한 이유",
	  "경제 혁신이 필요한 이유를 전문가들이 설명했다.", 0 },
	{ "K-푸드 수출 호조",
	  "K-푸드 수출액이 2025년 상반기에 역대 최고를 기록했다. 라면과 김치가 이끌었다.", 0 },
	{ "ESG경영 확산",
	  "지역 기업들이 ESG경영을 도입하고 있다. ESG 보고서 발간도 2024년보다 늘었다.", 0 },
	{ "파인애플 수입 증가",
	  "파인애플(Pineapple) 수입량이 늘었다. 필리핀산이 대부분이다.", 0 },
	{ "긴 낱말 시험",
	  "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellung 같은 긴 낱말도 찾는다.", 0 },
	{ "태국 관광객",
	  "ประเทศไทยมีนักท่องเที่ยวเกาหลีเพิ่มขึ้น 이라는 현지 보도가 나왔다.", 0 },
	{ "긴 숫자",
	  "고유번호 31415926535897932384626433832795028841971693993751058209749445923 를 확인했다.", 0 },
	/* Separators that matter: the same runs with and without them. */
	{ "띄어 쓴 숫자와 점",
	  "목록 10. 년도별 자료, 3 5 7 순서, 6 차 회의, 23 일 오후, 1 층 로비.", 0 },
	{ "K 푸드 행사",
	  "k 푸드 박람회와 K푸드 시식회가 열렸다.", 0 },
	{ "제15차 위원회",
	  "제15차 위원회가 열렸다. G20 정상회의와 코로나119 신고 건도 다뤘다.", 0 },
	{ "6월 23일 행사 안내",
	  "행사는 6월 23일에 열린다. 접수 번호는 6월  123번부터다.", 0 },
	{ "긴 줄표",
	  "앞----------------------뒤, 그리고 앞--뒤.", 0 },
	/* 62 letters and a 4-byte letter: the run's first term is cut at 62
	 * bytes; then 64 letters and b, cut at 64. */
	{ "긴 단어 경계",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\U00010428년 그리고 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab년", 0 },
};
#define NDOC ((int)(sizeof corpus / sizeof corpus[0]))

static sqlite3_int64 one_int(sqlite3 *db, const char *sql);

/* ---- corpus in SQLite ---- */

static char *doc_title[NDOC], *doc_body[NDOC];   /* as stored */
static char *ntitle[NDOC], *nbody[NDOC];         /* normalized */

static char *
nfd(const char *s)
{
	char *r = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);

	cr_assert_not_null(r);
	return r;
}

static sqlite3 *
open_corpus(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int i;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
	    "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='ko')",
	    NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_prepare_v2(db,
	    "INSERT INTO docs(rowid, title, body) VALUES (?1, ?2, ?3)", -1, &st, NULL),
	    SQLITE_OK);
	for (i = 0; i < NDOC; i++) {
		doc_title[i] = corpus[i].jamo ? nfd(corpus[i].title) : strdup(corpus[i].title);
		doc_body[i] = corpus[i].jamo ? nfd(corpus[i].body) : strdup(corpus[i].body);
		ntitle[i] = ko_tok_normalize(doc_title[i], strlen(doc_title[i]), NULL);
		nbody[i] = ko_tok_normalize(doc_body[i], strlen(doc_body[i]), NULL);
		sqlite3_bind_int(st, 1, i + 1);
		sqlite3_bind_text(st, 2, doc_title[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, doc_body[i], -1, SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(st), SQLITE_DONE, "%s", sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return db;
}

static int
doc_id(const char *title)
{
	int i;

	for (i = 0; i < NDOC; i++)
		if (strcmp(corpus[i].title, title) == 0)
			return i + 1;
	cr_assert_fail("no doc %s", title);
	return 0;
}

/* ---- the oracle: written independently of fts5_ko.c ---- */

/* Hangul, kana and CJK ideographs 'H'; other letters and marks 'L';
 * numbers 'D'; the rest 'S' (only 'S' matters: it is trimmed). */
static int
o_cls(int32_t cp)
{
	utf8proc_category_t c;

	if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
	    (cp >= 0x3131 && cp <= 0x318E) || (cp >= 0x3041 && cp <= 0x30FF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF))
		return 'H';
	c = utf8proc_category(cp);
	if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME)
		return 'L';
	if (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO)
		return 'D';
	return 'S';
}

struct needle {
	char *s;
};

/* Decodes s at i into *cp, returns the length (1 for a bad byte). */
static int
o_next(const char *s, size_t len, size_t i, int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	    (utf8proc_ssize_t)(len - i), cp);

	if (n < 1) {
		*cp = 0xFFFD;
		return 1;
	}
	return (int)n;
}

/* Query -> needles: split at spaces, "..." is one phrase, normalize, trim
 * separators.  Returns the count. */
static int
o_needles(const char *q, struct needle *nd, int max)
{
	char term[512];
	const char *p = q, *e;
	char *norm;
	size_t nlen, i, a, b;
	int32_t cp;
	int n = 0, k, cls;

	while (*p) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '"') {
			e = strchr(p + 1, '"');
			if (e == NULL)
				e = p + strlen(p);
			memcpy(term, p + 1, (size_t)(e - p - 1));
			term[e - p - 1] = '\0';
			p = *e ? e + 1 : e;
		} else {
			e = p + strcspn(p, " \"");
			memcpy(term, p, (size_t)(e - p));
			term[e - p] = '\0';
			p = e;
		}
		norm = ko_tok_normalize(term, strlen(term), &nlen);
		a = nlen;
		b = 0;
		for (i = 0; i < nlen; i += (size_t)k) {
			k = o_next(norm, nlen, i, &cp);
			cls = o_cls(cp);
			if (cls == 'S')
				continue;
			if (a == nlen)
				a = i;
			b = i + (size_t)k;
		}
		if (a < b) {
			cr_assert(n < max);
			nd[n].s = strndup(norm + a, b - a);
			n++;
		}
		free(norm);
	}
	return n;
}

/* The whole rule: a plain substring of the normalized text. */
static int
o_contains(const char *text, const struct needle *nd)
{
	return strstr(text, nd->s) != NULL;
}

/* expected[i] = whether doc i+1 matches; returns the number of needles. */
static int
oracle(const char *q, int *expected)
{
	struct needle nd[32];
	int n = o_needles(q, nd, 32), i, k;

	for (i = 0; i < NDOC; i++) {
		expected[i] = n > 0;
		for (k = 0; k < n && expected[i]; k++)
			expected[i] = o_contains(ntitle[i], &nd[k]) || o_contains(nbody[i], &nd[k]);
	}
	for (k = 0; k < n; k++)
		free(nd[k].s);
	return n;
}

/* ---- running queries ---- */

/* got[i] = whether doc i+1 came back. */
static void
run_match(sqlite3 *db, const char *sql, const char *fts, const char *q, int *got)
{
	sqlite3_stmt *st;
	int rc, id;

	memset(got, 0, sizeof(int) * NDOC);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, q, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int(st, 0);
		cr_assert(id >= 1 && id <= NDOC);
		got[id - 1] = 1;
	}
	cr_assert_eq(rc, SQLITE_DONE, "query %s (%s): %s", q, fts, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

struct qcase {
	const char *q;
	const char *kind;
	int         hits;   /* 1: the oracle must find something, 0: nothing, -1: either */
};

static int total_queries, total_hits;

/* One query through everything; returns the number of matching docs. */
static int
check_query(sqlite3 *db, const char *q, const char *kind, int want_hits)
{
	int expected[NDOC], candidates[NDOC], got[NDOC];
	struct search_query sq;
	struct buf fts = BUF_INIT;
	char err[128];
	struct str f[2];
	int i, n = 0, rc, tp = 0, fp = 0, fn = 0, ncand = 0;

	if (oracle(q, expected) == 0) {
		rc = search_query_to_fts(q, strlen(q), &fts, err, sizeof err);
		cr_assert_eq(rc, SEARCH_EEMPTY, "%s: %d", q, rc);
		buf_free(&fts);
		return 0;
	}
	rc = search_query_parse(&sq, q, strlen(q), err, sizeof err);
	cr_assert_eq(rc, SEARCH_OK, "%s: %s", q, err);
	cr_assert_eq(search_query_to_fts(q, strlen(q), &fts, err, sizeof err), SEARCH_OK);
	cr_assert_str_eq(fts.p, sq.fts.p);

	run_match(db, "SELECT rowid FROM docs WHERE docs MATCH ?1", fts.p, q, candidates);
	run_match(db, "SELECT rowid FROM docs WHERE docs MATCH ?1 AND ko_recheck(?2, title, body)",
	    fts.p, q, got);
	for (i = 0; i < NDOC; i++) {
		/* FTS5 alone never misses a row... */
		cr_assert(!expected[i] || candidates[i],
		    "[%s] %s: FTS5 missed doc %d (%s) with %s", kind, q, i + 1,
		    corpus[i].title, fts.p);
		/* ...and is exact when the query says it needs no recheck. */
		if (!search_query_needs_recheck(&sq))
			cr_assert_eq(candidates[i], expected[i],
			    "[%s] %s: doc %d without recheck", kind, q, i + 1);
		/* The C recheck agrees with the oracle on every candidate. */
		if (candidates[i]) {
			f[0].p = doc_title[i];
			f[0].len = strlen(doc_title[i]);
			f[1].p = doc_body[i];
			f[1].len = strlen(doc_body[i]);
			cr_assert_eq(search_fields_match(&sq, f, 2), expected[i],
			    "[%s] %s: C recheck on doc %d", kind, q, i + 1);
		}
		tp += got[i] && expected[i];
		fp += got[i] && !expected[i];
		fn += !got[i] && expected[i];
		n += expected[i];
		ncand += candidates[i];
	}
	cr_assert_eq(fp, 0, "[%s] %s: precision below 1 (%d false)", kind, q, fp);
	cr_assert_eq(fn, 0, "[%s] %s: recall below 1 (%d missed)", kind, q, fn);
	if (want_hits == 1)
		cr_assert(n > 0, "[%s] %s: the corpus should have a hit", kind, q);
	else if (want_hits == 0)
		cr_assert_eq(n, 0, "[%s] %s: the corpus should have no hit", kind, q);
	if (getenv("SEARCH_FTS_VERBOSE"))
		fprintf(stderr, "%-12s %-20s FTS5 %2d  after recheck %2d  expected %2d\n",
		    kind, q, ncand, tp + fp, n);
	total_queries++;
	total_hits += tp;
	search_query_free(&sq);
	buf_free(&fts);
	return n;
}

static const struct qcase cases[] = {
	{ "색", "1-syllable", 1 }, { "혁", "1-syllable", 1 }, { "시", "1-syllable", 1 },
	{ "년", "1-syllable", 1 }, { "뷁", "1-syllable", 0 }, { "京", "1-syllable", 1 },
	{ "혁신", "2-syllable", 1 }, { "경제", "2-syllable", 1 }, { "전주", "2-syllable", 1 },
	{ "청주", "2-syllable", 1 }, { "개막", "2-syllable", 1 }, { "사회", "2-syllable", 1 },
	{ "기관", "2-syllable", 1 }, { "신년", "2-syllable", 1 }, { "푸드", "2-syllable", 1 },
	{ "전주시", "3+-syllable", 1 }, { "사회적경제", "3+-syllable", 1 },
	{ "국립현대미술관", "3+-syllable", 1 }, { "한옥마을", "3+-syllable", 1 },
	{ "공영주차장", "3+-syllable", 1 }, { "완전주의", "3+-syllable", 1 },
	{ "전주시는", "particle", 1 }, { "전주시가", "particle", 1 }, { "청주시가", "particle", 1 },
	{ "사회혁신에", "particle", 0 }, { "혁신이", "particle", 1 }, { "경제를", "particle", 0 },
	{ "경영을", "particle", 1 },
	/* Numbers: plain substrings, inside longer numbers too. */
	{ "10", "number", 1 }, { "10년", "number", 1 }, { "6차", "number", 1 },
	{ "16차", "number", 1 }, { "23일", "number", 1 }, { "2010", "number", 1 },
	{ "2.1", "number", 1 }, { "3.5%", "number", 1 }, { "1000명", "number", 1 },
	{ "3.40", "number", 1 }, { "0", "number", 1 }, { "202", "number", 1 },
	{ "025", "number", 1 }, { "5년", "number", 1 }, { "0년", "number", 1 },
	{ "00", "number", 1 }, { "000명", "number", 1 }, { "01", "number", 1 },
	{ "99", "number", 1 }, { "0.1", "number", 0 }, { "4.1", "number", 0 },
	{ "445923", "number", 1 }, { "1058209749", "number", 1 },
	{ "31415926535897932384626433832795028841971693993751058209749445923", "number", 1 },
	{ "31415926535897932384626433832795028841971693993751058209749445924", "number", 0 },
	/* Latin: plain substrings, case folded. */
	{ "apple", "latin", 1 }, { "APPLE", "latin", 1 }, { "iphone", "latin", 1 },
	{ "IPhone", "latin", 1 }, { "apples", "latin", 1 }, { "ai", "latin", 1 },
	{ "ktx", "latin", 1 }, { "sqlite", "latin", 1 }, { "app", "latin", 1 },
	{ "pple", "latin", 1 }, { "ppl", "latin", 1 }, { "e", "latin", 1 },
	{ "phone", "latin", 1 }, { "pineapple", "latin", 1 }, { "lite", "latin", 1 },
	{ "news@example.kr", "latin", 1 }, { "example", "latin", 1 }, { "xampl", "latin", 1 },
	{ "kapitän", "latin", 1 }, { "KAPITÄN", "latin", 1 }, { "herstellung", "latin", 1 },
	{ "abzeichenherstellung", "latin", 1 },
	{ "donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellung", "latin", 1 },
	{ "schifffahrtsgesellschaftskapitänsmützenabzeichenherstellungen", "latin", 0 },
	{ "เกาหลี", "latin", 1 }, { "ประเทศไทย", "latin", 1 }, { "zz", "latin", 0 },
	{ "applez", "latin", 0 },
	/* Mixed scripts in one word. */
	{ "아이폰15", "mixed", 1 }, { "갤럭시s24", "mixed", 1 }, { "K리그", "mixed", 1 },
	{ "5g", "mixed", 1 }, { "iphone15", "mixed", 0 }, { "k-pop", "mixed", 1 },
	{ "s24", "mixed", 1 }, { "abc", "mixed", 1 }, { "s2", "mixed", 1 },
	{ "s4", "mixed", 0 }, { "K-푸드", "mixed", 1 }, { "k푸드", "mixed", 1 },
	{ "ESG경영", "mixed", 1 }, { "sg경영", "mixed", 1 }, { "esg경", "mixed", 1 },
	{ "esg 경영", "mixed", 1 }, { "\"esg 경영\"", "mixed", 0 }, { "폰15", "mixed", 1 },
	{ "제5차", "mixed", 0 }, { "제15차", "mixed", 1 }, { "5차", "mixed", 1 },
	{ "g2", "mixed", 1 }, { "g0", "mixed", 0 }, { "g20", "mixed", 1 }, { "나19", "mixed", 0 },
	{ "나119", "mixed", 1 }, { "갤럭시s2", "mixed", 1 }, { "럭시s24", "mixed", 1 },
	{ "폰1", "mixed", 1 }, { "e은", "mixed", 1 }, { "pple은", "mixed", 1 },
	{ "apple은", "mixed", 1 }, { "e는", "mixed", 0 }, { "g요금제", "mixed", 0 },
	{ "(pineapple)", "mixed", 1 }, { "애플(pine", "mixed", 1 }, { "k-", "mixed", 1 },
	/* Several words: AND. */
	{ "전주 혁신", "multi-word", 1 }, { "경제 10년", "multi-word", -1 },
	{ "apple 아이폰", "multi-word", 0 }, { "청주 인구 2010년", "multi-word", 1 },
	{ "전주 경제 혁신", "multi-word", 1 }, { "ai 전주", "multi-word", 1 },
	{ "pple 공개", "multi-word", 1 }, { "202 푸드", "multi-word", 1 },
	{ "esg 2024", "multi-word", 1 }, { "0 차", "multi-word", 1 },
	/* Quoted phrases: one needle with its spaces. */
	{ "\"사회적 경제\"", "phrase", 1 }, { "\"혁신 도시\"", "phrase", 1 },
	{ "\"전주시 혁신\"", "phrase", 0 }, { "\"10년 만에\"", "phrase", 1 },
	{ "\"iphone 15\"", "phrase", 1 }, { "\"사회적, 경제\"", "phrase", 1 },
	{ "\"혁신 도시\" 채용", "phrase", 1 }, { "\"경제 혁신이\"", "phrase", 1 },
	{ "\"phone 1\"", "phrase", 1 }, { "\"0 년\"", "phrase", 1 },
	{ "\"pple orchard\"", "phrase", 1 }, { "\"apple orchard\"", "phrase", 1 },
	{ "\"apples orchard\"", "phrase", 0 }, { "\"2030. it\"", "phrase", 1 },
	/* Separators inside a needle: exact text, white space runs as one. */
	{ "10 년", "separator", 1 }, { "\"10 년\"", "separator", 1 }, { "\"10. 년\"", "separator", 1 },
	{ "10.년", "separator", 0 }, { "\"10.  년\"", "separator", 1 }, { "\"10 . 년\"", "separator", 0 },
	{ "3.5", "separator", 1 }, { "3 5", "separator", 1 }, { "\"3 5\"", "separator", 1 },
	{ "3,5", "separator", 0 }, { "\"5 7\"", "separator", 1 }, { "\"3 5 7\"", "separator", 1 },
	{ "k-푸드", "separator", 1 }, { "\"k 푸드\"", "separator", 1 }, { "k푸드", "separator", 1 },
	{ "k–푸드", "separator", 0 }, { "k-pop", "separator", 1 }, { "\"k pop\"", "separator", 0 },
	{ "\"사회적,경제\"", "separator", 0 }, { "\"사회적, 경제적\"", "separator", 1 },
	{ "\"사회적,  경제적\"", "separator", 1 }, { "\"사회적 경제적\"", "separator", 0 },
	{ "\"6 차\"", "separator", 1 }, { "\"23 일\"", "separator", 1 }, { "\"1 층\"", "separator", 1 },
	{ "1층", "separator", 0 }, { "23일", "separator", 1 }, { "\"6월 23일\"", "separator", 1 },
	{ "\"6월 123\"", "separator", 1 }, { "\"월 23\"", "separator", 1 }, { "\"월 12\"", "separator", 1 },
	{ "\"월 2\"", "separator", 1 }, { "\"6월 2\"", "separator", 1 }, { "\"6월 3\"", "separator", 0 },
	{ "example.kr", "separator", 1 }, { "e.k", "separator", 1 }, { "e.kr", "separator", 1 },
	{ "news@e", "separator", 1 }, { "s@ex", "separator", 1 }, { "(주)신문사", "separator", 1 },
	{ "주)신문", "separator", 1 }, { "\"(주) 신문사\"", "separator", 0 }, { "全州) 한옥", "separator", 1 },
	{ "\"앞--뒤\"", "separator", 1 }, { "\"앞---뒤\"", "separator", 0 },
	{ "\"앞----------------------뒤\"", "separator", 1 }, { "\"앞---------------------뒤\"", "separator", 0 },
	{ "\"----------------------뒤\"", "separator", 1 }, { "\"다. 접수\"", "separator", 1 },
	{ "\"다.  접수\"", "separator", 1 }, { "\"다 접수\"", "separator", 0 },
	/* Around the word cut (the recheck decides there). */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa년", "long", 0 }, { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab년", "long", 1 },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa년", "long", 0 }, { "a𐐨년", "long", 1 }, { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "long", 1 },
	/* Full-width forms fold to ASCII. */
	{ "ＡＰＰＬＥ", "full-width", 1 }, { "１０년", "full-width", 1 },
	{ "ＫＴＸ", "full-width", 1 }, { "（주）", "full-width", 1 }, { "ＰＰＬ", "full-width", 1 },
	{ "與野", "hanja", 1 }, { "京都", "hanja", 1 }, { "東京都", "hanja", 1 },
	{ "ㅋㅋ", "compat-jamo", 1 },
	{ "NOT 혁신", "operators", -1 }, { "AND", "operators", 1 }, { "\"NEAR\"", "operators", 1 },
	{ "혁신*", "operators", 1 }, { "^전주", "operators", 1 }, { "title:전주", "operators", 0 },
	{ "(경제)", "operators", 1 }, { "-혁신", "operators", 1 }, { "or", "operators", 1 },
	{ "NEAR(혁신 도시)", "operators", 0 }, { "혁신 NEAR 도시", "operators", 0 },
	{ "ear", "operators", 1 }, { "no", "operators", 1 },
};

Test(search_fts, corpus_recall_and_precision)
{
	sqlite3 *db = open_corpus();
	size_t i;
	int n;

	cr_assert(NDOC >= 40);
	cr_log_info("index: test corpus, %d documents, %lld bytes of index", NDOC,
	    (long long)one_int(db, "SELECT sum(length(block)) FROM docs_data"));
	total_queries = total_hits = 0;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_query(db, cases[i].q, cases[i].kind, cases[i].hits);
	/* Not vacuous: most queries find several documents. */
	cr_assert(total_hits > 150, "only %d hits", total_hits);
	/* Sanity of the oracle on a few known facts. */
	n = check_query(db, "혁신", "sanity", 1);
	cr_assert(n >= 5);
	cr_log_info("search_fts: %d queries, %d matching rows, all exact", total_queries,
	    total_hits);
	sqlite3_close(db);
}

Test(search_fts, jamo_typed_queries)
{
	sqlite3 *db = open_corpus();
	static const char *const words[] = {
		"혁신", "전주시는", "경제", "사회혁신", "\"사회적 경제\"", "박람회", NULL,
	};
	char *q;
	int i, a, b;

	for (i = 0; words[i]; i++) {
		q = nfd(words[i]);
		cr_assert(strcmp(q, words[i]) != 0);
		a = check_query(db, q, "jamo-typed", 1);
		b = check_query(db, words[i], "precomposed", 1);
		cr_assert_eq(a, b, "%s: jamo %d vs precomposed %d", words[i], a, b);
		free(q);
	}
	/* The jamo document is found by precomposed queries. */
	{
		int exp[NDOC];

		oracle("박람회", exp);
		cr_assert(exp[doc_id("자모로 입력된 기사") - 1]);
	}
	sqlite3_close(db);
}

Test(search_fts, separated_syllables_do_not_match)
{
	sqlite3 *db = open_corpus();
	struct buf fts = BUF_INIT;
	int got[NDOC], spaced = doc_id("띄어 쓴 글자 시험"), dotted = doc_id("문장부호 시험");

	/* The documents really hold both syllables, apart. */
	cr_assert_not_null(strstr(nbody[spaced - 1], "혁 신"));
	cr_assert_not_null(strstr(nbody[dotted - 1], "혁. 신"));
	cr_assert_null(strstr(nbody[spaced - 1], "혁신"));
	cr_assert_eq(search_query_to_fts("혁신", strlen("혁신"), &fts, NULL, 0), SEARCH_OK);
	/* Even without the recheck. */
	run_match(db, "SELECT rowid FROM docs WHERE docs MATCH ?1", fts.p, "혁신", got);
	cr_assert_eq(got[spaced - 1], 0);
	cr_assert_eq(got[dotted - 1], 0);
	cr_assert_eq(got[doc_id("혁신 도시 이전 기관 평가") - 1], 1);
	/* Each syllable alone is found there. */
	check_query(db, "혁", "apart", 1);
	run_match(db, "SELECT rowid FROM docs WHERE docs MATCH '\"혁\"*'", "", "", got);
	cr_assert_eq(got[spaced - 1], 1);
	cr_assert_eq(got[dotted - 1], 1);
	buf_free(&fts);
	sqlite3_close(db);
}

/* The rows actually returned (MATCH + ko_recheck) for q. */
static void
search_rows(sqlite3 *db, const char *q, int *got)
{
	struct buf fts = BUF_INIT;

	cr_assert_eq(search_query_to_fts(q, strlen(q), &fts, NULL, 0), SEARCH_OK);
	run_match(db, "SELECT rowid FROM docs WHERE docs MATCH ?1 AND ko_recheck(?2, title, body)",
	    fts.p, q, got);
	buf_free(&fts);
}

/* Numbers and Latin words are plain substrings too (the oracle):
 * the oracle says so, and search returns those rows. */
Test(search_fts, numbers_and_latin_match_as_substrings)
{
	sqlite3 *db = open_corpus();
	static const struct {
		const char *q, *doc;
		int         want;
	} facts[] = {
		{ "10년", "2010년 이후 인구 변화", 1 },
		{ "10년", "전각 문자로 쓴 기사", 1 },
		{ "10년", "띄어 쓴 숫자", 0 },            /* "10 년": a separator term between */
		{ "10년", "사회적 경제 박람회", 0 },
		{ "6차", "16차 회의 결과", 1 },
		{ "6차", "청주시가 새 버스 노선 공개", 1 },
		{ "6차", "한지 공예 축제", 1 },           /* 6차례째 */
		{ "app", "English brief", 1 },            /* apples, APPLE */
		{ "app", "Apple, 새 iPhone 공개", 1 },
		{ "app", "파인애플 수입 증가", 1 },       /* Pineapple */
		{ "pple", "Apple, 새 iPhone 공개", 1 },
		{ "pple", "아이폰15 판매 시작", 0 },
		{ "202", "K-푸드 수출 호조", 1 },         /* 2025년 */
		{ "202", "ESG경영 확산", 1 },             /* 2024년 */
		{ "202", "2010년 이후 인구 변화", 0 },
		{ "K-푸드", "K-푸드 수출 호조", 1 },
		{ "ESG경영", "ESG경영 확산", 1 },
		{ "sg경영", "ESG경영 확산", 1 },
		{ "s4", "갤럭시S24 사전 예약", 0 },       /* 4 must start the run: 24 does not */
		{ "herstellung", "긴 낱말 시험", 1 },     /* past the 64-byte cut */
		{ "เกาหลี", "태국 관광객", 1 },           /* past the cut, 3-byte letters */
		{ "445923", "긴 숫자", 1 },
	};
	int exp[NDOC], got[NDOC], id;
	size_t i;

	for (i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		id = doc_id(facts[i].doc);
		oracle(facts[i].q, exp);
		cr_assert_eq(exp[id - 1], facts[i].want, "oracle: %s in %s", facts[i].q, facts[i].doc);
		search_rows(db, facts[i].q, got);
		cr_assert_eq(got[id - 1], facts[i].want, "search: %s in %s", facts[i].q, facts[i].doc);
	}
	sqlite3_close(db);
}

/* The rows FTS5 alone returns for q (no ko_recheck), for a query that
 * says it needs none. */
static void
fts_rows(sqlite3 *db, const char *q, int *got)
{
	struct search_query sq;

	cr_assert_eq(search_query_parse(&sq, q, strlen(q), NULL, 0), SEARCH_OK);
	cr_assert_eq(search_query_needs_recheck(&sq), 0, "%s", q);
	run_match(db, "SELECT rowid FROM docs WHERE docs MATCH ?1", sq.fts.p, q, got);
	search_query_free(&sq);
}

/* Separators inside a needle count, and FTS5 alone tells them apart. */
Test(search_fts, separators_count_without_the_recheck)
{
	sqlite3 *db = open_corpus();
	static const struct {
		const char *q, *doc;
		int         want;
	} facts[] = {
		{ "10년", "2010년 이후 인구 변화", 1 },
		{ "10년", "띄어 쓴 숫자", 0 },             /* 10 년 */
		{ "10년", "띄어 쓴 숫자와 점", 0 },        /* 10. 년 */
		{ "\"10 년\"", "띄어 쓴 숫자", 1 },
		{ "\"10 년\"", "띄어 쓴 숫자와 점", 0 },
		{ "\"10 년\"", "2010년 이후 인구 변화", 0 },
		{ "\"10. 년\"", "띄어 쓴 숫자와 점", 1 },
		{ "\"10. 년\"", "띄어 쓴 숫자", 0 },
		{ "3.5", "경제 성장률 전망", 1 },
		{ "3.5", "띄어 쓴 숫자와 점", 0 },         /* 3 5 */
		{ "\"3 5\"", "띄어 쓴 숫자와 점", 1 },
		{ "\"3 5\"", "경제 성장률 전망", 0 },
		{ "3,5", "띄어 쓴 숫자와 점", 0 },
		{ "k-푸드", "K-푸드 수출 호조", 1 },
		{ "k-푸드", "K 푸드 행사", 0 },
		{ "\"k 푸드\"", "K 푸드 행사", 1 },
		{ "\"k 푸드\"", "K-푸드 수출 호조", 0 },
		{ "k푸드", "K 푸드 행사", 1 },             /* its K푸드 */
		{ "k푸드", "K-푸드 수출 호조", 0 },
		/* A typed space matches a line break, not a comma. */
		{ "\"사회적 경제\"", "사회적 경제 박람회", 1 },
		{ "\"사회적 경제\"", "줄바꿈 기사", 1 },
		{ "\"사회적 경제\"", "쉼표 기사", 0 },
		{ "\"사회적, 경제\"", "쉼표 기사", 1 },
		{ "\"사회적, 경제\"", "사회적 경제 박람회", 0 },
		{ "\"사회적 경제\"", "전주시, 사회혁신 10년 계획 발표", 0 },   /* 사회적경제 */
		/* A run after the first must be a whole run of the text. */
		{ "제5차", "제15차 위원회", 0 },
		{ "제15차", "제15차 위원회", 1 },
		{ "나19", "제15차 위원회", 0 },           /* 코로나119 */
		{ "나119", "제15차 위원회", 1 },
		{ "\"6월 23일\"", "6월 23일 행사 안내", 1 },
		{ "\"월 23일\"", "6월 23일 행사 안내", 1 },
		{ "\"6월 3\"", "6월 23일 행사 안내", 0 },
		{ "\"6월 123\"", "6월 23일 행사 안내", 1 },  /* two spaces in the text */
	};
	int exp[NDOC], got[NDOC], id;
	size_t i;

	for (i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		id = doc_id(facts[i].doc);
		oracle(facts[i].q, exp);
		cr_assert_eq(exp[id - 1], facts[i].want, "oracle: %s in %s", facts[i].q, facts[i].doc);
		fts_rows(db, facts[i].q, got);
		cr_assert_eq(got[id - 1], facts[i].want, "FTS5: %s in %s", facts[i].q, facts[i].doc);
	}
	sqlite3_close(db);
}

static int
needs_recheck(const char *q, size_t len)
{
	struct search_query sq;
	int r;

	cr_assert_eq(search_query_parse(&sq, q, len, NULL, 0), SEARCH_OK, "%s", q);
	r = search_query_needs_recheck(&sq);
	search_query_free(&sq);
	return r;
}

/* The recheck is asked for only where a term is cut. */
Test(search_fts, recheck_only_where_needed)
{
	static const char *const exact[] = {
		"10년", "6차", "23일", "1층", "2010년", "ESG경영", "K-푸드", "3.5%", "3.5",
		"\"사회적 경제\"", "\"사회적, 경제\"", "아이폰15", "갤럭시S24", "s4", "제5차",
		"news@example.kr", "10 년", "\"10 년\"", "혁신", "iphone", "경제 10년", "\"6월 23일\"",
		"COVID-19", "(주)신문사", "\"앞----------------뒤\"", "１０년", "a\377b",
	};
	char q[200];
	size_t i;

	for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
		cr_assert_eq(needs_recheck(exact[i], strlen(exact[i])), 0, "%s", exact[i]);
	/* A run of KO_TOK_WORD_MAX letters alone: its term is not cut. */
	memset(q, 'a', 64);
	cr_assert_eq(needs_recheck(q, 64), 0);
	/* 65: the query term is cut. */
	memset(q, 'a', 65);
	cr_assert_eq(needs_recheck(q, 65), 1);
	/* A run followed by more: exact up to 60 bytes; longer, it may equal a
	 * document's cut term. */
	memset(q, 'a', 60);
	memcpy(q + 60, "년", 3);
	cr_assert_eq(needs_recheck(q, 63), 0);
	memset(q, 'a', 61);
	memcpy(q + 61, "년", 3);
	cr_assert_eq(needs_recheck(q, 64), 1);
	memcpy(q, "년", 3);
	memset(q + 3, '7', 64);
	cr_assert_eq(needs_recheck(q, 67), 0);    /* last run: a prefix, 64 fit */
	memset(q + 3, '7', 65);
	cr_assert_eq(needs_recheck(q, 68), 1);
	/* A separator run of KO_TOK_SEP_MAX bytes is one term; longer is cut. */
	memcpy(q, "\"a", 2);
	memset(q + 2, '-', 16);
	memcpy(q + 18, "b\"", 2);
	cr_assert_eq(needs_recheck(q, 20), 0);
	memset(q + 2, '-', 17);
	memcpy(q + 19, "b\"", 2);
	cr_assert_eq(needs_recheck(q, 21), 1);
	/* White space runs count as one space, as normalized text has them. */
	memcpy(q, "\"a", 2);
	memset(q + 2, ' ', 40);
	memcpy(q + 42, "b\"", 2);
	cr_assert_eq(needs_recheck(q, 44), 0);
	/* One needle that needs it makes the query need it. */
	memset(q, 'a', 70);
	memcpy(q + 70, " 10년", 6);
	cr_assert_eq(needs_recheck(q, 76), 1);
	cr_assert_eq(needs_recheck(q + 70, 6), 0);
}

/* Whatever a reader types, the MATCH runs without an SQL or FTS5 error. */
Test(search_fts, typed_syntax_never_errors)
{
	sqlite3 *db = open_corpus();
	static const char *const qs[] = {
		"\"", "\"\"", "\"a", "a\"", "a\"b\"c", "*", "a*", "*a", "^a", "a:b", ":",
		"NEAR(a b)", "NEAR", "a AND", "AND", "OR OR", "NOT", "NOT a", "(", ")", "()",
		"{title}: x", "{title body}:혁신", "title:혁신", "-a", "+", "a + b",
		"'; DROP TABLE docs; --", "\\\"", "\"\"\"\"", "혁신\"", "“전주”", "＂경제＂",
		"a OR b NOT c", "col : \"x\" *", "혁신 NEAR/2 경제", "\t\n\r", "\xFF\xFE",
		"\xE1\x84", "혁\xED\xA0\x80신", "\u200B", "ㅤ", "‍", "* * *", "\"* AND *\"",
		"x\"y\"z\"", "^", "^^^혁신^^^",
	};
	struct buf fts;
	sqlite3_stmt *st;
	char err[64];
	size_t i;
	int rc, got[NDOC];

	for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		buf_init(&fts, 0);
		rc = search_query_to_fts(qs[i], strlen(qs[i]), &fts, err, sizeof err);
		cr_assert(rc == SEARCH_OK || rc == SEARCH_EEMPTY, "%s: %d", qs[i], rc);
		if (rc == SEARCH_EEMPTY) {
			cr_assert_str_eq(err, "검색어를 입력하세요");
			cr_assert_eq(fts.len, 0);
		} else {
			run_match(db, "SELECT rowid FROM docs WHERE docs MATCH ?1 AND "
			    "ko_recheck(?2, title, body)", fts.p, qs[i], got);
		}
		buf_free(&fts);
	}
	/* Queries with a NUL inside (length given explicitly). */
	buf_init(&fts, 0);
	cr_assert_eq(search_query_to_fts("혁\0신", 7, &fts, NULL, 0), SEARCH_OK);
	cr_assert_eq(strlen(fts.p), fts.len);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM docs WHERE docs MATCH ?1",
	    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, fts.p, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	buf_free(&fts);
	sqlite3_close(db);
}

Test(search_fts, empty_and_oversized_queries)
{
	static const char *const empty[] = { "", "   ", "!!!", "*", "\"\"", "\" \"", "。、「」", "\u3000" };
	char big[SEARCH_QUERY_MAX + 10], err[64];
	struct buf out = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		cr_assert_eq(search_query_to_fts(empty[i], strlen(empty[i]), &out, err, sizeof err),
		    SEARCH_EEMPTY, "%s", empty[i]);
		cr_assert_str_eq(err, "검색어를 입력하세요");
	}
	cr_assert_eq(search_query_to_fts(NULL, 0, &out, NULL, 0), SEARCH_EEMPTY);
	memset(big, 'a', sizeof big);
	cr_assert_eq(search_query_to_fts(big, sizeof big, &out, err, sizeof err), SEARCH_ETOOLONG);
	/* 17 terms: one too many. */
	cr_assert_eq(search_query_to_fts("a b c d e f g h i j k l m n o p q", 33, &out, NULL, 0),
	    SEARCH_ETOOLONG);
	/* A short err buffer gets a cut, still valid UTF-8 message. */
	cr_assert_eq(search_query_to_fts("", 0, &out, err, 5), SEARCH_EEMPTY);
	cr_assert_str_eq(err, "검");
	cr_assert_eq(out.len, 0);
	buf_free(&out);
}

Test(search_fts, expression_shape)
{
	struct buf out = BUF_INIT;
	const char *q;

	cr_assert_eq(search_query_to_fts("혁신", 6, &out, NULL, 0), SEARCH_OK);
	cr_assert_str_eq(out.p, "\"혁신\"");
	buf_reset(&out);
	cr_assert_eq(search_query_to_fts("색", 3, &out, NULL, 0), SEARCH_OK);
	cr_assert_str_eq(out.p, "\"색\"*");
	buf_reset(&out);
	/* A letter or digit run ending a needle is a prefix; other runs not. */
	cr_assert_eq(search_query_to_fts("a\"b c\" NOT", 10, &out, NULL, 0), SEARCH_OK);
	cr_assert_str_eq(out.p, "\"a\"* AND \"b c\"* AND \"NOT\"*");
	buf_reset(&out);
	cr_assert_eq(search_query_to_fts("x\"\"y", 4, &out, NULL, 0), SEARCH_OK);
	cr_assert_str_eq(out.p, "\"x\"* AND \"y\"*");
	buf_reset(&out);
	/* Invalid bytes go out as U+FFFD, the separator they normalize to. */
	cr_assert_eq(search_query_to_fts("a\xFF" "bc", 4, &out, NULL, 0), SEARCH_OK);
	cr_assert_str_eq(out.p, "\"a\xEF\xBF\xBD" "bc\"*");
	buf_reset(&out);
	q = "10년 ESG경영 전주10 K-푸드 \"3.5%\"";
	cr_assert_eq(search_query_to_fts(q, strlen(q), &out, NULL, 0), SEARCH_OK);
	/* (No star after a gap term's last character: 10년, 3.5.) */
	cr_assert_str_eq(out.p, "\"10년\" AND \"ESG경영\" AND \"전주10\"* AND \"K-푸드\" AND "
	    "\"3.5%\"");
	buf_reset(&out);
	q = "6차 s4 \"서울 시\" 1 a1b2";
	cr_assert_eq(search_query_to_fts(q, strlen(q), &out, NULL, 0), SEARCH_OK);
	cr_assert_str_eq(out.p, "\"6차\" AND \"s4\" AND \"서울 시\"* AND \"1\"* AND \"a1b2\"");
	buf_free(&out);
}

/* highlight() of column 1 (body) of doc id for an FTS expression. */
static char *
highlight(sqlite3 *db, int id, const char *q)
{
	struct buf fts = BUF_INIT;
	sqlite3_stmt *st;
	char *r;

	cr_assert_eq(search_query_to_fts(q, strlen(q), &fts, NULL, 0), SEARCH_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT highlight(docs, 1, '[', ']') FROM docs "
	    "WHERE docs MATCH ?1 AND rowid = ?2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, fts.p, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, id);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s on %d", q, id);
	r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	buf_free(&fts);
	return r;
}

Test(search_fts, highlight_marks_original_bytes)
{
	sqlite3 *db = open_corpus();
	char *h, *want, *a, *b, *c;
	int jamo = doc_id("자모로 입력된 기사");

	h = highlight(db, doc_id("전주시, 사회혁신 10년 계획 발표"), "전주시");
	cr_assert_str_eq(h, "[전주시]는 23일 시청에서 사회혁신 10년 계획을 발표했다. "
	    "시는 사회적경제 기업 육성 예산을 늘린다.");
	free(h);
	h = highlight(db, doc_id("전주시, 사회혁신 10년 계획 발표"), "혁신 10년");
	cr_assert_str_eq(h, "전주시는 23일 시청에서 사회[혁신] [10년] 계획을 발표했다. "
	    "시는 사회적경제 기업 육성 예산을 늘린다.");
	free(h);
	h = highlight(db, doc_id("사회적 경제 박람회"), "\"사회적 경제\"");
	cr_assert_str_eq(h, "[사회적 경제] 박람회가 전주에서 열린다. 사회적경제 기업 80곳이 참가한다.");
	free(h);
	/* Full-width: three bytes per character in the original. */
	h = highlight(db, doc_id("전각 문자로 쓴 기사"), "ktx １０년");
	cr_assert_str_eq(h, "[ＫＴＸ] 증편으로 [１０년] 만에 배차 간격이 줄었다. ＡＩ 안내 로봇도 배치된다.");
	free(h);
	/* Jamo-typed document, precomposed query: the mark goes around the
	 * six jamo of 혁신, not three bytes of them. */
	h = highlight(db, jamo, "혁신");
	a = nfd("전주시는 사회");
	b = nfd("혁신");
	c = nfd(" 박람회를 연다. 경제 분야 전시가 많다.");
	want = malloc(strlen(a) + strlen(b) + strlen(c) + 3);
	memcpy(want, a, strlen(a));
	want[strlen(a)] = '[';
	memcpy(want + strlen(a) + 1, b, strlen(b));
	want[strlen(a) + 1 + strlen(b)] = ']';
	memcpy(want + strlen(a) + strlen(b) + 2, c, strlen(c) + 1);
	cr_assert_str_eq(h, want);
	free(h);
	free(want);
	free(a);
	free(b);
	free(c);
	/* Jamo-typed query on the jamo document, two matches. */
	a = nfd("전주시는 경제");
	h = highlight(db, jamo, a);
	free(a);
	a = nfd("[전주시는] 사회혁신 박람회를 연다. [경제] 분야 전시가 많다.");
	cr_assert_str_eq(h, a);
	free(a);
	free(h);
	sqlite3_close(db);
}

/* A match inside a Latin word or a number marks the whole word: the mark
 * is per position, and the word is one position. */
Test(search_fts, highlight_marks_whole_words)
{
	sqlite3 *db = open_corpus();
	char *h;

	h = highlight(db, doc_id("Apple, 새 iPhone 공개"), "pple");
	cr_assert_str_eq(h, "[Apple]은 새 iPhone 모델을 공개했다. 국내 출시는 다음 달이다.");
	free(h);
	h = highlight(db, doc_id("Apple, 새 iPhone 공개"), "phone 모델");
	cr_assert_str_eq(h, "Apple은 새 [iPhone] [모델]을 공개했다. 국내 출시는 다음 달이다.");
	free(h);
	h = highlight(db, doc_id("2010년 이후 인구 변화"), "10년");
	cr_assert_str_eq(h, "[2010년] 이후 청주 인구는 꾸준히 늘었다. 전주는 정체했다.");
	free(h);
	h = highlight(db, doc_id("16차 회의 결과"), "6차");
	cr_assert_str_eq(h, "[16차] 노사 회의가 결렬됐다. 다음 회의 일정은 미정이다.");
	free(h);
	h = highlight(db, doc_id("전각 문자로 쓴 기사"), "ｋｔ");
	cr_assert_str_eq(h, "[ＫＴＸ] 증편으로 １０년 만에 배차 간격이 줄었다. ＡＩ 안내 로봇도 배치된다.");
	free(h);
	/* Past the 64-byte cut: still the whole word. */
	h = highlight(db, doc_id("긴 낱말 시험"), "herstellung");
	cr_assert_str_eq(h, "[Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellung] "
	    "같은 긴 낱말도 찾는다.");
	free(h);
	sqlite3_close(db);
}

Test(search_fts, snippet_marks_the_match)
{
	sqlite3 *db = open_corpus();
	sqlite3_stmt *st;
	struct buf fts = BUF_INIT;

	cr_assert_eq(search_query_to_fts("공공기관", strlen("공공기관"), &fts, NULL, 0), SEARCH_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT snippet(docs, 1, '<b>', '</b>', '…', 4) "
	    "FROM docs WHERE docs MATCH ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, fts.p, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_not_null(strstr((const char *)sqlite3_column_text(st, 0), "<b>공공기관</b>"),
	    "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	buf_free(&fts);
	sqlite3_close(db);
}

/* snippet() of column 1 (body) of doc id, windows of ntok positions. */
static char *
snippet(sqlite3 *db, int id, const char *q, int ntok)
{
	struct buf fts = BUF_INIT;
	sqlite3_stmt *st;
	char *r;

	cr_assert_eq(search_query_to_fts(q, strlen(q), &fts, NULL, 0), SEARCH_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT snippet(docs, 1, '[', ']', '…', ?3) FROM docs "
	    "WHERE docs MATCH ?1 AND rowid = ?2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, fts.p, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, id);
	sqlite3_bind_int(st, 3, ntok);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s on %d", q, id);
	r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	buf_free(&fts);
	return r;
}

/*
 * Gap terms take positions but never start a mark: a needle starts with a
 * run, so a mark spans from a word to a word, separators inside it
 * included.  A gap term spans the first character of the run after it, so
 * a snippet window that starts on one starts at that word, and one that
 * ends on one ends after that character, as a window ending on a bigram
 * ends inside a word.
 */
Test(search_fts, separators_in_highlight_and_snippet)
{
	sqlite3 *db = open_corpus();
	int comma = doc_id("쉼표 기사");
	char *h;

	h = highlight(db, doc_id("K 푸드 행사"), "\"k 푸드\"");
	cr_assert_str_eq(h, "[k 푸드] 박람회와 K푸드 시식회가 열렸다.");
	free(h);
	h = highlight(db, doc_id("K 푸드 행사"), "k푸드");
	cr_assert_str_eq(h, "k 푸드 박람회와 [K푸드] 시식회가 열렸다.");
	free(h);
	h = highlight(db, doc_id("경제 성장률 전망"), "3.5%");
	cr_assert_str_eq(h, "한국은행은 올해 경제 성장률을 2.1%로 내다봤다. [3.5]% 전망은 거둬들였다.");
	free(h);
	h = highlight(db, doc_id("줄바꿈 기사"), "\"사회적 경제\"");
	cr_assert_str_eq(h, "[사회적\n경제] 정책 토론회가 열렸다.");
	free(h);
	h = highlight(db, doc_id("6월 23일 행사 안내"), "\"6월 123\" 23일");
	/* (The phrase ends with the gap term _일, which spans 일 alone.) */
	cr_assert_str_eq(h, "행사는 6월 [23일]에 열린다. 접수 번호는 [6월  123]번부터다.");
	free(h);
	h = highlight(db, comma, "\"사회적, 경제\"");
	cr_assert_str_eq(h, "[사회적, 경제]적 가치를 함께 본다.");
	free(h);
	/* Body positions: 사회 회적 적 "_, 경" 경제 제적 적 가치 ... */
	h = snippet(db, comma, "경제", 2);
	cr_assert_str_eq(h, "…[경제]적…");
	free(h);
	h = snippet(db, comma, "사회", 4);
	cr_assert_str_eq(h, "[사회]적, 경…");
	free(h);
	h = snippet(db, comma, "\"사회적, 경제\"", 10);
	cr_assert_str_eq(h, "[사회적, 경제]적 가치를…");
	free(h);
	sqlite3_close(db);
}

Test(search_fts, tokenizer_rejects_options_and_needs_registration)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='ko')",
	    NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(db), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='ko 1')",
	    NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='ko')",
	    NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "SELECT ko_recheck('a')", NULL, NULL, NULL), SQLITE_ERROR);
	sqlite3_close(db);
}

/* Terms in the index for one text (fts5vocab), to pin down what is stored. */
Test(search_fts, vocabulary_of_a_row)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct buf terms = BUF_INIT;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='ko');"
	    "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');"
	    "INSERT INTO t VALUES('사회혁신에 Apple ＡＢＣ１０ 10년');", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT offset, term FROM v ORDER BY offset, term",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text(st, 1);

		buf_printf(&terms, "%d:", sqlite3_column_int(st, 0));
		/* The marks, printable: _ separator, ~ suffix. */
		if (term[0] == KO_TOK_MARK_SEP || term[0] == KO_TOK_MARK_SUFFIX)
			buf_putc(&terms, term[0] == KO_TOK_MARK_SEP ? '_' : '~');
		else
			buf_putc(&terms, term[0]);
		buf_puts(&terms, term + 1);
		buf_putc(&terms, ' ');
	}
	sqlite3_finalize(st);
	/* A letter or digit run is one position holding a term per character,
	 * the whole run and its marked suffixes; runs that touch (ＡＢＣ１０,
	 * 10년) have a gap term between them, the last character before and
	 * the first after, and runs apart by a space none. */
	cr_assert_str_eq(terms.p, "0:사회 1:회혁 2:혁신 3:신에 4:에 "
	    "5:~e 5:~le 5:~ple 5:~pple 5:apple 6:~bc 6:~c 6:abc 7:_c1 8:~0 8:10 "
	    "9:~0 9:10 10:_0년 11:년 ");
	buf_free(&terms);
	sqlite3_close(db);
}

static sqlite3_int64
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 v;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	    sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The suffix terms keep the index linear in the text: one term instance
 * per letter or digit character (as Hangul has one per syllable), each at
 * most KO_TOK_WORD_MAX bytes, one position per word, and one term and
 * position per gap between words that is not white space alone.  On an
 * English paragraph and on a hostile 20,000-letter run.
 */
Test(search_fts, index_stays_linear_in_the_text)
{
	static const char para[] =
	    "Seoul announced a new innovation plan for 2030. The city will invest "
	    "in public transport, housing and digital services, and expects 15,000 "
	    "new jobs. Critics said the budget of 3.2 trillion won was unrealistic.";
	size_t i, nalnum = 0, nwords = 0, ngaps = 0;
	struct buf fts = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;
	char *big, q[21];
	unsigned x = 1;
	int got[2], cls, prev = 'S', punct = 0;

	/* Letters and digits, runs of them ('L' or 'D', as the oracle), and
	 * gaps between runs that are not spaces alone (touching runs, or
	 * punctuation). */
	for (i = 0; para[i]; i++) {
		cls = o_cls((unsigned char)para[i]);
		if (cls != 'S')
			nalnum++;
		if (cls != 'S' && cls != prev) {
			if (nwords > 0 && (prev != 'S' || punct))
				ngaps++;
			nwords++;
			punct = 0;
		}
		if (cls == 'S' && para[i] != ' ')
			punct = 1;
		prev = cls;
	}
	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='ko');"
	    "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, x) VALUES (?1, ?2)", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, 1);
	sqlite3_bind_text(st, 2, para, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_reset(st);
	cr_assert_eq(one_int(db, "SELECT count(*) FROM v WHERE doc = 1"),
	    (sqlite3_int64)(nalnum + ngaps));
	cr_assert_eq(one_int(db, "SELECT count(DISTINCT offset) FROM v WHERE doc = 1"),
	    (sqlite3_int64)(nwords + ngaps));
	cr_assert(ngaps > 5 && ngaps < nwords / 2);
	/* The stored index: a few bytes per character of text. */
	cr_log_info("index: English paragraph, %zu bytes of text, %lld bytes of index",
	    strlen(para), (long long)one_int(db, "SELECT sum(length(block)) FROM t_data"));
	cr_assert(one_int(db, "SELECT sum(length(block)) FROM t_data") <
	    12 * (sqlite3_int64)sizeof para);

	/* 20,000 random letters without a break: 20,000 distinct terms of at
	 * most 64 bytes in one position, not 20,000^2 / 2 bytes. */
	big = malloc(20001);
	cr_assert_not_null(big);
	for (i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		big[i] = (char)('a' + (x >> 16) % 26);
	}
	big[20000] = '\0';
	sqlite3_bind_int(st, 1, 2);
	sqlite3_bind_text(st, 2, big, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	cr_assert_eq(one_int(db, "SELECT count(*) FROM v WHERE doc = 2"), 20000);
	cr_assert_eq(one_int(db, "SELECT count(DISTINCT offset) FROM v WHERE doc = 2"), 1);
	/* (Not counting the suffix mark.) */
	cr_assert_eq(one_int(db, "SELECT max(length(term) - (substr(term, 1, 1) = char(3))) "
	    "FROM v WHERE doc = 2"), KO_TOK_WORD_MAX);
	cr_assert_eq(KO_TOK_MARK_SUFFIX, 3);
	cr_log_info("index: with a 20000-letter run, %lld bytes of index",
	    (long long)one_int(db, "SELECT sum(length(block)) FROM t_data"));
	cr_assert(one_int(db, "SELECT sum(length(block)) FROM t_data") < 100 * 20000);
	/* And a piece far into the run is found. */
	memcpy(q, big + 15000, 20);
	q[20] = '\0';
	cr_assert_eq(search_query_to_fts(q, 20, &fts, NULL, 0), SEARCH_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, fts.p, -1, SQLITE_STATIC);
	got[0] = got[1] = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		got[sqlite3_column_int(st, 0) - 1] = 1;
	sqlite3_finalize(st);
	cr_assert(got[1] && !got[0]);
	buf_free(&fts);
	free(big);
	sqlite3_close(db);
}

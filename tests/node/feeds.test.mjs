// Feeds as feed readers see them: the server's RSS and Atom parsed by
// rss-parser (a widely used npm feed parser, on top of xml2js), checking
// titles, links, guids, dates and categories - press releases marked as
// 보도자료 - and that no unpublished article appears.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Parser from 'rss-parser';
import { startServer } from '../browser/helpers.mjs';

const BASE = 'https://bomnae.example.kr';   // the demo's site_url
const KIND = 'urn:x-sinmun:kind';
const SECTION = 'urn:x-sinmun:section';
const PRESS = [1004, 1008, 1013, 1016, 1017, 1024, 1027, 1038];
const UNPUBLISHED = [1049, 1050, 1051];

let server;
// Atom categories are not parsed by default: ask for the elements.
const parser = new Parser({
  customFields: { item: [['category', 'atomCategories', { keepArray: true }]] },
});

before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

async function fetchFeed(path, type) {
  const r = await fetch(server.base + path);
  assert.equal(r.status, 200, path);
  assert.equal(r.headers.get('content-type'), `${type}; charset=utf-8`, path);
  assert.match(r.headers.get('etag'), /^"[0-9a-f]{32}"$/);
  return parser.parseString(await r.text());
}

// RSS categories with a domain come back as { _: text, $: { domain } }.
function rssCategory(item, domain) {
  const c = (item.categories || []).find((x) => x.$ && x.$.domain === domain);
  return c ? c._ : undefined;
}

function idOf(url) {
  const m = /\/articles\/(\d+)(?:\/|$)/.exec(url);
  assert.ok(m, `an article URL: ${url}`);
  return Number(m[1]);
}

function checkRssItem(item) {
  assert.ok(item.title && item.title.length > 0);
  assert.equal(item.guid, `${BASE}/articles/${idOf(item.guid)}`, 'guid is the permanent URL');
  assert.equal(idOf(item.link), idOf(item.guid));
  assert.match(item.pubDate, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0900$/);
  assert.ok(!Number.isNaN(Date.parse(item.isoDate)));
  assert.ok(item['content:encoded'].startsWith('<p>'), 'full body in content:encoded');
  assert.ok(rssCategory(item, SECTION), 'a section category');
  const kind = rssCategory(item, KIND);
  assert.ok(['자체기사', '보도자료', '기고', '광고성 기사'].includes(kind), `kind ${kind}`);
  assert.equal(kind === '보도자료', PRESS.includes(idOf(item.guid)), `kind of ${item.guid}`);
  assert.ok(!UNPUBLISHED.includes(idOf(item.guid)), `unpublished ${item.guid}`);
}

test('/rss.xml: the latest published articles, every kind labelled', async () => {
  const feed = await fetchFeed('/rss.xml', 'application/rss+xml');
  assert.equal(feed.title, '봄내일보');
  assert.equal(feed.link, `${BASE}/`);
  assert.equal(feed.language, 'ko');
  assert.equal(feed.feedUrl, `${BASE}/rss.xml`);
  assert.equal(feed.items.length, 48);
  feed.items.forEach(checkRssItem);
  // Newest first.
  const times = feed.items.map((i) => Date.parse(i.isoDate));
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  const press = feed.items.find((i) => i.guid === `${BASE}/articles/1004`);
  assert.equal(rssCategory(press, KIND), '보도자료');
  assert.equal(rssCategory(press, SECTION), '사회');
  assert.equal(press.author, 'doyoon.kang@bomnae.example.kr (봄내일보 기자)');
  assert.equal(press.creator, '봄내일보 기자');
  assert.ok(press['content:encoded'].includes('[뉴스출처 : 강원특별자치도교육청]'));
  const own = feed.items.find((i) => i.guid === `${BASE}/articles/1001`);
  assert.equal(own.title, '춘천시의회 정례회 개회…내년 예산안 1조4천억원 심사 돌입');
  assert.equal(rssCategory(own, KIND), '자체기사');
  assert.equal(rssCategory(feed.items.find((i) => i.guid.endsWith('/1041')), KIND), '광고성 기사');
  assert.equal(rssCategory(feed.items.find((i) => i.guid.endsWith('/1021')), KIND), '기고');
});

test('/sections/economy/rss.xml: the section alone', async () => {
  const feed = await fetchFeed('/sections/economy/rss.xml', 'application/rss+xml');
  assert.equal(feed.title, '봄내일보 : 경제');
  assert.equal(feed.link, `${BASE}/sections/economy`);
  assert.ok(feed.items.length > 0);
  feed.items.forEach(checkRssItem);
  for (const item of feed.items) assert.equal(rssCategory(item, SECTION), '경제');
});

test('/rss/press.xml: press releases and nothing else', async () => {
  const feed = await fetchFeed('/rss/press.xml', 'application/rss+xml');
  assert.equal(feed.title, '봄내일보 : 보도자료');
  assert.deepEqual(feed.items.map((i) => idOf(i.guid)).sort(), [...PRESS].sort());
  for (const item of feed.items) {
    checkRssItem(item);
    assert.equal(rssCategory(item, KIND), '보도자료');
  }
});

test('/atom.xml: the same articles as Atom entries', async () => {
  const [atom, rss] = await Promise.all([
    fetchFeed('/atom.xml', 'application/atom+xml'),
    fetchFeed('/rss.xml', 'application/rss+xml'),
  ]);
  assert.equal(atom.title, '봄내일보');
  assert.equal(atom.link, `${BASE}/`);
  assert.equal(atom.feedUrl, `${BASE}/atom.xml`);
  assert.match(atom.lastBuildDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
  assert.deepEqual(atom.items.map((i) => i.id), rss.items.map((i) => i.guid));
  assert.deepEqual(atom.items.map((i) => i.title), rss.items.map((i) => i.title));
  for (const item of atom.items) {
    assert.equal(item.link, rss.items.find((r) => r.guid === item.id).link);
    assert.ok(!Number.isNaN(Date.parse(item.pubDate)));
    assert.ok(item.content.startsWith('<p>'));
    const kind = item.atomCategories.find((c) => c.$.scheme === KIND).$.term;
    assert.equal(kind === '보도자료', PRESS.includes(idOf(item.id)), `kind of ${item.id}`);
    assert.ok(!UNPUBLISHED.includes(idOf(item.id)));
  }
  assert.equal(atom.items.find((i) => i.id.endsWith('/1004')).author, '봄내일보 기자');
});

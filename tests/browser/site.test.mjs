// The public site in a real browser: Korean text renders with a Korean
// font, nothing is loaded from other hosts, a phone-sized screen has no
// sideways scrolling, and the pages read without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch } from './helpers.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Opens a page, recording every request the page makes.
async function open(context, path) {
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const resp = await page.goto(server.base + path, { waitUntil: 'load' });
  return { page, resp, requests };
}

test('front page on a phone: masthead, ticker, leads, footer; no other hosts', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2, javaScriptEnabled: false, locale: 'ko-KR' });
  const { page, resp, requests } = await open(context, '/');
  assert.equal(resp.status(), 200);
  for (const url of requests)
    assert.ok(url.startsWith(server.base), `request to another host: ${url}`);
  const today = await page.textContent('.today');
  assert.match(today, /^\d{4}\.\d{2}\.\d{2} \([월화수목금토일]\)$/);
  const ticker = await page.textContent('.weather');
  assert.match(ticker.replace(/\s+/g, ' '), /흐림춘천 5\.7℃/);
  assert.match(ticker, /기상청 제공/);
  const lead = await page.textContent('.latest .item .lead');
  assert.match(lead, /^봄내일보 기자 \| \S/);
  const footer = await page.textContent('footer');
  for (const word of ['제호', '등록번호', '등록일', '발행인', '편집인', '청소년보호책임자', '주소', '전화'])
    assert.ok(footer.includes(word), `footer lacks ${word}`);
  // No sideways scrolling on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  // Korean glyphs come from a real Korean font (fonts-nanum), not boxes.
  const hangulWidth = await page.evaluate(() => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = '16px NanumGothic';
    return c.measureText('신문').width;
  });
  assert.ok(hangulWidth > 20, `Hangul measured ${hangulWidth}px`);
  await page.screenshot({ path: 'build/screenshots/front-phone.png', fullPage: false });
  await context.close();
});

test('article page on a desktop: headline, subtitles, times, byline, copyright', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const { page, resp, requests } = await open(context, '/articles/1001');
  assert.equal(resp.status(), 200);
  for (const url of requests)
    assert.ok(url.startsWith(server.base), `request to another host: ${url}`);
  assert.match(await page.textContent('h1.headline'), /춘천시의회 정례회 개회/);
  assert.equal(await page.locator('h2.subtitle').count(), 2);
  assert.match(await page.textContent('.times'), /입력 \d{4}\.\d{2}\.\d{2} \d{2}:\d{2}/);
  assert.match(await page.textContent('.byline'), /기자 \S+@bomnae\.example\.kr/);
  assert.match(await page.textContent('.copyright'), /저작권자 © 봄내일보 무단전재 및 재배포 금지/);
  // The byline leads to the reporter's page, which lists the article.
  await page.click('.byline a[href^="/reporters/"]');
  await page.waitForLoadState('load');
  assert.match(await page.textContent('h1.list-title'), /기자$/);
  assert.ok(await page.locator('a[href="/articles/1001"]').count() > 0);
  await page.goto(server.base + '/articles/1001');
  await page.screenshot({ path: 'build/screenshots/article-desktop.png', fullPage: true });
  await page.goto(server.base + '/');
  await page.screenshot({ path: 'build/screenshots/front-desktop.png', fullPage: false });
  await context.close();
});

test('section navigation and paging work without JavaScript', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const { page } = await open(context, '/');
  await page.click('nav.sections a[href="/sections/society"]');
  await page.waitForLoadState('load');
  assert.equal(await page.textContent('h1.list-title'), '사회');
  assert.equal(await page.getAttribute('nav.sections a[aria-current="page"]', 'href'), '/sections/society');
  const items = await page.locator('.items .item').count();
  assert.ok(items > 0 && items <= 20);
  const r = await page.goto(server.base + '/articles/999999');
  assert.equal(r.status(), 404);
  assert.match(await page.textContent('h1'), /페이지를 찾을 수 없습니다/);
  await context.close();
});

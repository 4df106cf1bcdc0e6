// The newsroom end to end in a real browser: a reporter logs in, writes an
// article in the rich-text editor (bold, a link, Hangul through an input
// method at the start of a paragraph and after Backspace), saves it and
// sends it to the desk; an editor logs in and publishes it; the article is
// then on the front page and in its section with its formatting intact.
// Screenshots of the dashboard (desktop and phone) and of the editor go to
// build/screenshots/, like the site's; docs/screenshots/ keeps copies.
//
// Fields and buttons are found by their labels and names, as a person
// would find them, not by CSS paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launch } from './helpers.mjs';

const REPORTER = { email: 'reporter@bomnae.example.kr', name: '한겨울', role: 'reporter',
  password: '기자비밀번호-2026' };
const EDITOR = { email: 'desk@bomnae.example.kr', name: '봄여름', role: 'editor',
  password: '데스크비밀번호-2026' };
const SHOTS = 'build/screenshots';

const HEADLINE = '춘천시의회, 내년 예산안 원안 통과';
const LINK = 'https://www.chuncheon.go.kr/';
// What the body must be after the round trip through the browser, the
// server's sanitizer and the public page (the sanitizer adds rel to links
// that leave the site).
const PARAS = ['한국 시의회가 예산안을 통과시켰다.', '나라 살림은 시청 누리집에 있다.'];

let server, browser;

before(async () => {
  server = await startServer({ users: [REPORTER, EDITOR] });
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function imeType(cdp, syllables) {
  for (const steps of syllables) {
    for (const text of steps)
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    await cdp.send('Input.insertText', { text: steps[steps.length - 1] });
  }
}

async function login(page, who) {
  await page.goto(`${server.base}/admin/login`);
  await page.getByLabel('이메일').fill(who.email);
  await page.getByLabel('비밀번호').fill(who.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL(`${server.base}/admin`);
}

// The flash message after a redirect.
async function flash(page) {
  return (await page.locator('[role="status"].nr-flash').textContent()).trim();
}

let articleUrl = null;   // the newsroom URL of the article, once saved

test('a reporter writes an article with the rich editor and sends it to the desk', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await login(page, REPORTER);
  await page.getByRole('navigation', { name: '뉴스룸 메뉴' }).getByRole('link', { name: '새 기사' }).click();
  await page.waitForURL(`${server.base}/admin/articles/new`);

  await page.getByLabel(/^제목/).fill(HEADLINE);
  await page.getByLabel(/^부제 1/).fill('찬성 15표, 반대 3표로 가결');
  await page.getByLabel(/^섹션/).selectOption({ label: '사회' });
  await page.getByLabel('기사 종류').selectOption({ label: '자체기사' });
  await page.getByLabel(/^태그/).fill('시의회, 예산');

  const body = page.getByRole('textbox', { name: '본문', exact: true });
  await body.click();
  const cdp = await context.newCDPSession(page);
  // Hangul through the input method as the first characters of the body.
  await imeType(cdp, [['ㅎ', '하', '한'], ['ㄱ', '구', '국']]);
  await page.keyboard.insertText(' 시의회가 예산안을 ');
  await page.keyboard.press('Control+b');
  await page.keyboard.insertText('통과시켰다');
  await page.keyboard.press('Control+b');
  await page.keyboard.insertText('.');
  // A new paragraph: one syllable, Backspace, then compose again as the
  // paragraph's first character.
  await page.keyboard.press('Enter');
  await imeType(cdp, [['ㄱ', '가']]);
  await page.keyboard.press('Backspace');
  await imeType(cdp, [['ㄴ', '나'], ['ㄹ', '라']]);
  await page.keyboard.insertText(' 살림은 시청 누리집');
  // Link the last five characters through the toolbar.
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
  page.once('dialog', (d) => d.accept(LINK));
  await page.getByRole('button', { name: '링크', exact: true }).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.insertText('에 있다.');
  // The character counter catches up after a pause in typing.
  await page.waitForFunction(() => document.querySelector('.nr-editor-count').textContent === '37자 (공백 제외 30자)');

  // The shot shows the fields above the body and the body with its toolbar.
  await page.evaluate(() => {
    const top = document.querySelector('label[for="f-summary"]').getBoundingClientRect().top;
    window.scrollBy(0, top - 250);
  });
  await page.screenshot({ path: `${SHOTS}/newsroom-editor.png` });

  await page.getByRole('button', { name: '저장', exact: true }).click();
  await page.waitForURL(/\/admin\/articles\/\d+/);
  articleUrl = page.url().replace(/[?#].*$/, '');
  assert.match(await flash(page), /저장했습니다/);
  // The saved body (sanitized on the server, which puts a newline after
  // each block and rel on outside links) comes back into the editor.
  assert.equal(await page.getByLabel(/^제목/).inputValue(), HEADLINE);
  const saved = await page.locator('textarea[name="body"]').inputValue();
  assert.equal(saved.replace(/\n/g, ''), `<p>한국 시의회가 예산안을 <strong>통과시켰다</strong>.</p>` +
    `<p>나라 살림은 <a href="${LINK}" rel="noopener nofollow ugc">시청 누리집</a>에 있다.</p>`);
  assert.equal(await page.locator('.ProseMirror p').first().textContent(), PARAS[0]);

  await page.getByRole('button', { name: '송고', exact: true }).click();
  await page.waitForURL(/\/admin\/articles\/\d+/);
  assert.match(await flash(page), /송고했습니다/);
  assert.match(await page.locator('.nr-status').first().textContent(), /데스크 대기/);
  // A reporter cannot publish: there is no such button.
  assert.equal(await page.getByRole('button', { name: '발행', exact: true }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an editor publishes it; it is on the front page and in its section, formatting intact', async () => {
  assert.ok(articleUrl, 'the reporter test saved the article');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await context.newPage();
  await login(page, EDITOR);
  // The article waits for the desk on the dashboard.
  const waiting = page.getByRole('region', { name: '데스크 대기' });
  await waiting.getByRole('link', { name: HEADLINE }).click();
  await page.waitForURL(articleUrl);
  await page.getByRole('button', { name: '발행', exact: true }).click();
  await page.waitForURL(/\/admin\/articles\/\d+/);
  assert.match(await flash(page), /발행했습니다/);

  // Dashboard screenshots: desktop and phone.
  await page.goto(`${server.base}/admin`);
  assert.ok(await page.getByRole('region', { name: '최근 발행' }).getByRole('link', { name: HEADLINE }).count() > 0);
  await page.screenshot({ path: `${SHOTS}/newsroom-dashboard.png` });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
    locale: 'ko-KR', storageState: await context.storageState() });
  const pp = await phone.newPage();
  await pp.goto(`${server.base}/admin`);
  const overflow = await pp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the dashboard is ${overflow}px wider than a phone`);
  await pp.screenshot({ path: `${SHOTS}/newsroom-dashboard-phone.png` });
  // The editor page fits a phone too (the toolbar wraps).
  await pp.goto(articleUrl);
  await pp.waitForSelector('.nr-editor .ProseMirror');
  const editorOverflow = await pp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(editorOverflow <= 0, `the editor page is ${editorOverflow}px wider than a phone`);
  await pp.locator('.nr-editor').scrollIntoViewIfNeeded();
  await pp.screenshot({ path: 'build/screenshots/newsroom-editor-phone.png' });
  await phone.close();

  // The public site: front page, then the section, then the article.
  await page.goto(`${server.base}/`);
  const onFront = page.getByRole('link', { name: HEADLINE }).first();
  assert.equal(await onFront.count(), 1, 'headline on the front page');
  await page.goto(`${server.base}/sections/society`);
  const inSection = page.getByRole('link', { name: HEADLINE }).first();
  assert.equal(await inSection.count(), 1, 'headline in 사회');
  await inSection.click();
  await page.waitForLoadState('load');
  assert.equal((await page.textContent('h1.headline')).trim(), HEADLINE);
  const strong = page.locator('article strong', { hasText: '통과시켰다' });
  assert.equal(await strong.count(), 1, 'bold text on the article page');
  const link = page.locator(`article a[href="${LINK}"]`);
  assert.equal((await link.textContent()).trim(), '시청 누리집');
  assert.equal(await link.getAttribute('rel'), 'noopener nofollow ugc');
  const paras = await page.locator('article p', { hasText: /^(한국|나라) / }).allTextContents();
  assert.deepEqual(paras.map((s) => s.trim()), PARAS);
  await context.close();
});

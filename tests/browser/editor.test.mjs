// The newsroom's rich-text editor (static/editor.js, built from
// editor/editor.js) in a real browser, on a small page of our own that has
// the same DOM contract as the article editor: a form with
// <textarea name="body" data-rich-editor>.  The page is fulfilled by
// playwright at a made-up path on the sinmun server's origin, so
// /static/editor.js and /static/admin.css come from the binary under test.
// A submit is intercepted in the page after the editor has written back
// (new FormData(form, submitter), so the page stays and the test can go on
// editing); the last submit of a test and the no-JavaScript case really
// post, to a made-up path we intercept, to read the body exactly as the
// server would receive it.
//
// Hangul input goes through the DevTools protocol the way an input method
// drives the page: Input.imeSetComposition for each jamo step, then
// Input.insertText with the finished syllable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

function escapeHTML(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pageHTML(body) {
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>편집기 시험</title>
<link rel="stylesheet" href="/static/admin.css">
<script src="/static/editor.js" defer></script>
<script>
window.__posts = [];
window.__intercept = true;
document.addEventListener('submit', (e) => {
  if (!window.__intercept) return;
  e.preventDefault();
  const fd = new FormData(e.target, e.submitter);
  const action = (e.submitter && e.submitter.getAttribute('formaction')) || e.target.getAttribute('action');
  window.__posts.push({ path: action, body: fd.get('body') });
});
</script>
</head><body class="newsroom"><main class="nr-main">
<form method="post" action="/__editor-save">
<label for="body">본문</label>
<textarea id="body" name="body" data-rich-editor rows="10" required>${escapeHTML(body)}</textarea>
<button type="submit" class="nr-btn nr-btn-primary">저장</button>
<button type="submit" class="nr-btn" formaction="/__editor-preview" formtarget="_blank">미리보기</button>
</form></main></body></html>`;
}

// Opens the test page with `body` in the textarea; returns the page and a
// function that waits for the next form post and yields its fields.
async function openEditor(body = '', options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    locale: 'ko-KR', ...options });
  const posts = [];
  let waiting = null;
  await context.route(`${server.base}/__editor-test`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageHTML(body) }));
  for (const path of ['/__editor-save', '/__editor-preview']) {
    await context.route(`${server.base}${path}`, (route) => {
      const req = route.request();
      const fields = new URLSearchParams(req.postData() || '');
      const post = { path, fields };
      posts.push(post);
      if (waiting) { waiting(post); waiting = null; }
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><p>받음</p>' });
    });
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${server.base}/__editor-test`, { waitUntil: 'load' });
  if (options.javaScriptEnabled !== false)
    await page.waitForSelector('.nr-editor .ProseMirror');
  const nextPost = () => new Promise((resolve) => {
    if (posts.length) resolve(posts.shift()); else waiting = (p) => { posts.shift(); resolve(p); };
  });
  return { context, page, errors, nextPost };
}

// Types Hangul the way an input method does.  `syllables` is a list of
// syllables, each given as its composition steps (e.g. ['ㅎ', '하', '한']);
// the last step is the committed syllable.
async function imeType(cdp, syllables) {
  for (const steps of syllables) {
    for (const text of steps)
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    await cdp.send('Input.insertText', { text: steps[steps.length - 1] });
  }
}

// Puts the caret at the end of the document through the DOM selection, as
// a click there would (Home/End and Ctrl+End do nothing in headless
// chromium); the editor picks it up from selectionchange.
async function caretToEnd(page) {
  await page.evaluate(() => {
    const pm = document.querySelector('.ProseMirror');
    let node = pm;
    while (node.lastChild && !(node.lastChild.nodeName === 'BR' && node.lastChild.className)) node = node.lastChild;
    pm.focus();
    const r = document.createRange();
    if (node.nodeType === Node.TEXT_NODE) r.setStart(node, node.length); else r.setStart(node, node.childNodes.length);
    r.collapse(true);
    getSelection().removeAllRanges();
    getSelection().addRange(r);
  });
  await page.waitForFunction(() => {
    const v = document.querySelector('textarea[data-rich-editor]').sinmunEditor.view;
    const { $to, empty } = v.state.selection;
    // In text: the position after the last block is the end too, by size.
    return empty && $to.parent.inlineContent && $to.pos === v.state.doc.content.size - $to.depth;
  });
}

const HAN = ['ㅎ', '하', '한'];
const GUK = ['ㄱ', '구', '국'];
const EO = ['ㅇ', '어'];
const GA = ['ㄱ', '가'];
const NA = ['ㄴ', '나'];
const RA = ['ㄹ', '라'];

// Submits with the save button and returns the body the form sent.  With
// real, the form really posts (and the page goes away).
async function submitBody(page, nextPost, real = false) {
  if (real) {
    await page.evaluate(() => { window.__intercept = false; });
    const got = nextPost();
    await page.getByRole('button', { name: '저장' }).click();
    const post = await got;
    assert.equal(post.path, '/__editor-save');
    return post.fields.get('body');
  }
  await page.getByRole('button', { name: '저장' }).click();
  const post = await page.evaluate(() => window.__posts.shift());
  assert.equal(post.path, '/__editor-save');
  return post.body;
}

test('IME: Hangul as the first character, after Enter and Backspace, inside bold', async () => {
  const { context, page, errors, nextPost } = await openEditor('');
  const cdp = await context.newCDPSession(page);
  // The textarea is hidden and the editor stands in for it, labelled by
  // the textarea's label; the toolbar speaks Korean.
  assert.equal(await page.locator('textarea[name="body"]').isVisible(), false);
  const editor = page.getByRole('textbox', { name: '본문', exact: true });
  await editor.click();
  for (const name of ['굵게', '기울임', '링크', '소제목', '작은 소제목', '글머리 목록', '번호 목록', '인용', '되돌리기', '다시 실행'])
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `button ${name}`);

  // Count the composition events the editor sees, so the test fails if
  // the text only arrived through insertText and no composition happened.
  await page.evaluate(() => {
    window.__comp = { start: 0, end: 0, seen: [] };
    const pm = document.querySelector('.ProseMirror');
    pm.addEventListener('compositionstart', () => window.__comp.start++);
    pm.addEventListener('compositionend', () => window.__comp.end++);
    pm.addEventListener('compositionupdate', (e) => window.__comp.seen.push(e.data));
  });
  // First character of an empty paragraph.
  await imeType(cdp, [HAN, GUK]);
  const comp = await page.evaluate(() => window.__comp);
  assert.equal(comp.start, 2);
  assert.equal(comp.end, 2);
  // Each jamo step was a composition update (the commit repeats the last).
  assert.deepEqual(comp.seen, ['ㅎ', '하', '한', '한', 'ㄱ', '구', '국', '국']);
  // A new paragraph, a syllable, Backspace to empty it, then compose
  // again as the first character of the (again empty) paragraph.
  await page.keyboard.press('Enter');
  await imeType(cdp, [GA]);
  await page.keyboard.press('Backspace');
  await imeType(cdp, [NA, RA]);
  assert.equal(await submitBody(page, nextPost), '<p>한국</p><p>나라</p>');

  // Backspace through that paragraph and join it to the first, then
  // compose right after the join.
  await editor.click();
  await caretToEnd(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
  await imeType(cdp, [EO]);
  assert.equal(await submitBody(page, nextPost), '<p>한국어</p>');

  // Bold on, compose, bold off, compose: the composition takes the marks.
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+b');
  assert.equal(await page.getByRole('button', { name: '굵게', exact: true }).getAttribute('aria-pressed'), 'true');
  await imeType(cdp, [HAN, GUK]);
  await page.keyboard.press('Control+b');
  assert.equal(await page.getByRole('button', { name: '굵게', exact: true }).getAttribute('aria-pressed'), 'false');
  await imeType(cdp, [EO]);
  assert.equal(await submitBody(page, nextPost), '<p><strong>한국</strong>어</p>');

  // Composition in the middle of bold text extends the bold run.
  await editor.click();
  // (Home and End do nothing in headless chromium; arrows do.)
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
  await imeType(cdp, [GA]);
  assert.equal(await submitBody(page, nextPost, true), '<p><strong>한가국</strong>어</p>');
  assert.deepEqual(errors, []);
  await context.close();
});

test('back in the editor after a button, a click under the text puts the caret at its end', async () => {
  const { context, page, errors, nextPost } = await openEditor('<p>한국</p><p>나라</p>');
  const editor = page.getByRole('textbox', { name: '본문', exact: true });
  // Writing, then a button (save), then a click back into the editor,
  // in the empty space under the text (the middle of the box).
  await editor.click();
  assert.equal(await submitBody(page, nextPost), '<p>한국</p><p>나라</p>');
  const box = await editor.boundingBox();
  const last = await page.locator('.ProseMirror p').last().boundingBox();
  assert.ok(box.y + box.height / 2 > last.y + last.height, 'the middle of the editor is under its text');
  await editor.click();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  // The browser's caret was after the last paragraph, outside any text:
  // Backspace selected the whole paragraph and what was typed next
  // replaced it.  Now it deletes the last character.
  await page.keyboard.press('Backspace');
  await page.keyboard.type('람');
  assert.equal(await submitBody(page, nextPost), '<p>한국</p><p>나람</p>');
  assert.deepEqual(errors, []);
  await context.close();
});

test('toolbar: bold, link (refusing javascript:), subheading, list, quote, undo', async () => {
  const { context, page, errors, nextPost } = await openEditor('');
  const editor = page.getByRole('textbox', { name: '본문', exact: true });
  const button = (name) => page.getByRole('button', { name, exact: true });
  await editor.click();
  await page.keyboard.insertText('기사 링크');
  // Select "링크" and make it bold, then a link.
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await button('굵게').click();
  assert.equal(await button('굵게').getAttribute('aria-pressed'), 'true');

  // A javascript: address is refused with a Korean message and changes nothing.
  const dialogs = [];
  let answer = null;
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}:${d.message()}`);
    if (d.type() === 'prompt') await d.accept(answer); else await d.accept();
  });
  answer = 'javascript:alert(1)';
  await button('링크').click();
  await page.waitForFunction(() => true);
  assert.equal(dialogs.length, 2, dialogs.join(' / '));
  assert.match(dialogs[0], /^prompt:링크 주소/);
  assert.match(dialogs[1], /^alert:링크 주소는 http/);
  assert.equal(await button('링크').getAttribute('aria-pressed'), 'false');

  answer = 'https://example.kr/기사?id=1&x=2';
  await button('링크').click();
  assert.equal(await button('링크').getAttribute('aria-pressed'), 'true');
  assert.equal(await submitBody(page, nextPost),
    '<p>기사 <a href="https://example.kr/기사?id=1&amp;x=2"><strong>링크</strong></a></p>');

  // A new paragraph as subheading, a bullet list, a quote; then undo the quote.
  await editor.click();
  await caretToEnd(page);
  await page.keyboard.press('Enter');
  await button('소제목').click();
  await page.keyboard.insertText('둘째');
  assert.equal(await button('소제목').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Enter');
  await button('글머리 목록').click();
  await page.keyboard.insertText('항목');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');          // leaves the list
  await button('인용').click();
  await page.keyboard.insertText('말');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.insertText('끝');
  assert.equal(await button('인용').getAttribute('aria-pressed'), 'true');
  assert.equal(await submitBody(page, nextPost),
    '<p>기사 <a href="https://example.kr/기사?id=1&amp;x=2"><strong>링크</strong></a></p>' +
    '<h2>둘째</h2><ul><li><p>항목</p></li></ul><blockquote><p>말<br>끝</p></blockquote>');
  // Undo until the quote is gone (the history groups quick edits), and
  // redo brings it back.
  await editor.click();
  const quotes = () => page.locator('.ProseMirror blockquote').count();
  for (let i = 0; i < 10 && await quotes() > 0; i++) await button('되돌리기').click();
  assert.equal(await quotes(), 0);
  assert.equal(await button('다시 실행').isDisabled(), false);
  const undone = await submitBody(page, nextPost);
  assert.ok(!undone.includes('<blockquote>'), undone);
  await editor.click();
  for (let i = 0; i < 10 && !await button('다시 실행').isDisabled(); i++) await button('다시 실행').click();
  const redone = await submitBody(page, nextPost);
  assert.ok(redone.endsWith('<blockquote><p>말<br>끝</p></blockquote>'), redone);

  // With nothing selected the link button inserts the address as typed;
  // a bare e-mail address becomes a mailto: link, www. an https: one.
  await caretToEnd(page);
  answer = 'news@bomnae.example.kr';
  await button('링크').click();
  await page.keyboard.insertText(' ');
  answer = 'www.bomnae.example.kr';
  await button('링크').click();
  assert.ok((await submitBody(page, nextPost)).endsWith('<blockquote><p>말<br>끝' +
    '<a href="mailto:news@bomnae.example.kr">news@bomnae.example.kr</a> ' +
    '<a href="https://www.bomnae.example.kr">www.bomnae.example.kr</a></p></blockquote>'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('existing HTML loads through the schema; preview button posts the same body', async () => {
  const initial = '<h1>큰 제목</h1><p><b>굵</b><i>기</i><a href="javascript:alert(1)">나쁜</a>' +
    '<a href="/articles/1001">좋은</a><img src="/x.png" onerror="alert(1)"><span style="color:red">색</span></p>' +
    '<h4>작은</h4><ol><li>하나</li></ol><script>alert(1)</script>';
  const { context, page, errors, nextPost } = await openEditor(initial);
  const expected = '<h2>큰 제목</h2><p><strong>굵</strong><em>기</em>나쁜<a href="/articles/1001">좋은</a>색</p>' +
    '<h3>작은</h3><ol><li><p>하나</p></li></ol>';
  assert.equal(await submitBody(page, nextPost), expected);
  // The preview button (formaction + formtarget) opens a new window and
  // still carries the editor's current HTML.
  // The link button on a link removes the whole link (here the caret
  // is inside it, nothing selected).
  await page.locator('.ProseMirror a', { hasText: '좋은' }).click();
  assert.equal(await page.getByRole('button', { name: '링크', exact: true }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: '링크', exact: true }).click();
  assert.equal(await page.locator('.ProseMirror a').count(), 0);
  await caretToEnd(page);
  await page.keyboard.insertText('끝');
  await page.getByRole('button', { name: '미리보기' }).click();
  const post = await page.evaluate(() => window.__posts.shift());
  assert.equal(post.path, '/__editor-preview');
  assert.equal(post.body, expected.replace('<a href="/articles/1001">좋은</a>', '좋은')
    .replace('하나</p>', '하나끝</p>'));
  // The counter shows the characters (debounced).
  // 큰 제목 굵기 나쁜 좋은 색 작은 하나끝: 16 characters, one space.
  await page.waitForFunction(() => document.querySelector('.nr-editor-count').textContent.startsWith('16자'));
  assert.equal(await page.textContent('.nr-editor-count'), '16자 (공백 제외 15자)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript the textarea is the editor', async () => {
  const { context, page, nextPost } = await openEditor('<p>그대로</p>', { javaScriptEnabled: false });
  const ta = page.locator('textarea[name="body"]');
  assert.equal(await ta.isVisible(), true);
  await ta.fill('<p>손으로</p>');
  assert.equal(await submitBody(page, nextPost, true), '<p>손으로</p>');
  await context.close();
});

test('a 20,000-character article loads and keystrokes still land', async (t) => {
  const para = '봄내일보 시의회 정례회에서 예산안을 심사했다. '.repeat(20);   // ~540 chars
  let html = '';
  let n = 0;
  while (n < 20000) { html += `<p>${para}</p>`; n += para.length; }
  const t0 = Date.now();
  const { context, page, errors, nextPost } = await openEditor(html);
  const loadMs = Date.now() - t0;
  const editor = page.getByRole('textbox', { name: '본문', exact: true });
  await editor.click();
  await caretToEnd(page);
  const typed = 'abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY';
  const t1 = Date.now();
  for (const ch of typed) await page.keyboard.press(ch);
  // Wait until the last keystroke is in the document.
  await page.waitForFunction((s) => document.querySelector('.ProseMirror').textContent.endsWith(s), typed);
  const typeMs = Date.now() - t1;
  t.diagnostic(`20,000-character article: page with editor ready in ${loadMs} ms; ` +
    `50 keystrokes in ${typeMs} ms (${(typeMs / 50).toFixed(1)} ms each)`);
  const body = await submitBody(page, nextPost, true);
  assert.ok(body.length > 20000, `body is ${body.length} characters`);
  assert.ok(body.endsWith(`${typed}</p>`), body.slice(-80));
  assert.deepEqual(errors, []);
  await context.close();
});

test('static/editor.js is what scripts/build-editor.sh makes from editor/editor.js', (t) => {
  if (!existsSync('node_modules/.bin/esbuild')) {
    t.skip('esbuild is not installed (npm ci)');
    return;
  }
  // Throws (and fails) when the vendored bundle is stale.
  execFileSync('scripts/build-editor.sh', ['--check'], { stdio: ['ignore', 'pipe', 'pipe'] });
});

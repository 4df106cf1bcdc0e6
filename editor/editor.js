// editor.js - the newsroom's rich-text body editor (source; the served file
// static/editor.js is built from this by scripts/build-editor.sh).
//
// Contract with the server-rendered page: every <textarea data-rich-editor>
// inside a <form> holds the article body as sanitized HTML.  We hide it and
// put a toolbar and a ProseMirror editor in its place, initialised from that
// HTML, and write the editor's HTML back into the textarea only when the form
// is submitted (any submit button, including preview buttons with
// formaction/formtarget) or its data is collected (the formdata event).
// Serializing on every keystroke would make typing in a 20,000-character
// article slow, so we never do.  Without JavaScript the textarea is the
// editor, and the server sanitizes whatever arrives either way.
//
// Why ProseMirror: it leaves IME composition to the browser and reconciles
// the DOM afterwards, so Hangul typed through an input method works as the
// first character of a paragraph, after Backspace and inside bold text.
//
// The schema is deliberately small and matches what src/render/sanitize.c
// keeps: p, strong, em, a href (http, https, mailto, relative), h2, h3,
// ul/ol/li, blockquote, br.  Pasted HTML goes through the same schema, so
// anything else (images, styles, code, tables) is dropped or unwrapped.
import { Schema, DOMParser as PMDOMParser, DOMSerializer } from 'prosemirror-model';
import { EditorState, Plugin, Selection, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { baseKeymap, toggleMark, setBlockType, wrapIn, lift, chainCommands, exitCode }
  from 'prosemirror-commands';
import { keymap } from 'prosemirror-keymap';
import { history, undo, redo } from 'prosemirror-history';
import { nodes as basicNodes, marks as basicMarks } from 'prosemirror-schema-basic';
import { addListNodes, wrapInList, splitListItem, liftListItem, sinkListItem }
  from 'prosemirror-schema-list';

// ---------------------------------------------------------------------
// Links: the same rules as the server's sanitizer (sanitize.c, "URLs").
// ---------------------------------------------------------------------

// Returns the cleaned href, or null when the sanitizer would refuse it.
function safeHref(raw) {
  if (typeof raw !== 'string') return null;
  // Browsers drop tab and newline anywhere and trim spaces and controls.
  // eslint-disable-next-line no-control-regex
  let s = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  // eslint-disable-next-line no-control-regex
  if (s === '' || s.length > 2000 || /[\u0000-\u001f\u007f]/.test(s)) return null;
  if (/script:/i.test(s)) return null;
  // A colon before the first / ? # or \ is a scheme.
  const stop = s.search(/[/?#\\]/);
  const colon = s.indexOf(':');
  if (colon >= 0 && (stop < 0 || colon < stop)) {
    const scheme = s.slice(0, colon).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return null;
    if (scheme !== 'mailto' && !/^[a-z]+:\/\/[^/?#\s]/i.test(s)) return null;
    if (scheme === 'mailto' && s.length === colon + 1) return null;
  }
  return s;
}

// ---------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------

const headingLevel = { h1: 2, h2: 2, h3: 3, h4: 3, h5: 3, h6: 3 };

const baseNodes = {
  doc: { content: 'block+' },
  paragraph: basicNodes.paragraph,
  blockquote: basicNodes.blockquote,
  heading: {
    attrs: { level: { default: 2, validate: (v) => { if (v !== 2 && v !== 3) throw new RangeError('level'); } } },
    content: 'inline*',
    group: 'block',
    defining: true,
    // Articles have one h1 (the headline); pasted h1 becomes a subheading
    // and h4-h6 the small one.
    parseDOM: Object.keys(headingLevel).map((tag) => ({ tag, attrs: { level: headingLevel[tag] } })),
    toDOM(node) { return ['h' + node.attrs.level, 0]; },
  },
  text: basicNodes.text,
  hard_break: basicNodes.hard_break,
};

const schema = new Schema({
  nodes: addListNodes(new Schema({ nodes: baseNodes }).spec.nodes, 'paragraph block*', 'block'),
  marks: {
    link: {
      attrs: { href: {} },
      inclusive: false,
      parseDOM: [{
        tag: 'a[href]',
        getAttrs(dom) {
          const href = safeHref(dom.getAttribute('href'));
          return href === null ? false : { href };
        },
      }],
      toDOM(mark) { return ['a', { href: mark.attrs.href }, 0]; },
    },
    em: basicMarks.em,
    strong: basicMarks.strong,
  },
});

const parser = PMDOMParser.fromSchema(schema);
const serializer = DOMSerializer.fromSchema(schema);

// The textarea's HTML, parsed in an inert document (no scripts, no image
// loads) and read through the schema.
function parseHTML(html) {
  const inert = new window.DOMParser().parseFromString(
    '<!doctype html><body>' + html, 'text/html');
  return parser.parse(inert.body);
}

// The editor's document as HTML; an empty document is the empty string.
function toHTML(doc) {
  if (doc.childCount === 1 && doc.firstChild.type === schema.nodes.paragraph &&
      doc.firstChild.content.size === 0)
    return '';
  const box = document.createElement('div');
  box.appendChild(serializer.serializeFragment(doc.content));
  return box.innerHTML;
}

// ---------------------------------------------------------------------
// Commands and their state
// ---------------------------------------------------------------------

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

function blockActive(state, type, attrs) {
  const { $from, to } = state.selection;
  const parent = $from.parent;
  if (to > $from.end()) return false;
  if (parent.type !== type) return false;
  return !attrs || Object.keys(attrs).every((k) => parent.attrs[k] === attrs[k]);
}

// Back in the editor after a button (save, a toolbar button), a click in
// the empty space under the text leaves the browser's caret after the last
// paragraph, and the editor held a text cursor outside any paragraph:
// Backspace there selected the whole paragraph before it, and the next key
// deleted or replaced it.  Such a cursor is moved to the nearest place text
// can go, the end of the text before it.
const caretInText = new Plugin({
  appendTransaction(trs, oldState, state) {
    const sel = state.selection;
    if (!(sel instanceof TextSelection) || !sel.empty || sel.$head.parent.inlineContent) return null;
    return state.tr.setSelection(Selection.near(sel.$head, -1));
  },
});

// The nearest list around the selection, or null.
function listAround(state) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    const t = $from.node(d).type;
    if (t === schema.nodes.bullet_list || t === schema.nodes.ordered_list) return t;
  }
  return null;
}

function insideType(state, type) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--)
    if ($from.node(d).type === type) return true;
  return false;
}

// Heading buttons toggle: pressed again, the block is a paragraph again.
function toggleHeading(level) {
  return (state, dispatch) => {
    if (blockActive(state, schema.nodes.heading, { level }))
      return setBlockType(schema.nodes.paragraph)(state, dispatch);
    return setBlockType(schema.nodes.heading, { level })(state, dispatch);
  };
}

// List buttons toggle too, and switch a list between the two kinds.
function toggleList(type) {
  return (state, dispatch) => {
    const around = listAround(state);
    if (around === type)
      return liftListItem(schema.nodes.list_item)(state, dispatch);
    if (around) {
      const { $from } = state.selection;
      for (let d = $from.depth; d > 0; d--) {
        if ($from.node(d).type === around) {
          if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(d), type));
          return true;
        }
      }
    }
    return wrapInList(type)(state, dispatch);
  };
}

// The quote button wraps the blocks in a quote, or lifts them out of it.
function toggleQuote(state, dispatch) {
  if (insideType(state, schema.nodes.blockquote)) return lift(state, dispatch);
  return wrapIn(schema.nodes.blockquote)(state, dispatch);
}

// The extent of the mark of this type around $pos (a link split into bold
// and plain runs is still one link), or null.
function markRange($pos, type) {
  const parent = $pos.parent;
  let idx = $pos.index();
  let child = idx < parent.childCount ? parent.child(idx) : null;
  let mark = child && type.isInSet(child.marks);
  if (!mark && $pos.textOffset === 0 && idx > 0) {
    idx--;
    child = parent.child(idx);
    mark = type.isInSet(child.marks);
  }
  if (!mark) return null;
  let from = $pos.start();
  for (let i = 0; i < idx; i++) from += parent.child(i).nodeSize;
  let to = from + child.nodeSize;
  for (let i = idx - 1; i >= 0 && mark.isInSet(parent.child(i).marks); i--) from -= parent.child(i).nodeSize;
  for (let i = idx + 1; i < parent.childCount && mark.isInSet(parent.child(i).marks); i++) to += parent.child(i).nodeSize;
  return { from, to };
}

const LINK_REFUSED = '링크 주소는 http://, https://, mailto: 로 시작하거나 ' +
  '사이트 안의 주소(/로 시작)여야 합니다.';

// The link button: on a link it removes it, otherwise it asks for the
// address (refusing javascript: and other schemes) and links the selection,
// or inserts the address as linked text when nothing is selected.
function linkCommand(state, dispatch, view) {
  const type = schema.marks.link;
  const { from, to, empty, $from } = state.selection;
  if (markActive(state, type)) {
    if (dispatch) {
      const range = empty ? markRange($from, type) : { from, to };
      if (range) dispatch(state.tr.removeMark(range.from, range.to, type));
    }
    return true;
  }
  if (!dispatch) return true;
  const answer = window.prompt('링크 주소 (https://…, mailto:…, /로 시작하는 사이트 주소)', 'https://');
  if (answer === null) return true;
  // What writers type for a web or mail address without its scheme would
  // otherwise become a link inside the site.
  let typed = answer.trim();
  if (/^www\./i.test(typed)) typed = 'https://' + typed;
  else if (/^[^\s@/:?#]+@[^\s@/:?#]+\.[^\s@/:?#]+$/.test(typed)) typed = 'mailto:' + typed;
  const href = safeHref(typed);
  if (href === null || href === 'https://' || href === 'http://') {
    window.alert(LINK_REFUSED);
    return true;
  }
  const mark = type.create({ href });
  let tr = state.tr;
  if (empty) {
    // Nothing selected: the address as typed becomes the linked text.
    tr = tr.insert(from, schema.text(answer.trim(), [mark]));
  } else {
    tr = tr.addMark(from, to, mark);
  }
  dispatch(tr.scrollIntoView());
  if (view) view.focus();
  return true;
}

const hardBreak = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch)
    dispatch(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
  return true;
});

const isMac = typeof navigator !== 'undefined' &&
  /Mac|iP(hone|[oa]d)/.test(navigator.platform || navigator.userAgent || '');
const MOD = isMac ? '⌘' : 'Ctrl';

// The toolbar: label (also the aria-label), shortcut shown in the tooltip,
// command, and how to tell it is active (null: never "pressed").
const TOOLS = [
  { label: '굵게', key: `${MOD}+B`, run: toggleMark(schema.marks.strong),
    active: (s) => markActive(s, schema.marks.strong) },
  { label: '기울임', key: `${MOD}+I`, run: toggleMark(schema.marks.em),
    active: (s) => markActive(s, schema.marks.em) },
  { label: '링크', key: `${MOD}+K`, run: linkCommand,
    active: (s) => markActive(s, schema.marks.link) },
  { sep: true },
  { label: '소제목', key: null, run: toggleHeading(2),
    active: (s) => blockActive(s, schema.nodes.heading, { level: 2 }) },
  { label: '작은 소제목', key: null, run: toggleHeading(3),
    active: (s) => blockActive(s, schema.nodes.heading, { level: 3 }) },
  { label: '글머리 목록', key: null, run: toggleList(schema.nodes.bullet_list),
    active: (s) => listAround(s) === schema.nodes.bullet_list },
  { label: '번호 목록', key: null, run: toggleList(schema.nodes.ordered_list),
    active: (s) => listAround(s) === schema.nodes.ordered_list },
  { label: '인용', key: null, run: toggleQuote,
    active: (s) => insideType(s, schema.nodes.blockquote) },
  { sep: true },
  { label: '되돌리기', key: `${MOD}+Z`, run: undo, active: null, enable: true },
  { label: '다시 실행', key: `${MOD}+Shift+Z`, run: redo, active: null, enable: true },
];

function buildKeymap() {
  const li = schema.nodes.list_item;
  return keymap({
    'Mod-b': toggleMark(schema.marks.strong),
    'Mod-B': toggleMark(schema.marks.strong),
    'Mod-i': toggleMark(schema.marks.em),
    'Mod-I': toggleMark(schema.marks.em),
    'Mod-k': linkCommand,
    'Mod-z': undo,
    'Shift-Mod-z': redo,
    'Shift-Mod-Z': redo,
    'Mod-y': redo,
    'Enter': splitListItem(li),
    'Mod-[': liftListItem(li),
    'Mod-]': sinkListItem(li),
    'Shift-Enter': hardBreak,
    'Mod-Enter': hardBreak,
  });
}

// ---------------------------------------------------------------------
// Character counter
// ---------------------------------------------------------------------

const fmt = new Intl.NumberFormat('ko-KR');

function countText(doc) {
  // Characters as a reader counts them: code points, blocks not joined by
  // anything, so paragraph breaks do not count.
  const text = doc.textBetween(0, doc.content.size, '', '');
  let all = 0, noSpace = 0;
  for (const ch of text) {
    all++;
    if (!/\s/.test(ch)) noSpace++;
  }
  return { all, noSpace };
}

// ---------------------------------------------------------------------
// Mounting
// ---------------------------------------------------------------------

let counter = 0;

function mount(textarea) {
  if (textarea.dataset.richEditorReady) return null;
  textarea.dataset.richEditorReady = '1';
  const form = textarea.form;
  const id = ++counter;

  const wrap = document.createElement('div');
  wrap.className = 'nr-editor';
  const bar = document.createElement('div');
  bar.className = 'nr-editor-toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', '본문 서식');
  const area = document.createElement('div');
  area.className = 'nr-editor-area';
  const count = document.createElement('p');
  count.className = 'nr-editor-count';

  const buttons = [];
  for (const tool of TOOLS) {
    if (tool.sep) {
      const sep = document.createElement('span');
      sep.className = 'nr-editor-sep';
      sep.setAttribute('aria-hidden', 'true');
      bar.appendChild(sep);
      continue;
    }
    const b = document.createElement('button');
    b.type = 'button';           // never submits the form
    b.className = 'nr-tool';
    b.textContent = tool.label;
    b.setAttribute('aria-label', tool.label);
    b.title = tool.key ? `${tool.label} (${tool.key})` : tool.label;
    if (tool.key) b.setAttribute('aria-keyshortcuts', tool.key.replace('⌘', 'Meta').replace('Ctrl', 'Control'));
    if (tool.active) b.setAttribute('aria-pressed', 'false');
    // Keep the selection in the editor while clicking.
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => {
      tool.run(view.state, view.dispatch, view);
      view.focus();
    });
    bar.appendChild(b);
    buttons.push({ tool, b });
  }

  let state = EditorState.create({
    doc: parseHTML(textarea.value),
    plugins: [history(), buildKeymap(), keymap(baseKeymap), caretInText],
  });

  // The textarea's label names the editor and focuses it.
  const attrs = { 'class': 'nr-editor-body', role: 'textbox', 'aria-multiline': 'true' };
  const label = textarea.id ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`) : null;
  if (label) {
    if (!label.id) label.id = `nr-editor-label-${id}`;
    attrs['aria-labelledby'] = label.id;
  } else {
    attrs['aria-label'] = textarea.getAttribute('aria-label') || '본문';
  }
  if (textarea.getAttribute('aria-describedby'))
    attrs['aria-describedby'] = textarea.getAttribute('aria-describedby');
  if (textarea.getAttribute('aria-invalid') === 'true') attrs['aria-invalid'] = 'true';

  let countTimer = 0;
  function updateCount() {
    countTimer = 0;
    const n = countText(view.state.doc);
    count.textContent = `${fmt.format(n.all)}자 (공백 제외 ${fmt.format(n.noSpace)}자)`;
  }

  function updateTools() {
    const s = view.state;
    const locked = textarea.readOnly || textarea.disabled;
    for (const { tool, b } of buttons) {
      if (locked) {
        b.disabled = true;
        continue;
      }
      if (tool.active) {
        const on = !!tool.active(s);
        if ((b.getAttribute('aria-pressed') === 'true') !== on) {
          b.setAttribute('aria-pressed', on ? 'true' : 'false');
          b.classList.toggle('is-active', on);
        }
      }
      if (tool.enable) b.disabled = !tool.run(s);
    }
  }

  const view = new EditorView(area, {
    state,
    attributes: attrs,
    editable: () => !textarea.readOnly && !textarea.disabled,
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      // Cheap per keystroke: the toolbar only looks at the selection.
      updateTools();
      if (tr.docChanged) {
        if (countTimer) clearTimeout(countTimer);
        countTimer = setTimeout(updateCount, 300);
      }
    },
  });
  state = null;

  if (label) label.addEventListener('click', (e) => { e.preventDefault(); view.focus(); });

  function sync() {
    textarea.value = toHTML(view.state.doc);
  }

  // The hidden textarea can no longer be filled in by the writer, so the
  // browser's own required check on it would block the form with an error
  // the writer cannot see; the server checks the body instead.
  textarea.required = false;
  textarea.hidden = true;
  textarea.style.display = 'none';   // even where page CSS sets display
  wrap.appendChild(bar);
  wrap.appendChild(area);
  wrap.appendChild(count);
  textarea.insertAdjacentElement('afterend', wrap);

  if (form) {
    // Capture phase: before any other submit handler of the page reads it.
    form.addEventListener('submit', sync, true);
    form.addEventListener('formdata', (e) => {
      sync();
      if (textarea.name && !textarea.disabled) e.formData.set(textarea.name, textarea.value);
    });
  }
  updateTools();
  updateCount();
  const handle = { view, textarea, sync };
  textarea.sinmunEditor = handle;
  return handle;
}

function start() {
  for (const ta of document.querySelectorAll('textarea[data-rich-editor]')) mount(ta);
}

if (document.readyState === 'loading')
  document.addEventListener('DOMContentLoaded', start);
else
  start();

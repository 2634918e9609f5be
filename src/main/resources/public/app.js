// crossword-helper web page: plain JavaScript, no build step, no external resources.
// Works under a strict Content-Security-Policy (no inline scripts, no inline styles, no eval).
(() => {
  'use strict';

  const KEY_STORE = 'crossword-helper.apiKey';        // sessionStorage: this tab only
  const HISTORY_STORE = 'crossword-helper.history';   // localStorage: last few clues
  const MAX_HISTORY = 10;
  const MAX_LETTERS = 60;
  const MAX_RETRIES_503 = 10;

  const $ = (id) => document.getElementById(id);
  const el = {
    form: $('form'),
    clue: $('clue'),
    enumeration: $('enumeration'),
    enumerationHint: $('enumeration-hint'),
    letters: $('letters'),
    lettersEmpty: $('letters-empty'),
    backend: $('backend'),
    count: $('count'),
    submit: $('submit'),
    more: $('more'),
    stop: $('stop'),
    error: $('error'),
    status: $('status'),
    understood: $('understood'),
    suggestions: $('suggestions'),
    noSuggestions: $('no-suggestions'),
    rejected: $('rejected'),
    rejectedSummary: $('rejected-summary'),
    rejectedList: $('rejected-list'),
    historySection: $('history-section'),
    history: $('history'),
    clearHistory: $('clear-history'),
    keyDialog: $('key-dialog'),
    keyForm: $('key-form'),
    keyMessage: $('key-message'),
    keyInput: $('api-key'),
    keyCancel: $('key-cancel'),
  };
  const ENUMERATION_HINT = el.enumerationHint.textContent;

  // ---------------------------------------------------------------- small helpers

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function storageGet(storage, key) {
    try { return storage.getItem(key); } catch (e) { return null; }
  }

  function storageSet(storage, key, value) {
    try {
      if (value === null) storage.removeItem(key); else storage.setItem(key, value);
    } catch (e) { /* storage may be disabled; the page still works */ }
  }

  function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      if (signal) {
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('Aborted', 'AbortError'));
        }, { once: true });
      }
    });
  }

  class ProblemError extends Error {
    constructor(problem) {
      super(problem.detail || problem.title || 'Request failed');
      this.problem = problem;
    }
  }

  // ---------------------------------------------------------------- enumeration

  /** Parses "6", "4,5", "(4,5)", "4-4", "4 5" into {words, seps, text}; null when empty; {invalid} when bad. */
  function parseEnumeration(text) {
    let s = String(text || '').trim();
    if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).trim();
    if (!s) return null;
    if (!/^\d+(\s*[,\-\s]\s*\d+)*$/.test(s)) return { invalid: true };
    const words = s.split(/\s*[,\-\s]\s*/).map(Number);
    const seps = (s.match(/\s*[,\-\s]\s*/g) || []).map((sep) => (sep.includes('-') ? '-' : ','));
    const total = words.reduce((a, b) => a + b, 0);
    if (words.some((n) => n < 1) || total > MAX_LETTERS) return { invalid: true };
    let normal = String(words[0]);
    for (let i = 1; i < words.length; i++) normal += seps[i - 1] + words[i];
    return { words, seps, total, text: normal };
  }

  const CLUE_ENUMERATION = /\(\s*(\d+(?:\s*[,\-]\s*\d+)*)\s*\)\s*$/;

  /** The trailing "(4,5)" of a clue, parsed, or null. */
  function clueEnumeration(clue) {
    const m = CLUE_ENUMERATION.exec(clue);
    if (!m) return null;
    const e = parseEnumeration(m[1]);
    return e && !e.invalid ? e : null;
  }

  /** The enumeration the letter boxes follow: the field's, else the clue's own. */
  function currentEnumeration() {
    const field = parseEnumeration(el.enumeration.value);
    if (field) return field;
    return clueEnumeration(el.clue.value);
  }

  // ---------------------------------------------------------------- letter boxes

  let shape = '';
  let remembered = [];

  function boxes() {
    return Array.from(el.letters.querySelectorAll('input.box'));
  }

  function renderLetters(force) {
    const e = currentEnumeration();
    const invalid = e && e.invalid;
    el.enumeration.setAttribute('aria-invalid', invalid ? 'true' : 'false');
    el.enumerationHint.textContent = invalid
      ? 'Use numbers of letters per word, like 6, 4,5 or 4-4 (at most ' + MAX_LETTERS + ' letters).'
      : ENUMERATION_HINT;
    el.enumerationHint.classList.toggle('hint-error', Boolean(invalid));
    if (invalid) return;
    const newShape = e ? e.words.join(',') + '|' + e.seps.join('') : '';
    if (newShape === shape && !force) return;
    shape = newShape;
    // Keep the letters typed so far, also past a shorter or cleared length while the length is retyped.
    const old = remembered.slice();
    boxes().forEach((b, i) => { old[i] = b.value; });
    remembered = old;
    el.letters.replaceChildren();
    el.lettersEmpty.hidden = Boolean(e);
    if (!e) return;
    let index = 0;
    e.words.forEach((len, w) => {
      const group = make('div', 'word');
      if (e.words.length > 1) {
        group.setAttribute('role', 'group');
        group.setAttribute('aria-label', 'Word ' + (w + 1) + ' of ' + e.words.length + ', ' + len + ' letters');
      }
      for (let i = 0; i < len; i++, index++) {
        const box = make('input', 'box');
        box.type = 'text';
        box.maxLength = 1;
        box.autocomplete = 'off';
        box.spellcheck = false;
        box.setAttribute('autocapitalize', 'characters');
        box.setAttribute('autocorrect', 'off');
        box.setAttribute('aria-label', 'Letter ' + (index + 1) + ' of ' + e.total);
        box.dataset.index = String(index);
        box.value = old[index] || '';
        group.append(box);
      }
      el.letters.append(group);
      if (w < e.words.length - 1 && e.seps[w] === '-') {
        const dash = make('span', 'hyphen', '-');
        dash.setAttribute('aria-hidden', 'true');
        el.letters.append(dash);
      }
    });
  }

  function setLetters(pattern) {
    const letters = String(pattern || '').replace(/[\s-]/g, '');
    remembered = [];
    boxes().forEach((b, i) => {
      const c = letters.charAt(i).toUpperCase();
      b.value = /^[A-Z]$/.test(c) ? c : '';
    });
  }

  /** "S?????" or "????? ????" (word breaks as spaces), or null with no boxes. */
  function currentPattern() {
    const all = boxes();
    if (all.length === 0) return null;
    return Array.from(el.letters.querySelectorAll('.word'))
      .map((g) => Array.from(g.querySelectorAll('input.box')).map((b) => b.value || '?').join(''))
      .join(' ');
  }

  function focusBox(index) {
    const all = boxes();
    if (all.length === 0) return;
    const box = all[Math.max(0, Math.min(all.length - 1, index))];
    box.focus();
    box.select();
  }

  el.letters.addEventListener('keydown', (ev) => {
    const box = ev.target;
    if (!box.classList || !box.classList.contains('box')) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const i = Number(box.dataset.index);
    const key = ev.key;
    if (/^[a-zA-Z]$/.test(key)) {
      ev.preventDefault();
      box.value = key.toUpperCase();
      focusBox(i + 1);
    } else if (key === ' ' || key === '?' || key === '.' || key === '_') {
      ev.preventDefault();
      box.value = '';
      focusBox(i + 1);
    } else if (key === 'Backspace') {
      ev.preventDefault();
      if (box.value) {
        box.value = '';
      } else if (i > 0) {
        const prev = boxes()[i - 1];
        prev.value = '';
        focusBox(i - 1);
      }
    } else if (key === 'Delete') {
      ev.preventDefault();
      box.value = '';
    } else if (key === 'ArrowLeft' || key === 'ArrowUp') {
      ev.preventDefault();
      focusBox(i - 1);
    } else if (key === 'ArrowRight' || key === 'ArrowDown') {
      ev.preventDefault();
      focusBox(i + 1);
    } else if (key === 'Home') {
      ev.preventDefault();
      focusBox(0);
    } else if (key === 'End') {
      ev.preventDefault();
      focusBox(boxes().length - 1);
    }
  });

  // Fallback for virtual keyboards and input methods that do not send usable key events.
  el.letters.addEventListener('input', (ev) => {
    const box = ev.target;
    if (!box.classList || !box.classList.contains('box')) return;
    const letters = box.value.toUpperCase().replace(/[^A-Z]/g, '');
    box.value = letters.slice(-1);
    if (box.value) focusBox(Number(box.dataset.index) + 1);
  });

  el.letters.addEventListener('paste', (ev) => {
    const box = ev.target;
    if (!box.classList || !box.classList.contains('box')) return;
    ev.preventDefault();
    const text = (ev.clipboardData ? ev.clipboardData.getData('text') : '').toUpperCase().replace(/[^A-Z?._]/g, '');
    const all = boxes();
    let i = Number(box.dataset.index);
    for (const c of text) {
      if (i >= all.length) break;
      all[i].value = /[A-Z]/.test(c) ? c : '';
      i++;
    }
    focusBox(i);
  });

  el.letters.addEventListener('focusin', (ev) => {
    if (ev.target.classList && ev.target.classList.contains('box')) ev.target.select();
  });

  for (const field of [el.enumeration, el.clue]) {
    field.addEventListener('input', () => renderLetters(false));
    field.addEventListener('change', () => renderLetters(false));
  }

  // ---------------------------------------------------------------- API key and fetch

  let keyPrompt = null;

  function askForKey(message) {
    if (keyPrompt) return keyPrompt;
    keyPrompt = new Promise((resolve) => {
      el.keyMessage.textContent = message;
      el.keyInput.value = '';
      const finish = (value) => {
        el.keyForm.removeEventListener('submit', onSubmit);
        el.keyCancel.removeEventListener('click', onCancel);
        el.keyDialog.removeEventListener('cancel', onCancel);
        if (el.keyDialog.open) el.keyDialog.close();
        keyPrompt = null;
        resolve(value);
      };
      const onSubmit = (ev) => {
        ev.preventDefault();
        const value = el.keyInput.value.trim();
        if (!value) { el.keyInput.focus(); return; }
        finish(value);
      };
      const onCancel = (ev) => { ev.preventDefault(); finish(null); };
      el.keyForm.addEventListener('submit', onSubmit);
      el.keyCancel.addEventListener('click', onCancel);
      el.keyDialog.addEventListener('cancel', onCancel);
      el.keyDialog.showModal();
      el.keyInput.focus();
    });
    return keyPrompt;
  }

  async function readProblem(res) {
    const text = await res.text().catch(() => '');
    try {
      const p = JSON.parse(text);
      if (p && typeof p === 'object') {
        return {
          title: p.title || res.statusText || 'Request failed',
          detail: p.detail || '',
          status: p.status || res.status,
          field: p.field,
          type: p.type,
        };
      }
    } catch (e) { /* not JSON */ }
    return { title: res.statusText || 'Request failed', detail: text.slice(0, 300), status: res.status };
  }

  /** fetch() with the stored bearer key; asks for a key (again) on 401. */
  async function apiFetch(url, init, signal) {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers((init && init.headers) || {});
      const key = storageGet(sessionStorage, KEY_STORE);
      if (key) headers.set('Authorization', 'Bearer ' + key);
      const res = await fetch(url, Object.assign({}, init, {
        headers, signal, cache: 'no-store', credentials: 'same-origin',
      }));
      if (res.status !== 401 || attempt >= 3) return res;
      const problem = await readProblem(res);
      if (key) storageSet(sessionStorage, KEY_STORE, null);
      const entered = await askForKey(key
        ? 'That API key was not accepted. Enter it again.'
        : 'This server asks for an API key.');
      if (!entered) {
        throw new ProblemError({
          title: problem.title || 'API key needed',
          detail: problem.detail || 'This server needs an API key.',
          status: 401,
        });
      }
      storageSet(sessionStorage, KEY_STORE, entered);
    }
  }

  async function apiJson(url, init, signal) {
    const res = await apiFetch(url, init, signal);
    if (!res.ok) throw new ProblemError(await readProblem(res));
    return res.json();
  }

  /** Reads a text/event-stream body, calling onEvent(name, data) per event. */
  async function readEvents(res, onEvent) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let name = '';
    let data = [];
    const line = (text) => {
      if (text === '') {
        if (data.length) onEvent(name || 'message', data.join('\n'));
        name = '';
        data = [];
        return;
      }
      if (text.startsWith(':')) return;
      const colon = text.indexOf(':');
      const field = colon < 0 ? text : text.slice(0, colon);
      let value = colon < 0 ? '' : text.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    };
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let m;
      while ((m = /\r\n|\r|\n/.exec(buffer)) !== null) {
        if (m[0] === '\r' && m.index === buffer.length - 1 && !done) break; // maybe half of \r\n
        line(buffer.slice(0, m.index));
        buffer = buffer.slice(m.index + m[0].length);
      }
      if (done) {
        if (buffer) line(buffer);
        line('');
        return;
      }
    }
  }

  // ---------------------------------------------------------------- messages

  function clearError() {
    el.error.hidden = true;
    el.error.replaceChildren();
    for (const node of [el.clue, el.enumeration, el.count]) node.removeAttribute('aria-invalid');
    el.letters.classList.remove('invalid');
  }

  function showProblem(problem) {
    el.error.replaceChildren();
    el.error.append(make('strong', 'error-title', problem.title || 'Something went wrong'));
    if (problem.detail) el.error.append(make('span', 'error-detail', problem.detail));
    el.error.hidden = false;
    const field = { clue: el.clue, count: el.count, enumeration: el.enumeration }[problem.field];
    if (field) field.setAttribute('aria-invalid', 'true');
    if (problem.field === 'pattern') el.letters.classList.add('invalid');
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  // ---------------------------------------------------------------- results

  let search = null;   // {controller, request, parsed, shown:Set, rejected:number}

  function clearResults() {
    el.suggestions.replaceChildren();
    el.rejectedList.replaceChildren();
    el.rejected.hidden = true;
    el.rejected.open = false;
    el.rejectedSummary.textContent = "Didn't fit (0)";
    el.noSuggestions.hidden = true;
    el.understood.hidden = true;
    el.more.hidden = true;
  }

  function describeParsed(parsed) {
    const parts = [];
    if (parsed.enumeration && parsed.enumeration.length) {
      parts.push(parsed.length + ' letters (' + parsed.enumeration.join(',') + ')');
    } else {
      parts.push('any length');
    }
    if (parsed.pattern) parts.push('pattern ' + parsed.pattern);
    if (parsed.kind) parts.push(parsed.kind.replace(/-/g, ' ') + ' clue');
    return 'Looking for ' + parts.join(', ') + '.';
  }

  function addSuggestion(s) {
    if (!search || search.shown.has(s.answer)) return;
    search.shown.add(s.answer);
    const known = (search.request.pattern || '').replace(/\s/g, '');
    const li = make('li', 'suggestion');
    li.dataset.answer = s.answer;
    const cells = make('span', 'cells');
    cells.setAttribute('aria-hidden', 'true');
    const answer = String(s.answer);
    const words = search.parsed && search.parsed.enumeration;
    const sum = words && words.length ? words.reduce((a, b) => a + b, 0) : 0;
    const lengths = sum === answer.length ? words : [answer.length];
    let index = 0;
    for (const len of lengths) {
      const word = make('span', 'word');
      for (let i = 0; i < len; i++, index++) {
        const isKnown = /[A-Z]/.test(known.charAt(index));
        const cell = make('span', isKnown ? 'cell known' : 'cell', answer.charAt(index));
        word.append(cell);
      }
      cells.append(word);
    }
    const info = make('span', 'info');
    info.append(make('span', 'display', s.display || answer.toLowerCase()));
    const meta = make('span', 'meta');
    if (typeof s.score === 'number') meta.append(make('span', 'score', 'score ' + s.score.toFixed(2)));
    if (s.source) meta.append(make('span', 'source', s.source));
    info.append(meta);
    li.append(cells, info);
    el.suggestions.append(li);
    el.noSuggestions.hidden = true;
    setStatus('Suggestion ' + search.shown.size + ': ' + (s.display || answer));
  }

  function addRejected(r) {
    if (!search) return;
    search.rejected++;
    const li = make('li');
    li.append(make('span', 'rejected-answer', r.answer), make('span', 'rejected-reason', ' — ' + r.reason));
    el.rejectedList.append(li);
    el.rejectedSummary.textContent = "Didn't fit (" + search.rejected + ')';
    el.rejected.hidden = false;
  }

  function finish(done) {
    for (const s of done.suggestions || []) addSuggestion(s);
    const n = search.shown.size;
    const backend = done.backend ? done.backend.name + (done.backend.model ? ', ' + done.backend.model : '') : '';
    const ms = done.timings && typeof done.timings.totalMs === 'number' ? Math.round(done.timings.totalMs) + ' ms' : '';
    const extra = [backend, ms].filter(Boolean).join(', ');
    setStatus((n === 0 ? 'No answers fitted.' : (n === 1 ? 'Found 1 answer.' : 'Found ' + n + ' answers.'))
      + (extra ? ' (' + extra + ')' : ''));
    el.noSuggestions.hidden = n !== 0;
    el.more.hidden = (done.suggestions || []).length < search.request.count;
  }

  function setBusy(busy) {
    el.suggestions.setAttribute('aria-busy', busy ? 'true' : 'false');
    el.stop.hidden = !busy;
    el.form.classList.toggle('busy', busy);
  }

  // ---------------------------------------------------------------- submit

  function buildRequest() {
    const clue = el.clue.value.trim().replace(/\s+/g, ' ');
    if (!clue) {
      return { problem: { title: 'Clue missing', detail: 'Type a clue first.', field: 'clue' }, focus: el.clue };
    }
    const field = parseEnumeration(el.enumeration.value);
    if (field && field.invalid) {
      return {
        problem: { title: 'Length not understood', detail: 'Use numbers of letters per word, like 6, 4,5 or 4-4.', field: 'enumeration' },
        focus: el.enumeration,
      };
    }
    const count = Number(el.count.value || 5);
    if (!Number.isInteger(count) || count < 1 || count > 20) {
      return { problem: { title: 'Count out of range', detail: 'How many must be a whole number from 1 to 20.', field: 'count' }, focus: el.count };
    }
    const sentClue = field && !clueEnumeration(clue) ? clue + ' (' + field.text + ')' : clue;
    return {
      clue: sentClue,
      typedClue: clue,
      enumeration: el.enumeration.value.trim(),
      pattern: currentPattern(),
      count,
      backend: el.backend.value,
    };
  }

  async function run(request, append) {
    if (search) search.controller.abort();
    const controller = new AbortController();
    const previous = append && search ? search : null;
    search = {
      controller,
      request,
      parsed: previous ? previous.parsed : null,
      shown: previous ? previous.shown : new Set(),
      rejected: previous ? previous.rejected : 0,
    };
    const mine = search;
    clearError();
    if (!append) clearResults();
    el.more.hidden = true;
    setBusy(true);
    setStatus('Searching…');
    try {
      const body = { clue: request.clue, count: request.count };
      if (request.pattern) body.pattern = request.pattern;
      mine.parsed = await apiJson('api/v1/clues/parse', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
        body: JSON.stringify(body),
      }, controller.signal);
      el.understood.textContent = describeParsed(mine.parsed);
      el.understood.hidden = false;

      const params = new URLSearchParams({ clue: request.clue, count: String(request.count) });
      if (request.pattern) params.set('pattern', request.pattern);
      if (request.backend) params.set('backend', request.backend);
      if (request.exclude && request.exclude.length) params.set('exclude', request.exclude.join(','));
      const url = 'api/v1/suggestions/stream?' + params.toString();

      let res;
      for (let attempt = 0; ; attempt++) {
        res = await apiFetch(url, { headers: { Accept: 'text/event-stream, application/problem+json' } }, controller.signal);
        if (res.status !== 503 || attempt >= MAX_RETRIES_503) break;
        const retry = Math.min(30, Math.max(1, Number(res.headers.get('Retry-After')) || 2));
        await res.body.cancel().catch(() => {});
        setStatus('The answer source is still loading; trying again in ' + retry + ' s…');
        await sleep(retry * 1000, controller.signal);
      }
      if (!res.ok) throw new ProblemError(await readProblem(res));

      let finished = false;
      await readEvents(res, (name, data) => {
        if (search !== mine) return;
        let value;
        try { value = JSON.parse(data); } catch (e) { return; }
        if (name === 'suggestion') addSuggestion(value);
        else if (name === 'rejected') addRejected(value);
        else if (name === 'done') { finished = true; finish(value); }
        else if (name === 'error') {
          finished = true;
          showProblem(value);
          setStatus('Stopped by an error.');
        }
      });
      if (!finished && search === mine) {
        throw new ProblemError({ title: 'Connection closed', detail: 'The server closed the stream before the answers were complete.' });
      }
    } catch (e) {
      if (search !== mine) return;
      if (e && e.name === 'AbortError') {
        setStatus('Stopped.');
      } else if (e instanceof ProblemError) {
        showProblem(e.problem);
        setStatus('');
      } else {
        showProblem({ title: 'Could not reach the server', detail: String((e && e.message) || e) });
        setStatus('');
      }
    } finally {
      if (search === mine) setBusy(false);
    }
  }

  el.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const request = buildRequest();
    if (request.problem) {
      if (search) search.controller.abort();
      clearError();
      showProblem(request.problem);
      request.focus.focus();
      return;
    }
    saveHistory(request);
    run(request, false);
  });

  el.more.addEventListener('click', () => {
    if (!search) return;
    const request = Object.assign({}, search.request, { exclude: Array.from(search.shown) });
    run(request, true);
  });

  el.stop.addEventListener('click', () => {
    if (search) search.controller.abort();
    el.submit.focus();
  });

  // ---------------------------------------------------------------- backends

  let backendTimer = null;

  async function loadBackends() {
    clearTimeout(backendTimer);
    try {
      const data = await apiJson('api/v1/backends', { headers: { Accept: 'application/json' } });
      const chosen = el.backend.dataset.loaded ? el.backend.value : '';
      el.backend.replaceChildren();
      let loading = false;
      for (const b of data.backends || []) {
        let label = b.name;
        if (b.model) label += ' — ' + b.model;
        if (b.default) label += ' (default)';
        if (!b.ready) { label += ' (loading)'; loading = true; }
        const option = new Option(label, b.name);
        option.selected = chosen ? b.name === chosen : b.name === data.default;
        el.backend.append(option);
      }
      el.backend.dataset.loaded = 'true';
      if (loading) backendTimer = setTimeout(loadBackends, 3000);
    } catch (e) {
      const problem = e instanceof ProblemError ? e.problem : { title: 'Could not load the answer sources', detail: String(e.message || e) };
      showProblem(problem);
    }
  }

  // ---------------------------------------------------------------- history

  function readHistory() {
    try {
      const list = JSON.parse(storageGet(localStorage, HISTORY_STORE) || '[]');
      return Array.isArray(list) ? list.filter((h) => h && typeof h.clue === 'string').slice(0, MAX_HISTORY) : [];
    } catch (e) {
      return [];
    }
  }

  function saveHistory(request) {
    const entry = {
      clue: request.typedClue,
      enumeration: request.enumeration,
      pattern: request.pattern,
      count: request.count,
      backend: request.backend,
    };
    const same = (h) => h.clue === entry.clue && h.enumeration === entry.enumeration && h.pattern === entry.pattern;
    const list = [entry].concat(readHistory().filter((h) => !same(h))).slice(0, MAX_HISTORY);
    storageSet(localStorage, HISTORY_STORE, JSON.stringify(list));
    renderHistory();
  }

  function renderHistory() {
    const list = readHistory();
    el.history.replaceChildren();
    el.historySection.hidden = list.length === 0;
    list.forEach((h) => {
      let label = h.clue;
      if (h.enumeration && !clueEnumeration(h.clue)) label += ' (' + h.enumeration.replace(/^\(|\)$/g, '') + ')';
      if (h.pattern && /[A-Z]/.test(h.pattern)) label += ' · ' + h.pattern;
      const button = make('button', 'history-item', label);
      button.type = 'button';
      button.addEventListener('click', () => restore(h));
      const li = make('li');
      li.append(button);
      el.history.append(li);
    });
  }

  function restore(h) {
    el.clue.value = h.clue;
    el.enumeration.value = h.enumeration || '';
    renderLetters(true);
    setLetters(h.pattern);
    if (h.count) el.count.value = String(h.count);
    if (h.backend && Array.from(el.backend.options).some((o) => o.value === h.backend)) el.backend.value = h.backend;
    clearError();
    setStatus('Filled in: ' + h.clue);
    el.clue.focus();
  }

  el.clearHistory.addEventListener('click', () => {
    storageSet(localStorage, HISTORY_STORE, null);
    renderHistory();
    setStatus('Recent clues cleared.');
    el.clue.focus();
  });

  // ---------------------------------------------------------------- start

  renderLetters(true);
  renderHistory();
  loadBackends();
  document.documentElement.classList.add('js');
})();

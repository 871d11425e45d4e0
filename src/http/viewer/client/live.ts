/**
 * The viewer's live script, served as `/assets/live.js` and loaded with `defer` from every page. The pages work
 * without it; with it, they follow the `/live` WebSocket stream (protocol `wirediff.live/1`, see
 * `src/publish/live/live-protocol.ts`) and show new versions as they arrive:
 *
 * - `/` updates (or inserts) the article's row and moves it to the top;
 * - `/articles/:id` prepends the new version to the timeline and offers it in the compare form;
 * - a version or diff page shows a "new version available" notice with links.
 *
 * It remembers the last event id (starting from the id the page was rendered at, `data-last-event` on
 * `<body>`) and resubscribes with `since` after a dropped connection, reconnecting with capped exponential
 * backoff and jitter. When the server answers `reset` (the position is outside its history: trimmed, or a
 * different store), the cursor moves to the server's `last` and the `state` that follows updates the page.
 * A version added to the timeline gets its size (paragraphs and raw bytes, which the event does not carry) from
 * the JSON API (`/api/articles/:id/versions/:n/meta`). Text from the stream or the API is only ever inserted with
 * `textContent` / attribute setters.
 *
 * A classic script (no import or export), compiled to ES2019. The server's tables (kind labels, sparkline size)
 * come in `WIREDIFF_LIVE_TABLES`, which `assets/index.ts` defines in front of this script when it serves it.
 *
 * Why one file over 400 lines: a classic script's only private scope is a function, so the parts (formatting,
 * the sparkline, page updates, the connection) share this one IIFE; each function in it stays short (eslint's
 * `max-lines-per-function`, which does not count IIFEs, holds it to 120 lines). Split it when the viewer serves
 * ES modules.
 */

declare const WIREDIFF_LIVE_TABLES: import('./tables').LiveTables;

(function () {
  // Strict even though the served file starts with the tables' line rather than this file's own "use strict".
  'use strict';
  /** A message or event from the stream (or the API), parsed from JSON: every field is checked before use. */
  interface Fields {
    readonly [field: string]: unknown;
  }
  interface SparkPoint {
    readonly sig: number;
    readonly kind: string;
  }
  type NoticePart = string | { readonly text: string; readonly href: string };

  const KINDS = WIREDIFF_LIVE_TABLES.kinds;
  const SECONDS_WITHIN_MS = WIREDIFF_LIVE_TABLES.secondsWithinMs;
  const SPARK_MAX = WIREDIFF_LIVE_TABLES.sparkMax;
  const GEOMETRY = WIREDIFF_LIVE_TABLES.geometry;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const body = document.body;
  const page = body.getAttribute('data-page') || '';
  if (page === '' || page === 'error' || typeof WebSocket !== 'function') return;
  const article = body.getAttribute('data-article');
  let known = Number(body.getAttribute('data-version') || '0') || 0;
  let lastId = Number(body.getAttribute('data-last-event') || '0') || 0;
  const statusEl = document.getElementById('live-status');
  const noticeEl = document.getElementById('live-notice');
  let ws: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let afterReset = false;

  function isFields(x: unknown): x is Fields {
    return typeof x === 'object' && x !== null;
  }
  function isNum(n: unknown): n is number {
    return typeof n === 'number' && isFinite(n);
  }
  function isKnownKind(kind: unknown): kind is string {
    return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(KINDS, kind);
  }
  /** A string or number field as text; `fallback` when it is empty, missing or of another type. */
  function text(x: unknown, fallback = ''): string {
    if (!x) return fallback;
    return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : fallback;
  }

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, content?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  }
  function pad(n: number): string {
    return n < 10 ? '0' + n : String(n);
  }
  function formatTime(iso: string, seconds?: boolean): string {
    const d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    return (
      d.getUTCDate() +
      ' ' +
      (MONTHS[d.getUTCMonth()] ?? '') +
      ' ' +
      d.getUTCFullYear() +
      ', ' +
      pad(d.getUTCHours()) +
      ':' +
      pad(d.getUTCMinutes()) +
      (seconds ? ':' + pad(d.getUTCSeconds()) : '') +
      ' UTC'
    );
  }
  function timeEl(iso: string, seconds?: boolean): HTMLTimeElement {
    const t = el('time', '', formatTime(iso, seconds));
    t.setAttribute('datetime', iso);
    return t;
  }
  function kindBadge(kind: unknown): HTMLSpanElement {
    const known = isKnownKind(kind);
    const k = known ? KINDS[kind] : undefined;
    const s = el('span', 'kind kind-' + (known ? kind : 'other'));
    const sym = el('span', 'sym', k ? k.symbol : '?');
    sym.setAttribute('aria-hidden', 'true');
    s.appendChild(sym);
    s.appendChild(document.createTextNode(' ' + (k ? k.label : String(kind))));
    return s;
  }
  function sep(): HTMLSpanElement {
    const s = el('span', 'sep', '\u00b7');
    s.setAttribute('aria-hidden', 'true');
    return s;
  }
  function plural(n: number, one: string): string {
    return n + ' ' + (n === 1 ? one : one + 's');
  }
  // as formatBytes in pages/format.ts
  function formatBytes(n: number): string {
    if (!isNum(n) || n < 0) return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / (1024 * 1024)).toFixed(1) + ' MB';
  }
  function articleHref(id: string): string {
    return '/articles/' + encodeURIComponent(id);
  }
  function clear(node: Node): void {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setStatus(state: string, label: string): void {
    if (!statusEl) return;
    statusEl.hidden = false;
    statusEl.className = 'live-status ' + state;
    statusEl.textContent = label;
  }

  function showNotice(parts: readonly NoticePart[]): void {
    if (!noticeEl) return;
    clear(noticeEl);
    const p = el('p');
    for (const part of parts) {
      if (typeof part === 'string') p.appendChild(document.createTextNode(part));
      else {
        const a = el('a', '', part.text);
        a.setAttribute('href', part.href);
        p.appendChild(a);
      }
    }
    noticeEl.appendChild(p);
    noticeEl.hidden = false;
  }

  // ------------------------------------------------------------- sparkline (same geometry as pages/sparkline.ts)
  function drawSparkline(svg: Element, data: readonly SparkPoint[]): void {
    const G = GEOMETRY;
    const pts = data.slice(-SPARK_MAX);
    const width = Math.max(pts.length, G.minSlots) * G.slot;
    const first = width - pts.length * G.slot;
    clear(svg);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(G.height));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + G.height);
    const line = document.createElementNS(SVG_NS, 'line');
    line.setAttribute('class', 'base');
    line.setAttribute('x1', '0');
    line.setAttribute('y1', String(G.height - 0.5));
    line.setAttribute('x2', String(width));
    line.setAttribute('y2', String(G.height - 0.5));
    svg.appendChild(line);
    pts.forEach(function (pt, i) {
      const sig = Math.max(0, Math.min(1, pt.sig));
      const h = 2 + Math.round(sig * (G.height - 4));
      const r = document.createElementNS(SVG_NS, 'rect');
      r.setAttribute('class', 'bar k-' + (isKnownKind(pt.kind) ? pt.kind : 'other'));
      r.setAttribute('x', String(first + i * G.slot + 1));
      r.setAttribute('y', String(G.height - 1 - h));
      r.setAttribute('width', String(G.bar));
      r.setAttribute('height', String(h));
      svg.appendChild(r);
    });
    svg.setAttribute(
      'data-history',
      pts
        .map(function (p) {
          return p.sig.toFixed(3) + ' ' + p.kind;
        })
        .join(';'),
    );
    svg.setAttribute(
      'aria-label',
      'History: the newest ' + pts.length + ' versions; bar height is the size of each change',
    );
  }
  function appendSpark(svg: Element | null, ev: Fields): void {
    if (!svg) return;
    const raw = svg.getAttribute('data-history') || '';
    const data: SparkPoint[] =
      raw === ''
        ? []
        : raw.split(';').map(function (s) {
            const sp = s.split(' ');
            return { sig: Number(sp[0]) || 0, kind: sp[1] || 'other' };
          });
    data.push({ sig: isNum(ev.significance) ? ev.significance : 0, kind: String(ev.kind) });
    drawSparkline(svg, data);
  }
  function newSparkSvg(): SVGSVGElement {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('height', '24');
    svg.setAttribute('role', 'img');
    svg.setAttribute('data-history', '');
    return svg;
  }

  // ------------------------------------------------------------- page updates
  function flash(node: HTMLElement): void {
    node.classList.remove('fresh');
    void node.offsetWidth;
    node.classList.add('fresh');
  }

  function buildRow(id: string): HTMLLIElement {
    const li = el('li', 'article-row');
    li.id = 'article-' + id;
    li.setAttribute('data-article', id);
    const h = el('h2', 'headline');
    const a = el('a', '', id);
    a.setAttribute('href', articleHref(id));
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(el('p', 'meta'));
    li.appendChild(el('p', 'summary'));
    const sl = el('a', 'spark-link');
    sl.setAttribute('href', articleHref(id));
    sl.setAttribute('tabindex', '-1');
    sl.setAttribute('aria-hidden', 'true');
    sl.appendChild(newSparkSvg());
    li.appendChild(sl);
    return li;
  }

  function updateHomeRow(ev: Fields, withSpark: boolean): void {
    const list = document.getElementById('articles');
    if (!list) return;
    const id = String(ev.article);
    let row = document.getElementById('article-' + id);
    if (!row) {
      row = buildRow(id);
      const empty = document.getElementById('empty-state');
      if (empty) empty.hidden = true;
      list.hidden = false;
    }
    const link = row.querySelector('.headline a');
    const title = text(ev.title);
    if (link && title) link.textContent = title;
    const meta = row.querySelector('.meta');
    if (meta) {
      clear(meta);
      meta.appendChild(kindBadge(ev.kind));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(sep());
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(el('span', 'count', plural(Number(ev.version) || 0, 'version')));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(sep());
      meta.appendChild(document.createTextNode(' '));
      const when = el('span', 'when', 'last change ');
      when.appendChild(timeEl(String(ev.at)));
      meta.appendChild(when);
    }
    const summary = row.querySelector('.summary');
    if (summary) summary.textContent = text(ev.summary);
    if (withSpark) appendSpark(row.querySelector('svg.spark'), ev);
    if (list.firstElementChild !== row) list.insertBefore(row, list.firstElementChild);
    const countEl = document.getElementById('article-count');
    if (countEl) countEl.textContent = '(' + list.children.length + ')';
    flash(row);
  }

  /** The new-paragraph count an event's `changes.stats` carries, if it does. */
  function newParagraphs(ev: Fields): number | undefined {
    const changes = ev.changes;
    const stats = isFields(changes) ? changes.stats : undefined;
    return isFields(stats) && isNum(stats.newParagraphs) ? stats.newParagraphs : undefined;
  }

  function addTimelineItem(ev: Fields, base: string): void {
    const list = document.getElementById('timeline');
    if (!list) return;
    const v = Number(ev.version);
    if (document.getElementById('version-' + v)) return;
    const at = String(ev.at);
    const li = el('li', 'version-item');
    li.id = 'version-' + v;
    li.setAttribute('data-version', String(v));
    const h = el('h3', 'version-head');
    const a = el('a', '', 'Version ' + v);
    a.setAttribute('href', base + '/v/' + v);
    h.appendChild(a);
    h.appendChild(document.createTextNode(' '));
    h.appendChild(kindBadge(ev.kind));
    li.appendChild(h);
    const meta = el('p', 'meta');
    // Versions minutes apart show their seconds (as the server's pages do): this one and the one before it.
    const prev = document.querySelector('#timeline .version-item .meta time');
    const prevAt = prev ? prev.getAttribute('datetime') : null;
    const near = prevAt !== null && Math.abs(Date.parse(prevAt) - Date.parse(at)) < SECONDS_WITHIN_MS;
    meta.appendChild(timeEl(at, near));
    if (prev && prevAt !== null && near) prev.textContent = formatTime(prevAt, true);
    meta.appendChild(document.createTextNode(' '));
    meta.appendChild(sep());
    meta.appendChild(document.createTextNode(' '));
    const size = el('span', 'size');
    const paragraphs = newParagraphs(ev);
    if (paragraphs !== undefined) size.textContent = plural(paragraphs, 'paragraph');
    meta.appendChild(size);
    li.appendChild(meta);
    fillSize(size, base, v);
    li.appendChild(el('p', 'summary', text(ev.summary)));
    const actions = el('p', 'actions');
    if (v > 1) {
      const d = el('a', '', 'What changed from version ' + (v - 1));
      d.setAttribute('href', base + '/diff?from=' + (v - 1) + '&to=' + v);
      actions.appendChild(d);
    }
    li.appendChild(actions);
    list.insertBefore(li, list.firstElementChild);
    const selects = document.querySelectorAll('#compare select[name=from], #compare select[name=to]');
    for (const select of selects) {
      const o = el('option', '', 'Version ' + v + ' \u2014 ' + formatTime(at));
      o.value = String(v);
      select.insertBefore(o, select.firstChild);
    }
    if (v >= 2) {
      const form = document.getElementById('compare');
      const none = document.getElementById('compare-none');
      if (form) form.hidden = false;
      if (none) none.hidden = true;
    }
    const count = document.getElementById('version-count');
    if (count) count.textContent = plural(v, 'version');
    appendSpark(document.querySelector('.page-head svg.spark'), ev);
    flash(li);
  }

  /** The size as the server writes it ("12 paragraphs, 3.4 KB"), from the version's meta in the JSON API. */
  function fillSize(span: HTMLElement, base: string, v: number): void {
    if (typeof fetch !== 'function') return;
    fetch('/api' + base + '/versions/' + v + '/meta', {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (res): Promise<unknown> | null {
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        const m = isFields(data) ? data.meta : undefined;
        if (isFields(m) && m.version === v && isNum(m.paragraphs) && isNum(m.rawBytes)) {
          span.textContent = plural(m.paragraphs, 'paragraph') + ', ' + formatBytes(m.rawBytes);
          span.setAttribute('data-filled', 'true');
        }
      })
      .catch(function () {
        /* the paragraph count from the event stays */
      });
  }

  function announceVersion(base: string, v: number, summary: string): void {
    const parts: NoticePart[] = [
      'Version ' + v + ' of this article is available' + (summary ? ': ' + summary + ' ' : '. '),
      { text: 'Read version ' + v, href: base + '/v/' + v },
    ];
    if (v > 1) {
      parts.push(' \u00b7 ');
      parts.push({ text: 'See what changed', href: base + '/diff?from=' + (v - 1) + '&to=' + v });
    }
    parts.push(' \u00b7 ');
    parts.push({ text: 'Timeline', href: base });
    showNotice(parts);
  }

  function onEvent(ev: Fields): void {
    if (!isNum(ev.id) || ev.id <= lastId) return; // a duplicate after a resume
    lastId = ev.id;
    if (page === 'home') {
      updateHomeRow(ev, true);
      return;
    }
    if (article === null || String(ev.article) !== article) return;
    const v = Number(ev.version);
    if (!(v > known)) return;
    known = v;
    if (page === 'article') addTimelineItem(ev, articleHref(article));
    else announceVersion(articleHref(article), v, text(ev.summary));
  }

  function onState(m: Fields): void {
    if (isNum(m.last) && m.last > lastId) lastId = m.last;
    const list: unknown[] = Array.isArray(m.articles) ? m.articles : [];
    for (const s of list) {
      if (!isFields(s)) continue;
      const version = Number(s.version);
      if (page === 'home') {
        const row = document.getElementById('article-' + String(s.article));
        const count = row ? row.querySelector('.count') : null;
        const have = count ? parseInt(count.textContent || '0', 10) : 0;
        if (!(version > have)) continue;
        updateHomeRow(s, false);
      } else if (article !== null && String(s.article) === article && version > known) {
        known = version;
        if (page === 'article') {
          showNotice([
            'Versions up to ' + version + ' were stored while this page was disconnected. ',
            { text: 'Reload the timeline', href: articleHref(article) },
          ]);
        } else announceVersion(articleHref(article), version, text(s.summary));
      }
    }
  }

  function handle(m: unknown): void {
    if (!isFields(m)) return;
    switch (m.type) {
      case 'event':
        onEvent(m);
        break;
      case 'replay-complete':
        if (isNum(m.last) && m.last > lastId) lastId = m.last;
        setStatus('live', 'Live');
        break;
      case 'reset':
        // The server cannot replay from our position (trimmed history, or another store): its cursor is ours now,
        // and the state that follows says what changed.
        afterReset = true;
        if (isNum(m.last)) lastId = m.last;
        break;
      case 'state':
        if (afterReset) {
          afterReset = false;
          onState(m);
        }
        break;
      case 'error':
        setStatus('offline', 'Live updates unavailable');
        break;
      default:
        break;
    }
  }

  // ------------------------------------------------------------- connection
  function liveUrl(): string {
    return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/live';
  }
  function schedule(): void {
    if (stopped || timer !== null) return;
    let delay = Math.min(30000, 500 * Math.pow(2, attempt));
    delay = Math.round(delay * (0.5 + Math.random() * 0.5));
    attempt++;
    timer = setTimeout(function () {
      timer = null;
      connect();
    }, delay);
  }
  function connect(): void {
    if (stopped) return;
    let sock: WebSocket;
    try {
      sock = new WebSocket(liveUrl());
    } catch {
      schedule();
      return;
    }
    ws = sock;
    setStatus('connecting', 'Connecting\u2026');
    sock.onopen = function () {
      attempt = 0;
      // Every kind: the timeline lists every version, timestamp-only and minor ones included.
      const msg = {
        type: 'subscribe',
        articles: page === 'home' || !article ? '*' : [article],
        since: lastId,
        kinds: '*',
      };
      sock.send(JSON.stringify(msg));
    };
    sock.binaryType = 'arraybuffer';
    sock.onmessage = function (e: MessageEvent<unknown>) {
      let frame = e.data;
      if (typeof frame !== 'string') {
        // The protocol sends text frames; accept a JSON frame sent as binary too.
        if (!(frame instanceof ArrayBuffer) || typeof TextDecoder !== 'function') return;
        frame = new TextDecoder('utf-8').decode(frame);
      }
      let m: unknown;
      try {
        m = JSON.parse(frame as string);
      } catch {
        return;
      }
      handle(m);
    };
    sock.onclose = function () {
      if (ws === sock) ws = null;
      if (stopped) return;
      setStatus('offline', 'Offline \u2014 reconnecting');
      schedule();
    };
    sock.onerror = function () {
      /* a close event follows */
    };
  }
  window.addEventListener('pagehide', function () {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    if (ws) ws.close(1000);
  });
  window.addEventListener('pageshow', function (e) {
    if (e.persisted && stopped) {
      stopped = false;
      attempt = 0;
      connect();
    }
  });
  connect();
})();

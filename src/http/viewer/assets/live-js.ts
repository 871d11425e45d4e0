/**
 * The viewer's only script, served as `/assets/live.js`: plain browser JavaScript (no build step), loaded with
 * `defer` from every page. The pages work without it; with it, they follow the `/live` WebSocket stream
 * (protocol `wirediff.live/1`, see `src/publish/live/live-protocol.ts`) and show new versions as they arrive:
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
 */
import { KIND_LABELS, SECONDS_WITHIN_MS } from '../pages/format.js';
import { SPARK_GEOMETRY, SPARK_MAX } from '../pages/sparkline.js';

const SOURCE = String.raw`(function () {
  'use strict';
  var KINDS = __KINDS__;
  var SECONDS_WITHIN_MS = __SECONDS_WITHIN_MS__;
  var SPARK_MAX = __SPARK_MAX__;
  var GEOMETRY = __GEOMETRY__;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var body = document.body;
  var page = body.getAttribute('data-page') || '';
  if (page === '' || page === 'error' || typeof WebSocket !== 'function') return;
  var article = body.getAttribute('data-article');
  var known = Number(body.getAttribute('data-version') || '0') || 0;
  var lastId = Number(body.getAttribute('data-last-event') || '0') || 0;
  var statusEl = document.getElementById('live-status');
  var noticeEl = document.getElementById('live-notice');
  var ws = null;
  var attempt = 0;
  var timer = null;
  var stopped = false;
  var afterReset = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function formatTime(iso, seconds) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear() + ', ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + (seconds ? ':' + pad(d.getUTCSeconds()) : '') + ' UTC';
  }
  function timeEl(iso, seconds) {
    var t = el('time', '', formatTime(iso, seconds));
    t.setAttribute('datetime', String(iso));
    return t;
  }
  function kindBadge(kind) {
    var k = Object.prototype.hasOwnProperty.call(KINDS, kind) ? KINDS[kind] : { symbol: '?', label: String(kind) };
    var cls = Object.prototype.hasOwnProperty.call(KINDS, kind) ? kind : 'other';
    var s = el('span', 'kind kind-' + cls);
    var sym = el('span', 'sym', k.symbol);
    sym.setAttribute('aria-hidden', 'true');
    s.appendChild(sym);
    s.appendChild(document.createTextNode(' ' + k.label));
    return s;
  }
  function sep() {
    var s = el('span', 'sep', '\u00b7');
    s.setAttribute('aria-hidden', 'true');
    return s;
  }
  function plural(n, one) { return n + ' ' + (n === 1 ? one : one + 's'); }
  // as formatBytes in pages/format.ts
  function formatBytes(n) {
    if (!isNum(n) || n < 0) return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / (1024 * 1024)).toFixed(1) + ' MB';
  }
  function articleHref(id) { return '/articles/' + encodeURIComponent(id); }
  function isNum(n) { return typeof n === 'number' && isFinite(n); }

  function setStatus(state, text) {
    if (!statusEl) return;
    statusEl.hidden = false;
    statusEl.className = 'live-status ' + state;
    statusEl.textContent = text;
  }

  function showNotice(parts) {
    if (!noticeEl) return;
    while (noticeEl.firstChild) noticeEl.removeChild(noticeEl.firstChild);
    var p = el('p');
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (typeof part === 'string') p.appendChild(document.createTextNode(part));
      else {
        var a = el('a', '', part.text);
        a.setAttribute('href', part.href);
        p.appendChild(a);
      }
    }
    noticeEl.appendChild(p);
    noticeEl.hidden = false;
  }

  // ------------------------------------------------------------- sparkline (same geometry as pages/sparkline.ts)
  function drawSparkline(svg, data) {
    var NS = 'http://www.w3.org/2000/svg';
    var G = GEOMETRY;
    var pts = data.slice(-SPARK_MAX);
    var width = Math.max(pts.length, G.minSlots) * G.slot;
    var first = width - pts.length * G.slot;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(G.height));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + G.height);
    var line = document.createElementNS(NS, 'line');
    line.setAttribute('class', 'base');
    line.setAttribute('x1', '0'); line.setAttribute('y1', String(G.height - 0.5));
    line.setAttribute('x2', String(width)); line.setAttribute('y2', String(G.height - 0.5));
    svg.appendChild(line);
    for (var i = 0; i < pts.length; i++) {
      var sig = Math.max(0, Math.min(1, pts[i].sig));
      var h = 2 + Math.round(sig * (G.height - 4));
      var r = document.createElementNS(NS, 'rect');
      r.setAttribute('class', 'bar k-' + (Object.prototype.hasOwnProperty.call(KINDS, pts[i].kind) ? pts[i].kind : 'other'));
      r.setAttribute('x', String(first + i * G.slot + 1));
      r.setAttribute('y', String(G.height - 1 - h));
      r.setAttribute('width', String(G.bar));
      r.setAttribute('height', String(h));
      svg.appendChild(r);
    }
    svg.setAttribute('data-history', pts.map(function (p) { return p.sig.toFixed(3) + ' ' + p.kind; }).join(';'));
    svg.setAttribute('aria-label', 'History: the newest ' + pts.length + ' versions; bar height is the size of each change');
  }
  function appendSpark(svg, ev) {
    if (!svg) return;
    var raw = svg.getAttribute('data-history') || '';
    var data = raw === '' ? [] : raw.split(';').map(function (s) {
      var sp = s.split(' ');
      return { sig: Number(sp[0]) || 0, kind: sp[1] || 'other' };
    });
    data.push({ sig: isNum(ev.significance) ? ev.significance : 0, kind: String(ev.kind) });
    drawSparkline(svg, data);
  }
  function newSparkSvg() {
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('height', '24');
    svg.setAttribute('role', 'img');
    svg.setAttribute('data-history', '');
    return svg;
  }

  // ------------------------------------------------------------- page updates
  function flash(node) {
    node.classList.remove('fresh');
    void node.offsetWidth;
    node.classList.add('fresh');
  }

  function buildRow(id) {
    var li = el('li', 'article-row');
    li.id = 'article-' + id;
    li.setAttribute('data-article', id);
    var h = el('h2', 'headline');
    var a = el('a', '', id);
    a.setAttribute('href', articleHref(id));
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(el('p', 'meta'));
    li.appendChild(el('p', 'summary'));
    var sl = el('a', 'spark-link');
    sl.setAttribute('href', articleHref(id));
    sl.setAttribute('tabindex', '-1');
    sl.setAttribute('aria-hidden', 'true');
    sl.appendChild(newSparkSvg());
    li.appendChild(sl);
    return li;
  }

  function updateHomeRow(ev, withSpark) {
    var list = document.getElementById('articles');
    if (!list) return;
    var id = String(ev.article);
    var row = document.getElementById('article-' + id);
    if (!row) {
      row = buildRow(id);
      var empty = document.getElementById('empty-state');
      if (empty) empty.hidden = true;
      list.hidden = false;
    }
    var link = row.querySelector('.headline a');
    if (link && ev.title) link.textContent = String(ev.title);
    var meta = row.querySelector('.meta');
    if (meta) {
      while (meta.firstChild) meta.removeChild(meta.firstChild);
      meta.appendChild(kindBadge(ev.kind));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(sep());
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(el('span', 'count', plural(Number(ev.version) || 0, 'version')));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(sep());
      meta.appendChild(document.createTextNode(' '));
      var when = el('span', 'when', 'last change ');
      when.appendChild(timeEl(ev.at));
      meta.appendChild(when);
    }
    var summary = row.querySelector('.summary');
    if (summary) summary.textContent = String(ev.summary || '');
    if (withSpark) appendSpark(row.querySelector('svg.spark'), ev);
    if (list.firstElementChild !== row) list.insertBefore(row, list.firstElementChild);
    var countEl = document.getElementById('article-count');
    if (countEl) countEl.textContent = '(' + list.children.length + ')';
    flash(row);
  }

  function addTimelineItem(ev) {
    var list = document.getElementById('timeline');
    if (!list) return;
    var v = Number(ev.version);
    if (document.getElementById('version-' + v)) return;
    var base = articleHref(article);
    var li = el('li', 'version-item');
    li.id = 'version-' + v;
    li.setAttribute('data-version', String(v));
    var h = el('h3', 'version-head');
    var a = el('a', '', 'Version ' + v);
    a.setAttribute('href', base + '/v/' + v);
    h.appendChild(a);
    h.appendChild(document.createTextNode(' '));
    h.appendChild(kindBadge(ev.kind));
    li.appendChild(h);
    var meta = el('p', 'meta');
    // Versions minutes apart show their seconds (as the server's pages do): this one and the one before it.
    var prev = document.querySelector('#timeline .version-item .meta time');
    var prevAt = prev ? prev.getAttribute('datetime') : null;
    var near = prevAt !== null && Math.abs(Date.parse(prevAt) - Date.parse(ev.at)) < SECONDS_WITHIN_MS;
    meta.appendChild(timeEl(ev.at, near));
    if (near) prev.textContent = formatTime(prevAt, true);
    meta.appendChild(document.createTextNode(' '));
    meta.appendChild(sep());
    meta.appendChild(document.createTextNode(' '));
    var size = el('span', 'size');
    if (ev.changes && ev.changes.stats && isNum(ev.changes.stats.newParagraphs)) {
      size.textContent = plural(ev.changes.stats.newParagraphs, 'paragraph');
    }
    meta.appendChild(size);
    li.appendChild(meta);
    fillSize(size, v);
    li.appendChild(el('p', 'summary', ev.summary || ''));
    var actions = el('p', 'actions');
    if (v > 1) {
      var d = el('a', '', 'What changed from version ' + (v - 1));
      d.setAttribute('href', base + '/diff?from=' + (v - 1) + '&to=' + v);
      actions.appendChild(d);
    }
    li.appendChild(actions);
    list.insertBefore(li, list.firstElementChild);
    var selects = document.querySelectorAll('#compare select[name=from], #compare select[name=to]');
    for (var i = 0; i < selects.length; i++) {
      var o = el('option', '', 'Version ' + v + ' \u2014 ' + formatTime(ev.at));
      o.value = String(v);
      selects[i].insertBefore(o, selects[i].firstChild);
    }
    if (v >= 2) {
      var form = document.getElementById('compare');
      var none = document.getElementById('compare-none');
      if (form) form.hidden = false;
      if (none) none.hidden = true;
    }
    var count = document.getElementById('version-count');
    if (count) count.textContent = plural(v, 'version');
    appendSpark(document.querySelector('.page-head svg.spark'), ev);
    flash(li);
  }

  /** The size as the server writes it ("12 paragraphs, 3.4 KB"), from the version's meta in the JSON API. */
  function fillSize(span, v) {
    if (typeof fetch !== 'function') return;
    fetch('/api' + articleHref(article) + '/versions/' + v + '/meta', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        var m = data && data.meta;
        if (m && m.version === v && isNum(m.paragraphs) && isNum(m.rawBytes)) {
          span.textContent = plural(m.paragraphs, 'paragraph') + ', ' + formatBytes(m.rawBytes);
          span.setAttribute('data-filled', 'true');
        }
      })
      .catch(function () { /* the paragraph count from the event stays */ });
  }

  function announceVersion(v, summary) {
    var base = articleHref(article);
    var parts = ['Version ' + v + ' of this article is available' + (summary ? ': ' + summary + ' ' : '. ')];
    parts.push({ text: 'Read version ' + v, href: base + '/v/' + v });
    if (v > 1) {
      parts.push(' \u00b7 ');
      parts.push({ text: 'See what changed', href: base + '/diff?from=' + (v - 1) + '&to=' + v });
    }
    parts.push(' \u00b7 ');
    parts.push({ text: 'Timeline', href: base });
    showNotice(parts);
  }

  function onEvent(ev) {
    if (!isNum(ev.id) || ev.id <= lastId) return; // a duplicate after a resume
    lastId = ev.id;
    if (page === 'home') { updateHomeRow(ev, true); return; }
    if (String(ev.article) !== article) return;
    var v = Number(ev.version);
    if (!(v > known)) return;
    known = v;
    if (page === 'article') addTimelineItem(ev);
    else announceVersion(v, ev.summary ? String(ev.summary) : '');
  }

  function onState(m) {
    if (isNum(m.last) && m.last > lastId) lastId = m.last;
    var list = Array.isArray(m.articles) ? m.articles : [];
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (page === 'home') {
        var row = document.getElementById('article-' + s.article);
        var count = row ? row.querySelector('.count') : null;
        var have = count ? parseInt(count.textContent || '0', 10) : 0;
        if (!(s.version > have)) continue;
        updateHomeRow(s, false);
      } else if (String(s.article) === article && s.version > known) {
        known = s.version;
        if (page === 'article') {
          showNotice(['Versions up to ' + s.version + ' were stored while this page was disconnected. ',
            { text: 'Reload the timeline', href: articleHref(article) }]);
        } else announceVersion(s.version, String(s.summary || ''));
      }
    }
  }

  function handle(m) {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'event': onEvent(m); break;
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
      case 'state': if (afterReset) { afterReset = false; onState(m); } break;
      case 'error': setStatus('offline', 'Live updates unavailable'); break;
      default: break;
    }
  }

  // ------------------------------------------------------------- connection
  function liveUrl() {
    return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/live';
  }
  function schedule() {
    if (stopped || timer !== null) return;
    var delay = Math.min(30000, 500 * Math.pow(2, attempt));
    delay = Math.round(delay * (0.5 + Math.random() * 0.5));
    attempt++;
    timer = setTimeout(function () { timer = null; connect(); }, delay);
  }
  function connect() {
    if (stopped) return;
    var sock;
    try { sock = new WebSocket(liveUrl()); } catch (e) { schedule(); return; }
    ws = sock;
    setStatus('connecting', 'Connecting\u2026');
    sock.onopen = function () {
      attempt = 0;
      // Every kind: the timeline lists every version, timestamp-only and minor ones included.
      var msg = { type: 'subscribe', articles: page === 'home' || !article ? '*' : [article], since: lastId, kinds: '*' };
      sock.send(JSON.stringify(msg));
    };
    sock.binaryType = 'arraybuffer';
    sock.onmessage = function (e) {
      var text = e.data;
      if (typeof text !== 'string') {
        // The protocol sends text frames; accept a JSON frame sent as binary too.
        if (!(text instanceof ArrayBuffer) || typeof TextDecoder !== 'function') return;
        text = new TextDecoder('utf-8').decode(text);
      }
      var m;
      try { m = JSON.parse(text); } catch (err) { return; }
      handle(m);
    };
    sock.onclose = function () {
      if (ws === sock) ws = null;
      if (stopped) return;
      setStatus('offline', 'Offline \u2014 reconnecting');
      schedule();
    };
    sock.onerror = function () { /* a close event follows */ };
  }
  window.addEventListener('pagehide', function () {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    if (ws) ws.close(1000);
  });
  window.addEventListener('pageshow', function (e) {
    if (e.persisted && stopped) { stopped = false; attempt = 0; connect(); }
  });
  connect();
})();
`;

/** The script's text, with the kind labels and the sparkline size filled in from the server's own tables. */
export const LIVE_JS: string = SOURCE.replace('__KINDS__', JSON.stringify(KIND_LABELS))
  .replace('__SECONDS_WITHIN_MS__', String(SECONDS_WITHIN_MS))
  .replace('__SPARK_MAX__', String(SPARK_MAX))
  .replace('__GEOMETRY__', JSON.stringify(SPARK_GEOMETRY));

/**
 * `/assets/folds.js`, loaded with `defer` by the diff page only: opens a folded unchanged run in place. Without it
 * every fold is still a real link to the page with the run expanded (and an anchor), so nothing depends on it; with it:
 *
 * - a click on a fold's link (`a.wd-fold-open`) fetches just the run's rows (its `data-run` address, served by the
 *   viewer as escaped HTML) and puts them where the fold was, then moves the focus to the run's first paragraph;
 * - a link to a paragraph that sits in a fold (`#d-o-N` / `#d-n-N`, or the fold's own address with that anchor),
 *   and such an anchor in the page's address on load or on `hashchange`, opens that fold first, then goes there.
 *
 * The fetched text is parsed in an inert `<template>` (nothing in it runs; the Content-Security-Policy forbids
 * inline scripts anyway). If the fetch fails the browser simply follows the link. No inline handlers: listeners are
 * attached here. A classic script (no import or export), compiled to ES2019.
 */
(function () {
  'use strict';
  if (typeof fetch !== 'function' || !('content' in document.createElement('template'))) return;
  const ANCHOR = /^d-([on])-([1-9][0-9]{0,8})$/;

  function foldHolding(side: string, num: number): Element | null {
    const folds = document.querySelectorAll('.wd-fold-link');
    for (const f of folds) {
      const start = Number(f.getAttribute(side === 'o' ? 'data-o' : 'data-n'));
      const count = Number(f.getAttribute('data-count'));
      if (num >= start && num < start + count) return f;
    }
    return null;
  }

  /** The fold that holds the paragraph an id like d-n-12 names, when that paragraph is not on the page. */
  function foldForId(id: string): Element | null {
    if (!id || document.getElementById(id)) return null;
    const m = ANCHOR.exec(id);
    return m ? foldHolding(m[1] ?? '', Number(m[2])) : null;
  }

  /** The id to go to once the fold is open: inline, an unchanged old paragraph carries its new id only. */
  function landing(id: string, fold: Element): string {
    const m = ANCHOR.exec(id);
    if (document.getElementById(id) || !m || m[1] !== 'o') return id;
    return 'd-n-' + (Number(fold.getAttribute('data-n')) + Number(m[2]) - Number(fold.getAttribute('data-o')));
  }

  function goTo(id: string): void {
    const target = document.getElementById(id);
    if (!target) return;
    // A fragment navigation even when the address already has this anchor (it named nothing on load), so the
    // browser scrolls to the paragraph and marks it :target.
    if (location.hash === '#' + id) location.replace('#' + id);
    else location.hash = id;
  }

  /** Opens a fold in place; then focuses its first paragraph, or goes to the paragraph targetId names. */
  function open(fold: Element, targetId: string | null): void {
    const link = fold.querySelector<HTMLAnchorElement>('a.wd-fold-open');
    if (!link || fold.getAttribute('aria-busy') === 'true') return;
    // The server page shows the run expanded (or says what is wrong): follow the link, to the paragraph asked for.
    const follow = (): void =>
      location.assign(targetId ? link.href.replace(/#.*$/, '') + '#' + landing(targetId, fold) : link.href);
    const run = link.getAttribute('data-run');
    if (run === null) return follow();
    fold.setAttribute('aria-busy', 'true');
    fold.classList.add('loading');
    fetch(run, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) {
        const type = res.headers.get('content-type') || '';
        if (!res.ok || type.indexOf('text/html') !== 0) throw new Error('status ' + res.status);
        return res.text();
      })
      .then(function (html) {
        const tpl = document.createElement('template');
        tpl.innerHTML = html;
        if (!tpl.content.firstElementChild || !fold.parentNode) throw new Error('empty run');
        fold.parentNode.replaceChild(tpl.content, fold);
        if (targetId) {
          goTo(landing(targetId, fold));
          return;
        }
        const first = document.getElementById('d-n-' + (fold.getAttribute('data-n') ?? ''));
        if (first) {
          first.setAttribute('tabindex', '-1');
          first.focus();
        }
      })
      .catch(follow);
  }

  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target instanceof Element ? e.target.closest<HTMLAnchorElement>('a[href]') : null;
    if (!a) return;
    if (a.classList.contains('wd-fold-open')) {
      const fold = a.closest('.wd-fold-link');
      if (!fold) return;
      e.preventDefault();
      open(fold, null);
      return;
    }
    // A link to a paragraph in a fold: on this page, or this page's address with the fold expanded.
    if (a.pathname !== location.pathname || a.hash === '') return;
    const id = decodeURIComponent(a.hash.slice(1));
    const holder = foldForId(id);
    if (!holder) return;
    e.preventDefault();
    open(holder, id);
  });

  function fromAddress(): void {
    const id = decodeURIComponent(location.hash.slice(1));
    const holder = foldForId(id);
    if (holder) open(holder, id);
  }
  window.addEventListener('hashchange', fromAddress);
  fromAddress();
})();

/** The auto-escaping tagged template: every hole escaped unless it is safe HTML; hostile text never becomes markup. */
import { describe, expect, it } from 'vitest';
import { html, joinHtml, raw, SafeHtml, type HtmlValue } from '../../../src/core/render/html-template.js';
import { safeUrl } from '../../../src/core/render/escape.js';
import { HOSTILE } from './hostile.js';

describe('html`…`', () => {
  it('escapes text in element content and in quoted attribute values', () => {
    const text = `<b>"Tom" & 'Jerry'</b>`;
    expect(html`<p title="${text}">${text}</p>`.toString()).toBe(
      '<p title="&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;">&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</p>',
    );
  });

  it('keeps its own literal parts as written (entities included)', () => {
    expect(html`<a href="/x?a=1&amp;b=2">→</a>`.toString()).toBe('<a href="/x?a=1&amp;b=2">→</a>');
  });

  it('places safe HTML as it is: nested templates and raw() fragments, never escaped twice', () => {
    const inner = html`<em>${'a & b'}</em>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><em>a &amp; b</em></p>');
    expect(html`<div>${raw('<span class="x">ok</span>')}</div>`.toString()).toBe(
      '<div><span class="x">ok</span></div>',
    );
    expect(html`${html`${html`${'<'}`}`}`.toString()).toBe('&lt;');
  });

  it('writes numbers as digits and arrays item by item; nothing for undefined, null and booleans', () => {
    expect(html`${1}/${2.5}/${-3}/${10n}`.toString()).toBe('1/2.5/-3/10');
    expect(html`<ul>${['<a>', html`<li>b</li>`, ['c', 1]]}</ul>`.toString()).toBe('<ul>&lt;a&gt;<li>b</li>c1</ul>');
    expect(html`[${undefined}${null}${false}${true}]`.toString()).toBe('[]');
    const show = false as boolean;
    expect(html`<p${show && html` hidden`}>`.toString()).toBe('<p>');
  });

  it('refuses values it cannot place safely, with a clear error', () => {
    expect(() => html`${Number.NaN}`).toThrow('Expected a finite number in html`…`, got NaN');
    expect(() => html`${Infinity}`).toThrow('got Infinity');
    expect(() => html`${{ toString: () => '<b>' } as unknown as HtmlValue}`).toThrow(
      'Expected text, a number or safe HTML in html`…`, got object',
    );
    expect(() => html`${(() => '<b>') as unknown as HtmlValue}`).toThrow('got function');
  });

  it('returns SafeHtml, whose string is the HTML', () => {
    const out = html`<p>${'x'}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(String(out)).toBe('<p>x</p>');
    expect(out.value).toBe('<p>x</p>');
  });
});

describe('joinHtml', () => {
  it('joins items with an escaped separator unless it is safe', () => {
    expect(joinHtml(['a<', html`<br>`, 'b'], '\n').toString()).toBe('a&lt;\n<br>\nb');
    expect(joinHtml(['a', 'b'], raw('<hr>')).toString()).toBe('a<hr>b');
    expect(joinHtml(['a', 'b'], '<hr>').toString()).toBe('a&lt;hr&gt;b');
    expect(joinHtml([]).toString()).toBe('');
  });
});

describe('hostile text', () => {
  it.each(HOSTILE.map((h, i) => [i, h]))('hostile string %i is inert in content and in attributes', (_i, h) => {
    const out = html`<p data-x="${h}" title='${h}'>${h}</p><a href="${h}">${[h, h]}</a>`.toString();
    // No markup but ours: every < and > the text brought is escaped, and no quote ends an attribute early.
    expect(out.match(/</g)?.length).toBe(4);
    expect(out.match(/>/g)?.length).toBe(4);
    expect(out.match(/"/g)?.length).toBe(4);
    expect(out.match(/'/g)?.length).toBe(2);
    expect(out).not.toMatch(/<(script|img|svg|style)/i);
  });

  it('escapes a URL but does not vet its scheme: links to outside addresses go through safeUrl first', () => {
    expect(html`<a href="${'javascript:alert(1)'}">`.toString()).toBe('<a href="javascript:alert(1)">');
    expect(html`<a href="${safeUrl('javascript:alert(1)')}">`.toString()).toBe('<a href="#">');
  });
});

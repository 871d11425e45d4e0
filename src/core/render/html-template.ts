/**
 * An auto-escaping tagged template for HTML, as `hono/html` has: in html`<p>${text}</p>` every interpolated value is
 * escaped (`escapeHtml`) unless it is already safe HTML — the result of another html`…` or of `raw()` — so untrusted
 * text cannot become markup by being forgotten. Pure: no I/O.
 *
 * Interpolations: `SafeHtml` as it is; strings escaped; finite numbers and bigints as digits; arrays item by item (no
 * separator); `undefined`, `null`, `false` and `true` as nothing (so `${cond && html`…`}` works); anything else is a
 * mistake and throws.
 */
import { escapeHtml } from './escape.js';

/** HTML that is safe to place as it is: built by html`…` or vouched for with `raw()`. */
export class SafeHtml {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  toString(): string {
    return this.value;
  }
}

/** What html`…` accepts in its holes. */
export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

function append(out: string[], v: HtmlValue): void {
  if (v instanceof SafeHtml) out.push(v.value);
  else if (typeof v === 'string') out.push(escapeHtml(v));
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`Expected a finite number in html\`…\`, got ${v}`);
    out.push(String(v));
  } else if (typeof v === 'bigint') out.push(String(v));
  else if (Array.isArray(v)) for (const item of v as readonly HtmlValue[]) append(out, item);
  else if (v === undefined || v === null || typeof v === 'boolean') return;
  else throw new TypeError(`Expected text, a number or safe HTML in html\`…\`, got ${typeof v}`);
}

/** The tag: the template's literal parts as they are, every hole escaped unless it is `SafeHtml`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  const out: string[] = [strings[0] ?? ''];
  for (let i = 0; i < values.length; i++) {
    append(out, values[i]);
    out.push(strings[i + 1] ?? '');
  }
  return new SafeHtml(out.join(''));
}

/**
 * Marks trusted HTML as safe: a fragment a renderer built with its own escaping (`renderDiffHtml`), or a constant.
 * Never pass text that came from outside.
 */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

/** The items joined by `separator` (escaped unless safe), as one safe fragment. */
export function joinHtml(items: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const out: string[] = [];
  items.forEach((item, i) => {
    if (i > 0) append(out, separator);
    append(out, item);
  });
  return new SafeHtml(out.join(''));
}

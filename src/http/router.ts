/**
 * The one router (hono-style: small, method + pattern with params) behind the JSON API, the feeds and the viewer.
 *
 * - A pattern is a path of `/`-separated segments: a literal (`articles`), a param (`:id`, one whole non-empty
 *   segment), or a final `*` (the rest of the path, any number of segments, none included).
 * - The path is split on `/` as it arrives (no normalization of `..`); literals are compared with the raw segments,
 *   params are percent-decoded one segment at a time, so `%2f` inside a param is a `/` in its value and never a
 *   separator, and `..` is only ever a value for the handler to refuse.
 * - Routes are tried in the order they were added; the first whose pattern and method match wins. When patterns
 *   match but no method does, the answer is "method not allowed" with every method those patterns take (405 and
 *   `Allow`); when no pattern matches, "not found" (404). A `*` route is a fallback: it does not turn the 405 of an
 *   earlier, more precise pattern into a match. A param that is not valid percent-encoding makes the answer
 *   "malformed" (400), naming the param.
 * - `strict: false` ignores one trailing slash (`/a/b/` is `/a/b`); the root stays `/`.
 *
 * The router knows nothing of Node's request objects: it maps (method, pathname) onto a handler and its params.
 */

/** A param's percent-decoded value, by name. */
export type Params = Readonly<Record<string, string>>;

/** Any method (for catch-all routes). */
export const ANY_METHOD = '*';

export type RouteMatch<H> =
  | { readonly kind: 'found'; readonly handler: H; readonly params: Params }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'malformed'; readonly param: string; readonly raw: string }
  | { readonly kind: 'not-found' };

type Part = { readonly literal: string } | { readonly param: string } | { readonly rest: true };

interface Route<H> {
  readonly methods: ReadonlySet<string>;
  readonly parts: readonly Part[];
  readonly handler: H;
}

/** `decodeURIComponent`, or undefined for malformed percent-encoding. */
export function decodeSegment(s: string): string | undefined {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function parsePattern(pattern: string): Part[] {
  if (!pattern.startsWith('/')) throw new TypeError(`Expected a route pattern starting with "/", got "${pattern}"`);
  const segments = pattern === '/' ? [''] : pattern.slice(1).split('/');
  return segments.map((s, i) => {
    if (s === '*') {
      if (i !== segments.length - 1) throw new TypeError(`Expected "*" only at the end of a pattern, got "${pattern}"`);
      return { rest: true };
    }
    if (s.startsWith(':')) {
      if (!/^:[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new TypeError(`Expected a param name after ":", got "${s}"`);
      return { param: s.slice(1) };
    }
    return { literal: s };
  });
}

type Matched = { readonly params: Record<string, string> } | { readonly param: string; readonly raw: string };

/** The params when `segments` fit `parts` (undefined when they do not), or the first malformed param. */
function fit(parts: readonly Part[], segments: readonly string[]): Matched | undefined {
  const params: Record<string, string> = {};
  let malformed: { param: string; raw: string } | undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if ('rest' in part) return malformed ?? { params };
    const seg = segments[i];
    if (seg === undefined) return undefined;
    if ('literal' in part) {
      if (seg !== part.literal) return undefined;
      continue;
    }
    if (seg === '') return undefined;
    const value = decodeSegment(seg);
    if (value === undefined) malformed ??= { param: part.param, raw: seg };
    else params[part.param] = value;
  }
  if (segments.length !== parts.length) return undefined;
  return malformed ?? { params };
}

export interface RouterOptions {
  /** False: one trailing slash is ignored. Default true. */
  readonly strict?: boolean;
}

export class Router<H> {
  readonly #routes: Route<H>[] = [];
  readonly #strict: boolean;

  constructor(options: RouterOptions = {}) {
    this.#strict = options.strict ?? true;
  }

  /** Adds a route for `methods` (upper case; `ANY_METHOD` for all). */
  on(methods: string | readonly string[], pattern: string, handler: H): this {
    const list = typeof methods === 'string' ? [methods] : methods;
    if (list.length === 0) throw new TypeError(`Expected at least one method for "${pattern}", got none`);
    this.#routes.push({ methods: new Set(list), parts: parsePattern(pattern), handler });
    return this;
  }

  /** GET and HEAD (a HEAD is answered as a GET without its body). */
  get(pattern: string, handler: H): this {
    return this.on(['GET', 'HEAD'], pattern, handler);
  }

  post(pattern: string, handler: H): this {
    return this.on('POST', pattern, handler);
  }

  all(pattern: string, handler: H): this {
    return this.on(ANY_METHOD, pattern, handler);
  }

  /** The route for `method` and `pathname` (the path alone, without `?query`; it must start with `/`). */
  match(method: string, pathname: string): RouteMatch<H> {
    let path = pathname;
    if (!this.#strict && path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const segments = path === '/' ? [''] : path.slice(1).split('/');
    const allow: string[] = [];
    for (const route of this.#routes) {
      const m = fit(route.parts, segments);
      if (m === undefined) continue;
      if (!route.methods.has(method) && !route.methods.has(ANY_METHOD)) {
        for (const x of route.methods) if (!allow.includes(x)) allow.push(x);
        continue;
      }
      if (allow.length > 0 && route.parts.some((p) => 'rest' in p)) break;
      if ('param' in m) return { kind: 'malformed', param: m.param, raw: m.raw };
      return { kind: 'found', handler: route.handler, params: m.params };
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  }
}

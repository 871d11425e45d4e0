/**
 * The error catalogue is complete and documented: every `E_…` code used in `src/` is in ERROR_CATALOGUE and in
 * docs/errors.md (with the same HTTP status), no entry is dead, and the live protocol's error and close codes and the
 * CLI's exit codes are documented too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, WirediffError, type ErrorCode } from '../../src/core/errors.js';
import { toHttpError } from '../../src/http/errors.js';
import { CLOSE_CODES } from '../../src/publish/live/live-protocol.js';
import { EXIT } from '../../src/cli/context.js';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');
const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const catalogued = new Set(Object.keys(ERROR_CATALOGUE));

function sourceFiles(): { path: string; text: string }[] {
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ path: f, text: readFileSync(join(src, f), 'utf8') }));
}

/** Codes as quoted literals ('E_X', "E_X" or `E_X`, the last also in comments); the catalogue itself is left out. */
function codesUsedInSource(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const { path, text } of sourceFiles()) {
    if (path === join('core', 'errors.ts')) continue;
    for (const m of text.matchAll(/(['"`])(E_[A-Z][A-Z_]*)\1/g)) {
      const code = m[2]!;
      used.set(code, [...(used.get(code) ?? []), path]);
    }
  }
  return used;
}

/** The rows of the doc's code tables: `| \`E_X\` | status | …`. */
function documentedCodes(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of doc.matchAll(/^\| `(E_[A-Z_]+)`\s*\| ([^|]*) \|/gm)) {
    expect(rows.has(m[1]!), `${m[1]} is documented twice`).toBe(false);
    rows.set(m[1]!, m[2]!.trim());
  }
  return rows;
}

describe('the error catalogue', () => {
  it('holds every code used in src/, and no code that is not used', () => {
    const used = codesUsedInSource();
    expect(used.size).toBeGreaterThan(30); // the scan finds the codes at all
    const missing = [...used].filter(([code]) => !catalogued.has(code)).map(([c, files]) => `${c} (${files[0]})`);
    expect(missing, 'codes used in src/ but missing from ERROR_CATALOGUE').toEqual([]);
    const unused = [...catalogued].filter((code) => !used.has(code));
    expect(unused, 'ERROR_CATALOGUE entries no source uses').toEqual([]);
  });

  it('documents every code in docs/errors.md with the same HTTP status', () => {
    const rows = documentedCodes();
    expect([...rows.keys()].sort()).toEqual([...catalogued].sort());
    for (const [code, info] of Object.entries(ERROR_CATALOGUE)) {
      const first = rows.get(code)!.split(' ')[0];
      expect(first, `${code}'s status in docs/errors.md`).toBe(info.status === undefined ? '—' : String(info.status));
    }
  });

  it('agrees with the statuses the HTTP layer answers with', () => {
    const mismatches: string[] = [];
    for (const { path, text } of sourceFiles()) {
      for (const m of text.matchAll(/(?:new HttpError|rejectUpgrade)\(\s*(?:socket,\s*)?(\d{3}),\s*'(E_[A-Z_]+)'/g)) {
        const status = Number(m[1]);
        const code = m[2] as keyof typeof ERROR_CATALOGUE;
        // A store that cannot write answers E_IO with 507 (disk full) or 503 (read-only); docs/errors.md says so.
        if (code === 'E_IO' && (status === 503 || status === 507)) continue;
        if (ERROR_CATALOGUE[code]?.status !== status) mismatches.push(`${path}: ${status} ${code}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('maps WirediffErrors onto the same HTTP statuses as before the catalogue', () => {
    const expected: Record<ErrorCode, number> = {
      E_INPUT_EMPTY: 422,
      E_INPUT_BINARY: 415,
      E_INPUT_TOO_LARGE: 413,
      E_NO_ARTICLE: 422,
      E_BAD_ARTICLE_ID: 400,
      E_NOT_FOUND: 404,
      E_CONFLICT: 409,
      // Split out of E_CONFLICT (all 409 before): only the real conflicts keep 409 (docs/errors.md says why).
      E_IMPORT_CONFLICT: 409,
      E_READ_ONLY: 503,
      E_STORE_LOCKED: 423,
      E_STORE_OUTDATED: 500,
      E_STORE_TOO_NEW: 500,
      E_CORRUPT: 500,
      E_CLOSED: 503,
      E_CONFIG: 500,
      E_FETCH: 500,
      E_FETCH_STATUS: 500,
      E_FETCH_TIMEOUT: 500,
      E_FETCH_TOO_LARGE: 500,
      E_FETCH_REDIRECTS: 500,
      E_FETCH_BLOCKED_ADDRESS: 500,
      E_FETCH_PROTOCOL: 500,
      E_FEED_PARSE: 500,
      E_IO: 500,
      E_USAGE: 400,
    };
    for (const [code, status] of Object.entries(expected) as [ErrorCode, number][]) {
      const e = toHttpError(new WirediffError(code, 'secret detail'));
      expect([code, e.status]).toEqual([code, status]);
      expect(e.code).toBe(status === 500 ? 'E_INTERNAL' : code);
    }
  });

  it("documents the live protocol's error codes and close codes", () => {
    const protocol = readFileSync(join(src, 'publish', 'live', 'live-protocol.ts'), 'utf8');
    const union = /export type LiveErrorCode =([^;]+);/.exec(protocol)?.[1] ?? '';
    const liveCodes = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]!);
    expect(liveCodes.length).toBeGreaterThan(3);
    // 1011 is sent by the hub when the event log cannot be read (not in CLOSE_CODES).
    const closeCodes = [...Object.values(CLOSE_CODES), 1011];
    const undocumented = [
      ...liveCodes.filter((c) => !doc.includes(`| \`${c}\` |`)),
      ...closeCodes.filter((c) => !doc.includes(`| ${c} |`)).map(String),
    ];
    expect(undocumented).toEqual([]);
  });

  it("documents the CLI's exit codes", () => {
    const undocumented = Object.entries(EXIT).filter(([name, code]) => !doc.includes(`| ${code} | ${name} |`));
    expect(undocumented).toEqual([]);
  });
});

/**
 * The history the export/import tests move around: a real store holding ap-syria v1..v4 (ingested through the
 * pipeline, so with their events) and syria-copy v1..v2, plus the helpers to run the CLI and read stores.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { run } from '../../src/cli/main.js';
import { decodeBody } from '../../src/sources/index.js';
import { openFileStore } from '../../src/store/open.js';
import { ingestVersion } from '../../src/ingest/ingest.js';
import { apTexts, captureContext } from './helpers.js';

/**
 * Store `<dir>/snapshots` (the default config's) gets ap-syria v1..v4 and syria-copy v1..v2, a minute apart from
 * 2013-03-16T12:01Z. With `variants`, ap-syria's v2 text is then seen again that many times (a known variant: the
 * counter goes up, no version is made).
 */
export async function buildHistory(dir: string, options: { variants?: number } = {}): Promise<void> {
  const opened = await openFileStore({ dir: path.join(dir, 'snapshots') });
  try {
    const texts = await apTexts();
    const plan: [string, Buffer, string][] = [
      ['ap-syria', texts[0]!, 'new-version'],
      ['ap-syria', texts[1]!, 'new-version'],
      ['ap-syria', texts[2]!, 'new-version'],
      ['ap-syria', texts[3]!, 'new-version'],
      ['syria-copy', texts[2]!, 'new-version'],
      ['syria-copy', texts[3]!, 'new-version'],
    ];
    for (let i = 0; i < (options.variants ?? 0); i++) plan.push(['ap-syria', texts[1]!, 'variant']);
    let minute = 0;
    for (const [article, raw, status] of plan) {
      minute++;
      const at = Date.parse('2013-03-16T12:00:00Z') + minute * 60_000;
      const o = await ingestVersion(
        opened,
        {
          article,
          raw: new Uint8Array(raw),
          contentType: 'text/plain',
          text: decodeBody(new Uint8Array(raw), 'text/plain').text,
          origin: { kind: 'file', location: `/news/${article}.txt` },
          fetchedAt: new Date(at).toISOString(),
        },
        { variantWindow: 5, now: () => at + 500 },
      );
      expect(o.status).toBe(status);
    }
  } finally {
    await opened.close();
  }
}

export async function cli(
  cwd: string,
  argv: string[],
  stdin?: string,
): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(cwd, stdin !== undefined ? { stdin: Readable.from([stdin]) } : {});
  const code = await run(argv, ctx);
  return { code, out: ctx.stdoutText(), err: ctx.stderrText() };
}

/** Runs `wirediff import` in `dir` with `text` as a file (`file`, written to `dir/in.jsonl`) or on stdin (`stdin`). */
export async function importText(
  dir: string,
  mode: 'file' | 'stdin',
  text: string,
  extra: string[] = [],
): Promise<{ code: number; out: string; err: string }> {
  if (mode === 'stdin') return cli(dir, ['import', '-', ...extra], text);
  await writeFile(path.join(dir, 'in.jsonl'), text);
  return cli(dir, ['import', 'in.jsonl', ...extra]);
}

export function lines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function articlesIn(dir: string): Promise<string[]> {
  if (!existsSync(path.join(dir, 'snapshots'))) return [];
  const opened = await openFileStore({ dir: path.join(dir, 'snapshots'), readOnly: true });
  try {
    return (await opened.store.listArticles()).map((x) => x.id).sort();
  } finally {
    await opened.close();
  }
}

/** What `<dir>/snapshots` holds: versions per article, variants counters, and the log as `article@version`. */
export async function storeState(dir: string): Promise<{
  versions: Record<string, number>;
  variants: Record<string, number>;
  events: string[];
}> {
  const opened = await openFileStore({ dir: path.join(dir, 'snapshots'), readOnly: true });
  try {
    const versions: Record<string, number> = {};
    const variants: Record<string, number> = {};
    for (const a of await opened.store.listArticles()) {
      versions[a.id] = a.versions;
      variants[a.id] = a.variantsSeen;
    }
    const events = (await opened.log.readAfter(0)).map((e) => `${e.article}@${e.version}`);
    return { versions, variants, events };
  } finally {
    await opened.close();
  }
}

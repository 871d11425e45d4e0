/**
 * The finished CLI, as a person meets it: help with examples for the program and every command, consistent exit
 * codes (0 ok, 1 "changed" from diff only, 2 trouble), and one-line errors that name the file or the option.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildProgram, run } from '../../src/cli/main.js';
import { AP_FILES, captureContext } from './helpers.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach('wirediff-help-');

const COMMANDS = [
  'init',
  'add',
  'watch',
  'serve',
  'status',
  'poll',
  'history',
  'ingest',
  'reparse',
  'diff',
  'export',
  'import',
  'migrate',
  'demo',
] as const;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(tmp.dir);
  const code = await run(argv, ctx);
  return { code, out: ctx.stdoutText(), err: ctx.stderrText() };
}

describe('help', () => {
  test('every command is registered, and these tests know them all', () => {
    const names = buildProgram(captureContext(tmp.dir)).commands.map((c) => c.name());
    expect([...names].sort()).toEqual([...COMMANDS].sort());
  });

  test('wirediff --help lists every command with a summary, and how to get more', async () => {
    const r = await cli(['--help']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^Usage: wirediff \[options\] \[command\]/);
    for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`\\n  ${c}\\b.* {2,}\\S`));
    expect(r.out).toContain('wirediff COMMAND --help');
  });

  // Enable once src/cli/main.ts adds examples after the program's own help (`program.addHelpText('after', ...)`):
  // the lead's file; the proposed text is in the CLI helper's report.
  test('wirediff --help ends with examples', async () => {
    const r = await cli(['--help']);
    expect(r.out).toMatch(/\nExamples:\n(?: {2}\$ wirediff .*\n)+/);
  });

  test.each(COMMANDS)('wirediff %s --help: usage, options and examples', async (c) => {
    const r = await cli([c, '--help']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(new RegExp(`^Usage: wirediff ${c}\\b`));
    expect(r.out).toContain('-h, --help');
    expect(r.out).toContain('\nExamples:\n');
    const examples = r.out.slice(r.out.indexOf('\nExamples:\n'));
    expect(examples).toMatch(new RegExp(`\\n {2}\\$ wirediff ${c}\\b`));
    // "wirediff help COMMAND" says the same.
    const viaHelp = await cli(['help', c]);
    expect(viaHelp).toEqual(r);
  });

  test('--version prints the version and exits 0', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('usage mistakes exit 2 with a hint', () => {
  test('an unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toContain("unknown command 'frobnicate'");
    expect(r.err).toContain('wirediff --help');
  });

  test('a misspelled command gets a suggestion', async () => {
    const r = await cli(['exprot', '--all']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Did you mean export\?/);
  });

  test('an unknown option, a missing argument, a bad choice', async () => {
    for (const [argv, pattern] of [
      [['diff', 'a', 'b', '--frob'], /unknown option '--frob'/],
      [['diff', 'a'], /missing required argument 'new'/],
      [['diff', 'a', 'b', '--format', 'pdf'], /argument 'pdf' is invalid.*text, json, html/],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(pattern);
    }
  });
});

describe('diff', () => {
  test('a missing, an empty and a binary file: exit 2, one line naming the file', async () => {
    const empty = path.join(tmp.dir, 'empty.txt');
    const binary = path.join(tmp.dir, 'photo.txt');
    await writeFile(empty, '');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0, 0, 4, 5, 0xff, 0]));
    const missing = path.join(tmp.dir, 'nope.txt');
    for (const bad of [missing, empty, binary]) {
      for (const argv of [
        ['diff', bad, AP_FILES[1]!],
        ['diff', AP_FILES[0]!, bad],
      ]) {
        const r = await cli(argv);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        // Named first, or after plain words: "wirediff: no such file: PATH".
        expect(r.err.startsWith(bad === missing ? `wirediff: no such file: ${bad}` : `wirediff: ${bad}`)).toBe(true);
        expect(r.err.endsWith('\n')).toBe(true);
        expect(r.err.trimEnd().split('\n')).toHaveLength(1);
        expect(r.err).not.toMatch(/\bat \S+:\d+/); // no stack trace
      }
    }
  });

  test('v1 → v2 changed (exit 1) in text, json and html; json is a breaking-update ChangeSet', async () => {
    const [v1, v2] = [AP_FILES[0]!, AP_FILES[1]!];
    const text = await cli(['diff', v1, v2]);
    expect(text).toMatchObject({ code: 1, err: '' });
    expect(text.out).toMatch(/breaking/i);
    expect(text.out).not.toContain('\u001b['); // not a terminal: no colour

    const json = await cli(['diff', v1, v2, '--format', 'json']);
    expect(json).toMatchObject({ code: 1, err: '' });
    const cs = JSON.parse(json.out) as { kind: string; summary: string };
    expect(cs.kind).toBe('breaking-update');
    expect(cs.summary.length).toBeGreaterThan(0);

    const html = await cli(['diff', v1, v2, '--format', 'html']);
    expect(html).toMatchObject({ code: 1, err: '' });
    expect(html.out).toMatch(/<(ins|del|section|div|article)\b/);
    expect(html.out).not.toMatch(/<script/i);
  });

  test('the same version twice: no change, exit 0', async () => {
    const r = await cli(['diff', AP_FILES[3]!, AP_FILES[3]!, '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { kind: string }).kind).toBe('none');
  });
});

describe('exit codes of the other commands', () => {
  test('trouble is 2 everywhere, never 1', async () => {
    await writeFile(path.join(tmp.dir, 'bad.json'), '{"sources": [{"kind": "ftp"}]}');
    for (const argv of [
      ['history', '../etc'],
      ['history', 'nothing-here'],
      ['status', '--config', 'missing.json'],
      ['watch', '--once', '--config', 'bad.json'],
      ['ingest', 'a-story', 'missing.txt'],
      ['export'],
      ['import', 'missing.jsonl'],
      ['demo', '--interval', '0s'],
      ['serve', '--port', '99999'],
    ]) {
      const r = await cli(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toMatch(/^wirediff: \S/);
    }
  });
});

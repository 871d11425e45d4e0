/** `wirediff diff`: the summary in words and the facts; `--format html --standalone` writes a complete page. */
import { describe, expect, test } from 'vitest';
import { VIEWER_CSS } from '../../src/http/viewer/assets/viewer-css.js';
import { AP_FILES } from './helpers.js';
import { cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach('wirediff-diff-');

describe('wirediff diff', () => {
  test('prints the kind, the summary in words and the facts', async () => {
    const r = await cli(tmp.dir, ['diff', AP_FILES[2]!, AP_FILES[3]!, '--no-color']);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      'Correction: “This story has been corrected to show that Human Rights Watch said Syrian forces dropped at least ' +
        '165 cluster bombs, not 156.”; cluster bombs 156 → 165',
    );
    expect(lines).toContain('Figures: cluster bombs 156 → 165 (¶8)');
    expect(r.out).toContain('[-156-]{+165+}');
  });

  test('--format json carries kind, facets and facts (schema /2)', async () => {
    const r = await cli(tmp.dir, ['diff', AP_FILES[0]!, AP_FILES[1]!, '--format', 'json']);
    const cs = JSON.parse(r.out) as { schema: string; kind: string; facets: string[]; facts: { type: string }[] };
    expect(cs.schema).toBe('wirediff.changeset/2');
    expect(cs.kind).toBe('breaking-update');
    expect(cs.facets).toContain('breaking-update');
    expect(cs.facts.map((f) => f.type)).toContain('headline');
  });

  test('--format html --standalone writes a complete page with the viewer stylesheet', async () => {
    const r = await cli(tmp.dir, ['diff', AP_FILES[2]!, AP_FILES[3]!, '--format', 'html', '--standalone']);
    expect(r.code).toBe(1);
    expect(r.out.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(r.out).toContain(`<style>${VIEWER_CSS}</style>`);
    expect(r.out).toContain('<li><strong>Figures:</strong> cluster bombs 156 → 165 (¶8)</li>');
    expect(r.out.trimEnd().endsWith('</html>')).toBe(true);
    expect(r.out).not.toMatch(/<script/);
  });

  test('--standalone without --format html is a usage error', async () => {
    const r = await cli(tmp.dir, ['diff', AP_FILES[2]!, AP_FILES[3]!, '--standalone']);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: 'wirediff: --standalone writes a complete HTML page: it needs --format html, got --format text\n',
    });
  });
});

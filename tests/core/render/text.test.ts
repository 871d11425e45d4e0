/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/core/render/index.js';
import { breakingUpdate, builder } from './build.js';
import { hostileChangeSet } from './hostile.js';

const ANSI = /\x1b\[[0-9;]*m/g;

function everyOp() {
  return builder()
    .equal(['Lead 1.', 'Lead 2.'])
    .edit('The fighting has killed [-some-]{+more than+} 70,000 people.')
    .moveOut('m', 'Cluster bombs open in flight.')
    .equal(['Middle 1.', 'Middle 2.'])
    .delete('A paragraph that is gone.')
    .moveIn('m', 'Cluster bombs open in flight.')
    .insert('A new paragraph.')
    .split('One. Two.', ['One.', 'Two.'])
    .merge(['X.', 'Y.'], 'X. Y.')
    .replace('an old text', 'a wholly new text')
    .edit('quotes [-"-]{+“+}here', 'body', true)
    .build({ kind: 'write-thru', title: 'New title', oldTitle: 'Old title', summary: 'Rewritten around the news' });
}

describe('renderText', () => {
  it('plain: word changes as {+ +} / [- -], marks per change, no ANSI codes', () => {
    const { cs, old, next } = everyOp();
    const out = renderText(cs, { color: false, context: { old, next } });
    expect(out).not.toMatch(/\x1b/);
    const lines = out.split('\n');
    const line = (re: RegExp): string => {
      const found = lines.find((l) => re.test(l));
      expect(found, String(re)).toBeDefined();
      return found!;
    };
    expect(lines[0]).toBe('Write-thru: Rewritten around the news');
    expect(lines[1]).toBe(
      'Paragraphs: 1 added, 1 removed, 3 edited, 1 moved, 1 split, 1 merged, 4 unchanged (12 → 12 paragraphs); words +6 −7; significance 0.50',
    );
    expect(lines[2]).toBe('Headline: [-Old title-] → {+New title+}');
    expect(line(/^~/)).toBe('~  3  3 │ The fighting has killed [-some-]{+more than+} 70,000 people.');
    expect(line(/^\+/)).toBe('+     7 │ A new paragraph.');
    expect(line(/^-/)).toBe('-  7    │ A paragraph that is gone.');
    expect(line(/^>/)).toBe('>  4  6 │ (moved from ¶4) Cluster bombs open in flight.');
    expect(line(/^</)).toBe('<  4    │ (moved to ¶6) Cluster bombs open in flight.');
    expect(line(/split into/)).toBe('%  8    │ (split into ¶8–¶9) One. Two.');
    expect(line(/merged from/)).toBe('%    10 │ (merged from ¶9–¶10) X. Y.');
    expect(line(/\(replaced\)/)).toBe('~ 11 11 │ (replaced)');
    expect(out).toContain('~ 11 11 │ (replaced)\n- 11    │ an old text\n+    11 │ a wholly new text\n');
    expect(out).toContain('%  9    │ (merged into ¶10) X.\n% 10    │ (merged into ¶10) Y.\n');
    expect(line(/formatting only/)).toBe('~ 12 12 │ (formatting only) quotes [-"-]{+“+}here');
    expect(line(/Lead 1/)).toBe('   1  1 │ Lead 1.');
  });

  it('color: ANSI green/red for word changes and no plain-text markers', () => {
    const { cs } = everyOp();
    const out = renderText(cs, { color: true });
    expect(out).toMatch(/\x1b\[/);
    expect(out).not.toContain('{+');
    expect(out).not.toContain('[-');
    const edited = out.split('\n').find((l) => l.includes('The fighting'))!;
    expect(edited).toContain('\x1b[31;9msome\x1b[0m');
    expect(edited).toContain('\x1b[32mmore than\x1b[0m');
    // Without the codes, the text is the same as plain output less the markers.
    const plain = renderText(cs, { color: false });
    expect(out.replace(ANSI, '')).toBe(plain.replace(/\{\+|\+\}|\[-|-\]/g, ''));
  });

  it('hostile text cannot drive the terminal: no raw control characters, with or without colour', () => {
    const { cs, old, next } = hostileChangeSet();
    for (const color of [false, true]) {
      const out = renderText(cs, { color, context: { old, next }, contextLines: 1 });
      const text = color ? out.replace(ANSI, '') : out;
      expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
      expect(text).toContain('\u241B[2J');
      expect(text).toContain('<script>alert(1)</script>');
    }
  });

  it('names the blocks and collapses the unchanged earlier story; context shows paragraphs around changes', () => {
    const { cs, old, next } = breakingUpdate(27);
    const bare = renderText(cs, { color: false });
    expect(bare).toContain('[update] Breaking update (new, 6 paragraphs)\n+     1 │ Update paragraph 1.');
    expect(bare).toContain('[banner] Banner (added)\n+     7 │ THIS IS A BREAKING NEWS UPDATE.');
    expect(bare).toContain(
      '[earlier] Earlier story (unchanged, 27 paragraphs)\n        │ … 27 unchanged paragraphs (¶1–¶27 → ¶8–¶34) …',
    );
    expect(bare).not.toContain('Earlier paragraph');

    const ctx = renderText(cs, { color: false, context: { old, next } });
    expect(ctx).toContain(
      [
        '[earlier] Earlier story (unchanged, 27 paragraphs)',
        '   1  8 │ Earlier paragraph 1.',
        '   2  9 │ Earlier paragraph 2.',
        '        │ … 25 unchanged paragraphs (¶3–¶27 → ¶10–¶34) …',
      ].join('\n'),
    );
    const none = renderText(cs, { color: false, context: { old, next }, contextLines: 0 });
    expect(none).toContain('… 27 unchanged paragraphs');
    const many = renderText(cs, { color: false, context: { old, next }, contextLines: 30 });
    expect(many).not.toContain('unchanged paragraphs (');
    expect(many).toContain('  27 34 │ Earlier paragraph 27.');
  });

  it('wraps at the given width with a hanging indent', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const { cs } = builder().insert(long).edit(`${long} [-old-]{+new+} end`).build({ kind: 'update' });
    const out = renderText(cs, { color: false, width: 50 });
    const body = out.split('\n').filter((l) => l.includes('│'));
    expect(body.length).toBeGreaterThan(10);
    for (const l of body) expect([...l].length).toBeLessThanOrEqual(50);
    expect(body.filter((l) => !l.startsWith('      │ ')).length).toBe(2);
    expect(body.join(' ').replace(/\s*│\s*|[+~]\s+\d+\s+(\d+\s+)?/g, ' ')).toContain('word58 word59');
  });

  it('validates options', () => {
    const { cs } = breakingUpdate(1);
    expect(() => renderText(cs, { color: false, width: 10 })).toThrow(
      /option "width" must be an integer from 20 to 10000, received 10/,
    );
    expect(() => renderText(cs, { color: false, contextLines: -1 })).toThrow(/option "contextLines"/);
  });

  it('a ChangeSet with no change says so', () => {
    const { cs } = builder().equal(['a', 'b']).build({ kind: 'none', summary: 'No change' });
    const out = renderText(cs, { color: false });
    expect(out.split('\n')[0]).toBe('No change');
    expect(out).toContain('… 2 unchanged paragraphs (¶1–¶2) …');
  });
});

/**
 * The README stays a user's page and stays true: at most 18 KB, every CLI command in its table with only options the
 * command has, every dependency with its reason (the project rule), and every relative link in the README and
 * docs/ pointing at a file that exists.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { captureContext } from '../cli/helpers.js';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The README's text from the heading that starts with `title` to the next `## ` heading. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}`);
  expect(start, `the README has a "## ${title}" section`).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The first cell of every table row of a section (header and separator rows left out). */
function firstCells(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|---'))
    .map((l) => l.slice(2, l.indexOf(' |', 2)))
    .slice(1);
}

describe('README.md', () => {
  it('is a user page of at most 18 KB (formats and internals live in docs/)', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(18 * 1024);
  });

  it('lists every CLI command, each with only options the command has', () => {
    const program = buildProgram(captureContext(root));
    const commands = new Map(program.commands.map((c) => [c.name(), c]));
    expect(commands.size).toBeGreaterThan(10);
    const rows = firstCells(section('The CLI')).map((cell) => /^`([a-z]+)([^`]*)`$/.exec(cell));
    expect(
      rows.every((m) => m !== null),
      'every row starts with a `command …` cell',
    ).toBe(true);
    const listed = rows.map((m) => m![1]!);
    expect([...listed].sort()).toEqual([...commands.keys()].sort());
    const unknown: string[] = [];
    for (const m of rows) {
      const cmd = commands.get(m![1]!)!;
      const flags = new Set(cmd.options.flatMap((o) => [o.long, o.short].filter((f) => f !== undefined)));
      for (const flag of m![2]!.match(/(?<![\w-])--?[a-z][a-z-]*/g) ?? []) {
        if (!flags.has(flag)) unknown.push(`${cmd.name()} ${flag}`);
      }
    }
    expect(unknown, 'options the README names that the command does not have').toEqual([]);
  });

  it('says why each dependency is there', () => {
    const table = firstCells(section('Dependencies, and why each is here')).join(' ');
    const missing = Object.keys(pkg.dependencies).filter((name) => !table.includes(`\`${name}\``));
    expect(missing, 'dependencies without a row in the README').toEqual([]);
    const text = section('Dependencies, and why each is here');
    const dev = Object.keys(pkg.devDependencies).filter(
      (name) => !text.includes(`\`${name}\``) && !(name.startsWith('@types/') && text.includes('`@types/*`')),
    );
    expect(dev, 'devDependencies the README does not name').toEqual([]);
  });
});

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f));
}

describe('links in README.md and docs/', () => {
  it('point at files that exist', () => {
    const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
    expect(files.length).toBeGreaterThan(10);
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/.test(target)) continue;
        checked++;
        const at = join(dirname(file), target);
        if (!existsSync(at) || (!statSync(at).isFile() && !statSync(at).isDirectory()))
          broken.push(`${file.slice(root.length + 1)} → ${m[1]}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});

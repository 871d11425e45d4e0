/**
 * `wirediff diff OLD NEW`: what changed between two versions of an article, as text (the kind, the summary in words,
 * the facts, then the paragraphs), JSON (the ChangeSet) or HTML (a fragment, or with `--standalone` a complete page
 * styled with the viewer's stylesheet). Exit codes as for diff(1): 0 no change, 1 changed, 2 trouble.
 */
import { Option, type Command } from 'commander';
import { WirediffError } from '../../core/errors.js';
import { diffVersions } from '../../core/diff/index.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import { escapeHtml, renderDiffHtml, renderText } from '../../core/render/index.js';
import { VIEWER_CSS } from '../../http/viewer/assets/viewer-css.js';
import { EXIT, wantsColor, type CliContext } from '../context.js';
import { loadVersionFile } from '../load-version.js';

export function registerDiff(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .summary('show what changed between two versions of an article')
    .description(
      'Show what changed between two versions of an article, paragraph by paragraph with the words changed inside.\n' +
        'OLD and NEW are plain-text (.txt, .md) or HTML (.html) files. Exit code: 0 no change, 1 changed, 2 trouble.',
    )
    .argument('<old>', 'the older version')
    .argument('<new>', 'the newer version')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .addOption(
      new Option('--view <view>', 'HTML layout (with --format html)')
        .choices(['inline', 'side-by-side'])
        .default('inline'),
    )
    .option('--standalone', "with --format html: write a complete page with the viewer's stylesheet")
    .option('--color', 'colour the text output (default: on a terminal, unless NO_COLOR is set)')
    .option('--no-color', 'never colour the text output')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff diff story-v1.txt story-v2.txt
  $ wirediff diff before.html after.html --format json > change.json
  $ wirediff diff v2.txt v3.txt --format html --view side-by-side > diff.html
  $ wirediff diff v3.txt v4.txt --format html --standalone > diff.html`,
    )
    .action(
      async (
        oldPath: string,
        newPath: string,
        opts: { format: string; view: string; color?: boolean; standalone?: boolean },
      ) => {
        if (opts.standalone === true && opts.format !== 'html') {
          throw new WirediffError(
            'E_USAGE',
            `--standalone writes a complete HTML page: it needs --format html, got --format ${opts.format}`,
          );
        }
        const [old, next] = await Promise.all([loadVersionFile(oldPath), loadVersionFile(newPath)]);
        const cs = diffVersions(old.article, next.article);
        const context = { old: old.article, next: next.article };
        let out: string;
        if (opts.format === 'json') out = JSON.stringify(cs, null, 2) + '\n';
        else if (opts.format === 'html') {
          const fragment = renderDiffHtml(cs, {
            view: opts.view === 'side-by-side' ? 'side-by-side' : 'inline',
            context,
          });
          out = (opts.standalone === true ? standalonePage(cs, fragment) : fragment) + '\n';
        } else out = renderText(cs, { color: wantsColor(ctx.stdout, ctx.env, opts.color), context });
        ctx.stdout.write(out.endsWith('\n') ? out : out + '\n');
        ctx.exitCode = cs.kind === 'none' ? EXIT.ok : EXIT.changed;
      },
    );
}

/** A complete HTML page around a rendered diff, with the viewer's stylesheet inline (no script, nothing fetched). */
export function standalonePage(cs: ChangeSet, fragment: string): string {
  const title = cs.title.new === '' ? 'wirediff diff' : `Changes: ${cs.title.new}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${VIEWER_CSS}</style>`,
    '</head>',
    '<body class="wide">',
    '<main id="main">',
    `<h1>${escapeHtml(cs.title.new === '' ? 'wirediff diff' : cs.title.new)}</h1>`,
    fragment,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n');
}

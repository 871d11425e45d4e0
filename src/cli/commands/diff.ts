/**
 * `wirediff diff OLD NEW`: what changed between two versions of an article, as text, JSON or HTML.
 * Exit codes as for diff(1): 0 no change, 1 changed, 2 trouble.
 */
import { Option, type Command } from 'commander';
import { diffVersions } from '../../core/diff/index.js';
import { renderDiffHtml, renderText } from '../../core/render/index.js';
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
    .option('--color', 'colour the text output (default: on a terminal, unless NO_COLOR is set)')
    .option('--no-color', 'never colour the text output')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff diff story-v1.txt story-v2.txt
  $ wirediff diff before.html after.html --format json > change.json
  $ wirediff diff v2.txt v3.txt --format html --view side-by-side > diff.html`,
    )
    .action(async (oldPath: string, newPath: string, opts: { format: string; view: string; color?: boolean }) => {
      const [old, next] = await Promise.all([loadVersionFile(oldPath), loadVersionFile(newPath)]);
      const cs = diffVersions(old.article, next.article);
      const context = { old: old.article, next: next.article };
      let out: string;
      if (opts.format === 'json') out = JSON.stringify(cs, null, 2) + '\n';
      else if (opts.format === 'html')
        out = renderDiffHtml(cs, { view: opts.view === 'side-by-side' ? 'side-by-side' : 'inline', context }) + '\n';
      else out = renderText(cs, { color: wantsColor(ctx.stdout, ctx.env, opts.color), context });
      ctx.stdout.write(out.endsWith('\n') ? out : out + '\n');
      ctx.exitCode = cs.kind === 'none' ? EXIT.ok : EXIT.changed;
    });
}

/**
 * `wirediff migrate`: applies the PostgreSQL store's missing schema migrations (also done on every start, under the
 * same lock) and says which were applied. The file store has no schema: it says so and succeeds.
 */
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { describeStoreTarget, storeTargetFor } from '../../store/open.js';
import { MIGRATIONS } from '../../store/postgres/migrations.js';
import { migratePostgres } from '../../store/postgres/open.js';
import { EXIT, type CliContext } from '../context.js';

export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .summary("bring a PostgreSQL store's schema up to date")
    .description(
      'Apply the missing schema migrations to the PostgreSQL store named by the config ("store": {"kind": ' +
        '"postgres", "url": …}) or by WIREDIFF_STORE_URL. Safe to run while watchers and servers use the store, and ' +
        'from several machines at once (a lock lets one apply them). Every wirediff command that opens the store does ' +
        'the same on start; this command lets you do it ahead of a roll-out.',
    )
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .addHelpText(
      'after',
      `
Examples:
  $ WIREDIFF_STORE_URL=postgres://wirediff@db.example:5432/news wirediff migrate
  $ wirediff migrate --config newsroom.json`,
    )
    .action(async (opts: { config?: string }) => {
      const { config } = await loadConfigFor(ctx.cwd, opts.config);
      const target = storeTargetFor(config, ctx.env);
      if (target.kind === 'file') {
        ctx.stdout.write(`${target.dir} is a file store: it has no schema to migrate\n`);
        ctx.exitCode = EXIT.ok;
        return;
      }
      const { kind: _kind, ...options } = target;
      const applied = await migratePostgres(options);
      const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
      ctx.stdout.write(
        applied.length === 0
          ? `${describeStoreTarget(target)}: up to date (schema version ${latest})\n`
          : `${describeStoreTarget(target)}: applied ${applied.map((v) => `${v} (${MIGRATIONS.find((m) => m.version === v)!.name})`).join(', ')}; now at schema version ${latest}\n`,
      );
      ctx.exitCode = EXIT.ok;
    });
}

/**
 * The config file (`wirediff.config.json`): its schema, its defaults, and errors that name the field, what was
 * expected and what was found (`E_CONFIG`). With no config file, `defaultConfig()` watches the `articles/` folder
 * offline. The public face of src/config/:
 * - durations.ts: "15m"-style durations (parse, format, the schema's `duration`);
 * - schema.ts: the zod schema, its defaults and the `Config` types;
 * - issues.ts and suggest.ts: the problems as lines ("Expected `x` to be …, got …", "did you mean");
 * - load.ts: reading, validating and resolving a config file, and the default config.
 */
export { formatDuration, parseDuration } from './durations.js';
export {
  DEFAULT_CRON,
  DEFAULT_TIERS,
  configSchema,
  type Config,
  type ConfigFile,
  type ScheduleTier,
  type SourceConfig,
  type SourceKind,
} from './schema.js';
export { formatPath } from './issues.js';
export {
  DEFAULT_ARTICLES_DIR,
  DEFAULT_CONFIG_FILE,
  cronFor,
  defaultConfig,
  loadConfig,
  loadConfigFor,
  loadConfigOrDefault,
  parseConfig,
  sourceLocator,
  starterConfigFile,
} from './load.js';

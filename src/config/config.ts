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
export { DEFAULT_TIERS, type Config, type ConfigFile, type SourceConfig } from './schema.js';
export {
  DEFAULT_ARTICLES_DIR,
  DEFAULT_CONFIG_FILE,
  defaultConfig,
  loadConfig,
  loadConfigFor,
  parseConfig,
  starterConfigFile,
} from './load.js';

/**
 * The config's problems as people read them: one line per problem, in the one wording of option errors (see
 * core/expect.ts): "Expected `sources[2].schedule` to be a cron expression such as "*\/5 * * * *", got `every minute`
 * (string)", and for an unknown field the known one it was probably meant to be.
 */
import { expectedField, showValue } from '../core/expect.js';
import { CONFIG_OBJECTS } from './schema.js';
import { nearestName } from './suggest.js';

/** `sources[2].schedule` from `['sources', 2, 'schedule']`. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out === '' ? String(k) : `.${String(k)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** What a zod issue carries that the messages use. */
export interface IssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly format?: string;
  readonly discriminator?: string;
}

/** Every field name the config knows, in any section: the candidates for "did you mean". */
const KNOWN_FIELDS: readonly string[] = [...new Set(CONFIG_OBJECTS.flatMap((schema) => Object.keys(schema.shape)))];

/** "a number >= 1", "a string of length <= 3", ">= 1 items" for a too_small or too_big issue. */
function bound(issue: IssueLike): string {
  const small = issue.code === 'too_small';
  const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  const limit = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array') return `an array of ${op} ${limit} items`;
  if (issue.origin === 'string') return `a string of length ${op} ${limit}`;
  return `a number ${op} ${limit}`;
}

/** The problem lines of one zod issue (an unknown-keys issue gives one per key). */
export function formatIssue(issue: IssueLike): string[] {
  const where = formatPath(issue.path);
  const expected = (what: string, value: unknown = issue.input): string[] => [
    issue.path.length === 0
      ? `Expected the config to be ${what}, got ${showValue(value)}`
      : expectedField(where, what, value),
  ];
  switch (issue.code) {
    case 'invalid_type': {
      const e = issue.expected ?? 'value';
      const article = e === 'object' || e === 'array' || e === 'int' ? 'an' : 'a';
      return expected(`${article} ${e === 'int' ? 'integer' : e}`);
    }
    case 'too_small':
    case 'too_big':
      return expected(bound(issue));
    case 'invalid_value':
      return expected(`one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((k) => {
        const near = nearestName(k, KNOWN_FIELDS);
        const hint = near === undefined ? 'check the spelling' : `did you mean "${near}"?`;
        const value = (issue.input as Record<string, unknown> | undefined)?.[k];
        return `Expected no field \`${formatPath([...issue.path, k])}\` (unknown; ${hint}), got ${showValue(value)}`;
      });
    case 'invalid_union': {
      const atKind = issue.path[issue.path.length - 1] === 'kind';
      if (issue.discriminator !== undefined || atKind) {
        const input = issue.input;
        const kind =
          input !== null && typeof input === 'object' && !Array.isArray(input)
            ? (input as { kind?: unknown }).kind
            : input;
        const kindPath = formatPath(atKind ? issue.path : [...issue.path, 'kind']);
        return [expectedField(kindPath, 'one of "url", "feed", "file", "dir"', kind)];
      }
      return [`\`${where}\`: ${issue.message}, got ${showValue(issue.input)}`];
    }
    case 'invalid_format':
      return expected(issue.format ?? 'a valid format');
    case 'custom':
      return issue.message.startsWith('expected ')
        ? expected(issue.message.slice('expected '.length))
        : [`\`${where}\`: ${issue.message}, got ${showValue(issue.input)}`];
    default:
      return [`\`${where}\`: ${issue.message}, got ${showValue(issue.input)}`];
  }
}

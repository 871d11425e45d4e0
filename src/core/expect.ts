/**
 * One way to say that an option or an input is wrong, in p-queue's words: "Expected `maxBufferedBytes` to be an
 * integer from 1024 to 1073741824, got `12.5` (number)": the name, what it must be (with its range) and the value
 * received. `showValue` is the one printer of received values (also for the config file's and the export file's
 * field lists); the checks below throw a `WirediffError` with that message.
 */
import { WirediffError, type ErrorCode } from './errors.js';

/** Characters of a string shown before it is cut with "…". */
const SHOWN_CHARS = 60;

/**
 * A received value as an error message shows it: a number, boolean or string between backticks with its type
 * (`` `12.5` (number) ``, `` `8080` (string) ``; a long string cut, control characters escaped), else what it is
 * (`undefined`, `null`, `an array of 3`, `an object`, `a function`).
 */
export function showValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const cut = value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
      // eslint-disable-next-line no-control-regex
      const text = cut.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
      return `\`${text}\` (string)`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return `\`${String(value)}\` (${typeof value})`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      if (value instanceof Uint8Array) return `a byte array of ${value.length}`;
      return 'an object';
  }
}

/** Where a check is made and which code its error carries (default `E_USAGE`: a wrong argument or option). */
export interface CheckContext {
  /** Names the function or command checking, before the message (`openFileStore: Expected …`). */
  readonly where?: string;
  readonly code?: ErrorCode;
}

/** "Expected `name` to be WHAT, got VALUE", after `where: ` when given. */
export function expectedMessage(name: string, what: string, value: unknown, where?: string): string {
  return `${where !== undefined ? `${where}: ` : ''}Expected \`${name}\` to be ${what}, got ${showValue(value)}`;
}

/** The error for a value that is not `what` (see `expectedMessage`). */
export function expectationError(name: string, what: string, value: unknown, ctx: CheckContext = {}): WirediffError {
  return new WirediffError(ctx.code ?? 'E_USAGE', expectedMessage(name, what, value, ctx.where));
}

/** An integer from `min` to `max` (both included); `fallback` when the value is undefined and a fallback is given. */
export function checkInt(
  name: string,
  value: unknown,
  min: number,
  max: number,
  ctx: CheckContext & { readonly fallback?: number } = {},
): number {
  if (value === undefined && ctx.fallback !== undefined) return ctx.fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw expectationError(name, `an integer from ${min} to ${max}`, value, ctx);
  }
  return value;
}

/** A finite number. */
export function checkFinite(name: string, value: unknown, ctx: CheckContext = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw expectationError(name, 'a finite number', value, ctx);
  return value;
}

/** A string of `minLength` to `maxLength` characters (default: any string). */
export function checkString(
  name: string,
  value: unknown,
  ctx: CheckContext & { readonly minLength?: number; readonly maxLength?: number; readonly what?: string } = {},
): string {
  const min = ctx.minLength ?? 0;
  const max = ctx.maxLength ?? Infinity;
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    const what =
      ctx.what ??
      (min === 0 && max === Infinity
        ? 'a string'
        : `a ${min > 0 ? 'non-empty ' : ''}string${max < Infinity ? ` of at most ${max} characters` : ''}`);
    throw expectationError(name, what, value, ctx);
  }
  return value;
}

/** A boolean. */
export function checkBoolean(name: string, value: unknown, ctx: CheckContext = {}): boolean {
  if (typeof value !== 'boolean') throw expectationError(name, 'true or false', value, ctx);
  return value;
}

/** A plain object (not null, not an array); also null when `nullable`. */
export function checkObject(
  name: string,
  value: unknown,
  ctx: CheckContext & { readonly nullable?: boolean; readonly what?: string } = {},
): object | null {
  if (value === null && ctx.nullable === true) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw expectationError(name, ctx.what ?? `an object${ctx.nullable === true ? ' or null' : ''}`, value, ctx);
  }
  return value;
}

/**
 * A field of a document (the config file, a line of an export): "Expected `sources[2].schedule` to be WHAT, got
 * VALUE"; for a field that is not there, "Expected `sources[0].path` to be a string, but it is missing".
 */
export function expectedField(path: string, what: string, value: unknown): string {
  const got = value === undefined ? 'but it is missing' : `got ${showValue(value)}`;
  return `Expected \`${path}\` to be ${what}, ${got}`;
}

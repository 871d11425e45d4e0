/** The one printer of received values and the option checks: p-queue's "Expected `x` to be …, got …" wording. */
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { checkBoolean, checkFinite, checkInt, checkObject, checkString, showValue } from '../../src/core/expect.js';
import {
  checkInt as checkPublishInt,
  checkOrigins,
  checkString as checkPublishString,
} from '../../src/publish/options.js';

function thrown(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (err) {
    if (!isWirediffError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('expected a throw');
}

describe('showValue', () => {
  it.each([
    [12.5, '`12.5` (number)'],
    ['8080', '`8080` (string)'],
    ['', '`` (string)'],
    ['a\nb', '`a\\nb` (string)'],
    ['x'.repeat(70), `\`${'x'.repeat(60)}…\` (string)`],
    [true, '`true` (boolean)'],
    [10n, '`10` (bigint)'],
    [undefined, 'undefined'],
    [null, 'null'],
    [[1, 2, 3], 'an array of 3'],
    [new Uint8Array(4), 'a byte array of 4'],
    [{ a: 1 }, 'an object'],
    [() => 1, 'a function'],
  ])('shows %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });
});

describe('the checks', () => {
  it('name the option, the range and the value, in p-queue words', () => {
    expect(thrown(() => checkInt('maxBufferedBytes', 12.5, 1024, 1073741824, { code: 'E_CONFIG' }))).toEqual({
      code: 'E_CONFIG',
      message: 'Expected `maxBufferedBytes` to be an integer from 1024 to 1073741824, got `12.5` (number)',
    });
    expect(thrown(() => checkInt('n', 0, 1, 5, { where: 'SnapshotStore.recordVariant' }))).toEqual({
      code: 'E_USAGE',
      message: 'SnapshotStore.recordVariant: Expected `n` to be an integer from 1 to 5, got `0` (number)',
    });
    expect(thrown(() => checkInt('n', '3', 1, 5)).message).toBe(
      'Expected `n` to be an integer from 1 to 5, got `3` (string)',
    );
    expect(thrown(() => checkInt('n', 6, 1, 5)).message).toMatch(/from 1 to 5, got `6` \(number\)$/);
    expect(thrown(() => checkFinite('significance', NaN)).message).toBe(
      'Expected `significance` to be a finite number, got `NaN` (number)',
    );
    expect(thrown(() => checkString('dir', '', { minLength: 1 })).message).toBe(
      'Expected `dir` to be a non-empty string, got `` (string)',
    );
    expect(thrown(() => checkBoolean('readOnly', 'yes')).message).toBe(
      'Expected `readOnly` to be true or false, got `yes` (string)',
    );
    expect(thrown(() => checkObject('options', [])).message).toBe(
      'Expected `options` to be an object, got an array of 0',
    );
    expect(thrown(() => checkObject('changes', 3, { nullable: true })).message).toBe(
      'Expected `changes` to be an object or null, got `3` (number)',
    );
  });

  it('let good values through, and fall back only for undefined', () => {
    expect(checkInt('n', 5, 1, 5)).toBe(5);
    expect(checkInt('n', undefined, 1, 5, { fallback: 2 })).toBe(2);
    expect(thrown(() => checkInt('n', null, 1, 5, { fallback: 2 })).message).toMatch(/got null$/);
    expect(thrown(() => checkInt('n', undefined, 1, 5)).message).toMatch(/got undefined$/);
    expect(checkObject('changes', null, { nullable: true })).toBeNull();
    expect(checkString('s', 'x', { minLength: 1, maxLength: 1 })).toBe('x');
  });

  it("the publishers' option checks say it the same way, as E_CONFIG", () => {
    expect(thrown(() => checkPublishInt('feedItems', 0, 50, 1, 10_000))).toEqual({
      code: 'E_CONFIG',
      message: 'Expected `feedItems` to be an integer from 1 to 10000, got `0` (number)',
    });
    expect(checkPublishInt('feedItems', undefined, 50, 1, 10_000)).toBe(50);
    expect(thrown(() => checkPublishString('title', undefined)).message).toBe(
      'Expected `title` to be a non-empty string of at most 4096 characters, got undefined',
    );
    expect(thrown(() => checkOrigins('allowedOrigins', ['https://a.test', 'https://b.test/x'])).message).toBe(
      'Expected `allowedOrigins[1]` to be an origin like "https://example.org" (no path), got `https://b.test/x` (string)',
    );
  });
});

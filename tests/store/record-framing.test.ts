import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { checkRecordAt, encodeRecord, RECORD_HEADER_BYTES } from '../../src/store/file/record-framing.js';
import { newRecoveryReport, scanLog } from '../../src/store/file/recovery.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('wirediff-framing-'));
});
afterAll(async () => {
  await cleanup();
});

async function scan(path: string, readOnly = false): Promise<{ payloads: string[]; end: number; cut: number }> {
  const payloads: string[] = [];
  const report = newRecoveryReport();
  const end = await scanLog(path, (p) => payloads.push(p.toString('utf8')), report, readOnly);
  return { payloads, end, cut: report.truncatedLogBytes };
}

describe('record framing', () => {
  it('checks magic, length and checksum', () => {
    const rec = encodeRecord(Buffer.from('{"a":1}'));
    expect(checkRecordAt(rec, 0)).toEqual({ kind: 'ok', payloadStart: 12, payloadLength: 7, end: 19 });
    expect(checkRecordAt(rec.subarray(0, 18), 0).kind).toBe('short');
    expect(checkRecordAt(rec.subarray(0, 3), 0).kind).toBe('short');
    const flipped = Buffer.from(rec);
    flipped[15]! ^= 1;
    expect(checkRecordAt(flipped, 0)).toEqual({ kind: 'bad', reason: 'checksum mismatch' });
    const badMagic = Buffer.from(rec);
    badMagic[0] = 0x58;
    expect(checkRecordAt(badMagic, 0).kind).toBe('bad');
    expect(() => encodeRecord(new Uint8Array(0))).toThrow(RangeError);
  });

  it('keeps exactly the whole records before any torn tail (cut or garbage), and truncates the rest', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ minLength: 1, maxLength: 300 }), { minLength: 0, maxLength: 12 }),
        fc.oneof(
          fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
          fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }) }),
          fc.record({ kind: fc.constant('zeros' as const), n: fc.integer({ min: 1, max: 5000 }) }),
          fc.constant({ kind: 'none' as const }),
        ),
        async (payloads, tear) => {
          const records = payloads.map((p) => encodeRecord(Buffer.from(p, 'utf8')));
          const whole = Buffer.concat(records);
          let file = whole;
          let keep = payloads.length;
          if (tear.kind === 'cut' && records.length > 0) {
            // Cut the last record somewhere strictly inside it.
            const last = records[records.length - 1]!;
            const cut = 1 + (tear.at % (last.length - 1));
            file = whole.subarray(0, whole.length - last.length + cut);
            keep = payloads.length - 1;
          } else if (tear.kind === 'garbage') {
            file = Buffer.concat([whole, Buffer.from(tear.bytes)]);
          } else if (tear.kind === 'zeros') {
            file = Buffer.concat([whole, Buffer.alloc(tear.n)]);
          }
          const path = join(dir, `log-${k++}`);
          await writeFile(path, file);
          const got = await scan(path);
          const keptBytes = records.slice(0, keep).reduce((s, r) => s + r.length, 0);
          expect(got.payloads).toEqual(payloads.slice(0, keep));
          expect(got.end).toBe(keptBytes);
          expect(got.cut).toBe(file.length - keptBytes);
          expect((await readFile(path)).length).toBe(keptBytes);
        },
      ),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('refuses damage in the middle (a valid record after a bad one), whatever the damaged byte', async () => {
    const payloads = ['{"id":1}', '{"id":2,"x":"' + 'y'.repeat(50) + '"}', '{"id":3}'];
    const whole = Buffer.concat(payloads.map((p) => encodeRecord(Buffer.from(p))));
    const secondStart = encodeRecord(Buffer.from(payloads[0]!)).length;
    const secondEnd = secondStart + RECORD_HEADER_BYTES + Buffer.byteLength(payloads[1]!);
    for (let at = secondStart; at < secondEnd; at += 7) {
      const damaged = Buffer.from(whole);
      damaged[at]! ^= 0x41;
      const path = join(dir, `mid-${at}`);
      await writeFile(path, damaged);
      const err = await scan(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isWirediffError(err, 'E_CORRUPT'), `damage at byte ${at}`).toBe(true);
      expect((await readFile(path)).equals(damaged)).toBe(true);
    }
  });
});

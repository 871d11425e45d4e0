/**
 * Renderers write op fields into markup (numbers into ids, texts escaped): a ChangeSet read back from storage or the
 * network is checked op by op first, so a corrupt one is a clear fault (`E_CORRUPT`), never broken or active markup.
 */
import { WirediffError } from '../errors.js';
import type { Op } from '../model/changeset.js';

function corrupt(k: number, op: unknown, what: string, value: unknown): never {
  const name = typeof op === 'object' && op !== null && 'op' in op ? String(op.op) : '?';
  throw new WirediffError(
    'E_CORRUPT',
    `ChangeSet op ${k} (${name}): ${what}, received ${JSON.stringify(value) ?? String(value)}`,
  );
}

/** The fields each op must have, by kind: `index` an integer ≥ 0, `str` a string, `strs` strings, `parts` word parts. */
const FIELDS: Readonly<
  Record<Op['op'], readonly (readonly [name: string, kind: 'index' | 'str' | 'strs' | 'parts'])[]>
> = {
  equal: [
    ['o', 'index'],
    ['n', 'index'],
    ['count', 'index'],
  ],
  insert: [
    ['n', 'index'],
    ['text', 'str'],
  ],
  delete: [
    ['o', 'index'],
    ['text', 'str'],
  ],
  edit: [
    ['o', 'index'],
    ['n', 'index'],
    ['old', 'str'],
    ['text', 'str'],
    ['parts', 'parts'],
  ],
  move: [
    ['o', 'index'],
    ['n', 'index'],
    ['text', 'str'],
    ['parts', 'parts'],
  ],
  'moved-out': [
    ['o', 'index'],
    ['n', 'index'],
    ['text', 'str'],
  ],
  split: [
    ['o', 'index'],
    ['n', 'index'],
    ['old', 'str'],
    ['texts', 'strs'],
  ],
  merge: [
    ['o', 'index'],
    ['n', 'index'],
    ['olds', 'strs'],
    ['text', 'str'],
  ],
};

function checkParts(k: number, op: Op, v: unknown): void {
  if (v === null) return;
  if (!Array.isArray(v)) corrupt(k, op, '"parts" must be an array or null', v);
  for (const p of v as unknown[]) {
    const part = p as { t?: unknown; v?: unknown } | null;
    if (
      part === null ||
      typeof part !== 'object' ||
      (part.t !== '=' && part.t !== '+' && part.t !== '-') ||
      typeof part.v !== 'string'
    ) {
      corrupt(k, op, '"parts" must hold {t: "="|"+"|"-", v: string}', p);
    }
  }
}

/** Checks op `k` of a ChangeSet; throws `E_CORRUPT` naming the op and the first bad field. */
export function checkOp(op: Op, k: number): void {
  const r = op as unknown as Record<string, unknown>;
  const fields = Object.hasOwn(FIELDS, op.op) ? FIELDS[op.op] : undefined;
  if (fields === undefined) corrupt(k, op, '"op" must be a known operation', (op as { op: unknown }).op);
  for (const [name, kind] of fields) {
    const v = r[name];
    switch (kind) {
      case 'index':
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
          corrupt(k, op, `"${name}" must be an integer ≥ 0`, v);
        break;
      case 'str':
        if (typeof v !== 'string') corrupt(k, op, `"${name}" must be a string`, v);
        break;
      case 'strs':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
          corrupt(k, op, `"${name}" must be an array of strings`, v);
        break;
      case 'parts':
        checkParts(k, op, v);
        break;
    }
  }
}

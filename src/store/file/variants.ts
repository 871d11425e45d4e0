/** The per-article variants-seen counters (`variants.json`): how often a known version was seen again, and when last. */
import { WirediffError } from '../../core/errors.js';
import { parseJsonDoc } from './json-doc.js';

export const VARIANTS_SCHEMA = 'wirediff.variants/1' as const;

export interface VariantsDoc {
  readonly schema: typeof VARIANTS_SCHEMA;
  readonly total: number;
  /** Keyed by version number. */
  readonly versions: Readonly<Record<string, { readonly count: number; readonly lastSeen: string }>>;
}

export function emptyVariants(): VariantsDoc {
  return { schema: VARIANTS_SCHEMA, total: 0, versions: {} };
}

export function addVariant(doc: VariantsDoc, n: number, at: string): VariantsDoc {
  const prev = doc.versions[String(n)];
  return {
    schema: VARIANTS_SCHEMA,
    total: doc.total + 1,
    versions: { ...doc.versions, [String(n)]: { count: (prev?.count ?? 0) + 1, lastSeen: at } },
  };
}

export function decodeVariants(bytes: Uint8Array, where: string): VariantsDoc {
  const d = parseJsonDoc(bytes, where) as Partial<VariantsDoc> | null;
  if (
    typeof d !== 'object' ||
    d === null ||
    d.schema !== VARIANTS_SCHEMA ||
    typeof d.total !== 'number' ||
    typeof d.versions !== 'object' ||
    d.versions === null
  ) {
    throw new WirediffError('E_CORRUPT', `${where}: expected a ${VARIANTS_SCHEMA} document`);
  }
  return d as VariantsDoc;
}

export function encodeVariants(doc: VariantsDoc): Buffer {
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

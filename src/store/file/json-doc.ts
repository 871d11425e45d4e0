/** Parsing the small JSON documents of the file store (version documents, variants counters). */
import { WirediffError } from '../../core/errors.js';

/** Parses `bytes` as UTF-8 JSON; `E_CORRUPT` naming `where` when they are not. */
export function parseJsonDoc(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: not valid JSON`, { cause });
  }
}

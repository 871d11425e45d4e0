/**
 * Decoding a fetched or read body to text, choosing the charset the way a browser does.
 *
 * Order (the WHATWG "encoding sniffing algorithm", via encoding-sniffer):
 *   1. a byte-order mark (UTF-8, UTF-16LE/BE) — always wins;
 *   2. the `charset` parameter of the Content-Type header;
 *   3. `<meta charset>` / `<meta http-equiv="Content-Type" content="…charset=…">` (or an XML declaration's
 *      `encoding`) in the first 1024 bytes;
 *   4. otherwise UTF-8 when the bytes are valid UTF-8, else windows-1252 (the web's legacy default).
 * Two deliberate departures, both for common server misconfigurations, both reported in `note`:
 *   - a header that says UTF-8 over bytes that are not valid UTF-8 is overruled by the meta tag, or by
 *     windows-1252 when there is none;
 *   - a header that names a single-byte legacy charset (iso-8859-1, windows-1252, koi8-r, …) over bytes that are
 *     valid UTF-8 with multi-byte sequences, in a document that declares UTF-8 or nothing, is overruled by UTF-8
 *     (real legacy text is practically never valid multi-byte UTF-8: `Ã©` pairs do not occur in news copy);
 *   - likewise a single-byte legacy label in the document (`<meta charset="iso-8859-1">`, an XML declaration) with
 *     no charset in the header, over valid multi-byte UTF-8, is overruled by UTF-8 (a template's stale meta tag:
 *     decoding by it stores "CafÃ©", and a page flipping between the right and the wrong tag would make false
 *     versions). Only a header and a document that both name the same legacy charset are believed over such bytes.
 * Otherwise the header charset wins over the meta tag, as in browsers.
 * Unknown labels are ignored with a note; decoding never throws.
 */
import { Sniffer } from 'encoding-sniffer/sniffer';
import iconv from 'iconv-lite';

export interface DecodedBody {
  text: string;
  /** The charset used, as a lower-case WHATWG encoding name (`utf-8`, `windows-1252`, `shift_jis`, …). */
  charset: string;
  /** Why the charset is not the obvious one (unknown label, overruled header, decoder fallback). */
  note?: string;
}

// encoding-sniffer's ResultType enum values (sniffer.d.ts): BOM, PASSED (transport layer), XML_PREFIX, META_TAG,
// XML_ENCODING, DEFAULT.
const RESULT_BOM = 0;
const RESULT_PASSED = 1;
const RESULT_META_TAG = 3;
const RESULT_XML_ENCODING = 4;
const RESULT_DEFAULT = 5;

/** WHATWG single-byte legacy encodings (the ones a mislabelled UTF-8 page would be decoded with). */
const SINGLE_BYTE = /^(windows-125\d|windows-874|iso-8859-\d+(-i)?|koi8-[ru]|ibm866|macintosh|x-mac-cyrillic)$/i;

/** True when `bytes` contain at least one multi-byte UTF-8 sequence (a lead byte 0xC2–0xF4). */
function hasMultibyte(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0xc2 && b <= 0xf4) return true;
  return false;
}

/** The `charset` parameter of a Content-Type value, unquoted, or undefined. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = /;\s*charset\s*=\s*("([^"]*)"|[^;\s]*)/i.exec(contentType);
  if (match === null) return undefined;
  const value = (match[2] ?? match[1] ?? '').trim();
  return value === '' ? undefined : value;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isKnownLabel(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

function sniff(bytes: Uint8Array, transportLabel: string | undefined): { encoding: string; result: number } {
  const sniffer = new Sniffer(transportLabel !== undefined ? { transportLayerEncodingLabel: transportLabel } : {});
  sniffer.write(bytes);
  return { encoding: sniffer.encoding, result: sniffer.resultType };
}

/** Decodes with iconv-lite, then the platform TextDecoder (ICU), then UTF-8; returns the charset actually used. */
function decodeWith(bytes: Uint8Array, encoding: string): { text: string; charset: string; note?: string } {
  const name = encoding.toLowerCase();
  if (iconv.encodingExists(name)) {
    return { text: iconv.decode(bytes, name), charset: name };
  }
  try {
    return { text: new TextDecoder(name).decode(bytes), charset: name };
  } catch {
    return {
      text: new TextDecoder('utf-8').decode(bytes),
      charset: 'utf-8',
      note: `no decoder for charset ${JSON.stringify(encoding)}: decoded as utf-8`,
    };
  }
}

/** Chooses the charset of `bytes` (see the file comment) and decodes them. Never throws. */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const headerLabel = charsetFromContentType(contentType);
  const notes: string[] = [];

  let { encoding, result } = sniff(bytes, headerLabel);
  if (headerLabel !== undefined && !isKnownLabel(headerLabel)) {
    notes.push(`unknown charset ${JSON.stringify(headerLabel)} in Content-Type ignored`);
  }
  if (result !== RESULT_BOM && headerLabel !== undefined && encoding === 'UTF-8' && !isValidUtf8(bytes)) {
    // The header says UTF-8 but the bytes are not: believe the document (meta tag) or the legacy default.
    const fromDocument = sniff(bytes, undefined);
    encoding = fromDocument.encoding;
    result = fromDocument.result;
    if (result !== RESULT_DEFAULT && encoding === 'UTF-8') encoding = 'windows-1252';
    notes.push(
      `Content-Type says ${JSON.stringify(headerLabel)} but the body is not valid UTF-8: decoded as ${encoding.toLowerCase()}`,
    );
  }
  if (result === RESULT_PASSED && SINGLE_BYTE.test(encoding) && hasMultibyte(bytes) && isValidUtf8(bytes)) {
    const fromDocument = sniff(bytes, undefined);
    if (fromDocument.result === RESULT_DEFAULT || fromDocument.encoding === 'UTF-8') {
      notes.push(`Content-Type says ${JSON.stringify(headerLabel)} but the body is valid UTF-8: decoded as utf-8`);
      encoding = 'UTF-8';
    }
  }
  if (
    (result === RESULT_META_TAG || result === RESULT_XML_ENCODING) &&
    SINGLE_BYTE.test(encoding) &&
    hasMultibyte(bytes) &&
    isValidUtf8(bytes)
  ) {
    // No charset in the header, a legacy label in the document, UTF-8 bytes: a template's stale meta tag.
    notes.push(
      `the document says ${JSON.stringify(encoding.toLowerCase())} but the body is valid UTF-8: decoded as utf-8`,
    );
    encoding = 'UTF-8';
  }
  if (result === RESULT_DEFAULT) {
    encoding = isValidUtf8(bytes) ? 'UTF-8' : 'windows-1252';
  }

  const decoded = decodeWith(bytes, encoding);
  if (decoded.note !== undefined) notes.push(decoded.note);
  return {
    text: decoded.text,
    charset: decoded.charset,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/**
 * The opaque `cursor` of keyset pages: the sort-key values of the last row a page
 * held (list-query.ts SortValues), as base64url JSON. Clients store it and send
 * it back; they never build one. A value that does not decode to such a list is a
 * 400 naming the parameter (whether it fits the list's sort is checked where the
 * query is compiled, db/query.ts compileAfter).
 */
import { invalidField } from '../errors';
import type { SortValues } from '../list-query';

const MAX_CURSOR_LENGTH = 2000;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeCursor(values: SortValues): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(values)));
}

/** The sort-key values a cursor holds; 400 (query.cursor) for anything that is not one. */
export function decodeCursor(raw: string): SortValues {
  const fail = () => invalidField('query.cursor', 'is not a cursor of this list (send back the one a Link header gave)', raw.slice(0, 100));
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH) throw fail();
  const bytes = fromBase64Url(raw);
  if (!bytes) throw fail();
  let values: unknown;
  try {
    values = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw fail();
  }
  const valid =
    Array.isArray(values) &&
    values.length > 0 &&
    values.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
  if (!valid) throw fail();
  return values as SortValues;
}

/**
 * JSON Patch (RFC 6902) against an object's public JSON form, by fast-json-patch.
 * After applying, read-only fields must be unchanged and no unknown field may
 * appear; the caller then validates the whole result again.
 */
import { z } from '@hono/zod-openapi';
import { applyPatch, JsonPatchError, type Operation } from 'fast-json-patch/index.mjs';
import { describeErrors, type FieldError, invalid } from '../errors';

/** What fast-json-patch refuses to walk into (prototype pollution); no Tenor object has such a field. */
const PROTOTYPE_PATH = /(^|\/)(__proto__|constructor\/prototype)(\/|$)/;

const pointer = z
  .string()
  .regex(/^(\/([^~]|~[01])*)*$/, 'must be a JSON Pointer')
  .max(1000)
  .refine((path) => !PROTOTYPE_PATH.test(path), { message: 'must not lead into __proto__ or constructor/prototype' });

const PatchOperationSchema = z
  .discriminatedUnion('op', [
    z.object({ op: z.literal('add'), path: pointer, value: z.unknown() }).strict(),
    z.object({ op: z.literal('remove'), path: pointer }).strict(),
    z.object({ op: z.literal('replace'), path: pointer, value: z.unknown() }).strict(),
    z.object({ op: z.literal('move'), path: pointer, from: pointer }).strict(),
    z.object({ op: z.literal('copy'), path: pointer, from: pointer }).strict(),
    z.object({ op: z.literal('test'), path: pointer, value: z.unknown() }).strict(),
  ])
  .openapi('JsonPatchOperation', { example: { op: 'replace', path: '/name', value: 'New name' } });

export const PatchDocumentSchema = z.array(PatchOperationSchema).min(1).max(100).openapi('JsonPatch');

export type PatchOperation = z.infer<typeof PatchOperationSchema>;

export const JSON_PATCH_MEDIA_TYPE = 'application/json-patch+json';

/** Applies the operations to a copy of `document`; a failing op is a 400 naming its index and path. */
export function applyJsonPatch<T extends object>(document: T, operations: PatchOperation[]): Record<string, unknown> {
  let result: unknown;
  try {
    result = applyPatch(structuredClone(document), operations as Operation[], true, true, true).newDocument;
  } catch (error) {
    if (error instanceof JsonPatchError) {
      const index = error.index ?? 0;
      const op = operations[index];
      const path = op?.path ?? '';
      const message =
        error.name === 'TEST_OPERATION_FAILED'
          ? 'test failed: the value differs'
          : error.name === 'OPERATION_PATH_UNRESOLVABLE' || error.name === 'OPERATION_FROM_UNRESOLVABLE'
            ? 'does not exist'
            : error.message.split('\n')[0]!;
      throw invalid(`Patch operation ${index} (${op?.op ?? '?'} ${path}) failed: ${message}`, [{ path, message }]);
    }
    // anything else the library throws is about the operations it was given, never a fault of Tenor
    throw invalid('The patch cannot be applied to this object');
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw invalid('The patch must leave an object');
  }
  return result as Record<string, unknown>;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Checks the patched document against the original: read-only fields unchanged,
 * no field added that the resource does not have. Returns the names of changed fields.
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  readOnly: ReadonlySet<string>,
  resource: string,
): Set<string> {
  const errors: FieldError[] = [];
  const changed = new Set<string>();
  for (const key of Object.keys(after)) {
    if (!(key in before)) errors.push({ path: `/${key}`, message: `is not a field of ${resource}` });
  }
  for (const key of Object.keys(before)) {
    if (same(before[key], after[key])) continue;
    if (readOnly.has(key)) errors.push({ path: `/${key}`, message: 'is read-only' });
    else changed.add(key);
  }
  if (errors.length) throw invalid(describeErrors(errors), errors);
  return changed;
}

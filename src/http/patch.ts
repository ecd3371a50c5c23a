/**
 * JSON Patch (RFC 6902) against an object's public JSON form, by fast-json-patch.
 * After applying, read-only fields must be unchanged and no unknown field may
 * appear; the caller then validates the whole result again.
 */
import { z } from '@hono/zod-openapi';
import { applyOperation, JsonPatchError, type Operation } from 'fast-json-patch/index.mjs';
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

function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** True when `key` names an element of an array or an own member of an object (never what it inherits). */
function hasOwn(container: unknown, key: string): boolean {
  if (Array.isArray(container)) return /^(0|[1-9]\d*)$/.test(key) && Number(key) < container.length;
  return typeof container === 'object' && container !== null && Object.hasOwn(container, key);
}

/**
 * Why a pointer of an operation cannot be used on `document`, or null. Only the
 * object's fields (`fields`) are reachable, and only its own members below them:
 * a plain object inherits toString, constructor and the like, which the patch
 * library would otherwise read, replace or remove as if they were fields.
 * `mayCreate`: the last segment may name a member not there yet (add, or a move's
 * or copy's target).
 */
function pointerProblem(document: unknown, pointer: string, mayCreate: boolean, fields: ReadonlySet<string>, resource: string): string | null {
  const segments = segmentsOf(pointer);
  if (segments.length === 0) return null;
  if (!fields.has(segments[0]!)) return `is not a field of ${resource}`;
  let at: unknown = document;
  for (const [i, key] of segments.entries()) {
    if (mayCreate && i === segments.length - 1) {
      // the library checks array positions; a new member of an object may not shadow an inherited one
      if (Array.isArray(at)) return null;
      if (typeof at !== 'object' || at === null) return 'does not exist';
      return Object.hasOwn(at, key) || !(key in at) ? null : 'is not a member that can be set';
    }
    if (!hasOwn(at, key)) return 'does not exist';
    at = (at as Record<string, unknown>)[key];
  }
  return null;
}

/**
 * Applies the operations to a copy of `document`; a failing op is a 400 naming its
 * index and path. `fields` are the object's fields: a path outside them is a 400.
 */
export function applyJsonPatch<T extends object>(
  document: T,
  operations: PatchOperation[],
  fields: ReadonlySet<string> = new Set(Object.keys(document)),
  resource = 'this object',
): Record<string, unknown> {
  let result: unknown = structuredClone(document);
  for (const [index, op] of operations.entries()) {
    const checks: Array<[string, boolean]> = [[op.path, op.op === 'add' || op.op === 'move' || op.op === 'copy']];
    if (op.op === 'move' || op.op === 'copy') checks.push([op.from, false]);
    for (const [pointer, mayCreate] of checks) {
      const message = pointerProblem(result, pointer, mayCreate, fields, resource);
      if (message) throw invalid(`Patch operation ${index} (${op.op} ${op.path}): ${pointer} ${message}`, [{ path: pointer, message }]);
    }
    try {
      result = applyOperation(result, op as Operation, true, true, true, index).newDocument;
    } catch (error) {
      if (error instanceof JsonPatchError) {
        const path = op.path;
        const message =
          error.name === 'TEST_OPERATION_FAILED'
            ? 'test failed: the value differs'
            : error.name === 'OPERATION_PATH_UNRESOLVABLE' || error.name === 'OPERATION_FROM_UNRESOLVABLE'
              ? 'does not exist'
              : error.message.split('\n')[0]!;
        throw invalid(`Patch operation ${index} (${op.op} ${path}) failed: ${message}`, [{ path, message }]);
      }
      // anything else the library throws is about the operations it was given, never a fault of Tenor
      throw invalid('The patch cannot be applied to this object');
    }
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
    if (!Object.hasOwn(before, key)) errors.push({ path: `/${key}`, message: `is not a field of ${resource}` });
  }
  for (const key of Object.keys(before)) {
    if (same(before[key], after[key])) continue;
    if (readOnly.has(key)) errors.push({ path: `/${key}`, message: 'is read-only' });
    else changed.add(key);
  }
  if (errors.length) throw invalid(describeErrors(errors), errors);
  return changed;
}

/**
 * The errors any layer may raise: a kind, a detail, and the fields at fault. No
 * HTTP here: the HTTP edge (http/problem.ts) maps each kind to a status and
 * renders problem+json; a job records the detail in its run report.
 */

export interface FieldError {
  path: string;
  message: string;
  value?: unknown;
}

export const ERROR_KINDS = [
  'validation',
  'unauthorized',
  'forbidden',
  'not-found',
  'method-not-allowed',
  'not-acceptable',
  'conflict',
  'precondition-failed',
  'payload-too-large',
  'unsupported-media-type',
  'business-rule',
  'too-many-requests',
  'unavailable',
  'misconfigured',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export class TenorError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** extra members of the problem body (e.g. the counts of what still references an object) */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'TenorError';
  }
}

export const invalid = (detail: string, errors?: FieldError[]) => new TenorError('validation', detail, errors);
/** The detail of several field errors: each path with its message. */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path} ${e.message}`).join('; ') || 'Invalid request';
}
/** A single invalid field, named by its path (`query.pageSize`, `body.startDate`, `/endDate`). */
export const invalidField = (path: string, message: string, value?: unknown) =>
  new TenorError('validation', `${path} ${message}`, [{ path, message, ...(value === undefined ? {} : { value }) }]);
/** A problem with one field: the detail names it (`/siteId: site 5 was not found`) and the error sits at its path. */
export const fieldProblem = (kind: ErrorKind, path: string, message: string) => new TenorError(kind, `${path}: ${message}`, [{ path, message }]);
export const notFound = (detail: string) => new TenorError('not-found', detail);
export const forbidden = (detail: string) => new TenorError('forbidden', detail);
export const conflict = (detail: string, extensions?: Record<string, unknown>) => new TenorError('conflict', detail, undefined, extensions);
export const businessRule = (detail: string, path?: string) =>
  new TenorError('business-rule', detail, path ? [{ path, message: detail }] : undefined);
export const preconditionFailed = (detail: string) => new TenorError('precondition-failed', detail);
export const unsupportedMediaType = (detail: string) => new TenorError('unsupported-media-type', detail);
export const notAcceptable = (detail: string) => new TenorError('not-acceptable', detail);

/**
 * The one error contract: RFC 9457 problem+json. Everything that fails throws an
 * ApiError (or something the error handler maps to one); status, type and title
 * come from one table so they cannot drift.
 */

export interface FieldError {
  path: string;
  message: string;
  value?: unknown;
}

const KINDS = {
  validation: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'business-rule': { status: 422, title: 'Business rule violated' },
  misconfigured: { status: 500, title: 'Server misconfigured' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemKind = keyof typeof KINDS;

const CLIENT_ERROR_KINDS = new Map<number, ProblemKind>(
  (Object.entries(KINDS) as Array<[ProblemKind, { status: number }]>).filter(([, k]) => k.status < 500).map(([kind, k]) => [k.status, kind]),
);

/** The kind of a 4xx status, for errors that arrive as a bare status (Hono's HTTPException); undefined for others. */
export function clientErrorKind(status: number): ProblemKind | undefined {
  return CLIENT_ERROR_KINDS.get(status);
}

const PROBLEM_TYPE_BASE = 'https://tenor.dev/errors/';

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = KINDS[kind].status;
    this.title = KINDS[kind].title;
  }
}

export const invalid = (detail: string, errors?: FieldError[]) => new ApiError('validation', detail, errors);
/** A single invalid field, named by its path (`query.pageSize`, `body.startDate`, `/endDate`). */
export const invalidField = (path: string, message: string, value?: unknown) =>
  new ApiError('validation', `${path} ${message}`, [{ path, message, ...(value === undefined ? {} : { value }) }]);
/** A problem with one field: the detail names it (`/siteId: site 5 was not found`) and the error sits at its path. */
export const fieldProblem = (kind: ProblemKind, path: string, message: string) => new ApiError(kind, `${path}: ${message}`, [{ path, message }]);
export const notFound = (detail: string) => new ApiError('not-found', detail);
export const forbidden = (detail: string) => new ApiError('forbidden', detail);
export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new ApiError('conflict', detail, undefined, undefined, extensions);
export const businessRule = (detail: string, path?: string) =>
  new ApiError('business-rule', detail, path ? [{ path, message: detail }] : undefined);
export const preconditionFailed = (detail: string) => new ApiError('precondition-failed', detail);
export const unsupportedMediaType = (detail: string) => new ApiError('unsupported-media-type', detail);

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

function problemBody(error: ApiError, instance: string, requestId: string): ProblemBody {
  return {
    type: PROBLEM_TYPE_BASE + error.kind,
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance,
    requestId,
    ...(error.errors?.length ? { errors: error.errors } : {}),
    ...error.extensions,
  };
}

export function problemResponse(error: ApiError, instance: string, requestId: string, head = false): Response {
  const headers = new Headers({ 'content-type': 'application/problem+json', 'x-request-id': requestId, ...error.headers });
  return new Response(head ? null : JSON.stringify(problemBody(error, instance, requestId)), { status: error.status, headers });
}

/**
 * The HTTP face of errors: RFC 9457 problem+json. Every layer throws a TenorError
 * (src/errors.ts); here alone a kind becomes a status and a title, from one table
 * so they cannot drift. HttpError adds the response headers a few HTTP-only
 * failures carry (WWW-Authenticate, Allow, Retry-After).
 */
import { type ErrorKind, type FieldError, TenorError } from '../errors';

const KINDS: Record<ErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'business-rule': { status: 422, title: 'Business rule violated' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
  misconfigured: { status: 500, title: 'Server misconfigured' },
  internal: { status: 500, title: 'Internal error' },
};

/** The HTTP status of an error kind. */
export function statusOf(kind: ErrorKind): number {
  return KINDS[kind].status;
}

const CLIENT_ERROR_KINDS = new Map<number, ErrorKind>(
  (Object.entries(KINDS) as Array<[ErrorKind, { status: number }]>).filter(([, k]) => k.status < 500).map(([kind, k]) => [k.status, kind]),
);

/** The kind of a 4xx status, for errors that arrive as a bare status (Hono's HTTPException); undefined for others. */
export function clientErrorKind(status: number): ErrorKind | undefined {
  return CLIENT_ERROR_KINDS.get(status);
}

const PROBLEM_TYPE_BASE = 'https://tenor.dev/errors/';

/** A failure of the HTTP exchange itself, with the headers its answer must carry. */
export class HttpError extends TenorError {
  constructor(
    kind: ErrorKind,
    detail: string,
    readonly headers: Record<string, string>,
  ) {
    super(kind, detail);
    this.name = 'HttpError';
  }
}

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

function problemBody(error: TenorError, instance: string, requestId: string): ProblemBody {
  const { status, title } = KINDS[error.kind];
  return {
    type: PROBLEM_TYPE_BASE + error.kind,
    title,
    status,
    detail: error.detail,
    instance,
    requestId,
    ...(error.errors?.length ? { errors: error.errors } : {}),
    ...error.extensions,
  };
}

export function problemResponse(error: TenorError, instance: string, requestId: string, head = false): Response {
  const headers = new Headers({ 'content-type': 'application/problem+json', 'x-request-id': requestId });
  if (error instanceof HttpError) for (const [name, value] of Object.entries(error.headers)) headers.set(name, value);
  return new Response(head ? null : JSON.stringify(problemBody(error, instance, requestId)), { status: statusOf(error.kind), headers });
}

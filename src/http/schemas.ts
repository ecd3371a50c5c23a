/**
 * Field types shared by every resource, so a date, an id, a name or an amount is
 * validated (and documented) the same way everywhere.
 */
import { z } from '@hono/zod-openapi';
import { API_DATE_RANGE, isApiDate, isIsoDate, isValidTimeZone, parseApiInstant, parseInstant } from '../domain/dates';
import { decimalPlaces, MAX_MAJOR } from '../domain/money';
import type { FieldProblem } from '../domain/pricing';
import { NAME_CHARACTERS } from './unicode-classes';

/** Letters, marks, digits and spaces of any script, and the punctuation Elevate allows in names. */
const NAME_PATTERN = new RegExp(`^[${NAME_CHARACTERS}%£@&#=':;\`’,|!_—–()\\\\/\\-+.?*]+$`, 'u');
const EXTERNAL_REF_PATTERN = /^[a-zA-Z0-9_.~@-]{1,100}$/;

export const entityId = (description?: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ example: 1, ...(description ? { description } : {}) });

/**
 * A string that must match `pattern`, documented with the pattern's source alone:
 * zod-to-openapi writes a regex's flags into the document (`^…$/u`, which matches
 * nothing). Give a Unicode pattern its `u` flag and spell categories with
 * ./unicode-classes rather than `\p{…}`, which validators outside JavaScript do not read.
 */
export function matching<S extends z.ZodString>(schema: S, pattern: RegExp, message: string): S {
  if (pattern.flags !== '' && pattern.flags !== 'u') throw new Error(`matching(): a pattern's flags other than u cannot be documented (${pattern})`);
  return schema.regex(pattern, message).openapi({ pattern: pattern.source }) as S;
}

export const name = (max = 100, example = 'Example name') =>
  matching(
    z.string().trim().min(1).max(max),
    NAME_PATTERN,
    'may contain letters, digits, spaces and the punctuation % £ @ & # = \' : ; ` ’ , | ! _ — – ( ) \\ / - + . ? *',
  ).openapi({ example });

export const text = (max: number, example?: string) =>
  z
    .string()
    .max(max)
    .openapi(example ? { example } : {});

/** A date the API accepts: a real calendar date in API_MIN_DATE … API_MAX_DATE (lifecycle.md, settled questions). */
export const isoDate = (example = '2026-01-01') =>
  z
    .string()
    .refine(isIsoDate, { message: 'must be a real calendar date (YYYY-MM-DD)', abort: true })
    .refine(isApiDate, { message: `must lie in ${API_DATE_RANGE}` })
    .openapi({ format: 'date', example });

export const instant = (example = '2026-11-21T09:30:00.000Z') =>
  z
    .string()
    .refine((v) => parseInstant(v) !== null, { message: 'must be an ISO-8601 instant with a time zone (e.g. 2026-11-21T09:30:00Z)', abort: true })
    .refine((v) => parseApiInstant(v) !== null, { message: `must lie in ${API_DATE_RANGE} (UTC)` })
    .openapi({ format: 'date-time', example });

/** A date (YYYY-MM-DD) or an ISO-8601 instant with a zone, for dialects that send date-times where Tenor keeps dates. */
export const dateOrInstant = (example = '2026-01-01') =>
  z
    .string()
    .max(64)
    .refine((v) => isIsoDate(v) || parseInstant(v) !== null, { message: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time with a time zone' })
    .openapi({ example, description: 'A date, or a date-time (its date in the contract owner’s time zone)' });

/** An amount in major units (or pence where a resource says so): at most `places` decimals. */
export const money = (example = 10.5, places = 6, min = -MAX_MAJOR) =>
  z
    .number()
    .min(min)
    .max(MAX_MAJOR)
    .refine((v) => decimalPlaces(v) <= places, { message: `must have at most ${places} decimal places` })
    .openapi({ example });

export const externalRef = () =>
  z.string().regex(EXTERNAL_REF_PATTERN, 'must match [a-zA-Z0-9_.~@-]{1,100}').openapi({ example: 'ACME-001' });

const CURRENCIES: ReadonlySet<string> | null = (() => {
  try {
    return new Set((Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'));
  } catch {
    return null;
  }
})();

export const currencyCode = () =>
  z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
    .refine((v) => !CURRENCIES || CURRENCIES.has(v), { message: 'is not an ISO 4217 currency' })
    .openapi({ example: 'GBP' });

export const timeZone = () =>
  z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone name' }).openapi({ example: 'Europe/London' });

export const email = () => z.email().max(254).openapi({ example: 'billing@example.com' });

export const auditFields = {
  createdDate: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:00.000Z', description: 'read-only' }),
  updatedDate: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:00.000Z', description: 'read-only' }),
  createdBy: z.string().nullable().openapi({ example: 'app-client:1', description: 'read-only: the token subject that created it' }),
  updatedBy: z.string().nullable().openapi({ example: 'app-client:1', description: 'read-only: the token subject that last changed it' }),
  version: z.number().int().openapi({ example: 1, description: 'read-only: change counter behind the ETag' }),
};

const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://tenor.dev/errors/validation' }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'query.pageSize must be between 1 and 1000' }),
    instance: z.string().openapi({ example: '/v1/customer-contracts' }),
    requestId: z.string().openapi({ example: '6f1c2a4e-0d7b-4a55-9a43-1c3f5b7e9d21' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), value: z.unknown().optional() }))
      .optional()
      .openapi({ example: [{ path: 'query.pageSize', message: 'must be between 1 and 1000', value: '5000' }] }),
  })
  .openapi('Problem');

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input',
  401: 'Missing or invalid token',
  403: 'Missing scope, or an owner outside the token',
  404: 'Not found, or not visible to this token',
  405: 'Method not allowed',
  406: 'The Accept header names no media type the operation can produce',
  409: 'Conflict: in use, duplicate, or a concurrent change',
  412: 'If-Match does not match the current ETag',
  413: 'Body larger than 1 MiB',
  415: 'Unsupported content type',
  422: 'A business rule was violated',
  429: 'Too many requests: retry after the seconds in Retry-After',
  500: 'A fault of Tenor itself (or a missing key configuration)',
};

const errorStatuses = (statuses: number[]) => [...new Set([400, 401, 403, 500, ...statuses])].sort();

export function errorResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> = {};
  for (const status of errorStatuses(statuses)) {
    out[status] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  return out;
}

/** The error responses of a HEAD: the status and `Content-Type: application/problem+json`, without the body. */
export function headErrorResponses(...statuses: number[]) {
  const out: Record<number, { description: string }> = {};
  for (const status of errorStatuses(statuses)) out[status] = { description: `${ERROR_DESCRIPTIONS[status] ?? 'Error'} (a problem without its body)` };
  return out;
}

/**
 * How an id is documented where the route reads it as text (path and query
 * parameters): as the integer it is, so clients send and type numbers. The route
 * still parses the text strictly (a 400 for anything but digits).
 */
export const ID_PARAMETER = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 1 } as const;

/** A path parameter holding an id (a positive integer). */
export const pathId = (name: string, description?: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,18}$/, 'must be a positive integer')
    .openapi({ param: { name, in: 'path' }, ...ID_PARAMETER, ...(description ? { description } : {}) });

export const IdParams = z.object({ id: pathId('id') });

/** A query parameter's type error: absent (required ones), or repeated (the validator then sees an array). */
const queryParamError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'may be given only once');

/** A required query parameter whose value the route parses itself (a list filter with its own grammar). */
export const requiredQueryText = (name: string, description: string) =>
  z.string({ error: queryParamError }).openapi({ param: { name, in: 'query' }, description });

/** A query parameter holding an id (a positive integer); required unless made `.optional()`. */
export const queryId = (name: string, description: string) =>
  z
    .string({ error: queryParamError })
    .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer id')
    .openapi({ param: { name, in: 'query' }, ...ID_PARAMETER, description });

/** A query parameter holding a date (YYYY-MM-DD); required unless made `.optional()`. */
export const queryDate = (name: string, description: string, example: string) =>
  z
    .string({ error: queryParamError })
    .refine(isIsoDate, { message: 'must be a real calendar date (YYYY-MM-DD)', abort: true })
    .refine(isApiDate, { message: `must lie in ${API_DATE_RANGE}` })
    .openapi({ param: { name, in: 'query' }, format: 'date', description, example });

/** The query of an operation that takes no parameters: any given is a 400, since a typo (`?dryRun=true`) must not pass unnoticed. */
export const NoQuery = z.object({}).strict();

/**
 * A request schema with a cheaper check in front of zod, for large bodies: a value
 * the check accepts is passed through as it is, anything else goes through the
 * schema, so every problem (and its field path) is still zod's. The check must
 * accept only values the schema accepts unchanged (a test holds the two together).
 * The route validators call `safeParseAsync`.
 */
export function withFastCheck<S extends z.ZodType>(schema: S, accepts: (value: unknown) => boolean): S {
  const parse = schema.safeParseAsync.bind(schema);
  (schema as { safeParseAsync: unknown }).safeParseAsync = async (value: unknown, params?: Parameters<S['safeParseAsync']>[1]) =>
    accepts(value) ? { success: true, data: value } : parse(value, params);
  return schema;
}

/**
 * Adds domain-rule problems (paths relative to the object) as zod issues, for
 * superRefine. Problems at one path become one issue, since a field is reported once.
 */
export function addProblems(ctx: z.core.$RefinementCtx, problems: readonly FieldProblem[]): void {
  const byPath = new Map<string, string[]>();
  for (const p of problems) byPath.set(p.path, [...(byPath.get(p.path) ?? []), p.message]);
  for (const [path, messages] of byPath) ctx.addIssue({ code: 'custom', path: path.split('/').filter(Boolean), message: messages.join('; ') });
}

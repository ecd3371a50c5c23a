/**
 * /openapi.json: the document @hono/zod-openapi generates from the routes' zod
 * schemas, completed with what app-wide behaviour adds to every operation and no
 * single route declares:
 *
 * - `Idempotency-Key` on every POST that takes a token (the idempotency
 *   middleware), with the answers it adds (409 while the first request runs, 422
 *   for another request under the key) and `Idempotent-Replayed` on a replay;
 * - HEAD for every GET that documents none: Hono answers HEAD with the GET
 *   handler and no body, so it is the GET's responses without their content
 *   (routes whose HEAD means something else, the lists' "does any match",
 *   register their own);
 * - every tag the operations use, defined at the top (with the description a
 *   dialect gave it through `describeTag`).
 *
 * The document is built once per app, on first use.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';

/** Any app (whatever its env): the document and the tags are kept per app. */
// biome-ignore lint: the env type does not matter here
type App = OpenAPIHono<any>;

/** The document as plain JSON. */
// biome-ignore lint: an OpenAPI document is untyped JSON here
type Json = any;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the POST safe to retry: the same key, caller, path and body within 24 h returns the first (successful) response again, with `Idempotent-Replayed: true`. The same key with another request is a 422; while the first request is still running, a 409. A refused request (4xx, 5xx) keeps nothing, so it may be corrected and sent again under the same key.',
  // no example: /docs would put it in every sample request, and a key copied twice replays the first answer
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]{1,255}$' },
};

const IDEMPOTENT_REPLAYED = {
  schema: { type: 'string', enum: ['true'] },
  description: 'Present on a response replayed for a repeated Idempotency-Key',
};

const IDEMPOTENCY_ERRORS: Record<string, string> = {
  '409': 'A request with this Idempotency-Key is still being processed',
  '422': 'This Idempotency-Key was already used with a different request',
};

const INFO = {
  title: 'Tenor API',
  version: '1.0.0',
  description:
    'Contract management and pricing for term contracts: contract profiles, customer contracts and their renewal, early termination charges, rate cards, inclusive bundles and rating. Errors are RFC 9457 problem+json; lists take the query grammar described on each parameter.',
};

const documents = new WeakMap<object, Json>();
const texts = new WeakMap<object, string>();
const tagDescriptions = new WeakMap<object, Map<string, string>>();

/** What a tag (a resource, a dialect) is, shown as its section's introduction in /docs. */
export function describeTag(app: App, name: string, description: string): void {
  let tags = tagDescriptions.get(app);
  if (!tags) tagDescriptions.set(app, (tags = new Map()));
  tags.set(name, description);
}

/** The app's OpenAPI 3.1 document (built on first call, then the same object). */
export function apiDocument(app: App): Json {
  let document = documents.get(app);
  if (!document) {
    document = completeDocument(
      // a copy: completing it must not touch objects the routes' definitions share
      structuredClone(app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: INFO,
        // relative: the API is where the document is, on the Worker and on Node alike
        servers: [{ url: '/', description: 'The server this document was read from' }],
      })),
      tagDescriptions.get(app),
    );
    documents.set(app, document);
  }
  return document;
}

/** The document as the JSON text GET /openapi.json answers (serialized once: it is about a megabyte). */
export function apiDocumentText(app: App): string {
  let text = texts.get(app);
  if (text === undefined) texts.set(app, (text = JSON.stringify(apiDocument(app))));
  return text;
}

/** Adds to a generated document what the app-wide middleware does for every operation (see above). */
export function completeDocument(document: Json, descriptions: ReadonlyMap<string, string> = new Map()): Json {
  const operationIds = new Set<string>();
  for (const item of Object.values<Json>(document.paths ?? {})) {
    for (const method of METHODS) if (item[method]?.operationId) operationIds.add(item[method].operationId);
  }
  const tags: string[] = [];
  for (const item of Object.values<Json>(document.paths ?? {})) {
    if (item.get && !item.head) item.head = headOf(item.get, operationIds);
    if (item.post && secured(item.post, document)) takesIdempotencyKey(item.post);
    for (const method of METHODS) for (const tag of item[method]?.tags ?? []) if (!tags.includes(tag)) tags.push(tag);
  }
  const defined = new Set((document.tags ?? []).map((t: { name: string }) => t.name));
  const described = (name: string) => (descriptions.has(name) ? { name, description: descriptions.get(name) } : { name });
  document.tags = [...(document.tags ?? []), ...tags.filter((t) => !defined.has(t)).map(described)];
  return document;
}

function secured(operation: Json, document: Json): boolean {
  const requirements: object[] = operation.security ?? document.security ?? [];
  return requirements.some((r) => Object.keys(r).length > 0);
}

/** A GET's HEAD: the same parameters and statuses, headers kept, no content. */
function headOf(get: Json, operationIds: Set<string>): Json {
  let operationId = `${get.operationId ?? 'operation'}Head`;
  for (let n = 2; operationIds.has(operationId); n++) operationId = `${get.operationId}Head${n}`;
  operationIds.add(operationId);
  const responses: Json = {};
  for (const [status, response] of Object.entries<Json>(get.responses ?? {})) {
    const { content: _content, ...rest } = response;
    responses[status] = { ...rest, description: `${response.description}${_content ? ' (without the body)' : ''}` };
  }
  return {
    ...get,
    operationId,
    summary: get.summary ? `${get.summary} (headers only)` : 'Headers only',
    description: 'The GET without its body: the same status and headers.',
    responses,
  };
}

function takesIdempotencyKey(operation: Json): void {
  const parameters: Json[] = (operation.parameters ??= []);
  if (!parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key')) parameters.push(IDEMPOTENCY_KEY);
  for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
    if (/^2/.test(status)) response.headers = { ...response.headers, 'Idempotent-Replayed': IDEMPOTENT_REPLAYED };
  }
  for (const [status, description] of Object.entries(IDEMPOTENCY_ERRORS)) operation.responses[status] ??= { description, content: PROBLEM };
}

/**
 * App clients (admin): service identities that exchange a client id and secret
 * for a 15-minute token at POST /v1/authenticate. The secret is shown once, in
 * the response that creates the client, and only its salted hash is stored.
 *
 * A client acts for a list of owners rather than one, so tenancy here is "the
 * client's owners are a subset of the caller's" instead of an owner column; a
 * caller can neither see nor hand out more than its own token holds.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { isValidScope } from '../../domain/scopes';
import { TenorError } from '../../errors';
import { signToken } from '../../http/auth';
import type { AppContext, AppEnv } from '../../http/middleware';
import { methodNotAllowed, outputSchema, registerResource } from '../../http/resource';
import { entityId, errorResponses, name, NoQuery } from '../../http/schemas';
import { type AppClientInput as AppClientFields, appClientService, authenticateClient } from '../../services/app-clients';

export const TOKEN_TTL_SECONDS = 15 * 60;

const ownerList = z
  .array(z.union([entityId(), z.literal('*')]))
  .min(1)
  .max(1000)
  .refine((owners) => !owners.includes('*') || owners.length === 1, { message: 'must be ["*"] or a list of owner ids' })
  .refine((owners) => new Set(owners).size === owners.length, { message: 'must not repeat an owner' })
  .openapi({ example: [1, 2], description: 'Contract owner ids the client acts for, or ["*"] for all' });

const scopeText = z
  .string()
  .max(500)
  .refine(isValidScope, { message: 'must be space-separated scopes: *, or <area>:read|write|* with area contracts, pricing, customers, webhooks or admin' })
  .openapi({ example: 'contracts:* customers:read', description: 'Space-separated scopes the client’s tokens carry' });

export const AppClientInput = z
  .object({
    name: name(100, 'Billing integration'),
    owners: ownerList,
    scope: scopeText,
  })
  .strict() satisfies z.ZodType<AppClientFields>;

export const AppClient = outputSchema(
  AppClientInput,
  { clientId: z.string().openapi({ example: 'q1C5m0bN3yJ8kq2Vd7XhZw', description: 'read-only: the id to authenticate with' }) },
  'AppClient',
);

const clientSecretField = z.string().openapi({
  example: 'f0Jc9M2r6y1Q8vB4pL7sK3dW5nH0tX2eZ9aG6uR1iYo',
  description: 'The secret to authenticate with. Shown only in this response: it is not stored and cannot be shown again.',
});

const AuthenticateRequest = z
  .object({
    clientId: z.string().min(1).max(200).openapi({ example: 'q1C5m0bN3yJ8kq2Vd7XhZw' }),
    clientSecret: z.string().min(1).max(200).openapi({ example: 'f0Jc9M2r6y1Q8vB4pL7sK3dW5nH0tX2eZ9aG6uR1iYo' }),
  })
  .strict()
  .openapi('AuthenticateRequest');

const AuthenticateResponse = z
  .object({
    token: z.string().openapi({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZSI6ImNvbnRyYWN0czoqIn0.c2lnbmF0dXJl' }),
    expiresIn: z.number().int().openapi({ example: TOKEN_TTL_SECONDS, description: 'Seconds until the token expires' }),
  })
  .openapi('AuthenticateResponse');

// a public route checks no scope or owner, so it never answers 403
const { 403: _never, ...authenticateErrors } = errorResponses(413, 415, 429);

const noSigningKey = () =>
  new TenorError('misconfigured', 'Tenor holds no signing key for client tokens: set JWT_SECRET or JWT_PRIVATE_KEY');

async function authenticate(c: AppContext) {
  const deps = c.var.deps;
  if (!deps.config.JWT_SECRET && !deps.config.JWT_PRIVATE_KEY) throw noSigningKey();
  const { clientId, clientSecret } = (c.req as unknown as { valid(t: 'json'): z.infer<typeof AuthenticateRequest> }).valid('json');
  const client = await authenticateClient(deps, clientId, clientSecret);
  const token = await signToken(
    deps.config,
    { sub: `app-client:${client.id}`, scope: client.scope, owners: client.owners, ttlSeconds: TOKEN_TTL_SECONDS, clientId },
    deps.clock(),
  );
  if (!token) throw noSigningKey();
  return c.json({ token, expiresIn: TOKEN_TTL_SECONDS }, 200, { 'cache-control': 'no-store' });
}

export function registerAppClients(app: OpenAPIHono<AppEnv>) {
  // responses may hold a secret: never cached, never kept for Idempotency-Key replay
  for (const path of ['/v1/app-clients', '/v1/app-clients/*', '/v1/authenticate']) {
    app.use(path, async (c, next) => {
      await next();
      c.res.headers.set('cache-control', 'no-store');
    });
  }

  registerResource(app, {
    path: '/v1/app-clients',
    tag: 'App clients',
    singular: 'app client',
    plural: 'app clients',
    area: 'admin',
    input: AppClientInput,
    output: AppClient,
    service: appClientService,
    revealOnCreate: { fields: { clientSecret: clientSecretField }, values: (row) => ({ clientSecret: row.clientSecret }) },
    createExample: { name: 'Billing integration', owners: [1], scope: 'contracts:* customers:read' },
    notes: {
      list: "Only clients whose owners all lie within the token's owners are visible (a client for all owners only to a token for all owners).",
      create:
        'The response is the only one that shows `clientSecret`; Tenor keeps only a salted hash. Owners and scopes beyond the token\'s are a 403. An Idempotency-Key is not replayed here, since that would mean storing the secret.',
      update: "Owners and scopes beyond the token's are a 403. The secret cannot be changed; create a new client to rotate it.",
    },
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/authenticate',
      tags: ['App clients'],
      operationId: 'authenticate',
      summary: 'Exchange client credentials for a token',
      description: `Public (no bearer token). Returns a token for the client's owners and scope that expires after ${TOKEN_TTL_SECONDS / 60} minutes. A wrong client id or secret is a 401, the same either way. Needs Tenor to hold a signing key (JWT_SECRET or JWT_PRIVATE_KEY; 500 otherwise).`,
      security: [],
      request: {
        query: NoQuery,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: AuthenticateRequest.openapi({
                example: { clientId: 'q1C5m0bN3yJ8kq2Vd7XhZw', clientSecret: 'f0Jc9M2r6y1Q8vB4pL7sK3dW5nH0tX2eZ9aG6uR1iYo' },
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'A signed bearer token', content: { 'application/json': { schema: AuthenticateResponse } } },
        ...authenticateErrors,
      },
    }),
    authenticate as never,
  );
  methodNotAllowed(app, '/v1/authenticate', ['POST']);
}

/**
 * `GET /v1/me`: who the token says the caller is — its subject, the owners and
 * scopes it may act with, and the app client it was issued to — so a client can
 * check its token without trying a route. Any valid token may ask; no scope needed.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext, AppEnv } from '../../http/middleware';
import { methodNotAllowed } from '../../http/resource';
import { errorResponses, NoQuery } from '../../http/schemas';

const Me = z
  .object({
    sub: z.string().openapi({ example: 'user-42', description: 'The caller (the token’s `sub`), recorded on writes and events' }),
    owners: z
      .array(z.union([z.number().int().min(1), z.literal('*')]))
      .openapi({ example: [1, 2], description: 'The contract owners the caller may act for, or `["*"]` for all' }),
    scopes: z.array(z.string()).openapi({ example: ['contracts:*', 'customers:read'], description: 'The token’s scopes (`<area>:read|write|*`, or `*`)' }),
    clientId: z
      .string()
      .nullable()
      .openapi({ example: null, description: 'The app client the token was issued to (`client_id` or `azp`), or null' }),
  })
  .openapi('Me');

function me(c: AppContext) {
  const principal = c.get('principal');
  return c.json(
    {
      sub: principal.sub,
      owners: principal.owners === '*' ? ['*' as const] : [...principal.owners],
      scopes: [...principal.scopes].sort(),
      clientId: principal.client ?? null,
    },
    200,
    { 'cache-control': 'private, no-cache' },
  );
}

export function registerMe(app: OpenAPIHono<AppEnv>) {
  const { 403: _never, ...errors } = errorResponses(429);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['Me'],
      operationId: 'getMe',
      summary: 'Who am I',
      description: 'The caller as the bearer token names it: subject, owners, scopes and app client. Needs a valid token and no scope.',
      security: [{ bearerAuth: [] }],
      request: { query: NoQuery },
      responses: {
        200: { description: 'The caller', content: { 'application/json': { schema: Me } } },
        ...errors,
      },
    }),
    me as never,
  );
  methodNotAllowed(app, '/v1/me', ['GET', 'HEAD']);
}

/** instellix debtors: `POST|GET /v2/debtors`, `GET /v2/debtors/{debtorIdent}` over customers addressed by externalRef. */
import { listJson } from '../../http/hygiene';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { pageHeaders } from '../../http/query';
import { LIST_HEADERS, methodNotAllowed } from '../../http/resource';
import { errorResponses, NoQuery } from '../../http/schemas';
import { createDebtor, debtorOutput, getDebtor, listDebtors } from '../../services/debtors';
import { DEBTOR_IDENT_PATTERN, Debtor, DebtorCreate, identParam, listQueryDocs, listQueryOf, TAG } from './schemas';

const DebtorParams = z.object({ debtorIdent: identParam('debtorIdent', DEBTOR_IDENT_PATTERN) });

export function registerDebtors(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v2/debtors',
      tags: [TAG],
      operationId: 'instellixCreateDebtor',
      summary: 'Create a debtor',
      description:
        'A debtor is a Tenor customer (`debtorId` is its id on /v1) whose external reference is the debtor ident, unique per contract owner (409). `contractOwnerId` may be left out when the token acts for exactly one owner. Accepts `Idempotency-Key`.',
      security: [{ bearerAuth: [] }],
      middleware: [scope('customers', 'write')],
      request: { query: NoQuery, body: { required: true, content: { 'application/json': { schema: DebtorCreate } } } },
      responses: {
        201: { description: 'The debtor', content: { 'application/json': { schema: Debtor } } },
        ...errorResponses(404, 409, 413, 415, 422),
      },
    }),
    (async (c: AppContext) => {
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof DebtorCreate> }).valid('json');
      return c.json(debtorOutput(await createDebtor(ctxOf(c), body)), 201);
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/debtors',
      tags: [TAG],
      operationId: 'instellixListDebtors',
      summary: 'List debtors',
      description: 'Customers of the token’s owners that have a debtor ident (an external reference), by id, as a bare array; `X-Total-Count` and `Link` in the headers (with `cursor`, keyset pages: only the `next` link).',
      security: [{ bearerAuth: [] }],
      middleware: [scope('customers', 'read')],
      request: { query: listQueryDocs() },
      responses: {
        200: { description: 'The debtors', headers: LIST_HEADERS, content: { 'application/json': { schema: z.array(Debtor) } } },
        ...errorResponses(),
      },
    }),
    (async (c: AppContext) => {
      const url = new URL(c.req.url);
      const query = listQueryOf(url);
      const page = await listDebtors(ctxOf(c), query);
      return listJson(c, page.rows.map(debtorOutput), pageHeaders(url, query, page));
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/debtors/{debtorIdent}',
      tags: [TAG],
      operationId: 'instellixGetDebtor',
      summary: 'Get a debtor',
      security: [{ bearerAuth: [] }],
      middleware: [scope('customers', 'read')],
      request: { params: DebtorParams, query: NoQuery },
      responses: {
        200: { description: 'The debtor', content: { 'application/json': { schema: Debtor } } },
        ...errorResponses(404, 409),
      },
    }),
    (async (c: AppContext) => c.json(debtorOutput(await getDebtor(ctxOf(c), c.req.param('debtorIdent')!)), 200)) as never,
  );

  methodNotAllowed(app, '/v2/debtors', ['GET', 'HEAD', 'POST']);
  methodNotAllowed(app, '/v2/debtors/{debtorIdent}', ['GET', 'HEAD']);
}

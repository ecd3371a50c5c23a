/** instellix plans: `POST|GET /v2/plans`, `GET|PUT /v2/plans/{planIdent}` over contract profiles and their options. */
import { listJson } from '../../http/hygiene';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { pageHeaders } from '../../http/query';
import { LIST_HEADERS, methodNotAllowed } from '../../http/resource';
import { errorResponses, NoQuery } from '../../http/schemas';
import { createPlan, getPlan, listPlans, type PlanInput, planOutput, updatePlan } from '../../services/plans';
import { identParam, listQueryDocs, listQueryOf, Plan, PlanCreate, PlanUpdate, TAG } from './schemas';

const PlanParams = z.object({ planIdent: identParam('planIdent') });

type Body = z.infer<typeof PlanCreate> | z.infer<typeof PlanUpdate>;

/** The body as the plan service takes it. */
function planInput(body: Body): PlanInput {
  return {
    ...body,
    options: body.options.map((o) => ({ optionIdent: o.optionIdent, rentalProductId: o.rentalProductId, name: o.name ?? null })),
  };
}

const RULES = [
  'A plan is a Tenor contract profile (its current version) plus options; `planId` is that profile’s id on /v1.',
  'A YEAR is 12 months; a notice period in MONTHs is held to 30 days each. `autoRenewal` makes contracts renew into the plan.',
].join(' ');

export function registerPlans(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v2/plans',
      tags: [TAG],
      operationId: 'instellixCreatePlan',
      summary: 'Create a plan',
      description: `${RULES} \`contractOwnerId\` may be left out when the token acts for exactly one owner. The plan ident is unique among the owner’s plans (409); option idents within the plan (400); each option’s rental product must be the owner’s (404/422). Accepts \`Idempotency-Key\`.`,
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'write')],
      request: { query: NoQuery, body: { required: true, content: { 'application/json': { schema: PlanCreate } } } },
      responses: {
        201: { description: 'The plan', content: { 'application/json': { schema: Plan } } },
        ...errorResponses(404, 409, 413, 415, 422),
      },
    }),
    (async (c: AppContext) => {
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof PlanCreate> }).valid('json');
      return c.json(planOutput(await createPlan(ctxOf(c), planInput(body))), 201);
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/plans',
      tags: [TAG],
      operationId: 'instellixListPlans',
      summary: 'List plans',
      description: 'The current version of every plan of the token’s owners, by id, as a bare array; `X-Total-Count` and `Link` in the headers (with `cursor`, keyset pages: only the `next` link).',
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'read')],
      request: { query: listQueryDocs() },
      responses: {
        200: { description: 'The plans', headers: LIST_HEADERS, content: { 'application/json': { schema: z.array(Plan) } } },
        ...errorResponses(),
      },
    }),
    (async (c: AppContext) => {
      const url = new URL(c.req.url);
      const query = listQueryOf(url);
      const page = await listPlans(ctxOf(c), query);
      return listJson(c, page.items.map(planOutput), pageHeaders(url, query, { ...page, rows: page.items }));
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/plans/{planIdent}',
      tags: [TAG],
      operationId: 'instellixGetPlan',
      summary: 'Get a plan',
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'read')],
      request: { params: PlanParams, query: NoQuery },
      responses: {
        200: { description: 'The plan', content: { 'application/json': { schema: Plan } } },
        ...errorResponses(404, 409),
      },
    }),
    (async (c: AppContext) => c.json(planOutput(await getPlan(ctxOf(c), c.req.param('planIdent')!)), 200)) as never,
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v2/plans/{planIdent}',
      tags: [TAG],
      operationId: 'instellixUpdatePlan',
      summary: 'Replace a plan',
      description: `${RULES} The body is the whole plan. A change of the contract term or the early termination charge makes a new version (as a /v1 profile PATCH does): contracts keep the version they were signed on, contracts renewing into the plan renew into the new one, and the ident and options follow it. A plan used by a contract may change only its name and properties besides (its notice period, auto-renewal and options are a 422). The owner and the ident cannot change (422).`,
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'write')],
      request: { params: PlanParams, query: NoQuery, body: { required: true, content: { 'application/json': { schema: PlanUpdate } } } },
      responses: {
        200: { description: 'The plan as it now is', content: { 'application/json': { schema: Plan } } },
        ...errorResponses(404, 409, 413, 415, 422),
      },
    }),
    (async (c: AppContext) => {
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof PlanUpdate> }).valid('json');
      return c.json(planOutput(await updatePlan(ctxOf(c), c.req.param('planIdent')!, planInput(body))), 200);
    }) as never,
  );

  methodNotAllowed(app, '/v2/plans', ['GET', 'HEAD', 'POST']);
  methodNotAllowed(app, '/v2/plans/{planIdent}', ['GET', 'HEAD', 'PUT']);
}

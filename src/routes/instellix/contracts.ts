/**
 * instellix contracts: `POST|GET /v2/contracts`, `GET /v2/contracts/{contractIdent}`
 * and the termination actions, single and bulk, over the contract service.
 */
import { listJson } from '../../http/hygiene';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodObject } from 'zod';
import { isIssue, referenceOf } from '../../domain/instellix';
import { describeErrors, invalid } from '../../errors';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { pageHeaders } from '../../http/query';
import { LIST_HEADERS, methodNotAllowed } from '../../http/resource';
import { errorResponses, NoQuery } from '../../http/schemas';
import {
  type ContractCreateInput,
  createContract,
  extraordinaryTermination,
  getContract,
  instellixContractQuery,
  listContracts,
  regularTermination,
  terminateContract,
  terminateContracts,
  terminationAdaptation,
} from '../../services/instellix-contracts';
import {
  BulkTerminateBody,
  BulkTerminateExtraordinarilyBody,
  Contract,
  ContractCreate,
  identParam,
  listQueryDocs,
  listQueryOf,
  TAG,
  TerminateBody,
  TerminateExtraordinarilyBody,
  TerminationAdaptationBody,
} from './schemas';

const ContractParams = z.object({ contractIdent: identParam('contractIdent') });

/** The body as the contract service takes it: the deprecated debtorId and planId become references (400 when neither way names one). */
export function contractInput(body: z.infer<typeof ContractCreate>): ContractCreateInput {
  const debtor = referenceOf(body.debtorIdent, body.debtorId, { ident: 'debtorIdent', id: 'debtorId' });
  const plan = referenceOf(body.planIdent, body.planId, { ident: 'planIdent', id: 'planId' });
  const issues = [debtor, plan].filter(isIssue);
  if (issues.length || isIssue(debtor) || isIssue(plan)) throw invalid(describeErrors(issues), issues);
  return {
    contractIdent: body.contractIdent,
    debtor,
    plan,
    date: body.date,
    startDate: body.startDate ?? null,
    billingStartDate: body.billingStartDate ?? null,
    optionQuantities: body.optionQuantities,
    couponCode: body.couponCode ?? null,
    priceAdaptation: priceAdaptationOf(body.contractPriceAdaptation),
    properties: body.properties ?? null,
    lineItems: body.lineItems ?? null,
    language: body.language,
  };
}

/** contractPriceAdaptation as a reference (400 when it names neither an ident nor an id). */
function priceAdaptationOf(value: z.infer<typeof ContractCreate>['contractPriceAdaptation']): ContractCreateInput['priceAdaptation'] {
  if (value == null) return null;
  const ref = referenceOf(value.ident, value.id, { ident: 'contractPriceAdaptation/ident', id: 'contractPriceAdaptation/id' });
  if (isIssue(ref)) throw invalid(describeErrors([ref]), [ref]);
  return ref;
}

const body = <T extends ZodObject>(schema: T, required: boolean) => ({ required, content: { 'application/json': { schema } } });
const valid = <T>(c: AppContext) => (c.req as unknown as { valid(t: 'json'): T }).valid('json');

const CREATE = [
  'Creates, in one transaction, the customer contract (its `contractIdent` is the contract’s external reference), a site of the debtor for it, one RPI per option of the plan with its quantity (1 for an option `optionQuantities` leaves out), their assignments to the contract, and — with `couponCode` — the rental discount plan of that code assigned to the site from the start date; or nothing, with the problem.',
  'The debtor and plan are named by ident, or by the deprecated `debtorId`/`planId` (Tenor’s customer and profile ids). Fields of instellix that Tenor does not model are accepted only as null; any other field is a 400 naming it.',
  '`contractPriceAdaptation` names a /v2/price-adaptations of the debtor’s owner by `ident` (its externalRef) or `id`: the contract’s priceAdaptationId, whose steps the lifecycle job applies to the options’ rental prices.',
  'Unknown debtor or plan: 404 naming the field; an option that is not the plan’s, or an unknown coupon: 422; a contract ident in use: 409. Accepts `Idempotency-Key`.',
].join(' ');

const ACTION_NOTE = 'Dates may be sent as dates or date-times (their date in the contract owner’s time zone). A contract that is already terminated: 409; one without a plan: 422.';

export function registerContracts(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v2/contracts',
      tags: [TAG],
      operationId: 'instellixCreateContract',
      summary: 'Create a contract',
      description: CREATE,
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'write')],
      request: { query: NoQuery, body: body(ContractCreate, true) },
      responses: {
        201: { description: 'The contract', content: { 'application/json': { schema: Contract } } },
        ...errorResponses(404, 409, 413, 415, 422),
      },
    }),
    (async (c: AppContext) => c.json(await createContract(ctxOf(c), contractInput(valid<z.infer<typeof ContractCreate>>(c))), 201)) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/contracts',
      tags: [TAG],
      operationId: 'instellixListContracts',
      summary: 'List contracts',
      description:
        'The current contract of every contract chain of the token’s owners that has an ident (renewals keep it), by id, as a bare array; `X-Total-Count` and `Link` in the headers (with `cursor`, keyset pages: only the `next` link).',
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'read')],
      request: { query: listQueryDocs(instellixContractQuery.filters) },
      responses: {
        200: { description: 'The contracts', headers: LIST_HEADERS, content: { 'application/json': { schema: z.array(Contract) } } },
        ...errorResponses(),
      },
    }),
    (async (c: AppContext) => {
      const url = new URL(c.req.url);
      const query = listQueryOf(url, instellixContractQuery.filters);
      const page = await listContracts(ctxOf(c), query);
      return listJson(c, page.items, pageHeaders(url, query, { ...page, rows: page.items }));
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/contracts/{contractIdent}',
      tags: [TAG],
      operationId: 'instellixGetContract',
      summary: 'Get a contract',
      description: 'The contract with its debtor, plan, options and quantities, status, dates, termination, properties and line items.',
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'read')],
      request: { params: ContractParams, query: NoQuery },
      responses: {
        200: { description: 'The contract', content: { 'application/json': { schema: Contract } } },
        ...errorResponses(404, 409),
      },
    }),
    (async (c: AppContext) => c.json(await getContract(ctxOf(c), c.req.param('contractIdent')!), 200)) as never,
  );

  const single = [
    {
      action: 'terminate',
      operationId: 'instellixTerminateContract',
      summary: 'Terminate a contract (regular)',
      description:
        'Regular termination by notice: the contract ends at the end of the current term if notice is given by its cut-off (term end − notice period), otherwise at the end of the next term (it renews once more, and the renewal ends then). A notice later than the next cut-off too: 409. No early termination charge.',
      schema: TerminateBody,
      plan: (b: z.infer<typeof TerminateBody>) => regularTermination(b),
    },
    {
      action: 'terminate-extraordinarily',
      operationId: 'instellixTerminateContractExtraordinarily',
      summary: 'Terminate a contract extraordinarily',
      description:
        'Ends the contract on `terminationDate` (default: the owner’s today), which must lie in the current term (422 otherwise); it does not renew, and the early termination charge of that date is charged, as for a /v1 early termination.',
      schema: TerminateExtraordinarilyBody,
      plan: (b: z.infer<typeof TerminateExtraordinarilyBody>) => extraordinaryTermination(b),
    },
    {
      action: 'termination-adaptation',
      operationId: 'instellixAdaptContractTermination',
      summary: 'Move a termination earlier',
      description:
        'Only for a terminated contract (409 otherwise), and only earlier (422 otherwise), within the current term. With `terminationDate` the contract ends on that date as an extraordinary termination (ETC charged); with only `noticeDate`, where a regular notice given that day ends it (no charge); with neither, on the owner’s today as an extraordinary termination.',
      schema: TerminationAdaptationBody,
      plan: (b: z.infer<typeof TerminationAdaptationBody>) => terminationAdaptation(b),
    },
  ] as const;

  for (const a of single) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v2/contracts/{contractIdent}/actions/${a.action}`,
        tags: [TAG],
        operationId: a.operationId,
        summary: a.summary,
        description: `${a.description} ${ACTION_NOTE} Answers with the contract as it now reads.`,
        security: [{ bearerAuth: [] }],
        middleware: [scope('contracts', 'write')],
        request: { params: ContractParams, query: NoQuery, body: body(a.schema, false) },
        responses: {
          200: { description: 'The contract', content: { 'application/json': { schema: Contract } } },
          ...errorResponses(404, 409, 413, 415, 422),
        },
      }),
      (async (c: AppContext) => {
        const input = valid<Record<string, unknown>>(c);
        return c.json(await terminateContract(ctxOf(c), c.req.param('contractIdent')!, a.plan(input as never)), 200);
      }) as never,
    );
    methodNotAllowed(app, `/v2/contracts/{contractIdent}/actions/${a.action}`, ['POST']);
  }

  const bulk = [
    {
      action: 'terminate',
      operationId: 'instellixTerminateContracts',
      summary: 'Terminate contracts (regular, bulk)',
      schema: BulkTerminateBody,
      plan: (b: z.infer<typeof BulkTerminateBody>) => regularTermination(b),
    },
    {
      action: 'terminate-extraordinarily',
      operationId: 'instellixTerminateContractsExtraordinarily',
      summary: 'Terminate contracts extraordinarily (bulk)',
      schema: BulkTerminateExtraordinarilyBody,
      plan: (b: z.infer<typeof BulkTerminateExtraordinarilyBody>) => extraordinaryTermination(b),
    },
  ] as const;

  for (const a of bulk) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v2/contracts/actions/${a.action}`,
        tags: [TAG],
        operationId: a.operationId,
        summary: a.summary,
        description: `The single action’s rules for each contract in \`idents\`, all or nothing: every contract is checked first and all are written in one transaction; any ident that fails fails the request, named as \`/idents/<i>\` (an ident listed twice: 400). ${ACTION_NOTE} Answers 204.`,
        security: [{ bearerAuth: [] }],
        middleware: [scope('contracts', 'write')],
        request: { query: NoQuery, body: body(a.schema, true) },
        responses: { 204: { description: 'Every contract was terminated' }, ...errorResponses(404, 409, 413, 415, 422) },
      }),
      (async (c: AppContext) => {
        const input = valid<{ idents: string[] }>(c);
        await terminateContracts(ctxOf(c), input.idents, a.plan(input as never));
        return c.body(null, 204);
      }) as never,
    );
    methodNotAllowed(app, `/v2/contracts/actions/${a.action}`, ['POST']);
  }

  methodNotAllowed(app, '/v2/contracts', ['GET', 'HEAD', 'POST']);
  methodNotAllowed(app, '/v2/contracts/{contractIdent}', ['GET', 'HEAD']);
}

/** /v1/customer-contracts: the Elevate contract-management dialect over the contract service. */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CONTRACT_STATUSES, MAX_NOTICE_PERIOD_DAYS } from '../../domain/terms';
import { notFound } from '../../errors';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { methodNotAllowed, outputSchema, parseId, registerResource } from '../../http/resource';
import { email, entityId, errorResponses, externalRef, IdParams, isoDate, money, name, NoQuery, text } from '../../http/schemas';
import { customerContractService, terminateByNotice } from '../../services/customer-contracts';

export const CustomerContractInput = z
  .object({
    name: name(100, 'Northwind – 24 month business fibre')
      .optional()
      .openapi({ description: 'Generated as "<customer name> – <profile name>" when absent' }),
    customerId: entityId('The customer signing the contract'),
    siteId: entityId('Limits the contract to one site of the customer; null = customer level').nullish(),
    contractProfileId: entityId(
      'The (current version of the) contract profile; null: a contract without one (as simPRO and instellix make them: no term, rollover or early termination charge; endDate given or open-ended). A profile cannot be removed once set',
    ).nullable(),
    startDate: isoDate('2026-01-01'),
    endDate: isoDate('2027-12-31')
      .optional()
      .openapi({ description: 'Computed from the profile term when absent (the day before the term anniversary)' }),
    billingStartDate: isoDate('2026-01-01').optional().openapi({ description: 'Defaults to startDate' }),
    rolloverContractProfileId: entityId('Profile the contract renews into; defaults to the profile’s; null = expires').nullish(),
    renewalAlertDays: z.number().int().min(0).max(28).optional().openapi({ description: 'Defaults to the profile’s', example: 28 }),
    noticePeriodDays: z.number().int().min(0).max(MAX_NOTICE_PERIOD_DAYS).optional().openapi({ description: 'Defaults to the profile’s', example: 30 }),
    contractNumber: text(50, 'C-2026-0001').nullish(),
    value: money(1200).nullish().openapi({ description: 'Contract value in major units' }),
    notes: text(4000).nullish(),
    email: email().nullish(),
    signedDate: isoDate('2025-12-15').nullish(),
    externalRef: externalRef().nullish().openapi({ description: 'Your reference; unique per contract owner' }),
    properties: z
      .record(z.string().min(1).max(100), z.string().max(1000))
      .refine((p) => Object.keys(p).length <= 50, { message: 'may hold at most 50 properties' })
      .nullish()
      .openapi({ description: 'A flat string → string map', example: { salesChannel: 'partner' } }),
    priceAdaptationId: entityId(
      'The price adaptation (/v2/price-adaptations) of the same owner that adapts the rental prices of the contract’s RPIs; renewals carry it over; null = none',
    ).nullish(),
  })
  .strict();

export const CustomerContract = outputSchema(
  CustomerContractInput,
  {
    contractOwnerId: entityId('read-only: the customer’s contract owner'),
    name: name(100, 'Northwind – 24 month business fibre'),
    contractProfileId: entityId().nullable(),
    previousCustomerContractId: entityId('read-only: the contract this one renewed').nullable(),
    renewedCustomerContractId: entityId('read-only: the contract that renewed this one').nullable(),
    status: z.enum(CONTRACT_STATUSES).openapi({ description: 'read-only, for the owner’s today', example: 'ACTIVE' }),
    terminationDate: isoDate().nullable().openapi({ description: 'read-only: set when ended early' }),
    earlyTerminationCharge: z.number().nullable().openapi({ description: 'read-only: the ETC charged when ended early', example: null }),
  },
  'CustomerContract',
);

export const TerminateByNoticeInput = z
  .object({
    noticeDate: isoDate('2025-10-15').openapi({ description: 'The day notice was given' }),
    reason: text(255, 'moving supplier').nullish(),
  })
  .strict()
  .openapi('TerminateByNotice');

export function registerCustomerContracts(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customer-contracts/{id}/terminate',
      tags: ['Customer contracts'],
      operationId: 'terminateCustomerContractByNotice',
      summary: 'Terminate a contract by notice (regular termination)',
      description:
        'Notice given on `noticeDate` ends the renewal chain at the first term end E with E − noticePeriodDays ≥ noticeDate: this contract’s end if the notice is in time (it then does not roll over), otherwise the end of the next term (the contract renews once more and the renewal ends there). A notice later than the next term’s cut-off too is a 409, as is a contract that is renewed or already terminated; a contract without a profile is a 422. No early termination charge is due. Answers with the contract; `terminationDate` is the day it ends.',
      security: [{ bearerAuth: [] }],
      middleware: [scope('contracts', 'write')],
      request: { params: IdParams, query: NoQuery, body: { required: true, content: { 'application/json': { schema: TerminateByNoticeInput } } } },
      responses: {
        200: { description: 'The terminated contract', content: { 'application/json': { schema: CustomerContract } } },
        ...errorResponses(404, 409, 413, 415, 422),
      },
    }),
    (async (c: AppContext) => {
      const ctx = ctxOf(c);
      const id = parseId(c.req.param('id')!);
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof TerminateByNoticeInput> }).valid('json');
      const row = await customerContractService.find(ctx, id);
      if (!row) throw notFound(`Customer contract ${id} was not found`);
      const updated = await terminateByNotice(ctx, row, body.noticeDate, body.reason ?? null);
      const [out] = await customerContractService.render(ctx, [updated]);
      return c.json(out!, 200, { etag: `"${updated.version}"` });
    }) as never,
  );
  methodNotAllowed(app, '/v1/customer-contracts/{id}/terminate', ['POST']);

  registerResource(app, {
    path: '/v1/customer-contracts',
    tag: 'Customer contracts',
    singular: 'customer contract',
    plural: 'customer contracts',
    area: 'contracts',
    input: CustomerContractInput,
    output: CustomerContract,
    service: customerContractService as never,
    createExample: { customerId: 1, contractProfileId: 1, startDate: '2026-01-01' },
    notes: {
      list: 'Renewed contracts are left out unless includeSupersededVersions=true (or the status filter names RENEWED).',
      update:
        'Before billing starts every field but customerId may change. After it starts only rolloverContractProfileId, renewalAlertDays, noticePeriodDays, endDate and priceAdaptationId may (422 naming any other). A new priceAdaptationId applies to steps falling due from then on; steps already applied stay. Moving endDate earlier than the term end terminates the contract early: terminationDate and earlyTerminationCharge are set; if it keeps a rollover profile it renews the day after the new end ("terminate and renew"). Moving it later is a 422.',
      delete:
        'Only while no assignment references it and it has not been renewed (409). Deleting a renewal makes its predecessor current again without a rollover profile (the lifecycle job then expires it if it has ended).',
    },
  });
}

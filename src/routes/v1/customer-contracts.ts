/** /v1/customer-contracts: the Elevate contract-management dialect over the contract service. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../../context';
import { filterSql, type ParsedFilter } from '../../http/query';
import { contractProfiles, customerContractAssignments, customerContracts as cc, rentalProductInventories } from '../../db/schema';
import { ownerToday } from '../../db/today';
import { CONTRACT_STATUSES } from '../../domain/terms';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { email, entityId, externalRef, isoDate, money, name, text } from '../../http/schemas';
import { customerContractService } from '../../services/customer-contracts';
import { MAX_NOTICE_PERIOD_DAYS } from './contract-profiles';

export const CustomerContractInput = z
  .object({
    name: name(100, 'Northwind – 24 month business fibre')
      .optional()
      .openapi({ description: 'Generated as "<customer name> – <profile name>" when absent' }),
    customerId: entityId('The customer signing the contract'),
    siteId: entityId('Limits the contract to one site of the customer; null = customer level').nullish(),
    contractProfileId: entityId('The (current version of the) contract profile'),
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

/** The SQL twin of contractStatus() in domain/terms.ts, for filtering by status. */
function statusSql(today: SQL): SQL {
  return sql`(case
    when ${cc.terminationDate} is not null and ${cc.terminationDate} <= ${cc.endDate} and ${cc.endDate} < ${today} then 'TERMINATED'
    when ${cc.renewedCustomerContractId} is not null then 'RENEWED'
    when ${cc.startDate} > ${today} then 'PENDING'
    when ${cc.endDate} is null then 'ACTIVE'
    when ${cc.endDate} < ${today} then 'EXPIRED'
    when julianday(${cc.endDate}) - ${cc.noticePeriodDays} <= julianday(${today}) then 'IN_NOTICE'
    else 'ACTIVE' end)`;
}

function negate(f: ParsedFilter, condition: SQL): SQL {
  return f.type === 'boolean' && !f.value ? sql`not (${condition})` : condition;
}

/**
 * today ∈ [endDate − days, endDate], with an index-friendly bound on endDate. `start`
 * is the window's first day as a column (the renewal alert's is stored), else it is
 * worked out from `days`.
 */
async function windowFilter(ctx: Ctx, f: ParsedFilter, days: SQLiteColumn, start: SQLiteColumn | null, maxDays: number | null, current: boolean) {
  const today = await ownerToday(ctx, cc.contractOwnerId);
  const upper = maxDays === null ? sql`` : sql` and ${cc.endDate} <= date(${today.max}, ${`+${maxDays} days`})`;
  const currentOnly = current
    ? sql` and ${cc.renewedCustomerContractId} is null and (${cc.terminationDate} is null or ${cc.terminationDate} > ${cc.endDate})`
    : sql``;
  const started = start ? sql`${start} <= ${today.expr}` : sql`julianday(${cc.endDate}) - ${days} <= julianday(${today.expr})`;
  const inWindow = sql`(${cc.endDate} >= ${today.min}${upper} and ${cc.endDate} >= ${today.expr} and ${started}${currentOnly})`;
  return negate(f, inWindow);
}

/** Whether the column contains any of the values; the values travel as one JSON parameter (D1 binds at most 100). */
function textMatch(column: SQL | typeof cc.name, f: ParsedFilter): SQL {
  if (f.type !== 'string') return sql`0`;
  return sql`exists (select 1 from json_each(${JSON.stringify(f.values)}) v where instr(lower(${column}), lower(v.value)) > 0)`;
}

const filters = {
  id: { type: 'id' as const, column: cc.id },
  contractOwnerId: { type: 'id' as const, column: cc.contractOwnerId },
  name: { type: 'string' as const, column: cc.name },
  customerId: { type: 'id' as const, column: cc.customerId },
  siteId: { type: 'id' as const, column: cc.siteId },
  contractProfileId: { type: 'id' as const, column: cc.contractProfileId },
  startDate: { type: 'date' as const, column: cc.startDate },
  endDate: { type: 'date' as const, column: cc.endDate },
  rolloverContractProfileId: { type: 'id' as const, column: cc.rolloverContractProfileId },
  externalRef: { type: 'string' as const, column: cc.externalRef },
  status: {
    type: 'string' as const,
    description: `One of ${CONTRACT_STATUSES.join(', ')} (for the owner’s today)`,
    async build(f: ParsedFilter, ctx: Ctx) {
      const today = await ownerToday(ctx, cc.contractOwnerId);
      return filterSql(statusSql(today.expr), f);
    },
  },
  renewalAlert: {
    type: 'boolean' as const,
    description: 'true: today is within [endDate − renewalAlertDays, endDate] and the contract is current',
    build: (f: ParsedFilter, ctx: Ctx) => windowFilter(ctx, f, cc.renewalAlertDays, cc.renewalAlertStartDate, 28, true),
  },
  noticePeriod: {
    type: 'boolean' as const,
    description: 'true: today is within [endDate − noticePeriodDays, endDate]',
    build: (f: ParsedFilter, ctx: Ctx) => windowFilter(ctx, f, cc.noticePeriodDays, null, null, false),
  },
  filter: {
    type: 'string' as const,
    description: 'Case-insensitive text over the name, the assignment level (CUSTOMER/SITE), the profile name and the rollover profile name',
    build(f: ParsedFilter) {
      const level = sql`(case when ${cc.siteId} is null then 'CUSTOMER' else 'SITE' end)`;
      const profileName = sql`(select ${contractProfiles.name} from ${contractProfiles} where ${contractProfiles.id} = ${cc.contractProfileId})`;
      const rolloverName = sql`(select ${contractProfiles.name} from ${contractProfiles} where ${contractProfiles.id} = ${cc.rolloverContractProfileId})`;
      return sql`(${textMatch(cc.name, f)} or ${textMatch(level, f)} or coalesce(${textMatch(profileName, f)}, 0) or coalesce(${textMatch(rolloverName, f)}, 0))`;
    },
  },
  includeSupersededVersions: {
    type: 'boolean' as const,
    description: 'Include renewed (superseded) contracts; default false',
    build: () => undefined,
  },
  recentWithRPIsOrFuture: {
    type: 'boolean' as const,
    description: 'true: the contract starts after today, or has an assignment whose RPI is open or ended within the last 90 days',
    async build(f: ParsedFilter, ctx: Ctx) {
      const today = await ownerToday(ctx, cc.contractOwnerId);
      const recent = sql`(${cc.startDate} > ${today.expr} or exists (select 1 from ${customerContractAssignments} a
        join ${rentalProductInventories} r on r.id = a.rental_product_inventory_id
        where a.customer_contract_id = ${cc.id} and (r.end_date is null or r.end_date >= date(${today.expr}, '-90 days'))))`;
      return negate(f, recent);
    },
  },
};

export function registerCustomerContracts(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/customer-contracts',
    tag: 'Customer contracts',
    singular: 'customer contract',
    plural: 'customer contracts',
    area: 'contracts',
    input: CustomerContractInput,
    output: CustomerContract,
    filters,
    sorts: {
      id: cc.id,
      name: cc.name,
      customerId: cc.customerId,
      siteId: cc.siteId,
      contractProfileId: cc.contractProfileId,
      startDate: cc.startDate,
      endDate: cc.endDate,
      billingStartDate: cc.billingStartDate,
      rolloverContractProfileId: cc.rolloverContractProfileId,
      renewalAlertDays: cc.renewalAlertDays,
      noticePeriodDays: cc.noticePeriodDays,
      externalRef: cc.externalRef,
      createdDate: cc.createdDate,
      updatedDate: cc.updatedDate,
    },
    service: customerContractService as never,
    createExample: { customerId: 1, contractProfileId: 1, startDate: '2026-01-01' },
    notes: {
      list: 'Renewed contracts are left out unless includeSupersededVersions=true (or the status filter names RENEWED).',
      update:
        'Before billing starts every field but customerId may change. After it starts only rolloverContractProfileId, renewalAlertDays, noticePeriodDays and endDate may (422 naming any other). Moving endDate earlier than the term end terminates the contract early: terminationDate and earlyTerminationCharge are set; if it keeps a rollover profile it renews the day after the new end ("terminate and renew"). Moving it later is a 422.',
      delete:
        'Only while no assignment references it and it has not been renewed (409). Deleting a renewal makes its predecessor current again without a rollover profile (the lifecycle job then expires it if it has ended).',
    },
  });
}

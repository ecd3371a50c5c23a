/**
 * The instellix dialect's request and response shapes (compat.md §instellix,
 * seed 003, research/others.md part 1), the tag every route of it carries, and
 * its list query (page, pageSize or cursor, and a few filters in Tenor's grammar).
 */
import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { MAX_ETC_PERCENTAGE } from '../../domain/etc';
import { DAYS_PER_NOTICE_MONTH, MONTHS_PER_YEAR, NOTICE_UNITS, TERM_UNITS } from '../../domain/instellix';
import { CONTRACT_STATUSES, MAX_NOTICE_PERIOD_DAYS } from '../../domain/terms';
import { cursorDocs, pagingDocs, queryDocs } from '../../http/resource';
import { parseCursor, parseFilter, parsePaging, singleValues } from '../../http/query';
import { dateOrInstant, email, entityId, externalRef, instant, money, name } from '../../http/schemas';
import type { FilterTree, FilterType, ListQuery } from '../../list-query';

export const TAG = 'instellix';

const IDENT = /^[a-zA-Z0-9_.~-]{1,100}$/;
const DEBTOR_IDENT = /^[a-zA-Z0-9_.~@-]{1,100}$/;

/** An external ident: unique, set by the client, never changed. */
export const ident = (example: string, description?: string) =>
  z
    .string()
    .regex(IDENT, 'must match [a-zA-Z0-9_.~-]{1,100}')
    .openapi({ example, ...(description ? { description } : {}) });

export const debtorIdent = () =>
  z.string().regex(DEBTOR_IDENT, 'must match [a-zA-Z0-9_.~@-]{1,100}').openapi({ example: 'D-10001', description: 'The debtor’s ident' });

const language = () =>
  z
    .string()
    .regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code (two lowercase letters)')
    .openapi({ example: 'de' });

const ownerField = () =>
  entityId('The contract owner; may be left out when the token acts for exactly one').nullish();

export const Property = z
  .object({
    ident: z.string().min(1).max(100).openapi({ example: 'salesChannel' }),
    value: z.string().max(1000).openapi({ example: 'partner' }),
  })
  .strict()
  .openapi('InstellixProperty');

const properties = () => z.array(Property).max(50).openapi({ description: 'Free properties, each ident at most once' });

// ─── plans ───────────────────────────────────────────────────────────────────

const ContractTerm = z
  .object({
    value: z.number().int().min(1).max(600).openapi({ example: 12 }),
    unit: z.enum(TERM_UNITS).openapi({ example: 'MONTH' }),
  })
  .strict()
  .superRefine((term, ctx) => {
    if (term.unit === 'YEAR' && term.value * MONTHS_PER_YEAR > 600) ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be at most 50 YEARs (600 months)' });
  })
  .openapi('InstellixContractTerm', { description: 'The term of a contract and of each renewal; a YEAR is 12 months' });

const NoticePeriod = z
  .object({
    value: z.number().int().min(0).max(MAX_NOTICE_PERIOD_DAYS).openapi({ example: 2 }),
    unit: z.enum(NOTICE_UNITS).openapi({ example: 'MONTH' }),
  })
  .strict()
  .superRefine((period, ctx) => {
    if (period.unit === 'MONTH' && period.value * DAYS_PER_NOTICE_MONTH > MAX_NOTICE_PERIOD_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be at most ${Math.floor(MAX_NOTICE_PERIOD_DAYS / DAYS_PER_NOTICE_MONTH)} MONTHs` });
    }
  })
  .openapi('InstellixNoticePeriod', { description: `Notice needed before a term end for a regular termination; a MONTH is held to ${DAYS_PER_NOTICE_MONTH} days` });

const EarlyTermination = z
  .object({
    fixedCharge: money(50, 6, 0).openapi({ description: 'Charged once per rented option on an extraordinary termination, in major units' }),
    percentage: z.number().int().min(0).max(MAX_ETC_PERCENTAGE).openapi({ example: 100, description: 'Percent of the remaining rental charged as well' }),
  })
  .strict()
  .openapi('InstellixEarlyTermination');

export const PlanOption = z
  .object({
    optionIdent: ident('fibre-1000', 'Unique within the plan'),
    rentalProductId: entityId('The rental product the option rents (one RPI per contract)'),
    name: name(100, 'Fibre 1000').nullish(),
  })
  .strict()
  .openapi('InstellixPlanOption');

const planFields = {
  name: name(100, 'Fibre 1000 – 12 months'),
  contractOwnerId: ownerField(),
  contractTerm: ContractTerm,
  noticePeriod: NoticePeriod.default({ value: 30, unit: 'DAY' }),
  autoRenewal: z.boolean().default(false).openapi({ description: 'The contract renews into the plan at each term end' }),
  earlyTermination: EarlyTermination.default({ fixedCharge: 0, percentage: 0 }),
  options: z.array(PlanOption).max(100).default([]),
  properties: properties().default([]),
};

const PLAN_EXAMPLE = {
  planIdent: 'fibre-1000-12m',
  name: 'Fibre 1000 – 12 months',
  contractTerm: { value: 12, unit: 'MONTH' },
  noticePeriod: { value: 2, unit: 'MONTH' },
  autoRenewal: true,
  earlyTermination: { fixedCharge: 50, percentage: 100 },
  options: [{ optionIdent: 'fibre-1000', rentalProductId: 1, name: 'Fibre 1000' }],
  properties: [{ ident: 'salesChannel', value: 'partner' }],
};

export const PlanCreate = z
  .object({ planIdent: ident('fibre-1000-12m', 'Unique among the contract owner’s plans; never changes'), ...planFields })
  .strict()
  .openapi('InstellixPlanCreate', { example: PLAN_EXAMPLE });

export const PlanUpdate = z
  .object({ planIdent: ident('fibre-1000-12m', 'May be left out; if given, the plan’s own').optional(), ...planFields })
  .strict()
  .openapi('InstellixPlanUpdate', { example: { ...PLAN_EXAMPLE, name: 'Fibre 1000 – 12 months (2026)' } });

export const Plan = z
  .object({
    planIdent: z.string().openapi({ example: 'fibre-1000-12m' }),
    planId: entityId('Tenor’s id of the plan’s current version (a /v1 contract profile)'),
    contractOwnerId: entityId(),
    name: z.string().openapi({ example: 'Fibre 1000 – 12 months' }),
    contractTerm: ContractTerm,
    noticePeriod: NoticePeriod,
    autoRenewal: z.boolean(),
    earlyTermination: EarlyTermination,
    options: z.array(PlanOption),
    properties: z.array(Property),
    versionNumber: z.number().int().openapi({ example: 1, description: '1, and one more for each version a term change made' }),
    createdDate: z.string().openapi({ format: 'date-time' }),
    updatedDate: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('InstellixPlan');

// ─── debtors ─────────────────────────────────────────────────────────────────

export const DebtorCreate = z
  .object({
    debtorIdent: debtorIdent(),
    name: name(100, 'Northwind Trading GmbH'),
    contractOwnerId: ownerField(),
    email: email().nullish(),
    language: language().nullish(),
  })
  .strict()
  .openapi('InstellixDebtorCreate', { example: { debtorIdent: 'D-10001', name: 'Northwind Trading GmbH', email: 'billing@northwind.example', language: 'de' } });

export const Debtor = z
  .object({
    debtorIdent: z.string().openapi({ example: 'D-10001' }),
    debtorId: entityId('Tenor’s id of the debtor (a /v1 customer)'),
    contractOwnerId: entityId(),
    name: z.string().openapi({ example: 'Northwind Trading GmbH' }),
    email: z.string().nullable().openapi({ example: 'billing@northwind.example' }),
    language: z.string().nullable().openapi({ example: 'de' }),
    createdDate: z.string().openapi({ format: 'date-time' }),
    updatedDate: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('InstellixDebtor');

// ─── contracts ───────────────────────────────────────────────────────────────

/** Fields of instellix's contract that Tenor does not model: null (or left out) only, anything else is a 400 naming it. */
const notModelled = (why: string, deprecated = false) =>
  z
    .null({ error: `is not supported by Tenor (${why}); leave it out or send null` })
    .optional()
    .openapi({ description: `${deprecated ? 'DEPRECATED in instellix. ' : ''}Not supported by Tenor (${why}): null or left out only.` });

export const UNSUPPORTED_CONTRACT_FIELDS: Record<string, ZodType> = {
  businessSegmentId: notModelled('no business segments', true),
  businessSegmentIdent: notModelled('no business segments'),
  country: notModelled('no tax or country pricing', true),
  duration: notModelled('the term is the plan’s', true),
  durationType: notModelled('the term is the plan’s', true),
  endDate: notModelled('end a contract with the termination actions', true),
  invoiceAddressId: notModelled('no addresses', true),
  invoiceAddressIdent: notModelled('no addresses'),
  paymentInformation: notModelled('no payments'),
  paymentTerm: notModelled('no payments'),
  paymentType: notModelled('no payments', true),
  performanceLocation: notModelled('no tax locations'),
  planModifiers: notModelled('no per-contract plan changes'),
  relatedContracts: notModelled('no commissions between contracts'),
  serviceLocation: notModelled('no tax locations', true),
  shippingAddressId: notModelled('no addresses', true),
  shippingAddressIdent: notModelled('no addresses'),
  taxLocation: notModelled('no tax locations'),
};

export const OptionQuantity = z
  .object({
    optionIdent: ident('fibre-1000', 'An option of the plan'),
    quantity: z.number().int().min(1).max(1_000_000_000).openapi({ example: 1 }),
  })
  .strict()
  .openapi('InstellixOptionQuantity');

/** contractPriceAdaptation: a reference of a /v2/price-adaptations of the debtor's contract owner. */
const ContractPriceAdaptation = z
  .object({
    ident: externalRef().nullish().openapi({ example: 'cpi-de', description: 'The price adaptation’s externalRef (preferred)' }),
    id: entityId('The price adaptation’s id (/v2/price-adaptations/{id})').nullish(),
  })
  .strict()
  .openapi('InstellixContractPriceAdaptation', {
    description:
      'The price adaptation used to adapt the contract’s prices automatically: a /v2/price-adaptations of the debtor’s contract owner, by ident (its externalRef) or id. The lifecycle job applies its steps (at renewals or on anniversaries; a percentage or an index) to the rental prices of the contract’s options. null or left out: none.',
  });

const CONTRACT_EXAMPLE = {
  contractIdent: 'C-2026-0001',
  debtorIdent: 'D-10001',
  planIdent: 'fibre-1000-12m',
  date: '2025-12-15T10:30:00Z',
  startDate: '2026-01-01',
  optionQuantities: [{ optionIdent: 'fibre-1000', quantity: 1 }],
  properties: [{ ident: 'salesChannel', value: 'partner' }],
  language: 'de',
};

export const ContractCreate = z
  .object({
    contractIdent: ident('C-2026-0001', 'Unique among the contract owner’s contracts; never changes'),
    debtorIdent: debtorIdent().nullish().openapi({ description: 'The debtor; required unless the deprecated debtorId is given' }),
    debtorId: entityId('DEPRECATED: the debtor by Tenor’s id (a /v1 customer id); debtorIdent is preferred').nullish(),
    planIdent: ident('fibre-1000-12m').nullish().openapi({ description: 'The plan; required unless the deprecated planId is given' }),
    planId: entityId('DEPRECATED: the plan by Tenor’s id (the current version’s /v1 contract profile id); planIdent is preferred').nullish(),
    date: instant('2025-12-15T10:30:00Z').openapi({ description: 'When the contract was signed (kept; its date in the owner’s time zone is the signing date)' }),
    startDate: dateOrInstant('2026-01-01').nullish().openapi({ description: 'Start of the contract; default: the signing date. A date-time counts by its date in the owner’s time zone' }),
    billingStartDate: dateOrInstant('2026-01-01').nullish().openapi({ description: 'When billing starts; default: the start date' }),
    optionQuantities: z.array(OptionQuantity).max(100).openapi({ description: 'Quantities of the plan’s options; an option left out is rented once' }),
    couponCode: z.string().min(1).max(50).nullish().openapi({ example: 'SPRING50', description: 'A rental discount plan’s code; assigned from the start date' }),
    contractPriceAdaptation: ContractPriceAdaptation.nullish(),
    properties: properties().nullish(),
    lineItems: z
      .array(z.record(z.string(), z.unknown()))
      .max(100)
      .nullish()
      .openapi({ description: 'One-off charges recorded on the contract: stored and returned as sent (Tenor does not bill them)' }),
    language: language().default('de').openapi({ description: 'ISO 639-1; default de' }),
    ...UNSUPPORTED_CONTRACT_FIELDS,
  })
  .strict()
  .openapi('InstellixContractCreate', { example: CONTRACT_EXAMPLE });

const ContractOption = z
  .object({
    optionIdent: z.string().nullable().openapi({ example: 'fibre-1000', description: 'null for an RPI assigned on /v1 without a plan option' }),
    name: z.string().nullable().openapi({ example: 'Fibre 1000' }),
    rentalProductId: entityId(),
    quantity: z.number().int().openapi({ example: 1 }),
    rentalProductInventoryId: entityId('The RPI (on /v1) the contract rents the option as'),
  })
  .openapi('InstellixContractOption');

const Termination = z
  .object({
    type: z.enum(['REGULAR', 'EXTRAORDINARY']).openapi({ description: 'REGULAR: by notice at a term end, no charge; EXTRAORDINARY: on a date, ETC charged' }),
    noticeDate: z.string().nullable().openapi({ format: 'date', example: '2026-10-15' }),
    terminationDate: z.string().nullable().openapi({ format: 'date', example: '2026-12-31' }),
    reason: z.string().nullable().openapi({ example: 'moving supplier' }),
    earlyTerminationCharge: z.number().nullable().openapi({ example: null, description: 'In major units; null for a regular termination' }),
  })
  .openapi('InstellixTermination');

export const Contract = z
  .object({
    contractIdent: z.string().openapi({ example: 'C-2026-0001' }),
    contractId: entityId('Tenor’s id of the current contract of the chain (a /v1 customer contract); a renewal has a new one'),
    contractOwnerId: entityId(),
    debtorIdent: z.string().nullable().openapi({ example: 'D-10001' }),
    debtorId: entityId(),
    planIdent: z.string().nullable().openapi({ example: 'fibre-1000-12m' }),
    planId: entityId('The plan version the current contract runs on').nullable(),
    planName: z.string().nullable().openapi({ example: 'Fibre 1000 – 12 months' }),
    status: z.enum(CONTRACT_STATUSES).openapi({ example: 'ACTIVE', description: 'For the contract owner’s today' }),
    date: z.string().nullable().openapi({ format: 'date-time', example: '2025-12-15T10:30:00.000Z', description: 'When it was signed' }),
    signedDate: z.string().nullable().openapi({ format: 'date', example: '2025-12-15' }),
    startDate: z.string().openapi({ format: 'date', example: '2026-01-01', description: 'Start of the first term' }),
    billingStartDate: z.string().openapi({ format: 'date', example: '2026-01-01' }),
    endDate: z.string().nullable().openapi({ format: 'date', example: null, description: 'The last day, when known: set by a termination, or the term end of a plan without auto-renewal; null while it renews' }),
    currentTerm: z
      .object({ startDate: z.string().openapi({ format: 'date' }), endDate: z.string().nullable().openapi({ format: 'date' }) })
      .openapi({ description: 'The term running now (renewals move it)' }),
    autoRenewal: z.boolean().openapi({ description: 'It renews at the end of the current term' }),
    optionQuantities: z.array(z.object({ optionIdent: z.string(), quantity: z.number().int() })),
    options: z.array(ContractOption),
    couponCode: z.string().nullable().openapi({ example: null }),
    contractPriceAdaptation: z
      .object({ ident: z.string().nullable().openapi({ example: 'cpi-de' }), id: entityId() })
      .nullable()
      .openapi({ description: 'The price adaptation adapting the contract’s prices (renewals keep it); null = none', example: null }),
    properties: z.array(Property),
    lineItems: z.array(z.record(z.string(), z.unknown())),
    language: z.string().nullable().openapi({ example: 'de' }),
    termination: Termination.nullable(),
    createdDate: z.string().openapi({ format: 'date-time' }),
    updatedDate: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('InstellixContract');

const reason = () => z.string().max(255).nullish().openapi({ example: 'moving supplier' });

export const TerminateBody = z
  .object({
    noticeDate: dateOrInstant('2026-10-15').nullish().openapi({ description: 'The day notice was given; default: the owner’s today' }),
    reason: reason(),
  })
  .strict()
  .openapi('InstellixTerminate');

export const TerminateExtraordinarilyBody = z
  .object({
    terminationDate: dateOrInstant('2026-06-30').nullish().openapi({ description: 'The last day of the contract; default: the owner’s today' }),
    reason: reason(),
  })
  .strict()
  .openapi('InstellixTerminateExtraordinarily');

export const TerminationAdaptationBody = z
  .object({
    noticeDate: dateOrInstant('2026-05-15').nullish().openapi({ description: 'Given alone: the contract ends where a notice on this day ends it' }),
    terminationDate: dateOrInstant('2026-06-30').nullish().openapi({ description: 'The new, earlier last day (an extraordinary termination)' }),
    reason: reason(),
  })
  .strict()
  .openapi('InstellixTerminationAdaptation');

const idents = () => z.array(ident('C-2026-0001')).min(1).max(100).openapi({ description: 'The contracts, each at most once' });

export const BulkTerminateBody = TerminateBody.extend({ idents: idents() }).strict().openapi('InstellixBulkTerminate');
export const BulkTerminateExtraordinarilyBody = TerminateExtraordinarilyBody.extend({ idents: idents() }).strict().openapi('InstellixBulkTerminateExtraordinarily');

// ─── lists ───────────────────────────────────────────────────────────────────

type Filters = Parameters<typeof queryDocs>[0];

/** The documented query of a list: page, pageSize (or cursor) and the filters in Tenor's grammar. */
export function listQueryDocs(filters: Filters = {}) {
  return queryDocs(filters, false).extend({ ...pagingDocs(), cursor: cursorDocs('X-Total-Count') });
}

/**
 * page, pageSize or cursor (keyset pages by id), and the filters (ANDed); anything
 * else, or a parameter given twice, is a 400 naming it.
 */
export function listQueryOf(url: URL, filters: Record<string, { type: FilterType }> = {}): ListQuery {
  const values = singleValues(url, new Set(['page', 'pageSize', 'cursor', ...Object.keys(filters)]));
  const all: FilterTree[] = [];
  for (const [param, f] of Object.entries(filters)) {
    const raw = values.get(param);
    if (raw !== undefined) all.push({ field: param, filter: parseFilter(param, f.type, raw) });
  }
  const query: ListQuery = { ...parsePaging(values), sort: [], fields: null, where: { all } };
  const after = parseCursor(values);
  if (after !== undefined) query.after = after;
  return query;
}

/** A path parameter holding an ident. */
export const identParam = (param: string, pattern = IDENT) =>
  z
    .string()
    .max(100)
    .regex(pattern, `must match ${pattern.source.replace(/^\^|\$$/g, '')}`)
    .openapi({ param: { name: param, in: 'path' }, example: param === 'debtorIdent' ? 'D-10001' : param === 'planIdent' ? 'fibre-1000-12m' : 'C-2026-0001' });

export const DEBTOR_IDENT_PATTERN = DEBTOR_IDENT;

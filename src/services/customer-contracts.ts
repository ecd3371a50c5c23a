/**
 * Customer contracts: a contract profile signed by a customer (optionally one
 * site). Every surface (v1, and later the compatibility dialects) goes through
 * these functions, so the rules live once.
 */
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { abortUnlessChanged, isGuardAbort, type Statement } from '../db/client';
import { eventsWritten } from '../db/context';
import {
  assertDateOrder,
  assertSameOwner,
  assertUnreferenced,
  concurrentChange,
  type EventSpec,
  eventStatement,
  requireVisible,
  tableService,
  updateRow,
  updateStatements,
} from '../db/crud';
import { filterSql, negateUnlessTrue, type QuerySpec } from '../db/query';
import {
  contractProfiles,
  customerContractAssignments,
  customerContracts,
  customerContracts as cc,
  customers,
  pricingTiers,
  rentalProductInventories,
  serviceFees,
  sites,
} from '../db/schema';
import { ownerToday } from '../db/today';
import { classifyContractEdit, generatedContractName, isViolation } from '../domain/contracts';
import { majorToMicros, microsToMajor } from '../domain/money';
import { addDays, MIN_DATE, parseInstant, toInstant, wallClock } from '../domain/dates';
import { followsAnchor } from '../domain/renewal';
import { decideRegularTermination } from '../domain/termination';
import { CONTRACT_STATUSES, computeEndDate, contractStatus, DEFAULT_NOTICE_PERIOD_DAYS, DEFAULT_RENEWAL_ALERT_DAYS } from '../domain/terms';
import { conflict, fieldProblem, invalidField, TenorError } from '../errors';
import { booleanValue, equalValues, type FieldFilter, type ListQuery, topLevelFilter } from '../list-query';
import { type ContractProfileRow, usableProfile } from './contract-profiles';
import { contractEarlyTerminationCharge } from './etc';
import { usablePriceAdaptation } from './price-adaptations';

export type CustomerContractRow = typeof customerContracts.$inferSelect;

/** The writable fields, as every surface hands them over (undefined = not given). */
export interface CustomerContractInput {
  name?: string;
  customerId: number;
  siteId?: number | null;
  /** required on /v1; a contract without one (simPRO) has no term: no rollover, no ETC, no billing lock */
  contractProfileId?: number | null;
  startDate: string;
  /** null: open-ended (only without a profile) */
  endDate?: string | null;
  billingStartDate?: string;
  rolloverContractProfileId?: number | null;
  renewalAlertDays?: number;
  noticePeriodDays?: number;
  contractNumber?: string | null;
  value?: number | null;
  notes?: string | null;
  email?: string | null;
  signedDate?: string | null;
  externalRef?: string | null;
  properties?: Record<string, string> | null;
  /** the signing instant (ISO-8601 UTC); signedDate defaults to its date in the owner's time zone */
  signedAt?: string | null;
  language?: string | null;
  /** the coupon (a rental discount plan's code) the contract was signed with */
  couponCode?: string | null;
  lineItems?: unknown[] | null;
  pricingTierId?: number | null;
  /** percent; null: the pricing tier's default */
  markup?: number | null;
  serviceFeeId?: number | null;
  expired?: boolean;
  /** the price adaptation that adapts the contract's rental prices (an owner's /v2/price-adaptations); renewals carry it over */
  priceAdaptationId?: number | null;
}

export const CONTRACT_EVENTS = {
  created: { type: 'customer_contract.created', objectType: 'customer_contract' },
  updated: { type: 'customer_contract.updated', objectType: 'customer_contract' },
  terminated: { type: 'customer_contract.terminated', objectType: 'customer_contract' },
  renewed: { type: 'customer_contract.renewed', objectType: 'customer_contract' },
  expired: { type: 'customer_contract.expired', objectType: 'customer_contract' },
} satisfies Record<string, EventSpec>;

/** The public representation; status is derived for the owner's today (owners must be loaded). */
export function contractOutput(ctx: Ctx, r: CustomerContractRow) {
  const today = ctx.deps.owners.today(r.contractOwnerId, ctx.now);
  return {
    id: r.id,
    contractOwnerId: r.contractOwnerId,
    name: r.name,
    customerId: r.customerId,
    siteId: r.siteId,
    contractProfileId: r.contractProfileId,
    startDate: r.startDate,
    endDate: r.endDate,
    billingStartDate: r.billingStartDate,
    rolloverContractProfileId: r.rolloverContractProfileId,
    renewalAlertDays: r.renewalAlertDays,
    noticePeriodDays: r.noticePeriodDays,
    previousCustomerContractId: r.previousCustomerContractId,
    renewedCustomerContractId: r.renewedCustomerContractId,
    status: contractStatus(r, today),
    terminationDate: r.terminationDate,
    earlyTerminationCharge: r.earlyTerminationCharge === null ? null : microsToMajor(r.earlyTerminationCharge),
    contractNumber: r.contractNumber,
    value: r.value === null ? null : microsToMajor(r.value),
    notes: r.notes,
    email: r.email,
    signedDate: r.signedDate,
    externalRef: r.externalRef,
    properties: r.properties,
    priceAdaptationId: r.priceAdaptationId,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  };
}

export type CustomerContractOutput = ReturnType<typeof contractOutput>;

/** The columns contractOutput (and contractStatus) never read: lists leave them out. */
export const CONTRACT_COLUMNS_NOT_RENDERED = [
  'anchorDate',
  'monthsFromAnchor',
  'renewalAlertStartDate',
  'noticeStartDate',
  'termEndDate',
  'terminationType',
  'noticeDate',
  'terminationReason',
  'settled',
  // the compatibility surfaces' columns: their own reads load them
  'signedAt',
  'language',
  'couponCode',
  'lineItems',
  'pricingTierId',
  'markup',
  'serviceFeeId',
  'expired',
  'priceAdaptationCheckDate',
] as const satisfies readonly (keyof CustomerContractRow)[];

/** Renewed contracts are left out of lists unless asked for (or the status filter names RENEWED). */
function supersededFilter(query: ListQuery): SQL[] {
  if (booleanValue(topLevelFilter(query.where, 'includeSupersededVersions'))) return [];
  if (equalValues(topLevelFilter(query.where, 'status')).includes('RENEWED')) return [];
  return [isNull(customerContracts.renewedCustomerContractId)];
}

/**
 * The notice period has started by `today`: its first day is stored (notice_start_date,
 * in the index of current contracts by end date); NULL with an end date means a period
 * longer than the calendar, which started long ago. Same as
 * julianday(endDate) − noticePeriodDays ≤ julianday(today), without working it out per row.
 */
function noticeStarted(today: SQL): SQL {
  return sql`(${cc.noticeStartDate} <= ${today} or (${cc.noticeStartDate} is null and ${cc.endDate} is not null))`;
}

/** The SQL twin of contractStatus() in domain/terms.ts, for filtering by status. */
function statusSql(today: SQL): SQL {
  return sql`(case
    when ${cc.terminationDate} is not null and ${cc.terminationDate} <= ${cc.endDate} and ${cc.endDate} < ${today} then 'TERMINATED'
    when ${cc.renewedCustomerContractId} is not null then 'RENEWED'
    when ${cc.startDate} > ${today} then 'PENDING'
    when ${cc.endDate} is null then 'ACTIVE'
    when ${cc.endDate} < ${today} then 'EXPIRED'
    when ${noticeStarted(today)} then 'IN_NOTICE'
    else 'ACTIVE' end)`;
}

/**
 * today ∈ [endDate − days, endDate], with an index-friendly bound on endDate. `start`
 * tells whether the window has opened by today, from its stored first day
 * (renewal_alert_start_date, notice_start_date), so the test stays in the index.
 */
async function windowFilter(ctx: Ctx, f: FieldFilter, start: (today: SQL) => SQL, maxDays: number | null, current: boolean) {
  const today = await ownerToday(ctx, cc.contractOwnerId);
  const upper = maxDays === null ? sql`` : sql` and ${cc.endDate} <= date(${today.max}, ${`+${maxDays} days`})`;
  const currentOnly = current
    ? sql` and ${cc.renewedCustomerContractId} is null and (${cc.terminationDate} is null or ${cc.terminationDate} > ${cc.endDate})`
    : sql``;
  const started = start(today.expr);
  const inWindow = sql`(${cc.endDate} >= ${today.min}${upper} and ${cc.endDate} >= ${today.expr} and ${started}${currentOnly})`;
  return negateUnlessTrue(f, inWindow);
}

/** Whether the column contains any of the values; the values travel as one JSON parameter (D1 binds at most 100). */
function textMatch(column: SQL | typeof cc.name, f: FieldFilter): SQL {
  const values = [...equalValues(f), ...f.conditions.flatMap((c) => (c.op === 'contains' ? [c.value] : []))];
  if (values.length === 0) return sql`0`;
  return sql`exists (select 1 from json_each(${JSON.stringify(values)}) v where instr(lower(${column}), lower(v.value)) > 0)`;
}

/** The filters and sorts of contract lists, by the fields of the /v1 representation. */
export const customerContractQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: cc.id },
    contractOwnerId: { type: 'id', column: cc.contractOwnerId },
    name: { type: 'string', column: cc.name },
    customerId: { type: 'id', column: cc.customerId },
    siteId: { type: 'id', column: cc.siteId },
    contractProfileId: { type: 'id', column: cc.contractProfileId },
    startDate: { type: 'date', column: cc.startDate },
    endDate: { type: 'date', column: cc.endDate },
    rolloverContractProfileId: { type: 'id', column: cc.rolloverContractProfileId },
    externalRef: { type: 'string', column: cc.externalRef },
    priceAdaptationId: { type: 'id', column: cc.priceAdaptationId },
    status: {
      type: 'string',
      description: `One of ${CONTRACT_STATUSES.join(', ')} (for the owner’s today)`,
      async build(f, ctx) {
        const today = await ownerToday(ctx, cc.contractOwnerId);
        return filterSql(statusSql(today.expr), f);
      },
    },
    renewalAlert: {
      type: 'boolean',
      description: 'true: today is within [endDate − renewalAlertDays, endDate] and the contract is current',
      build: (f, ctx) => windowFilter(ctx, f, (today) => sql`${cc.renewalAlertStartDate} <= ${today}`, 28, true),
    },
    noticePeriod: {
      type: 'boolean',
      description: 'true: today is within [endDate − noticePeriodDays, endDate]',
      build: (f, ctx) => windowFilter(ctx, f, noticeStarted, null, false),
    },
    filter: {
      type: 'string',
      description: 'Case-insensitive text over the name, the assignment level (CUSTOMER/SITE), the profile name and the rollover profile name',
      build(f) {
        const level = sql`(case when ${cc.siteId} is null then 'CUSTOMER' else 'SITE' end)`;
        const profileName = sql`(select ${contractProfiles.name} from ${contractProfiles} where ${contractProfiles.id} = ${cc.contractProfileId})`;
        const rolloverName = sql`(select ${contractProfiles.name} from ${contractProfiles} where ${contractProfiles.id} = ${cc.rolloverContractProfileId})`;
        return sql`(${textMatch(cc.name, f)} or ${textMatch(level, f)} or coalesce(${textMatch(profileName, f)}, 0) or coalesce(${textMatch(rolloverName, f)}, 0))`;
      },
    },
    includeSupersededVersions: {
      type: 'boolean',
      description: 'Include renewed (superseded) contracts; default false',
      build: () => undefined,
    },
    recentWithRPIsOrFuture: {
      type: 'boolean',
      description: 'true: the contract starts after today, or has an assignment whose RPI is open or ended within the last 90 days',
      async build(f, ctx) {
        const today = await ownerToday(ctx, cc.contractOwnerId);
        const recent = sql`(${cc.startDate} > ${today.expr} or exists (select 1 from ${customerContractAssignments} a
          join ${rentalProductInventories} r on r.id = a.rental_product_inventory_id
          where a.customer_contract_id = ${cc.id} and (r.end_date is null or r.end_date >= date(${today.expr}, '-90 days'))))`;
        return negateUnlessTrue(f, recent);
      },
    },
  },
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
    priceAdaptationId: cc.priceAdaptationId,
    createdDate: cc.createdDate,
    updatedDate: cc.updatedDate,
  },
};

async function loadOwners(ctx: Ctx, rows: CustomerContractRow[]) {
  await ctx.deps.owners.load(
    rows.map((r) => r.contractOwnerId),
    ctx.now,
  );
}

type CustomerRow = typeof customers.$inferSelect;
type SiteRow = typeof sites.$inferSelect;

/** A contract limited to a site must be limited to a site of its customer (422). */
export function assertSiteOfCustomer(site: Pick<SiteRow, 'id' | 'customerId'>, customerId: number): void {
  if (site.customerId !== customerId) {
    throw new TenorError('business-rule', `/siteId: site ${site.id} is not a site of customer ${customerId}`, [
      { path: '/siteId', message: `not a site of customer ${customerId}` },
    ]);
  }
}

async function siteOfCustomer(ctx: Ctx, siteId: number, customerId: number) {
  const site = await requireVisible<SiteRow>(ctx, sites, siteId, '/siteId', 'site');
  assertSiteOfCustomer(site, customerId);
  return site;
}

/** The descriptive fields every surface may set, as column values (absent = null). */
function optionalValues(input: CustomerContractInput) {
  return {
    contractNumber: input.contractNumber ?? null,
    value: input.value == null ? null : majorToMicros(input.value),
    notes: input.notes ?? null,
    email: input.email ?? null,
    signedDate: input.signedDate ?? null,
    externalRef: input.externalRef ?? null,
    properties: input.properties ?? null,
    signedAt: input.signedAt ?? null,
    language: input.language ?? null,
    couponCode: input.couponCode ?? null,
    lineItems: input.lineItems ?? null,
    pricingTierId: input.pricingTierId ?? null,
    markup: input.markup == null ? null : majorToMicros(input.markup),
    serviceFeeId: input.serviceFeeId ?? null,
    expired: input.expired ?? false,
  };
}

/** The pricing tier and service fee a contract names must be the contract owner's. */
async function checkSetupReferences(ctx: Ctx, ownerId: number, input: CustomerContractInput, changed?: ReadonlySet<string>) {
  const given = (field: keyof CustomerContractInput) => (changed ? changed.has(field) : true) && input[field] != null;
  if (given('pricingTierId')) {
    const tier = await requireVisible<typeof pricingTiers.$inferSelect>(ctx, pricingTiers, input.pricingTierId!, '/pricingTierId', 'pricing tier');
    assertSameOwner(ownerId, tier, '/pricingTierId', 'pricing tier');
  }
  if (given('serviceFeeId')) {
    const fee = await requireVisible<typeof serviceFees.$inferSelect>(ctx, serviceFees, input.serviceFeeId!, '/serviceFeeId', 'service fee');
    assertSameOwner(ownerId, fee, '/serviceFeeId', 'service fee');
  }
}

/** What a new contract refers to, loaded and checked: its customer, profile and rollover profile, and the owner's time zone. */
export interface ContractReferences {
  customer: Pick<CustomerRow, 'id' | 'contractOwnerId' | 'customerName'>;
  profile: ContractProfileRow | null;
  rolloverContractProfileId: number | null;
  timeZone: string;
}

/**
 * Loads and checks what a new contract refers to (404 naming a field that is not
 * visible, 422 for one of another owner or a superseded profile). `known.site` is
 * a site the same batch inserts (so it cannot be loaded yet); it is checked the same.
 */
export async function contractReferences(ctx: Ctx, input: CustomerContractInput, known: { site?: Pick<SiteRow, 'id' | 'customerId'> } = {}): Promise<ContractReferences> {
  const customer = await requireVisible<CustomerRow>(ctx, customers, input.customerId, '/customerId', 'customer');
  const ownerId = customer.contractOwnerId;
  if (input.siteId != null) {
    if (known.site?.id === input.siteId) assertSiteOfCustomer(known.site, customer.id);
    else await siteOfCustomer(ctx, input.siteId, customer.id);
  }
  await checkSetupReferences(ctx, ownerId, input);
  if (input.priceAdaptationId != null) await usablePriceAdaptation(ctx, input.priceAdaptationId, ownerId, '/priceAdaptationId');
  const profile: ContractProfileRow | null =
    input.contractProfileId == null ? null : await usableProfile(ctx, input.contractProfileId, ownerId, '/contractProfileId');
  let rolloverId = profile?.rolloverContractProfileId ?? null;
  if (input.rolloverContractProfileId !== undefined) {
    rolloverId = input.rolloverContractProfileId;
    if (rolloverId !== null) await usableProfile(ctx, rolloverId, ownerId, '/rolloverContractProfileId');
  }
  const owner = await ctx.deps.owners.get(ownerId);
  return { customer, profile, rolloverContractProfileId: rolloverId, timeZone: owner?.timezone ?? 'UTC' };
}

/**
 * A new contract's column values (the rules of signing): the end date from the
 * profile's term unless given, billing from the start unless given, dates in
 * order, the profile's alert and notice days unless given, the generated name,
 * and the signing date from the signing instant in the owner's time zone.
 */
export function contractValues(input: CustomerContractInput, refs: ContractReferences) {
  const { customer, profile } = refs;
  const rolloverId = refs.rolloverContractProfileId;
  if (profile !== null && input.endDate === null) {
    throw invalidField('/endDate', 'cannot be open (null) on a contract with a profile; leave it out to compute it from the term');
  }
  if (profile === null && input.endDate === null && rolloverId !== null) {
    throw invalidField('/endDate', 'is required for a contract that rolls over');
  }
  const endDate =
    input.endDate !== undefined
      ? input.endDate
      : profile
        ? computeEndDate({ anchorDate: input.startDate, monthsFromAnchor: 0 }, profile.contractTerm)
        : null;
  assertDateOrder(input.startDate, endDate, '/startDate', '/endDate');
  const billingStartDate = input.billingStartDate ?? input.startDate;
  assertDateOrder(input.startDate, billingStartDate, '/startDate', '/billingStartDate');
  const signedAt = input.signedAt == null ? null : parseInstant(input.signedAt);
  return {
    contractOwnerId: customer.contractOwnerId,
    name: input.name ?? generatedContractName(customer.customerName, profile?.name ?? null),
    customerId: customer.id,
    siteId: input.siteId ?? null,
    contractProfileId: profile?.id ?? null,
    startDate: input.startDate,
    endDate,
    termEndDate: endDate,
    billingStartDate,
    rolloverContractProfileId: rolloverId,
    renewalAlertDays: input.renewalAlertDays ?? profile?.renewalAlertDays ?? DEFAULT_RENEWAL_ALERT_DAYS,
    noticePeriodDays: input.noticePeriodDays ?? profile?.noticePeriodDays ?? DEFAULT_NOTICE_PERIOD_DAYS,
    anchorDate: input.startDate,
    monthsFromAnchor: 0,
    ...optionalValues(input),
    signedAt: signedAt === null ? null : toInstant(signedAt),
    signedDate: input.signedDate ?? (signedAt === null ? null : wallClock(signedAt, refs.timeZone).date),
    priceAdaptationId: input.priceAdaptationId ?? null,
    // the lifecycle job looks for steps due on a contract with an adaptation at its next run
    priceAdaptationCheckDate: input.priceAdaptationId == null ? null : MIN_DATE,
  };
}

/** The `customer_contract.created` event of a contract a batch inserts (its owner loaded). */
export function contractCreatedEvent(ctx: Ctx, row: CustomerContractRow): Statement {
  return eventStatement(ctx, row.contractOwnerId, CONTRACT_EVENTS.created, row.id, contractOutput(ctx, row));
}

const base = tableService<CustomerContractRow, CustomerContractOutput, CustomerContractInput>({
  singular: 'customer contract',
  table: customerContracts,
  ownerColumn: customerContracts.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: customerContractQuery,
  baseWhere: (_ctx, query) => supersededFilter(query),
  async toInsert(ctx, input) {
    return contractValues(input, await contractReferences(ctx, input));
  },
  prepareOutput: loadOwners,
  toOutput: contractOutput,
  notRendered: CONTRACT_COLUMNS_NOT_RENDERED,
  // contractStatus() reads these
  fieldColumns: { status: ['startDate', 'endDate', 'terminationDate', 'renewedCustomerContractId', 'noticePeriodDays'] },
  events: { created: CONTRACT_EVENTS.created },
});

const writeOptions = {
  table: customerContracts,
  singular: 'customer contract',
  toOutput: contractOutput,
  prepareOutput: loadOwners,
  ownerOf: (r: CustomerContractRow) => r.contractOwnerId,
};

async function update(ctx: Ctx, row: CustomerContractRow, input: CustomerContractInput, changed: ReadonlySet<string>) {
  await loadOwners(ctx, [row]);
  const today = ctx.deps.owners.today(row.contractOwnerId, ctx.now);
  const decision = classifyContractEdit(row, { startDate: input.startDate, endDate: input.endDate ?? null }, changed, today);
  if (isViolation(decision)) {
    throw new TenorError(decision.kind, `/${decision.field}: ${decision.message}`, [{ path: `/${decision.field}`, message: decision.message }]);
  }

  const changes: Record<string, unknown> = {};
  const set = (field: keyof CustomerContractRow, value: unknown) => {
    changes[field] = value;
  };
  if (changed.has('siteId')) {
    if (input.siteId != null) await siteOfCustomer(ctx, input.siteId, row.customerId);
    set('siteId', input.siteId ?? null);
  }
  await checkSetupReferences(ctx, row.contractOwnerId, input, changed);
  if (changed.has('rolloverContractProfileId')) {
    if (input.rolloverContractProfileId != null) {
      await usableProfile(ctx, input.rolloverContractProfileId, row.contractOwnerId, '/rolloverContractProfileId');
    }
    set('rolloverContractProfileId', input.rolloverContractProfileId ?? null);
  }
  for (const field of ['name', 'renewalAlertDays', 'noticePeriodDays'] as const) {
    if (!changed.has(field)) continue;
    // their defaults are set once, at signing; a removal would otherwise change nothing yet bump the version
    if (input[field] === undefined) throw invalidField(`/${field}`, 'cannot be removed; replace it instead');
    set(field, input[field]);
  }
  const extras = optionalValues(input);
  for (const field of Object.keys(extras) as Array<keyof typeof extras>) {
    if (changed.has(field)) set(field, extras[field]);
  }

  if (changed.has('priceAdaptationId')) {
    if (input.priceAdaptationId != null) await usablePriceAdaptation(ctx, input.priceAdaptationId, row.contractOwnerId, '/priceAdaptationId');
    set('priceAdaptationId', input.priceAdaptationId ?? null);
  }
  // the lifecycle job looks at the contract again when its end or its rollover changes
  if (changed.has('endDate') || changed.has('rolloverContractProfileId')) set('settled', false);
  // …and for price adaptation steps when its adaptation or its dates change (steps applied stay applied)
  const adapted = changed.has('priceAdaptationId') ? input.priceAdaptationId != null : row.priceAdaptationId !== null;
  if (['priceAdaptationId', 'startDate', 'endDate'].some((f) => changed.has(f)) && (adapted || row.priceAdaptationCheckDate !== null)) {
    set('priceAdaptationCheckDate', MIN_DATE);
  }

  if (decision.kind === 'terminate') {
    Object.assign(changes, await earlyTerminationChanges(ctx, row, decision.terminationDate));
    return updateRow(ctx, { ...writeOptions, events: { updated: CONTRACT_EVENTS.terminated } }, row, changes);
  }

  // before billing starts: a new start or profile moves the derived end date, unless one was given
  const startDate = input.startDate;
  let profileTerm: number | null = null;
  if (changed.has('contractProfileId')) {
    if (input.contractProfileId == null) throw invalidField('/contractProfileId', 'cannot be removed; replace it instead');
    const profile = await usableProfile(ctx, input.contractProfileId, row.contractOwnerId, '/contractProfileId');
    set('contractProfileId', profile.id);
    profileTerm = profile.contractTerm;
  }
  if (changed.has('startDate')) {
    set('startDate', startDate);
    set('anchorDate', startDate);
  }
  if (changed.has('endDate')) {
    set('endDate', input.endDate);
    set('termEndDate', input.endDate);
  } else if (profileTerm !== null || (changed.has('startDate') && row.contractProfileId !== null)) {
    const term = profileTerm ?? (await usableTerm(ctx, row));
    const endDate = computeEndDate({ anchorDate: startDate, monthsFromAnchor: 0 }, term);
    set('endDate', endDate);
    set('termEndDate', endDate);
  }
  // a billing start that followed the start date keeps following it
  const followsStart = row.billingStartDate === row.startDate && changed.has('startDate');
  const billingStartDate = changed.has('billingStartDate') ? input.billingStartDate ?? startDate : followsStart ? startDate : row.billingStartDate;
  if (changed.has('billingStartDate') || followsStart) set('billingStartDate', billingStartDate);
  assertDateOrder(startDate, (changes.endDate as string | undefined) ?? row.endDate, '/startDate', '/endDate');
  assertDateOrder(startDate, billingStartDate, '/startDate', '/billingStartDate');
  return updateRow(ctx, { ...writeOptions, events: { updated: CONTRACT_EVENTS.updated } }, row, changes);
}

/** The term of the profile a contract was signed on (superseded versions included: their terms never change). */
async function usableTerm(ctx: Ctx, row: CustomerContractRow): Promise<number> {
  if (row.contractProfileId === null) throw new TenorError('business-rule', 'The contract has no profile to compute its end date from');
  const [profile] = await ctx.db
    .select({ term: contractProfiles.contractTerm })
    .from(contractProfiles)
    .where(eq(contractProfiles.id, row.contractProfileId));
  return profile!.term;
}

/**
 * Deleting a renewal means the contract did not renew: its predecessor becomes
 * current again and loses its rollover profile, so the job does not renew it anew
 * but settles it again (an ended one expires, with its event).
 */
async function remove(ctx: Ctx, row: CustomerContractRow) {
  if (row.renewedCustomerContractId !== null) {
    throw conflict(`Customer contract ${row.id} has been renewed as ${row.renewedCustomerContractId}; it cannot be deleted`);
  }
  await assertUnreferenced(ctx, 'customer contract', row.id, [
    { table: customerContractAssignments, column: customerContractAssignments.customerContractId, label: 'assignments' },
  ]);
  const statements: Statement[] = [];
  if (row.previousCustomerContractId !== null) {
    statements.push(
      ctx.db
        .update(customerContracts)
        .set({
          renewedCustomerContractId: null,
          rolloverContractProfileId: null,
          settled: false,
          version: sql`${customerContracts.version} + 1`,
          updatedDate: ctx.nowIso,
          updatedBy: ctx.actor,
        })
        .where(eq(customerContracts.id, row.previousCustomerContractId)),
    );
  }
  statements.push(
    ctx.db.delete(customerContracts).where(and(eq(customerContracts.id, row.id), eq(customerContracts.version, row.version))),
    abortUnlessChanged(),
  );
  try {
    await ctx.deps.database.batch(statements);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange('customer contract');
    throw error;
  }
}

export const customerContractService = {
  ...base,
  async update(ctx: Ctx, row: CustomerContractRow, input: CustomerContractInput, changed: ReadonlySet<string>) {
    return { row: await update(ctx, row, input, changed) };
  },
  remove,
};

/** Ending `row` early on `date` (the early-termination path of every surface): its end and termination, with the ETC charged for that date. */
async function earlyTerminationChanges(ctx: Ctx, row: CustomerContractRow, date: string): Promise<Record<string, unknown>> {
  const charge = await contractEarlyTerminationCharge(ctx, row, date);
  return { endDate: date, terminationDate: date, terminationType: 'EARLY', earlyTerminationCharge: charge };
}

/** The changes one termination makes to one contract (planned before anything is written). */
export interface TerminationChange {
  row: CustomerContractRow;
  changes: Record<string, unknown>;
}

/** A contract that can be terminated: current (409), not terminated already (409), with a term (422). */
function assertTerminable(row: CustomerContractRow): asserts row is CustomerContractRow & { endDate: string; contractProfileId: number } {
  if (row.renewedCustomerContractId !== null) {
    throw conflict(`Customer contract ${row.id} has been renewed as ${row.renewedCustomerContractId}; terminate the current contract`);
  }
  if (row.terminationDate !== null) throw conflict(`Customer contract ${row.id} is already terminated (on ${row.terminationDate})`);
  assertTermed(row);
}

function assertTermed(row: CustomerContractRow): asserts row is CustomerContractRow & { endDate: string; contractProfileId: number } {
  if (row.endDate === null || row.contractProfileId === null) {
    throw new TenorError('business-rule', `Customer contract ${row.id} has no profile: without a term there is no term end to terminate at`);
  }
}

/** Where a notice given on `noticeDate` ends the chain (lifecycle.md): this term's end, or the next one's; later is a 409. */
async function regularEnd(ctx: Ctx, row: CustomerContractRow & { endDate: string }, noticeDate: string) {
  const signedTerm = await usableTerm(ctx, row);
  let rolloverTerm: number | null = null;
  if (row.rolloverContractProfileId !== null) {
    const [p] = await ctx.db
      .select({ term: contractProfiles.contractTerm })
      .from(contractProfiles)
      .where(eq(contractProfiles.id, row.rolloverContractProfileId));
    rolloverTerm = p?.term ?? null;
  }
  // a contract whose end left the anchored schedule renews into a chain anchored on its successor's start
  const position = followsAnchor({ ...row, endDate: row.endDate, contractTerm: signedTerm })
    ? { anchorDate: row.anchorDate, monthsFromAnchor: row.monthsFromAnchor }
    : { anchorDate: addDays(row.endDate, 1), monthsFromAnchor: -signedTerm };
  const decision = decideRegularTermination({
    position,
    endDate: row.endDate,
    contractTerm: signedTerm,
    rolloverTerm,
    noticePeriodDays: row.noticePeriodDays,
    noticeDate,
  });
  if (decision.kind === 'too-late') {
    throw conflict(
      `Notice given on ${noticeDate} is later than the cut-off of this term (${addDays(row.endDate, -row.noticePeriodDays)}) and of the next one (${decision.nextCutOffDate}, for an end on ${decision.nextEndDate}); a notice period of ${row.noticePeriodDays} days cannot be met`,
      { cutOffDate: decision.nextCutOffDate, nextTermEndDate: decision.nextEndDate },
    );
  }
  return decision.termination;
}

/**
 * Regular termination (lifecycle.md): notice given on `noticeDate` ends the chain
 * at the first term end that respects the notice period — this contract's end if
 * notice is in time (its rollover is cleared), otherwise the next term's end,
 * which the renewal carries. A notice later than the next cut-off is a 409. No ETC.
 */
export async function planTerminationByNotice(ctx: Ctx, row: CustomerContractRow, noticeDate: string, reason: string | null): Promise<TerminationChange> {
  assertTerminable(row);
  const end = await regularEnd(ctx, row, noticeDate);
  const changes: Record<string, unknown> = {
    terminationType: 'REGULAR',
    terminationDate: end.endDate,
    noticeDate,
    terminationReason: reason,
    settled: false,
  };
  if (end.renewals === 0) changes.rolloverContractProfileId = null;
  return { row, changes };
}

/** 422 naming `field` unless `date` lies in the contract's current term (start … end). */
function assertWithinTerm(row: CustomerContractRow & { endDate: string }, date: string, field: string): void {
  if (date < row.startDate) throw fieldProblem('business-rule', field, `${date} is before the contract starts (${row.startDate})`);
  if (date > row.endDate) throw fieldProblem('business-rule', field, `${date} is after the current term ends (${row.endDate}); to end at a later term end, give notice`);
}

/**
 * Extraordinary termination: the contract ends on `date` (in its current term),
 * does not renew, and is charged the ETC of an early termination on that date.
 */
export async function planExtraordinaryTermination(ctx: Ctx, row: CustomerContractRow, date: string, reason: string | null): Promise<TerminationChange> {
  assertTerminable(row);
  assertWithinTerm(row, date, '/terminationDate');
  return {
    row,
    changes: { ...(await earlyTerminationChanges(ctx, row, date)), rolloverContractProfileId: null, noticeDate: null, terminationReason: reason, settled: false },
  };
}

export interface TerminationAdaptation {
  noticeDate?: string | null;
  terminationDate?: string | null;
  reason: string | null;
}

/**
 * Moves an existing termination earlier (never later: 422). With `terminationDate`
 * the contract ends on that date as an extraordinary termination (ETC charged);
 * with only `noticeDate` it ends where a regular notice given then ends it (no
 * ETC); with neither, it ends on `today` as an extraordinary termination. The new
 * end must lie in the current term (the renewal that a later date would need does
 * not exist yet). A contract that is not terminated is a 409.
 */
export async function planTerminationAdaptation(ctx: Ctx, row: CustomerContractRow, input: TerminationAdaptation, today: string): Promise<TerminationChange> {
  if (row.renewedCustomerContractId !== null) {
    throw conflict(`Customer contract ${row.id} has been renewed as ${row.renewedCustomerContractId}; adapt the current contract`);
  }
  if (row.terminationDate === null) throw conflict(`Customer contract ${row.id} is not terminated; terminate it first`);
  assertTermed(row);
  const current = row.terminationDate;
  const earlier = (date: string, field: string) => {
    if (date >= current) throw fieldProblem('business-rule', field, `${date} is not before the current termination date ${current}; a termination can only be moved earlier`);
  };
  if (input.terminationDate == null && input.noticeDate != null) {
    const end = await regularEnd(ctx, row, input.noticeDate);
    earlier(end.endDate, '/noticeDate');
    assertWithinTerm(row, end.endDate, '/noticeDate');
    // a regular end is a term end, never before an early termination's date: only a later-term notice gets here
    const changes = { terminationType: 'REGULAR', terminationDate: end.endDate, noticeDate: input.noticeDate, terminationReason: input.reason, rolloverContractProfileId: null, settled: false };
    return { row, changes };
  }
  const date = input.terminationDate ?? today;
  // left out, the termination date is today, and problems with it still name terminationDate
  earlier(date, '/terminationDate');
  assertWithinTerm(row, date, '/terminationDate');
  return {
    row,
    changes: {
      ...(await earlyTerminationChanges(ctx, row, date)),
      rolloverContractProfileId: null,
      noticeDate: input.noticeDate ?? null,
      terminationReason: input.reason,
      settled: false,
    },
  };
}

/** Writes planned terminations in one batch, all or nothing (409 if any contract changed meanwhile); returns the rows. */
export async function applyTerminations(ctx: Ctx, planned: readonly TerminationChange[]): Promise<CustomerContractRow[]> {
  if (planned.length === 0) return [];
  const options = { ...writeOptions, events: { updated: CONTRACT_EVENTS.terminated } };
  const statements: Statement[] = [];
  for (const { row, changes } of planned) {
    const { update, dependents } = await updateStatements(ctx, options, row, changes);
    statements.push(update, abortUnlessChanged(), ...dependents);
  }
  let results: unknown[];
  try {
    results = await ctx.deps.database.batch(statements);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange('customer contract');
    throw error;
  }
  eventsWritten(
    ctx,
    planned.map((p) => p.row.contractOwnerId),
  );
  const perContract = statements.length / planned.length;
  return planned.map((_, i) => (results[i * perContract] as CustomerContractRow[])[0]!);
}

/** Regular termination of one contract (planTerminationByNotice, written). */
export async function terminateByNotice(ctx: Ctx, row: CustomerContractRow, noticeDate: string, reason: string | null): Promise<CustomerContractRow> {
  const [updated] = await applyTerminations(ctx, [await planTerminationByNotice(ctx, row, noticeDate, reason)]);
  return updated!;
}

/** A contract's writable fields as the service takes them: a dialect overlays its changes on these to update (amounts in major units). */
export function contractInput(r: CustomerContractRow): CustomerContractInput {
  return {
    name: r.name,
    customerId: r.customerId,
    siteId: r.siteId,
    contractProfileId: r.contractProfileId,
    startDate: r.startDate,
    endDate: r.endDate,
    billingStartDate: r.billingStartDate,
    rolloverContractProfileId: r.rolloverContractProfileId,
    renewalAlertDays: r.renewalAlertDays,
    noticePeriodDays: r.noticePeriodDays,
    contractNumber: r.contractNumber,
    value: r.value === null ? null : microsToMajor(r.value),
    notes: r.notes,
    email: r.email,
    signedDate: r.signedDate,
    externalRef: r.externalRef,
    properties: r.properties,
    signedAt: r.signedAt,
    language: r.language,
    couponCode: r.couponCode,
    lineItems: r.lineItems,
    pricingTierId: r.pricingTierId,
    markup: r.markup === null ? null : microsToMajor(r.markup),
    serviceFeeId: r.serviceFeeId,
    expired: r.expired,
    priceAdaptationId: r.priceAdaptationId,
  };
}

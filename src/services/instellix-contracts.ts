/**
 * instellix contracts (compat.md §instellix, seed 003): a customer contract
 * addressed by its contract ident (the contract's external reference, carried
 * by every renewal, so the ident names the chain and reads as its current
 * contract).
 *
 * Creating one writes, in ONE batch with reserved ids: a site of the debtor for
 * this contract (RPIs live on a site; the contract is limited to it, so its
 * coupon and options reach nothing else of the debtor), the customer contract,
 * one RPI per option of the plan with its quantity, their assignments to the
 * contract, the coupon's rental discount plan assigned to that site from the
 * start date, and the `customer_contract.created` event. Every row is built by
 * the service that owns it (siteValues, contractReferences/contractValues,
 * rpiValues, assignmentValues, siteDiscountAssignmentValues), so the rules are
 * the ones a POST of each object applies; nothing is written unless all pass.
 *
 * Terminations go through the contract service (customer-contracts.ts): regular
 * by notice, extraordinary (an early termination with its ETC), an adaptation
 * that moves a termination earlier; bulk ones plan every contract first and
 * write them in one batch.
 */
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { inList, isUniqueViolation, reserveIds, type Statement } from '../db/client';
import type { Ctx } from '../db/context';
import { eventsWritten } from '../db/context';
import { auditOnInsert, queryPage, requireVisible } from '../db/crud';
import { filterSql, type QuerySpec } from '../db/query';
import { ownerCondition } from '../db/tenancy';
import {
  contractProfileOptions,
  contractProfiles,
  customerContractAssignments,
  customerContracts,
  customers,
  priceAdaptations,
  rentalDiscountPlanAssignments,
  rentalProductInventories,
  rentalProducts,
  sites,
} from '../db/schema';
import {
  calendarDate,
  mapToProperties,
  type OptionQuantity,
  optionRentals,
  type Property,
  propertiesToMap,
  type Reference,
} from '../domain/instellix';
import { microsToMajor } from '../domain/money';
import { contractStatus } from '../domain/terms';
import { describeErrors, fieldProblem, invalid, notFound, TenorError } from '../errors';
import type { ListQuery, SortValues } from '../list-query';
import { type ContractProfileRow, usableProfile } from './contract-profiles';
import { assignmentValues } from './customer-contract-assignments';
import {
  applyTerminations,
  contractCreatedEvent,
  contractReferences,
  type CustomerContractInput,
  type CustomerContractRow,
  contractValues,
  customerContractQuery,
  planExtraordinaryTermination,
  planTerminationAdaptation,
  planTerminationByNotice,
  type TerminationChange,
} from './customer-contracts';
import { type DebtorRow, findDebtor } from './debtors';
import { assertAddressable, findByIdent } from './instellix-common';
import { siteDiscountAssignmentValues } from './pricing-assignments';
import { rentalDiscountPlanByCode } from './rental-discount-plans';
import { rpiValues } from './rental-product-inventories';
import { siteValues } from './sites';
import { priceAdaptationByRef, usablePriceAdaptation } from './price-adaptations';

const cc = customerContracts;

/** A contract as the dialect writes it (shapes checked by the route; deprecated fields mapped to references). */
export interface ContractCreateInput {
  contractIdent: string;
  debtor: Reference;
  plan: Reference;
  /** the signing instant */
  date: string;
  /** a date, or an instant (its date in the owner's time zone); default: the signing date */
  startDate?: string | null;
  billingStartDate?: string | null;
  optionQuantities: OptionQuantity[];
  couponCode?: string | null;
  /** contractPriceAdaptation: the price adaptation by ident (its externalRef) or id */
  priceAdaptation?: Reference | null;
  properties?: Property[] | null;
  lineItems?: Array<Record<string, unknown>> | null;
  language: string;
}

// ─── reading ─────────────────────────────────────────────────────────────────

interface ContractOption {
  optionIdent: string | null;
  name: string | null;
  rentalProductId: number;
  quantity: number;
  rentalProductInventoryId: number;
}

/** What a contract reads as: its current contract, the chain's first one (what was signed), debtor, plan version and options. */
export interface ContractView {
  row: CustomerContractRow;
  first: CustomerContractRow;
  debtor: DebtorRow;
  plan: ContractProfileRow | null;
  options: ContractOption[];
  /** the contract's price adaptation (contractPriceAdaptation) */
  priceAdaptation: { id: number; externalRef: string | null } | null;
}

export function contractOutput(ctx: Ctx, view: ContractView) {
  const { row, first, debtor, plan } = view;
  const today = ctx.deps.owners.today(row.contractOwnerId, ctx.now);
  const ends = row.terminationDate ?? (row.rolloverContractProfileId === null ? row.endDate : null);
  return {
    contractIdent: row.externalRef!,
    contractId: row.id,
    contractOwnerId: row.contractOwnerId,
    debtorIdent: debtor.externalRef,
    debtorId: debtor.id,
    planIdent: plan?.externalRef ?? null,
    planId: plan?.id ?? null,
    planName: plan?.name ?? null,
    status: contractStatus(row, today),
    date: first.signedAt,
    signedDate: first.signedDate,
    startDate: first.startDate,
    billingStartDate: first.billingStartDate,
    endDate: ends,
    currentTerm: { startDate: row.startDate, endDate: row.endDate },
    autoRenewal: row.rolloverContractProfileId !== null,
    optionQuantities: view.options.flatMap((o) => (o.optionIdent === null ? [] : [{ optionIdent: o.optionIdent, quantity: o.quantity }])),
    options: view.options,
    couponCode: first.couponCode,
    contractPriceAdaptation: view.priceAdaptation === null ? null : { ident: view.priceAdaptation.externalRef, id: view.priceAdaptation.id },
    properties: mapToProperties(row.properties),
    lineItems: first.lineItems ?? [],
    language: first.language,
    termination:
      row.terminationType === null
        ? null
        : {
            type: row.terminationType === 'REGULAR' ? ('REGULAR' as const) : ('EXTRAORDINARY' as const),
            noticeDate: row.noticeDate,
            terminationDate: row.terminationDate,
            reason: row.terminationReason,
            earlyTerminationCharge: row.earlyTerminationCharge === null ? null : microsToMajor(row.earlyTerminationCharge),
          },
    createdDate: first.createdDate,
    updatedDate: row.updatedDate,
  };
}

export type ContractOutput = ReturnType<typeof contractOutput>;

/** The views of current contracts, with what they need loaded in a few queries. */
export async function contractViews(ctx: Ctx, rows: readonly CustomerContractRow[]): Promise<ContractView[]> {
  if (rows.length === 0) return [];
  await ctx.deps.owners.load(
    rows.map((r) => r.contractOwnerId),
    ctx.now,
  );
  const ids = rows.map((r) => r.id);
  const idents = [...new Set(rows.map((r) => r.externalRef!))];
  const adaptationIds = rows.flatMap((r) => (r.priceAdaptationId === null ? [] : [r.priceAdaptationId]));
  const [debtorRows, planRows, chainRows, optionRows, adaptationRows] = await Promise.all([
    ctx.db.select().from(customers).where(inList(customers.id, rows.map((r) => r.customerId))),
    ctx.db
      .select()
      .from(contractProfiles)
      .where(inList(contractProfiles.id, rows.flatMap((r) => (r.contractProfileId === null ? [] : [r.contractProfileId])).concat(0))),
    ctx.db
      .select()
      .from(cc)
      .where(and(inList(cc.contractOwnerId, rows.map((r) => r.contractOwnerId)), inList(cc.externalRef, idents)))
      .orderBy(asc(cc.startDate), asc(cc.id)),
    ctx.db
      .select({
        contractId: customerContractAssignments.customerContractId,
        rpiId: rentalProductInventories.id,
        rentalProductId: rentalProductInventories.rentalProductId,
        quantity: rentalProductInventories.quantity,
        optionIdent: contractProfileOptions.optionIdent,
        name: contractProfileOptions.name,
      })
      .from(customerContractAssignments)
      .innerJoin(rentalProductInventories, eq(rentalProductInventories.id, customerContractAssignments.rentalProductInventoryId))
      .leftJoin(contractProfileOptions, eq(contractProfileOptions.id, rentalProductInventories.planOptionId))
      .where(and(inList(customerContractAssignments.customerContractId, ids), eq(customerContractAssignments.active, true)))
      .orderBy(asc(rentalProductInventories.id)),
    adaptationIds.length
      ? ctx.db.select({ id: priceAdaptations.id, externalRef: priceAdaptations.externalRef }).from(priceAdaptations).where(inList(priceAdaptations.id, adaptationIds))
      : [],
  ]);
  const adaptations = new Map(adaptationRows.map((a) => [a.id, a]));
  const debtors = new Map(debtorRows.map((d) => [d.id, d]));
  const plans = new Map(planRows.map((p) => [p.id, p]));
  const firsts = new Map<string, CustomerContractRow>();
  for (const c of chainRows) {
    const key = `${c.contractOwnerId}|${c.externalRef}`;
    if (!firsts.has(key)) firsts.set(key, c);
  }
  const options = new Map<number, ContractOption[]>(ids.map((id) => [id, []]));
  for (const o of optionRows) {
    options.get(o.contractId)?.push({ optionIdent: o.optionIdent, name: o.name, rentalProductId: o.rentalProductId, quantity: o.quantity, rentalProductInventoryId: o.rpiId });
  }
  return rows.map((row) => ({
    row,
    first: firsts.get(`${row.contractOwnerId}|${row.externalRef}`) ?? row,
    debtor: debtors.get(row.customerId)!,
    plan: row.contractProfileId === null ? null : (plans.get(row.contractProfileId) ?? null),
    options: options.get(row.id) ?? [],
    priceAdaptation: row.priceAdaptationId === null ? null : (adaptations.get(row.priceAdaptationId) ?? null),
  }));
}

/** The current contract with this ident among the caller's owners (404 naming `field` when given). */
export async function findContract(ctx: Ctx, ident: string, field?: string): Promise<CustomerContractRow> {
  const row = await findByIdent<CustomerContractRow>(ctx, cc, { owner: cc.contractOwnerId, ident: cc.externalRef }, ident, 'contract', isNull(cc.renewedCustomerContractId));
  if (!row) throw field ? fieldProblem('not-found', field, `contract ${ident} was not found`) : notFound(`Contract ${ident} was not found`);
  return row;
}

export async function getContract(ctx: Ctx, ident: string): Promise<ContractOutput> {
  const [view] = await contractViews(ctx, [await findContract(ctx, ident)]);
  return contractOutput(ctx, view!);
}

/** The filters of contract lists, over current contracts that have an ident. */
export const instellixContractQuery: QuerySpec = {
  filters: {
    debtorIdent: {
      type: 'string',
      description: 'The debtor’s ident',
      build: (f) => sql`exists (select 1 from ${customers} where ${customers.id} = ${cc.customerId} and ${filterSql(customers.externalRef, f)})`,
    },
    planIdent: {
      type: 'string',
      description: 'The plan’s ident (any version of the plan)',
      build: (f) => sql`exists (select 1 from ${contractProfiles} where ${contractProfiles.id} = ${cc.contractProfileId} and ${filterSql(contractProfiles.externalRef, f)})`,
    },
    status: customerContractQuery.filters.status!,
  },
  sorts: { id: cc.id },
};

/** A page of the contracts (by id; a keyset page after `query.after`), the total (-1: not counted) and where a keyset page's next one starts. */
export async function listContracts(ctx: Ctx, query: ListQuery): Promise<{ items: ContractOutput[]; total: number; next?: SortValues | null }> {
  const base = [ownerCondition(ctx.tenant, cc.contractOwnerId), isNull(cc.renewedCustomerContractId), isNotNull(cc.externalRef)];
  const { rows, total, next } = await queryPage<CustomerContractRow>(ctx, cc, instellixContractQuery, base, query);
  const views = await contractViews(ctx, rows);
  return { items: views.map((v) => contractOutput(ctx, v)), total, next };
}

// ─── creating ────────────────────────────────────────────────────────────────

/** A field problem thrown by another service, renamed to the field of this dialect it came from. */
function renamed<T>(work: Promise<T>, path: string): Promise<T> {
  return work.catch((error: unknown) => {
    if (error instanceof TenorError && error.errors?.length) {
      const message = error.errors.map((e) => e.message).join('; ');
      throw new TenorError(error.kind, `${path}: ${message}`, [{ path, message }], error.extensions);
    }
    throw error;
  });
}

async function resolveDebtor(ctx: Ctx, ref: Reference): Promise<DebtorRow> {
  if (ref.ident === undefined) return requireVisible<DebtorRow>(ctx, customers, ref.id, '/debtorId', 'debtor');
  const debtor = await findDebtor(ctx, ref.ident);
  if (!debtor) throw fieldProblem('not-found', '/debtorIdent', `debtor ${ref.ident} was not found`);
  if (ref.id !== undefined && ref.id !== debtor.id) throw fieldProblem('business-rule', '/debtorId', `names debtor ${ref.id}, not ${ref.ident} (${debtor.id})`);
  return debtor;
}

async function resolvePlan(ctx: Ctx, ref: Reference, ownerId: number): Promise<ContractProfileRow> {
  if (ref.ident === undefined) return usableProfile(ctx, ref.id, ownerId, '/planId');
  const [plan] = await ctx.db
    .select()
    .from(contractProfiles)
    .where(and(eq(contractProfiles.contractOwnerId, ownerId), eq(contractProfiles.externalRef, ref.ident), isNull(contractProfiles.supersededByContractProfileId)))
    .limit(1);
  if (!plan) throw fieldProblem('not-found', '/planIdent', `the debtor's contract owner has no plan ${ref.ident}`);
  if (ref.id !== undefined && ref.id !== plan.id) throw fieldProblem('business-rule', '/planId', `names plan version ${ref.id}, not ${ref.ident} (${plan.id})`);
  return plan;
}

/** The price adaptation contractPriceAdaptation names, of the debtor's owner: by ident (its externalRef; 404 when none) or id (404 unseen, 422 another owner's). */
async function resolvePriceAdaptation(ctx: Ctx, ref: Reference, ownerId: number): Promise<number> {
  if (ref.ident === undefined) return (await usablePriceAdaptation(ctx, ref.id, ownerId, '/contractPriceAdaptation/id')).id;
  const adaptation = await priceAdaptationByRef(ctx, ownerId, ref.ident);
  if (!adaptation) throw fieldProblem('not-found', '/contractPriceAdaptation/ident', `the debtor's contract owner has no price adaptation ${ref.ident}`);
  if (ref.id !== undefined && ref.id !== adaptation.id) {
    throw fieldProblem('business-rule', '/contractPriceAdaptation/id', `names price adaptation ${ref.id}, not ${ref.ident} (${adaptation.id})`);
  }
  return adaptation.id;
}

/** Reserved ids for `count` rows of `table` (none reserved for none): rows of one batch that refer to one another. */
async function idsFor(ctx: Ctx, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const first = await reserveIds(ctx.db, table, count);
  return Array.from({ length: count }, (_, i) => first + i);
}

export async function createContract(ctx: Ctx, input: ContractCreateInput): Promise<ContractOutput> {
  assertAddressable(input.contractIdent, '/contractIdent');
  const debtor = await resolveDebtor(ctx, input.debtor);
  const ownerId = debtor.contractOwnerId;
  const plan = await resolvePlan(ctx, input.plan, ownerId);
  const priceAdaptationId = input.priceAdaptation == null ? null : await resolvePriceAdaptation(ctx, input.priceAdaptation, ownerId);
  const [clash] = await ctx.db
    .select({ id: cc.id })
    .from(cc)
    .where(and(eq(cc.contractOwnerId, ownerId), eq(cc.externalRef, input.contractIdent), isNull(cc.renewedCustomerContractId)))
    .limit(1);
  if (clash) throw identTaken(input.contractIdent);

  const owner = (await ctx.deps.owners.get(ownerId))!;
  const startDate = calendarDate(input.startDate ?? input.date, owner.timezone)!;
  const billingStartDate = input.billingStartDate == null ? undefined : calendarDate(input.billingStartDate, owner.timezone)!;
  const { map: properties, issues } = propertiesToMap(input.properties ?? []);
  const planOptions = await ctx.db
    .select()
    .from(contractProfileOptions)
    .where(eq(contractProfileOptions.contractProfileId, plan.id))
    .orderBy(asc(contractProfileOptions.displayOrder), asc(contractProfileOptions.id));
  const { rentals, unknown, repeated } = optionRentals(planOptions, input.optionQuantities);
  const invalidFields = [...issues, ...repeated];
  if (invalidFields.length) throw invalid(describeErrors(invalidFields), invalidFields);
  if (unknown.length) throw new TenorError('business-rule', describeErrors(unknown), unknown);
  const discountPlan = input.couponCode == null ? null : await rentalDiscountPlanByCode(ctx, ownerId, input.couponCode);
  if (input.couponCode != null && discountPlan === null) {
    throw fieldProblem('business-rule', '/couponCode', `no rental discount plan of the contract owner has the code ${input.couponCode}`);
  }

  // the rows, each built by the service that owns it (every rule checked before any id is reserved)
  const audit = auditOnInsert(ctx);
  const built = async (ids: { site: number; contract: number; rpis: readonly number[] }) => {
    const site = { id: ids.site, ...siteValues(debtor, { customerId: debtor.id, siteName: debtor.customerName, siteReference: input.contractIdent }), ...audit };
    const contractInput: CustomerContractInput = {
      customerId: debtor.id,
      siteId: site.id,
      contractProfileId: plan.id,
      startDate,
      ...(billingStartDate === undefined ? {} : { billingStartDate }),
      externalRef: input.contractIdent,
      properties: input.properties?.length ? properties : null,
      signedAt: input.date,
      language: input.language,
      couponCode: input.couponCode ?? null,
      lineItems: input.lineItems ?? null,
      priceAdaptationId,
    };
    const values = { ...contractValues(contractInput, await contractReferences(ctx, contractInput, { site })), id: ids.contract, ...audit };
    const contract = {
      ...values,
      previousCustomerContractId: null,
      renewedCustomerContractId: null,
      renewalAlertStartDate: null,
      terminationDate: null,
      terminationType: null,
      earlyTerminationCharge: null,
      noticeDate: null,
      terminationReason: null,
      settled: false,
    } as CustomerContractRow;
    const rpis = rentals.map(({ option, quantity }, i) => ({
      id: ids.rpis[i]!,
      ...rpiValues(site, products.get(option.rentalProductId)!, {
        siteId: site.id,
        rentalProductId: option.rentalProductId,
        quantity,
        startDate,
        endDate: null,
        label: option.name,
        productReference: option.optionIdent,
      }),
      planOptionId: option.id,
      ...audit,
    }));
    const assignments = rpis.map((rpi) => ({ ...assignmentValues(rpi, contract, true), ...audit }));
    const discount = discountPlan === null ? null : await renamed(siteDiscountAssignmentValues(ctx, site, { rentalDiscountPlanId: discountPlan.id, startDate }), '/couponCode');
    return { site, values, contract, rpis, assignments, discount };
  };
  const products = new Map(
    (await ctx.db.select().from(rentalProducts).where(inList(rentalProducts.id, rentals.map((r) => r.option.rentalProductId).concat(0)))).map((p) => [p.id, p]),
  );
  await built({ site: 0, contract: 0, rpis: rentals.map(() => 0) });
  const [siteId] = await idsFor(ctx, 'sites', 1);
  const [contractId] = await idsFor(ctx, 'customer_contracts', 1);
  const rows = await built({ site: siteId!, contract: contractId!, rpis: await idsFor(ctx, 'rental_product_inventories', rentals.length) });

  const statements: Statement[] = [
    ctx.db.insert(sites).values(rows.site),
    ctx.db.insert(cc).values(rows.values),
    ...rows.rpis.map((r) => ctx.db.insert(rentalProductInventories).values(r)),
    ...rows.assignments.map((a) => ctx.db.insert(customerContractAssignments).values(a)),
    ...(rows.discount ? [ctx.db.insert(rentalDiscountPlanAssignments).values({ ...rows.discount, ...audit } as typeof rentalDiscountPlanAssignments.$inferInsert)] : []),
    contractCreatedEvent(ctx, rows.contract),
  ];
  try {
    await ctx.deps.database.batch(statements);
  } catch (error) {
    if (isUniqueViolation(error, 'external_ref')) throw identTaken(input.contractIdent);
    throw error;
  }
  eventsWritten(ctx, [ownerId]);
  return getContract(ctx, input.contractIdent);
}

function identTaken(ident: string): TenorError {
  return new TenorError('conflict', `/contractIdent: the contract owner already has a contract "${ident}"`, [
    { path: '/contractIdent', message: 'is already used by another contract of the contract owner', value: ident },
  ]);
}

// ─── terminating ─────────────────────────────────────────────────────────────

export interface NoticeInput {
  /** a date or an instant; default: the owner's today */
  noticeDate?: string | null;
  reason?: string | null;
}

export interface ExtraordinaryInput {
  /** a date or an instant; default: the owner's today */
  terminationDate?: string | null;
  reason?: string | null;
}

export interface AdaptationInput {
  noticeDate?: string | null;
  terminationDate?: string | null;
  reason?: string | null;
}

type Planner = (ctx: Ctx, row: CustomerContractRow, today: string, timeZone: string) => Promise<TerminationChange>;

const local = (value: string | null | undefined, timeZone: string) => (value == null ? null : calendarDate(value, timeZone));

export const regularTermination =
  (input: NoticeInput): Planner =>
  (ctx, row, today, timeZone) =>
    planTerminationByNotice(ctx, row, local(input.noticeDate, timeZone) ?? today, input.reason ?? null);

export const extraordinaryTermination =
  (input: ExtraordinaryInput): Planner =>
  (ctx, row, today, timeZone) =>
    planExtraordinaryTermination(ctx, row, local(input.terminationDate, timeZone) ?? today, input.reason ?? null);

export const terminationAdaptation =
  (input: AdaptationInput): Planner =>
  (ctx, row, today, timeZone) =>
    planTerminationAdaptation(
      ctx,
      row,
      { noticeDate: local(input.noticeDate, timeZone), terminationDate: local(input.terminationDate, timeZone), reason: input.reason ?? null },
      today,
    );

async function planFor(ctx: Ctx, row: CustomerContractRow, planner: Planner): Promise<TerminationChange> {
  const owner = (await ctx.deps.owners.get(row.contractOwnerId))!;
  return planner(ctx, row, ctx.deps.owners.today(row.contractOwnerId, ctx.now), owner.timezone);
}

/** One contract's termination action; answers with the contract as it now reads. */
export async function terminateContract(ctx: Ctx, ident: string, planner: Planner): Promise<ContractOutput> {
  const row = await findContract(ctx, ident);
  await applyTerminations(ctx, [await planFor(ctx, row, planner)]);
  return getContract(ctx, ident);
}

/**
 * The same action on many contracts, all or nothing: every contract is planned
 * first (any refusal fails the request, naming its ident as /idents/<i>), then all
 * are written in one batch. An ident listed twice is a 400.
 */
export async function terminateContracts(ctx: Ctx, idents: readonly string[], planner: Planner): Promise<void> {
  const seen = new Map<string, number>();
  idents.forEach((ident, index) => {
    if (seen.has(ident)) throw fieldProblem('validation', `/idents/${index}`, `"${ident}" is listed more than once (also at /idents/${seen.get(ident)})`);
    seen.set(ident, index);
  });
  const planned: TerminationChange[] = [];
  for (const [index, ident] of idents.entries()) {
    const path = `/idents/${index}`;
    try {
      planned.push(await planFor(ctx, await findContract(ctx, ident, path), planner));
    } catch (error) {
      if (!(error instanceof TenorError)) throw error;
      const message = error.errors?.[0]?.path === path ? error.errors[0].message : error.detail;
      throw new TenorError(error.kind, `${path} (${ident}): ${message}`, [{ path, message, value: ident }], error.extensions);
    }
  }
  await applyTerminations(ctx, planned);
}

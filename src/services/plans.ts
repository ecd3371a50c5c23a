/**
 * instellix plans (compat.md §instellix): a plan is a contract profile — its
 * current version — plus its options (contract_profile_options: option ident,
 * rental product, name). The plan ident is the profile's external_ref, unique
 * among an owner's current versions; a new version takes it over, and the
 * options follow (services/contract-profiles.ts).
 *
 * Rules (decisions where the spec is silent are in README.md):
 * - the term and the early termination charge change by a new profile version,
 *   as on /v1: contracts keep the version they were signed on;
 * - a plan used by a contract (one signed on its current version) may otherwise
 *   change only its name and properties (and the units its values are shown in):
 *   its notice period, auto-renewal and options are a 422;
 * - `autoRenewal` is a rollover into the plan itself; a plan that rolls over into
 *   another profile (set on /v1) reads as autoRenewal true and keeps it;
 * - options: idents unique in the plan (400), rental products of the plan's owner.
 */
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Statement } from '../db/client';
import type { Ctx } from '../db/context';
import { assertSameOwner, queryPage, readWhere, requireVisible } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { contractProfileOptions, contractProfiles, customerContracts, rentalProducts } from '../db/schema';
import {
  type Duration,
  mapToProperties,
  type NoticeUnit,
  noticePeriodDays,
  noticePeriodOf,
  type Property,
  propertiesToMap,
  type TermUnit,
  termMonths,
  termOf,
} from '../domain/instellix';
import { majorToMicros, microsToMajor } from '../domain/money';
import { DEFAULT_RENEWAL_ALERT_DAYS } from '../domain/terms';
import { describeErrors, fieldProblem, type FieldError, invalid, notFound, TenorError } from '../errors';
import type { ListQuery, SortValues } from '../list-query';
import {
  changeProfile,
  type ContractProfileInput,
  type ContractProfileRow,
  createProfileWithOptions,
  optionInsert,
  type ProfileOption,
} from './contract-profiles';
import { assertAddressable, findByIdent, ownerFor } from './instellix-common';

export type PlanOptionRow = typeof contractProfileOptions.$inferSelect;

/** A plan as the dialect writes it (units as sent; the route has checked shapes and ranges). */
export interface PlanInput {
  /** left out: the token's only owner */
  contractOwnerId?: number | null;
  /** on PUT it may be left out; if given it must be the plan's */
  planIdent?: string;
  name: string;
  contractTerm: Duration<TermUnit>;
  noticePeriod: Duration<NoticeUnit>;
  autoRenewal: boolean;
  earlyTermination: { fixedCharge: number; percentage: number };
  options: ProfileOption[];
  properties: Property[];
}

/** A plan read: its current version and that version's options, in order. */
export interface PlanView {
  row: ContractProfileRow;
  options: PlanOptionRow[];
}

export function planOutput(view: PlanView) {
  const { row } = view;
  return {
    planIdent: row.externalRef,
    planId: row.id,
    contractOwnerId: row.contractOwnerId,
    name: row.name,
    contractTerm: termOf(row.contractTerm, row.contractTermUnit),
    noticePeriod: noticePeriodOf(row.noticePeriodDays, row.noticePeriodUnit),
    autoRenewal: row.rolloverContractProfileId !== null,
    earlyTermination: { fixedCharge: microsToMajor(row.earlyTerminationFixedCharge), percentage: row.earlyTerminationPercentageCharge },
    options: view.options.map((o) => ({ optionIdent: o.optionIdent, rentalProductId: o.rentalProductId, name: o.name })),
    properties: mapToProperties(row.properties),
    versionNumber: row.versionNumber,
    createdDate: row.createdDate,
    updatedDate: row.updatedDate,
  };
}

export type PlanOutput = ReturnType<typeof planOutput>;

/** Every listed version's options, in display order. */
export async function optionsOf(ctx: Ctx, profileIds: readonly number[]): Promise<Map<number, PlanOptionRow[]>> {
  const byProfile = new Map<number, PlanOptionRow[]>(profileIds.map((id) => [id, []]));
  if (profileIds.length === 0) return byProfile;
  const rows = await ctx.db
    .select()
    .from(contractProfileOptions)
    .where(inArray(contractProfileOptions.contractProfileId, [...new Set(profileIds)]))
    .orderBy(asc(contractProfileOptions.displayOrder), asc(contractProfileOptions.id));
  for (const row of rows) byProfile.get(row.contractProfileId)?.push(row);
  return byProfile;
}

/** The current version of the plan with this ident among the caller's owners (null: none). */
export async function findPlan(ctx: Ctx, ident: string): Promise<ContractProfileRow | null> {
  return findByIdent<ContractProfileRow>(
    ctx,
    contractProfiles,
    { owner: contractProfiles.contractOwnerId, ident: contractProfiles.externalRef },
    ident,
    'plan',
    isNull(contractProfiles.supersededByContractProfileId),
  );
}

export async function getPlan(ctx: Ctx, ident: string): Promise<PlanView> {
  const row = await findPlan(ctx, ident);
  if (!row) throw notFound(`Plan ${ident} was not found`);
  return { row, options: (await optionsOf(ctx, [row.id])).get(row.id) ?? [] };
}

/** Plan lists page by id alone (no filters, no other order). */
const planListQuery: QuerySpec = { filters: {}, sorts: { id: contractProfiles.id } };

/** A page of the caller's plans (current versions with an ident), by id (a keyset page after `query.after`). */
export async function listPlans(ctx: Ctx, query: ListQuery): Promise<{ items: PlanView[]; total: number; next?: SortValues | null }> {
  const p = contractProfiles;
  const where = readWhere(ctx.tenant, p.contractOwnerId, [isNull(p.supersededByContractProfileId), isNotNull(p.externalRef)]);
  const { rows, total, next } = await queryPage<ContractProfileRow>(ctx, p, planListQuery, [where], query);
  const options = await optionsOf(
    ctx,
    rows.map((r) => r.id),
  );
  return { items: rows.map((row) => ({ row, options: options.get(row.id) ?? [] })), total, next };
}

/** 400 for an option ident given twice; 404/422 for a rental product that is not visible or of another owner. */
async function checkOptions(ctx: Ctx, ownerId: number, options: readonly ProfileOption[]): Promise<void> {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  options.forEach((o, index) => {
    if (seen.has(o.optionIdent)) errors.push({ path: `/options/${index}/optionIdent`, message: `"${o.optionIdent}" is given more than once` });
    seen.add(o.optionIdent);
  });
  if (errors.length) throw invalid(describeErrors(errors), errors);
  for (const [index, o] of options.entries()) {
    const field = `/options/${index}/rentalProductId`;
    const product = await requireVisible<typeof rentalProducts.$inferSelect>(ctx, rentalProducts, o.rentalProductId, field, 'rental product');
    assertSameOwner(ownerId, product, field, 'rental product');
  }
}

function propertyMap(properties: readonly Property[]): Record<string, string> | null {
  const { map, issues } = propertiesToMap(properties);
  if (issues.length) throw invalid(describeErrors(issues), issues);
  return properties.length ? map : null;
}

/** The profile fields of a plan (what /v1 sees of it). */
function profileInput(ownerId: number, ident: string, input: PlanInput, rolloverContractProfileId: number | null): ContractProfileInput {
  return {
    contractOwnerId: ownerId,
    name: input.name,
    contractTerm: termMonths(input.contractTerm),
    earlyTerminationFixedCharge: input.earlyTermination.fixedCharge,
    earlyTerminationPercentageCharge: input.earlyTermination.percentage,
    rolloverContractProfileId,
    renewalAlertDays: DEFAULT_RENEWAL_ALERT_DAYS,
    noticePeriodDays: noticePeriodDays(input.noticePeriod),
    externalRef: ident,
    properties: propertyMap(input.properties),
    contractTermUnit: input.contractTerm.unit,
    noticePeriodUnit: input.noticePeriod.unit,
  };
}

export async function createPlan(ctx: Ctx, input: PlanInput): Promise<PlanView> {
  const ident = input.planIdent!;
  assertAddressable(ident, '/planIdent');
  const ownerId = await ownerFor(ctx, input.contractOwnerId);
  // what the plan refers to first (404/422), then whether its ident is free (409)
  await checkOptions(ctx, ownerId, input.options);
  const [clash] = await ctx.db
    .select({ id: contractProfiles.id })
    .from(contractProfiles)
    .where(and(eq(contractProfiles.contractOwnerId, ownerId), eq(contractProfiles.externalRef, ident), isNull(contractProfiles.supersededByContractProfileId)))
    .limit(1);
  if (clash) throw new TenorError('conflict', `/planIdent: the contract owner already has a plan "${ident}"`, [{ path: '/planIdent', message: 'is already used by another plan of the contract owner', value: ident }]);
  const row = await createProfileWithOptions(ctx, profileInput(ownerId, ident, input, null), input.autoRenewal, input.options);
  return { row, options: (await optionsOf(ctx, [row.id])).get(row.id) ?? [] };
}

/** Whether a contract was signed on this profile version (the plan is "used"). */
async function isUsed(ctx: Ctx, profileId: number): Promise<boolean> {
  const rows = await ctx.db.select({ id: customerContracts.id }).from(customerContracts).where(eq(customerContracts.contractProfileId, profileId)).limit(1);
  return rows.length > 0;
}

function sameOptions(stored: readonly PlanOptionRow[], given: readonly ProfileOption[]): boolean {
  return (
    stored.length === given.length &&
    stored.every((s, i) => s.optionIdent === given[i]!.optionIdent && s.rentalProductId === given[i]!.rentalProductId && (s.name ?? null) === (given[i]!.name ?? null))
  );
}

/** Statements that bring a version's option rows to `given` in place: kept idents are updated, the rest deleted or inserted. */
function optionWrites(ctx: Ctx, profile: ContractProfileRow, stored: readonly PlanOptionRow[], given: readonly ProfileOption[]): Statement[] {
  const o = contractProfileOptions;
  const byIdent = new Map(stored.map((s) => [s.optionIdent, s]));
  const kept = new Set(given.map((g) => g.optionIdent));
  const statements: Statement[] = [];
  const removed = stored.filter((s) => !kept.has(s.optionIdent)).map((s) => s.id);
  if (removed.length) statements.push(ctx.db.delete(o).where(inArray(o.id, removed)));
  given.forEach((g, index) => {
    const existing = byIdent.get(g.optionIdent);
    if (!existing) {
      statements.push(optionInsert(ctx, profile.contractOwnerId, profile.id, g, index));
      return;
    }
    statements.push(
      ctx.db
        .update(o)
        .set({ rentalProductId: g.rentalProductId, name: g.name, displayOrder: index, version: existing.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor })
        .where(eq(o.id, existing.id)),
    );
  });
  return statements;
}

/**
 * PUT of a plan: the whole plan as it should be. A term or ETC change makes a new
 * version; a plan used by a contract may not change its notice period,
 * auto-renewal or options (422 naming the field); the rest changes in place.
 */
export async function updatePlan(ctx: Ctx, ident: string, input: PlanInput): Promise<PlanView> {
  const row = await findPlan(ctx, ident);
  if (!row) throw notFound(`Plan ${ident} was not found`);
  if (input.planIdent !== undefined && input.planIdent !== ident) throw fieldProblem('business-rule', '/planIdent', `cannot change (the plan is ${ident})`);
  if (input.contractOwnerId != null && input.contractOwnerId !== row.contractOwnerId) {
    throw fieldProblem('business-rule', '/contractOwnerId', `cannot change (the plan belongs to contract owner ${row.contractOwnerId})`);
  }
  const stored = (await optionsOf(ctx, [row.id])).get(row.id) ?? [];
  await checkOptions(ctx, row.contractOwnerId, input.options);
  // auto-renewal keeps a rollover it already has (into itself, or another profile set on /v1)
  const rollover = input.autoRenewal ? (row.rolloverContractProfileId ?? row.id) : null;
  const next = profileInput(row.contractOwnerId, ident, input, rollover);
  const before: Record<string, unknown> = {
    name: row.name,
    contractTerm: row.contractTerm,
    earlyTerminationFixedCharge: row.earlyTerminationFixedCharge,
    earlyTerminationPercentageCharge: row.earlyTerminationPercentageCharge,
    rolloverContractProfileId: row.rolloverContractProfileId,
    noticePeriodDays: row.noticePeriodDays,
    properties: row.properties,
    contractTermUnit: row.contractTermUnit,
    noticePeriodUnit: row.noticePeriodUnit,
  };
  const after: Record<string, unknown> = { ...next, earlyTerminationFixedCharge: majorToMicros(next.earlyTerminationFixedCharge) };
  const changed = new Set(Object.keys(before).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)));
  const optionsChanged = !sameOptions(stored, input.options);
  if (changed.size === 0 && !optionsChanged) return { row, options: stored };

  if (await isUsed(ctx, row.id)) {
    const locked: Array<[boolean, string, string]> = [
      [changed.has('noticePeriodDays'), '/noticePeriod', 'notice period'],
      [changed.has('rolloverContractProfileId'), '/autoRenewal', 'auto-renewal'],
      [optionsChanged, '/options', 'options'],
    ];
    const hit = locked.find(([yes]) => yes);
    if (hit) {
      throw fieldProblem(
        'business-rule',
        hit[1],
        `a plan used by a contract may change only its name and properties (a term or early termination change makes a new version); its ${hit[2]} cannot change`,
      );
    }
  }
  const result = await changeProfile(ctx, row, next, changed, {
    onVersion: optionsChanged ? input.options : 'copy',
    inPlace: optionsChanged ? optionWrites(ctx, row, stored, input.options) : [],
  });
  return { row: result.row, options: (await optionsOf(ctx, [result.row.id])).get(result.row.id) ?? [] };
}

/**
 * Contract profiles: term length and early termination charges. A change to the
 * term or the ETC creates a new version (201) so signed contracts keep the terms
 * they were signed on; rollover references follow to the new version. Also the
 * rules about profiles that other services (contracts, renewals) share.
 */
import { and, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { abortUnlessChanged, isGuardAbort, reserveIds, type Statement } from '../db/client';
import { type Ctx, eventsWritten } from '../db/context';
import {
  assertSameOwner,
  assertUnreferenced,
  auditOnInsert,
  concurrentChange,
  eventStatement,
  requireOwner,
  requireVisible,
  tableService,
  updateRow,
} from '../db/crud';
import type { QuerySpec } from '../db/query';
import { contractProfileOptions, contractProfiles, customerContracts } from '../db/schema';
import { createsNewProfileVersion } from '../domain/contracts';
import type { NoticeUnit, TermUnit } from '../domain/instellix';
import { majorToMicros, microsToMajor } from '../domain/money';
import { conflict, TenorError } from '../errors';
import { booleanValue, topLevelFilter } from '../list-query';

export type ContractProfileRow = typeof contractProfiles.$inferSelect;

/** The writable fields, as every surface hands them over (defaults applied). */
export interface ContractProfileInput {
  contractOwnerId: number;
  name: string;
  /** months */
  contractTerm: number;
  /** major units */
  earlyTerminationFixedCharge: number;
  earlyTerminationPercentageCharge: number;
  rolloverContractProfileId?: number | null;
  renewalAlertDays: number;
  noticePeriodDays: number;
  /** the instellix plan ident; a new version takes it over unless given */
  externalRef?: string | null;
  properties?: Record<string, string> | null;
  /** the units an instellix plan's term and notice period were written in (display only) */
  contractTermUnit?: TermUnit | null;
  noticePeriodUnit?: NoticeUnit | null;
}

/** An option of a plan (a profile version): what a contract of it rents. */
export interface ProfileOption {
  optionIdent: string;
  rentalProductId: number;
  name: string | null;
}

/** What a new version's options are: the old version's, copied, or this list. */
export type OptionsOfVersion = 'copy' | readonly ProfileOption[];

/** A profile a contract (or another profile's rollover) may use: visible, same owner, current. */
export async function usableProfile(ctx: Ctx, id: number, ownerId: number, field: string): Promise<ContractProfileRow> {
  const profile = await requireVisible<ContractProfileRow>(ctx, contractProfiles, id, field, 'contract profile');
  assertSameOwner(ownerId, profile, field, 'contract profile');
  if (profile.supersededByContractProfileId !== null) {
    throw new TenorError('business-rule', `${field}: contract profile ${id} has been superseded by ${profile.supersededByContractProfileId}`, [
      { path: field, message: `superseded by contract profile ${profile.supersededByContractProfileId}` },
    ]);
  }
  return profile;
}

function toOutput(_ctx: Ctx, r: ContractProfileRow) {
  return {
    id: r.id,
    contractOwnerId: r.contractOwnerId,
    name: r.name,
    contractTerm: r.contractTerm,
    earlyTerminationFixedCharge: microsToMajor(r.earlyTerminationFixedCharge),
    earlyTerminationPercentageCharge: r.earlyTerminationPercentageCharge,
    rolloverContractProfileId: r.rolloverContractProfileId,
    renewalAlertDays: r.renewalAlertDays,
    noticePeriodDays: r.noticePeriodDays,
    supersededByContractProfileId: r.supersededByContractProfileId,
    versionNumber: r.versionNumber,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  };
}

function valuesOf(input: ContractProfileInput) {
  return {
    contractOwnerId: input.contractOwnerId,
    name: input.name,
    contractTerm: input.contractTerm,
    earlyTerminationFixedCharge: majorToMicros(input.earlyTerminationFixedCharge),
    earlyTerminationPercentageCharge: input.earlyTerminationPercentageCharge,
    rolloverContractProfileId: input.rolloverContractProfileId ?? null,
    renewalAlertDays: input.renewalAlertDays,
    noticePeriodDays: input.noticePeriodDays,
    externalRef: input.externalRef ?? null,
    properties: input.properties ?? null,
    contractTermUnit: input.contractTermUnit ?? null,
    noticePeriodUnit: input.noticePeriodUnit ?? null,
  };
}

/** Inserts of a profile version's options; the profile id may be SQL for a version inserted earlier in the batch. */
export function optionInserts(ctx: Ctx, ownerId: number, profileId: number | SQL, options: readonly ProfileOption[]): Statement[] {
  return options.map((o, index) => optionInsert(ctx, ownerId, profileId, o, index));
}

/** The insert of one option of a profile version, shown at `displayOrder`. */
export function optionInsert(ctx: Ctx, ownerId: number, profileId: number | SQL, option: ProfileOption, displayOrder: number): Statement {
  return ctx.db.insert(contractProfileOptions).values({
    contractOwnerId: ownerId,
    contractProfileId: profileId,
    optionIdent: option.optionIdent,
    rentalProductId: option.rentalProductId,
    name: option.name,
    displayOrder,
    ...auditOnInsert(ctx),
  });
}

/** A copy of a version's options for another version (the plan's options follow its current version). */
function copyOptions(ctx: Ctx, fromId: number, toId: SQL): Statement {
  const o = contractProfileOptions;
  return sql`insert into ${o} (contract_owner_id, contract_profile_id, option_ident, rental_product_id, name, display_order, created_date, updated_date, created_by, updated_by, version)
    select contract_owner_id, ${toId}, option_ident, rental_product_id, name, display_order, ${ctx.nowIso}, ${ctx.nowIso}, ${ctx.actor}, ${ctx.actor}, 1
    from ${o} where ${o.contractProfileId} = ${fromId} order by ${o.displayOrder}, ${o.id}`;
}

const EVENTS = {
  created: { type: 'contract_profile.created', objectType: 'contract_profile' },
  versioned: { type: 'contract_profile.versioned', objectType: 'contract_profile' },
};

const contractProfileQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: contractProfiles.id },
    contractOwnerId: { type: 'id', column: contractProfiles.contractOwnerId },
    name: { type: 'string', column: contractProfiles.name },
    rolloverContractProfileId: { type: 'id', column: contractProfiles.rolloverContractProfileId },
    contractTerm: { type: 'number', column: contractProfiles.contractTerm },
    includeSupersededVersions: {
      type: 'boolean',
      build: () => undefined,
      description: 'Include superseded (old) versions; default false',
    },
  },
  sorts: {
    id: contractProfiles.id,
    name: contractProfiles.name,
    contractTerm: contractProfiles.contractTerm,
    versionNumber: contractProfiles.versionNumber,
    createdDate: contractProfiles.createdDate,
  },
};

/** A new profile's column values, after its rules: an owner the caller acts for, a usable rollover profile. */
async function profileInsertValues(ctx: Ctx, input: ContractProfileInput) {
  await requireOwner(ctx, input.contractOwnerId);
  if (input.rolloverContractProfileId != null) {
    await usableProfile(ctx, input.rolloverContractProfileId, input.contractOwnerId, '/rolloverContractProfileId');
  }
  return { ...valuesOf(input), versionNumber: 1 };
}

/** 409 naming what still uses a profile: contracts signed on it or renewing into it, profiles rolling over into it, older versions. */
async function assertProfileUnreferenced(ctx: Ctx, row: ContractProfileRow): Promise<void> {
  await assertUnreferenced(ctx, 'contract profile', row.id, [
    { table: customerContracts, column: customerContracts.contractProfileId, label: 'customer contracts' },
    {
      table: contractProfiles,
      column: contractProfiles.rolloverContractProfileId,
      label: 'profiles rolling over into it',
      where: ne(contractProfiles.id, row.id),
    },
    { table: customerContracts, column: customerContracts.rolloverContractProfileId, label: 'contracts rolling over into it' },
    { table: contractProfiles, column: contractProfiles.supersededByContractProfileId, label: 'older versions' },
  ]);
}

const base = tableService<ContractProfileRow, ReturnType<typeof toOutput>, ContractProfileInput>({
  singular: 'contract profile',
  table: contractProfiles,
  ownerColumn: contractProfiles.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: contractProfileQuery,
  baseWhere(_ctx, query) {
    return booleanValue(topLevelFilter(query.where, 'includeSupersededVersions')) ? [] : [isNull(contractProfiles.supersededByContractProfileId)];
  },
  toInsert: profileInsertValues,
  beforeDelete: assertProfileUnreferenced,
  toOutput,
  events: { created: EVENTS.created },
});

/** Follows supersededBy to the current version of a profile. */
async function currentVersionOf(ctx: Ctx, row: ContractProfileRow): Promise<number> {
  let id = row.supersededByContractProfileId ?? row.id;
  for (let hops = 0; hops < 1000; hops++) {
    const [next] = await ctx.db
      .select({ id: contractProfiles.id, supersededBy: contractProfiles.supersededByContractProfileId })
      .from(contractProfiles)
      .where(eq(contractProfiles.id, id));
    if (!next?.supersededBy) return id;
    id = next.supersededBy;
  }
  return id;
}

/**
 * Creates version n+1 with every patched field applied, marks the old row
 * superseded and moves rollover references (profiles, and current contracts) to
 * the new version — all in one batch, guarded by the version that was read. The
 * plan ident, properties and display units follow unless the input gives them;
 * the options are copied, or replaced by `options`.
 */
async function createVersion(ctx: Ctx, old: ContractProfileRow, input: ContractProfileInput, options: OptionsOfVersion): Promise<ContractProfileRow> {
  const newId = sql`(select ${contractProfiles.supersededByContractProfileId} from ${contractProfiles} where ${contractProfiles.id} = ${old.id})`;
  const carried = <K extends 'externalRef' | 'properties' | 'contractTermUnit' | 'noticePeriodUnit'>(key: K) => (input[key] !== undefined ? input[key] : old[key]) ?? null;
  const externalRef = carried('externalRef');
  const values = {
    ...valuesOf(input),
    // the ident is unique among current versions: the new one takes it once the old one is superseded
    externalRef: null,
    properties: carried('properties'),
    contractTermUnit: carried('contractTermUnit'),
    noticePeriodUnit: carried('noticePeriodUnit'),
    versionNumber: old.versionNumber + 1,
    ...auditOnInsert(ctx),
  };
  const provisional = toOutput(ctx, { ...values, id: 0, supersededByContractProfileId: null } as ContractProfileRow);
  const pointsToOld = values.rolloverContractProfileId === old.id;
  const data = pointsToOld
    ? sql`json_set(${JSON.stringify(provisional)}, '$.id', ${newId}, '$.rolloverContractProfileId', ${newId})`
    : sql`json_set(${JSON.stringify(provisional)}, '$.id', ${newId})`;
  try {
    await ctx.deps.database.batch([
      ctx.db.insert(contractProfiles).values(values),
      ctx.db
        .update(contractProfiles)
        .set({ supersededByContractProfileId: sql`last_insert_rowid()`, version: old.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor })
        .where(
          and(
            eq(contractProfiles.id, old.id),
            eq(contractProfiles.version, old.version),
            isNull(contractProfiles.supersededByContractProfileId),
          ),
        ),
      abortUnlessChanged(),
      ...(externalRef === null ? [] : [ctx.db.update(contractProfiles).set({ externalRef }).where(eq(contractProfiles.id, newId))]),
      ctx.db
        .update(contractProfiles)
        .set({ rolloverContractProfileId: newId, version: sql`${contractProfiles.version} + 1`, updatedDate: ctx.nowIso })
        .where(eq(contractProfiles.rolloverContractProfileId, old.id)),
      ctx.db
        .update(customerContracts)
        .set({ rolloverContractProfileId: newId, version: sql`${customerContracts.version} + 1`, updatedDate: ctx.nowIso })
        .where(and(eq(customerContracts.rolloverContractProfileId, old.id), isNull(customerContracts.renewedCustomerContractId))),
      ...(options === 'copy' ? [copyOptions(ctx, old.id, newId)] : optionInserts(ctx, old.contractOwnerId, newId, options)),
      eventStatement(ctx, old.contractOwnerId, EVENTS.versioned, newId, data),
    ]);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange('contract profile');
    throw error;
  }
  eventsWritten(ctx, [old.contractOwnerId]);
  const [created] = await ctx.db
    .select()
    .from(contractProfiles)
    .where(eq(contractProfiles.id, sql`(select ${contractProfiles.supersededByContractProfileId} from ${contractProfiles} where ${contractProfiles.id} = ${old.id})`));
  return created!;
}

/** The writes to a profile's options when it changes: what a new version gets, and statements for a change in place. */
export interface OptionChanges {
  onVersion: OptionsOfVersion;
  inPlace: readonly Statement[];
}

/**
 * Changes a profile (PATCH on /v1, PUT of an instellix plan): a change of the term
 * or the ETC creates a new version (`created`); anything else changes it in place.
 * A superseded version cannot change (409 naming the current one).
 */
export async function changeProfile(
  ctx: Ctx,
  row: ContractProfileRow,
  input: ContractProfileInput,
  changed: ReadonlySet<string>,
  options: OptionChanges = { onVersion: 'copy', inPlace: [] },
): Promise<{ row: ContractProfileRow; created?: boolean }> {
  if (row.supersededByContractProfileId !== null) {
    const current = await currentVersionOf(ctx, row);
    throw conflict(`Contract profile ${row.id} has been superseded; change the current version ${current} instead`, {
      currentContractProfileId: current,
    });
  }
  if (changed.has('rolloverContractProfileId') && input.rolloverContractProfileId != null && input.rolloverContractProfileId !== row.id) {
    await usableProfile(ctx, input.rolloverContractProfileId, row.contractOwnerId, '/rolloverContractProfileId');
  }
  if (createsNewProfileVersion(changed)) return { row: await createVersion(ctx, row, input, options.onVersion), created: true };
  const changes = Object.fromEntries(
    [...changed].map((k) => [k, (valuesOf(input) as Record<string, unknown>)[k] ?? null]),
  );
  return { row: await updateRow(ctx, { table: contractProfiles, singular: 'contract profile', toOutput, ownerOf: (r) => r.contractOwnerId }, row, changes, options.inPlace) };
}

/**
 * Creates a profile and its options in one batch (an instellix plan); with
 * `rollsOverToItself` the profile renews into itself from the start.
 */
export async function createProfileWithOptions(ctx: Ctx, input: ContractProfileInput, rollsOverToItself: boolean, options: readonly ProfileOption[]): Promise<ContractProfileRow> {
  const values = await profileInsertValues(ctx, input);
  const id = await reserveIds(ctx.db, 'contract_profiles', 1);
  const row = { ...values, id, rolloverContractProfileId: rollsOverToItself ? id : values.rolloverContractProfileId, supersededByContractProfileId: null, ...auditOnInsert(ctx) };
  const [rows] = (await ctx.deps.database.batch([
    ctx.db.insert(contractProfiles).values(row).returning(),
    ...optionInserts(ctx, input.contractOwnerId, id, options),
    eventStatement(ctx, input.contractOwnerId, EVENTS.created, id, toOutput(ctx, row as ContractProfileRow)),
  ])) as [ContractProfileRow[]];
  eventsWritten(ctx, [input.contractOwnerId]);
  return rows[0]!;
}

/** Deletes a profile with its options, once nothing references it (409 naming what does). */
async function removeProfile(ctx: Ctx, row: ContractProfileRow): Promise<void> {
  await assertProfileUnreferenced(ctx, row);
  try {
    await ctx.deps.database.batch([
      ctx.db.delete(contractProfileOptions).where(eq(contractProfileOptions.contractProfileId, row.id)),
      ctx.db.delete(contractProfiles).where(and(eq(contractProfiles.id, row.id), eq(contractProfiles.version, row.version))),
      abortUnlessChanged(),
    ]);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange('contract profile');
    throw error;
  }
}

export const contractProfileService: typeof base = {
  ...base,
  update: (ctx, row, input, changed) => changeProfile(ctx, row, input, changed),
  remove: removeProfile,
};

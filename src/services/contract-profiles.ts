/**
 * Contract profiles: term length and early termination charges. A change to the
 * term or the ETC creates a new version (201) so signed contracts keep the terms
 * they were signed on; rollover references follow to the new version. Also the
 * rules about profiles that other services (contracts, renewals) share.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { abortUnlessChanged, isGuardAbort } from '../db/client';
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
import { contractProfiles, customerContracts } from '../db/schema';
import { createsNewProfileVersion } from '../domain/contracts';
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
}

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
  };
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

const base = tableService<ContractProfileRow, ReturnType<typeof toOutput>, ContractProfileInput>({
  singular: 'contract profile',
  table: contractProfiles,
  ownerColumn: contractProfiles.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: contractProfileQuery,
  baseWhere(_ctx, query) {
    return booleanValue(topLevelFilter(query.where, 'includeSupersededVersions')) ? [] : [isNull(contractProfiles.supersededByContractProfileId)];
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    if (input.rolloverContractProfileId != null) {
      await usableProfile(ctx, input.rolloverContractProfileId, input.contractOwnerId, '/rolloverContractProfileId');
    }
    return { ...valuesOf(input), versionNumber: 1 };
  },
  async beforeDelete(ctx, row) {
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
  },
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
 * the new version — all in one batch, guarded by the version that was read.
 */
async function createVersion(ctx: Ctx, old: ContractProfileRow, input: ContractProfileInput): Promise<ContractProfileRow> {
  const newId = sql`(select ${contractProfiles.supersededByContractProfileId} from ${contractProfiles} where ${contractProfiles.id} = ${old.id})`;
  const values = { ...valuesOf(input), versionNumber: old.versionNumber + 1, ...auditOnInsert(ctx) };
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
      ctx.db
        .update(contractProfiles)
        .set({ rolloverContractProfileId: newId, version: sql`${contractProfiles.version} + 1`, updatedDate: ctx.nowIso })
        .where(eq(contractProfiles.rolloverContractProfileId, old.id)),
      ctx.db
        .update(customerContracts)
        .set({ rolloverContractProfileId: newId, version: sql`${customerContracts.version} + 1`, updatedDate: ctx.nowIso })
        .where(and(eq(customerContracts.rolloverContractProfileId, old.id), isNull(customerContracts.renewedCustomerContractId))),
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

export const contractProfileService: typeof base = {
  ...base,
  async update(ctx, row, input, changed) {
    if (row.supersededByContractProfileId !== null) {
      const current = await currentVersionOf(ctx, row);
      throw conflict(`Contract profile ${row.id} has been superseded; change the current version ${current} instead`, {
        currentContractProfileId: current,
      });
    }
    if (changed.has('rolloverContractProfileId') && input.rolloverContractProfileId != null && input.rolloverContractProfileId !== row.id) {
      await usableProfile(ctx, input.rolloverContractProfileId, row.contractOwnerId, '/rolloverContractProfileId');
    }
    if (createsNewProfileVersion(changed)) return { row: await createVersion(ctx, row, input), created: true };
    const changes = Object.fromEntries(
      [...changed].map((k) => [k, (valuesOf(input) as Record<string, unknown>)[k] ?? null]),
    );
    return { row: await updateRow(ctx, { table: contractProfiles, singular: 'contract profile', toOutput, ownerOf: (r) => r.contractOwnerId }, row, changes) };
  },
};

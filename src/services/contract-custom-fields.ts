/**
 * Custom fields of customer contracts (simPRO): the fields an owner sets up for
 * its contracts, and each contract's values of them (no value row: not set).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { abortUnlessChanged, inList, isGuardAbort } from '../db/client';
import { auditOnInsert, concurrentChange, queryPage, requireOwner, tableService } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { contractCustomFields, contractCustomFieldValues } from '../db/schema';
import { ownerCondition } from '../db/tenancy';
import { type CustomFieldType, customFieldValueProblem, keptListItems } from '../domain/contract-setup';
import { fieldProblem } from '../errors';
import type { ListQuery } from '../list-query';

export interface ContractCustomFieldInput {
  contractOwnerId: number;
  name: string;
  type: CustomFieldType;
  listItems?: string[] | null;
  isMandatory?: boolean;
  displayOrder?: number;
  archived?: boolean;
  locked?: boolean;
}

export type ContractCustomFieldRow = typeof contractCustomFields.$inferSelect;
const f = contractCustomFields;
const v = contractCustomFieldValues;

function columns(input: Partial<ContractCustomFieldInput>, fields: ReadonlySet<string>, type: CustomFieldType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'name' || field === 'type') out[field] = input[field];
    else if (field === 'isMandatory' || field === 'archived' || field === 'locked') out[field] = input[field] ?? false;
    else if (field === 'displayOrder') out.displayOrder = input.displayOrder ?? 0;
  }
  // a List field keeps its items; any other keeps none
  if (fields.has('listItems') || fields.has('type')) out.listItems = keptListItems(type, input.listItems);
  return out;
}

const SETUP_FIELDS = new Set(['name', 'type', 'listItems', 'isMandatory', 'displayOrder', 'archived', 'locked']);

const base = tableService<ContractCustomFieldRow, ContractCustomFieldRow, ContractCustomFieldInput>({
  singular: 'custom field',
  table: f,
  ownerColumn: f.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: f.id },
      contractOwnerId: { type: 'id', column: f.contractOwnerId },
      name: { type: 'string', column: f.name },
      type: { type: 'string', column: f.type },
      isMandatory: { type: 'boolean', column: f.isMandatory },
      displayOrder: { type: 'number', column: f.displayOrder },
      archived: { type: 'boolean', column: f.archived },
      locked: { type: 'boolean', column: f.locked },
    },
    sorts: { id: f.id, name: f.name, type: f.type, isMandatory: f.isMandatory, displayOrder: f.displayOrder, archived: f.archived, locked: f.locked },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { contractOwnerId: input.contractOwnerId, ...columns(input, SETUP_FIELDS, input.type) };
  },
  async toUpdate(_ctx, row, input, changed) {
    const listItems = changed.has('listItems') ? input.listItems : row.listItems;
    return columns({ ...input, listItems }, changed, input.type ?? row.type);
  },
  toOutput: (_ctx, row) => row,
});

/** Deleting a field deletes every contract's value of it, in the same batch. */
async function remove(ctx: Ctx, row: ContractCustomFieldRow): Promise<void> {
  try {
    await ctx.deps.database.batch([
      ctx.db.delete(v).where(eq(v.customFieldId, row.id)),
      ctx.db.delete(f).where(and(eq(f.id, row.id), eq(f.version, row.version))),
      abortUnlessChanged(),
    ]);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange('custom field');
    throw error;
  }
}

export const contractCustomFieldService = { ...base, remove };

// ─── a contract's values ─────────────────────────────────────────────────────

export interface ContractFieldValue {
  field: ContractCustomFieldRow;
  value: string | null;
}

/** Filters and sorts of a contract's custom fields (the field's columns and the contract's value). */
export function contractFieldValueQuery(contractId: number): QuerySpec {
  const value = sql`(select ${v.value} from ${v} where ${v.customFieldId} = ${f.id} and ${v.customerContractId} = ${contractId})`;
  return {
    filters: {
      id: { type: 'id', column: f.id },
      contractOwnerId: { type: 'id', column: f.contractOwnerId },
      name: { type: 'string', column: f.name },
      type: { type: 'string', column: f.type },
      isMandatory: { type: 'boolean', column: f.isMandatory },
      value: { type: 'string', column: value },
    },
    sorts: { id: f.id, name: f.name, type: f.type, isMandatory: f.isMandatory, displayOrder: f.displayOrder, value },
  };
}

/** The values of the contracts for the given fields. */
async function valuesOf(ctx: Ctx, contractIds: readonly number[], fieldIds?: readonly number[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (contractIds.length === 0 || fieldIds?.length === 0) return out;
  const where = [inList(v.customerContractId, contractIds)];
  if (fieldIds) where.push(inList(v.customFieldId, fieldIds));
  const rows = await ctx.db
    .select({ contractId: v.customerContractId, fieldId: v.customFieldId, value: v.value })
    .from(v)
    .where(and(...where));
  for (const r of rows) out.set(`${r.contractId}:${r.fieldId}`, r.value);
  return out;
}

/** A page of the contract's custom fields (not archived ones) with its values. */
export async function listContractFieldValues(ctx: Ctx, contract: { id: number; contractOwnerId: number }, query: ListQuery) {
  const page = await queryPage<ContractCustomFieldRow>(
    ctx,
    f,
    contractFieldValueQuery(contract.id),
    [ownerCondition(ctx.tenant, f.contractOwnerId), eq(f.contractOwnerId, contract.contractOwnerId), eq(f.archived, false)],
    query,
  );
  const values = await valuesOf(ctx, [contract.id], page.rows.map((r) => r.id));
  return { ...page, rows: page.rows.map((field): ContractFieldValue => ({ field, value: values.get(`${contract.id}:${field.id}`) ?? null })) };
}

/** Every (not archived) custom field of the owner with each contract's value, in display order. */
export async function contractFieldValues(ctx: Ctx, ownerId: number, contractIds: readonly number[]): Promise<Map<number, ContractFieldValue[]>> {
  const out = new Map<number, ContractFieldValue[]>();
  if (contractIds.length === 0) return out;
  const fields = await ctx.db
    .select()
    .from(f)
    .where(and(eq(f.contractOwnerId, ownerId), eq(f.archived, false)))
    .orderBy(f.displayOrder, f.id);
  const values = await valuesOf(ctx, contractIds);
  for (const id of contractIds) out.set(id, fields.map((field) => ({ field, value: values.get(`${id}:${field.id}`) ?? null })));
  return out;
}

/** One field of the owner's (archived ones too) with the contract's value, or null when the owner has no such field. */
export async function contractFieldValue(ctx: Ctx, contract: { id: number; contractOwnerId: number }, fieldId: number): Promise<ContractFieldValue | null> {
  const field = await base.find(ctx, fieldId);
  if (!field || field.contractOwnerId !== contract.contractOwnerId) return null;
  const values = await valuesOf(ctx, [contract.id], [field.id]);
  return { field, value: values.get(`${contract.id}:${field.id}`) ?? null };
}

/** Sets (or with null or "", clears) a contract's value of a field; the value must suit the field's type (422). */
export async function setContractFieldValue(ctx: Ctx, contract: { id: number; contractOwnerId: number }, field: ContractCustomFieldRow, value: string | null): Promise<void> {
  if (value === null || value === '') {
    await ctx.db.delete(v).where(and(eq(v.customerContractId, contract.id), eq(v.customFieldId, field.id)));
    return;
  }
  const problem = customFieldValueProblem(field, value);
  if (problem) throw fieldProblem('business-rule', '/value', problem);
  await ctx.db
    .insert(v)
    .values({ contractOwnerId: contract.contractOwnerId, customerContractId: contract.id, customFieldId: field.id, value, ...auditOnInsert(ctx) })
    .onConflictDoUpdate({
      target: [v.customerContractId, v.customFieldId],
      set: { value, version: sql`${v.version} + 1`, updatedDate: ctx.nowIso, updatedBy: ctx.actor },
    });
}

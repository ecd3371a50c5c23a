/** Step 1 of rating a batch (batch.ts): the records' references, checked and resolved. */
import type { Ctx } from '../../db/context';
import type { OwnerInfo } from '../../db/owners';
import { canSee } from '../../db/tenancy';
import { canonicalInstant, type IsoDate, parseInstant } from '../../domain/dates';
import { recordLocalDate } from '../../domain/rating';
import { type FieldError, TenorError } from '../../errors';
import { type ChargeGroupForRating, chargeGroupsForRating, type UsageInventoryRow, usageInventories } from '../pricing-lookups';
import type { UsageRecordInput } from './records';

export interface Prepared {
  index: number;
  input: UsageRecordInput;
  upi: UsageInventoryRow;
  group: ChargeGroupForRating;
  owner: OwnerInfo;
  epochMs: number;
  /** startTime as stored (toInstant) */
  startTime: string;
  date: IsoDate;
  /** `upiId|reference` */
  key: string;
}

export async function prepare(ctx: Ctx, records: readonly UsageRecordInput[]): Promise<Prepared[]> {
  const [upis, groups] = await Promise.all([
    usageInventories(ctx.db, records.map((r) => r.usageProductInventoryId)),
    chargeGroupsForRating(ctx.db, records.map((r) => r.chargeGroupId)),
  ]);
  const missing: FieldError[] = [];
  const foreign: FieldError[] = [];
  records.forEach((r, i) => {
    const upi = upis.get(r.usageProductInventoryId);
    const group = groups.get(r.chargeGroupId);
    if (!upi || !canSee(ctx.tenant, upi.contractOwnerId)) {
      missing.push({ path: `/records/${i}/usageProductInventoryId`, message: `usage product inventory ${r.usageProductInventoryId} was not found` });
    }
    if (!group || !canSee(ctx.tenant, group.contractOwnerId)) {
      missing.push({ path: `/records/${i}/chargeGroupId`, message: `charge group ${r.chargeGroupId} was not found` });
    } else if (upi && group.contractOwnerId !== upi.contractOwnerId) {
      foreign.push({ path: `/records/${i}/chargeGroupId`, message: 'the charge group belongs to another contract owner than the usage product inventory' });
    }
  });
  if (missing.length) throw new TenorError('not-found', `${missing[0]!.path}: ${missing[0]!.message}${more(missing)}`, missing);
  if (foreign.length) throw new TenorError('business-rule', `${foreign[0]!.path}: ${foreign[0]!.message}${more(foreign)}`, foreign);

  await ctx.deps.owners.load([...upis.values()].map((u) => u.contractOwnerId), ctx.now);
  return records.map((input, index) => {
    const upi = upis.get(input.usageProductInventoryId)!;
    const owner = ctx.deps.owners.info(upi.contractOwnerId);
    const epochMs = parseInstant(input.startTime)!;
    return {
      index,
      input,
      upi,
      group: groups.get(input.chargeGroupId)!,
      owner,
      epochMs,
      startTime: canonicalInstant(input.startTime, epochMs),
      date: recordLocalDate(epochMs, owner.timezone),
      key: `${upi.id}|${input.reference}`,
    };
  });
}

function more(errors: readonly FieldError[]): string {
  return errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
}

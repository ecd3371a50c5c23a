/** Pricing tiers (simPRO setup): markup levels for materials; a contract names one, and its markup defaults to the tier's. */
import { assertUnreferenced, requireOwner, tableService } from '../db/crud';
import { scaledNumberFilter } from '../db/query';
import { customerContracts, pricingTiers } from '../db/schema';
import { majorToMicros } from '../domain/money';

export const PRICE_BASES = ['Buy', 'Trade'] as const;
export const TIER_TYPES = ['Quantity', 'Scaled'] as const;

export interface ScaledTierStep {
  /** currency, major units */
  scaledPrice: number;
  /** percent */
  markup: number;
}

export interface PricingTierInput {
  contractOwnerId: number;
  name: string;
  /** percent; default 0 */
  defaultMarkup?: number;
  /** default Buy */
  priceBased?: (typeof PRICE_BASES)[number];
  /** default Quantity */
  tierType?: (typeof TIER_TYPES)[number];
  scaledTierPricing?: ScaledTierStep[] | null;
  displayOrder?: number;
  archived?: boolean;
}

export type PricingTierRow = typeof pricingTiers.$inferSelect;
const t = pricingTiers;

/** Column values of the given input fields. */
function columns(input: Partial<PricingTierInput>, fields: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field) {
      case 'defaultMarkup':
        out.defaultMarkup = majorToMicros(input.defaultMarkup ?? 0);
        break;
      case 'scaledTierPricing': {
        const steps = (input.scaledTierPricing ?? []).map((s) => ({ scaledPrice: majorToMicros(s.scaledPrice), markup: majorToMicros(s.markup) }));
        steps.sort((a, b) => a.scaledPrice - b.scaledPrice);
        out.scaledTierSteps = steps;
        out.scaledTierPricing = steps.length > 0;
        break;
      }
      case 'priceBased':
        out.priceBased = input.priceBased ?? 'Buy';
        break;
      case 'tierType':
        out.tierType = input.tierType ?? 'Quantity';
        break;
      case 'displayOrder':
        out.displayOrder = input.displayOrder ?? 0;
        break;
      case 'archived':
        out.archived = input.archived ?? false;
        break;
      case 'name':
        out.name = input.name;
        break;
    }
  }
  return out;
}

const FIELDS = ['name', 'defaultMarkup', 'priceBased', 'tierType', 'scaledTierPricing', 'displayOrder', 'archived'];

export const pricingTierService = tableService<PricingTierRow, PricingTierRow, PricingTierInput>({
  singular: 'pricing tier',
  table: t,
  ownerColumn: t.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: t.id },
      contractOwnerId: { type: 'id', column: t.contractOwnerId },
      name: { type: 'string', column: t.name },
      defaultMarkup: { type: 'number', build: scaledNumberFilter(t.defaultMarkup, majorToMicros) },
      priceBased: { type: 'string', column: t.priceBased },
      tierType: { type: 'string', column: t.tierType },
      displayOrder: { type: 'number', column: t.displayOrder },
      archived: { type: 'boolean', column: t.archived },
      updatedDate: { type: 'string', column: t.updatedDate },
    },
    sorts: {
      id: t.id,
      name: t.name,
      defaultMarkup: t.defaultMarkup,
      priceBased: t.priceBased,
      tierType: t.tierType,
      displayOrder: t.displayOrder,
      archived: t.archived,
      updatedDate: t.updatedDate,
    },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { contractOwnerId: input.contractOwnerId, ...columns(input, FIELDS) };
  },
  async toUpdate(_ctx, _row, input, changed) {
    return columns(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'pricing tier', row.id, [
      { table: customerContracts, column: customerContracts.pricingTierId, label: 'customer contracts' },
    ]);
  },
  toOutput: (_ctx, row) => row,
});

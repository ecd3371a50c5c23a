/**
 * Rental rate cards: prices of the rental products of one category. SELL cards
 * price products to customers (only they are assigned) and may be based on a
 * TEMPLATE card of the same category, whose rates apply to products the SELL card
 * has no rate for; BUY cards price a supplier's products. Rates are a nested list
 * written with the card, as on usage rate cards.
 *
 * Tenancy as usage rate cards: visible to any owner, written by a token acting for all.
 */
import { eq } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { assertDateOrder, assertUnreferenced, requireVisible } from '../db/crud';
import { checkOwnerSet, loadOwnerSets, ownerFilter } from '../db/owner-sets';
import { rentalProductCategories, rentalRateCardAssignments, rentalRateCards } from '../db/schema';
import type { RateCardType } from '../domain/pricing';
import { conflict } from '../errors';
import { checkNested, nestedParentService } from './nested-resources';
import { assertLeavingOwnersUnassigned, requireVisibleShared, rule } from './pricing-checks';
import { type RentalRateItemFields, rentalRateCardOwnerLink, rentalRateList } from './rental-rates';

/** The writable fields of a card with its rates. */
export interface RentalRateCardFields {
  /** required for SELL and TEMPLATE cards; a BUY card defaults to the category's owner */
  contractOwnerIds?: number[] | null;
  name: string;
  rentalRateCardType: RateCardType;
  /** SELL cards only: a TEMPLATE card of the same category */
  basedOnTemplateId?: number | null;
  rentalProductCategoryId: number;
  availableFrom: string;
  availableTo?: string | null;
  acceptOverridesFromParents: boolean;
  /** BUY cards only (required there) */
  supplierAccountId?: number | null;
  rentalRates: RentalRateItemFields[];
}

type Row = typeof rentalRateCards.$inferSelect;
type Category = typeof rentalProductCategories.$inferSelect;

/** The template a SELL card is based on: a visible TEMPLATE card of the same category usable by all the card's owners. */
async function checkTemplate(ctx: Ctx, templateId: number, categoryId: number, owners: readonly number[]): Promise<void> {
  const { row: template, owners: templateOwners } = await requireVisibleShared<Row>(
    ctx,
    rentalRateCards,
    rentalRateCardOwnerLink,
    templateId,
    '/basedOnTemplateId',
    'rental rate card',
  );
  if (template.rentalRateCardType !== 'TEMPLATE') throw rule('/basedOnTemplateId', `rental rate card ${templateId} is a ${template.rentalRateCardType} card, not a TEMPLATE`);
  if (template.rentalProductCategoryId !== categoryId) {
    throw rule('/basedOnTemplateId', `the template prices category ${template.rentalProductCategoryId}, this card category ${categoryId}`);
  }
  const missing = owners.filter((o) => !templateOwners.includes(o));
  if (missing.length) throw rule('/basedOnTemplateId', `the template is not available to contract owner ${missing.join(', ')}`);
}

/** A template's owners must keep covering the owners of the SELL cards based on it. */
async function assertTemplateStillCovers(ctx: Ctx, templateId: number, owners: readonly number[]): Promise<void> {
  const based = await ctx.db.select({ id: rentalRateCards.id }).from(rentalRateCards).where(eq(rentalRateCards.basedOnTemplateId, templateId));
  if (based.length === 0) return;
  const sets = await loadOwnerSets(ctx, rentalRateCardOwnerLink, based.map((b) => b.id));
  for (const [cardId, cardOwners] of sets) {
    const lost = cardOwners.filter((o) => !owners.includes(o));
    if (lost.length) throw conflict(`Rental rate card ${cardId} is based on this template and used by contract owner ${lost.join(', ')}, who must stay an owner`);
  }
}

export const rentalRateCardService = nestedParentService<Row, RentalRateCardFields>({
  singular: 'rental rate card',
  query: {
    filters: {
      id: { type: 'id', column: rentalRateCards.id },
      contractOwnerId: { type: 'id', build: ownerFilter(rentalRateCardOwnerLink, rentalRateCards.id), description: 'Cards one of whose owners matches' },
      name: { type: 'string', column: rentalRateCards.name },
      availableFrom: { type: 'date', column: rentalRateCards.availableFrom },
      availableTo: { type: 'date', column: rentalRateCards.availableTo },
      rentalRateCardType: { type: 'string', column: rentalRateCards.rentalRateCardType },
      rentalProductCategoryId: { type: 'id', column: rentalRateCards.rentalProductCategoryId },
      basedOnTemplateId: { type: 'id', column: rentalRateCards.basedOnTemplateId },
    },
    sorts: {
      id: rentalRateCards.id,
      name: rentalRateCards.name,
      rentalRateCardType: rentalRateCards.rentalRateCardType,
      availableFrom: rentalRateCards.availableFrom,
      availableTo: rentalRateCards.availableTo,
    },
  },
  table: rentalRateCards,
  ownership: { link: rentalRateCardOwnerLink },
  nested: [rentalRateList],
  async prepare(ctx, input, existing) {
    const category = await requireVisible<Category>(ctx, rentalProductCategories, input.rentalProductCategoryId, '/rentalProductCategoryId', 'rental product category');
    const owners = [...(input.contractOwnerIds?.length ? input.contractOwnerIds : [category.contractOwnerId])].sort((a, b) => a - b);
    const currencyCode = await checkOwnerSet(ctx, owners);
    if (!owners.includes(category.contractOwnerId)) {
      throw rule('/rentalProductCategoryId', `the category belongs to contract owner ${category.contractOwnerId}, who is not an owner of the card`);
    }
    assertDateOrder(input.availableFrom, input.availableTo, '/availableFrom', '/availableTo');
    if (input.basedOnTemplateId != null) {
      if (existing && input.basedOnTemplateId === existing.row.id) throw rule('/basedOnTemplateId', 'a card cannot be based on itself');
      await checkTemplate(ctx, input.basedOnTemplateId, category.id, owners);
    }
    if (existing) {
      await assertLeavingOwnersUnassigned(ctx, rentalRateCardAssignments, rentalRateCardAssignments.rentalRateCardId, existing.row.id, existing.owners, owners, 'rental rate card');
      if (existing.row.rentalRateCardType === 'TEMPLATE') await assertTemplateStillCovers(ctx, existing.row.id, owners);
    }
    // the lists' rules see the input as a plain record (a card's fields by name)
    const document: Record<string, unknown> = { ...input };
    await checkNested(ctx, [rentalRateList], { owners, fields: document }, document);
    return {
      owners,
      values: {
        name: input.name,
        rentalRateCardType: input.rentalRateCardType,
        basedOnTemplateId: input.basedOnTemplateId ?? null,
        rentalProductCategoryId: input.rentalProductCategoryId,
        availableFrom: input.availableFrom,
        availableTo: input.availableTo ?? null,
        acceptOverridesFromParents: input.acceptOverridesFromParents,
        supplierAccountId: input.supplierAccountId ?? null,
        currencyCode,
      },
    };
  },
  renderFields: (r, owners) => ({
    id: r.id,
    contractOwnerIds: owners,
    name: r.name,
    rentalRateCardType: r.rentalRateCardType,
    basedOnTemplateId: r.basedOnTemplateId,
    rentalProductCategoryId: r.rentalProductCategoryId,
    availableFrom: r.availableFrom,
    availableTo: r.availableTo,
    acceptOverridesFromParents: r.acceptOverridesFromParents,
    supplierAccountId: r.supplierAccountId,
    currencyCode: r.currencyCode,
  }),
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental rate card', row.id, [
      { table: rentalRateCardAssignments, column: rentalRateCardAssignments.rentalRateCardId, label: 'rental rate card assignments' },
      { table: rentalRateCards, column: rentalRateCards.basedOnTemplateId, label: 'rental rate cards based on it' },
    ]);
  },
});


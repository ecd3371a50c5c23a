/**
 * Rental rate cards: prices of the rental products of one category. SELL cards
 * price products to customers (only they are assigned) and may be based on a
 * TEMPLATE card of the same category, whose rates apply to products the SELL card
 * has no rate for; BUY cards price a supplier's products. Rates are nested in the
 * card's JSON and changed by PATCH of the whole card, as on usage rate cards.
 *
 * Tenancy as usage rate cards: visible to any owner, written by a token acting for all.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../context';
import { assertDateOrder, assertUnreferenced, requireVisible } from '../../db/crud';
import { checkOwnerSet, loadOwnerSets, ownerFilter } from '../../db/owner-sets';
import { rentalProductCategories, rentalRateCardAssignments, rentalRateCards } from '../../db/schema';
import { RATE_CARD_TYPES, rentalRateCardProblems } from '../../domain/pricing';
import type { AppEnv } from '../../http/middleware';
import { conflict } from '../../http/problem';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { checkNested, nestedParentService } from '../../services/nested-resources';
import { assertLeavingOwnersUnassigned, requireVisibleShared, rule } from '../../services/pricing-checks';
import { addProblems, externalId, nestedArray } from './pricing-fields';
import { RentalRateInCard, RentalRateItem, rentalRateCardOwnerLink, rentalRateList } from './rental-rates';
import { ownerIds } from './usage-rate-cards';

export const RentalRateCardInput = z
  .object({
    contractOwnerIds: ownerIds('The contract owners that may use the card, all of one currency; required for SELL and TEMPLATE cards (a BUY card defaults to the category’s owner)').nullish(),
    name: name(100, 'Business broadband'),
    rentalRateCardType: z.enum(RATE_CARD_TYPES).openapi({ description: 'SELL prices products to customers (only SELL cards are assigned); TEMPLATE holds fallback rates for SELL cards based on it; BUY prices them from the supplier; fixed after creation' }),
    basedOnTemplateId: entityId('SELL cards: a TEMPLATE card of the same category whose owners include all of this card’s; its rates apply to products this card has no rate for').nullish(),
    rentalProductCategoryId: entityId('The rental product category priced, of one of the card’s owners; fixed after creation'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
    acceptOverridesFromParents: z.boolean().default(true).openapi({ description: 'Overrides assigned higher in the customer/site/inventory hierarchy may override this card’s prices' }),
    supplierAccountId: externalId('BUY cards (required there): the supplier account').nullish(),
    rentalRates: nestedArray(RentalRateItem, 1000, 'Rates by product (at most one per product and price type on any day)'),
  })
  .strict()
  .superRefine((card, ctx) => {
    if (card.rentalRateCardType) addProblems(ctx, rentalRateCardProblems(card));
  });

export const RentalRateCard = outputSchema(
  RentalRateCardInput,
  {
    contractOwnerIds: z.array(entityId()).openapi({ example: [1], description: 'The contract owners that may use the card' }),
    currencyCode: z.string().openapi({ example: 'GBP', description: 'read-only: the currency of the card’s owners' }),
    rentalRates: z.array(RentalRateInCard),
  },
  'RentalRateCard',
);

type Input = z.infer<typeof RentalRateCardInput>;
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

export const rentalRateCardService = nestedParentService<Row, Input>({
  singular: 'rental rate card',
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
    await checkNested(ctx, [rentalRateList], { owners, fields: input }, input);
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

export function registerRentalRateCards(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/rental-rate-cards',
    tag: 'Rental rate cards',
    singular: 'rental rate card',
    plural: 'rental rate cards',
    area: 'pricing',
    input: RentalRateCardInput,
    output: RentalRateCard,
    immutable: ['rentalRateCardType', 'rentalProductCategoryId'],
    summary: ['rentalRates'],
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
    service: rentalRateCardService,
    createExample: {
      contractOwnerIds: [1],
      name: 'Business broadband',
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: 1,
      availableFrom: '2025-01-01',
      rentalRates: [{ rentalProductId: 1, price: 25, rentalRatePriceType: 'RENTAL', rentalRateType: 'ADVANCE', periodsInAdvance: 'STANDARD', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }],
    },
    notes: {
      list: 'A card is visible when any of its owners is in the token.',
      create:
        'contractOwnerIds is required for SELL and TEMPLATE cards and supplierAccountId for BUY cards (400). Owners share one currency (422). The category must be visible (404) and belong to an owner (422); each rate’s product must be in the category (422). basedOnTemplateId: SELL cards only, a TEMPLATE card of the same category available to all the card’s owners (422).',
      update:
        'The patch applies to the whole card including `rentalRates`: `add /rentalRates/-` adds a rate, a changed rate (keeping its id) is updated, a removed one deleted — in one write. Needs a token acting for every owner (403).',
      delete: 'Refused (409) while assignments use the card or SELL cards are based on it.',
    },
  });
}

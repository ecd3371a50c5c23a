/** The lookups rating and rental charges use, over data made through the API, on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignment,
  chargeGroup,
  chargeGroupCategory,
  customer,
  inclusiveUsagePlan,
  rentalDiscountPlan,
  rentalDiscountPlanRule,
  rentalProduct,
  rentalProductCategory,
  rentalRateBody,
  rentalRateCard,
  rpi,
  site,
  STANDARD_WEEK,
  timeBandPlan,
  upi,
  usageProduct,
  usageRateBody,
  usageRateCard,
} from '../helpers/factories';
import { type Harness, harness } from '../helpers/harness';
import {
  accessChargeAt,
  discountRuleFor,
  effectiveUsageRateCard,
  inclusiveUsagePlanAssignmentsAt,
  planComponents,
  rentalDiscountPlanAssignmentsAt,
  rentalInventoryKey,
  rentalRateCardAssignmentsAt,
  rentalRatesAt,
  timeBandPlanAt,
  usageInventoryKey,
  usageRateAt,
  usageRateCardAssignmentsAt,
} from '../../src/services/pricing-lookups';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
const db = () => h.runtime.deps.database.db;

describe('usage lookups', () => {
  it('finds the most specific card of the UPI’s usage product, its rate, time band plan, access charge and plans', async () => {
    const owner = await h.newOwner();
    const c = await customer(owner);
    const s = await site(owner, c.id);
    const product = await usageProduct(owner);
    const inventory = await upi(owner, { siteId: s.id, usageProductId: product.id });
    const neighbour = await upi(owner, { siteId: (await site(owner, c.id)).id, usageProductId: product.id });
    const group = await chargeGroup(owner);
    const plan = await timeBandPlan(owner);
    const customerCard = await usageRateCard(owner, {
      usageProductId: product.id,
      usageRates: [usageRateBody(group.id, { peakValue: 2, endDate: '2025-06-30' }), usageRateBody(group.id, { peakValue: 3, startDate: '2025-07-01' })],
      timeBandPlans: [{ timeBandPlanId: plan.id, startDate: '2025-03-01' }],
      accessCharges: [{ charge: 1.5, startDate: '2025-01-01' }],
    });
    const inventoryCard = await usageRateCard(owner, { usageProductId: product.id });
    const otherProductCard = await usageRateCard(owner);
    await assignment(owner, 'usageRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: customerCard.id });
    await assignment(owner, 'usageRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: otherProductCard.id });
    await assignment(owner, 'usageRateCard', { assignmentLevel: 'INVENTORY', usageProductInventoryId: inventory.id, usageRateCardId: inventoryCard.id, startDate: '2025-05-01', endDate: '2025-05-31' });

    const key = (await usageInventoryKey(db(), inventory.id))!;
    expect(key).toEqual({ id: inventory.id, customerId: c.id, siteId: s.id, usageProductId: product.id });
    expect((await usageRateCardAssignmentsAt(db(), key, '2025-05-15')).map((a) => [a.assignmentLevel, a.usageRateCardId])).toEqual([
      ['INVENTORY', inventoryCard.id],
      ['CUSTOMER', customerCard.id],
    ]);
    expect((await effectiveUsageRateCard(db(), key, '2025-05-15'))?.card.id).toBe(inventoryCard.id);
    expect((await effectiveUsageRateCard(db(), key, '2025-06-01'))?.card.id).toBe(customerCard.id);
    expect((await effectiveUsageRateCard(db(), (await usageInventoryKey(db(), neighbour.id))!, '2025-05-15'))?.card.id).toBe(customerCard.id);
    expect(await effectiveUsageRateCard(db(), key, '2024-12-31')).toBeNull();

    expect((await usageRateAt(db(), customerCard.id, group.id, '2025-06-30'))?.peakValue).toBe(20_000);
    expect((await usageRateAt(db(), customerCard.id, group.id, '2025-07-01'))?.peakValue).toBe(30_000);
    expect(await usageRateAt(db(), customerCard.id, group.id, '2024-12-31')).toBeNull();
    expect(await timeBandPlanAt(db(), customerCard.id, '2025-02-28')).toBeNull();
    expect(await timeBandPlanAt(db(), customerCard.id, '2025-03-01')).toEqual(STANDARD_WEEK);
    expect(await accessChargeAt(db(), customerCard.id, '2025-03-01')).toBe(15_000);
  });

  it('adds up inclusive plans across levels, most specific first, with what each component covers', async () => {
    const owner = await h.newOwner();
    const c = await customer(owner);
    const s = await site(owner, c.id);
    const product = await usageProduct(owner);
    const inventory = await upi(owner, { siteId: s.id, usageProductId: product.id });
    const category = await chargeGroupCategory(owner);
    const group = await chargeGroup(owner, category.id);
    const sitePlan = await inclusiveUsagePlan(owner, {
      usageProductId: product.id,
      inclusiveUsageComponents: [
        { componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 600, timebands: [{ timeband: 'PEAK' }], chargeGroups: [{ chargeGroupId: group.id }] },
        { componentType: 'VALUE', chargingType: 'DURATION', valueInPence: 250, chargeGroupCategories: [{ chargeGroupCategoryId: category.id }] },
      ],
    });
    const customerPlan = await inclusiveUsagePlan(owner, { usageProductId: product.id });
    await assignment(owner, 'inclusiveUsagePlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: customerPlan.id });
    await assignment(owner, 'inclusiveUsagePlan', { assignmentLevel: 'SITE', siteId: s.id, inclusiveUsagePlanId: sitePlan.id });
    await assignment(owner, 'inclusiveUsagePlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: (await inclusiveUsagePlan(owner)).id });

    const key = (await usageInventoryKey(db(), inventory.id))!;
    const assignments = await inclusiveUsagePlanAssignmentsAt(db(), key, '2025-02-01');
    expect(assignments.map((a) => a.inclusiveUsagePlanId)).toEqual([sitePlan.id, customerPlan.id]);
    const components = await planComponents(db(), [sitePlan.id, customerPlan.id]);
    expect(components.get(customerPlan.id)).toEqual([]);
    expect(components.get(sitePlan.id)).toEqual([
      { id: expect.any(Number), inclusiveUsagePlanId: sitePlan.id, componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 600_000_000, value: null, timebands: ['PEAK'], chargeGroupIds: [group.id], chargeGroupCategoryIds: [] },
      { id: expect.any(Number), inclusiveUsagePlanId: sitePlan.id, componentType: 'VALUE', chargingType: 'DURATION', quantity: null, value: 2_500_000, timebands: [], chargeGroupIds: [], chargeGroupCategoryIds: [category.id] },
    ]);
  });
});

describe('rental lookups', () => {
  it('finds the card of the RPI’s category, its rates with the template as fallback, and the discount rule', async () => {
    const owner = await h.newOwner();
    const c = await customer(owner);
    const s = await site(owner, c.id);
    const category = await rentalProductCategory(owner);
    const [fibre, router] = [await rentalProduct(owner, category.id), await rentalProduct(owner, category.id)];
    const inventory = await rpi(owner, { siteId: s.id, rentalProductId: router.id });
    const template = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRateCardType: 'TEMPLATE', rentalRates: [rentalRateBody(router.id, { price: 3 })] });
    const sell = await rentalRateCard(owner, {
      rentalProductCategoryId: category.id,
      basedOnTemplateId: template.id,
      rentalRates: [rentalRateBody(fibre.id, { price: 30 }), { rentalProductId: fibre.id, price: 99, rentalRatePriceType: 'ONEOFF', startDate: '2025-01-01' }],
    });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: sell.id });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: (await rentalRateCard(owner)).id });

    const key = (await rentalInventoryKey(db(), inventory.id))!;
    expect(key).toEqual({ id: inventory.id, customerId: c.id, siteId: s.id, rentalProductId: router.id, rentalProductCategoryId: category.id });
    expect((await rentalRateCardAssignmentsAt(db(), key, '2025-02-01')).map((a) => a.rentalRateCardId)).toEqual([sell.id]);
    const own = await rentalRatesAt(db(), sell.id, fibre.id, '2025-02-01');
    expect(own?.ratesFrom.id).toBe(sell.id);
    expect(own?.rates.map((r) => [r.rentalRatePriceType, r.price])).toEqual([
      ['ONEOFF', 99_000_000],
      ['RENTAL', 30_000_000],
    ]);
    const fallback = await rentalRatesAt(db(), sell.id, router.id, '2025-02-01');
    expect(fallback?.ratesFrom.id).toBe(template.id);
    expect(fallback?.rates.map((r) => r.price)).toEqual([3_000_000]);

    const plan = await rentalDiscountPlan(owner);
    await rentalDiscountPlanRule(owner, plan.id, category.id, { discountPercentage: 10 });
    await assignment(owner, 'rentalDiscountPlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: plan.id });
    const found = await rentalDiscountPlanAssignmentsAt(db(), key, '2025-02-01');
    expect(found.map((a) => a.rentalDiscountPlanId)).toEqual([plan.id]);
    expect((await discountRuleFor(db(), plan.id, key))?.discountPercentage).toBe(1000);
    await rentalDiscountPlanRule(owner, plan.id, category.id, { rentalProductId: router.id, discountPercentage: 25.5 });
    expect((await discountRuleFor(db(), plan.id, key))?.discountPercentage).toBe(2550);
    expect((await discountRuleFor(db(), plan.id, { rentalProductId: fibre.id, rentalProductCategoryId: category.id }))?.discountPercentage).toBe(1000);
  });
});

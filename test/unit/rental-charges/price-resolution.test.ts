import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/dates';
import { rentalCharges } from '../../../src/domain/rental-charges/charges';
import { RENTAL_RATE_FREQUENCIES, type RentalChargeLine } from '../../../src/domain/rental-charges/model';
import {
  card,
  cardAssignment,
  gbp,
  OTHER_CATEGORY,
  OTHER_PRODUCT,
  plan,
  planAssignment,
  pricing,
  PRODUCT,
  rate,
  rpi,
  rule,
  simplePricing,
} from '../../helpers/rental-fixtures';

const periodsOf = (lines: RentalChargeLine[]) => lines.map((l) => [l.periodStart, l.periodEnd]);
const frequencyArb = fc.constantFrom(...RENTAL_RATE_FREQUENCIES);

describe('price resolution', () => {
  it('a rate changing mid-period applies from the next period', () => {
    const old = rate({ price: gbp(10), endDate: '2025-02-20' });
    const raised = rate({ price: gbp(12), startDate: '2025-02-21' });
    const lines = rentalCharges(rpi({ startDate: '2025-01-15' }), simplePricing(old, raised), { from: '2025-01-15', to: '2025-04-14' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice, l.rentalRateId])).toEqual([
      ['2025-01-15', gbp(10), old.id],
      ['2025-02-15', gbp(10), old.id], // 02-15..03-14 starts before the change on 02-21
      ['2025-03-15', gbp(12), raised.id],
    ]);
    // with the old rate left open-ended the latest start still wins
    const overlapping = simplePricing(rate({ price: gbp(10) }), rate({ price: gbp(12), startDate: '2025-02-21' }));
    expect(rentalCharges(rpi({ startDate: '2025-01-15' }), overlapping, { from: '2025-01-15', to: '2025-04-14' }).map((l) => l.unitPrice)).toEqual([
      gbp(10),
      gbp(10),
      gbp(12),
    ]);
  });

  it('stops charging when the rate ends with no successor', () => {
    const lines = rentalCharges(rpi({ startDate: '2025-01-15' }), simplePricing(rate({ endDate: '2025-02-20' })), { from: '2025-01-01', to: '2025-12-31' });
    expect(periodsOf(lines)).toEqual([
      ['2025-01-15', '2025-02-14'],
      ['2025-02-15', '2025-03-14'],
    ]);
  });

  it('charges from the first priced day when the price begins mid-period, keeping the anchor', () => {
    const c = card([rate({ price: gbp(10) })]);
    const p = pricing({ rateCards: [c], rateCardAssignments: [cardAssignment(c, 'CUSTOMER', '2025-01-11')] });
    const lines = rentalCharges(rpi({ startDate: '2025-01-01' }), p, { from: '2025-01-01', to: '2025-02-28' });
    // January is charged 01-11..01-31 = 21 of 31 days: £10 × 21/31 = £6.774193548… → 6.774194
    expect(lines.map((l) => [l.periodStart, l.chargedFrom, l.chargedTo, l.grossAmount])).toEqual([
      ['2025-01-01', '2025-01-11', '2025-01-31', 6_774_194],
      ['2025-02-01', '2025-02-01', '2025-02-28', gbp(10)],
    ]);
  });

  it('anchors a new schedule where the frequency changes', () => {
    const monthly = rate({ price: gbp(10), endDate: '2025-03-31' });
    const quarterly = rate({ price: gbp(25), rentalRateFrequency: 'QUARTERLY', startDate: '2025-04-01' });
    const lines = rentalCharges(rpi({ startDate: '2025-01-15' }), simplePricing(monthly, quarterly), { from: '2025-01-01', to: '2025-12-31' });
    // the monthly period 03-15..04-14 keeps its price; the first period starting after the change is quarterly
    expect(lines.map((l) => [l.periodStart, l.periodEnd, l.unitPrice])).toEqual([
      ['2025-01-15', '2025-02-14', gbp(10)],
      ['2025-02-15', '2025-03-14', gbp(10)],
      ['2025-03-15', '2025-04-14', gbp(10)],
      ['2025-04-15', '2025-07-14', gbp(25)],
      ['2025-07-15', '2025-10-14', gbp(25)],
      ['2025-10-15', '2026-01-14', gbp(25)],
    ]);
  });

  it('falls back to the template only for products the SELL card has no rate for', () => {
    const templateRate = rate({ price: gbp(7) });
    const template = card([templateRate, rate({ rentalProductId: OTHER_PRODUCT, price: gbp(8) })], { rentalRateCardType: 'TEMPLATE' });
    const sellRate = rate({ rentalProductId: OTHER_PRODUCT, price: gbp(9) });
    const sell = card([sellRate], { basedOnTemplateId: template.id });
    const assignment = cardAssignment(sell);
    const p = pricing({ rateCards: [sell, template], rateCardAssignments: [assignment] });
    const range = { from: '2025-01-01', to: '2025-01-31' };

    const [fromTemplate] = rentalCharges(rpi(), p, range);
    expect(fromTemplate).toMatchObject({ unitPrice: gbp(7), rentalRateCardId: template.id, rentalRateId: templateRate.id, rentalRateCardAssignmentId: assignment.id });
    const [fromSell] = rentalCharges(rpi({ rentalProductId: OTHER_PRODUCT }), p, range);
    expect(fromSell).toMatchObject({ unitPrice: gbp(9), rentalRateCardId: sell.id, rentalRateId: sellRate.id });

    // once the SELL card prices the product itself, the template is no longer used
    const own = rate({ price: gbp(6), startDate: '2025-03-01' });
    const sell2 = card([own], { basedOnTemplateId: template.id });
    const p2 = pricing({ rateCards: [sell2, template], rateCardAssignments: [cardAssignment(sell2)] });
    const lines = rentalCharges(rpi(), p2, { from: '2025-01-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice, l.rentalRateCardId])).toEqual([
      ['2025-01-01', gbp(7), template.id],
      ['2025-02-01', gbp(7), template.id],
      ['2025-03-01', gbp(6), sell2.id],
      ['2025-04-01', gbp(6), sell2.id],
    ]);
  });

  it('does not fall back when the card prices the product with a ONEOFF rate only, nor for a card without a template', () => {
    const template = card([rate({ price: gbp(7) })], { rentalRateCardType: 'TEMPLATE' });
    const sell = card([rate({ price: gbp(30), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null })], { basedOnTemplateId: template.id });
    const lines = rentalCharges(rpi(), pricing({ rateCards: [sell, template], rateCardAssignments: [cardAssignment(sell)] }), { from: '2025-01-01', to: '2025-03-31' });
    expect(lines.map((l) => l.rentalRatePriceType)).toEqual(['ONEOFF']);
    const bare = card([rate({ rentalProductId: OTHER_PRODUCT })]);
    expect(rentalCharges(rpi(), pricing({ rateCards: [bare, template], rateCardAssignments: [cardAssignment(bare)] }), { from: '2025-01-01', to: '2025-03-31' })).toEqual([]);
  });

  it('applies precedence INVENTORY > SITE > CUSTOMER, day by day at each period start', () => {
    const customer = card([rate({ price: gbp(10) })]);
    const site = card([rate({ price: gbp(9) })]);
    const inventory = card([rate({ price: gbp(8) })]);
    const p = pricing({
      rateCards: [customer, site, inventory],
      rateCardAssignments: [
        cardAssignment(customer, 'CUSTOMER'),
        cardAssignment(inventory, 'INVENTORY', '2000-01-01', '2025-02-28'),
        cardAssignment(site, 'SITE', '2000-01-01', '2025-03-31'),
      ],
    });
    const lines = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice, l.rentalRateCardId])).toEqual([
      ['2025-01-01', gbp(8), inventory.id],
      ['2025-02-01', gbp(8), inventory.id],
      ['2025-03-01', gbp(9), site.id],
      ['2025-04-01', gbp(10), customer.id],
    ]);
    // an assignment starting mid-period takes over from the next period
    const p2 = pricing({
      rateCards: [customer, inventory],
      rateCardAssignments: [cardAssignment(customer, 'CUSTOMER'), cardAssignment(inventory, 'INVENTORY', '2025-02-15')],
    });
    expect(rentalCharges(rpi(), p2, { from: '2025-01-01', to: '2025-03-31' }).map((l) => l.unitPrice)).toEqual([gbp(10), gbp(10), gbp(8)]);
  });

  it('ignores a card of another category (a less specific card of the right one wins) and BUY cards', () => {
    const right = card([rate({ price: gbp(10) })]);
    const wrongCategory = card([rate({ price: gbp(1) })], { rentalProductCategoryId: OTHER_CATEGORY });
    const buy = card([rate({ price: gbp(2) })], { rentalRateCardType: 'BUY' });
    const p = pricing({
      rateCards: [right, wrongCategory, buy],
      rateCardAssignments: [cardAssignment(right, 'CUSTOMER'), cardAssignment(wrongCategory, 'INVENTORY'), cardAssignment(buy, 'SITE')],
    });
    const [line] = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-01-31' });
    expect(line).toMatchObject({ unitPrice: gbp(10), rentalRateCardId: right.id });
    // with only the mismatched card there is no price and so no line
    const onlyWrong = pricing({ rateCards: [wrongCategory], rateCardAssignments: [cardAssignment(wrongCategory, 'INVENTORY')] });
    expect(rentalCharges(rpi(), onlyWrong, { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
  });

  it('gives no line without any assignment', () => {
    const c = card([rate()]);
    expect(rentalCharges(rpi(), pricing({ rateCards: [c] }), { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
  });

  it('property: a narrow range returns exactly the lines of the full walk that overlap it', () => {
    const dayIn2025 = fc.integer({ min: 0, max: 1500 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: dayIn2025, length: fc.option(fc.integer({ min: 0, max: 400 })), frequency: frequencyArb, price: fc.integer({ min: 1, max: 100_000_000 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.record({ level: fc.constantFrom('CUSTOMER', 'SITE', 'INVENTORY' as const), start: dayIn2025, length: fc.option(fc.integer({ min: 0, max: 400 })) }), {
          minLength: 1,
          maxLength: 3,
        }),
        dayIn2025,
        fc.option(fc.integer({ min: 0, max: 1500 })),
        dayIn2025,
        fc.integer({ min: 0, max: 200 }),
        (rateSpecs, assignmentSpecs, rpiStart, rpiLength, from, rangeLength) => {
          const c = card(
            rateSpecs.map((s) => rate({ startDate: s.start, endDate: s.length === null ? null : addDays(s.start, s.length), rentalRateFrequency: s.frequency, price: s.price })),
          );
          const p = pricing({
            rateCards: [c],
            rateCardAssignments: assignmentSpecs.map((s) => cardAssignment(c, s.level, s.start, s.length === null ? null : addDays(s.start, s.length))),
          });
          const r = rpi({ startDate: rpiStart, endDate: rpiLength === null ? null : addDays(rpiStart, rpiLength) });
          const to = addDays(from, rangeLength);
          const full = rentalCharges(r, p, { from: '2020-01-01', to });
          const narrow = rentalCharges(r, p, { from, to });
          expect(narrow).toEqual(full.filter((l) => l.chargedTo >= from));
          for (let i = 1; i < full.length; i++) expect(full[i]!.periodStart > full[i - 1]!.periodEnd).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('discounts', () => {
  it('a rule for the product beats a rule for its category', () => {
    const discountPlan = plan(12, [rule(25, { rentalProductId: PRODUCT }), rule(10)]);
    const p = { ...simplePricing(rate({ price: gbp(10) }), rate({ rentalProductId: OTHER_PRODUCT, price: gbp(10) })) };
    p.discountPlans = [discountPlan];
    p.discountPlanAssignments = [planAssignment(discountPlan, 'CUSTOMER', '2025-01-01')];
    const [product] = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-01-31' });
    // £10 − 25 % = £7.50
    expect(product).toMatchObject({ grossAmount: gbp(10), rentalDiscountPlanId: discountPlan.id, discountPercentage: 25, discountAmount: gbp(2.5), netAmount: gbp(7.5) });
    // another product of the category gets the category rule: £10 − 10 % = £9
    const [other] = rentalCharges(rpi({ rentalProductId: OTHER_PRODUCT }), p, { from: '2025-01-01', to: '2025-01-31' });
    expect(other).toMatchObject({ discountPercentage: 10, netAmount: gbp(9) });
    // rule order does not matter
    const reversed = plan(12, [rule(10), rule(25, { rentalProductId: PRODUCT })]);
    const p2 = { ...p, discountPlans: [reversed], discountPlanAssignments: [planAssignment(reversed, 'CUSTOMER', '2025-01-01')] };
    expect(rentalCharges(rpi(), p2, { from: '2025-01-01', to: '2025-01-31' })[0]!.discountPercentage).toBe(25);
  });

  it('a 3-month discount starting mid-month covers the periods that start within 3 months of it', () => {
    const half = plan(3, [rule(50)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [half], discountPlanAssignments: [planAssignment(half, 'CUSTOMER', '2025-01-15')] };
    const lines = rentalCharges(rpi({ startDate: '2025-01-01' }), p, { from: '2025-01-01', to: '2025-06-30' });
    // window [01-15, 04-15): January started before it; Feb, Mar and Apr start inside; May is after
    expect(lines.map((l) => [l.periodStart, l.discountPercentage, l.netAmount])).toEqual([
      ['2025-01-01', null, gbp(10)],
      ['2025-02-01', 50, gbp(5)],
      ['2025-03-01', 50, gbp(5)],
      ['2025-04-01', 50, gbp(5)],
      ['2025-05-01', null, gbp(10)],
      ['2025-06-01', null, gbp(10)],
    ]);
  });

  it('takes the most specific applicable plan; an expired or non-covering plan gives way', () => {
    const broad = plan(12, [rule(10)]);
    const narrowShort = plan(2, [rule(20)]);
    const otherCategoryOnly = plan(12, [rule(90, { productCategoryId: OTHER_CATEGORY })]);
    const p = {
      ...simplePricing(rate({ price: gbp(10) })),
      discountPlans: [broad, narrowShort, otherCategoryOnly],
      discountPlanAssignments: [
        planAssignment(broad, 'CUSTOMER', '2025-01-01'),
        planAssignment(narrowShort, 'INVENTORY', '2025-01-01'),
        planAssignment(otherCategoryOnly, 'SITE', '2025-01-01'),
      ],
    };
    const lines = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.periodStart, l.rentalDiscountPlanId, l.netAmount])).toEqual([
      ['2025-01-01', narrowShort.id, gbp(8)],
      ['2025-02-01', narrowShort.id, gbp(8)],
      ['2025-03-01', broad.id, gbp(9)],
      ['2025-04-01', broad.id, gbp(9)],
    ]);
  });

  it('ends with its assignment', () => {
    const d = plan(12, [rule(10)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [d], discountPlanAssignments: [planAssignment(d, 'CUSTOMER', '2025-01-01', '2025-02-10')] };
    expect(rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-03-31' }).map((l) => l.netAmount)).toEqual([gbp(9), gbp(9), gbp(10)]);
  });

  it('takes percentages with 2 decimals and rounds the discount half away from zero', () => {
    const d = plan(12, [rule(33.33)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [d], discountPlanAssignments: [planAssignment(d, 'CUSTOMER', '2025-01-01')] };
    const lines = rentalCharges(rpi({ quantity: 2, endDate: '2025-03-15' }), p, { from: '2025-03-01', to: '2025-03-31' });
    // gross 9.677419 (2 × £10 × 15/31); 33.33 % of it = 3.2254837527 → 3.225484; net 6.451935
    expect(lines[0]).toMatchObject({ grossAmount: 9_677_419, discountAmount: 3_225_484, netAmount: 6_451_935 });
    // 12.5 % of £0.000004 = 0.5 µ → 1 µ
    const e = plan(12, [rule(12.5)]);
    const tiny = { ...simplePricing(rate({ price: 4 })), discountPlans: [e], discountPlanAssignments: [planAssignment(e, 'CUSTOMER', '2025-01-01')] };
    expect(rentalCharges(rpi(), tiny, { from: '2025-01-01', to: '2025-01-31' })[0]).toMatchObject({ discountAmount: 1, netAmount: 3 });
  });

  it('discounts 100 % to zero and the ONEOFF charge by the same rule', () => {
    const free = plan(1, [rule(100)]);
    const p = {
      ...simplePricing(rate({ price: gbp(10) }), rate({ price: gbp(40), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null })),
      discountPlans: [free],
      discountPlanAssignments: [planAssignment(free, 'CUSTOMER', '2025-01-01')],
    };
    const lines = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-02-28' });
    expect(lines.map((l) => [l.rentalRatePriceType, l.grossAmount, l.netAmount])).toEqual([
      ['ONEOFF', gbp(40), 0],
      ['RENTAL', gbp(10), 0],
      ['RENTAL', gbp(10), gbp(10)],
    ]);
  });

  it('rejects a stored percentage with more than 2 decimals or outside 0..100', () => {
    for (const bad of [12.345, 100.01, -1]) {
      const d = plan(12, [rule(bad)]);
      const p = { ...simplePricing(rate()), discountPlans: [d], discountPlanAssignments: [planAssignment(d, 'CUSTOMER', '2025-01-01')] };
      expect(() => rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-01-31' })).toThrow(RangeError);
    }
  });
});

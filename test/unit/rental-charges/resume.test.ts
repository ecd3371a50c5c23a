/**
 * What keyset pages of GET /v2/rental-charges rely on (services/rental-charges.ts
 * rentalChargeKeysetPage): an RPI's lines are totally ordered by (periodStart,
 * ONEOFF before RENTAL), and a line does not depend on the range's start, so a page
 * that resumes inside an RPI's lines may price them from the cursor's periodStart
 * on and get exactly the lines the whole range lists after the cursor.
 */
import { describe, expect, it } from 'vitest';
import { rentalChargeLines, rentalCharges } from '../../../src/domain/rental-charges/charges';
import type { RentalChargeLine, RentalPricing, RentalProductInventory } from '../../../src/domain/rental-charges/model';
import { card, cardAssignment, gbp, plan, planAssignment, pricing, rate, rpi, rule, simplePricing } from '../../helpers/rental-fixtures';

const RANK = { ONEOFF: 0, RENTAL: 1 } as const;
/** a before b in the list's order (one RPI) */
const before = (a: RentalChargeLine, b: RentalChargeLine) => (a.periodStart !== b.periodStart ? a.periodStart < b.periodStart : RANK[a.rentalRatePriceType] < RANK[b.rentalRatePriceType]);

/** Every line of the range, resumed after each line in turn from that line's periodStart: the rest of the list, line for line. */
function expectResumable(r: RentalProductInventory, p: RentalPricing, range: { from: string; to: string }, atLeast: number) {
  const all = rentalCharges(r, p, range);
  expect(all.length).toBeGreaterThanOrEqual(atLeast);
  for (let i = 1; i < all.length; i++) expect(before(all[i - 1]!, all[i]!), `line ${i} follows line ${i - 1}`).toBe(true);
  for (const [i, cursor] of all.entries()) {
    const from = cursor.periodStart > range.from ? cursor.periodStart : range.from;
    const resumed = rentalCharges(r, p, { from, to: range.to }).filter((l) => before(cursor, l));
    expect(resumed, `after line ${i} (${cursor.rentalRatePriceType} ${cursor.periodStart})`).toEqual(all.slice(i + 1));
  }
}

describe('rental charge lines resumed inside an RPI', () => {
  it('monthly from the 31st, a price change mid-period and an RPI end mid-period', () => {
    const p = simplePricing(rate({ price: gbp(10), endDate: '2025-05-19' }), rate({ price: gbp(12), startDate: '2025-05-20' }));
    expectResumable(rpi({ startDate: '2025-01-31', endDate: '2025-11-10' }), p, { from: '2025-01-01', to: '2025-12-31' }, 10);
    expectResumable(rpi({ startDate: '2025-01-31', endDate: '2025-11-10' }), p, { from: '2025-03-15', to: '2025-09-30' }, 6);
  });

  it('a change of frequency (monthly, then weekly) and a gap without a price', () => {
    const p = simplePricing(
      rate({ price: gbp(30), endDate: '2025-04-15' }),
      rate({ price: gbp(7), rentalRateFrequency: 'WEEKLY', startDate: '2025-04-16', endDate: '2025-06-30' }),
      rate({ price: gbp(31), startDate: '2025-07-10' }),
    );
    expectResumable(rpi({ startDate: '2025-01-10' }), p, { from: '2025-01-01', to: '2025-10-31' }, 15);
  });

  it('a ONEOFF line beside a daily schedule, a card assigned later and an expiring discount', () => {
    const oneOff = rate({ price: gbp(50), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null });
    const daily = rate({ price: gbp(1.5), rentalRateFrequency: 'DAILY' });
    const c = card([oneOff, daily]);
    const discount = plan(1, [rule(10)]);
    const p = pricing({ rateCards: [c], rateCardAssignments: [cardAssignment(c)], discountPlans: [discount], discountPlanAssignments: [planAssignment(discount, 'CUSTOMER', '2025-03-01')] });
    expectResumable(rpi({ quantity: 3, startDate: '2025-03-05', endDate: '2025-04-20' }), p, { from: '2025-03-01', to: '2025-05-31' }, 40);

    const late = card([rate({ price: gbp(20) })]);
    const assignedLater = pricing({ rateCards: [late], rateCardAssignments: [cardAssignment(late, 'CUSTOMER', '2025-02-20')] });
    expectResumable(rpi({ startDate: '2025-01-01' }), assignedLater, { from: '2025-01-01', to: '2025-08-31' }, 7);
  });

  it('are computed one at a time: the first of a five-year daily schedule without the rest', () => {
    const lines = rentalChargeLines(rpi({ startDate: '2020-01-01' }), simplePricing(rate({ price: gbp(1), rentalRateFrequency: 'DAILY' })), { from: '2020-01-01', to: '2024-12-31' });
    expect(lines.next().value).toMatchObject({ periodStart: '2020-01-01', periodEnd: '2020-01-01' });
    expect(lines.next().value).toMatchObject({ periodStart: '2020-01-02', periodEnd: '2020-01-02' });
  });
});

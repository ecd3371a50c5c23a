import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates';
import { alertDue, endingWithoutRenewal, followsAnchor, planRenewal, type RenewalSource, type RolloverTerms } from '../../src/domain/renewal';
import { computeEndDate } from '../../src/domain/terms';

const terms = (contractTerm: number, over: Partial<RolloverTerms> = {}): RolloverTerms => ({
  contractProfileId: 7,
  contractTerm,
  rolloverContractProfileId: 7,
  renewalAlertDays: 28,
  noticePeriodDays: 30,
  ...over,
});

function first(startDate: string, contractTerm: number): RenewalSource {
  return {
    startDate,
    endDate: computeEndDate({ anchorDate: startDate, monthsFromAnchor: 0 }, contractTerm),
    anchorDate: startDate,
    monthsFromAnchor: 0,
    contractTerm,
    terminationType: null,
    terminationDate: null,
    noticeDate: null,
  };
}

function renew(source: RenewalSource, t: RolloverTerms): RenewalSource {
  const p = planRenewal(source, t);
  return { ...p, contractTerm: t.contractTerm, terminationType: p.terminationType };
}

describe('planning a renewal', () => {
  it('continues the chain from the anchor: 2025-01-31 monthly, renewed four times', () => {
    let c = first('2025-01-31', 1);
    const ends = [c.endDate];
    for (let i = 0; i < 4; i++) {
      c = renew(c, terms(1));
      ends.push(c.endDate);
    }
    expect(ends).toEqual(['2025-02-27', '2025-03-30', '2025-04-29', '2025-05-30', '2025-06-29']);
    expect(c.anchorDate).toBe('2025-01-31');
    expect(c.monthsFromAnchor).toBe(4);
  });

  it('takes the renewal’s terms from the rollover profile and starts billing with it', () => {
    const p = planRenewal(first('2024-02-29', 12), terms(24, { contractProfileId: 9, rolloverContractProfileId: null, renewalAlertDays: 5, noticePeriodDays: 60 }));
    expect(p).toMatchObject({
      startDate: '2025-02-28',
      endDate: '2027-02-27',
      billingStartDate: '2025-02-28',
      anchorDate: '2024-02-29',
      monthsFromAnchor: 12,
      contractProfileId: 9,
      rolloverContractProfileId: null,
      renewalAlertDays: 5,
      noticePeriodDays: 60,
    });
  });

  it('re-anchors after an end that left the schedule (terminate and renew, or an explicit end)', () => {
    const moved = { ...first('2025-01-01', 12), endDate: '2025-06-15', terminationType: 'EARLY' as const, terminationDate: '2025-06-15' };
    expect(followsAnchor(moved)).toBe(false);
    const p = planRenewal(moved, terms(12));
    expect(p).toMatchObject({ startDate: '2025-06-16', endDate: '2026-06-15', anchorDate: '2025-06-16', monthsFromAnchor: 0, terminationDate: null });
  });

  it('carries a regular termination to the contract that ends on it, which does not roll over', () => {
    const c = { ...first('2025-01-01', 12), terminationType: 'REGULAR' as const, terminationDate: '2026-12-31', noticeDate: '2025-12-15' };
    const p = planRenewal(c, terms(12));
    expect(p).toMatchObject({ startDate: '2026-01-01', endDate: '2026-12-31', rolloverContractProfileId: null, terminationType: 'REGULAR', terminationDate: '2026-12-31', noticeDate: '2025-12-15' });
    const twoTerms = planRenewal({ ...c, terminationDate: '2027-12-31' }, terms(12));
    expect(twoTerms).toMatchObject({ endDate: '2026-12-31', rolloverContractProfileId: 7, terminationDate: '2027-12-31' });
  });

  it('never overlaps or leaves a gap over long chains of mixed terms (property)', () => {
    const date = fc
      .record({ y: fc.integer({ min: 2000, max: 2060 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
      .filter(({ y, m, d }) => d <= new Date(Date.UTC(y, m, 0)).getUTCDate())
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(date, fc.array(fc.constantFrom(1, 3, 12, 24), { minLength: 1, maxLength: 15 }), fc.constantFrom(1, 3, 12, 24), (start, renewals, firstTerm) => {
        let c = first(start, firstTerm);
        for (const t of renewals) {
          const next = renew(c, terms(t));
          expect(next.startDate).toBe(addDays(c.endDate, 1));
          expect(next.endDate >= next.startDate).toBe(true);
          c = next;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('what the job does with a contract', () => {
  const base = { endDate: '2025-12-31', renewedCustomerContractId: null, rolloverContractProfileId: 3, terminationDate: null };
  it('ends the others as expired or terminated', () => {
    const none = { ...base, rolloverContractProfileId: null };
    expect(endingWithoutRenewal(none, '2026-01-01')).toBe('expired');
    expect(endingWithoutRenewal(none, '2025-12-31')).toBeNull();
    expect(endingWithoutRenewal({ ...none, endDate: '2025-06-30', terminationDate: '2025-06-30' }, '2025-07-01')).toBe('terminated');
    expect(endingWithoutRenewal(base, '2026-01-01')).toBeNull();
  });

  it('alerts current contracts inside their windows, including 0 and 2147483647 days', () => {
    const c = { ...base, renewalAlertDays: 28, noticePeriodDays: 30 };
    expect(alertDue('renewal_alert', c, '2025-12-02')).toBe(false);
    expect(alertDue('renewal_alert', c, '2025-12-03')).toBe(true);
    expect(alertDue('renewal_alert', c, '2025-12-31')).toBe(true);
    expect(alertDue('renewal_alert', c, '2026-01-01')).toBe(false);
    expect(alertDue('notice_period', c, '2025-12-01')).toBe(true);
    expect(alertDue('notice_period', c, '2025-11-30')).toBe(false);
    expect(alertDue('renewal_alert', { ...c, renewalAlertDays: 0 }, '2025-12-31')).toBe(true);
    expect(alertDue('renewal_alert', { ...c, renewalAlertDays: 0 }, '2025-12-30')).toBe(false);
    expect(alertDue('notice_period', { ...c, noticePeriodDays: 2147483647 }, '1900-01-01')).toBe(true);
    expect(alertDue('notice_period', { ...c, renewedCustomerContractId: 9 }, '2025-12-15')).toBe(false);
    expect(alertDue('notice_period', { ...c, endDate: '2025-12-20', terminationDate: '2025-12-20' }, '2025-12-15')).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates';
import { computeEndDate, contractStatus, isInWindow, nextTerm, windowBefore } from '../../src/domain/terms';

function chain(start: string, terms: number[]) {
  let position = { anchorDate: start, monthsFromAnchor: 0 };
  let startDate = start;
  let endDate = computeEndDate(position, terms[0]!);
  const contracts = [{ startDate, endDate }];
  for (let i = 1; i < terms.length; i++) {
    const n = nextTerm(position, terms[i - 1]!, endDate, terms[i]!);
    position = { anchorDate: n.anchorDate, monthsFromAnchor: n.monthsFromAnchor };
    startDate = n.startDate;
    endDate = n.endDate;
    contracts.push({ startDate, endDate });
  }
  return contracts;
}

describe('the anchored term rule', () => {
  it('ends a 12-month contract from 2025-01-01 on 2025-12-31', () => {
    expect(computeEndDate({ anchorDate: '2025-01-01', monthsFromAnchor: 0 }, 12)).toBe('2025-12-31');
  });

  it('ends 12 months from 2024-02-29 on 2025-02-27 (anniversary 2025-02-28) and 24 months on 2026-02-27', () => {
    expect(computeEndDate({ anchorDate: '2024-02-29', monthsFromAnchor: 0 }, 12)).toBe('2025-02-27');
    expect(computeEndDate({ anchorDate: '2024-02-29', monthsFromAnchor: 0 }, 24)).toBe('2026-02-27');
    // 48 months reaches the next leap day: anniversary 2028-02-29, so the term ends the day before
    expect(computeEndDate({ anchorDate: '2024-02-29', monthsFromAnchor: 0 }, 48)).toBe('2028-02-28');
  });

  it('renews 1-month terms from 2025-01-31 four times without drift', () => {
    expect(chain('2025-01-31', [1, 1, 1, 1, 1]).map((c) => c.endDate)).toEqual([
      '2025-02-27',
      '2025-03-30',
      '2025-04-29',
      '2025-05-30',
      '2025-06-29',
    ]);
    expect(chain('2025-01-31', [1, 1, 1]).map((c) => c.startDate)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
  });

  it('handles month ends through February, April, June, September and November', () => {
    for (const start of ['2023-01-28', '2023-01-29', '2023-01-30', '2023-01-31', '2024-01-31', '2025-03-31', '2025-05-31', '2025-08-31', '2025-10-31']) {
      const contracts = chain(start, [1, 1, 3, 12, 24, 1]);
      for (let i = 1; i < contracts.length; i++) expect(contracts[i]!.startDate).toBe(addDays(contracts[i - 1]!.endDate, 1));
    }
    expect(computeEndDate({ anchorDate: '2025-03-31', monthsFromAnchor: 0 }, 1)).toBe('2025-04-29');
    expect(computeEndDate({ anchorDate: '2025-08-31', monthsFromAnchor: 0 }, 1)).toBe('2025-09-29');
  });

  it('never overlaps or leaves a gap, for random starts and mixed terms (property)', () => {
    const date = fc
      .record({ y: fc.integer({ min: 1990, max: 2090 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
      .filter(({ y, m, d }) => d <= new Date(Date.UTC(y, m, 0)).getUTCDate())
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const terms = fc.array(fc.constantFrom(1, 3, 12, 24, 5, 36), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(date, terms, (start, ts) => {
        const contracts = chain(start, ts);
        for (let i = 0; i < contracts.length; i++) {
          const c = contracts[i]!;
          expect(c.endDate >= c.startDate).toBe(true);
          if (i > 0) expect(c.startDate).toBe(addDays(contracts[i - 1]!.endDate, 1));
        }
        // every term is measured from the anchor: the n-th end is the day before anchor + cumulative months
        let months = 0;
        for (let i = 0; i < ts.length; i++) {
          months += ts[i]!;
          expect(contracts[i]!.endDate).toBe(computeEndDate({ anchorDate: start, monthsFromAnchor: 0 }, months));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('windows and status', () => {
  it('clamps windows that would reach before year 1', () => {
    expect(windowBefore('2025-06-30', 2147483647)).toEqual({ from: '0001-01-01', to: '2025-06-30' });
    expect(isInWindow('1000-01-01', '2025-06-30', 2147483647)).toBe(true);
    expect(isInWindow('2025-06-30', '2025-06-30', 0)).toBe(true);
    expect(isInWindow('2025-06-29', '2025-06-30', 0)).toBe(false);
    expect(isInWindow('2025-06-02', '2025-06-30', 28)).toBe(true);
    expect(isInWindow('2025-06-01', '2025-06-30', 28)).toBe(false);
  });

  it('derives the status for the owner’s today', () => {
    const c = { startDate: '2025-01-01', endDate: '2025-12-31', noticePeriodDays: 30, terminationDate: null, renewedCustomerContractId: null };
    expect(contractStatus(c, '2024-12-31')).toBe('PENDING');
    expect(contractStatus(c, '2025-01-01')).toBe('ACTIVE');
    expect(contractStatus(c, '2025-11-30')).toBe('ACTIVE');
    expect(contractStatus(c, '2025-12-01')).toBe('IN_NOTICE');
    expect(contractStatus(c, '2025-12-31')).toBe('IN_NOTICE');
    expect(contractStatus(c, '2026-01-01')).toBe('EXPIRED');
    expect(contractStatus({ ...c, renewedCustomerContractId: 7 }, '2026-01-01')).toBe('RENEWED');
    const terminated = { ...c, endDate: '2025-06-30', terminationDate: '2025-06-30' };
    expect(contractStatus(terminated, '2025-06-30')).toBe('IN_NOTICE');
    expect(contractStatus(terminated, '2025-07-01')).toBe('TERMINATED');
    expect(contractStatus({ ...terminated, renewedCustomerContractId: 8 }, '2025-07-01')).toBe('TERMINATED');
    expect(contractStatus({ ...c, noticePeriodDays: 0 }, '2025-12-30')).toBe('ACTIVE');
    // a regular termination set for a later term end: this term still renews
    const later = { ...c, terminationDate: '2026-12-31', renewedCustomerContractId: 9 };
    expect(contractStatus(later, '2026-01-01')).toBe('RENEWED');
    expect(contractStatus({ ...later, renewedCustomerContractId: null }, '2025-06-01')).toBe('ACTIVE');
    expect(contractStatus({ ...c, endDate: null }, '2030-01-01')).toBe('ACTIVE');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/domain/dates';
import { regularTerminationEnd } from '../../src/domain/termination';
import { computeEndDate, nextTerm } from '../../src/domain/terms';

const yearly = {
  position: { anchorDate: '2025-01-01', monthsFromAnchor: 0 },
  endDate: '2025-12-31',
  contractTerm: 12,
  rolloverTerm: 12,
  noticePeriodDays: 30,
};

describe('regular termination', () => {
  it('ends at the current term end when notice is in time', () => {
    // cut-off = 2025-12-31 − 30 days = 2025-12-01
    expect(regularTerminationEnd({ ...yearly, noticeDate: '2025-11-15' })).toEqual({
      endDate: '2025-12-31',
      cutOffDate: '2025-12-01',
      noticeInTime: true,
      renewals: 0,
      position: { anchorDate: '2025-01-01', monthsFromAnchor: 0 },
    });
  });

  it('accepts notice given exactly on the cut-off day', () => {
    expect(regularTerminationEnd({ ...yearly, noticeDate: '2025-12-01' })).toMatchObject({ endDate: '2025-12-31', noticeInTime: true, renewals: 0 });
  });

  it('moves a late notice (one day after the cut-off) to the end of the next term', () => {
    expect(regularTerminationEnd({ ...yearly, noticeDate: '2025-12-02' })).toEqual({
      endDate: '2026-12-31',
      cutOffDate: '2026-12-01',
      noticeInTime: false,
      renewals: 1,
      position: { anchorDate: '2025-01-01', monthsFromAnchor: 12 },
    });
  });

  it('uses the rollover term for the renewal and measures it from the chain anchor (no drift)', () => {
    // chain from 2024-02-29, second 12-month contract: ends addMonths(2024-02-29, 24) − 1 = 2026-02-27
    const input = {
      position: { anchorDate: '2024-02-29', monthsFromAnchor: 12 },
      endDate: '2026-02-27',
      contractTerm: 12,
      rolloverTerm: 24,
      noticePeriodDays: 60,
    };
    // cut-off 2026-02-27 − 60 days = 2025-12-29
    expect(regularTerminationEnd({ ...input, noticeDate: '2025-12-29' })).toMatchObject({ endDate: '2026-02-27', renewals: 0 });
    // late: the 24-month renewal ends addMonths(2024-02-29, 48) − 1 = 2028-02-28
    expect(regularTerminationEnd({ ...input, noticeDate: '2025-12-30' })).toMatchObject({
      endDate: '2028-02-28',
      renewals: 1,
      position: { anchorDate: '2024-02-29', monthsFromAnchor: 24 },
    });
  });

  it('goes further than the next term when the notice period is longer than a term', () => {
    // 1-month terms from 2025-01-31 end 02-27, 03-30, 04-29, 05-30; 90 days' notice on 02-20 needs an end ≥ 2025-05-21
    expect(
      regularTerminationEnd({
        position: { anchorDate: '2025-01-31', monthsFromAnchor: 0 },
        endDate: '2025-02-27',
        contractTerm: 1,
        rolloverTerm: 1,
        noticePeriodDays: 90,
        noticeDate: '2025-02-20',
      }),
    ).toMatchObject({ endDate: '2025-05-30', cutOffDate: '2025-03-01', renewals: 3, noticeInTime: false, position: { monthsFromAnchor: 3 } });
  });

  it('with a notice period of 0 days accepts notice on the last day itself', () => {
    expect(regularTerminationEnd({ ...yearly, noticePeriodDays: 0, noticeDate: '2025-12-31' })).toMatchObject({ endDate: '2025-12-31', renewals: 0 });
    expect(regularTerminationEnd({ ...yearly, noticePeriodDays: 0, noticeDate: '2026-01-01' })).toMatchObject({ endDate: '2026-12-31', renewals: 1 });
  });

  it('keeps the current end for a late notice when there is no rollover', () => {
    expect(regularTerminationEnd({ ...yearly, rolloverTerm: null, noticeDate: '2025-12-20' })).toMatchObject({
      endDate: '2025-12-31',
      noticeInTime: false,
      renewals: 0,
    });
  });

  it('returns null when no term end up to 2199-12-31 (the API range) can respect the notice period', () => {
    expect(regularTerminationEnd({ ...yearly, noticePeriodDays: 2147483647, noticeDate: '2025-01-01' })).toBeNull();
  });

  it('jumps straight to a far term end for a very long notice period', () => {
    const result = regularTerminationEnd({
      position: { anchorDate: '2025-01-31', monthsFromAnchor: 0 },
      endDate: '2025-02-27',
      contractTerm: 1,
      rolloverTerm: 1,
      noticePeriodDays: 60_000,
      noticeDate: '2025-02-01',
    })!;
    const needed = addDays('2025-02-01', 60_000);
    expect(result.endDate >= needed).toBe(true);
    // and it is the first such end: the term before it ends too early
    const previous = computeEndDate({ anchorDate: '2025-01-31', monthsFromAnchor: result.position.monthsFromAnchor - 1 }, 1);
    expect(previous < needed).toBe(true);
    expect(result.endDate).toBe(computeEndDate(result.position, 1));
  });

  it('property: the result is the first term end, stepping renewals one by one, whose cut-off is on or after the notice', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2023-01-01', n));
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(1, 3, 12, 24),
        fc.constantFrom(1, 3, 12, 24),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: -100, max: 1500 }),
        (anchorDate, monthsFromAnchor, contractTerm, rolloverTerm, noticePeriodDays, noticeOffset) => {
          const position = { anchorDate, monthsFromAnchor };
          const endDate = computeEndDate(position, contractTerm);
          const noticeDate = addDays(anchorDate, noticeOffset);
          // brute force with nextTerm
          let at = { ...position, endDate };
          let term = contractTerm;
          let renewals = 0;
          while (daysBetween(noticeDate, at.endDate) < noticePeriodDays) {
            at = nextTerm(at, term, at.endDate, rolloverTerm);
            term = rolloverTerm;
            renewals += 1;
          }
          const result = regularTerminationEnd({ position, endDate, contractTerm, rolloverTerm, noticePeriodDays, noticeDate })!;
          expect(result).toMatchObject({ endDate: at.endDate, renewals, position: { anchorDate, monthsFromAnchor: at.monthsFromAnchor } });
          expect(result.noticeInTime).toBe(renewals === 0);
          expect(result.cutOffDate >= noticeDate).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects a negative notice period or a term that is not a positive number of months', () => {
    expect(() => regularTerminationEnd({ ...yearly, noticePeriodDays: -1, noticeDate: '2025-01-01' })).toThrow(RangeError);
    expect(() => regularTerminationEnd({ ...yearly, rolloverTerm: 0, noticeDate: '2025-01-01' })).toThrow(RangeError);
    expect(() => regularTerminationEnd({ ...yearly, contractTerm: 1.5, noticeDate: '2025-01-01' })).toThrow(RangeError);
  });
});

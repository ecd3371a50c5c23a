/** The settled rule of regular termination: this term's end, or the next one's; a notice later than the next cut-off is refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/domain/dates';
import { decideRegularTermination, regularTerminationEnd } from '../../src/domain/termination';
import { computeEndDate } from '../../src/domain/terms';

/** 12 months from 2025-01-01, renewing into itself, 60 days' notice (the example of the instellix brief) */
const yearly = {
  position: { anchorDate: '2025-01-01', monthsFromAnchor: 0 },
  endDate: '2025-12-31',
  contractTerm: 12,
  rolloverTerm: 12,
  noticePeriodDays: 60,
};

describe('decideRegularTermination', () => {
  it('ends this term when notice comes on or before the cut-off (2025-12-31 − 60 days = 2025-11-01)', () => {
    expect(decideRegularTermination({ ...yearly, noticeDate: '2025-11-01' })).toMatchObject({
      kind: 'ends',
      termination: { endDate: '2025-12-31', renewals: 0, noticeInTime: true },
    });
  });

  it('ends the next term when notice is a day late: the contract renews once more', () => {
    expect(decideRegularTermination({ ...yearly, noticeDate: '2025-11-02' })).toMatchObject({
      kind: 'ends',
      termination: { endDate: '2026-12-31', renewals: 1, noticeInTime: false },
    });
  });

  it('accepts notice on the next cut-off, and refuses it a day later naming that cut-off', () => {
    expect(decideRegularTermination({ ...yearly, noticeDate: '2026-11-01' })).toMatchObject({ kind: 'ends', termination: { endDate: '2026-12-31', renewals: 1 } });
    expect(decideRegularTermination({ ...yearly, noticeDate: '2026-11-02' })).toEqual({ kind: 'too-late', nextEndDate: '2026-12-31', nextCutOffDate: '2026-11-01' });
  });

  it('refuses where the general search would go further than the next term (a notice period longer than a term)', () => {
    const monthly = { position: { anchorDate: '2025-01-31', monthsFromAnchor: 0 }, endDate: '2025-02-27', contractTerm: 1, rolloverTerm: 1, noticePeriodDays: 90 };
    expect(regularTerminationEnd({ ...monthly, noticeDate: '2025-02-20' })?.renewals).toBe(3);
    expect(decideRegularTermination({ ...monthly, noticeDate: '2025-02-20' })).toEqual({ kind: 'too-late', nextEndDate: '2025-03-30', nextCutOffDate: '2024-12-30' });
  });

  it('without a rollover a late notice ends the contract at its end anyway (there is no next term)', () => {
    expect(decideRegularTermination({ ...yearly, rolloverTerm: null, noticeDate: '2025-12-20' })).toMatchObject({ kind: 'ends', termination: { endDate: '2025-12-31', renewals: 0 } });
  });

  it('refuses a notice period no term end can meet', () => {
    expect(decideRegularTermination({ ...yearly, noticePeriodDays: 2147483647, noticeDate: '2025-01-01' })).toMatchObject({ kind: 'too-late', nextEndDate: '2026-12-31' });
  });

  it('property: it ends exactly when the current or the next term end is at least the notice period after the notice', () => {
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
          const nextEnd = computeEndDate({ anchorDate, monthsFromAnchor: monthsFromAnchor + contractTerm }, rolloverTerm);
          const noticeDate = addDays(anchorDate, noticeOffset);
          const decision = decideRegularTermination({ position, endDate, contractTerm, rolloverTerm, noticePeriodDays, noticeDate });
          const meets = (end: string) => daysBetween(noticeDate, end) >= noticePeriodDays;
          if (meets(endDate)) expect(decision).toMatchObject({ kind: 'ends', termination: { endDate, renewals: 0 } });
          else if (meets(nextEnd)) expect(decision).toMatchObject({ kind: 'ends', termination: { endDate: nextEnd, renewals: 1 } });
          else expect(decision).toEqual({ kind: 'too-late', nextEndDate: nextEnd, nextCutOffDate: addDays(nextEnd, -noticePeriodDays) });
        },
      ),
      { numRuns: 500 },
    );
  });
});

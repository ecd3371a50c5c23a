import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { checkAroundChanges, checkInstantTexts, checkRandomInstants, checkWallTimes, checkZoneNames } from '../helpers/dates-oracle';
import { addDays, addMonths, canonicalInstant, dayOfWeek, daysBetween, isIsoDate, MAX_DATE, MIN_DATE, parseInstant, toInstant } from '../../src/domain/dates';

const date = fc
  .record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .filter(({ y, m, d }) => d <= Temporal.PlainYearMonth.from({ year: y, month: m }).daysInMonth)
  .map(({ y, m, d }) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

function clamp(d: Temporal.PlainDate): string {
  if (d.year < 1) return MIN_DATE;
  if (d.year > 9999) return MAX_DATE;
  return d.toString();
}

describe('the date module agrees with Temporal', () => {
  it('adds months (clamping month ends) and days, counts days and weekdays (property)', slow, () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -2400, max: 2400 }), fc.integer({ min: -800_000, max: 800_000 }), (d, months, days) => {
        const p = Temporal.PlainDate.from(d);
        const byMonths = p.year * 12 + p.month - 1 + months;
        const expectedMonths = byMonths < 12 ? MIN_DATE : byMonths >= 10000 * 12 ? MAX_DATE : p.add({ months }, { overflow: 'constrain' }).toString();
        expect(addMonths(d, months)).toBe(expectedMonths);
        const target = p.add({ days });
        expect(addDays(d, days)).toBe(clamp(target));
        if (target.year >= 1 && target.year <= 9999) expect(daysBetween(d, target.toString())).toBe(days);
        expect(dayOfWeek(d)).toBe(p.dayOfWeek);
      }),
      { numRuns: 3000 },
    );
  });

  it('knows real dates from impossible ones', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('0000-01-01')).toBe(false);
    expect(isIsoDate('0099-12-31')).toBe(true);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate(20250101)).toBe(false);
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('clamps at the ends of the supported range', () => {
    expect(addDays('0001-01-05', -10)).toBe(MIN_DATE);
    expect(addDays('9999-12-30', 5)).toBe(MAX_DATE);
    expect(addDays('2025-06-30', -2147483647)).toBe(MIN_DATE);
    expect(addMonths('9999-11-30', 3)).toBe(MAX_DATE);
  });

  it('parses instants as Temporal does, impossible ones to null (property)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .record({
        y: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        mo: two(13),
        d: two(32),
        h: two(25),
        mi: two(60),
        s: fc.option(two(61)),
        frac: fc.option(fc.integer({ min: 1, max: 9 }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)))),
        zone: fc.oneof(fc.constant('Z'), fc.constant('z'), fc.record({ sign: fc.constantFrom('+', '-'), h: two(24), m: two(60) }).map((o) => `${o.sign}${o.h}:${o.m}`)),
      })
      .map((r) => `${r.y}-${r.mo}-${r.d}T${r.h}:${r.mi}${r.s === null ? '' : `:${r.s}${r.frac === null ? '' : `.${r.frac}`}`}${r.zone}`);
    fc.assert(
      fc.property(text, (t) => {
        let expected: number | null;
        try {
          expected = Temporal.Instant.from(t).epochMilliseconds;
        } catch {
          expected = null;
        }
        expect(parseInstant(t)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(parseInstant('2025-06-02T09:00:00.123456789Z')).toBe(Date.UTC(2025, 5, 2, 9, 0, 0, 123));
    expect(parseInstant('1969-12-31T23:59:59.9999Z')).toBe(-1);
    expect(parseInstant('2025-06-02T10:00+01:00')).toBe(Date.UTC(2025, 5, 2, 9));
    expect(parseInstant('2025-02-29T00:00:00Z')).toBeNull();
    expect(parseInstant('2025-06-02 09:00:00Z')).toBeNull();
  });
});

describe('canonicalInstant', () => {
  it('is toInstant of the parsed instant, whatever way it was written', () => {
    const written = [
      '2025-06-02T09:00:00.000Z',
      '2025-06-02T09:00:00Z',
      '2025-06-02t09:00:00.000z',
      '2025-06-02T10:00:00.000+01:00',
      '2025-06-02T09:00:00.0001Z',
      '2025-06-02T09:00:00.12Z',
      '2025-06-02T09:00Z',
      '2024-12-31T23:59:59.999Z',
      '2016-12-31T23:59:60.000Z',
    ];
    for (const value of written) {
      const epochMs = parseInstant(value);
      if (epochMs === null) continue;
      expect(canonicalInstant(value, epochMs)).toBe(toInstant(epochMs));
    }
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }), (epochMs) => {
        const iso = toInstant(epochMs);
        expect(canonicalInstant(iso, parseInstant(iso)!)).toBe(iso);
      }),
    );
  });
});

// Temporal's own reading of a zone is slow: these take seconds on a loaded machine
const slow = { timeout: 180_000 };

describe('time zones (read through Intl) agree with Temporal', () => {
  it('offsets, the offset changes either side, wall clocks and dates of random instants 1900–2199 (property)', () => {
    checkRandomInstants(3000);
  });

  it('either side of and on offset changes, and runs of records through the offset-span cache (property)', slow, () => {
    checkAroundChanges(400);
  });

  it('finds the instants of local times, skipped and repeated ones included (property)', slow, () => {
    checkWallTimes(1500);
  });

  it('accepts the zone names Temporal accepts', slow, () => {
    checkZoneNames();
  });
});

describe('instant texts', () => {
  it('are read as Temporal reads them, in the forms parseInstant takes; other ISO forms are refused (property)', slow, () => {
    checkInstantTexts(10_000);
  });
});

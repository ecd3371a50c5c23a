import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { addDays, addMonths, monthsFromAnchor, nextOffsetChange, wallClock, wallTimeInstant } from '../../src/domain/dates';

describe('monthsFromAnchor (the anchored month count)', () => {
  it('counts from a 31st without drifting', () => {
    // addMonths(2025-01-31, 1) = 2025-02-28, addMonths(…, 2) = 2025-03-31
    expect(monthsFromAnchor('2025-01-31', '2025-01-31')).toBe(0);
    expect(monthsFromAnchor('2025-01-31', '2025-02-27')).toBe(0);
    expect(monthsFromAnchor('2025-01-31', '2025-02-28')).toBe(1);
    expect(monthsFromAnchor('2025-01-31', '2025-03-30')).toBe(1);
    expect(monthsFromAnchor('2025-01-31', '2025-03-31')).toBe(2);
    expect(monthsFromAnchor('2024-02-29', '2025-02-28')).toBe(12);
    expect(monthsFromAnchor('2025-01-31', '2025-01-30')).toBe(-1);
  });

  it('property: addMonths(anchor, k) ≤ date < addMonths(anchor, k + 1)', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2023-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 1500 }), (anchor, ahead) => {
        const date = addDays(anchor, ahead);
        const k = monthsFromAnchor(anchor, date);
        expect(addMonths(anchor, k) <= date).toBe(true);
        expect(addMonths(anchor, k + 1) > date).toBe(true);
      }),
    );
  });
});

describe('wallTimeInstant', () => {
  it('gives the instant of a local time, DST-aware', () => {
    expect(new Date(wallTimeInstant('2025-06-02', 8 * 60, 'Europe/London')).toISOString()).toBe('2025-06-02T07:00:00.000Z');
    expect(new Date(wallTimeInstant('2025-06-02', 1440, 'Europe/London')).toISOString()).toBe('2025-06-02T23:00:00.000Z');
    expect(new Date(wallTimeInstant('2025-06-02', 8 * 60, 'Pacific/Auckland')).toISOString()).toBe('2025-06-01T20:00:00.000Z');
  });

  it('a skipped time is reached at the jump; a repeated one the second time when the first is not after `after`', () => {
    expect(new Date(wallTimeInstant('2025-03-30', 90, 'Europe/London')).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(new Date(wallTimeInstant('2025-10-26', 90, 'Europe/London')).toISOString()).toBe('2025-10-26T00:30:00.000Z');
    const after = Date.parse('2025-10-26T01:00:00Z');
    expect(new Date(wallTimeInstant('2025-10-26', 90, 'Europe/London', after)).toISOString()).toBe('2025-10-26T01:30:00.000Z');
  });

  it('nextOffsetChange finds the next DST change', () => {
    expect(new Date(nextOffsetChange(Date.parse('2025-06-01T00:00:00Z'), 'Europe/London')!).toISOString()).toBe('2025-10-26T01:00:00.000Z');
    expect(nextOffsetChange(0, 'UTC')).toBeNull();
  });
});

describe('wallClock (cached UTC offsets) agrees with Temporal', () => {
  const zones = ['Europe/London', 'Pacific/Auckland', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe', 'UTC', 'America/Sao_Paulo'];
  const viaTemporal = (ms: number, zone: string) => {
    const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
    return { date: z.toPlainDate().toString(), dayOfWeek: z.dayOfWeek, minuteOfDay: z.hour * 60 + z.minute };
  };

  it('property: random instants 1900–2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), fc.constantFrom(...zones), (ms, zone) => {
        expect(wallClock(ms, zone)).toEqual(viaTemporal(ms, zone));
      }),
      { numRuns: 2000 },
    );
  });

  it('around each offset change of 2025, either side and on it', () => {
    for (const zone of zones) {
      const end = Date.parse('2026-01-01T00:00:00Z');
      for (let change = nextOffsetChange(Date.parse('2025-01-01T00:00:00Z'), zone); change !== null && change < end; change = nextOffsetChange(change, zone)) {
        for (const ms of [change - 60_001, change - 1, change, change + 1, change + 60_000]) expect(wallClock(ms, zone)).toEqual(viaTemporal(ms, zone));
      }
    }
    // London: the last minute of GMT and the first of BST on 2025-03-30
    expect(wallClock(Date.parse('2025-03-30T00:59:59.999Z'), 'Europe/London')).toEqual({ date: '2025-03-30', dayOfWeek: 7, minuteOfDay: 59 });
    expect(wallClock(Date.parse('2025-03-30T01:00:00Z'), 'Europe/London')).toEqual({ date: '2025-03-30', dayOfWeek: 7, minuteOfDay: 120 });
  });
});

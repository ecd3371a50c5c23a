/**
 * src/domain/dates.ts against the Temporal polyfill (a test dependency only) as the
 * oracle: time-zone offsets and their changes, wall clocks, local times' instants,
 * zone names and instant parsing. Run on Node (test/unit/dates.test.ts) and in
 * workerd (test/worker/dates.test.ts), whose Intl the module reads zones from.
 * Each check returns the number of fast-check runs it made.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { expect } from 'vitest';
import {
  isValidTimeZone,
  nextOffsetChange,
  parseInstant,
  previousOffsetChange,
  todayIn,
  utcOffset,
  wallClock,
  wallTimeInstant,
} from '../../src/domain/dates';

/** DST north and south, half-hour and 45-minute offsets, zones with short-lived changes, fixed ones */
export const ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Africa/Casablanca',
  'America/Boa_Vista',
  'Asia/Gaza',
  'Europe/Moscow',
  'Antarctica/Troll',
  'europe/vienna',
  'Etc/GMT+5',
  'UTC',
  '+05:30',
  '-0345',
];

/** 1900-01-01 … 2199-12-31, any millisecond */
const MIN_MS = Date.UTC(1900, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1) - 1;
const instant = fc.integer({ min: MIN_MS, max: MAX_MS });
const zone = fc.constantFrom(...ZONES);

function zoned(ms: number, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
}

function clockOf(z: Temporal.ZonedDateTime) {
  return { date: z.toPlainDate().toString(), dayOfWeek: z.dayOfWeek, minuteOfDay: z.hour * 60 + z.minute };
}

const change = (z: Temporal.ZonedDateTime | null) => (z === null ? null : z.epochMilliseconds);

/**
 * Offset, both neighbouring changes, wall clock and (unless `exceptToday`) date of
 * one instant, as Temporal has them. todayIn is cached to the minute, so an old
 * change on an odd second (local mean time to a standard offset) shows late in it.
 */
function expectInstantAgrees(ms: number, timeZone: string, exceptToday = false): void {
  const z = zoned(ms, timeZone);
  expect(utcOffset(ms, timeZone)).toBe(z.offsetNanoseconds / 1e6);
  expect(nextOffsetChange(ms, timeZone)).toBe(change(z.getTimeZoneTransition('next')));
  expect(previousOffsetChange(ms, timeZone)).toBe(change(z.getTimeZoneTransition('previous')));
  expect(wallClock(ms, timeZone)).toEqual(clockOf(z));
  if (!exceptToday) expect(todayIn(timeZone, ms)).toBe(z.toPlainDate().toString());
}

export function checkRandomInstants(numRuns: number): number {
  fc.assert(fc.property(instant, zone, (ms, timeZone) => expectInstantAgrees(ms, timeZone)), { numRuns });
  return numRuns;
}

/** Either side of and on the offset change after a random instant, and the wall clock of a run of records after it (the span cache). */
export function checkAroundChanges(numRuns: number): number {
  fc.assert(
    fc.property(instant, zone, fc.array(fc.integer({ min: 0, max: 6 * 3_600_000 }), { maxLength: 40 }), (ms, timeZone, steps) => {
      const next = change(zoned(ms, timeZone).getTimeZoneTransition('next'));
      if (next !== null) {
        for (const at of [next - 60_000, next - 1, next, next + 1, next + 60_000]) expectInstantAgrees(at, timeZone, true);
        expect(previousOffsetChange(next + 1, timeZone)).toBe(next);
        expect(nextOffsetChange(next - 1, timeZone)).toBe(next);
      }
      let at = next === null ? ms : next - 3 * 3_600_000;
      for (const step of steps) {
        at += step;
        expect(wallClock(at, timeZone)).toEqual(clockOf(zoned(at, timeZone)));
      }
    }),
    { numRuns },
  );
  return numRuns;
}

/** wallTimeInstant as it was written on Temporal. */
function wallTimeInstantOfTemporal(date: string, minuteOfDay: number, timeZone: string, after: number): number {
  const day = Temporal.PlainDate.from(date, { overflow: 'reject' }).add({ days: Math.floor(minuteOfDay / 1440) });
  const minute = minuteOfDay % 1440;
  const local = day.toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 });
  const z = local.toZonedDateTime(timeZone, { disambiguation: 'compatible' });
  if (!z.toPlainDateTime().equals(local)) {
    const jump = z.getTimeZoneTransition('previous');
    if (jump) return jump.epochMilliseconds;
  }
  if (z.epochMilliseconds > after) return z.epochMilliseconds;
  return local.toZonedDateTime(timeZone, { disambiguation: 'later' }).epochMilliseconds;
}

/** Local times of random days and of the days of offset changes (skipped and repeated times). */
export function checkWallTimes(numRuns: number): number {
  fc.assert(
    fc.property(instant, zone, fc.integer({ min: 0, max: 1440 }), fc.boolean(), fc.integer({ min: -7_200_000, max: 7_200_000 }), (ms, timeZone, minute, onChange, afterBy) => {
      const next = onChange ? change(zoned(ms, timeZone).getTimeZoneTransition('next')) : null;
      const at = next ?? ms;
      const date = zoned(at, timeZone).toPlainDate().toString();
      // near a change, the minute is the local time of the change give or take two hours
      const local = zoned(at, timeZone);
      const m = next === null ? minute : Math.min(1440, Math.max(0, local.hour * 60 + local.minute + Math.round(afterBy / 60_000)));
      for (const after of [-Infinity, at + afterBy]) {
        expect(wallTimeInstant(date, m, timeZone, after)).toBe(wallTimeInstantOfTemporal(date, m, timeZone, after));
      }
    }),
    { numRuns },
  );
  return numRuns;
}

function temporalAccepts(timeZone: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Every zone the platform knows (and in other cases), aliases, fixed offsets and names that are none. Returns the number of names checked. */
export function checkZoneNames(): number {
  const names = [
    ...Intl.supportedValuesOf('timeZone').flatMap((n) => [n, n.toLowerCase(), n.toUpperCase()]),
    ...['UTC', 'utc', 'Etc/UTC', 'GMT', 'Etc/GMT+5', 'Etc/GMT-14', 'Europe/Berlin', 'Asia/Calcutta', 'US/Pacific', 'America/Buenos_Aires', 'EST', 'EST5EDT', 'CST6CDT', 'NZ'],
    ...['+05:30', '+0530', '+05', '-23:59', '-00:00', '+24:00', '+05:30:00', '+5:30', '05:30', '+05:60'],
    ...['', ' ', 'Mars/Base', 'Etc/Unknown', 'Factory', 'PST', 'pst', 'CST', 'AST', 'Europe/London ', 'Europe/Lon.don', 'Europe/', '/London', 'x'.repeat(65)],
  ];
  for (const name of names) expect([name, isValidTimeZone(name)]).toEqual([name, name.length > 0 && name.length <= 64 && temporalAccepts(name)]);
  // Temporal also takes a date-time naming its zone for one; a customer's time zone is an IANA name or an offset
  expect(temporalAccepts('2020-01-01T00:00[Europe/Berlin]')).toBe(true);
  expect(isValidTimeZone('2020-01-01T00:00[Europe/Berlin]')).toBe(false);
  expect(isValidTimeZone('2020-01-01T00:00Z')).toBe(false);
  expect(() => wallClock(0, 'Mars/Base')).toThrow(RangeError);
  expect(() => todayIn('Mars/Base')).toThrow(RangeError);
  return names.length;
}

function instantOfTemporal(text: string): number | null {
  try {
    return Temporal.Instant.from(text).epochMilliseconds;
  } catch {
    return null;
  }
}

/**
 * Instants written YYYY-MM-DDTHH:MM[:SS[.fraction]] with Z or ±HH:MM are read as
 * Temporal reads them, impossible ones to null; the other ISO forms Temporal takes
 * (basic format, a comma, offsets without a colon or with seconds, six-digit years,
 * annotations, a space for the T) are refused, as they always were.
 */
export function checkInstantTexts(numRuns: number): number {
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const year = fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 1900, 2000, 2024, 2100, 9999)).map((n) => String(n).padStart(4, '0'));
  const fields = fc.record({
    y: year,
    mo: two(13),
    d: two(32),
    h: two(25),
    mi: two(60),
    s: fc.option(two(61)),
    frac: fc.option(fc.integer({ min: 1, max: 9 }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)))),
    zone: fc.oneof(fc.constantFrom('Z', 'z'), fc.record({ sign: fc.constantFrom('+', '-'), h: two(24), m: two(60) }).map((o) => `${o.sign}${o.h}:${o.m}`)),
    t: fc.constantFrom('T', 't'),
  });
  const accepted = fields.map((r) => `${r.y}-${r.mo}-${r.d}${r.t}${r.h}:${r.mi}${r.s === null ? '' : `:${r.s}${r.frac === null ? '' : `.${r.frac}`}`}${r.zone}`);
  fc.assert(
    fc.property(accepted, (text) => {
      expect(parseInstant(text)).toBe(instantOfTemporal(text));
    }),
    { numRuns },
  );
  const refused = fc
    .record({ ms: instant, form: fc.integer({ min: 0, max: 7 }) })
    .map(({ ms, form }) => {
      const iso = new Date(ms).toISOString(); // 2025-06-02T09:00:00.000Z
      return [
        iso.replace('.', ','),
        iso.replace(/[-:]/g, ''),
        iso.replace('Z', '+0100'),
        iso.replace('Z', '+01:00:00'),
        iso.replace('Z', '+01'),
        `+00${iso}`,
        `${iso}[UTC]`,
        iso.replace('T', ' '),
      ][form]!;
    });
  fc.assert(
    fc.property(refused, (text) => {
      expect(instantOfTemporal(text)).not.toBeNull();
      expect(parseInstant(text)).toBeNull();
    }),
    { numRuns },
  );
  expect(parseInstant('0000-02-29T00:00Z')).toBe(instantOfTemporal('0000-02-29T00:00Z'));
  expect(parseInstant('0000-01-01T00:00+01:00')).toBe(-62_167_219_200_000 - 3_600_000);
  expect(parseInstant('2016-12-31T23:59:60.5Z')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 500));
  expect(parseInstant('2016-12-31T24:00Z')).toBeNull();
  expect(parseInstant('2025-06-02T09:00+24:00')).toBeNull();
  return numRuns * 2;
}

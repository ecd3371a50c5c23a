/** The instellix dialect's translation rules: units, properties, deprecated references, owners, dates, option quantities. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDate,
  impliedOwner,
  isAddressableIdent,
  isDateOrInstant,
  isIssue,
  mapToProperties,
  noticePeriodDays,
  noticePeriodOf,
  optionRentals,
  propertiesToMap,
  referenceOf,
  termMonths,
  termOf,
} from '../../src/domain/instellix';

describe('units', () => {
  it('counts a YEAR as 12 months and reads a term back in the unit it was written in', () => {
    expect(termMonths({ value: 2, unit: 'YEAR' })).toBe(24);
    expect(termMonths({ value: 18, unit: 'MONTH' })).toBe(18);
    expect(termOf(24, 'YEAR')).toEqual({ value: 2, unit: 'YEAR' });
    expect(termOf(24, 'MONTH')).toEqual({ value: 24, unit: 'MONTH' });
    expect(termOf(24, null)).toEqual({ value: 24, unit: 'MONTH' });
    // a YEAR plan whose term was changed on /v1 to a number of months that is not whole years reads in months
    expect(termOf(18, 'YEAR')).toEqual({ value: 18, unit: 'MONTH' });
  });

  it('holds a notice MONTH to 30 days and reads a notice period back in its unit when it divides evenly', () => {
    expect(noticePeriodDays({ value: 2, unit: 'MONTH' })).toBe(60);
    expect(noticePeriodDays({ value: 45, unit: 'DAY' })).toBe(45);
    expect(noticePeriodDays({ value: 0, unit: 'MONTH' })).toBe(0);
    expect(noticePeriodOf(60, 'MONTH')).toEqual({ value: 2, unit: 'MONTH' });
    expect(noticePeriodOf(60, 'DAY')).toEqual({ value: 60, unit: 'DAY' });
    expect(noticePeriodOf(45, 'MONTH')).toEqual({ value: 45, unit: 'DAY' });
    expect(noticePeriodOf(30, null)).toEqual({ value: 30, unit: 'DAY' });
  });

  it('property: every term and notice period reads back as written', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.constantFrom('MONTH' as const, 'YEAR' as const), (value, unit) => {
        if (unit === 'YEAR' && value > 50) return;
        expect(termOf(termMonths({ value, unit }), unit)).toEqual({ value, unit });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('DAY' as const, 'MONTH' as const), (value, unit) => {
        const back = noticePeriodOf(noticePeriodDays({ value, unit }), unit);
        expect(back).toEqual({ value, unit });
      }),
    );
  });
});

describe('properties', () => {
  it('turns the wire list into a map in its order and back', () => {
    const list = [
      { ident: 'b', value: '2' },
      { ident: 'a', value: '1' },
    ];
    const { map, issues } = propertiesToMap(list);
    expect(issues).toEqual([]);
    expect(Object.keys(map)).toEqual(['b', 'a']);
    expect(mapToProperties(map)).toEqual(list);
    expect(mapToProperties(null)).toEqual([]);
  });

  it('names an ident given twice at its second place', () => {
    const { issues } = propertiesToMap([
      { ident: 'a', value: '1' },
      { ident: 'a', value: '2' },
    ]);
    expect(issues).toEqual([{ path: '/properties/1/ident', message: '"a" is given more than once' }]);
  });

  it('keeps an ident that is a prototype member as plain data', () => {
    const { map, issues } = propertiesToMap([{ ident: 'constructor', value: 'x' }, { ident: '__proto__', value: 'y' }]);
    expect(issues).toEqual([]);
    expect(mapToProperties(map)).toEqual([{ ident: 'constructor', value: 'x' }, { ident: '__proto__', value: 'y' }]);
  });
});

describe('deprecated references', () => {
  const fields = { ident: 'debtorIdent', id: 'debtorId' };
  it('prefers the ident, maps the deprecated id, and requires one of them', () => {
    expect(referenceOf('D-1', null, fields)).toEqual({ ident: 'D-1' });
    expect(referenceOf('D-1', 7, fields)).toEqual({ ident: 'D-1', id: 7 });
    expect(referenceOf(undefined, 7, fields)).toEqual({ id: 7 });
    const missing = referenceOf(null, undefined, fields);
    expect(isIssue(missing)).toBe(true);
    expect(missing).toEqual({ path: '/debtorIdent', message: 'is required (or the deprecated debtorId)' });
  });
});

describe('owners', () => {
  it('takes the given owner, else the token’s only one, else none', () => {
    expect(impliedOwner([4], null)).toBe(4);
    expect(impliedOwner([4, 5], 5)).toBe(5);
    expect(impliedOwner([4, 5], undefined)).toBeNull();
    expect(impliedOwner('*', undefined)).toBeNull();
    expect(impliedOwner('*', 9)).toBe(9);
  });
});

describe('dates', () => {
  it('takes a date as it is and an instant as its date in the owner’s time zone', () => {
    expect(calendarDate('2025-01-01', 'Europe/Berlin')).toBe('2025-01-01');
    expect(calendarDate('2024-12-31T23:30:00Z', 'Europe/Berlin')).toBe('2025-01-01');
    expect(calendarDate('2024-12-31T23:30:00Z', 'America/New_York')).toBe('2024-12-31');
    expect(calendarDate('2025-01-01T00:30:00+02:00', 'UTC')).toBe('2024-12-31');
    expect(calendarDate('2025-02-30', 'UTC')).toBeNull();
    expect(calendarDate('2025-01-01T10:00:00', 'UTC')).toBeNull();
    expect(isDateOrInstant('2025-01-01')).toBe(true);
    expect(isDateOrInstant('2025-01-01T10:00:00.000Z')).toBe(true);
    expect(isDateOrInstant('tomorrow')).toBe(false);
  });
});

describe('option quantities', () => {
  const options = [
    { id: 1, optionIdent: 'line' },
    { id: 2, optionIdent: 'router' },
  ];
  it('rents every option of the plan, with its quantity or 1', () => {
    const { rentals, unknown, repeated } = optionRentals(options, [{ optionIdent: 'line', quantity: 3 }]);
    expect(unknown).toEqual([]);
    expect(repeated).toEqual([]);
    expect(rentals.map((r) => [r.option.optionIdent, r.quantity])).toEqual([
      ['line', 3],
      ['router', 1],
    ]);
  });

  it('names options the plan does not have and options listed twice', () => {
    const result = optionRentals(options, [
      { optionIdent: 'line', quantity: 1 },
      { optionIdent: 'tv', quantity: 1 },
      { optionIdent: 'line', quantity: 2 },
    ]);
    expect(result.unknown).toEqual([{ path: '/optionQuantities/1/optionIdent', message: '"tv" is not an option of the plan' }]);
    expect(result.repeated).toEqual([{ path: '/optionQuantities/2/optionIdent', message: '"line" is listed more than once' }]);
  });
});

describe('idents', () => {
  it('refuses the two the URL path cannot carry', () => {
    expect(isAddressableIdent('.')).toBe(false);
    expect(isAddressableIdent('..')).toBe(false);
    expect(isAddressableIdent('...')).toBe(true);
    expect(isAddressableIdent('a.b')).toBe(true);
  });
});

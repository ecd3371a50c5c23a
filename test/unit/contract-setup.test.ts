/** Maintenance contract setup rules (src/domain/contract-setup.ts): Expired, Archived, markup, custom field values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCHIVED_AFTER_DAYS, customFieldValueProblem, effectiveMarkup, isArchived, isExpired, keptListItems } from '../../src/domain/contract-setup';
import { addDays } from '../../src/domain/dates';

const day = fc.integer({ min: 0, max: 200_000 }).map((n) => addDays('1800-01-01', n));

describe('Expired', () => {
  it('is the flag, or an end date before today', () => {
    expect(isExpired(false, '2025-06-30', '2025-06-30')).toBe(false);
    expect(isExpired(false, '2025-06-30', '2025-07-01')).toBe(true);
    expect(isExpired(true, '2030-01-01', '2025-07-01')).toBe(true);
    expect(isExpired(false, null, '2999-01-01')).toBe(false);
    expect(isExpired(true, null, '2025-01-01')).toBe(true);
  });
});

describe('Archived', () => {
  it('is true once the contract ended more than 90 days ago', () => {
    expect(ARCHIVED_AFTER_DAYS).toBe(90);
    expect(isArchived('2025-01-01', addDays('2025-01-01', 90))).toBe(false);
    expect(isArchived('2025-01-01', addDays('2025-01-01', 91))).toBe(true);
    expect(isArchived(null, '2999-12-31')).toBe(false);
  });

  it('implies Expired, whatever the flag', () => {
    fc.assert(
      fc.property(day, day, fc.boolean(), (end, today, flag) => {
        if (isArchived(end, today)) expect(isExpired(flag, end, today)).toBe(true);
      }),
    );
  });
});

describe('the markup a contract applies', () => {
  it('is its own, else its tier’s default, else 0', () => {
    expect(effectiveMarkup(12_500_000, 10_000_000)).toBe(12_500_000);
    expect(effectiveMarkup(0, 10_000_000)).toBe(0);
    expect(effectiveMarkup(null, 10_000_000)).toBe(10_000_000);
    expect(effectiveMarkup(null, null)).toBe(0);
  });
});

describe('custom field values', () => {
  const field = (type: 'Text' | 'Date' | 'List' | 'Numeric' | 'Hyperlink', listItems: string[] | null = null) => ({ type, listItems });

  it('checks a value against the field’s type', () => {
    expect(customFieldValueProblem(field('Date'), '2025-02-28')).toBeNull();
    expect(customFieldValueProblem(field('Date'), '2025-02-30')).toMatch(/date/);
    expect(customFieldValueProblem(field('Numeric'), '-12.75')).toBeNull();
    expect(customFieldValueProblem(field('Numeric'), '12,75')).toMatch(/number/);
    expect(customFieldValueProblem(field('List', ['Gold', 'Silver']), 'Gold')).toBeNull();
    expect(customFieldValueProblem(field('List', ['Gold', 'Silver']), 'Bronze')).toMatch(/Gold, Silver/);
    expect(customFieldValueProblem(field('List'), 'x')).toMatch(/none/);
    expect(customFieldValueProblem(field('Text'), 'anything at all')).toBeNull();
    expect(customFieldValueProblem(field('Hyperlink'), 'www.example.com')).toBeNull();
    expect(customFieldValueProblem(field('Text'), 'x'.repeat(1001))).toMatch(/1000/);
  });

  it('keeps list items for List fields only, trimmed, without blanks or repeats', () => {
    expect(keptListItems('List', [' Gold ', 'Silver', '', 'Gold'])).toEqual(['Gold', 'Silver']);
    expect(keptListItems('List', null)).toEqual([]);
    expect(keptListItems('Text', ['Gold'])).toBeNull();
  });

  it('accepts every item of a List field', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 10 }), (items) => {
        const kept = keptListItems('List', items)!;
        for (const item of kept) expect(customFieldValueProblem(field('List', kept), item)).toBeNull();
      }),
    );
  });
});

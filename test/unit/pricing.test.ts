import { describe, expect, it } from 'vitest';
import {
  assignmentTargetProblems,
  componentProblems,
  firstOverlap,
  inclusiveUsagePlanProblems,
  percentToStored,
  rentalChargeProblems,
  rentalRateCardProblems,
  storedToPercent,
  uncoveredInventoryAssignments,
} from '../../src/domain/pricing';
import { matchNestedItems } from '../../src/db/nested';
import { TenorError } from '../../src/errors';

describe('rental charge requirements', () => {
  it('needs type and frequency for RENTAL, periods for ADVANCE, nothing for ONEOFF', () => {
    expect(rentalChargeProblems({ rentalRatePriceType: 'RENTAL' }).map((p) => p.path)).toEqual(['/rentalRateType', '/rentalRateFrequency']);
    expect(rentalChargeProblems({ rentalRatePriceType: 'RENTAL', rentalRateType: 'ADVANCE', rentalRateFrequency: 'MONTHLY' })).toEqual([
      { path: '/periodsInAdvance', message: 'is required when rentalRateType is ADVANCE' },
    ]);
    expect(
      rentalChargeProblems({ rentalRatePriceType: 'RENTAL', rentalRateType: 'ADVANCE', rentalRateFrequency: 'MONTHLY', periodsInAdvance: 'STANDARD' }),
    ).toEqual([]);
    expect(rentalChargeProblems({ rentalRatePriceType: 'RENTAL', rentalRateType: 'ARREARS', rentalRateFrequency: 'QUARTERLY' })).toEqual([]);
    expect(rentalChargeProblems({ rentalRatePriceType: 'ONEOFF' })).toEqual([]);
    expect(rentalChargeProblems({ rentalRatePriceType: 'ONEOFF', rentalRateType: 'ADVANCE' }).map((p) => p.path)).toEqual(['/periodsInAdvance']);
  });
});

describe('rental rate card fields by type', () => {
  it('needs owners on SELL and TEMPLATE cards and a supplier account on BUY cards', () => {
    expect(rentalRateCardProblems({ rentalRateCardType: 'SELL', contractOwnerIds: [1] })).toEqual([]);
    expect(rentalRateCardProblems({ rentalRateCardType: 'SELL', contractOwnerIds: [] })).toEqual([{ path: '/contractOwnerIds', message: 'is required for a SELL card' }]);
    expect(rentalRateCardProblems({ rentalRateCardType: 'TEMPLATE' }).map((p) => p.path)).toEqual(['/contractOwnerIds']);
    expect(rentalRateCardProblems({ rentalRateCardType: 'BUY', supplierAccountId: 3 })).toEqual([]);
    expect(rentalRateCardProblems({ rentalRateCardType: 'BUY' }).map((p) => p.path)).toEqual(['/supplierAccountId']);
    expect(rentalRateCardProblems({ rentalRateCardType: 'SELL', contractOwnerIds: [1], supplierAccountId: 3 }).map((p) => p.path)).toEqual(['/supplierAccountId']);
  });

  it('lets only SELL cards be based on a template', () => {
    expect(rentalRateCardProblems({ rentalRateCardType: 'SELL', contractOwnerIds: [1], basedOnTemplateId: 9 })).toEqual([]);
    expect(rentalRateCardProblems({ rentalRateCardType: 'TEMPLATE', contractOwnerIds: [1], basedOnTemplateId: 9 }).map((p) => p.path)).toEqual(['/basedOnTemplateId']);
    expect(rentalRateCardProblems({ rentalRateCardType: 'BUY', supplierAccountId: 1, basedOnTemplateId: 9 }).map((p) => p.path)).toEqual(['/basedOnTemplateId']);
  });
});

describe('inclusive usage plans and components', () => {
  it('needs a supplier account and a frequency with a trigger charge', () => {
    expect(inclusiveUsagePlanProblems({ triggerChargeId: 5, frequency: 'MONTHLY' }).map((p) => p.path)).toEqual(['/supplierAccountId']);
    expect(inclusiveUsagePlanProblems({ triggerChargeId: 5, supplierAccountId: 1, frequency: null }).map((p) => p.path)).toEqual(['/frequency']);
    expect(inclusiveUsagePlanProblems({ triggerChargeId: 5, supplierAccountId: 1, frequency: 'WEEKLY' })).toEqual([]);
    expect(inclusiveUsagePlanProblems({ triggerChargeId: null })).toEqual([]);
  });

  it('needs a quantity for QUANTITY and a value for VALUE components', () => {
    expect(componentProblems({ componentType: 'QUANTITY', valueInPence: 100 })).toEqual([{ path: '/quantity', message: 'is required when componentType is QUANTITY' }]);
    expect(componentProblems({ componentType: 'VALUE', quantity: 100 })).toEqual([{ path: '/valueInPence', message: 'is required when componentType is VALUE' }]);
    expect(componentProblems({ componentType: 'QUANTITY', quantity: 0 })).toEqual([]);
    expect(componentProblems({ componentType: 'VALUE', valueInPence: 0 })).toEqual([]);
  });
});

describe('assignment targets', () => {
  const inv = 'usageProductInventoryId';
  it('wants exactly the id of the level', () => {
    expect(assignmentTargetProblems('CUSTOMER', { customerId: 1 }, inv)).toEqual([]);
    expect(assignmentTargetProblems('SITE', { siteId: 1, customerId: null }, inv)).toEqual([]);
    expect(assignmentTargetProblems('INVENTORY', { usageProductInventoryId: 1 }, inv)).toEqual([]);
    expect(assignmentTargetProblems('SITE', { customerId: 1 }, inv)).toEqual([
      { path: '/customerId', message: 'must not be given for a SITE-level assignment' },
      { path: '/siteId', message: 'is required for a SITE-level assignment' },
    ]);
    expect(assignmentTargetProblems('INVENTORY', { usageProductInventoryId: 1, siteId: 2 }, inv).map((p) => p.path)).toEqual(['/siteId']);
    expect(assignmentTargetProblems('CUSTOMER', {}, 'rentalProductInventoryId').map((p) => p.path)).toEqual(['/customerId']);
  });
});

describe('overlapping dated items', () => {
  const item = (key: string, startDate: string, endDate: string | null = null) => ({ key, startDate, endDate });
  it('finds two items of one key sharing a day, by position', () => {
    const items = [item('a', '2025-01-01', '2025-06-30'), item('b', '2025-01-01'), item('a', '2025-07-01'), item('a', '2025-06-30', '2025-07-15')];
    expect(firstOverlap(items, (i) => i.key)).toEqual([0, 3]);
    expect(firstOverlap(items.slice(0, 3), (i) => i.key)).toBeNull();
  });

  it('treats an open end as running forever and touching ends as overlapping', () => {
    expect(firstOverlap([item('a', '2030-01-01'), item('a', '2025-01-01')], (i) => i.key)).toEqual([0, 1]);
    expect(firstOverlap([item('a', '2025-01-01', '2025-01-31'), item('a', '2025-01-31', '2025-02-28')], (i) => i.key)).toEqual([0, 1]);
    expect(firstOverlap([item('a', '2025-01-01', '2025-01-30'), item('a', '2025-01-31')], (i) => i.key)).toBeNull();
  });

  it('finds an overlap hidden behind a long item', () => {
    const items = [item('a', '2025-01-01', '2025-12-31'), item('a', '2025-02-01', '2025-02-10'), item('a', '2025-03-01', '2025-03-10')];
    expect(firstOverlap(items, (i) => i.key)).toEqual([0, 1]);
  });
});

describe('discount percentages', () => {
  it('are stored in hundredths of a percent, exactly, with at most 2 places', () => {
    expect(percentToStored(12.5)).toBe(1250);
    expect(percentToStored(0.29)).toBe(29);
    expect(percentToStored(100)).toBe(10_000);
    expect(storedToPercent(1250)).toBe(12.5);
    expect(storedToPercent(29)).toBe(0.29);
    expect(() => percentToStored(1.005)).toThrow(RangeError);
  });
});

describe('nested items matched by id', () => {
  it('splits items into new, kept and removed', () => {
    const match = matchNestedItems([1, 2, 3], [{ id: 3, v: 'c' }, { v: 'new' }, { id: 1, v: 'a' }, { id: null, v: 'new2' }], '/usageRates');
    expect(match.inserts.map((i) => i.index)).toEqual([1, 3]);
    expect(match.updates.map((u) => [u.index, u.id])).toEqual([
      [0, 3],
      [2, 1],
    ]);
    expect(match.deletes).toEqual([2]);
  });

  it('rejects ids that are not stored or repeat, naming the item', () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error as TenorError;
      }
      throw new Error('expected an error');
    };
    const unknown = attempt(() => matchNestedItems([1], [{ id: 9 }], '/usageRates'));
    expect(unknown.kind).toBe('validation');
    expect(unknown.errors?.[0]?.path).toBe('/usageRates/0/id');
    const repeated = attempt(() => matchNestedItems([1], [{ id: 1 }, { id: 1 }], '/rentalRates'));
    expect(repeated.errors?.[0]?.path).toBe('/rentalRates/1/id');
    expect(attempt(() => matchNestedItems([], [{ id: 1 }], '/x')).errors?.[0]?.message).toMatch(/not an item/);
  });
});

describe('inventory-level discount assignments need a site or customer one', () => {
  const inventory = (id: number, siteId: number, startDate: string) => ({ id, siteId, startDate });
  const cover = (assignmentLevel: 'CUSTOMER' | 'SITE' | 'INVENTORY', siteId: number | null, startDate: string, endDate: string | null = null) => ({
    assignmentLevel,
    siteId,
    startDate,
    endDate,
  });

  it('is covered by a customer-level one, or a site-level one of its site, effective at its start', () => {
    const items = [inventory(1, 10, '2025-03-01'), inventory(2, 20, '2025-03-01')];
    expect(uncoveredInventoryAssignments(items, [cover('CUSTOMER', null, '2025-01-01')])).toEqual([]);
    expect(uncoveredInventoryAssignments(items, [cover('SITE', 10, '2025-01-01', '2025-12-31')]).map((i) => i.id)).toEqual([2]);
    expect(uncoveredInventoryAssignments(items, [cover('SITE', 10, '2025-03-02'), cover('CUSTOMER', null, '2024-01-01', '2025-02-28')]).map((i) => i.id)).toEqual([1, 2]);
  });

  it('does not count other inventory-level assignments as cover, and counts the start day itself', () => {
    expect(uncoveredInventoryAssignments([inventory(1, 10, '2025-03-01')], [cover('INVENTORY', 10, '2025-01-01')])).toHaveLength(1);
    expect(uncoveredInventoryAssignments([inventory(1, 10, '2025-03-01')], [cover('SITE', 10, '2025-03-01', '2025-03-01')])).toEqual([]);
  });
});

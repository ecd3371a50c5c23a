import { describe, expect, it } from 'vitest';
import { bucketAmountToWire, inclusiveUsageBalanceView } from '../../../src/domain/allowances/balances';
import { newBucket } from '../../../src/domain/allowances/buckets';
import { assigned, component, p, plan } from '../../helpers/rating-fixtures';

/** seconds → quantity units as stored in QUANTITY buckets */
const s = (seconds: number) => seconds * 1_000_000;

describe('inclusiveUsageBalanceView (the balances endpoint, elevate.md §3.6)', () => {
  it('lists each effective assignment most specific first, in wire units', () => {
    const minutes = assigned(1, plan({ id: 11, components: [component({ id: 5, quantity: 600 })] }), 'CUSTOMER', '2025-05-20');
    const money = assigned(
      2,
      plan({ id: 22, components: [component({ id: 6, componentType: 'VALUE', chargingType: 'DURATION', quantity: null, value: p(1000) })] }),
      'INVENTORY',
      '2025-06-01',
    );
    const buckets = [
      { ...newBucket(minutes, minutes.plan.components[0]!, 0), used: s(90) },
      { ...newBucket(money, money.plan.components[0]!, 0), used: p(250.5) },
    ];
    expect(inclusiveUsageBalanceView({ usageProductInventoryId: 9, assignments: [minutes, money], buckets, asOf: '2025-06-10' })).toEqual({
      billRunId: null,
      periodStartDate: '2025-05-20',
      periodEndDate: '2025-06-30',
      usageProductInventoryId: 9,
      inclusiveUsageBalanceAssignments: [
        {
          assignmentId: 2,
          assignmentLevel: 'INVENTORY',
          assignmentStartDate: '2025-06-01',
          assignmentEndDate: null,
          inclusiveUsagePlanId: 22,
          components: [
            { componentId: 6, byValue: true, chargingType: 'DURATION', allowance: 1000, used: 250.5, rolledOver: 0, remaining: 749.5, startDate: '2025-06-01', endDate: '2025-06-30' },
          ],
        },
        {
          assignmentId: 1,
          assignmentLevel: 'CUSTOMER',
          assignmentStartDate: '2025-05-20',
          assignmentEndDate: null,
          inclusiveUsagePlanId: 11,
          components: [
            { componentId: 5, byValue: false, chargingType: 'DURATION', allowance: 600, used: 90, rolledOver: 0, remaining: 510, startDate: '2025-05-20', endDate: '2025-06-19' },
          ],
        },
      ],
    });
  });

  it('is null when no plan is effective; bucket units go out as pence (VALUE) or units (QUANTITY)', () => {
    expect(inclusiveUsageBalanceView({ usageProductInventoryId: 9, assignments: [assigned(1, plan(), 'CUSTOMER', '2025-07-01')], buckets: [], asOf: '2025-06-10' })).toBeNull();
    expect(bucketAmountToWire('VALUE', 123_456)).toBe(12.3456); // micros, 10,000 a penny
    expect(bucketAmountToWire('QUANTITY', 1_000_001)).toBe(1.000001); // millionths of a unit
  });
});

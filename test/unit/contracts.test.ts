import { describe, expect, it } from 'vitest';
import {
  classifyContractEdit,
  createsNewProfileVersion,
  generatedContractName,
  isViolation,
  type ContractEditState,
} from '../../src/domain/contracts';

const base: ContractEditState = {
  contractProfileId: 1,
  startDate: '2025-01-01',
  endDate: '2025-12-31',
  billingStartDate: '2025-01-01',
  previousCustomerContractId: null,
  renewedCustomerContractId: null,
};
const next = (over: Partial<{ startDate: string; endDate: string | null }> = {}) => ({ startDate: base.startDate, endDate: base.endDate, ...over });

describe('profile versioning', () => {
  it('versions on term or ETC changes only', () => {
    expect(createsNewProfileVersion(new Set(['contractTerm']))).toBe(true);
    expect(createsNewProfileVersion(new Set(['name', 'earlyTerminationFixedCharge']))).toBe(true);
    expect(createsNewProfileVersion(new Set(['earlyTerminationPercentageCharge']))).toBe(true);
    expect(createsNewProfileVersion(new Set(['name', 'renewalAlertDays', 'rolloverContractProfileId']))).toBe(false);
  });
});

describe('generated contract names', () => {
  it('joins customer and profile with an en dash and cuts to 100 characters', () => {
    expect(generatedContractName('Northwind', '24 month fibre')).toBe('Northwind – 24 month fibre');
    const long = generatedContractName('C'.repeat(90), 'P'.repeat(20));
    expect([...long]).toHaveLength(100);
    expect(long.startsWith(`${'C'.repeat(90)} – `)).toBe(true);
    expect(generatedContractName('A'.repeat(97), 'Profile')).toBe('A'.repeat(97) + ' –');
    expect(generatedContractName('Solo', null)).toBe('Solo');
  });
});

describe('editing a customer contract', () => {
  it('allows every field before billing starts, except customerId', () => {
    const today = '2024-12-15';
    const state = { ...base, billingStartDate: '2025-01-01' };
    expect(classifyContractEdit(state, next(), new Set(['name', 'siteId', 'contractProfileId', 'notes']), today)).toEqual({ kind: 'edit' });
    expect(classifyContractEdit(state, next({ endDate: '2025-06-30' }), new Set(['endDate']), today)).toEqual({ kind: 'edit' });
    const r = classifyContractEdit(state, next(), new Set(['customerId']), today);
    expect(isViolation(r) && r.field).toBe('customerId');
  });

  it('after billing starts allows only rollover, alert days, notice days and endDate', () => {
    const today = '2025-01-01'; // billing starts today
    expect(classifyContractEdit(base, next(), new Set(['renewalAlertDays', 'noticePeriodDays', 'rolloverContractProfileId']), today)).toEqual({ kind: 'edit' });
    for (const field of ['name', 'siteId', 'contractProfileId', 'startDate', 'billingStartDate', 'notes', 'value']) {
      const r = classifyContractEdit(base, next(), new Set([field]), today);
      expect(isViolation(r) && r.field, field).toBe(field);
      expect(isViolation(r) && r.kind).toBe('business-rule');
    }
  });

  it('treats an earlier endDate after billing as an early termination and a later one as a 422', () => {
    const today = '2025-06-01';
    expect(classifyContractEdit(base, next({ endDate: '2025-06-30' }), new Set(['endDate']), today)).toEqual({ kind: 'terminate', terminationDate: '2025-06-30' });
    const later = classifyContractEdit(base, next({ endDate: '2026-01-31' }), new Set(['endDate']), today);
    expect(isViolation(later) && later.kind).toBe('business-rule');
    const beforeStart = classifyContractEdit(base, next({ endDate: '2024-12-31' }), new Set(['endDate']), today);
    expect(isViolation(beforeStart) && beforeStart.kind).toBe('validation');
    const removed = classifyContractEdit(base, next({ endDate: null }), new Set(['endDate']), today);
    expect(isViolation(removed) && removed.field).toBe('endDate');
  });

  it('keeps a contract without a profile editable after its start, its end date free or open', () => {
    const untermed = { ...base, contractProfileId: null };
    const today = '2025-06-01';
    expect(classifyContractEdit(untermed, next(), new Set(['name', 'notes', 'value', 'startDate']), today)).toEqual({ kind: 'edit' });
    expect(classifyContractEdit(untermed, next({ endDate: '2026-06-30' }), new Set(['endDate']), today)).toEqual({ kind: 'edit' });
    expect(classifyContractEdit(untermed, next({ endDate: '2025-02-28' }), new Set(['endDate']), today)).toEqual({ kind: 'edit' });
    expect(classifyContractEdit(untermed, next({ endDate: null }), new Set(['endDate']), today)).toEqual({ kind: 'edit' });
    const r = classifyContractEdit(untermed, next(), new Set(['customerId']), today);
    expect(isViolation(r) && r.field).toBe('customerId');
  });

  it('refuses changes to renewed contracts and to the start of a renewal', () => {
    const renewed = classifyContractEdit({ ...base, renewedCustomerContractId: 9 }, next(), new Set(['noticePeriodDays']), '2025-03-01');
    expect(isViolation(renewed) && renewed.kind).toBe('business-rule');
    const renewal = { ...base, previousCustomerContractId: 3, billingStartDate: '2026-01-01' };
    const r = classifyContractEdit(renewal, next({ startDate: '2025-02-01' }), new Set(['startDate']), '2025-03-01');
    expect(isViolation(r) && r.field).toBe('startDate');
  });
});

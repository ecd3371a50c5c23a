/**
 * The simPRO field mapping (compat.md): a simPRO contract body onto the contract
 * service's input, and the service's errors back into simPRO's field names and
 * statuses (an invalid body is a 422).
 */
import { describe, expect, it } from 'vitest';
import { businessRule, fieldProblem, invalidField, notFound, TenorError } from '../../src/errors';
import { CONTRACT_FIELDS, contractChanges } from '../../src/routes/simpro/contracts';
import { inSimproTerms } from '../../src/routes/simpro/edge';

describe('a simPRO contract body', () => {
  it('maps every field of the seed’s example onto the service’s input', () => {
    const body = {
      Name: 'string',
      StartDate: '2021-04-22',
      EndDate: '2021-04-22',
      ContractNo: 'string',
      Value: 1.57,
      Notes: 'string',
      Email: 'address@example.com',
      Expired: true,
      PricingTier: 3,
      Markup: 0,
      Rates: { ServiceFee: 4 },
    };
    expect(contractChanges(body)).toEqual({
      name: 'string',
      startDate: '2021-04-22',
      endDate: '2021-04-22',
      contractNumber: 'string',
      value: 1.57,
      notes: 'string',
      email: 'address@example.com',
      expired: true,
      pricingTierId: 3,
      markup: 0,
      serviceFeeId: 4,
    });
  });

  it('gives only the fields present; "" and null clear text, null clears references', () => {
    expect(contractChanges({})).toEqual({});
    expect(contractChanges({ ContractNo: '', Notes: null, Email: '', PricingTier: null, Rates: { ServiceFee: null }, Markup: null })).toEqual({
      contractNumber: null,
      notes: null,
      email: null,
      pricingTierId: null,
      serviceFeeId: null,
      markup: null,
    });
    // Rates without ServiceFee changes nothing; a null StartDate is no start date (the create defaults it)
    expect(contractChanges({ Rates: {}, StartDate: null })).toEqual({});
    expect(contractChanges({ EndDate: null, ContractProfileID: 7 })).toEqual({ endDate: null, contractProfileId: 7 });
  });
});

describe('errors in simPRO’s terms', () => {
  const translate = (error: TenorError) => inSimproTerms(error, CONTRACT_FIELDS) as TenorError;

  it('renames fields in paths and in prose, and makes an invalid body field a 422', () => {
    const e = translate(invalidField('/endDate', 'must not be before startDate', '2020-01-01'));
    expect(e.kind).toBe('business-rule');
    expect(e.errors).toEqual([{ path: '/EndDate', message: 'must not be before StartDate', value: '2020-01-01' }]);
    expect(e.detail).toBe('/EndDate must not be before StartDate');
    expect(translate(invalidField('/serviceFeeId', 'x')).errors?.[0]?.path).toBe('/Rates/ServiceFee');
    expect(translate(businessRule('contractProfileId is fixed', '/contractProfileId')).detail).toBe('ContractProfileID is fixed');
  });

  it('makes a referenced object that is not there a 422 naming the field', () => {
    const e = translate(fieldProblem('not-found', '/pricingTierId', 'pricing tier 9 was not found'));
    expect(e.kind).toBe('business-rule');
    expect(e.errors?.[0]?.path).toBe('/PricingTier');
  });

  it('leaves a missing item a 404, a query problem a 400 and a conflict a 409', () => {
    expect(translate(notFound('Customer contract 5 was not found')).kind).toBe('not-found');
    expect(translate(invalidField('query.orderby', 'cannot order by "x"')).kind).toBe('validation');
    expect(translate(new TenorError('conflict', 'The customer contract was changed by another request')).kind).toBe('conflict');
  });

  it('leaves plain words alone in prose', () => {
    const e = inSimproTerms(fieldProblem('business-rule', '/value', 'must be a value of the list'), { value: 'Value' }) as TenorError;
    expect(e.errors).toEqual([{ path: '/Value', message: 'must be a value of the list' }]);
  });

  it('passes anything that is not a TenorError through', () => {
    const error = new Error('boom');
    expect(inSimproTerms(error, CONTRACT_FIELDS)).toBe(error);
  });
});

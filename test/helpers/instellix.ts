/**
 * The instellix dialect's test world: a catalogue (two rental products, a debtor,
 * a plan with two options and a coupon), bodies shaped as instellix's
 * documentation sends them (seed 003), and a check of a response against the
 * shape /openapi.json documents for it.
 */
import * as f from './factories';
import { type Harness, type Owner, unique } from './harness';
import { type ApiDocument, type JsonSchema, jsonType, typesOf } from './openapi';

export interface Catalogue {
  owner: Owner;
  categoryId: number;
  lineProductId: number;
  routerProductId: number;
  debtorIdent: string;
  debtorId: number;
  planIdent: string;
  planId: number;
  couponCode: string;
  discountPlanId: number;
}

/**
 * A plan of 12 months renewing into itself, 2 MONTHs' notice (60 days), an ETC of
 * 50 + 100 % of the remaining rental, with options `line` and `router`; a debtor;
 * a coupon (a 10 % discount plan); rental prices of 10 a month for the category
 * from 2025 (so an ETC has a remaining rental to charge).
 */
export async function catalogue(h: Harness, owner?: Owner, plan: Record<string, unknown> = {}): Promise<Catalogue> {
  owner ??= await h.newOwner({ timezone: 'Europe/Berlin', currencyCode: 'EUR' });
  const category = await f.rentalProductCategory(owner);
  const line = await f.rentalProduct(owner, category.id);
  const router = await f.rentalProduct(owner, category.id);
  const debtorIdent = unique('D-');
  const debtor = await owner.api.create('/v2/debtors', { debtorIdent, name: unique('Debtor '), email: 'billing@debtor.example', language: 'de' });
  const planIdent = unique('P-');
  const created = await owner.api.create('/v2/plans', {
    planIdent,
    name: unique('Plan '),
    contractTerm: { value: 12, unit: 'MONTH' },
    noticePeriod: { value: 2, unit: 'MONTH' },
    autoRenewal: true,
    earlyTermination: { fixedCharge: 50, percentage: 100 },
    options: [
      { optionIdent: 'line', rentalProductId: line.id, name: 'Fibre line' },
      { optionIdent: 'router', rentalProductId: router.id, name: 'Router' },
    ],
    ...plan,
  });
  const couponCode = unique('SAVE');
  const discountPlan = await f.rentalDiscountPlan(owner, { code: couponCode, availableFrom: '2025-01-01' });
  await f.rentalDiscountPlanRule(owner, discountPlan.id, category.id, { discountPercentage: 10 });
  const card = await f.rentalRateCard(owner, {
    rentalProductCategoryId: category.id,
    rentalRates: [f.rentalRateBody(line.id, { price: 10 }), f.rentalRateBody(router.id, { price: 10 })],
  });
  await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: debtor.debtorId, rentalRateCardId: card.id });
  return {
    owner,
    categoryId: category.id,
    lineProductId: line.id,
    routerProductId: router.id,
    debtorIdent,
    debtorId: debtor.debtorId,
    planIdent,
    planId: created.planId,
    couponCode,
    discountPlanId: discountPlan.id,
  };
}

/** A contract body as instellix's "Create contract" documents it; 12 months from 2025-01-01 by default. */
export function contractBody(c: Catalogue, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contractIdent: unique('C-'),
    debtorIdent: c.debtorIdent,
    planIdent: c.planIdent,
    date: '2024-12-15T10:30:00Z',
    startDate: '2025-01-01',
    optionQuantities: [{ optionIdent: 'line', quantity: 1 }],
    ...overrides,
  };
}

/** Creates a contract (201) and returns it. */
export async function contract(c: Catalogue, overrides: Record<string, unknown> = {}): Promise<any> {
  return c.owner.api.create('/v2/contracts', contractBody(c, overrides));
}

/**
 * Where a value departs from the shape documented for it: a member the schema
 * does not list, a listed member missing, a type or enum value it does not admit
 * (nested objects and array items too). Empty when it conforms.
 */
export function shapeProblems(schema: JsonSchema, value: unknown, at = ''): string[] {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const fits = variants.map((v) => shapeProblems(v, value, at));
    return fits.some((p) => p.length === 0) ? [] : fits.flat();
  }
  const types = typesOf(schema);
  const type = jsonType(value);
  if (types.length && !types.includes(type) && !(type === 'integer' && types.includes('number'))) return [`${at || '/'}: ${type}, documented ${types.join('|')}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at || '/'}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`];
  if (type === 'array' && schema.items) return (value as unknown[]).flatMap((item, i) => shapeProblems(schema.items!, item, `${at}/${i}`));
  if (type !== 'object' || !schema.properties) return [];
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(object)) if (!(key in schema.properties)) problems.push(`${at}/${key}: not documented`);
  for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}/${key}: documented as required, missing`);
  for (const [key, property] of Object.entries(schema.properties)) if (key in object) problems.push(...shapeProblems(property, object[key], `${at}/${key}`));
  return problems;
}

/** The documented 2xx response schema of an operation. */
export function documentedResponse(doc: ApiDocument, method: string, path: string, status = 200): JsonSchema {
  const schema = doc.response(method, path, status);
  if (!schema) throw new Error(`${method} ${path} documents no ${status} JSON response`);
  return schema;
}

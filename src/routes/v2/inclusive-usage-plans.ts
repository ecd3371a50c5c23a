/**
 * Inclusive usage plans: bundles of included usage (500 minutes of UK calls, 1 GB
 * of data) for one usage product, as components, each covering some charge groups
 * (or whole charge group categories) and time bands. Components and bolt-on charges
 * are nested in the plan's JSON and changed by PATCH of the whole plan.
 *
 * A component covers the union of its chargeGroups and chargeGroupCategories (both
 * empty = every charge group) in its timebands (empty = every time band). A
 * QUANTITY component allows `quantity` units (seconds for DURATION, megabytes for
 * DATA, events for EVENT); a VALUE component allows `valueInPence` of charges.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CHARGING_TYPES, COMPONENT_TYPES, PLAN_FREQUENCIES } from '../../domain/allowances/model';
import { componentProblems, inclusiveUsagePlanProblems } from '../../domain/pricing';
import { TIMEBANDS } from '../../domain/timebands';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId, isoDate, name, text } from '../../http/schemas';
import { type InclusiveUsagePlanFields, inclusiveUsagePlanService } from '../../services/inclusive-usage-plans';
import { BoltOnChargeItem, BoltOnChargeOutput, externalId, itemId, nestedArray, nominalCode, pence, quantity } from './pricing-fields';

/** Each value of a sub-list at most once (400 naming the repeat). */
function distinct(key: string) {
  return (items: Array<Record<string, unknown>>, ctx: z.core.$RefinementCtx) => {
    const seen = new Set<unknown>();
    items.forEach((item, index) => {
      if (seen.has(item[key])) addProblems(ctx, [{ path: `/${index}/${key}`, message: `lists ${String(item[key])} twice` }]);
      seen.add(item[key]);
    });
  };
}

const TimebandItem = z.object({ id: itemId(), timeband: z.enum(TIMEBANDS) }).strict().openapi('ComponentTimeband');
const ChargeGroupItem = z.object({ id: itemId(), chargeGroupId: entityId('A charge group of the plan’s owner') }).strict().openapi('ComponentChargeGroup');
const CategoryItem = z
  .object({ id: itemId(), chargeGroupCategoryId: entityId('A charge group category of the plan’s owner') })
  .strict()
  .openapi('ComponentChargeGroupCategory');

const ComponentItem = z
  .object({
    id: itemId(),
    description: text(255, '500 UK minutes').nullish(),
    componentType: z.enum(COMPONENT_TYPES).openapi({ description: 'QUANTITY allows units; VALUE allows an amount of charges' }),
    chargingType: z.enum(CHARGING_TYPES).openapi({ description: 'DURATION (seconds), DATA (megabytes) or EVENT (count)' }),
    quantity: quantity(30000, 'QUANTITY components: the units allowed per period.').nullish(),
    valueInPence: pence(500, 'VALUE components: the charges allowed per period.').nullish(),
    timebands: nestedArray(TimebandItem, 3, 'Time bands covered; empty = all').superRefine(distinct('timeband')),
    chargeGroups: nestedArray(ChargeGroupItem, 500, 'Charge groups covered (with the categories); both empty = all').superRefine(
      distinct('chargeGroupId'),
    ),
    chargeGroupCategories: nestedArray(CategoryItem, 100, 'Charge group categories covered').superRefine(distinct('chargeGroupCategoryId')),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.componentType) addProblems(ctx, componentProblems(c));
  })
  .openapi('InclusiveUsageComponent');

export const InclusiveUsagePlanInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, '500 UK minutes'),
    usageProductId: entityId('The usage product whose usage the plan includes; fixed after creation'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
    boltOn: z.boolean().default(false),
    taxBandId: externalId('Tax band').nullish(),
    nominalCode: nominalCode().nullish(),
    inclusiveUsageComponents: nestedArray(ComponentItem, 100, 'The allowances'),
    boltOnCharges: nestedArray(BoltOnChargeItem, 100, 'Recurring charges of a bolt-on plan (at most one on any day)'),
    rolloverPeriods: z.number().int().min(0).max(120).openapi({ example: 1, description: 'Following periods in which unused allowance stays usable (oldest used first); null = none' }).nullish(),
    triggerChargeId: entityId('A rental product of the owner charged on the first qualifying event of each allowance').nullish(),
    supplierAccountId: externalId('Supplier account of the trigger charge; required with triggerChargeId').nullish(),
    frequency: z.enum(PLAN_FREQUENCIES).default('MONTHLY').openapi({ description: 'The allowance period (MONTHLY periods are anchored on the assignment start)' }),
    minQualifyingQuantity: quantity(1, 'Records below this quantity are rated normally, not drawn from QUANTITY allowances.').nullish(),
    maxPerEventQuantity: quantity(3600, 'At most this much of one record is drawn from a QUANTITY allowance; the rest is rated.').nullish(),
  })
  .strict()
  .superRefine((plan, ctx) => addProblems(ctx, inclusiveUsagePlanProblems(plan))) satisfies z.ZodType<InclusiveUsagePlanFields>;

const ComponentOutput = outputSchema(
  ComponentItem,
  {
    timebands: z.array(outputSchema(TimebandItem, {}, 'ComponentTimebandOut', { audit: false })),
    chargeGroups: z.array(outputSchema(ChargeGroupItem, {}, 'ComponentChargeGroupOut', { audit: false })),
    chargeGroupCategories: z.array(outputSchema(CategoryItem, {}, 'ComponentChargeGroupCategoryOut', { audit: false })),
  },
  'InclusiveUsageComponentOut',
  { audit: false },
);

export const InclusiveUsagePlan = outputSchema(
  InclusiveUsagePlanInput,
  { inclusiveUsageComponents: z.array(ComponentOutput), boltOnCharges: z.array(BoltOnChargeOutput) },
  'InclusiveUsagePlan',
);

export function registerInclusiveUsagePlans(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/inclusive-usage-plans',
    tag: 'Inclusive usage plans',
    singular: 'inclusive usage plan',
    plural: 'inclusive usage plans',
    area: 'pricing',
    input: InclusiveUsagePlanInput,
    output: InclusiveUsagePlan,
    immutable: ['contractOwnerId', 'usageProductId'],
    summary: ['inclusiveUsageComponents', 'boltOnCharges'],
    service: inclusiveUsagePlanService,
    createExample: {
      contractOwnerId: 1,
      name: '500 UK minutes',
      usageProductId: 1,
      availableFrom: '2025-01-01',
      frequency: 'MONTHLY',
      inclusiveUsageComponents: [
        { description: '500 minutes', componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 30000, timebands: [{ timeband: 'PEAK' }], chargeGroups: [{ chargeGroupId: 1 }] },
      ],
    },
    notes: {
      create:
        'QUANTITY components need `quantity`, VALUE components `valueInPence` (400); a trigger charge needs `supplierAccountId` (400). Charge groups and categories must be visible (404) and of the plan’s owner (422).',
      update:
        'The patch applies to the whole plan including `inclusiveUsageComponents` (and each component’s timebands, chargeGroups, chargeGroupCategories) and `boltOnCharges`: items without an id are added, changed items keeping their id are updated, removed ones deleted — in one write.',
      delete: 'Refused (409) while assignments use the plan.',
    },
  });
}

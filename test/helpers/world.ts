/**
 * A "world" for one contract owner: one object of every resource kind, with
 * valid parents, so suites driven by the OpenAPI document can address a real
 * object on any path. Ids are kept by collection path template
 * (`/v1/customers`, `/v1/webhook-subscriptions/{id}/deliveries`); a path
 * parameter names an item of the collection before it. Nested items that are
 * resources of their own (a card's usage rates) are kept under their own
 * collection (`/v2/usage-rates`). Collections the factories do not know (routes
 * added later) are created from their documented example, with id fields —
 * nested ones too — pointed at this world; what cannot be made that way gets a
 * random id, so it still receives the generic checks.
 */
import * as make from './factories';
import type { Harness, Owner } from './harness';
import {
  type ApiDocument,
  collectionOf,
  fillPath,
  idFieldOf,
  isJsonObject,
  type JsonSchema,
  type Operation,
  pathParameters,
  requiredQuery,
  sampleValue,
  typesOf,
  withQuery,
} from './openapi';

/** An id no test creates: paths with no object of their own get it. */
export const ABSENT_ID = 987_654_321;

export interface World {
  owner: Owner;
  /** collection template → this owner's object in it */
  ids: Map<string, number>;
  /** collections with a POST that no object could be made for */
  missing: string[];
}

/** The id a collection's item path gets in this world. */
export function idIn(world: World, collection: string): number {
  return world.ids.get(collection) ?? ABSENT_ID;
}

/** Fills a path template with this world's ids. */
export function pathIn(world: World, path: string, overrides: Record<string, string | number> = {}): string {
  const values: Record<string, string | number> = {};
  for (const p of pathParameters(path)) values[p.name] = idIn(world, p.collection);
  return fillPath(path, { ...values, ...overrides });
}

/** The operation's required query parameters filled from this world: ids of its objects, documented examples for the rest. */
export function queryIn(world: World, op: Operation): Record<string, string> {
  return requiredQuery(op, (p) => {
    const collection = referencedCollection(world, p.name, { type: 'integer' });
    return collection === undefined ? ABSENT_ID : idIn(world, collection);
  });
}

/** The path filled with this world's ids, and its required query parameters. */
export function urlIn(world: World, op: Operation): string {
  return withQuery(pathIn(world, op.path), queryIn(world, op));
}

async function knownObjects(owner: Owner): Promise<Array<[string, number]>> {
  const customer = await make.customer(owner);
  const site = await make.site(owner, customer.id);
  const category = await make.rentalProductCategory(owner);
  const product = await make.rentalProduct(owner, category.id);
  const rpi = await make.rpi(owner, { siteId: site.id, rentalProductId: product.id });
  const usageProduct = await make.usageProduct(owner);
  const upi = await make.upi(owner, { siteId: site.id, usageProductId: usageProduct.id });
  const chargeCategory = await make.chargeGroupCategory(owner);
  const chargeGroup = await make.chargeGroup(owner, chargeCategory.id);
  const profile = await make.contractProfile(owner);
  // starts in the future, so every field of it may still change
  const contract = await make.customerContract(owner, { customerId: customer.id, siteId: site.id, contractProfileId: profile.id, startDate: '2090-01-01' });
  const assignment = await make.contractAssignment(owner, rpi.id, contract.id);
  // a contract whose term covers the documented example dates, so early termination quotes have a row
  const currentRpi = await make.rpi(owner, { siteId: site.id, rentalProductId: product.id });
  const current = await make.customerContract(owner, { customerId: customer.id, siteId: site.id, contractProfileId: profile.id, startDate: '2025-01-01' });
  await make.contractAssignment(owner, currentRpi.id, current.id);
  const subscription = await make.webhookSubscription(owner);
  const client = await make.appClient(owner);

  // pricing: cards with a nested rate, a plan with a component, a discount plan with a rule, each assigned to the customer
  const timeBandPlan = await make.timeBandPlan(owner);
  const usageCard = await make.usageRateCard(owner, {
    usageProductId: usageProduct.id,
    usageRates: [make.usageRateBody(chargeGroup.id)],
    timeBandPlans: [{ timeBandPlanId: timeBandPlan.id, startDate: '2025-01-01' }],
  });
  const rentalCard = await make.rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [make.rentalRateBody(product.id)] });
  const plan = await make.inclusiveUsagePlan(owner, {
    usageProductId: usageProduct.id,
    inclusiveUsageComponents: [
      { componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 600, timebands: [{ timeband: 'PEAK' }], chargeGroups: [{ chargeGroupId: chargeGroup.id }] },
    ],
  });
  const discountPlan = await make.rentalDiscountPlan(owner);
  const rule = await make.rentalDiscountPlanRule(owner, discountPlan.id, category.id);
  const atCustomer = { assignmentLevel: 'CUSTOMER', customerId: customer.id };
  const usageCardAssignment = await make.assignment(owner, 'usageRateCard', { ...atCustomer, usageRateCardId: usageCard.id });
  const rentalCardAssignment = await make.assignment(owner, 'rentalRateCard', { ...atCustomer, rentalRateCardId: rentalCard.id });
  const planAssignment = await make.assignment(owner, 'inclusiveUsagePlan', { ...atCustomer, inclusiveUsagePlanId: plan.id });
  const discountAssignment = await make.assignment(owner, 'rentalDiscountPlan', { ...atCustomer, rentalDiscountPlanId: discountPlan.id });

  const run = await owner.api.post('/v1/jobs/rollover', {});
  if (run.status !== 200) throw new Error(`POST /v1/jobs/rollover → ${run.status}: ${run.text}`);
  return [
    ['/v1/contract-owners', owner.id],
    ['/v1/customers', customer.id],
    ['/v1/sites', site.id],
    ['/v1/rental-product-categories', category.id],
    ['/v1/rental-products', product.id],
    ['/v1/rental-product-inventories', rpi.id],
    ['/v1/usage-products', usageProduct.id],
    ['/v1/usage-product-inventories', upi.id],
    ['/v1/charge-group-categories', chargeCategory.id],
    ['/v1/charge-groups', chargeGroup.id],
    ['/v1/contract-profiles', profile.id],
    ['/v1/customer-contracts', contract.id],
    ['/v1/customer-contract-assignments', assignment.id],
    ['/v1/webhook-subscriptions', subscription.id],
    ['/v1/app-clients', client.id],
    ['/v1/jobs/runs', run.body.id],
    ['/v2/time-band-plans', timeBandPlan.id],
    ['/v2/usage-rate-cards', usageCard.id],
    ['/v2/usage-rates', usageCard.usageRates[0].id],
    ['/v2/rental-rate-cards', rentalCard.id],
    ['/v2/rental-rates', rentalCard.rentalRates[0].id],
    ['/v2/inclusive-usage-plans', plan.id],
    ['/v2/rental-discount-plans', discountPlan.id],
    ['/v2/rental-discount-plan-rules', rule.id],
    [make.ASSIGNMENT_PATHS.usageRateCard, usageCardAssignment.id],
    [make.ASSIGNMENT_PATHS.rentalRateCard, rentalCardAssignment.id],
    [make.ASSIGNMENT_PATHS.inclusiveUsagePlan, planAssignment.id],
    [make.ASSIGNMENT_PATHS.rentalDiscountPlan, discountAssignment.id],
    // simPRO addresses owners as companies, and customers below them
    [SIMPRO_COMPANIES, owner.id],
    [`${SIMPRO_COMPANIES}/{companyID}/customers`, customer.id],
  ];
}

const SIMPRO_COMPANIES = '/api/v1.0/companies';
const SIMPRO = `${SIMPRO_COMPANIES}/{companyID}`;
const SIMPRO_CONTRACT = `${SIMPRO}/customers/{customerID}/contracts/{contractID}`;
/**
 * simPRO collections with no POST of their own whose items are the setup
 * objects they name: a contract's custom field is a setup custom field, a
 * contract's service level pair a linked service level and asset type.
 */
const SIMPRO_ALIASES: ReadonlyArray<[string, string]> = [
  [`${SIMPRO_CONTRACT}/customFields`, `${SIMPRO}/setup/customFields/customerContracts`],
  [`${SIMPRO_CONTRACT}/serviceLevels`, `${SIMPRO}/setup/assets/serviceLevels`],
  [`${SIMPRO_CONTRACT}/serviceLevels/{serviceLevelID}/assetTypes`, `${SIMPRO}/setup/assetTypes`],
];

/**
 * A body for POST on `collection` from its schema's example (or a sample), with
 * id fields pointing into the world, in nested items too: `contractOwnerId` →
 * the owner, `rolloverContractProfileId` → the world's contract profile (the
 * longest collection id field the name ends with), `owners` and
 * `contractOwnerIds` → [the owner], `/usageRates/0/chargeGroupId` → its charge
 * group. URLs point at a closed local port, so nothing leaves the test.
 */
export function bodyIn(world: World, schema: JsonSchema): Record<string, unknown> {
  return filled(world, schema, sampleValue(schema));
}

function filled(world: World, schema: JsonSchema, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = isJsonObject(value) ? { ...value } : {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!(key in out) && !(schema.required ?? []).includes(key)) continue;
    const reference = referencedCollection(world, key, property);
    const current = out[key];
    if (reference !== undefined) out[key] = referenceValue(world, property, reference);
    else if (property.format === 'uri') out[key] = 'http://127.0.0.1:9/tenor';
    else if (Array.isArray(current) && property.items?.properties) out[key] = current.map((item) => filled(world, property.items!, item));
    else if (isJsonObject(current) && property.properties) out[key] = filled(world, property, current);
  }
  return out;
}

/** The world's id for a reference field: the id, or a list of it for a list of ids (`contractOwnerIds`). */
export function referenceValue(world: World, property: JsonSchema, collection: string): number | number[] {
  const id = idIn(world, collection);
  return typesOf(property).includes('array') ? [id] : id;
}

/**
 * The collection a field refers to: `owners` → contract owners; a numeric field
 * named like a collection's id field, or ending in one (`rolloverContractProfileId`
 * → contract profiles; the longest match), or the one collection whose id field
 * ends in the name (`productCategoryId` → rental product categories); a list of
 * integers named like one in the plural (`contractOwnerIds`).
 */
export function referencedCollection(world: World, key: string, property: JsonSchema): string | undefined {
  if (key === 'owners') return '/v1/contract-owners';
  const types = typesOf(property);
  if (types.includes('array')) {
    const items = property.items ?? {};
    return key.endsWith('Ids') && typesOf(items).includes('integer') ? referencedCollection(world, key.slice(0, -1), items) : undefined;
  }
  if (!types.some((t) => t === 'integer' || t === 'number')) return undefined;
  const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
  // simPRO names a reference after the object, PascalCase, or with `ID`: `PricingTier`, `ContractProfileID`
  const simpro = /^[A-Z]/.test(key) ? `${key.charAt(0).toLowerCase()}${key.slice(1).replace(/ID$/, '')}Id` : undefined;
  let best: { field: string; collection: string } | undefined;
  const endingInKey: string[] = [];
  for (const collection of world.ids.keys()) {
    const field = idFieldOf(collection);
    const matches = key === field || key.endsWith(capitalized(field)) || simpro === field;
    if (matches && (!best || field.length > best.field.length)) best = { field, collection };
    if (field.endsWith(capitalized(key))) endingInKey.push(collection);
  }
  return best?.collection ?? (endingInKey.length === 1 ? endingInKey[0] : undefined);
}

/** A reference field inside a JSON value: where it is, and what it names. */
export interface ReferenceAt {
  /** JSON Pointer, e.g. `/usageRates/0/chargeGroupId` */
  pointer: string;
  collection: string;
  property: JsonSchema;
}

/**
 * Every reference field a value holds, following its schema into nested objects
 * and the first item of nested lists (`/inclusiveUsageComponents/0/chargeGroups/0/chargeGroupId`).
 */
export function referencesIn(world: World, schema: JsonSchema, value: unknown, at = ''): ReferenceAt[] {
  if (!isJsonObject(value)) return [];
  const out: ReferenceAt[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const current = value[key];
    if (current === undefined || current === null) continue;
    const pointer = `${at}/${key}`;
    const collection = referencedCollection(world, key, property);
    if (collection !== undefined) out.push({ pointer, collection, property });
    else if (Array.isArray(current) && property.items) out.push(...referencesIn(world, property.items, current[0], `${pointer}/0`));
    else if (isJsonObject(current)) out.push(...referencesIn(world, property, current, pointer));
  }
  return out;
}

/** The id a create answered with: the object's (simPRO's `ID`), or the first result's of a batch. */
function createdId(body: unknown): number | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  if (!isJsonObject(first)) return undefined;
  const id = first.id ?? first.ID;
  return typeof id === 'number' ? id : undefined;
}

/**
 * The item path of a collection addressed by numeric id (`/v1/customers/{id}`;
 * simPRO's `…/contracts/` → `…/contracts/{contractID}`), if it has a GET. Items
 * addressed by an ident (instellix's `{planIdent}`) are not made from examples.
 */
function itemPathOf(doc: ApiDocument, collection: string): string | undefined {
  const base = collection.replace(/\/$/, '');
  return doc.operations.find((op) => op.method === 'GET' && collectionOf(op.path) === base && /\/\{(id|\w*I[dD])\}$/.test(op.path))?.path;
}

/** Builds the world of `owner`: the known kinds by the factories, then any other collection from its example. */
export async function buildWorld(h: Harness, owner: Owner, doc: ApiDocument): Promise<World> {
  const world: World = { owner, ids: new Map(await knownObjects(owner)), missing: [] };
  // a collection is kept under its path without simPRO's trailing slash, as path parameters name it
  const key = (path: string) => path.replace(/\/$/, '');
  let pending = doc.operations.filter((op) => {
    if (op.method !== 'POST' || op.body?.mediaType !== 'application/json' || world.ids.has(key(op.path))) return false;
    const item = itemPathOf(doc, op.path);
    return item !== undefined && doc.responseSchema('GET', item) !== undefined;
  });
  // a later collection may need an earlier one as its parent: a few passes
  for (let pass = 0; pass < 3 && pending.length; pass++) {
    const failed: typeof pending = [];
    for (const op of pending) {
      const res = await owner.api.post(pathIn(world, op.path), bodyIn(world, op.body!.schema));
      const id = res.status === 200 || res.status === 201 ? createdId(res.body) : undefined;
      if (id !== undefined) world.ids.set(key(op.path), id);
      else failed.push(op);
    }
    pending = failed;
  }
  world.missing = pending.map((op) => op.path);
  for (const [alias, of] of SIMPRO_ALIASES) if (world.ids.has(of)) world.ids.set(alias, world.ids.get(of)!);
  return world;
}

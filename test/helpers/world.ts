/**
 * A "world" for one contract owner: one object of every resource kind, with
 * valid parents, so suites driven by the OpenAPI document can address a real
 * object on any path. Ids are kept by collection path template
 * (`/v1/customers`, `/v1/webhook-subscriptions/{id}/deliveries`); a path
 * parameter names an item of the collection before it. Collections the
 * factories do not know (routes added later) are created from their documented
 * example, with id fields pointed at this world; what cannot be made that way
 * gets a random id, so it still receives the generic checks.
 */
import * as make from './factories';
import type { Harness, Owner } from './harness';
import { type ApiDocument, fillPath, idFieldOf, type JsonSchema, pathParameters, sampleValue, typesOf } from './openapi';

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
  const subscription = await make.webhookSubscription(owner);
  const client = await make.appClient(owner);
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
  ];
}

/**
 * A body for POST on `collection` from its schema's example (or a sample), with
 * id fields pointing into the world: `contractOwnerId` → the owner,
 * `rolloverContractProfileId` → the world's contract profile (the longest
 * collection id field the name ends with), `owners` → [the owner]. URLs point
 * at a closed local port, so nothing leaves the test.
 */
export function bodyIn(world: World, schema: JsonSchema, options: { everyReference?: boolean } = {}): Record<string, unknown> {
  const body = sampleValue(schema);
  const out: Record<string, unknown> = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body } : {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const reference = referencedCollection(world, key, property);
    const wanted = key in out || (schema.required ?? []).includes(key) || (options.everyReference && reference !== undefined);
    if (!wanted) continue;
    if (key === 'owners') out[key] = [world.owner.id];
    else if (reference !== undefined) out[key] = world.ids.get(reference)!;
    else if (property.format === 'uri') out[key] = 'http://127.0.0.1:9/tenor';
  }
  return out;
}

/**
 * The collection a body field refers to: `owners` → contract owners; a numeric
 * field named like a collection's id field, or ending in one
 * (`rolloverContractProfileId` → contract profiles), the longest match.
 */
export function referencedCollection(world: World, key: string, property: JsonSchema): string | undefined {
  if (key === 'owners') return '/v1/contract-owners';
  if (!typesOf(property).some((t) => t === 'integer' || t === 'number')) return undefined;
  let best: { field: string; collection: string } | undefined;
  for (const collection of world.ids.keys()) {
    const field = idFieldOf(collection);
    const matches = key === field || key.endsWith(field.charAt(0).toUpperCase() + field.slice(1));
    if (matches && (!best || field.length > best.field.length)) best = { field, collection };
  }
  return best?.collection;
}

/** Builds the world of `owner`: the known kinds by the factories, then any other collection from its example. */
export async function buildWorld(h: Harness, owner: Owner, doc: ApiDocument): Promise<World> {
  const world: World = { owner, ids: new Map(await knownObjects(owner)), missing: [] };
  let pending = doc.operations.filter((op) => op.method === 'POST' && op.body?.mediaType === 'application/json' && doc.responseSchema('GET', `${op.path}/{id}`) && !world.ids.has(op.path));
  // a later collection may need an earlier one as its parent: a few passes
  for (let pass = 0; pass < 3 && pending.length; pass++) {
    const failed: typeof pending = [];
    for (const op of pending) {
      const res = await owner.api.post(pathIn(world, op.path), bodyIn(world, op.body!.schema));
      if (res.status === 201 && typeof res.body?.id === 'number') world.ids.set(op.path, res.body.id);
      else failed.push(op);
    }
    pending = failed;
  }
  world.missing = pending.map((op) => op.path);
  return world;
}

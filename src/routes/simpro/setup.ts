/**
 * simPRO setup lists a maintenance contract refers to (compat.md §simPRO, Setup):
 * contract custom fields, pricing tiers, service fees (read-only in simPRO;
 * Tenor adds POST, PATCH and DELETE), service levels, asset types and the
 * service levels linked to each asset type. Each is a translation onto its
 * service; list shapes are simPRO's short ones, items the full objects.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodObject } from 'zod';
import { CUSTOM_FIELD_TYPES } from '../../domain/contract-setup';
import { microsToMajor } from '../../domain/money';
import type { AppEnv, Ctx } from '../../http/middleware';
import type { PageResult } from '../../http/query';
import type { ListQuery } from '../../list-query';
import { entityId, money, name, text } from '../../http/schemas';
import {
  type AssetTypeLinkRow,
  type AssetTypeRow,
  assetTypeService,
  createAssetTypeLink,
  findAssetTypeLink,
  listAssetTypeLinks,
  removeAssetTypeLink,
  serviceLevelsById,
  updateAssetTypeLink,
} from '../../services/asset-types';
import { type ContractCustomFieldRow, contractCustomFieldService } from '../../services/contract-custom-fields';
import { PRICE_BASES, type PricingTierRow, pricingTierService, TIER_TYPES } from '../../services/pricing-tiers';
import { type ServiceFeeRow, serviceFeeService } from '../../services/service-fees';
import { type ServiceLevelRow, serviceLevelService } from '../../services/service-levels';
import { API, type CompanyScope, CompanyParams, companyOf, type FieldNames, idParam, ownedBy, pathId, registerSimproResource, TAGS, within } from './edge';
import type { SimproFilter } from './query';

const SETUP = `${API}/setup`;
const order = () => z.number().int().min(0).max(1_000_000).openapi({ example: 0 });
/** simPRO fields Tenor does not model: absent or null, anything else a 422 naming the field */
const unmodelled = (what: string) =>
  z
    .null({ error: `${what} is not modelled by Tenor: it must be null` })
    .optional()
    .openapi({ description: `Only null: ${what} is not modelled` });

interface Owned {
  id: number;
  version: number;
  contractOwnerId: number;
}

/** What a setup resource needs of its service (a tableService). */
interface SetupService<Row, In> {
  list(ctx: Ctx, query: ListQuery): Promise<PageResult<Row>>;
  find(ctx: Ctx, id: number): Promise<Row | null>;
  create(ctx: Ctx, input: In): Promise<Row>;
  update(ctx: Ctx, row: Row, input: In, changed: ReadonlySet<string>): Promise<unknown>;
  remove(ctx: Ctx, row: Row): Promise<void>;
}

interface SetupResource<Row extends Owned, In> {
  /** collection path without the trailing slash */
  path: string;
  idName: string;
  singular: string;
  plural: string;
  name: string;
  pluralName: string;
  service: SetupService<Row, In>;
  detail: { schema: ZodObject; columns: readonly string[] };
  list: { defaultColumns: readonly string[]; filters: Record<string, SimproFilter>; schema: ZodObject };
  fieldNames: FieldNames;
  render(row: Row): Record<string, unknown>;
  create: { body: ZodObject; example: Record<string, unknown>; description?: string; input(body: Record<string, unknown>, ownerId: number): In };
  update: { body: ZodObject; example: Record<string, unknown>; description?: string; input(body: Record<string, unknown>): Partial<In> };
  removeDescription?: string;
}

/** The service input fields a body gives, by simPRO field → input field. */
function given(body: Record<string, unknown>, fields: Record<string, string>, convert: Record<string, (v: unknown) => unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [simpro, field] of Object.entries(fields)) {
    if (Object.hasOwn(body, simpro)) out[field] = convert[simpro] ? convert[simpro]!(body[simpro]) : body[simpro];
  }
  return out;
}

function registerSetup<Row extends Owned, In extends object>(app: OpenAPIHono<AppEnv>, r: SetupResource<Row, In>): void {
  const itemParams = CompanyParams.extend({ [r.idName]: idParam(r.idName, `A ${r.singular} of the company`) });
  registerSimproResource<CompanyScope, Row>(app, {
    tag: TAGS.setup,
    area: 'contracts',
    singular: r.singular,
    plural: r.plural,
    name: r.name,
    pluralName: r.pluralName,
    collection: `${r.path}/`,
    collectionParams: CompanyParams,
    item: `${r.path}/{${r.idName}}`,
    itemParams,
    scope: companyOf,
    fieldNames: r.fieldNames,
    detail: r.detail,
    render: async (_ctx, _scope, rows) => rows.map(r.render),
    version: (row) => row.version,
    list: {
      spec: { columns: r.detail.columns, defaultColumns: r.list.defaultColumns, filters: r.list.filters },
      schema: z.array(r.list.schema),
      page: (ctx, scope, query) => r.service.list(ctx, within(query, { contractOwnerId: scope.owner.id })),
    },
    async find(c, ctx, scope) {
      const row = await r.service.find(ctx, pathId(c, r.idName));
      return row && row.contractOwnerId === scope.owner.id ? row : null;
    },
    notFound: (c) => `${r.singular.charAt(0).toUpperCase()}${r.singular.slice(1)} ${c.req.param(r.idName)} was not found`,
    create: {
      body: r.create.body,
      example: r.create.example,
      description: r.create.description,
      run: (ctx, scope, body) => r.service.create(ctx, r.create.input(body, scope.owner.id)),
      location: (scope, row) => `/api/v1.0/companies/${scope.companyParam}${r.path.slice(API.length)}/${row.id}`,
    },
    update: {
      body: r.update.body,
      example: r.update.example,
      description: r.update.description,
      async run(ctx, _scope, row, body) {
        const input = r.update.input(body);
        const changed = new Set(Object.keys(input));
        if (changed.size > 0) await r.service.update(ctx, row, input as In, changed);
      },
    },
    remove: { description: r.removeDescription, run: (ctx, _scope, row) => r.service.remove(ctx, row) },
  });
}

const id = () => z.number().int().openapi({ example: 1 });
const listOf = (shape: Record<string, z.ZodType>, componentName: string) => z.object(shape).partial().openapi(componentName);

// ─── contract custom fields ──────────────────────────────────────────────────

const customFieldShape = {
  ID: id(),
  Name: z.string().openapi({ example: 'Site access code' }),
  Type: z.enum(CUSTOM_FIELD_TYPES),
  ListItems: z.array(z.string()).nullable().openapi({ description: 'The choices of a List field; null for other types' }),
  IsMandatory: z.boolean(),
  Order: z.number().int(),
  Archived: z.boolean(),
  Locked: z.boolean(),
};
const customFieldWrite = {
  Name: name(100, 'Site access code'),
  Type: z.enum(CUSTOM_FIELD_TYPES),
  ListItems: z.array(text(100, 'Yes')).max(100).nullable().optional().openapi({ description: 'The choices of a List field (ignored for other types)' }),
  IsMandatory: z.boolean().optional(),
  Order: order().optional(),
  Archived: z.boolean().optional(),
  Locked: z.boolean().optional(),
};
const CUSTOM_FIELD_INPUT = { Name: 'name', Type: 'type', ListItems: 'listItems', IsMandatory: 'isMandatory', Order: 'displayOrder', Archived: 'archived', Locked: 'locked' };

// ─── pricing tiers ───────────────────────────────────────────────────────────

const scaledStep = z
  .object({
    ScaledPrice: money(0, 6, 0).openapi({ description: 'Price from which the markup applies' }),
    Markup: money(100, 6, -100).openapi({ description: 'Markup percentage' }),
  })
  .strict();
const pricingTierShape = {
  ID: id(),
  Name: z.string().openapi({ example: 'Tier 1 (Service name)' }),
  PriceBased: z.enum(PRICE_BASES),
  DefaultMarkup: z.number().openapi({ example: 10 }),
  TierType: z.enum(TIER_TYPES),
  ScaledTierPricing: z.array(z.object({ ScaledPrice: z.number(), Markup: z.number() })),
  DisplayOrder: z.number().int(),
  Archived: z.boolean(),
  DateModified: z.string().openapi({ format: 'date-time', description: 'When it last changed' }),
};
const pricingTierWrite = {
  Name: name(100, 'Tier 1 (Service name)'),
  PriceBased: z.enum(PRICE_BASES).optional().openapi({ description: 'Default Buy' }),
  DefaultMarkup: money(10, 6, -100).optional().openapi({ description: 'Percent; default 0' }),
  TierType: z.enum(TIER_TYPES).optional().openapi({ description: 'Default Quantity' }),
  ScaledTierPricing: z.array(scaledStep).max(100).nullable().optional(),
  DisplayOrder: order().optional(),
  Archived: z.boolean().optional(),
};
const scaledSteps = (v: unknown) =>
  (v as Array<{ ScaledPrice: number; Markup: number }> | null)?.map((s) => ({ scaledPrice: s.ScaledPrice, markup: s.Markup })) ?? null;
const PRICING_TIER_INPUT = {
  Name: 'name',
  PriceBased: 'priceBased',
  DefaultMarkup: 'defaultMarkup',
  TierType: 'tierType',
  ScaledTierPricing: 'scaledTierPricing',
  DisplayOrder: 'displayOrder',
  Archived: 'archived',
};

// ─── service fees ────────────────────────────────────────────────────────────

const serviceFeeShape = {
  ID: id(),
  Name: z.string().openapi({ example: 'Call-out fee' }),
  SalesTaxCode: z.null().openapi({ description: 'Always null: Tenor has no tax model' }),
  LaborTime: z.number().nullable().openapi({ description: 'Hours', example: 1 }),
  Price: z.number().openapi({ example: 85 }),
  DisplayOrder: z.number().int(),
  Archived: z.boolean(),
};
const serviceFeeWrite = {
  Name: name(100, 'Call-out fee'),
  Price: money(85).optional().openapi({ description: 'Default 0' }),
  LaborTime: money(1, 6, 0).optional().openapi({ description: 'Hours; default 0' }),
  DisplayOrder: order().optional(),
  Archived: z.boolean().optional(),
};
const SERVICE_FEE_INPUT = { Name: 'name', Price: 'price', LaborTime: 'laborTime', DisplayOrder: 'displayOrder', Archived: 'archived' };

// ─── service levels ──────────────────────────────────────────────────────────

const period = (example: number) => z.number().int().min(0).max(1000).openapi({ example });
const serviceLevelShape = {
  ID: id(),
  Name: z.string().openapi({ example: 'Annually Service' }),
  Years: z.number().int(),
  Months: z.number().int(),
  Days: z.number().int(),
  Archived: z.boolean(),
};
const SERVICE_LEVEL_INPUT = { Name: 'name', Years: 'years', Months: 'months', Days: 'days', Archived: 'archived' };

// ─── asset types ─────────────────────────────────────────────────────────────

const assetTypeShape = {
  ID: id(),
  Name: z.string().openapi({ example: 'Fire Extinguisher' }),
  Reference: z.object({ Section: z.string().openapi({ example: '11' }), Standard: z.string().openapi({ example: 'AS1851.2012' }) }),
  RegType: z.null().openapi({ description: 'Not modelled: always null' }),
  JobCostCenter: z.null().openapi({ description: 'Not modelled: always null' }),
  QuoteCostCenter: z.null().openapi({ description: 'Not modelled: always null' }),
  DefaultTechnician: z.null().openapi({ description: 'Not modelled: always null' }),
  Description: z.string(),
  Archived: z.boolean(),
};
const assetTypeWrite = {
  Name: name(100, 'Fire Extinguisher'),
  Reference: z
    .object({ Section: text(100, '11').nullable().optional(), Standard: text(100, 'AS1851.2012').nullable().optional() })
    .strict()
    .optional(),
  RegType: unmodelled('RegType'),
  JobCostCenter: unmodelled('JobCostCenter (cost centres)'),
  QuoteCostCenter: unmodelled('QuoteCostCenter (cost centres)'),
  DefaultTechnician: unmodelled('DefaultTechnician (staff)'),
  Description: text(4000, 'Portable extinguishers').nullable().optional(),
  Archived: z.boolean().optional(),
};
function assetTypeInput(body: Record<string, unknown>): Record<string, unknown> {
  const out = given(body, { Name: 'name', Description: 'description', Archived: 'archived' });
  const reference = body.Reference as Record<string, string | null> | undefined;
  if (reference && Object.hasOwn(reference, 'Section')) out.referenceSection = reference.Section;
  if (reference && Object.hasOwn(reference, 'Standard')) out.referenceStandard = reference.Standard;
  return out;
}

// ─── the service levels of an asset type ─────────────────────────────────────

const ASSET_TYPE = `${SETUP}/assetTypes/{assetTypeID}`;
const AssetTypeParams = CompanyParams.extend({ assetTypeID: idParam('assetTypeID', 'An asset type of the company') });
const LinkParams = AssetTypeParams.extend({
  assetTypeServiceLevelID: idParam('assetTypeServiceLevelID', 'The ID of the linked service level (a link is addressed by its service level)'),
});
interface AssetTypeScope extends CompanyScope {
  assetType: AssetTypeRow;
}
interface Link {
  row: AssetTypeLinkRow;
  serviceLevel: ServiceLevelRow;
}
const linkShape = {
  ID: id().openapi({ description: 'The linked service level’s ID, which addresses the link' }),
  ServiceLevel: z.object({ ID: id(), Name: z.string().openapi({ example: 'Annually Service' }) }),
  Prebuild: z.null().openapi({ description: 'Prebuilds (catalogue kits) are not modelled: always null' }),
  DisplayOrder: z.number().int(),
  IsDefault: z.boolean().openapi({ description: 'At most one link of an asset type is its default: setting one clears the others' }),
};
const LINK_COLUMNS = ['ID', 'ServiceLevel', 'Prebuild', 'DisplayOrder', 'IsDefault'];

async function withLevels(ctx: Parameters<typeof serviceLevelsById>[0], rows: AssetTypeLinkRow[]): Promise<Link[]> {
  const levels = await serviceLevelsById(ctx, [...new Set(rows.map((r) => r.serviceLevelId))]);
  return rows.map((row) => ({ row, serviceLevel: levels.get(row.serviceLevelId)! }));
}

export function registerSetupResources(app: OpenAPIHono<AppEnv>) {
  registerSetup<ContractCustomFieldRow, Parameters<typeof contractCustomFieldService.create>[1]>(app, {
    path: `${SETUP}/customFields/customerContracts`,
    idName: 'customFieldID',
    singular: 'customer contract custom field (setup)',
    plural: 'customer contract custom fields (setup)',
    name: 'ContractCustomFieldSetup',
    pluralName: 'ContractCustomFieldsSetup',
    service: contractCustomFieldService,
    detail: { schema: z.object(customFieldShape).openapi('SimproContractCustomFieldSetup'), columns: Object.keys(customFieldShape) },
    list: {
      defaultColumns: ['ID', 'Name', 'Type', 'Order', 'Locked'],
      filters: {
        ID: { field: 'id', type: 'id' },
        Name: { field: 'name', type: 'string' },
        Type: { field: 'type', type: 'string' },
        IsMandatory: { field: 'isMandatory', type: 'boolean' },
        Order: { field: 'displayOrder', type: 'number' },
        Archived: { field: 'archived', type: 'boolean' },
        Locked: { field: 'locked', type: 'boolean' },
      },
      schema: listOf(customFieldShape, 'SimproContractCustomFieldSetupListItem'),
    },
    fieldNames: { name: 'Name', type: 'Type', listItems: 'ListItems', isMandatory: 'IsMandatory', displayOrder: 'Order', archived: 'Archived', locked: 'Locked' },
    render: (f) => ({
      ID: f.id,
      Name: f.name,
      Type: f.type,
      ListItems: f.listItems,
      IsMandatory: f.isMandatory,
      Order: f.displayOrder,
      Archived: f.archived,
      Locked: f.locked,
    }),
    create: {
      body: z.object(customFieldWrite).strict(),
      example: { Name: 'Site access code', Type: 'Text', IsMandatory: false, Order: 0 },
      description: 'Name and Type are required. ListItems are kept for a List field only.',
      input: (body, ownerId) => ({ contractOwnerId: ownerId, ...given(body, CUSTOM_FIELD_INPUT) }) as never,
    },
    update: {
      body: z.object(customFieldWrite).partial().strict(),
      example: { Order: 2, IsMandatory: true },
      input: (body) => given(body, CUSTOM_FIELD_INPUT),
    },
    removeDescription: 'Removes the field and every contract’s value of it.',
  });

  registerSetup<PricingTierRow, Parameters<typeof pricingTierService.create>[1]>(app, {
    path: `${SETUP}/materials/pricingTiers`,
    idName: 'pricingTierID',
    singular: 'pricing tier',
    plural: 'pricing tiers',
    name: 'PricingTier',
    pluralName: 'PricingTiers',
    service: pricingTierService,
    detail: { schema: z.object(pricingTierShape).openapi('SimproPricingTier'), columns: Object.keys(pricingTierShape) },
    list: {
      defaultColumns: ['ID', 'Name', 'DisplayOrder'],
      filters: {
        ID: { field: 'id', type: 'id' },
        Name: { field: 'name', type: 'string' },
        PriceBased: { field: 'priceBased', type: 'string' },
        DefaultMarkup: { field: 'defaultMarkup', type: 'number' },
        TierType: { field: 'tierType', type: 'string' },
        DisplayOrder: { field: 'displayOrder', type: 'number' },
        Archived: { field: 'archived', type: 'boolean' },
      },
      schema: listOf(pricingTierShape, 'SimproPricingTierListItem'),
    },
    fieldNames: {
      name: 'Name',
      priceBased: 'PriceBased',
      defaultMarkup: 'DefaultMarkup',
      tierType: 'TierType',
      scaledTierPricing: 'ScaledTierPricing',
      displayOrder: 'DisplayOrder',
      archived: 'Archived',
    },
    render: (t) => ({
      ID: t.id,
      Name: t.name,
      PriceBased: t.priceBased ?? 'Buy',
      DefaultMarkup: microsToMajor(t.defaultMarkup),
      TierType: t.tierType ?? 'Quantity',
      ScaledTierPricing: (t.scaledTierSteps ?? []).map((s) => ({ ScaledPrice: microsToMajor(s.scaledPrice), Markup: microsToMajor(s.markup) })),
      DisplayOrder: t.displayOrder,
      Archived: t.archived,
      DateModified: t.updatedDate,
    }),
    create: {
      body: z.object(pricingTierWrite).strict(),
      example: { Name: 'Tier 1 (Service name)', PriceBased: 'Buy', DefaultMarkup: 10, TierType: 'Quantity', ScaledTierPricing: [{ ScaledPrice: 0, Markup: 100 }] },
      description: 'Name is required. simPRO’s makeDefault and updateCustomers parameters are not supported (Tenor has no default tier).',
      input: (body, ownerId) => ({ contractOwnerId: ownerId, ...given(body, PRICING_TIER_INPUT, { ScaledTierPricing: scaledSteps }) }) as never,
    },
    update: {
      body: z.object(pricingTierWrite).partial().strict(),
      example: { DefaultMarkup: 12.5 },
      input: (body) => given(body, PRICING_TIER_INPUT, { ScaledTierPricing: scaledSteps }),
    },
    removeDescription: 'Refused (409) while a contract names the tier.',
  });

  registerSetup<ServiceFeeRow, Parameters<typeof serviceFeeService.create>[1]>(app, {
    path: `${SETUP}/labor/serviceFees`,
    idName: 'serviceFeeID',
    singular: 'service fee',
    plural: 'service fees',
    name: 'ServiceFee',
    pluralName: 'ServiceFees',
    service: serviceFeeService,
    detail: { schema: z.object(serviceFeeShape).openapi('SimproServiceFee'), columns: Object.keys(serviceFeeShape) },
    list: {
      defaultColumns: ['ID', 'Name', 'DisplayOrder'],
      filters: {
        ID: { field: 'id', type: 'id' },
        Name: { field: 'name', type: 'string' },
        Price: { field: 'price', type: 'number' },
        LaborTime: { field: 'laborTime', type: 'number' },
        DisplayOrder: { field: 'displayOrder', type: 'number' },
        Archived: { field: 'archived', type: 'boolean' },
      },
      schema: listOf(serviceFeeShape, 'SimproServiceFeeListItem'),
    },
    fieldNames: { name: 'Name', price: 'Price', laborTime: 'LaborTime', displayOrder: 'DisplayOrder', archived: 'Archived' },
    render: (f) => ({
      ID: f.id,
      Name: f.name,
      SalesTaxCode: null,
      LaborTime: microsToMajor(f.laborTime),
      Price: microsToMajor(f.price),
      DisplayOrder: f.displayOrder,
      Archived: f.archived,
    }),
    create: {
      body: z.object(serviceFeeWrite).strict(),
      example: { Name: 'Call-out fee', Price: 85, LaborTime: 1 },
      description: 'A Tenor extension: simPRO’s service fees are read-only through its API. Name is required.',
      input: (body, ownerId) => ({ contractOwnerId: ownerId, ...given(body, SERVICE_FEE_INPUT) }) as never,
    },
    update: {
      body: z.object(serviceFeeWrite).partial().strict(),
      example: { Price: 95 },
      description: 'A Tenor extension (read-only in simPRO).',
      input: (body) => given(body, SERVICE_FEE_INPUT),
    },
    removeDescription: 'A Tenor extension (read-only in simPRO). Refused (409) while a contract names the fee.',
  });

  registerSetup<ServiceLevelRow, Parameters<typeof serviceLevelService.create>[1]>(app, {
    path: `${SETUP}/assets/serviceLevels`,
    idName: 'serviceLevelID',
    singular: 'service level',
    plural: 'service levels',
    name: 'ServiceLevel',
    pluralName: 'ServiceLevels',
    service: serviceLevelService,
    detail: { schema: z.object(serviceLevelShape).openapi('SimproServiceLevel'), columns: Object.keys(serviceLevelShape) },
    list: {
      defaultColumns: ['ID', 'Name'],
      filters: {
        ID: { field: 'id', type: 'id' },
        Name: { field: 'name', type: 'string' },
        Years: { field: 'years', type: 'number' },
        Months: { field: 'months', type: 'number' },
        Days: { field: 'days', type: 'number' },
        Archived: { field: 'archived', type: 'boolean' },
      },
      schema: listOf(serviceLevelShape, 'SimproServiceLevelListItem'),
    },
    fieldNames: { name: 'Name', years: 'Years', months: 'Months', days: 'Days', archived: 'Archived' },
    render: (s) => ({ ID: s.id, Name: s.name, Years: s.years, Months: s.months, Days: s.days, Archived: s.archived }),
    create: {
      body: z.object({ Name: name(100, 'Annually Service'), Years: period(1), Months: period(0), Days: period(0), Archived: z.boolean().optional() }).strict(),
      example: { Name: 'Annually Service', Years: 1, Months: 0, Days: 0 },
      description: 'Name, Years, Months and Days are required.',
      input: (body, ownerId) => ({ contractOwnerId: ownerId, ...given(body, SERVICE_LEVEL_INPUT) }) as never,
    },
    update: {
      body: z
        .object({ Name: name(100, 'Annually Service'), Years: period(1), Months: period(0), Days: period(0), Archived: z.boolean() })
        .partial()
        .strict(),
      example: { Months: 6 },
      input: (body) => given(body, SERVICE_LEVEL_INPUT),
    },
    removeDescription: 'Refused (409) while an asset type offers it or a contract prices it.',
  });

  registerSetup<AssetTypeRow, Parameters<typeof assetTypeService.create>[1]>(app, {
    path: `${SETUP}/assetTypes`,
    idName: 'assetTypeID',
    singular: 'asset type',
    plural: 'asset types',
    name: 'AssetType',
    pluralName: 'AssetTypes',
    service: assetTypeService,
    detail: { schema: z.object(assetTypeShape).openapi('SimproAssetType'), columns: Object.keys(assetTypeShape) },
    list: {
      defaultColumns: ['ID', 'Name'],
      filters: {
        ID: { field: 'id', type: 'id' },
        Name: { field: 'name', type: 'string' },
        'Reference.Section': { field: 'referenceSection', type: 'string' },
        'Reference.Standard': { field: 'referenceStandard', type: 'string' },
        Description: { field: 'description', type: 'string' },
        Archived: { field: 'archived', type: 'boolean' },
      },
      schema: listOf(assetTypeShape, 'SimproAssetTypeListItem'),
    },
    fieldNames: { name: 'Name', referenceSection: 'Reference/Section', referenceStandard: 'Reference/Standard', description: 'Description', archived: 'Archived' },
    render: (a) => ({
      ID: a.id,
      Name: a.name,
      Reference: { Section: a.referenceSection ?? '', Standard: a.referenceStandard ?? '' },
      RegType: null,
      JobCostCenter: null,
      QuoteCostCenter: null,
      DefaultTechnician: null,
      Description: a.description ?? '',
      Archived: a.archived,
    }),
    create: {
      body: z.object(assetTypeWrite).strict(),
      example: { Name: 'Fire Extinguisher', Reference: { Section: '11', Standard: 'AS1851.2012' }, Description: 'Portable extinguishers' },
      description: 'Name is required. RegType, cost centres and the default technician are not modelled: null or absent (anything else is a 422 naming it).',
      input: (body, ownerId) => ({ contractOwnerId: ownerId, ...assetTypeInput(body) }) as never,
    },
    update: {
      body: z.object(assetTypeWrite).partial().strict(),
      example: { Description: 'Portable and wheeled extinguishers' },
      input: (body) => assetTypeInput(body) as never,
    },
    removeDescription: 'Refused (409) while it offers service levels or a contract prices it.',
  });

  registerSimproResource<AssetTypeScope, Link>(app, {
    tag: TAGS.setup,
    area: 'contracts',
    singular: 'asset type service level',
    plural: 'asset type service levels',
    name: 'AssetTypeServiceLevel',
    pluralName: 'AssetTypeServiceLevels',
    collection: `${ASSET_TYPE}/serviceLevels/`,
    collectionParams: AssetTypeParams,
    item: `${ASSET_TYPE}/serviceLevels/{assetTypeServiceLevelID}`,
    itemParams: LinkParams,
    async scope(c, ctx) {
      const company = await companyOf(c, ctx);
      const id = pathId(c, 'assetTypeID');
      return { ...company, assetType: ownedBy(await assetTypeService.find(ctx, id), company.owner.id, `Asset type ${id}`) };
    },
    fieldNames: { serviceLevelId: 'ServiceLevel', displayOrder: 'DisplayOrder', isDefault: 'IsDefault' },
    detail: { schema: z.object(linkShape).openapi('SimproAssetTypeServiceLevel'), columns: LINK_COLUMNS },
    render: async (_ctx, _scope, links) =>
      links.map(({ row, serviceLevel }) => ({
        ID: row.serviceLevelId,
        ServiceLevel: { ID: serviceLevel.id, Name: serviceLevel.name },
        Prebuild: null,
        DisplayOrder: row.displayOrder,
        IsDefault: row.isDefault,
      })),
    version: (link) => link.row.version,
    list: {
      spec: {
        columns: LINK_COLUMNS,
        defaultColumns: ['ServiceLevel', 'DisplayOrder', 'IsDefault'],
        filters: {
          ID: { field: 'serviceLevelId', type: 'id' },
          'ServiceLevel.ID': { field: 'serviceLevelId', type: 'id' },
          'ServiceLevel.Name': { field: 'serviceLevelName', type: 'string' },
          DisplayOrder: { field: 'displayOrder', type: 'number' },
          IsDefault: { field: 'isDefault', type: 'boolean' },
        },
        defaultSort: [{ field: 'displayOrder', descending: false }],
      },
      schema: z.array(listOf(linkShape, 'SimproAssetTypeServiceLevelListItem')),
      async page(ctx, scope, query) {
        const page = await listAssetTypeLinks(ctx, within(query, { contractOwnerId: scope.owner.id, assetTypeId: scope.assetType.id }));
        return { ...page, rows: await withLevels(ctx, page.rows) };
      },
    },
    async find(c, ctx, scope) {
      const row = await findAssetTypeLink(ctx, scope.assetType.id, pathId(c, 'assetTypeServiceLevelID'));
      return row ? (await withLevels(ctx, [row]))[0]! : null;
    },
    notFound: (c) => `Service level ${c.req.param('assetTypeServiceLevelID')} is not linked to asset type ${c.req.param('assetTypeID')}`,
    create: {
      body: z
        .object({
          ServiceLevel: entityId('ID of a service level'),
          Prebuild: unmodelled('Prebuild (catalogue kits)'),
          DisplayOrder: order().optional(),
          IsDefault: z.boolean().optional(),
        })
        .strict(),
      example: { ServiceLevel: 1, DisplayOrder: 0, IsDefault: true },
      description: 'Links a service level of the company to the asset type (409 if it already is). Every contract of the company then lists the pair under its service levels.',
      async run(ctx, scope, body) {
        const row = await createAssetTypeLink(ctx, scope.assetType, {
          serviceLevelId: body.ServiceLevel as number,
          ...given(body, { DisplayOrder: 'displayOrder', IsDefault: 'isDefault' }),
        });
        return (await withLevels(ctx, [row]))[0]!;
      },
      location: (scope, link) => `/api/v1.0/companies/${scope.companyParam}/setup/assetTypes/${scope.assetType.id}/serviceLevels/${link.row.serviceLevelId}`,
    },
    update: {
      body: z
        .object({ Prebuild: unmodelled('Prebuild (catalogue kits)'), DisplayOrder: order().optional(), IsDefault: z.boolean().optional() })
        .strict(),
      example: { DisplayOrder: 1 },
      run: (ctx, _scope, link, body) => updateAssetTypeLink(ctx, link.row, given(body, { DisplayOrder: 'displayOrder', IsDefault: 'isDefault' })),
    },
    remove: {
      description: 'Unlinks the service level; refused (409) while a contract prices the pair.',
      run: (ctx, _scope, link) => removeAssetTypeLink(ctx, link.row),
    },
  });
}

/**
 * simPRO customer contracts (seed 002): `…/customers/{customerID}/contracts/`
 * (list, POST), `…/contracts/{contractID}` (GET, PATCH, DELETE) and the
 * company-wide search `/customerContracts/`. A translation onto
 * services/customer-contracts.ts (every rule) and services/contract-search.ts
 * (lists with their setup): simPRO's field names in, simPRO's shapes out.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { CUSTOM_FIELD_TYPES, effectiveMarkup, isArchived, isExpired } from '../../domain/contract-setup';
import { microsToMajor } from '../../domain/money';
import { notFound } from '../../errors';
import type { AppContext, AppEnv, Ctx } from '../../http/middleware';
import { email, entityId, isoDate, money, name, text } from '../../http/schemas';
import { contractFieldValues } from '../../services/contract-custom-fields';
import { contractSearchQuery, contractSetup, searchContracts } from '../../services/contract-search';
import { contractServiceLevels } from '../../services/contract-service-levels';
import { contractInput, type CustomerContractInput, type CustomerContractRow, customerContractService } from '../../services/customer-contracts';
import { ownerTodayOf } from '../../services/owner-scope';
import {
  API,
  type CompanyScope,
  CompanyParams,
  companyOf,
  CustomerParams,
  type CustomerScope,
  customerOf,
  type FieldNames,
  idParam,
  pathId,
  registerSimproResource,
  TAGS,
  within,
} from './edge';
import type { SimproFilter, SimproListSpec } from './query';

export const CONTRACTS = `${API}/customers/{customerID}/contracts`;
/** a contract's path; its sub-resources hang below it (`${CONTRACT}/customFields/`) */
export const CONTRACT = `${CONTRACTS}/{contractID}`;
export const ContractParams = CustomerParams.extend({ contractID: idParam('contractID', 'A contract of the customer') });

export interface ContractScope extends CustomerScope {
  contract: CustomerContractRow;
}

/** The company, customer and contract of the path: 404 unless the contract is that customer's. */
export async function contractOf(c: AppContext, ctx: Ctx): Promise<ContractScope> {
  const scope = await customerOf(c, ctx);
  const id = pathId(c, 'contractID');
  const contract = await customerContractService.find(ctx, id);
  if (!contract || contract.customerId !== scope.customer.id || contract.contractOwnerId !== scope.owner.id) {
    throw notFound(`Customer contract ${id} was not found`);
  }
  return { ...scope, contract };
}

/** The href of a contract, with the companyID as the request gave it. */
export function contractHref(scope: CompanyScope, row: CustomerContractRow): string {
  return `/api/v1.0/companies/${scope.companyParam}/customers/${row.customerId}/contracts/${row.id}`;
}

/** The service's field names in simPRO's terms, for errors. */
export const CONTRACT_FIELDS: FieldNames = {
  name: 'Name',
  startDate: 'StartDate',
  endDate: 'EndDate',
  contractNumber: 'ContractNo',
  value: 'Value',
  notes: 'Notes',
  email: 'Email',
  expired: 'Expired',
  pricingTierId: 'PricingTier',
  markup: 'Markup',
  serviceFeeId: 'Rates/ServiceFee',
  contractProfileId: 'ContractProfileID',
};

// ─── shapes ──────────────────────────────────────────────────────────────────

const IdName = (example: string) => z.object({ ID: z.number().int().openapi({ example: 1 }), Name: z.string().openapi({ example }) });

export const SimproCustomField = z
  .object({
    ID: z.number().int().openapi({ example: 1 }),
    Name: z.string().openapi({ example: 'Site access code' }),
    Type: z.enum(CUSTOM_FIELD_TYPES),
    ListItems: z.array(z.string()).nullable().openapi({ description: 'The choices of a List field; null for other types' }),
    IsMandatory: z.boolean(),
  })
  .openapi('SimproCustomFieldRef');

export const SimproContractCustomField = z
  .object({ CustomField: SimproCustomField, Value: z.string().nullable().openapi({ description: 'null: not set', example: 'A-113' }) })
  .openapi('SimproContractCustomField');

const EmbeddedServiceLevel = z.object({
  ServiceLevel: z.object({
    ID: z.number().int().openapi({ example: 1 }),
    Name: z.string().openapi({ example: 'Annually Service' }),
    Prebuild: z.null().openapi({ description: 'Prebuilds (catalogue kits) are not modelled: always null' }),
    Time: z.number().openapi({ description: 'The contract’s estimated time in hours (0 until set)', example: 1.5 }),
    ChargeRate: z.number().openapi({ description: 'The contract’s charge rate (0 until set)', example: 120 }),
  }),
  AssetType: IdName('Fire Extinguisher'),
});

const CONTRACT_COLUMNS = [
  'ID',
  'Name',
  'StartDate',
  'EndDate',
  'ContractNo',
  'Value',
  'Notes',
  'Email',
  'Archived',
  'Expired',
  'PricingTier',
  'Markup',
  'Rates',
  'CustomFields',
  'ServiceLevels',
] as const;
const LIST_COLUMNS = ['ID', 'Name', 'StartDate', 'EndDate', 'ContractNo', 'Expired'] as const;

const contractShape = {
  ID: z.number().int().openapi({ example: 1 }),
  Name: z.string().openapi({ example: 'Annual maintenance' }),
  StartDate: isoDate('2021-04-22').nullable(),
  EndDate: isoDate('2022-04-21').nullable().openapi({ description: 'null: open-ended' }),
  ContractNo: z.string().openapi({ description: 'empty when not set', example: 'C-1001' }),
  Value: z.number().openapi({ description: '0 when not set', example: 1.57 }),
  Notes: z.string().openapi({ description: 'empty when not set' }),
  Email: z.string().openapi({ description: 'empty when not set', example: 'address@example.com' }),
  Archived: z.boolean().openapi({ description: `read-only: the contract ended more than 90 days ago` }),
  Expired: z.boolean().openapi({ description: 'set on the contract, or its end date has passed' }),
  PricingTier: z
    .object({ ID: z.number().int(), Name: z.string(), DefaultMarkup: z.number() })
    .nullable()
    .openapi({ description: 'null: none', example: { ID: 3, Name: 'Tier 1 (Service name)', DefaultMarkup: 10 } }),
  Markup: z.number().openapi({ description: 'The contract’s markup, else its pricing tier’s default, else 0', example: 10 }),
  Rates: z.object({ ServiceFee: IdName('Call-out fee').nullable() }),
  CustomFields: z.array(SimproContractCustomField).openapi({ description: 'read-only here: set through …/customFields/{customFieldID}' }),
  ServiceLevels: z.array(EmbeddedServiceLevel).openapi({ description: 'read-only here: set through …/serviceLevels/{serviceLevelID}/assetTypes/{assetTypeID}' }),
};

export const SimproCustomerContract = z.object(contractShape).openapi('SimproCustomerContract');
const SimproCustomerContractListItem = z
  .object(contractShape)
  .partial()
  .openapi('SimproCustomerContractListItem', { description: `The default columns ${LIST_COLUMNS.join(', ')}; \`columns\` may ask for any other` });
const SimproContractSearchItem = z
  .object({
    ...contractShape,
    Customer: z.object({
      ID: z.number().int(),
      CompanyName: z.string().openapi({ example: 'John Smith Pty Ltd' }),
      GivenName: z.string().openapi({ description: 'empty: Tenor’s customers have one name' }),
      FamilyName: z.string().openapi({ description: 'empty: Tenor’s customers have one name' }),
    }),
    _href: z.string().openapi({ example: '/api/v1.0/companies/0/customers/5/contracts/7' }),
  })
  .partial()
  .openapi('SimproContractSearchItem');

const simproEmail = () =>
  z
    .string()
    .max(254)
    .refine((v) => v === '' || email().safeParse(v).success, { message: 'must be an email address (or empty)' })
    .openapi({ format: 'email', example: 'address@example.com' });

const writeShape = {
  Name: name(100, 'Annual maintenance').optional().openapi({ description: 'Default: the customer’s name' }),
  EndDate: isoDate('2022-04-21').nullable().optional().openapi({ description: 'null or absent: open-ended (with ContractProfileID, absent: from the profile’s term)' }),
  ContractNo: text(50, 'C-1001').nullable().optional(),
  Value: money(1.57).nullable().optional(),
  Notes: text(4000, 'Quarterly service').nullable().optional(),
  Email: simproEmail().nullable().optional(),
  Expired: z.boolean().optional().openapi({ description: 'Marks the contract expired (it also reads expired once its end date has passed)' }),
  PricingTier: entityId('ID of a pricing tier').nullable().optional(),
  Markup: money(10, 6, -100).nullable().optional().openapi({ description: 'Percent; null: the pricing tier’s default' }),
  Rates: z
    .object({ ServiceFee: entityId('ID of a service fee').nullable().optional() })
    .strict()
    .optional(),
  ContractProfileID: entityId('Tenor extension: a contract profile, whose term, rollover and ETC then apply; without one the contract has no term')
    .nullable()
    .optional(),
};

const CreateContract = z
  .object({ ...writeShape, StartDate: isoDate('2021-04-22').nullable().optional().openapi({ description: 'Default (or null): the owner’s today' }) })
  .strict();
const UpdateContract = z.object({ ...writeShape, StartDate: isoDate('2021-04-22').optional() }).strict();

/** The service's input fields a simPRO body gives ("" clears a text field). */
export function contractChanges(body: Record<string, unknown>): Partial<CustomerContractInput> {
  const out: Partial<CustomerContractInput> = {};
  const given = (key: string) => Object.hasOwn(body, key);
  const textOrNull = (v: unknown) => (v === '' || v === undefined ? null : (v as string | null));
  if (given('Name')) out.name = body.Name as string;
  if (given('StartDate') && body.StartDate !== null) out.startDate = body.StartDate as string;
  if (given('EndDate')) out.endDate = body.EndDate as string | null;
  if (given('ContractNo')) out.contractNumber = textOrNull(body.ContractNo);
  if (given('Value')) out.value = body.Value as number | null;
  if (given('Notes')) out.notes = textOrNull(body.Notes);
  if (given('Email')) out.email = textOrNull(body.Email);
  if (given('Expired')) out.expired = body.Expired as boolean;
  if (given('PricingTier')) out.pricingTierId = body.PricingTier as number | null;
  if (given('Markup')) out.markup = body.Markup as number | null;
  const rates = body.Rates as Record<string, unknown> | undefined;
  if (rates && Object.hasOwn(rates, 'ServiceFee')) out.serviceFeeId = rates.ServiceFee as number | null;
  if (given('ContractProfileID')) out.contractProfileId = body.ContractProfileID as number | null;
  return out;
}

/** Renders contracts in simPRO's shape, loading only what the columns need. */
export async function renderContracts(ctx: Ctx, scope: CompanyScope, rows: CustomerContractRow[], columns: ReadonlySet<string>) {
  const ownerId = scope.owner.id;
  const ids = rows.map((r) => r.id);
  const has = (column: string) => columns.has(column);
  const [today, setup, fields, levels] = await Promise.all([
    has('Expired') || has('Archived') ? ownerTodayOf(ctx, ownerId) : Promise.resolve(''),
    contractSetup(ctx, rows, { tiers: has('PricingTier') || has('Markup'), fees: has('Rates'), customers: has('Customer') }),
    has('CustomFields') ? contractFieldValues(ctx, ownerId, ids) : Promise.resolve(null),
    has('ServiceLevels') ? contractServiceLevels(ctx, ownerId, ids) : Promise.resolve(null),
  ]);
  return rows.map((r) => {
    const tier = r.pricingTierId === null ? undefined : setup.tiers.get(r.pricingTierId);
    const fee = r.serviceFeeId === null ? undefined : setup.fees.get(r.serviceFeeId);
    const out: Record<string, unknown> = {
      ID: r.id,
      Name: r.name,
      StartDate: r.startDate,
      EndDate: r.endDate,
      ContractNo: r.contractNumber ?? '',
      Value: r.value === null ? 0 : microsToMajor(r.value),
      Notes: r.notes ?? '',
      Email: r.email ?? '',
    };
    if (today) {
      out.Archived = isArchived(r.endDate, today);
      out.Expired = isExpired(r.expired, r.endDate, today);
    }
    if (has('PricingTier')) out.PricingTier = tier ? { ID: tier.id, Name: tier.name, DefaultMarkup: microsToMajor(tier.defaultMarkup) } : null;
    if (has('Markup')) out.Markup = microsToMajor(effectiveMarkup(r.markup, tier?.defaultMarkup ?? null));
    if (has('Rates')) out.Rates = { ServiceFee: fee ? { ID: fee.id, Name: fee.name } : null };
    if (fields) {
      out.CustomFields = (fields.get(r.id) ?? []).map(({ field, value }) => ({
        CustomField: { ID: field.id, Name: field.name, Type: field.type, ListItems: field.listItems, IsMandatory: field.isMandatory },
        Value: value,
      }));
    }
    if (levels) {
      out.ServiceLevels = (levels.get(r.id) ?? []).map((l) => ({
        ServiceLevel: {
          ID: l.serviceLevel.id,
          Name: l.serviceLevel.name,
          Prebuild: null,
          Time: microsToMajor(l.price?.estimatedTime ?? 0),
          ChargeRate: microsToMajor(l.price?.chargeRate ?? 0),
        },
        AssetType: { ID: l.assetType.id, Name: l.assetType.name },
      }));
    }
    if (has('Customer')) {
      const customer = setup.customers.get(r.customerId);
      out.Customer = { ID: r.customerId, CompanyName: customer?.customerName ?? '', GivenName: '', FamilyName: '' };
    }
    return out;
  });
}

// ─── the list grammar's columns ──────────────────────────────────────────────

const CONTRACT_FILTERS: Record<string, SimproFilter> = {
  ID: { field: 'id', type: 'id' },
  Name: { field: 'name', type: 'string' },
  StartDate: { field: 'startDate', type: 'date' },
  EndDate: { field: 'endDate', type: 'date' },
  ContractNo: { field: 'contractNumber', type: 'string' },
  Value: { field: 'value', type: 'number' },
  Notes: { field: 'notes', type: 'string' },
  Email: { field: 'email', type: 'string' },
  Archived: { field: 'archived', type: 'boolean', sortable: false },
  Expired: { field: 'expired', type: 'boolean', sortable: false },
  'PricingTier.ID': { field: 'pricingTierId', type: 'id' },
  'PricingTier.Name': { field: 'pricingTierName', type: 'string' },
  'PricingTier.DefaultMarkup': { field: 'pricingTierDefaultMarkup', type: 'number' },
  Markup: { field: 'markup', type: 'number' },
  'Rates.ServiceFee.ID': { field: 'serviceFeeId', type: 'id' },
  'Rates.ServiceFee.Name': { field: 'serviceFeeName', type: 'string' },
};

export const CONTRACT_LIST: SimproListSpec = { columns: CONTRACT_COLUMNS, defaultColumns: LIST_COLUMNS, filters: CONTRACT_FILTERS };

const SEARCH_LIST: SimproListSpec = {
  columns: [...CONTRACT_COLUMNS, 'Customer'],
  defaultColumns: [...LIST_COLUMNS, 'Customer'],
  filters: {
    ...CONTRACT_FILTERS,
    'Customer.ID': { field: 'customerId', type: 'id' },
    'Customer.CompanyName': { field: 'customerName', type: 'string' },
    'Customer.GivenName': { field: 'customerGivenName', type: 'string', sortable: false },
    'Customer.FamilyName': { field: 'customerFamilyName', type: 'string', sortable: false },
  },
};

// every filter of the grammar names a field of the search spec
for (const f of Object.values(SEARCH_LIST.filters)) {
  if (!contractSearchQuery.filters[f.field]) throw new Error(`simPRO contract filter ${f.field} is not in the search spec`);
}

export function registerContracts(app: OpenAPIHono<AppEnv>) {
  registerSimproResource<CustomerScope, CustomerContractRow>(app, {
    tag: TAGS.contracts,
    area: 'contracts',
    singular: 'customer contract',
    plural: 'customer contracts',
    name: 'CustomerContract',
    pluralName: 'CustomerContracts',
    collection: `${CONTRACTS}/`,
    collectionParams: CustomerParams,
    item: CONTRACT,
    itemParams: ContractParams,
    scope: customerOf,
    fieldNames: CONTRACT_FIELDS,
    detail: { schema: SimproCustomerContract, columns: CONTRACT_COLUMNS },
    render: renderContracts,
    version: (row) => row.version,
    list: {
      spec: CONTRACT_LIST,
      schema: z.array(SimproCustomerContractListItem),
      description: 'Every contract of the customer, renewed versions included (each reads as expired once ended).',
      page: (ctx, scope, query) => searchContracts(ctx, within(query, { contractOwnerId: scope.owner.id, customerId: scope.customer.id })),
    },
    async find(c, ctx, scope) {
      const row = await customerContractService.find(ctx, pathId(c, 'contractID'));
      return row && row.customerId === scope.customer.id && row.contractOwnerId === scope.owner.id ? row : null;
    },
    notFound: (c) => `Customer contract ${c.req.param('contractID')} was not found`,
    create: {
      body: CreateContract,
      example: {
        Name: 'Annual maintenance',
        StartDate: '2021-04-22',
        EndDate: '2022-04-21',
        ContractNo: 'C-1001',
        Value: 1.57,
        Notes: 'Quarterly service of the extinguishers',
        Email: 'address@example.com',
        Expired: false,
        PricingTier: 1,
        Markup: 10,
        Rates: { ServiceFee: 1 },
      },
      description:
        'The contract has no profile (no term, no rollover, no early termination charge) unless ContractProfileID (a Tenor extension) names one. StartDate defaults to the owner’s today; EndDate may be null (open-ended). PricingTier and Rates.ServiceFee take ids of the company’s setup (a missing one is a 422 naming the field).',
      async run(ctx, scope, body) {
        const changes = contractChanges(body);
        const startDate = changes.startDate ?? (await ownerTodayOf(ctx, scope.owner.id));
        return customerContractService.create(ctx, { ...changes, customerId: scope.customer.id, startDate, contractProfileId: changes.contractProfileId ?? null });
      },
      location: (scope, row) => contractHref(scope, row),
    },
    update: {
      body: UpdateContract,
      example: { Notes: 'Quarterly service; keys at reception', Markup: 12.5 },
      description:
        'The rules of /v1 apply (services/customer-contracts.ts): a contract without a profile may change every field; one with a profile, once billing has started, only its end date (moving it earlier ends the contract early). A field given with its current value is no change. Expired may be set or cleared (a contract whose end date has passed reads expired either way). CustomFields and ServiceLevels change through their sub-resources.',
      async run(ctx, _scope, row, body) {
        const current = contractInput(row);
        const changes = contractChanges(body);
        const changed = new Set(
          (Object.keys(changes) as Array<keyof CustomerContractInput>).filter((k) => JSON.stringify(changes[k] ?? null) !== JSON.stringify(current[k] ?? null)),
        );
        if (changed.size > 0) await customerContractService.update(ctx, row, { ...current, ...changes }, changed);
      },
    },
    remove: {
      description: 'As on /v1: refused (409) while assignments reference the contract or once it has been renewed. Its custom field values and service level prices go with it.',
      run: (ctx, _scope, row) => customerContractService.remove(ctx, row),
    },
  });

  registerSimproResource<CompanyScope, CustomerContractRow>(app, {
    tag: TAGS.contracts,
    area: 'contracts',
    singular: 'customer contract (company-wide search)',
    plural: 'customer contracts of the company',
    name: 'ContractSearchItem',
    pluralName: 'CustomerContractSearch',
    collection: `${API}/customerContracts/`,
    collectionParams: CompanyParams,
    scope: companyOf,
    fieldNames: CONTRACT_FIELDS,
    detail: { schema: SimproContractSearchItem, columns: SEARCH_LIST.columns },
    async render(ctx, scope, rows, columns) {
      const out = await renderContracts(ctx, scope, rows, columns);
      return out.map((o, i) => ({ ...o, _href: contractHref(scope, rows[i]!) }));
    },
    list: {
      spec: SEARCH_LIST,
      schema: z.array(SimproContractSearchItem),
      description:
        'Every contract of the company, with its customer (CompanyName is the customer’s name) and `_href`, the contract’s path (always included). Read-only.',
      page: (ctx, scope, query) => searchContracts(ctx, within(query, { contractOwnerId: scope.owner.id })),
    },
  });
}

/**
 * simPRO `…/contracts/{contractID}/serviceLevels/` (every asset type and service
 * level pair the company has linked, GET list) and
 * `…/serviceLevels/{serviceLevelID}/assetTypes/{assetTypeID}` (the contract's
 * price for servicing that asset type at that level: GET, PATCH). Over
 * services/contract-service-levels.ts. Prebuilds are not modelled: `Prebuild`
 * reads null, and a non-null one is a 422 naming it.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { microsToMajor } from '../../domain/money';
import type { AppEnv } from '../../http/middleware';
import { money } from '../../http/schemas';
import { type ContractServiceLevel, contractServiceLevel, listContractServiceLevels, setContractServiceLevelPrice } from '../../services/contract-service-levels';
import { idParam, pathId, registerSimproResource, TAGS } from './edge';
import { CONTRACT, ContractParams, type ContractScope, contractOf } from './contracts';
import type { SimproListSpec } from './query';

const IdName = (example: string) => z.object({ ID: z.number().int().openapi({ example: 1 }), Name: z.string().openapi({ example }) });

const SimproContractServiceLevel = z
  .object({ ServiceLevel: IdName('Annually Service'), AssetType: IdName('Fire Extinguisher') })
  .openapi('SimproContractServiceLevel');

const SimproServiceLevelAssetType = z
  .object({
    AssetType: IdName('Fire Extinguisher'),
    Prebuild: z.null().openapi({ description: 'Prebuilds (catalogue kits) are not modelled: always null' }),
    ChargeRate: z.number().openapi({ description: 'The contract’s charge rate (0 until set)', example: 120 }),
    EstimatedTime: z.number().openapi({ description: 'Hours (0 until set)', example: 1.5 }),
  })
  .openapi('SimproContractServiceLevelAssetType');

const LIST: SimproListSpec = {
  columns: ['ServiceLevel', 'AssetType'],
  defaultColumns: ['ServiceLevel', 'AssetType'],
  filters: {
    'ServiceLevel.ID': { field: 'serviceLevelId', type: 'id' },
    'ServiceLevel.Name': { field: 'serviceLevelName', type: 'string' },
    'AssetType.ID': { field: 'assetTypeId', type: 'id' },
    'AssetType.Name': { field: 'assetTypeName', type: 'string' },
  },
};

const PairParams = ContractParams.extend({
  serviceLevelID: idParam('serviceLevelID', 'A service level of the company (setup)'),
  assetTypeID: idParam('assetTypeID', 'An asset type the service level is linked to (setup)'),
});

export function registerContractServiceLevels(app: OpenAPIHono<AppEnv>) {
  const common = {
    tag: TAGS.contracts,
    area: 'contracts' as const,
    scope: contractOf,
  };
  registerSimproResource<ContractScope, ContractServiceLevel>(app, {
    ...common,
    singular: 'customer contract service level',
    plural: 'customer contract service levels',
    name: 'ContractServiceLevel',
    pluralName: 'ContractServiceLevels',
    collection: `${CONTRACT}/serviceLevels/`,
    collectionParams: ContractParams,
    fieldNames: {},
    detail: { schema: SimproContractServiceLevel, columns: LIST.columns },
    render: async (_ctx, _scope, rows) =>
      rows.map((l) => ({ ServiceLevel: { ID: l.serviceLevel.id, Name: l.serviceLevel.name }, AssetType: { ID: l.assetType.id, Name: l.assetType.name } })),
    list: {
      spec: LIST,
      schema: z.array(SimproContractServiceLevel),
      description: 'Every pair of an asset type and a service level linked under the company’s setup (/setup/assetTypes/{assetTypeID}/serviceLevels/), archived ones left out.',
      page: (ctx, scope, query) => listContractServiceLevels(ctx, scope.contract, query),
    },
  });

  registerSimproResource<ContractScope, ContractServiceLevel>(app, {
    ...common,
    singular: 'customer contract service level asset type',
    plural: 'customer contract service level asset types',
    name: 'ContractServiceLevelAssetType',
    pluralName: 'ContractServiceLevelAssetTypes',
    item: `${CONTRACT}/serviceLevels/{serviceLevelID}/assetTypes/{assetTypeID}`,
    itemParams: PairParams,
    fieldNames: { chargeRate: 'ChargeRate', estimatedTime: 'EstimatedTime' },
    detail: { schema: SimproServiceLevelAssetType, columns: ['AssetType', 'Prebuild', 'ChargeRate', 'EstimatedTime'] },
    render: async (_ctx, _scope, rows) =>
      rows.map((l) => ({
        AssetType: { ID: l.assetType.id, Name: l.assetType.name },
        Prebuild: null,
        ChargeRate: microsToMajor(l.price?.chargeRate ?? 0),
        EstimatedTime: microsToMajor(l.price?.estimatedTime ?? 0),
      })),
    find: (c, ctx, scope) => contractServiceLevel(ctx, scope.contract, pathId(c, 'serviceLevelID'), pathId(c, 'assetTypeID')),
    notFound: (c) => `Service level ${c.req.param('serviceLevelID')} is not linked to asset type ${c.req.param('assetTypeID')}`,
    update: {
      body: z
        .object({
          Prebuild: z
            .null({ error: 'Prebuilds are not modelled by Tenor: Prebuild must be null' })
            .optional()
            .openapi({ description: 'Only null: prebuilds (catalogue kits) are not modelled' }),
          ChargeRate: money(120).nullable().optional().openapi({ description: 'The contract’s charge rate; null: not set' }),
          EstimatedTime: money(1.5, 6, 0).nullable().optional().openapi({ description: 'Hours; null: not set' }),
        })
        .strict(),
      example: { ChargeRate: 120, EstimatedTime: 1.5 },
      description: 'Sets the contract’s price for the pair (the fields given).',
      run: (ctx, scope, row, body) =>
        setContractServiceLevelPrice(ctx, scope.contract, row, {
          ...(Object.hasOwn(body, 'ChargeRate') ? { chargeRate: body.ChargeRate as number | null } : {}),
          ...(Object.hasOwn(body, 'EstimatedTime') ? { estimatedTime: body.EstimatedTime as number | null } : {}),
        }),
    },
  });
}

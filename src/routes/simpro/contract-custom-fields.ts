/**
 * simPRO `…/contracts/{contractID}/customFields/`: the company's contract
 * custom fields with this contract's values (GET list, GET item, PATCH `{Value}`).
 * Over services/contract-custom-fields.ts, which checks a value against its
 * field's type.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { type ContractFieldValue, contractFieldValue, listContractFieldValues, setContractFieldValue } from '../../services/contract-custom-fields';
import { idParam, pathId, registerSimproResource, TAGS } from './edge';
import { CONTRACT, ContractParams, type ContractScope, contractOf, SimproContractCustomField } from './contracts';
import type { SimproListSpec } from './query';

const COLUMNS = ['CustomField', 'Value'] as const;

const LIST: SimproListSpec = {
  columns: COLUMNS,
  defaultColumns: COLUMNS,
  filters: {
    'CustomField.ID': { field: 'id', type: 'id' },
    'CustomField.Name': { field: 'name', type: 'string' },
    'CustomField.Type': { field: 'type', type: 'string' },
    'CustomField.IsMandatory': { field: 'isMandatory', type: 'boolean' },
    Value: { field: 'value', type: 'string' },
  },
  defaultSort: [{ field: 'displayOrder', descending: false }],
};

const ItemParams = ContractParams.extend({ customFieldID: idParam('customFieldID', 'A contract custom field of the company (setup)') });

function render({ field, value }: ContractFieldValue) {
  return {
    CustomField: { ID: field.id, Name: field.name, Type: field.type, ListItems: field.listItems, IsMandatory: field.isMandatory },
    Value: value,
  };
}

export function registerContractCustomFields(app: OpenAPIHono<AppEnv>) {
  registerSimproResource<ContractScope, ContractFieldValue>(app, {
    tag: TAGS.contracts,
    area: 'contracts',
    singular: 'customer contract custom field',
    plural: 'customer contract custom fields',
    name: 'ContractCustomField',
    pluralName: 'ContractCustomFields',
    collection: `${CONTRACT}/customFields/`,
    collectionParams: ContractParams,
    item: `${CONTRACT}/customFields/{customFieldID}`,
    itemParams: ItemParams,
    scope: contractOf,
    fieldNames: { value: 'Value' },
    detail: { schema: SimproContractCustomField, columns: COLUMNS },
    render: async (_ctx, _scope, rows) => rows.map(render),
    list: {
      spec: LIST,
      schema: z.array(SimproContractCustomField),
      description: 'Every custom field the company has set up for contracts (archived ones left out), in display order, with this contract’s value (null: not set; `Value=null` finds those).',
      page: (ctx, scope, query) => listContractFieldValues(ctx, scope.contract, query),
    },
    find: (c, ctx, scope) => contractFieldValue(ctx, scope.contract, pathId(c, 'customFieldID')),
    notFound: (c) => `Custom field ${c.req.param('customFieldID')} was not found`,
    update: {
      body: z
        .object({ Value: z.string().max(1000).nullable().openapi({ description: 'null or "": not set', example: 'A-113' }) })
        .strict(),
      example: { Value: 'A-113' },
      description: 'Sets the contract’s value of the field: a Date field takes YYYY-MM-DD, a Numeric one a number, a List one one of its items (422 otherwise); null or "" clears it.',
      async run(ctx, scope, row, body) {
        if (!Object.hasOwn(body, 'Value')) return;
        await setContractFieldValue(ctx, scope.contract, row.field, body.Value as string | null);
      },
    },
  });
}

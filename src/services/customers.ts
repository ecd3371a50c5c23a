/** Customers of a contract owner. */
import { assertUnreferenced, columnKeys, pickFields, requireOwner, tableService } from '../db/crud';
import { customerContracts, customers, rentalProductInventories, sites, usageProductInventories } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export const CUSTOMER_TYPES = ['BUSINESS', 'RESIDENTIAL'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export interface CustomerInput {
  contractOwnerId: number;
  customerName: string;
  customerAccountNumber?: string | null;
  customerType: CustomerType;
  externalRef?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  email?: string | null;
  language?: string | null;
}

type Row = typeof customers.$inferSelect;

export const customerService = tableService<Row, Record<string, unknown>, CustomerInput>({
  singular: 'customer',
  table: customers,
  ownerColumn: customers.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: customers.id },
      contractOwnerId: { type: 'id', column: customers.contractOwnerId },
      customerName: { type: 'string', column: customers.customerName },
      customerAccountNumber: { type: 'string', column: customers.customerAccountNumber },
      externalRef: { type: 'string', column: customers.externalRef },
      startDate: { type: 'date', column: customers.startDate },
      endDate: { type: 'date', column: customers.endDate },
    },
    sorts: {
      id: customers.id,
      customerName: customers.customerName,
      customerAccountNumber: customers.customerAccountNumber,
      startDate: customers.startDate,
      endDate: customers.endDate,
    },
  },
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'customer', row.id, [
      { table: sites, column: sites.customerId, label: 'sites' },
      { table: customerContracts, column: customerContracts.customerId, label: 'customer contracts' },
      { table: rentalProductInventories, column: rentalProductInventories.customerId, label: 'rental product inventories' },
      { table: usageProductInventories, column: usageProductInventories.customerId, label: 'usage product inventories' },
      ...PRICING_REFERENCES.customer,
    ]);
  },
  toOutput: pickFields(columnKeys(customers)),
});

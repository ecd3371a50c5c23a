/**
 * Early termination charges over the database (lifecycle.md §Termination and
 * early termination charges): the quote of `GET /v1/rental-etcs` and the charge
 * recorded when a contract's endDate is moved earlier. Both load RPIs through the
 * one loader (services/rental-charges.ts) and price them with the one formula
 * (domain/etc.ts), so a quote on date D and a termination on D agree to the penny.
 *
 * Decisions: "C.endDate" of the formula is the contract's term end
 * (`termEndDate`, which an early termination leaves in place; `endDate` where
 * none is stored), so ending a terminated contract earlier still charges the
 * rest of its term; a contract covers D when startDate ≤ D ≤ its current
 * endDate; open-ended contracts (no endDate) have no term and no ETC; a contract
 * without a profile has a fixed charge and percentage of 0.
 */
import { and, asc, count, eq, gt, gte, lte } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { pagedTotal, requireVisible } from '../db/crud';
import { contractProfiles, customerContractAssignments as cca, customerContracts, customers, rentalProductInventories } from '../db/schema';
import type { IsoDate } from '../domain/dates';
import { type ContractEtcTerms, contractEarlyTerminationCharge as contractEtc, rentalEarlyTerminationCharge } from '../domain/etc';
import type { Micros } from '../domain/money';
import { invalidField } from '../errors';
import type { Paging, SortValues } from '../list-query';
import { loadPricedInventories, priceExactly } from './rental-charges';

interface EtcTermsSource {
  endDate: IsoDate;
  termEndDate: IsoDate | null;
  earlyTerminationFixedCharge: Micros | null;
  earlyTerminationPercentageCharge: number | null;
}

function etcTerms(c: EtcTermsSource): ContractEtcTerms {
  return {
    endDate: c.termEndDate ?? c.endDate,
    earlyTerminationFixedCharge: c.earlyTerminationFixedCharge ?? 0,
    earlyTerminationPercentageCharge: c.earlyTerminationPercentageCharge ?? 0,
  };
}

// ─── GET /v1/rental-etcs ─────────────────────────────────────────────────────

export interface RentalEtcQuery {
  customerId: number;
  calculationDate: IsoDate;
  rentalProductInventoryId?: number;
}

export interface RentalEtcItem {
  customerId: number;
  rentalProductInventoryId: number;
  customerContractId: number;
  /** micros, rounded to 2 places */
  amount: Micros;
  currencyCode: string;
  calculationDate: IsoDate;
}

/** The RPI id a cursor of this list holds; anything else is a 400 naming the cursor. */
function rpiAfter(after: SortValues): number {
  const [id] = after;
  if (after.length !== 1 || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw invalidField('query.cursor', 'does not belong to this list and sort');
  return id;
}

/** What an ETC row reads: the RPI, the contract it is actively assigned to, and the contract's terms. */
const etcColumns = {
  rentalProductInventoryId: cca.rentalProductInventoryId,
  customerContractId: customerContracts.id,
  endDate: customerContracts.endDate,
  termEndDate: customerContracts.termEndDate,
  earlyTerminationFixedCharge: contractProfiles.earlyTerminationFixedCharge,
  earlyTerminationPercentageCharge: contractProfiles.earlyTerminationPercentageCharge,
};

/** The assignment is active, of the customer, and its contract covers the date (and the RPI filter, if any). */
function coveredOn(customerId: number, query: RentalEtcQuery) {
  return and(
    eq(cca.customerId, customerId),
    eq(cca.active, true),
    query.rentalProductInventoryId === undefined ? undefined : eq(cca.rentalProductInventoryId, query.rentalProductInventoryId),
    lte(customerContracts.startDate, query.calculationDate),
    gte(customerContracts.endDate, query.calculationDate),
  );
}

/**
 * A numbered page of the ETC rows of a customer on a date: its RPIs actively
 * assigned to a contract that covers the date, by RPI id (unique: an RPI has at
 * most one active assignment), with the contract's terms; and how to count them all.
 */
async function etcRows(ctx: Ctx, customerId: number, query: RentalEtcQuery, paging: Paging) {
  const where = coveredOn(customerId, query);
  const rows = await ctx.db
    .select(etcColumns)
    .from(cca)
    .innerJoin(customerContracts, eq(customerContracts.id, cca.customerContractId))
    .leftJoin(contractProfiles, eq(contractProfiles.id, customerContracts.contractProfileId))
    .where(where)
    .orderBy(asc(cca.rentalProductInventoryId))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  const countAll = async () => {
    const [r] = await ctx.db.select({ n: count() }).from(cca).innerJoin(customerContracts, eq(customerContracts.id, cca.customerContractId)).where(where);
    return r?.n ?? 0;
  };
  return { rows, countAll };
}

/**
 * The same rows after an RPI id (undefined: from the first), at most `limit`. Read
 * from the customer's RPIs in id order (the index rpis_customer: customer, then
 * id, from the id on), each joined to its one active assignment
 * (cca_one_active_per_rpi), so a page reads its own rows and the RPIs between them
 * without a covering contract — never the rows before it, nor a sort of all the
 * customer's assignments. An assignment's customer is its RPI's (set from the RPI,
 * which never changes customer), so these are the rows the numbered pages list.
 */
async function etcRowsAfter(ctx: Ctx, customerId: number, query: RentalEtcQuery, after: number | undefined, limit: number) {
  const r = rentalProductInventories;
  return ctx.db
    .select(etcColumns)
    .from(r)
    .innerJoin(cca, and(eq(cca.rentalProductInventoryId, r.id), eq(cca.active, true)))
    .innerJoin(customerContracts, eq(customerContracts.id, cca.customerContractId))
    .leftJoin(contractProfiles, eq(contractProfiles.id, customerContracts.contractProfileId))
    .where(and(eq(r.customerId, customerId), after === undefined ? undefined : gt(r.id, after), coveredOn(customerId, query)))
    .orderBy(asc(r.id))
    .limit(limit);
}

type EtcRow = Awaited<ReturnType<typeof etcRowsAfter>>[number];

/** The ETC of each row, priced as early termination prices it (a row whose RPI is gone has none). */
async function priceEtcRows(ctx: Ctx, customer: typeof customers.$inferSelect, date: IsoDate, rows: readonly EtcRow[]): Promise<RentalEtcItem[]> {
  const owner = (await ctx.deps.owners.get(customer.contractOwnerId))!;
  const priced = new Map((await loadPricedInventories(ctx.db, rows.map((r) => r.rentalProductInventoryId))).map((p) => [p.rpi.id, p]));
  return rows.flatMap((row) => {
    const inventory = priced.get(row.rentalProductInventoryId);
    if (!inventory || row.endDate === null) return [];
    const contract = etcTerms({ ...row, endDate: row.endDate });
    const etc = priceExactly(`rental product inventory ${row.rentalProductInventoryId}`, () => rentalEarlyTerminationCharge({ rpi: inventory.rpi, pricing: inventory.pricing, contract, calculationDate: date }));
    return [
      {
        customerId: customer.id,
        rentalProductInventoryId: row.rentalProductInventoryId,
        customerContractId: row.customerContractId,
        amount: etc.amount,
        currencyCode: owner.currencyCode,
        calculationDate: date,
      },
    ];
  });
}

/**
 * One page of ETCs, one per RPI of the customer actively assigned to a contract
 * that covers the date, by RPI id. Paged in SQL: only the page's RPIs are priced.
 */
export async function rentalEtcPage(ctx: Ctx, query: RentalEtcQuery, paging: Paging): Promise<{ items: RentalEtcItem[]; total: number }> {
  const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, query.customerId, 'query.customerId', 'customer');
  const { rows, countAll } = await etcRows(ctx, customer.id, query, paging);
  const total = await pagedTotal(rows, paging, countAll);
  return { items: await priceEtcRows(ctx, customer, query.calculationDate, rows), total };
}

/**
 * A keyset page of the same list: up to `pageSize` ETCs after the RPI whose id
 * `after` holds (null: from the first), read in SQL from that id on (at most
 * pageSize + 1 rows, etcRowsAfter), so every page costs the same however deep. Not
 * counted; `next` holds the page's last RPI id when more follow.
 */
export async function rentalEtcKeysetPage(
  ctx: Ctx,
  query: RentalEtcQuery,
  paging: { pageSize: number; after: SortValues | null },
): Promise<{ items: RentalEtcItem[]; next: SortValues | null }> {
  const after = paging.after === null ? undefined : rpiAfter(paging.after);
  const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, query.customerId, 'query.customerId', 'customer');
  const rows = await etcRowsAfter(ctx, customer.id, query, after, paging.pageSize + 1);
  const more = rows.length > paging.pageSize;
  if (more) rows.length = paging.pageSize;
  const last = rows[rows.length - 1];
  return { items: await priceEtcRows(ctx, customer, query.calculationDate, rows), next: more && last ? [last.rentalProductInventoryId] : null };
}

// ─── early termination ───────────────────────────────────────────────────────

/** What the charge reads of a contract (a customer contract row; narrow, so this module needs nothing of customer-contracts.ts). */
type TerminatedContract = Pick<typeof customerContracts.$inferSelect, 'id' | 'endDate' | 'termEndDate' | 'contractProfileId'>;

/**
 * The contract's early termination charge if it ended on `date`, in micros: the
 * sum of the ETCs of its actively assigned RPIs, each as `GET /v1/rental-etcs`
 * quotes it on that date.
 */
export async function contractEarlyTerminationCharge(ctx: Ctx, contract: TerminatedContract, date: IsoDate): Promise<Micros> {
  if (contract.endDate === null) return 0;
  const [assigned, [profile]] = await Promise.all([
    ctx.db
      .select({ rpiId: cca.rentalProductInventoryId })
      .from(cca)
      .where(and(eq(cca.customerContractId, contract.id), eq(cca.active, true))),
    contract.contractProfileId === null ? [] : ctx.db.select().from(contractProfiles).where(eq(contractProfiles.id, contract.contractProfileId)),
  ]);
  const inventories = await loadPricedInventories(ctx.db, assigned.map((a) => a.rpiId));
  const terms = etcTerms({
    endDate: contract.endDate,
    termEndDate: contract.termEndDate,
    earlyTerminationFixedCharge: profile?.earlyTerminationFixedCharge ?? null,
    earlyTerminationPercentageCharge: profile?.earlyTerminationPercentageCharge ?? null,
  });
  return priceExactly(`customer contract ${contract.id}`, () => {
    const { amount } = contractEtc({ contract: terms, calculationDate: date, inventories });
    if (!Number.isSafeInteger(amount)) throw new RangeError('the sum is too large to be represented exactly');
    return amount;
  });
}

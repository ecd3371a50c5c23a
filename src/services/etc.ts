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
import { and, asc, count, eq, gte, lte } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { pagedTotal, requireVisible } from '../db/crud';
import { contractProfiles, customerContractAssignments as cca, customerContracts, customers } from '../db/schema';
import type { IsoDate } from '../domain/dates';
import { type ContractEtcTerms, contractEarlyTerminationCharge as contractEtc, rentalEarlyTerminationCharge } from '../domain/etc';
import type { Micros } from '../domain/money';
import type { Paging } from '../list-query';
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

/**
 * One page of ETCs, one per RPI of the customer actively assigned to a contract
 * that covers the date, by RPI id. Paged in SQL: only the page's RPIs are priced.
 */
export async function rentalEtcPage(ctx: Ctx, query: RentalEtcQuery, paging: Paging): Promise<{ items: RentalEtcItem[]; total: number }> {
  const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, query.customerId, 'query.customerId', 'customer');
  const owner = (await ctx.deps.owners.get(customer.contractOwnerId))!;
  const date = query.calculationDate;
  const where = and(
    eq(cca.customerId, customer.id),
    eq(cca.active, true),
    query.rentalProductInventoryId === undefined ? undefined : eq(cca.rentalProductInventoryId, query.rentalProductInventoryId),
    lte(customerContracts.startDate, date),
    gte(customerContracts.endDate, date),
  );
  const rows = await ctx.db
    .select({
      rentalProductInventoryId: cca.rentalProductInventoryId,
      customerContractId: customerContracts.id,
      endDate: customerContracts.endDate,
      termEndDate: customerContracts.termEndDate,
      earlyTerminationFixedCharge: contractProfiles.earlyTerminationFixedCharge,
      earlyTerminationPercentageCharge: contractProfiles.earlyTerminationPercentageCharge,
    })
    .from(cca)
    .innerJoin(customerContracts, eq(customerContracts.id, cca.customerContractId))
    .leftJoin(contractProfiles, eq(contractProfiles.id, customerContracts.contractProfileId))
    .where(where)
    .orderBy(asc(cca.rentalProductInventoryId))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  const total = await pagedTotal(rows, paging, async () => {
    const [r] = await ctx.db.select({ n: count() }).from(cca).innerJoin(customerContracts, eq(customerContracts.id, cca.customerContractId)).where(where);
    return r?.n ?? 0;
  });

  const priced = new Map((await loadPricedInventories(ctx.db, rows.map((r) => r.rentalProductInventoryId))).map((p) => [p.rpi.id, p]));
  const items = rows.flatMap((row) => {
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
  return { items, total };
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

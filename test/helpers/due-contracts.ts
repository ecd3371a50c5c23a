/**
 * Inserts many due contracts quickly (set-based SQL through the app's own
 * database module) for the rollover tests at scale: one owner, a 1-month profile
 * rolling into itself, and N contracts on one customer, each with one RPI
 * actively assigned. Every contract started on `startDate`, so it is due.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import { computeEndDate } from '../../src/domain/terms';

export async function insertDueContracts(database: Database, count: number, startDate = '2025-01-31'): Promise<{ ownerId: number; profileId: number }> {
  const now = new Date().toISOString();
  const db = database.db;
  const endDate = computeEndDate({ anchorDate: startDate, monthsFromAnchor: 0 }, 1);
  const audit = sql`${now}, ${now}, 'seed', 'seed', 1`;
  const [owner] = await db.all<{ id: number }>(
    sql`insert into contract_owners (name, currency_code, timezone, available_from, created_date, updated_date, created_by, updated_by, version)
      values ('Scale owner', 'GBP', 'Europe/London', '2020-01-01', ${audit}) returning id`,
  );
  const ownerId = owner!.id;
  const [profile] = await db.all<{ id: number }>(
    sql`insert into contract_profiles (contract_owner_id, name, contract_term, early_termination_fixed_charge, early_termination_percentage_charge,
      renewal_alert_days, notice_period_days, version_number, created_date, updated_date, created_by, updated_by, version)
      values (${ownerId}, 'Monthly', 1, 0, 0, 28, 30, 1, ${audit}) returning id`,
  );
  const profileId = profile!.id;
  await db.run(sql`update contract_profiles set rollover_contract_profile_id = id where id = ${profileId}`);
  const [customer] = await db.all<{ id: number }>(
    sql`insert into customers (contract_owner_id, customer_name, customer_type, created_date, updated_date, created_by, updated_by, version)
      values (${ownerId}, 'Scale customer', 'BUSINESS', ${audit}) returning id`,
  );
  const [site] = await db.all<{ id: number }>(
    sql`insert into sites (contract_owner_id, customer_id, site_name, created_date, updated_date, created_by, updated_by, version)
      values (${ownerId}, ${customer!.id}, 'Scale site', ${audit}) returning id`,
  );
  const [category] = await db.all<{ id: number }>(
    sql`insert into rental_product_categories (contract_owner_id, name, start_date, created_date, updated_date, created_by, updated_by, version)
      values (${ownerId}, 'Lines', '2020-01-01', ${audit}) returning id`,
  );
  const [product] = await db.all<{ id: number }>(
    sql`insert into rental_products (contract_owner_id, rental_product_category_id, name, product_type, available_from, created_date, updated_date, created_by, updated_by, version)
      values (${ownerId}, ${category!.id}, 'Line', 'PRODUCT', '2020-01-01', ${audit}) returning id`,
  );
  const numbers = JSON.stringify(Array.from({ length: count }, (_, i) => i));
  const [first] = await db.all<{ rpi: number; contract: number }>(
    sql`select coalesce((select max(id) from rental_product_inventories), 0) + 1 as rpi, coalesce((select max(id) from customer_contracts), 0) + 1 as contract`,
  );
  // explicit consecutive ids pair the n-th contract with the n-th RPI without a lookup
  await database.batch([
    sql`insert into rental_product_inventories (id, contract_owner_id, customer_id, site_id, rental_product_id, quantity, start_date,
        created_date, updated_date, created_by, updated_by, version)
      select ${first!.rpi} + value, ${ownerId}, ${customer!.id}, ${site!.id}, ${product!.id}, 1, ${startDate}, ${audit} from json_each(${numbers})`,
    sql`insert into customer_contracts (id, contract_owner_id, name, customer_id, site_id, contract_profile_id, start_date, end_date, billing_start_date,
        rollover_contract_profile_id, renewal_alert_days, notice_period_days, anchor_date, months_from_anchor, term_end_date, external_ref,
        created_date, updated_date, created_by, updated_by, version)
      select ${first!.contract} + value, ${ownerId}, 'Scale ' || value, ${customer!.id}, ${site!.id}, ${profileId}, ${startDate}, ${endDate}, ${startDate},
        ${profileId}, 28, 30, ${startDate}, 0, ${endDate}, 'scale-' || value, ${audit} from json_each(${numbers})`,
    sql`insert into customer_contract_assignments (contract_owner_id, customer_id, customer_contract_id, rental_product_inventory_id, active,
        created_date, updated_date, created_by, updated_by, version)
      select ${ownerId}, ${customer!.id}, ${first!.contract} + value, ${first!.rpi} + value, 1, ${audit} from json_each(${numbers})`,
  ]);
  return { ownerId, profileId };
}

export interface ChainCheck {
  renewals: number;
  /** contracts renewed more than once, or chains with a gap or an overlap */
  problems: string[];
  activeAssignments: number;
  assignmentsOnCurrent: number;
}

/** Verifies every chain of an owner: one renewal per term, contiguous dates, and active assignments only on current contracts. */
export async function checkChains(database: Database, ownerId: number): Promise<ChainCheck> {
  const db = database.db;
  const problems: string[] = [];
  const dupes = await db.all<{ p: number; n: number }>(
    sql`select previous_customer_contract_id as p, count(*) as n from customer_contracts where contract_owner_id = ${ownerId}
      and previous_customer_contract_id is not null group by previous_customer_contract_id having count(*) > 1`,
  );
  for (const d of dupes) problems.push(`contract ${d.p} renewed ${d.n} times`);
  const gaps = await db.all<{ id: number }>(
    sql`select n.id from customer_contracts n join customer_contracts o on o.id = n.previous_customer_contract_id
      where n.contract_owner_id = ${ownerId} and (n.start_date != date(o.end_date, '+1 day') or o.renewed_customer_contract_id is not n.id)`,
  );
  for (const g of gaps) problems.push(`contract ${g.id} does not follow its predecessor`);
  const [renewals] = await db.all<{ n: number }>(
    sql`select count(*) as n from customer_contracts where contract_owner_id = ${ownerId} and previous_customer_contract_id is not null`,
  );
  const [active] = await db.all<{ n: number; current: number }>(
    sql`select count(*) as n, sum(c.renewed_customer_contract_id is null) as current from customer_contract_assignments a
      join customer_contracts c on c.id = a.customer_contract_id where a.contract_owner_id = ${ownerId} and a.active = 1`,
  );
  return { renewals: renewals!.n, problems, activeAssignments: active!.n, assignmentsOnCurrent: active!.current ?? 0 };
}

/**
 * The rollover scenario's parts (R1): running the job as production does, checking
 * what it left, and its floor F2 — the same rollover as plain SQL statements in
 * one script.
 *
 * The job runs in the Node server, started as `npm start` starts it, by
 * `POST /v1/jobs/rollover` with `asOf` = the data's date and a token for the
 * due-for-renewal set's owners: the same code path, database connection and
 * chunking (1,000 contracts per chunk on Node) as the hourly timer and an admin's
 * call, recorded as a job run. `asOf` makes the run renew exactly the set the data
 * was built for, whatever the clock says.
 */
import { createHash } from 'node:crypto';
import { CONTRACT_EVENTS } from '../../src/services/customer-contracts';
import { openLocalClient, type LocalClient } from '../../src/db/node';
import { todayIn } from '../../src/domain/dates';

export interface RolloverRun {
  renewed: number;
  outcome: string;
  errors: number;
}

/** Runs the lifecycle job through the API; resolves when the run has finished (the request returns the run). */
export async function postRollover(url: string, token: string, asOf: string): Promise<RolloverRun> {
  const res = await fetch(`${url}/v1/jobs/rollover`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ asOf }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /v1/jobs/rollover answered ${res.status}: ${text.slice(0, 500)}`);
  const run = JSON.parse(text) as RolloverRun;
  return { renewed: run.renewed, outcome: run.outcome, errors: run.errors };
}

const inOwners = (ownerIds: readonly number[]) => `(${ownerIds.map((id) => Number(id)).join(', ')})`;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The contracts due for renewal on `asOf` among these owners' (before a run). */
export function dueContracts(url: string, ownerIds: readonly number[], asOf: string): number {
  const db = openLocalClient(url);
  try {
    const [n] = db
      .prepare(
        `select count(*) from customer_contracts where contract_owner_id in ${inOwners(ownerIds)} and renewed_customer_contract_id is null
          and rollover_contract_profile_id is not null and end_date < ?`,
      )
      .raw()
      .get(asOf) as [number];
    return n;
  } finally {
    db.close();
  }
}

export interface RolloverCheck {
  /** renewals made (contracts with a predecessor) */
  renewals: number;
  /** contracts still due after the run */
  stillDue: number;
  /** renewals whose predecessor does not point back, or that do not start the day after it ends */
  brokenLinks: number;
  /** predecessors renewed more than once (the unique index should make this 0) */
  renewedTwice: number;
  /** active assignments, and of those on a current (not renewed) contract */
  activeAssignments: number;
  activeOnCurrent: number;
  /** `customer_contract.renewed` events, and the renewals they name (each once) */
  events: number;
  eventObjects: number;
  /** a digest of the renewals, assignments and events, without run times and actors (to compare with F2) */
  digest: string;
}

/** What a run left for these owners: every due contract renewed exactly once, assignments moved, one event each. */
export function checkRollover(url: string, ownerIds: readonly number[], asOf: string): RolloverCheck {
  const db = openLocalClient(url);
  try {
    const owners = inOwners(ownerIds);
    const one = (query: string, ...params: unknown[]) => (db.prepare(query).raw().get(...params) as number[])[0] ?? 0;
    const renewals = one(`select count(*) from customer_contracts where contract_owner_id in ${owners} and previous_customer_contract_id is not null`);
    const stillDue = one(
      `select count(*) from customer_contracts where contract_owner_id in ${owners} and renewed_customer_contract_id is null
        and rollover_contract_profile_id is not null and end_date < ?`,
      asOf,
    );
    const brokenLinks = one(
      `select count(*) from customer_contracts n join customer_contracts o on o.id = n.previous_customer_contract_id
        where n.contract_owner_id in ${owners} and (o.renewed_customer_contract_id is not n.id or n.start_date != date(o.end_date, '+1 day') or o.settled != 1)`,
    );
    const renewedTwice = one(
      `select count(*) from (select previous_customer_contract_id from customer_contracts where contract_owner_id in ${owners}
        and previous_customer_contract_id is not null group by previous_customer_contract_id having count(*) > 1)`,
    );
    const [activeAssignments, activeOnCurrent] = db
      .prepare(
        `select count(*), coalesce(sum(c.renewed_customer_contract_id is null), 0) from customer_contract_assignments a
          join customer_contracts c on c.id = a.customer_contract_id where a.contract_owner_id in ${owners} and a.active = 1`,
      )
      .raw()
      .get() as [number, number];
    const [events, eventObjects] = db
      .prepare(`select count(*), count(distinct object_id) from outbox_events where contract_owner_id in ${owners} and type = ?`)
      .raw()
      .get(CONTRACT_EVENTS.renewed.type) as [number, number];
    return { renewals, stillDue, brokenLinks, renewedTwice, activeAssignments, activeOnCurrent, events, eventObjects, digest: digest(db, owners) };
  } finally {
    db.close();
  }
}

/** Every column of the renewals and their predecessors, the assignments and the events' data, minus run times and actors. */
function digest(db: LocalClient, owners: string): string {
  const hash = createHash('sha256');
  const feed = (query: string) => {
    for (const row of db.prepare(query).raw().iterate()) hash.update(`${JSON.stringify(row)}\n`);
  };
  const stamped = new Set(['created_date', 'updated_date', 'created_by', 'updated_by']);
  const columns = (db.prepare('select name from pragma_table_info(?)').raw().all('customer_contracts') as string[][])
    .map(([name]) => name!)
    .filter((name) => !stamped.has(name));
  const list = (alias: string) => columns.map((c) => `${alias}."${c}"`).join(', ');
  feed(`select ${list('n')}, ${list('o')} from customer_contracts n join customer_contracts o on o.id = n.previous_customer_contract_id
    where n.contract_owner_id in ${owners} order by n.previous_customer_contract_id`);
  feed(`select a.rental_product_inventory_id, a.customer_contract_id, a.active, a.version from customer_contract_assignments a
    where a.contract_owner_id in ${owners} order by a.rental_product_inventory_id, a.customer_contract_id`);
  feed(`select object_id, type, json_remove(data, '$.createdDate', '$.updatedDate', '$.createdBy', '$.updatedBy') from outbox_events
    where contract_owner_id in ${owners} and type = ${quote(CONTRACT_EVENTS.renewed.type)} order by object_id`);
  return hash.digest('hex').slice(0, 16);
}

// ─── F2: the same rollover as plain SQL ──────────────────────────────────────

/** SQL for the anchored term rule's plusMonths(date, months): the same day that many months on, clamped to the month's end. */
function plusMonths(date: string, months: string): string {
  const index = `(cast(substr(${date}, 1, 4) as integer) * 12 + cast(substr(${date}, 6, 2) as integer) - 1 + ${months})`;
  const year = `(${index} / 12)`;
  const month = `(${index} % 12 + 1)`;
  const lastDay = `cast(strftime('%d', printf('%04d-%02d-01', ${year}, ${month}), '+1 month', '-1 day') as integer)`;
  return `printf('%04d-%02d-%02d', ${year}, ${month}, min(cast(substr(${date}, 9, 2) as integer), ${lastDay}))`;
}

/** micros → major units as JSON renders them (whole numbers without a fraction). */
const major = (column: string) => `case when ${column} is null then null when ${column} % 1000000 = 0 then ${column} / 1000000 else ${column} / 1000000.0 end`;

/**
 * The rollover of every contract of `ownerIds` due on `asOf`, as one script: a
 * plan table (new ids after the table's sequence, in end date order, as the job
 * reserves them; dates by the anchored term rule; the rollover profile's terms),
 * the renewals inserted, the predecessors marked renewed and settled, the
 * renewals given their predecessors' external references (unique among current
 * contracts, so only once the predecessor is renewed), active assignments
 * moved (old ones deactivated, copies active), and one `customer_contract.renewed`
 * event each with the contract as the API renders it. It covers what the data
 * holds: no regular terminations carried, no superseded rollover profiles.
 */
export function rolloverScript(ownerIds: readonly number[], asOf: string, nowIso: string, actor: string, todays: ReadonlyMap<number, string>): string {
  const owners = inOwners(ownerIds);
  const [now, by, today] = [quote(nowIso), quote(actor), quote(asOf)];
  // an event renders the contract as it is when the event is written: its status on the owner's own today, not on asOf
  const ownerToday = `(case c.contract_owner_id ${ownerIds.map((id) => `when ${Number(id)} then ${quote(todays.get(id) ?? asOf)}`).join(" ")} end)`;
  return `
begin immediate;
create temp table f2_plan as
with due as (
  select c.*, p.contract_term as signed_term, r.id as r_id, r.contract_term as r_term, r.rollover_contract_profile_id as r_next,
    r.renewal_alert_days as r_alert, r.notice_period_days as r_notice, row_number() over (order by c.end_date, c.id) as seq
  from customer_contracts c
  left join contract_profiles p on p.id = c.contract_profile_id
  join contract_profiles r on r.id = c.rollover_contract_profile_id
  where c.contract_owner_id in ${owners} and c.settled = 0 and c.renewed_customer_contract_id is null and c.end_date < ${today}
),
chain as materialized (
  select due.*,
    (signed_term is not null and date(${plusMonths('anchor_date', 'months_from_anchor + signed_term')}, '-1 day') = end_date) as follows
  from due
),
next as materialized (
  select chain.*, case when follows then anchor_date else date(end_date, '+1 day') end as n_anchor,
    case when follows then months_from_anchor + signed_term else 0 end as n_months
  from chain
)
select next.*, (select seq from sqlite_sequence where name = 'customer_contracts') + seq as n, date(end_date, '+1 day') as n_start,
  date(${plusMonths('n_anchor', 'n_months + r_term')}, '-1 day') as n_end
from next;
create temp table f2_moves as
  select a.id, a.contract_owner_id, a.customer_id, a.rental_product_inventory_id, f.n
  from f2_plan f join customer_contract_assignments a on a.customer_contract_id = f.id and a.active = 1;
insert into customer_contracts (id, contract_owner_id, name, customer_id, site_id, contract_profile_id, start_date, end_date,
  billing_start_date, rollover_contract_profile_id, renewal_alert_days, notice_period_days, previous_customer_contract_id,
  anchor_date, months_from_anchor, term_end_date, contract_number, value, notes, email, signed_date, external_ref, properties,
  settled, price_adaptation_id, price_adaptation_check_date, created_date, updated_date, created_by, updated_by, version)
select n, contract_owner_id, name, customer_id, site_id, r_id, n_start, n_end, n_start, r_next, r_alert, r_notice, id,
  n_anchor, n_months, n_end, contract_number, value, notes, email, signed_date, null, properties,
  0, price_adaptation_id, case when price_adaptation_id is null then null else n_start end, ${now}, ${now}, ${by}, ${by}, 1
from f2_plan order by n;
update customer_contracts set renewed_customer_contract_id = f.n, settled = 1, version = customer_contracts.version + 1,
  updated_date = ${now}, updated_by = ${by}
from f2_plan f where customer_contracts.id = f.id;
update customer_contracts set external_ref = f.external_ref from f2_plan f where customer_contracts.id = f.n and f.external_ref is not null;
update customer_contract_assignments set active = 0, version = version + 1, updated_date = ${now}, updated_by = ${by}
where id in (select id from f2_moves);
insert into customer_contract_assignments (contract_owner_id, customer_id, customer_contract_id, rental_product_inventory_id, active,
  created_date, updated_date, created_by, updated_by, version)
select contract_owner_id, customer_id, n, rental_product_inventory_id, 1, ${now}, ${now}, ${by}, ${by}, 1 from f2_moves order by id;
insert into outbox_events (contract_owner_id, type, object_type, object_id, data, actor, created_at)
select c.contract_owner_id, ${quote(CONTRACT_EVENTS.renewed.type)}, ${quote(CONTRACT_EVENTS.renewed.objectType)}, c.id,
  json_object('id', c.id, 'contractOwnerId', c.contract_owner_id, 'name', c.name, 'customerId', c.customer_id, 'siteId', c.site_id,
    'contractProfileId', c.contract_profile_id, 'startDate', c.start_date, 'endDate', c.end_date, 'billingStartDate', c.billing_start_date,
    'rolloverContractProfileId', c.rollover_contract_profile_id, 'renewalAlertDays', c.renewal_alert_days,
    'noticePeriodDays', c.notice_period_days, 'previousCustomerContractId', c.previous_customer_contract_id,
    'renewedCustomerContractId', null,
    'status', case when ${ownerToday} < c.start_date then 'PENDING' when ${ownerToday} >= date(c.end_date, '-' || c.notice_period_days || ' days') then 'IN_NOTICE' else 'ACTIVE' end,
    'terminationDate', c.termination_date, 'earlyTerminationCharge', ${major('c.early_termination_charge')},
    'contractNumber', c.contract_number, 'value', ${major('c.value')}, 'notes', c.notes, 'email', c.email, 'signedDate', c.signed_date,
    'externalRef', c.external_ref, 'properties', json(c.properties), 'priceAdaptationId', c.price_adaptation_id, 'createdDate', c.created_date, 'updatedDate', c.updated_date,
    'createdBy', c.created_by, 'updatedBy', c.updated_by, 'version', c.version),
  ${by}, ${now}
from f2_plan f join customer_contracts c on c.id = f.n order by c.id;
drop table f2_plan;
drop table f2_moves;
commit;
`;
}

/** Each owner's today in its time zone at `now` (what the API renders statuses against). */
export function ownerTodays(url: string, ownerIds: readonly number[], now = Date.now()): Map<number, string> {
  const db = openLocalClient(url);
  try {
    const rows = db.prepare(`select id, timezone from contract_owners where id in ${inOwners(ownerIds)}`).raw().all() as Array<[number, string]>;
    return new Map(rows.map(([id, zone]) => [id, todayIn(zone, now)]));
  } finally {
    db.close();
  }
}

/** F2 on `url`: the script through the synchronous libSQL driver with the server's settings; its wall time in ms. */
export function runRolloverScript(url: string, script: string): number {
  const db = openLocalClient(url);
  try {
    const started = performance.now();
    db.exec(script);
    return performance.now() - started;
  } finally {
    db.close();
  }
}

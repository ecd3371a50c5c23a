/**
 * The benchmark data set: 10 contract owners, customers with 1–3 sites, 5
 * contract profiles per owner (most rolling over), contracts spread over their
 * terms (so a realistic share is in the renewal-alert window), some pending,
 * due for renewal, expired, terminated early, or renewed once, with 2 rental
 * product inventories (RPIs) and their assignments per contract.
 *
 * Rows are written with plain SQL through the synchronous libSQL driver in
 * large transactions, ids assigned here so rows can reference each other
 * without reading back. Every value follows the app's rules: owner ids
 * denormalised, end dates from `computeEndDate`, chain anchors, billingStartDate
 * = startDate, audit columns. A fixed seed makes it the same data every time
 * for the same (contracts, seed, today).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER, migrateDatabase, openLocalClient, openLocalDatabase, type LocalClient } from '../../src/db/node';
import { generatedContractName } from '../../src/domain/contracts';
import { addDays, addMonths, daysBetween, todayIn } from '../../src/domain/dates';
import { majorToMicros } from '../../src/domain/money';
import { computeEndDate } from '../../src/domain/terms';
import { createCatalogues, seedPricingAssignments } from './pricing-seed';
import { Random } from './random';

/** Bump when the generator changes: seeded files of another version are rebuilt. */
export const DATASET_VERSION = 3;
export const DEFAULT_SEED = 20260501;
export const DEFAULT_CONTRACTS = 100_000;
export const DEFAULT_DUE_FOR_RENEWAL = 100_000;

export interface DatasetOptions {
  /** customer contract rows, renewed predecessors included */
  contracts: number;
  /** `file:path` */
  url: string;
  seed?: number;
  /** the UTC date the data is relative to (default: today); owners' dates are taken at its noon UTC */
  today?: string;
  /** contracts due for renewal for the rollover scenario (R1), of owners of their own (default 0) */
  dueForRenewal?: number;
  progress?: (message: string) => void;
}

export interface DatasetSummary {
  version: number;
  /** fingerprint of the migrations the file was built with */
  schema: string;
  seed: number;
  today: string;
  contracts: number;
  dueForRenewal: number;
  seconds: number;
  /** rows per table */
  rows: Record<string, number>;
  /** contract rows by the state they were generated in (the main set) */
  states: Record<ContractState, number>;
  /** the owners of the due-for-renewal set (R1) and its contracts; the other scenarios leave them alone */
  rollover: { ownerIds: number[]; contracts: number };
}

type ContractState = 'active' | 'renewed' | 'pending' | 'due' | 'expired' | 'terminated';

/** Time zones ahead of and behind UTC, and with and without DST. */
const OWNERS = [
  { name: 'Northwind Telecom', timezone: 'Europe/London', currency: 'GBP' },
  { name: 'Kiwi Connect', timezone: 'Pacific/Auckland', currency: 'NZD' },
  { name: 'Pacific Coast Networks', timezone: 'America/Los_Angeles', currency: 'USD' },
  { name: 'Rhein Systemhaus', timezone: 'Europe/Berlin', currency: 'EUR' },
  { name: 'Hudson Managed Services', timezone: 'America/New_York', currency: 'USD' },
  { name: 'Harbour IT', timezone: 'Australia/Sydney', currency: 'AUD' },
  { name: 'Sakura Maintenance', timezone: 'Asia/Tokyo', currency: 'JPY' },
  { name: 'Meridian Voice', timezone: 'UTC', currency: 'GBP' },
  { name: 'Paulista Telecom', timezone: 'America/Sao_Paulo', currency: 'BRL' },
  { name: 'Deccan Support', timezone: 'Asia/Kolkata', currency: 'INR' },
] as const;

/** Listed so rollover targets come first (foreign keys); weight = share of new contracts. */
const PROFILES = [
  { key: 'rolling1', name: '1 month rolling', term: 1, rollover: 'rolling1', alert: 7, notice: 30, etcFixed: 0, etcPercent: 0, weight: 15 },
  { key: 'renewal12', name: '12 month renewal', term: 12, rollover: 'renewal12', alert: 28, notice: 30, etcFixed: 50, etcPercent: 50, weight: 8 },
  { key: 'standard12', name: '12 month standard', term: 12, rollover: 'renewal12', alert: 28, notice: 30, etcFixed: 100, etcPercent: 100, weight: 35 },
  { key: 'business24', name: '24 month business', term: 24, rollover: 'renewal12', alert: 28, notice: 90, etcFixed: 250, etcPercent: 100, weight: 30 },
  { key: 'enterprise36', name: '36 month enterprise', term: 36, rollover: null, alert: 28, notice: 90, etcFixed: 500, etcPercent: 100, weight: 12 },
] as const;

type ProfileDef = (typeof PROFILES)[number];

const STATES: ReadonlyArray<readonly [ContractState, number]> = [
  ['active', 74],
  ['renewed', 12], // a current contract that renewed once: two rows
  ['pending', 4],
  ['due', 5],
  ['expired', 3],
  ['terminated', 2],
];

const CATALOGUE: Record<string, readonly string[]> = {
  Connectivity: ['Fibre 100', 'Fibre 500', 'Fibre 1000', 'Leased line 100', 'SD-WAN edge'],
  Voice: ['SIP trunk', 'Hosted seat', 'Call recording', 'Number block'],
  Hardware: ['Router rental', 'Firewall rental', 'Desk phone rental'],
  Support: ['Managed support', 'Out-of-hours cover', 'Onsite engineer'],
};

const WORDS_A = ['Northern', 'Blue', 'Granite', 'Silver', 'Harbour', 'Summit', 'Oak', 'Bright', 'Red', 'Cedar', 'Atlas', 'Union'];
const WORDS_B = ['Logistics', 'Dental', 'Bakery', 'Legal', 'Motors', 'Clinic', 'Studio', 'Foods', 'Labs', 'Hotels', 'Retail', 'Works'];
const WORDS_C = ['Ltd', 'LLC', 'GmbH', 'Group', 'Partners', 'Co'];
const PLACES = ['Head office', 'Warehouse', 'Branch', 'Depot', 'Shop', 'Clinic', 'Data room'];
const SALES_CHANNELS = ['partner', 'direct', 'web'];

const SEED_ACTOR = 'seed';
const ROLLOVER_ACTOR = 'system';

/** Memoised calendar arithmetic: the data set asks the same few questions many times. */
class Calendar {
  private readonly cache = new Map<string, string>();
  private memo(key: string, compute: () => string): string {
    let value = this.cache.get(key);
    if (value === undefined) {
      value = compute();
      this.cache.set(key, value);
    }
    return value;
  }
  addDays(date: string, days: number) {
    return this.memo(`d${date}${days}`, () => addDays(date, days));
  }
  addMonths(date: string, months: number) {
    return this.memo(`m${date}${months}`, () => addMonths(date, months));
  }
  endDate(anchorDate: string, monthsFromAnchor: number, term: number) {
    return this.memo(`e${anchorDate}${monthsFromAnchor}/${term}`, () => computeEndDate({ anchorDate, monthsFromAnchor }, term));
  }
  daysBetween(from: string, to: string): number {
    return Number(this.memo(`b${from}${to}`, () => String(daysBetween(from, to))));
  }
}

export interface Owner {
  id: number;
  currency: string;
  today: string;
  profiles: Map<string, number>;
  products: number[];
  /** category name → id, and each product's category */
  categories: Map<string, number>;
  productCategory: Map<number, number>;
  /** customers made so far (a counter for account numbers), and each one's ids for the pricing seed */
  customers: number;
  customerList: SeededCustomer[];
}

export interface SeededCustomer {
  id: number;
  startDate: string;
  sites: number[];
}

interface Site {
  id: number;
}

interface ContractRow {
  id: number;
  ownerId: number;
  name: string;
  customerId: number;
  siteId: number | null;
  profileId: number;
  startDate: string;
  endDate: string;
  rolloverProfileId: number | null;
  renewalAlertDays: number;
  noticePeriodDays: number;
  previousId: number | null;
  renewedId: number | null;
  anchorDate: string;
  monthsFromAnchor: number;
  termEndDate: string;
  terminationDate: string | null;
  terminationType: 'EARLY' | null;
  earlyTerminationCharge: number | null;
  terminationReason: string | null;
  contractNumber: string | null;
  value: number | null;
  notes: string | null;
  email: string | null;
  signedDate: string | null;
  externalRef: string | null;
  properties: string | null;
  settled: 0 | 1;
  createdDate: string;
  updatedDate: string;
  createdBy: string;
  updatedBy: string;
  version: number;
}

/** Prepared inserts, ids counted here, and a transaction committed every `rowsPerCommit` rows. */
export class Writer {
  readonly rows: Record<string, number> = {};
  private readonly statements = new Map<string, ReturnType<LocalClient['prepare']>>();
  private pending = 0;

  constructor(
    readonly client: LocalClient,
    private readonly rowsPerCommit = 100_000,
  ) {
    this.begin();
  }

  begin() {
    this.client.exec('BEGIN');
  }

  /** Inserts one row with the next id of `table`; returns the id. */
  insert(table: string, columns: readonly string[], values: readonly unknown[]): number {
    const id = (this.rows[table] ?? 0) + 1;
    this.rows[table] = id;
    const key = `${table}(${columns.join(',')})`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.client.prepare(
        `insert into ${table} (id, ${columns.join(', ')}) values (?${', ?'.repeat(columns.length)})`,
      );
      this.statements.set(key, statement);
    }
    statement.run([id, ...values]);
    this.pending += 1;
    return id;
  }

  /** Commits when the transaction is large enough; call between self-contained groups of rows. */
  checkpoint() {
    if (this.pending >= this.rowsPerCommit) this.commit(true);
  }

  /** Runs a statement that is not an insert (e.g. closing a reference cycle). */
  run(sql: string, values: readonly unknown[]): void {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.client.prepare(sql);
      this.statements.set(sql, statement);
    }
    statement.run([...values]);
  }

  /** The id the next insert into `table` will get. */
  nextId(table: string): number {
    return (this.rows[table] ?? 0) + 1;
  }

  commit(reopen = false) {
    this.client.exec('COMMIT');
    this.pending = 0;
    if (reopen) this.begin();
  }
}

const AUDIT = ['created_date', 'updated_date', 'created_by', 'updated_by', 'version'] as const;
const CONTRACT_COLUMNS = [
  'contract_owner_id', 'name', 'customer_id', 'site_id', 'contract_profile_id', 'start_date', 'end_date',
  'billing_start_date', 'rollover_contract_profile_id', 'renewal_alert_days', 'notice_period_days',
  'previous_customer_contract_id', 'renewed_customer_contract_id', 'anchor_date', 'months_from_anchor',
  'term_end_date', 'termination_date', 'termination_type', 'early_termination_charge', 'termination_reason',
  'contract_number', 'value', 'notes', 'email', 'signed_date', 'external_ref', 'properties', 'settled', ...AUDIT,
] as const;

/** A file seeded under other migrations cannot be reused: the server would try to migrate it again. */
export function schemaFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(readFileSync(join(MIGRATIONS_FOLDER, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** What the generator hands to the extension points below. */
export interface SeedContext {
  readonly writer: Writer;
  readonly random: Random;
  readonly calendar: Calendar;
  readonly owners: readonly Owner[];
  readonly nowIso: string;
  /** epoch ms of nowIso */
  readonly now: number;
  readonly url: string;
}

/**
 * Pricing data (bench/lib/pricing-seed.ts): per owner a catalogue made through the
 * app in process (charge groups, time band plans, usage and rental rate cards
 * with rates, inclusive usage plans, discount plans with rules), then usage
 * product inventories and the assignments of cards and plans to customers,
 * sites and inventories in plain SQL. Its own random stream, so the contract
 * data is the same with or without it.
 */
async function seedPricing(ctx: SeedContext, seed: number): Promise<Record<string, number>> {
  ctx.writer.commit();
  const catalogues = await createCatalogues(ctx.url, ctx.owners, ctx.now);
  ctx.writer.begin();
  return seedPricingAssignments({ ...ctx, random: new Random(seed + 1) }, catalogues);
}

/** Profiles of the due-for-renewal set: those renewing into the 12 month renewal, so the run renews and does nothing else. */
const DUE_SET_PROFILES = PROFILES.filter((p) => p.rollover === 'renewal12');

/** Owners of the due-for-renewal set: two, so the job runs for a list of owners as the cron does for all. */
const DUE_SET_OWNERS = [
  { name: 'Rollover Telecom', timezone: 'Europe/London', currency: 'GBP' },
  { name: 'Rollover Networks', timezone: 'America/Chicago', currency: 'USD' },
] as const;

/**
 * A set of `count` contracts due for renewal (ended 1–20 days before the data's
 * date, not renewed yet), each with 2 RPIs actively assigned, for the rollover
 * scenario (R1), under owners of their own: the job is run for those owners
 * only, and the other scenarios' fixtures leave them out, so their data is as
 * without the set. Their renewals end a year or more later, so a run renews
 * them and has no alert or expiry to send.
 *
 * Customers (5–15 contracts each) are made first; their contracts are then
 * written in the order they start, as a live database numbers them, so
 * contracts ending on the same day sit near each other in the table.
 */
function seedDueForRenewal(ctx: SeedContext, count: number, seed: number): Owner[] {
  if (count <= 0) return [];
  const random = new Random(seed + 2);
  const today = todayIn('UTC', ctx.now);
  const owners = DUE_SET_OWNERS.map((o) => seedOwner(ctx.writer, o, today, ctx.nowIso));
  const dueCtx: SeedContext = { ...ctx, random, owners };
  const planned: Array<{ owner: Owner; customer: CustomerRef; profile: ProfileDef; end: string; start: string }> = [];
  for (let c = 0; planned.length < count; c++) {
    const owner = owners[c % owners.length]!;
    const customer = newCustomer(dueCtx, owner);
    const contracts = Math.min(count - planned.length, random.int(5, 15));
    for (let i = 0; i < contracts; i++) {
      const profile = pickProfile(random, 'due', DUE_SET_PROFILES);
      const end = ctx.calendar.addDays(today, -random.int(1, 20));
      planned.push({ owner, customer, profile, end, start: ctx.calendar.addDays(ctx.calendar.addMonths(end, -profile.term), 1) });
    }
  }
  // stable: a customer's contracts starting on the same day stay together
  planned.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (const p of planned) {
    addContract(dueCtx, p.owner, p.customer, 'due', { profile: p.profile, end: p.end });
    ctx.writer.checkpoint();
  }
  return owners;
}

export async function buildDataset(options: DatasetOptions): Promise<DatasetSummary> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const today = options.today ?? todayIn('UTC');
  const progress = options.progress ?? (() => {});
  const path = options.url.replace(/^file:/, '');
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) rmSync(file);

  const database = openLocalDatabase(options.url);
  await migrateDatabase(database);
  await database.close();

  const client = openLocalClient(options.url);
  client.pragma('synchronous = OFF');
  client.pragma('cache_size = -262144');
  const writer = new Writer(client);
  const random = new Random(seed);
  const calendar = new Calendar();
  const reference = Date.parse(`${today}T12:00:00.000Z`);
  const nowIso = new Date(reference).toISOString();

  const owners = OWNERS.map((o) => seedOwner(writer, o, todayIn(o.timezone, reference), nowIso));
  const ctx: SeedContext = { writer, random, calendar, owners, nowIso, now: reference, url: options.url };
  const states: Record<ContractState, number> = { active: 0, renewed: 0, pending: 0, due: 0, expired: 0, terminated: 0 };

  let nextReport = 0;
  for (let c = 0; (writer.rows.customer_contracts ?? 0) < options.contracts; c++) {
    const owner = owners[c % owners.length]!;
    const room = options.contracts - (writer.rows.customer_contracts ?? 0);
    addCustomer(ctx, owner, Math.min(room, random.int(5, 15)), states);
    writer.checkpoint();
    if ((writer.rows.customer_contracts ?? 0) >= nextReport) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      progress(`seed: ${(writer.rows.customer_contracts ?? 0).toLocaleString('en')} / ${options.contracts.toLocaleString('en')} contracts (${seconds} s)`);
      nextReport += 25_000;
    }
  }
  progress(`seed: pricing (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await seedPricing(ctx, seed);
  const dueForRenewal = options.dueForRenewal ?? 0;
  if (dueForRenewal > 0) progress(`seed: ${dueForRenewal.toLocaleString('en')} contracts due for renewal (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const dueOwners = seedDueForRenewal(ctx, dueForRenewal, seed);
  writer.commit();

  const violations = client.prepare('pragma foreign_key_check').all();
  if (violations.length > 0) throw new Error(`seed: ${violations.length} foreign key violations, e.g. ${JSON.stringify(violations[0])}`);
  const rows = tableRows(client);
  client.pragma('wal_checkpoint(TRUNCATE)');
  client.close();

  return {
    version: DATASET_VERSION,
    schema: schemaFingerprint(),
    seed,
    today,
    contracts: options.contracts,
    dueForRenewal,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rows,
    states,
    rollover: { ownerIds: dueOwners.map((o) => o.id), contracts: dueForRenewal },
  };
}

/** Rows of every table that has any, by name. */
function tableRows(client: LocalClient): Record<string, number> {
  const rows: Record<string, number> = {};
  const tables = client.prepare(`select name from sqlite_master where type = 'table' order by name`).raw().all() as string[][];
  for (const [name] of tables.filter(([n]) => !n!.startsWith('sqlite_') && !n!.startsWith('__'))) {
    const [n] = client.prepare(`select count(*) from "${name}"`).raw().get() as [number];
    if (n > 0) rows[name!] = n;
  }
  return rows;
}

function seedOwner(writer: Writer, def: { name: string; timezone: string; currency: string }, today: string, nowIso: string): Owner {
  const audit = [nowIso, nowIso, SEED_ACTOR, SEED_ACTOR, 1];
  const id = writer.insert(
    'contract_owners',
    ['name', 'currency_code', 'timezone', 'available_from', 'available_to', ...AUDIT],
    [def.name, def.currency, def.timezone, '2015-01-01', null, ...audit],
  );
  const profiles = new Map<string, number>();
  for (const p of PROFILES) {
    const profileId = writer.nextId('contract_profiles');
    const rolloverId = p.rollover === null ? null : p.rollover === p.key ? profileId : profiles.get(p.rollover)!;
    writer.insert(
      'contract_profiles',
      ['contract_owner_id', 'name', 'contract_term', 'early_termination_fixed_charge', 'early_termination_percentage_charge',
        'rollover_contract_profile_id', 'renewal_alert_days', 'notice_period_days', 'superseded_by_contract_profile_id',
        'version_number', ...AUDIT],
      [id, p.name, p.term, majorToMicros(p.etcFixed), p.etcPercent, rolloverId, p.alert, p.notice, null, 1, ...audit],
    );
    profiles.set(p.key, profileId);
  }
  const products: number[] = [];
  const categories = new Map<string, number>();
  const productCategory = new Map<number, number>();
  for (const [category, names] of Object.entries(CATALOGUE)) {
    const categoryId = writer.insert(
      'rental_product_categories',
      ['contract_owner_id', 'name', 'start_date', 'end_date', ...AUDIT],
      [id, category, '2015-01-01', null, ...audit],
    );
    categories.set(category, categoryId);
    for (const name of names) {
      const productId = writer.insert(
        'rental_products',
        ['contract_owner_id', 'rental_product_category_id', 'name', 'invoice_presentation_name', 'product_type',
          'available_from', 'available_to', ...AUDIT],
        [id, categoryId, name, name, 'PRODUCT', '2015-01-01', null, ...audit],
      );
      products.push(productId);
      productCategory.set(productId, categoryId);
    }
  }
  return { id, currency: def.currency, today, profiles, products, categories, productCategory, customers: 0, customerList: [] };
}

function instant(date: string, minute: number): string {
  const hh = String(8 + Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${date}T${hh}:${mm}:00.000Z`;
}

/** A customer with 1–3 sites and `count` contract rows (a renewed pair counts two) in random states. */
function addCustomer(ctx: SeedContext, owner: Owner, count: number, states: Record<ContractState, number>): void {
  const customer = newCustomer(ctx, owner);
  let rows = 0;
  while (rows < count) {
    let state = ctx.random.weighted(STATES);
    if (state === 'renewed' && count - rows < 2) state = 'active';
    rows += addContract(ctx, owner, customer, state);
    states[state] += state === 'renewed' ? 2 : 1;
  }
}

/** A customer with 1–3 sites. */
function newCustomer(ctx: SeedContext, owner: Owner): CustomerRef {
  const { writer, random } = ctx;
  owner.customers += 1;
  const customerName = `${random.pick(WORDS_A)} ${random.pick(WORDS_B)} ${random.pick(WORDS_C)}`;
  const slug = customerName.toLowerCase().replace(/[^a-z]+/g, '-');
  const email = `accounts@${slug}${owner.customers}.example`;
  const customerStart = ctx.calendar.addDays('2016-01-01', random.int(0, 2500));
  const customerId = writer.insert(
    'customers',
    ['contract_owner_id', 'customer_name', 'customer_account_number', 'customer_type', 'external_ref', 'start_date',
      'end_date', 'email', 'language', ...AUDIT],
    [owner.id, customerName, `A${owner.id}-${String(owner.customers).padStart(6, '0')}`, random.chance(0.85) ? 'BUSINESS' : 'RESIDENTIAL',
      random.chance(0.5) ? `CRM-${owner.customers}` : null, customerStart, null, email, 'en',
      `${customerStart}T09:00:00.000Z`, `${customerStart}T09:00:00.000Z`, SEED_ACTOR, SEED_ACTOR, 1],
  );
  const sites: Site[] = [];
  const siteCount = random.int(1, 3);
  for (let s = 0; s < siteCount; s++) {
    sites.push({
      id: writer.insert(
        'sites',
        ['contract_owner_id', 'customer_id', 'site_name', 'site_reference', ...AUDIT],
        [owner.id, customerId, `${random.pick(PLACES)} ${s + 1}`, `S${customerId}-${s + 1}`,
          `${customerStart}T09:00:00.000Z`, `${customerStart}T09:00:00.000Z`, SEED_ACTOR, SEED_ACTOR, 1],
      ),
    });
  }

  owner.customerList.push({ id: customerId, startDate: customerStart, sites: sites.map((s) => s.id) });
  return { id: customerId, name: customerName, email, sites };
}

interface CustomerRef {
  id: number;
  name: string;
  email: string;
  sites: Site[];
}

/** One contract in `state` (a renewed one as predecessor and current renewal), its RPIs and assignments. */
function addContract(ctx: SeedContext, owner: Owner, customer: CustomerRef, state: ContractState, due?: { profile: ProfileDef; end: string }): number {
  const { random, calendar } = ctx;
  const today = owner.today;
  let profile = due?.profile ?? pickProfile(random, state);
  const profileId = owner.profiles.get(profile.key)!;
  const siteId = random.chance(0.6) ? random.pick(customer.sites).id : null;

  // the chain anchor: chosen so the (last) contract of the chain is in the wanted state
  let anchor: string;
  let predecessor: ProfileDef | null = null;
  if (state === 'renewed') {
    predecessor = profile;
    profile = PROFILES.find((p) => p.key === predecessor!.rollover)!;
    // the renewal covers today: anchor in (today − (Tp + Tr) months, today − Tp months]
    const lo = calendar.addDays(calendar.addMonths(today, -(predecessor.term + profile.term)), 1);
    const hi = calendar.addMonths(today, -predecessor.term);
    anchor = calendar.addDays(lo, random.int(0, Math.max(0, calendar.daysBetween(lo, hi))));
  } else if (state === 'pending') {
    anchor = calendar.addDays(today, random.int(1, 90));
  } else if (state === 'due') {
    // ended within the last 20 days, not renewed yet (the rollover job has not run)
    const end = due?.end ?? calendar.addDays(today, -random.int(1, 20));
    anchor = calendar.addDays(calendar.addMonths(end, -profile.term), 1);
  } else if (state === 'expired') {
    const end = calendar.addDays(today, -random.int(1, 400));
    anchor = calendar.addDays(calendar.addMonths(end, -profile.term), 1);
  } else {
    // active or terminated: today falls within the term, spread evenly over it
    const lo = calendar.addDays(calendar.addMonths(today, -profile.term), 1);
    anchor = calendar.addDays(lo, random.int(0, calendar.daysBetween(lo, today)));
  }

  // a renewal carries the name over, so the chain keeps the first profile's name
  const name = generatedContractName(customer.name, (predecessor ?? profile).name);
  const base = contractValues(ctx, owner, customer, siteId, anchor, state, name);
  let rows = 1;
  let previousId: number | null = null;
  const signedAt = base.createdDate;
  if (predecessor !== null) {
    const predEnd = calendar.endDate(anchor, 0, predecessor.term);
    const renewalStart = calendar.addDays(predEnd, 1);
    const renewedAt = instant(renewalStart, 5);
    const predId = ctx.writer.nextId('customer_contracts');
    insertContract(ctx, {
      ...base,
      id: predId,
      profileId: owner.profiles.get(predecessor.key)!,
      startDate: anchor,
      endDate: predEnd,
      termEndDate: predEnd,
      rolloverProfileId: owner.profiles.get(predecessor.rollover!)!,
      renewalAlertDays: predecessor.alert,
      noticePeriodDays: predecessor.notice,
      // set once the renewal exists (foreign keys are checked per statement)
      renewedId: null,
      anchorDate: anchor,
      monthsFromAnchor: 0,
      // as the rollover leaves a renewed contract: nothing left for the job to do
      settled: 1,
      updatedDate: renewedAt,
      updatedBy: ROLLOVER_ACTOR,
      version: 2,
    });
    previousId = predId;
    rows += 1;
    base.startDate = renewalStart;
    base.signedDate = null;
    base.createdDate = renewedAt;
    base.updatedDate = renewedAt;
    base.createdBy = ROLLOVER_ACTOR;
    base.updatedBy = ROLLOVER_ACTOR;
  }

  const monthsFromAnchor = predecessor?.term ?? 0;
  const termEnd = calendar.endDate(anchor, monthsFromAnchor, profile.term);
  const rolloverId = profile.rollover === null || state === 'expired' ? null : owner.profiles.get(profile.rollover)!;
  const contract: ContractRow = {
    ...base,
    id: ctx.writer.nextId('customer_contracts'),
    profileId: predecessor ? owner.profiles.get(profile.key)! : profileId,
    endDate: termEnd,
    termEndDate: termEnd,
    rolloverProfileId: rolloverId,
    renewalAlertDays: random.chance(0.1) ? 14 : profile.alert,
    noticePeriodDays: profile.notice,
    previousId,
    anchorDate: anchor,
    monthsFromAnchor,
  };
  if (state === 'terminated') {
    // ended early some days ago: endDate moved back, ETC charged (the profile's fixed part)
    const ran = calendar.daysBetween(contract.startDate, today);
    const end = calendar.addDays(contract.startDate, Math.max(0, ran - random.int(1, Math.max(1, Math.min(ran, 60)))));
    contract.endDate = end < today ? end : calendar.addDays(today, -1);
    if (contract.endDate < contract.startDate) contract.endDate = contract.startDate;
    contract.terminationDate = contract.endDate;
    contract.terminationType = 'EARLY';
    contract.earlyTerminationCharge = majorToMicros(profile.etcFixed);
    contract.terminationReason = 'Moved to another provider';
    const terminatedAt = instant(contract.endDate, 120);
    if (terminatedAt > contract.updatedDate) contract.updatedDate = terminatedAt;
    contract.version = 2;
  }
  // the data is as if the job last ran 20 days ago: contracts that ended before then without a renewal are settled
  if ((state === 'expired' || state === 'terminated') && contract.endDate < calendar.addDays(today, -20)) contract.settled = 1;
  insertContract(ctx, contract);
  if (previousId !== null) {
    ctx.writer.run('update customer_contracts set renewed_customer_contract_id = ? where id = ?', [contract.id, previousId]);
  }

  // two RPIs at the contract's site (or one of the customer's), assigned to the current contract;
  // a renewed predecessor keeps its assignments, deactivated by the rollover
  const ended = state === 'expired' || state === 'terminated';
  for (let i = 0; i < 2; i++) {
    const rpiSite = siteId ?? random.pick(customer.sites).id;
    const rpiId = ctx.writer.insert(
      'rental_product_inventories',
      ['contract_owner_id', 'customer_id', 'site_id', 'rental_product_id', 'quantity', 'start_date', 'end_date', 'label',
        'product_reference', ...AUDIT],
      [owner.id, customer.id, rpiSite, random.pick(owner.products), random.int(1, 10), anchor, ended ? contract.endDate : null,
        null, `RPI-${ctx.writer.nextId('rental_product_inventories')}`, signedAt, signedAt, SEED_ACTOR, SEED_ACTOR, 1],
    );
    if (previousId !== null) {
      ctx.writer.insert(
        'customer_contract_assignments',
        ['contract_owner_id', 'customer_id', 'customer_contract_id', 'rental_product_inventory_id', 'active', ...AUDIT],
        [owner.id, customer.id, previousId, rpiId, 0, signedAt, contract.createdDate, SEED_ACTOR, ROLLOVER_ACTOR, 2],
      );
    }
    ctx.writer.insert(
      'customer_contract_assignments',
      ['contract_owner_id', 'customer_id', 'customer_contract_id', 'rental_product_inventory_id', 'active', ...AUDIT],
      [owner.id, customer.id, contract.id, rpiId, 1, contract.createdDate, contract.createdDate, contract.createdBy, contract.createdBy, 1],
    );
  }
  return rows;
}

function pickProfile(random: Random, state: ContractState, profiles: readonly ProfileDef[] = PROFILES): ProfileDef {
  const candidates = state === 'renewed' || state === 'due' ? profiles.filter((p) => p.rollover !== null) : profiles;
  return random.weighted(candidates.map((p) => [p, p.weight] as const));
}

/** The fields a contract and its renewal share (carried over on rollover), and the first contract's audit. */
function contractValues(
  ctx: SeedContext,
  owner: Owner,
  customer: CustomerRef,
  siteId: number | null,
  anchor: string,
  state: ContractState,
  name: string,
) {
  const { random, calendar } = ctx;
  const id = ctx.writer.nextId('customer_contracts');
  let signed = calendar.addDays(anchor, -random.int(1, 30));
  if (signed > owner.today) signed = owner.today;
  const created = instant(signed, random.int(0, 480));
  return {
    ownerId: owner.id,
    name,
    customerId: customer.id,
    siteId,
    startDate: anchor,
    previousId: null as number | null,
    renewedId: null as number | null,
    terminationDate: null as string | null,
    terminationType: null as 'EARLY' | null,
    earlyTerminationCharge: null as number | null,
    terminationReason: null as string | null,
    contractNumber: random.chance(0.7) ? `C-${anchor.slice(0, 4)}-${String(id).padStart(7, '0')}` : null,
    value: random.chance(0.6) ? majorToMicros(random.int(2, 400) * 30) : null,
    notes: random.chance(0.1) ? 'Installed by partner; check access hours before a visit.' : null,
    email: random.chance(0.4) ? customer.email : null,
    signedDate: signed as string | null,
    // unique per owner: only contracts that are not part of a renewal chain carry one
    externalRef: state !== 'renewed' && random.chance(0.3) ? `SF-${owner.id}-${id}` : null,
    properties: random.chance(0.2) ? JSON.stringify({ salesChannel: random.pick(SALES_CHANNELS) }) : null,
    settled: 0 as 0 | 1,
    createdDate: created,
    updatedDate: created,
    createdBy: SEED_ACTOR,
    updatedBy: SEED_ACTOR,
    version: 1,
  };
}

function insertContract(ctx: SeedContext, c: ContractRow): void {
  const id = ctx.writer.insert('customer_contracts', CONTRACT_COLUMNS, [
    c.ownerId, c.name, c.customerId, c.siteId, c.profileId, c.startDate, c.endDate, c.startDate, c.rolloverProfileId,
    c.renewalAlertDays, c.noticePeriodDays, c.previousId, c.renewedId, c.anchorDate, c.monthsFromAnchor, c.termEndDate,
    c.terminationDate, c.terminationType, c.earlyTerminationCharge, c.terminationReason, c.contractNumber, c.value, c.notes,
    c.email, c.signedDate, c.externalRef, c.properties, c.settled, c.createdDate, c.updatedDate, c.createdBy, c.updatedBy, c.version,
  ]);
  if (id !== c.id) throw new Error(`seed: contract id ${id} where ${c.id} was planned`);
}

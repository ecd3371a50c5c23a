/**
 * What the load generator needs to make realistic requests against a seeded
 * database: ids to pick from, and a token per contract owner (each request
 * acts as the owner of the object it touches, as an integration would).
 * Read once from the working copy before the servers start. The owners of the
 * due-for-renewal set (R1) are left out of every list: only R1 touches them.
 */
import { parseConfig } from '../../src/config';
import { openLocalClient } from '../../src/db/node';
import { signToken } from '../../src/http/auth';
import { CHARGE_GROUPS, MARKUP_GROUPS, type UsageKind } from './pricing-seed';

/** A charge group to post usage for, with its share of the records. */
export interface UsageGroup {
  id: number;
  weight: number;
  /** MARKUP-rated: records carry a cost */
  markup: boolean;
}

export interface Fixtures {
  /** owner id → bearer token (scopes contracts:* and pricing:*, that owner only) */
  tokens: Record<string, string>;
  /** the owners the load scenarios act for (not the due-for-renewal set's) */
  ownerIds: number[];
  /** every customer contract (S1) */
  contracts: { ids: number[]; owners: number[] };
  /** customers with their sites (S2, S4) */
  customers: { ids: number[]; owners: number[]; sites: number[][] };
  /** owner id → current contract profile ids (S4) */
  profiles: Record<string, number[]>;
  /** current contracts, whose noticePeriodDays may change (S5) */
  editable: { ids: number[]; owners: number[]; noticePeriodDays: number[] };
  /** usage (U1): by owner, the UPIs of each kind and the charge groups to post for them */
  usage: { owners: number[]; upis: Record<string, Record<UsageKind, number[]>>; groups: Record<string, Record<UsageKind, UsageGroup[]>> };
  /** the due-for-renewal set (R1): its owners, a token for them that may run the job, and its size */
  rollover: { ownerIds: number[]; token: string; contracts: number };
  /** the UTC date the fixtures were read */
  today: string;
}

export async function readFixtures(
  url: string,
  jwtSecret: string,
  today: string,
  rollover: { ownerIds: readonly number[]; contracts: number } = { ownerIds: [], contracts: 0 },
): Promise<Fixtures> {
  const db = openLocalClient(url);
  try {
    const config = parseConfig({ JWT_SECRET: jwtSecret, TENOR_ENV: 'production' });
    const ttlSeconds = 6 * 3600;
    const excluded = new Set(rollover.ownerIds);
    const mine = (owner: number | undefined) => !excluded.has(owner!);
    const ownerIds = (db.prepare('select id from contract_owners order by id').raw().all() as number[][]).map((r) => r[0]!).filter(mine);
    const tokens: Record<string, string> = {};
    for (const id of ownerIds) {
      tokens[id] = (await signToken(config, { sub: `bench-owner-${id}`, scope: 'contracts:* pricing:*', owners: [id], ttlSeconds }))!;
    }
    const rolloverToken = (await signToken(config, { sub: 'bench-rollover', scope: 'admin:write contracts:read', owners: [...rollover.ownerIds], ttlSeconds }))!;

    const contracts = { ids: [] as number[], owners: [] as number[] };
    for (const [id, owner] of db.prepare('select id, contract_owner_id from customer_contracts order by id').raw().all() as number[][]) {
      if (!mine(owner)) continue;
      contracts.ids.push(id!);
      contracts.owners.push(owner!);
    }

    const sitesByCustomer = new Map<number, number[]>();
    for (const [site, customer] of db.prepare('select id, customer_id from sites order by id').raw().all() as number[][]) {
      const list = sitesByCustomer.get(customer!) ?? [];
      list.push(site!);
      sitesByCustomer.set(customer!, list);
    }
    const customers = { ids: [] as number[], owners: [] as number[], sites: [] as number[][] };
    for (const [id, owner] of db.prepare('select id, contract_owner_id from customers order by id').raw().all() as number[][]) {
      if (!mine(owner)) continue;
      customers.ids.push(id!);
      customers.owners.push(owner!);
      customers.sites.push(sitesByCustomer.get(id!) ?? []);
    }

    const profiles: Record<string, number[]> = {};
    const current = 'select id, contract_owner_id from contract_profiles where superseded_by_contract_profile_id is null order by id';
    for (const [id, owner] of db.prepare(current).raw().all() as number[][]) if (mine(owner)) (profiles[owner!] ??= []).push(id!);

    const editable = { ids: [] as number[], owners: [] as number[], noticePeriodDays: [] as number[] };
    const open = `select id, contract_owner_id, notice_period_days from customer_contracts
      where renewed_customer_contract_id is null and termination_date is null order by id`;
    for (const [id, owner, notice] of db.prepare(open).raw().all() as number[][]) {
      if (!mine(owner)) continue;
      editable.ids.push(id!);
      editable.owners.push(owner!);
      editable.noticePeriodDays.push(notice!);
    }

    // usage: UPIs by owner and kind (calls in seconds, data in megabytes), charge groups by their seeded names
    const kindOf = (unit: string): UsageKind => (unit === 'MEGABYTE' ? 'data' : 'voice');
    const usage: Fixtures['usage'] = { owners: [], upis: {}, groups: {} };
    const upiRows = db
      .prepare('select u.id, u.contract_owner_id, p.charging_unit from usage_product_inventories u join usage_products p on p.id = u.usage_product_id order by u.id')
      .raw()
      .all() as Array<[number, number, string]>;
    for (const [id, owner, unit] of upiRows) {
      if (!mine(owner)) continue;
      (usage.upis[owner] ??= { voice: [], data: [] })[kindOf(unit)].push(id);
    }
    const byName = new Map<string, (typeof CHARGE_GROUPS)[number]>(CHARGE_GROUPS.map((g) => [g.name, g]));
    for (const [id, owner, name] of db.prepare('select id, contract_owner_id, name from charge_groups order by id').raw().all() as Array<[number, number, string]>) {
      const def = byName.get(name);
      if (!def || !mine(owner)) continue;
      (usage.groups[owner] ??= { voice: [], data: [] })[def.kind].push({ id, weight: def.weight, markup: MARKUP_GROUPS.has(def.key) });
    }
    usage.owners = ownerIds.filter((o) => usage.upis[o] && usage.groups[o]);

    return {
      tokens,
      ownerIds,
      contracts,
      customers,
      profiles,
      editable,
      usage,
      rollover: { ownerIds: [...rollover.ownerIds], token: rolloverToken, contracts: rollover.contracts },
      today,
    };
  } finally {
    db.close();
  }
}

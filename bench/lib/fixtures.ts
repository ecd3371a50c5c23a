/**
 * What the load generator needs to make realistic requests against a seeded
 * database: ids to pick from, and a token per contract owner (each request
 * acts as the owner of the object it touches, as an integration would).
 * Read once from the working copy before the servers start.
 */
import { parseConfig } from '../../src/config';
import { openLocalClient } from '../../src/db/node';
import { signToken } from '../../src/http/auth';

export interface Fixtures {
  /** owner id → bearer token (scope contracts:*, that owner only) */
  tokens: Record<string, string>;
  ownerIds: number[];
  /** every customer contract (S1) */
  contracts: { ids: number[]; owners: number[] };
  /** customers with their sites (S2, S4) */
  customers: { ids: number[]; owners: number[]; sites: number[][] };
  /** owner id → current contract profile ids (S4) */
  profiles: Record<string, number[]>;
  /** current contracts, whose noticePeriodDays may change (S5) */
  editable: { ids: number[]; owners: number[]; noticePeriodDays: number[] };
  /** the UTC date the fixtures were read */
  today: string;
}

export async function readFixtures(url: string, jwtSecret: string, today: string): Promise<Fixtures> {
  const db = openLocalClient(url);
  try {
    const config = parseConfig({ JWT_SECRET: jwtSecret, TENOR_ENV: 'production' });
    const ownerIds = (db.prepare('select id from contract_owners order by id').raw().all() as number[][]).map((r) => r[0]!);
    const tokens: Record<string, string> = {};
    for (const id of ownerIds) {
      tokens[id] = (await signToken(config, { sub: `bench-owner-${id}`, scope: 'contracts:*', owners: [id], ttlSeconds: 6 * 3600 }))!;
    }

    const contracts = { ids: [] as number[], owners: [] as number[] };
    for (const [id, owner] of db.prepare('select id, contract_owner_id from customer_contracts order by id').raw().all() as number[][]) {
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
      customers.ids.push(id!);
      customers.owners.push(owner!);
      customers.sites.push(sitesByCustomer.get(id!) ?? []);
    }

    const profiles: Record<string, number[]> = {};
    const current = 'select id, contract_owner_id from contract_profiles where superseded_by_contract_profile_id is null order by id';
    for (const [id, owner] of db.prepare(current).raw().all() as number[][]) (profiles[owner!] ??= []).push(id!);

    const editable = { ids: [] as number[], owners: [] as number[], noticePeriodDays: [] as number[] };
    const open = `select id, contract_owner_id, notice_period_days from customer_contracts
      where renewed_customer_contract_id is null and termination_date is null order by id`;
    for (const [id, owner, notice] of db.prepare(open).raw().all() as number[][]) {
      editable.ids.push(id!);
      editable.owners.push(owner!);
      editable.noticePeriodDays.push(notice!);
    }
    return { tokens, ownerIds, contracts, customers, profiles, editable, today };
  } finally {
    db.close();
  }
}

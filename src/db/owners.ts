/**
 * Contract owners' time zone and currency, needed on almost every request
 * ("today" is the owner's date; money is the owner's currency). Cached per
 * process/isolate for a minute and dropped when an owner changes here.
 */
import { todayIn } from '../domain/dates';
import { type Db, inList } from './client';
import { contractOwners } from './schema';

export interface OwnerInfo {
  id: number;
  timezone: string;
  currencyCode: string;
}

const TTL_MS = 60_000;

export class OwnerDirectory {
  private readonly entries = new Map<number, { info: OwnerInfo; loadedAt: number }>();

  constructor(private readonly db: Db) {}

  async load(ids: Iterable<number>, now = Date.now()): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => {
      const e = this.entries.get(id);
      return !e || now - e.loadedAt > TTL_MS;
    });
    if (missing.length === 0) return;
    const rows = await this.db
      .select({ id: contractOwners.id, timezone: contractOwners.timezone, currencyCode: contractOwners.currencyCode })
      .from(contractOwners)
      .where(inList(contractOwners.id, missing));
    for (const info of rows) this.entries.set(info.id, { info, loadedAt: now });
  }

  async get(id: number): Promise<OwnerInfo | undefined> {
    await this.load([id]);
    return this.entries.get(id)?.info;
  }

  /** Synchronous lookup after `load`; throws if the owner was not loaded (a programming error). */
  info(id: number): OwnerInfo {
    const e = this.entries.get(id);
    if (!e) throw new Error(`owner ${id} not loaded`);
    return e.info;
  }

  /** The owner's calendar date at `now`. */
  today(id: number, now: number): string {
    return todayIn(this.info(id).timezone, now);
  }

  private everyone: { infos: OwnerInfo[]; loadedAt: number } | undefined;

  /** Every owner (for callers acting for all owners, and the jobs); cached like single entries. */
  async all(now = Date.now()): Promise<OwnerInfo[]> {
    if (this.everyone && now - this.everyone.loadedAt <= TTL_MS) return this.everyone.infos;
    const infos = await this.db
      .select({ id: contractOwners.id, timezone: contractOwners.timezone, currencyCode: contractOwners.currencyCode })
      .from(contractOwners);
    for (const info of infos) this.entries.set(info.id, { info, loadedAt: now });
    this.everyone = { infos, loadedAt: now };
    return infos;
  }

  /** The owners a tenant acts for, loaded. */
  async forTenant(owners: readonly number[] | '*', now = Date.now()): Promise<OwnerInfo[]> {
    if (owners === '*') return this.all(now);
    await this.load(owners, now);
    return owners.map((id) => this.entries.get(id)?.info).filter((i): i is OwnerInfo => i !== undefined);
  }

  forget(id: number): void {
    this.entries.delete(id);
    this.everyone = undefined;
  }
}

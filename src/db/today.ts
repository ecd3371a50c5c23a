/**
 * "Today" is the owner's calendar date, so a query over several owners compares
 * each row with its own owner's today. Owners are grouped by their current date
 * (at most a few groups, since zones span about a day), giving a compact SQL
 * expression; the common single-group case is a plain bound value.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Ctx } from './context';
import { todayIn } from '../domain/dates';
import { inJsonList } from './client';

export interface OwnerToday {
  /** the per-row "today" as SQL */
  expr: SQL;
  /** earliest and latest today over the owners (for index-friendly range bounds) */
  min: string;
  max: string;
}

export async function ownerToday(ctx: Ctx, ownerColumn: SQLiteColumn | SQL): Promise<OwnerToday> {
  const owners = await ctx.deps.owners.forTenant(ctx.tenant.owners, ctx.now);
  const groups = new Map<string, number[]>();
  for (const o of owners) {
    const day = todayIn(o.timezone, ctx.now);
    const ids = groups.get(day);
    if (ids) ids.push(o.id);
    else groups.set(day, [o.id]);
  }
  const days = [...groups.keys()].sort();
  if (days.length === 0) {
    const utc = todayIn('UTC', ctx.now);
    return { expr: sql`${utc}`, min: utc, max: utc };
  }
  if (days.length === 1) return { expr: sql`${days[0]}`, min: days[0]!, max: days[0]! };
  // the largest group is the ELSE branch, so only the others are listed; filters repeat the
  // expression, so each group binds one value however many owners it holds
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const [fallback, ...rest] = ordered;
  const whens = rest.map(([day, ids]) => sql`when ${inJsonList(ownerColumn, ids)} then ${day}`);
  return { expr: sql`(case ${sql.join(whens, sql` `)} else ${fallback![0]} end)`, min: days[0]!, max: days[days.length - 1]! };
}

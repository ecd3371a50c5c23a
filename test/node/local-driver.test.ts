import { asc, gte, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { analyzeDatabase, migrateDatabase, openLocalDatabase } from '../../src/db/node';
import { contractOwners } from '../../src/db/schema';

async function freshDatabase() {
  const database = openLocalDatabase(':memory:');
  await migrateDatabase(database);
  await database.db.insert(contractOwners).values([
    { name: 'A', availableFrom: '2020-01-01', createdDate: 'x', updatedDate: 'x' },
    { name: 'B', availableFrom: '2020-01-01', createdDate: 'x', updatedDate: 'x' },
  ]);
  return database;
}

describe('the local driver', () => {
  it('analyzeDatabase records statistics for the tables that hold rows', async () => {
    const database = await freshDatabase();
    await analyzeDatabase(database);
    const stats = (await database.db.all(sql`select tbl from sqlite_stat1`)) as Array<{ tbl: string }>;
    expect(stats.map((s) => s.tbl)).toContain('contract_owners');
    await database.close();
  });

  it('runs a cached statement again with new parameters, whichever call used it before', async () => {
    const database = await freshDatabase();
    const from = (id: number) => database.db.select().from(contractOwners).where(gte(contractOwners.id, id)).orderBy(asc(contractOwners.id));
    expect((await from(2)).map((o) => o.name)).toEqual(['B']);
    expect((await from(1).get())?.name).toBe('A');
    expect((await database.db.all(sql`select name from contract_owners where id >= ${2} order by id`)) as unknown[]).toEqual([{ name: 'B' }]);
    expect((await from(1)).map((o) => o.name)).toEqual(['A', 'B']);
    expect((await from(2).get())?.name).toBe('B');
    await database.close();
  });
});

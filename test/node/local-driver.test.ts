import { sql } from 'drizzle-orm';
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

describe('the local driver’s statement cache', () => {
  it('gives each caller its own row mode when one SQL text is run as arrays and as objects', async () => {
    const database = await freshDatabase();
    const query = database.db.select({ id: contractOwners.id, name: contractOwners.name }).from(contractOwners).orderBy(contractOwners.id);
    const text = query.toSQL().sql;
    for (let round = 0; round < 3; round++) {
      // the builder maps array rows to its fields; raw SQL of the same text gets driver objects
      expect(await query).toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'B' },
      ]);
      const objects = (await database.db.all(sql.raw(text))) as Array<Record<string, unknown>>;
      expect(objects.map((o) => [o.id, o.name])).toEqual([
        [1, 'A'],
        [2, 'B'],
      ]);
    }
    await database.close();
  });

  it('sees rows written after a statement was first prepared', async () => {
    const database = await freshDatabase();
    const count = () => database.db.select({ id: contractOwners.id }).from(contractOwners);
    expect(await count()).toHaveLength(2);
    await database.db.insert(contractOwners).values({ name: 'C', availableFrom: '2020-01-01', createdDate: 'x', updatedDate: 'x' });
    expect(await count()).toHaveLength(3);
    await database.close();
  });
});

describe('planner statistics', () => {
  it('analyzeDatabase records statistics for the tables that hold rows', async () => {
    const database = await freshDatabase();
    await analyzeDatabase(database);
    const stats = (await database.db.all(sql`select tbl from sqlite_stat1`)) as Array<{ tbl: string }>;
    expect(stats.map((s) => s.tbl)).toContain('contract_owners');
    await database.close();
  });
});

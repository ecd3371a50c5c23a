/**
 * `like:` is "contains, case-insensitive for every script" (conventions.md §Lists):
 * Unicode case folding on both runtimes, not SQLite's ASCII-only lower().
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, type Owner } from '../helpers/harness';

let h: Harness;
let owner: Owner;
const NAMES = ['Ärger GmbH', 'ÉCOLE Dupont', 'ΟΔΟΣ Ltd', 'Straße & Co', 'plain ascii', 'Кирилл и сыновья', '100% _Under'];

beforeAll(async () => {
  h = await harness();
  owner = await h.newOwner();
  for (const customerName of NAMES) await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName });
});

async function names(needle: string): Promise<string[]> {
  const res = await owner.api.get('/v1/customers', { customerName: `like:${needle}`, sort: 'id' });
  expect(res.status, res.text).toBe(200);
  return res.body.map((c: any) => c.customerName);
}

describe('like: folds case in every script', () => {
  const cases: Array<[string, string[]]> = [
    ['ärger', ['Ärger GmbH']],
    ['ÄRGER', ['Ärger GmbH']],
    ['école', ['ÉCOLE Dupont']],
    ['οδος', ['ΟΔΟΣ Ltd']],
    ['οδοσ', ['ΟΔΟΣ Ltd']],
    ['ΟΔΟς', ['ΟΔΟΣ Ltd']],
    ['STRASSE', []],
    ['STRAẞE', ['Straße & Co']],
    ['кирилл', ['Кирилл и сыновья']],
    ['И СЫНОВЬЯ', ['Кирилл и сыновья']],
    ['PLAIN', ['plain ascii']],
    ['0% _u', ['100% _Under']],
    ['%', ['100% _Under']],
    ['_', ['100% _Under']],
    ['gmbh', ['Ärger GmbH']],
  ];
  for (const [needle, expected] of cases) {
    it(`like:${needle}`, async () => {
      expect(await names(needle)).toEqual(expected);
    });
  }
});

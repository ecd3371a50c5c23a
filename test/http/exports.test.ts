/**
 * List exports on both runtimes: `Accept: text/csv` or `application/x-ndjson` on a
 * list streams every matching row (not one page) in the list's sort, with its
 * filters, `fields` and tenancy, read in keyset chunks; anything else it cannot
 * produce is a 406.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { D1_EXPORT_CHUNK, EXPORT_CHUNK } from '../../src/http/export';
import { csvValue, parseCsv, parseNdjson } from '../helpers/csv';
import * as f from '../helpers/factories';
import { type ApiResponse, type Client, expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const CSV = { accept: 'text/csv' };
const NDJSON = { accept: 'application/x-ndjson' };

/** Customers written straight to the table (an API call each would take minutes on the Worker). */
async function addCustomers(owner: Owner, rows: Array<{ name: string; endDate: string | null; account?: string | null }>) {
  const now = new Date().toISOString();
  for (let i = 0; i < rows.length; i += 500) {
    const json = JSON.stringify(rows.slice(i, i + 500).map((r) => ({ n: r.name, e: r.endDate, a: r.account ?? null })));
    await h.runtime.deps.database.db.run(sql`insert into customers
      (contract_owner_id, customer_name, customer_account_number, customer_type, end_date, created_date, updated_date, version)
      select ${owner.id}, json_extract(value, '$.n'), json_extract(value, '$.a'), 'BUSINESS', json_extract(value, '$.e'), ${now}, ${now}, 1
      from json_each(${json})`);
  }
}

/** Every item of a JSON list, page by page (1,000 a page). */
async function allPages(api: Client, path: string, query: Record<string, string | number>): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get(path, { ...query, page, pageSize: 1000 });
    expect(res.status, res.text).toBe(200);
    out.push(...res.body);
    if (res.body.length < 1000) return out;
  }
}

/** A CSV body as objects keyed by its header row, values as written (null for an empty field). */
function csvObjects(res: ApiResponse): { header: Array<string | null>; rows: Array<Record<string, string | null>> } {
  const [header, ...records] = parseCsv(res.text);
  for (const r of records) expect(r).toHaveLength(header!.length);
  return { header: header!, rows: records.map((r) => Object.fromEntries(header!.map((name, i) => [name!, r[i]!]))) };
}

/** A JSON object as its CSV row should read. */
const asCsv = (o: Record<string, unknown>, columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, csvValue(o[c])]));

describe('content negotiation', () => {
  it('answers JSON, CSV or NDJSON by the Accept header, and 406 when it names none of them', async () => {
    const owner = await h.newOwner();
    await f.customer(owner);
    await f.customer(owner);
    const typeFor = async (accept?: string) => {
      const res = await owner.api.get('/v1/customers', undefined, accept === undefined ? {} : { headers: { accept } });
      expect(res.status, `${accept}: ${res.text}`).toBe(200);
      return res.headers.get('content-type');
    };
    expect(await typeFor()).toMatch(/^application\/json/);
    expect(await typeFor('application/json')).toMatch(/^application\/json/);
    expect(await typeFor('*/*')).toMatch(/^application\/json/);
    expect(await typeFor('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toMatch(/^application\/json/);
    expect(await typeFor('text/csv')).toBe('text/csv; charset=utf-8; header=present');
    expect(await typeFor('TEXT/CSV; charset=utf-8')).toBe('text/csv; charset=utf-8; header=present');
    expect(await typeFor('text/*')).toBe('text/csv; charset=utf-8; header=present');
    expect(await typeFor('application/json;q=0.5, text/csv')).toBe('text/csv; charset=utf-8; header=present');
    expect(await typeFor('application/x-ndjson')).toBe('application/x-ndjson');
    expect(await typeFor('text/csv;q=0.9, application/x-ndjson')).toBe('application/x-ndjson');
    expect(await typeFor('application/*;q=0.2, text/csv;q=0.1')).toMatch(/^application\/json/);

    for (const accept of ['application/xml', 'text/html', 'text/csv;q=0', 'application/problem+json', 'nonsense']) {
      const problem = expectProblem(await owner.api.get('/v1/customers', undefined, { headers: { accept } }), 406);
      expect(problem.detail).toContain('text/csv');
    }
    const head = await owner.api.head('/v1/customers', undefined, { headers: { accept: 'application/xml' } });
    expect(head.status).toBe(406);
    expect(head.text).toBe('');
    // HEAD does not care which of the three it would be
    expect((await owner.api.head('/v1/customers', undefined, { headers: CSV })).status).toBe(200);
    // a single object is JSON whatever the Accept header says, as before
    const single = await owner.api.get(`/v1/contract-owners/${owner.id}`, undefined, { headers: CSV });
    expect(single.status).toBe(200);
    expect(single.body.id).toBe(owner.id);
  });
});

describe('CSV', () => {
  it('is RFC 4180: a header row, CRLF, quotes doubled, line breaks quoted, nested values as JSON, null empty', async () => {
    const owner = await h.newOwner();
    const tricky = await f.customerContract(owner, {
      notes: 'He said "yes", then\r\nleft;\nnext line, £5 ’quoted’',
      properties: { channel: 'partner, direct', quote: 'a "b"' },
      contractNumber: '',
      value: 1234.5,
    });
    const plain = await f.customerContract(owner);

    const res = await owner.api.get('/v1/customer-contracts', undefined, { headers: CSV });
    expect(res.status, res.text).toBe(200);
    expect(res.text.startsWith('id,')).toBe(true);
    expect(res.text.endsWith('\r\n')).toBe(true);
    const { header, rows } = csvObjects(res);
    const json = (await owner.api.get('/v1/customer-contracts')).body;
    expect(new Set(header)).toEqual(new Set(Object.keys(json[0])));
    expect(rows).toEqual(json.map((o: any) => asCsv(o, header as string[])));

    const [t, p] = rows;
    expect(t!.id).toBe(String(tricky.id));
    expect(t!.notes).toBe('He said "yes", then\r\nleft;\nnext line, £5 ’quoted’');
    expect(JSON.parse(t!.properties!)).toEqual({ channel: 'partner, direct', quote: 'a "b"' });
    expect(t!.contractNumber).toBe('');
    expect(t!.value).toBe('1234.5');
    expect(p!.id).toBe(String(plain.id));
    expect(p!.contractNumber).toBeNull();
    expect(p!.notes).toBeNull();
    // the raw text: quotes doubled inside a quoted field
    expect(res.text).toContain('"He said ""yes"", then\r\nleft;\nnext line, £5 ’quoted’"');
  });

  it('writes only the header row when nothing matches, and the fields asked for in their order', async () => {
    const owner = await h.newOwner();
    const c = await f.customer(owner, { customerAccountNumber: 'A,1' });
    expect((await owner.api.get('/v1/customers', { customerName: 'nobody' }, { headers: CSV })).text).toBe(
      'id,contractOwnerId,customerName,customerAccountNumber,customerType,externalRef,startDate,endDate,email,language,createdDate,updatedDate,createdBy,updatedBy,version\r\n',
    );
    expect((await owner.api.get('/v1/customers', { fields: 'customerAccountNumber,customerName' }, { headers: CSV })).text).toBe(
      `id,customerAccountNumber,customerName\r\n${c.id},"A,1",${c.customerName}\r\n`,
    );
    expect((await owner.api.get('/v1/customers', { fields: 'customerName' }, { headers: NDJSON })).text).toBe(
      `${JSON.stringify({ id: c.id, customerName: c.customerName })}\n`,
    );
    expect((await owner.api.get('/v1/customers', { customerName: 'nobody' }, { headers: NDJSON })).text).toBe('');
  });

  it('leaves out the nested arrays a `summary: true` request leaves out', async () => {
    const owner = await h.newOwner();
    const cg = await f.chargeGroup(owner);
    await f.usageRateCard(owner, { usageRates: [f.usageRateBody(cg.id)] });
    const full = csvObjects(await owner.api.get('/v2/usage-rate-cards', undefined, { headers: CSV }));
    expect(full.header).toContain('usageRates');
    expect(JSON.parse(full.rows[0]!.usageRates!)).toEqual([expect.objectContaining({ chargeGroupId: cg.id })]);
    const summary = csvObjects(await owner.api.get('/v2/usage-rate-cards', undefined, { headers: { ...CSV, summary: 'true' } }));
    expect(summary.header).not.toContain('usageRates');
    const jsonSummary = (await owner.api.get('/v2/usage-rate-cards', undefined, { headers: { summary: 'true' } })).body;
    expect(new Set(summary.header)).toEqual(new Set(Object.keys(jsonSummary[0])));
    expect(summary.rows).toEqual(jsonSummary.map((o: any) => asCsv(o, summary.header as string[])));
  });
});

describe('every matching row', () => {
  // more rows than two chunks on either runtime, with ties and nulls in the sort keys, so chunks end inside runs of equal values
  const COUNT = 2 * Math.max(EXPORT_CHUNK, D1_EXPORT_CHUNK) + 234;
  let owner: Owner;
  let other: Owner;
  beforeAll(async () => {
    owner = await h.newOwner();
    other = await h.newOwner();
    const rows = Array.from({ length: COUNT }, (_, i) => ({
      name: `${i % 7 === 0 ? 'Alpha' : 'Beta'} ${i % 13}`,
      endDate: i % 3 === 0 ? null : `2026-0${1 + (i % 9)}-01`,
      account: i % 5 === 0 ? null : `ACC-${i}`,
    }));
    await addCustomers(owner, rows);
    await addCustomers(other, rows.slice(0, 50));
  });

  it('streams them all, in the list’s order, as NDJSON objects equal to the JSON list’s', async () => {
    const res = await owner.api.get('/v1/customers', undefined, { headers: NDJSON });
    expect(res.status).toBe(200);
    const lines = parseNdjson(res.text);
    expect(lines).toHaveLength(COUNT);
    expect(lines).toEqual(await allPages(owner.api, '/v1/customers', {}));
    expect(res.headers.get('x-total-count')).toBeNull();
    expect(res.headers.get('link')).toBeNull();
  });

  it('keeps the sort across chunks, nulls and ties included, ascending and descending', async () => {
    for (const sort of ['endDate:desc,customerName', 'customerName,endDate', 'customerAccountNumber:desc', 'endDate,customerAccountNumber:desc,id:desc']) {
      const expected = await allPages(owner.api, '/v1/customers', { sort, fields: 'customerName,endDate,customerAccountNumber' });
      const ndjson = parseNdjson((await owner.api.get('/v1/customers', { sort, fields: 'customerName,endDate,customerAccountNumber' }, { headers: NDJSON })).text);
      expect(ndjson.map((o) => o.id), sort).toEqual(expected.map((o) => o.id));
      const csv = csvObjects(await owner.api.get('/v1/customers', { sort, fields: 'customerName,endDate,customerAccountNumber' }, { headers: CSV }));
      expect(csv.header).toEqual(['id', 'customerName', 'endDate', 'customerAccountNumber']);
      expect(csv.rows, sort).toEqual(expected.map((o) => asCsv(o, csv.header as string[])));
    }
  });

  it('applies the filters', async () => {
    const query = { customerName: 'like:alpha', endDate: 'ge:2026-03-01' };
    const expected = await allPages(owner.api, '/v1/customers', query);
    expect(expected.length).toBeGreaterThan(10);
    const lines = parseNdjson((await owner.api.get('/v1/customers', query, { headers: NDJSON })).text);
    expect(lines).toEqual(expected);
    expect(lines.every((c) => c.customerName.startsWith('Alpha') && c.endDate >= '2026-03-01')).toBe(true);
    const csv = csvObjects(await owner.api.get('/v1/customers', query, { headers: CSV }));
    expect(csv.rows.map((r) => Number(r.id))).toEqual(expected.map((c) => c.id));
  });

  it('exports only the token’s owners', async () => {
    const mine = parseNdjson((await owner.api.get('/v1/customers', { fields: 'contractOwnerId' }, { headers: NDJSON })).text);
    expect(mine).toHaveLength(COUNT);
    expect(new Set(mine.map((c) => c.contractOwnerId))).toEqual(new Set([owner.id]));
    const theirs = parseCsv((await other.api.get('/v1/customers', undefined, { headers: CSV })).text);
    expect(theirs).toHaveLength(1 + 50);
    expect(parseNdjson((await other.api.get('/v1/customers', { contractOwnerId: owner.id }, { headers: NDJSON })).text)).toEqual([]);
    const both = h.client(await signTestToken({ owners: [owner.id, other.id], scope: 'customers:read' }));
    const all = parseNdjson((await both.get('/v1/customers', { fields: 'contractOwnerId', sort: 'customerName' }, { headers: NDJSON })).text);
    expect(all).toHaveLength(COUNT + 50);
  });
});

describe('refused before anything is streamed', () => {
  it('is a 400 problem for paging, a bad filter, sort or field, and a 403 without the scope', async () => {
    const owner = await h.newOwner();
    await f.customer(owner);
    const bad: Array<[Record<string, string>, string]> = [
      [{ page: '2' }, 'query.page'],
      [{ pageSize: '10' }, 'query.pageSize'],
      [{ customerName: 'in:' }, 'query.customerName'],
      [{ sort: 'nope' }, 'query.sort'],
      [{ fields: 'nope' }, 'query.fields'],
      [{ unknown: '1' }, 'query.unknown'],
    ];
    for (const headers of [CSV, NDJSON]) {
      for (const [query, path] of bad) {
        const problem = expectProblem(await owner.api.get('/v1/customers', query, { headers }), 400);
        expect(problem.errors[0].path).toBe(path);
      }
    }
    const contractsOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'contracts:read' }));
    expectProblem(await contractsOnly.get('/v1/customers', undefined, { headers: CSV }), 403);
    expectProblem(await h.client(null).get('/v1/customers', undefined, { headers: CSV }), 401);
  });
});

describe('computed lists', () => {
  it('export every line of rental charges, over more than one page of computation', async () => {
    const owner = await h.newOwner();
    const c = await f.customer(owner);
    const s = await f.site(owner, c.id);
    const category = await f.rentalProductCategory(owner);
    const product = await f.rentalProduct(owner, category.id);
    const card = await f.rentalRateCard(owner, {
      rentalProductCategoryId: category.id,
      rentalRates: [f.rentalRateBody(product.id, { price: 1.5, rentalRateFrequency: 'DAILY' })],
    });
    await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id, startDate: '2020-01-01' });
    await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01' });
    const query = { customerId: c.id, from: '2025-01-01', to: '2027-12-31' };

    const expected = await allPages(owner.api, '/v2/rental-charges', query);
    expect(expected).toHaveLength(365 + 365 + 365);
    const lines = parseNdjson((await owner.api.get('/v2/rental-charges', query, { headers: NDJSON })).text);
    expect(lines).toEqual(expected);
    const csv = csvObjects(await owner.api.get('/v2/rental-charges', query, { headers: CSV }));
    expect(csv.header).toEqual(Object.keys(expected[0]));
    expect(csv.rows).toEqual(expected.map((o) => asCsv(o, csv.header as string[])));

    expectProblem(await owner.api.get('/v2/rental-charges', { ...query, page: 2 }, { headers: CSV }), 400);
    expectProblem(await owner.api.get('/v2/rental-charges', { ...query, from: '2025-02-30' }, { headers: CSV }), 400);
    expectProblem(await owner.api.get('/v2/rental-charges', query, { headers: { accept: 'application/pdf' } }), 406);
    const other = await h.newOwner();
    expectProblem(await other.api.get('/v2/rental-charges', query, { headers: NDJSON }), 404);
  });

  it('export inclusive usage balances with their fields', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.get('/v2/inclusive-usage-balances', { fields: 'usageProductInventoryId' }, { headers: CSV });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('usageProductInventoryId\r\n');
  });
});

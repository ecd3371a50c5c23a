/**
 * A large export through the real Node server (@hono/node-server over HTTP):
 * 150,000 customers stream as CSV and as NDJSON with every row exactly once,
 * while the heap that stays live (measured after a full collection, sampled as
 * the body arrives) grows by a small fraction of what was sent — the rows are
 * read in keyset chunks and written as the client takes them, never held.
 */
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, type Owner } from '../helpers/harness';
import { createRuntime } from '../helpers/runtime.node';

const ROWS = 150_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let h: Harness;
let owner: Owner;
let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  h = await new Harness(await createRuntime()).init();
  owner = await h.newOwner();
  const now = new Date().toISOString();
  // realistic widths: a name, an account number, an external reference, an email and dates
  await h.runtime.deps.database.db.run(sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS})
    insert into customers (contract_owner_id, customer_name, customer_account_number, customer_type, external_ref, start_date, end_date, email,
      created_date, updated_date, created_by, updated_by, version)
    select ${owner.id}, 'Customer number ' || i || ', "quoted" Ltd', 'ACC-' || i, 'BUSINESS', 'EXT-' || i, '2025-01-01',
      case when i % 3 = 0 then null else '2027-12-31' end, 'billing' || i || '@example.com', ${now}, ${now}, 'loader', 'loader', 1
    from n`);
  server = serve({ fetch: h.runtime.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

interface Measured {
  status: number;
  contentType: string | null;
  bytes: number;
  lines: number;
  firstLine: string;
  lastLine: string;
  /** the largest live-heap growth over the heap before the request, in bytes */
  peakGrowth: number;
}

/** Reads an export body as it arrives, keeping nothing but counts; a full collection and a heap sample every 4 MiB. */
async function exportOf(accept: string): Promise<Measured> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peakGrowth = 0;
  const res = await fetch(`${base}/v1/customers`, { headers: { authorization: `Bearer ${owner.token}`, accept } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let lines = 0;
  let sampledAt = 0;
  let firstLine = '';
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const text = decoder.decode(value, { stream: true });
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    if (!firstLine) firstLine = text.slice(0, text.indexOf('\n'));
    tail = (tail + text).slice(-2000);
    if (bytes - sampledAt > 4 * 1024 * 1024) {
      sampledAt = bytes;
      gc();
      peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - before);
    }
  }
  const tailLines = tail.trimEnd().split('\n');
  return { status: res.status, contentType: res.headers.get('content-type'), bytes, lines, firstLine, lastLine: tailLines[tailLines.length - 1]!, peakGrowth };
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

describe('exporting 150,000 rows through the Node server', () => {
  it('streams CSV with every row once and a bounded heap', async () => {
    const started = performance.now();
    const m = await exportOf('text/csv');
    const seconds = (performance.now() - started) / 1000;
    console.log(`CSV: ${m.lines - 1} rows, ${mib(m.bytes)} in ${seconds.toFixed(1)} s; peak live-heap growth ${mib(m.peakGrowth)}`);
    expect(m.status).toBe(200);
    expect(m.contentType).toBe('text/csv; charset=utf-8; header=present');
    expect(m.lines).toBe(ROWS + 1);
    expect(m.firstLine).toBe('id,contractOwnerId,customerName,customerAccountNumber,customerType,externalRef,startDate,endDate,email,language,createdDate,updatedDate,createdBy,updatedBy,version\r');
    expect(m.lastLine).toContain(`"Customer number ${ROWS}, ""quoted"" Ltd",ACC-${ROWS},`);
    expect(m.bytes).toBeGreaterThan(25 * 1024 * 1024);
    // the rows are not held: what stays live is a small fraction of what was sent
    expect(m.peakGrowth).toBeLessThan(m.bytes / 10);
    expect(m.peakGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 180_000);

  it('streams NDJSON with one object per row and a bounded heap', async () => {
    const started = performance.now();
    const m = await exportOf('application/x-ndjson');
    const seconds = (performance.now() - started) / 1000;
    console.log(`NDJSON: ${m.lines} rows, ${mib(m.bytes)} in ${seconds.toFixed(1)} s; peak live-heap growth ${mib(m.peakGrowth)}`);
    expect(m.status).toBe(200);
    expect(m.lines).toBe(ROWS);
    expect(JSON.parse(m.firstLine)).toMatchObject({ customerName: 'Customer number 1, "quoted" Ltd', endDate: '2027-12-31' });
    expect(JSON.parse(m.lastLine)).toMatchObject({ customerName: `Customer number ${ROWS}, "quoted" Ltd`, endDate: null });
    expect(m.peakGrowth).toBeLessThan(m.bytes / 10);
    expect(m.peakGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 180_000);
});

/**
 * Lists as files: the Accept header of a list picks JSON (a page, as always), CSV
 * (RFC 4180) or NDJSON, and the two file formats stream every matching row — not
 * one page — read chunk by chunk (keyset pages of EXPORT_CHUNK rows) and written to
 * the response as the client takes them, so a million rows never sit in memory.
 */
import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { Ctx } from '../db/context';
import type { ListPage } from '../db/crud';
import { invalidField, notAcceptable } from '../errors';
import type { SortValues } from '../list-query';
import { encodeCursor } from './cursor';
import { parseFields } from './query';

export type ListFormat = 'json' | 'csv' | 'ndjson';

/** Rows read and written at a time: large enough that the query is not the cost, small enough to stay a few hundred KiB. */
export const EXPORT_CHUNK = 500;
/**
 * On D1 a Worker invocation may run 1,000 queries: chunks of 2,000 rows (one query,
 * plus what rendering them reads) let one export reach a million rows and more.
 */
export const D1_EXPORT_CHUNK = 2000;

/** The rows a chunk of an export reads on this database. */
export function exportChunkSize(ctx: Ctx): number {
  return ctx.deps.database.kind === 'd1' ? D1_EXPORT_CHUNK : EXPORT_CHUNK;
}

const MEDIA_TYPES: ReadonlyArray<{ format: ListFormat; type: string; contentType: string }> = [
  { format: 'json', type: 'application/json', contentType: 'application/json' },
  { format: 'csv', type: 'text/csv', contentType: 'text/csv; charset=utf-8; header=present' },
  { format: 'ndjson', type: 'application/x-ndjson', contentType: 'application/x-ndjson' },
];

/** The media types a list answers, for its documentation. */
export const LIST_MEDIA_TYPES = MEDIA_TYPES.map((m) => m.type);

/** What a list's description says of its exports. */
export const EXPORT_NOTE =
  'With `Accept: text/csv` (RFC 4180: a header row of the fields, CRLF line ends, nested values as JSON text, null as an empty field) or `Accept: application/x-ndjson` (one JSON object per line) the answer streams every matching row in the sort, with the filters and `fields` applied, instead of one page (no `page` or `pageSize`; no X-Total-Count or Link). Any other Accept that names none of these: 406.';

/** The 200 content of a list's export formats, for its documentation. */
export function exportContent() {
  return {
    'text/csv': { schema: z.string().openapi({ example: 'id,name\r\n1,Northwind\r\n' }) },
    'application/x-ndjson': { schema: z.string().openapi({ example: '{"id":1,"name":"Northwind"}\n' }) },
  };
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const m = /^([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)$/.exec(range ?? '');
    if (!m) continue;
    let q = 1;
    for (const param of params) {
      const qm = /^q=([01](?:\.\d{0,3})?)$/.exec(param);
      if (qm) q = Math.min(1, Number(qm[1]));
    }
    ranges.push({ type: m[1]!, subtype: m[2]!, q });
  }
  return ranges;
}

/** The weight the ranges give a media type: that of the most specific range matching it (exact, then type/*, then * / *). */
function weightOf(ranges: readonly MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/') as [string, string];
  let best = -1;
  let weight = 0;
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      weight = r.q;
    }
  }
  return weight;
}

/**
 * The format of a list response by its Accept header (RFC 9110 §12.5.1): the
 * acceptable media type of highest weight, JSON on a tie; no header, JSON. None
 * acceptable: 406.
 */
export function listFormat(accept: string | undefined): ListFormat {
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = parseAccept(accept);
  let chosen: ListFormat | null = null;
  let chosenWeight = 0;
  for (const m of MEDIA_TYPES) {
    const weight = weightOf(ranges, m.type);
    if (weight > chosenWeight) {
      chosen = m.format;
      chosenWeight = weight;
    }
  }
  if (!chosen) throw notAcceptable(`A list is available as ${LIST_MEDIA_TYPES.join(', ')}; the Accept header names none of them`);
  return chosen;
}

/** An export streams every matching row: `page` and `pageSize` have no meaning there, and a 400 says so. */
export function assertNoPaging(url: URL): void {
  for (const param of ['page', 'pageSize']) {
    const value = url.searchParams.get(param);
    if (value !== null) throw invalidField(`query.${param}`, 'does not apply to an export (text/csv, application/x-ndjson), which holds every matching row', value);
  }
}

/** One CSV field: null and absent are empty, text as it is, other values as JSON; quoted when it must be (and "" for empty text). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === '') return '""';
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated (RFC 4180). */
export function csvLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvField(values[i]);
  return `${line}\r\n`;
}

/** The rows of an export, chunk by chunk. */
export interface ExportSource {
  /** the CSV header row: the fields, in order */
  columns: readonly string[];
  /** the next chunk of rendered rows; null when there are no more */
  next(): Promise<ReadonlyArray<Record<string, unknown>> | null>;
}

function encodeChunk(format: 'csv' | 'ndjson', columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  let text = '';
  if (format === 'ndjson') {
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
  } else {
    for (const row of rows) text += csvLine(columns.map((c) => row[c]));
  }
  return text;
}

/**
 * The export's response: the first chunk is read before answering, so a query
 * that fails at once (a bad cursor, too many values) is still a problem+json; the
 * rest is read only as the client takes what was sent (the stream pulls one
 * chunk at a time). A failure later can only cut the body short: it is logged,
 * and the connection ends without the body's proper end.
 */
export async function exportResponse(format: 'csv' | 'ndjson', source: ExportSource, onError: (error: unknown) => void): Promise<Response> {
  const encoder = new TextEncoder();
  const first = await source.next();
  let started = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let text = '';
          let rows: ReadonlyArray<Record<string, unknown>> | null;
          if (started) {
            rows = await source.next();
          } else {
            started = true;
            rows = first;
            if (format === 'csv') text = csvLine(source.columns);
          }
          if (rows) text += encodeChunk(format, source.columns, rows);
          if (text) controller.enqueue(encoder.encode(text));
          if (!rows) controller.close();
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
    },
    // read a chunk only when the client has taken the last one
    { highWaterMark: 0 },
  );
  const type = MEDIA_TYPES.find((m) => m.format === format)!.contentType;
  return new Response(stream, { status: 200, headers: { 'content-type': type } });
}

function logFailure(ctx: Ctx): (error: unknown) => void {
  return (error) =>
    ctx.deps.log({
      time: new Date().toISOString(),
      level: 'error',
      requestId: ctx.requestId,
      msg: 'export cut short',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
}

/**
 * Exports a table-backed list: keyset pages of exportChunkSize rows (`page(after,
 * size)`, the list's own query continued after the last row read), each rendered
 * and written before the next is read.
 */
export function exportList<Row>(
  ctx: Ctx,
  format: 'csv' | 'ndjson',
  url: URL,
  columns: readonly string[],
  page: (after: SortValues | null, size: number) => Promise<ListPage<Row>>,
  render: (rows: Row[]) => Promise<ReadonlyArray<Record<string, unknown>>>,
): Promise<Response> {
  assertNoPaging(url);
  const size = exportChunkSize(ctx);
  let after: SortValues | null = null;
  let done = false;
  return exportResponse(
    format,
    {
      columns,
      async next() {
        if (done) return null;
        const result = await page(after, size);
        const next = result.next ?? null;
        // a page must move on; one that ends where it began would be read forever
        if (next !== null && after !== null && JSON.stringify(next) === JSON.stringify(after)) throw new Error('an export page made no progress');
        after = next;
        done = after === null;
        return result.rows.length ? render(result.rows) : null;
      },
    },
    logFailure(ctx),
  );
}

/** Items per page of a computed list's export (its pages are computed and paged in memory; 1,000 is their largest page). */
const COMPUTED_CHUNK = 1000;

/**
 * Exports a computed list (rental charges, ETC quotes, balances) page by page,
 * each computed for the request's URL with that page: keyset pages (`keyset`: the
 * list takes `cursor`; from the request's cursor, if any) until one has no `next`,
 * else numbered pages until one comes back short. The columns are the items'
 * fields (`schema`: the list's array), or those of `fields=`.
 */
export function exportComputedList(
  ctx: Ctx,
  format: 'csv' | 'ndjson',
  url: URL,
  schema: ZodType,
  page: (url: URL) => Promise<{ items: unknown[]; next?: SortValues | null }>,
  keyset = false,
): Promise<Response> {
  assertNoPaging(url);
  const fields = itemFields(schema);
  // `fields` always names the id, which computed items may not have
  const asked = parseFields(url.searchParams.get('fields') ?? undefined, fields);
  const columns = asked ? asked.filter((f) => fields.includes(f)) : fields;
  let next = 1;
  let cursor = url.searchParams.get('cursor') ?? '';
  let done = false;
  const numbered = async (): Promise<unknown[]> => {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('page', String(next++));
    pageUrl.searchParams.set('pageSize', String(COMPUTED_CHUNK));
    const { items } = await page(pageUrl);
    done = items.length < COMPUTED_CHUNK;
    return items;
  };
  const continued = async (): Promise<unknown[]> => {
    // a page may hold no item and still go on (rows the computation leaves out): read on until one does
    for (;;) {
      const pageUrl = new URL(url);
      pageUrl.searchParams.set('cursor', cursor);
      pageUrl.searchParams.set('pageSize', String(COMPUTED_CHUNK));
      const result = await page(pageUrl);
      const after = result.next ? encodeCursor(result.next) : null;
      // a page must move on; one that ends where it began would be read forever
      if (after !== null && after === cursor) throw new Error('an export page made no progress');
      done = after === null;
      if (after !== null) cursor = after;
      if (result.items.length || done) return result.items;
    }
  };
  return exportResponse(
    format,
    {
      columns,
      async next() {
        if (done) return null;
        const items = await (keyset ? continued() : numbered());
        return items.length ? (items as Array<Record<string, unknown>>) : null;
      },
    },
    logFailure(ctx),
  );
}

/** The fields of a list's items, from its array schema (for the CSV header of a computed list). */
function itemFields(schema: ZodType): string[] {
  const element = schema instanceof z.ZodArray ? (schema.element as ZodType) : schema;
  return element instanceof z.ZodObject ? Object.keys(element.shape) : [];
}

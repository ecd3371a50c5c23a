/**
 * Malformed requests for any operation of the OpenAPI document, as fast-check
 * arbitraries: wrong types, out-of-range numbers, 10,000-character strings,
 * impossible dates, unknown fields and parameters, broken JSON, wrong content
 * types, bodies over 1 MiB, ids that are not positive integers, JSON Patch on
 * read-only paths and malformed patch documents. Each request says which
 * statuses it may get; every one of them is a 4xx.
 */
import fc from 'fast-check';
import type { ApiResponse, Harness } from './harness';
import { admitsType, fillPath, isJsonObject, type JsonSchema, type Operation, type Parameter, sampleValue, typesOf, valueAt, withValueAt } from './openapi';

export interface BadRequest {
  label: string;
  method: string;
  /** path and query, encoded */
  url: string;
  body?: unknown;
  raw?: string;
  /** '' sends the header empty; undefined sends the operation's own media type with a body */
  contentType?: string;
  headers?: Record<string, string>;
  /** the statuses it may get */
  expect: readonly number[];
}

/** What an operation is exercised on: its path filled with real ids, and valid input to spoil. */
export interface Target {
  op: Operation;
  /** parameter values that address a real object */
  pathValues: Record<string, string | number>;
  /** query parameter names any operation on this path accepts */
  knownQuery: ReadonlySet<string>;
  /** values of the operation's required query parameters, sent with every request but the one that spoils them */
  query?: Record<string, string>;
  /** POST/PUT with a JSON body: a valid body */
  body?: Record<string, unknown>;
  /** PATCH: the object as GET shows it, and the schema its writable fields follow */
  current?: Record<string, unknown>;
  writable?: JsonSchema;
}

export const LONG_STRING = 'x'.repeat(10_000);
const OVER_ONE_MIB = 'x'.repeat(1024 * 1024 + 1024);
/** real calendar dates outside the API's range, 1900-01-01 … 2199-12-31 (lifecycle.md, settled questions) */
export const OUT_OF_RANGE_DATES = ['1899-12-31', '2200-01-01', '9999-12-31', '0001-01-01'];
export const INVALID_DATES = ['2025-02-30', '2025-13-01', 'tomorrow', '2025-02-29', '2025-1-1', '20250101', '2025-00-10', ...OUT_OF_RANGE_DATES];
const INVALID_INSTANTS = ['tomorrow', '2025-02-30T00:00:00Z', '2025-01-01T25:00:00Z', '2025-01-01T00:00:00', '1899-12-31T23:59:59Z', '2200-01-01T00:00:00Z', '9999-12-31T23:00:00Z'];
const NOT_IDS = ['0', '-1', 'abc', '1.5', '1e3', '0x1F', '+1', '01', 'NaN', 'Infinity', 'null', '١٢', '1,2', 'in:1', ' 1', '%00', "1' or '1'='1", '-9007199254740993'];
const HUGE_IDS = ['99999999999999999999', '9'.repeat(400)];
const WRONG_TYPED: unknown[] = [true, 0, -1, 1.5, 'text', '', [], {}, [1], { a: 1 }, null];
const OTHER_MEDIA_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'text/html', 'application/octet-stream', ''];
/** JSON all the same, but not the media type or the charset a route takes */
const OTHER_JSON_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/problem+json', 'text/json', 'application/json; charset=utf-16', 'application/json; charset=iso-8859-1'];
const OTHER_PATCH_TYPES = ['application/json', 'application/merge-patch+json', 'application/json-patch+json; charset=utf-16'];
/** what every plain JavaScript object inherits: never a field */
const PROTOTYPE_MEMBERS = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf', 'toLocaleString', 'propertyIsEnumerable'];
const BROKEN_JSON = ['{', '{"a":}', "{'a':1}", '{"a":1,}', 'undefined', 'NaN', '[1,]', '{"a":1}}', '{"a" 1}', '// note\n{}', '{"a":"\\x"}', '\u0000', '{"a":1e999999999999'];

const MALFORMED_PATCHES: unknown[] = [
  {},
  [],
  'replace',
  [null],
  [1],
  ['replace'],
  [{ op: 'replace' }],
  [{ op: 'jump', path: '/id' }],
  [{ op: 'replace', path: 'name', value: 1 }],
  [{ op: 'replace', path: '/~2', value: 1 }],
  [{ path: '/id', value: 1 }],
  [{ op: 'move', path: '/a' }],
  [{ op: 'copy', from: '/id' }],
  [{ op: 'add', path: '/x', value: 1, extra: 2 }],
  [{ op: 'remove', path: '' }],
  [{ op: 'replace', path: '', value: 5 }],
  [{ op: 'replace', path: '', value: {} }],
  [{ op: 'add', path: '/__proto__', value: { polluted: true } }],
  [{ op: 'add', path: '/__proto__/polluted', value: true }],
  [{ op: 'add', path: '/constructor/prototype/polluted', value: true }],
  [{ op: 'test', path: '/id', value: 'not the id' }],
  [{ op: 'remove', path: '/no/such/path' }],
  [{ op: 'add', path: `/${'a'.repeat(2000)}`, value: 1 }],
  Array.from({ length: 101 }, () => ({ op: 'test', path: '/id', value: 0 })),
  // inherited members: once a no-op 200
  ...PROTOTYPE_MEMBERS.flatMap((m) => [
    [{ op: 'replace', path: `/${m}`, value: 1 }],
    [{ op: 'add', path: `/${m}`, value: 'x' }],
    [{ op: 'remove', path: `/${m}` }],
  ]),
  [{ op: 'move', from: '/toString', path: '/name' }],
  [{ op: 'copy', from: '/constructor', path: '/name' }],
  [{ op: 'replace', path: '/id/toString', value: 1 }],
];

export const isIdParameter = (p: Parameter) => p.in === 'path' && (p.name === 'id' || /Id$/.test(p.name));

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Values a field of this schema must refuse, each with what is wrong with it. */
export function badValues(schema: JsonSchema): Array<{ why: string; value: unknown }> {
  const out: Array<{ why: string; value: unknown }> = [];
  const types = typesOf(schema);
  if (types.length === 0) return out;
  for (const value of WRONG_TYPED) if (!admitsType(schema, value)) out.push({ why: `wrong type ${JSON.stringify(value)}`, value });
  if (types.includes('integer') || types.includes('number')) {
    if (schema.minimum !== undefined) out.push({ why: 'below the minimum', value: schema.minimum - 1 }, { why: 'far below the minimum', value: -1e308 });
    if (schema.maximum !== undefined) out.push({ why: 'above the maximum', value: schema.maximum + 1 }, { why: 'far above the maximum', value: 1e308 });
    if (!types.includes('number')) out.push({ why: 'not an integer', value: (schema.minimum ?? 0) + 0.5 });
  }
  if (types.includes('string') && !schema.enum) {
    out.push({ why: '10,000 characters', value: LONG_STRING });
    if ((schema.minLength ?? 0) >= 1) out.push({ why: 'empty', value: '' });
    if (schema.pattern) out.push({ why: 'outside the pattern', value: '\u0000<>' });
    if (schema.format === 'date') for (const d of INVALID_DATES) out.push({ why: `invalid date ${d}`, value: d });
    if (schema.format === 'date-time') for (const d of INVALID_INSTANTS) out.push({ why: `invalid instant ${d}`, value: d });
    if (schema.format === 'email') out.push({ why: 'not an email', value: 'not-an-email' });
    if (schema.format === 'uri') out.push({ why: 'not a URL', value: 'not a url' });
  }
  if (schema.enum?.some((v) => typeof v === 'string')) out.push({ why: 'not one of the values', value: 'NOT_ONE_OF_THEM' });
  if (types.includes('array') && schema.items) {
    for (const bad of badValues(schema.items).slice(0, 6)) out.push({ why: `an item ${bad.why}`, value: [bad.value] });
    if ((schema.minItems ?? 0) >= 1) out.push({ why: 'no items', value: [] });
    // a batch one over its limit (small limits only: the body stays well under 1 MiB)
    if (schema.maxItems !== undefined && schema.maxItems <= 1000) {
      out.push({ why: `${schema.maxItems + 1} items`, value: Array.from({ length: schema.maxItems + 1 }, () => sampleValue(schema.items!)) });
    }
  }
  if (types.includes('object')) {
    const extra = schema.additionalProperties;
    if (extra && typeof extra === 'object') {
      for (const bad of badValues(extra).slice(0, 4)) out.push({ why: `an entry ${bad.why}`, value: { key: bad.value } });
    } else if (extra === false) {
      out.push({ why: 'an unknown member', value: { notAField: 1 } });
    }
  }
  return out;
}

/** A field (a JSON Pointer, `/records/0/quantity` in nested items) set to a value it must refuse. */
interface Mutation {
  pointer: string;
  why: string;
  value: unknown;
}

/**
 * Bad values for every field of an object, and for the fields of the nested
 * objects and first list items the object holds (`/records/0/quantity`), with an
 * unknown member in each nested object that allows none.
 */
function fieldMutations(schema: JsonSchema, value: unknown, at = ''): Mutation[] {
  const out: Mutation[] = [];
  const present = isJsonObject(value) ? value : {};
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    const pointer = `${at}/${field}`;
    for (const bad of badValues(property)) out.push({ pointer, ...bad });
    const current = present[field];
    if (Array.isArray(current) && isJsonObject(current[0]) && property.items?.properties) out.push(...fieldMutations(property.items, current[0], `${pointer}/0`));
    else if (isJsonObject(current) && property.properties) out.push(...fieldMutations(property, current, pointer));
  }
  if (at && schema.additionalProperties === false) out.push({ pointer: `${at}/notAField`, why: 'an unknown member', value: 1 });
  return out;
}

type SimproGrammar = 'simpro:id' | 'simpro:date' | 'simpro:number' | 'simpro:boolean' | 'simpro:text';

/** The filter grammar a query parameter documents (conventions.md §Lists; simPRO's, compat.md), if any. */
export function grammarOf(p: Parameter): 'id' | 'date' | 'instant' | 'number' | 'boolean' | 'string' | SimproGrammar | undefined {
  const d = p.description ?? p.schema.description ?? '';
  const simpro = /^simPRO filter on an? (id|date|number|boolean|text) column/.exec(d);
  if (simpro) return `simpro:${simpro[1]}` as SimproGrammar;
  if (d.includes('`5` or `in:1,2,3`')) return 'id';
  if (d.includes('`2025-01-31`')) return 'date';
  if (d.includes('`2026-11-21T09:30:00Z`')) return 'instant';
  if (d.includes('`5`, `in:1,2`')) return 'number';
  if (d.includes('`true` or `false`')) return 'boolean';
  if (d.includes('`xyz`')) return 'string';
  return undefined;
}

const LIST_LIMIT = 100;
const CONDITION_LIMIT = 10;
const listOf = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i + 1)).join(',');

/** Values a simPRO filter must refuse, by its column's type (compat.md: `in(…)`, `between(a,b)`, `lt(…)`, `null`…). */
function badSimproValues(grammar: SimproGrammar): string[] {
  const common = [LONG_STRING, '', 'in()', 'in(1,,2)', '!in()', 'between(1)', 'between(1,2,3)'];
  switch (grammar) {
    case 'simpro:id':
      return [...common, 'abc', '-1', '1.5', 'lt(x)', 'ge()', `in(${listOf(LIST_LIMIT + 1, String)})`, '99999999999999999999'];
    case 'simpro:number':
      return [...common, 'abc', '1e5', '0.1234567', 'gt(x)', `in(${listOf(LIST_LIMIT + 1, String)})`];
    case 'simpro:date':
      return [...common, ...INVALID_DATES, 'lt(tomorrow)', 'between(2025-01-01,2025-02-30)', 'in(2025-01-01,x)'];
    case 'simpro:boolean':
      return [...common, 'yes', '1', 'lt(true)', 'between(true,false)'];
    case 'simpro:text':
      return [LONG_STRING, '', 'in()', 'in(a,,b)', 'between(a)', `%${'x'.repeat(60)}%`, `in(${listOf(LIST_LIMIT + 1, (i) => `v${i}`)})`];
  }
}

/** Values, by the grammar a query parameter documents, that it must refuse. */
export function badQueryValues(p: Parameter): string[] {
  const grammar = grammarOf(p);
  if (grammar?.startsWith('simpro:')) return badSimproValues(grammar as SimproGrammar);
  const universal = ['in:', 'like:', LONG_STRING];
  const byName: Record<string, string[]> = {
    page: ['0', '-1', 'abc', '1.5', '1000001'],
    pageSize: ['0', '1001', 'abc', '-5', '1e2'],
    sort: ['nope', 'id:sideways', ',', 'id,,id', 'id:'],
    fields: ['nope', 'id,nope', ','],
  };
  if (byName[p.name]) return [...universal, ...byName[p.name]!];
  if (!grammar && p.schema.format === 'date') return [...universal, ...INVALID_DATES];
  switch (grammar) {
    case 'id':
      return [...universal, '0', '-1', 'abc', '1.5', 'in:1,,2', 'in:0', '99999999999999999999', `in:${listOf(LIST_LIMIT + 1, String)}`];
    case 'date':
      return [
        ...universal,
        ...INVALID_DATES,
        'lt:tomorrow',
        'ge:2025-02-30',
        'gtn:',
        'ge:2025-01-01,,lt:2026-01-01',
        'between:2025-01-01',
        listOf(CONDITION_LIMIT + 1, () => 'ge:2025-01-01'),
        ...OUT_OF_RANGE_DATES.flatMap((d) => [`ge:${d}`, `gtn:${d}`, `ge:2000-01-01,lt:${d}`]),
      ];
    case 'instant':
      return [
        ...universal,
        ...INVALID_INSTANTS,
        'lt:tomorrow',
        'gtn:2025-01-01T00:00:00Z',
        'ge:2025-01-01T00:00:00Z,,lt:2026-01-01T00:00:00Z',
        'ge:1899-12-31T23:59:59Z',
        'lt:2200-01-01T00:00:00Z',
        listOf(CONDITION_LIMIT + 1, () => 'ge:2025-01-01T00:00:00Z'),
      ];
    case 'number':
      return [...universal, 'abc', 'lt:x', '1e5', '--1', 'in:1,x', '0.1234567', 'gtn:1', listOf(CONDITION_LIMIT + 1, () => 'ge:1'), `in:${listOf(LIST_LIMIT + 1, String)}`];
    case 'boolean':
      return [...universal, 'yes', '1', 'TRUE', 'true,false', ''];
    case 'string':
      return [...universal, 'in:a,,b', 'x'.repeat(1001), `in:${listOf(LIST_LIMIT + 1, (i) => `v${i}`)}`];
    default:
      return universal;
  }
}

/**
 * Valid values at the grammar's limits — 100 values in a list, 10 ANDed
 * conditions — that a parameter must accept: every filter of a list at its
 * limit at once must still be answered (within D1's 100 bound parameters).
 */
export function queryAtLimits(p: Parameter): string[] {
  switch (grammarOf(p)) {
    case 'id':
      return [`in:${listOf(LIST_LIMIT, String)}`];
    case 'date':
      return [listOf(CONDITION_LIMIT, (i) => (i % 2 ? 'ge:2000-01-01' : 'gtn:1999-12-31'))];
    case 'instant':
      return [listOf(CONDITION_LIMIT, (i) => (i % 2 ? 'ge:2000-01-01T00:00:00Z' : 'lt:2100-01-01T00:00:00.000Z'))];
    case 'number':
      return [`in:${listOf(LIST_LIMIT, String)}`, listOf(CONDITION_LIMIT, (i) => (i % 2 ? 'ge:-5' : 'le:1000000'))];
    case 'boolean':
      return ['true', 'false'];
    case 'string':
      return [`in:${listOf(LIST_LIMIT, (i) => `value ${i}`)}`, `like:${'x'.repeat(200)}`];
    case 'simpro:id':
      return [`in(${listOf(LIST_LIMIT, String)})`, `!in(${listOf(LIST_LIMIT, String)})`];
    case 'simpro:number':
      return [`in(${listOf(LIST_LIMIT, String)})`, 'between(-5,1000000)'];
    case 'simpro:date':
      return ['between(2000-01-01,2100-01-01)', 'ne(null)'];
    case 'simpro:boolean':
      return ['true', 'ne(false)'];
    case 'simpro:text':
      return [`in(${listOf(LIST_LIMIT, (i) => `value ${i}`)})`, `%${'x'.repeat(46)}%`];
    default:
      return p.name === 'pageSize' ? [String(p.schema.maximum ?? 1000)] : [];
  }
}

function encode(value: string): string {
  return encodeURIComponent(value);
}

/**
 * A JSON Patch operation that would change an object validly: a writable field
 * set to its documented example (for requests that must fail for another reason).
 */
export function validChange(current: Record<string, unknown>, writable: JsonSchema | undefined): { op: 'replace'; path: string; value: unknown } | null {
  const properties = Object.entries(writable?.properties ?? {});
  // prefer plain text fields: least likely to meet a business rule
  properties.sort(([a, pa], [b, pb]) => rank(a, pa) - rank(b, pb));
  for (const [field, property] of properties) {
    const value = property.example ?? property.default;
    if (value === undefined || same(value, current[field]) || !admitsType(property, value)) continue;
    return { op: 'replace', path: `/${field}`, value };
  }
  return null;
}

function rank(field: string, schema: JsonSchema): number {
  if (/Id$/.test(field)) return 3;
  const types = typesOf(schema);
  if (types.includes('string') && !schema.format && !schema.enum) return 0;
  return types.includes('string') ? 1 : 2;
}

/** Every malformed request for the target: a few deterministic ones the spec names, and an arbitrary over the rest. */
export function malformedRequests(target: Target): { named: BadRequest[]; arbitrary: fc.Arbitrary<BadRequest> | null } {
  const { op } = target;
  const path = fillPath(op.path, target.pathValues);
  const required = Object.entries(target.query ?? {});
  /** the path with the required query parameters (but `without`) and `params` */
  const urlWith = (params: Array<[string, string]> = [], without?: string, at = path) => {
    const all = [...required.filter(([name]) => name !== without), ...params];
    return all.length ? `${at}?${all.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')}` : at;
  };
  const named: BadRequest[] = [];
  const arbitraries: Array<fc.Arbitrary<BadRequest>> = [];
  const base = (label: string, extra: Partial<BadRequest> & { expect: readonly number[] }): BadRequest => ({ label, method: op.method, url: urlWith(), ...extra });
  const hasJsonBody = op.body?.mediaType === 'application/json';
  const isPatch = op.body?.mediaType === 'application/json-patch+json';
  /** what a body its schema refuses gets: 400, or the operation's documented status (simPRO: 422) */
  const invalidBody = [op.invalidBodyStatus];
  const patchChange = isPatch ? validChange(target.current ?? {}, target.writable) : null;
  /** what a request that must fail for another reason carries as its body */
  const passableBody = (): Partial<BadRequest> =>
    hasJsonBody && target.body ? { body: target.body } : isPatch ? { body: patchChange ? [patchChange] : [{ op: 'test', path: '/id', value: target.current?.id }] } : {};

  // ids that are not positive integers: 400; too long to be one: 400 or 404
  const idParams = op.parameters.filter(isIdParameter).map((p) => p.name);
  if (idParams.length) {
    const withId = (name: string, value: string): BadRequest => {
      const positive = /^[1-9]\d*$/.test(value);
      return base(`path ${name} = ${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}… (${value.length} chars)` : value)}`, {
        url: urlWith([], undefined, fillPath(op.path, { ...target.pathValues, [name]: value })),
        ...passableBody(),
        expect: positive ? [400, 404] : [400],
      });
    };
    for (const name of idParams) for (const value of ['0', '-1', 'abc', '1.5', HUGE_IDS[0]!]) named.push(withId(name, value));
    arbitraries.push(
      fc
        .tuple(
          fc.constantFrom(...idParams),
          fc.oneof(
            fc.constantFrom(...NOT_IDS, ...HUGE_IDS),
            fc.bigInt({ min: -(2n ** 70n), max: 0n }).map(String),
            fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^[1-9]\d*$/.test(s) && s !== '.' && s !== '..'),
          ),
        )
        .map(([name, value]) => withId(name, value)),
    );
  }

  // query parameters nobody declared: 400
  const unknownQuery = (name: string, value: string) =>
    base(`unknown query parameter ${name}`, { url: urlWith([[name, value]]), ...passableBody(), expect: [400] });
  named.push(unknownQuery('colour', 'red'));
  arbitraries.push(
    fc
      .tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), fc.string({ maxLength: 20 }))
      .filter(([name]) => !target.knownQuery.has(name))
      .map(([name, value]) => unknownQuery(name, value)),
  );

  // declared query parameters with values their grammar refuses, or given twice: 400
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  if (queryParams.length) {
    const cases = queryParams.flatMap((p) => badQueryValues(p).map((value) => ({ p, value })));
    const badQuery = ({ p, value }: { p: Parameter; value: string }) =>
      base(`query ${p.name} = ${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}… (${value.length} chars)` : value)}`, {
        url: urlWith([[p.name, value]], p.name),
        expect: [400],
      });
    named.push(badQuery({ p: queryParams[0]!, value: LONG_STRING }));
    arbitraries.push(fc.constantFrom(...cases).map(badQuery));
    arbitraries.push(
      fc.constantFrom(...queryParams).map((p) => base(`query ${p.name} given twice`, { url: urlWith([[p.name, '1'], [p.name, '2']], p.name), expect: [400] })),
    );
  }
  // each required parameter left out: 400
  for (const [name] of required) named.push(base(`without the required query parameter ${name}`, { url: urlWith([], name), expect: [400] }));

  // a body over 1 MiB: 413, whatever the route does with bodies
  if (op.method !== 'GET' && op.method !== 'HEAD') {
    const mediaType = op.body?.mediaType ?? 'application/json';
    const raw = isPatch ? JSON.stringify([{ op: 'add', path: '/padding', value: OVER_ONE_MIB }]) : JSON.stringify({ ...target.body, padding: OVER_ONE_MIB });
    named.push(base('a body over 1 MiB', { raw, contentType: mediaType, expect: [413] }));
  }

  if (op.body) {
    const mediaType = op.body.mediaType;
    const text = JSON.stringify(isPatch ? (patchChange ? [patchChange] : [{ op: 'test', path: '/id', value: 1 }]) : (target.body ?? {}));
    // another media type: 415
    const otherTypes = isPatch ? [...OTHER_MEDIA_TYPES, ...OTHER_PATCH_TYPES] : [...OTHER_MEDIA_TYPES, ...OTHER_JSON_TYPES];
    const wrongType = (contentType: string) => base(`content type ${JSON.stringify(contentType)}`, { raw: text, contentType, expect: [415] });
    const alwaysSent = isPatch ? ['application/json', 'application/json-patch+json; charset=utf-16'] : ['application/xml', 'application/json-patch+json', 'application/json; charset=utf-16'];
    for (const type of new Set([otherTypes[0]!, '', ...alwaysSent])) named.push(wrongType(type));
    arbitraries.push(fc.constantFrom(...otherTypes).map(wrongType));
    // broken JSON: 400
    const broken = (raw: string) => base(`broken JSON ${JSON.stringify(raw.slice(0, 40))}`, { raw, contentType: mediaType, expect: [400] });
    named.push(broken(text.slice(0, -1)), broken(`${text}x`));
    arbitraries.push(fc.oneof(fc.constantFrom(...BROKEN_JSON), fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((n) => text.slice(0, n))).map(broken));
  }

  if (hasJsonBody && target.body) {
    const body = target.body;
    const schema = op.body!.schema;
    const mutations = fieldMutations(schema, body);
    const mutate = (m: Mutation) => base(`${m.pointer} ${m.why}`, { body: withValueAt(body, m.pointer, m.value), expect: invalidBody });
    // the spec's impossible dates and 10,000-character strings, on every field they apply to
    for (const m of mutations) if (['2025-02-30', '2025-13-01', 'tomorrow', '9999-12-31', LONG_STRING].includes(m.value as string)) named.push(mutate(m));
    // batches and nested lists: each field of an item refused once, and a list empty or over its limit
    const nestedFields = new Set<string>();
    for (const m of mutations) {
      const nested = /\/\d+\//.test(m.pointer) && !nestedFields.has(m.pointer);
      if (nested) nestedFields.add(m.pointer);
      if (nested || m.why === 'no items' || /^\d+ items$/.test(m.why)) named.push(mutate(m));
    }
    if (mutations.length) arbitraries.push(fc.constantFrom(...mutations).map(mutate));
    if (schema.additionalProperties === false) {
      const properties = new Set(Object.keys(schema.properties ?? {}));
      const unknown = (name: string, value: unknown) => base(`unknown field ${name}`, { body: { ...body, [name]: value }, expect: invalidBody });
      named.push(unknown('colour', 'red'));
      arbitraries.push(
        fc
          .tuple(fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,15}$/), fc.jsonValue({ maxDepth: 2 }))
          .filter(([name]) => !properties.has(name))
          .map(([name, value]) => unknown(name, value)),
      );
    }
    const required = (schema.required ?? []).filter((f) => f in body);
    if (required.length) {
      const without = (field: string) => {
        const { [field]: _gone, ...rest } = body;
        return base(`without the required ${field}`, { body: rest, expect: invalidBody });
      };
      named.push(without(required[0]!));
      arbitraries.push(fc.constantFrom(...required).map(without));
    }
    const shape = (value: unknown) => base(`a body of ${JSON.stringify(value).slice(0, 30)}`, { body: value, expect: invalidBody });
    named.push(shape([body]));
    arbitraries.push(fc.constantFrom<unknown>([], 'text', 42, true, null).map(shape));
    if (op.body!.required) named.push(base('no body', { expect: [400, 415, ...invalidBody] }));
    // a valid body with an unusable Idempotency-Key: 400 (public routes store no responses, so they take no key)
    if (op.secured) {
      for (const key of ['k'.repeat(256), '']) named.push(base(`Idempotency-Key of ${key.length} characters`, { body, headers: { 'idempotency-key': key }, expect: [400] }));
      // a refused request under a good key keeps nothing, so the caller may correct it and retry under that key
      const keyed = { headers: { 'idempotency-key': `reliability ${op.name}` }, expect: invalidBody };
      named.push(base('an unknown field, under an Idempotency-Key', { ...keyed, body: { ...body, colour: 'red' } }));
    }
  }

  if (isPatch && target.current) {
    const current = target.current;
    const writable = new Set(Object.keys(target.writable?.properties ?? {}));
    const readOnly = [...new Set(['id', 'version', 'createdDate', ...Object.keys(current).filter((f) => !writable.has(f))])];
    const otherValue = (value: unknown): unknown =>
      typeof value === 'number' ? value + 7 : typeof value === 'string' ? `${value}x` : value === null ? 'x' : null;
    const readOnlyOps = readOnly.map((field) => [{ op: 'replace', path: `/${field}`, value: otherValue(current[field]) }]);
    for (const field of ['id', 'version', 'createdDate']) readOnlyOps.push([{ op: 'remove', path: `/${field}` }] as never);
    readOnlyOps.push([{ op: 'copy', from: '/createdDate', path: '/id' }] as never, [{ op: 'move', from: '/version', path: '/other' }] as never);
    const patch = (label: string, operations: unknown, expect: readonly number[], headers?: Record<string, string>) =>
      base(label, { body: operations, ...(headers ? { headers } : {}), expect });
    for (const ops of readOnlyOps) named.push(patch(`${ops[0]!.op} read-only ${ops[0]!.path}`, ops, [400]));
    arbitraries.push(
      fc
        .tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/), fc.jsonValue({ maxDepth: 2 }))
        .filter(([name]) => !Object.hasOwn(current, name))
        .map(([name, value]) => patch(`add unknown /${name}`, [{ op: 'add', path: `/${name}`, value }], [400])),
    );
    const malformed = (doc: unknown) => patch(`malformed patch ${JSON.stringify(doc).slice(0, 60)}`, doc, [400]);
    // the ones that reach the patch library each time (prototype paths, inherited members); the rest are drawn
    const inherited = /proto|"\/(toString|constructor)"/;
    for (const doc of MALFORMED_PATCHES.filter((d) => inherited.test(JSON.stringify(d)))) named.push(malformed(doc));
    arbitraries.push(fc.constantFrom(...MALFORMED_PATCHES).map(malformed));
    // a nested item's member that is not there yet is added; any other is replaced
    const change = (m: Mutation) => ({ op: valueAt(current, m.pointer) === undefined ? 'add' : 'replace', path: m.pointer, value: m.value });
    const mutations = fieldMutations(target.writable ?? {}, current).filter((m) => !same(m.value, valueAt(current, m.pointer)));
    if (mutations.length) {
      arbitraries.push(fc.constantFrom(...mutations).map((m) => patch(`${change(m).op} ${m.pointer}: ${m.why}`, [change(m)], [400, 422])));
    }
    const required = (target.writable?.required ?? []).filter((f) => current[f] !== null && current[f] !== undefined);
    if (required.length) arbitraries.push(fc.constantFrom(...required).map((f) => patch(`remove required /${f}`, [{ op: 'remove', path: `/${f}` }], [400, 422])));
    if (patchChange) {
      named.push(patch('If-Match "999"', [patchChange], [412], { 'if-match': '"999"' }));
      arbitraries.push(fc.constantFrom('garbage', 'W/"1"', '"0"').map((tag) => patch(`If-Match ${tag}`, [patchChange], [412], { 'if-match': tag })));
      named.push(patch('a failing test before a valid change', [{ op: 'test', path: '/id', value: -1 }, patchChange], [400]));
      if (mutations.length) {
        arbitraries.push(
          fc.constantFrom(...mutations).map((m) => patch(`a valid change, then ${m.pointer} ${m.why}`, [patchChange, change(m)], [400, 422])),
        );
      }
    }
  }

  if (op.method === 'DELETE') {
    named.push(base('If-Match "999"', { headers: { 'if-match': '"999"' }, expect: [412] }));
  }

  return { named, arbitrary: arbitraries.length ? fc.oneof(...arbitraries) : null };
}

/** Sends a BadRequest; a body without a content type of its own goes with the operation's media type. */
export function send(h: Harness, token: string | null, req: BadRequest, mediaType = 'application/json'): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...req.headers };
  const hasBody = req.raw !== undefined || req.body !== undefined;
  if (hasBody) headers['content-type'] = req.contentType ?? mediaType;
  return h.request(req.method, req.url, { token, headers, ...(req.raw !== undefined ? { raw: req.raw } : req.body !== undefined ? { body: req.body } : {}) });
}

/**
 * Whether a response is an RFC 9457 problem with one of the statuses (a HEAD
 * answer has no body, only the status and media type). Returns what is wrong, or null.
 */
export function problemMismatch(res: ApiResponse, method: string, statuses: readonly number[]): string | null {
  const type = res.headers.get('content-type') ?? '';
  if (!statuses.includes(res.status)) return `status ${res.status}, expected ${statuses.join(' or ')}`;
  if (!type.startsWith('application/problem+json')) return `content type ${type}`;
  if (method === 'HEAD') return res.text === '' ? null : 'a HEAD answer with a body';
  const p = res.body as Record<string, unknown>;
  if (typeof p !== 'object' || p === null) return 'no problem body';
  if (typeof p.type !== 'string' || !p.type.startsWith('https://')) return 'problem without a type URI';
  if (typeof p.title !== 'string' || !p.title) return 'problem without a title';
  if (p.status !== res.status) return `problem status ${String(p.status)} differs from ${res.status}`;
  if (typeof p.detail !== 'string' || !p.detail) return 'problem without a detail';
  if (typeof p.instance !== 'string' || !p.instance.startsWith('/')) return 'problem without an instance';
  if (typeof p.requestId !== 'string' || p.requestId !== res.headers.get('x-request-id')) return 'problem without the request id';
  return null;
}

/**
 * simPRO's list query grammar (src/routes/simpro/query.ts): every operator of
 * every column type, search=all|any, columns, orderby, paging, limit and cursor, and
 * the 400s naming the parameter. Properties check that what a client can write
 * parses to what it means, and that nothing else is ever thrown than a 400.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenorError } from '../../src/errors';
import { cappedTotal, type FieldFilter, type FilterTree, MAX_MATCH_PATTERN_BYTES, matchPatternBytes, pageWindow } from '../../src/list-query';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  parseColumns,
  parseFieldFilter,
  parseItemColumns,
  parseOrderBy,
  parseSimproList,
  pickColumns,
  resultHeaders,
  type SimproListSpec,
} from '../../src/routes/simpro/query';

const SPEC: SimproListSpec = {
  columns: ['ID', 'Name', 'StartDate', 'Value', 'Expired', 'PricingTier', 'Rates'],
  defaultColumns: ['ID', 'Name'],
  filters: {
    ID: { field: 'id', type: 'id' },
    Name: { field: 'name', type: 'string' },
    StartDate: { field: 'startDate', type: 'date' },
    Value: { field: 'value', type: 'number' },
    Expired: { field: 'expired', type: 'boolean', sortable: false },
    'PricingTier.ID': { field: 'pricingTierId', type: 'id' },
    'Rates.ServiceFee.Name': { field: 'serviceFeeName', type: 'string' },
  },
};

const params = (query: string) => new URLSearchParams(query);
const parse = (query: string) => parseSimproList(params(query), SPEC);
const conditions = (param: keyof typeof SPEC.filters, raw: string) => parseFieldFilter(param, SPEC.filters[param]!.type, raw).conditions;

/** The 400 a call throws: its field path and message. */
function problem(call: () => unknown): { status: string; path: string; message: string } {
  try {
    call();
  } catch (error) {
    if (!(error instanceof TenorError)) throw error;
    return { status: error.kind, path: error.errors?.[0]?.path ?? '', message: error.errors?.[0]?.message ?? error.detail };
  }
  throw new Error('expected a problem');
}

describe('defaults', () => {
  it('pages 30 records from page 1, in the default columns, with no filter', () => {
    const { query, columns } = parse('');
    expect(query).toEqual({ page: 1, pageSize: DEFAULT_PAGE_SIZE, sort: [], fields: null, where: { all: [] } });
    expect(columns).toEqual(['ID', 'Name']);
  });

  it('takes the list’s default order', () => {
    const spec = { ...SPEC, defaultSort: [{ field: 'name', descending: false }] };
    expect(parseSimproList(params(''), spec).query.sort).toEqual([{ field: 'name', descending: false }]);
    expect(parseSimproList(params('orderby=-ID'), spec).query.sort).toEqual([{ field: 'id', descending: true }]);
  });
});

describe('field filters', () => {
  it('reads a plain value as equality, typed by the column', () => {
    expect(conditions('ID', '5')).toEqual([{ op: 'eq', value: 5 }]);
    expect(conditions('Name', 'Acme Ltd')).toEqual([{ op: 'eq', value: 'Acme Ltd' }]);
    expect(conditions('StartDate', '2025-01-31')).toEqual([{ op: 'eq', value: '2025-01-31' }]);
    expect(conditions('Value', '-12.5')).toEqual([{ op: 'eq', value: -12.5 }]);
    expect(conditions('Expired', 'true')).toEqual([{ op: 'eq', value: true }]);
    expect(conditions('Expired', 'False')).toEqual([{ op: 'eq', value: false }]);
  });

  it('reads % as a wildcard on text (contains, starts with, ends with)', () => {
    expect(conditions('Name', '%acme%')).toEqual([{ op: 'matches', pattern: '%acme%' }]);
    expect(conditions('Name', 'acme%')).toEqual([{ op: 'matches', pattern: 'acme%' }]);
    expect(conditions('Name', '%Ltd')).toEqual([{ op: 'matches', pattern: '%Ltd' }]);
    // inside an operator the text is literal
    expect(conditions('Name', 'in(50%,60%)')).toEqual([{ op: 'in', values: ['50%', '60%'] }]);
  });

  it('reads lt() le() gt() ge() ne()', () => {
    expect(conditions('StartDate', 'lt(2025-01-01)')).toEqual([{ op: 'lt', value: '2025-01-01' }]);
    expect(conditions('StartDate', 'le(2025-01-01)')).toEqual([{ op: 'le', value: '2025-01-01' }]);
    expect(conditions('Value', 'gt(100)')).toEqual([{ op: 'gt', value: 100 }]);
    expect(conditions('ID', 'ge(7)')).toEqual([{ op: 'ge', value: 7 }]);
    expect(conditions('Name', 'ne(Acme)')).toEqual([{ op: 'ne', value: 'Acme' }]);
    expect(conditions('Expired', 'ne(true)')).toEqual([{ op: 'ne', value: true }]);
  });

  it('reads between(a,b), in(…) and !in(…), trimming the items', () => {
    expect(conditions('StartDate', 'between(2025-01-01,2025-12-31)')).toEqual([{ op: 'between', from: '2025-01-01', to: '2025-12-31' }]);
    expect(conditions('Value', 'between(1, 9.5)')).toEqual([{ op: 'between', from: 1, to: 9.5 }]);
    expect(conditions('ID', 'in(1,2, 3)')).toEqual([{ op: 'in', values: [1, 2, 3] }]);
    expect(conditions('PricingTier.ID', '!in(4,5)')).toEqual([{ op: 'notIn', values: [4, 5] }]);
    expect(conditions('Name', 'in(A,B)')).toEqual([{ op: 'in', values: ['A', 'B'] }]);
  });

  it('reads null, and ne(null) or ne() as "has a value"', () => {
    for (const raw of ['null', 'NULL', 'Null']) expect(conditions('StartDate', raw)).toEqual([{ op: 'isNull' }]);
    for (const raw of ['ne(null)', 'ne(NULL)', 'ne()']) expect(conditions('Name', raw)).toEqual([{ op: 'notNull' }]);
  });

  it('refuses values that do not parse, naming the parameter', () => {
    const bad: Array<[keyof typeof SPEC.filters, string, RegExp]> = [
      ['ID', 'abc', /id/],
      ['ID', '-1', /id/],
      ['ID', '1.5', /id/],
      ['ID', '99999999999999999999', /id/],
      ['Value', '1e5', /number/],
      ['Value', '0.1234567', /number/],
      ['StartDate', '2025-02-30', /date/],
      ['StartDate', 'lt(tomorrow)', /date/],
      ['Expired', 'yes', /true or false/],
      ['Expired', 'gt(true)', /cannot be compared/],
      ['Expired', 'between(true,false)', /cannot be compared/],
      ['Name', '', /needs a value/],
      ['Name', 'in()', /empty value/],
      ['Name', 'in(a,,b)', /empty value/],
      ['Value', 'between(1)', /two values/],
      ['Value', 'between(1,2,3)', /two values/],
      ['ID', `in(${Array.from({ length: 101 }, (_, i) => i + 1).join(',')})`, /at most 100/],
      ['Name', 'x'.repeat(1001), /at most 1000/],
      ['Name', `%${'x'.repeat(MAX_MATCH_PATTERN_BYTES)}%`, /at most 50 bytes/],
      ['Name', 'y'.repeat(5000), /at most/],
    ];
    for (const [param, raw, message] of bad) {
      const p = problem(() => parseFieldFilter(param, SPEC.filters[param]!.type, raw));
      expect(p.status, `${param}=${raw}`).toBe('validation');
      expect(p.path).toBe(`query.${param}`);
      expect(p.message, `${param}=${raw.slice(0, 30)}`).toMatch(message);
    }
  });

  it('counts a pattern’s bytes as the database does (escapes and multi-byte characters)', () => {
    expect(matchPatternBytes('%ab%')).toBe(4);
    expect(matchPatternBytes('a_b')).toBe(4);
    expect(matchPatternBytes('%é%')).toBe(4);
    expect(conditions('Name', `%${'é'.repeat(24)}%`)).toEqual([{ op: 'matches', pattern: `%${'é'.repeat(24)}%` }]);
    expect(problem(() => parseFieldFilter('Name', 'string', `%${'é'.repeat(25)}%`)).message).toMatch(/50 bytes/);
  });
});

describe('a list request', () => {
  it('names filters by column, dot notation for nested ones, ANDed by default', () => {
    const { query } = parse('PricingTier.ID=3&Rates.ServiceFee.Name=%25call%25&Expired=false');
    expect(query.where).toEqual({
      all: [
        { field: 'pricingTierId', filter: { type: 'id', conditions: [{ op: 'eq', value: 3 }] } },
        { field: 'serviceFeeName', filter: { type: 'string', conditions: [{ op: 'matches', pattern: '%call%' }] } },
        { field: 'expired', filter: { type: 'boolean', conditions: [{ op: 'eq', value: false }] } },
      ],
    });
  });

  it('combines the filters with OR for search=any, AND for search=all', () => {
    expect(parse('search=any&ID=1&Name=X').query.where).toMatchObject({ any: [{ field: 'id' }, { field: 'name' }] });
    expect(parse('search=all&ID=1&Name=X').query.where).toMatchObject({ all: [{ field: 'id' }, { field: 'name' }] });
    expect(problem(() => parse('search=some')).path).toBe('query.search');
    expect(problem(() => parse('search=ANY')).path).toBe('query.search');
  });

  it('reads page, pageSize and limit within their ranges', () => {
    expect(parse('page=3&pageSize=250&limit=40').query).toMatchObject({ page: 3, pageSize: 250, limit: 40 });
    for (const [query, path] of [
      ['pageSize=0', 'query.pageSize'],
      [`pageSize=${MAX_PAGE_SIZE + 1}`, 'query.pageSize'],
      ['pageSize=1e2', 'query.pageSize'],
      ['page=0', 'query.page'],
      ['page=1000001', 'query.page'],
      ['page=-1', 'query.page'],
      ['limit=0', 'query.limit'],
      ['limit=abc', 'query.limit'],
    ] as const) {
      expect(problem(() => parse(query)).path, query).toBe(path);
    }
  });

  it('reads cursor (a Tenor extension) as keyset paging, not with page nor limit', () => {
    expect(parse('pageSize=5').query.after).toBeUndefined();
    expect(parse('cursor=&pageSize=5').query).toMatchObject({ after: null, pageSize: 5 });
    const cursor = Buffer.from(JSON.stringify(['Beta', 7])).toString('base64url');
    expect(parse(`orderby=-Name&cursor=${cursor}`).query.after).toEqual(['Beta', 7]);
    for (const [query, path] of [
      ['cursor=nope!', 'query.cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'query.cursor'],
      ['cursor=&page=2', 'query.page'],
      ['cursor=&limit=5', 'query.limit'],
      ['cursor=&cursor=', 'query.cursor'],
    ] as const) {
      expect(problem(() => parse(query)).path, query).toBe(path);
    }
  });

  it('orders by columns, - for descending, and refuses the others', () => {
    expect(parse('orderby=-StartDate,Name,PricingTier.ID').query.sort).toEqual([
      { field: 'startDate', descending: true },
      { field: 'name', descending: false },
      { field: 'pricingTierId', descending: false },
    ]);
    expect(problem(() => parse('orderby=Nope')).message).toMatch(/cannot order by "Nope"/);
    expect(problem(() => parse('orderby=Expired')).message).toMatch(/cannot order by "Expired"/);
    expect(problem(() => parse('orderby=ID,,Name')).path).toBe('query.orderby');
    expect(problem(() => parseOrderBy(Array(11).fill('ID').join(','), SPEC)).message).toMatch(/at most 10/);
  });

  it('returns the columns asked for, each once, in the order asked; an unknown one is a 400 naming it', () => {
    expect(parse('columns=Rates,ID,Rates').columns).toEqual(['Rates', 'ID']);
    expect(parseColumns(undefined, SPEC.columns, SPEC.defaultColumns)).toEqual(['ID', 'Name']);
    const p = problem(() => parse('columns=ID,Colour'));
    expect(p.path).toBe('query.columns');
    expect(p.message).toMatch(/unknown column "Colour"/);
  });

  it('refuses unknown and repeated parameters', () => {
    expect(problem(() => parse('Colour=red')).path).toBe('query.Colour');
    expect(problem(() => parse('ID=1&ID=2')).message).toMatch(/only once/);
    // a filter names a leaf column, not an object
    expect(problem(() => parse('PricingTier=3')).path).toBe('query.PricingTier');
  });

  it('takes only columns on an item', () => {
    expect(parseItemColumns(params(''), SPEC.columns)).toEqual(SPEC.columns);
    expect(parseItemColumns(params('columns=Name'), SPEC.columns)).toEqual(['Name']);
    expect(problem(() => parseItemColumns(params('page=2'), SPEC.columns)).path).toBe('query.page');
  });
});

describe('answers', () => {
  it('keeps the asked-for columns in order, and links', () => {
    const object = { ID: 1, Name: 'A', Rates: { ServiceFee: null }, _href: '/x' };
    expect(Object.keys(pickColumns(object, ['Rates', 'ID']))).toEqual(['Rates', 'ID', '_href']);
  });

  it('tells the paging in Result-* headers', () => {
    expect(resultHeaders(61, 30, 1)).toEqual({ 'result-total': '61', 'result-pages': '3', 'result-count': '1' });
    expect(resultHeaders(0, 30, 0)).toEqual({ 'result-total': '0', 'result-pages': '0', 'result-count': '0' });
  });

  it('cuts pages from the first `limit` records', () => {
    expect(pageWindow({ page: 1, pageSize: 30 })).toEqual({ offset: 0, size: 30 });
    expect(pageWindow({ page: 2, pageSize: 30, limit: 45 })).toEqual({ offset: 30, size: 15 });
    expect(pageWindow({ page: 3, pageSize: 30, limit: 45 })).toEqual({ offset: 60, size: 0 });
    expect(cappedTotal(100, 45)).toBe(45);
    expect(cappedTotal(10, 45)).toBe(10);
    expect(cappedTotal(10, undefined)).toBe(10);
  });
});

describe('properties', () => {
  const ids = fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: 100 });
  const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  /** text a client can send as a plain value: no %, and not an operator or null */
  const plainText = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => !s.includes('%') && !/^(lt|le|gt|ge|ne|between|in|!in)\(.*\)$/s.test(s) && s.toLowerCase() !== 'null');

  it('in(…) and !in(…) of ids give back the ids', () => {
    fc.assert(
      fc.property(ids, fc.boolean(), (values, negate) => {
        const [c] = parseFieldFilter('ID', 'id', `${negate ? '!' : ''}in(${values.join(',')})`).conditions;
        expect(c).toEqual({ op: negate ? 'notIn' : 'in', values });
      }),
    );
  });

  it('between(a,b) of dates gives back both dates; comparisons keep theirs', () => {
    fc.assert(
      fc.property(date, date, fc.constantFrom('lt', 'le', 'gt', 'ge', 'ne'), (a, b, op) => {
        expect(parseFieldFilter('StartDate', 'date', `between(${a},${b})`).conditions).toEqual([{ op: 'between', from: a, to: b }]);
        expect(parseFieldFilter('StartDate', 'date', `${op}(${a})`).conditions).toEqual([{ op, value: a }]);
      }),
    );
  });

  it('a plain text value is an exact match of itself', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        expect(parseFieldFilter('Name', 'string', text).conditions).toEqual([{ op: 'eq', value: text }]);
      }),
    );
  });

  it('numbers with up to 6 decimals round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 999_999 }), (whole, micros) => {
        const text = `${whole}.${String(micros).padStart(6, '0')}`;
        expect(parseFieldFilter('Value', 'number', text).conditions).toEqual([{ op: 'eq', value: Number(text) }]);
      }),
    );
  });

  it('any query string parses or is a 400 naming a query parameter, never anything else', () => {
    const key = fc.constantFrom('ID', 'Name', 'StartDate', 'Value', 'Expired', 'PricingTier.ID', 'columns', 'page', 'pageSize', 'limit', 'orderby', 'search', 'cursor', 'other');
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('in(', 'in())', 'between(,)', '!in(1', 'ne(', 'null', '%', '%%', '-ID', 'ID,-Name', '0', '250', '251', '', 'WzFd', 'W10'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), (pairs) => {
        try {
          const { query, columns } = parseSimproList(pairs, SPEC);
          expect(query.pageSize).toBeLessThanOrEqual(MAX_PAGE_SIZE);
          for (const c of columns) expect(SPEC.columns).toContain(c);
        } catch (error) {
          expect(error).toBeInstanceOf(TenorError);
          expect((error as TenorError).kind).toBe('validation');
          expect((error as TenorError).errors?.[0]?.path).toMatch(/^query\./);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('search=any and search=all hold the same filters', () => {
    const filterOf = (tree: FilterTree): FieldFilter[] => ('all' in tree ? tree.all : 'any' in tree ? tree.any : [tree]).map((t) => (t as { filter: FieldFilter }).filter);
    fc.assert(
      fc.property(fc.subarray(['ID=1', 'Name=%25a%25', 'StartDate=lt(2025-01-01)', 'Expired=true']), (filters) => {
        const all = parse(`search=all&${filters.join('&')}`).query.where;
        const any = parse(`search=any&${filters.join('&')}`).query.where;
        expect('all' in all && 'any' in any).toBe(true);
        expect(filterOf(any)).toEqual(filterOf(all));
      }),
    );
  });
});

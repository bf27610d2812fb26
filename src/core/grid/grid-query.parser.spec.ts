import { sampleGrid } from '../../../test/support/sample-grid';
import type { ApiErrorBody } from '../http/api-error';
import { ApiError } from '../http/api-error';
import type { RawQuery } from './grid-query.parser';
import {
  parseFilters,
  parseGridQuery,
  parseSort,
  parseValuesQuery,
  withTieBreaker,
} from './grid-query.parser';
import type { ColumnType, Operator } from './grid.types';
import { OPERATORS, OPERATORS_BY_TYPE } from './grid.types';

const limits = { defaultLimit: 50, maxLimit: 500, maxOffset: 5000 };
const parse = (raw: RawQuery) => parseGridQuery(sampleGrid, raw, limits);

/** The error body a call throws (fails the test when it does not throw an ApiError). */
function errorOf(fn: () => unknown): ApiErrorBody {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e.getResponse() as ApiErrorBody;
    throw e;
  }
  throw new Error('expected an ApiError, nothing was thrown');
}

/** A column of the sample grid per type (the one the table below filters). */
const COLUMN_OF: Record<ColumnType, string> = {
  text: 'name',
  integer: 'id',
  number: 'amount',
  boolean: 'active',
  datetime: 'created_on',
  date: 'due',
  enum: 'status',
  reference: 'owner_id',
};

/** Well-formed values per type, as sent and as parsed. */
const VALID: Record<ColumnType, [string, unknown][]> = {
  text: [
    ['abc', 'abc'],
    ["O'Brien; DROP TABLE x; --", "O'Brien; DROP TABLE x; --"],
    ['50%_off\\', '50%_off\\'],
    ['x'.repeat(200), 'x'.repeat(200)],
  ],
  integer: [
    ['42', 42],
    ['-7', -7],
    ['0', 0],
    ['999999999999999', 999999999999999],
  ],
  number: [
    ['4.25', 4.25],
    ['-3', -3],
    ['1e3', 1000],
    ['0.5E-2', 0.005],
  ],
  boolean: [
    ['true', true],
    ['false', false],
  ],
  datetime: [
    ['2025-01-31T12:00:00Z', '2025-01-31T12:00:00Z'],
    ['2025-01-31 12:00:00.123456+00', '2025-01-31 12:00:00.123456+00'],
    ['2025-01-31T12:00', '2025-01-31T12:00'],
    ['2025-01-31', '2025-01-31'],
    ['2024-02-29T23:59:59+05:30', '2024-02-29T23:59:59+05:30'],
    ['2025-06-01T00:00:00-0800', '2025-06-01T00:00:00-0800'],
  ],
  date: [
    ['2025-01-31', '2025-01-31'],
    ['2024-02-29', '2024-02-29'],
  ],
  enum: [
    ['open', 'open'],
    ['on_hold', 'on_hold'],
  ],
  reference: [
    ['12', 12],
    ['1', 1],
  ],
};

/** Malformed values per type: each is a 400 GRID_INVALID_VALUE, never a database error. */
const MALFORMED: Record<ColumnType, string[]> = {
  text: ['x'.repeat(201), 'nul\u0000byte'],
  integer: ['4.2', 'abc', '1e3', '9999999999999999', '', ' 1', '1 OR 1=1', '0x10'],
  number: ['abc', '1e400', 'Infinity', 'NaN', '0x10', '', ' 1', '1_000', '1.5.1'],
  boolean: ['yes', '1', 'TRUE', ''],
  datetime: [
    'yesterday',
    '2025-02-30',
    '2025-02-29T10:00:00Z',
    '0000-01-01',
    '2025-13-01',
    '2025-00-10',
    '2025-01-31T24:00:00Z',
    '2025-01-31T12:60',
    '2025-01-31T12:00:60Z',
    '2025-01-31T12:00:00+16:00',
    '2025-1-1',
    "2025-01-31'; DROP TABLE documents; --",
    '',
  ],
  date: ['2025-02-29', '2025-01-31T00:00:00Z', '31.01.2025', '0000-01-01', '2025-04-31', ''],
  enum: ['OPEN', 'pending', "open' OR '1'='1", ''],
  reference: ['abc', '1.5', '-', ''],
};

/** The raw value an operator takes, built from well-formed scalars. */
function rawFor(op: Operator, a: string, b: string): string {
  if (op === 'isNull') return 'true';
  if (op === 'in' || op === 'nin' || op === 'between') return `${a},${b}`;
  return a;
}

describe('grid query parser: filters', () => {
  const types = Object.keys(COLUMN_OF) as ColumnType[];

  describe.each(types)('a %s column', (type) => {
    const key = COLUMN_OF[type];
    const [[a, parsedA], [b, parsedB]] = VALID[type];

    it.each(OPERATORS.filter((op) => OPERATORS_BY_TYPE[type].includes(op)))(
      'takes %s with typed values',
      (op) => {
        const param = `filter[${key}][${op}]`;
        const [f] = parseFilters(sampleGrid, { [param]: rawFor(op, a, b) });
        expect(f).toMatchObject({ op, parameter: param });
        expect(f.column.key).toBe(key);
        if (op === 'isNull') expect(f.values).toEqual([true]);
        else if (op === 'in' || op === 'nin' || op === 'between')
          expect(f.values).toEqual([parsedA, parsedB]);
        else expect(f.values).toEqual([parsedA]);
      },
    );

    it.each(OPERATORS.filter((op) => !OPERATORS_BY_TYPE[type].includes(op)))(
      'refuses %s naming the parameter and the operators it takes',
      (op) => {
        const param = `filter[${key}][${op}]`;
        const e = errorOf(() => parseFilters(sampleGrid, { [param]: a }));
        expect(e).toMatchObject({ code: 'GRID_OPERATOR_NOT_ALLOWED', parameter: param });
        expect(e.message).toContain(OPERATORS_BY_TYPE[type].join(', '));
      },
    );

    it.each(VALID[type])('parses %j', (raw, parsed) => {
      const [f] = parseFilters(sampleGrid, { [`filter[${key}]`]: raw });
      expect(f.values).toEqual([parsed]);
      expect(f.op).toBe('eq');
    });

    it.each(MALFORMED[type])('refuses %j with GRID_INVALID_VALUE', (raw) => {
      for (const op of OPERATORS_BY_TYPE[type].filter((o) => o !== 'isNull')) {
        const param = `filter[${key}][${op}]`;
        const value = op === 'in' || op === 'nin' || op === 'between' ? `${a},${raw}` : raw;
        // An empty list item of text is a legal empty string; other empties are malformed.
        if (type === 'text' && raw === '') continue;
        expect(errorOf(() => parseFilters(sampleGrid, { [param]: value }))).toMatchObject({
          code: 'GRID_INVALID_VALUE',
          parameter: param,
        });
      }
    });
  });

  it('reads filter[col]=v as eq', () => {
    const [f] = parseFilters(sampleGrid, { 'filter[status]': 'closed' });
    expect(f).toMatchObject({ op: 'eq', values: ['closed'], parameter: 'filter[status]' });
  });

  it('takes isNull true or false only', () => {
    expect(parseFilters(sampleGrid, { 'filter[note][isNull]': 'false' })[0].values).toEqual([
      false,
    ]);
    expect(
      errorOf(() => parseFilters(sampleGrid, { 'filter[note][isNull]': 'yes' })),
    ).toMatchObject({ code: 'GRID_INVALID_VALUE', parameter: 'filter[note][isNull]' });
  });

  it('takes exactly two values for between', () => {
    for (const v of ['1', '1,2,3']) {
      expect(errorOf(() => parseFilters(sampleGrid, { 'filter[id][between]': v }))).toMatchObject({
        code: 'GRID_INVALID_VALUE',
        parameter: 'filter[id][between]',
      });
    }
  });

  it('takes 1 to 100 values for in and nin', () => {
    const many = Array.from({ length: 101 }, (_, i) => String(i)).join(',');
    expect(parseFilters(sampleGrid, { 'filter[id][in]': '1' })[0].values).toEqual([1]);
    expect(errorOf(() => parseFilters(sampleGrid, { 'filter[id][nin]': many }))).toMatchObject({
      code: 'GRID_INVALID_VALUE',
      parameter: 'filter[id][nin]',
    });
  });

  it('refuses empty text for contains and startsWith', () => {
    for (const op of ['contains', 'startsWith']) {
      expect(
        errorOf(() => parseFilters(sampleGrid, { [`filter[name][${op}]`]: '' })),
      ).toMatchObject({ code: 'GRID_INVALID_VALUE' });
    }
  });

  it('keeps a narrower operator list declared by the column', () => {
    expect(parseFilters(sampleGrid, { 'filter[code][in]': 'a,b' })[0].values).toEqual(['a', 'b']);
    expect(
      errorOf(() => parseFilters(sampleGrid, { 'filter[code][contains]': 'a' })),
    ).toMatchObject({ code: 'GRID_OPERATOR_NOT_ALLOWED', parameter: 'filter[code][contains]' });
  });

  it.each([
    ['filter[nope]', 'GRID_UNKNOWN_COLUMN'],
    ['filter[secret]', 'GRID_NOT_FILTERABLE'],
    ['filter[name][like]', 'GRID_UNKNOWN_OPERATOR'],
    ['filter[name][eq][x]', 'GRID_INVALID_FILTER'],
    ['filter[na me]', 'GRID_INVALID_FILTER'],
    ['filter[name);DROP TABLE x;--]', 'GRID_INVALID_FILTER'],
    ['filter', 'GRID_INVALID_FILTER'],
    ['filterx', 'GRID_INVALID_FILTER'],
  ])('refuses the key %s with %s naming it', (param, code) => {
    expect(errorOf(() => parseFilters(sampleGrid, { [param]: 'x' }))).toMatchObject({
      code,
      parameter: param,
    });
  });

  it('refuses a repeated filter', () => {
    expect(
      errorOf(() => parseFilters(sampleGrid, { 'filter[status]': ['open', 'closed'] })),
    ).toMatchObject({ code: 'GRID_REPEATED_PARAMETER', parameter: 'filter[status]' });
  });

  it('combines several filters, also two on one column', () => {
    const fs = parseFilters(sampleGrid, {
      'filter[id][gt]': '1',
      'filter[id][lt]': '9',
      'filter[status]': 'open',
    });
    expect(fs.map((f) => [f.column.key, f.op])).toEqual([
      ['id', 'gt'],
      ['id', 'lt'],
      ['status', 'eq'],
    ]);
  });
});

describe('grid query parser: sort', () => {
  it('defaults to the definition', () => {
    expect(parseSort(sampleGrid, undefined)).toEqual(sampleGrid.defaultSort);
  });

  it('reads a comma list with - for descending, trimming blanks', () => {
    expect(parseSort(sampleGrid, '-amount, name')).toEqual([
      { column: 'amount', direction: 'desc' },
      { column: 'name', direction: 'asc' },
    ]);
  });

  it.each([
    ['nope', 'GRID_UNKNOWN_COLUMN'],
    ['-nope', 'GRID_UNKNOWN_COLUMN'],
    ['--name', 'GRID_UNKNOWN_COLUMN'],
    ['name;DROP TABLE x', 'GRID_UNKNOWN_COLUMN'],
    ['note', 'GRID_NOT_SORTABLE'],
    ['name,-name', 'GRID_INVALID_SORT'],
    ['', 'GRID_INVALID_SORT'],
    [',', 'GRID_INVALID_SORT'],
    ['-', 'GRID_INVALID_SORT'],
    ['name,', 'GRID_INVALID_SORT'],
    ['id,name,amount,active,status,due', 'GRID_INVALID_SORT'],
  ])('refuses %j with %s on sort', (raw, code) => {
    expect(errorOf(() => parseSort(sampleGrid, raw))).toMatchObject({ code, parameter: 'sort' });
  });

  it('refuses a repeated sort parameter', () => {
    expect(errorOf(() => parse({ sort: ['name', 'id'] }))).toMatchObject({
      code: 'GRID_REPEATED_PARAMETER',
      parameter: 'sort',
    });
  });
});

describe('grid query parser: tie-breaker', () => {
  it('appends the id in the direction of the last term', () => {
    expect(withTieBreaker(sampleGrid, [{ column: 'name', direction: 'desc' }])).toEqual([
      { column: 'name', direction: 'desc' },
      { column: 'id', direction: 'desc' },
    ]);
    expect(
      withTieBreaker(sampleGrid, [
        { column: 'amount', direction: 'desc' },
        { column: 'name', direction: 'asc' },
      ]),
    ).toEqual([
      { column: 'amount', direction: 'desc' },
      { column: 'name', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ]);
  });

  it('adds nothing when the id is already sorted on (it is unique)', () => {
    const sort = [
      { column: 'id', direction: 'desc' as const },
      { column: 'name', direction: 'asc' as const },
    ];
    expect(withTieBreaker(sampleGrid, sort)).toEqual(sort);
  });

  it('answers the requested sort without the tie-breaker', () => {
    expect(parse({ sort: 'name' }).sort).toEqual([{ column: 'name', direction: 'asc' }]);
  });
});

describe('grid query parser: paging, count, search, unknown parameters', () => {
  it('has defaults', () => {
    expect(parse({})).toEqual({
      sort: sampleGrid.defaultSort,
      filters: [],
      search: undefined,
      limit: 50,
      offset: 0,
      cursor: undefined,
      count: 'none',
    });
  });

  it('takes limit 1..maxLimit and offset 0..maxOffset', () => {
    expect(parse({ limit: '1', offset: '5000' })).toMatchObject({ limit: 1, offset: 5000 });
    expect(parse({ limit: '500', offset: '0' })).toMatchObject({ limit: 500, offset: 0 });
  });

  it.each([
    ['limit', '0', 'GRID_INVALID_LIMIT'],
    ['limit', '501', 'GRID_INVALID_LIMIT'],
    ['limit', '-1', 'GRID_INVALID_LIMIT'],
    ['limit', '1.5', 'GRID_INVALID_LIMIT'],
    ['limit', 'ten', 'GRID_INVALID_LIMIT'],
    ['limit', '', 'GRID_INVALID_LIMIT'],
    ['limit', '1;DROP TABLE x', 'GRID_INVALID_LIMIT'],
    ['limit', '99999999999', 'GRID_INVALID_LIMIT'],
    ['offset', '5001', 'GRID_INVALID_OFFSET'],
    ['offset', '-1', 'GRID_INVALID_OFFSET'],
    ['offset', 'x', 'GRID_INVALID_OFFSET'],
    ['count', 'all', 'GRID_INVALID_COUNT'],
    ['count', '', 'GRID_INVALID_COUNT'],
    ['count', 'EXACT', 'GRID_INVALID_COUNT'],
    ['search', 'x'.repeat(201), 'GRID_INVALID_SEARCH'],
    ['search', 'a\u0000b', 'GRID_INVALID_SEARCH'],
  ])('refuses %s=%j with %s', (parameter, value, code) => {
    expect(errorOf(() => parse({ [parameter]: value }))).toMatchObject({ code, parameter });
  });

  it.each(['none', 'exact', 'estimate'])('takes count=%s', (count) => {
    expect(parse({ count }).count).toBe(count);
  });

  it.each(['limit', 'offset', 'count', 'cursor', 'search'])('refuses a repeated %s', (p) => {
    expect(errorOf(() => parse({ [p]: ['1', '2'] }))).toMatchObject({
      code: 'GRID_REPEATED_PARAMETER',
      parameter: p,
    });
  });

  it('trims the search and ignores a blank one', () => {
    expect(parse({ search: '  invoice ' }).search).toBe('invoice');
    expect(parse({ search: '   ' }).search).toBeUndefined();
  });

  it('refuses a search on a grid without searchable columns, in the grid and its values', () => {
    const unsearchable = {
      ...sampleGrid,
      columns: sampleGrid.columns.map((c) => ({ ...c, searchable: false })),
    };
    const expected = { code: 'GRID_NOT_SEARCHABLE', parameter: 'search' };
    expect(errorOf(() => parseGridQuery(unsearchable, { search: 'x' }, limits))).toMatchObject(
      expected,
    );
    expect(parseGridQuery(unsearchable, { search: ' ' }, limits).search).toBeUndefined();
    expect(errorOf(() => parseValuesQuery(unsearchable, { gridSearch: 'x' }))).toMatchObject({
      ...expected,
      parameter: 'gridSearch',
    });
    // `search` of the values searches the values, not the grid.
    expect(parseValuesQuery(unsearchable, { search: 'x' }).valueSearch).toBe('x');
  });

  it('refuses a cursor together with an offset', () => {
    expect(errorOf(() => parse({ cursor: 'abc', offset: '10' }))).toMatchObject({
      code: 'GRID_INVALID_CURSOR',
      parameter: 'cursor',
    });
  });

  it.each(['page', 'Sort', 'order_by', 'sort;DROP TABLE x', 'x'.repeat(80)])(
    'refuses the unknown parameter %j naming it',
    (key) => {
      expect(errorOf(() => parse({ [key]: '1' }))).toMatchObject({
        code: 'GRID_UNKNOWN_PARAMETER',
        parameter: key.slice(0, 50),
      });
    },
  );
});

describe('value discovery query parser', () => {
  it('takes filters, the grid search, a value search and a limit', () => {
    const q = parseValuesQuery(sampleGrid, {
      'filter[status]': 'open',
      gridSearch: ' inv ',
      search: 'acm',
      limit: '20',
    });
    expect(q).toMatchObject({ gridSearch: 'inv', valueSearch: 'acm', limit: 20 });
    expect(q.filters.map((f) => f.column.key)).toEqual(['status']);
    expect(parseValuesQuery(sampleGrid, {}).limit).toBe(50);
  });

  it.each([
    ['sort', 'name', 'GRID_UNKNOWN_PARAMETER'],
    ['cursor', 'x', 'GRID_UNKNOWN_PARAMETER'],
    ['limit', '501', 'GRID_INVALID_LIMIT'],
    ['limit', '0', 'GRID_INVALID_LIMIT'],
    ['search', 'a\u0000', 'GRID_INVALID_SEARCH'],
    ['gridSearch', 'x'.repeat(201), 'GRID_INVALID_SEARCH'],
    ['filter[status]', 'nope', 'GRID_INVALID_VALUE'],
  ])('refuses %s=%j with %s', (parameter, value, code) => {
    expect(errorOf(() => parseValuesQuery(sampleGrid, { [parameter]: value }))).toMatchObject({
      code,
      parameter,
    });
  });
});

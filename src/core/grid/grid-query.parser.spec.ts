import { errorOf } from '../../../test/support/api-error-of';
import { sampleGrid } from '../../../test/support/sample-grid';
import { parseFilters } from './grid-query.parser';
import type { ColumnType, Operator } from './grid.types';
import { OPERATORS, OPERATORS_BY_TYPE } from './grid.types';

/** A column of the sample grid per type (the one the table below filters). */
const COLUMN_OF: Record<ColumnType, string> = {
  text: 'name',
  integer: 'id',
  number: 'amount',
  boolean: 'active',
  datetime: 'createdOn',
  date: 'due',
  enum: 'status',
  reference: 'ownerId',
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

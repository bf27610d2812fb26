import { sampleGrid } from '../../../test/support/sample-grid';
import type { ApiErrorBody } from '../http/api-error';
import { ApiError } from '../http/api-error';
import { cursorBinding, decodeCursor, encodeCursor } from './grid-cursor';
import { parseGridQuery, withTieBreaker } from './grid-query.parser';
import type { SortTerm } from './grid.types';

const defaultSort = withTieBreaker(sampleGrid, [...sampleGrid.defaultSort]);
const byAmount: SortTerm[] = [
  { column: 'amount', direction: 'asc' },
  { column: 'id', direction: 'asc' },
];

const b64 = (s: string) => Buffer.from(s).toString('base64url');

function cursorError(sort: SortTerm[], cursor: string): ApiErrorBody | undefined {
  try {
    decodeCursor(sampleGrid, sort, cursor);
    return undefined;
  } catch (e) {
    if (e instanceof ApiError) return e.getResponse() as ApiErrorBody;
    throw e;
  }
}

const INVALID = { statusCode: 400, code: 'GRID_INVALID_CURSOR', parameter: 'cursor' };

describe('grid cursor', () => {
  it('round-trips the sort values of a row, opaque to the client', () => {
    const values = ['2025-01-31 12:00:00.123456+00', 42];
    const cursor = encodeCursor(defaultSort, values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2025');
    expect(decodeCursor(sampleGrid, defaultSort, cursor)).toEqual(values);
  });

  it('carries nulls of nullable columns', () => {
    const cursor = encodeCursor(byAmount, [null, 7]);
    expect(decodeCursor(sampleGrid, byAmount, cursor)).toEqual([null, 7]);
  });

  it('carries text longer than a filter takes (a 500-character title is a sort value too)', () => {
    const sort: SortTerm[] = [
      { column: 'name', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ];
    const long = 'é'.repeat(500);
    expect(decodeCursor(sampleGrid, sort, encodeCursor(sort, [long, 3]))).toEqual([long, 3]);
  });

  const STALE = { statusCode: 400, code: 'GRID_CURSOR_STALE', parameter: 'cursor' };

  it('is refused as stale for another sort, or another direction', () => {
    const cursor = encodeCursor(defaultSort, ['2025-01-31T12:00:00Z', 42]);
    expect(cursorError(byAmount, cursor)).toMatchObject(STALE);
    const flipped: SortTerm[] = defaultSort.map((t) => ({ ...t, direction: 'asc' }));
    expect(cursorError(flipped, cursor)).toMatchObject(STALE);
  });

  it('is bound to the filters and the search of its page, not to their order', () => {
    const limits = { defaultLimit: 50, maxLimit: 500, maxOffset: 10_000 };
    const parse = (raw: Record<string, string>) => parseGridQuery(sampleGrid, raw, limits);
    const first = parse({ 'filter[amount][gt]': '5', 'filter[name][contains]': 'a', search: 'x' });
    const binding = cursorBinding(first.filters, first.search);
    const cursor = encodeCursor(defaultSort, ['2025-01-31T12:00:00Z', 42], binding);
    const next = (raw: Record<string, string>) => {
      try {
        return parse({ ...raw, cursor }).cursor;
      } catch (e) {
        if (e instanceof ApiError) return (e.getResponse() as ApiErrorBody).code;
        throw e;
      }
    };
    // The same filters, written in another order: the same page goes on.
    expect(next({ search: 'x', 'filter[name][contains]': 'a', 'filter[amount][gt]': '5' })).toEqual(
      ['2025-01-31T12:00:00Z', 42],
    );
    expect(next({ 'filter[amount][gt]': '6', 'filter[name][contains]': 'a', search: 'x' })).toBe(
      'GRID_CURSOR_STALE',
    );
    expect(next({ 'filter[amount][gt]': '5', search: 'x' })).toBe('GRID_CURSOR_STALE');
    expect(next({ 'filter[amount][gt]': '5', 'filter[name][contains]': 'a' })).toBe(
      'GRID_CURSOR_STALE',
    );
    expect(next({ 'filter[amount][gt]': '5', 'filter[name][contains]': 'a', search: 'y' })).toBe(
      'GRID_CURSOR_STALE',
    );
    // A cursor of an unfiltered page is stale once a filter is set.
    const plain = encodeCursor(defaultSort, ['2025-01-31T12:00:00Z', 42]);
    expect(cursorError(defaultSort, plain)).toBeUndefined();
    expect(() => parse({ 'filter[amount][gt]': '5', cursor: plain })).toThrow(ApiError);
  });

  it.each([
    ['not base64 at all', '%%%'],
    ['base64 of junk', b64('junk')],
    ['JSON null', b64('null')],
    ['a JSON array', b64('[1,2]')],
    ['no values', b64(JSON.stringify({ s: 'createdOn:desc,id:desc' }))],
    ['too few values', b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-01-01'] }))],
    [
      'too many values',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-01-01', 1, 2] })),
    ],
    ['a date that is not one', b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['x', 1] }))],
    [
      'SQL in a date',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ["2025-01-01'; DROP TABLE x;--", 1] })),
    ],
    [
      'an impossible date',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-02-30', 1] })),
    ],
    [
      'text for an integer',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-01-01', 'x'] })),
    ],
    [
      'a fraction for an integer',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-01-01', 1.5] })),
    ],
    [
      'an integer past 15 digits',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-01-01', 1e20] })),
    ],
    [
      'null for a non-null column',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: [null, 1] })),
    ],
    ['an object value', b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: [{}, 1] }))],
    [
      'an array value',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: [['2025-01-01'], 1] })),
    ],
    ['a number for a date', b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: [20250101, 1] }))],
    [
      'a boolean for an integer',
      b64(JSON.stringify({ s: 'createdOn:desc,id:desc', v: ['2025-01-01', true] })),
    ],
    ['a huge cursor', 'A'.repeat(10_000)],
  ])('is refused when it is %s', (_what, cursor) => {
    expect(cursorError(defaultSort, cursor)).toMatchObject(INVALID);
  });

  it('is refused when a value was tampered with to a wrong type for its column', () => {
    const enumSort: SortTerm[] = [
      { column: 'status', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ];
    expect(cursorError(enumSort, encodeCursor(enumSort, ['open', 1]))).toBeUndefined();
    expect(cursorError(enumSort, encodeCursor(enumSort, ['deleted', 1]))).toMatchObject(INVALID);
    const boolSort: SortTerm[] = [
      { column: 'active', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ];
    expect(cursorError(boolSort, encodeCursor(boolSort, [true, 1]))).toBeUndefined();
    expect(cursorError(boolSort, encodeCursor(boolSort, [1, 1]))).toMatchObject(INVALID);
    expect(cursorError(boolSort, encodeCursor(boolSort, ['maybe', 1]))).toMatchObject(INVALID);
    const textSort: SortTerm[] = [
      { column: 'name', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ];
    expect(cursorError(textSort, encodeCursor(textSort, ['a\u0000', 1]))).toMatchObject(INVALID);
    expect(cursorError(textSort, encodeCursor(textSort, [5, 1]))).toMatchObject(INVALID);
  });

  it('is decoded by the query parser against the sort with its tie-breaker', () => {
    const limits = { defaultLimit: 50, maxLimit: 500, maxOffset: 5000 };
    const cursor = encodeCursor(
      [
        { column: 'name', direction: 'desc' },
        { column: 'id', direction: 'desc' },
      ],
      ['m', 9],
    );
    expect(parseGridQuery(sampleGrid, { sort: '-name', cursor }, limits).cursor).toEqual(['m', 9]);
    expect(() => parseGridQuery(sampleGrid, { sort: 'name', cursor }, limits)).toThrow(ApiError);
    expect(parseGridQuery(sampleGrid, { cursor: '' }, limits).cursor).toBeUndefined();
  });
});

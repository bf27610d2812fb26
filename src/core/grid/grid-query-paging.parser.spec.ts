import { errorOf } from '../../../test/support/api-error-of';
import { sampleGrid } from '../../../test/support/sample-grid';
import type { RawQuery } from './grid-query.parser';
import { parseGridQuery, parseSort, parseValuesQuery, withTieBreaker } from './grid-query.parser';

const limits = { defaultLimit: 50, maxLimit: 500, maxOffset: 5000 };
const parse = (raw: RawQuery) => parseGridQuery(sampleGrid, raw, limits);

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

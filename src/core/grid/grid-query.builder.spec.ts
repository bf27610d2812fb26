import { sampleGrid } from '../../../test/support/sample-grid';
import { decodeCursor } from './grid-cursor';
import type { GridSqlContext } from './grid-query.builder';
import {
  buildCountQuery,
  buildItemQuery,
  buildRowsQuery,
  buildValuesQuery,
  toPage,
} from './grid-query.builder';
import type { RawQuery } from './grid-query.parser';
import { cursorBinding, encodeCursor } from './grid-cursor';
import { columnByKey, parseGridQuery, parseValuesQuery, withTieBreaker } from './grid-query.parser';
import type { GridColumn } from './grid.types';

const limits = { defaultLimit: 50, maxLimit: 500, maxOffset: 5000 };
const query = (raw: RawQuery) => parseGridQuery(sampleGrid, raw, limits);
/** A scope as the policy evaluator writes it (opaque to the engine), numbered from $1. */
const ctx: GridSqlContext = {
  scope: { text: 's.organization_id = $1 AND s.team = ANY($2::bigint[])', values: [3, [4, 5]] },
};
const column = (key: string) => columnByKey(sampleGrid, key) as GridColumn;

const SELECT =
  's.id AS "id", s.name AS "name", s.note AS "note", s.amount AS "amount", s.active AS "active", ' +
  's.status AS "status", s.owner_id AS "ownerId", s.due AS "due", ' +
  's.created_on AS "createdOn", s.secret AS "secret", s.code AS "code"';

describe('rows query', () => {
  it('is the default page: keys by the scope and the default sort, one row more than the limit, then those rows', () => {
    expect(buildRowsQuery(sampleGrid, query({}), ctx)).toEqual({
      text:
        `SELECT ${SELECT}, (s.created_on)::text AS "__sort_createdOn", ` +
        '(SELECT u.name FROM users u WHERE u.id = s.owner_id) AS "ownerName" FROM (' +
        'SELECT s.created_on AS k0, s.id AS k1 FROM samples s ' +
        'WHERE s.organization_id = $1 AND s.team = ANY($2::bigint[]) ' +
        'ORDER BY s.created_on DESC, s.id DESC LIMIT 51) grid_keys JOIN samples s ON s.id = grid_keys.k1 ' +
        'ORDER BY grid_keys.k0 DESC, grid_keys.k1 DESC',
      values: [3, [4, 5]],
    });
  });

  it('skips the rows of an offset by their keys: labels and rows only for the page', () => {
    const { text } = buildRowsQuery(sampleGrid, query({ offset: '4950', sort: 'due' }), ctx);
    const [outer, inner] = text.split(' FROM (');
    expect(outer).toContain('(SELECT u.name FROM users u WHERE u.id = s.owner_id) AS "ownerName"');
    expect(inner).toMatch(/^SELECT s\.due AS k0, s\.id AS k1 FROM samples s WHERE /);
    expect(inner).not.toContain('users u');
    expect(inner).toMatch(
      /LIMIT 51 OFFSET 4950\) grid_keys JOIN samples s ON s.id = grid_keys.k1 ORDER BY grid_keys.k0 ASC NULLS LAST, grid_keys.k1 ASC$/,
    );
  });

  it('merges a page from the partitions of a scope that lists a few, in an order their index serves', () => {
    const grid = {
      ...sampleGrid,
      partitionedBy: { column: 'ownerId', orders: [[...sampleGrid.defaultSort]] },
    };
    const org = { sql: 's.organization_id', values: [3] };
    const scoped: GridSqlContext = {
      scope: { ...ctx.scope, within: [org, { sql: 's.owner_id', values: [8, 9] }] },
    };
    const q = (raw: RawQuery) => parseGridQuery(grid, raw, limits);
    const merged = buildRowsQuery(grid, q({ offset: '100', 'filter[active]': 'true' }), scoped);
    const branch = (n: number) =>
      '(SELECT s.created_on AS k0, s.id AS k1 FROM samples s WHERE s.organization_id = ANY($1::bigint[]) AND ' +
      `s.active = $2 AND s.owner_id = $${n}::bigint ORDER BY s.created_on DESC, s.id DESC LIMIT 151)`;
    expect(merged.text).toContain(
      `FROM (${branch(3)} UNION ALL ${branch(4)} ORDER BY k0 DESC, k1 DESC LIMIT 51 OFFSET 100) grid_keys`,
    );
    expect(merged.values).toEqual([[3], true, 8, 9]);
    // Backwards, the same index serves it.
    expect(buildRowsQuery(grid, q({ sort: 'createdOn,id' }), scoped).text).toContain('UNION ALL');
    // Another order, too many partitions, or another column: the walk under the whole scope.
    const walks = [
      buildRowsQuery(grid, q({ sort: 'name' }), scoped),
      buildRowsQuery(grid, q({}), {
        scope: {
          ...ctx.scope,
          within: [org, { sql: 's.owner_id', values: [...Array(9).keys()] }],
        },
      }),
      buildRowsQuery(grid, q({}), {
        scope: { ...ctx.scope, within: [org, { sql: 's.team', values: [4, 5] }] },
      }),
    ];
    for (const w of walks) {
      expect(w.text).not.toContain('UNION ALL');
      expect(w.text).toContain('WHERE s.organization_id = $1 AND s.team = ANY($2::bigint[])');
    }
  });

  it('numbers filters, search and cursor after the scope', () => {
    const params = { sort: 'name', 'filter[status][in]': 'open,closed', search: 'inv' };
    const first = query(params);
    const binding = cursorBinding(first.filters, first.search);
    const cursor = encodeCursor(withTieBreaker(sampleGrid, first.sort), ['m', 7], binding);
    const q = query({ ...params, cursor, limit: '10' });
    const { text, values } = buildRowsQuery(sampleGrid, q, ctx);
    expect(text).toContain(
      'WHERE s.organization_id = $1 AND s.team = ANY($2::bigint[]) AND s.status = ANY($3::text[]) ' +
        'AND (s.name ILIKE $4 OR s.note ILIKE $4) AND (s.name, s.id) > ($5, $6::bigint) ' +
        'ORDER BY s.name ASC, s.id ASC LIMIT 11',
    );
    expect(values).toEqual([3, [4, 5], ['open', 'closed'], '%inv%', 'm', 7]);
  });

  it('pages by offset within the cap', () => {
    expect(buildRowsQuery(sampleGrid, query({ offset: '100', limit: '5' }), ctx).text).toMatch(
      / LIMIT 6 OFFSET 100\) grid_keys JOIN /,
    );
  });

  it('selects a sort column that is not shown under a hidden key, for the cursor', () => {
    const { text } = buildRowsQuery(sampleGrid, query({ sort: '-rank' }), ctx);
    expect(text).toContain('s.rank AS "__sort_rank"');
    expect(text).toContain('ORDER BY s.rank DESC NULLS LAST, s.id DESC');
    expect(buildRowsQuery(sampleGrid, query({}), ctx).text).not.toContain('s.rank');
  });
});

describe('count query', () => {
  const q = query({ 'filter[active]': 'true', search: 'x', sort: 'name' });

  it('counts exactly up to the cap + 1 rows under the same filters, without sorting', () => {
    expect(buildCountQuery(sampleGrid, q, ctx, { exactCap: 1000 })).toEqual({
      text:
        'SELECT count(*)::int AS n FROM (SELECT 1 FROM samples s WHERE s.organization_id = $1 ' +
        'AND s.team = ANY($2::bigint[]) AND s.active = $3 AND (s.name ILIKE $4 OR s.note ILIKE $4) LIMIT 1001) s',
      values: [3, [4, 5], true, '%x%'],
    });
  });

  it("estimates from the planner's row count", () => {
    expect(buildCountQuery(sampleGrid, q, ctx, 'estimate').text).toBe(
      'EXPLAIN (FORMAT JSON) SELECT 1 FROM samples s WHERE s.organization_id = $1 ' +
        'AND s.team = ANY($2::bigint[]) AND s.active = $3 AND (s.name ILIKE $4 OR s.note ILIKE $4)',
    );
  });
});

describe('value discovery query', () => {
  const raw = { 'filter[status]': 'open', 'filter[active]': 'true', limit: '20' };

  it("drops the column's own filter and keeps the others", () => {
    const { text, values } = buildValuesQuery(
      sampleGrid,
      column('status'),
      parseValuesQuery(sampleGrid, raw),
      ctx,
    );
    expect(text).toBe(
      'SELECT v.value, v.count FROM (SELECT s.status AS value, count(*)::int AS count FROM samples s ' +
        'WHERE s.organization_id = $1 AND s.team = ANY($2::bigint[]) AND s.active = $3 GROUP BY 1) v ' +
        'ORDER BY v.count DESC, v.value ASC NULLS LAST LIMIT 21',
    );
    expect(values).toEqual([3, [4, 5], true]);
  });

  it('labels references after grouping and searches their labels', () => {
    const { text, values } = buildValuesQuery(
      sampleGrid,
      column('ownerId'),
      parseValuesQuery(sampleGrid, { ...raw, search: '50%', gridSearch: 'inv' }),
      ctx,
    );
    expect(text).toBe(
      'SELECT v.value, v.count, (SELECT u.name FROM users u WHERE u.id = v.value) AS label FROM (' +
        'SELECT s.owner_id AS value, count(*)::int AS count FROM samples s ' +
        'WHERE s.organization_id = $1 AND s.team = ANY($2::bigint[]) AND s.status = $3 AND s.active = $4 ' +
        'AND (s.name ILIKE $5 OR s.note ILIKE $5) GROUP BY 1) v ' +
        'WHERE (SELECT u.name FROM users u WHERE u.id = v.value) ILIKE $6 ' +
        'ORDER BY v.count DESC, v.value ASC NULLS LAST LIMIT 21',
    );
    expect(values).toEqual([3, [4, 5], 'open', true, '%inv%', '%50\\%%']);
  });

  it('searches plain values as text', () => {
    const { text } = buildValuesQuery(
      sampleGrid,
      column('status'),
      parseValuesQuery(sampleGrid, { search: 'op' }),
      ctx,
    );
    expect(text).toContain(') v WHERE v.value::text ILIKE $3 ORDER BY');
  });
});

describe('item query', () => {
  it('reads one row by id under the scope', () => {
    expect(buildItemQuery(sampleGrid, 77, ctx)).toEqual({
      text:
        `SELECT ${SELECT}, (SELECT u.name FROM users u WHERE u.id = s.owner_id) AS "ownerName" ` +
        'FROM samples s WHERE s.organization_id = $1 AND s.team = ANY($2::bigint[]) AND s.id = $3::bigint',
      values: [3, [4, 5], 77],
    });
  });
});

describe('page from rows', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: 100 - i,
      createdOn: `2025-01-${String(30 - i).padStart(2, '0')}T10:00:00.123Z`,
      __sort_createdOn: `2025-01-${String(30 - i).padStart(2, '0')} 10:00:00.123456+00`,
      __sort_rank: i,
    }));

  it('drops the extra row and writes the cursor from the last row kept', () => {
    const q = query({ limit: '3' });
    const page = toPage(sampleGrid, q, rows(4));
    expect(page.data.map((r) => r.id)).toEqual([100, 99, 98]);
    expect(page.page).toEqual({ limit: 3, nextCursor: expect.any(String), hasMore: true });
    const fullSort = [
      { column: 'createdOn', direction: 'desc' as const },
      { column: 'id', direction: 'desc' as const },
    ];
    // The cursor holds the stored microseconds (the hidden text), not the row's milliseconds.
    expect(decodeCursor(sampleGrid, fullSort, page.page.nextCursor as string)).toEqual([
      '2025-01-28 10:00:00.123456+00',
      98,
    ]);
    expect(page.data[0]).not.toHaveProperty('__sort_createdOn');
    expect(page.data[0]).toMatchObject({ id: 100, createdOn: '2025-01-30T10:00:00.123Z' });
    expect(page.sort).toEqual(sampleGrid.defaultSort);
  });

  it('has no cursor on the last page, and says the offset it was asked for', () => {
    expect(toPage(sampleGrid, query({ limit: '3' }), rows(3)).page).toEqual({
      limit: 3,
      nextCursor: null,
      hasMore: false,
    });
    expect(toPage(sampleGrid, query({ limit: '3' }), []).page.nextCursor).toBeNull();
    expect(toPage(sampleGrid, query({ limit: '3', offset: '6' }), rows(1)).page.offset).toBe(6);
  });

  it('writes hidden sort values into the cursor and removes them from the rows', () => {
    const q = query({ sort: 'rank', limit: '2' });
    const page = toPage(sampleGrid, q, rows(3));
    expect(page.data.every((r) => !('__sort_rank' in r))).toBe(true);
    const sort = [
      { column: 'rank', direction: 'asc' as const },
      { column: 'id', direction: 'asc' as const },
    ];
    expect(decodeCursor(sampleGrid, sort, page.page.nextCursor as string)).toEqual([1, 99]);
  });

  it('writes a null sort value as null', () => {
    const q = query({ sort: 'amount', limit: '1' });
    const page = toPage(sampleGrid, q, [
      { id: 5, amount: null },
      { id: 6, amount: null },
    ]);
    const sort = [
      { column: 'amount', direction: 'asc' as const },
      { column: 'id', direction: 'asc' as const },
    ];
    expect(decodeCursor(sampleGrid, sort, page.page.nextCursor as string)).toEqual([null, 5]);
  });
});

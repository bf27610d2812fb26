import { sampleGrid } from '../../../test/support/sample-grid';
import { buildCappedValuesQuery, buildKeptValuesQuery, keptCountsPlan } from './grid-kept-counts';
import type { RawQuery } from './grid-query.parser';
import { columnByKey, parseValuesQuery } from './grid-query.parser';
import type { GridColumn, GridDefinition, GridScope } from './grid.types';

/** The sample grid with counts kept by owner (the key dimension) for status. */
const grid: GridDefinition = {
  ...sampleGrid,
  keptCounts: {
    relation: 'sample_tallies',
    dimensions: { ownerId: 'owner_id' },
    columns: ['status'],
  },
};
const scope: GridScope = {
  text: 's.owner_id = ANY($1::bigint[])',
  values: [[4, 5]],
  within: [{ sql: 's.owner_id', values: [4, 5] }],
};
const column = (key: string) => columnByKey(grid, key) as GridColumn;
const values = (raw: RawQuery) => parseValuesQuery(grid, raw);

describe('kept counts plan', () => {
  it('answers from the kept counts with no other filter, or filters on the dimensions only', () => {
    for (const raw of [{}, { 'filter[ownerId]': '4' }, { 'filter[status]': 'open' }]) {
      expect(keptCountsPlan(grid, column('status'), values(raw), scope)?.kind).toBe('kept');
    }
  });

  it('counts up to the cap under other filters or a grid search', () => {
    for (const raw of [{ 'filter[name]': 'x' }, { gridSearch: 'x' }]) {
      expect(keptCountsPlan(grid, column('status'), values(raw), scope)?.kind).toBe('capped');
    }
  });

  it('leaves the rows to count when the scope has no sets, a set off the dimensions, or no counts', () => {
    const opaque = { text: scope.text, values: scope.values };
    expect(keptCountsPlan(grid, column('status'), values({}), opaque)).toBeUndefined();
    const other = { ...scope, within: [{ sql: 's.team', values: [1] }] };
    expect(keptCountsPlan(grid, column('status'), values({}), other)).toBeUndefined();
    expect(keptCountsPlan(sampleGrid, column('status'), values({}), scope)).toBeUndefined();
  });
});

describe('kept counts statements', () => {
  it('sum the kept rows of the scope, never reading the grid: no scope value bound', () => {
    const q = values({ 'filter[ownerId][in]': '4,9' });
    const plan = keptCountsPlan(grid, column('status'), q, scope)!;
    expect(buildKeptValuesQuery(grid, plan, q, scope)).toEqual({
      text:
        'SELECT v.value, v.count FROM (SELECT grid_kept.value AS value, sum(grid_kept.n)::int AS count ' +
        'FROM sample_tallies grid_kept WHERE grid_kept.column_key = $1 AND grid_kept.owner_id = ANY($2::bigint[]) ' +
        'AND grid_kept.owner_id = ANY($3::bigint[]) GROUP BY 1 HAVING sum(grid_kept.n) <> 0) v ' +
        'ORDER BY v.count DESC, v.value ASC NULLS LAST LIMIT 51',
      values: ['status', [4, 5], [4, 9]],
    });
  });

  it("count a dimension's values from a counted column's rows", () => {
    const q = values({});
    const plan = keptCountsPlan(grid, column('ownerId'), q, scope)!;
    const sql = buildKeptValuesQuery(grid, plan, q, scope);
    expect(sql.text).toContain('SELECT grid_kept.owner_id AS value');
    expect(sql.values[0]).toBe('status');
  });

  it('count in one pass over at most cap rows per value in scope, under the scope and filters', () => {
    const q = values({ 'filter[name]': 'x' });
    const plan = keptCountsPlan(grid, column('ownerId'), q, scope)!;
    const sql = buildCappedValuesQuery(grid, plan, q, scope, 1000);
    expect(sql.values).toEqual([[4, 5], 'status', [4, 5], 'x']);
    const budget = '(SELECT 1000 * greatest(count(*), 1) FROM grid_kept_values)';
    expect(sql.text).toContain(
      `(SELECT s.owner_id AS value FROM samples s WHERE s.owner_id = ANY($1::bigint[]) AND s.name = $4 LIMIT ${budget})`,
    );
    // Exact when the pass ended before its limit, or a value reached its kept count.
    expect(sql.text).toContain(
      `(SELECT sum(x.count) FROM grid_seen x) < ${budget} OR g.count = k.count AS exact`,
    );
    expect(sql.text).toContain(
      'ORDER BY CASE WHEN v.exact THEN v.count ELSE least(v.count, 1000) END DESC, v.value ASC NULLS LAST LIMIT 51',
    );
  });
});

import type { SqlStatement } from './grid-query.builder';
import type { ValuesQuery } from './grid-query.parser';
import { columnByKey } from './grid-query.parser';
import { SqlParams, filterSql, likeEscape, searchSql } from './grid-sql';
import type {
  ColumnType,
  GridColumn,
  GridDefinition,
  GridFilter,
  GridScope,
  KeptCounts,
} from './grid.types';

/**
 * Value discovery from kept counts (GridDefinition.keptCounts) instead of
 * counting the scope's rows:
 *
 * - `kept`: the request's other filters are all on key dimensions and there is
 *   no grid search: the answer is the kept counts summed over the dimension
 *   values in scope (a few rows per folder), exact.
 * - `capped`: other filters or a search: the kept counts give the values
 *   present in scope (and how many rows each has there at most); one pass
 *   reads at most `cap` rows per such value under the filters. Counts are
 *   exact when the pass read everything, else lower bounds (`exact: false`,
 *   answered at most as the cap).
 *
 * Neither applies (undefined: the engine counts every row) when the grid keeps
 * no counts of the column or the scope is not stated as sets of dimension values.
 */
export type KeptCountsPlan =
  | { kind: 'kept'; counts: KeptCounts; column: GridColumn }
  | { kind: 'capped'; counts: KeptCounts; column: GridColumn };

/** PostgreSQL's type of a column type, to read a kept value (text) back. */
const SQL_TYPE: Record<ColumnType, string | undefined> = {
  text: undefined,
  enum: undefined,
  integer: 'bigint',
  reference: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  datetime: 'timestamptz',
  date: 'date',
};

/** Alias of the kept counts relation in the statements below. */
const K = 'grid_kept';

export function keptCountsPlan(
  def: GridDefinition,
  column: GridColumn,
  query: ValuesQuery,
  scope: GridScope,
): KeptCountsPlan | undefined {
  const counts = def.keptCounts;
  if (!counts || !scope.within) return undefined;
  if (!counts.columns.includes(column.key) && counts.dimensions[column.key] === undefined)
    return undefined;
  for (const set of scope.within)
    if (dimensionOfSql(def, counts, set.sql) === undefined) return undefined;
  const others = query.filters.filter((f) => f.column.key !== column.key);
  const answerable =
    query.gridSearch === undefined &&
    others.every((f) => counts.dimensions[f.column.key] !== undefined);
  return { kind: answerable ? 'kept' : 'capped', counts, column };
}

/** The relation's column for a grid column's SQL, when it is a key dimension. */
function dimensionOfSql(def: GridDefinition, counts: KeptCounts, sql: string): string | undefined {
  for (const [key, relationColumn] of Object.entries(counts.dimensions)) {
    if (columnByKey(def, key)?.sql === sql) return relationColumn;
  }
  return undefined;
}

/**
 * The values present in scope with their kept counts, over the relation (alias
 * grid_kept): the scope's sets and the dimension filters restated on the
 * relation's columns. Values bound through `p`.
 */
function keptSums(
  def: GridDefinition,
  plan: KeptCountsPlan,
  filters: readonly GridFilter[],
  scope: GridScope,
  p: SqlParams,
): string {
  const { counts, column } = plan;
  const dimension = counts.dimensions[column.key];
  // A dimension's values: the rows of any counted column (each row is counted once under each).
  const countedKey = dimension === undefined ? column.key : counts.columns[0];
  const type = SQL_TYPE[column.type];
  const value =
    dimension !== undefined
      ? `${K}.${dimension}`
      : type === undefined
        ? `${K}.value`
        : `${K}.value::${type}`;
  const where = [`${K}.column_key = ${p.bind(countedKey)}`];
  for (const set of scope.within ?? []) {
    const relationColumn = dimensionOfSql(def, counts, set.sql) as string;
    where.push(`${K}.${relationColumn} = ANY(${p.bind(set.values)}::bigint[])`);
  }
  for (const f of filters) {
    if (f.column.key === column.key) continue;
    const relationColumn = counts.dimensions[f.column.key];
    if (relationColumn === undefined) continue;
    where.push(filterSql({ ...f, column: { ...f.column, sql: `${K}.${relationColumn}` } }, p.bind));
  }
  return (
    `SELECT ${value} AS value, sum(${K}.n)::int AS count FROM ${counts.relation} ${K} ` +
    `WHERE ${where.join(' AND ')} GROUP BY 1 HAVING sum(${K}.n) <> 0`
  );
}

/** The search within values (labels for references) and the page of values, around `inner`. */
function valuesPage(
  column: GridColumn,
  query: ValuesQuery,
  p: SqlParams,
  inner: string,
  orderCount: string,
  extra = '',
): string {
  const labelSql = column.ref ? column.ref.sql('v.value') : null;
  const outer: string[] = [];
  if (query.valueSearch) {
    const term = p.bind(`%${likeEscape(query.valueSearch)}%`);
    outer.push(labelSql ? `${labelSql} ILIKE ${term}` : `v.value::text ILIKE ${term}`);
  }
  return (
    `SELECT v.value, v.count${extra}${labelSql ? `, ${labelSql} AS label` : ''} FROM (${inner}) v` +
    `${outer.length > 0 ? ` WHERE ${outer.join(' AND ')}` : ''} ` +
    `ORDER BY ${orderCount} DESC, v.value ASC NULLS LAST LIMIT ${query.limit + 1}`
  );
}

/** Exact counts summed from the kept counts (plan kind `kept`). */
export function buildKeptValuesQuery(
  def: GridDefinition,
  plan: KeptCountsPlan,
  query: ValuesQuery,
  scope: GridScope,
): SqlStatement {
  // The scope's sets stand for its predicate: none of its values are bound.
  const p = new SqlParams();
  const inner = keptSums(def, plan, query.filters, scope, p);
  return { text: valuesPage(plan.column, query, p, inner, 'v.count'), values: p.values };
}

/**
 * Counts under filters the kept counts cannot answer (plan kind `capped`), at
 * a bounded cost: one pass over at most `cap` rows per value present in scope
 * (the kept counts say which values are, and how many rows each has in scope
 * at most), under the scope, every other filter and the grid search. When the
 * pass ends before its limit every count is exact; otherwise each count is a
 * lower bound (exact only where it reached the value's kept count), and the
 * service answers a count past the cap as the cap. Values ordered by the count
 * answered. Per-value counts instead would each read the whole filtered scope
 * for a rare value: no index leads with every counted column.
 */
export function buildCappedValuesQuery(
  def: GridDefinition,
  plan: KeptCountsPlan,
  query: ValuesQuery,
  scope: GridScope,
  cap: number,
): SqlStatement {
  const { column } = plan;
  const p = new SqlParams(scope.values);
  const kept = keptSums(def, plan, query.filters, scope, p);
  const terms = [scope.text];
  for (const f of query.filters) if (f.column.key !== column.key) terms.push(filterSql(f, p.bind));
  if (query.gridSearch) {
    const s = searchSql(def, query.gridSearch, p.bind);
    if (s) terms.push(s);
  }
  const budget = `(SELECT ${cap} * greatest(count(*), 1) FROM grid_kept_values)`;
  const inner =
    `WITH grid_kept_values AS (${kept}), grid_seen AS (` +
    `SELECT s.value, count(*)::int AS count FROM (SELECT ${column.sql} AS value FROM ${def.from} ` +
    `WHERE ${terms.join(' AND ')} LIMIT ${budget}) s GROUP BY 1) ` +
    `SELECT g.value, g.count, (SELECT sum(x.count) FROM grid_seen x) < ${budget} ` +
    `OR g.count = k.count AS exact FROM grid_seen g ` +
    `LEFT JOIN grid_kept_values k ON k.value IS NOT DISTINCT FROM g.value`;
  return {
    text: valuesPage(
      column,
      query,
      p,
      inner,
      `CASE WHEN v.exact THEN v.count ELSE least(v.count, ${cap}) END`,
      ', v.exact',
    ),
    values: p.values,
  };
}

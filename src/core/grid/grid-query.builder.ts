import { cursorBinding, encodeCursor } from './grid-cursor';
import type { ValuesQuery } from './grid-query.parser';
import { columnByKey } from './grid-query.parser';
import { sortColumnByKey, withTieBreaker } from './grid-sort';
import { SqlParams, filterSql, keysetSql, likeEscape, orderBySql, searchSql } from './grid-sql';
import type {
  GridColumn,
  GridDefinition,
  GridFilter,
  GridPage,
  GridQuery,
  SortTerm,
} from './grid.types';

/**
 * The SQL of every grid statement, as pure functions of the definition, the
 * parsed request and the caller's scope: the service runs them, `npm run
 * explain` prints their plans, unit tests read them. Input only ever reaches
 * the text as $n placeholders.
 */

/** A statement: text with $n placeholders and the values bound to them. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/**
 * What every statement of one request shares: the caller's scope, an opaque
 * predicate over the grid's FROM clause with placeholders numbered from $1.
 */
export interface GridSqlContext {
  scope: SqlStatement;
}

type Row = Record<string, unknown>;

/** The alias of a page around which labels are looked up (no grid's SQL uses it). */
const PAGE = 'grid_page';

/** Key of a sort value selected only so that the cursor can be written. */
function hiddenKey(column: string): string {
  return `__sort_${column}`;
}

/**
 * Whether the cursor takes a sort value from a hidden select: columns not
 * returned in rows, and datetimes, which rows show to the millisecond while
 * the cursor needs the stored microseconds (else rows within the millisecond
 * of a page's last row would be skipped or repeated).
 */
function hiddenSort(c: GridColumn | undefined): c is GridColumn {
  return c !== undefined && (c.selected === false || c.type === 'datetime');
}

function sortKey(def: GridDefinition, column: string): string {
  return hiddenSort(sortColumnByKey(def, column)) ? hiddenKey(column) : column;
}

/** The WHERE terms every statement of a grid shares: scope, filters, search. */
function whereTerms(
  def: GridDefinition,
  ctx: GridSqlContext,
  filters: readonly GridFilter[],
  search: string | undefined,
  p: SqlParams,
): string[] {
  const terms = [ctx.scope.text];
  for (const f of filters) terms.push(filterSql(f, p.bind));
  if (search) {
    const s = searchSql(def, search, p.bind);
    if (s) terms.push(s);
  }
  return terms;
}

/**
 * The columns of a page's rows without their labels, and the sort values the
 * cursor takes from hidden selects.
 */
function selectList(def: GridDefinition, sort: readonly SortTerm[]): string {
  const parts: string[] = [];
  for (const c of def.columns) {
    if (c.selected === false) continue;
    parts.push(`${c.sql} AS "${c.key}"`);
  }
  for (const t of sort) {
    const c = sortColumnByKey(def, t.column);
    if (!hiddenSort(c)) continue;
    // A datetime as PostgreSQL's own text, with its offset: full precision, read back as timestamptz.
    const sql = c.type === 'datetime' ? `(${c.sql})::text` : c.sql;
    parts.push(`${sql} AS "${hiddenKey(c.key)}"`);
  }
  return parts.join(', ');
}

/**
 * The label of each reference column, looked up for the value `of` gives (the
 * page's output column, or the column's own SQL for a single row).
 */
function labelList(def: GridDefinition, of: (c: GridColumn) => string): string[] {
  const labels: string[] = [];
  for (const c of def.columns) {
    if (c.selected !== false && c.ref) labels.push(`${c.ref.sql(of(c))} AS "${c.ref.labelKey}"`);
  }
  return labels;
}

/** The page's order again, over the page's output columns (alias grid_page). */
function outerOrderBy(def: GridDefinition, sort: readonly SortTerm[]): string {
  return sort
    .map((t) => {
      const c = sortColumnByKey(def, t.column) as GridColumn;
      const key = c.selected === false ? hiddenKey(c.key) : c.key;
      const dir = t.direction === 'desc' ? 'DESC' : 'ASC';
      return c.nullable ? `${PAGE}."${key}" ${dir} NULLS LAST` : `${PAGE}."${key}" ${dir}`;
    })
    .join(', ');
}

/**
 * One page of rows: limit + 1 of them, the extra one only telling whether more
 * follow. Labels are looked up for the page's rows only, around it: a label in
 * the page's own select list would be evaluated for every row the executor
 * produces, the rows an offset skips included (4,950 lookups per label for page
 * 100 of an infinite-scroll grid).
 */
export function buildRowsQuery(
  def: GridDefinition,
  query: GridQuery,
  ctx: GridSqlContext,
): SqlStatement {
  const sort = withTieBreaker(def, query.sort);
  const p = new SqlParams(ctx.scope.values);
  const where = whereTerms(def, ctx, query.filters, query.search, p);
  if (query.cursor) where.push(keysetSql(def, sort, query.cursor, p.bind));
  let page =
    `SELECT ${selectList(def, sort)} FROM ${def.from} WHERE ${where.join(' AND ')} ` +
    `ORDER BY ${orderBySql(def, sort)} LIMIT ${query.limit + 1}`;
  if (query.offset > 0) page += ` OFFSET ${query.offset}`;
  const labels = labelList(def, (c) => `${PAGE}."${c.key}"`);
  if (labels.length === 0) return { text: page, values: p.values };
  return {
    text: `SELECT ${PAGE}.*, ${labels.join(', ')} FROM (${page}) ${PAGE} ORDER BY ${outerOrderBy(def, sort)}`,
    values: p.values,
  };
}

/**
 * The total under the same filters. Exact: counts at most cap + 1 rows, so a
 * count never costs more than reading cap rows. Estimate: the planner's guess,
 * read from EXPLAIN (the statement returns one row with a "QUERY PLAN" column).
 */
export function buildCountQuery(
  def: GridDefinition,
  query: Pick<GridQuery, 'filters' | 'search'>,
  ctx: GridSqlContext,
  mode: { exactCap: number } | 'estimate',
): SqlStatement {
  const p = new SqlParams(ctx.scope.values);
  const where = whereTerms(def, ctx, query.filters, query.search, p).join(' AND ');
  const text =
    mode === 'estimate'
      ? `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${def.from} WHERE ${where}`
      : `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${def.from} WHERE ${where} LIMIT ${mode.exactCap + 1}) s`;
  return { text, values: p.values };
}

/**
 * Value discovery: distinct values of a column with counts, under every other
 * filter (the column's own is dropped: a dropdown shows what else could be
 * chosen), the grid search and the scope; labels only for the values returned.
 */
export function buildValuesQuery(
  def: GridDefinition,
  column: GridColumn,
  query: ValuesQuery,
  ctx: GridSqlContext,
): SqlStatement {
  const others = query.filters.filter((f) => f.column.key !== column.key);
  const p = new SqlParams(ctx.scope.values);
  const where = whereTerms(def, ctx, others, query.gridSearch, p);
  const labelSql = column.ref ? column.ref.sql('v.value') : null;
  const outer: string[] = [];
  if (query.valueSearch) {
    const term = p.bind(`%${likeEscape(query.valueSearch)}%`);
    outer.push(labelSql ? `${labelSql} ILIKE ${term}` : `v.value::text ILIKE ${term}`);
  }
  const text =
    `SELECT v.value, v.count${labelSql ? `, ${labelSql} AS label` : ''} FROM (` +
    `SELECT ${column.sql} AS value, count(*)::int AS count FROM ${def.from} WHERE ${where.join(' AND ')} GROUP BY 1` +
    `) v${outer.length > 0 ? ` WHERE ${outer.join(' AND ')}` : ''} ` +
    `ORDER BY v.count DESC, v.value ASC NULLS LAST LIMIT ${query.limit + 1}`;
  return { text, values: p.values };
}

/** One row by id under the same scope as the list. */
export function buildItemQuery(def: GridDefinition, id: number, ctx: GridSqlContext): SqlStatement {
  const idColumn = columnByKey(def, def.idColumn);
  if (!idColumn) throw new Error(`grid ${def.name}: id column ${def.idColumn} is not declared`);
  const p = new SqlParams(ctx.scope.values);
  const where = whereTerms(def, ctx, [], undefined, p);
  where.push(`${idColumn.sql} = ${p.bind(id)}::bigint`);
  const select = [selectList(def, []), ...labelList(def, (c) => c.sql)].join(', ');
  return {
    text: `SELECT ${select} FROM ${def.from} WHERE ${where.join(' AND ')}`,
    values: p.values,
  };
}

/**
 * The page answered for rows read by buildRowsQuery: drops the extra row,
 * writes the cursor from the last row's sort values, removes hidden sort values.
 * Mutates `rows` (they are the query's own result).
 */
export function toPage(
  def: GridDefinition,
  query: GridQuery,
  rows: Row[],
): Omit<GridPage, 'total'> {
  const sort = withTieBreaker(def, query.sort);
  const hasMore = rows.length > query.limit;
  if (hasMore) rows.length = query.limit;
  const last = rows[rows.length - 1];
  const nextCursor =
    hasMore && last
      ? encodeCursor(
          sort,
          sort.map((t) => last[sortKey(def, t.column)] ?? null),
          cursorBinding(query.filters, query.search),
        )
      : null;
  for (const r of rows) for (const t of sort) delete r[hiddenKey(t.column)];
  const page: GridPage['page'] = { limit: query.limit, nextCursor, hasMore };
  if (query.offset > 0) page.offset = query.offset;
  return { data: rows, page, sort: query.sort };
}

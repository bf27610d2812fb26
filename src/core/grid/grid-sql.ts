import { sortColumnByKey } from './grid-sort';
import type { ColumnType, GridColumn, GridDefinition, GridFilter, SortTerm } from './grid.types';

/** Collects bound values; the SQL text only ever holds $n placeholders for input. */
export class SqlParams {
  readonly values: unknown[];
  /** `initial`: values already bound as $1…$n by an earlier fragment (the scope). */
  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }
  bind = (v: unknown): string => {
    this.values.push(v);
    return `$${this.values.length}`;
  };
}

const ARRAY_TYPE: Record<ColumnType, string> = {
  text: 'text[]',
  enum: 'text[]',
  integer: 'bigint[]',
  reference: 'bigint[]',
  number: 'numeric[]',
  boolean: 'boolean[]',
  datetime: 'timestamptz[]',
  date: 'date[]',
};

/**
 * A bound scalar compared with a column. Integers are sent as bigint: left
 * untyped, PostgreSQL would read the parameter as the column's type, and a
 * 15-digit value against an integer column would fail ("out of range") instead
 * of matching nothing. int4/int2 = int8 comparisons still use the b-tree indexes.
 */
export function scalarSql(c: GridColumn, v: unknown, bind: (v: unknown) => string): string {
  return c.type === 'integer' || c.type === 'reference' ? `${bind(v)}::bigint` : bind(v);
}

/** Escapes LIKE wildcards so that user text matches literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** A datetime value cut to milliseconds (the fraction only: the offset, if any, stays). */
export function toMilliseconds(v: string): string {
  return v.replace(/(\.\d{3})\d+/, '$1');
}

/**
 * Comparisons of a datetime at the precision the API writes, milliseconds: a
 * stored 10:17:03.019692 is shown as 10:17:03.019Z and equals that value, and
 * lte/gt of it include/exclude the whole millisecond. Written as half-open
 * ranges on the column, so its b-tree index still serves them.
 */
function datetimeFilterSql(f: GridFilter, bind: (v: unknown) => string): string | undefined {
  const col = f.column.sql;
  const start = (v: unknown) => `${bind(toMilliseconds(String(v)))}::timestamptz`;
  const bounds = (v: unknown) => {
    const lo = start(v);
    return [lo, `(${lo} + interval '1 millisecond')`] as const;
  };
  const [a, b] = f.values;
  switch (f.op) {
    case 'eq': {
      const [lo, hi] = bounds(a);
      return `(${col} >= ${lo} AND ${col} < ${hi})`;
    }
    case 'ne': {
      const [lo, hi] = bounds(a);
      return `(${col} IS NULL OR ${col} < ${lo} OR ${col} >= ${hi})`;
    }
    case 'lt':
      return `${col} < ${start(a)}`;
    case 'lte':
      return `${col} < ${bounds(a)[1]}`;
    case 'gt':
      return `${col} >= ${bounds(a)[1]}`;
    case 'gte':
      return `${col} >= ${start(a)}`;
    case 'between':
      return `(${col} >= ${start(a)} AND ${col} < ${bounds(b)[1]})`;
    case 'in':
    case 'nin':
    case 'contains':
    case 'startsWith':
    case 'isNull':
      return undefined;
  }
}

export function filterSql(f: GridFilter, bind: (v: unknown) => string): string {
  if (f.column.type === 'datetime') {
    const sql = datetimeFilterSql(f, bind);
    if (sql !== undefined) return sql;
  }
  const col = f.column.sql;
  const [a, b] = f.values;
  const value = (v: unknown) => scalarSql(f.column, v, bind);
  switch (f.op) {
    case 'eq':
      return `${col} = ${value(a)}`;
    case 'ne':
      return `${col} IS DISTINCT FROM ${value(a)}`;
    case 'in':
      return `${col} = ANY(${bind(f.values)}::${ARRAY_TYPE[f.column.type]})`;
    case 'nin':
      return `(${col} IS NULL OR NOT (${col} = ANY(${bind(f.values)}::${ARRAY_TYPE[f.column.type]})))`;
    case 'lt':
      return `${col} < ${value(a)}`;
    case 'lte':
      return `${col} <= ${value(a)}`;
    case 'gt':
      return `${col} > ${value(a)}`;
    case 'gte':
      return `${col} >= ${value(a)}`;
    case 'between':
      return `${col} BETWEEN ${value(a)} AND ${value(b)}`;
    case 'contains':
      return `${col} ILIKE ${bind(`%${likeEscape(String(a))}%`)}`;
    case 'startsWith':
      return `${col} ILIKE ${bind(`${likeEscape(String(a))}%`)}`;
    case 'isNull':
      return a === true ? `${col} IS NULL` : `${col} IS NOT NULL`;
  }
}

export function searchSql(
  def: GridDefinition,
  term: string,
  bind: (v: unknown) => string,
): string | undefined {
  const cols = def.columns.filter((c) => c.searchable);
  if (cols.length === 0) return undefined;
  const p = bind(`%${likeEscape(term)}%`);
  return `(${cols.map((c) => `${c.sql} ILIKE ${p}`).join(' OR ')})`;
}

function sortColumn(def: GridDefinition, t: SortTerm): GridColumn {
  const c = sortColumnByKey(def, t.column);
  if (!c) throw new Error(`grid ${def.name}: sort column ${t.column} is not declared`);
  return c;
}

/**
 * ORDER BY for a sort. Non-null columns keep PostgreSQL's default null placement
 * so that their b-tree indexes serve the order; nullable ones put nulls last.
 */
export function orderBySql(def: GridDefinition, sort: SortTerm[]): string {
  return sort
    .map((t) => {
      const c = sortColumn(def, t);
      const dir = t.direction === 'desc' ? 'DESC' : 'ASC';
      return c.nullable ? `${c.sql} ${dir} NULLS LAST` : `${c.sql} ${dir}`;
    })
    .join(', ');
}

/**
 * Rows strictly after the cursor in the given order. One direction and no nulls:
 * a row comparison, which a composite index serves as a range. Otherwise the
 * expanded form (a OR (a = x AND b …)) with nulls sorted last.
 */
export function keysetSql(
  def: GridDefinition,
  sort: SortTerm[],
  cursor: unknown[],
  bind: (v: unknown) => string,
): string {
  const cols = sort.map((t) => sortColumn(def, t));
  const oneDirection = sort.every((t) => t.direction === sort[0].direction);
  if (oneDirection && cols.every((c) => !c.nullable)) {
    const op = sort[0].direction === 'desc' ? '<' : '>';
    const values = cursor.map((v, i) => scalarSql(cols[i], v, bind));
    return `(${cols.map((c) => c.sql).join(', ')}) ${op} (${values.join(', ')})`;
  }
  const branches: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) parts.push(equalSql(cols[j], cursor[j], bind));
    parts.push(afterSql(cols[i], sort[i].direction, cursor[i], bind));
    branches.push(`(${parts.join(' AND ')})`);
  }
  return `(${branches.join(' OR ')})`;
}

function equalSql(c: GridColumn, v: unknown, bind: (v: unknown) => string): string {
  return v === null ? `${c.sql} IS NULL` : `${c.sql} = ${scalarSql(c, v, bind)}`;
}

function afterSql(
  c: GridColumn,
  direction: 'asc' | 'desc',
  v: unknown,
  bind: (v: unknown) => string,
): string {
  if (v === null) return 'FALSE'; // nulls sort last: nothing is after a null but other nulls (ties)
  const cmp = `${c.sql} ${direction === 'desc' ? '<' : '>'} ${scalarSql(c, v, bind)}`;
  return c.nullable ? `(${cmp} OR ${c.sql} IS NULL)` : cmp;
}

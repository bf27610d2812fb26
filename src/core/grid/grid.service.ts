import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { Concurrency } from '../database/concurrency.service';
import type { Queryable } from '../database/db.service';
import { ApiError } from '../http/api-error';
import type { RawQuery } from './grid-query.parser';
import {
  columnByKey,
  encodeCursor,
  operatorsOf,
  parseGridQuery,
  parseValuesQuery,
  withTieBreaker,
} from './grid-query.parser';
import { GRID_SCOPE } from './grid-scope';
import type { GridScopeResolver } from './grid-scope';
import { SqlParams, filterSql, keysetSql, likeEscape, orderBySql, searchSql } from './grid-sql';
import type {
  ColumnDescription,
  ColumnValues,
  GridCaller,
  GridColumn,
  GridDefinition,
  GridFilter,
  GridPage,
  GridQuery,
} from './grid.types';

type Row = Record<string, unknown>;

/**
 * The one engine behind every list: parses and validates the grid request,
 * builds parameterized SQL under the caller's permission scope, pages by keyset,
 * counts beside the rows (never before them) and answers value discovery.
 */
@Injectable()
export class GridService {
  constructor(
    private readonly concurrency: Concurrency,
    @Inject(GRID_SCOPE) private readonly scope: GridScopeResolver,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  describe(def: GridDefinition): ColumnDescription[] {
    return def.columns.map((c) => {
      const d: ColumnDescription = {
        key: c.key,
        label: c.label,
        type: c.type,
        sortable: c.sortable === true,
        filterable: c.filterable !== false,
        operators: c.filterable === false ? [] : operatorsOf(c),
        discoverable: c.discoverable === true,
        searchable: c.searchable === true,
      };
      if (c.values) d.values = c.values;
      if (c.ref) d.labelKey = c.ref.labelKey;
      return d;
    });
  }

  parse(def: GridDefinition, raw: RawQuery): GridQuery {
    return parseGridQuery(def, raw, {
      defaultLimit: 50,
      maxLimit: this.cfg.grid.maxLimit,
      maxOffset: this.cfg.grid.maxOffset,
    });
  }

  async list(def: GridDefinition, caller: GridCaller, raw: RawQuery): Promise<GridPage> {
    const query = this.parse(def, raw);
    const sort = withTieBreaker(def, query.sort);

    const rowsParams = new SqlParams();
    const where = await this.where(def, caller, query.filters, query.search, rowsParams);
    if (query.cursor) where.push(keysetSql(def, sort, query.cursor, rowsParams.bind));
    const select = this.selectList(def, sort);
    let rowsSql =
      `SELECT ${select} FROM ${def.from} WHERE ${where.join(' AND ')} ` +
      `ORDER BY ${orderBySql(def, sort)} LIMIT ${query.limit + 1}`;
    if (query.offset > 0) rowsSql += ` OFFSET ${query.offset}`;

    const loadRows = (q: Queryable) => q.query<Row>(rowsSql, rowsParams.values);
    let rows: Row[];
    let total: GridPage['total'] = null;
    if (query.count === 'none') {
      [rows] = await this.concurrency.all([loadRows] as const);
    } else {
      const countParams = new SqlParams();
      const countWhere = (
        await this.where(def, caller, query.filters, query.search, countParams)
      ).join(' AND ');
      const loadTotal = (q: Queryable) =>
        query.count === 'exact'
          ? this.exactCount(q, def, countWhere, countParams.values)
          : this.estimateCount(q, def, countWhere, countParams.values);
      [rows, total] = await this.concurrency.all([loadRows, loadTotal] as const);
    }

    const hasMore = rows.length > query.limit;
    if (hasMore) rows.length = query.limit;
    const last = rows[rows.length - 1];
    const nextCursor =
      hasMore && last
        ? encodeCursor(
            sort,
            sort.map((t) => last[sortKey(def, t.column)] ?? null),
          )
        : null;
    for (const r of rows) for (const t of sort) delete r[hiddenKey(t.column)];
    const page: GridPage['page'] = { limit: query.limit, nextCursor, hasMore };
    if (query.offset > 0) page.offset = query.offset;
    return { data: rows, page, total, sort: query.sort };
  }

  async values(
    def: GridDefinition,
    caller: GridCaller,
    columnKey: string,
    raw: RawQuery,
  ): Promise<ColumnValues> {
    const column = columnByKey(def, columnKey);
    if (!column)
      throw ApiError.badRequest('GRID_UNKNOWN_COLUMN', `unknown column "${columnKey}"`, 'column');
    if (!column.discoverable) {
      throw ApiError.badRequest(
        'GRID_NOT_DISCOVERABLE',
        `the values of column "${columnKey}" cannot be listed`,
        'column',
      );
    }
    const query = parseValuesQuery(def, raw);
    // The column's own filter is dropped: a dropdown shows what else could be chosen.
    const others = query.filters.filter((f) => f.column.key !== column.key);
    const p = new SqlParams();
    const where = await this.where(def, caller, others, query.gridSearch, p);
    const labelSql = column.ref ? column.ref.sql('v.value') : null;
    const outer: string[] = [];
    if (query.valueSearch) {
      const term = p.bind(`%${likeEscape(query.valueSearch)}%`);
      outer.push(labelSql ? `${labelSql} ILIKE ${term}` : `v.value::text ILIKE ${term}`);
    }
    const sql =
      `SELECT v.value, v.count${labelSql ? `, ${labelSql} AS label` : ''} FROM (` +
      `SELECT ${column.sql} AS value, count(*)::int AS count FROM ${def.from} WHERE ${where.join(' AND ')} GROUP BY 1` +
      `) v${outer.length > 0 ? ` WHERE ${outer.join(' AND ')}` : ''} ` +
      `ORDER BY v.count DESC, v.value ASC NULLS LAST LIMIT ${query.limit + 1}`;
    const [rows] = await this.concurrency.all([
      (q: Queryable) => q.query<Row>(sql, p.values),
    ] as const);
    const hasMore = rows.length > query.limit;
    if (hasMore) rows.length = query.limit;
    return {
      data: rows.map((r) => ({
        value: r.value ?? null,
        label: labelOf(column, r),
        count: Number(r.count),
      })),
      hasMore,
    };
  }

  /**
   * One row by id, with the grid's columns and labels, under the same scope as
   * the list: a row outside the caller's scope is simply not found.
   */
  async item(
    def: GridDefinition,
    caller: GridCaller,
    id: number,
    q?: Queryable,
  ): Promise<Row | undefined> {
    const p = new SqlParams();
    const where = await this.where(def, caller, [], undefined, p);
    const idColumn = columnByKey(def, def.idColumn);
    if (!idColumn) throw new Error(`grid ${def.name}: id column ${def.idColumn} is not declared`);
    where.push(`${idColumn.sql} = ${p.bind(id)}`);
    const sql = `SELECT ${this.selectList(def, [])} FROM ${def.from} WHERE ${where.join(' AND ')}`;
    const rows = q
      ? await q.query<Row>(sql, p.values)
      : (await this.concurrency.all([(c: Queryable) => c.query<Row>(sql, p.values)] as const))[0];
    return rows[0];
  }

  /** The caller's scope for a grid as a predicate, for repositories that check writes. */
  async scopePredicate(def: GridDefinition, caller: GridCaller, p: SqlParams): Promise<string> {
    return this.scope.predicate(caller, def.scope, p.bind);
  }

  /** The WHERE terms every query of a grid shares: scope, fixed predicate, filters, search. */
  private async where(
    def: GridDefinition,
    caller: GridCaller,
    filters: GridFilter[],
    search: string | undefined,
    p: SqlParams,
  ): Promise<string[]> {
    const terms = [await this.scope.predicate(caller, def.scope, p.bind)];
    if (def.fixedWhere) terms.push(def.fixedWhere(caller, p.bind));
    for (const f of filters) terms.push(filterSql(f, p.bind));
    if (search) {
      const s = searchSql(def, search, p.bind);
      if (s) terms.push(s);
    }
    return terms;
  }

  private selectList(def: GridDefinition, sort: { column: string }[]): string {
    const parts: string[] = [];
    for (const c of def.columns) {
      if (c.selected === false) continue;
      parts.push(`${c.sql} AS "${c.key}"`);
      if (c.ref) parts.push(`${c.ref.sql(c.sql)} AS "${c.ref.labelKey}"`);
    }
    for (const t of sort) {
      const c = columnByKey(def, t.column);
      if (c && c.selected === false) parts.push(`${c.sql} AS "${hiddenKey(c.key)}"`);
    }
    return parts.join(', ');
  }

  private async exactCount(q: Queryable, def: GridDefinition, where: string, values: unknown[]) {
    const cap = this.cfg.grid.countCap;
    const [r] = await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${def.from} WHERE ${where} LIMIT ${cap + 1}) s`,
      values,
    );
    return r.n > cap ? { value: cap, exact: false } : { value: r.n, exact: true };
  }

  private async estimateCount(q: Queryable, def: GridDefinition, where: string, values: unknown[]) {
    const [r] = await q.query<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${def.from} WHERE ${where}`,
      values,
    );
    return { value: Math.round(r['QUERY PLAN'][0].Plan['Plan Rows']), exact: false };
  }
}

function hiddenKey(column: string): string {
  return `__sort_${column}`;
}

function sortKey(def: GridDefinition, column: string): string {
  const c = columnByKey(def, column);
  return c && c.selected === false ? hiddenKey(column) : column;
}

function labelOf(column: GridColumn, r: Row): string {
  const value = r.value as string | number | boolean | null | undefined;
  if (value === null || value === undefined) return '(empty)';
  if (column.ref) return typeof r.label === 'string' ? r.label : `#${value}`;
  if (column.type === 'enum') return humanize(String(value));
  return String(value);
}

function humanize(code: string): string {
  return code.replace(/_/g, ' ').replace(/^./, (ch) => ch.toUpperCase());
}

import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { Concurrency } from '../database/concurrency.service';
import type { Queryable } from '../database/db.service';
import { ApiError } from '../http/api-error';
import type { RawQuery } from './grid-query.parser';
import type { SqlStatement } from './grid-query.builder';
import {
  buildCountQuery,
  buildItemQuery,
  buildRowsQuery,
  buildValuesQuery,
  toPage,
} from './grid-query.builder';
import { columnByKey, operatorsOf, parseGridQuery, parseValuesQuery } from './grid-query.parser';
import { buildCappedValuesQuery, buildKeptValuesQuery, keptCountsPlan } from './grid-kept-counts';
import type {
  ColumnDescription,
  ColumnValue,
  ColumnValues,
  GridColumn,
  GridDefinition,
  GridPage,
  GridQuery,
  GridScope,
} from './grid.types';

type Row = Record<string, unknown>;

/**
 * The one engine behind every list: parses and validates the grid request,
 * builds parameterized SQL under the scope it is handed (an opaque predicate:
 * the engine knows no permission rule), pages by keyset, counts beside the
 * rows (never before them) and answers value discovery.
 */
@Injectable()
export class GridService {
  constructor(
    private readonly concurrency: Concurrency,
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

  async list(def: GridDefinition, scope: GridScope, raw: RawQuery): Promise<GridPage> {
    const query = this.parse(def, raw);
    const ctx = { scope };
    const rowsSql = buildRowsQuery(def, query, ctx);
    const loadRows = (q: Queryable) => q.query<Row>(rowsSql.text, rowsSql.values);
    let rows: Row[];
    let total: GridPage['total'] = null;
    if (query.count === 'none') {
      [rows] = await this.concurrency.all([loadRows] as const);
    } else {
      // Beside the rows, on a connection of its own: the count never delays the page.
      const cap = this.cfg.grid.countCap;
      const exactSql = buildCountQuery(def, query, ctx, { exactCap: cap });
      const loadTotal =
        query.count === 'exact'
          ? (q: Queryable) => this.exactCount(q, exactSql, cap)
          : (q: Queryable) =>
              this.estimateCount(q, buildCountQuery(def, query, ctx, 'estimate'), exactSql, cap);
      [rows, total] = await this.concurrency.all([loadRows, loadTotal] as const);
    }
    return { ...toPage(def, query, rows), total };
  }

  /**
   * Value discovery: from the grid's kept counts when they can answer (exact),
   * one pass over at most the cap's rows per value when other filters need the
   * rows (lower bounds say `exact: false`; see grid-kept-counts.ts), else every
   * row of the scope counted.
   */
  async values(
    def: GridDefinition,
    scope: GridScope,
    columnKey: string,
    raw: RawQuery,
  ): Promise<ColumnValues> {
    const column = this.discoverableColumn(def, columnKey);
    const query = parseValuesQuery(def, raw);
    const plan = keptCountsPlan(def, column, query, scope);
    const cap = this.cfg.keptCounts.valuesCap;
    const sql =
      plan === undefined
        ? buildValuesQuery(def, column, query, { scope })
        : plan.kind === 'kept'
          ? buildKeptValuesQuery(def, plan, query, scope)
          : buildCappedValuesQuery(def, plan, query, scope, cap);
    const [rows] = await this.concurrency.all([
      (q: Queryable) => q.query<Row>(sql.text, sql.values),
    ] as const);
    const hasMore = rows.length > query.limit;
    if (hasMore) rows.length = query.limit;
    const capped = plan?.kind === 'capped';
    return {
      data: rows.map((r) => {
        const count = Number(r.count);
        const value: ColumnValue = { value: r.value ?? null, label: labelOf(column, r), count };
        // Capped counts are lower bounds unless the statement found them exact.
        if (capped && r.exact !== true) {
          value.count = Math.min(count, cap);
          value.exact = false;
        }
        return value;
      }),
      hasMore,
    };
  }

  /** The column /columns/{key}/values answers for, or 400. */
  discoverableColumn(def: GridDefinition, columnKey: string): GridColumn {
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
    return column;
  }

  /**
   * One row by id, with the grid's columns and labels, under the same scope as
   * the list: a row outside the caller's scope is simply not found.
   */
  async item(
    def: GridDefinition,
    scope: SqlStatement,
    id: number,
    q?: Queryable,
  ): Promise<Row | undefined> {
    const sql = buildItemQuery(def, id, { scope });
    const rows = q
      ? await q.query<Row>(sql.text, sql.values)
      : (
          await this.concurrency.all([
            (c: Queryable) => c.query<Row>(sql.text, sql.values),
          ] as const)
        )[0];
    return rows[0];
  }

  private async exactCount(q: Queryable, sql: SqlStatement, cap: number) {
    const [r] = await q.query<{ n: number }>(sql.text, sql.values);
    return r.n > cap ? { value: cap, exact: false } : { value: r.n, exact: true };
  }

  /**
   * count=estimate: the planner's figure when it says the set is large (above
   * the exact cap); below that a capped exact count, which then costs at most
   * cap rows: a guess is off by most on small sets (an organization's 60
   * documents estimated at 1), where counting is cheap anyway.
   */
  private async estimateCount(
    q: Queryable,
    explain: SqlStatement,
    exact: SqlStatement,
    cap: number,
  ): Promise<NonNullable<GridPage['total']>> {
    const [r] = await q.query<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
      explain.text,
      explain.values,
    );
    const planned = Math.round(r['QUERY PLAN'][0].Plan['Plan Rows']);
    if (planned > cap) return { value: planned, exact: false };
    // Past the cap after all (the planner was low): the cap, not exact, a true lower bound.
    return this.exactCount(q, exact, cap);
  }
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

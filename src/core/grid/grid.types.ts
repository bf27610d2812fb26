/** What a module declares about its grid; the engine does the rest. */

export type ColumnType =
  'text' | 'integer' | 'number' | 'boolean' | 'datetime' | 'date' | 'enum' | 'reference';

export const OPERATORS = [
  'eq',
  'ne',
  'in',
  'nin',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'contains',
  'startsWith',
  'isNull',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATORS_BY_TYPE: Record<ColumnType, readonly Operator[]> = {
  text: ['eq', 'ne', 'in', 'nin', 'contains', 'startsWith', 'isNull'],
  integer: ['eq', 'ne', 'in', 'nin', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull'],
  number: ['eq', 'ne', 'in', 'nin', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull'],
  boolean: ['eq', 'ne', 'isNull'],
  datetime: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull'],
  date: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull'],
  enum: ['eq', 'ne', 'in', 'nin', 'isNull'],
  reference: ['eq', 'ne', 'in', 'nin', 'isNull'],
};

export interface GridColumn {
  /** Name in the API (sort, filter, row field). */
  key: string;
  label: string;
  /** SQL expression over the grid's FROM clause. Written by developers, never from input. */
  sql: string;
  type: ColumnType;
  nullable?: boolean;
  sortable?: boolean;
  /** Default true. */
  filterable?: boolean;
  /** Narrower than the type's operators. */
  operators?: readonly Operator[];
  /** Whether /columns/{key}/values answers for it. */
  discoverable?: boolean;
  /** Part of the quick search. */
  searchable?: boolean;
  /** Allowed values of an enum column. */
  values?: readonly string[];
  /**
   * For reference columns: a scalar subquery giving the label of an id, as a
   * function of the id expression, e.g. v => `(SELECT name FROM folders WHERE id = ${v})`.
   * The grid returns it as `labelKey` beside the id, computed only for the page's rows.
   */
  ref?: {
    labelKey: string;
    sql: (idExpr: string) => string;
    /**
     * The referenced table and its label column, declared when an index on
     * (this column, the default sort…) exists: a sort by this label then walks
     * the references in label order and reads each one's rows from that index,
     * as far as the page needs (see buildRowsQuery), instead of sorting the scope.
     * `tenant`: the referenced table's column holding the organization, so that a
     * scope of one organization walks that organization's references only.
     */
    walk?: { table: string; label: string; tenant: string };
  };
  /** False: usable in filters and sort, not returned in rows. Default true. */
  selected?: boolean;
  /**
   * The row field's OpenAPI schema when the type does not tell it: a `text`
   * column whose SQL gives an array or a JSON document (filters and sort still
   * go by `type`). Default: derived from `type`, `values` and `nullable`.
   */
  rowSchema?: RowFieldSchema;
}

/**
 * What a row field holds when it is not the column type's scalar (see
 * GridColumn.rowSchema); an object is a JSON document with any fields.
 */
export type RowFieldSchema =
  | { type: 'array'; items: { type: 'integer' | 'number' | 'string' } }
  | { type: 'object'; description?: string };

export interface SortTerm {
  column: string;
  direction: 'asc' | 'desc';
}

export interface GridDefinition {
  /** Module name in the URL: documents, mails, … */
  name: string;
  /** FROM clause with the base alias, e.g. `documents d`. */
  from: string;
  /** Unique, non-null tie-breaker column key (always `id`). */
  idColumn: string;
  columns: readonly GridColumn[];
  /** Served by an index under the organization filter. */
  defaultSort: readonly SortTerm[];
  /**
   * A column that splits the rows into partitions (documents: their folders),
   * with the orders an index serves within one partition, the id last. When the
   * caller's scope is a short list of partitions (GridScope.partitions) and a
   * page runs in one of these orders or its reverse, the page is read partition
   * by partition and merged: rows of other partitions are never read.
   */
  partitionedBy?: { column: string; orders: readonly (readonly SortTerm[])[] };
}

/** Parsed, validated request. */
export interface GridFilter {
  column: GridColumn;
  op: Operator;
  /** Typed values: one for most operators, several for in/nin, two for between. */
  values: unknown[];
  parameter: string;
}

export type CountMode = 'none' | 'exact' | 'estimate';

export interface GridQuery {
  sort: SortTerm[];
  filters: GridFilter[];
  search: string | undefined;
  limit: number;
  offset: number;
  cursor: unknown[] | undefined;
  count: CountMode;
}

export interface GridPage<Row = Record<string, unknown>> {
  data: Row[];
  page: { limit: number; nextCursor: string | null; hasMore: boolean; offset?: number };
  total: { value: number; exact: boolean } | null;
  sort: SortTerm[];
}

export interface ColumnValue {
  value: unknown;
  label: string;
  count: number;
}

export interface ColumnValues {
  data: ColumnValue[];
  hasMore: boolean;
}

export interface ColumnDescription {
  key: string;
  label: string;
  type: ColumnType;
  sortable: boolean;
  filterable: boolean;
  operators: readonly Operator[];
  discoverable: boolean;
  searchable: boolean;
  values?: readonly string[];
  labelKey?: string;
}

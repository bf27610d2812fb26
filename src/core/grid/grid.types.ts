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
   * caller's scope is a short list of partitions (a set of GridScope.within) and a
   * page runs in one of these orders or its reverse, the page is read partition
   * by partition and merged: rows of other partitions are never read.
   */
  partitionedBy?: { column: string; orders: readonly (readonly SortTerm[])[] };
  /** Value discovery from counts kept beside the rows rather than recounted (see KeptCounts). */
  keptCounts?: KeptCounts;
}

/**
 * A relation of counts kept by the database in the transaction of every write:
 * rows (key dimensions…, column_key, value, n) whose n summed per value, over
 * the dimensions' values in scope, are the counts value discovery answers.
 * `value` is text (the engine casts it back to the column's type); a NULL
 * value counts the rows without one. Several rows may hold one key (deltas
 * not yet folded in): readers sum them.
 */
export interface KeptCounts {
  relation: string;
  /** Grid column key → the relation's column holding it: the key dimensions (folder, organization). */
  dimensions: Readonly<Record<string, string>>;
  /** Keys of the counted columns (discoverable). Every row is counted once under each. */
  columns: readonly string[];
}

/**
 * The caller's scope: a predicate over the grid's FROM clause with values
 * numbered from $1, and, when it can be said so, the same rows as sets: the
 * rows whose expression `sql` (a column's SQL) is one of `values`, for every
 * entry (an empty list of entries: every row). Kept counts answer only a scope
 * stated as sets.
 */
export interface GridScope {
  text: string;
  values: unknown[];
  within?: readonly ScopeSet[];
  /** The one organization every row of the scope belongs to, when there is one. */
  tenant?: number;
}

export interface ScopeSet {
  sql: string;
  values: readonly number[];
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
  /** Present, false, when `count` is only a lower bound (at most the cap); absent when exact. */
  exact?: false;
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

import type { GridColumn } from './grid.types';

/**
 * A reference column's label: `column` of `table` for the id. `walk` declares
 * that an index on (the referencing column, the grid's default sort) exists,
 * so that a sort by this label walks the references instead of sorting the
 * scope (test/medium/grid-walk-indexes.spec.ts checks the index is there).
 * `tenant`: the column of `table` naming the organization (the organizations
 * table itself: `id`).
 */
export function labelRef(
  labelKey: string,
  table: string,
  column = 'name',
  options: { walk?: boolean; tenant?: string } = {},
): NonNullable<GridColumn['ref']> {
  const tenant = options.tenant ?? 'organization_id';
  return {
    labelKey,
    sql: (v) => `(SELECT x.${column} FROM ${table} x WHERE x.id = ${v})`,
    ...(options.walk ? { walk: { table, label: column, tenant } } : {}),
  };
}

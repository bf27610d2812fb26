import type { GridColumn, GridDefinition, SortTerm } from './grid.types';

/**
 * Sorting by a reference column sorts by what the user reads in it, its label
 * (folder name, user's display name), then by the reference itself (two
 * folders may share a name), then in the grid's default order (see
 * withTieBreaker): `sort=folderId` runs as `folderName, folderId, createdOn desc, id desc`. The label term is a column of the engine's own,
 * named by the label key: the row field of that name (the page's label) gives
 * the cursor its value; it is never a filter, and may be null (a row without a
 * reference).
 */
const labelColumns = new WeakMap<GridColumn, GridColumn>();

function labelSortColumn(c: GridColumn & { ref: NonNullable<GridColumn['ref']> }): GridColumn {
  let label = labelColumns.get(c);
  if (!label) {
    label = {
      key: c.ref.labelKey,
      label: c.label,
      sql: c.ref.sql(c.sql),
      type: 'text',
      nullable: true,
      sortable: true,
      filterable: false,
    };
    labelColumns.set(c, label);
  }
  return label;
}

/** A column a sort term of the engine names: a declared column or a reference's label. */
export function sortColumnByKey(def: GridDefinition, key: string): GridColumn | undefined {
  for (const c of def.columns) {
    if (c.key === key) return c;
    if (c.ref?.labelKey === key) return labelSortColumn(c as Parameters<typeof labelSortColumn>[0]);
  }
  return undefined;
}

/**
 * The sort the engine actually runs: the requested one with every reference
 * term preceded by its label term, then the id as tie-breaker; after a
 * reference term last, the grid's default sort instead (rows of one folder in
 * their usual order, which an index on the reference and that order serves).
 */
export function withTieBreaker(def: GridDefinition, sort: readonly SortTerm[]): SortTerm[] {
  const run: SortTerm[] = [];
  for (const t of sort) {
    const c = def.columns.find((x) => x.key === t.column);
    if (c?.ref) run.push({ column: c.ref.labelKey, direction: t.direction });
    run.push(t);
  }
  if (run.some((t) => t.column === def.idColumn)) return run;
  const last = def.columns.find((x) => x.key === sort[sort.length - 1]?.column);
  if (last?.ref)
    return [...run, ...def.defaultSort.filter((t) => !run.some((r) => r.column === t.column))];
  return [...run, { column: def.idColumn, direction: run[run.length - 1]?.direction ?? 'asc' }];
}

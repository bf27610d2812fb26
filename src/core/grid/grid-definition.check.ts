import { OPERATORS_BY_TYPE } from './grid.types';
import type { GridDefinition } from './grid.types';

/** camelCase: rows, sort and filter[key] use the same names as request bodies. */
const KEY = /^[a-z][A-Za-z0-9]*$/;

/**
 * What the engine assumes of a definition and cannot check per request: a
 * misdeclared grid would answer 500s (ILIKE on a number, an unknown sort
 * column) or page unstably (a default sort without the id). Returns the
 * problems found; tests run it over every grid.
 */
export function gridDefinitionProblems(def: GridDefinition): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const c of def.columns) {
    if (!KEY.test(c.key))
      problems.push(`${c.key}: keys are camelCase letters and digits (filter[key])`);
    if (keys.has(c.key)) problems.push(`${c.key}: declared twice`);
    keys.add(c.key);
    const allowed = OPERATORS_BY_TYPE[c.type];
    for (const op of c.operators ?? [])
      if (!allowed.includes(op)) problems.push(`${c.key}: ${op} does not apply to a ${c.type}`);
    if (c.type === 'enum' && (c.values ?? []).length === 0)
      problems.push(`${c.key}: an enum needs its values`);
    if (c.searchable && c.type !== 'text')
      problems.push(`${c.key}: only text columns can be searchable (ILIKE)`);
    if (c.ref && !KEY.test(c.ref.labelKey))
      problems.push(`${c.key}: label key ${c.ref.labelKey} is not camelCase`);
    if (c.type === 'reference' && !c.ref)
      problems.push(
        `${c.key}: a reference column needs a label (ref), as a user reads names, not ids`,
      );
    if (c.ref && c.type !== 'reference')
      problems.push(`${c.key}: a label lookup belongs to a reference column`);
  }
  for (const c of def.columns) {
    if (c.ref && keys.has(c.ref.labelKey))
      problems.push(`${c.key}: label key ${c.ref.labelKey} is also a column key`);
  }
  const id = def.columns.find((c) => c.key === def.idColumn);
  if (!id) problems.push(`id column ${def.idColumn} is not declared`);
  else {
    if (id.type !== 'integer') problems.push(`id column ${id.key} must be an integer`);
    if (id.nullable) problems.push(`id column ${id.key} cannot be nullable`);
    if (!id.sortable) problems.push(`id column ${id.key} must be sortable (the tie-breaker)`);
  }
  if (def.defaultSort.length === 0) problems.push('the default sort is empty');
  for (const t of def.defaultSort) {
    const c = def.columns.find((x) => x.key === t.column);
    if (!c) problems.push(`default sort: ${t.column} is not declared`);
    else if (!c.sortable) problems.push(`default sort: ${t.column} is not sortable`);
  }
  if (!/^[a-z_]+ [a-z]+$/.test(def.from))
    problems.push(`from: one table and its alias (a page's rows are joined back by id)`);
  if (def.partitionedBy) {
    const by = def.partitionedBy;
    const c = def.columns.find((x) => x.key === by.column);
    if (!c || !['integer', 'reference'].includes(c.type) || c.nullable)
      problems.push(`partitionedBy: ${by.column} is not a non-null integer or reference column`);
    for (const order of by.orders) {
      if (order[order.length - 1]?.column !== def.idColumn)
        problems.push('partitionedBy: each order ends with the id');
      for (const t of order) {
        const oc = def.columns.find((x) => x.key === t.column);
        if (!oc?.sortable) problems.push(`partitionedBy: ${t.column} is not a sortable column`);
      }
    }
  }
  const kept = def.keptCounts;
  if (kept) {
    for (const key of [...kept.columns, ...Object.keys(kept.dimensions)]) {
      const c = def.columns.find((x) => x.key === key);
      if (!c) problems.push(`kept counts: ${key} is not declared`);
      else if (!c.discoverable) problems.push(`kept counts: ${key} is not discoverable`);
    }
    for (const key of Object.keys(kept.dimensions))
      if (kept.columns.includes(key))
        problems.push(`kept counts: ${key} is a dimension and counted`);
    if (kept.columns.length === 0) problems.push('kept counts: no counted column');
  }
  const last = def.defaultSort[def.defaultSort.length - 1];
  if (last && last.column !== def.idColumn)
    problems.push('the default sort must end with the id (the index order, a stable cursor)');
  return problems;
}

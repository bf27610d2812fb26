import type { GridDefinition } from '../core/grid/grid.types';

/** A node of EXPLAIN (FORMAT JSON) output, as far as `npm run explain` reads it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  'Sort Key'?: string[];
  /** The planner's estimate of rows out of this node. */
  'Plan Rows'?: number;
  /** With ANALYZE: rows out per loop, and loops. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/**
 * A Sort of at most this many rows costs about what reading a page costs; more is a
 * plan whose cost grows with the table (the index should have delivered the order).
 */
export const SMALL_SORT_ROWS = 1000;

/** The table a grid reads: the first name of its FROM clause (`documents d` → documents). */
export function baseTable(def: GridDefinition): string {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)/.exec(def.from);
  if (!m) throw new Error(`grid ${def.name}: cannot read the table of "${def.from}"`);
  return m[1].split('.').pop() as string;
}

/** Sub-plans (label lookups, scope subqueries) run per row or once: not the grid's own reading. */
const isSubPlan = (n: PlanNode) =>
  n['Parent Relationship'] === 'SubPlan' || n['Parent Relationship'] === 'InitPlan';

function scans(node: PlanNode, table: string): boolean {
  if (node['Relation Name'] === table) return true;
  return (node.Plans ?? []).some((child) => !isSubPlan(child) && scans(child, table));
}

/**
 * Sort nodes that sort rows of the grid's table: the index did not deliver the
 * order, so the page costs a read and sort of everything the filters keep.
 * An Incremental Sort (the index gives a prefix of the order) is not one.
 */
export function fullSortsOf(plan: PlanNode, table: string): PlanNode[] {
  const found: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    if (n['Node Type'] === 'Sort' && scans(n, table)) found.push(n);
    for (const child of n.Plans ?? []) if (!isSubPlan(child)) walk(child);
  };
  walk(plan);
  return found;
}

/** Rows fed into a Sort: what its input produced (ANALYZE) or was estimated to, whichever is more. */
export function rowsSorted(sort: PlanNode): number {
  const input = (sort.Plans ?? []).find((c) => !isSubPlan(c));
  if (!input) return 0;
  const actual = (input['Actual Rows'] ?? 0) * (input['Actual Loops'] ?? 1);
  return Math.max(actual, input['Plan Rows'] ?? 0);
}

/** The lines of a text plan worth a glance: nodes that read, sort, limit or aggregate, and timings. */
export function keyLines(plan: string[]): string[] {
  return plan.filter((l) =>
    /(Scan|Sort|Limit|Aggregate|Execution Time|Planning Time|Index Cond|Filter:)/.test(l),
  );
}

/** "Execution Time: 0.123 ms" → 0.123. */
export function executionMs(plan: string[]): number | undefined {
  for (const l of plan) {
    const m = /Execution Time: ([\d.]+) ms/.exec(l);
    if (m) return Number(m[1]);
  }
  return undefined;
}

import { documentGrid } from '../modules/document/document.grid';
import type { PlanNode } from './explain-plan';
import { baseTable, executionMs, fullSortsOf, keyLines, rowsSorted } from './explain-plan';

const scan = (table: string, rows: number, extra: Partial<PlanNode> = {}): PlanNode => ({
  'Node Type': 'Seq Scan',
  'Relation Name': table,
  'Plan Rows': rows,
  'Actual Rows': rows,
  'Actual Loops': 1,
  ...extra,
});

describe('explain plan reading', () => {
  it('reads the table of a grid', () => {
    expect(baseTable(documentGrid)).toBe('documents');
    expect(baseTable({ ...documentGrid, from: 'public.mails m JOIN x ON true' })).toBe('mails');
  });

  it('finds a Sort over the grid table, also below a Limit and a Gather', () => {
    const sort: PlanNode = {
      'Node Type': 'Sort',
      'Sort Key': ['d.title'],
      Plans: [
        {
          'Node Type': 'Gather',
          'Plan Rows': 40_000,
          'Actual Rows': 40_000,
          Plans: [scan('documents', 40_000)],
        },
      ],
    };
    const plan: PlanNode = { 'Node Type': 'Limit', Plans: [sort] };
    expect(fullSortsOf(plan, 'documents')).toEqual([sort]);
    expect(rowsSorted(sort)).toBe(40_000);
  });

  it('passes an index scan in order, an incremental sort, and sorts inside label sub-plans', () => {
    const index: PlanNode = {
      'Node Type': 'Limit',
      Plans: [
        {
          'Node Type': 'Index Scan',
          'Relation Name': 'documents',
          'Index Name': 'documents_created_idx',
          Plans: [
            {
              'Node Type': 'Sort',
              'Parent Relationship': 'SubPlan',
              Plans: [scan('documents', 3)],
            },
          ],
        },
      ],
    };
    expect(fullSortsOf(index, 'documents')).toEqual([]);
    const incremental: PlanNode = {
      'Node Type': 'Incremental Sort',
      Plans: [scan('documents', 10)],
    };
    expect(fullSortsOf(incremental, 'documents')).toEqual([]);
  });

  it('ignores a Sort of another table (a label lookup joined in)', () => {
    const plan: PlanNode = { 'Node Type': 'Sort', Plans: [scan('folders', 9)] };
    expect(fullSortsOf(plan, 'documents')).toEqual([]);
  });

  it('counts the rows sorted as the larger of the estimate and what ran', () => {
    const sort = (plan: number, actual: number, loops: number): PlanNode => ({
      'Node Type': 'Sort',
      Plans: [
        scan('folders', 0, { 'Plan Rows': plan, 'Actual Rows': actual, 'Actual Loops': loops }),
      ],
    });
    expect(rowsSorted(sort(14, 51, 1))).toBe(51);
    expect(rowsSorted(sort(2202, 10, 2))).toBe(2202);
    expect(rowsSorted(sort(5, 300, 3))).toBe(900);
  });

  it('picks key lines and the execution time out of a text plan', () => {
    const text = [
      'Limit  (cost=0.42..1.00 rows=51 width=8) (actual time=0.06..0.70 rows=51 loops=1)',
      '  Buffers: shared hit=491',
      '  ->  Index Scan using documents_created_idx on documents d',
      'Planning Time: 0.663 ms',
      'Execution Time: 0.755 ms',
    ];
    expect(keyLines(text)).toEqual([text[0], text[2], text[3], text[4]]);
    expect(executionMs(text)).toBe(0.755);
    expect(executionMs(['Limit'])).toBeUndefined();
  });
});

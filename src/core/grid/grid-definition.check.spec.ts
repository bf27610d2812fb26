import { sampleGrid } from '../../../test/support/sample-grid';
import { gridDefinitionProblems } from './grid-definition.check';
import type { GridColumn, GridDefinition } from './grid.types';

const withColumn = (c: GridColumn): GridDefinition => ({
  ...sampleGrid,
  columns: [...sampleGrid.columns, c],
});

describe('grid definition check', () => {
  it('finds nothing wrong with a well-formed grid', () => {
    expect(gridDefinitionProblems(sampleGrid)).toEqual([]);
  });

  it.each([
    [
      'an operator the type cannot take',
      withColumn({ key: 'n', label: 'N', sql: 's.n', type: 'integer', operators: ['contains'] }),
      'n: contains does not apply to a integer',
    ],
    [
      'a searchable number',
      withColumn({ key: 'n', label: 'N', sql: 's.n', type: 'number', searchable: true }),
      'n: only text columns can be searchable (ILIKE)',
    ],
    [
      'a reference without a label',
      withColumn({ key: 'teamId', label: 'Team', sql: 's.team_id', type: 'reference' }),
      'teamId: a reference column needs a label (ref), as a user reads names, not ids',
    ],
    [
      'an enum without values',
      withColumn({ key: 'e', label: 'E', sql: 's.e', type: 'enum' }),
      'e: an enum needs its values',
    ],
    [
      'a key filter[] cannot address',
      withColumn({ key: 'a-b', label: 'A', sql: 's.a', type: 'text' }),
      'a-b: keys are camelCase letters and digits (filter[key])',
    ],
    [
      'a snake_case key (JSON is camelCase)',
      withColumn({ key: 'folder_id', label: 'F', sql: 's.folder_id', type: 'integer' }),
      'folder_id: keys are camelCase letters and digits (filter[key])',
    ],
    [
      'a key declared twice',
      withColumn({ key: 'name', label: 'N', sql: 's.n', type: 'text' }),
      'name: declared twice',
    ],
    [
      'a label key that is a column',
      withColumn({
        key: 'x_id',
        label: 'X',
        sql: 's.x_id',
        type: 'reference',
        ref: { labelKey: 'name', sql: (v) => v },
      }),
      'x_id: label key name is also a column key',
    ],
    [
      'a default sort without the id at the end',
      { ...sampleGrid, defaultSort: [{ column: 'createdOn', direction: 'desc' as const }] },
      'the default sort must end with the id (the index order, a stable cursor)',
    ],
    [
      'a default sort on an unsortable column',
      {
        ...sampleGrid,
        defaultSort: [
          { column: 'note', direction: 'asc' as const },
          { column: 'id', direction: 'asc' as const },
        ],
      },
      'default sort: note is not sortable',
    ],
    ['an undeclared id', { ...sampleGrid, idColumn: 'uuid' }, 'id column uuid is not declared'],
  ])('reports %s', (_what, def, problem) => {
    expect(gridDefinitionProblems(def)).toContain(problem);
  });
});

import { gridDefinitionProblems } from '../../core/grid/grid-definition.check';
import { ACTIONS } from '../permission/permission.types';
import type { Resource } from '../permission/resource';
import { RESOURCES } from './resources';

/** What a declaration must hold beyond a well-formed grid. */
function resourceProblems(r: Resource): string[] {
  const problems: string[] = [];
  const sqls = new Set(r.grid.columns.map((c) => c.sql));
  const columns = [r.rows.tenant, r.rows.folder, r.rows.assignee, r.rows.entityType];
  for (const c of columns) {
    if (c !== undefined && !sqls.has(c)) problems.push(`row rule column ${c} is not a grid column`);
  }
  for (const op of Object.keys(r.policy)) {
    const action = r.rows.folderAction?.[op] ?? (op === 'read' ? 'view' : op);
    if (r.rows.folder && !(ACTIONS as readonly string[]).includes(action))
      problems.push(`operation ${op} needs a folder action (rows.folderAction)`);
  }
  if (r.rows.assigneeMay && !r.rows.assignee) problems.push('assigneeMay without an assignee');
  if (r.rows.onlyOwnAssignments && !r.rows.assignee)
    problems.push('onlyOwnAssignments without an assignee');
  return problems;
}

describe('every resource declaration', () => {
  it.each(RESOURCES.map((r) => [r.grid.name, r]))('%s has a well-formed grid', (_name, r) => {
    expect(gridDefinitionProblems(r.grid)).toEqual([]);
  });

  it.each(RESOURCES.map((r) => [r.grid.name, r]))('%s has sound row rules', (_name, r) => {
    expect(resourceProblems(r)).toEqual([]);
  });

  it('names each grid once', () => {
    const names = RESOURCES.map((r) => r.grid.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

import type { Requirement, Resource } from '../permission/resource';
import { folderActionOf } from '../permission/resource';

function requirement(r: Requirement): string {
  if ('platformAdmin' in r) return 'platform admin';
  if ('adminHub' in r) return 'admin hub';
  if ('signedIn' in r) return 'signed in';
  return `${r.grant}:${r.action}`;
}

function rows(r: Resource): string {
  const parts = ['own organization'];
  if (r.rows.onlyOwnAssignments) parts.push('assigned to the caller');
  if (r.rows.entityType) parts.push('record types the caller may view');
  if (r.rows.folder) {
    const ops = Object.keys(r.policy)
      .filter((op) => op !== 'read')
      .map((op) => `${op}: ${folderActionOf(r.rows, op)}`);
    parts.push(
      `folder grant (read: view${ops.length > 0 ? `; ${ops.join(', ')}` : ''})` +
        (r.rows.folderOptional ? ', or no folder' : ''),
    );
  }
  if (r.rows.assignee && !r.rows.onlyOwnAssignments) {
    const may = r.rows.assigneeMay?.length ? ` and may ${r.rows.assigneeMay.join(', ')}` : '';
    parts.push(`the assignee reads${may}`);
  }
  return parts.join('; ');
}

/** The README's policy table, rendered from the declarations (a test keeps the two in step). */
export function renderPolicyTable(resources: readonly Resource[]): string {
  const lines = [
    '| resource | screen (tab) | read (grid, item) | writes | rows in scope |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of resources) {
    const writes = Object.entries(r.policy)
      .filter(([op]) => op !== 'read')
      .map(([op, req]) => `${op}: ${requirement(req)}`)
      .join('<br>');
    lines.push(
      `| \`/api/${r.grid.name}\` | ${r.tab ?? '—'} | ${requirement(r.policy.read)} | ${writes || '—'} | ${rows(r)} |`,
    );
  }
  return lines.join('\n');
}

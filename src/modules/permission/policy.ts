import type { ScopeSet } from '../../core/grid/grid.types';
import type { Action, UserAccess } from './permission.types';
import { ENTITY_TYPES } from './permission.types';
import type { GrantedType, Requirement, Resource } from './resource';
import { folderActionOf } from './resource';

/**
 * The rules of who may do what, as pure functions of a user's access: the
 * route level (requirements, tabs) and the row level (one SQL predicate per
 * resource and operation). PolicyEvaluator applies them to the caller.
 */

/** What the admin hub manages: its holders hold every action on these, and their tabs. */
export const ADMIN_HUB_TYPES: readonly GrantedType[] = ['user', 'role'];

export function holds(access: UserAccess, type: GrantedType, action: Action): boolean {
  if (access.adminHub && ADMIN_HUB_TYPES.includes(type)) return true;
  return access.actions[type]?.includes(action) ?? false;
}

export function meets(access: UserAccess, req: Requirement): boolean {
  if ('signedIn' in req) return true;
  if ('platformAdmin' in req) return access.isPlatformAdmin;
  if ('adminHub' in req) return access.adminHub;
  return holds(access, req.grant, req.action);
}

export function refusal(req: Requirement): string {
  if ('platformAdmin' in req) return 'Only platform administrators may do this';
  if ('adminHub' in req) return 'This needs access to the admin hub';
  if ('grant' in req) return `You may not ${req.action} ${req.grant.replace('_', ' ')} records`;
  return 'Sign in first';
}

/** Whether the user may open a screen (tab). */
export function opens(access: UserAccess, tab: GrantedType): boolean {
  if (access.isPlatformAdmin) return true;
  if (access.adminHub && ADMIN_HUB_TYPES.includes(tab)) return true;
  return access.tabs.includes(tab);
}

/** The grid screens a user may open: a tab held together with view rights on it. */
export function screensOf(access: UserAccess): string[] {
  const candidates = access.isPlatformAdmin ? ENTITY_TYPES : [...access.tabs, 'user'];
  return [...new Set(candidates)]
    .filter((t) => opens(access, t as GrantedType) && holds(access, t as GrantedType, 'view'))
    .sort();
}

/** Entity types whose records the user may view (the audit grid shows only their rows). */
export function viewableTypes(access: UserAccess): GrantedType[] {
  return [...ENTITY_TYPES, 'role' as const].filter((t) => holds(access, t, 'view'));
}

/**
 * True when the user may do `action` in a folder given by its path (root
 * first, the folder last): a grant on it or an ancestor; viewing also through
 * the precomputed visible set (system folders). Admins: always.
 */
export function permitsInFolder(access: UserAccess, path: readonly number[], action: Action) {
  if (access.viewFolderIds === null) return true;
  // bigint[] may arrive as text from the driver: compare as numbers.
  const ids = path.map(Number);
  if (action === 'view' && access.viewFolderIds.includes(ids[ids.length - 1])) return true;
  return access.folderGrants.some(([folderId, a]) => a === action && ids.includes(folderId));
}

export interface ScopeOptions {
  /**
   * Only the user's own rights: the assignee alternatives are left out (who
   * may be given a mail must be able to read it without being its assignee).
   */
  ownRights?: boolean;
}

/**
 * The rows of a resource the user reaches for an operation, as one SQL
 * predicate over the grid's FROM clause; values go through `bind`.
 */
export function rowScope(
  resource: Resource,
  op: string,
  access: UserAccess,
  bind: (v: unknown) => string,
  options: ScopeOptions = {},
): string {
  const r = resource.rows;
  const me = () => {
    if (!r.assignee)
      throw new Error(`${resource.grid.name}: assignee rules need the assignee column`);
    return `${r.assignee} = ${bind(access.userId)}`;
  };
  // One's own assignments are one's own, platform administrators' included.
  if (r.onlyOwnAssignments) return options.ownRights === true ? 'FALSE' : me();
  if (access.isPlatformAdmin) return 'TRUE';
  const terms = [`${r.tenant} = ${bind(access.organizationId)}`];
  if (r.entityType) terms.push(`${r.entityType} = ANY(${bind(viewableTypes(access))}::text[])`);
  if (!r.folder) return terms.join(' AND ');

  const action = folderActionOf(r, op);
  const byAssignee =
    options.ownRights !== true &&
    r.assignee !== undefined &&
    (op === 'read' || r.assigneeMay?.includes(op) === true);
  const type = 'grant' in resource.policy.read ? resource.policy.read.grant : undefined;
  // An operation the assignee may do without the grant: others need the grant, then the folder.
  const granted =
    op === 'read' || !r.assigneeMay?.includes(op) || type === undefined
      ? true
      : holds(access, type, action);
  const alternatives: string[] = [];
  if (granted) {
    const inFolder = folderPredicate(r.folder, action, access, bind);
    if (inFolder === undefined) return terms.join(' AND ');
    alternatives.push(inFolder);
    if (r.folderOptional) alternatives.push(`${r.folder} IS NULL`);
  }
  if (byAssignee) alternatives.push(me());
  if (alternatives.length === 0) alternatives.push('FALSE');
  terms.push(alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`);
  return terms.join(' AND ');
}

/** The organization rowScope limits the rows to (its tenant term), if it does. */
export function tenantOf(resource: Resource, access: UserAccess): number | undefined {
  if (resource.rows.onlyOwnAssignments || access.isPlatformAdmin) return undefined;
  return access.organizationId ?? undefined;
}

/**
 * The rows rowScope gives for a read, as sets of tenant and folder ids (the
 * grid engine answers value discovery from kept counts with them); undefined
 * when the rule is not only that (assignees, entity types, rows without a
 * folder). Empty: every row (platform administrators).
 */
export function readScopeSets(resource: Resource, access: UserAccess): ScopeSet[] | undefined {
  const r = resource.rows;
  if (r.onlyOwnAssignments || r.assignee !== undefined || r.entityType || r.folderOptional)
    return undefined;
  if (access.isPlatformAdmin) return [];
  const tenant = access.organizationId === null ? [] : [access.organizationId];
  const sets: ScopeSet[] = [{ sql: r.tenant, values: tenant }];
  if (!r.folder || access.viewFolderIds === null) return sets;
  if (folderActionOf(r, 'read') !== 'view') return undefined;
  sets.push({ sql: r.folder, values: access.viewFolderIds.map(Number) });
  return sets;
}

/** Rows whose folder grants `action` to the user; undefined when every folder does. */
function folderPredicate(
  column: string,
  action: Action,
  access: UserAccess,
  bind: (v: unknown) => string,
): string | undefined {
  if (access.viewFolderIds === null) return undefined;
  if (action === 'view') return `${column} = ANY(${bind(access.viewFolderIds)}::bigint[])`;
  // Grants flow down the tree (a folder's path holds its ancestors and itself);
  // system folders (Inbox, Archive) are every member's.
  const roots = access.folderGrants.filter(([, a]) => a === action).map(([f]) => f);
  return (
    `${column} IN (SELECT x.id FROM folders x WHERE x.system_key IS NOT NULL ` +
    `OR x.path && ${bind(roots)}::bigint[])`
  );
}

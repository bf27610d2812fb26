/**
 * The policy table, written out a second time and on purpose independently of
 * src/modules/permission (nothing here imports the code under test): who may
 * call which route and reach which row. The permission-matrix e2e test asks it
 * what every route should answer each fixture user for each row, and compares.
 *
 * The rules it encodes:
 * - Platform admins: everything, every tenant.
 * - Organization admins: every action, every folder, their own tenant only;
 *   every tab (the organization screen shows their own).
 * - Admin-hub holders hold every action on users and roles (and their screens);
 *   roles have no tab (reading them needs the admin hub).
 * - Others: an entity-type action needs that grant; grid screens (list,
 *   columns, values) also need the resource's tab; an item GET needs only the
 *   read grant; writes only their grant. Everyone views his own organization;
 *   only platform admins create, edit and delete organizations. User writes and
 *   every role route: the admin hub.
 * - Rows: other tenants' rows are never visible. Folder-scoped rows (documents,
 *   folders, mails, audit rows carrying a folder) are visible where the user
 *   may view the folder (a view grant on it or an ancestor; system folders for
 *   all); a write needs that operation's action granted on the row's folder or
 *   an ancestor (system folders for all). Visible but not permitted: 403;
 *   invisible: 404. Unfiled mail is visible and writable to anyone the route
 *   admits; the assignee always sees his mail and may change its status
 *   without mail edit; unassigning needs the assign grant in the folder, a
 *   status change edit in the folder (and mail edit) unless one is the
 *   assignee. Listing who a mail may be assigned to (GET /mails/:id/assignees)
 *   is an assign of that mail without the change: the assign grant, then 404
 *   outside the read scope, 403 outside the assign scope (the folder's assign
 *   grant; unfiled and system-folder mail: everyone's). The inbox lists only mail assigned to the caller. Audit rows:
 *   only of entity types the caller may view, and only where the record's
 *   folder (if any) is visible.
 */

export type Action = 'view' | 'create' | 'edit' | 'delete' | 'assign' | 'export';
export type GrantedType =
  | 'organization'
  | 'user'
  | 'folder'
  | 'document_type'
  | 'document'
  | 'mail'
  | 'batch'
  | 'audit'
  | 'role';

/** Same shape as the app's Requirement, so that declarations can be compared with it. */
export type Requirement =
  | { grant: GrantedType; action: Action }
  | { adminHub: true }
  | { platformAdmin: true }
  | { signedIn: true };

const grant = (type: GrantedType, action: Action): Requirement => ({ grant: type, action });
const ADMIN_HUB: Requirement = { adminHub: true };
const PLATFORM_ADMIN: Requirement = { platformAdmin: true };
const SIGNED_IN: Requirement = { signedIn: true };

/** An organization's slug (the fixtures: acme and globex). */
export type Tenant = string;

/** A folder by its path of names from the root ("Finance/Invoices"). */
export interface FolderRef {
  tenant: Tenant;
  path: string;
  /** Inbox and Archive: every member's. */
  system?: boolean;
}

// ---------------------------------------------------------------------------
// Who: the fixture users, as the seed (src/seed/small-seed.ts) and the
// matrix's own fixtures make them.
// ---------------------------------------------------------------------------

export type ActorKey =
  | 'platform'
  | 'orgAdmin'
  | 'hubOnly'
  | 'clerk'
  | 'financeReader'
  | 'noRole'
  | 'auditor'
  | 'globexAdmin';

export interface Actor {
  key: ActorKey;
  email: string;
  /** null: a platform admin, of no organization. */
  tenant: Tenant | null;
  platformAdmin: boolean;
  orgAdmin: boolean;
  /** Through a role (organization admins hold it anyway). */
  adminHub: boolean;
  grants: Partial<Record<GrantedType, Action[]>>;
  tabs: GrantedType[];
  /** Folder path (root first) → actions, flowing down to subfolders. */
  folderGrants: Record<string, Action[]>;
}

const none = { adminHub: false, grants: {}, tabs: [], folderGrants: {} };

export const ACTORS: readonly Actor[] = [
  {
    key: 'platform',
    email: 'admin@postroom.local',
    tenant: null,
    platformAdmin: true,
    orgAdmin: false,
    ...none,
  },
  {
    key: 'orgAdmin',
    email: 'admin@acme.example',
    tenant: 'acme',
    platformAdmin: false,
    orgAdmin: true,
    ...none,
  },
  {
    key: 'hubOnly',
    email: 'hub@acme.example',
    tenant: 'acme',
    platformAdmin: false,
    orgAdmin: false,
    ...none,
    adminHub: true,
  },
  {
    key: 'clerk',
    email: 'clerk@acme.example',
    tenant: 'acme',
    platformAdmin: false,
    orgAdmin: false,
    adminHub: false,
    grants: {
      mail: ['view', 'create', 'edit', 'assign'],
      document: ['view', 'create', 'edit'],
      batch: ['view', 'create'],
      folder: ['view'],
      document_type: ['view'],
    },
    tabs: ['mail', 'document', 'batch', 'folder'],
    folderGrants: { Finance: ['view', 'create', 'edit'], Legal: ['view', 'create', 'edit'] },
  },
  {
    key: 'financeReader',
    email: 'finance@acme.example',
    tenant: 'acme',
    platformAdmin: false,
    orgAdmin: false,
    adminHub: false,
    grants: { document: ['view'], folder: ['view'], document_type: ['view'] },
    tabs: ['document', 'folder'],
    folderGrants: { Finance: ['view'] },
  },
  {
    key: 'noRole',
    email: 'norole@acme.example',
    tenant: 'acme',
    platformAdmin: false,
    orgAdmin: false,
    ...none,
  },
  {
    // Not in the brief's list. Audit rows' entity-type and folder rules need a
    // viewer who is no administrator; mail view without edit (and without the
    // mail tab) is what the assignee's status rule and the tab rule of items
    // need.
    key: 'auditor',
    email: 'auditor@acme.example',
    tenant: 'acme',
    platformAdmin: false,
    orgAdmin: false,
    adminHub: false,
    grants: { audit: ['view'], document: ['view'], mail: ['view'] },
    tabs: ['audit'],
    folderGrants: { Finance: ['view'] },
  },
  {
    key: 'globexAdmin',
    email: 'admin@globex.example',
    tenant: 'globex',
    platformAdmin: false,
    orgAdmin: true,
    ...none,
  },
];

export const actor = (key: ActorKey): Actor => {
  const a = ACTORS.find((x) => x.key === key);
  if (!a) throw new Error(`no actor ${key}`);
  return a;
};

// ---------------------------------------------------------------------------
// What: each resource's routes and rules.
// ---------------------------------------------------------------------------

/** How a resource's rows are scoped. */
export type RowKind =
  /** Tenant column only. */
  | 'tenant'
  /** Tenant, and the row's folder (for folders: the folder itself). */
  | 'folder'
  /** Tenant; folder when filed (unfiled: everyone's); the assignee. */
  | 'mail'
  /** Tenant, and assigned to the caller. */
  | 'ownAssignments'
  /** Tenant, viewable entity type, and the record's folder when it has one. */
  | 'audit';

export interface ResourceRules {
  /** The URL segment (the grid's name). */
  name: string;
  /** The screen the grid needs beside the read requirement; none: no tab. */
  tab?: GrantedType;
  /** Requirement per operation; `read` for the grid and the item. */
  ops: Record<string, Requirement>;
  rows: RowKind;
  /** A create files the new row into a folder named in the body (a parent, for folders). */
  createsInFolder?: boolean;
  /** Folder action a write operation needs on the row's folder (default: the op's own name). */
  folderAction?: Record<string, Action>;
  /**
   * GET /x/:id/<name> routes that read something about one row under a write
   * operation's rules (name → operation): 404 invisible, 403 not permitted.
   */
  itemReads?: Record<string, string>;
}

const crud = (type: GrantedType) => ({
  read: grant(type, 'view'),
  create: grant(type, 'create'),
  edit: grant(type, 'edit'),
  delete: grant(type, 'delete'),
});

export const POLICY_TABLE: readonly ResourceRules[] = [
  {
    name: 'organizations',
    tab: 'organization',
    ops: {
      read: grant('organization', 'view'),
      create: PLATFORM_ADMIN,
      edit: PLATFORM_ADMIN,
      delete: PLATFORM_ADMIN,
    },
    rows: 'tenant',
  },
  {
    name: 'users',
    tab: 'user',
    ops: {
      read: grant('user', 'view'),
      create: ADMIN_HUB,
      edit: ADMIN_HUB,
      roles: ADMIN_HUB,
      delete: ADMIN_HUB,
    },
    rows: 'tenant',
  },
  {
    name: 'roles',
    ops: {
      read: ADMIN_HUB,
      create: ADMIN_HUB,
      edit: ADMIN_HUB,
      grants: ADMIN_HUB,
      delete: ADMIN_HUB,
    },
    rows: 'tenant',
  },
  { name: 'folders', tab: 'folder', ops: crud('folder'), rows: 'folder', createsInFolder: true },
  { name: 'document-types', tab: 'document_type', ops: crud('document_type'), rows: 'tenant' },
  {
    name: 'documents',
    tab: 'document',
    ops: crud('document'),
    rows: 'folder',
    createsInFolder: true,
  },
  {
    name: 'mails',
    tab: 'mail',
    ops: {
      ...crud('mail'),
      assign: grant('mail', 'assign'),
      unassign: grant('mail', 'assign'),
      // The assignee changes the status without mail edit: the route admits mail viewers.
      status: grant('mail', 'view'),
    },
    rows: 'mail',
    createsInFolder: true,
    folderAction: { unassign: 'assign', status: 'edit' },
    // The candidates of an assignment: for whoever may assign the mail.
    itemReads: { assignees: 'assign' },
  },
  { name: 'inbox', ops: { read: grant('mail', 'view') }, rows: 'ownAssignments' },
  {
    name: 'batches',
    tab: 'batch',
    ops: {
      read: grant('batch', 'view'),
      create: grant('batch', 'create'),
      cancel: grant('batch', 'edit'),
      retry: grant('batch', 'edit'),
    },
    rows: 'tenant',
  },
  { name: 'audit', tab: 'audit', ops: { read: grant('audit', 'view') }, rows: 'audit' },
];

/** Routes outside any resource: METHOD path → requirement. */
export const OTHER_ROUTES: Readonly<Record<string, Requirement>> = {
  'GET /me': SIGNED_IN,
  'GET /admin/pool-metrics': ADMIN_HUB,
  'GET /admin/queues': ADMIN_HUB,
};

export type RouteKind =
  'list' | 'columns' | 'values' | 'item' | 'itemRead' | 'create' | 'write' | 'other';

/** What the oracle makes of a route: its resource, operation and kind. */
export interface OracleRoute {
  kind: RouteKind;
  resource?: ResourceRules;
  op?: string;
  requirement: Requirement;
  /** Grid screens: the tab they need (undefined: none). */
  tab?: GrantedType;
}

/**
 * The oracle's reading of a route (path without the /api prefix), from the
 * REST shape alone: GET /x (list), /x/columns, /x/columns/:column/values,
 * GET /x/:id (read), POST /x (create), PATCH /x/:id (edit), DELETE /x/:id
 * (delete), POST|PUT /x/:id/<op>. Undefined: the policy table has no rule for it.
 */
export function oracleRoute(method: string, path: string): OracleRoute | undefined {
  const other = OTHER_ROUTES[`${method} ${path}`];
  if (other) return { kind: 'other', requirement: other };
  const m = /^\/([a-z-]+)(?:\/(.+))?$/.exec(path);
  if (!m) return undefined;
  const resource = POLICY_TABLE.find((r) => r.name === m[1]);
  if (!resource) return undefined;
  const rest = m[2];
  let kind: RouteKind;
  let op: string | undefined;
  if (method === 'GET' && rest === undefined) [kind, op] = ['list', 'read'];
  else if (method === 'GET' && rest === 'columns') [kind, op] = ['columns', 'read'];
  else if (method === 'GET' && rest === 'columns/:column/values') [kind, op] = ['values', 'read'];
  else if (method === 'GET' && rest === ':id') [kind, op] = ['item', 'read'];
  else if (method === 'GET' && /^:id\/[a-z]+$/.test(rest ?? '')) {
    const read = resource.itemReads?.[(rest ?? '').slice(':id/'.length)];
    if (read === undefined) return undefined;
    [kind, op] = ['itemRead', read];
  } else if (method === 'POST' && rest === undefined) [kind, op] = ['create', 'create'];
  else if (method === 'PATCH' && rest === ':id') [kind, op] = ['write', 'edit'];
  else if (method === 'DELETE' && rest === ':id') [kind, op] = ['write', 'delete'];
  else if ((method === 'POST' || method === 'PUT') && /^:id\/[a-z]+$/.test(rest ?? '')) {
    [kind, op] = ['write', (rest ?? '').slice(':id/'.length)];
  } else return undefined;
  const requirement = resource.ops[op];
  if (!requirement) return undefined;
  const screen = kind === 'list' || kind === 'columns' || kind === 'values';
  return { kind, resource, op, requirement, tab: screen ? resource.tab : undefined };
}

// ---------------------------------------------------------------------------
// The rules.
// ---------------------------------------------------------------------------

const HUB_TYPES: readonly GrantedType[] = ['user', 'role'];

export function holds(a: Actor, type: GrantedType, action: Action): boolean {
  if (a.platformAdmin) return true;
  // Everyone views his own organization; nobody else manages organizations.
  if (type === 'organization') return action === 'view';
  if (a.orgAdmin) return true;
  if (a.adminHub && HUB_TYPES.includes(type)) return true;
  return a.grants[type]?.includes(action) ?? false;
}

export function meets(a: Actor, req: Requirement): boolean {
  if ('signedIn' in req) return true;
  if ('platformAdmin' in req) return a.platformAdmin;
  if ('adminHub' in req) return a.platformAdmin || a.orgAdmin || a.adminHub;
  return holds(a, req.grant, req.action);
}

export function opensTab(a: Actor, tab: GrantedType): boolean {
  if (a.platformAdmin) return true;
  if (a.orgAdmin) return true;
  if (a.adminHub && HUB_TYPES.includes(tab)) return true;
  return a.tabs.includes(tab);
}

const ancestorsAndSelf = (path: string): string[] =>
  path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));

/** A grant of `action` on the folder or an ancestor (no admin, no system-folder shortcut). */
function grantedIn(a: Actor, folder: FolderRef, action: Action): boolean {
  return ancestorsAndSelf(folder.path).some((p) => a.folderGrants[p]?.includes(action));
}

/** Whether the user may see what a folder holds. */
export function viewsFolder(a: Actor, folder: FolderRef): boolean {
  if (a.platformAdmin) return true;
  if (a.tenant !== folder.tenant) return false;
  return a.orgAdmin || folder.system === true || grantedIn(a, folder, 'view');
}

/** Whether the user may do `action` in a folder (system folders: every member). */
export function actsInFolder(a: Actor, folder: FolderRef, action: Action): boolean {
  if (a.platformAdmin) return true;
  if (a.tenant !== folder.tenant) return false;
  return a.orgAdmin || folder.system === true || grantedIn(a, folder, action);
}

/** What the oracle knows of a row. */
export interface RowFacts {
  tenant: Tenant;
  /** Folder-scoped rows: the folder (a folder row: itself); mails: null when unfiled. */
  folder?: FolderRef | null;
  /** Mails: the assignee. */
  assignee?: ActorKey | null;
  /** Audit rows: the audited record's entity type. */
  entityType?: GrantedType;
}

/** Whether the row is in the user's read scope. */
export function visible(a: Actor, r: ResourceRules, row: RowFacts): boolean {
  if (r.rows === 'ownAssignments') return row.assignee === a.key;
  if (a.platformAdmin) return true;
  if (a.tenant !== row.tenant) return false;
  switch (r.rows) {
    case 'tenant':
      return true;
    case 'folder':
      return row.folder != null && viewsFolder(a, row.folder);
    case 'mail':
      return row.folder == null || viewsFolder(a, row.folder) || row.assignee === a.key;
    case 'audit':
      return (
        row.entityType !== undefined &&
        holds(a, row.entityType, 'view') &&
        (row.folder == null || viewsFolder(a, row.folder))
      );
  }
}

/** Whether a visible row admits the write `op` by the user (the route already admitted him). */
export function permits(a: Actor, r: ResourceRules, op: string, row: RowFacts): boolean {
  if (a.platformAdmin) return true;
  if (a.tenant !== row.tenant) return false;
  const action = (r.folderAction?.[op] ?? op) as Action;
  switch (r.rows) {
    case 'tenant':
      return true;
    case 'folder':
      return row.folder != null && actsInFolder(a, row.folder, action);
    case 'mail': {
      if (op === 'status') {
        if (row.assignee === a.key) return true;
        if (!holds(a, 'mail', 'edit')) return false;
      }
      return row.folder == null || actsInFolder(a, row.folder, action);
    }
    case 'ownAssignments':
    case 'audit':
      // Read-only resources: no write reaches them.
      return false;
  }
}

export type Outcome = 'ok' | 'forbidden' | 'notFound';

/** The route-level decision, before any row is read. */
export function admits(a: Actor, route: OracleRoute): boolean {
  if (!meets(a, route.requirement)) return false;
  return route.tab === undefined || opensTab(a, route.tab);
}

/**
 * The expected answer of a route to a user for a row: for items and writes,
 * the row the id names; for creates into a folder, the folder the body names
 * (a parent, for folders; null: unfiled mail). Lists, columns, values and
 * routes without rows: the route-level decision alone (visibility of list rows:
 * `visible`).
 */
export function outcome(a: Actor, route: OracleRoute, row?: RowFacts): Outcome {
  if (!admits(a, route)) return 'forbidden';
  const r = route.resource;
  if (!r || !row) return 'ok';
  if (route.kind === 'item') return visible(a, r, row) ? 'ok' : 'notFound';
  if (route.kind === 'write' || route.kind === 'itemRead') {
    if (!visible(a, r, row)) return 'notFound';
    return permits(a, r, route.op as string, row) ? 'ok' : 'forbidden';
  }
  if (route.kind === 'create' && r.createsInFolder) {
    const folder = row.folder;
    if (folder == null) return a.platformAdmin || a.tenant === row.tenant ? 'ok' : 'notFound';
    // The folder filed into is a row like any other: invisible 404, visible but not granted 403.
    if (!viewsFolder(a, folder)) return 'notFound';
    return actsInFolder(a, folder, 'create') ? 'ok' : 'forbidden';
  }
  return 'ok';
}

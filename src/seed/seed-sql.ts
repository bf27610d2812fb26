import type { Queryable } from '../core/database/db.service';
import { PLATFORM_VERSION_KEY } from '../modules/permission/permission.repository';

/** Key in app_meta recording which data set a database holds. */
export const SEED_KEY = 'seed';

export async function seededWith(q: Queryable): Promise<string | undefined> {
  const rows = await q.query<{ value: string }>('SELECT value FROM app_meta WHERE key = $1', [
    SEED_KEY,
  ]);
  return rows[0]?.value;
}

export async function markSeeded(q: Queryable, value: string): Promise<void> {
  await q.query(
    `INSERT INTO app_meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_on = now()`,
    [SEED_KEY, value],
  );
}

export async function insertOrganization(
  q: Queryable,
  name: string,
  slug: string,
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING id',
    [name, slug],
  );
  return rows[0].id;
}

/** A folder under parent (or at the root), its path computed from the parent's in the same statement. */
export async function insertFolder(
  q: Queryable,
  organizationId: number,
  parentId: number | null,
  name: string,
  systemKey: string | null = null,
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `WITH nid AS (SELECT nextval(pg_get_serial_sequence('folders', 'id')) AS id)
     INSERT INTO folders (id, organization_id, parent_id, name, path, depth, system_key)
     SELECT nid.id, $1, $2, $3, COALESCE(p.path, '{}') || nid.id, COALESCE(p.depth + 1, 0), $4
     FROM nid LEFT JOIN folders p ON p.id = $2 AND p.organization_id = $1
     RETURNING id`,
    [organizationId, parentId, name, systemKey],
  );
  return rows[0].id;
}

export async function insertUser(
  q: Queryable,
  u: {
    organizationId: number | null;
    email: string;
    displayName: string;
    passwordHash: string;
    platformAdmin?: boolean;
    orgAdmin?: boolean;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO users (organization_id, email, display_name, password_hash, is_platform_admin, is_org_admin)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash
     RETURNING id`,
    [
      u.organizationId,
      u.email.toLowerCase(),
      u.displayName,
      u.passwordHash,
      u.platformAdmin ?? false,
      u.orgAdmin ?? false,
    ],
  );
  return rows[0].id;
}

export const ALL_ENTITY_TYPES = [
  'organization',
  'user',
  'folder',
  'document_type',
  'document',
  'mail',
  'batch',
  'audit',
] as const;
export const ALL_ACTIONS = ['view', 'create', 'edit', 'delete', 'assign', 'export'] as const;

export async function insertRole(
  q: Queryable,
  r: {
    organizationId: number;
    name: string;
    adminHub?: boolean;
    entityActions: Record<string, readonly string[]>;
    tabs: readonly string[];
    folderGrants?: { folderId: number; actions: readonly string[] }[];
    members: number[];
  },
): Promise<number> {
  const [{ id }] = await q.query<{ id: number }>(
    'INSERT INTO roles (organization_id, name, admin_hub) VALUES ($1, $2, $3) RETURNING id',
    [r.organizationId, r.name, r.adminHub ?? false],
  );
  const types: string[] = [];
  const actions: string[] = [];
  for (const [type, acts] of Object.entries(r.entityActions)) {
    for (const a of acts) {
      types.push(type);
      actions.push(a);
    }
  }
  await q.query(
    `INSERT INTO role_entity_permissions (role_id, entity_type, action)
     SELECT $1, t, a FROM unnest($2::text[], $3::text[]) AS x(t, a)`,
    [id, types, actions],
  );
  await q.query('INSERT INTO role_tab_permissions (role_id, tab) SELECT $1, unnest($2::text[])', [
    id,
    r.tabs,
  ]);
  for (const g of r.folderGrants ?? []) {
    await q.query(
      `INSERT INTO role_folder_permissions (organization_id, role_id, folder_id, action)
       SELECT $1, $2, $3, unnest($4::text[])`,
      [r.organizationId, id, g.folderId, g.actions],
    );
  }
  await q.query(
    'INSERT INTO user_roles (organization_id, user_id, role_id) SELECT $1, unnest($2::bigint[]), $3',
    [r.organizationId, r.members, id],
  );
  return id;
}

/**
 * Takes `count` consecutive ids from a table's identity sequence and returns the
 * first: rows inserted with explicit ids in that range never collide with ids the
 * sequence hands out later, so no setval is needed afterwards.
 */
export async function reserveIds(q: Queryable, table: string, count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot reserve ${count} ids`);
  const [{ first }] = await q.query<{ first: number }>(
    `SELECT setval(s, nextval(s) + $2 - 1) - $2 + 1 AS first
     FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS s) AS seq`,
    [table, count],
  );
  return first;
}

/** Every table holding business data, children first (entity_types is reference data from the migration). */
export const BUSINESS_TABLES = [
  'audit_log',
  'batch_items',
  'documents',
  'mails',
  'batches',
  'document_types',
  'role_folder_permissions',
  'folders',
  'role_tab_permissions',
  'role_entity_permissions',
  'user_roles',
  'roles',
  'users',
  'organizations',
] as const;

/** True when the database holds rows someone made: organizations, or users besides the platform admin. */
export async function hasBusinessData(q: Queryable, adminEmail: string): Promise<boolean> {
  const [{ found }] = await q.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM organizations)
         OR EXISTS (SELECT 1 FROM users WHERE email <> $1) AS found`,
    [adminEmail.toLowerCase()],
  );
  return found;
}

/**
 * Empties every business table and restarts their ids, and forgets which seed
 * was loaded. The ids come back for other rows: the platform's permission stamp
 * moves on, so no access cached for the old rows matches the new ones.
 */
export async function truncateBusinessData(q: Queryable): Promise<void> {
  await q.query(`TRUNCATE ${BUSINESS_TABLES.join(', ')} RESTART IDENTITY`);
  await q.query('DELETE FROM app_meta WHERE key = $1', [SEED_KEY]);
  await q.query(
    'UPDATE app_meta SET value = next_stamp(value::bigint)::text, updated_on = now() WHERE key = $1',
    [PLATFORM_VERSION_KEY],
  );
}

/** Row counts of the business tables, biggest first. */
export async function countRows(q: Queryable): Promise<{ table: string; rows: number }[]> {
  const [counts] = await q.query<Record<string, number>>(
    `SELECT ${BUSINESS_TABLES.map((t) => `(SELECT count(*) FROM ${t})::bigint AS ${t}`).join(', ')}`,
  );
  return BUSINESS_TABLES.map((table) => ({ table, rows: Number(counts[table]) })).sort(
    (a, b) => b.rows - a.rows,
  );
}

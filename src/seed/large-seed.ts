import { hashPassword } from '../core/auth/password';
import type { Queryable } from '../core/database/db.service';
import type { FolderPlan, OrgPlan, SpecialUsers, UserPlan } from './large-seed-plan';
import {
  INBOX_USER_SHARE,
  folderPath,
  planDocumentTypes,
  planFolders,
  planOrganizations,
  planRoles,
  planUsers,
  shareBounds,
  specialUsers,
  volumeCounts,
} from './large-seed-plan';
import { seedVolume } from './large-seed-volume';
import type { SeedProgress } from './progress';
import { silentProgress } from './progress';
import { insertUser, markSeeded, reserveIds } from './seed-sql';
import type { SeedCredentials } from './small-seed';

export interface LargeSeedOptions {
  /** 1 = 1,000,000 documents, 300,000 mails, 2,000 batches; organizations, folders and users do not scale. */
  scale?: number;
  progress?: SeedProgress;
}

/** Seed value recorded in app_meta for this data set. */
export const LARGE_SEED = 'large';

/**
 * Loads the large, skewed data set into an empty database. Runs inside the
 * caller's transaction: everything or nothing is written.
 */
export async function seedLarge(
  q: Queryable,
  creds: SeedCredentials,
  options: LargeSeedOptions = {},
): Promise<SpecialUsers> {
  const progress = options.progress ?? silentProgress;
  const counts = volumeCounts(options.scale ?? 1);
  const step = async <T>(name: string, total: number, fn: () => Promise<T>): Promise<T> => {
    progress.begin(name, total);
    const result = await fn();
    progress.end();
    return result;
  };

  // Staging rows live in temporary tables; give them memory (allowed only before
  // this session's first temporary table) and give the big sorts room.
  await q.query(`SELECT set_config('temp_buffers', '256MB', true)
                 WHERE pg_my_temp_schema() = 0`);
  await q.query(`SELECT set_config('work_mem', '256MB', true)`);
  await q.query('SELECT setseed(0.2024)'); // the same data set on every run

  // scrypt costs ~50 ms a call and every seeded user shares one of two
  // passwords: hashing once per password (not per user) keeps the seed fast.
  const [adminHash, demoHash] = await step('passwords', 2, () =>
    Promise.all([hashPassword(creds.adminPassword), hashPassword(creds.demoPassword)]),
  );
  await insertUser(q, {
    organizationId: null,
    email: creds.adminEmail,
    displayName: 'Platform Administrator',
    passwordHash: adminHash,
    platformAdmin: true,
  });

  const orgs = planOrganizations();
  const folders = planFolders(orgs);
  const users = planUsers(orgs);
  const { firstOrg, firstFolder } = await step('organizations', orgs.length, async () => {
    const org = await insertOrganizations(q, orgs);
    const folder = await insertFolders(q, folders, org);
    await insertDocumentTypes(q, orgs, org);
    return { firstOrg: org, firstFolder: folder };
  });
  const firstUser = await step('users and roles', users.length, async () => {
    const user = await insertUsers(q, users, firstOrg, demoHash);
    await insertRoles(q, orgs, users, folders, { firstOrg, firstFolder, firstUser: user });
    return user;
  });

  const workers = users.flatMap((u, i) =>
    u.active && ['admin', 'clerk', 'case_worker'].includes(u.kind) ? [i] : [],
  );
  const special = specialUsers(creds.adminEmail);
  const inboxUser = users.findIndex((u) => u.email === special.inboxUser);
  await seedVolume(q, counts, progress, {
    orgIds: orgs.map((o) => firstOrg + o.rank - 1),
    shareBounds: shareBounds(orgs),
    workerOrgIds: workers.map((i) => firstOrg + users[i].org - 1),
    workerIds: workers.map((i) => firstUser + i),
    inboxUserId: firstUser + inboxUser,
    inboxUserShare: INBOX_USER_SHARE,
  });
  await markSeeded(q, LARGE_SEED);
  return special;
}

async function insertOrganizations(q: Queryable, orgs: readonly OrgPlan[]): Promise<number> {
  const first = await reserveIds(q, 'organizations', orgs.length);
  await q.query(
    `INSERT INTO organizations (id, name, slug, created_on, updated_on)
     SELECT $1::bigint + i - 1, name, slug, t, t
     FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS o(name, slug, i),
          LATERAL (SELECT now() - interval '1100 days' + i * interval '3 days' AS t) AS c`,
    [first, orgs.map((o) => o.name), orgs.map((o) => o.slug)],
  );
  return first;
}

async function insertFolders(
  q: Queryable,
  plan: readonly FolderPlan[],
  firstOrg: number,
): Promise<number> {
  const first = await reserveIds(q, 'folders', plan.length);
  // One statement: the composite parent key is checked when the statement ends,
  // so children may come before their parents in the array.
  await q.query(
    `INSERT INTO folders (id, organization_id, parent_id, name, path, depth, system_key, created_on, updated_on)
     SELECT f.id, f.org, f.parent, f.name, f.path::bigint[], f.depth, f.system_key, o.created_on, o.created_on
     FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::text[])
            AS f(id, org, parent, name, path, depth, system_key)
     JOIN organizations o ON o.id = f.org`,
    [
      plan.map((_, i) => first + i),
      plan.map((f) => firstOrg + f.org - 1),
      plan.map((f) => (f.parent === null ? null : first + f.parent)),
      plan.map((f) => f.name),
      plan.map(
        (_, i) =>
          `{${folderPath(plan, i)
            .map((p) => first + p)
            .join(',')}}`,
      ),
      plan.map((f) => f.depth),
      plan.map((f) => f.systemKey),
    ],
  );
  return first;
}

async function insertDocumentTypes(
  q: Queryable,
  orgs: readonly OrgPlan[],
  firstOrg: number,
): Promise<void> {
  const types = planDocumentTypes(orgs);
  const first = await reserveIds(q, 'document_types', types.length);
  await q.query(
    `INSERT INTO document_types (id, organization_id, name, description, retention_days, created_on, updated_on)
     SELECT $1::bigint + t.i - 1, t.org, t.name, t.name || ' documents', t.retention, o.created_on, o.created_on
     FROM unnest($2::bigint[], $3::text[], $4::int[]) WITH ORDINALITY AS t(org, name, retention, i)
     JOIN organizations o ON o.id = t.org`,
    [
      first,
      types.map((t) => firstOrg + t.org - 1),
      types.map((t) => t.name),
      types.map((t) => t.retentionDays),
    ],
  );
}

async function insertUsers(
  q: Queryable,
  users: readonly UserPlan[],
  firstOrg: number,
  passwordHash: string,
): Promise<number> {
  const first = await reserveIds(q, 'users', users.length);
  await q.query(
    `INSERT INTO users (id, organization_id, email, display_name, password_hash, is_org_admin, is_active,
                        last_login_on, created_on, updated_on)
     SELECT $1::bigint + i - 1, u.org, u.email, u.display_name, $2, u.kind = 'admin', u.active,
            CASE WHEN u.active AND random() < 0.85 THEN now() - random() * interval '30 days' END,
            c.t, c.t
     FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::boolean[])
            WITH ORDINALITY AS u(org, email, display_name, kind, active, i)
     JOIN organizations o ON o.id = u.org,
     LATERAL (SELECT o.created_on + random() * interval '900 days' AS t) AS c`,
    [
      first,
      passwordHash,
      users.map((u) => firstOrg + u.org - 1),
      users.map((u) => u.email),
      users.map((u) => u.displayName),
      users.map((u) => u.kind),
      users.map((u) => u.active),
    ],
  );
  return first;
}

async function insertRoles(
  q: Queryable,
  orgs: readonly OrgPlan[],
  users: readonly UserPlan[],
  folders: readonly FolderPlan[],
  ids: { firstOrg: number; firstFolder: number; firstUser: number },
): Promise<void> {
  const { firstOrg, firstFolder, firstUser } = ids;
  const roles = planRoles(orgs, users);
  const first = await reserveIds(q, 'roles', roles.length);
  const departmentRoot = new Map<string, number>();
  folders.forEach((f, i) => {
    if (f.department !== null) departmentRoot.set(`${f.org}:${f.department}`, firstFolder + i);
  });
  const orgId = (rank: number) => firstOrg + rank - 1;

  await q.query(
    `INSERT INTO roles (id, organization_id, name, description, admin_hub)
     SELECT $1::bigint + i - 1, org, name, description, admin_hub
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::boolean[])
            WITH ORDINALITY AS r(org, name, description, admin_hub, i)`,
    [
      first,
      roles.map((r) => orgId(r.org)),
      roles.map((r) => r.name),
      roles.map((r) => r.description),
      roles.map((r) => r.adminHub),
    ],
  );

  const entity = roles.flatMap((r, i) =>
    Object.entries(r.entityActions).flatMap(([type, actions]) =>
      actions.map((action) => [first + i, type, action] as const),
    ),
  );
  await q.query(
    `INSERT INTO role_entity_permissions (role_id, entity_type, action)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])`,
    [entity.map((e) => e[0]), entity.map((e) => e[1]), entity.map((e) => e[2])],
  );

  const tabs = roles.flatMap((r, i) => r.tabs.map((tab) => [first + i, tab] as const));
  await q.query(
    `INSERT INTO role_tab_permissions (role_id, tab) SELECT * FROM unnest($1::bigint[], $2::text[])`,
    [tabs.map((t) => t[0]), tabs.map((t) => t[1])],
  );

  const grants = roles.flatMap((r, i) =>
    r.departments.flatMap((d) =>
      r.folderActions.map(
        (action) =>
          [orgId(r.org), first + i, departmentRoot.get(`${r.org}:${d}`)!, action] as const,
      ),
    ),
  );
  await q.query(
    `INSERT INTO role_folder_permissions (organization_id, role_id, folder_id, action)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[])`,
    [
      grants.map((g) => g[0]),
      grants.map((g) => g[1]),
      grants.map((g) => g[2]),
      grants.map((g) => g[3]),
    ],
  );

  const memberships = roles.flatMap((r, i) =>
    r.members.map((m) => [orgId(r.org), firstUser + m, first + i] as const),
  );
  await q.query(
    `INSERT INTO user_roles (organization_id, user_id, role_id)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])`,
    [memberships.map((m) => m[0]), memberships.map((m) => m[1]), memberships.map((m) => m[2])],
  );
}

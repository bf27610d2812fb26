import type { Queryable } from '../../src/core/database/db.service';
import { insertFolder, insertRole } from '../../src/seed/seed-sql';
import type { ActorKey, FolderRef, GrantedType, RowFacts } from './policy-oracle';
import { ACTORS } from './policy-oracle';

/**
 * The permission matrix's data: the demo seed plus the fixture users it lacks
 * (made from their oracle profiles) and rows made by SQL for each case, all
 * before anyone signs in (access is cached per permission version: folders
 * made by SQL afterwards would stay unseen).
 */
export interface World {
  org: Record<string, number>;
  /** Every fixture actor's user id. */
  user: Record<ActorKey, number>;
  /** A member of each tenant who may be assigned mail. */
  clerkOf: Record<string, number>;
  adminOf: Record<string, number>;
  folderId(ref: FolderRef): number;
}

/** A row (or a folder a create files into) the matrix uses. */
export interface RowTemplate {
  label: string;
  facts: RowFacts;
  /**
   * The row's id: an existing one, or a new one per call (write cases each get
   * a fresh row, so that a destructive case never removes another's).
   */
  make?: (q: Queryable, w: World, n: number) => Promise<number>;
}

const SEEDED: Partial<Record<ActorKey, true>> = {
  platform: true,
  orgAdmin: true,
  clerk: true,
  financeReader: true,
  globexAdmin: true,
};

const one = async (q: Queryable, text: string, params: unknown[] = []): Promise<number> => {
  const rows = await q.query<Record<string, unknown>>(text, params);
  if (rows.length === 0) throw new Error(`no row: ${text} ${JSON.stringify(params)}`);
  return Number(Object.values(rows[0])[0]);
};

/** Creates the fixture users the seed lacks and reads the ids the matrix needs. */
export async function buildWorld(q: Queryable): Promise<World> {
  const org: Record<string, number> = {};
  for (const slug of ['acme', 'globex']) {
    org[slug] = await one(q, 'SELECT id FROM organizations WHERE slug = $1', [slug]);
  }
  const folders = new Map<string, number>();
  const rows = await q.query<{ id: string; slug: string; p: string }>(
    `SELECT f.id, o.slug,
            (SELECT string_agg(x.name, '/' ORDER BY array_position(f.path, x.id))
             FROM folders x WHERE x.id = ANY (f.path)) AS p
     FROM folders f JOIN organizations o ON o.id = f.organization_id`,
  );
  for (const r of rows) folders.set(`${r.slug}:${r.p}`, Number(r.id));

  const user = {} as Record<ActorKey, number>;
  for (const a of ACTORS) {
    if (SEEDED[a.key]) {
      user[a.key] = await one(q, 'SELECT id FROM users WHERE email = $1', [a.email]);
      continue;
    }
    if (a.tenant === null || a.platformAdmin || a.orgAdmin) {
      throw new Error(`${a.key}: only plain members are made here`);
    }
    // The demo password, as the seeded clerk has it.
    user[a.key] = await one(
      q,
      `INSERT INTO users (organization_id, email, display_name, password_hash)
       SELECT $1, $2, $3, password_hash FROM users WHERE email = 'clerk@acme.example'
       RETURNING id`,
      [org[a.tenant], a.email, `Matrix ${a.key}`],
    );
    const granted =
      a.adminHub ||
      Object.keys(a.grants).length > 0 ||
      a.tabs.length > 0 ||
      Object.keys(a.folderGrants).length > 0;
    if (!granted) continue;
    await insertRole(q, {
      organizationId: org[a.tenant],
      name: `Matrix ${a.key}`,
      adminHub: a.adminHub,
      entityActions: a.grants,
      tabs: a.tabs,
      folderGrants: Object.entries(a.folderGrants).map(([path, actions]) => {
        const folderId = folders.get(`${a.tenant}:${path}`);
        if (folderId === undefined) throw new Error(`no folder ${path}`);
        return { folderId, actions };
      }),
      members: [user[a.key]],
    });
  }
  const clerkOf: Record<string, number> = {};
  const adminOf: Record<string, number> = {};
  for (const slug of ['acme', 'globex']) {
    clerkOf[slug] = await one(q, 'SELECT id FROM users WHERE email = $1', [
      `clerk@${slug}.example`,
    ]);
    adminOf[slug] = await one(q, 'SELECT id FROM users WHERE email = $1', [
      `admin@${slug}.example`,
    ]);
  }
  return {
    org,
    user,
    clerkOf,
    adminOf,
    folderId(ref: FolderRef) {
      const id = folders.get(`${ref.tenant}:${ref.path}`);
      if (id === undefined) throw new Error(`no folder ${ref.tenant}:${ref.path}`);
      return id;
    },
  };
}

// ---------------------------------------------------------------------------
// Row makers (SQL: arranging, never the code under test).
// ---------------------------------------------------------------------------

export const folderRef = (tenant: string, path: string): FolderRef => ({
  tenant,
  path,
  system: path === 'Inbox' || path === 'Archive',
});

/** An existing folder. */
export function existingFolder(label: string, ref: FolderRef): RowTemplate {
  return {
    label,
    facts: { tenant: ref.tenant, folder: ref },
    make: async (_q, w) => w.folderId(ref),
  };
}

/** A new empty folder under `parent` (path `parent/Matrix n`). */
export function freshFolder(label: string, parent: FolderRef): RowTemplate {
  const facts: RowFacts = {
    tenant: parent.tenant,
    folder: { tenant: parent.tenant, path: `${parent.path}/Matrix` },
  };
  return {
    label,
    facts,
    make: (q, w, n) => insertFolder(q, w.org[parent.tenant], w.folderId(parent), `Matrix ${n}`),
  };
}

export function document(label: string, ref: FolderRef): RowTemplate {
  return {
    label,
    facts: { tenant: ref.tenant, folder: ref },
    make: (q, w, n) =>
      one(
        q,
        `INSERT INTO documents (organization_id, folder_id, title) VALUES ($1, $2, $3) RETURNING id`,
        [w.org[ref.tenant], w.folderId(ref), `Matrix document ${n}`],
      ),
  };
}

/**
 * A mail: filed in `folder` (null: unfiled), assigned to `assignee` (status
 * assigned, assigned by the tenant's admin) or new.
 */
export function mail(
  label: string,
  tenant: string,
  folder: FolderRef | null,
  assignee: ActorKey | null,
): RowTemplate {
  return {
    label,
    facts: { tenant, folder, assignee },
    make: (q, w, n) =>
      one(
        q,
        `INSERT INTO mails (organization_id, folder_id, subject, sender, received_on, status,
                            assigned_to, assigned_by, assigned_on)
         VALUES ($1, $2, $3, 'matrix@sender.example', now(), $4, $5,
                 CASE WHEN $5::bigint IS NOT NULL THEN $6::bigint END,
                 CASE WHEN $5::bigint IS NOT NULL THEN now() END)
         RETURNING id`,
        [
          w.org[tenant],
          folder === null ? null : w.folderId(folder),
          `Matrix mail ${n}`,
          assignee === null ? 'new' : 'assigned',
          assignee === null ? null : w.user[assignee],
          w.adminOf[tenant],
        ],
      ),
  };
}

export function documentType(label: string, tenant: string, existing?: string): RowTemplate {
  return {
    label,
    facts: { tenant },
    make: (q, w, n) =>
      existing
        ? one(q, 'SELECT id FROM document_types WHERE organization_id = $1 AND name = $2', [
            w.org[tenant],
            existing,
          ])
        : one(
            q,
            'INSERT INTO document_types (organization_id, name) VALUES ($1, $2) RETURNING id',
            [w.org[tenant], `Matrix type ${n}`],
          ),
  };
}

/** A batch of `status` (existing: the seed's batch of the tenant). */
export function batch(label: string, tenant: string, status?: string): RowTemplate {
  return {
    label,
    facts: { tenant },
    make: (q, w, n) =>
      status === undefined
        ? one(q, 'SELECT min(id) FROM batches WHERE organization_id = $1', [w.org[tenant]])
        : one(
            q,
            `INSERT INTO batches (organization_id, name, source, status, finished_on)
             VALUES ($1, $2, 'api', $3, CASE WHEN $3 IN ('failed', 'cancelled') THEN now() END)
             RETURNING id`,
            [w.org[tenant], `Matrix batch ${n}`, status],
          ),
  };
}

/** A plain member of the tenant (existing: by email). */
export function member(label: string, tenant: string, existingEmail?: string): RowTemplate {
  return {
    label,
    facts: { tenant },
    make: (q, w, n) =>
      existingEmail
        ? one(q, 'SELECT id FROM users WHERE email = $1', [existingEmail])
        : one(
            q,
            `INSERT INTO users (organization_id, email, display_name, password_hash)
             VALUES ($1, $2, $3, 'not-a-hash') RETURNING id`,
            [w.org[tenant], `matrix-${n}@${tenant}.example`, `Matrix member ${n}`],
          ),
  };
}

/** A role without grants or members (existing: by name). */
export function role(label: string, tenant: string, existingName?: string): RowTemplate {
  return {
    label,
    facts: { tenant },
    make: (q, w, n) =>
      existingName
        ? one(q, 'SELECT id FROM roles WHERE organization_id = $1 AND name = $2', [
            w.org[tenant],
            existingName,
          ])
        : one(q, 'INSERT INTO roles (organization_id, name) VALUES ($1, $2) RETURNING id', [
            w.org[tenant],
            `Matrix role ${n}`,
          ]),
  };
}

/** An organization (existing: by slug; else a new empty one, nobody's tenant). */
export function organization(label: string, slug?: string): RowTemplate {
  return {
    label,
    facts: { tenant: slug ?? 'none-of-the-actors' },
    make: (q, w, n) =>
      slug
        ? Promise.resolve(w.org[slug])
        : one(q, 'INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING id', [
            `Matrix organization ${n}`,
            `matrix-org-${n}`,
          ]),
  };
}

/** An audit row about a record of `entityType`, carrying `folder` (null: none). */
export function auditRow(
  label: string,
  tenant: string,
  entityType: GrantedType,
  folder: FolderRef | null,
): RowTemplate {
  return {
    label,
    facts: { tenant, entityType, folder },
    make: (q, w, n) =>
      one(
        q,
        `INSERT INTO audit_log (organization_id, entity_type, entity_id, action, folder_id, changes)
         VALUES ($1, $2, $3, 'update', $4, '{}') RETURNING id`,
        [w.org[tenant], entityType, 900000 + n, folder === null ? null : w.folderId(folder)],
      ),
  };
}

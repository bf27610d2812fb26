import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import { updateVersioned } from '../../core/database/versioned-row';
import type { SqlStatement } from '../../core/grid/grid-query.builder';

export interface FolderRef {
  id: number;
  organizationId: number;
  path: number[];
  depth: number;
  systemKey: string | null;
}

export interface FolderRow extends FolderRef {
  parentId: number | null;
  name: string;
  version: number;
}

/** What still lives in a folder (each only whether any exists: counting could be large). */
export interface FolderContents {
  subfolders: boolean;
  documents: boolean;
  mails: boolean;
}

const ROW = `f.id, f.organization_id AS "organizationId", f.parent_id AS "parentId", f.name,
  f.path, f.depth, f.system_key AS "systemKey", f.version`;

@Injectable()
export class FolderRepository {
  constructor(private readonly db: Db) {}

  async findRef(
    id: number,
    organizationId: number | null,
    q: Queryable = this.db,
  ): Promise<FolderRef | undefined> {
    const rows = await q.query<FolderRef>(
      `SELECT id, organization_id AS "organizationId", path, depth, system_key AS "systemKey"
       FROM folders WHERE id = $1 AND ($2::bigint IS NULL OR organization_id = $2)`,
      [id, organizationId],
    );
    return rows[0];
  }

  /** The row if the scope predicate admits it; `lock` holds it for the rest of the transaction. */
  async findVisible(
    q: Queryable,
    id: number,
    scope: SqlStatement,
    lock = false,
  ): Promise<FolderRow | undefined> {
    const rows = await q.query<FolderRow>(
      `SELECT ${ROW} FROM folders f WHERE f.id = $${scope.values.length + 1} AND ${scope.text}${lock ? ' FOR UPDATE' : ''}`,
      [...scope.values, id],
    );
    return rows[0];
  }

  /**
   * A new folder under parent (or at the root); its path is the parent's plus its
   * own id, taken from the identity sequence in the same statement.
   */
  async insert(
    q: Queryable,
    f: {
      organizationId: number;
      parentId: number | null;
      name: string;
      systemKey?: string | null;
    },
  ): Promise<number> {
    const rows = await q.query<{ id: number }>(
      `WITH nid AS (SELECT nextval(pg_get_serial_sequence('folders', 'id')) AS id)
       INSERT INTO folders (id, organization_id, parent_id, name, path, depth, system_key)
       SELECT nid.id, $1, $2, $3, COALESCE(p.path, '{}') || nid.id, COALESCE(p.depth + 1, 0), $4
       FROM nid LEFT JOIN folders p ON p.id = $2 AND p.organization_id = $1
       RETURNING id`,
      [f.organizationId, f.parentId, f.name, f.systemKey ?? null],
    );
    return rows[0].id;
  }

  rename(q: Queryable, id: number, version: number, name: string): Promise<number | undefined> {
    return updateVersioned(q, 'folders', id, version, { name });
  }

  /** Levels below the folder in its deepest branch (0 for a leaf). */
  async subtreeHeight(q: Queryable, folder: FolderRef): Promise<number> {
    const rows = await q.query<{ h: number }>(
      `SELECT max(depth) - $3::int AS h FROM folders
       WHERE organization_id = $1 AND path && ARRAY[$2]::bigint[]`,
      [folder.organizationId, folder.id, folder.depth],
    );
    return rows[0]?.h ?? 0;
  }

  /**
   * Moves a folder and its whole subtree in one statement: every path loses the
   * old ancestors and gains the new parent's path; depths shift alike. Only the
   * moved folder gets a new parent, name, version and updated_on (its subfolders'
   * own fields did not change). Returns the moved folder's new version and how
   * many rows moved.
   */
  async move(
    q: Queryable,
    folder: FolderRow,
    parent: FolderRef | null,
    name: string | undefined,
  ): Promise<{ version: number; moved: number }> {
    const rows = await q.query<{ id: number; version: number }>(
      `UPDATE folders f SET
         path = $3::bigint[] || f.path[$4::int + 1:],
         depth = f.depth - $4::int + $5::int,
         parent_id = CASE WHEN f.id = $2 THEN $6::bigint ELSE f.parent_id END,
         name = CASE WHEN f.id = $2 THEN COALESCE($7, f.name) ELSE f.name END,
         version = CASE WHEN f.id = $2 THEN f.version + 1 ELSE f.version END,
         updated_on = CASE WHEN f.id = $2 THEN now() ELSE f.updated_on END
       WHERE f.organization_id = $1 AND f.path && ARRAY[$2]::bigint[]
       RETURNING f.id, f.version`,
      [
        folder.organizationId,
        folder.id,
        parent ? parent.path : [],
        folder.depth,
        parent ? parent.depth + 1 : 0,
        parent ? parent.id : null,
        name ?? null,
      ],
    );
    const self = rows.find((r) => r.id === folder.id);
    if (!self) throw new Error(`folder ${folder.id} vanished while locked`);
    return { version: self.version, moved: rows.length };
  }

  /**
   * Whether anything still lives in the folder. Reads mails and documents by their
   * folder index; the foreign keys (RESTRICT) stay the guard against a race.
   */
  async contents(q: Queryable, id: number): Promise<FolderContents> {
    const rows = await q.query<FolderContents>(
      `SELECT EXISTS (SELECT 1 FROM folders WHERE parent_id = $1) AS subfolders,
              EXISTS (SELECT 1 FROM documents WHERE folder_id = $1) AS documents,
              EXISTS (SELECT 1 FROM mails WHERE folder_id = $1) AS mails`,
      [id],
    );
    return rows[0];
  }

  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM folders WHERE id = $1', [id]);
  }
}

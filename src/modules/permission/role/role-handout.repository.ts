import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../../core/database/db.service';
import { Db } from '../../../core/database/db.service';
import type { HandedRole } from './role-handout';

/** What the role handout rules read: the roles handed out, the folders granted. */
@Injectable()
export class RoleHandoutRepository {
  constructor(private readonly db: Db) {}

  /** The organization's roles among ids, with their grants (folder grants with the folder's path). */
  async roles(
    organizationId: number,
    ids: number[],
    q: Queryable = this.db,
  ): Promise<HandedRole[]> {
    if (ids.length === 0) return [];
    return q.query<HandedRole & Record<string, unknown>>(
      `SELECT r.id, r.name, r.admin_hub AS "adminHub",
         (SELECT COALESCE(json_agg(json_build_array(p.entity_type, p.action)
                                   ORDER BY p.entity_type, p.action), '[]')
            FROM role_entity_permissions p WHERE p.role_id = r.id) AS "entityActions",
         (SELECT COALESCE(array_agg(t.tab ORDER BY t.tab), '{}')
            FROM role_tab_permissions t WHERE t.role_id = r.id) AS tabs,
         (SELECT COALESCE(json_agg(json_build_object('folderId', f.id, 'path', f.path,
                                                     'actions', g.actions) ORDER BY f.id), '[]')
            FROM (SELECT folder_id, array_agg(action ORDER BY action) AS actions
                  FROM role_folder_permissions WHERE role_id = r.id GROUP BY folder_id) g
            JOIN folders f ON f.id = g.folder_id) AS "folderGrants"
       FROM roles r WHERE r.organization_id = $1 AND r.id = ANY($2::bigint[])
       ORDER BY r.id`,
      [organizationId, ids],
    );
  }

  /** Folder id → path (root … folder), for the organization's folders among ids. */
  async folderPaths(
    organizationId: number,
    ids: number[],
    q: Queryable = this.db,
  ): Promise<Map<number, number[]>> {
    if (ids.length === 0) return new Map();
    const rows = await q.query<{ id: number; path: number[] }>(
      'SELECT id, path FROM folders WHERE organization_id = $1 AND id = ANY($2::bigint[])',
      [organizationId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.path]));
  }
}

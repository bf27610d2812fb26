import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import type { Action } from './permission.types';

/**
 * Platform administrators belong to no organization: their access is stamped
 * with this app_meta stamp instead of an organization's permission_version.
 */
export const PLATFORM_VERSION_KEY = 'permission_version:platform';

export interface AccessRow {
  id: number;
  email: string;
  display_name: string;
  organization_id: number | null;
  organization_name: string | null;
  is_platform_admin: boolean;
  is_org_admin: boolean;
  active: boolean;
  /** bigint: text from the driver. */
  version: string;
  credential_version: string;
  roles: { id: number; name: string }[];
  admin_hub: boolean;
  actions: [string, Action][];
  tabs: string[];
  view_folder_ids: number[];
  folder_grants: [number, Action][];
}

@Injectable()
export class PermissionRepository {
  constructor(private readonly db: Db) {}

  /** One statement: the user (credential version too), the organization's permission version, roles, grants and visible folders. */
  async loadAccess(userId: number): Promise<AccessRow | undefined> {
    // Replica-eligible: after the caller's own write it is read on the primary.
    const rows = await this.db.read<AccessRow>(
      `WITH u AS (
         SELECT u.id, u.email, u.display_name, u.organization_id, o.name AS organization_name,
                u.is_platform_admin, u.is_org_admin, u.credential_version,
                u.is_active AND COALESCE(o.is_active, true) AS active,
                COALESCE(o.permission_version,
                         (SELECT m.value::bigint FROM app_meta m WHERE m.key = $2),
                         0) AS version
         FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
         WHERE u.id = $1
       ), r AS (
         SELECT ro.id, ro.name, ro.admin_hub FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id
         WHERE ur.user_id = $1
       ), g AS (
         SELECT p.folder_id, p.action FROM role_folder_permissions p WHERE p.role_id IN (SELECT id FROM r)
       )
       SELECT u.*,
         (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.name), '[]') FROM r) AS roles,
         (SELECT COALESCE(bool_or(r.admin_hub), false) FROM r) AS admin_hub,
         (SELECT COALESCE(json_agg(DISTINCT jsonb_build_array(p.entity_type, p.action)), '[]')
            FROM role_entity_permissions p WHERE p.role_id IN (SELECT id FROM r)) AS actions,
         (SELECT COALESCE(array_agg(DISTINCT t.tab), '{}') FROM role_tab_permissions t
            WHERE t.role_id IN (SELECT id FROM r)) AS tabs,
         (SELECT COALESCE(array_agg(f.id ORDER BY f.id), '{}') FROM folders f
            WHERE f.organization_id = u.organization_id
              AND (f.system_key IS NOT NULL
                   OR f.path && (SELECT COALESCE(array_agg(folder_id), '{}') FROM g WHERE action = 'view'))
         ) AS view_folder_ids,
         (SELECT COALESCE(json_agg(DISTINCT jsonb_build_array(g.folder_id, g.action)), '[]') FROM g) AS folder_grants
       FROM u`,
      [userId, PLATFORM_VERSION_KEY],
    );
    return rows[0];
  }

  /**
   * Bumps the permission version inside the caller's transaction: the
   * organization's, or the platform's (null) for users of no organization.
   * The new version is a stamp (`next_stamp`, see its migration): greater than
   * the last one and than any issued by an earlier life of the database.
   */
  async bumpVersion(q: Queryable, organizationId: number | null): Promise<number | undefined> {
    // bigint arrives as text: stamps stay below 2^53, so Number() is exact.
    const rows =
      organizationId === null
        ? await q.query<{ v: string }>(
            `INSERT INTO app_meta (key, value) VALUES ($1, next_stamp(0)::text)
             ON CONFLICT (key) DO UPDATE SET value = next_stamp(app_meta.value::bigint)::text, updated_on = now()
             RETURNING value::bigint AS v`,
            [PLATFORM_VERSION_KEY],
          )
        : await q.query<{ v: string }>(
            'UPDATE organizations SET permission_version = next_stamp(permission_version) WHERE id = $1 RETURNING permission_version AS v',
            [organizationId],
          );
    return rows.length === 0 ? undefined : Number(rows[0].v);
  }

  /**
   * The users (over `users u`) who may be given a mail: active members of its
   * organization (an active one) who read it by their own rights, as one SQL
   * predicate whose values go through `bind`. The same rule as PolicyEvaluator's
   * ownReadScope (mail view, then the folder) stated over users; a test keeps
   * the two in agreement. Organization admins read every mail of theirs;
   * others need mail view through a role and, for a mail in a folder that is
   * not a system one, a view grant on the folder or an ancestor.
   */
  assigneeCandidates(mailId: number, organizationId: number, bind: (v: unknown) => string): string {
    const mail = `${bind(mailId)}::bigint`;
    return `u.organization_id = ${bind(organizationId)}::bigint AND u.is_active
      AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = u.organization_id AND o.is_active)
      AND (u.is_org_admin OR (
        EXISTS (SELECT 1 FROM user_roles ur JOIN role_entity_permissions p ON p.role_id = ur.role_id
                WHERE ur.user_id = u.id AND p.entity_type = 'mail' AND p.action = 'view')
        AND EXISTS (SELECT 1 FROM mails m LEFT JOIN folders f ON f.id = m.folder_id
                WHERE m.id = ${mail} AND (m.folder_id IS NULL OR f.system_key IS NOT NULL
                  OR EXISTS (SELECT 1 FROM user_roles ur JOIN role_folder_permissions p ON p.role_id = ur.role_id
                             WHERE ur.user_id = u.id AND p.action = 'view' AND p.folder_id = ANY(f.path))))))`;
  }

  /** Folders under any of the roots (the roots included) within one organization. */
  async foldersUnder(organizationId: number, roots: number[]): Promise<number[]> {
    if (roots.length === 0) return [];
    const rows = await this.db.read<{ id: number }>(
      'SELECT id FROM folders WHERE organization_id = $1 AND path && $2::bigint[]',
      [organizationId, roots],
    );
    return rows.map((r) => r.id);
  }
}
